//! End-to-end request rates and latencies: boots the daemon (`asa-bench-stack`) on 127.0.0.1 with
//! a 20,000-object startup configuration, drives it over keep-alive HTTPS connections, then drives
//! a minimal hyper + rustls server the same way, and prints one summary table plus the parse and
//! memory figures (`*_after_load`: once a token exists and one object has been read, so the agent
//! holds its snapshot; `*_after_run`: after every scenario). Nothing is asserted: the figures are for reading (targets are printed beside them).
//!
//! Knobs: BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_CONNECTIONS, BENCH_OBJECTS (see
//! `benches::settings`); RUST_LOG is passed to the daemon (default `warn`).

use std::error::Error;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use benches::client::{Auth, Connection, tls_config};
use benches::load::{self, Shape, Workload};
use benches::report::{self, Figure, Row};
use benches::settings::Settings;
use benches::stack::{Stack, StackOptions, peak_rss_kib, rss_kib};
use benches::stats::millis;
use benches::{config_with_objects_and_admin, minimal, object_name};
use cli_translator::running::RunningConfig;
use hyper::{Method, StatusCode};
use rustls::ClientConfig;
use tokio::runtime::Runtime;

const ADMIN: &str = "admin";
const PASSWORD: &str = "Bench-Admin-Pw-7";
/// How long the daemon may take to listen, and then to serve its first request.
const STARTUP_LIMIT: Duration = Duration::from_secs(180);
const RATIO_TARGET: f64 = 0.25;
const RSS_TARGET_MB: f64 = 40.0;
/// Monitoring requests a second (the best connection count of each monitoring scenario).
const MONITORING_TARGET: f64 = 1000.0;
/// A monitoring request answered from LINA's `show version`, and one from the agent alone.
const MONITORING_VERSION: &str = "/api/monitoring/device/components/version";
const MONITORING_STATISTICS: &str = "/api/monitoring/apistatistics";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("e2e bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let settings = Settings::from_env()?;
    println!(
        "e2e bench: {} objects, {:?} measured + {:?} warm-up per scenario, connections {:?}",
        settings.objects, settings.measure, settings.warm_up, settings.connections
    );
    let config = config_with_objects_and_admin(settings.objects, ADMIN, PASSWORD);
    let mut figures = vec![
        Figure {
            name: "config_size".into(),
            value: config.len() as f64 / 1024.0,
            unit: "KiB",
            target: None,
        },
        parse_figure(&config, settings.objects),
    ];

    let client_runtime = runtime("bench-client")?;
    let tls = tls_config()?;
    let dir = scratch_dir()?;
    let outcome = bench_agent(
        &settings,
        &config,
        &dir,
        &client_runtime,
        &tls,
        &mut figures,
    );
    if outcome.is_ok() {
        // Keep the daemon's log when something went wrong, for reading.
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("daemon files kept in {}", dir.display());
    }
    let (mut rows, body_len) = outcome?;

    let baseline = bench_baseline(&settings, body_len, &client_runtime, &tls)?;
    for row in &mut rows {
        row.ratio = baseline
            .iter()
            .find(|b| b.connections == row.connections)
            .filter(|b| b.rate > 0.0)
            .map(|b| row.rate / b.rate);
    }
    rows.extend(baseline);

    println!();
    println!("== summary (req/s counts successful iterations; a POST+DELETE pair is one)");
    print!("{}", report::table(&rows));
    println!();
    print!("{}", report::figures(&figures));
    println!();
    print_targets(&rows, &figures);
    Ok(())
}

/// Times `RunningConfig::parse` of the configuration (best of a few runs, in release).
fn parse_figure(config: &str, objects: usize) -> Figure {
    let mut best = Duration::MAX;
    let mut parsed = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let running = RunningConfig::parse(config);
        best = best.min(started.elapsed());
        parsed = running.network_objects.len();
    }
    if parsed != objects {
        eprintln!("warning: RunningConfig::parse listed {parsed} network objects, not {objects}");
    }
    Figure {
        name: format!("parse_{objects}_objects"),
        value: millis(best),
        unit: "ms",
        target: Some("<= 30 ms for 20000".into()),
    }
}

fn runtime(name: &str) -> Result<Runtime, std::io::Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
}

