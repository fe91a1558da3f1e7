//! Extended access-list entries: typed AST, canonical printer, tokenising parser and the
//! 32-bit rule hash that `show access-list` prints and the REST API uses as `objectId`.
//!
//! ASA syntax (configuration mode):
//! ```text
//! access-list <acl> [line <n>] extended {permit|deny} <protocol> <src> [<src-port>] <dst> [<dst-port>|<icmp-type> [<code>]]
//!             [log [<level>] [interval <secs>] | log disable | log default] [time-range <name>] [inactive]
//! access-list <acl> [line <n>] remark <text>
//! <protocol> = ip|tcp|udp|icmp|icmp6|esp|ah|gre|...|0-255 | object <svc> | object-group <grp>
//! <src>,<dst> = any|any4|any6 | host <ip> | <ip> <mask> | <ipv6>/<len> | object <n> | object-group <n> | interface <nameif>
//! <port> = eq|neq|lt|gt <p> | range <p> <p> | object-group <n>
//! ```
//! Printing is canonical (`Display`), and `parse_entry(&e.to_string()) == Ok(e)`.

use std::fmt::{self, Write as _};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use compact_str::CompactString;
use sha2::{Digest, Sha256};

use crate::ast::Severity;
use crate::words::{WordError, Words};

/// Longest remark the ASA accepts.
pub const MAX_REMARK: usize = 100;
/// Longest access-list name the ASA accepts.
pub const MAX_ACL_NAME: usize = 241;
/// The interval `log` uses when none is given.
pub const DEFAULT_LOG_INTERVAL: u32 = 300;

/// IP protocols an ACE names by keyword, sorted.
pub const PROTOCOL_NAMES: &[&str] = &[
    "ah", "eigrp", "esp", "gre", "icmp", "icmp6", "igmp", "igrp", "ip", "ipinip", "ipsec", "nos",
    "ospf", "pcp", "pim", "pptp", "sctp", "snp", "tcp", "udp",
];

/// TCP/UDP port names the ASA knows, sorted.
pub const PORT_NAMES: &[&str] = &[
    "aol",
    "bgp",
    "biff",
    "bootpc",
    "bootps",
    "chargen",
    "cifs",
    "citrix-ica",
    "cmd",
    "ctiqbe",
    "daytime",
    "discard",
    "dnsix",
    "domain",
    "echo",
    "exec",
    "finger",
    "ftp",
    "ftp-data",
    "gopher",
    "h323",
    "hostname",
    "http",
    "https",
    "ident",
    "imap4",
    "irc",
    "isakmp",
    "kerberos",
    "klogin",
    "kshell",
    "ldap",
    "ldaps",
    "login",
    "lotusnotes",
    "lpd",
    "mobile-ip",
    "nameserver",
    "netbios-dgm",
    "netbios-ns",
    "netbios-ssn",
    "nfs",
    "nntp",
    "ntp",
    "pcanywhere-data",
    "pcanywhere-status",
    "pim-auto-rp",
    "pop2",
    "pop3",
    "pptp",
    "radius",
    "radius-acct",
    "rip",
    "rsh",
    "rtsp",
    "secureid-udp",
    "sip",
    "smtp",
    "snmp",
    "snmptrap",
    "sqlnet",
    "ssh",
    "sunrpc",
    "syslog",
    "tacacs",
    "talk",
    "telnet",
    "tftp",
    "time",
    "uucp",
    "vxlan",
    "who",
    "whois",
    "www",
    "xdmcp",
];

/// ICMP and ICMPv6 message type names, sorted.
pub const ICMP_NAMES: &[&str] = &[
    "alternate-address",
    "conversion-error",
    "echo",
    "echo-reply",
    "information-reply",
    "information-request",
    "mask-reply",
    "mask-request",
    "membership-query",
    "membership-reduction",
    "membership-report",
    "mobile-redirect",
    "neighbor-advertisement",
    "neighbor-redirect",
    "neighbor-solicitation",
    "packet-too-big",
    "parameter-problem",
    "redirect",
    "router-advertisement",
    "router-renumbering",
    "router-solicitation",
    "source-quench",
    "time-exceeded",
    "timestamp-reply",
    "timestamp-request",
    "traceroute",
    "unreachable",
];

