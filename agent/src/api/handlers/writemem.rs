//! `POST /api/commands/writemem`: saves the running configuration (`write memory`) and
//! answers `{"response":["<LINA's output>"]}`.

use cli_translator::protocol::ExecMode;
use hyper::StatusCode;
use serde_json::json;

use super::Call;
use crate::api::error::ApiError;
use crate::api::response::{self, ApiResponse};

/// The command this endpoint runs.
pub const COMMAND: &str = "write memory";

/// Runs `write memory` as the caller (the router has required level 15).
pub async fn run(call: &Call<'_>) -> Result<ApiResponse, ApiError> {
    crate::api::executor::refuse_dry_run(call)?;
    let commands = vec![COMMAND.to_owned()];
    let result = call.exec(ExecMode::Exec, false, commands.clone()).await?;
    if let Some(failed) = result.outcomes.iter().find(|o| !o.ok) {
        return Err(ApiError::Cli {
            command: COMMAND.to_owned(),
            output: failed.output.clone(),
        });
    }
    let output = result.outcomes.into_iter().next().map(|o| o.output);
    let output = output.ok_or(ApiError::LinaAnswer("no output for write memory"))?;
    Ok(response::json(
        StatusCode::OK,
        &json!({ "response": [output] }),
    ))
}
