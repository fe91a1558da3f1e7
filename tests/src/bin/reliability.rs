//! The reliability run CI does (`.ci/run`): kill -9 storms and hostile connections against the
//! daemon on 127.0.0.1, with figures printed and a non-zero exit when a bound is broken.
//!
//! ```text
//! reliability [--agent PATH] [--saves N] [--agent-kills N] [--hostile N]
//! ```
//!
//! 1. `write memory` then kill -9 of the whole daemon (front-end, agent process, embedded
//!    LINA) right after the 200, N times: after each reboot the startup configuration must be
//!    whole and hold every object the acknowledged save covered (0 lost).
//! 2. `POST /api/backup` then kill -9 of the whole daemon right after the 200, N times: the
//!    backup file must be on disk and readable after the reboot.
//! 3. kill -9 of the agent process during a stream of writes, N times (paced so that the
//!    supervisor's crash-loop rule, five deaths within 5 s, is not what is being measured):
//!    every write acknowledged (201) must be in the running configuration afterwards.
//! 4. N hostile connections held open (a third silent TCP, a third slowloris sending a header
//!    byte now and then, a third TLS-connected and idle), then fresh clients: each must be
//!    answered within 1 s.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use tests::{Auth, Client, Stack, StackOptions};
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;

const NETWORK_OBJECTS: &str = "/api/objects/networkobjects";
/// A fresh client under hostile load must be answered within this.
const FRESH_CLIENT_BOUND: Duration = Duration::from_secs(1);

struct Args {
    agent: PathBuf,
    saves: usize,
    agent_kills: usize,
    hostile: usize,
}

