//! Management access hosts: `/api/mgmtaccess/hosts`, who may reach the device over HTTPS
//! (ASDM and this API), SSH or Telnet, from which interface.
//!
//! ASA syntax: `http|ssh|telnet <ip> <mask> <nameif>` and `http|ssh|telnet <ipv6>/<len> <nameif>`.
//! JSON (kinds are our choice, one per protocol like the routes' per-family kinds):
//! `{"kind":"object#SSHAccess","selfLink":..,"type":"ssh","ipAddress":{"kind":"IPv4Network",
//! "value":"10.0.0.0/8"},"interface":{"kind":"objectRef#Interface",..,"name":"inside"},
//! "objectId":"1a2b3c4d"}`; `type` is `http`, `ssh` or `telnet` (on input it may come from the
//! body's `kind` alone); a single address is an `IPv4Address`/`IPv6Address`. The objectId is 8
//! lowercase hex digits: the first 4 bytes of the SHA-256 of the canonical line.

use super::single_line;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::reference::origin_of;
use super::route::{Destination, interface_ref};
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::parse::{is_nameif, mask_prefix, prefix_mask};
use crate::schema::{ADDRESS, Field, KIND, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, Type};

/// The protocol a host may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    Http,
    Ssh,
    Telnet,
}

impl Protocol {
    pub fn keyword(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Ssh => "ssh",
            Protocol::Telnet => "telnet",
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Protocol::Http => "object#HTTPAccess",
            Protocol::Ssh => "object#SSHAccess",
            Protocol::Telnet => "object#TelnetAccess",
        }
    }

    fn from_keyword(s: &str) -> Option<Protocol> {
        match s.to_ascii_lowercase().as_str() {
            "http" | "https" => Some(Protocol::Http),
            "ssh" => Some(Protocol::Ssh),
            "telnet" => Some(Protocol::Telnet),
            _ => None,
        }
    }

    fn from_kind(s: &str) -> Option<Protocol> {
        [Protocol::Http, Protocol::Ssh, Protocol::Telnet]
            .into_iter()
            .find(|p| p.kind() == s)
    }
}

/// One host line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostLine {
    pub protocol: Protocol,
    pub address: Destination,
    pub nameif: String,
}

impl fmt::Display for HostLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.protocol.keyword();
        match self.address {
            Destination::V4 { network, prefix } => {
                write!(f, "{p} {network} {} {}", prefix_mask(prefix), self.nameif)
            }
            Destination::V6 { network, prefix } => {
                write!(f, "{p} {network}/{prefix} {}", self.nameif)
            }
        }
    }
}

/// Parses a host line; `None` for anything else (settings lines such as `ssh timeout 5`).
pub fn parse_host(text: &str) -> Option<HostLine> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (protocol, address, nameif) = match words.as_slice() {
        [p, ip, mask, nameif] => {
            let network: Ipv4Addr = ip.parse().ok()?;
            let prefix = mask_prefix(mask.parse().ok()?)?;
            (p, Destination::V4 { network, prefix }, nameif)
        }
        [p, net, nameif] => {
            let (ip, len) = net.split_once('/')?;
            let network: Ipv6Addr = ip.parse().ok()?;
            let prefix: u8 = len.parse().ok().filter(|l| *l <= 128)?;
            (p, Destination::V6 { network, prefix }, nameif)
        }
        _ => return None,
    };
    if !matches!(*protocol, "http" | "ssh" | "telnet") {
        return None;
    }
    if !is_nameif(nameif) {
        return None;
    }
    Some(HostLine {
        protocol: Protocol::from_keyword(protocol)?,
        address,
        nameif: (*nameif).to_owned(),
    })
}

/// One management access host of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MgmtHost {
    pub line: HostLine,
    pub id: String,
    /// The interface's hardware id, when known (for the reference's `refLink`).
    pub hardware: Option<String>,
}

impl MgmtHost {
    pub fn new(line: HostLine) -> MgmtHost {
        let digest = Sha256::digest(line.to_string().as_bytes());
        MgmtHost {
            id: format!(
                "{:02x}{:02x}{:02x}{:02x}",
                digest[0], digest[1], digest[2], digest[3]
            ),
            line,
            hardware: None,
        }
    }
}

