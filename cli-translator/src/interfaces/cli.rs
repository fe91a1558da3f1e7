//! The commands an interface write sends: the fewest sub-commands turning the interface as
//! the snapshot has it into what the request asks, plus its `mtu <nameif>` line.
//!
//! Order inside the block matters on an ASA: `vlan` comes before `nameif` (a sub-interface
//! takes no name before its VLAN), `channel-group` before `nameif`, and the address after
//! the name. Lines the ASA would keep twice (`lacp`, `flowcontrol`, `ipv6 nd ...`) are
//! removed before they are set again.

use super::DEFAULT_MTU;
use super::model::{Interface, Ipv4Setting, Ipv6Address, NdSettings};

fn v6_address_line(a: &Ipv6Address) -> String {
    let mut s = format!("ipv6 address {}/{}", a.address, a.prefix);
    if a.eui64 {
        s.push_str(" eui-64");
    }
    if let Some(sb) = a.standby {
        s.push_str(&format!(" standby {sb}"));
    }
    s
}

fn ipv4_line(ip: &Ipv4Setting) -> String {
    match ip {
        Ipv4Setting::None => "no ip address".to_owned(),
        Ipv4Setting::Static {
            address,
            mask,
            standby: None,
        } => format!("ip address {address} {mask}"),
        Ipv4Setting::Static {
            address,
            mask,
            standby: Some(sb),
        } => format!("ip address {address} {mask} standby {sb}"),
        Ipv4Setting::Dhcp { setroute: false } => "ip address dhcp".to_owned(),
        Ipv4Setting::Dhcp { setroute: true } => "ip address dhcp setroute".to_owned(),
    }
}

/// `(setting words, value words)` of each `ipv6 nd` setting that differs from its default.
fn nd_lines(nd: &NdSettings) -> Vec<(&'static str, String)> {
    let d = NdSettings::default();
    let mut out = Vec::new();
    if nd.ns_interval != d.ns_interval {
        out.push(("ipv6 nd ns-interval", nd.ns_interval.to_string()));
    }
    if nd.dad_attempts != d.dad_attempts {
        out.push(("ipv6 nd dad attempts", nd.dad_attempts.to_string()));
    }
    if nd.reachable_time != d.reachable_time {
        out.push(("ipv6 nd reachable-time", nd.reachable_time.to_string()));
    }
    if nd.ra_lifetime != d.ra_lifetime {
        out.push(("ipv6 nd ra-lifetime", nd.ra_lifetime.to_string()));
    }
    if nd.ra_interval != d.ra_interval || nd.ra_interval_msec != d.ra_interval_msec {
        let value = if nd.ra_interval_msec {
            format!("msec {}", nd.ra_interval)
        } else {
            nd.ra_interval.to_string()
        };
        out.push(("ipv6 nd ra-interval", value));
    }
    if nd.suppress_ra {
        out.push(("ipv6 nd suppress-ra", String::new()));
    }
    if nd.managed_config {
        out.push(("ipv6 nd managed-config-flag", String::new()));
    }
    if nd.other_config {
        out.push(("ipv6 nd other-config-flag", String::new()));
    }
    out
}

fn join(words: &str, value: &str) -> String {
    if value.is_empty() {
        words.to_owned()
    } else {
        format!("{words} {value}")
    }
}

/// Sub-commands (without indentation) turning `old` into `new`; empty when they are equal.
pub fn sub_commands(old: &Interface, new: &Interface) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if old.description != new.description {
        out.push(match &new.description {
            Some(d) => format!("description {d}"),
            None => "no description".to_owned(),
        });
    }
    if old.speed != new.speed {
        out.push(match &new.speed {
            Some(s) => format!("speed {s}"),
            None => "no speed".to_owned(),
        });
    }
    if old.duplex != new.duplex {
        out.push(match &new.duplex {
            Some(d) => format!("duplex {d}"),
            None => "no duplex".to_owned(),
        });
    }
    if old.flowcontrol != new.flowcontrol {
        if old.flowcontrol.is_some() {
            out.push("no flowcontrol send on".to_owned());
        }
        if let Some(f) = new.flowcontrol {
            out.push(match f.water {
                Some((l, h, p)) => format!("flowcontrol send on {l} {h} {p}"),
                None => "flowcontrol send on".to_owned(),
            });
        }
    }
    // A member of a port-channel carries no name: the name goes before it joins.
    let joins_channel = old.channel_group.is_none() && new.channel_group.is_some();
    if joins_channel && old.nameif.is_some() && new.nameif.is_none() {
        out.push("no nameif".to_owned());
    }
    if old.channel_group != new.channel_group {
        out.push(match &new.channel_group {
            Some(g) => format!("channel-group {} mode {}", g.id, g.mode),
            None => "no channel-group".to_owned(),
        });
    }
    if old.lacp_priority != new.lacp_priority {
        if old.lacp_priority.is_some() {
            out.push("no lacp port-priority".to_owned());
        }
        if let Some(p) = new.lacp_priority {
            out.push(format!("lacp port-priority {p}"));
        }
    }
    if old.management_only != new.management_only {
        out.push(if new.management_only {
            "management-only".to_owned()
        } else {
            "no management-only".to_owned()
        });
    }
    if old.mac_address != new.mac_address {
        out.push(match &new.mac_address {
            Some(m) => match &m.standby {
                Some(sb) => format!("mac-address {} standby {sb}", m.active),
                None => format!("mac-address {}", m.active),
            },
            None => "no mac-address".to_owned(),
        });
    }
    if old.vlan != new.vlan {
        out.push(match new.vlan {
            Some(v) => format!("vlan {v}"),
            None => "no vlan".to_owned(),
        });
    }
    for m in old.members.iter().filter(|m| !new.members.contains(m)) {
        out.push(format!("no member-interface {m}"));
    }
    for m in new.members.iter().filter(|m| !old.members.contains(m)) {
        out.push(format!("member-interface {m}"));
    }
    if old.nameif != new.nameif && !(joins_channel && new.nameif.is_none()) {
        out.push(match &new.nameif {
            Some(n) => format!("nameif {n}"),
            None => "no nameif".to_owned(),
        });
    }
    if old.security_level != new.security_level {
        out.push(match new.security_level {
            Some(l) => format!("security-level {l}"),
            None => "no security-level".to_owned(),
        });
    }
    if old.ipv4 != new.ipv4 {
        out.push(ipv4_line(&new.ipv4));
    }
    ipv6_commands(old, new, &mut out);
    if old.shutdown != new.shutdown {
        out.push(if new.shutdown {
            "shutdown".to_owned()
        } else {
            "no shutdown".to_owned()
        });
    }
    out
}

