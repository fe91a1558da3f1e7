//! Site-to-site VPN (issue 15): `crypto ikev1|ikev2 policy`, `crypto ipsec ikev1
//! transform-set`, `crypto ipsec ikev2 ipsec-proposal`, `crypto map`, `tunnel-group`,
//! `group-policy`, and `show crypto isakmp|ipsec sa` as an ASA with no tunnel up answers.
//!
//! The forms modelled are checked (their values, the items they name); other `crypto`,
//! `tunnel-group` and `group-policy` forms keep the verbatim rules. `crypto ca` / `crypto
//! key` are the `Crypto` family's (certificates), not this one's.
//!
//! ```text
//! crypto ikev1 policy <1-65535>
//!  authentication pre-share|rsa-sig|crack / encryption des|3des|aes|aes-192|aes-256
//!  hash md5|sha / group 1|2|5|14|... / lifetime <120-2147483647>|none
//! crypto ikev2 policy <1-65535>
//!  encryption <alg>... / integrity <alg>... / group <n>... / prf <alg>... / lifetime seconds <n>
//! crypto ipsec ikev1 transform-set <name> <esp-enc> [<esp-auth>]
//! crypto ipsec ikev2 ipsec-proposal <name>
//!  protocol esp encryption <alg>... / protocol esp integrity <alg>...
//! crypto map <map> <seq> match address <acl> | set peer <ip>... | set pfs [group<n>]
//!   | set ikev1 transform-set <ts>... | set ikev2 ipsec-proposal <p>...
//!   | set security-association lifetime seconds <n> [kilobytes <n>|unlimited]
//! crypto map <map> interface <nameif>
//! tunnel-group <name> type ipsec-l2l|remote-access / tunnel-group <name> general-attributes
//!  default-group-policy <gp>
//! group-policy <name> internal|external ... / group-policy <name> attributes
//! ```
//! The `ERROR:` texts are written from the ASA's documented behaviour (no capture found).

use std::net::IpAddr;

use cli_translator::ast::Command;
use cli_translator::parse::ParseError;
use cli_translator::validate::check_object_name;

use super::apply::{Applier, Step, word_offset};
use super::config::{Config, Entry};
use super::error::CliError;
use super::families::{CliFamily, Reading};
use super::modes::Submode;
use super::sections::starts_with_words;

/// IKEv1 encryption keywords.
pub const IKEV1_ENCRYPTION: &[&str] = &["des", "3des", "aes", "aes-192", "aes-256"];
/// IKEv1 and IKEv2 Diffie-Hellman groups.
pub const DH_GROUPS: &[&str] = &[
    "1", "2", "5", "14", "15", "16", "19", "20", "21", "24", "31",
];
/// IKEv2 policy encryption keywords.
pub const IKEV2_ENCRYPTION: &[&str] = &[
    "des",
    "3des",
    "aes",
    "aes-192",
    "aes-256",
    "aes-gcm",
    "aes-gcm-192",
    "aes-gcm-256",
    "null",
];
/// IKEv2 policy integrity and PRF keywords.
pub const IKEV2_HASHES: &[&str] = &["md5", "sha", "sha256", "sha384", "sha512", "null"];
/// ESP encryption of transform sets.
pub const ESP_ENCRYPTION: &[&str] = &[
    "esp-des",
    "esp-3des",
    "esp-aes",
    "esp-aes-192",
    "esp-aes-256",
    "esp-null",
];
/// ESP authentication of transform sets.
pub const ESP_AUTHENTICATION: &[&str] = &[
    "esp-md5-hmac",
    "esp-sha-hmac",
    "esp-sha256-hmac",
    "esp-sha384-hmac",
    "esp-sha512-hmac",
    "esp-none",
];
/// IPsec proposal encryption.
pub const PROPOSAL_ENCRYPTION: &[&str] = &[
    "aes-gcm-256",
    "aes-gcm-192",
    "aes-gcm",
    "aes-256",
    "aes-192",
    "aes",
    "3des",
    "des",
    "aes-gmac-256",
    "aes-gmac-192",
    "aes-gmac",
    "null",
];
/// IPsec proposal integrity.
pub const PROPOSAL_INTEGRITY: &[&str] = &["sha-512", "sha-384", "sha-256", "sha-1", "md5", "null"];

/// Group-policy attribute words (first word of a line in `group-policy <n> attributes`).
const GROUP_POLICY_WORDS: &[&str] = &[
    "address-pools",
    "always-on-vpn",
    "anyconnect",
    "backup-servers",
    "banner",
    "client-access-rule",
    "client-firewall",
    "customization",
    "description",
    "gateway-fqdn",
    "intercept-dhcp",
    "ip-comp",
    "ip-phone-bypass",
    "ipsec-udp",
    "ipsec-udp-port",
    "ipv6-vpn-filter",
    "leap-bypass",
    "msie-proxy",
    "nac-settings",
    "nem",
    "pfs",
    "secure-unit-authentication",
    "smartcard-removal-disconnect",
    "user-authentication",
    "user-authentication-idle-timeout",
    "vpn-group-policy",
    "client-bypass-protocol",
    "default-domain",
    "dhcp-network-scope",
    "dns-server",
    "group-lock",
    "ipv6-address-pools",
    "ipv6-split-tunnel-policy",
    "password-storage",
    "re-xauth",
    "security-group-tag",
    "split-dns",
    "split-tunnel-all-dns",
    "split-tunnel-network-list",
    "split-tunnel-policy",
    "vlan",
    "vpn-access-hours",
    "vpn-filter",
    "vpn-idle-timeout",
    "vpn-session-timeout",
    "vpn-simultaneous-logins",
    "vpn-tunnel-protocol",
    "webvpn",
    "wins-server",
];

