//! Request handlers, one file per endpoint family, and what they share: the authenticated
//! call and running command batches on LINA on the caller's behalf.

pub mod acl;
pub mod backup;
pub mod bulk;
pub mod cli;
pub mod interfaces;
pub mod monitoring;
pub mod nat;
pub mod resource;
pub mod settings;
pub mod tokens;
pub mod writemem;

use std::net::IpAddr;
use std::sync::Arc;

use cli_translator::protocol::{Exec, ExecMode, ExecResult, Session};
use cli_translator::resources::{FieldError, FieldProblem};
use cli_translator::running::RunningConfig;

use self::bulk::Stage;

use super::error::ApiError;
use super::links::Origin;
use super::query::Query;
use super::snapshot::Loaded;
use super::state::AppState;

/// An authenticated request, as handlers see it.
#[derive(Debug)]
pub struct Call<'a> {
    pub state: &'a AppState,
    pub session: Session,
    pub source: IpAddr,
    pub origin: Origin,
    pub query: Query,
    /// Set while this call is one entry of a bulk request: reads and writes go to the
    /// bulk's staged configuration, and commands are collected for one atomic batch.
    pub stage: Option<&'a Stage>,
}

/// Held by a handler for the whole of a write: writes are serialised so that what a handler
/// checked in the snapshot is still true when LINA applies its batch. Within a bulk request
/// the bulk handler already holds the lock for every entry.
#[derive(Debug)]
pub enum WriteGuard<'a> {
    Held(tokio::sync::MutexGuard<'a, ()>),
    Staged,
}

impl Call<'_> {
    /// The configuration as this request must see it: at least the generation LINA reported
    /// when it authenticated the caller. Handlers read the configuration only through this.
    pub async fn snapshot(&self) -> Result<Arc<Loaded>, ApiError> {
        if let Some(stage) = self.stage {
            return Ok(stage.snapshot());
        }
        self.state.snapshot.at_least(self.session.generation).await
    }

    /// Serialises writes; hold the guard from the first check to the snapshot patch.
    pub async fn write_lock(&self) -> WriteGuard<'_> {
        match self.stage {
            Some(_) => WriteGuard::Staged,
            None => WriteGuard::Held(self.state.writes.lock().await),
        }
    }

    /// Records a write LINA applied (see [`super::snapshot::Snapshot::apply_write`]).
    pub fn apply_write(&self, generation: u64, edit: impl FnOnce(&mut RunningConfig)) {
        match self.stage {
            Some(stage) => stage.patch(generation, edit),
            None => self.state.snapshot.apply_write(generation, edit),
        }
    }

    /// Records a write whose effect `edit` describes for this agent's checks, though the
    /// device stores it differently (a password it hashes): a single request reloads the
    /// snapshot; a bulk entry patches its stage (so later entries see the change) and the
    /// bulk reloads after it is applied.
    pub fn apply_write_then_reload(&self, generation: u64, edit: impl FnOnce(&mut RunningConfig)) {
        match self.stage {
            Some(stage) => {
                stage.patch(generation, edit);
                stage.mark_inexact();
            }
            None => self.state.snapshot.invalidate(),
        }
    }

    /// Marks the snapshot stale after a write the handler cannot describe as a patch.
    pub fn invalidate(&self) {
        match self.stage {
            Some(stage) => stage.mark_inexact(),
            None => self.state.snapshot.invalidate(),
        }
    }

    /// Replaces the snapshot by a configuration computed on generation `base` once LINA has
    /// applied it as generation `after` (the bulk API's staged configuration).
    pub fn adopt(&self, base: u64, after: u64, config: RunningConfig) {
        self.state.snapshot.replace_write(base, after, config);
    }

    /// Runs `commands` as the caller, in the caller's context. Within a bulk request,
    /// configuration commands are staged (see [`Call::configure`]); exec commands run.
    pub async fn exec(
        &self,
        mode: ExecMode,
        atomic: bool,
        commands: Vec<String>,
    ) -> Result<ExecResult, ApiError> {
        if let (Some(stage), ExecMode::Config) = (self.stage, mode) {
            return Ok(stage.push(commands));
        }
        Ok(self
            .state
            .lina
            .exec(Exec {
                user: self.session.username.clone(),
                privilege: self.session.privilege,
                source: self.source,
                context: self.query.context.clone(),
                mode,
                atomic,
                commands,
                expected_generation: None,
            })
            .await?)
    }

    /// Runs a configuration batch all-or-nothing; any failing command is a 400 carrying
    /// LINA's output, and then nothing was applied.
    /// Within a bulk request the commands are only staged: they run, with every other
    /// entry's, in the bulk's one atomic batch, and the result is a synthetic success.
    pub async fn configure(&self, commands: Vec<String>) -> Result<ExecResult, ApiError> {
        if let Some(stage) = self.stage {
            return Ok(stage.push(commands));
        }
        let result = self.exec(ExecMode::Config, true, commands.clone()).await?;
        check_applied(&commands, &result)?;
        Ok(result)
    }

    /// [`Call::configure`], returning the new generation; a LINA refusal whose output
    /// `blame` ties to a request attribute (a reference it names) becomes a 400 on that
    /// attribute, carrying LINA's output.
    pub async fn configure_blaming(
        &self,
        commands: Vec<String>,
        blame: impl FnOnce(&str) -> Option<&'static str>,
    ) -> Result<u64, ApiError> {
        match self.configure(commands).await {
            Ok(result) => Ok(result.generation),
            Err(ApiError::Cli { command, output }) => match blame(&output) {
                Some(attribute) => Err(ApiError::Field(FieldError::new(
                    attribute,
                    FieldProblem::BadValue(output.trim().to_owned()),
                ))),
                None => Err(ApiError::Cli { command, output }),
            },
            Err(e) => Err(e),
        }
    }
}

/// Fails with the first failing command's output, or when LINA says it applied nothing.
pub fn check_applied(commands: &[String], result: &ExecResult) -> Result<(), ApiError> {
    if let Some((i, failed)) = result.outcomes.iter().enumerate().find(|(_, o)| !o.ok) {
        return Err(ApiError::Cli {
            command: commands.get(i).cloned().unwrap_or_default(),
            output: failed.output.clone(),
        });
    }
    if !result.applied {
        return Err(ApiError::Cli {
            command: commands.last().cloned().unwrap_or_default(),
            output: String::new(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cli_translator::protocol::CommandOutcome;

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
        match check_applied(&cmds, &r) {
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
        assert!(check_applied(&["x".to_owned()], &r).is_err());
        let r = ExecResult {
            outcomes: vec![outcome(true, "")],
            applied: true,
            generation: 4,
            refusal: None,
        };
        assert!(check_applied(&["x".to_owned()], &r).is_ok());
    }
}
