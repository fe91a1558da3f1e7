//! Parsers for LINA's `show` output (one file per command), read by the agent's monitoring
//! API. Pure and total: any text parses, lines a parser does not know are skipped, and a
//! field the output does not carry stays `None`.

pub mod arp;
pub mod conn;
pub mod cpu;
pub mod interface;
pub mod memory;
pub mod version;

/// The text between the first `open` and the next `close` after it.
pub(crate) fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let (_, rest) = text.split_once(open)?;
    let (inside, _) = rest.split_once(close)?;
    Some(inside)
}

/// The number a word starts with, ignoring thousands separators (`1,234`).
pub(crate) fn number(word: &str) -> Option<u64> {
    let digits: String = word.chars().filter(|c| *c != ',').collect();
    digits.parse().ok()
}

/// The decimal number in a word such as `12.5%` or `12.5`.
pub(crate) fn decimal(word: &str) -> Option<f64> {
    let w = word.trim().trim_end_matches([';', '%']);
    if w.is_empty() || !w.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    w.parse().ok()
}

/// The number written just before `label` in `line` (`12 packets input` -> 12 for
/// `packets input`).
pub(crate) fn count_before(line: &str, label: &str) -> Option<u64> {
    let at = line.find(label)?;
    let before = line.get(..at)?.trim_end();
    let word = before.rsplit([' ', ',', '\t']).next()?;
    number(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_before_reads_the_preceding_number() {
        let line = "  119798 packets input, 72808618 bytes, 0 no buffer";
        assert_eq!(count_before(line, "packets input"), Some(119_798));
        assert_eq!(count_before(line, "bytes"), Some(72_808_618));
        assert_eq!(count_before(line, "no buffer"), Some(0));
        assert_eq!(count_before(line, "giants"), None);
        assert_eq!(count_before("packets input", "packets input"), None);
    }

    #[test]
    fn decimal_accepts_percentages_only_of_digits() {
        assert_eq!(decimal("34.2%;"), Some(34.2));
        assert_eq!(decimal("7"), Some(7.0));
        assert_eq!(decimal("-1"), None);
        assert_eq!(decimal("x1"), None);
        assert_eq!(decimal(""), None);
    }

    #[test]
    fn between_finds_the_enclosed_text() {
        assert_eq!(
            between("Full-Duplex(Full-duplex)", "(", ")"),
            Some("Full-duplex")
        );
        assert_eq!(between("no parens", "(", ")"), None);
    }
}
