//! Interface semantics beyond the block model: which configuration names an interface's
//! nameif (so `no nameif` or removing the sub-interface is refused while it does, and a
//! rename carries the references along), the checks on `mtu <nameif> <n>`, and the grammar of the interface sub-commands
//! kept verbatim (speed, duplex, vlan, channel-group, member-interface, mac-address, ipv6),
//! and `clear configure interface [<hw>]` (ports back to factory state, logical ones removed).
//!
//! References are found by words in every top-level line and every sub-command line, typed
//! or verbatim, so they are seen whatever family models them: `access-group ... interface
//! <n>`, `route <n> ...`, `ipv6 route <n> ...`, `nat (<a>,<b>) ...` (twice NAT and object
//! NAT), `mtu <n> ...`, `http|ssh|telnet <address> ... <n>`, `logging host <n> ...`,
//! `snmp-server host <n> ...`, `icmp permit|deny ... <n>`, `dhcpd ... <n>`,
//! `monitor-interface <n>`, `ipv6 enforce-eui64 <n>`.
//!
//! Passive ports (`traffic-forward cxsc|sfr monitor-only`, ASA CX / FirePOWER monitor-only
//! mode) follow the ASA's rules: physical ports only, no nameif (the name goes first, and a
//! passive port takes none), not a port-channel member, one module per port (a new
//! `traffic-forward` line replaces the old one). `ipv6 nd prefix` lines are checked by
//! [`NdPrefix::parse`], stored in their canonical form, one per prefix. A port joins one
//! channel group: `channel-group` naming another group than its current one is refused.
//!
//! Re-entering `nameif` with another name renames the interface everywhere: each line that
//! named the old name (at the place its family holds a nameif) names the new one, in the same
//! journaled batch, so a failing batch undoes the rewrites too.

use std::net::{IpAddr, Ipv6Addr};

use cli_translator::ast::Command;
use cli_translator::interfaces::model::TrafficModule;
use cli_translator::interfaces::nd_prefix::NdPrefix;

use super::apply::{Applier, Step, word_offset};
use super::config::{Block, BlockBuf, BlockId, Config, Entry};
use super::error::CliError;

/// Smallest and largest `mtu`.
const MTU_RANGE: std::ops::RangeInclusive<u32> = 64..=9198;

const SPEEDS: &[&str] = &["auto", "10", "100", "1000", "10000", "nonegotiate"];
const DUPLEXES: &[&str] = &["auto", "full", "half"];
const CHANNEL_MODES: &[&str] = &["active", "passive", "on"];

/// Whether `s` could be the address argument of `http`, `ssh` or `telnet`.
pub(crate) fn is_address_word(s: &str) -> bool {
    let bare = s.split('/').next().unwrap_or(s);
    bare.parse::<IpAddr>().is_ok()
}

/// The names inside `(<a>,<b>)`.
fn nat_pair(word: &str) -> Option<(&str, &str)> {
    word.strip_prefix('(')?.strip_suffix(')')?.split_once(',')
}

/// The index of the word of a configuration line that holds a nameif (for `nat`, the
/// `(real,mapped)` pair), if the line's family names one (the family registry says).
fn nameif_slot(words: &[&str]) -> Option<usize> {
    super::families::nameif_slot(words)
}

/// Whether `line` (or its `no` form) is a global command even though its first word is an
/// interface sub-command's (`ipv6 enforce-eui64 <nameif>`): typed in interface mode, it
/// leaves the mode, as on the ASA.
pub fn is_global_line(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    matches!(
        words.as_slice(),
        ["ipv6", "enforce-eui64", ..] | ["no", "ipv6", "enforce-eui64", ..]
    )
}

/// The `channel-group` number of an interface block, if it is a member.
fn channel_group_of(cfg: &Config, id: BlockId) -> Option<u16> {
    cfg.block(id)?.children().find_map(|c| {
        let words: Vec<&str> = c.text.split_whitespace().collect();
        match words.as_slice() {
            ["channel-group", n, ..] => n.parse().ok(),
            _ => None,
        }
    })
}

/// Whether an interface block holds a `traffic-forward` line.
fn forwards_traffic(cfg: &Config, id: BlockId) -> bool {
    cfg.block(id).is_some_and(|b| {
        b.children()
            .any(|c| c.text.trim_start().starts_with("traffic-forward "))
    })
}