fn scratch_dir() -> Result<PathBuf, std::io::Error> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("asa-bench-{}-{stamp}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Boots the daemon, runs every agent scenario, reads memory; returns the rows and the size of
/// the GET-one-object body (for the baseline).
fn bench_agent(
    settings: &Settings,
    config: &str,
    dir: &std::path::Path,
    rt: &Runtime,
    tls: &Arc<ClientConfig>,
    figures: &mut Vec<Figure>,
) -> Result<(Vec<Row>, usize), Box<dyn Error>> {
    let spawned = Instant::now();
    let mut stack = Stack::start(&StackOptions {
        program: PathBuf::from(env!("CARGO_BIN_EXE_asa-bench-stack")),
        dir: dir.to_path_buf(),
        admin_password: PASSWORD.to_owned(),
        startup_config: config.to_owned(),
        listen_timeout: STARTUP_LIMIT,
    })?;
    let addr = stack.api_addr;
    println!(
        "daemon listening on {addr} after {:?}",
        stack.time_to_listen
    );

    let token = rt.block_on(first_token(addr, tls.clone()))?;
    let ready_after = spawned.elapsed();
    println!("agent serving after {ready_after:?} (first token created)");
    figures.push(Figure {
        name: "time_to_first_token".into(),
        value: millis(ready_after),
        unit: "ms",
        target: None,
    });

    // The first GET of an object may be the one that makes the agent load its snapshot.
    let probe_started = Instant::now();
    let body_len = rt.block_on(probe_get_one(addr, tls.clone(), &token))?;
    figures.push(Figure {
        name: "first_get_one".into(),
        value: millis(probe_started.elapsed()),
        unit: "ms",
        target: None,
    });
    memory_figures(&stack, "after_load", figures)?;

    let basic = Arc::new(Auth::basic(ADMIN, PASSWORD));
    let token = Arc::new(Auth::Token(token));
    let objects = settings.objects;
    let pids = [stack.daemon_pid(), stack.agent_pid()?];
    let mut rows = Vec::new();
    for (run, &connections) in settings.connections.iter().enumerate() {
        let shape = Shape {
            connections,
            warm_up: settings.warm_up,
            measure: settings.measure,
        };
        let scenarios = [
            ("get-one-token", Workload::GetOne { objects }, &token),
            ("get-page100-token", Workload::GetPage { objects }, &token),
            (
                "post-delete-token",
                Workload::PostDelete {
                    tag: format!("r{run}"),
                },
                &token,
            ),
            ("get-one-basic", Workload::GetOne { objects }, &basic),
            (
                "monitoring-version-token",
                Workload::Fixed {
                    path: MONITORING_VERSION.to_owned(),
                },
                &token,
            ),
            (
                "monitoring-apistats-token",
                Workload::Fixed {
                    path: MONITORING_STATISTICS.to_owned(),
                },
                &token,
            ),
        ];
        for (name, workload, auth) in scenarios {
            if !settings.runs(name) {
                continue;
            }
            let row = scenario(rt, &pids, addr, tls, name, workload, auth.clone(), shape)?;
            rows.push(row);
        }
    }
    memory_figures(&stack, "after_run", figures)?;
    let peak = peak_rss_kib(stack.agent_pid()?)?;
    figures.push(Figure {
        name: "agent_peak_rss".into(),
        value: peak as f64 / 1024.0,
        unit: "MB",
        target: None,
    });
    stack.stop(Duration::from_secs(10));
    Ok((rows, body_len))
}

fn memory_figures(
    stack: &Stack,
    when: &str,
    figures: &mut Vec<Figure>,
) -> Result<(), Box<dyn Error>> {
    let agent = rss_kib(stack.agent_pid()?)?;
    let daemon = rss_kib(stack.daemon_pid())?;
    figures.push(Figure {
        name: format!("agent_rss_{when}"),
        value: agent as f64 / 1024.0,
        unit: "MB",
        target: Some(format!("<= {RSS_TARGET_MB} MB")),
    });
    figures.push(Figure {
        name: format!("daemon_rss_{when}"),
        value: daemon as f64 / 1024.0,
        unit: "MB",
        target: None,
    });
    Ok(())
}

/// The CPU time `pids` have used together, if every one can be read.
fn cpu_of(pids: &[u32]) -> Option<Duration> {
    pids.iter()
        .map(|&pid| benches::stack::cpu_time(pid).ok())
        .sum()
}

/// Runs one scenario and prints its line as soon as it is done; `pids` are the server-side
/// processes whose CPU time is counted (none for the in-process baseline).
#[allow(clippy::too_many_arguments)] // Two call sites; a struct would only rename these.
fn scenario(
    rt: &Runtime,
    pids: &[u32],
    addr: SocketAddr,
    tls: &Arc<ClientConfig>,
    name: &str,
    workload: Workload,
    auth: Arc<Auth>,
    shape: Shape,
) -> Result<Row, Box<dyn Error>> {
    // The server side's CPU time over the measured period: sampled when the warm-up ends (on
    // a thread of its own, the load runs on `rt`) and again when the run is over.
    let at_start = {
        let pids = pids.to_vec();
        let warm_up = shape.warm_up;
        std::thread::spawn(move || {
            std::thread::sleep(warm_up);
            cpu_of(&pids)
        })
    };
    let mut measured = rt.block_on(load::run(
        addr,
        tls.clone(),
        Arc::new(workload),
        auth,
        shape,
    ))?;
    let at_end = cpu_of(pids);
    let at_start = at_start.join().ok().flatten();
    let iterations = measured.latencies.len();
    let cpu_us = match (at_start, at_end) {
        (Some(start), Some(end)) if iterations > 0 && !pids.is_empty() => {
            Some(end.saturating_sub(start).as_secs_f64() * 1e6 / iterations as f64)
        }
        _ => None,
    };
    let row = Row {
        scenario: name.to_owned(),
        connections: shape.connections,
        rate: measured.rate(),
        p50_ms: measured.latencies.quantile(0.50).map(millis),
        p99_ms: measured.latencies.quantile(0.99).map(millis),
        ratio: None,
        errors: measured.errors,
        cpu_us,
    };
    println!("{}", report::progress(&row));
    Ok(row)
}

/// Creates the token the runs use, retrying while the agent process is still loading (503).
async fn first_token(addr: SocketAddr, tls: Arc<ClientConfig>) -> Result<String, Box<dyn Error>> {
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
                    (StatusCode::NO_CONTENT, Some(token)) => return Ok(token),
                    (StatusCode::SERVICE_UNAVAILABLE, _) => {
                        last = "503 (agent not ready)".into();
                    }
                    (status, _) => {
                        return Err(format!(
                            "POST /api/tokenservices answered {status}: {}",
                            String::from_utf8_lossy(&reply.body)
                        )
                        .into());
                    }
                }
            }
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(format!("no token within {STARTUP_LIMIT:?}: last answer {last}").into())
}

