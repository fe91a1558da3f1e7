//! Group policies: `/api/vpn/grouppolicies`, kind `object#GroupPolicy` (the kind value is
//! ours; the attributes are those of the public schema: `name`, `type`, `attributes`
//! `{tunnelingProtocols, filter, idleTimeout, maxConnectTime}`).
//!
//! ASA syntax:
//! ```text
//! group-policy <name> internal
//! group-policy <name> attributes
//!  vpn-tunnel-protocol ikev1 ikev2 ...
//!  vpn-filter value <acl>
//!  vpn-idle-timeout <minutes>|none
//!  vpn-session-timeout <minutes>|none
//! ```
//! `idleTimeout` is a string (`"30"` or `"none"`), `maxConnectTime` an integer (minutes),
//! as the public schema types them. Other attributes stay reachable through `/api/cli`.

use serde_json::{Value, json};

use super::{bad, body_map, check_name, get, int_in, is_name, one_of};
use crate::resources::{
    Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str,
};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, STRINGS, Type};

/// `vpn-tunnel-protocol` values.
pub const TUNNEL_PROTOCOLS: &[&str] = &[
    "ikev1",
    "ikev2",
    "l2tp-ipsec",
    "ssl-client",
    "ssl-clientless",
];

const MAX_MINUTES: u32 = 35_791_394;

/// The `attributes` of a group policy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attributes {
    pub protocols: Vec<String>,
    pub filter: Option<String>,
    /// Minutes, or `none`.
    pub idle_timeout: Option<String>,
    pub max_connect_time: Option<u32>,
}

/// One `group-policy <name> internal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPolicy {
    pub name: String,
    pub attributes: Attributes,
}

static ATTRIBUTES: Object = Object {
    name: "GroupPolicyAttributes",
    description: "The VPN attributes of a group policy.",
    fields: &[
        Field::new(
            "tunnelingProtocols",
            STRINGS,
            "vpn-tunnel-protocol: ikev1, ikev2, l2tp-ipsec, ssl-client, ssl-clientless.",
        ),
        Field::new(
            "filter",
            Type::Str,
            "vpn-filter: the ACL filtering VPN traffic.",
        ),
        Field::new(
            "idleTimeout",
            Type::Str,
            "vpn-idle-timeout: minutes, or `none`.",
        ),
        Field::new(
            "maxConnectTime",
            Type::Int {
                min: Some(1),
                max: Some(MAX_MINUTES as i64),
            },
            "vpn-session-timeout, minutes.",
        ),
    ],
    kinds: &[],
    ours: false,
};

/// `object#GroupPolicy`.
pub static SCHEMA: Object = Object {
    name: "GroupPolicy",
    description: "A group policy (`group-policy <name> internal`) and its VPN attributes.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The policy's name (its objectId).").required(),
        Field::new(
            "type",
            Type::Enum(&["internal"]),
            "Where its attributes live (internal).",
        ),
        Field::new(
            "attributes",
            Type::Object(&ATTRIBUTES),
            "Its VPN attributes.",
        ),
    ],
    kinds: &["object#GroupPolicy"],
    ours: false,
};

impl GroupPolicy {
    fn attribute_lines(&self) -> Vec<(&'static str, String)> {
        let a = &self.attributes;
        let mut out = Vec::new();
        if !a.protocols.is_empty() {
            out.push((
                "vpn-tunnel-protocol",
                format!(" vpn-tunnel-protocol {}", a.protocols.join(" ")),
            ));
        }
        if let Some(f) = &a.filter {
            out.push(("vpn-filter", format!(" vpn-filter value {f}")));
        }
        if let Some(t) = &a.idle_timeout {
            out.push(("vpn-idle-timeout", format!(" vpn-idle-timeout {t}")));
        }
        if let Some(t) = a.max_connect_time {
            out.push(("vpn-session-timeout", format!(" vpn-session-timeout {t}")));
        }
        out
    }
}

