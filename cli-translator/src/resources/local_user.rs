//! Local users: `/api/objects/localusers`, kind `object#LocalUserObj`.
//!
//! ASA syntax (configuration mode):
//! ```text
//! username <name> password <pw> [mschap] [privilege <0-15>]
//! username <name> password <hash> pbkdf2|encrypted|nt-encrypted [privilege <0-15>]   (as stored)
//! username <name> nopassword [privilege <0-15>]
//! username <name> attributes
//!  service-type admin|nas-prompt|remote-access
//! no username <name>
//! ```
//! JSON: `{"kind":"object#LocalUserObj","name":"bob","objectId":"bob","privilegeLevel":3,
//! "MSCHAPauthenticated":false,"ASDM_CLIAccessType":"Full"}`. `password` is accepted on write
//! (required on POST) and never returned. `ASDM_CLIAccessType` maps the `service-type`:
//! `Full` (none, or `admin`), `LoginPrompt` (`nas-prompt`), `NoAccess` (`remote-access`); the
//! ASA's own spellings of these values are not documented, so input also accepts the CLI words.
//! `MSCHAPauthenticated` follows the stored password unless given (on PUT too); changing it
//! needs the password. A line without `privilege` means level 2. The device stores a hash of the password, so
//! writes are not patched into the agent's snapshot ([`Resource::PATCH_IN_PLACE`]).

use std::fmt;

use serde_json::{Map, Value};

use super::{
    Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_bool, json_str,
    json_u32,
};
use crate::ast::{Command, HashScheme, Password};
use crate::parse::{MAX_PASSWORD, is_username, parse_command};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};

/// The privilege of a `username` line that names none.
pub const DEFAULT_PRIVILEGE: u8 = 2;
/// Shortest password the ASA accepts.
pub const MIN_PASSWORD: usize = 3;

/// One local user. `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct LocalUser {
    pub name: String,
    /// As written (clear) or as stored (hashed, `nopassword`).
    pub password: Password,
    pub privilege: u8,
    pub service_type: Option<ServiceType>,
}

/// `service-type` under `username <name> attributes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceType {
    Admin,
    NasPrompt,
    RemoteAccess,
}

impl ServiceType {
    fn cli(self) -> &'static str {
        match self {
            ServiceType::Admin => "admin",
            ServiceType::NasPrompt => "nas-prompt",
            ServiceType::RemoteAccess => "remote-access",
        }
    }

    fn from_cli(word: &str) -> Option<ServiceType> {
        match word {
            "admin" => Some(ServiceType::Admin),
            "nas-prompt" => Some(ServiceType::NasPrompt),
            "remote-access" => Some(ServiceType::RemoteAccess),
            _ => None,
        }
    }
}

impl fmt::Debug for LocalUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let password = match &self.password {
            Password::Clear(_) => "clear",
            Password::ClearMschap(_) => "clear mschap",
            Password::Hashed { .. } => "hashed",
            Password::None => "none",
        };
        f.debug_struct("LocalUser")
            .field("name", &self.name)
            .field("password", &password)
            .field("privilege", &self.privilege)
            .field("service_type", &self.service_type)
            .finish()
    }
}

impl LocalUser {
    /// Whether the password is for MS-CHAP.
    pub fn mschap(&self) -> bool {
        matches!(
            self.password,
            Password::ClearMschap(_)
                | Password::Hashed {
                    scheme: HashScheme::NtEncrypted,
                    ..
                }
        )
    }

    fn access_type(&self) -> &'static str {
        match self.service_type {
            None | Some(ServiceType::Admin) => "Full",
            Some(ServiceType::NasPrompt) => "LoginPrompt",
            Some(ServiceType::RemoteAccess) => "NoAccess",
        }
    }

    fn username_line(&self) -> String {
        Command::Username {
            name: self.name.clone(),
            password: self.password.clone(),
            privilege: Some(self.privilege),
        }
        .to_string()
    }
}

