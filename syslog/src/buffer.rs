//! The logging buffer behind `logging buffered` and `show logging`: a ring of lines bounded by bytes and by count.

use std::collections::VecDeque;

/// The ASA's default `logging buffer-size`, in bytes.
pub const DEFAULT_CAPACITY: usize = 4096;

/// The default bound on the number of lines, whatever their size.
pub const DEFAULT_MAX_LINES: usize = 16_384;

/// Oldest lines are evicted first when a new line would exceed either bound.
///
/// A line costs its length plus one byte for the newline `show logging` prints after it, so the
/// sum of `line.len() + 1` over stored lines never exceeds the byte capacity. A line that alone
/// exceeds the capacity is cut (at a character boundary) to fit an empty buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogBuffer {
    lines: VecDeque<String>,
    bytes: usize,
    capacity_bytes: usize,
    max_lines: usize,
    logged_total: u64,
}

impl Default for LogBuffer {
    fn default() -> Self {
        LogBuffer::new(DEFAULT_CAPACITY)
    }
}

impl LogBuffer {
    /// An empty buffer of `capacity_bytes` bytes and [`DEFAULT_MAX_LINES`] lines.
    pub fn new(capacity_bytes: usize) -> Self {
        LogBuffer::with_limits(capacity_bytes, DEFAULT_MAX_LINES)
    }

    /// An empty buffer bounded by `capacity_bytes` bytes and `max_lines` lines.
    pub fn with_limits(capacity_bytes: usize, max_lines: usize) -> Self {
        LogBuffer {
            lines: VecDeque::new(),
            bytes: 0,
            capacity_bytes,
            max_lines,
            logged_total: 0,
        }
    }

    /// Stores `line`, evicting the oldest lines as needed. Always counts towards [`Self::logged_total`],
    /// even with a capacity too small to keep anything.
    pub fn push(&mut self, mut line: String) {
        self.logged_total = self.logged_total.saturating_add(1);
        if self.capacity_bytes == 0 || self.max_lines == 0 {
            return;
        }
        let room = self.capacity_bytes - 1; // the newline's byte
        if line.len() > room {
            line.truncate(floor_char_boundary(&line, room));
        }
        let cost = line.len() + 1;
        self.bytes += cost;
        self.lines.push_back(line);
        self.shrink_to_limits();
    }

    /// Stored lines, oldest first.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().map(String::as_str)
    }

    /// Number of stored lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Bytes used by stored lines, one newline each included.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn capacity(&self) -> usize {
        self.capacity_bytes
    }

    pub fn max_lines(&self) -> usize {
        self.max_lines
    }

    /// Empties the buffer (`clear logging buffer`); the logged total is kept.
    pub fn clear(&mut self) {
        self.lines.clear();
        self.bytes = 0;
    }

    /// Changes the byte capacity (`logging buffer-size`), evicting the oldest lines if it shrank.
    pub fn set_capacity(&mut self, bytes: usize) {
        self.capacity_bytes = bytes;
        self.shrink_to_limits();
    }

    /// Changes the line bound, evicting the oldest lines if it shrank.
    pub fn set_max_lines(&mut self, lines: usize) {
        self.max_lines = lines;
        self.shrink_to_limits();
    }

    /// Messages ever pushed, including evicted ones and those pushed before a `clear`.
    pub fn logged_total(&self) -> u64 {
        self.logged_total
    }

    fn shrink_to_limits(&mut self) {
        while self.bytes > self.capacity_bytes || self.lines.len() > self.max_lines {
            match self.lines.pop_front() {
                Some(old) => self.bytes -= old.len() + 1,
                None => {
                    self.bytes = 0;
                    break;
                }
            }
        }
    }
}

