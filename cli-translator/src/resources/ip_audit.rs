//! IP audit (issue 15): policies (`/api/firewall/ipaudit/policies`, kind
//! `object#IPAuditPolicy`), their interface bindings (`/api/firewall/ipaudit/interfaces`,
//! kind `object#IPAuditInterface`) and disabled signatures
//! (`/api/firewall/ipaudit/signatures`, kind `object#IPAuditSignature`). The paths below
//! `/api/firewall/ipaudit` and the shapes are ours (no public source gives them).
//!
//! ASA syntax:
//! ```text
//! ip audit name <name> info [action [alarm] [drop] [reset]]
//! ip audit name <name> attack [action [alarm] [drop] [reset]]
//! ip audit interface <nameif> <name>
//! ip audit signature <id> disable
//! ```
//! A policy's `infoActions` / `attackActions` are absent when it has no such line, and an
//! empty list is the line without `action`.

use serde_json::{Value, json};

use super::vpn::{bad, body_map, check_name, get, int_in, is_name, string_list};
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::parse::is_nameif;
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};

/// The actions of an audit line.
pub const ACTIONS: &[&str] = &["alarm", "drop", "reset"];

/// The signatures the ASA's IP audit knows.
pub const SIGNATURES: &[u32] = &[
    1000, 1001, 1002, 1003, 1004, 1005, 1006, 1100, 1102, 1103, 2000, 2001, 2002, 2003, 2004, 2005,
    2006, 2007, 2008, 2009, 2010, 2011, 2012, 2150, 2151, 2154, 3040, 3041, 3042, 3153, 3154, 4050,
    4051, 4052, 6050, 6051, 6052, 6053, 6100, 6101, 6102, 6103, 6150, 6151, 6152, 6153, 6154, 6155,
    6175, 6180, 6190,
];

const ACTION_LIST: Type = Type::Array(&Type::Enum(ACTIONS));

/// One `ip audit name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPolicy {
    pub name: String,
    pub info: Option<Vec<String>>,
    pub attack: Option<Vec<String>>,
}

fn line(name: &str, kind: &str, actions: &[String]) -> String {
    if actions.is_empty() {
        format!("ip audit name {name} {kind}")
    } else {
        format!("ip audit name {name} {kind} action {}", actions.join(" "))
    }
}

impl AuditPolicy {
    fn lines(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(a) = &self.info {
            out.push(("info", line(&self.name, "info", a)));
        }
        if let Some(a) = &self.attack {
            out.push(("attack", line(&self.name, "attack", a)));
        }
        out
    }
}

/// `object#IPAuditPolicy`.
pub static POLICY_SCHEMA: Object = Object {
    name: "IPAuditPolicy",
    description: "An IP audit policy (`ip audit name`): actions on informational and attack signatures.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The policy's name (its objectId).").required(),
        Field::new(
            "infoActions",
            ACTION_LIST,
            "Actions on informational signatures (absent: not audited).",
        ),
        Field::new(
            "attackActions",
            ACTION_LIST,
            "Actions on attack signatures (absent: not audited).",
        ),
    ],
    kinds: &["object#IPAuditPolicy"],
    ours: true,
};

fn same_id(given: Option<&str>, id: Option<&str>, attr: &str) -> Result<String, FieldError> {
    match (given, id) {
        (Some(n), Some(id)) if n != id => Err(FieldError::new(attr, FieldProblem::Mismatch)),
        (_, Some(id)) => Ok(id.to_owned()),
        (Some(n), None) => Ok(n.to_owned()),
        (None, None) => Err(FieldError::new(attr, FieldProblem::Missing)),
    }
}

