//! Failover and smart licensing end to end, with the bodies terraform and go-ciscoasa send:
//! the failover setup (a PUT of the whole setup, "deleted" by a PUT of defaults), the
//! failover view of a named interface (standby address kept once set, cleared by a PUT
//! without it), the smart-licensing configuration, and the licensing actions whose POSTs
//! carry no body (`register` answers 201 even for a token that fails later; `info` says
//! `Status: REGISTERED` once a token registered).

use serde_json::{Value, json};

use crate::support::*;

const SETUP: &str = "/api/failover/setup";
const FO_IFACES: &str = "/api/failover/interfaces";
const SMART: &str = "/api/licensing/smart/asav";

async fn no_errors(c: &mut tests::Client, admin: &tests::Auth, lines: &[&str]) {
    let out = cli(c, admin, lines).await;
    assert!(
        out.iter().all(|o| !o.contains("ERROR")),
        "{lines:?}: {out:?}"
    );
}

async fn show(c: &mut tests::Client, admin: &tests::Auth, command: &str) -> String {
    cli(c, admin, &[command]).await.join("\n")
}

/// The body terraform's `ciscoasa_failover_setup` sends (resource_ciscoasa_failover_setup.go).
fn terraform_setup() -> Value {
    json!({
        "enableFOCheck": true,
        "secretKey": "s3cr3t",
        "ipSecKey": "",
        "hexKey": false,
        "lanIFCName": "folink",
        "lanFoInterface": {"kind": "objectRef#Interface", "objectId": "GigabitEthernet0_API_SLASH_3"},
        "lanActiveIP": {"kind": "IPv4Address", "value": "10.255.255.1"},
        "lanStandby": {"kind": "IPv4Address", "value": "10.255.255.2"},
        "lanSubnet": {"kind": "IPv4NetMask", "value": "255.255.255.252"},
        "isLANInterfacePreferredPrimary": true,
        "isLANInterfacePreferredSecondary": false,
        "stateIFCName": "",
        "httpReplicate": true,
        "replicateRate": -1,
        "failedInterfacesUnit": "Number",
        "failedInterfacesTriggeringFailover": "2",
        "unitPollTime": "2",
        "unitPollTimeUnit": "seconds",
        "unitHoldTime": "10",
        "unitHoldTimeUnit": "seconds",
        "monitoredPollTime": "5",
        "monitoredPollTimeUnit": "seconds",
        "interfaceHoldTime": "25"
    })
}

/// terraform's delete: every field at its default.
fn terraform_flush() -> Value {
    json!({
        "enableFOCheck": false, "secretKey": "", "ipSecKey": "", "hexKey": false,
        "lanIFCName": "", "isLANInterfacePreferredPrimary": false,
        "isLANInterfacePreferredSecondary": false, "stateIFCName": "", "httpReplicate": false,
        "replicateRate": -1, "failedInterfacesUnit": "Number",
        "failedInterfacesTriggeringFailover": "1", "unitPollTime": "1",
        "unitPollTimeUnit": "seconds", "unitHoldTime": "15", "unitHoldTimeUnit": "seconds",
        "monitoredPollTime": "5", "monitoredPollTimeUnit": "seconds", "interfaceHoldTime": "25"
    })
}

