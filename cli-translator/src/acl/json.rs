//! `object#ExtendedACE` JSON: an [`Ace`] with its remarks, position and identity, both ways.
//!
//! ```text
//! {"kind":"object#ExtendedACE","selfLink":..,"objectId":"3735928559","position":1,"isAccessRule":true,
//!  "permit":true,"active":true,"remarks":["web"],
//!  "sourceAddress":{"kind":"AnyIPAddress","value":"any"},
//!  "destinationAddress":{"kind":"objectRef#NetworkObj","objectId":"web","refLink":..},
//!  "sourceService":{"kind":"NetworkProtocol","value":"tcp"},
//!  "destinationService":{"kind":"TcpUdpService","value":"tcp/https"},
//!  "ruleLogging":{"logStatus":"Default","logInterval":300},
//!  "timeRange":{"kind":"objectRef#TimeRange","objectId":"work","refLink":..}}
//! ```
//! Services: the protocol travels in both service attributes; a source port makes
//! `sourceService` a `TcpUdpService` (`tcp/1024-65535`, `tcp/<1024`, `tcp/>1023`, `tcp/!=80`),
//! a destination port or ICMP type makes `destinationService` a `TcpUdpService` or
//! `ICMPService`/`ICMP6Service` (`icmp/echo`, `icmp/3/4`). A service object or group in the
//! protocol slot is a ref in `destinationService` with `sourceService` `ip`; a port group after
//! a `tcp`/`udp` destination is a `objectRef#NetworkServiceGroup` with `sourceService` `tcp`/`udp`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value, json};

use super::ace::{
    self, Ace, DEFAULT_LOG_INTERVAL, DestService, Endpoint, LogSpec, PortMatch, Protocol,
};
use crate::ast::Severity;
use crate::resources::field::kind_and_value;
use crate::resources::{FieldError, FieldProblem, json_bool, json_str, json_u32};
use crate::schema::{
    ADDRESS_OR_REF, Field, KIND as KIND_FIELD, OBJECT_ID, OBJECT_REF, Object, SELF_LINK,
    SERVICE_OR_REF, STRINGS, Type, UINT,
};
use crate::validate::check_object_name;

pub const KIND: &str = "object#ExtendedACE";
pub const COLLECTION_KIND: &str = "collection#ExtendedACE";

/// `ruleLogging` of an entry.
pub static RULE_LOGGING_SCHEMA: Object = Object {
    name: "RuleLogging",
    description: "Whether and how an entry logs its hits.",
    fields: &[
        Field::new(
            "logStatus",
            Type::Enum(&[
                "Default",
                "Debugging",
                "Disabled",
                "Notifications",
                "Critical",
                "Emergencies",
                "Warnings",
                "Errors",
                "Informational",
                "Alerts",
            ]),
            "`Default`, `Disabled` or a syslog level name.",
        ),
        Field::new(
            "logInterval",
            Type::Int {
                min: Some(1),
                max: Some(600),
            },
            "Seconds between log messages (1-600, 300 by default).",
        ),
    ],
    kinds: &[],
    ours: false,
};

/// `object#ExtendedACE`: an access rule or an entry of a named extended ACL.
pub static SCHEMA: Object = Object {
    name: "ExtendedACE",
    description: "An extended access-list entry; the objectId is the rule's 32-bit hash in decimal.",
    fields: &[
        KIND_FIELD,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "sourceAddress",
            ADDRESS_OR_REF,
            "Source: an address primitive or a network object or group ref.",
        )
        .required(),
        Field::new(
            "destinationAddress",
            ADDRESS_OR_REF,
            "Destination: an address primitive or a network object or group ref.",
        )
        .required(),
        Field::new(
            "sourceService",
            SERVICE_OR_REF,
            "Source service (`ip` when left out).",
        ),
        Field::new(
            "destinationService",
            SERVICE_OR_REF,
            "Destination service (`ip` when left out).",
        ),
        Field::new(
            "permit",
            Type::Bool,
            "Permit (true) or deny; deny when left out.",
        ),
        Field::new("active", Type::Bool, "False when the entry is `inactive`."),
        Field::new("remarks", STRINGS, "Remarks printed before the entry."),
        Field::new(
            "ruleLogging",
            Type::Object(&RULE_LOGGING_SCHEMA),
            "Logging of the entry's hits.",
        ),
        Field::new(
            "position",
            UINT,
            "1-based position in the list; 0 or left out appends.",
        ),
        Field::new(
            "isAccessRule",
            Type::Bool,
            "Whether the entry belongs to an interface or global access rule list.",
        )
        .read_only(),
        Field::new(
            "timeRange",
            Type::Object(&OBJECT_REF),
            "The time range the entry is active in (`objectRef#TimeRange`).",
        ),
    ],
    kinds: &[KIND],
    ours: false,
};

