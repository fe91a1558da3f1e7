//! Loading a saved configuration: lenient, like an ASA booting. Every line of a known family
//! is kept, in order; what the grammar knows is typed, the rest is verbatim. The header and
//! trailer (`: ` comment lines, `Cryptochecksum:`) are dropped; the `ASA Version` line keeps
//! its place.
//!
//! A line the ASA would refuse (a word no family starts with, a sub-command its block does not
//! take, an invalid group member) is not kept: it becomes a [`BootError`], which
//! `show startup-config errors` prints and the daemon counts in its boot report. A repeated
//! block header (`object-group network X` twice) merges into the first block, as on an ASA.

use std::fmt;

use cli_translator::ast::{Command, HashScheme, Line, Password};
use cli_translator::parse::{ParseError, parse_command};

use super::aaa::hash_password;
use super::apply::{negated, word_offset};
use super::config::{Arena, Block, BlockBuf, Config, Entry, Map, Set};
use super::entropy::Entropy;
use super::error::CliError;
use super::families;
use super::modes::{self, SubKind};

/// A configuration line that loading could not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BootError {
    /// 1-based line number in the loaded text.
    pub line_no: usize,
    /// The line as written (without its line break).
    pub text: String,
    pub error: CliError,
}

impl fmt::Display for BootError {
    /// As `show startup-config errors` prints it: the command's output, then where it came
    /// from (`*** Output from config line 12, "objekt network x"`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}\n*** Output from config line {}, \"{}\"",
            self.error, self.line_no, self.text
        )
    }
}

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

