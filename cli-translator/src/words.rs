//! The one word cursor of the hand-written grammars (ACL entries, NAT rules, static
//! routes, object-group and service member lines, IPv6 ND prefixes, failover and
//! license-server lines): the words of a line, each with its index and byte offset, and the
//! one error every such grammar fails with ([`WordError`]). The error names the offending
//! word both by index (lina-sim counts words of the line it was typed as, to put the ASA's
//! `^` under it) and by byte offset in the text read.
//!
//! Words are split on Unicode whitespace, as `str::split_whitespace` splits them, so word
//! indices agree with the ones lina-sim's `word_offset` counts.

use std::fmt;

/// Why the words of a line do not read: the one error of the hand-written grammars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordError {
    /// Not a line of this grammar at all (its first words are another command's).
    Foreign,
    /// A valid ASA form this grammar does not model (`access-list ... webtype`).
    NotModelled,
    /// `<ip> <mask>` with host bits set: the ASA's own refusal, not a bad word.
    MaskMismatch { address: String, mask: String },
    /// The line stops where more is required.
    Incomplete,
    /// This word is not valid there.
    Invalid {
        /// Its 0-based index among the words of the text read.
        word: usize,
        /// Its byte offset in the text read.
        offset: usize,
    },
}

impl fmt::Display for WordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WordError::Foreign => f.write_str("not a line of this command"),
            WordError::NotModelled => f.write_str("a form of the command that is not modelled"),
            WordError::MaskMismatch { address, mask } => {
                write!(f, "IP address,mask <{address},{mask}> doesn't pair")
            }
            WordError::Incomplete => f.write_str("incomplete command"),
            WordError::Invalid { word, offset } => {
                write!(f, "invalid word {} (at byte {offset})", word + 1)
            }
        }
    }
}

impl std::error::Error for WordError {}

impl WordError {
    /// The 0-based index of the offending word, or `None` when the error is not at a word.
    pub fn word(&self) -> Option<usize> {
        match self {
            WordError::Invalid { word, .. } => Some(*word),
            _ => None,
        }
    }

    /// The byte offset of the offending word in the text read, or `None` when the error is
    /// not at a word.
    pub fn offset(&self) -> Option<usize> {
        match self {
            WordError::Invalid { offset, .. } => Some(*offset),
            _ => None,
        }
    }

    /// The same error with its word index moved by `by` words (a grammar reading the words
    /// after a prefix reports indices of the whole line).
    pub fn shifted(self, by: isize) -> WordError {
        match self {
            WordError::Invalid { word, offset } => WordError::Invalid {
                word: word.saturating_add_signed(by),
                offset,
            },
            e => e,
        }
    }
}

/// Whether an ASCII byte is whitespace as [`char::is_whitespace`] says (which, unlike
/// [`u8::is_ascii_whitespace`], counts the vertical tab).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The words of a line exactly as [`str::split_whitespace`] gives them, read byte by byte while
/// they are ASCII (issue 13: boot: the first words of every line a boot loads and counts were a
/// tenth of LINA's load, most of it in decoding characters to test them as whitespace).
pub fn split_words(line: &str) -> SplitWords<'_> {
    SplitWords { rest: line }
}

/// The iterator of [`split_words`].
#[derive(Debug, Clone)]
pub struct SplitWords<'a> {
    rest: &'a str,
}

impl<'a> SplitWords<'a> {
    /// The next word by characters (from a non-ASCII byte on).
    fn next_by_chars(&mut self) -> Option<&'a str> {
        let rest = self.rest.trim_start_matches(char::is_whitespace);
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        self.rest = after;
        (!word.is_empty()).then_some(word)
    }
}

impl<'a> Iterator for SplitWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.rest.as_bytes();
        let mut at = 0;
        let mut start = None;
        while let Some(&b) = bytes.get(at) {
            if !b.is_ascii() {
                return self.next_by_chars();
            }
            match (is_ascii_space(b), start) {
                (true, Some(_)) => break,
                (false, None) => start = Some(at),
                _ => {}
            }
            at += 1;
        }
        let word = start.and_then(|s| self.rest.get(s..at));
        self.rest = self.rest.get(at..).unwrap_or("");
        word
    }
}

