//! Monitoring over HTTPS: every `/api/monitoring/...` endpoint with its kind and fields,
//! figures that follow the configuration and move with time, privilege 3 to read (2 cannot),
//! GET only, and well-formed answers while configuration writes run concurrently.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tests::{Auth, Client};

use crate::support::*;

const VERSION: &str = "/api/monitoring/device/components/version";
const COMPONENTS: &str = "/api/monitoring/device/components";
const CPU: &str = "/api/monitoring/device/components/cpu";
const MEMORY: &str = "/api/monitoring/device/components/memory";
const INTERFACES: &str = "/api/monitoring/device/interfaces";
const ARP: &str = "/api/monitoring/arp";
const CONNECTIONS: &str = "/api/monitoring/connections";
const STATISTICS: &str = "/api/monitoring/apistatistics";
const SERIAL: &str = "/api/monitoring/serialnumber";

/// Every monitoring URL and the kind it answers with.
const ENDPOINTS: [(&str, &str); 9] = [
    (SERIAL, "object#QuerySerialNumber"),
    (VERSION, "object#Version"),
    (COMPONENTS, "object#DeviceComponents"),
    (CPU, "object#CpuUsage"),
    (MEMORY, "object#MemoryUsage"),
    (INTERFACES, "collection#MonitoringMetric"),
    (ARP, "collection#Arp"),
    (CONNECTIONS, "object#ConnectionCount"),
    (STATISTICS, "object#ApiStatistics"),
];

/// GET as `auth`, asserting 200; the body.
async fn get_ok(stack: &tests::Stack, c: &mut Client, path: &str, auth: &Auth) -> Value {
    let r = ok(stack, c.get(path, auth).await);
    expect_status(&r, 200, &format!("GET {path}"));
    json(&r)
}

/// Names GigabitEthernet0/1 `inside` on 10.5.5.1/24 and brings it up.
async fn configure_inside(c: &mut Client, admin: &Auth) {
    cli(
        c,
        admin,
        &[
            "interface GigabitEthernet0/1",
            "nameif inside",
            "security-level 100",
            "ip address 10.5.5.1 255.255.255.0",
            "no shutdown",
            "exit",
        ],
    )
    .await;
}

