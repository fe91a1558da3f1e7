//! Configuration command semantics: what each command does to the running configuration,
//! its `no` form, the sub-mode it opens, and the ASA error it fails with.
//!
//! Typed families (hostname, interfaces, users, network objects, logging) have exact
//! semantics. Any other well-formed line (its first word is a configuration keyword) is kept
//! verbatim: it is placed where the ASA prints its family, an identical line is not added
//! twice, single-valued settings (`pager lines`, `mtu <if>`, `timeout <x>` ...) replace their
//! previous value, and `no <line>` removes the line it names.

use cli_translator::ast::{Command, Logging, NetworkAddress};
use cli_translator::parse::{ParseError, ParseErrorKind, parse_command};

use super::aaa::hash_password;
use super::config::{Block, BlockId, Config, Entry, Key};
use super::entropy::Entropy;
use super::error::CliError;
use super::families;
use super::in_use;
use super::load::harden;
use super::modes::{self, SubKind, Submode};
use super::refs;
use super::sections::{self, first_words, starts_with_words};

/// What a command did to the session's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Applied (or nothing to do); with an informational message to print, if any.
    Done(Option<String>),
    /// Entered a sub-mode.
    Enter(Submode),
    /// `exit`: leave the sub-mode, or configuration mode at top level.
    Exit,
    /// `end`: leave configuration mode.
    End,
}

/// `no` lines the ASA keeps in its configuration (they turn off something on by default).
const STORED_NEGATIONS: &[&str] = &[
    "arp permit-nonconnected",
    "asdm history enable",
    "call-home reporting anonymous",
    "failover",
    "logging message",
    "mac-address auto",
    "monitor-interface",
    "service password-recovery",
    "snmp-server contact",
    "snmp-server location",
    "threat-detection",
];

/// Top-level settings that hold one value: a new line replaces the line with the same key
/// (the first `n` words).
const SINGLE_VALUED: &[(&str, usize)] = &[
    ("arp timeout", 2),
    ("asdm image", 2),
    ("clock timezone", 2),
    ("console timeout", 2),
    ("dhcpd dns", 2),
    ("dhcpd domain", 2),
    ("dhcpd lease", 2),
    ("dhcpd ping_timeout", 2),
    ("dhcpd wins", 2),
    ("dhcprelay timeout", 2),
    ("domain-name", 1),
    ("enable password", 2),
    ("ftp mode", 2),
    ("http server enable", 3),
    ("logging asdm", 2),
    ("logging buffer-size", 2),
    ("logging console", 2),
    ("logging device-id", 2),
    ("logging facility", 2),
    ("logging history", 2),
    ("logging mail", 2),
    ("logging message", 3),
    ("logging monitor", 2),
    ("logging queue", 2),
    ("mtu", 2),
    ("pager", 1),
    ("regex", 2),
    ("passwd", 1),
    ("route", 5),
    ("snmp-server contact", 2),
    ("snmp-server location", 2),
    ("ssh timeout", 2),
    ("ssh version", 2),
    ("telnet timeout", 2),
    ("terminal width", 2),
    ("timeout", 2),
];

/// Sub-commands that hold one value within their block.
const SINGLE_VALUED_CHILDREN: &[&str] = &[
    "absolute",
    "channel-group",
    "description",
    "domain-name",
    "duplex",
    "mac-address",
    "retries",
    "service-type",
    "speed",
    "timeout",
    "vlan",
];

/// Byte offset of the `n`th (0-based) word of `line`, or its length.
pub fn word_offset(line: &str, n: usize) -> usize {
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            if seen == n {
                return i;
            }
            seen += 1;
            in_word = true;
        }
    }
    line.len()
}

pub(crate) fn parse_error(line: &str, e: ParseError) -> CliError {
    match e.kind {
        ParseErrorKind::Incomplete => CliError::Incomplete,
        ParseErrorKind::Invalid | ParseErrorKind::NotModelled => CliError::invalid(line, e.offset),
    }
}

/// Whether `text` refers to network object `name` (`object name`, `network-object object name`,
/// or after `static`/`dynamic` in a `nat` line), or to object group `name` when `group`.
pub fn mentions(text: &str, name: &str, group: bool) -> bool {
    if !text.contains(name) {
        return false;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let is_nat = words.first().is_some_and(|w| *w == "nat");
    // NAT names objects and groups alike (and service objects): ask the NAT grammar.
    if is_nat && let Some(hit) = in_use::nat_uses(text, name) {
        return hit;
    }
    let mut after_mode = false;
    let mut prev = "";
    for w in &words {
        if *w == name {
            let hit = if group {
                prev == "object-group" || prev == "group-object"
            } else {
                prev == "object" || (is_nat && after_mode)
            };
            if hit {
                return true;
            }
        }
        if *w == "static" || *w == "dynamic" {
            after_mode = true;
        }
        prev = w;
    }
    false
}

/// Splits `GigabitEthernet0/1` into `GigabitEthernet` and `0/1`.
fn split_alpha(name: &str) -> (&str, &str) {
    let cut = name
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(name.len());
    name.split_at(cut)
}

/// Applies commands to a configuration.
#[derive(Debug)]
pub struct Applier<'a> {
    pub cfg: &'a mut Config,
    pub rng: &'a mut Entropy,
}