/// One extended entry (without its list name, line number and remarks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ace {
    pub permit: bool,
    pub protocol: Protocol,
    pub source: Endpoint,
    /// Boxed: rare, and inline it made every entry 48 bytes larger (issue 13: memory).
    pub source_port: Option<Box<PortMatch>>,
    pub destination: Endpoint,
    pub destination_service: Option<DestService>,
    pub log: Option<LogSpec>,
    pub time_range: Option<CompactString>,
    pub inactive: bool,
}

/// What the protocol slot names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    /// A keyword from [`PROTOCOL_NAMES`] or a number 0-255, as written.
    Named(CompactString),
    /// `object <service-object>`
    Object(CompactString),
    /// `object-group <service-or-protocol-group>`
    Group(CompactString),
}

/// A source or destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Any,
    Any4,
    Any6,
    Host(IpAddr),
    Net4 { network: Ipv4Addr, mask: Ipv4Addr },
    Net6 { network: Ipv6Addr, prefix: u8 },
    Object(CompactString),
    Group(CompactString),
    Interface(CompactString),
}

/// A port condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortMatch {
    Eq(CompactString),
    Neq(CompactString),
    Lt(CompactString),
    Gt(CompactString),
    Range(CompactString, CompactString),
    Group(CompactString),
}

/// What follows the destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DestService {
    Port(PortMatch),
    /// `<icmp-type> [<code>]` (icmp and icmp6 only)
    Icmp {
        kind: CompactString,
        code: Option<u8>,
    },
}

/// The `log` options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogSpec {
    /// `log [<level>] [interval <secs>]`
    On {
        level: Option<Severity>,
        interval: Option<u32>,
    },
    /// `log disable`
    Disable,
    /// `log default`
    Default,
}

/// One parsed `access-list <acl> ...` configuration line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclLine {
    pub acl: String,
    /// `line <n>` when given (1-based, counting remarks).
    pub line: Option<u32>,
    pub body: AclBody,
}

/// The size difference is harmless: a body lives only while one line is read.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AclBody {
    Remark(String),
    Extended(Ace),
    Standard(super::standard::StandardAce),
}

// ===== printing =====

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protocol::Named(p) => f.write_str(p),
            Protocol::Object(n) => write!(f, "object {n}"),
            Protocol::Group(n) => write!(f, "object-group {n}"),
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Any => f.write_str("any"),
            Endpoint::Any4 => f.write_str("any4"),
            Endpoint::Any6 => f.write_str("any6"),
            Endpoint::Host(ip) => write!(f, "host {ip}"),
            Endpoint::Net4 { network, mask } => write!(f, "{network} {mask}"),
            Endpoint::Net6 { network, prefix } => write!(f, "{network}/{prefix}"),
            Endpoint::Object(n) => write!(f, "object {n}"),
            Endpoint::Group(n) => write!(f, "object-group {n}"),
            Endpoint::Interface(n) => write!(f, "interface {n}"),
        }
    }
}

impl fmt::Display for PortMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortMatch::Eq(p) => write!(f, "eq {p}"),
            PortMatch::Neq(p) => write!(f, "neq {p}"),
            PortMatch::Lt(p) => write!(f, "lt {p}"),
            PortMatch::Gt(p) => write!(f, "gt {p}"),
            PortMatch::Range(a, b) => write!(f, "range {a} {b}"),
            PortMatch::Group(n) => write!(f, "object-group {n}"),
        }
    }
}

impl fmt::Display for DestService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DestService::Port(p) => p.fmt(f),
            DestService::Icmp { kind, code: None } => f.write_str(kind),
            DestService::Icmp {
                kind,
                code: Some(c),
            } => write!(f, "{kind} {c}"),
        }
    }
}

impl fmt::Display for LogSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogSpec::Disable => f.write_str("log disable"),
            LogSpec::Default => f.write_str("log default"),
            LogSpec::On { level, interval } => {
                f.write_str("log")?;
                if let Some(l) = level {
                    write!(f, " {}", l.name())?;
                }
                if let Some(i) = interval {
                    write!(f, " interval {i}")?;
                }
                Ok(())
            }
        }
    }
}

