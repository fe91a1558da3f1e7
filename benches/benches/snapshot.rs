//! Where the agent's snapshot of a large configuration spends memory and time (issue 13 items
//! 4 and 5, issue 10's GET by id): the generated scale configuration (`SNAPSHOT_SIZE` MB,
//! default 20) read in 1 MiB pieces as the agent reads LINA's streamed `show running-config`,
//! with a counting allocator: bytes live after the read (and their split over the snapshot's
//! parts), the peak during it, the read's time (best of `SNAPSHOT_ROUNDS`, default 3), and
//! the time of one lookup of a network object by id.
//!
//! `cargo bench -p benches --bench snapshot` (release; one core).

// A counting allocator needs `unsafe impl GlobalAlloc` (as in `acl.rs`).
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use benches::scale_gen::{scale_config, scale_object_name};
use cli_translator::running::{Parser, RunningConfig};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static CALLS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        CALLS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let live = if new_size >= layout.size() {
            LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size()
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed) - (layout.size() - new_size)
        };
        PEAK.fetch_max(live, Ordering::Relaxed);
        CALLS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// VmRSS of this process, MiB.
fn rss() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn read_in_pieces(text: &str) -> RunningConfig {
    let mut parser = Parser::new();
    for piece in
        cli_translator::protocol::stream::pieces(text, cli_translator::protocol::OUTPUT_CHUNK)
    {
        parser.feed(piece);
    }
    parser.finish()
}

/// Bytes freed by dropping what `take` takes out of `cfg`.
fn freed(cfg: &mut RunningConfig, take: impl FnOnce(&mut RunningConfig)) -> usize {
    let before = live();
    take(cfg);
    before.saturating_sub(live())
}

/// A copy of `cfg` with 1000 network objects like `template` created on it, named
/// `<prefix>-<i>` (a bulk's staging; nothing when there is no template).
fn staged_copy(
    cfg: &RunningConfig,
    template: Option<&cli_translator::resources::network_object::NetworkObject>,
    prefix: &str,
) -> RunningConfig {
    let mut staged = cfg.clone();
    if let Some(t) = template {
        for i in 0..1000 {
            let mut o = t.clone();
            o.name = format!("{prefix}-{i}").into();
            staged.network_objects.insert(o);
        }
    }
    staged
}

fn main() {
    let size: usize = std::env::var("SNAPSHOT_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let rounds: usize = std::env::var("SNAPSHOT_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let text = scale_config(size * 1_000_000, "admin", "bench-password");
    let lines = text.lines().count();
    println!(
        "snapshot of {size} MB ({} bytes, {lines} lines)",
        text.len()
    );

    let mut best = Duration::MAX;
    let mut cfg = RunningConfig::default();
    for _ in 0..rounds {
        drop(std::mem::take(&mut cfg));
        let base = live();
        let rss_before = rss();
        PEAK.store(base, Ordering::Relaxed);
        CALLS.store(0, Ordering::Relaxed);
        let started = Instant::now();
        cfg = read_in_pieces(&text);
        let took = started.elapsed();
        best = best.min(took);
        println!(
            "read in 1 MiB pieces: {:.0} ms, {} allocations ({:.2} per line); live {:.1} MiB ({:.2}x the text), peak {:.1} MiB; VmRSS +{:.1} MiB",
            took.as_secs_f64() * 1000.0,
            CALLS.load(Ordering::Relaxed),
            CALLS.load(Ordering::Relaxed) as f64 / lines as f64,
            mib(live() - base),
            (live() - base) as f64 / text.len() as f64,
            mib(PEAK.load(Ordering::Relaxed) - base),
            rss() - rss_before,
        );
    }
    println!("best read: {:.0} ms", best.as_secs_f64() * 1000.0);

    // GET by id: network objects in a scattered order.
    let objects = cfg.network_objects.len();
    let ids: Vec<String> = (0..4096)
        .map(|i| scale_object_name((i * 7919 + 13) % objects.max(1)))
        .collect();
    let lookups = 2_000_000;
    let started = Instant::now();
    let mut found = 0usize;
    for i in 0..lookups {
        found += usize::from(
            black_box(&cfg.network_objects)
                .get(&ids[i % ids.len()])
                .is_some(),
        );
    }
    let took = started.elapsed();
    println!(
        "network object by id ({objects} objects): {:.0} ns per lookup ({found} found)",
        took.as_secs_f64() * 1e9 / lookups as f64
    );
    let started = Instant::now();
    let mut n = 0usize;
    for _ in 0..5 {
        n += black_box(&cfg.network_objects).iter().count();
    }
    println!(
        "iterating the network objects: {:.1} ns per item",
        started.elapsed().as_secs_f64() * 1e9 / n.max(1) as f64
    );
    let started = Instant::now();
    let mut n = 0usize;
    for i in 0..100_000 {
        n += black_box(&cfg.network_objects)
            .page((i * 7919) % objects.max(1), 100)
            .count();
    }
    println!(
        "pages of 100 network objects: {:.1} us per page ({n} items)",
        started.elapsed().as_secs_f64() * 1e6 / 100_000.0
    );

    // A bulk's staging: 1000 creations on a copy of the snapshot (shared until changed).
    let template = cfg.network_objects.get(&ids[0]).cloned();
    let started = Instant::now();
    let rounds = 20;
    for r in 0..rounds {
        black_box(&staged_copy(&cfg, template.as_ref(), &format!("bulk-{r}")));
    }
    println!(
        "1000 creations staged on a copy: {:.2} ms",
        started.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds)
    );
    // What such a copy holds of its own once staged (the nodes its writes copied, the items):
    // the memory a bulk adds while its stage and the snapshot both live.
    let base = live();
    let staged = staged_copy(&cfg, template.as_ref(), "bulk");
    println!(
        "1000 creations staged on a copy hold {:.2} MiB of their own",
        mib(live().saturating_sub(base))
    );
    drop(staged);

    // Where the bytes are.
    let total = live();
    let parts: [(&str, usize); 9] = [
        (
            "access lists",
            freed(&mut cfg, |c| drop(std::mem::take(&mut c.access))),
        ),
        ("NAT", freed(&mut cfg, |c| drop(std::mem::take(&mut c.nat)))),
        (
            "network objects",
            freed(&mut cfg, |c| drop(std::mem::take(&mut c.network_objects))),
        ),
        (
            "network object groups",
            freed(&mut cfg, |c| {
                drop(std::mem::take(&mut c.network_object_groups))
            }),
        ),
        (
            "service objects",
            freed(&mut cfg, |c| drop(std::mem::take(&mut c.service_objects))),
        ),
        (
            "service groups",
            freed(&mut cfg, |c| drop(std::mem::take(&mut c.service_groups))),
        ),
        (
            "static routes",
            freed(&mut cfg, |c| drop(std::mem::take(&mut c.static_routes))),
        ),
        (
            "interfaces and settings",
            freed(&mut cfg, |c| {
                drop(std::mem::take(&mut c.interfaces));
                drop(std::mem::take(&mut c.settings));
            }),
        ),
        ("the rest", freed(&mut cfg, |c| drop(std::mem::take(c)))),
    ];
    let _ = total;
    for (name, bytes) in parts {
        println!("  {name}: {:.1} MiB", mib(bytes));
    }
}
