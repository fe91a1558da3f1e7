//! Failover and smart licensing (issue 14).
//!
//! Failover lines (`failover ...`, `[no] monitor-interface <nameif>`) are checked as the ASA
//! checks them: the link interfaces exist and carry no nameif, `failover interface ip` names
//! a failover link and its standby address is in the active address's subnet. Each line
//! fills one slot (`failover lan unit`, `failover key`, `failover interface ip <name>` ...):
//! a new line replaces the old one, `no <slot>` removes it. `show failover` reports what is
//! configured (this unit alone: the mate never answers).
//!
//! Smart licensing: the `license smart` block (` feature tier`, ` throughput level`,
//! ` privacy hostname|version`, one line per slot), the exec commands `license smart
//! register idtoken <token> [force]`, `license smart deregister`, `license smart renew
//! auth|id` (registration state in memory, as the ASAv keeps it in its trusted store), and
//! `show license [all|summary|status]`. A token is accepted by the command and judged later
//! (the ASAv asks Cisco asynchronously): here a token of at least 40 characters of
//! `[A-Za-z0-9%+/=-]` registers, any other fails the registration.

use std::fmt::Write as _;

use cli_translator::ast::Command;
use cli_translator::parse::ParseError;
use cli_translator::resources::failover::{
    FailoverSetup, FoLine, INTERFACE_DEFAULT, Role, UNIT_DEFAULT, parse_line,
};
use cli_translator::resources::licensing::{
    LicenseServerLine, SmartLicense, THROUGHPUTS, TIERS, activation_key, parse_license_server,
};
use cli_translator::resources::netflow::{MAX_COLLECTORS, parse_collector, parse_timer};

use super::apply::{Applier, Step, strip_words, word_offset};
use super::config::{Block, BlockId, Config, Entry};
use super::error::CliError;
use super::families::{CliFamily, Reading};
use super::modes::Submode;
use super::sections::starts_with_words;
use super::show::clock;
use super::{Now, SERIAL_NUMBER};

/// `failover ...` and `monitor-interface ...`.
pub(crate) struct Failover;
/// The `license smart` block.
pub(crate) struct Licensing;
/// `flow-export destination|template|delay|active ...` (NetFlow).
pub(crate) struct NetFlow;
/// `license-server ...` (shared licensing).
pub(crate) struct LicenseServer;

impl CliFamily for LicenseServer {
    fn name(&self) -> &'static str {
        "license-server"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["license-server"]
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        if line.starts_with("clear ") {
            return None;
        }
        Some(a.license_server(line))
    }
    fn secret_words(&self) -> &'static [&'static str] {
        &["license-server"]
    }
    /// `license-server secret <s>`, `license-server address <ip> secret <s> ...`.
    fn secret_index(&self, words: &[&str], indented: bool, _: Option<&str>) -> Option<usize> {
        use super::families::is;
        let w = |i: usize| words.get(i).copied();
        if indented || !is(w(0), "license-server") {
            None
        } else if is(w(1), "secret") {
            Some(2)
        } else if is(w(1), "address") && is(w(3), "secret") {
            Some(4)
        } else {
            None
        }
    }
}

impl CliFamily for NetFlow {
    fn name(&self) -> &'static str {
        "flow-export"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["flow-export"]
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        if line.starts_with("clear ") {
            return None;
        }
        Some(a.flow_export(line))
    }
}

super::families::simple_family!(
    Failover,
    "failover",
    ["failover", "monitor-interface"],
    failover_command,
    {
        fn sections(&self) -> &'static [(&'static str, super::sections::Section)] {
            &[
                ("failover", super::sections::Section::Failover),
                (
                    "monitor-interface",
                    super::sections::Section::MonitorInterface,
                ),
            ]
        }

        fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
            matches!(words, ["monitor-interface", _]).then_some(1)
        }
        /// `failover group <n>`.
        fn submode(
            &self,
            head: &super::families::Head<'_>,
            _: Option<&Command>,
        ) -> Option<(super::modes::SubKind, &'static str)> {
            (head.is(0, "failover") && head.is(1, "group"))
                .then_some((super::modes::SubKind::Verbatim, "config-fover-group"))
        }
        fn secret_words(&self) -> &'static [&'static str] {
            &["failover"]
        }
        /// `failover key [hex] <secret>`, `failover ipsec pre-shared-key [hex] <secret>`.
        fn secret_index(&self, words: &[&str], indented: bool, _: Option<&str>) -> Option<usize> {
            use super::families::{after_hex, is};
            let w = |i: usize| words.get(i).copied();
            if indented || !is(w(0), "failover") {
                None
            } else if is(w(1), "key") {
                Some(after_hex(words, 2))
            } else if is(w(1), "ipsec") && is(w(2), "pre-shared-key") {
                Some(after_hex(words, 3))
            } else {
                None
            }
        }
    }
);