/// `extended permit tcp any host 10.0.0.1 eq https log time-range t inactive`
impl fmt::Display for Ace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "extended {}", self.rule())
    }
}

impl Ace {
    /// The canonical text after `extended ` (`permit tcp any host 10.0.0.1 eq https`): what
    /// the snapshot stores of an entry, and what [`parse_ace`] reads back.
    pub fn rule(&self) -> Rule<'_> {
        Rule(self)
    }
}

/// [`Ace::rule`]: the `Display` of an entry without its `extended ` keyword.
#[derive(Debug, Clone, Copy)]
pub struct Rule<'a>(&'a Ace);

impl fmt::Display for Rule<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ace = self.0;
        let action = if ace.permit { "permit" } else { "deny" };
        write!(f, "{action} {} {}", ace.protocol, ace.source)?;
        if let Some(p) = &ace.source_port {
            write!(f, " {p}")?;
        }
        write!(f, " {}", ace.destination)?;
        if let Some(d) = &ace.destination_service {
            write!(f, " {d}")?;
        }
        if let Some(l) = &ace.log {
            write!(f, " {l}")?;
        }
        if let Some(t) = &ace.time_range {
            write!(f, " time-range {t}")?;
        }
        if ace.inactive {
            f.write_str(" inactive")?;
        }
        Ok(())
    }
}

impl fmt::Display for AclLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "access-list {}", self.acl)?;
        if let Some(n) = self.line {
            write!(f, " line {n}")?;
        }
        match &self.body {
            AclBody::Remark(r) => write!(f, " remark {r}"),
            AclBody::Extended(ace) => write!(f, " {ace}"),
            AclBody::Standard(ace) => write!(f, " {ace}"),
        }
    }
}

/// The canonical configuration line of `ace` in list `acl` (no line number).
pub fn ace_line(acl: &str, ace: &Ace) -> String {
    format!("access-list {acl} {ace}")
}

/// The rule hash: the first four bytes (big-endian) of SHA-256 over the canonical line.
/// `show access-list` prints it as `0x%08x`; the REST API's `objectId` is its decimal form.
pub fn rule_hash(acl: &str, ace: &Ace) -> u32 {
    line_hash(acl, ace.rule())
}

/// [`rule_hash`] of an entry given by its rule text ([`Ace::rule`]): the same line, hashed
/// without the entry being parsed.
pub fn rule_hash_of_text(acl: &str, rule: &str) -> u32 {
    line_hash(acl, rule)
}

/// The rule hash of the line `access-list <acl> extended <rule>`; the printer writes
/// straight into the hash: no line is allocated.
fn line_hash(acl: &str, rule: impl fmt::Display) -> u32 {
    let mut hasher = HashWriter(Sha256::new());
    let _ = write!(hasher, "access-list {acl} extended {rule}");
    first_four(&hasher.0.finalize())
}

/// The first four bytes of a digest, big-endian.
fn first_four(digest: &[u8]) -> u32 {
    match digest {
        [a, b, c, d, ..] => u32::from_be_bytes([*a, *b, *c, *d]),
        _ => 0,
    }
}

/// Feeds formatted text to SHA-256.
struct HashWriter(Sha256);

impl fmt::Write for HashWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// The hash `show access-list` prints for a list name.
pub fn name_hash(acl: &str) -> u32 {
    first_four(&Sha256::digest(acl.as_bytes()))
}

// ===== parsing =====

/// Whether `s` is a valid access-list name (letters, digits, punctuation; no white space).
pub fn is_acl_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ACL_NAME
        && s.chars().all(|c| c.is_ascii_graphic())
        && !matches!(
            s,
            "line" | "extended" | "remark" | "standard" | "webtype" | "ethertype"
        )
}

/// Whether `s` can be a remark.
pub fn is_remark(s: &str) -> bool {
    !s.trim().is_empty() && s.len() <= MAX_REMARK && !s.chars().any(char::is_control)
}

pub fn is_port(p: &str) -> bool {
    p.parse::<u16>().is_ok() || PORT_NAMES.binary_search(&p).is_ok()
}

