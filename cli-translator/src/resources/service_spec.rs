//! What a service matches: a protocol, TCP/UDP ports, or an ICMP type and code; its CLI
//! form (after `service ` or `service-object `) and its REST `value` string.
//!
//! CLI: `tcp|udp|tcp-udp [source <match>] [destination <match>]`, `icmp|icmp6 [<type> [<code>]]`,
//! `<protocol>`, where `<match>` is `eq|lt|gt|neq <port>` or `range <port> <port>` and a
//! port is a number or a name the ASA knows for that protocol. On input the `destination`
//! keyword may be left out (`service-object tcp eq 80`), as older releases wrote it.
//!
//! REST `value` (this agent's grammar, documented for clients):
//! - `tcp`, `tcp/443`, `tcp/https`, `tcp/1000-2000`, `tcp/lt-1024`, `tcp/gt-1023`, `tcp/neq-80`,
//!   `tcp/https,source=7000-8000`, `udp,source=53` (source only); `udp/..`, `tcp-udp/..` alike;
//! - `icmp`, `icmp/echo`, `icmp/8`, `icmp/8/0`, `icmp/traceroute/70`; `icmp6/...` alike;
//! - a protocol name or number: `ip`, `gre`, `esp`, `50`.
//!
//! Names and numbers are kept as written (`eq 443` stays `443`, `eq https` stays `https`).

use compact_str::CompactString;
use std::fmt;

use crate::words::WordError;
use crate::words::Words;

/// The TCP/UDP protocol selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TcpUdp {
    Tcp,
    Udp,
    TcpUdp,
}

impl TcpUdp {
    pub fn from_word(w: &str) -> Option<TcpUdp> {
        match w.to_ascii_lowercase().as_str() {
            "tcp" => Some(TcpUdp::Tcp),
            "udp" => Some(TcpUdp::Udp),
            "tcp-udp" => Some(TcpUdp::TcpUdp),
            _ => None,
        }
    }

    /// Whether `name` is a port name the ASA knows for this protocol.
    fn knows(self, name: &str) -> bool {
        let tcp = TCP_PORTS.contains(&name);
        let udp = UDP_PORTS.contains(&name);
        match self {
            TcpUdp::Tcp => tcp,
            TcpUdp::Udp => udp,
            TcpUdp::TcpUdp => tcp && udp,
        }
    }
}

impl fmt::Display for TcpUdp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TcpUdp::Tcp => "tcp",
            TcpUdp::Udp => "udp",
            TcpUdp::TcpUdp => "tcp-udp",
        })
    }
}

/// TCP port names the ASA accepts.
const TCP_PORTS: &[&str] = &[
    "aol",
    "bgp",
    "chargen",
    "cifs",
    "citrix-ica",
    "cmd",
    "ctiqbe",
    "daytime",
    "discard",
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
    "kerberos",
    "klogin",
    "kshell",
    "ldap",
    "ldaps",
    "login",
    "lotusnotes",
    "lpd",
    "netbios-ssn",
    "nfs",
    "nntp",
    "pcanywhere-data",
    "pim-auto-rp",
    "pop2",
    "pop3",
    "pptp",
    "rsh",
    "rtsp",
    "sip",
    "smtp",
    "sqlnet",
    "ssh",
    "sunrpc",
    "tacacs",
    "talk",
    "telnet",
    "uucp",
    "whois",
    "www",
];

/// UDP port names the ASA accepts.
const UDP_PORTS: &[&str] = &[
    "biff",
    "bootpc",
    "bootps",
    "cifs",
    "discard",
    "dnsix",
    "domain",
    "echo",
    "http",
    "isakmp",
    "kerberos",
    "mobile-ip",
    "nameserver",
    "netbios-dgm",
    "netbios-ns",
    "nfs",
    "ntp",
    "pcanywhere-status",
    "pim-auto-rp",
    "radius",
    "radius-acct",
    "rip",
    "secureid-udp",
    "sip",
    "snmp",
    "snmptrap",
    "sunrpc",
    "syslog",
    "tacacs",
    "talk",
    "tftp",
    "time",
    "who",
    "www",
    "xdmcp",
];

