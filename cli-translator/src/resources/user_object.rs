//! User objects: `/api/objects/userobjects`, kind `object#UserObj` — the identity of each local
//! user as access rules and user groups name it (`user LOCAL\<name>`).
//!
//! There is no CLI of their own: the collection is derived from the `username` lines once the
//! configuration is read ([`derive`]), so it is read-only. Writes answer 400 naming `objectId`
//! (users are created and deleted through `/api/objects/localusers`).
//!
//! JSON, as devices answer: `{"kind":"object#UserObj","selfLink":..,"userName":"bob",
//! "user":{"kind":"objectRef#LocalUserObj","refLink":".../api/objects/localusers/bob",
//! "objectId":"bob"},"objectId":"bob"}`.

use serde_json::{Map, Value};

use super::reference::{origin_of, ref_json};
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode};
use crate::schema::{Field, KIND, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, Type};

/// The user object of one local user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserObject {
    pub name: String,
}

/// Fills the user objects from the local users (call after reading a configuration).
pub fn derive(cfg: &mut RunningConfig) {
    let mut objects = Collection::new();
    for user in cfg.local_users.iter() {
        objects.insert(UserObject {
            name: user.name.clone(),
        });
    }
    cfg.user_objects = objects;
}

/// `object#UserObj` (read-only: derived from the local users).
pub static SCHEMA: Object = Object {
    name: "UserObj",
    description: "A local user as a user object (read-only; follows the local users).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("userName", Type::Str, "The user name.").read_only(),
        Field::new(
            "user",
            Type::Object(&OBJECT_REF),
            "The local user (`objectRef#LocalUserObj`).",
        )
        .read_only(),
    ],
    kinds: &["object#UserObj"],
    ours: false,
};

impl Resource for UserObject {
    const KIND: &'static str = "object#UserObj";
    const COLLECTION_KIND: &'static str = "collection#UserObj";
    const PATH: &'static str = "/api/objects/userobjects";
    const SCHEMA: &'static Object = &SCHEMA;
    /// No configuration line starts with a NUL: the collection is never read from a block.
    const CLI_HEADER: &'static str = "\0";
    /// Derived from the local users: the API answers writes with 405.
    const READ_ONLY: bool = true;

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut map = Map::new();
        map.insert("kind".into(), Value::from(Self::KIND));
        map.insert("selfLink".into(), Value::from(self_link));
        map.insert("userName".into(), Value::from(self.name.as_str()));
        map.insert(
            "user".into(),
            ref_json(
                "objectRef#LocalUserObj",
                origin_of(self_link),
                "/api/objects/localusers",
                &self.name,
            ),
        );
        map.insert("objectId".into(), Value::from(self.name.as_str()));
        Value::Object(map)
    }

    fn from_json(_body: &Value, _mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        Err(FieldError::new("objectId", FieldProblem::ReadOnly))
    }

    fn cli_create(&self) -> Vec<String> {
        Vec::new()
    }

    fn cli_replace(_old: &Self, _new: &Self) -> Vec<String> {
        Vec::new()
    }

    fn cli_delete(&self) -> Vec<String> {
        Vec::new()
    }

    fn absorb_block(_collection: &mut Collection<Self>, _rest: &str, _children: &[&str]) {}

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.user_objects
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.user_objects
    }

    fn is_predefined(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_local_user_has_a_read_only_user_object() {
        let cfg = RunningConfig::parse(
            "username admin password x pbkdf2 privilege 15\nusername bob nopassword\n",
        );
        let names: Vec<&str> = cfg.user_objects.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["admin", "bob"]);
        let bob = cfg.user_objects.get("bob").cloned().unwrap();
        assert_eq!(
            bob.to_json("https://asa:8443/api/objects/userobjects/bob"),
            json!({
                "kind": "object#UserObj",
                "selfLink": "https://asa:8443/api/objects/userobjects/bob",
                "userName": "bob",
                "user": {"kind": "objectRef#LocalUserObj", "refLink": "https://asa:8443/api/objects/localusers/bob", "objectId": "bob"},
                "objectId": "bob",
            })
        );
        assert!(bob.is_predefined());
        assert_eq!(
            UserObject::from_json(&json!({"userName": "x"}), WriteMode::Create),
            Err(FieldError::new("objectId", FieldProblem::ReadOnly))
        );
        assert!(bob.cli_delete().is_empty());
    }
}
