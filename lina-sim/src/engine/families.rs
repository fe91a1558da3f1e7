//! The registry of CLI families with their own semantics: each is a unit type implementing
//! [`CliFamily`], listed once in [`FAMILIES`]. A top-level configuration line finds its
//! families by a lookup on its significant word (the first, after `no` or
//! `clear configure`), not by asking every family in turn.
//!
//! Adding a family is a type, its `impl`, and a line in the table. What no family claims
//! takes the generic path in `apply.rs`: `exit` / `end` / `configure terminal`, sub-commands
//! typed outside their mode (refused), then the verbatim rules for the other words of
//! `cli_translator::keywords` (the documented list of known families).
//!
//! Besides applying its lines, a family says what the rest of the engine asks about them:
//! which word of a line names an interface ([`CliFamily::nameif_slot`], for renames and
//! in-use checks of a nameif), which word is a secret ([`CliFamily::secret_index`], masked
//! by `show running-config`), what a line defines and requires, whether deleting what it
//! defines is refused while it is referenced ([`CliFamily::refuses_deletion_in_use`]), which
//! sub-mode a line opens ([`CliFamily::submode`]: its kind and prompt, `config-if`; `modes.rs`
//! asks the family of a line's first word) and which unindented words its sub-mode takes
//! ([`CliFamily::sub_words`]). Each has a default (nothing), so a family says only what it
//! has. Families kept verbatim whose blocks open a sub-mode (`router`, `webvpn` ...) are
//! listed for that alone (`verbatim_blocks!`).
//!
//! For the reference counts of in-use checks (`refs.rs`), a family says which of its blocks
//! define an object or a group ([`CliFamily::defines_referable`]), which lines of its blocks
//! may name one ([`CliFamily::counts_head`], [`CliFamily::counts_child`]) and after which
//! words a line names one of its items ([`CliFamily::names_follow`]), or that any word of its
//! lines may ([`CliFamily::names_objects_in_any_word`]).
//!
//! Still outside the registry: the print order of `show running-config` (`sections.rs`, the
//! ASA's order of about 70 top-level words, most of them lines no family models).

use std::sync::OnceLock;

use cli_translator::ast::Command;
use cli_translator::parse::{ParseError, ParseErrorKind, parse_command};
use cli_translator::words::split_words;

use super::apply::{Applier, Step, negated, parse_error, word_offset};
use super::config::{LineRef, Map};
use super::error::CliError;
use super::modes::{self, SubKind, Submode};
use super::object_groups;
use super::refs::Namespace;
use super::sections::{Section, starts_with_words};

/// One CLI family: the words its lines start with and how such a line is applied.
pub trait CliFamily: Sync {
    /// A short name, for diagnostics.
    fn name(&self) -> &'static str;
    /// The significant words of its lines (after `no` / `clear configure`).
    fn keywords(&self) -> &'static [&'static str];
    /// Applies a top-level line; `None` leaves it to the generic path (the family checked it
    /// and has nothing more to do, or the line is a form it does not model).
    fn apply(&self, applier: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>>;
    /// A sub-command typed in the block `sub` edits (whose header `head` is a line of this
    /// family); `text` keeps the indentation beyond the first level, `parsed` is its typed
    /// reading. `None` leaves the family's blocks to the verbatim rules.
    fn sub_command(
        &self,
        _applier: &mut Applier<'_>,
        _sub: &mut Submode,
        _head: &str,
        _text: &str,
        _parsed: &Result<Command, ParseError>,
    ) -> Option<Result<Step, CliError>> {
        None
    }
    /// Whether a sub-command read at boot belongs in a block whose header is `head` (syntax
    /// only: what it names may be defined further down); `None` when the family does not say.
    /// `parsed` is the line's grammar reading when the caller has it (the loader parses the
    /// lines of the modes that keep typed sub-commands once, for this and for keeping them).
    fn check_sub(
        &self,
        _head: &str,
        _line: &str,
        _parsed: Reading<'_>,
    ) -> Option<Result<(), CliError>> {
        None
    }
    /// The item a defining line of this family names, as (kind, name):
    /// `time-range work` -> (`time-range`, `work`).
    fn defines<'l>(&self, _head: &'l str) -> Option<(&'static str, &'l str)> {
        None
    }
    /// The item a line of this family needs defined before it is accepted, as (kind, name):
    /// `ssl trust-point TP outside` -> (`trustpoint`, `TP`).
    fn requires<'l>(&self, _line: &'l str) -> Option<(&'static str, &'l str)> {
        None
    }
    /// Whether deleting an item a line of this family [defines](CliFamily::defines) is
    /// refused while another line names it (`no time-range work` while an ACL uses it).
    fn refuses_deletion_in_use(&self) -> bool {
        false
    }
    /// The index of the word of one of its stored lines (`words`, starting with one of its
    /// keywords; a sub-command's words without indentation) that holds a nameif (for `nat`,
    /// the `(real,mapped)` pair); `None` when the line names no interface.
    fn nameif_slot(&self, _words: &[&str]) -> Option<usize> {
        None
    }
    /// The first words (lowercase) of the lines, top-level or sub-commands of its blocks,
    /// that may carry a secret: only these are asked [`CliFamily::secret_index`].
    fn secret_words(&self) -> &'static [&'static str] {
        &[]
    }
    /// The index of the secret word of a line whose first word is one of its
    /// [`CliFamily::secret_words`] (keywords match in any case): `indented` for a sub-command,
    /// `parent` the top-level line above it when known.
    fn secret_index(
        &self,
        _words: &[&str],
        _indented: bool,
        _parent: Option<&str>,
    ) -> Option<usize> {
        None
    }
    /// The sub-mode a top-level line of this family opens, as its kind and prompt suffix
    /// (`interface Gi0/1` -> `config-if`), or `None` for a one-line command. `head`'s first
    /// word is one of its keywords, in any case (its words compare in any case); `parsed` is
    /// the line's typed reading when it has one.
    fn submode(
        &self,
        _head: &Head<'_>,
        _parsed: Option<&Command>,
    ) -> Option<(SubKind, &'static str)> {
        None
    }
    /// The words (lowercase) an unindented line typed in its sub-mode may start with and
    /// still be a sub-command (`nameif` in interface mode), besides the typed ones.
    fn sub_words(&self) -> &'static [&'static str] {
        &[]
    }
    /// The sections of `show running-config` its top-level lines print in, each with the
    /// word prefix of the lines it holds (`("ipv6 route", Section::Ipv6Route)`; a line ranks
    /// by its longest matching prefix, see `sections.rs`).
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[]
    }
    /// Whether any word of its lines may name an object or group (`nat`: its grammar names
    /// objects in bare slots), rather than only the words after the
    /// [`CliFamily::names_follow`] words of the families; `refs.rs` counts these words to
    /// guard its in-use scans.
    fn names_objects_in_any_word(&self) -> bool {
        false
    }
    /// The words after which a line of any family names one of the objects or groups its
    /// blocks [define](CliFamily::defines_referable) (`object`, `object-group`,
    /// `group-object`): `refs.rs` counts the word that follows each.
    fn names_follow(&self) -> &'static [&'static str] {
        &[]
    }
    /// The object or group a block whose header `head` is one of its lines defines, for
    /// `refs.rs`'s counts and the name checks: its namespace and name. `rank` is the block's
    /// (`sections.rs`; a block ranks by its header, except an object whose lines are all its
    /// NAT rule, which ranks with `nat` and defines nothing).
    fn defines_referable<'l>(&self, _head: &'l str, _rank: u16) -> Option<(Namespace, &'l str)> {
        None
    }
    /// Whether the header `head` (one of its lines) of a block may name objects or groups
    /// (`refs.rs` counts its words); `false` also leaves its sub-commands uncounted, except
    /// those [`CliFamily::counts_child`] keeps.
    fn counts_head(&self, _head: LineRef<'_>) -> bool {
        true
    }
    /// Whether the sub-command `child` of a block headed by `head` (one of its lines) may name
    /// objects or groups although the header does not [count](CliFamily::counts_head)
    /// (a network object's NAT rule).
    fn counts_child(&self, _head: LineRef<'_>, _child: &str) -> bool {
        false
    }
}

/// A family whose every top-level line goes to one `Applier` method:
/// `simple_family!(Type, "name", ["keyword", ...], method)`.
/// What else the family says follows in braces: `simple_family!(T, "n", [...], m, { fn ... })`.
macro_rules! simple_family {
    ($ty:ident, $name:literal, [$($keyword:literal),+ $(,)?], $method:ident $(, { $($more:tt)* })?) => {
        impl CliFamily for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn keywords(&self) -> &'static [&'static str] {
                &[$($keyword),+]
            }
            fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
                a.$method(line)
            }
            $($($more)*)?
        }
    };
}
pub(crate) use simple_family;