/// ICMP type names, by number.
const ICMP_TYPES: &[(&str, u8)] = &[
    ("echo-reply", 0),
    ("unreachable", 3),
    ("source-quench", 4),
    ("redirect", 5),
    ("alternate-address", 6),
    ("echo", 8),
    ("router-advertisement", 9),
    ("router-solicitation", 10),
    ("time-exceeded", 11),
    ("parameter-problem", 12),
    ("timestamp-request", 13),
    ("timestamp-reply", 14),
    ("information-request", 15),
    ("information-reply", 16),
    ("mask-request", 17),
    ("mask-reply", 18),
    ("traceroute", 30),
    ("conversion-error", 31),
    ("mobile-redirect", 32),
];

/// ICMPv6 type names, by number.
const ICMP6_TYPES: &[(&str, u8)] = &[
    ("unreachable", 1),
    ("packet-too-big", 2),
    ("time-exceeded", 3),
    ("parameter-problem", 4),
    ("echo", 128),
    ("echo-reply", 129),
    ("membership-query", 130),
    ("membership-report", 131),
    ("membership-reduction", 132),
    ("router-solicitation", 133),
    ("router-advertisement", 134),
    ("neighbor-solicitation", 135),
    ("neighbor-advertisement", 136),
    ("neighbor-redirect", 137),
    ("router-renumbering", 138),
];

/// IP protocol names the ASA accepts (besides `tcp`, `udp`, `icmp`, `icmp6`).
const PROTOCOLS: &[&str] = &[
    "ah", "eigrp", "esp", "gre", "igmp", "igrp", "ip", "ipinip", "ipsec", "nos", "ospf", "pcp",
    "pim", "pptp", "sctp", "snp",
];

/// A port: a number (0-65535) or a name, lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Port(CompactString);

impl Port {
    /// Reads a port for `protocol`.
    pub fn parse(s: &str, protocol: TcpUdp) -> Option<Port> {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse::<u16>().ok().map(|n| Port(n.to_string().into()));
        }
        let lower = s.to_ascii_lowercase();
        protocol.knows(&lower).then_some(Port(lower.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortOp {
    Eq,
    Lt,
    Gt,
    Neq,
}

impl PortOp {
    fn from_word(w: &str) -> Option<PortOp> {
        match w.to_ascii_lowercase().as_str() {
            "eq" => Some(PortOp::Eq),
            "lt" => Some(PortOp::Lt),
            "gt" => Some(PortOp::Gt),
            "neq" => Some(PortOp::Neq),
            _ => None,
        }
    }

    fn word(self) -> &'static str {
        match self {
            PortOp::Eq => "eq",
            PortOp::Lt => "lt",
            PortOp::Gt => "gt",
            PortOp::Neq => "neq",
        }
    }
}

/// Which ports a TCP/UDP service matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PortMatch {
    Op(PortOp, Port),
    Range(Port, Port),
}

/// `eq https`, `range 1000 2000`.
impl fmt::Display for PortMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortMatch::Op(op, p) => write!(f, "{} {p}", op.word()),
            PortMatch::Range(a, b) => write!(f, "range {a} {b}"),
        }
    }
}

impl PortMatch {
    /// The REST form: `443`, `lt-1024`, `1000-2000`.
    pub fn value(&self) -> String {
        match self {
            PortMatch::Op(PortOp::Eq, p) => p.to_string(),
            PortMatch::Op(op, p) => format!("{}-{p}", op.word()),
            PortMatch::Range(a, b) => format!("{a}-{b}"),
        }
    }

    /// Reads the REST form.
    fn from_value(s: &str, protocol: TcpUdp) -> Result<PortMatch, String> {
        let bad_port = |p: &str| format!("'{p}' is not a {protocol} port number or name");
        if let Some((head, tail)) = s.split_once('-') {
            if let Some(op) = PortOp::from_word(head) {
                let p = Port::parse(tail, protocol).ok_or_else(|| bad_port(tail))?;
                return Ok(PortMatch::Op(op, p));
            }
            // A name with a dash (`ftp-data`) is one port; otherwise a range.
            if let Some(p) = Port::parse(s, protocol) {
                return Ok(PortMatch::Op(PortOp::Eq, p));
            }
            let (a, b) = split_range(s, protocol).ok_or_else(|| bad_port(s))?;
            return Ok(PortMatch::Range(a, b));
        }
        Port::parse(s, protocol)
            .map(|p| PortMatch::Op(PortOp::Eq, p))
            .ok_or_else(|| bad_port(s))
    }

