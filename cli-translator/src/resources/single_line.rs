//! The CLI of a resource that is one top-level line (`route ...`, `http <ip> <mask> <nameif>`):
//! created by the line, replaced by removing the old line and adding the new one, deleted by
//! its `no` form.

use std::fmt::Display;

pub fn create(line: &impl Display) -> Vec<String> {
    vec![line.to_string()]
}

/// Nothing when the line is unchanged.
pub fn replace<L: Display + PartialEq>(old: &L, new: &L) -> Vec<String> {
    if old == new {
        return Vec::new();
    }
    vec![format!("no {old}"), new.to_string()]
}

pub fn delete(line: &impl Display) -> Vec<String> {
    vec![format!("no {line}")]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_removes_then_adds_and_skips_an_unchanged_line() {
        assert_eq!(create(&"route a"), ["route a"]);
        assert_eq!(replace(&"route a", &"route b"), ["no route a", "route b"]);
        assert!(replace(&"route a", &"route a").is_empty());
        assert_eq!(delete(&"route a"), ["no route a"]);
    }
}
