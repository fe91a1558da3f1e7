//! Logging resources end to end: syslog servers (create with the body public scripts send,
//! read, replace, patch, delete, the nameif check) and the three auto-created settings
//! (`syslogserversettings`, `syslogconfigsettings`, `syslogconfig`), each reaching the CLI
//! and read back from it.

use serde_json::json;

use crate::support::*;

const SERVERS: &str = "/api/logging/syslogserver";
const SERVER_SETTINGS: &str = "/api/logging/syslogserversettings";
const CONFIG_SETTINGS: &str = "/api/logging/syslogconfigsettings";
const CONFIG: &str = "/api/logging/syslogconfig";

async fn name_inside(c: &mut tests::Client, admin: &tests::Auth) {
    let out = cli(
        c,
        admin,
        &[
            "interface GigabitEthernet0/1",
            "nameif inside",
            "ip address 192.168.10.1 255.255.255.0",
            "exit",
        ],
    )
    .await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");
}

#[tokio::test]
async fn syslog_servers_round_trip_through_logging_host_lines() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    name_inside(&mut c, &admin).await;

    // The body of the public syslog-server scripts.
    let body = json!({"ip": {"kind": "IPv4Address", "value": "192.0.2.50"},
        "interface": {"kind": "objectRef#Interface", "name": "inside"},
        "port": 1514, "protocol": "TCP", "emblemEnabled": false, "secureEnabled": false});
    let r = ok(&stack, c.post(SERVERS, body, &admin).await);
    expect_status(&r, 201, "POST syslog server");
    assert!(
        r.header("location")
            .is_some_and(|l| l.ends_with("/api/logging/syslogserver/192.0.2.50")),
        "Location: {:?}",
        r.header("location")
    );
    // One script leaves both booleans out.
    let body = json!({"ip": {"kind": "IPv4Address", "value": "192.0.2.51"},
        "interface": {"kind": "objectRef#Interface", "name": "inside"},
        "port": 514, "protocol": "UDP"});
    expect_status(
        &ok(&stack, c.post(SERVERS, body, &admin).await),
        201,
        "POST without flags",
    );

    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("logging host inside 192.0.2.50 tcp/1514\n"),
        "{running}"
    );
    assert!(
        running.contains("logging host inside 192.0.2.51 udp/514\n"),
        "{running}"
    );

    let list = json(&ok(&stack, c.get(SERVERS, &admin).await));
    assert_eq!(list["kind"], "collection#SyslogServer");
    let item = json(&ok(
        &stack,
        c.get(&format!("{SERVERS}/192.0.2.50"), &admin).await,
    ));
    assert_eq!(item["port"], 1514, "port is a number");
    assert_eq!(item["protocol"], "TCP");
    assert_eq!(item["interface"]["name"], "inside");
    assert_eq!(item["ip"]["value"], "192.0.2.50");

    // Replace: UDP in EMBLEM format; patch: another port.
    let body = json!({"ip": {"kind": "IPv4Address", "value": "192.0.2.50"},
        "interface": {"kind": "objectRef#Interface", "name": "inside"},
        "port": 1040, "protocol": "UDP", "emblemEnabled": true});
    expect_status(
        &ok(
            &stack,
            c.put(&format!("{SERVERS}/192.0.2.50"), body, &admin).await,
        ),
        204,
        "PUT",
    );
    expect_status(
        &ok(
            &stack,
            c.patch(
                &format!("{SERVERS}/192.0.2.50"),
                json!({"port": 1041}),
                &admin,
            )
            .await,
        ),
        204,
        "PATCH",
    );
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("logging host inside 192.0.2.50 udp/1041 format emblem\n"),
        "{running}"
    );
    assert!(!running.contains("tcp/1514"), "{running}");

    // Refusals: unknown nameif, secure over UDP; nothing changes.
    let body = json!({"ip": {"kind": "IPv4Address", "value": "192.0.2.60"},
        "interface": {"kind": "objectRef#Interface", "name": "nosuch"}});
    expect_error(
        &ok(&stack, c.post(SERVERS, body, &admin).await),
        400,
        "unknown nameif",
    );
    let body = json!({"ip": {"kind": "IPv4Address", "value": "192.0.2.61"},
        "interface": {"kind": "objectRef#Interface", "name": "inside"}, "secureEnabled": true});
    expect_error(
        &ok(&stack, c.post(SERVERS, body, &admin).await),
        400,
        "secure over UDP",
    );
    assert!(!running_config(&mut c, &admin).await.contains("192.0.2.6"));

    expect_status(
        &ok(
            &stack,
            c.delete(&format!("{SERVERS}/192.0.2.50"), &admin).await,
        ),
        204,
        "DELETE",
    );
    expect_not_found(
        &ok(
            &stack,
            c.get(&format!("{SERVERS}/192.0.2.50"), &admin).await,
        ),
        "deleted server",
    );
    assert!(!running_config(&mut c, &admin).await.contains("192.0.2.50"));
}