/// A top-level line as the configuration keeps it, and the sub-mode it opens. `parsed` is the
/// line's parse when the caller already has it.
fn top_entry(
    text: &str,
    parsed: Option<Option<Command>>,
    rng: &mut Entropy,
) -> (Entry, Option<SubKind>) {
    let parsed = parsed.unwrap_or_else(|| parse_command(text).ok());
    let mode = modes::submode_of(text, parsed.as_ref()).map(|(k, _)| k);
    let entry = match parsed {
        // A clear password is hashed: the line is the grammar's, no longer as written.
        Some(
            cmd @ Command::Username {
                password: Password::Clear(_) | Password::ClearMschap(_),
                ..
            },
        ) => Entry::typed(harden(cmd, rng)),
        Some(cmd) if is_top_level_command(&cmd) => Entry::loaded(Line::Typed(cmd), text),
        _ => Entry::verbatim(text),
    };
    (entry, mode)
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

/// Whether a sub-command line is read by the grammar: in the modes that keep their lines typed
/// (interface and network object), and at the block's own indentation (`text` with extra
/// indentation stays verbatim). The one reading serves both [`child_error`] and
/// [`child_typed`] (issue 13: boot; each object's line was parsed twice, and every other
/// block's line once for nothing).
fn child_parsed(kind: Option<&SubKind>, text: &str) -> Option<Result<Command, ParseError>> {
    let keeps_typed = matches!(kind, Some(SubKind::Interface | SubKind::Object(_)));
    (keeps_typed && !text.starts_with(' ')).then(|| parse_command(text))
}

/// Whether the configuration keeps a sub-command line typed, by its reading
/// ([`child_parsed`]). The line's text goes into its block as it is.
fn child_typed(kind: Option<&SubKind>, parsed: families::Reading<'_>) -> bool {
    match (kind, parsed) {
        (Some(SubKind::Interface), Some(Ok(cmd))) => modes::is_interface_sub(cmd),
        (Some(SubKind::Object(_)), Some(Ok(cmd))) => modes::is_object_sub(cmd),
        _ => false,
    }
}

/// Why a sub-command line cannot belong to the block it follows (its family says).
fn child_error(
    kind: Option<&SubKind>,
    head: &str,
    text: &str,
    parsed: families::Reading<'_>,
) -> Option<CliError> {
    if kind.is_none() || text.starts_with(' ') {
        return None;
    }
    families::check_sub(head, text.trim(), parsed).err()
}

/// The room a loaded block that opens a sub-mode gets for its sub-commands, in bytes: an
/// object's address line, or a few group members, fit.
const CHILD_ROOM: usize = 64;

struct Loader<'r> {
    /// Blocks as read (their ranks are set once their children are known).
    blocks: Vec<BlockBuf>,
    /// The block sub-commands go to (the last block, or the first block of a repeated header).
    current: Option<usize>,
    /// Sub-mode headers seen so far, and their block: a repeated one merges into the first.
    headers: Map<String, usize>,
    /// The last top-level line was refused: its sub-commands are refused with it.
    refused_block: bool,
    /// The number of the line being read (1-based).
    line_no: usize,
    errors: Vec<BootError>,
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
        self.current
            .and_then(|i| self.blocks.get(i))
            .is_some_and(|b| !b.is_separator() && !b.is_version())
    }

    fn refuse(&mut self, text: &str, error: CliError) {
        self.errors.push(BootError {
            line_no: self.line_no,
            text: text.to_owned(),
            error,
        });
    }

    fn push_child(&mut self, indent: usize, text: &str) {
        let first = self.child_indent.is_none();
        let base = *self.child_indent.get_or_insert(indent);
        let extra = if first {
            0
        } else {
            indent.saturating_sub(base)
        };
        // Deeper lines keep the difference (a copy only for them).
        let child: std::borrow::Cow<'_, str> = if extra == 0 {
            text.into()
        } else {
            format!("{:extra$}{text}", "").into()
        };
        let head = self
            .current
            .and_then(|i| self.blocks.get(i))
            .map_or("", |b| b.head().text);
        let parsed = child_parsed(self.mode.as_ref(), &child);
        if let Some(e) = child_error(self.mode.as_ref(), head, &child, parsed.as_ref()) {
            self.refuse(text, e);
            return;
        }
        let typed = child_typed(self.mode.as_ref(), parsed.as_ref());
        let blanks = std::mem::take(&mut self.blanks);
        if let Some(block) = self.current.and_then(|i| self.blocks.get_mut(i)) {
            for _ in 0..blanks {
                block.push_child_unranked("", false);
            }
            block.push_child_unranked(&child, typed);
        }
    }

    /// A top-level line; `parsed` is its parse when the caller already has it.
    fn push_top(&mut self, text: &str, parsed: Option<Option<Command>>) {
        self.child_indent = None;
        self.refused_block = false;
        if text.starts_with('!') {
            self.flush_blanks_top();
            self.mode = None;
            self.blocks.push(Block::leaf(Entry::verbatim(text)));
            self.current = self.blocks.len().checked_sub(1);
            return;
        }
        if !modes::is_top_level_word(text) {
            self.refuse(
                text,
                CliError::invalid(text, word_offset(text, negated(text))),
            );
            self.mode = None;
            self.current = None;
            self.refused_block = true;
            return;
        }
        let (entry, mode) = top_entry(text, parsed, self.rng);
        if mode == Some(SubKind::Verbatim)
            && let Some(&first) = self.headers.get(text)
        {
            // A repeated header: its sub-commands join the first block.
            self.blanks = 0;
            self.mode = mode;
            self.current = Some(first);
            return;
        }
        self.flush_blanks_top();
        // A block that opens a sub-mode gets room for its sub-commands (packed into its
        // piece's arena at the end, so the spare room does not last).
        let spare = if mode.is_some() { CHILD_ROOM } else { 0 };
        self.mode = mode;
        self.blocks.push(BlockBuf::loading(entry.line(), spare));
        self.current = self.blocks.len().checked_sub(1);
        if self.mode == Some(SubKind::Verbatim)
            && let Some(i) = self.current
        {
            self.headers.insert(text.to_owned(), i);
        }
    }

    fn line(&mut self, raw: &str) {
        self.line_no += 1;
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
            self.current = self.blocks.len().checked_sub(1);
            return;
        }
        if indent > 0 && self.refused_block {
            self.refuse(text, CliError::invalid(text, 0));
            return;
        }
        if indent > 0 {
            if self.can_take_children() {
                self.push_child(indent, text);
            } else {
                self.push_top(text, None);
            }
            return;
        }
        let mut parsed = None;
        let is_sub = match &self.mode {
            Some(kind) if self.can_take_children() && !text.starts_with('!') => {
                let cmd = parse_command(text).ok();
                let sub = modes::is_unindented_sub(kind, text, cmd.as_ref());
                parsed = Some(cmd);
                sub
            }
            _ => false,
        };
        if is_sub {
            self.push_child(0, text);
        } else {
            // The line was parsed already: a top-level line after a block is not parsed twice.
            self.push_top(text, parsed);
        }
    }
}

/// Loads configuration text. Never fails: lines that could not be applied are left out (see
/// [`load_reporting`]).
pub fn load(text: &str, rng: &mut Entropy) -> Config {
    load_reporting(text, rng).0
}

/// What loading a piece of text gave: its blocks, the lines refused, and the sub-mode headers
/// seen (a repeated one merges into the first).
struct Loaded {
    arenas: Vec<Arena>,
    /// Whether a block is the `ASA Version` line.
    version: bool,
    errors: Vec<BootError>,
    headers: Map<String, usize>,
}

