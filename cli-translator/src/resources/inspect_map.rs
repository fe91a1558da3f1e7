//! Inspect policy maps: `/api/servicepolicy/inspectmaps`, kind `object#InspectPolicyMap` (the
//! shape is ours: no public client or capture gives Cisco's).
//!
//! ASA syntax:
//! ```text
//! policy-map type inspect <protocol> <name>
//!  description <text>
//!  parameters
//!   <parameter line>            (message-length maximum 512, no tcp-inspection, ...)
//! ```
//! JSON: `{"kind":"object#InspectPolicyMap","name":"preset_dns_map","protocol":"dns",
//! "parameters":["message-length maximum client auto","message-length maximum 512",
//! "no tcp-inspection"]}`. The parameter lines are the CLI's, one string each (their
//! grammar differs per protocol; LINA checks them). `match` / `class` lines of an inspect
//! map are not modelled here and stay reachable through `/api/cli`.

use serde_json::{Map, Value, json};

use super::service_policy::{
    INSPECT_MAP_PROTOCOLS, bad, body_map, check_map_name, is_map_name, same_name,
};
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, STRINGS, Type};
use crate::validate::{MAX_DESCRIPTION, check_line_text};

/// Longest parameter line taken.
const MAX_PARAMETER: usize = 200;

/// One `policy-map type inspect <protocol> <name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectMap {
    pub name: String,
    pub protocol: String,
    pub description: Option<String>,
    pub parameters: Vec<String>,
}

/// `object#InspectPolicyMap`.
pub static SCHEMA: Object = Object {
    name: "InspectPolicyMap",
    description: "An inspect policy map (`policy-map type inspect`): parameters of one inspection.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The map's name (its objectId).").required(),
        Field::new(
            "protocol",
            Type::Enum(INSPECT_MAP_PROTOCOLS),
            "The inspection it configures; fixed once created.",
        )
        .required(),
        Field::new("description", Type::Str, "Free text."),
        Field::new(
            "parameters",
            STRINGS,
            "The lines of its `parameters` sub-mode, as the CLI writes them.",
        ),
    ],
    kinds: &["object#InspectPolicyMap"],
    ours: true,
};

fn check_parameter(attr: &str, line: &str) -> Result<(), FieldError> {
    check_line_text(line, MAX_PARAMETER)
        .map_err(|e| FieldError::new(attr, FieldProblem::Value(e)))?;
    let first = line
        .trim_start_matches("no ")
        .split_whitespace()
        .next()
        .unwrap_or_default();
    if !first.chars().all(|c| c.is_ascii_lowercase() || c == '-') || first.is_empty() {
        return Err(bad(attr, format!("'{line}' is not a parameter line")));
    }
    Ok(())
}

