//! DHCP server and relay: `/api/dhcp`, the singleton `object#DHCP`.
//!
//! ASA syntax:
//! ```text
//! dhcpd address <start>-<end> <nameif>     (one pool per interface)
//! dhcpd enable <nameif>
//! dhcpd dns <ip> [<ip>] | dhcpd wins <ip> [<ip>] | dhcpd domain <name>
//! dhcpd lease <300-1048575> | dhcpd ping_timeout <10-10000>
//! dhcprelay server <ip> <nameif> | dhcprelay enable <nameif> | dhcprelay timeout <1-3600>
//! ```
//! JSON (our names): `{"kind":"object#DHCP","selfLink":..,"servers":[{"interface":<ref>,
//! "poolStartIp":"192.168.1.10","poolEndIp":"192.168.1.100","enabled":true}],
//! "dnsServers":[..],"winsServers":[..],"domainName":..?,"leaseLength":3600?,"pingTimeout":50?,
//! "relay":{"servers":[{"ipAddress":..,"interface":<ref>}],"enabledInterfaces":[<ref>],
//! "timeout":60?}}`. A PUT changes what it gives; a list given replaces the current list.
//! Both server and relay are refused in transparent firewall mode (lina-sim answers with the
//! ASA's error).

use std::net::Ipv4Addr;

use serde_json::{Map, Value, json};

use super::reference::origin_of;
use super::route::interface_ref;
use super::{FieldError, FieldProblem, RunningConfig, json_bool, json_str, json_u32};
use crate::parse::is_nameif;
use crate::schema::{Field, KIND as KIND_FIELD, OBJECT_REF, Object, SELF_LINK, STRINGS, Type};

pub const KIND: &str = "object#DHCP";
pub const PATH: &str = "/api/dhcp";

/// One DHCP server pool.
pub static SERVER_SCHEMA: Object = Object {
    name: "DHCPServerPool",
    description: "The DHCP server on one interface: its address pool and whether it serves.",
    fields: &[
        Field::new(
            "interface",
            Type::Object(&OBJECT_REF),
            "`objectRef#Interface`; only `name` (the nameif) is read.",
        )
        .required(),
        Field::new("poolStartIp", Type::Str, "First address of the pool."),
        Field::new("poolEndIp", Type::Str, "Last address of the pool."),
        Field::new(
            "enabled",
            Type::Bool,
            "Whether the server answers on the interface.",
        ),
    ],
    kinds: &[],
    ours: true,
};

/// One DHCP relay server.
pub static RELAY_SERVER_SCHEMA: Object = Object {
    name: "DHCPRelayServer",
    description: "A DHCP server requests are relayed to, and the interface it is reached through.",
    fields: &[
        Field::new("ipAddress", Type::Str, "The server's address.").required(),
        Field::new(
            "interface",
            Type::Object(&OBJECT_REF),
            "`objectRef#Interface`; only `name` (the nameif) is read.",
        )
        .required(),
    ],
    kinds: &[],
    ours: true,
};

/// `relay` of the DHCP settings.
pub static RELAY_SCHEMA: Object = Object {
    name: "DHCPRelay",
    description: "The DHCP relay: its servers, the interfaces it listens on and its timeout.",
    fields: &[
        Field::new(
            "servers",
            Type::Array(&Type::Object(&RELAY_SERVER_SCHEMA)),
            "The relay servers.",
        ),
        Field::new(
            "enabledInterfaces",
            Type::Array(&Type::Object(&OBJECT_REF)),
            "Interfaces the relay listens on.",
        ),
        Field::new(
            "timeout",
            Type::Int {
                min: Some(1),
                max: Some(3600),
            },
            "Seconds to wait for the server (1-3600).",
        ),
    ],
    kinds: &[],
    ours: true,
};

