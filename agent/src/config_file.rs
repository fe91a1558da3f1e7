//! The daemon's configuration file (`--config FILE`, TOML): every command-line flag has a key
//! of the same name (`listen`, `state-dir`, `cors-origin = [..]`, `http = true`), flags given
//! on the command line win, and an unknown key or a bad value is refused with the file, line
//! and key named. The file's keys become flags placed before the command line's, so clap
//! validates and types them exactly as it does flags.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Command};
use toml::{Spanned, Value};

/// Flags that have no key: the file itself, and clap's own.
const NOT_KEYS: [&str; 3] = ["config", "help", "version"];

/// Why the configuration file was refused.
#[derive(Debug)]
pub enum ConfigFileError {
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not TOML, or not a table of keys.
    Syntax { path: PathBuf, message: String },
    UnknownKey {
        path: PathBuf,
        line: usize,
        key: String,
    },
    BadValue {
        path: PathBuf,
        line: usize,
        key: String,
        problem: String,
    },
}

impl fmt::Display for ConfigFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigFileError::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            ConfigFileError::Syntax { path, message } => {
                write!(f, "{}: {}", path.display(), message.trim_end())
            }
            ConfigFileError::UnknownKey { path, line, key } => {
                write!(f, "{}:{line}: unknown key '{key}'", path.display())
            }
            ConfigFileError::BadValue {
                path,
                line,
                key,
                problem,
            } => write!(
                f,
                "{}:{line}: bad value for '{key}': {problem}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for ConfigFileError {}

/// The flags the file at `path` contributes: one per key, except for the keys whose flag (or a
/// flag it conflicts with) `matches` got from the command line. `command` is the full command
/// line definition the keys are checked against.
pub fn flags_from_file(
    path: &Path,
    command: &Command,
    matches: &ArgMatches,
) -> Result<Vec<OsString>, ConfigFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigFileError::Read {
        path: path.to_owned(),
        source,
    })?;
    flags_from_text(&text, path, command, matches)
}

/// [`flags_from_file`] on the file's text.
pub fn flags_from_text(
    text: &str,
    path: &Path,
    command: &Command,
    matches: &ArgMatches,
) -> Result<Vec<OsString>, ConfigFileError> {
    let table = toml::from_str::<SpannedTable>(text)
        .map_err(|e| ConfigFileError::Syntax {
            path: path.to_owned(),
            message: e.to_string(),
        })?
        .0;
    let mut flags = Vec::new();
    for (key, value) in table {
        let line = line_of(text, key.span().start);
        let name = key.get_ref().as_str();
        let arg = command
            .get_arguments()
            .find(|a| a.get_long() == Some(name) && !NOT_KEYS.contains(&name))
            .ok_or_else(|| ConfigFileError::UnknownKey {
                path: path.to_owned(),
                line,
                key: name.to_owned(),
            })?;
        let bad = |problem: String| ConfigFileError::BadValue {
            path: path.to_owned(),
            line: line_of(text, value.span().start),
            key: name.to_owned(),
            problem,
        };
        let values = plain_values(value.get_ref(), arg.get_action()).map_err(bad)?;
        if arg.get_action().takes_values() {
            // The flag alone, with its parser: its value is checked as clap checks the flag's.
            let alone = Command::new("agent").no_binary_name(true).arg(
                Arg::new("value")
                    .long("value")
                    .action(ArgAction::Append)
                    .value_parser(arg.get_value_parser().clone()),
            );
            let argv = values
                .iter()
                .flat_map(|v| [OsString::from("--value"), OsString::from(v)]);
            alone.try_get_matches_from(argv).map_err(|e| {
                bad(first_line(&e.to_string()).replace("'--value <value>'", &format!("'--{name}'")))
            })?;
        }
        if given_on_command_line(command, matches, arg.get_id().as_str()) {
            continue;
        }
        let flag = format!("--{name}");
        match arg.get_action() {
            ArgAction::SetTrue => {
                if values.iter().any(|v| v == "true") {
                    flags.push(OsString::from(flag));
                }
            }
            _ => {
                for v in values {
                    flags.push(OsString::from(&flag));
                    flags.push(OsString::from(v));
                }
            }
        }
    }
    Ok(flags)
}

/// The keys in file order, each with its span.
struct SpannedTable(Vec<(Spanned<String>, Spanned<Value>)>);

impl<'de> serde::Deserialize<'de> for SpannedTable {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SpannedTable, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = SpannedTable;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of keys")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<SpannedTable, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(SpannedTable(entries))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// Whether the command line set `id` or a flag that conflicts with it (then the file's value
/// would only start a quarrel the command line already settled).
fn given_on_command_line(command: &Command, matches: &ArgMatches, id: &str) -> bool {
    let on_line = |id: &str| {
        matches!(
            matches.value_source(id),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        )
    };
    if on_line(id) {
        return true;
    }
    command
        .get_arguments()
        .find(|a| a.get_id().as_str() == id)
        .is_some_and(|arg| {
            command
                .get_arg_conflicts_with(arg)
                .iter()
                .any(|other| on_line(other.get_id().as_str()))
        })
}

/// The value as the strings a flag would carry: `true`/`false` for a switch, one string for a
/// value, one per element of an array for a repeatable flag.
fn plain_values(value: &Value, action: &ArgAction) -> Result<Vec<String>, String> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Ok(s.clone()),
        Value::Integer(i) => Ok(i.to_string()),
        Value::Float(x) => Ok(x.to_string()),
        other => Err(format!(
            "expected a string or a number, found {}",
            kind(other)
        )),
    };
    match (action, value) {
        (ArgAction::SetTrue, Value::Boolean(b)) => Ok(vec![b.to_string()]),
        (ArgAction::SetTrue, other) => {
            Err(format!("expected true or false, found {}", kind(other)))
        }
        (ArgAction::Append, Value::Array(items)) => items.iter().map(scalar).collect(),
        (_, Value::Array(_)) => Err("expected one value, found an array".to_owned()),
        (_, v) => scalar(v).map(|s| vec![s]),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "an array",
        Value::Table(_) => "a table",
    }
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(0, |before| before.matches('\n').count())
        + 1
}

