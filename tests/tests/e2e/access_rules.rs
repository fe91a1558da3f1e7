//! Access rules and extended ACLs end to end: the first rule of an interface creates its list
//! and access group, positions insert and move, PUT answers with the re-hashed id, remarks,
//! `inactive` and logging reach the CLI, the last rule takes the access group with it, and
//! references are checked both ways.

use serde_json::{Value, json};

use crate::support::*;

const RULES: &str = "/api/access/in/inside/rules";

fn rule(dst_host: &str, port: &str, permit: bool) -> Value {
    json!({
        "sourceAddress": {"kind": "AnyIPAddress", "value": "any"},
        "destinationAddress": {"kind": "IPv4Address", "value": dst_host},
        "sourceService": {"kind": "NetworkProtocol", "value": "tcp"},
        "destinationService": {"kind": "TcpUdpService", "value": format!("tcp/{port}")},
        "permit": permit,
    })
}

/// The ids of the rules, in order.
fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["objectId"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn name_inside(c: &mut tests::Client, admin: &tests::Auth) {
    cli(
        c,
        admin,
        &[
            "interface GigabitEthernet0/1",
            "nameif inside",
            "security-level 100",
            "exit",
        ],
    )
    .await;
}

#[tokio::test]
async fn interface_rules_create_move_replace_and_delete() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    name_inside(&mut c, &admin).await;

    let r = ok(&stack, c.get("/api/access/in", &admin).await);
    expect_status(&r, 200, "GET access groups");
    assert_eq!(json(&r)["items"], json!([]));
    let r = ok(&stack, c.get(RULES, &admin).await);
    expect_status(&r, 200, "GET rules of an interface without any");
    assert_eq!(json(&r)["rangeInfo"]["total"], 0);

    // First rule: list and access group appear.
    let mut first = rule("10.0.0.1", "443", true);
    first["remarks"] = json!(["web front end"]);
    first["ruleLogging"] = json!({"logStatus": "Warnings", "logInterval": 60});
    let r = ok(&stack, c.post(RULES, &first, &admin).await);
    expect_status(&r, 201, "POST first rule");
    let id1 = r.location_id().unwrap_or_default().to_owned();
    assert!(id1.parse::<u32>().is_ok(), "decimal hash id: {id1}");

    let r = ok(&stack, c.get("/api/access/in", &admin).await);
    let groups = json(&r);
    assert_eq!(groups["kind"], "collection#AccessGroup");
    let g = &groups["items"][0];
    assert_eq!(g["kind"], "object#AccessGroup");
    assert_eq!(g["ACLName"], "inside_access_in");
    assert_eq!(g["direction"], "IN");
    assert_eq!(g["interface"]["name"], "inside");
    assert_eq!(g["interface"]["kind"], "objectRef#Interface");
    assert_eq!(g["interface"]["objectId"], "GigabitEthernet0_API_SLASH_1");

    // The id is the hash `show access-list` prints.
    let shown = cli(&mut c, &admin, &["show access-list inside_access_in"])
        .await
        .concat();
    let hex = format!("0x{:08x}", id1.parse::<u32>().unwrap_or_default());
    assert!(shown.contains(&hex), "{hex} in:\n{shown}");
    assert!(shown.contains("line 1 remark web front end"), "{shown}");

    let r = ok(&stack, c.get(&format!("{RULES}/{id1}"), &admin).await);
    expect_status(&r, 200, "GET first rule");
    let got = json(&r);
    assert_eq!(got["kind"], "object#ExtendedACE");
    assert_eq!(got["position"], 1);
    assert_eq!(got["isAccessRule"], true);
    assert_eq!(got["remarks"], json!(["web front end"]));
    assert_eq!(
        got["ruleLogging"],
        json!({"logStatus": "Warnings", "logInterval": 60})
    );
    assert_eq!(got["destinationService"]["value"], "tcp/443");

    // Second rule appended, third inserted at position 1 (strings accepted).
    let r = ok(
        &stack,
        c.post(RULES, rule("10.0.0.2", "80", false), &admin).await,
    );
    expect_status(&r, 201, "POST second rule");
    let id2 = r.location_id().unwrap_or_default().to_owned();
    let mut third = rule("10.0.0.3", "22", true);
    third["position"] = json!("1");
    third["permit"] = json!("true");
    third["active"] = json!(false);
    let r = ok(&stack, c.post(RULES, &third, &admin).await);
    expect_status(&r, 201, "POST third rule at position 1");
    let id3 = r.location_id().unwrap_or_default().to_owned();
    let r = ok(&stack, c.get(RULES, &admin).await);
    assert_eq!(ids(&json(&r)), [id3.clone(), id1.clone(), id2.clone()]);
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains(
            "access-list inside_access_in extended permit tcp any host 10.0.0.3 eq 22 inactive\n\
             access-list inside_access_in remark web front end\n\
             access-list inside_access_in extended permit tcp any host 10.0.0.1 eq 443 log warnings interval 60\n\
             access-list inside_access_in extended deny tcp any host 10.0.0.2 eq 80\n"
        ),
        "{running}"
    );
    assert!(running.contains("access-group inside_access_in in interface inside\n"));

    // Move the first rule to the end with PATCH: same rule, same id.
    let r = ok(
        &stack,
        c.patch(&format!("{RULES}/{id1}"), json!({"position": 3}), &admin)
            .await,
    );
    expect_status(&r, 204, "PATCH position");
    assert_eq!(r.location_id(), Some(id1.as_str()));
    let r = ok(&stack, c.get(RULES, &admin).await);
    assert_eq!(ids(&json(&r)), [id3.clone(), id2.clone(), id1.clone()]);
    let r = ok(&stack, c.get(&format!("{RULES}/{id1}"), &admin).await);
    assert_eq!(json(&r)["remarks"], json!(["web front end"]));

    // PUT changing the rule: new id in Location, old id gone, position kept.
    let r = ok(
        &stack,
        c.put(
            &format!("{RULES}/{id2}"),
            rule("10.0.0.2", "8080", false),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT changes the rule");
    let new_id2 = r.location_id().unwrap_or_default().to_owned();
    assert_ne!(new_id2, id2);
    let r = ok(&stack, c.get(&format!("{RULES}/{id2}"), &admin).await);
    expect_not_found(&r, "old id after PUT");
    let r = ok(&stack, c.get(&format!("{RULES}/{new_id2}"), &admin).await);
    let got = json(&r);
    assert_eq!(got["position"], 2);
    assert_eq!(got["destinationService"]["value"], "tcp/8080");
    assert_eq!(got.get("permit"), Some(&json!(false)));

    // The same rules under /api/objects/extendedacls.
    let r = ok(&stack, c.get("/api/objects/extendedacls", &admin).await);
    let lists = json(&r);
    assert_eq!(lists["items"][0]["name"], "inside_access_in");
    let r = ok(
        &stack,
        c.get("/api/objects/extendedacls/inside_access_in/aces", &admin)
            .await,
    );
    assert_eq!(ids(&json(&r)), [id3.clone(), new_id2.clone(), id1.clone()]);

    // Deleting every rule removes the access group, then the list.
    for id in [&id3, &new_id2, &id1] {
        let r = ok(&stack, c.delete(&format!("{RULES}/{id}"), &admin).await);
        expect_status(&r, 204, "DELETE rule");
    }
    let r = ok(&stack, c.get("/api/access/in", &admin).await);
    assert_eq!(json(&r)["items"], json!([]));
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains("access-group"), "{running}");
    assert!(
        !running.contains("access-list inside_access_in"),
        "{running}"
    );
}

