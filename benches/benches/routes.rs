//! 10,000 static routes: the agent's snapshot parse of them, serialising a page of
//! `/api/routing/static` (offset 9,900, limit 100) as the agent does, and lina-sim inserting
//! and deleting a route (each a full `Exec` batch, with the nameif and duplicate checks).
//! Targets: a page at most 2 ms, an insert at most 20 ms. Small sample counts keep it short.

mod common;

use std::fmt::Write as _;
use std::hint::black_box;

use cli_translator::protocol::{Message, PROTOCOL_VERSION};
use cli_translator::resources::Resource;
use cli_translator::running::RunningConfig;
use common::{NOW, exec, small_group};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group};
use lina_sim::engine::{ConnState, Engine, EngineOptions, Now};

const ROUTES: usize = 10_000;

/// A configuration with two named interfaces and `routes` routes over them.
fn config_with_routes(routes: usize) -> String {
    let mut text = String::with_capacity(routes * 60);
    text.push_str(
        "hostname bench-fw\ninterface GigabitEthernet0/0\n nameif outside\n security-level 0\n\
         ip address 192.0.2.2 255.255.255.0\n!\ninterface GigabitEthernet0/1\n nameif inside\n\
         security-level 100\n ip address 10.0.0.1 255.255.255.0\n!\n",
    );
    for i in 0..routes {
        let (a, b) = (i / 250, i % 250);
        let nameif = if i % 2 == 0 { "outside" } else { "inside" };
        let gw = if i % 2 == 0 {
            "192.0.2.1"
        } else {
            "10.0.0.254"
        };
        let _ = writeln!(
            text,
            "route {nameif} 172.{}.{a}.{b} 255.255.255.255 {gw} {}",
            16 + a / 250,
            1 + i % 254
        );
    }
    text
}

fn snapshot(c: &mut Criterion) {
    let text = config_with_routes(ROUTES);
    let cfg = RunningConfig::parse(&text);
    if cfg.static_routes.len() != ROUTES {
        eprintln!(
            "warning: RunningConfig::parse listed {} routes, not {ROUTES}",
            cfg.static_routes.len()
        );
    }
    let mut group = small_group(c, "routes_snapshot");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("running_config_parse_10000_routes", |b| {
        b.iter(|| RunningConfig::parse(black_box(&text)))
    });
    group.finish();

    let mut group = small_group(c, "routes_page");
    group.bench_function("serialise_last_page_of_10000", |b| {
        b.iter(|| {
            let items: Vec<serde_json::Value> = cfg
                .static_routes
                .page(ROUTES - 100, 100)
                .map(|r| r.to_json(&format!("https://asa/api/routing/static/{}", r.id)))
                .collect();
            serde_json::to_vec(&serde_json::json!({"items": items})).unwrap_or_default()
        })
    });
    group.finish();
}

fn lina_sim(c: &mut Criterion) {
    let text = config_with_routes(ROUTES);
    let (mut engine, _) = Engine::boot(
        &text,
        &EngineOptions::default(),
        [7; 32],
        Now::from_secs(NOW),
    );
    let mut conn = ConnState::default();
    let hello = Message::Hello {
        version: PROTOCOL_VERSION,
        peer: "bench/1".to_owned(),
    };
    let _ = engine.handle(hello, &mut conn, Now::from_secs(NOW));
    let mut group = small_group(c, "routes_lina_sim");
    group.sampling_mode(SamplingMode::Flat);
    let add = "route outside 198.51.100.0 255.255.255.0 192.0.2.1 1".to_owned();
    let remove = format!("no {add}");
    if !exec(&mut engine, &mut conn, vec![add.clone()])
        || !exec(&mut engine, &mut conn, vec![remove.clone()])
    {
        eprintln!("warning: adding or removing the route was not applied");
    }
    group.bench_function("insert_into_10000", |b| {
        b.iter(|| {
            let added = exec(&mut engine, &mut conn, vec![add.clone()]);
            // Undo inside the loop: each sample inserts anew.
            let _ = exec(&mut engine, &mut conn, vec![remove.clone()]);
            added
        })
    });
    let middle = "route outside 172.16.20.0 255.255.255.255 192.0.2.1 1".to_owned();
    group.bench_function("delete_from_the_middle_of_10000", |b| {
        b.iter(|| {
            let removed = exec(&mut engine, &mut conn, vec![format!("no {middle}")]);
            let _ = exec(&mut engine, &mut conn, vec![middle.clone()]);
            removed
        })
    });
    group.finish();
}

criterion_group!(benches, snapshot, lina_sim);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
