//! NAT end to end over HTTPS: twice NAT before and after object NAT with positions, object NAT
//! with in-line addresses and port translation, PAT pools and interface PAT, PUT and PATCH
//! answering with the re-hashed id in `Location`, `show nat`, and the ASA's refusals (unknown
//! objects and nameifs, objects still used by NAT).

use serde_json::{Value, json};

use crate::support::*;

const BEFORE: &str = "/api/nat/before";
const AFTER: &str = "/api/nat/after";
const AUTO: &str = "/api/nat/auto";

fn iface(name: &str) -> Value {
    json!({"kind": "objectRef#Interface", "name": name})
}

fn obj(name: &str) -> Value {
    json!({"kind": "objectRef#NetworkObj", "objectId": name})
}

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

async fn setup(c: &mut tests::Client, admin: &tests::Auth) {
    cli(
        c,
        admin,
        &[
            "interface GigabitEthernet0/0",
            "nameif outside",
            "exit",
            "interface GigabitEthernet0/1",
            "nameif inside",
            "exit",
            "object network lan",
            "subnet 10.1.0.0 255.255.0.0",
            "object network lan-mapped",
            "subnet 192.0.2.0 255.255.255.0",
            "object network web",
            "host 10.1.0.80",
            "object network dst",
            "host 198.51.100.7",
            "object-group network pool",
            "network-object host 203.0.113.5",
            "exit",
        ],
    )
    .await;
}

