//! Where a new block goes: the ASA prints its configuration in a fixed order of families
//! (hostname, interfaces, objects, access lists, ... service-policy, prompt). A family's rank
//! is its position in one static table.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The families in the order `show running-config` prints them. Longest prefix wins.
static FAMILIES: &[&str] = &[
    "terminal",
    "hostname",
    "domain-name",
    "enable",
    "service-module",
    "xlate",
    "passwd",
    "names",
    "name",
    "mac-address",
    "ip local pool",
    "ipv6 local pool",
    "interface",
    "banner",
    "boot",
    "ftp",
    "clock",
    "dns",
    "regex",
    "same-security-traffic",
    "object network",
    "object service",
    "object-group",
    "time-range",
    "access-list",
    "pager",
    "logging",
    "mtu",
    "ip",
    "ipv6",
    "failover",
    "monitor-interface",
    "icmp",
    "asdm",
    "arp",
    "nat",
    "access-group",
    "ipv6 route",
    "route",
    "router",
    "timeout",
    "user-identity",
    "aaa-server",
    "aaa",
    "http",
    "snmp-server",
    "sysopt",
    "service",
    "crypto",
    "telnet",
    "ssh",
    "console",
    "vpdn",
    "threat-detection",
    "dhcpd",
    "dhcprelay",
    "ntp",
    "ssl",
    "webvpn",
    "group-policy",
    "dynamic-access-policy-record",
    "username",
    "tunnel-group",
    // issue 15: TLS proxy, defined before the policy maps whose inspections name it.
    "tls-proxy",
    "class-map",
    "policy-map",
    "service-policy",
    "prompt",
    "call-home",
];

/// The order of lines within the `logging` family.
static LOGGING_ORDER: &[&str] = &[
    "logging enable",
    "logging timestamp",
    "logging hide",
    "logging standby",
    "logging list",
    "logging buffer-size",
    "logging console",
    "logging monitor",
    "logging buffered",
    "logging trap",
    "logging asdm",
    "logging mail",
    "logging from-address",
    "logging recipient-address",
    "logging facility",
    "logging queue",
    "logging device-id",
    "logging host",
    "logging debug-trace",
    "logging permit-hostdown",
    "logging class",
    "logging message",
];

/// Position of a line within its family, for families with a fixed inner order.
pub fn sub_rank(head: &str) -> Option<u16> {
    let head = head.strip_prefix("no ").unwrap_or(head);
    LOGGING_ORDER
        .iter()
        .position(|p| starts_with_words(head, p))
        .map(|i| i as u16)
}

/// Rank of a line that belongs to no known family: placed after everything else.
pub const UNKNOWN: u16 = u16::MAX - 1;
/// Rank of `!` separators, blank lines and the version line: never an anchor.
pub const NONE: u16 = u16::MAX;

/// Whether `line` is `prefix` or starts with `prefix` followed by a space.
pub fn starts_with_words(line: &str, prefix: &str) -> bool {
    line.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// The rank of a top-level line (a `no` form ranks with what it negates).
pub fn rank_of_line(head: &str) -> u16 {
    let head = head.trim_start();
    if head.is_empty() || head.starts_with('!') || head.starts_with("ASA Version") {
        return NONE;
    }
    let head = head.strip_prefix("no ").unwrap_or(head);
    let first = head.split(' ').next().unwrap_or(head);
    // Every family's prefix starts with its first word: only those sharing the line's first
    // word can match, longest first.
    by_first_word()
        .get(first)
        .and_then(|candidates| {
            candidates
                .iter()
                .find(|(_, family)| starts_with_words(head, family))
        })
        .map_or(UNKNOWN, |(i, _)| *i)
}

/// The families by their first word, each list longest prefix first (boot ranks every
/// line: a lookup, not a scan of the table).
fn by_first_word() -> &'static HashMap<&'static str, Vec<(u16, &'static str)>> {
    static INDEX: OnceLock<HashMap<&'static str, Vec<(u16, &'static str)>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<(u16, &'static str)>> = HashMap::new();
        for (i, family) in FAMILIES.iter().enumerate() {
            let first = family.split(' ').next().unwrap_or(family);
            let rank = u16::try_from(i).unwrap_or(UNKNOWN);
            map.entry(first).or_default().push((rank, family));
        }
        for candidates in map.values_mut() {
            candidates.sort_by_key(|(_, family)| std::cmp::Reverse(family.len()));
        }
        map
    })
}

