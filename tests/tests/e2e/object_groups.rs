//! Network object groups, service objects, service groups and predefined services end to
//! end: create, read, replace, patch (`members.add` / `members.remove`), delete, references
//! that must exist, and groups or services that cannot be deleted while referenced.

use serde_json::{Value, json};

use crate::support::*;

const NETWORK_GROUPS: &str = "/api/objects/networkobjectgroups";
const SERVICES: &str = "/api/objects/networkservices";
const SERVICE_GROUPS: &str = "/api/objects/networkservicegroups";

fn host(ip: &str) -> Value {
    json!({"kind": "IPv4Address", "value": ip})
}

/// Posts `body` to `path` and asserts 201 with the item's Location.
async fn create(stack: &tests::Stack, c: &mut tests::Client, path: &str, body: Value) {
    let admin = stack.admin();
    let name = body["name"].as_str().unwrap_or_default().to_owned();
    let r = ok(stack, c.post(path, &body, &admin).await);
    expect_status(&r, 201, &format!("POST {path} {name}"));
    assert_eq!(r.location_id(), Some(name.as_str()), "Location of {name}");
}

#[tokio::test]
async fn network_group_crud_with_member_patches() {
    let stack = start().await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());
    let base = endpoint.base_url();
    let mut c = client(&stack);
    create(
        &stack,
        &mut c,
        NETWORK_OBJECTS,
        network_object("og-web", "IPv4Address", "10.70.0.1", None),
    )
    .await;
    create(
        &stack,
        &mut c,
        NETWORK_GROUPS,
        json!({"name": "og-inner", "members": [host("10.70.1.1")]}),
    )
    .await;

    let posted = json!({"name": "og-main", "description": "servers", "members": [
        host("10.70.0.9"),
        {"kind": "IPv4Network", "value": "10.71.0.0/16"},
        {"kind": "IPv6Network", "value": "2001:db8:70::/48"},
        {"kind": "objectRef#NetworkObj", "objectId": "og-web"},
        {"kind": "objectRef#NetworkObjGroup", "objectId": "og-inner"},
    ]});
    create(&stack, &mut c, NETWORK_GROUPS, posted.clone()).await;
    let url = format!("{NETWORK_GROUPS}/og-main");
    let r = ok(&stack, c.get(&url, &admin).await);
    expect_status(&r, 200, "GET og-main");
    assert_eq!(
        json(&r),
        json!({
            "kind": "object#NetworkObjGroup",
            "selfLink": format!("{base}{url}"),
            "name": "og-main",
            "description": "servers",
            "members": [
                host("10.70.0.9"),
                {"kind": "IPv4Network", "value": "10.71.0.0/16"},
                {"kind": "IPv6Network", "value": "2001:db8:70::/48"},
                {"kind": "objectRef#NetworkObj", "objectId": "og-web",
                 "refLink": format!("{base}{NETWORK_OBJECTS}/og-web")},
                {"kind": "objectRef#NetworkObjGroup", "objectId": "og-inner",
                 "refLink": format!("{base}{NETWORK_GROUPS}/og-inner")},
            ],
            "objectId": "og-main",
        })
    );
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains(
            "object-group network og-main\n description servers\n network-object host 10.70.0.9\n \
             network-object 10.71.0.0 255.255.0.0\n network-object 2001:db8:70::/48\n \
             network-object object og-web\n group-object og-inner\n"
        ),
        "{running}"
    );

    let r = ok(
        &stack,
        c.patch(
            &url,
            json!({"members.add": [host("10.70.0.10")],
                   "members.remove": [{"kind": "objectRef#NetworkObj", "objectId": "og-web"}]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH members");
    assert_eq!(r.location_id(), Some("og-main"));
    let got = json(&ok(&stack, c.get(&url, &admin).await));
    let members = got["members"].as_array().cloned().unwrap_or_default();
    assert_eq!(members.len(), 5, "{got}");
    assert!(members.contains(&host("10.70.0.10")), "{got}");
    assert!(!members.iter().any(|m| m["objectId"] == "og-web"), "{got}");
    assert_eq!(got["description"], "servers", "PATCH kept the description");

    let r = ok(
        &stack,
        c.put(&url, json!({"members": [host("10.70.0.11")]}), &admin)
            .await,
    );
    expect_status(&r, 204, "PUT");
    let got = json(&ok(&stack, c.get(&url, &admin).await));
    assert_eq!(got["members"], json!([host("10.70.0.11")]), "{got}");
    assert_eq!(got.get("description"), None, "PUT dropped the description");

    // The inner group is no longer referenced: it and og-main can go.
    for name in ["og-main", "og-inner"] {
        let r = ok(
            &stack,
            c.delete(&format!("{NETWORK_GROUPS}/{name}"), &admin).await,
        );
        expect_status(&r, 204, &format!("DELETE {name}"));
    }
    let r = ok(&stack, c.get(&url, &admin).await);
    expect_not_found(&r, "GET after DELETE");
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains("object-group network og-"), "{running}");
}

#[tokio::test]
async fn network_group_references_must_exist_and_hold_while_used() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let r = ok(
        &stack,
        c.post(
            NETWORK_GROUPS,
            json!({"name": "og-bad", "members": [
                {"kind": "objectRef#NetworkObj", "objectId": "og-missing"}]}),
            &admin,
        )
        .await,
    );
    let (_, details) = expect_error(&r, 400, "POST with a missing member");
    assert!(details.contains("members"), "{}", r.text());
    assert!(
        r.text().contains("members"),
        "context names members: {}",
        r.text()
    );
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_GROUPS}/og-bad"), &admin).await,
    );
    expect_not_found(&r, "nothing created");

    create(
        &stack,
        &mut c,
        NETWORK_GROUPS,
        json!({"name": "og-leaf", "members": [host("10.72.0.1")]}),
    )
    .await;
    create(
        &stack,
        &mut c,
        NETWORK_GROUPS,
        json!({"name": "og-top", "members": [
            {"kind": "objectRef#NetworkObjGroup", "objectId": "og-leaf"}]}),
    )
    .await;
    let r = ok(
        &stack,
        c.delete(&format!("{NETWORK_GROUPS}/og-leaf"), &admin).await,
    );
    let (_, details) = expect_error(&r, 400, "DELETE of a nested group");
    assert!(details.contains("being used"), "{details}");
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_GROUPS}/og-leaf"), &admin).await,
    );
    expect_status(&r, 200, "og-leaf still there");

    let r = ok(
        &stack,
        c.patch(
            &format!("{NETWORK_GROUPS}/og-leaf"),
            json!({"members.add": [{"kind": "objectRef#NetworkObjGroup", "objectId": "og-top"}]}),
            &admin,
        )
        .await,
    );
    let (_, details) = expect_error(&r, 400, "nesting that makes a loop");
    assert!(details.contains("loop"), "{details}");

    let r = ok(
        &stack,
        c.patch(
            &format!("{NETWORK_GROUPS}/og-top"),
            json!({"members.remove": [host("10.99.99.99")]}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "removing a member the group does not have");

    let r = ok(
        &stack,
        c.post(
            NETWORK_GROUPS,
            json!({"name": "og-top", "members": []}),
            &admin,
        )
        .await,
    );
    let (code, _) = expect_error(&r, 400, "duplicate POST");
    assert_eq!(code, "DUPLICATE");
}

#[tokio::test]
async fn a_group_may_not_take_the_name_of_an_object() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create(
        &stack,
        &mut c,
        NETWORK_OBJECTS,
        network_object("og-shared", "IPv4Address", "10.73.0.1", None),
    )
    .await;
    let r = ok(
        &stack,
        c.post(
            NETWORK_GROUPS,
            json!({"name": "og-shared", "members": [host("10.73.0.2")]}),
            &admin,
        )
        .await,
    );
    let (code, details) = expect_error(&r, 400, "group named like an object");
    assert_eq!(code, "CLI-ERROR", "{}", r.text());
    assert!(details.contains("already exists"), "{details}");
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_GROUPS}/og-shared"), &admin).await,
    );
    expect_not_found(&r, "no group created");
    let running = running_config(&mut c, &admin).await;
    assert!(
        !running.contains("object-group network og-shared"),
        "{running}"
    );
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/og-shared"), &admin).await,
    );
    expect_status(&r, 200, "the object is untouched");
    assert_eq!(json(&r)["host"]["value"], "10.73.0.1");
}

