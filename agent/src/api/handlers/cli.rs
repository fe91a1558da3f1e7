//! `POST /api/cli`: `{"commands":[...]}` runs on LINA as one non-atomic batch in
//! configuration mode, in the security context `?context=` names (LINA refuses an unknown one:
//! 400); the answer is `{"response":[...]}`, one output string per entry of `commands`.
//!
//! Multi-line commands: an entry holding `\n`-separated lines (a trailing `\n` and `\r\n`
//! line ends are tolerated) is several lines, sent in order in the same CLI session as every
//! other line of the request (so `"object network a\n host 10.0.0.1"` configures the object);
//! that entry's response is the concatenation of its lines' outputs, each as the ASA prints it.
//! Other control characters are refused (400 naming `commands[i]`), before anything runs.
//! `debug` / `undebug` lines are not sent: they have no effect through the API, and their
//! output is a note saying so. `?dryRun=true` answers `{"commands":[...]}`, the lines that
//! would be sent, without running them.

use bytes::Bytes;
use cli_translator::protocol::ExecMode;
use hyper::StatusCode;
use serde_json::Value;

use super::Call;
use crate::api::auth;
use crate::api::error::ApiError;
use crate::api::executor;
use crate::api::response::{self, ApiResponse};

/// Most entries one request may carry.
pub const MAX_COMMANDS: usize = 1000;
/// Most lines all entries together may hold.
pub const MAX_LINES: usize = 10_000;

/// The response of a debug command, which is never run.
pub const DEBUG_RESPONSE: &str =
    "Debug commands are not supported through the REST API; they have no effect.\n";

/// One line to run, and the entry of `commands` it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliLine {
    pub entry: usize,
    pub text: String,
}

/// Runs the commands and collects one output per entry.
pub async fn run(call: &Call<'_>, body: &Bytes) -> Result<ApiResponse, ApiError> {
    let commands = parse_commands(body)?;
    let lines = split_lines(&commands)?;
    // Blank lines do nothing: they do not make a show-only request a configuration one.
    let texts: Vec<&str> = lines
        .iter()
        .map(|l| l.text.as_str())
        .filter(|t| !t.trim().is_empty())
        .collect();
    auth::require(&call.session, auth::cli_privilege(&texts))?;
    let to_send: Vec<String> = lines
        .iter()
        .filter(|l| !is_debug(&l.text))
        .map(|l| l.text.clone())
        .collect();
    if call.query.dry_run {
        return Ok(executor::dry_run(&to_send));
    }
    let mut outputs = if to_send.is_empty() {
        Vec::new().into_iter()
    } else {
        let result = call.exec(ExecMode::Config, false, to_send).await?;
        if result.generation != call.session.generation {
            call.invalidate();
        }
        result
            .outcomes
            .into_iter()
            .map(|o| o.output)
            .collect::<Vec<_>>()
            .into_iter()
    };
    let mut response = vec![String::new(); commands.len()];
    for line in &lines {
        let output = if is_debug(&line.text) {
            DEBUG_RESPONSE.to_owned()
        } else {
            outputs.next().unwrap_or_default()
        };
        if let Some(slot) = response.get_mut(line.entry) {
            // issue 13: a large output (a whole configuration) is moved, not copied.
            if slot.is_empty() {
                *slot = output;
            } else {
                slot.push_str(&output);
            }
        }
    }
    // Serialised straight from the outputs: the body is the only other copy of them.
    let body = serde_json::to_vec(&std::collections::BTreeMap::from([("response", &response)]))
        .map_err(|_| ApiError::LinaAnswer("an output that does not serialise"))?;
    drop(response);
    Ok(response::json_bytes(StatusCode::OK, Bytes::from(body)))
}

/// Reads `{"commands":[...]}`: 1 to [`MAX_COMMANDS`] strings. Newlines inside a string
/// separate lines (see [`split_lines`]); the other attributes are refused if they hold a
/// control character.
pub fn parse_commands(body: &[u8]) -> Result<Vec<String>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::EmptyBody);
    }
    let value: Value = serde_json::from_slice(body).map_err(ApiError::JsonParse)?;
    let Value::Object(mut map) = value else {
        return Err(ApiError::JsonType {
            context: String::new(),
            expected: "a JSON object",
        });
    };
    let shape = || ApiError::JsonType {
        context: "commands".to_owned(),
        expected: "an array of 1 to 1000 command strings",
    };
    let Some(Value::Array(items)) = map.remove("commands") else {
        return Err(shape());
    };
    crate::api::json_body::check_control_chars(&Value::Object(map))?;
    if items.is_empty() || items.len() > MAX_COMMANDS {
        return Err(shape());
    }
    items
        .into_iter()
        .map(|v| match v {
            Value::String(s) => Ok(s),
            _ => Err(shape()),
        })
        .collect()
}

