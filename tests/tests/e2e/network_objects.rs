//! Network objects end to end: create, read, replace, patch and delete for every address kind;
//! duplicates, name validation, and objects that cannot be deleted while referenced.

use serde_json::{Value, json};

use crate::support::*;

/// (name, kind, value on POST, value on PUT)
const KINDS: &[(&str, &str, &str, &str)] = &[
    ("v4host", "IPv4Address", "10.60.0.1", "10.60.0.2"),
    ("v6host", "IPv6Address", "2001:db8::1", "2001:db8::2"),
    ("v4net", "IPv4Network", "10.61.0.0/16", "10.62.0.0/24"),
    ("v6net", "IPv6Network", "2001:db8:1::/48", "2001:db8:2::/64"),
    (
        "v4range",
        "IPv4Range",
        "10.63.0.1-10.63.0.9",
        "10.63.0.10-10.63.0.20",
    ),
    (
        "v6range",
        "IPv6Range",
        "2001:db8::1-2001:db8::9",
        "2001:db8::a-2001:db8::f",
    ),
    ("v4fqdn", "IPv4FQDN", "www.example.com", "mail.example.com"),
    ("v6fqdn", "IPv6FQDN", "v6.example.com", "v6b.example.com"),
];

/// What a GET must return for an object posted as `posted` at `link`.
fn expected(posted: &Value, link: &str) -> Value {
    let mut v = posted.clone();
    v["kind"] = json!("object#NetworkObj");
    v["objectId"] = posted["name"].clone();
    v["selfLink"] = json!(link);
    v
}

#[tokio::test]
async fn crud_round_trip_for_every_address_kind() {
    let stack = start().await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());
    let mut c = client(&stack);

    for &(name, kind, value, put_value) in KINDS {
        let url = format!("{NETWORK_OBJECTS}/{name}");
        let link = format!("{}{url}", endpoint.base_url());

        let posted = network_object(name, kind, value, Some(&format!("{kind} object")));
        let r = ok(&stack, c.post(NETWORK_OBJECTS, &posted, &admin).await);
        expect_status(&r, 201, &format!("POST {kind}"));
        assert_eq!(
            r.header("location"),
            Some(link.as_str()),
            "{kind}: Location on POST"
        );
        assert_eq!(r.location_id(), Some(name));

        let r = ok(&stack, c.get(&url, &admin).await);
        expect_status(&r, 200, &format!("GET {kind}"));
        assert_eq!(
            json(&r),
            expected(&posted, &link),
            "{kind}: GET returns what was posted"
        );

        let replaced = network_object(name, kind, put_value, Some("replaced"));
        let r = ok(&stack, c.put(&url, &replaced, &admin).await);
        expect_status(&r, 204, &format!("PUT {kind}"));
        assert_eq!(
            r.header("location"),
            Some(link.as_str()),
            "{kind}: Location on PUT"
        );
        let r = ok(&stack, c.get(&url, &admin).await);
        assert_eq!(
            json(&r),
            expected(&replaced, &link),
            "{kind}: GET after PUT"
        );

        let r = ok(
            &stack,
            c.patch(&url, json!({"description": "patched"}), &admin)
                .await,
        );
        expect_status(&r, 204, &format!("PATCH {kind}"));
        assert_eq!(
            r.header("location"),
            Some(link.as_str()),
            "{kind}: Location on PATCH"
        );
        let r = ok(&stack, c.get(&url, &admin).await);
        let got = json(&r);
        assert_eq!(
            got["description"], "patched",
            "{kind}: PATCH changed the description"
        );
        assert_eq!(
            got["host"],
            json!({"kind": kind, "value": put_value}),
            "{kind}: PATCH left host alone"
        );

        let r = ok(&stack, c.delete(&url, &admin).await);
        expect_status(&r, 204, &format!("DELETE {kind}"));
        let r = ok(&stack, c.get(&url, &admin).await);
        expect_not_found(&r, &format!("GET {kind} after DELETE"));
    }

    let running = running_config(&mut c, &admin).await;
    for &(name, ..) in KINDS {
        assert!(
            !running.contains(&format!("object network {name}\n")),
            "{name} gone from the running config:\n{running}"
        );
    }
}

