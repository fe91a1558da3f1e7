//! Generated ASA running configurations of a requested size in bytes, for the scale benchmark
//! (issue 13): hostname, named interfaces, an administrator at privilege 15, `http server enable`
//! with an `http` access line per named interface, then a mix of network objects (host, subnet,
//! range), network object-groups with members, service objects, service object-groups, extended
//! ACEs spread over four access lists naming those objects and groups, static routes, object NAT
//! and twice NAT.
//!
//! The text is written in the order an ASA prints it, so that `show running-config` gives it back
//! line for line (except the `username` line, whose password the device stores hashed). It is
//! deterministic: the same size and credentials always give the same text. Every name and address
//! is distinct for sizes far beyond the 200 MB the benchmark uses.

use std::fmt::Write as _;

/// The four access lists the ACEs are spread over, each bound to an interface.
pub const SCALE_ACLS: [&str; 4] = ["outside_in", "inside_in", "dmz_in", "mgmt_in"];

/// The name of the `i`-th network object of a scale configuration (`net-0000000`, ...).
pub fn scale_object_name(i: usize) -> String {
    format!("net-{i:07}")
}

/// Network objects per unit: the configuration is `units` repetitions of one mix.
const OBJECTS_PER_UNIT: usize = 12;

/// The network object of unit `u` that carries an object NAT rule; no other line names it, so
/// it can be deleted (its definition and its NAT block).
pub fn scale_nat_object_name(u: usize) -> String {
    scale_object_name(u * OBJECTS_PER_UNIT + 10)
}

/// A complete running configuration of about `bytes` bytes (within a few per cent, at least one
/// unit of the mix), with `username <user> password <password> privilege 15`.
pub fn scale_config(bytes: usize, user: &str, password: &str) -> String {
    // Measure one size, then scale: the mix is the same per unit, so the size is linear.
    const PROBE: usize = 200;
    let fixed = render(0, user, password).len();
    let per_unit = (render(PROBE, user, password).len() - fixed) / PROBE;
    let units = (bytes.saturating_sub(fixed) / per_unit.max(1)).max(1);
    render(units, user, password)
}

fn render(units: usize, user: &str, password: &str) -> String {
    let mut out = String::with_capacity(4096 + units * 1500);
    header(&mut out);
    network_objects(&mut out, units);
    service_objects(&mut out, units);
    network_groups(&mut out, units);
    service_groups(&mut out, units);
    access_lists(&mut out, units);
    middle(&mut out);
    nat(&mut out, units);
    routes(&mut out, units);
    tail(&mut out, user, password);
    out
}

fn header(out: &mut String) {
    out.push_str(
        ": Saved\n\
         :\n\
         : Serial Number: 9ASCALE0001\n\
         : Hardware:   ASAv, 2048 MB RAM, CPU Xeon 4100/6100/8100 series 2200 MHz\n\
         :\n\
         ASA Version 9.16(4) \n\
         !\n\
         hostname scale-fw\n\
         names\n\
         no mac-address auto\n\
         \n\
         !\n\
         interface GigabitEthernet0/0\n \
         nameif outside\n \
         security-level 0\n \
         ip address 203.0.113.2 255.255.255.0 \n\
         !\n\
         interface GigabitEthernet0/1\n \
         nameif inside\n \
         security-level 100\n \
         ip address 10.255.0.1 255.255.0.0 \n\
         !\n\
         interface GigabitEthernet0/2\n \
         nameif dmz\n \
         security-level 50\n \
         ip address 10.254.0.1 255.255.0.0 \n\
         !\n\
         interface Management0/0\n \
         management-only\n \
         nameif management\n \
         security-level 100\n \
         ip address 192.0.2.10 255.255.255.0 \n\
         !\n\
         ftp mode passive\n\
         same-security-traffic permit inter-interface\n",
    );
}

