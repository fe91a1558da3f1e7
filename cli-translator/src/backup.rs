//! The `backup` and `restore` exec commands: their syntax, the `disk0:` file they name, and
//! the canonical line the agent sends.
//!
//! ```text
//! backup  [/noconfirm] [context <name>] [passphrase <value>] location disk0:/<file>
//! restore [/noconfirm] [context <name>] [passphrase <value>] location disk0:/<file>
//! ```
//! Keywords may come in any order (as on the ASA); `location` is required here. A file name is
//! 1 to 64 characters of letters, digits and `. _ -`, not starting with a dot (so never `..`):
//! no directories, blanks or control characters. A passphrase is 1 to 128 printable characters
//! without blanks.

use std::fmt;

/// Longest backup file name.
pub const MAX_FILE_NAME: usize = 64;
/// Longest passphrase.
pub const MAX_PASSPHRASE: usize = 128;
/// Longest context name.
pub const MAX_CONTEXT: usize = 32;
/// The only file system the simulator offers.
pub const FLASH_PREFIX: &str = "disk0:/";

/// Which of the two commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Backup,
    Restore,
}

impl Op {
    pub fn word(self) -> &'static str {
        match self {
            Op::Backup => "backup",
            Op::Restore => "restore",
        }
    }
}

/// A file in `disk0:`, by its validated name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlashFile(String);

/// Why a location or a value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadValue {
    /// The location is not on `disk0:/`.
    NotOnDisk0,
    /// A file name outside the allowed characters or length (the reason says which).
    FileName(&'static str),
    /// A passphrase with a blank or control character, empty or too long.
    Passphrase(&'static str),
    /// A context name with a blank or control character, empty or too long.
    Context(&'static str),
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::NotOnDisk0 => write!(f, "the location must be {FLASH_PREFIX}<file name>"),
            BadValue::FileName(why) => write!(f, "the file name {why}"),
            BadValue::Passphrase(why) => write!(f, "the passphrase {why}"),
            BadValue::Context(why) => write!(f, "the context name {why}"),
        }
    }
}

impl std::error::Error for BadValue {}

impl FlashFile {
    /// Reads `disk0:/<name>` (the device prefix in any case).
    pub fn parse(location: &str) -> Result<FlashFile, BadValue> {
        let prefix = location.get(..FLASH_PREFIX.len()).unwrap_or("");
        if !prefix.eq_ignore_ascii_case(FLASH_PREFIX) {
            return Err(BadValue::NotOnDisk0);
        }
        let name = location.get(FLASH_PREFIX.len()..).unwrap_or("");
        FlashFile::from_name(name)
    }

    /// A bare file name.
    pub fn from_name(name: &str) -> Result<FlashFile, BadValue> {
        if name.is_empty() {
            return Err(BadValue::FileName("must not be empty"));
        }
        if name.len() > MAX_FILE_NAME {
            return Err(BadValue::FileName("must be at most 64 characters long"));
        }
        if name.starts_with('.') {
            return Err(BadValue::FileName("must not start with a dot"));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(BadValue::FileName(
                "may hold only letters, digits, '.', '_' and '-' (no directories or blanks)",
            ));
        }
        Ok(FlashFile(name.to_owned()))
    }

    pub fn name(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FlashFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{FLASH_PREFIX}{}", self.0)
    }
}

/// Checks a passphrase.
pub fn check_passphrase(p: &str) -> Result<(), BadValue> {
    check_word(p, MAX_PASSPHRASE).map_err(BadValue::Passphrase)
}

/// Checks a context name.
pub fn check_context(c: &str) -> Result<(), BadValue> {
    check_word(c, MAX_CONTEXT).map_err(BadValue::Context)
}

fn check_word(s: &str, max: usize) -> Result<(), &'static str> {
    if s.is_empty() {
        return Err("must not be empty");
    }
    if s.chars().count() > max {
        return Err("is too long");
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain blanks or control characters");
    }
    Ok(())
}

/// A `backup` or `restore` command.
#[derive(Clone, PartialEq, Eq)]
pub struct BackupCommand {
    pub op: Op,
    pub noconfirm: bool,
    pub context: Option<String>,
    pub passphrase: Option<String>,
    pub location: FlashFile,
}