/// The words of a top-level line, as [`CliFamily::submode`] reads them: the first four and
/// the last, compared in any case, without allocating (boot asks every top-level line).
#[derive(Debug, Clone, Copy)]
pub struct Head<'l> {
    line: &'l str,
    words: [Option<&'l str>; 4],
}

impl<'l> Head<'l> {
    pub fn new(line: &'l str) -> Head<'l> {
        let mut words = [None; 4];
        for (slot, word) in words.iter_mut().zip(split_words(line)) {
            *slot = Some(word);
        }
        Head { line, words }
    }

    /// Word `i` (from 0), when the line has it (`i` < 4).
    pub fn word(&self, i: usize) -> Option<&'l str> {
        self.words.get(i).copied().flatten()
    }

    /// Whether the line has a word `i` (from 0; `i` < 4).
    pub fn has(&self, i: usize) -> bool {
        self.word(i).is_some()
    }

    /// Whether word `i` (from 0) is `keyword`, in any case.
    pub fn is(&self, i: usize, keyword: &str) -> bool {
        is(self.word(i), keyword)
    }

    /// The value paired with the first of `choices` that word `i` is, in any case.
    pub fn pick<T: Copy>(&self, i: usize, choices: &[(&str, T)]) -> Option<T> {
        let word = self.word(i)?;
        choices
            .iter()
            .find(|(k, _)| word.eq_ignore_ascii_case(k))
            .map(|(_, v)| *v)
    }

    /// Whether the last word is `keyword`, in any case.
    pub fn last_is(&self, keyword: &str) -> bool {
        is(self.line.split_whitespace().next_back(), keyword)
    }
}

/// The second word of `line` when its first is `keyword`.
fn name_after<'l>(line: &'l str, keyword: &str) -> Option<&'l str> {
    let mut words = line.split_whitespace();
    (words.next()? == keyword).then_some(())?;
    words.next()
}

/// `time-range <name>` blocks.
struct TimeRanges;
/// `regex <name> "<expression>"`.
struct Regexes;
/// `crypto ...`: defines trust-points (`crypto ca trustpoint TP`), and
/// `crypto ikev2 remote-access trustpoint TP` needs one.
struct Crypto;
/// `ssl trust-point TP [ifc|domain ...]` needs the trust-point.
struct Ssl;

impl CliFamily for TimeRanges {
    fn name(&self) -> &'static str {
        "time-range"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["time-range"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("time-range", Section::TimeRange)]
    }
    fn apply(&self, _a: &mut Applier<'_>, _line: &str) -> Option<Result<Step, CliError>> {
        None
    }
    fn defines<'l>(&self, head: &'l str) -> Option<(&'static str, &'l str)> {
        Some(("time-range", name_after(head, "time-range")?))
    }
    fn submode(&self, head: &Head<'_>, _: Option<&Command>) -> Option<(SubKind, &'static str)> {
        head.has(1)
            .then_some((SubKind::Verbatim, "config-time-range"))
    }
    fn refuses_deletion_in_use(&self) -> bool {
        true
    }
}

impl CliFamily for Regexes {
    fn name(&self) -> &'static str {
        "regex"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["regex"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("regex", Section::Regex)]
    }
    fn apply(&self, _a: &mut Applier<'_>, _line: &str) -> Option<Result<Step, CliError>> {
        None
    }
    fn defines<'l>(&self, head: &'l str) -> Option<(&'static str, &'l str)> {
        Some(("regex", name_after(head, "regex")?))
    }
    fn refuses_deletion_in_use(&self) -> bool {
        true
    }
}

impl CliFamily for Crypto {
    fn name(&self) -> &'static str {
        "crypto"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["crypto"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("crypto", Section::Crypto)]
    }
    /// `no crypto ca trustpoint TP [noconfirm]` removes the trust-point and the certificates
    /// of its `crypto ca certificate chain TP` (issue 15).
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let tp = match words.as_slice() {
            ["no", "crypto", "ca", "trustpoint", tp] => *tp,
            ["no", "crypto", "ca", "trustpoint", tp, w] if w.eq_ignore_ascii_case("noconfirm") => {
                *tp
            }
            _ => return None,
        };
        let Some(id) = super::crypto::trustpoint_block(a.cfg, tp) else {
            return Some(Err(CliError::NoSuchTrustpoint(tp.to_owned())));
        };
        // `ssl trust-point TP`, ` server|client trust-point TP` (tls-proxy) and
        // `crypto ikev2 remote-access trustpoint TP` would be left naming nothing.
        if super::in_use::is_referenced(a.cfg, "trust-point", tp, id)
            || super::in_use::is_referenced(a.cfg, "trustpoint", tp, id)
        {
            return Some(Err(CliError::NamedItemInUse {
                family: "trustpoint",
                name: tp.to_owned(),
            }));
        }
        a.cfg.remove(id);
        if let Some(chain) = super::crypto::chain_block(a.cfg, tp) {
            a.cfg.remove(chain);
        }
        Some(Ok(Step::Done(None)))
    }
    fn defines<'l>(&self, head: &'l str) -> Option<(&'static str, &'l str)> {
        match head.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["crypto", "ca", "trustpoint", name] => Some(("trustpoint", name)),
            _ => None,
        }
    }
    /// `crypto ca trustpoint|certificate|trustpool|server ...` (the VPN family has the others).
    fn submode(&self, head: &Head<'_>, _: Option<&Command>) -> Option<(SubKind, &'static str)> {
        if !head.is(1, "ca") {
            return None;
        }
        let prompt = head.pick(
            2,
            &[
                ("trustpoint", "config-ca-trustpoint"),
                ("certificate", "config-cert-chain"),
                ("trustpool", "config-ca-trustpool"),
                ("server", "config-ca-server"),
            ],
        )?;
        Some((SubKind::Verbatim, prompt))
    }
    fn requires<'l>(&self, line: &'l str) -> Option<(&'static str, &'l str)> {
        match line.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["crypto", "ikev2", "remote-access", "trustpoint", name, ..] => {
                Some(("trustpoint", name))
            }
            _ => None,
        }
    }
}

impl CliFamily for Ssl {
    fn name(&self) -> &'static str {
        "ssl"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["ssl"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("ssl", Section::Ssl)]
    }
    fn apply(&self, _a: &mut Applier<'_>, _line: &str) -> Option<Result<Step, CliError>> {
        None
    }
    fn requires<'l>(&self, line: &'l str) -> Option<(&'static str, &'l str)> {
        match line.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["ssl", "trust-point", name, ..] => Some(("trustpoint", name)),
            _ => None,
        }
    }
}

/// `tls-proxy <name>` blocks (issue 15): defines the name `inspect ... tls-proxy <name>`
/// refers to; its sub-commands are checked, and the trust-points they name must exist.
struct TlsProxies;

impl CliFamily for TlsProxies {
    fn name(&self) -> &'static str {
        "tls-proxy"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["tls-proxy"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("tls-proxy", Section::TlsProxy)]
    }
    fn apply(&self, _a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["tls-proxy"] | ["no", "tls-proxy"] => Some(Err(CliError::Incomplete)),
            // `tls-proxy maximum-session <n>` is a device-wide setting, not an instance.
            ["tls-proxy", "maximum-session", ..] | ["no", "tls-proxy", "maximum-session", ..] => {
                None
            }
            ["tls-proxy", _, _, ..] => Some(Err(CliError::invalid(line, word_offset(line, 2)))),
            _ => None,
        }
    }
    fn sub_command(
        &self,
        a: &mut Applier<'_>,
        sub: &mut Submode,
        _head: &str,
        text: &str,
        _parsed: &Result<Command, ParseError>,
    ) -> Option<Result<Step, CliError>> {
        let line = text.trim();
        if !cli_translator::resources::tls_proxy::is_sub_line(line) {
            return Some(Err(CliError::invalid(line, 0)));
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if let ["server" | "client", "trust-point", tp] = words.as_slice()
            && super::crypto::trustpoint_block(a.cfg, tp).is_none()
        {
            return Some(Err(CliError::NoSuchTrustpoint((*tp).to_owned())));
        }
        // One line per kind: a new value replaces the old one, `no` removes it.
        let (negated, rest) = match words.split_first() {
            Some((&"no", rest)) => (true, rest),
            _ => (false, words.as_slice()),
        };
        let prefix = rest.iter().take(2).copied().collect::<Vec<_>>().join(" ");
        a.cfg.update(sub.block, |b| {
            b.children
                .retain(|c| !starts_with_words(c.text.trim(), &prefix));
        });
        if !negated {
            a.cfg
                .push_child(sub.block, super::config::Entry::verbatim(line));
        }
        Some(Ok(Step::Done(None)))
    }
    fn check_sub(&self, _head: &str, line: &str, _: Reading<'_>) -> Option<Result<(), CliError>> {
        Some(if cli_translator::resources::tls_proxy::is_sub_line(line) {
            Ok(())
        } else {
            Err(CliError::invalid(line, 0))
        })
    }
    fn defines<'l>(&self, head: &'l str) -> Option<(&'static str, &'l str)> {
        match head.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["tls-proxy", name] if *name != "maximum-session" => Some(("tls-proxy", name)),
            _ => None,
        }
    }
    /// `tls-proxy <name>` (not the device-wide `tls-proxy maximum-session <n>`).
    fn submode(&self, head: &Head<'_>, _: Option<&Command>) -> Option<(SubKind, &'static str)> {
        (head.has(1) && !head.has(2) && !head.is(1, "maximum-session"))
            .then_some((SubKind::Verbatim, "config-tlsp"))
    }
    /// `inspect ... tls-proxy <name>` in a policy map keeps the proxy (issue 15).
    fn refuses_deletion_in_use(&self) -> bool {
        true
    }
}

