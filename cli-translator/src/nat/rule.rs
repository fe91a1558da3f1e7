//! NAT rules: typed AST, canonical printer, tokenising parser and the 32-bit rule hash the
//! REST API uses as `objectId`.
//!
//! ASA syntax (configuration mode):
//! ```text
//! twice (manual) NAT, a top-level line, section 1 or (after-auto) section 3:
//! nat [(<real-if>,<mapped-if>)] [<line> | after-auto [<line>]] source {static|dynamic} {<real>|any} <mapped>
//!     [destination static {<mapped-dst>|interface [ipv6]} <real-dst>] [service <real-svc> <mapped-svc>]
//!     [net-to-net] [dns] [unidirectional] [no-proxy-arp] [route-lookup] [inactive] [description <text>]
//! object (auto) NAT, inside `object network <name>`, section 2:
//! nat [(<real-if>,<mapped-if>)] {static|dynamic} <mapped> [net-to-net] [dns]
//!     [service {tcp|udp|sctp} <real-port> <mapped-port>] [no-proxy-arp] [route-lookup]
//! <mapped> = any | <object-or-group> [interface [ipv6]] | <inline-ip> [interface [ipv6]] | interface [ipv6]
//!          | pat-pool <object-or-group> [round-robin] [extended] [flat [include-reserve]] [block-allocation] [interface [ipv6]]
//!          | pat-pool interface [round-robin] [flat [include-reserve]] [block-allocation]
//! ```
//! `pat-pool interface` (dynamic only) is a PAT pool of the mapped interface's own address (what
//! FMC/CDO call "PAT pool: destination interface IP"); `show nat` prints it as such. It takes no
//! `extended` and no interface fallback (the ASA refuses extended PAT with interface PAT).
//! Options are read in any order and printed in the order above. Printing is canonical
//! (`parse(print(x)) == x`). A name is an object or an object group: the line does not say
//! which (the JSON layer asks the configuration).

use compact_str::CompactString;
use std::fmt::{self, Write as _};
use std::net::{IpAddr, Ipv6Addr};

use sha2::{Digest, Sha256};

use crate::words::{WordError, Words};

/// Longest NAT `description` the ASA accepts.
pub const MAX_DESCRIPTION: usize = 200;

/// Which list a rule belongs to, in the ASA's evaluation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// Manual NAT before object NAT (section 1): `/api/nat/before`.
    Before,
    /// Object NAT (section 2): `/api/nat/auto`.
    Auto,
    /// Manual NAT after object NAT (section 3, `after-auto`): `/api/nat/after`.
    After,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Before, Section::Auto, Section::After];

    /// The URL segment: `before`, `auto`, `after`.
    pub fn segment(self) -> &'static str {
        match self {
            Section::Before => "before",
            Section::Auto => "auto",
            Section::After => "after",
        }
    }

    pub fn from_segment(s: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|x| x.segment() == s)
    }

    /// The number `show nat` prints.
    pub fn number(self) -> u8 {
        match self {
            Section::Before => 1,
            Section::Auto => 2,
            Section::After => 3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Static,
    Dynamic,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Static => "static",
            Mode::Dynamic => "dynamic",
        }
    }
}

/// An address slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addr {
    /// `any`
    Any,
    /// A network object or network object group.
    Name(CompactString),
    /// `interface [ipv6]` (mapped slots only): the interface's own address.
    Interface { ipv6: bool },
    /// An in-line host address (object NAT's mapped address only).
    Host(IpAddr),
    /// An in-line IPv6 network (object NAT's mapped address only): `2001:db8::/64`.
    Net6 { network: Ipv6Addr, prefix: u8 },
}

/// PAT pool options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatOptions {
    pub round_robin: bool,
    pub extended: bool,
    pub flat: bool,
    pub include_reserve: bool,
    pub block_allocation: bool,
}

