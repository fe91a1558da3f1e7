//! What the criterion benches on large lists (ACL, NAT, routes) share: the small sampling
//! group and one atomic configuration batch run on an engine as an API client sends it.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use cli_translator::protocol::{Exec, ExecMode, Message};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion};
use lina_sim::engine::{ConnState, Engine, Now};

/// The clock the benched engines run at.
pub const NOW: i64 = 1_800_000_000;

/// Ten samples over three seconds: each iteration is milliseconds long.
pub fn small_group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group
}

/// Runs `commands` as one atomic configuration batch; whether LINA applied it.
pub fn exec(engine: &mut Engine, conn: &mut ConnState, commands: Vec<String>) -> bool {
    let message = Message::Exec(Exec {
        user: "bench".to_owned(),
        privilege: 15,
        source: IpAddr::V4(Ipv4Addr::LOCALHOST),
        context: None,
        mode: ExecMode::Config,
        atomic: true,
        commands,
        expected_generation: None,
    });
    matches!(
        engine.handle(message, conn, Now::from_secs(NOW)).0,
        Some(Message::ExecResult(r)) if r.applied
    )
}