/// The largest index `<= at` that is a char boundary of `s`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn contents(buf: &LogBuffer) -> Vec<&str> {
        buf.lines().collect()
    }

    #[test]
    fn keeps_lines_oldest_first() {
        let mut buf = LogBuffer::default();
        buf.push("one".into());
        buf.push("two".into());
        assert_eq!(contents(&buf), ["one", "two"]);
        assert_eq!(buf.len(), 2);
        assert_eq!(buf.bytes(), 8);
        assert_eq!(buf.capacity(), 4096);
    }

    #[test]
    fn evicts_oldest_lines_when_bytes_run_out() {
        // Each 9-byte line costs 10 bytes; 25 bytes hold two of them.
        let mut buf = LogBuffer::new(25);
        buf.push("line-0001".into());
        buf.push("line-0002".into());
        assert_eq!(buf.len(), 2);
        buf.push("line-0003".into());
        assert_eq!(contents(&buf), ["line-0002", "line-0003"]);
        assert_eq!(buf.bytes(), 20);
        assert_eq!(buf.logged_total(), 3);
    }

    #[test]
    fn exact_fit_is_kept() {
        let mut buf = LogBuffer::new(10);
        buf.push("123456789".into());
        assert_eq!(contents(&buf), ["123456789"]);
        assert_eq!(buf.bytes(), 10);
    }

    #[test]
    fn evicts_oldest_lines_when_line_count_runs_out() {
        let mut buf = LogBuffer::with_limits(4096, 2);
        for line in ["a", "b", "c"] {
            buf.push(line.into());
        }
        assert_eq!(contents(&buf), ["b", "c"]);
        buf.set_max_lines(1);
        assert_eq!(contents(&buf), ["c"]);
    }

    #[test]
    fn oversized_line_is_cut_at_a_char_boundary() {
        let mut buf = LogBuffer::new(6);
        buf.push("abcdefgh".into());
        assert_eq!(contents(&buf), ["abcde"]);
        // "é" is two bytes; 5 bytes of room would split the third one.
        buf.push("éééé".into());
        assert_eq!(contents(&buf), ["éé"]);
        assert!(buf.bytes() <= 6);
    }

    #[test]
    fn shrinking_capacity_evicts_and_clear_keeps_the_total() {
        let mut buf = LogBuffer::new(100);
        for i in 0..5 {
            buf.push(format!("message {i}"));
        }
        buf.set_capacity(20);
        assert_eq!(contents(&buf), ["message 3", "message 4"]);
        buf.clear();
        assert!(buf.is_empty());
        assert_eq!(buf.bytes(), 0);
        assert_eq!(buf.logged_total(), 5);
    }

    #[test]
    fn zero_capacity_stores_nothing_but_counts() {
        let mut buf = LogBuffer::new(0);
        buf.push("x".into());
        assert!(buf.is_empty());
        assert_eq!(buf.logged_total(), 1);
    }

    proptest! {
        #[test]
        fn buffer_never_exceeds_capacity(
            capacity in 0usize..300,
            max_lines in 0usize..20,
            ops in proptest::collection::vec(
                prop_oneof![
                    any::<String>().prop_map(Some),
                    (0usize..300).prop_map(|_| None),
                ],
                0..60,
            ),
            new_capacity in 0usize..300,
        ) {
            let mut buf = LogBuffer::with_limits(capacity, max_lines);
            let mut pushed = 0u64;
            for op in ops {
                match op {
                    Some(line) => { buf.push(line); pushed += 1; }
                    None => buf.set_capacity(new_capacity),
                }
                let used: usize = buf.lines().map(|l| l.len() + 1).sum();
                prop_assert_eq!(used, buf.bytes());
                prop_assert!(buf.bytes() <= buf.capacity());
                prop_assert!(buf.len() <= max_lines);
            }
            prop_assert_eq!(buf.logged_total(), pushed);
        }

        #[test]
        fn newest_line_is_kept_when_it_fits(lines in proptest::collection::vec("[a-z]{0,30}", 1..40)) {
            let mut buf = LogBuffer::new(64);
            for line in &lines {
                buf.push(line.clone());
            }
            prop_assert_eq!(buf.lines().last(), lines.last().map(String::as_str));
        }
    }
}
