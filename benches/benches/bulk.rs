//! The bulk API: boots the daemon (`asa-bench-stack`) with a large startup configuration (and
//! then with a small one), then times `POST /api` carrying 1000 network-object creations, and
//! the bulk of 1000 deletions that removes them again, over one keep-alive HTTPS connection
//! (target: 100 ms or less for the 1000-entry bulk). Nothing is asserted beyond each bulk
//! answering 200.
//!
//! Knobs: `BULK_ROUNDS` (default 10), `BENCH_OBJECTS` (objects in the startup configuration,
//! default 20000); RUST_LOG is passed to the daemon (default `warn`).

use std::error::Error;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use benches::client::{Auth, Connection, tls_config};
use benches::stack::{Stack, StackOptions};
use benches::stats::{Latencies, millis};
use benches::{BENCH_OBJECTS, config_with_objects_and_admin};
use bytes::Bytes;
use hyper::{Method, StatusCode};
use rustls::ClientConfig;
use serde_json::{Value, json};

const ADMIN: &str = "admin";
const PASSWORD: &str = "Bench-Admin-Pw-7";
const STARTUP_LIMIT: Duration = Duration::from_secs(180);
const ENTRIES: usize = 1000;
const TARGET_MS: f64 = 100.0;
/// The small configuration: the cost of the bulk itself, with little for LINA to scan.
const SMALL_BASE: usize = 100;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bulk bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn env_usize(name: &str, default: usize) -> Result<usize, Box<dyn Error>> {
    match std::env::var(name) {
        Ok(v) => Ok(v.parse().map_err(|_| format!("{name}={v}: not a number"))?),
        Err(_) => Ok(default),
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let rounds = env_usize("BULK_ROUNDS", 10)?.max(1);
    let objects = env_usize("BENCH_OBJECTS", BENCH_OBJECTS)?;
    println!(
        "bulk bench: {ENTRIES}-entry bulks, {rounds} rounds, on {objects} and on {SMALL_BASE} objects loaded"
    );
    let mut rows = Vec::new();
    for base in [objects, SMALL_BASE] {
        let (create, delete) = bench_base(base, rounds)?;
        rows.push((format!("create-1000-objects (base {base})"), create));
        rows.push((format!("delete-1000-objects (base {base})"), delete));
    }
    println!();
    println!("| bulk | rounds | p50 ms | p90 ms | best ms | target |");
    println!("| --- | ---: | ---: | ---: | ---: | --- |");
    for (name, lat) in &mut rows {
        let q = |lat: &mut Latencies, p: f64| lat.quantile(p).map_or(f64::NAN, millis);
        println!(
            "| {name} | {} | {:.1} | {:.1} | {:.1} | <= {TARGET_MS} ms |",
            lat.len(),
            q(lat, 0.5),
            q(lat, 0.9),
            q(lat, 0.0),
        );
    }
    Ok(())
}

/// Boots a daemon with `objects` network objects and measures `rounds` bulk pairs on it.
fn bench_base(objects: usize, rounds: usize) -> Result<(Latencies, Latencies), Box<dyn Error>> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("asa-bulk-bench-{}-{stamp}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut stack = Stack::start(&StackOptions {
        program: PathBuf::from(env!("CARGO_BIN_EXE_asa-bench-stack")),
        dir: dir.clone(),
        admin_password: PASSWORD.to_owned(),
        startup_config: config_with_objects_and_admin(objects, ADMIN, PASSWORD),
        listen_timeout: STARTUP_LIMIT,
    })?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let outcome = rt.block_on(measure(stack.api_addr, tls_config()?, rounds));
    stack.stop(Duration::from_secs(5));
    match &outcome {
        Ok(_) => {
            let _ = std::fs::remove_dir_all(&dir);
        }
        Err(_) => eprintln!("daemon files kept in {}", dir.display()),
    }
    outcome
}

/// One connection: a token, then `rounds` create/delete bulk pairs, each timed alone.
async fn measure(
    addr: SocketAddr,
    tls: Arc<ClientConfig>,
    rounds: usize,
) -> Result<(Latencies, Latencies), Box<dyn Error>> {
    let auth = first_token(addr, tls.clone()).await?;
    let mut connection = Connection::open(addr, tls).await?;
    // One warm-up pair: the agent loads its snapshot on first use.
    let mut create = Latencies::default();
    let mut delete = Latencies::default();
    for round in 0..=rounds {
        let names: Vec<String> = (0..ENTRIES).map(|i| format!("bulk-{round}-{i}")).collect();
        let posts: Vec<Value> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                json!({
                    "method": "POST",
                    "resourceUri": "/api/objects/networkobjects",
                    "data": {
                        "kind": "object#NetworkObj",
                        "name": name,
                        "host": {"kind": "IPv4Address", "value": format!("172.{}.{}.{}", 16 + round % 16, i / 256, i % 256)},
                    },
                })
            })
            .collect();
        let deletes: Vec<Value> = names
            .iter()
            .map(|name| {
                json!({"method": "DELETE", "resourceUri": format!("/api/objects/networkobjects/{name}")})
            })
            .collect();
        for (ops, lat) in [(posts, &mut create), (deletes, &mut delete)] {
            let body = Bytes::from(serde_json::to_vec(&ops)?);
            let started = Instant::now();
            let reply = connection
                .request(Method::POST, "/api", &auth, Some(body))
                .await?;
            let took = started.elapsed();
            if reply.status != StatusCode::OK {
                return Err(format!(
                    "bulk answered {}: {}",
                    reply.status,
                    String::from_utf8_lossy(&reply.body)
                        .chars()
                        .take(500)
                        .collect::<String>()
                )
                .into());
            }
            if round > 0 {
                lat.push(took);
            }
        }
    }
    Ok((create, delete))
}

async fn first_token(addr: SocketAddr, tls: Arc<ClientConfig>) -> Result<Auth, Box<dyn Error>> {
    let deadline = Instant::now() + STARTUP_LIMIT;
    let basic = Auth::basic(ADMIN, PASSWORD);
    let mut last = String::from("no answer");
    while Instant::now() < deadline {
        match Connection::open(addr, tls.clone()).await {
            Ok(mut connection) => {
                let reply = connection
                    .request(Method::POST, "/api/tokenservices", &basic, None)
                    .await?;
                match (reply.status, reply.auth_token) {
                    (StatusCode::NO_CONTENT, Some(token)) => return Ok(Auth::Token(token)),
                    (status, _) => last = format!("{status}"),
                }
            }
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(format!("no token within {STARTUP_LIMIT:?}: last answer {last}").into())
}
