//! Connection limits of a policy-map class: `/api/servicepolicy/connectionlimits`, kind
//! `object#ConnectionLimit` (the shape is ours: no public client or capture gives Cisco's).
//!
//! ASA syntax, under `policy-map <p>` / ` class <c>`:
//! ```text
//!   set connection [conn-max n] [embryonic-conn-max n] [per-client-embryonic-max n] [per-client-max n] [random-sequence-number enable|disable]
//!   set connection timeout [embryonic h:mm:ss] [half-closed h:mm:ss] [idle h:mm:ss]
//!   no set connection / no set connection timeout
//! ```
//! One item per class that has any: its objectId is `<policy map>~<class>` (`~` cannot occur
//! in either name). JSON: `{"kind":"object#ConnectionLimit","objectId":"global_policy~web",
//! "policyMap":"global_policy","className":"web","maxConnections":1000,
//! "maxEmbryonicConnections":500,"idleTimeout":"1:00:00"}`.

use serde_json::{Map, Value};

use super::policy_map::parse_block;
use super::service_policy::{bad, body_map, check_map_name};
use super::{
    Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_bool, json_str,
    json_u32,
};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};

/// The largest connection count the ASA takes.
pub const MAX_CONNECTIONS: u32 = 2_000_000;

/// The limit keywords, in the order the ASA prints them, with their JSON names.
const LIMITS: [(&str, &str); 4] = [
    ("conn-max", "maxConnections"),
    ("embryonic-conn-max", "maxEmbryonicConnections"),
    (
        "per-client-embryonic-max",
        "perClientMaxEmbryonicConnections",
    ),
    ("per-client-max", "perClientMaxConnections"),
];

/// The timeout keywords, in the order the ASA prints them, with their JSON names.
const TIMEOUTS: [(&str, &str); 3] = [
    ("embryonic", "embryonicTimeout"),
    ("half-closed", "halfClosedTimeout"),
    ("idle", "idleTimeout"),
];

/// The `set connection` settings of one class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionLimit {
    /// `<policy map>~<class>`.
    pub id: String,
    pub policy_map: String,
    pub class: String,
    /// Indexed as [`LIMITS`].
    pub limits: [Option<u32>; 4],
    pub random_sequence_number: Option<bool>,
    /// Indexed as [`TIMEOUTS`].
    pub timeouts: [Option<String>; 3],
}

/// `h:mm:ss` (hours up to 1193) or `0`.
pub fn is_duration(t: &str) -> bool {
    if t == "0" {
        return true;
    }
    let parts: Vec<&str> = t.split(':').collect();
    let [h, m, s] = parts.as_slice() else {
        return false;
    };
    let num = |p: &str, max: u32| {
        !p.is_empty() && p.len() <= 4 && p.parse::<u32>().is_ok_and(|n| n <= max)
    };
    num(h, 1193) && m.len() == 2 && num(m, 59) && s.len() == 2 && num(s, 59)
}

impl ConnectionLimit {
    fn new(policy_map: &str, class: &str) -> ConnectionLimit {
        ConnectionLimit {
            id: format!("{policy_map}~{class}"),
            policy_map: policy_map.to_owned(),
            class: class.to_owned(),
            limits: [None; 4],
            random_sequence_number: None,
            timeouts: [None, None, None],
        }
    }

    fn is_empty(&self) -> bool {
        self.limits.iter().all(Option::is_none)
            && self.random_sequence_number.is_none()
            && self.timeouts.iter().all(Option::is_none)
    }

    /// `set connection ...` (limits), when any is set.
    fn limits_line(&self) -> Option<String> {
        let mut s = String::from("set connection");
        for ((kw, _), v) in LIMITS.iter().zip(self.limits) {
            if let Some(v) = v {
                s.push_str(&format!(" {kw} {v}"));
            }
        }
        if let Some(r) = self.random_sequence_number {
            let r = if r { "enable" } else { "disable" };
            s.push_str(&format!(" random-sequence-number {r}"));
        }
        (s.len() > "set connection".len()).then_some(s)
    }

