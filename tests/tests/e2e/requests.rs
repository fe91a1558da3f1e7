//! Malformed requests: an oversized body (413), malformed JSON (400 naming the problem), an
//! unknown query parameter (400), a verb the URL does not allow (405 with Allow).

use hyper::Method;
use tests::{Body, raw_request};

use crate::support::*;

#[tokio::test]
async fn oversized_body_is_refused_with_413() {
    let stack = start().await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());

    // 16 MiB: far above any configuration a single request carries.
    let description = "x".repeat(16 * 1024 * 1024);
    let body = network_object("huge", "IPv4Address", "10.50.0.1", Some(&description)).to_string();
    let r = ok(
        &stack,
        raw_request(&endpoint, "POST", NETWORK_OBJECTS, &admin, body.as_bytes()).await,
    );
    expect_status(&r, 413, "POST of a 16 MiB body");

    let mut c = client(&stack);
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/huge"), &admin).await,
    );
    expect_not_found(&r, "the oversized object was not created");
}

#[tokio::test]
async fn malformed_json_is_refused_naming_the_problem() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let r = ok(
        &stack,
        c.post(NETWORK_OBJECTS, "{\"name\": \"broken\", \"host\": ", &admin)
            .await,
    );
    let (_, details) = expect_error(&r, 400, "POST of truncated JSON");
    let lower = details.to_lowercase();
    assert!(
        lower.contains("line")
            || lower.contains("column")
            || lower.contains("eof")
            || lower.contains("json"),
        "details name the problem: {details}"
    );

    let r = ok(
        &stack,
        c.post(NETWORK_OBJECTS, "{'name': 'single-quoted'}", &admin)
            .await,
    );
    expect_error(&r, 400, "POST of single-quoted pseudo-JSON");

    let r = ok(&stack, c.post(NETWORK_OBJECTS, Body::Empty, &admin).await);
    expect_error(&r, 400, "POST with an empty body");

    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            serde_json::json!(["not", "an", "object"]),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "POST of a JSON array where an object is needed");

    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            serde_json::json!({"name": "nohost"}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "POST without host");

    let r = ok(&stack, c.get(NETWORK_OBJECTS, &admin).await);
    let listed = names(json(&r)["items"].as_array().unwrap_or(&Vec::new()));
    assert!(
        !listed.iter().any(|n| n == "broken" || n == "nohost"),
        "nothing created: {listed:?}"
    );
}

#[tokio::test]
async fn unknown_query_parameter_is_refused() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}?frobnicate=1"), &admin)
            .await,
    );
    expect_error(&r, 400, "GET with ?frobnicate=1");
    let r = ok(
        &stack,
        c.get(
            &format!("{NETWORK_OBJECTS}?offset=0&limit=10&frobnicate=1"),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "GET with known and unknown parameters");
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}?offset=zero"), &admin)
            .await,
    );
    expect_error(&r, 400, "GET with a non-numeric offset");
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}?offset=0&limit=10"), &admin)
            .await,
    );
    expect_status(&r, 200, "GET with offset and limit");
}

#[tokio::test]
async fn verb_not_allowed_is_405_with_allow() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let r = ok(&stack, c.delete(NETWORK_OBJECTS, &admin).await);
    expect_error(&r, 405, "DELETE on the collection");
    let allow = r
        .header("allow")
        .unwrap_or_else(|| panic!("405 carries Allow: {:?}", r.headers))
        .to_uppercase();
    let verbs: Vec<&str> = allow.split(',').map(str::trim).collect();
    assert!(
        verbs.contains(&"GET") && verbs.contains(&"POST"),
        "Allow lists GET and POST: {allow}"
    );
    assert!(
        !verbs.contains(&"DELETE"),
        "Allow does not list DELETE: {allow}"
    );

    let r = ok(
        &stack,
        c.request(
            Method::PUT,
            NETWORK_OBJECTS,
            Body::Json(serde_json::json!({})),
            &admin,
        )
        .await,
    );
    expect_error(&r, 405, "PUT on the collection");
    assert!(r.header("allow").is_some(), "405 carries Allow");
}
