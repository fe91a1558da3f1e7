//! One IPv6 router-advertisement prefix of an interface: the `ipv6 nd prefix` sub-command and
//! its item in `ipv6Info.nDiscoveryPrefixList`.
//!
//! The modelled subset of the ASA syntax (interface mode):
//! ```text
//! ipv6 nd prefix <ipv6-prefix>/<len> | default [<valid-lifetime> <preferred-lifetime>] [no-advertise] [off-link] [no-autoconfig]
//! ```
//! Lifetimes are seconds (0-4294967295), the preferred one not above the valid one; without
//! them the ASA advertises 2592000 / 604800. The `at <date> <date>` and `infinite` forms are
//! not modelled: such a line stays in the block untouched and the API does not show it.
//! A prefix is printed with its address in canonical form, its options in the order above;
//! one line per prefix (a new line for the same prefix replaces the old one).
//!
//! JSON item (the names a public ASA client uses, plus `prefix`):
//! `{"kind":"IPV6Prefix","prefix":{"kind":"IPv6Network","value":"2001:db8::/64"},
//! "defaultPrefix":false,"hasDuration":true,"validLifetime":3600,"preferredLifetime":1800,
//! "noAdvertise":false,"offLink":false,"noAutoconfig":false}`. `prefix` may be a bare string;
//! with `defaultPrefix` true it is ignored.

use std::net::Ipv6Addr;

use serde_json::{Map, Value};

use crate::resources::{FieldError, FieldProblem, json_bool};
use crate::words::{WordError, Words};

/// `kind` of an item of `nDiscoveryPrefixList`.
pub const KIND: &str = "IPV6Prefix";
/// The valid lifetime the ASA advertises when the line names none (30 days).
pub const DEFAULT_VALID: u32 = 2_592_000;
/// The preferred lifetime the ASA advertises when the line names none (7 days).
pub const DEFAULT_PREFERRED: u32 = 604_800;

/// What a prefix line applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefixTarget {
    /// `default`: the settings of every prefix not named by its own line.
    Default,
    /// `<address>/<len>`
    Prefix(Ipv6Addr, u8),
}

impl std::fmt::Display for PrefixTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrefixTarget::Default => f.write_str("default"),
            PrefixTarget::Prefix(a, len) => write!(f, "{a}/{len}"),
        }
    }
}

/// One `ipv6 nd prefix` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NdPrefix {
    pub target: PrefixTarget,
    /// `(valid, preferred)` seconds; `None` is the ASA's defaults.
    pub lifetimes: Option<(u32, u32)>,
    pub no_advertise: bool,
    pub off_link: bool,
    pub no_autoconfig: bool,
}

fn parse_target(word: &str) -> Option<PrefixTarget> {
    if word.eq_ignore_ascii_case("default") {
        return Some(PrefixTarget::Default);
    }
    let (a, len) = word.split_once('/')?;
    let address: Ipv6Addr = a.parse().ok()?;
    let len: u8 = len.parse().ok().filter(|l| (1..=128).contains(l))?;
    Some(PrefixTarget::Prefix(address, len))
}

impl NdPrefix {
    /// A prefix with the ASA's defaults.
    pub fn new(target: PrefixTarget) -> NdPrefix {
        NdPrefix {
            target,
            lifetimes: None,
            no_advertise: false,
            off_link: false,
            no_autoconfig: false,
        }
    }

    /// Reads the text after `ipv6 nd prefix`; word indices of errors count from the prefix.
    pub fn parse(text: &str) -> Result<NdPrefix, WordError> {
        NdPrefix::read(&mut Words::new(text))
    }

