//! Service policy bindings: `/api/servicepolicy/servicepolicies`, kind `object#ServicePolicy`
//! (the shape is ours: no public client or capture gives Cisco's), and what the other
//! service-policy resources share (map names, the inspection keywords).
//!
//! ASA syntax: `service-policy <policy-map> global` / `service-policy <policy-map> interface
//! <nameif>`; `no service-policy ...`. One policy is global, one per interface, so the scope
//! is the objectId: `global`, or the interface's nameif.
//!
//! JSON: `{"kind":"object#ServicePolicy","objectId":"global","scope":"global",
//! "policyMap":{"kind":"objectRef#PolicyMap","refLink":"...","objectId":"global_policy"}}`,
//! with `"interface":"<nameif>"` when the scope is `interface`.

use serde_json::{Map, Value};

use super::reference::{origin_of, ref_id, ref_json};
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::parse::is_nameif;
use crate::schema::{Field, KIND, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, Type};
use crate::validate::{ValueError, check_object_name};

/// Longest class-map or policy-map name the ASA takes.
pub const MAX_MAP_NAME: usize = 40;

/// The protocols `inspect` takes (under a policy map's class).
pub const INSPECT_PROTOCOLS: &[&str] = &[
    "ctiqbe",
    "dcerpc",
    "diameter",
    "dns",
    "esmtp",
    "ftp",
    "gtp",
    "h323",
    "http",
    "icmp",
    "ils",
    "im",
    "ip-options",
    "ipsec-pass-thru",
    "ipv6",
    "lisp",
    "m3ua",
    "mgcp",
    "mmp",
    "netbios",
    "pptp",
    "radius-accounting",
    "rsh",
    "rtsp",
    "scansafe",
    "sctp",
    "sip",
    "skinny",
    "snmp",
    "sqlnet",
    "stun",
    "sunrpc",
    "tftp",
    "vxlan",
    "waas",
    "xdmcp",
];

/// The protocols of inspect policy maps (`policy-map type inspect <proto> <name>`).
pub const INSPECT_MAP_PROTOCOLS: &[&str] = &[
    "dcerpc",
    "diameter",
    "dns",
    "esmtp",
    "ftp",
    "gtp",
    "h323",
    "http",
    "im",
    "ip-options",
    "ipsec-pass-thru",
    "ipv6",
    "lisp",
    "m3ua",
    "mgcp",
    "netbios",
    "radius-accounting",
    "rtsp",
    "scansafe",
    "sctp",
    "sip",
    "skinny",
    "snmp",
];

/// The collection path of policy maps (for references).
pub const POLICY_MAPS: &str = "/api/servicepolicy/policymaps";

/// Checks a class-map, policy-map or inspect-map name for attribute `attr`.
pub fn check_map_name(attr: &str, name: &str) -> Result<(), FieldError> {
    check_object_name(name).map_err(|e| FieldError::new(attr, FieldProblem::Value(e)))?;
    if name.chars().count() > MAX_MAP_NAME {
        return Err(FieldError::new(
            attr,
            FieldProblem::Value(ValueError::TooLong { max: MAX_MAP_NAME }),
        ));
    }
    Ok(())
}

/// Whether `name` can name a class or policy map.
pub fn is_map_name(name: &str) -> bool {
    check_map_name("", name).is_ok()
}

/// The name of a PUT/PATCH body: absent, or equal to the id.
pub fn same_name(given: Option<&str>, id: &str) -> Result<String, FieldError> {
    match given {
        Some(n) if n != id => Err(FieldError::new("name", FieldProblem::Mismatch)),
        _ => Ok(id.to_owned()),
    }
}

/// A field error with a reason.
pub fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

/// The body as an object.
pub fn body_map(body: &Value) -> Result<&Map<String, Value>, FieldError> {
    body.as_object()
        .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))
}

/// `service-policy <map> global|interface <nameif>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePolicyBinding {
    /// `global` or the nameif: the objectId.
    pub id: String,
    pub policy_map: String,
    /// The interface's nameif; `None` for the global policy.
    pub interface: Option<String>,
}

impl ServicePolicyBinding {
    fn line(&self) -> String {
        match &self.interface {
            Some(n) => format!("service-policy {} interface {n}", self.policy_map),
            None => format!("service-policy {} global", self.policy_map),
        }
    }

    /// Reads a `service-policy` line (after the keyword).
    pub fn parse(rest: &str) -> Option<ServicePolicyBinding> {
        let words: Vec<&str> = rest.split_whitespace().collect();
        let (map, interface) = match words.as_slice() {
            [map, "global"] => (*map, None),
            [map, "interface", nameif] if is_nameif(nameif) => (*map, Some((*nameif).to_owned())),
            _ => return None,
        };
        if !is_map_name(map) {
            return None;
        }
        Some(ServicePolicyBinding {
            id: interface.clone().unwrap_or_else(|| "global".to_owned()),
            policy_map: map.to_owned(),
            interface,
        })
    }
}

/// `object#ServicePolicy`.
pub static SCHEMA: Object = Object {
    name: "ServicePolicy",
    description: "A policy map applied globally or to one interface (`service-policy`).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "scope",
            Type::Enum(&["global", "interface"]),
            "Where the policy applies; with `interface`, `interface` names it.",
        )
        .required(),
        Field::new(
            "interface",
            Type::Str,
            "The interface's name (nameif), when the scope is `interface`.",
        ),
        Field::new(
            "policyMap",
            Type::Object(&OBJECT_REF),
            "The policy map (`objectRef#PolicyMap`; `objectId` is its name).",
        )
        .required(),
    ],
    kinds: &["object#ServicePolicy"],
    ours: true,
};

