//! Lines from a console connection: CR, LF or CRLF end a line, telnet IAC sequences are
//! dropped, lines longer than [`MAX_LINE`] bytes are refused (and the rest of them discarded).

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt as _};
use tokio::time::Instant;

/// Longest accepted console line, in bytes.
pub const MAX_LINE: usize = 4096;

const IAC: u8 = 255;
const SB: u8 = 250;
const SE: u8 = 240;

/// One input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Line(String),
    /// A line longer than [`MAX_LINE`] bytes.
    TooLong,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Data,
    /// After IAC.
    Command,
    /// After IAC WILL/WONT/DO/DONT: one option byte follows.
    Option,
    /// Inside IAC SB ... IAC SE.
    Sub,
    /// IAC inside a sub-negotiation.
    SubCommand,
}

/// Splits a byte stream into lines (sans-IO; see [`LineReader`] for the async wrapper).
#[derive(Debug)]
pub struct LineSplitter {
    state: State,
    line: Vec<u8>,
    overflow: bool,
    last_was_cr: bool,
}

impl Default for LineSplitter {
    fn default() -> Self {
        LineSplitter::new()
    }
}

impl LineSplitter {
    pub fn new() -> LineSplitter {
        LineSplitter {
            state: State::Data,
            line: Vec::new(),
            overflow: false,
            last_was_cr: false,
        }
    }

    /// Feeds one byte; returns a completed line, if any.
    pub fn push(&mut self, b: u8) -> Option<Input> {
        match self.state {
            State::Data => {}
            State::Command => {
                self.state = match b {
                    IAC => {
                        // Escaped 0xFF data byte.
                        self.data(IAC);
                        State::Data
                    }
                    251..=254 => State::Option,
                    SB => State::Sub,
                    _ => State::Data,
                };
                return None;
            }
            State::Option => {
                self.state = State::Data;
                return None;
            }
            State::Sub => {
                if b == IAC {
                    self.state = State::SubCommand;
                }
                return None;
            }
            State::SubCommand => {
                self.state = if b == SE { State::Data } else { State::Sub };
                return None;
            }
        }
        match b {
            IAC => {
                self.state = State::Command;
                None
            }
            b'\n' if self.last_was_cr => {
                self.last_was_cr = false;
                None
            }
            b'\r' | b'\n' => {
                self.last_was_cr = b == b'\r';
                Some(self.finish())
            }
            // NUL follows CR in telnet NVT; ignore it like the CR-LF pair.
            0 => None,
            _ => {
                self.last_was_cr = false;
                self.data(b);
                None
            }
        }
    }

    fn data(&mut self, b: u8) {
        if self.line.len() >= MAX_LINE {
            self.overflow = true;
            return;
        }
        self.line.push(b);
    }

    fn finish(&mut self) -> Input {
        let line = std::mem::take(&mut self.line);
        if std::mem::take(&mut self.overflow) {
            return Input::TooLong;
        }
        Input::Line(String::from_utf8_lossy(&line).into_owned())
    }
}

/// Reads lines from an async stream.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    splitter: LineSplitter,
    buf: Vec<u8>,
    pos: usize,
    idle: Option<Duration>,
    deadline: Option<Instant>,
}

impl<R: AsyncRead + Unpin> LineReader<R> {
    pub fn new(inner: R) -> LineReader<R> {
        LineReader {
            inner,
            splitter: LineSplitter::new(),
            buf: Vec::new(),
            pos: 0,
            idle: None,
            deadline: None,
        }
    }

    /// A line must arrive within `idle` of asking for it, else [`LineReader::next`] fails
    /// with `TimedOut`.
    pub fn set_idle_timeout(&mut self, idle: Option<Duration>) {
        self.idle = idle;
    }

    /// Every line must arrive before `deadline` (the login time limit), else `TimedOut`.
    pub fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
    }

    /// The next line, or `None` at end of stream.
    pub async fn next(&mut self) -> std::io::Result<Option<Input>> {
        loop {
            while let Some(b) = self.buf.get(self.pos).copied() {
                self.pos += 1;
                if let Some(input) = self.splitter.push(b) {
                    return Ok(Some(input));
                }
            }
            self.buf.clear();
            self.pos = 0;
            let mut chunk = [0u8; 1024];
            let limit = match (self.idle.map(|i| Instant::now() + i), self.deadline) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let n = match limit {
                Some(limit) => tokio::time::timeout_at(limit, self.inner.read(&mut chunk))
                    .await
                    .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??,
                None => self.inner.read(&mut chunk).await?,
            };
            if n == 0 {
                return Ok(None);
            }
            self.buf.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(bytes: &[u8]) -> Vec<Input> {
        let mut s = LineSplitter::new();
        bytes.iter().filter_map(|b| s.push(*b)).collect()
    }

    fn line(s: &str) -> Input {
        Input::Line(s.to_owned())
    }

    #[test]
    fn cr_lf_and_crlf_end_lines() {
        assert_eq!(
            split(b"a\r\nb\nc\rd\r\0e\n"),
            vec![line("a"), line("b"), line("c"), line("d"), line("e")]
        );
        assert_eq!(split(b"\r\n\r\n"), vec![line(""), line("")]);
    }

    #[test]
    fn telnet_negotiation_is_dropped() {
        let mut bytes = vec![IAC, 251, 1, b'h', IAC, SB, 24, 0, b'x', IAC, SE, b'i'];
        bytes.extend_from_slice(&[IAC, IAC, b'\n']);
        assert_eq!(split(&bytes), vec![Input::Line("hi\u{fffd}".into())]);
    }

    #[test]
    fn long_lines_are_refused_and_the_next_line_is_fine() {
        let mut bytes = vec![b'x'; MAX_LINE + 10];
        bytes.extend_from_slice(b"\nok\n");
        assert_eq!(split(&bytes), vec![Input::TooLong, line("ok")]);
        let mut exact = vec![b'y'; MAX_LINE];
        exact.push(b'\n');
        assert_eq!(split(&exact), vec![line(&"y".repeat(MAX_LINE))]);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic_or_exceed_the_cap(bytes in prop::collection::vec(any::<u8>(), 0..10_000)) {
            for input in split(&bytes) {
                if let Input::Line(l) = input {
                    prop_assert!(l.len() <= MAX_LINE * 3);
                }
            }
        }
    }
}
