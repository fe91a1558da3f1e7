//! `show memory`: free, used and total bytes with their percentages.

/// One `Free memory:  3292538720 bytes (77%)` line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amount {
    pub bytes: u64,
    pub percent: Option<u8>,
}

/// What `show memory` says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Memory {
    pub free: Option<Amount>,
    pub used: Option<Amount>,
    pub total: Option<Amount>,
}

fn amount(rest: &str) -> Option<Amount> {
    let mut words = rest.split_whitespace();
    let bytes = super::number(words.next()?)?;
    if words.next() != Some("bytes") {
        return None;
    }
    let percent = words
        .next()
        .and_then(|w| w.strip_prefix('(')?.strip_suffix("%)")?.parse().ok());
    Some(Amount { bytes, percent })
}

/// Parses `show memory` output (the summary lines; `show memory detail` sections are skipped).
pub fn parse(text: &str) -> Memory {
    let mut m = Memory::default();
    for line in text.lines() {
        let line = line.trim();
        let slot = if let Some(rest) = line.strip_prefix("Free memory:") {
            (&mut m.free, rest)
        } else if let Some(rest) = line.strip_prefix("Used memory:") {
            (&mut m.used, rest)
        } else if let Some(rest) = line.strip_prefix("Total memory:") {
            (&mut m.total, rest)
        } else {
            continue;
        };
        if slot.0.is_none() {
            *slot.0 = amount(slot.1);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_three_summary_lines() {
        let text = "\
Free memory:        1500000000 bytes (70%)
Used memory:         647483648 bytes (30%)
-------------     ------------------
Total memory:       2147483648 bytes (100%)
";
        let m = parse(text);
        assert_eq!(
            m.free,
            Some(Amount {
                bytes: 1_500_000_000,
                percent: Some(70)
            })
        );
        assert_eq!(m.used.map(|a| a.bytes), Some(647_483_648));
        assert_eq!(m.total.and_then(|a| a.percent), Some(100));
    }

    #[test]
    fn a_line_without_bytes_is_not_an_amount() {
        assert_eq!(parse("Free memory: lots\n").free, None);
        assert_eq!(
            parse("Free memory: 12 bytes\n").free.map(|a| a.percent),
            Some(None)
        );
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "(?s).{0,300}") {
            let _ = parse(&text);
        }

        #[test]
        fn printed_figures_parse_back(free in any::<u64>(), pf in 0u8..=100) {
            let m = parse(&format!("Free memory:   {free} bytes ({pf}%)\n"));
            prop_assert_eq!(m.free, Some(Amount { bytes: free, percent: Some(pf) }));
        }
    }
}
