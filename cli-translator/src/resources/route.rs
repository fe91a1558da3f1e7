//! Static routes: `/api/routing/static`, kinds `object#IPv4Route` and `object#IPv6Route`.
//!
//! ASA syntax (configuration mode):
//! ```text
//! route <nameif> <network> <mask> [<gateway>] [<metric>] [track <n> | tunneled]
//! ipv6 route <nameif> <prefix>/<len> [<gateway>] [<metric>] [tunneled]
//! no route ... / no ipv6 route ...
//! ```
//! The gateway may only be left out on the `Null0` interface (a black-hole route). The metric
//! (administrative distance) is 1 to 255, 1 when the line gives none; the canonical line
//! always prints it.
//!
//! JSON: `{"kind":"object#IPv4Route","selfLink":..,"interface":{"kind":"objectRef#Interface",
//! "refLink":..,"objectId":"GigabitEthernet0_API_SLASH_0","name":"outside"},
//! "network":{"kind":"IPv4Network","value":"10.0.0.0/8"},"gateway":{"kind":"IPv4Address",
//! "value":"192.0.2.1"},"distanceMetric":1,"tracked":false,"tunneled":false,"objectId":"264df607"}`.
//! `trackId` carries the `track` number when `tracked` is true (our name: the wire format has
//! none). The `objectId` is 8 lowercase hex digits: the first 4 bytes of the SHA-256 of the
//! canonical line, so a PUT or PATCH that changes the route changes its id.

use super::single_line;
use compact_str::CompactString;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::field::kind_value;
use super::reference::origin_of;
use super::{
    Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_bool, json_str,
    json_u32,
};
use crate::parse::{is_nameif, mask_prefix, prefix_mask};
use crate::schema::{ADDRESS, Field, KIND, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, Type};
use crate::words::{WordError, Words};

/// The black-hole interface: always present, never has a nameif.
pub const NULL0: &str = "Null0";
/// Highest `track` object number.
pub const MAX_TRACK: u32 = 1000;

/// Where a route leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Destination {
    V4 { network: Ipv4Addr, prefix: u8 },
    V6 { network: Ipv6Addr, prefix: u8 },
}

impl Destination {
    pub fn is_v6(&self) -> bool {
        matches!(self, Destination::V6 { .. })
    }

    /// Whether it is the default route (`0.0.0.0 0.0.0.0` or `::/0`).
    pub fn is_default(&self) -> bool {
        match self {
            Destination::V4 { prefix, .. } | Destination::V6 { prefix, .. } => *prefix == 0,
        }
    }

    /// Whether the address has bits set below the prefix.
    pub fn has_host_bits(&self) -> bool {
        match self {
            Destination::V4 { network, prefix } => {
                u32::from(*network) & !u32::from(prefix_mask(*prefix)) != 0
            }
            Destination::V6 { network, prefix } => {
                let mask = u128::MAX.checked_shl(128 - u32::from(*prefix)).unwrap_or(0);
                u128::from(*network) & !mask != 0
            }
        }
    }
}

/// What follows the metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteOption {
    None,
    /// `track <n>`
    Track(u32),
    /// `tunneled` (default routes for VPN traffic)
    Tunneled,
}

/// One `route` or `ipv6 route` line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RouteLine {
    pub nameif: CompactString,
    pub destination: Destination,
    pub gateway: Option<IpAddr>,
    /// 1-255.
    pub metric: u8,
    pub option: RouteOption,
}

impl RouteLine {
    /// Whether the interface is the black hole (any capitalisation, as the ASA accepts).
    pub fn is_null0(&self) -> bool {
        self.nameif.eq_ignore_ascii_case(NULL0)
    }

    /// The 8-hex-digit id of the canonical line.
    pub fn id(&self) -> String {
        let digest = Sha256::digest(self.to_string().as_bytes());
        format!(
            "{:02x}{:02x}{:02x}{:02x}",
            digest[0], digest[1], digest[2], digest[3]
        )
    }