/// Whether one configuration line names interface `nameif`.
pub fn line_names(text: &str, nameif: &str) -> bool {
    if !text.contains(nameif) {
        return false;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    match (nameif_slot(&words), words.first()) {
        (Some(i), Some(&"nat")) => words
            .get(i)
            .and_then(|w| nat_pair(w))
            .is_some_and(|(a, b)| a == nameif || b == nameif),
        (Some(i), _) => words.get(i) == Some(&nameif),
        (None, _) => false,
    }
}

/// The line with nameif `old` replaced by `new` where it names the interface (its indent
/// kept), or `None` when it does not name `old`.
pub fn rename_in_line(text: &str, old: &str, new: &str) -> Option<String> {
    if !line_names(text, old) {
        return None;
    }
    let indent = &text[..text.len() - text.trim_start().len()];
    let mut words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    let i = nameif_slot(&words.iter().map(String::as_str).collect::<Vec<_>>())?;
    let word = words.get_mut(i)?;
    *word = match nat_pair(word) {
        Some((a, b)) if text.trim_start().starts_with("nat ") => {
            let swap = |n: &str| {
                if n == old {
                    new.to_owned()
                } else {
                    n.to_owned()
                }
            };
            format!("({},{})", swap(a), swap(b))
        }
        _ => new.to_owned(),
    };
    Some(format!("{indent}{}", words.join(" ")))
}

/// The first line (top-level or sub-command, outside `except`) naming `nameif`.
pub fn nameif_reference(cfg: &Config, nameif: &str, except: Option<BlockId>) -> Option<String> {
    cfg.iter().find_map(|(id, b)| {
        if Some(id) == except {
            return None;
        }
        if line_names(b.head().text, nameif) {
            return Some(b.head().text.to_string());
        }
        b.children()
            .find(|c| line_names(c.text.trim(), nameif))
            .map(|c| c.text.trim().to_owned())
    })
}

/// A renamed top-level line, typed again when its family is typed (`logging host`).
fn top_entry(text: String) -> Entry {
    match cli_translator::parse::parse_command(&text) {
        Ok(cmd) if super::load::is_top_level_command(&cmd) => {
            Entry::loaded(cli_translator::ast::Line::Typed(cmd), text)
        }
        _ => Entry::verbatim(text),
    }
}

/// The nameif an interface block carries.
fn nameif_of(cfg: &Config, id: BlockId) -> Option<String> {
    cfg.block(id)?.children().find_map(|c| match c.command() {
        Some(Command::Nameif(n)) => Some(n.clone()),
        _ => None,
    })
}

fn hardware_of(cfg: &Config, id: BlockId) -> String {
    match cfg.block(id).and_then(|b| b.head().command()) {
        Some(Command::Interface(hw)) => hw.clone(),
        _ => String::new(),
    }
}

impl Applier<'_> {
    /// Top-level interface lines needing a check before they are stored (`mtu`); `None`
    /// lets the line take its usual path.
    pub fn interface_command(&mut self, line: &str) -> Option<Result<Step, CliError>> {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["mtu", nameif, n] => {
                if !self.nameif_exists(nameif) {
                    return Some(Err(CliError::NoSuchNameif((*nameif).to_owned())));
                }
                if !n.parse::<u32>().is_ok_and(|n| MTU_RANGE.contains(&n)) {
                    return Some(Err(CliError::invalid(line, word_offset(line, 2))));
                }
                None
            }
            ["mtu", _] => Some(Err(CliError::Incomplete)),
            ["ipv6", "enforce-eui64"] => Some(Err(CliError::Incomplete)),
            ["ipv6", "enforce-eui64", nameif] => {
                if self.nameif_exists(nameif) {
                    None
                } else {
                    Some(Err(CliError::NoSuchNameif((*nameif).to_owned())))
                }
            }
            ["ipv6", "enforce-eui64", _, _, ..] => {
                Some(Err(CliError::invalid(line, word_offset(line, 3))))
            }
            ["clear", "configure", "interface", rest @ ..] => {
                Some(self.clear_interfaces(line, rest))
            }
            _ => None,
        }
    }

    /// `clear configure interface [<hw>]`: physical ports go back to their factory state,
    /// logical interfaces go; refused (nothing changed) while a cleared nameif is referenced.
    fn clear_interfaces(&mut self, line: &str, hw: &[&str]) -> Result<Step, CliError> {
        let targets: Vec<BlockId> = if hw.is_empty() {
            self.cfg
                .iter()
                .filter(|(_, b)| b.head().is_typed_as("interface"))
                .map(|(id, _)| id)
                .collect()
        } else {
            match self.resolve_interface(&hw.concat()) {
                Some(id) => vec![id],
                None => return Err(CliError::invalid(line, word_offset(line, 3))),
            }
        };
        for id in &targets {
            if let Some(nameif) = nameif_of(self.cfg, *id)
                && let Some(by) = nameif_reference(self.cfg, &nameif, None)
                    .filter(|l| !targets.iter().any(|t| self.is_in_block(*t, l)))
            {
                return Err(CliError::NameifReferenced { nameif, line: by });
            }
        }
        for id in targets {
            let hw = hardware_of(self.cfg, id);
            let physical = hw.contains('/') && !hw.contains('.');
            if physical {
                let head = Entry::typed(Command::Interface(hw));
                let children = vec![
                    Entry::typed(Command::Shutdown),
                    Entry::typed(Command::NoNameif),
                    Entry::typed(Command::NoSecurityLevel),
                    Entry::typed(Command::NoIpAddress),
                ];
                self.cfg.replace(id, Block::new(head, children));
            } else {
                self.cfg.remove(id);
            }
        }
        Ok(Step::Done(None))
    }

    /// Whether `line` is a line of block `id` (its own lines do not hold its name).
    fn is_in_block(&self, id: BlockId, line: &str) -> bool {
        self.cfg
            .block(id)
            .is_some_and(|b| b.head().text == line || b.children().any(|c| c.text.trim() == line))
    }

    /// Refuses `no nameif`, or a new `nameif`, while the current name is referenced.
    pub fn check_interface_sub(&self, id: BlockId, cmd: &Command) -> Result<(), CliError> {
        if matches!(cmd, Command::Nameif(_))
            && self
                .cfg
                .block(id)
                .is_some_and(|b| b.children().any(|c| c.text.starts_with("channel-group ")))
        {
            return Err(CliError::NameifOnChannelMember(hardware_of(self.cfg, id)));
        }
        if matches!(cmd, Command::Nameif(_)) && forwards_traffic(self.cfg, id) {
            return Err(CliError::NameifOnTrafficForward(hardware_of(self.cfg, id)));
        }
        // A rename carries the references along (`rename_nameif_references`); removing the
        // name is refused while anything names it.
        if !matches!(cmd, Command::NoNameif) {
            return Ok(());
        }
        self.check_nameif_free(id)
    }

    /// `(old, new)` when `cmd` renames interface `id`'s nameif.
    pub fn nameif_rename(&self, id: BlockId, cmd: &Command) -> Option<(String, String)> {
        match cmd {
            Command::Nameif(new) => {
                nameif_of(self.cfg, id).and_then(|old| (old != *new).then(|| (old, new.clone())))
            }
            _ => None,
        }
    }

    /// After interface `id`'s nameif went from `old` to `new`: every line that named `old`
    /// (access groups, routes, NAT, mtu, management access, logging hosts...) names `new`,
    /// as on an ASA, where re-entering `nameif` renames the interface everywhere.
    pub fn rename_nameif_references(&mut self, id: BlockId, old: &str, new: &str) {
        let edits: Vec<(BlockId, BlockBuf)> = self
            .cfg
            .iter()
            .filter(|(other, _)| *other != id)
            .filter_map(|(other, b)| {
                let head = rename_in_line(b.head().text, old, new);
                let children: Vec<Option<String>> = b
                    .children()
                    .map(|c| rename_in_line(c.text, old, new))
                    .collect();
                if head.is_none() && children.iter().all(Option::is_none) {
                    return None;
                }
                let head = match head {
                    Some(text) => top_entry(text),
                    None => b.head().to_entry(),
                };
                let children = b
                    .children()
                    .zip(children)
                    .map(|(c, renamed)| renamed.map_or_else(|| c.to_entry(), Entry::verbatim))
                    .collect();
                Some((other, Block::new(head, children)))
            })
            .collect();
        for (other, block) in edits {
            self.cfg.replace(other, block);
        }
    }

    /// Refuses removing an interface whose nameif is referenced.
    pub fn check_nameif_free(&self, id: BlockId) -> Result<(), CliError> {
        let Some(nameif) = nameif_of(self.cfg, id) else {
            return Ok(());
        };
        match nameif_reference(self.cfg, &nameif, Some(id)) {
            Some(line) => Err(CliError::NameifReferenced { nameif, line }),
            None => Ok(()),
        }
    }

    /// The form an (already checked) verbatim interface sub-command is stored in, when it is
    /// not the text as typed, after removing the line it replaces: `ipv6 nd prefix` lines in
    /// canonical form, one per prefix (their `no` forms name the prefix canonically); a
    /// `traffic-forward` line replaces the port's other one.
    pub fn canonical_interface_line(&mut self, id: BlockId, line: &str) -> Option<String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["ipv6", "nd", "prefix", rest @ ..] => {
                let p = NdPrefix::parse(&rest.join(" ")).ok()?;
                self.cfg.update(id, |b| {
                    b.children.retain(|c| {
                        let w: Vec<&str> = c.text.split_whitespace().collect();
                        !matches!(w.as_slice(), ["ipv6", "nd", "prefix", r @ ..]
                            if NdPrefix::parse(&r.join(" ")).is_ok_and(|old| old.target == p.target))
                    });
                });
                Some(p.line())
            }
            ["no", "ipv6", "nd", "prefix", target, ..] => {
                let p = NdPrefix::parse(target).ok()?;
                Some(p.removal())
            }
            ["traffic-forward", _, "monitor-only"] => {
                let keep = line.trim();
                self.cfg.update(id, |b| {
                    b.children.retain(|c| {
                        let t = c.text.trim_start();
                        !t.starts_with("traffic-forward ") || t == keep
                    });
                });
                None
            }
            _ => None,
        }
    }

    /// Checks an interface sub-command the grammar keeps verbatim. `no` forms pass.
    pub fn check_interface_line(&self, id: BlockId, line: &str) -> Result<(), CliError> {
        let hw = hardware_of(self.cfg, id);
        let sub = hw.contains('.');
        let physical = !sub && hw.contains('/');
        let words: Vec<&str> = line.split_whitespace().collect();
        let bad = |n: usize| Err(CliError::invalid(line, word_offset(line, n)));
        match words.as_slice() {
            ["no", ..] => Ok(()),
            // issue 14: DHCP: interface-specific relay servers (not in transparent mode).
            ["dhcprelay", "server", ip] => {
                if ip.parse::<std::net::Ipv4Addr>().is_err() {
                    return bad(2);
                }
                if self
                    .cfg
                    .iter()
                    .any(|(_, b)| b.head().text == "firewall transparent")
                {
                    return Err(CliError::NotInTransparentMode);
                }
                Ok(())
            }
            ["dhcprelay"] | ["dhcprelay", "server"] => Err(CliError::Incomplete),
            ["speed" | "duplex" | "channel-group" | "flowcontrol", ..] if !physical => bad(0),
            ["speed"] | ["duplex"] | ["vlan"] | ["member-interface"] | ["mac-address"] => {
                Err(CliError::Incomplete)
            }
            ["speed", s, rest @ ..] => match (SPEEDS.contains(s), rest) {
                (true, []) => Ok(()),
                (true, _) => bad(2),
                (false, _) => bad(1),
            },
            ["duplex", d, rest @ ..] => match (DUPLEXES.contains(d), rest) {
                (true, []) => Ok(()),
                (true, _) => bad(2),
                (false, _) => bad(1),
            },
            ["vlan", ..] if !sub && !hw.starts_with("Vlan") => bad(0),
            ["vlan", n, ..] => {
                if n.parse::<u16>().is_ok_and(|v| (1..=4094).contains(&v)) {
                    Ok(())
                } else {
                    bad(1)
                }
            }
            ["channel-group", n, "mode", m] => {
                if !n.parse::<u16>().is_ok_and(|v| (1..=48).contains(&v)) {
                    bad(1)
                } else if !CHANNEL_MODES.contains(m) {
                    bad(3)
                } else if nameif_of(self.cfg, id).is_some() {
                    Err(CliError::ChannelMemberNamed(hw))
                } else if forwards_traffic(self.cfg, id) {
                    Err(CliError::TrafficForwardChannelMember(hw))
                } else {
                    match channel_group_of(self.cfg, id) {
                        Some(group) if n.parse::<u16>().ok() != Some(group) => {
                            Err(CliError::ChannelGroupTaken {
                                interface: hw,
                                group,
                            })
                        }
                        _ => Ok(()),
                    }
                }
            }
            ["channel-group", ..] => Err(CliError::Incomplete),
            ["member-interface", ..] if !hw.starts_with("Redundant") => bad(0),
            ["member-interface", m] => match self.resolve_interface(m) {
                Some(_) if m.contains('/') && !m.contains('.') => Ok(()),
                _ => bad(1),
            },
            ["mac-address", a, rest @ ..] => {
                if !cli_translator::interfaces::model::is_mac(a) {
                    return bad(1);
                }
                match rest {
                    [] => Ok(()),
                    ["standby", s] if cli_translator::interfaces::model::is_mac(s) => Ok(()),
                    ["standby", _] => bad(3),
                    _ => bad(2),
                }
            }
            ["management-only", rest @ ..] if !rest.is_empty() => bad(1),
            ["traffic-forward", ..] if !physical => bad(0),
            ["traffic-forward"] => Err(CliError::Incomplete),
            ["traffic-forward", m, rest @ ..] => match (TrafficModule::from_word(m), rest) {
                (None, _) => bad(1),
                (Some(_), []) => Err(CliError::Incomplete),
                (Some(_), ["monitor-only"]) => {
                    if nameif_of(self.cfg, id).is_some() {
                        Err(CliError::TrafficForwardNamed(hw))
                    } else if channel_group_of(self.cfg, id).is_some() {
                        Err(CliError::TrafficForwardChannelMember(hw))
                    } else {
                        Ok(())
                    }
                }
                (Some(_), ["monitor-only", ..]) => bad(3),
                (Some(_), _) => bad(2),
            },
            ["ipv6", "nd", "prefix", rest @ ..] => match NdPrefix::parse(&rest.join(" ")) {
                Ok(_) => Ok(()),
                Err(e) => match e.word() {
                    Some(i) => bad(3 + i),
                    None => Err(CliError::Incomplete),
                },
            },
            ["ipv6", "address", a, rest @ ..] if *a != "autoconfig" => {
                let ok = match rest.first() {
                    Some(&"link-local") => a.parse::<Ipv6Addr>().is_ok(),
                    _ => a.split_once('/').is_some_and(|(ip, len)| {
                        ip.parse::<Ipv6Addr>().is_ok()
                            && len.parse::<u8>().is_ok_and(|l| (1..=128).contains(&l))
                    }),
                };
                if ok { Ok(()) } else { bad(2) }
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::{Block, Entry};

    #[test]
    fn finds_the_families_naming_an_interface() {
        let yes = [
            "access-group out_in in interface inside",
            "route inside 10.0.0.0 255.0.0.0 192.168.1.254 1",
            "ipv6 route inside ::/0 2001:db8::1",
            "nat (inside,outside) source static a a",
            "nat (any,inside) source dynamic any interface",
            "mtu inside 1500",
            "http 10.0.0.0 255.0.0.0 inside",
            "ssh 2001:db8::/32 inside",
            "telnet 10.1.1.1 255.255.255.255 inside",
            "logging host inside 10.0.0.5",
            "snmp-server host inside 10.0.0.6 community x",
            "icmp permit any inside",
            "dhcpd enable inside",
            "monitor-interface inside",
            "ipv6 enforce-eui64 inside",
        ];
        for l in yes {
            assert!(line_names(l, "inside"), "{l}");
        }
        let no = [
            "access-group inside in interface outside",
            "route outside 0.0.0.0 0.0.0.0 10.0.0.1 1",
            "ssh timeout 5",
            "http server enable",
            "object network inside",
            "nat (dmz,outside) dynamic inside",
            "logging host insider 10.0.0.5",
            "description inside",
            "ipv6 enforce-eui64 insider",
        ];
        for l in no {
            assert!(!line_names(l, "inside"), "{l}");
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_lines_never_panic(s in "\\PC{0,60}", n in "[a-z(),]{1,8}") {
            let _ = line_names(&s, &n);
            let _ = nat_pair(&s);
            let _ = is_address_word(&s);
        }
    }

    #[test]
    fn only_global_only_lines_leave_interface_mode() {
        assert!(is_global_line("ipv6 enforce-eui64 inside"));
        assert!(is_global_line("no ipv6 enforce-eui64 inside"));
        assert!(!is_global_line("ipv6 enable"));
        assert!(!is_global_line("ipv6 nd prefix default"));
        assert_eq!(
            rename_in_line("ipv6 enforce-eui64 inside", "inside", "lan").as_deref(),
            Some("ipv6 enforce-eui64 lan")
        );
    }

    #[test]
    fn object_nat_lines_count_and_the_interface_itself_does_not() {
        let mut cfg = Config::new();
        let own = cfg.insert_placed(Block::new(
            Entry::verbatim("interface GigabitEthernet0/1"),
            vec![Entry::verbatim("nameif inside")],
        ));
        assert_eq!(nameif_reference(&cfg, "inside", Some(own)), None);
        cfg.insert_placed(Block::new(
            Entry::verbatim("object network web"),
            vec![Entry::verbatim("nat (inside,outside) static 192.0.2.10")],
        ));
        assert_eq!(
            nameif_reference(&cfg, "inside", Some(own)).as_deref(),
            Some("nat (inside,outside) static 192.0.2.10")
        );
    }
}

/// Interface commands through the engine's protocol entry: ASA errors, nothing changed.
#[cfg(test)]
mod engine_tests {
    use crate::engine::Engine;
    use crate::engine::interfaces::rename_in_line;
    use crate::engine::test_support::{boot, exec, ok, refused, running};

    fn inside(e: &mut Engine) {
        ok(
            e,
            &[
                "interface GigabitEthernet0/1",
                " nameif inside",
                " security-level 100",
                " ip address 10.0.0.1 255.255.255.0",
                " no shutdown",
            ],
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        #[test]
        fn arbitrary_interface_sub_commands_never_panic(
            line in "(speed|duplex|vlan|channel-group|member-interface|mac-address|ipv6 address|ipv6 nd prefix|no ipv6 nd prefix|traffic-forward|ipv6 enforce-eui64|mtu|no)( [\\PC&&[^\n]]{0,12}){0,4}"
        ) {
            let mut e = boot();
            let _ = exec(&mut e, &["interface GigabitEthernet0/1.5", &format!(" {line}")]);
            let _ = exec(&mut e, &["interface Redundant2", &format!(" {line}")]);
            let _ = exec(&mut e, &[line.as_str()]);
        }
    }

    #[test]
    fn hardware_that_does_not_exist_is_an_error() {
        let mut e = boot();
        let out = refused(&mut e, &["interface GigabitEthernet0/9"]);
        assert!(out.contains("Invalid input"), "{out}");
        let out = refused(&mut e, &["interface GigabitEthernet0/9.10"]);
        assert!(out.contains("Invalid input"), "{out}");
        ok(&mut e, &["interface GigabitEthernet0/2.10", " vlan 10"]);
        assert!(running(&mut e).contains("interface GigabitEthernet0/2.10\n"));
    }

    #[test]
    fn a_referenced_nameif_cannot_be_removed_and_a_rename_carries_its_references() {
        let mut e = boot();
        inside(&mut e);
        ok(&mut e, &["route inside 10.1.0.0 255.255.0.0 10.0.0.254 1"]);
        let before = running(&mut e);
        let out = refused(&mut e, &["interface GigabitEthernet0/1", " no nameif"]);
        assert!(
            out.starts_with("ERROR: Interface name inside is referenced by \"route inside"),
            "{out}"
        );
        assert_eq!(running(&mut e), before);
        // Re-stating the same name is no change.
        ok(&mut e, &["interface GigabitEthernet0/1", " nameif inside"]);
        assert_eq!(running(&mut e), before);
        ok(&mut e, &["interface GigabitEthernet0/1", " nameif lan"]);
        let after = running(&mut e);
        assert!(after.contains(" nameif lan\n"), "{after}");
        assert!(
            after.contains("route lan 10.1.0.0 255.255.0.0 10.0.0.254 1\n"),
            "{after}"
        );
        assert!(!after.contains("route inside"), "{after}");
    }

    #[test]
    fn a_rename_rewrites_every_family_of_reference_and_rolls_back_with_its_batch() {
        let references = [
            "access-list a extended permit ip any any",
            "access-group a in interface inside",
            "mtu inside 1400",
            "http 10.0.0.0 255.0.0.0 inside",
            "ssh 10.0.0.0 255.0.0.0 inside",
            "telnet 10.0.0.0 255.0.0.0 inside",
            "logging host inside 10.0.0.9",
        ];
        let mut e = boot();
        inside(&mut e);
        ok(&mut e, &references);
        let before = running(&mut e);
        // A failing command later in the atomic batch undoes the rename and its rewrites.
        refused(
            &mut e,
            &[
                "interface GigabitEthernet0/1",
                " nameif lan",
                " security-level 500",
            ],
        );
        assert_eq!(running(&mut e), before);
        ok(&mut e, &["interface GigabitEthernet0/1", " nameif lan"]);
        let after = running(&mut e);
        for expected in [
            "access-group a in interface lan\n",
            "mtu lan 1400\n",
            "http 10.0.0.0 255.0.0.0 lan\n",
            "ssh 10.0.0.0 255.0.0.0 lan\n",
            "telnet 10.0.0.0 255.0.0.0 lan\n",
            "logging host lan 10.0.0.9\n",
        ] {
            assert!(after.contains(expected), "{expected} in {after}");
        }
        // The renamed name is held as firmly as the old one was.
        let out = refused(&mut e, &["interface GigabitEthernet0/1", " no nameif"]);
        assert!(out.contains("is referenced by"), "{out}");
    }

    #[test]
    fn rename_in_line_touches_only_the_nameif_slot() {
        assert_eq!(
            rename_in_line(
                "nat (inside,outside) source static inside inside",
                "inside",
                "lan"
            )
            .as_deref(),
            Some("nat (lan,outside) source static inside inside")
        );
        assert_eq!(
            rename_in_line(" nat (dmz,inside) static 192.0.2.1", "inside", "lan").as_deref(),
            Some(" nat (dmz,lan) static 192.0.2.1")
        );
        assert_eq!(
            rename_in_line("route outside 0.0.0.0 0.0.0.0 192.0.2.1 1", "inside", "lan"),
            None
        );
    }

    #[test]
    fn every_family_of_reference_holds_the_name() {
        for reference in [
            "access-list a extended permit ip any any\naccess-group a in interface inside",
            "mtu inside 1400",
            "http 10.0.0.0 255.0.0.0 inside",
            "ssh 10.0.0.0 255.0.0.0 inside",
            "telnet 10.0.0.0 255.0.0.0 inside",
            "logging host inside 10.0.0.9",
        ] {
            let mut e = boot();
            inside(&mut e);
            let lines: Vec<&str> = reference.lines().collect();
            ok(&mut e, &lines);
            let out = refused(&mut e, &["interface GigabitEthernet0/1", " no nameif"]);
            assert!(out.contains("is referenced by"), "{reference}: {out}");
        }
    }

    #[test]
    fn a_referenced_sub_interface_cannot_be_removed() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "interface GigabitEthernet0/2.20",
                " vlan 20",
                " nameif dmz",
                "exit",
                "logging host dmz 10.0.0.9",
            ],
        );
        let out = refused(&mut e, &["no interface GigabitEthernet0/2.20"]);
        assert!(out.contains("logging host dmz"), "{out}");
        ok(
            &mut e,
            &[
                "no logging host dmz 10.0.0.9",
                "no interface GigabitEthernet0/2.20",
            ],
        );
        assert!(!running(&mut e).contains("GigabitEthernet0/2.20"));
    }

    #[test]
    fn clear_configure_interface_resets_ports_and_removes_logical_ones() {
        let mut e = boot();
        inside(&mut e);
        ok(
            &mut e,
            &["interface GigabitEthernet0/2.7", " vlan 7", " nameif seven"],
        );
        ok(&mut e, &["route inside 10.1.0.0 255.255.0.0 10.0.0.254 1"]);
        let out = refused(&mut e, &["clear configure interface GigabitEthernet0/1"]);
        assert!(out.contains("route inside"), "{out}");
        ok(
            &mut e,
            &[
                "no route inside 10.1.0.0 255.255.0.0 10.0.0.254 1",
                "clear configure interface GigabitEthernet0/1",
                "clear configure interface GigabitEthernet0/2.7",
            ],
        );
        let text = running(&mut e);
        assert!(
            text.contains(
                "interface GigabitEthernet0/1\n shutdown\n no nameif\n no security-level\n no ip address\n"
            ),
            "{text}"
        );
        assert!(!text.contains("GigabitEthernet0/2.7"), "{text}");
        let out = refused(&mut e, &["clear configure interface GigabitEthernet0/9"]);
        assert!(out.contains("Invalid input"), "{out}");
        // Everything at once: the management name is held by its `mtu` and `http` lines.
        let out = refused(&mut e, &["clear configure interface"]);
        assert!(out.contains("management is referenced by"), "{out}");
    }

    #[test]
    fn mtu_needs_a_known_name_and_a_size_in_range() {
        let mut e = boot();
        let out = refused(&mut e, &["mtu nowhere 1500"]);
        assert_eq!(out, "ERROR: Interface nowhere not found\n");
        let out = refused(&mut e, &["mtu management 10"]);
        assert!(out.contains("Invalid input"), "{out}");
        ok(&mut e, &["mtu management 9000"]);
        let text = running(&mut e);
        assert!(text.contains("mtu management 9000\n"), "{text}");
        assert!(!text.contains("mtu management 1500"), "{text}");
    }

    #[test]
    fn verbatim_sub_commands_are_checked() {
        let mut e = boot();
        for bad in [
            " speed fast",
            " duplex sideways",
            " vlan 10",
            " channel-group 99 mode active",
            " channel-group 1 mode loud",
            " mac-address 00:11:22:33:44:55",
            " ipv6 address 2001:db8::1",
            " member-interface GigabitEthernet0/2",
        ] {
            let out = refused(&mut e, &["interface GigabitEthernet0/3", bad]);
            assert!(out.contains("Invalid input"), "{bad}: {out}");
        }
        ok(
            &mut e,
            &[
                "interface GigabitEthernet0/3",
                " speed 1000",
                " duplex full",
                " mac-address 0011.2233.4455 standby 0011.2233.4466",
                " ipv6 enable",
                " ipv6 address 2001:db8::1/64",
                " channel-group 1 mode active",
            ],
        );
        let out = refused(
            &mut e,
            &["interface Management0/0", " channel-group 2 mode on"],
        );
        assert!(out.contains("has a nameif"), "{out}");
        let out = refused(&mut e, &["interface GigabitEthernet0/3", " nameif member"]);
        assert!(out.contains("member of a port-channel"), "{out}");
        ok(
            &mut e,
            &[
                "interface Redundant1",
                " member-interface GigabitEthernet0/4",
                " member-interface GigabitEthernet0/5",
            ],
        );
        let text = running(&mut e);
        assert!(
            text.contains(
                " member-interface GigabitEthernet0/4\n member-interface GigabitEthernet0/5\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn enforce_eui64_names_the_interface_and_follows_a_rename() {
        let mut e = boot();
        let out = refused(&mut e, &["ipv6 enforce-eui64 inside"]);
        assert_eq!(out, "ERROR: Interface inside not found\n");
        let out = refused(&mut e, &["ipv6 enforce-eui64"]);
        assert!(out.contains("Incomplete"), "{out}");
        inside(&mut e);
        // Typed in interface mode, the global line leaves the mode.
        ok(
            &mut e,
            &[
                "interface GigabitEthernet0/1",
                " ipv6 enable",
                "ipv6 enforce-eui64 inside",
            ],
        );
        let text = running(&mut e);
        assert!(text.contains("\nipv6 enforce-eui64 inside\n"), "{text}");
        assert!(!text.contains(" ipv6 enforce-eui64"), "{text}");
        let out = refused(&mut e, &["interface GigabitEthernet0/1", " no nameif"]);
        assert!(
            out.contains("is referenced by \"ipv6 enforce-eui64 inside\""),
            "{out}"
        );
        ok(&mut e, &["interface GigabitEthernet0/1", " nameif lan"]);
        let text = running(&mut e);
        assert!(text.contains("\nipv6 enforce-eui64 lan\n"), "{text}");
        ok(
            &mut e,
            &[
                "no ipv6 enforce-eui64 lan",
                "interface GigabitEthernet0/1",
                " no nameif",
            ],
        );
        assert!(!running(&mut e).contains("enforce-eui64"));
    }

    #[test]
    fn nd_prefixes_are_checked_and_kept_one_per_prefix_in_canonical_form() {
        let mut e = boot();
        for (bad, out_has) in [
            (" ipv6 nd prefix 2001:db8::", "Invalid input"),
            (" ipv6 nd prefix 2001:db8::/64 100 200", "Invalid input"),
            (" ipv6 nd prefix 2001:db8::/64 100", "Incomplete"),
            (" ipv6 nd prefix 2001:db8::/64 loud", "Invalid input"),
            (" ipv6 nd prefix", "Incomplete"),
        ] {
            let out = refused(&mut e, &["interface GigabitEthernet0/2", bad]);
            assert!(out.contains(out_has), "{bad}: {out}");
        }
        let out = refused(
            &mut e,
            &[
                "interface GigabitEthernet0/2",
                " ipv6 nd prefix 2001:db8::/64 100 200",
            ],
        );
        // The caret sits under the preferred lifetime above the valid one.
        let caret = "ipv6 nd prefix 2001:db8::/64 100 ".len();
        assert!(
            out.starts_with(&format!(
                "ipv6 nd prefix 2001:db8::/64 100 200\n{}^",
                " ".repeat(caret)
            )),
            "{out}"
        );
        ok(
            &mut e,
            &[
                "interface GigabitEthernet0/2",
                " ipv6 nd prefix 2001:DB8:0::/64 off-link no-advertise",
                " ipv6 nd prefix default 100 50",
                " ipv6 nd prefix 2001:db8::/64 3600 1800 off-link",
            ],
        );
        let text = running(&mut e);
        assert!(
            text.contains(
                " ipv6 nd prefix default 100 50\n ipv6 nd prefix 2001:db8::/64 3600 1800 off-link\n"
            ),
            "{text}"
        );
        assert!(!text.contains("no-advertise"), "{text}");
        ok(
            &mut e,
            &[
                "interface GigabitEthernet0/2",
                " no ipv6 nd prefix 2001:DB8::/64",
            ],
        );
        let text = running(&mut e);
        assert!(!text.contains("2001:db8::/64"), "{text}");
        assert!(text.contains(" ipv6 nd prefix default 100 50\n"), "{text}");
    }

    #[test]
    fn traffic_forwarding_ports_are_unnamed_physical_non_members() {
        let mut e = boot();
        inside(&mut e);
        let out = refused(
            &mut e,
            &[
                "interface GigabitEthernet0/1",
                " traffic-forward sfr monitor-only",
            ],
        );
        assert_eq!(
            out,
            "ERROR: Interface GigabitEthernet0/1 has a nameif configured; remove it before configuring traffic-forward\n"
        );
        for bad in [
            " traffic-forward ips monitor-only",
            " traffic-forward sfr monitor",
            " traffic-forward sfr monitor-only now",
        ] {
            let out = refused(&mut e, &["interface GigabitEthernet0/3", bad]);
            assert!(out.contains("Invalid input"), "{bad}: {out}");
        }
        let out = refused(
            &mut e,
            &["interface GigabitEthernet0/3", " traffic-forward sfr"],
        );
        assert!(out.contains("Incomplete"), "{out}");
        let out = refused(
            &mut e,
            &[
                "interface GigabitEthernet0/2.4",
                " vlan 4",
                " traffic-forward sfr monitor-only",
            ],
        );
        assert!(out.contains("Invalid input"), "{out}");
        ok(
            &mut e,
            &[
                "interface GigabitEthernet0/3",
                " traffic-forward cxsc monitor-only",
                " traffic-forward sfr monitor-only",
                " no shutdown",
            ],
        );
        let text = running(&mut e);
        assert!(
            text.contains(" traffic-forward sfr monitor-only\n"),
            "{text}"
        );
        assert!(!text.contains("cxsc"), "{text}");
        let out = refused(&mut e, &["interface GigabitEthernet0/3", " nameif spy"]);
        assert_eq!(
            out,
            "ERROR: Interface GigabitEthernet0/3 is a traffic-forwarding interface and cannot have a nameif\n"
        );
        let out = refused(
            &mut e,
            &[
                "interface GigabitEthernet0/3",
                " channel-group 1 mode active",
            ],
        );
        assert!(out.contains("cannot be both"), "{out}");
        ok(
            &mut e,
            &[
                "interface GigabitEthernet0/4",
                " channel-group 1 mode active",
            ],
        );
        let out = refused(
            &mut e,
            &[
                "interface GigabitEthernet0/4",
                " traffic-forward sfr monitor-only",
            ],
        );
        assert!(out.contains("cannot be both"), "{out}");
        ok(
            &mut e,
            &[
                "interface GigabitEthernet0/3",
                " no traffic-forward sfr monitor-only",
                " nameif spy",
            ],
        );
        assert!(!running(&mut e).contains("traffic-forward"));
    }

    #[test]
    fn a_port_joins_one_channel_group() {
        let mut e = boot();
        ok(
            &mut e,
            &["interface GigabitEthernet0/4", " channel-group 2 mode on"],
        );
        let out = refused(
            &mut e,
            &["interface GigabitEthernet0/4", " channel-group 3 mode on"],
        );
        assert_eq!(
            out,
            "ERROR: Interface GigabitEthernet0/4 is already a member of port-channel 2; remove it with 'no channel-group' first\n"
        );
        // Its own group again (another mode) and a move through `no channel-group` apply.
        ok(
            &mut e,
            &[
                "interface GigabitEthernet0/4",
                " channel-group 2 mode active",
                " no channel-group",
                " channel-group 3 mode active",
            ],
        );
        let text = running(&mut e);
        assert!(text.contains(" channel-group 3 mode active\n"), "{text}");
        assert!(!text.contains("channel-group 2"), "{text}");
    }
}
