//! One request through the front-end: URL canonicalisation, User-Agent policy, path scope,
//! body limit, agent availability, then forwarding and relaying the answer.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use bytes::Bytes;
use cli_translator::protocol::DebugCategory;
use http_body_util::BodyExt;
use hyper::body::{Body, Incoming};
use hyper::header::CONTENT_LENGTH;
use hyper::{Request, Response};
use tokio::sync::watch;
use tracing::Instrument;

use super::canonical::canonicalise;
use super::forward::{self, AgentClient, Origin, Scheme};
use super::rejection::{Rejection, ResponseBody, Unavailable};
use super::user_agent;
use crate::supervisor::{AgentState, ReadyAgent};

/// What every request handler shares.
#[derive(Debug)]
pub struct Shared {
    pub max_body: u64,
    pub user_agent_policy: bool,
    pub scheme: Scheme,
    pub local: SocketAddr,
    pub agent: watch::Receiver<AgentState>,
    pub client: AgentClient,
    /// Requests seen so far, to number them in logs.
    pub requests: AtomicU64,
    /// Health, CORS, metrics and the API log.
    pub ops: super::ops::Ops,
}

/// Answers request number `id`; every failure becomes an ASA error response. The request's
/// span names its number, client and method, never its path (`/api/tokenservices/<token>`) or
/// headers.
pub async fn handle(
    shared: Arc<Shared>,
    client: SocketAddr,
    id: u64,
    request: Request<Incoming>,
) -> Response<ResponseBody> {
    let span = tracing::info_span!("request", id, %client, method = %request.method());
    async move {
        match process(&shared, client, request).await {
            Ok(response) => {
                tracing::debug!(
                    status = response.status().as_u16(),
                    "answered by the agent process"
                );
                response
            }
            Err(rejection) => {
                tracing::info!(status = rejection.status().as_u16(), "{rejection}");
                rejection.into_response()
            }
        }
    }
    .instrument(span)
    .await
}

async fn process(
    shared: &Shared,
    client: SocketAddr,
    request: Request<Incoming>,
) -> Result<Response<ResponseBody>, Rejection> {
    let raw = request.uri().path_and_query().map_or("", |pq| pq.as_str());
    let head = canonicalise(raw)
        .map_err(Rejection::InvalidUrl)
        .and_then(|url| {
            if !user_agent::allowed(shared.user_agent_policy, request.headers()) {
                return Err(Rejection::UserAgentNotAllowed);
            }
            if !in_scope(&url.path) {
                return Err(Rejection::NotFound { path: url.path });
            }
            Ok(())
        });
    if let Err(rejection) = head {
        return Err(refused_unread(request, rejection));
    }
    let too_large = Rejection::PayloadTooLarge {
        limit: shared.max_body,
    };
    if declared_length(&request).is_some_and(|length| length > shared.max_body) {
        // A client that waits for `100 Continue` has sent nothing: it gets the 413 at once.
        let expects_continue = request
            .headers()
            .get(hyper::header::EXPECT)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
        if !expects_continue {
            tokio::spawn(discard(request.into_body(), 0));
        }
        return Err(too_large);
    }
    let ready = ready_agent(&shared.agent.borrow());
    let agent = match ready {
        Ok(agent) => agent,
        Err(rejection) => return Err(refused_unread(request, rejection)),
    };

    let (parts, body) = request.into_parts();
    let body = read_body(body, shared.max_body).await?;
    let origin = Origin {
        client,
        scheme: shared.scheme,
        local: shared.local,
    };
    let forwarded = forward::rewrite(parts, body, &agent, origin).map_err(|e| {
        tracing::warn!("{e}");
        Rejection::AgentUnavailable(Unavailable::Lost)
    })?;
    let method = forwarded.method().clone();
    match shared.client.request(forwarded).await {
        Ok(response) => {
            crate::debug::event(DebugCategory::Daemon, || {
                format!(
                    "{method} forwarded to the agent process at {}: {}",
                    agent.addr,
                    response.status().as_u16()
                )
            });
            Ok(forward::relay(response))
        }
        Err(e) => {
            crate::debug::error(DebugCategory::Daemon, || {
                format!(
                    "{method} to the agent process at {} failed: {e}",
                    agent.addr
                )
            });
            tracing::warn!("forwarding to the agent process failed: {e}");
            Err(Rejection::AgentUnavailable(Unavailable::Lost))
        }
    }
}

