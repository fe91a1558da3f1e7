//! The DNS client in the shapes a public client sends (Cisco dCloud lab automation,
//! `asa_module.py`): `/api/dns/client` (`{"dnsLookupInterfaces": ["<nameif>", ...]}`) and
//! `/api/dns/client/servergroups/{name}` (`{"name": "DefaultDNS", "dnsServers": [{"ipAddress":
//! "<ip>", "interface": "<nameif>"}], "domainName": "<domain>"}`, `interface` a plain nameif).
//! Kinds and GET shapes are not public: ours (`object#DNSClient`, `object#DNSServerGroup`),
//! answering the same fields the client writes, plus `timeout` and `retries`.
//!
//! Both are views of the same configuration as `/api/dns` ([`super::dns::Dns`]): the bodies
//! are read into it and the lines come from [`super::dns::Dns::cli_replace`].

use serde_json::{Map, Value, json};

use super::dns::{DEFAULT_GROUP, Dns, ServerGroup};
use super::{FieldError, FieldProblem};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, STRINGS, Type};

pub const CLIENT_PATH: &str = "/api/dns/client";
pub const GROUPS_PATH: &str = "/api/dns/client/servergroups";
pub const CLIENT_KIND: &str = "object#DNSClient";
pub const GROUP_KIND: &str = "object#DNSServerGroup";
pub const GROUPS_COLLECTION_KIND: &str = "collection#DNSServerGroup";

pub static CLIENT_SCHEMA: Object = Object {
    name: "DNSClient",
    description: "DNS lookup interfaces (`dns domain-lookup <nameif>`).",
    fields: &[
        KIND,
        SELF_LINK,
        Field::new(
            "dnsLookupInterfaces",
            STRINGS,
            "The nameifs DNS lookups go out of, plain strings.",
        ),
    ],
    kinds: &[CLIENT_KIND],
    ours: true,
};

pub static DNS_SERVER_SCHEMA: Object = Object {
    name: "DNSClientServer",
    description: "A name server of a group.",
    fields: &[
        Field::new("ipAddress", Type::Str, "The server's address.").required(),
        Field::new(
            "interface",
            Type::Str,
            "The nameif it is reached through, a plain string (`\"\"`: routed).",
        ),
    ],
    kinds: &[],
    ours: true,
};

pub static GROUP_SCHEMA: Object = Object {
    name: "DNSClientServerGroup",
    description: "A DNS server group (`dns server-group <name>`); objectId = its name.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The group's name.").required(),
        Field::new(
            "dnsServers",
            Type::Array(&Type::Object(&DNS_SERVER_SCHEMA)),
            "Name servers, in order.",
        ),
        Field::new("domainName", Type::Str, "Domain name, `\"\"` when unset."),
        Field::new(
            "timeout",
            Type::Int {
                min: Some(1),
                max: Some(30),
            },
            "Seconds before the next server is tried (1-30).",
        ),
        Field::new(
            "retries",
            Type::Int {
                min: Some(0),
                max: Some(10),
            },
            "Retries (0-10).",
        ),
    ],
    kinds: &[GROUP_KIND],
    ours: true,
};

pub fn client_json(dns: &Dns, self_link: &str) -> Value {
    json!({
        "kind": CLIENT_KIND,
        "selfLink": self_link,
        "dnsLookupInterfaces": dns.domain_lookup,
    })
}

pub fn group_json(g: &ServerGroup, self_link: &str) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), Value::from(GROUP_KIND));
    m.insert("objectId".into(), Value::from(g.name.as_str()));
    m.insert("selfLink".into(), Value::from(self_link));
    m.insert("name".into(), Value::from(g.name.as_str()));
    m.insert(
        "dnsServers".into(),
        Value::Array(
            g.servers
                .iter()
                .map(|s| {
                    json!({"ipAddress": s.address.to_string(),
                           "interface": s.nameif.clone().unwrap_or_default()})
                })
                .collect(),
        ),
    );
    m.insert(
        "domainName".into(),
        Value::from(g.domain_name.clone().unwrap_or_default()),
    );
    if let Some(t) = g.timeout {
        m.insert("timeout".into(), Value::from(t));
    }
    if let Some(r) = g.retries {
        m.insert("retries".into(), Value::from(r));
    }
    Value::Object(m)
}

fn object(body: &Value) -> Result<&Map<String, Value>, FieldError> {
    body.as_object()
        .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))
}

/// A `/api/dns/client` body applied to `current` (PUT and PATCH alike: it has one attribute).
pub fn client_from_json(body: &Value, current: &Dns) -> Result<Dns, FieldError> {
    let m = object(body)?;
    match m.get("dnsLookupInterfaces").filter(|v| !v.is_null()) {
        None => Ok(current.clone()),
        Some(list) => Dns::from_json(&json!({ "domainLookup": list }), current)
            .map_err(|e| rename(e, "domainLookup", "dnsLookupInterfaces")),
    }
}

fn rename(mut e: FieldError, from: &str, to: &str) -> FieldError {
    if let Some(rest) = e.attribute.strip_prefix(from) {
        e.attribute = format!("{to}{rest}");
    }
    e
}