impl fmt::Debug for BackupCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The passphrase is a secret: never print it.
        f.debug_struct("BackupCommand")
            .field("op", &self.op)
            .field("noconfirm", &self.noconfirm)
            .field("context", &self.context)
            .field("passphrase", &self.passphrase.as_ref().map(|_| "<hidden>"))
            .field("location", &self.location)
            .finish()
    }
}

/// Why a line is not a valid `backup`/`restore` command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxError {
    /// Not a backup or restore command at all.
    NotThisCommand,
    /// A keyword without its value, or no `location`.
    Incomplete,
    /// An unknown or repeated word, at this byte offset.
    Invalid { offset: usize },
    /// A value that cannot be used, at this byte offset.
    Value { offset: usize, problem: BadValue },
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyntaxError::NotThisCommand => f.write_str("not a backup or restore command"),
            SyntaxError::Incomplete => f.write_str("incomplete command"),
            SyntaxError::Invalid { offset } => write!(f, "invalid input at offset {offset}"),
            SyntaxError::Value { problem, .. } => write!(f, "{problem}"),
        }
    }
}

impl std::error::Error for SyntaxError {}

/// Case-insensitive abbreviation of `full` to at least `min` characters.
fn abbreviates(word: &str, full: &str, min: usize) -> bool {
    word.len() >= min
        && word.len() <= full.len()
        && full
            .get(..word.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(word))
}

/// The words of a line with their byte offsets.
fn words(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &line[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &line[s..]));
    }
    out
}

/// Whether the line's first word is `backup` or `restore` (abbreviated to 4+ letters).
pub fn op_of(line: &str) -> Option<Op> {
    let first = line.split_whitespace().next()?;
    if abbreviates(first, "backup", 4) {
        Some(Op::Backup)
    } else if abbreviates(first, "restore", 4) {
        Some(Op::Restore)
    } else {
        None
    }
}

/// Parses a `backup` or `restore` line.
pub fn parse(line: &str) -> Result<BackupCommand, SyntaxError> {
    let op = op_of(line).ok_or(SyntaxError::NotThisCommand)?;
    let ws = words(line);
    let mut noconfirm = false;
    let mut context = None;
    let mut passphrase = None;
    let mut location = None;
    let mut i = 1;
    while let Some(&(offset, word)) = ws.get(i) {
        let value = ws.get(i + 1).copied();
        let slot: &mut Option<(usize, &str)> = if word.eq_ignore_ascii_case("/noconfirm") {
            if noconfirm {
                return Err(SyntaxError::Invalid { offset });
            }
            noconfirm = true;
            i += 1;
            continue;
        } else if abbreviates(word, "context", 3) {
            &mut context
        } else if abbreviates(word, "passphrase", 4) {
            &mut passphrase
        } else if abbreviates(word, "location", 3) {
            &mut location
        } else {
            return Err(SyntaxError::Invalid { offset });
        };
        if slot.is_some() {
            return Err(SyntaxError::Invalid { offset });
        }
        *slot = Some(value.ok_or(SyntaxError::Incomplete)?);
        i += 2;
    }
    let (loc_at, loc) = location.ok_or(SyntaxError::Incomplete)?;
    let location = FlashFile::parse(loc).map_err(|problem| SyntaxError::Value {
        offset: loc_at,
        problem,
    })?;
    let checked = |v: Option<(usize, &str)>, check: fn(&str) -> Result<(), BadValue>| {
        v.map(|(offset, s)| {
            check(s)
                .map(|()| s.to_owned())
                .map_err(|problem| SyntaxError::Value { offset, problem })
        })
        .transpose()
    };
    Ok(BackupCommand {
        op,
        noconfirm,
        context: checked(context, check_context)?,
        passphrase: checked(passphrase, check_passphrase)?,
        location,
    })
}