/// `object#DHCP` (our field names).
pub static SCHEMA: Object = Object {
    name: "DHCP",
    description: "DHCP server and relay settings.",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new(
            "servers",
            Type::Array(&Type::Object(&SERVER_SCHEMA)),
            "One pool per interface.",
        ),
        Field::new(
            "dnsServers",
            STRINGS,
            "DNS servers handed out (at most two).",
        ),
        Field::new(
            "winsServers",
            STRINGS,
            "WINS servers handed out (at most two).",
        ),
        Field::new("domainName", Type::Str, "Domain name handed out."),
        Field::new(
            "leaseLength",
            Type::Int {
                min: Some(300),
                max: Some(1_048_575),
            },
            "Lease in seconds (300-1048575).",
        ),
        Field::new(
            "pingTimeout",
            Type::Int {
                min: Some(10),
                max: Some(10_000),
            },
            "Milliseconds to wait for a ping before offering an address (10-10000).",
        ),
        Field::new("relay", Type::Object(&RELAY_SCHEMA), "The DHCP relay."),
    ],
    kinds: &[KIND],
    ours: true,
};

/// One interface's DHCP server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    pub nameif: String,
    /// `None` when only `dhcpd enable` names the interface.
    pub range: Option<(Ipv4Addr, Ipv4Addr)>,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayServer {
    pub address: Ipv4Addr,
    pub nameif: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dhcp {
    pub pools: Vec<Pool>,
    pub dns: Vec<Ipv4Addr>,
    pub wins: Vec<Ipv4Addr>,
    pub domain: Option<String>,
    pub lease: Option<u32>,
    pub ping_timeout: Option<u32>,
    pub relay_servers: Vec<RelayServer>,
    pub relay_enabled: Vec<String>,
    pub relay_timeout: Option<u32>,
}

fn parse_range(s: &str) -> Option<(Ipv4Addr, Ipv4Addr)> {
    let (a, b) = s.split_once('-')?;
    let (a, b): (Ipv4Addr, Ipv4Addr) = (a.parse().ok()?, b.parse().ok()?);
    (a <= b).then_some((a, b))
}

fn ips(words: &[&str]) -> Option<Vec<Ipv4Addr>> {
    words.iter().map(|w| w.parse().ok()).collect()
}

impl Dhcp {
    fn pool_mut(&mut self, nameif: &str) -> &mut Pool {
        let pos = match self.pools.iter().position(|p| p.nameif == nameif) {
            Some(p) => p,
            None => {
                self.pools.push(Pool {
                    nameif: nameif.to_owned(),
                    range: None,
                    enabled: false,
                });
                self.pools.len() - 1
            }
        };
        &mut self.pools[pos]
    }

    /// Reads a `dhcpd` or `dhcprelay` line; lines not modelled change nothing.
    pub fn absorb(&mut self, text: &str) {
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["dhcpd", "address", range, nameif] if is_nameif(nameif) => {
                if let Some(r) = parse_range(range) {
                    self.pool_mut(nameif).range = Some(r);
                }
            }
            ["dhcpd", "enable", nameif] if is_nameif(nameif) => {
                self.pool_mut(nameif).enabled = true;
            }
            ["dhcpd", "dns", rest @ ..] if (1..=2).contains(&rest.len()) => {
                if let Some(v) = ips(rest) {
                    self.dns = v;
                }
            }
            ["dhcpd", "wins", rest @ ..] if (1..=2).contains(&rest.len()) => {
                if let Some(v) = ips(rest) {
                    self.wins = v;
                }
            }
            ["dhcpd", "domain", d] => self.domain = Some((*d).to_owned()),
            ["dhcpd", "lease", n] => self.lease = n.parse().ok(),
            ["dhcpd", "ping_timeout", n] => self.ping_timeout = n.parse().ok(),
            ["dhcprelay", "server", ip, nameif] if is_nameif(nameif) => {
                if let Ok(address) = ip.parse() {
                    self.relay_servers.push(RelayServer {
                        address,
                        nameif: (*nameif).to_owned(),
                    });
                }
            }
            ["dhcprelay", "enable", nameif]
                if is_nameif(nameif) && !self.relay_enabled.iter().any(|n| n == nameif) =>
            {
                self.relay_enabled.push((*nameif).to_owned());
            }
            ["dhcprelay", "timeout", n] => self.relay_timeout = n.parse().ok(),
            _ => {}
        }
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        let origin = origin_of(self_link);
        let iface = |n: &str| interface_ref(n, None, origin);
        let strs =
            |v: &[Ipv4Addr]| Value::Array(v.iter().map(|i| Value::from(i.to_string())).collect());
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        let servers = self
            .pools
            .iter()
            .map(|p| {
                let mut pm = Map::new();
                pm.insert("interface".into(), iface(&p.nameif));
                if let Some((a, b)) = p.range {
                    pm.insert("poolStartIp".into(), Value::from(a.to_string()));
                    pm.insert("poolEndIp".into(), Value::from(b.to_string()));
                }
                pm.insert("enabled".into(), Value::from(p.enabled));
                Value::Object(pm)
            })
            .collect();
        m.insert("servers".into(), Value::Array(servers));
        m.insert("dnsServers".into(), strs(&self.dns));
        m.insert("winsServers".into(), strs(&self.wins));
        if let Some(d) = &self.domain {
            m.insert("domainName".into(), Value::from(d.as_str()));
        }
        if let Some(l) = self.lease {
            m.insert("leaseLength".into(), Value::from(l));
        }
        if let Some(t) = self.ping_timeout {
            m.insert("pingTimeout".into(), Value::from(t));
        }
        let mut relay = Map::new();
        relay.insert(
            "servers".into(),
            Value::Array(
                self.relay_servers
                    .iter()
                    .map(|s| json!({"ipAddress": s.address.to_string(), "interface": iface(&s.nameif)}))
                    .collect(),
            ),
        );
        relay.insert(
            "enabledInterfaces".into(),
            Value::Array(self.relay_enabled.iter().map(|n| iface(n)).collect()),
        );
        if let Some(t) = self.relay_timeout {
            relay.insert("timeout".into(), Value::from(t));
        }
        m.insert("relay".into(), Value::Object(relay));
        Value::Object(m)
    }

    /// A PUT body (see the module documentation).
    pub fn from_json(body: &Value, current: &Dhcp) -> Result<Dhcp, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |m: &Map<String, Value>, k: &str| m.get(k).filter(|v| !v.is_null()).cloned();
        let mut next = current.clone();
        if let Some(v) = get(map, "servers") {
            next.pools = Vec::new();
            for s in array(&v, "servers")? {
                let nameif = nameif_of(s.get("interface"), "servers.interface.name")?;
                if next.pools.iter().any(|p| p.nameif == nameif) {
                    return Err(bad(
                        "servers.interface.name",
                        format!("'{nameif}' is listed twice"),
                    ));
                }
                let start = s.get("poolStartIp").filter(|v| !v.is_null());
                let end = s.get("poolEndIp").filter(|v| !v.is_null());
                let range = match (start, end) {
                    (Some(a), Some(b)) => {
                        let a = ipv4(a, "servers.poolStartIp")?;
                        let b = ipv4(b, "servers.poolEndIp")?;
                        if a > b {
                            return Err(bad(
                                "servers.poolEndIp",
                                format!("{b} is below the pool start {a}"),
                            ));
                        }
                        Some((a, b))
                    }
                    (None, None) => None,
                    (None, Some(_)) => {
                        return Err(FieldError::new(
                            "servers.poolStartIp",
                            FieldProblem::Missing,
                        ));
                    }
                    (Some(_), None) => {
                        return Err(FieldError::new("servers.poolEndIp", FieldProblem::Missing));
                    }
                };
                let enabled = match s.get("enabled").filter(|v| !v.is_null()) {
                    Some(e) => json_bool(e, "servers.enabled")?,
                    None => false,
                };
                if enabled && range.is_none() {
                    return Err(FieldError::new(
                        "servers.poolStartIp",
                        FieldProblem::Missing,
                    ));
                }
                next.pools.push(Pool {
                    nameif,
                    range,
                    enabled,
                });
            }
        }
        if let Some(v) = get(map, "dnsServers") {
            next.dns = ip_list(&v, "dnsServers")?;
        }
        if let Some(v) = get(map, "winsServers") {
            next.wins = ip_list(&v, "winsServers")?;
        }
        if let Some(v) = map.get("domainName") {
            next.domain = match v {
                Value::Null => None,
                _ => {
                    let d = json_str(v, "domainName")?;
                    if d.is_empty() {
                        None
                    } else if d.len() <= 63
                        && d.chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                    {
                        Some(d.to_owned())
                    } else {
                        return Err(bad("domainName", format!("'{d}' is not a domain name")));
                    }
                }
            };
        }
        if let Some(v) = get(map, "leaseLength") {
            next.lease = Some(ranged(&v, "leaseLength", 300, 1_048_575)?);
        }
        if let Some(v) = get(map, "pingTimeout") {
            next.ping_timeout = Some(ranged(&v, "pingTimeout", 10, 10_000)?);
        }
        if let Some(relay) = get(map, "relay") {
            let relay = relay.as_object().cloned().ok_or_else(|| {
                FieldError::new(
                    "relay",
                    FieldProblem::WrongType {
                        expected: "an object",
                    },
                )
            })?;
            if let Some(v) = get(&relay, "servers") {
                next.relay_servers = Vec::new();
                for s in array(&v, "relay.servers")? {
                    let address = ipv4(
                        s.get("ipAddress").unwrap_or(&Value::Null),
                        "relay.servers.ipAddress",
                    )?;
                    let nameif = nameif_of(s.get("interface"), "relay.servers.interface.name")?;
                    next.relay_servers.push(RelayServer { address, nameif });
                }
            }
            if let Some(v) = get(&relay, "enabledInterfaces") {
                next.relay_enabled = Vec::new();
                for i in array(&v, "relay.enabledInterfaces")? {
                    let n = nameif_of(Some(i), "relay.enabledInterfaces.name")?;
                    if !next.relay_enabled.contains(&n) {
                        next.relay_enabled.push(n);
                    }
                }
            }
            if let Some(v) = get(&relay, "timeout") {
                next.relay_timeout = Some(ranged(&v, "relay.timeout", 1, 3600)?);
            }
        }
        Ok(next)
    }

    /// Every interface named must exist.
    pub fn check(&self, cfg: &RunningConfig) -> Result<(), FieldError> {
        let pools = self
            .pools
            .iter()
            .map(|p| ("servers.interface.name", &p.nameif));
        let relays = self
            .relay_servers
            .iter()
            .map(|s| ("relay.servers.interface.name", &s.nameif));
        let enabled = self
            .relay_enabled
            .iter()
            .map(|n| ("relay.enabledInterfaces.name", n));
        for (attr, n) in pools.chain(relays).chain(enabled) {
            if cfg.access.hardware_of(n).is_none() {
                return Err(bad(attr, format!("no interface is named '{n}'")));
            }
        }
        Ok(())
    }

    pub fn cli_replace(old: &Dhcp, new: &Dhcp) -> Vec<String> {
        let mut out = Vec::new();
        let range_text = |(a, b): (Ipv4Addr, Ipv4Addr)| format!("{a}-{b}");
        for p in &old.pools {
            let kept = new.pools.iter().find(|n| n.nameif == p.nameif);
            if p.enabled && !kept.is_some_and(|k| k.enabled) {
                out.push(format!("no dhcpd enable {}", p.nameif));
            }
            if let Some(r) = p.range
                && kept.and_then(|k| k.range) != Some(r)
            {
                out.push(format!("no dhcpd address {} {}", range_text(r), p.nameif));
            }
        }
        for p in &new.pools {
            let before = old.pools.iter().find(|o| o.nameif == p.nameif);
            if let Some(r) = p.range
                && before.and_then(|b| b.range) != Some(r)
            {
                out.push(format!("dhcpd address {} {}", range_text(r), p.nameif));
            }
            if p.enabled && !before.is_some_and(|b| b.enabled) {
                out.push(format!("dhcpd enable {}", p.nameif));
            }
        }
        let list = |v: &[Ipv4Addr]| {
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        };
        if old.dns != new.dns {
            out.push(if new.dns.is_empty() {
                "no dhcpd dns".to_owned()
            } else {
                format!("dhcpd dns {}", list(&new.dns))
            });
        }
        if old.wins != new.wins {
            out.push(if new.wins.is_empty() {
                "no dhcpd wins".to_owned()
            } else {
                format!("dhcpd wins {}", list(&new.wins))
            });
        }
        if old.domain != new.domain {
            out.push(match &new.domain {
                Some(d) => format!("dhcpd domain {d}"),
                None => "no dhcpd domain".to_owned(),
            });
        }
        if old.lease != new.lease
            && let Some(l) = new.lease
        {
            out.push(format!("dhcpd lease {l}"));
        }
        if old.ping_timeout != new.ping_timeout
            && let Some(t) = new.ping_timeout
        {
            out.push(format!("dhcpd ping_timeout {t}"));
        }
        for s in &old.relay_servers {
            if !new.relay_servers.contains(s) {
                out.push(format!("no dhcprelay server {} {}", s.address, s.nameif));
            }
        }
        for n in &old.relay_enabled {
            if !new.relay_enabled.contains(n) {
                out.push(format!("no dhcprelay enable {n}"));
            }
        }
        for s in &new.relay_servers {
            if !old.relay_servers.contains(s) {
                out.push(format!("dhcprelay server {} {}", s.address, s.nameif));
            }
        }
        for n in &new.relay_enabled {
            if !old.relay_enabled.contains(n) {
                out.push(format!("dhcprelay enable {n}"));
            }
        }
        if old.relay_timeout != new.relay_timeout
            && let Some(t) = new.relay_timeout
        {
            out.push(format!("dhcprelay timeout {t}"));
        }
        out
    }
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

