//! The agent's life cycle from the operator console: `rest-api image` verifies a package
//! (342005, or 342006 with Cisco's reason), `no rest-api image` is refused while the agent runs
//! (342008) and succeeds once it is stopped (342007), `no rest-api agent` makes the API answer
//! 503 and `rest-api agent` brings it back (a new 342001), `show rest-api agent` / `show version`
//! report it, and `debug rest-api` streams the agent's lines to the console that asked, until
//! `undebug all`.

use std::time::Duration;

use lina_sim::engine::package::{self, PackageInfo};
use tests::{Console, Stack};

use crate::support::*;

const DEFAULT_IMAGE: &str = "disk0:/asa-restapi-7161-lfbff-k8.SPA";

fn console(stack: &Stack) -> Console {
    ok(
        stack,
        Console::login_config(
            stack.addresses().console,
            "admin",
            &stack.options().admin_password,
        ),
    )
}

fn run(stack: &Stack, console: &mut Console, line: &str) -> String {
    ok(stack, console.command(line))
}

/// Writes a package file into the stack's disk0:.
fn put_package(stack: &Stack, name: &str, bytes: &[u8]) {
    let path = stack.state_dir().join("disk0").join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn package_with(min_asa: &str, installed_size: u64, payload: &[u8]) -> Vec<u8> {
    package::build(
        &PackageInfo {
            agent_version: "7.20(1)".into(),
            minimum_asa_version: min_asa.into(),
            installed_size,
        },
        payload,
    )
}

/// The logging buffer's lines carrying `%ASA-<n>-<id>:`.
fn log_lines(stack: &Stack, console: &mut Console, id: u32) -> Vec<String> {
    run(stack, console, "show logging")
        .lines()
        .filter(|l| l.contains(&format!("-{id}: ")))
        .map(str::to_owned)
        .collect()
}

/// Sends `commands` as ONE atomic configuration batch straight to LINA's protocol listener,
/// as the agent sends a write (no API resource writes `rest-api` lines); whether LINA applied
/// it.
async fn atomic_batch(stack: &Stack, commands: &[&str]) -> bool {
    use cli_translator::protocol::{ChannelSecret, Exec, ExecMode};

    let addr = stack.addresses().protocol;
    // Only a holder of LINA's channel secret may speak on its port (docs/lina-protocol.md).
    let path = stack.state_dir().join("lina-secret");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let secret = ChannelSecret::from_hex(&text).unwrap_or_else(|e| panic!("{e}"));
    let (lina, _) = agent::lina_client::LinaClient::connect(addr, "rest-daemon/e2e", Some(&secret))
        .await
        .unwrap_or_else(|e| panic!("LINA protocol at {addr}: {e}"));
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        lina.exec(Exec {
            user: "admin".into(),
            privilege: 15,
            source: std::net::IpAddr::from([127, 0, 0, 1]),
            context: None,
            mode: ExecMode::Config,
            atomic: true,
            commands: commands.iter().map(|c| (*c).to_owned()).collect(),
            expected_generation: None,
        }),
    )
    .await
    .unwrap_or_else(|_| panic!("LINA did not answer the batch within 10 s"))
    .unwrap_or_else(|e| panic!("the batch: {e}"));
    result.applied
}

