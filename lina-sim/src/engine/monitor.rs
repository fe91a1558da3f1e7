//! Monitoring show commands with ASA-format output and figures that move: `show interface
//! [<hw-id>|<nameif>] [detail]`, `show arp`, `show cpu [usage]`, `show memory`, `show conn
//! count`, `show firewall`.
//!
//! Interfaces follow the configuration (nameif, address, VLAN, description, `shutdown` ->
//! "administratively down"); their counters grow with the time since boot, at a rate of
//! their own. CPU, memory and connection figures vary with time; ARP entries are neighbours
//! in the subnets of the interfaces that are up. Everything is a pure function of the
//! configuration and `now`, so the same instant always prints the same text.
//!
//! In multiple-context mode, `show cpu usage` in a security context prints that context's
//! share of the device's CPU (a fixed fraction per context name); the system execution
//! space prints the device's figures.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use super::apply::word_offset;
use super::contexts::SYSTEM;
use super::error::CliError;
use super::session::abbrev;
use super::{Engine, Now};

/// An interface as the configuration describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Intf {
    /// Position among the interface blocks (MAC addresses, rates, interface numbers).
    index: u32,
    hw: String,
    nameif: Option<String>,
    address: Option<(Ipv4Addr, Ipv4Addr)>,
    shutdown: bool,
    description: Option<String>,
    vlan: Option<u32>,
    management_only: bool,
    mtu: u32,
}

impl Intf {
    fn up(&self) -> bool {
        !self.shutdown
    }

    /// Physical interfaces get their own MAC; a sub-interface shares its parent's.
    fn mac(&self, all: &[Intf]) -> String {
        let parent = self.hw.split('.').next().unwrap_or(&self.hw);
        let index = all
            .iter()
            .find(|i| i.hw == parent)
            .map_or(self.index, |i| i.index);
        format!("0050.56a0.{index:04x}")
    }
}

/// Reads the interface blocks (in configuration order) and the global `mtu` lines.
fn interfaces(engine: &Engine) -> Vec<Intf> {
    let mut mtus: Vec<(String, u32)> = Vec::new();
    let mut out = Vec::new();
    for (_, b) in engine.contexts[engine.selected].config.iter() {
        let head = b.head().text.trim();
        if let Some(rest) = head.strip_prefix("mtu ") {
            if let [name, n] = rest.split_whitespace().collect::<Vec<_>>().as_slice()
                && let Ok(n) = n.parse()
            {
                mtus.push(((*name).to_owned(), n));
            }
            continue;
        }
        let Some(hw) = head.strip_prefix("interface ") else {
            continue;
        };
        let mut i = Intf {
            index: u32::try_from(out.len()).unwrap_or(u32::MAX),
            hw: hw.trim().to_owned(),
            nameif: None,
            address: None,
            shutdown: false,
            description: None,
            vlan: None,
            management_only: false,
            mtu: 1500,
        };
        for c in b.children() {
            let t = c.text.trim();
            let words: Vec<&str> = t.split_whitespace().collect();
            match words.as_slice() {
                ["shutdown"] => i.shutdown = true,
                ["nameif", name] => i.nameif = Some((*name).to_owned()),
                ["ip", "address", a, m, ..] => {
                    if let (Ok(a), Ok(m)) = (a.parse(), m.parse()) {
                        i.address = Some((a, m));
                    }
                }
                ["vlan", n] => i.vlan = n.parse().ok(),
                ["management-only"] => i.management_only = true,
                ["description", ..] => {
                    i.description = t.strip_prefix("description").map(|d| d.trim().to_owned());
                }
                _ => {}
            }
        }
        out.push(i);
    }
    for i in &mut out {
        if let Some((_, n)) = mtus
            .iter()
            .find(|(name, _)| Some(name) == i.nameif.as_ref())
        {
            i.mtu = *n;
        }
    }
    out
}

/// A well-mixed 64-bit value of a seed (splitmix64).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Milliseconds since boot.
fn uptime_ms(engine: &Engine, now: Now) -> u64 {
    let secs = u64::try_from(now.unix.saturating_sub(engine.boot_time)).unwrap_or(0);
    secs.saturating_mul(1000)
        .saturating_add(u64::from(now.millis.min(999)))
}

