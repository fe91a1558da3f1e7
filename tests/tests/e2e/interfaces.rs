//! Interfaces end to end: the fixed physical set changed with PUT and PATCH, VLAN
//! sub-interfaces created and deleted, empty logical collections, `ipAddress` and `ipv6Info`
//! always present, `mtu` lines, a referenced nameif that cannot be cleared, a rename that
//! carries the references along, `ipv6 enforce-eui64`, router-advertisement prefixes,
//! passive (traffic-forwarding) ports and writable port-channel members.

use serde_json::{Value, json};

use crate::support::*;

const PHYSICAL: &str = "/api/interfaces/physical";
const VLAN: &str = "/api/interfaces/vlan";
const GI1: &str = "/api/interfaces/physical/GigabitEthernet0_API_SLASH_1";

fn static_ip(ip: &str, mask: &str) -> Value {
    json!({"kind": "StaticIP", "ip": {"kind": "IPv4Address", "value": ip},
        "netMask": {"kind": "IPv4NetMask", "value": mask}})
}

fn named_port(name: &str, level: i64, ip: &str) -> Value {
    json!({
        "kind": "object#GigabitInterface",
        "hardwareID": "GigabitEthernet0/1",
        "name": name,
        "securityLevel": level,
        "interfaceDesc": "LAN side",
        "shutdown": false,
        "mtu": 9000,
        "ipAddress": static_ip(ip, "255.255.255.0"),
    })
}

/// The `interface <hw>` block of a printed configuration (up to its `!`).
fn block<'t>(text: &'t str, hw: &str) -> &'t str {
    let head = format!("\ninterface {hw}\n");
    let Some(start) = text.find(&head) else {
        return "";
    };
    let rest = &text[start..];
    let end = rest[1..].find("\n!").map_or(rest.len(), |i| i + 2);
    &rest[..end]
}

fn cleared_port() -> Value {
    json!({"hardwareID": "GigabitEthernet0/1", "name": "", "securityLevel": -1,
        "ipAddress": "NoneSelected", "shutdown": true})
}

#[tokio::test]
async fn collections_list_the_fixed_hardware_and_empty_logical_sets() {
    let stack = start().await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());
    let mut c = client(&stack);

    let r = ok(&stack, c.get(PHYSICAL, &admin).await);
    expect_status(&r, 200, "GET physical");
    let body = json(&r);
    assert_eq!(body["kind"], "collection#GigabitInterface");
    let items = body["items"].as_array().cloned().unwrap_or_default();
    let ids: Vec<&str> = items
        .iter()
        .map(|i| i["hardwareID"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        ids,
        [
            "GigabitEthernet0/0",
            "GigabitEthernet0/1",
            "GigabitEthernet0/2",
            "GigabitEthernet0/3",
            "GigabitEthernet0/4",
            "GigabitEthernet0/5",
            "GigabitEthernet0/6",
            "Management0/0"
        ]
    );
    assert_eq!(
        body["rangeInfo"],
        json!({"offset": 0, "limit": 8, "total": 8})
    );
    for item in &items {
        assert!(item.get("ipAddress").is_some(), "ipAddress in {item}");
        assert_eq!(item["ipv6Info"]["kind"], "object#Ipv6InterfaceInfo");
        assert!(item["ipv6Info"]["ipv6Addresses"].is_array());
    }
    let gi0 = &items[0];
    assert_eq!(gi0["kind"], "object#GigabitInterface");
    assert_eq!(gi0["ipAddress"], "NoneSelected");
    assert_eq!(gi0["securityLevel"], -1);
    assert_eq!(gi0["name"], "");
    assert_eq!(gi0["shutdown"], true);
    assert_eq!(
        gi0["selfLink"],
        format!(
            "{}{PHYSICAL}/GigabitEthernet0_API_SLASH_0",
            endpoint.base_url()
        )
    );
    let mgmt = &items[7];
    assert_eq!(mgmt["kind"], "object#MgmtInterface");
    assert_eq!(mgmt["objectId"], "Management0_API_SLASH_0");
    assert_eq!(mgmt["name"], "management");
    assert_eq!(mgmt["managementOnly"], true);
    assert_eq!(mgmt["mtu"], 1500);
    assert_eq!(mgmt["ipAddress"]["ip"]["value"], "192.168.1.1");
    assert_eq!(mgmt["ipAddress"]["netMask"]["value"], "255.255.255.0");

    for (path, kind) in [
        (VLAN, "collection#VlanMgmtInterface"),
        ("/api/interfaces/portchannel", "collection#PCInterface"),
        ("/api/interfaces/redundant", "collection#RedundantInterface"),
        ("/api/interfaces/bvi", "collection#BVIInterface"),
    ] {
        let r = ok(&stack, c.get(path, &admin).await);
        expect_status(&r, 200, path);
        let body = json(&r);
        assert_eq!(body["kind"], kind);
        assert_eq!(
            body["rangeInfo"],
            json!({"offset": 0, "limit": 0, "total": 0})
        );
        assert_eq!(body["items"], json!([]));
    }
}