impl CliFamily for Licensing {
    fn name(&self) -> &'static str {
        "license"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["license"]
    }
    /// The `license smart` block.
    fn submode(
        &self,
        head: &super::families::Head<'_>,
        _: Option<&Command>,
    ) -> Option<(super::modes::SubKind, &'static str)> {
        head.is(1, "smart")
            .then_some((super::modes::SubKind::Verbatim, "config-smart-lic"))
    }
    fn apply(&self, _a: &mut Applier<'_>, _line: &str) -> Option<Result<Step, CliError>> {
        None
    }
    fn sub_command(
        &self,
        a: &mut Applier<'_>,
        sub: &mut Submode,
        head: &str,
        text: &str,
        _parsed: &Result<Command, ParseError>,
    ) -> Option<Result<Step, CliError>> {
        if head != "license smart" {
            return None;
        }
        Some(a.smart_license_sub(sub.block, text.trim()))
    }
    fn check_sub(&self, head: &str, line: &str, _: Reading<'_>) -> Option<Result<(), CliError>> {
        if head != "license smart" {
            return None;
        }
        Some(license_slot(line).map(|_| ()))
    }
}

/// The slot of a `license smart` sub-command (its positive form).
fn license_slot(line: &str) -> Result<String, CliError> {
    let (negated, body) = match strip_words(line, "no") {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let at = |n: usize| CliError::invalid(line, word_offset(line, n + usize::from(negated)));
    let w: Vec<&str> = body.split_whitespace().collect();
    let value_ok = |v: Option<&&str>, allowed: &[&str]| {
        negated && v.is_none() || v.is_some_and(|v| allowed.contains(v))
    };
    match w.as_slice() {
        ["feature", "tier", rest @ ..] if rest.len() <= 1 => {
            if value_ok(rest.first(), TIERS) {
                Ok("feature tier".into())
            } else {
                Err(at(2))
            }
        }
        ["throughput", "level", rest @ ..] if rest.len() <= 1 => {
            if value_ok(rest.first(), THROUGHPUTS) {
                Ok("throughput level".into())
            } else {
                Err(at(2))
            }
        }
        ["privacy", "hostname" | "version"] => Ok(body.to_owned()),
        ["feature", "strong-encryption"] => Ok(body.to_owned()),
        ["feature", "tier" | "strong-encryption" | "context", ..] => Err(at(2)),
        ["feature"] | ["throughput"] | ["privacy"] => Err(CliError::Incomplete),
        [_, ..] => Err(at(0)),
        [] => Err(CliError::Incomplete),
    }
}

/// The slot a failover line's `no` form names, from the words after `no`.
fn failover_slot(line: &str, body: &str) -> Result<String, CliError> {
    let w: Vec<&str> = body.split_whitespace().collect();
    let at = |n: usize| CliError::invalid(line, word_offset(line, n + 1));
    let slot = match w.as_slice() {
        ["failover"] => "failover".to_owned(),
        ["failover", "lan", "unit", ..] => "failover lan unit".to_owned(),
        ["failover", "lan", "interface", ..] => "failover lan interface".to_owned(),
        ["failover", "lan", ..] => return Err(at(2)),
        ["failover", "link", ..] => "failover link".to_owned(),
        ["failover", "interface", "ip", name, ..] => format!("failover interface ip {name}"),
        ["failover", "interface", ..] => return Err(at(2)),
        ["failover", "key", ..] => "failover key".to_owned(),
        ["failover", "ipsec", "pre-shared-key", ..] => "failover ipsec pre-shared-key".to_owned(),
        ["failover", "replication", "http"] => "failover replication http".to_owned(),
        ["failover", "replication", "rate", ..] => "failover replication rate".to_owned(),
        ["failover", "interface-policy", ..] => "failover interface-policy".to_owned(),
        ["failover", "polltime", "interface", ..] => "failover polltime interface".to_owned(),
        ["failover", "polltime", ..] => "failover polltime unit".to_owned(),
        _ => return Err(at(1)),
    };
    Ok(slot)
}

/// The slot of a stored line (`failover polltime 2` is the unit's).
fn stored_slot(text: &str) -> Option<String> {
    parse_line(text).ok().map(|l| l.slot())
}

impl Applier<'_> {
    fn find_all(&self, pred: impl Fn(&str) -> bool) -> Vec<BlockId> {
        self.cfg
            .iter()
            .filter(|(_, b)| b.children().is_empty() && pred(b.head().text))
            .map(|(id, _)| id)
            .collect()
    }

    fn failover_setup(&self) -> FailoverSetup {
        let mut s = FailoverSetup::default();
        for (_, b) in self.cfg.iter() {
            let t = &b.head().text;
            if starts_with_words(t, "failover") || starts_with_words(t, "no failover") {
                s.absorb(t);
            }
        }
        s
    }

    /// A failover or monitor-interface line; `None` leaves it to the verbatim rules.
    pub fn failover_command(&mut self, line: &str) -> Option<Result<Step, CliError>> {
        if let Some(rest) = strip_words(line, "monitor-interface")
            .or_else(|| strip_words(line, "no monitor-interface"))
        {
            let negated = line.starts_with("no ");
            let at = 1 + usize::from(negated);
            let mut words = rest.split_whitespace();
            return match (words.next(), words.next()) {
                (None, _) => Some(Err(CliError::Incomplete)),
                (Some("service-module"), None) => None,
                (Some(n), None) if self.nameif_exists(n) => None,
                (Some(_), None) => Some(Err(CliError::invalid(line, word_offset(line, at)))),
                (Some(_), Some(_)) => Some(Err(CliError::invalid(line, word_offset(line, at + 1)))),
            };
        }
        if line.starts_with("clear ") {
            return None;
        }
        Some(self.failover_line(line))
    }

    fn failover_line(&mut self, line: &str) -> Result<Step, CliError> {
        if let Some(body) = strip_words(line, "no") {
            let slot = failover_slot(line, body)?;
            let ids = self.find_all(|t| stored_slot(t).as_deref() == Some(slot.as_str()));
            for id in ids {
                self.cfg.remove(id);
            }
            if slot == "failover" && self.find_all(|t| t == "no failover").is_empty() {
                self.cfg
                    .insert_placed(Block::leaf(Entry::verbatim("no failover")));
            }
            return Ok(Step::Done(None));
        }
        let parsed = parse_line(line).map_err(|e| match e.word() {
            Some(i) => CliError::invalid(line, word_offset(line, i)),
            None => CliError::Incomplete,
        })?;
        let setup = self.failover_setup();
        let stored = match &parsed {
            FoLine::Lan(name, hw) => {
                let hw = self.failover_interface(line, hw, 4)?;
                if self.nameif_exists(name) {
                    return Err(CliError::invalid(line, word_offset(line, 3)));
                }
                FoLine::Lan(name.clone(), hw)
            }
            FoLine::Link(name, Some(hw)) => {
                let hw = self.failover_interface(line, hw, 3)?;
                if setup.lan.as_ref().is_some_and(|(_, l)| *l == hw) {
                    // Sharing the LAN interface: the ASA stores the name alone.
                    match &setup.lan {
                        Some((n, _)) if n == name => FoLine::Link(name.clone(), None),
                        _ => return Err(CliError::invalid(line, word_offset(line, 2))),
                    }
                } else {
                    if self.nameif_exists(name)
                        || setup.lan.as_ref().is_some_and(|(n, _)| n == name)
                    {
                        return Err(CliError::invalid(line, word_offset(line, 2)));
                    }
                    FoLine::Link(name.clone(), Some(hw))
                }
            }
            FoLine::Link(name, None) => {
                if setup.lan.as_ref().is_none_or(|(n, _)| n != name) {
                    return Err(CliError::Incomplete);
                }
                parsed.clone()
            }
            FoLine::Ip(name, ip) => {
                let is_link = setup.lan.as_ref().is_some_and(|(n, _)| n == name)
                    || setup.link.as_ref().is_some_and(|(n, _)| n == name);
                if !is_link {
                    return Err(CliError::NotFailoverLink(name.clone()));
                }
                let net = |a: std::net::Ipv4Addr| u32::from(a) & u32::from(ip.mask);
                if net(ip.active) != net(ip.standby) || ip.active == ip.standby {
                    return Err(CliError::StandbyNotInSubnet);
                }
                parsed.clone()
            }
            FoLine::Monitor(..) => return Ok(Step::Done(None)),
            _ => parsed.clone(),
        };
        let slot = stored.slot();
        let text = stored.to_string();
        if let FoLine::Enable(true) = stored {
            for id in self.find_all(|t| t == "no failover") {
                self.cfg.remove(id);
            }
        }
        let same = self.find_all(|t| stored_slot(t).as_deref() == Some(slot.as_str()));
        match same.split_first() {
            Some((first, others)) => {
                let entry = Entry::verbatim(text);
                self.cfg.update(*first, |b| b.head = entry);
                for id in others {
                    self.cfg.remove(*id);
                }
            }
            None => {
                self.cfg.insert_placed(Block::leaf(Entry::verbatim(text)));
            }
        }
        Ok(Step::Done(None))
    }

    /// The canonical hardware id of a failover link interface: it exists, has no nameif.
    fn failover_interface(&self, line: &str, hw: &str, at: usize) -> Result<String, CliError> {
        let Some(id) = self.resolve_interface(hw) else {
            return Err(CliError::invalid(line, word_offset(line, at)));
        };
        let block = self.cfg.block(id);
        let name = match block.and_then(|b| b.head().command()) {
            Some(Command::Interface(name)) => name.clone(),
            _ => hw.to_owned(),
        };
        let named = block.is_some_and(|b| b.children().any(|c| c.text.starts_with("nameif ")));
        if named {
            return Err(CliError::FailoverInterfaceNamed(name));
        }
        Ok(name)
    }

    /// A `flow-export` line: a destination on a named interface (at most five), or a timer
    /// (one line per timer: a new value replaces the old).
    fn flow_export(&mut self, line: &str) -> Result<Step, CliError> {
        let (negated, body) = match strip_words(line, "no") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let shift = usize::from(negated);
        let w: Vec<&str> = body.split_whitespace().collect();
        match w.get(1).copied() {
            Some("destination") => {
                let c = parse_collector(body).ok_or_else(|| {
                    let at = if w.len() < 5 { None } else { Some(2) };
                    match at {
                        None => CliError::Incomplete,
                        Some(i) => CliError::invalid(line, word_offset(line, i + shift)),
                    }
                })?;
                if negated {
                    for id in self.find_all(|t| t == c.line()) {
                        self.cfg.remove(id);
                    }
                    return Ok(Step::Done(None));
                }
                if !self.nameif_exists(&c.nameif) {
                    return Err(CliError::invalid(line, word_offset(line, 2)));
                }
                if self.find_all(|t| t == c.line()).is_empty() {
                    let count = self
                        .find_all(|t| starts_with_words(t, "flow-export destination"))
                        .len();
                    if count >= MAX_COLLECTORS {
                        return Err(CliError::TooManyCollectors);
                    }
                    self.cfg
                        .insert_placed(Block::leaf(Entry::verbatim(c.line())));
                }
                Ok(Step::Done(None))
            }
            Some("template" | "delay" | "active") => {
                let slot = w.get(..3).map(|s| s.join(" ")).unwrap_or_default();
                if negated {
                    for id in self.find_all(|t| starts_with_words(t, &slot)) {
                        self.cfg.remove(id);
                    }
                    return Ok(Step::Done(None));
                }
                let (slot, _) = parse_timer(body).ok_or_else(|| {
                    if w.len() < 4 {
                        CliError::Incomplete
                    } else {
                        CliError::invalid(line, word_offset(line, w.len().min(4) - 1))
                    }
                })?;
                let same = self.find_all(|t| starts_with_words(t, slot));
                match same.split_first() {
                    Some((first, others)) => {
                        let entry = Entry::verbatim(body);
                        self.cfg.update(*first, |b| b.head = entry);
                        for id in others {
                            self.cfg.remove(*id);
                        }
                    }
                    None => {
                        self.cfg.insert_placed(Block::leaf(Entry::verbatim(body)));
                    }
                }
                Ok(Step::Done(None))
            }
            None => Err(CliError::Incomplete),
            Some(_) => Err(CliError::invalid(line, word_offset(line, 1 + shift))),
        }
    }

    /// A `license-server` line: checked, one line per slot (`enable` per interface).
    fn license_server(&mut self, line: &str) -> Result<Step, CliError> {
        if let Some(body) = strip_words(line, "no") {
            let w: Vec<&str> = body.split_whitespace().collect();
            let slot = match w.as_slice() {
                ["license-server", "enable", n, ..] => format!("license-server enable {n}"),
                [
                    "license-server",
                    s @ ("secret" | "port" | "refresh-interval" | "address"),
                    ..,
                ] => {
                    format!("license-server {s}")
                }
                ["license-server"] => return Err(CliError::Incomplete),
                _ => return Err(CliError::invalid(line, word_offset(line, 2))),
            };
            for id in self.find_all(|t| starts_with_words(t, &slot)) {
                self.cfg.remove(id);
            }
            return Ok(Step::Done(None));
        }
        let parsed = parse_license_server(line).map_err(|e| match e.word() {
            Some(i) => CliError::invalid(line, word_offset(line, i)),
            None => CliError::Incomplete,
        })?;
        if let LicenseServerLine::Enable(n) = &parsed
            && !self.nameif_exists(n)
        {
            return Err(CliError::invalid(line, word_offset(line, 2)));
        }
        let slot = parsed.slot();
        let same = self.find_all(|t| starts_with_words(t, &slot));
        match same.split_first() {
            Some((first, others)) => {
                let entry = Entry::verbatim(line);
                self.cfg.update(*first, |b| b.head = entry);
                for id in others {
                    self.cfg.remove(*id);
                }
            }
            None => {
                self.cfg.insert_placed(Block::leaf(Entry::verbatim(line)));
            }
        }
        Ok(Step::Done(None))
    }

    /// One line of the `license smart` block: one child per slot.
    fn smart_license_sub(&mut self, block: BlockId, text: &str) -> Result<Step, CliError> {
        let slot = license_slot(text)?;
        let negated = text.starts_with("no ");
        self.cfg.update(block, |b| {
            b.children.retain(|c| !starts_with_words(&c.text, &slot));
            if !negated {
                b.children.push(Entry::verbatim(text));
            }
        });
        Ok(Step::Done(None))
    }
}