/// Collection paths refs point into.
pub const NETWORK_OBJECTS: &str = "/api/objects/networkobjects";
pub const NETWORK_GROUPS: &str = "/api/objects/networkobjectgroups";
pub const SERVICE_OBJECTS: &str = "/api/objects/networkservices";
pub const SERVICE_GROUPS: &str = "/api/objects/networkservicegroups";
pub const TIME_RANGES: &str = "/api/objects/timeranges";

/// Builds a full URL from a collection path and an objectId.
pub type LinkFn<'a> = &'a dyn Fn(&str, &str) -> String;

/// What a request body says about one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AceInput {
    pub ace: Ace,
    pub remarks: Vec<String>,
    /// 1-based; `None` appends (also when the body says 0).
    pub position: Option<u32>,
}

/// The JSON of one entry.
pub fn to_json(
    ace: &Ace,
    remarks: &[impl AsRef<str>],
    id: u32,
    position: usize,
    is_access_rule: bool,
    self_link: &str,
    link: LinkFn<'_>,
) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), Value::from(KIND));
    m.insert("selfLink".into(), Value::from(self_link));
    m.insert("permit".into(), Value::from(ace.permit));
    m.insert("sourceAddress".into(), endpoint_json(&ace.source, link));
    m.insert(
        "destinationAddress".into(),
        endpoint_json(&ace.destination, link),
    );
    let (source, destination) = services_json(ace, link);
    m.insert("sourceService".into(), source);
    m.insert("destinationService".into(), destination);
    m.insert("active".into(), Value::from(!ace.inactive));
    let remarks: Vec<&str> = remarks.iter().map(AsRef::as_ref).collect();
    m.insert("remarks".into(), Value::from(remarks));
    m.insert("ruleLogging".into(), logging_json(ace.log.as_ref()));
    m.insert("position".into(), Value::from(position));
    m.insert("isAccessRule".into(), Value::from(is_access_rule));
    if let Some(t) = &ace.time_range {
        m.insert(
            "timeRange".into(),
            reference("TimeRange", TIME_RANGES, t, link),
        );
    }
    m.insert("objectId".into(), Value::from(id.to_string()));
    Value::Object(m)
}

fn reference(kind: &str, path: &str, id: &str, link: LinkFn<'_>) -> Value {
    json!({"kind": format!("objectRef#{kind}"), "refLink": link(path, id), "objectId": id})
}

fn endpoint_json(e: &Endpoint, link: LinkFn<'_>) -> Value {
    let prim = |kind: &str, value: String| json!({"kind": kind, "value": value});
    match e {
        Endpoint::Any => prim("AnyIPAddress", "any".into()),
        Endpoint::Any4 => prim("AnyIPAddress", "any4".into()),
        Endpoint::Any6 => prim("AnyIPv6Address", "any6".into()),
        Endpoint::Host(IpAddr::V4(ip)) => prim("IPv4Address", ip.to_string()),
        Endpoint::Host(IpAddr::V6(ip)) => prim("IPv6Address", ip.to_string()),
        Endpoint::Net4 { network, mask } if u32::from(*mask) == u32::MAX => {
            prim("IPv4Address", network.to_string())
        }
        Endpoint::Net4 { network, mask } => match crate::parse::mask_prefix(*mask) {
            Some(len) => prim("IPv4Network", format!("{network}/{len}")),
            // A wildcard-style mask read from a configuration is shown as written.
            None => prim("IPv4Network", format!("{network}/{mask}")),
        },
        Endpoint::Net6 { network, prefix } => prim("IPv6Network", format!("{network}/{prefix}")),
        Endpoint::Object(n) => reference("NetworkObj", NETWORK_OBJECTS, n, link),
        Endpoint::Group(n) => reference("NetworkObjGroup", NETWORK_GROUPS, n, link),
        Endpoint::Interface(n) => json!({"kind": "objectRef#Interface", "name": n}),
    }
}

fn port_expr(p: &PortMatch) -> String {
    match p {
        PortMatch::Eq(p) => p.to_string(),
        PortMatch::Neq(p) => format!("!={p}"),
        PortMatch::Lt(p) => format!("<{p}"),
        PortMatch::Gt(p) => format!(">{p}"),
        PortMatch::Range(a, b) => format!("{a}-{b}"),
        PortMatch::Group(n) => n.to_string(),
    }
}

