//! Agent life-cycle and debug values carried by the LINA protocol: the control LINA pushes to
//! the daemon (`rest-api agent` / `no rest-api agent` / a restart), the `debug rest-api`
//! categories and levels, the set of them some console session wants, and one debug line.

use std::fmt;
use std::str::FromStr;

/// What LINA asks of the daemon that supervises the agent process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgentControl {
    /// `rest-api agent`: run the agent process (nothing happens if it runs).
    Start,
    /// `no rest-api agent`: stop it; requests get 503 until a `Start`.
    Stop,
    /// Stop it and start a fresh one (a context-mode switch, say); a disabled agent stays
    /// disabled.
    Restart,
}

impl AgentControl {
    pub fn code(self) -> u8 {
        match self {
            AgentControl::Start => 0,
            AgentControl::Stop => 1,
            AgentControl::Restart => 2,
        }
    }

    pub fn from_code(code: u8) -> Option<AgentControl> {
        match code {
            0 => Some(AgentControl::Start),
            1 => Some(AgentControl::Stop),
            2 => Some(AgentControl::Restart),
            _ => None,
        }
    }
}

/// `debug rest-api <category>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DebugCategory {
    /// REST API Agent operations.
    Agent,
    /// CLI daemon to agent communications.
    Cli,
    /// Message routing between a REST client and the agent.
    Client,
    /// Daemon to agent communications.
    Daemon,
    /// Agent start/stop processing.
    Process,
    /// Token authentication.
    TokenAuth,
}

impl DebugCategory {
    pub const ALL: [DebugCategory; 6] = [
        DebugCategory::Agent,
        DebugCategory::Cli,
        DebugCategory::Client,
        DebugCategory::Daemon,
        DebugCategory::Process,
        DebugCategory::TokenAuth,
    ];

    /// The CLI keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            DebugCategory::Agent => "agent",
            DebugCategory::Cli => "cli",
            DebugCategory::Client => "client",
            DebugCategory::Daemon => "daemon",
            DebugCategory::Process => "process",
            DebugCategory::TokenAuth => "token-auth",
        }
    }

    pub fn code(self) -> u8 {
        match self {
            DebugCategory::Agent => 0,
            DebugCategory::Cli => 1,
            DebugCategory::Client => 2,
            DebugCategory::Daemon => 3,
            DebugCategory::Process => 4,
            DebugCategory::TokenAuth => 5,
        }
    }

    pub fn from_code(code: u8) -> Option<DebugCategory> {
        DebugCategory::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl fmt::Display for DebugCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// Not a `debug rest-api` category or level keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKeyword(pub String);

impl fmt::Display for UnknownKeyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown debug keyword '{}'", self.0)
    }
}

impl std::error::Error for UnknownKeyword {}

impl FromStr for DebugCategory {
    type Err = UnknownKeyword;

    /// The exact keyword, case-insensitive.
    fn from_str(s: &str) -> Result<DebugCategory, UnknownKeyword> {
        DebugCategory::ALL
            .into_iter()
            .find(|c| c.keyword().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownKeyword(s.to_owned()))
    }
}

/// `debug rest-api <category> event|error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DebugLevel {
    Event,
    Error,
}

impl DebugLevel {
    pub const ALL: [DebugLevel; 2] = [DebugLevel::Event, DebugLevel::Error];

    pub fn keyword(self) -> &'static str {
        match self {
            DebugLevel::Event => "event",
            DebugLevel::Error => "error",
        }
    }

    pub fn code(self) -> u8 {
        match self {
            DebugLevel::Event => 0,
            DebugLevel::Error => 1,
        }
    }

    pub fn from_code(code: u8) -> Option<DebugLevel> {
        DebugLevel::ALL.into_iter().find(|l| l.code() == code)
    }
}

impl fmt::Display for DebugLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

impl FromStr for DebugLevel {
    type Err = UnknownKeyword;

    fn from_str(s: &str) -> Result<DebugLevel, UnknownKeyword> {
        DebugLevel::ALL
            .into_iter()
            .find(|l| l.keyword().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownKeyword(s.to_owned()))
    }
}

/// A set of (category, level) pairs: one bit each, 12 bits in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DebugSet(u16);

impl DebugSet {
    pub const EMPTY: DebugSet = DebugSet(0);

    fn bit(category: DebugCategory, level: DebugLevel) -> u16 {
        1 << (category.code() * 2 + level.code())
    }

    /// Every pair.
    pub fn all() -> DebugSet {
        DebugSet((1 << 12) - 1)
    }

    /// The bits as sent; bits above the twelfth are dropped.
    pub fn from_bits(bits: u16) -> DebugSet {
        DebugSet(bits & DebugSet::all().0)
    }

    pub fn bits(self) -> u16 {
        self.0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, category: DebugCategory, level: DebugLevel) -> bool {
        self.0 & DebugSet::bit(category, level) != 0
    }

    pub fn insert(&mut self, category: DebugCategory, level: DebugLevel) {
        self.0 |= DebugSet::bit(category, level);
    }

    pub fn remove(&mut self, category: DebugCategory, level: DebugLevel) {
        self.0 &= !DebugSet::bit(category, level);
    }

    pub fn union(self, other: DebugSet) -> DebugSet {
        DebugSet(self.0 | other.0)
    }

    /// The pairs in the set, category order then level order.
    pub fn pairs(self) -> impl Iterator<Item = (DebugCategory, DebugLevel)> {
        DebugCategory::ALL.into_iter().flat_map(move |c| {
            DebugLevel::ALL
                .into_iter()
                .filter(move |l| self.contains(c, *l))
                .map(move |l| (c, l))
        })
    }
}

/// One debug line the agent (or the daemon) emits for the consoles that asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebugLine {
    pub category: DebugCategory,
    pub level: DebugLevel,
    pub text: String,
}

impl fmt::Display for DebugLine {
    /// `rest-api client event: GET /api/objects/networkobjects`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rest-api {} {}: {}",
            self.category, self.level, self.text
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keywords_parse_back() {
        for c in DebugCategory::ALL {
            assert_eq!(c.keyword().parse::<DebugCategory>(), Ok(c));
            assert_eq!(DebugCategory::from_code(c.code()), Some(c));
        }
        for l in DebugLevel::ALL {
            assert_eq!(l.keyword().to_uppercase().parse::<DebugLevel>(), Ok(l));
        }
        assert!("http".parse::<DebugCategory>().is_err());
        assert_eq!(AgentControl::from_code(3), None);
    }

    #[test]
    fn a_set_holds_each_pair_on_its_own() {
        let mut s = DebugSet::EMPTY;
        s.insert(DebugCategory::TokenAuth, DebugLevel::Error);
        assert!(s.contains(DebugCategory::TokenAuth, DebugLevel::Error));
        assert!(!s.contains(DebugCategory::TokenAuth, DebugLevel::Event));
        assert_eq!(
            s.pairs().collect::<Vec<_>>(),
            [(DebugCategory::TokenAuth, DebugLevel::Error)]
        );
        s.remove(DebugCategory::TokenAuth, DebugLevel::Error);
        assert!(s.is_empty());
        assert_eq!(DebugSet::all().pairs().count(), 12);
    }

    proptest! {
        #[test]
        fn bits_round_trip_within_twelve(bits in any::<u16>()) {
            let s = DebugSet::from_bits(bits);
            prop_assert_eq!(DebugSet::from_bits(s.bits()), s);
            prop_assert!(s.bits() < 1 << 12);
        }
    }
}
