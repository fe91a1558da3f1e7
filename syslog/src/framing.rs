//! Syslog transport headers: RFC 3164 (BSD) and RFC 5424 framing around the %ASA text.

use std::fmt::{self, Write as _};

use crate::message::{AsaLine, Message, write_escaped};
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
    /// `<PRI>yyyy-mm-ddThh:mm:ssZ HOST : MSG` (ASA `logging timestamp rfc5424`).
    ///
    /// Not RFC 5424's own header (no VERSION digit, no `- - - -` fields): the ASA sends the
    /// RFC 5424 timestamp in its BSD-style header. Source: Cisco, "Cisco ASA Series Syslog
    /// Messages", What's New (9.10(1), RFC 5424 timestamp logging), sample
    /// `<166>2018-06-27T12:17:46Z asa : %ASA-6-110002: ...`.
    Rfc5424,
    /// Cisco EMBLEM (`logging host ... format emblem`):
    /// `<PRI>:Mmm dd hh:mm:ss UTC[ <device-id>]: %ASA-<class>-<level>-<id>: text`.
    ///
    /// Layout taken from EMBLEM lines captured from ASAs in a public ASA log parser's test
    /// data (Scala parser spec, e.g. `<166>:Jan 15 02:19:08 MSK: %ASA-sys-6-605005: Login
    /// permitted ...`, `<165>:Aug 30 12:26:30 MSK: %ASA-config-5-111008: ...`,
    /// `<164>:Jan 14 17:19:04 MSK 10.113.219.101: %ASA-session-4-106023: ...`) and the
    /// Apache NiFi `CiscoEmblemSyslogMessageReader` documentation (EMBLEM is RFC 3164 with
    /// the message prefixed by facility, level and number). The class names are the ASA
    /// syslog guide's "Message Classes and Range of Syslog IDs" (see [`message_class`]); the
    /// zone is always `UTC` here (lina-sim keeps UTC). Unverified against a live ASA.
    Emblem,
}

/// The ASA message class of a syslog id (the EMBLEM tag's middle word), from the first
/// three digits as the ASA syslog guide's class table lists them; `None` for an id whose
/// class that table does not give (the tag is then the plain `%ASA-<level>-<id>`).
pub fn message_class(id: u32) -> Option<&'static str> {
    Some(match id / 1000 {
        109 | 113 => "auth",
        110 | 220 => "bridge",
        717 => "ca",
        111 | 112 | 208 | 308 => "config",
        101..=105 | 210 | 311 | 709 => "ha",
        209 | 215 | 313 | 317 | 408 => "ip",
        400 | 401 | 420 => "ips",
        325 => "ipv6",
        319 => "np",
        318 | 409 | 503 | 613 => "ospf",
        107 | 312 => "rip",
        321 => "rm",
        106 | 108 | 201 | 202 | 204 | 302 | 303 | 304 | 305 | 314 | 405 | 406 | 407 | 500 | 502
        | 607 | 608 | 609 | 616 | 620 | 703 | 710 => "session",
        212 => "snmp",
        725 => "ssl",
        722 => "svc",
        199 | 211 | 214 | 216 | 306 | 307 | 315 | 414 | 604 | 605 | 606 | 610 | 612 | 614 | 615
        | 701 | 711 | 741 => "sys",
        213 | 403 | 603 => "vpdn",
        316 | 320 | 402 | 404 | 501 | 602 | 702 | 713 | 714 | 715 => "vpn",
        611 => "vpnc",
        720 => "vpnfo",
        718 => "vpnlb",
        721 => "webfo",
        716 => "webvpn",
        _ => return None,
    })
}

/// The syslog PRI value: facility * 8 + severity, facility clamped to 0..=23.
pub fn priority(facility: u8, msg: &Message) -> u8 {
    facility.min(MAX_FACILITY) * 8 + msg.level.as_u8()
}

