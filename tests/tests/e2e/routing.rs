//! Static routes end to end: IPv4 and IPv6 routes created, read, replaced (re-hashed id in
//! `Location`) and deleted through `/api/routing/static`, the CLI lines they become, routes
//! added on the CLI showing through the API, and the ASA's refusals (unknown nameif,
//! duplicate route, host bits) leaving the configuration unchanged.

use serde_json::{Value, json};

use crate::support::*;

const ROUTES: &str = "/api/routing/static";

fn v4_route(nameif: &str, network: &str, gateway: &str, metric: u32) -> Value {
    json!({
        "kind": "object#IPv4Route",
        "interface": {"kind": "objectRef#Interface", "name": nameif},
        "network": {"kind": "IPv4Network", "value": network},
        "gateway": {"kind": "IPv4Address", "value": gateway},
        "distanceMetric": metric,
        "tracked": false,
        "tunneled": false,
    })
}

async fn name_outside(c: &mut tests::Client, admin: &tests::Auth) {
    let out = cli(
        c,
        admin,
        &[
            "interface GigabitEthernet0/0",
            "nameif outside",
            "ip address 192.0.2.2 255.255.255.0",
            "no shutdown",
            "exit",
        ],
    )
    .await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");
}

fn route_lines(config: &str) -> Vec<&str> {
    config
        .lines()
        .filter(|l| l.starts_with("route ") || l.starts_with("ipv6 route "))
        .collect()
}

