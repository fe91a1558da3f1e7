//! Where a new block goes: the ASA prints its configuration in a fixed order of sections
//! (hostname, interfaces, objects, access lists, ... service-policy, prompt), [`Section`]. A
//! line's rank is the section its longest matching word prefix names. Each family of
//! [`FAMILIES`] says which prefixes are its sections ([`CliFamily::sections`]); this module
//! keeps only the prefixes of the known families no `CliFamily` models ([`VERBATIM`]).

use super::config::Map;
use std::sync::OnceLock;

#[cfg(doc)]
use super::families::CliFamily;
use super::families::FAMILIES;

/// The sections of `show running-config`, in the order the ASA prints them (the order of
/// the variants is the order of the sections: a line's rank is its section's discriminant).
/// A section holds the lines starting with one word prefix; the families of [`FAMILIES`]
/// claim theirs ([`CliFamily::sections`]), [`VERBATIM`] lists the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u16)]
pub enum Section {
    Terminal,
    Hostname,
    DomainName,
    Enable,
    ServiceModule,
    Xlate,
    Passwd,
    Names,
    Name,
    MacAddress,
    IpLocalPool,
    Ipv6LocalPool,
    Interface,
    Banner,
    Boot,
    Ftp,
    Clock,
    Dns,
    Regex,
    SameSecurityTraffic,
    ObjectNetwork,
    ObjectService,
    ObjectGroup,
    TimeRange,
    AccessList,
    Pager,
    Logging,
    Mtu,
    Ip,
    Ipv6,
    Failover,
    MonitorInterface,
    Icmp,
    Asdm,
    Arp,
    Nat,
    AccessGroup,
    Ipv6Route,
    Route,
    Router,
    Timeout,
    UserIdentity,
    AaaServer,
    Aaa,
    Http,
    SnmpServer,
    Sysopt,
    Service,
    Crypto,
    Telnet,
    Ssh,
    Console,
    Vpdn,
    ThreatDetection,
    Dhcpd,
    Dhcprelay,
    Ntp,
    Ssl,
    Webvpn,
    GroupPolicy,
    DynamicAccessPolicyRecord,
    Username,
    TunnelGroup,
    // issue 15: TLS proxy, defined before the policy maps whose inspections name it.
    TlsProxy,
    ClassMap,
    PolicyMap,
    ServicePolicy,
    Prompt,
    CallHome,
}

/// The sections of the known families no [`CliFamily`] models: their lines load verbatim,
/// in place (the documented list is `cli_translator::keywords`; `corpus_roundtrip` checks that
/// the corpus prints back whole). Every other section is claimed by its family
/// ([`CliFamily::sections`]).
pub static VERBATIM: &[(&str, Section)] = &[
    ("terminal", Section::Terminal),
    ("domain-name", Section::DomainName),
    ("enable", Section::Enable),
    ("service-module", Section::ServiceModule),
    ("xlate", Section::Xlate),
    ("passwd", Section::Passwd),
    ("names", Section::Names),
    ("name", Section::Name),
    ("mac-address", Section::MacAddress),
    ("ip local pool", Section::IpLocalPool),
    ("ipv6 local pool", Section::Ipv6LocalPool),
    ("banner", Section::Banner),
    ("boot", Section::Boot),
    ("ftp", Section::Ftp),
    ("clock", Section::Clock),
    ("same-security-traffic", Section::SameSecurityTraffic),
    ("pager", Section::Pager),
    ("asdm", Section::Asdm),
    ("arp", Section::Arp),
    ("router", Section::Router),
    ("user-identity", Section::UserIdentity),
    ("sysopt", Section::Sysopt),
    ("service", Section::Service),
    ("console", Section::Console),
    ("vpdn", Section::Vpdn),
    ("threat-detection", Section::ThreatDetection),
    ("webvpn", Section::Webvpn),
    (
        "dynamic-access-policy-record",
        Section::DynamicAccessPolicyRecord,
    ),
    ("prompt", Section::Prompt),
    ("call-home", Section::CallHome),
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
    // Every section's prefix starts with its first word: only those sharing the line's first
    // word can match, longest first (`ip local pool`, verbatim, before `ip`, IP audit's).
    by_first_word()
        .get(first)
        .and_then(|candidates| {
            candidates
                .iter()
                .find(|(_, prefix)| starts_with_words(head, prefix))
        })
        .map_or(UNKNOWN, |(rank, _)| *rank)
}

