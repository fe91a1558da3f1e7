//! The closed-loop load generator: N keep-alive connections, each sending one iteration after
//! another for a warm-up and then a measured period, recording every measured iteration's latency.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::{Method, StatusCode};
use rustls::ClientConfig;
use tokio::task::JoinSet;

use crate::client::{Auth, ClientError, Connection};
use crate::object_name;
use crate::stats::Latencies;

/// What one iteration of a connection's loop does.
#[derive(Debug, Clone)]
pub enum Workload {
    /// `GET /api/objects/networkobjects/<name>`, walking through the first `objects` generated
    /// objects (each connection starts at its own place).
    GetOne { objects: usize },
    /// `GET /api/objects/networkobjects?offset=K&limit=100`, K walking through `objects`.
    GetPage { objects: usize },
    /// `POST` a new network object, then `DELETE` it: the pair is one iteration. Names are
    /// `bench-<tag>-c<connection>-<iteration>`, distinct per run, client and iteration.
    PostDelete { tag: String },
    /// `GET <path>` (for the baseline, which answers every path alike).
    Fixed { path: String },
}

const COLLECTION: &str = "/api/objects/networkobjects";

impl Workload {
    /// Runs iteration `iteration` of connection `client`; `Ok(false)` when a status was not the
    /// expected one (counted as an error, the loop goes on).
    async fn iterate(
        &self,
        connection: &mut Connection,
        auth: &Auth,
        client: usize,
        iteration: usize,
    ) -> Result<bool, ClientError> {
        match self {
            Workload::GetOne { objects } => {
                let i = (client * 7919 + iteration * 31) % (*objects).max(1);
                let path = format!("{COLLECTION}/{}", object_name(i));
                let reply = connection.request(Method::GET, &path, auth, None).await?;
                Ok(reply.status == StatusCode::OK)
            }
            Workload::GetPage { objects } => {
                let pages = (objects / 100).max(1);
                let offset = ((client * 13 + iteration) % pages) * 100;
                let path = format!("{COLLECTION}?offset={offset}&limit=100");
                let reply = connection.request(Method::GET, &path, auth, None).await?;
                Ok(reply.status == StatusCode::OK)
            }
            Workload::PostDelete { tag } => {
                let name = format!("bench-{tag}-c{client}-{iteration}");
                let body = serde_json::json!({
                    "kind": "object#NetworkObj",
                    "name": name,
                    "host": {
                        "kind": "IPv4Address",
                        "value": format!("198.51.100.{}", iteration % 250 + 1),
                    },
                });
                let created = connection
                    .request(
                        Method::POST,
                        COLLECTION,
                        auth,
                        Some(Bytes::from(body.to_string())),
                    )
                    .await?;
                let deleted = connection
                    .request(Method::DELETE, &format!("{COLLECTION}/{name}"), auth, None)
                    .await?;
                Ok(created.status == StatusCode::CREATED
                    && deleted.status == StatusCode::NO_CONTENT)
            }
            Workload::Fixed { path } => {
                let reply = connection.request(Method::GET, path, auth, None).await?;
                Ok(reply.status == StatusCode::OK)
            }
        }
    }
}

/// Why a run could not take place.
#[derive(Debug)]
pub enum LoadError {
    /// A connection could not be opened before the run started.
    Open(ClientError),
    /// A connection task panicked or was cancelled.
    Task(tokio::task::JoinError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Open(e) => write!(f, "opening a connection: {e}"),
            LoadError::Task(e) => write!(f, "a connection task failed: {e}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// How long to run and how wide.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub connections: usize,
    pub warm_up: Duration,
    pub measure: Duration,
}

/// What one scenario measured.
#[derive(Debug, Default)]
pub struct Measurement {
    /// Latency of every measured iteration that got its expected statuses.
    pub latencies: Latencies,
    /// Measured iterations with an unexpected status or a broken connection.
    pub errors: usize,
    /// The measured period actually observed (at least `Shape::measure`).
    pub elapsed: Duration,
}

impl Measurement {
    /// Successful iterations per second of the measured period.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.latencies.len() as f64 / secs
        } else {
            0.0
        }
    }
}

