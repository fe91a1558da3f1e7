//! `show conn count` (and the first line of `show conn`): `12 in use, 45 most used`.

/// Connection counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConnCount {
    pub in_use: u64,
    pub most_used: u64,
}

/// Parses the first `N in use, M most used` line; `None` when there is none.
pub fn parse(text: &str) -> Option<ConnCount> {
    text.lines().find_map(|line| {
        let (in_use, most) = line.trim().split_once(" in use, ")?;
        let most = most.trim().strip_suffix(" most used")?;
        Some(ConnCount {
            in_use: super::number(in_use.trim())?,
            most_used: super::number(most.trim())?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_counts() {
        assert_eq!(
            parse("fw# show conn count\n12 in use, 45 most used\n"),
            Some(ConnCount {
                in_use: 12,
                most_used: 45
            })
        );
        assert_eq!(parse("in use, most used\n"), None);
        assert_eq!(parse(""), None);
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "(?s).{0,200}") {
            let _ = parse(&text);
        }

        #[test]
        fn printed_counts_parse_back(a in any::<u64>(), b in any::<u64>()) {
            prop_assert_eq!(parse(&format!("{a} in use, {b} most used\n")), Some(ConnCount { in_use: a, most_used: b }));
        }
    }
}
