//! Extended access lists and access groups: `access-list <acl> [line <n>] extended|remark ...`,
//! `no access-list ...`, `clear configure access-list [<acl>]`, `access-group ...`, and
//! `show access-list [<acl>]` in the ASA's format.
//!
//! Entries are stored as configuration lines in their canonical spelling (the translator's
//! printer), so `show running-config` needs nothing special. An entry may only name objects,
//! object groups and time ranges that exist. `line <n>` counts every line of the list
//! (remarks included). Standard entries are read and printed the same way; lines of other list
//! types (`webtype`, `ethertype`...) stay verbatim.
//! Adding or removing a rule by its canonical text reads no other line: the configuration
//! indexes every rule by its text and every list's size and last line (issue 13: writes flat in
//! size); `line <n>`, remarks and rules named otherwise read the list's lines.

use std::fmt::Write as _;

use cli_translator::acl::ace::{
    Ace, AclBody, DestService, Endpoint, LogSpec, PortMatch, Protocol, RefKind, name_hash,
    parse_ace, parse_acl_line, references, rule_hash,
};
use cli_translator::acl::group::{AccessGroup, parse_access_group};
use cli_translator::acl::standard::standard_hash;
use cli_translator::ast::{Command, NetworkAddress, Severity};
use cli_translator::words::WordError;

use super::apply::{Applier, Step, strip_words, word_offset};
use super::config::{Block, BlockId, Config, Entry, Key};
use super::error::CliError;
use super::sections::starts_with_words;

/// How deep `group-object` nesting is followed when expanding for `show access-list`.
const MAX_GROUP_DEPTH: usize = 8;

