//! IKE policies: `/api/vpn/ikev1policy` (kind `object#ikev1policy`, as the public Ansible
//! client sends it and compares it) and `/api/vpn/ikev2policy` (kind `object#IKEv2Policy`,
//! shape ours). The objectId is the priority, as a string.
//!
//! ASA syntax:
//! ```text
//! crypto ikev1 policy <1-65535>
//!  authentication pre-share|rsa-sig
//!  encryption des|3des|aes|aes-192|aes-256
//!  hash md5|sha
//!  group <n>
//!  lifetime <120-2147483647>|none
//! crypto ikev2 policy <1-65535>
//!  encryption <alg>...
//!  integrity <alg>...
//!  group <n>...
//!  prf <alg>...
//!  lifetime seconds <120-2147483647>
//! ```
//! IKEv1 JSON (exactly these keys: the client raises on any other): `kind`, `objectId`,
//! `selfLink`, `priority` (int), `authentication`, `encryption` (`aes-128` is the CLI's
//! `aes`), `hash`, `dhgroup` (int), `lifetimeInSecs` (int; 0 for `lifetime none`). A line
//! the device does not print takes the ASA's default (rsa-sig, 3des, sha, group 2, 86400).

use serde_json::{Map, Value, json};

use super::{bad, body_map, get, int_in, one_of, parse_priority, string_list};
use crate::resources::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode};
use crate::schema::{Field, INT, KIND, OBJECT_ID, Object, SELF_LINK, Type};

/// JSON encryption values of IKEv1 and the CLI keyword each is written as.
const IKEV1_ENCRYPTION: &[(&str, &str)] = &[
    ("des", "des"),
    ("3des", "3des"),
    ("aes-128", "aes"),
    ("aes-192", "aes-192"),
    ("aes-256", "aes-256"),
];
/// Diffie-Hellman groups the ASA takes.
pub const DH_GROUPS: &[u32] = &[1, 2, 5, 14, 15, 16, 19, 20, 21, 24, 31];
/// IKEv2 encryption keywords.
pub const IKEV2_ENCRYPTION: &[&str] = &[
    "des",
    "3des",
    "aes",
    "aes-192",
    "aes-256",
    "aes-gcm",
    "aes-gcm-192",
    "aes-gcm-256",
    "null",
];
/// IKEv2 integrity and PRF keywords.
pub const IKEV2_HASHES: &[&str] = &["md5", "sha", "sha256", "sha384", "sha512", "null"];

const MAX_LIFETIME: u32 = 2_147_483_647;
const PRIORITY: Type = Type::Int {
    min: Some(1),
    max: Some(65535),
};
const LIFETIME: Type = Type::Int {
    min: Some(0),
    max: Some(MAX_LIFETIME as i64),
};

/// One `crypto ikev1 policy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ikev1Policy {
    pub id: String,
    pub priority: u32,
    pub authentication: String,
    /// The JSON value (`aes-128` for the CLI's `aes`).
    pub encryption: String,
    pub hash: String,
    pub group: u32,
    /// 0: `lifetime none`.
    pub lifetime: u32,
}

impl Ikev1Policy {
    fn new(priority: u32) -> Ikev1Policy {
        Ikev1Policy {
            id: priority.to_string(),
            priority,
            authentication: "rsa-sig".into(),
            encryption: "3des".into(),
            hash: "sha".into(),
            group: 2,
            lifetime: 86400,
        }
    }

    fn lines(&self) -> [String; 5] {
        let enc = IKEV1_ENCRYPTION
            .iter()
            .find(|(j, _)| *j == self.encryption)
            .map_or("3des", |(_, c)| c);
        let lifetime = if self.lifetime == 0 {
            "none".to_owned()
        } else {
            self.lifetime.to_string()
        };
        [
            format!(" authentication {}", self.authentication),
            format!(" encryption {enc}"),
            format!(" hash {}", self.hash),
            format!(" group {}", self.group),
            format!(" lifetime {lifetime}"),
        ]
    }
}

/// The priority of a create body, or the id of a PUT/PATCH (the body's must agree).
fn priority_of(map: &Map<String, Value>, id: Option<&str>) -> Result<u32, FieldError> {
    let given = get(map, "priority")
        .map(|v| int_in(v, "priority", 1, 65535))
        .transpose()?;
    match (given, id) {
        (Some(p), Some(id)) if p.to_string() != id => {
            Err(FieldError::new("priority", FieldProblem::Mismatch))
        }
        (Some(p), _) => Ok(p),
        (None, Some(id)) => {
            parse_priority(id).ok_or_else(|| bad("priority", format!("'{id}' is not a priority")))
        }
        (None, None) => Err(FieldError::new("priority", FieldProblem::Missing)),
    }
}