/// `object-group network|service|protocol|icmp-type` and `object service` blocks: the
/// headers take the verbatim path; the members are checked and canonical
/// (`object_groups.rs`).
struct ObjectGroups;

impl CliFamily for ObjectGroups {
    fn name(&self) -> &'static str {
        "object-group"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["object-group", "object"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[
            ("object service", Section::ObjectService),
            ("object-group", Section::ObjectGroup),
        ]
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
        let family = object_groups::family_of(head)?;
        Some(a.object_group_sub(sub.block, family, text.trim()))
    }
    fn check_sub(&self, head: &str, line: &str, _: Reading<'_>) -> Option<Result<(), CliError>> {
        let family = object_groups::family_of(head)?;
        Some(object_groups::check_member(family, line))
    }
    fn names_follow(&self) -> &'static [&'static str] {
        &["object", "object-group", "group-object"]
    }
    /// `object service <name>` and `object-group <type> <name>` (`object network` is the
    /// network object family's).
    fn submode(&self, head: &Head<'_>, _: Option<&Command>) -> Option<(SubKind, &'static str)> {
        let prompt = if head.is(0, "object") {
            head.is(1, "service").then_some("config-service-object")?
        } else {
            head.pick(
                1,
                &[
                    ("network", "config-network-object-group"),
                    ("service", "config-service-object-group"),
                    ("protocol", "config-protocol-object-group"),
                    ("icmp-type", "config-icmp-object-group"),
                    ("user", "config-user-object-group"),
                    ("security", "config-security-object-group"),
                ],
            )?
        };
        Some((SubKind::Verbatim, prompt))
    }
    fn defines_referable<'l>(&self, head: &'l str, rank: u16) -> Option<(Namespace, &'l str)> {
        if rank == Section::ObjectGroup as u16 {
            Some((Namespace::Group, object_groups::group_name(head)?))
        } else if rank == Section::ObjectService as u16 {
            Some((Namespace::Object, object_groups::object_name(head)?))
        } else {
            None
        }
    }
}

/// `access-list`, `access-group` (`acl.rs`).
struct AccessLists;
/// `route`, `ipv6 route` (`routes.rs`).
struct Routes;
/// `http|ssh|telnet <host>`, `dns domain-lookup`, `dhcpd`, `dhcprelay`, `ntp server`,
/// `timeout` (`setup.rs`).
struct DeviceSetup;
/// Twice NAT lines (`nat.rs`).
struct Nat;
/// Top-level interface settings: `mtu`, `ipv6 enforce-eui64`, `clear configure interface`
/// (`interfaces.rs`).
struct InterfaceSettings;

simple_family!(
    AccessLists,
    "access-list",
    ["access-list", "access-group"],
    access_command,
    {
        fn sections(&self) -> &'static [(&'static str, Section)] {
            &[
                ("access-list", Section::AccessList),
                ("access-group", Section::AccessGroup),
            ]
        }

        fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
            matches!(words, ["access-group", _, "in" | "out", "interface", _, ..]).then_some(4)
        }
    }
);

simple_family!(Routes, "route", ["route", "ipv6"], route_command, {
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[
            ("route", Section::Route),
            ("ipv6 route", Section::Ipv6Route),
        ]
    }

    fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
        match words {
            ["route", _, ..] => Some(1),
            ["ipv6", "route", _, ..] => Some(2),
            _ => None,
        }
    }
});

simple_family!(
    DeviceSetup,
    "device setup",
    [
        "http",
        "ssh",
        "telnet",
        "dns",
        "dhcpd",
        "dhcprelay",
        "ntp",
        "timeout",
    ],
    setup_command,
    {
        fn sections(&self) -> &'static [(&'static str, Section)] {
            &[
                ("dns", Section::Dns),
                ("timeout", Section::Timeout),
                ("http", Section::Http),
                ("telnet", Section::Telnet),
                ("ssh", Section::Ssh),
                ("dhcpd", Section::Dhcpd),
                ("dhcprelay", Section::Dhcprelay),
                ("ntp", Section::Ntp),
            ]
        }

        /// `http|ssh|telnet <address> <mask> <nameif>`, `dhcpd ... <nameif>`.
        fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
            let last = words.len().checked_sub(1)?;
            match words {
                ["http" | "ssh" | "telnet", addr, .., _]
                    if super::interfaces::is_address_word(addr) =>
                {
                    Some(last)
                }
                ["dhcpd", .., _] => Some(last),
                _ => None,
            }
        }
        fn secret_words(&self) -> &'static [&'static str] {
            &["ntp"]
        }
        /// `ntp authentication-key <n> <algorithm> <secret>`.
        fn secret_index(&self, words: &[&str], indented: bool, _: Option<&str>) -> Option<usize> {
            let w = |i: usize| words.get(i).copied();
            (!indented && is(w(0), "ntp") && is(w(1), "authentication-key")).then_some(4)
        }
        /// `dns server-group <name>`.
        fn submode(&self, head: &Head<'_>, _: Option<&Command>) -> Option<(SubKind, &'static str)> {
            (head.is(0, "dns") && head.is(1, "server-group") && head.has(2))
                .then_some((SubKind::Verbatim, "config-dns-server-group"))
        }
    }
);

simple_family!(Nat, "nat", ["nat"], nat_command, {
    fn names_objects_in_any_word(&self) -> bool {
        true
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("nat", Section::Nat)]
    }

    /// The `(real,mapped)` pair (also of an object's ` nat` line).
    fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
        matches!(words, ["nat", _, ..]).then_some(1)
    }
});

simple_family!(
    InterfaceSettings,
    "interface settings",
    ["mtu", "ipv6", "interface"],
    interface_command,
    {
        fn sections(&self) -> &'static [(&'static str, Section)] {
            &[("mtu", Section::Mtu), ("ipv6", Section::Ipv6)]
        }

        fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
            match words {
                ["mtu", _, ..] => Some(1),
                ["ipv6", "enforce-eui64", _] => Some(2),
                _ => None,
            }
        }
    }
);

/// `icmp permit|deny ... <nameif>`: kept verbatim; names an interface.
struct Icmp;

impl CliFamily for Icmp {
    fn name(&self) -> &'static str {
        "icmp"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["icmp"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("icmp", Section::Icmp)]
    }
    fn apply(&self, _a: &mut Applier<'_>, _line: &str) -> Option<Result<Step, CliError>> {
        None
    }
    fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
        let last = words.len().checked_sub(1)?;
        matches!(words, ["icmp", "permit" | "deny", .., _]).then_some(last)
    }
}

/// `snmp-server ...`: kept verbatim; its communities are secrets, its hosts name an
/// interface.
struct SnmpServer;

