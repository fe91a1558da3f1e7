//! Local user groups: `/api/objects/localusergroups`, kind `object#LocalUserObjGroup`.
//!
//! ASA syntax (configuration mode):
//! ```text
//! object-group user <name>
//!  description <text>
//!  user LOCAL\<user> | user <DOMAIN>\<user>
//!  user-group <DOMAIN>\\<group>
//!  group-object <user-group>
//! no object-group user <name>
//! ```
//! JSON (`object#LocalUserObjGroup`, as devices answer): members
//! `{"kind":"objectRef#UserObj","refLink":"../api/objects/userobjects/bob","objectId":"bob"}` (a
//! `LOCAL` user; `objectRef#LocalUserObj` and `LOCAL\\bob` are accepted on input),
//! `{"kind":"objectRef#LocalUserObjGroup","refLink":..,"objectId":"staff"}` (a nested group, which
//! must exist), `{"kind":"objectRef#UserObj","objectId":"CORP\\alice"}` (a directory user) and
//! `{"kind":"objectRef#UserGroupObj","objectId":"CORP\\admins"}` (a directory group).

use serde_json::{Value, json};

use super::member_group::{Group, Member, member_kind};
use super::reference::ref_json;
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::parse::is_username;
use crate::schema::{Field, KIND, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, Type};
use crate::validate::check_object_name;

/// `object-group user`.
pub type LocalUserGroup = Group<UserMember>;

/// One member line of a user group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserMember {
    /// `user LOCAL\<name>`
    Local(String),
    /// `user <DOMAIN>\<name>` (`DOMAIN\name` kept whole)
    Directory(String),
    /// `user-group <DOMAIN>\\<group>` (`DOMAIN\group` kept with one backslash)
    DirectoryGroup(String),
    /// `group-object <name>`
    Nested(String),
}

const USER_OBJECTS: &str = "/api/objects/userobjects";
const GROUPS: &str = "/api/objects/localusergroups";

/// `DOMAIN\name`: a domain of letters, digits, `.`, `_`, `-`, and a name without blanks,
/// quotes or backslashes.
fn is_qualified(s: &str) -> bool {
    let Some((domain, name)) = s.split_once('\\') else {
        return false;
    };
    let domain_ok = !domain.is_empty()
        && domain.len() <= 32
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    let name_ok = !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '\\' | '"'));
    domain_ok && name_ok
}

/// The `objectId` (or `name`) of a reference member.
fn member_id<'v>(v: &'v Value, attr: &str) -> Result<&'v str, FieldError> {
    let field = if v.get("objectId").is_some() {
        "objectId"
    } else {
        "name"
    };
    match v.get(field) {
        None | Some(Value::Null) => Err(FieldError::new(
            format!("{attr}.objectId"),
            FieldProblem::Missing,
        )),
        Some(id) => json_str(id, &format!("{attr}.{field}")),
    }
}

impl Member for UserMember {
    fn to_json(&self, origin: &str) -> Value {
        match self {
            UserMember::Local(name) => ref_json("objectRef#UserObj", origin, USER_OBJECTS, name),
            UserMember::Nested(name) => {
                ref_json("objectRef#LocalUserObjGroup", origin, GROUPS, name)
            }
            UserMember::Directory(id) => json!({"kind": "objectRef#UserObj", "objectId": id}),
            UserMember::DirectoryGroup(id) => {
                json!({"kind": "objectRef#UserGroupObj", "objectId": id})
            }
        }
    }

    fn from_json(v: &Value, attr: &str) -> Result<Self, FieldError> {
        let kind = member_kind(v, attr)?;
        let id = member_id(v, attr)?;
        let bad = |why: &str| {
            FieldError::new(
                format!("{attr}.objectId"),
                FieldProblem::BadValue(format!("'{id}' {why}")),
            )
        };
        match kind {
            "objectRef#LocalUserObj" | "objectRef#UserObj"
                if !id.contains('\\') || id.starts_with("LOCAL\\") =>
            {
                let name = id.strip_prefix("LOCAL\\").unwrap_or(id);
                if is_username(name) && !name.contains(['\\', '"']) {
                    Ok(UserMember::Local(name.to_owned()))
                } else {
                    Err(bad("is not a user name"))
                }
            }
            "objectRef#LocalUserObjGroup" | "objectRef#LocalUserGroup" => check_object_name(id)
                .map(|()| UserMember::Nested(id.to_owned()))
                .map_err(|e| FieldError::new(format!("{attr}.objectId"), FieldProblem::Value(e))),
            "objectRef#UserObj" if is_qualified(id) => Ok(UserMember::Directory(id.to_owned())),
            "objectRef#UserGroupObj" if is_qualified(id) => {
                Ok(UserMember::DirectoryGroup(id.to_owned()))
            }
            "objectRef#UserObj" | "objectRef#UserGroupObj" => Err(bad("is not DOMAIN\\name")),
            other => Err(FieldError::new(
                format!("{attr}.kind"),
                FieldProblem::UnknownKind(other.to_owned()),
            )),
        }
    }

