//! Service policy end to end (issue 15): the default global policy a fresh device answers,
//! class maps, inspect maps, policy maps with the 14 inspections Cisco lists, connection
//! limits and service-policy bindings created, read, replaced, patched and deleted over
//! HTTPS, the `show running-config` they become, and the refusals (bad bodies, missing
//! references, items in use).

use serde_json::{Value, json};
use tests::{Auth, Client, Stack};

use crate::support::*;

const CLASS_MAPS: &str = "/api/servicepolicy/classmaps";
const INSPECT_MAPS: &str = "/api/servicepolicy/inspectmaps";
const POLICY_MAPS: &str = "/api/servicepolicy/policymaps";
const LIMITS: &str = "/api/servicepolicy/connectionlimits";
const BINDINGS: &str = "/api/servicepolicy/servicepolicies";

/// The 14 inspections of Cisco's feature list, as `protocol` values.
const CISCO_FOURTEEN: [&str; 14] = [
    "dcerpc",
    "dns",
    "esmtp",
    "ftp",
    "gtp",
    "http",
    "icmp",
    "icmp error",
    "ip-options",
    "netbios",
    "rtsp",
    "sip",
    "snmp",
    "sqlnet",
];

async fn post(stack: &Stack, c: &mut Client, admin: &Auth, url: &str, body: Value, id: &str) {
    let r = ok(stack, c.post(url, &body, admin).await);
    expect_status(&r, 201, &format!("POST {url} {body}"));
    assert_eq!(r.location_id(), Some(id), "Location of {url}");
}