#[tokio::test]
async fn failover_setup_round_trips_and_is_cleared_by_a_put_of_defaults() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let r = ok(&stack, c.get(SETUP, &admin).await);
    expect_status(&r, 200, "GET setup");
    let body = json(&r);
    assert_eq!(body["enableFOCheck"], false);
    assert_eq!(body["unitPollTime"], "1", "poll times are strings");
    assert_eq!(body["replicateRate"], -1, "replicateRate is an int");

    let r = ok(&stack, c.put(SETUP, terraform_setup(), &admin).await);
    expect_status(&r, 204, "PUT setup");
    let running = running_config(&mut c, &admin).await;
    for line in [
        "failover lan unit primary",
        "failover lan interface folink GigabitEthernet0/3",
        "failover interface ip folink 10.255.255.1 255.255.255.252 standby 10.255.255.2",
        "failover key *****",
        "failover replication http",
        "failover interface-policy 2",
        "failover polltime unit 2 holdtime 10",
    ] {
        assert!(
            running.contains(&format!("{line}\n")),
            "{line} in\n{running}"
        );
    }
    assert!(running.contains("\nfailover\n"), "failover on:\n{running}");
    assert!(!running.contains("s3cr3t"), "the key is masked");

    let body = json(&ok(&stack, c.get(SETUP, &admin).await));
    assert_eq!(body["enableFOCheck"], true);
    assert_eq!(
        body["lanFoInterface"]["objectId"],
        "GigabitEthernet0_API_SLASH_3"
    );
    assert_eq!(body["lanIFCName"], "folink");
    assert_eq!(body["lanActiveIP"]["value"], "10.255.255.1");
    assert_eq!(body["lanStandby"]["value"], "10.255.255.2");
    assert_eq!(body["lanSubnet"]["value"], "255.255.255.252");
    assert_eq!(body["isLANInterfacePreferredPrimary"], true);
    assert_eq!(body["failedInterfacesTriggeringFailover"], "2");
    assert_eq!(body["unitPollTime"], "2");
    assert_eq!(body["unitHoldTime"], "10");
    assert!(body.get("secretKey").is_none(), "keys are never answered");

    let shown = show(&mut c, &admin, "show failover").await;
    assert!(shown.contains("Failover On"), "{shown}");
    assert!(
        shown.contains("Failover LAN Interface: folink GigabitEthernet0/3"),
        "{shown}"
    );
    assert!(
        shown.contains("Unit Poll frequency 2 seconds, holdtime 10 seconds"),
        "{shown}"
    );

    // A named interface cannot be the failover link: 400, nothing changed.
    let mut bad = terraform_setup();
    bad["lanFoInterface"]["objectId"] = json!("Management0_API_SLASH_0");
    let r = ok(&stack, c.put(SETUP, bad, &admin).await);
    expect_error(&r, 400, "named failover interface");
    let mut bad = terraform_setup();
    bad["unitPollTime"] = json!("99");
    let r = ok(&stack, c.put(SETUP, bad, &admin).await);
    expect_error(&r, 400, "poll time out of range");

    let r = ok(&stack, c.put(SETUP, terraform_flush(), &admin).await);
    expect_status(&r, 204, "PUT defaults");
    let running = running_config(&mut c, &admin).await;
    assert!(running.contains("no failover\n"), "{running}");
    assert!(!running.contains("failover lan"), "{running}");
    assert!(!running.contains("failover key"), "{running}");
    let body = json(&ok(&stack, c.get(SETUP, &admin).await));
    assert_eq!(body["enableFOCheck"], false);
    assert!(body.get("lanFoInterface").is_none());
    assert!(
        show(&mut c, &admin, "show failover")
            .await
            .contains("Failover Off")
    );
}

#[tokio::test]
async fn failover_interface_keeps_its_standby_address_until_a_put_without_it() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    no_errors(
        &mut c,
        &admin,
        &[
            "interface GigabitEthernet0/1",
            "nameif inside",
            "ip address 192.168.10.1 255.255.255.0",
            "exit",
        ],
    )
    .await;
    let id = "GigabitEthernet0_API_SLASH_1";
    let item = format!("{FO_IFACES}/{id}");

    let list = json(&ok(&stack, c.get(FO_IFACES, &admin).await));
    let items = list["items"].as_array().cloned().unwrap_or_default();
    assert!(
        items
            .iter()
            .any(|i| i["objectId"] == id && i["name"] == "inside"),
        "{list}"
    );
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    assert_eq!(got["interfaceName"], "GigabitEthernet0/1");
    assert_eq!(got["isMonitored"], true);
    assert_eq!(got["activeIPAddress"]["value"], "192.168.10.1");

    // terraform: the GET's object with standbyIPAddress and isMonitored set.
    let mut body = got.clone();
    body["standbyIPAddress"] = json!({"kind": "IPv4Address", "value": "192.168.10.10"});
    body["isMonitored"] = json!(false);
    let r = ok(&stack, c.put(&item, body, &admin).await);
    expect_status(&r, 204, "PUT failover interface");
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    assert_eq!(got["standbyIPAddress"]["value"], "192.168.10.10");
    assert_eq!(got["isMonitored"], false);
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains(" ip address 192.168.10.1 255.255.255.0 standby 192.168.10.10\n"),
        "{running}"
    );
    assert!(
        running.contains("no monitor-interface inside\n"),
        "{running}"
    );

    // Update: another standby address, monitored again.
    let body = json!({"standbyIPAddress": {"kind": "IPv4Address", "value": "192.168.10.20"}, "isMonitored": true});
    expect_status(&ok(&stack, c.put(&item, body, &admin).await), 204, "update");
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    assert_eq!(got["standbyIPAddress"]["value"], "192.168.10.20");
    assert_eq!(got["isMonitored"], true);

    // Outside the subnet: 400, nothing changed.
    let body = json!({"standbyIPAddress": {"kind": "IPv4Address", "value": "10.0.0.1"}, "isMonitored": true});
    expect_error(
        &ok(&stack, c.put(&item, body, &admin).await),
        400,
        "standby outside the subnet",
    );

    // Without standbyIPAddress: cleared.
    let body = json!({"isMonitored": true});
    expect_status(&ok(&stack, c.put(&item, body, &admin).await), 204, "clear");
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    assert!(got.get("standbyIPAddress").is_none(), "{got}");

    // Only named interfaces; no POST or DELETE.
    expect_not_found(
        &ok(
            &stack,
            c.get(&format!("{FO_IFACES}/GigabitEthernet0_API_SLASH_5"), &admin)
                .await,
        ),
        "unnamed interface",
    );
    expect_error(&ok(&stack, c.delete(&item, &admin).await), 405, "DELETE");
}

