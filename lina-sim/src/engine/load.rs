//! Loading a saved configuration: lenient, like an ASA booting. Every line is kept, in order;
//! what the grammar knows is typed, the rest is verbatim. Only the header and trailer
//! (`: ` comment lines, `Cryptochecksum:`) are dropped; the `ASA Version` line keeps its place.

use cli_translator::ast::{Command, HashScheme, Line, Password};
use cli_translator::parse::parse_command;

use super::aaa::hash_password;
use super::config::{Block, Config, Entry};
use super::entropy::Entropy;
use super::modes::{self, SubKind};

/// Whether a top-level line is part of the header or trailer that printing regenerates.
pub fn is_header_line(line: &str) -> bool {
    line == ":" || line.starts_with(": ") || line.starts_with("Cryptochecksum:")
}

/// Hashes a clear password given on a `username` line (it is never stored or printed in clear).
pub fn harden(cmd: Command, rng: &mut Entropy) -> Command {
    match cmd {
        Command::Username {
            name,
            password: Password::Clear(clear),
            privilege,
        } => Command::Username {
            name,
            password: Password::Hashed {
                hash: hash_password(&clear, rng.bytes()),
                scheme: HashScheme::Pbkdf2,
            },
            privilege,
        },
        // An MS-CHAP password is stored `nt-encrypted`; the simulator's hash is its pbkdf2.
        Command::Username {
            name,
            password: Password::ClearMschap(clear),
            privilege,
        } => Command::Username {
            name,
            password: Password::Hashed {
                hash: hash_password(&clear, rng.bytes()),
                scheme: HashScheme::NtEncrypted,
            },
            privilege,
        },
        other => other,
    }
}

/// A top-level line as the configuration keeps it.
fn top_entry(text: &str, rng: &mut Entropy) -> (Entry, Option<Command>) {
    match parse_command(text) {
        Ok(cmd) if is_top_level_command(&cmd) => {
            let parsed = cmd.clone();
            let hardened = harden(cmd, rng);
            if hardened == parsed {
                (Entry::loaded(Line::Typed(hardened), text), Some(parsed))
            } else {
                (Entry::typed(hardened), Some(parsed))
            }
        }
        Ok(cmd) => (Entry::verbatim(text), Some(cmd)),
        Err(_) => (Entry::verbatim(text), None),
    }
}

/// Typed commands that stand on their own as configuration lines.
pub fn is_top_level_command(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::Hostname(_)
            | Command::Interface(_)
            | Command::Username { .. }
            | Command::ObjectNetwork(_)
            | Command::Logging(_)
    )
}

/// A sub-command line as the configuration keeps it (`text` may carry extra indentation).
fn child_entry(kind: Option<&SubKind>, text: &str) -> Entry {
    if text.starts_with(' ') {
        return Entry::verbatim(text);
    }
    let typed = match (kind, parse_command(text)) {
        (Some(SubKind::Interface), Ok(cmd)) if modes::is_interface_sub(&cmd) => Some(cmd),
        (Some(SubKind::Object(_)), Ok(cmd)) if modes::is_object_sub(&cmd) => Some(cmd),
        _ => None,
    };
    match typed {
        Some(cmd) => Entry::loaded(Line::Typed(cmd), text),
        None => Entry::verbatim(text),
    }
}

struct Loader<'r> {
    blocks: Vec<Block>,
    /// The sub-mode of the last block, for unindented sub-commands.
    mode: Option<SubKind>,
    /// Indentation of the first child of the last block (deeper lines keep the difference).
    child_indent: Option<usize>,
    /// Blank lines not yet placed.
    blanks: usize,
    rng: &'r mut Entropy,
}

impl Loader<'_> {
    fn flush_blanks_top(&mut self) {
        for _ in 0..self.blanks {
            self.blocks.push(Block::leaf(Entry::verbatim("")));
        }
        self.blanks = 0;
    }

    fn can_take_children(&self) -> bool {
        self.blocks
            .last()
            .is_some_and(|b| !b.is_separator() && !b.is_version())
    }

    fn push_child(&mut self, indent: usize, text: &str) {
        let first = self.child_indent.is_none();
        let base = *self.child_indent.get_or_insert(indent);
        let extra = if first {
            0
        } else {
            indent.saturating_sub(base)
        };
        let mut child = String::with_capacity(extra + text.len());
        for _ in 0..extra {
            child.push(' ');
        }
        child.push_str(text);
        let entry = child_entry(self.mode.as_ref(), &child);
        let blanks = std::mem::take(&mut self.blanks);
        if let Some(block) = self.blocks.last_mut() {
            for _ in 0..blanks {
                block.children.push(Entry::verbatim(""));
            }
            block.children.push(entry);
        }
    }

    fn push_top(&mut self, text: &str) {
        self.flush_blanks_top();
        self.child_indent = None;
        if text.starts_with('!') {
            self.mode = None;
            self.blocks.push(Block::leaf(Entry::verbatim(text)));
            return;
        }
        let (entry, parsed) = top_entry(text, self.rng);
        self.mode = modes::submode_of(text, parsed.as_ref()).map(|(k, _)| k);
        self.blocks.push(Block::leaf(entry));
    }

    fn line(&mut self, raw: &str) {
        let line = raw.trim_end();
        let text = line.trim_start();
        if text.is_empty() {
            self.blanks += 1;
            return;
        }
        let indent = line.len() - text.len();
        if indent == 0 && is_header_line(text) {
            return;
        }
        if indent == 0 && text.starts_with("ASA Version") {
            self.flush_blanks_top();
            self.mode = None;
            self.blocks.push(Block::leaf(Entry::verbatim(text)));
            return;
        }
        if indent > 0 {
            if self.can_take_children() {
                self.push_child(indent, text);
            } else {
                self.push_top(text);
            }
            return;
        }
        let is_sub = match &self.mode {
            Some(kind) if self.can_take_children() && !text.starts_with('!') => {
                let parsed = parse_command(text).ok();
                modes::is_unindented_sub(kind, text, parsed.as_ref())
            }
            _ => false,
        };
        if is_sub {
            self.push_child(0, text);
        } else {
            self.push_top(text);
        }
    }
}