/// `vpn-tunnel-protocol` values.
pub const TUNNEL_PROTOCOLS: &[&str] = &[
    "ikev1",
    "ikev2",
    "l2tp-ipsec",
    "ssl-client",
    "ssl-clientless",
];

/// The family.
#[derive(Debug)]
pub struct Vpn;

fn bad(line: &str, n: usize) -> CliError {
    CliError::invalid(line, word_offset(line, n))
}

fn in_range(w: &str, lo: u64, hi: u64) -> bool {
    w.parse::<u64>().is_ok_and(|n| (lo..=hi).contains(&n)) && !w.starts_with('+')
}

fn valid_name(n: &str) -> bool {
    check_object_name(n).is_ok() && n.chars().count() <= 64
}

fn has_head(cfg: &Config, prefix: &str) -> bool {
    cfg.iter()
        .any(|(_, b)| starts_with_words(b.head().text, prefix))
}

/// The first block line (header or child) mentioning `words` in sequence, with its header.
fn user_of(cfg: &Config, f: impl Fn(&str) -> bool) -> Option<String> {
    cfg.iter()
        .find(|(_, b)| f(b.head().text) || b.children().any(|c| f(c.text.trim())))
        .map(|(_, b)| b.head().text.to_string())
}

/// Removes every block whose header starts with the words `prefix`.
fn remove_all(a: &mut Applier<'_>, prefix: &str) {
    let ids: Vec<_> = a
        .cfg
        .iter()
        .filter(|(_, b)| starts_with_words(b.head().text, prefix))
        .map(|(id, _)| id)
        .collect();
    for id in ids {
        a.cfg.remove(id);
    }
}

/// Every word of `list` is one of `allowed`, none twice; returns the index of the first bad.
fn check_list(list: &[&str], allowed: &[&str]) -> Result<(), usize> {
    for (i, w) in list.iter().enumerate() {
        if !allowed.contains(w) || list[..i].contains(w) {
            return Err(i);
        }
    }
    Ok(())
}

impl Vpn {
    fn crypto(
        a: &mut Applier<'_>,
        line: &str,
        w: &[&str],
        neg: usize,
    ) -> Option<Result<Step, CliError>> {
        let err = |n: usize| Some(Err(bad(line, neg + n)));
        match w {
            ["crypto", "ikev1" | "ikev2", "policy", prio] => {
                if !in_range(prio, 1, 65535) {
                    return err(3);
                }
                None
            }
            ["crypto", "ikev1" | "ikev2", "policy"] => Some(Err(CliError::Incomplete)),
            ["crypto", "ipsec", "ikev1", "transform-set", name, rest @ ..] => {
                if !valid_name(name) {
                    return err(4);
                }
                if neg == 1 {
                    let used = user_of(a.cfg, |t| {
                        starts_with_words(t, "crypto map")
                            && t.split_whitespace()
                                .skip_while(|x| *x != "transform-set")
                                .skip(1)
                                .any(|x| x == *name)
                    });
                    if let Some(by) = used {
                        return Some(Err(CliError::MapInUse {
                            what: "Transform set",
                            name: (*name).to_owned(),
                            by,
                        }));
                    }
                    return None;
                }
                match rest {
                    [] => Some(Err(CliError::Incomplete)),
                    ["mode", "tunnel" | "transport"] => None,
                    [enc] if ESP_ENCRYPTION.contains(enc) => None,
                    [enc, auth]
                        if ESP_ENCRYPTION.contains(enc) && ESP_AUTHENTICATION.contains(auth) =>
                    {
                        // One transform line per set: the new one replaces it.
                        let prefix = format!("crypto ipsec ikev1 transform-set {name} ");
                        let old: Vec<_> = a
                            .cfg
                            .iter()
                            .filter(|(_, b)| {
                                b.head().text.starts_with(&prefix)
                                    && !b.head().text[prefix.len()..].starts_with("mode ")
                            })
                            .map(|(id, _)| id)
                            .collect();
                        for id in old {
                            a.cfg.remove(id);
                        }
                        None
                    }
                    [enc, ..] if !ESP_ENCRYPTION.contains(enc) => err(5),
                    _ => err(6),
                }
            }
            ["crypto", "ipsec", "ikev2", "ipsec-proposal", name] => {
                if !valid_name(name) {
                    return err(4);
                }
                if neg == 1
                    && let Some(by) = user_of(a.cfg, |t| {
                        starts_with_words(t, "crypto map")
                            && t.split_whitespace()
                                .skip_while(|x| *x != "ipsec-proposal")
                                .skip(1)
                                .any(|x| x == *name)
                    })
                {
                    return Some(Err(CliError::MapInUse {
                        what: "IPsec proposal",
                        name: (*name).to_owned(),
                        by,
                    }));
                }
                None
            }
            ["crypto", "map", map, rest @ ..] => {
                if !valid_name(map) {
                    return err(2);
                }
                Self::crypto_map(a, line, neg, map, rest)
            }
            _ => None,
        }
    }

