//! DNS client settings: `/api/dns`, the singleton `object#DNS`.
//!
//! ASA syntax:
//! ```text
//! dns domain-lookup <nameif>
//! dns server-group <name>
//!  name-server <ip> [<ip> ...] [<nameif>]
//!  domain-name <name>
//!  timeout <1-30>
//!  retries <0-10>
//! ```
//! JSON (our names): `{"kind":"object#DNS","selfLink":..,"domainLookup":[<interface refs>],
//! "serverGroups":[{"kind":"object#DNSServerGroup","name":"DefaultDNS","nameServers":
//! [{"ipAddress":"192.0.2.10","interface":<ref>?}],"domainName":"example.com"?,"timeout":2?,
//! "retries":2?}]}`. A PUT changes what it gives: `domainLookup` replaces the list of
//! interfaces; `serverGroups` sets each group it lists (name servers, domain name, timeout and
//! retries replaced) and removes the groups it leaves out, except `DefaultDNS`, which the
//! ASA always keeps.

use std::net::IpAddr;

use serde_json::{Map, Value};

use super::reference::origin_of;
use super::route::interface_ref;
use super::{FieldError, FieldProblem, RunningConfig, json_str, json_u32};
use crate::parse::is_nameif;
use crate::schema::{Field, KIND as KIND_FIELD, OBJECT_REF, Object, SELF_LINK, Type};
use crate::validate::check_object_name;

pub const KIND: &str = "object#DNS";
pub const PATH: &str = "/api/dns";
/// The group every ASA has.
pub const DEFAULT_GROUP: &str = "DefaultDNS";
/// Longest `domain-name`.
pub const MAX_DOMAIN_NAME: usize = 63;

/// One name server of a DNS server group.
pub static NAME_SERVER_SCHEMA: Object = Object {
    name: "DNSNameServer",
    description: "A DNS server and, optionally, the interface it is reached through.",
    fields: &[
        Field::new("ipAddress", Type::Str, "The server's address.").required(),
        Field::new(
            "interface",
            Type::Object(&OBJECT_REF),
            "`objectRef#Interface`; only `name` (the nameif) is read.",
        ),
    ],
    kinds: &[],
    ours: true,
};

/// `object#DNSServerGroup`.
pub static SERVER_GROUP_SCHEMA: Object = Object {
    name: "DNSServerGroup",
    description: "A DNS server group (`dns server-group`).",
    fields: &[
        KIND_FIELD,
        Field::new(
            "name",
            Type::Str,
            "The group's name (`DefaultDNS` always exists).",
        )
        .required(),
        Field::new(
            "nameServers",
            Type::Array(&Type::Object(&NAME_SERVER_SCHEMA)),
            "The servers, in order.",
        ),
        Field::new(
            "domainName",
            Type::Str,
            "Domain appended to unqualified names.",
        ),
        Field::new(
            "timeout",
            Type::Int {
                min: Some(1),
                max: Some(30),
            },
            "Seconds to wait for an answer (1-30).",
        ),
        Field::new(
            "retries",
            Type::Int {
                min: Some(0),
                max: Some(10),
            },
            "Retries per server (0-10).",
        ),
    ],
    kinds: &["object#DNSServerGroup"],
    ours: true,
};

