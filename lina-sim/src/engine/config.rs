//! The running configuration: an ordered list of blocks (a top-level line and its sub-command
//! lines), each line typed when the grammar knows it and verbatim otherwise.
//!
//! Blocks live in a slab under stable [`BlockId`]s; `order` says how they print. A few keys
//! (hostname, interfaces, network objects, users) are indexed for O(1) lookup. Every change
//! goes through four journaled primitives (insert, remove, replace, index update), so any
//! batch or single command can be undone exactly by replaying the journal backwards.

use std::collections::{HashMap, HashSet};

/// The engine's tables hash with foldhash (issue 13: SipHash was a fifth of a large boot):
/// several times faster, and still seeded at random per table, so names chosen by a client
/// cannot be made to collide on purpose.
pub type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
pub type Set<K> = HashSet<K, foldhash::fast::RandomState>;

use cli_translator::ast::{Command, Line};
use cli_translator::resources::route::Destination;

use super::refs::{self, Namespace, Refs};
use super::sections::{self, NONE, UNKNOWN};

// issue 13: change journal
mod journal;
mod order;
mod packed;

pub use packed::{Block, BlockBuf, BlockEdit, LineRef, Lines};

use order::Order;

/// Stable identity of a block while it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlockId(u32);

/// A line's text, kept once and without spare room (issue 13: a `String` per line carried
/// 8 bytes more, and often the capacity it had grown into), followed by one byte saying
/// whether the grammar types the line (a separate flag padded every line by 8 bytes more).
/// It reads as the text alone: deref, comparison, hash and display leave the byte out.
#[derive(Clone)]
pub struct Text(Box<str>);

const VERBATIM_MARK: char = '\u{0}';
const TYPED_MARK: char = '\u{1}';

impl Text {
    fn new(text: &str, typed: bool) -> Text {
        let mut s = String::with_capacity(text.len() + 1);
        s.push_str(text);
        s.push(if typed { TYPED_MARK } else { VERBATIM_MARK });
        Text(s.into_boxed_str())
    }

    pub fn as_str(&self) -> &str {
        // The mark is one ASCII byte: the text ends on a character boundary before it.
        let len = self.0.len().saturating_sub(1);
        self.0.get(..len).unwrap_or("")
    }

    fn typed(&self) -> bool {
        self.0.ends_with(TYPED_MARK)
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::new("", false)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.as_str().to_owned()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

/// One line: whether the grammar types it, and how it prints.
///
/// Loaded lines print exactly as they were read; lines the engine creates print in the
/// grammar's canonical form. The text is kept once, in `text`; the typed meaning is parsed
/// from it when asked (issue 13: a boxed command beside each network object's two lines was
/// about 90 bytes each, more than the lines themselves). The few questions asked of every
/// block (its key, whether it is a network object) read the text ([`key_parts`],
/// [`Entry::typed_as`]).
#[derive(Debug, Clone)]
pub struct Entry {
    pub text: Text,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.text == other.text && self.is_typed() == other.is_typed()
    }
}

impl Eq for Entry {}

impl Entry {
    pub fn typed(cmd: Command) -> Entry {
        Entry {
            text: Text::new(&cmd.to_string(), true),
        }
    }

    pub fn verbatim(text: impl AsRef<str>) -> Entry {
        Entry {
            text: Text::new(text.as_ref(), false),
        }
    }

    /// A line of this text, typed or not.
    pub fn marked(text: &str, typed: bool) -> Entry {
        Entry {
            text: Text::new(text, typed),
        }
    }

    /// A loaded line: typed meaning, original spelling.
    pub fn loaded(line: Line, text: impl AsRef<str>) -> Entry {
        Entry {
            text: Text::new(text.as_ref(), matches!(line, Line::Typed(_))),
        }
    }

    /// The line, borrowed (as a block's lines read).
    pub fn line(&self) -> LineRef<'_> {
        LineRef::new(self.text.as_str(), self.text.typed())
    }

    /// The line's typed meaning, when the grammar types it (parsed from its text).
    pub fn command(&self) -> Option<Command> {
        self.line().command()
    }

    /// Whether the line is typed.
    pub fn is_typed(&self) -> bool {
        self.text.typed()
    }

    /// [`Entry::command`] when the line is typed and its first word is `word` (in any case).
    pub fn typed_as(&self, word: &str) -> Option<Command> {
        self.line().typed_as(word)
    }

    /// Whether the line is typed and its first word is `word` (in any case).
    pub fn is_typed_as(&self, word: &str) -> bool {
        self.line().is_typed_as(word)
    }
}

/// Indexed identities.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Hostname,
    Interface(String),
    Object(String),
    User(String),
    /// An access list's rule (`access-list <acl> extended|standard ...`, not a remark), by
    /// its whole text: a list of 100,000 rules finds a duplicate or the rule to remove
    /// without reading the list (issue 13: writes flat in size).
    AclRule(String),
    /// `object-group <type> <name>`, by name.
    Group(String),
    /// A static route's interface and destination ([`route_key`]): the routes a new one
    /// may replace or duplicate (several, with equal-cost gateways).
    Route(String),
    /// A twice NAT rule (`nat (<real>,<mapped>) ...`), by its whole text.
    NatRule(String),
}

/// The name of [`Key::Route`]: `<nameif> <network>/<prefix length>`, however the line spells
/// its destination.
pub fn route_key(nameif: &str, destination: &Destination) -> String {
    let (network, prefix): (std::net::IpAddr, u8) = match *destination {
        Destination::V4 { network, prefix } => (network.into(), prefix),
        Destination::V6 { network, prefix } => (network.into(), prefix),
    };
    format!("{nameif} {network}/{prefix}")
}

/// The interface and destination of a route line, read as `parse_route` reads them.
fn route_key_of(text: &str) -> Option<String> {
    let (v6, rest) = match text.strip_prefix("route ") {
        Some(rest) => (false, rest),
        None => (true, text.strip_prefix("ipv6 route ")?),
    };
    let mut words = rest.split_whitespace();
    let nameif = words.next()?;
    let destination = if v6 {
        let (ip, len) = words.next()?.split_once('/')?;
        Destination::V6 {
            network: ip.parse().ok()?,
            prefix: len.parse().ok().filter(|p| *p <= 128)?,
        }
    } else {
        let network = words.next()?.parse().ok()?;
        let mask = words.next()?.parse().ok()?;
        Destination::V4 {
            network,
            prefix: cli_translator::parse::mask_prefix(mask)?,
        }
    };
    Some(route_key(nameif, &destination))
}

pub fn key_of(head: LineRef<'_>) -> Option<Key> {
    let (kind, name) = key_parts(head)?;
    let name = name.into_owned();
    Some(match kind {
        0 => Key::Hostname,
        1 => Key::Interface(name),
        2 => Key::Object(name),
        3 => Key::User(name),
        4 => Key::AclRule(name),
        5 => Key::Group(name),
        6 => Key::Route(name),
        _ => Key::NatRule(name),
    })
}

impl Key {
    /// The key's kind and name (what [`key_parts`] reads from a head line).
    pub fn parts(&self) -> (u8, &str) {
        match self {
            Key::Hostname => (0, ""),
            Key::Interface(hw) => (1, hw),
            Key::Object(name) => (2, name),
            Key::User(name) => (3, name),
            Key::AclRule(text) => (4, text),
            Key::Group(name) => (5, name),
            Key::Route(name) => (6, name),
            Key::NatRule(text) => (7, text),
        }
    }
}

/// `key_of(head).map(|k| k.parts())`, read from the text of a typed head line: the typed
/// top-level lines are `hostname <name>`, `interface <hw>`, `object network <name>`,
/// `username <name> ...` and `logging ...` ([`super::load::is_top_level_command`]), so the
/// first word says which, and the name is the word the grammar reads (an interface written
/// `interface GigabitEthernet 0/1` joins its two words: the grammar says how).
pub fn key_parts(head: LineRef<'_>) -> Option<(u8, std::borrow::Cow<'_, str>)> {
    if let Some(parts) = untyped_key_parts(head.text) {
        return Some(parts);
    }
    if !head.is_typed() {
        return None;
    }
    let text = head.text;
    let mut words = text.split([' ', '\t']).filter(|w| !w.is_empty());
    let first = words.next()?;
    let is = |w: &str| first.eq_ignore_ascii_case(w);
    if is("hostname") {
        Some((0, "".into()))
    } else if is("interface") {
        let hw = words.next()?;
        if words.next().is_none() {
            return Some((1, hw.into()));
        }
        match head.command()? {
            Command::Interface(hw) => Some((1, hw.into())),
            _ => None,
        }
    } else if is("object") {
        words.next()?;
        Some((2, words.next()?.into()))
    } else if is("username") {
        Some((3, words.next()?.into()))
    } else {
        None
    }
}

/// The keys read from the text whether the grammar types the line or not: an access list's
/// rule (its whole text; remarks repeat, and are not keyed), an object's and an object
/// group's name (every definition, so that the index says which names are defined), a
/// route's interface and destination, a twice NAT rule (its whole text).
fn untyped_key_parts(text: &str) -> Option<(u8, std::borrow::Cow<'_, str>)> {
    if text.starts_with("nat ") {
        return Some((7, text.into()));
    }
    if text.starts_with("route ") || text.starts_with("ipv6 route ") {
        return route_key_of(text).map(|key| (6, key.into()));
    }
    if let Some(rest) = text.strip_prefix("access-list ") {
        let mut words = rest.split(' ').filter(|w| !w.is_empty());
        words.next()?;
        return match words.next()? {
            "extended" | "standard" => Some((4, text.into())),
            _ => None,
        };
    }
    if let Some(rest) = text.strip_prefix("object-group ") {
        let mut words = rest.split_whitespace();
        words.next()?;
        return Some((5, words.next()?.into()));
    }
    if let Some(rest) = text.strip_prefix("object ") {
        let mut words = rest.split_whitespace();
        words.next()?;
        return Some((2, words.next()?.into()));
    }
    None
}

/// `key_of(head) == Some(key)`, without allocating (deleting one object of 20,000 compares
/// it with all of them).
fn has_key(head: LineRef<'_>, key: &Key) -> bool {
    key_parts(head).is_some_and(|(kind, name)| (kind, &*name) == key.parts())
}

#[derive(Debug)]
enum Undo {
    Inserted {
        id: BlockId,
        /// Its print position when inserted (read by the change journal).
        pos: usize,
    },
    Removed {
        id: BlockId,
        pos: usize,
        block: BlockBuf,
    },
    Replaced {
        id: BlockId,
        old: BlockBuf,
    },
    /// A child line was appended (undone by dropping the last child).
    ChildPushed {
        id: BlockId,
    },
    Index {
        /// The key's hash.
        key: u64,
        prev: Option<Keyed>,
    },
}

/// The blocks the index holds for one key hash, in print order: the first and, for a key two
/// blocks carry (an object's definition and its NAT block, two routes to one destination), the
/// second; and whether more than two carry it (then the blocks are read). Deleting an object
/// with a NAT rule read every block twice to find its other block (issue 13: a DELETE took
/// 0.28 to 0.51 s at 200 MB, against 1 ms without).
///
/// It says how many blocks carry the hash (one, two, more), so no count is kept beside it
/// (issue 13: memory; the key counts were a second table as large). The second slot takes the
/// 4 bytes of padding a `u64` key left after one id, and "more" the first id's top bit: a
/// block whose id does not fit below it is never held, and makes its key "more".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Keyed {
    /// The first block's id, with [`MORE`] when more than two blocks carry the hash.
    first: u32,
    /// [`NO_ID`] when one block carries the hash.
    second: u32,
}

