//! Counts derived from the configuration's blocks: the words that may name an object or a
//! group, and the names object and group definitions give. (The blocks carrying each key are
//! the configuration's index's to say, which holds them.)
//!
//! [`Config`](super::config::Config) keeps them in step in its primitives and in their undo,
//! so the questions every deletion or creation asks ("does any line name this object?", "is
//! this name a group's?") are answered without reading every block. A bulk of 1000 deletions on 20,000 objects read all blocks three
//! times per deletion before.
//!
//! The word count guards a scan and is a superset: a counted word is not necessarily a
//! reference (the caller then reads the lines), but an uncounted word never is one.
//!
//! What counts is the families' to say ([`CliFamily`]), asked through the registry's lookup
//! of a block's header: which blocks define an object or a group
//! ([`CliFamily::defines_referable`]), which lines of a block may name one
//! ([`CliFamily::counts_head`], [`CliFamily::counts_child`]: a network object's own lines do
//! not, except its NAT rule), and which words of a line do (the word after one of the
//! families' [`CliFamily::names_follow`] words, or every word of a line whose family
//! [names objects in any word](CliFamily::names_objects_in_any_word)).

use std::hash::Hash;

use super::config::{Block, LineRef, Map};
use super::families::{self, CliFamily};

/// The namespace of a defined name: objects (`object network|service`) or groups
/// (`object-group`); a name is checked against both, but counted in its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespace {
    Object,
    Group,
}

/// The families of a block's header, which say what of the block counts.
type Families = &'static [&'static dyn CliFamily];

/// The derived counts. Equal to [`Refs::of`] the blocks present, whatever changed them.
///
/// Words are counted by a 64-bit hash of them, not kept as text (issue 13: each name was kept
/// once more per map). The count only guards a scan: two words sharing a hash only
/// add to each other's count, which makes the caller read the blocks, as a count may. The
/// hash is seeded at random per process, so names cannot be chosen to collide.
/// Defined names are counted by hash too (issue 13: memory): a count says a definition may
/// exist, and [`Config::defines`](super::config::Config::defines) reads the blocks to say for
/// sure only then.
///
/// The hashes were cut to 32 bits to halve the tables, but then a new name could share a hash
/// with one of a 200 MB configuration's million names (about one chance in 3,000 per count
/// read), and a write that met one read every block: the scale bench saw one or two writes in
/// 5,000 take 120 to 220 ms instead of 0.4 (issue 13: writes flat in size). At 64 bits the
/// chance is about one in 10^13; kept in two halves ([`Counted`]), an entry takes 12 bytes
/// rather than 8 at 32 bits or 16 as a `u64`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Refs {
    words: Map<Counted, u32>,
}

/// The seeded hash words and names are counted by, and the index keyed by (the same for every [`Refs`] of the process,
/// so that counts kept in step and counts from scratch compare equal).
fn hashed(tag: u8, text: &str) -> u64 {
    use std::hash::BuildHasher;
    static STATE: std::sync::OnceLock<foldhash::fast::SeedableRandomState> =
        std::sync::OnceLock::new();
    STATE
        .get_or_init(foldhash::fast::SeedableRandomState::random)
        .hash_one((tag, text))
}

/// A 64-bit hash as a count is kept under: two halves, so that a table entry with its count
/// takes 12 bytes, not the 16 a `u64` key's alignment makes it.
type Counted = [u32; 2];

fn counted(hash: u64) -> Counted {
    [hash as u32, (hash >> 32) as u32]
}

fn word_hash(word: &str) -> u64 {
    hashed(0, word)
}

/// The hash the configuration's index is keyed by.
pub fn key_hash((kind, name): (u8, &str)) -> u64 {
    hashed(kind + 1, name)
}