#[tokio::test]
async fn logging_settings_reach_the_cli_and_show_logging() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let got = json(&ok(&stack, c.get(SERVER_SETTINGS, &admin).await));
    assert_eq!(got["queueSize"], 512);
    assert_eq!(got["permitHostDown"], false);
    let body = json!({"queueSize": 0, "permitHostDown": true});
    expect_status(
        &ok(&stack, c.put(SERVER_SETTINGS, body, &admin).await),
        204,
        "PUT server settings",
    );
    let got = json(&ok(&stack, c.get(SERVER_SETTINGS, &admin).await));
    assert_eq!(got["queueSize"], 0);
    assert_eq!(got["permitHostDown"], true);

    let body = json!({"loggingEnabled": true, "timestampEnabled": true,
        "deviceIdType": "string", "deviceIdValue": "fw-lab", "bufferedLevel": "informational",
        "trapLevel": "warnings", "facility": 22});
    expect_status(
        &ok(&stack, c.put(CONFIG_SETTINGS, body, &admin).await),
        204,
        "PUT config settings",
    );
    let got = json(&ok(&stack, c.get(CONFIG_SETTINGS, &admin).await));
    assert_eq!(got["deviceIdType"], "string");
    assert_eq!(got["deviceIdValue"], "fw-lab");
    assert_eq!(got["bufferedLevel"], "informational");
    assert_eq!(got["facility"], 22);

    let body = json!({"messages": [{"messageId": "605005", "level": "critical"},
        {"messageId": 111008, "enabled": false}]});
    expect_status(
        &ok(&stack, c.put(CONFIG, body, &admin).await),
        204,
        "PUT syslogconfig",
    );
    let got = json(&ok(&stack, c.get(CONFIG, &admin).await));
    let messages = got["messages"].as_array().cloned().unwrap_or_default();
    assert!(
        messages
            .iter()
            .any(|m| m["messageId"] == "605005" && m["level"] == "critical"),
        "{got}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m["messageId"] == "111008" && m["enabled"] == false),
        "{got}"
    );

    let running = running_config(&mut c, &admin).await;
    for line in [
        "logging enable",
        "logging timestamp",
        "logging buffered informational",
        "logging trap warnings",
        "logging facility 22",
        "logging queue 0",
        "logging device-id string fw-lab",
        "logging permit-hostdown",
        "logging message 605005 level critical",
        "no logging message 111008",
    ] {
        assert!(
            running.contains(&format!("{line}\n")),
            "{line} in\n{running}"
        );
    }
    let shown = show_logging(&mut c, &admin).await;
    assert!(
        shown.contains("Permit-hostdown logging: enabled"),
        "{shown}"
    );
    assert!(shown.contains("Device ID: \"fw-lab\""), "{shown}");
    assert!(shown.contains("Facility: 22"), "{shown}");

    // The whole list is replaced: an empty list clears every override.
    expect_status(
        &ok(&stack, c.put(CONFIG, json!({"messages": []}), &admin).await),
        204,
        "clear",
    );
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains("logging message 605005"), "{running}");
    assert!(!running.contains("no logging message 111008"), "{running}");

    for (path, body) in [
        (CONFIG_SETTINGS, json!({"trapLevel": "loud"})),
        (
            CONFIG_SETTINGS,
            json!({"deviceIdType": "ipaddress", "deviceIdValue": "nosuch"}),
        ),
        (SERVER_SETTINGS, json!({"queueSize": 9000})),
        (CONFIG, json!({"messages": [{"messageId": "12"}]})),
    ] {
        expect_error(
            &ok(&stack, c.put(path, body.clone(), &admin).await),
            400,
            &format!("{path} {body}"),
        );
    }
    expect_error(
        &ok(&stack, c.post(SERVER_SETTINGS, json!({}), &admin).await),
        405,
        "POST settings",
    );
}

#[tokio::test]
async fn netflow_timers_and_collectors_reach_flow_export_lines() {
    const NETFLOW: &str = "/api/logging/netflow";
    const COLLECTORS: &str = "/api/logging/netflow/collectors";
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    name_inside(&mut c, &admin).await;

    let got = json(&ok(&stack, c.get(NETFLOW, &admin).await));
    assert_eq!(got["templateTimeoutRate"], 30);
    let body = json!({"templateTimeoutRate": 10, "delayFlowCreate": 5});
    expect_status(
        &ok(&stack, c.put(NETFLOW, body, &admin).await),
        204,
        "PUT netflow",
    );
    let got = json(&ok(&stack, c.get(NETFLOW, &admin).await));
    assert_eq!(got["templateTimeoutRate"], 10);
    assert_eq!(got["delayFlowCreate"], 5);

    let body = json!({"ip": {"kind": "IPv4Address", "value": "192.168.10.50"},
        "interface": {"kind": "objectRef#Interface", "name": "inside"}, "port": 2055});
    expect_status(
        &ok(&stack, c.post(COLLECTORS, body, &admin).await),
        201,
        "POST collector",
    );
    let item = format!("{COLLECTORS}/192.168.10.50");
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    assert_eq!(got["port"], 2055);
    expect_status(
        &ok(&stack, c.patch(&item, json!({"port": 9995}), &admin).await),
        204,
        "PATCH collector",
    );
    let running = running_config(&mut c, &admin).await;
    for line in [
        "flow-export destination inside 192.168.10.50 9995",
        "flow-export template timeout-rate 10",
        "flow-export delay flow-create 5",
    ] {
        assert!(
            running.contains(&format!("{line}\n")),
            "{line} in\n{running}"
        );
    }
    assert!(!running.contains(" 2055\n"), "{running}");
    let body = json!({"ip": {"kind": "IPv4Address", "value": "192.168.10.51"},
        "interface": {"kind": "objectRef#Interface", "name": "nosuch"}, "port": 2055});
    expect_error(
        &ok(&stack, c.post(COLLECTORS, body, &admin).await),
        400,
        "unknown nameif",
    );
    expect_error(
        &ok(
            &stack,
            c.put(NETFLOW, json!({"delayFlowCreate": 500}), &admin)
                .await,
        ),
        400,
        "delay out of range",
    );
    expect_status(
        &ok(&stack, c.delete(&item, &admin).await),
        204,
        "DELETE collector",
    );
    expect_status(
        &ok(
            &stack,
            c.put(
                NETFLOW,
                json!({"templateTimeoutRate": 30, "delayFlowCreate": 0}),
                &admin,
            )
            .await,
        ),
        204,
        "defaults",
    );
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains("flow-export"), "{running}");
}