impl Resource for AuditPolicy {
    const KIND: &'static str = "object#IPAuditPolicy";
    const COLLECTION_KIND: &'static str = "collection#IPAuditPolicy";
    const PATH: &'static str = "/api/firewall/ipaudit/policies";
    const SCHEMA: &'static Object = &POLICY_SCHEMA;
    const CLI_HEADER: &'static str = "ip audit name ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut j = json!({
            "kind": Self::KIND,
            "selfLink": self_link,
            "name": self.name,
            "objectId": self.name,
        });
        if let Some(a) = &self.info {
            j["infoActions"] = json!(a);
        }
        if let Some(a) = &self.attack {
            j["attackActions"] = json!(a);
        }
        j
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, .. } => (Some(id), None),
            WriteMode::Patch { id, existing } => (Some(id), Some(existing)),
        };
        let given = get(map, "name").map(|v| json_str(v, "name")).transpose()?;
        let name = same_id(given, id, "name")?;
        check_name("name", &name)?;
        let read = |key: &str, old: Option<&Option<Vec<String>>>| match (get(map, key), old) {
            (Some(v), _) => string_list(v, key, Some(ACTIONS)).map(Some),
            (None, Some(o)) if !map.contains_key(key) => Ok(o.clone()),
            _ => Ok(None),
        };
        let info = read("infoActions", base.map(|b| &b.info))?;
        let attack = read("attackActions", base.map(|b| &b.attack))?;
        if info.is_none() && attack.is_none() {
            return Err(bad(
                "infoActions",
                "give infoActions, attackActions or both",
            ));
        }
        Ok(AuditPolicy { name, info, attack })
    }

    fn cli_create(&self) -> Vec<String> {
        self.lines().into_iter().map(|(_, l)| l).collect()
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let (o, n) = (old.lines(), new.lines());
        let mut out: Vec<String> = o
            .iter()
            .filter(|(k, _)| !n.iter().any(|(nk, _)| nk == k))
            .map(|(k, _)| format!("no ip audit name {} {k}", old.name))
            .collect();
        out.extend(
            n.into_iter()
                .filter(|(_, l)| !o.iter().any(|(_, ol)| ol == l))
                .map(|(_, l)| l),
        );
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no ip audit name {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        let w: Vec<&str> = rest.split_whitespace().collect();
        let (name, kind, actions) = match w.as_slice() {
            [name, kind @ ("info" | "attack")] => (*name, *kind, Vec::new()),
            [name, kind @ ("info" | "attack"), "action", a @ ..]
                if a.iter().all(|x| ACTIONS.contains(x)) =>
            {
                (*name, *kind, a.iter().map(|s| (*s).to_owned()).collect())
            }
            _ => return,
        };
        if !is_name(name) {
            return;
        }
        if !collection.contains(name) {
            collection.insert(AuditPolicy {
                name: name.to_owned(),
                info: None,
                attack: None,
            });
        }
        collection.update(name, |p| {
            if kind == "info" {
                p.info = Some(actions);
            } else {
                p.attack = Some(actions);
            }
        });
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.ip_audit_policies
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.ip_audit_policies
    }
}

/// The `ip audit interface` lines of one interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditInterface {
    pub interface: String,
    pub policies: Vec<String>,
}

/// `object#IPAuditInterface`.
pub static INTERFACE_SCHEMA: Object = Object {
    name: "IPAuditInterface",
    description: "The IP audit policies applied to one interface (`ip audit interface`).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "interface",
            Type::Str,
            "The interface's name (nameif; its objectId).",
        )
        .required(),
        Field::new(
            "policies",
            Type::Array(&Type::Str),
            "The audit policies applied (an info and an attack policy at most).",
        )
        .required(),
    ],
    kinds: &["object#IPAuditInterface"],
    ours: true,
};

impl Resource for AuditInterface {
    const KIND: &'static str = "object#IPAuditInterface";
    const COLLECTION_KIND: &'static str = "collection#IPAuditInterface";
    const PATH: &'static str = "/api/firewall/ipaudit/interfaces";
    const SCHEMA: &'static Object = &INTERFACE_SCHEMA;
    const CLI_HEADER: &'static str = "ip audit interface ";

