//! One %ASA message and its ASA text form: `[timestamp ][device-id ]: %ASA-<level>-<id>: <body>`.

use std::fmt;

use crate::catalogue::{lookup, render};
use crate::level::Level;
use crate::time::Timestamp;

/// A message ready to print. `body` is the text after `%ASA-<level>-<id>: `.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Message {
    pub id: u32,
    pub level: Level,
    pub body: String,
}

impl Message {
    pub fn new(id: u32, level: Level, body: impl Into<String>) -> Message {
        Message {
            id,
            level,
            body: body.into(),
        }
    }

    /// The catalogued message `id` at its default level, its format filled with `args`
    /// (see [`render`]); `None` for an id the catalogue does not hold.
    pub fn from_catalogue(id: u32, args: &[&str]) -> Option<Message> {
        let def = lookup(id)?;
        Some(Message::new(def.id, def.level, render(def, args)))
    }

    /// The same message at another level (a `logging message <id> level <l>` override).
    pub fn with_level(self, level: Level) -> Message {
        Message { level, ..self }
    }
}

/// `%ASA-7-342001: REST API Agent started successfully.` (control characters in the body escaped).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "%ASA-{}-{}: ", self.level.as_u8(), self.id)?;
        write_escaped(f, &self.body)
    }
}

/// What the ASA puts before the message: `logging timestamp` and `logging device-id`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormatOptions {
    pub timestamp: Option<Timestamp>,
    /// An empty string is treated as no device id.
    pub device_id: Option<String>,
}

/// The message as the ASA prints it in its buffer, console and (unframed) to hosts:
///
/// - `%ASA-7-342001: REST API Agent started successfully.`
/// - with a timestamp: `Nov 25 2026 13:20:01: %ASA-7-342001: ...`
/// - with a device id: `asa-1 : %ASA-7-342001: ...`
/// - with both: `Nov 25 2026 13:20:01 asa-1 : %ASA-7-342001: ...`
pub fn format_asa(msg: &Message, opts: &FormatOptions) -> String {
    AsaLine {
        msg,
        timestamp: opts.timestamp,
        device_id: opts.device_id.as_deref(),
    }
    .to_string()
}

/// The ASA text form without allocation, shared with the RFC framers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AsaLine<'a> {
    pub msg: &'a Message,
    pub timestamp: Option<Timestamp>,
    pub device_id: Option<&'a str>,
}

impl fmt::Display for AsaLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let device_id = self.device_id.filter(|d| !d.is_empty());
        match (self.timestamp, device_id) {
            (Some(ts), Some(dev)) => {
                write!(f, "{} ", ts.asa())?;
                write_escaped(f, dev)?;
                f.write_str(" : ")?;
            }
            (Some(ts), None) => write!(f, "{}: ", ts.asa())?,
            (None, Some(dev)) => {
                write_escaped(f, dev)?;
                f.write_str(" : ")?;
            }
            (None, None) => {}
        }
        write!(f, "{}", self.msg)
    }
}

/// Writes `text` with every control character (newline, carriage return, escape, ...) replaced by
/// its Rust escape (`\n`, `\r`, `\u{1b}`), so no argument can forge a second log line.
pub(crate) fn write_escaped(out: &mut impl fmt::Write, text: &str) -> fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(char::is_control) {
        let (clean, tail) = rest.split_at(at);
        out.write_str(clean)?;
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            for e in c.escape_default() {
                out.write_char(e)?;
            }
        }
        rest = chars.as_str();
    }
    out.write_str(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn started() -> Message {
        Message::from_catalogue(342001, &[]).unwrap()
    }

    #[test]
    fn prints_bare_message() {
        assert_eq!(
            format_asa(&started(), &FormatOptions::default()),
            "%ASA-7-342001: REST API Agent started successfully."
        );
        assert_eq!(
            started().to_string(),
            "%ASA-7-342001: REST API Agent started successfully."
        );
    }

    #[test]
    fn timestamp_is_followed_by_a_colon() {
        let opts = FormatOptions {
            timestamp: Some(Timestamp(1_795_612_801)),
            device_id: None,
        };
        assert_eq!(
            format_asa(&started(), &opts),
            "Nov 25 2026 13:20:01: %ASA-7-342001: REST API Agent started successfully."
        );
    }

    #[test]
    fn device_id_alone_is_followed_by_space_colon() {
        let opts = FormatOptions {
            timestamp: None,
            device_id: Some("HQ-ASA".to_owned()),
        };
        assert_eq!(
            format_asa(&started(), &opts),
            "HQ-ASA : %ASA-7-342001: REST API Agent started successfully."
        );
    }

    #[test]
    fn timestamp_comes_before_device_id() {
        let opts = FormatOptions {
            timestamp: Some(Timestamp(1_795_612_801)),
            device_id: Some("HQ-ASA".to_owned()),
        };
        let msg = Message::from_catalogue(342002, &["process exited"]).unwrap();
        assert_eq!(
            format_asa(&msg, &opts),
            "Nov 25 2026 13:20:01 HQ-ASA : %ASA-3-342002: REST API Agent failed, reason: process exited"
        );
    }

    #[test]
    fn empty_device_id_is_no_device_id() {
        let opts = FormatOptions {
            timestamp: None,
            device_id: Some(String::new()),
        };
        assert_eq!(
            format_asa(&started(), &opts),
            "%ASA-7-342001: REST API Agent started successfully."
        );
    }

    #[test]
    fn newline_in_an_argument_cannot_forge_a_second_line() {
        let msg = Message::from_catalogue(611103, &["bob\n%ASA-1-000000: fake\r\x1b"]).unwrap();
        let line = format_asa(&msg, &FormatOptions::default());
        assert_eq!(
            line,
            "%ASA-5-611103: User logged out: Uname: bob\\n%ASA-1-000000: fake\\r\\u{1b}"
        );
    }

    #[test]
    fn unknown_id_is_not_in_the_catalogue() {
        assert_eq!(Message::from_catalogue(999_999, &[]), None);
    }

    #[test]
    fn level_override_changes_the_printed_level() {
        let msg = started().with_level(Level::Errors);
        assert!(msg.to_string().starts_with("%ASA-3-342001: "));
    }

    proptest! {
        #[test]
        fn formatted_lines_never_contain_control_characters(
            body in any::<String>(),
            dev in proptest::option::of(any::<String>()),
            ts in proptest::option::of(any::<i64>()),
        ) {
            let msg = Message::new(605004, Level::Informational, body);
            let opts = FormatOptions { timestamp: ts.map(Timestamp), device_id: dev };
            let line = format_asa(&msg, &opts);
            prop_assert!(!line.contains(char::is_control));
            prop_assert!(line.contains("%ASA-6-605004: "));
        }
    }
}