/// `ASDM_CLIAccessType` in: `None` for `Full` when no service-type is configured.
fn access_from_json(
    text: &str,
    existing: Option<ServiceType>,
) -> Result<Option<ServiceType>, FieldError> {
    let key: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match key.as_str() {
        "full" | "admin" => Ok(existing.filter(|s| *s == ServiceType::Admin)),
        "loginprompt" | "cliloginprompt" | "nasprompt" => Ok(Some(ServiceType::NasPrompt)),
        "noaccess" | "noasdmclioraccess" | "remoteaccess" => Ok(Some(ServiceType::RemoteAccess)),
        _ => Err(FieldError::new(
            "ASDM_CLIAccessType",
            FieldProblem::BadValue(format!("'{text}' is not Full, LoginPrompt or NoAccess")),
        )),
    }
}

/// A clear password from a request: 3 to 127 characters, no blanks or control characters.
fn password_from_json(v: &Value) -> Result<&str, FieldError> {
    let pw = json_str(v, "password")?;
    let len = pw.chars().count();
    if !(MIN_PASSWORD..=MAX_PASSWORD).contains(&len) {
        return Err(FieldError::new(
            "password",
            FieldProblem::BadValue(format!(
                "the length must be {MIN_PASSWORD} to {MAX_PASSWORD} characters"
            )),
        ));
    }
    if pw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::new(
            "password",
            FieldProblem::BadValue("blanks and control characters are not allowed".into()),
        ));
    }
    Ok(pw)
}

/// `object#LocalUserObj`.
pub static SCHEMA: Object = Object {
    name: "LocalUserObj",
    description: "A user of the local database (`username`).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The user name (its objectId).").required(),
        Field::new(
            "password",
            Type::Str,
            "The password; write-only, never answered (the device keeps a hash).",
        )
        .required()
        .write_only(),
        Field::new(
            "privilegeLevel",
            Type::Int {
                min: Some(0),
                max: Some(15),
            },
            "Privilege level, 0 to 15 (2 when left out).",
        ),
        Field::new(
            "MSCHAPauthenticated",
            Type::Bool,
            "Whether the password is stored for MS-CHAP authentication.",
        ),
        Field::new(
            "ASDM_CLIAccessType",
            Type::Str,
            "`Full`, `LoginPrompt` or `NoAccess` (the `service-type`).",
        ),
    ],
    kinds: &["object#LocalUserObj"],
    ours: false,
};

