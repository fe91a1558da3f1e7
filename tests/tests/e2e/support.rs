//! Shared helpers for the scenarios: booting a stack from this test binary, running CLI
//! commands over `/api/cli`, reading `show logging` and `show running-config`, and asserting
//! the ASA error body.

use serde_json::{Value, json};
use tests::{Auth, Client, Response, Stack, StackOptions};

pub const NETWORK_OBJECTS: &str = "/api/objects/networkobjects";

/// Options for the `asa-stack` binary built with this test binary.
pub fn options() -> StackOptions {
    StackOptions::new(env!("CARGO_BIN_EXE_asa-stack"))
}

/// A default HTTPS stack; fails the test with the daemon's output if it does not come up.
pub async fn start() -> Stack {
    start_with(options()).await
}

pub async fn start_with(opts: StackOptions) -> Stack {
    match Stack::start(opts).await {
        Ok(stack) => stack,
        Err(e) => panic!("the stack did not start: {e}"),
    }
}

/// GET, asserting 200; the body.
pub async fn get_ok(stack: &Stack, c: &mut Client, auth: &Auth, url: &str) -> Value {
    let r = ok(stack, c.get(url, auth).await);
    expect_status(&r, 200, &format!("GET {url}"));
    json(&r)
}

/// A keep-alive HTTPS (or HTTP) client for the stack.
pub fn client(stack: &Stack) -> Client {
    stack.client().unwrap_or_else(|e| panic!("client: {e}"))
}

/// Unwraps a harness result, failing with the error and the daemon's output.
pub fn ok<T>(stack: &Stack, r: Result<T, tests::HarnessError>) -> T {
    r.unwrap_or_else(|e| panic!("{e}\n{}", stack.output()))
}

/// The body as JSON, failing with the text otherwise.
pub fn json(r: &Response) -> Value {
    r.json().unwrap_or_else(|e| panic!("{e}"))
}

/// Asserts the status, with the body in the failure message.
#[track_caller]
pub fn expect_status(r: &Response, status: u16, what: &str) {
    assert_eq!(
        r.code(),
        status,
        "{what}: expected {status}, got {} with body {}",
        r.code(),
        r.text()
    );
}

/// Asserts an ASA error response: the status, `level` Error, a non-empty `code` and `details`.
/// Returns the error's (code, details).
#[track_caller]
pub fn expect_error(r: &Response, status: u16, what: &str) -> (String, String) {
    expect_status(r, status, what);
    let m = r.error_message().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(
        m.level.as_deref(),
        Some("Error"),
        "{what}: level in {}",
        r.text()
    );
    let code = m.code.unwrap_or_default();
    let details = m.details.unwrap_or_default();
    assert!(!code.is_empty(), "{what}: empty code in {}", r.text());
    assert!(!details.is_empty(), "{what}: empty details in {}", r.text());
    (code, details)
}

/// Asserts a 404 whose `details` carries `RESOURCE-NOT-FOUND` (terraform reads only `details`).
#[track_caller]
pub fn expect_not_found(r: &Response, what: &str) {
    let (code, details) = expect_error(r, 404, what);
    assert_eq!(code, "RESOURCE-NOT-FOUND", "{what}: {}", r.text());
    assert!(
        details.contains("RESOURCE-NOT-FOUND"),
        "{what}: details must contain RESOURCE-NOT-FOUND: {}",
        r.text()
    );
}

/// `POST /api/cli`: asserts 200 and returns the `response` strings, one per command.
pub async fn cli(c: &mut Client, auth: &Auth, commands: &[&str]) -> Vec<String> {
    let r = c
        .post("/api/cli", json!({ "commands": commands }), auth)
        .await
        .unwrap_or_else(|e| panic!("/api/cli: {e}"));
    expect_status(&r, 200, &format!("POST /api/cli {commands:?}"));
    let body = json(&r);
    let response = body["response"]
        .as_array()
        .unwrap_or_else(|| panic!("no response array in {body}"));
    assert_eq!(
        response.len(),
        commands.len(),
        "one response per command: {body}"
    );
    response
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Like [`cli`] with owned commands (generated batches).
pub async fn cli_owned(c: &mut Client, auth: &Auth, commands: &[String]) -> Vec<String> {
    let refs: Vec<&str> = commands.iter().map(String::as_str).collect();
    cli(c, auth, &refs).await
}

pub async fn show_logging(c: &mut Client, auth: &Auth) -> String {
    cli(c, auth, &["show logging"]).await.concat()
}

pub async fn running_config(c: &mut Client, auth: &Auth) -> String {
    cli(c, auth, &["show running-config"]).await.concat()
}

/// Creates local users through the CLI: (name, password, privilege).
pub async fn create_users(c: &mut Client, admin: &Auth, users: &[(&str, &str, u8)]) {
    let commands: Vec<String> = users
        .iter()
        .map(|(name, pw, level)| format!("username {name} password {pw} privilege {level}"))
        .collect();
    cli_owned(c, admin, &commands).await;
}

/// A network object body.
pub fn network_object(name: &str, kind: &str, value: &str, description: Option<&str>) -> Value {
    let mut v = json!({
        "kind": "object#NetworkObj",
        "name": name,
        "host": { "kind": kind, "value": value },
    });
    if let Some(d) = description {
        v["description"] = json!(d);
    }
    v
}

/// Every item of the network-object collection, following pages until `offset + limit == total`.
pub async fn all_network_objects(c: &mut Client, auth: &Auth) -> Vec<Value> {
    let mut items = Vec::new();
    let mut offset = 0u64;
    for _ in 0..1000 {
        let r = c
            .get(&format!("{NETWORK_OBJECTS}?offset={offset}"), auth)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        expect_status(&r, 200, "GET networkobjects page");
        let body = json(&r);
        let page = body["items"].as_array().cloned().unwrap_or_default();
        let limit = body["rangeInfo"]["limit"]
            .as_u64()
            .unwrap_or_else(|| panic!("rangeInfo.limit in {body}"));
        let total = body["rangeInfo"]["total"]
            .as_u64()
            .unwrap_or_else(|| panic!("rangeInfo.total in {body}"));
        assert_eq!(
            limit,
            page.len() as u64,
            "rangeInfo.limit is the number of items returned: {}",
            body["rangeInfo"]
        );
        items.extend(page);
        offset += limit;
        if offset >= total {
            return items;
        }
        assert!(
            limit > 0,
            "an empty page before the end: {}",
            body["rangeInfo"]
        );
    }
    panic!("paging did not end after 1000 pages");
}

/// The names in a list of network objects.
pub fn names(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}