fn services_json(ace: &Ace, link: LinkFn<'_>) -> (Value, Value) {
    let proto = match &ace.protocol {
        Protocol::Named(p) => p.as_str(),
        Protocol::Object(_) | Protocol::Group(_) => "ip",
    };
    let prim = |kind: &str, value: String| json!({"kind": kind, "value": value});
    // Ports after a protocol group (configurations only) have no JSON form: the group shows.
    let source = match (&ace.protocol, &ace.source_port) {
        (Protocol::Named(_), Some(p)) => prim("TcpUdpService", format!("{proto}/{}", port_expr(p))),
        _ => prim("NetworkProtocol", proto.to_owned()),
    };
    let destination = match (&ace.protocol, &ace.destination_service) {
        (Protocol::Object(n), _) => reference("NetworkServiceObj", SERVICE_OBJECTS, n, link),
        (Protocol::Group(n), _) | (_, Some(DestService::Port(PortMatch::Group(n)))) => {
            reference("NetworkServiceGroup", SERVICE_GROUPS, n, link)
        }
        (_, Some(DestService::Port(p))) => {
            prim("TcpUdpService", format!("{proto}/{}", port_expr(p)))
        }
        (_, Some(DestService::Icmp { kind, code })) => {
            let k = if proto == "icmp6" {
                "ICMP6Service"
            } else {
                "ICMPService"
            };
            let value = match code {
                Some(c) => format!("{proto}/{kind}/{c}"),
                None => format!("{proto}/{kind}"),
            };
            prim(k, value)
        }
        (_, None) => prim("NetworkProtocol", proto.to_owned()),
    };
    (source, destination)
}

/// `Informational`, `Debugging` ...
fn level_status(l: Severity) -> String {
    let name = l.name();
    let mut out = name[..1].to_ascii_uppercase();
    out.push_str(&name[1..]);
    out
}

fn logging_json(log: Option<&LogSpec>) -> Value {
    let (status, interval) = match log {
        None | Some(LogSpec::Default) => ("Default".to_owned(), DEFAULT_LOG_INTERVAL),
        Some(LogSpec::Disable) => ("Disabled".to_owned(), DEFAULT_LOG_INTERVAL),
        Some(LogSpec::On { level, interval }) => (
            level_status(level.unwrap_or(Severity::Informational)),
            interval.unwrap_or(DEFAULT_LOG_INTERVAL),
        ),
    };
    json!({"logStatus": status, "logInterval": interval})
}

// ===== reading =====