/// Polls `GET networkobjects` until it answers `status` (fresh connections, bounded).
/// Polls until the API answers `status` with a body holding `containing`: while the agent
/// is being stopped, a request in flight can get another 503 ("did not answer") first.
async fn wait_for_api(stack: &Stack, status: u16, containing: &str) -> tests::Response {
    let admin = stack.admin();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let mut c = client(stack);
        let last = match c.get(NETWORK_OBJECTS, &admin).await {
            Ok(r) if r.code() == status && r.text().contains(containing) => return r,
            Ok(r) => format!("{} {}", r.code(), r.text()),
            Err(e) => e.to_string(),
        };
        assert!(
            tokio::time::Instant::now() < deadline,
            "the API did not answer {status} within 20 s (last: {last})\n{}",
            stack.output()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn image_verification_failures_log_342006_and_a_good_package_342005() {
    let stack = start().await;
    let payload = package::sample_payload("7.20(1)");
    let mut tampered = package_with("9.3(2)", 10, &payload);
    if let Some(b) = tampered.last_mut() {
        *b ^= 0x01;
    }
    put_package(&stack, "newer.SPA", &package_with("9.99(1)", 10, &payload));
    put_package(&stack, "tampered.SPA", &tampered);
    put_package(
        &stack,
        "huge.SPA",
        &package_with("9.3(2)", u64::MAX / 4, &payload),
    );
    put_package(
        &stack,
        "flat.SPA",
        &package_with("9.3(2)", 10, b"no file system"),
    );
    let mut con = console(&stack);

    for (file, reason) in [
        ("missing.SPA", "image file not found"),
        ("newer.SPA", "version check failed"),
        ("tampered.SPA", "image verification failed"),
        ("huge.SPA", "out of space on flash"),
        ("flat.SPA", "mount failed"),
    ] {
        let out = run(&stack, &mut con, &format!("rest-api image disk0:/{file}"));
        assert!(
            out.contains(&format!(
                "ERROR: Failed to install REST API image, reason: {reason}"
            )),
            "{file}: {out}"
        );
        let logged = log_lines(&stack, &mut con, 342006);
        assert!(
            logged.last().is_some_and(|l| l.ends_with(&format!(
                "%ASA-3-342006: Failed to install REST API image, reason: {reason}"
            ))),
            "{file}: {logged:?}"
        );
    }
    // Nothing changed: the default image is still the installed one and the API still serves.
    let run_cfg = run(&stack, &mut con, "show running-config rest-api");
    assert_eq!(
        run_cfg.trim(),
        format!("rest-api image {DEFAULT_IMAGE}\nrest-api agent"),
        "{run_cfg}"
    );
    wait_for_api(&stack, 200, "").await;

    let before = log_lines(&stack, &mut con, 342005).len();
    let out = run(&stack, &mut con, &format!("rest-api image {DEFAULT_IMAGE}"));
    assert!(!out.contains("ERROR"), "{out}");
    let after = log_lines(&stack, &mut con, 342005);
    assert_eq!(after.len(), before + 1, "{after:?}");
    assert!(
        after.last().is_some_and(
            |l| l.ends_with("%ASA-7-342005: REST API image has been installed successfully.")
        ),
        "{after:?}"
    );
}

#[tokio::test]
async fn a_failure_is_logged_even_when_its_batch_is_undone_but_undone_successes_are_not() {
    let stack = start().await;
    let mut con = console(&stack);
    let count = |con: &mut Console, id: u32| log_lines(&stack, con, id).len();

    // An install failure ends an atomic batch: the batch is undone, 342006 stands.
    let failed_before = count(&mut con, 342006);
    let applied = atomic_batch(
        &stack,
        &[
            "object network undone-e2e",
            " host 10.9.9.9",
            "rest-api image disk0:/missing.SPA",
        ],
    )
    .await;
    assert!(!applied, "a batch with a failing line is undone");
    let failed = log_lines(&stack, &mut con, 342006);
    assert_eq!(failed.len(), failed_before + 1, "{failed:?}");
    assert!(
        failed.last().is_some_and(|l| l.ends_with(
            "%ASA-3-342006: Failed to install REST API image, reason: image file not found"
        )),
        "{failed:?}"
    );
    let objects = run(&stack, &mut con, "show running-config object");
    assert!(!objects.contains("undone-e2e"), "{objects}");

    // 342008 (the agent still runs) ends a batch the same way.
    let refused_before = count(&mut con, 342008);
    assert!(!atomic_batch(&stack, &["hostname undone", "no rest-api image"]).await);
    assert_eq!(count(&mut con, 342008), refused_before + 1);
    assert!(!run(&stack, &mut con, "show running-config").contains("hostname undone"));

    // Successes of an undone batch (342007, 342005) are taken back with it, and the agent
    // keeps running.
    let removed_before = count(&mut con, 342007);
    let installed_before = count(&mut con, 342005);
    let applied = atomic_batch(
        &stack,
        &[
            "no rest-api agent",
            "no rest-api image",
            &format!("rest-api image {DEFAULT_IMAGE}"),
            "rest-api bogus",
        ],
    )
    .await;
    assert!(!applied);
    assert_eq!(
        count(&mut con, 342007),
        removed_before,
        "342007 of an undone batch"
    );
    assert_eq!(
        count(&mut con, 342005),
        installed_before,
        "342005 of an undone batch"
    );
    let shown = run(&stack, &mut con, "show rest-api agent");
    assert!(shown.contains("currently enabled"), "{shown}");
    wait_for_api(&stack, 200, "").await;

    // Through the API: `/api/cli` runs its lines one by one (not atomic); the failing
    // line's 342006 is logged there too.
    let admin = stack.admin();
    let mut c = client(&stack);
    let failed_before = count(&mut con, 342006);
    let out = cli(&mut c, &admin, &["rest-api image disk0:/absent.SPA"]).await;
    assert!(out[0].contains("image file not found"), "{out:?}");
    assert_eq!(count(&mut con, 342006), failed_before + 1);
}

#[tokio::test]
async fn disabling_the_agent_gives_503_and_enabling_it_serves_again() {
    let stack = start().await;
    let mut con = console(&stack);
    let out = run(&stack, &mut con, "show rest-api agent");
    assert!(
        out.contains("The REST API Agent is currently enabled"),
        "{out}"
    );
    assert!(out.contains("Agent status: running"), "{out}");
    let version = run(&stack, &mut con, "show version");
    assert!(
        version.contains("REST API Agent Version 7.16(1)"),
        "{version}"
    );

    // Refused while the agent runs: 342008.
    let out = run(&stack, &mut con, "no rest-api image");
    assert!(out.contains("rest agent is enabled"), "{out}");
    let refused = log_lines(&stack, &mut con, 342008);
    assert!(
        refused.last().is_some_and(|l| l.ends_with(
            "%ASA-3-342008: Failed to uninstall REST API image, reason: rest agent is enabled."
        )),
        "{refused:?}"
    );

    let out = run(&stack, &mut con, "no rest-api agent");
    assert!(!out.contains("ERROR"), "{out}");
    let r = wait_for_api(&stack, 503, "rest-api agent").await;
    let (code, details) = expect_error(&r, 503, "API while the agent is disabled");
    assert_eq!(code, "AGENT-UNAVAILABLE");
    assert!(details.contains("rest-api agent"), "{details}");
    let out = run(&stack, &mut con, "show rest-api agent");
    assert!(
        out.contains("The REST API Agent is currently disabled"),
        "{out}"
    );

    // Now the image comes off (342007), and the agent cannot start without one.
    let out = run(&stack, &mut con, "no rest-api image");
    assert!(!out.contains("ERROR"), "{out}");
    let removed = log_lines(&stack, &mut con, 342007);
    assert!(
        removed.last().is_some_and(
            |l| l.ends_with("%ASA-7-342007: REST API image has been uninstalled successfully.")
        ),
        "{removed:?}"
    );
    let out = run(&stack, &mut con, "rest-api agent");
    assert!(out.contains("No REST API image is installed"), "{out}");
    let version = run(&stack, &mut con, "show version");
    assert!(!version.contains("REST API Agent Version"), "{version}");

    let ups_before = log_lines(&stack, &mut con, 342001).len();
    run(&stack, &mut con, &format!("rest-api image {DEFAULT_IMAGE}"));
    let out = run(&stack, &mut con, "rest-api agent");
    assert!(!out.contains("ERROR"), "{out}");
    wait_for_api(&stack, 200, "").await;
    // The daemon's 342001 travels on its own connection: give it a moment.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let ups = log_lines(&stack, &mut con, 342001).len();
        if ups > ups_before {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no new 342001 after 'rest-api agent'\n{}",
            stack.output()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn debug_lines_reach_the_console_that_asked_until_undebug() {
    let stack = start().await;
    let admin = stack.admin();
    let mut watcher = console(&stack);
    let mut bystander = console(&stack);
    let out = run(&stack, &mut watcher, "debug rest-api client event");
    assert!(!out.contains("ERROR"), "{out}");
    let shown = run(&stack, &mut watcher, "show debug");
    assert!(
        shown.contains("debug rest-api client event is enabled"),
        "{shown}"
    );

    // The agent learns of the wish through LINA's push; retry until a line shows up.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let mut seen = String::new();
    while !seen.contains("rest-api client event: GET /api/objects/networkobjects/debugged") {
        assert!(
            std::time::Instant::now() < deadline,
            "no debug line on the console that asked; it printed:\n{seen}\n{}",
            stack.output()
        );
        let mut c = client(&stack);
        let r = ok(
            &stack,
            c.get(&format!("{NETWORK_OBJECTS}/debugged"), &admin).await,
        );
        expect_status(&r, 404, "GET of a missing object");
        tokio::time::sleep(Duration::from_millis(200)).await;
        seen.push_str(&run(&stack, &mut watcher, "show clock"));
    }
    let other = run(&stack, &mut bystander, "show clock");
    assert!(
        !other.contains("rest-api client"),
        "a console that did not ask got debug lines: {other}"
    );

    run(&stack, &mut watcher, "undebug all");
    assert_eq!(run(&stack, &mut watcher, "show debug").trim(), "");
    let mut c = client(&stack);
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/quiet"), &admin).await,
    );
    expect_status(&r, 404, "GET after undebug");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = run(&stack, &mut watcher, "show clock");
    assert!(!after.contains("/quiet"), "a line after undebug: {after}");
}

/// Polls the logging buffer until `id` has been logged `count` times (bounded).
async fn wait_for_logged(
    stack: &Stack,
    console: &mut Console,
    id: u32,
    count: usize,
) -> Vec<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let lines = log_lines(stack, console, id);
        if lines.len() >= count {
            return lines;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{id} logged {} times, wanted {count}\n{}",
            lines.len(),
            stack.output()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test]
async fn a_broken_image_fails_five_starts_then_a_manual_restart_recovers() {
    let stack = start().await;
    let mut con = console(&stack);
    let image = stack
        .state_dir()
        .join("disk0")
        .join("asa-restapi-7161-lfbff-k8.SPA");
    let good = std::fs::read(&image).unwrap_or_else(|e| panic!("{}: {e}", image.display()));
    std::fs::write(&image, b"truncated").unwrap_or_else(|e| panic!("{e}"));

    run(&stack, &mut con, "no rest-api agent");
    wait_for_api(&stack, 503, "rest-api agent").await;
    run(&stack, &mut con, "rest-api agent");

    let failed = wait_for_logged(&stack, &mut con, 342002, 5).await;
    assert!(
        failed.iter().all(|l| l.contains(
            "%ASA-3-342002: REST API Agent failed, reason: process exited with status 1 before it was ready"
        )),
        "{failed:?}"
    );
    let gave_up = wait_for_logged(&stack, &mut con, 342004, 1).await;
    assert!(
        gave_up[0].ends_with(
            "%ASA-3-342004: Failed to automatically restart the REST API Agent after five unsuccessful attempts. \
             Use the 'no rest-api agent' and 'rest-api agent' commands to manually restart the Agent."
        ),
        "{gave_up:?}"
    );
    let r = wait_for_api(&stack, 503, "five attempts").await;
    let (_, details) = expect_error(&r, 503, "API after five failed starts");
    assert!(details.contains("five attempts"), "{details}");
    let status = run(&stack, &mut con, "show rest-api agent");
    assert!(
        status.contains("Agent status: stopped after five failed starts"),
        "{status}"
    );

    // Cisco's procedure once the cause is fixed: disable, then enable again.
    std::fs::write(&image, &good).unwrap_or_else(|e| panic!("{e}"));
    run(&stack, &mut con, "no rest-api agent");
    run(&stack, &mut con, "rest-api agent");
    wait_for_api(&stack, 200, "").await;
    assert_eq!(
        log_lines(&stack, &mut con, 342002).len(),
        5,
        "no further failed start"
    );
}

#[tokio::test]
async fn process_debug_lines_come_from_the_daemon_across_a_restart() {
    let stack = start().await;
    let mut watcher = console(&stack);
    let mut operator = console(&stack);
    run(&stack, &mut watcher, "debug rest-api process");
    // Let LINA's push reach the daemon before the restart it should trace.
    tokio::time::sleep(Duration::from_millis(300)).await;
    run(&stack, &mut operator, "no rest-api agent");
    run(&stack, &mut operator, "rest-api agent");
    wait_for_api(&stack, 200, "").await;

    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut seen = String::new();
    while !seen.contains("rest-api process event: agent process ready at") {
        assert!(
            std::time::Instant::now() < deadline,
            "no process debug line; the console printed:\n{seen}\n{}",
            stack.output()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
        seen.push_str(&run(&stack, &mut watcher, "show clock"));
    }
    assert!(
        seen.contains("rest-api process event: agent disabled"),
        "{seen}"
    );
    assert!(
        seen.contains("rest-api process event: starting the agent process"),
        "{seen}"
    );
    let other = run(&stack, &mut operator, "show clock");
    assert!(!other.contains("rest-api process"), "{other}");
}

#[tokio::test]
async fn no_rest_api_agent_through_the_cli_api_is_answered_before_the_agent_stops() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    // The request that stops the agent still gets its answer (the supervisor drains first).
    let out = cli(&mut c, &admin, &["no rest-api agent"]).await;
    assert!(!out[0].contains("ERROR"), "{out:?}");
    let r = wait_for_api(&stack, 503, "rest-api agent").await;
    let (code, _) = expect_error(&r, 503, "API after no rest-api agent");
    assert_eq!(code, "AGENT-UNAVAILABLE");
    let mut con = console(&stack);
    run(&stack, &mut con, "rest-api agent");
    wait_for_api(&stack, 200, "").await;
}