    fn crypto_map(
        a: &mut Applier<'_>,
        line: &str,
        neg: usize,
        _map: &str,
        rest: &[&str],
    ) -> Option<Result<Step, CliError>> {
        let err = |n: usize| Some(Err(bad(line, neg + n)));
        match rest {
            [] => Some(Err(CliError::Incomplete)),
            ["interface", nameif, ..] => {
                if neg == 0 && !a.nameif_exists(nameif) {
                    return Some(Err(CliError::NoSuchNameif((*nameif).to_owned())));
                }
                None
            }
            [seq, cmd @ ..] => {
                if !in_range(seq, 1, 65535) {
                    return err(3);
                }
                if neg == 1 {
                    return None;
                }
                let step = Self::crypto_map_entry(a, line, neg, cmd);
                if matches!(step, None | Some(Ok(_))) {
                    // A setting replaces its earlier value (`set peer`, `set pfs` ...).
                    let key_len = match cmd {
                        ["match", "address", ..] | ["set", "peer" | "pfs", ..] => Some(6),
                        ["set", "ikev1" | "ikev2", ..] => Some(7),
                        ["set", "security-association", "lifetime", _, ..] => Some(8),
                        _ => None,
                    };
                    if let Some(n) = key_len {
                        let key: Vec<&str> = line.split_whitespace().take(n).collect();
                        let key = key.join(" ");
                        let old: Vec<_> = a
                            .cfg
                            .iter()
                            .filter(|(_, b)| {
                                b.head().text != line && starts_with_words(b.head().text, &key)
                            })
                            .map(|(id, _)| id)
                            .collect();
                        for id in old {
                            a.cfg.remove(id);
                        }
                    }
                }
                step
            }
        }
    }

    fn crypto_map_entry(
        a: &mut Applier<'_>,
        line: &str,
        neg: usize,
        cmd: &[&str],
    ) -> Option<Result<Step, CliError>> {
        let err = |n: usize| Some(Err(bad(line, neg + n)));
        {
            {
                match cmd {
                    [] => Some(Err(CliError::Incomplete)),
                    ["match", "address", acl] => {
                        let prefix = format!("access-list {acl} ");
                        if !a
                            .cfg
                            .iter()
                            .any(|(_, b)| b.head().text.starts_with(&prefix))
                        {
                            return Some(Err(CliError::NoSuchAccessList((*acl).to_owned())));
                        }
                        None
                    }
                    ["set", "peer", peers @ ..] => {
                        if peers.is_empty() {
                            return Some(Err(CliError::Incomplete));
                        }
                        for (i, p) in peers.iter().enumerate() {
                            if p.parse::<IpAddr>().is_err() && !valid_name(p) {
                                return err(6 + i);
                            }
                        }
                        if peers.len() > 10 {
                            return err(16);
                        }
                        None
                    }
                    ["set", "pfs"] => None,
                    ["set", "pfs", g] => match g.strip_prefix("group") {
                        Some(n) if DH_GROUPS.contains(&n) => None,
                        _ => err(6),
                    },
                    ["set", "ikev1", "transform-set", sets @ ..] => {
                        if sets.is_empty() {
                            return Some(Err(CliError::Incomplete));
                        }
                        for (i, s) in sets.iter().enumerate() {
                            if !valid_name(s) || sets[..i].contains(s) {
                                return err(7 + i);
                            }
                        }
                        None
                    }
                    ["set", "ikev2", "ipsec-proposal", props @ ..] => {
                        if props.is_empty() {
                            return Some(Err(CliError::Incomplete));
                        }
                        for (i, s) in props.iter().enumerate() {
                            if !valid_name(s) || props[..i].contains(s) {
                                return err(7 + i);
                            }
                        }
                        None
                    }
                    ["set", "security-association", "lifetime", tail @ ..] => {
                        let mut i = 0;
                        if tail.is_empty() {
                            return Some(Err(CliError::Incomplete));
                        }
                        while let Some(k) = tail.get(i) {
                            match (*k, tail.get(i + 1)) {
                                ("seconds", Some(n)) if in_range(n, 120, 2_147_483_647) => {}
                                ("kilobytes", Some(n))
                                    if *n == "unlimited" || in_range(n, 10, 2_147_483_647) => {}
                                ("seconds" | "kilobytes", None) => {
                                    return Some(Err(CliError::Incomplete));
                                }
                                ("seconds" | "kilobytes", Some(_)) => return err(7 + i + 1),
                                _ => return err(7 + i),
                            }
                            i += 2;
                        }
                        None
                    }
                    // Other `crypto map` settings keep the verbatim rules.
                    ["set", ..] | ["ipsec-isakmp", ..] | ["match", ..] => None,
                    _ => err(4),
                }
            }
        }
    }

