//! Layer 3/4 class maps: `/api/servicepolicy/classmaps`, kind `object#ClassMap` (the shape is
//! ours: no public client or capture gives Cisco's).
//!
//! ASA syntax (`class-map type ...` maps are not this resource):
//! ```text
//! class-map <name>
//!  description <text>
//!  match default-inspection-traffic | any | access-list <acl> | port tcp|udp eq <port> | port tcp|udp range <a> <b>
//! ```
//! JSON: `{"kind":"object#ClassMap","name":"web","objectId":"web","description":"...",
//! "match":{"type":"accessList","accessList":{"kind":"objectRef#ExtendedACL","objectId":"web"}}}`;
//! `match.type` is `defaultInspectionTraffic`, `any`, `accessList` or `port` (with `protocol`
//! `tcp|udp` and `port`: `"80"`, `"www"` or a range `"8000-8080"`).

use serde_json::{Map, Value, json};

use super::reference::{origin_of, ref_id, ref_json};
use super::service_policy::{bad, body_map, check_map_name, is_map_name, same_name};
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::schema::{Field, KIND, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, Type};
use crate::validate::{MAX_DESCRIPTION, check_line_text, check_object_name};

/// What a class map matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    DefaultInspectionTraffic,
    Any,
    AccessList(String),
    /// Protocol (`tcp`/`udp`), first port, last port of a range.
    Port {
        protocol: String,
        port: String,
        last: Option<String>,
    },
}

impl Match {
    /// The sub-command.
    pub fn line(&self) -> String {
        match self {
            Match::DefaultInspectionTraffic => "match default-inspection-traffic".into(),
            Match::Any => "match any".into(),
            Match::AccessList(acl) => format!("match access-list {acl}"),
            Match::Port {
                protocol,
                port,
                last: None,
            } => format!("match port {protocol} eq {port}"),
            Match::Port {
                protocol,
                port,
                last: Some(last),
            } => format!("match port {protocol} range {port} {last}"),
        }
    }

    fn parse(line: &str) -> Option<Match> {
        let words: Vec<&str> = line.split_whitespace().collect();
        Some(match words.as_slice() {
            ["match", "default-inspection-traffic"] => Match::DefaultInspectionTraffic,
            ["match", "any"] => Match::Any,
            ["match", "access-list", acl] if check_object_name(acl).is_ok() => {
                Match::AccessList((*acl).to_owned())
            }
            ["match", "port", p @ ("tcp" | "udp"), "eq", port] if is_port(port) => Match::Port {
                protocol: (*p).to_owned(),
                port: (*port).to_owned(),
                last: None,
            },
            ["match", "port", p @ ("tcp" | "udp"), "range", a, b] if is_port(a) && is_port(b) => {
                Match::Port {
                    protocol: (*p).to_owned(),
                    port: (*a).to_owned(),
                    last: Some((*b).to_owned()),
                }
            }
            _ => return None,
        })
    }

    fn to_json(&self, origin: &str) -> Value {
        match self {
            Match::DefaultInspectionTraffic => json!({"type": "defaultInspectionTraffic"}),
            Match::Any => json!({"type": "any"}),
            Match::AccessList(acl) => json!({
                "type": "accessList",
                "accessList": ref_json("objectRef#ExtendedACL", origin, "/api/objects/extendedacls", acl),
            }),
            Match::Port {
                protocol,
                port,
                last,
            } => {
                let port = match last {
                    Some(l) => format!("{port}-{l}"),
                    None => port.clone(),
                };
                json!({"type": "port", "protocol": protocol, "port": port})
            }
        }
    }