    fn cli(&self) -> String {
        match self {
            UserMember::Local(name) => format!("user LOCAL\\{name}"),
            UserMember::Directory(id) => format!("user {id}"),
            UserMember::DirectoryGroup(id) => {
                format!("user-group {}", id.replacen('\\', "\\\\", 1))
            }
            UserMember::Nested(name) => format!("group-object {name}"),
        }
    }

    fn parse_cli(line: &str) -> Option<Self> {
        let (word, rest) = line.split_once(' ')?;
        let rest = rest.trim();
        match word {
            "user" => match rest.strip_prefix("LOCAL\\") {
                Some(name) if is_username(name) => Some(UserMember::Local(name.to_owned())),
                Some(_) => None,
                None => is_qualified(rest).then(|| UserMember::Directory(rest.to_owned())),
            },
            "user-group" => {
                let id = rest.replacen("\\\\", "\\", 1);
                is_qualified(&id).then_some(UserMember::DirectoryGroup(id))
            }
            "group-object" => check_object_name(rest)
                .ok()
                .map(|()| UserMember::Nested(rest.to_owned())),
            _ => None,
        }
    }

    fn nested_group(&self) -> Option<&str> {
        match self {
            UserMember::Nested(name) => Some(name),
            _ => None,
        }
    }
}

const MEMBERS: Type = Type::Array(&Type::Object(&OBJECT_REF));

/// `object#LocalUserObjGroup`.
pub static SCHEMA: Object = Object {
    name: "LocalUserObjGroup",
    description: "A user group (`object-group user`): local and directory users and groups.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The group's name (its objectId).").required(),
        Field::new("description", Type::Str, "Free text shown with the group."),
        Field::new(
            "members",
            MEMBERS,
            "`objectRef#UserObj` (local or `DOMAIN\\user`), `objectRef#UserGroupObj` or a nested `objectRef#LocalUserObjGroup`.",
        ),
        Field::new("members.add", MEMBERS, "PATCH only: members to add."),
        Field::new("members.remove", MEMBERS, "PATCH only: members to remove."),
    ],
    kinds: &["object#LocalUserObjGroup"],
    ours: false,
};