/// `object#ikev1policy`.
pub static IKEV1_SCHEMA: Object = Object {
    name: "IKEv1Policy",
    description: "An IKEv1 policy (`crypto ikev1 policy`), identified by its priority.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "priority",
            PRIORITY,
            "The policy's priority (its objectId).",
        )
        .required(),
        Field::new(
            "authentication",
            Type::Enum(&["pre-share", "rsa-sig"]),
            "Peer authentication (default rsa-sig).",
        ),
        Field::new(
            "encryption",
            Type::Enum(&["des", "3des", "aes-128", "aes-192", "aes-256"]),
            "Encryption (default 3des).",
        ),
        Field::new("hash", Type::Enum(&["md5", "sha"]), "Hash (default sha)."),
        Field::new("dhgroup", INT, "Diffie-Hellman group (default 2)."),
        Field::new(
            "lifetimeInSecs",
            LIFETIME,
            "SA lifetime, 120-2147483647 seconds (default 86400; 0 when `lifetime none`).",
        ),
    ],
    kinds: &["object#ikev1policy"],
    ours: false,
};

impl Resource for Ikev1Policy {
    const KIND: &'static str = "object#ikev1policy";
    const COLLECTION_KIND: &'static str = "collection#ikev1policy";
    const PATH: &'static str = "/api/vpn/ikev1policy";
    const SCHEMA: &'static Object = &IKEV1_SCHEMA;
    const CLI_HEADER: &'static str = "crypto ikev1 policy ";

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        json!({
            "kind": Self::KIND,
            "objectId": self.id,
            "selfLink": self_link,
            "priority": self.priority,
            "authentication": self.authentication,
            "encryption": self.encryption,
            "hash": self.hash,
            "dhgroup": self.group,
            "lifetimeInSecs": self.lifetime,
        })
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, .. } => (Some(id), None),
            WriteMode::Patch { id, existing } => (Some(id), Some(existing)),
        };
        let priority = priority_of(map, id)?;
        let mut p = base.cloned().unwrap_or_else(|| Ikev1Policy::new(priority));
        if let Some(v) = get(map, "authentication") {
            p.authentication = one_of(v, "authentication", &["pre-share", "rsa-sig"])?;
        }
        if let Some(v) = get(map, "encryption") {
            let all: Vec<&str> = IKEV1_ENCRYPTION.iter().map(|(j, _)| *j).collect();
            p.encryption = one_of(v, "encryption", &all)?;
        }
        if let Some(v) = get(map, "hash") {
            p.hash = one_of(v, "hash", &["md5", "sha"])?;
        }
        if let Some(v) = get(map, "dhgroup") {
            let g = int_in(v, "dhgroup", 1, 31)?;
            if !DH_GROUPS.contains(&g) {
                return Err(bad("dhgroup", format!("group {g} is not supported")));
            }
            p.group = g;
        }
        if let Some(v) = get(map, "lifetimeInSecs") {
            p.lifetime = int_in(v, "lifetimeInSecs", 120, MAX_LIFETIME)?;
        }
        Ok(p)
    }

    fn cli_create(&self) -> Vec<String> {
        let mut out = vec![format!("crypto ikev1 policy {}", self.priority)];
        out.extend(self.lines());
        out
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let changed: Vec<String> = new
            .lines()
            .into_iter()
            .zip(old.lines())
            .filter(|(n, o)| n != o)
            .map(|(n, _)| n)
            .collect();
        if changed.is_empty() {
            return changed;
        }
        let mut out = vec![format!("crypto ikev1 policy {}", new.priority)];
        out.extend(changed);
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no crypto ikev1 policy {}", self.priority)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let Some(priority) = parse_priority(rest.trim()) else {
            return;
        };
        let mut p = Ikev1Policy::new(priority);
        for c in children {
            let w: Vec<&str> = c.split_whitespace().collect();
            match w.as_slice() {
                ["authentication", a @ ("pre-share" | "rsa-sig")] => p.authentication = (*a).into(),
                ["encryption", e] => {
                    if let Some((j, _)) = IKEV1_ENCRYPTION.iter().find(|(_, c)| c == e) {
                        p.encryption = (*j).into();
                    }
                }
                ["hash", h @ ("md5" | "sha")] => p.hash = (*h).into(),
                ["group", g] => p.group = g.parse().unwrap_or(p.group),
                ["lifetime", "none"] => p.lifetime = 0,
                ["lifetime", l] => p.lifetime = l.parse().unwrap_or(p.lifetime),
                _ => {}
            }
        }
        collection.insert(p);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.ikev1_policies
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.ikev1_policies
    }
}

/// One `crypto ikev2 policy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ikev2Policy {
    pub id: String,
    pub priority: u32,
    pub encryption: Vec<String>,
    pub integrity: Vec<String>,
    pub groups: Vec<u32>,
    pub prf: Vec<String>,
    pub lifetime: u32,
}