    /// Reads `eq|lt|gt|neq <port>` or `range <a> <b>` from CLI words.
    pub fn from_words(w: &mut Words<'_>, protocol: TcpUdp) -> Result<PortMatch, WordError> {
        if w.eat("range") {
            let a = w.parse(|s| Port::parse(s, protocol))?;
            let b = w.parse(|s| Port::parse(s, protocol))?;
            return Ok(PortMatch::Range(a, b));
        }
        let op = w.parse(PortOp::from_word)?;
        let p = w.parse(|s| Port::parse(s, protocol))?;
        Ok(PortMatch::Op(op, p))
    }
}

/// `a-b` where both ends are ports (names may contain dashes).
fn split_range(s: &str, protocol: TcpUdp) -> Option<(Port, Port)> {
    s.match_indices('-').find_map(|(i, _)| {
        let a = Port::parse(s.get(..i)?, protocol)?;
        let b = Port::parse(s.get(i + 1..)?, protocol)?;
        Some((a, b))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IcmpVersion {
    V4,
    V6,
}

impl IcmpVersion {
    fn word(self) -> &'static str {
        match self {
            IcmpVersion::V4 => "icmp",
            IcmpVersion::V6 => "icmp6",
        }
    }

    /// A type name or number (0-255), lowercased.
    fn icmp_type(self, s: &str) -> Option<String> {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse::<u8>().ok().map(|n| n.to_string());
        }
        let lower = s.to_ascii_lowercase();
        let table = match self {
            IcmpVersion::V4 => ICMP_TYPES,
            IcmpVersion::V6 => ICMP6_TYPES,
        };
        table.iter().any(|(n, _)| *n == lower).then_some(lower)
    }
}

/// What a service matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ServiceSpec {
    /// An IP protocol by name or number (lowercased), other than TCP, UDP and ICMP.
    Protocol(String),
    TcpUdp {
        protocol: TcpUdp,
        source: Option<PortMatch>,
        destination: Option<PortMatch>,
    },
    Icmp {
        version: IcmpVersion,
        /// Type name or number; the code needs a type.
        icmp_type: Option<String>,
        code: Option<u8>,
    },
}

/// The CLI form after `service ` / `service-object `.
impl fmt::Display for ServiceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceSpec::Protocol(p) => f.write_str(p),
            ServiceSpec::TcpUdp {
                protocol,
                source,
                destination,
            } => {
                write!(f, "{protocol}")?;
                if let Some(s) = source {
                    write!(f, " source {s}")?;
                }
                if let Some(d) = destination {
                    write!(f, " destination {d}")?;
                }
                Ok(())
            }
            ServiceSpec::Icmp {
                version,
                icmp_type,
                code,
            } => {
                f.write_str(version.word())?;
                if let Some(t) = icmp_type {
                    write!(f, " {t}")?;
                    if let Some(c) = code {
                        write!(f, " {c}")?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// The REST kind family of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceClass {
    TcpUdp,
    Icmp,
    Icmp6,
    Protocol,
}

impl ServiceClass {
    /// `object#<..>` of a service object of this class.
    pub fn object_kind(self) -> &'static str {
        match self {
            ServiceClass::TcpUdp => "object#TcpUdpServiceObj",
            ServiceClass::Icmp => "object#ICMPServiceObj",
            ServiceClass::Icmp6 => "object#ICMP6ServiceObj",
            ServiceClass::Protocol => "object#NetworkProtocolObj",
        }
    }

    /// `objectRef#<..>` of a reference to a service object of this class.
    pub fn ref_kind(self) -> &'static str {
        match self {
            ServiceClass::TcpUdp => "objectRef#TcpUdpServiceObj",
            ServiceClass::Icmp => "objectRef#ICMPServiceObj",
            ServiceClass::Icmp6 => "objectRef#ICMP6ServiceObj",
            ServiceClass::Protocol => "objectRef#NetworkProtocolObj",
        }
    }

    /// The primitive kind of an inline service of this class.
    pub fn primitive_kind(self) -> &'static str {
        match self {
            ServiceClass::TcpUdp => "TcpUdpService",
            ServiceClass::Icmp => "ICMPService",
            ServiceClass::Icmp6 => "ICMP6Service",
            ServiceClass::Protocol => "NetworkProtocol",
        }
    }
}