impl Resource for ServicePolicyBinding {
    const KIND: &'static str = "object#ServicePolicy";
    const COLLECTION_KIND: &'static str = "collection#ServicePolicy";
    const PATH: &'static str = "/api/servicepolicy/servicepolicies";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "service-policy ";

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(Self::KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        let scope = if self.interface.is_some() {
            "interface"
        } else {
            "global"
        };
        m.insert("scope".into(), Value::from(scope));
        if let Some(n) = &self.interface {
            m.insert("interface".into(), Value::from(n.as_str()));
        }
        m.insert(
            "policyMap".into(),
            ref_json(
                "objectRef#PolicyMap",
                origin_of(self_link),
                POLICY_MAPS,
                &self.policy_map,
            ),
        );
        m.insert("objectId".into(), Value::from(self.id.as_str()));
        Value::Object(m)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let base = match mode {
            WriteMode::Patch { existing, .. } => Some(existing),
            _ => None,
        };
        let scope = match (get("scope"), base) {
            (Some(v), _) => json_str(v, "scope")?.to_owned(),
            (None, Some(b)) => if b.interface.is_some() {
                "interface"
            } else {
                "global"
            }
            .to_owned(),
            (None, None) => return Err(FieldError::new("scope", FieldProblem::Missing)),
        };
        let interface = match scope.as_str() {
            "global" => {
                if get("interface").is_some() {
                    return Err(bad("interface", "a global service policy has no interface"));
                }
                None
            }
            "interface" => {
                let name = match (get("interface"), base) {
                    (Some(v), _) => json_str(v, "interface")?.to_owned(),
                    (None, Some(b)) if b.interface.is_some() => {
                        b.interface.clone().unwrap_or_default()
                    }
                    _ => return Err(FieldError::new("interface", FieldProblem::Missing)),
                };
                if !is_nameif(&name) {
                    return Err(bad(
                        "interface",
                        format!("'{name}' is not an interface name (nameif)"),
                    ));
                }
                Some(name)
            }
            other => {
                return Err(bad(
                    "scope",
                    format!("'{other}' is not global or interface"),
                ));
            }
        };
        let policy_map = match (get("policyMap"), base) {
            (Some(v), _) => ref_id(v, "policyMap")?,
            (None, Some(b)) => b.policy_map.clone(),
            (None, None) => return Err(FieldError::new("policyMap", FieldProblem::Missing)),
        };
        check_map_name("policyMap.objectId", &policy_map)?;
        let id = interface.clone().unwrap_or_else(|| "global".to_owned());
        match mode {
            WriteMode::Replace { id: want, .. } | WriteMode::Patch { id: want, .. }
                if want != id =>
            {
                return Err(FieldError::new("scope", FieldProblem::Mismatch));
            }
            _ => {}
        }
        Ok(ServicePolicyBinding {
            id,
            policy_map,
            interface,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        vec![self.line()]
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        vec![format!("no {}", old.line()), new.line()]
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no {}", self.line())]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        if let Some(b) = ServicePolicyBinding::parse(rest) {
            collection.insert(b);
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.service_policies
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.service_policies
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        if !cfg.policy_maps.contains(&self.policy_map) {
            return Err(bad(
                "policyMap.objectId",
                format!("no policy map is named '{}'", self.policy_map),
            ));
        }
        if let Some(n) = &self.interface
            && cfg.access.hardware_of(n).is_none()
        {
            return Err(bad("interface", format!("no interface is named '{n}'")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LINK: &str = "https://asa/api/servicepolicy/servicepolicies/global";

    #[test]
    fn reads_and_writes_bindings() {
        let cfg = RunningConfig::parse(
            "service-policy global_policy global\nservice-policy out interface outside\nservice-policy bad\n",
        );
        assert_eq!(cfg.service_policies.len(), 2);
        let g = cfg.service_policies.get("global").unwrap();
        let j = g.to_json(LINK);
        assert_eq!(j["policyMap"]["objectId"], "global_policy");
        assert_eq!(j["scope"], "global");
        assert_eq!(
            ServicePolicyBinding::from_json(&j, WriteMode::Create),
            Ok(g.clone())
        );
        let i = cfg.service_policies.get("outside").unwrap();
        assert_eq!(i.cli_delete(), ["no service-policy out interface outside"]);
        let new = ServicePolicyBinding::from_json(
            &json!({"policyMap": {"objectId": "p2"}}),
            WriteMode::Patch {
                id: "outside",
                existing: i,
            },
        )
        .unwrap();
        assert_eq!(
            ServicePolicyBinding::cli_replace(i, &new),
            [
                "no service-policy out interface outside",
                "service-policy p2 interface outside"
            ]
        );
    }

    #[test]
    fn refuses_bad_bodies() {
        for body in [
            json!({"scope": "global"}),
            json!({"scope": "everywhere", "policyMap": {"objectId": "p"}}),
            json!({"scope": "interface", "policyMap": {"objectId": "p"}}),
            json!({"scope": "global", "interface": "inside", "policyMap": {"objectId": "p"}}),
            json!({"scope": "global", "policyMap": {"objectId": "p q"}}),
            json!({"scope": "interface", "interface": "a b", "policyMap": {"objectId": "p"}}),
        ] {
            assert!(
                ServicePolicyBinding::from_json(&body, WriteMode::Create).is_err(),
                "{body}"
            );
        }
    }
}