    /// `set connection timeout ...`, when any is set.
    fn timeouts_line(&self) -> Option<String> {
        let mut s = String::from("set connection timeout");
        for ((kw, _), v) in TIMEOUTS.iter().zip(&self.timeouts) {
            if let Some(v) = v {
                s.push_str(&format!(" {kw} {v}"));
            }
        }
        (s.len() > "set connection timeout".len()).then_some(s)
    }

    /// Reads a `set connection` line into `self`; `false` when it does not read.
    fn absorb_line(&mut self, line: &str) -> bool {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["set", "connection", "timeout", rest @ ..] => {
                let mut i = 0;
                while let Some(kw) = rest.get(i) {
                    let Some(slot) = TIMEOUTS.iter().position(|(k, _)| k == kw) else {
                        return false;
                    };
                    let Some(v) = rest.get(i + 1).filter(|v| is_duration(v)) else {
                        return false;
                    };
                    self.timeouts[slot] = Some((*v).to_owned());
                    i += 2;
                }
                true
            }
            ["set", "connection", rest @ ..] => {
                let mut i = 0;
                while let Some(kw) = rest.get(i) {
                    let value = rest.get(i + 1);
                    if *kw == "random-sequence-number" {
                        self.random_sequence_number = match value {
                            Some(&"enable") => Some(true),
                            Some(&"disable") => Some(false),
                            _ => return false,
                        };
                    } else {
                        let Some(slot) = LIMITS.iter().position(|(k, _)| k == kw) else {
                            return false;
                        };
                        let Some(n) = value.and_then(|v| v.parse::<u32>().ok()) else {
                            return false;
                        };
                        self.limits[slot] = Some(n);
                    }
                    i += 2;
                }
                true
            }
            _ => false,
        }
    }

    fn enter(&self) -> Vec<String> {
        vec![
            format!("policy-map {}", self.policy_map),
            format!(" class {}", self.class),
        ]
    }
}

/// `object#ConnectionLimit`.
pub static SCHEMA: Object = Object {
    name: "ConnectionLimit",
    description: "Connection limits and timeouts of one policy-map class (`set connection`).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "policyMap",
            Type::Str,
            "The policy map (`/api/servicepolicy/policymaps`).",
        )
        .required(),
        Field::new(
            "className",
            Type::Str,
            "The class of the policy map (a class map, or `class-default`).",
        )
        .required(),
        Field::new(
            "maxConnections",
            Type::Int {
                min: Some(0),
                max: Some(MAX_CONNECTIONS as i64),
            },
            "conn-max: simultaneous connections (0: no limit).",
        ),
        Field::new(
            "maxEmbryonicConnections",
            Type::Int {
                min: Some(0),
                max: Some(MAX_CONNECTIONS as i64),
            },
            "embryonic-conn-max: half-open connections (0: no limit).",
        ),
        Field::new(
            "perClientMaxEmbryonicConnections",
            Type::Int {
                min: Some(0),
                max: Some(MAX_CONNECTIONS as i64),
            },
            "per-client-embryonic-max (0: no limit).",
        ),
        Field::new(
            "perClientMaxConnections",
            Type::Int {
                min: Some(0),
                max: Some(MAX_CONNECTIONS as i64),
            },
            "per-client-max (0: no limit).",
        ),
        Field::new(
            "randomSequenceNumber",
            Type::Bool,
            "random-sequence-number enable|disable.",
        ),
        Field::new(
            "embryonicTimeout",
            Type::Str,
            "Embryonic timeout, `h:mm:ss`.",
        ),
        Field::new(
            "halfClosedTimeout",
            Type::Str,
            "Half-closed timeout, `h:mm:ss`.",
        ),
        Field::new("idleTimeout", Type::Str, "Idle timeout, `h:mm:ss`."),
    ],
    kinds: &["object#ConnectionLimit"],
    ours: true,
};

