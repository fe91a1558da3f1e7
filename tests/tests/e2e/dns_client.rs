//! The DNS client as the Cisco dCloud automation drives it: PATCH `/api/dns/client` with
//! `dnsLookupInterfaces` and PATCH `/api/dns/client/servergroups/DefaultDNS` with name
//! servers reached through a plain nameif; the lines they become, what GET answers, and the
//! refusals (unknown nameif, bad address, deleting DefaultDNS).

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn dcloud_dns_patches_become_lines_and_read_back() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let out = cli(
        &mut c,
        &admin,
        &[
            "interface GigabitEthernet0/1",
            "nameif inside",
            "ip address 10.1.1.1 255.255.255.0",
            "exit",
        ],
    )
    .await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");

    let r = ok(
        &stack,
        c.patch(
            "/api/dns/client",
            json!({"dnsLookupInterfaces": ["inside"]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH dns client");
    let body = json!({"name": "DefaultDNS",
        "dnsServers": [{"ipAddress": "10.1.1.53", "interface": "inside"}],
        "domainName": "dcloud.example"});
    let group = "/api/dns/client/servergroups/DefaultDNS";
    let r = ok(&stack, c.patch(group, &body, &admin).await);
    expect_status(&r, 204, "PATCH DefaultDNS");
    let run = running_config(&mut c, &admin).await;
    assert!(run.contains("dns domain-lookup inside\n"), "{run}");
    assert!(
        run.contains("dns server-group DefaultDNS\n name-server 10.1.1.53 inside\n domain-name dcloud.example\n"),
        "{run}"
    );
    let got = json(&ok(&stack, c.get("/api/dns/client", &admin).await));
    assert_eq!(got["dnsLookupInterfaces"], json!(["inside"]));
    let got = json(&ok(&stack, c.get(group, &admin).await));
    assert_eq!(got["dnsServers"], body["dnsServers"]);
    assert_eq!(got["domainName"], "dcloud.example");
    let list = json(&ok(
        &stack,
        c.get("/api/dns/client/servergroups", &admin).await,
    ));
    assert_eq!(list["items"][0]["name"], "DefaultDNS", "{list}");
    // The invented `/api/dns` singleton shows the same configuration.
    let legacy = json(&ok(&stack, c.get("/api/dns", &admin).await));
    assert_eq!(legacy["domainLookup"][0]["name"], "inside");

    // A second group, then gone; DefaultDNS stays.
    let r = ok(
        &stack,
        c.post(
            "/api/dns/client/servergroups",
            json!({"name": "LAB", "dnsServers": [{"ipAddress": "10.1.1.54"}], "timeout": 3}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST group");
    assert_eq!(r.location_id(), Some("LAB"));
    let r = ok(
        &stack,
        c.delete("/api/dns/client/servergroups/LAB", &admin).await,
    );
    expect_status(&r, 204, "DELETE group");
    let r = ok(&stack, c.delete(group, &admin).await);
    expect_error(&r, 400, "DELETE DefaultDNS");

    let before = running_config(&mut c, &admin).await;
    for (url, bad) in [
        (
            "/api/dns/client",
            json!({"dnsLookupInterfaces": ["nosuchif"]}),
        ),
        (group, json!({"dnsServers": [{"ipAddress": "10.1.1.300"}]})),
        (
            group,
            json!({"dnsServers": [{"ipAddress": "10.1.1.9", "interface": "nosuchif"}]}),
        ),
        (group, json!({"name": "Other"})),
    ] {
        let r = ok(&stack, c.patch(url, &bad, &admin).await);
        expect_error(&r, 400, &format!("PATCH {url} {bad}"));
    }
    assert_eq!(running_config(&mut c, &admin).await, before);
}

// issue 14: dynamic DNS
const DDNS: &str = "/api/dns/ddns/methods";

/// Dynamic DNS update methods (our shape: Cisco names the feature, not its JSON): create,
/// read, merge, delete, and the ASA's syntax checks on the console lines.
#[tokio::test]
async fn ddns_update_methods_round_trip() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let body = json!({"name": "ddns-2", "updateRecords": "both",
        "intervalMaximum": {"days": 0, "hours": 4, "minutes": 0, "seconds": 0}});
    let r = ok(&stack, c.post(DDNS, &body, &admin).await);
    expect_status(&r, 201, "POST ddns method");
    assert_eq!(r.location_id(), Some("ddns-2"));
    let run = running_config(&mut c, &admin).await;
    assert!(
        run.contains("ddns update method ddns-2\n ddns both\n interval maximum 0 4 0 0\n"),
        "{run}"
    );
    let got = json(&ok(&stack, c.get(&format!("{DDNS}/ddns-2"), &admin).await));
    assert_eq!(got["updateRecords"], "both");
    assert_eq!(got["intervalMaximum"], body["intervalMaximum"]);
    let r = ok(
        &stack,
        c.patch(
            &format!("{DDNS}/ddns-2"),
            json!({"updateRecords": "a"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH ddns method");
    let got = json(&ok(&stack, c.get(&format!("{DDNS}/ddns-2"), &admin).await));
    assert_eq!(got["updateRecords"], "a", "{got}");
    let run = running_config(&mut c, &admin).await;
    let block: String = run
        .split("ddns update method ddns-2\n")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|l| l.starts_with(' '))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(block.contains(" ddns\n"), "{run}");
    assert!(block.contains(" interval maximum 0 4 0 0\n"), "{run}");
    assert!(!block.contains(" ddns both"), "{run}");
    let r = ok(
        &stack,
        c.post(
            DDNS,
            json!({"name": "x", "intervalMaximum": {"days": 365}}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "days 365");
    let out = cli(
        &mut c,
        &admin,
        &[
            "ddns update method m9",
            "interval maximum 1 2",
            "ddns sideways",
        ],
    )
    .await;
    assert!(out[0].is_empty(), "{out:?}");
    assert!(
        out[1].contains("ERROR") || out[1].contains("Incomplete"),
        "{out:?}"
    );
    assert!(out[2].contains("Invalid input"), "{out:?}");
    let r = ok(&stack, c.delete(&format!("{DDNS}/ddns-2"), &admin).await);
    expect_status(&r, 204, "DELETE ddns method");
    assert!(!running_config(&mut c, &admin).await.contains("ddns-2"));
}