    /// Reads the prefix and its options from the cursor, to the end of the line.
    pub fn read(w: &mut Words<'_>) -> Result<NdPrefix, WordError> {
        let target = w.parse(parse_target)?;
        let mut p = NdPrefix::new(target);
        if let Some(valid) = w.peek().and_then(|v| v.parse::<u32>().ok()) {
            w.skip();
            let preferred = w.parse(|v| v.parse::<u32>().ok())?;
            if preferred > valid {
                return Err(w.bad());
            }
            p.lifetimes = Some((valid, preferred));
        }
        while w.peek().is_some() {
            let slot = match w.word()? {
                "no-advertise" => &mut p.no_advertise,
                "off-link" => &mut p.off_link,
                "no-autoconfig" => &mut p.no_autoconfig,
                _ => return Err(w.bad()),
            };
            if *slot {
                return Err(w.bad());
            }
            *slot = true;
        }
        Ok(p)
    }

    /// The sub-command, as the configuration prints it.
    pub fn line(&self) -> String {
        let mut s = format!("ipv6 nd prefix {}", self.target);
        if let Some((valid, preferred)) = self.lifetimes {
            s.push_str(&format!(" {valid} {preferred}"));
        }
        for (on, word) in [
            (self.no_advertise, "no-advertise"),
            (self.off_link, "off-link"),
            (self.no_autoconfig, "no-autoconfig"),
        ] {
            if on {
                s.push(' ');
                s.push_str(word);
            }
        }
        s
    }

    /// The line removing this prefix's line.
    pub fn removal(&self) -> String {
        format!("no ipv6 nd prefix {}", self.target)
    }

    /// The item of `nDiscoveryPrefixList`.
    pub fn to_json(&self) -> Value {
        let (valid, preferred) = self.lifetimes.unwrap_or((DEFAULT_VALID, DEFAULT_PREFERRED));
        let prefix = match self.target {
            PrefixTarget::Default => String::new(),
            t @ PrefixTarget::Prefix(..) => t.to_string(),
        };
        let mut network = Map::new();
        network.insert("kind".into(), Value::from("IPv6Network"));
        network.insert("value".into(), Value::from(prefix));
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(KIND));
        m.insert("prefix".into(), Value::Object(network));
        m.insert(
            "defaultPrefix".into(),
            Value::from(self.target == PrefixTarget::Default),
        );
        m.insert("hasDuration".into(), Value::from(self.lifetimes.is_some()));
        m.insert("validLifetime".into(), Value::from(valid));
        m.insert("preferredLifetime".into(), Value::from(preferred));
        m.insert("noAdvertise".into(), Value::from(self.no_advertise));
        m.insert("offLink".into(), Value::from(self.off_link));
        m.insert("noAutoconfig".into(), Value::from(self.no_autoconfig));
        Value::Object(m)
    }
}

const ATTR: &str = "ipv6Info.nDiscoveryPrefixList";

fn bad(attr: &str, why: String) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why))
}

fn flag(m: &Map<String, Value>, key: &str) -> Result<bool, FieldError> {
    match m.get(key).filter(|v| !v.is_null()) {
        Some(v) => json_bool(v, &format!("{ATTR}.{key}")),
        None => Ok(false),
    }
}

fn lifetime(m: &Map<String, Value>, key: &str) -> Result<Option<u32>, FieldError> {
    let attr = format!("{ATTR}.{key}");
    let n = match m.get(key).filter(|v| !v.is_null()) {
        None => return Ok(None),
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(_) => None,
    };
    let n = n.ok_or_else(|| {
        FieldError::new(
            attr.as_str(),
            FieldProblem::WrongType {
                expected: "an integer",
            },
        )
    })?;
    u32::try_from(n)
        .map(Some)
        .map_err(|_| bad(&attr, format!("{n} is outside 0-4294967295")))
}