/// Traffic of one interface since boot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Traffic {
    packets_in: u64,
    bytes_in: u64,
    packets_out: u64,
    bytes_out: u64,
    dropped: u64,
    broadcasts: u64,
    /// Packets per second in and out, bytes per second in and out.
    pps_in: u64,
    pps_out: u64,
    bps_in: u64,
    bps_out: u64,
}

fn traffic(i: &Intf, up_ms: u64) -> Traffic {
    if !i.up() || i.nameif.is_none() {
        return Traffic::default();
    }
    let seed = mix(u64::from(i.index) + 1);
    // 20..=219 packets a second in, about two thirds of that out; 60..=1059 bytes a packet.
    let pps_in = 20 + seed % 200;
    let pps_out = pps_in * 2 / 3 + 1;
    let size_in = 60 + (seed >> 16) % 1000;
    let size_out = 60 + (seed >> 32) % 1000;
    let packets_in = pps_in * up_ms / 1000;
    let packets_out = pps_out * up_ms / 1000;
    Traffic {
        packets_in,
        bytes_in: packets_in.saturating_mul(size_in),
        packets_out,
        bytes_out: packets_out.saturating_mul(size_out),
        dropped: packets_in / 500,
        broadcasts: packets_in / 50,
        pps_in,
        pps_out,
        bps_in: pps_in * size_in,
        bps_out: pps_out * size_out,
    }
}

fn print_interface(out: &mut String, i: &Intf, all: &[Intf], up_ms: u64, detail: bool) {
    let name = i.nameif.as_deref().unwrap_or("");
    let (status, protocol) = if i.up() {
        ("up", "up")
    } else {
        ("administratively down", "down")
    };
    let _ = writeln!(
        out,
        "Interface {} \"{name}\", is {status}, line protocol is {protocol}",
        i.hw
    );
    let _ = writeln!(out, "  Hardware is net_virtio, BW 1000 Mbps, DLY 10 usec");
    if let Some(v) = i.vlan {
        let _ = writeln!(out, "\tVLAN identifier {v}");
    } else {
        out.push_str("\tAuto-Duplex(Full-duplex), Auto-Speed(1000 Mbps)\n");
        out.push_str("\tInput flow control is unsupported, output flow control is unsupported\n");
    }
    if let Some(d) = &i.description {
        let _ = writeln!(out, "\tDescription: {d}");
    }
    if i.nameif.is_none() {
        out.push_str("\tAvailable but not configured via nameif\n");
        let _ = writeln!(out, "\tMAC address {}, MTU not set", i.mac(all));
        out.push_str("\tIP address unassigned\n");
    } else {
        if i.management_only {
            out.push_str("\tManagement-only interface. Blocked 0 through-the-device packets\n");
        }
        let _ = writeln!(out, "\tMAC address {}, MTU {}", i.mac(all), i.mtu);
        match i.address {
            Some((a, m)) => {
                let _ = writeln!(out, "\tIP address {a}, subnet mask {m}");
            }
            None => out.push_str("\tIP address unassigned\n"),
        }
    }
    let t = traffic(i, up_ms);
    let _ = writeln!(
        out,
        "\t{} packets input, {} bytes, 0 no buffer",
        t.packets_in, t.bytes_in
    );
    let _ = writeln!(
        out,
        "\tReceived {} broadcasts, 0 runts, 0 giants",
        t.broadcasts
    );
    out.push_str("\t0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored, 0 abort\n");
    out.push_str("\t0 pause input, 0 resume input\n");
    out.push_str("\t0 L2 decode drops\n");
    let _ = writeln!(
        out,
        "\t{} packets output, {} bytes, 0 underruns",
        t.packets_out, t.bytes_out
    );
    out.push_str("\t0 pause output, 0 resume output\n");
    out.push_str("\t0 output errors, 0 collisions, 0 interface resets\n");
    out.push_str("\t0 late collisions, 0 deferred\n");
    out.push_str("\t0 input reset drops, 0 output reset drops\n");
    out.push_str("\tinput queue (blocks free curr/low): hardware (511/511)\n");
    out.push_str("\toutput queue (blocks free curr/low): hardware (511/511)\n");
    if i.nameif.is_some() {
        let _ = writeln!(out, "  Traffic Statistics for \"{name}\":");
        let _ = writeln!(
            out,
            "\t{} packets input, {} bytes",
            t.packets_in, t.bytes_in
        );
        let _ = writeln!(
            out,
            "\t{} packets output, {} bytes",
            t.packets_out, t.bytes_out
        );
        let _ = writeln!(out, "\t{} packets dropped", t.dropped);
        for period in ["1 minute", "5 minute"] {
            let _ = writeln!(
                out,
                "      {period} input rate {} pkts/sec,  {} bytes/sec",
                t.pps_in, t.bps_in
            );
            let _ = writeln!(
                out,
                "      {period} output rate {} pkts/sec,  {} bytes/sec",
                t.pps_out, t.bps_out
            );
            let _ = writeln!(out, "      {period} drop rate, 0 pkts/sec");
        }
    }
    if detail {
        let state = if i.up() && i.nameif.is_some() {
            "active"
        } else {
            "not active"
        };
        out.push_str("  Control Point Interface States:\n");
        let _ = writeln!(out, "\tInterface number is {}", i.index + 1);
        let _ = writeln!(
            out,
            "\tInterface config status is {}",
            if i.nameif.is_some() {
                "active"
            } else {
                "not active"
            }
        );
        let _ = writeln!(out, "\tInterface state is {state}");
    }
}