#[tokio::test]
async fn twice_and_object_nat_round_trip_through_the_cli() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    setup(&mut c, &admin).await;

    let r = ok(&stack, c.get(BEFORE, &admin).await);
    expect_status(&r, 200, "GET empty section 1");
    let body = json(&r);
    assert_eq!(body["kind"], "collection#TwiceNATRule");
    assert_eq!(
        body["rangeInfo"],
        json!({"offset": 0, "limit": 0, "total": 0})
    );

    // Section 1: a static identity rule with a destination, then one inserted at the top.
    let first = json!({
        "mode": "static",
        "originalInterface": iface("inside"), "translatedInterface": iface("outside"),
        "originalSource": obj("lan"), "translatedSource": obj("lan-mapped"),
        "originalDestination": obj("dst"), "translatedDestination": obj("dst"),
        "isNoProxyArp": true, "isRouteLookup": "true", "description": "site to site"
    });
    let r = ok(&stack, c.post(BEFORE, &first, &admin).await);
    expect_status(&r, 201, "POST twice rule");
    let id1 = r.location_id().unwrap_or_default().to_owned();
    assert!(id1.parse::<u32>().is_ok(), "decimal hash id: {id1}");
    let second = json!({
        "mode": "dynamic", "position": 1,
        "originalInterface": iface("inside"), "translatedInterface": iface("outside"),
        "originalSource": {"kind": "AnyIPAddress", "value": "any"},
        "isInterfacePAT": true,
    });
    let r = ok(&stack, c.post(BEFORE, &second, &admin).await);
    expect_status(&r, 201, "POST interface PAT at position 1");
    let id2 = r.location_id().unwrap_or_default().to_owned();
    let r = ok(&stack, c.get(BEFORE, &admin).await);
    assert_eq!(ids(&json(&r)), [id2.clone(), id1.clone()]);

    let r = ok(&stack, c.get(&format!("{BEFORE}/{id1}"), &admin).await);
    expect_status(&r, 200, "GET twice rule");
    let got = json(&r);
    assert_eq!(got["kind"], "object#TwiceNATRule");
    assert_eq!(got["position"], 2);
    assert_eq!(got["mode"], "static");
    assert_eq!(got["active"], true);
    assert_eq!(got["isNoProxyArp"], true);
    assert_eq!(got["isRouteLookup"], true);
    assert_eq!(got["description"], "site to site");
    assert_eq!(got["originalSource"]["objectId"], "lan");
    assert_eq!(got["translatedSource"]["kind"], "objectRef#NetworkObj");
    assert_eq!(got["originalInterface"]["name"], "inside");
    assert_eq!(
        got["originalInterface"]["objectId"],
        "GigabitEthernet0_API_SLASH_1"
    );

    // Section 3: dynamic PAT to a pool; section 2: an object's static rule with ports.
    let pat = json!({
        "mode": "dynamic",
        "originalInterface": iface("inside"), "translatedInterface": iface("outside"),
        "originalSource": obj("lan"),
        "isPatPool": true, "translatedSourcePatPool": {"kind": "objectRef#NetworkObjGroup", "objectId": "pool"},
        "isRoundRobin": true, "flat": true, "includeReserve": true,
    });
    let r = ok(&stack, c.post(AFTER, &pat, &admin).await);
    expect_status(&r, 201, "POST after-auto PAT pool rule");
    let id3 = r.location_id().unwrap_or_default().to_owned();
    let auto = json!({
        "mode": "static",
        "originalInterface": iface("inside"), "translatedInterface": iface("outside"),
        "originalSource": obj("web"),
        "translatedSource": {"kind": "IPv4Address", "value": "192.0.2.80"},
        "originalService": {"kind": "TcpUdpService", "value": "tcp/80"},
        "translatedService": {"kind": "TcpUdpService", "value": "tcp/8080"},
    });
    let r = ok(&stack, c.post(AUTO, &auto, &admin).await);
    expect_status(&r, 201, "POST object NAT");
    let id4 = r.location_id().unwrap_or_default().to_owned();
    let r = ok(&stack, c.get(AUTO, &admin).await);
    let autos = json(&r);
    assert_eq!(autos["kind"], "collection#ObjectNATRule");
    assert_eq!(ids(&autos), std::slice::from_ref(&id4));
    assert_eq!(autos["items"][0]["translatedService"]["value"], "tcp/8080");
    let r = ok(&stack, c.get(&format!("{AUTO}/web"), &admin).await);
    expect_status(&r, 200, "an object rule answers to its object's name");

    let running = running_config(&mut c, &admin).await;
    let s1 = running
        .find("nat (inside,outside) source dynamic any interface\nnat (inside,outside) source static lan lan-mapped destination static dst dst no-proxy-arp route-lookup description site to site\n")
        .unwrap_or_else(|| panic!("section 1 in order:\n{running}"));
    let s2 = running
        .find("object network web\n nat (inside,outside) static 192.0.2.80 service tcp 80 8080\n")
        .unwrap_or_else(|| panic!("object NAT block:\n{running}"));
    let s3 = running
        .find("nat (inside,outside) after-auto source dynamic lan pat-pool pool round-robin flat include-reserve\n")
        .unwrap_or_else(|| panic!("section 3 line:\n{running}"));
    assert!(s1 < s2 && s2 < s3, "sections 1, 2, 3 in order:\n{running}");

    let shown = cli(&mut c, &admin, &["show nat"]).await.concat();
    assert!(
        shown.starts_with(
            "Manual NAT Policies (Section 1)\n1 (inside) to (outside) source dynamic any interface"
        ),
        "{shown}"
    );
    assert!(shown.contains("Auto NAT Policies (Section 2)\n1 (inside) to (outside) source static web 192.0.2.80   service tcp 80 8080\n    translate_hits = 0, untranslate_hits = 0\n"), "{shown}");
    assert!(
        shown.contains("Manual NAT Policies (Section 3)\n"),
        "{shown}"
    );

    // PUT moves and changes a rule: the new id comes back in Location, the old one is gone.
    let mut changed = first.clone();
    changed["position"] = json!(1);
    changed["isRouteLookup"] = json!(false);
    let r = ok(
        &stack,
        c.put(&format!("{BEFORE}/{id1}"), &changed, &admin).await,
    );
    expect_status(&r, 204, "PUT twice rule");
    let id1b = r.location_id().unwrap_or_default().to_owned();
    assert_ne!(id1b, id1);
    let r = ok(&stack, c.get(BEFORE, &admin).await);
    assert_eq!(ids(&json(&r)), [id1b.clone(), id2.clone()]);
    let r = ok(&stack, c.get(&format!("{BEFORE}/{id1}"), &admin).await);
    expect_not_found(&r, "the old id after PUT");

    // PATCH turns the rule off.
    let r = ok(
        &stack,
        c.patch(
            &format!("{BEFORE}/{id1b}"),
            json!({"active": false}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH active false");
    let id1c = r.location_id().unwrap_or_default().to_owned();
    let r = ok(&stack, c.get(&format!("{BEFORE}/{id1c}"), &admin).await);
    let got = json(&r);
    assert_eq!(got["active"], false);
    assert_eq!(got["position"], 1);
    assert!(
        running_config(&mut c, &admin).await.contains(
            "destination static dst dst no-proxy-arp inactive description site to site\n"
        )
    );

    // Objects used by NAT cannot be deleted, through the API or the CLI.
    let r = ok(
        &stack,
        c.delete(&format!("{NETWORK_OBJECTS}/lan"), &admin).await,
    );
    expect_error(&r, 400, "DELETE an object used by NAT");
    let out = cli(&mut c, &admin, &["no object-group network pool"])
        .await
        .concat();
    assert!(
        out.contains("Removing object-group (pool) not allowed, it is being used."),
        "{out}"
    );

    // Deletes.
    // PATCH on an object rule keeps its object and re-hashes.
    let r = ok(
        &stack,
        c.patch(
            &format!("{AUTO}/{id4}"),
            json!({"isNoProxyArp": true}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH object rule");
    let id4b = r.location_id().unwrap_or_default().to_owned();
    assert_ne!(id4b, id4);
    assert!(
        running_config(&mut c, &admin)
            .await
            .contains("object network web\n nat (inside,outside) static 192.0.2.80 service tcp 80 8080 no-proxy-arp\n")
    );
    let mut moved = auto.clone();
    moved["originalSource"] = obj("dst");
    let r = ok(
        &stack,
        c.put(&format!("{AUTO}/{id4b}"), &moved, &admin).await,
    );
    expect_error(&r, 400, "PUT naming another object");

    for (path, id) in [
        (BEFORE, &id1c),
        (BEFORE, &id2),
        (AFTER, &id3),
        (AUTO, &id4b),
    ] {
        let r = ok(&stack, c.delete(&format!("{path}/{id}"), &admin).await);
        expect_status(&r, 204, "DELETE rule");
        let r = ok(&stack, c.get(&format!("{path}/{id}"), &admin).await);
        expect_not_found(&r, "GET deleted rule");
    }
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains("nat ("), "{running}");
    let r = ok(
        &stack,
        c.delete(&format!("{NETWORK_OBJECTS}/lan"), &admin).await,
    );
    expect_status(&r, 204, "DELETE the object once no rule uses it");
}

#[tokio::test]
async fn bad_nat_bodies_are_refused_with_the_attribute() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    setup(&mut c, &admin).await;
    let base = json!({
        "mode": "static",
        "originalInterface": iface("inside"), "translatedInterface": iface("outside"),
        "originalSource": obj("lan"), "translatedSource": obj("lan-mapped"),
    });
    let mut cases: Vec<(&str, Value, &str)> = Vec::new();
    let mut v = base.clone();
    v["translatedSource"] = obj("ghost");
    cases.push((BEFORE, v, "translatedSource"));
    let mut v = base.clone();
    v["translatedInterface"] = iface("dmz");
    cases.push((BEFORE, v, "translatedInterface"));
    let mut v = base.clone();
    v["translatedSource"] = json!({"kind": "IPv4Address", "value": "192.0.2.300"});
    cases.push((AFTER, v, "translatedSource.value"));
    let mut v = base.clone();
    v["translatedSource"] = json!({"kind": "IPv4FQDN", "value": "www.example.com"});
    cases.push((AFTER, v, "translatedSource"));
    let mut v = base.clone();
    v["description"] = json!("two\nlines");
    cases.push((BEFORE, v, "description"));
    let mut v = base.clone();
    v["originalSource"] = obj("nope");
    cases.push((AUTO, v, "originalSource"));
    let mut v = base.clone();
    v["mode"] = json!("sideways");
    cases.push((BEFORE, v, "mode"));
    for (path, body, attribute) in cases {
        let r = ok(&stack, c.post(path, &body, &admin).await);
        expect_error(&r, 400, attribute);
        let m = r.error_message().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.context.as_deref(), Some(attribute), "{}", r.text());
    }
    // A duplicate is refused; nothing reached the configuration for the failures above.
    let r = ok(&stack, c.post(BEFORE, &base, &admin).await);
    expect_status(&r, 201, "POST valid rule");
    let r = ok(&stack, c.post(BEFORE, &base, &admin).await);
    let (code, _) = expect_error(&r, 400, "POST duplicate");
    assert_eq!(code, "DUPLICATE");
    let running = running_config(&mut c, &admin).await;
    assert_eq!(running.matches("nat (").count(), 1, "{running}");
    let r = ok(&stack, c.get("/api/nat", &admin).await);
    expect_not_found(&r, "no list of all NAT types");
}

#[tokio::test]
async fn in_line_addresses_become_objects_and_read_back_in_line() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    setup(&mut c, &admin).await;
    let body = json!({
        "mode": "static",
        "originalInterface": iface("inside"), "translatedInterface": iface("outside"),
        "originalSource": {"kind": "IPv4Network", "value": "10.7.0.0/16"},
        "translatedSource": {"kind": "IPv4Address", "value": "192.0.2.77"},
    });
    let r = ok(&stack, c.post(BEFORE, &body, &admin).await);
    expect_status(&r, 201, "POST twice rule with in-line addresses");
    let id = r.location_id().unwrap_or_default().to_owned();
    let r = ok(&stack, c.get(&format!("{BEFORE}/{id}"), &admin).await);
    let got = json(&r);
    assert_eq!(
        got["originalSource"],
        json!({"kind": "IPv4Network", "value": "10.7.0.0/16"})
    );
    assert_eq!(
        got["translatedSource"],
        json!({"kind": "IPv4Address", "value": "192.0.2.77"})
    );
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("object network obj-10.7.0.0-16\n subnet 10.7.0.0 255.255.0.0\n"),
        "{running}"
    );
    assert!(
        running.contains("nat (inside,outside) source static obj-10.7.0.0-16 obj-192.0.2.77\n"),
        "{running}"
    );
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/obj-192.0.2.77"), &admin)
            .await,
    );
    expect_status(&r, 200, "the in-line object is a network object");
    // The same addresses again reuse the objects: a duplicate rule.
    let r = ok(&stack, c.post(BEFORE, &body, &admin).await);
    let (code, _) = expect_error(&r, 400, "POST the same in-line rule");
    assert_eq!(code, "DUPLICATE");
}