/// Reads one item of `nDiscoveryPrefixList`.
pub fn from_json(item: &Value) -> Result<NdPrefix, FieldError> {
    let m = item.as_object().ok_or_else(|| {
        FieldError::new(
            ATTR,
            FieldProblem::WrongType {
                expected: "an array of objects",
            },
        )
    })?;
    if let Some(kind) = m.get("kind").and_then(Value::as_str)
        && !kind.is_empty()
        && kind != KIND
    {
        return Err(FieldError::new(
            format!("{ATTR}.kind"),
            FieldProblem::UnknownKind(kind.to_owned()),
        ));
    }
    let target = if flag(m, "defaultPrefix")? {
        PrefixTarget::Default
    } else {
        let attr = format!("{ATTR}.prefix");
        let raw = match m.get("prefix").filter(|v| !v.is_null()) {
            None => return Err(FieldError::new(attr, FieldProblem::Missing)),
            Some(Value::String(s)) => s.trim(),
            Some(Value::Object(p)) => match p.get("value") {
                Some(Value::String(s)) => s.trim(),
                _ => {
                    return Err(FieldError::new(
                        format!("{attr}.value"),
                        FieldProblem::Missing,
                    ));
                }
            },
            Some(_) => {
                return Err(FieldError::new(
                    attr,
                    FieldProblem::WrongType {
                        expected: "an object with kind and value",
                    },
                ));
            }
        };
        match parse_target(raw) {
            Some(t @ PrefixTarget::Prefix(..)) => t,
            _ => {
                return Err(bad(
                    &attr,
                    format!("'{raw}' is not an IPv6 prefix (address/1-128)"),
                ));
            }
        }
    };
    let valid = lifetime(m, "validLifetime")?;
    let preferred = lifetime(m, "preferredLifetime")?;
    let has_duration = match m.get("hasDuration").filter(|v| !v.is_null()) {
        Some(v) => json_bool(v, &format!("{ATTR}.hasDuration"))?,
        None => valid.is_some() || preferred.is_some(),
    };
    let lifetimes = if has_duration {
        let valid = valid.unwrap_or(DEFAULT_VALID);
        let preferred = preferred.unwrap_or(DEFAULT_PREFERRED);
        if preferred > valid {
            return Err(bad(
                &format!("{ATTR}.preferredLifetime"),
                format!("{preferred} is above the valid lifetime {valid}"),
            ));
        }
        Some((valid, preferred))
    } else {
        None
    };
    Ok(NdPrefix {
        target,
        lifetimes,
        no_advertise: flag(m, "noAdvertise")?,
        off_link: flag(m, "offLink")?,
        no_autoconfig: flag(m, "noAutoconfig")?,
    })
}

