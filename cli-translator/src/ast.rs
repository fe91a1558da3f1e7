//! Typed AST of the configuration commands the translator understands.
//!
//! Every variant prints (`Display`, in `print.rs`) in the canonical form an ASA uses in
//! `show running-config`, and `parse_command(&cmd.to_string()) == Ok(cmd)` for every value.
//! Lines of families not modelled here are kept verbatim by callers ([`Line::Verbatim`]).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One configuration line: typed when the grammar knows it, verbatim otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Typed(Command),
    /// Text kept exactly as given (without indentation and trailing white space).
    Verbatim(String),
}

/// A configuration command, top-level or sub-command. `no` forms are separate variants
/// where the ASA accepts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `hostname <name>`
    Hostname(String),
    /// `interface <hardware-id>` (enters interface mode)
    Interface(String),
    /// `nameif <name>` / `no nameif`
    Nameif(String),
    NoNameif,
    /// `security-level <0-100>` / `no security-level`
    SecurityLevel(u8),
    NoSecurityLevel,
    /// `ip address <ip> <mask> [standby <ip>]`
    IpAddress {
        address: Ipv4Addr,
        mask: Ipv4Addr,
        standby: Option<Ipv4Addr>,
    },
    /// `ip address dhcp [setroute]`
    IpAddressDhcp {
        setroute: bool,
    },
    /// `no ip address`
    NoIpAddress,
    /// `shutdown` / `no shutdown`
    Shutdown,
    NoShutdown,
    /// `description <text>` / `no description` (interface and object modes)
    Description(String),
    NoDescription,
    /// `username <name> password <pw> [encrypted|pbkdf2] [privilege <0-15>]`,
    /// `username <name> nopassword [privilege <0-15>]`
    Username {
        name: String,
        password: Password,
        privilege: Option<u8>,
    },
    /// `no username <name>`
    NoUsername(String),
    /// `object network <name>` (enters object mode) / `no object network <name>`
    ObjectNetwork(String),
    NoObjectNetwork(String),
    /// `host|subnet|range|fqdn ...` inside `object network`
    Address(NetworkAddress),
    /// `no host|subnet|range|fqdn ...` inside `object network`
    NoAddress(NetworkAddress),
    /// `logging ...` lines modelled by lina-sim's logging
    Logging(Logging),
    /// `no logging ...`
    NoLogging(Logging),
    /// `configure terminal`
    ConfigureTerminal,
    /// `exit`
    Exit,
    /// `end`
    End,
}

/// A password as it appears on a `username` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Password {
    /// Typed in clear (only ever on input; lina-sim stores and prints a hash).
    Clear(String),
    /// `password <pw> mschap`: typed in clear for MS-CHAP use (stored `nt-encrypted`).
    ClearMschap(String),
    /// `<hash> encrypted` (legacy MD5-style) or `<hash> pbkdf2`.
    Hashed { hash: String, scheme: HashScheme },
    /// `nopassword`
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashScheme {
    Encrypted,
    Pbkdf2,
    /// The hash of an MS-CHAP password (`mschap` on input).
    NtEncrypted,
}

/// The address forms of an `object network`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkAddress {
    /// `host <ip>`
    Host(IpAddr),
    /// `subnet <ip> <mask>`: the mask is contiguous.
    Subnet4 { network: Ipv4Addr, mask: Ipv4Addr },
    /// `subnet <ipv6>/<prefix>`
    Subnet6 { network: Ipv6Addr, prefix: u8 },
    /// `range <start> <end>`: same family, start <= end.
    Range(IpRange),
    /// `fqdn [v4|v6] <name>`
    Fqdn {
        family: Option<FqdnFamily>,
        name: Box<str>,
    },
}

// issue 13: memory
/// The ends of a `range`, of one family, start <= end: IPv4 inline (8 bytes), IPv6 boxed
/// (32 bytes, rare), so that a [`NetworkAddress`] is 24 bytes instead of 40 (two `IpAddr` of
/// 17 bytes each were its largest form) and a network object 64 instead of 80.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpRange {
    V4 { start: Ipv4Addr, end: Ipv4Addr },
    V6(Box<[Ipv6Addr; 2]>),
}

impl IpRange {
    /// The range from `start` to `end`; `None` when their families differ or start > end.
    pub fn new(start: IpAddr, end: IpAddr) -> Option<Self> {
        match (start, end) {
            (IpAddr::V4(start), IpAddr::V4(end)) if start <= end => {
                Some(IpRange::V4 { start, end })
            }
            (IpAddr::V6(start), IpAddr::V6(end)) if start <= end => {
                Some(IpRange::V6(Box::new([start, end])))
            }
            _ => None,
        }
    }

    pub fn start(&self) -> IpAddr {
        match self {
            IpRange::V4 { start, .. } => IpAddr::V4(*start),
            IpRange::V6(ends) => IpAddr::V6(ends[0]),
        }
    }

    pub fn end(&self) -> IpAddr {
        match self {
            IpRange::V4 { end, .. } => IpAddr::V4(*end),
            IpRange::V6(ends) => IpAddr::V6(ends[1]),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FqdnFamily {
    V4,
    V6,
}

/// Syslog severity, 0 (emergencies) to 7 (debugging): the `syslog` crate's `Level`.
pub use syslog::Level as Severity;

/// Transport of a `logging host` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogTransport {
    /// `udp/<port>` (514 when the line says nothing)
    Udp(u16),
    /// `tcp/<port>`
    Tcp(u16),
}

/// The `logging` commands lina-sim honours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Logging {
    /// `logging enable`
    Enable,
    /// `logging timestamp`
    Timestamp,
    /// `logging buffered <level>`
    Buffered(Severity),
    /// `logging trap <level>`
    Trap(Severity),
    /// `logging host <nameif> <ip> [udp/<port>|tcp/<port>]`; `transport` is `None` when the line gives none.
    Host {
        nameif: String,
        address: IpAddr,
        transport: Option<LogTransport>,
    },
}
