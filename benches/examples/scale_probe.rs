//! A quick probe of writes and memory on a generated configuration of a given size (issue 13,
//! items 3 and 4), until the scale benchmark lands: boots the daemon with a configuration
//! mixing network objects, groups, service objects, ACEs over 4 ACLs, routes and twice NAT,
//! then prints RSS after boot, the times of 1000-entry create bulks, sequential writes per
//! second, and RSS after.
//!
//! `cargo run --release -p benches --example scale_probe -- <MB> [rounds] [seconds] [own]`

use std::error::Error;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use benches::client::{Auth, Connection, tls_config};
use benches::stack::{Stack, StackOptions, rss_kib};
use bytes::Bytes;
use hyper::{Method, StatusCode};
use serde_json::{Value, json};

const ADMIN: &str = "admin";
const PASSWORD: &str = "Bench-Admin-Pw-7";

fn generate(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str(
        "ASA Version 9.16(4) \n!\nhostname scale-fw\n\
         interface GigabitEthernet0/0\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0 \n!\n\
         interface GigabitEthernet0/1\n nameif inside\n security-level 100\n ip address 10.255.0.1 255.255.255.0 \n!\n",
    );
    // Sections are written in the ASA's order: size each from the unit count.
    let unit = 147;
    let n = bytes / unit;
    for i in 0..n {
        let _ = writeln!(
            out,
            "object network o{i}\n host 10.{}.{}.{}",
            (i >> 16) & 0xff,
            (i >> 8) & 0xff,
            i & 0xff
        );
    }
    for i in (0..n).step_by(10) {
        let _ = writeln!(
            out,
            "object service s{i}\n service tcp destination eq {}",
            1 + i % 60000
        );
    }
    for g in (0..n).step_by(40) {
        let _ = writeln!(out, "object-group network g{g}");
        for k in 0..4 {
            let _ = writeln!(out, " network-object object o{}", g + k);
        }
    }
    for i in 0..n {
        let _ = writeln!(
            out,
            "access-list acl{} extended permit tcp object o{i} any eq {}",
            i % 4,
            1 + i % 60000
        );
    }
    out.push_str("pager lines 24\nmtu outside 1500\nmtu inside 1500\n");
    for i in (0..n).step_by(4) {
        let _ = writeln!(
            out,
            "nat (inside,outside) source static o{i} o{}",
            (i + 1) % n.max(1)
        );
    }
    out.push_str("access-group acl0 in interface outside\naccess-group acl1 in interface inside\n");
    for i in 0..n / 2 {
        let _ = writeln!(
            out,
            "route outside 172.{}.{}.{} 255.255.255.255 203.0.113.1 1",
            16 + ((i >> 16) & 0x0f),
            (i >> 8) & 0xff,
            i & 0xff
        );
    }
    let _ = writeln!(
        out,
        "http server enable\nhttp 0.0.0.0 0.0.0.0 inside\nusername {ADMIN} password {PASSWORD} privilege 15"
    );
    out
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let mb: f64 = args.next().as_deref().unwrap_or("1").parse()?;
    let rounds: usize = args.next().as_deref().unwrap_or("5").parse()?;
    let seconds: u64 = args.next().as_deref().unwrap_or("5").parse()?;
    let bytes = (mb * 1_000_000.0) as usize;
    // `own`: the probe's first generator (before/after figures of issue 13's items 3 and 4
    // were taken with it); by default the benches' scale generator.
    let config = match args.next().as_deref() {
        Some("own") => generate(bytes),
        _ => benches::scale_gen::scale_config(bytes, ADMIN, PASSWORD),
    };
    println!(
        "configuration: {} bytes, {} lines",
        config.len(),
        config.lines().count()
    );
    let t = Instant::now();
    let parsed = cli_translator::running::RunningConfig::parse(&config);
    println!(
        "agent parse: {:.0} ms ({} network objects)",
        t.elapsed().as_secs_f64() * 1000.0,
        parsed.network_objects.len()
    );
    drop(parsed);
    let dir = std::env::temp_dir().join(format!("scale-probe-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let started = Instant::now();
    let mut stack = Stack::start(&StackOptions {
        program: std::env::current_exe()?
            .parent()
            .and_then(|examples| examples.parent())
            .map(|dir| dir.join("asa-bench-stack"))
            .ok_or("no target directory")?,
        dir: dir.clone(),
        admin_password: PASSWORD.to_owned(),
        startup_config: config.clone(),
        listen_timeout: Duration::from_secs(600),
    })?;
    let tls = tls_config()?;
    let basic = Auth::basic(ADMIN, PASSWORD);
    let auth = loop {
        if let Ok(mut c) = Connection::open(stack.api_addr, tls.clone()).await {
            let r = c
                .request(Method::POST, "/api/tokenservices", &basic, None)
                .await?;
            if let (StatusCode::NO_CONTENT, Some(t)) = (r.status, r.auth_token) {
                break Auth::Token(t);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let mut conn = Connection::open(stack.api_addr, tls.clone()).await?;
    let r = conn
        .request(
            Method::GET,
            "/api/objects/networkobjects?limit=1",
            &auth,
            None,
        )
        .await?;
    println!(
        "first 200 after {:.2} s ({})",
        started.elapsed().as_secs_f64(),
        r.status
    );
    let rss = |stack: &Stack| -> String {
        let d = rss_kib(stack.daemon_pid()).unwrap_or(0) / 1024;
        let a = stack.agent_pid().and_then(rss_kib).unwrap_or(0) / 1024;
        format!("daemon {d} MiB, agent {a} MiB")
    };
    println!("RSS after boot: {}", rss(&stack));
    let mut creates = Vec::new();
    let mut deletes = Vec::new();
    for round in 0..=rounds {
        let names: Vec<String> = (0..1000).map(|i| format!("bulk-{round}-{i}")).collect();
        let posts: Vec<Value> = names
            .iter()
            .enumerate()
            .map(|(i, name)| json!({"method": "POST", "resourceUri": "/api/objects/networkobjects",
                "data": {"kind": "object#NetworkObj", "name": name,
                         "host": {"kind": "IPv4Address", "value": format!("172.31.{}.{}", i / 256, i % 256)}}}))
            .collect();
        let dels: Vec<Value> = names
            .iter()
            .map(|n| json!({"method": "DELETE", "resourceUri": format!("/api/objects/networkobjects/{n}")}))
            .collect();
        for (ops, out) in [(posts, &mut creates), (dels, &mut deletes)] {
            let body = Bytes::from(serde_json::to_vec(&ops)?);
            let t = Instant::now();
            let r = conn
                .request(Method::POST, "/api", &auth, Some(body))
                .await?;
            let took = t.elapsed().as_secs_f64() * 1000.0;
            if r.status != StatusCode::OK {
                return Err(format!("bulk {}", r.status).into());
            }
            if round > 0 {
                out.push(took);
            }
        }
    }
    let med = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    println!(
        "bulk 1000 create p50 {:.1} ms (all {:?}), delete p50 {:.1} ms",
        med(&mut creates.clone()),
        creates.iter().map(|x| x.round()).collect::<Vec<_>>(),
        med(&mut deletes)
    );
    println!("RSS after bulks: {}", rss(&stack));
    // Sequential writes: create one object, then delete it (two writes), for `seconds`.
    let t = Instant::now();
    let mut writes = 0u64;
    let mut i = 0u64;
    while t.elapsed() < Duration::from_secs(seconds) {
        let name = format!("seq-{i}");
        let body = json!({"kind": "object#NetworkObj", "name": name,
            "host": {"kind": "IPv4Address", "value": "172.30.0.1"}});
        let r = conn
            .request(
                Method::POST,
                "/api/objects/networkobjects",
                &auth,
                Some(Bytes::from(serde_json::to_vec(&body)?)),
            )
            .await?;
        if r.status != StatusCode::CREATED {
            return Err(format!("post {}", r.status).into());
        }
        let r = conn
            .request(
                Method::DELETE,
                &format!("/api/objects/networkobjects/{name}"),
                &auth,
                None,
            )
            .await?;
        if r.status != StatusCode::NO_CONTENT {
            return Err(format!("delete {}", r.status).into());
        }
        writes += 2;
        i += 1;
    }
    println!(
        "sequential writes: {:.0}/s",
        writes as f64 / t.elapsed().as_secs_f64()
    );
    println!("RSS after writes: {}", rss(&stack));
    stack.stop(Duration::from_secs(5));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