#[tokio::test]
async fn references_are_checked_both_ways() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let body = json!({
        "sourceAddress": {"kind": "objectRef#NetworkObj", "objectId": "nosuch"},
        "destinationAddress": {"kind": "AnyIPAddress", "value": "any4"},
        "permit": true,
    });
    let r = ok(
        &stack,
        c.post("/api/access/global/rules", &body, &admin).await,
    );
    let (_, _) = expect_error(&r, 400, "rule naming a missing object");
    let m = r.error_message().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.context.as_deref(), Some("sourceAddress"), "{}", r.text());

    let body = json!({
        "sourceAddress": {"kind": "AnyIPAddress", "value": "any"},
        "destinationAddress": {"kind": "AnyIPAddress", "value": "any"},
        "timeRange": {"kind": "objectRef#TimeRange", "objectId": "never"},
    });
    let r = ok(
        &stack,
        c.post("/api/access/global/rules", &body, &admin).await,
    );
    expect_error(&r, 400, "rule naming a missing time range");
    let m = r.error_message().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.context.as_deref(), Some("timeRange"), "{}", r.text());

    // A referenced object cannot be deleted.
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("srv", "IPv4Address", "10.9.9.9", None),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST object");
    let body = json!({
        "sourceAddress": {"kind": "AnyIPAddress", "value": "any"},
        "destinationAddress": {"kind": "objectRef#NetworkObj", "objectId": "srv"},
        "permit": true,
    });
    let r = ok(
        &stack,
        c.post("/api/access/global/rules", &body, &admin).await,
    );
    expect_status(&r, 201, "POST global rule");
    let id = r.location_id().unwrap_or_default().to_owned();
    let r = ok(&stack, c.get("/api/access/global", &admin).await);
    assert_eq!(json(&r)["items"][0]["ACLName"], "global_access");
    assert_eq!(json(&r)["items"][0]["direction"], "GLOBAL");
    let r = ok(
        &stack,
        c.get(&format!("/api/access/global/rules/{id}"), &admin)
            .await,
    );
    assert_eq!(
        json(&r)["destinationAddress"]["kind"],
        "objectRef#NetworkObj"
    );
    let r = ok(
        &stack,
        c.delete(&format!("{NETWORK_OBJECTS}/srv"), &admin).await,
    );
    expect_error(&r, 400, "DELETE referenced object");

    // Bad input never reaches the CLI; unknown verbs are 405.
    let bad = json!({
        "sourceAddress": {"kind": "AnyIPAddress"},
        "destinationAddress": {"kind": "AnyIPAddress"},
        "remarks": ["two\nlines"],
    });
    let r = ok(
        &stack,
        c.post("/api/access/global/rules", &bad, &admin).await,
    );
    expect_error(&r, 400, "remark with a new line");
    let r = ok(&stack, c.delete("/api/access/global/rules", &admin).await);
    expect_status(&r, 405, "DELETE on the rules collection");
    let r = ok(
        &stack,
        c.get("/api/access/global/rules/12345", &admin).await,
    );
    expect_not_found(&r, "unknown rule id");
    let r = ok(&stack, c.get("/api/access/in/nosuchif/rules", &admin).await);
    expect_not_found(&r, "rules of an unknown interface");
}