impl ServiceSpec {
    pub fn class(&self) -> ServiceClass {
        match self {
            ServiceSpec::Protocol(_) => ServiceClass::Protocol,
            ServiceSpec::TcpUdp { .. } => ServiceClass::TcpUdp,
            ServiceSpec::Icmp {
                version: IcmpVersion::V4,
                ..
            } => ServiceClass::Icmp,
            ServiceSpec::Icmp {
                version: IcmpVersion::V6,
                ..
            } => ServiceClass::Icmp6,
        }
    }

    /// Reads the CLI form (the words after `service` / `service-object`); the caller checks
    /// the end of the line.
    pub fn from_words(w: &mut Words<'_>) -> Result<ServiceSpec, WordError> {
        let at = w.index();
        let (_, first) = w.next_word()?;
        let lower = first.to_ascii_lowercase();
        if let Some(protocol) = TcpUdp::from_word(&lower) {
            let mut source = None;
            let mut destination = None;
            if w.eat("source") {
                source = Some(PortMatch::from_words(w, protocol)?);
            }
            // `destination` may be left out before the match.
            if w.eat("destination") || w.peek().is_some() {
                destination = Some(PortMatch::from_words(w, protocol)?);
            }
            return Ok(ServiceSpec::TcpUdp {
                protocol,
                source,
                destination,
            });
        }
        let version = match lower.as_str() {
            "icmp" => Some(IcmpVersion::V4),
            "icmp6" => Some(IcmpVersion::V6),
            _ => None,
        };
        if let Some(version) = version {
            let mut icmp_type = None;
            let mut code = None;
            if w.peek().is_some() {
                icmp_type = Some(w.parse(|s| version.icmp_type(s))?);
                if w.peek().is_some() {
                    code = Some(w.parse(|s| s.parse::<u8>().ok())?);
                }
            }
            return Ok(ServiceSpec::Icmp {
                version,
                icmp_type,
                code,
            });
        }
        protocol(&lower)
            .map(ServiceSpec::Protocol)
            .ok_or_else(|| w.invalid_at(at))
    }

    /// Reads a whole CLI spec (`tcp destination eq 80`).
    pub fn parse_cli(text: &str) -> Result<ServiceSpec, WordError> {
        let mut w = Words::new(text);
        let spec = ServiceSpec::from_words(&mut w)?;
        w.end()?;
        Ok(spec)
    }

    /// The canonical REST `value`.
    pub fn value(&self) -> String {
        match self {
            ServiceSpec::Protocol(p) => p.clone(),
            ServiceSpec::TcpUdp {
                protocol,
                source,
                destination,
            } => {
                let mut out = protocol.to_string();
                if let Some(d) = destination {
                    out.push('/');
                    out.push_str(&d.value());
                }
                if let Some(s) = source {
                    out.push_str(",source=");
                    out.push_str(&s.value());
                }
                out
            }
            ServiceSpec::Icmp {
                version,
                icmp_type,
                code,
            } => {
                let mut out = version.word().to_owned();
                if let Some(t) = icmp_type {
                    out.push('/');
                    out.push_str(t);
                    if let Some(c) = code {
                        out.push_str(&format!("/{c}"));
                    }
                }
                out
            }
        }
    }

