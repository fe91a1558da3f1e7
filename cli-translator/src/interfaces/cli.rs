//! The commands an interface write sends: the fewest sub-commands turning the interface as
//! the snapshot has it into what the request asks, plus its `mtu <nameif>` line.
//!
//! Order inside the block matters on an ASA: `vlan` comes before `nameif` (a sub-interface
//! takes no name before its VLAN), `channel-group` before `nameif`, and the address after
//! the name. Lines the ASA would keep twice (`lacp`, `flowcontrol`, `ipv6 nd ...`) are
//! removed before they are set again. A passive port (`traffic-forward`) carries no name:
//! its `no traffic-forward` goes before a new `nameif`, its `traffic-forward` after `no nameif`.
//!
//! The global `ipv6 enforce-eui64 <nameif>` follows the name like the `mtu` line: removed
//! before the block (LINA refuses `no nameif` while it names the interface), added after it.
//! A rename needs no command for it: LINA carries the reference along.
//!
//! Port-channel members are written on the member ports ([`channel_members`]).

use super::model::{ChannelGroup, Family, Interface, Ipv4Setting, Ipv6Address, NdSettings};
use super::{DEFAULT_MTU, Interfaces};

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
    let forward_changed = old.traffic_forward != new.traffic_forward;
    if forward_changed && let Some(m) = old.traffic_forward {
        out.push(format!("no {}", m.line()));
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
    // A port-channel's members are written on the ports (`channel_members`).
    if Family::of(&new.hardware_id) != Some(Family::PortChannel) {
        for m in old.members.iter().filter(|m| !new.members.contains(m)) {
            out.push(format!("no member-interface {m}"));
        }
        for m in new.members.iter().filter(|m| !old.members.contains(m)) {
            out.push(format!("member-interface {m}"));
        }
    }
    if old.nameif != new.nameif && !(joins_channel && new.nameif.is_none()) {
        out.push(match &new.nameif {
            Some(n) => format!("nameif {n}"),
            None => "no nameif".to_owned(),
        });
    }
    if forward_changed && let Some(m) = new.traffic_forward {
        out.push(m.line());
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
    for p in o.nd_prefixes.iter().filter(|p| !n.nd_prefixes.contains(p)) {
        // A new line for the same prefix replaces the old one.
        if !n.nd_prefixes.iter().any(|x| x.target == p.target) {
            out.push(p.removal());
        }
    }
    for p in n.nd_prefixes.iter().filter(|p| !o.nd_prefixes.contains(p)) {
        out.push(p.line());
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
    let (old_eui, new_eui) = (enforced(old), enforced(new));
    if let (Some(o), None) = (old_eui, new_eui) {
        out.push(format!("no ipv6 enforce-eui64 {o}"));
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
    if let (None, Some(n)) = (old_eui, new_eui) {
        out.push(format!("ipv6 enforce-eui64 {n}"));
    }
    out
}

/// The nameif an `ipv6 enforce-eui64` line names for `iface`, if it has one.
fn enforced(iface: &Interface) -> Option<&str> {
    iface.nameif.as_deref().filter(|_| iface.ipv6.enforce_eui64)
}

/// What a write to port-channel `port_channel` does to its ports: each port of `old` (its
/// current members) not in `new` leaves (`None`), each port of `new` not in `old` joins with
/// the mode the current members use, else the first joining port's own mode, else `active`.
fn member_plan(
    all: &Interfaces,
    port_channel: &str,
    old: &[String],
    new: &[String],
) -> Vec<(String, Option<ChannelGroup>)> {
    let Some(id) = port_channel
        .strip_prefix("Port-channel")
        .and_then(|n| n.parse::<u16>().ok())
    else {
        return Vec::new();
    };
    let mode_of = |hw: &String| all.get(hw).and_then(|i| i.channel_group.clone());
    // One mode for the whole group: its current members', else the first joining port's own.
    let mode = old
        .iter()
        .find_map(mode_of)
        .or_else(|| new.iter().find_map(mode_of))
        .map_or_else(|| "active".to_owned(), |g| g.mode);
    let leaving = old
        .iter()
        .filter(|hw| !new.contains(hw))
        .map(|hw| (hw.clone(), None));
    let joining = new.iter().filter(|hw| !old.contains(hw)).map(|hw| {
        let group = ChannelGroup {
            id,
            mode: mode.clone(),
        };
        (hw.clone(), Some(group))
    });
    leaving.chain(joining).collect()
}

/// The member-port commands of a write to port-channel `port_channel` whose members go from
/// `old` to `new` (see [`member_plan`]): `interface <port>` then `no channel-group` or
/// `channel-group <n> mode <mode>`. `all` holds the ports as configured.
pub fn channel_members(
    all: &Interfaces,
    port_channel: &str,
    old: &[String],
    new: &[String],
) -> Vec<String> {
    let mut out = Vec::new();
    for (hw, group) in member_plan(all, port_channel, old, new) {
        out.push(format!("interface {hw}"));
        out.push(match group {
            Some(g) => format!(" channel-group {} mode {}", g.id, g.mode),
            None => " no channel-group".to_owned(),
        });
    }
    out
}

/// The ports [`channel_members`] changes, as they are once it ran.
pub fn members_after(
    all: &Interfaces,
    port_channel: &str,
    old: &[String],
    new: &[String],
) -> Vec<Interface> {
    member_plan(all, port_channel, old, new)
        .into_iter()
        .filter_map(|(hw, group)| {
            let mut port = all.get(&hw)?.clone();
            port.channel_group = group;
            Some(port)
        })
        .collect()
}

/// The batch creating a logical interface (sub-interface, port-channel, redundant, BVI).
pub fn create(new: &Interface, mtu: u16) -> Vec<String> {
    let mut out = update(&Interface::unconfigured(&new.hardware_id), None, new, mtu);
    if !out.iter().any(|l| l.starts_with("interface ")) {
        out.insert(0, format!("interface {}", new.hardware_id));
    }
    out
}

/// The lines turning the `same-security-traffic` setup `old` into `new`:
/// `[no] same-security-traffic permit inter-interface|intra-interface`, only for what changes.
pub fn setup(old: super::Setup, new: super::Setup) -> Vec<String> {
    let mut out = Vec::new();
    for (was, wanted, words) in [
        (old.inter_interface, new.inter_interface, "inter-interface"),
        (old.intra_interface, new.intra_interface, "intra-interface"),
    ] {
        if was != wanted {
            out.push(if wanted {
                format!("same-security-traffic permit {words}")
            } else {
                format!("no same-security-traffic permit {words}")
            });
        }
    }
    out
}

/// The batch deleting a logical interface (its `mtu` line first).
pub fn delete(old: &Interface, old_mtu_line: Option<u16>) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(n), Some(v)) = (&old.nameif, old_mtu_line) {
        out.push(format!("no mtu {n} {v}"));
    }
    if let Some(n) = enforced(old) {
        out.push(format!("no ipv6 enforce-eui64 {n}"));
    }
    out.push(format!("no interface {}", old.hardware_id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interfaces::model::{ChannelGroup, MacAddress, TrafficModule};
    use crate::interfaces::nd_prefix::{NdPrefix, PrefixTarget};

    #[test]
    fn setup_sends_only_what_changes() {
        let off = crate::interfaces::Setup::default();
        let inter = crate::interfaces::Setup {
            inter_interface: true,
            intra_interface: false,
        };
        assert_eq!(
            setup(off, inter),
            ["same-security-traffic permit inter-interface"]
        );
        assert_eq!(
            setup(inter, off),
            ["no same-security-traffic permit inter-interface"]
        );
        assert!(setup(inter, inter).is_empty());
    }

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

    #[test]
    fn enforce_eui64_follows_the_name_outside_the_block() {
        let mut on = named("inside");
        on.ipv6.enforce_eui64 = true;
        assert_eq!(
            update(&named("inside"), None, &on, 1500),
            ["ipv6 enforce-eui64 inside"]
        );
        assert_eq!(
            update(&on, None, &gi1(), 1500),
            [
                "no ipv6 enforce-eui64 inside",
                "interface GigabitEthernet0/1",
                " no nameif",
                " no security-level",
                " no ip address"
            ]
        );
        // A rename carries the line along on LINA: nothing to send for it.
        let mut renamed = on.clone();
        renamed.nameif = Some("lan".into());
        assert_eq!(
            update(&on, None, &renamed, 1500),
            ["interface GigabitEthernet0/1", " nameif lan"]
        );
        let mut sub = Interface::unconfigured("GigabitEthernet0/1.5");
        sub.nameif = Some("five".into());
        sub.ipv6.enforce_eui64 = true;
        assert_eq!(
            delete(&sub, None),
            [
                "no ipv6 enforce-eui64 five",
                "no interface GigabitEthernet0/1.5"
            ]
        );
    }

    #[test]
    fn a_passive_port_loses_its_name_first_and_regains_it_last() {
        let mut passive = gi1();
        passive.traffic_forward = Some(TrafficModule::Sfr);
        assert_eq!(
            sub_commands(&named("inside"), &passive),
            [
                "no nameif",
                "traffic-forward sfr monitor-only",
                "no security-level",
                "no ip address"
            ]
        );
        assert_eq!(
            sub_commands(&passive, &named("inside")),
            [
                "no traffic-forward sfr monitor-only",
                "nameif inside",
                "security-level 100",
                "ip address 10.0.0.1 255.255.255.0"
            ]
        );
    }

    #[test]
    fn nd_prefixes_are_replaced_by_prefix_and_removed_by_prefix() {
        let p = |s: &str, off_link: bool| NdPrefix {
            off_link,
            ..NdPrefix::new(PrefixTarget::Prefix(s.parse().unwrap(), 64))
        };
        let mut old = gi1();
        old.ipv6.nd_prefixes = vec![p("2001:db8::", false), p("2001:db8:1::", false)];
        let mut new = gi1();
        new.ipv6.nd_prefixes = vec![p("2001:db8::", true), NdPrefix::new(PrefixTarget::Default)];
        assert_eq!(
            sub_commands(&old, &new),
            [
                "no ipv6 nd prefix 2001:db8:1::/64",
                "ipv6 nd prefix 2001:db8::/64 off-link",
                "ipv6 nd prefix default"
            ]
        );
    }

    #[test]
    fn port_channel_members_are_written_on_their_ports() {
        let mut all = Interfaces::default();
        all.absorb_block("GigabitEthernet0/2", &["channel-group 1 mode passive"]);
        all.absorb_block("GigabitEthernet0/3", &[]);
        all.absorb_block("GigabitEthernet0/4", &["channel-group 2 mode on"]);
        let old = all.channel_members("Port-channel1");
        let new = vec!["GigabitEthernet0/3".to_owned()];
        assert_eq!(
            channel_members(&all, "Port-channel1", &old, &new),
            [
                "interface GigabitEthernet0/2",
                " no channel-group",
                "interface GigabitEthernet0/3",
                " channel-group 1 mode passive"
            ]
        );
        // New members share the first one's own mode (LINA refuses a port of another group).
        let new = vec![
            "GigabitEthernet0/4".to_owned(),
            "GigabitEthernet0/3".to_owned(),
        ];
        assert_eq!(
            channel_members(&all, "Port-channel5", &[], &new),
            [
                "interface GigabitEthernet0/4",
                " channel-group 5 mode on",
                "interface GigabitEthernet0/3",
                " channel-group 5 mode on"
            ]
        );
        let after = members_after(&all, "Port-channel1", &old, &["GigabitEthernet0/3".into()]);
        let groups: Vec<_> = after.iter().map(|i| i.channel_group.clone()).collect();
        assert_eq!(
            groups,
            [
                None,
                Some(ChannelGroup {
                    id: 1,
                    mode: "passive".into()
                })
            ]
        );
        assert!(channel_members(&all, "Redundant1", &old, &[]).is_empty());
        // The port-channel block itself never lists them.
        let mut pc = Interface::unconfigured("Port-channel1");
        pc.members = new.clone();
        assert!(sub_commands(&Interface::unconfigured("Port-channel1"), &pc).is_empty());
    }
}