/// The translated source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappedAddr {
    Addr(Addr),
    /// `pat-pool <object-or-group> [options]`
    PatPool {
        pool: String,
        options: PatOptions,
    },
    /// `pat-pool interface [options]`: the mapped interface's address as the PAT pool
    /// (never `extended`, never with a fallback).
    InterfacePatPool {
        options: PatOptions,
    },
}

impl MappedAddr {
    /// The PAT pool options, when this is a PAT pool (named or the interface).
    pub fn pat_options(&self) -> Option<&PatOptions> {
        match self {
            MappedAddr::PatPool { options, .. } | MappedAddr::InterfacePatPool { options } => {
                Some(options)
            }
            MappedAddr::Addr(_) => None,
        }
    }
}

/// The translated source, with the interface fallback of dynamic PAT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    pub addr: MappedAddr,
    /// `interface [ipv6]` after an address or PAT pool: `Some(ipv6)`.
    pub fallback: Option<bool>,
}

/// `destination static <mapped> <real>` (twice NAT only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub mapped: Addr,
    pub real: Addr,
}

/// A service slot of twice NAT: `any` or a service object or group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SvcRef {
    Any,
    Name(String),
}

/// Port translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Service {
    /// Twice NAT: `service <real> <mapped>`.
    Objects { real: SvcRef, mapped: SvcRef },
    /// Object NAT: `service {tcp|udp|sctp} <real-port> <mapped-port>`.
    Ports {
        protocol: String,
        real: String,
        mapped: String,
    },
}

/// One NAT rule, without its section, line number or (object NAT) object name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NatRule {
    /// `(real,mapped)`; `None` when the line names no interfaces (both `any`).
    pub interfaces: Option<(CompactString, CompactString)>,
    pub mode: Mode,
    /// Twice NAT: the real source. Object NAT: `None` (the object itself).
    pub real_source: Option<Addr>,
    pub mapped_source: Mapped,
    /// Boxed, as [`Self::service`]: rare, and inline they made every rule 120 bytes larger
    /// (issue 13: memory).
    pub destination: Option<Box<Destination>>,
    pub service: Option<Box<Service>>,
    pub net_to_net: bool,
    pub dns: bool,
    pub unidirectional: bool,
    pub no_proxy_arp: bool,
    pub route_lookup: bool,
    pub inactive: bool,
    pub description: Option<String>,
}

impl NatRule {
    /// Whether this is a twice (manual) rule rather than an object rule.
    pub fn is_twice(&self) -> bool {
        self.real_source.is_some()
    }

    /// The real and mapped interface names (`any` when unset).
    pub fn interface_names(&self) -> (&str, &str) {
        match &self.interfaces {
            Some((r, m)) => (r.as_str(), m.as_str()),
            None => ("any", "any"),
        }
    }

