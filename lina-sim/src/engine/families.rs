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
//! Still outside the registry (issue 11): which unindented line belongs to an open block
//! (`modes.rs`), print order
//! (`sections.rs`), in-use checks (`in_use.rs`, `refs.rs`) and secrets (`mask.rs`).

use std::collections::HashMap;
use std::sync::OnceLock;

use cli_translator::ast::Command;
use cli_translator::parse::{ParseError, ParseErrorKind, parse_command};

use super::apply::{Applier, Step, negated, parse_error, word_offset};
use super::error::CliError;
use super::modes::{self, SubKind, Submode};
use super::object_groups;
use super::sections::starts_with_words;

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
    fn check_sub(&self, _head: &str, _line: &str) -> Option<Result<(), CliError>> {
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
}

/// A family whose every top-level line goes to one `Applier` method:
/// `simple_family!(Type, "name", ["keyword", ...], method)`.
macro_rules! simple_family {
    ($ty:ident, $name:literal, [$($keyword:literal),+ $(,)?], $method:ident) => {
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
        }
    };
}
pub(crate) use simple_family;

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
    fn apply(&self, _a: &mut Applier<'_>, _line: &str) -> Option<Result<Step, CliError>> {
        None
    }
    fn defines<'l>(&self, head: &'l str) -> Option<(&'static str, &'l str)> {
        Some(("time-range", name_after(head, "time-range")?))
    }
}

impl CliFamily for Regexes {
    fn name(&self) -> &'static str {
        "regex"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["regex"]
    }
    fn apply(&self, _a: &mut Applier<'_>, _line: &str) -> Option<Result<Step, CliError>> {
        None
    }
    fn defines<'l>(&self, head: &'l str) -> Option<(&'static str, &'l str)> {
        Some(("regex", name_after(head, "regex")?))
    }
}

impl CliFamily for Crypto {
    fn name(&self) -> &'static str {
        "crypto"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["crypto"]
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
                .push_child(sub.block, super::config::Entry::verbatim(line.to_owned()));
        }
        Some(Ok(Step::Done(None)))
    }
    fn check_sub(&self, _head: &str, line: &str) -> Option<Result<(), CliError>> {
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
    fn check_sub(&self, head: &str, line: &str) -> Option<Result<(), CliError>> {
        object_groups::family_of(head)?;
        Some(object_groups::check_member_syntax(head, line))
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
    access_command
);

simple_family!(Routes, "route", ["route", "ipv6"], route_command);

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
    setup_command
);

simple_family!(Nat, "nat", ["nat"], nat_command);

simple_family!(
    InterfaceSettings,
    "interface settings",
    ["mtu", "ipv6", "interface"],
    interface_command
);

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
struct Interfaces;
/// `username <name> password ...`, `no username <name>`.
struct Users;
/// `object network <name>`, `no object network <name>`.
struct NetworkObjects;
/// `logging enable|timestamp|buffered|trap|host`, and their `no` forms.
struct Logging;

impl CliFamily for Hostname {
    fn name(&self) -> &'static str {
        "hostname"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["hostname"]
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
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        typed(a, line, |c| matches!(c, Command::Interface(_)))
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
    fn check_sub(&self, head: &str, line: &str) -> Option<Result<(), CliError>> {
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
}

impl CliFamily for Users {
    fn name(&self) -> &'static str {
        "username"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["username"]
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        typed(a, line, |c| {
            matches!(c, Command::Username { .. } | Command::NoUsername(_))
        })
    }
}

impl CliFamily for NetworkObjects {
    fn name(&self) -> &'static str {
        "object network"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["object"]
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        typed(a, line, |c| {
            matches!(c, Command::ObjectNetwork(_) | Command::NoObjectNetwork(_))
        })
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
    fn check_sub(&self, head: &str, line: &str) -> Option<Result<(), CliError>> {
        if !starts_with_words(head, "object network") {
            return None;
        }
        let ok = matches!(parse_command(line), Ok(cmd) if modes::is_object_sub(&cmd))
            || modes::key_word(line) == "nat";
        Some(if ok {
            Ok(())
        } else {
            Err(CliError::invalid(line, word_offset(line, 0)))
        })
    }
}

impl CliFamily for Logging {
    fn name(&self) -> &'static str {
        "logging"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["logging"]
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        typed(a, line, |c| {
            matches!(c, Command::Logging(_) | Command::NoLogging(_))
        })
    }
}

// issue 14: AAA
/// `aaa authentication ... console`, `aaa authorization command|exec`, `privilege`
/// (`privileges.rs`).
struct Privileges;

simple_family!(Privileges, "aaa", ["aaa", "privilege"], privileges_command);

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
        let check = self.check_sub(head, line)?;
        // Valid lines are left to the verbatim rules (which store and replace them).
        check.err().map(Err)
    }
    fn check_sub(&self, head: &str, line: &str) -> Option<Result<(), CliError>> {
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
];

/// The significant word of a top-level line: the first, after `no` or `clear configure`.
pub fn significant_word(line: &str) -> &str {
    let mut words = line.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some("no"), Some(w), _) => w,
        (Some("clear"), Some("configure"), Some(w)) => w,
        (Some(w), _, _) => w,
        _ => "",
    }
}

fn index() -> &'static HashMap<&'static str, Vec<&'static dyn CliFamily>> {
    static INDEX: OnceLock<HashMap<&'static str, Vec<&'static dyn CliFamily>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<&'static dyn CliFamily>> = HashMap::new();
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
pub fn check_sub(head: &str, line: &str) -> Result<(), CliError> {
    candidates(head)
        .iter()
        .find_map(|f| f.check_sub(head, line))
        .unwrap_or(Ok(()))
}

/// The item a defining line names, as (kind, name), by its family.
pub fn defined_name(head: &str) -> Option<(&'static str, &str)> {
    if head.starts_with(' ') || head.starts_with("no ") {
        return None;
    }
    candidates(head).iter().find_map(|f| f.defines(head))
}

/// The item a top-level line needs defined, as (kind, name), by its family.
pub fn required_name(line: &str) -> Option<(&'static str, &str)> {
    if line.starts_with("no ") {
        return None;
    }
    candidates(line).iter().find_map(|f| f.requires(line))
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
    fn families_say_which_sub_commands_their_blocks_take() {
        assert!(check_sub("interface GigabitEthernet0/1", "nameif inside").is_ok());
        assert!(check_sub("interface GigabitEthernet0/1", "no shutdown").is_ok());
        assert_eq!(
            check_sub("interface GigabitEthernet0/1", "no frobnicate"),
            Err(CliError::invalid("no frobnicate", 3))
        );
        assert!(check_sub("object network web", "host 10.0.0.1").is_ok());
        assert!(
            check_sub(
                "object network web",
                "nat (inside,outside) dynamic interface"
            )
            .is_ok()
        );
        assert!(check_sub("object network web", "nameif x").is_err());
        assert!(check_sub("object-group network g", "network-object host 10.0.0.1").is_ok());
        assert!(check_sub("object-group network g", "port-object eq 80").is_err());
        // Blocks of families without their own sub-mode semantics take any line.
        assert!(check_sub("policy-map global_policy", "class inspection_default").is_ok());
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
