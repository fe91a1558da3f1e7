//! The HTTPS front-end: accepts client connections (TLS or, for troubleshooting, plain HTTP/1.1),
//! one task per connection under connection limits ([`admission`]: idle connections make room
//! for newcomers), checks each request and forwards it to the agent process; on shutdown stops
//! accepting and lets in-flight requests finish, bounded. Timeouts: TLS handshake, request
//! headers (from the connection's start, then from the first bytes of each later request), and
//! keep-alive idle between requests.

pub mod admission;
pub mod canonical;
pub mod cors;
pub mod forward;
pub mod handler;
pub mod health;
pub mod ops;
pub mod rejection;
pub mod stream;
pub mod user_agent;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::timeout;
use tokio_rustls::TlsAcceptor;

pub use forward::Scheme;
use handler::Shared;
use rejection::ResponseBody;

use crate::supervisor::AgentState;

/// Front-end settings.
#[derive(Debug, Clone)]
pub struct FrontendConfig {
    /// Largest accepted request body, in bytes (4 MiB).
    pub max_body: u64,
    /// Connections kept at once (256); at the cap an idle connection is closed for a newcomer.
    pub max_connections: usize,
    /// Connections kept at once from one client address (64); likewise.
    pub max_connections_per_client: usize,
    /// How long a kept-alive connection may wait for its next request, nothing arriving (30 s).
    pub idle_timeout: Duration,
    /// Only `REST API Agent`, `ASDM` and `CSM` user agents (off).
    pub user_agent_policy: bool,
    /// How long in-flight requests may take to finish after shutdown is asked (5 s).
    pub shutdown_grace: Duration,
    /// How long a client may take to send a request's headers: the first request's from the
    /// connection's start, a later one's from its first bytes (10 s).
    pub header_timeout: Duration,
    /// How long a TLS handshake may take (10 s).
    pub handshake_timeout: Duration,
    /// Health, CORS, metrics and the API log (all off).
    pub ops: ops::Ops,
}

impl Default for FrontendConfig {
    fn default() -> FrontendConfig {
        FrontendConfig {
            max_body: 4 * 1024 * 1024,
            max_connections: 256,
            max_connections_per_client: 64,
            idle_timeout: Duration::from_secs(30),
            user_agent_policy: false,
            shutdown_grace: Duration::from_secs(5),
            header_timeout: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(10),
            ops: ops::Ops::default(),
        }
    }
}

/// Serves `listener` until `shutdown` turns true, then drains connections for at most the grace
/// period and returns. `tls` is `None` for plain HTTP.
pub async fn serve(
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    config: FrontendConfig,
    agent: watch::Receiver<AgentState>,
    mut shutdown: watch::Receiver<bool>,
) {
    let local = listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)));
    let shared = Arc::new(Shared {
        max_body: config.max_body,
        user_agent_policy: config.user_agent_policy,
        scheme: if tls.is_some() {
            Scheme::Https
        } else {
            Scheme::Http
        },
        local,
        agent,
        client: forward::agent_client(),
        requests: AtomicU64::new(0),
        ops: config.ops.clone(),
    });
    let acceptor = tls.map(TlsAcceptor::from);
    let admission = admission::Admission::new(
        config.max_connections,
        config
            .max_connections_per_client
            .min(config.max_connections),
    );
    let mut connections = JoinSet::new();

    loop {
        let accepted = tokio::select! {
            _ = shutting_down(&mut shutdown) => break,
            accepted = listener.accept() => accepted,
            // Reap finished connection tasks while idle so the set stays small.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let (stream, client) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: back off briefly rather than spin.
                tracing::warn!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(ticket) = admission.admit(client.ip()) else {
            // Every connection in the way has a request in flight: refuse rather than queue.
            tracing::debug!(%client, "connection refused: all connections busy");
            drop(stream);
            continue;
        };
        let shared = shared.clone();
        let acceptor = acceptor.clone();
        let config = config.clone();
        let shutdown = shutdown.clone();
        connections.spawn(async move {
            connection(stream, client, acceptor, shared, &config, ticket, shutdown).await;
        });
    }
    drop(listener);

    let drained = timeout(config.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            "{} connection(s) still busy after the shutdown grace period; closing them",
            connections.len()
        );
        connections.shutdown().await;
    }
}

async fn shutting_down(shutdown: &mut watch::Receiver<bool>) {
    // An error means the sender is gone: nobody can keep us running, so stop too.
    let _ = shutdown.wait_for(|stop| *stop).await;
}

