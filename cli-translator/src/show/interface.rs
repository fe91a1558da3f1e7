//! `show interface [detail]`: one block per interface, opened by
//! `Interface <hw> "<nameif>", is <status>, line protocol is <status>`, with hardware,
//! addressing, counters, the per-`nameif` traffic statistics and (detail) control point states.

use std::net::Ipv4Addr;

/// `1 minute input rate 4 pkts/sec,  327 bytes/sec` and its output and drop companions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rates {
    pub input_pps: Option<u64>,
    pub input_bps: Option<u64>,
    pub output_pps: Option<u64>,
    pub output_bps: Option<u64>,
    pub drop_pps: Option<u64>,
}

/// Counters: the hardware block or the `Traffic Statistics for "<nameif>"` block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub packets_input: Option<u64>,
    pub bytes_input: Option<u64>,
    pub packets_output: Option<u64>,
    pub bytes_output: Option<u64>,
    pub packets_dropped: Option<u64>,
    pub no_buffer: Option<u64>,
    pub broadcasts: Option<u64>,
    pub input_errors: Option<u64>,
    pub crc: Option<u64>,
    pub output_errors: Option<u64>,
    pub collisions: Option<u64>,
    pub underruns: Option<u64>,
    pub interface_resets: Option<u64>,
}

/// The tunnel section of a VTI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tunnel {
    pub source_interface: Option<String>,
    pub source_ip: Option<String>,
    pub destination_ip: Option<String>,
    pub mode: Option<String>,
    pub ipsec_profile: Option<String>,
}

/// `show interface detail`'s control point states.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ControlPoint {
    pub interface_number: Option<u32>,
    /// `active` / `not active`
    pub config_status: Option<String>,
    pub state: Option<String>,
    pub vlan_config_status: Option<String>,
    pub vlan_state: Option<String>,
}

/// One interface block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interface {
    /// `GigabitEthernet0/0`
    pub hardware_id: String,
    /// Empty when the interface has none.
    pub nameif: String,
    /// `up`, `down`, `administratively down` (or `admin down`) as printed.
    pub status: String,
    pub line_protocol: String,
    /// `i82540EM rev03`
    pub hardware: Option<String>,
    /// `1000 Mbps`
    pub bandwidth: Option<String>,
    /// `10 usec`
    pub delay: Option<String>,
    /// The negotiated duplex, `Full-duplex` of `Auto-Duplex(Full-duplex)`.
    pub duplex: Option<String>,
    /// The negotiated speed, `1000 Mbps` of `Auto-Speed(1000 Mbps)`.
    pub speed: Option<String>,
    pub description: Option<String>,
    pub vlan_id: Option<u32>,
    /// `Port-channel1` of `Active member of Port-channel1`.
    pub member_of: Option<String>,
    /// `Gi1/2 Gi1/3` of `Members in this channel: Active: Gi1/2 Gi1/3`.
    pub members: Vec<String>,
    /// `fa16.3eb0.c3d3`; `None` for `N/A`.
    pub mac_address: Option<String>,
    /// `None` for `MTU not set`.
    pub mtu: Option<u32>,
    pub ip_address: Option<Ipv4Addr>,
    pub netmask: Option<Ipv4Addr>,
    /// The interface's hardware counters.
    pub counters: Counters,
    /// The `Traffic Statistics for "<nameif>"` block, when printed.
    pub traffic: Option<Counters>,
    pub one_minute: Rates,
    pub five_minutes: Rates,
    pub tunnel: Option<Tunnel>,
    pub control_point: Option<ControlPoint>,
}

impl Interface {
    /// `shutdown` in the configuration.
    pub fn admin_down(&self) -> bool {
        self.status.starts_with("admin")
    }
}