#[tokio::test]
async fn a_put_may_change_the_address_kind() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let url = format!("{NETWORK_OBJECTS}/morph");

    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("morph", "IPv4Address", "10.65.0.1", None),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST host");
    let r = ok(
        &stack,
        c.put(
            &url,
            network_object("morph", "IPv4Network", "10.65.0.0/24", None),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT as a network");
    let r = ok(&stack, c.get(&url, &admin).await);
    assert_eq!(
        json(&r)["host"],
        json!({"kind": "IPv4Network", "value": "10.65.0.0/24"})
    );
}

#[tokio::test]
async fn duplicate_post_is_refused_and_unknown_objects_are_404() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let body = network_object("twice", "IPv4Address", "10.66.0.1", None);
    let r = ok(&stack, c.post(NETWORK_OBJECTS, &body, &admin).await);
    expect_status(&r, 201, "first POST");
    let other = network_object("twice", "IPv4Address", "10.66.0.2", None);
    let r = ok(&stack, c.post(NETWORK_OBJECTS, &other, &admin).await);
    let (code, _) = expect_error(&r, 400, "second POST of the same name");
    assert_eq!(code, "DUPLICATE", "{}", r.text());
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/twice"), &admin).await,
    );
    assert_eq!(
        json(&r)["host"]["value"],
        "10.66.0.1",
        "the duplicate did not overwrite"
    );

    let missing = format!("{NETWORK_OBJECTS}/never-created");
    let r = ok(&stack, c.get(&missing, &admin).await);
    expect_not_found(&r, "GET of an unknown object");
    let r = ok(
        &stack,
        c.patch(&missing, json!({"description": "x"}), &admin).await,
    );
    expect_not_found(&r, "PATCH of an unknown object");
    let r = ok(&stack, c.delete(&missing, &admin).await);
    expect_not_found(&r, "DELETE of an unknown object");
}

#[tokio::test]
async fn invalid_names_are_refused() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let before = all_network_objects(&mut c, &admin).await;

    let too_long = "n".repeat(65);
    for bad in ["", "with space", too_long.as_str()] {
        let r = ok(
            &stack,
            c.post(
                NETWORK_OBJECTS,
                network_object(bad, "IPv4Address", "10.67.0.1", None),
                &admin,
            )
            .await,
        );
        expect_error(&r, 400, &format!("POST with name {bad:?}"));
    }
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            json!({"host": {"kind": "IPv4Address", "value": "10.67.0.1"}}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "POST without a name");
    assert_eq!(
        all_network_objects(&mut c, &admin).await,
        before,
        "nothing created"
    );

    let longest = "m".repeat(64);
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object(&longest, "IPv4Address", "10.67.0.2", None),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "a 64-character name is the longest allowed");
}

#[tokio::test]
async fn invalid_addresses_are_refused() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    for (kind, value) in [
        ("IPv4Address", "10.0.0.256"),
        ("IPv4Address", "2001:db8::1"),
        ("IPv6Address", "10.0.0.1"),
        ("IPv4Network", "10.0.0.0/33"),
        ("IPv4Network", "10.0.0.1/32"),
        ("IPv4Range", "10.0.0.9"),
        ("NoSuchKind", "10.0.0.1"),
    ] {
        let r = ok(
            &stack,
            c.post(
                NETWORK_OBJECTS,
                network_object("badaddr", kind, value, None),
                &admin,
            )
            .await,
        );
        expect_error(&r, 400, &format!("POST {kind} {value}"));
    }
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/badaddr"), &admin).await,
    );
    expect_not_found(&r, "no object after refused POSTs");
}

#[tokio::test]
async fn referenced_object_cannot_be_deleted() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("refd", "IPv4Address", "10.68.0.1", None),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST refd");
    cli(
        &mut c,
        &admin,
        &["object-group network g", " network-object object refd"],
    )
    .await;

    let r = ok(
        &stack,
        c.delete(&format!("{NETWORK_OBJECTS}/refd"), &admin).await,
    );
    expect_error(&r, 400, "DELETE of an object a group references");

    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/refd"), &admin).await,
    );
    expect_status(&r, 200, "refd still exists");
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("object network refd"),
        "refd still configured:\n{running}"
    );
    assert!(
        running.contains("network-object object refd"),
        "group unchanged:\n{running}"
    );
}