impl Applier<'_> {
    // ===== top level =====

    /// A command typed at the top of configuration mode (`line` trimmed).
    pub fn top_level(&mut self, line: &str) -> Result<Step, CliError> {
        for family in families::candidates(line) {
            if let Some(step) = family.apply(self, line) {
                return step;
            }
        }
        if let Some(rest) = strip_words(line, "clear configure") {
            return self.clear_configure(line, rest);
        }
        match parse_command(line) {
            Ok(cmd) => self.typed_top(cmd, line),
            Err(e) if e.kind == ParseErrorKind::NotModelled => self.verbatim_top(line),
            Err(e) => Err(parse_error(line, e)),
        }
    }

    pub(crate) fn typed_top(&mut self, cmd: Command, line: &str) -> Result<Step, CliError> {
        match cmd {
            Command::Hostname(h) => {
                self.set_hostname(h);
                Ok(Step::Done(None))
            }
            Command::Interface(hw) => self.enter_interface(&hw, line),
            cmd @ Command::Username { .. } => {
                self.set_user(cmd);
                Ok(Step::Done(None))
            }
            Command::NoUsername(name) => self.remove_user(&name),
            Command::ObjectNetwork(name) => self.enter_object(name),
            Command::NoObjectNetwork(name) => self.remove_object(&name),
            Command::Logging(l) => self.set_logging(l),
            Command::NoLogging(l) => {
                self.unset_logging(&l);
                Ok(Step::Done(None))
            }
            Command::ConfigureTerminal => Ok(Step::Done(None)),
            Command::Exit => Ok(Step::Exit),
            Command::End => Ok(Step::End),
            // Sub-commands outside their mode.
            _ => Err(CliError::invalid(line, 0)),
        }
    }

    fn set_hostname(&mut self, name: String) {
        let entry = Entry::typed(Command::Hostname(name));
        match self.cfg.lookup(&Key::Hostname) {
            Some(id) => {
                self.cfg.update(id, |b| b.head = entry);
            }
            None => {
                self.cfg.insert_placed(Block::leaf(entry));
            }
        }
    }

    // ----- interfaces -----

    /// Finds an interface by exact name, or by an unambiguous abbreviation of its type
    /// (`gi0/1`, `management0/0`), as the ASA CLI accepts.
    pub fn resolve_interface(&self, name: &str) -> Option<BlockId> {
        if let Some(id) = self.cfg.lookup(&Key::Interface(name.to_owned())) {
            return Some(id);
        }
        let (alpha, rest) = split_alpha(name);
        if alpha.is_empty() {
            return None;
        }
        let alpha = alpha.to_ascii_lowercase();
        let mut found: Option<(BlockId, String)> = None;
        for (id, b) in self.cfg.iter() {
            if let Some(Command::Interface(hw)) = b.head().typed_as("interface") {
                let (ha, hr) = split_alpha(&hw);
                if hr.eq_ignore_ascii_case(rest) && ha.to_ascii_lowercase().starts_with(&alpha) {
                    match found {
                        Some((_, ref other)) if *other != hw => return None,
                        Some(_) => {}
                        None => found = Some((id, hw)),
                    }
                }
            }
        }
        found.map(|(id, _)| id)
    }

    fn interface_name(&self, id: BlockId) -> Option<String> {
        match self.cfg.block(id)?.head().command()? {
            Command::Interface(hw) => Some(hw),
            _ => None,
        }
    }

    /// The canonical name of an interface that may be created: a sub-interface of an
    /// existing physical interface, or a logical one (Port-channel, Redundant, BVI).
    fn creatable_interface(&self, name: &str) -> Option<String> {
        if let Some((parent, sub)) = name.rsplit_once('.') {
            let parent = self.interface_name(self.resolve_interface(parent)?)?;
            if parent.contains('.') {
                return None;
            }
            let n: u32 = sub.parse().ok()?;
            if n == 0 || n > 4_294_967_293 {
                return None;
            }
            return Some(format!("{parent}.{n}"));
        }
        let (alpha, rest) = split_alpha(name);
        let n: u32 = rest.parse().ok()?;
        let alpha = alpha.to_ascii_lowercase();
        let logical: [(&str, usize, u32); 3] = [
            ("Port-channel", 2, 48),
            ("Redundant", 3, 8),
            ("BVI", 2, 250),
        ];
        logical.iter().find_map(|(full, min, max)| {
            let ok = alpha.len() >= *min
                && full.to_ascii_lowercase().starts_with(&alpha)
                && (1..=*max).contains(&n);
            ok.then(|| format!("{full}{n}"))
        })
    }

    fn enter_interface(&mut self, hw: &str, line: &str) -> Result<Step, CliError> {
        let id = match self.resolve_interface(hw) {
            Some(id) => id,
            None => {
                let Some(canonical) = self.creatable_interface(hw) else {
                    return Err(CliError::invalid(line, word_offset(line, 1)));
                };
                let children = vec![
                    Entry::typed(Command::NoNameif),
                    Entry::typed(Command::NoSecurityLevel),
                    Entry::typed(Command::NoIpAddress),
                ];
                self.cfg.insert_placed(Block::new(
                    Entry::typed(Command::Interface(canonical)),
                    children,
                ))
            }
        };
        Ok(Step::Enter(Submode {
            kind: SubKind::Interface,
            block: id,
            prompt: families::Interfaces::PROMPT,
            last_child: None,
        }))
    }

    /// The interface (other than `except`) whose nameif is `nameif`.
    fn nameif_owner(&self, nameif: &str, except: Option<BlockId>) -> Option<String> {
        let interface_rank = sections::rank_of_line("interface");
        // The interfaces' blocks only (issue 13: a route or NAT write read every block here).
        let interfaces: Vec<(BlockId, &Block)> = match self.cfg.blocks_of_family(interface_rank, "")
        {
            Some(ids) => ids
                .into_iter()
                .filter_map(|id| Some((id, self.cfg.block(id)?)))
                .collect(),
            None => self.cfg.iter().collect(),
        };
        for (id, b) in interfaces {
            if b.rank() != interface_rank || Some(id) == except {
                continue;
            }
            let named = b
                .children()
                .any(|c| matches!(c.command(), Some(Command::Nameif(n)) if n == nameif));
            if named && let Some(Command::Interface(hw)) = b.head().command() {
                return Some(hw);
            }
        }
        None
    }

    /// Whether any interface carries `nameif`.
    pub fn nameif_exists(&self, nameif: &str) -> bool {
        self.nameif_owner(nameif, None).is_some()
    }

    fn interface_sub(&mut self, id: BlockId, cmd: Command) -> Result<Step, CliError> {
        match cmd {
            Command::Nameif(name) => {
                if let Some(owner) = self.nameif_owner(&name, Some(id)) {
                    return Err(CliError::NameifInUse {
                        nameif: name,
                        interface: owner,
                    });
                }
                let default_level = if name == "inside" { 100 } else { 0 };
                let info = format!(
                    "INFO: Security level for \"{name}\" set to {default_level} by default."
                );
                set_child(
                    self.cfg,
                    id,
                    Entry::typed(Command::Nameif(name)),
                    ChildOrder::Interface,
                );
                let unset = self.cfg.block(id).is_some_and(|b| {
                    !b.children().any(|c| {
                        matches!(c.command(), Some(Command::SecurityLevel(_)))
                            || (c.command().is_none()
                                && starts_with_words(c.text, "security-level"))
                    })
                });
                if unset {
                    set_child(
                        self.cfg,
                        id,
                        Entry::typed(Command::SecurityLevel(default_level)),
                        ChildOrder::Interface,
                    );
                    return Ok(Step::Done(Some(info)));
                }
            }
            Command::NoShutdown => remove_slot(self.cfg, id, 1, ChildOrder::Interface),
            Command::NoDescription => remove_slot(self.cfg, id, 0, ChildOrder::Interface),
            other => set_child(self.cfg, id, Entry::typed(other), ChildOrder::Interface),
        }
        Ok(Step::Done(None))
    }

    // ----- users -----

    fn set_user(&mut self, cmd: Command) {
        let cmd = harden(cmd, self.rng);
        let Command::Username { name, .. } = &cmd else {
            return;
        };
        let key = Key::User(name.clone());
        let entry = Entry::typed(cmd);
        match self.cfg.lookup(&key) {
            Some(id) => {
                self.cfg.update(id, |b| b.head = entry);
            }
            None => {
                self.cfg.insert_placed(Block::leaf(entry));
            }
        }
    }

    fn remove_user(&mut self, name: &str) -> Result<Step, CliError> {
        let prefix = format!("username {name}");
        let key = Key::User(name.to_owned());
        let ids: Vec<BlockId> = self
            .cfg
            .iter()
            .filter(|(_, b)| {
                b.key().as_ref() == Some(&key) || starts_with_words(b.head().text, &prefix)
            })
            .map(|(id, _)| id)
            .collect();
        if ids.is_empty() {
            return Err(CliError::NoSuchUser(name.to_owned()));
        }
        if in_use::user_in_group(self.cfg, name) {
            return Err(CliError::NamedItemInUse {
                family: "username",
                name: name.to_owned(),
            });
        }
        for id in ids {
            self.cfg.remove(id);
        }
        Ok(Step::Done(None))
    }

    // ----- network objects -----

    fn enter_object(&mut self, name: String) -> Result<Step, CliError> {
        let id = match self.cfg.lookup(&Key::Object(name.clone())) {
            Some(id) => id,
            None => {
                let entry = Entry::typed(Command::ObjectNetwork(name.clone()));
                self.check_object_name(&entry.text)?;
                self.cfg.insert_placed(Block::leaf(entry))
            }
        };
        Ok(Step::Enter(Submode {
            kind: SubKind::Object(name),
            block: id,
            prompt: families::NetworkObjects::PROMPT,
            last_child: None,
        }))
    }

    /// Every block that is object `name` (its definition and its NAT block).
    pub(super) fn object_blocks(&self, name: &str) -> Vec<BlockId> {
        self.cfg.lookup_all(&Key::Object(name.to_owned()))
    }

    /// Whether any line outside `except` refers to the object (or group) `name`.
    pub fn is_referenced(&self, name: &str, group: bool, except: &[BlockId]) -> bool {
        // The counted words are a superset of the references: when `except` holds every
        // occurrence of the name, no other line names it and nothing needs reading.
        let total = self.cfg.refs().word(name);
        let own: u32 = except
            .iter()
            .filter_map(|id| self.cfg.block(*id))
            .map(|b| refs::count_in(b, name))
            .sum();
        if total <= own {
            return false;
        }
        self.cfg.iter().any(|(id, b)| {
            if except.contains(&id) {
                return false;
            }
            if b.head().is_typed_as("object") {
                // An object's own lines name no other object, except its NAT rule: skipping
                // the rest keeps deleting one of 20,000 objects from reading all of them.
                return b.children().any(|c| {
                    let text = c.text.trim_start_matches(' ');
                    text.starts_with("nat ") && mentions(text, name, group)
                });
            }
            mentions(b.head().text, name, group)
                || b.children().any(|c| mentions(c.text, name, group))
        })
    }

    fn remove_object(&mut self, name: &str) -> Result<Step, CliError> {
        let ids = self.object_blocks(name);
        if ids.is_empty() {
            return Err(CliError::NoSuchObject(name.to_owned()));
        }
        if self.is_referenced(name, false, &ids) {
            return Err(CliError::ObjectInUse(name.to_owned()));
        }
        for id in ids {
            self.cfg.remove(id);
        }
        Ok(Step::Done(None))
    }

    fn object_sub(&mut self, id: BlockId, cmd: Command) -> Result<Step, CliError> {
        match cmd {
            Command::Address(a) => {
                if let NetworkAddress::Subnet4 { network, mask } = &a
                    && u32::from(*network) & !u32::from(*mask) != 0
                {
                    return Err(CliError::AddressMaskMismatch {
                        address: network.to_string(),
                        mask: mask.to_string(),
                    });
                }
                set_child(
                    self.cfg,
                    id,
                    Entry::typed(Command::Address(a)),
                    ChildOrder::Object,
                );
            }
            Command::NoAddress(a) => {
                let matches_current = self.cfg.block(id).is_some_and(|b| {
                    b.children()
                        .any(|c| matches!(c.command(), Some(Command::Address(x)) if x == a))
                });
                if matches_current {
                    remove_slot(self.cfg, id, 0, ChildOrder::Object);
                }
            }
            Command::Description(_) => {
                set_child(self.cfg, id, Entry::typed(cmd), ChildOrder::Object)
            }
            Command::NoDescription => remove_slot(self.cfg, id, 1, ChildOrder::Object),
            _ => {}
        }
        Ok(Step::Done(None))
    }

    // ----- logging -----

    fn find_logging(&self, l: &Logging) -> Option<BlockId> {
        let logging_rank = sections::rank_of_line("logging");
        let host_prefix = match l {
            Logging::Host {
                nameif, address, ..
            } => Some(format!("logging host {nameif} {address}")),
            _ => None,
        };
        self.cfg
            .iter()
            .find(|(_, b)| {
                b.rank() == logging_rank
                    && match b.head().command() {
                        Some(Command::Logging(x)) => same_logging_slot(&x, l),
                        _ => host_prefix
                            .as_deref()
                            .is_some_and(|p| starts_with_words(b.head().text, p)),
                    }
            })
            .map(|(id, _)| id)
    }

    fn set_logging(&mut self, l: Logging) -> Result<Step, CliError> {
        if let Logging::Host { nameif, .. } = &l
            && !self.nameif_exists(nameif)
        {
            return Err(CliError::NoSuchNameif(nameif.clone()));
        }
        let existing = self.find_logging(&l);
        let entry = Entry::typed(Command::Logging(l));
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

    fn unset_logging(&mut self, l: &Logging) {
        if let Some(id) = self.find_logging(l) {
            self.cfg.remove(id);
        }
    }

    // ----- verbatim families -----

    fn verbatim_top(&mut self, line: &str) -> Result<Step, CliError> {
        if !modes::is_top_level_word(line) {
            let first = first_words(line, 1);
            let n = usize::from(first.eq_ignore_ascii_case("no"));
            return Err(CliError::invalid(line, word_offset(line, n)));
        }
        if let Some(rest) = strip_words(line, "no") {
            return self.verbatim_no(line, rest);
        }
        self.check_required_name(line)?;
        let line = self.protect_secrets(line);
        if let Some((_, prompt)) = modes::submode_of(&line, None) {
            let existing = self.find_head(&line);
            let id = match existing {
                Some(id) => id,
                None => {
                    self.check_object_name(&line)?;
                    self.cfg
                        .insert_placed(Block::leaf(Entry::verbatim(line.clone())))
                }
            };
            return Ok(Step::Enter(Submode {
                kind: SubKind::Verbatim,
                block: id,
                prompt,
                last_child: None,
            }));
        }
        self.verbatim_line(&line);
        Ok(Step::Done(None))
    }

    /// Refuses a line that needs an item no line defines (`ssl trust-point TP ...` without
    /// `crypto ca trustpoint TP`); the family registry says what each line needs and defines.
    fn check_required_name(&self, line: &str) -> Result<(), CliError> {
        let Some((kind, name)) = families::required_name(line) else {
            return Ok(());
        };
        let defined = self
            .cfg
            .iter()
            .any(|(_, b)| families::defined_name(b.head().text) == Some((kind, name)));
        if defined {
            return Ok(());
        }
        Err(match kind {
            "time-range" => CliError::NoSuchTimeRange(name.to_owned()),
            "trustpoint" => CliError::NoSuchTrustpoint(name.to_owned()),
            _ => CliError::NoSuchObject(name.to_owned()),
        })
    }

    fn find_head(&self, head: &str) -> Option<BlockId> {
        self.cfg
            .iter()
            .find(|(_, b)| b.head().text == head)
            .map(|(id, _)| id)
    }

    /// Stores a clear `enable password` or `passwd` as a pbkdf2 hash.
    fn protect_secrets(&mut self, line: &str) -> String {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (prefix_len, secret_at) = match words.as_slice() {
            ["enable", "password", ..] => (2, 2),
            ["passwd", ..] => (1, 1),
            _ => return line.to_owned(),
        };
        let Some(secret) = words.get(secret_at) else {
            return line.to_owned();
        };
        let rest = &words[secret_at + 1..];
        if rest.iter().any(|w| matches!(*w, "encrypted" | "pbkdf2")) {
            return line.to_owned();
        }
        let hash = hash_password(secret, self.rng.bytes());
        let mut out = words[..prefix_len].join(" ");
        out.push(' ');
        out.push_str(&hash);
        for w in rest {
            out.push(' ');
            out.push_str(w);
        }
        out.push_str(" pbkdf2");
        out
    }

    fn verbatim_line(&mut self, line: &str) {
        let is_banner = starts_with_words(line, "banner");
        if !is_banner && self.find_head(line).is_some() {
            return;
        }
        let negation = format!("no {line}");
        if let Some(id) = self.find_head(&negation) {
            self.cfg.remove(id);
            if STORED_NEGATIONS.iter().any(|p| starts_with_words(line, p)) {
                return;
            }
        }
        if let Some((list, position)) = access_list_line(line) {
            self.insert_access_list_line(&list, position);
            return;
        }
        if let Some(key) = single_key(line) {
            let no_key = format!("no {key}");
            let same: Vec<BlockId> = self
                .cfg
                .iter()
                .filter(|(_, b)| {
                    starts_with_words(b.head().text, key)
                        || starts_with_words(b.head().text, &no_key)
                })
                .map(|(id, _)| id)
                .collect();
            if let Some((first, others)) = same.split_first() {
                let entry = Entry::verbatim(line);
                self.cfg.update(*first, |b| b.head = entry);
                for id in others {
                    self.cfg.remove(*id);
                }
                return;
            }
        }
        if let Some(binding) = access_group_binding(line) {
            let existing = self
                .cfg
                .iter()
                .find(|(_, b)| access_group_binding(b.head().text) == Some(binding))
                .map(|(id, _)| id);
            if let Some(id) = existing {
                let entry = Entry::verbatim(line);
                self.cfg.update(id, |b| b.head = entry);
                return;
            }
        }
        self.cfg.insert_placed(Block::leaf(Entry::verbatim(line)));
    }

    /// `access-list NAME line N ...`: the entry goes before the Nth line of the list.
    fn insert_access_list_line(&mut self, text: &str, position: usize) {
        if self.find_head(text).is_some() {
            return;
        }
        let list = first_words(text, 2);
        let lines: Vec<usize> = self
            .cfg
            .iter()
            .enumerate()
            .filter(|(_, (_, b))| starts_with_words(b.head().text, list))
            .map(|(pos, _)| pos)
            .collect();
        let block = Block::leaf(Entry::verbatim(text));
        match lines.get(position.saturating_sub(1)) {
            Some(pos) => {
                self.cfg.insert_at(*pos, block);
            }
            None => {
                self.cfg.insert_placed(block);
            }
        }
    }

    fn verbatim_no(&mut self, line: &str, rest: &str) -> Result<Step, CliError> {
        if rest.is_empty() {
            return Err(CliError::Incomplete);
        }
        if let Some(hw) = strip_words(rest, "interface") {
            return self.remove_interface(line, hw);
        }
        if let Some(id) = strip_words(rest, "logging message").filter(|id| is_digits(id)) {
            // `no logging message N` disables the message: drop its level override and
            // keep the negation.
            let prefix = format!("logging message {id}");
            let ids: Vec<BlockId> = self
                .cfg
                .iter()
                .filter(|(_, b)| starts_with_words(b.head().text, &prefix))
                .map(|(id, _)| id)
                .collect();
            for id in ids {
                self.cfg.remove(id);
            }
            let negation = format!("no {prefix}");
            if self.find_head(&negation).is_none() {
                self.cfg
                    .insert_placed(Block::leaf(Entry::verbatim(negation)));
            }
            return Ok(Step::Done(None));
        }
        let target = self.find_head(rest).or_else(|| {
            self.cfg
                .iter()
                .find(|(_, b)| !b.is_separator() && starts_with_words(b.head().text, rest))
                .map(|(id, _)| id)
        });
        if let Some(id) = target {
            let head = self
                .cfg
                .block(id)
                .map(|b| b.head().text.to_string())
                .unwrap_or_default();
            if starts_with_words(&head, "object-group") {
                let name = head.split_whitespace().nth(2).unwrap_or_default();
                if self.is_referenced(name, true, &[id]) {
                    return Err(CliError::GroupInUse(name.to_owned()));
                }
            }
            if starts_with_words(&head, "object service") {
                let name = head.split_whitespace().nth(2).unwrap_or_default();
                if self.is_referenced(name, false, &[id]) {
                    return Err(CliError::ObjectInUse(name.to_owned()));
                }
            }
            if let Some((family, name)) = in_use::defined_name(&head)
                && in_use::is_referenced(self.cfg, family, name, id)
            {
                return Err(CliError::NamedItemInUse {
                    family,
                    name: name.to_owned(),
                });
            }
            self.cfg.remove(id);
            return Ok(Step::Done(None));
        }
        if STORED_NEGATIONS.iter().any(|p| starts_with_words(rest, p)) {
            let negation = format!("no {rest}");
            if self.find_head(&negation).is_none() {
                self.cfg
                    .insert_placed(Block::leaf(Entry::verbatim(negation)));
            }
        }
        Ok(Step::Done(None))
    }

    fn remove_interface(&mut self, line: &str, hw: &str) -> Result<Step, CliError> {
        let Some(id) = self.resolve_interface(hw) else {
            return Err(CliError::invalid(line, word_offset(line, 2)));
        };
        let name = self.interface_name(id).unwrap_or_default();
        let logical = name.contains('.')
            || ["Port-channel", "Redundant", "BVI"]
                .iter()
                .any(|p| name.starts_with(p));
        if !logical {
            return Err(CliError::CannotRemoveInterface(name));
        }
        self.check_nameif_free(id)?;
        // Its trailing `!` goes too when another `!` precedes the block.
        let pos = self.cfg.position(id).unwrap_or(0);
        let ids: Vec<BlockId> = self.cfg.iter().map(|(id, _)| id).collect();
        let before_is_bang = pos
            .checked_sub(1)
            .and_then(|p| ids.get(p))
            .and_then(|i| self.cfg.block(*i))
            .is_some_and(|b| b.head().text == "!");
        let after = ids.get(pos + 1).copied();
        self.cfg.remove(id);
        if before_is_bang
            && let Some(after) = after
            && self.cfg.block(after).is_some_and(|b| b.head().text == "!")
        {
            self.cfg.remove(after);
        }
        Ok(Step::Done(None))
    }

    fn clear_configure(&mut self, line: &str, rest: &str) -> Result<Step, CliError> {
        if rest.is_empty() {
            return Err(CliError::Incomplete);
        }
        if !modes::is_top_level_word(rest) {
            return Err(CliError::invalid(line, word_offset(line, 2)));
        }
        let ids: Vec<BlockId> = self
            .cfg
            .iter()
            .filter(|(_, b)| !b.is_separator() && starts_with_words(b.head().text, rest))
            .map(|(id, _)| id)
            .collect();
        for id in ids {
            self.cfg.remove(id);
        }
        Ok(Step::Done(None))
    }

    // ===== sub-modes =====

    /// A sub-command of the block `sub` edits. `text` is trimmed of the first level of
    /// indentation; deeper lines keep their extra spaces.
    pub fn sub_command(&mut self, sub: &mut Submode, text: &str) -> Result<Step, CliError> {
        let line = text.trim();
        let parsed = parse_command(line);
        match &parsed {
            Ok(Command::Exit) => return Ok(Step::Exit),
            Ok(Command::End) => return Ok(Step::End),
            _ => {}
        }
        if self.cfg.block(sub.block).is_none() {
            return Err(CliError::invalid(line, 0));
        }
        let head = self
            .cfg
            .block(sub.block)
            .map(|b| b.head().text.to_string())
            .unwrap_or_default();
        if let Some(step) = families::sub_command(self, sub, &head, text, parsed) {
            return step;
        }
        self.verbatim_child(sub, text, ChildOrder::Verbatim);
        Ok(Step::Done(None))
    }

    /// A sub-command of interface mode (`text` as for [`Applier::sub_command`]).
    pub(crate) fn interface_sub_command(
        &mut self,
        sub: &mut Submode,
        text: &str,
        parsed: Result<Command, ParseError>,
    ) -> Result<Step, CliError> {
        let line = text.trim();
        match parsed {
            Ok(cmd) if modes::is_interface_sub(&cmd) => {
                self.check_interface_sub(sub.block, &cmd)?;
                let rename = self.nameif_rename(sub.block, &cmd);
                let step = self.interface_sub(sub.block, cmd)?;
                if let Some((old, new)) = rename {
                    self.rename_nameif_references(sub.block, &old, &new);
                }
                Ok(step)
            }
            Ok(_) => Err(CliError::invalid(line, 0)),
            Err(e) if e.kind == ParseErrorKind::NotModelled => {
                if !modes::is_interface_word(line) {
                    return Err(CliError::invalid(line, word_offset(line, negated(line))));
                }
                self.check_interface_line(sub.block, line)?;
                let canonical = self.canonical_interface_line(sub.block, line);
                let text = canonical.as_deref().unwrap_or(text);
                self.verbatim_child(sub, text, ChildOrder::Interface);
                Ok(Step::Done(None))
            }
            Err(e) => Err(parse_error(line, e)),
        }
    }

    /// A sub-command of `object network <name>` mode.
    pub(crate) fn network_object_sub_command(
        &mut self,
        sub: &Submode,
        name: &str,
        line: &str,
        parsed: Result<Command, ParseError>,
    ) -> Result<Step, CliError> {
        match parsed {
            Ok(cmd) if modes::is_object_sub(&cmd) => self.object_sub(sub.block, cmd),
            Ok(_) => Err(CliError::invalid(line, 0)),
            Err(e) if e.kind == ParseErrorKind::NotModelled => {
                if modes::key_word(line) == "nat" {
                    self.object_nat(name, line)
                } else {
                    Err(CliError::invalid(line, word_offset(line, 0)))
                }
            }
            Err(e) => Err(parse_error(line, e)),
        }
    }

    /// A verbatim sub-command: `no X` removes X; an identical line is not added twice; a
    /// single-valued setting replaces the old value; nested lines go under the last
    /// shallower line of this session.
    fn verbatim_child(&mut self, sub: &mut Submode, text: &str, order: ChildOrder) {
        let id = sub.block;
        // A deeper line goes under a shallower one of this session; without one it is a
        // plain sub-command (the printed configuration could not show it deeper).
        let text = if sub.last_child.is_none() {
            text.trim_start()
        } else {
            text
        };
        let nested = text.starts_with(' ');
        let trimmed = text.trim_start();
        if let Some(rest) = strip_words(trimmed, "no") {
            let indent = &text[..text.len() - trimmed.len()];
            let target = format!("{indent}{rest}");
            self.cfg.update(id, |b| {
                let hit = b
                    .children
                    .iter()
                    .position(|c| c.text == target)
                    .or_else(|| {
                        b.children
                            .iter()
                            .position(|c| starts_with_words(&c.text, &target))
                    });
                if let Some(i) = hit {
                    b.children.remove(i);
                }
            });
            return;
        }
        let exists = self
            .cfg
            .block(id)
            .is_some_and(|b| b.children().any(|c| c.text == text));
        if exists {
            if !nested {
                sub.last_child = Some(text.to_owned());
            }
            return;
        }
        let entry = Entry::verbatim(text);
        if nested {
            let parent = sub.last_child.clone();
            self.cfg.update(id, |b| {
                let at = parent
                    .and_then(|p| b.children.iter().position(|c| c.text == p))
                    .map(|i| {
                        let mut j = i + 1;
                        while b.children.get(j).is_some_and(|c| c.text.starts_with(' ')) {
                            j += 1;
                        }
                        j
                    })
                    .unwrap_or(b.children.len());
                b.children.insert(at, entry);
            });
            return;
        }
        sub.last_child = Some(text.to_owned());
        let word = first_words(text, 1).to_owned();
        let single = SINGLE_VALUED_CHILDREN.contains(&word.as_str());
        let negation = format!("no {text}");
        self.cfg.update(id, |b| {
            b.children.retain(|c| c.text != negation);
            if single
                && let Some(i) = b
                    .children
                    .iter()
                    .position(|c| first_words(&c.text, 1) == word)
            {
                b.children[i] = entry;
                return;
            }
            insert_ranked(&mut b.children, entry, order);
        });
    }
}