/// `Interface GigabitEthernet0/0 "outside", is up, line protocol is up`
fn header(line: &str) -> Option<Interface> {
    let rest = line.strip_prefix("Interface ")?;
    let (hw, rest) = rest.split_once(" \"")?;
    let (nameif, rest) = rest.rsplit_once("\", is ")?;
    let (status, protocol) = rest.split_once(", line protocol is ")?;
    if hw.is_empty() || hw.contains(char::is_whitespace) {
        return None;
    }
    Some(Interface {
        hardware_id: hw.to_owned(),
        nameif: nameif.to_owned(),
        status: status.trim().to_owned(),
        line_protocol: protocol.trim().to_owned(),
        ..Interface::default()
    })
}

/// The text inside the parentheses of a part, or `None` when it has none.
fn negotiated(part: &str) -> Option<String> {
    super::between(part, "(", ")").map(|s| s.trim().to_owned())
}

/// The value after `label` up to the next run of two spaces or the end of the line.
fn field(line: &str, label: &str) -> Option<String> {
    let (_, rest) = line.split_once(label)?;
    let rest = rest.trim_start();
    let value = rest.split(['\t', '\n']).next().unwrap_or(rest);
    let value = value.split("  ").next().unwrap_or(value).trim();
    (!value.is_empty()).then(|| value.to_owned())
}

fn hardware_line(i: &mut Interface, rest: &str) {
    // `i82540EM rev03, BW 1000 Mbps, DLY 10 usec` or `Virtual Tunnel    MAC address N/A, MTU 1500`.
    let mut parts = rest.split(", ");
    let first = parts.next().unwrap_or("");
    let hw = first.split('\t').next().unwrap_or(first);
    let hw = hw.split("  ").next().unwrap_or(hw).trim();
    i.hardware = (!hw.is_empty()).then(|| hw.to_owned());
    for part in parts {
        let part = part.trim();
        if let Some(bw) = part.strip_prefix("BW ") {
            i.bandwidth = Some(bw.to_owned());
        } else if let Some(d) = part.strip_prefix("DLY ") {
            i.delay = Some(d.to_owned());
        }
    }
    if let Some(at) = rest.find("MAC address ") {
        mac_line(i, rest.get(at..).unwrap_or(""));
    }
}

/// `MAC address fa16.3eb0.c3d3, MTU 1500`
fn mac_line(i: &mut Interface, line: &str) {
    let Some(rest) = line.strip_prefix("MAC address ") else {
        return;
    };
    let (mac, mtu) = rest.split_once(',').unwrap_or((rest, ""));
    let mac = mac.trim();
    if super::arp::is_mac(mac) {
        i.mac_address = Some(mac.to_owned());
    }
    i.mtu = mtu
        .trim()
        .strip_prefix("MTU ")
        .and_then(|m| m.trim().parse().ok());
}

/// `IP address 10.0.0.5, subnet mask 255.255.255.252`
fn ip_line(i: &mut Interface, rest: &str) {
    let Some((ip, mask)) = rest.split_once(", subnet mask ") else {
        return;
    };
    i.ip_address = ip.trim().parse().ok();
    i.netmask = mask.split_whitespace().next().and_then(|m| m.parse().ok());
}

fn counter_line(c: &mut Counters, line: &str) {
    let at = |label: &str| super::count_before(line, label);
    if line.contains("packets input") {
        c.packets_input = at("packets input");
        c.bytes_input = at("bytes");
        c.no_buffer = at("no buffer").or(c.no_buffer);
    } else if line.contains("packets output") {
        c.packets_output = at("packets output");
        c.bytes_output = at("bytes");
        c.underruns = at("underruns").or(c.underruns);
    } else if line.contains("packets dropped") {
        c.packets_dropped = at("packets dropped");
    } else if line.starts_with("Received ") {
        c.broadcasts = at("broadcasts");
    } else if line.contains("input errors") {
        c.input_errors = at("input errors");
        c.crc = at("CRC");
    } else if line.contains("output errors") {
        c.output_errors = at("output errors");
        c.collisions = at("collisions");
        c.interface_resets = at("interface resets");
    }
}