/// The smart-licensing registration, kept in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LicenseState {
    registered: Option<Now>,
    /// The last attempt that failed, and when.
    failed: Option<Now>,
    renewed_auth: Option<Now>,
    renewed_id: Option<Now>,
    /// The permanent activation key written to flash by `activation-key` (it runs after a
    /// reload; until then the running key stays the one the unit booted with).
    flash_key: Option<String>,
}

/// The permanent activation key the simulated unit boots with.
pub const BOOT_ACTIVATION_KEY: &str = "0x00000000 0x00000000 0x00000000 0x00000000 0x00000000";

fn token_is_valid(token: &str) -> bool {
    token.len() >= 40
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'%' | b'+' | b'/' | b'=' | b'-'))
}

impl LicenseState {
    /// `license smart register idtoken <t> [force]`, `deregister`, `renew auth|id`.
    pub fn run(&mut self, line: &str, now: Now) -> Result<String, CliError> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = |n: usize| CliError::invalid(line, word_offset(line, n));
        match words.as_slice() {
            ["license", "smart", "register", "idtoken", token, rest @ ..] => {
                let force = match rest {
                    [] => false,
                    ["force"] => true,
                    _ => return Err(at(5)),
                };
                if self.registered.is_some() && !force {
                    return Ok(
                        "Smart Licensing: the device is already registered (use force to register again)\n"
                            .to_owned(),
                    );
                }
                if token_is_valid(token) {
                    self.registered = Some(now);
                    self.failed = None;
                } else {
                    self.registered = None;
                    self.failed = Some(now);
                }
                Ok(String::new())
            }
            ["license", "smart", "register", "idtoken"] => Err(CliError::Incomplete),
            ["license", "smart", "register", ..] => Err(at(3)),
            ["license", "smart", "deregister"] => {
                *self = LicenseState::default();
                Ok(String::new())
            }
            ["license", "smart", "renew", "auth"] => {
                self.renewed_auth = Some(now);
                Ok(String::new())
            }
            ["license", "smart", "renew", "id"] => {
                self.renewed_id = Some(now);
                Ok(String::new())
            }
            ["license", "smart", "renew"] => Err(CliError::Incomplete),
            ["license", "smart", "renew", ..] => Err(at(3)),
            ["license", "smart"] | ["license"] => Err(CliError::Incomplete),
            ["license", "smart", ..] => Err(at(2)),
            _ => Err(at(1)),
        }
    }

    /// `activation-key <key>`: the key goes to flash and runs after a reload.
    pub fn activate(&mut self, line: &str) -> Result<String, CliError> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let key_words = words.get(1..).unwrap_or_default();
        if key_words.is_empty() {
            return Err(CliError::Incomplete);
        }
        let key = activation_key(key_words)
            .ok_or_else(|| CliError::invalid(line, word_offset(line, 1)))?;
        let changed = key != BOOT_ACTIVATION_KEY;
        self.flash_key = Some(key);
        Ok(if changed {
            "The requested key is a permanent key.\nThe flash permanent activation key was updated with the requested key, and will become active after the next reload.\n".to_owned()
        } else {
            "The requested key is the running permanent key; nothing changed.\n".to_owned()
        })
    }

    /// `show activation-key`.
    pub fn show_activation(&self) -> String {
        let flash = self.flash_key.as_deref().unwrap_or(BOOT_ACTIVATION_KEY);
        let mut out = format!(
            "Serial Number:  {SERIAL_NUMBER}\nRunning Permanent Activation Key: {BOOT_ACTIVATION_KEY}\n\n"
        );
        if flash == BOOT_ACTIVATION_KEY {
            out.push_str(
                "The flash permanent activation key is the SAME as the running permanent key.\n",
            );
        } else {
            let _ = writeln!(out, "Flash Permanent Activation Key: {flash}");
            out.push_str(
                "The flash permanent activation key is DIFFERENT from the running permanent key.\nThe flash permanent activation key will be used after the next reload.\n",
            );
        }
        out
    }

    pub fn is_registered(&self) -> bool {
        self.registered.is_some()
    }

    /// `show license all` (and `status`): registration, authorization, configured levels.
    pub fn show(&self, cfg: &SmartLicense, now: Now) -> String {
        let mut out = String::new();
        out.push_str("Smart Licensing Status\n======================\n\n");
        out.push_str("Smart Licensing is ENABLED\n\nRegistration:\n");
        match self.registered {
            Some(at) => {
                out.push_str("  Status: REGISTERED\n");
                out.push_str("  Smart Account: Simulated Account\n");
                out.push_str("  Virtual Account: Default\n");
                out.push_str("  Export-Controlled Functionality: Allowed\n");
                let _ = writeln!(out, "  Initial Registration: SUCCEEDED on {}", clock(at));
                if let Some(r) = self.renewed_id {
                    let _ = writeln!(out, "  Last Renewal Attempt: SUCCEEDED on {}", clock(r));
                } else {
                    out.push_str("  Last Renewal Attempt: None\n");
                }
                let expires = Now {
                    unix: self.renewed_id.unwrap_or(at).unix + 365 * 86_400,
                    ..at
                };
                let _ = writeln!(out, "  Registration Expires: {}", clock(expires));
            }
            None => {
                out.push_str("  Status: UNREGISTERED\n");
                out.push_str("  Export-Controlled Functionality: Not Allowed\n");
                if let Some(f) = self.failed {
                    let _ = writeln!(out, "  Last Registration Attempt: FAILED on {}", clock(f));
                    out.push_str("  Failure reason: Invalid registration token\n");
                }
            }
        }
        out.push_str("\nLicense Authorization:\n");
        match (self.registered, self.renewed_auth) {
            (Some(at), renewed) => {
                let _ = writeln!(
                    out,
                    "  Status: AUTHORIZED on {}",
                    clock(renewed.unwrap_or(at))
                );
            }
            (None, _) => {
                let _ = writeln!(out, "  Status: EVALUATION MODE (checked {})", clock(now));
            }
        }
        out.push_str("\nLicense Usage\n==============\n\n");
        match (&cfg.feature_tier, &cfg.throughput) {
            (Some(tier), Some(level)) => {
                let _ = writeln!(out, "ASAv-{}-{level} ({tier}):", tier_code(tier));
                let _ = writeln!(out, "  Description: ASAv {tier} - {level}");
                out.push_str("  Count: 1\n  Version: 1.0\n");
                let status = if self.is_registered() {
                    "AUTHORIZED"
                } else {
                    "EVALUATION"
                };
                let _ = writeln!(out, "  Status: {status}");
            }
            _ => out.push_str(
                "No licenses in use: no feature tier and no throughput level configured\n",
            ),
        }
        let _ = write!(
            out,
            "\nProduct Information\n===================\nUDI: PID:ASAv,SN:{SERIAL_NUMBER}\n"
        );
        out
    }
}