fn ipv6_commands(old: &Interface, new: &Interface, out: &mut Vec<String>) {
    let (o, n) = (&old.ipv6, &new.ipv6);
    if o.enabled != n.enabled {
        out.push(if n.enabled {
            "ipv6 enable".to_owned()
        } else {
            "no ipv6 enable".to_owned()
        });
    }
    if o.autoconfig != n.autoconfig {
        out.push(if n.autoconfig {
            "ipv6 address autoconfig".to_owned()
        } else {
            "no ipv6 address autoconfig".to_owned()
        });
    }
    for a in o.addresses.iter().filter(|a| !n.addresses.contains(a)) {
        out.push(format!("no ipv6 address {}/{}", a.address, a.prefix));
    }
    for a in n.addresses.iter().filter(|a| !o.addresses.contains(a)) {
        out.push(v6_address_line(a));
    }
    if o.link_local != n.link_local {
        if let Some((a, _)) = o.link_local {
            out.push(format!("no ipv6 address {a} link-local"));
        }
        if let Some((a, sb)) = n.link_local {
            out.push(match sb {
                Some(sb) => format!("ipv6 address {a} link-local standby {sb}"),
                None => format!("ipv6 address {a} link-local"),
            });
        }
    }
    let old_nd = nd_lines(&o.nd);
    let new_nd = nd_lines(&n.nd);
    for (words, value) in &old_nd {
        if !new_nd.iter().any(|(w, v)| w == words && v == value) {
            out.push(format!("no {}", join(words, value)));
        }
    }
    for (words, value) in &new_nd {
        if !old_nd.iter().any(|(w, v)| w == words && v == value) {
            out.push(join(words, value));
        }
    }
}

/// The batch of a write: `old` (as configured, with the value of its `mtu` line) becomes
/// `new` running with `new_mtu`. Empty when nothing changes.
///
/// The `mtu` line follows the name: it goes before a rename or a removal (it refers to the
/// old name) and is written for the new name when the MTU is not the default or a line
/// existed before.
pub fn update(
    old: &Interface,
    old_mtu_line: Option<u16>,
    new: &Interface,
    new_mtu: u16,
) -> Vec<String> {
    let mut out = Vec::new();
    let renamed = old.nameif != new.nameif;
    if renamed && let (Some(o), Some(v)) = (&old.nameif, old_mtu_line) {
        out.push(format!("no mtu {o} {v}"));
    }
    let subs = sub_commands(old, new);
    if !subs.is_empty() {
        out.push(format!("interface {}", new.hardware_id));
        out.extend(subs.into_iter().map(|s| format!(" {s}")));
    }
    if let Some(n) = &new.nameif {
        let wanted = new_mtu != DEFAULT_MTU || old_mtu_line.is_some();
        let unchanged = !renamed && old_mtu_line == Some(new_mtu);
        if wanted && !unchanged {
            out.push(format!("mtu {n} {new_mtu}"));
        }
    }
    out
}

/// The batch creating a logical interface (sub-interface, port-channel, redundant, BVI).
pub fn create(new: &Interface, mtu: u16) -> Vec<String> {
    let mut out = update(&Interface::unconfigured(&new.hardware_id), None, new, mtu);
    if !out.iter().any(|l| l.starts_with("interface ")) {
        out.insert(0, format!("interface {}", new.hardware_id));
    }
    out
}

