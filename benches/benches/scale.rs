//! Scale (issue 13): for each configuration size, boots the daemon (`asa-bench-stack`, release)
//! with a generated startup configuration of that size (`benches::scale_gen`) and prints one row:
//! start to the first 200 (a GET of one network object), resident memory of the daemon (which
//! embeds LINA) and of the agent process after boot, the extra time a one-line change made on the
//! operator console adds to the next GET (median of the GETs that follow a change, minus the
//! median of plain GETs), a bulk of 1000 network-object creations, sequential writes a second,
//! the DELETE of a network object that has an object NAT rule (its two blocks: median of
//! five), the POST and DELETE of an access rule, a static route and a twice NAT rule (median
//! of five each, POSTs and DELETEs together), and the memory again after 100 console changes and after the bulk. Then the idle figures: the
//! factory configuration (no startup configuration), first 200 and both processes' memory.
//! Nothing is asserted: the figures are for reading, beside the targets.
//!
//! Knobs: `SCALE_SIZES` (MB, comma-separated, default `1,20,100,200`), `SCALE_CHANGES` (console
//! changes timed, default 20), `SCALE_MEMORY_CHANGES` (console changes in all before the second
//! memory reading, default 100), `SCALE_WRITE_SECONDS` (default 3), `SCALE_BULK_ROUNDS` (default 3),
//! `SCALE_PHASES=1` (first time the boot's phases in this process: LINA's load, its print, the
//! agent's parse whole, in pieces and in pieces on two threads as the agent reads it; `only`:
//! nothing else), `SCALE_KEEP=1` (keep each size's directory: the
//! configuration and the daemon's log);
//! `RUST_LOG` for the daemon (default `warn`).

use std::error::Error;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use benches::client::{Auth, Connection, tls_config};
use benches::console::Console;
use benches::scale_gen::{scale_config, scale_nat_object_name, scale_object_name};
use benches::stack::{Stack, StackOptions, pss_kib, rss_kib};
use benches::stats::{Latencies, millis};
use bytes::Bytes;
use hyper::{Method, StatusCode};
use rustls::ClientConfig;
use serde_json::{Value, json};
use tokio::runtime::Runtime;

const ADMIN: &str = "admin";
const PASSWORD: &str = "Scale-Admin-Pw-7";
/// How long a daemon may take to serve its first 200 (a 200 MB boot before any fix included).
const STARTUP_LIMIT: Duration = Duration::from_secs(900);
/// Plain GETs whose median is the reference.
const PLAIN_GETS: usize = 50;
const BULK_ENTRIES: usize = 1000;
/// Objects with an object NAT rule deleted, one at a time.
const NAT_DELETES: usize = 5;
/// The other families written, each created then deleted `FAMILY_ROUNDS` times.
const FAMILY_WRITES: [(&str, &str); 3] = [
    ("access rule", "/api/access/in/inside/rules"),
    ("static route", "/api/routing/static"),
    ("twice NAT rule", "/api/nat/before"),
];
const FAMILY_ROUNDS: usize = 5;
const MIB: f64 = 1024.0 * 1024.0;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scale bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Knobs {
    sizes_mb: Vec<usize>,
    changes: usize,
    /// Console changes in all before the second memory reading (the timed ones included).
    memory_changes: usize,
    write_seconds: f64,
    bulk_rounds: usize,
    phases: bool,
    /// Time the phases only (`SCALE_PHASES=only`): no daemon.
    phases_only: bool,
    keep: bool,
}

fn knobs() -> Result<Knobs, Box<dyn Error>> {
    let var = |name: &str| std::env::var(name).ok();
    let sizes_mb = match var("SCALE_SIZES") {
        Some(list) => list
            .split(',')
            .map(|s| s.trim().parse::<usize>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| format!("SCALE_SIZES={list}: expected MB, comma-separated"))?,
        None => vec![1, 20, 100, 200],
    };
    let number = |name: &str, default: f64| -> Result<f64, Box<dyn Error>> {
        match var(name) {
            Some(v) => Ok(v.parse().map_err(|_| format!("{name}={v}: not a number"))?),
            None => Ok(default),
        }
    };
    Ok(Knobs {
        sizes_mb,
        changes: number("SCALE_CHANGES", 20.0)? as usize,
        memory_changes: number("SCALE_MEMORY_CHANGES", 100.0)? as usize,
        write_seconds: number("SCALE_WRITE_SECONDS", 3.0)?,
        bulk_rounds: (number("SCALE_BULK_ROUNDS", 3.0)? as usize).max(1),
        phases: var("SCALE_PHASES").is_some_and(|v| v == "1" || v == "only"),
        phases_only: var("SCALE_PHASES").is_some_and(|v| v == "only"),
        keep: var("SCALE_KEEP").is_some_and(|v| v == "1"),
    })
}

