//! DHCP in Cisco's shapes end to end, with the bodies terraform-provider-ciscoasa and
//! go-ciscoasa send: the server of a named interface (PUT 204 + `Location`, read back with
//! string-typed numbers, "deleted" by a PUT of empty values, 404 without the nameif, 405 for
//! POST and DELETE), interface relay servers (POST, order kept, PUT, DELETE then 404), the
//! relay's global settings, and the ASA's refusals (transparent mode, unknown nameifs).
//! These replace the tests of the invented `/api/dhcp` singleton, which is gone.

use serde_json::{Value, json};

use crate::support::*;

const SERVERS: &str = "/api/dhcp/servers";
const LOCAL: &str = "/api/dhcp/relay/servers/local";
const GLOBAL: &str = "/api/dhcp/relay/servers/globalsettings";

/// `test` on 8.8.8.1/24 and `tengig` as a DHCP client, as terraform's acceptance test has them.
async fn interfaces(c: &mut tests::Client, admin: &tests::Auth) {
    let out = cli(
        c,
        admin,
        &[
            "interface GigabitEthernet0/1",
            "nameif test",
            "ip address 8.8.8.1 255.255.255.0",
            "no shutdown",
            "interface GigabitEthernet0/2",
            "nameif tengig",
            "ip address dhcp setroute",
            "no shutdown",
            "exit",
        ],
    )
    .await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");
}

fn terraform_server() -> Value {
    json!({"interface": {"kind": "objectRef#Interface", "name": "test"}, "enabled": true,
        "poolStartIP": "8.8.8.4", "poolEndIP": "8.8.8.20", "dnsIP1": "3.3.3.3", "dnsIP2": "5.5.5.5",
        "winsIP1": "4.4.4.4", "winsIP2": "6.6.6.6", "leaseLengthInSec": "305",
        "pingTimeoutInMilliSec": "40", "domainName": "testing1", "isAutoConfigEnabled": true,
        "autoConfigInterface": "tengig", "isVpnOverride": true,
        "options": [{"type": "hex", "code": 2, "value1": "c52f", "value2": ""},
                    {"type": "ascii", "code": 4, "value1": "1261", "value2": ""},
                    {"type": "ip", "code": 13, "value1": "1.1.1.2", "value2": "1.1.2.1"}],
        "ddns": {"updateDNSClient": true, "updateBothRecords": true, "overrideClientSettings": true},
        "kind": "object#DhcpServer", "objectId": "test"})
}