impl CliFamily for SnmpServer {
    fn name(&self) -> &'static str {
        "snmp-server"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["snmp-server"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("snmp-server", Section::SnmpServer)]
    }
    fn apply(&self, _a: &mut Applier<'_>, _line: &str) -> Option<Result<Step, CliError>> {
        None
    }
    fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
        matches!(words, ["snmp-server", "host", _, ..]).then_some(2)
    }
    fn secret_words(&self) -> &'static [&'static str] {
        &["snmp-server"]
    }
    /// `snmp-server community <secret> ...`,
    /// `snmp-server host <nameif> <address> [poll|trap] community <secret> [version ...]`.
    fn secret_index(&self, words: &[&str], indented: bool, _: Option<&str>) -> Option<usize> {
        let w = |i: usize| words.get(i).copied();
        if indented || !is(w(0), "snmp-server") {
            return None;
        }
        if is(w(1), "community") {
            Some(2)
        } else if is(w(1), "host") {
            let at = words
                .iter()
                .skip(4)
                .position(|x| x.eq_ignore_ascii_case("community"))?;
            Some(at + 5)
        } else {
            None
        }
    }
}

/// `aaa-server <tag> ...` blocks: kept verbatim; the key of a host (on its line or as
/// ` key`) and its ` ldap-login-password` are secrets.
struct AaaServers;

impl CliFamily for AaaServers {
    fn name(&self) -> &'static str {
        "aaa-server"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["aaa-server"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("aaa-server", Section::AaaServer)]
    }
    fn apply(&self, _a: &mut Applier<'_>, _line: &str) -> Option<Result<Step, CliError>> {
        None
    }
    fn secret_words(&self) -> &'static [&'static str] {
        &["aaa-server", "key", "ldap-login-password"]
    }
    /// `aaa-server <tag> protocol <p>` (a server group), `aaa-server <tag> [(<nameif>)] host
    /// <address>` (one of its hosts).
    fn submode(&self, head: &Head<'_>, _: Option<&Command>) -> Option<(SubKind, &'static str)> {
        let prompt = if head.is(2, "protocol") {
            "config-aaa-server-group"
        } else if head.is(2, "host") || head.is(3, "host") {
            "config-aaa-server-host"
        } else {
            return None;
        };
        Some((SubKind::Verbatim, prompt))
    }
    fn secret_index(&self, words: &[&str], indented: bool, parent: Option<&str>) -> Option<usize> {
        let w = |i: usize| words.get(i).copied();
        if indented {
            // ` key <secret>` belongs to an aaa-server host (a `key chain`'s ` key <id>` is
            // no secret); a sub-command whose parent is not known is taken for one.
            let in_aaa_server = parent.is_none_or(|p| {
                p.split_ascii_whitespace()
                    .next()
                    .is_some_and(|f| f.eq_ignore_ascii_case("aaa-server"))
            });
            return ((is(w(0), "key") && in_aaa_server) || is(w(0), "ldap-login-password"))
                .then_some(1);
        }
        if !is(w(0), "aaa-server") {
            return None;
        }
        // `aaa-server <tag> [(<nameif>)] host <address> [<key>] [timeout <s>]`
        let host = if is(w(2), "host") {
            2
        } else if w(2).is_some_and(|i| i.starts_with('(')) && is(w(3), "host") {
            3
        } else {
            return None;
        };
        let at = host + 2;
        (!is(w(at), "timeout")).then_some(at)
    }
}

/// A family of the typed grammar (`parse_command`): applies the line when it parses as one of
/// the family's commands, refuses it when it does not parse, and leaves the forms the grammar
/// does not model (`object service`, `logging list` ...) to the verbatim rules.
fn typed(
    a: &mut Applier<'_>,
    line: &str,
    ours: fn(&Command) -> bool,
) -> Option<Result<Step, CliError>> {
    // `clear configure <family>` is the generic path's.
    if line.starts_with("clear ") {
        return None;
    }
    match parse_command(line) {
        Ok(cmd) if ours(&cmd) => Some(a.typed_top(cmd, line)),
        Ok(_) => None,
        Err(e) if e.kind == ParseErrorKind::NotModelled => None,
        Err(e) => Some(Err(parse_error(line, e))),
    }
}

/// `hostname <name>`.
struct Hostname;
/// `interface <hw>`: enters (or creates) the interface block.
pub(crate) struct Interfaces;

impl Interfaces {
    /// The prompt suffix of interface mode.
    pub(crate) const PROMPT: &'static str = "config-if";
}
/// `username <name> password ...`, `no username <name>`.
struct Users;
/// `object network <name>`, `no object network <name>`.
pub(crate) struct NetworkObjects;

impl NetworkObjects {
    /// The prompt suffix of `object network` mode.
    pub(crate) const PROMPT: &'static str = "config-network-object";
}
/// `logging enable|timestamp|buffered|trap|host`, and their `no` forms.
struct Logging;

impl CliFamily for Hostname {
    fn name(&self) -> &'static str {
        "hostname"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["hostname"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("hostname", Section::Hostname)]
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        typed(a, line, |c| matches!(c, Command::Hostname(_)))
    }
}

impl CliFamily for Interfaces {
    fn name(&self) -> &'static str {
        "interface"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["interface"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("interface", Section::Interface)]
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        typed(a, line, |c| matches!(c, Command::Interface(_)))
    }
    /// `interface <hw>`: interface mode when the grammar reads the line, else its lines are
    /// kept verbatim (same prompt).
    fn submode(
        &self,
        head: &Head<'_>,
        parsed: Option<&Command>,
    ) -> Option<(SubKind, &'static str)> {
        match parsed {
            Some(Command::Interface(_)) => Some((SubKind::Interface, Self::PROMPT)),
            _ => head.has(1).then_some((SubKind::Verbatim, Self::PROMPT)),
        }
    }
    fn sub_command(
        &self,
        a: &mut Applier<'_>,
        sub: &mut Submode,
        _head: &str,
        text: &str,
        parsed: &Result<Command, ParseError>,
    ) -> Option<Result<Step, CliError>> {
        if sub.kind != SubKind::Interface {
            return None;
        }
        Some(a.interface_sub_command(sub, text, parsed.clone()))
    }
    fn check_sub(&self, head: &str, line: &str, _: Reading<'_>) -> Option<Result<(), CliError>> {
        if !starts_with_words(head, "interface") {
            return None;
        }
        if modes::is_interface_word(line) || line.starts_with('!') {
            Some(Ok(()))
        } else {
            Some(Err(CliError::invalid(
                line,
                word_offset(line, negated(line)),
            )))
        }
    }
    fn secret_words(&self) -> &'static [&'static str] {
        &["ospf"]
    }
    /// ` ospf message-digest-key <n> md5 <secret>`, ` ospf authentication-key <secret>`.
    fn secret_index(&self, words: &[&str], indented: bool, _: Option<&str>) -> Option<usize> {
        let w = |i: usize| words.get(i).copied();
        if !indented || !is(w(0), "ospf") {
            None
        } else if is(w(1), "message-digest-key") && is(w(3), "md5") {
            Some(4)
        } else if is(w(1), "authentication-key") {
            Some(2)
        } else {
            None
        }
    }
    /// The sub-commands of interface mode (some are also top-level keywords: `ip address`
    /// vs `ip local pool`). A line of another word is refused in interface mode, as on an ASA.
    fn sub_words(&self) -> &'static [&'static str] {
        &[
            "authentication",
            "bfd",
            "bridge-group",
            "channel-group",
            "ddns",
            "delay",
            "description",
            "dhcp",
            "dhcprelay",
            "duplex",
            "flowcontrol",
            "forward",
            "hello-interval",
            "igmp",
            "ip",
            "ipv6",
            "lacp",
            "mac-address",
            "management-only",
            "member-interface",
            "multicast",
            "nameif",
            "nve-only",
            "ospf",
            "pim",
            "policy-route",
            "port-channel",
            "pppoe",
            "redundant-interface",
            "rip",
            "security-level",
            "shutdown",
            "speed",
            "switchport",
            "traffic-forward",
            "vlan",
            "zone-member",
        ]
    }
}

impl CliFamily for Users {
    fn name(&self) -> &'static str {
        "username"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["username"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("username", Section::Username)]
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        typed(a, line, |c| {
            matches!(c, Command::Username { .. } | Command::NoUsername(_))
        })
    }
    /// `username <name> attributes`.
    fn submode(&self, head: &Head<'_>, _: Option<&Command>) -> Option<(SubKind, &'static str)> {
        (head.has(1) && head.last_is("attributes"))
            .then_some((SubKind::Verbatim, "config-username"))
    }
}