/// Loads the lines of `text`, numbered from `first_line_no + 1`.
fn load_piece(text: &str, first_line_no: usize, rng: &mut Entropy) -> Loaded {
    let mut loader = Loader {
        blocks: Vec::new(),
        current: None,
        headers: Map::default(),
        refused_block: false,
        line_no: first_line_no,
        errors: Vec::new(),
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
    let mut version = false;
    for b in &mut blocks {
        // Ranked now that the children are known (object NAT blocks).
        b.rerank();
        version |= b.is_version();
    }
    Loaded {
        // Packed into one arena on this core (each block's own string is freed as it goes).
        arenas: vec![Arena::of(blocks)],
        version,
        errors: loader.errors,
        headers: loader.headers,
    }
}

/// Texts above this size load in two pieces, one per core (issue 13: boot).
const SPLIT_ABOVE: usize = 1 << 20;

/// Where a large text can be cut in two pieces that load as the whole text does: the start
/// of an unindented line that follows an unindented `access-list` or `route` line (such a
/// line opens no sub-mode and takes no sub-command, so the loader's state there is the same
/// whatever came before: no mode, no pending blank line, no refused block, and the next line
/// is read as a top-level line), or the start of an `object network` or `object-group` line
/// (no sub-mode takes one as its sub-command, so it is read as a top-level line whatever came
/// before, and a top-level line sets the whole state afresh; issue 13: a configuration in
/// print order holds its objects first, often more than half of it, and was loaded in one
/// piece). Searched from the middle onwards, within a bounded distance.
#[cfg(test)]
fn split_point(text: &str) -> Option<usize> {
    split_point_from(text, text.len() / 2)
}

/// [`split_point`] searched from `at` onwards.
fn split_point_from(text: &str, mut at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let limit = (at + (4 << 20)).min(text.len());
    // The start of the line holding `at`.
    let mut prev = bytes.get(..at)?.iter().rposition(|b| *b == b'\n')? + 1;
    while at < limit {
        let nl = at + bytes.get(at..)?.iter().position(|b| *b == b'\n')?;
        let line = text.get(prev..nl)?;
        let start = nl + 1;
        let next = bytes.get(start).copied();
        if (line.starts_with("access-list ") || line.starts_with("route "))
            && next.is_some_and(|b| !b.is_ascii_whitespace())
        {
            return Some(start);
        }
        let rest = text.get(start..).unwrap_or("");
        if rest.starts_with("object network ") || rest.starts_with("object-group ") {
            return Some(start);
        }
        prev = start;
        at = start;
    }
    None
}

/// Loads configuration text, with the lines that could not be applied.
pub fn load_reporting(text: &str, rng: &mut Entropy) -> (Config, Vec<BootError>) {
    let loaded = if text.len() > SPLIT_ABOVE {
        load_split(text, rng)
    } else {
        None
    };
    let Loaded {
        arenas,
        version,
        errors,
        ..
    } = loaded.unwrap_or_else(|| load_piece(text, 0, rng));
    let lead = (!version).then(|| Block::leaf(Entry::verbatim("ASA Version")));
    let mut config = Config::of_arenas(lead, arenas);
    config.commit();
    (config, errors)
}

/// How many pieces a large text is cut into ([`split_points`]): more than the two cores, which
/// take them in turn, so that both finish together whatever each piece costs (issue 13: boot;
/// cut in two at the middle, the half holding the objects took 0.94 s of CPU at 100 MB and
/// the other 0.61 s; in eight, once each piece also counted its references, the pieces took
/// 0.86 to 1.38 s at 100 MB, and 0.89 to 1.07 s in sixteen).
const PIECES: usize = 16;

/// Where a large text is cut: near each `k / n` of it ([`split_point_from`]), in order.
fn split_points(text: &str, n: usize) -> Vec<usize> {
    let mut points: Vec<usize> = Vec::new();
    for k in 1..n {
        let target = text.len() / n * k;
        if points.last().is_some_and(|last| target <= *last) {
            continue;
        }
        if let Some(at) = split_point_from(text, target)
            && at < text.len()
            && points.last().is_none_or(|last| at > *last)
        {
            points.push(at);
        }
    }
    points
}

/// A large text loaded in pieces ([`split_points`]) on two threads at once; none when it has
/// no such point, or when a sub-mode header of one piece repeats one of another (the two
/// blocks would merge: the whole text is loaded in one piece then). Clear passwords of each
/// piece are hashed with salts of its own generator, seeded from `rng`.
fn load_split(text: &str, rng: &mut Entropy) -> Option<Loaded> {
    let points = split_points(text, PIECES);
    if points.is_empty() {
        return None;
    }
    let bounds: Vec<usize> = std::iter::once(0)
        .chain(points)
        .chain(std::iter::once(text.len()))
        .collect();
    let pieces: Vec<&str> = bounds
        .windows(2)
        .map(|w| text.get(w[0]..w[1]))
        .collect::<Option<_>>()?;
    let seeds: Vec<[u8; 32]> = pieces.iter().map(|_| rng.bytes()).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Each thread takes the next piece until none is left: (piece, what it loaded, its lines).
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (Some(piece), Some(seed)) = (pieces.get(i), seeds.get(i)) else {
                break done;
            };
            let loaded = load_piece(piece, 0, &mut Entropy::from_seed(*seed));
            let lines = piece.bytes().filter(|b| *b == b'\n').count();
            done.push((i, loaded, lines));
        }
    };
    // (No second thread: this one takes every piece. One that failed lost the pieces it took:
    // the text is then loaded in one piece.)
    let (other, mut loaded) = crate::cores::beside("load-piece", work, work);
    loaded.extend(other.into_iter().flatten());
    if loaded.len() != pieces.len() {
        return None;
    }
    loaded.sort_unstable_by_key(|(i, ..)| *i);
    // A header repeated across pieces: every piece's headers are distinct already, so one
    // set of borrowed names finds it (issue 13: boot: a std `HashSet` of owned names, hashed
    // with SipHash, took 0.2 s of one core at 100 MB, its 690,000 `object network` lines).
    let count = loaded.iter().map(|(_, piece, _)| piece.headers.len()).sum();
    let mut seen: Set<&str> = Set::with_capacity_and_hasher(count, Default::default());
    for (_, piece, _) in &loaded {
        if !piece.headers.keys().all(|header| seen.insert(header)) {
            return None;
        }
    }
    drop(seen);
    let mut whole = Loaded {
        arenas: Vec::with_capacity(loaded.len()),
        version: false,
        errors: Vec::new(),
        headers: Map::default(),
    };
    // The lines before each piece: its errors are numbered from there.
    let mut before = 0;
    for (_, piece, lines) in loaded {
        whole.arenas.extend(piece.arenas);
        whole.version |= piece.version;
        whole.errors.extend(piece.errors.into_iter().map(|mut e| {
            e.line_no += before;
            e
        }));
        before += lines;
    }
    Some(whole)
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
        let (c, errors) = load_reporting(text, &mut rng());
        assert_eq!(
            print(&c),
            "ASA Version 9.16(4) \n!\nhostname fw\nnames\n\n!\ninterface GigabitEthernet0/1\n nameif inside\n security-level 100\n!\naccess-list a extended permit ip any any\n"
        );
        // A line of no known family is the one line left out.
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].line_no, errors[0].text.as_str()),
            (13, "foo bar")
        );
        assert!(c.lookup(&Key::Hostname).is_some());
        assert!(
            c.lookup(&Key::Interface("GigabitEthernet0/1".into()))
                .is_some()
        );
    }

    /// A text of `n` units mixing sub-mode blocks, top-level lines and refused lines.
    fn large_text(n: usize, repeat_header: bool) -> String {
        let mut text = String::from("ASA Version 9.16(4) \nhostname fw\n");
        for i in 0..n {
            text.push_str(&format!(
                "object network o{i}\n host 10.0.{}.{}\nobject-group network g{i}\n \
                 network-object object o{i}\naccess-list a extended permit ip object o{i} any\n\
                 route inside 11.0.{}.{} 255.255.255.255 10.0.0.1 1\n",
                i / 256 % 256,
                i % 256,
                i / 256 % 256,
                i % 256
            ));
            if i % 1000 == 7 {
                text.push_str("objekt network typo\n host 1.1.1.1\n\n");
            }
        }
        if repeat_header {
            text.push_str("object-group network g1\n network-object host 9.9.9.9\n");
        }
        text.push_str("hostname again\n");
        text
    }

    #[test]
    fn a_large_text_loads_in_two_pieces_as_in_one() {
        for repeat in [false, true] {
            let text = large_text(12_000, repeat);
            assert!(text.len() > SPLIT_ABOVE);
            let at = split_point(&text).unwrap();
            assert!(at > text.len() / 2 && text[..at].ends_with('\n'));
            let whole = load_piece(&text, 0, &mut rng());
            let split = load_split(&text, &mut rng());
            // A header repeated across the pieces: loaded in one piece.
            assert_eq!(split.is_none(), repeat);
            let (config, errors) = load_reporting(&text, &mut rng());
            let one = Config::of_arenas(None, whole.arenas);
            assert_eq!(print(&config), print(&one));
            assert_eq!(errors, whole.errors);
            assert_eq!(errors.len(), 2 * 12);
            assert_eq!(config.refs(), one.refs());
        }
    }

    /// A text in print order (every object first, then the access lists) is cut among its
    /// objects, and loads as in one piece.
    #[test]
    fn a_text_in_print_order_is_cut_among_its_objects() {
        let mut text = String::from("ASA Version 9.16(4) \nhostname fw\n");
        for i in 0..20_000 {
            text.push_str(&format!(
                "object network o{i}\n host 10.0.{}.{}\n\n",
                i / 256 % 256,
                i % 256
            ));
            if i % 7 == 0 {
                text.push_str(&format!(
                    "object-group network g{i}\n network-object object o{i}\nhost 9.9.9.9\n"
                ));
            }
        }
        for i in 0..2_000 {
            text.push_str(&format!(
                "access-list a extended permit ip object o{i} any\n"
            ));
        }
        assert!(text.len() > SPLIT_ABOVE);
        let at = split_point(&text).unwrap();
        let (first, second) = text.split_at(at);
        assert!(at > text.len() / 2 && first.ends_with('\n'));
        assert!(second.starts_with("object network ") || second.starts_with("object-group "));
        assert!(!second.contains("access-list a extended permit ip object o1999 any\nobject"));
        // Cut in as many pieces as asked, in order, each at a line's start.
        let points = split_points(&text, PIECES);
        assert_eq!(points.len(), PIECES - 1);
        assert!(points.windows(2).all(|w| w[0] < w[1]));
        assert!(points.iter().all(|at| text[..*at].ends_with('\n')));
        let whole = load_piece(&text, 0, &mut rng());
        assert!(load_split(&text, &mut rng()).is_some());
        let (config, errors) = load_reporting(&text, &mut rng());
        let one = Config::of_arenas(None, whole.arenas);
        assert_eq!(print(&config), print(&one));
        assert_eq!(errors, whole.errors);
        assert_eq!(config.refs(), one.refs());
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
        assert_eq!(b.children().len(), 2);
        assert!(
            matches!(b.child(0).and_then(|c| c.command()), Some(Command::Nameif(n)) if n == "test")
        );
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
    fn typos_and_misplaced_sub_commands_are_reported_not_kept() {
        let text = "hostname fw\nobjekt network x\n host 10.0.0.1\nobject network y\n host 10.0.0.2\n nameif inside\n!\nnameif outside\nno frobnicate\nobject-group network g\n network-object host 10.0.0.3\n port-object eq 80\n";
        let (c, errors) = load_reporting(text, &mut rng());
        assert_eq!(
            print(&c),
            "ASA Version 9.16(4) \nhostname fw\nobject network y\n host 10.0.0.2\n!\nobject-group network g\n network-object host 10.0.0.3\n"
        );
        let seen: Vec<(usize, &str, String)> = errors
            .iter()
            .map(|e| (e.line_no, e.text.as_str(), e.error.to_string()))
            .collect();
        let invalid = |line: &str, at: usize| CliError::invalid(line, at).to_string();
        assert_eq!(
            seen,
            vec![
                (2, "objekt network x", invalid("objekt network x", 0)),
                // The sub-command of a refused line goes with it.
                (3, "host 10.0.0.1", invalid("host 10.0.0.1", 0)),
                (6, "nameif inside", invalid("nameif inside", 0)),
                (8, "nameif outside", invalid("nameif outside", 0)),
                (9, "no frobnicate", invalid("no frobnicate", 3)),
                (12, "port-object eq 80", invalid("port-object eq 80", 0)),
            ]
        );
        assert_eq!(
            errors[0].to_string(),
            "objekt network x\n^\nERROR: % Invalid input detected at '^' marker.\n*** Output from config line 2, \"objekt network x\""
        );
    }

    #[test]
    fn a_repeated_header_merges_into_the_first_block() {
        let text = "object-group network g\n network-object host 10.0.0.1\n!\nhostname fw\nobject-group network g\n network-object host 10.0.0.2\n";
        let (c, errors) = load_reporting(text, &mut rng());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            print(&c),
            "ASA Version 9.16(4) \nobject-group network g\n network-object host 10.0.0.1\n network-object host 10.0.0.2\n!\nhostname fw\n"
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