fn array<'v>(v: &'v Value, attr: &str) -> Result<&'v Vec<Value>, FieldError> {
    v.as_array()
        .ok_or_else(|| FieldError::new(attr, FieldProblem::WrongType { expected: "a list" }))
}

fn ipv4(v: &Value, attr: &str) -> Result<Ipv4Addr, FieldError> {
    if v.is_null() {
        return Err(FieldError::new(attr, FieldProblem::Missing));
    }
    let text = match v.get("value") {
        Some(inner) => json_str(inner, attr)?,
        None => json_str(v, attr)?,
    };
    text.trim()
        .parse()
        .map_err(|_| bad(attr, format!("'{text}' is not an IPv4 address")))
}

fn ip_list(v: &Value, attr: &str) -> Result<Vec<Ipv4Addr>, FieldError> {
    let list = array(v, attr)?;
    if list.len() > 2 {
        return Err(bad(attr, "at most two servers"));
    }
    list.iter().map(|i| ipv4(i, attr)).collect()
}

fn ranged(v: &Value, attr: &str, lo: u32, hi: u32) -> Result<u32, FieldError> {
    let n = json_u32(v, attr)?;
    if (lo..=hi).contains(&n) {
        Ok(n)
    } else {
        Err(bad(attr, format!("{n} is not within {lo}-{hi}")))
    }
}

