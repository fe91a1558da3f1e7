//! Request handlers, one file per endpoint family, and what they share: the authenticated
//! call and running command batches on LINA on the caller's behalf. Write handlers plan
//! (`api::plan`); `api::executor` applies their plans.

pub mod acl;
pub mod backup;
pub mod bulk;
pub mod certificates;
pub mod cli;
pub mod interfaces;
pub mod monitoring;
pub mod nat;
pub mod resource;
pub mod settings;
pub mod tokens;
pub mod writemem;
// issue 15: site-to-site VPN
pub mod vpn;
// issue 14: logging, failover, licensing
pub mod platform;
// issue 14: DHCP, DNS client
pub mod dhcp;
pub mod dns;

use std::net::IpAddr;
use std::sync::Arc;

use cli_translator::protocol::{Exec, ExecMode, ExecResult, Session};

use self::bulk::Stage;

use super::error::ApiError;
use super::links::Origin;
use super::plan::Preconditions;
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
    /// The request's `If-Match` (checked by the planners against the item a `PUT`, `PATCH`
    /// or `DELETE` changes: 412 when it names no current ETag) and `If-None-Match` (an item
    /// `GET` naming its current ETag answers 304).
    pub preconditions: Preconditions,
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

    /// Marks the snapshot stale after a write the handler cannot describe as a patch.
    pub fn invalidate(&self) {
        match self.stage {
            Some(stage) => stage.mark_inexact(),
            None => self.state.snapshot.invalidate(),
        }
    }

    /// Runs `commands` as the caller, in the caller's context (exec commands, `/api/cli`,
    /// `write memory`). Configuration writes of resources go through `executor::execute`.
    pub async fn exec(
        &self,
        mode: ExecMode,
        atomic: bool,
        commands: Vec<String>,
    ) -> Result<ExecResult, ApiError> {
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
}