/// `show interface [<hw-id>|<nameif>] [detail]`.
fn show_interface(
    engine: &Engine,
    line: &str,
    args: &[&str],
    now: Now,
) -> Result<String, CliError> {
    let all = interfaces(engine);
    let (detail, args) = match args.split_last() {
        Some((last, rest)) if abbrev(last, "detail", 3) => (true, rest),
        _ => (false, args),
    };
    let selected: Vec<&Intf> = match args {
        [] => all.iter().collect(),
        [which] => {
            let found: Vec<&Intf> = all
                .iter()
                .filter(|i| i.hw.eq_ignore_ascii_case(which) || i.nameif.as_deref() == Some(which))
                .take(1)
                .collect();
            if found.is_empty() {
                return Err(CliError::invalid(line, word_offset(line, 2)));
            }
            found
        }
        _ => return Err(CliError::invalid(line, word_offset(line, 3))),
    };
    let up_ms = uptime_ms(engine, now);
    let mut out = String::new();
    for i in selected {
        print_interface(&mut out, i, &all, up_ms, detail);
    }
    Ok(out)
}

/// The neighbours the ASA has learned: up to three hosts in each up interface's subnet.
fn show_arp(engine: &Engine, now: Now) -> String {
    let all = interfaces(engine);
    let mut out = String::new();
    for i in &all {
        let (Some(name), Some((addr, mask)), true) = (&i.nameif, i.address, i.up()) else {
            continue;
        };
        let mask = u32::from(mask);
        let network = u32::from(addr) & mask;
        let hosts = !mask;
        if hosts < 3 {
            continue;
        }
        let mut n = 0;
        for offset in 1..hosts {
            let ip = network | offset;
            if ip == u32::from(addr) {
                continue;
            }
            let ip = Ipv4Addr::from(ip);
            let [_, _, c, d] = ip.octets();
            let age = (now.unix.unsigned_abs() + u64::from(offset) * 97) % 14_400;
            let _ = writeln!(
                out,
                "\t{name} {ip} 0050.56{:02x}.{c:02x}{d:02x} {age}",
                0x10 + (i.index & 0x7f)
            );
            n += 1;
            if n == 3 {
                break;
            }
        }
    }
    out
}

/// A percentage in tenths that varies from one `period`-second bucket to the next.
fn load(now: Now, period: i64, salt: u64) -> u64 {
    let bucket = u64::try_from(now.unix.div_euclid(period)).unwrap_or(0);
    // 1.0% ..= 30.9%
    10 + mix(bucket ^ salt) % 300
}

fn tenths(n: u64) -> String {
    format!("{}.{}", n / 10, n % 10)
}

/// The percentage of the device's CPU the selected execution space accounts for: all of it
/// in single mode and in the system execution space, 25-75% in a security context.
fn cpu_share(engine: &Engine) -> u64 {
    match engine.selected_context() {
        Some(name) if name != SYSTEM => {
            let seed = name
                .bytes()
                .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
            25 + mix(seed) % 51
        }
        _ => 100,
    }
}

/// `CPU utilization for 5 seconds = 3%; 1 minute: 2%; 5 minutes: 2%`, `share` percent of
/// the device's load.
fn show_cpu(now: Now, share: u64) -> String {
    let figure = |period: i64| load(now, period, period.unsigned_abs()) * share / 1000;
    format!(
        "CPU utilization for 5 seconds = {}%; 1 minute: {}%; 5 minutes: {}%\n",
        figure(5),
        figure(60),
        figure(300)
    )
}

