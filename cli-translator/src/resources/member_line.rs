//! Reading the sub-command lines of object groups and service objects: words with their
//! offsets, and the error a line fails with (where the ASA puts its `^` marker).

use std::fmt;

/// Why a member line cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// A bad token at this byte offset of the line.
    Invalid { offset: usize },
    /// The line stops early.
    Incomplete,
    /// `<ip> <mask>` with host bits set.
    MaskMismatch { address: String, mask: String },
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::Invalid { offset } => write!(f, "invalid input at byte {offset}"),
            LineError::Incomplete => f.write_str("incomplete command"),
            LineError::MaskMismatch { address, mask } => {
                write!(f, "IP address,mask <{address},{mask}> doesn't pair")
            }
        }
    }
}

impl std::error::Error for LineError {}

/// The words of a line, each with its byte offset.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    words: Vec<(usize, &'a str)>,
    next: usize,
    len: usize,
}

impl<'a> Words<'a> {
    pub fn new(line: &'a str) -> Words<'a> {
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in line.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    words.push((s, &line[s..i]));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push((s, &line[s..]));
        }
        Words {
            words,
            next: 0,
            len: line.len(),
        }
    }

    /// The next word, or `Incomplete` at the end of the line.
    pub fn next_word(&mut self) -> Result<(usize, &'a str), LineError> {
        let w = self
            .words
            .get(self.next)
            .copied()
            .ok_or(LineError::Incomplete)?;
        self.next += 1;
        Ok(w)
    }

    /// The next word without taking it.
    pub fn peek(&self) -> Option<&'a str> {
        self.words.get(self.next).map(|(_, w)| *w)
    }

    /// Takes the next word when it is `keyword` (any case).
    pub fn eat(&mut self, keyword: &str) -> bool {
        if self.peek().is_some_and(|w| w.eq_ignore_ascii_case(keyword)) {
            self.next += 1;
            return true;
        }
        false
    }

    /// Offset of the next word (the line's length at the end).
    pub fn offset(&self) -> usize {
        self.words.get(self.next).map_or(self.len, |(o, _)| *o)
    }

    /// Fails at the first word left over.
    pub fn end(&self) -> Result<(), LineError> {
        match self.words.get(self.next) {
            Some((offset, _)) => Err(LineError::Invalid { offset: *offset }),
            None => Ok(()),
        }
    }

    /// The next word parsed by `f`, or `Invalid` at it.
    pub fn parse<T>(&mut self, f: impl FnOnce(&'a str) -> Option<T>) -> Result<T, LineError> {
        let (offset, w) = self.next_word()?;
        f(w).ok_or(LineError::Invalid { offset })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_carry_offsets_and_errors_point_at_them() {
        let mut w = Words::new("network-object  host 10.0.0.1");
        assert!(w.eat("NETWORK-OBJECT"));
        assert_eq!(w.offset(), 16);
        assert_eq!(w.next_word(), Ok((16, "host")));
        assert_eq!(
            w.parse(|s| s.parse::<u8>().ok()),
            Err(LineError::Invalid { offset: 21 })
        );
        assert_eq!(w.next_word(), Err(LineError::Incomplete));
        assert_eq!(w.end(), Ok(()));
        let w = Words::new("a b");
        assert_eq!(w.end(), Err(LineError::Invalid { offset: 0 }));
    }
}
