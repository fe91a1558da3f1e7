//! Syslog transport headers: RFC 3164 (BSD) and RFC 5424 framing around the %ASA text.

use std::fmt::{self, Write as _};

use crate::message::{AsaLine, Message};
use crate::time::Timestamp;

/// The ASA's default `logging facility`: 20 (local4).
pub const DEFAULT_FACILITY: u8 = 20;

/// The highest syslog facility (local7); larger values are clamped to it.
pub const MAX_FACILITY: u8 = 23;

/// RFC 5424 caps HOSTNAME at 255 printable ASCII characters.
const MAX_HOSTNAME: usize = 255;

/// Which syslog header a line gets on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Framing {
    /// `<PRI>Mmm dd hh:mm:ss HOST MSG` (the ASA's default).
    #[default]
    Rfc3164,
    /// `<PRI>1 yyyy-mm-ddThh:mm:ssZ HOST - - - - MSG` (ASA `logging timestamp rfc5424`).
    Rfc5424,
}

/// The syslog PRI value: facility * 8 + severity, facility clamped to 0..=23.
pub fn priority(facility: u8, msg: &Message) -> u8 {
    facility.min(MAX_FACILITY) * 8 + msg.level.as_u8()
}

/// One syslog line for a host, without a trailing newline:
///
/// - RFC 3164: `<167>Nov 25 13:20:01 asa-1 %ASA-7-342001: REST API Agent started successfully.`
/// - RFC 5424: `<167>1 2026-11-25T13:20:01Z asa-1 - - - - %ASA-7-342001: ...`
///
/// With a device id the MSG part is `<device-id> : %ASA-...`, as the ASA prints it. An empty
/// hostname is sent as `-`; characters outside printable ASCII in it become `_`.
pub fn frame(
    msg: &Message,
    framing: Framing,
    facility: u8,
    hostname: &str,
    ts: Timestamp,
    device_id: Option<&str>,
) -> String {
    let line = AsaLine {
        msg,
        timestamp: None,
        device_id,
    };
    let host = Hostname(hostname);
    let pri = priority(facility, msg);
    let mut out = String::with_capacity(64 + msg.body.len());
    // Writing into a String cannot fail.
    let _ = match framing {
        Framing::Rfc3164 => write!(out, "<{pri}>{} {host} {line}", ts.rfc3164()),
        Framing::Rfc5424 => write!(out, "<{pri}>1 {} {host} - - - - {line}", ts.rfc5424()),
    };
    out
}

/// A hostname made safe for a syslog header field.
#[derive(Debug, Clone, Copy)]
struct Hostname<'a>(&'a str);

impl fmt::Display for Hostname<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_char('-');
        }
        for c in self.0.chars().take(MAX_HOSTNAME) {
            f.write_char(if c.is_ascii_graphic() { c } else { '_' })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::Level;
    use proptest::prelude::*;

    const CLOCK: Timestamp = Timestamp(1_795_612_801); // 2026-11-25T13:20:01Z

    fn started() -> Message {
        Message::from_catalogue(342001, &[]).unwrap()
    }

    #[test]
    fn rfc3164_golden_line() {
        // PRI = 20 * 8 + 7 = 167.
        assert_eq!(
            frame(
                &started(),
                Framing::Rfc3164,
                DEFAULT_FACILITY,
                "asa-1",
                CLOCK,
                None
            ),
            "<167>Nov 25 13:20:01 asa-1 %ASA-7-342001: REST API Agent started successfully."
        );
    }

    #[test]
    fn rfc5424_golden_line() {
        assert_eq!(
            frame(
                &started(),
                Framing::Rfc5424,
                DEFAULT_FACILITY,
                "asa-1",
                CLOCK,
                None
            ),
            "<167>1 2026-11-25T13:20:01Z asa-1 - - - - %ASA-7-342001: REST API Agent started successfully."
        );
    }

    #[test]
    fn device_id_prefixes_the_message_part() {
        let msg = Message::from_catalogue(342002, &["crash"]).unwrap();
        // PRI = 21 * 8 + 3 = 171.
        assert_eq!(
            frame(&msg, Framing::Rfc3164, 21, "asa-1", CLOCK, Some("ctx-a")),
            "<171>Nov 25 13:20:01 asa-1 ctx-a : %ASA-3-342002: REST API Agent failed, reason: crash"
        );
        assert_eq!(
            frame(&msg, Framing::Rfc5424, 21, "asa-1", CLOCK, Some("ctx-a")),
            "<171>1 2026-11-25T13:20:01Z asa-1 - - - - ctx-a : %ASA-3-342002: REST API Agent failed, reason: crash"
        );
    }

    #[test]
    fn single_digit_day_is_space_padded_in_rfc3164() {
        let ts = Timestamp(CLOCK.0 - 23 * 86_400); // 2026-11-02
        let line = frame(&started(), Framing::Rfc3164, 16, "fw", ts, None);
        assert_eq!(
            line,
            "<135>Nov  2 13:20:01 fw %ASA-7-342001: REST API Agent started successfully."
        );
    }

    #[test]
    fn priority_combines_facility_and_severity() {
        let msg = Message::new(1, Level::Emergencies, "x");
        assert_eq!(priority(0, &msg), 0);
        assert_eq!(priority(23, &msg.clone().with_level(Level::Debugging)), 191);
        assert_eq!(priority(200, &msg), 184, "facility is clamped to local7");
    }

    #[test]
    fn hostname_is_sanitised() {
        let line = frame(&started(), Framing::Rfc5424, 20, "", CLOCK, None);
        assert!(line.starts_with("<167>1 2026-11-25T13:20:01Z - - - - - %ASA-7-342001"));
        let line = frame(&started(), Framing::Rfc3164, 20, "a b\nc", CLOCK, None);
        assert!(line.starts_with("<167>Nov 25 13:20:01 a_b_c %ASA"));
    }

    proptest! {
        #[test]
        fn framed_lines_are_single_lines(
            body in any::<String>(),
            host in any::<String>(),
            dev in proptest::option::of(any::<String>()),
            facility in any::<u8>(),
            level in 0u8..8,
            secs in any::<i64>(),
            rfc5424 in any::<bool>(),
        ) {
            let level = Level::from_u8(level).unwrap();
            let msg = Message::new(342002, level, body);
            let framing = if rfc5424 { Framing::Rfc5424 } else { Framing::Rfc3164 };
            let line = frame(&msg, framing, facility, &host, Timestamp(secs), dev.as_deref());
            prop_assert!(!line.contains(char::is_control));
            let pri = u16::from(facility.min(23)) * 8 + u16::from(level.as_u8());
            let prefix = format!("<{pri}>");
            prop_assert!(line.starts_with(&prefix));
        }
    }
}
