//! ETags, `If-Match`, `If-None-Match` and `?dryRun=true` against LINA (docs/writes.md): a tag
//! read before a console change no longer lets a write through, and a dry run answers the
//! lines a write would send while the configuration stays as it was.

use hyper::Method;
use serde_json::json;
use tests::{Body, Console};

use crate::support::*;

#[tokio::test]
async fn a_tag_read_before_a_console_change_no_longer_lets_a_write_through() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let pw = stack.options().admin_password.clone();
    let path = format!("{NETWORK_OBJECTS}/web");
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("web", "IPv4Address", "10.0.0.10", None),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST web");
    let r = ok(&stack, c.get(&path, &admin).await);
    let before = r.header("etag").unwrap_or_default().to_owned();
    assert_eq!(before.len(), 34, "a strong ETag: {before:?}");

    let mut console = ok(
        &stack,
        Console::login_config(stack.addresses().console, "admin", &pw),
    );
    for line in ["object network web", "description from the console", "exit"] {
        ok(&stack, console.command(line));
    }

    let body = json!({"name": "web", "host": {"kind": "IPv4Address", "value": "10.0.0.11"}});
    let r = ok(
        &stack,
        c.request_with_headers(
            Method::PUT,
            &path,
            Body::from(body.clone()),
            &admin,
            &[("If-Match", before.as_str())],
        )
        .await,
    );
    let (code, details) = expect_error(&r, 412, "PUT with the tag read before the console change");
    assert_eq!(code, "PRECONDITION-FAILED");
    let r = ok(&stack, c.get(&path, &admin).await);
    let item = json(&r);
    assert_eq!(item["description"], "from the console");
    assert_eq!(item["host"]["value"], "10.0.0.10", "nothing changed");
    let now = r.header("etag").unwrap_or_default().to_owned();
    assert_ne!(now, before);
    assert!(details.contains(&now), "{details}");

    let r = ok(
        &stack,
        c.request_with_headers(
            Method::GET,
            &path,
            Body::Empty,
            &admin,
            &[("If-None-Match", now.as_str())],
        )
        .await,
    );
    expect_status(&r, 304, "GET with the current tag");
    let r = ok(
        &stack,
        c.request_with_headers(
            Method::PUT,
            &path,
            Body::from(body),
            &admin,
            &[("If-Match", now.as_str())],
        )
        .await,
    );
    expect_status(&r, 204, "PUT with the current tag");
    let r = ok(&stack, c.get(&path, &admin).await);
    assert_eq!(json(&r)["host"]["value"], "10.0.0.11");
}

#[tokio::test]
async fn a_dry_run_answers_the_lines_and_the_configuration_stays() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let rule = json!({
        "sourceAddress": {"kind": "AnyIPAddress", "value": "any"},
        "destinationAddress": {"kind": "IPv4Address", "value": "10.0.0.10"},
        "destinationService": {"kind": "TcpUdpService", "value": "tcp/https"},
        "permit": true,
    });
    let before = running_config(&mut c, &admin).await;
    let r = ok(
        &stack,
        c.post("/api/access/global/rules?dryRun=true", rule, &admin)
            .await,
    );
    expect_status(&r, 200, "dry run of the first global rule");
    let commands = json(&r)["commands"].clone();
    let lines: Vec<&str> = commands
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert!(
        lines.iter().any(|l| l.starts_with("access-list ")
            && l.ends_with("permit tcp any host 10.0.0.10 eq https")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("access-group ")),
        "the first rule also binds its list: {lines:?}"
    );

    let r = ok(
        &stack,
        c.post(
            "/api?dryRun=true",
            json!([
                {"method": "POST", "resourceUri": NETWORK_OBJECTS,
                 "data": {"name": "d1", "host": {"kind": "IPv4Address", "value": "10.9.0.1"}}},
                {"method": "DELETE", "resourceUri": format!("{NETWORK_OBJECTS}/d1")},
            ]),
            &admin,
        )
        .await,
    );
    expect_status(&r, 200, "dry run of a bulk");
    let body = json(&r);
    assert_eq!(
        body["commands"],
        json!([
            ["object network d1", " host 10.9.0.1"],
            ["no object network d1"]
        ])
    );
    assert_eq!(body["entryMessages"][0]["status"], 201);
    assert_eq!(body["commonMessages"][0]["code"], "BULK-DRY-RUN");

    let after = running_config(&mut c, &admin).await;
    assert_eq!(before, after, "a dry run applies nothing");
    let r = ok(&stack, c.get("/api/access/global/rules", &admin).await);
    assert_eq!(json(&r)["items"], json!([]));
}
