//! Canonical printers: every AST value as the ASA prints it in `show running-config`.

use std::fmt;

use crate::ast::{
    Command, FqdnFamily, HashScheme, Line, LogTransport, Logging, NetworkAddress, Password,
};

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Line::Typed(command) => command.fmt(f),
            Line::Verbatim(text) => f.write_str(text),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Hostname(name) => write!(f, "hostname {name}"),
            Command::Interface(id) => write!(f, "interface {id}"),
            Command::Nameif(name) => write!(f, "nameif {name}"),
            Command::NoNameif => f.write_str("no nameif"),
            Command::SecurityLevel(level) => write!(f, "security-level {level}"),
            Command::NoSecurityLevel => f.write_str("no security-level"),
            Command::IpAddress {
                address,
                mask,
                standby,
            } => {
                write!(f, "ip address {address} {mask}")?;
                match standby {
                    Some(standby) => write!(f, " standby {standby}"),
                    None => Ok(()),
                }
            }
            Command::IpAddressDhcp { setroute } => {
                f.write_str("ip address dhcp")?;
                if *setroute {
                    f.write_str(" setroute")?;
                }
                Ok(())
            }
            Command::NoIpAddress => f.write_str("no ip address"),
            Command::Shutdown => f.write_str("shutdown"),
            Command::NoShutdown => f.write_str("no shutdown"),
            Command::Description(text) => write!(f, "description {text}"),
            Command::NoDescription => f.write_str("no description"),
            Command::Username {
                name,
                password,
                privilege,
            } => {
                write!(f, "username {name} {password}")?;
                match privilege {
                    Some(level) => write!(f, " privilege {level}"),
                    None => Ok(()),
                }
            }
            Command::NoUsername(name) => write!(f, "no username {name}"),
            Command::ObjectNetwork(name) => write!(f, "object network {name}"),
            Command::NoObjectNetwork(name) => write!(f, "no object network {name}"),
            Command::Address(address) => address.fmt(f),
            Command::NoAddress(address) => write!(f, "no {address}"),
            Command::Logging(logging) => write!(f, "logging {logging}"),
            Command::NoLogging(logging) => write!(f, "no logging {logging}"),
            Command::ConfigureTerminal => f.write_str("configure terminal"),
            Command::Exit => f.write_str("exit"),
            Command::End => f.write_str("end"),
        }
    }
}

/// `password <pw>`, `password <hash> encrypted|pbkdf2` or `nopassword`.
impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Password::Clear(pw) => write!(f, "password {pw}"),
            Password::ClearMschap(pw) => write!(f, "password {pw} mschap"),
            Password::Hashed { hash, scheme } => write!(f, "password {hash} {scheme}"),
            Password::None => f.write_str("nopassword"),
        }
    }
}

impl fmt::Display for HashScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HashScheme::Encrypted => "encrypted",
            HashScheme::Pbkdf2 => "pbkdf2",
            HashScheme::NtEncrypted => "nt-encrypted",
        })
    }
}

/// The object-mode line: `host ..`, `subnet ..`, `range ..`, `fqdn ..`.
impl fmt::Display for NetworkAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkAddress::Host(ip) => write!(f, "host {ip}"),
            NetworkAddress::Subnet4 { network, mask } => write!(f, "subnet {network} {mask}"),
            NetworkAddress::Subnet6 { network, prefix } => write!(f, "subnet {network}/{prefix}"),
            NetworkAddress::Range { start, end } => write!(f, "range {start} {end}"),
            NetworkAddress::Fqdn { family, name } => match family {
                Some(family) => write!(f, "fqdn {family} {name}"),
                None => write!(f, "fqdn {name}"),
            },
        }
    }
}

impl fmt::Display for FqdnFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FqdnFamily::V4 => "v4",
            FqdnFamily::V6 => "v6",
        })
    }
}

impl fmt::Display for LogTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogTransport::Udp(port) => write!(f, "udp/{port}"),
            LogTransport::Tcp(port) => write!(f, "tcp/{port}"),
        }
    }
}

/// What follows `logging ` (and `no logging `).
impl fmt::Display for Logging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Logging::Enable => f.write_str("enable"),
            Logging::Timestamp => f.write_str("timestamp"),
            Logging::Buffered(level) => write!(f, "buffered {level}"),
            Logging::Trap(level) => write!(f, "trap {level}"),
            Logging::Host {
                nameif,
                address,
                transport,
            } => {
                write!(f, "host {nameif} {address}")?;
                match transport {
                    Some(transport) => write!(f, " {transport}"),
                    None => Ok(()),
                }
            }
        }
    }
}