impl Applier<'_> {
    /// Handles the access-list family; `None` when `line` is not one of its commands (or is
    /// a list type kept verbatim), so the caller goes on as before.
    pub fn access_command(&mut self, line: &str) -> Option<Result<Step, CliError>> {
        if let Some(rest) = strip_words(line, "clear configure access-list") {
            // issue 15: a list a class map, crypto map or group policy uses stays.
            if let Err(e) = super::service_policy::check_acl_unused(self.cfg, rest.trim()) {
                return Some(Err(e));
            }
            return Some(Ok(self.clear_access_lists(rest)));
        }
        if starts_with_words(line, "access-list") {
            return match parse_acl_line(line) {
                Ok(parsed) => Some(self.add_acl_line(parsed)),
                Err(WordError::NotModelled | WordError::Foreign) => None,
                Err(e) => Some(Err(match e.word() {
                    Some(i) => CliError::invalid(line, word_offset(line, i)),
                    None => CliError::Incomplete,
                })),
            };
        }
        if let Some(rest) = strip_words(line, "no access-list") {
            return self.remove_acl_line(line, rest);
        }
        if starts_with_words(line, "access-group") {
            let group = parse_access_group(line)?;
            return Some(self.set_access_group(&group));
        }
        None
    }

    fn add_acl_line(&mut self, parsed: cli_translator::acl::AclLine) -> Result<Step, CliError> {
        if let AclBody::Extended(ace) = &parsed.body {
            self.check_references(ace)?;
        }
        let canonical = format!(
            "access-list {} {}",
            parsed.acl,
            match &parsed.body {
                AclBody::Remark(r) => format!("remark {r}"),
                AclBody::Extended(ace) => ace.to_string(),
                AclBody::Standard(ace) => ace.to_string(),
            }
        );
        let rule = matches!(parsed.body, AclBody::Extended(_) | AclBody::Standard(_));
        if rule && self.cfg.lookup(&Key::AclRule(canonical.clone())).is_some() {
            return Ok(Step::Done(Some(format!(
                "WARNING: {} found duplicate element",
                parsed.acl
            ))));
        }
        let block = Block::leaf(Entry::verbatim(canonical));
        // `line <n>`: before the list's nth line; past its end, or without: after its last.
        let nth = parsed
            .line
            .and_then(|n| usize::try_from(n).ok()?.checked_sub(1))
            .and_then(|n| list_blocks(self.cfg, &block).get(n).copied())
            .and_then(|id| self.cfg.position(id));
        let after_last = self
            .cfg
            .group_of(&block)
            .and_then(|(_, last)| self.cfg.position(last))
            .map(|pos| pos + 1);
        match nth.or(after_last) {
            Some(pos) => {
                self.cfg.insert_at(pos, block);
            }
            None => {
                self.cfg.insert_placed(block);
            }
        }
        Ok(Step::Done(None))
    }

    /// Every object, group and time range an entry names must exist.
    fn check_references(&self, ace: &Ace) -> Result<(), CliError> {
        for r in references(ace) {
            let found = match r.what {
                RefKind::NetworkObject => {
                    self.cfg.lookup(&Key::Object(r.name.to_owned())).is_some()
                        || self.cfg.find_head(&["object", "network", r.name]).is_some()
                }
                RefKind::ServiceObject => self
                    .cfg
                    .find_definition(["object", "service", r.name])
                    .is_some(),
                RefKind::Group => find_group(self.cfg, r.name).is_some(),
                RefKind::TimeRange => self.cfg.find_head(&["time-range", r.name]).is_some(),
            };
            if !found {
                return Err(match r.what {
                    RefKind::NetworkObject | RefKind::ServiceObject => {
                        CliError::NoSuchObject(r.name.to_owned())
                    }
                    RefKind::Group => CliError::NoSuchObjectGroup(r.name.to_owned()),
                    RefKind::TimeRange => CliError::NoSuchTimeRange(r.name.to_owned()),
                });
            }
        }
        Ok(())
    }

    /// `no access-list <acl> extended|remark ...` removes that line; `no access-list <acl>`
    /// the whole list. `None` for list types kept verbatim.
    fn remove_acl_line(&mut self, line: &str, rest: &str) -> Option<Result<Step, CliError>> {
        let words: Vec<&str> = rest.split_whitespace().collect();
        if words.len() == 1 {
            // issue 15: a list a class map, crypto map or group policy uses stays.
            if let Err(e) = super::service_policy::check_acl_unused(self.cfg, rest.trim()) {
                return Some(Err(e));
            }
            return Some(Ok(self.clear_access_lists(rest)));
        }
        let parsed = match parse_acl_line(&format!("access-list {rest}")) {
            Ok(p) => p,
            Err(WordError::NotModelled | WordError::Foreign) => return None,
            Err(e) => {
                return Some(Err(match e.word() {
                    Some(i) => CliError::invalid(line, word_offset(line, i + 1)),
                    None => CliError::Incomplete,
                }));
            }
        };
        let list = format!("access-list {}", parsed.acl);
        // The canonical spelling finds a rule without reading the list; remarks, loaded lines
        // spelled otherwise, and rules named without their options, need the list's lines and
        // the grammar.
        let canonical = match &parsed.body {
            AclBody::Remark(r) => format!("{list} remark {r}"),
            AclBody::Extended(ace) => format!("{list} {ace}"),
            AclBody::Standard(ace) => format!("{list} {ace}"),
        };
        let wanted = |b: &Block| match (&parsed.body, parse_acl_line(b.head().text)) {
            (AclBody::Remark(r), Ok(l)) => l.body == AclBody::Remark(r.clone()),
            (AclBody::Extended(a), Ok(l)) => match l.body {
                AclBody::Extended(b) => same_rule(a, &b),
                AclBody::Remark(_) | AclBody::Standard(_) => false,
            },
            (AclBody::Standard(a), Ok(l)) => l.body == AclBody::Standard(a.clone()),
            _ => false,
        };
        let probe = Block::leaf(Entry::verbatim(canonical.clone()));
        let target = match &parsed.body {
            AclBody::Remark(_) => None,
            AclBody::Extended(_) | AclBody::Standard(_) => {
                self.cfg.lookup(&Key::AclRule(canonical.clone()))
            }
        }
        .or_else(|| {
            let lines = list_blocks(self.cfg, &probe);
            let text_is = |id: &BlockId| {
                self.cfg
                    .block(*id)
                    .is_some_and(|b| b.head().text == canonical)
            };
            let found = lines.iter().find(|id| text_is(id));
            found
                .or_else(|| {
                    lines
                        .iter()
                        .find(|id| self.cfg.block(**id).is_some_and(wanted))
                })
                .copied()
        });
        let Some(id) = target else {
            return Some(Err(CliError::invalid(line, word_offset(line, 2))));
        };
        let last_line = self.cfg.group_of(&probe).is_some_and(|(n, _)| n == 1);
        // issue 15: a list a class map, crypto map or group policy uses keeps its last line.
        if last_line && let Err(e) = super::service_policy::check_acl_unused(self.cfg, &parsed.acl)
        {
            return Some(Err(e));
        }
        self.cfg.remove(id);
        if last_line {
            self.drop_groups_of(&parsed.acl);
        }
        Some(Ok(Step::Done(None)))
    }

    /// `clear configure access-list [<acl>]`: the lists and the access groups using them.
    fn clear_access_lists(&mut self, name: &str) -> Step {
        let name = name.trim();
        let prefix = if name.is_empty() {
            "access-list".to_owned()
        } else {
            format!("access-list {name}")
        };
        let ids: Vec<BlockId> = self
            .cfg
            .iter()
            .filter(|(_, b)| starts_with_words(b.head().text, &prefix))
            .map(|(id, _)| id)
            .collect();
        for id in ids {
            self.cfg.remove(id);
        }
        let groups: Vec<BlockId> = self
            .cfg
            .iter()
            .filter(|(_, b)| {
                parse_access_group(b.head().text).is_some_and(|g| name.is_empty() || g.acl == name)
            })
            .map(|(id, _)| id)
            .collect();
        for id in groups {
            self.cfg.remove(id);
        }
        Step::Done(None)
    }

    fn drop_groups_of(&mut self, acl: &str) {
        let groups: Vec<BlockId> = self
            .cfg
            .iter()
            .filter(|(_, b)| parse_access_group(b.head().text).is_some_and(|g| g.acl == acl))
            .map(|(id, _)| id)
            .collect();
        for id in groups {
            self.cfg.remove(id);
        }
    }

    /// An access group needs an existing list and interface; one group per binding.
    fn set_access_group(&mut self, g: &AccessGroup) -> Result<Step, CliError> {
        let list = format!("access-list {}", g.acl);
        if !self
            .cfg
            .iter()
            .any(|(_, b)| starts_with_words(b.head().text, &list))
        {
            return Err(CliError::NoSuchAccessList(g.acl.clone()));
        }
        if let Some(n) = g.binding.nameif()
            && !self.nameif_exists(n)
        {
            return Err(CliError::NoSuchNameif(n.to_owned()));
        }
        let canonical = g.cli();
        let existing = self
            .cfg
            .iter()
            .find(|(_, b)| {
                parse_access_group(b.head().text).is_some_and(|x| x.binding == g.binding)
            })
            .map(|(id, _)| id);
        let entry = Entry::verbatim(canonical);
        match existing {
            Some(id) => {
                self.cfg.update(id, |b| b.head = entry);
            }
            None => {
                self.cfg.insert_placed(Block::leaf(entry));
            }
        }
        Ok(Step::Done(None))
    }
}