#[tokio::test]
async fn every_endpoint_answers_with_its_kind_and_fields() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    configure_inside(&mut c, &admin).await;

    for (path, kind) in ENDPOINTS {
        let body = get_ok(&stack, &mut c, path, &admin).await;
        assert_eq!(body["kind"], kind, "{path}: {body}");
    }

    // object#Version: napalm-asa's get_facts fields, with the lowercase `in`.
    let v = get_ok(&stack, &mut c, VERSION, &admin).await;
    assert_eq!(v["asaVersion"], "9.16(4)", "{v}");
    assert_eq!(v["deviceType"], "ASAv");
    assert_eq!(v["firewallMode"], "Router");
    assert_eq!(v["totalFlashinMB"], 8192);
    assert!(v["upTimeinSeconds"].is_u64(), "{v}");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let current = v["currentTimeinSeconds"].as_u64().unwrap_or(0);
    assert!(current.abs_diff(now) < 60, "{v}");
    assert!(v["selfLink"].as_str().is_some_and(|l| l.ends_with(VERSION)));

    // Components carry version, cpu and memory.
    let comp = get_ok(&stack, &mut c, COMPONENTS, &admin).await;
    assert_eq!(comp["version"]["kind"], "object#Version");
    let five = comp["cpu"]["fiveSecondsPercent"].as_f64().unwrap_or(-1.0);
    assert!((0.0..=100.0).contains(&five), "{comp}");
    let m = &comp["memory"];
    assert_eq!(
        m["usedMemoryinBytes"].as_u64().unwrap_or(0) + m["freeMemoryinBytes"].as_u64().unwrap_or(0),
        m["totalMemoryinBytes"].as_u64().unwrap_or(1),
        "{m}"
    );

    // Interfaces: the named ones, following the configuration.
    let list = get_ok(&stack, &mut c, INTERFACES, &admin).await;
    let items = list["items"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = items.iter().filter_map(|i| i["name"].as_str()).collect();
    assert!(
        names.contains(&"inside") && names.contains(&"management"),
        "{list}"
    );
    assert_eq!(list["rangeInfo"]["total"], items.len());
    let inside = get_ok(&stack, &mut c, &format!("{INTERFACES}/inside"), &admin).await;
    assert_eq!(inside["kind"], "object#MonitoringMetric");
    assert_eq!(inside["hardwareID"], "GigabitEthernet0/1");
    assert_eq!(inside["ipAddress"], "10.5.5.1");
    assert_eq!(inside["netMask"], "255.255.255.0");
    assert_eq!(inside["status"], "up");
    let r = ok(
        &stack,
        c.get(&format!("{INTERFACES}/nowhere"), &admin).await,
    );
    expect_not_found(&r, "an unknown nameif");

    // Counters move with time.
    let before = inside["inputPackets"].as_u64().unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let again = get_ok(&stack, &mut c, &format!("{INTERFACES}/inside"), &admin).await;
    assert!(
        again["inputPackets"].as_u64().unwrap_or(0) > before,
        "{inside} then {again}"
    );

    // ARP: neighbours in the configured subnet, napalm-asa's fields.
    let arp = get_ok(&stack, &mut c, ARP, &admin).await;
    let entries = arp["items"].as_array().cloned().unwrap_or_default();
    let inside_arp: Vec<&Value> = entries
        .iter()
        .filter(|e| e["interface"] == "inside")
        .collect();
    assert!(!inside_arp.is_empty(), "{arp}");
    for e in &inside_arp {
        assert!(
            e["ipAddress"]
                .as_str()
                .is_some_and(|ip| ip.starts_with("10.5.5.")),
            "{e}"
        );
        assert!(
            e["macAddress"].as_str().is_some_and(|m| m.len() == 14),
            "{e}"
        );
        assert_eq!(e["proxyArp"], false);
    }
    assert_eq!(arp["rangeInfo"]["total"], entries.len());
    let page = get_ok(&stack, &mut c, &format!("{ARP}?offset=1&limit=1"), &admin).await;
    assert_eq!(page["rangeInfo"]["offset"], 1);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));

    // Shutting the interface down shows in its status, and it leaves the ARP table.
    cli(
        &mut c,
        &admin,
        &["interface GigabitEthernet0/1", "shutdown", "exit"],
    )
    .await;
    let down = get_ok(&stack, &mut c, &format!("{INTERFACES}/inside"), &admin).await;
    assert_eq!(down["status"], "administratively down", "{down}");
    assert_eq!(down["lineProtocol"], "down");
    let arp = get_ok(&stack, &mut c, ARP, &admin).await;
    assert!(
        arp["items"]
            .as_array()
            .is_some_and(|a| a.iter().all(|e| e["interface"] != "inside")),
        "{arp}"
    );

    // Connections and the agent's own statistics.
    let conn = get_ok(&stack, &mut c, CONNECTIONS, &admin).await;
    assert!(
        conn["inUse"].as_u64() <= conn["mostUsed"].as_u64(),
        "{conn}"
    );
    let stats = get_ok(&stack, &mut c, STATISTICS, &admin).await;
    assert!(
        stats["totalRequests"].as_u64().unwrap_or(0) >= 20,
        "{stats}"
    );
    assert!(
        stats["requestsByMethod"]["GET"].as_u64().unwrap_or(0) >= 15,
        "{stats}"
    );
    assert!(
        stats["requestsByStatus"]["404"].as_u64().unwrap_or(0) >= 1,
        "{stats}"
    );
    assert!(stats["latency"]["histogram"].is_array(), "{stats}");
    assert!(stats["snapshotReloads"].is_u64(), "{stats}");

    // Monitoring is read-only.
    let r = ok(&stack, c.post(VERSION, serde_json::json!({}), &admin).await);
    expect_error(&r, 405, "POST on monitoring");
}

#[tokio::test]
async fn privilege_3_reads_monitoring_and_2_does_not() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create_users(
        &mut c,
        &admin,
        &[("mon3", "Passw0rd3", 3), ("low2", "Passw0rd2", 2)],
    )
    .await;
    let level3 = Auth::basic("mon3", "Passw0rd3");
    let level2 = Auth::basic("low2", "Passw0rd2");
    for (path, kind) in ENDPOINTS {
        let body = get_ok(&stack, &mut c, path, &level3).await;
        assert_eq!(body["kind"], kind, "{path} at level 3");
        let r = ok(&stack, c.get(path, &level2).await);
        expect_error(&r, 403, &format!("{path} at level 2"));
    }
    let r = ok(
        &stack,
        c.get(&format!("{INTERFACES}/management"), &level2).await,
    );
    expect_error(&r, 403, "one interface at level 2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monitoring_answers_stay_well_formed_during_writes() {
    let stack = start().await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());

    let writer = {
        let endpoint = endpoint.clone();
        let admin = admin.clone();
        tokio::spawn(async move {
            let mut c = Client::new(endpoint);
            let mut codes = Vec::new();
            for i in 0..30u32 {
                let body = network_object(
                    &format!("mon{i:02}"),
                    "IPv4Address",
                    &format!("10.77.0.{}", i + 1),
                    None,
                );
                let r = c.post(NETWORK_OBJECTS, &body, &admin).await;
                codes.push(r.map(|r| r.code()).unwrap_or(0));
                let cmds = serde_json::json!({"commands": [format!("interface GigabitEthernet0/2"), format!("description pass {i}"), "exit".to_owned()]});
                let r = c.post("/api/cli", &cmds, &admin).await;
                codes.push(r.map(|r| r.code()).unwrap_or(0));
            }
            codes
        })
    };
    let mut pollers = Vec::new();
    for p in 0..2usize {
        let endpoint = endpoint.clone();
        let admin = admin.clone();
        pollers.push(tokio::spawn(async move {
            let mut c = Client::new(endpoint);
            let mut bad = Vec::new();
            for n in 0..36usize {
                let (path, kind) = ENDPOINTS[(n + p) % ENDPOINTS.len()];
                match c.get(path, &admin).await {
                    Ok(r) if r.code() == 200 => match r.json() {
                        Ok(v) if v["kind"] == kind => {}
                        _ => bad.push(format!("{path}: {}", r.text())),
                    },
                    Ok(r) => bad.push(format!("{path}: {} {}", r.code(), r.text())),
                    Err(e) => bad.push(format!("{path}: {e}")),
                }
            }
            bad
        }));
    }
    for p in pollers {
        let bad = p
            .await
            .unwrap_or_else(|e| vec![format!("poller task: {e}")]);
        assert!(bad.is_empty(), "{bad:#?}\n{}", stack.output());
    }
    let codes = writer.await.unwrap_or_default();
    assert_eq!(codes.len(), 60);
    assert!(codes.iter().all(|c| *c == 201 || *c == 200), "{codes:?}");
}