    /// Reads a REST `value`; the error says why it is not one.
    pub fn from_value(value: &str) -> Result<ServiceSpec, String> {
        let value = value.trim();
        let (main, source) = match value.split_once(',') {
            Some((m, rest)) => {
                let src = rest
                    .trim()
                    .strip_prefix("source=")
                    .ok_or_else(|| format!("'{rest}' is not 'source=<ports>'"))?;
                (m.trim(), Some(src.trim()))
            }
            None => (value, None),
        };
        let (proto, rest) = match main.split_once('/') {
            Some((p, r)) => (p, Some(r)),
            None => (main, None),
        };
        let lower = proto.to_ascii_lowercase();
        if let Some(protocol) = TcpUdp::from_word(&lower) {
            let destination = rest
                .map(|r| PortMatch::from_value(r, protocol))
                .transpose()?;
            let source = source
                .map(|s| PortMatch::from_value(s, protocol))
                .transpose()?;
            return Ok(ServiceSpec::TcpUdp {
                protocol,
                source,
                destination,
            });
        }
        if source.is_some() {
            return Err(format!("'{proto}' has no source ports"));
        }
        let version = match lower.as_str() {
            "icmp" => Some(IcmpVersion::V4),
            "icmp6" => Some(IcmpVersion::V6),
            _ => None,
        };
        if let Some(version) = version {
            let (icmp_type, code) = match rest {
                None => (None, None),
                Some(r) => {
                    let (t, c) = match r.split_once('/') {
                        Some((t, c)) => (t, Some(c)),
                        None => (r, None),
                    };
                    let t = version
                        .icmp_type(t)
                        .ok_or_else(|| format!("'{t}' is not an {} type", version.word()))?;
                    let c = c
                        .map(|c| {
                            c.parse::<u8>()
                                .map_err(|_| format!("'{c}' is not an ICMP code (0-255)"))
                        })
                        .transpose()?;
                    (Some(t), c)
                }
            };
            return Ok(ServiceSpec::Icmp {
                version,
                icmp_type,
                code,
            });
        }
        if rest.is_some() {
            return Err(format!("'{proto}' has no ports or types"));
        }
        protocol(&lower)
            .map(ServiceSpec::Protocol)
            .ok_or_else(|| format!("'{value}' is not a service (tcp/443, icmp/echo, gre ...)"))
    }
}