impl Resource for LocalUser {
    const KIND: &'static str = "object#LocalUserObj";
    const COLLECTION_KIND: &'static str = "collection#LocalUserObj";
    const PATH: &'static str = "/api/objects/localusers";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "username ";
    const PATCH_IN_PLACE: bool = false;

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut map = Map::new();
        map.insert("kind".into(), Value::from(Self::KIND));
        map.insert("selfLink".into(), Value::from(self_link));
        map.insert("name".into(), Value::from(self.name.as_str()));
        map.insert("privilegeLevel".into(), Value::from(self.privilege));
        map.insert("MSCHAPauthenticated".into(), Value::from(self.mschap()));
        map.insert("ASDM_CLIAccessType".into(), Value::from(self.access_type()));
        map.insert("objectId".into(), Value::from(self.name.as_str()));
        Value::Object(map)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let given_name = match map.get("name") {
            None | Some(Value::Null) => None,
            Some(v) => Some(json_str(v, "name")?),
        };
        let (name, existing, merge) = match mode {
            WriteMode::Create => {
                let name =
                    given_name.ok_or_else(|| FieldError::new("name", FieldProblem::Missing))?;
                if !is_username(name) || name.eq_ignore_ascii_case("attributes") {
                    return Err(FieldError::new(
                        "name",
                        FieldProblem::BadValue(
                            "a user name is 1 to 64 characters without blanks".into(),
                        ),
                    ));
                }
                (name.to_owned(), None, false)
            }
            WriteMode::Replace { id, existing } => {
                (same_name(given_name, id)?, Some(existing), false)
            }
            WriteMode::Patch { id, existing } => (same_name(given_name, id)?, Some(existing), true),
        };
        let base = existing.filter(|_| merge);
        let privilege = match (map.get("privilegeLevel"), base) {
            (None, Some(b)) => b.privilege,
            (None | Some(Value::Null), _) => DEFAULT_PRIVILEGE,
            (Some(v), _) => {
                let level = json_u32(v, "privilegeLevel")?;
                u8::try_from(level)
                    .ok()
                    .filter(|l| *l <= 15)
                    .ok_or_else(|| {
                        FieldError::new(
                            "privilegeLevel",
                            FieldProblem::BadValue(format!("{level} is not a level from 0 to 15")),
                        )
                    })?
            }
        };
        // The kind of password is kept unless given, on PUT too: it belongs to the password.
        let mschap = match (map.get("MSCHAPauthenticated"), existing) {
            (None | Some(Value::Null), Some(e)) => e.mschap(),
            (None | Some(Value::Null), None) => false,
            (Some(v), _) => json_bool(v, "MSCHAPauthenticated")?,
        };
        let current_service = existing.and_then(|e| e.service_type);
        let service_type = match (map.get("ASDM_CLIAccessType"), base) {
            (None, Some(b)) => b.service_type,
            (None | Some(Value::Null), _) => None,
            (Some(v), _) => access_from_json(json_str(v, "ASDM_CLIAccessType")?, current_service)?,
        };
        let password = match (map.get("password"), existing) {
            (Some(v), _) if !v.is_null() => {
                let pw = password_from_json(v)?.to_owned();
                if mschap {
                    Password::ClearMschap(pw)
                } else {
                    Password::Clear(pw)
                }
            }
            (_, Some(e)) if e.mschap() == mschap => e.password.clone(),
            (_, Some(_)) => {
                return Err(FieldError::new(
                    "password",
                    FieldProblem::BadValue(
                        "changing MSCHAPauthenticated needs the password".into(),
                    ),
                ));
            }
            (_, None) => return Err(FieldError::new("password", FieldProblem::Missing)),
        };
        Ok(LocalUser {
            name,
            password,
            privilege,
            service_type,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut lines = vec![self.username_line()];
        if let Some(s) = self.service_type {
            lines.push(format!("username {} attributes", self.name));
            lines.push(format!(" service-type {}", s.cli()));
        }
        lines
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut lines = Vec::new();
        if old.password != new.password || old.privilege != new.privilege {
            lines.push(new.username_line());
        }
        if old.service_type != new.service_type {
            lines.push(format!("username {} attributes", new.name));
            match new.service_type {
                Some(s) => lines.push(format!(" service-type {}", s.cli())),
                None => lines.push(" no service-type".to_owned()),
            }
        }
        lines
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no username {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let mut words = rest.split_whitespace();
        let (Some(name), Some(second)) = (words.next(), words.next()) else {
            return;
        };
        if second == "attributes" {
            let service = children.iter().find_map(|c| {
                c.strip_prefix("service-type ")
                    .and_then(|w| ServiceType::from_cli(w.trim()))
            });
            collection.update(name, |user| user.service_type = service);
            return;
        }
        let line = format!("username {rest}");
        if let Ok(Command::Username {
            name,
            password,
            privilege,
        }) = parse_command(&line)
        {
            let service_type = collection.get(&name).and_then(|u| u.service_type);
            collection.insert(LocalUser {
                name,
                password,
                privilege: privilege.unwrap_or(DEFAULT_PRIVILEGE),
                service_type,
            });
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.local_users
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.local_users
    }
}

/// The name of a PUT/PATCH body: absent, or equal to the id.
fn same_name(given: Option<&str>, id: &str) -> Result<String, FieldError> {
    match given {
        Some(n) if n != id => Err(FieldError::new("name", FieldProblem::Mismatch)),
        _ => Ok(id.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const LINK: &str = "https://asa/api/objects/localusers/bob";

    fn create(body: Value) -> Result<LocalUser, FieldError> {
        LocalUser::from_json(&body, WriteMode::Create)
    }

    fn stored_bob() -> LocalUser {
        LocalUser {
            name: "bob".into(),
            password: Password::Hashed {
                hash: "$sha512$5000$abc$def".into(),
                scheme: HashScheme::Pbkdf2,
            },
            privilege: 3,
            service_type: None,
        }
    }

    #[test]
    fn json_never_carries_the_password() {
        let u =
            create(json!({"name": "bob", "password": "s3cret!", "privilegeLevel": "3"})).unwrap();
        let out = u.to_json(LINK);
        assert_eq!(
            out,
            json!({
                "kind": "object#LocalUserObj", "selfLink": LINK, "name": "bob",
                "privilegeLevel": 3, "MSCHAPauthenticated": false,
                "ASDM_CLIAccessType": "Full", "objectId": "bob",
            })
        );
        assert!(!out.to_string().contains("s3cret"));
        assert!(!format!("{u:?}").contains("s3cret"));
    }

    #[test]
    fn prints_username_and_attributes() {
        let u = create(json!({
            "name": "bob", "password": "s3cret!", "MSCHAPauthenticated": true,
            "ASDM_CLIAccessType": "LoginPrompt",
        }))
        .unwrap();
        assert_eq!(
            u.cli_create(),
            [
                "username bob password s3cret! mschap privilege 2",
                "username bob attributes",
                " service-type nas-prompt",
            ]
        );
        assert_eq!(u.cli_delete(), ["no username bob"]);
    }

    #[test]
    fn post_requires_name_and_password() {
        assert_eq!(
            create(json!({"name": "bob"})),
            Err(FieldError::new("password", FieldProblem::Missing))
        );
        assert_eq!(
            create(json!({"password": "abcdef"})).map_err(|e| e.attribute),
            Err("name".to_owned())
        );
        for bad in ["ab", "has space", "x\ny", &"p".repeat(128)] {
            assert_eq!(
                create(json!({"name": "bob", "password": bad})).map_err(|e| e.attribute),
                Err("password".to_owned()),
                "{bad:?}"
            );
        }
        for (attr, body) in [
            (
                "privilegeLevel",
                json!({"name": "bob", "password": "abc", "privilegeLevel": 16}),
            ),
            (
                "ASDM_CLIAccessType",
                json!({"name": "bob", "password": "abc", "ASDM_CLIAccessType": "Some"}),
            ),
            (
                "MSCHAPauthenticated",
                json!({"name": "bob", "password": "abc", "MSCHAPauthenticated": 3}),
            ),
            ("name", json!({"name": "a b", "password": "abc"})),
        ] {
            assert_eq!(create(body).map_err(|e| e.attribute), Err(attr.to_owned()));
        }
    }

    #[test]
    fn patch_keeps_the_stored_password() {
        let existing = stored_bob();
        let mode = WriteMode::Patch {
            id: "bob",
            existing: &existing,
        };
        let u = LocalUser::from_json(&json!({"privilegeLevel": 15}), mode).unwrap();
        assert_eq!(u.password, existing.password);
        assert_eq!(
            LocalUser::cli_replace(&existing, &u),
            ["username bob password $sha512$5000$abc$def pbkdf2 privilege 15"]
        );
        let e = LocalUser::from_json(&json!({"MSCHAPauthenticated": true}), mode);
        assert_eq!(e.map_err(|e| e.attribute), Err("password".to_owned()));
        let u = LocalUser::from_json(&json!({"ASDM_CLIAccessType": "NoAccess"}), mode).unwrap();
        assert_eq!(
            LocalUser::cli_replace(&existing, &u),
            ["username bob attributes", " service-type remote-access"]
        );
        assert_eq!(
            LocalUser::cli_replace(&u, &existing),
            ["username bob attributes", " no service-type"]
        );
        assert!(LocalUser::cli_replace(&existing, &existing).is_empty());
    }

    #[test]
    fn put_resets_omitted_fields_but_keeps_the_password() {
        let existing = stored_bob();
        let mode = WriteMode::Replace {
            id: "bob",
            existing: &existing,
        };
        let u = LocalUser::from_json(&json!({"name": "bob"}), mode).unwrap();
        assert_eq!(u.privilege, DEFAULT_PRIVILEGE);
        assert_eq!(u.password, existing.password);
        let ms = LocalUser {
            password: Password::Hashed {
                hash: "h".into(),
                scheme: HashScheme::NtEncrypted,
            },
            ..stored_bob()
        };
        let mode = WriteMode::Replace {
            id: "bob",
            existing: &ms,
        };
        let u = LocalUser::from_json(&json!({"privilegeLevel": 4}), mode).unwrap();
        assert!(u.mschap());
        let u = LocalUser::from_json(&json!({"password": "fresh-pw"}), mode).unwrap();
        assert_eq!(u.password, Password::ClearMschap("fresh-pw".into()));
        let e = LocalUser::from_json(&json!({"name": "eve"}), mode);
        assert_eq!(e, Err(FieldError::new("name", FieldProblem::Mismatch)));
    }

    #[test]
    fn reads_users_and_their_attributes_from_the_configuration() {
        let cfg = RunningConfig::parse(
            "username admin password gWe.oMSKmeGtelxS encrypted privilege 15\n\
             username ms password abc nt-encrypted\n\
             username admin attributes\n service-type nas-prompt\n\
             username ghost attributes\n service-type admin\n\
             username bad password\n",
        );
        let names: Vec<&str> = cfg.local_users.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["admin", "ms"]);
        let admin = cfg.local_users.get("admin").unwrap();
        assert_eq!(admin.privilege, 15);
        assert_eq!(admin.service_type, Some(ServiceType::NasPrompt));
        let ms = cfg.local_users.get("ms").unwrap();
        assert!(ms.mschap());
        assert_eq!(ms.privilege, DEFAULT_PRIVILEGE);
        assert_eq!(ms.to_json(LINK)["ASDM_CLIAccessType"], "Full");
    }

    fn valid_user() -> impl Strategy<Value = LocalUser> {
        (
            "[A-Za-z0-9_.@-]{1,20}",
            "[!-~]{3,30}",
            any::<bool>(),
            0u8..=15,
            prop::option::of(prop_oneof![
                Just(ServiceType::NasPrompt),
                Just(ServiceType::RemoteAccess)
            ]),
        )
            .prop_filter("reserved", |(n, ..)| n != "attributes")
            .prop_map(|(name, pw, mschap, privilege, service_type)| LocalUser {
                name,
                password: if mschap {
                    Password::ClearMschap(pw)
                } else {
                    Password::Clear(pw)
                },
                privilege,
                service_type,
            })
    }

    proptest! {
        #[test]
        fn cli_round_trips_through_the_configuration(u in valid_user()) {
            let mut text = u.cli_create().join("\n");
            text.push('\n');
            let cfg = RunningConfig::parse(&text);
            prop_assert_eq!(cfg.local_users.get(&u.name), Some(&u));
        }

        #[test]
        fn json_round_trips_with_the_password_added(u in valid_user()) {
            let mut json = u.to_json(LINK);
            let (Password::Clear(pw) | Password::ClearMschap(pw)) = &u.password else {
                return Err(TestCaseError::fail("clear password expected"));
            };
            json["password"] = Value::from(pw.as_str());
            prop_assert_eq!(LocalUser::from_json(&json, WriteMode::Create), Ok(u));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,30}", n in any::<i64>()) {
            let body = json!({"name": s, "password": s, "privilegeLevel": n, "ASDM_CLIAccessType": s});
            let _ = create(body);
            let _ = RunningConfig::parse(&format!("username {s}\nusername {s} attributes\n {s}\n"));
        }
    }
}