#[tokio::test]
async fn nat_rules_in_a_bulk_are_applied_together_or_not_at_all() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    setup(&mut c, &admin).await;
    let twice = json!({
        "mode": "static",
        "originalInterface": iface("inside"), "translatedInterface": iface("outside"),
        "originalSource": obj("bulk-net"), "translatedSource": obj("lan-mapped"),
    });
    let object_rule = json!({
        "mode": "dynamic", "translatedInterface": iface("outside"),
        "originalSource": obj("bulk-net"), "isInterfacePAT": true,
    });
    let object = json!({"kind": "object#NetworkObj", "name": "bulk-net",
        "host": {"kind": "IPv4Network", "value": "10.50.0.0/16"}});
    // The last entry names a missing object: nothing is applied.
    let mut bad = twice.clone();
    bad["translatedSource"] = obj("ghost");
    let ops = json!([
        {"method": "POST", "resourceUri": NETWORK_OBJECTS, "data": object},
        {"method": "POST", "resourceUri": BEFORE, "data": twice},
        {"method": "POST", "resourceUri": AUTO, "data": object_rule},
        {"method": "POST", "resourceUri": AFTER, "data": bad},
    ]);
    let r = ok(&stack, c.post("/api", &ops, &admin).await);
    assert!(r.code() >= 400, "a failing bulk: {}", r.text());
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains("bulk-net"), "{running}");
    // Without it, everything is applied in order: the object, then the rules using it.
    let ops = json!([
        {"method": "POST", "resourceUri": NETWORK_OBJECTS, "data": object},
        {"method": "POST", "resourceUri": BEFORE, "data": twice},
        {"method": "POST", "resourceUri": AUTO, "data": object_rule},
    ]);
    let r = ok(&stack, c.post("/api", &ops, &admin).await);
    expect_status(&r, 200, "bulk with NAT rules");
    let r = ok(&stack, c.get(BEFORE, &admin).await);
    assert_eq!(json(&r)["rangeInfo"]["total"], 1);
    let r = ok(&stack, c.get(AUTO, &admin).await);
    let autos = json(&r);
    assert_eq!(autos["items"][0]["originalSource"]["objectId"], "bulk-net");
    assert_eq!(autos["items"][0]["isInterfacePAT"], true);
    assert_eq!(autos["items"][0]["originalInterface"]["name"], "any");
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("object network bulk-net\n nat (any,outside) dynamic interface\n"),
        "{running}"
    );
}

