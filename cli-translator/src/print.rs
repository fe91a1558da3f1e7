//! Canonical printers: every AST value as the ASA prints it in `show running-config`.

use std::fmt::{self, Write as _};
use std::net::{IpAddr, Ipv4Addr};

use crate::ast::{
    Command, FqdnFamily, HashScheme, Line, LogTransport, Logging, NetworkAddress, Password,
};

/// The text of an address, IPv4 written digit by digit: std's `Display` for `Ipv4Addr` runs
/// the formatting machinery once per octet, about as much work as the rest of a short line,
/// and a `GET` of an object formats its address two or three times (issue 10: a GET costs no
/// more than before). IPv6 goes through `Display`.
#[derive(Clone, Copy)]
pub struct IpText {
    /// The longest text: `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`.
    buf: [u8; 45],
    len: usize,
}

impl IpText {
    pub fn new(ip: IpAddr) -> IpText {
        match ip {
            IpAddr::V4(v4) => IpText::v4(v4),
            IpAddr::V6(v6) => {
                let mut text = IpText::empty();
                // Fits: 45 bytes hold the longest IPv6 text.
                let _ = write!(text, "{v6}");
                text
            }
        }
    }

    pub fn v4(ip: Ipv4Addr) -> IpText {
        let mut text = IpText::empty();
        for (i, octet) in ip.octets().into_iter().enumerate() {
            if i > 0 {
                text.push(b'.');
            }
            if octet >= 100 {
                text.push(b'0' + octet / 100);
            }
            if octet >= 10 {
                text.push(b'0' + octet / 10 % 10);
            }
            text.push(b'0' + octet % 10);
        }
        text
    }

    fn empty() -> IpText {
        IpText {
            buf: [0; 45],
            len: 0,
        }
    }

    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII is ever written.
        std::str::from_utf8(self.buf.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

impl fmt::Write for IpText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl fmt::Debug for IpText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IpText").field(&self.as_str()).finish()
    }
}

impl fmt::Display for IpText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

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
            NetworkAddress::Host(ip) => write!(f, "host {}", IpText::new(*ip)),
            NetworkAddress::Subnet4 { network, mask } => {
                write!(f, "subnet {} {}", IpText::v4(*network), IpText::v4(*mask))
            }
            NetworkAddress::Subnet6 { network, prefix } => write!(f, "subnet {network}/{prefix}"),
            NetworkAddress::Range(range) => write!(
                f,
                "range {} {}",
                IpText::new(range.start()),
                IpText::new(range.end())
            ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ip_text_writes_the_edges_of_ipv4_as_display_does() {
        for ip in ["0.0.0.0", "9.10.99.100", "255.255.255.255", "10.0.0.1"] {
            let ip: Ipv4Addr = ip.parse().expect("an address");
            assert_eq!(IpText::v4(ip).as_str(), ip.to_string());
        }
        let longest: IpAddr = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"
            .parse()
            .expect("an address");
        assert_eq!(IpText::new(longest).as_str(), longest.to_string());
        assert_eq!(
            format!("[{:>9}]", IpText::v4(Ipv4Addr::LOCALHOST)),
            "[127.0.0.1]"
        );
        assert_eq!(
            format!("[{:>10}]", IpText::v4(Ipv4Addr::LOCALHOST)),
            "[ 127.0.0.1]"
        );
    }

    proptest! {
        #[test]
        fn ip_text_is_display(v4 in any::<[u8; 4]>(), v6 in any::<[u8; 16]>()) {
            let v4 = IpAddr::from(v4);
            let v6 = IpAddr::from(v6);
            let (t4, t6) = (IpText::new(v4), IpText::new(v6));
            prop_assert_eq!(t4.as_str(), v4.to_string());
            prop_assert_eq!(t6.as_str(), v6.to_string());
        }
    }
}