    /// Network object or group names the rule uses, in line order.
    pub fn network_names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        if let Some(Addr::Name(n)) = &self.real_source {
            out.push(n.as_str());
        }
        match &self.mapped_source.addr {
            MappedAddr::Addr(Addr::Name(n)) => out.push(n.as_str()),
            MappedAddr::PatPool { pool, .. } => out.push(pool.as_str()),
            MappedAddr::Addr(_) | MappedAddr::InterfacePatPool { .. } => {}
        }
        if let Some(d) = &self.destination {
            for a in [&d.mapped, &d.real] {
                if let Addr::Name(n) = a {
                    out.push(n.as_str());
                }
            }
        }
        out
    }

    /// Service object or group names the rule uses.
    pub fn service_names(&self) -> Vec<&str> {
        match self.service.as_deref() {
            Some(Service::Objects { real, mapped }) => [real, mapped]
                .into_iter()
                .filter_map(|s| match s {
                    SvcRef::Name(n) => Some(n.as_str()),
                    SvcRef::Any => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

// ===== printing =====

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Addr::Any => f.write_str("any"),
            Addr::Name(n) => f.write_str(n),
            Addr::Interface { ipv6: false } => f.write_str("interface"),
            Addr::Interface { ipv6: true } => f.write_str("interface ipv6"),
            Addr::Host(ip) => write!(f, "{ip}"),
            Addr::Net6 { network, prefix } => write!(f, "{network}/{prefix}"),
        }
    }
}

impl fmt::Display for PatOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (on, word) in [
            (self.round_robin, " round-robin"),
            (self.extended, " extended"),
            (self.flat, " flat"),
            (self.include_reserve, " include-reserve"),
            (self.block_allocation, " block-allocation"),
        ] {
            if on {
                f.write_str(word)?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Mapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.addr {
            MappedAddr::Addr(a) => write!(f, "{a}")?,
            MappedAddr::PatPool { pool, options } => write!(f, "pat-pool {pool}{options}")?,
            MappedAddr::InterfacePatPool { options } => write!(f, "pat-pool interface{options}")?,
        }
        match self.fallback {
            Some(false) => f.write_str(" interface"),
            Some(true) => f.write_str(" interface ipv6"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for SvcRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SvcRef::Any => f.write_str("any"),
            SvcRef::Name(n) => f.write_str(n),
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Service::Objects { real, mapped } => write!(f, "service {real} {mapped}"),
            Service::Ports {
                protocol,
                real,
                mapped,
            } => write!(f, "service {protocol} {real} {mapped}"),
        }
    }
}

/// The rule as a `nat` line, without section keyword or line number:
/// `nat (inside,outside) source static a b ...` or `nat (inside,outside) static 192.0.2.1 ...`.
impl fmt::Display for NatRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_rule(f, self, None, None)
    }
}

fn write_rule(
    f: &mut dyn fmt::Write,
    r: &NatRule,
    after: Option<bool>,
    line: Option<u32>,
) -> fmt::Result {
    f.write_str("nat")?;
    if let Some((real, mapped)) = &r.interfaces {
        write!(f, " ({real},{mapped})")?;
    }
    if after == Some(true) {
        f.write_str(" after-auto")?;
    }
    if let Some(n) = line {
        write!(f, " {n}")?;
    }
    match &r.real_source {
        Some(real) => {
            write!(f, " source {} {real} {}", r.mode.as_str(), r.mapped_source)?;
            if let Some(d) = &r.destination {
                write!(f, " destination static {} {}", d.mapped, d.real)?;
            }
            if let Some(s) = &r.service {
                write!(f, " {s}")?;
            }
            flag(f, r.net_to_net, "net-to-net")?;
            flag(f, r.dns, "dns")?;
        }
        None => {
            write!(f, " {} {}", r.mode.as_str(), r.mapped_source)?;
            flag(f, r.net_to_net, "net-to-net")?;
            flag(f, r.dns, "dns")?;
            if let Some(s) = &r.service {
                write!(f, " {s}")?;
            }
        }
    }
    flag(f, r.unidirectional, "unidirectional")?;
    flag(f, r.no_proxy_arp, "no-proxy-arp")?;
    flag(f, r.route_lookup, "route-lookup")?;
    flag(f, r.inactive, "inactive")?;
    if let Some(d) = &r.description {
        write!(f, " description {d}")?;
    }
    Ok(())
}

fn flag(f: &mut dyn fmt::Write, on: bool, word: &str) -> fmt::Result {
    if on {
        f.write_char(' ')?;
        f.write_str(word)?;
    }
    Ok(())
}

/// The configuration line of a twice rule in `section` (`Before` or `After`), optionally
/// inserted at 1-based `line` of its section.
pub fn twice_line(rule: &NatRule, section: Section, line: Option<u32>) -> String {
    let mut out = String::new();
    let _ = write_rule(&mut out, rule, Some(section == Section::After), line);
    out
}

