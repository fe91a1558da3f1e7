//! Security object groups: `/api/objects/securityobjectgroups`, kind `object#SecurityObjGroup`
//! (the path and kind are not given by Cisco's text; chosen after the other object groups).
//!
//! ASA syntax (configuration mode):
//! ```text
//! object-group security <name>
//!  description <text>
//!  security-group name <sgt-name>
//!  security-group tag <1-65519>
//!  group-object <security-group>
//! no object-group security <name>
//! ```
//! JSON members: `{"kind":"SecurityName","value":"hr"}`, `{"kind":"SecurityTag","value":"10"}`
//! and `{"kind":"objectRef#SecurityObjGroup","refLink":..,"objectId":"trusted"}` (a nested
//! group, which must exist).

use serde_json::{Value, json};

use super::member_group::{Group, Member, member_kind, member_value};
use super::reference::{ref_id, ref_json};
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode};
use crate::schema::{Field, KIND, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, Type};
use crate::validate::check_object_name;

/// `object-group security`.
pub type SecurityObjectGroup = Group<SecurityMember>;

/// Highest security group tag.
pub const MAX_TAG: u16 = 65519;
/// Longest security group name.
pub const MAX_SGT_NAME: usize = 32;

/// One member line of a security group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityMember {
    /// `security-group name <name>`
    Name(String),
    /// `security-group tag <n>`
    Tag(u16),
    /// `group-object <name>`
    Nested(String),
}

const GROUPS: &str = "/api/objects/securityobjectgroups";

fn sgt_name(s: &str) -> Option<String> {
    (check_object_name(s).is_ok() && s.len() <= MAX_SGT_NAME).then(|| s.to_owned())
}

fn sgt_tag(s: &str) -> Option<u16> {
    s.parse::<u16>()
        .ok()
        .filter(|t| (1..=MAX_TAG).contains(t) && !s.starts_with('0'))
}

impl Member for SecurityMember {
    fn to_json(&self, origin: &str) -> Value {
        match self {
            SecurityMember::Name(n) => json!({"kind": "SecurityName", "value": n}),
            SecurityMember::Tag(t) => json!({"kind": "SecurityTag", "value": t.to_string()}),
            SecurityMember::Nested(n) => ref_json("objectRef#SecurityObjGroup", origin, GROUPS, n),
        }
    }

    fn from_json(v: &Value, attr: &str) -> Result<Self, FieldError> {
        let bad =
            |why: String| FieldError::new(format!("{attr}.value"), FieldProblem::BadValue(why));
        match member_kind(v, attr)? {
            "SecurityName" => {
                let s = member_value(v, attr)?;
                sgt_name(s).map(SecurityMember::Name).ok_or_else(|| {
                    bad(format!(
                        "'{s}' is not a security group name (at most {MAX_SGT_NAME} characters)"
                    ))
                })
            }
            "SecurityTag" => {
                let tag = match v.get("value") {
                    Some(Value::Number(n)) => n.as_u64().map(|n| n.to_string()),
                    _ => Some(member_value(v, attr)?.to_owned()),
                }
                .unwrap_or_default();
                sgt_tag(&tag)
                    .map(SecurityMember::Tag)
                    .ok_or_else(|| bad(format!("'{tag}' is not a tag from 1 to {MAX_TAG}")))
            }
            "objectRef#SecurityObjGroup" => ref_id(v, attr).map(SecurityMember::Nested),
            other => Err(FieldError::new(
                format!("{attr}.kind"),
                FieldProblem::UnknownKind(other.to_owned()),
            )),
        }
    }

    fn cli(&self) -> String {
        match self {
            SecurityMember::Name(n) => format!("security-group name {n}"),
            SecurityMember::Tag(t) => format!("security-group tag {t}"),
            SecurityMember::Nested(n) => format!("group-object {n}"),
        }
    }

    fn parse_cli(line: &str) -> Option<Self> {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["security-group", "name", n] => sgt_name(n).map(SecurityMember::Name),
            ["security-group", "tag", t] => sgt_tag(t).map(SecurityMember::Tag),
            ["group-object", n] => check_object_name(n)
                .ok()
                .map(|()| SecurityMember::Nested((*n).to_owned())),
            _ => None,
        }
    }

    fn nested_group(&self) -> Option<&str> {
        match self {
            SecurityMember::Nested(n) => Some(n),
            _ => None,
        }
    }
}

/// A security-group name or tag member.
pub static MEMBER_SCHEMA: Object = Object {
    name: "SecurityGroupMember",
    description: "A security group given by name or by tag.",
    fields: &[
        Field::new(
            "kind",
            Type::Enum(&["SecurityName", "SecurityTag"]),
            "Whether `value` is a name or a tag.",
        )
        .required(),
        Field::new(
            "value",
            Type::OneOf(&[
                Type::Str,
                Type::Int {
                    min: Some(1),
                    max: Some(65519),
                },
            ]),
            "The name, or the tag (1-65519; answered as a string).",
        )
        .required(),
    ],
    kinds: &[],
    ours: false,
};

const MEMBERS: Type = Type::Array(&Type::OneOf(&[
    Type::Object(&MEMBER_SCHEMA),
    Type::Object(&OBJECT_REF),
]));

