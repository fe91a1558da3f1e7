//! A block kept as one string (issue 13, memory): its family rank, then each line's length
//! and mark, then the line's text, for the head line and every child.
//!
//! A line used to be an `Entry` of its own (16 bytes and a heap allocation of its text, about
//! 53 bytes for 38 of text with malloc's header and rounding) in a vector of its own per
//! block: a block cost about 200 bytes beyond its text. Packed, a block is its text and about
//! two bytes per line, and a loaded configuration keeps every block in a few large arenas
//! ([`super::Config`]): no allocation per block at all.
//!
//! The header and each line's length are written in ASCII digits of six bits (a digit with
//! 0x40 set says another follows), so the packed form is itself a `str`: a line's text is a
//! slice of it at ASCII boundaries, read without any check of its bytes or any `unsafe`.
//!
//! [`Block`] is the borrowed form (as `str` is to `String`), [`BlockBuf`] the owned one, and
//! [`BlockEdit`] the unpacked form a change edits ([`super::Config::update`]).

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use cli_translator::ast::Command;
use ref_cast::RefCast;

use super::{Entry, Key, key_of, key_parts, refs};
use crate::engine::sections;

/// Digits of the rank (18 bits).
const RANK_DIGITS: usize = 3;

/// A digit's value bits.
const DIGIT: u8 = 0x3f;

/// Set on a digit that another digit follows.
const MORE: u8 = 0x40;

/// A block, borrowed: a top-level line and its sub-command lines.
#[derive(RefCast, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Block(str);

/// A block, owned.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BlockBuf(String);

/// A block unpacked, to edit its lines ([`super::Config::update`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockEdit {
    pub head: Entry,
    pub children: Vec<Entry>,
}

/// One line of a block, borrowed: its text, and whether the grammar types it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineRef<'a> {
    pub text: &'a str,
    typed: bool,
}

/// The lines of a block, in order.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    rest: &'a str,
}

fn push_number(out: &mut String, mut n: usize) {
    loop {
        // Six bits a digit: always ASCII.
        let digit = (n & usize::from(DIGIT)) as u8;
        n >>= 6;
        if n == 0 {
            out.push(char::from(digit));
            return;
        }
        out.push(char::from(digit | MORE));
    }
}

/// The number at the start of `s`, and how many bytes it took.
fn read_number(s: &str) -> Option<(usize, usize)> {
    let mut n = 0usize;
    for (i, b) in s.bytes().enumerate() {
        let shift = 6 * i;
        if shift >= usize::BITS as usize {
            return None;
        }
        n |= usize::from(b & DIGIT) << shift;
        if b & MORE == 0 {
            return Some((n, i + 1));
        }
    }
    None
}

fn push_rank(out: &mut String, rank: u16) {
    for i in 0..RANK_DIGITS {
        out.push(char::from(((rank >> (6 * i)) as u8) & DIGIT));
    }
}

fn push_line(out: &mut String, text: &str, typed: bool) {
    push_number(out, (text.len() << 1) | usize::from(typed));
    out.push_str(text);
}

impl<'a> Iterator for Lines<'a> {
    type Item = LineRef<'a>;

    fn next(&mut self) -> Option<LineRef<'a>> {
        let (n, used) = read_number(self.rest)?;
        let end = used + (n >> 1);
        let text = self.rest.get(used..end);
        self.rest = self.rest.get(end..).unwrap_or("");
        text.map(|text| LineRef {
            text,
            typed: n & 1 == 1,
        })
    }
}

impl<'a> Lines<'a> {
    /// Whether no line is left.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// How many lines are left (reads them).
    pub fn len(&self) -> usize {
        self.clone().count()
    }
}

impl<'a> LineRef<'a> {
    pub(super) fn new(text: &'a str, typed: bool) -> LineRef<'a> {
        LineRef { text, typed }
    }

    /// An empty verbatim line (what a malformed block reads as).
    const EMPTY: LineRef<'static> = LineRef {
        text: "",
        typed: false,
    };

    /// The line's typed meaning, when the grammar types it (parsed from its text).
    pub fn command(&self) -> Option<Command> {
        if !self.typed {
            return None;
        }
        cli_translator::parse::parse_command(self.text).ok()
    }

    /// Whether the line is typed.
    pub fn is_typed(&self) -> bool {
        self.typed
    }

    /// [`LineRef::command`] when the line is typed and its first word is `word` (in any
    /// case): what scans of every block ask, without parsing the others.
    pub fn typed_as(&self, word: &str) -> Option<Command> {
        if self.is_typed_as(word) {
            self.command()
        } else {
            None
        }
    }