    /// The line identifying the route for `no`: everything but metric and options.
    pub fn same_route(&self, other: &RouteLine) -> bool {
        self.nameif == other.nameif
            && self.destination == other.destination
            && self.gateway == other.gateway
    }
}

impl fmt::Display for RouteLine {
    /// The canonical line, as the ASA prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.destination {
            Destination::V4 { network, prefix } => {
                write!(f, "route {} {network} {}", self.nameif, prefix_mask(prefix))?
            }
            Destination::V6 { network, prefix } => {
                write!(f, "ipv6 route {} {network}/{prefix}", self.nameif)?
            }
        }
        if let Some(gw) = self.gateway {
            write!(f, " {gw}")?;
        }
        write!(f, " {}", self.metric)?;
        match self.option {
            RouteOption::None => Ok(()),
            RouteOption::Track(n) => write!(f, " track {n}"),
            RouteOption::Tunneled => f.write_str(" tunneled"),
        }
    }
}

/// Parses `route ...` or `ipv6 route ...` (without `no`).
pub fn parse_route(line: &str) -> Result<RouteLine, WordError> {
    let mut c = Words::new(line);
    let v6 = if c.eat_exact("route") {
        false
    } else if c.eat_exact("ipv6") && c.eat_exact("route") {
        true
    } else {
        return Err(WordError::Foreign);
    };
    let nameif = c.word()?;
    if !is_nameif(nameif) {
        return Err(c.bad());
    }
    let destination = if v6 {
        let text = c.word()?;
        let (ip, len) = text.split_once('/').ok_or_else(|| c.bad())?;
        let network: Ipv6Addr = ip.parse().map_err(|_| c.bad())?;
        let prefix: u8 = len
            .parse()
            .ok()
            .filter(|p| *p <= 128)
            .ok_or_else(|| c.bad())?;
        Destination::V6 { network, prefix }
    } else {
        let network: Ipv4Addr = c.word()?.parse().map_err(|_| c.bad())?;
        let mask: Ipv4Addr = c.word()?.parse().map_err(|_| c.bad())?;
        let prefix = mask_prefix(mask).ok_or_else(|| c.bad())?;
        Destination::V4 { network, prefix }
    };
    let null0 = nameif.eq_ignore_ascii_case(NULL0);
    let gateway = match c.peek() {
        Some(w) => {
            let parsed = if v6 {
                w.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
            } else {
                w.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
            };
            match parsed {
                Some(ip) => {
                    c.skip();
                    Some(ip)
                }
                None if null0 => None,
                None => return Err(c.bad_next()),
            }
        }
        None if null0 => None,
        None => return Err(WordError::Incomplete),
    };
    let mut metric = 1u8;
    if let Some(w) = c.peek()
        && w.bytes().all(|b| b.is_ascii_digit())
    {
        c.skip();
        metric = w
            .parse::<u8>()
            .ok()
            .filter(|m| *m >= 1)
            .ok_or_else(|| c.bad())?;
    }
    let option = match c.peek() {
        None => RouteOption::None,
        Some("tunneled") => {
            c.skip();
            RouteOption::Tunneled
        }
        Some("track") if !v6 => {
            c.skip();
            let n = c
                .word()?
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_TRACK).contains(n))
                .ok_or_else(|| c.bad())?;
            RouteOption::Track(n)
        }
        Some(_) => return Err(c.bad_next()),
    };
    c.end()?;
    Ok(RouteLine {
        nameif: nameif.to_owned().into(),
        destination,
        gateway,
        metric,
        option,
    })
}

/// One static route of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticRoute {
    pub line: RouteLine,
    /// The 8-hex-digit id of [`Self::line`].
    pub id: CompactString,
    /// The hardware id of the route's interface, when the configuration names it (for the
    /// interface reference's `refLink`); not part of the route's identity.
    pub hardware: Option<CompactString>,
}

impl StaticRoute {
    pub fn new(line: RouteLine) -> StaticRoute {
        StaticRoute {
            id: line.id().into(),
            line,
            hardware: None,
        }
    }
}