#[tokio::test]
async fn the_interface_as_pat_pool_and_a_pool_with_interface_fallback_round_trip() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    setup(&mut c, &admin).await;
    let interface_pool = json!({"kind": "InterfaceAddress", "value": "interface"});

    // Twice NAT: `pat-pool interface` (the mapped interface's address is the pool).
    let twice = json!({
        "mode": "dynamic",
        "originalInterface": iface("any"), "translatedInterface": iface("outside"),
        "originalSource": obj("lan"),
        "isPatPool": true, "translatedSourcePatPool": interface_pool, "flat": true,
        "originalDestination": obj("dst"), "translatedDestination": obj("dst"),
    });
    let r = ok(&stack, c.post(BEFORE, &twice, &admin).await);
    expect_status(&r, 201, "POST twice rule with the interface as PAT pool");
    let id1 = r.location_id().unwrap_or_default().to_owned();
    let r = ok(&stack, c.get(&format!("{BEFORE}/{id1}"), &admin).await);
    expect_status(&r, 200, "GET the interface PAT pool rule");
    let got = json(&r);
    assert_eq!(got["isPatPool"], true);
    assert_eq!(got["isInterfacePAT"], false);
    assert_eq!(got["flat"], true);
    assert_eq!(got["translatedSourcePatPool"], interface_pool);
    assert!(got.get("translatedSource").is_none(), "{got}");

    // Object NAT: the same form inside the object's block.
    let object_rule = json!({
        "mode": "dynamic",
        "originalInterface": iface("inside"), "translatedInterface": iface("outside"),
        "originalSource": obj("web"),
        "isPatPool": true, "translatedSourcePatPool": interface_pool, "isRoundRobin": true,
    });
    let r = ok(&stack, c.post(AUTO, &object_rule, &admin).await);
    expect_status(&r, 201, "POST object rule with the interface as PAT pool");
    let r = ok(&stack, c.get(&format!("{AUTO}/web"), &admin).await);
    let got = json(&r);
    assert_eq!(got["translatedSourcePatPool"], interface_pool);
    assert_eq!(got["isRoundRobin"], true);

    // A named pool with interface fallback: JSON -> CLI -> JSON, then PUT back unchanged.
    let fallback = json!({
        "mode": "dynamic",
        "originalInterface": iface("inside"), "translatedInterface": iface("outside"),
        "originalSource": obj("lan"),
        "isPatPool": true, "translatedSourcePatPool": {"kind": "objectRef#NetworkObjGroup", "objectId": "pool"},
        "isInterfacePAT": true, "flat": true, "blockAllocation": true,
    });
    let r = ok(&stack, c.post(AFTER, &fallback, &admin).await);
    expect_status(&r, 201, "POST PAT pool with interface fallback");
    let id3 = r.location_id().unwrap_or_default().to_owned();
    let r = ok(&stack, c.get(&format!("{AFTER}/{id3}"), &admin).await);
    let got = json(&r);
    assert_eq!(got["isPatPool"], true);
    assert_eq!(got["isInterfacePAT"], true);
    assert_eq!(got["useSourceInterfaceIPv6"], false);
    assert_eq!(got["blockAllocation"], true);
    assert_eq!(got["translatedSourcePatPool"]["objectId"], "pool");
    let r = ok(&stack, c.put(&format!("{AFTER}/{id3}"), &got, &admin).await);
    expect_status(&r, 204, "PUT the rule's own JSON back");
    assert_eq!(r.location_id(), Some(id3.as_str()), "same rule, same id");

    let running = running_config(&mut c, &admin).await;
    for line in [
        "nat (any,outside) source dynamic lan pat-pool interface flat destination static dst dst\n",
        "object network web\n nat (inside,outside) dynamic pat-pool interface round-robin\n",
        "nat (inside,outside) after-auto source dynamic lan pat-pool pool flat block-allocation interface\n",
    ] {
        assert!(running.contains(line), "{line}in:\n{running}");
    }
    assert_eq!(running.matches("nat (").count(), 3, "{running}");
    let shown = cli(&mut c, &admin, &["show nat"]).await.concat();
    for line in [
        "1 (any) to (outside) source dynamic lan pat-pool interface flat destination static dst dst\n",
        "1 (inside) to (outside) source dynamic web pat-pool interface round-robin\n",
        "1 (inside) to (outside) source dynamic lan pat-pool pool interface flat block-allocation\n",
    ] {
        assert!(shown.contains(line), "{line}in:\n{shown}");
    }

    // Extended PAT and a fallback are refused with the interface as pool; nothing changes.
    let mut bad = twice.clone();
    bad["extended"] = json!(true);
    let r = ok(&stack, c.post(BEFORE, &bad, &admin).await);
    expect_error(&r, 400, "extended");
    let mut bad = twice.clone();
    bad["isInterfacePAT"] = json!(true);
    let r = ok(&stack, c.post(BEFORE, &bad, &admin).await);
    expect_error(&r, 400, "isInterfacePAT");
    let again = running_config(&mut c, &admin).await;
    assert_eq!(again.matches("nat (").count(), 3, "{again}");
}