/// Splits each entry at `\n` (dropping one trailing empty line and a `\r` before each
/// `\n`); any other control character is refused naming the entry.
pub fn split_lines(commands: &[String]) -> Result<Vec<CliLine>, ApiError> {
    let mut lines = Vec::with_capacity(commands.len());
    for (entry, command) in commands.iter().enumerate() {
        let body = command.strip_suffix('\n').unwrap_or(command);
        for text in body.split('\n') {
            let text = text.strip_suffix('\r').unwrap_or(text);
            if text.chars().any(char::is_control) {
                return Err(ApiError::ControlCharacter {
                    path: format!("commands[{entry}]"),
                });
            }
            lines.push(CliLine {
                entry,
                text: text.to_owned(),
            });
        }
    }
    if lines.len() > MAX_LINES {
        return Err(ApiError::JsonType {
            context: "commands".to_owned(),
            expected: "at most 10000 lines in all",
        });
    }
    Ok(lines)
}

/// `debug ...`, `undebug ...` and `no debug ...` (with the usual abbreviations).
pub fn is_debug(command: &str) -> bool {
    let mut words = command.split_whitespace().map(str::to_ascii_lowercase);
    let first = words.next().unwrap_or_default();
    let abbreviates = |word: &str, full: &str| word.len() >= 3 && full.starts_with(word);
    if abbreviates(&first, "debug") || abbreviates(&first, "undebug") {
        return true;
    }
    first == "no" && words.next().is_some_and(|w| abbreviates(&w, "debug"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_command_list() {
        assert_eq!(
            parse_commands(br#"{"commands":["show version","show clock"]}"#).unwrap(),
            vec!["show version", "show clock"]
        );
    }

    #[test]
    fn refuses_empty_missing_or_non_string_commands() {
        for body in [
            &br#"{"commands":[]}"#[..],
            br#"{}"#,
            br#"{"commands":"show version"}"#,
            br#"{"commands":["show version", 3]}"#,
        ] {
            let e = parse_commands(body).unwrap_err();
            assert_eq!(
                e.code(),
                "JSON-TYPE-ERROR",
                "{}",
                String::from_utf8_lossy(body)
            );
            assert_eq!(e.context(), "commands");
        }
    }

    #[test]
    fn refuses_more_than_a_thousand_commands() {
        let many: Vec<&str> = vec!["show clock"; 1001];
        let body = serde_json::to_vec(&json!({ "commands": many })).unwrap();
        assert!(parse_commands(&body).is_err());
        let body = serde_json::to_vec(&json!({ "commands": &many[..1000] })).unwrap();
        assert_eq!(parse_commands(&body).unwrap().len(), 1000);
    }

    #[test]
    fn a_newline_separates_lines_of_one_entry() {
        let commands = parse_commands(
            br#"{"commands":["object network a\n host 10.0.0.1\r\n","show clock"]}"#,
        )
        .unwrap();
        let lines = split_lines(&commands).unwrap();
        let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.entry, l.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (0, "object network a"),
                (0, " host 10.0.0.1"),
                (1, "show clock")
            ]
        );
    }

    #[test]
    fn other_control_characters_are_refused_naming_the_entry() {
        let commands = parse_commands(br#"{"commands":["show version","show\trun"]}"#).unwrap();
        let e = split_lines(&commands).unwrap_err();
        assert_eq!(e.code(), "INVALID-INPUT");
        assert_eq!(e.context(), "commands[1]");
        let e = parse_commands(br#"{"commands":["show version"],"x":"a\nb"}"#).unwrap_err();
        assert_eq!(e.context(), "x");
    }

    #[test]
    fn too_many_lines_in_all_are_refused() {
        let big = vec!["show clock\n".repeat(11); 1000];
        assert!(split_lines(&big).is_err());
        let fine = vec!["show clock\n".repeat(10); 1000];
        assert_eq!(split_lines(&fine).unwrap().len(), 10_000);
    }

    proptest::proptest! {
        #[test]
        fn splitting_never_panics_and_keeps_every_line(
            lines in proptest::collection::vec("[ -~]{0,20}", 1..6),
            entries in 1usize..4,
        ) {
            // A last line that is not empty (one trailing newline is dropped by design).
            let mut lines = lines;
            lines.push("show clock".to_owned());
            let command = lines.join("\n");
            let commands = vec![command; entries];
            let split = split_lines(&commands).unwrap();
            proptest::prop_assert_eq!(split.len(), lines.len() * entries);
            for (i, line) in split.iter().enumerate() {
                proptest::prop_assert_eq!(line.entry, i / lines.len());
                proptest::prop_assert_eq!(&line.text, &lines[i % lines.len()]);
            }
        }

        #[test]
        fn arbitrary_commands_never_panic(s in ".{0,40}") {
            let _ = split_lines(&[s]);
        }
    }

    #[test]
    fn recognises_debug_commands() {
        for c in [
            "debug rest-api agent",
            "undebug all",
            "deb ip",
            "no debug all",
            "DEBUG x",
        ] {
            assert!(is_debug(c), "{c}");
        }
        for c in [
            "show debug",
            "de",
            "delete x",
            "no object network a",
            "description x",
        ] {
            assert!(!is_debug(c), "{c}");
        }
    }
}