/// GETs one object once: checks the answer and returns the body's size.
async fn probe_get_one(
    addr: SocketAddr,
    tls: Arc<ClientConfig>,
    token: &str,
) -> Result<usize, Box<dyn Error>> {
    let mut connection = Connection::open(addr, tls).await?;
    let path = format!("/api/objects/networkobjects/{}", object_name(1));
    let reply = connection
        .request(Method::GET, &path, &Auth::Token(token.to_owned()), None)
        .await?;
    if reply.status != StatusCode::OK {
        return Err(format!(
            "GET {path} answered {}: {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        )
        .into());
    }
    println!(
        "GET {path}: {} bytes: {}",
        reply.body.len(),
        String::from_utf8_lossy(&reply.body)
    );
    Ok(reply.body.len())
}

/// The baseline server on a runtime of its own (two workers, like the daemon), driven by the
/// same client loop.
fn bench_baseline(
    settings: &Settings,
    body_len: usize,
    rt: &Runtime,
    tls: &Arc<ClientConfig>,
) -> Result<Vec<Row>, Box<dyn Error>> {
    let server_runtime = runtime("bench-baseline")?;
    let server = server_runtime.block_on(minimal::start(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        minimal::json_body_of_len(body_len),
    ))?;
    println!(
        "baseline listening on {} ({body_len}-byte body)",
        server.addr
    );
    let path = format!("/api/objects/networkobjects/{}", object_name(1));
    let mut rows = Vec::new();
    for &connections in settings
        .connections
        .iter()
        .filter(|_| settings.runs("baseline-get"))
    {
        let shape = Shape {
            connections,
            warm_up: settings.warm_up,
            measure: settings.measure,
        };
        let workload = Workload::Fixed { path: path.clone() };
        rows.push(scenario(
            rt,
            &[],
            server.addr,
            tls,
            "baseline-get",
            workload,
            Arc::new(Auth::None),
            shape,
        )?);
    }
    server.stop();
    server_runtime.shutdown_timeout(Duration::from_secs(2));
    Ok(rows)
}

fn print_targets(rows: &[Row], figures: &[Figure]) {
    println!("== targets (informative, not asserted)");
    match rows
        .iter()
        .find(|r| r.scenario == "get-one-token" && r.connections == 32)
        .and_then(|r| r.ratio)
    {
        Some(ratio) => println!(
            "get-one-token at 32 connections: ratio {ratio:.3} (target >= {RATIO_TARGET}): {}",
            verdict(ratio >= RATIO_TARGET)
        ),
        None => println!("get-one-token at 32 connections: not measured"),
    }
    for name in ["monitoring-version-token", "monitoring-apistats-token"] {
        let best = rows
            .iter()
            .filter(|r| r.scenario == name)
            .map(|r| r.rate)
            .fold(None, |best: Option<f64>, r| {
                Some(best.map_or(r, |b| b.max(r)))
            });
        match best {
            Some(rate) => println!(
                "{name}: {rate:.0} req/s at best (target >= {MONITORING_TARGET}): {}",
                verdict(rate >= MONITORING_TARGET)
            ),
            None => println!("{name}: not measured"),
        }
    }
    if let Some(rss) = figures.iter().find(|f| f.name == "agent_rss_after_load") {
        println!(
            "agent RSS after load: {:.1} MB (target <= {RSS_TARGET_MB} MB): {}",
            rss.value,
            verdict(rss.value <= RSS_TARGET_MB)
        );
    }
    if let Some(parse) = figures.iter().find(|f| f.name == "parse_20000_objects") {
        println!(
            "parse of 20000 objects: {:.1} ms (target <= 30 ms): {}",
            parse.value,
            verdict(parse.value <= 30.0)
        );
    }
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}