/// `1 minute input rate 0 pkts/sec,  0 bytes/sec`, `5 minute drop rate, 0 pkts/sec`.
fn rate_line(i: &mut Interface, line: &str) -> bool {
    let (rates, rest) = if let Some(rest) = line.strip_prefix("1 minute ") {
        (&mut i.one_minute, rest)
    } else if let Some(rest) = line.strip_prefix("5 minute ") {
        (&mut i.five_minutes, rest)
    } else {
        return false;
    };
    let pps = super::count_before(rest, "pkts/sec");
    let bps = super::count_before(rest, "bytes/sec");
    if rest.starts_with("input rate") {
        rates.input_pps = pps;
        rates.input_bps = bps;
    } else if rest.starts_with("output rate") {
        rates.output_pps = pps;
        rates.output_bps = bps;
    } else if rest.starts_with("drop rate") {
        rates.drop_pps = pps;
    } else {
        return false;
    }
    true
}

fn tunnel_line(t: &mut Tunnel, line: &str) {
    if line.starts_with("Source interface:") {
        t.source_interface = field(line, "Source interface:");
        t.source_ip = field(line, "IP address:");
    } else if line.starts_with("Destination IP address:") {
        t.destination_ip = field(line, "Destination IP address:");
    } else if line.starts_with("Mode:") {
        t.mode = field(line, "Mode:");
        t.ipsec_profile = field(line, "IPsec profile:");
    }
}