impl Resource for GroupPolicy {
    const KIND: &'static str = "object#GroupPolicy";
    const COLLECTION_KIND: &'static str = "collection#GroupPolicy";
    const PATH: &'static str = "/api/vpn/grouppolicies";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "group-policy ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let a = &self.attributes;
        let mut attrs = json!({"tunnelingProtocols": a.protocols});
        if let Some(f) = &a.filter {
            attrs["filter"] = json!(f);
        }
        if let Some(t) = &a.idle_timeout {
            attrs["idleTimeout"] = json!(t);
        }
        if let Some(t) = a.max_connect_time {
            attrs["maxConnectTime"] = json!(t);
        }
        json!({
            "kind": Self::KIND,
            "selfLink": self_link,
            "name": self.name,
            "type": "internal",
            "attributes": attrs,
            "objectId": self.name,
        })
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, .. } => (Some(id), None),
            WriteMode::Patch { id, existing } => (Some(id), Some(existing)),
        };
        let given = get(map, "name").map(|v| json_str(v, "name")).transpose()?;
        let name = match (given, id) {
            (Some(n), Some(id)) if n != id => {
                return Err(FieldError::new("name", FieldProblem::Mismatch));
            }
            (_, Some(id)) => id.to_owned(),
            (Some(n), None) => {
                check_name("name", n)?;
                n.to_owned()
            }
            (None, None) => return Err(FieldError::new("name", FieldProblem::Missing)),
        };
        if let Some(t) = get(map, "type") {
            one_of(t, "type", &["internal"])?;
        }
        let mut attributes = base.map(|b| b.attributes.clone()).unwrap_or_default();
        if let Some(a) = get(map, "attributes") {
            let a = a.as_object().ok_or_else(|| {
                FieldError::new(
                    "attributes",
                    FieldProblem::WrongType {
                        expected: "an object",
                    },
                )
            })?;
            let merge = base.is_some();
            let field = |k: &str| a.get(k).filter(|v| !v.is_null());
            match field("tunnelingProtocols") {
                Some(v) => {
                    // The public schema types it as a string; a list is read too.
                    attributes.protocols = match v {
                        Value::String(s) => s.split_whitespace().map(str::to_owned).collect(),
                        other => super::string_list(
                            other,
                            "attributes.tunnelingProtocols",
                            Some(TUNNEL_PROTOCOLS),
                        )?,
                    };
                    for p in &attributes.protocols {
                        if !TUNNEL_PROTOCOLS.contains(&p.as_str()) {
                            return Err(bad(
                                "attributes.tunnelingProtocols",
                                format!("'{p}' is not a tunneling protocol"),
                            ));
                        }
                    }
                }
                None if !merge || a.contains_key("tunnelingProtocols") => {
                    attributes.protocols.clear();
                }
                None => {}
            }
            match field("filter") {
                Some(v) => {
                    let f = json_str(v, "attributes.filter")?;
                    check_name("attributes.filter", f)?;
                    attributes.filter = Some(f.to_owned());
                }
                None if !merge || a.contains_key("filter") => attributes.filter = None,
                None => {}
            }
            match field("idleTimeout") {
                Some(v) => {
                    let t = match v {
                        Value::Number(_) => {
                            int_in(v, "attributes.idleTimeout", 1, MAX_MINUTES)?.to_string()
                        }
                        _ => json_str(v, "attributes.idleTimeout")?.to_owned(),
                    };
                    let ok = t == "none"
                        || t.parse::<u32>()
                            .is_ok_and(|n| (1..=MAX_MINUTES).contains(&n));
                    if !ok {
                        return Err(bad(
                            "attributes.idleTimeout",
                            format!("'{t}' is not minutes (1-{MAX_MINUTES}) or none"),
                        ));
                    }
                    attributes.idle_timeout = Some(t);
                }
                None if !merge || a.contains_key("idleTimeout") => attributes.idle_timeout = None,
                None => {}
            }
            match field("maxConnectTime") {
                Some(v) => {
                    attributes.max_connect_time =
                        Some(int_in(v, "attributes.maxConnectTime", 1, MAX_MINUTES)?);
                }
                None if !merge || a.contains_key("maxConnectTime") => {
                    attributes.max_connect_time = None;
                }
                None => {}
            }
        } else if base.is_none() {
            attributes = Attributes::default();
        }
        Ok(GroupPolicy { name, attributes })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut out = vec![format!("group-policy {} internal", self.name)];
        let lines = self.attribute_lines();
        if !lines.is_empty() {
            out.push(format!("group-policy {} attributes", self.name));
            out.extend(lines.into_iter().map(|(_, l)| l));
        }
        out
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let (o, n) = (old.attribute_lines(), new.attribute_lines());
        let mut body: Vec<String> = o
            .iter()
            .filter(|(k, _)| !n.iter().any(|(nk, _)| nk == k))
            .map(|(k, _)| format!(" no {k}"))
            .collect();
        body.extend(
            n.into_iter()
                .filter(|(_, l)| !o.iter().any(|(_, ol)| ol == l))
                .map(|(_, l)| l),
        );
        if body.is_empty() {
            return body;
        }
        let mut out = vec![format!("group-policy {} attributes", new.name)];
        out.extend(body);
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("clear configure group-policy {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let w: Vec<&str> = rest.split_whitespace().collect();
        let [name, tail @ ..] = w.as_slice() else {
            return;
        };
        if !is_name(name) {
            return;
        }
        match tail {
            ["internal", ..] if !collection.contains(name) => {
                collection.insert(GroupPolicy {
                    name: (*name).to_owned(),
                    attributes: Attributes::default(),
                });
            }
            ["attributes"] => {
                collection.update(name, |g| {
                    for c in children {
                        let w: Vec<&str> = c.split_whitespace().collect();
                        let a = &mut g.attributes;
                        match w.as_slice() {
                            ["vpn-tunnel-protocol", l @ ..] => {
                                a.protocols = l.iter().map(|s| (*s).to_owned()).collect();
                            }
                            ["vpn-filter", "value", acl] => a.filter = Some((*acl).to_owned()),
                            ["vpn-idle-timeout", t] => a.idle_timeout = Some((*t).to_owned()),
                            ["vpn-session-timeout", t] => a.max_connect_time = t.parse().ok(),
                            _ => {}
                        }
                    }
                });
            }
            _ => {}
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.group_policies
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.group_policies
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        if let Some(f) = &self.attributes.filter
            && cfg.access.get(f).is_none()
        {
            return Err(bad(
                "attributes.filter",
                format!("no access list is named '{f}'"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_corpus_form_and_round_trips() {
        let cfg = RunningConfig::parse("group-policy todd internal\n");
        let g = cfg.group_policies.get("todd").unwrap();
        assert_eq!(g.attributes, Attributes::default());
        let full = GroupPolicy::from_json(
            &json!({"name": "gp", "type": "internal", "attributes": {
                "tunnelingProtocols": ["ikev1", "ikev2"], "filter": "vpn-acl",
                "idleTimeout": "30", "maxConnectTime": 120}}),
            WriteMode::Create,
        )
        .unwrap();
        let text = format!("{}\n", full.cli_create().join("\n"));
        assert_eq!(
            text,
            "group-policy gp internal\ngroup-policy gp attributes\n vpn-tunnel-protocol ikev1 ikev2\n vpn-filter value vpn-acl\n vpn-idle-timeout 30\n vpn-session-timeout 120\n"
        );
        assert_eq!(
            RunningConfig::parse(&text).group_policies.get("gp"),
            Some(&full)
        );
        let j = full.to_json("https://asa/api/vpn/grouppolicies/gp");
        assert_eq!(
            GroupPolicy::from_json(&j, WriteMode::Create),
            Ok(full.clone())
        );
        let patched = GroupPolicy::from_json(
            &json!({"attributes": {"idleTimeout": "none", "filter": null}}),
            WriteMode::Patch {
                id: "gp",
                existing: &full,
            },
        )
        .unwrap();
        assert_eq!(
            GroupPolicy::cli_replace(&full, &patched),
            [
                "group-policy gp attributes",
                " no vpn-filter",
                " vpn-idle-timeout none"
            ]
        );
        for bad in [
            json!({"name": "g", "attributes": {"tunnelingProtocols": ["pptp"]}}),
            json!({"name": "g", "attributes": {"idleTimeout": "soon"}}),
            json!({"name": "g", "type": "external"}),
            json!({"name": "g h"}),
        ] {
            assert!(
                GroupPolicy::from_json(&bad, WriteMode::Create).is_err(),
                "{bad}"
            );
        }
    }
}
