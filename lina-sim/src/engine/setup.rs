//! Device-setup families: management access hosts (`http|ssh|telnet <ip> <mask> <nameif>`),
//! `dns domain-lookup`, DHCP server and relay (`dhcpd ...`, `dhcprelay ...`), `ntp server`
//! and protocol `timeout` lines.
//!
//! What the ASA checks is checked here (the interface must carry the nameif; no host bits;
//! DHCP server and relay refused in transparent firewall mode); what it stores follows the
//! ASA: one `ntp server` line per address and one `dhcpd address` pool per interface (a new
//! one replaces the old), and a `timeout <key> <value>` changes the value in the line that
//! already holds the key (the ASA groups several keys on one line). Lines that pass are
//! otherwise stored by the verbatim rules (`None` is returned so the caller goes on).

use cli_translator::resources::mgmt_host::parse_host;
use cli_translator::resources::ntp::parse_server;
use cli_translator::resources::timeouts::{Hms, parse_line as parse_timeout};

use super::apply::{Applier, Step, strip_words, word_offset};
use super::config::{Block, BlockId, Entry};
use super::error::CliError;
use super::sections::{self, starts_with_words};

impl Applier<'_> {
    /// Handles the device-setup families; `None` when the line is not one of them or is
    /// left to the verbatim rules after its checks.
    pub fn setup_command(&mut self, line: &str) -> Option<Result<Step, CliError>> {
        let (negate, body) = match strip_words(line, "no") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let first = body.split(' ').next().unwrap_or_default();
        match first {
            "http" | "ssh" | "telnet" if !negate => self.check_host(line, body),
            "dns" if !negate => {
                let nameif = strip_words(body, "dns domain-lookup")?;
                self.check_nameif(line, nameif, 2)
            }
            "dhcpd" | "dhcprelay" if !negate => self.dhcp(line, body),
            // issue 14: DHCP: `no dhcpd <key> ... [interface <nameif>]` removes that setting.
            "dhcpd" => self.no_dhcp_scoped(body),
            "ntp" if starts_with_words(body, "ntp server") => Some(self.ntp(line, body, negate)),
            // issue 14: NTP keys
            "ntp" if starts_with_words(body, "ntp authentication-key") => {
                Some(self.ntp_key(line, body, negate))
            }
            "ntp" if starts_with_words(body, "ntp trusted-key") => {
                Some(self.ntp_trusted(line, body, negate))
            }
            "timeout" if !negate => self.timeout(body),
            _ => None,
        }
    }

    /// `Some(error)` when the nameif (word `at` of `line`) is not an interface's.
    fn check_nameif(&self, line: &str, nameif: &str, at: usize) -> Option<Result<Step, CliError>> {
        if self.nameif_exists(nameif) {
            None
        } else {
            Some(Err(CliError::invalid(line, word_offset(line, at))))
        }
    }

    fn check_host(&mut self, line: &str, body: &str) -> Option<Result<Step, CliError>> {
        let host = parse_host(body)?;
        let at = body.split_whitespace().count().saturating_sub(1);
        if let Some(err) = self.check_nameif(line, &host.nameif, at) {
            return Some(err);
        }
        if host.address.has_host_bits() {
            let words: Vec<&str> = body.split_whitespace().collect();
            return Some(Err(CliError::AddressMaskMismatch {
                address: words.get(1).copied().unwrap_or_default().to_owned(),
                mask: words.get(2).copied().unwrap_or_default().to_owned(),
            }));
        }
        None
    }

    fn transparent(&self) -> bool {
        self.cfg
            .iter()
            .any(|(_, b)| b.head().text == "firewall transparent")
    }

    fn dhcp(&mut self, line: &str, body: &str) -> Option<Result<Step, CliError>> {
        if self.transparent() {
            return Some(Err(CliError::NotInTransparentMode));
        }
        let words: Vec<&str> = body.split_whitespace().collect();
        match words.as_slice() {
            ["dhcpd", "address", range, nameif] => {
                if let Some(err) = self.check_nameif(line, nameif, 3) {
                    return Some(err);
                }
                let valid = range.split_once('-').is_some_and(|(a, b)| {
                    matches!((a.parse::<std::net::Ipv4Addr>(), b.parse::<std::net::Ipv4Addr>()),
                        (Ok(a), Ok(b)) if a <= b)
                });
                if !valid {
                    return Some(Err(CliError::invalid(line, word_offset(line, 2))));
                }
                // One pool per interface: the new range replaces the old.
                let old = self.find_line(|t| {
                    let w: Vec<&str> = t.split_whitespace().collect();
                    matches!(w.as_slice(), ["dhcpd", "address", _, n] if n == nameif)
                });
                let entry = Entry::verbatim(body);
                match old {
                    Some(id) => {
                        self.cfg.update(id, |b| b.head = entry);
                    }
                    None => {
                        self.cfg.insert_placed(Block::leaf(entry));
                    }
                }
                Some(Ok(Step::Done(None)))
            }
            ["dhcpd", "enable" | "auto_config", nameif]
            | ["dhcprelay", "enable" | "setroute", nameif] => self.check_nameif(line, nameif, 2),
            ["dhcprelay", "server", _, nameif] => self.check_nameif(line, nameif, 3),
            // issue 14: DHCP: per-interface and global settings, one line per key (and option
            // code) and scope; a new one replaces the old.
            ["dhcpd", key, ..] if dhcp_key(&words).is_some() => {
                if let [.., "interface", nameif] = words.as_slice()
                    && let Some(err) = self.check_nameif(line, nameif, words.len() - 1)
                {
                    return Some(err);
                }
                if !dhcp_syntax_ok(&words) {
                    let at = if matches!(*key, "dns" | "wins" | "lease" | "ping_timeout") {
                        2
                    } else {
                        1
                    };
                    return Some(Err(CliError::invalid(line, word_offset(line, at))));
                }
                let wanted = dhcp_key(&words);
                let old = self.find_line(|t| {
                    let w: Vec<&str> = t.split_whitespace().collect();
                    dhcp_key(&w) == wanted
                });
                let entry = Entry::verbatim(body);
                match old {
                    Some(id) => {
                        self.cfg.update(id, |b| b.head = entry);
                    }
                    None => {
                        self.cfg.insert_placed(Block::leaf(entry));
                    }
                }
                Some(Ok(Step::Done(None)))
            }
            _ => None,
        }
    }

    // issue 14: DHCP
    /// `no dhcpd <key> ...`: removes the line holding that key (and option code) in that
    /// scope; `None` leaves other `no dhcpd` forms to the verbatim rules.
    fn no_dhcp_scoped(&mut self, body: &str) -> Option<Result<Step, CliError>> {
        let words: Vec<&str> = body.split_whitespace().collect();
        let wanted = dhcp_key(&words)?;
        let ids: Vec<BlockId> = self
            .cfg
            .iter()
            .filter(|(_, b)| {
                let w: Vec<&str> = b.head().text.split_whitespace().collect();
                b.children().is_empty() && dhcp_key(&w).as_ref() == Some(&wanted)
            })
            .map(|(id, _)| id)
            .collect();
        for id in ids {
            self.cfg.remove(id);
        }
        Some(Ok(Step::Done(None)))
    }

    fn find_line(&self, pred: impl Fn(&str) -> bool) -> Option<BlockId> {
        self.cfg
            .iter()
            .find(|(_, b)| b.children().is_empty() && pred(b.head().text))
            .map(|(id, _)| id)
    }

    fn ntp(&mut self, line: &str, body: &str, negate: bool) -> Result<Step, CliError> {
        let Some(server) = parse_server(body) else {
            let words = body.split_whitespace().count();
            return if words < 3 {
                Err(CliError::Incomplete)
            } else {
                Err(CliError::invalid(
                    line,
                    word_offset(line, 2 + usize::from(negate)),
                ))
            };
        };
        let same = |t: &str| parse_server(t).is_some_and(|s| s.address == server.address);
        if negate {
            let ids: Vec<BlockId> = self
                .cfg
                .iter()
                .filter(|(_, b)| same(b.head().text))
                .map(|(id, _)| id)
                .collect();
            for id in ids {
                self.cfg.remove(id);
            }
            return Ok(Step::Done(None));
        }
        if let Some(source) = &server.source
            && !self.nameif_exists(source)
        {
            let at = body
                .split_whitespace()
                .position(|w| w == source)
                .unwrap_or(0);
            return Err(CliError::invalid(line, word_offset(line, at)));
        }
        let entry = Entry::verbatim(server.line());
        match self.find_line(same) {
            Some(id) => {
                self.cfg.update(id, |b| b.head = entry);
            }
            None => {
                self.cfg.insert_placed(Block::leaf(entry));
            }
        }
        Ok(Step::Done(None))
    }

    // issue 14: NTP keys
    /// `ntp authentication-key <1-65535> {md5|sha1|sha256|sha512|cmac} <key>`: one line per
    /// key number (a new one replaces it); `no ntp authentication-key <n> ...` removes it.
    fn ntp_key(&mut self, line: &str, body: &str, negate: bool) -> Result<Step, CliError> {
        let words: Vec<&str> = body.split_whitespace().collect();
        let skip = usize::from(negate);
        let bad = |i: usize| CliError::invalid(line, word_offset(line, i + skip));
        let n = match words.get(2) {
            None => return Err(CliError::Incomplete),
            Some(n) => n
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=65_535).contains(n))
                .ok_or_else(|| bad(2))?,
        };
        let same = |t: &str| {
            let w: Vec<&str> = t.split_whitespace().collect();
            matches!(w.as_slice(), ["ntp", "authentication-key", m, ..] if m.parse::<u32>() == Ok(n))
        };
        if negate {
            let ids: Vec<BlockId> = self
                .cfg
                .iter()
                .filter(|(_, b)| same(b.head().text))
                .map(|(id, _)| id)
                .collect();
            for id in ids {
                self.cfg.remove(id);
            }
            return Ok(Step::Done(None));
        }
        match words.get(3) {
            None => return Err(CliError::Incomplete),
            Some(a) if !matches!(*a, "md5" | "sha1" | "sha256" | "sha512" | "cmac") => {
                return Err(bad(3));
            }
            Some(_) => {}
        }
        match words.get(4) {
            None => return Err(CliError::Incomplete),
            Some(k) if k.len() > 32 => return Err(bad(4)),
            Some(_) => {}
        }
        if words.len() > 5 {
            return Err(bad(5));
        }
        let entry = Entry::verbatim(words.join(" "));
        match self.find_line(same) {
            Some(id) => {
                self.cfg.update(id, |b| b.head = entry);
            }
            None => {
                self.cfg.insert_placed(Block::leaf(entry));
            }
        }
        Ok(Step::Done(None))
    }

    /// `ntp trusted-key <n>`: one line per key number.
    fn ntp_trusted(&mut self, line: &str, body: &str, negate: bool) -> Result<Step, CliError> {
        let words: Vec<&str> = body.split_whitespace().collect();
        let skip = usize::from(negate);
        let n = match words.as_slice() {
            [_, _] => return Err(CliError::Incomplete),
            [_, _, n] => n
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=65_535).contains(n))
                .ok_or_else(|| CliError::invalid(line, word_offset(line, 2 + skip)))?,
            _ => return Err(CliError::invalid(line, word_offset(line, 3 + skip))),
        };
        let text = format!("ntp trusted-key {n}");
        let existing = self.find_line(|t| t == text);
        match (existing, negate) {
            (Some(id), true) => {
                self.cfg.remove(id);
            }
            (None, false) => {
                self.cfg.insert_placed(Block::leaf(Entry::verbatim(text)));
            }
            _ => {}
        }
        Ok(Step::Done(None))
    }

    /// `timeout <key> <value> ...`: each value goes into the line already holding its key.
    fn timeout(&mut self, body: &str) -> Option<Result<Step, CliError>> {
        let (pairs, uauth) = parse_timeout(body)?;
        let rank = sections::rank_of_line("timeout");
        for (key, value) in pairs {
            let holder = self.cfg.iter().find_map(|(id, b)| {
                if b.rank() != rank {
                    return None;
                }
                let (line_pairs, line_uauth) = parse_timeout(b.head().text)?;
                line_pairs
                    .iter()
                    .any(|(k, _)| *k == key)
                    .then_some((id, line_pairs, line_uauth))
            });
            let mode = if key == "uauth" { uauth } else { None };
            match holder {
                Some((id, mut line_pairs, line_uauth)) => {
                    for pair in line_pairs.iter_mut() {
                        if pair.0 == key {
                            pair.1 = value;
                        }
                    }
                    let text = print_timeout(&line_pairs, mode.or(line_uauth));
                    self.cfg.update(id, |b| b.head = Entry::verbatim(text));
                }
                None => {
                    let text = print_timeout(&[(key, value)], mode);
                    self.cfg.insert_placed(Block::leaf(Entry::verbatim(text)));
                }
            }
        }
        Some(Ok(Step::Done(None)))
    }
}

