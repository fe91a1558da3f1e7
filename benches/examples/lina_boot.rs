//! LINA's share of a large boot, in this process (issue 13, items 4 and 5): the time of
//! `Engine::boot` and of the first `show running-config`, and the process's resident memory
//! after each (the configuration text itself counted out).
//!
//! `cargo run --release -p benches --example lina_boot -- <MB>`
//!
//! As in the daemon, the engine keeps a large startup configuration in a file (here in a
//! temporary directory) rather than in memory, and hands the first print to its reader.

use std::time::Instant;

use lina_sim::engine::{Engine, EngineOptions, Now};

fn rss_mib() -> f64 {
    benches::stack::rss_kib(std::process::id()).unwrap_or(0) as f64 / 1024.0
}

fn cpu_secs() -> f64 {
    // utime + stime of this process, in clock ticks (100 a second).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (tick(11) + tick(12)) / 100.0
}

fn main() {
    let mb: f64 = std::env::args()
        .nth(1)
        .as_deref()
        .unwrap_or("20")
        .parse()
        .unwrap_or(20.0);
    let config =
        benches::scale_gen::scale_config((mb * 1_000_000.0) as usize, "admin", "Scale-Admin-Pw-7");
    let size = config.len() as f64 / 1024.0 / 1024.0;
    let base = rss_mib();
    println!(
        "{} bytes ({size:.1} MiB), {} lines; RSS with the text {base:.0} MiB",
        config.len(),
        config.lines().count()
    );
    let spill_dir = std::env::temp_dir().join(format!("lina-boot-{}", std::process::id()));
    std::fs::create_dir_all(&spill_dir).expect("a temporary directory");
    let opts = EngineOptions {
        startup_spill: Some(std::sync::Arc::new(lina_sim::engine::startup::DirSpill {
            root: spill_dir.clone(),
        })),
        ..EngineOptions::default()
    };
    let (t, c) = (Instant::now(), cpu_secs());
    let (mut engine, _) = Engine::boot(&config, &opts, [7; 32], Now::from_secs(0));
    let boot = (t.elapsed().as_secs_f64(), cpu_secs() - c);
    let after_boot = rss_mib() - base;
    let (t, c) = (Instant::now(), cpu_secs());
    let shown = engine.shown_running_config();
    let show = (t.elapsed().as_secs_f64(), cpu_secs() - c);
    let with_show = rss_mib() - base;
    let same = shown.len();
    drop(shown);
    // What the engine does at the end of each message (`Engine::handle`).
    engine.release_large_print();
    let after_show = rss_mib() - base;
    println!(
        "boot {:.0} ms (cpu {:.2} s), first show running-config {:.0} ms (cpu {:.2} s, {same} bytes)",
        boot.0 * 1000.0,
        boot.1,
        show.0 * 1000.0,
        show.1
    );
    println!(
        "LINA RSS (beyond the text): after boot {after_boot:.0} MiB ({:.1}x), holding the print {with_show:.0} MiB, after it {after_show:.0} MiB ({:.1}x)",
        after_boot / size,
        after_show / size
    );
    let _ = std::fs::remove_dir_all(&spill_dir);
}