/// The rank of a whole block: an `object network` block holding only `nat` lines is the
/// object's NAT, printed in the NAT section.
pub fn rank_of_block<'a>(head: &str, mut children: impl Iterator<Item = &'a str>) -> u16 {
    let rank = rank_of_line(head);
    if starts_with_words(head, "object network") {
        let mut any = false;
        let all_nat = children.all(|c| {
            any = true;
            starts_with_words(c.trim_start(), "nat")
        });
        if any && all_nat {
            return rank_of_line("nat");
        }
    }
    rank
}

/// The first `n` words of a line, as a slice of it (the grouping key of a new block: an
/// access-list entry goes after the other entries of the same list).
pub fn first_words(line: &str, n: usize) -> &str {
    let mut end = 0;
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in line.char_indices() {
        if c == ' ' {
            if in_word {
                seen += 1;
                in_word = false;
                if seen == n {
                    return &line[..end];
                }
            }
        } else {
            in_word = true;
            end = i + c.len_utf8();
        }
    }
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_rank_in_asa_order() {
        let order = [
            "hostname a",
            "interface GigabitEthernet0/0",
            "object network web",
            "object-group network g",
            "access-list a extended permit ip any any",
            "pager lines 24",
            "logging enable",
            "mtu inside 1500",
            "nat (inside,outside) dynamic interface",
            "access-group a in interface inside",
            "route outside 0.0.0.0 0.0.0.0 1.1.1.1 1",
            "timeout xlate 3:00:00",
            "http server enable",
            "username admin password x pbkdf2",
            "policy-map global_policy",
            "service-policy global_policy global",
            "prompt hostname context",
        ];
        let ranks: Vec<u16> = order.iter().map(|l| rank_of_line(l)).collect();
        let mut sorted = ranks.clone();
        sorted.sort();
        assert_eq!(ranks, sorted);
    }

    #[test]
    fn longest_prefix_wins_and_no_forms_rank_with_their_family() {
        assert!(rank_of_line("ipv6 route x") > rank_of_line("ipv6 enable"));
        assert_eq!(
            rank_of_line("no logging message 1"),
            rank_of_line("logging enable")
        );
        assert_eq!(rank_of_line("objectx"), UNKNOWN);
        assert_eq!(rank_of_line("!"), NONE);
        assert_eq!(rank_of_line(""), NONE);
        assert_eq!(rank_of_line("ASA Version 9.9"), NONE);
    }

    #[test]
    fn the_lookup_agrees_with_a_scan_of_the_table() {
        let scan = |head: &str| -> u16 {
            let head = head.strip_prefix("no ").unwrap_or(head);
            let mut best: Option<(usize, usize)> = None;
            for (i, family) in FAMILIES.iter().enumerate() {
                if starts_with_words(head, family) && best.is_none_or(|(_, l)| family.len() > l) {
                    best = Some((i, family.len()));
                }
            }
            best.map_or(UNKNOWN, |(i, _)| i as u16)
        };
        let mut lines: Vec<String> = FAMILIES.iter().map(|f| format!("{f} x")).collect();
        lines.extend(FAMILIES.iter().map(|f| format!("no {f}")));
        lines.extend(
            [
                "ip local pool p 1.1.1.1-1.1.1.9",
                "ipv6 route outside ::/0 fe80::1",
                "ip audit name x",
                "names",
                "name 1.1.1.1 h",
                "object network o",
                "object service s",
                "objectx",
                "service-policy global_policy global",
                "service password-recovery",
                "aaa-server R protocol radius",
            ]
            .map(str::to_owned),
        );
        for line in &lines {
            assert_eq!(rank_of_line(line), scan(line), "{line}");
        }
    }

    #[test]
    fn object_nat_blocks_rank_with_nat() {
        let nat = ["nat (inside,outside) dynamic interface"];
        assert_eq!(
            rank_of_block("object network o", nat.iter().copied()),
            rank_of_line("nat")
        );
        let def = ["host 1.1.1.1"];
        assert_eq!(
            rank_of_block("object network o", def.iter().copied()),
            rank_of_line("object network o")
        );
        assert_eq!(
            rank_of_block("object network o", std::iter::empty()),
            rank_of_line("object network o")
        );
    }

    #[test]
    fn first_words_cuts_at_word_boundaries() {
        assert_eq!(
            first_words("access-list A extended permit", 2),
            "access-list A"
        );
        assert_eq!(first_words("pager", 2), "pager");
        assert_eq!(first_words("a  b c", 2), "a  b");
        assert_eq!(first_words("", 2), "");
    }
}
