//! The bulk API (`POST /api`) end to end: 1000 entries applied at once, a failure at entry 500
//! (in the agent's checks, and in LINA's batch) leaving the configuration untouched, 1001
//! entries refused, entries that use what earlier entries created, mixed verbs, entries that
//! cannot be part of a bulk; and multi-line commands through `/api/cli`.

use serde_json::{Value, json};

use crate::support::*;

const GROUPS: &str = "/api/objects/networkobjectgroups";

fn post_object(name: &str, ip: &str) -> Value {
    json!({
        "method": "POST",
        "resourceUri": NETWORK_OBJECTS,
        "data": network_object(name, "IPv4Address", ip, None),
    })
}

fn ip(i: usize) -> String {
    format!("10.{}.{}.{}", 100 + i / 65536, (i / 256) % 256, i % 256)
}

fn entries(body: &Value) -> &Vec<Value> {
    body["entryMessages"]
        .as_array()
        .unwrap_or_else(|| panic!("no entryMessages in {body}"))
}

#[tokio::test]
async fn a_thousand_entries_are_applied_at_once() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let before = all_network_objects(&mut c, &admin).await.len();
    let ops: Vec<Value> = (0..1000)
        .map(|i| post_object(&format!("bulk-{i}"), &ip(i)))
        .collect();
    let r = ok(&stack, c.post("/api", json!(ops), &admin).await);
    expect_status(&r, 200, "bulk of 1000");
    let body = json(&r);
    let entries = entries(&body);
    assert_eq!(entries.len(), 1000);
    let endpoint = ok(&stack, stack.endpoint());
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e["status"], 201, "entry {i}: {e}");
        assert_eq!(
            e["location"],
            format!("{}{NETWORK_OBJECTS}/bulk-{i}", endpoint.base_url()),
            "entry {i}"
        );
        assert_eq!(e["messages"], json!([]));
    }
    assert_eq!(body["commonMessages"][0]["code"], "BULK-APPLIED");
    assert_eq!(
        all_network_objects(&mut c, &admin).await.len(),
        before + 1000
    );
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/bulk-999"), &admin).await,
    );
    expect_status(&r, 200, "GET an object the bulk created");
    assert_eq!(json(&r)["host"]["value"], ip(999));
    let running = running_config(&mut c, &admin).await;
    assert!(running.contains("object network bulk-0\n host 10.100.0.0\n"));
}

#[tokio::test]
async fn a_bulk_whose_500th_entry_fails_changes_nothing() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let before = running_config(&mut c, &admin).await;
    let mut ops: Vec<Value> = (0..1000)
        .map(|i| post_object(&format!("half-{i}"), &ip(i)))
        .collect();
    ops[499] = post_object("half-499", "10.1.2.300");
    let r = ok(&stack, c.post("/api", json!(&ops), &admin).await);
    expect_status(&r, 400, "bulk failing at entry 500");
    let body = json(&r);
    let entries = entries(&body);
    // One outcome per entry, in order, the entries after the failure included.
    assert_eq!(entries.len(), ops.len());
    for (e, op) in entries.iter().zip(&ops) {
        assert_eq!(e["resourceUri"], op["resourceUri"]);
        assert_eq!(e["messages"].as_array().map(Vec::len), Some(1), "{e}");
    }
    // Entry 499: staged, then undone with the rest.
    assert_eq!(entries[498]["status"], 424, "{}", entries[498]);
    assert_eq!(entries[498]["messages"][0]["code"], "NOT-APPLIED");
    // Entry 500: the failure itself.
    assert_eq!(entries[499]["status"], 400, "{}", entries[499]);
    assert_eq!(entries[499]["messages"][0]["level"], "Error");
    assert_eq!(entries[499]["messages"][0]["code"], "INVALID-INPUT");
    assert_eq!(entries[499]["messages"][0]["context"], "host.value");
    // Entry 501: processing stopped before it.
    assert_eq!(entries[500]["status"], 424, "{}", entries[500]);
    assert_eq!(entries[500]["messages"][0]["code"], "NOT-ATTEMPTED");
    let details = entries[500]["messages"][0]["details"]
        .as_str()
        .unwrap_or_default();
    assert!(details.contains("entry 500"), "{details}");
    for (i, code) in [
        (0, "NOT-APPLIED"),
        (497, "NOT-APPLIED"),
        (501, "NOT-ATTEMPTED"),
        (999, "NOT-ATTEMPTED"),
    ] {
        assert_eq!(entries[i]["status"], 424, "entry {i}: {}", entries[i]);
        assert_eq!(entries[i]["messages"][0]["code"], code, "entry {i}");
        assert!(entries[i].get("location").is_none(), "entry {i}");
    }
    assert_eq!(body["commonMessages"][0]["code"], "BULK-NOT-APPLIED");
    assert_eq!(body["commonMessages"][0]["context"], "[499]");
    assert_eq!(running_config(&mut c, &admin).await, before);
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/half-0"), &admin).await,
    );
    expect_not_found(&r, "an earlier entry of a failed bulk");
}

