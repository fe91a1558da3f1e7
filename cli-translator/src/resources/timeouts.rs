//! Protocol timeouts: `/api/firewall/timeouts`, the singleton `object#Timeouts`.
//!
//! ASA syntax: `timeout <key> <h:mm:ss> [<key> <h:mm:ss> ...]`, several keys to a line as the
//! ASA groups them (`timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 ...`), plus
//! `timeout uauth <h:mm:ss> absolute|inactivity` and `timeout igp stale-route <h:mm:ss>`.
//! JSON: one string attribute per key, camel-cased (`conn`, `halfClosed`, `patXlate`,
//! `sipMedia`, `igpStaleRoute` ...), in the ASA's `h:mm:ss` form, and `uauthAbsolute`
//! (boolean) for the uauth mode. A PUT changes the attributes it gives; the others keep
//! their values. Each change is one `timeout <key> <value>` command.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use super::{FieldError, FieldProblem, json_bool, json_str};
use crate::schema::{Field, KIND as KIND_FIELD, Object, SELF_LINK, Type};

/// (JSON attribute, CLI key), in the order the ASA prints them.
pub const KEYS: &[(&str, &str)] = &[
    ("xlate", "xlate"),
    ("patXlate", "pat-xlate"),
    ("conn", "conn"),
    ("halfClosed", "half-closed"),
    ("udp", "udp"),
    ("sctp", "sctp"),
    ("icmp", "icmp"),
    ("sunrpc", "sunrpc"),
    ("h323", "h323"),
    ("h225", "h225"),
    ("mgcp", "mgcp"),
    ("mgcpPat", "mgcp-pat"),
    ("sip", "sip"),
    ("sipMedia", "sip_media"),
    ("sipInvite", "sip-invite"),
    ("sipDisconnect", "sip-disconnect"),
    ("sipProvisionalMedia", "sip-provisional-media"),
    ("uauth", "uauth"),
    ("tcpProxyReassembly", "tcp-proxy-reassembly"),
    ("floatingConn", "floating-conn"),
    ("connHolddown", "conn-holddown"),
    ("igpStaleRoute", "igp stale-route"),
];

/// Longest duration the ASA takes: 1193 hours.
pub const MAX_HOURS: u32 = 1193;

pub const KIND: &str = "object#Timeouts";
pub const PATH: &str = "/api/firewall/timeouts";

/// The fields of [`SCHEMA`]: `kind`, `selfLink`, one `h:mm:ss` string per key, `uauthAbsolute`.
const FIELDS: [Field; KEYS.len() + 3] = {
    let mut fields = [KIND_FIELD; KEYS.len() + 3];
    fields[1] = SELF_LINK;
    let mut i = 0;
    while i < KEYS.len() {
        fields[i + 2] = Field::new(
            KEYS[i].0,
            Type::Str,
            "Timeout of the CLI key of this name, as `h:mm:ss` (at most 1193 hours).",
        );
        i += 1;
    }
    fields[KEYS.len() + 2] = Field::new(
        "uauthAbsolute",
        Type::Bool,
        "Whether the `uauth` timeout is absolute (else inactivity).",
    );
    fields
};

/// `object#Timeouts` (keys camel-cased from the CLI).
pub static SCHEMA: Object = Object {
    name: "Timeouts",
    description: "Protocol timeouts (`timeout <key> <h:mm:ss>`); a PUT changes the keys it gives.",
    fields: &FIELDS,
    kinds: &[KIND],
    ours: true,
};

/// A duration as the ASA prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hms {
    pub hours: u32,
    pub minutes: u8,
    pub seconds: u8,
}

impl fmt::Display for Hms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{:02}:{:02}", self.hours, self.minutes, self.seconds)
    }
}