/// One size's figures.
struct Row {
    size_mb: usize,
    bytes: usize,
    first_200: Duration,
    boot: Memory,
    get_ms: f64,
    change_extra_ms: f64,
    after_changes: Memory,
    writes_per_s: f64,
    nat_delete_ms: f64,
    /// Access rule, static route, twice NAT rule.
    family_write_ms: [f64; 3],
    bulk_ms: f64,
    after_bulk: Memory,
}

/// Resident memory of the daemon and of the agent process, in bytes (and proportional: the
/// executable both run counted once).
#[derive(Clone, Copy)]
struct Memory {
    daemon: f64,
    agent: f64,
    pss: f64,
}

impl Memory {
    fn read(stack: &Stack) -> Result<Memory, Box<dyn Error>> {
        let agent_pid = stack.agent_pid()?;
        let daemon = rss_kib(stack.daemon_pid())? as f64 * 1024.0;
        let agent = rss_kib(agent_pid)? as f64 * 1024.0;
        let pss = (pss_kib(stack.daemon_pid())? + pss_kib(agent_pid)?) as f64 * 1024.0;
        Ok(Memory { daemon, agent, pss })
    }

    fn cell(self, size: usize) -> String {
        let size = size as f64;
        format!(
            "{:.0} / {:.0} ({:.2}x / {:.2}x)",
            self.daemon / MIB,
            self.agent / MIB,
            self.daemon / size,
            self.agent / size
        )
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let knobs = knobs()?;
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!(
        "scale bench: sizes {:?} MB, {} timed console changes, writes for {} s, {} bulk rounds; {cores} cores, load {}",
        knobs.sizes_mb,
        knobs.changes,
        knobs.write_seconds,
        knobs.bulk_rounds,
        load_average()
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let tls = tls_config()?;
    let mut rows = Vec::new();
    for &size_mb in &knobs.sizes_mb {
        let row = bench_size(&knobs, size_mb, &rt, &tls)?;
        print_header();
        print_row(&row);
        rows.push(row);
    }
    let idle = bench_idle(&rt, &tls)?;

    println!();
    println!("== scale (RSS in MiB: daemon / agent process, and each divided by the size)");
    print_header();
    for row in &rows {
        print_row(row);
    }
    println!();
    println!(
        "== idle (factory configuration): first 200 after {:.1} ms, RSS daemon + agent {:.1} + {:.1} = {:.1} MiB, PSS together {:.1} MiB (targets: 50 ms, 20 MiB)",
        millis(idle.0),
        idle.1.daemon / MIB,
        idle.1.agent / MIB,
        (idle.1.daemon + idle.1.agent) / MIB,
        idle.1.pss / MIB
    );
    println!("load average at the end: {}", load_average());
    Ok(())
}

fn print_header() {
    println!(
        "| size | bytes | start -> first 200 | RSS after boot | GET ms | console change: extra ms on next GET | bulk of 1000 ms | writes/s | DELETE of an object with NAT ms | access rule / route / NAT rule write ms | RSS after the console changes | RSS after bulk |"
    );
    println!("|---|---:|---:|---|---:|---:|---:|---:|---:|---|---|---|");
}

fn print_row(row: &Row) {
    println!(
        "| {} MB | {} | {:.2} s | {} | {:.2} | {:.1} | {:.0} | {:.0} | {:.2} | {:.1} / {:.1} / {:.1} | {} | {} |",
        row.size_mb,
        row.bytes,
        row.first_200.as_secs_f64(),
        row.boot.cell(row.bytes),
        row.get_ms,
        row.change_extra_ms,
        row.bulk_ms,
        row.writes_per_s,
        row.nat_delete_ms,
        row.family_write_ms[0],
        row.family_write_ms[1],
        row.family_write_ms[2],
        row.after_changes.cell(row.bytes),
        row.after_bulk.cell(row.bytes),
    );
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_owned())
}

fn scratch_dir(tag: &str) -> Result<PathBuf, Box<dyn Error>> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!(
        "asa-scale-bench-{tag}-{}-{stamp}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn start(config: String, dir: &std::path::Path) -> Result<Stack, Box<dyn Error>> {
    Ok(Stack::start(&StackOptions {
        program: PathBuf::from(env!("CARGO_BIN_EXE_asa-bench-stack")),
        dir: dir.to_path_buf(),
        admin_password: PASSWORD.to_owned(),
        startup_config: config,
        listen_timeout: STARTUP_LIMIT,
    })?)
}

fn bench_size(
    knobs: &Knobs,
    size_mb: usize,
    rt: &Runtime,
    tls: &Arc<ClientConfig>,
) -> Result<Row, Box<dyn Error>> {
    let config = scale_config(size_mb * 1_000_000, ADMIN, PASSWORD);
    let bytes = config.len();
    println!();
    println!(
        "-- {size_mb} MB: {bytes} bytes, {} lines",
        config.lines().count()
    );
    if knobs.phases {
        phases(&config);
    }
    if knobs.phases_only {
        return Err("SCALE_PHASES=only: no daemon started".into());
    }
    let dir = scratch_dir(&format!("{size_mb}mb"))?;
    let mut stack = start(config, &dir)?;
    let outcome = measure_size(knobs, &stack, rt, tls).map(|partial| Row {
        size_mb,
        bytes,
        ..partial
    });
    stack.stop(Duration::from_secs(10));
    match &outcome {
        Ok(_) if !knobs.keep => {
            let _ = std::fs::remove_dir_all(&dir);
        }
        _ => eprintln!("daemon files kept in {}", dir.display()),
    }
    outcome
}

/// The boot's phases, timed one by one in this process (release build, one core each).
fn phases(config: &str) {
    use cli_translator::running::{Parser, RunningConfig};
    use lina_sim::engine::{Engine, EngineOptions, Now};
    let started = Instant::now();
    let (mut engine, _) = Engine::boot(
        config,
        &EngineOptions::default(),
        [7; 32],
        Now::from_secs(0),
    );
    let boot = started.elapsed();
    let started = Instant::now();
    let shown = engine.shown_running_config();
    let show = started.elapsed();
    let started = Instant::now();
    let whole = RunningConfig::parse(&shown);
    let parse = started.elapsed();
    drop(whole);
    let started = Instant::now();
    let mut parser = Parser::new();
    for piece in
        cli_translator::protocol::stream::pieces(&shown, cli_translator::protocol::OUTPUT_CHUNK)
    {
        parser.feed(piece);
    }
    let in_pieces = parser.finish();
    let pieces = started.elapsed();
    drop(in_pieces);
    // issue 13: boot. As the agent reads it: the same pieces on two threads.
    let started = Instant::now();
    let [mut first, objects] = Parser::split();
    let split = std::thread::scope(|scope| {
        let (to_second, from_first) = std::sync::mpsc::channel::<&str>();
        let second = scope.spawn(move || {
            let mut objects = objects;
            for piece in from_first {
                objects.feed(piece);
            }
            objects
        });
        for piece in
            cli_translator::protocol::stream::pieces(&shown, cli_translator::protocol::OUTPUT_CHUNK)
        {
            let _ = to_second.send(piece);
            first.feed(piece);
        }
        drop(to_second);
        second
            .join()
            .ok()
            .map(|objects| Parser::join([first, objects]))
    });
    let split_took = started.elapsed();
    drop(split);
    // Each thread's share alone, one after the other: how evenly the two threads divide it.
    let mut alone = [Duration::ZERO; 2];
    let parts = Parser::split();
    let mut done = Vec::new();
    for (took, mut part) in alone.iter_mut().zip(parts) {
        let started = Instant::now();
        for piece in
            cli_translator::protocol::stream::pieces(&shown, cli_translator::protocol::OUTPUT_CHUNK)
        {
            part.feed(piece);
        }
        *took = started.elapsed();
        done.push(part);
    }
    let started = Instant::now();
    let joined = <[Parser; 2]>::try_from(done).ok().map(Parser::join);
    let join = started.elapsed();
    println!(
        "phases: Engine::boot (load, first print) {:.0} ms, show running-config (printed before) {:.0} ms, RunningConfig::parse {:.0} ms, in 1 MiB pieces {:.0} ms, in pieces on two threads {:.0} ms ({} network objects; alone: the network objects' part {:.0} ms, the rest {:.0} ms, joined in {:.0} ms)",
        millis(boot),
        millis(show),
        millis(parse),
        millis(pieces),
        millis(split_took),
        joined.map_or(0, |c| c.network_objects.len()),
        millis(alone[0]),
        millis(alone[1]),
        millis(join),
    );
}

fn measure_size(
    knobs: &Knobs,
    stack: &Stack,
    rt: &Runtime,
    tls: &Arc<ClientConfig>,
) -> Result<Row, Box<dyn Error>> {
    let object = format!("/api/objects/networkobjects/{}", scale_object_name(0));
    let first_200 = rt.block_on(first_200(stack, tls.clone(), &object))?;
    println!("first 200 after {:.2} s", first_200.as_secs_f64());
    let boot = Memory::read(stack)?;
    println!(
        "RSS after boot: daemon {:.0} MiB, agent {:.0} MiB",
        boot.daemon / MIB,
        boot.agent / MIB
    );

    let console_addr = stack
        .console_addr
        .ok_or("the daemon announced no console")?;
    let mut console = Console::login_config(console_addr, ADMIN, PASSWORD)?;
    let (auth, mut connection) = rt.block_on(token_connection(stack.api_addr, tls.clone()))?;

    // Plain GETs: the reference.
    let mut plain = Latencies::default();
    for _ in 0..PLAIN_GETS {
        plain.push(rt.block_on(timed_get(&mut connection, &auth, &object))?);
    }
    let get_ms = plain.quantile(0.5).map_or(f64::NAN, millis);

    // Console changes, each followed at once by one GET.
    let mut after_change = Latencies::default();
    for k in 0..knobs.memory_changes.max(knobs.changes) {
        let line = format!(
            "route inside 12.{}.{}.{} 255.255.255.255 10.255.0.254 1",
            (k >> 16) & 0xff,
            (k >> 8) & 0xff,
            k & 0xff
        );
        let (output, _) = console.command(&line)?;
        if output.contains("ERROR") || output.contains('%') {
            return Err(format!("console refused {line:?}: {output}").into());
        }
        let took = rt.block_on(timed_get(&mut connection, &auth, &object))?;
        if k < knobs.changes {
            after_change.push(took);
        }
    }
    let change_extra_ms = after_change.quantile(0.5).map_or(f64::NAN, millis) - get_ms;
    println!(
        "GET median {get_ms:.2} ms; after a console change {:.2} ms (p90 {:.2} ms)",
        get_ms + change_extra_ms,
        after_change.quantile(0.9).map_or(f64::NAN, millis)
    );
    // Let the agent settle any work the last change started before reading memory.
    rt.block_on(timed_get(&mut connection, &auth, &object))?;
    let after_changes = Memory::read(stack)?;

    let writes_per_s = rt.block_on(sequential_writes(
        &mut connection,
        &auth,
        Duration::from_secs_f64(knobs.write_seconds),
    ))?;
    println!("sequential writes: {writes_per_s:.0}/s");

    let mut nat_deletes = Latencies::default();
    for u in 0..NAT_DELETES {
        let path = format!("/api/objects/networkobjects/{}", scale_nat_object_name(u));
        nat_deletes.push(rt.block_on(timed(
            &mut connection,
            &auth,
            Method::DELETE,
            &path,
            StatusCode::NO_CONTENT,
        ))?);
    }
    let nat_delete_ms = nat_deletes.quantile(0.5).map_or(f64::NAN, millis);
    println!(
        "DELETE of an object with NAT: median {nat_delete_ms:.2} ms, worst {:.2} ms",
        nat_deletes.quantile(1.0).map_or(f64::NAN, millis)
    );

    let mut family_write_ms = [f64::NAN; 3];
    for (i, (what, path)) in FAMILY_WRITES.iter().enumerate() {
        let mut took = Latencies::default();
        for k in 0..FAMILY_ROUNDS {
            let (post, delete) = rt.block_on(post_then_delete(
                &mut connection,
                &auth,
                path,
                family_body(i, k),
            ))?;
            took.push(post);
            took.push(delete);
        }
        family_write_ms[i] = took.quantile(0.5).map_or(f64::NAN, millis);
        println!(
            "{what}: POST and DELETE median {:.2} ms, worst {:.2} ms",
            family_write_ms[i],
            took.quantile(1.0).map_or(f64::NAN, millis)
        );
    }

    let mut bulk = Latencies::default();
    for round in 0..knobs.bulk_rounds {
        let last = round + 1 == knobs.bulk_rounds;
        bulk.push(rt.block_on(bulk_round(&mut connection, &auth, round, !last))?);
    }
    let bulk_ms = bulk.quantile(0.5).map_or(f64::NAN, millis);
    println!(
        "bulk of {BULK_ENTRIES} creations: median {bulk_ms:.0} ms, best {:.0} ms",
        bulk.quantile(0.0).map_or(f64::NAN, millis)
    );
    let after_bulk = Memory::read(stack)?;
    drop(console);
    Ok(Row {
        size_mb: 0,
        bytes: 0,
        first_200,
        boot,
        get_ms,
        change_extra_ms,
        after_changes,
        writes_per_s,
        nat_delete_ms,
        family_write_ms,
        bulk_ms,
        after_bulk,
    })
}

/// From the spawn to the first 200 answered to `path` (Basic credentials), polling.
async fn first_200(
    stack: &Stack,
    tls: Arc<ClientConfig>,
    path: &str,
) -> Result<Duration, Box<dyn Error>> {
    let basic = Auth::basic(ADMIN, PASSWORD);
    let deadline = stack.started + STARTUP_LIMIT;
    let mut last = String::from("no answer");
    while Instant::now() < deadline {
        match Connection::open(stack.api_addr, tls.clone()).await {
            Ok(mut connection) => match connection.request(Method::GET, path, &basic, None).await {
                Ok(reply) if reply.status == StatusCode::OK => {
                    return Ok(stack.started.elapsed());
                }
                Ok(reply) => last = reply.status.to_string(),
                Err(e) => last = e.to_string(),
            },
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Err(format!("no 200 within {STARTUP_LIMIT:?}: last answer {last}").into())
}

async fn token_connection(
    addr: SocketAddr,
    tls: Arc<ClientConfig>,
) -> Result<(Auth, Connection), Box<dyn Error>> {
    let mut connection = Connection::open(addr, tls).await?;
    let reply = connection
        .request(
            Method::POST,
            "/api/tokenservices",
            &Auth::basic(ADMIN, PASSWORD),
            None,
        )
        .await?;
    match (reply.status, reply.auth_token) {
        (StatusCode::NO_CONTENT, Some(token)) => Ok((Auth::Token(token), connection)),
        (status, _) => Err(format!("token service answered {status}").into()),
    }
}

async fn timed_get(
    connection: &mut Connection,
    auth: &Auth,
    path: &str,
) -> Result<Duration, Box<dyn Error>> {
    timed(connection, auth, Method::GET, path, StatusCode::OK).await
}

/// One request, timed, that must answer `expected`.
async fn timed(
    connection: &mut Connection,
    auth: &Auth,
    method: Method,
    path: &str,
    expected: StatusCode,
) -> Result<Duration, Box<dyn Error>> {
    let started = Instant::now();
    let reply = connection.request(method.clone(), path, auth, None).await?;
    let took = started.elapsed();
    if reply.status != expected {
        return Err(format!("{method} {path} answered {}", reply.status).into());
    }
    Ok(took)
}

/// The `k`th body of the `i`th of [`FAMILY_WRITES`] (each new: no duplicate refused).
fn family_body(i: usize, k: usize) -> Value {
    match i {
        0 => json!({
            "sourceAddress": {"kind": "AnyIPAddress", "value": "any"},
            "destinationAddress": {"kind": "IPv4Address", "value": format!("192.0.2.{}", k + 1)},
            "sourceService": {"kind": "NetworkProtocol", "value": "tcp"},
            "destinationService": {"kind": "TcpUdpService", "value": format!("tcp/{}", 8000 + k)},
            "permit": true,
        }),
        1 => json!({
            "kind": "object#IPv4Route",
            "interface": {"kind": "objectRef#Interface", "name": "inside"},
            "network": {"kind": "IPv4Network", "value": format!("192.0.{}.0/24", 100 + k)},
            "gateway": {"kind": "IPv4Address", "value": "10.255.0.9"},
            "distanceMetric": 1,
            "tracked": false,
            "tunneled": false,
        }),
        _ => json!({
            "mode": "static",
            "originalInterface": {"kind": "objectRef#Interface", "name": "inside"},
            "translatedInterface": {"kind": "objectRef#Interface", "name": "outside"},
            "originalSource": {"kind": "objectRef#NetworkObj", "objectId": scale_object_name(k)},
            "translatedSource": {"kind": "objectRef#NetworkObj", "objectId": scale_object_name(k + 1)},
        }),
    }
}

/// POST of `body` to `path` (201), then DELETE of what it created (204): both timed.
async fn post_then_delete(
    connection: &mut Connection,
    auth: &Auth,
    path: &str,
    body: Value,
) -> Result<(Duration, Duration), Box<dyn Error>> {
    let started = Instant::now();
    let reply = connection
        .request(
            Method::POST,
            path,
            auth,
            Some(Bytes::from(serde_json::to_vec(&body)?)),
        )
        .await?;
    let post = started.elapsed();
    if reply.status != StatusCode::CREATED {
        let text = String::from_utf8_lossy(&reply.body).into_owned();
        return Err(format!("POST {path} answered {}: {text}", reply.status).into());
    }
    let created = reply
        .location
        .ok_or_else(|| format!("POST {path} gave no Location"))?;
    let delete = timed(
        connection,
        auth,
        Method::DELETE,
        &created,
        StatusCode::NO_CONTENT,
    )
    .await?;
    Ok((post, delete))
}

/// POST then DELETE of one network object, over and over for `period`: writes (each POST and
/// each DELETE counts once) a second.
async fn sequential_writes(
    connection: &mut Connection,
    auth: &Auth,
    period: Duration,
) -> Result<f64, Box<dyn Error>> {
    let started = Instant::now();
    let mut writes = 0u64;
    let mut k = 0usize;
    while started.elapsed() < period {
        let name = format!("seq-{k}");
        let body = json!({
            "kind": "object#NetworkObj",
            "name": name,
            "host": {"kind": "IPv4Address", "value": format!("192.168.{}.{}", (k >> 8) & 0xff, k & 0xff)},
        });
        let reply = connection
            .request(
                Method::POST,
                "/api/objects/networkobjects",
                auth,
                Some(Bytes::from(serde_json::to_vec(&body)?)),
            )
            .await?;
        if reply.status != StatusCode::CREATED {
            return Err(format!("POST answered {}", reply.status).into());
        }
        let reply = connection
            .request(
                Method::DELETE,
                &format!("/api/objects/networkobjects/{name}"),
                auth,
                None,
            )
            .await?;
        if reply.status != StatusCode::NO_CONTENT {
            return Err(format!("DELETE answered {}", reply.status).into());
        }
        writes += 2;
        k += 1;
    }
    Ok(writes as f64 / started.elapsed().as_secs_f64())
}

/// One bulk of creations (timed), then, when `remove`, the bulk deleting them again (untimed).
async fn bulk_round(
    connection: &mut Connection,
    auth: &Auth,
    round: usize,
    remove: bool,
) -> Result<Duration, Box<dyn Error>> {
    let names: Vec<String> = (0..BULK_ENTRIES)
        .map(|i| format!("bulk-{round}-{i}"))
        .collect();
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
                    "host": {"kind": "IPv4Address", "value": format!("192.0.{}.{}", 100 + round % 100, i % 256)},
                },
            })
        })
        .collect();
    let started = Instant::now();
    let reply = connection
        .request(
            Method::POST,
            "/api",
            auth,
            Some(Bytes::from(serde_json::to_vec(&posts)?)),
        )
        .await?;
    let took = started.elapsed();
    check_bulk(&reply)?;
    if remove {
        let deletes: Vec<Value> = names
            .iter()
            .map(|name| json!({"method": "DELETE", "resourceUri": format!("/api/objects/networkobjects/{name}")}))
            .collect();
        let reply = connection
            .request(
                Method::POST,
                "/api",
                auth,
                Some(Bytes::from(serde_json::to_vec(&deletes)?)),
            )
            .await?;
        check_bulk(&reply)?;
    }
    Ok(took)
}

fn check_bulk(reply: &benches::client::Reply) -> Result<(), Box<dyn Error>> {
    if reply.status == StatusCode::OK {
        return Ok(());
    }
    Err(format!(
        "bulk answered {}: {}",
        reply.status,
        String::from_utf8_lossy(&reply.body)
            .chars()
            .take(300)
            .collect::<String>()
    )
    .into())
}

/// The factory configuration: first 200 (the network-object list) and both processes' RSS.
fn bench_idle(rt: &Runtime, tls: &Arc<ClientConfig>) -> Result<(Duration, Memory), Box<dyn Error>> {
    let dir = scratch_dir("idle")?;
    let mut stack = start(String::new(), &dir)?;
    let outcome = rt
        .block_on(first_200(
            &stack,
            tls.clone(),
            "/api/objects/networkobjects",
        ))
        .and_then(|first| {
            // The processes settle (allocator, lazy tables) in the first moments.
            std::thread::sleep(Duration::from_millis(500));
            Ok((first, Memory::read(&stack)?))
        });
    stack.stop(Duration::from_secs(10));
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}