    fn from_json(v: &Value) -> Result<Match, FieldError> {
        let ty = v
            .get("type")
            .ok_or_else(|| FieldError::new("match.type", FieldProblem::Missing))?;
        Ok(match json_str(ty, "match.type")? {
            "defaultInspectionTraffic" => Match::DefaultInspectionTraffic,
            "any" => Match::Any,
            "accessList" => {
                let r = v
                    .get("accessList")
                    .ok_or_else(|| FieldError::new("match.accessList", FieldProblem::Missing))?;
                Match::AccessList(ref_id(r, "match.accessList")?)
            }
            "port" => {
                let protocol = v
                    .get("protocol")
                    .ok_or_else(|| FieldError::new("match.protocol", FieldProblem::Missing))
                    .and_then(|p| json_str(p, "match.protocol"))?;
                if !matches!(protocol, "tcp" | "udp") {
                    return Err(bad("match.protocol", "must be tcp or udp"));
                }
                let port = v
                    .get("port")
                    .ok_or_else(|| FieldError::new("match.port", FieldProblem::Missing))
                    .and_then(|p| json_str(p, "match.port"))?;
                let (first, last) = match port.split_once('-') {
                    Some((a, b)) if a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok() => {
                        (a, Some(b))
                    }
                    _ => (port, None),
                };
                if !is_port(first) || !last.is_none_or(is_port) {
                    return Err(bad(
                        "match.port",
                        format!("'{port}' is not a port, a port name or a range a-b"),
                    ));
                }
                Match::Port {
                    protocol: protocol.to_owned(),
                    port: first.to_owned(),
                    last: last.map(str::to_owned),
                }
            }
            other => {
                return Err(bad(
                    "match.type",
                    format!("'{other}' is not defaultInspectionTraffic, any, accessList or port"),
                ));
            }
        })
    }
}

/// A port number (1-65535) or an ASA port name (`www`, `domain`).
pub fn is_port(p: &str) -> bool {
    match p.parse::<u32>() {
        Ok(n) => (1..=65535).contains(&n),
        Err(_) => {
            !p.is_empty()
                && p.len() <= 20
                && p.starts_with(|c: char| c.is_ascii_lowercase())
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        }
    }
}

/// One `class-map <name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassMap {
    pub name: String,
    pub description: Option<String>,
    /// `None` when the class map has no `match` (or one this resource does not model).
    pub matches: Option<Match>,
}

static MATCH: Object = Object {
    name: "ClassMapMatch",
    description: "What a class map matches.",
    fields: &[
        Field::new(
            "type",
            Type::Enum(&["defaultInspectionTraffic", "any", "accessList", "port"]),
            "The kind of match.",
        )
        .required(),
        Field::new(
            "accessList",
            Type::Object(&OBJECT_REF),
            "The extended ACL (`objectRef#ExtendedACL`), for `accessList`.",
        ),
        Field::new(
            "protocol",
            Type::Enum(&["tcp", "udp"]),
            "The protocol, for `port`.",
        ),
        Field::new(
            "port",
            Type::Str,
            "A port number or name, or a range `a-b`, for `port`.",
        ),
    ],
    kinds: &[],
    ours: true,
};

/// `object#ClassMap`.
pub static SCHEMA: Object = Object {
    name: "ClassMap",
    description: "A layer 3/4 class map (`class-map`): the traffic a policy map class acts on.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The class map's name (its objectId).").required(),
        Field::new("description", Type::Str, "Free text."),
        Field::new(
            "match",
            Type::Object(&MATCH),
            "The traffic it matches (one match per class map).",
        )
        .required(),
    ],
    kinds: &["object#ClassMap"],
    ours: true,
};