/// Loads configuration text. Never fails.
pub fn load(text: &str, rng: &mut Entropy) -> Config {
    let mut loader = Loader {
        blocks: Vec::new(),
        mode: None,
        child_indent: None,
        blanks: 0,
        rng,
    };
    for raw in text.lines() {
        loader.line(raw);
    }
    loader.flush_blanks_top();
    let mut blocks = loader.blocks;
    if !blocks.iter().any(Block::is_version) {
        blocks.insert(0, Block::leaf(Entry::verbatim("ASA Version")));
    }
    let mut config = Config::new();
    for mut b in blocks {
        // Re-rank now that the children are known (object NAT blocks).
        let children = std::mem::take(&mut b.children);
        config.push(Block::new(b.head, children));
    }
    config.commit();
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::Key;

    fn print(c: &Config) -> String {
        let mut out = String::new();
        c.print_body("ASA Version 9.16(4) ", &mut out);
        out
    }

    fn rng() -> Entropy {
        Entropy::from_seed([5; 32])
    }

    #[test]
    fn keeps_every_line_in_order_and_drops_the_header() {
        let text = ": Saved\n:\nASA Version 9.9\n!\nhostname fw\nnames\n\n!\ninterface GigabitEthernet0/1\n  nameif inside\n  security-level 100\n!\nfoo bar\naccess-list a extended permit ip any any\nCryptochecksum:abc\n: end\n";
        let c = load(text, &mut rng());
        assert_eq!(
            print(&c),
            "ASA Version 9.16(4) \n!\nhostname fw\nnames\n\n!\ninterface GigabitEthernet0/1\n nameif inside\n security-level 100\n!\nfoo bar\naccess-list a extended permit ip any any\n"
        );
        assert!(c.lookup(&Key::Hostname).is_some());
        assert!(
            c.lookup(&Key::Interface("GigabitEthernet0/1".into()))
                .is_some()
        );
    }

    #[test]
    fn a_missing_version_line_goes_first() {
        let c = load("hostname a\n", &mut rng());
        assert_eq!(print(&c), "ASA Version 9.16(4) \nhostname a\n");
    }

    #[test]
    fn unindented_sub_commands_join_their_block() {
        let c = load(
            "interface Ethernet0\nnameif test\nsecurity-level 10\n!\nhostname h\n",
            &mut rng(),
        );
        let id = c.lookup(&Key::Interface("Ethernet0".into())).unwrap();
        let b = c.block(id).unwrap();
        assert_eq!(b.children.len(), 2);
        assert!(matches!(b.children[0].command(), Some(Command::Nameif(n)) if n == "test"));
    }

    #[test]
    fn deeper_indentation_is_kept_relative() {
        let c = load(
            "policy-map global_policy\n class inspection_default\n  inspect ftp\n",
            &mut rng(),
        );
        assert!(
            print(&c)
                .ends_with("policy-map global_policy\n class inspection_default\n  inspect ftp\n")
        );
    }

    #[test]
    fn clear_passwords_are_hashed_on_load() {
        let c = load("username bob password hunter2 privilege 15\n", &mut rng());
        let out = print(&c);
        assert!(!out.contains("hunter2"), "{out}");
        assert!(out.contains("username bob password $sha512$5000$"), "{out}");
        assert!(out.contains(" pbkdf2 privilege 15"), "{out}");
    }

    #[test]
    fn loaded_typed_lines_print_as_written() {
        let text = "logging buffered 7\ninterface Management0/0\n nameif   mgmt\n";
        let c = load(text, &mut rng());
        assert_eq!(
            print(&c),
            "ASA Version 9.16(4) \nlogging buffered 7\ninterface Management0/0\n nameif   mgmt\n"
        );
    }

    #[test]
    fn blank_lines_inside_a_block_stay_inside() {
        let c = load(
            "webvpn\n enable outside\n\n anyconnect enable\nhostname x\n",
            &mut rng(),
        );
        assert_eq!(
            print(&c),
            "ASA Version 9.16(4) \nwebvpn\n enable outside\n \n anyconnect enable\nhostname x\n"
        );
    }
}
