//! `shun`: the ASA's exec-level blocking of a host, kept in memory only. A shun is never a
//! configuration line: it is not in `show running-config`, `write memory` does not save it
//! and a reload forgets it, as on an ASA.
//!
//! ```text
//! shun <src_ip> [<dst_ip> <src_port> <dst_port> [<protocol>]] [vlan <vlan_id>]
//! no shun <src_ip> [vlan <vlan_id>]
//! clear shun [statistics]
//! show shun [<src_ip>] | show shun statistics
//! ```
//!
//! Outputs as an ASA prints them (single context mode):
//!
//! ```text
//! ciscoasa# shun 198.51.100.66
//! Shun 198.51.100.66 added in context: single_vf
//! Shun 198.51.100.66 successful
//! ciscoasa# show shun
//! shun (outside) 198.51.100.66 0.0.0.0 0 0 0
//! ciscoasa# show shun statistics
//! outside=ON, cnt=0
//! inside=OFF, cnt=0
//! Shun 198.51.100.66 cnt=0, time=(0:00:55)
//! ```
//!
//! A shun's interface is the one whose network holds the source (else the default route's,
//! else the first named interface), as the ASA chooses by a route lookup.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use cli_translator::ast::Command;

use super::apply::word_offset;
use super::config::Config;
use super::error::CliError;
use super::session::abbrev;

/// The context name an ASA in single context mode prints in shun messages.
const SINGLE_CONTEXT: &str = "single_vf";

/// One shunned connection pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shun {
    pub source: Ipv4Addr,
    pub destination: Ipv4Addr,
    pub source_port: u16,
    pub destination_port: u16,
    /// IP protocol number (0: any).
    pub protocol: u8,
    pub vlan: Option<u16>,
    /// The nameif it applies on.
    pub interface: String,
    /// When it was added (Unix seconds).
    pub since: i64,
}

/// The shun table.
#[derive(Debug, Clone, Default)]
pub struct Shuns {
    entries: Vec<Shun>,
}

/// What a shun command asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShunCommand {
    Add {
        source: Ipv4Addr,
        destination: Ipv4Addr,
        source_port: u16,
        destination_port: u16,
        protocol: u8,
        vlan: Option<u16>,
    },
    Remove {
        source: Ipv4Addr,
        vlan: Option<u16>,
    },
    Clear,
    ClearStatistics,
}

fn protocol_number(word: &str) -> Option<u8> {
    match word.to_ascii_lowercase().as_str() {
        "tcp" => Some(6),
        "udp" => Some(17),
        "icmp" => Some(1),
        "ip" => Some(0),
        n => n.parse().ok(),
    }
}

/// Reads `[vlan <id>]` at word `at`; the index after it.
fn vlan_at(line: &str, words: &[&str], at: usize) -> Result<(Option<u16>, usize), CliError> {
    match words.get(at) {
        Some(w) if w.eq_ignore_ascii_case("vlan") => {
            let Some(id) = words.get(at + 1) else {
                return Err(CliError::Incomplete);
            };
            match id.parse::<u16>() {
                Ok(n) if (1..=4094).contains(&n) => Ok((Some(n), at + 2)),
                _ => Err(CliError::invalid(line, word_offset(line, at + 1))),
            }
        }
        _ => Ok((None, at)),
    }
}

fn address_at(line: &str, words: &[&str], at: usize) -> Result<Ipv4Addr, CliError> {
    let Some(w) = words.get(at) else {
        return Err(CliError::Incomplete);
    };
    w.parse()
        .map_err(|_| CliError::invalid(line, word_offset(line, at)))
}

fn port_at(line: &str, words: &[&str], at: usize) -> Result<u16, CliError> {
    let Some(w) = words.get(at) else {
        return Err(CliError::Incomplete);
    };
    w.parse()
        .map_err(|_| CliError::invalid(line, word_offset(line, at)))
}

/// Parses a `shun`, `no shun` or `clear shun` line; `None` when it is none of them.
pub fn parse(line: &str) -> Option<Result<ShunCommand, CliError>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let first = *words.first()?;
    let second = words.get(1).copied().unwrap_or("");
    if first.eq_ignore_ascii_case("shun") {
        return Some(parse_add(line, &words, 1));
    }
    if first.eq_ignore_ascii_case("no") && second.eq_ignore_ascii_case("shun") {
        return Some(parse_remove(line, &words));
    }
    if abbrev(first, "clear", 2) && second.eq_ignore_ascii_case("shun") {
        return Some(match words.get(2) {
            None => Ok(ShunCommand::Clear),
            Some(w) if abbrev(w, "statistics", 1) && words.len() == 3 => {
                Ok(ShunCommand::ClearStatistics)
            }
            Some(_) => Err(CliError::invalid(line, word_offset(line, 2))),
        });
    }
    None
}