/// A protocol name or number (0-255) other than TCP/UDP/ICMP.
fn protocol(lower: &str) -> Option<String> {
    if !lower.is_empty() && lower.bytes().all(|b| b.is_ascii_digit()) {
        return lower.parse::<u8>().ok().map(|n| n.to_string());
    }
    PROTOCOLS.contains(&lower).then(|| lower.to_owned())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_and_prints_cli_forms() {
        let cases = [
            (
                "tcp destination eq https",
                "tcp destination eq https",
                "tcp/https",
            ),
            ("tcp eq 80", "tcp destination eq 80", "tcp/80"),
            (
                "udp source range 1 1024 destination gt 9000",
                "udp source range 1 1024 destination gt 9000",
                "udp/gt-9000,source=1-1024",
            ),
            ("tcp source eq ssh", "tcp source eq ssh", "tcp,source=ssh"),
            (
                "tcp-udp destination eq domain",
                "tcp-udp destination eq domain",
                "tcp-udp/domain",
            ),
            ("tcp", "tcp", "tcp"),
            ("icmp echo 0", "icmp echo 0", "icmp/echo/0"),
            ("icmp 9 16", "icmp 9 16", "icmp/9/16"),
            ("icmp", "icmp", "icmp"),
            ("icmp6 echo-reply", "icmp6 echo-reply", "icmp6/echo-reply"),
            ("GRE", "gre", "gre"),
            ("137", "137", "137"),
        ];
        for (line, printed, value) in cases {
            let spec = ServiceSpec::parse_cli(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(spec.to_string(), printed, "{line}");
            assert_eq!(spec.value(), value, "{line}");
            assert_eq!(ServiceSpec::from_value(value), Ok(spec), "{value}");
        }
    }

    #[test]
    fn reads_values_as_clients_write_them() {
        let spec = ServiceSpec::from_value("tcp/https,source=7000-8000");
        assert_eq!(
            spec.map(|s| s.to_string()),
            Ok("tcp source range 7000 8000 destination eq https".to_owned())
        );
        assert_eq!(
            ServiceSpec::from_value("icmp/traceroute/70").map(|s| s.to_string()),
            Ok("icmp traceroute 70".to_owned())
        );
        assert_eq!(
            ServiceSpec::from_value("tcp/ftp-data").map(|s| s.to_string()),
            Ok("tcp destination eq ftp-data".to_owned())
        );
        assert_eq!(
            ServiceSpec::from_value("tcp/6001-6500").map(|s| s.to_string()),
            Ok("tcp destination range 6001 6500".to_owned())
        );
        for bad in [
            "tcp/70000",
            "tcp/snmp",
            "udp/ssh",
            "icmp/bogus",
            "icmp/8/300",
            "gre/5",
            "bogus",
            "tcp/https,src=1",
            "icmp,source=1",
            "",
            "tcp-udp/ssh",
            "256",
        ] {
            assert!(ServiceSpec::from_value(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cli_errors_point_at_the_bad_token() {
        assert_eq!(
            ServiceSpec::parse_cli("tcp destination eq bogus")
                .unwrap_err()
                .offset(),
            Some(19)
        );
        assert_eq!(
            ServiceSpec::parse_cli("tcp destination"),
            Err(WordError::Incomplete)
        );
        assert_eq!(
            ServiceSpec::parse_cli("bogus").unwrap_err().offset(),
            Some(0)
        );
        assert_eq!(
            ServiceSpec::parse_cli("icmp echo 0 1")
                .unwrap_err()
                .offset(),
            Some(12)
        );
    }

    fn port(protocol: TcpUdp) -> impl Strategy<Value = Port> {
        let names: Vec<&'static str> = TCP_PORTS
            .iter()
            .chain(UDP_PORTS)
            .copied()
            .filter(|n| protocol.knows(n))
            .collect();
        prop_oneof![
            any::<u16>().prop_map(|n| Port(n.to_string().into())),
            prop::sample::select(names).prop_map(|n| Port(n.to_owned().into())),
        ]
    }

    fn port_match(protocol: TcpUdp) -> impl Strategy<Value = PortMatch> {
        prop_oneof![
            (
                prop::sample::select(vec![PortOp::Eq, PortOp::Lt, PortOp::Gt, PortOp::Neq]),
                port(protocol)
            )
                .prop_map(|(op, p)| PortMatch::Op(op, p)),
            (port(protocol), port(protocol)).prop_map(|(a, b)| PortMatch::Range(a, b)),
        ]
    }

    pub(crate) fn spec() -> impl Strategy<Value = ServiceSpec> {
        let tcp_udp = prop::sample::select(vec![TcpUdp::Tcp, TcpUdp::Udp, TcpUdp::TcpUdp])
            .prop_flat_map(|protocol| {
                (
                    prop::option::of(port_match(protocol)),
                    prop::option::of(port_match(protocol)),
                )
                    .prop_map(move |(source, destination)| ServiceSpec::TcpUdp {
                        protocol,
                        source,
                        destination,
                    })
            });
        let icmp = (
            prop::sample::select(vec![IcmpVersion::V4, IcmpVersion::V6]),
            prop::option::of((any::<u8>(), prop::option::of(any::<u8>()))),
        )
            .prop_map(|(version, t)| ServiceSpec::Icmp {
                version,
                icmp_type: t.map(|(t, _)| t.to_string()),
                code: t.and_then(|(_, c)| c),
            });
        let proto = prop_oneof![
            prop::sample::select(PROTOCOLS.to_vec()).prop_map(str::to_owned),
            (2u8..=255).prop_map(|n| n.to_string()),
        ]
        .prop_map(ServiceSpec::Protocol);
        prop_oneof![tcp_udp, icmp, proto]
    }

    proptest! {
        #[test]
        fn cli_and_value_forms_round_trip(s in spec()) {
            prop_assert_eq!(ServiceSpec::parse_cli(&s.to_string()), Ok(s.clone()));
            prop_assert_eq!(ServiceSpec::from_value(&s.value()), Ok(s));
        }

        #[test]
        fn arbitrary_text_never_panics(s in "(tcp|udp|icmp|/|-|,source=|eq |range |\\PC{0,6}| ){0,8}") {
            let _ = ServiceSpec::from_value(&s);
            let _ = ServiceSpec::parse_cli(&s);
        }
    }
}
