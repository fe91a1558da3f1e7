//! proptest strategies generating every valid NAT rule (used by the NAT round-trip tests).

use proptest::prelude::*;

use super::rule::{
    Addr, Destination, Mapped, MappedAddr, Mode, NatLine, NatRule, PatOptions, Section, Service,
    SvcRef, is_nat_name,
};
use crate::acl::strategies::port;
use crate::strategies::{description, ip, ipv6, nameif, object_name};

/// Object names a NAT line can carry (not a NAT keyword, not an address).
pub fn name() -> impl Strategy<Value = String> {
    object_name().prop_filter("nat keyword or address", |s| is_nat_name(s))
}

fn interfaces() -> impl Strategy<Value = Option<(String, String)>> {
    proptest::option::weighted(0.8, (nameif(), nameif()))
}

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![Just(Mode::Static), Just(Mode::Dynamic)]
}

fn real() -> impl Strategy<Value = Addr> {
    prop_oneof![1 => Just(Addr::Any), 4 => name().prop_map(|n| Addr::Name(n.into()))]
}

fn pat_options() -> impl Strategy<Value = PatOptions> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(round_robin, extended, flat, include_reserve, block_allocation)| PatOptions {
                round_robin,
                extended,
                flat,
                // The ASA takes include-reserve only after flat.
                include_reserve: include_reserve && flat,
                block_allocation,
            },
        )
}

fn mapped(mode: Mode, object: bool) -> BoxedStrategy<Mapped> {
    let mut addrs: Vec<BoxedStrategy<MappedAddr>> = vec![
        Just(MappedAddr::Addr(Addr::Any)).boxed(),
        name()
            .prop_map(|n| MappedAddr::Addr(Addr::Name(n.into())))
            .boxed(),
        any::<bool>()
            .prop_map(|ipv6| MappedAddr::Addr(Addr::Interface { ipv6 }))
            .boxed(),
    ];
    if object {
        addrs.push(ip().prop_map(|i| MappedAddr::Addr(Addr::Host(i))).boxed());
        addrs.push(
            (ipv6(), 0u8..=128)
                .prop_map(|(network, prefix)| MappedAddr::Addr(Addr::Net6 { network, prefix }))
                .boxed(),
        );
    }
    if mode == Mode::Dynamic {
        addrs.push(
            (name(), pat_options())
                .prop_map(|(pool, options)| MappedAddr::PatPool { pool, options })
                .boxed(),
        );
        // The interface's own address as the pool: never extended.
        addrs.push(
            pat_options()
                .prop_map(|options| MappedAddr::InterfacePatPool {
                    options: PatOptions {
                        extended: false,
                        ..options
                    },
                })
                .boxed(),
        );
    }
    let addr = proptest::strategy::Union::new(addrs);
    (addr, proptest::option::of(any::<bool>()))
        .prop_map(move |(addr, fallback)| {
            // The ASA refuses an interface fallback after an extended PAT pool.
            let extended = matches!(&addr, MappedAddr::PatPool { options, .. } if options.extended);
            let allowed = mode == Mode::Dynamic
                && !extended
                && !matches!(
                    addr,
                    MappedAddr::Addr(Addr::Interface { .. } | Addr::Any)
                        | MappedAddr::InterfacePatPool { .. }
                );
            Mapped {
                addr,
                fallback: fallback.filter(|_| allowed),
            }
        })
        .boxed()
}

fn destination() -> impl Strategy<Value = Destination> {
    let mapped = prop_oneof![
        Just(Addr::Any),
        name().prop_map(|n| Addr::Name(n.into())),
        any::<bool>().prop_map(|ipv6| Addr::Interface { ipv6 }),
    ];
    (mapped, real()).prop_map(|(mapped, real)| Destination { mapped, real })
}

fn svc_ref() -> impl Strategy<Value = SvcRef> {
    prop_oneof![1 => Just(SvcRef::Any), 3 => name().prop_map(SvcRef::Name)]
}

fn flags() -> impl Strategy<Value = [bool; 6]> {
    any::<[bool; 6]>()
}

/// A twice rule (with a real source).
pub fn twice_rule() -> impl Strategy<Value = NatRule> {
    (interfaces(), mode()).prop_flat_map(|(interfaces, mode)| {
        (
            real(),
            mapped(mode, false),
            proptest::option::of(destination()),
            proptest::option::of(
                (svc_ref(), svc_ref()).prop_map(|(real, mapped)| Service::Objects { real, mapped }),
            ),
            flags(),
            proptest::option::of(description()),
        )
            .prop_map(
                move |(real, mapped, destination, service, f, description)| NatRule {
                    interfaces: interfaces.clone().map(|(a, b)| (a.into(), b.into())),
                    mode,
                    real_source: Some(real),
                    mapped_source: mapped,
                    destination: destination.map(Box::new),
                    service: service.map(Box::new),
                    net_to_net: f[0],
                    dns: f[1],
                    unidirectional: f[2],
                    no_proxy_arp: f[3],
                    route_lookup: f[4],
                    inactive: f[5],
                    description,
                },
            )
    })
}

/// A top-level twice NAT line.
pub fn nat_line() -> impl Strategy<Value = NatLine> {
    (
        prop_oneof![Just(Section::Before), Just(Section::After)],
        proptest::option::of(1u32..5000),
        twice_rule(),
    )
        .prop_map(|(section, line, rule)| NatLine {
            section,
            line,
            rule,
        })
}

/// An object rule (the `nat` line inside `object network`).
pub fn object_rule() -> impl Strategy<Value = NatRule> {
    (interfaces(), mode()).prop_flat_map(|(interfaces, mode)| {
        let service = if mode == Mode::Static {
            proptest::option::of(
                (
                    prop_oneof![Just("tcp"), Just("udp"), Just("sctp")],
                    port(),
                    port(),
                )
                    .prop_map(|(p, real, mapped)| Service::Ports {
                        protocol: p.to_owned(),
                        real,
                        mapped,
                    }),
            )
            .boxed()
        } else {
            Just(None).boxed()
        };
        (mapped(mode, true), service, flags()).prop_map(move |(mapped, service, f)| NatRule {
            interfaces: interfaces.clone().map(|(a, b)| (a.into(), b.into())),
            mode,
            real_source: None,
            mapped_source: mapped,
            destination: None,
            service: service.map(Box::new),
            net_to_net: f[0],
            dns: f[1],
            unidirectional: false,
            no_proxy_arp: f[3],
            route_lookup: f[4],
            inactive: false,
            description: None,
        })
    })
}