/// The block opened by the line `head` in `text`, with its sub-commands.
fn section(text: &str, head: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line == head {
            inside = true;
        } else if inside && !line.starts_with(' ') {
            break;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[tokio::test]
async fn a_fresh_device_answers_its_default_global_policy() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let base = ok(&stack, stack.endpoint()).base_url();

    let g = get_ok(&stack, &mut c, &admin, &format!("{BINDINGS}/global")).await;
    assert_eq!(g["scope"], "global");
    assert_eq!(g["policyMap"]["objectId"], "global_policy");
    assert_eq!(
        g["policyMap"]["refLink"],
        format!("{base}{POLICY_MAPS}/global_policy")
    );

    let p = get_ok(
        &stack,
        &mut c,
        &admin,
        &format!("{POLICY_MAPS}/global_policy"),
    )
    .await;
    assert_eq!(p["kind"], "object#PolicyMap");
    assert_eq!(p["classes"][0]["className"], "inspection_default");
    let inspections: Vec<&str> = p["classes"][0]["inspections"]
        .as_array()
        .map(|l| l.iter().filter_map(|i| i["protocol"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        inspections,
        [
            "ip-options",
            "netbios",
            "rtsp",
            "sunrpc",
            "tftp",
            "xdmcp",
            "dns",
            "ftp",
            "h323 h225",
            "h323 ras",
            "rsh",
            "esmtp",
            "sqlnet",
            "sip",
            "skinny"
        ]
    );
    assert_eq!(
        p["classes"][0]["inspections"][6],
        json!({"protocol": "dns", "inspectMap": "preset_dns_map"})
    );

    let cm = get_ok(
        &stack,
        &mut c,
        &admin,
        &format!("{CLASS_MAPS}/inspection_default"),
    )
    .await;
    assert_eq!(cm["match"], json!({"type": "defaultInspectionTraffic"}));
    let dns = get_ok(
        &stack,
        &mut c,
        &admin,
        &format!("{INSPECT_MAPS}/preset_dns_map"),
    )
    .await;
    assert_eq!(dns["protocol"], "dns");
    assert_eq!(
        dns["parameters"],
        json!([
            "message-length maximum client auto",
            "message-length maximum 512",
            "no tcp-inspection"
        ])
    );
    let limits = get_ok(&stack, &mut c, &admin, LIMITS).await;
    assert_eq!(limits["items"], json!([]));

    // What is in use cannot go.
    for url in [
        format!("{CLASS_MAPS}/inspection_default"),
        format!("{POLICY_MAPS}/global_policy"),
        format!("{INSPECT_MAPS}/preset_dns_map"),
    ] {
        let r = ok(&stack, c.delete(&url, &admin).await);
        let (_, details) = expect_error(&r, 400, &format!("DELETE {url} in use"));
        assert!(details.contains("in use"), "{details}");
    }
    let running = running_config(&mut c, &admin).await;
    assert!(running.contains("service-policy global_policy global\n"));
}

#[tokio::test]
async fn service_policy_crud_with_the_fourteen_inspections_and_limits() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    cli(
        &mut c,
        &admin,
        &["access-list web-traffic extended permit tcp any any eq www"],
    )
    .await;
    post(
        &stack,
        &mut c,
        &admin,
        CLASS_MAPS,
        json!({"kind": "object#ClassMap", "name": "web", "description": "web traffic",
               "match": {"type": "accessList", "accessList": {"kind": "objectRef#ExtendedACL", "objectId": "web-traffic"}}}),
        "web",
    )
    .await;
    post(
        &stack,
        &mut c,
        &admin,
        CLASS_MAPS,
        json!({"name": "alt-ports", "match": {"type": "port", "protocol": "tcp", "port": "8000-8080"}}),
        "alt-ports",
    )
    .await;
    post(
        &stack,
        &mut c,
        &admin,
        INSPECT_MAPS,
        json!({"kind": "object#InspectPolicyMap", "name": "big-dns", "protocol": "dns",
               "parameters": ["message-length maximum 4096", "no tcp-inspection"]}),
        "big-dns",
    )
    .await;
    let inspections: Vec<Value> = CISCO_FOURTEEN
        .iter()
        .map(|p| {
            if *p == "dns" {
                json!({"protocol": p, "inspectMap": "big-dns"})
            } else {
                json!({"protocol": p})
            }
        })
        .collect();
    post(
        &stack,
        &mut c,
        &admin,
        POLICY_MAPS,
        json!({"kind": "object#PolicyMap", "name": "edge", "classes": [
            {"className": "web", "inspections": [{"protocol": "http"}]},
            {"className": "alt-ports", "inspections": inspections},
        ]}),
        "edge",
    )
    .await;
    post(
        &stack,
        &mut c,
        &admin,
        LIMITS,
        json!({"kind": "object#ConnectionLimit", "policyMap": "edge", "className": "web",
               "maxConnections": 1000, "maxEmbryonicConnections": 200, "idleTimeout": "1:00:00"}),
        "edge~web",
    )
    .await;
    post(
        &stack,
        &mut c,
        &admin,
        BINDINGS,
        json!({"kind": "object#ServicePolicy", "scope": "interface", "interface": "management",
               "policyMap": {"kind": "objectRef#PolicyMap", "objectId": "edge"}}),
        "management",
    )
    .await;

    let running = running_config(&mut c, &admin).await;
    let mut want = String::from(
        "policy-map edge\n class web\n  inspect http\n  set connection conn-max 1000 embryonic-conn-max 200\n  set connection timeout idle 1:00:00\n class alt-ports\n",
    );
    for p in CISCO_FOURTEEN {
        if p == "dns" {
            want.push_str("  inspect dns big-dns\n");
        } else {
            want.push_str(&format!("  inspect {p}\n"));
        }
    }
    assert_eq!(section(&running, "policy-map edge"), want);
    assert_eq!(
        section(&running, "class-map web"),
        "class-map web\n description web traffic\n match access-list web-traffic\n"
    );
    assert_eq!(
        section(&running, "policy-map type inspect dns big-dns"),
        "policy-map type inspect dns big-dns\n parameters\n  message-length maximum 4096\n  no tcp-inspection\n"
    );
    assert!(running.contains("service-policy edge interface management\n"));

    let got = get_ok(&stack, &mut c, &admin, &format!("{POLICY_MAPS}/edge")).await;
    assert_eq!(
        got["classes"][1]["inspections"].as_array().map(Vec::len),
        Some(14)
    );
    let limit = get_ok(&stack, &mut c, &admin, &format!("{LIMITS}/edge~web")).await;
    assert_eq!(limit["maxConnections"], 1000);
    assert_eq!(limit["idleTimeout"], "1:00:00");

    // PATCH a limit merges; PUT replaces.
    let url = format!("{LIMITS}/edge~web");
    let r = ok(
        &stack,
        c.patch(&url, json!({"perClientMaxConnections": 10}), &admin)
            .await,
    );
    expect_status(&r, 204, "PATCH limit");
    let limit = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(
        (
            &limit["maxConnections"],
            &limit["perClientMaxConnections"],
            &limit["idleTimeout"]
        ),
        (&json!(1000), &json!(10), &json!("1:00:00"))
    );
    let r = ok(
        &stack,
        c.put(
            &url,
            json!({"policyMap": "edge", "className": "web", "maxConnections": 5}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT limit");
    let running = running_config(&mut c, &admin).await;
    assert!(
        section(&running, "policy-map edge")
            .starts_with("policy-map edge\n class web\n  inspect http\n  set connection conn-max 5\n class alt-ports\n"),
        "{running}"
    );

    // Replacing the policy map edits its classes in place: the limits stay.
    let r = ok(
        &stack,
        c.patch(
            &format!("{POLICY_MAPS}/edge"),
            json!({"description": "edge policy", "classes": [
                {"className": "web", "inspections": [{"protocol": "http"}, {"protocol": "ftp"}]},
            ]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH policy map");
    let running = running_config(&mut c, &admin).await;
    assert_eq!(
        section(&running, "policy-map edge"),
        "policy-map edge\n description edge policy\n class web\n  inspect http\n  set connection conn-max 5\n  inspect ftp\n"
    );
    let got = get_ok(&stack, &mut c, &admin, &format!("{POLICY_MAPS}/edge")).await;
    assert_eq!(got["classes"].as_array().map(Vec::len), Some(1));
    let limit = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(limit["maxConnections"], 5);

    // Class maps: a new match replaces the old one.
    let r = ok(
        &stack,
        c.put(
            &format!("{CLASS_MAPS}/alt-ports"),
            json!({"match": {"type": "port", "protocol": "udp", "port": "snmp"}}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT class map");
    let running = running_config(&mut c, &admin).await;
    assert_eq!(
        section(&running, "class-map alt-ports"),
        "class-map alt-ports\n match port udp eq snmp\n"
    );

    // The binding moves to another policy map.
    let r = ok(
        &stack,
        c.patch(
            &format!("{BINDINGS}/management"),
            json!({"policyMap": {"objectId": "global_policy"}}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH binding");
    let running = running_config(&mut c, &admin).await;
    assert!(running.contains("service-policy global_policy interface management\n"));

    // Deleting: the class map is used by the policy map, which goes first.
    let r = ok(&stack, c.delete(&format!("{CLASS_MAPS}/web"), &admin).await);
    expect_error(&r, 400, "DELETE class map in use");
    let r = ok(&stack, c.delete(&url, &admin).await);
    expect_status(&r, 204, "DELETE limit");
    let r = ok(&stack, c.get(&url, &admin).await);
    expect_not_found(&r, "GET limit after DELETE");
    for url in [
        format!("{BINDINGS}/management"),
        format!("{POLICY_MAPS}/edge"),
        format!("{CLASS_MAPS}/web"),
        format!("{CLASS_MAPS}/alt-ports"),
        format!("{INSPECT_MAPS}/big-dns"),
    ] {
        let r = ok(&stack, c.delete(&url, &admin).await);
        expect_status(&r, 204, &format!("DELETE {url}"));
        let r = ok(&stack, c.get(&url, &admin).await);
        expect_not_found(&r, &format!("GET {url} after DELETE"));
    }
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains("edge"), "{running}");
    assert!(!running.contains("class-map web"), "{running}");
}

#[tokio::test]
async fn service_policy_refusals() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let cases = [
        (
            CLASS_MAPS,
            json!({"name": "c", "match": {"type": "everything"}}),
            "match.type",
        ),
        (
            CLASS_MAPS,
            json!({"name": "c", "match": {"type": "accessList", "accessList": {"objectId": "nope"}}}),
            "match.accessList",
        ),
        (
            CLASS_MAPS,
            json!({"name": "c no-class-map", "match": {"type": "any"}}),
            "name",
        ),
        (
            POLICY_MAPS,
            json!({"name": "p", "classes": [{"className": "missing"}]}),
            "classes[0].className",
        ),
        (
            POLICY_MAPS,
            json!({"name": "p", "classes": [{"className": "inspection_default",
                   "inspections": [{"protocol": "dns", "inspectMap": "nomap"}]}]}),
            "inspectMap",
        ),
        (
            POLICY_MAPS,
            json!({"name": "p", "classes": [{"className": "inspection_default",
                   "inspections": [{"protocol": "telnet"}]}]}),
            "protocol",
        ),
        (
            INSPECT_MAPS,
            json!({"name": "m", "protocol": "tftp"}),
            "protocol",
        ),
        (
            LIMITS,
            json!({"policyMap": "global_policy", "className": "inspection_default", "maxConnections": 3000000}),
            "maxConnections",
        ),
        (
            LIMITS,
            json!({"policyMap": "nopolicy", "className": "inspection_default", "maxConnections": 3}),
            "policyMap",
        ),
        (
            BINDINGS,
            json!({"scope": "interface", "interface": "nowhere", "policyMap": {"objectId": "global_policy"}}),
            "interface",
        ),
        (
            BINDINGS,
            json!({"scope": "global", "policyMap": {"objectId": "global_policy"}}),
            "global",
        ),
    ];
    for (url, body, attr) in cases {
        let r = ok(&stack, c.post(url, &body, &admin).await);
        let (_, details) = expect_error(&r, 400, &format!("POST {url} {body}"));
        assert!(details.contains(attr), "{body}: {details}");
    }
    // A second global policy: the device refuses it.
    cli(&mut c, &admin, &["policy-map other"]).await;
    let r = ok(
        &stack,
        c.put(
            &format!("{BINDINGS}/global"),
            json!({"scope": "global", "policyMap": {"objectId": "other"}}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT global binding (replaced as one batch)");
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("service-policy other global\n"),
        "{running}"
    );
    let out = cli(&mut c, &admin, &["service-policy global_policy global"]).await;
    assert!(
        out[0].contains("ERROR: Policy map other is already configured as a service policy"),
        "{out:?}"
    );
}