/// `no access-list` matches the rule itself, whatever its options say.
fn same_rule(a: &Ace, b: &Ace) -> bool {
    let strip = |x: &Ace| Ace {
        log: None,
        time_range: None,
        inactive: false,
        ..x.clone()
    };
    a == b || strip(a) == strip(b) && a.log.is_none() && a.time_range.is_none() && !a.inactive
}

/// The lines of the list `like` is a line of (`access-list <acl> ...`), in print order: read
/// back from the list's last line, or from every block when the counts are out of step.
fn list_blocks(cfg: &Config, like: &Block) -> Vec<BlockId> {
    cfg.blocks_of_group(like).unwrap_or_else(|| {
        let list = super::sections::first_words(like.head().text, 2);
        cfg.iter()
            .filter(|(_, b)| starts_with_words(b.head().text, list))
            .map(|(id, _)| id)
            .collect()
    })
}

/// The `object-group <type> <name>` block.
fn find_group(cfg: &Config, name: &str) -> Option<BlockId> {
    cfg.lookup(&Key::Group(name.to_owned()))
}

// ===== show access-list =====

/// `show access-list [<acl>]`.
pub fn show_access_list(cfg: &Config, name: Option<&str>) -> Result<String, CliError> {
    let mut out = String::from(
        "access-list cached ACL log flows: total 0, denied 0 (deny-flow-max 4096)\n            alert-interval 300\n",
    );
    let mut lists: Vec<(String, Vec<String>)> = Vec::new();
    for (_, b) in cfg.iter() {
        let text = b.head().text;
        let Some(rest) = text.strip_prefix("access-list ") else {
            continue;
        };
        let acl = rest.split_whitespace().next().unwrap_or_default();
        if name.is_some_and(|n| n != acl) {
            continue;
        }
        match lists.iter_mut().find(|(n, _)| n == acl) {
            Some((_, lines)) => lines.push(text.to_owned()),
            None => lists.push((acl.to_owned(), vec![text.to_owned()])),
        }
    }
    if let Some(n) = name
        && lists.is_empty()
    {
        return Err(CliError::NoSuchAccessList(n.to_owned()));
    }
    for (acl, lines) in &lists {
        let mut body = String::new();
        let mut elements = 0usize;
        for (i, text) in lines.iter().enumerate() {
            let number = i + 1;
            match parse_acl_line(text) {
                Ok(l) => match l.body {
                    AclBody::Remark(r) => {
                        let _ = writeln!(body, "access-list {acl} line {number} remark {r}");
                    }
                    AclBody::Extended(ace) => {
                        elements += show_entry(cfg, acl, number, &ace, &mut body);
                    }
                    AclBody::Standard(ace) => {
                        elements += 1;
                        let _ = writeln!(
                            body,
                            "access-list {acl} line {number} {ace} (hitcnt=0) 0x{:08x}",
                            standard_hash(acl, &ace)
                        );
                    }
                },
                Err(_) => {
                    // Types kept verbatim: `access-list x standard permit any4`.
                    let after = text
                        .strip_prefix(&format!("access-list {acl} "))
                        .unwrap_or(text);
                    let hash = name_hash(text);
                    elements += 1;
                    let _ = writeln!(
                        body,
                        "access-list {acl} line {number} {after} (hitcnt=0) 0x{hash:08x}"
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "access-list {acl}; {elements} elements; name hash: 0x{:08x}",
            name_hash(acl)
        );
        out.push_str(&body);
    }
    Ok(out)
}

/// Prints one entry and its expansion; returns how many elements it counts for.
fn show_entry(cfg: &Config, acl: &str, number: usize, ace: &Ace, out: &mut String) -> usize {
    let status = |a: &Ace| if a.inactive { " (inactive)" } else { "" };
    let _ = writeln!(
        out,
        "access-list {acl} line {number} {} (hitcnt=0){} 0x{:08x}",
        show_text(ace),
        status(ace),
        rule_hash(acl, ace)
    );
    let expands = matches!(ace.source, Endpoint::Object(_) | Endpoint::Group(_))
        || matches!(ace.destination, Endpoint::Object(_) | Endpoint::Group(_))
        || !matches!(ace.protocol, Protocol::Named(_))
        || port_group(ace.source_port.as_deref()).is_some()
        || port_group(dest_port(ace)).is_some();
    if !expands {
        return 1;
    }
    let sources = expand_endpoint(cfg, &ace.source);
    let destinations = expand_endpoint(cfg, &ace.destination);
    let services = expand_services(cfg, ace);
    let mut count = 0;
    for s in &sources {
        for d in &destinations {
            for service in &services {
                let element = Ace {
                    source: s.clone(),
                    destination: d.clone(),
                    protocol: service.protocol.clone(),
                    source_port: service.source_port.clone().map(Box::new),
                    destination_service: service.destination_service.clone(),
                    ..ace.clone()
                };
                count += 1;
                let _ = writeln!(
                    out,
                    "  access-list {acl} line {number} {} (hitcnt=0){} 0x{:08x}",
                    show_text(&element),
                    status(&element),
                    rule_hash(acl, &element)
                );
            }
        }
    }
    count.max(1)
}

/// One concrete service an entry's protocol and port slots stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Service {
    protocol: Protocol,
    source_port: Option<PortMatch>,
    destination_service: Option<DestService>,
}

fn dest_port(ace: &Ace) -> Option<&PortMatch> {
    match &ace.destination_service {
        Some(DestService::Port(p)) => Some(p),
        _ => None,
    }
}

fn port_group(p: Option<&PortMatch>) -> Option<&str> {
    match p {
        Some(PortMatch::Group(g)) => Some(g),
        _ => None,
    }
}

/// The services of an entry: service objects and groups, protocol groups and port groups
/// replaced by what they hold (each kept as written when it cannot be expanded).
fn expand_services(cfg: &Config, ace: &Ace) -> Vec<Service> {
    let written = Service {
        protocol: ace.protocol.clone(),
        source_port: ace.source_port.as_deref().cloned(),
        destination_service: ace.destination_service.clone(),
    };
    let mut protocols = Vec::new();
    match &ace.protocol {
        Protocol::Named(_) => protocols.push(written.clone()),
        Protocol::Object(n) => service_object_services(cfg, n, &mut protocols),
        Protocol::Group(g) => group_services(cfg, g, 0, &written, &mut protocols),
    }
    if protocols.is_empty() {
        protocols.push(written);
    }
    let mut out = Vec::new();
    for service in protocols {
        let sources = expand_ports(cfg, service.source_port.as_ref());
        let destinations = match &service.destination_service {
            Some(DestService::Port(p)) => expand_ports(cfg, Some(p))
                .into_iter()
                .map(|p| p.map(DestService::Port))
                .collect(),
            other => vec![other.clone()],
        };
        for s in &sources {
            for d in &destinations {
                out.push(Service {
                    protocol: service.protocol.clone(),
                    source_port: s.clone(),
                    destination_service: d.clone(),
                });
            }
        }
    }
    out
}

/// A port condition, or the `port-object`s of the port group it names.
fn expand_ports(cfg: &Config, p: Option<&PortMatch>) -> Vec<Option<PortMatch>> {
    let Some(group) = port_group(p) else {
        return vec![p.cloned()];
    };
    let mut out = Vec::new();
    if let Some(block) = find_group(cfg, group).and_then(|id| cfg.block(id)) {
        for child in block.children() {
            let words: Vec<&str> = child.text.split_whitespace().collect();
            match words.as_slice() {
                ["port-object", "eq", port] => out.push(Some(PortMatch::Eq((*port).into()))),
                ["port-object", "range", a, b] => {
                    out.push(Some(PortMatch::Range((*a).into(), (*b).into())));
                }
                _ => {}
            }
        }
    }
    if out.is_empty() {
        out.push(p.cloned());
    }
    out
}

/// The services of `object service <name>` (its `service ...` line).
fn service_object_services(cfg: &Config, name: &str, out: &mut Vec<Service>) {
    let Some(block) = cfg
        .find_definition(["object", "service", name])
        .and_then(|id| cfg.block(id))
    else {
        return;
    };
    for child in block.children() {
        let words: Vec<&str> = child.text.split_whitespace().collect();
        if let ["service", spec @ ..] = words.as_slice()
            && let Some(s) = service_spec(spec)
        {
            out.push(s);
        }
    }
}

/// The services of `object-group service|protocol <name>`, nested groups followed; protocol
/// members keep the entry's own ports (`written`).
fn group_services(
    cfg: &Config,
    name: &str,
    depth: usize,
    written: &Service,
    out: &mut Vec<Service>,
) {
    if depth > MAX_GROUP_DEPTH {
        return;
    }
    let Some(block) = find_group(cfg, name).and_then(|id| cfg.block(id)) else {
        return;
    };
    for child in block.children() {
        let words: Vec<&str> = child.text.split_whitespace().collect();
        match words.as_slice() {
            ["service-object", "object", n] => service_object_services(cfg, n, out),
            ["service-object", spec @ ..] => out.extend(service_spec(spec)),
            ["protocol-object", p] => out.push(Service {
                protocol: Protocol::Named((*p).into()),
                ..written.clone()
            }),
            ["group-object", g] => group_services(cfg, g, depth + 1, written, out),
            _ => {}
        }
    }
}

/// Reads `<protocol> [source <ports>] [destination <ports>]` or `icmp <type> [<code>]` through
/// the entry grammar, so ports and ICMP types follow the same rules as in an entry.
fn service_spec(spec: &[&str]) -> Option<Service> {
    let (protocol, rest) = spec.split_first()?;
    let source_at = rest.iter().position(|w| *w == "source");
    let destination_at = rest.iter().position(|w| *w == "destination");
    let source = match (source_at, destination_at) {
        (Some(s), Some(d)) if s < d => rest.get(s + 1..d)?,
        (Some(s), _) => rest.get(s + 1..)?,
        _ => &[],
    };
    let destination = match (destination_at, source_at) {
        (Some(d), Some(s)) if d < s => rest.get(d + 1..s)?,
        (Some(d), _) => rest.get(d + 1..)?,
        (None, None) => rest,
        (None, Some(_)) => &[],
    };
    let text = format!(
        "permit {protocol} any {} any {}",
        source.join(" "),
        destination.join(" ")
    );
    let ace = parse_ace(&text).ok()?;
    Some(Service {
        protocol: ace.protocol,
        source_port: ace.source_port.map(|p| *p),
        destination_service: ace.destination_service,
    })
}

/// The entry as `show access-list` spells it: `log` with its level and interval.
fn show_text(ace: &Ace) -> String {
    let mut shown = ace.clone();
    if let Some(LogSpec::On { level, interval }) = &ace.log {
        shown.log = Some(LogSpec::On {
            level: Some(level.unwrap_or(Severity::Informational)),
            interval: Some(interval.unwrap_or(300)),
        });
    }
    shown.to_string()
}

/// The addresses an object or group stands for (itself when it is neither).
fn expand_endpoint(cfg: &Config, e: &Endpoint) -> Vec<Endpoint> {
    let mut out = Vec::new();
    match e {
        Endpoint::Object(n) => expand_object(cfg, n, &mut out),
        Endpoint::Group(n) => expand_group(cfg, n, 0, &mut out),
        other => out.push(other.clone()),
    }
    if out.is_empty() {
        out.push(e.clone());
    }
    out
}

fn expand_object(cfg: &Config, name: &str, out: &mut Vec<Endpoint>) {
    let Some(block) = cfg
        .lookup(&Key::Object(name.to_owned()))
        .and_then(|id| cfg.block(id))
    else {
        return;
    };
    for child in block.children() {
        if let Some(Command::Address(a)) = child.command()
            && let Some(e) = address_endpoint(&a)
        {
            out.push(e);
        }
    }
}

fn address_endpoint(a: &NetworkAddress) -> Option<Endpoint> {
    Some(match a {
        NetworkAddress::Host(ip) => Endpoint::Host(*ip),
        NetworkAddress::Subnet4 { network, mask } => Endpoint::Net4 {
            network: *network,
            mask: *mask,
        },
        NetworkAddress::Subnet6 { network, prefix } => Endpoint::Net6 {
            network: *network,
            prefix: *prefix,
        },
        NetworkAddress::Range(_) | NetworkAddress::Fqdn { .. } => return None,
    })
}

fn expand_group(cfg: &Config, name: &str, depth: usize, out: &mut Vec<Endpoint>) {
    if depth > MAX_GROUP_DEPTH {
        return;
    }
    let Some(block) = find_group(cfg, name).and_then(|id| cfg.block(id)) else {
        return;
    };
    for child in block.children() {
        let words: Vec<&str> = child.text.split_whitespace().collect();
        match words.as_slice() {
            ["network-object", "host", ip] => {
                if let Ok(ip) = ip.parse() {
                    out.push(Endpoint::Host(ip));
                }
            }
            ["network-object", "object", n] => expand_object(cfg, n, out),
            ["network-object", net, mask] => {
                if let (Ok(network), Ok(mask)) = (net.parse(), mask.parse()) {
                    out.push(Endpoint::Net4 { network, mask });
                }
            }
            ["network-object", net] => {
                if let Some((ip, len)) = net.split_once('/')
                    && let (Ok(network), Ok(prefix)) = (ip.parse(), len.parse())
                {
                    out.push(Endpoint::Net6 { network, prefix });
                }
            }
            ["group-object", g] => expand_group(cfg, g, depth + 1, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::entropy::Entropy;

    fn run(cfg: &mut Config, lines: &[&str]) -> Vec<Result<Step, CliError>> {
        let mut rng = Entropy::from_seed([1; 32]);
        let mut a = Applier { cfg, rng: &mut rng };
        lines
            .iter()
            .map(|l| match a.access_command(l) {
                Some(r) => r,
                None => a.top_level(l),
            })
            .collect()
    }

    fn acl_lines(cfg: &Config) -> Vec<String> {
        cfg.iter()
            .filter(|(_, b)| b.head().text.starts_with("access-"))
            .map(|(_, b)| b.head().text.to_string())
            .collect()
    }

    #[test]
    fn standard_entries_are_validated_stored_shown_and_removed() {
        let mut cfg = Config::new();
        let r = run(
            &mut cfg,
            &[
                "access-list ospf standard permit any",
                "access-list ospf standard deny host 198.18.0.1",
                "access-list ospf line 1 standard deny 198.18.0.0 255.254.0.0",
            ],
        );
        assert!(r.iter().all(Result::is_ok), "{r:?}");
        assert_eq!(
            acl_lines(&cfg),
            [
                "access-list ospf standard deny 198.18.0.0 255.254.0.0",
                "access-list ospf standard permit any4",
                "access-list ospf standard deny host 198.18.0.1",
            ]
        );
        let shown = show_access_list(&cfg, Some("ospf")).unwrap();
        assert!(
            shown.contains("access-list ospf; 3 elements; name hash: 0x"),
            "{shown}"
        );
        assert!(shown.contains("access-list ospf line 2 standard permit any4 (hitcnt=0) 0x"));

        let bad = "access-list ospf standard permit 10.0.0.0 255.0.255.0";
        let r = run(&mut cfg, &[bad]);
        assert!(
            matches!(&r[0], Err(CliError::InvalidInput { offset, .. }) if *offset == bad.find("255.0.255.0").unwrap()),
            "{r:?}"
        );
        let r = run(&mut cfg, &["access-list ospf standard permit any4"]);
        assert!(
            matches!(&r[0], Ok(Step::Done(Some(w))) if w.contains("duplicate")),
            "{r:?}"
        );
        assert_eq!(acl_lines(&cfg).len(), 3);

        let r = run(
            &mut cfg,
            &["no access-list ospf standard deny host 198.18.0.1"],
        );
        assert!(r[0].is_ok(), "{r:?}");
        assert_eq!(acl_lines(&cfg).len(), 2);
    }

    #[test]
    fn entries_go_in_order_and_line_inserts_count_remarks() {
        let mut cfg = Config::new();
        let r = run(
            &mut cfg,
            &[
                "access-list a extended permit tcp any any eq 443",
                "access-list a extended deny ip any any",
                "access-list a line 1 remark top",
                "access-list a line 3 extended permit udp any any eq 53",
            ],
        );
        assert!(r.iter().all(Result::is_ok), "{r:?}");
        assert_eq!(
            acl_lines(&cfg),
            [
                "access-list a remark top",
                "access-list a extended permit tcp any any eq 443",
                "access-list a extended permit udp any any eq 53",
                "access-list a extended deny ip any any",
            ]
        );
    }

    #[test]
    fn missing_references_are_refused() {
        let mut cfg = Config::new();
        let r = run(
            &mut cfg,
            &[
                "access-list a extended permit ip object nope any",
                "access-list a extended permit ip any object-group g",
                "access-list a extended permit ip any any time-range t",
            ],
        );
        assert_eq!(r[0], Err(CliError::NoSuchObject("nope".into())));
        assert_eq!(r[1], Err(CliError::NoSuchObjectGroup("g".into())));
        assert_eq!(r[2], Err(CliError::NoSuchTimeRange("t".into())));
        assert!(acl_lines(&cfg).is_empty());
    }

    #[test]
    fn removing_the_last_entry_drops_the_access_group() {
        let mut cfg = Config::new();
        let r = run(
            &mut cfg,
            &[
                "access-list a extended permit ip any any",
                "access-group a global",
                "no access-list a extended permit ip any any",
            ],
        );
        assert!(r.iter().all(Result::is_ok), "{r:?}");
        assert!(acl_lines(&cfg).is_empty());
        let r = run(&mut cfg, &["access-group a global"]);
        assert_eq!(r[0], Err(CliError::NoSuchAccessList("a".into())));
    }

    #[test]
    fn clear_configure_takes_the_lists_and_their_groups() {
        let mut cfg = Config::new();
        let r = run(
            &mut cfg,
            &[
                "access-list a extended permit ip any any",
                "access-list a remark kept until cleared",
                "access-list b extended deny ip any any",
                "access-group a global",
                "clear configure access-list a",
            ],
        );
        assert!(r.iter().all(Result::is_ok), "{r:?}");
        assert_eq!(acl_lines(&cfg), ["access-list b extended deny ip any any"]);
        let r = run(&mut cfg, &["no access-list b", "access-group b global"]);
        assert_eq!(r[0], Ok(Step::Done(None)));
        assert_eq!(r[1], Err(CliError::NoSuchAccessList("b".into())));
        assert!(acl_lines(&cfg).is_empty());
    }

    #[test]
    fn no_access_list_matches_rules_spelled_otherwise() {
        let mut cfg = Config::new();
        cfg.insert_placed(Block::leaf(Entry::verbatim(
            "access-list a extended permit tcp any  any eq 443 log",
        )));
        let r = run(
            &mut cfg,
            &[
                "no access-list a extended permit tcp any any eq 443",
                "no access-list a extended permit tcp any any eq 80",
            ],
        );
        assert_eq!(r[0], Ok(Step::Done(None)));
        assert!(matches!(r[1], Err(CliError::InvalidInput { .. })));
        assert!(acl_lines(&cfg).is_empty());
    }

    #[test]
    fn duplicates_are_warned_and_bad_words_are_marked() {
        let mut cfg = Config::new();
        let r = run(
            &mut cfg,
            &[
                "access-list a extended permit ip any any",
                "access-list a extended permit ip any any",
                "access-list a extended permit ip any any bogus",
            ],
        );
        assert_eq!(
            r[1],
            Ok(Step::Done(Some(
                "WARNING: a found duplicate element".into()
            )))
        );
        assert!(matches!(
            r[2],
            Err(CliError::InvalidInput { offset: 41, .. })
        ));
        assert_eq!(acl_lines(&cfg).len(), 1);
    }

    #[test]
    fn show_access_list_counts_elements_and_expands_objects() {
        let mut cfg = Config::new();
        let mut rng = Entropy::from_seed([1; 32]);
        let mut a = Applier {
            cfg: &mut cfg,
            rng: &mut rng,
        };
        match a.top_level("object network web") {
            Ok(Step::Enter(mut sub)) => assert!(a.sub_command(&mut sub, "host 10.0.0.1").is_ok()),
            other => panic!("{other:?}"),
        }
        let r = run(
            &mut cfg,
            &[
                "access-list a remark hello",
                "access-list a extended permit tcp any object web eq https log",
                "access-list a extended deny ip any any inactive",
            ],
        );
        assert!(r.iter().all(Result::is_ok), "{r:?}");
        let out = show_access_list(&cfg, Some("a")).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[2],
            format!(
                "access-list a; 2 elements; name hash: 0x{:08x}",
                name_hash("a")
            )
        );
        assert_eq!(lines[3], "access-list a line 1 remark hello");
        assert!(lines[4].starts_with(
            "access-list a line 2 extended permit tcp any object web eq https log informational interval 300 (hitcnt=0) 0x"
        ));
        assert!(lines[5].starts_with(
            "  access-list a line 2 extended permit tcp any host 10.0.0.1 eq https log informational interval 300 (hitcnt=0) 0x"
        ));
        assert!(lines[6].contains("inactive (hitcnt=0) (inactive) 0x"));
        assert_eq!(
            show_access_list(&cfg, Some("zz")),
            Err(CliError::NoSuchAccessList("zz".into()))
        );
    }
}
