//! The agent process: the `/api` implementation. It connects to LINA, loads a snapshot of
//! the running configuration, and serves plain HTTP/1.1 on loopback to the front-end, which
//! forwards each client request with the channel secret and the client's address.
//!
//! `agent worker` runs [`run_worker_from_env`]; in-process callers (tests, benches) use [`serve`].

pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod config;
pub mod doc;
pub mod error;
pub mod etag;
pub mod executor;
pub mod handlers;
pub mod internal;
pub mod json_body;
pub mod links;
pub mod multi_context;
pub mod openapi;
pub mod paging;
pub mod plan;
pub mod query;
pub mod response;
pub mod router;
pub mod schemas;
pub mod service;
pub mod snapshot;
pub mod state;
pub mod stats;
pub mod throttle;

#[cfg(test)]
mod fake_lina;
#[cfg(test)]
mod tests;

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use cli_translator::protocol::DeviceFacts;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

pub use config::{ApiConfig, ConfigError};
pub use error::ApiError;

use crate::lina_client::{LinaClient, LinaError};
use snapshot::Snapshot;
use state::AppState;

/// Most connections served at once (the front-end keeps a few alive; this bounds a flood).
const MAX_CONNECTIONS: usize = 512;

/// Why the agent process could not start serving.
#[derive(Debug)]
pub enum ServeError {
    /// LINA could not be reached or refused the hello.
    Lina(LinaError),
    /// The first configuration snapshot could not be loaded.
    Snapshot(ApiError),
    /// The listening socket could not be opened.
    Bind(std::io::Error),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Lina(e) => write!(f, "cannot connect to LINA: {e}"),
            ServeError::Snapshot(e) => write!(f, "cannot load the running configuration: {e}"),
            ServeError::Bind(e) => write!(f, "cannot listen: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// A running agent process server.
#[derive(Debug)]
pub struct ApiServer {
    local_addr: SocketAddr,
    facts: DeviceFacts,
    lina: LinaClient,
    shutdown: watch::Sender<bool>,
    accept: JoinHandle<()>,
}

impl ApiServer {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// What LINA said about the device at connection time.
    pub fn facts(&self) -> &DeviceFacts {
        &self.facts
    }

    /// Resolves when the LINA connection is gone (the agent process must then exit).
    pub fn lina_closed(&self) -> impl Future<Output = ()> + Send + 'static {
        self.lina.closed()
    }

    /// Stops accepting, lets in-flight requests finish, and waits for the accept loop.
    pub async fn shutdown(self) {
        self.shutdown.send_replace(true);
        let _ = self.accept.await;
    }
}

/// What the agent process prints while it loads its first snapshot (issue 13: no ceiling).
pub const LOADING_LINE: &str = "LOADING";
/// How often it prints it.
const LOADING_HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(5);

/// Connects to LINA, loads the snapshot, binds, and serves in the background.
pub async fn serve(cfg: ApiConfig) -> Result<ApiServer, ServeError> {
    let peer = format!("rest-agent/{}", env!("CARGO_PKG_VERSION"));
    let (lina, facts) = LinaClient::connect(cfg.lina, &peer, cfg.lina_secret.as_ref())
        .await
        .map_err(ServeError::Lina)?;
    // issue 13: no ceiling. Loading a configuration of hundreds of MB takes longer than the
    // supervisor's ready timeout: say `LOADING` on stdout every few seconds meanwhile, and the
    // supervisor extends its deadline (a process that stops saying it is still given up on).
    let loading = Snapshot::load(lina.clone());
    tokio::pin!(loading);
    let mut heartbeat = tokio::time::interval(LOADING_HEARTBEAT);
    heartbeat.tick().await;
    let loaded = loop {
        tokio::select! {
            loaded = &mut loading => break loaded,
            _ = heartbeat.tick() => {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{LOADING_LINE}").and_then(|()| out.flush());
            }
        }
    };
    let snapshot = Arc::new(loaded.map_err(ServeError::Snapshot)?);
    tokio::spawn(snapshot.clone().watch());
    let listener = TcpListener::bind(cfg.listen)
        .await
        .map_err(ServeError::Bind)?;
    let local_addr = listener.local_addr().map_err(ServeError::Bind)?;
    let state = Arc::new(AppState::new(
        lina.clone(),
        facts.clone(),
        snapshot,
        cfg.secret.into_bytes(),
        cfg.body_limit,
    ));
    let (shutdown, shutdown_rx) = watch::channel(false);
    let accept = tokio::spawn(accept_loop(listener, state, shutdown_rx));
    tracing::info!(%local_addr, hostname = %facts.hostname, "agent process serving");
    Ok(ApiServer {
        local_addr,
        facts,
        lina,
        shutdown,
        accept,
    })
}

async fn accept_loop(
    listener: TcpListener,
    state: Arc<AppState>,
    mut shutdown: watch::Receiver<bool>,
) {
    let limit = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let permit = tokio::select! {
            _ = shutdown.changed() => break,
            p = limit.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Usually out of file descriptors: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let state = state.clone();
        let mut shutdown = shutdown.clone();
        connections.spawn(async move {
            let _permit = permit;
            let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let state = state.clone();
                async move {
                    if internal::is_internal(req.uri().path()) {
                        let response = internal::handle(&state, req.uri().path(), req.headers());
                        return Ok::<_, Infallible>(response);
                    }
                    let (mut response, user) = audit::with_user(service::handle(state, req)).await;
                    if let Some(user) =
                        user.and_then(|u| hyper::header::HeaderValue::from_str(&u).ok())
                    {
                        response.headers_mut().insert(audit::USER_HEADER, user);
                    }
                    Ok(response)
                }
            });
            let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                biased;
                r = conn.as_mut() => {
                    if let Err(e) = r {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                _ = shutdown.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.as_mut().await;
                }
            }
        });
        // Reap finished connection tasks so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
    while connections.join_next().await.is_some() {}
}

/// `agent worker`: configured by the front-end's environment; prints `READY <addr>` on stdout
/// once serving; exits non-zero when the LINA connection is lost or on any startup failure.
pub async fn run_worker_from_env() -> ExitCode {
    let cfg = match ApiConfig::from_env() {
        Ok(cfg) => cfg,
        Err(e) => {
            tracing::error!(error = %e, "agent process misconfigured");
            eprintln!("agent worker: {e}");
            return ExitCode::from(2);
        }
    };
    let server = match serve(cfg).await {
        Ok(server) => server,
        Err(e) => {
            tracing::error!(error = %e, "agent process cannot start");
            eprintln!("agent worker: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "READY {}", server.local_addr())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(out);
    crate::debug::install(server.lina.clone());
    crate::debug::event(cli_translator::protocol::DebugCategory::Agent, || {
        format!("agent process serving on {}", server.local_addr())
    });
    let lina_closed = server.lina_closed();
    tokio::select! {
        () = lina_closed => {
            tracing::error!("LINA connection lost; the agent process exits");
            ExitCode::FAILURE
        }
        r = tokio::signal::ctrl_c() => {
            if r.is_ok() {
                server.shutdown().await;
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