/// `show cpu usage detailed`: two cores and the totals.
fn show_cpu_detailed(now: Now) -> String {
    let mut out = String::from(
        "Break down of per-core data path versus control point cpu usage:\n\
         Core         5 sec               1 min               5 min\n",
    );
    let figure = |t: u64| {
        let cp = t / 3;
        format!(
            "{:>4} ({:>4} + {:>4})",
            tenths(t),
            tenths(t - cp),
            tenths(cp)
        )
    };
    for core in 0..2u64 {
        let _ = writeln!(
            out,
            "Core {core:<7} {}  {}  {}",
            figure(load(now, 5, 5 + core)),
            figure(load(now, 60, 60 + core)),
            figure(load(now, 300, 300 + core))
        );
    }
    let _ = write!(
        out,
        "\nCurrent control point elapsed versus the maximum control point elapsed for:\n      \
         5 seconds = {}%; 1 minute: {}%; 5 minutes: {}%\n\n\
         CPU utilization of external processes for:\n      \
         5 seconds = 0.0%; 1 minute: 0.0%; 5 minutes: 0.0%\n\n\
         Total CPU utilization for:\n      \
         5 seconds = {}%; 1 minute: {}%; 5 minutes: {}%\n",
        tenths(load(now, 5, 7)),
        tenths(load(now, 60, 7)),
        tenths(load(now, 300, 7)),
        tenths(load(now, 5, 5)),
        tenths(load(now, 60, 60)),
        tenths(load(now, 300, 300)),
    );
    out
}

/// Total memory of the simulated ASAv (`show version`: 2048 MB RAM).
const TOTAL_MEMORY: u64 = 2048 * 1024 * 1024;

/// `show memory`: used memory grows with the configuration and wobbles with time.
fn show_memory(engine: &Engine, now: Now) -> String {
    let config = u64::try_from(engine.contexts[engine.selected].config.len()).unwrap_or(0);
    let wobble = mix(u64::try_from(now.unix.div_euclid(10)).unwrap_or(0)) % (16 * 1024 * 1024);
    let used = (700 * 1024 * 1024 + config * 2048 + wobble).min(TOTAL_MEMORY);
    let free = TOTAL_MEMORY - used;
    let pct = |n: u64| n * 100 / TOTAL_MEMORY;
    format!(
        "Free memory:        {free:>10} bytes ({}%)\n\
         Used memory:        {used:>10} bytes ({}%)\n\
         -------------     ------------------\n\
         Total memory:       {TOTAL_MEMORY:>10} bytes (100%)\n",
        pct(free),
        100 - pct(free)
    )
}

/// `show conn count`: the connections in use vary; the peak only grows. While a TCP syslog
/// host is down without `logging permit-hostdown`, no new connection is let through, so
/// the count does not grow (see `logging.rs`).
fn show_conn_count(engine: &Engine, now: Now) -> String {
    let modelled = 5 + mix(u64::try_from(now.unix.div_euclid(2)).unwrap_or(0)) % 95;
    let in_use = engine.contexts[engine.selected]
        .logging
        .connections_in_use(modelled);
    let hours = uptime_ms(engine, now) / 3_600_000;
    format!("{in_use} in use, {} most used\n", 100 + hours)
}