impl CliFamily for NetworkObjects {
    fn name(&self) -> &'static str {
        "object network"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["object"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("object network", Section::ObjectNetwork)]
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        typed(a, line, |c| {
            matches!(c, Command::ObjectNetwork(_) | Command::NoObjectNetwork(_))
        })
    }
    /// `object network <name>`: object mode when the grammar reads the line, else its lines
    /// are kept verbatim (same prompt).
    fn submode(
        &self,
        head: &Head<'_>,
        parsed: Option<&Command>,
    ) -> Option<(SubKind, &'static str)> {
        match parsed {
            Some(Command::ObjectNetwork(name)) => {
                Some((SubKind::Object(name.clone()), Self::PROMPT))
            }
            _ => head
                .is(1, "network")
                .then_some((SubKind::Verbatim, Self::PROMPT)),
        }
    }
    fn sub_command(
        &self,
        a: &mut Applier<'_>,
        sub: &mut Submode,
        _head: &str,
        text: &str,
        parsed: &Result<Command, ParseError>,
    ) -> Option<Result<Step, CliError>> {
        let SubKind::Object(name) = sub.kind.clone() else {
            return None;
        };
        Some(a.network_object_sub_command(sub, &name, text.trim(), parsed.clone()))
    }
    fn check_sub(
        &self,
        head: &str,
        line: &str,
        parsed: Reading<'_>,
    ) -> Option<Result<(), CliError>> {
        if !starts_with_words(head, "object network") {
            return None;
        }
        let is_sub =
            |p: &Result<Command, ParseError>| matches!(p, Ok(cmd) if modes::is_object_sub(cmd));
        let ok = parsed.map_or_else(|| is_sub(&parse_command(line)), is_sub)
            || modes::key_word(line) == "nat";
        Some(if ok {
            Ok(())
        } else {
            Err(CliError::invalid(line, word_offset(line, 0)))
        })
    }
    fn sub_words(&self) -> &'static [&'static str] {
        &["description", "fqdn", "host", "nat", "range", "subnet"]
    }
    fn names_follow(&self) -> &'static [&'static str] {
        &["object"]
    }
    fn defines_referable<'l>(&self, head: &'l str, rank: u16) -> Option<(Namespace, &'l str)> {
        if rank != Section::ObjectNetwork as u16 {
            return None;
        }
        Some((Namespace::Object, object_groups::object_name(head)?))
    }
    /// An object's own lines name no other object...
    fn counts_head(&self, head: LineRef<'_>) -> bool {
        !head.is_typed_as("object")
    }
    /// ... except its NAT rule.
    fn counts_child(&self, _head: LineRef<'_>, child: &str) -> bool {
        child.trim_start_matches(' ').starts_with("nat ")
    }
}

impl CliFamily for Logging {
    fn name(&self) -> &'static str {
        "logging"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["logging"]
    }
    fn sections(&self) -> &'static [(&'static str, Section)] {
        &[("logging", Section::Logging)]
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        typed(a, line, |c| {
            matches!(c, Command::Logging(_) | Command::NoLogging(_))
        })
    }
    fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
        matches!(words, ["logging", "host", _, ..]).then_some(2)
    }
}

// issue 14: AAA
/// `aaa authentication ... console`, `aaa authorization command|exec`, `privilege`
/// (`privileges.rs`).
struct Privileges;

simple_family!(
    Privileges,
    "aaa",
    ["aaa", "privilege"],
    privileges_command,
    {
        fn sections(&self) -> &'static [(&'static str, Section)] {
            &[("aaa", Section::Aaa)]
        }
    }
);

// issue 14: dynamic DNS
/// `ddns update method <name>` blocks: the name is checked, the sub-commands (` ddns [both]`,
/// ` interval maximum <d> <h> <m> <s>`) validated; the lines are kept by the verbatim rules.
struct DdnsMethods;

impl CliFamily for DdnsMethods {
    fn name(&self) -> &'static str {
        "ddns"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["ddns"]
    }
    /// `ddns update method <name>`.
    fn submode(&self, head: &Head<'_>, _: Option<&Command>) -> Option<(SubKind, &'static str)> {
        (head.is(1, "update") && head.is(2, "method"))
            .then_some((SubKind::Verbatim, "DDNS-update-method"))
    }
    fn apply(&self, _a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        if line.starts_with("clear ") {
            return None;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let skip = usize::from(words.first() == Some(&"no"));
        match words.get(skip..).unwrap_or_default() {
            ["ddns", "update", "method", name]
                if cli_translator::validate::check_object_name(name).is_ok() =>
            {
                None
            }
            ["ddns", "update", "method"] | ["ddns", "update"] | ["ddns"] => {
                Some(Err(CliError::Incomplete))
            }
            ["ddns", "update", "method", ..] => {
                Some(Err(CliError::invalid(line, word_offset(line, 3 + skip))))
            }
            ["ddns", "update", ..] => {
                Some(Err(CliError::invalid(line, word_offset(line, 2 + skip))))
            }
            _ => Some(Err(CliError::invalid(line, word_offset(line, 1 + skip)))),
        }
    }
    fn sub_command(
        &self,
        _a: &mut Applier<'_>,
        _sub: &mut Submode,
        head: &str,
        text: &str,
        _parsed: &Result<Command, ParseError>,
    ) -> Option<Result<Step, CliError>> {
        let line = text.trim();
        let check = self.check_sub(head, line, None)?;
        // Valid lines are left to the verbatim rules (which store and replace them).
        check.err().map(Err)
    }
    fn check_sub(&self, head: &str, line: &str, _: Reading<'_>) -> Option<Result<(), CliError>> {
        if !starts_with_words(head, "ddns update method") {
            return None;
        }
        let body = line.strip_prefix("no ").unwrap_or(line);
        let ok = cli_translator::resources::ddns::parse_sub(body).is_some()
            || (line.starts_with("no ")
                && matches!(
                    body.split_whitespace().collect::<Vec<_>>().as_slice(),
                    ["ddns", ..] | ["interval", "maximum", ..]
                ));
        Some(if ok || line.starts_with('!') {
            Ok(())
        } else {
            Err(CliError::invalid(line, word_offset(line, negated(line))))
        })
    }
}

/// A line's grammar reading, when the caller has one ([`CliFamily::check_sub`]).
pub type Reading<'a> = Option<&'a Result<Command, ParseError>>;

/// The families, in the order they are asked when several share a word (`ipv6 route` before
/// `ipv6 enforce-eui64`; `clear configure interface` before `interface <hw>`).
pub static FAMILIES: &[&dyn CliFamily] = &[
    &AccessLists,
    &Routes,
    &DeviceSetup,
    &Nat,
    &InterfaceSettings,
    &Hostname,
    &Interfaces,
    &Users,
    &NetworkObjects,
    &Logging,
    &ObjectGroups,
    &TimeRanges,
    &Regexes,
    &Crypto,
    &Ssl,
    // issue 15: TLS proxy
    &TlsProxies,
    // issue 15: service policy and site-to-site VPN
    &super::service_policy::ServicePolicy,
    &super::vpn::Vpn,
    &super::ip_audit::IpAudit,
    // issue 14: logging, failover, licensing
    &super::platform::Failover,
    &super::platform::Licensing,
    &super::platform::NetFlow,
    &super::platform::LicenseServer,
    // issue 14: AAA
    &Privileges,
    // issue 14: dynamic DNS
    &DdnsMethods,
    // issue 11: verbatim families that name interfaces or carry secrets
    &Icmp,
    &SnmpServer,
    &AaaServers,
    // issue 11: verbatim families whose blocks open a sub-mode
    &Webvpn,
    &CallHome,
    &ResourceClasses,
    &Routers,
    &RouteMaps,
    &PolicyLists,
    &AccessPolicyRecords,
    &LdapMaps,
    &SlaMonitors,
    &VpnLoadBalancing,
    &Contexts,
];

/// A family kept verbatim (its lines load as written: `sections.rs`'s `VERBATIM` places them)
/// whose blocks open a sub-mode, which it declares:
/// `verbatim_blocks!(Type, "keyword", |head| <whether the line opens it>, "prompt")`.
macro_rules! verbatim_blocks {
    ($ty:ident, $keyword:literal, |$head:ident| $opens:expr, $prompt:literal) => {
        #[doc = concat!("`", $keyword, " ...` blocks, kept verbatim: `", $prompt, "` mode.")]
        struct $ty;

        impl CliFamily for $ty {
            fn name(&self) -> &'static str {
                $keyword
            }
            fn keywords(&self) -> &'static [&'static str] {
                &[$keyword]
            }
            fn apply(&self, _a: &mut Applier<'_>, _line: &str) -> Option<Result<Step, CliError>> {
                None
            }
            fn submode(
                &self,
                $head: &Head<'_>,
                _: Option<&Command>,
            ) -> Option<(SubKind, &'static str)> {
                ($opens).then_some((SubKind::Verbatim, $prompt))
            }
        }
    };
}

