//! Per-message overrides: `logging message <id> level <l>` and `[no] logging message <id>`.

use std::collections::BTreeMap;

use crate::level::Level;
use crate::message::Message;

/// How one message id departs from its default. Ids absent from the filter use their default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Override {
    /// `logging message <id> level <l>`; `None` keeps the message's own level.
    pub level: Option<Level>,
    /// `false` after `no logging message <id>`.
    pub enabled: bool,
}

/// The set of per-message overrides of one logging configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    overrides: BTreeMap<u32, Override>,
}

impl Filter {
    pub fn new() -> Filter {
        Filter::default()
    }

    /// The level `msg` is logged at, or `None` if the message is disabled.
    pub fn effective_level(&self, msg: &Message) -> Option<Level> {
        match self.overrides.get(&msg.id) {
            None => Some(msg.level),
            Some(o) if !o.enabled => None,
            Some(o) => Some(o.level.unwrap_or(msg.level)),
        }
    }

    /// Whether `msg` reaches a destination configured at `threshold` (`logging buffered warnings`):
    /// enabled and at least as severe as the threshold.
    pub fn passes(&self, msg: &Message, threshold: Level) -> bool {
        self.effective_level(msg).is_some_and(|l| l <= threshold)
    }

    /// `logging message <id> level <l>`.
    pub fn set_level(&mut self, id: u32, level: Level) {
        self.entry(id).level = Some(level);
    }

    /// `no logging message <id> level <l>`: back to the default level (enablement unchanged).
    pub fn reset_level(&mut self, id: u32) {
        if let Some(o) = self.overrides.get_mut(&id) {
            o.level = None;
        }
        self.forget_if_default(id);
    }

    /// `no logging message <id>`.
    pub fn disable(&mut self, id: u32) {
        self.entry(id).enabled = false;
    }

    /// `logging message <id>`.
    pub fn enable(&mut self, id: u32) {
        if let Some(o) = self.overrides.get_mut(&id) {
            o.enabled = true;
        }
        self.forget_if_default(id);
    }

    /// The override for `id`, if any.
    pub fn get(&self, id: u32) -> Option<Override> {
        self.overrides.get(&id).copied()
    }

    /// Every override, by ascending id (the order `show running-config logging` prints them in).
    pub fn overrides(&self) -> impl Iterator<Item = (u32, Override)> + '_ {
        self.overrides.iter().map(|(&id, &o)| (id, o))
    }

    /// Whether no message departs from its default.
    pub fn is_empty(&self) -> bool {
        self.overrides.is_empty()
    }

    /// Drops every override (`clear configure logging`).
    pub fn clear(&mut self) {
        self.overrides.clear();
    }

    fn entry(&mut self, id: u32) -> &mut Override {
        self.overrides.entry(id).or_insert(Override {
            level: None,
            enabled: true,
        })
    }

    fn forget_if_default(&mut self, id: u32) {
        let is_default = self
            .overrides
            .get(&id)
            .is_some_and(|o| o.enabled && o.level.is_none());
        if is_default {
            self.overrides.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login_permitted() -> Message {
        Message::from_catalogue(
            605005,
            &["10.0.0.1", "5000", "mgmt", "10.0.0.2", "https", "admin"],
        )
        .unwrap()
    }

    #[test]
    fn default_is_the_message_level() {
        let filter = Filter::new();
        assert_eq!(
            filter.effective_level(&login_permitted()),
            Some(Level::Informational)
        );
        assert!(filter.is_empty());
    }

    #[test]
    fn level_override_applies_to_that_id_only() {
        let mut filter = Filter::new();
        filter.set_level(605005, Level::Alerts);
        assert_eq!(
            filter.effective_level(&login_permitted()),
            Some(Level::Alerts)
        );
        let started = Message::from_catalogue(342001, &[]).unwrap();
        assert_eq!(filter.effective_level(&started), Some(Level::Debugging));
    }

    #[test]
    fn disabled_message_has_no_level_until_enabled() {
        let mut filter = Filter::new();
        filter.set_level(605005, Level::Errors);
        filter.disable(605005);
        assert_eq!(filter.effective_level(&login_permitted()), None);
        assert!(!filter.passes(&login_permitted(), Level::Debugging));
        filter.enable(605005);
        assert_eq!(
            filter.effective_level(&login_permitted()),
            Some(Level::Errors)
        );
    }

    #[test]
    fn resetting_to_defaults_removes_the_override() {
        let mut filter = Filter::new();
        filter.disable(111008);
        filter.enable(111008);
        assert!(filter.is_empty());
        filter.set_level(111008, Level::Errors);
        filter.reset_level(111008);
        assert!(filter.is_empty());
        filter.enable(111008);
        assert_eq!(filter.get(111008), None);
    }

    #[test]
    fn passes_compares_against_the_threshold() {
        let mut filter = Filter::new();
        let msg = login_permitted(); // informational (6)
        assert!(filter.passes(&msg, Level::Debugging));
        assert!(filter.passes(&msg, Level::Informational));
        assert!(!filter.passes(&msg, Level::Warnings));
        filter.set_level(605005, Level::Warnings);
        assert!(filter.passes(&msg, Level::Warnings));
    }

    #[test]
    fn overrides_are_listed_by_ascending_id() {
        let mut filter = Filter::new();
        filter.disable(611103);
        filter.set_level(111008, Level::Critical);
        let listed: Vec<(u32, Override)> = filter.overrides().collect();
        assert_eq!(
            listed,
            [
                (
                    111008,
                    Override {
                        level: Some(Level::Critical),
                        enabled: true
                    }
                ),
                (
                    611103,
                    Override {
                        level: None,
                        enabled: false
                    }
                ),
            ]
        );
        filter.clear();
        assert!(filter.is_empty());
    }
}
