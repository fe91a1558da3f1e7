//! Access groups: which list filters which interface and direction.
//!
//! ASA syntax: `access-group <acl> in|out interface <nameif>`, `access-group <acl> global`,
//! and the same with `no`. JSON (`object#AccessGroup`, listed under `/api/access/in`,
//! `/api/access/out`, `/api/access/global`):
//! `{"kind":"object#AccessGroup","selfLink":..,"ACLName":"inside_access_in","direction":"IN",
//! "interface":{"kind":"objectRef#Interface","refLink":"../api/interfaces/physical/GigabitEthernet0_API_SLASH_1",
//! "objectId":"GigabitEthernet0_API_SLASH_1","name":"inside"}}`.

use std::fmt;

use crate::schema::{Field, KIND as KIND_FIELD, OBJECT_REF, Object, SELF_LINK, Type};
use serde_json::{Map, Value, json};

pub const KIND: &str = "object#AccessGroup";
pub const COLLECTION_KIND: &str = "collection#AccessGroup";

/// `object#AccessGroup` (read-only: it follows the access rules).
pub static SCHEMA: Object = Object {
    name: "AccessGroup",
    description: "An access list bound to an interface direction or applied globally (`access-group`).",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new("ACLName", Type::Str, "The access list's name.").read_only(),
        Field::new(
            "direction",
            Type::Enum(&["IN", "OUT", "GLOBAL"]),
            "Where the list applies.",
        )
        .read_only(),
        Field::new(
            "interface",
            Type::Object(&OBJECT_REF),
            "The interface (`objectRef#Interface` with its nameif); absent when global.",
        )
        .read_only(),
    ],
    kinds: &[KIND],
    ours: false,
};

/// Where a list applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Binding {
    In(String),
    Out(String),
    Global,
}

/// A direction, as the URL and the `direction` attribute name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    In,
    Out,
    Global,
}

impl Direction {
    /// The URL segment after `/api/access/`.
    pub fn segment(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
            Direction::Global => "global",
        }
    }

    pub fn from_segment(s: &str) -> Option<Direction> {
        match s {
            "in" => Some(Direction::In),
            "out" => Some(Direction::Out),
            "global" => Some(Direction::Global),
            _ => None,
        }
    }
}

impl Binding {
    pub fn direction(&self) -> Direction {
        match self {
            Binding::In(_) => Direction::In,
            Binding::Out(_) => Direction::Out,
            Binding::Global => Direction::Global,
        }
    }

    pub fn nameif(&self) -> Option<&str> {
        match self {
            Binding::In(n) | Binding::Out(n) => Some(n),
            Binding::Global => None,
        }
    }

    /// The list name ASDM and the agent give a new access group's list.
    pub fn default_acl_name(&self) -> String {
        match self {
            Binding::In(n) => format!("{n}_access_in"),
            Binding::Out(n) => format!("{n}_access_out"),
            Binding::Global => "global_access".to_owned(),
        }
    }

    /// The collection path of the rules (`/api/access/in/inside/rules`).
    pub fn rules_path(&self) -> String {
        match self {
            Binding::In(n) => format!("/api/access/in/{n}/rules"),
            Binding::Out(n) => format!("/api/access/out/{n}/rules"),
            Binding::Global => "/api/access/global/rules".to_owned(),
        }
    }
}

/// `in interface inside`, `global`
impl fmt::Display for Binding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Binding::In(n) => write!(f, "in interface {n}"),
            Binding::Out(n) => write!(f, "out interface {n}"),
            Binding::Global => f.write_str("global"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessGroup {
    pub acl: String,
    pub binding: Binding,
}

impl AccessGroup {
    pub fn cli(&self) -> String {
        format!("access-group {} {}", self.acl, self.binding)
    }

    pub fn cli_delete(&self) -> String {
        format!("no access-group {} {}", self.acl, self.binding)
    }

    /// JSON; `hardware` is the interface's hardware id when known, `link` builds full URLs.
    pub fn to_json(
        &self,
        self_link: &str,
        hardware: Option<&str>,
        link: &dyn Fn(&str) -> String,
    ) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert("ACLName".into(), Value::from(self.acl.as_str()));
        let direction = match self.binding.direction() {
            Direction::In => "IN",
            Direction::Out => "OUT",
            Direction::Global => "GLOBAL",
        };
        m.insert("direction".into(), Value::from(direction));
        if let Some(nameif) = self.binding.nameif() {
            let mut r = json!({"kind": "objectRef#Interface", "name": nameif});
            if let (Some(hw), Some(obj)) = (hardware, r.as_object_mut()) {
                let id = hw.replace('/', "_API_SLASH_");
                obj.insert(
                    "refLink".into(),
                    Value::from(link(&format!("/api/interfaces/physical/{id}"))),
                );
                obj.insert("objectId".into(), Value::from(id));
            }
            m.insert("interface".into(), r);
        }
        Value::Object(m)
    }
}

/// Parses `access-group <acl> in|out interface <nameif>` / `access-group <acl> global`.
pub fn parse_access_group(line: &str) -> Option<AccessGroup> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let (acl, binding) = match words.as_slice() {
        ["access-group", acl, "in", "interface", n] => (acl, Binding::In((*n).to_owned())),
        ["access-group", acl, "out", "interface", n] => (acl, Binding::Out((*n).to_owned())),
        ["access-group", acl, "global"] => (acl, Binding::Global),
        _ => return None,
    };
    Some(AccessGroup {
        acl: (*acl).to_owned(),
        binding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_bindings() {
        for line in [
            "access-group inside_access_in in interface inside",
            "access-group o out interface dmz",
            "access-group global_access global",
        ] {
            let g = parse_access_group(line).unwrap();
            assert_eq!(g.cli(), line);
        }
        assert!(parse_access_group("access-group x in interface").is_none());
        assert!(parse_access_group("access-group x in interface a control-plane").is_none());
    }

    #[test]
    fn json_carries_the_interface_reference() {
        let g = parse_access_group("access-group a in interface inside").unwrap();
        let j = g.to_json("self", Some("GigabitEthernet0/1"), &|p| {
            format!("https://h{p}")
        });
        assert_eq!(j["direction"], "IN");
        assert_eq!(j["ACLName"], "a");
        assert_eq!(j["interface"]["objectId"], "GigabitEthernet0_API_SLASH_1");
        assert_eq!(
            j["interface"]["refLink"],
            "https://h/api/interfaces/physical/GigabitEthernet0_API_SLASH_1"
        );
        assert_eq!(j["interface"]["name"], "inside");
        assert_eq!(Binding::Global.default_acl_name(), "global_access");
        assert_eq!(
            Binding::Out("dmz".into()).rules_path(),
            "/api/access/out/dmz/rules"
        );
    }
}