/// Reads a configuration line into the collection (`text` is the whole top-level line).
/// Lines that do not parse are left out. `hardware_of` maps a nameif to its interface.
pub fn absorb_line<'a>(
    collection: &mut Collection<StaticRoute>,
    text: &str,
    hardware_of: impl Fn(&str) -> Option<&'a str>,
) {
    if let Ok(line) = parse_route(text) {
        let mut route = StaticRoute::new(line);
        route.hardware = hardware_of(&route.line.nameif).map(Into::into);
        collection.insert(route);
    }
}

/// The collection path of an interface's reference (`/api/interfaces/physical` or `vlan`).
fn interface_path(hardware: &str) -> &'static str {
    if hardware.contains('.') {
        "/api/interfaces/vlan"
    } else {
        "/api/interfaces/physical"
    }
}

/// The interface reference of a route.
pub fn interface_ref(nameif: &str, hardware: Option<&str>, origin: &str) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), Value::from("objectRef#Interface"));
    if let Some(hw) = hardware {
        let id = hw.replacen('/', "_API_SLASH_", 1);
        m.insert(
            "refLink".into(),
            Value::from(format!("{origin}{}/{id}", interface_path(hw))),
        );
        m.insert("objectId".into(), Value::from(id));
    }
    m.insert("name".into(), Value::from(nameif));
    Value::Object(m)
}

fn destination_json(d: &Destination) -> Value {
    match d {
        Destination::V4 { network, prefix } => {
            json!({"kind": "IPv4Network", "value": format!("{network}/{prefix}")})
        }
        Destination::V6 { network, prefix } => {
            json!({"kind": "IPv6Network", "value": format!("{network}/{prefix}")})
        }
    }
}

fn gateway_json(ip: &IpAddr) -> Value {
    match ip {
        IpAddr::V4(ip) => json!({"kind": "IPv4Address", "value": ip.to_string()}),
        IpAddr::V6(ip) => json!({"kind": "IPv6Address", "value": ip.to_string()}),
    }
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

/// The `network` attribute.
fn destination_from_json(v: &Value) -> Result<Destination, FieldError> {
    let (kind, value) = kind_value(v, "network")?;
    let vattr = "network.value";
    let d = match kind {
        "IPv4Network" => {
            let (ip, len) = value.split_once('/').ok_or_else(|| {
                bad(
                    vattr,
                    format!("'{value}' is not an IPv4 network (a.b.c.d/len)"),
                )
            })?;
            let network: Ipv4Addr = ip
                .parse()
                .map_err(|_| bad(vattr, format!("'{ip}' is not an IPv4 address")))?;
            let prefix = match len.parse::<u8>() {
                Ok(p) if p <= 32 => p,
                Ok(_) => return Err(bad(vattr, format!("prefix length '{len}' is over 32"))),
                Err(_) => len
                    .parse::<Ipv4Addr>()
                    .ok()
                    .and_then(mask_prefix)
                    .ok_or_else(|| bad(vattr, format!("'{len}' is not a prefix length or mask")))?,
            };
            Destination::V4 { network, prefix }
        }
        "IPv6Network" => {
            let (ip, len) = value.split_once('/').ok_or_else(|| {
                bad(
                    vattr,
                    format!("'{value}' is not an IPv6 network (addr/len)"),
                )
            })?;
            let network: Ipv6Addr = ip
                .parse()
                .map_err(|_| bad(vattr, format!("'{ip}' is not an IPv6 address")))?;
            let prefix = len
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= 128)
                .ok_or_else(|| bad(vattr, format!("'{len}' is not a prefix length (0-128)")))?;
            Destination::V6 { network, prefix }
        }
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
                "network.kind",
                FieldProblem::UnknownKind(other.to_owned()),
            ));
        }
    };
    if d.has_host_bits() {
        return Err(bad(
            vattr,
            format!("'{value}' has host bits set beyond the prefix length"),
        ));
    }
    Ok(d)
}