fn nameif_of(v: Option<&Value>, attr: &str) -> Result<String, FieldError> {
    let v = v
        .filter(|v| !v.is_null())
        .ok_or_else(|| FieldError::new(attr, FieldProblem::Missing))?;
    let name = match v {
        Value::String(s) => s.as_str(),
        _ => v
            .get("name")
            .ok_or_else(|| FieldError::new(attr, FieldProblem::Missing))
            .and_then(|n| json_str(n, attr))?,
    };
    if !is_nameif(name) {
        return Err(bad(
            attr,
            format!("'{name}' is not an interface name (nameif)"),
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(text: &str) -> Dhcp {
        let mut d = Dhcp::default();
        for l in text.lines() {
            d.absorb(l);
        }
        d
    }

    #[test]
    fn reads_server_and_relay_lines() {
        let d = read(
            "dhcpd address 192.168.1.10-192.168.1.100 inside\ndhcpd dns 8.8.8.8 8.8.4.4\n\
             dhcpd lease 3600\ndhcpd enable inside\ndhcprelay server 10.0.0.5 outside\n\
             dhcprelay enable dmz\ndhcprelay timeout 90\ndhcpd option 3 ip 1.1.1.1\n",
        );
        let j = d.to_json("https://a/api/dhcp");
        assert_eq!(j["kind"], KIND);
        assert_eq!(j["servers"][0]["interface"]["name"], "inside");
        assert_eq!(j["servers"][0]["poolStartIp"], "192.168.1.10");
        assert_eq!(j["servers"][0]["enabled"], true);
        assert_eq!(j["dnsServers"], json!(["8.8.8.8", "8.8.4.4"]));
        assert_eq!(j["leaseLength"], 3600);
        assert_eq!(j["relay"]["servers"][0]["ipAddress"], "10.0.0.5");
        assert_eq!(j["relay"]["enabledInterfaces"][0]["name"], "dmz");
        assert_eq!(j["relay"]["timeout"], 90);
    }

    #[test]
    fn put_changes_pools_and_reads_back() {
        let old = read("dhcpd address 192.168.1.10-192.168.1.100 inside\ndhcpd enable inside\n");
        let new = Dhcp::from_json(
            &json!({"servers": [{"interface": {"name": "inside"}, "poolStartIp": "192.168.1.20",
                                  "poolEndIp": "192.168.1.50", "enabled": "true"}],
                    "dnsServers": ["192.0.2.53"], "leaseLength": 7200,
                    "relay": {"servers": [{"ipAddress": "10.0.0.5", "interface": {"name": "outside"}}]}}),
            &old,
        )
        .unwrap();
        let cmds = Dhcp::cli_replace(&old, &new);
        assert_eq!(
            cmds,
            [
                "no dhcpd address 192.168.1.10-192.168.1.100 inside",
                "dhcpd address 192.168.1.20-192.168.1.50 inside",
                "dhcpd dns 192.0.2.53",
                "dhcpd lease 7200",
                "dhcprelay server 10.0.0.5 outside"
            ]
        );
        let mut lines: Vec<String> = vec![
            "dhcpd address 192.168.1.10-192.168.1.100 inside".into(),
            "dhcpd enable inside".into(),
        ];
        for c in cmds {
            match c.strip_prefix("no ") {
                Some(t) => lines.retain(|l| l != t),
                None => lines.push(c),
            }
        }
        assert_eq!(read(&lines.join("\n")), new);
    }

    #[test]
    fn refuses_bad_bodies() {
        let old = Dhcp::default();
        for (body, attr) in [
            (
                json!({"servers": [{"interface": {"name": "in side"}}]}),
                "servers.interface.name",
            ),
            (
                json!({"servers": [{"interface": {"name": "inside"}, "poolStartIp": "10.0.0.9", "poolEndIp": "10.0.0.1"}]}),
                "servers.poolEndIp",
            ),
            (
                json!({"servers": [{"interface": {"name": "inside"}, "enabled": true}]}),
                "servers.poolStartIp",
            ),
            (
                json!({"dnsServers": ["1.1.1.1", "2.2.2.2", "3.3.3.3"]}),
                "dnsServers",
            ),
            (json!({"leaseLength": 10}), "leaseLength"),
            (json!({"domainName": "a\nb"}), "domainName"),
            (json!({"relay": {"timeout": 0}}), "relay.timeout"),
        ] {
            let e = Dhcp::from_json(&body, &old).unwrap_err();
            assert_eq!(e.attribute, attr, "{body}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_lines_never_panic(s in "(dhcpd|dhcprelay)( [a-z0-9._-]{0,12}){0,5}") {
            let mut d = Dhcp::default();
            d.absorb(&s);
        }
    }
}