/// clap's message without its `error: ` prefix, usage and tips.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message);
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    fn flags(text: &str, argv: &[&str]) -> Result<Vec<String>, ConfigFileError> {
        let command = Cli::command();
        let matches = command
            .clone()
            .try_get_matches_from(std::iter::once("agent").chain(argv.iter().copied()))
            .unwrap();
        flags_from_text(text, Path::new("/etc/agent.toml"), &command, &matches).map(|f| {
            f.into_iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect()
        })
    }

    #[test]
    fn every_flag_has_a_key() {
        let text = r#"
listen = "127.0.0.1:9443"
http = true
state-dir = "/var/lib/asa-rest-agent"
console = "127.0.0.1:2424"
lina = "127.0.0.1:4000"
user-agent-policy = false
max-body = 1024
max-connections = 8
admin-password-file = "/etc/asa-rest-agent/admin-password"
metrics-listen = "127.0.0.1:9100"
log-format = "json"
cors-origin = ["https://a.example", "https://b.example:8443"]
"#;
        // Keys come in the table's order (sorted by name), each with its value(s).
        assert_eq!(
            flags(text, &[]).unwrap(),
            [
                "--admin-password-file",
                "/etc/asa-rest-agent/admin-password",
                "--console",
                "127.0.0.1:2424",
                "--cors-origin",
                "https://a.example",
                "--cors-origin",
                "https://b.example:8443",
                "--http",
                "--lina",
                "127.0.0.1:4000",
                "--listen",
                "127.0.0.1:9443",
                "--log-format",
                "json",
                "--max-body",
                "1024",
                "--max-connections",
                "8",
                "--metrics-listen",
                "127.0.0.1:9100",
                "--state-dir",
                "/var/lib/asa-rest-agent",
            ]
        );
    }

    #[test]
    fn every_long_flag_of_the_daemon_is_a_key() {
        let command = Cli::command();
        let mut keys = 0;
        for arg in command.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if NOT_KEYS.contains(&long) {
                continue;
            }
            let value = if arg.get_action().takes_values() {
                "\"x\""
            } else {
                "true"
            };
            let result = flags(&format!("{long} = {value}\n"), &[]);
            assert!(
                !matches!(result, Err(ConfigFileError::UnknownKey { .. })),
                "{long}: {result:?}"
            );
            keys += 1;
        }
        assert!(keys >= 16, "{keys} keys");
    }

    #[test]
    fn flags_on_the_command_line_win() {
        let text = "listen = \"127.0.0.1:9443\"\nmax-body = 10\n";
        assert_eq!(
            flags(text, &["--listen", "127.0.0.1:1"]).unwrap(),
            ["--max-body", "10"]
        );
        // A conflicting flag on the command line also silences the file's key.
        let text = "admin-password-file = \"/x\"\n";
        assert!(flags(text, &["--admin-password", "pw"]).unwrap().is_empty());
    }

    #[test]
    fn unknown_key_is_refused_with_file_line_and_key() {
        let e = flags("listen = \"127.0.0.1:1\"\n\nlisten-addr = \"x\"\n", &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/etc/agent.toml:3: unknown key 'listen-addr'"
        );
        let e = flags("config = \"/other.toml\"\n", &[]).unwrap_err();
        assert!(matches!(e, ConfigFileError::UnknownKey { line: 1, .. }));
    }

    #[test]
    fn bad_value_is_refused_with_file_line_and_key() {
        let e = flags("http = true\nmax-connections = 0\n", &[]).unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("/etc/agent.toml:2: bad value for 'max-connections': "),
            "{text}"
        );
        assert!(text.contains("'--max-connections'"), "{text}");
        let e = flags("listen = \"localhost\"\n", &[]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("/etc/agent.toml:1: bad value for 'listen'")
        );
        let e = flags("http = \"yes\"\n", &[]).unwrap_err();
        assert!(e.to_string().contains("expected true or false"), "{e}");
        let e = flags("listen = [\"127.0.0.1:1\"]\n", &[]).unwrap_err();
        assert!(e.to_string().contains("found an array"), "{e}");
        let e = flags("log-format = \"xml\"\n", &[]).unwrap_err();
        assert!(e.to_string().contains("'log-format'"), "{e}");
        // A bad value is refused even when the command line overrides the key.
        assert!(flags("max-body = -1\n", &["--max-body", "5"]).is_err());
    }

    #[test]
    fn not_toml_is_refused_with_the_file_named() {
        let e = flags("listen = \n", &[]).unwrap_err();
        assert!(matches!(e, ConfigFileError::Syntax { .. }));
        assert!(e.to_string().starts_with("/etc/agent.toml: "), "{e}");
    }

    #[test]
    fn false_switch_adds_nothing() {
        assert!(flags("http = false\n", &[]).unwrap().is_empty());
    }
}