    fn tunnel_group(
        a: &mut Applier<'_>,
        line: &str,
        w: &[&str],
        neg: usize,
    ) -> Option<Result<Step, CliError>> {
        let err = |n: usize| Some(Err(bad(line, neg + n)));
        match w {
            ["tunnel-group"] => Some(Err(CliError::Incomplete)),
            ["tunnel-group", name, ..] if !valid_name(name) => err(1),
            ["tunnel-group", name] if neg == 1 => {
                // The group goes with its attribute blocks.
                remove_all(a, &format!("tunnel-group {name}"));
                Some(Ok(Step::Done(None)))
            }
            ["tunnel-group", _] => Some(Err(CliError::Incomplete)),
            ["tunnel-group", _, "type", kind] => {
                if neg == 0 && !matches!(*kind, "ipsec-l2l" | "remote-access" | "webvpn") {
                    return err(3);
                }
                None
            }
            [
                "tunnel-group",
                name,
                "general-attributes" | "ipsec-attributes" | "webvpn-attributes" | "ppp-attributes",
            ] => {
                if neg == 0 && !has_head(a.cfg, &format!("tunnel-group {name} type")) {
                    return Some(Err(CliError::NoSuchMap {
                        what: "tunnel-group",
                        name: (*name).to_owned(),
                    }));
                }
                None
            }
            ["tunnel-group", _, ..] => err(2),
            _ => None,
        }
    }

    fn group_policy(
        a: &mut Applier<'_>,
        line: &str,
        w: &[&str],
        neg: usize,
    ) -> Option<Result<Step, CliError>> {
        let err = |n: usize| Some(Err(bad(line, neg + n)));
        match w {
            ["group-policy"] => Some(Err(CliError::Incomplete)),
            ["group-policy", name, ..] if !valid_name(name) => err(1),
            ["group-policy", name, rest @ ..] if neg == 1 => {
                if matches!(rest, [] | ["internal" | "external", ..]) {
                    let want = format!("default-group-policy {name}");
                    if let Some(by) = user_of(a.cfg, |t| t == want) {
                        return Some(Err(CliError::MapInUse {
                            what: "Group policy",
                            name: (*name).to_owned(),
                            by,
                        }));
                    }
                    // The policy goes with its attributes.
                    remove_all(a, &format!("group-policy {name}"));
                    return Some(Ok(Step::Done(None)));
                }
                None
            }
            ["group-policy", _] => Some(Err(CliError::Incomplete)),
            ["group-policy", _, "internal"] => None,
            ["group-policy", _, "internal", "from", from] if valid_name(from) => None,
            ["group-policy", _, "external", "server-group", sg, ..] if valid_name(sg) => None,
            ["group-policy", name, "attributes"] => {
                if !has_head(a.cfg, &format!("group-policy {name} internal"))
                    && !has_head(a.cfg, &format!("group-policy {name} external"))
                {
                    return Some(Err(CliError::NoSuchMap {
                        what: "Group policy",
                        name: (*name).to_owned(),
                    }));
                }
                None
            }
            ["group-policy", _, _, ..] => err(2),
            _ => None,
        }
    }

    /// A sub-command of a block of this family; `None` when the block is not one it models.
    fn sub(
        a: &mut Applier<'_>,
        sub: &mut Submode,
        head: &str,
        line: &str,
    ) -> Option<Result<Step, CliError>> {
        let kind = block_of(head)?;
        let words: Vec<&str> = line.split_whitespace().collect();
        let neg = usize::from(words.first() == Some(&"no"));
        let w = &words[neg..];
        if let Err(e) = check_child(a.cfg, kind, line, w, neg) {
            return Some(Err(e));
        }
        let key = child_key(kind, w);
        let entry = Entry::verbatim(line);
        a.cfg.update(sub.block, |b| {
            let same = b.children.iter().position(|c| {
                let cw: Vec<&str> = c.text.split_whitespace().collect();
                let cneg = usize::from(cw.first() == Some(&"no"));
                child_key(kind, &cw[cneg..]) == key
            });
            match (neg, same) {
                (1, Some(i)) => {
                    b.children.remove(i);
                }
                (1, None) => {}
                (_, Some(i)) => b.children[i] = entry,
                (_, None) => b.children.push(entry),
            }
        });
        sub.last_child = Some(line.to_owned());
        Some(Ok(Step::Done(None)))
    }
}

/// The kinds of block this family checks the sub-commands of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VpnBlock {
    Ikev1Policy,
    Ikev2Policy,
    Proposal,
    TunnelGeneral,
    TunnelIpsec,
    GroupPolicy,
}

fn block_of(head: &str) -> Option<VpnBlock> {
    let w: Vec<&str> = head.split_whitespace().collect();
    Some(match w.as_slice() {
        ["crypto", "ikev1", "policy", _] => VpnBlock::Ikev1Policy,
        ["crypto", "ikev2", "policy", _] => VpnBlock::Ikev2Policy,
        ["crypto", "ipsec", "ikev2", "ipsec-proposal", _] => VpnBlock::Proposal,
        ["tunnel-group", _, "general-attributes"] => VpnBlock::TunnelGeneral,
        ["tunnel-group", _, "ipsec-attributes"] => VpnBlock::TunnelIpsec,
        ["group-policy", _, "attributes"] => VpnBlock::GroupPolicy,
        _ => return None,
    })
}

