//! One `interface` block as the API sees it, and the hardware families the API lists apart.
//!
//! ASA syntax (interface mode; the modelled sub-commands):
//! ```text
//! interface <hw>
//!  description <text>
//!  shutdown
//!  speed auto|10|100|1000|10000|nonegotiate     duplex auto|full|half
//!  management-only                              mac-address <H.H.H> [standby <H.H.H>]
//!  vlan <1-4094>                                channel-group <n> mode active|passive|on
//!  lacp port-priority <n>                       member-interface <hw>
//!  flowcontrol send on [<low> <high> <period>]
//!  nameif <name>                                security-level <0-100>
//!  ip address <ip> <mask> [standby <ip>] | ip address dhcp [setroute]
//!  ipv6 enable | ipv6 address autoconfig | ipv6 address <a>/<len> [eui-64] [standby <a>]
//!  ipv6 address <fe80::..> link-local [standby <a>] | ipv6 nd <setting> ...
//!  ipv6 nd prefix <prefix>|default ...          (see [`super::nd_prefix`])
//!  traffic-forward cxsc|sfr monitor-only        (physical ports without a nameif)
//! ```
//! and the global `ipv6 enforce-eui64 <nameif>` line, held as a flag of the named interface.
//! Other sub-commands are left alone: the API neither shows nor changes them.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::nd_prefix::NdPrefix;
use crate::ast::Command;
use crate::parse::{is_description, parse_command};

/// The collections the API lists interfaces in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// `/api/interfaces/physical`: the fixed hardware.
    Physical,
    /// `/api/interfaces/vlan`: sub-interfaces (`GigabitEthernet0/1.100`) and `Vlan<n>`.
    Vlan,
    /// `/api/interfaces/portchannel`: `Port-channel<n>`.
    PortChannel,
    /// `/api/interfaces/redundant`: `Redundant<n>`.
    Redundant,
    /// `/api/interfaces/bvi`: `BVI<n>` (bridge groups).
    Bvi,
}

impl Family {
    pub const ALL: [Family; 5] = [
        Family::Physical,
        Family::Vlan,
        Family::PortChannel,
        Family::Redundant,
        Family::Bvi,
    ];

    /// The family of a hardware id; `None` for interfaces the API does not list
    /// (tunnels, loopbacks, internal interfaces).
    pub fn of(hardware_id: &str) -> Option<Family> {
        if hardware_id.contains('.') {
            return Some(Family::Vlan);
        }
        let numbered = |prefix: &str| {
            hardware_id
                .strip_prefix(prefix)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        if numbered("Vlan") {
            Some(Family::Vlan)
        } else if numbered("Port-channel") {
            Some(Family::PortChannel)
        } else if numbered("Redundant") {
            Some(Family::Redundant)
        } else if numbered("BVI") {
            Some(Family::Bvi)
        } else if hardware_id.contains('/')
            && hardware_id.starts_with(|c: char| c.is_ascii_alphabetic())
            && !hardware_id.starts_with("Internal")
        {
            Some(Family::Physical)
        } else {
            None
        }
    }

    /// The URL segment after `/api/interfaces/`.
    pub fn segment(self) -> &'static str {
        match self {
            Family::Physical => "physical",
            Family::Vlan => "vlan",
            Family::PortChannel => "portchannel",
            Family::Redundant => "redundant",
            Family::Bvi => "bvi",
        }
    }

