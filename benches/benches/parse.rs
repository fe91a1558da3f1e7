//! Configuration parse and load: the agent's snapshot parse (`RunningConfig::parse`, target
//! <= 30 ms for 20,000 objects), and the simulator booting from the same configuration and
//! printing `show running-config` after a change. Small sample counts keep the whole run to
//! about half a minute.

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use benches::{BENCH_OBJECTS, config_with_objects};
use cli_translator::protocol::{Exec, ExecMode, Message, PROTOCOL_VERSION};
use cli_translator::running::RunningConfig;
use cli_translator::tree::parse_tree;
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use lina_sim::engine::{ConnState, Engine, EngineOptions, Now};

const NOW: i64 = 1_800_000_000;

fn small_group<'a>(c: &'a mut Criterion, name: &str, bytes: usize) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Bytes(bytes as u64));
    group
}

fn agent_snapshot(c: &mut Criterion) {
    let text = config_with_objects(BENCH_OBJECTS);
    let listed = RunningConfig::parse(&text).network_objects.len();
    if listed != BENCH_OBJECTS {
        eprintln!(
            "warning: RunningConfig::parse listed {listed} network objects, not {BENCH_OBJECTS}"
        );
    }
    let mut group = small_group(c, "agent_snapshot", text.len());
    group.bench_function("running_config_parse_20000_objects", |b| {
        b.iter(|| RunningConfig::parse(black_box(&text)))
    });
    group.bench_function("parse_tree_20000_objects", |b| {
        b.iter(|| parse_tree(black_box(&text)))
    });
    group.finish();
}

fn exec(
    engine: &mut Engine,
    conn: &mut ConnState,
    mode: ExecMode,
    command: &str,
) -> Option<Message> {
    let message = Message::Exec(Exec {
        user: "bench".to_owned(),
        privilege: 15,
        source: IpAddr::V4(Ipv4Addr::LOCALHOST),
        context: None,
        mode,
        atomic: true,
        commands: vec![command.to_owned()],
        expected_generation: None,
    });
    engine.handle(message, conn, Now::from_secs(NOW)).0
}

/// The text of `show running-config` in an ExecResult, or nothing.
fn shown(reply: Option<Message>) -> Option<String> {
    match reply {
        Some(Message::ExecResult(result)) => result.outcomes.into_iter().next().map(|o| o.output),
        _ => None,
    }
}

fn lina_sim(c: &mut Criterion) {
    let text = config_with_objects(BENCH_OBJECTS);
    let options = EngineOptions::default();
    let mut group = small_group(c, "lina_sim", text.len());
    // A boot takes about a tenth of a second: flat sampling keeps 10 samples within the time.
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("boot_20000_objects", |b| {
        b.iter(|| Engine::boot(black_box(&text), &options, [7; 32], Now::from_secs(NOW)))
    });

    let (mut engine, _) = Engine::boot(&text, &options, [7; 32], Now::from_secs(NOW));
    let mut conn = ConnState::default();
    let hello = Message::Hello {
        version: PROTOCOL_VERSION,
        peer: "bench/1".to_owned(),
    };
    let _ = engine.handle(hello, &mut conn, Now::from_secs(NOW));
    let printed = shown(exec(
        &mut engine,
        &mut conn,
        ExecMode::Exec,
        "show running-config",
    ));
    match &printed {
        Some(out) if out.matches("\nobject network ").count() == BENCH_OBJECTS => {}
        Some(out) => eprintln!(
            "warning: show running-config printed {} network objects, not {BENCH_OBJECTS}",
            out.matches("\nobject network ").count()
        ),
        None => eprintln!("warning: show running-config gave no output"),
    }
    // A change first, so that every print is a fresh one (the engine caches the printed text
    // for an unchanged configuration).
    let mut flip = false;
    group.bench_function("change_then_show_running_config_20000_objects", |b| {
        b.iter(|| {
            flip = !flip;
            let hostname = if flip {
                "hostname bench-fw-a"
            } else {
                "hostname bench-fw-b"
            };
            let _ = exec(&mut engine, &mut conn, ExecMode::Config, hostname);
            shown(exec(
                &mut engine,
                &mut conn,
                ExecMode::Exec,
                "show running-config",
            ))
        })
    });
    group.sampling_mode(SamplingMode::Auto);
    group.bench_function("show_running_config_unchanged_20000_objects", |b| {
        b.iter(|| {
            shown(exec(
                &mut engine,
                &mut conn,
                ExecMode::Exec,
                "show running-config",
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, agent_snapshot, lina_sim);
criterion_main!(benches);