    /// Whether the line is typed and its first word is `word` (in any case).
    pub fn is_typed_as(&self, word: &str) -> bool {
        self.typed
            && self
                .text
                .split([' ', '\t'])
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
    }

    /// The line, owned.
    pub fn to_entry(&self) -> Entry {
        Entry::marked(self.text, self.typed)
    }
}

impl fmt::Debug for LineRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.text, f)
    }
}

impl PartialEq<Entry> for LineRef<'_> {
    fn eq(&self, other: &Entry) -> bool {
        *self == other.line()
    }
}

impl PartialEq<LineRef<'_>> for Entry {
    fn eq(&self, other: &LineRef<'_>) -> bool {
        self.line() == *other
    }
}

impl Block {
    /// A block of a head line and children.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(head: Entry, children: Vec<Entry>) -> BlockBuf {
        BlockBuf::of_lines(head.line(), children.iter().map(Entry::line))
    }

    /// A block of one line.
    pub fn leaf(head: Entry) -> BlockBuf {
        BlockBuf::of_lines(head.line(), std::iter::empty())
    }

    /// The packed form of a block (what an arena holds).
    pub(super) fn of_packed(packed: &str) -> &Block {
        Block::ref_cast(packed)
    }

    /// The packed form.
    pub(super) fn packed(&self) -> &str {
        &self.0
    }

    /// The family rank ([`sections`]), cached.
    pub fn rank(&self) -> u16 {
        self.0
            .bytes()
            .take(RANK_DIGITS)
            .enumerate()
            .fold(0, |r, (i, b)| r | (u16::from(b & DIGIT) << (6 * i)))
    }

    /// Every line, head first.
    pub fn lines(&self) -> Lines<'_> {
        Lines {
            rest: self.0.get(RANK_DIGITS..).unwrap_or(""),
        }
    }

    /// The top-level line.
    pub fn head(&self) -> LineRef<'_> {
        self.lines().next().unwrap_or(LineRef::EMPTY)
    }

    /// The sub-command lines, in order.
    pub fn children(&self) -> Lines<'_> {
        let mut lines = self.lines();
        lines.next();
        lines
    }

    /// The `i`th sub-command line.
    pub fn child(&self, i: usize) -> Option<LineRef<'_>> {
        self.children().nth(i)
    }

    /// The block unpacked, to change it.
    pub fn edit(&self) -> BlockEdit {
        BlockEdit {
            head: self.head().to_entry(),
            children: self.children().map(|c| c.to_entry()).collect(),
        }
    }

    /// `!` separators and blank lines.
    pub fn is_separator(&self) -> bool {
        let t = self.head().text;
        t.is_empty() || t.starts_with('!')
    }

    /// The place of the `ASA Version` line.
    pub fn is_version(&self) -> bool {
        self.head().text.starts_with("ASA Version")
    }

    pub fn key(&self) -> Option<Key> {
        key_of(self.head())
    }

    /// The hash of [`Block::key`] ([`refs::key_hash`]), without a copy of the name.
    pub fn key_hash(&self) -> Option<u64> {
        key_parts(self.head()).map(|(kind, name)| refs::key_hash((kind, &name)))
    }
}

impl ToOwned for Block {
    type Owned = BlockBuf;

    fn to_owned(&self) -> BlockBuf {
        BlockBuf(self.0.to_owned())
    }
}

impl fmt::Debug for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.lines()).finish()
    }
}