/// Whether `map` carries the service attributes exactly as `old` renders them (references
/// compared by kind and objectId: links depend on the request's host).
fn services_unchanged(old: &Ace, map: &serde_json::Map<String, Value>) -> bool {
    let link = |_: &str, id: &str| id.to_owned();
    let (source, destination) = services_json(old, &link);
    let same = |given: Option<&Value>, shown: &Value| {
        let Some(given) = given else { return false };
        let field = |v: &Value, k: &str| v.get(k).cloned();
        field(given, "kind") == field(shown, "kind")
            && field(given, "value") == field(shown, "value")
            && field(given, "objectId") == field(shown, "objectId")
    };
    same(map.get("sourceService"), &source) && same(map.get("destinationService"), &destination)
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

/// Reads a body. With `existing` (PATCH), absent attributes keep the entry's values.
pub fn from_json(
    body: &Value,
    existing: Option<(&Ace, &[String])>,
) -> Result<AceInput, FieldError> {
    from_json_replacing(body, existing, existing.map(|(ace, _)| ace))
}

/// [`from_json`] for a PUT or PATCH of `previous`: when the body's two service attributes
/// are what `previous` shows, its protocol and ports are kept as they are. Ports after a
/// protocol group (`permit object-group prt any any eq 22`, from configurations) have no JSON
/// form, and must not be lost by a client that writes back what it read.
pub fn from_json_replacing(
    body: &Value,
    existing: Option<(&Ace, &[String])>,
    previous: Option<&Ace>,
) -> Result<AceInput, FieldError> {
    let map = body
        .as_object()
        .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
    let merged;
    let map = match existing {
        Some((ace, remarks)) => {
            let link = |_: &str, id: &str| id.to_owned();
            let base = to_json(ace, remarks, 0, 0, false, "", &link);
            let mut m = base.as_object().cloned().unwrap_or_default();
            for (k, v) in map {
                m.insert(k.clone(), v.clone());
            }
            merged = m;
            &merged
        }
        None => map,
    };
    let present = |k: &str| map.get(k).filter(|v| !v.is_null());
    let source = endpoint_from(
        present("sourceAddress")
            .ok_or_else(|| FieldError::new("sourceAddress", FieldProblem::Missing))?,
        "sourceAddress",
    )?;
    let destination = endpoint_from(
        present("destinationAddress")
            .ok_or_else(|| FieldError::new("destinationAddress", FieldProblem::Missing))?,
        "destinationAddress",
    )?;
    let ss = match present("sourceService") {
        Some(v) => service_from(v, "sourceService")?,
        None => Svc::Proto("ip".into()),
    };
    let ds = match present("destinationService") {
        Some(v) => service_from(v, "destinationService")?,
        None => Svc::Proto("ip".into()),
    };
    let (protocol, source_port, destination_service) = match previous {
        Some(old) if services_unchanged(old, map) => (
            old.protocol.clone(),
            old.source_port.as_deref().cloned(),
            old.destination_service.clone(),
        ),
        _ => combine(ss, ds)?,
    };
    let permit = match present("permit") {
        Some(v) => json_bool(v, "permit")?,
        None => false,
    };
    let inactive = match present("active") {
        Some(v) => !json_bool(v, "active")?,
        None => false,
    };
    let remarks = match present("remarks") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|r| {
                let text = json_str(r, "remarks")?;
                if ace::is_remark(text) && text.trim() == text {
                    Ok(text.to_owned())
                } else {
                    Err(bad(
                        "remarks",
                        format!(
                            "a remark is 1 to {} printable characters without leading or trailing blanks",
                            ace::MAX_REMARK
                        ),
                    ))
                }
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => {
            return Err(FieldError::new(
                "remarks",
                FieldProblem::WrongType {
                    expected: "an array of strings",
                },
            ));
        }
    };
    let log = match present("ruleLogging") {
        Some(v) => logging_from(v)?,
        None => None,
    };
    let time_range = match present("timeRange") {
        Some(v) => Some(ref_name(v, "timeRange", &["objectRef#TimeRange"])?),
        None => None,
    };
    let position = match present("position") {
        Some(v) => Some(json_u32(v, "position")?).filter(|p| *p > 0),
        None => None,
    };
    Ok(AceInput {
        ace: Ace {
            permit,
            protocol,
            source,
            source_port: source_port.map(Box::new),
            destination,
            destination_service,
            log,
            time_range: time_range.map(Into::into),
            inactive,
        },
        remarks,
        position,
    })
}

/// The object name a ref carries (`objectId`, else `name`), validated.
fn ref_name(v: &Value, attr: &str, kinds: &[&str]) -> Result<String, FieldError> {
    let map = v.as_object().ok_or_else(|| {
        FieldError::new(
            attr,
            FieldProblem::WrongType {
                expected: "an object reference",
            },
        )
    })?;
    if let Some(k) = map.get("kind").and_then(Value::as_str)
        && !kinds.contains(&k)
    {
        return Err(FieldError::new(
            format!("{attr}.kind"),
            FieldProblem::UnknownKind(k.to_owned()),
        ));
    }
    let id = map
        .get("objectId")
        .or_else(|| map.get("name"))
        .filter(|v| !v.is_null())
        .ok_or_else(|| FieldError::new(format!("{attr}.objectId"), FieldProblem::Missing))?;
    let name = json_str(id, &format!("{attr}.objectId"))?;
    check_object_name(name)
        .map_err(|e| FieldError::new(format!("{attr}.objectId"), FieldProblem::Value(e)))?;
    Ok(name.to_owned())
}

fn endpoint_from(v: &Value, attr: &str) -> Result<Endpoint, FieldError> {
    let (kind, value) = kind_and_value(v, attr)?;
    let vattr = format!("{attr}.value");
    let need = || value.ok_or_else(|| FieldError::new(vattr.as_str(), FieldProblem::Missing));
    match kind {
        "AnyIPAddress" => match value.unwrap_or("any") {
            "any" => Ok(Endpoint::Any),
            "any4" => Ok(Endpoint::Any4),
            other => Err(bad(&vattr, format!("'{other}' is not any or any4"))),
        },
        "AnyIPv6Address" => match value.unwrap_or("any6") {
            "any6" => Ok(Endpoint::Any6),
            other => Err(bad(&vattr, format!("'{other}' is not any6"))),
        },
        "IPv4Address" => {
            let v = need()?;
            v.parse::<Ipv4Addr>()
                .map(|ip| Endpoint::Host(IpAddr::V4(ip)))
                .map_err(|_| bad(&vattr, format!("'{v}' is not an IPv4 address")))
        }
        "IPv6Address" => {
            let v = need()?;
            v.parse::<Ipv6Addr>()
                .map(|ip| Endpoint::Host(IpAddr::V6(ip)))
                .map_err(|_| bad(&vattr, format!("'{v}' is not an IPv6 address")))
        }
        "IPv4Network" => ipv4_network(need()?, &vattr),
        "IPv6Network" => ipv6_network(need()?, &vattr),
        "objectRef#NetworkObj" => Ok(Endpoint::Object(ref_name(v, attr, &[kind])?.into())),
        "objectRef#NetworkObjGroup" => Ok(Endpoint::Group(ref_name(v, attr, &[kind])?.into())),
        "objectRef#Interface" => {
            let name = v
                .get("name")
                .and_then(Value::as_str)
                .filter(|n| crate::parse::is_nameif(n))
                .ok_or_else(|| bad(&format!("{attr}.name"), "an interface name (nameif)"))?;
            Ok(Endpoint::Interface(name.to_owned().into()))
        }
        other => Err(FieldError::new(
            format!("{attr}.kind"),
            FieldProblem::UnknownKind(other.to_owned()),
        )),
    }
}

fn ipv4_network(value: &str, attr: &str) -> Result<Endpoint, FieldError> {
    let (ip, len) = value.split_once('/').ok_or_else(|| {
        bad(
            attr,
            format!("'{value}' is not an IPv4 network (a.b.c.d/len)"),
        )
    })?;
    let network: Ipv4Addr = ip
        .parse()
        .map_err(|_| bad(attr, format!("'{ip}' is not an IPv4 address")))?;
    let prefix = match len.parse::<u8>() {
        Ok(p) if p <= 32 => p,
        Ok(_) => return Err(bad(attr, format!("prefix length '{len}' is over 32"))),
        Err(_) => len
            .parse::<Ipv4Addr>()
            .ok()
            .and_then(crate::parse::mask_prefix)
            .ok_or_else(|| bad(attr, format!("'{len}' is not a prefix length or mask")))?,
    };
    if prefix == 32 {
        return Err(bad(
            attr,
            "a /32 network is a host: use the IPv4Address kind",
        ));
    }
    let mask = crate::parse::prefix_mask(prefix);
    if u32::from(network) & !u32::from(mask) != 0 {
        return Err(bad(attr, format!("'{value}' has host bits set")));
    }
    Ok(Endpoint::Net4 { network, mask })
}

fn ipv6_network(value: &str, attr: &str) -> Result<Endpoint, FieldError> {
    let (ip, len) = value
        .split_once('/')
        .ok_or_else(|| bad(attr, format!("'{value}' is not an IPv6 network (addr/len)")))?;
    let network: Ipv6Addr = ip
        .parse()
        .map_err(|_| bad(attr, format!("'{ip}' is not an IPv6 address")))?;
    let prefix = len
        .parse::<u8>()
        .ok()
        .filter(|p| *p <= 128)
        .ok_or_else(|| bad(attr, format!("'{len}' is not a prefix length (0-128)")))?;
    let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
    if u128::from(network) & !mask != 0 {
        return Err(bad(attr, format!("'{value}' has host bits set")));
    }
    Ok(Endpoint::Net6 { network, prefix })
}

/// A service attribute, before the two are combined.
#[derive(Debug)]
enum Svc {
    Proto(String),
    Ports(String, PortMatch),
    Icmp(String, String, Option<u8>),
    Object(String),
    Group(String),
}

fn service_from(v: &Value, attr: &str) -> Result<Svc, FieldError> {
    let (kind, value) = kind_and_value(v, attr)?;
    let vattr = format!("{attr}.value");
    let value_of = || value.ok_or_else(|| FieldError::new(vattr.as_str(), FieldProblem::Missing));
    match kind {
        "NetworkProtocol" => {
            let p = value_of()?;
            if ace::is_protocol(p) {
                Ok(Svc::Proto(p.to_owned()))
            } else {
                Err(bad(&vattr, format!("'{p}' is not an IP protocol")))
            }
        }
        "TcpUdpService" => {
            let v = value_of()?;
            let (proto, expr) = v.split_once('/').unwrap_or((v, ""));
            if !matches!(proto, "tcp" | "udp" | "sctp") {
                return Err(bad(
                    &vattr,
                    format!("'{proto}' is not tcp, udp or sctp (tcp-udp needs a service object)"),
                ));
            }
            if expr.is_empty() {
                return Ok(Svc::Proto(proto.to_owned()));
            }
            let port = |p: &str| -> Result<String, FieldError> {
                if ace::is_port(p) {
                    Ok(p.to_owned())
                } else {
                    Err(bad(&vattr, format!("'{p}' is not a port number or name")))
                }
            };
            let m = if let Some(p) = expr.strip_prefix("!=") {
                PortMatch::Neq(port(p)?.into())
            } else if let Some(p) = expr.strip_prefix('<') {
                PortMatch::Lt(port(p)?.into())
            } else if let Some(p) = expr.strip_prefix('>') {
                PortMatch::Gt(port(p)?.into())
            } else if let Some((a, b)) = expr
                .match_indices('-')
                .map(|(at, _)| (&expr[..at], &expr[at + 1..]))
                .find(|(a, b)| ace::is_port(a) && ace::is_port(b))
            {
                PortMatch::Range(port(a)?.into(), port(b)?.into())
            } else {
                PortMatch::Eq(port(expr)?.into())
            };
            Ok(Svc::Ports(proto.to_owned(), m))
        }
        "ICMPService" | "ICMP6Service" => {
            let v = value_of()?;
            let want = if kind == "ICMPService" {
                "icmp"
            } else {
                "icmp6"
            };
            let mut parts = v.split('/');
            let proto = parts.next().unwrap_or_default();
            if proto != want {
                return Err(bad(&vattr, format!("'{v}' does not start with {want}")));
            }
            let Some(t) = parts.next() else {
                return Ok(Svc::Proto(want.to_owned()));
            };
            if !ace::is_icmp_type(t) {
                return Err(bad(&vattr, format!("'{t}' is not an ICMP type")));
            }
            let code = match parts.next() {
                None => None,
                Some(c) => Some(
                    c.parse::<u8>()
                        .map_err(|_| bad(&vattr, format!("'{c}' is not an ICMP code")))?,
                ),
            };
            if parts.next().is_some() {
                return Err(bad(&vattr, format!("'{v}' is not {want}/type[/code]")));
            }
            Ok(Svc::Icmp(want.to_owned(), t.to_owned(), code))
        }
        "objectRef#NetworkServiceObj" => Ok(Svc::Object(ref_name(v, attr, &[kind])?)),
        "objectRef#NetworkServiceGroup" | "objectRef#NetworkProtocolGroup" => {
            Ok(Svc::Group(ref_name(v, attr, &[kind])?))
        }
        other => Err(FieldError::new(
            format!("{attr}.kind"),
            FieldProblem::UnknownKind(other.to_owned()),
        )),
    }
}

type Services = (Protocol, Option<PortMatch>, Option<DestService>);

/// Puts the two service attributes together into the protocol slot and the port slots.
fn combine(ss: Svc, ds: Svc) -> Result<Services, FieldError> {
    let mismatch = |a: &str, b: &str| {
        bad(
            "destinationService",
            format!("protocol '{b}' does not match the source service protocol '{a}'"),
        )
    };
    let compatible = |s: &str, d: &str| s == d || s == "ip" || d == "ip";
    let pick = |s: &str, d: &str| {
        if s == "ip" {
            d.to_owned()
        } else {
            s.to_owned()
        }
    };
    let no_source_ports = |ss: &Svc| match ss {
        Svc::Proto(p) if p == "ip" => Ok(()),
        _ => Err(bad(
            "sourceService",
            "must be ip when destinationService is a service object or group",
        )),
    };
    Ok(match (ss, ds) {
        (ss @ (Svc::Icmp(..) | Svc::Object(_) | Svc::Group(_)), _) => {
            let _ = ss;
            return Err(bad(
                "sourceService",
                "must be a NetworkProtocol or a TcpUdpService",
            ));
        }
        (ss, Svc::Object(n)) => {
            no_source_ports(&ss)?;
            (Protocol::Object(n.into()), None, None)
        }
        (Svc::Proto(p), Svc::Group(n)) if p == "ip" => (Protocol::Group(n.into()), None, None),
        (Svc::Proto(p), Svc::Group(n)) if matches!(p.as_str(), "tcp" | "udp" | "sctp") => (
            Protocol::Named(p.into()),
            None,
            Some(DestService::Port(PortMatch::Group(n.into()))),
        ),
        (Svc::Ports(p, sm), Svc::Group(n)) => (
            Protocol::Named(p.into()),
            Some(sm),
            Some(DestService::Port(PortMatch::Group(n.into()))),
        ),
        (Svc::Proto(_), Svc::Group(_)) => {
            return Err(bad(
                "sourceService",
                "must be ip, tcp, udp or sctp with a service group",
            ));
        }
        (Svc::Proto(s), Svc::Proto(d)) => {
            if !compatible(&s, &d) {
                return Err(mismatch(&s, &d));
            }
            (Protocol::Named(pick(&s, &d).into()), None, None)
        }
        (Svc::Ports(s, sm), Svc::Proto(d)) => {
            if !compatible(&s, &d) {
                return Err(mismatch(&s, &d));
            }
            (Protocol::Named(s.into()), Some(sm), None)
        }
        (Svc::Proto(s), Svc::Ports(d, dm)) => {
            if !compatible(&s, &d) {
                return Err(mismatch(&s, &d));
            }
            (Protocol::Named(d.into()), None, Some(DestService::Port(dm)))
        }
        (Svc::Ports(s, sm), Svc::Ports(d, dm)) => {
            if s != d {
                return Err(mismatch(&s, &d));
            }
            (
                Protocol::Named(d.into()),
                Some(sm),
                Some(DestService::Port(dm)),
            )
        }
        (Svc::Proto(s), Svc::Icmp(d, kind, code)) => {
            if !compatible(&s, &d) {
                return Err(mismatch(&s, &d));
            }
            (
                Protocol::Named(d.into()),
                None,
                Some(DestService::Icmp {
                    kind: kind.into(),
                    code,
                }),
            )
        }
        (Svc::Ports(s, _), Svc::Icmp(d, ..)) => return Err(mismatch(&s, &d)),
    })
}

fn logging_from(v: &Value) -> Result<Option<LogSpec>, FieldError> {
    let map = v.as_object().ok_or_else(|| {
        FieldError::new(
            "ruleLogging",
            FieldProblem::WrongType {
                expected: "an object with logStatus and logInterval",
            },
        )
    })?;
    let status = match map.get("logStatus") {
        None | Some(Value::Null) => "Default",
        Some(s) => json_str(s, "ruleLogging.logStatus")?,
    };
    let interval = match map.get("logInterval") {
        None | Some(Value::Null) => DEFAULT_LOG_INTERVAL,
        Some(i) => json_u32(i, "ruleLogging.logInterval")?,
    };
    if !(1..=600).contains(&interval) {
        return Err(bad("ruleLogging.logInterval", "must be 1 to 600 seconds"));
    }
    let interval = (interval != DEFAULT_LOG_INTERVAL).then_some(interval);
    match status {
        "Default" => Ok(None),
        "Disabled" => Ok(Some(LogSpec::Disable)),
        s => {
            let level = s.to_ascii_lowercase().parse::<Severity>().map_err(|_| {
                bad(
                    "ruleLogging.logStatus",
                    format!("'{s}' is not Default, Disabled or a syslog level name"),
                )
            })?;
            if s.chars().all(|c| c.is_ascii_digit()) {
                return Err(bad("ruleLogging.logStatus", "a level name, not a number"));
            }
            let level = (level != Severity::Informational).then_some(level);
            Ok(Some(LogSpec::On { level, interval }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acl::ace::{AclBody, parse_ace, parse_acl_line};
    use proptest::prelude::*;

    fn link(path: &str, id: &str) -> String {
        format!("https://asa{path}/{id}")
    }

    fn read(body: Value) -> Result<AceInput, FieldError> {
        from_json(&body, None)
    }

    #[test]
    fn reads_a_typical_rule() {
        let input = read(json!({
            "sourceAddress": {"kind": "AnyIPAddress", "value": "any"},
            "destinationAddress": {"kind": "objectRef#NetworkObj", "objectId": "web"},
            "sourceService": {"kind": "NetworkProtocol", "value": "tcp"},
            "destinationService": {"kind": "TcpUdpService", "value": "tcp/443"},
            "permit": "true", "active": false, "position": "2",
            "remarks": ["allow web"],
            "ruleLogging": {"logStatus": "Warnings", "logInterval": 60}
        }))
        .unwrap();
        assert_eq!(
            input.ace.to_string(),
            "extended permit tcp any object web eq 443 log warnings interval 60 inactive"
        );
        assert_eq!(input.position, Some(2));
        assert_eq!(input.remarks, ["allow web"]);
    }

    #[test]
    fn missing_permit_is_deny_and_missing_services_are_ip() {
        let input = read(json!({
            "sourceAddress": {"kind": "IPv4Network", "value": "10.0.0.0/8"},
            "destinationAddress": {"kind": "AnyIPv6Address", "value": "any6"},
        }))
        .unwrap();
        assert_eq!(
            input.ace.to_string(),
            "extended deny ip 10.0.0.0 255.0.0.0 any6"
        );
        assert_eq!(input.position, None);
    }

    #[test]
    fn errors_name_the_attribute() {
        let e = read(json!({"destinationAddress": {"kind": "AnyIPAddress"}})).unwrap_err();
        assert_eq!(e.attribute, "sourceAddress");
        let e = read(json!({
            "sourceAddress": {"kind": "IPv4Network", "value": "10.0.0.1/8"},
            "destinationAddress": {"kind": "AnyIPAddress"}
        }))
        .unwrap_err();
        assert_eq!(e.attribute, "sourceAddress.value");
        let e = read(json!({
            "sourceAddress": {"kind": "AnyIPAddress"},
            "destinationAddress": {"kind": "AnyIPAddress"},
            "sourceService": {"kind": "NetworkProtocol", "value": "udp"},
            "destinationService": {"kind": "TcpUdpService", "value": "tcp/80"}
        }))
        .unwrap_err();
        assert_eq!(e.attribute, "destinationService");
        let e = read(json!({
            "sourceAddress": {"kind": "AnyIPAddress"},
            "destinationAddress": {"kind": "AnyIPAddress"},
            "remarks": ["bad\nline"]
        }))
        .unwrap_err();
        assert_eq!(e.attribute, "remarks");
        let e = read(json!({
            "sourceAddress": {"kind": "objectRef#NetworkObj", "objectId": "a b"},
            "destinationAddress": {"kind": "AnyIPAddress"}
        }))
        .unwrap_err();
        assert_eq!(e.attribute, "sourceAddress.objectId");
    }

    #[test]
    fn writing_back_what_was_read_keeps_ports_after_a_protocol_group() {
        let ace = parse_ace("extended permit object-group prt any4 any4 eq 22").unwrap();
        let link = |_: &str, id: &str| format!("https://h/{id}");
        let shown = to_json(&ace, &[] as &[&str], 1, 7, true, "", &link);
        // PUT of the body as read, and PATCH of another attribute: the ports stay.
        let put = from_json_replacing(&shown, None, Some(&ace)).unwrap();
        assert_eq!(put.ace, ace);
        let patched = from_json(&json!({"active": false}), Some((&ace, &[]))).unwrap();
        assert_eq!(patched.ace.destination_service, ace.destination_service);
        assert!(patched.ace.inactive);
        // A body that changes a service is read as written.
        let mut changed = shown.clone();
        changed["destinationService"] = json!({"kind": "TcpUdpService", "value": "tcp/80"});
        let input = from_json_replacing(&changed, None, Some(&ace)).unwrap();
        assert_eq!(input.ace.to_string(), "extended permit tcp any4 any4 eq 80");
    }

    #[test]
    fn patch_keeps_what_the_body_does_not_say() {
        let ace = parse_ace("extended permit tcp any host 10.0.0.1 eq www log").unwrap();
        let remarks = vec!["r".to_owned()];
        let input = from_json(&json!({"active": false}), Some((&ace, &remarks))).unwrap();
        let mut expected = ace.clone();
        expected.inactive = true;
        assert_eq!(input.ace, expected);
        assert_eq!(input.remarks, remarks);
    }

    #[test]
    fn service_groups_and_icmp_map_both_ways() {
        for text in [
            "extended permit object-group svc any any",
            "extended permit object svc any any",
            "extended permit tcp any any object-group ports",
            "extended permit tcp any gt 1023 any object-group ports",
            "extended permit icmp any any echo",
            "extended permit icmp6 any6 any6 unreachable 4",
            "extended permit udp any lt 1024 any neq 53",
            "extended permit tcp any range ftp-data 0 any range 1 ftp-data",
            "extended deny ip any any log disable",
        ] {
            let ace = parse_ace(text).unwrap();
            let j = to_json(&ace, &[] as &[&str], 1, 1, false, "x", &link);
            assert_eq!(read(j).map(|i| i.ace), Ok(ace), "{text}");
        }
    }

    fn canonical(mut a: Ace) -> Ace {
        for e in [&mut a.source, &mut a.destination] {
            if let Endpoint::Net4 { network, mask } = e
                && u32::from(*mask) == u32::MAX
            {
                *e = Endpoint::Host(IpAddr::V4(*network));
            }
        }
        a.log = match a.log {
            Some(LogSpec::Default) => None,
            Some(LogSpec::On { level, interval }) => Some(LogSpec::On {
                level: level.filter(|l| *l != Severity::Informational),
                interval: interval.filter(|i| *i != DEFAULT_LOG_INTERVAL),
            }),
            other => other,
        };
        a
    }

    proptest! {
        #[test]
        fn json_to_cli_to_parse_to_json_is_identity(a in crate::acl::strategies::ace()) {
            let a = canonical(a);
            let j = to_json(&a, &["note".to_owned()], 7, 1, true, "x", &link);
            let input = read(j.clone());
            prop_assert_eq!(input.as_ref().map(|i| &i.ace), Ok(&a));
            let line = ace::ace_line("acl", &a);
            let parsed = parse_acl_line(&line).map(|l| l.body);
            prop_assert_eq!(parsed, Ok(AclBody::Extended(a.clone())));
            prop_assert_eq!(to_json(&a, &["note".to_owned()], 7, 1, true, "x", &link), j);
        }

        #[test]
        fn arbitrary_json_never_panics(kind in "[A-Za-z#0-9]{0,16}", value in "\\PC{0,30}") {
            let p = json!({"kind": kind, "value": value, "objectId": value});
            let body = json!({"sourceAddress": p, "destinationAddress": p, "sourceService": p,
                "destinationService": p, "ruleLogging": {"logStatus": value}, "remarks": [value], "timeRange": p});
            let _ = read(body);
        }
    }
}
