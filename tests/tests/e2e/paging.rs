//! Collection paging: 100 items a page at most, `rangeInfo.limit` is the number of items
//! returned, `total` counts everything, items keep their order across pages.

use serde_json::Value;

use crate::support::*;

fn range(body: &Value) -> (u64, u64, u64) {
    let r = &body["rangeInfo"];
    let n = |k: &str| {
        r[k].as_u64()
            .unwrap_or_else(|| panic!("rangeInfo.{k} in {r}"))
    };
    (n("offset"), n("limit"), n("total"))
}

#[tokio::test]
async fn pages_of_250_objects() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let r = ok(&stack, c.get(NETWORK_OBJECTS, &admin).await);
    let base = range(&json(&r)).2;
    assert!(
        base < 100,
        "the default configuration holds few network objects ({base})"
    );
    let base_names = names(&all_network_objects(&mut c, &admin).await);

    let mut commands = Vec::new();
    for i in 0..250u32 {
        commands.push(format!("object network page{i:03}"));
        commands.push(format!(" host 10.80.{}.{}", i / 200, i % 200 + 1));
    }
    let responses = cli_owned(&mut c, &admin, &commands).await;
    assert!(
        responses.iter().all(|r| !r.contains("ERROR")),
        "CLI batch applied cleanly: {responses:?}"
    );
    let total = base + 250;

    let mut seen = Vec::new();
    for offset in [0u64, 100, 200] {
        let r = ok(
            &stack,
            c.get(&format!("{NETWORK_OBJECTS}?offset={offset}"), &admin)
                .await,
        );
        expect_status(&r, 200, &format!("page at offset {offset}"));
        let body = json(&r);
        assert_eq!(body["kind"], "collection#NetworkObj");
        let items = body["items"].as_array().cloned().unwrap_or_default();
        let expected_len = (total - offset).min(100);
        assert_eq!(items.len() as u64, expected_len, "items at offset {offset}");
        assert_eq!(
            range(&body),
            (offset, expected_len, total),
            "rangeInfo at offset {offset}"
        );
        seen.extend(names(&items));
    }
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}?offset=300"), &admin)
            .await,
    );
    expect_status(&r, 200, "page at offset 300");
    let body = json(&r);
    let tail = body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(range(&body), (300, tail.len() as u64, total));
    seen.extend(names(&tail));

    // Every object once, ours in creation order (which is also name order).
    assert_eq!(seen.len() as u64, total, "all items across pages");
    let ours: Vec<String> = seen
        .iter()
        .filter(|n| n.starts_with("page"))
        .cloned()
        .collect();
    let wanted: Vec<String> = (0..250).map(|i| format!("page{i:03}")).collect();
    assert_eq!(ours, wanted, "our objects in order, each once");
    let others: Vec<String> = seen
        .iter()
        .filter(|n| !n.starts_with("page"))
        .cloned()
        .collect();
    assert_eq!(others, base_names, "pre-existing objects unchanged");

    // A larger limit is clamped to 100; total still counts everything.
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}?limit=500"), &admin).await,
    );
    let body = json(&r);
    assert_eq!(
        body["items"].as_array().map(Vec::len),
        Some(100),
        "limit=500 is clamped"
    );
    assert_eq!(range(&body), (0, 100, total));

    // A smaller limit is honoured and echoed as the count.
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}?offset=10&limit=7"), &admin)
            .await,
    );
    let body = json(&r);
    assert_eq!(range(&body), (10, 7, total));
    assert_eq!(
        names(body["items"].as_array().unwrap_or(&Vec::new())),
        seen[10..17].to_vec()
    );

    // Past the end: an empty page.
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}?offset={}", total + 5), &admin)
            .await,
    );
    let body = json(&r);
    assert_eq!(body["items"].as_array().map(Vec::len), Some(0));
    let (_, limit, reported) = range(&body);
    assert_eq!(
        (limit, reported),
        (0, total),
        "an empty page past the end: {}",
        body["rangeInfo"]
    );

    // A client that pages until offset + limit == total sees everything.
    assert_eq!(names(&all_network_objects(&mut c, &admin).await), seen);
}