impl Resource for InspectMap {
    const KIND: &'static str = "object#InspectPolicyMap";
    const COLLECTION_KIND: &'static str = "collection#InspectPolicyMap";
    const PATH: &'static str = "/api/servicepolicy/inspectmaps";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "policy-map type inspect ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(Self::KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert("name".into(), Value::from(self.name.as_str()));
        m.insert("protocol".into(), Value::from(self.protocol.as_str()));
        if let Some(d) = &self.description {
            m.insert("description".into(), Value::from(d.as_str()));
        }
        m.insert("parameters".into(), json!(self.parameters));
        m.insert("objectId".into(), Value::from(self.name.as_str()));
        Value::Object(m)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let given = get("name").map(|v| json_str(v, "name")).transpose()?;
        let (name, base, existing) = match mode {
            WriteMode::Create => {
                let name = given.ok_or_else(|| FieldError::new("name", FieldProblem::Missing))?;
                check_map_name("name", name)?;
                (name.to_owned(), None, None)
            }
            WriteMode::Replace { id, existing } => (same_name(given, id)?, None, Some(existing)),
            WriteMode::Patch { id, existing } => {
                (same_name(given, id)?, Some(existing), Some(existing))
            }
        };
        let protocol = match (get("protocol"), existing) {
            (Some(v), _) => json_str(v, "protocol")?.to_owned(),
            (None, Some(e)) => e.protocol.clone(),
            (None, None) => return Err(FieldError::new("protocol", FieldProblem::Missing)),
        };
        if !INSPECT_MAP_PROTOCOLS.contains(&protocol.as_str()) {
            return Err(bad(
                "protocol",
                format!("'{protocol}' has no inspect policy maps"),
            ));
        }
        if let Some(e) = existing
            && e.protocol != protocol
        {
            return Err(bad("protocol", "an inspect map's protocol cannot change"));
        }
        let description = match (get("description"), base) {
            (Some(v), _) => {
                let d = json_str(v, "description")?;
                check_line_text(d, MAX_DESCRIPTION)
                    .map_err(|e| FieldError::new("description", FieldProblem::Value(e)))?;
                Some(d.to_owned())
            }
            (None, Some(b)) if !map.contains_key("description") => b.description.clone(),
            _ => None,
        };
        let parameters = match (get("parameters"), base) {
            (Some(v), _) => {
                let list = v.as_array().ok_or_else(|| {
                    FieldError::new("parameters", FieldProblem::WrongType { expected: "a list" })
                })?;
                let mut out = Vec::new();
                for (i, p) in list.iter().enumerate() {
                    let attr = format!("parameters[{i}]");
                    let p = json_str(p, &attr)?;
                    check_parameter(&attr, p)?;
                    out.push(p.to_owned());
                }
                out
            }
            (None, Some(b)) => b.parameters.clone(),
            (None, None) => Vec::new(),
        };
        Ok(InspectMap {
            name,
            protocol,
            description,
            parameters,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut out = vec![format!(
            "policy-map type inspect {} {}",
            self.protocol, self.name
        )];
        if let Some(d) = &self.description {
            out.push(format!(" description {d}"));
        }
        if !self.parameters.is_empty() {
            out.push(" parameters".into());
            for p in &self.parameters {
                out.push(format!("  {p}"));
            }
        }
        out
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        let mut out = vec![format!(
            "policy-map type inspect {} {}",
            new.protocol, new.name
        )];
        match (&old.description, &new.description) {
            (Some(_), None) => out.push(" no description".into()),
            (o, Some(d)) if o.as_ref() != Some(d) => out.push(format!(" description {d}")),
            _ => {}
        }
        if old.parameters != new.parameters {
            if !old.parameters.is_empty() {
                out.push(" no parameters".into());
            }
            if !new.parameters.is_empty() {
                out.push(" parameters".into());
                for p in &new.parameters {
                    out.push(format!("  {p}"));
                }
            }
        }
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!(
            "no policy-map type inspect {} {}",
            self.protocol, self.name
        )]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let words: Vec<&str> = rest.split_whitespace().collect();
        let [protocol, name] = words.as_slice() else {
            return;
        };
        if !INSPECT_MAP_PROTOCOLS.contains(protocol) || !is_map_name(name) {
            return;
        }
        let mut map = InspectMap {
            name: (*name).to_owned(),
            protocol: (*protocol).to_owned(),
            description: None,
            parameters: Vec::new(),
        };
        let mut in_parameters = false;
        for c in children {
            let c = c.trim_end();
            if c == "parameters" {
                in_parameters = true;
            } else if let Some(d) = c.strip_prefix("description ")
                && !in_parameters
            {
                map.description = Some(d.to_owned());
            } else if c.starts_with("match ") || c.starts_with("class ") {
                in_parameters = false;
            } else if in_parameters {
                map.parameters.push(c.to_owned());
            }
        }
        collection.insert(map);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.inspect_maps
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.inspect_maps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://asa/api/servicepolicy/inspectmaps/preset_dns_map";

    #[test]
    fn reads_the_default_dns_map() {
        let cfg = RunningConfig::parse(
            "policy-map type inspect dns preset_dns_map\n parameters\n  message-length maximum client auto\n  message-length maximum 512\n  no tcp-inspection\npolicy-map global_policy\n class inspection_default\n",
        );
        let m = cfg.inspect_maps.get("preset_dns_map").unwrap();
        assert_eq!(
            m.parameters,
            [
                "message-length maximum client auto",
                "message-length maximum 512",
                "no tcp-inspection"
            ]
        );
        assert_eq!(cfg.policy_maps.len(), 1);
        let j = m.to_json(LINK);
        assert_eq!(InspectMap::from_json(&j, WriteMode::Create), Ok(m.clone()));
        let text = format!("{}\n", m.cli_create().join("\n"));
        assert_eq!(
            RunningConfig::parse(&text)
                .inspect_maps
                .get("preset_dns_map"),
            Some(m)
        );
    }

    #[test]
    fn replace_rewrites_the_parameters() {
        let old = InspectMap::from_json(
            &json!({"name": "m", "protocol": "http", "parameters": ["protocol-violation action drop-connection"]}),
            WriteMode::Create,
        )
        .unwrap();
        let new = InspectMap::from_json(
            &json!({"parameters": ["body max-length 2000 action reset"]}),
            WriteMode::Patch {
                id: "m",
                existing: &old,
            },
        )
        .unwrap();
        assert_eq!(
            InspectMap::cli_replace(&old, &new),
            [
                "policy-map type inspect http m",
                " no parameters",
                " parameters",
                "  body max-length 2000 action reset"
            ]
        );
        let moved = InspectMap::from_json(
            &json!({"protocol": "dns"}),
            WriteMode::Patch {
                id: "m",
                existing: &old,
            },
        );
        assert!(moved.is_err());
    }

    #[test]
    fn refuses_bad_bodies() {
        for body in [
            json!({"name": "m"}),
            json!({"name": "m", "protocol": "tftp"}),
            json!({"name": "m", "protocol": "dns", "parameters": ["a\nno policy-map x"]}),
            json!({"name": "m", "protocol": "dns", "parameters": [" x"]}),
            json!({"name": "m", "protocol": "dns", "parameters": ["#x"]}),
            json!({"name": "m", "protocol": "dns", "parameters": "x"}),
        ] {
            assert!(
                InspectMap::from_json(&body, WriteMode::Create).is_err(),
                "{body}"
            );
        }
    }
}