/// The `gateway` attribute.
fn gateway_from_json(v: &Value) -> Result<IpAddr, FieldError> {
    let (kind, value) = kind_value(v, "gateway")?;
    match kind {
        "IPv4Address" => value
            .parse::<Ipv4Addr>()
            .map(IpAddr::V4)
            .map_err(|_| bad("gateway.value", format!("'{value}' is not an IPv4 address"))),
        "IPv6Address" => value
            .parse::<Ipv6Addr>()
            .map(IpAddr::V6)
            .map_err(|_| bad("gateway.value", format!("'{value}' is not an IPv6 address"))),
        other => Err(FieldError::new(
            "gateway.kind",
            FieldProblem::UnknownKind(other.to_owned()),
        )),
    }
}

/// The nameif of the `interface` reference (its `name`).
fn nameif_from_json(v: &Value) -> Result<String, FieldError> {
    if !v.is_object() {
        return Err(FieldError::new(
            "interface",
            FieldProblem::WrongType {
                expected: "an interface reference",
            },
        ));
    }
    let name = match v.get("name") {
        None | Some(Value::Null) => {
            return Err(FieldError::new("interface.name", FieldProblem::Missing));
        }
        Some(n) => json_str(n, "interface.name")?,
    };
    if !is_nameif(name) {
        return Err(bad(
            "interface.name",
            format!("'{name}' is not an interface name (nameif)"),
        ));
    }
    Ok(name.to_owned())
}

/// An attribute that, when absent, keeps the base value (PATCH) or takes the default.
fn attr<'v>(map: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    map.get(name).filter(|v| !v.is_null())
}

/// `object#IPv4Route` / `object#IPv6Route`.
pub static SCHEMA: Object = Object {
    name: "StaticRoute",
    description: "A static route; the objectId is a hash of the route (8 hex digits) and changes with it.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "interface",
            Type::Object(&OBJECT_REF),
            "`objectRef#Interface`; only `name` (the nameif, or `Null0`) is read.",
        )
        .required(),
        Field::new(
            "network",
            Type::Object(&ADDRESS),
            "The destination: a network, a host or `any4`/`any6`.",
        )
        .required(),
        Field::new(
            "gateway",
            Type::Object(&ADDRESS),
            "The next hop; left out only on `Null0`.",
        ),
        Field::new(
            "distanceMetric",
            Type::Int {
                min: Some(1),
                max: Some(255),
            },
            "Administrative distance, 1 by default.",
        ),
        Field::new(
            "tracked",
            Type::Bool,
            "Whether the route follows a `track` object (IPv4 only).",
        ),
        Field::new(
            "trackId",
            Type::Int {
                min: Some(1),
                max: Some(MAX_TRACK as i64),
            },
            "The `track` object number when `tracked` (our name).",
        ),
        Field::new(
            "tunneled",
            Type::Bool,
            "A default route for tunneled traffic.",
        ),
    ],
    kinds: &["object#IPv4Route", "object#IPv6Route"],
    ours: false,
};