fn args() -> Result<Args, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut parsed = Args {
        agent: exe.with_file_name("agent"),
        saves: 100,
        agent_kills: 20,
        hostile: 1000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag} {value}: not a number"))
        };
        match flag.as_str() {
            "--agent" => parsed.agent = PathBuf::from(&value),
            "--saves" => parsed.saves = number()?,
            "--agent-kills" => parsed.agent_kills = number()?,
            "--hostile" => parsed.hostile = number()?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(parsed)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("reliability: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(&args).await {
        Ok(()) => {
            println!("reliability: all bounds held");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("reliability: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<(), String> {
    let opts = StackOptions::new(&args.agent);
    let mut stack = Stack::start(opts).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    saves_survive_kill_9(&mut stack, args.saves).await?;
    println!("  ({:.1} s)", started.elapsed().as_secs_f64());
    let started = Instant::now();
    backups_survive_kill_9(&mut stack, args.saves).await?;
    println!("  ({:.1} s)", started.elapsed().as_secs_f64());
    let started = Instant::now();
    writes_survive_agent_kills(&mut stack, args.agent_kills).await?;
    println!("  ({:.1} s)", started.elapsed().as_secs_f64());
    let started = Instant::now();
    fresh_clients_under_hostile_connections(&stack, args.hostile).await?;
    println!("  ({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}

fn object(name: &str, i: usize) -> serde_json::Value {
    json!({
        "kind": "object#NetworkObj",
        "name": name,
        "host": {"kind": "IPv4Address", "value": format!("10.{}.{}.{}", 100 + i / 65536 % 100, i / 256 % 256, i % 256)},
    })
}

fn client(stack: &Stack) -> Result<Client, String> {
    stack.client().map_err(|e| e.to_string())
}

async fn create(c: &mut Client, admin: &Auth, name: &str, i: usize) -> Result<u16, String> {
    let r = c
        .post(NETWORK_OBJECTS, object(name, i), admin)
        .await
        .map_err(|e| e.to_string())?;
    Ok(r.code())
}

/// The startup configuration on disk, which must be whole: it ends with a newline, names the
/// host, and the daemon booted from it.
fn startup_config(stack: &Stack) -> Result<String, String> {
    let path = stack.state_dir().join("startup-config");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !text.ends_with('\n') || !text.contains("\nhostname ") && !text.starts_with("hostname ") {
        return Err(format!("startup-config is not whole:\n{text}"));
    }
    Ok(text)
}

async fn saves_survive_kill_9(stack: &mut Stack, tries: usize) -> Result<(), String> {
    let admin = stack.admin();
    let mut acknowledged = 0;
    let mut lost = Vec::new();
    let mut saved: Vec<String> = Vec::new();
    for i in 0..tries {
        let name = format!("rel-save-{i}");
        let mut c = client(stack)?;
        let code = create(&mut c, &admin, &name, i).await?;
        if code != 201 {
            return Err(format!("creating {name}: {code}"));
        }
        let r = c
            .post("/api/commands/writemem", json!({}), &admin)
            .await
            .map_err(|e| e.to_string())?;
        if r.code() != 200 {
            return Err(format!("write memory answered {}: {}", r.code(), r.text()));
        }
        acknowledged += 1;
        saved.push(name);
        stack.crash_and_restart().await.map_err(|e| e.to_string())?;
        // A missing startup-config loses every save; one that is there must be whole.
        let text = if stack.state_dir().join("startup-config").exists() {
            startup_config(stack)?
        } else {
            String::new()
        };
        // Every save so far covered its object and the ones before.
        for name in &saved {
            if !text.contains(&format!("object network {name}\n")) && !lost.contains(name) {
                lost.push(name.clone());
            }
        }
    }
    println!(
        "write memory + kill -9 of the daemon: {acknowledged} saves acknowledged, {} daemon kills, {} lost",
        acknowledged,
        lost.len()
    );
    if lost.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "acknowledged saves lost, the first: {:?}",
            lost.iter().take(10).collect::<Vec<_>>()
        ))
    }
}

async fn backups_survive_kill_9(stack: &mut Stack, tries: usize) -> Result<(), String> {
    let admin = stack.admin();
    let mut acknowledged = 0;
    let mut lost = Vec::new();
    for i in 0..tries {
        let file = format!("rel-{i}.bak");
        let mut c = client(stack)?;
        let r = c
            .post(
                "/api/backup",
                json!({"location": format!("disk0:/{file}")}),
                &admin,
            )
            .await
            .map_err(|e| e.to_string())?;
        if r.code() != 200 {
            return Err(format!("backup answered {}: {}", r.code(), r.text()));
        }
        acknowledged += 1;
        stack.crash_and_restart().await.map_err(|e| e.to_string())?;
        let path = stack.state_dir().join("disk0").join(&file);
        let readable = std::fs::read(&path)
            .ok()
            .is_some_and(|bytes| lina_sim::engine::backup_file::read(&bytes, None).is_ok());
        if !readable {
            lost.push(file);
        }
        startup_config(stack)?;
    }
    println!(
        "backup + kill -9 of the daemon: {acknowledged} backups acknowledged, {acknowledged} daemon kills, {} lost",
        lost.len()
    );
    if lost.is_empty() {
        Ok(())
    } else {
        Err(format!("acknowledged backups lost: {lost:?}"))
    }
}

async fn writes_survive_agent_kills(stack: &mut Stack, kills: usize) -> Result<(), String> {
    let admin = stack.admin();
    let stop = Arc::new(AtomicBool::new(false));
    let endpoint = stack.endpoint().map_err(|e| e.to_string())?;
    let writer = {
        let stop = stop.clone();
        let admin = admin.clone();
        tokio::spawn(async move {
            let mut acked = Vec::new();
            let mut refused = 0usize;
            let mut i = 0usize;
            let mut c = Client::new(endpoint.clone());
            while !stop.load(Ordering::Relaxed) {
                let name = format!("rel-w-{i}");
                match c.post(NETWORK_OBJECTS, object(&name, i), &admin).await {
                    Ok(r) if r.code() == 201 => acked.push(name),
                    // 503 while the agent restarts.
                    Ok(_) => {
                        refused += 1;
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                    // A connection cut by the kill: the write may or may not have applied.
                    Err(_) => {
                        refused += 1;
                        c = Client::new(endpoint.clone());
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
                i += 1;
            }
            (acked, refused)
        })
    };
    let mut killed = 0;
    for _ in 0..kills {
        // Paced: the crash-loop rule gives up after five deaths within 5 s.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        if stack.kill_agent().is_ok() {
            killed += 1;
        }
    }
    // Let the last restart settle, then stop writing.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    let (acked, refused) = writer.await.map_err(|e| e.to_string())?;
    let mut c = client(stack)?;
    let mut present = std::collections::HashSet::new();
    let mut offset = 0;
    loop {
        let r = c
            .get(
                &format!("{NETWORK_OBJECTS}?offset={offset}&limit=1000"),
                &admin,
            )
            .await
            .map_err(|e| e.to_string())?;
        if r.code() != 200 {
            return Err(format!("listing the objects: {} {}", r.code(), r.text()));
        }
        let body = r.json().map_err(|e| e.to_string())?;
        let items = body["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        offset += items.len();
        for item in items {
            if let Some(name) = item["name"].as_str() {
                present.insert(name.to_owned());
            }
        }
    }
    let lost: Vec<&String> = acked.iter().filter(|n| !present.contains(*n)).collect();
    println!(
        "writes during kill -9 of the agent process: {} acknowledged, {refused} refused or cut, {killed} agent kills, {} lost",
        acked.len(),
        lost.len()
    );
    if lost.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "acknowledged writes lost, the first: {:?}",
            lost.iter().take(10).collect::<Vec<_>>()
        ))
    }
}

async fn fresh_clients_under_hostile_connections(stack: &Stack, n: usize) -> Result<(), String> {
    let addr = stack.addresses().api;
    let endpoint = stack.endpoint().map_err(|e| e.to_string())?;
    let mut silent = Vec::new();
    let mut slow = Vec::new();
    let mut idle = Vec::new();
    for i in 0..n {
        match i % 3 {
            0 => {
                if let Ok(s) = TcpStream::connect(addr).await {
                    silent.push(s);
                }
            }
            1 => {
                if let Ok(mut s) = TcpStream::connect(addr).await {
                    // A TLS record header, never finished.
                    let _ = s.write_all(&[0x16, 0x03]).await;
                    slow.push(s);
                }
            }
            _ => {
                if let Ok(io) = endpoint.connect().await {
                    idle.push(io);
                }
            }
        }
    }
    let opened = silent.len() + slow.len() + idle.len();
    let admin = stack.admin();
    let mut worst = Duration::ZERO;
    let mut answered = 0;
    for round in 0..10 {
        // Keep the slowloris ones trickling.
        for s in &mut slow {
            let _ = s.write_all(&[0x01]).await;
        }
        let mut c = client(stack)?;
        let t = Instant::now();
        let r = tokio::time::timeout(Duration::from_secs(10), c.get(NETWORK_OBJECTS, &admin)).await;
        let took = t.elapsed();
        worst = worst.max(took);
        match r {
            Ok(Ok(r)) if r.code() == 200 => answered += 1,
            Ok(Ok(r)) => return Err(format!("fresh client {round} got {}", r.code())),
            Ok(Err(e)) => return Err(format!("fresh client {round}: {e}")),
            Err(_) => return Err(format!("fresh client {round}: no answer within 10 s")),
        }
    }
    println!(
        "hostile connections: {opened} opened ({} silent, {} slowloris, {} idle TLS); fresh clients answered: {answered}/10, slowest {} ms (bound {} ms)",
        silent.len(),
        slow.len(),
        idle.len(),
        worst.as_millis(),
        FRESH_CLIENT_BOUND.as_millis()
    );
    drop((silent, slow, idle));
    if worst <= FRESH_CLIENT_BOUND {
        Ok(())
    } else {
        Err(format!(
            "a fresh client waited {} ms under hostile connections",
            worst.as_millis()
        ))
    }
}