/// One client connection: TLS handshake if configured, then HTTP/1.1 until the client is done or
/// shutdown is asked (then in-flight requests finish and the connection closes).
async fn connection(
    stream: TcpStream,
    client: SocketAddr,
    acceptor: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    config: &FrontendConfig,
    mut ticket: admission::Ticket,
    shutdown: watch::Receiver<bool>,
) {
    if let Err(e) = stream.set_nodelay(true) {
        tracing::debug!(%client, "cannot set TCP_NODELAY: {e}");
    }
    match acceptor {
        None => http(stream, client, shared, config, ticket, shutdown).await,
        Some(acceptor) => {
            let handshake = tokio::select! {
                tls = timeout(config.handshake_timeout, acceptor.accept(stream)) => tls,
                _ = &mut ticket.evicted => {
                    tracing::debug!(%client, "closed in the TLS handshake for a newer connection");
                    return;
                }
            };
            match handshake {
                Ok(Ok(tls)) => http(tls, client, shared, config, ticket, shutdown).await,
                Ok(Err(e)) => {
                    tracing::debug!(%client, "TLS handshake failed: {e}");
                    shared
                        .ops
                        .connection_failed(client, &format!("TLS handshake failed: {e}"));
                }
                Err(_) => {
                    tracing::debug!(%client, "TLS handshake timed out");
                    shared
                        .ops
                        .connection_failed(client, "TLS handshake timed out");
                }
            }
        }
    }
}

/// Why the front-end closes a connection on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lapse {
    /// A request head took longer than the header timeout (counted from the connection's start
    /// for its first request, from the head's first bytes for later ones): slowloris or silent.
    Header,
    /// Kept alive between requests, with nothing arriving, for the idle timeout.
    Idle,
}

/// Resolves when the connection has outstayed one of its two timeouts. Between requests only
/// the idle timeout runs, so a kept-alive connection lasts `idle` (hyper's own header timeout
/// would also count the wait between requests, and close kept-alive connections early); once
/// the next request's bytes arrive ([`admission::Track::bytes_read`], called by [`stream::Watched`]) only the header timeout
/// does, so a request that has begun to arrive is never cut as idle. Checked every quarter of
/// the shorter timeout (at most every second): a busy connection pays nothing.
async fn lapse(track: &admission::Track, header: Duration, idle: Duration) -> Lapse {
    let tick = (header.min(idle) / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
    let opened = tokio::time::Instant::now();
    let mut idle_since = opened;
    let mut head_since = None;
    let mut served = 0;
    loop {
        tokio::time::sleep(tick).await;
        let now = tokio::time::Instant::now();
        // Busy now, or answered a request since the last look (however briefly busy).
        if !track.idle() || track.served() != served {
            served = track.served();
            idle_since = now;
            head_since = None;
            continue;
        }
        if served == 0 || track.head_pending() {
            let since = if served == 0 {
                opened
            } else {
                *head_since.get_or_insert(now)
            };
            if now.duration_since(since) >= header {
                return Lapse::Header;
            }
        } else if now.duration_since(idle_since) >= idle {
            return Lapse::Idle;
        }
    }
}

async fn http<S>(
    stream: S,
    client: SocketAddr,
    shared: Arc<Shared>,
    config: &FrontendConfig,
    mut ticket: admission::Ticket,
    mut shutdown: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let track = ticket.track.clone();
    let service = service_fn(move |request: Request<Incoming>| {
        let shared = shared.clone();
        let track = track.clone();
        async move {
            track.begin();
            let response = ops::handle(shared, client, request).await;
            track.end();
            Ok::<Response<ResponseBody>, Infallible>(response)
        }
    });
    let mut builder = http1::Builder::new();
    // The header and idle timeouts are [`lapse`]'s: hyper's header timeout would also run
    // between requests and close kept-alive connections after 10 s instead of 30.
    builder
        .keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(None);
    let (stream, returned) = stream::Watched::new(stream, ticket.track.clone());
    let mut conn = Box::pin(builder.serve_connection(TokioIo::new(stream), service));
    // Biased, the connection first: it is what wakes this task nearly every time, and the
    // three watchers below are then polled only when it is pending.
    let result = tokio::select! {
        biased;
        result = conn.as_mut() => result,
        _ = shutting_down(&mut shutdown) => {
            conn.as_mut().graceful_shutdown();
            conn.as_mut().await
        }
        // Closed for a newcomer while idle (admission), or idle too long: nothing in flight.
        _ = &mut ticket.evicted => {
            tracing::debug!(%client, "idle connection closed for a newer one");
            Ok(())
        }
        lapse = lapse(&ticket.track, config.header_timeout, config.idle_timeout) => {
            tracing::debug!(%client, ?lapse, "connection closed on a timeout");
            Ok(())
        }
    };
    drop(conn);
    if let Err(e) = result {
        tracing::debug!(%client, "connection ended: {e}");
        // A request HTTP parsing refused: answered, but its body may still be on the way.
        if e.is_parse()
            && let Ok(stream) = returned.await
        {
            stream::linger(stream, async {
                let _ = (&mut ticket.evicted).await;
            })
            .await;
        }
    }
}

#[cfg(test)]
mod tests;