// issue 14: NAT
/// terraform-provider-ciscoasa's object NAT exactly as go-ciscoasa serialises it: it always
/// sends `originalDestination` and `originalService` = any and a `description`; the rule is
/// created (the ASA's object NAT line has no description: accepted, not stored).
#[tokio::test]
async fn object_nat_takes_the_terraform_body() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    setup(&mut c, &admin).await;
    cli(
        &mut c,
        &admin,
        &[
            "object network inside-host",
            "host 192.168.10.10",
            "object network inside-host-translated",
            "host 208.208.208.1",
            "exit",
        ],
    )
    .await;
    let body = json!({"active": true, "description": "static auto test", "mode": "static",
        "originalDestination": {"kind": "AnyIPAddress", "value": "any"},
        "originalInterface": {"kind": "objectRef#Interface", "name": "inside"},
        "originalService": {"kind": "AnyService", "value": "any"},
        "originalSource": {"kind": "objectRef#NetworkObj", "objectId": "inside-host"},
        "translatedInterface": {"kind": "objectRef#Interface", "name": "outside"},
        "translatedSource": {"kind": "objectRef#NetworkObj", "objectId": "inside-host-translated"}});
    let r = ok(&stack, c.post(AUTO, &body, &admin).await);
    expect_status(&r, 201, "POST terraform's object NAT");
    let location = r.header("location").unwrap_or_default().to_owned();
    let id = location.rsplit('/').next().unwrap_or_default().to_owned();
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains(
            "object network inside-host\n nat (inside,outside) static inside-host-translated\n"
        ),
        "{running}"
    );
    let got = json(&ok(&stack, c.get(&format!("{AUTO}/{id}"), &admin).await));
    assert_eq!(got["originalSource"]["objectId"], "inside-host", "{got}");
    assert_eq!(
        got["translatedSource"]["objectId"],
        "inside-host-translated"
    );
    assert_eq!(got["originalInterface"]["name"], "inside");
    assert_eq!(got["mode"], "static");

    // terraform's update: the same body with a new description is a PUT that changes nothing
    // the ASA stores.
    let mut update = body.clone();
    update["description"] = json!("static auto test updated");
    let r = ok(
        &stack,
        c.put(&format!("{AUTO}/{id}"), &update, &admin).await,
    );
    expect_status(&r, 204, "PUT terraform's update");

    // A real destination is still refused for object NAT, and nothing changes.
    let mut bad = body.clone();
    bad["originalSource"] = json!({"kind": "objectRef#NetworkObj", "objectId": "web"});
    bad["originalDestination"] = json!({"kind": "objectRef#NetworkObj", "objectId": "dst"});
    let r = ok(&stack, c.post(AUTO, &bad, &admin).await);
    expect_error(&r, 400, "object NAT with a destination");
    assert_eq!(running_config(&mut c, &admin).await, running);
}
