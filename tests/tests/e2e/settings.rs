//! Device settings end to end: the auto-created singletons (`/api/firewall/timeouts`,
//! `/api/mgmtaccess`, `/api/dns`) answer GET and PUT only (405 with `Allow`
//! otherwise) and a PUT reaches the CLI; management access hosts and NTP servers are
//! collections with create, read, delete and the ASA's nameif check.

use serde_json::json;

use crate::support::*;

const TIMEOUTS: &str = "/api/firewall/timeouts";
const MGMT: &str = "/api/mgmtaccess";
const HOSTS: &str = "/api/mgmtaccess/hosts";
const DNS: &str = "/api/dns";
const NTP: &str = "/api/devicesetup/ntp/servers";

async fn name_inside(c: &mut tests::Client, admin: &tests::Auth) {
    let out = cli(
        c,
        admin,
        &[
            "interface GigabitEthernet0/1",
            "nameif inside",
            "ip address 192.168.10.1 255.255.255.0",
            "no shutdown",
            "exit",
        ],
    )
    .await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");
}

#[tokio::test]
async fn singletons_answer_get_and_put_only() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    for path in [TIMEOUTS, MGMT, DNS] {
        let r = ok(&stack, c.get(path, &admin).await);
        expect_status(&r, 200, path);
        assert!(json(&r)["kind"].as_str().is_some(), "{path}: {}", r.text());
        let r = ok(&stack, c.post(path, json!({}), &admin).await);
        expect_error(&r, 405, &format!("POST {path}"));
        let allow = r.header("allow").unwrap_or_default().to_owned();
        assert!(
            allow.contains("GET") && allow.contains("PUT"),
            "{path}: Allow {allow}"
        );
        let r = ok(&stack, c.delete(path, &admin).await);
        expect_error(&r, 405, &format!("DELETE {path}"));
    }
}