#[tokio::test]
async fn a_refusal_by_lina_maps_back_to_its_entry_and_nothing_is_applied() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    cli(
        &mut c,
        &admin,
        &[
            "object network held",
            " host 10.7.7.7",
            "object-group network holder",
            " network-object object held",
        ],
    )
    .await;
    let before = running_config(&mut c, &admin).await;
    let mut ops: Vec<Value> = (0..499)
        .map(|i| post_object(&format!("lina-{i}"), &ip(i)))
        .collect();
    // The agent finds the object; only LINA knows it is in use.
    ops.push(json!({"method": "DELETE", "resourceUri": format!("{NETWORK_OBJECTS}/held")}));
    ops.push(post_object("lina-last", "10.9.9.9"));
    let r = ok(&stack, c.post("/api", json!(ops), &admin).await);
    expect_status(&r, 400, "bulk refused by LINA");
    let body = json(&r);
    let entries = entries(&body);
    assert_eq!(entries[499]["status"], 400, "{}", entries[499]);
    assert_eq!(entries[499]["messages"][0]["code"], "CLI-ERROR");
    let details = entries[499]["messages"][0]["details"]
        .as_str()
        .unwrap_or_default();
    assert!(details.contains("held"), "{details}");
    assert_eq!(entries.len(), 501);
    assert_eq!(entries[0]["status"], 424);
    assert_eq!(entries[0]["messages"][0]["code"], "NOT-APPLIED");
    // The entry after the refused one passed the agent's checks but never ran on LINA.
    assert_eq!(entries[500]["status"], 424);
    assert_eq!(entries[500]["messages"][0]["code"], "NOT-ATTEMPTED");
    assert_eq!(running_config(&mut c, &admin).await, before);
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/lina-0"), &admin).await,
    );
    expect_not_found(&r, "an entry before the refused one");
}

#[tokio::test]
async fn more_than_a_thousand_entries_are_refused_before_anything_runs() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let before = running_config(&mut c, &admin).await;
    let ops: Vec<Value> = (0..1001)
        .map(|i| post_object(&format!("over-{i}"), &ip(i)))
        .collect();
    let r = ok(&stack, c.post("/api", json!(ops), &admin).await);
    let (code, _) = expect_error(&r, 400, "1001 entries");
    assert_eq!(code, "JSON-TYPE-ERROR");
    for body in [json!([]), json!({"method": "POST"})] {
        let r = ok(&stack, c.post("/api", body, &admin).await);
        expect_error(&r, 400, "not a list of 1 to 1000 operations");
    }
    assert_eq!(running_config(&mut c, &admin).await, before);
}

