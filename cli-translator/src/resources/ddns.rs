//! Dynamic DNS update methods: `/api/dns/ddns/methods` (Cisco lists "Dynamic DNS" among the
//! API's features since 1.2.1 but publishes no shape: this one is ours, modelled on the CLI).
//!
//! ASA syntax:
//! ```text
//! ddns update method <name>
//!  ddns [both]
//!  interval maximum <days> <hours> <minutes> <seconds>
//! ```
//! JSON: `{"kind":"object#DDNSUpdateMethod","objectId":"m1","name":"m1","updateRecords":"both",
//! "intervalMaximum":{"days":0,"hours":4,"minutes":0,"seconds":0}}`; `updateRecords` is
//! `none` (no ` ddns` line), `a` (` ddns`) or `both` (` ddns both`); `intervalMaximum` only
//! when configured.

use serde_json::{Map, Value, json};

use super::{
    Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str, json_u32,
};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};
use crate::validate::check_object_name;

pub const RECORDS: &[&str] = &["none", "a", "both"];
/// Largest values of `interval maximum` (days, hours, minutes, seconds).
pub const INTERVAL_MAX: [u32; 4] = [364, 23, 59, 59];

pub static INTERVAL_SCHEMA: Object = Object {
    name: "DDNSInterval",
    description: "`interval maximum <days> <hours> <minutes> <seconds>`.",
    fields: &[
        Field::new(
            "days",
            Type::Int {
                min: Some(0),
                max: Some(364),
            },
            "0-364.",
        ),
        Field::new(
            "hours",
            Type::Int {
                min: Some(0),
                max: Some(23),
            },
            "0-23.",
        ),
        Field::new(
            "minutes",
            Type::Int {
                min: Some(0),
                max: Some(59),
            },
            "0-59.",
        ),
        Field::new(
            "seconds",
            Type::Int {
                min: Some(0),
                max: Some(59),
            },
            "0-59.",
        ),
    ],
    kinds: &[],
    ours: true,
};

pub static SCHEMA: Object = Object {
    name: "DDNSUpdateMethod",
    description: "A dynamic DNS update method (`ddns update method <name>`).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The method's name (the objectId).").required(),
        Field::new(
            "updateRecords",
            Type::Enum(RECORDS),
            "Records updated: `none`, `a` (` ddns`) or `both` (` ddns both`).",
        ),
        Field::new(
            "intervalMaximum",
            Type::Object(&INTERVAL_SCHEMA),
            "Longest time between updates.",
        ),
    ],
    kinds: &["object#DDNSUpdateMethod"],
    ours: true,
};

/// One `ddns update method` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DdnsMethod {
    pub name: String,
    /// `none`, `a` or `both`.
    pub records: String,
    pub interval: Option<[u32; 4]>,
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

/// Reads a sub-command of the block; `None` when it is not one.
pub fn parse_sub(line: &str) -> Option<Sub> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["ddns"] => Some(Sub::Records("a")),
        ["ddns", "both"] => Some(Sub::Records("both")),
        ["interval", "maximum", d, h, m, s] => {
            let mut v = [0u32; 4];
            for (i, w) in [d, h, m, s].iter().enumerate() {
                let n: u32 = w.parse().ok()?;
                if n > *INTERVAL_MAX.get(i)? {
                    return None;
                }
                *v.get_mut(i)? = n;
            }
            Some(Sub::Interval(v))
        }
        _ => None,
    }
}

/// A sub-command of a `ddns update method` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sub {
    Records(&'static str),
    Interval([u32; 4]),
}

impl DdnsMethod {
    fn sub_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self.records.as_str() {
            "a" => out.push(" ddns".to_owned()),
            "both" => out.push(" ddns both".to_owned()),
            _ => {}
        }
        if let Some([d, h, m, s]) = self.interval {
            out.push(format!(" interval maximum {d} {h} {m} {s}"));
        }
        out
    }
}