#[tokio::test]
async fn service_objects_echo_values_and_change_kind_with_protocol() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    for (name, value, kind, cli_line) in [
        (
            "svc-alt",
            "tcp/https,source=7000-8000",
            "object#TcpUdpServiceObj",
            " service tcp source range 7000 8000 destination eq https",
        ),
        (
            "svc-trace",
            "icmp/traceroute/70",
            "object#ICMPServiceObj",
            " service icmp traceroute 70",
        ),
        (
            "svc-v6",
            "icmp6/echo",
            "object#ICMP6ServiceObj",
            " service icmp6 echo",
        ),
        (
            "svc-gre",
            "gre",
            "object#NetworkProtocolObj",
            " service gre",
        ),
    ] {
        create(
            &stack,
            &mut c,
            SERVICES,
            json!({"kind": "object#TcpUdpServiceObj", "name": name, "value": value}),
        )
        .await;
        let got = json(&ok(
            &stack,
            c.get(&format!("{SERVICES}/{name}"), &admin).await,
        ));
        assert_eq!(got["value"], value, "value echoed as written: {got}");
        assert_eq!(got["kind"], kind, "{got}");
        let running = running_config(&mut c, &admin).await;
        assert!(
            running.contains(&format!("object service {name}\n{cli_line}\n")),
            "{running}"
        );
    }

    let url = format!("{SERVICES}/svc-alt");
    let r = ok(
        &stack,
        c.patch(
            &url,
            json!({"value": "udp/53", "description": "dns"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH value");
    let got = json(&ok(&stack, c.get(&url, &admin).await));
    assert_eq!(got["value"], "udp/53");
    assert_eq!(got["description"], "dns");
    let r = ok(
        &stack,
        c.put(&url, json!({"value": "tcp/8443"}), &admin).await,
    );
    expect_status(&r, 204, "PUT");
    let got = json(&ok(&stack, c.get(&url, &admin).await));
    assert_eq!(got["value"], "tcp/8443");
    assert_eq!(got.get("description"), None);

    for bad in ["tcp/99999", "udp/ssh", "icmp/nope", "bogus"] {
        let r = ok(
            &stack,
            c.post(SERVICES, json!({"name": "svc-bad", "value": bad}), &admin)
                .await,
        );
        expect_error(&r, 400, &format!("POST value {bad}"));
    }

    let r = ok(&stack, c.delete(&url, &admin).await);
    expect_status(&r, 204, "DELETE");
    let r = ok(&stack, c.get(&url, &admin).await);
    expect_not_found(&r, "GET after DELETE");
}

#[tokio::test]
async fn predefined_services_are_listed_usable_and_read_only() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let r = ok(&stack, c.get(&format!("{SERVICES}/https"), &admin).await);
    expect_status(&r, 200, "GET predefined https");
    let got = json(&r);
    assert_eq!(got["value"], "tcp/https");
    assert_eq!(got["isSystemDefined"], true);
    let r = ok(
        &stack,
        c.get(&format!("{SERVICES}?limit=100"), &admin).await,
    );
    let listed = json(&r);
    let items = listed["items"].as_array().cloned().unwrap_or_default();
    assert!(names(&items).contains(&"ssh".to_owned()), "{listed}");

    let url = format!("{SERVICES}/ssh");
    let r = ok(
        &stack,
        c.put(&url, json!({"value": "tcp/2222"}), &admin).await,
    );
    expect_error(&r, 400, "PUT of a predefined service");
    let r = ok(
        &stack,
        c.patch(&url, json!({"description": "x"}), &admin).await,
    );
    expect_error(&r, 400, "PATCH of a predefined service");
    let r = ok(&stack, c.delete(&url, &admin).await);
    expect_error(&r, 400, "DELETE of a predefined service");

    // A group member referring to a predefined service gets the service inline.
    create(
        &stack,
        &mut c,
        SERVICE_GROUPS,
        json!({"name": "sg-pre", "members": [
            {"kind": "objectRef#TcpUdpServiceObj", "objectId": "ssh"}]}),
    )
    .await;
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("object-group service sg-pre\n service-object tcp destination eq ssh\n"),
        "{running}"
    );
}

#[tokio::test]
async fn service_group_crud_references_and_integrity() {
    let stack = start().await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());
    let base = endpoint.base_url();
    let mut c = client(&stack);
    create(
        &stack,
        &mut c,
        SERVICES,
        json!({"name": "sg-ping", "value": "icmp/echo"}),
    )
    .await;
    create(
        &stack,
        &mut c,
        SERVICE_GROUPS,
        json!({"name": "sg-inner", "members": [{"kind": "TcpUdpService", "value": "tcp/80"}]}),
    )
    .await;
    create(
        &stack,
        &mut c,
        SERVICE_GROUPS,
        json!({"name": "sg-main", "description": "web", "members": [
            {"kind": "TcpUdpService", "value": "tcp/https"},
            {"kind": "NetworkProtocol", "value": "esp"},
            {"kind": "objectRef#TcpUdpServiceObj", "objectId": "sg-ping"},
            {"kind": "objectRef#NetworkServiceGroup", "objectId": "sg-inner"},
        ]}),
    )
    .await;
    let url = format!("{SERVICE_GROUPS}/sg-main");
    let got = json(&ok(&stack, c.get(&url, &admin).await));
    assert_eq!(got["kind"], "object#NetworkServiceGroup");
    assert_eq!(
        got["members"][2],
        json!({"kind": "objectRef#ICMPServiceObj", "objectId": "sg-ping",
               "refLink": format!("{base}{SERVICES}/sg-ping")}),
        "the ref kind follows the object: {got}"
    );
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains(
            "object-group service sg-main\n description web\n service-object tcp destination eq https\n \
             service-object esp\n service-object object sg-ping\n group-object sg-inner\n"
        ),
        "{running}"
    );

    for (what, path) in [("service", SERVICES), ("group", SERVICE_GROUPS)] {
        let id = if what == "service" {
            "sg-ping"
        } else {
            "sg-inner"
        };
        let r = ok(&stack, c.delete(&format!("{path}/{id}"), &admin).await);
        let (_, details) = expect_error(&r, 400, &format!("DELETE of a used {what}"));
        assert!(details.contains("being used"), "{details}");
    }

    let r = ok(
        &stack,
        c.patch(
            &url,
            json!({"members.add": [{"kind": "objectRef#TcpUdpServiceObj", "objectId": "sg-none"}]}),
            &admin,
        )
        .await,
    );
    let (_, details) = expect_error(&r, 400, "PATCH adding a missing service");
    assert!(details.contains("members"), "{details}");

    let r = ok(
        &stack,
        c.patch(
            &url,
            json!({"members.remove": [
                {"kind": "objectRef#ICMPServiceObj", "objectId": "sg-ping"},
                {"kind": "objectRef#NetworkServiceGroup", "objectId": "sg-inner"}],
                   "members.add": [{"kind": "TcpUdpService", "value": "udp/53"}]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH members");
    let got = json(&ok(&stack, c.get(&url, &admin).await));
    assert_eq!(
        got["members"],
        json!([
            {"kind": "TcpUdpService", "value": "tcp/https"},
            {"kind": "NetworkProtocol", "value": "esp"},
            {"kind": "TcpUdpService", "value": "udp/53"},
        ]),
        "{got}"
    );
    for url in [
        url.clone(),
        format!("{SERVICE_GROUPS}/sg-inner"),
        format!("{SERVICES}/sg-ping"),
    ] {
        let r = ok(&stack, c.delete(&url, &admin).await);
        expect_status(&r, 204, &format!("DELETE {url}"));
    }
}

#[tokio::test]
async fn groups_configured_on_the_console_list_through_the_api() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let out = cli(
        &mut c,
        &admin,
        &[
            "object-group service cli-ports tcp",
            " port-object eq 445",
            " port-object range 1000 2000",
            "object-group network cli-nets",
            " network-object 10.80.0.0 255.255.0.0",
        ],
    )
    .await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");
    let got = json(&ok(
        &stack,
        c.get(&format!("{SERVICE_GROUPS}/cli-ports"), &admin).await,
    ));
    assert_eq!(
        got["members"],
        json!([{"kind": "TcpUdpService", "value": "tcp/445"},
               {"kind": "TcpUdpService", "value": "tcp/1000-2000"}]),
        "{got}"
    );
    // A group with a protocol keeps it: members are ports of that protocol.
    let r = ok(
        &stack,
        c.patch(
            &format!("{SERVICE_GROUPS}/cli-ports"),
            json!({"members.add": [{"kind": "TcpUdpService", "value": "tcp/22"}]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH a tcp group");
    let running = running_config(&mut c, &admin).await;
    assert!(running.contains(" port-object eq 22\n"), "{running}");
    let got = json(&ok(
        &stack,
        c.get(&format!("{NETWORK_GROUPS}/cli-nets"), &admin).await,
    ));
    assert_eq!(
        got["members"],
        json!([{"kind": "IPv4Network", "value": "10.80.0.0/16"}])
    );
}

#[tokio::test]
async fn a_written_value_survives_a_reload_of_the_configuration() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create(
        &stack,
        &mut c,
        SERVICES,
        json!({"name": "svc-case", "value": "tcp/HTTPS"}),
    )
    .await;
    // A change through /api/cli makes the agent read the configuration again.
    cli(
        &mut c,
        &admin,
        &["object service svc-other", " service udp"],
    )
    .await;
    let url = format!("{SERVICES}/svc-case");
    let got = json(&ok(&stack, c.get(&url, &admin).await));
    assert_eq!(got["value"], "tcp/HTTPS", "{got}");
    let other = json(&ok(
        &stack,
        c.get(&format!("{SERVICES}/svc-other"), &admin).await,
    ));
    assert_eq!(other["value"], "udp", "{other}");
    // Changed on the console, the value is read back in its canonical form.
    cli(
        &mut c,
        &admin,
        &[
            "object service svc-case",
            " service tcp destination eq 8443",
        ],
    )
    .await;
    let got = json(&ok(&stack, c.get(&url, &admin).await));
    assert_eq!(got["value"], "tcp/8443", "{got}");
}