/// Reads `nDiscoveryPrefixList`: every prefix once.
pub fn list_from_json(v: &Value) -> Result<Vec<NdPrefix>, FieldError> {
    let items = v.as_array().ok_or_else(|| {
        FieldError::new(
            ATTR,
            FieldProblem::WrongType {
                expected: "an array",
            },
        )
    })?;
    let mut out: Vec<NdPrefix> = Vec::with_capacity(items.len());
    for item in items {
        let p = from_json(item)?;
        if out.iter().any(|o| o.target == p.target) {
            return Err(bad(ATTR, format!("the prefix {} appears twice", p.target)));
        }
        out.push(p);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_the_modelled_forms_and_prints_them_canonically() {
        let p = NdPrefix::parse("2001:DB8:0::/64 1000 900 off-link no-advertise").unwrap();
        assert_eq!(
            p.line(),
            "ipv6 nd prefix 2001:db8::/64 1000 900 no-advertise off-link"
        );
        assert_eq!(p.removal(), "no ipv6 nd prefix 2001:db8::/64");
        let d = NdPrefix::parse("default no-autoconfig").unwrap();
        assert_eq!(d.target, PrefixTarget::Default);
        assert_eq!(d.line(), "ipv6 nd prefix default no-autoconfig");
        assert_eq!(NdPrefix::parse(&p.line()[15..]).as_ref(), Ok(&p));
    }

    #[test]
    fn bad_words_are_located() {
        let cases = [
            ("", None),
            ("2001:db8::", Some(0)),
            ("2001:db8::/129", Some(0)),
            ("2001:db8::/64 100", None),
            ("2001:db8::/64 100 200", Some(2)),
            ("2001:db8::/64 100 x", Some(2)),
            ("2001:db8::/64 infinite", Some(1)),
            ("2001:db8::/64 off-link off-link", Some(2)),
            ("2001:db8::/64 99999999999 1", Some(1)),
        ];
        for (line, want) in cases {
            let e = NdPrefix::parse(line).expect_err(line);
            assert_eq!(e.word(), want, "{line}");
            if want.is_none() {
                assert_eq!(e, WordError::Incomplete, "{line}");
            }
        }
    }

    #[test]
    fn json_items_round_trip_and_default_the_lifetimes() {
        let p = NdPrefix {
            target: PrefixTarget::Prefix("2001:db8:1::".parse().unwrap(), 48),
            lifetimes: Some((3600, 1800)),
            no_advertise: false,
            off_link: true,
            no_autoconfig: true,
        };
        let v = p.to_json();
        assert_eq!(v["kind"], KIND);
        assert_eq!(v["prefix"]["value"], "2001:db8:1::/48");
        assert_eq!(from_json(&v), Ok(p));
        let plain = from_json(&json!({"prefix": "2001:db8::/64"})).unwrap();
        assert_eq!(plain.lifetimes, None);
        let v = plain.to_json();
        assert_eq!(v["validLifetime"], DEFAULT_VALID);
        assert_eq!(v["hasDuration"], false);
        assert_eq!(from_json(&v), Ok(plain));
        let d = from_json(
            &json!({"defaultPrefix": true, "validLifetime": 10, "preferredLifetime": "5"}),
        )
        .unwrap();
        assert_eq!(d.target, PrefixTarget::Default);
        assert_eq!(d.lifetimes, Some((10, 5)));
        assert_eq!(from_json(&d.to_json()), Ok(d));
    }

    #[test]
    fn bad_items_name_their_attribute() {
        let cases = [
            (json!("x"), "ipv6Info.nDiscoveryPrefixList"),
            (json!({}), "ipv6Info.nDiscoveryPrefixList.prefix"),
            (
                json!({"prefix": "2001:db8::/64\nno nameif"}),
                "ipv6Info.nDiscoveryPrefixList.prefix",
            ),
            (
                json!({"prefix": "default"}),
                "ipv6Info.nDiscoveryPrefixList.prefix",
            ),
            (
                json!({"prefix": "10.0.0.0/8"}),
                "ipv6Info.nDiscoveryPrefixList.prefix",
            ),
            (
                json!({"prefix": "2001:db8::/64", "validLifetime": -1}),
                "ipv6Info.nDiscoveryPrefixList.validLifetime",
            ),
            (
                json!({"prefix": "2001:db8::/64", "validLifetime": 10, "preferredLifetime": 20}),
                "ipv6Info.nDiscoveryPrefixList.preferredLifetime",
            ),
            (
                json!({"prefix": "2001:db8::/64", "offLink": "maybe"}),
                "ipv6Info.nDiscoveryPrefixList.offLink",
            ),
            (
                json!({"kind": "object#Other", "prefix": "2001:db8::/64"}),
                "ipv6Info.nDiscoveryPrefixList.kind",
            ),
        ];
        for (item, attr) in cases {
            let e = from_json(&item).expect_err(&item.to_string());
            assert_eq!(e.attribute, attr, "{item}");
        }
        let e =
            list_from_json(&json!([{"prefix": "2001:db8::/64"}, {"prefix": "2001:db8:0::/64"}]))
                .unwrap_err();
        assert!(e.to_string().contains("twice"), "{e}");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_words_never_panic(s in "\\PC{0,40}") {
            let _ = NdPrefix::parse(&s);
            let _ = from_json(&json!({"prefix": s, "validLifetime": s}));
        }
    }
}