#[tokio::test]
async fn entries_use_what_earlier_entries_created() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let ops = json!([
        post_object("member-a", "10.30.0.1"),
        post_object("member-b", "10.30.0.2"),
        {
            "method": "POST",
            "resourceUri": GROUPS,
            "data": {
                "kind": "object#NetworkObjGroup",
                "name": "both-members",
                "members": [
                    {"kind": "objectRef#NetworkObj", "objectId": "member-a"},
                    {"kind": "objectRef#NetworkObj", "objectId": "member-b"}
                ]
            }
        },
        // The data may also be given as a JSON string (the raw body of the single request).
        {
            "method": "patch",
            "resourceUri": format!("{NETWORK_OBJECTS}/member-a"),
            "data": "{\"description\": \"patched in the same bulk\"}"
        }
    ]);
    let r = ok(&stack, c.post("/api", &ops, &admin).await);
    expect_status(&r, 200, "bulk with references");
    let body = json(&r);
    let statuses: Vec<&Value> = entries(&body).iter().map(|e| &e["status"]).collect();
    assert_eq!(
        statuses,
        [&json!(201), &json!(201), &json!(201), &json!(204)]
    );
    let r = ok(
        &stack,
        c.get(&format!("{GROUPS}/both-members"), &admin).await,
    );
    expect_status(&r, 200, "GET the group");
    let members = json(&r)["members"].clone();
    assert_eq!(members.as_array().map(Vec::len), Some(2), "{members}");
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/member-a"), &admin).await,
    );
    assert_eq!(json(&r)["description"], "patched in the same bulk");

    // A reference to an object no entry creates fails in the agent, naming the entry.
    let ops = json!([
        post_object("lonely", "10.30.0.3"),
        {
            "method": "POST",
            "resourceUri": GROUPS,
            "data": {"name": "dangling", "members": [{"kind": "objectRef#NetworkObj", "objectId": "nobody"}]}
        }
    ]);
    let r = ok(&stack, c.post("/api", &ops, &admin).await);
    expect_status(&r, 400, "dangling reference");
    let body = json(&r);
    assert_eq!(entries(&body)[1]["status"], 400);
    assert_eq!(entries(&body)[0]["status"], 424);
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/lonely"), &admin).await,
    );
    expect_not_found(&r, "entry of the failed bulk");
}

#[tokio::test]
async fn post_put_patch_and_delete_mix_in_one_bulk() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    for (name, addr) in [
        ("keep", "10.40.0.1"),
        ("edit", "10.40.0.2"),
        ("gone", "10.40.0.3"),
    ] {
        let r = ok(
            &stack,
            c.post(
                NETWORK_OBJECTS,
                network_object(name, "IPv4Address", addr, None),
                &admin,
            )
            .await,
        );
        expect_status(&r, 201, "setup POST");
    }
    let ops = json!([
        {"method": "PUT", "resourceUri": format!("{NETWORK_OBJECTS}/keep"),
         "data": network_object("keep", "IPv4Network", "10.41.0.0/24", Some("replaced"))},
        {"method": "PATCH", "resourceUri": format!("{NETWORK_OBJECTS}/edit"),
         "data": {"description": "patched"}},
        {"method": "DELETE", "resourceUri": format!("{NETWORK_OBJECTS}/gone")},
        post_object("fresh", "10.40.0.4"),
        // Deleting what an earlier entry created in the same bulk.
        post_object("transient", "10.40.0.5"),
        {"method": "DELETE", "resourceUri": format!("{NETWORK_OBJECTS}/transient")},
    ]);
    let r = ok(&stack, c.post("/api", &ops, &admin).await);
    expect_status(&r, 200, "mixed bulk");
    let body = json(&r);
    let statuses: Vec<u64> = entries(&body)
        .iter()
        .map(|e| e["status"].as_u64().unwrap_or_default())
        .collect();
    assert_eq!(statuses, [204, 204, 204, 201, 201, 204]);
    let get = |name: &str| format!("{NETWORK_OBJECTS}/{name}");
    let r = ok(&stack, c.get(&get("keep"), &admin).await);
    assert_eq!(json(&r)["host"]["value"], "10.41.0.0/24");
    assert_eq!(json(&r)["description"], "replaced");
    let r = ok(&stack, c.get(&get("edit"), &admin).await);
    assert_eq!(json(&r)["description"], "patched");
    assert_eq!(json(&r)["host"]["value"], "10.40.0.2");
    let r = ok(&stack, c.get(&get("gone"), &admin).await);
    expect_not_found(&r, "deleted in the bulk");
    let r = ok(&stack, c.get(&get("transient"), &admin).await);
    expect_not_found(&r, "created and deleted in the bulk");
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("object network fresh\n host 10.40.0.4\n"),
        "{running}"
    );
    assert!(!running.contains("object network gone"));
}