impl Refs {
    /// The counts of `blocks`, from scratch.
    pub fn of<'a>(blocks: impl Iterator<Item = &'a Block>) -> Refs {
        let mut refs = Refs::default();
        for b in blocks {
            refs.add(b);
        }
        refs
    }

    /// The counts of several sets of blocks together (loading: each piece counts its own).
    /// The largest is copied as it is (a table of plain numbers: one copy, nothing hashed
    /// again) and the others are added to it.
    pub fn sum(parts: &[Refs]) -> Refs {
        let Some(largest) = parts.iter().enumerate().max_by_key(|(_, r)| r.words.len()) else {
            return Refs::default();
        };
        let mut sum = largest.1.clone();
        for (i, part) in parts.iter().enumerate() {
            if i == largest.0 {
                continue;
            }
            for (key, n) in &part.words {
                *sum.words.entry(*key).or_insert(0) += n;
            }
        }
        sum
    }

    /// How often `word` appears where it may name an object or group.
    pub fn word(&self, word: &str) -> u32 {
        self.words
            .get(&counted(word_hash(word)))
            .copied()
            .unwrap_or(0)
    }

    /// A block entered the configuration.
    pub fn add(&mut self, block: &Block) {
        self.block(block, true);
    }

    /// A block left the configuration.
    pub fn remove(&mut self, block: &Block) {
        self.block(block, false);
    }

    /// A child line was appended to (`up`) or dropped from the block `head`.
    pub fn child(&mut self, head: LineRef<'_>, child: LineRef<'_>, up: bool) {
        self.child_words(families::of_line(head.text), head, child, up);
    }

    /// The block `old` became `new` in place. With the same head only the children that
    /// differ are recounted (removing one member of a 20,000-member group reads the two
    /// lists once, and hashes nothing else).
    pub fn replaced(&mut self, old: &Block, new: &Block) {
        if old.head() != new.head() {
            self.remove(old);
            self.add(new);
            return;
        }
        let o: Vec<LineRef<'_>> = old.children().collect();
        let n: Vec<LineRef<'_>> = new.children().collect();
        let prefix = o
            .iter()
            .zip(&n)
            .take_while(|(a, b)| a.text == b.text)
            .count();
        let (o, n) = (&o[prefix..], &n[prefix..]);
        let suffix = o
            .iter()
            .rev()
            .zip(n.iter().rev())
            .take_while(|(a, b)| a.text == b.text)
            .count();
        let families = families::of_line(new.head().text);
        for c in &o[..o.len() - suffix] {
            self.child_words(families, old.head(), *c, false);
        }
        for c in &n[..n.len() - suffix] {
            self.child_words(families, new.head(), *c, true);
        }
    }

    fn child_words(&mut self, families: Families, head: LineRef<'_>, child: LineRef<'_>, up: bool) {
        if counts_child(families, head, child.text) {
            for w in line_words(child.text) {
                bump(&mut self.words, &counted(word_hash(w)), up);
            }
        }
    }

    fn block(&mut self, block: &Block, up: bool) {
        self.block_of(families::of_line(block.head().text), block, up);
    }

    fn block_of(&mut self, families: Families, block: &Block, up: bool) {
        for line in counted_lines(families, block) {
            for w in line_words(line) {
                bump(&mut self.words, &counted(word_hash(w)), up);
            }
        }
    }
}

/// The object or group `block` defines (by its rank: an object's NAT block defines nothing).
pub fn defined_by(block: &Block) -> Option<(Namespace, &str)> {
    let head = block.head().text;
    if head.starts_with(char::is_whitespace) {
        return None;
    }
    families::of_line(head)
        .iter()
        .find_map(|f| f.defines_referable(head, block.rank()))
}

/// How often `name` appears among the counted words of `block`.
pub fn count_in(block: &Block, name: &str) -> u32 {
    let mut n = 0;
    for line in counted_lines(families::of_line(block.head().text), block) {
        if line.contains(name) {
            n += line_words(line).filter(|w| *w == name).count() as u32;
        }
    }
    n
}