/// No block in a slot of [`Keyed`] (ids at or above it are never held).
const NO_ID: u32 = u32::MAX >> 1;
/// More than two blocks carry the hash: the top bit of [`Keyed::first`].
const MORE: u32 = !NO_ID;

impl Keyed {
    fn one(id: BlockId) -> Keyed {
        if id.0 >= NO_ID {
            return Keyed {
                first: NO_ID | MORE,
                second: NO_ID,
            };
        }
        Keyed {
            first: id.0,
            second: NO_ID,
        }
    }

    fn more(self) -> bool {
        self.first & MORE != 0
    }

    /// The blocks held, in print order (all of those carrying the hash unless [`Keyed::more`]).
    fn ids(self) -> impl Iterator<Item = BlockId> {
        [self.first & !MORE, self.second]
            .into_iter()
            .filter(|id| *id != NO_ID)
            .map(BlockId)
    }

    fn holds(self, id: BlockId) -> bool {
        self.ids().any(|o| o == id)
    }

    /// The first two of `ids` (the blocks carrying the hash, in print order) held, and
    /// whether more carry it.
    fn of(ids: &[BlockId]) -> Option<Keyed> {
        let more = ids.len() > 2 || ids.iter().take(2).any(|id| id.0 >= NO_ID);
        let slot = |i: usize| ids.get(i).map_or(NO_ID, |id| id.0.min(NO_ID));
        if ids.is_empty() {
            return None;
        }
        Some(Keyed {
            first: slot(0) | if more { MORE } else { 0 },
            second: slot(1),
        })
    }

    /// `id` joins the key after the blocks held (loading, in print order).
    fn also(&mut self, id: BlockId) {
        if self.holds(id) {
            return;
        }
        if self.second == NO_ID && id.0 < NO_ID {
            self.second = id.0;
        } else {
            self.first |= MORE;
        }
    }
}

/// A family of blocks (same rank; for unknown families, the same first word) or a group of
/// one (the same first two words): a new block goes after the last block of its group, else of
/// its family ([`Config::placement`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PlaceKey {
    rank: u16,
    group: bool,
    words: Box<str>,
}

impl PlaceKey {
    /// Whether `b` is of this family or group.
    fn holds(&self, b: &Block) -> bool {
        b.rank() == self.rank
            && if self.group {
                group_words(b.head().text) == &*self.words
            } else {
                self.rank != UNKNOWN || sections::first_words(b.head().text, 1) == &*self.words
            }
    }
}

/// [`place_keys`] borrowed: the rank, the family's word (unknown families) and the group's
/// two words.
fn place_parts(b: &Block) -> Option<(u16, &str, &str)> {
    let rank = b.rank();
    if rank == NONE {
        return None;
    }
    let head = b.head().text;
    let family = if rank == UNKNOWN {
        sections::first_words(head, 1)
    } else {
        ""
    };
    Some((rank, family, group_words(head)))
}

/// The words that make a block's group: its first two (`access-list <acl>`, `object
/// network`), but a twice NAT rule's section (`nat`, `nat after-auto`) rather than its
/// interface pair: the rules print by section, so the last of the group is where a new rule
/// of that section goes (issue 13: a NAT write read every block to find it).
fn group_words(head: &str) -> &str {
    if head.starts_with("nat ") {
        return match super::nat::section_of_head(head) {
            Some(cli_translator::nat::rule::Section::After) => "nat after-auto",
            _ => "nat",
        };
    }
    sections::first_words(head, 2)
}

/// The family and the group of a block; none for separators.
fn place_keys(b: &Block) -> Option<[PlaceKey; 2]> {
    place_parts(b).map(keys_of_parts)
}

/// The family's and the group's keys of [`place_parts`].
fn keys_of_parts((rank, family, group): (u16, &str, &str)) -> [PlaceKey; 2] {
    [
        PlaceKey {
            rank,
            group: false,
            words: family.into(),
        },
        PlaceKey {
            rank,
            group: true,
            words: group.into(),
        },
    ]
}

/// How many blocks a family or group has, and which of them prints last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    count: u32,
    last: BlockId,
}

/// What changed when: the counters and stamps caches key on.
#[derive(Debug, Default)]
struct Stamps {
    /// Grows on every change (and every undo).
    revision: u64,
    /// Grows on every change to a `logging` block.
    logging_revision: u64,
    /// Per user: the revision its line last changed at.
    user_stamps: Map<String, u64>,
    /// Per first word of a block's head line: the revision at which a block starting with
    /// that word last entered, left or changed ([`Config::find_cached`] keys on it).
    word_revisions: Map<String, u64>,
}

impl Stamps {
    /// The stamps of `blocks` each entering in turn (loading: taken on the other core).
    fn of<'a>(blocks: impl Iterator<Item = &'a Block>) -> Stamps {
        let mut stamps = Stamps::default();
        for block in blocks {
            stamps.touched(block);
        }
        stamps
    }

    /// Records that a block's content changed.
    fn touched(&mut self, block: &Block) {
        self.revision += 1;
        let head = block.head();
        let word = first_word(head.text);
        match self.word_revisions.get_mut(word) {
            Some(seen) => *seen = self.revision,
            None => {
                self.word_revisions.insert(word.to_owned(), self.revision);
            }
        }
        if block.rank() == logging_rank() {
            self.logging_revision += 1;
        }
        // The user's name only (`block.key()` copied every object's name at boot, and reading
        // every block's key formatted every route's).
        if word.eq_ignore_ascii_case("username")
            && let Some((3, name)) = key_parts(head)
        {
            self.user_stamps.insert(name.into_owned(), self.revision);
        }
    }
}

/// A point in the journal to roll back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark(usize);

/// Where a block is kept.
#[derive(Debug, Default)]
enum Slot {
    #[default]
    Free,
    /// In an arena ([`Config::arenas`]): a loaded block, at this offset and length.
    Held { off: u32, len: u32 },
    /// A block made or changed since loading.
    Own(Box<BlockBuf>),
}

/// The blocks of a loaded text, packed one after the other into one string, and each
/// block's span in it (loading builds one per piece of text, each on its own core).
#[derive(Debug, Default)]
pub struct Arena {
    text: String,
    spans: Vec<(u32, u32)>,
    /// The blocks past 4 GiB, in order (their spans say [`NOT_HELD`]).
    over: Vec<BlockBuf>,
    /// Each block's [`Block::key_hash`], read on the core that packed it (issue 13: boot;
    /// the core that indexes them read each block's key after the load).
    keys: Vec<Option<u64>>,
    /// The derived counts of its blocks, taken on the core that packed them (issue 13: boot;
    /// counted after the load on one core, for all blocks, they took 0.45 s of it at 100 MB
    /// while the other core had less to do).
    refs: Refs,
    /// Its blocks' places in runs ([`PlaceRun`]), in order.
    runs: Vec<PlaceRun>,
}

/// Consecutive blocks of one place ([`place_parts`]), by their index in their arena: the
/// first (whose parts are the run's), how many, and the last (issue 13: boot; the core that
/// orders the blocks compared each block's parts with its run's after the load, reading
/// every block's head again: 0.2 s of it at 100 MB). Blocks of no place (separators) do not
/// break a run.
#[derive(Debug, Clone, Copy)]
struct PlaceRun {
    first: u32,
    count: u32,
    last: u32,
}

/// The parts of a run's first block ([`place_parts`]), kept while its arena is packed.
#[derive(Debug, Default)]
struct RunPlace {
    rank: u16,
    family: String,
    group: String,
}

/// Whether two short texts are equal, compared here: a call to the C library's `memcmp`
/// for each of a block's two parts took 0.1 s of a 100 MB load (issue 13: boot). From the
/// end, where two lists' or two groups' names differ.
fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().rev().zip(b.bytes().rev()).all(|(x, y)| x == y)
}

/// The span of a block an arena could not hold (past 4 GiB): it is kept on its own.
const NOT_HELD: u32 = u32::MAX;

impl Arena {
    /// Packs `blocks` (dropping each once copied).
    pub fn of(blocks: Vec<BlockBuf>) -> Arena {
        let size = blocks.iter().map(|b| b.packed().len()).sum();
        let mut arena = Arena {
            text: String::with_capacity(size),
            spans: Vec::with_capacity(blocks.len()),
            keys: Vec::with_capacity(blocks.len()),
            ..Arena::default()
        };
        let mut place = RunPlace::default();
        for b in blocks {
            arena.keys.push(b.key_hash());
            arena.refs.add(&b);
            arena.run_of(&b, &mut place);
            arena.push(&b);
        }
        arena
    }

    /// Enters `b`, the block about to be pushed, in the runs; `place` holds the parts of
    /// the last run's first block.
    fn run_of(&mut self, b: &Block, place: &mut RunPlace) {
        let Some((rank, family, group)) = place_parts(b) else {
            return;
        };
        let Ok(index) = u32::try_from(self.spans.len()) else {
            return;
        };
        if let Some(run) = self.runs.last_mut()
            && place.rank == rank
            && same_text(&place.family, family)
            && same_text(&place.group, group)
        {
            run.count += 1;
            run.last = index;
            return;
        }
        place.rank = rank;
        place.family.clear();
        place.family.push_str(family);
        place.group.clear();
        place.group.push_str(group);
        self.runs.push(PlaceRun {
            first: index,
            count: 1,
            last: index,
        });
    }

