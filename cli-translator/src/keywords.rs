//! ASA top-level configuration keywords and the sub-modes that block-opening lines enter.
//!
//! [`is_config_keyword`] answers whether a word can start a global configuration command
//! (`access-list`, `route`, ...). `no` is not in the table: callers strip it and look at the
//! next word. [`opens_submode`] names the prompt suffix of the mode a line enters
//! (`hostname(config-if)#`).

/// Top-level configuration keywords, sorted and in lower case (binary search): the one list of
/// the CLI families a configuration line may start with. lina-sim refuses a line whose first
/// word (after `no`) is not here, at the CLI and at boot (`show startup-config errors`); the
/// families it does not model keep loading verbatim, in place. Every family the corpus
/// configurations use is listed (`corpus_roundtrip` fails on a corpus line boot refuses).
/// Exec commands (`shun`, `clear`, `show` ...) are not configuration and are not listed.
static CONFIG_KEYWORDS: &[&str] = &[
    "aaa",
    "aaa-server",
    "access-group",
    "access-list",
    "admin-context",
    "arp",
    "arp-inspection",
    "asdm",
    "asp",
    "auth-prompt",
    "auto-update",
    "banner",
    "boot",
    "call-home",
    "class",
    "class-map",
    "clock",
    "cluster",
    "command-alias",
    "community-list",
    "compression",
    "console",
    "context",
    "coredump",
    "crashinfo",
    "crypto",
    "ctl-file",
    "ctl-provider",
    "cts",
    "ddns",
    "dhcp-client",
    "dhcpd",
    "dhcprelay",
    "dns",
    "dns-group",
    "dns-group-map",
    "dns-guard",
    "domain-name",
    "dynamic-access-policy-config",
    "dynamic-access-policy-record",
    "dynamic-filter",
    "enable",
    "established",
    "event",
    "failover",
    "filter",
    "fips",
    "firewall",
    "fixup",
    "flow-export",
    "flow-offload",
    "fragment",
    "ftp",
    "ftp-map",
    "global",
    "group-delimiter",
    "group-policy",
    "gtp-map",
    "hostname",
    "hpm",
    "http",
    "http-map",
    "icmp",
    "imap4s",
    "interface",
    "ip",
    "ipsec",
    "ipv6",
    "isakmp",
    "jumbo-frame",
    "ldap",
    "license",
    // issue 14: logging, failover, licensing
    "license-server",
    "logging",
    "mac-address",
    "mac-address-table",
    "mac-learn",
    "management-access",
    "monitor-interface",
    "mount",
    "mroute",
    "mtu",
    "multicast-routing",
    "nac-policy",
    "name",
    "names",
    "nat",
    "ntp",
    "object",
    "object-group",
    "object-group-search",
    "pager",
    "passwd",
    "password",
    "password-policy",
    "phone-proxy",
    "pim",
    "policy-list",
    "policy-map",
    "pop3s",
    "prefix-list",
    "priority-queue",
    "privilege",
    "prompt",
    "regex",
    "remote-access",
    "rest-api",
    "route",
    "route-map",
    "router",
    "same-security-traffic",
    "scansafe",
    "service",
    "service-module",
    "service-policy",
    "sla",
    "smtp-server",
    "snmp-map",
    "snmp-server",
    "ssh",
    "ssl",
    "static",
    "sunrpc-server",
    "sysopt",
    "tcp-map",
    "telnet",
    "terminal",
    "tftp-server",
    "threat-detection",
    "time-range",
    "timeout",
    "tls-proxy",
    "track",
    "tunnel-group",
    "tunnel-group-map",
    "uc-ime",
    "url-block",
    "url-cache",
    "url-server",
    "user-identity",
    "username",
    "virtual",
    "vpdn",
    "vpn",
    "vpn-addr-assign",
    "vpnclient",
    "vpnsetup",
    "wccp",
    "webvpn",
    "xlate",
    "zone",
];

/// Whether `word` is a top-level configuration keyword of the ASA (any case).
pub fn is_config_keyword(word: &str) -> bool {
    // Asked for every top-level line a boot reads: compared in place, no lowercase copy.
    CONFIG_KEYWORDS
        .binary_search_by(|k| crate::words::cmp_lowercase(k, word))
        .is_ok()
}