#[tokio::test]
async fn a_put_names_a_port_and_a_put_clearing_it_undoes_it() {
    let stack = start().await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());
    let mut c = client(&stack);

    let r = ok(
        &stack,
        c.put(GI1, named_port("inside", 100, "10.0.0.1"), &admin)
            .await,
    );
    expect_status(&r, 204, "PUT GigabitEthernet0/1");
    assert_eq!(
        r.header("location"),
        Some(format!("{}{GI1}", endpoint.base_url()).as_str())
    );
    let item = json(&ok(&stack, c.get(GI1, &admin).await));
    assert_eq!(item["name"], "inside");
    assert_eq!(item["securityLevel"], 100);
    assert_eq!(item["interfaceDesc"], "LAN side");
    assert_eq!(item["shutdown"], false);
    assert_eq!(item["mtu"], 9000);
    assert_eq!(item["ipAddress"]["ip"]["value"], "10.0.0.1");
    let text = running_config(&mut c, &admin).await;
    assert!(
        text.contains(
            "interface GigabitEthernet0/1\n description LAN side\n nameif inside\n security-level 100\n ip address 10.0.0.1 255.255.255.0\n"
        ),
        "{text}"
    );
    assert!(text.contains("mtu inside 9000\n"), "{text}");

    // The nameif now works for access rules.
    let r = ok(&stack, c.get("/api/access/in/inside/rules", &admin).await);
    expect_status(&r, 200, "rules of the new nameif");

    let r = ok(&stack, c.put(GI1, cleared_port(), &admin).await);
    expect_status(&r, 204, "PUT clearing GigabitEthernet0/1");
    let item = json(&ok(&stack, c.get(GI1, &admin).await));
    assert_eq!(item["name"], "");
    assert_eq!(item["securityLevel"], -1);
    assert_eq!(item["ipAddress"], "NoneSelected");
    assert_eq!(item["shutdown"], true);
    assert_eq!(item["interfaceDesc"], "");
    let text = running_config(&mut c, &admin).await;
    assert!(!text.contains("mtu inside"), "{text}");
    assert!(!text.contains("nameif inside"), "{text}");

    // The hardware is fixed: no POST, no DELETE, no unknown port.
    let r = ok(
        &stack,
        c.post(PHYSICAL, named_port("x", 0, "10.0.0.1"), &admin)
            .await,
    );
    expect_error(&r, 405, "POST physical");
    let r = ok(&stack, c.delete(GI1, &admin).await);
    expect_error(&r, 405, "DELETE physical");
    let r = ok(
        &stack,
        c.put(
            "/api/interfaces/physical/GigabitEthernet0_API_SLASH_9",
            cleared_port(),
            &admin,
        )
        .await,
    );
    expect_not_found(&r, "PUT GigabitEthernet0/9");
}