fn parse_add(line: &str, words: &[&str], at: usize) -> Result<ShunCommand, CliError> {
    let source = address_at(line, words, at)?;
    let (mut destination, mut source_port, mut destination_port, mut protocol) =
        (Ipv4Addr::UNSPECIFIED, 0, 0, 0);
    let mut next = at + 1;
    let vlan_next = words
        .get(next)
        .is_some_and(|w| w.eq_ignore_ascii_case("vlan"));
    if words.get(next).is_some() && !vlan_next {
        destination = address_at(line, words, next)?;
        source_port = port_at(line, words, next + 1)?;
        destination_port = port_at(line, words, next + 2)?;
        next += 3;
        if let Some(w) = words.get(next)
            && !w.eq_ignore_ascii_case("vlan")
        {
            protocol = protocol_number(w)
                .ok_or_else(|| CliError::invalid(line, word_offset(line, next)))?;
            next += 1;
        }
    }
    let (vlan, next) = vlan_at(line, words, next)?;
    if words.len() > next {
        return Err(CliError::invalid(line, word_offset(line, next)));
    }
    Ok(ShunCommand::Add {
        source,
        destination,
        source_port,
        destination_port,
        protocol,
        vlan,
    })
}

fn parse_remove(line: &str, words: &[&str]) -> Result<ShunCommand, CliError> {
    let source = address_at(line, words, 2)?;
    let (vlan, next) = vlan_at(line, words, 3)?;
    if words.len() > next {
        return Err(CliError::invalid(line, word_offset(line, next)));
    }
    Ok(ShunCommand::Remove { source, vlan })
}

/// The named interfaces, their IPv4 networks, in configuration order.
fn interfaces(cfg: &Config) -> Vec<(String, Option<(u32, u32)>)> {
    let mut out = Vec::new();
    for (_, b) in cfg.iter() {
        if !b.head().is_typed_as("interface") {
            continue;
        }
        let mut nameif = None;
        let mut net = None;
        for c in b.children() {
            match c.command() {
                Some(Command::Nameif(n)) => nameif = Some(n),
                Some(Command::IpAddress { address, mask, .. }) => {
                    net = Some((u32::from(address), u32::from(mask)));
                }
                _ => {}
            }
        }
        if let Some(n) = nameif {
            out.push((n, net));
        }
    }
    out
}

/// The nameif a default route leaves through, if any.
fn default_route_interface(cfg: &Config) -> Option<String> {
    cfg.iter().find_map(|(_, b)| {
        let words: Vec<&str> = b.head().text.split_whitespace().collect();
        match words.as_slice() {
            ["route", nameif, "0.0.0.0" | "0", "0.0.0.0" | "0", ..] => Some((*nameif).to_owned()),
            _ => None,
        }
    })
}

fn interface_for(cfg: &Config, source: Ipv4Addr) -> String {
    let all = interfaces(cfg);
    let s = u32::from(source);
    all.iter()
        .find(|(_, net)| net.is_some_and(|(a, m)| a & m == s & m))
        .map(|(n, _)| n.clone())
        .or_else(|| default_route_interface(cfg))
        .or_else(|| all.first().map(|(n, _)| n.clone()))
        .unwrap_or_else(|| "outside".to_owned())
}