// issue 11: verbatim families whose blocks open a sub-mode
verbatim_blocks!(Webvpn, "webvpn", |h| !h.has(1), "config-webvpn");
verbatim_blocks!(CallHome, "call-home", |h| !h.has(1), "config-call-home");
// A top-level `class <name>` (a multiple-context resource class) takes the prompt of a
// policy map's class, as it always has here.
verbatim_blocks!(ResourceClasses, "class", |h| h.has(1), "config-pmap-c");
verbatim_blocks!(Routers, "router", |h| h.has(1), "config-router");
verbatim_blocks!(RouteMaps, "route-map", |h| h.has(1), "config-route-map");
verbatim_blocks!(
    PolicyLists,
    "policy-list",
    |h| h.has(1),
    "config-policy-list"
);
verbatim_blocks!(
    AccessPolicyRecords,
    "dynamic-access-policy-record",
    |h| h.has(1),
    "config-dynamic-access-policy-record"
);
verbatim_blocks!(
    LdapMaps,
    "ldap",
    |h| h.is(1, "attribute-map"),
    "config-ldap-attribute-map"
);
verbatim_blocks!(
    SlaMonitors,
    "sla",
    |h| h.is(1, "monitor") && h.word(2).is_some_and(|n| n.parse::<u32>().is_ok()),
    "config-sla-monitor"
);
verbatim_blocks!(
    VpnLoadBalancing,
    "vpn",
    |h| h.is(1, "load-balancing"),
    "config-load-balancing"
);
verbatim_blocks!(Contexts, "context", |h| h.has(1), "config-ctx");

/// The significant word of a top-level line: the first, after `no` or `clear configure`.
pub fn significant_word(line: &str) -> &str {
    // Asked for every block counted and every sub-command line loaded: the words after the
    // first are read only when it is `no` or `clear`.
    let mut words = split_words(line);
    let Some(first) = words.next() else {
        return "";
    };
    match first {
        "no" => words.next().unwrap_or(first),
        "clear" => match (words.next(), words.next()) {
            (Some("configure"), Some(w)) => w,
            _ => first,
        },
        _ => first,
    }
}

/// The families by keyword (read for most lines loaded: a fast hash, the keys being ours).
fn index() -> &'static Map<&'static str, Vec<&'static dyn CliFamily>> {
    static INDEX: OnceLock<Map<&'static str, Vec<&'static dyn CliFamily>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map: Map<&'static str, Vec<&'static dyn CliFamily>> = Map::default();
        for family in FAMILIES {
            for word in family.keywords() {
                map.entry(word).or_default().push(*family);
            }
        }
        map
    })
}

/// A sub-command of the block `head`, by the family that owns the block; `None` when no
/// family does (the verbatim rules apply).
pub fn sub_command(
    a: &mut Applier<'_>,
    sub: &mut Submode,
    head: &str,
    text: &str,
    parsed: Result<Command, ParseError>,
) -> Option<Result<Step, CliError>> {
    candidates(head)
        .iter()
        .find_map(|f| f.sub_command(a, sub, head, text, &parsed))
}

/// Whether a sub-command read at boot belongs in the block `head` (`Ok` when no family
/// says otherwise).
pub fn check_sub(head: &str, line: &str, parsed: Reading<'_>) -> Result<(), CliError> {
    candidates(head)
        .iter()
        .find_map(|f| f.check_sub(head, line, parsed))
        .unwrap_or(Ok(()))
}

/// The item a defining line names, as (kind, name), by its family.
pub fn defined_name(head: &str) -> Option<(&'static str, &str)> {
    if head.starts_with(' ') || head.starts_with("no ") {
        return None;
    }
    candidates(head).iter().find_map(|f| f.defines(head))
}

/// The item a defining line names, when its family refuses to delete it while referenced.
pub fn checked_defined_name(head: &str) -> Option<(&'static str, &str)> {
    if head.starts_with(' ') || head.starts_with("no ") {
        return None;
    }
    candidates(head)
        .iter()
        .filter(|f| f.refuses_deletion_in_use())
        .find_map(|f| f.defines(head))
}

/// The item a top-level line needs defined, as (kind, name), by its family.
pub fn required_name(line: &str) -> Option<(&'static str, &str)> {
    if line.starts_with("no ") {
        return None;
    }
    candidates(line).iter().find_map(|f| f.requires(line))
}

/// Whether any word of a line starting with `first` may name an object or group, by its
/// family ([`CliFamily::names_objects_in_any_word`]). Asked for every line counted: the
/// words are gathered once, and are few.
pub fn any_word_names_objects(first: &str) -> bool {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            FAMILIES
                .iter()
                .filter(|f| f.names_objects_in_any_word())
                .flat_map(|f| f.keywords().iter().copied())
                .collect()
        })
        .contains(&first)
}

/// The words after which a line names an object or group, by the families defining them
/// ([`CliFamily::names_follow`]), gathered once (asked for every word of every line counted).
pub fn names_follow() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Vec<&'static str> = Vec::new();
        for word in FAMILIES.iter().flat_map(|f| f.names_follow()) {
            if !words.contains(word) {
                words.push(word);
            }
        }
        words
    })
}

/// The families of a stored line by its significant word in any case, without allocating
/// (boot keeps `OBJECT network x` with its spelling, typed: its family answers for it).
pub fn of_line(line: &str) -> &'static [&'static dyn CliFamily] {
    of_word(significant_word(line))
}

/// The families whose keywords include `word`, in any case, without allocating.
pub fn of_word(word: &str) -> &'static [&'static dyn CliFamily] {
    let mut buf = [0u8; 32];
    let word = if word.bytes().any(|b| b.is_ascii_uppercase()) {
        // Longer than every keyword: no family.
        let Some(lower) = buf.get_mut(..word.len()) else {
            return &[];
        };
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        match std::str::from_utf8(lower) {
            Ok(w) => w,
            Err(_) => return &[],
        }
    } else {
        word
    };
    index().get(word).map_or(&[], Vec::as_slice)
}

/// The sub-mode a top-level line opens (its kind and prompt suffix), by the family of its
/// first word ([`CliFamily::submode`]); `parsed` is its typed reading when it has one.
pub fn submode_of(head: &str, parsed: Option<&Command>) -> Option<(SubKind, &'static str)> {
    let words = Head::new(head);
    of_word(words.word(0)?)
        .iter()
        .find_map(|f| f.submode(&words, parsed))
}

/// The index of the word of a stored line that holds a nameif, by its family.
pub fn nameif_slot(words: &[&str]) -> Option<usize> {
    index()
        .get(words.first()?)?
        .iter()
        .find_map(|f| f.nameif_slot(words))
}

/// The families by the (lowercase) first words of their lines that may carry a secret, and
/// the set of those words' lengths (one bit per length: most lines are ruled out by it).
struct Secrets {
    by_word: Map<&'static str, Vec<&'static dyn CliFamily>>,
    /// By a word's length, the [`start_bit`]s of the secret words of that length: most lines
    /// are turned down without a hash (issue 13: boot; `access-list` has the length of
    /// `snmp-server`, `route` of `ikev1`, and masking a 100 MB print looked each of them up).
    starts: [u64; 64],
}

/// One bit of 64 for a word's first byte, in any case (bytes may share one: a superset).
fn start_bit(first: u8) -> u64 {
    1u64 << (first.to_ascii_lowercase() & 63)
}

fn secrets() -> &'static Secrets {
    static SECRETS: OnceLock<Secrets> = OnceLock::new();
    SECRETS.get_or_init(|| {
        let mut by_word: Map<&'static str, Vec<&'static dyn CliFamily>> = Map::default();
        let mut starts = [0u64; 64];
        for family in FAMILIES {
            for word in family.secret_words() {
                by_word.entry(word).or_default().push(*family);
                if let (Some(slot), Some(&first)) =
                    (starts.get_mut(word.len()), word.as_bytes().first())
                {
                    *slot |= start_bit(first);
                }
            }
        }
        Secrets { by_word, starts }
    })
}

/// The families that may find a secret in a line whose first word is `first` (any case).
fn secret_owners(first: &str) -> &'static [&'static dyn CliFamily] {
    let s = secrets();
    let (Some(starts), Some(&byte)) = (s.starts.get(first.len()), first.as_bytes().first()) else {
        return &[];
    };
    if starts & start_bit(byte) == 0 {
        return &[];
    }
    let owners = if first.bytes().any(|b| b.is_ascii_uppercase()) {
        s.by_word.get(first.to_ascii_lowercase().as_str())
    } else {
        s.by_word.get(first)
    };
    owners.map_or(&[], Vec::as_slice)
}