/// Reads a top-level line into the collection when it is a host line; `true` if it was.
pub fn absorb_line<'a>(
    collection: &mut Collection<MgmtHost>,
    text: &str,
    hardware_of: impl Fn(&str) -> Option<&'a str>,
) -> bool {
    match parse_host(text) {
        Some(line) => {
            let mut host = MgmtHost::new(line);
            host.hardware = hardware_of(&host.line.nameif).map(str::to_owned);
            collection.insert(host);
            true
        }
        None => false,
    }
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

fn address_json(d: &Destination) -> Value {
    match d {
        Destination::V4 {
            network,
            prefix: 32,
        } => json!({"kind": "IPv4Address", "value": network.to_string()}),
        Destination::V6 {
            network,
            prefix: 128,
        } => json!({"kind": "IPv6Address", "value": network.to_string()}),
        Destination::V4 { network, prefix } => {
            json!({"kind": "IPv4Network", "value": format!("{network}/{prefix}")})
        }
        Destination::V6 { network, prefix } => {
            json!({"kind": "IPv6Network", "value": format!("{network}/{prefix}")})
        }
    }
}

fn address_from_json(v: &Value) -> Result<Destination, FieldError> {
    let kind = v
        .get("kind")
        .ok_or_else(|| FieldError::new("ipAddress.kind", FieldProblem::Missing))
        .and_then(|k| json_str(k, "ipAddress.kind"))?;
    let value = v
        .get("value")
        .ok_or_else(|| FieldError::new("ipAddress.value", FieldProblem::Missing))
        .and_then(|k| json_str(k, "ipAddress.value"))?
        .trim();
    let vattr = "ipAddress.value";
    let net = |v6: bool| -> Result<Destination, FieldError> {
        let (ip, len) = value
            .split_once('/')
            .ok_or_else(|| bad(vattr, format!("'{value}' is not a network (address/len)")))?;
        let parsed: IpAddr = ip
            .parse()
            .map_err(|_| bad(vattr, format!("'{ip}' is not an IP address")))?;
        let max = if v6 { 128 } else { 32 };
        let prefix = match len.parse::<u8>() {
            Ok(p) if p <= max => p,
            _ if !v6 => len
                .parse::<Ipv4Addr>()
                .ok()
                .and_then(mask_prefix)
                .ok_or_else(|| bad(vattr, format!("'{len}' is not a prefix length or mask")))?,
            _ => return Err(bad(vattr, format!("'{len}' is not a prefix length"))),
        };
        match (parsed, v6) {
            (IpAddr::V4(network), false) => Ok(Destination::V4 { network, prefix }),
            (IpAddr::V6(network), true) => Ok(Destination::V6 { network, prefix }),
            _ => Err(bad(
                vattr,
                format!("'{ip}' is not of the kind's IP version"),
            )),
        }
    };
    let d = match kind {
        "IPv4Address" => Destination::V4 {
            network: value
                .parse()
                .map_err(|_| bad(vattr, format!("'{value}' is not an IPv4 address")))?,
            prefix: 32,
        },
        "IPv6Address" => Destination::V6 {
            network: value
                .parse()
                .map_err(|_| bad(vattr, format!("'{value}' is not an IPv6 address")))?,
            prefix: 128,
        },
        "IPv4Network" => net(false)?,
        "IPv6Network" => net(true)?,
        "AnyIPAddress" => Destination::V4 {
            network: Ipv4Addr::UNSPECIFIED,
            prefix: 0,
        },
        "AnyIPv6Address" => Destination::V6 {
            network: Ipv6Addr::UNSPECIFIED,
            prefix: 0,
        },
        other => {
            return Err(FieldError::new(
                "ipAddress.kind",
                FieldProblem::UnknownKind(other.to_owned()),
            ));
        }
    };
    if d.has_host_bits() {
        return Err(bad(vattr, format!("'{value}' has host bits set")));
    }
    Ok(d)
}

/// `object#HTTPAccess` / `object#SSHAccess` / `object#TelnetAccess` (our kinds).
pub static SCHEMA: Object = Object {
    name: "MgmtAccessHost",
    description: "A host or network allowed to reach the device by HTTPS, SSH or telnet; the objectId is a hash of the line.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "type",
            Type::Str,
            "`http`, `ssh` or `telnet`; taken from `kind` when left out.",
        ),
        Field::new(
            "ipAddress",
            Type::Object(&ADDRESS),
            "The host or network allowed.",
        )
        .required(),
        Field::new(
            "interface",
            Type::Object(&OBJECT_REF),
            "`objectRef#Interface`; only `name` (the nameif) is read.",
        )
        .required(),
    ],
    kinds: &[
        "object#HTTPAccess",
        "object#SSHAccess",
        "object#TelnetAccess",
    ],
    ours: true,
};

