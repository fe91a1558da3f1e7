//! DHCP server and relay in Cisco's shapes (go-ciscoasa `dhcp.go`, terraform-provider-ciscoasa):
//! `/api/dhcp/servers[/{nameif}]` (`object#DhcpServer`, one per named interface, GET, PUT and
//! PATCH), `/api/dhcp/relay/servers/local[/{nameif}]` (`object#DHCPRelayInterfaceServer`) and
//! `/api/dhcp/relay/servers/globalsettings` (`object#DHCPRelayGlobalSettings`).
//!
//! ASA syntax (server; the `interface <nameif>` forms are per interface, the bare forms global):
//! ```text
//! dhcpd address <start>-<end> <nameif>
//! dhcpd enable <nameif>
//! dhcpd dns <ip> [<ip>] [interface <nameif>]  |  dhcpd wins <ip> [<ip>] [interface <nameif>]
//! dhcpd domain <name> [interface <nameif>]
//! dhcpd lease <300-1048575> [interface <nameif>]  |  dhcpd ping_timeout <10-10000> [interface <nameif>]
//! dhcpd auto_config <client-nameif> [vpnclient-wins-override] [interface <nameif>]
//! dhcpd option <code> {ascii <text> | hex <hex> | ip <ip> [<ip>]} [interface <nameif>]
//! dhcpd update dns [both] [override] [interface <nameif>]
//! ```
//! Relay: interface-specific servers (` dhcprelay server <ip>` in the interface's block, at
//! most 4, in the order written), `dhcprelay timeout <1-3600>`, `ipv6 dhcprelay timeout
//! <1-3600>`, `dhcprelay information trust-all`.
//!
//! JSON types are binding (go-ciscoasa decodes into typed fields): `leaseLengthInSec` and
//! `pingTimeoutInMilliSec` are strings, option `code` and relay timeouts integers; unset
//! strings read back as `""`; relay items name their interface with a plain nameif string. A
//! PUT of a server replaces it whole (terraform "deletes" with a PUT of empty values); PATCH
//! changes what it gives. Global `dhcpd` lines (no `interface`) are read as every interface's
//! value when the interface has none of its own; writes are per interface.

use std::net::Ipv4Addr;

use serde_json::{Map, Value, json};

use super::reference::origin_of;
use super::route::interface_ref;
use super::{FieldError, FieldProblem, RunningConfig, json_bool, json_str};
use crate::parse::is_nameif;
use crate::schema::{
    Field, KIND as KIND_FIELD, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, STRINGS, Type,
};

pub const SERVERS_PATH: &str = "/api/dhcp/servers";
pub const SERVER_KIND: &str = "object#DhcpServer";
pub const SERVERS_COLLECTION_KIND: &str = "collection#DhcpServer";
pub const RELAY_LOCAL_PATH: &str = "/api/dhcp/relay/servers/local";
pub const RELAY_LOCAL_KIND: &str = "object#DHCPRelayInterfaceServer";
pub const RELAY_LOCAL_COLLECTION_KIND: &str = "collection#DHCPRelayInterfaceServer";
pub const RELAY_GLOBAL_PATH: &str = "/api/dhcp/relay/servers/globalsettings";
pub const RELAY_GLOBAL_KIND: &str = "object#DHCPRelayGlobalSettings";

/// Interface-specific relay servers an interface may have.
pub const MAX_RELAY_SERVERS: usize = 4;
/// The ASA's relay timeouts when none is configured.
pub const DEFAULT_RELAY_TIMEOUT: u32 = 60;
/// Option codes the ASA sets itself (Cisco's terraform documentation).
const RESERVED_CODES: &[u8] = &[1, 12, 50, 51, 52, 53, 54, 58, 59, 61, 67, 82];

pub static OPTION_SCHEMA: Object = Object {
    name: "DhcpServerOption",
    description: "A DHCP option handed out: `dhcpd option <code> ascii|hex|ip ...`.",
    fields: &[
        Field::new("type", Type::Enum(&["ascii", "hex", "ip"]), "Value type.").required(),
        Field::new(
            "code",
            Type::Int {
                min: Some(1),
                max: Some(255),
            },
            "Option code (1-255; 1, 12, 50-54, 58, 59, 61, 67, 82 are the ASA's own).",
        )
        .required(),
        Field::new("value1", Type::Str, "The value (first address for `ip`).").required(),
        Field::new("value2", Type::Str, "Second address (`ip` only)."),
    ],
    kinds: &[],
    ours: false,
};

pub static DDNS_SCHEMA: Object = Object {
    name: "DhcpServerDdns",
    description: "Dynamic DNS updates by the DHCP server (`dhcpd update dns`).",
    fields: &[
        Field::new("updateDNSClient", Type::Bool, "Update DNS for clients."),
        Field::new(
            "updateBothRecords",
            Type::Bool,
            "Update both A and PTR (`both`).",
        ),
        Field::new(
            "overrideClientSettings",
            Type::Bool,
            "Override the client's own update request (`override`).",
        ),
    ],
    kinds: &[],
    ours: false,
};

const IP_STR: &str = "An IPv4 address, `\"\"` when unset.";