/// `a` against `b` lowercased, byte by byte, without a copy (`a` being lowercase, as the
/// keyword tables are, this is how `b` sorts among them in any case).
pub fn cmp_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes().cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// The words of a line, each with its byte offset, and a position among them.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    words: Vec<(usize, &'a str)>,
    text: &'a str,
    next: usize,
}

impl<'a> Words<'a> {
    pub fn new(text: &'a str) -> Words<'a> {
        // Room for most lines' words (a growing vector reallocated three times a line).
        let mut words = Vec::with_capacity(16);
        if text.is_ascii() {
            // Byte by byte (issue 13: boot; decoding every character was a tenth of the
            // agent's read of a large configuration). ASCII whitespace as `char` has it.
            let mut start = None;
            for (i, b) in text.bytes().enumerate() {
                match (is_ascii_space(b), start) {
                    (true, Some(s)) => {
                        words.extend(text.get(s..i).map(|w| (s, w)));
                        start = None;
                    }
                    (false, None) => start = Some(i),
                    _ => {}
                }
            }
            if let Some(s) = start {
                words.extend(text.get(s..).map(|w| (s, w)));
            }
            return Words {
                words,
                text,
                next: 0,
            };
        }
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    words.push((s, &text[s..i]));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push((s, &text[s..]));
        }
        Words {
            words,
            text,
            next: 0,
        }
    }

    /// The error for the word at this index (the end of the text past the last word).
    pub fn invalid_at(&self, word: usize) -> WordError {
        let offset = self.words.get(word).map_or(self.text.len(), |(o, _)| *o);
        WordError::Invalid { word, offset }
    }

    /// The next word with its offset, or `Incomplete` at the end of the line.
    pub fn next_word(&mut self) -> Result<(usize, &'a str), WordError> {
        let w = self
            .words
            .get(self.next)
            .copied()
            .ok_or(WordError::Incomplete)?;
        self.next += 1;
        Ok(w)
    }