impl fmt::Display for BackupCommand {
    /// The canonical line: `backup /noconfirm context c passphrase p location disk0:/f`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.op.word())?;
        if self.noconfirm {
            f.write_str(" /noconfirm")?;
        }
        if let Some(c) = &self.context {
            write!(f, " context {c}")?;
        }
        if let Some(p) = &self.passphrase {
            write!(f, " passphrase {p}")?;
        }
        write!(f, " location {}", self.location)
    }
}

impl BackupCommand {
    /// The line with the passphrase masked, for logs.
    pub fn masked(&self) -> String {
        let mut shown = self.clone();
        if shown.passphrase.is_some() {
            shown.passphrase = Some("*****".to_owned());
        }
        shown.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_keywords_in_any_order_and_abbreviated() {
        let c = parse("backup /noconfirm loc disk0:/a.bak pass s3cret").unwrap();
        assert_eq!(c.op, Op::Backup);
        assert!(c.noconfirm);
        assert_eq!(c.location.name(), "a.bak");
        assert_eq!(c.passphrase.as_deref(), Some("s3cret"));
        let c = parse("REST context admin location DISK0:/x").unwrap();
        assert_eq!(c.op, Op::Restore);
        assert!(!c.noconfirm);
        assert_eq!(c.context.as_deref(), Some("admin"));
        assert_eq!(c.to_string(), "restore context admin location disk0:/x");
    }

    #[test]
    fn location_is_required_and_keywords_need_values() {
        assert_eq!(parse("backup /noconfirm"), Err(SyntaxError::Incomplete));
        assert_eq!(
            parse("backup location disk0:/a passphrase"),
            Err(SyntaxError::Incomplete)
        );
    }

    #[test]
    fn unknown_or_repeated_words_point_at_themselves() {
        assert_eq!(
            parse("backup bogus location disk0:/a"),
            Err(SyntaxError::Invalid { offset: 7 })
        );
        assert_eq!(
            parse("backup location disk0:/a location disk0:/b"),
            Err(SyntaxError::Invalid { offset: 25 })
        );
    }

    #[test]
    fn unsafe_locations_are_refused() {
        for loc in [
            "disk0:/../etc/passwd",
            "disk0:/a/b",
            "disk0:/.hidden",
            "disk0:/",
            "flash:/a",
            "/tmp/a",
            "disk0:/a\u{7}",
        ] {
            assert!(FlashFile::parse(loc).is_err(), "{loc:?}");
        }
        assert_eq!(
            FlashFile::parse(&format!("disk0:/{}", "a".repeat(65))),
            Err(BadValue::FileName("must be at most 64 characters long"))
        );
        assert_eq!(
            FlashFile::parse("disk0:/ok-1_2.tar.gz").unwrap().name(),
            "ok-1_2.tar.gz"
        );
    }

    #[test]
    fn debug_and_masked_never_show_the_passphrase() {
        let c = parse("backup passphrase topsecret location disk0:/a").unwrap();
        assert!(!format!("{c:?}").contains("topsecret"));
        assert!(!c.masked().contains("topsecret"));
        assert!(c.to_string().contains("topsecret"));
    }

    #[test]
    fn other_commands_are_not_this_one() {
        assert_eq!(op_of("show run"), None);
        assert_eq!(op_of("bac location disk0:/a"), None);
        assert_eq!(parse("hostname x"), Err(SyntaxError::NotThisCommand));
    }

    fn command() -> impl Strategy<Value = BackupCommand> {
        (
            prop_oneof![Just(Op::Backup), Just(Op::Restore)],
            any::<bool>(),
            proptest::option::of("[a-z][a-z0-9_-]{0,15}"),
            proptest::option::of("[!-~]{1,40}"),
            "[A-Za-z0-9_][A-Za-z0-9._-]{0,40}",
        )
            .prop_map(|(op, noconfirm, context, passphrase, name)| BackupCommand {
                op,
                noconfirm,
                context,
                passphrase,
                location: FlashFile(name),
            })
    }

    proptest! {
        #[test]
        fn parse_of_print_is_identity(c in command()) {
            prop_assert_eq!(parse(&c.to_string()), Ok(c));
        }

        #[test]
        fn arbitrary_lines_never_panic(s in "(backup|restore)? ?.{0,60}") {
            let _ = parse(&s);
        }
    }
}
