//! The NAT rules of a running configuration, as the agent's snapshot holds them (the `nat`
//! field of [`crate::running::RunningConfig`]): three ordered sections, each entry with its
//! rule hash. Lines the grammar does not read are kept apart (counted, never dropped silently).

use super::rule::{NatRule, Section, parse_nat_line, parse_object_nat, rule_hash};
use compact_str::CompactString;

/// One rule of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NatEntry {
    /// [`rule_hash`] of the rule.
    pub id: u32,
    /// Object NAT: the object the rule translates.
    pub object: Option<CompactString>,
    /// Boxed: entries stay small, so inserting at the top of a long section moves little memory.
    pub rule: Box<NatRule>,
}

impl NatEntry {
    pub fn new(section: Section, object: Option<String>, rule: NatRule) -> NatEntry {
        NatEntry {
            id: rule_hash(section, object.as_deref(), &rule),
            object: object.map(Into::into),
            rule: Box::new(rule),
        }
    }
}

/// Every NAT rule of a configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NatRules {
    pub before: Vec<NatEntry>,
    pub auto: Vec<NatEntry>,
    pub after: Vec<NatEntry>,
    /// `nat` lines (top-level, or inside `object network <name>` as `<name>: <line>`) this
    /// grammar does not read: not listed by the API.
    pub unmodelled: Vec<String>,
}

impl NatRules {
    pub fn section(&self, s: Section) -> &Vec<NatEntry> {
        match s {
            Section::Before => &self.before,
            Section::Auto => &self.auto,
            Section::After => &self.after,
        }
    }

    pub fn section_mut(&mut self, s: Section) -> &mut Vec<NatEntry> {
        match s {
            Section::Before => &mut self.before,
            Section::Auto => &mut self.auto,
            Section::After => &mut self.after,
        }
    }

    /// Index of the rule whose decimal id is `id` (object NAT also answers to its object's name).
    pub fn find(&self, s: Section, id: &str) -> Option<usize> {
        let entries = self.section(s);
        if let Ok(n) = id.parse::<u32>()
            && let Some(i) = entries.iter().position(|e| e.id == n)
        {
            return Some(i);
        }
        if s == Section::Auto {
            return entries.iter().position(|e| e.object.as_deref() == Some(id));
        }
        None
    }

    /// The object rule of `object`, if it has one.
    pub fn of_object(&self, object: &str) -> Option<usize> {
        self.auto
            .iter()
            .position(|e| e.object.as_deref() == Some(object))
    }

    /// Reads one top-level `nat` line.
    pub fn absorb_line(&mut self, text: &str) {
        match parse_nat_line(text) {
            Ok(l) => self
                .section_mut(l.section)
                .push(NatEntry::new(l.section, None, l.rule)),
            Err(_) => self.unmodelled.push(text.to_owned()),
        }
    }

    /// Reads the `nat` children of an `object network <name>` block (a later rule for the same
    /// object replaces the earlier one, as the ASA keeps one per object).
    pub fn absorb_object(&mut self, name: &str, children: &[&str]) {
        for child in children {
            if !(child.starts_with("nat ") || *child == "nat") {
                continue;
            }
            match parse_object_nat(child) {
                Ok(rule) => self.set_object_rule(name, rule),
                Err(_) => self.unmodelled.push(format!("{name}: {child}")),
            }
        }
    }

    // issue 13: boot
    /// [`NatRules::absorb_object`] for a configuration read in one pass: `seen` remembers
    /// where each object's rule is in `auto`, so a block costs a lookup, not a scan of every
    /// object rule before it (which made reading 100,000 object NAT rules quadratic). `auto`
    /// must only grow while `seen` is in use.
    pub fn absorb_object_indexed(
        &mut self,
        name: &str,
        children: &[&str],
        seen: &mut std::collections::HashMap<String, usize>,
    ) {
        for child in children {
            if !(child.starts_with("nat ") || *child == "nat") {
                continue;
            }
            match parse_object_nat(child) {
                Ok(rule) => {
                    let entry = NatEntry::new(Section::Auto, Some(name.to_owned()), rule);
                    match seen.get(name).and_then(|&i| self.auto.get_mut(i)) {
                        Some(slot) => *slot = entry,
                        None => {
                            seen.insert(name.to_owned(), self.auto.len());
                            self.auto.push(entry);
                        }
                    }
                }
                Err(_) => self.unmodelled.push(format!("{name}: {child}")),
            }
        }
    }