#[tokio::test]
async fn entries_a_bulk_cannot_carry_are_refused_one_by_one() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let before = running_config(&mut c, &admin).await;
    for (op, status, code) in [
        (
            json!({"method": "POST", "resourceUri": "/api", "data": []}),
            400,
            "BULK-ENTRY-NOT-ALLOWED",
        ),
        (
            json!({"method": "POST", "resourceUri": "/api/cli", "data": {"commands": ["show version"]}}),
            400,
            "BULK-ENTRY-NOT-ALLOWED",
        ),
        (
            json!({"method": "POST", "resourceUri": "/api/tokenservices"}),
            400,
            "BULK-ENTRY-NOT-ALLOWED",
        ),
        (
            json!({"method": "POST", "resourceUri": "/api/commands/writemem"}),
            400,
            "BULK-ENTRY-NOT-ALLOWED",
        ),
        (
            json!({"method": "GET", "resourceUri": NETWORK_OBJECTS}),
            405,
            "METHOD-NOT-ALLOWED",
        ),
        (
            json!({"method": "FETCH", "resourceUri": NETWORK_OBJECTS}),
            405,
            "METHOD-NOT-ALLOWED",
        ),
        (
            json!({"method": 5, "resourceUri": NETWORK_OBJECTS}),
            400,
            "JSON-TYPE-ERROR",
        ),
        (json!({"method": "POST"}), 400, "JSON-TYPE-ERROR"),
        (
            json!("POST /api/objects/networkobjects"),
            400,
            "JSON-TYPE-ERROR",
        ),
        (
            json!({"method": "POST", "resourceUri": "/api/nowhere"}),
            404,
            "RESOURCE-NOT-FOUND",
        ),
        (
            json!({"method": "POST", "resourceUri": "/api/objects/networkobjects\nx"}),
            400,
            "INVALID-INPUT",
        ),
    ] {
        let ops = json!([post_object("never", "10.50.0.1"), op]);
        let r = ok(&stack, c.post("/api", &ops, &admin).await);
        expect_status(&r, 400, &format!("bulk with {op}"));
        let body = json(&r);
        let entry = &entries(&body)[1];
        assert_eq!(entry["status"], status, "{op}: {entry}");
        assert_eq!(entry["messages"][0]["code"], code, "{op}: {entry}");
        assert_eq!(entries(&body)[0]["status"], 424);
    }
    // An absolute resource URI (a selfLink) is accepted.
    let endpoint = ok(&stack, stack.endpoint());
    let ops = json!([{"method": "POST", "resourceUri": format!("{}{NETWORK_OBJECTS}", endpoint.base_url()),
                      "data": network_object("by-url", "IPv4Address", "10.50.0.2", None)}]);
    let r = ok(&stack, c.post("/api", &ops, &admin).await);
    expect_status(&r, 200, "absolute resourceUri");
    let after = running_config(&mut c, &admin).await;
    assert!(!after.contains("object network never"));
    assert!(after.contains("object network by-url\n"));
    assert_ne!(after, before);
}