    fn object_id(&self) -> &str {
        &self.interface
    }

    fn to_json(&self, self_link: &str) -> Value {
        json!({
            "kind": Self::KIND,
            "selfLink": self_link,
            "interface": self.interface,
            "policies": self.policies,
            "objectId": self.interface,
        })
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, .. } => (Some(id), None),
            WriteMode::Patch { id, existing } => (Some(id), Some(existing)),
        };
        let given = get(map, "interface")
            .map(|v| json_str(v, "interface"))
            .transpose()?;
        let interface = same_id(given, id, "interface")?;
        if !is_nameif(&interface) {
            return Err(bad(
                "interface",
                format!("'{interface}' is not an interface name (nameif)"),
            ));
        }
        let policies = match (get(map, "policies"), base) {
            (Some(v), _) => string_list(v, "policies", None)?,
            (None, Some(b)) => b.policies.clone(),
            (None, None) => return Err(FieldError::new("policies", FieldProblem::Missing)),
        };
        if policies.is_empty() || policies.len() > 2 {
            return Err(bad("policies", "one or two audit policies"));
        }
        Ok(AuditInterface {
            interface,
            policies,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        self.policies
            .iter()
            .map(|p| format!("ip audit interface {} {p}", self.interface))
            .collect()
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut out: Vec<String> = old
            .policies
            .iter()
            .filter(|p| !new.policies.contains(p))
            .map(|p| format!("no ip audit interface {} {p}", old.interface))
            .collect();
        out.extend(
            new.policies
                .iter()
                .filter(|p| !old.policies.contains(p))
                .map(|p| format!("ip audit interface {} {p}", new.interface)),
        );
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        self.policies
            .iter()
            .map(|p| format!("no ip audit interface {} {p}", self.interface))
            .collect()
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        let w: Vec<&str> = rest.split_whitespace().collect();
        let [nameif, policy] = w.as_slice() else {
            return;
        };
        if !is_nameif(nameif) || !is_name(policy) {
            return;
        }
        if collection.contains(nameif) {
            collection.update(nameif, |i| {
                if !i.policies.iter().any(|p| p == policy) {
                    i.policies.push((*policy).to_owned());
                }
            });
        } else {
            collection.insert(AuditInterface {
                interface: (*nameif).to_owned(),
                policies: vec![(*policy).to_owned()],
            });
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.ip_audit_interfaces
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.ip_audit_interfaces
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        if cfg.access.hardware_of(&self.interface).is_none() {
            return Err(bad(
                "interface",
                format!("no interface is named '{}'", self.interface),
            ));
        }
        for (i, p) in self.policies.iter().enumerate() {
            if !cfg.ip_audit_policies.contains(p) {
                return Err(bad(
                    &format!("policies[{i}]"),
                    format!("no audit policy is named '{p}'"),
                ));
            }
        }
        Ok(())
    }
}

/// `ip audit signature <id> disable`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisabledSignature {
    pub id: String,
    pub signature: u32,
}

/// `object#IPAuditSignature`.
pub static SIGNATURE_SCHEMA: Object = Object {
    name: "IPAuditSignature",
    description: "A disabled IP audit signature (`ip audit signature <id> disable`).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "signature",
            Type::Int {
                min: Some(1000),
                max: Some(6190),
            },
            "The signature's number (its objectId); listed here, it is disabled.",
        )
        .required(),
    ],
    kinds: &["object#IPAuditSignature"],
    ours: true,
};

