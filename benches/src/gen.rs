//! Generated ASA running configurations of any size, for the parse, load and end-to-end benches.
//!
//! The text is written from scratch (no corpus file is copied) to look like what an ASAv prints for
//! `show running-config`: header, hostname, interfaces, `n` network objects mixing every address
//! form, then the families that usually follow (object groups, access lists, logging, routes, AAA,
//! management access, inspection policy) and the trailer. It is deterministic: the same `n` always
//! gives the same text.

use std::fmt::Write as _;

/// Number of objects the benches load: the size the targets are stated for.
pub const BENCH_OBJECTS: usize = 20_000;

/// The name of the `i`-th generated network object (`obj-00000`, `obj-00001`, ...).
pub fn object_name(i: usize) -> String {
    format!("obj-{i:05}")
}

/// A running configuration with `n` `object network` blocks and no local user.
pub fn config_with_objects(n: usize) -> String {
    render(n, None)
}

/// The same configuration with `username <user> password <password> privilege 15` in the
/// `username` section, so that a daemon booted from it has a known administrator.
/// The password is written in clear: the simulator hashes it on load.
pub fn config_with_objects_and_admin(n: usize, user: &str, password: &str) -> String {
    render(n, Some((user, password)))
}

/// The address line (without the leading space) of the `i`-th object: eight forms in turn.
pub fn object_address(i: usize) -> String {
    // Spread the index over octets / hextets so that every object has its own address
    // (distinct for far more objects than the benches use).
    let a = (i >> 16) & 0x7f;
    let b = (i >> 8) & 0xff;
    let c = i & 0xff;
    let k = i / 8;
    let (k_hi, k_lo) = ((k >> 8) & 0x7f, k & 0xff);
    match i % 8 {
        0 => format!("host 10.{a}.{b}.{c}"),
        1 => format!("subnet 172.{}.{k_lo}.0 255.255.255.0", 16 + (k_hi & 0x0f)),
        2 => format!(
            "range 10.{}.{k_lo}.1 10.{}.{k_lo}.200",
            128 + k_hi,
            128 + k_hi
        ),
        3 if i % 16 == 3 => format!("fqdn v4 host{i}.example.net"),
        3 => format!("fqdn host{i}.example.net"),
        4 => format!("host 2001:db8:{i:x}::1"),
        5 => format!("subnet 2001:db8:1:{i:x}::/64"),
        6 => format!("range 2001:db8:2:{i:x}::10 2001:db8:2:{i:x}::ff"),
        _ => format!("fqdn v6 host{i}.v6.example.net"),
    }
}

fn render(n: usize, admin: Option<(&str, &str)>) -> String {
    // About 75 bytes per object plus a fixed part: reserve once.
    let mut out = String::with_capacity(4096 + n * 80);
    header(&mut out);
    objects(&mut out, n);
    object_groups(&mut out, n);
    access_lists(&mut out, n);
    middle(&mut out);
    if let Some((user, password)) = admin {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "username {user} password {password} privilege 15");
    }
    trailer(&mut out);
    out
}

fn header(out: &mut String) {
    out.push_str(
        ": Saved\n\
         :\n\
         : Serial Number: 9ABENCH0001\n\
         : Hardware:   ASAv, 2048 MB RAM, CPU Xeon 4100/6100/8100 series 2200 MHz\n\
         :\n\
         ASA Version 9.16(4) \n\
         !\n\
         hostname bench-fw\n\
         domain-name bench.example.net\n\
         names\n\
         no mac-address auto\n\
         \n\
         !\n\
         interface GigabitEthernet0/0\n \
         description uplink to the provider\n \
         nameif outside\n \
         security-level 0\n \
         ip address 203.0.113.2 255.255.255.0 \n\
         !\n\
         interface GigabitEthernet0/1\n \
         nameif inside\n \
         security-level 100\n \
         ip address 10.255.0.1 255.255.255.0 \n\
         !\n\
         interface GigabitEthernet0/2\n \
         nameif dmz\n \
         security-level 50\n \
         ip address 10.254.0.1 255.255.255.0 \n\
         !\n\
         interface GigabitEthernet0/3\n \
         shutdown\n \
         no nameif\n \
         no security-level\n \
         no ip address\n\
         !\n\
         interface Management0/0\n \
         management-only\n \
         nameif management\n \
         security-level 100\n \
         ip address 192.0.2.10 255.255.255.0 \n\
         !\n\
         ftp mode passive\n\
         dns server-group DefaultDNS\n \
         domain-name bench.example.net\n\
         same-security-traffic permit inter-interface\n",
    );
}

fn objects(out: &mut String, n: usize) {
    for i in 0..n {
        let _ = writeln!(out, "object network {}", object_name(i));
        let _ = writeln!(out, " {}", object_address(i));
        if i % 3 == 0 {
            let _ = writeln!(out, " description benchmark object {i} for site {}", i % 97);
        }
    }
}