pub fn is_protocol(p: &str) -> bool {
    p.parse::<u8>().is_ok() || PROTOCOL_NAMES.binary_search(&p).is_ok()
}

pub fn is_icmp_type(t: &str) -> bool {
    t.parse::<u8>().is_ok() || ICMP_NAMES.binary_search(&t).is_ok()
}

/// Names as configurations hold them: the device accepted them, so reading is lenient
/// (`object Host` loads; the API's stricter check applies to what clients send).
fn is_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 2 * MAX_NAME && s.chars().all(|c| c.is_ascii_graphic())
}

const MAX_NAME: usize = crate::validate::MAX_OBJECT_NAME;

/// Parses one `access-list ...` line (extended entries and remarks).
pub fn parse_acl_line(line: &str) -> Result<AclLine, WordError> {
    let line = line.trim();
    let rest = line
        .strip_prefix("access-list ")
        .ok_or(WordError::Foreign)?;
    let mut c = Words::new(line);
    c.skip();
    let acl = c.word()?;
    if !is_acl_name(acl) {
        return Err(c.bad());
    }
    let mut number = None;
    if c.eat_exact("line") {
        let n = c
            .word()?
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| c.bad())?;
        number = Some(n);
    }
    let body = match c.word()? {
        "remark" => {
            // The remark keeps its inner spacing: cut the text after the keyword.
            let after = remark_text(rest).ok_or(WordError::Incomplete)?;
            if !is_remark(after) {
                return Err(c.bad_next());
            }
            AclBody::Remark(after.to_owned())
        }
        "extended" => AclBody::Extended(parse_ace_words(&mut c)?),
        "standard" => AclBody::Standard(super::standard::parse_standard(&mut c)?),
        "webtype" | "ethertype" | "ethernet" => return Err(WordError::NotModelled),
        _ => return Err(c.bad()),
    };
    Ok(AclLine {
        acl: acl.to_owned(),
        line: number,
        body,
    })
}

/// The text after the `remark` keyword (trimmed at the end only).
fn remark_text(rest: &str) -> Option<&str> {
    let i = rest.find(" remark ")?;
    let text = rest.get(i + " remark ".len()..)?.trim_end();
    let text = text.trim_start();
    (!text.is_empty()).then_some(text)
}

/// Parses the part after `extended` (`permit tcp any any ...`).
pub fn parse_ace(text: &str) -> Result<Ace, WordError> {
    let mut c = Words::new(text);
    c.eat_exact("extended");
    parse_ace_words(&mut c)
}

/// The next word as a name.
fn name(c: &mut Words<'_>) -> Result<CompactString, WordError> {
    let w = c.word()?;
    if is_name(w) {
        Ok(w.into())
    } else {
        Err(c.bad())
    }
}

/// The next word as a port.
fn port(c: &mut Words<'_>) -> Result<CompactString, WordError> {
    let w = c.word()?;
    if is_port(w) {
        Ok(w.into())
    } else {
        Err(c.bad())
    }
}

/// Parses the entry from the cursor's word on, to the end of the line.
fn parse_ace_words(c: &mut Words<'_>) -> Result<Ace, WordError> {
    let permit = match c.word()? {
        "permit" => true,
        "deny" => false,
        _ => return Err(c.bad()),
    };
    let protocol = match c.word()? {
        "object" => Protocol::Object(name(c)?),
        "object-group" => Protocol::Group(name(c)?),
        p if is_protocol(p) => Protocol::Named(p.into()),
        _ => return Err(c.bad()),
    };
    // A protocol group may hold tcp and udp: ports may follow it too.
    let ports = match &protocol {
        Protocol::Named(p) => p == "tcp" || p == "udp" || p == "sctp",
        Protocol::Group(_) => true,
        Protocol::Object(_) => false,
    };
    let icmp = matches!(&protocol, Protocol::Named(p) if p == "icmp" || p == "icmp6");
    let source = endpoint(c)?;
    let source_port = if ports {
        port_operator(c, false)?
    } else {
        None
    };
    let destination = endpoint(c)?;
    let destination_service = if ports {
        port_operator(c, true)?.map(DestService::Port)
    } else if icmp {
        icmp_type(c)?
    } else {
        None
    };
    let mut ace = Ace {
        permit,
        protocol,
        source,
        source_port: source_port.map(Box::new),
        destination,
        destination_service,
        log: None,
        time_range: None,
        inactive: false,
    };
    while let Some(w) = c.peek() {
        c.skip();
        match w {
            "log" if ace.log.is_none() => ace.log = Some(log_spec(c)?),
            "time-range" if ace.time_range.is_none() => ace.time_range = Some(name(c)?),
            "inactive" if !ace.inactive => ace.inactive = true,
            _ => return Err(c.bad()),
        }
    }
    Ok(ace)
}

