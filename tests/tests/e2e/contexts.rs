//! Multiple-context mode over HTTPS: a stack booted from a system configuration (contexts
//! `admin` and `ctx1` with their `config-url` files on disk0), `/api/cli?context=` per
//! context, tokens per context, resource URLs refused with 400, monitoring with `?context=`,
//! contexts made through the system context, the console's `changeto`; requests that name
//! no context (the CLI in the admin context, monitoring in the context Cisco says); and a
//! mode switch through the API, which restarts the agent as the ASA does.

use std::time::{Duration, Instant};

use serde_json::json;
use tests::{Auth, Client, Console, Stack};

use crate::support::*;

const TOKENS: &str = "/api/tokenservices";
const NOT_IN_MULTI: &str = "NOT-SUPPORTED-IN-MULTIPLE-CONTEXT-MODE";

/// The system configuration the multiple-mode stack boots from.
const SYSTEM_CONFIG: &str = "mode multiple
hostname mctx
interface GigabitEthernet0/0
!
interface GigabitEthernet0/1
!
interface GigabitEthernet0/2
!
interface Management0/0
!
admin-context admin
context admin
  description Management context
  allocate-interface GigabitEthernet0/0
  allocate-interface Management0/0
  config-url disk0:/admin.cfg
!
context ctx1
  description Customer one
  allocate-interface GigabitEthernet0/1
  config-url disk0:/ctx1.cfg
!
rest-api image disk0:/asa-restapi-7161-lfbff-k8.SPA
rest-api agent
";

/// Restarts `stack` on a system configuration and its two context files.
async fn multiple_mode(stack: &mut Stack) {
    let pw = stack.options().admin_password.clone();
    let dir = stack.state_dir().to_path_buf();
    let files = [
        (dir.join("startup-config"), SYSTEM_CONFIG.to_owned()),
        (
            dir.join("disk0").join("admin.cfg"),
            format!(
                "hostname adminctx\ninterface GigabitEthernet0/0\n nameif outside0\n security-level 0\n ip address 10.0.0.254 255.255.255.0\nusername admin password {pw} privilege 15\nobject network in-admin\n host 10.0.0.1\n"
            ),
        ),
        (
            dir.join("disk0").join("ctx1.cfg"),
            "hostname ctx1\ninterface GigabitEthernet0/1\n nameif inside1\n security-level 100\n ip address 10.1.1.254 255.255.255.0\nobject network in-ctx1\n host 10.1.1.1\n".to_owned(),
        ),
    ];
    for (path, text) in files {
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let restarted = stack.restart().await;
    ok(stack, restarted);
}

/// `POST /api/cli?context=<ctx>`; returns the status and the joined outputs (or the body).
async fn cli_in(
    c: &mut Client,
    auth: &Auth,
    context: Option<&str>,
    commands: &[&str],
) -> (u16, String) {
    let path = match context {
        Some(ctx) => format!("/api/cli?context={ctx}"),
        None => "/api/cli".to_owned(),
    };
    let r = c
        .post(&path, json!({ "commands": commands }), auth)
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    if r.code() != 200 {
        return (r.code(), r.text());
    }
    let body = json(&r);
    let text = body["response"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default())
                .collect::<String>()
        })
        .unwrap_or_default();
    (200, text)
}

async fn run_in(c: &mut Client, auth: &Auth, context: Option<&str>, commands: &[&str]) -> String {
    let (status, text) = cli_in(c, auth, context, commands).await;
    assert_eq!(
        status, 200,
        "/api/cli?context={context:?} {commands:?}: {text}"
    );
    text
}

