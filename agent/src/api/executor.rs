//! The one write path: applies the [`Plan`]s write handlers compute.
//!
//! For a single request the executor serialises the agent's own writes, plans on the
//! snapshot, and sends the plan's lines as ONE atomic LINA batch carrying the generation the
//! plan was computed on. LINA applies it only if its configuration is still at that
//! generation (checked under its engine lock); otherwise it refuses the batch as stale and
//! nothing ran, so a change made meanwhile on the console or through `/api/cli` is never
//! overwritten by, or resurrected from, an outdated plan. The executor then reloads the
//! snapshot and plans again, up to [`MAX_ATTEMPTS`] times in all, and answers 409
//! `CONFIGURATION-CHANGED` if the configuration kept moving. An applied plan patches the
//! snapshot only when the snapshot still reflects the generation the plan was computed on and
//! LINA's new generation is the very next one, so the patch can never be mistaken for, or
//! overwrite, an out-of-band change.
//!
//! Within a bulk request (the call carries a `Stage`), the plan is folded into the stage
//! instead: its lines join the bulk's one atomic batch and its patch applies to the staged
//! configuration, so later entries see it (`handlers/bulk.rs`).
//!
//! `?dryRun=true`: the plan is computed (with every check, `If-Match` included) and its lines
//! are answered, `200 {"commands": [...]}`; nothing is sent and the generation does not move.

use cli_translator::protocol::{Exec, ExecMode, ExecResult, Refusal};
use cli_translator::resources::{FieldError, FieldProblem};
use hyper::StatusCode;
use serde_json::json;

use super::error::ApiError;
use super::handlers::Call;
use super::plan::{Fidelity, Patch, Plan, Planner};
use super::response::{self, ApiResponse};
use super::state::AppState;

/// Plans tried per write: the first, then up to three re-plans after stale refusals.
pub const MAX_ATTEMPTS: usize = 4;

/// Plans and applies one write (see the module documentation), answering the plan's response,
/// or its lines for a dry run.
pub async fn execute(call: &Call<'_>, planner: impl Planner) -> Result<ApiResponse, ApiError> {
    let pre = &call.preconditions;
    if let Some(stage) = call.stage {
        let staged = stage.snapshot();
        let plan = planner(&staged.config, pre)?;
        drop(staged);
        let (status, location) = stage.add(plan);
        return respond(status, location);
    }
    let _serial = call.state.writes.lock().await;
    let mut wanted = call.session.generation;
    for _ in 0..MAX_ATTEMPTS {
        let snap = call.state.snapshot.at_least(wanted).await?;
        let plan = planner(&snap.config, pre)?;
        if call.query.dry_run {
            return Ok(dry_run(&plan.commands));
        }
        if plan.commands.is_empty() {
            return respond(plan.status, plan.location);
        }
        let base = snap.generation;
        // Let go of the snapshot before patching it, or the patch copies it whole.
        drop(snap);
        let result = exec_conditional(call, plan.commands.clone(), base).await?;
        if result.refusal == Some(Refusal::Stale) {
            tracing::debug!(base, current = result.generation, "plan refused as stale");
            wanted = result.generation.max(base.saturating_add(1));
            continue;
        }
        check_applied(&plan.commands, &result, &plan.blame)?;
        let Plan {
            patch,
            fidelity,
            status,
            location,
            ..
        } = plan;
        record(call.state, base, result.generation, patch, fidelity);
        return respond(status, location);
    }
    Err(ApiError::ConfigurationChanged {
        attempts: MAX_ATTEMPTS,
    })
}

/// Sends `commands` as the caller, in configuration mode, as one atomic batch that LINA
/// applies only if its configuration is still at generation `base`.
pub async fn exec_conditional(
    call: &Call<'_>,
    commands: Vec<String>,
    base: u64,
) -> Result<ExecResult, ApiError> {
    Ok(call
        .state
        .lina
        .exec(Exec {
            user: call.session.username.clone(),
            privilege: call.session.privilege,
            source: call.source,
            context: call.query.context.clone(),
            mode: ExecMode::Config,
            atomic: true,
            commands,
            expected_generation: Some(base),
        })
        .await?)
}

/// Brings the snapshot up to a write LINA applied on `base` as generation `after`.
fn record(state: &AppState, base: u64, after: u64, patch: Option<Patch>, fidelity: Fidelity) {
    match fidelity {
        Fidelity::Exact => {
            let edit = patch.unwrap_or_else(|| Box::new(|_| {}));
            state.snapshot.apply_write(base, after, edit);
        }
        Fidelity::Reload => state.snapshot.invalidate(),
    }
}

/// The success response of a plan.
pub fn respond(status: StatusCode, location: Option<String>) -> Result<ApiResponse, ApiError> {
    match location {
        Some(url) => response::with_location(status, &url),
        None => Ok(response::empty(status)),
    }
}