/// `h:mm:ss`
fn elapsed(secs: i64) -> String {
    let secs = secs.max(0);
    format!("{}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
}

impl Shuns {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Runs a parsed shun command; the output to print.
    pub fn run(&mut self, cfg: &Config, cmd: ShunCommand, now: i64) -> Result<String, CliError> {
        match cmd {
            ShunCommand::Add {
                source,
                destination,
                source_port,
                destination_port,
                protocol,
                vlan,
            } => {
                if self
                    .entries
                    .iter()
                    .any(|s| s.source == source && s.vlan == vlan)
                {
                    return Err(CliError::ShunExists(source.to_string()));
                }
                self.entries.push(Shun {
                    source,
                    destination,
                    source_port,
                    destination_port,
                    protocol,
                    vlan,
                    interface: interface_for(cfg, source),
                    since: now,
                });
                Ok(format!(
                    "Shun {source} added in context: {SINGLE_CONTEXT}\nShun {source} successful\n"
                ))
            }
            ShunCommand::Remove { source, vlan } => {
                let before = self.entries.len();
                self.entries
                    .retain(|s| !(s.source == source && s.vlan == vlan));
                if self.entries.len() == before {
                    return Err(CliError::NoSuchShun(source.to_string()));
                }
                Ok(String::new())
            }
            ShunCommand::Clear => {
                self.entries.clear();
                Ok(String::new())
            }
            ShunCommand::ClearStatistics => Ok(String::new()),
        }
    }

    /// `show shun [<src_ip>]` and `show shun statistics` (`args`: the words after `shun`).
    pub fn show(
        &self,
        cfg: &Config,
        line: &str,
        args: &[&str],
        now: i64,
    ) -> Result<String, CliError> {
        let mut out = String::new();
        match args {
            [] => {
                for s in &self.entries {
                    self.write_entry(&mut out, s);
                }
            }
            [w] if abbrev(w, "statistics", 1) => {
                for (nameif, _) in interfaces(cfg) {
                    let on = self.entries.iter().any(|s| s.interface == nameif);
                    let _ = writeln!(out, "{nameif}={}, cnt=0", if on { "ON" } else { "OFF" });
                }
                for s in &self.entries {
                    let _ = writeln!(
                        out,
                        "Shun {} cnt=0, time=({})",
                        s.source,
                        elapsed(now - s.since)
                    );
                }
            }
            [ip] => {
                let Ok(ip) = ip.parse::<Ipv4Addr>() else {
                    return Err(CliError::invalid(line, word_offset(line, 2)));
                };
                for s in self.entries.iter().filter(|s| s.source == ip) {
                    self.write_entry(&mut out, s);
                }
            }
            _ => return Err(CliError::invalid(line, word_offset(line, 3))),
        }
        Ok(out)
    }

    fn write_entry(&self, out: &mut String, s: &Shun) {
        let _ = write!(
            out,
            "shun ({}) {} {} {} {} {}",
            s.interface, s.source, s.destination, s.source_port, s.destination_port, s.protocol
        );
        if let Some(v) = s.vlan {
            let _ = write!(out, " vlan {v}");
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::entropy::Entropy;
    use crate::engine::load::load;

    fn cfg() -> Config {
        load(
            "interface GigabitEthernet0/0\n nameif outside\n security-level 0\n ip address 203.0.113.1 255.255.255.0\ninterface GigabitEthernet0/1\n nameif inside\n security-level 100\n ip address 10.0.0.1 255.255.255.0\nroute outside 0.0.0.0 0.0.0.0 203.0.113.254 1\n",
            &mut Entropy::from_seed([1; 32]),
        )
    }

    fn run(shuns: &mut Shuns, cfg: &Config, line: &str, now: i64) -> Result<String, CliError> {
        match parse(line) {
            Some(Ok(cmd)) => shuns.run(cfg, cmd, now),
            Some(Err(e)) => Err(e),
            None => Err(CliError::invalid(line, 0)),
        }
    }

    #[test]
    fn adds_shows_and_removes_a_shun() {
        let cfg = cfg();
        let mut s = Shuns::default();
        assert_eq!(
            run(&mut s, &cfg, "shun 198.51.100.66", 100).unwrap(),
            "Shun 198.51.100.66 added in context: single_vf\nShun 198.51.100.66 successful\n"
        );
        assert_eq!(
            s.show(&cfg, "show shun", &[], 100).unwrap(),
            "shun (outside) 198.51.100.66 0.0.0.0 0 0 0\n"
        );
        assert_eq!(
            s.show(&cfg, "show shun statistics", &["statistics"], 155)
                .unwrap(),
            "outside=ON, cnt=0\ninside=OFF, cnt=0\nShun 198.51.100.66 cnt=0, time=(0:00:55)\n"
        );
        assert_eq!(run(&mut s, &cfg, "no shun 198.51.100.66", 200).unwrap(), "");
        assert_eq!(s.show(&cfg, "show shun", &[], 200).unwrap(), "");
        assert_eq!(
            run(&mut s, &cfg, "no shun 198.51.100.66", 200),
            Err(CliError::NoSuchShun("198.51.100.66".into()))
        );
    }

    #[test]
    fn a_connection_shun_keeps_its_ports_protocol_and_vlan() {
        let cfg = cfg();
        let mut s = Shuns::default();
        run(
            &mut s,
            &cfg,
            "shun 10.0.0.27 10.2.2.89 555 666 tcp vlan 20",
            0,
        )
        .unwrap();
        assert_eq!(
            s.show(&cfg, "show shun 10.0.0.27", &["10.0.0.27"], 0)
                .unwrap(),
            "shun (inside) 10.0.0.27 10.2.2.89 555 666 6 vlan 20\n"
        );
        assert_eq!(
            run(&mut s, &cfg, "shun 10.0.0.27 vlan 20", 0),
            Err(CliError::ShunExists("10.0.0.27".into()))
        );
        run(&mut s, &cfg, "clear shun", 0).unwrap();
        assert!(s.is_empty());
    }

    #[test]
    fn refuses_malformed_shuns_where_the_asa_puts_the_caret() {
        let cases = [
            ("shun 198.51.100.666", 5),
            ("shun 1.1.1.1 2.2.2.2 x 80", 21),
            ("shun 1.1.1.1 2.2.2.2 1 80 bogus", 26),
            ("shun 1.1.1.1 vlan 0", 18),
            ("clear shun now", 11),
        ];
        for (line, at) in cases {
            assert_eq!(
                parse(line),
                Some(Err(CliError::invalid(line, at))),
                "{line}"
            );
        }
        assert_eq!(parse("shun"), Some(Err(CliError::Incomplete)));
        assert_eq!(parse("show shun"), None);
    }
}
