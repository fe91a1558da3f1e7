//! A 50,000-entry access list: the agent's snapshot parse of it, lina-sim inserting an entry
//! at position 1 and deleting one from the middle (each a full `Exec` batch), and serialising
//! the last page (offset 49,900, limit 100) as the agent does. Targets: a page well under
//! 2 ms, an insert at most 20 ms. Small sample counts keep the run short.
//!
//! Also: a 20,000-member network object group (snapshot parse, GET serialisation, lina-sim adding
//! and removing a member), and the memory the agent's snapshot and lina-sim hold for 12,500,
//! 25,000 and 50,000 rules, counted by a global allocator wrapper, to show it grows linearly.
#![allow(
    unsafe_code,
    reason = "the counting global allocator must implement GlobalAlloc"
)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use cli_translator::acl::json::to_json;
use cli_translator::protocol::{Message, PROTOCOL_VERSION};
use cli_translator::resources::Resource;
use cli_translator::running::RunningConfig;
use common::{NOW, exec, small_group};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group};
use lina_sim::engine::{ConnState, Engine, EngineOptions, Now};

/// Counts the bytes currently allocated, so the memory figures are exact.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const GROUP_MEMBERS: usize = 20_000;
const ENTRIES: usize = 50_000;
const ACL: &str = "big_access_in";

/// A configuration with one interface, the list and its access group.
fn config_with_acl(entries: usize) -> String {
    let mut text = String::with_capacity(entries * 80);
    text.push_str(
        "hostname bench-fw\ninterface GigabitEthernet0/1\n nameif inside\n security-level 100\n!\n",
    );
    for i in 0..entries {
        let (a, b) = (i / 250, i % 250);
        let _ = writeln!(
            text,
            "access-list {ACL} extended permit tcp any host 10.{}.{a}.{b} eq {}",
            1 + a / 250,
            1024 + (i % 50_000)
        );
    }
    let _ = writeln!(text, "access-group {ACL} in interface inside");
    text
}