#[tokio::test]
async fn terraform_dhcp_server_create_read_update_and_delete() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    interfaces(&mut c, &admin).await;
    let item = format!("{SERVERS}/test");

    // Before: the server exists with the interface, empty.
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    assert_eq!(got["kind"], "object#DhcpServer");
    assert_eq!(got["objectId"], "test");
    assert_eq!(got["enabled"], false);
    assert_eq!(got["leaseLengthInSec"], "");
    let list = json(&ok(&stack, c.get(SERVERS, &admin).await));
    let ids: Vec<&str> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["objectId"].as_str())
        .collect();
    assert!(ids.contains(&"test") && ids.contains(&"tengig"), "{list}");

    // terraform's create is a PUT; the id comes from Location's last segment.
    let r = ok(&stack, c.put(&item, terraform_server(), &admin).await);
    expect_status(&r, 204, "PUT terraform's server");
    assert_eq!(r.location_id(), Some("test"));
    let run = running_config(&mut c, &admin).await;
    for line in [
        "dhcpd address 8.8.8.4-8.8.8.20 test\n",
        "dhcpd dns 3.3.3.3 5.5.5.5 interface test\n",
        "dhcpd lease 305 interface test\n",
        "dhcpd auto_config tengig vpnclient-wins-override interface test\n",
        "dhcpd option 13 ip 1.1.1.2 1.1.2.1 interface test\n",
        "dhcpd update dns both override interface test\n",
        "dhcpd enable test\n",
    ] {
        assert!(run.contains(line), "{line:?} in\n{run}");
    }
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    let want = terraform_server();
    for k in [
        "enabled",
        "poolStartIP",
        "poolEndIP",
        "dnsIP1",
        "dnsIP2",
        "winsIP1",
        "winsIP2",
        "leaseLengthInSec",
        "pingTimeoutInMilliSec",
        "domainName",
        "isAutoConfigEnabled",
        "autoConfigInterface",
        "isVpnOverride",
        "ddns",
    ] {
        assert_eq!(got[k], want[k], "{k}: {got}");
    }
    assert_eq!(got["interface"]["name"], "test");
    let codes: Vec<u64> = got["options"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["code"].as_u64())
        .collect();
    assert_eq!(codes, [2, 4, 13]);
    assert_eq!(got["options"][2]["value2"], "1.1.2.1");

    // terraform's update step: only auto_config left, everything else reads back "".
    let update = json!({"interface": {"kind": "objectRef#Interface", "name": "test"}, "enabled": false,
        "poolStartIP": "", "poolEndIP": "", "dnsIP1": "", "dnsIP2": "", "winsIP1": "", "winsIP2": "",
        "isAutoConfigEnabled": true, "autoConfigInterface": "tengig",
        "ddns": {"updateDNSClient": false}, "kind": "object#DhcpServer", "objectId": "test"});
    let r = ok(&stack, c.put(&item, update, &admin).await);
    expect_status(&r, 204, "PUT terraform's update");
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    for k in [
        "dnsIP1",
        "dnsIP2",
        "domainName",
        "leaseLengthInSec",
        "pingTimeoutInMilliSec",
        "poolEndIP",
        "poolStartIP",
        "winsIP1",
        "winsIP2",
    ] {
        assert_eq!(got[k], "", "{k}: {got}");
    }
    assert_eq!(got["enabled"], false);
    assert_eq!(got["isVpnOverride"], false);
    assert_eq!(got["autoConfigInterface"], "tengig");
    let run = running_config(&mut c, &admin).await;
    assert!(
        run.contains("dhcpd auto_config tengig interface test\n"),
        "{run}"
    );
    assert!(!run.contains("dhcpd enable test"), "{run}");
    assert!(!run.contains("dhcpd lease 305 interface test"), "{run}");
    assert!(!run.contains("dhcpd dns 3.3.3.3"), "{run}");

    // PATCH (the Ansible module's form) changes what it gives.
    let r = ok(
        &stack,
        c.patch(
            &item,
            json!({"kind": "object#DhcpServer", "poolStartIP": "8.8.8.100", "poolEndIP": "8.8.8.110", "enabled": true}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH server");
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    assert_eq!(got["enabled"], true);
    assert_eq!(got["autoConfigInterface"], "tengig");

    // Refusals: a number where a string is due, unknown client interface, no such nameif,
    // POST and DELETE.
    let before = running_config(&mut c, &admin).await;
    for bad in [
        json!({"leaseLengthInSec": "12"}),
        json!({"isAutoConfigEnabled": true, "autoConfigInterface": "nosuchif"}),
        json!({"options": [{"type": "ip", "code": 12, "value1": "1.1.1.1"}]}),
    ] {
        let r = ok(&stack, c.patch(&item, &bad, &admin).await);
        expect_error(&r, 400, &format!("PATCH {bad}"));
    }
    assert_eq!(running_config(&mut c, &admin).await, before);
    let r = ok(&stack, c.get(&format!("{SERVERS}/nosuchif"), &admin).await);
    expect_not_found(&r, "a server without a nameif");
    let r = ok(&stack, c.post(SERVERS, json!({}), &admin).await);
    expect_error(&r, 405, "POST servers");
    let r = ok(&stack, c.delete(&item, &admin).await);
    expect_error(&r, 405, "DELETE server");
}

#[tokio::test]
async fn relay_local_servers_keep_their_order_and_go_away() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    interfaces(&mut c, &admin).await;
    let body = json!({"kind": "object#DHCPRelayInterfaceServer", "interface": "test",
        "servers": ["10.0.0.27", "10.0.0.191", "10.0.0.164"]});
    let r = ok(&stack, c.post(LOCAL, &body, &admin).await);
    expect_status(&r, 201, "POST relay local");
    assert_eq!(r.location_id(), Some("test"));
    let item = format!("{LOCAL}/test");
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    assert_eq!(got["interface"], "test", "a plain nameif: {got}");
    assert_eq!(got["servers"], body["servers"]);
    let run = running_config(&mut c, &admin).await;
    assert!(
        run.contains(" dhcprelay server 10.0.0.27\n dhcprelay server 10.0.0.191\n dhcprelay server 10.0.0.164\n"),
        "{run}"
    );
    let list = json(&ok(&stack, c.get(LOCAL, &admin).await));
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
    let r = ok(&stack, c.post(LOCAL, &body, &admin).await);
    expect_error(&r, 400, "POST twice");

    let r = ok(
        &stack,
        c.put(
            &item,
            json!({"kind": "object#DHCPRelayInterfaceServer", "interface": "test", "servers": ["10.0.0.5"]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT relay local");
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    assert_eq!(got["servers"], json!(["10.0.0.5"]));

    for bad in [
        json!({"interface": "nosuchif", "servers": ["10.0.0.5"]}),
        json!({"interface": {"kind": "objectRef#Interface", "name": "tengig"}, "servers": ["x"]}),
        json!({"interface": "tengig", "servers": ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5"]}),
    ] {
        let r = ok(&stack, c.post(LOCAL, &bad, &admin).await);
        expect_error(&r, 400, &format!("POST {bad}"));
    }

    let r = ok(&stack, c.delete(&item, &admin).await);
    expect_status(&r, 204, "DELETE relay local");
    let r = ok(&stack, c.get(&item, &admin).await);
    expect_not_found(&r, "relay local after DELETE");
    assert!(
        !running_config(&mut c, &admin)
            .await
            .contains("dhcprelay server")
    );
}

#[tokio::test]
async fn relay_global_settings_default_and_change() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let got = json(&ok(&stack, c.get(GLOBAL, &admin).await));
    assert_eq!(got["kind"], "object#DHCPRelayGlobalSettings");
    assert_eq!(
        (
            &got["ipv4Timeout"],
            &got["ipv6Timeout"],
            &got["trustedOnAllInterfaces"]
        ),
        (&json!(60), &json!(60), &json!(false))
    );
    let body = json!({"kind": "object#DHCPRelayGlobalSettings", "ipv4Timeout": 90,
        "ipv6Timeout": 120, "trustedOnAllInterfaces": true});
    let r = ok(&stack, c.put(GLOBAL, &body, &admin).await);
    expect_status(&r, 204, "PUT relay global settings");
    let run = running_config(&mut c, &admin).await;
    for line in [
        "dhcprelay timeout 90\n",
        "ipv6 dhcprelay timeout 120\n",
        "dhcprelay information trust-all\n",
    ] {
        assert!(run.contains(line), "{line:?} in\n{run}");
    }
    let got = json(&ok(&stack, c.get(GLOBAL, &admin).await));
    for k in ["ipv4Timeout", "ipv6Timeout", "trustedOnAllInterfaces"] {
        assert_eq!(got[k], body[k], "{k}");
    }
    let r = ok(
        &stack,
        c.put(GLOBAL, json!({"ipv4Timeout": 0}), &admin).await,
    );
    expect_error(&r, 400, "timeout 0");
    let r = ok(
        &stack,
        c.put(GLOBAL, json!({"ipv4Timeout": "60"}), &admin).await,
    );
    expect_status(&r, 204, "a timeout as a string is taken");
}

#[tokio::test]
async fn dhcp_is_refused_in_transparent_mode_with_the_asa_error() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    interfaces(&mut c, &admin).await;
    let out = cli(&mut c, &admin, &["firewall transparent"]).await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");
    let before = running_config(&mut c, &admin).await;
    let r = ok(
        &stack,
        c.put(
            &format!("{SERVERS}/test"),
            json!({"poolStartIP": "8.8.8.100", "poolEndIP": "8.8.8.150", "enabled": true}),
            &admin,
        )
        .await,
    );
    let (_, details) = expect_error(&r, 400, "DHCP server in transparent mode");
    assert!(details.contains("transparent mode"), "{details}");
    let r = ok(
        &stack,
        c.post(
            LOCAL,
            json!({"interface": "test", "servers": ["10.0.0.5"]}),
            &admin,
        )
        .await,
    );
    let (_, details) = expect_error(&r, 400, "DHCP relay in transparent mode");
    assert!(details.contains("transparent mode"), "{details}");
    assert_eq!(running_config(&mut c, &admin).await, before);
}