impl BlockBuf {
    fn of_lines<'a>(
        head: LineRef<'a>,
        children: impl Iterator<Item = LineRef<'a>> + Clone,
    ) -> BlockBuf {
        let rank = sections::rank_of_block(head.text, children.clone().map(|c| c.text));
        let mut out = String::with_capacity(
            RANK_DIGITS
                + head.text.len()
                + 2
                + children.clone().map(|c| c.text.len() + 2).sum::<usize>(),
        );
        push_rank(&mut out, rank);
        push_line(&mut out, head.text, head.typed);
        for c in children {
            push_line(&mut out, c.text, c.typed);
        }
        out.shrink_to_fit();
        BlockBuf(out)
    }

    /// Appends a sub-command line (the rank follows).
    pub fn push_child(&mut self, child: LineRef<'_>) {
        push_line(&mut self.0, child.text, child.typed);
        self.rerank();
    }

    /// A block being loaded: its head, rank 0 until [`BlockBuf::rerank`] after its last
    /// sub-command (the rank is read from the whole block: reading it from the head alone
    /// first was a second pass over every line at boot), and room for `spare` bytes of
    /// sub-commands (each one appended to an exact fit was a reallocation).
    pub(crate) fn loading(head: LineRef<'_>, spare: usize) -> BlockBuf {
        let mut out = String::with_capacity(RANK_DIGITS + head.text.len() + 2 + spare);
        push_rank(&mut out, 0);
        push_line(&mut out, head.text, head.typed);
        BlockBuf(out)
    }

    /// Appends a sub-command line without updating the rank ([`BlockBuf::rerank`] after the
    /// last one: loading).
    pub(crate) fn push_child_unranked(&mut self, text: &str, typed: bool) {
        push_line(&mut self.0, text, typed);
    }

    /// Takes the last sub-command line off (the rank follows).
    pub fn pop_child(&mut self) -> Option<Entry> {
        // One pass: where the last line starts, and the line.
        let mut lines = self.children();
        let mut last = None;
        let mut start = self.0.len() - lines.rest.len();
        while let Some(line) = lines.next() {
            last = Some((start, line));
            start = self.0.len() - lines.rest.len();
        }
        let (start, line) = last?;
        let line = line.to_entry();
        self.0.truncate(start);
        self.rerank();
        Some(line)
    }

    /// Keeps the first `keep` sub-command lines only (the rank follows).
    pub fn truncate_children(&mut self, keep: usize) {
        let mut lines = self.lines();
        // The head, then `keep` children.
        for _ in 0..=keep {
            if lines.next().is_none() {
                return;
            }
        }
        let end = self.0.len() - lines.rest.len();
        if end < self.0.len() {
            self.0.truncate(end);
            self.rerank();
        }
    }

    /// Computes the family rank again from the lines.
    pub fn rerank(&mut self) {
        let rank = sections::rank_of_block(self.head().text, self.children().map(|c| c.text));
        if rank == self.rank() {
            return;
        }
        let mut digits = String::with_capacity(RANK_DIGITS);
        push_rank(&mut digits, rank);
        self.0
            .replace_range(..RANK_DIGITS.min(self.0.len()), &digits);
    }

    /// Drops the spare room the string grew into.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

impl Deref for BlockBuf {
    type Target = Block;

    fn deref(&self) -> &Block {
        Block::ref_cast(&self.0)
    }
}

impl Borrow<Block> for BlockBuf {
    fn borrow(&self) -> &Block {
        self
    }
}

impl AsRef<Block> for BlockBuf {
    fn as_ref(&self) -> &Block {
        self
    }
}

impl fmt::Debug for BlockBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl BlockEdit {
    /// The edited block, packed.
    pub fn pack(&self) -> BlockBuf {
        BlockBuf::of_lines(self.head.line(), self.children.iter().map(Entry::line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_every_width_read_back() {
        for n in [0, 1, 31, 63, 64, 4095, 4096, 1 << 20, usize::MAX >> 1] {
            let mut s = String::new();
            push_number(&mut s, n);
            assert!(s.is_ascii());
            assert_eq!(read_number(&s), Some((n, s.len())));
        }
        assert_eq!(read_number(""), None);
        assert_eq!(read_number("\u{40}"), None);
    }

    #[test]
    fn a_block_reads_back_its_lines_marks_and_rank() {
        let long = "x".repeat(5000);
        let b = Block::new(
            Entry::verbatim("object network a"),
            vec![
                Entry::verbatim(" nat (in,out) dynamic interface"),
                Entry::verbatim(""),
                Entry::verbatim(&long),
                Entry::verbatim("\u{0}\u{1}\u{7f} é"),
            ],
        );
        assert_eq!(b.head().text, "object network a");
        let texts: Vec<&str> = b.children().map(|c| c.text).collect();
        assert_eq!(
            texts,
            [
                " nat (in,out) dynamic interface",
                "",
                &long,
                "\u{0}\u{1}\u{7f} é"
            ]
        );
        assert_eq!(b.children().len(), 4);
        assert_eq!(b.edit().pack(), b);
        let typed = Block::leaf(Entry::marked("hostname fw", true));
        assert!(typed.head().is_typed());
        assert!(!b.head().is_typed());
        assert_eq!(
            typed.rank(),
            sections::rank_of_block("hostname fw", std::iter::empty())
        );
    }

    #[test]
    fn pushing_and_popping_children_keeps_the_rank() {
        let mut b = Block::leaf(Entry::verbatim("object network a"));
        let plain = b.rank();
        b.push_child(Entry::verbatim("nat (in,out) dynamic interface").line());
        assert_eq!(b.rank(), sections::rank_of_line("nat"));
        assert_ne!(b.rank(), plain);
        let popped = b.pop_child();
        assert_eq!(
            popped,
            Some(Entry::verbatim("nat (in,out) dynamic interface"))
        );
        assert_eq!(b.rank(), plain);
        assert_eq!(b.pop_child(), None);
        assert_eq!(b, Block::leaf(Entry::verbatim("object network a")));
    }
}
