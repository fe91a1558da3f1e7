//! proptest strategies generating every valid extended ACE (used by the ACL round-trip tests).

use std::net::Ipv4Addr;

use proptest::prelude::*;

use super::ace::{
    Ace, DestService, Endpoint, ICMP_NAMES, LogSpec, PORT_NAMES, PortMatch, Protocol,
};
use crate::parse::prefix_mask;
use crate::strategies::{ip, ipv4, ipv6, nameif, object_name, severity};

pub fn port() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u16>().prop_map(|p| p.to_string()),
        proptest::sample::select(PORT_NAMES).prop_map(str::to_owned),
    ]
}

pub fn port_match(groups: bool) -> BoxedStrategy<PortMatch> {
    let plain = prop_oneof![
        port().prop_map(|p| PortMatch::Eq(p.into())),
        port().prop_map(|p| PortMatch::Neq(p.into())),
        port().prop_map(|p| PortMatch::Lt(p.into())),
        port().prop_map(|p| PortMatch::Gt(p.into())),
        (port(), port()).prop_map(|(a, b)| PortMatch::Range(a.into(), b.into())),
    ];
    if groups {
        prop_oneof![4 => plain, 1 => object_name().prop_map(|n| PortMatch::Group(n.into()))].boxed()
    } else {
        plain.boxed()
    }
}

pub fn endpoint() -> impl Strategy<Value = Endpoint> {
    prop_oneof![
        Just(Endpoint::Any),
        Just(Endpoint::Any4),
        Just(Endpoint::Any6),
        ip().prop_map(Endpoint::Host),
        (ipv4(), 0u8..=32).prop_map(|(ip, prefix)| {
            let mask = prefix_mask(prefix);
            Endpoint::Net4 {
                network: Ipv4Addr::from(u32::from(ip) & u32::from(mask)),
                mask,
            }
        }),
        (ipv6(), 0u8..=128).prop_map(|(ip, prefix)| {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            Endpoint::Net6 {
                network: (u128::from(ip) & mask).into(),
                prefix,
            }
        }),
        object_name().prop_map(|n| Endpoint::Object(n.into())),
        object_name().prop_map(|n| Endpoint::Group(n.into())),
        nameif().prop_map(|n| Endpoint::Interface(n.into())),
    ]
}

pub fn log_spec() -> impl Strategy<Value = LogSpec> {
    prop_oneof![
        Just(LogSpec::Disable),
        Just(LogSpec::Default),
        (prop::option::of(severity()), prop::option::of(1u32..=600))
            .prop_map(|(level, interval)| LogSpec::On { level, interval }),
    ]
}

/// Protocol with the source-port and destination-service slots it allows.
fn protocol_and_services()
-> impl Strategy<Value = (Protocol, Option<PortMatch>, Option<DestService>)> {
    prop_oneof![
        (
            prop_oneof![Just("tcp"), Just("udp")],
            prop::option::of(port_match(false)),
            prop::option::of(port_match(true))
        )
            .prop_map(|(p, s, d)| (
                Protocol::Named(p.to_owned().into()),
                s,
                d.map(DestService::Port)
            )),
        (
            prop_oneof![Just("icmp"), Just("icmp6")],
            prop::option::of((
                proptest::sample::select(ICMP_NAMES),
                prop::option::of(any::<u8>())
            ))
        )
            .prop_map(|(p, t)| (
                Protocol::Named(p.to_owned().into()),
                None,
                t.map(|(kind, code)| DestService::Icmp {
                    kind: kind.to_owned().into(),
                    code
                })
            )),
        prop_oneof![Just("ip"), Just("esp"), Just("gre"), Just("50")].prop_map(|p| (
            Protocol::Named(p.to_owned().into()),
            None,
            None
        )),
        object_name().prop_map(|n| (Protocol::Object(n.into()), None, None)),
        object_name().prop_map(|n| (Protocol::Group(n.into()), None, None)),
    ]
}

pub fn ace() -> impl Strategy<Value = Ace> {
    (
        any::<bool>(),
        protocol_and_services(),
        endpoint(),
        endpoint(),
        prop::option::of(log_spec()),
        prop::option::of(object_name()),
        any::<bool>(),
    )
        .prop_map(
            |(
                permit,
                (protocol, source_port, destination_service),
                source,
                destination,
                log,
                time_range,
                inactive,
            )| Ace {
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
        )
}