#[tokio::test]
async fn routes_are_created_replaced_with_a_new_id_and_deleted() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    name_outside(&mut c, &admin).await;

    let r = ok(&stack, c.get(ROUTES, &admin).await);
    expect_status(&r, 200, "GET routes");
    let body = json(&r);
    assert_eq!(body["kind"], "collection#StaticRoute");
    assert_eq!(body["items"], json!([]));
    assert_eq!(
        body["rangeInfo"],
        json!({"offset": 0, "limit": 0, "total": 0})
    );

    let r = ok(
        &stack,
        c.post(
            ROUTES,
            v4_route("outside", "10.0.0.0/8", "192.0.2.1", 1),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST route");
    let id = r.location_id().unwrap_or_default().to_owned();
    assert_eq!(id.len(), 8, "8 hex digits: {id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");

    let r = ok(&stack, c.get(&format!("{ROUTES}/{id}"), &admin).await);
    expect_status(&r, 200, "GET route");
    let item = json(&r);
    assert_eq!(item["kind"], "object#IPv4Route");
    assert_eq!(item["objectId"], id.as_str());
    assert_eq!(item["interface"]["name"], "outside");
    assert_eq!(item["interface"]["kind"], "objectRef#Interface");
    assert_eq!(
        item["interface"]["objectId"],
        "GigabitEthernet0_API_SLASH_0"
    );
    assert_eq!(
        item["network"],
        json!({"kind": "IPv4Network", "value": "10.0.0.0/8"})
    );
    assert_eq!(
        item["gateway"],
        json!({"kind": "IPv4Address", "value": "192.0.2.1"})
    );
    assert_eq!(item["distanceMetric"], 1);
    assert_eq!(item["tracked"], false);
    assert_eq!(item["tunneled"], false);
    assert!(
        item["selfLink"]
            .as_str()
            .is_some_and(|l| l.ends_with(&format!("{ROUTES}/{id}"))),
        "{item}"
    );
    let config = running_config(&mut c, &admin).await;
    assert_eq!(
        route_lines(&config),
        ["route outside 10.0.0.0 255.0.0.0 192.0.2.1 1"]
    );

    // PUT with a new metric: 204, and Location carries the re-hashed id.
    let r = ok(
        &stack,
        c.put(
            &format!("{ROUTES}/{id}"),
            v4_route("outside", "10.0.0.0/8", "192.0.2.1", 20),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT route");
    let new_id = r.location_id().unwrap_or_default().to_owned();
    assert_eq!(new_id.len(), 8);
    assert_ne!(new_id, id, "the id follows the route");
    expect_not_found(
        &ok(&stack, c.get(&format!("{ROUTES}/{id}"), &admin).await),
        "old id after PUT",
    );
    let r = ok(&stack, c.get(&format!("{ROUTES}/{new_id}"), &admin).await);
    expect_status(&r, 200, "GET new id");
    assert_eq!(json(&r)["distanceMetric"], 20);

    // PATCH the gateway.
    let r = ok(
        &stack,
        c.patch(
            &format!("{ROUTES}/{new_id}"),
            json!({"gateway": {"kind": "IPv4Address", "value": "192.0.2.254"}}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH route");
    let patched = r.location_id().unwrap_or_default().to_owned();
    let config = running_config(&mut c, &admin).await;
    assert_eq!(
        route_lines(&config),
        ["route outside 10.0.0.0 255.0.0.0 192.0.2.254 20"]
    );

    // An IPv6 default route.
    let r = ok(
        &stack,
        c.post(
            ROUTES,
            json!({
                "interface": {"kind": "objectRef#Interface", "name": "outside"},
                "network": {"kind": "IPv6Network", "value": "::/0"},
                "gateway": {"kind": "IPv6Address", "value": "2001:db8::1"},
            }),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST IPv6 route");
    let v6 = r.location_id().unwrap_or_default().to_owned();
    let r = ok(&stack, c.get(&format!("{ROUTES}/{v6}"), &admin).await);
    let item = json(&r);
    assert_eq!(item["kind"], "object#IPv6Route");
    assert_eq!(
        item["network"],
        json!({"kind": "IPv6Network", "value": "::/0"})
    );

    let r = ok(&stack, c.get(ROUTES, &admin).await);
    let body = json(&r);
    assert_eq!(body["rangeInfo"]["total"], 2);

    for id in [&patched, &v6] {
        let r = ok(&stack, c.delete(&format!("{ROUTES}/{id}"), &admin).await);
        expect_status(&r, 204, "DELETE route");
    }
    let config = running_config(&mut c, &admin).await;
    assert!(route_lines(&config).is_empty(), "{config}");
    expect_not_found(
        &ok(&stack, c.delete(&format!("{ROUTES}/{v6}"), &admin).await),
        "DELETE twice",
    );
}

#[tokio::test]
async fn refusals_change_nothing() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    name_outside(&mut c, &admin).await;
    let before = running_config(&mut c, &admin).await;

    let cases = [
        (
            v4_route("nosuchif", "10.0.0.0/8", "192.0.2.1", 1),
            "unknown nameif",
        ),
        (
            v4_route("outside", "10.0.0.1/8", "192.0.2.1", 1),
            "host bits",
        ),
        (
            v4_route("outside", "10.0.0.0/8", "192.0.2.1", 0),
            "metric 0",
        ),
        (
            v4_route("outside\nhostname pwned", "10.0.0.0/8", "192.0.2.1", 1),
            "newline in nameif",
        ),
        (
            v4_route("outside", "10.0.0.0/8", "2001:db8::1", 1),
            "mixed families",
        ),
    ];
    for (body, what) in cases {
        let r = ok(&stack, c.post(ROUTES, body, &admin).await);
        expect_error(&r, 400, what);
    }
    assert_eq!(running_config(&mut c, &admin).await, before);

    let r = ok(
        &stack,
        c.post(
            ROUTES,
            v4_route("outside", "0.0.0.0/0", "192.0.2.1", 1),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST default route");
    let r = ok(
        &stack,
        c.post(
            ROUTES,
            v4_route("outside", "0.0.0.0/0", "192.0.2.1", 1),
            &admin,
        )
        .await,
    );
    let (code, _) = expect_error(&r, 400, "duplicate route");
    assert_eq!(code, "DUPLICATE", "{}", r.text());

    // The CLI refuses the same duplicate with the ASA's error.
    let out = cli(
        &mut c,
        &admin,
        &["route outside 0.0.0.0 0.0.0.0 192.0.2.1 1"],
    )
    .await;
    assert!(out[0].contains("ERROR"), "{out:?}");
    let out = cli(
        &mut c,
        &admin,
        &["route nosuchif 0.0.0.0 0.0.0.0 192.0.2.1"],
    )
    .await;
    assert!(out[0].contains("Invalid input"), "{out:?}");
}

#[tokio::test]
async fn routes_added_on_the_cli_are_listed_with_tracking() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    name_outside(&mut c, &admin).await;
    let out = cli(
        &mut c,
        &admin,
        &[
            "route outside 172.16.0.0 255.240.0.0 192.0.2.9 3 track 5",
            "route management 10.9.0.0 255.255.0.0 192.168.1.254",
            "route Null0 198.51.100.0 255.255.255.0",
        ],
    )
    .await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");
    let r = ok(&stack, c.get(ROUTES, &admin).await);
    let body = json(&r);
    let items = body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 3, "{body}");
    let tracked = items
        .iter()
        .find(|i| i["tracked"] == true)
        .unwrap_or_else(|| panic!("no tracked route in {body}"));
    assert_eq!(tracked["trackId"], 5);
    assert_eq!(tracked["distanceMetric"], 3);
    let mgmt = items
        .iter()
        .find(|i| i["interface"]["name"] == "management")
        .unwrap_or_else(|| panic!("no management route in {body}"));
    assert_eq!(mgmt["interface"]["objectId"], "Management0_API_SLASH_0");
    let null = items
        .iter()
        .find(|i| i["interface"]["name"] == "Null0")
        .unwrap_or_else(|| panic!("no Null0 route in {body}"));
    assert!(null.get("gateway").is_none(), "{null}");
}