impl Ikev2Policy {
    fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let list = |kw: &str, l: &[String]| format!(" {kw} {}", l.join(" "));
        if !self.encryption.is_empty() {
            out.push(list("encryption", &self.encryption));
        }
        if !self.integrity.is_empty() {
            out.push(list("integrity", &self.integrity));
        }
        if !self.groups.is_empty() {
            let g: Vec<String> = self.groups.iter().map(u32::to_string).collect();
            out.push(list("group", &g));
        }
        if !self.prf.is_empty() {
            out.push(list("prf", &self.prf));
        }
        out.push(format!(" lifetime seconds {}", self.lifetime));
        out
    }
}

/// `object#IKEv2Policy`.
pub static IKEV2_SCHEMA: Object = Object {
    name: "IKEv2Policy",
    description: "An IKEv2 policy (`crypto ikev2 policy`), identified by its priority.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "priority",
            PRIORITY,
            "The policy's priority (its objectId).",
        )
        .required(),
        Field::new(
            "encryption",
            Type::Array(&Type::Enum(IKEV2_ENCRYPTION)),
            "Encryption algorithms, in order of preference.",
        )
        .required(),
        Field::new(
            "integrity",
            Type::Array(&Type::Enum(IKEV2_HASHES)),
            "Integrity algorithms, in order of preference.",
        )
        .required(),
        Field::new(
            "dhgroups",
            Type::Array(&INT),
            "Diffie-Hellman groups, in order of preference.",
        )
        .required(),
        Field::new(
            "prf",
            Type::Array(&Type::Enum(IKEV2_HASHES)),
            "Pseudo-random functions (the integrity algorithms when empty).",
        ),
        Field::new(
            "lifetimeInSecs",
            Type::Int {
                min: Some(120),
                max: Some(MAX_LIFETIME as i64),
            },
            "SA lifetime in seconds (default 86400).",
        ),
    ],
    kinds: &["object#IKEv2Policy"],
    ours: true,
};