impl Resource for ClassMap {
    const KIND: &'static str = "object#ClassMap";
    const COLLECTION_KIND: &'static str = "collection#ClassMap";
    const PATH: &'static str = "/api/servicepolicy/classmaps";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "class-map ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(Self::KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert("name".into(), Value::from(self.name.as_str()));
        if let Some(d) = &self.description {
            m.insert("description".into(), Value::from(d.as_str()));
        }
        if let Some(mt) = &self.matches {
            m.insert("match".into(), mt.to_json(origin_of(self_link)));
        }
        m.insert("objectId".into(), Value::from(self.name.as_str()));
        Value::Object(m)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let given = get("name").map(|v| json_str(v, "name")).transpose()?;
        let (name, base) = match mode {
            WriteMode::Create => {
                let name = given.ok_or_else(|| FieldError::new("name", FieldProblem::Missing))?;
                check_map_name("name", name)?;
                (name.to_owned(), None)
            }
            WriteMode::Replace { id, .. } => (same_name(given, id)?, None),
            WriteMode::Patch { id, existing } => (same_name(given, id)?, Some(existing)),
        };
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
        let matches = match (get("match"), base) {
            (Some(v), _) => Some(Match::from_json(v)?),
            (None, Some(b)) => b.matches.clone(),
            (None, None) => return Err(FieldError::new("match", FieldProblem::Missing)),
        };
        Ok(ClassMap {
            name,
            description,
            matches,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut out = vec![format!("class-map {}", self.name)];
        if let Some(d) = &self.description {
            out.push(format!(" description {d}"));
        }
        if let Some(m) = &self.matches {
            out.push(format!(" {}", m.line()));
        }
        out
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        let mut out = vec![format!("class-map {}", new.name)];
        match (&old.description, &new.description) {
            (Some(_), None) => out.push(" no description".into()),
            (o, Some(d)) if o.as_ref() != Some(d) => out.push(format!(" description {d}")),
            _ => {}
        }
        if old.matches != new.matches {
            if let Some(m) = &old.matches {
                out.push(format!(" no {}", m.line()));
            }
            if let Some(m) = &new.matches {
                out.push(format!(" {}", m.line()));
            }
        }
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no class-map {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let name = rest.trim();
        if name.starts_with("type ") || !is_map_name(name) {
            return;
        }
        let mut cm = ClassMap {
            name: name.to_owned(),
            description: None,
            matches: None,
        };
        for c in children {
            if let Some(d) = c.strip_prefix("description ") {
                cm.description = Some(d.trim_end().to_owned());
            } else if cm.matches.is_none() {
                cm.matches = Match::parse(c);
            }
        }
        collection.insert(cm);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.class_maps
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.class_maps
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        if let Some(Match::AccessList(acl)) = &self.matches
            && cfg.access.get(acl).is_none()
        {
            return Err(bad(
                "match.accessList.objectId",
                format!("no access list is named '{acl}'"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://asa/api/servicepolicy/classmaps/web";

    #[test]
    fn reads_the_default_class_map_and_writes_its_json() {
        let cfg = RunningConfig::parse(
            "class-map inspection_default\n match default-inspection-traffic\nclass-map type regex match-any r\n match regex x\n",
        );
        assert_eq!(cfg.class_maps.len(), 1);
        let c = cfg.class_maps.get("inspection_default").unwrap();
        assert_eq!(c.matches, Some(Match::DefaultInspectionTraffic));
        let j = c.to_json(LINK);
        assert_eq!(j["match"]["type"], "defaultInspectionTraffic");
        assert_eq!(ClassMap::from_json(&j, WriteMode::Create), Ok(c.clone()));
    }

    #[test]
    fn every_match_round_trips() {
        for body in [
            json!({"name": "a", "match": {"type": "any"}}),
            json!({"name": "a", "match": {"type": "accessList", "accessList": {"objectId": "web"}}}),
            json!({"name": "a", "match": {"type": "port", "protocol": "tcp", "port": "www"}}),
            json!({"name": "a", "description": "ports", "match": {"type": "port", "protocol": "udp", "port": "8000-8080"}}),
        ] {
            let c = ClassMap::from_json(&body, WriteMode::Create).unwrap();
            let text = format!("{}\n", c.cli_create().join("\n"));
            let cfg = RunningConfig::parse(&text);
            assert_eq!(cfg.class_maps.get("a"), Some(&c), "{text}");
        }
    }

    #[test]
    fn replace_removes_the_old_match_first() {
        let old = ClassMap::from_json(
            &json!({"name": "a", "match": {"type": "any"}}),
            WriteMode::Create,
        )
        .unwrap();
        let new = ClassMap::from_json(
            &json!({"match": {"type": "port", "protocol": "tcp", "port": "80"}, "description": "d"}),
            WriteMode::Patch {
                id: "a",
                existing: &old,
            },
        )
        .unwrap();
        assert_eq!(
            ClassMap::cli_replace(&old, &new),
            [
                "class-map a",
                " description d",
                " no match any",
                " match port tcp eq 80"
            ]
        );
    }

    #[test]
    fn refuses_bad_matches() {
        for body in [
            json!({"name": "a"}),
            json!({"name": "a", "match": {"type": "all"}}),
            json!({"name": "a", "match": {"type": "port", "protocol": "sctp", "port": "80"}}),
            json!({"name": "a", "match": {"type": "port", "protocol": "tcp", "port": "70000"}}),
            json!({"name": "a", "match": {"type": "port", "protocol": "tcp", "port": "80 any"}}),
            json!({"name": "a", "match": {"type": "accessList"}}),
            json!({"name": "a b", "match": {"type": "any"}}),
            json!({"name": "a", "description": "x\ny", "match": {"type": "any"}}),
        ] {
            assert!(
                ClassMap::from_json(&body, WriteMode::Create).is_err(),
                "{body}"
            );
        }
    }
}