impl Resource for MgmtHost {
    const KIND: &'static str = "object#SSHAccess";
    const COLLECTION_KIND: &'static str = "collection#MgmtAccessHost";
    const PATH: &'static str = "/api/mgmtaccess/hosts";
    const SCHEMA: &'static Object = &SCHEMA;
    // Only `http` host lines reach the table's dispatch; `setting::absorb_line` reads all
    // three protocols first.
    const CLI_HEADER: &'static str = "http ";

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(self.line.protocol.kind()));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert("type".into(), Value::from(self.line.protocol.keyword()));
        m.insert("ipAddress".into(), address_json(&self.line.address));
        m.insert(
            "interface".into(),
            interface_ref(
                &self.line.nameif,
                self.hardware.as_deref(),
                origin_of(self_link),
            ),
        );
        m.insert("objectId".into(), Value::from(self.id.as_str()));
        Value::Object(m)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let base = match mode {
            WriteMode::Patch { existing, .. } => Some(&existing.line),
            _ => None,
        };
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let protocol = match (get("type"), base) {
            (Some(v), _) => {
                let t = json_str(v, "type")?;
                Protocol::from_keyword(t)
                    .ok_or_else(|| bad("type", format!("'{t}' is not one of http, ssh, telnet")))?
            }
            (None, Some(b)) => b.protocol,
            (None, None) => get("kind")
                .and_then(Value::as_str)
                .and_then(Protocol::from_kind)
                .ok_or_else(|| FieldError::new("type", FieldProblem::Missing))?,
        };
        let address = match (get("ipAddress"), base) {
            (Some(v), _) => address_from_json(v)?,
            (None, Some(b)) => b.address,
            (None, None) => return Err(FieldError::new("ipAddress", FieldProblem::Missing)),
        };
        let nameif = match (get("interface"), base) {
            (Some(v), _) => {
                let name = v
                    .get("name")
                    .ok_or_else(|| FieldError::new("interface.name", FieldProblem::Missing))
                    .and_then(|n| json_str(n, "interface.name"))?;
                if !is_nameif(name) {
                    return Err(bad(
                        "interface.name",
                        format!("'{name}' is not an interface name (nameif)"),
                    ));
                }
                name.to_owned()
            }
            (None, Some(b)) => b.nameif.clone(),
            (None, None) => return Err(FieldError::new("interface", FieldProblem::Missing)),
        };
        Ok(MgmtHost::new(HostLine {
            protocol,
            address,
            nameif,
        }))
    }

    fn cli_create(&self) -> Vec<String> {
        single_line::create(&self.line)
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        single_line::replace(&old.line, &new.line)
    }

    fn cli_delete(&self) -> Vec<String> {
        single_line::delete(&self.line)
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        absorb_line(collection, &format!("http {rest}"), |_| None);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.mgmt_hosts
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.mgmt_hosts
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        match cfg.access.hardware_of(&self.line.nameif) {
            Some(hw) => {
                self.hardware = Some(hw.to_owned());
                Ok(())
            }
            None => Err(bad(
                "interface.name",
                format!("no interface is named '{}'", self.line.nameif),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LINK: &str = "https://a/api/mgmtaccess/hosts/x";

    #[test]
    fn reads_hosts_and_not_settings() {
        assert!(parse_host("ssh timeout 5").is_none());
        assert!(parse_host("http server enable").is_none());
        assert!(parse_host("ssh key-exchange group dh-group14-sha256").is_none());
        let h = parse_host("ssh 10.42.0.0 255.255.0.0 management").unwrap();
        assert_eq!(h.protocol, Protocol::Ssh);
        assert_eq!(h.to_string(), "ssh 10.42.0.0 255.255.0.0 management");
        let h = parse_host("telnet 2001:db8::/32 inside").unwrap();
        assert_eq!(h.to_string(), "telnet 2001:db8::/32 inside");
    }

    #[test]
    fn json_has_type_kind_address_and_interface() {
        let mut h = MgmtHost::new(parse_host("http 0.0.0.0 0.0.0.0 management").unwrap());
        h.hardware = Some("Management0/0".into());
        let j = h.to_json(LINK);
        assert_eq!(j["kind"], "object#HTTPAccess");
        assert_eq!(j["type"], "http");
        assert_eq!(
            j["ipAddress"],
            json!({"kind": "IPv4Network", "value": "0.0.0.0/0"})
        );
        assert_eq!(j["interface"]["objectId"], "Management0_API_SLASH_0");
        assert_eq!(j["objectId"].as_str().map(str::len), Some(8));
    }

    #[test]
    fn refuses_bad_bodies() {
        let ok = json!({"type": "ssh", "ipAddress": {"kind": "IPv4Address", "value": "10.0.0.1"},
                        "interface": {"name": "inside"}});
        assert_eq!(
            MgmtHost::from_json(&ok, WriteMode::Create)
                .unwrap()
                .cli_create(),
            ["ssh 10.0.0.1 255.255.255.255 inside"]
        );
        let with = |k: &str, v: Value| {
            let mut b = ok.clone();
            b[k] = v;
            MgmtHost::from_json(&b, WriteMode::Create).map_err(|e| e.attribute)
        };
        assert_eq!(with("type", json!("ftp")), Err("type".into()));
        assert_eq!(
            with(
                "ipAddress",
                json!({"kind": "IPv4Network", "value": "10.0.0.1/8"})
            ),
            Err("ipAddress.value".into())
        );
        assert_eq!(
            with("interface", json!({"name": "a b"})),
            Err("interface.name".into())
        );
        let by_kind = json!({"kind": "object#TelnetAccess",
            "ipAddress": {"kind": "IPv4Network", "value": "10.0.0.0/8"}, "interface": {"name": "inside"}});
        assert_eq!(
            MgmtHost::from_json(&by_kind, WriteMode::Create)
                .unwrap()
                .cli_create(),
            ["telnet 10.0.0.0 255.0.0.0 inside"]
        );
    }

    fn valid_host() -> impl Strategy<Value = HostLine> {
        let v4 = (any::<u32>(), 0u8..=32).prop_map(|(a, p)| Destination::V4 {
            network: Ipv4Addr::from(a & u32::from(prefix_mask(p))),
            prefix: p,
        });
        (
            prop_oneof![
                Just(Protocol::Http),
                Just(Protocol::Ssh),
                Just(Protocol::Telnet)
            ],
            v4,
            "[a-z][a-z0-9_-]{0,10}",
        )
            .prop_map(|(protocol, address, nameif)| HostLine {
                protocol,
                address,
                nameif,
            })
    }

    proptest! {
        #[test]
        fn json_cli_config_json_round_trip(l in valid_host()) {
            prop_assert_eq!(parse_host(&l.to_string()), Some(l.clone()));
            let h = MgmtHost::new(l);
            let back = MgmtHost::from_json(&h.to_json(LINK), WriteMode::Create);
            prop_assert_eq!(back.as_ref(), Ok(&h));
            let cfg = RunningConfig::parse(&format!("{}\n", h.line));
            prop_assert_eq!(cfg.mgmt_hosts.get(&h.id), Some(&h));
        }

        #[test]
        fn arbitrary_lines_never_panic(s in "(http|ssh|telnet)( [a-z0-9./:]{0,12}){0,5}") {
            let _ = parse_host(&s);
        }
    }
}