fn snapshot(c: &mut Criterion) {
    let text = config_with_acl(ENTRIES);
    let cfg = RunningConfig::parse(&text);
    let listed = cfg.access.get(ACL).map_or(0, |l| l.entries.len());
    if listed != ENTRIES {
        eprintln!("warning: RunningConfig::parse listed {listed} entries, not {ENTRIES}");
    }
    let mut group = small_group(c, "acl_snapshot");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("running_config_parse_50000_entries", |b| {
        b.iter(|| RunningConfig::parse(black_box(&text)))
    });
    group.finish();

    let mut group = small_group(c, "acl_page");
    let link = |p: &str, id: &str| format!("https://asa{p}/{id}");
    group.bench_function("serialise_last_page_of_50000", |b| {
        b.iter(|| {
            let list = cfg.access.get(ACL);
            let entries = list.map(|l| l.entries.as_slice()).unwrap_or_default();
            let items: Vec<serde_json::Value> = entries
                .get(49_900..50_000)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(k, e)| {
                    let self_link = format!("https://asa/api/access/in/inside/rules/{}", e.id);
                    to_json(
                        &e.ace().expect("a stored entry reads back"),
                        &e.remarks_vec(),
                        e.id,
                        49_901 + k,
                        true,
                        &self_link,
                        &link,
                    )
                })
                .collect();
            serde_json::to_vec(&serde_json::json!({"items": items})).unwrap_or_default()
        })
    });
    group.bench_function("patch_snapshot_insert_at_position_1", |b| {
        b.iter_batched(
            || cfg.clone(),
            |mut cfg| {
                let ace = cli_translator::acl::ace::parse_ace("permit ip any any").ok();
                if let Some(ace) = ace
                    && let Ok(entry) = cli_translator::acl::AclEntry::new(ACL, &ace, &[])
                {
                    cfg.access.insert_entry(ACL, 0, entry);
                }
                cfg
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn lina_sim(c: &mut Criterion) {
    let text = config_with_acl(ENTRIES);
    let options = EngineOptions::default();
    let (mut engine, _) = Engine::boot(&text, &options, [7; 32], Now::from_secs(NOW));
    let mut conn = ConnState::default();
    let hello = Message::Hello {
        version: PROTOCOL_VERSION,
        peer: "bench/1".to_owned(),
    };
    let _ = engine.handle(hello, &mut conn, Now::from_secs(NOW));
    let mut group = small_group(c, "acl_lina_sim");
    group.sampling_mode(SamplingMode::Flat);
    let top = format!("access-list {ACL} line 1 extended deny ip host 192.0.2.1 any");
    let no_top = format!("no access-list {ACL} extended deny ip host 192.0.2.1 any");
    if !exec(&mut engine, &mut conn, vec![top.clone()]) {
        eprintln!("warning: the insert at line 1 was not applied");
    }
    let _ = exec(&mut engine, &mut conn, vec![no_top.clone()]);
    group.bench_function("insert_at_position_1_of_50000", |b| {
        b.iter(|| {
            let added = exec(&mut engine, &mut conn, vec![top.clone()]);
            // Undo outside the figure's meaning but inside the loop: each sample inserts anew.
            let _ = exec(&mut engine, &mut conn, vec![no_top.clone()]);
            added
        })
    });
    let middle = format!("access-list {ACL} extended permit tcp any host 10.1.100.0 eq 26024");
    let add_back =
        format!("access-list {ACL} line 25001 extended permit tcp any host 10.1.100.0 eq 26024");
    group.bench_function("delete_from_the_middle_of_50000", |b| {
        b.iter(|| {
            let removed = exec(&mut engine, &mut conn, vec![format!("no {middle}")]);
            let _ = exec(&mut engine, &mut conn, vec![add_back.clone()]);
            removed
        })
    });
    group.finish();
}

/// A configuration holding one network object group of `members` hosts.
fn config_with_group(members: usize) -> String {
    let mut text = String::with_capacity(members * 40);
    text.push_str("hostname bench-fw\nobject-group network big\n description 20k hosts\n");
    for i in 0..members {
        let _ = writeln!(
            text,
            " network-object host 10.{}.{}.{}",
            2 + i / 62_500,
            (i / 250) % 250,
            i % 250
        );
    }
    text
}

fn group_20000(c: &mut Criterion) {
    let text = config_with_group(GROUP_MEMBERS);
    let cfg = RunningConfig::parse(&text);
    let members = cfg
        .network_object_groups
        .get("big")
        .map_or(0, |g| g.members.len());
    if members != GROUP_MEMBERS {
        eprintln!("warning: the group lists {members} members, not {GROUP_MEMBERS}");
    }
    let mut group = small_group(c, "group_20000_members");
    group.bench_function("running_config_parse", |b| {
        b.iter(|| RunningConfig::parse(black_box(&text)))
    });
    group.bench_function("serialise_get_one_group", |b| {
        b.iter(|| {
            let g = cfg.network_object_groups.get("big");
            let json = g.map(|g| g.to_json("https://asa/api/objects/networkobjectgroups/big"));
            serde_json::to_vec(&json).unwrap_or_default()
        })
    });
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
    let add = vec![
        "object-group network big".to_owned(),
        " network-object host 192.0.2.77".to_owned(),
    ];
    let remove = vec![
        "object-group network big".to_owned(),
        " no network-object host 192.0.2.77".to_owned(),
    ];
    if !exec(&mut engine, &mut conn, add.clone()) || !exec(&mut engine, &mut conn, remove.clone()) {
        eprintln!("warning: adding or removing a member was not applied");
    }
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("lina_sim_add_then_remove_member", |b| {
        b.iter(|| {
            exec(&mut engine, &mut conn, add.clone())
                && exec(&mut engine, &mut conn, remove.clone())
        })
    });
    group.finish();
}

/// Live bytes held by `f`'s result.
fn held_by<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    let value = f();
    (value, LIVE.load(Ordering::Relaxed).saturating_sub(before))
}

/// Prints the memory the agent's snapshot and lina-sim's engine hold per rule.
fn memory_report() {
    println!("memory held for an access list (bytes, counted by the allocator):");
    println!(
        "{:>8} {:>14} {:>10} {:>14} {:>10}",
        "rules", "agent_snapshot", "per_rule", "lina_sim", "per_rule"
    );
    for rules in [12_500, 25_000, 50_000] {
        let text = config_with_acl(rules);
        let (cfg, snapshot) = held_by(|| RunningConfig::parse(&text));
        let ((engine, _), sim) = held_by(|| {
            Engine::boot(
                &text,
                &EngineOptions::default(),
                [7; 32],
                Now::from_secs(NOW),
            )
        });
        println!(
            "{rules:>8} {snapshot:>14} {:>10} {sim:>14} {:>10}",
            snapshot / rules,
            sim / rules
        );
        drop((cfg, engine));
    }
}

criterion_group!(benches, snapshot, lina_sim, group_20000);

fn main() {
    memory_report();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