/// The answer to a dry run: `200 {"commands": [...]}`, the lines the write would send.
pub fn dry_run(commands: &[String]) -> ApiResponse {
    response::json(StatusCode::OK, &json!({ "commands": commands }))
}

/// Refuses `dryRun=true` on an endpoint that is not a configuration write (`write memory`,
/// backup, restore): it has no lines to show without doing it.
pub fn refuse_dry_run(call: &Call<'_>) -> Result<(), ApiError> {
    if call.query.dry_run {
        return Err(ApiError::BadQueryValue {
            name: "dryRun",
            value: "true".to_owned(),
            expected: "false: this endpoint is not a configuration write and has no dry run",
        });
    }
    Ok(())
}

/// Fails unless LINA applied the batch: with the refused command and LINA's text
/// (`CLI-ERROR`), or as a 400 on the attribute that names the object LINA's typed refusal is
/// about (a referenced group that does not exist).
pub fn check_applied(
    commands: &[String],
    result: &ExecResult,
    blame: &[(String, &'static str)],
) -> Result<(), ApiError> {
    let failed = result.outcomes.iter().position(|o| !o.ok);
    if result.applied && failed.is_none() {
        return Ok(());
    }
    let (typed_index, object) = match &result.refusal {
        Some(Refusal::Command { index, object, .. }) => {
            (usize::try_from(*index).ok(), object.as_deref())
        }
        _ => (None, None),
    };
    let index = typed_index.or(failed);
    let output = index
        .and_then(|i| result.outcomes.get(i))
        .map(|o| o.output.clone())
        .unwrap_or_default();
    let command = index
        .and_then(|i| commands.get(i))
        .or(commands.last())
        .cloned()
        .unwrap_or_default();
    if let Some(object) = object
        && let Some((_, attribute)) = blame.iter().find(|(name, _)| name == object)
    {
        return Err(ApiError::Field(FieldError::new(
            *attribute,
            FieldProblem::BadValue(output.trim().to_owned()),
        )));
    }
    Err(ApiError::Cli { command, output })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cli_translator::protocol::{CommandOutcome, RefusalKind};

    fn outcome(ok: bool, output: &str) -> CommandOutcome {
        CommandOutcome {
            ok,
            output: output.into(),
        }
    }

    #[test]
    fn first_failing_command_is_reported_with_its_output() {
        let cmds = vec!["object network a".to_owned(), " host 1.1.1.1.1".to_owned()];
        let r = ExecResult {
            outcomes: vec![
                outcome(true, ""),
                outcome(false, "ERROR: % Invalid input\n"),
            ],
            applied: false,
            generation: 3,
            refusal: None,
        };
        match check_applied(&cmds, &r, &[]) {
            Err(ApiError::Cli { command, output }) => {
                assert_eq!(command, " host 1.1.1.1.1");
                assert_eq!(output, "ERROR: % Invalid input\n");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unapplied_batch_is_an_error_even_without_a_failing_command() {
        let r = ExecResult {
            outcomes: vec![outcome(true, "")],
            applied: false,
            generation: 3,
            refusal: None,
        };
        assert!(check_applied(&["x".to_owned()], &r, &[]).is_err());
        let r = ExecResult {
            outcomes: vec![outcome(true, "")],
            applied: true,
            generation: 4,
            refusal: None,
        };
        assert!(check_applied(&["x".to_owned()], &r, &[]).is_ok());
    }

    #[test]
    fn a_typed_refusal_about_a_named_reference_blames_its_attribute() {
        let cmds = vec!["access-list a extended permit ip object-group g any".to_owned()];
        let r = ExecResult {
            outcomes: vec![outcome(
                false,
                "ERROR: specified object group <g> not found\n",
            )],
            applied: false,
            generation: 3,
            refusal: Some(Refusal::Command {
                index: 0,
                kind: RefusalKind::NotFound,
                object: Some("g".into()),
                by: None,
            }),
        };
        match check_applied(&cmds, &r, &[("g".into(), "sourceAddress")]) {
            Err(ApiError::Field(f)) => {
                assert_eq!(f.attribute, "sourceAddress");
                assert!(f.to_string().contains("<g> not found"), "{f}");
            }
            other => panic!("{other:?}"),
        }
        // The same text without a typed object is LINA's CLI error, whatever it says.
        let untyped = ExecResult {
            refusal: None,
            ..r.clone()
        };
        assert!(matches!(
            check_applied(&cmds, &untyped, &[("g".into(), "sourceAddress")]),
            Err(ApiError::Cli { .. })
        ));
    }

    #[test]
    fn a_dry_run_answers_the_lines() {
        let r = dry_run(&["object network web".into(), " host 10.0.0.10".into()]);
        assert_eq!(r.status(), StatusCode::OK);
    }
}