fn endpoint(c: &mut Words<'_>) -> Result<Endpoint, WordError> {
    let w = c.word()?;
    Ok(match w {
        "any" => Endpoint::Any,
        "any4" => Endpoint::Any4,
        "any6" => Endpoint::Any6,
        "host" => {
            let ip = c.word()?.parse::<IpAddr>().map_err(|_| c.bad())?;
            Endpoint::Host(ip)
        }
        "object" => Endpoint::Object(name(c)?),
        "object-group" => Endpoint::Group(name(c)?),
        "interface" => {
            let n = c.word()?;
            if !crate::parse::is_nameif(n) {
                return Err(c.bad());
            }
            Endpoint::Interface(n.into())
        }
        w => {
            if let Some((ip, len)) = w.split_once('/') {
                let network = ip.parse::<Ipv6Addr>().map_err(|_| c.bad())?;
                let prefix = len
                    .parse::<u8>()
                    .ok()
                    .filter(|p| *p <= 128)
                    .ok_or_else(|| c.bad())?;
                Endpoint::Net6 { network, prefix }
            } else {
                let network = w.parse::<Ipv4Addr>().map_err(|_| c.bad())?;
                // Masks need not be contiguous in an access list (wildcard-style masks load).
                let mask = c.word()?.parse::<Ipv4Addr>().map_err(|_| c.bad())?;
                Endpoint::Net4 { network, mask }
            }
        }
    })
}

/// `eq|neq|lt|gt <p>`, `range <p> <p>`, or (destination only) `object-group <n>`.
fn port_operator(c: &mut Words<'_>, destination: bool) -> Result<Option<PortMatch>, WordError> {
    let Some(w) = c.peek() else {
        return Ok(None);
    };
    let op = match w {
        "eq" | "neq" | "lt" | "gt" | "range" => w,
        "object-group" if destination => w,
        _ => return Ok(None),
    };
    c.skip();
    Ok(Some(match op {
        "eq" => PortMatch::Eq(port(c)?),
        "neq" => PortMatch::Neq(port(c)?),
        "lt" => PortMatch::Lt(port(c)?),
        "gt" => PortMatch::Gt(port(c)?),
        "range" => PortMatch::Range(port(c)?, port(c)?),
        _ => PortMatch::Group(name(c)?),
    }))
}

fn icmp_type(c: &mut Words<'_>) -> Result<Option<DestService>, WordError> {
    let Some(w) = c.peek() else {
        return Ok(None);
    };
    if w == "object-group" {
        c.skip();
        return Ok(Some(DestService::Port(PortMatch::Group(name(c)?))));
    }
    if !is_icmp_type(w) {
        return Ok(None);
    }
    c.skip();
    let code = match c.peek().map(str::parse::<u8>) {
        Some(Ok(code)) => {
            c.skip();
            Some(code)
        }
        _ => None,
    };
    Ok(Some(DestService::Icmp {
        kind: w.into(),
        code,
    }))
}

fn log_spec(c: &mut Words<'_>) -> Result<LogSpec, WordError> {
    match c.peek() {
        Some("disable") => {
            c.skip();
            return Ok(LogSpec::Disable);
        }
        Some("default") => {
            c.skip();
            return Ok(LogSpec::Default);
        }
        _ => {}
    }
    let mut level = None;
    if let Some(w) = c.peek()
        && w != "interval"
        && let Ok(l) = w.parse::<Severity>()
    {
        c.skip();
        level = Some(l);
    }
    let mut interval = None;
    if c.peek() == Some("interval") {
        c.skip();
        let n = c
            .word()?
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=600).contains(n))
            .ok_or_else(|| c.bad())?;
        interval = Some(n);
    }
    Ok(LogSpec::On { level, interval })
}