impl Resource for DisabledSignature {
    const KIND: &'static str = "object#IPAuditSignature";
    const COLLECTION_KIND: &'static str = "collection#IPAuditSignature";
    const PATH: &'static str = "/api/firewall/ipaudit/signatures";
    const SCHEMA: &'static Object = &SIGNATURE_SCHEMA;
    const CLI_HEADER: &'static str = "ip audit signature ";

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        json!({
            "kind": Self::KIND,
            "selfLink": self_link,
            "signature": self.signature,
            "objectId": self.id,
        })
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let id = match mode {
            WriteMode::Create => None,
            WriteMode::Replace { id, .. } | WriteMode::Patch { id, .. } => Some(id),
        };
        let signature = match (get(map, "signature"), id) {
            (Some(v), _) => int_in(v, "signature", 1000, 6190)?,
            (None, Some(id)) => id
                .parse()
                .map_err(|_| FieldError::new("signature", FieldProblem::Missing))?,
            (None, None) => return Err(FieldError::new("signature", FieldProblem::Missing)),
        };
        if let Some(id) = id
            && signature.to_string() != id
        {
            return Err(FieldError::new("signature", FieldProblem::Mismatch));
        }
        if !SIGNATURES.contains(&signature) {
            return Err(bad(
                "signature",
                format!("{signature} is not an IP audit signature"),
            ));
        }
        Ok(DisabledSignature {
            id: signature.to_string(),
            signature,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        vec![format!("ip audit signature {} disable", self.signature)]
    }

    fn cli_replace(_old: &Self, _new: &Self) -> Vec<String> {
        Vec::new()
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no ip audit signature {} disable", self.signature)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        let w: Vec<&str> = rest.split_whitespace().collect();
        if let [n, "disable"] = w.as_slice()
            && let Ok(signature) = n.parse::<u32>()
            && SIGNATURES.contains(&signature)
        {
            collection.insert(DisabledSignature {
                id: signature.to_string(),
                signature,
            });
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.ip_audit_signatures
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.ip_audit_signatures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_audit_lines() {
        let text = "ip audit name attacks attack action alarm drop reset\nip audit name attacks info\nip audit interface outside attacks\nip audit signature 2000 disable\nip audit signature 99 disable\n";
        let cfg = RunningConfig::parse(text);
        let p = cfg.ip_audit_policies.get("attacks").unwrap();
        assert_eq!(p.info, Some(Vec::new()));
        assert_eq!(p.attack.as_ref().map(Vec::len), Some(3));
        let j = p.to_json("https://asa/api/firewall/ipaudit/policies/attacks");
        assert_eq!(AuditPolicy::from_json(&j, WriteMode::Create), Ok(p.clone()));
        assert_eq!(
            p.cli_create(),
            [
                "ip audit name attacks info",
                "ip audit name attacks attack action alarm drop reset"
            ]
        );
        assert_eq!(
            cfg.ip_audit_interfaces
                .get("outside")
                .map(|i| i.policies.len()),
            Some(1)
        );
        assert_eq!(cfg.ip_audit_signatures.len(), 1);
        let new = AuditPolicy::from_json(
            &json!({"infoActions": null, "attackActions": ["drop"]}),
            WriteMode::Patch {
                id: "attacks",
                existing: p,
            },
        )
        .unwrap();
        assert_eq!(
            AuditPolicy::cli_replace(p, &new),
            [
                "no ip audit name attacks info",
                "ip audit name attacks attack action drop"
            ]
        );
    }

    #[test]
    fn refuses_bad_bodies() {
        for body in [
            json!({"name": "a"}),
            json!({"name": "a", "infoActions": ["shout"]}),
            json!({"name": "a b", "infoActions": []}),
            json!({"name": "a", "infoActions": ["drop", "drop"]}),
        ] {
            assert!(
                AuditPolicy::from_json(&body, WriteMode::Create).is_err(),
                "{body}"
            );
        }
        assert!(
            DisabledSignature::from_json(&json!({"signature": 1999}), WriteMode::Create).is_err()
        );
        assert!(
            DisabledSignature::from_json(&json!({"signature": 2004}), WriteMode::Create).is_ok()
        );
        assert!(
            AuditInterface::from_json(
                &json!({"interface": "in side", "policies": ["a"]}),
                WriteMode::Create
            )
            .is_err()
        );
    }
}