/// `object#DNS` (our field names).
pub static SCHEMA: Object = Object {
    name: "DNS",
    description: "DNS client settings: lookup interfaces and server groups.",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new(
            "domainLookup",
            Type::Array(&Type::Object(&OBJECT_REF)),
            "Interfaces DNS lookups go out of (`dns domain-lookup`).",
        ),
        Field::new(
            "serverGroups",
            Type::Array(&Type::Object(&SERVER_GROUP_SCHEMA)),
            "The server groups; a PUT listing groups removes the others but `DefaultDNS`.",
        ),
    ],
    kinds: &[KIND],
    ours: true,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameServer {
    pub address: IpAddr,
    pub nameif: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerGroup {
    pub name: String,
    pub servers: Vec<NameServer>,
    /// The `name-server` lines as the configuration spells them (to remove them exactly).
    pub server_lines: Vec<String>,
    pub domain_name: Option<String>,
    pub timeout: Option<u32>,
    pub retries: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dns {
    pub domain_lookup: Vec<String>,
    pub groups: Vec<ServerGroup>,
}

/// `name-server a [b ...] [nameif]`.
fn parse_name_servers(rest: &str) -> Option<Vec<NameServer>> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let (nameif, ips) = match words.split_last() {
        Some((last, init)) if last.parse::<IpAddr>().is_err() => (Some(*last), init),
        _ => (None, words.as_slice()),
    };
    if ips.is_empty() || nameif.is_some_and(|n| !is_nameif(n)) {
        return None;
    }
    ips.iter()
        .map(|ip| {
            Some(NameServer {
                address: ip.parse().ok()?,
                nameif: nameif.map(str::to_owned),
            })
        })
        .collect()
}

fn is_domain_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_DOMAIN_NAME
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

impl Dns {
    /// Reads `dns domain-lookup` lines and `dns server-group` blocks; `true` when taken.
    pub fn absorb(&mut self, text: &str, children: &[&str]) -> bool {
        if let Some(n) = text.strip_prefix("dns domain-lookup ") {
            let n = n.trim();
            if is_nameif(n) && !self.domain_lookup.iter().any(|x| x == n) {
                self.domain_lookup.push(n.to_owned());
            }
            return true;
        }
        let Some(name) = text.strip_prefix("dns server-group ") else {
            return false;
        };
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return true;
        }
        let pos = match self.groups.iter().position(|g| g.name == name) {
            Some(p) => p,
            None => {
                self.groups.push(ServerGroup {
                    name: name.to_owned(),
                    ..ServerGroup::default()
                });
                self.groups.len() - 1
            }
        };
        let Some(group) = self.groups.get_mut(pos) else {
            return true;
        };
        for child in children {
            let (word, rest) = child.split_once(' ').unwrap_or((child, ""));
            match word {
                "name-server" => {
                    if let Some(servers) = parse_name_servers(rest) {
                        group.servers.extend(servers);
                        group.server_lines.push((*child).to_owned());
                    }
                }
                "domain-name" if is_domain_name(rest.trim()) => {
                    group.domain_name = Some(rest.trim().to_owned())
                }
                "timeout" => group.timeout = rest.trim().parse().ok(),
                "retries" => group.retries = rest.trim().parse().ok(),
                _ => {}
            }
        }
        true
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        let origin = origin_of(self_link);
        let iface = |n: &str, cfg_hw: Option<&str>| interface_ref(n, cfg_hw, origin);
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert(
            "domainLookup".into(),
            Value::Array(self.domain_lookup.iter().map(|n| iface(n, None)).collect()),
        );
        let groups = self
            .groups
            .iter()
            .map(|g| {
                let mut gm = Map::new();
                gm.insert("kind".into(), Value::from("object#DNSServerGroup"));
                gm.insert("name".into(), Value::from(g.name.as_str()));
                let servers = g
                    .servers
                    .iter()
                    .map(|s| {
                        let mut sm = Map::new();
                        sm.insert("ipAddress".into(), Value::from(s.address.to_string()));
                        if let Some(n) = &s.nameif {
                            sm.insert("interface".into(), iface(n, None));
                        }
                        Value::Object(sm)
                    })
                    .collect();
                gm.insert("nameServers".into(), Value::Array(servers));
                if let Some(d) = &g.domain_name {
                    gm.insert("domainName".into(), Value::from(d.as_str()));
                }
                if let Some(t) = g.timeout {
                    gm.insert("timeout".into(), Value::from(t));
                }
                if let Some(r) = g.retries {
                    gm.insert("retries".into(), Value::from(r));
                }
                Value::Object(gm)
            })
            .collect();
        m.insert("serverGroups".into(), Value::Array(groups));
        Value::Object(m)
    }

    /// A PUT body (see the module documentation).
    pub fn from_json(body: &Value, current: &Dns) -> Result<Dns, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let mut next = current.clone();
        if let Some(v) = map.get("domainLookup").filter(|v| !v.is_null()) {
            let list = v.as_array().ok_or_else(|| {
                FieldError::new(
                    "domainLookup",
                    FieldProblem::WrongType {
                        expected: "a list of interface references",
                    },
                )
            })?;
            next.domain_lookup = Vec::new();
            for item in list {
                let n = nameif_of(item, "domainLookup.name")?;
                if !next.domain_lookup.contains(&n) {
                    next.domain_lookup.push(n);
                }
            }
        }
        if let Some(v) = map.get("serverGroups").filter(|v| !v.is_null()) {
            let list = v.as_array().ok_or_else(|| {
                FieldError::new(
                    "serverGroups",
                    FieldProblem::WrongType {
                        expected: "a list of server groups",
                    },
                )
            })?;
            let mut groups = Vec::new();
            for item in list {
                let g = group_from_json(item)?;
                if groups.iter().any(|x: &ServerGroup| x.name == g.name) {
                    return Err(FieldError::new(
                        "serverGroups.name",
                        FieldProblem::BadValue(format!("the group '{}' is listed twice", g.name)),
                    ));
                }
                groups.push(g);
            }
            if !groups.iter().any(|g| g.name == DEFAULT_GROUP)
                && let Some(default) = current.groups.iter().find(|g| g.name == DEFAULT_GROUP)
            {
                groups.insert(0, default.clone());
            }
            next.groups = groups;
        }
        Ok(next)
    }

    /// Every interface this setting names must exist.
    pub fn check(&self, cfg: &RunningConfig) -> Result<(), FieldError> {
        let names = self.domain_lookup.iter().map(|n| ("domainLookup.name", n));
        let servers = self.groups.iter().flat_map(|g| {
            g.servers
                .iter()
                .filter_map(|s| s.nameif.as_ref())
                .map(|n| ("serverGroups.nameServers.interface.name", n))
        });
        for (attr, n) in names.chain(servers) {
            if cfg.access.hardware_of(n).is_none() {
                return Err(FieldError::new(
                    attr,
                    FieldProblem::BadValue(format!("no interface is named '{n}'")),
                ));
            }
        }
        Ok(())
    }

    pub fn cli_replace(old: &Dns, new: &Dns) -> Vec<String> {
        let mut out = Vec::new();
        for n in &old.domain_lookup {
            if !new.domain_lookup.contains(n) {
                out.push(format!("no dns domain-lookup {n}"));
            }
        }
        for n in &new.domain_lookup {
            if !old.domain_lookup.contains(n) {
                out.push(format!("dns domain-lookup {n}"));
            }
        }
        for g in &old.groups {
            if g.name != DEFAULT_GROUP && !new.groups.iter().any(|x| x.name == g.name) {
                out.push(format!("no dns server-group {}", g.name));
            }
        }
        for g in &new.groups {
            let before = old.groups.iter().find(|x| x.name == g.name);
            let subs = group_commands(before, g);
            if before.is_none() || !subs.is_empty() {
                out.push(format!("dns server-group {}", g.name));
                out.extend(subs);
            }
        }
        out
    }
}