/// A `timeout` line from its pairs.
fn print_timeout(pairs: &[(&str, Hms)], uauth: Option<bool>) -> String {
    let mut out = String::from("timeout");
    for (k, v) in pairs {
        out.push_str(&format!(" {k} {v}"));
        if *k == "uauth" {
            match uauth {
                Some(true) => out.push_str(" absolute"),
                Some(false) => out.push_str(" inactivity"),
                None => {}
            }
        }
    }
    out
}

// issue 14: DHCP
/// The identity of a keyed `dhcpd` line: (key, option code, interface scope).
fn dhcp_key(words: &[&str]) -> Option<(String, Option<String>, Option<String>)> {
    let (scope, rest) = match words {
        [rest @ .., "interface", n] => (Some((*n).to_owned()), rest),
        _ => (None, words),
    };
    match rest {
        [
            "dhcpd",
            key @ ("dns" | "wins" | "domain" | "lease" | "ping_timeout" | "auto_config"),
            ..,
        ] => Some(((*key).to_owned(), None, scope)),
        ["dhcpd", "update", "dns", ..] => Some(("update".to_owned(), None, scope)),
        ["dhcpd", "option", code, ..] => {
            Some(("option".to_owned(), Some((*code).to_owned()), scope))
        }
        _ => None,
    }
}