    pub fn from_segment(s: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.segment() == s)
    }

    /// The collection URL path.
    pub fn path(self) -> &'static str {
        match self {
            Family::Physical => "/api/interfaces/physical",
            Family::Vlan => "/api/interfaces/vlan",
            Family::PortChannel => "/api/interfaces/portchannel",
            Family::Redundant => "/api/interfaces/redundant",
            Family::Bvi => "/api/interfaces/bvi",
        }
    }

    /// `kind` of the collection envelope.
    pub fn collection_kind(self) -> &'static str {
        match self {
            Family::Physical => "collection#GigabitInterface",
            Family::Vlan => "collection#VlanMgmtInterface",
            Family::PortChannel => "collection#PCInterface",
            Family::Redundant => "collection#RedundantInterface",
            Family::Bvi => "collection#BVIInterface",
        }
    }

    /// `kind` of an item: by hardware type for physical interfaces.
    pub fn item_kind(self, hardware_id: &str) -> &'static str {
        match self {
            Family::Physical if hardware_id.starts_with("TenGigabitEthernet") => {
                "object#TenGigInterface"
            }
            Family::Physical if hardware_id.starts_with("Management") => "object#MgmtInterface",
            Family::Physical => "object#GigabitInterface",
            Family::Vlan => "object#VlanMgmtInterface",
            Family::PortChannel => "object#PCInterface",
            Family::Redundant => "object#RedundantInterface",
            Family::Bvi => "object#BVIInterface",
        }
    }

    /// Whether the API creates and deletes items of this family (physical ones only change).
    pub fn is_logical(self) -> bool {
        self != Family::Physical
    }
}

/// The IPv4 address setting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Ipv4Setting {
    /// `no ip address` (JSON `"NoneSelected"`)
    #[default]
    None,
    /// `ip address <ip> <mask> [standby <ip>]`
    Static {
        address: Ipv4Addr,
        mask: Ipv4Addr,
        standby: Option<Ipv4Addr>,
    },
    /// `ip address dhcp [setroute]`
    Dhcp { setroute: bool },
}

/// One global IPv6 address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv6Address {
    pub address: Ipv6Addr,
    pub prefix: u8,
    pub standby: Option<Ipv6Addr>,
    pub eui64: bool,
}

/// Neighbor discovery settings (`ipv6 nd ...`), with the ASA's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NdSettings {
    /// `ipv6 nd ns-interval <ms>` (1000)
    pub ns_interval: u32,
    /// `ipv6 nd dad attempts <n>` (1)
    pub dad_attempts: u32,
    /// `ipv6 nd reachable-time <ms>` (0)
    pub reachable_time: u32,
    /// `ipv6 nd ra-lifetime <s>` (1800)
    pub ra_lifetime: u32,
    /// `ipv6 nd ra-interval [msec] <n>` (200 seconds)
    pub ra_interval: u32,
    pub ra_interval_msec: bool,
    /// `ipv6 nd suppress-ra`
    pub suppress_ra: bool,
    /// `ipv6 nd managed-config-flag`
    pub managed_config: bool,
    /// `ipv6 nd other-config-flag`
    pub other_config: bool,
}

impl Default for NdSettings {
    fn default() -> Self {
        NdSettings {
            ns_interval: 1000,
            dad_attempts: 1,
            reachable_time: 0,
            ra_lifetime: 1800,
            ra_interval: 200,
            ra_interval_msec: false,
            suppress_ra: false,
            managed_config: false,
            other_config: false,
        }
    }
}

/// The IPv6 settings of an interface.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ipv6Setting {
    /// `ipv6 enable`
    pub enabled: bool,
    /// `ipv6 address autoconfig`
    pub autoconfig: bool,
    pub addresses: Vec<Ipv6Address>,
    /// `ipv6 address <fe80::...> link-local [standby <a>]`
    pub link_local: Option<(Ipv6Addr, Option<Ipv6Addr>)>,
    pub nd: NdSettings,
    /// `ipv6 nd prefix ...` lines, in configuration order, one per prefix.
    pub nd_prefixes: Vec<NdPrefix>,
    /// The global `ipv6 enforce-eui64 <nameif>` names this interface.
    pub enforce_eui64: bool,
}

/// `mac-address <active> [standby <standby>]`, dotted hex (`0011.2233.4455`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacAddress {
    pub active: String,
    pub standby: Option<String>,
}

/// `channel-group <id> mode <mode>`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelGroup {
    pub id: u16,
    /// `active`, `passive` or `on`.
    pub mode: String,
}