impl Resource for Ikev2Policy {
    const KIND: &'static str = "object#IKEv2Policy";
    const COLLECTION_KIND: &'static str = "collection#IKEv2Policy";
    const PATH: &'static str = "/api/vpn/ikev2policy";
    const SCHEMA: &'static Object = &IKEV2_SCHEMA;
    const CLI_HEADER: &'static str = "crypto ikev2 policy ";

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        json!({
            "kind": Self::KIND,
            "objectId": self.id,
            "selfLink": self_link,
            "priority": self.priority,
            "encryption": self.encryption,
            "integrity": self.integrity,
            "dhgroups": self.groups,
            "prf": self.prf,
            "lifetimeInSecs": self.lifetime,
        })
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, .. } => (Some(id), None),
            WriteMode::Patch { id, existing } => (Some(id), Some(existing)),
        };
        let priority = priority_of(map, id)?;
        let mut p = base.cloned().unwrap_or(Ikev2Policy {
            id: priority.to_string(),
            priority,
            encryption: Vec::new(),
            integrity: Vec::new(),
            groups: Vec::new(),
            prf: Vec::new(),
            lifetime: 86400,
        });
        if let Some(v) = get(map, "encryption") {
            p.encryption = string_list(v, "encryption", Some(IKEV2_ENCRYPTION))?;
        }
        if let Some(v) = get(map, "integrity") {
            p.integrity = string_list(v, "integrity", Some(IKEV2_HASHES))?;
        }
        if let Some(v) = get(map, "prf") {
            p.prf = string_list(v, "prf", Some(IKEV2_HASHES))?;
        }
        if let Some(v) = get(map, "dhgroups") {
            let list = v.as_array().ok_or_else(|| {
                FieldError::new("dhgroups", FieldProblem::WrongType { expected: "a list" })
            })?;
            let mut groups = Vec::new();
            for (i, g) in list.iter().enumerate() {
                let at = format!("dhgroups[{i}]");
                let g = int_in(g, &at, 1, 31)?;
                if !DH_GROUPS.contains(&g) || groups.contains(&g) {
                    return Err(bad(&at, format!("group {g} is not supported or repeated")));
                }
                groups.push(g);
            }
            p.groups = groups;
        }
        if let Some(v) = get(map, "lifetimeInSecs") {
            p.lifetime = int_in(v, "lifetimeInSecs", 120, MAX_LIFETIME)?;
        }
        for (attr, empty) in [
            ("encryption", p.encryption.is_empty()),
            ("integrity", p.integrity.is_empty()),
            ("dhgroups", p.groups.is_empty()),
        ] {
            if empty {
                return Err(FieldError::new(attr, FieldProblem::Missing));
            }
        }
        Ok(p)
    }

    fn cli_create(&self) -> Vec<String> {
        let mut out = vec![format!("crypto ikev2 policy {}", self.priority)];
        out.extend(self.lines());
        out
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        let mut out = vec![format!("crypto ikev2 policy {}", new.priority)];
        if !old.prf.is_empty() && new.prf.is_empty() {
            out.push(" no prf".into());
        }
        let old_lines = old.lines();
        out.extend(new.lines().into_iter().filter(|l| !old_lines.contains(l)));
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no crypto ikev2 policy {}", self.priority)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let Some(priority) = parse_priority(rest.trim()) else {
            return;
        };
        let mut p = Ikev2Policy {
            id: priority.to_string(),
            priority,
            encryption: Vec::new(),
            integrity: Vec::new(),
            groups: Vec::new(),
            prf: Vec::new(),
            lifetime: 86400,
        };
        for c in children {
            let w: Vec<&str> = c.split_whitespace().collect();
            let owned = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect();
            match w.as_slice() {
                ["encryption", l @ ..] => p.encryption = owned(l),
                ["integrity", l @ ..] => p.integrity = owned(l),
                ["prf", l @ ..] => p.prf = owned(l),
                ["group", l @ ..] => p.groups = l.iter().filter_map(|g| g.parse().ok()).collect(),
                ["lifetime", "seconds", n] => p.lifetime = n.parse().unwrap_or(p.lifetime),
                _ => {}
            }
        }
        collection.insert(p);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.ikev2_policies
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.ikev2_policies
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ikev1_reads_the_fixture_form_and_answers_only_the_client_keys() {
        let cfg = RunningConfig::parse(
            "crypto ikev1 policy 5\n authentication pre-share\n encryption aes\n hash sha\n group 5\n lifetime 86400\n",
        );
        let p = cfg.ikev1_policies.get("5").unwrap();
        let j = p.to_json("https://asa/api/vpn/ikev1policy/5");
        let mut keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "authentication",
                "dhgroup",
                "encryption",
                "hash",
                "kind",
                "lifetimeInSecs",
                "objectId",
                "priority",
                "selfLink"
            ]
        );
        assert_eq!(j["encryption"], "aes-128");
        assert_eq!(j["objectId"], "5");
        assert_eq!(Ikev1Policy::from_json(&j, WriteMode::Create), Ok(p.clone()));
        let text = format!("{}\n", p.cli_create().join("\n"));
        assert!(text.contains(" encryption aes\n"), "{text}");
    }

    #[test]
    fn ikev1_patch_sends_what_changed() {
        let body = json!({"kind": "object#ikev1policy", "priority": 100, "objectId": "100",
            "authentication": "pre-share", "encryption": "aes-256", "hash": "sha", "dhgroup": 5, "lifetimeInSecs": 28800});
        let old = Ikev1Policy::from_json(&body, WriteMode::Create).unwrap();
        let new = Ikev1Policy::from_json(
            &json!({"hash": "md5"}),
            WriteMode::Patch {
                id: "100",
                existing: &old,
            },
        )
        .unwrap();
        assert_eq!(
            Ikev1Policy::cli_replace(&old, &new),
            ["crypto ikev1 policy 100", " hash md5"]
        );
        for bad in [
            json!({"priority": 0}),
            json!({"priority": 1, "encryption": "aes"}),
            json!({"priority": 1, "dhgroup": 3}),
            json!({"priority": 1, "lifetimeInSecs": 60}),
            json!({"authentication": "pre-share"}),
        ] {
            assert!(
                Ikev1Policy::from_json(&bad, WriteMode::Create).is_err(),
                "{bad}"
            );
        }
        let e = Ikev1Policy::from_json(
            &json!({"priority": 7}),
            WriteMode::Patch {
                id: "100",
                existing: &old,
            },
        );
        assert!(e.is_err());
    }

    #[test]
    fn ikev2_round_trips() {
        let p = Ikev2Policy::from_json(
            &json!({"priority": 1, "encryption": ["aes-256", "aes"], "integrity": ["sha256"],
                    "dhgroups": [14, 19], "prf": ["sha256"], "lifetimeInSecs": 28800}),
            WriteMode::Create,
        )
        .unwrap();
        let text = format!("{}\n", p.cli_create().join("\n"));
        assert_eq!(
            text,
            "crypto ikev2 policy 1\n encryption aes-256 aes\n integrity sha256\n group 14 19\n prf sha256\n lifetime seconds 28800\n"
        );
        assert_eq!(
            RunningConfig::parse(&text).ikev2_policies.get("1"),
            Some(&p)
        );
        assert!(
            Ikev2Policy::from_json(
                &json!({"priority": 1, "encryption": ["aes"]}),
                WriteMode::Create
            )
            .is_err()
        );
    }
}