pub static SERVER_SCHEMA: Object = Object {
    name: "DhcpServer",
    description: "The DHCP server of one named interface (exists with the interface; objectId = nameif).",
    fields: &[
        KIND_FIELD,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "interface",
            Type::Object(&OBJECT_REF),
            "`objectRef#Interface`; `name` is the nameif.",
        ),
        Field::new("enabled", Type::Bool, "`dhcpd enable <nameif>`."),
        Field::new("poolStartIP", Type::Str, IP_STR),
        Field::new("poolEndIP", Type::Str, IP_STR),
        Field::new("dnsIP1", Type::Str, IP_STR),
        Field::new("dnsIP2", Type::Str, IP_STR),
        Field::new("winsIP1", Type::Str, IP_STR),
        Field::new("winsIP2", Type::Str, IP_STR),
        Field::new(
            "leaseLengthInSec",
            Type::Str,
            "Lease in seconds as a string (300-1048575), `\"\"` when unset.",
        ),
        Field::new(
            "pingTimeoutInMilliSec",
            Type::Str,
            "Ping timeout in ms as a string (10-10000), `\"\"` when unset.",
        ),
        Field::new(
            "domainName",
            Type::Str,
            "Domain name handed out, `\"\"` when unset.",
        ),
        Field::new(
            "isAutoConfigEnabled",
            Type::Bool,
            "`dhcpd auto_config`: hand out what a DHCP client interface learnt.",
        ),
        Field::new(
            "autoConfigInterface",
            Type::Str,
            "nameif of the DHCP client interface auto_config reads.",
        ),
        Field::new("isVpnOverride", Type::Bool, "`vpnclient-wins-override`."),
        Field::new(
            "options",
            Type::Array(&Type::Object(&OPTION_SCHEMA)),
            "Options, in the order written.",
        ),
        Field::new("ddns", Type::Object(&DDNS_SCHEMA), "Dynamic DNS updates."),
    ],
    kinds: &[SERVER_KIND],
    ours: false,
};

pub static RELAY_LOCAL_SCHEMA: Object = Object {
    name: "DHCPRelayInterfaceServer",
    description: "Interface-specific DHCP relay servers (objectId = nameif).",
    fields: &[
        KIND_FIELD,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "interface",
            Type::Str,
            "The nameif, a plain string (not a reference).",
        )
        .required(),
        Field::new(
            "servers",
            STRINGS,
            "Server addresses, in the order written (1 to 4).",
        )
        .required(),
    ],
    kinds: &[RELAY_LOCAL_KIND],
    ours: false,
};

pub static RELAY_GLOBAL_SCHEMA: Object = Object {
    name: "DHCPRelayGlobalSettings",
    description: "DHCP relay timeouts and trust.",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new(
            "ipv4Timeout",
            Type::Int {
                min: Some(1),
                max: Some(3600),
            },
            "`dhcprelay timeout` (1-3600, default 60).",
        ),
        Field::new(
            "ipv6Timeout",
            Type::Int {
                min: Some(1),
                max: Some(3600),
            },
            "`ipv6 dhcprelay timeout` (1-3600, default 60).",
        ),
        Field::new(
            "trustedOnAllInterfaces",
            Type::Bool,
            "`dhcprelay information trust-all`.",
        ),
    ],
    kinds: &[RELAY_GLOBAL_KIND],
    ours: false,
};

/// A `dhcpd option` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionValue {
    Ascii(String),
    Hex(String),
    Ip(Ipv4Addr, Option<Ipv4Addr>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DhcpOption {
    pub code: u8,
    pub value: OptionValue,
}

/// `dhcpd update dns [both] [override]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ddns {
    pub both: bool,
    pub override_client: bool,
}

/// What `dhcpd` lines set for one interface (or, with an empty nameif, globally).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerSettings {
    pub pool: Option<(Ipv4Addr, Ipv4Addr)>,
    pub enabled: bool,
    pub dns: Vec<Ipv4Addr>,
    pub wins: Vec<Ipv4Addr>,
    pub domain: Option<String>,
    pub lease: Option<u32>,
    pub ping_timeout: Option<u32>,
    /// (client nameif, vpnclient-wins-override)
    pub auto_config: Option<(String, bool)>,
    pub options: Vec<DhcpOption>,
    pub ddns: Option<Ddns>,
}

/// The DHCP configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dhcp {
    /// Per nameif, in the order first seen.
    pub servers: Vec<(String, ServerSettings)>,
    /// The bare (global) forms.
    pub global: ServerSettings,
    /// Interface-specific relay servers, per nameif.
    pub relay_local: Vec<(String, Vec<Ipv4Addr>)>,
    pub relay_timeout: Option<u32>,
    pub relay_ipv6_timeout: Option<u32>,
    pub relay_trust_all: bool,
}

fn ips(words: &[&str]) -> Option<Vec<Ipv4Addr>> {
    words.iter().map(|w| w.parse().ok()).collect()
}

fn parse_range(s: &str) -> Option<(Ipv4Addr, Ipv4Addr)> {
    let (a, b) = s.split_once('-')?;
    let (a, b): (Ipv4Addr, Ipv4Addr) = (a.parse().ok()?, b.parse().ok()?);
    (a <= b).then_some((a, b))
}