#[tokio::test]
async fn patch_changes_only_what_it_names_including_ipv6() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let url = "/api/interfaces/physical/Management0_API_SLASH_0";
    let body = json!({
        "interfaceDesc": "oob",
        "ipv6Info": {"enabled": true, "ipv6Addresses": [
            {"address": {"kind": "IPv6Address", "value": "2001:db8::1"}, "prefixLength": 64,
             "standby": {"kind": "IPv6Address", "value": ""}}
        ]},
    });
    let r = ok(&stack, c.patch(url, body, &admin).await);
    expect_status(&r, 204, "PATCH Management0/0");
    let item = json(&ok(&stack, c.get(url, &admin).await));
    assert_eq!(item["name"], "management");
    assert_eq!(item["interfaceDesc"], "oob");
    assert_eq!(item["ipAddress"]["ip"]["value"], "192.168.1.1");
    assert_eq!(item["ipv6Info"]["enabled"], true);
    let a = &item["ipv6Info"]["ipv6Addresses"][0];
    assert_eq!(a["address"]["value"], "2001:db8::1");
    assert_eq!(a["prefixLength"], 64);
    assert_eq!(a["standby"]["value"], "");
    let text = running_config(&mut c, &admin).await;
    assert!(text.contains(" ipv6 address 2001:db8::1/64\n"), "{text}");

    let r = ok(
        &stack,
        c.patch(url, json!({"name": "bad name"}), &admin).await,
    );
    let (_, details) = expect_error(&r, 400, "bad nameif");
    assert!(details.contains("name"), "{details}");
    let r = ok(
        &stack,
        c.patch(url, json!({"interfaceDesc": "x\nhostname pwned"}), &admin)
            .await,
    );
    expect_error(&r, 400, "description with a new line");
    let text = running_config(&mut c, &admin).await;
    assert!(!text.contains("hostname pwned"), "{text}");
}

#[tokio::test]
async fn vlan_sub_interfaces_are_created_changed_and_deleted() {
    let stack = start().await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());
    let mut c = client(&stack);
    let body = json!({
        "kind": "object#VlanMgmtInterface",
        "hardwareID": "GigabitEthernet0/2.100",
        "vlanID": 100,
        "name": "dmz",
        "securityLevel": 50,
        "shutdown": false,
        "ipAddress": static_ip("172.16.0.1", "255.255.0.0"),
    });
    let r = ok(
        &stack,
        c.post(&format!("{VLAN}/"), body.clone(), &admin).await,
    );
    expect_status(&r, 201, "POST vlan");
    let link = format!(
        "{}{VLAN}/GigabitEthernet0_API_SLASH_2.100",
        endpoint.base_url()
    );
    assert_eq!(r.header("location"), Some(link.as_str()));
    let url = format!("{VLAN}/GigabitEthernet0_API_SLASH_2.100");
    let item = json(&ok(&stack, c.get(&url, &admin).await));
    assert_eq!(item["kind"], "object#VlanMgmtInterface");
    assert_eq!(item["vlanID"], 100);
    assert_eq!(item["name"], "dmz");
    assert_eq!(item["securityLevel"], 50);
    assert_eq!(item["selfLink"], link);
    assert_eq!(item["ipv6Info"]["enabled"], false);

    let r = ok(&stack, c.post(VLAN, body, &admin).await);
    expect_error(&r, 400, "POST the same sub-interface again");
    let r = ok(
        &stack,
        c.post(
            VLAN,
            json!({"hardwareID": "GigabitEthernet0/9.5", "vlanID": 5}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "POST under a port that does not exist");

    let r = ok(
        &stack,
        c.patch(&url, json!({"vlanID": 101, "interfaceDesc": "dmz"}), &admin)
            .await,
    );
    expect_status(&r, 204, "PATCH vlan");
    let item = json(&ok(&stack, c.get(&url, &admin).await));
    assert_eq!(item["vlanID"], 101);
    assert_eq!(item["interfaceDesc"], "dmz");
    assert_eq!(item["ipAddress"]["ip"]["value"], "172.16.0.1");

    let list = json(&ok(&stack, c.get(VLAN, &admin).await));
    assert_eq!(list["rangeInfo"]["total"], 1);

    let r = ok(&stack, c.delete(&url, &admin).await);
    expect_status(&r, 204, "DELETE vlan");
    let r = ok(&stack, c.get(&url, &admin).await);
    expect_not_found(&r, "GET deleted vlan");
    let text = running_config(&mut c, &admin).await;
    assert!(!text.contains("GigabitEthernet0/2.100"), "{text}");
}

#[tokio::test]
async fn a_referenced_nameif_cannot_be_cleared_and_a_rename_carries_its_references() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let r = ok(
        &stack,
        c.put(GI1, named_port("inside", 100, "10.0.0.1"), &admin)
            .await,
    );
    expect_status(&r, 204, "PUT GigabitEthernet0/1");
    cli(
        &mut c,
        &admin,
        &["route inside 10.9.0.0 255.255.0.0 10.0.0.254 1"],
    )
    .await;
    let before = running_config(&mut c, &admin).await;

    let r = ok(&stack, c.put(GI1, cleared_port(), &admin).await);
    let (_, details) = expect_error(&r, 400, "clearing a referenced nameif");
    assert!(details.contains("referenced"), "{details}");
    assert_eq!(running_config(&mut c, &admin).await, before);
    let item = json(&ok(&stack, c.get(GI1, &admin).await));
    assert_eq!(item["name"], "inside");
    assert_eq!(item["mtu"], 9000);

    // A rename carries the route (and the mtu line) to the new name, as on an ASA.
    let r = ok(&stack, c.patch(GI1, json!({"name": "lan"}), &admin).await);
    expect_status(&r, 204, "renaming a referenced nameif");
    let item = json(&ok(&stack, c.get(GI1, &admin).await));
    assert_eq!(item["name"], "lan");
    assert_eq!(item["mtu"], 9000);
    let text = running_config(&mut c, &admin).await;
    assert!(text.contains("mtu lan 9000\n"), "{text}");
    assert!(!text.contains("mtu inside"), "{text}");
    assert!(
        text.contains("route lan 10.9.0.0 255.255.0.0 10.0.0.254 1\n"),
        "{text}"
    );
    let routes = json(&ok(&stack, c.get("/api/routing/static", &admin).await));
    assert_eq!(routes["items"][0]["interface"]["name"], "lan", "{routes}");
}

