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