fn object_groups(out: &mut String, n: usize) {
    let groups = (n / 200).max(1);
    for g in 0..groups {
        let _ = writeln!(out, "object-group network grp-{g:04}");
        let _ = writeln!(out, " description group of every 200th object from {g}");
        for i in (g..n).step_by(groups).take(10) {
            let _ = writeln!(out, " network-object object {}", object_name(i));
        }
        let _ = writeln!(out, " network-object 198.51.{}.0 255.255.255.0", g & 0xff);
    }
    out.push_str(
        "object-group service web-ports tcp\n port-object eq www\n port-object eq https\n",
    );
}

fn access_lists(out: &mut String, n: usize) {
    out.push_str("access-list outside_in remark inbound services\n");
    for i in (0..n).step_by(50) {
        let _ = writeln!(
            out,
            "access-list outside_in extended permit tcp any object {} object-group web-ports log",
            object_name(i)
        );
    }
    for g in 0..(n / 200).clamp(1, 20) {
        let _ = writeln!(
            out,
            "access-list inside_out extended permit ip object-group grp-{g:04} any"
        );
    }
    out.push_str("access-list inside_out extended deny ip any any log\n");
}

fn middle(out: &mut String) {
    out.push_str(
        "pager lines 24\n\
         logging enable\n\
         logging timestamp\n\
         logging buffer-size 1048576\n\
         logging buffered informational\n\
         logging trap warnings\n\
         logging host management 192.0.2.50\n\
         mtu outside 1500\n\
         mtu inside 1500\n\
         mtu dmz 1500\n\
         mtu management 1500\n\
         no failover\n\
         icmp unreachable rate-limit 1 burst-size 1\n\
         no asdm history enable\n\
         arp timeout 14400\n\
         no arp permit-nonconnected\n\
         access-group outside_in in interface outside\n\
         access-group inside_out in interface inside\n\
         route outside 0.0.0.0 0.0.0.0 203.0.113.1 1\n\
         route inside 10.0.0.0 255.0.0.0 10.255.0.254 1\n\
         timeout xlate 3:00:00\n\
         timeout pat-xlate 0:00:30\n\
         timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 sctp 0:02:00 icmp 0:00:02\n\
         timeout uauth 0:05:00 absolute\n\
         user-identity default-domain LOCAL\n\
         aaa authentication ssh console LOCAL\n\
         aaa authentication http console LOCAL\n\
         http server enable\n\
         http 192.0.2.0 255.255.255.0 management\n\
         no snmp-server location\n\
         no snmp-server contact\n\
         crypto ipsec security-association pmtu-aging infinite\n\
         telnet timeout 5\n\
         ssh stricthostkeycheck\n\
         ssh 192.0.2.0 255.255.255.0 management\n\
         ssh timeout 30\n\
         ssh version 2\n\
         console timeout 0\n\
         threat-detection basic-threat\n\
         threat-detection statistics access-list\n\
         ntp server 192.0.2.123 source management prefer\n\
         dynamic-access-policy-record DfltAccessPolicy\n",
    );
}

fn trailer(out: &mut String) {
    out.push_str(
        "!\n\
         class-map inspection_default\n \
         match default-inspection-traffic\n\
         !\n\
         !\n\
         policy-map type inspect dns preset_dns_map\n \
         parameters\n  \
         message-length maximum client auto\n  \
         message-length maximum 512\n\
         policy-map global_policy\n \
         class inspection_default\n  \
         inspect dns preset_dns_map \n  \
         inspect ftp \n  \
         inspect icmp \n\
         !\n\
         service-policy global_policy global\n\
         prompt hostname context \n\
         Cryptochecksum:0123456789abcdef0123456789abcdef\n\
         : end\n",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_config_has_one_block_per_object() {
        let text = config_with_objects(100);
        assert_eq!(text.matches("\nobject network ").count(), 100);
        assert!(text.starts_with(": Saved\n"));
        assert!(text.contains("\nASA Version 9.16(4) \n"));
        assert!(text.ends_with(": end\n"));
    }

    #[test]
    fn every_address_form_appears() {
        let text = config_with_objects(16);
        for form in [
            " host 10.",
            " subnet 172.",
            " range 10.",
            " fqdn v4 ",
            " fqdn host",
            " host 2001:",
            " subnet 2001:",
            " range 2001:",
            " fqdn v6 ",
        ] {
            assert!(text.contains(form), "missing {form:?}");
        }
    }

    #[test]
    fn addresses_are_distinct_per_object() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..BENCH_OBJECTS {
            assert!(seen.insert(object_address(i)), "duplicate address for {i}");
        }
    }

    #[test]
    fn admin_line_is_added_only_when_asked() {
        assert!(!config_with_objects(10).contains("username "));
        let text = config_with_objects_and_admin(10, "admin", "s3cret-pw");
        assert!(text.contains("\nusername admin password s3cret-pw privilege 15\n"));
    }

    #[test]
    fn bench_size_config_is_about_sixty_thousand_lines() {
        let text = config_with_objects(BENCH_OBJECTS);
        let lines = text.lines().count();
        assert!((45_000..80_000).contains(&lines), "{lines} lines");
        assert!(text.len() > 1_000_000, "{} bytes", text.len());
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(config_with_objects(500), config_with_objects(500));
    }
}