/// The batch deleting a logical interface (its `mtu` line first).
pub fn delete(old: &Interface, old_mtu_line: Option<u16>) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(n), Some(v)) = (&old.nameif, old_mtu_line) {
        out.push(format!("no mtu {n} {v}"));
    }
    out.push(format!("no interface {}", old.hardware_id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interfaces::model::{ChannelGroup, MacAddress};

    fn gi1() -> Interface {
        Interface::unconfigured("GigabitEthernet0/1")
    }

    fn named(name: &str) -> Interface {
        let mut i = gi1();
        i.nameif = Some(name.into());
        i.security_level = Some(100);
        i.ipv4 = Ipv4Setting::Static {
            address: "10.0.0.1".parse().unwrap(),
            mask: "255.255.255.0".parse().unwrap(),
            standby: None,
        };
        i
    }

    #[test]
    fn equal_interfaces_need_nothing() {
        assert!(update(&named("in"), Some(1500), &named("in"), 1500).is_empty());
        assert!(update(&gi1(), None, &gi1(), 1500).is_empty());
    }

    #[test]
    fn naming_a_port_writes_name_level_and_address_in_order() {
        let mut old = gi1();
        old.shutdown = true;
        assert_eq!(
            update(&old, None, &named("inside"), 1500),
            [
                "interface GigabitEthernet0/1",
                " nameif inside",
                " security-level 100",
                " ip address 10.0.0.1 255.255.255.0",
                " no shutdown"
            ]
        );
        assert_eq!(
            update(&old, None, &named("inside"), 9000)
                .last()
                .map(String::as_str),
            Some("mtu inside 9000")
        );
    }

    #[test]
    fn clearing_a_port_removes_its_mtu_line_first() {
        assert_eq!(
            update(&named("inside"), Some(1500), &gi1(), 1500),
            [
                "no mtu inside 1500",
                "interface GigabitEthernet0/1",
                " no nameif",
                " no security-level",
                " no ip address"
            ]
        );
    }

    #[test]
    fn renaming_moves_the_mtu_line() {
        let cmds = update(&named("a"), Some(9000), &named("b"), 9000);
        assert_eq!(
            cmds,
            [
                "no mtu a 9000",
                "interface GigabitEthernet0/1",
                " nameif b",
                "mtu b 9000"
            ]
        );
        let cmds = update(&named("a"), Some(9000), &named("a"), 1400);
        assert_eq!(cmds, ["mtu a 1400"]);
    }

    #[test]
    fn sub_interfaces_get_their_vlan_before_the_name() {
        let mut new = Interface::unconfigured("GigabitEthernet0/1.100");
        new.vlan = Some(100);
        new.nameif = Some("dmz".into());
        new.description = Some("DMZ".into());
        assert_eq!(
            create(&new, 1500),
            [
                "interface GigabitEthernet0/1.100",
                " description DMZ",
                " vlan 100",
                " nameif dmz"
            ]
        );
        assert_eq!(
            delete(&new, Some(1500)),
            ["no mtu dmz 1500", "no interface GigabitEthernet0/1.100"]
        );
        assert_eq!(
            create(&Interface::unconfigured("Port-channel1"), 1500),
            ["interface Port-channel1"]
        );
    }

    #[test]
    fn single_valued_lines_are_replaced_and_repeatable_ones_removed_first() {
        let mut old = gi1();
        old.lacp_priority = Some(5);
        old.speed = Some("100".into());
        old.ipv6.nd.ns_interval = 2000;
        old.mac_address = Some(MacAddress {
            active: "0011.2233.4455".into(),
            standby: None,
        });
        let mut new = gi1();
        new.lacp_priority = Some(6);
        new.ipv6.nd.ns_interval = 3000;
        new.channel_group = Some(ChannelGroup {
            id: 1,
            mode: "on".into(),
        });
        assert_eq!(
            sub_commands(&old, &new),
            [
                "no speed",
                "channel-group 1 mode on",
                "no lacp port-priority",
                "lacp port-priority 6",
                "no mac-address",
                "no ipv6 nd ns-interval 2000",
                "ipv6 nd ns-interval 3000"
            ]
        );
    }

    #[test]
    fn ipv6_addresses_are_added_and_removed_one_by_one() {
        let a = |s: &str| Ipv6Address {
            address: s.parse().unwrap(),
            prefix: 64,
            standby: None,
            eui64: false,
        };
        let mut old = gi1();
        old.ipv6.addresses = vec![a("2001:db8::1"), a("2001:db8:1::1")];
        let mut new = gi1();
        new.ipv6.enabled = true;
        new.ipv6.addresses = vec![a("2001:db8::1"), a("2001:db8:2::1")];
        new.ipv6.link_local = Some(("fe80::1".parse().unwrap(), None));
        assert_eq!(
            sub_commands(&old, &new),
            [
                "ipv6 enable",
                "no ipv6 address 2001:db8:1::1/64",
                "ipv6 address 2001:db8:2::1/64",
                "ipv6 address fe80::1 link-local"
            ]
        );
    }
}
