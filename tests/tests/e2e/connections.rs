//! Transport behaviour: keep-alive reuse, `Connection: close` with a fresh TLS handshake per
//! request, plain HTTP mode, and concurrent clients.

use std::collections::BTreeSet;

use tests::Client;

use crate::support::*;

#[tokio::test]
async fn fifty_requests_share_one_keep_alive_connection() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    for i in 0..50 {
        let r = ok(&stack, c.get(NETWORK_OBJECTS, &admin).await);
        expect_status(&r, 200, &format!("keep-alive request {i}"));
    }
    assert_eq!(
        c.connections_opened(),
        1,
        "the server kept the connection open for 50 requests"
    );
}

#[tokio::test]
async fn connection_close_clients_get_a_fresh_connection_each_time() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack).closing();
    for i in 0..10 {
        let r = ok(
            &stack,
            c.post(
                NETWORK_OBJECTS,
                network_object(
                    &format!("close{i}"),
                    "IPv4Address",
                    &format!("10.100.0.{}", i + 1),
                    None,
                ),
                &admin,
            )
            .await,
        );
        expect_status(&r, 201, &format!("POST {i} with Connection: close"));
        let r = ok(
            &stack,
            c.get(&format!("{NETWORK_OBJECTS}/close{i}"), &admin).await,
        );
        expect_status(&r, 200, &format!("GET {i} with Connection: close"));
    }
    assert_eq!(c.connections_opened(), 20, "one TLS connection per request");
}

#[tokio::test]
async fn plain_http_mode_serves_the_api() {
    let stack = start_with(options().http()).await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());
    assert_eq!(endpoint.scheme(), tests::Scheme::Http);
    let mut c = client(&stack);

    let r = ok(&stack, c.get(NETWORK_OBJECTS, &admin).await);
    expect_status(&r, 200, "GET over plain HTTP");
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("plain", "IPv4Address", "10.101.0.1", None),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST over plain HTTP");
    let expected = format!(
        "http://{}/api/objects/networkobjects/plain",
        endpoint.authority()
    );
    assert_eq!(
        r.header("location"),
        Some(expected.as_str()),
        "Location uses http"
    );
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/plain"), &admin).await,
    );
    assert_eq!(json(&r)["selfLink"], expected.as_str());

    let r = ok(&stack, c.post("/api/tokenservices", (), &admin).await);
    expect_status(&r, 204, "token over plain HTTP");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_concurrent_clients_create_distinct_objects() {
    let stack = start().await;
    let admin = stack.admin();
    let endpoint = ok(&stack, stack.endpoint());
    let mut c = client(&stack);
    let before = all_network_objects(&mut c, &admin).await.len();

    let mut tasks = Vec::new();
    for i in 0..16u32 {
        let endpoint = endpoint.clone();
        let admin = admin.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = Client::new(endpoint);
            let body = network_object(
                &format!("conc{i:02}"),
                "IPv4Address",
                &format!("10.102.0.{}", i + 1),
                None,
            );
            c.post(NETWORK_OBJECTS, &body, &admin)
                .await
                .map(|r| (r.code(), r.text()))
        }));
    }
    for (i, task) in tasks.into_iter().enumerate() {
        let (code, text) = match task.await {
            Ok(Ok(answer)) => answer,
            Ok(Err(e)) => panic!("client {i}: {e}\n{}", stack.output()),
            Err(e) => panic!("client {i} task: {e}"),
        };
        assert_eq!(code, 201, "client {i}: {text}");
    }

    let r = ok(&stack, c.get(NETWORK_OBJECTS, &admin).await);
    assert_eq!(
        json(&r)["rangeInfo"]["total"].as_u64(),
        Some(before as u64 + 16),
        "rangeInfo.total"
    );
    let after = all_network_objects(&mut c, &admin).await;
    assert_eq!(
        after.len(),
        before + 16,
        "collection total counts every object"
    );
    let created: BTreeSet<String> = names(&after)
        .into_iter()
        .filter(|n| n.starts_with("conc"))
        .collect();
    let wanted: BTreeSet<String> = (0..16).map(|i| format!("conc{i:02}")).collect();
    assert_eq!(created, wanted);
    let running = running_config(&mut c, &admin).await;
    for i in 0..16 {
        assert!(
            running.contains(&format!("object network conc{i:02}")),
            "conc{i:02} configured"
        );
    }
}