impl Resource for LocalUserGroup {
    const KIND: &'static str = "object#LocalUserObjGroup";
    const COLLECTION_KIND: &'static str = "collection#LocalUserObjGroup";
    const PATH: &'static str = GROUPS;
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "object-group user ";

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
        vec![format!("no object-group user {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        if let Some(g) = Group::from_block(rest, children) {
            collection.insert(g);
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.local_user_groups
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.local_user_groups
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        self.check_nested(&cfg.local_user_groups, "user group")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LINK: &str = "https://asa/api/objects/localusergroups/staff";

    fn create(body: Value) -> Result<LocalUserGroup, FieldError> {
        LocalUserGroup::from_json(&body, WriteMode::Create)
    }

    fn staff() -> LocalUserGroup {
        Group {
            name: "staff".into(),
            description: Some("all staff".into()),
            members: vec![
                UserMember::Local("bob".into()),
                UserMember::Directory("CORP\\alice".into()),
                UserMember::DirectoryGroup("CORP\\admins".into()),
                UserMember::Nested("ops".into()),
            ],
        }
    }

    #[test]
    fn writes_json_and_cli() {
        let g = staff();
        assert_eq!(
            g.to_json(LINK),
            json!({
                "kind": "object#LocalUserObjGroup", "selfLink": LINK, "name": "staff",
                "description": "all staff",
                "members": [
                    {"kind": "objectRef#UserObj", "refLink": "https://asa/api/objects/userobjects/bob", "objectId": "bob"},
                    {"kind": "objectRef#UserObj", "objectId": "CORP\\alice"},
                    {"kind": "objectRef#UserGroupObj", "objectId": "CORP\\admins"},
                    {"kind": "objectRef#LocalUserObjGroup", "refLink": "https://asa/api/objects/localusergroups/ops", "objectId": "ops"},
                ],
                "objectId": "staff",
            })
        );
        assert_eq!(
            g.cli_create(),
            [
                "object-group user staff",
                " description all staff",
                " user LOCAL\\bob",
                " user CORP\\alice",
                " user-group CORP\\\\admins",
                " group-object ops",
            ]
        );
        assert_eq!(
            LocalUserGroup::from_json(&g.to_json(LINK), WriteMode::Create),
            Ok(g.clone())
        );
        let cfg = RunningConfig::parse(&format!("{}\n", g.cli_create().join("\n")));
        assert_eq!(cfg.local_user_groups.get("staff"), Some(&g));
    }

    #[test]
    fn rejects_bad_members_naming_them() {
        let cases = [
            (
                json!([{"kind": "objectRef#LocalUserObj", "objectId": "a b"}]),
                "members[0].objectId",
            ),
            (
                json!([{"kind": "objectRef#UserObj", "objectId": "CORP\\"}]),
                "members[0].objectId",
            ),
            (
                json!([{"kind": "objectRef#NetworkObj", "objectId": "x"}]),
                "members[0].kind",
            ),
            (json!([{"objectId": "x"}]), "members[0].kind"),
            (json!(["bob"]), "members[0]"),
            (json!({"x": 1}), "members"),
            (
                json!([{"kind": "objectRef#LocalUserObjGroup", "objectId": "staff"}]),
                "members[0]",
            ),
        ];
        for (members, attr) in cases {
            let e = create(json!({"name": "staff", "members": members.clone()})).expect_err(attr);
            assert_eq!(e.attribute, attr, "{members}");
        }
    }

    #[test]
    fn patch_adds_and_removes_members() {
        let existing = staff();
        let mode = WriteMode::Patch {
            id: "staff",
            existing: &existing,
        };
        let g = LocalUserGroup::from_json(
            &json!({
                "members.add": [{"kind": "objectRef#LocalUserObj", "objectId": "carol"}],
                "members.remove": [{"kind": "objectRef#LocalUserObj", "objectId": "bob"}],
            }),
            mode,
        )
        .unwrap();
        assert_eq!(
            LocalUserGroup::cli_replace(&existing, &g),
            [
                "object-group user staff",
                " user LOCAL\\carol",
                " no user LOCAL\\bob"
            ]
        );
        let e = LocalUserGroup::from_json(
            &json!({"members.remove": [{"kind": "objectRef#LocalUserObj", "objectId": "zed"}]}),
            mode,
        );
        assert_eq!(
            e.map_err(|e| e.attribute),
            Err("members.remove[0]".to_owned())
        );
        let e = create(json!({"name": "g", "members.add": []}));
        assert_eq!(e.map_err(|e| e.attribute), Err("members.add".to_owned()));
    }

    #[test]
    fn group_paths_do_not_shadow_the_user_paths() {
        use crate::resources::ResourceKind;
        assert_eq!(
            ResourceKind::split_path("/api/objects/localusergroups/staff"),
            Some((ResourceKind::LocalUserGroup, Some("staff")))
        );
        assert_eq!(
            ResourceKind::split_path("/api/objects/localusers/staff"),
            Some((ResourceKind::LocalUser, Some("staff")))
        );
        assert_eq!(
            ResourceKind::from_path("/api/objects/userobjects/"),
            Some(ResourceKind::UserObject)
        );
    }

    #[test]
    fn nested_groups_must_exist() {
        let mut g = staff();
        let cfg = RunningConfig::parse("object-group user other\n user LOCAL\\x\n");
        assert_eq!(
            g.resolve(&cfg).map_err(|e| e.attribute),
            Err("members[3]".to_owned())
        );
        let cfg = RunningConfig::parse("object-group user ops\n user LOCAL\\x\n");
        assert_eq!(g.resolve(&cfg), Ok(()));
    }

    fn member() -> impl Strategy<Value = UserMember> {
        prop_oneof![
            "[a-z][a-z0-9._-]{0,15}".prop_map(UserMember::Local),
            "[A-Z]{1,8}\\\\[a-z][a-z0-9.]{0,10}".prop_map(UserMember::Directory),
            "[A-Z]{1,8}\\\\[a-z][a-z0-9.]{0,10}".prop_map(UserMember::DirectoryGroup),
            crate::strategies::object_name().prop_map(UserMember::Nested),
        ]
    }

    proptest! {
        #[test]
        fn round_trips(
            name in crate::strategies::object_name(),
            description in prop::option::of(crate::strategies::description()),
            members in prop::collection::vec(member(), 0..6),
        ) {
            let mut unique: Vec<UserMember> = Vec::new();
            for m in members {
                if !unique.contains(&m) && m.nested_group() != Some(name.as_str()) {
                    unique.push(m);
                }
            }
            let g = Group { name, description, members: unique };
            prop_assert_eq!(LocalUserGroup::from_json(&g.to_json(LINK), WriteMode::Create), Ok(g.clone()));
            let cfg = RunningConfig::parse(&format!("{}\n", g.cli_create().join("\n")));
            prop_assert_eq!(cfg.local_user_groups.get(&g.name), Some(&g));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,30}") {
            let _ = create(json!({"name": "g", "members": [{"kind": "objectRef#UserObj", "objectId": s}]}));
            let _ = RunningConfig::parse(&format!("object-group user g\n user {s}\n user-group {s}\n"));
        }
    }
}