/// The rule hash: the first four bytes (big-endian) of SHA-256 over the canonical text,
/// `nat (...) [after-auto] source ...` for a twice rule, `object network <name>` + newline +
/// ` nat (...) ...` for an object rule. The REST API's `objectId` is its decimal form.
pub fn rule_hash(section: Section, object: Option<&str>, rule: &NatRule) -> u32 {
    let mut hasher = HashWriter(Sha256::new());
    if let Some(name) = object {
        let _ = write!(hasher, "object network {name}\n ");
    }
    let _ = write_rule(&mut hasher, rule, Some(section == Section::After), None);
    let digest = hasher.0.finalize();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// Feeds formatted text to SHA-256.
struct HashWriter(Sha256);

impl fmt::Write for HashWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

// ===== parsing =====

/// One parsed top-level `nat` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NatLine {
    /// `Before`, or `After` for `after-auto`.
    pub section: Section,
    /// The 1-based line number given, if any.
    pub line: Option<u32>,
    pub rule: NatRule,
}

impl fmt::Display for NatLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_rule(
            f,
            &self.rule,
            Some(self.section == Section::After),
            self.line,
        )
    }
}

/// Whether `s` can be a NAT description.
pub fn is_description(s: &str) -> bool {
    crate::validate::check_line_text(s, MAX_DESCRIPTION).is_ok()
}

/// Words that end a name slot or cannot be names.
const KEYWORDS: &[&str] = &[
    "after-auto",
    "block-allocation",
    "description",
    "destination",
    "dns",
    "dynamic",
    "extended",
    "flat",
    "inactive",
    "include-reserve",
    "interface",
    "ipv6",
    "net-to-net",
    "no-proxy-arp",
    "pat-pool",
    "round-robin",
    "route-lookup",
    "service",
    "source",
    "static",
    "unidirectional",
];

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 2 * crate::validate::MAX_OBJECT_NAME
        && s.chars().all(|c| c.is_ascii_graphic())
        && KEYWORDS.binary_search(&s).is_err()
}

/// Whether a name can stand in a NAT line's name slot and read back as a name: not a NAT
/// keyword, not `any`, not an address, not a line number.
pub fn is_nat_name(s: &str) -> bool {
    is_name(s)
        && s != "any"
        && !s.starts_with('(')
        && inline(s).is_none()
        && !s.bytes().all(|b| b.is_ascii_digit())
}

/// The next word as a name.
fn name(c: &mut Words<'_>) -> Result<String, WordError> {
    let w = c.word()?;
    if is_name(w) {
        Ok(w.to_owned())
    } else {
        Err(c.bad())
    }
}

/// Parses a top-level `nat` line (twice NAT).
pub fn parse_nat_line(line: &str) -> Result<NatLine, WordError> {
    let mut c = Words::new(line.trim());
    if c.word().map_err(|_| WordError::Foreign)? != "nat" {
        return Err(WordError::Foreign);
    }
    let interfaces = interfaces(&mut c)?;
    let mut section = Section::Before;
    if c.eat_exact("after-auto") {
        section = Section::After;
    }
    let mut number = None;
    if let Some(w) = c.peek()
        && w.bytes().all(|b| b.is_ascii_digit())
    {
        c.skip();
        number = Some(
            w.parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| c.bad())?,
        );
    }
    match c.word()? {
        "source" => {}
        _ => return Err(c.bad()),
    }
    let mode = mode(&mut c)?;
    let real = match c.word()? {
        "any" => Addr::Any,
        w if is_name(w) => Addr::Name(w.to_owned().into()),
        _ => return Err(c.bad()),
    };
    let mapped = mapped(&mut c, mode, false)?;
    let mut rule = NatRule {
        interfaces: interfaces.map(|(a, b)| (a.into(), b.into())),
        mode,
        real_source: Some(real),
        mapped_source: mapped,
        destination: None,
        service: None,
        net_to_net: false,
        dns: false,
        unidirectional: false,
        no_proxy_arp: false,
        route_lookup: false,
        inactive: false,
        description: None,
    };
    options(&mut c, &mut rule)?;
    Ok(NatLine {
        section,
        line: number,
        rule,
    })
}