/// A server-group body for the group `name` (`create`: it must not exist; `patch`: absent
/// attributes keep their values).
pub fn group_from_json(
    body: &Value,
    name: Option<&str>,
    current: &Dns,
    patch: bool,
) -> Result<Dns, FieldError> {
    let m = object(body)?;
    let given = m
        .get("name")
        .filter(|v| !v.is_null())
        .and_then(Value::as_str);
    let name = match (name, given) {
        (Some(url), Some(n)) if url != n => {
            return Err(FieldError::new("name", FieldProblem::Mismatch));
        }
        (Some(url), _) => url.to_owned(),
        (None, Some(n)) => n.to_owned(),
        (None, None) => return Err(FieldError::new("name", FieldProblem::Missing)),
    };
    let existing = current.groups.iter().find(|g| g.name == name);
    let g = match (existing, patch) {
        (Some(e), true) => e.clone(),
        _ => ServerGroup {
            name: name.clone(),
            ..ServerGroup::default()
        },
    };
    let mut j = Map::new();
    j.insert("name".into(), Value::from(name.as_str()));
    // The group as the `/api/dns` body spells it, so that its checks apply.
    let servers: Vec<Value> = match m.get("dnsServers").filter(|v| !v.is_null()) {
        Some(Value::Array(list)) => list
            .iter()
            .map(|s| {
                let mut o = Map::new();
                if let Some(ip) = s.get("ipAddress") {
                    o.insert("ipAddress".into(), ip.clone());
                }
                if let Some(i) = s
                    .get("interface")
                    .filter(|i| !i.is_null() && i.as_str() != Some(""))
                {
                    o.insert("interface".into(), i.clone());
                }
                Value::Object(o)
            })
            .collect(),
        Some(_) => {
            return Err(FieldError::new(
                "dnsServers",
                FieldProblem::WrongType {
                    expected: "a list of servers",
                },
            ));
        }
        None => g
            .servers
            .iter()
            .map(|s| match &s.nameif {
                Some(n) => json!({"ipAddress": s.address.to_string(), "interface": n}),
                None => json!({"ipAddress": s.address.to_string()}),
            })
            .collect(),
    };
    j.insert("nameServers".into(), Value::Array(servers));
    let domain = match m.get("domainName").filter(|v| !v.is_null()) {
        Some(v) => Some(v.clone()).filter(|v| v.as_str() != Some("")),
        None => g.domain_name.clone().map(Value::from),
    };
    if let Some(d) = domain {
        j.insert("domainName".into(), d);
    }
    for (k, cur) in [("timeout", g.timeout), ("retries", g.retries)] {
        match m.get(k).filter(|v| !v.is_null()) {
            Some(v) => {
                j.insert(k.into(), v.clone());
            }
            None => {
                if let Some(c) = cur {
                    j.insert(k.into(), Value::from(c));
                }
            }
        }
    }
    let mut groups: Vec<Value> = Vec::new();
    let whole = current.to_json("");
    let mut replaced = false;
    for other in whole["serverGroups"].as_array().into_iter().flatten() {
        if other["name"] == name.as_str() {
            groups.push(Value::Object(j.clone()));
            replaced = true;
        } else {
            groups.push(other.clone());
        }
    }
    if !replaced {
        groups.push(Value::Object(j));
    }
    let next = Dns::from_json(&json!({ "serverGroups": groups }), current).map_err(|e| {
        rename(
            rename(e, "serverGroups.nameServers", "dnsServers"),
            "serverGroups.",
            "",
        )
    })?;
    Ok(next)
}

/// The groups as the client API lists them: `DefaultDNS` always exists on an ASA, so an
/// empty one stands in when the configuration prints none.
pub fn groups(dns: &Dns) -> Vec<ServerGroup> {
    let mut out = dns.groups.clone();
    if !out.iter().any(|g| g.name == DEFAULT_GROUP) {
        out.insert(
            0,
            ServerGroup {
                name: DEFAULT_GROUP.to_owned(),
                ..ServerGroup::default()
            },
        );
    }
    out
}

/// `None` when the group may be removed, else why not.
pub fn refuse_delete(name: &str) -> Option<&'static str> {
    (name == DEFAULT_GROUP).then_some("the ASA always keeps the DefaultDNS group")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Dns {
        let cfg = crate::running::RunningConfig::parse(text);
        cfg.settings.dns.clone()
    }

    #[test]
    fn the_dcloud_bodies_become_the_lines() {
        let cur = read("dns server-group DefaultDNS\n domain-name old.example\n");
        let next =
            client_from_json(&json!({"dnsLookupInterfaces": ["inside", "outside"]}), &cur).unwrap();
        assert_eq!(
            Dns::cli_replace(&cur, &next),
            ["dns domain-lookup inside", "dns domain-lookup outside"]
        );
        let body = json!({"name": "DefaultDNS", "dnsServers": [{"ipAddress": "10.1.1.53", "interface": "inside"}],
            "domainName": "lab.example"});
        let next = group_from_json(&body, Some("DefaultDNS"), &cur, true).unwrap();
        assert_eq!(
            Dns::cli_replace(&cur, &next),
            [
                "dns server-group DefaultDNS",
                " name-server 10.1.1.53 inside",
                " domain-name lab.example"
            ]
        );
        let back = read(
            "dns server-group DefaultDNS\n name-server 10.1.1.53 inside\n domain-name lab.example\n",
        );
        let g = back.groups.first().unwrap();
        let j = group_json(g, "x");
        assert_eq!(j["dnsServers"], body["dnsServers"]);
        assert_eq!(j["domainName"], "lab.example");
        GROUP_SCHEMA
            .check(&j, crate::schema::Strictness::Response)
            .unwrap();
    }

    #[test]
    fn bad_bodies_are_refused() {
        let cur = Dns::default();
        assert!(client_from_json(&json!({"dnsLookupInterfaces": ["a b"]}), &cur).is_err());
        assert!(
            group_from_json(
                &json!({"dnsServers": [{"ipAddress": "x"}]}),
                Some("G"),
                &cur,
                true
            )
            .is_err()
        );
        assert!(group_from_json(&json!({"name": "H"}), Some("G"), &cur, true).is_err());
        assert!(refuse_delete("DefaultDNS").is_some());
        assert!(refuse_delete("LAB").is_none());
    }
}
