//! 10,000 twice NAT rules: the agent's snapshot parse of them, serialising the last page
//! (offset 9,900, limit 100) as the agent does, and lina-sim inserting a rule at position 1 and
//! deleting one from the middle (each a full `Exec` batch). Targets: a page at most 2 ms, an
//! insert at most 20 ms. Small sample counts keep the run short.

mod common;

use std::fmt::Write as _;
use std::hint::black_box;

use cli_translator::nat::Section;
use cli_translator::nat::json::to_json;
use cli_translator::protocol::{Message, PROTOCOL_VERSION};
use cli_translator::running::RunningConfig;
use common::{NOW, exec, small_group};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group};
use lina_sim::engine::{ConnState, Engine, EngineOptions, Now};

const RULES: usize = 10_000;
/// Objects per side: every (real, mapped) pair is one rule.
const OBJECTS: usize = 100;

/// Two interfaces, 100 objects and 10,000 distinct section-1 rules, plus one object NAT rule
/// and one `after-auto` rule.
fn config_with_nat(rules: usize) -> String {
    let mut text = String::with_capacity(rules * 70);
    text.push_str(
        "hostname bench-fw\ninterface GigabitEthernet0/0\n nameif outside\n security-level 0\n!\n\
         interface GigabitEthernet0/1\n nameif inside\n security-level 100\n!\n",
    );
    for i in 0..OBJECTS {
        let _ = writeln!(
            text,
            "object network obj-{i}\n host 10.9.{}.{}",
            i / 250,
            i % 250
        );
    }
    text.push_str("object network spare\n host 192.0.2.1\npager lines 24\nmtu outside 1500\n");
    for i in 0..rules {
        let _ = writeln!(
            text,
            "nat (inside,outside) source static obj-{} obj-{}",
            i / OBJECTS % OBJECTS,
            i % OBJECTS
        );
    }
    text.push_str("object network spare\n nat (inside,outside) dynamic interface\n");
    text.push_str("nat (inside,outside) after-auto source dynamic any interface\n");
    text
}

fn snapshot(c: &mut Criterion) {
    let text = config_with_nat(RULES);
    let cfg = RunningConfig::parse(&text);
    let listed = cfg.nat.before.len();
    if listed != RULES || !cfg.nat.unmodelled.is_empty() {
        eprintln!("warning: RunningConfig::parse listed {listed} rules, not {RULES}");
    }
    let mut group = small_group(c, "nat_snapshot");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("running_config_parse_10000_rules", |b| {
        b.iter(|| RunningConfig::parse(black_box(&text)))
    });
    group.finish();

    let mut group = small_group(c, "nat_page");
    let link = |p: &str, id: &str| format!("https://asa{p}/{id}");
    group.bench_function("serialise_last_page_of_10000", |b| {
        b.iter(|| {
            let items: Vec<serde_json::Value> = cfg
                .nat
                .before
                .get(RULES - 100..RULES)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(k, e)| {
                    let self_link = format!("https://asa/api/nat/before/{}", e.id);
                    to_json(&cfg, Section::Before, e, RULES - 99 + k, &self_link, &link)
                })
                .collect();
            serde_json::to_vec(&serde_json::json!({"items": items})).unwrap_or_default()
        })
    });
    group.finish();
}

fn lina_sim(c: &mut Criterion) {
    let text = config_with_nat(RULES);
    let options = EngineOptions::default();
    let (mut engine, _) = Engine::boot(&text, &options, [7; 32], Now::from_secs(NOW));
    let mut conn = ConnState::default();
    let hello = Message::Hello {
        version: PROTOCOL_VERSION,
        peer: "bench/1".to_owned(),
    };
    let _ = engine.handle(hello, &mut conn, Now::from_secs(NOW));
    let mut group = small_group(c, "nat_lina_sim");
    group.sampling_mode(SamplingMode::Flat);
    let top = "nat (inside,outside) 1 source static spare spare destination static obj-1 obj-1"
        .to_owned();
    let no_top = "no nat (inside,outside) source static spare spare destination static obj-1 obj-1"
        .to_owned();
    if !exec(&mut engine, &mut conn, vec![top.clone()])
        || !exec(&mut engine, &mut conn, vec![no_top.clone()])
    {
        eprintln!("warning: the insert at line 1 or its removal was not applied");
    }
    group.bench_function("insert_at_position_1_of_10000", |b| {
        b.iter(|| {
            let added = exec(&mut engine, &mut conn, vec![top.clone()]);
            // Undo inside the loop: each sample inserts anew.
            let _ = exec(&mut engine, &mut conn, vec![no_top.clone()]);
            added
        })
    });
    // Rule 5,001 (1-based) is obj-50 -> obj-0.
    let middle = "nat (inside,outside) source static obj-50 obj-0";
    let add_back = "nat (inside,outside) 5001 source static obj-50 obj-0".to_owned();
    group.bench_function("delete_from_the_middle_of_10000", |b| {
        b.iter(|| {
            let removed = exec(&mut engine, &mut conn, vec![format!("no {middle}")]);
            let _ = exec(&mut engine, &mut conn, vec![add_back.clone()]);
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