fn tier_code(tier: &str) -> &'static str {
    match tier {
        "standard" => "STD",
        _ => "XXX",
    }
}

/// The smart-licensing settings the configuration holds.
pub fn smart_license(cfg: &Config) -> SmartLicense {
    let mut s = SmartLicense::default();
    for (_, b) in cfg.iter() {
        if b.head().text == "license smart" {
            let children: Vec<&str> = b.children().map(|c| c.text.trim()).collect();
            s.absorb_license("license smart", &children);
        }
    }
    s
}

/// The license lines of `show version`.
pub fn version_lines(state: &LicenseState, cfg: &Config) -> String {
    let lic = smart_license(cfg);
    let mut out = String::from("License mode: Smart Licensing\n");
    let _ = writeln!(
        out,
        "ASAv Platform License State: {}",
        if state.is_registered() {
            "Licensed"
        } else {
            "Unlicensed"
        }
    );
    match (&lic.feature_tier, &lic.throughput) {
        (Some(tier), Some(level)) => {
            let mode = if state.is_registered() {
                "Authorized"
            } else {
                "Evaluation"
            };
            let _ = writeln!(
                out,
                "Active entitlement: ASAv-{}-{level}, enforce mode: {mode}",
                tier_code(tier)
            );
        }
        _ => out.push_str(
            "No active entitlement: no feature tier and no throughput level configured\n",
        ),
    }
    out
}