/// The ranks of the sections whose prefix starts with `word` (a line starting with `word`
/// is of one of them, or of the unknown family).
pub fn ranks_of_first_word(word: &str) -> impl Iterator<Item = u16> {
    let mut ranks: Vec<u16> = by_first_word()
        .get(word)
        .map(|candidates| candidates.iter().map(|(rank, _)| *rank).collect())
        .unwrap_or_default();
    ranks.sort_unstable();
    ranks.dedup();
    ranks.into_iter()
}

/// Every section prefix with its section: those the families claim, then the verbatim ones.
fn all_prefixes() -> impl Iterator<Item = (&'static str, Section)> {
    FAMILIES
        .iter()
        .flat_map(|f| f.sections().iter().copied())
        .chain(VERBATIM.iter().copied())
}

/// The section prefixes by their first word, each list longest prefix first (boot ranks
/// every line: a lookup, not a scan).
fn by_first_word() -> &'static Map<&'static str, Vec<(u16, &'static str)>> {
    static INDEX: OnceLock<Map<&'static str, Vec<(u16, &'static str)>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map: Map<&'static str, Vec<(u16, &'static str)>> = Map::default();
        for (prefix, section) in all_prefixes() {
            let first = prefix.split(' ').next().unwrap_or(prefix);
            map.entry(first).or_default().push((section as u16, prefix));
        }
        for candidates in map.values_mut() {
            candidates.sort_by_key(|(_, prefix)| std::cmp::Reverse(prefix.len()));
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
            let mut best: Option<(u16, usize)> = None;
            for (prefix, section) in all_prefixes() {
                if starts_with_words(head, prefix) && best.is_none_or(|(_, l)| prefix.len() > l) {
                    best = Some((section as u16, prefix.len()));
                }
            }
            best.map_or(UNKNOWN, |(rank, _)| rank)
        };
        let mut lines: Vec<String> = all_prefixes().map(|(p, _)| format!("{p} x")).collect();
        lines.extend(all_prefixes().map(|(p, _)| format!("no {p}")));
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
    fn every_section_has_one_prefix_claimed_once() {
        let mut prefixes: Vec<&str> = all_prefixes().map(|(p, _)| p).collect();
        let mut sections: Vec<u16> = all_prefixes().map(|(_, s)| s as u16).collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        sections.sort_unstable();
        sections.dedup();
        assert_eq!(
            prefixes.len(),
            all_prefixes().count(),
            "a prefix claimed twice"
        );
        assert_eq!(
            sections.len(),
            all_prefixes().count(),
            "a section claimed twice"
        );
        let last = Section::CallHome as u16;
        assert_eq!(
            sections,
            (0..=last).collect::<Vec<u16>>(),
            "a section unclaimed"
        );
    }

    #[test]
    fn a_family_claims_sections_of_its_own_keywords_only() {
        for family in FAMILIES {
            for (prefix, _) in family.sections() {
                let first = prefix.split(' ').next().unwrap_or(prefix);
                assert!(
                    family.keywords().contains(&first),
                    "{} claims {prefix}",
                    family.name()
                );
            }
        }
        for (prefix, _) in VERBATIM {
            let first = prefix.split(' ').next().unwrap_or(prefix);
            assert!(
                cli_translator::keywords::is_config_keyword(first),
                "{prefix} is not a known family"
            );
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