#[tokio::test]
async fn multiple_mode_serves_each_context_through_cli_tokens_and_monitoring() {
    let mut stack = start().await;
    multiple_mode(&mut stack).await;
    let admin = stack.admin();
    let mut c = client(&stack);

    // /api/cli: no context is the admin context; each context has its own configuration.
    let in_admin = run_in(&mut c, &admin, None, &["show running-config"]).await;
    assert!(
        in_admin.contains("ASA Version 9.16(4) <context>"),
        "{in_admin}"
    );
    assert!(in_admin.contains("object network in-admin"), "{in_admin}");
    assert!(!in_admin.contains("in-ctx1"), "{in_admin}");
    let in_ctx1 = run_in(&mut c, &admin, Some("ctx1"), &["show running-config"]).await;
    assert!(in_ctx1.contains("object network in-ctx1"), "{in_ctx1}");
    assert!(
        in_ctx1.contains("interface GigabitEthernet0/1"),
        "{in_ctx1}"
    );
    assert!(!in_ctx1.contains("in-admin"), "{in_ctx1}");
    let system = run_in(&mut c, &admin, Some("system"), &["show running-config"]).await;
    assert!(system.contains("ASA Version 9.16(4) <system>"), "{system}");
    assert!(system.contains("context ctx1"), "{system}");
    let table = run_in(&mut c, &admin, Some("system"), &["show context"]).await;
    assert!(table.contains("*admin "), "{table}");
    assert!(table.contains(" ctx1 "), "{table}");
    assert_eq!(
        run_in(&mut c, &admin, Some("ctx1"), &["show mode"]).await,
        "Security context mode: multiple\n"
    );

    // A change in ctx1 stays in ctx1.
    run_in(
        &mut c,
        &admin,
        Some("ctx1"),
        &["object network only-ctx1", " host 10.1.1.2"],
    )
    .await;
    let in_admin = run_in(&mut c, &admin, None, &["show running-config object"]).await;
    assert!(!in_admin.contains("only-ctx1"), "{in_admin}");

    // An unknown context is refused before anything runs.
    let (status, body) = cli_in(&mut c, &admin, Some("nope"), &["show version"]).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("INVALID-CONTEXT"), "{body}");

    // Every other resource answers 400 with a clear message.
    for (method, path) in [
        ("GET", NETWORK_OBJECTS),
        ("GET", "/api/objects/networkobjects/in-admin"),
        ("POST", "/api/commands/writemem"),
        ("GET", "/api/access/in"),
    ] {
        let r = match method {
            "GET" => ok(&stack, c.get(path, &admin).await),
            _ => ok(&stack, c.post(path, json!({}), &admin).await),
        };
        let (code, details) = expect_error(&r, 400, &format!("{method} {path}"));
        assert_eq!(code, NOT_IN_MULTI, "{path}: {}", r.text());
        assert!(details.contains("multiple-context mode"), "{details}");
    }
    // Monitoring is served, with ?context= checked by LINA.
    for path in [
        "/api/monitoring/serialnumber",
        "/api/monitoring/serialnumber?context=ctx1",
        "/api/monitoring/serialnumber?context=system",
    ] {
        let r = ok(&stack, c.get(path, &admin).await);
        expect_status(&r, 200, path);
        assert_eq!(json(&r)["kind"], "object#QuerySerialNumber");
    }
    // The show commands behind monitoring run in the context the request names.
    let nameifs = |r: &tests::Response| -> Vec<String> {
        json(r)["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| i["name"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let r = ok(
        &stack,
        c.get("/api/monitoring/device/interfaces", &admin).await,
    );
    expect_status(&r, 200, "interfaces of the admin context");
    let listed = nameifs(&r);
    assert!(listed.contains(&"outside0".to_owned()), "{}", r.text());
    assert!(!listed.contains(&"inside1".to_owned()), "{}", r.text());
    let r = ok(
        &stack,
        c.get("/api/monitoring/device/interfaces?context=ctx1", &admin)
            .await,
    );
    expect_status(&r, 200, "interfaces of ctx1");
    let listed = nameifs(&r);
    assert!(listed.contains(&"inside1".to_owned()), "{}", r.text());
    assert!(!listed.contains(&"outside0".to_owned()), "{}", r.text());
    for path in [
        "/api/monitoring/device/components/cpu",
        "/api/monitoring/device/components/cpu?context=system",
        "/api/monitoring/device/components/version?context=ctx1",
    ] {
        let r = ok(&stack, c.get(path, &admin).await);
        expect_status(&r, 200, path);
    }
    let r = ok(
        &stack,
        c.get("/api/monitoring/serialnumber?context=nope", &admin)
            .await,
    );
    let (code, _) = expect_error(&r, 400, "monitoring in an unknown context");
    assert_eq!(code, "INVALID-CONTEXT");

    // Tokens: 25 per context; a token from the admin context works in every context.
    let mut first = None;
    for i in 0..25 {
        let r = ok(&stack, c.post(TOKENS, (), &admin).await);
        expect_status(&r, 204, &format!("token {i} of the admin context"));
        first.get_or_insert_with(|| r.header("x-auth-token").unwrap_or_default().to_owned());
    }
    let r = ok(&stack, c.post(TOKENS, (), &admin).await);
    expect_error(&r, 503, "the 26th token of the admin context");
    let r = ok(
        &stack,
        c.post(&format!("{TOKENS}?context=ctx1"), (), &admin).await,
    );
    expect_status(&r, 204, "a token in ctx1 (its own budget)");
    let token = Auth::token(&first.unwrap_or_default());
    let in_ctx1 = run_in(
        &mut c,
        &token,
        Some("ctx1"),
        &["show running-config object"],
    )
    .await;
    assert!(in_ctx1.contains("in-ctx1"), "{in_ctx1}");

    // A context made through the system context gets its interfaces and saves to its file.
    let made = run_in(
        &mut c,
        &admin,
        Some("system"),
        &[
            "context ctx2",
            " allocate-interface GigabitEthernet0/2",
            " config-url disk0:/ctx2.cfg",
        ],
    )
    .await;
    assert!(!made.contains("ERROR"), "{made}");
    let ctx2 = run_in(
        &mut c,
        &admin,
        Some("ctx2"),
        &["show running-config interface"],
    )
    .await;
    assert!(ctx2.contains("interface GigabitEthernet0/2"), "{ctx2}");
    run_in(
        &mut c,
        &admin,
        Some("ctx2"),
        &["hostname two", "write memory"],
    )
    .await;
    let saved = stack.state_dir().join("disk0").join("ctx2.cfg");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !saved.exists() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let text = std::fs::read_to_string(&saved).unwrap_or_default();
    assert!(
        text.contains("hostname two"),
        "{}: {text:?}",
        saved.display()
    );

    // The console starts in the system execution space and changes context.
    let pw = stack.options().admin_password.clone();
    let mut console = ok(&stack, Console::connect(stack.addresses().console));
    ok(&stack, console.login("admin", &pw));
    ok(&stack, console.enable(&pw));
    let listed = ok(&stack, console.command("show context"));
    assert!(listed.contains("ctx2"), "{listed}");
    let out = ok(&stack, console.command("changeto context ctx1"));
    assert!(!out.contains("ERROR"), "{out}");
    assert_eq!(
        console.last_prompt(),
        Some(&tests::Prompt::Privileged("mctx/ctx1".to_owned()))
    );
    let objects = ok(&stack, console.command("show running-config object"));
    assert!(objects.contains("in-ctx1"), "{objects}");
    ok(&stack, console.command("changeto system"));
    assert_eq!(
        console.last_prompt(),
        Some(&tests::Prompt::Privileged("mctx".to_owned()))
    );
}