/// Answers the monitoring show commands; `None` when `what` is none of them.
pub fn show(
    engine: &Engine,
    line: &str,
    what: &str,
    rest: &[&str],
    now: Now,
) -> Option<Result<String, CliError>> {
    let none_after = |out: String| -> Result<String, CliError> {
        if rest.is_empty() {
            Ok(out)
        } else {
            Err(CliError::invalid(line, word_offset(line, 2)))
        }
    };
    if abbrev(what, "interface", 3) {
        return Some(show_interface(engine, line, rest, now));
    }
    if abbrev(what, "arp", 3) {
        return Some(none_after(show_arp(engine, now)));
    }
    if abbrev(what, "cpu", 3) {
        return Some(match rest {
            [] => Ok(show_cpu(now, cpu_share(engine))),
            [u] if abbrev(u, "usage", 1) => Ok(show_cpu(now, cpu_share(engine))),
            [u, d] if abbrev(u, "usage", 1) && abbrev(d, "detailed", 1) => {
                Ok(show_cpu_detailed(now))
            }
            _ => Err(CliError::invalid(
                line,
                word_offset(line, 2 + rest.len().min(2) - 1),
            )),
        });
    }
    if abbrev(what, "memory", 3) {
        return Some(none_after(show_memory(engine, now)));
    }
    if abbrev(what, "conn", 4) {
        return Some(match rest {
            [c] if abbrev(c, "count", 1) => Ok(show_conn_count(engine, now)),
            [] => Ok(show_conn_count(engine, now)),
            _ => Err(CliError::invalid(line, word_offset(line, 2))),
        });
    }
    if abbrev(what, "firewall", 3) {
        return Some(none_after("Firewall mode: Router\n".to_owned()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::{Engine, EngineOptions, Now};
    use super::*;
    use cli_translator::show;

    const CONFIG: &str = "\
hostname fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
!
interface GigabitEthernet0/1
 description users
 nameif inside
 security-level 100
 ip address 10.1.1.1 255.255.255.0
!
interface GigabitEthernet0/2
 shutdown
 no nameif
 no security-level
 no ip address
!
interface GigabitEthernet0/3
 shutdown
 nameif dmz
 ip address 172.16.0.1 255.255.255.0
!
mtu outside 1400
mtu inside 1500
";

    fn engine(now: Now) -> Engine {
        Engine::boot(CONFIG, &EngineOptions::default(), [7; 32], now).0
    }

    fn at(unix: i64) -> Now {
        Now { unix, millis: 0 }
    }

    fn run(e: &Engine, line: &str, now: Now) -> Result<String, CliError> {
        let words: Vec<&str> = line.split_whitespace().collect();
        show(e, line, words[1], &words[2..], now).unwrap_or(Err(CliError::Incomplete))
    }

    #[test]
    fn interfaces_follow_the_configuration() {
        let e = engine(at(1_000_000));
        let out = run(&e, "show interface", at(1_000_100)).unwrap_or_default();
        let all = show::interface::parse(&out);
        assert_eq!(all.len(), 4);
        assert_eq!(all[0].nameif, "outside");
        assert_eq!(all[0].mtu, Some(1400));
        assert_eq!(all[0].ip_address, Some(Ipv4Addr::new(203, 0, 113, 2)));
        assert_eq!(all[1].description.as_deref(), Some("users"));
        assert_eq!(all[2].nameif, "");
        assert_eq!(all[2].status, "administratively down");
        assert_eq!(all[2].mtu, None);
        assert_eq!(all[3].status, "administratively down");
        assert_eq!(all[3].line_protocol, "down");
        assert_ne!(all[0].mac_address, all[1].mac_address);
    }

    #[test]
    fn counters_grow_with_time_only_on_up_named_interfaces() {
        let e = engine(at(1_000_000));
        let before =
            show::interface::parse(&run(&e, "show int", at(1_000_010)).unwrap_or_default());
        let after = show::interface::parse(&run(&e, "show int", at(1_000_020)).unwrap_or_default());
        let input = |v: &[show::interface::Interface], n: usize| {
            v[n].traffic.and_then(|t| t.packets_input).unwrap_or(0)
        };
        assert!(input(&after, 0) > input(&before, 0));
        assert!(after[1].counters.bytes_output > before[1].counters.bytes_output);
        assert_eq!(after[3].counters.packets_input, Some(0));
        assert_eq!(after[2].traffic, None);
    }

    #[test]
    fn one_interface_by_hardware_id_or_nameif() {
        let e = engine(at(0));
        let by_name = run(&e, "show interface inside", at(5)).unwrap_or_default();
        let by_hw = run(&e, "show interface gigabitethernet0/1", at(5)).unwrap_or_default();
        assert_eq!(by_name, by_hw);
        assert_eq!(show::interface::parse(&by_name).len(), 1);
        assert!(by_name.contains("line protocol is up\n"));
        assert!(matches!(
            run(&e, "show interface nowhere", at(5)),
            Err(CliError::InvalidInput { .. })
        ));
        let detail = run(&e, "show interface inside detail", at(5)).unwrap_or_default();
        let cp = show::interface::parse(&detail)[0].control_point.clone();
        assert_eq!(cp.and_then(|c| c.state).as_deref(), Some("active"));
    }

    #[test]
    fn arp_lists_neighbours_of_up_interfaces_only() {
        let e = engine(at(0));
        let entries = show::arp::parse(&run(&e, "show arp", at(60)).unwrap_or_default());
        assert_eq!(entries.len(), 6);
        assert!(
            entries
                .iter()
                .all(|a| a.interface == "outside" || a.interface == "inside")
        );
        assert!(entries.iter().all(|a| a.ip != Ipv4Addr::new(10, 1, 1, 1)));
        assert!(
            entries
                .iter()
                .filter(|a| a.interface == "inside")
                .all(|a| a.ip.octets()[..3] == [10, 1, 1])
        );
    }

    #[test]
    fn cpu_memory_and_conn_figures_parse_and_vary() {
        let e = engine(at(0));
        let mut seen = std::collections::BTreeSet::new();
        for t in 0..20 {
            let cpu = show::cpu::parse(&run(&e, "show cpu usage", at(t * 5)).unwrap_or_default());
            let total = cpu.total.map(|a| a.five_seconds).unwrap_or(-1.0);
            assert!((1.0..=31.0).contains(&total), "{total}");
            seen.insert(total as u64);
        }
        assert!(seen.len() > 1);
        let detailed =
            show::cpu::parse(&run(&e, "show cpu usage detailed", at(5)).unwrap_or_default());
        assert_eq!(detailed.cores.len(), 2);
        assert!(detailed.total.is_some());
        let m = show::memory::parse(&run(&e, "show memory", at(5)).unwrap_or_default());
        let (free, used, total) = (
            m.free.unwrap_or_default(),
            m.used.unwrap_or_default(),
            m.total.unwrap_or_default(),
        );
        assert_eq!(free.bytes + used.bytes, total.bytes);
        let c = show::conn::parse(&run(&e, "show conn count", at(5)).unwrap_or_default());
        let c = c.unwrap_or_default();
        assert!(c.in_use > 0 && c.in_use <= c.most_used);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 32, .. proptest::prelude::ProptestConfig::default() })]

        /// What the configuration says of an interface is what `show interface` parses back.
        #[test]
        fn show_interface_reflects_the_configuration(
            nameif in proptest::option::of("[a-z][a-z0-9_-]{0,12}"),
            addr in proptest::prelude::any::<[u8; 4]>(),
            len in 8u32..31,
            shutdown in proptest::prelude::any::<bool>(),
            description in proptest::option::of("[A-Za-z0-9][A-Za-z0-9 ]{0,20}[A-Za-z0-9]"),
            secs in 0i64..10_000_000,
        ) {
            let mask = Ipv4Addr::from(u32::MAX << (32 - len));
            let addr = Ipv4Addr::from(addr);
            let mut text = String::from("interface GigabitEthernet0/4\n");
            if let Some(d) = &description {
                text.push_str(&format!(" description {d}\n"));
            }
            if shutdown {
                text.push_str(" shutdown\n");
            }
            if let Some(n) = &nameif {
                text.push_str(&format!(" nameif {n}\n ip address {addr} {mask}\n"));
            }
            let e = Engine::boot(&text, &EngineOptions::default(), [1; 32], at(0)).0;
            let out = run(&e, "show interface", at(secs)).unwrap_or_default();
            let all = show::interface::parse(&out);
            proptest::prop_assert_eq!(all.len(), 1);
            let i = &all[0];
            proptest::prop_assert_eq!(&i.hardware_id, "GigabitEthernet0/4");
            proptest::prop_assert_eq!(i.nameif.as_str(), nameif.as_deref().unwrap_or(""));
            proptest::prop_assert_eq!(i.admin_down(), shutdown);
            proptest::prop_assert_eq!(i.ip_address, nameif.as_ref().map(|_| addr));
            proptest::prop_assert_eq!(i.netmask, nameif.as_ref().map(|_| mask));
            proptest::prop_assert_eq!(i.description.clone(), description);
            proptest::prop_assert_eq!(i.traffic.is_some(), nameif.is_some());
        }
    }

    #[test]
    fn unknown_arguments_are_invalid_input() {
        let e = engine(at(0));
        assert!(run(&e, "show arp now", at(1)).is_err());
        assert!(run(&e, "show cpu usage sometimes", at(1)).is_err());
        assert!(run(&e, "show conn nothing", at(1)).is_err());
        assert!(show(&e, "show clock", "clock", &[], at(1)).is_none());
    }
}