fn control_point_line(cp: &mut ControlPoint, line: &str) {
    if let Some(n) = line.strip_prefix("Interface number is ") {
        cp.interface_number = n.trim().parse().ok();
    } else if let Some(s) = line.strip_prefix("Interface config status is ") {
        cp.config_status = Some(s.trim().to_owned());
    } else if let Some(s) = line.strip_prefix("Interface state is ") {
        cp.state = Some(s.trim().to_owned());
    } else if let Some(s) = line.strip_prefix("Interface vlan config status is ") {
        cp.vlan_config_status = Some(s.trim().to_owned());
    } else if let Some(s) = line.strip_prefix("Interface vlan state is ") {
        cp.vlan_state = s.split_whitespace().next().map(str::to_owned);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Main,
    Traffic,
    Tunnel,
    ControlPoint,
}

/// Parses `show interface [detail]` output into its interface blocks, in order.
pub fn parse(text: &str) -> Vec<Interface> {
    let mut out: Vec<Interface> = Vec::new();
    let mut section = Section::Main;
    let mut members_next = false;
    for raw in text.lines() {
        let line = raw.trim();
        if let Some(i) = header(line) {
            out.push(i);
            section = Section::Main;
            members_next = false;
            continue;
        }
        let Some(i) = out.last_mut() else { continue };
        if line.is_empty() {
            continue;
        }
        if members_next {
            members_next = false;
            if let Some(list) = line.strip_prefix("Active:") {
                i.members = list.split_whitespace().map(str::to_owned).collect();
                continue;
            }
        }
        if line.starts_with("Traffic Statistics for") {
            section = Section::Traffic;
            i.traffic = Some(Counters::default());
            continue;
        }
        if line.starts_with("Tunnel Interface Information") {
            section = Section::Tunnel;
            i.tunnel = Some(Tunnel::default());
            continue;
        }
        if line.starts_with("Control Point ") {
            section = Section::ControlPoint;
            i.control_point.get_or_insert_with(ControlPoint::default);
            continue;
        }
        if rate_line(i, line) {
            continue;
        }
        match section {
            Section::Traffic => {
                if let Some(t) = i.traffic.as_mut() {
                    counter_line(t, line);
                }
                continue;
            }
            Section::Tunnel => {
                if let Some(t) = i.tunnel.as_mut() {
                    tunnel_line(t, line);
                }
                continue;
            }
            Section::ControlPoint => {
                if let Some(cp) = i.control_point.as_mut() {
                    control_point_line(cp, line);
                }
                continue;
            }
            Section::Main => {}
        }
        if let Some(rest) = line.strip_prefix("Hardware is ") {
            hardware_line(i, rest);
        } else if line.starts_with("MAC address ") {
            mac_line(i, line);
        } else if let Some(rest) = line.strip_prefix("IP address ") {
            ip_line(i, rest);
        } else if let Some(d) = line.strip_prefix("Description:") {
            i.description = Some(d.trim().to_owned());
        } else if let Some(v) = line.strip_prefix("VLAN identifier ") {
            i.vlan_id = v.trim().parse().ok();
        } else if let Some(p) = line.strip_prefix("Active member of ") {
            i.member_of = Some(p.trim().to_owned());
        } else if line.starts_with("Members in this channel") {
            members_next = true;
        } else if line.to_ascii_lowercase().contains("duplex") && !line.contains("packets") {
            let (duplex, speed) = line.split_once(", ").unwrap_or((line, ""));
            i.duplex = negotiated(duplex);
            i.speed = negotiated(speed);
        } else {
            counter_line(&mut i.counters, line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = "\
Interface GigabitEthernet0/1 \"inside\", is up, line protocol is up
  Hardware is net_virtio, BW 1000 Mbps, DLY 10 usec
\tAuto-Duplex(Full-duplex), Auto-Speed(1000 Mbps)
\tDescription: users
\tMAC address 0050.56aa.0101, MTU 1500
\tIP address 10.1.1.1, subnet mask 255.255.255.0
\t120 packets input, 9000 bytes, 0 no buffer
\tReceived 3 broadcasts, 0 runts, 0 giants
\t1 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored, 0 abort
\t80 packets output, 6400 bytes, 0 underruns
\t0 output errors, 0 collisions, 1 interface resets
  Traffic Statistics for \"inside\":
\t110 packets input, 8000 bytes
\t80 packets output, 6000 bytes
\t4 packets dropped
      1 minute input rate 2 pkts/sec,  150 bytes/sec
      1 minute output rate 1 pkts/sec,  90 bytes/sec
      1 minute drop rate, 0 pkts/sec
Interface GigabitEthernet0/2 \"\", is administratively down, line protocol is down
  Hardware is net_virtio, BW 1000 Mbps, DLY 10 usec
\tAuto-Duplex, Auto-Speed
\tAvailable but not configured via nameif
\tMAC address 0050.56aa.0102, MTU not set
\tIP address unassigned
Interface Tunnel1 \"to branch\", is up, line protocol is up
  Hardware is Virtual Tunnel\tMAC address N/A, MTU 1500
\tIP address 192.0.2.1, subnet mask 255.255.255.252
  Tunnel Interface Information:
\tSource interface: outside\tIP address: 198.51.100.1
\tDestination IP address: 203.0.113.9
\tMode: ipsec ipv4        IPsec profile: PROF
";

    #[test]
    fn reads_addressing_counters_and_traffic() {
        let all = parse(SAMPLE);
        assert_eq!(all.len(), 3);
        let i = &all[0];
        assert_eq!(i.hardware_id, "GigabitEthernet0/1");
        assert_eq!(i.nameif, "inside");
        assert_eq!((i.status.as_str(), i.line_protocol.as_str()), ("up", "up"));
        assert_eq!(i.hardware.as_deref(), Some("net_virtio"));
        assert_eq!(i.bandwidth.as_deref(), Some("1000 Mbps"));
        assert_eq!(i.duplex.as_deref(), Some("Full-duplex"));
        assert_eq!(i.speed.as_deref(), Some("1000 Mbps"));
        assert_eq!(i.description.as_deref(), Some("users"));
        assert_eq!(i.mac_address.as_deref(), Some("0050.56aa.0101"));
        assert_eq!(i.mtu, Some(1500));
        assert_eq!(i.ip_address, Some(Ipv4Addr::new(10, 1, 1, 1)));
        assert_eq!(i.netmask, Some(Ipv4Addr::new(255, 255, 255, 0)));
        assert_eq!(i.counters.packets_input, Some(120));
        assert_eq!(i.counters.bytes_output, Some(6400));
        assert_eq!(i.counters.input_errors, Some(1));
        assert_eq!(i.counters.interface_resets, Some(1));
        let t = i.traffic.unwrap_or_default();
        assert_eq!(t.packets_input, Some(110));
        assert_eq!(t.packets_dropped, Some(4));
        assert_eq!(i.one_minute.input_bps, Some(150));
        assert_eq!(i.one_minute.output_pps, Some(1));
        assert_eq!(i.one_minute.drop_pps, Some(0));
    }

    #[test]
    fn reads_a_shut_unnamed_interface() {
        let i = &parse(SAMPLE)[1];
        assert!(i.admin_down());
        assert_eq!(i.nameif, "");
        assert_eq!(i.duplex, None);
        assert_eq!(i.mtu, None);
        assert_eq!(i.ip_address, None);
        assert_eq!(i.traffic, None);
    }

    #[test]
    fn reads_a_tunnel_with_a_spaced_name() {
        let i = &parse(SAMPLE)[2];
        assert_eq!(i.nameif, "to branch");
        assert_eq!(i.hardware.as_deref(), Some("Virtual Tunnel"));
        assert_eq!(i.mac_address, None);
        assert_eq!(i.mtu, Some(1500));
        let t = i.tunnel.clone().unwrap_or_default();
        assert_eq!(t.source_interface.as_deref(), Some("outside"));
        assert_eq!(t.source_ip.as_deref(), Some("198.51.100.1"));
        assert_eq!(t.destination_ip.as_deref(), Some("203.0.113.9"));
        assert_eq!(t.mode.as_deref(), Some("ipsec ipv4"));
        assert_eq!(t.ipsec_profile.as_deref(), Some("PROF"));
    }

    #[test]
    fn reads_detail_control_point_states() {
        let text = "Interface Vlan10 \"lab\", is up, line protocol is up\n\
            \tControl Point Interface States:\n\
            \tInterface number is 7\n\
            \tInterface config status is active\n\
            \tInterface state is not active\n\
            \tControl Point Vlan10 States:\n\
            \tInterface vlan state is DOWN (down in system space)\n";
        let cp = parse(text)[0].control_point.clone().unwrap_or_default();
        assert_eq!(cp.interface_number, Some(7));
        assert_eq!(cp.config_status.as_deref(), Some("active"));
        assert_eq!(cp.state.as_deref(), Some("not active"));
        assert_eq!(cp.vlan_state.as_deref(), Some("DOWN"));
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "(?s).{0,400}") {
            let _ = parse(&text);
        }

        #[test]
        fn near_miss_blocks_never_panic(lines in proptest::collection::vec(
            "(Interface [A-Za-z0-9/]{0,6} \"[a-z \"]{0,5}\", is [a-z ]{0,6}, line protocol is [a-z]{0,4}|Hardware is [a-z0-9, ]{0,20}|MAC address [0-9a-f.,A-Z ]{0,20}|IP address [0-9., a-z]{0,30}|[0-9 ]{0,4}packets (input|output|dropped)[, 0-9a-z]{0,12}|[15] minute [a-z ]{0,12}[0-9 ,a-z/]{0,12}|Traffic Statistics for \"x\":|Control Point [A-Za-z ]{0,10}|Interface [a-z ]{0,12}is [0-9a-z ]{0,6}|[A-Za-z]{0,6}-Duplex[()a-z ,-]{0,12}|Members in this channel:|Active:[ A-Za-z0-9/]{0,10})",
            0..16,
        )) {
            let _ = parse(&lines.join("\n"));
        }
    }
}