/// `GET path` (200 expected); the JSON body.
async fn get_json(stack: &Stack, c: &mut Client, path: &str) -> serde_json::Value {
    let r = ok(stack, c.get(path, &stack.admin()).await);
    expect_status(&r, 200, path);
    json(&r)
}

/// What a field holds in each item of a collection, sorted.
fn field_of_items(body: &serde_json::Value, field: &str) -> Vec<String> {
    let mut out: Vec<String> = body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i[field].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[tokio::test]
async fn without_a_context_the_cli_runs_in_the_admin_context_and_monitoring_picks_its_own() {
    let mut stack = start().await;
    multiple_mode(&mut stack).await;
    let admin = stack.admin();
    let mut c = client(&stack);

    // Cisco: "If the 'context' query parameter is not present, the request is directed to the
    // admin context" -- whatever the commands: the system execution space must be named.
    let config = run_in(&mut c, &admin, None, &["show running-config"]).await;
    assert!(config.contains("hostname adminctx\n"), "{config}");
    let table = run_in(&mut c, &admin, None, &["show context"]).await;
    assert!(table.contains("*admin "), "{table}");
    assert!(
        !table.contains("ctx1"),
        "the admin context sees itself: {table}"
    );
    let refused = run_in(&mut c, &admin, None, &["mode single noconfirm"]).await;
    assert!(
        refused.contains("ERROR") && refused.contains("system execution space"),
        "{refused}"
    );
    assert_eq!(
        run_in(&mut c, &admin, Some("system"), &["show mode"]).await,
        "Security context mode: multiple\n"
    );
    run_in(
        &mut c,
        &admin,
        None,
        &["object network made-without-context", " host 10.0.0.9"],
    )
    .await;
    let in_admin = run_in(
        &mut c,
        &admin,
        Some("admin"),
        &["show running-config object"],
    )
    .await;
    assert!(in_admin.contains("made-without-context"), "{in_admin}");
    let in_ctx1 = run_in(
        &mut c,
        &admin,
        Some("ctx1"),
        &["show running-config object"],
    )
    .await;
    assert!(!in_ctx1.contains("made-without-context"), "{in_ctx1}");

    // Monitoring. The serial number is the device's, whatever the context.
    let serial = get_json(&stack, &mut c, "/api/monitoring/serialnumber").await;
    assert_eq!(serial["kind"], "object#QuerySerialNumber");
    assert!(
        serial["serialNumber"]
            .as_str()
            .is_some_and(|s| !s.is_empty()),
        "{serial}"
    );
    for ctx in ["system", "admin", "ctx1"] {
        let other = get_json(
            &stack,
            &mut c,
            &format!("/api/monitoring/serialnumber?context={ctx}"),
        )
        .await;
        assert_eq!(other["serialNumber"], serial["serialNumber"], "{ctx}");
    }
    // The version, the interfaces and the ARP table are the admin context's.
    let version = get_json(&stack, &mut c, "/api/monitoring/device/components/version").await;
    assert_eq!(version["kind"], "object#Version");
    let admin_version = get_json(
        &stack,
        &mut c,
        "/api/monitoring/device/components/version?context=admin",
    )
    .await;
    assert_eq!(version["asaVersion"], admin_version["asaVersion"]);
    assert_eq!(version["asaVersion"], "9.16(4)", "{version}");
    let interfaces = get_json(&stack, &mut c, "/api/monitoring/device/interfaces").await;
    let admin_interfaces = get_json(
        &stack,
        &mut c,
        "/api/monitoring/device/interfaces?context=admin",
    )
    .await;
    assert_eq!(
        field_of_items(&interfaces, "name"),
        ["outside0"],
        "{interfaces}"
    );
    assert_eq!(
        field_of_items(&interfaces, "name"),
        field_of_items(&admin_interfaces, "name")
    );
    let arp = get_json(&stack, &mut c, "/api/monitoring/arp").await;
    assert_eq!(arp["kind"], "collection#Arp");
    let neighbours = field_of_items(&arp, "ipAddress");
    assert!(!neighbours.is_empty(), "{arp}");
    assert!(
        field_of_items(&arp, "interface")
            .iter()
            .all(|i| i == "outside0"),
        "{arp}"
    );
    assert!(
        neighbours.iter().all(|ip| ip.starts_with("10.0.0.")),
        "{arp}"
    );
    let ctx1_arp = get_json(&stack, &mut c, "/api/monitoring/arp?context=ctx1").await;
    assert!(
        field_of_items(&ctx1_arp, "interface")
            .iter()
            .all(|i| i == "inside1"),
        "{ctx1_arp}"
    );

    // CPU and memory are the device's: the system context's figures, not the admin
    // context's share. The figures move with time: compare readings taken within one
    // period (the system's first and last readings agree).
    const CPU: &str = "/api/monitoring/device/components/cpu";
    const MEMORY: &str = "/api/monitoring/device/components/memory";
    const COMPONENTS: &str = "/api/monitoring/device/components";
    let mut compared = false;
    for _ in 0..5 {
        let system_cpu = get_json(&stack, &mut c, &format!("{CPU}?context=system")).await;
        let system_memory = get_json(&stack, &mut c, &format!("{MEMORY}?context=system")).await;
        let cpu = get_json(&stack, &mut c, CPU).await;
        let memory = get_json(&stack, &mut c, MEMORY).await;
        let components = get_json(&stack, &mut c, COMPONENTS).await;
        let admin_cpu = get_json(&stack, &mut c, &format!("{CPU}?context=admin")).await;
        let admin_memory = get_json(&stack, &mut c, &format!("{MEMORY}?context=admin")).await;
        let again_cpu = get_json(&stack, &mut c, &format!("{CPU}?context=system")).await;
        let again_memory = get_json(&stack, &mut c, &format!("{MEMORY}?context=system")).await;
        if again_cpu != system_cpu || again_memory != system_memory {
            continue;
        }
        assert_eq!(cpu["kind"], "object#CpuUsage");
        assert_eq!(cpu, system_cpu, "CPU without a context");
        assert_ne!(
            cpu, admin_cpu,
            "the admin context's share is not the device's"
        );
        assert_eq!(memory["kind"], "object#MemoryUsage");
        assert_eq!(memory, system_memory, "memory without a context");
        assert_ne!(
            memory["usedMemoryinBytes"], admin_memory["usedMemoryinBytes"],
            "{memory} {admin_memory}"
        );
        assert_eq!(components["cpu"], system_cpu);
        assert_eq!(components["memory"], system_memory);
        assert_eq!(components["version"]["asaVersion"], version["asaVersion"]);
        compared = true;
        break;
    }
    assert!(compared, "the figures kept moving between readings");
}

/// Polls until a GET of the network objects answers `status` (the agent process restarted
/// into the new mode); panics with the last answer after 40 s.
async fn wait_for_objects_status(stack: &Stack, status: u16) {
    let admin = stack.admin();
    let deadline = Instant::now() + Duration::from_secs(40);
    let mut last = String::new();
    while Instant::now() < deadline {
        let mut c = client(stack);
        match c.get(NETWORK_OBJECTS, &admin).await {
            Ok(r) if r.code() == status => return,
            Ok(r) => last = format!("{} {}", r.code(), r.text()),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "no {status} for {NETWORK_OBJECTS} (last: {last})\n{}",
        stack.output()
    );
}

#[tokio::test]
async fn switching_context_mode_restarts_the_agent_into_the_new_mode() {
    let mut stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &admin).await);
    expect_status(&r, 200, "single mode serves resources");
    let before = ok(&stack, stack.agent_pid());
    let r = ok(&stack, c.post(TOKENS, (), &admin).await);
    expect_status(&r, 204, "token before the switch");
    let old_token = Auth::token(r.header("x-auth-token").unwrap_or_default());

    // The agent restarts once LINA converts (the ASA reloads), after the request that asked
    // for it has its answer.
    let (status, out) = cli_in(&mut c, &admin, None, &["mode multiple noconfirm"]).await;
    assert_eq!(status, 200, "mode multiple: {out}");
    assert!(
        out.contains("WARNING: This command will initiate a Reboot"),
        "{out}"
    );
    wait_for_objects_status(&stack, 400).await;
    let after = ok(&stack, stack.agent_pid());
    assert_ne!(before, after, "a new agent process serves multiple mode");

    let mut c = client(&stack);
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &old_token).await);
    expect_error(&r, 401, "tokens end with the agent");
    let system = run_in(&mut c, &admin, Some("system"), &["show running-config"]).await;
    assert!(system.contains("admin-context admin"), "{system}");
    assert!(system.contains("rest-api agent"), "{system}");
    let in_admin = run_in(&mut c, &admin, None, &["show running-config"]).await;
    assert!(in_admin.contains("username admin"), "{in_admin}");
    let logging = run_in(&mut c, &admin, Some("system"), &["show logging"]).await;
    assert!(
        logging.contains("342001"),
        "the restarted agent logged its start: {logging}"
    );

    // The conversion was saved (startup-config and disk0:/admin.cfg): LINA boots again in
    // multiple mode with the admin context's users.
    let admin_cfg = stack.state_dir().join("disk0").join("admin.cfg");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !admin_cfg.exists() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let restarted = stack.restart().await;
    ok(&stack, restarted);
    wait_for_objects_status(&stack, 400).await;
    let mut c = client(&stack);
    let in_admin = run_in(&mut c, &admin, None, &["show running-config"]).await;
    assert!(
        in_admin.contains("ASA Version 9.16(4) <context>"),
        "{in_admin}"
    );
    assert!(in_admin.contains("username admin"), "{in_admin}");

    // And back: the admin context becomes the device's configuration.
    let (status, out) = cli_in(&mut c, &admin, Some("system"), &["mode single noconfirm"]).await;
    assert_eq!(status, 200, "mode single: {out}");
    assert!(out.contains("single context mode"), "{out}");
    wait_for_objects_status(&stack, 200).await;
    let mut c = client(&stack);
    // Single mode names no contexts.
    let (status, body) = cli_in(&mut c, &admin, Some("admin"), &["show version"]).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("INVALID-CONTEXT"), "{body}");
    let back = run_in(&mut c, &admin, None, &["show mode"]).await;
    assert_eq!(back, "Security context mode: single\n");
}
