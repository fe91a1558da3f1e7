//! Surviving failures: the supervisor restarts a killed agent process (342003, a second 342001,
//! tokens invalidated), and `write memory` makes the configuration survive a daemon restart.

use std::time::Duration;

use tests::Auth;

use crate::support::*;

#[tokio::test]
async fn killed_agent_is_restarted_and_old_tokens_end() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let r = ok(&stack, c.post("/api/tokenservices", (), &admin).await);
    expect_status(&r, 204, "token before the kill");
    let token = Auth::token(r.header("x-auth-token").unwrap_or_default());
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &token).await);
    expect_status(&r, 200, "token works before the kill");

    let killed = ok(&stack, stack.kill_agent());

    // Within ~20 s the API answers again; poll with fresh connections, bounded.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let mut probe = client(&stack);
        let last = match probe.get(NETWORK_OBJECTS, &admin).await {
            Ok(r) if r.code() == 200 => break,
            Ok(r) => format!("{} {}", r.code(), r.text()),
            Err(e) => e.to_string(),
        };
        assert!(
            tokio::time::Instant::now() < deadline,
            "the API did not recover within 20 s (last: {last})\n{}",
            stack.output()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    let restarted = ok(&stack, stack.agent_pid());
    assert_ne!(restarted, killed, "a new agent process");

    let mut c = client(&stack);
    let logging = show_logging(&mut c, &admin).await;
    assert!(
        logging.contains("342003"),
        "the death and restart log 342003:\n{logging}"
    );
    let ups = logging.lines().filter(|l| l.contains("342001")).count();
    assert!(
        ups >= 2,
        "342001 once per agent start, so at least twice ({ups}):\n{logging}"
    );

    let r = ok(&stack, c.get(NETWORK_OBJECTS, &token).await);
    expect_error(&r, 401, "a token from before the restart");
}

#[tokio::test]
async fn write_memory_survives_a_restart_and_unsaved_changes_do_not() {
    let mut stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("saved1", "IPv4Address", "10.95.0.1", Some("kept")),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST saved1");
    let r = ok(&stack, c.post("/api/commands/writemem", (), &admin).await);
    expect_status(&r, 200, "POST writemem");
    let body = json(&r);
    let saved = body["response"]
        .as_array()
        .and_then(|a| a.first())
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    assert!(saved.contains("[OK]"), "write memory answers [OK]: {body}");

    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("unsaved1", "IPv4Address", "10.95.0.2", None),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST unsaved1");

    drop(c);
    let restart = stack.restart().await;
    ok(&stack, restart);
    let mut c = client(&stack);

    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/saved1"), &admin).await,
    );
    expect_status(&r, 200, "saved1 after the restart");
    let body = json(&r);
    assert_eq!(body["host"]["value"], "10.95.0.1");
    assert_eq!(body["description"], "kept");
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/unsaved1"), &admin).await,
    );
    expect_not_found(&r, "unsaved1 after the restart");
}
