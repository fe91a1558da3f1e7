//! What the engine's protocol-level unit tests share: a booted default device and batches run
//! through `Engine::handle` as an API client would send them.

use std::net::{IpAddr, Ipv4Addr};

use cli_translator::protocol::{Exec, ExecMode, ExecResult, Message};

use crate::default_config;
use crate::engine::{ConnState, Engine, EngineOptions, Now};

/// The clock the engine boots with.
pub const T0: i64 = 1_795_353_601;

/// The default device, `admin` / `Admin-123`.
pub fn boot() -> Engine {
    let text = default_config::text("Admin-123").unwrap();
    Engine::boot(
        &text,
        &EngineOptions::default(),
        [1; 32],
        Now::from_secs(T0),
    )
    .0
}

/// Runs `cmds` as one atomic configuration batch at privilege 15.
pub fn exec(e: &mut Engine, cmds: &[&str]) -> ExecResult {
    let mut conn = ConnState::default();
    let hello = Message::Hello {
        version: 1,
        peer: "rest-daemon/1".into(),
    };
    let _ = e.handle(hello, &mut conn, Now::from_secs(T0));
    let (reply, _) = e.handle(
        Message::Exec(Exec {
            user: "admin".into(),
            privilege: 15,
            source: IpAddr::V4(Ipv4Addr::LOCALHOST),
            context: None,
            mode: ExecMode::Config,
            atomic: true,
            commands: cmds.iter().map(|c| (*c).to_owned()).collect(),
            expected_generation: None,
        }),
        &mut conn,
        Now::from_secs(T0 + 1),
    );
    match reply {
        Some(Message::ExecResult(r)) => r,
        other => panic!("unexpected reply {other:?}"),
    }
}

/// Runs `cmds`, which must apply.
pub fn ok(e: &mut Engine, cmds: &[&str]) {
    let r = exec(e, cmds);
    assert!(r.applied, "{cmds:?}: {:?}", r.outcomes);
}

/// The output of the first failing command; the batch must not have applied.
pub fn refused(e: &mut Engine, cmds: &[&str]) -> String {
    let r = exec(e, cmds);
    assert!(!r.applied, "{cmds:?} applied");
    r.outcomes
        .iter()
        .find(|o| !o.ok)
        .map(|o| o.output.clone())
        .unwrap_or_default()
}

/// `show running-config`.
pub fn running(e: &mut Engine) -> String {
    let r = exec(e, &["show running-config"]);
    r.outcomes
        .first()
        .map(|o| o.output.clone())
        .unwrap_or_default()
}
