//! Request URLs and links: double or mixed percent-encoding is refused, a single encoding is
//! decoded once, literal addresses probe to 404, a trailing slash on a collection is accepted,
//! and links are built from the Host header the client sent.

use tests::raw_request;

use crate::support::*;

#[tokio::test]
async fn double_and_mixed_encoding_are_refused_single_encoding_is_decoded_once() {
    let stack = start().await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());

    for target in [
        "/api/objects/networkobjects/a%252Fb",
        "/api/objects/networkobjects/10.0.0.0%252F24",
        "/api/objects/networkobjects/a%2Fb%252Fc",
    ] {
        let r = ok(
            &stack,
            raw_request(&endpoint, "GET", target, &admin, b"").await,
        );
        expect_error(&r, 400, &format!("GET {target}"));
    }

    // Decoded once: an object named `10.0.0.0/24` does not exist, so 404 (not 400, not 200).
    let r = ok(
        &stack,
        raw_request(
            &endpoint,
            "GET",
            "/api/objects/networkobjects/10.0.0.0%2F24",
            &admin,
            b"",
        )
        .await,
    );
    expect_not_found(&r, "GET .../10.0.0.0%2F24");

    // Clients probe literal addresses and expect 404.
    for target in [
        "/api/objects/networkobjects/10.0.0.0/24",
        "/api/objects/networkobjects/any4",
    ] {
        let r = ok(
            &stack,
            raw_request(&endpoint, "GET", target, &admin, b"").await,
        );
        expect_not_found(&r, &format!("GET {target}"));
        let mut c = client(&stack);
        let r = ok(&stack, c.get(target, &admin).await);
        expect_not_found(&r, &format!("GET {target} (hyper client)"));
    }
}

#[tokio::test]
async fn trailing_slash_on_the_collection_is_accepted() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let body = network_object("slashed", "IPv4Address", "10.40.0.1", None);
    let r = ok(
        &stack,
        c.post(&format!("{NETWORK_OBJECTS}/"), &body, &admin).await,
    );
    expect_status(&r, 201, "POST with a trailing slash");
    assert_eq!(
        r.location_id(),
        Some("slashed"),
        "Location {:?}",
        r.header("location")
    );

    let r = ok(&stack, c.get(&format!("{NETWORK_OBJECTS}/"), &admin).await);
    expect_status(&r, 200, "GET collection with a trailing slash");
    assert!(
        names(json(&r)["items"].as_array().unwrap_or(&Vec::new())).contains(&"slashed".to_owned()),
        "{}",
        r.text()
    );

    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/slashed"), &admin).await,
    );
    expect_status(&r, 200, "GET the object");
}

#[tokio::test]
async fn links_follow_the_host_header_the_client_sent() {
    let stack = start().await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());
    let base = "https://example.test:9443";
    let mut c = ok(&stack, stack.client()).with_host("example.test:9443");

    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("hosted", "IPv4Address", "10.41.0.1", None),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST with Host example.test:9443");
    let expected = format!("{base}/api/objects/networkobjects/hosted");
    assert_eq!(
        r.header("location"),
        Some(expected.as_str()),
        "Location on POST"
    );

    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/hosted"), &admin).await,
    );
    expect_status(&r, 200, "GET hosted");
    assert_eq!(
        json(&r)["selfLink"],
        expected.as_str(),
        "selfLink of the object"
    );

    let r = ok(
        &stack,
        c.patch(
            &format!("{NETWORK_OBJECTS}/hosted"),
            serde_json::json!({"description": "d"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH hosted");
    assert_eq!(
        r.header("location"),
        Some(expected.as_str()),
        "Location on PATCH"
    );

    let r = ok(&stack, c.get(NETWORK_OBJECTS, &admin).await);
    expect_status(&r, 200, "GET collection");
    let body = json(&r);
    let self_link = body["selfLink"].as_str().unwrap_or_default();
    assert!(
        self_link.starts_with(&format!("{base}/api/objects/networkobjects")),
        "collection selfLink {self_link}"
    );
    for item in body["items"].as_array().into_iter().flatten() {
        let link = item["selfLink"].as_str().unwrap_or_default();
        assert!(
            link.starts_with(&format!("{base}/")),
            "item selfLink {link}"
        );
    }

    // A client that sends the listening address gets links to it.
    let mut plain = client(&stack);
    let r = ok(
        &stack,
        plain
            .get(&format!("{NETWORK_OBJECTS}/hosted"), &admin)
            .await,
    );
    let own = format!("{}/api/objects/networkobjects/hosted", endpoint.base_url());
    assert_eq!(
        json(&r)["selfLink"],
        own.as_str(),
        "selfLink with the default Host"
    );
}