/// The module a passive port hands its traffic to (`traffic-forward <module> monitor-only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrafficModule {
    /// `cxsc`: the ASA CX module (`forwardTrafficCX`).
    Cx,
    /// `sfr`: the ASA FirePOWER module (`forwardTrafficSFR`).
    Sfr,
}

impl TrafficModule {
    /// The module's word on the CLI.
    pub fn word(self) -> &'static str {
        match self {
            TrafficModule::Cx => "cxsc",
            TrafficModule::Sfr => "sfr",
        }
    }

    pub fn from_word(w: &str) -> Option<TrafficModule> {
        match w {
            "cxsc" => Some(TrafficModule::Cx),
            "sfr" => Some(TrafficModule::Sfr),
            _ => None,
        }
    }

    /// `traffic-forward <module> monitor-only`
    pub fn line(self) -> String {
        format!("traffic-forward {} monitor-only", self.word())
    }
}

/// `flowcontrol send on [<low> <high> <period>]`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flowcontrol {
    pub water: Option<(u32, u32, u32)>,
}

/// One interface: what its block says, for the fields the API knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub hardware_id: String,
    pub description: Option<String>,
    pub shutdown: bool,
    pub nameif: Option<String>,
    pub security_level: Option<u8>,
    pub ipv4: Ipv4Setting,
    pub ipv6: Ipv6Setting,
    /// `speed <x>`; `None` is `auto`.
    pub speed: Option<String>,
    /// `duplex <x>`; `None` is `auto`.
    pub duplex: Option<String>,
    pub management_only: bool,
    pub mac_address: Option<MacAddress>,
    pub vlan: Option<u16>,
    pub channel_group: Option<ChannelGroup>,
    pub lacp_priority: Option<u16>,
    pub flowcontrol: Option<Flowcontrol>,
    /// `member-interface <hw>` lines (redundant interfaces); for a port-channel, the ports
    /// whose `channel-group` names it (filled in by the reader of the whole configuration).
    pub members: Vec<String>,
    /// `traffic-forward <module> monitor-only` (passive monitoring port).
    pub traffic_forward: Option<TrafficModule>,
}

/// Values `speed` takes.
pub const SPEEDS: &[&str] = &["auto", "10", "100", "1000", "10000", "nonegotiate"];
/// Values `duplex` takes.
pub const DUPLEXES: &[&str] = &["auto", "full", "half"];
/// Modes of `channel-group`.
pub const CHANNEL_MODES: &[&str] = &["active", "passive", "on"];