/// What a sub-command sets: a later line with the same key replaces it.
fn child_key(kind: VpnBlock, w: &[&str]) -> String {
    let n = match (kind, w) {
        (VpnBlock::Proposal, _) => 3,
        (VpnBlock::TunnelIpsec, ["ikev2", ..]) => 2,
        (VpnBlock::Ikev2Policy | VpnBlock::Ikev1Policy, _) => 1,
        (VpnBlock::TunnelIpsec, _) => 1,
        (VpnBlock::TunnelGeneral | VpnBlock::GroupPolicy, _) => 1,
    };
    w.iter().take(n).copied().collect::<Vec<_>>().join(" ")
}

/// Checks a sub-command of a block of `kind` (`w` without its `no`).
fn check_child(
    cfg: &Config,
    kind: VpnBlock,
    line: &str,
    w: &[&str],
    neg: usize,
) -> Result<(), CliError> {
    let err = |n: usize| Err(bad(line, neg + n));
    let incomplete = || Err(CliError::Incomplete);
    let first = w.first().copied().unwrap_or_default();
    if first.is_empty() {
        return incomplete();
    }
    // A `no` form needs only its keyword.
    let full = neg == 0;
    match kind {
        VpnBlock::Ikev1Policy => match w {
            ["authentication", m] if ["pre-share", "rsa-sig", "crack"].contains(m) => Ok(()),
            ["encryption", e] if IKEV1_ENCRYPTION.contains(e) => Ok(()),
            ["hash", h] if ["md5", "sha"].contains(h) => Ok(()),
            ["group", g] if DH_GROUPS.contains(g) => Ok(()),
            ["lifetime", l] if *l == "none" || in_range(l, 120, 2_147_483_647) => Ok(()),
            ["authentication" | "encryption" | "hash" | "group" | "lifetime"] if !full => Ok(()),
            ["authentication" | "encryption" | "hash" | "group" | "lifetime"] => incomplete(),
            [
                "authentication" | "encryption" | "hash" | "group" | "lifetime",
                ..,
            ] => err(1),
            _ => err(0),
        },
        VpnBlock::Ikev2Policy => match w {
            ["encryption" | "integrity" | "group" | "prf"] if !full => Ok(()),
            ["encryption" | "integrity" | "group" | "prf"] => incomplete(),
            ["encryption", list @ ..] => check_list(list, IKEV2_ENCRYPTION).or_else(|i| err(1 + i)),
            ["integrity" | "prf", list @ ..] => {
                check_list(list, IKEV2_HASHES).or_else(|i| err(1 + i))
            }
            ["group", list @ ..] => check_list(list, DH_GROUPS).or_else(|i| err(1 + i)),
            ["lifetime"] if !full => Ok(()),
            ["lifetime", "seconds", n] if in_range(n, 120, 2_147_483_647) => Ok(()),
            ["lifetime", "seconds"] | ["lifetime"] => incomplete(),
            ["lifetime", "seconds", _] => err(2),
            ["lifetime", ..] => err(1),
            _ => err(0),
        },
        VpnBlock::Proposal => match w {
            ["protocol", "esp", "encryption" | "integrity"] if !full => Ok(()),
            ["protocol", "esp", "encryption" | "integrity"] => incomplete(),
            ["protocol", "esp", "encryption", list @ ..] => {
                check_list(list, PROPOSAL_ENCRYPTION).or_else(|i| err(3 + i))
            }
            ["protocol", "esp", "integrity", list @ ..] => {
                check_list(list, PROPOSAL_INTEGRITY).or_else(|i| err(3 + i))
            }
            ["protocol", "esp"] | ["protocol"] => incomplete(),
            ["protocol", "esp", ..] => err(2),
            ["protocol", ..] => err(1),
            _ => err(0),
        },
        VpnBlock::TunnelIpsec => match w {
            ["ikev1", "pre-shared-key", ..]
            | [
                "ikev2",
                "local-authentication" | "remote-authentication",
                "pre-shared-key",
                ..,
            ] if !full => Ok(()),
            ["ikev1", "pre-shared-key", key] => check_key(line, neg + 2, key),
            [
                "ikev2",
                "local-authentication" | "remote-authentication",
                "pre-shared-key",
                key,
            ] => check_key(line, neg + 3, key),
            [
                "ikev2",
                "local-authentication" | "remote-authentication",
                "pre-shared-key",
                "hex",
                key,
            ] => check_key(line, neg + 4, key),
            ["ikev1" | "ikev2", ..] if w.len() < 3 => incomplete(),
            [
                "peer-id-validate"
                | "isakmp"
                | "chain"
                | "ikev1"
                | "ikev2"
                | "trust-point"
                | "ikev1-user-authentication"
                | "remote-authentication"
                | "local-authentication"
                | "pre-shared-key"
                | "radius-sdi-xauth"
                | "authorization-dn-attributes",
                ..,
            ] => Ok(()),
            _ => err(0),
        },
        VpnBlock::TunnelGeneral => match w {
            ["default-group-policy", gp] => {
                if full
                    && !has_head(cfg, &format!("group-policy {gp} internal"))
                    && !has_head(cfg, &format!("group-policy {gp} external"))
                    && *gp != "DfltGrpPolicy"
                {
                    return Err(CliError::NoSuchMap {
                        what: "Group policy",
                        name: (*gp).to_owned(),
                    });
                }
                Ok(())
            }
            ["default-group-policy"] if !full => Ok(()),
            ["default-group-policy"] => incomplete(),
            [
                "address-pool"
                | "ipv6-address-pool"
                | "authentication-server-group"
                | "authorization-server-group"
                | "accounting-server-group"
                | "dhcp-server"
                | "authorization-required"
                | "password-management"
                | "strip-group"
                | "strip-realm"
                | "username-from-certificate"
                | "secondary-authentication-server-group"
                | "secondary-username-from-certificate"
                | "authentication-attr-from-server"
                | "authenticated-session-username"
                | "nat-assigned-to-public-ip"
                | "scep-enrollment"
                | "override-account-disable"
                | "annotation",
                ..,
            ] => Ok(()),
            _ => err(0),
        },
        VpnBlock::GroupPolicy => match w {
            ["vpn-tunnel-protocol", list @ ..] if full => {
                if list.is_empty() {
                    return incomplete();
                }
                check_list(list, TUNNEL_PROTOCOLS).or_else(|i| err(1 + i))
            }
            ["vpn-filter", "value", acl] if full => {
                let prefix = format!("access-list {acl} ");
                if !cfg.iter().any(|(_, b)| b.head().text.starts_with(&prefix)) {
                    return Err(CliError::NoSuchAccessList((*acl).to_owned()));
                }
                Ok(())
            }
            ["vpn-filter", "none"] if full => Ok(()),
            ["vpn-filter", ..] if full => err(1),
            ["vpn-idle-timeout" | "vpn-session-timeout", v] if full => {
                if *v == "none" || in_range(v, 1, 35_791_394) {
                    Ok(())
                } else {
                    err(1)
                }
            }
            ["vpn-idle-timeout" | "vpn-session-timeout"] if full => incomplete(),
            [word, ..] if GROUP_POLICY_WORDS.contains(word) => Ok(()),
            _ => err(0),
        },
    }
}