    /// Sets (or replaces) the object rule of `name`.
    pub fn set_object_rule(&mut self, name: &str, rule: NatRule) {
        let entry = NatEntry::new(Section::Auto, Some(name.to_owned()), rule);
        match self.of_object(name) {
            Some(i) => {
                if let Some(slot) = self.auto.get_mut(i) {
                    *slot = entry;
                }
            }
            None => self.auto.push(entry),
        }
    }

    /// Drops the object rule of `name` (the object went away).
    pub fn remove_object(&mut self, name: &str) {
        self.auto.retain(|e| e.object.as_deref() != Some(name));
    }

    /// Inserts a rule before `index` of its section (appends past the end).
    pub fn insert(&mut self, s: Section, index: usize, entry: NatEntry) {
        let v = self.section_mut(s);
        let at = index.min(v.len());
        v.insert(at, entry);
    }

    /// Removes the rule `id` of a section.
    pub fn remove(&mut self, s: Section, id: u32) -> Option<NatEntry> {
        let v = self.section_mut(s);
        let i = v.iter().position(|e| e.id == id)?;
        Some(v.remove(i))
    }

    /// Number of rules the API lists.
    pub fn len(&self) -> usize {
        self.before.len() + self.auto.len() + self.after.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_go_to_their_sections_and_unread_ones_are_kept_apart() {
        let mut n = NatRules::default();
        n.absorb_line("nat (inside,outside) source static a b");
        n.absorb_line("nat (inside,outside) after-auto source dynamic a interface");
        n.absorb_line("nat (inside,outside) source static a b frobnicate");
        n.absorb_object("web", &["host 10.0.0.1"]);
        n.absorb_object("web", &["nat (inside,outside) static 192.0.2.1"]);
        n.absorb_object("db", &["nat (inside,outside) static nonsense extra"]);
        assert_eq!(n.before.len(), 1);
        assert_eq!(n.after.len(), 1);
        assert_eq!(n.auto.len(), 1);
        assert_eq!(n.unmodelled.len(), 2);
        assert_eq!(n.len(), 3);
        let id = n.auto[0].id.to_string();
        assert_eq!(n.find(Section::Auto, &id), Some(0));
        assert_eq!(n.find(Section::Auto, "web"), Some(0));
        assert_eq!(n.find(Section::Before, "web"), None);
    }

    // issue 13: boot
    #[test]
    fn reading_with_an_index_gives_what_reading_by_scan_gives() {
        let blocks: [(&str, &[&str]); 5] = [
            ("web", &["nat (inside,outside) static 192.0.2.1"]),
            ("db", &["host 10.0.0.2"]),
            ("db", &["nat (inside,outside) static 192.0.2.2"]),
            ("web", &["nat (inside,outside) dynamic interface"]),
            ("app", &["nat (inside,outside) static nonsense extra"]),
        ];
        let mut scanned = NatRules::default();
        let mut indexed = NatRules::default();
        let mut seen = std::collections::HashMap::new();
        for (name, children) in blocks {
            scanned.absorb_object(name, children);
            indexed.absorb_object_indexed(name, children, &mut seen);
        }
        assert_eq!(indexed, scanned);
        assert_eq!(indexed.auto.len(), 2);
        assert_eq!(indexed.auto[0].rule.mode, crate::nat::rule::Mode::Dynamic);
    }

    #[test]
    fn an_object_keeps_one_rule() {
        let mut n = NatRules::default();
        n.absorb_object("web", &["nat (inside,outside) static 192.0.2.1"]);
        n.absorb_object("web", &["nat (inside,outside) dynamic interface"]);
        assert_eq!(n.auto.len(), 1);
        assert_eq!(n.auto[0].rule.mode, crate::nat::rule::Mode::Dynamic);
        n.remove_object("web");
        assert!(n.auto.is_empty());
    }

    #[test]
    fn insert_and_remove_by_id() {
        let mut n = NatRules::default();
        n.absorb_line("nat (a,b) source static x y");
        let first = n.before[0].id;
        let rule = parse_nat_line("nat (a,b) source static y x").unwrap().rule;
        let e = NatEntry::new(Section::Before, None, rule);
        let id = e.id;
        n.insert(Section::Before, 0, e);
        assert_eq!(n.before[0].id, id);
        assert!(n.remove(Section::Before, first).is_some());
        assert!(n.remove(Section::Before, first).is_none());
        assert_eq!(n.before.len(), 1);
    }
}