/// Four distinct octets for index `i` below 2^24 (beyond, the high octet wraps in 0..64).
fn octets(i: usize) -> (usize, usize, usize) {
    ((i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)
}

fn network_objects(out: &mut String, units: usize) {
    for i in 0..units * OBJECTS_PER_UNIT {
        let _ = writeln!(out, "object network {}", scale_object_name(i));
        let (a, b, c) = octets(i);
        match i % 4 {
            0 | 1 => {
                let _ = writeln!(out, " host 10.{}.{b}.{c}", a % 64);
            }
            2 => {
                let _ = writeln!(out, " subnet 172.{}.{b}.{c} 255.255.255.255", 16 + a % 16);
            }
            _ => {
                let _ = writeln!(
                    out,
                    " range 100.{}.{b}.{c} 100.{}.{b}.{c}",
                    64 + a % 64,
                    64 + a % 64
                );
            }
        }
        if i % 3 == 0 {
            let _ = writeln!(out, " description scale object {i} of site {}", i % 97);
        }
    }
}

fn service_name(u: usize) -> String {
    format!("svc-{u:07}")
}

fn service_objects(out: &mut String, units: usize) {
    for u in 0..units {
        let _ = writeln!(out, "object service {}", service_name(u));
        let port = 1024 + u % 60_000;
        let proto = if u % 3 == 2 { "udp" } else { "tcp" };
        let _ = writeln!(out, " service {proto} destination eq {port}");
    }
}

fn network_group_name(u: usize) -> String {
    format!("ngrp-{u:07}")
}

fn network_groups(out: &mut String, units: usize) {
    for u in 0..units {
        let _ = writeln!(out, "object-group network {}", network_group_name(u));
        if u % 2 == 0 {
            let _ = writeln!(out, " description servers of unit {u}");
        }
        let base = u * OBJECTS_PER_UNIT;
        for k in 0..4 {
            let _ = writeln!(
                out,
                " network-object object {}",
                scale_object_name(base + k)
            );
        }
        let (a, b, c) = octets(u);
        let _ = writeln!(out, " network-object host 198.{}.{b}.{c}", 18 + a % 2);
        if u > 0 && u % 5 == 0 {
            let _ = writeln!(out, " group-object {}", network_group_name(u - 1));
        }
    }
}

fn service_group_name(u: usize) -> String {
    format!("sgrp-{u:07}")
}

fn service_groups(out: &mut String, units: usize) {
    for u in (0..units).step_by(2) {
        let _ = writeln!(out, "object-group service {}", service_group_name(u));
        let _ = writeln!(out, " service-object object {}", service_name(u));
        if u + 1 < units {
            let _ = writeln!(out, " service-object object {}", service_name(u + 1));
        }
        let _ = writeln!(
            out,
            " service-object tcp destination eq {}",
            2000 + u % 50_000
        );
    }
}

fn access_lists(out: &mut String, units: usize) {
    for (n, acl) in SCALE_ACLS.iter().enumerate() {
        let _ = writeln!(
            out,
            "access-list {acl} remark generated entries of list {n}"
        );
        // Unit u's entries go to list u % 4, so every list grows with the size.
        for u in (n..units).step_by(SCALE_ACLS.len()) {
            let base = u * OBJECTS_PER_UNIT;
            let src = scale_object_name(base + 4);
            let dst = scale_object_name(base + 5);
            let grp = network_group_name(u);
            let _ = writeln!(
                out,
                "access-list {acl} extended permit tcp object {src} object {dst} eq https"
            );
            let _ = writeln!(
                out,
                "access-list {acl} extended permit object {} any object-group {grp}",
                service_name(u)
            );
            let _ = writeln!(
                out,
                "access-list {acl} extended permit object-group {} object-group {grp} any",
                service_group_name(u - u % 2)
            );
            let _ = writeln!(
                out,
                "access-list {acl} extended permit udp object-group {grp} object {} eq domain",
                scale_object_name(base + 6)
            );
            let _ = writeln!(
                out,
                "access-list {acl} extended deny ip object {} any log",
                scale_object_name(base + 7)
            );
        }
    }
}

fn middle(out: &mut String) {
    out.push_str(
        "pager lines 24\n\
         logging enable\n\
         logging timestamp\n\
         logging buffered informational\n\
         mtu outside 1500\n\
         mtu inside 1500\n\
         mtu dmz 1500\n\
         mtu management 1500\n\
         no failover\n\
         icmp unreachable rate-limit 1 burst-size 1\n\
         no asdm history enable\n\
         arp timeout 14400\n\
         no arp permit-nonconnected\n",
    );
}

fn nat(out: &mut String, units: usize) {
    // Twice NAT (section 1), one per two units.
    for u in (0..units).step_by(2) {
        let base = u * OBJECTS_PER_UNIT;
        let _ = writeln!(
            out,
            "nat (inside,outside) source static {} {}",
            scale_object_name(base + 8),
            scale_object_name(base + 9)
        );
    }
    // Object NAT, one per unit: printed as the object re-opened with only its nat line.
    for u in 0..units {
        let _ = writeln!(out, "object network {}", scale_nat_object_name(u));
        let (a, b, c) = octets(u);
        let _ = writeln!(out, " nat (inside,outside) static 100.{}.{b}.{c}", a % 64);
    }
    for (acl, nameif) in SCALE_ACLS
        .iter()
        .zip(["outside", "inside", "dmz", "management"])
    {
        let _ = writeln!(out, "access-group {acl} in interface {nameif}");
    }
}

fn routes(out: &mut String, units: usize) {
    out.push_str("route outside 0.0.0.0 0.0.0.0 203.0.113.1 1\n");
    for u in 0..units {
        let (a, b, c) = octets(u);
        let _ = writeln!(
            out,
            "route inside 11.{}.{b}.{c} 255.255.255.255 10.255.0.254 {}",
            a % 64,
            1 + u % 254
        );
    }
}

fn tail(out: &mut String, user: &str, password: &str) {
    out.push_str(
        "timeout xlate 3:00:00\n\
         timeout pat-xlate 0:00:30\n\
         user-identity default-domain LOCAL\n\
         aaa authentication http console LOCAL\n\
         http server enable\n\
         http 0.0.0.0 0.0.0.0 outside\n\
         http 0.0.0.0 0.0.0.0 inside\n\
         http 0.0.0.0 0.0.0.0 management\n\
         no snmp-server location\n\
         no snmp-server contact\n\
         telnet timeout 5\n\
         ssh timeout 5\n\
         console timeout 0\n\
         threat-detection basic-threat\n\
         dynamic-access-policy-record DfltAccessPolicy\n",
    );
    let _ = writeln!(out, "username {user} password {password} privilege 15");
    out.push_str(
        "!\n\
         prompt hostname context \n\
         Cryptochecksum:0123456789abcdef0123456789abcdef\n\
         : end\n",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use lina_sim::engine::{Engine, EngineOptions, Now};

    const USER: &str = "admin";
    const PASSWORD: &str = "Scale-Admin-Pw-7";

    /// The lines that must come back from `show running-config`: everything but the comment
    /// header, the user (its password is stored hashed), separators and the checksum trailer.
    fn compared(text: &str) -> Vec<String> {
        text.lines()
            .filter(|l| {
                !(l.starts_with(':')
                    || l.starts_with("Cryptochecksum")
                    || l.starts_with("username ")
                    || l.trim().is_empty()
                    || *l == "!")
            })
            .map(|l| l.trim_end().to_owned())
            .collect()
    }

    #[test]
    fn size_is_near_the_request() {
        for bytes in [50_000, 1_000_000] {
            let text = scale_config(bytes, USER, PASSWORD);
            let len = text.len() as f64;
            assert!(
                (len - bytes as f64).abs() / (bytes as f64) < 0.05,
                "{} bytes for {bytes}",
                text.len()
            );
        }
    }

    #[test]
    fn generation_is_deterministic_and_has_every_family() {
        let text = scale_config(100_000, USER, PASSWORD);
        assert_eq!(text, scale_config(100_000, USER, PASSWORD));
        for needle in [
            "\nhostname scale-fw\n",
            " nameif inside\n",
            "\nusername admin password Scale-Admin-Pw-7 privilege 15\n",
            "\nhttp server enable\n",
            " host 10.",
            " subnet 172.",
            " range 100.",
            "\nobject service svc-",
            "\nobject-group network ngrp-",
            " group-object ngrp-",
            "\nobject-group service sgrp-",
            "\naccess-list outside_in extended ",
            "\naccess-list inside_in extended ",
            "\naccess-list dmz_in extended ",
            "\naccess-list mgmt_in extended ",
            "\nroute inside 11.",
            " nat (inside,outside) static ",
            "\nnat (inside,outside) source static ",
        ] {
            assert!(text.contains(needle), "missing {needle:?}");
        }
    }

    #[test]
    fn lina_sim_boots_it_without_errors_and_prints_it_back() {
        let text = scale_config(300_000, USER, PASSWORD);
        let (mut engine, _) =
            Engine::boot(&text, &EngineOptions::default(), [3; 32], Now::from_secs(0));
        let errors: Vec<String> = engine
            .startup_errors()
            .iter()
            .take(5)
            .map(|e| format!("line {}: {:?}: {}", e.line_no, e.text, e.error))
            .collect();
        assert!(errors.is_empty(), "boot errors: {errors:#?}");
        assert_eq!(engine.verify_user(USER, PASSWORD), Some(15));
        let want = compared(&text);
        let got = compared(&engine.shown_running_config());
        if want != got {
            let at = want
                .iter()
                .zip(&got)
                .position(|(a, b)| a != b)
                .unwrap_or(want.len().min(got.len()));
            panic!(
                "show running-config differs at line {at}: want {:?}, got {:?} ({} vs {} lines)",
                want.get(at.saturating_sub(1)..(at + 3).min(want.len())),
                got.get(at.saturating_sub(1)..(at + 3).min(got.len())),
                want.len(),
                got.len()
            );
        }
    }
}