/// Parses the `nat` line of an object (the child of `object network <name>`).
pub fn parse_object_nat(line: &str) -> Result<NatRule, WordError> {
    let mut c = Words::new(line.trim());
    if c.word().map_err(|_| WordError::Foreign)? != "nat" {
        return Err(WordError::Foreign);
    }
    let interfaces = interfaces(&mut c)?;
    let mode = mode(&mut c)?;
    let mapped = mapped(&mut c, mode, true)?;
    let mut rule = NatRule {
        interfaces: interfaces.map(|(a, b)| (a.into(), b.into())),
        mode,
        real_source: None,
        mapped_source: mapped,
        destination: None,
        service: None,
        net_to_net: false,
        dns: false,
        unidirectional: false,
        no_proxy_arp: false,
        route_lookup: false,
        inactive: false,
        description: None,
    };
    options(&mut c, &mut rule)?;
    Ok(rule)
}

fn interfaces(c: &mut Words<'_>) -> Result<Option<(String, String)>, WordError> {
    let Some(w) = c.peek() else {
        return Err(WordError::Incomplete);
    };
    let Some(inner) = w.strip_prefix('(') else {
        return Ok(None);
    };
    c.skip();
    let (real, mapped) = inner
        .strip_suffix(')')
        .and_then(|i| i.split_once(','))
        .ok_or_else(|| c.bad())?;
    if !crate::parse::is_nameif(real) || !crate::parse::is_nameif(mapped) {
        return Err(c.bad());
    }
    Ok(Some((real.to_owned(), mapped.to_owned())))
}

fn mode(c: &mut Words<'_>) -> Result<Mode, WordError> {
    match c.word()? {
        "static" => Ok(Mode::Static),
        "dynamic" => Ok(Mode::Dynamic),
        _ => Err(c.bad()),
    }
}

fn interface_ipv6(c: &mut Words<'_>) -> bool {
    c.eat_exact("ipv6")
}

fn inline(w: &str) -> Option<Addr> {
    if let Some((ip, len)) = w.split_once('/') {
        let network = ip.parse::<Ipv6Addr>().ok()?;
        let prefix = len.parse::<u8>().ok().filter(|p| *p <= 128)?;
        return Some(Addr::Net6 { network, prefix });
    }
    w.parse::<IpAddr>().ok().map(Addr::Host)
}

fn mapped(c: &mut Words<'_>, mode: Mode, object: bool) -> Result<Mapped, WordError> {
    let w = c.word()?;
    let addr = match w {
        "interface" => MappedAddr::Addr(Addr::Interface {
            ipv6: interface_ipv6(c),
        }),
        "any" => MappedAddr::Addr(Addr::Any),
        "pat-pool" if mode == Mode::Dynamic => {
            let mut options = PatOptions::default();
            if c.eat_exact("interface") {
                pat_options(c, &mut options, false)?;
                MappedAddr::InterfacePatPool { options }
            } else {
                let pool = name(c)?;
                pat_options(c, &mut options, true)?;
                MappedAddr::PatPool { pool, options }
            }
        }
        w if object && let Some(a) = inline(w) => MappedAddr::Addr(a),
        w if is_name(w) && inline(w).is_none() => MappedAddr::Addr(Addr::Name(w.to_owned().into())),
        _ => return Err(c.bad()),
    };
    let mut addr = addr;
    let mut fallback = None;
    let fallback_allowed = mode == Mode::Dynamic
        && !matches!(
            addr,
            MappedAddr::Addr(Addr::Interface { .. } | Addr::Any)
                | MappedAddr::InterfacePatPool { .. }
        );
    if fallback_allowed && c.eat_exact("interface") {
        fallback = Some(interface_ipv6(c));
        // Pool options may also follow the fallback (`pat-pool p interface flat`).
        if let MappedAddr::PatPool { options, .. } = &mut addr {
            pat_options(c, options, true)?;
        }
    }
    Ok(Mapped { addr, fallback })
}