/// One syslog line for a host, without a trailing newline:
///
/// - RFC 3164: `<167>Nov 25 13:20:01 asa-1 %ASA-7-342001: REST API Agent started successfully.`
/// - RFC 5424 timestamp: `<167>2026-11-25T13:20:01Z asa-1 : %ASA-7-342001: ...`
/// - EMBLEM: `<167>:Nov 25 13:20:01 UTC: %ASA-7-342001: ...`
///
/// With a device id the RFC 3164 MSG part is `<device-id> : %ASA-...`, as the ASA prints it;
/// the RFC 5424 form puts the device id in the host's place, EMBLEM before its colon. An empty
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
        Framing::Rfc5424 => {
            // The device id, when set, takes the host's place (`asa :` in Cisco's sample).
            let who = Hostname(device_id.filter(|d| !d.is_empty()).unwrap_or(hostname));
            let bare = AsaLine {
                device_id: None,
                ..line
            };
            write!(out, "<{pri}>{} {who} : {bare}", ts.rfc5424())
        }
        Framing::Emblem => emblem(&mut out, pri, msg, ts, device_id),
    };
    out
}

/// The EMBLEM form after `<PRI>` (see [`Framing::Emblem`]).
fn emblem(
    out: &mut String,
    pri: u8,
    msg: &Message,
    ts: Timestamp,
    device_id: Option<&str>,
) -> fmt::Result {
    let t = ts.civil();
    write!(
        out,
        "<{pri}>:{} {:02} {:02}:{:02}:{:02} UTC",
        t.month_name(),
        t.day,
        t.hour,
        t.minute,
        t.second
    )?;
    if let Some(d) = device_id.filter(|d| !d.is_empty()) {
        write!(out, " {}", Hostname(d))?;
    }
    out.push_str(": %ASA-");
    if let Some(class) = message_class(msg.id) {
        write!(out, "{class}-")?;
    }
    write!(out, "{}-{}: ", msg.level.as_u8(), msg.id)?;
    write_escaped(out, &msg.body)
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
            "<167>2026-11-25T13:20:01Z asa-1 : %ASA-7-342001: REST API Agent started successfully."
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
            "<171>2026-11-25T13:20:01Z ctx-a : %ASA-3-342002: REST API Agent failed, reason: crash"
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
    fn emblem_golden_lines() {
        // 605005 is in class sys (605), 111008 in config (111); 342001 has no listed class.
        let token = Message::new(605005, Level::Informational, "Login permitted");
        assert_eq!(
            frame(&token, Framing::Emblem, 20, "asa-1", CLOCK, None),
            "<166>:Nov 25 13:20:01 UTC: %ASA-sys-6-605005: Login permitted"
        );
        let cmd = Message::new(111008, Level::Notifications, "User 'enable_15' executed");
        assert_eq!(
            frame(&cmd, Framing::Emblem, 20, "asa-1", CLOCK, Some("10.0.0.1")),
            "<165>:Nov 25 13:20:01 UTC 10.0.0.1: %ASA-config-5-111008: User 'enable_15' executed"
        );
        let ts = Timestamp(CLOCK.0 - 23 * 86_400); // 2026-11-02: the day is zero-padded
        assert_eq!(
            frame(&started(), Framing::Emblem, 20, "asa-1", ts, None),
            "<167>:Nov 02 13:20:01 UTC: %ASA-7-342001: REST API Agent started successfully."
        );
    }

    #[test]
    fn message_classes_follow_the_id_ranges() {
        assert_eq!(message_class(302013), Some("session"));
        assert_eq!(message_class(106023), Some("session"));
        assert_eq!(message_class(611101), Some("vpnc"));
        assert_eq!(message_class(113004), Some("auth"));
        assert_eq!(message_class(342001), None);
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
        assert!(line.starts_with("<167>2026-11-25T13:20:01Z - : %ASA-7-342001"));
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
            framing in 0u8..3,
        ) {
            let level = Level::from_u8(level).unwrap();
            let msg = Message::new(342002, level, body);
            let framing = [Framing::Rfc3164, Framing::Rfc5424, Framing::Emblem][usize::from(framing)];
            let line = frame(&msg, framing, facility, &host, Timestamp(secs), dev.as_deref());
            prop_assert!(!line.contains(char::is_control));
            let pri = u16::from(facility.min(23)) * 8 + u16::from(level.as_u8());
            let prefix = format!("<{pri}>");
            prop_assert!(line.starts_with(&prefix));
        }
    }
}