/// A pre-shared key: 1 to 128 printable characters without blanks.
fn check_key(line: &str, at: usize, key: &str) -> Result<(), CliError> {
    if key.is_empty() || key.len() > 128 || key.chars().any(|c| c.is_control()) {
        return Err(bad(line, at));
    }
    Ok(())
}

impl CliFamily for Vpn {
    fn name(&self) -> &'static str {
        "site-to-site vpn"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["crypto", "tunnel-group", "group-policy"]
    }
    fn sections(&self) -> &'static [(&'static str, super::sections::Section)] {
        &[
            ("group-policy", super::sections::Section::GroupPolicy),
            ("tunnel-group", super::sections::Section::TunnelGroup),
        ]
    }
    fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
        matches!(words, ["crypto", "map", _, "interface", _, ..]).then_some(4)
    }
    /// `group-policy <name> attributes`, `tunnel-group <name> <kind>-attributes`,
    /// `crypto ikev1|ikev2 policy <n>`, `crypto ipsec ikev2 ipsec-proposal <name>`,
    /// `crypto ipsec profile <name>` (the crypto family has `crypto ca ...`).
    fn submode(
        &self,
        head: &super::families::Head<'_>,
        _: Option<&Command>,
    ) -> Option<(super::modes::SubKind, &'static str)> {
        let prompt = if head.is(0, "group-policy") {
            (head.has(1) && head.last_is("attributes")).then_some("config-group-policy")?
        } else if head.is(0, "tunnel-group") {
            head.pick(
                2,
                &[
                    ("general-attributes", "config-tunnel-general"),
                    ("ipsec-attributes", "config-tunnel-ipsec"),
                    ("webvpn-attributes", "config-tunnel-webvpn"),
                    ("ppp-attributes", "config-ppp"),
                ],
            )?
        } else if head.is(1, "ikev1") && head.is(2, "policy") {
            "config-ikev1-policy"
        } else if head.is(1, "ikev2") && head.is(2, "policy") {
            "config-ikev2-policy"
        } else if head.is(1, "ipsec") {
            head.pick(
                2,
                &[
                    ("ikev2", "config-ipsec-proposal"),
                    ("profile", "config-ipsec-profile"),
                ],
            )?
        } else {
            return None;
        };
        Some((super::modes::SubKind::Verbatim, prompt))
    }
    fn secret_words(&self) -> &'static [&'static str] {
        &["ikev1", "ikev2"]
    }
    /// ` ikev1 pre-shared-key <secret>`, ` ikev2 local-authentication|remote-authentication
    /// pre-shared-key [hex] <secret>` (tunnel-group ipsec-attributes).
    fn secret_index(&self, words: &[&str], indented: bool, _: Option<&str>) -> Option<usize> {
        use super::families::{after_hex, is};
        let w = |i: usize| words.get(i).copied();
        if !indented {
            None
        } else if is(w(0), "ikev1") && is(w(1), "pre-shared-key") {
            Some(2)
        } else if is(w(0), "ikev2")
            && (is(w(1), "local-authentication") || is(w(1), "remote-authentication"))
            && is(w(2), "pre-shared-key")
        {
            Some(after_hex(words, 3))
        } else {
            None
        }
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        if let Some(rest) = line.strip_prefix("clear configure ") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            // A crypto map applied to an interface keeps its last entry.
            if let ["crypto", "map", map, seq @ ..] = words.as_slice()
                && seq.len() <= 1
            {
                let binding = format!("crypto map {map} interface ");
                let bound = a
                    .cfg
                    .iter()
                    .find(|(_, b)| b.head().text.starts_with(&binding))
                    .map(|(_, b)| b.head().text.to_string());
                let entry_prefix = format!("crypto map {map} ");
                let others = a.cfg.iter().any(|(_, b)| {
                    let t: Vec<&str> = b.head().text.split_whitespace().collect();
                    b.head().text.starts_with(&entry_prefix)
                        && t.get(3).is_some_and(|s| s.parse::<u32>().is_ok())
                        && seq.first().is_some_and(|want| t.get(3) != Some(want))
                });
                if let Some(by) = bound
                    && !others
                {
                    return Some(Err(CliError::MapInUse {
                        what: "Crypto map",
                        name: (*map).to_owned(),
                        by,
                    }));
                }
            }
            // `clear configure group-policy <name>` refuses while a tunnel group uses it.
            if let ["group-policy", name] = words.as_slice() {
                let want = format!("default-group-policy {name}");
                if let Some(by) = user_of(a.cfg, |t| t == want) {
                    return Some(Err(CliError::MapInUse {
                        what: "Group policy",
                        name: (*name).to_owned(),
                        by,
                    }));
                }
            }
            return None;
        }
        if line.starts_with("clear ") {
            return None;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let neg = usize::from(words.first() == Some(&"no"));
        let w = &words[neg..];
        match w.first() {
            Some(&"crypto") => Self::crypto(a, line, w, neg),
            Some(&"tunnel-group") => Self::tunnel_group(a, line, w, neg),
            Some(&"group-policy") => Self::group_policy(a, line, w, neg),
            _ => None,
        }
    }
    fn sub_command(
        &self,
        a: &mut Applier<'_>,
        sub: &mut Submode,
        head: &str,
        text: &str,
        _parsed: &Result<Command, ParseError>,
    ) -> Option<Result<Step, CliError>> {
        Self::sub(a, sub, head, text.trim())
    }
    fn check_sub(&self, head: &str, line: &str, _: Reading<'_>) -> Option<Result<(), CliError>> {
        let kind = block_of(head)?;
        let words: Vec<&str> = line.split_whitespace().collect();
        let neg = usize::from(words.first() == Some(&"no"));
        // At boot what a line names may come later: only the syntax is checked, and the
        // masked keys of a saved `show running-config` are taken.
        let empty = Config::new();
        Some(match check_child(&empty, kind, line, &words[neg..], 1) {
            Err(CliError::InvalidInput { .. }) => Err(bad(line, neg)),
            _ => Ok(()),
        })
    }
}

