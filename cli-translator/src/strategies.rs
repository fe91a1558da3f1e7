//! proptest strategies generating every valid AST value (used by the round-trip tests).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;

use crate::ast::{
    Command, FqdnFamily, HashScheme, IpRange, LogTransport, Logging, NetworkAddress, Password,
    Severity,
};
use crate::parse::prefix_mask;

pub fn ipv4() -> impl Strategy<Value = Ipv4Addr> {
    any::<u32>().prop_map(Ipv4Addr::from)
}

pub fn ipv6() -> impl Strategy<Value = Ipv6Addr> {
    prop_oneof![
        any::<u128>().prop_map(Ipv6Addr::from),
        // Runs of zero groups exercise the `::` compression.
        (any::<u16>(), any::<u16>(), 0usize..8).prop_map(|(a, b, at)| {
            let mut groups = [0u16; 8];
            groups[0] = a;
            groups[at] = b;
            Ipv6Addr::from(groups)
        }),
    ]
}

pub fn ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![ipv4().prop_map(IpAddr::V4), ipv6().prop_map(IpAddr::V6)]
}

/// Object names as `check_object_name` accepts them.
pub fn object_name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_][A-Za-z0-9._+:/@-]{0,63}".prop_filter("reserved", |s| {
        crate::validate::check_object_name(s).is_ok()
    })
}

/// Description text: printable, no surrounding blanks, inner spaces kept.
pub fn description() -> impl Strategy<Value = String> {
    "[!-~]([ -~]{0,198}[!-~])?"
}

pub fn fqdn_name() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9-]{0,20}(\\.[a-z0-9][a-z0-9-]{0,20}){0,4}"
}

pub fn network_address() -> impl Strategy<Value = NetworkAddress> {
    prop_oneof![
        ip().prop_map(NetworkAddress::Host),
        (ipv4(), 0u8..=32).prop_map(|(ip, prefix)| {
            let mask = prefix_mask(prefix);
            NetworkAddress::Subnet4 {
                network: Ipv4Addr::from(u32::from(ip) & u32::from(mask)),
                mask,
            }
        }),
        (ipv6(), 0u8..=128).prop_map(|(ip, prefix)| {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            NetworkAddress::Subnet6 {
                network: Ipv6Addr::from(u128::from(ip) & mask),
                prefix,
            }
        }),
        (ipv4(), ipv4()).prop_map(|(a, b)| NetworkAddress::Range(IpRange::V4 {
            start: a.min(b),
            end: a.max(b),
        })),
        (ipv6(), ipv6())
            .prop_map(|(a, b)| NetworkAddress::Range(IpRange::V6(Box::new([a.min(b), a.max(b)])))),
        (
            prop::option::of(prop_oneof![Just(FqdnFamily::V4), Just(FqdnFamily::V6)]),
            fqdn_name()
        )
            .prop_map(|(family, name)| NetworkAddress::Fqdn {
                family,
                name: name.into()
            }),
    ]
}

pub fn severity() -> impl Strategy<Value = Severity> {
    (0u8..8).prop_map(|n| Severity::from_u8(n).unwrap_or(Severity::Debugging))
}

pub fn nameif() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.-]{1,48}"
}

pub fn logging() -> impl Strategy<Value = Logging> {
    prop_oneof![
        Just(Logging::Enable),
        Just(Logging::Timestamp),
        severity().prop_map(Logging::Buffered),
        severity().prop_map(Logging::Trap),
        (
            nameif(),
            ip(),
            prop::option::of(prop_oneof![
                (1u16..).prop_map(LogTransport::Udp),
                (1u16..).prop_map(LogTransport::Tcp),
            ])
        )
            .prop_map(|(nameif, address, transport)| Logging::Host {
                nameif,
                address,
                transport
            }),
    ]
}

fn token() -> impl Strategy<Value = String> {
    "[!-~]{1,40}"
}

pub fn password() -> impl Strategy<Value = Password> {
    prop_oneof![
        token().prop_map(Password::Clear),
        token().prop_map(Password::ClearMschap),
        (
            token(),
            prop_oneof![
                Just(HashScheme::Encrypted),
                Just(HashScheme::Pbkdf2),
                Just(HashScheme::NtEncrypted)
            ]
        )
            .prop_map(|(hash, scheme)| Password::Hashed { hash, scheme }),
        Just(Password::None),
    ]
}

pub fn command() -> impl Strategy<Value = Command> {
    let username = "[!-~]{1,64}";
    prop_oneof![
        "[A-Za-z0-9][A-Za-z0-9_-]{0,62}".prop_map(Command::Hostname),
        "[A-Z][A-Za-z-]{0,15}[0-9]{1,2}(/[0-9]{1,2}){0,2}(\\.[0-9]{1,4})?"
            .prop_map(Command::Interface),
        nameif().prop_map(Command::Nameif),
        Just(Command::NoNameif),
        (0u8..=100).prop_map(Command::SecurityLevel),
        Just(Command::NoSecurityLevel),
        (ipv4(), 0u8..=32, prop::option::of(ipv4())).prop_map(|(address, prefix, standby)| {
            Command::IpAddress {
                address,
                mask: prefix_mask(prefix),
                standby,
            }
        }),
        any::<bool>().prop_map(|setroute| Command::IpAddressDhcp { setroute }),
        Just(Command::NoIpAddress),
        Just(Command::Shutdown),
        Just(Command::NoShutdown),
        "[!-~]([ -~]{0,238}[!-~])?".prop_map(Command::Description),
        Just(Command::NoDescription),
        (username, password(), prop::option::of(0u8..=15)).prop_map(
            |(name, password, privilege)| Command::Username {
                name,
                password,
                privilege
            }
        ),
        username.prop_map(Command::NoUsername),
        object_name().prop_map(Command::ObjectNetwork),
        object_name().prop_map(Command::NoObjectNetwork),
        network_address().prop_map(Command::Address),
        network_address().prop_map(Command::NoAddress),
        logging().prop_map(Command::Logging),
        logging().prop_map(Command::NoLogging),
        Just(Command::ConfigureTerminal),
        Just(Command::Exit),
        Just(Command::End),
    ]
}
