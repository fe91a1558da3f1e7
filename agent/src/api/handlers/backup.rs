//! `POST /api/backup` `{"context"?, "location":"disk0:/name", "passphrase"?}` and
//! `POST /api/restore` `{"location", "passphrase"?}`: run `backup /noconfirm ...` and
//! `restore /noconfirm ...` on LINA as the caller and answer `{"response":["<output>"]}`.
//!
//! Every value is validated before it reaches the command line (see
//! [`cli_translator::backup`]); LINA's refusal (missing file, wrong passphrase, corrupt file) is
//! a 400 carrying its text, and then nothing changed. A restore replaces the running
//! configuration: the snapshot is reloaded before the next use.

use cli_translator::backup::{self as cmd, BackupCommand, FlashFile, Op};
use cli_translator::protocol::ExecMode;
use cli_translator::resources::{FieldError, FieldProblem};
use hyper::StatusCode;
use serde_json::{Map, Value, json};

use super::Call;
use crate::api::error::ApiError;
use crate::api::json_body;
use crate::api::response::{self, ApiResponse};

/// `POST /api/backup`.
pub async fn backup(call: &Call<'_>, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let command = read(Op::Backup, body)?;
    run(call, &command).await
}

/// `POST /api/restore`.
pub async fn restore(call: &Call<'_>, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let command = read(Op::Restore, body)?;
    let response = run(call, &command).await?;
    call.invalidate();
    Ok(response)
}

async fn run(call: &Call<'_>, command: &BackupCommand) -> Result<ApiResponse, ApiError> {
    crate::api::executor::refuse_dry_run(call)?;
    let line = command.to_string();
    let result = call.exec(ExecMode::Exec, false, vec![line.clone()]).await?;
    let outcome = result
        .outcomes
        .into_iter()
        .next()
        .ok_or(ApiError::LinaAnswer("no output for backup or restore"))?;
    if !outcome.ok {
        // The command holds the passphrase: the error names the masked form.
        return Err(ApiError::Cli {
            command: command.masked(),
            output: outcome.output,
        });
    }
    Ok(response::json(
        StatusCode::OK,
        &json!({ "response": [outcome.output] }),
    ))
}

/// Reads and validates the body into the command to run.
pub fn read(op: Op, body: &[u8]) -> Result<BackupCommand, ApiError> {
    let map = json_body::parse_object(body)?;
    let allowed: &[&str] = match op {
        Op::Backup => &["context", "location", "passphrase"],
        Op::Restore => &["location", "passphrase"],
    };
    if let Some(unknown) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(field(
            unknown,
            FieldProblem::BadValue(format!("unknown attribute for /api/{}", op.word())),
        ));
    }
    let location =
        string(&map, "location")?.ok_or_else(|| field("location", FieldProblem::Missing))?;
    let location = FlashFile::parse(location)
        .map_err(|e| field("location", FieldProblem::BadValue(e.to_string())))?;
    let passphrase = string(&map, "passphrase")?;
    if let Some(p) = passphrase {
        cmd::check_passphrase(p)
            .map_err(|e| field("passphrase", FieldProblem::BadValue(e.to_string())))?;
    }
    let context = string(&map, "context")?;
    if let Some(c) = context {
        cmd::check_context(c)
            .map_err(|e| field("context", FieldProblem::BadValue(e.to_string())))?;
    }
    Ok(BackupCommand {
        op,
        noconfirm: true,
        context: context.map(str::to_owned),
        passphrase: passphrase.map(str::to_owned),
        location,
    })
}

fn field(attribute: &str, problem: FieldProblem) -> ApiError {
    ApiError::Field(FieldError::new(attribute, problem))
}

/// An optional string attribute (`null` counts as absent).
fn string<'m>(map: &'m Map<String, Value>, name: &str) -> Result<Option<&'m str>, ApiError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(field(
            name,
            FieldProblem::WrongType {
                expected: "a string",
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_noconfirm_command() {
        let c = read(
            Op::Backup,
            br#"{"location":"disk0:/b1.bak","passphrase":"pw123"}"#,
        )
        .unwrap();
        assert_eq!(
            c.to_string(),
            "backup /noconfirm passphrase pw123 location disk0:/b1.bak"
        );
        let c = read(Op::Restore, br#"{"location":"disk0:/b1.bak"}"#).unwrap();
        assert_eq!(c.to_string(), "restore /noconfirm location disk0:/b1.bak");
    }

    #[test]
    fn refuses_unsafe_locations_and_values_naming_the_attribute() {
        for (body, attribute) in [
            (&br#"{"location":"disk0:/../x"}"#[..], "location"),
            (br#"{"location":"disk0:/a b"}"#, "location"),
            (br#"{"location":"flash:/a"}"#, "location"),
            (br#"{}"#, "location"),
            (br#"{"location":5}"#, "location"),
            (
                br#"{"location":"disk0:/a","passphrase":"two words"}"#,
                "passphrase",
            ),
            (br#"{"location":"disk0:/a","passphrase":""}"#, "passphrase"),
            (br#"{"location":"disk0:/a","bogus":1}"#, "bogus"),
        ] {
            let e = read(Op::Backup, body).unwrap_err();
            assert_eq!(
                e.status().as_u16(),
                400,
                "{}",
                String::from_utf8_lossy(body)
            );
            assert_eq!(e.context(), attribute, "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn restore_takes_no_context() {
        let e = read(Op::Restore, br#"{"location":"disk0:/a","context":"c1"}"#).unwrap_err();
        assert_eq!(e.context(), "context");
        let c = read(Op::Backup, br#"{"location":"disk0:/a","context":"c1"}"#).unwrap();
        assert_eq!(c.context.as_deref(), Some("c1"));
    }

    #[test]
    fn a_newline_in_the_passphrase_is_refused_before_anything_runs() {
        let e = read(
            Op::Backup,
            b"{\"location\":\"disk0:/a\",\"passphrase\":\"a\\nb\"}",
        )
        .unwrap_err();
        assert_eq!(e.code(), "INVALID-INPUT");
    }
}