/// `show crypto isakmp sa` / `show crypto ipsec sa` (and `show crypto ikev1|ikev2 sa`): no
/// tunnel is ever up on the simulator. `None` when the line is not one of these.
pub fn show(line: &str, what: &str, rest: &[&str]) -> Option<Result<String, CliError>> {
    if what != "crypto" {
        return None;
    }
    let tail = |n: usize| rest.get(n..).unwrap_or_default();
    let detail_only = |n: usize| {
        let t = tail(n);
        t.is_empty() || t == ["detail"]
    };
    Some(match rest {
        ["isakmp", "sa", ..] if detail_only(2) => {
            Ok("\nThere are no IKEv1 SAs\n\nThere are no IKEv2 SAs\n".to_owned())
        }
        ["ikev1", "sa", ..] if detail_only(2) => Ok("\nThere are no IKEv1 SAs\n".to_owned()),
        ["ikev2", "sa", ..] if detail_only(2) => Ok("\nThere are no IKEv2 SAs\n".to_owned()),
        ["ipsec", "sa", ..] if detail_only(2) => Ok("\nThere are no ipsec sas\n".to_owned()),
        ["isakmp" | "ikev1" | "ikev2" | "ipsec"] => Err(CliError::Incomplete),
        ["isakmp" | "ikev1" | "ikev2" | "ipsec", "sa", ..] => Err(bad(line, 4)),
        [] => Err(CliError::Incomplete),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::engine::test_support::{boot, exec, ok, refused, running};

    #[test]
    fn builds_a_site_to_site_tunnel() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "access-list vpn-acl extended permit ip 10.1.0.0 255.255.0.0 10.2.0.0 255.255.0.0",
                "crypto ikev1 policy 10",
                " authentication pre-share",
                " encryption aes-256",
                " hash sha",
                " group 14",
                " lifetime 86400",
                "crypto ikev2 policy 1",
                " encryption aes-256 aes",
                " integrity sha256",
                " group 14 19",
                " prf sha256",
                " lifetime seconds 28800",
                "crypto ipsec ikev1 transform-set ts1 esp-aes-256 esp-sha-hmac",
                "crypto ipsec ikev2 ipsec-proposal prop1",
                " protocol esp encryption aes-256",
                " protocol esp integrity sha-256",
                "crypto map cmap 10 match address vpn-acl",
                "crypto map cmap 10 set peer 203.0.113.5 2001:db8::5",
                "crypto map cmap 10 set pfs group14",
                "crypto map cmap 10 set ikev1 transform-set ts1",
                "crypto map cmap 10 set ikev2 ipsec-proposal prop1",
                "crypto map cmap 10 set security-association lifetime seconds 3600",
                "crypto map cmap interface management",
                "group-policy gp1 internal",
                "group-policy gp1 attributes",
                " vpn-tunnel-protocol ikev1 ikev2",
                " vpn-idle-timeout 30",
                "tunnel-group 203.0.113.5 type ipsec-l2l",
                "tunnel-group 203.0.113.5 general-attributes",
                " default-group-policy gp1",
                "tunnel-group 203.0.113.5 ipsec-attributes",
                " ikev1 pre-shared-key Secret-1",
                " ikev2 remote-authentication pre-shared-key Secret-2",
                " ikev2 local-authentication pre-shared-key Secret-3",
                // A second value replaces the first.
                "crypto ikev1 policy 10",
                " hash md5",
            ],
        );
        let run = running(&mut e);
        assert!(
            run.contains("crypto ikev1 policy 10\n authentication pre-share\n encryption aes-256\n hash md5\n group 14\n lifetime 86400\n"),
            "{run}"
        );
        assert!(run.contains(" ikev1 pre-shared-key *****\n"), "{run}");
        assert!(!run.contains("Secret-1"), "{run}");
        assert!(
            run.contains("crypto map cmap interface management\n"),
            "{run}"
        );
        let r = exec(&mut e, &["show crypto isakmp sa", "show crypto ipsec sa"]);
        assert_eq!(
            r.outcomes[0].output,
            "\nThere are no IKEv1 SAs\n\nThere are no IKEv2 SAs\n"
        );
        assert_eq!(r.outcomes[1].output, "\nThere are no ipsec sas\n");
    }

    #[test]
    fn refuses_what_the_asa_refuses() {
        let mut e = boot();
        let marker = "ERROR: % Invalid input detected at '^' marker.\n";
        assert_eq!(
            refused(&mut e, &["crypto ikev1 policy 70000"]),
            format!("crypto ikev1 policy 70000\n                    ^\n{marker}")
        );
        assert_eq!(
            refused(&mut e, &["crypto ikev1 policy 1", " encryption rot13"]),
            format!("encryption rot13\n           ^\n{marker}")
        );
        assert_eq!(
            refused(
                &mut e,
                &["crypto ipsec ikev1 transform-set t esp-aes-257 esp-sha-hmac"]
            ),
            format!(
                "crypto ipsec ikev1 transform-set t esp-aes-257 esp-sha-hmac\n                                   ^\n{marker}"
            )
        );
        assert_eq!(
            refused(&mut e, &["crypto map m 10 match address none"]),
            "ERROR: access-list <none> does not exist\n"
        );
        assert_eq!(
            refused(&mut e, &["crypto map m 10 set pfs group3"]),
            format!("crypto map m 10 set pfs group3\n                        ^\n{marker}")
        );
        assert_eq!(
            refused(&mut e, &["tunnel-group 198.51.100.1 ipsec-attributes"]),
            "ERROR: tunnel-group 198.51.100.1 does not exist\n"
        );
        assert_eq!(
            refused(
                &mut e,
                &[
                    "tunnel-group 198.51.100.1 type ipsec-l2l",
                    "tunnel-group 198.51.100.1 general-attributes",
                    " default-group-policy nothere"
                ]
            ),
            "ERROR: Group policy nothere does not exist\n"
        );
        ok(
            &mut e,
            &[
                "crypto ipsec ikev1 transform-set t esp-aes esp-sha-hmac",
                "crypto map m 10 set ikev1 transform-set t",
                "group-policy g internal",
                "tunnel-group 198.51.100.1 type ipsec-l2l",
                "tunnel-group 198.51.100.1 general-attributes",
                " default-group-policy g",
            ],
        );
        assert_eq!(
            refused(&mut e, &["no crypto ipsec ikev1 transform-set t"]),
            "ERROR: Transform set t is in use by 'crypto map m 10 set ikev1 transform-set t'\n"
        );
        assert_eq!(
            refused(&mut e, &["no group-policy g internal"]),
            "ERROR: Group policy g is in use by 'tunnel-group 198.51.100.1 general-attributes'\n"
        );
        ok(
            &mut e,
            &[
                "crypto map m interface management",
                "crypto map m 20 set pfs group14",
                "clear configure crypto map m 20",
            ],
        );
        assert_eq!(
            refused(&mut e, &["clear configure crypto map m 10"]),
            "ERROR: Crypto map m is in use by 'crypto map m interface management'\n"
        );
        ok(
            &mut e,
            &[
                "no crypto map m interface management",
                "clear configure crypto map m 10",
            ],
        );
        ok(
            &mut e,
            &[
                "group-policy g attributes",
                " vpn-idle-timeout 20",
                "no tunnel-group 198.51.100.1",
                "no group-policy g",
            ],
        );
        let run = running(&mut e);
        assert!(!run.contains("tunnel-group 198.51.100.1"), "{run}");
        assert!(!run.contains("group-policy g "), "{run}");
    }
}