/// Only `/api` and `/doc` (and what is below them) reach the agent process.
fn in_scope(path: &str) -> bool {
    ["/api", "/doc"].iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// The body length the request announces: its `Content-Length`, or what hyper knows exactly.
fn declared_length(request: &Request<Incoming>) -> Option<u64> {
    request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse().ok())
        .or_else(|| request.body().size_hint().exact())
}

fn ready_agent(state: &AgentState) -> Result<ReadyAgent, Rejection> {
    let why = match state {
        AgentState::Ready(agent) => return Ok(agent.clone()),
        AgentState::Starting => Unavailable::Starting,
        AgentState::Restarting => Unavailable::Restarting,
        AgentState::GaveUp => Unavailable::GaveUp,
        AgentState::Disabled => Unavailable::Disabled,
        AgentState::Stopped => Unavailable::ShuttingDown,
    };
    Err(Rejection::AgentUnavailable(why))
}

/// Reads the whole body, at most `limit` bytes. Past the limit the rest is read and discarded
/// (bounded, [`discard`]) while the 413 goes out.
async fn read_body(mut body: Incoming, limit: u64) -> Result<Bytes, Rejection> {
    let cap = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut collected = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            tracing::debug!("request body unreadable: {e}");
            Rejection::BodyIncomplete
        })?;
        if let Ok(data) = frame.into_data() {
            if collected.len().saturating_add(data.len()) > cap {
                tokio::spawn(discard(body, collected.len().saturating_add(data.len())));
                return Err(Rejection::PayloadTooLarge { limit });
            }
            collected.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(collected))
}

/// Bytes of an oversized body read and thrown away after the 413 is sent, and for how long: a
/// client that sends its whole body before reading (Python's http.client, curl without
/// `Expect`) then finds the answer instead of a reset connection. The connection closes when
/// the body ends or past either bound.
pub const DISCARD_LIMIT: usize = 64 * 1024 * 1024;
pub const DISCARD_TIME: std::time::Duration = std::time::Duration::from_secs(10);
/// A client that stops sending its oversized body for this long is not waited for.
pub const DISCARD_PAUSE: std::time::Duration = std::time::Duration::from_secs(1);

/// A refusal decided before the body was read: the body is read and discarded beside the
/// answer (bounded, as for a 413), so that the connection is not closed on unread bytes. A
/// close with a large body still arriving resets the connection, and the client sees a reset
/// instead of the answer (schemathesis' `Network Error` on a 3 MB `PUT` to a URL with a
/// control character).
fn refused_unread(request: Request<Incoming>, rejection: Rejection) -> Rejection {
    tokio::spawn(discard(request.into_body(), 0));
    rejection
}

/// Reads and drops what is left of `body` (`already` bytes were read), within the bounds.
async fn discard(mut body: Incoming, already: usize) {
    let mut read = already;
    let drain = async {
        while read < DISCARD_LIMIT {
            match tokio::time::timeout(DISCARD_PAUSE, body.frame()).await {
                Ok(Some(Ok(frame))) => {
                    if let Some(data) = frame.data_ref() {
                        read = read.saturating_add(data.len());
                    }
                }
                Ok(Some(Err(_)) | None) | Err(_) => break,
            }
        }
    };
    let _ = tokio::time::timeout(DISCARD_TIME, drain).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_is_api_and_doc_only() {
        for path in [
            "/api",
            "/api/",
            "/api/objects/networkobjects",
            "/doc",
            "/doc/",
            "/doc/index.html",
        ] {
            assert!(in_scope(path), "{path}");
        }
        for path in ["/", "/apix", "/api2/x", "/docs", "/admin", "/x/api"] {
            assert!(!in_scope(path), "{path}");
        }
    }

    #[test]
    fn unavailable_states_say_why() {
        assert_eq!(
            ready_agent(&AgentState::Starting),
            Err(Rejection::AgentUnavailable(Unavailable::Starting))
        );
        assert_eq!(
            ready_agent(&AgentState::Restarting),
            Err(Rejection::AgentUnavailable(Unavailable::Restarting))
        );
        assert_eq!(
            ready_agent(&AgentState::GaveUp),
            Err(Rejection::AgentUnavailable(Unavailable::GaveUp))
        );
        assert_eq!(
            ready_agent(&AgentState::Disabled),
            Err(Rejection::AgentUnavailable(Unavailable::Disabled))
        );
        assert!(
            Rejection::AgentUnavailable(Unavailable::Disabled)
                .to_string()
                .contains("'rest-api agent'")
        );
        let agent = ReadyAgent::new("127.0.0.1:9".parse().unwrap(), "s".into());
        assert_eq!(ready_agent(&AgentState::Ready(agent.clone())), Ok(agent));
    }
}