    fn push(&mut self, b: &Block) {
        let packed = b.packed();
        // Offsets are 32 bits: an arena stops short of 4 GiB (a block past it is kept on its
        // own instead, see `Config::of_arenas`).
        let end = self.text.len() + packed.len();
        let (Ok(off), Ok(len), Ok(_)) = (
            u32::try_from(self.text.len()),
            u32::try_from(packed.len()),
            u32::try_from(end),
        ) else {
            self.spans.push((NOT_HELD, 0));
            self.over.push(b.to_owned());
            return;
        };
        self.text.push_str(packed);
        self.spans.push((off, len));
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// The blocks by slot: loaded ones in arenas, the others each on its own.
#[derive(Debug, Default)]
struct Store {
    slots: Vec<Slot>,
    /// The packed texts of loaded blocks, each with the offset its spans start at (issue 13:
    /// memory; one allocation for all the blocks of a piece of text instead of two or three
    /// per block).
    arenas: Vec<(u32, Box<str>)>,
    /// Bytes of the arenas no slot holds any more (blocks removed or changed since loading);
    /// the arenas are packed again when they are most of it ([`Store::compact`]).
    dead: usize,
}

impl Store {
    /// The blocks of `lead` (if any) then of each arena, in order, in slots 0, 1, 2...
    fn of_arenas(lead: Option<BlockBuf>, arenas: Vec<Arena>) -> Store {
        let mut store = Store::default();
        let count = usize::from(lead.is_some()) + arenas.iter().map(Arena::len).sum::<usize>();
        store.slots.reserve_exact(count);
        if let Some(lead) = lead {
            store.slots.push(Slot::Own(Box::new(lead)));
        }
        let mut start = 0u32;
        for Arena {
            text, spans, over, ..
        } in arenas
        {
            let mut over = over.into_iter();
            // Offsets across arenas are 32 bits too: an arena past them is kept block by block.
            let base = u32::try_from(text.len())
                .ok()
                .and_then(|len| start.checked_add(len))
                .map(|end| (start, end));
            for (off, len) in spans {
                let slot = match base {
                    _ if off == NOT_HELD => over.next().map(|b| Slot::Own(Box::new(b))),
                    Some((start, _)) => Some(Slot::Held {
                        off: start + off,
                        len,
                    }),
                    None => text
                        .get(off as usize..(off + len) as usize)
                        .map(|p| Slot::Own(Box::new(Block::of_packed(p).to_owned()))),
                };
                store.slots.push(slot.unwrap_or_default());
            }
            if let Some((at, end)) = base {
                store.arenas.push((at, text.into_boxed_str()));
                start = end;
            }
        }
        store
    }

    pub fn block(&self, id: BlockId) -> Option<&Block> {
        match self.slots.get(id.0 as usize)? {
            Slot::Free => None,
            Slot::Own(b) => Some(b),
            Slot::Held { off, len } => self.held(*off, *len),
        }
    }

    /// The block at `off` and `len` in the arenas.
    fn held(&self, off: u32, len: u32) -> Option<&Block> {
        let (start, text) = self.arenas.iter().rev().find(|(start, _)| *start <= off)?;
        let from = (off - start) as usize;
        text.get(from..from + len as usize).map(Block::of_packed)
    }

    /// Takes the block out of slot `id` (a held one is copied out of its arena).
    fn take(&mut self, id: BlockId) -> Option<BlockBuf> {
        let slot = std::mem::take(self.slots.get_mut(id.0 as usize)?);
        match slot {
            Slot::Free => None,
            Slot::Own(b) => Some(*b),
            Slot::Held { off, len } => {
                self.dead += len as usize;
                self.held(off, len).map(Block::to_owned)
            }
        }
    }

    /// Puts `block` into slot `id`, and gives back what it held.
    fn put(&mut self, id: BlockId, block: BlockBuf) -> Option<BlockBuf> {
        let old = self.take(id);
        if let Some(slot) = self.slots.get_mut(id.0 as usize) {
            *slot = Slot::Own(Box::new(block));
        }
        old
    }

    /// The block of slot `id`, owned in place (copied out of its arena first).
    fn own_mut(&mut self, id: BlockId) -> Option<&mut BlockBuf> {
        if matches!(self.slots.get(id.0 as usize), Some(Slot::Held { .. })) {
            let block = self.take(id)?;
            if let Some(slot) = self.slots.get_mut(id.0 as usize) {
                *slot = Slot::Own(Box::new(block));
            }
        }
        match self.slots.get_mut(id.0 as usize)? {
            Slot::Own(b) => Some(b),
            _ => None,
        }
    }

    /// The bytes of the arenas that slots still hold (about the loaded configuration's text).
    fn held_bytes(&self) -> usize {
        let total: usize = self.arenas.iter().map(|(_, t)| t.len()).sum();
        total.saturating_sub(self.dead)
    }

    /// Packs the arenas again when most of their bytes are dead: what a configuration
    /// rewritten over time holds stays near its size.
    fn compact(&mut self) {
        let total: usize = self.arenas.iter().map(|(_, t)| t.len()).sum();
        if self.dead < (1 << 20) || self.dead * 2 < total {
            return;
        }
        let mut text = String::with_capacity(total - self.dead);
        let mut spans = Vec::new();
        for (i, slot) in self.slots.iter().enumerate() {
            if let Slot::Held { off, len } = slot
                && let Some(b) = self.held(*off, *len)
                && let Ok(at) = u32::try_from(text.len())
            {
                text.push_str(b.packed());
                spans.push((i, at));
            }
        }
        for (i, at) in spans {
            if let Some(Slot::Held { off, .. }) = self.slots.get_mut(i) {
                *off = at;
            }
        }
        self.arenas = vec![(0, text.into_boxed_str())];
        self.dead = 0;
    }
}

#[derive(Debug, Default)]
pub struct Config {
    store: Store,
    free: Vec<u32>,
    /// The slots in print order (insert, remove, position and lookup by position in O(log n)).
    order: Order,
    /// Per family and group: its size and its last block in print order, kept in step where
    /// a block enters or leaves the order or changes family, so that placing a new block
    /// reads no other block (it walked back past every ACL and NAT block).
    places: Map<PlaceKey, Place>,
    /// Per key, by its hash ([`refs::key_hash`]): the first two blocks carrying a key with
    /// that hash (issue 13: memory, the names are in the blocks already). [`Config::lookup`]
    /// checks the blocks' key, and reads the blocks only if two keys share a hash.
    index: Map<u64, Keyed>,
    journal: Vec<Undo>,
    /// What changed when (revisions, user stamps, word revisions).
    stamps: Stamps,
    /// Per user: the privilege on its `username` line and the user stamp it was read at. Every
    /// request with a token asks for it, and the line is parsed from its text on demand.
    privileges: std::sync::Mutex<Map<String, (u64, u8)>>,
    /// The child texts of one block, kept while only [`Config::push_child`] changes it, so a
    /// large object group finds duplicates in O(1). Dropped on any other change.
    child_texts: Option<(BlockId, Set<String>)>,
    /// Counts derived from the blocks present ([`Refs`]), kept in step where a block enters
    /// or leaves a slot.
    refs: Refs,
    /// Remembered answers of [`Config::find_cached`], each with the word revision it was
    /// found at.
    finds: std::sync::Mutex<Map<String, (u64, Option<BlockId>)>>,
    // issue 13: change journal
    /// What each generation changed (`journal.rs`), derived from `journal` at every commit.
    changes: journal::Journal,
}

impl Config {
    pub fn new() -> Config {
        Config::default()
    }

    // ----- reading -----

    pub fn block(&self, id: BlockId) -> Option<&Block> {
        self.store.block(id)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Blocks in print order.
    pub fn iter(&self) -> impl Iterator<Item = (BlockId, &Block)> {
        self.order
            .iter()
            .filter_map(|i| self.block(BlockId(i)).map(|b| (BlockId(i), b)))
    }

    pub fn lookup(&self, key: &Key) -> Option<BlockId> {
        let keyed = self.index.get(&refs::key_hash(key.parts())).copied()?;
        if let Some(id) = keyed.ids().find(|id| self.carries(*id, key)) {
            return Some(id);
        }
        // Another key with the same hash holds the slots.
        self.iter()
            .find(|(_, b)| has_key(b.head(), key))
            .map(|(id, _)| id)
    }

    /// Every block carrying `key`, in print order: from the index when it holds all of them
    /// (one or two blocks carry its hash), else by reading every block.
    pub fn lookup_all(&self, key: &Key) -> Vec<BlockId> {
        match self.index.get(&refs::key_hash(key.parts())) {
            None => Vec::new(),
            Some(keyed) if !keyed.more() => {
                keyed.ids().filter(|id| self.carries(*id, key)).collect()
            }
            Some(_) => self
                .iter()
                .filter(|(_, b)| has_key(b.head(), key))
                .map(|(id, _)| id)
                .collect(),
        }
    }

    fn carries(&self, id: BlockId, key: &Key) -> bool {
        self.block(id).is_some_and(|b| has_key(b.head(), key))
    }

    /// The first block (in print order) that `matches`, among the blocks whose head line
    /// starts with `word`; remembered under `name` until a block starting with `word` changes.
    /// Settings read on every login, command or change (`aaa authorization command`,
    /// `aaa local authentication attempts max-fail`, `rest-api image`, `ssl trust-point`) are
    /// then found by one scan per change of their own family, not one per use: a write to
    /// the 20,000th network object does not make the next login scan again. `name` stands for
    /// `matches` (one predicate per name), and `matches` accepts only blocks starting with
    /// `word`.
    pub fn find_cached(
        &self,
        word: &str,
        name: &str,
        matches: impl Fn(&Block) -> bool,
    ) -> Option<BlockId> {
        let revision = self.stamps.word_revisions.get(word).copied().unwrap_or(0);
        if let Ok(finds) = self.finds.lock()
            && let Some(&(seen, found)) = finds.get(name)
            && seen == revision
        {
            return found;
        }
        let found = match self.blocks_starting_with(word) {
            Some(ids) => ids.into_iter().find(|id| {
                self.block(*id)
                    .is_some_and(|b| first_word(b.head().text) == word && matches(b))
            }),
            None => self
                .iter()
                .find(|(_, b)| first_word(b.head().text) == word && matches(b))
                .map(|(id, _)| id),
        };
        if let Ok(mut finds) = self.finds.lock() {
            finds.insert(name.to_owned(), (revision, found));
        }
        found
    }

    /// Every block of the families a block starting with `word` belongs to, in print order
    /// (a superset of the blocks starting with `word`), found from the index of places
    /// rather than by reading the whole configuration (issue 13: a boot's three finds and
    /// the logging settings read every block of a large configuration). `None` for the
    /// words whose blocks may be ranked by more than their head (`object`, `no`).
    fn blocks_starting_with(&self, word: &str) -> Option<Vec<BlockId>> {
        if word.is_empty() || word == "object" || word == "no" {
            return None;
        }
        // A block's rank is its head's (`rank_of_block`, but for `object network`): a
        // section whose prefix starts with `word`, or the unknown family of `word`.
        let mut ids = Vec::new();
        for rank in sections::ranks_of_first_word(word) {
            ids.extend(self.blocks_of_family(rank, "")?);
        }
        ids.extend(self.blocks_of_family(UNKNOWN, word)?);
        if ids.len() > 1 {
            let mut placed: Vec<(usize, BlockId)> = ids
                .into_iter()
                .filter_map(|id| Some((self.position(id)?, id)))
                .collect();
            placed.sort_unstable_by_key(|(pos, _)| *pos);
            placed.dedup_by_key(|(pos, _)| *pos);
            ids = placed.into_iter().map(|(_, id)| id).collect();
        }
        Some(ids)
    }

    /// The blocks of a rank (every family of it; of `UNKNOWN`, those starting with `word`),
    /// in print order: from the last of them backwards until all of them are found (they
    /// print together, so the walk is as long as the family). `None` when the counts are out
    /// of step (the caller reads every block then).
    pub fn blocks_of_family(&self, rank: u16, word: &str) -> Option<Vec<BlockId>> {
        self.blocks_of_place(&PlaceKey {
            rank,
            group: false,
            words: if rank == UNKNOWN { word } else { "" }.into(),
        })
    }

    /// The blocks of a rank's family (a known one) with their print positions, in print
    /// order, when they print together: the run of as many blocks as the family has, ending
    /// at its last, all of the family. `None` otherwise (the caller reads every block then).
    pub fn family_run(&self, rank: u16) -> Option<Vec<(usize, BlockId)>> {
        let key = PlaceKey {
            rank,
            group: false,
            words: "".into(),
        };
        let Some(place) = self.places.get(&key) else {
            return Some(Vec::new());
        };
        let count = place.count as usize;
        let first = (self.position(place.last)? + 1).checked_sub(count)?;
        let run: Vec<(usize, BlockId)> = self
            .order
            .iter_from(first)
            .take(count)
            .enumerate()
            .map(|(i, slot)| (first + i, BlockId(slot)))
            .collect();
        let whole = run.len() == count
            && run
                .iter()
                .all(|(_, id)| self.block(*id).is_some_and(|b| key.holds(b)));
        whole.then_some(run)
    }

    /// The blocks of the group `like` is of (its first two words, as `access-list <acl>`:
    /// the rules of one list), in print order, read from the last of them backwards; `None`
    /// when the counts are out of step (the caller reads every block then).
    pub fn blocks_of_group(&self, like: &Block) -> Option<Vec<BlockId>> {
        let [_, group] = place_keys(like)?;
        self.blocks_of_place(&group)
    }

    /// How many blocks the family `like` is of (a known one) has, and the last of them.
    pub fn family_of(&self, like: &Block) -> Option<(usize, BlockId)> {
        let [family, _] = place_keys(like)?;
        self.size_and_last(&family)
    }

    /// How many blocks the group `like` is of has, and the last of them in print order.
    pub fn group_of(&self, like: &Block) -> Option<(usize, BlockId)> {
        let [_, group] = place_keys(like)?;
        self.size_and_last(&group)
    }

    fn size_and_last(&self, key: &PlaceKey) -> Option<(usize, BlockId)> {
        let place = self.places.get(key)?;
        Some((place.count as usize, place.last))
    }

    /// The definition whose head is these words (`object <type> <name>`, `object-group
    /// <type> <name>`): from the index, else (a name not found there) by reading every block.
    pub fn find_definition(&self, words: [&str; 3]) -> Option<BlockId> {
        let key = match words[0] {
            "object" => Key::Object(words[2].to_owned()),
            _ => Key::Group(words[2].to_owned()),
        };
        self.lookup_all(&key)
            .into_iter()
            .find(|id| {
                self.block(*id)
                    .is_some_and(|b| b.head().text.split_whitespace().eq(words))
            })
            .or_else(|| self.find_head(&words))
    }

    /// The first block whose head is exactly these words, by reading every block.
    pub fn find_head(&self, words: &[&str]) -> Option<BlockId> {
        self.iter()
            .find(|(_, b)| {
                // A cheap prefix test first: lists of 50,000 entries are scanned here.
                words.first().is_some_and(|w| b.head().text.starts_with(w))
                    && b.head().text.split_whitespace().eq(words.iter().copied())
            })
            .map(|(id, _)| id)
    }

    fn blocks_of_place(&self, key: &PlaceKey) -> Option<Vec<BlockId>> {
        let Some(place) = self.places.get(key) else {
            return Some(Vec::new());
        };
        let mut found = Vec::with_capacity(place.count as usize);
        let mut cur = Some(place.last.0);
        while found.len() < place.count as usize {
            let i = cur?;
            if self.block(BlockId(i)).is_some_and(|b| key.holds(b)) {
                found.push(BlockId(i));
            }
            cur = self.order.prev(i);
        }
        found.reverse();
        Some(found)
    }

    /// Whether a block defines `name` in `space` (`object network|service <name>`,
    /// `object-group <type> <name>`): the blocks the index holds under the name's key (an
    /// object's NAT block has the key but defines nothing).
    pub fn defines(&self, space: Namespace, name: &str) -> bool {
        let key = match space {
            Namespace::Object => Key::Object(name.to_owned()),
            Namespace::Group => Key::Group(name.to_owned()),
        };
        self.lookup_all(&key).into_iter().any(|id| {
            self.block(id)
                .is_some_and(|b| super::refs::defined_by(b) == Some((space, name)))
        })
    }

    /// The counts derived from the blocks ([`Refs`]).
    pub fn refs(&self) -> &Refs {
        &self.refs
    }

    pub fn position(&self, id: BlockId) -> Option<usize> {
        self.order.position(id.0)
    }

    /// Grows on every change (and every undo); caches key on it.
    pub fn revision(&self) -> u64 {
        self.stamps.revision
    }

    /// Grows on every change to a `logging` block.
    pub fn logging_revision(&self) -> u64 {
        self.stamps.logging_revision
    }

    /// The privilege of a configured user (2 when its line names none), read from the line
    /// once per change of it ([`Config::user_stamp`]).
    pub fn user_privilege(&self, user: &str) -> Option<u8> {
        let id = self.lookup(&Key::User(user.to_owned()))?;
        let stamp = self.user_stamp(user);
        // A line without a stamp (none is expected) is read every time.
        if stamp != 0
            && let Ok(known) = self.privileges.lock()
            && let Some(&(seen, privilege)) = known.get(user)
            && seen == stamp
        {
            return Some(privilege);
        }
        let privilege = match self.block(id)?.head().command()? {
            Command::Username { privilege, .. } => privilege.unwrap_or(2),
            _ => return None,
        };
        if stamp != 0
            && let Ok(mut known) = self.privileges.lock()
        {
            known.insert(user.to_owned(), (stamp, privilege));
        }
        Some(privilege)
    }

    /// Changes whenever the user's line changes (cache entries carry it).
    pub fn user_stamp(&self, user: &str) -> u64 {
        self.stamps.user_stamps.get(user).copied().unwrap_or(0)
    }

    // ----- transactions -----

    pub fn mark(&self) -> Mark {
        self.note_mark();
        Mark(self.journal.len())
    }

    pub fn changed_since(&self, mark: Mark) -> bool {
        self.journal.len() > mark.0
    }

    /// Undoes every change made after `mark`.
    pub fn rollback_to(&mut self, mark: Mark) {
        self.child_texts = None;
        while self.journal.len() > mark.0 {
            let Some(undo) = self.journal.pop() else {
                break;
            };
            match undo {
                Undo::Inserted { id, .. } => {
                    self.unlink(id);
                    let old = self.store.take(id);
                    if let Some(old) = old {
                        self.refs.remove(&old);
                        self.touched(&old);
                    }
                    self.free.push(id.0);
                }
                Undo::Removed { id, pos, block } => {
                    self.refs.add(&block);
                    self.touched(&block);
                    self.store.put(id, block);
                    self.free.retain(|f| *f != id.0);
                    self.link(pos, id);
                }
                Undo::Replaced { id, old } => {
                    self.touched(&old);
                    let keys = self.block(id).map(|b| (place_keys(b), place_keys(&old)));
                    if let Some((from, to)) = keys {
                        self.place_change(id, from, to);
                    }
                    if let Some(newer) = self.store.take(id) {
                        self.refs.replaced(&newer, &old);
                        self.touched(&newer);
                        self.store.put(id, old);
                    }
                }
                Undo::ChildPushed { id } => {
                    let mut moved = None;
                    if let Some(block) = self.store.own_mut(id) {
                        let before = block.rank();
                        let from = place_keys(block);
                        if let Some(child) = block.pop_child() {
                            let after = block.rank();
                            if after != before {
                                moved = Some((from, place_keys(block)));
                            }
                            self.refs.child(block.head(), child.line(), false);
                        }
                    }
                    if let Some((from, to)) = moved {
                        self.place_change(id, from, to);
                    }
                    self.touched_id(id);
                }
                Undo::Index { key, prev } => match prev {
                    Some(keyed) => {
                        self.index.insert(key, keyed);
                    }
                    None => {
                        self.index.remove(&key);
                    }
                },
            }
        }
    }

    /// Forgets the journal: changes so far can no longer be undone.
    pub fn commit(&mut self) {
        let records = self.journal.len();
        self.note_changes();
        self.journal.clear();
        self.store.compact();
        if records > 0 {
            super::release_after_change(self.len(), records);
        }
    }

    // ----- changing -----

    /// The configuration of `blocks` in this order, as [`Config::push`] of each one would
    /// make it (loading; tests: the loader builds arenas of its own).
    #[cfg(test)]
    pub fn of_blocks(blocks: Vec<BlockBuf>) -> Config {
        Config::of_arenas(None, vec![Arena::of(blocks)])
    }

    /// The configuration of `lead` (if any) then the blocks of each arena, in this order, as
    /// [`Config::push`] of each one would make it (loading). The derived counts ([`Refs`])
    /// are taken on the other core meanwhile (issue 13: boot).
    pub fn of_arenas(lead: Option<BlockBuf>, mut arenas: Vec<Arena>) -> Config {
        let mut config = Config::new();
        // Each block's key, in slot order (the lead's read here).
        let keys: Vec<Option<u64>> = lead
            .as_ref()
            .map(|b| b.key_hash())
            .into_iter()
            .chain(arenas.iter_mut().flat_map(|a| std::mem::take(&mut a.keys)))
            .collect();
        // Each arena's counts and runs, the runs by slot: the lead's slot is 0, an arena's
        // blocks follow the blocks before it.
        let mut counts: Vec<Refs> = Vec::with_capacity(arenas.len() + 1);
        let mut runs: Vec<PlaceRun> = Vec::new();
        let mut base = 0u32;
        if let Some(lead) = &lead {
            counts.push(Refs::of(std::iter::once(&**lead)));
            if place_parts(lead).is_some() {
                runs.push(PlaceRun {
                    first: 0,
                    count: 1,
                    last: 0,
                });
            }
            base = 1;
        }
        for arena in &mut arenas {
            counts.push(std::mem::take(&mut arena.refs));
            runs.extend(arena.runs.iter().map(|r| PlaceRun {
                first: base.saturating_add(r.first),
                count: r.count,
                last: base.saturating_add(r.last),
            }));
            base = base.saturating_add(u32::try_from(arena.len()).unwrap_or(u32::MAX));
        }
        let store = Store::of_arenas(lead, arenas);
        let count = store.slots.len();
        let blocks = || {
            (0..count)
                .filter_map(|i| u32::try_from(i).ok())
                .map(BlockId)
        };
        // The other core adds up the pieces' counts and stamps each block's entry while this
        // one orders, places and indexes them (issue 13: boot; with the stamps here, this
        // core took twice the other's time: `lina_boot 20`, 504 samples against 264).
        let derive = || {
            let present = || blocks().filter_map(|id| store.block(id));
            (Refs::sum(&counts), Stamps::of(present()))
        };
        // (No second thread, or one that failed: this one derives them after.)
        let (derived, ()) = crate::cores::beside("load-derive", derive, || {
            let present: Vec<u32> = blocks()
                .filter(|id| store.block(*id).is_some())
                .map(|id| id.0)
                .collect();
            config.order = Order::of_sequence(&present);
            // Each block comes after every other: it is the last of its places
            // (`place_enter` without comparing positions), entered once per run.
            for run in &runs {
                if let Some(parts) = store.block(BlockId(run.first)).and_then(place_parts) {
                    config.enter_run((parts, run.count, BlockId(run.last)));
                }
            }
            // Room for every key (some blocks share one: the spare room is given back).
            config.index.reserve(keys.iter().flatten().count());
            for (id, key) in blocks().zip(&keys) {
                // `index_added` of `push`, for the blocks present.
                if let Some(key) = *key
                    && store.block(id).is_some()
                {
                    config
                        .index
                        .entry(key)
                        .and_modify(|keyed| keyed.also(id))
                        .or_insert(Keyed::one(id));
                }
            }
            config.index.shrink_to_fit();
        });
        (config.refs, config.stamps) = derived.unwrap_or_else(derive);
        config.store = store;
        config
    }

    /// `n` blocks of the place `(rank, family word, group words)`, the last of them `last`,
    /// entered after every block of the order (loading).
    fn enter_run(&mut self, (parts, n, last): ((u16, &str, &str), u32, BlockId)) {
        for key in keys_of_parts(parts) {
            let place = self.places.entry(key).or_insert(Place { count: 0, last });
            place.count += n;
            place.last = last;
        }
    }

    /// Appends a block without journaling (loading).
    pub fn push(&mut self, block: BlockBuf) -> BlockId {
        let id = self.alloc(block);
        self.link(usize::MAX, id);
        self.index_added(id, false);
        id
    }

    /// Inserts a block at a print position.
    pub fn insert_at(&mut self, pos: usize, block: BlockBuf) -> BlockId {
        let pos = pos.min(self.order.len());
        let id = self.alloc(block);
        self.link(pos, id);
        self.journal.push(Undo::Inserted { id, pos });
        self.index_added(id, true);
        id
    }

    /// Inserts a block where the ASA would print it (see [`Config::placement`]); a block
    /// that starts a new section gets a `!` before it, an interface one after it.
    pub fn insert_placed(&mut self, block: BlockBuf) -> BlockId {
        let rank = block.rank();
        let interface_rank = sections::rank_of_line("interface");
        let (mut pos, new_section) = self.placement(&block);
        if rank == interface_rank {
            if self.at(pos).is_some_and(|b| b.head().text == "!") {
                pos += 1;
            }
            let id = self.insert_at(pos, block);
            if self.at(pos + 1).is_none_or(|b| b.head().text != "!") {
                self.insert_at(pos + 1, Block::leaf(Entry::verbatim("!")));
            }
            return id;
        }
        if new_section && pos > 0 && !self.at(pos - 1).is_some_and(Block::is_separator) {
            self.insert_at(pos, Block::leaf(Entry::verbatim("!")));
            pos += 1;
        }
        self.insert_at(pos, block)
    }

    /// Removes a block.
    pub fn remove(&mut self, id: BlockId) -> bool {
        self.child_texts = None;
        let Some(pos) = self.position(id) else {
            return false;
        };
        self.unlink(id);
        self.index_removed(id);
        let Some(block) = self.store.take(id) else {
            return false;
        };
        self.refs.remove(&block);
        self.touched(&block);
        self.free.push(id.0);
        self.journal.push(Undo::Removed { id, pos, block });
        true
    }

    /// Replaces a block's content (same identity and position). Equal content is no change.
    pub fn replace(&mut self, id: BlockId, mut block: BlockBuf) -> bool {
        self.child_texts = None;
        block.rerank();
        let from = match self.block(id) {
            Some(old) if *old == *block => return true,
            Some(old) => place_keys(old),
            None => return false,
        };
        self.place_change(id, from, place_keys(&block));
        let Some(old) = self.store.put(id, block) else {
            return false;
        };
        let old_key = old.key_hash();
        if let Some(new) = self.store.block(id) {
            self.refs.replaced(&old, new);
        }
        self.touched(&old);
        self.touched_id(id);
        self.journal.push(Undo::Replaced { id, old });
        let new_key = self.block(id).and_then(Block::key_hash);
        if old_key != new_key {
            if let Some(k) = old_key {
                self.index_drop(k, id);
            }
            self.index_added(id, true);
        }
        true
    }

    /// Appends a child line to a block without copying it (large object groups grow one
    /// member at a time). The block's key must not depend on its children.
    pub fn push_child(&mut self, id: BlockId, entry: Entry) -> bool {
        let Some(block) = self.store.own_mut(id) else {
            return false;
        };
        if let Some((cached, texts)) = &mut self.child_texts
            && *cached == id
        {
            texts.insert(entry.text.to_string());
        }
        let before = block.rank();
        let from = place_keys(block);
        block.push_child(entry.line());
        self.refs.child(block.head(), entry.line(), true);
        let moved = (block.rank() != before).then(|| (from, place_keys(block)));
        if let Some((from, to)) = moved {
            self.place_change(id, from, to);
        }
        self.journal.push(Undo::ChildPushed { id });
        self.touched_id(id);
        true
    }

    /// Whether block `id` has a child line with exactly this text.
    pub fn has_child_text(&mut self, id: BlockId, text: &str) -> bool {
        if !matches!(&self.child_texts, Some((cached, _)) if *cached == id) {
            let texts = self
                .block(id)
                .map(|b| b.children().map(|c| c.text.to_string()).collect())
                .unwrap_or_default();
            self.child_texts = Some((id, texts));
        }
        self.child_texts
            .as_ref()
            .is_some_and(|(_, texts)| texts.contains(text))
    }

    /// Changes a block through a closure on a copy.
    pub fn update(&mut self, id: BlockId, f: impl FnOnce(&mut BlockEdit)) -> bool {
        let Some(mut copy) = self.block(id).map(Block::edit) else {
            return false;
        };
        f(&mut copy);
        self.replace(id, copy.pack())
    }

    // ----- placement -----

    /// Where a new block goes, and whether it starts a new section: after the last block
    /// with the same rank and first two words; else after the last block of its family;
    /// else before the first block of a later family; else at the end.
    pub fn placement(&self, block: &Block) -> (usize, bool) {
        let rank = block.rank();
        let head = block.head().text;
        if sections::sub_rank(head).is_some() || rank == NONE {
            return self.placement_scan(block);
        }
        // The answer is the last block of the group, or else of the family, which the index
        // of places knows: O(log n) instead of a walk back past every later block. Same
        // answer as `placement_scan`.
        let Some([family, group]) = place_keys(block) else {
            return self.placement_scan(block);
        };
        let last = self
            .places
            .get(&group)
            .or_else(|| self.places.get(&family))
            .and_then(|p| self.position(p.last));
        match last {
            Some(p) => (p + 1, false),
            None => self.placement_scan(block),
        }
    }

    /// [`Config::placement`] by one forward pass over the whole configuration.
    fn placement_scan(&self, block: &Block) -> (usize, bool) {
        let rank = block.rank();
        let sub_rank = sections::sub_rank(block.head().text);
        let mut last_group = None;
        let mut last_family = None;
        let mut first_later = None;
        // Families with an inner order: after the last member not ordered after this one.
        let mut last_not_after = None;
        let mut first_after = None;
        for (pos, (_, b)) in self.iter().enumerate() {
            let r = b.rank();
            if r == NONE {
                continue;
            }
            if same_family(block, b) {
                last_family = Some(pos);
                // Only families with an inner order need the other block's sub-rank.
                let theirs = sub_rank.and_then(|_| sections::sub_rank(b.head().text));
                match (sub_rank, theirs) {
                    (Some(mine), Some(theirs)) if theirs > mine => {
                        first_after.get_or_insert(pos);
                    }
                    _ => last_not_after = Some(pos),
                }
                if same_group(block, b) {
                    last_group = Some(pos);
                }
            } else if r > rank && r != UNKNOWN && first_later.is_none() {
                first_later = Some(pos);
            }
        }
        if sub_rank.is_some() && last_family.is_some() {
            if let Some(p) = last_not_after {
                return (p + 1, false);
            }
            if let Some(p) = first_after {
                return (p, false);
            }
        }
        if let Some(p) = last_group.or(last_family) {
            return (p + 1, false);
        }
        if let Some(p) = first_later {
            return (p, true);
        }
        (self.order.len(), true)
    }

    /// The block printed at `pos`.
    fn at(&self, pos: usize) -> Option<&Block> {
        self.order.get(pos).and_then(|i| self.block(BlockId(i)))
    }

    // ----- printing -----

    /// Prints every block; the version line prints as `version_line`.
    pub fn print_body(&self, version_line: &str, out: &mut String) {
        self.print_body_range(version_line, 0, usize::MAX, out);
    }

    /// [`Config::print_body`] of the `count` blocks from print position `from` (issue 13:
    /// boot: a large configuration is printed in two halves, one per core).
    pub fn print_body_range(
        &self,
        version_line: &str,
        from: usize,
        count: usize,
        out: &mut String,
    ) {
        let blocks = self
            .order
            .iter_from(from)
            .take(count)
            .filter_map(|i| self.block(BlockId(i)));
        for b in blocks {
            if b.is_version() {
                out.push_str(version_line);
                out.push('\n');
                for c in b.children() {
                    push_child(out, c.text);
                }
            } else {
                print_block(b, out);
            }
        }
    }

    // ----- internals -----

    fn alloc(&mut self, block: BlockBuf) -> BlockId {
        self.refs.add(&block);
        self.touched(&block);
        match self.free.pop() {
            Some(i) => {
                self.store.put(BlockId(i), block);
                BlockId(i)
            }
            None => {
                self.store.slots.push(Slot::Own(Box::new(block)));
                BlockId(self.store.slots.len() as u32 - 1)
            }
        }
    }

    /// Puts the block of slot `id` into the print order at `pos` (clamped).
    fn link(&mut self, pos: usize, id: BlockId) {
        self.order.insert(pos, id.0);
        if let Some(keys) = self.block(id).and_then(place_keys) {
            self.place_enter(id, keys);
        }
    }

    /// Takes the block of slot `id` out of the print order.
    fn unlink(&mut self, id: BlockId) {
        if let Some(keys) = self.block(id).and_then(place_keys) {
            self.place_leave(id, keys);
        }
        self.order.remove(id.0);
    }

    /// Block `id`, in the order, enters families or groups.
    fn place_enter(&mut self, id: BlockId, keys: [PlaceKey; 2]) {
        for key in keys {
            let later = match self.places.get(&key) {
                None => true,
                Some(place) => self.position(id) > self.position(place.last),
            };
            let place = self
                .places
                .entry(key)
                .or_insert(Place { count: 0, last: id });
            place.count += 1;
            if later {
                place.last = id;
            }
        }
    }

    /// Block `id`, still in the order, leaves families or groups. When it was the last of
    /// one, the one before it is found by walking back from it: members of a group print
    /// together, so that walk is short.
    fn place_leave(&mut self, id: BlockId, keys: [PlaceKey; 2]) {
        for key in keys {
            let Some(place) = self.places.get_mut(&key) else {
                continue;
            };
            place.count = place.count.saturating_sub(1);
            if place.count == 0 {
                self.places.remove(&key);
                continue;
            }
            if place.last != id {
                continue;
            }
            let mut cur = self.order.prev(id.0);
            let before = loop {
                let Some(i) = cur else { break None };
                if self.block(BlockId(i)).is_some_and(|b| key.holds(b)) {
                    break Some(BlockId(i));
                }
                cur = self.order.prev(i);
            };
            match before {
                Some(b) => {
                    if let Some(place) = self.places.get_mut(&key) {
                        place.last = b;
                    }
                }
                // Counts out of step: forget the key (placement then scans).
                None => {
                    self.places.remove(&key);
                }
            }
        }
    }

    /// Block `id`, in the order, moves from the families and groups `from` to `to`.
    fn place_change(
        &mut self,
        id: BlockId,
        from: Option<[PlaceKey; 2]>,
        to: Option<[PlaceKey; 2]>,
    ) {
        if from == to {
            return;
        }
        if let Some(from) = from {
            self.place_leave(id, from);
        }
        if let Some(to) = to {
            self.place_enter(id, to);
        }
    }

    /// Records that a block's content changed (revision counters, user stamps).
    fn touched(&mut self, block: &Block) {
        self.stamps.touched(block);
    }

    /// [`Config::touched`] for a block in place (no copy of a large block).
    fn touched_id(&mut self, id: BlockId) {
        match self.store.block(id) {
            Some(block) => self.stamps.touched(block),
            None => self.stamps.revision += 1,
        }
    }

    fn index_added(&mut self, id: BlockId, journal: bool) {
        let Some(key) = self.block(id).and_then(Block::key_hash) else {
            return;
        };
        let prev = self.index.get(&key).copied();
        let next = match prev {
            None => Keyed::one(id),
            Some(keyed) if keyed.holds(id) || keyed.more() => return,
            Some(keyed) => {
                let mut ids: Vec<BlockId> = keyed.ids().chain([id]).collect();
                ids.sort_by_key(|o| self.position(*o));
                match Keyed::of(&ids) {
                    Some(next) => next,
                    None => return,
                }
            }
        };
        self.index.insert(key, next);
        if journal {
            self.journal.push(Undo::Index { key, prev });
        }
    }

    fn index_removed(&mut self, id: BlockId) {
        if let Some(key) = self.block(id).and_then(Block::key_hash) {
            self.index_drop(key, id);
        }
    }

    /// `id` no longer carries a key of hash `key`: the index keeps the other block it holds
    /// for that hash, if any; when more than two carried it, the blocks are read for the
    /// others (up to three: the first two held, and whether there are more).
    fn index_drop(&mut self, key: u64, id: BlockId) {
        let Some(keyed) = self.index.get(&key).copied() else {
            return;
        };
        let next = if keyed.more() {
            let others: Vec<BlockId> = self
                .iter()
                .filter(|(o, b)| *o != id && b.key_hash() == Some(key))
                .map(|(o, _)| o)
                .take(3)
                .collect();
            Keyed::of(&others)
        } else if keyed.holds(id) {
            let kept: Vec<BlockId> = keyed.ids().filter(|o| *o != id).collect();
            Keyed::of(&kept)
        } else {
            return;
        };
        match next {
            Some(next) => self.index.insert(key, next),
            None => self.index.remove(&key),
        };
        self.journal.push(Undo::Index {
            key,
            prev: Some(keyed),
        });
    }
}

/// The rank of `logging` blocks (asked for every block that changes).
fn logging_rank() -> u16 {
    static RANK: std::sync::OnceLock<u16> = std::sync::OnceLock::new();
    *RANK.get_or_init(|| sections::rank_of_line("logging"))
}

/// Whether `b` belongs to the family of the new block `new` (same rank; for unknown
/// families, the same first word).
fn same_family(new: &Block, b: &Block) -> bool {
    b.rank() == new.rank()
        && (new.rank() != UNKNOWN
            || sections::first_words(b.head().text, 1) == sections::first_words(new.head().text, 1))
}

/// Whether `b` is of the group of the new block `new` ([`group_words`]).
fn same_group(new: &Block, b: &Block) -> bool {
    let group = group_words(new.head().text);
    // `group_words(text) == group`: a word-bounded prefix match rules most blocks out
    // without walking their head.
    sections::starts_with_words(b.head().text, sections::first_words(group, 1))
        && group_words(b.head().text) == group
}

/// Prints a block as `show running-config` does: children indented by one space.
/// The first word of a line (empty for a blank one).
fn first_word(line: &str) -> &str {
    cli_translator::words::split_words(line)
        .next()
        .unwrap_or("")
}

pub fn print_block(block: &Block, out: &mut String) {
    out.push_str(block.head().text);
    out.push('\n');
    for c in block.children() {
        push_child(out, c.text);
    }
}

fn push_child(out: &mut String, text: &str) {
    out.push(' ');
    out.push_str(text);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> BlockBuf {
        Block::leaf(Entry::verbatim(s))
    }

    fn typed(c: Command) -> BlockBuf {
        Block::leaf(Entry::typed(c))
    }

    #[test]
    fn of_blocks_is_push_of_each_block() {
        let text = "ASA Version 9.16(4) \nhostname fw\ninterface G0/0\n nameif in\n!\n\
            object network a\n host 1.1.1.1\n description object b\nobject network b\n \
            subnet 10.0.0.0 255.0.0.0\nobject-group network g\n network-object object a\n \
            group-object h\nobject-group network h\n network-object host 2.2.2.2\n\
            access-list x extended permit ip object a object-group g\n\
            access-list y extended deny ip any any\nlogging enable\nlogging buffered 7\n\
            nat (in,out) source static a b\nobject network a\n nat (in,out) dynamic interface\n\
            route in 1.1.1.0 255.255.255.0 2.2.2.2 1\nusername u password p privilege 15\n\
            hostname again\nfoo bar\n";
        let loaded = super::super::load::load(
            text,
            &mut super::super::entropy::Entropy::from_seed([1; 32]),
        );
        let blocks: Vec<BlockBuf> = loaded.iter().map(|(_, b)| b.to_owned()).collect();
        let mut pushed = Config::new();
        for b in blocks.clone() {
            pushed.push(b);
        }
        let built = Config::of_blocks(blocks);
        assert_eq!(body(&built), body(&pushed));
        assert_eq!(
            built.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            pushed.iter().map(|(id, _)| id).collect::<Vec<_>>()
        );
        assert_eq!(built.refs, pushed.refs);
        assert_eq!(built.refs, Refs::of(built.iter().map(|(_, b)| b)));
        assert_eq!(built.places, pushed.places);
        assert_eq!(built.places, recount_places(&built));
        assert_eq!(built.index, pushed.index);
        assert_eq!(built.stamps.revision, pushed.stamps.revision);
        assert_eq!(
            built.stamps.logging_revision,
            pushed.stamps.logging_revision
        );
        assert_eq!(built.stamps.word_revisions, pushed.stamps.word_revisions);
        assert_eq!(built.stamps.user_stamps, pushed.stamps.user_stamps);
        assert!(built.lookup(&Key::Object("a".into())).is_some());
        assert_eq!(built.lookup_all(&Key::Object("a".into())).len(), 2);
    }

    /// Blocks loaded in pieces (each arena counting its references and its runs of places)
    /// then joined, with a lead, build what pushing each block builds, wherever the cuts
    /// fall: inside a run of one place, between two, before a separator.
    #[test]
    fn arenas_joined_are_push_of_each_block() {
        let text = "hostname fw\n!\nobject network a\n host 1.1.1.1\nobject network b\n \
            host 1.1.1.2\nobject network c\n nat (in,out) dynamic interface\n!\n\
            object-group network g\n network-object object a\n network-object object b\n\
            access-list x extended permit ip object a object-group g\n\
            access-list x extended permit ip object b any\n\
            access-list y extended deny ip any object c\naccess-list x remark again x\n\
            nat (in,out) source static a b\nnat (in,out) after-auto source dynamic c interface\n\
            route in 1.1.1.0 255.255.255.0 2.2.2.2 1\nfoo bar\n";
        let loaded = super::super::load::load(
            text,
            &mut super::super::entropy::Entropy::from_seed([1; 32]),
        );
        let blocks: Vec<BlockBuf> = loaded.iter().map(|(_, b)| b.to_owned()).collect();
        let (lead, rest) = blocks.split_first().unwrap();
        let n = rest.len();
        for a in 0..=n {
            for b in a..=n {
                let mut pushed = Config::new();
                for block in blocks.clone() {
                    pushed.push(block);
                }
                let arenas = vec![
                    Arena::of(rest[..a].to_vec()),
                    Arena::of(rest[a..b].to_vec()),
                    Arena::of(rest[b..].to_vec()),
                ];
                let built = Config::of_arenas(Some(lead.clone()), arenas);
                let cut = format!("cut at {a} and {b}");
                assert_eq!(body(&built), body(&pushed), "{cut}");
                assert_eq!(built.refs, pushed.refs, "{cut}");
                assert_eq!(built.places, pushed.places, "{cut}");
                assert_eq!(built.index, pushed.index, "{cut}");
                assert_eq!(built.stamps.revision, pushed.stamps.revision, "{cut}");
            }
        }
    }

    #[test]
    fn counts_of_parts_add_up_to_the_counts_of_the_whole() {
        let blocks: Vec<BlockBuf> = [
            "access-list x extended permit ip object a object-group g",
            "access-list x extended permit ip object a object b",
            "nat (in,out) source static a b",
            "object-group network g",
        ]
        .into_iter()
        .map(v)
        .collect();
        let whole = Refs::of(blocks.iter().map(|b| &**b));
        let parts: Vec<Refs> = blocks
            .chunks(2)
            .map(|c| Refs::of(c.iter().map(|b| &**b)))
            .collect();
        assert_eq!(Refs::sum(&parts), whole);
        assert_eq!(whole.word("a"), 3);
        assert_eq!(Refs::sum(&[]), Refs::default());
    }

    /// The index says which names are defined, and where: an object's NAT block carries its
    /// key but defines nothing; a definition removed, and rolled back, is seen at once.
    #[test]
    fn defined_names_come_from_the_index() {
        let mut c = Config::new();
        let def = c.push(ref_block(0, 0));
        c.push(v("object-group service sg tcp"));
        c.push(Block::new(
            Entry::verbatim("object network lonely"),
            vec![Entry::verbatim("nat (in,out) dynamic interface")],
        ));
        c.commit();
        assert!(c.defines(Namespace::Object, "a"));
        assert!(c.defines(Namespace::Group, "sg"));
        assert!(!c.defines(Namespace::Group, "a"));
        assert!(!c.defines(Namespace::Object, "sg"));
        assert!(!c.defines(Namespace::Object, "lonely"));
        let mark = c.mark();
        c.remove(def);
        assert!(!c.defines(Namespace::Object, "a"));
        c.rollback_to(mark);
        assert!(c.defines(Namespace::Object, "a"));
    }

    fn body(c: &Config) -> String {
        let mut out = String::new();
        c.print_body("ASA Version X", &mut out);
        out
    }

    proptest::proptest! {
        /// The backward fast path of `placement` agrees with the full forward scan, for
        /// heads of known and unknown families, with and without inner order, in any order.
        #[test]
        fn placement_agrees_with_the_full_scan(
            heads in proptest::collection::vec(0usize..HEADS.len(), 0..40),
            new in 0usize..HEADS.len(),
        ) {
            let mut c = Config::new();
            for h in heads {
                c.push(v(HEADS[h]));
            }
            let block = v(HEADS[new]);
            proptest::prop_assert_eq!(c.placement(&block), c.placement_scan(&block));
            proptest::prop_assert_eq!(c.placement(&block), placement_walk(&c, &block));
        }
    }

    proptest::proptest! {
        /// The index of places follows insertions, removals, replacements, appended children
        /// and rollbacks: `placement` keeps agreeing with the full scan, and the index with a
        /// recount.
        #[test]
        fn placement_follows_every_change_and_undo(
            heads in proptest::collection::vec(0usize..HEADS.len(), 0..30),
            ops in proptest::collection::vec((0u8..6, 0usize..64, 0usize..64), 0..40),
        ) {
            let mut c = Config::new();
            for h in heads {
                c.push(v(HEADS[h]));
            }
            c.commit();
            let mut marks = Vec::new();
            for (op, a, b) in ops {
                let ids: Vec<BlockId> = c.iter().map(|(id, _)| id).collect();
                let pick = |n: usize| ids.get(n % ids.len().max(1)).copied();
                match op {
                    0 => {
                        c.insert_placed(v(HEADS[a % HEADS.len()]));
                    }
                    1 => {
                        c.insert_at(b, v(HEADS[a % HEADS.len()]));
                    }
                    2 => {
                        if let Some(id) = pick(a) {
                            c.remove(id);
                        }
                    }
                    3 => {
                        if let Some(id) = pick(a) {
                            c.replace(id, ref_block(b, a));
                        }
                    }
                    4 => {
                        if let Some(id) = pick(a) {
                            c.push_child(id, Entry::verbatim(REF_CHILDREN[b % REF_CHILDREN.len()]));
                        }
                        marks.push(c.mark());
                    }
                    _ => match marks.pop() {
                        Some(m) if b % 2 == 0 => c.rollback_to(m),
                        _ => marks.push(c.mark()),
                    },
                }
                proptest::prop_assert_eq!(&c.places, &recount_places(&c));
                for h in HEADS.iter().chain(REF_HEADS) {
                    let block = v(h);
                    proptest::prop_assert_eq!(c.placement(&block), c.placement_scan(&block), "{}", h);
                    check_family_run(&c, block.rank())?;
                }
            }
        }
    }

    /// `family_run` is the family's blocks with their positions whenever they print
    /// together, and `None` only when they do not.
    fn check_family_run(c: &Config, rank: u16) -> Result<(), proptest::test_runner::TestCaseError> {
        if rank == UNKNOWN || rank == NONE {
            return Ok(());
        }
        let scan: Vec<(usize, BlockId)> = c
            .iter()
            .enumerate()
            .filter(|(_, (_, b))| b.rank() == rank)
            .map(|(pos, (id, _))| (pos, id))
            .collect();
        let together = scan.windows(2).all(|w| w[1].0 == w[0].0 + 1);
        match c.family_run(rank) {
            Some(run) => proptest::prop_assert_eq!(run, scan),
            None => proptest::prop_assert!(!together, "rank {}: {:?}", rank, scan),
        }
        Ok(())
    }

    /// The index of places from scratch.
    fn recount_places(c: &Config) -> Map<PlaceKey, Place> {
        let mut places: Map<PlaceKey, Place> = Map::default();
        for (id, b) in c.iter() {
            for key in place_keys(b).into_iter().flatten() {
                let place = places.entry(key).or_insert(Place { count: 0, last: id });
                place.count += 1;
                place.last = id;
            }
        }
        places
    }

    /// `placement`'s answer as it was found before the index: walking back from the end.
    fn placement_walk(c: &Config, block: &Block) -> (usize, bool) {
        let rank = block.rank();
        if sections::sub_rank(block.head().text).is_some() || rank == NONE {
            return c.placement_scan(block);
        }
        let ids: Vec<BlockId> = c.iter().map(|(id, _)| id).collect();
        let mut last_family = None;
        for (pos, id) in ids.iter().enumerate().rev() {
            let Some(b) = c.block(*id) else { continue };
            if !same_family(block, b) {
                continue;
            }
            if same_group(block, b) {
                return (pos + 1, false);
            }
            last_family.get_or_insert(pos);
        }
        match last_family {
            Some(p) => (p + 1, false),
            None => c.placement_scan(block),
        }
    }

    proptest::proptest! {
        /// The derived counts equal a recount of the blocks present after any sequence of
        /// insertions, removals, replacements, appended children, rollbacks and commits.
        #[test]
        fn derived_counts_follow_every_change_and_undo(
            ops in proptest::collection::vec((0u8..7, 0usize..64, 0usize..64), 0..60),
        ) {
            let mut c = Config::new();
            let mut marks = Vec::new();
            for (op, a, b) in ops {
                let ids: Vec<BlockId> = c.iter().map(|(id, _)| id).collect();
                let pick = |n: usize| ids.get(n % ids.len().max(1)).copied();
                match op {
                    // Unjournaled pushes are loading: only outside a transaction.
                    0 if marks.is_empty() => {
                        c.push(ref_block(a, b));
                    }
                    0 => {
                        c.insert_placed(ref_block(a, b));
                    }
                    1 => {
                        c.insert_placed(ref_block(a, b));
                    }
                    2 => {
                        if let Some(id) = pick(a) {
                            c.remove(id);
                        }
                    }
                    3 => {
                        if let Some(id) = pick(a) {
                            c.replace(id, ref_block(b, a));
                        }
                    }
                    4 => {
                        if let Some(id) = pick(a) {
                            c.push_child(id, Entry::verbatim(REF_CHILDREN[b % REF_CHILDREN.len()]));
                        }
                    }
                    5 => marks.push(c.mark()),
                    _ => match marks.pop() {
                        Some(m) if b % 2 == 0 => c.rollback_to(m),
                        _ => {
                            c.commit();
                            marks.clear();
                        }
                    },
                }
                let recount = Refs::of(c.iter().map(|(_, b)| b));
                proptest::prop_assert_eq!(c.refs(), &recount);
                check_index(&c)?;
            }
        }
    }

    /// The index holds, per key, the blocks carrying it in print order when there are one or
    /// two (an object and its NAT block), and two of them when there are more; `lookup`
    /// finds the first it holds, and `lookup_all` all of them.
    fn check_index(c: &Config) -> Result<(), proptest::test_runner::TestCaseError> {
        let keys = [
            Key::Object("a".into()),
            Key::Object("b".into()),
            Key::Object("g".into()),
            Key::Hostname,
            Key::Group("g".into()),
            Key::Group("a".into()),
            Key::AclRule("access-list x extended permit ip object a object-group g".into()),
            Key::Route("inside 10.0.0.0/8".into()),
            Key::NatRule("nat (in,out) source static a b".into()),
        ];
        for key in keys {
            let carrying: Vec<BlockId> = c
                .iter()
                .filter(|(_, b)| has_key(b.head(), &key))
                .map(|(id, _)| id)
                .collect();
            let held: Vec<BlockId> = c
                .index
                .get(&refs::key_hash(key.parts()))
                .map(|keyed| keyed.ids().collect())
                .unwrap_or_default();
            let more = c
                .index
                .get(&refs::key_hash(key.parts()))
                .is_some_and(|keyed| keyed.more());
            proptest::prop_assert_eq!(more, carrying.len() > 2, "{:?}", key);
            if carrying.len() <= 2 {
                proptest::prop_assert_eq!(&held, &carrying, "{:?}", key);
                proptest::prop_assert_eq!(c.lookup(&key), carrying.first().copied());
            } else {
                proptest::prop_assert_eq!(held.len(), 2, "{:?}", key);
                proptest::prop_assert!(held.iter().all(|id| carrying.contains(id)));
                proptest::prop_assert!(c.lookup(&key).is_some_and(|id| held.contains(&id)));
            }
            proptest::prop_assert_eq!(c.lookup_all(&key), carrying.clone());
        }
        Ok(())
    }

    const REF_HEADS: &[&str] = &[
        "object network a",
        "object network b",
        "object service a",
        "object-group network g",
        "object-group network a",
        "access-list x extended permit ip object a object-group g",
        "nat (in,out) source static a b",
        "hostname h",
        "route inside 10.0.0.0 255.0.0.0 10.1.1.1 1",
        "route inside 10.0.0.0 255.0.0.0 10.1.1.2 5",
    ];

    const REF_CHILDREN: &[&str] = &[
        "host 10.0.0.1",
        "nat (in,out) static b",
        "network-object object a",
        "group-object g",
        "description object a",
        "nat (in,out) dynamic interface",
    ];

    /// A block of the reference families: the head typed as loading types it.
    fn ref_block(head: usize, children: usize) -> BlockBuf {
        let text = REF_HEADS[head % REF_HEADS.len()];
        let head = match cli_translator::parse::parse_command(text) {
            Ok(cmd) => Entry::loaded(Line::Typed(cmd), text),
            Err(_) => Entry::verbatim(text),
        };
        let kids = (0..children % 3)
            .map(|i| Entry::verbatim(REF_CHILDREN[(children + i) % REF_CHILDREN.len()]))
            .collect();
        Block::new(head, kids)
    }

    const HEADS: &[&str] = &[
        "hostname h",
        "!",
        "interface GigabitEthernet0/0",
        "object network a",
        "object network b",
        "object service s",
        "object-group network g",
        "object-group service sg tcp",
        "access-list a extended permit ip any any",
        "access-group a in interface inside",
        "route inside 10.0.0.0 255.0.0.0 10.1.1.1 1",
        "timeout xlate 3:00:00",
        "mystery-command one",
        "mystery-command two",
        "another-unknown x",
        "username u password x privilege 15",
        "logging enable",
        "nat (inside,outside) source static any any",
        "nat (dmz,outside) source static any any",
        "nat (inside,outside) after-auto source static any any",
        "http server enable",
        "ssh version 2",
    ];

    #[test]
    fn rollback_restores_order_content_and_index() {
        let mut c = Config::new();
        c.push(typed(Command::Hostname("a".into())));
        let obj = c.push(typed(Command::ObjectNetwork("o".into())));
        c.push(v("pager lines 24"));
        c.commit();
        let before = body(&c);
        let m = c.mark();
        c.insert_placed(typed(Command::ObjectNetwork("p".into())));
        c.remove(obj);
        let h = c.lookup(&Key::Hostname).unwrap();
        c.update(h, |b| b.head = Entry::typed(Command::Hostname("b".into())));
        assert!(c.changed_since(m));
        assert!(c.lookup(&Key::Object("o".into())).is_none());
        assert!(c.lookup(&Key::Object("p".into())).is_some());
        c.rollback_to(m);
        assert_eq!(body(&c), before);
        assert_eq!(c.lookup(&Key::Object("o".into())), Some(obj));
        assert!(c.lookup(&Key::Object("p".into())).is_none());
        assert!(!c.changed_since(m));
    }

    #[test]
    fn new_blocks_go_after_their_family_and_group() {
        let mut c = Config::new();
        for l in [
            "hostname a",
            "access-list A extended permit ip any any",
            "access-list B extended permit ip any any",
            "pager lines 24",
            "route x 0.0.0.0 0.0.0.0 1.1.1.1 1",
        ] {
            c.push(v(l));
        }
        c.insert_placed(v("access-list A extended deny ip any any"));
        c.insert_placed(v("logging enable"));
        c.insert_placed(v("access-list C remark c"));
        assert_eq!(
            body(&c),
            "hostname a\naccess-list A extended permit ip any any\naccess-list A extended deny ip any any\n\
             access-list B extended permit ip any any\naccess-list C remark c\npager lines 24\n\
             !\nlogging enable\nroute x 0.0.0.0 0.0.0.0 1.1.1.1 1\n"
        );
    }

    #[test]
    fn a_new_section_gets_a_separator() {
        let mut c = Config::new();
        c.push(v("hostname a"));
        c.push(v("pager lines 24"));
        c.insert_placed(typed(Command::ObjectNetwork("o".into())));
        assert_eq!(
            body(&c),
            "hostname a\n!\nobject network o\npager lines 24\n"
        );
    }

    #[test]
    fn new_interfaces_are_followed_by_a_separator() {
        let mut c = Config::new();
        c.push(v("hostname a"));
        c.push(typed(Command::Interface("G0/0".into())));
        c.push(v("!"));
        c.push(v("pager lines 24"));
        c.insert_placed(typed(Command::Interface("G0/0.5".into())));
        assert_eq!(
            body(&c),
            "hostname a\ninterface G0/0\n!\ninterface G0/0.5\n!\npager lines 24\n"
        );
    }

    #[test]
    fn duplicate_keys_keep_the_index_pointing_at_a_live_block() {
        let mut c = Config::new();
        let a = c.push(typed(Command::ObjectNetwork("o".into())));
        let b = c.push(typed(Command::ObjectNetwork("o".into())));
        assert_eq!(c.lookup(&Key::Object("o".into())), Some(a));
        let m = c.mark();
        c.remove(a);
        assert_eq!(c.lookup(&Key::Object("o".into())), Some(b));
        c.rollback_to(m);
        assert_eq!(c.lookup(&Key::Object("o".into())), Some(a));
    }

    #[test]
    fn user_stamps_change_with_the_user_line() {
        let mut c = Config::new();
        let u = Command::Username {
            name: "u".into(),
            password: cli_translator::ast::Password::None,
            privilege: Some(15),
        };
        let id = c.push(typed(u));
        let s1 = c.user_stamp("u");
        let m = c.mark();
        c.update(id, |b| b.children.push(Entry::verbatim("x")));
        let s2 = c.user_stamp("u");
        assert_ne!(s1, s2);
        c.rollback_to(m);
        assert_ne!(c.user_stamp("u"), s2);
        assert_ne!(c.user_stamp("u"), s1);
    }

    #[test]
    fn user_privileges_follow_the_user_line_and_its_removal() {
        let user = |privilege| {
            typed(Command::Username {
                name: "u".into(),
                password: cli_translator::ast::Password::None,
                privilege,
            })
        };
        let mut c = Config::new();
        assert_eq!(c.user_privilege("u"), None);
        let id = c.push(user(Some(15)));
        assert_eq!(c.user_privilege("u"), Some(15));
        // Asked again: the remembered answer, the same.
        assert_eq!(c.user_privilege("u"), Some(15));
        let m = c.mark();
        assert!(c.replace(id, user(Some(5))));
        assert_eq!(c.user_privilege("u"), Some(5));
        c.rollback_to(m);
        assert_eq!(c.user_privilege("u"), Some(15));
        let id = c.lookup(&Key::User("u".into())).expect("the user");
        assert!(c.replace(id, user(None)));
        assert_eq!(c.user_privilege("u"), Some(2));
        assert!(c.remove(id));
        assert_eq!(c.user_privilege("u"), None);
        c.push(user(Some(3)));
        assert_eq!(c.user_privilege("u"), Some(3));
    }

    #[test]
    fn families_found_from_the_places_are_those_a_scan_finds() {
        // Families apart from each other in a loaded text, unknown lines, and changes.
        let text = "hostname fw\nlogging enable\naccess-list a extended permit ip any any\nrest-api agent\nlogging trap 3\nrest-api frobnicate\nroute outside 0.0.0.0 0.0.0.0 10.0.0.1 1\nrest-api image disk0:/a.pkg\naaa authentication enable console LOCAL\nlogging host inside 10.1.1.1\nrest-api frobnicate 2\n";
        let (mut c, _) = super::super::load::load_reporting(
            text,
            &mut crate::engine::Entropy::from_seed([1; 32]),
        );
        let scan = |c: &Config, rank: u16, word: &str| -> Vec<BlockId> {
            c.iter()
                .filter(|(_, b)| {
                    b.rank() == rank
                        && (rank != UNKNOWN || sections::first_words(b.head().text, 1) == word)
                })
                .map(|(id, _)| id)
                .collect()
        };
        let check = |c: &Config| {
            for line in [
                "logging",
                "rest-api image",
                "route",
                "aaa authentication",
                "hostname",
            ] {
                let rank = sections::rank_of_line(line);
                assert_eq!(
                    c.blocks_of_family(rank, ""),
                    Some(scan(c, rank, "")),
                    "{line}"
                );
            }
            assert_eq!(
                c.blocks_of_family(UNKNOWN, "rest-api"),
                Some(scan(c, UNKNOWN, "rest-api"))
            );
            for word in ["rest-api", "logging", "aaa", "route", "crypto"] {
                let ids = c.blocks_starting_with(word).expect("found from the places");
                let scanned: Vec<BlockId> = c
                    .iter()
                    .filter(|(_, b)| first_word(b.head().text) == word)
                    .map(|(id, _)| id)
                    .collect();
                let starting: Vec<BlockId> = ids
                    .into_iter()
                    .filter(|id| {
                        c.block(*id)
                            .is_some_and(|b| first_word(b.head().text) == word)
                    })
                    .collect();
                assert_eq!(starting, scanned, "{word}");
            }
        };
        check(&c);
        let logging = scan(&c, sections::rank_of_line("logging"), "");
        assert_eq!(logging.len(), 3);
        let m = c.mark();
        assert!(c.remove(logging[1]));
        c.insert_placed(v("logging buffered 7"));
        c.insert_placed(v("rest-api other"));
        check(&c);
        c.rollback_to(m);
        check(&c);
        assert_eq!(c.blocks_starting_with("object"), None);
    }

    #[test]
    fn cached_finds_follow_every_change_and_undo() {
        let mut c = Config::new();
        let is_image = |b: &Block| b.head().text.starts_with("rest-api image ");
        c.push(v("hostname fw"));
        let find = |c: &Config| c.find_cached("rest-api", "image", is_image);
        assert_eq!(find(&c), None);
        let first = c.push(v("rest-api image disk0:/a.pkg"));
        c.commit();
        // Found after an insert although the earlier answer (none) was remembered.
        assert_eq!(find(&c), Some(first));
        // A change to another family keeps the answer; a second image line comes after.
        c.push(v("hostname fw2"));
        assert_eq!(find(&c), Some(first));
        let m = c.mark();
        assert!(c.remove(first));
        assert_eq!(find(&c), None);
        c.rollback_to(m);
        assert_eq!(find(&c), Some(first));
        assert!(c.update(first, |b| b.head = Entry::verbatim("rest-api agent")));
        assert_eq!(find(&c), None);
        // A block turned into the family by an update is found too.
        let other = c.push(v("hostname fw3"));
        assert!(c.update(other, |b| b.head =
            Entry::verbatim("rest-api image disk0:/b.pkg")));
        assert_eq!(find(&c), Some(other));
    }

    #[test]
    fn pushed_children_roll_back() {
        let mut c = Config::new();
        let g = c.push(v("object-group network g"));
        c.commit();
        let before = body(&c);
        let rev = c.revision();
        let m = c.mark();
        assert!(c.push_child(g, Entry::verbatim("network-object host 1.1.1.1")));
        assert!(c.push_child(g, Entry::verbatim("group-object h")));
        assert!(c.revision() > rev);
        assert_eq!(
            body(&c),
            "object-group network g\n network-object host 1.1.1.1\n group-object h\n"
        );
        c.rollback_to(m);
        assert_eq!(body(&c), before);
    }

    #[test]
    fn a_line_is_its_text_and_a_mark() {
        assert_eq!(std::mem::size_of::<Entry>(), 16);
        assert_eq!(std::mem::size_of::<Slot>(), 16);
        let v = Entry::verbatim("object network a");
        let t = Entry::typed(Command::ObjectNetwork("a".into()));
        assert_eq!(v.text, t.text);
        assert_eq!(v.text, "object network a");
        assert_eq!(t.text.to_string(), "object network a");
        assert_eq!(String::from(t.text.clone()), "object network a");
        assert_ne!(v, t);
        assert!(t.is_typed() && !v.is_typed());
        assert_eq!(t.command(), Some(Command::ObjectNetwork("a".into())));
        assert_eq!(v.command(), None);
        assert_eq!(Entry::verbatim("").text.len(), 0);
        let mut set: Set<Text> = Set::default();
        set.insert(t.text.clone());
        assert!(set.contains("object network a"));
    }

    /// Blocks of the arenas (loaded) change, roll back and print as owned blocks do.
    #[test]
    fn held_blocks_change_as_owned_ones() {
        let blocks: Vec<BlockBuf> = (0..40)
            .map(|i| {
                Block::new(
                    Entry::verbatim(format!("object-group network g{i}")),
                    vec![Entry::verbatim(format!("network-object host 10.0.0.{i}"))],
                )
            })
            .collect();
        let mut held = Config::of_blocks(blocks.clone());
        let mut owned = Config::new();
        for b in blocks {
            owned.push(b);
        }
        assert!(matches!(held.store.slots[3], Slot::Held { .. }));
        for c in [&mut held, &mut owned] {
            let ids: Vec<BlockId> = c.iter().map(|(id, _)| id).collect();
            let m = c.mark();
            c.push_child(ids[1], Entry::verbatim("network-object host 9.9.9.9"));
            c.remove(ids[2]);
            c.update(ids[3], |b| b.children.clear());
            c.rollback_to(m);
            c.push_child(ids[4], Entry::verbatim("group-object g5"));
            c.remove(ids[6]);
            c.update(ids[7], |b| {
                b.children.push(Entry::verbatim("group-object g8"))
            });
            c.commit();
        }
        assert_eq!(body(&held), body(&owned));
        assert_eq!(held.refs, owned.refs);
        assert_eq!(held.refs, Refs::of(held.iter().map(|(_, b)| b)));
        assert!(body(&held).contains("object-group network g1\n network-object host 10.0.0.1\n"));
        assert!(!body(&held).contains("9.9.9.9"));
    }

    /// Once most of the arenas' bytes belong to removed or changed blocks, they are packed
    /// again: what remains prints the same, from less memory.
    #[test]
    fn dead_arena_bytes_are_packed_again() {
        let blocks: Vec<BlockBuf> = (0..40_000)
            .map(|i| {
                v(&format!(
                    "access-list a{} extended permit ip any host 10.{}.{}.1",
                    i,
                    i / 256 % 256,
                    i % 256
                ))
            })
            .collect();
        let mut c = Config::of_blocks(blocks);
        let arena_bytes = |c: &Config| c.store.arenas.iter().map(|(_, t)| t.len()).sum::<usize>();
        let before = arena_bytes(&c);
        assert!(before > 2 << 20);
        let doomed: Vec<BlockId> = c
            .iter()
            .map(|(id, _)| id)
            .filter(|id| id.0 % 4 != 0)
            .collect();
        for id in doomed {
            c.remove(id);
        }
        c.commit();
        let after = arena_bytes(&c);
        assert!(after < before / 3, "{after} of {before}");
        assert_eq!(c.store.dead, 0);
        assert_eq!(c.len(), 10_000);
        let kept: Vec<String> = c.iter().map(|(_, b)| b.head().text.to_owned()).collect();
        assert_eq!(kept.len(), 10_000);
        assert_eq!(
            kept[1],
            "access-list a4 extended permit ip any host 10.0.4.1"
        );
        assert_eq!(
            kept[9_999],
            "access-list a39996 extended permit ip any host 10.156.60.1"
        );
    }

    #[test]
    fn slots_are_reused_after_removal() {
        let mut c = Config::new();
        let a = c.push(v("a"));
        c.remove(a);
        c.commit();
        let b = c.insert_at(0, v("b"));
        assert_eq!(a, b);
        assert_eq!(c.len(), 1);
    }
}