impl Resource for ConnectionLimit {
    const KIND: &'static str = "object#ConnectionLimit";
    const COLLECTION_KIND: &'static str = "collection#ConnectionLimit";
    const PATH: &'static str = "/api/servicepolicy/connectionlimits";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "policy-map ";
    // The policy map's resource reads the same blocks: the snapshot re-reads them.
    const PATCH_IN_PLACE: bool = false;

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(Self::KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert("policyMap".into(), Value::from(self.policy_map.as_str()));
        m.insert("className".into(), Value::from(self.class.as_str()));
        for ((_, name), v) in LIMITS.iter().zip(self.limits) {
            if let Some(v) = v {
                m.insert((*name).into(), Value::from(v));
            }
        }
        if let Some(r) = self.random_sequence_number {
            m.insert("randomSequenceNumber".into(), Value::from(r));
        }
        for ((_, name), v) in TIMEOUTS.iter().zip(&self.timeouts) {
            if let Some(v) = v {
                m.insert((*name).into(), Value::from(v.as_str()));
            }
        }
        m.insert("objectId".into(), Value::from(self.id.as_str()));
        Value::Object(m)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, existing } => (Some(id), Some((existing, false))),
            WriteMode::Patch { id, existing } => (Some(id), Some((existing, true))),
        };
        let name_of = |key: &str, from_base: Option<&str>| -> Result<String, FieldError> {
            match (get(key), from_base) {
                (Some(v), _) => Ok(json_str(v, key)?.to_owned()),
                (None, Some(b)) => Ok(b.to_owned()),
                (None, None) => Err(FieldError::new(key, FieldProblem::Missing)),
            }
        };
        let policy_map = name_of("policyMap", base.map(|(b, _)| b.policy_map.as_str()))?;
        let class = name_of("className", base.map(|(b, _)| b.class.as_str()))?;
        check_map_name("policyMap", &policy_map)?;
        if class != "class-default" {
            check_map_name("className", &class)?;
        }
        let mut limit = ConnectionLimit::new(&policy_map, &class);
        if let Some(id) = id
            && limit.id != id
        {
            return Err(FieldError::new("className", FieldProblem::Mismatch));
        }
        let patch_base = base.filter(|(_, patch)| *patch).map(|(b, _)| b);
        for (slot, (_, key)) in LIMITS.iter().enumerate() {
            limit.limits[slot] = match (get(key), patch_base) {
                (Some(v), _) => {
                    let n = json_u32(v, key)?;
                    if n > MAX_CONNECTIONS {
                        return Err(bad(key, format!("must be at most {MAX_CONNECTIONS}")));
                    }
                    Some(n)
                }
                (None, Some(b)) if !map.contains_key(*key) => b.limits[slot],
                _ => None,
            };
        }
        limit.random_sequence_number = match (get("randomSequenceNumber"), patch_base) {
            (Some(v), _) => Some(json_bool(v, "randomSequenceNumber")?),
            (None, Some(b)) if !map.contains_key("randomSequenceNumber") => {
                b.random_sequence_number
            }
            _ => None,
        };
        for (slot, (_, key)) in TIMEOUTS.iter().enumerate() {
            limit.timeouts[slot] = match (get(key), patch_base) {
                (Some(v), _) => {
                    let t = json_str(v, key)?;
                    if !is_duration(t) {
                        return Err(bad(key, format!("'{t}' is not h:mm:ss")));
                    }
                    Some(t.to_owned())
                }
                (None, Some(b)) if !map.contains_key(*key) => b.timeouts[slot].clone(),
                _ => None,
            };
        }
        if limit.is_empty() {
            return Err(bad(
                "maxConnections",
                "set at least one limit or timeout (DELETE removes them all)",
            ));
        }
        Ok(limit)
    }

    fn cli_create(&self) -> Vec<String> {
        let mut out = self.enter();
        out.extend(self.limits_line().map(|l| format!("  {l}")));
        out.extend(self.timeouts_line().map(|l| format!("  {l}")));
        out
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        let mut out = new.enter();
        if old.limits_line() != new.limits_line() {
            if old.limits_line().is_some() {
                out.push("  no set connection".into());
            }
            out.extend(new.limits_line().map(|l| format!("  {l}")));
        }
        if old.timeouts_line() != new.timeouts_line() {
            if old.timeouts_line().is_some() {
                out.push("  no set connection timeout".into());
            }
            out.extend(new.timeouts_line().map(|l| format!("  {l}")));
        }
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        let mut out = self.enter();
        if self.limits_line().is_some() {
            out.push("  no set connection".into());
        }
        if self.timeouts_line().is_some() {
            out.push("  no set connection timeout".into());
        }
        out
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let Some((name, _, classes)) = parse_block(rest, children) else {
            return;
        };
        for c in classes {
            let mut limit = ConnectionLimit::new(name, c.class);
            for line in &c.set_connection {
                limit.absorb_line(line);
            }
            if !limit.is_empty() {
                collection.insert(limit);
            }
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.connection_limits
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.connection_limits
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        if !cfg.policy_maps.contains(&self.policy_map) {
            return Err(bad(
                "policyMap",
                format!("no policy map is named '{}'", self.policy_map),
            ));
        }
        if self.class != "class-default" && !cfg.class_maps.contains(&self.class) {
            return Err(bad(
                "className",
                format!("no class map is named '{}'", self.class),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LINK: &str = "https://asa/api/servicepolicy/connectionlimits/p~web";

    #[test]
    fn reads_limits_per_class() {
        let cfg = RunningConfig::parse(
            "policy-map p\n class web\n  set connection conn-max 100 embryonic-conn-max 50 random-sequence-number disable\n  set connection timeout idle 1:00:00\n  inspect http\n class other\n  inspect ftp\n",
        );
        assert_eq!(cfg.connection_limits.len(), 1);
        let l = cfg.connection_limits.get("p~web").unwrap();
        let j = l.to_json(LINK);
        assert_eq!(j["maxConnections"], 100);
        assert_eq!(j["maxEmbryonicConnections"], 50);
        assert_eq!(j["randomSequenceNumber"], false);
        assert_eq!(j["idleTimeout"], "1:00:00");
        assert_eq!(
            ConnectionLimit::from_json(&j, WriteMode::Create),
            Ok(l.clone())
        );
        assert_eq!(
            l.cli_create(),
            [
                "policy-map p",
                " class web",
                "  set connection conn-max 100 embryonic-conn-max 50 random-sequence-number disable",
                "  set connection timeout idle 1:00:00"
            ]
        );
        assert_eq!(
            l.cli_delete(),
            [
                "policy-map p",
                " class web",
                "  no set connection",
                "  no set connection timeout"
            ]
        );
        // The policy map resource reads the same block.
        assert_eq!(cfg.policy_maps.get("p").map(|p| p.classes.len()), Some(2));
    }

    #[test]
    fn patch_merges_and_replace_rewrites() {
        let old = ConnectionLimit::from_json(
            &json!({"policyMap": "p", "className": "web", "maxConnections": 10, "idleTimeout": "0:30:00"}),
            WriteMode::Create,
        )
        .unwrap();
        let new = ConnectionLimit::from_json(
            &json!({"perClientMaxConnections": 5}),
            WriteMode::Patch {
                id: "p~web",
                existing: &old,
            },
        )
        .unwrap();
        assert_eq!(
            ConnectionLimit::cli_replace(&old, &new),
            [
                "policy-map p",
                " class web",
                "  no set connection",
                "  set connection conn-max 10 per-client-max 5"
            ]
        );
        let replaced = ConnectionLimit::from_json(
            &json!({"maxConnections": 10}),
            WriteMode::Replace {
                id: "p~web",
                existing: &old,
            },
        )
        .unwrap();
        assert_eq!(
            ConnectionLimit::cli_replace(&old, &replaced),
            ["policy-map p", " class web", "  no set connection timeout"]
        );
    }

    #[test]
    fn refuses_bad_bodies() {
        for body in [
            json!({"policyMap": "p", "className": "c"}),
            json!({"policyMap": "p", "className": "c", "maxConnections": 2_000_001}),
            json!({"policyMap": "p", "className": "c", "maxConnections": -1}),
            json!({"policyMap": "p", "className": "c", "idleTimeout": "1:00"}),
            json!({"policyMap": "p", "className": "c", "idleTimeout": "1:60:00"}),
            json!({"policyMap": "p q", "className": "c", "maxConnections": 1}),
            json!({"className": "c", "maxConnections": 1}),
        ] {
            assert!(
                ConnectionLimit::from_json(&body, WriteMode::Create).is_err(),
                "{body}"
            );
        }
        assert!(is_duration("1193:59:59"));
        assert!(!is_duration("1194:00:00"));
    }
}