/// Whether `s` is a MAC address in the ASA's dotted form (`0011.2233.4455`).
pub fn is_mac(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl Interface {
    /// An interface with nothing configured (a fresh sub-interface, a cleared port).
    pub fn unconfigured(hardware_id: &str) -> Interface {
        Interface {
            hardware_id: hardware_id.to_owned(),
            description: None,
            shutdown: false,
            nameif: None,
            security_level: None,
            ipv4: Ipv4Setting::None,
            ipv6: Ipv6Setting::default(),
            speed: None,
            duplex: None,
            management_only: false,
            mac_address: None,
            vlan: None,
            channel_group: None,
            lacp_priority: None,
            flowcontrol: None,
            members: Vec::new(),
            traffic_forward: None,
        }
    }

    /// Reads a block's children. Never fails: a line that does not parse is skipped.
    pub fn from_block(hardware_id: &str, children: &[&str]) -> Interface {
        let mut iface = Interface::unconfigured(hardware_id);
        for child in children {
            iface.absorb_line(child.trim());
        }
        iface
    }

    fn absorb_line(&mut self, line: &str) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["shutdown"] => self.shutdown = true,
            ["no", "shutdown"] => self.shutdown = false,
            ["description", ..] => {
                let text = line["description".len()..].trim_start();
                if is_description(text) {
                    self.description = Some(text.to_owned());
                }
            }
            ["nameif", name] if crate::parse::is_nameif(name) => {
                self.nameif = Some((*name).to_owned());
            }
            ["no", "nameif", ..] => self.nameif = None,
            ["security-level", n] => self.security_level = n.parse().ok().filter(|l| *l <= 100),
            ["no", "security-level", ..] => self.security_level = None,
            ["ip", "address", ..] => match parse_command(line) {
                Ok(Command::IpAddress {
                    address,
                    mask,
                    standby,
                }) => {
                    self.ipv4 = Ipv4Setting::Static {
                        address,
                        mask,
                        standby,
                    }
                }
                Ok(Command::IpAddressDhcp { setroute }) => {
                    self.ipv4 = Ipv4Setting::Dhcp { setroute }
                }
                _ => {}
            },
            ["no", "ip", "address", ..] => self.ipv4 = Ipv4Setting::None,
            ["speed", s] if SPEEDS.contains(s) => {
                self.speed = (*s != "auto").then(|| (*s).to_owned());
            }
            ["duplex", d] if DUPLEXES.contains(d) => {
                self.duplex = (*d != "auto").then(|| (*d).to_owned());
            }
            ["management-only"] => self.management_only = true,
            ["no", "management-only"] => self.management_only = false,
            ["mac-address", active] if is_mac(active) => {
                self.mac_address = Some(MacAddress {
                    active: (*active).to_owned(),
                    standby: None,
                });
            }
            ["mac-address", active, "standby", standby] if is_mac(active) && is_mac(standby) => {
                self.mac_address = Some(MacAddress {
                    active: (*active).to_owned(),
                    standby: Some((*standby).to_owned()),
                });
            }
            ["vlan", n, ..] => self.vlan = n.parse().ok().filter(|v| (1..=4094).contains(v)),
            ["channel-group", id, "mode", mode] if CHANNEL_MODES.contains(mode) => {
                self.channel_group = id.parse().ok().map(|id| ChannelGroup {
                    id,
                    mode: (*mode).to_owned(),
                });
            }
            ["lacp", "port-priority", n] => self.lacp_priority = n.parse().ok(),
            ["member-interface", hw] => self.members.push((*hw).to_owned()),
            ["traffic-forward", m, "monitor-only"] => {
                if let Some(m) = TrafficModule::from_word(m) {
                    self.traffic_forward = Some(m);
                }
            }
            ["flowcontrol", "send", "on", rest @ ..] => {
                let water = match rest {
                    [low, high, period, ..] => match (low.parse(), high.parse(), period.parse()) {
                        (Ok(l), Ok(h), Ok(p)) => Some((l, h, p)),
                        _ => None,
                    },
                    _ => None,
                };
                self.flowcontrol = Some(Flowcontrol { water });
            }
            ["ipv6", rest @ ..] => self.absorb_ipv6(rest),
            _ => {}
        }
    }

    fn absorb_ipv6(&mut self, words: &[&str]) {
        let v6 = &mut self.ipv6;
        match words {
            ["enable"] => v6.enabled = true,
            ["address", "autoconfig", ..] => v6.autoconfig = true,
            ["address", a, "link-local", rest @ ..] => {
                if let Ok(a) = a.parse::<Ipv6Addr>() {
                    let standby = match rest {
                        ["standby", s] => s.parse().ok(),
                        _ => None,
                    };
                    v6.link_local = Some((a, standby));
                }
            }
            ["address", prefix, rest @ ..] => {
                let Some((a, len)) = prefix.split_once('/') else {
                    return;
                };
                let (Ok(address), Ok(prefix)) = (a.parse::<Ipv6Addr>(), len.parse::<u8>()) else {
                    return;
                };
                if prefix > 128 {
                    return;
                }
                let mut eui64 = false;
                let mut standby = None;
                let mut it = rest.iter();
                while let Some(w) = it.next() {
                    match *w {
                        "eui-64" => eui64 = true,
                        "standby" => standby = it.next().and_then(|s| s.parse().ok()),
                        _ => {}
                    }
                }
                v6.addresses.push(Ipv6Address {
                    address,
                    prefix,
                    standby,
                    eui64,
                });
            }
            ["nd", "prefix", rest @ ..] => {
                if let Ok(p) = NdPrefix::parse(&rest.join(" ")) {
                    match v6.nd_prefixes.iter_mut().find(|x| x.target == p.target) {
                        Some(slot) => *slot = p,
                        None => v6.nd_prefixes.push(p),
                    }
                }
            }
            ["nd", rest @ ..] => {
                let nd = &mut v6.nd;
                let num = |s: &str| s.parse::<u32>().ok();
                match rest {
                    ["ns-interval", n] => nd.ns_interval = num(n).unwrap_or(nd.ns_interval),
                    ["dad", "attempts", n] => nd.dad_attempts = num(n).unwrap_or(nd.dad_attempts),
                    ["reachable-time", n] => {
                        nd.reachable_time = num(n).unwrap_or(nd.reachable_time)
                    }
                    ["ra-lifetime", n] => nd.ra_lifetime = num(n).unwrap_or(nd.ra_lifetime),
                    ["ra-interval", "msec", n] => {
                        if let Some(n) = num(n) {
                            nd.ra_interval = n;
                            nd.ra_interval_msec = true;
                        }
                    }
                    ["ra-interval", n] => {
                        if let Some(n) = num(n) {
                            nd.ra_interval = n;
                            nd.ra_interval_msec = false;
                        }
                    }
                    ["suppress-ra"] => nd.suppress_ra = true,
                    ["managed-config-flag"] => nd.managed_config = true,
                    ["other-config-flag"] => nd.other_config = true,
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_follow_the_hardware_id() {
        assert_eq!(Family::of("GigabitEthernet0/1"), Some(Family::Physical));
        assert_eq!(Family::of("Management0/0"), Some(Family::Physical));
        assert_eq!(
            Family::of("TenGigabitEthernet1/0/1"),
            Some(Family::Physical)
        );
        assert_eq!(Family::of("GigabitEthernet0/1.100"), Some(Family::Vlan));
        assert_eq!(Family::of("Port-channel1.5"), Some(Family::Vlan));
        assert_eq!(Family::of("Vlan10"), Some(Family::Vlan));
        assert_eq!(Family::of("Port-channel2"), Some(Family::PortChannel));
        assert_eq!(Family::of("Redundant1"), Some(Family::Redundant));
        assert_eq!(Family::of("BVI1"), Some(Family::Bvi));
        assert_eq!(Family::of("Tunnel1"), None);
        assert_eq!(Family::of("Internal-Data0/1"), None);
        assert_eq!(Family::of("Vlan"), None);
        assert_eq!(
            Family::Physical.item_kind("TenGigabitEthernet1/1"),
            "object#TenGigInterface"
        );
        assert_eq!(
            Family::Physical.item_kind("Management0/0"),
            "object#MgmtInterface"
        );
        assert_eq!(
            Family::Physical.item_kind("GigabitEthernet0/0"),
            "object#GigabitInterface"
        );
        for f in Family::ALL {
            assert_eq!(Family::from_segment(f.segment()), Some(f));
        }
    }

    #[test]
    fn reads_every_modelled_sub_command() {
        let i = Interface::from_block(
            "GigabitEthernet0/1",
            &[
                "description LAN  side",
                "speed 1000",
                "duplex full",
                "management-only",
                "mac-address 0011.2233.4455 standby 0011.2233.4466",
                "channel-group 2 mode active",
                "lacp port-priority 10",
                "flowcontrol send on 10 20 30",
                "nameif inside",
                "security-level 90",
                "ip address 10.0.0.1 255.255.255.0 standby 10.0.0.2",
                "ipv6 enable",
                "ipv6 address 2001:db8::1/64 standby 2001:db8::2",
                "ipv6 address fe80::1 link-local",
                "ipv6 nd ra-interval msec 600",
                "ipv6 nd suppress-ra",
                "some unknown line",
            ],
        );
        assert_eq!(i.description.as_deref(), Some("LAN  side"));
        assert_eq!(i.speed.as_deref(), Some("1000"));
        assert_eq!(i.duplex.as_deref(), Some("full"));
        assert!(i.management_only);
        assert_eq!(
            i.mac_address.as_ref().and_then(|m| m.standby.as_deref()),
            Some("0011.2233.4466")
        );
        assert_eq!(
            i.channel_group,
            Some(ChannelGroup {
                id: 2,
                mode: "active".into()
            })
        );
        assert_eq!(i.lacp_priority, Some(10));
        assert_eq!(i.flowcontrol.and_then(|f| f.water), Some((10, 20, 30)));
        assert_eq!(i.nameif.as_deref(), Some("inside"));
        assert_eq!(i.security_level, Some(90));
        assert_eq!(
            i.ipv4,
            Ipv4Setting::Static {
                address: "10.0.0.1".parse().unwrap(),
                mask: "255.255.255.0".parse().unwrap(),
                standby: Some("10.0.0.2".parse().unwrap()),
            }
        );
        assert!(i.ipv6.enabled);
        assert_eq!(i.ipv6.addresses.len(), 1);
        assert_eq!(
            i.ipv6.addresses[0].standby,
            Some("2001:db8::2".parse().unwrap())
        );
        assert_eq!(i.ipv6.link_local, Some(("fe80::1".parse().unwrap(), None)));
        assert_eq!(i.ipv6.nd.ra_interval, 600);
        assert!(i.ipv6.nd.ra_interval_msec);
        assert!(i.ipv6.nd.suppress_ra);
        assert!(!i.shutdown);
    }

    #[test]
    fn negations_and_bad_values_leave_the_defaults() {
        let i = Interface::from_block(
            "GigabitEthernet0/0",
            &[
                "shutdown",
                "no nameif",
                "no security-level",
                "no ip address",
                "speed fast",
                "vlan 5000",
                "mac-address 11.22",
                "security-level 101",
            ],
        );
        assert_eq!(i, {
            let mut u = Interface::unconfigured("GigabitEthernet0/0");
            u.shutdown = true;
            u
        });
        let dhcp = Interface::from_block("Management0/0", &["ip address dhcp setroute"]);
        assert_eq!(dhcp.ipv4, Ipv4Setting::Dhcp { setroute: true });
    }

    #[test]
    fn reads_nd_prefixes_and_traffic_forwarding() {
        let i = Interface::from_block(
            "GigabitEthernet0/2",
            &[
                "traffic-forward sfr monitor-only",
                "ipv6 nd prefix 2001:db8::/64 100 50",
                "ipv6 nd prefix default no-advertise",
                "ipv6 nd prefix 2001:db8::/64 off-link",
                "ipv6 nd prefix 2001:db8:1::/64 at 1 jan 00:00 1 jan 00:00",
                "traffic-forward ips monitor-only",
            ],
        );
        assert_eq!(i.traffic_forward, Some(TrafficModule::Sfr));
        let lines: Vec<String> = i.ipv6.nd_prefixes.iter().map(NdPrefix::line).collect();
        assert_eq!(
            lines,
            [
                "ipv6 nd prefix 2001:db8::/64 off-link",
                "ipv6 nd prefix default no-advertise"
            ]
        );
        assert_eq!(
            TrafficModule::Cx.line(),
            "traffic-forward cxsc monitor-only"
        );
    }

    #[test]
    fn mac_addresses_are_dotted_hex() {
        assert!(is_mac("0011.2233.aabb"));
        assert!(!is_mac("0011.2233"));
        assert!(!is_mac("0011.2233.aabg"));
        assert!(!is_mac("00:11:22:33:44:55"));
    }
}
