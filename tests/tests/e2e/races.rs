//! Writes racing out-of-band changes on the console (issue 10): an API write planned on a
//! snapshot the console has just changed must never be applied as if nothing had happened.
//!
//! Each round runs a console command and an API request at the same time, then checks that
//! the outcome is one a serial order of the two could give. `RACE_ROUNDS` sets the rounds per
//! race (default 500; `.ci/run` sets 500 explicitly).

use std::time::Duration;

use serde_json::json;
use tests::{Auth, Console};

use crate::support::*;

/// Rounds per race: `RACE_ROUNDS`, or 500.
fn rounds() -> usize {
    std::env::var("RACE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500)
}

/// Runs one console command on the blocking pool after `delay`, returning the console and
/// the command's output.
async fn console_command(
    mut console: Console,
    line: String,
    delay: Duration,
) -> (Console, Result<String, tests::HarnessError>) {
    let joined = tokio::task::spawn_blocking(move || {
        std::thread::sleep(delay);
        let out = console.command(&line);
        (console, out)
    })
    .await;
    joined.unwrap_or_else(|e| panic!("console task: {e}"))
}

/// A small delay varying by round, so the console change lands before, during and after the
/// API request's planning across rounds.
fn jitter(round: usize) -> Duration {
    Duration::from_micros(((round * 7) % 6) as u64 * 250)
}

/// Who changed the configuration last, from `show version`.
async fn last_modifier(c: &mut tests::Client, admin: &Auth) -> String {
    let out = cli(c, admin, &["show version"]).await.concat();
    out.lines()
        .find_map(|l| l.trim().strip_prefix("Configuration last modified by "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default()
        .to_owned()
}

/// Race (a): the console changes `host` of an object while the API PUTs it with its former
/// host and a new description. Serial orders: API then console (host from the console, the
/// new description) or console then API (the API's host and description). A lost update is a
/// 204 whose write came last (by `show version`'s last modifier) yet left the console's host,
/// or a 204 whose description is not in the object.
#[tokio::test]
async fn a_put_racing_a_console_host_change_loses_no_field() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let mut api = client(&stack);
    let pw = stack.options().admin_password.clone();
    create_users(&mut c, &admin, &[("racer", "Racer-pw-1", 15)]).await;
    let racer = Auth::basic("racer", "Racer-pw-1");
    let path = format!("{NETWORK_OBJECTS}/race-a");
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("race-a", "IPv4Address", "10.30.0.1", Some("start")),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST race-a");
    let mut console = ok(
        &stack,
        Console::login_config(stack.addresses().console, "admin", &pw),
    );
    ok(&stack, console.command("object network race-a"));

    let (mut applied, mut refused, mut lost) = (0usize, 0usize, 0usize);
    let (mut api_last, mut console_last) = (0usize, 0usize);
    let rounds = rounds();
    for n in 0..rounds {
        let console_host = format!("10.31.{}.{}", n / 250, n % 250 + 1);
        let description = format!("round-{n}");
        let body = json!({
            "name": "race-a",
            "host": {"kind": "IPv4Address", "value": "10.30.0.1"},
            "description": description,
        });
        let (console_done, put) = tokio::join!(
            console_command(console, format!("host {console_host}"), jitter(n)),
            api.put(&path, body, &racer),
        );
        let (back, out) = console_done;
        console = back;
        let out = ok(&stack, out);
        assert!(!out.contains("ERROR"), "round {n}: console: {out}");
        let put = ok(&stack, put);
        let r = ok(&stack, c.get(&path, &admin).await);
        expect_status(&r, 200, "GET race-a after the round");
        let item = json(&r);
        let host = item["host"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let shown = item["description"].as_str().unwrap_or_default().to_owned();
        match put.code() {
            204 => {
                applied += 1;
                let last = last_modifier(&mut c, &admin).await;
                let expected_host = if last == "racer" {
                    api_last += 1;
                    "10.30.0.1"
                } else {
                    console_last += 1;
                    console_host.as_str()
                };
                if shown != description || host != expected_host {
                    lost += 1;
                    eprintln!(
                        "round {n}: lost update: PUT 204, last modified by {last}, host {host} (expected {expected_host}), description {shown:?}"
                    );
                }
            }
            409 | 412 => {
                refused += 1;
                expect_error(&put, put.code(), "a refused PUT");
                assert_ne!(shown, description, "round {n}: a refused PUT was applied");
                assert_eq!(
                    host, console_host,
                    "round {n}: the console's change is kept"
                );
            }
            other => panic!("round {n}: PUT answered {other}: {}", put.text()),
        }
    }
    eprintln!(
        "race (a), {rounds} rounds: {applied} applied ({api_last} after the console change, {console_last} before it), {refused} refused (409/412), {lost} lost fields"
    );
    assert_eq!(lost, 0, "lost fields in {rounds} rounds");
    assert_eq!(applied + refused, rounds);
}

/// Race (b): the console removes an object while the API PATCHes it. Serial orders: PATCH
/// then removal (204, object gone) or removal then PATCH (404). A PATCH must never re-create
/// the object: after every round it is gone.
#[tokio::test]
async fn a_patch_racing_a_console_delete_never_resurrects_the_object() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let mut api = client(&stack);
    let pw = stack.options().admin_password.clone();
    let mut console = ok(
        &stack,
        Console::login_config(stack.addresses().console, "admin", &pw),
    );

    let (mut before, mut after, mut conflicts, mut resurrected) = (0usize, 0usize, 0usize, 0usize);
    let rounds = rounds();
    for n in 0..rounds {
        let name = format!("rb{n}");
        let path = format!("{NETWORK_OBJECTS}/{name}");
        let address = format!("10.40.{}.{}", n / 250, n % 250 + 1);
        let r = ok(
            &stack,
            c.post(
                NETWORK_OBJECTS,
                network_object(&name, "IPv4Address", &address, None),
                &admin,
            )
            .await,
        );
        expect_status(&r, 201, "POST the object to race");
        let (console_done, patch) = tokio::join!(
            console_command(console, format!("no object network {name}"), jitter(n)),
            api.patch(
                &path,
                json!({"description": format!("patched-{n}")}),
                &admin
            ),
        );
        let (back, out) = console_done;
        console = back;
        let out = ok(&stack, out);
        assert!(!out.contains("ERROR"), "round {n}: console: {out}");
        let patch = ok(&stack, patch);
        match patch.code() {
            204 => before += 1,
            404 => after += 1,
            409 => conflicts += 1,
            other => panic!("round {n}: PATCH answered {other}: {}", patch.text()),
        }
        let r = ok(&stack, c.get(&path, &admin).await);
        if r.code() != 404 {
            resurrected += 1;
            eprintln!(
                "round {n}: resurrected: PATCH answered {}, GET {} {}",
                patch.code(),
                r.code(),
                r.text()
            );
            // Clean up so later rounds stay independent.
            ok(
                &stack,
                console.command(&format!("no object network {name}")),
            );
        }
    }
    eprintln!(
        "race (b), {rounds} rounds: PATCH 204 (before the removal) {before}, 404 {after}, 409 {conflicts}, {resurrected} resurrected"
    );
    assert_eq!(resurrected, 0, "resurrected objects in {rounds} rounds");
}