/// Opens `shape.connections` connections, then runs `workload` on each for the warm-up and the
/// measured period. A connection that breaks is reopened (and the failure counted as an error).
pub async fn run(
    addr: SocketAddr,
    tls: Arc<ClientConfig>,
    workload: Arc<Workload>,
    auth: Arc<Auth>,
    shape: Shape,
) -> Result<Measurement, LoadError> {
    let mut opening = JoinSet::new();
    for _ in 0..shape.connections {
        let tls = tls.clone();
        opening.spawn(async move { Connection::open(addr, tls).await });
    }
    let mut connections = Vec::with_capacity(shape.connections);
    while let Some(opened) = opening.join_next().await {
        let connection = opened.map_err(LoadError::Task)?;
        connections.push(connection.map_err(LoadError::Open)?);
    }

    let start = Instant::now();
    let measure_from = start + shape.warm_up;
    let end = measure_from + shape.measure;
    let mut loops = JoinSet::new();
    for (client, connection) in connections.into_iter().enumerate() {
        let (tls, workload, auth) = (tls.clone(), workload.clone(), auth.clone());
        loops.spawn(async move {
            client_loop(
                addr,
                tls,
                connection,
                &workload,
                &auth,
                client,
                measure_from,
                end,
            )
            .await
        });
    }
    let mut total = Measurement::default();
    while let Some(done) = loops.join_next().await {
        let one = done.map_err(LoadError::Task)?;
        total.latencies.extend(one.latencies);
        total.errors += one.errors;
    }
    total.elapsed = Instant::now()
        .saturating_duration_since(measure_from)
        .max(shape.measure);
    Ok(total)
}

#[allow(clippy::too_many_arguments)] // One call site; a struct would only rename these.
async fn client_loop(
    addr: SocketAddr,
    tls: Arc<ClientConfig>,
    mut connection: Connection,
    workload: &Workload,
    auth: &Auth,
    client: usize,
    measure_from: Instant,
    end: Instant,
) -> Measurement {
    let mut out = Measurement::default();
    let mut iteration = 0usize;
    loop {
        let started = Instant::now();
        if started >= end {
            break;
        }
        let result = workload
            .iterate(&mut connection, auth, client, iteration)
            .await;
        let took = started.elapsed();
        let measured = started >= measure_from;
        iteration += 1;
        match result {
            Ok(true) if measured => out.latencies.push(took),
            Ok(true) => {}
            Ok(false) => {
                if measured {
                    out.errors += 1;
                }
            }
            Err(_) => {
                if measured {
                    out.errors += 1;
                }
                // The connection is gone: open another, or give up if the server is gone too.
                match Connection::open(addr, tls.clone()).await {
                    Ok(fresh) => connection = fresh,
                    Err(_) => break,
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::tls_config;
    use crate::minimal::{json_body_of_len, start};

    fn short(connections: usize) -> Shape {
        Shape {
            connections,
            warm_up: Duration::from_millis(50),
            measure: Duration::from_millis(200),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_connection_records_latencies_against_the_baseline() {
        let server = start("127.0.0.1:0".parse().expect("addr"), json_body_of_len(200))
            .await
            .expect("start");
        let workload = Arc::new(Workload::Fixed { path: "/x".into() });
        let mut measured = run(
            server.addr,
            tls_config().expect("tls"),
            workload,
            Arc::new(Auth::None),
            short(3),
        )
        .await
        .expect("run");
        assert_eq!(measured.errors, 0);
        assert!(!measured.latencies.is_empty());
        assert!(measured.elapsed >= Duration::from_millis(200));
        assert!(measured.rate() > 0.0);
        assert!(measured.latencies.quantile(0.5) <= measured.latencies.quantile(0.99));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn unexpected_statuses_count_as_errors_not_samples() {
        // The baseline answers 200 to the POST and to the DELETE: neither is what a create or a
        // delete must answer, so every measured iteration is an error.
        let server = start("127.0.0.1:0".parse().expect("addr"), json_body_of_len(100))
            .await
            .expect("start");
        let workload = Arc::new(Workload::PostDelete { tag: "t".into() });
        let measured = run(
            server.addr,
            tls_config().expect("tls"),
            workload,
            Arc::new(Auth::None),
            short(2),
        )
        .await
        .expect("run");
        assert!(measured.errors > 0);
        assert!(measured.latencies.is_empty());
    }

    #[tokio::test]
    async fn a_server_that_is_not_there_fails_the_run() {
        // Bind and drop a listener to find a port nobody listens on.
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port");
        let result = run(
            addr,
            tls_config().expect("tls"),
            Arc::new(Workload::Fixed { path: "/".into() }),
            Arc::new(Auth::None),
            short(1),
        )
        .await;
        assert!(matches!(
            result,
            Err(LoadError::Open(ClientError::Connect(_)))
        ));
    }
}