/// The prompt suffix of the sub-mode a block-opening line enters (`interface Gi0/1` ->
/// `config-if`), or `None` for one-line commands. Lines that open a mode nested in another
/// (`class` in a policy map, `parameters`, a call-home `profile`) are recognised too.
pub fn opens_submode(line: &str) -> Option<&'static str> {
    let mut words = line.split_whitespace();
    let first = words.next()?.to_ascii_lowercase();
    let second = words.next().map(str::to_ascii_lowercase);
    let third = words.next().map(str::to_ascii_lowercase);
    let last = line
        .split_whitespace()
        .last()
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let second = second.as_deref();
    let third = third.as_deref();
    Some(match (first.as_str(), second) {
        (_, None) if first == "webvpn" => "config-webvpn",
        (_, None) if first == "call-home" => "config-call-home",
        (_, None) if first == "parameters" => "config-pmap-p",
        (_, None) => return None,
        ("interface", Some(_)) => "config-if",
        ("object", Some("network")) => "config-network-object",
        ("object", Some("service")) => "config-service-object",
        ("object-group", Some("network")) => "config-network-object-group",
        ("object-group", Some("service")) => "config-service-object-group",
        ("object-group", Some("protocol")) => "config-protocol-object-group",
        ("object-group", Some("icmp-type")) => "config-icmp-object-group",
        ("object-group", Some("user")) => "config-user-object-group",
        ("object-group", Some("security")) => "config-security-object-group",
        ("policy-map", Some(_)) => "config-pmap",
        ("class-map", Some(_)) => "config-cmap",
        ("class", Some(_)) => "config-pmap-c",
        ("router", Some(_)) => "config-router",
        ("route-map", Some(_)) => "config-route-map",
        ("time-range", Some(_)) => "config-time-range",
        ("dns", Some("server-group")) if third.is_some() => "config-dns-server-group",
        ("username", Some(_)) if last == "attributes" => "config-username",
        ("group-policy", Some(_)) if last == "attributes" => "config-group-policy",
        ("tunnel-group", Some(_)) => match third {
            Some("general-attributes") => "config-tunnel-general",
            Some("ipsec-attributes") => "config-tunnel-ipsec",
            Some("webvpn-attributes") => "config-tunnel-webvpn",
            Some("ppp-attributes") => "config-ppp",
            _ => return None,
        },
        ("crypto", Some("ca")) => match third {
            Some("trustpoint") => "config-ca-trustpoint",
            Some("certificate") => "config-cert-chain",
            Some("trustpool") => "config-ca-trustpool",
            Some("server") => "config-ca-server",
            _ => return None,
        },
        ("crypto", Some("ikev1")) if third == Some("policy") => "config-ikev1-policy",
        ("crypto", Some("ikev2")) if third == Some("policy") => "config-ikev2-policy",
        ("crypto", Some("ipsec")) => match third {
            Some("ikev2") => "config-ipsec-proposal",
            Some("profile") => "config-ipsec-profile",
            _ => return None,
        },
        ("aaa-server", Some(_)) => match third {
            Some("protocol") => "config-aaa-server-group",
            Some("host") => "config-aaa-server-host",
            _ if line
                .split_whitespace()
                .nth(3)
                .is_some_and(|w| w.eq_ignore_ascii_case("host")) =>
            {
                "config-aaa-server-host"
            }
            _ => return None,
        },
        ("dynamic-access-policy-record", Some(_)) => "config-dynamic-access-policy-record",
        ("ldap", Some("attribute-map")) => "config-ldap-attribute-map",
        ("failover", Some("group")) => "config-fover-group",
        ("sla", Some("monitor")) if third.is_some_and(|t| t.parse::<u32>().is_ok()) => {
            "config-sla-monitor"
        }
        ("vpn", Some("load-balancing")) => "config-load-balancing",
        ("context", Some(_)) => "config-ctx",
        ("profile", Some(_)) => "config-call-home-profile",
        ("policy-list", Some(_)) => "config-policy-list",
        ("license", Some("smart")) => "config-smart-lic",
        // issue 15: TLS proxy
        ("tls-proxy", Some(w)) if third.is_none() && w != "maximum-session" => "config-tlsp",
        // issue 14: dynamic DNS
        ("ddns", Some("update")) if third == Some("method") => "DDNS-update-method",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_lowercase_and_unique() {
        for pair in CONFIG_KEYWORDS.windows(2) {
            assert!(pair[0] < pair[1], "{} !< {}", pair[0], pair[1]);
        }
        assert!(
            CONFIG_KEYWORDS
                .iter()
                .all(|k| !k.bytes().any(|b| b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn knows_common_families_in_any_case() {
        for word in [
            "access-list",
            "nat",
            "route",
            "crypto",
            "ASDM",
            "Object-Group",
        ] {
            assert!(is_config_keyword(word), "{word}");
        }
    }

    #[test]
    fn rejects_sub_commands_and_noise() {
        for word in ["nameif", "host", "inspect", "match", "no", "", "23", "quit"] {
            assert!(!is_config_keyword(word), "{word}");
        }
    }

    #[test]
    fn names_sub_mode_prompts() {
        let cases = [
            ("interface GigabitEthernet0/1", Some("config-if")),
            ("object network web", Some("config-network-object")),
            (
                "object-group network grp",
                Some("config-network-object-group"),
            ),
            ("policy-map global_policy", Some("config-pmap")),
            ("class-map inspection_default", Some("config-cmap")),
            ("router ospf 1", Some("config-router")),
            ("username admin attributes", Some("config-username")),
            (
                "tunnel-group 1.2.3.4 ipsec-attributes",
                Some("config-tunnel-ipsec"),
            ),
            ("tunnel-group 1.2.3.4 type ipsec-l2l", None),
            ("crypto ca trustpoint TP", Some("config-ca-trustpoint")),
            ("time-range work", Some("config-time-range")),
            ("webvpn", Some("config-webvpn")),
            (
                "aaa-server RAD protocol radius",
                Some("config-aaa-server-group"),
            ),
            (
                "aaa-server RAD (inside) host 10.0.0.1",
                Some("config-aaa-server-host"),
            ),
            ("group-policy gp attributes", Some("config-group-policy")),
            ("group-policy gp internal", None),
            ("username admin password x privilege 15", None),
            ("dhcpd enable inside", None),
            ("hostname asa", None),
            ("access-list a extended permit ip any any", None),
            ("", None),
        ];
        for (line, want) in cases {
            assert_eq!(opens_submode(line), want, "{line}");
        }
    }
}