impl Resource for DdnsMethod {
    const KIND: &'static str = "object#DDNSUpdateMethod";
    const COLLECTION_KIND: &'static str = "collection#DDNSUpdateMethod";
    const PATH: &'static str = "/api/dns/ddns/methods";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "ddns update method ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(Self::KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert("objectId".into(), Value::from(self.name.as_str()));
        m.insert("name".into(), Value::from(self.name.as_str()));
        m.insert("updateRecords".into(), Value::from(self.records.as_str()));
        if let Some([d, h, mi, s]) = self.interval {
            m.insert(
                "intervalMaximum".into(),
                json!({"days": d, "hours": h, "minutes": mi, "seconds": s}),
            );
        }
        Value::Object(m)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, .. } => (Some(id), None),
            WriteMode::Patch { id, existing } => (Some(id), Some(existing)),
        };
        let name = match (get("name"), id) {
            (Some(v), id) => {
                let n = json_str(v, "name")?.trim();
                if id.is_some_and(|i| i != n) {
                    return Err(FieldError::new("name", FieldProblem::Mismatch));
                }
                n.to_owned()
            }
            (None, Some(id)) => id.to_owned(),
            (None, None) => return Err(FieldError::new("name", FieldProblem::Missing)),
        };
        check_object_name(&name).map_err(|e| FieldError::new("name", FieldProblem::Value(e)))?;
        let records = match (get("updateRecords"), base) {
            (Some(v), _) => {
                let r = json_str(v, "updateRecords")?.to_ascii_lowercase();
                if !RECORDS.contains(&r.as_str()) {
                    return Err(bad(
                        "updateRecords",
                        format!("'{r}' is not none, a or both"),
                    ));
                }
                r
            }
            (None, Some(b)) => b.records.clone(),
            (None, None) => "none".to_owned(),
        };
        let interval = match (get("intervalMaximum"), base) {
            (Some(v), _) => {
                let mut out = [0u32; 4];
                for (i, k) in ["days", "hours", "minutes", "seconds"].iter().enumerate() {
                    let attr = format!("intervalMaximum.{k}");
                    let n = match v.get(*k).filter(|x| !x.is_null()) {
                        Some(x) => json_u32(x, &attr)?,
                        None => 0,
                    };
                    let max = INTERVAL_MAX.get(i).copied().unwrap_or(0);
                    if n > max {
                        return Err(bad(&attr, format!("0 to {max}")));
                    }
                    if let Some(slot) = out.get_mut(i) {
                        *slot = n;
                    }
                }
                Some(out)
            }
            (None, Some(b)) if !map.contains_key("intervalMaximum") => b.interval,
            _ => None,
        };
        Ok(DdnsMethod {
            name,
            records,
            interval,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut out = vec![format!("ddns update method {}", self.name)];
        out.extend(self.sub_lines());
        out
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        let mut out = vec![format!("ddns update method {}", new.name)];
        // The old line goes first (by its exact text), then the new one.
        if old.records != new.records {
            match old.records.as_str() {
                "a" => out.push(" no ddns".to_owned()),
                "both" => out.push(" no ddns both".to_owned()),
                _ => {}
            }
            match new.records.as_str() {
                "a" => out.push(" ddns".to_owned()),
                "both" => out.push(" ddns both".to_owned()),
                _ => {}
            }
        }
        if old.interval != new.interval {
            if let Some([d, h, m, s]) = old.interval {
                out.push(format!(" no interval maximum {d} {h} {m} {s}"));
            }
            if let Some([d, h, m, s]) = new.interval {
                out.push(format!(" interval maximum {d} {h} {m} {s}"));
            }
        }
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no ddns update method {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let name = rest.trim();
        if name.is_empty() || name.contains(' ') {
            return;
        }
        let mut m = DdnsMethod {
            name: name.to_owned(),
            records: "none".to_owned(),
            interval: None,
        };
        for c in children {
            match parse_sub(c) {
                Some(Sub::Records(r)) => r.clone_into(&mut m.records),
                Some(Sub::Interval(v)) => m.interval = Some(v),
                None => {}
            }
        }
        collection.insert(m);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.ddns_methods
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.ddns_methods
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_and_json_round_trip() {
        let cfg =
            RunningConfig::parse("ddns update method m1\n ddns both\n interval maximum 0 4 0 0\n");
        let m = cfg.ddns_methods.get("m1").unwrap();
        let j = m.to_json("x");
        assert_eq!(j["updateRecords"], "both");
        assert_eq!(j["intervalMaximum"]["hours"], 4);
        assert_eq!(DdnsMethod::from_json(&j, WriteMode::Create).as_ref(), Ok(m));
        assert_eq!(
            m.cli_create(),
            [
                "ddns update method m1",
                " ddns both",
                " interval maximum 0 4 0 0"
            ]
        );
        let off = DdnsMethod::from_json(
            &json!({"updateRecords": "none"}),
            WriteMode::Patch {
                id: "m1",
                existing: m,
            },
        )
        .unwrap();
        assert_eq!(
            DdnsMethod::cli_replace(m, &off),
            ["ddns update method m1", " no ddns both"]
        );
    }

    #[test]
    fn refuses_bad_bodies() {
        for (body, attr) in [
            (json!({"name": "a b"}), "name"),
            (
                json!({"name": "m", "updateRecords": "ptr"}),
                "updateRecords",
            ),
            (
                json!({"name": "m", "intervalMaximum": {"hours": 24}}),
                "intervalMaximum.hours",
            ),
        ] {
            let e = DdnsMethod::from_json(&body, WriteMode::Create).unwrap_err();
            assert_eq!(e.attribute, attr, "{body}");
        }
        assert!(parse_sub("interval maximum 365 0 0 0").is_none());
        assert_eq!(parse_sub("ddns"), Some(Sub::Records("a")));
    }
}