// issue 14: monitoring
/// The calls clients make first: `clock` (also their token probe: 401 = log in again),
/// `ipaddress` matched to `/api/interfaces/physical` by the interface's `objectId`, and the
/// per-interface byte counters by the names a counter script reads.
#[tokio::test]
async fn clock_ip_addresses_and_byte_counters_answer_what_clients_read() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    configure_inside(&mut c, &admin).await;

    let clock = get_ok(&stack, &mut c, "/api/monitoring/clock", &admin).await;
    assert_eq!(clock["kind"], "object#Clock", "{clock}");
    let time = clock["time"].as_str().unwrap_or_default();
    assert_eq!(time.len(), "12:40:33.800".len(), "{clock}");
    assert_eq!(clock["timeZone"], "UTC");
    let date = clock["date"].as_str().unwrap_or_default();
    let year = date.rsplit(' ').next().unwrap_or_default();
    assert!(year.len() == 4 && year.starts_with("20"), "{clock}");

    // As a token probe: a token works, an unknown one is 401, and so is no credential.
    let created = ok(&stack, c.post("/api/tokenservices", (), &admin).await);
    expect_status(&created, 204, "token");
    let token = created
        .header("x-auth-token")
        .unwrap_or_default()
        .to_owned();
    get_ok(
        &stack,
        &mut c,
        "/api/monitoring/clock",
        &Auth::token(&token),
    )
    .await;
    let r = ok(
        &stack,
        c.get("/api/monitoring/clock", &Auth::token("expired-token"))
            .await,
    );
    expect_error(&r, 401, "clock with a bad token");
    let r = ok(&stack, c.get("/api/monitoring/clock", &Auth::None).await);
    expect_error(&r, 401, "clock without credentials");

    let list = get_ok(&stack, &mut c, "/api/monitoring/ipaddress", &admin).await;
    assert_eq!(list["kind"], "collection#IPAddressInfo", "{list}");
    let physical = get_ok(&stack, &mut c, "/api/interfaces/physical", &admin).await;
    let hw = physical["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["name"] == "inside")
        .map(|i| i["objectId"].clone())
        .unwrap_or_default();
    assert_eq!(hw, "GigabitEthernet0_API_SLASH_1");
    let item = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["interface"]["objectId"] == hw)
        .cloned()
        .unwrap_or_else(|| panic!("no address item for {hw}: {list}"));
    assert_eq!(item["ipAddress"], "10.5.5.1");
    assert_eq!(item["netmask"], "255.255.255.0");
    assert_eq!(item["isClusterInterface"], false);
    let one = get_ok(&stack, &mut c, "/api/monitoring/ipaddress/inside", &admin).await;
    assert_eq!(one["ipAddress"], "10.5.5.1");
    assert_eq!(one["netmask"], "255.255.255.0");
    let r = ok(
        &stack,
        c.get("/api/monitoring/ipaddress/nowhere", &admin).await,
    );
    expect_not_found(&r, "ipaddress of an unknown nameif");

    let m = get_ok(&stack, &mut c, &format!("{INTERFACES}/inside"), &admin).await;
    assert!(m["inputByteCount"].is_u64(), "{m}");
    assert!(m["outputByteCount"].is_u64(), "{m}");
    assert_eq!(m["inputByteCount"], m["inputBytes"]);
}