/// `h:mm:ss` (also `h:m:s`), minutes and seconds below 60, at most [`MAX_HOURS`] hours.
pub fn parse_hms(s: &str) -> Option<Hms> {
    let mut parts = s.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let digits = |p: &str, max: usize| {
        !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 4) || !digits(m, 2) || !digits(sec, 2) {
        return None;
    }
    let hms = Hms {
        hours: h.parse().ok()?,
        minutes: m.parse().ok()?,
        seconds: sec.parse().ok()?,
    };
    (hms.hours <= MAX_HOURS && hms.minutes < 60 && hms.seconds < 60).then_some(hms)
}

/// The protocol timeouts the configuration sets (keys it leaves out are absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeouts {
    /// By CLI key.
    pub values: BTreeMap<&'static str, Hms>,
    /// `absolute` (true) or `inactivity` (false) after the uauth duration, when given.
    pub uauth_absolute: Option<bool>,
}

/// A `timeout` line's (key, value) pairs and its uauth mode (`absolute` is `Some(true)`).
pub type TimeoutLine = (Vec<(&'static str, Hms)>, Option<bool>);

/// One `timeout` line read as (key, value) pairs; `None` when some word is not understood.
pub fn parse_line(text: &str) -> Option<TimeoutLine> {
    let rest = text.strip_prefix("timeout ")?;
    let mut words = rest.split_whitespace().peekable();
    let mut pairs = Vec::new();
    let mut uauth = None;
    while let Some(word) = words.next() {
        let key = if word == "igp" {
            if words.next()? != "stale-route" {
                return None;
            }
            "igp stale-route"
        } else {
            KEYS.iter().find(|(_, k)| *k == word).map(|(_, k)| *k)?
        };
        let value = parse_hms(words.next()?)?;
        if key == "uauth" {
            match words.peek().copied() {
                Some("absolute") => {
                    uauth = Some(true);
                    words.next();
                }
                Some("inactivity") => {
                    uauth = Some(false);
                    words.next();
                }
                _ => {}
            }
        }
        pairs.push((key, value));
    }
    (!pairs.is_empty()).then_some((pairs, uauth))
}

impl Timeouts {
    /// Reads one top-level `timeout` line; a line with a word not understood changes nothing.
    pub fn absorb(&mut self, text: &str) {
        if let Some((pairs, uauth)) = parse_line(text) {
            for (k, v) in pairs {
                self.values.insert(k, v);
            }
            if uauth.is_some() {
                self.uauth_absolute = uauth;
            }
        }
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        for (attr, key) in KEYS {
            if let Some(v) = self.values.get(key) {
                m.insert((*attr).into(), Value::from(v.to_string()));
            }
        }
        if let Some(abs) = self.uauth_absolute {
            m.insert("uauthAbsolute".into(), Value::from(abs));
        }
        Value::Object(m)
    }

    /// A PUT body: the attributes given replace the current values.
    pub fn from_json(body: &Value, current: &Timeouts) -> Result<Timeouts, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let mut next = current.clone();
        for (attr, key) in KEYS {
            let Some(v) = map.get(*attr).filter(|v| !v.is_null()) else {
                continue;
            };
            let text = json_str(v, attr)?;
            let hms = parse_hms(text.trim()).ok_or_else(|| {
                FieldError::new(
                    *attr,
                    FieldProblem::BadValue(format!(
                        "'{text}' is not a duration h:mm:ss (at most {MAX_HOURS} hours)"
                    )),
                )
            })?;
            next.values.insert(key, hms);
        }
        if let Some(v) = map.get("uauthAbsolute").filter(|v| !v.is_null()) {
            next.uauth_absolute = Some(json_bool(v, "uauthAbsolute")?);
        }
        Ok(next)
    }

    /// One `timeout` command per changed key.
    pub fn cli_replace(old: &Timeouts, new: &Timeouts) -> Vec<String> {
        let mut out = Vec::new();
        for (_, key) in KEYS {
            let Some(v) = new.values.get(key) else {
                continue;
            };
            let uauth_changed = *key == "uauth" && old.uauth_absolute != new.uauth_absolute;
            if old.values.get(key) == Some(v) && !uauth_changed {
                continue;
            }
            let mode = match (*key, new.uauth_absolute) {
                ("uauth", Some(true)) => " absolute",
                ("uauth", Some(false)) => " inactivity",
                _ => "",
            };
            out.push(format!("timeout {key} {v}{mode}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const DEFAULTS: &str = "\
timeout xlate 3:00:00
timeout pat-xlate 0:00:30
timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 sctp 0:02:00 icmp 0:00:02
timeout sunrpc 0:10:00 h323 0:05:00 h225 1:00:00 mgcp 0:05:00 mgcp-pat 0:05:00
timeout sip 0:30:00 sip_media 0:02:00 sip-invite 0:03:00 sip-disconnect 0:02:00
timeout sip-provisional-media 0:02:00 uauth 0:05:00 absolute
timeout tcp-proxy-reassembly 0:01:00
timeout floating-conn 0:00:00
timeout conn-holddown 0:00:15
timeout igp stale-route 0:01:10
";

    fn defaults() -> Timeouts {
        let mut t = Timeouts::default();
        for line in DEFAULTS.lines() {
            t.absorb(line);
        }
        t
    }

    #[test]
    fn reads_every_key_of_the_default_lines() {
        let t = defaults();
        assert_eq!(t.values.len(), KEYS.len());
        let j = t.to_json("https://a/api/firewall/timeouts");
        assert_eq!(j["kind"], KIND);
        assert_eq!(j["conn"], "1:00:00");
        assert_eq!(j["halfClosed"], "0:10:00");
        assert_eq!(j["sipMedia"], "0:02:00");
        assert_eq!(j["igpStaleRoute"], "0:01:10");
        assert_eq!(j["uauthAbsolute"], true);
    }

    #[test]
    fn a_line_with_an_unknown_word_changes_nothing() {
        let mut t = Timeouts::default();
        t.absorb("timeout conn 1:00:00 bogus 0:00:01");
        t.absorb("timeout conn 99:99:99");
        assert_eq!(t, Timeouts::default());
    }

    #[test]
    fn put_changes_only_what_it_gives_one_command_per_key() {
        let old = defaults();
        let new = Timeouts::from_json(
            &json!({"conn": "2:00:00", "udp": "0:2:0", "xlate": "3:00:00", "uauthAbsolute": "false"}),
            &old,
        )
        .unwrap();
        assert_eq!(
            Timeouts::cli_replace(&old, &new),
            ["timeout conn 2:00:00", "timeout uauth 0:05:00 inactivity"]
        );
        assert!(Timeouts::cli_replace(&old, &old.clone()).is_empty());
    }

    #[test]
    fn refuses_values_that_are_not_durations() {
        let old = defaults();
        for bad in [
            "1:60:00",
            "1194:00:00",
            "1:00",
            "a:00:00",
            "1:00:00\ntimeout x",
        ] {
            let e = Timeouts::from_json(&json!({ "conn": bad }), &old).unwrap_err();
            assert_eq!(e.attribute, "conn", "{bad}");
        }
        let e = Timeouts::from_json(&json!({ "conn": 5 }), &old).unwrap_err();
        assert_eq!(e.attribute, "conn");
    }

    proptest! {
        #[test]
        fn commands_read_back_as_the_values_put(h in 0u32..=MAX_HOURS, m in 0u8..60, s in 0u8..60, i in 0usize..22, abs in any::<bool>()) {
            let (attr, _) = KEYS[i % KEYS.len()];
            let old = defaults();
            let value = Hms { hours: h, minutes: m, seconds: s }.to_string();
            let new = Timeouts::from_json(&json!({ attr: value, "uauthAbsolute": abs }), &old).unwrap();
            let mut back = old.clone();
            for line in Timeouts::cli_replace(&old, &new) {
                back.absorb(&line);
            }
            prop_assert_eq!(back, new);
        }

        #[test]
        fn arbitrary_lines_never_panic(s in "timeout( [a-z:0-9_-]{0,10}){0,8}") {
            let mut t = Timeouts::default();
            t.absorb(&s);
        }
    }
}