/// `line` without the leading words `prefix` (and the space after them).
pub fn strip_words<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(prefix)?;
    if rest.is_empty() {
        Some(rest)
    } else if rest.starts_with(' ') {
        Some(rest.trim_start())
    } else {
        None
    }
}

/// 1 when `line` starts with `no` (its significant word is the second), else 0.
pub fn negated(line: &str) -> usize {
    usize::from(
        line.split_whitespace()
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("no")),
    )
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn same_logging_slot(a: &Logging, b: &Logging) -> bool {
    match (a, b) {
        (Logging::Enable, Logging::Enable)
        | (Logging::Timestamp, Logging::Timestamp)
        | (Logging::Buffered(_), Logging::Buffered(_))
        | (Logging::Trap(_), Logging::Trap(_)) => true,
        (
            Logging::Host {
                nameif: n1,
                address: a1,
                ..
            },
            Logging::Host {
                nameif: n2,
                address: a2,
                ..
            },
        ) => n1 == n2 && a1 == a2,
        _ => false,
    }
}

/// The key of a single-valued top-level line.
fn single_key(line: &str) -> Option<&str> {
    SINGLE_VALUED
        .iter()
        .filter(|(prefix, _)| starts_with_words(line, prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, n)| first_words(line, *n))
}

/// `access-list NAME line N rest` -> (`access-list NAME rest`, N).
fn access_list_line(line: &str) -> Option<(String, usize)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["access-list", name, "line", n, rest @ ..] if !rest.is_empty() => {
            let n: usize = n.parse().ok().filter(|n| *n > 0)?;
            Some((format!("access-list {name} {}", rest.join(" ")), n))
        }
        _ => None,
    }
}