#[tokio::test]
async fn timeouts_put_rewrites_the_grouped_lines() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let r = ok(&stack, c.get(TIMEOUTS, &admin).await);
    let body = json(&r);
    assert_eq!(body["kind"], "object#Timeouts");
    assert_eq!(body["conn"], "1:00:00");
    assert_eq!(body["udp"], "0:02:00");
    assert_eq!(body["xlate"], "3:00:00");

    let r = ok(
        &stack,
        c.put(
            TIMEOUTS,
            json!({"conn": "2:30:00", "udp": "0:05:00"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT timeouts");
    assert!(
        r.header("location")
            .is_some_and(|l| l.ends_with("/api/firewall/timeouts")),
        "Location on PUT"
    );
    let config = running_config(&mut c, &admin).await;
    assert!(
        config.contains(
            "timeout conn 2:30:00 half-closed 0:10:00 udp 0:05:00 sctp 0:02:00 icmp 0:00:02\n"
        ),
        "{config}"
    );
    let r = ok(&stack, c.get(TIMEOUTS, &admin).await);
    let body = json(&r);
    assert_eq!(
        (body["conn"].as_str(), body["udp"].as_str()),
        (Some("2:30:00"), Some("0:05:00"))
    );

    let before = running_config(&mut c, &admin).await;
    let r = ok(
        &stack,
        c.put(
            TIMEOUTS,
            json!({"conn": "1:00:00\ntimeout xlate 0:00:01"}),
            &admin,
        )
        .await,
    );
    let (_, details) = expect_error(&r, 400, "newline in a duration");
    assert!(details.contains("conn"), "{details}");
    assert_eq!(running_config(&mut c, &admin).await, before);
}

#[tokio::test]
async fn mgmt_access_settings_and_hosts() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    name_inside(&mut c, &admin).await;

    let r = ok(&stack, c.get(MGMT, &admin).await);
    let body = json(&r);
    assert_eq!(body["kind"], "object#MgmtAccess");
    assert_eq!(body["httpServerEnabled"], true);
    assert_eq!(body["sshTimeout"], 5);

    let r = ok(
        &stack,
        c.put(
            MGMT,
            json!({"sshTimeout": 30, "sshVersion": 2, "telnetTimeout": 15}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT mgmtaccess");
    let config = running_config(&mut c, &admin).await;
    for line in ["ssh timeout 30\n", "ssh version 2\n", "telnet timeout 15\n"] {
        assert!(config.contains(line), "{line:?} in {config}");
    }
    assert!(!config.contains("ssh timeout 5\n"), "replaced: {config}");
    let r = ok(&stack, c.put(MGMT, json!({"sshTimeout": 61}), &admin).await);
    expect_error(&r, 400, "ssh timeout 61");

    // The default device lets the management network in over HTTPS.
    let r = ok(&stack, c.get(HOSTS, &admin).await);
    let body = json(&r);
    assert_eq!(body["kind"], "collection#MgmtAccessHost");
    assert_eq!(body["rangeInfo"]["total"], 1);
    assert_eq!(body["items"][0]["type"], "http");

    let host = json!({
        "type": "ssh",
        "ipAddress": {"kind": "IPv4Network", "value": "192.168.10.0/24"},
        "interface": {"kind": "objectRef#Interface", "name": "inside"},
    });
    let r = ok(&stack, c.post(HOSTS, host, &admin).await);
    expect_status(&r, 201, "POST ssh host");
    let id = r.location_id().unwrap_or_default().to_owned();
    assert_eq!(id.len(), 8);
    let r = ok(&stack, c.get(&format!("{HOSTS}/{id}"), &admin).await);
    let item = json(&r);
    assert_eq!(item["kind"], "object#SSHAccess");
    assert_eq!(
        item["interface"]["objectId"],
        "GigabitEthernet0_API_SLASH_1"
    );
    let config = running_config(&mut c, &admin).await;
    assert!(
        config.contains("\nssh 192.168.10.0 255.255.255.0 inside\n"),
        "{config}"
    );

    let r = ok(
        &stack,
        c.post(
            HOSTS,
            json!({"type": "telnet", "ipAddress": {"kind": "IPv4Address", "value": "10.0.0.1"},
                   "interface": {"name": "nosuchif"}}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "host on an unknown nameif");

    let r = ok(&stack, c.delete(&format!("{HOSTS}/{id}"), &admin).await);
    expect_status(&r, 204, "DELETE host");
    let config = running_config(&mut c, &admin).await;
    assert!(!config.contains("ssh 192.168.10.0"), "{config}");
}

#[tokio::test]
async fn ntp_servers_and_dns() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    name_inside(&mut c, &admin).await;

    let r = ok(&stack, c.get(NTP, &admin).await);
    let body = json(&r);
    assert_eq!(body["kind"], "collection#NTPServer");
    let r = ok(
        &stack,
        c.post(
            NTP,
            json!({"ipAddress": "192.0.2.123", "isPreferred": true,
                   "interface": {"kind": "objectRef#Interface", "name": "inside"}}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST ntp server");
    assert_eq!(r.location_id(), Some("192.0.2.123"));
    let r = ok(&stack, c.get(&format!("{NTP}/192.0.2.123"), &admin).await);
    let item = json(&r);
    assert_eq!(item["kind"], "object#NTPServer");
    assert_eq!(item["isPreferred"], true);
    let r = ok(
        &stack,
        c.patch(
            &format!("{NTP}/192.0.2.123"),
            json!({"isPreferred": false}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH ntp server");
    let config = running_config(&mut c, &admin).await;
    assert!(
        config.contains("\nntp server 192.0.2.123 source inside\n"),
        "{config}"
    );
    let r = ok(
        &stack,
        c.delete(&format!("{NTP}/192.0.2.123"), &admin).await,
    );
    expect_status(&r, 204, "DELETE ntp server");

    // DNS: a lookup interface and a server group.
    let r = ok(
        &stack,
        c.put(
            DNS,
            json!({"domainLookup": [{"kind": "objectRef#Interface", "name": "inside"}],
                   "serverGroups": [{"name": "DefaultDNS", "nameServers": [{"ipAddress": "192.0.2.53"}],
                                     "domainName": "lab.example", "timeout": 3, "retries": 4}]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT dns");
    let r = ok(&stack, c.get(DNS, &admin).await);
    let body = json(&r);
    assert_eq!(body["domainLookup"][0]["name"], "inside");
    let group = &body["serverGroups"][0];
    assert_eq!(group["name"], "DefaultDNS");
    assert_eq!(group["nameServers"][0]["ipAddress"], "192.0.2.53");
    assert_eq!(group["domainName"], "lab.example");
    assert_eq!(
        (group["timeout"].as_u64(), group["retries"].as_u64()),
        (Some(3), Some(4))
    );
    // (DHCP moved to dhcp.rs with the Cisco shapes.)
}