impl Resource for StaticRoute {
    const KIND: &'static str = "object#IPv4Route";
    const COLLECTION_KIND: &'static str = "collection#StaticRoute";
    const PATH: &'static str = "/api/routing/static";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "route ";

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        let l = &self.line;
        let mut m = Map::new();
        let kind = if l.destination.is_v6() {
            "object#IPv6Route"
        } else {
            "object#IPv4Route"
        };
        m.insert("kind".into(), Value::from(kind));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert(
            "interface".into(),
            interface_ref(&l.nameif, self.hardware.as_deref(), origin_of(self_link)),
        );
        m.insert("network".into(), destination_json(&l.destination));
        if let Some(gw) = &l.gateway {
            m.insert("gateway".into(), gateway_json(gw));
        }
        m.insert("distanceMetric".into(), Value::from(l.metric));
        m.insert(
            "tracked".into(),
            Value::from(matches!(l.option, RouteOption::Track(_))),
        );
        if let RouteOption::Track(n) = l.option {
            m.insert("trackId".into(), Value::from(n));
        }
        m.insert(
            "tunneled".into(),
            Value::from(l.option == RouteOption::Tunneled),
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
            WriteMode::Create | WriteMode::Replace { .. } => None,
        };
        let nameif = match (attr(map, "interface"), base) {
            (Some(v), _) => nameif_from_json(v)?,
            (None, Some(b)) => b.nameif.to_string(),
            (None, None) => return Err(FieldError::new("interface", FieldProblem::Missing)),
        };
        let destination = match (attr(map, "network"), base) {
            (Some(v), _) => destination_from_json(v)?,
            (None, Some(b)) => b.destination,
            (None, None) => return Err(FieldError::new("network", FieldProblem::Missing)),
        };
        let gateway = match (attr(map, "gateway"), base) {
            (Some(v), _) => Some(gateway_from_json(v)?),
            (None, Some(b)) if !map.contains_key("gateway") => b.gateway,
            _ => None,
        };
        let null0 = nameif.eq_ignore_ascii_case(NULL0);
        match gateway {
            None if !null0 => return Err(FieldError::new("gateway", FieldProblem::Missing)),
            Some(gw) if gw.is_ipv6() != destination.is_v6() => {
                return Err(bad(
                    "gateway",
                    "the gateway and the network must be of the same IP version",
                ));
            }
            _ => {}
        }
        let metric = match (attr(map, "distanceMetric"), base) {
            (Some(v), _) => {
                let m = json_u32(v, "distanceMetric")?;
                u8::try_from(m)
                    .ok()
                    .filter(|m| *m >= 1)
                    .ok_or_else(|| bad("distanceMetric", format!("{m} is not within 1-255")))?
            }
            (None, Some(b)) => b.metric,
            (None, None) => 1,
        };
        let base_track = base.and_then(|b| match b.option {
            RouteOption::Track(n) => Some(n),
            _ => None,
        });
        let tracked = match attr(map, "tracked") {
            Some(v) => json_bool(v, "tracked")?,
            None => attr(map, "trackId").is_some() || base_track.is_some(),
        };
        let tunneled = match (attr(map, "tunneled"), base) {
            (Some(v), _) => json_bool(v, "tunneled")?,
            (None, Some(b)) => b.option == RouteOption::Tunneled,
            (None, None) => false,
        };
        let option = match (tracked, tunneled) {
            (true, true) => {
                return Err(bad(
                    "tunneled",
                    "a route cannot be both tracked and tunneled",
                ));
            }
            (true, false) => {
                if destination.is_v6() {
                    return Err(bad("tracked", "IPv6 routes cannot be tracked"));
                }
                let n = match (attr(map, "trackId"), base_track) {
                    (Some(v), _) => json_u32(v, "trackId")?,
                    (None, Some(n)) => n,
                    (None, None) => {
                        return Err(FieldError::new("trackId", FieldProblem::Missing));
                    }
                };
                if !(1..=MAX_TRACK).contains(&n) {
                    return Err(bad("trackId", format!("{n} is not within 1-{MAX_TRACK}")));
                }
                RouteOption::Track(n)
            }
            (false, true) => {
                if !destination.is_default() {
                    return Err(bad("tunneled", "only a default route can be tunneled"));
                }
                RouteOption::Tunneled
            }
            (false, false) => RouteOption::None,
        };
        Ok(StaticRoute::new(RouteLine {
            nameif: nameif.into(),
            destination,
            gateway,
            metric,
            option,
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
        absorb_line(collection, &format!("route {rest}"), |_| None);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.static_routes
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.static_routes
    }

    /// The interface must carry the nameif (`Null0` always exists).
    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        if self.line.is_null0() {
            self.hardware = None;
            return Ok(());
        }
        match cfg.access.hardware_of(&self.line.nameif) {
            Some(hw) => {
                self.hardware = Some(hw.to_owned().into());
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

    const LINK: &str = "https://asa.example/api/routing/static/x";

    fn route(text: &str) -> RouteLine {
        parse_route(text).unwrap()
    }

    #[test]
    fn parses_every_corpus_form() {
        let r = route("route inside 0.0.0.0 0.0.0.0 10.1.1.2");
        assert_eq!(r.metric, 1);
        assert_eq!(r.to_string(), "route inside 0.0.0.0 0.0.0.0 10.1.1.2 1");
        let r = route("route ifname 1.0.0.0 255.0.0.0 3.0.0.2 3 track 7");
        assert_eq!((r.metric, r.option), (3, RouteOption::Track(7)));
        let r = route("route Null0 1.1.1.0 255.255.255.0");
        assert_eq!(r.gateway, None);
        assert_eq!(r.to_string(), "route Null0 1.1.1.0 255.255.255.0 1");
        let r = route("ipv6 route WAN 2001:db8:0000:4200::/56 2001:db8:0000:4203::801");
        assert_eq!(
            r.to_string(),
            "ipv6 route WAN 2001:db8:0:4200::/56 2001:db8:0:4203::801 1"
        );
        let r = route("route outside 0.0.0.0 0.0.0.0 192.0.2.1 255 tunneled");
        assert_eq!((r.metric, r.option), (255, RouteOption::Tunneled));
    }

    #[test]
    fn rejects_malformed_lines_naming_the_word() {
        assert_eq!(parse_route("hostname x"), Err(WordError::Foreign));
        assert_eq!(
            parse_route("route inside 10.0.0.0 255.0.0.0"),
            Err(WordError::Incomplete)
        );
        assert_eq!(
            parse_route("route inside 10.0.0.0 255.0.255.0 1.1.1.1")
                .unwrap_err()
                .word(),
            Some(3)
        );
        assert_eq!(
            parse_route("route inside 10.0.0.0 255.0.0.0 1.1.1.1 0")
                .unwrap_err()
                .word(),
            Some(5)
        );
        assert_eq!(
            parse_route("route inside 10.0.0.0 255.0.0.0 1.1.1.1 256")
                .unwrap_err()
                .word(),
            Some(5)
        );
        assert_eq!(
            parse_route("route inside 10.0.0.0 255.0.0.0 1.1.1.1 1 extra")
                .unwrap_err()
                .word(),
            Some(6)
        );
        assert_eq!(
            parse_route("ipv6 route inside 2001:db8::/32 10.0.0.1")
                .unwrap_err()
                .word(),
            Some(4)
        );
    }

    #[test]
    fn id_is_the_hash_of_the_canonical_line() {
        let a = route("route inside 0.0.0.0 0.0.0.0 10.1.1.2");
        let b = route("route inside 0.0.0.0 0.0.0.0 10.1.1.2 1");
        assert_eq!(a.id(), b.id());
        assert_eq!(a.id().len(), 8);
        assert!(
            a.id()
                .bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        let digest = Sha256::digest(b"route inside 0.0.0.0 0.0.0.0 10.1.1.2 1");
        assert_eq!(
            u32::from_str_radix(&a.id(), 16).ok(),
            Some(u32::from_be_bytes([
                digest[0], digest[1], digest[2], digest[3]
            ]))
        );
        let c = route("route inside 0.0.0.0 0.0.0.0 10.1.1.2 2");
        assert_ne!(a.id(), c.id());
    }

    #[test]
    fn json_names_the_interface_and_family() {
        let mut r = StaticRoute::new(route("route outside 10.0.0.0 255.0.0.0 192.0.2.1 5"));
        r.hardware = Some("GigabitEthernet0/0".into());
        let j = r.to_json(LINK);
        assert_eq!(j["kind"], "object#IPv4Route");
        assert_eq!(j["interface"]["name"], "outside");
        assert_eq!(j["interface"]["objectId"], "GigabitEthernet0_API_SLASH_0");
        assert_eq!(
            j["interface"]["refLink"],
            "https://asa.example/api/interfaces/physical/GigabitEthernet0_API_SLASH_0"
        );
        assert_eq!(
            j["network"],
            json!({"kind": "IPv4Network", "value": "10.0.0.0/8"})
        );
        assert_eq!(
            j["gateway"],
            json!({"kind": "IPv4Address", "value": "192.0.2.1"})
        );
        assert_eq!(j["distanceMetric"], 5);
        assert_eq!(j["tracked"], false);
        assert_eq!(j["objectId"], r.id.as_str());
        let v6 = StaticRoute::new(route("ipv6 route outside ::/0 2001:db8::1"));
        assert_eq!(v6.to_json(LINK)["kind"], "object#IPv6Route");
    }

    #[test]
    fn reads_a_go_client_body_with_strings_and_made_up_kind() {
        let body = json!({
            "kind": "object#AnyIRoute",
            "interface": {"kind": "objectRef#Interface", "name": "outside"},
            "network": {"kind": "AnyIPAddress", "value": "any4"},
            "gateway": {"kind": "IPv4Address", "value": "192.0.2.1"},
            "distanceMetric": "3",
            "tracked": "false",
        });
        let r = StaticRoute::from_json(&body, WriteMode::Create).unwrap();
        assert_eq!(
            r.cli_create(),
            ["route outside 0.0.0.0 0.0.0.0 192.0.2.1 3"]
        );
    }

    #[test]
    fn refuses_bad_bodies_naming_the_attribute() {
        let ok = json!({
            "interface": {"name": "outside"},
            "network": {"kind": "IPv4Network", "value": "10.0.0.0/8"},
            "gateway": {"kind": "IPv4Address", "value": "192.0.2.1"},
        });
        let with = |k: &str, v: Value| {
            let mut b = ok.clone();
            b[k] = v;
            StaticRoute::from_json(&b, WriteMode::Create).map_err(|e| e.attribute)
        };
        assert!(with("distanceMetric", json!(1)).is_ok());
        assert_eq!(
            with("distanceMetric", json!(0)),
            Err("distanceMetric".into())
        );
        assert_eq!(
            with("distanceMetric", json!(256)),
            Err("distanceMetric".into())
        );
        assert_eq!(
            with(
                "network",
                json!({"kind": "IPv4Network", "value": "10.0.0.1/8"})
            ),
            Err("network.value".into())
        );
        assert_eq!(
            with("gateway", json!({"kind": "IPv6Address", "value": "::1"})),
            Err("gateway".into())
        );
        assert_eq!(
            with("interface", json!({"name": "in side\nroute x"})),
            Err("interface.name".into())
        );
        assert_eq!(with("tracked", json!(true)), Err("trackId".into()));
        assert_eq!(with("tunneled", json!(true)), Err("tunneled".into()));
        let mut no_gw = ok.clone();
        no_gw.as_object_mut().map(|m| m.remove("gateway"));
        assert_eq!(
            StaticRoute::from_json(&no_gw, WriteMode::Create).map_err(|e| e.attribute),
            Err("gateway".into())
        );
        no_gw["interface"] = json!({"name": "Null0"});
        assert!(StaticRoute::from_json(&no_gw, WriteMode::Create).is_ok());
    }

    #[test]
    fn patch_keeps_what_the_body_leaves_out_and_rehashes() {
        let existing = StaticRoute::new(route(
            "route outside 10.0.0.0 255.0.0.0 192.0.2.1 1 track 4",
        ));
        let body = json!({"distanceMetric": 7});
        let r = StaticRoute::from_json(
            &body,
            WriteMode::Patch {
                id: &existing.id,
                existing: &existing,
            },
        )
        .unwrap();
        assert_eq!(
            r.line.to_string(),
            "route outside 10.0.0.0 255.0.0.0 192.0.2.1 7 track 4"
        );
        assert_ne!(r.id, existing.id);
        assert_eq!(
            StaticRoute::cli_replace(&existing, &r),
            [
                "no route outside 10.0.0.0 255.0.0.0 192.0.2.1 1 track 4",
                "route outside 10.0.0.0 255.0.0.0 192.0.2.1 7 track 4"
            ]
        );
        assert!(StaticRoute::cli_replace(&r, &r.clone()).is_empty());
    }

    #[test]
    fn resolve_requires_an_existing_nameif() {
        let cfg = RunningConfig::parse("interface GigabitEthernet0/1\n nameif inside\n");
        let mut r = StaticRoute::new(route("route inside 10.0.0.0 255.0.0.0 10.1.1.1"));
        assert!(r.resolve(&cfg).is_ok());
        assert_eq!(r.hardware.as_deref(), Some("GigabitEthernet0/1"));
        let mut r = StaticRoute::new(route("route dmz 10.0.0.0 255.0.0.0 10.1.1.1"));
        assert_eq!(
            r.resolve(&cfg).map_err(|e| e.attribute),
            Err("interface.name".into())
        );
        let mut r = StaticRoute::new(route("route Null0 10.0.0.0 255.0.0.0"));
        assert!(r.resolve(&cfg).is_ok());
    }

    fn valid_line() -> impl Strategy<Value = RouteLine> {
        let v4 = (any::<u32>(), 0u8..=32).prop_map(|(a, p)| Destination::V4 {
            network: Ipv4Addr::from(a & u32::from(prefix_mask(p))),
            prefix: p,
        });
        let v6 = (any::<u128>(), 0u8..=128).prop_map(|(a, p)| {
            let mask = u128::MAX.checked_shl(128 - u32::from(p)).unwrap_or(0);
            Destination::V6 {
                network: Ipv6Addr::from(a & mask),
                prefix: p,
            }
        });
        (
            "[a-z][a-z0-9_-]{0,10}",
            prop_oneof![v4, v6],
            any::<u32>(),
            any::<u128>(),
            1u8..=255,
            0u32..3,
            1u32..=MAX_TRACK,
        )
            .prop_map(|(nameif, destination, g4, g6, metric, opt, track)| {
                let gateway = Some(if destination.is_v6() {
                    IpAddr::V6(Ipv6Addr::from(g6))
                } else {
                    IpAddr::V4(Ipv4Addr::from(g4))
                });
                let option = match opt {
                    1 if !destination.is_v6() => RouteOption::Track(track),
                    2 if destination.is_default() => RouteOption::Tunneled,
                    _ => RouteOption::None,
                };
                RouteLine {
                    nameif: nameif.into(),
                    destination,
                    gateway,
                    metric,
                    option,
                }
            })
    }

    proptest! {
        #[test]
        fn line_round_trips(l in valid_line()) {
            prop_assert_eq!(parse_route(&l.to_string()), Ok(l));
        }

        #[test]
        fn json_to_cli_to_config_to_json_is_identity(l in valid_line()) {
            let r = StaticRoute::new(l);
            let json = r.to_json(LINK);
            let back = StaticRoute::from_json(&json, WriteMode::Create);
            prop_assert_eq!(back.as_ref(), Ok(&r));
            let mut text = r.cli_create().join("\n");
            text.push('\n');
            let cfg = RunningConfig::parse(&text);
            prop_assert_eq!(cfg.static_routes.get(&r.id), Some(&r));
        }

        #[test]
        fn arbitrary_lines_never_panic(s in "(ipv6 )?route( [a-zA-Z0-9./:]{0,12}){0,8}") {
            let _ = parse_route(&s);
        }

        #[test]
        fn arbitrary_json_never_panics(kind in "[A-Za-z0-9]{0,14}", value in "\\PC{0,40}", m in any::<i64>()) {
            let body = json!({"interface": {"name": value}, "network": {"kind": kind, "value": value},
                "gateway": {"kind": kind, "value": value}, "distanceMetric": m, "tracked": value});
            let _ = StaticRoute::from_json(&body, WriteMode::Create);
        }
    }
}