    /// The next word, or `Incomplete` at the end of the line.
    pub fn word(&mut self) -> Result<&'a str, WordError> {
        self.next_word().map(|(_, w)| w)
    }

    /// The next word without taking it.
    pub fn peek(&self) -> Option<&'a str> {
        self.words.get(self.next).map(|(_, w)| *w)
    }

    /// Takes the next word, whatever it is (nothing at the end).
    pub fn skip(&mut self) {
        if self.next < self.words.len() {
            self.next += 1;
        }
    }

    /// Takes the next word when it is `keyword` (any case).
    pub fn eat(&mut self, keyword: &str) -> bool {
        if self.peek().is_some_and(|w| w.eq_ignore_ascii_case(keyword)) {
            self.next += 1;
            return true;
        }
        false
    }

    /// Takes the next word when it is exactly `keyword` (same case).
    pub fn eat_exact(&mut self, keyword: &str) -> bool {
        if self.peek() == Some(keyword) {
            self.next += 1;
            return true;
        }
        false
    }

    /// Index of the next word (the number of words taken).
    pub fn index(&self) -> usize {
        self.next
    }

    /// Offset of the next word (the text's length at the end).
    pub fn offset(&self) -> usize {
        self.words
            .get(self.next)
            .map_or(self.text.len(), |(o, _)| *o)
    }

    /// The error for the word last taken (the first word when none was).
    pub fn bad(&self) -> WordError {
        self.invalid_at(self.next.saturating_sub(1))
    }

    /// The error for the next word (the end of the text when there is none).
    pub fn bad_next(&self) -> WordError {
        self.invalid_at(self.next)
    }

    /// Fails at the first word left over.
    pub fn end(&self) -> Result<(), WordError> {
        if self.next < self.words.len() {
            Err(self.bad_next())
        } else {
            Ok(())
        }
    }

    /// The next word parsed by `f`, or `Invalid` at it.
    pub fn parse<T>(&mut self, f: impl FnOnce(&'a str) -> Option<T>) -> Result<T, WordError> {
        let w = self.word()?;
        f(w).ok_or_else(|| self.bad())
    }

    /// The rest of the text from the next word, trimmed at the end; takes every word.
    pub fn rest(&mut self) -> &'a str {
        let from = self.offset();
        self.next = self.words.len();
        self.text.get(from..).unwrap_or_default().trim_end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_carry_offsets_and_errors_point_at_them() {
        let mut w = Words::new("network-object  host 10.0.0.1");
        assert!(w.eat("NETWORK-OBJECT"));
        assert!(!w.eat_exact("HOST"));
        assert_eq!(w.offset(), 16);
        assert_eq!(w.index(), 1);
        assert_eq!(w.next_word(), Ok((16, "host")));
        assert_eq!(
            w.parse(|s| s.parse::<u8>().ok()),
            Err(WordError::Invalid {
                word: 2,
                offset: 21
            })
        );
        assert_eq!(w.next_word(), Err(WordError::Incomplete));
        assert_eq!(w.end(), Ok(()));
        let w = Words::new("a b");
        assert_eq!(w.end(), Err(WordError::Invalid { word: 0, offset: 0 }));
        assert_eq!(w.bad(), WordError::Invalid { word: 0, offset: 0 });
    }

    #[test]
    fn rest_takes_the_remaining_text_and_skip_stops_at_the_end() {
        let mut w = Words::new("nat description  two  words  ");
        w.skip();
        w.skip();
        assert_eq!(w.peek(), Some("two"));
        assert_eq!(w.rest(), "two  words");
        assert_eq!(w.peek(), None);
        assert_eq!(
            w.bad_next(),
            WordError::Invalid {
                word: 4,
                offset: 29
            }
        );
        assert_eq!(
            w.bad(),
            WordError::Invalid {
                word: 3,
                offset: 22
            }
        );
        assert_eq!(w.index(), 4);
        w.skip();
        assert_eq!(w.index(), 4);
    }

    proptest::proptest! {
        /// The byte-wise path for ASCII lines splits as `split_whitespace`, at the offsets of
        /// the words in the text (vertical tab and form feed included).
        #[test]
        fn ascii_lines_split_as_split_whitespace(text in "[a-z0-9 \t\n\r\x0b\x0c-]{0,40}") {
            let words = Words::new(&text).words;
            let split: Vec<&str> = text.split_whitespace().collect();
            proptest::prop_assert_eq!(words.iter().map(|(_, w)| *w).collect::<Vec<_>>(), split);
            for (offset, word) in words {
                proptest::prop_assert_eq!(text.get(offset..offset + word.len()), Some(word));
            }
        }
    }

    proptest::proptest! {
        /// `split_words` is `split_whitespace`, ASCII or not (Unicode spaces, vertical tab).
        #[test]
        fn split_words_is_split_whitespace(text in "([a-z0-9 \\t\\n\\x0b\\x0c-]|\\u{a0}|\\u{2003}|\\u{3000}|é|\\PC){0,30}") {
            proptest::prop_assert_eq!(
                split_words(&text).collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn a_line_with_unicode_spaces_splits_on_them_too() {
        let words = Words::new("host\u{a0}10.0.0.1 \u{2003}x").words;
        assert_eq!(words, [(0, "host"), (6, "10.0.0.1"), (18, "x")]);
    }

    #[test]
    fn lowercase_comparison_sorts_any_case_among_lowercase_words() {
        use std::cmp::Ordering;
        assert_eq!(cmp_lowercase("access-list", "Access-LIST"), Ordering::Equal);
        assert_eq!(
            cmp_lowercase("access-list", "ACCESS-GROUP"),
            Ordering::Greater
        );
        assert_eq!(cmp_lowercase("access", "ACCESS-LIST"), Ordering::Less);
    }
}