#[tokio::test]
async fn setup_reads_and_writes_same_security_traffic() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let url = "/api/interfaces/setup";
    let item = json(&ok(&stack, c.get(url, &admin).await));
    assert_eq!(item["kind"], "object#InterfaceSetup");
    assert_eq!(item["sameSecurityTrafficInterInterface"], false);
    let r = ok(
        &stack,
        c.patch(
            url,
            json!({"sameSecurityTrafficInterInterface": true}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH setup");
    let item = json(&ok(&stack, c.get(url, &admin).await));
    assert_eq!(item["sameSecurityTrafficInterInterface"], true);
    assert_eq!(item["sameSecurityTrafficIntraInterface"], false);
    let text = running_config(&mut c, &admin).await;
    assert!(
        text.contains("same-security-traffic permit inter-interface\n"),
        "{text}"
    );
}

#[tokio::test]
async fn redundant_and_port_channel_interfaces_are_created_and_deleted() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let body = json!({
        "hardwareID": "Redundant1",
        "name": "core",
        "securityLevel": 90,
        "members": [
            {"kind": "objectRef#Interface", "objectId": "GigabitEthernet0_API_SLASH_4"},
            {"kind": "objectRef#Interface", "objectId": "GigabitEthernet0_API_SLASH_5"}
        ],
        "ipAddress": static_ip("10.9.0.1", "255.255.0.0"),
    });
    let r = ok(
        &stack,
        c.post("/api/interfaces/redundant", body, &admin).await,
    );
    expect_status(&r, 201, "POST redundant");
    let item = json(&ok(
        &stack,
        c.get("/api/interfaces/redundant/Redundant1", &admin).await,
    ));
    assert_eq!(item["kind"], "object#RedundantInterface");
    assert_eq!(item["name"], "core");
    let members: Vec<&str> = item["members"]
        .as_array()
        .map(|m| m.iter().filter_map(|x| x["objectId"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        members,
        [
            "GigabitEthernet0_API_SLASH_4",
            "GigabitEthernet0_API_SLASH_5"
        ]
    );
    assert_eq!(item["members"][0]["kind"], "objectRef#Interface");

    let r = ok(
        &stack,
        c.post(
            "/api/interfaces/redundant",
            json!({"hardwareID": "Redundant2", "members": ["GigabitEthernet0/9"]}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "a member that does not exist");

    let r = ok(
        &stack,
        c.patch(
            "/api/interfaces/physical/GigabitEthernet0_API_SLASH_6",
            json!({"channelGroupID": "3", "channelGroupMode": "active"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH a port into channel group 3");
    let r = ok(
        &stack,
        c.post(
            "/api/interfaces/portchannel",
            json!({"hardwareID": "Port-channel3", "name": "bundle", "securityLevel": 10}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST port-channel");
    let list = json(&ok(
        &stack,
        c.get("/api/interfaces/portchannel", &admin).await,
    ));
    assert_eq!(list["items"][0]["kind"], "object#PCInterface");
    assert_eq!(list["items"][0]["name"], "bundle");
    assert_eq!(
        list["items"][0]["members"][0]["objectId"],
        "GigabitEthernet0_API_SLASH_6"
    );
    let port = json(&ok(
        &stack,
        c.get(
            "/api/interfaces/physical/GigabitEthernet0_API_SLASH_6",
            &admin,
        )
        .await,
    ));
    assert_eq!(port["channelGroupID"], "3");
    assert_eq!(port["channelGroupMode"], "active");

    // A plain (encoded) hardware id names the same port as its objectId.
    let r = ok(
        &stack,
        c.get("/api/interfaces/physical/GigabitEthernet0%2F4", &admin)
            .await,
    );
    expect_status(&r, 200, "GET by hardware id");
    assert_eq!(json(&r)["objectId"], "GigabitEthernet0_API_SLASH_4");

    for url in [
        "/api/interfaces/redundant/Redundant1",
        "/api/interfaces/portchannel/Port-channel3",
    ] {
        let r = ok(&stack, c.delete(url, &admin).await);
        expect_status(&r, 204, url);
    }
    let text = running_config(&mut c, &admin).await;
    assert!(!text.contains("interface Redundant1"), "{text}");
    assert!(!text.contains("interface Port-channel3"), "{text}");
}

#[tokio::test]
async fn a_bulk_names_a_sub_interface_and_binds_a_rule_to_it() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let ops = json!([
        {"method": "POST", "resourceUri": VLAN, "data": {
            "hardwareID": "GigabitEthernet0/2.30", "vlanID": 30, "name": "guests",
            "securityLevel": 20, "ipAddress": static_ip("10.30.0.1", "255.255.255.0")}},
        {"method": "POST", "resourceUri": "/api/access/in/guests/rules", "data": {
            "sourceAddress": {"kind": "AnyIPAddress", "value": "any"},
            "destinationAddress": {"kind": "AnyIPAddress", "value": "any"},
            "sourceService": {"kind": "NetworkProtocol", "value": "ip"},
            "destinationService": {"kind": "NetworkProtocol", "value": "ip"},
            "permit": true}},
    ]);
    let r = ok(&stack, c.post("/api", ops, &admin).await);
    expect_status(&r, 200, "bulk");
    let body = json(&r);
    assert_eq!(body["entryMessages"][0]["status"], 201, "{body}");
    assert_eq!(body["entryMessages"][1]["status"], 201, "{body}");
    let item = json(&ok(
        &stack,
        c.get(&format!("{VLAN}/GigabitEthernet0_API_SLASH_2.30"), &admin)
            .await,
    ));
    assert_eq!(item["name"], "guests");
    let groups = json(&ok(&stack, c.get("/api/access/in", &admin).await));
    assert_eq!(
        groups["items"][0]["interface"]["name"], "guests",
        "{groups}"
    );
    // The rule holds the name: the sub-interface cannot go now.
    let r = ok(
        &stack,
        c.delete(&format!("{VLAN}/GigabitEthernet0_API_SLASH_2.30"), &admin)
            .await,
    );
    let (_, details) = expect_error(&r, 400, "deleting a sub-interface a rule uses");
    assert!(details.contains("access-group"), "{details}");
}

/// go-ciscoasa "deletes" a physical interface with a PUT of its zero values: null
/// `ipAddress` and `ipv6Info`, `mtu` 1500, empty `name`, `securityLevel` -1.
#[tokio::test]
async fn the_go_client_delete_body_resets_a_port() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let r = ok(
        &stack,
        c.put(GI1, named_port("inside", 100, "10.0.0.1"), &admin)
            .await,
    );
    expect_status(&r, 204, "PUT GigabitEthernet0/1");
    let body = json!({
        "activeMacAddress": "", "channelGroupID": "", "channelGroupMode": "active",
        "duplex": "auto", "flowcontrolHigh": -1, "flowcontrolLow": -1, "flowcontrolOn": false,
        "flowcontrolPeriod": -1, "forwardTrafficCX": false, "forwardTrafficSFR": false,
        "hardwareID": "GigabitEthernet0/1", "interfaceDesc": "", "ipAddress": null,
        "ipv6Info": null, "kind": "object#GigabitInterface", "lacpPriority": -1,
        "managementOnly": false, "mtu": 1500, "name": "", "securityLevel": -1,
        "shutdown": false, "speed": "auto", "standByMacAddress": "",
        "objectId": "GigabitEthernet0_API_SLASH_1", "selfLink": ""
    });
    let r = ok(&stack, c.put(GI1, body, &admin).await);
    expect_status(&r, 204, "the go client's delete");
    assert_eq!(r.location_id(), Some("GigabitEthernet0_API_SLASH_1"));
    let item = json(&ok(&stack, c.get(GI1, &admin).await));
    assert_eq!(item["name"], "");
    assert_eq!(item["ipAddress"], "NoneSelected");
    assert_eq!(item["securityLevel"], -1);
    assert_eq!(item["mtu"], 1500);
    let text = running_config(&mut c, &admin).await;
    assert!(!text.contains("mtu inside"), "{text}");
}

#[tokio::test]
async fn enforce_eui64_and_nd_prefixes_round_trip_through_the_device() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let body = json!({
        "hardwareID": "GigabitEthernet0/1", "name": "lab6", "securityLevel": 40,
        "ipv6Info": {"enabled": true, "enforceEUI64": true,
            "ipv6Addresses": [{"address": {"kind": "IPv6Address", "value": "2001:db8:40::1"}, "prefixLength": 64}],
            "nDiscoveryPrefixList": [
                {"kind": "IPV6Prefix", "prefix": {"kind": "IPv6Network", "value": "2001:DB8:40::/64"},
                 "hasDuration": true, "validLifetime": 86400, "preferredLifetime": 43200, "noAutoconfig": true},
                {"kind": "IPV6Prefix", "defaultPrefix": true, "noAdvertise": true}]}
    });
    let r = ok(&stack, c.put(GI1, body, &admin).await);
    expect_status(&r, 204, "PUT with enforceEUI64 and prefixes");
    let text = running_config(&mut c, &admin).await;
    assert!(
        text.contains(
            " ipv6 nd prefix 2001:db8:40::/64 86400 43200 no-autoconfig\n ipv6 nd prefix default no-advertise\n"
        ),
        "{text}"
    );
    assert!(text.contains("\nipv6 enforce-eui64 lab6\n"), "{text}");
    let item = json(&ok(&stack, c.get(GI1, &admin).await));
    let v6 = &item["ipv6Info"];
    assert_eq!(v6["enforceEUI64"], true);
    let prefixes = v6["nDiscoveryPrefixList"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(prefixes.len(), 2, "{v6}");
    assert_eq!(prefixes[0]["kind"], "IPV6Prefix");
    assert_eq!(prefixes[0]["prefix"]["value"], "2001:db8:40::/64");
    assert_eq!(prefixes[0]["validLifetime"], 86400);
    assert_eq!(prefixes[0]["noAutoconfig"], true);
    assert_eq!(prefixes[1]["defaultPrefix"], true);
    assert_eq!(prefixes[1]["hasDuration"], false);

    // The global line holds the name: a rename carries it, clearing the flag removes it.
    let r = ok(&stack, c.patch(GI1, json!({"name": "lab7"}), &admin).await);
    expect_status(&r, 204, "rename");
    let text = running_config(&mut c, &admin).await;
    assert!(text.contains("\nipv6 enforce-eui64 lab7\n"), "{text}");
    assert!(!text.contains("enforce-eui64 lab6"), "{text}");
    let r = ok(
        &stack,
        c.patch(
            GI1,
            json!({"ipv6Info": {"enforceEUI64": false,
            "nDiscoveryPrefixList": [{"prefix": "2001:db8:40::/64", "offLink": true}]}}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH prefixes");
    let text = running_config(&mut c, &admin).await;
    assert!(!text.contains("enforce-eui64"), "{text}");
    assert!(
        text.contains(" ipv6 nd prefix 2001:db8:40::/64 off-link\n"),
        "{text}"
    );
    assert!(!text.contains("ipv6 nd prefix default"), "{text}");

    for (body, what) in [
        (
            json!({"name": "", "ipv6Info": {"enforceEUI64": true}}),
            "enforceEUI64 without a name",
        ),
        (
            json!({"ipv6Info": {"nDiscoveryPrefixList": [{"prefix": "2001:db8::/64\n no nameif"}]}}),
            "a prefix with a newline",
        ),
        (
            json!({"ipv6Info": {"nDiscoveryPrefixList": [{"prefix": "2001:db8::/64", "validLifetime": 5, "preferredLifetime": 9}]}}),
            "preferred above valid",
        ),
    ] {
        let r = ok(&stack, c.patch(GI1, body, &admin).await);
        expect_error(&r, 400, what);
    }
    assert_eq!(running_config(&mut c, &admin).await, text);

    // A sub-interface enforcing EUI-64 is deleted with its global line.
    let r = ok(
        &stack,
        c.post(
            VLAN,
            json!({"hardwareID": "GigabitEthernet0/2.30", "vlanID": 30, "name": "v30",
                "ipv6Info": {"enabled": true, "enforceEUI64": true}}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST a sub-interface enforcing EUI-64");
    assert!(
        running_config(&mut c, &admin)
            .await
            .contains("\nipv6 enforce-eui64 v30\n")
    );
    let r = ok(
        &stack,
        c.delete(
            "/api/interfaces/vlan/GigabitEthernet0_API_SLASH_2.30",
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "DELETE it");
    assert_eq!(running_config(&mut c, &admin).await, text);
}

#[tokio::test]
async fn a_passive_port_forwards_to_one_module_and_carries_no_name() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    const GI5: &str = "/api/interfaces/physical/GigabitEthernet0_API_SLASH_5";
    let r = ok(
        &stack,
        c.put(
            GI5,
            json!({"hardwareID": "GigabitEthernet0/5", "name": "", "forwardTrafficSFR": true,
            "shutdown": false}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT a passive port");
    let text = running_config(&mut c, &admin).await;
    assert!(
        block(&text, "GigabitEthernet0/5").contains("\n traffic-forward sfr monitor-only\n"),
        "{text}"
    );
    let item = json(&ok(&stack, c.get(GI5, &admin).await));
    assert_eq!(item["forwardTrafficSFR"], true);
    assert_eq!(item["forwardTrafficCX"], false);

    // A name on a passive port: LINA's error, nothing changed.
    let r = ok(&stack, c.patch(GI5, json!({"name": "spy"}), &admin).await);
    let (_, details) = expect_error(&r, 400, "naming a passive port");
    assert!(
        details.contains("traffic-forwarding interface"),
        "{details}"
    );
    assert_eq!(running_config(&mut c, &admin).await, text);
    let r = ok(
        &stack,
        c.patch(
            GI5,
            json!({"forwardTrafficCX": true, "forwardTrafficSFR": true}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "two modules");
    let r = ok(
        &stack,
        c.post(
            VLAN,
            json!({"hardwareID": "GigabitEthernet0/5.7", "vlanID": 7, "forwardTrafficCX": true}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "a passive sub-interface");

    // Back to a named port in one PUT: the module goes before the name.
    let r = ok(
        &stack,
        c.put(
            GI5,
            json!({"hardwareID": "GigabitEthernet0/5", "name": "spy",
        "securityLevel": 5}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT naming the port");
    let item = json(&ok(&stack, c.get(GI5, &admin).await));
    assert_eq!(item["forwardTrafficSFR"], false);
    assert_eq!(item["name"], "spy");
}

#[tokio::test]
async fn port_channel_members_are_written_on_their_ports() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    const PC: &str = "/api/interfaces/portchannel";
    const PC4: &str = "/api/interfaces/portchannel/Port-channel4";
    let member = |id: &str| json!({"kind": "objectRef#Interface", "objectId": id});
    let body = json!({"hardwareID": "Port-channel4", "name": "uplink", "securityLevel": 0,
        "members": [member("GigabitEthernet0_API_SLASH_2"), member("GigabitEthernet0_API_SLASH_3")]});
    let r = ok(&stack, c.post(PC, body, &admin).await);
    expect_status(&r, 201, "POST a port-channel with members");
    let text = running_config(&mut c, &admin).await;
    for hw in ["GigabitEthernet0/2", "GigabitEthernet0/3"] {
        assert!(
            block(&text, hw).contains("\n channel-group 4 mode active\n"),
            "{hw} in {text}"
        );
    }
    let members = |item: &Value| -> Vec<String> {
        item["members"]
            .as_array()
            .map(|m| {
                m.iter()
                    .filter_map(|x| x["objectId"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let item = json(&ok(&stack, c.get(PC4, &admin).await));
    assert_eq!(
        members(&item),
        [
            "GigabitEthernet0_API_SLASH_2",
            "GigabitEthernet0_API_SLASH_3"
        ]
    );

    // PATCH: Gi0/3 leaves, Gi0/4 joins with the group's mode.
    let r = ok(
        &stack,
        c.patch(
            PC4,
            json!({"members": [member("GigabitEthernet0_API_SLASH_2"),
            "GigabitEthernet0/4"]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH members");
    let item = json(&ok(&stack, c.get(PC4, &admin).await));
    assert_eq!(
        members(&item),
        [
            "GigabitEthernet0_API_SLASH_2",
            "GigabitEthernet0_API_SLASH_4"
        ]
    );
    let port = json(&ok(
        &stack,
        c.get(
            "/api/interfaces/physical/GigabitEthernet0_API_SLASH_3",
            &admin,
        )
        .await,
    ));
    assert_eq!(port["channelGroupID"], "");
    // A PUT without `members` leaves the ports alone.
    let r = ok(
        &stack,
        c.put(PC4, json!({"name": "uplink2", "securityLevel": 0}), &admin)
            .await,
    );
    expect_status(&r, 204, "PUT without members");
    let item = json(&ok(&stack, c.get(PC4, &admin).await));
    assert_eq!(item["name"], "uplink2");
    assert_eq!(members(&item).len(), 2);

    // A port of another group, a named port, a sub-interface, a missing port: refused, nothing changed.
    let r = ok(
        &stack,
        c.patch(
            "/api/interfaces/physical/GigabitEthernet0_API_SLASH_6",
            json!({"channelGroupID": "9", "channelGroupMode": "on"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "Gi0/6 into group 9");
    let r = ok(
        &stack,
        c.put(GI1, named_port("inside", 100, "10.0.0.1"), &admin)
            .await,
    );
    expect_status(&r, 204, "naming Gi0/1");
    let before = running_config(&mut c, &admin).await;
    let (_, details) = expect_error(
        &ok(
            &stack,
            c.patch(PC4, json!({"members": ["GigabitEthernet0/6"]}), &admin)
                .await,
        ),
        400,
        "a port of another group",
    );
    assert!(
        details.contains("already a member of port-channel 9"),
        "{details}"
    );
    let (_, details) = expect_error(
        &ok(
            &stack,
            c.patch(PC4, json!({"members": ["GigabitEthernet0/1"]}), &admin)
                .await,
        ),
        400,
        "a named port",
    );
    assert!(details.contains("has a nameif"), "{details}");
    for (members, what) in [
        (json!(["GigabitEthernet0/2.5"]), "a sub-interface"),
        (json!(["GigabitEthernet0/9"]), "a missing port"),
    ] {
        let r = ok(
            &stack,
            c.patch(PC4, json!({"members": members}), &admin).await,
        );
        expect_error(&r, 400, what);
    }
    assert_eq!(running_config(&mut c, &admin).await, before);

    // An empty list frees every port.
    let r = ok(&stack, c.patch(PC4, json!({"members": []}), &admin).await);
    expect_status(&r, 204, "PATCH members []");
    let text = running_config(&mut c, &admin).await;
    assert!(!text.contains("channel-group 4"), "{text}");

    // Deleting a port-channel frees its ports in the same batch.
    let r = ok(
        &stack,
        c.patch(PC4, json!({"members": ["GigabitEthernet0/5"]}), &admin)
            .await,
    );
    expect_status(&r, 204, "PATCH members [Gi0/5]");
    assert!(
        block(&running_config(&mut c, &admin).await, "GigabitEthernet0/5")
            .contains("\n channel-group 4 mode")
    );
    let r = ok(&stack, c.delete(PC4, &admin).await);
    expect_status(&r, 204, "DELETE the port-channel");
    let text = running_config(&mut c, &admin).await;
    assert!(!text.contains("channel-group 4"), "{text}");
    assert!(!text.contains("interface Port-channel4"), "{text}");
    let port = json(&ok(
        &stack,
        c.get(
            "/api/interfaces/physical/GigabitEthernet0_API_SLASH_5",
            &admin,
        )
        .await,
    ));
    assert_eq!(port["channelGroupID"], "");
}