/// PAT pool options in any order; `extended` only when `extended_allowed` (not for the
/// interface's own address).
fn pat_options(
    c: &mut Words<'_>,
    options: &mut PatOptions,
    extended_allowed: bool,
) -> Result<(), WordError> {
    loop {
        let slot = match c.peek() {
            Some("round-robin") => &mut options.round_robin,
            Some("extended") if extended_allowed => &mut options.extended,
            Some("flat") => &mut options.flat,
            Some("include-reserve") => &mut options.include_reserve,
            Some("block-allocation") => &mut options.block_allocation,
            _ => return Ok(()),
        };
        c.skip();
        if *slot {
            return Err(c.bad());
        }
        *slot = true;
    }
}

fn options(c: &mut Words<'_>, r: &mut NatRule) -> Result<(), WordError> {
    let twice = r.is_twice();
    while let Some(w) = c.peek() {
        c.skip();
        match w {
            "destination" if twice && r.destination.is_none() && r.service.is_none() => {
                if c.word()? != "static" {
                    return Err(c.bad());
                }
                let mapped = match c.word()? {
                    "interface" => Addr::Interface {
                        ipv6: interface_ipv6(c),
                    },
                    "any" => Addr::Any,
                    w if is_name(w) => Addr::Name(w.to_owned().into()),
                    _ => return Err(c.bad()),
                };
                let real = match c.word()? {
                    "any" => Addr::Any,
                    w if is_name(w) => Addr::Name(w.to_owned().into()),
                    _ => return Err(c.bad()),
                };
                r.destination = Some(Box::new(Destination { mapped, real }));
            }
            "service" if r.service.is_none() => {
                r.service = Some(Box::new(if twice {
                    let svc = |c: &mut Words<'_>| -> Result<SvcRef, WordError> {
                        match c.word()? {
                            "any" => Ok(SvcRef::Any),
                            w if is_name(w) => Ok(SvcRef::Name(w.to_owned())),
                            _ => Err(c.bad()),
                        }
                    };
                    Service::Objects {
                        real: svc(c)?,
                        mapped: svc(c)?,
                    }
                } else {
                    if r.mode != Mode::Static {
                        return Err(c.bad());
                    }
                    let protocol = c.word()?;
                    if !matches!(protocol, "tcp" | "udp" | "sctp") {
                        return Err(c.bad());
                    }
                    let mut port = || -> Result<String, WordError> {
                        let p = c.word()?;
                        if crate::acl::ace::is_port(p) {
                            Ok(p.to_owned())
                        } else {
                            Err(c.bad())
                        }
                    };
                    let real = port()?;
                    let mapped = port()?;
                    Service::Ports {
                        protocol: protocol.to_owned(),
                        real,
                        mapped,
                    }
                }));
            }
            "description" if twice => {
                let text = c.rest();
                if !is_description(text) {
                    return Err(if text.is_empty() {
                        WordError::Incomplete
                    } else {
                        c.bad()
                    });
                }
                r.description = Some(text.to_owned());
            }
            _ => {
                let slot = match w {
                    "net-to-net" => &mut r.net_to_net,
                    "dns" => &mut r.dns,
                    "unidirectional" if twice => &mut r.unidirectional,
                    "no-proxy-arp" => &mut r.no_proxy_arp,
                    "route-lookup" => &mut r.route_lookup,
                    "inactive" if twice => &mut r.inactive,
                    _ => return Err(c.bad()),
                };
                if *slot {
                    return Err(c.bad());
                }
                *slot = true;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keywords_are_sorted_for_binary_search() {
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn reads_a_full_twice_rule_and_prints_it_back() {
        let text = "nat (inside,outside) after-auto source static src-real src-mapped destination static dst-mapped dst-real service svc-a svc-b net-to-net dns route-lookup inactive description Static Twice NAT";
        let l = parse_nat_line(text).unwrap();
        assert_eq!(l.section, Section::After);
        assert_eq!(l.line, None);
        assert_eq!(l.rule.interfaces, Some(("inside".into(), "outside".into())));
        assert_eq!(l.rule.real_source, Some(Addr::Name("src-real".into())));
        assert_eq!(
            l.rule.destination,
            Some(Box::new(Destination {
                mapped: Addr::Name("dst-mapped".into()),
                real: Addr::Name("dst-real".into())
            }))
        );
        assert_eq!(l.rule.description.as_deref(), Some("Static Twice NAT"));
        assert!(l.rule.inactive && l.rule.dns && l.rule.net_to_net && l.rule.route_lookup);
        assert_eq!(l.to_string(), text);
    }

    #[test]
    fn reads_pat_pools_interfaces_and_line_numbers() {
        let l = parse_nat_line(
            "nat (any,any) 3 source dynamic net pat-pool pool block-allocation round-robin interface ipv6",
        )
        .unwrap();
        assert_eq!(l.line, Some(3));
        assert_eq!(
            l.rule.mapped_source,
            Mapped {
                addr: MappedAddr::PatPool {
                    pool: "pool".into(),
                    options: PatOptions {
                        round_robin: true,
                        block_allocation: true,
                        ..PatOptions::default()
                    }
                },
                fallback: Some(true)
            }
        );
        assert_eq!(
            l.to_string(),
            "nat (any,any) 3 source dynamic net pat-pool pool round-robin block-allocation interface ipv6"
        );
        let l = parse_nat_line(
            "nat (inside,outside) source dynamic net1 interface destination static interface net2",
        )
        .unwrap();
        assert_eq!(
            l.rule.mapped_source.addr,
            MappedAddr::Addr(Addr::Interface { ipv6: false })
        );
        assert_eq!(
            l.rule.destination.map(|d| d.mapped),
            Some(Addr::Interface { ipv6: false })
        );
        let l = parse_nat_line("nat (inside,outside) source dynamic net1 net2 interface").unwrap();
        assert_eq!(l.rule.mapped_source.fallback, Some(false));
    }

    #[test]
    fn reads_object_rules() {
        let r = parse_object_nat(
            "nat (inside,outside) static 192.0.2.10 net-to-net service tcp 80 8080 no-proxy-arp",
        )
        .unwrap();
        assert_eq!(
            r.mapped_source.addr,
            MappedAddr::Addr(Addr::Host("192.0.2.10".parse().unwrap()))
        );
        assert_eq!(
            r.service,
            Some(Box::new(Service::Ports {
                protocol: "tcp".into(),
                real: "80".into(),
                mapped: "8080".into()
            }))
        );
        assert_eq!(
            r.to_string(),
            "nat (inside,outside) static 192.0.2.10 net-to-net service tcp 80 8080 no-proxy-arp"
        );
        let r = parse_object_nat("nat (any,outside) dynamic pat-pool WORD interface flat").unwrap();
        assert_eq!(r.mapped_source.fallback, Some(false));
        assert_eq!(
            r.to_string(),
            "nat (any,outside) dynamic pat-pool WORD flat interface",
            "options after the fallback print before it"
        );
    }

    #[test]
    fn reads_the_interface_as_a_pat_pool_in_both_kinds_of_rule() {
        let l = parse_nat_line(
            "nat (any,outside) source dynamic test1 pat-pool interface destination static test3 test4",
        )
        .unwrap();
        assert_eq!(
            l.rule.mapped_source,
            Mapped {
                addr: MappedAddr::InterfacePatPool {
                    options: PatOptions::default()
                },
                fallback: None
            }
        );
        assert_eq!(l.rule.network_names(), ["test1", "test3", "test4"]);
        assert_eq!(
            l.to_string(),
            "nat (any,outside) source dynamic test1 pat-pool interface destination static test3 test4"
        );
        let r = parse_object_nat(
            "nat (inside,outside) dynamic pat-pool interface flat round-robin include-reserve dns",
        )
        .unwrap();
        assert_eq!(
            r.mapped_source.addr.pat_options(),
            Some(&PatOptions {
                round_robin: true,
                flat: true,
                include_reserve: true,
                ..PatOptions::default()
            })
        );
        assert!(r.network_names().is_empty());
        assert_eq!(
            r.to_string(),
            "nat (inside,outside) dynamic pat-pool interface round-robin flat include-reserve dns"
        );
    }

    #[test]
    fn the_interface_pat_pool_takes_no_extended_no_fallback_and_no_static() {
        // Words: nat (a,b) source dynamic r pat-pool interface <7>
        assert_eq!(
            parse_nat_line("nat (a,b) source dynamic r pat-pool interface extended")
                .unwrap_err()
                .word(),
            Some(7)
        );
        assert_eq!(
            parse_nat_line("nat (a,b) source dynamic r pat-pool interface interface")
                .unwrap_err()
                .word(),
            Some(7)
        );
        assert_eq!(
            parse_nat_line("nat (a,b) source dynamic r pat-pool interface ipv6")
                .unwrap_err()
                .word(),
            Some(7)
        );
        assert_eq!(
            parse_object_nat("nat (a,b) static pat-pool interface")
                .unwrap_err()
                .word(),
            Some(3)
        );
        assert_eq!(
            parse_object_nat("nat (a,b) dynamic pat-pool"),
            Err(WordError::Incomplete)
        );
    }

    #[test]
    fn rejects_bad_words_with_their_index() {
        assert_eq!(parse_nat_line("nat"), Err(WordError::Incomplete));
        assert_eq!(parse_nat_line("natx"), Err(WordError::Foreign));
        assert_eq!(
            parse_nat_line("nat (inside,outside) source static a"),
            Err(WordError::Incomplete)
        );
        assert_eq!(
            parse_nat_line("nat (inside,outside) source static a b dns dns")
                .unwrap_err()
                .word(),
            Some(7)
        );
        assert_eq!(
            parse_nat_line("nat (inside outside) source static a b")
                .unwrap_err()
                .word(),
            Some(1)
        );
        assert_eq!(
            parse_object_nat("nat (inside,outside) static 1.1.1.1 inactive")
                .unwrap_err()
                .word(),
            Some(4)
        );
        assert_eq!(
            parse_nat_line("nat (a,b) 0 source static a b")
                .unwrap_err()
                .word(),
            Some(2)
        );
    }

    #[test]
    fn hash_depends_on_section_object_and_rule() {
        let r = parse_nat_line("nat (a,b) source static x y").unwrap().rule;
        assert_ne!(
            rule_hash(Section::Before, None, &r),
            rule_hash(Section::After, None, &r)
        );
        let digest = Sha256::digest(b"nat (a,b) source static x y");
        let expected = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
        assert_eq!(rule_hash(Section::Before, None, &r), expected);
        let o = parse_object_nat("nat (a,b) static 1.1.1.1").unwrap();
        let digest = Sha256::digest(b"object network web\n nat (a,b) static 1.1.1.1");
        let expected = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
        assert_eq!(rule_hash(Section::Auto, Some("web"), &o), expected);
    }

    #[test]
    fn names_split_into_network_and_service() {
        let r = parse_nat_line(
            "nat (a,b) source dynamic r pat-pool p destination static dm dr service s1 any",
        )
        .unwrap()
        .rule;
        assert_eq!(r.network_names(), ["r", "p", "dm", "dr"]);
        assert_eq!(r.service_names(), ["s1"]);
    }

    proptest! {
        #[test]
        fn print_then_parse_is_identity(l in crate::nat::strategies::nat_line()) {
            prop_assert_eq!(parse_nat_line(&l.to_string()), Ok(l));
        }

        #[test]
        fn object_rules_print_then_parse(r in crate::nat::strategies::object_rule()) {
            prop_assert_eq!(parse_object_nat(&r.to_string()), Ok(r));
        }

        #[test]
        fn arbitrary_lines_never_panic(s in "(nat |\\(a,b\\) |source |static |dynamic |pat-pool |interface |ipv6 |description |any |x |service |\\PC{0,8}){0,12}") {
            let _ = parse_nat_line(&s);
            let _ = parse_object_nat(&s);
        }
    }
}
