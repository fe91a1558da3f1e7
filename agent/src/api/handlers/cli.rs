//! `POST /api/cli`: `{"commands":[...]}` runs on LINA as one non-atomic batch in
//! configuration mode; the answer is `{"response":[...]}`, one output string per command.
//! `debug` / `undebug` commands are not sent: they have no effect through the API.

use bytes::Bytes;
use cli_translator::protocol::ExecMode;
use hyper::StatusCode;
use serde_json::{Value, json};

use super::Call;
use crate::api::auth;
use crate::api::error::ApiError;
use crate::api::json_body;
use crate::api::response::{self, ApiResponse};

/// Most commands one request may carry.
pub const MAX_COMMANDS: usize = 1000;

/// The response of a debug command, which is never run.
pub const DEBUG_RESPONSE: &str =
    "Debug commands are not supported through the REST API; they have no effect.\n";

/// Runs the commands and collects one output per command.
pub async fn run(call: &Call<'_>, body: &Bytes) -> Result<ApiResponse, ApiError> {
    let commands = parse_commands(body)?;
    auth::require(&call.session, auth::cli_privilege(&commands))?;
    let to_send: Vec<String> = commands.iter().filter(|c| !is_debug(c)).cloned().collect();
    let mut outputs = if to_send.is_empty() {
        Vec::new().into_iter()
    } else {
        let result = call.exec(ExecMode::Config, false, to_send).await?;
        if call.state.snapshot.generation() != result.generation {
            call.state.snapshot.invalidate();
        }
        result
            .outcomes
            .into_iter()
            .map(|o| o.output)
            .collect::<Vec<_>>()
            .into_iter()
    };
    let response: Vec<String> = commands
        .iter()
        .map(|c| {
            if is_debug(c) {
                DEBUG_RESPONSE.to_owned()
            } else {
                outputs.next().unwrap_or_default()
            }
        })
        .collect();
    Ok(response::json(
        StatusCode::OK,
        &json!({ "response": response }),
    ))
}

/// Reads `{"commands":[...]}`: 1 to [`MAX_COMMANDS`] strings, none holding a control character.
pub fn parse_commands(body: &[u8]) -> Result<Vec<String>, ApiError> {
    let mut map = json_body::parse_object(body)?;
    let shape = || ApiError::JsonType {
        context: "commands".to_owned(),
        expected: "an array of 1 to 1000 command strings",
    };
    let Some(Value::Array(items)) = map.remove("commands") else {
        return Err(shape());
    };
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
    fn refuses_a_command_with_a_newline() {
        let e = parse_commands(br#"{"commands":["show version\nwrite erase"]}"#).unwrap_err();
        assert_eq!(e.code(), "INVALID-INPUT");
        assert_eq!(e.context(), "commands[0]");
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