/// Names an ACE refers to, with the REST attribute that carries each.
pub fn references(ace: &Ace) -> Vec<Reference<'_>> {
    let mut refs = Vec::new();
    for (e, attribute) in [
        (&ace.source, "sourceAddress"),
        (&ace.destination, "destinationAddress"),
    ] {
        match e {
            Endpoint::Object(n) => refs.push(Reference {
                attribute,
                what: RefKind::NetworkObject,
                name: n,
            }),
            Endpoint::Group(n) => refs.push(Reference {
                attribute,
                what: RefKind::Group,
                name: n,
            }),
            _ => {}
        }
    }
    match &ace.protocol {
        Protocol::Object(n) => refs.push(Reference {
            attribute: "destinationService",
            what: RefKind::ServiceObject,
            name: n,
        }),
        Protocol::Group(n) => refs.push(Reference {
            attribute: "destinationService",
            what: RefKind::Group,
            name: n,
        }),
        Protocol::Named(_) => {}
    }
    if let Some(PortMatch::Group(n)) = ace.source_port.as_deref() {
        refs.push(Reference {
            attribute: "sourceService",
            what: RefKind::Group,
            name: n,
        });
    }
    if let Some(DestService::Port(PortMatch::Group(n))) = &ace.destination_service {
        refs.push(Reference {
            attribute: "destinationService",
            what: RefKind::Group,
            name: n,
        });
    }
    if let Some(t) = &ace.time_range {
        refs.push(Reference {
            attribute: "timeRange",
            what: RefKind::TimeRange,
            name: t,
        });
    }
    refs
}

