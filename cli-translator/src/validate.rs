//! Checks applied to user-supplied strings before they can reach a CLI line.
//!
//! Everything the agent writes into a command goes through here first, so no client value can
//! end a line early, start another command, or be read back differently from how it was sent.

use std::fmt;

/// Why a value cannot be written into the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    Empty,
    TooLong { max: usize },
    ControlCharacter,
    Whitespace,
    BadCharacter(char),
    Reserved,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::Empty => f.write_str("must not be empty"),
            ValueError::TooLong { max } => write!(f, "must be at most {max} characters long"),
            ValueError::ControlCharacter => {
                f.write_str("must not contain control characters (new line, tab, ...)")
            }
            ValueError::Whitespace => f.write_str("must not contain white space here"),
            ValueError::BadCharacter(c) => write!(f, "must not contain the character {c:?}"),
            ValueError::Reserved => f.write_str("is a reserved word"),
        }
    }
}

impl std::error::Error for ValueError {}

/// Longest object name the ASA accepts.
pub const MAX_OBJECT_NAME: usize = 64;

/// Longest `description` the ASA accepts.
pub const MAX_DESCRIPTION: usize = 200;

/// Words that name something else where an object name is expected, sorted.
static RESERVED: &[&str] = &[
    "any",
    "any4",
    "any6",
    "host",
    "interface",
    "object",
    "object-group",
    "range",
    "subnet",
];

/// ASA object names: 1 to 64 characters, letters, digits and `. _ - + : / @`, not a reserved word.
pub fn check_object_name(s: &str) -> Result<(), ValueError> {
    if s.is_empty() {
        return Err(ValueError::Empty);
    }
    for c in s.chars() {
        if c.is_control() {
            return Err(ValueError::ControlCharacter);
        }
        if c.is_whitespace() {
            return Err(ValueError::Whitespace);
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | ':' | '/' | '@')) {
            return Err(ValueError::BadCharacter(c));
        }
    }
    if s.len() > MAX_OBJECT_NAME {
        return Err(ValueError::TooLong {
            max: MAX_OBJECT_NAME,
        });
    }
    // Every object name a boot reads passes here: compared in place, no lowercase copy.
    if RESERVED
        .binary_search_by(|r| crate::words::cmp_lowercase(r, s))
        .is_ok()
    {
        return Err(ValueError::Reserved);
    }
    Ok(())
}

/// Free text such as a description: no control characters, at most `max_len` characters,
/// no leading or trailing space (the ASA trims them, which would break round trips).
pub fn check_line_text(s: &str, max_len: usize) -> Result<(), ValueError> {
    if s.is_empty() {
        return Err(ValueError::Empty);
    }
    if s.chars().any(char::is_control) {
        return Err(ValueError::ControlCharacter);
    }
    if s.chars().count() > max_len {
        return Err(ValueError::TooLong { max: max_len });
    }
    if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
        return Err(ValueError::Whitespace);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_real_object_names() {
        for name in [
            "web",
            "range-10.0.0.10-20",
            "source-real-subnet",
            "OXIDIZED",
            "obj_10.1.1.0/24",
            "user@site",
            "a+b:c",
        ] {
            assert_eq!(check_object_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn rejects_bad_object_names() {
        assert_eq!(check_object_name(""), Err(ValueError::Empty));
        assert_eq!(check_object_name("a b"), Err(ValueError::Whitespace));
        assert_eq!(check_object_name("a\nb"), Err(ValueError::ControlCharacter));
        assert_eq!(check_object_name("a?b"), Err(ValueError::BadCharacter('?')));
        assert_eq!(check_object_name("Any4"), Err(ValueError::Reserved));
        assert_eq!(
            check_object_name(&"x".repeat(65)),
            Err(ValueError::TooLong { max: 64 })
        );
        assert_eq!(check_object_name(&"x".repeat(64)), Ok(()));
    }

    #[test]
    fn rejects_text_that_would_break_a_line() {
        assert_eq!(check_line_text("ok text", 200), Ok(()));
        assert_eq!(
            check_line_text("a\nno object network x", 200),
            Err(ValueError::ControlCharacter)
        );
        assert_eq!(
            check_line_text("tab\there", 200),
            Err(ValueError::ControlCharacter)
        );
        assert_eq!(
            check_line_text("nul\0", 200),
            Err(ValueError::ControlCharacter)
        );
        assert_eq!(
            check_line_text("\u{85}next", 200),
            Err(ValueError::ControlCharacter)
        );
        assert_eq!(check_line_text(" lead", 200), Err(ValueError::Whitespace));
        assert_eq!(check_line_text("trail ", 200), Err(ValueError::Whitespace));
        assert_eq!(check_line_text("", 200), Err(ValueError::Empty));
        assert_eq!(
            check_line_text("abc", 2),
            Err(ValueError::TooLong { max: 2 })
        );
        assert_eq!(check_line_text("ééé", 3), Ok(()));
    }

    #[test]
    fn messages_read_as_sentences_after_the_attribute() {
        assert_eq!(
            ValueError::TooLong { max: 200 }.to_string(),
            "must be at most 200 characters long"
        );
        assert_eq!(ValueError::Reserved.to_string(), "is a reserved word");
    }

    #[test]
    fn reserved_table_is_sorted() {
        assert!(RESERVED.windows(2).all(|w| w[0] < w[1]));
    }

    proptest! {
        #[test]
        fn accepted_text_has_no_control_characters(s in "\\PC{0,50}|.*[\n\r\t].*") {
            if check_line_text(&s, 200).is_ok() {
                prop_assert!(!s.chars().any(char::is_control));
            }
            if check_object_name(&s).is_ok() {
                prop_assert!(!s.chars().any(|c| c.is_control() || c.is_whitespace()));
            }
        }
    }
}