#[tokio::test]
async fn smart_license_config_and_actions_follow_the_clients() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    // terraform's license_config test body.
    let body = json!({"kind": "object#SmartLicenseConfig",
        "licenseServerURL": "https://tools.cisco.com/its/service/oddce/services/DDCEService",
        "transportURL": true, "privacyHostName": false, "privacyVersion": false,
        "throughput": "2G", "featureTier": "standard"});
    expect_status(
        &ok(&stack, c.put(SMART, body, &admin).await),
        204,
        "PUT smart",
    );
    let got = json(&ok(&stack, c.get(SMART, &admin).await));
    assert_eq!(
        got["licenseServerURL"],
        "https://tools.cisco.com/its/service/oddce/services/DDCEService"
    );
    assert_eq!(got["throughput"], "2G");
    assert_eq!(got["transportURL"], true);
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("license smart\n feature tier standard\n throughput level 2G\n"),
        "{running}"
    );
    assert!(
        running.contains("  destination address http https://tools.cisco.com/its/service/oddce/services/DDCEService\n"),
        "{running}"
    );
    let version = show(&mut c, &admin, "show version").await;
    assert!(
        version.contains("Active entitlement: ASAv-STD-2G, enforce mode: Evaluation"),
        "{version}"
    );
    expect_error(
        &ok(
            &stack,
            c.put(SMART, json!({"throughput": "3G"}), &admin).await,
        ),
        400,
        "unknown throughput",
    );

    let info = json(&ok(&stack, c.get(&format!("{SMART}/info"), &admin).await));
    let lines: Vec<String> = info["registration"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    assert!(lines.iter().all(|l| l.contains(':')), "{lines:?}");
    assert!(
        lines.contains(&"Status: UNREGISTERED".to_owned()),
        "{lines:?}"
    );

    // An invalid token: still 201, and info reports the failure.
    let r = ok(
        &stack,
        c.post(
            &format!("{SMART}/register"),
            json!({"kind": "object#SmartLicenseRegId", "idToken": "bogus", "force": true}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "register with an invalid token");
    let info = json(&ok(&stack, c.get(&format!("{SMART}/info"), &admin).await));
    assert!(info.to_string().contains("Status: UNREGISTERED"), "{info}");

    let token = "NjY0ZjRjYjAtYTI3Ni00ZjQ4LWIwYjAtY2QwNmE5ZDM1ZjQ3LTE2OTk5MDAwMDB8cG9";
    let r = ok(
        &stack,
        c.post(
            &format!("{SMART}/register"),
            json!({"kind": "object#SmartLicenseRegId", "idToken": token, "force": false}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "register");
    let info = json(&ok(&stack, c.get(&format!("{SMART}/info"), &admin).await));
    let registered = info["registration"]
        .as_array()
        .is_some_and(|a| a.iter().any(|l| l == "Status: REGISTERED"));
    assert!(registered, "{info}");
    assert!(!info.to_string().contains(token), "the token is not echoed");

    // Action POSTs without a body (Content-Type: application/json, no bytes).
    for action in ["renewauth", "renewid", "deregister"] {
        let r = ok(
            &stack,
            c.post(&format!("{SMART}/{action}"), (), &admin).await,
        );
        assert!(
            (200..300).contains(&r.code()),
            "{action}: {} {}",
            r.code(),
            r.text()
        );
    }
    let info = json(&ok(&stack, c.get(&format!("{SMART}/info"), &admin).await));
    assert!(info.to_string().contains("Status: UNREGISTERED"), "{info}");

    // A register body without a token is refused.
    let r = ok(
        &stack,
        c.post(&format!("{SMART}/register"), json!({"force": true}), &admin)
            .await,
    );
    expect_error(&r, 400, "register without idToken");
}

#[tokio::test]
async fn activation_key_goes_to_flash_and_waits_for_a_reload() {
    const ACTIVATION: &str = "/api/licensing/activation";
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let got = json(&ok(&stack, c.get(ACTIVATION, &admin).await));
    assert_eq!(got["reloadRequired"], false, "{got}");
    let running_key = got["runningPermanentKey"].clone();
    assert!(
        running_key.as_str().is_some_and(|k| k.starts_with("0x")),
        "{got}"
    );

    let key = "0x1234abcd 0x0 0x00000000 0xffff 0x1";
    let r = ok(
        &stack,
        c.put(ACTIVATION, json!({"activationKey": key}), &admin)
            .await,
    );
    expect_status(&r, 204, "PUT activation key");
    let got = json(&ok(&stack, c.get(ACTIVATION, &admin).await));
    assert_eq!(got["reloadRequired"], true, "{got}");
    assert_eq!(got["runningPermanentKey"], running_key);
    assert_eq!(
        got["flashPermanentKey"],
        "0x1234abcd 0x00000000 0x00000000 0x0000ffff 0x00000001"
    );
    let shown = show(&mut c, &admin, "show activation-key").await;
    assert!(
        shown.contains("DIFFERENT from the running permanent key"),
        "{shown}"
    );

    for bad in ["0x1 0x2", "0x1 0x2 0x3 0x4 0xZZ", "1 2 3 4 5"] {
        let r = ok(
            &stack,
            c.put(ACTIVATION, json!({"activationKey": bad}), &admin)
                .await,
        );
        expect_error(&r, 400, bad);
    }
    expect_error(
        &ok(&stack, c.put(ACTIVATION, json!({}), &admin).await),
        400,
        "no key",
    );
}

#[tokio::test]
async fn shared_license_server_and_participant_roles_reach_license_server_lines() {
    const SHARED: &str = "/api/licensing/shared";
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let got = json(&ok(&stack, c.get(SHARED, &admin).await));
    assert_eq!(got["role"], "none");
    assert_eq!(got["port"], 50554);

    // A server needs a secret.
    expect_error(
        &ok(
            &stack,
            c.put(
                SHARED,
                json!({"role": "server", "serverInterfaces": ["management"]}),
                &admin,
            )
            .await,
        ),
        400,
        "server without secret",
    );
    let body = json!({"role": "server", "secret": "Sh4red-Secret", "serverInterfaces": ["management"],
        "refreshInterval": 60});
    expect_status(
        &ok(&stack, c.put(SHARED, body, &admin).await),
        204,
        "server",
    );
    let got = json(&ok(&stack, c.get(SHARED, &admin).await));
    assert_eq!(got["role"], "server");
    assert_eq!(got["serverInterfaces"], json!(["management"]));
    assert_eq!(got["refreshInterval"], 60);
    assert_eq!(got["secretConfigured"], true);
    assert!(got.get("secret").is_none(), "the secret is never answered");
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("license-server secret *****\n"),
        "{running}"
    );
    assert!(
        running.contains("license-server enable management\n"),
        "{running}"
    );
    assert!(
        running.contains("license-server refresh-interval 60\n"),
        "{running}"
    );
    assert!(!running.contains("Sh4red-Secret"), "{running}");

    // A PUT without the secret keeps it.
    let body = json!({"refreshInterval": 30});
    expect_status(
        &ok(&stack, c.put(SHARED, body, &admin).await),
        204,
        "refresh only",
    );
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("license-server secret *****\n"),
        "{running}"
    );
    assert!(!running.contains("refresh-interval"), "{running}");

    let body = json!({"role": "participant", "serverAddress": "192.0.2.10", "secret": "Sh4red-Secret", "port": 50555});
    expect_status(
        &ok(&stack, c.put(SHARED, body, &admin).await),
        204,
        "participant",
    );
    let got = json(&ok(&stack, c.get(SHARED, &admin).await));
    assert_eq!(got["role"], "participant");
    assert_eq!(got["serverAddress"], "192.0.2.10");
    assert_eq!(got["port"], 50555);
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("license-server address 192.0.2.10 secret ***** port 50555\n"),
        "{running}"
    );
    assert!(!running.contains("license-server enable"), "{running}");

    expect_error(
        &ok(
            &stack,
            c.put(
                SHARED,
                json!({"role": "server", "secret": "abcd", "serverInterfaces": ["nosuch"]}),
                &admin,
            )
            .await,
        ),
        400,
        "unknown nameif",
    );
    expect_status(
        &ok(&stack, c.put(SHARED, json!({"role": "none"}), &admin).await),
        204,
        "none",
    );
    assert!(
        !running_config(&mut c, &admin)
            .await
            .contains("license-server")
    );
}