/// What an `access-group` line binds: `in interface inside`, `global` ...
fn access_group_binding(line: &str) -> Option<&str> {
    let rest = strip_words(line, "access-group")?;
    let after_name = rest.split_once(' ')?.1.trim_start();
    (!after_name.is_empty()).then_some(after_name)
}

/// How a block orders its children and which of them hold one value (a "slot").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildOrder {
    Interface,
    Object,
    Verbatim,
}

impl ChildOrder {
    /// The slot a child fills, if it is single-valued in this kind of block.
    fn slot(self, e: &Entry) -> Option<u8> {
        match self {
            ChildOrder::Interface => interface_slot(e),
            ChildOrder::Object => object_slot(e),
            ChildOrder::Verbatim => None,
        }
    }

    /// Print rank: children are kept in this order when inserted.
    fn rank(self, e: &Entry) -> u8 {
        if let Some(s) = self.slot(e) {
            return s;
        }
        match self {
            ChildOrder::Interface => match modes::key_word(&e.text) {
                "management-only"
                | "speed"
                | "duplex"
                | "vlan"
                | "mac-address"
                | "channel-group"
                | "member-interface"
                | "nve-only"
                | "redundant-interface"
                | "flowcontrol"
                | "lacp" => 2,
                "ip" => 6,
                _ => 7,
            },
            ChildOrder::Object | ChildOrder::Verbatim => u8::MAX,
        }
    }
}