/// `show failover`: this unit's view of what is configured.
pub fn show_failover(cfg: &Config, hostname: &str) -> String {
    let mut s = FailoverSetup::default();
    let mut named: Vec<(String, String)> = Vec::new();
    for (_, b) in cfg.iter() {
        let t = &b.head().text;
        if starts_with_words(t, "failover")
            || starts_with_words(t, "no failover")
            || starts_with_words(t, "monitor-interface")
            || starts_with_words(t, "no monitor-interface")
        {
            s.absorb(t);
        }
        if let Some(Command::Interface(hw)) = b.head().typed_as("interface")
            && let Some(n) = b.children().find_map(|c| c.text.strip_prefix("nameif "))
        {
            named.push((n.trim().to_owned(), hw.clone()));
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "Failover {}", if s.enabled { "On" } else { "Off" });
    let role = match s.unit {
        Some(Role::Secondary) => "Secondary",
        _ => "Primary",
    };
    let _ = writeln!(out, "Failover unit {role}");
    match &s.lan {
        Some((n, hw)) => {
            let _ = writeln!(out, "Failover LAN Interface: {n} {hw} (up)");
        }
        None => out.push_str("Failover LAN Interface: not Configured\n"),
    }
    out.push_str("Reconnect timeout 0:00:00\n");
    let up = s.unit_poll.unwrap_or(UNIT_DEFAULT);
    let ip = s.interface_poll.unwrap_or(INTERFACE_DEFAULT);
    let unit = |msec: bool| if msec { "milliseconds" } else { "seconds" };
    let _ = writeln!(
        out,
        "Unit Poll frequency {} {}, holdtime {} {}",
        up.poll,
        unit(up.poll_msec),
        up.hold,
        unit(up.hold_msec)
    );
    let _ = writeln!(
        out,
        "Interface Poll frequency {} {}, holdtime {} seconds",
        ip.poll,
        unit(ip.poll_msec),
        ip.hold
    );
    let (n, pct) = s.policy.unwrap_or((1, false));
    let _ = writeln!(out, "Interface Policy {n}{}", if pct { "%" } else { "" });
    let monitored: Vec<&(String, String)> = named
        .iter()
        .filter(|(n, hw)| match s.monitor.get(n) {
            Some(on) => *on,
            None => !hw.contains('.') && !hw.starts_with("Vlan"),
        })
        .collect();
    let _ = writeln!(
        out,
        "Monitored Interfaces {} of 1285 maximum",
        monitored.len()
    );
    if s.http_replicate {
        out.push_str("failover replication http\n");
    }
    if let Some((n, _)) = &s.link {
        let hw = match &s.link {
            Some((_, Some(hw))) => hw.clone(),
            _ => s.lan.as_ref().map(|(_, h)| h.clone()).unwrap_or_default(),
        };
        let _ = writeln!(
            out,
            "Stateful Failover Logical Update Statistics\n        Link : {n} {hw} (up)"
        );
    }
    if s.enabled {
        let _ = writeln!(out, "        This host: {role} - Active");
        for (n, _) in &monitored {
            let _ = writeln!(out, "                  Interface {n}: Normal (Waiting)");
        }
        let other = if role == "Primary" {
            "Secondary"
        } else {
            "Primary"
        };
        let _ = writeln!(out, "        Other host: {other} - Failed");
    }
    let _ = hostname;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_support::{boot, exec, ok, refused, running};
    use crate::engine::{Engine, EngineOptions};

    const CORPUS_FAILOVER: &str = "hostname asa-failover
interface GigabitEthernet0/2
 description LAN Failover Interface
!
interface GigabitEthernet0/3
 description STATE Failover Interface
!
failover
failover lan unit primary
failover lan interface FAILOVER GigabitEthernet0/2
failover link REPLICATION GigabitEthernet0/3
failover interface ip FAILOVER 172.16.1.1 255.255.255.252 standby 172.16.1.2
";

    #[test]
    fn the_corpus_failover_configuration_boots_and_prints_back() {
        let (mut e, _) = Engine::boot(
            CORPUS_FAILOVER,
            &EngineOptions::default(),
            [1; 32],
            Now::from_secs(1_795_353_601),
        );
        assert!(e.startup_errors().is_empty(), "{:?}", e.startup_errors());
        let shown = running(&mut e);
        for line in CORPUS_FAILOVER
            .lines()
            .filter(|l| l.starts_with("failover"))
        {
            assert!(shown.contains(&format!("{line}\n")), "{line} in\n{shown}");
        }
        let out = exec(&mut e, &["show failover"]);
        let text = &out.outcomes[0].output;
        assert!(
            text.starts_with("Failover On\nFailover unit Primary\n"),
            "{text}"
        );
        assert!(
            text.contains("Failover LAN Interface: FAILOVER GigabitEthernet0/2"),
            "{text}"
        );
    }

    #[test]
    fn failover_lines_fill_one_slot_each_and_are_checked() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "failover lan unit secondary",
                "failover lan interface fo GigabitEthernet0/2",
                "failover interface ip fo 10.0.0.1 255.255.255.0 standby 10.0.0.2",
                "failover polltime unit 2 holdtime 10",
                "failover polltime unit msec 500 holdtime 3",
                "failover key s3cr3t",
                "failover",
            ],
        );
        let shown = running(&mut e);
        assert!(shown.contains("failover lan unit secondary\n"), "{shown}");
        assert_eq!(shown.matches("failover polltime").count(), 1, "{shown}");
        assert!(
            shown.contains("failover polltime unit msec 500 holdtime 3\n"),
            "{shown}"
        );
        assert!(shown.contains("failover key *****\n"), "{shown}");
        assert!(!shown.contains("no failover\n"), "{shown}");
        ok(
            &mut e,
            &["no failover", "no failover polltime", "no failover key"],
        );
        let shown = running(&mut e);
        assert!(shown.contains("no failover\n"), "{shown}");
        assert!(!shown.contains("failover polltime"), "{shown}");
        assert!(!shown.contains("failover key"), "{shown}");
        assert!(
            shown.contains("failover lan interface fo GigabitEthernet0/2\n"),
            "{shown}"
        );

        // A named interface, a name that is no failover link, a standby outside the subnet.
        let out = refused(&mut e, &["failover link st Management0/0"]);
        assert!(out.contains("has a nameif"), "{out}");
        let out = refused(
            &mut e,
            &["failover interface ip nolink 10.1.0.1 255.255.255.0 standby 10.1.0.2"],
        );
        assert!(out.contains("not the name of a failover link"), "{out}");
        let out = refused(
            &mut e,
            &["failover interface ip fo 10.0.0.1 255.255.255.0 standby 10.9.0.2"],
        );
        assert!(out.contains("standby address"), "{out}");
        let out = refused(&mut e, &["failover lan unit tertiary"]);
        assert!(out.contains("Invalid input"), "{out}");
        let out = refused(&mut e, &["monitor-interface nosuch"]);
        assert!(out.contains("Invalid input"), "{out}");
        ok(&mut e, &["no monitor-interface management"]);
        assert!(running(&mut e).contains("no monitor-interface management\n"));
    }

    #[test]
    fn license_smart_block_keeps_one_line_per_slot_and_show_version_follows_it() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "license smart",
                " feature tier standard",
                " throughput level 1G",
                " throughput level 2G",
                "exit",
            ],
        );
        let shown = running(&mut e);
        assert!(
            shown.contains("license smart\n feature tier standard\n throughput level 2G\n"),
            "{shown}"
        );
        assert!(!shown.contains("throughput level 1G"), "{shown}");
        let out = refused(&mut e, &["license smart", " throughput level 3G"]);
        assert!(out.contains("Invalid input"), "{out}");
        let version = exec(&mut e, &["show version"]).outcomes[0].output.clone();
        assert!(
            version.contains("ASAv Platform License State: Unlicensed\n"),
            "{version}"
        );
        assert!(
            version.contains("Active entitlement: ASAv-STD-2G, enforce mode: Evaluation\n"),
            "{version}"
        );
        let r = exec(
            &mut e,
            &[
                "license smart register idtoken NjY0ZjRjYjAtYTI3Ni00ZjQ4LWIwYjAtY2QwNmE5ZDM1ZjQ3LTE2OTk5",
            ],
        );
        assert!(r.outcomes[0].ok, "{:?}", r.outcomes);
        let version = exec(&mut e, &["show version"]).outcomes[0].output.clone();
        assert!(
            version.contains("ASAv Platform License State: Licensed\n"),
            "{version}"
        );
        assert!(version.contains("enforce mode: Authorized"), "{version}");
    }

    #[test]
    fn license_sub_commands_have_one_slot_each() {
        assert_eq!(
            license_slot("throughput level 2G").unwrap(),
            "throughput level"
        );
        assert_eq!(
            license_slot("no throughput level").unwrap(),
            "throughput level"
        );
        assert!(license_slot("throughput level 3G").is_err());
        assert!(license_slot("feature tier gold").is_err());
        assert!(license_slot("frobnicate").is_err());
    }

    #[test]
    fn tokens_register_or_fail_and_deregister_clears() {
        let mut st = LicenseState::default();
        let now = Now::from_secs(1_795_612_801);
        st.run("license smart register idtoken short", now).unwrap();
        assert!(!st.is_registered());
        assert!(
            st.show(&SmartLicense::default(), now)
                .contains("Failure reason")
        );
        let token = "NjY0ZjRjYjAtYTI3Ni00ZjQ4LWIwYjAtY2QwNmE5ZDM1ZjQ3LTE2OTk5";
        st.run(&format!("license smart register idtoken {token}"), now)
            .unwrap();
        assert!(st.is_registered());
        assert!(
            st.show(&SmartLicense::default(), now)
                .contains("  Status: REGISTERED\n")
        );
        st.run("license smart deregister", now).unwrap();
        assert!(!st.is_registered());
        assert!(st.run("license smart renew", now).is_err());
        assert!(st.run("license smart register idtoken x y", now).is_err());
    }

    #[test]
    fn flow_export_checks_destinations_and_keeps_one_line_per_timer() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "flow-export destination management 10.0.0.9 2055",
                "flow-export template timeout-rate 10",
                "flow-export template timeout-rate 20",
            ],
        );
        let shown = running(&mut e);
        assert!(
            shown.contains("flow-export destination management 10.0.0.9 2055\n"),
            "{shown}"
        );
        assert!(
            shown.contains("flow-export template timeout-rate 20\n"),
            "{shown}"
        );
        assert!(!shown.contains("timeout-rate 10"), "{shown}");
        assert!(
            refused(&mut e, &["flow-export destination nosuch 10.0.0.9 2055"])
                .contains("Invalid input")
        );
        assert!(refused(&mut e, &["flow-export delay flow-create 999"]).contains("Invalid input"));
        for i in 1..5 {
            ok(
                &mut e,
                &[&format!(
                    "flow-export destination management 10.0.1.{i} 2055"
                )],
            );
        }
        let out = refused(
            &mut e,
            &["flow-export destination management 10.0.2.1 2055"],
        );
        assert!(out.contains("maximum of 5"), "{out}");
        ok(
            &mut e,
            &[
                "no flow-export destination management 10.0.0.9 2055",
                "no flow-export template timeout-rate",
            ],
        );
        let shown = running(&mut e);
        assert!(!shown.contains("10.0.0.9"), "{shown}");
        assert!(!shown.contains("timeout-rate"), "{shown}");
    }
}