/// A name an ACE depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference<'a> {
    pub attribute: &'static str,
    pub what: RefKind,
    pub name: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `object network`
    NetworkObject,
    /// `object service`
    ServiceObject,
    /// any `object-group`
    Group,
    /// `time-range`
    TimeRange,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ace(text: &str) -> Ace {
        parse_ace(text).unwrap()
    }

    #[test]
    fn name_lists_are_sorted_for_binary_search() {
        for list in [PROTOCOL_NAMES, PORT_NAMES, ICMP_NAMES] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn parses_a_full_entry_and_prints_it_back() {
        let text = "extended permit tcp object-group src host 10.0.0.1 eq https log warnings interval 60 time-range work inactive";
        let a = ace(text);
        assert!(a.permit);
        assert_eq!(a.protocol, Protocol::Named("tcp".into()));
        assert_eq!(a.source, Endpoint::Group("src".into()));
        assert_eq!(
            a.destination_service,
            Some(DestService::Port(PortMatch::Eq("https".into())))
        );
        assert_eq!(
            a.log,
            Some(LogSpec::On {
                level: Some(Severity::Warnings),
                interval: Some(60)
            })
        );
        assert_eq!(a.time_range.as_deref(), Some("work"));
        assert!(a.inactive);
        assert_eq!(a.to_string(), text);
    }

    #[test]
    fn parses_networks_ports_and_icmp() {
        let a = ace("deny udp 10.0.0.0 255.0.0.0 range 1000 2000 2001:db8::/32 neq domain");
        assert_eq!(
            a.source_port,
            Some(Box::new(PortMatch::Range("1000".into(), "2000".into())))
        );
        assert_eq!(
            a.destination,
            Endpoint::Net6 {
                network: "2001:db8::".parse().unwrap(),
                prefix: 32
            }
        );
        let i = ace("permit icmp any4 any4 echo-reply 4 log");
        assert_eq!(
            i.destination_service,
            Some(DestService::Icmp {
                kind: "echo-reply".into(),
                code: Some(4)
            })
        );
        assert_eq!(
            i.log,
            Some(LogSpec::On {
                level: None,
                interval: None
            })
        );
        let g = ace("permit object-group tcpudp object-group nets host 10.0.0.1 range 20 22");
        assert_eq!(
            g.destination_service,
            Some(DestService::Port(PortMatch::Range(
                "20".into(),
                "22".into()
            )))
        );
        let s = ace("permit object svc object a object-group b log disable");
        assert_eq!(s.protocol, Protocol::Object("svc".into()));
        assert_eq!(s.log, Some(LogSpec::Disable));
    }

    #[test]
    fn rejects_bad_words_with_their_index() {
        assert_eq!(parse_ace("permit tcp any"), Err(WordError::Incomplete));
        assert_eq!(parse_ace("allow ip any any").unwrap_err().word(), Some(0));
        assert_eq!(
            parse_ace("permit tcp any any eq notaport")
                .unwrap_err()
                .word(),
            Some(5)
        );
        assert_eq!(
            parse_ace("permit ip 10.0.0.0 any any").unwrap_err().word(),
            Some(3)
        );
        assert_eq!(
            parse_ace("permit ip any any inactive inactive")
                .unwrap_err()
                .word(),
            Some(5)
        );
    }

    #[test]
    fn reads_full_lines_remarks_and_line_numbers() {
        let l = parse_acl_line("access-list out line 3 remark  allow  web ").unwrap();
        assert_eq!(l.acl, "out");
        assert_eq!(l.line, Some(3));
        assert_eq!(l.body, AclBody::Remark("allow  web".into()));
        assert_eq!(
            parse_acl_line("access-list web webtype permit url any"),
            Err(WordError::NotModelled)
        );
        assert_eq!(
            parse_acl_line("access-list a line 0 extended permit ip any any")
                .unwrap_err()
                .word(),
            Some(3)
        );
        let e = parse_acl_line("access-list a extended permit ip any any").unwrap();
        assert_eq!(e.to_string(), "access-list a extended permit ip any any");
    }

    #[test]
    fn hash_depends_on_list_and_rule() {
        let a = ace("permit ip any any");
        let b = ace("deny ip any any");
        assert_ne!(rule_hash("x", &a), rule_hash("x", &b));
        assert_ne!(rule_hash("x", &a), rule_hash("y", &a));
        assert_eq!(rule_hash("x", &a), rule_hash("x", &a.clone()));
        let digest = Sha256::digest(ace_line("x", &a).as_bytes());
        let expected = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
        assert_eq!(
            rule_hash("x", &a),
            expected,
            "the hash is over the canonical line"
        );
    }

    #[test]
    fn lists_references_with_their_attributes() {
        let a = ace("permit object-group svc object a object-group b time-range t");
        let refs: Vec<(&str, &str)> = references(&a)
            .iter()
            .map(|r| (r.attribute, r.name))
            .collect();
        assert_eq!(
            refs,
            [
                ("sourceAddress", "a"),
                ("destinationAddress", "b"),
                ("destinationService", "svc"),
                ("timeRange", "t")
            ]
        );
    }

    pub fn arb_ace() -> impl Strategy<Value = Ace> {
        crate::acl::strategies::ace()
    }

    proptest! {
        #[test]
        fn print_then_parse_is_identity(a in arb_ace(), name in "[A-Za-z][A-Za-z0-9_-]{0,20}") {
            let line = AclLine { acl: name, line: None, body: AclBody::Extended(a) };
            prop_assert_eq!(parse_acl_line(&line.to_string()), Ok(line));
        }

        /// What the snapshot stores of an entry (`AclEntry`) reads back as the entry, and
        /// hashes as it.
        #[test]
        fn the_rule_text_reads_back_and_hashes_as_the_entry(a in arb_ace(), name in "[A-Za-z][A-Za-z0-9_-]{0,20}") {
            let rule = a.rule().to_string();
            prop_assert_eq!(format!("extended {rule}"), a.to_string());
            prop_assert!(!rule.contains('\n'));
            prop_assert_eq!(rule_hash_of_text(&name, &rule), rule_hash(&name, &a));
            prop_assert_eq!(parse_ace(&rule), Ok(a));
        }

        #[test]
        fn arbitrary_lines_never_panic(s in "(access-list a |extended |permit |tcp |any |host |eq |log |line |remark |\\PC{0,12}){0,12}") {
            let _ = parse_acl_line(&s);
            let _ = parse_ace(&s);
        }
    }
}