/// Whether a keyed `dhcpd` line's values are what the ASA takes.
fn dhcp_syntax_ok(words: &[&str]) -> bool {
    let rest = match words {
        [rest @ .., "interface", _] => rest,
        _ => words,
    };
    let ip = |w: &&str| w.parse::<std::net::Ipv4Addr>().is_ok();
    let num = |w: &str, lo: u32, hi: u32| w.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n));
    match rest {
        ["dhcpd", "dns" | "wins", list @ ..] => {
            (1..=2).contains(&list.len()) && list.iter().all(ip)
        }
        ["dhcpd", "domain", d] => d.len() <= 63,
        ["dhcpd", "lease", n] => num(n, 300, 1_048_575),
        ["dhcpd", "ping_timeout", n] => num(n, 10, 10_000),
        ["dhcpd", "auto_config", c] | ["dhcpd", "auto_config", c, "vpnclient-wins-override"] => {
            cli_translator::parse::is_nameif(c)
        }
        ["dhcpd", "update", "dns", flags @ ..] => {
            flags.len() <= 2 && flags.iter().all(|f| matches!(*f, "both" | "override"))
        }
        ["dhcpd", "option", code, kind, values @ ..] => {
            num(code, 1, 255)
                && match (*kind, values) {
                    ("ascii", [_]) => true,
                    ("hex", [h]) => {
                        h.len().is_multiple_of(2) && h.bytes().all(|b| b.is_ascii_hexdigit())
                    }
                    ("ip", [a]) => ip(a),
                    ("ip", [a, b]) => ip(a) && ip(b),
                    _ => false,
                }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::Config;
    use crate::engine::entropy::Entropy;
    use crate::engine::load::load;

    const BASE: &str = "interface GigabitEthernet0/1\n nameif inside\n!\n\
                        timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 icmp 0:00:02\n\
                        timeout sip-provisional-media 0:02:00 uauth 0:05:00 absolute\n";

    fn run(cfg: &mut Config, lines: &[&str]) -> Vec<Result<Step, CliError>> {
        let mut rng = Entropy::from_seed([1; 32]);
        let mut a = Applier { cfg, rng: &mut rng };
        lines.iter().map(|l| a.top_level(l)).collect()
    }

    fn booted(extra: &str) -> Config {
        let mut rng = Entropy::from_seed([2; 32]);
        load(&format!("{BASE}{extra}"), &mut rng)
    }

    fn heads(cfg: &Config, prefix: &str) -> Vec<String> {
        cfg.iter()
            .map(|(_, b)| b.head().text.to_string())
            .filter(|t| t.starts_with(prefix))
            .collect()
    }

    #[test]
    fn a_timeout_changes_the_value_in_its_grouped_line() {
        let mut cfg = booted("");
        let r = run(
            &mut cfg,
            &[
                "timeout udp 0:05:00",
                "timeout uauth 0:10:00 inactivity",
                "timeout xlate 3:00:00",
            ],
        );
        assert!(r.iter().all(Result::is_ok), "{r:?}");
        assert_eq!(
            heads(&cfg, "timeout"),
            [
                "timeout conn 1:00:00 half-closed 0:10:00 udp 0:05:00 icmp 0:00:02",
                "timeout sip-provisional-media 0:02:00 uauth 0:10:00 inactivity",
                "timeout xlate 3:00:00",
            ]
        );
    }

    #[test]
    fn host_lines_need_an_existing_nameif_and_a_clean_network() {
        let mut cfg = booted("");
        let r = run(
            &mut cfg,
            &[
                "ssh 10.0.0.0 255.0.0.0 dmz",
                "http 10.0.0.1 255.0.0.0 inside",
                "telnet 10.0.0.0 255.0.0.0 inside",
                "telnet 10.0.0.0 255.0.0.0 inside",
            ],
        );
        assert_eq!(
            r[0],
            Err(CliError::invalid("ssh 10.0.0.0 255.0.0.0 dmz", 23))
        );
        assert!(matches!(r[1], Err(CliError::AddressMaskMismatch { .. })));
        assert!(r[2].is_ok() && r[3].is_ok());
        assert_eq!(heads(&cfg, "telnet"), ["telnet 10.0.0.0 255.0.0.0 inside"]);
    }

    #[test]
    fn ntp_servers_are_one_line_per_address() {
        let mut cfg = booted("ntp server 192.0.2.1 key 3\n");
        let r = run(
            &mut cfg,
            &[
                "ntp server 192.0.2.1 source inside prefer",
                "ntp server 192.0.2.2 source dmz",
                "ntp server 192.0.2.3",
            ],
        );
        assert!(r[0].is_ok());
        assert!(matches!(r[1], Err(CliError::InvalidInput { .. })));
        assert_eq!(
            heads(&cfg, "ntp"),
            [
                "ntp server 192.0.2.1 source inside prefer",
                "ntp server 192.0.2.3"
            ]
        );
        let r = run(&mut cfg, &["no ntp server 192.0.2.1"]);
        assert!(r[0].is_ok());
        assert_eq!(heads(&cfg, "ntp"), ["ntp server 192.0.2.3"]);
    }

    #[test]
    fn dhcp_pools_replace_and_transparent_mode_refuses() {
        let mut cfg = booted("");
        let r = run(
            &mut cfg,
            &[
                "dhcpd address 192.168.1.10-192.168.1.20 inside",
                "dhcpd address 192.168.1.30-192.168.1.40 inside",
                "dhcpd enable inside",
                "dhcpd enable dmz",
                "dhcprelay server 10.0.0.1 dmz",
            ],
        );
        assert!(r[0].is_ok() && r[1].is_ok() && r[2].is_ok(), "{r:?}");
        assert!(matches!(r[3], Err(CliError::InvalidInput { .. })));
        assert!(matches!(r[4], Err(CliError::InvalidInput { .. })));
        assert_eq!(
            heads(&cfg, "dhcpd"),
            [
                "dhcpd address 192.168.1.30-192.168.1.40 inside",
                "dhcpd enable inside"
            ]
        );
        let mut cfg = booted("firewall transparent\n");
        let r = run(
            &mut cfg,
            &[
                "dhcpd address 192.168.1.10-192.168.1.20 inside",
                "dhcprelay enable inside",
            ],
        );
        assert_eq!(
            r,
            [
                Err(CliError::NotInTransparentMode),
                Err(CliError::NotInTransparentMode)
            ]
        );
    }

    #[test]
    fn dns_domain_lookup_needs_the_nameif() {
        let mut cfg = booted("");
        let r = run(
            &mut cfg,
            &["dns domain-lookup inside", "dns domain-lookup dmz"],
        );
        assert!(r[0].is_ok());
        assert!(matches!(r[1], Err(CliError::InvalidInput { .. })));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_lines_never_panic_and_a_refused_line_changes_nothing(
            line in "(no )?(route|ipv6 route|http|ssh|telnet|ntp server|timeout|dhcpd|dhcprelay|dns domain-lookup)( [a-z0-9.:/_-]{0,12}){0,7}"
        ) {
            let mut cfg = booted("route inside 10.0.0.0 255.0.0.0 10.1.1.1\n");
            let before: Vec<String> = cfg.iter().map(|(_, b)| b.head().text.to_string()).collect();
            let r = run(&mut cfg, &[line.as_str()]);
            if r[0].is_err() {
                let after: Vec<String> = cfg.iter().map(|(_, b)| b.head().text.to_string()).collect();
                proptest::prop_assert_eq!(after, before);
            }
        }
    }
}