/// `object#SecurityObjGroup`.
pub static SCHEMA: Object = Object {
    name: "SecurityObjGroup",
    description: "A security group object group: names, tags and nested groups.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The group's name (its objectId).").required(),
        Field::new("description", Type::Str, "Free text shown with the group."),
        Field::new(
            "members",
            MEMBERS,
            "Security names, tags and nested `objectRef#SecurityObjGroup`s.",
        ),
        Field::new("members.add", MEMBERS, "PATCH only: members to add."),
        Field::new("members.remove", MEMBERS, "PATCH only: members to remove."),
    ],
    kinds: &["object#SecurityObjGroup"],
    ours: false,
};

impl Resource for SecurityObjectGroup {
    const KIND: &'static str = "object#SecurityObjGroup";
    const COLLECTION_KIND: &'static str = "collection#SecurityObjGroup";
    const PATH: &'static str = GROUPS;
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "object-group security ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        self.to_json_as(Self::KIND, self_link)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        Group::read_json(body, mode)
    }

    fn cli_create(&self) -> Vec<String> {
        self.block_lines(Self::CLI_HEADER)
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        Group::replace_lines(old, new, Self::CLI_HEADER)
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no object-group security {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        if let Some(g) = Group::from_block(rest, children) {
            collection.insert(g);
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.security_object_groups
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.security_object_groups
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        self.check_nested(&cfg.security_object_groups, "security group")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LINK: &str = "https://asa/api/objects/securityobjectgroups/trusted";

    fn create(body: Value) -> Result<SecurityObjectGroup, FieldError> {
        SecurityObjectGroup::from_json(&body, WriteMode::Create)
    }

    #[test]
    fn writes_json_and_cli() {
        let g = create(json!({"name": "trusted", "members": [
            {"kind": "SecurityName", "value": "hr"},
            {"kind": "SecurityTag", "value": 10},
            {"kind": "objectRef#SecurityObjGroup", "objectId": "base"},
        ]}))
        .unwrap();
        assert_eq!(
            g.cli_create(),
            [
                "object-group security trusted",
                " security-group name hr",
                " security-group tag 10",
                " group-object base",
            ]
        );
        assert_eq!(
            g.to_json(LINK)["members"],
            json!([
                {"kind": "SecurityName", "value": "hr"},
                {"kind": "SecurityTag", "value": "10"},
                {"kind": "objectRef#SecurityObjGroup", "refLink": "https://asa/api/objects/securityobjectgroups/base", "objectId": "base"},
            ])
        );
        let cfg = RunningConfig::parse(&format!("{}\n", g.cli_create().join("\n")));
        assert_eq!(cfg.security_object_groups.get("trusted"), Some(&g));
    }

    #[test]
    fn rejects_bad_tags_and_names() {
        for (member, attr) in [
            (
                json!({"kind": "SecurityTag", "value": "0"}),
                "members[0].value",
            ),
            (
                json!({"kind": "SecurityTag", "value": 65520}),
                "members[0].value",
            ),
            (
                json!({"kind": "SecurityTag", "value": "x"}),
                "members[0].value",
            ),
            (
                json!({"kind": "SecurityName", "value": "a b"}),
                "members[0].value",
            ),
            (
                json!({"kind": "SecurityName", "value": "n".repeat(33)}),
                "members[0].value",
            ),
            (json!({"kind": "SecurityName"}), "members[0].value"),
            (
                json!({"kind": "IPv4Address", "value": "1.1.1.1"}),
                "members[0].kind",
            ),
        ] {
            let e = create(json!({"name": "g", "members": [member.clone()]})).expect_err(attr);
            assert_eq!(e.attribute, attr, "{member}");
        }
    }

    #[test]
    fn nested_groups_must_exist() {
        let mut g = create(json!({"name": "g", "members": [
            {"kind": "objectRef#SecurityObjGroup", "objectId": "base"}
        ]}))
        .unwrap();
        assert!(g.resolve(&RunningConfig::default()).is_err());
        let cfg = RunningConfig::parse("object-group security base\n security-group tag 5\n");
        assert_eq!(g.resolve(&cfg), Ok(()));
    }

    fn member() -> impl Strategy<Value = SecurityMember> {
        prop_oneof![
            "[a-z][a-z0-9_-]{0,31}"
                .prop_filter("reserved", |s| check_object_name(s).is_ok())
                .prop_map(SecurityMember::Name),
            (1u16..=MAX_TAG).prop_map(SecurityMember::Tag),
            crate::strategies::object_name().prop_map(SecurityMember::Nested),
        ]
    }

    proptest! {
        #[test]
        fn round_trips(name in crate::strategies::object_name(), members in prop::collection::vec(member(), 0..6)) {
            let mut unique: Vec<SecurityMember> = Vec::new();
            for m in members {
                if !unique.contains(&m) && m.nested_group() != Some(name.as_str()) {
                    unique.push(m);
                }
            }
            let g = Group { name, description: None, members: unique };
            prop_assert_eq!(SecurityObjectGroup::from_json(&g.to_json(LINK), WriteMode::Create), Ok(g.clone()));
            let cfg = RunningConfig::parse(&format!("{}\n", g.cli_create().join("\n")));
            prop_assert_eq!(cfg.security_object_groups.get(&g.name), Some(&g));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,30}") {
            let _ = create(json!({"name": "g", "members": [{"kind": "SecurityTag", "value": s}]}));
            let _ = RunningConfig::parse(&format!("object-group security g\n security-group {s}\n"));
        }
    }
}