/// Splits a trailing `interface <nameif>` off.
fn scope<'w>(words: &'w [&'w str]) -> (&'w [&'w str], Option<&'w str>) {
    match words {
        [rest @ .., "interface", n] if is_nameif(n) => (rest, Some(*n)),
        _ => (words, None),
    }
}

/// Whether `s` is printable text without blanks (an option's ascii value, a domain).
fn is_word(s: &str) -> bool {
    !s.is_empty() && s.len() <= 63 && s.bytes().all(|b| b.is_ascii_graphic())
}

fn parse_option(words: &[&str]) -> Option<DhcpOption> {
    let (code, rest) = words.split_first()?;
    let code: u8 = code.parse().ok().filter(|c| *c >= 1)?;
    let value = match rest {
        ["ascii", s] if is_word(s) => OptionValue::Ascii((*s).to_owned()),
        ["hex", h] if is_hex(h) => OptionValue::Hex((*h).to_ascii_lowercase()),
        ["ip", a] => OptionValue::Ip(a.parse().ok()?, None),
        ["ip", a, b] => OptionValue::Ip(a.parse().ok()?, Some(b.parse().ok()?)),
        _ => return None,
    };
    Some(DhcpOption { code, value })
}

fn is_hex(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 64
        && h.len().is_multiple_of(2)
        && h.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Dhcp {
    fn server_mut(&mut self, nameif: Option<&str>) -> &mut ServerSettings {
        let Some(nameif) = nameif else {
            return &mut self.global;
        };
        let pos = match self.servers.iter().position(|(n, _)| n == nameif) {
            Some(p) => p,
            None => {
                self.servers
                    .push((nameif.to_owned(), ServerSettings::default()));
                self.servers.len() - 1
            }
        };
        &mut self.servers[pos].1
    }

    /// The settings of `nameif` as they act: its own lines, else the global ones.
    pub fn effective(&self, nameif: &str) -> ServerSettings {
        let own = self
            .servers
            .iter()
            .find(|(n, _)| n == nameif)
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        let g = &self.global;
        ServerSettings {
            pool: own.pool,
            enabled: own.enabled,
            dns: if own.dns.is_empty() {
                g.dns.clone()
            } else {
                own.dns
            },
            wins: if own.wins.is_empty() {
                g.wins.clone()
            } else {
                own.wins
            },
            domain: own.domain.or_else(|| g.domain.clone()),
            lease: own.lease.or(g.lease),
            ping_timeout: own.ping_timeout.or(g.ping_timeout),
            auto_config: own.auto_config.or_else(|| g.auto_config.clone()),
            options: if own.options.is_empty() {
                g.options.clone()
            } else {
                own.options
            },
            ddns: own.ddns.or(g.ddns),
        }
    }

    /// The settings of `nameif`'s own lines.
    pub fn own(&self, nameif: &str) -> ServerSettings {
        self.servers
            .iter()
            .find(|(n, _)| n == nameif)
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }

    /// Reads a `dhcpd`, `dhcprelay` or `ipv6 dhcprelay` line; lines not modelled change nothing.
    pub fn absorb(&mut self, text: &str) {
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["dhcpd", "address", range, nameif] if is_nameif(nameif) => {
                if let Some(r) = parse_range(range) {
                    self.server_mut(Some(nameif)).pool = Some(r);
                }
            }
            ["dhcpd", "enable", nameif] if is_nameif(nameif) => {
                self.server_mut(Some(nameif)).enabled = true;
            }
            ["dhcpd", rest @ ..] => self.absorb_scoped(rest),
            ["dhcprelay", "timeout", n] => self.relay_timeout = n.parse().ok(),
            ["ipv6", "dhcprelay", "timeout", n] => self.relay_ipv6_timeout = n.parse().ok(),
            ["dhcprelay", "information", "trust-all"] => self.relay_trust_all = true,
            _ => {}
        }
    }

    fn absorb_scoped(&mut self, rest: &[&str]) {
        let (body, nameif) = scope(rest);
        match body {
            ["dns", list @ ..] if (1..=2).contains(&list.len()) => {
                if let Some(v) = ips(list) {
                    self.server_mut(nameif).dns = v;
                }
            }
            ["wins", list @ ..] if (1..=2).contains(&list.len()) => {
                if let Some(v) = ips(list) {
                    self.server_mut(nameif).wins = v;
                }
            }
            ["domain", d] if is_word(d) => self.server_mut(nameif).domain = Some((*d).to_owned()),
            ["lease", n] => self.server_mut(nameif).lease = n.parse().ok(),
            ["ping_timeout", n] => self.server_mut(nameif).ping_timeout = n.parse().ok(),
            ["auto_config", client] if is_nameif(client) => {
                self.server_mut(nameif).auto_config = Some(((*client).to_owned(), false));
            }
            ["auto_config", client, "vpnclient-wins-override"] if is_nameif(client) => {
                self.server_mut(nameif).auto_config = Some(((*client).to_owned(), true));
            }
            ["option", o @ ..] => {
                if let Some(opt) = parse_option(o) {
                    let s = self.server_mut(nameif);
                    s.options.retain(|x| x.code != opt.code);
                    s.options.push(opt);
                }
            }
            ["update", "dns", flags @ ..] => {
                let both = flags.contains(&"both");
                let override_client = flags.contains(&"override");
                if flags.iter().all(|f| matches!(*f, "both" | "override")) {
                    self.server_mut(nameif).ddns = Some(Ddns {
                        both,
                        override_client,
                    });
                }
            }
            _ => {}
        }
    }

    /// Reads an interface block's ` dhcprelay server <ip>` lines.
    pub fn absorb_interface(&mut self, children: &[&str]) {
        let nameif = children
            .iter()
            .find_map(|c| c.strip_prefix("nameif "))
            .map(str::trim);
        let servers: Vec<Ipv4Addr> = children
            .iter()
            .filter_map(|c| c.strip_prefix("dhcprelay server "))
            .filter_map(|ip| ip.trim().parse().ok())
            .collect();
        if let Some(n) = nameif
            && !servers.is_empty()
        {
            self.relay_local.push((n.to_owned(), servers));
        }
    }

    pub fn relay_servers(&self, nameif: &str) -> Option<&Vec<Ipv4Addr>> {
        self.relay_local
            .iter()
            .find(|(n, _)| n == nameif)
            .map(|(_, s)| s)
    }
}

// ----- JSON -----

fn ip_at(v: &[Ipv4Addr], i: usize) -> String {
    v.get(i).map(ToString::to_string).unwrap_or_default()
}

fn num_str(n: Option<u32>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// `object#DhcpServer` of one interface.
pub fn server_json(dhcp: &Dhcp, nameif: &str, hardware: Option<&str>, self_link: &str) -> Value {
    let s = dhcp.effective(nameif);
    let origin = origin_of(self_link);
    let options: Vec<Value> = s
        .options
        .iter()
        .map(|o| match &o.value {
            OptionValue::Ascii(t) => json!({"type": "ascii", "code": o.code, "value1": t}),
            OptionValue::Hex(h) => json!({"type": "hex", "code": o.code, "value1": h}),
            OptionValue::Ip(a, b) => {
                let mut m = json!({"type": "ip", "code": o.code, "value1": a.to_string()});
                if let Some(b) = b {
                    m["value2"] = Value::from(b.to_string());
                }
                m
            }
        })
        .collect();
    let ddns = s.ddns;
    json!({
        "kind": SERVER_KIND,
        "objectId": nameif,
        "selfLink": self_link,
        "interface": interface_ref(nameif, hardware, origin),
        "enabled": s.enabled,
        "poolStartIP": s.pool.map(|p| p.0.to_string()).unwrap_or_default(),
        "poolEndIP": s.pool.map(|p| p.1.to_string()).unwrap_or_default(),
        "dnsIP1": ip_at(&s.dns, 0),
        "dnsIP2": ip_at(&s.dns, 1),
        "winsIP1": ip_at(&s.wins, 0),
        "winsIP2": ip_at(&s.wins, 1),
        "leaseLengthInSec": num_str(s.lease),
        "pingTimeoutInMilliSec": num_str(s.ping_timeout),
        "domainName": s.domain.clone().unwrap_or_default(),
        "isAutoConfigEnabled": s.auto_config.is_some(),
        "autoConfigInterface": s.auto_config.as_ref().map(|a| a.0.clone()).unwrap_or_default(),
        "isVpnOverride": s.auto_config.as_ref().is_some_and(|a| a.1),
        "options": options,
        "ddns": {
            "updateDNSClient": ddns.is_some(),
            "updateBothRecords": ddns.is_some_and(|d| d.both),
            "overrideClientSettings": ddns.is_some_and(|d| d.override_client),
        },
    })
}

pub fn relay_local_json(nameif: &str, servers: &[Ipv4Addr], self_link: &str) -> Value {
    json!({
        "kind": RELAY_LOCAL_KIND,
        "objectId": nameif,
        "selfLink": self_link,
        "interface": nameif,
        "servers": servers.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

pub fn relay_global_json(dhcp: &Dhcp, self_link: &str) -> Value {
    json!({
        "kind": RELAY_GLOBAL_KIND,
        "selfLink": self_link,
        "ipv4Timeout": dhcp.relay_timeout.unwrap_or(DEFAULT_RELAY_TIMEOUT),
        "ipv6Timeout": dhcp.relay_ipv6_timeout.unwrap_or(DEFAULT_RELAY_TIMEOUT),
        "trustedOnAllInterfaces": dhcp.relay_trust_all,
    })
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

fn object(body: &Value) -> Result<&Map<String, Value>, FieldError> {
    body.as_object()
        .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))
}

/// An optional IPv4 string (`""` = unset).
fn opt_ip(v: Option<&Value>, attr: &str) -> Result<Option<Ipv4Addr>, FieldError> {
    match v.filter(|v| !v.is_null()) {
        None => Ok(None),
        Some(v) => {
            let s = json_str(v, attr)?.trim();
            if s.is_empty() {
                return Ok(None);
            }
            s.parse()
                .map(Some)
                .map_err(|_| bad(attr, format!("'{s}' is not an IPv4 address")))
        }
    }
}

/// A number given as a string (or a number), within bounds; `""` = unset.
fn opt_num(v: Option<&Value>, attr: &str, lo: u32, hi: u32) -> Result<Option<u32>, FieldError> {
    let n = match v.filter(|v| !v.is_null()) {
        None => return Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => s.trim().parse::<u32>().ok(),
        Some(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Some(_) => {
            return Err(FieldError::new(
                attr,
                FieldProblem::WrongType {
                    expected: "a number in a string",
                },
            ));
        }
    };
    match n {
        Some(n) if (lo..=hi).contains(&n) => Ok(Some(n)),
        _ => Err(bad(attr, format!("not a number from {lo} to {hi}"))),
    }
}

fn opt_bool(v: Option<&Value>, attr: &str) -> Result<Option<bool>, FieldError> {
    v.filter(|v| !v.is_null())
        .map(|v| json_bool(v, attr))
        .transpose()
}

fn options_from(v: &Value) -> Result<Vec<DhcpOption>, FieldError> {
    let list = v.as_array().ok_or_else(|| {
        FieldError::new(
            "options",
            FieldProblem::WrongType {
                expected: "an array",
            },
        )
    })?;
    let mut out: Vec<DhcpOption> = Vec::new();
    for o in list {
        let m = o.as_object().ok_or_else(|| {
            FieldError::new(
                "options",
                FieldProblem::WrongType {
                    expected: "an object",
                },
            )
        })?;
        let code = m
            .get("code")
            .and_then(|c| match c {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            })
            .and_then(|c| u8::try_from(c).ok())
            .filter(|c| *c >= 1)
            .ok_or_else(|| bad("options.code", "an integer from 1 to 255"))?;
        if RESERVED_CODES.contains(&code) {
            return Err(bad(
                "options.code",
                format!("option {code} is set by the ASA itself"),
            ));
        }
        if out.iter().any(|x| x.code == code) {
            return Err(bad(
                "options.code",
                format!("option {code} is listed twice"),
            ));
        }
        let ty = m
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| FieldError::new("options.type", FieldProblem::Missing))?;
        let value1 = m
            .get("value1")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| FieldError::new("options.value1", FieldProblem::Missing))?;
        let value2 = m
            .get("value2")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let value = match ty {
            "ascii" if is_word(value1) && value2.is_none() => OptionValue::Ascii(value1.to_owned()),
            "ascii" => return Err(bad("options.value1", "printable text without blanks")),
            "hex" if is_hex(value1) && value2.is_none() => {
                OptionValue::Hex(value1.to_ascii_lowercase())
            }
            "hex" => return Err(bad("options.value1", "an even number of hex digits")),
            "ip" => {
                let a = opt_ip(m.get("value1"), "options.value1")?
                    .ok_or_else(|| FieldError::new("options.value1", FieldProblem::Missing))?;
                let b = opt_ip(m.get("value2"), "options.value2")?;
                OptionValue::Ip(a, b)
            }
            other => {
                return Err(bad(
                    "options.type",
                    format!("'{other}' is not ascii, hex or ip"),
                ));
            }
        };
        out.push(DhcpOption { code, value });
    }
    Ok(out)
}

/// A server body for `nameif`: PUT (`base` = defaults) or PATCH (`base` = its own settings).
pub fn server_from_json(
    body: &Value,
    nameif: &str,
    base: &ServerSettings,
) -> Result<ServerSettings, FieldError> {
    let m = object(body)?;
    let get = |k: &str| m.get(k).filter(|v| !v.is_null());
    if let Some(i) = get("interface") {
        let named = i.get("name").and_then(Value::as_str).or_else(|| i.as_str());
        if named.is_some_and(|n| n != nameif) {
            return Err(bad("interface", "names another interface than the URL"));
        }
    }
    let mut s = base.clone();
    if let Some(e) = opt_bool(get("enabled"), "enabled")? {
        s.enabled = e;
    }
    let pool_given = get("poolStartIP").is_some() || get("poolEndIP").is_some();
    if pool_given {
        let a = opt_ip(get("poolStartIP"), "poolStartIP")?;
        let b = opt_ip(get("poolEndIP"), "poolEndIP")?;
        s.pool = match (a, b) {
            (Some(a), Some(b)) if a <= b => Some((a, b)),
            (Some(a), Some(b)) => {
                return Err(bad("poolEndIP", format!("{b} is below the pool start {a}")));
            }
            (None, None) => None,
            (None, Some(_)) => return Err(FieldError::new("poolStartIP", FieldProblem::Missing)),
            (Some(_), None) => return Err(FieldError::new("poolEndIP", FieldProblem::Missing)),
        };
    }
    for (k1, k2, slot) in [
        ("dnsIP1", "dnsIP2", &mut s.dns),
        ("winsIP1", "winsIP2", &mut s.wins),
    ] {
        if get(k1).is_some() || get(k2).is_some() {
            let a = opt_ip(get(k1), k1)?;
            let b = opt_ip(get(k2), k2)?;
            *slot = match (a, b) {
                (Some(a), Some(b)) => vec![a, b],
                (Some(a), None) => vec![a],
                (None, Some(_)) => return Err(FieldError::new(k1, FieldProblem::Missing)),
                (None, None) => Vec::new(),
            };
        }
    }
    if m.contains_key("leaseLengthInSec") {
        s.lease = opt_num(get("leaseLengthInSec"), "leaseLengthInSec", 300, 1_048_575)?;
    }
    if m.contains_key("pingTimeoutInMilliSec") {
        s.ping_timeout = opt_num(
            get("pingTimeoutInMilliSec"),
            "pingTimeoutInMilliSec",
            10,
            10_000,
        )?;
    }
    if let Some(d) = get("domainName") {
        let d = json_str(d, "domainName")?.trim();
        if !d.is_empty() && !is_word(d) {
            return Err(bad("domainName", "a domain name without blanks"));
        }
        s.domain = (!d.is_empty()).then(|| d.to_owned());
    }
    let auto = opt_bool(get("isAutoConfigEnabled"), "isAutoConfigEnabled")?;
    let vpn = opt_bool(get("isVpnOverride"), "isVpnOverride")?;
    let client = match get("autoConfigInterface") {
        Some(v) => {
            let c = json_str(v, "autoConfigInterface")?.trim();
            if !c.is_empty() && !is_nameif(c) {
                return Err(bad("autoConfigInterface", format!("'{c}' is not a nameif")));
            }
            Some(c.to_owned()).filter(|c| !c.is_empty())
        }
        None => s.auto_config.as_ref().map(|a| a.0.clone()),
    };
    let auto_on = auto.unwrap_or(s.auto_config.is_some());
    let vpn_on = vpn.unwrap_or(s.auto_config.as_ref().is_some_and(|a| a.1));
    s.auto_config = match (auto_on, client) {
        (true, Some(c)) => Some((c, vpn_on)),
        (true, None) => {
            return Err(FieldError::new(
                "autoConfigInterface",
                FieldProblem::Missing,
            ));
        }
        (false, _) if vpn_on && vpn.is_some() => {
            return Err(bad("isVpnOverride", "needs isAutoConfigEnabled"));
        }
        (false, _) => None,
    };
    if let Some(o) = get("options") {
        s.options = options_from(o)?;
    }
    if let Some(d) = get("ddns") {
        let dm = d.as_object().ok_or_else(|| {
            FieldError::new(
                "ddns",
                FieldProblem::WrongType {
                    expected: "an object",
                },
            )
        })?;
        let on = opt_bool(dm.get("updateDNSClient"), "ddns.updateDNSClient")?.unwrap_or(false);
        let both =
            opt_bool(dm.get("updateBothRecords"), "ddns.updateBothRecords")?.unwrap_or(false);
        let ov = opt_bool(
            dm.get("overrideClientSettings"),
            "ddns.overrideClientSettings",
        )?
        .unwrap_or(false);
        s.ddns = (on || both || ov).then_some(Ddns {
            both,
            override_client: ov,
        });
    }
    if s.enabled && s.pool.is_none() {
        return Err(bad(
            "enabled",
            "the DHCP server needs an address pool (poolStartIP, poolEndIP)",
        ));
    }
    Ok(s)
}

/// Checks the interfaces a server names.
pub fn check_server(
    cfg: &RunningConfig,
    nameif: &str,
    s: &ServerSettings,
) -> Result<(), FieldError> {
    if let Some((c, _)) = &s.auto_config {
        if cfg.access.hardware_of(c).is_none() {
            return Err(bad(
                "autoConfigInterface",
                format!("no interface is named '{c}'"),
            ));
        }
        if c == nameif {
            return Err(bad(
                "autoConfigInterface",
                "the client interface cannot be the server's",
            ));
        }
    }
    Ok(())
}

fn ip_words(v: &[Ipv4Addr]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

fn option_line(o: &DhcpOption) -> String {
    let v = match &o.value {
        OptionValue::Ascii(t) => format!("ascii {t}"),
        OptionValue::Hex(h) => format!("hex {h}"),
        OptionValue::Ip(a, Some(b)) => format!("ip {a} {b}"),
        OptionValue::Ip(a, None) => format!("ip {a}"),
    };
    format!("dhcpd option {} {v}", o.code)
}

/// The lines turning `nameif`'s own settings `old` into `new`.
pub fn server_cli(nameif: &str, old: &ServerSettings, new: &ServerSettings) -> Vec<String> {
    let mut out = Vec::new();
    let sfx = format!(" interface {nameif}");
    // Disable first (the ASA refuses to remove the pool of an enabled server).
    if old.enabled && !new.enabled {
        out.push(format!("no dhcpd enable {nameif}"));
    }
    if old.pool != new.pool {
        if let Some((a, b)) = old.pool {
            out.push(format!("no dhcpd address {a}-{b} {nameif}"));
        }
        if let Some((a, b)) = new.pool {
            out.push(format!("dhcpd address {a}-{b} {nameif}"));
        }
    }
    let mut scalar = |key: &str, o: Option<String>, n: Option<String>| {
        if o != n {
            match (o, n) {
                (_, Some(n)) => out.push(format!("dhcpd {key} {n}{sfx}")),
                (Some(o), None) => out.push(format!("no dhcpd {key} {o}{sfx}")),
                (None, None) => {}
            }
        }
    };
    let list = |v: &Vec<Ipv4Addr>| (!v.is_empty()).then(|| ip_words(v));
    scalar("dns", list(&old.dns), list(&new.dns));
    scalar("wins", list(&old.wins), list(&new.wins));
    scalar("domain", old.domain.clone(), new.domain.clone());
    scalar(
        "lease",
        old.lease.map(|n| n.to_string()),
        new.lease.map(|n| n.to_string()),
    );
    scalar(
        "ping_timeout",
        old.ping_timeout.map(|n| n.to_string()),
        new.ping_timeout.map(|n| n.to_string()),
    );
    let auto = |a: &Option<(String, bool)>| {
        a.as_ref().map(|(c, v)| {
            if *v {
                format!("{c} vpnclient-wins-override")
            } else {
                c.clone()
            }
        })
    };
    scalar(
        "auto_config",
        auto(&old.auto_config),
        auto(&new.auto_config),
    );
    let ddns = |d: &Option<Ddns>| {
        d.map(|d| {
            let mut s = "dns".to_owned();
            if d.both {
                s.push_str(" both");
            }
            if d.override_client {
                s.push_str(" override");
            }
            s
        })
    };
    scalar("update", ddns(&old.ddns), ddns(&new.ddns));
    if old.options != new.options {
        for o in &old.options {
            if !new.options.contains(o) {
                out.push(format!("no {}{sfx}", option_line(o)));
            }
        }
        for o in &new.options {
            if !old.options.contains(o) {
                out.push(format!("{}{sfx}", option_line(o)));
            }
        }
    }
    if new.enabled && !old.enabled {
        out.push(format!("dhcpd enable {nameif}"));
    }
    out
}

/// A relay-local body: (nameif, servers). `url_nameif` is the item's id on PUT.
pub fn relay_local_from_json(
    body: &Value,
    url_nameif: Option<&str>,
) -> Result<(String, Vec<Ipv4Addr>), FieldError> {
    let m = object(body)?;
    let nameif = match (m.get("interface").filter(|v| !v.is_null()), url_nameif) {
        (Some(v), url) => {
            let n = v
                .as_str()
                .or_else(|| v.get("name").and_then(Value::as_str))
                .ok_or_else(|| {
                    FieldError::new(
                        "interface",
                        FieldProblem::WrongType {
                            expected: "a nameif string",
                        },
                    )
                })?;
            if url.is_some_and(|u| u != n) {
                return Err(bad("interface", "names another interface than the URL"));
            }
            n.to_owned()
        }
        (None, Some(u)) => u.to_owned(),
        (None, None) => return Err(FieldError::new("interface", FieldProblem::Missing)),
    };
    if !is_nameif(&nameif) {
        return Err(bad("interface", format!("'{nameif}' is not a nameif")));
    }
    let list = m
        .get("servers")
        .and_then(Value::as_array)
        .ok_or_else(|| FieldError::new("servers", FieldProblem::Missing))?;
    let mut servers = Vec::new();
    for s in list {
        let ip = opt_ip(Some(s), "servers")?.ok_or_else(|| bad("servers", "an empty address"))?;
        if servers.contains(&ip) {
            return Err(bad("servers", format!("{ip} is listed twice")));
        }
        servers.push(ip);
    }
    if servers.is_empty() || servers.len() > MAX_RELAY_SERVERS {
        return Err(bad(
            "servers",
            format!("1 to {MAX_RELAY_SERVERS} server addresses"),
        ));
    }
    Ok((nameif, servers))
}

/// The lines setting an interface's relay servers from `old` to `new`.
pub fn relay_local_cli(hardware: &str, old: &[Ipv4Addr], new: &[Ipv4Addr]) -> Vec<String> {
    if old == new {
        return Vec::new();
    }
    let mut out = vec![format!("interface {hardware}")];
    // Order matters: remove the old ones and write the new list in its order.
    for ip in old {
        out.push(format!(" no dhcprelay server {ip}"));
    }
    for ip in new {
        out.push(format!(" dhcprelay server {ip}"));
    }
    out.push("exit".to_owned());
    out
}

/// Relay global settings: (ipv4 timeout, ipv6 timeout, trust-all) from a PUT body.
pub fn relay_global_from_json(body: &Value, cur: &Dhcp) -> Result<Dhcp, FieldError> {
    let m = object(body)?;
    let mut next = cur.clone();
    let t = |k: &str| -> Result<Option<u32>, FieldError> {
        match m.get(k).filter(|v| !v.is_null()) {
            None => Ok(None),
            Some(v) => opt_num(Some(v), k, 1, 3600),
        }
    };
    if let Some(n) = t("ipv4Timeout")? {
        next.relay_timeout =
            (n != DEFAULT_RELAY_TIMEOUT || cur.relay_timeout.is_some()).then_some(n);
    }
    if let Some(n) = t("ipv6Timeout")? {
        next.relay_ipv6_timeout =
            (n != DEFAULT_RELAY_TIMEOUT || cur.relay_ipv6_timeout.is_some()).then_some(n);
    }
    if let Some(b) = opt_bool(m.get("trustedOnAllInterfaces"), "trustedOnAllInterfaces")? {
        next.relay_trust_all = b;
    }
    Ok(next)
}

pub fn relay_global_cli(old: &Dhcp, new: &Dhcp) -> Vec<String> {
    let mut out = Vec::new();
    if old.relay_timeout != new.relay_timeout {
        match new.relay_timeout {
            Some(n) => out.push(format!("dhcprelay timeout {n}")),
            None => out.push("no dhcprelay timeout".to_owned()),
        }
    }
    if old.relay_ipv6_timeout != new.relay_ipv6_timeout {
        match new.relay_ipv6_timeout {
            Some(n) => out.push(format!("ipv6 dhcprelay timeout {n}")),
            None => out.push("no ipv6 dhcprelay timeout".to_owned()),
        }
    }
    if old.relay_trust_all != new.relay_trust_all {
        out.push(if new.relay_trust_all {
            "dhcprelay information trust-all".to_owned()
        } else {
            "no dhcprelay information trust-all".to_owned()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Dhcp {
        let mut d = Dhcp::default();
        for l in text.lines() {
            d.absorb(l);
        }
        d
    }

    /// terraform's acceptance-test server, as go-ciscoasa sends it.
    fn terraform_body() -> Value {
        json!({"interface": {"kind": "objectRef#Interface", "name": "test"}, "enabled": true,
            "poolStartIP": "8.8.8.4", "poolEndIP": "8.8.8.20", "dnsIP1": "3.3.3.3", "dnsIP2": "5.5.5.5",
            "winsIP1": "4.4.4.4", "winsIP2": "6.6.6.6", "leaseLengthInSec": "305",
            "pingTimeoutInMilliSec": "40", "domainName": "testing1", "isAutoConfigEnabled": true,
            "autoConfigInterface": "tengig", "isVpnOverride": true,
            "options": [{"type": "hex", "code": 2, "value1": "c52f", "value2": ""},
                        {"type": "ascii", "code": 4, "value1": "1261", "value2": ""},
                        {"type": "ip", "code": 13, "value1": "1.1.1.2", "value2": "1.1.2.1"}],
            "ddns": {"updateDNSClient": true, "updateBothRecords": true, "overrideClientSettings": true},
            "kind": "object#DhcpServer", "objectId": "test"})
    }

    #[test]
    fn terraform_server_round_trips_through_the_cli() {
        let s = server_from_json(&terraform_body(), "test", &ServerSettings::default()).unwrap();
        let lines = server_cli("test", &ServerSettings::default(), &s);
        assert_eq!(
            lines,
            [
                "dhcpd address 8.8.8.4-8.8.8.20 test",
                "dhcpd dns 3.3.3.3 5.5.5.5 interface test",
                "dhcpd wins 4.4.4.4 6.6.6.6 interface test",
                "dhcpd domain testing1 interface test",
                "dhcpd lease 305 interface test",
                "dhcpd ping_timeout 40 interface test",
                "dhcpd auto_config tengig vpnclient-wins-override interface test",
                "dhcpd update dns both override interface test",
                "dhcpd option 2 hex c52f interface test",
                "dhcpd option 4 ascii 1261 interface test",
                "dhcpd option 13 ip 1.1.1.2 1.1.2.1 interface test",
                "dhcpd enable test",
            ]
        );
        let d = read(&lines.join("\n"));
        assert_eq!(d.own("test"), s);
        let j = server_json(
            &d,
            "test",
            Some("GigabitEthernet0/1"),
            "https://h/api/dhcp/servers/test",
        );
        let want = terraform_body();
        for k in [
            "enabled",
            "poolStartIP",
            "poolEndIP",
            "dnsIP1",
            "dnsIP2",
            "winsIP1",
            "winsIP2",
            "leaseLengthInSec",
            "pingTimeoutInMilliSec",
            "domainName",
            "isAutoConfigEnabled",
            "autoConfigInterface",
            "isVpnOverride",
            "ddns",
            "objectId",
            "kind",
        ] {
            assert_eq!(j[k], want[k], "{k}");
        }
        assert_eq!(j["options"][2]["value2"], "1.1.2.1");
        assert_eq!(j["options"][0]["code"], 2);
        assert_eq!(j["interface"]["name"], "test");
        SERVER_SCHEMA
            .check(&j, crate::schema::Strictness::Response)
            .unwrap();
        // terraform's update: only auto_config kept; every other value reads back empty.
        let upd = json!({"interface": {"kind": "objectRef#Interface", "name": "test"}, "enabled": false,
            "poolStartIP": "", "poolEndIP": "", "dnsIP1": "", "dnsIP2": "", "winsIP1": "", "winsIP2": "",
            "isAutoConfigEnabled": true, "autoConfigInterface": "tengig",
            "ddns": {"updateDNSClient": false}, "kind": "object#DhcpServer", "objectId": "test"});
        let s2 = server_from_json(&upd, "test", &ServerSettings::default()).unwrap();
        let lines2 = server_cli("test", &s, &s2);
        assert_eq!(
            lines2.first().map(String::as_str),
            Some("no dhcpd enable test")
        );
        let d2 = read(&server_cli("test", &ServerSettings::default(), &s2).join("\n"));
        let j2 = server_json(&d2, "test", None, "x");
        for k in [
            "leaseLengthInSec",
            "pingTimeoutInMilliSec",
            "poolStartIP",
            "dnsIP1",
            "domainName",
        ] {
            assert_eq!(j2[k], "", "{k}");
        }
        assert_eq!(j2["isVpnOverride"], false);
        assert_eq!(j2["autoConfigInterface"], "tengig");
    }

    #[test]
    fn numbers_are_strings_and_bad_values_are_refused() {
        let base = ServerSettings::default();
        let with = |k: &str, v: Value| {
            let mut b = json!({"poolStartIP": "10.0.0.10", "poolEndIP": "10.0.0.20"});
            b[k] = v;
            server_from_json(&b, "inside", &base)
        };
        assert!(with("leaseLengthInSec", json!("299")).is_err());
        assert!(with("leaseLengthInSec", json!(true)).is_err());
        assert_eq!(
            with("leaseLengthInSec", json!("300")).unwrap().lease,
            Some(300)
        );
        assert!(with("poolEndIP", json!("10.0.0.1")).is_err());
        assert!(with("dnsIP1", json!("x")).is_err());
        assert!(
            with(
                "options",
                json!([{"type": "ip", "code": 3, "value1": "1.1.1.1"}])
            )
            .is_ok()
        );
        assert!(
            with(
                "options",
                json!([{"type": "ip", "code": 12, "value1": "1.1.1.1"}])
            )
            .is_err()
        );
        assert!(
            with(
                "options",
                json!([{"type": "hex", "code": 5, "value1": "abc"}])
            )
            .is_err()
        );
        assert!(with("domainName", json!("a b")).is_err());
        assert!(server_from_json(&json!({"enabled": true}), "inside", &base).is_err());
        assert!(
            server_from_json(&json!({"interface": {"name": "other"}}), "inside", &base).is_err()
        );
    }

    #[test]
    fn relay_items_use_a_plain_nameif_and_keep_the_order() {
        let body = json!({"kind": "object#DHCPRelayInterfaceServer", "interface": "inside",
            "servers": ["10.0.0.27", "10.0.0.191", "10.0.0.164"]});
        let (n, s) = relay_local_from_json(&body, None).unwrap();
        assert_eq!(n, "inside");
        let lines = relay_local_cli("GigabitEthernet0/1", &[], &s);
        assert_eq!(lines[1], " dhcprelay server 10.0.0.27");
        let mut d = Dhcp::default();
        d.absorb_interface(&[
            "nameif inside",
            "dhcprelay server 10.0.0.27",
            "dhcprelay server 10.0.0.191",
            "dhcprelay server 10.0.0.164",
        ]);
        let j = relay_local_json("inside", d.relay_servers("inside").unwrap(), "x");
        assert_eq!(j["servers"], body["servers"]);
        assert_eq!(j["interface"], "inside");
        assert!(
            relay_local_from_json(&json!({"interface": "inside", "servers": []}), None).is_err()
        );
        assert!(
            relay_local_from_json(
                &json!({"interface": "inside", "servers": ["1.1.1.1","1.1.1.2","1.1.1.3","1.1.1.4","1.1.1.5"]}),
                None
            )
            .is_err()
        );
    }

    #[test]
    fn relay_global_settings_default_to_60() {
        let d = Dhcp::default();
        let j = relay_global_json(&d, "x");
        assert_eq!(
            (
                j["ipv4Timeout"].as_u64(),
                j["ipv6Timeout"].as_u64(),
                j["trustedOnAllInterfaces"].as_bool()
            ),
            (Some(60), Some(60), Some(false))
        );
        let body = json!({"kind": "object#DHCPRelayGlobalSettings", "ipv4Timeout": 90, "ipv6Timeout": 60, "trustedOnAllInterfaces": true});
        let n = relay_global_from_json(&body, &d).unwrap();
        assert_eq!(
            relay_global_cli(&d, &n),
            ["dhcprelay timeout 90", "dhcprelay information trust-all"]
        );
        let back = read("dhcprelay timeout 90\ndhcprelay information trust-all\n");
        assert_eq!(relay_global_json(&back, "x"), relay_global_json(&n, "x"));
        assert!(relay_global_from_json(&json!({"ipv4Timeout": 0}), &d).is_err());
        assert!(relay_global_from_json(&json!({"ipv4Timeout": 3601}), &d).is_err());
    }

    #[test]
    fn global_lines_are_every_interfaces_default() {
        let d = read(
            "dhcpd dns 192.0.2.53\ndhcpd lease 7200\ndhcpd address 10.0.0.10-10.0.0.20 inside\ndhcpd enable inside\ndhcpd lease 600 interface inside\n",
        );
        let j = server_json(&d, "inside", None, "x");
        assert_eq!(j["dnsIP1"], "192.0.2.53");
        assert_eq!(j["leaseLengthInSec"], "600");
        assert_eq!(j["enabled"], true);
        let other = server_json(&d, "outside", None, "x");
        assert_eq!(other["leaseLengthInSec"], "7200");
        assert_eq!(other["enabled"], false);
        assert_eq!(other["poolStartIP"], "");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_lines_never_panic(s in "(dhcpd|dhcprelay)( [a-z0-9._-]{0,12}){0,6}") {
            let mut d = Dhcp::default();
            d.absorb(&s);
        }
    }
}
