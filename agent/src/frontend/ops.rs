//! The operations layer around every request of the front-end: `/healthz`, CORS, the request
//! line (request id, client, user, method, route template, status, duration; never a path,
//! header or body), the request metrics and the API log's request errors (342011); also the
//! API log's connection failures (342010) and the `/metrics` listener.

use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use syslog::Message;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::cors::{self, Cors, Verdict};
use super::forward::{self, AgentClient};
use super::handler::{self, Shared};
use super::health;
use super::rejection::{ResponseBody, full};
use crate::api::audit::USER_HEADER;
use crate::metrics::{self, DaemonMetrics};
use crate::supervisor::{AgentState, LogSink};

/// API log: a client connection that failed before a request (TLS handshake).
pub const CONNECTION_FAILED: u32 = 342010;
/// API log: a request answered with an error status.
pub const REQUEST_FAILED: u32 = 342011;

/// What the operations layer needs; the default does nothing beyond the request line.
#[derive(Clone, Default)]
pub struct Ops {
    pub cors: Cors,
    pub metrics: Option<Arc<DaemonMetrics>>,
    /// Where the API log's `%ASA` messages go (LINA's syslog).
    pub api_log: Option<Arc<dyn LogSink>>,
}

impl fmt::Debug for Ops {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ops")
            .field("cors", &self.cors)
            .field("metrics", &self.metrics.is_some())
            .field("api_log", &self.api_log.is_some())
            .finish()
    }
}

impl Ops {
    fn log(&self, id: u32, args: &[&str]) {
        if let (Some(sink), Some(message)) = (&self.api_log, Message::from_catalogue(id, args)) {
            sink.log(message);
        }
    }

    /// API log 342010: a client connection failed before its first request.
    pub fn connection_failed(&self, client: SocketAddr, reason: &str) {
        let (ip, port) = (client.ip().to_string(), client.port().to_string());
        self.log(CONNECTION_FAILED, &[&ip, &port, reason]);
    }
}

/// Answers one request through the operations layer and the front-end's handler.
pub async fn handle(
    shared: Arc<Shared>,
    client: SocketAddr,
    request: Request<Incoming>,
) -> Response<ResponseBody> {
    let started = Instant::now();
    let id = shared.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let method = request.method().clone();
    // The route template costs a catalogue lookup: taken only when a log line, the metrics or
    // the API log (below, for errors) will use it.
    let wants_route = shared.ops.metrics.is_some() || tracing::enabled!(tracing::Level::INFO);
    // A clone of the URI shares its bytes: the path is copied only if a route is wanted.
    let uri = request.uri().clone();
    let path = uri.path();
    let mut route = wants_route.then(|| metrics::route_template(path));
    let verdict = shared.ops.cors.check(&method, request.headers());
    let mut response = if health::is_health(request.uri().path()) {
        let agent = shared.agent.borrow().clone();
        health::answer(&method, &agent, &shared.client).await
    } else if let Verdict::Preflight(headers) = &verdict {
        let mut response = Response::new(full(""));
        *response.status_mut() = cors::PREFLIGHT_STATUS;
        response.headers_mut().extend(headers.clone());
        response
    } else {
        // Not boxed, as the agent's pipeline: a box past glibc's per-thread cache costs more
        // per request than moving the forwarding future.
        handler::handle(shared.clone(), client, id, request).await
    };
    let user = response
        .headers_mut()
        .remove(USER_HEADER)
        .and_then(|v| v.to_str().ok().map(str::to_owned));
    if let Verdict::Actual(headers) = verdict {
        response.headers_mut().extend(headers);
    }
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    let user = user.as_deref().unwrap_or("-");
    if route.is_none() && status >= 400 {
        route = Some(metrics::route_template(path));
    }
    let route = route.unwrap_or_default();
    tracing::info!(
        request_id = id,
        client = %client,
        user,
        method = %method,
        route = %route,
        status,
        duration_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    if let Some(metrics) = &shared.ops.metrics {
        metrics.request(&method, &route, status, elapsed);
    }
    if status >= 400 {
        let (ip, status) = (client.ip().to_string(), status.to_string());
        shared.ops.log(
            REQUEST_FAILED,
            &[&ip, user, method.as_str(), &route, &status],
        );
    }
    response
}

/// Serves `GET /metrics` in plain HTTP on `listener` until `shutdown` turns true: the daemon's
/// families and, fetched over the channel, the agent process's.
pub async fn serve_metrics(
    listener: TcpListener,
    metrics: Arc<DaemonMetrics>,
    agent: watch::Receiver<AgentState>,
    mut shutdown: watch::Receiver<bool>,
) {
    let client = forward::agent_client();
    loop {
        let accepted = tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => break,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        };
        let (metrics, agent, client) = (metrics.clone(), agent.clone(), client.clone());
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                let (metrics, agent, client) = (metrics.clone(), agent.clone(), client.clone());
                async move { Ok::<_, Infallible>(scrape(&request, &metrics, &agent, &client).await) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn scrape(
    request: &Request<Incoming>,
    metrics: &DaemonMetrics,
    agent: &watch::Receiver<AgentState>,
    client: &AgentClient,
) -> Response<ResponseBody> {
    if request.uri().path() != "/metrics" || request.method() != Method::GET {
        let mut response = Response::new(full(""));
        *response.status_mut() = StatusCode::NOT_FOUND;
        return response;
    }
    let ready = match &*agent.borrow() {
        AgentState::Ready(ready) => Some(ready.clone()),
        _ => None,
    };
    let worker = match ready {
        Some(ready) => health::get_internal(&ready, client, crate::api::internal::METRICS)
            .await
            .filter(|(status, _)| *status == StatusCode::OK)
            .and_then(|(_, body)| String::from_utf8(body.to_vec()).ok()),
        None => None,
    };
    let mut response = Response::new(full(metrics.render(worker.as_deref())));
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static(metrics::CONTENT_TYPE),
    );
    response
}
