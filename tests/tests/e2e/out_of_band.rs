//! Out-of-band changes: what an operator does on the LINA console is visible to the very next
//! API request (the agent notices the configuration generation changed).

use tests::Console;

use crate::support::*;

#[tokio::test]
async fn console_changes_are_seen_by_the_next_api_request() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let pw = stack.options().admin_password.clone();
    let console_addr = stack.addresses().console;

    // Warm the agent's snapshot first, so that a stale one would show.
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &admin).await);
    expect_status(&r, 200, "GET before the console change");
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/oob1"), &admin).await,
    );
    expect_not_found(&r, "oob1 before it exists");

    let mut console = ok(&stack, Console::login_config(console_addr, "admin", &pw));
    for line in [
        "object network oob1",
        "host 10.90.0.1",
        "description made on the console",
        "exit",
    ] {
        let out = ok(&stack, console.command(line));
        assert!(!out.contains("ERROR"), "console {line:?}: {out}");
    }

    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/oob1"), &admin).await,
    );
    expect_status(&r, 200, "GET right after the console created oob1");
    let body = json(&r);
    assert_eq!(
        body["host"],
        serde_json::json!({"kind": "IPv4Address", "value": "10.90.0.1"})
    );
    assert_eq!(body["description"], "made on the console");

    // A change to an object the API created.
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("apiobj", "IPv4Address", "10.90.0.2", Some("api")),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST apiobj");
    for line in [
        "object network apiobj",
        "description changed on the console",
        "exit",
    ] {
        ok(&stack, console.command(line));
    }
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/apiobj"), &admin).await,
    );
    assert_eq!(json(&r)["description"], "changed on the console");

    let out = ok(&stack, console.command("no object network oob1"));
    assert!(!out.contains("ERROR"), "console delete: {out}");
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/oob1"), &admin).await,
    );
    expect_not_found(&r, "GET right after the console deleted oob1");
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &admin).await);
    assert!(
        !names(json(&r)["items"].as_array().unwrap_or(&Vec::new())).contains(&"oob1".to_owned()),
        "{}",
        r.text()
    );
}