/// Sub-commands turning `old` (if any) into `new`.
fn group_commands(old: Option<&ServerGroup>, new: &ServerGroup) -> Vec<String> {
    let mut out = Vec::new();
    let same_servers = old.is_some_and(|o| o.servers == new.servers);
    if !same_servers {
        for line in old.map(|o| o.server_lines.as_slice()).unwrap_or_default() {
            out.push(format!(" no {line}"));
        }
        for s in &new.servers {
            match &s.nameif {
                Some(n) => out.push(format!(" name-server {} {n}", s.address)),
                None => out.push(format!(" name-server {}", s.address)),
            }
        }
    }
    let old_domain = old.and_then(|o| o.domain_name.as_ref());
    if old_domain != new.domain_name.as_ref() {
        match &new.domain_name {
            Some(d) => out.push(format!(" domain-name {d}")),
            None => out.push(" no domain-name".to_owned()),
        }
    }
    let old_timeout = old.and_then(|o| o.timeout);
    if old_timeout != new.timeout {
        match new.timeout {
            Some(t) => out.push(format!(" timeout {t}")),
            None => out.push(" no timeout".to_owned()),
        }
    }
    let old_retries = old.and_then(|o| o.retries);
    if old_retries != new.retries {
        match new.retries {
            Some(r) => out.push(format!(" retries {r}")),
            None => out.push(" no retries".to_owned()),
        }
    }
    out
}

fn nameif_of(v: &Value, attr: &str) -> Result<String, FieldError> {
    let name = match v {
        Value::String(s) => s.as_str(),
        _ => v
            .get("name")
            .ok_or_else(|| FieldError::new(attr, FieldProblem::Missing))
            .and_then(|n| json_str(n, attr))?,
    };
    if !is_nameif(name) {
        return Err(FieldError::new(
            attr,
            FieldProblem::BadValue(format!("'{name}' is not an interface name (nameif)")),
        ));
    }
    Ok(name.to_owned())
}

