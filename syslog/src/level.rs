//! Syslog severity levels as the ASA names and numbers them.

use std::fmt;
use std::str::FromStr;

/// Severity, 0 (emergencies) to 7 (debugging). Lower is more severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Emergencies = 0,
    Alerts = 1,
    Critical = 2,
    Errors = 3,
    Warnings = 4,
    Notifications = 5,
    Informational = 6,
    Debugging = 7,
}

impl Level {
    pub const ALL: [Level; 8] = [
        Level::Emergencies,
        Level::Alerts,
        Level::Critical,
        Level::Errors,
        Level::Warnings,
        Level::Notifications,
        Level::Informational,
        Level::Debugging,
    ];

    pub fn as_u8(self) -> u8 {
        self as u8
    }

    pub fn from_u8(n: u8) -> Option<Level> {
        Level::ALL.get(usize::from(n)).copied()
    }

    /// The keyword the ASA prints (`logging buffered debugging`).
    pub fn name(self) -> &'static str {
        match self {
            Level::Emergencies => "emergencies",
            Level::Alerts => "alerts",
            Level::Critical => "critical",
            Level::Errors => "errors",
            Level::Warnings => "warnings",
            Level::Notifications => "notifications",
            Level::Informational => "informational",
            Level::Debugging => "debugging",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a word is not a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLevel(pub String);

impl fmt::Display for UnknownLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a logging level (0-7 or emergencies..debugging)",
            self.0
        )
    }
}

impl std::error::Error for UnknownLevel {}

impl FromStr for Level {
    type Err = UnknownLevel;

    /// Accepts the name or the digit, as the ASA CLI does (`logging trap 4` = `warnings`).
    fn from_str(s: &str) -> Result<Level, UnknownLevel> {
        if let Ok(n) = s.parse::<u8>() {
            return Level::from_u8(n).ok_or_else(|| UnknownLevel(s.to_owned()));
        }
        Level::ALL
            .into_iter()
            .find(|l| l.name() == s)
            .ok_or_else(|| UnknownLevel(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_digits() {
        assert_eq!("debugging".parse::<Level>(), Ok(Level::Debugging));
        assert_eq!("4".parse::<Level>(), Ok(Level::Warnings));
        assert!("8".parse::<Level>().is_err());
        assert!("loud".parse::<Level>().is_err());
        for l in Level::ALL {
            assert_eq!(l.name().parse::<Level>(), Ok(l));
        }
    }
}
