//! CLI sub-modes: which block a sub-command belongs to, and whether an unindented line in a
//! sub-mode is one of its sub-commands (as the ASA CLI decides) or a new top-level command.
//! The sub-mode a line opens (kind and prompt) is its family's to declare
//! ([`CliFamily::submode`]).

use cli_translator::ast::Command;
use cli_translator::keywords;

use super::config::BlockId;
use super::families::CliFamily;

/// What kind of block a sub-mode edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubKind {
    /// `interface <hw>`: typed sub-commands plus verbatim ones (speed, vlan, ipv6 ...).
    Interface,
    /// `object network <name>`: host/subnet/range/fqdn, description, nat.
    Object(String),
    /// Any other block-opening line: children kept verbatim.
    Verbatim,
}

/// The block a session is inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submode {
    pub kind: SubKind,
    pub block: BlockId,
    /// The prompt suffix (`config-if`).
    pub prompt: &'static str,
    /// The last first-level child this session touched: deeper lines go under it.
    pub last_child: Option<String>,
}

/// The unindented words interface mode takes (the interface family's).
fn interface_words() -> &'static [&'static str] {
    super::families::Interfaces.sub_words()
}

/// The unindented words `object network` mode takes (the network object family's).
fn object_words() -> &'static [&'static str] {
    super::families::NetworkObjects.sub_words()
}

/// Whether `line` (or its `no` form) starts with a sub-command word of interface mode.
pub fn is_interface_word(line: &str) -> bool {
    let word = key_word(line).to_ascii_lowercase();
    interface_words().contains(&word.as_str())
}

/// Whether a typed command is a sub-command of interface mode.
pub fn is_interface_sub(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::Nameif(_)
            | Command::NoNameif
            | Command::SecurityLevel(_)
            | Command::NoSecurityLevel
            | Command::IpAddress { .. }
            | Command::IpAddressDhcp { .. }
            | Command::NoIpAddress
            | Command::Shutdown
            | Command::NoShutdown
            | Command::Description(_)
            | Command::NoDescription
    )
}

/// Whether a typed command is a sub-command of `object network` mode.
pub fn is_object_sub(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::Address(_)
            | Command::NoAddress(_)
            | Command::Description(_)
            | Command::NoDescription
    )
}

/// The significant word of a line: the first, or the second after `no`.
pub fn key_word(line: &str) -> &str {
    let mut words = cli_translator::words::split_words(line);
    match words.next() {
        Some(w) if w.eq_ignore_ascii_case("no") => words.next().unwrap_or(w),
        Some(w) => w,
        None => "",
    }
}

/// Whether the first word of `line` (after `no`) is a top-level configuration keyword.
pub fn is_top_level_word(line: &str) -> bool {
    keywords::is_config_keyword(key_word(line))
}

/// Whether an unindented `line` typed inside `kind` is one of its sub-commands.
pub fn is_unindented_sub(kind: &SubKind, line: &str, parsed: Option<&Command>) -> bool {
    if matches!(parsed, Some(Command::Exit | Command::End)) {
        return false;
    }
    let word = key_word(line).to_ascii_lowercase();
    match kind {
        SubKind::Interface if super::interfaces::is_global_line(line) => false,
        SubKind::Interface => {
            parsed.is_some_and(is_interface_sub)
                || interface_words().contains(&word.as_str())
                || !is_top_level_word(line)
        }
        // A twice NAT line (`nat (a,b) [after-auto] source ...`) is not the object's rule: the
        // ASA runs it in configuration mode (and prints `after-auto` lines right after the
        // object NAT blocks, so a saved configuration holds them there).
        SubKind::Object(_) if word == "nat" && is_twice_nat(line) => false,
        SubKind::Object(_) => {
            parsed.is_some_and(is_object_sub) || object_words().contains(&word.as_str())
        }
        SubKind::Verbatim => !is_top_level_word(line),
    }
}

/// Whether `line` (or its `no` form) is a twice NAT line: `source` (after the optional
/// interfaces, `after-auto` and line number) where an object's rule has its mode.
fn is_twice_nat(line: &str) -> bool {
    line.split_whitespace()
        .skip_while(|w| *w == "no" || *w == "nat")
        .find(|w| {
            !(w.starts_with('(') || *w == "after-auto" || w.bytes().all(|b| b.is_ascii_digit()))
        })
        == Some("source")
}

/// The sub-mode a top-level line opens, if any, as the family of its first word declares it
/// ([`CliFamily::submode`]); `parsed` is the line's typed reading when it has one.
pub fn submode_of(head: &str, parsed: Option<&Command>) -> Option<(SubKind, &'static str)> {
    super::families::submode_of(head, parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twice_nat_lines_leave_object_mode() {
        let o = SubKind::Object("o".into());
        assert!(is_unindented_sub(&o, "nat (in,out) static 1.1.1.1", None));
        assert!(is_unindented_sub(
            &o,
            "no nat (in,out) dynamic interface",
            None
        ));
        assert!(!is_unindented_sub(
            &o,
            "nat (in,out) after-auto source dynamic any interface",
            None
        ));
        assert!(!is_unindented_sub(
            &o,
            "nat (in,out) 3 source static a b",
            None
        ));
        assert!(!is_unindented_sub(&o, "no nat source static a b", None));
    }

    #[test]
    fn key_word_skips_no() {
        assert_eq!(key_word("no nameif"), "nameif");
        assert_eq!(key_word("  shutdown "), "shutdown");
        assert_eq!(key_word("no"), "no");
        assert_eq!(key_word(""), "");
    }

    #[test]
    fn interface_mode_claims_ip_and_unknown_words() {
        assert!(is_unindented_sub(
            &SubKind::Interface,
            "ip address 1.1.1.1 255.0.0.0",
            None
        ));
        assert!(is_unindented_sub(&SubKind::Interface, "speed 1000", None));
        assert!(is_unindented_sub(
            &SubKind::Interface,
            "no shutdown",
            Some(&Command::NoShutdown)
        ));
        assert!(!is_unindented_sub(
            &SubKind::Interface,
            "hostname x",
            Some(&Command::Hostname("x".into()))
        ));
        assert!(!is_unindented_sub(
            &SubKind::Interface,
            "exit",
            Some(&Command::Exit)
        ));
    }

    #[test]
    fn object_mode_claims_only_its_words() {
        let k = SubKind::Object("o".into());
        assert!(is_unindented_sub(
            &k,
            "nat (inside,outside) dynamic interface",
            None
        ));
        assert!(is_unindented_sub(&k, "host 1.1.1.1", None));
        assert!(!is_unindented_sub(&k, "interface GigabitEthernet0/0", None));
    }
}