#[tokio::test]
async fn multi_line_cli_commands_run_in_order_with_one_response_per_entry() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let out = cli(
        &mut c,
        &admin,
        &[
            "object network ml-web\n host 10.60.1.1\n description two lines",
            "show running-config",
            "debug rest-api agent\nshow clock",
        ],
    )
    .await;
    assert_eq!(out[0], "", "configuration lines print nothing");
    assert!(
        out[1].contains("object network ml-web\n host 10.60.1.1\n description two lines\n"),
        "{}",
        out[1]
    );
    assert!(
        out[2].starts_with("Debug commands are not supported"),
        "{}",
        out[2]
    );
    assert!(
        out[2].len() > "Debug commands are not supported".len() + 10,
        "show clock output follows: {}",
        out[2]
    );
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/ml-web"), &admin).await,
    );
    expect_status(&r, 200, "the object the multi-line command created");
    // Control characters other than the line separator are refused.
    let r = ok(
        &stack,
        c.post("/api/cli", json!({"commands": ["show\tversion"]}), &admin)
            .await,
    );
    let (code, _) = expect_error(&r, 400, "tab in a command");
    assert_eq!(code, "INVALID-INPUT");
}

#[tokio::test]
async fn access_rules_in_a_bulk_use_objects_and_lists_created_before_them() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    cli(
        &mut c,
        &admin,
        &[
            "interface GigabitEthernet0/1",
            "nameif inside",
            "security-level 100",
            "exit",
        ],
    )
    .await;
    let rule = |port: u16| {
        json!({
            "sourceAddress": {"kind": "AnyIPAddress", "value": "any"},
            "destinationAddress": {"kind": "objectRef#NetworkObj", "objectId": "rule-target"},
            "sourceService": {"kind": "NetworkProtocol", "value": "tcp"},
            "destinationService": {"kind": "TcpUdpService", "value": format!("tcp/{port}")},
            "permit": true,
        })
    };
    let rules = "/api/access/in/inside/rules";
    let ops = json!([
        post_object("rule-target", "10.80.0.1"),
        // The first rule creates the list and the access group; the second appends to it.
        {"method": "POST", "resourceUri": rules, "data": rule(443)},
        {"method": "POST", "resourceUri": rules, "data": rule(80)},
    ]);
    let r = ok(&stack, c.post("/api", &ops, &admin).await);
    expect_status(&r, 200, "bulk with access rules");
    let body = json(&r);
    let statuses: Vec<&Value> = entries(&body).iter().map(|e| &e["status"]).collect();
    assert_eq!(statuses, [&json!(201), &json!(201), &json!(201)]);
    let r = ok(&stack, c.get(rules, &admin).await);
    assert_eq!(json(&r)["items"].as_array().map(Vec::len), Some(2));
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("access-group inside_access_in in interface inside\n"),
        "{running}"
    );
    assert!(
        running.contains(
            "access-list inside_access_in extended permit tcp any object rule-target eq https\n"
        ) || running.contains(
            "access-list inside_access_in extended permit tcp any object rule-target eq 443\n"
        ),
        "{running}"
    );
}

#[tokio::test]
async fn a_local_user_created_in_a_bulk_is_seen_by_later_entries_and_read_back() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let ops = json!([
        {"method": "POST", "resourceUri": "/api/objects/localusers",
         "data": {"name": "bulkop", "password": "Bulk-op-pw1", "privilegeLevel": 3}},
        {"method": "POST", "resourceUri": "/api/objects/localusergroups",
         "data": {"name": "bulk-staff", "members": [{"kind": "objectRef#LocalUserObj", "objectId": "bulkop"}]}},
    ]);
    let r = ok(&stack, c.post("/api", &ops, &admin).await);
    expect_status(&r, 200, "bulk with a local user");
    let r = ok(
        &stack,
        c.get("/api/objects/localusers/bulkop", &admin).await,
    );
    expect_status(&r, 200, "the user the bulk created");
    assert_eq!(json(&r)["privilegeLevel"], 3);
    assert!(json(&r).get("password").is_none());
    let running = running_config(&mut c, &admin).await;
    assert!(
        !running.contains("Bulk-op-pw1"),
        "the password is stored hashed"
    );
    let r = ok(
        &stack,
        c.get("/api/objects/localusergroups/bulk-staff", &admin)
            .await,
    );
    expect_status(&r, 200, "the group the bulk created");
}