fn group_from_json(v: &Value) -> Result<ServerGroup, FieldError> {
    let map = v.as_object().ok_or_else(|| {
        FieldError::new(
            "serverGroups",
            FieldProblem::WrongType {
                expected: "a server group object",
            },
        )
    })?;
    let get = |k: &str| map.get(k).filter(|v| !v.is_null());
    let name = get("name")
        .ok_or_else(|| FieldError::new("serverGroups.name", FieldProblem::Missing))
        .and_then(|n| json_str(n, "serverGroups.name"))?;
    check_object_name(name)
        .map_err(|e| FieldError::new("serverGroups.name", FieldProblem::Value(e)))?;
    let mut g = ServerGroup {
        name: name.to_owned(),
        ..ServerGroup::default()
    };
    if let Some(list) = get("nameServers") {
        let list = list.as_array().ok_or_else(|| {
            FieldError::new(
                "serverGroups.nameServers",
                FieldProblem::WrongType {
                    expected: "a list of name servers",
                },
            )
        })?;
        for s in list {
            let ip_text = match s {
                Value::String(t) => t.as_str(),
                _ => s
                    .get("ipAddress")
                    .ok_or_else(|| {
                        FieldError::new("serverGroups.nameServers.ipAddress", FieldProblem::Missing)
                    })
                    .and_then(|ip| json_str(ip, "serverGroups.nameServers.ipAddress"))?,
            };
            let address = ip_text.trim().parse().map_err(|_| {
                FieldError::new(
                    "serverGroups.nameServers.ipAddress",
                    FieldProblem::BadValue(format!("'{ip_text}' is not an IP address")),
                )
            })?;
            let nameif = match s.get("interface").filter(|v| !v.is_null()) {
                Some(i) => Some(nameif_of(i, "serverGroups.nameServers.interface.name")?),
                None => None,
            };
            g.servers.push(NameServer { address, nameif });
        }
    }
    if let Some(d) = get("domainName") {
        let d = json_str(d, "serverGroups.domainName")?;
        if !d.is_empty() {
            if !is_domain_name(d) {
                return Err(FieldError::new(
                    "serverGroups.domainName",
                    FieldProblem::BadValue(format!(
                        "'{d}' is not a domain name (letters, digits, '.', '-', at most {MAX_DOMAIN_NAME})"
                    )),
                ));
            }
            g.domain_name = Some(d.to_owned());
        }
    }
    let ranged = |attr: &str, v: &Value, hi: u32, lo: u32| -> Result<u32, FieldError> {
        let n = json_u32(v, attr)?;
        if (lo..=hi).contains(&n) {
            Ok(n)
        } else {
            Err(FieldError::new(
                attr,
                FieldProblem::BadValue(format!("{n} is not within {lo}-{hi}")),
            ))
        }
    };
    if let Some(t) = get("timeout") {
        g.timeout = Some(ranged("serverGroups.timeout", t, 30, 1)?);
    }
    if let Some(r) = get("retries") {
        g.retries = Some(ranged("serverGroups.retries", r, 10, 0)?);
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn read(text: &str) -> Dns {
        let mut d = Dns::default();
        for node in crate::tree::parse_tree(text) {
            let children: Vec<&str> = node.children.iter().map(|c| c.trim()).collect();
            d.absorb(&node.text, &children);
        }
        d
    }

    #[test]
    fn reads_groups_and_lookups() {
        let d = read(
            "dns domain-lookup outside\ndns server-group DefaultDNS\n name-server 192.0.2.10 192.0.2.11 management\n \
             name-server 192.0.2.12\n domain-name example.com\n timeout 7\n retries 5\n poll-timer minutes 120\n",
        );
        assert_eq!(d.domain_lookup, ["outside"]);
        let g = &d.groups[0];
        assert_eq!(g.servers.len(), 3);
        assert_eq!(g.servers[0].nameif.as_deref(), Some("management"));
        assert_eq!(g.servers[2].nameif, None);
        assert_eq!(
            (g.domain_name.as_deref(), g.timeout, g.retries),
            (Some("example.com"), Some(7), Some(5))
        );
        let j = d.to_json("https://a/api/dns");
        assert_eq!(
            j["serverGroups"][0]["nameServers"][2]["ipAddress"],
            "192.0.2.12"
        );
        assert_eq!(j["domainLookup"][0]["name"], "outside");
    }

    #[test]
    fn put_replaces_servers_exactly_and_keeps_default_group() {
        let old = read(
            "dns server-group DefaultDNS\n name-server 192.0.2.10 192.0.2.11\n domain-name a.example\n\
             dns server-group Old\n name-server 192.0.2.1\n",
        );
        let new = Dns::from_json(
            &json!({"domainLookup": [{"name": "inside"}],
                    "serverGroups": [{"name": "Lab", "nameServers": ["198.51.100.1"], "timeout": 3}]}),
            &old,
        )
        .unwrap();
        assert_eq!(
            Dns::cli_replace(&old, &new),
            [
                "dns domain-lookup inside",
                "no dns server-group Old",
                "dns server-group Lab",
                " name-server 198.51.100.1",
                " timeout 3"
            ]
        );
        let changed = Dns::from_json(
            &json!({"serverGroups": [{"name": "DefaultDNS", "nameServers": ["192.0.2.10"]}]}),
            &old,
        )
        .unwrap();
        assert_eq!(
            Dns::cli_replace(&old, &changed),
            [
                "no dns server-group Old",
                "dns server-group DefaultDNS",
                " no name-server 192.0.2.10 192.0.2.11",
                " name-server 192.0.2.10",
                " no domain-name"
            ]
        );
    }

    #[test]
    fn refuses_bad_values() {
        let old = Dns::default();
        for (body, attr) in [
            (
                json!({"domainLookup": [{"name": "a b"}]}),
                "domainLookup.name",
            ),
            (
                json!({"serverGroups": [{"name": "x", "timeout": 31}]}),
                "serverGroups.timeout",
            ),
            (
                json!({"serverGroups": [{"name": "x", "retries": 11}]}),
                "serverGroups.retries",
            ),
            (
                json!({"serverGroups": [{"name": "x", "domainName": "a\nhostname b"}]}),
                "serverGroups.domainName",
            ),
            (
                json!({"serverGroups": [{"name": "x", "nameServers": ["1.2.3"]}]}),
                "serverGroups.nameServers.ipAddress",
            ),
            (
                json!({"serverGroups": [{"name": "a b"}]}),
                "serverGroups.name",
            ),
        ] {
            let e = Dns::from_json(&body, &old).unwrap_err();
            assert_eq!(e.attribute, attr, "{body}");
        }
    }

    proptest! {
        #[test]
        fn commands_read_back_as_the_setting_put(ips in proptest::collection::vec(any::<u32>(), 0..4),
                                                 timeout in proptest::option::of(1u32..=30),
                                                 retries in proptest::option::of(0u32..=10),
                                                 domain in proptest::option::of("[a-z]{1,8}\\.[a-z]{2,3}")) {
            let old = read("dns server-group DefaultDNS\n name-server 192.0.2.10\n");
            let servers: Vec<String> = ips.iter().map(|a| std::net::Ipv4Addr::from(*a).to_string()).collect();
            let body = json!({"serverGroups": [{"name": "DefaultDNS", "nameServers": servers,
                "timeout": timeout, "retries": retries, "domainName": domain}]});
            let new = Dns::from_json(&body, &old).unwrap();
            // Apply the commands as lina-sim would (verbatim sub-commands) and read back.
            let mut children: Vec<String> = vec!["name-server 192.0.2.10".into()];
            for c in Dns::cli_replace(&old, &new) {
                let Some(sub) = c.strip_prefix(' ') else { continue };
                if let Some(target) = sub.strip_prefix("no ") {
                    if let Some(i) = children.iter().position(|x| x == target || x.starts_with(target)) {
                        children.remove(i);
                    }
                } else {
                    let word = sub.split(' ').next().unwrap_or_default();
                    if word != "name-server" {
                        children.retain(|x| x.split(' ').next() != Some(word));
                    }
                    children.push(sub.to_owned());
                }
            }
            let text = format!("dns server-group DefaultDNS\n{}", children.iter().map(|c| format!(" {c}\n")).collect::<String>());
            let back = read(&text);
            prop_assert_eq!(&back.groups[0].servers, &new.groups[0].servers);
            prop_assert_eq!(back.groups[0].timeout, new.groups[0].timeout);
            prop_assert_eq!(back.groups[0].retries, new.groups[0].retries);
            prop_assert_eq!(&back.groups[0].domain_name, &new.groups[0].domain_name);
        }
    }
}