/// Slots of interface sub-commands, in the order the ASA prints them.
fn interface_slot(e: &Entry) -> Option<u8> {
    if let Some(cmd) = e.command() {
        return match cmd {
            Command::Description(_) | Command::NoDescription => Some(0),
            Command::Shutdown | Command::NoShutdown => Some(1),
            Command::Nameif(_) | Command::NoNameif => Some(4),
            Command::SecurityLevel(_) | Command::NoSecurityLevel => Some(5),
            Command::IpAddress { .. } | Command::IpAddressDhcp { .. } | Command::NoIpAddress => {
                Some(6)
            }
            _ => None,
        };
    }
    let t = e.text.as_str();
    match modes::key_word(t) {
        "description" => Some(0),
        "shutdown" => Some(1),
        "nameif" => Some(4),
        "security-level" => Some(5),
        _ if starts_with_words(t, "ip address") || starts_with_words(t, "no ip address") => Some(6),
        _ => None,
    }
}

fn object_slot(e: &Entry) -> Option<u8> {
    match e.command() {
        Some(Command::Address(_)) => Some(0),
        Some(Command::Description(_)) => Some(1),
        Some(_) => None,
        None => match modes::key_word(&e.text) {
            "host" | "subnet" | "range" | "fqdn" => Some(0),
            "description" => Some(1),
            _ => None,
        },
    }
}