/// Whether a line opening with `first` may carry a secret (the fast path of masking).
pub fn may_carry_secret(first: &str) -> bool {
    !secret_owners(first).is_empty()
}

/// The index of the secret word of a line (`indented` for a sub-command, `parent` the
/// top-level line above it when known), by the family whose secret words the line opens with.
pub fn secret_index(words: &[&str], indented: bool, parent: Option<&str>) -> Option<usize> {
    secret_owners(words.first()?)
        .iter()
        .find_map(|f| f.secret_index(words, indented, parent))
        .filter(|at| *at < words.len())
}

/// Whether `word` is `keyword`, in any case.
pub(crate) fn is(word: Option<&str>, keyword: &str) -> bool {
    word.is_some_and(|w| w.eq_ignore_ascii_case(keyword))
}

/// The index of the word after an optional `hex`: `hex <secret>` masks the secret, a lone
/// `hex` (nothing after it) is itself the secret.
pub(crate) fn after_hex(words: &[&str], at: usize) -> usize {
    if is(words.get(at).copied(), "hex") && words.get(at + 1).is_some() {
        at + 1
    } else {
        at
    }
}

/// The families a top-level line may belong to, in table order.
pub fn candidates(line: &str) -> &'static [&'static dyn CliFamily] {
    index()
        .get(significant_word(line))
        .map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<&'static str> {
        candidates(line).iter().map(|f| f.name()).collect()
    }

    #[test]
    fn a_line_finds_its_families_by_its_significant_word() {
        assert_eq!(
            names("access-list a extended permit ip any any"),
            ["access-list"]
        );
        assert_eq!(
            names("no access-group a in interface inside"),
            ["access-list"]
        );
        assert_eq!(names("clear configure nat"), ["nat"]);
        assert_eq!(
            names("clear configure interface"),
            ["interface settings", "interface"]
        );
        assert_eq!(
            names("no object network web"),
            ["object network", "object-group"]
        );
        assert_eq!(names("hostname fw"), ["hostname"]);
        assert_eq!(
            names("ipv6 route outside ::/0 fe80::1"),
            ["route", "interface settings"]
        );
        assert_eq!(names("no ntp server 10.0.0.1"), ["device setup"]);
        assert!(names("pager lines 24").is_empty());
        assert!(names("").is_empty());
    }

    #[test]
    fn only_nat_lines_name_objects_in_any_word() {
        assert!(any_word_names_objects("nat"));
        for word in ["access-list", "object", "object-group", "route", "natx", ""] {
            assert!(!any_word_names_objects(word), "{word}");
        }
    }

    #[test]
    fn object_families_define_by_the_rank_of_their_block() {
        // The families compare ranks with their sections' values: the same as the ranks.
        for (line, section) in [
            ("object network", Section::ObjectNetwork),
            ("object service", Section::ObjectService),
            ("object-group", Section::ObjectGroup),
        ] {
            assert_eq!(super::super::sections::rank_of_line(line), section as u16);
        }
        fn defines(head: &str, rank: Section) -> Option<(Namespace, &str)> {
            candidates(head)
                .iter()
                .find_map(|f| f.defines_referable(head, rank as u16))
        }
        assert_eq!(
            defines("object network web", Section::ObjectNetwork),
            Some((Namespace::Object, "web"))
        );
        assert_eq!(
            defines("object service http", Section::ObjectService),
            Some((Namespace::Object, "http"))
        );
        assert_eq!(
            defines("object-group service sg tcp", Section::ObjectGroup),
            Some((Namespace::Group, "sg"))
        );
        // An object whose lines are all its NAT rule ranks with `nat`: it defines nothing.
        assert_eq!(defines("object network web", Section::Nat), None);
        assert_eq!(
            defines("no object network web", Section::ObjectNetwork),
            None
        );
    }

    /// The family declaring the sub-mode `line` opens, and its prompt.
    fn submode_owner(line: &str) -> Option<(&'static str, &'static str)> {
        let parsed = parse_command(line).ok();
        let head = Head::new(line);
        of_word(head.word(0)?).iter().find_map(|f| {
            f.submode(&head, parsed.as_ref())
                .map(|(_, prompt)| (f.name(), prompt))
        })
    }

    #[test]
    fn families_declare_the_sub_modes_their_lines_open() {
        // Every prompt of a block-opening top-level line, with the family declaring it; the
        // lines come from the corpus and the tests (all 20,000 such lines of both agreed with
        // the keyword list lina-sim asked before), the last few from the ASA's manuals.
        let cases = [
            ("interface GigabitEthernet0/1", "interface", "config-if"),
            (
                "object network web",
                "object network",
                "config-network-object",
            ),
            (
                "object service OS_ICMP",
                "object-group",
                "config-service-object",
            ),
            (
                "object-group network Lab",
                "object-group",
                "config-network-object-group",
            ),
            (
                "object-group service OGS1 tcp",
                "object-group",
                "config-service-object-group",
            ),
            (
                "object-group protocol p",
                "object-group",
                "config-protocol-object-group",
            ),
            (
                "object-group icmp-type i",
                "object-group",
                "config-icmp-object-group",
            ),
            (
                "object-group user all",
                "object-group",
                "config-user-object-group",
            ),
            (
                "object-group security base",
                "object-group",
                "config-security-object-group",
            ),
            ("policy-map global_policy", "service policy", "config-pmap"),
            (
                "class-map inspection_default",
                "service policy",
                "config-cmap",
            ),
            ("time-range always", "time-range", "config-time-range"),
            (
                "dns server-group DefaultDNS",
                "device setup",
                "config-dns-server-group",
            ),
            ("username admin attributes", "username", "config-username"),
            (
                "group-policy gp attributes",
                "site-to-site vpn",
                "config-group-policy",
            ),
            (
                "tunnel-group 1.2.3.4 general-attributes",
                "site-to-site vpn",
                "config-tunnel-general",
            ),
            (
                "tunnel-group 1.2.3.4 ipsec-attributes",
                "site-to-site vpn",
                "config-tunnel-ipsec",
            ),
            (
                "tunnel-group tun01 webvpn-attributes",
                "site-to-site vpn",
                "config-tunnel-webvpn",
            ),
            (
                "tunnel-group tun01 ppp-attributes",
                "site-to-site vpn",
                "config-ppp",
            ),
            (
                "crypto ikev1 policy 10",
                "site-to-site vpn",
                "config-ikev1-policy",
            ),
            (
                "crypto ikev2 policy 1",
                "site-to-site vpn",
                "config-ikev2-policy",
            ),
            (
                "crypto ipsec ikev2 ipsec-proposal IKE2",
                "site-to-site vpn",
                "config-ipsec-proposal",
            ),
            (
                "crypto ipsec profile P",
                "site-to-site vpn",
                "config-ipsec-profile",
            ),
            ("crypto ca trustpoint TP", "crypto", "config-ca-trustpoint"),
            (
                "crypto ca certificate chain TP",
                "crypto",
                "config-cert-chain",
            ),
            (
                "crypto ca trustpool policy",
                "crypto",
                "config-ca-trustpool",
            ),
            ("crypto ca server", "crypto", "config-ca-server"),
            (
                "aaa-server RAD protocol radius",
                "aaa-server",
                "config-aaa-server-group",
            ),
            (
                "aaa-server R (inside) host 10.0.0.1",
                "aaa-server",
                "config-aaa-server-host",
            ),
            (
                "aaa-server R host 1.1.1.1",
                "aaa-server",
                "config-aaa-server-host",
            ),
            ("license smart", "license", "config-smart-lic"),
            ("tls-proxy sip", "tls-proxy", "config-tlsp"),
            ("ddns update method m1", "ddns", "DDNS-update-method"),
            ("failover group 1", "failover", "config-fover-group"),
            ("webvpn", "webvpn", "config-webvpn"),
            ("call-home", "call-home", "config-call-home"),
            ("class inspection_default", "class", "config-pmap-c"),
            ("router ospf 1", "router", "config-router"),
            (
                "route-map PERMIT permit 10",
                "route-map",
                "config-route-map",
            ),
            ("policy-list pl", "policy-list", "config-policy-list"),
            (
                "dynamic-access-policy-record DfltAccessPolicy",
                "dynamic-access-policy-record",
                "config-dynamic-access-policy-record",
            ),
            ("ldap attribute-map AD", "ldap", "config-ldap-attribute-map"),
            ("sla monitor 10", "sla", "config-sla-monitor"),
            ("vpn load-balancing", "vpn", "config-load-balancing"),
            ("context ctx1", "context", "config-ctx"),
            // In any case, as before.
            (
                "OBJECT network web",
                "object network",
                "config-network-object",
            ),
            (
                "Object-Group Network g",
                "object-group",
                "config-network-object-group",
            ),
            ("WebVPN", "webvpn", "config-webvpn"),
        ];
        for (line, family, prompt) in cases {
            assert_eq!(submode_owner(line), Some((family, prompt)), "{line}");
            let parsed = parse_command(line).ok();
            assert_eq!(
                modes::submode_of(line, parsed.as_ref()).map(|(_, p)| p),
                Some(prompt),
                "{line}"
            );
            // The agent side's keyword list (no longer asked by lina-sim) agrees.
            assert_eq!(
                cli_translator::keywords::opens_submode(line),
                Some(prompt),
                "{line}"
            );
        }
        // One-line commands open nothing.
        for line in [
            "interface",
            "object network",
            "no object-group network g",
            "object-group network",
            "tls-proxy maximum-session 100",
            "tls-proxy p extra",
            "webvpn enable outside",
            "sla monitor schedule 10",
            "tunnel-group t type ipsec-l2l",
            "crypto ipsec ikev1 transform-set t esp-aes esp-sha-hmac",
            "crypto map m 10 match address a",
            "group-policy gp internal",
            "username admin password x privilege 15",
            "failover lan unit primary",
            "dns domain-lookup inside",
            "hostname asa",
            "access-list a extended permit ip any any",
            "clear configure interface",
            "",
        ] {
            let parsed = parse_command(line).ok();
            let want = cli_translator::keywords::opens_submode(line);
            assert_eq!(
                modes::submode_of(line, parsed.as_ref()).map(|(_, p)| p),
                want,
                "{line}"
            );
        }
        // Nested modes (a policy map's `parameters`, a call-home `profile`) are sub-commands of
        // their block, never top-level lines: no family opens them.
        assert_eq!(modes::submode_of("parameters", None), None);
        assert_eq!(modes::submode_of("profile p", None), None);
    }

    #[test]
    fn typed_interface_and_object_lines_open_their_typed_modes() {
        let mode = |line: &str| {
            let parsed = parse_command(line).ok();
            modes::submode_of(line, parsed.as_ref()).map(|(kind, _)| kind)
        };
        assert_eq!(
            mode("interface GigabitEthernet0/1"),
            Some(SubKind::Interface)
        );
        assert_eq!(
            mode("object network web"),
            Some(SubKind::Object("web".into()))
        );
        assert_eq!(
            mode("OBJECT network web"),
            Some(SubKind::Object("web".into()))
        );
        // A line the grammar does not read keeps its lines verbatim, with the same prompt.
        assert_eq!(
            modes::submode_of("object network web", None),
            Some((SubKind::Verbatim, "config-network-object"))
        );
        assert_eq!(
            modes::submode_of("interface GigabitEthernet0/1", None),
            Some((SubKind::Verbatim, "config-if"))
        );
        assert_eq!(mode("policy-map p"), Some(SubKind::Verbatim));
    }

    #[test]
    fn families_say_which_sub_commands_their_blocks_take() {
        assert!(check_sub("interface GigabitEthernet0/1", "nameif inside", None).is_ok());
        assert!(check_sub("interface GigabitEthernet0/1", "no shutdown", None).is_ok());
        assert_eq!(
            check_sub("interface GigabitEthernet0/1", "no frobnicate", None),
            Err(CliError::invalid("no frobnicate", 3))
        );
        assert!(check_sub("object network web", "host 10.0.0.1", None).is_ok());
        assert!(
            check_sub(
                "object network web",
                "nat (inside,outside) dynamic interface",
                None
            )
            .is_ok()
        );
        assert!(check_sub("object network web", "nameif x", None).is_err());
        assert!(
            check_sub(
                "object-group network g",
                "network-object host 10.0.0.1",
                None
            )
            .is_ok()
        );
        assert!(check_sub("object-group network g", "port-object eq 80", None).is_err());
        // Blocks of families without their own sub-mode semantics take any line.
        assert!(check_sub("policy-map global_policy", "class inspection_default", None).is_ok());
    }

    #[test]
    fn families_name_what_their_lines_define_and_require() {
        assert_eq!(
            defined_name("time-range work"),
            Some(("time-range", "work"))
        );
        assert_eq!(defined_name("regex r \"x\""), Some(("regex", "r")));
        assert_eq!(
            defined_name("crypto ca trustpoint TP"),
            Some(("trustpoint", "TP"))
        );
        assert_eq!(defined_name("crypto ca trustpool policy"), None);
        assert_eq!(defined_name("object-group network g"), None);
        assert_eq!(defined_name("time-range"), None);
        assert_eq!(
            required_name("ssl trust-point TP outside"),
            Some(("trustpoint", "TP"))
        );
        assert_eq!(
            required_name("crypto ikev2 remote-access trustpoint TP line 1"),
            Some(("trustpoint", "TP"))
        );
        assert_eq!(required_name("no ssl trust-point TP outside"), None);
        assert_eq!(required_name("ssl server-version tlsv1.2"), None);
    }

    #[test]
    fn families_say_which_word_names_an_interface() {
        let slot = |line: &str| nameif_slot(&line.split_whitespace().collect::<Vec<_>>());
        for (line, want) in [
            ("access-group a in interface inside", Some(4)),
            ("route outside 0.0.0.0 0.0.0.0 1.1.1.1 1", Some(1)),
            ("ipv6 route outside ::/0 fe80::1", Some(2)),
            ("ipv6 enforce-eui64 inside", Some(2)),
            ("mtu inside 1500", Some(1)),
            ("nat (inside,outside) source static a b", Some(1)),
            ("monitor-interface inside", Some(1)),
            ("logging host inside 10.0.0.1", Some(2)),
            ("snmp-server host inside 10.0.0.1 community c", Some(2)),
            ("http 10.0.0.0 255.0.0.0 inside", Some(3)),
            ("http server enable", None),
            ("dhcpd enable inside", Some(2)),
            ("icmp permit any inside", Some(3)),
            ("service-policy p interface inside", Some(3)),
            ("ip audit interface inside p", Some(3)),
            ("crypto map m interface outside", Some(4)),
            ("crypto ca trustpoint TP", None),
            ("hostname fw", None),
            ("no route outside 0.0.0.0 0.0.0.0 1.1.1.1", None),
        ] {
            assert_eq!(slot(line), want, "{line}");
        }
    }

    #[test]
    fn families_say_which_word_is_a_secret() {
        let at = |line: &str, parent: Option<&str>| {
            let words: Vec<&str> = line.split_whitespace().collect();
            secret_index(&words, line.starts_with(' '), parent)
        };
        assert_eq!(at("ntp authentication-key 1 md5 s", None), Some(4));
        assert_eq!(at("FAILOVER KEY hex s", None), Some(3));
        assert_eq!(at("license-server address 1.1.1.1 secret s", None), Some(4));
        assert_eq!(at("snmp-server community c", None), Some(2));
        assert_eq!(at("aaa-server R (inside) host 10.0.0.1 k", None), Some(5));
        assert_eq!(at(" key k", Some("aaa-server R host 1.1.1.1")), Some(1));
        assert_eq!(at(" key 1", Some("key chain c")), None);
        assert_eq!(at(" ikev1 pre-shared-key s", None), Some(2));
        assert_eq!(at(" ospf authentication-key s", None), Some(2));
        // Top-level forms are not sub-commands, and the other way round.
        assert_eq!(at(" ntp authentication-key 1 md5 s", None), None);
        assert_eq!(at("ospf authentication-key s", None), None);
        assert!(!may_carry_secret("hostname"));
        assert!(may_carry_secret("Snmp-Server"));
    }

    #[test]
    fn families_say_which_deletions_are_refused_in_use() {
        assert_eq!(
            checked_defined_name("time-range work"),
            Some(("time-range", "work"))
        );
        assert_eq!(
            checked_defined_name("tls-proxy p"),
            Some(("tls-proxy", "p"))
        );
        // Trust-points are defined, but their deletion is the crypto family's own check.
        assert_eq!(checked_defined_name("crypto ca trustpoint TP"), None);
    }

    #[test]
    fn every_keyword_is_a_known_configuration_word() {
        for family in FAMILIES {
            for word in family.keywords() {
                assert!(
                    cli_translator::keywords::is_config_keyword(word),
                    "{}: {word}",
                    family.name()
                );
            }
        }
    }
}