/// `(objectId, remarks)` of every entry the API lists (one page of up to 100).
async fn api_entries(
    c: &mut tests::Client,
    admin: &tests::Auth,
    path: &str,
) -> Vec<(String, Value)> {
    let r = c
        .get(&format!("{path}?limit=100"), admin)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    expect_status(&r, 200, "GET entries");
    json(&r)["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    (
                        i["objectId"].as_str().unwrap_or_default().to_owned(),
                        i["remarks"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The same from the device's own `show running-config access-list <acl>`.
async fn cli_entries(
    c: &mut tests::Client,
    admin: &tests::Auth,
    acl: &str,
) -> Vec<(String, Value)> {
    let text = cli(
        c,
        admin,
        &[&format!("show running-config access-list {acl}")],
    )
    .await
    .concat();
    let mut lists = cli_translator::acl::AccessLists::default();
    for line in text.lines() {
        lists.absorb_line(line);
    }
    lists
        .get(acl)
        .map(|l| {
            l.entries
                .iter()
                .map(|e| (e.id.to_string(), json!(e.remarks_vec())))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn named_lists_keep_the_api_and_the_device_in_step() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let aces = "/api/objects/extendedacls/ops/aces";

    let mut ids = Vec::new();
    for (k, (host, remarks, position)) in [
        ("10.1.0.1", vec!["one"], None),
        ("10.1.0.2", vec![], None),
        ("10.1.0.3", vec!["three a", "three b"], Some(1)),
        ("10.1.0.4", vec!["four"], Some(2)),
        ("10.1.0.5", vec![], Some(99)),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = rule(host, "443", k % 2 == 0);
        body["remarks"] = json!(remarks);
        if let Some(p) = position {
            body["position"] = json!(p);
        }
        let r = ok(&stack, c.post(aces, &body, &admin).await);
        expect_status(&r, 201, &format!("POST {host}"));
        ids.push(r.location_id().unwrap_or_default().to_owned());
    }
    let check = |api: &[(String, Value)], device: &[(String, Value)], what: &str| {
        assert_eq!(api, device, "{what}: API and device disagree");
    };
    let api = api_entries(&mut c, &admin, aces).await;
    let order: Vec<&str> = api.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(order, [&ids[2], &ids[3], &ids[0], &ids[1], &ids[4]]);
    let device = cli_entries(&mut c, &admin, "ops").await;
    check(&api, &device, "after inserts");

    // Moves up and down, with and without remarks, and a PUT that rewrites remarks.
    for (id, patch) in [
        (&ids[2], json!({"position": 5})),
        (&ids[1], json!({"position": 1, "remarks": ["moved"]})),
        (&ids[0], json!({"position": 3})),
    ] {
        let r = ok(
            &stack,
            c.patch(&format!("{aces}/{id}"), patch, &admin).await,
        );
        expect_status(&r, 204, "PATCH move");
        let api = api_entries(&mut c, &admin, aces).await;
        let device = cli_entries(&mut c, &admin, "ops").await;
        check(&api, &device, &format!("after moving {id}"));
        // After the CLI call the snapshot reloads: still the same.
        let reloaded = api_entries(&mut c, &admin, aces).await;
        check(&api, &reloaded, "patched snapshot against a reload");
    }

    let r = ok(&stack, c.get("/api/objects/extendedacls/ops", &admin).await);
    expect_status(&r, 200, "GET list");
    assert_eq!(json(&r)["kind"], "object#ExtendedACL");
    let r = ok(&stack, c.get(&format!("{aces}/{}", ids[3]), &admin).await);
    assert_eq!(json(&r)["isAccessRule"], false);

    let r = ok(
        &stack,
        c.delete("/api/objects/extendedacls/ops", &admin).await,
    );
    expect_status(&r, 204, "DELETE list");
    let r = ok(&stack, c.get(aces, &admin).await);
    expect_not_found(&r, "entries of a deleted list");
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains("access-list ops"), "{running}");
}

#[tokio::test]
async fn a_long_list_pages_and_inserts_at_the_top() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let commands: Vec<String> = (0..1_000)
        .map(|i| {
            format!(
                "access-list long extended permit udp any host 10.2.{}.{} eq 53",
                i / 250,
                i % 250
            )
        })
        .collect();
    cli_owned(&mut c, &admin, &commands).await;
    let aces = "/api/objects/extendedacls/long/aces";
    let r = ok(
        &stack,
        c.get(&format!("{aces}?offset=950&limit=100"), &admin).await,
    );
    let page = json(&r);
    assert_eq!(
        page["rangeInfo"],
        json!({"offset": 950, "limit": 50, "total": 1000})
    );
    assert_eq!(page["items"][0]["position"], 951);
    assert_eq!(
        page["items"][49]["destinationAddress"]["value"],
        "10.2.3.249"
    );

    let mut top = rule("10.9.0.1", "22", true);
    top["position"] = json!(1);
    let r = ok(&stack, c.post(aces, &top, &admin).await);
    expect_status(&r, 201, "insert at the top");
    let id = r.location_id().unwrap_or_default().to_owned();
    let r = ok(&stack, c.get(&format!("{aces}?limit=2"), &admin).await);
    assert_eq!(json(&r)["items"][0]["objectId"], id.as_str());
    assert_eq!(json(&r)["items"][1]["position"], 2);
    let r = ok(&stack, c.get(&format!("{aces}?offset=1000"), &admin).await);
    assert_eq!(
        json(&r)["items"][0]["destinationAddress"]["value"],
        "10.2.3.249"
    );
    let shown = cli(&mut c, &admin, &["show access-list long"])
        .await
        .concat();
    assert!(
        shown.contains("access-list long; 1001 elements;"),
        "{}",
        &shown[..200.min(shown.len())]
    );
}
