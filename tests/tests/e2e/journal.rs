//! Issue 13: out-of-band changes at the cost of the change. A console change reaches the next
//! GET through LINA's change journal, patched into the agent's snapshot without reading the
//! whole configuration again (the `snapshotReloads` statistic stays put), and exactly: a full
//! reload afterwards answers the same collections. The agent's own writes, sequential,
//! concurrent, in bulk and through `/api/cli`, with the generation watcher running, never
//! cause a reload.

use serde_json::{Value, json};
use tests::{Client, Console};

use crate::support::*;

const STATISTICS: &str = "/api/monitoring/apistatistics";
const GROUPS: &str = "/api/objects/networkobjectgroups";
const SERVICES: &str = "/api/objects/networkservices";
const ROUTES: &str = "/api/routing/static";
const INTERFACES: &str = "/api/interfaces/physical";

async fn reloads(stack: &tests::Stack, c: &mut Client, auth: &tests::Auth) -> u64 {
    let r = ok(stack, c.get(STATISTICS, auth).await);
    expect_status(&r, 200, "GET statistics");
    json(&r)["snapshotReloads"]
        .as_u64()
        .unwrap_or_else(|| panic!("no snapshotReloads in {}", json(&r)))
}

async fn collections(stack: &tests::Stack, c: &mut Client, auth: &tests::Auth) -> Vec<Value> {
    let mut out = Vec::new();
    for path in [NETWORK_OBJECTS, GROUPS, SERVICES, ROUTES, INTERFACES] {
        let r = ok(stack, c.get(&format!("{path}?limit=1000"), auth).await);
        expect_status(&r, 200, path);
        out.push(json(&r));
    }
    out
}

fn console_lines(stack: &tests::Stack, console: &mut Console, lines: &[&str]) {
    for line in lines {
        let out = ok(stack, console.command(line));
        assert!(!out.contains("ERROR"), "console {line:?}: {out}");
    }
}

#[tokio::test]
async fn console_changes_are_patched_in_exactly_without_a_reload() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let pw = stack.options().admin_password.clone();
    let warm = collections(&stack, &mut c, &admin).await;
    assert_eq!(warm.len(), 5);
    let before = reloads(&stack, &mut c, &admin).await;

    let mut console = ok(
        &stack,
        Console::login_config(stack.addresses().console, "admin", &pw),
    );
    console_lines(
        &stack,
        &mut console,
        &[
            "object network j1",
            "host 10.91.0.1",
            "description made on the console",
            "exit",
        ],
    );
    // The very next GET sees it.
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/j1"), &admin).await,
    );
    expect_status(&r, 200, "GET j1 right after the console made it");
    assert_eq!(
        json(&r)["host"],
        json!({"kind": "IPv4Address", "value": "10.91.0.1"})
    );
    assert_eq!(json(&r)["description"], "made on the console");

    console_lines(
        &stack,
        &mut console,
        &[
            "object network j2",
            "subnet 10.92.0.0 255.255.0.0",
            "exit",
            "object-group network jg",
            "network-object object j1",
            "network-object host 10.93.0.1",
            "exit",
            "object service js",
            "service tcp destination eq 8443",
            "exit",
            "route management 10.94.0.0 255.255.0.0 192.168.1.254 1",
            "object network j1",
            "description changed on the console",
            "exit",
            "interface GigabitEthernet0/1",
            "description patched in place",
            "no shutdown",
            "exit",
        ],
    );
    let r = ok(
        &stack,
        c.get(
            &format!("{INTERFACES}/GigabitEthernet0_API_SLASH_1"),
            &admin,
        )
        .await,
    );
    expect_status(&r, 200, "GET the interface the console changed");
    assert_eq!(
        json(&r)["interfaceDesc"],
        "patched in place",
        "{}",
        json(&r)
    );
    let r = ok(&stack, c.get(&format!("{GROUPS}/jg"), &admin).await);
    expect_status(&r, 200, "GET jg");
    assert_eq!(json(&r)["members"].as_array().map(Vec::len), Some(2));
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/j1"), &admin).await,
    );
    assert_eq!(json(&r)["description"], "changed on the console");
    console_lines(&stack, &mut console, &["no object network j2"]);
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/j2"), &admin).await,
    );
    expect_not_found(&r, "GET j2 right after the console removed it");

    let patched = collections(&stack, &mut c, &admin).await;
    assert_eq!(
        reloads(&stack, &mut c, &admin).await,
        before,
        "patched families must not reload"
    );

    // A family the patch does not cover reloads, and the reload answers the same.
    console_lines(&stack, &mut console, &["logging timestamp"]);
    let reloaded = collections(&stack, &mut c, &admin).await;
    assert_eq!(reloads(&stack, &mut c, &admin).await, before + 1);
    assert_eq!(
        patched, reloaded,
        "the patched snapshot is the reloaded one"
    );
}

#[tokio::test]
async fn the_agents_own_writes_never_reload() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let before = reloads(&stack, &mut c, &admin).await;

    // Sequential writes: create, replace, delete.
    for i in 0..10 {
        let name = format!("own-{i}");
        let ip = format!("10.95.0.{i}");
        let r = ok(
            &stack,
            c.post(
                NETWORK_OBJECTS,
                network_object(&name, "IPv4Address", &ip, None),
                &admin,
            )
            .await,
        );
        expect_status(&r, 201, "POST");
        let r = ok(
            &stack,
            c.put(
                &format!("{NETWORK_OBJECTS}/{name}"),
                network_object(&name, "IPv4Address", &ip, Some("replaced")),
                &admin,
            )
            .await,
        );
        expect_status(&r, 204, "PUT");
        if i % 2 == 0 {
            let r = ok(
                &stack,
                c.delete(&format!("{NETWORK_OBJECTS}/{name}"), &admin).await,
            );
            expect_status(&r, 204, "DELETE");
        }
    }
    // Concurrent writers.
    let writer = |k: usize| {
        let stack = &stack;
        let admin = &admin;
        async move {
            let mut c = client(stack);
            for i in 0..8 {
                let name = format!("conc-{k}-{i}");
                let ip = format!("10.96.{k}.{i}");
                let r = ok(
                    stack,
                    c.post(
                        NETWORK_OBJECTS,
                        network_object(&name, "IPv4Address", &ip, None),
                        admin,
                    )
                    .await,
                );
                // A write racing another may be re-planned; it is never lost.
                expect_status(&r, 201, "concurrent POST");
            }
        }
    };
    tokio::join!(writer(0), writer(1), writer(2), writer(3));
    // A bulk.
    let ops: Vec<Value> = (0..100)
        .map(|i| {
            json!({
                "method": "POST",
                "resourceUri": NETWORK_OBJECTS,
                "data": network_object(&format!("bulk-own-{i}"), "IPv4Address", &format!("10.97.0.{i}"), None),
            })
        })
        .collect();
    let r = ok(&stack, c.post("/api", json!(ops), &admin).await);
    expect_status(&r, 200, "bulk");
    // A CLI batch on a patched family.
    cli(
        &mut c,
        &admin,
        &["object network via-cli", "host 10.98.0.1", "exit"],
    )
    .await;
    // Let the watcher see every push.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/via-cli"), &admin).await,
    );
    expect_status(&r, 200, "GET what /api/cli made");
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/conc-3-7"), &admin).await,
    );
    expect_status(&r, 200, "GET a concurrent write");
    assert_eq!(reloads(&stack, &mut c, &admin).await, before);
}