/// The family of the block headed by `head` that says its header names nothing, if any: then
/// only the sub-commands it keeps count.
fn uncounted_head(families: Families, head: LineRef<'_>) -> Option<&'static dyn CliFamily> {
    families.iter().find(|f| !f.counts_head(head)).copied()
}

fn counts_child(families: Families, head: LineRef<'_>, child: &str) -> bool {
    uncounted_head(families, head).is_none_or(|f| f.counts_child(head, child))
}

/// The lines of `block` whose words count; `families` are its header's.
fn counted_lines(families: Families, block: &Block) -> impl Iterator<Item = &str> {
    let owner = uncounted_head(families, block.head());
    let head = owner.is_none().then_some(block.head().text);
    head.into_iter().chain(
        block
            .children()
            .filter(move |c| owner.is_none_or(|f| f.counts_child(block.head(), c.text)))
            .map(|c| c.text),
    )
}

/// The words of a line that may name an object or group: every word of a line whose family
/// says so (`nat`: its grammar names objects in bare slots), else the word after one of the
/// families' [`CliFamily::names_follow`] words (`object`, `object-group`, `group-object`).
pub fn line_words(text: &str) -> impl Iterator<Item = &str> {
    let mut words = text.split_whitespace().peekable();
    let every = words
        .peek()
        .is_some_and(|w| families::any_word_names_objects(w));
    let follow = families::names_follow();
    let mut prev = "";
    words.filter(move |w| {
        let hit = every || follow.contains(&prev);
        prev = w;
        hit
    })
}

fn bump<K, Q>(map: &mut Map<K, u32>, key: &Q, up: bool)
where
    K: std::borrow::Borrow<Q> + Hash + Eq,
    Q: ToOwned<Owned = K> + Hash + Eq + ?Sized,
{
    if up {
        match map.get_mut(key) {
            Some(n) => *n += 1,
            None => {
                map.insert(key.to_owned(), 1);
            }
        }
    } else if let Some(n) = map.get_mut(key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use cli_translator::ast::Line;

    use super::*;
    use crate::engine::config::{BlockBuf, Entry};

    /// An entry typed when the grammar reads it, as loading makes it.
    fn entry(text: &str) -> Entry {
        match cli_translator::parse::parse_command(text) {
            Ok(cmd) => Entry::loaded(Line::Typed(cmd), text),
            Err(_) => Entry::verbatim(text),
        }
    }

    fn block(head: &str, children: &[&str]) -> BlockBuf {
        Block::new(
            entry(head),
            children.iter().map(|c| Entry::verbatim(*c)).collect(),
        )
    }

    /// A family of blocks `probe <name>` that define a group, whose header names nothing and
    /// whose ` uses ...` sub-commands alone count.
    struct Probe;

    impl CliFamily for Probe {
        fn name(&self) -> &'static str {
            "probe"
        }
        fn keywords(&self) -> &'static [&'static str] {
            &["probe"]
        }
        fn apply(
            &self,
            _a: &mut super::super::apply::Applier<'_>,
            _line: &str,
        ) -> Option<Result<super::super::apply::Step, super::super::error::CliError>> {
            None
        }
        fn defines_referable<'l>(&self, head: &'l str, rank: u16) -> Option<(Namespace, &'l str)> {
            let name = head.strip_prefix("probe ")?;
            (rank == 7).then_some((Namespace::Group, name))
        }
        fn counts_head(&self, _head: LineRef<'_>) -> bool {
            false
        }
        fn counts_child(&self, _head: LineRef<'_>, child: &str) -> bool {
            child.trim_start().starts_with("uses ")
        }
    }

    static PROBE: Families = &[&Probe];

    #[test]
    fn a_familys_declarations_drive_the_counts() {
        let b = block(
            "probe object-group g",
            &[" uses object o", " skips object p", " uses group-object q"],
        );
        assert_eq!(
            counted_lines(PROBE, &b).collect::<Vec<_>>(),
            [" uses object o", " uses group-object q"]
        );
        // Words count after the families' `names_follow` words, in the lines the family keeps.
        let mut refs = Refs::default();
        refs.block_of(PROBE, &b, true);
        assert_eq!((refs.word("o"), refs.word("p"), refs.word("q")), (1, 0, 1));
        assert_eq!(refs.word("g"), 0, "the header is not counted");
        // Without the family, the header counts and every line does.
        let mut plain = Refs::default();
        plain.block_of(&[], &b, true);
        assert_eq!((plain.word("g"), plain.word("p")), (1, 1));
    }

    #[test]
    fn the_object_families_declare_what_refs_counts() {
        let object = entry("object network web");
        let families = families::of_line(&object.text);
        assert!(families.iter().any(|f| !f.counts_head(object.line())));
        assert!(counts_child(
            families,
            object.line(),
            " nat (in,out) static pool"
        ));
        assert!(!counts_child(families, object.line(), " host 10.0.0.1"));
        // A header loaded in capitals is the same typed object: its family still answers.
        let upper = entry("OBJECT network web");
        assert!(upper.command().is_some());
        assert!(!counts_child(
            families::of_line(&upper.text),
            upper.line(),
            " host 1.1.1.1"
        ));
        let group = entry("object-group network g");
        assert!(counts_child(
            families::of_line(&group.text),
            group.line(),
            " group-object h"
        ));
        assert_eq!(
            families::names_follow(),
            ["object", "object-group", "group-object"]
        );
    }

    #[test]
    fn words_after_object_keywords_and_every_word_of_nat_lines() {
        let words = |t| line_words(t).collect::<Vec<_>>();
        assert_eq!(
            words("access-list a extended permit ip object-group g object o any"),
            ["g", "o"]
        );
        assert_eq!(words(" group-object inner"), ["inner"]);
        assert_eq!(
            words("nat (in,out) source static a b"),
            ["nat", "(in,out)", "source", "static", "a", "b"]
        );
        assert_eq!(words("route inside 0 0 1.1.1.1 1"), Vec::<&str>::new());
    }

    #[test]
    fn an_objects_own_lines_count_only_its_nat_rule() {
        let def = block(
            "object network web",
            &["host 10.0.0.1", "description object x"],
        );
        assert_eq!(count_in(&def, "web"), 0);
        assert_eq!(count_in(&def, "x"), 0);
        let nat = block("object network web", &["nat (in,out) static pool"]);
        assert_eq!(count_in(&nat, "pool"), 1);
        let group = block("object-group network g", &["network-object object web"]);
        assert_eq!(count_in(&group, "web"), 1);
    }

    #[test]
    fn definitions_go_by_block_rank_and_removal_undoes_addition() {
        let def = block("object network web", &["host 10.0.0.1"]);
        let group = block("object-group service sg tcp", &["port-object eq 80"]);
        assert_eq!(defined_by(&def), Some((Namespace::Object, "web")));
        assert_eq!(defined_by(&group), Some((Namespace::Group, "sg")));
        let mut refs = Refs::default();
        refs.add(&def);
        refs.add(&group);
        let before = refs.clone();
        let nat = block("object network lonely", &["nat (in,out) dynamic interface"]);
        assert_eq!(
            defined_by(&nat),
            None,
            "an object's NAT block defines nothing"
        );
        refs.add(&nat);
        assert_eq!(refs.word("interface"), 1);
        refs.remove(&nat);
        assert_eq!(refs, before);
        assert_eq!(refs, Refs::of([&*def, &*group].into_iter()));
    }

    #[test]
    fn a_replacement_recounts_only_what_differs_and_agrees_with_a_recount() {
        let members = |names: &[&str]| {
            names
                .iter()
                .map(|n| format!("network-object object {n}"))
                .collect::<Vec<_>>()
        };
        let group = |names: &[&str]| {
            let lines = members(names);
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            block("object-group network g", &lines)
        };
        let cases: [(&[&str], &[&str]); 5] = [
            (&["a", "b", "c"], &["a", "c"]),
            (&["a", "b", "c"], &["a", "x", "c"]),
            (&["a"], &["a", "a"]),
            (&["a", "a"], &["a"]),
            (&[], &["b"]),
        ];
        for (from, to) in cases {
            let (old, new) = (group(from), group(to));
            let mut refs = Refs::of([&*old].into_iter());
            refs.replaced(&old, &new);
            assert_eq!(refs, Refs::of([&*new].into_iter()), "{from:?} -> {to:?}");
        }
        // Another head: everything is recounted.
        let old = group(&["a"]);
        let new = block("object network g2", &["host 10.0.0.2"]);
        let mut refs = Refs::of([&*old].into_iter());
        refs.replaced(&old, &new);
        assert_eq!(refs, Refs::of([&*new].into_iter()));
        assert_eq!(refs.word("a"), 0);
    }

    /// A name that no line uses counts nothing, among many names that lines do use: with the
    /// counts kept under 32 bits, 200,000 names and 200,000 others met about nine times (each
    /// a write that read every block).
    #[test]
    fn unused_names_count_nothing_beside_many_used_ones() {
        const N: usize = 200_000;
        let members: Vec<String> = (0..N)
            .map(|i| format!(" network-object object used-{i}"))
            .collect();
        let members: Vec<&str> = members.iter().map(String::as_str).collect();
        let group = block("object-group network many", &members);
        let refs = Refs::of([&*group].into_iter());
        assert_eq!(refs.word("used-0"), 1);
        assert_eq!(refs.word(&format!("used-{}", N - 1)), 1);
        let met: Vec<String> = (0..N)
            .map(|i| format!("unused-{i}"))
            .filter(|name| refs.word(name) != 0)
            .collect();
        assert!(
            met.is_empty(),
            "{} unused names counted: {met:?}",
            met.len()
        );
    }
}