/// Inserts after the last child whose rank is not greater.
fn insert_ranked(children: &mut Vec<Entry>, entry: Entry, order: ChildOrder) {
    let rank = order.rank(&entry);
    let at = children
        .iter()
        .rposition(|c| order.rank(c) <= rank)
        .map_or(0, |i| i + 1);
    children.insert(at, entry);
}

/// Sets the child in `entry`'s slot: replaces the first child of that slot (dropping any
/// others), or inserts it in print order.
fn set_child(cfg: &mut Config, id: BlockId, entry: Entry, order: ChildOrder) {
    let Some(s) = order.slot(&entry) else {
        cfg.update(id, |b| insert_ranked(&mut b.children, entry, order));
        return;
    };
    cfg.update(id, |b| {
        let mut placed = false;
        let mut i = 0;
        while i < b.children.len() {
            if order.slot(&b.children[i]) == Some(s) {
                if placed {
                    b.children.remove(i);
                    continue;
                }
                b.children[i] = entry.clone();
                placed = true;
            }
            i += 1;
        }
        if !placed {
            insert_ranked(&mut b.children, entry, order);
        }
    });
}

fn remove_slot(cfg: &mut Config, id: BlockId, s: u8, order: ChildOrder) {
    cfg.update(id, |b| b.children.retain(|c| order.slot(c) != Some(s)));
}

/// A password on a `username` line, as it may be logged: never the secret.
pub fn mask_secrets(line: &str) -> String {
    const BEFORE_SECRET: &[&str] = &[
        "password",
        "passwd",
        "key",
        "secret",
        "pre-shared-key",
        "community",
        "authentication-key",
    ];
    let mut out = String::with_capacity(line.len());
    let mut mask_next = false;
    for (i, w) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if mask_next && !w.is_empty() {
            out.push_str("*****");
            mask_next = false;
            continue;
        }
        out.push_str(w);
        if BEFORE_SECRET.contains(&w) || (i == 0 && w == "passwd") {
            mask_next = true;
        }
    }
    out
}
