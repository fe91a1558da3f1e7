//! The agent process end to end against the fake LINA: HTTP in over loopback, LINA protocol out.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpStream;

use super::fake_lina::{self, FakeLina};
use super::{ApiConfig, ApiServer, serve};

const SECRET: &str = "0123456789abcdef";
const HOST: &str = "asa.example:8443";
const BASE: &str = "https://asa.example:8443";
const OBJECTS: &str = "/api/objects/networkobjects";

struct Harness {
    lina: FakeLina,
    server: ApiServer,
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
    }

    fn message(&self) -> Value {
        self.json()["messages"][0].clone()
    }

    fn code(&self) -> String {
        self.message()["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

fn basic(user: &str, pass: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{pass}")))
}

/// A request: defaults to the admin's Basic credentials and all front-end headers.
struct Req {
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Bytes,
    auth: Option<String>,
    secret: Option<String>,
    scheme: &'static str,
}

fn req(method: Method, path: &str) -> Req {
    Req {
        method,
        path: path.to_owned(),
        headers: Vec::new(),
        body: Bytes::new(),
        auth: Some(basic("admin", "adminpw")),
        secret: Some(SECRET.to_owned()),
        scheme: "https",
    }
}

impl Req {
    fn json(mut self, v: Value) -> Self {
        self.body = Bytes::from(v.to_string());
        self
    }
    fn raw(mut self, b: &'static [u8]) -> Self {
        self.body = Bytes::from_static(b);
        self
    }
    fn auth(mut self, a: Option<String>) -> Self {
        self.auth = a;
        self
    }
    fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.to_owned(), v.to_owned()));
        self
    }
    fn secret(mut self, s: Option<&str>) -> Self {
        self.secret = s.map(str::to_owned);
        self
    }
    fn scheme(mut self, s: &'static str) -> Self {
        self.scheme = s;
        self
    }
}

impl Harness {
    async fn start() -> Harness {
        Self::start_with(|_| {}).await
    }

    async fn start_with(adjust: impl FnOnce(&mut ApiConfig)) -> Harness {
        let lina = FakeLina::start().await;
        let mut cfg = ApiConfig::new(SECRET, lina.addr, "127.0.0.1:0".parse().unwrap());
        adjust(&mut cfg);
        let server = serve(cfg).await.unwrap();
        Harness { lina, server }
    }

    async fn send(&self, r: Req) -> Reply {
        let stream = TcpStream::connect(self.server.local_addr()).await.unwrap();
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(conn);
        let mut builder = Request::builder()
            .method(r.method)
            .uri(&r.path)
            .header("host", HOST)
            .header("content-type", "application/json; charset=UTF-8")
            .header("x-asa-client", "198.51.100.7:50123")
            .header("x-asa-scheme", r.scheme);
        if let Some(s) = &r.secret {
            builder = builder.header("x-asa-channel-secret", s);
        }
        if let Some(a) = &r.auth {
            builder = builder.header("authorization", a);
        }
        for (k, v) in &r.headers {
            builder = builder.header(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        let request = builder.body(Full::new(r.body)).unwrap();
        let resp = sender.send_request(request).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn create(&self, name: &str, ip: &str) -> Reply {
        self.send(req(Method::POST, OBJECTS).json(json!({
            "kind": "object#NetworkObj",
            "name": name,
            "host": {"kind": "IPv4Address", "value": ip}
        })))
        .await
    }
}

#[tokio::test]
async fn requests_without_the_channel_secret_are_forbidden() {
    let h = Harness::start().await;
    let r = h.send(req(Method::GET, OBJECTS).secret(None)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "CHANNEL-FORBIDDEN");
    let r = h
        .send(req(Method::GET, OBJECTS).secret(Some("0123456789abcdeF")))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn authentication_matrix() {
    let h = Harness::start().await;
    let r = h.send(req(Method::GET, OBJECTS).auth(None)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.header("www-authenticate"), "Basic realm=\"ASA REST API\"");
    assert_eq!(r.code(), "AUTHENTICATION-FAILED");

    let r = h
        .send(req(Method::GET, OBJECTS).auth(Some(basic("admin", "wrong"))))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let r = h
        .send(req(Method::GET, OBJECTS).auth(Some("Basic %%%".into())))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "INVALID-CREDENTIALS");

    // Level 5 reads, cannot write.
    let reader = Some(basic("reader", "readerpw"));
    let r = h.send(req(Method::GET, OBJECTS).auth(reader.clone())).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h
        .send(
            req(Method::POST, OBJECTS)
                .auth(reader.clone())
                .json(json!({"name": "x", "host": {"kind": "IPv4Address", "value": "10.0.0.1"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "PRIVILEGE-INSUFFICIENT");
    let r = h
        .send(req(Method::DELETE, &format!("{OBJECTS}/existing")).auth(reader))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Level 3 may only monitor.
    let r = h
        .send(req(Method::GET, OBJECTS).auth(Some(basic("mon", "monpw"))))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(h.lina.config_execs().is_empty());
}

#[tokio::test]
async fn monitoring_serial_number_needs_level_3() {
    let h = Harness::start().await;
    let path = "/api/monitoring/serialnumber";
    let r = h
        .send(req(Method::GET, path).auth(Some(basic("mon", "monpw"))))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        body,
        json!({"kind": "object#QuerySerialNumber", "serialNumber": "9AFAKE0001"})
    );
    let r = h
        .send(req(Method::POST, path).auth(Some(basic("admin", "adminpw"))))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.header("allow"), "GET");
    let r = h.send(req(Method::GET, path).auth(None)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn token_lifecycle() {
    let h = Harness::start().await;
    let r = h.send(req(Method::POST, "/api/tokenservices")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.body.is_empty());
    let token = r.header("x-auth-token").to_owned();

    // The token alone authenticates.
    let r = h
        .send(
            req(Method::GET, OBJECTS)
                .auth(None)
                .header("x-auth-token", &token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // Deletion needs Basic credentials: the token alone is refused and the token lives on.
    let r = h
        .send(
            req(Method::DELETE, &format!("/api/tokenservices/{token}"))
                .auth(None)
                .header("x-auth-token", &token),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let r = h
        .send(
            req(Method::DELETE, &format!("/api/tokenservices/{token}"))
                .header("x-auth-token", &token),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);

    let r = h
        .send(
            req(Method::GET, OBJECTS)
                .auth(None)
                .header("x-auth-token", &token),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let r = h
        .send(req(Method::DELETE, &format!("/api/tokenservices/{token}")))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn token_creation_failures() {
    let h = Harness::start().await;
    let r = h
        .send(req(Method::POST, "/api/tokenservices").auth(None))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = h
        .send(req(Method::POST, "/api/tokenservices").auth(Some(basic("admin", "nope"))))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = h
        .send(req(Method::POST, "/api/tokenservices").auth(Some("Basic ***".into())))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    for _ in 0..fake_lina::TOKEN_LIMIT {
        let r = h.send(req(Method::POST, "/api/tokenservices")).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
    }
    let r = h.send(req(Method::POST, "/api/tokenservices")).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    let r = h.send(req(Method::GET, "/api/tokenservices")).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.header("allow"), "POST");
}

#[tokio::test]
async fn network_object_crud() {
    let h = Harness::start().await;
    assert_eq!(h.lina.show_run_count(), 1);

    let r = h.create("web", "10.0.0.1").await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.header("location"), format!("{BASE}{OBJECTS}/web"));
    assert!(r.body.is_empty());

    let r = h.send(req(Method::GET, &format!("{OBJECTS}/web"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/json");
    let v = r.json();
    assert_eq!(v["kind"], "object#NetworkObj");
    assert_eq!(v["objectId"], "web");
    assert_eq!(v["selfLink"], format!("{BASE}{OBJECTS}/web"));
    assert_eq!(
        v["host"],
        json!({"kind": "IPv4Address", "value": "10.0.0.1"})
    );

    let r = h
        .send(req(Method::PUT, &format!("{OBJECTS}/web")).json(json!({
            "name": "web",
            "host": {"kind": "IPv4Network", "value": "10.1.0.0/16"}
        })))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.header("location"), format!("{BASE}{OBJECTS}/web"));
    let v = h
        .send(req(Method::GET, &format!("{OBJECTS}/web")))
        .await
        .json();
    assert_eq!(v["host"]["value"], "10.1.0.0/16");

    let r = h
        .send(
            req(Method::PATCH, &format!("{OBJECTS}/web")).json(json!({"description": "front end"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.header("location"), format!("{BASE}{OBJECTS}/web"));
    let v = h
        .send(req(Method::GET, &format!("{OBJECTS}/web")))
        .await
        .json();
    assert_eq!(v["description"], "front end");
    assert_eq!(v["host"]["value"], "10.1.0.0/16");

    let r = h.send(req(Method::DELETE, &format!("{OBJECTS}/web"))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = h.send(req(Method::GET, &format!("{OBJECTS}/web"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(h.lina.object_names(), vec!["existing"]);

    // Every write was patched into the snapshot: no reload was needed, not even after the
    // background watcher has seen the generation pushes.
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(h.lina.show_run_count(), 1);
    // Writes went as atomic configuration batches on behalf of the user, from the client's address.
    let execs = h.lina.config_execs();
    assert_eq!(execs.len(), 4);
    assert!(
        execs
            .iter()
            .all(|e| e.atomic && e.user == "admin" && e.privilege == 15)
    );
    assert_eq!(execs[0].source.to_string(), "198.51.100.7");
}

#[tokio::test]
async fn collection_envelope_and_paging() {
    let h = Harness::start().await;
    for i in 0..4 {
        assert_eq!(
            h.create(&format!("n{i}"), &format!("10.0.0.{i}"))
                .await
                .status,
            StatusCode::CREATED
        );
    }
    let v = h
        .send(req(Method::GET, &format!("{OBJECTS}/")))
        .await
        .json();
    assert_eq!(v["kind"], "collection#NetworkObj");
    assert_eq!(v["selfLink"], format!("{BASE}{OBJECTS}"));
    assert_eq!(v["rangeInfo"], json!({"offset": 0, "limit": 5, "total": 5}));
    assert_eq!(v["items"][0]["objectId"], "existing");
    assert_eq!(v["items"][4]["selfLink"], format!("{BASE}{OBJECTS}/n3"));

    let v = h
        .send(req(Method::GET, &format!("{OBJECTS}?offset=3&limit=100")))
        .await
        .json();
    assert_eq!(v["rangeInfo"], json!({"offset": 3, "limit": 2, "total": 5}));
    assert_eq!(v["items"].as_array().unwrap().len(), 2);

    let v = h
        .send(req(Method::GET, &format!("{OBJECTS}?offset=9")))
        .await
        .json();
    assert_eq!(v["rangeInfo"], json!({"offset": 9, "limit": 0, "total": 5}));
    assert_eq!(v["items"], json!([]));

    let r = h
        .send(req(Method::GET, &format!("{OBJECTS}?limit=2&expand=1")))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.message()["context"], "expand");
    let r = h
        .send(req(Method::GET, &format!("{OBJECTS}?limit=-1")))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn duplicate_and_not_found() {
    let h = Harness::start().await;
    let r = h.create("existing", "10.0.0.1").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "DUPLICATE");
    assert!(h.lina.config_execs().is_empty());

    let r = h.send(req(Method::GET, &format!("{OBJECTS}/obj-42"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "RESOURCE-NOT-FOUND");
    assert_eq!(r.message()["details"], "RESOURCE-NOT-FOUND: obj-42");

    let r = h
        .send(req(Method::GET, &format!("{OBJECTS}/10.0.0.0%2F24")))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.message()["details"], "RESOURCE-NOT-FOUND: 10.0.0.0/24");

    let r = h
        .send(req(Method::GET, &format!("{OBJECTS}/10.0.0.0/24")))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "RESOURCE-NOT-FOUND");

    for m in [Method::PUT, Method::PATCH] {
        let r = h
            .send(req(m, &format!("{OBJECTS}/nope")).json(json!({"description": "x"})))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let r = h
        .send(req(Method::DELETE, &format!("{OBJECTS}/nope")))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = h.send(req(Method::GET, "/api/nothing/here")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn verbs_not_allowed_answer_405_with_allow() {
    let h = Harness::start().await;
    let r = h.send(req(Method::DELETE, OBJECTS)).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.header("allow"), "GET, POST");
    assert_eq!(r.code(), "METHOD-NOT-ALLOWED");
    let r = h
        .send(req(Method::POST, &format!("{OBJECTS}/existing")).json(json!({"name": "x"})))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.header("allow"), "GET, PUT, PATCH, DELETE");
}

#[tokio::test]
async fn read_only_resources_answer_writes_with_405_allow_get() {
    let h = Harness::start().await;
    let users = "/api/objects/userobjects";
    let r = h
        .send(req(Method::POST, users).json(json!({"userName": "x"})))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.header("allow"), "GET");
    assert_eq!(r.code(), "METHOD-NOT-ALLOWED");
    for m in [Method::PUT, Method::PATCH, Method::DELETE] {
        let r = h
            .send(req(m.clone(), &format!("{users}/admin")).json(json!({"userName": "admin"})))
            .await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{m}");
        assert_eq!(r.header("allow"), "GET", "{m}");
    }
    assert_eq!(h.send(req(Method::GET, users)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn out_of_band_changes_show_in_the_next_response() {
    let h = Harness::start().await;
    h.lina
        .out_of_band(&["object network oob", " host 203.0.113.5"]);
    let r = h.send(req(Method::GET, &format!("{OBJECTS}/oob"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["host"]["value"], "203.0.113.5");
    h.lina.out_of_band(&["no object network oob"]);
    let r = h.send(req(Method::GET, &format!("{OBJECTS}/oob"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unchanged_generation_is_served_without_reloading() {
    let h = Harness::start().await;
    for _ in 0..5 {
        assert_eq!(
            h.send(req(Method::GET, OBJECTS)).await.status,
            StatusCode::OK
        );
    }
    // The background watcher may settle; give it the chance to misbehave.
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(h.lina.show_run_count(), 1);
}

#[tokio::test]
async fn bad_bodies_are_refused_before_lina_sees_anything() {
    let h = Harness::start().await;
    let r = h.send(req(Method::POST, OBJECTS)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "JSON-PARSE-ERROR");

    let r = h
        .send(req(Method::POST, OBJECTS).raw(b"{\"name\": \"a\","))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "JSON-PARSE-ERROR");
    assert!(r.message()["details"].as_str().unwrap().contains("line 1"));

    let r = h
        .send(req(Method::POST, OBJECTS).raw(b"[{\"name\":\"a\"}]"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    let r = h
        .send(req(Method::POST, OBJECTS).json(json!({
            "name": "evil",
            "host": {"kind": "IPv4Address", "value": "10.0.0.1"},
            "description": "x\nwrite erase"
        })))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.message()["context"], "description");

    let r = h
        .send(
            req(Method::POST, OBJECTS)
                .json(json!({"name": "a", "host": {"kind": "IPv4Address", "value": "nope"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "INVALID-INPUT");

    let r = h
        .send(
            req(Method::PUT, &format!("{OBJECTS}/existing")).json(json!({
                "name": "other",
                "host": {"kind": "IPv4Address", "value": "10.0.0.1"}
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "ID-MISMATCH");

    assert!(h.lina.config_execs().is_empty());
}

#[tokio::test]
async fn get_and_delete_ignore_their_bodies() {
    let h = Harness::start().await;
    let r = h.send(req(Method::GET, OBJECTS).raw(b"not json")).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h
        .send(req(Method::DELETE, &format!("{OBJECTS}/existing")).raw(b""))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn lina_refusals_are_400_with_its_text() {
    let h = Harness::start().await;
    h.lina.mark_in_use("existing");
    let r = h
        .send(req(Method::DELETE, &format!("{OBJECTS}/existing")))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "CLI-ERROR");
    assert_eq!(
        r.message()["details"],
        "ERROR: unable to delete object (existing). Object is being used."
    );
    // Still there, and the snapshot agrees.
    let r = h
        .send(req(Method::GET, &format!("{OBJECTS}/existing")))
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn body_limit_answers_413() {
    let h = Harness::start_with(|c| c.body_limit = 64).await;
    let r = h
        .send(req(Method::POST, OBJECTS).json(json!({"name": "x".repeat(100), "host": {}})))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn cli_passthrough() {
    let h = Harness::start().await;
    let r = h
        .send(req(Method::POST, "/api/cli").json(json!({
            "commands": ["show version", "debug rest-api agent", "object network cli1", " host 10.9.9.9"]
        })))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    let resp = v["response"].as_array().unwrap();
    assert_eq!(resp.len(), 4);
    assert!(resp[0].as_str().unwrap().contains("Version 9.16(4)"));
    assert_eq!(resp[1], super::handlers::cli::DEBUG_RESPONSE);
    let execs = h.lina.config_execs();
    assert_eq!(execs.len(), 1);
    assert!(!execs[0].atomic);
    assert_eq!(execs[0].commands.len(), 3);
    // The change made through /api/cli shows in the next read.
    let r = h.send(req(Method::GET, &format!("{OBJECTS}/cli1"))).await;
    assert_eq!(r.status, StatusCode::OK);

    // Show-only batches need level 5; anything else 15.
    let reader = Some(basic("reader", "readerpw"));
    let r = h
        .send(
            req(Method::POST, "/api/cli")
                .auth(reader.clone())
                .json(json!({"commands": ["show version"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h
        .send(
            req(Method::POST, "/api/cli")
                .auth(reader)
                .json(json!({"commands": ["show version", "no object network cli1"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = h
        .send(req(Method::POST, "/api/cli").json(json!({"commands": []})))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = h
        .send(req(Method::POST, "/api/cli").json(json!({"commands": ["show version\tshow run"]})))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(h.lina.config_execs().len(), 2);
    // A multi-line entry is several lines in order, answered as one string.
    let r = h
        .send(
            req(Method::POST, "/api/cli")
                .json(json!({"commands": ["object network cli2\n host 10.9.9.8", "show version"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["response"].as_array().map(Vec::len), Some(2));
    let execs = h.lina.config_execs();
    assert_eq!(execs.len(), 3);
    assert_eq!(
        execs[2].commands,
        ["object network cli2", " host 10.9.9.8", "show version"]
    );
}

#[tokio::test]
async fn write_memory() {
    let h = Harness::start().await;
    let r = h.send(req(Method::POST, "/api/commands/writemem")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json(),
        json!({"response": [fake_lina::WRITE_MEMORY_OUTPUT]})
    );
    let r = h
        .send(req(Method::POST, "/api/commands/writemem").auth(Some(basic("reader", "readerpw"))))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_bulk_is_one_atomic_batch_and_patches_the_snapshot() {
    let h = Harness::start().await;
    let object = |name: &str, ip: &str| {
        json!({"method": "POST", "resourceUri": OBJECTS,
               "data": {"name": name, "host": {"kind": "IPv4Address", "value": ip}}})
    };
    let ops = json!([
        object("b1", "10.1.0.1"),
        object("b2", "10.1.0.2"),
        {"method": "PATCH", "resourceUri": format!("{OBJECTS}/b1"), "data": {"description": "d"}},
        {"method": "DELETE", "resourceUri": format!("{OBJECTS}/b2")},
    ]);
    let r = h.send(req(Method::POST, "/api").json(ops)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    let execs = h.lina.config_execs();
    assert_eq!(execs.len(), 1, "one batch for the whole bulk");
    assert!(execs[0].atomic);
    assert_eq!(
        h.lina
            .object_names()
            .iter()
            .filter(|n| n.starts_with('b'))
            .count(),
        1
    );
    // Served from the patched snapshot: no reload after the one at start.
    let r = h.send(req(Method::GET, &format!("{OBJECTS}/b1"))).await;
    assert_eq!(r.json()["description"], "d");
    assert_eq!(h.lina.show_run_count(), 1);

    // LINA refusing a command fails its entry; nothing is applied.
    h.lina.mark_in_use("b1");
    let ops = json!([object("b3", "10.1.0.3"), {"method": "DELETE", "resourceUri": format!("{OBJECTS}/b1")}]);
    let r = h.send(req(Method::POST, "/api").json(ops)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let body = r.json();
    assert_eq!(body["entryMessages"][0]["status"], 424);
    assert_eq!(body["entryMessages"][1]["messages"][0]["code"], "CLI-ERROR");
    assert!(!h.lina.object_names().contains(&"b3".to_owned()));
    let r = h.send(req(Method::GET, &format!("{OBJECTS}/b3"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// Answers the agent builds itself (and a resource and an error) within their schemas: the
/// response check refuses undeclared fields, so a field added to a handler fails here until
/// its schema declares it.
#[tokio::test]
async fn agent_built_answers_pass_their_schemas() {
    use super::schemas;
    use cli_translator::resources::ResourceKind;
    use cli_translator::schema::{MESSAGES, Object, Strictness};

    fn conforms(what: &str, schema: &Object, body: &Value) {
        if let Err(e) = schema.check(body, Strictness::Response) {
            panic!("{what}: {e} (schema {}) in {body}", schema.name);
        }
    }

    let h = Harness::start().await;
    let get = |path: &'static str| h.send(req(Method::GET, path));
    let r = get("/api/monitoring/serialnumber").await;
    conforms("serialnumber", &schemas::SERIAL_NUMBER, &r.json());
    let r = get("/api/monitoring/device/components/version").await;
    assert_eq!(r.status, StatusCode::OK);
    conforms("version", &schemas::VERSION, &r.json());

    let r = h
        .send(req(Method::POST, "/api/cli").json(json!({"commands": ["show version"]})))
        .await;
    conforms("cli", &schemas::CLI_RESPONSE, &r.json());
    let r = h.send(req(Method::POST, "/api/commands/writemem")).await;
    conforms("writemem", &schemas::WRITEMEM_RESPONSE, &r.json());

    let r = h.create("s1", "10.2.0.1").await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = get("/api/objects/networkobjects/s1").await;
    conforms(
        "network object",
        ResourceKind::NetworkObject.schema(),
        &r.json(),
    );
    let r = get("/api/objects/networkobjects/nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    conforms("404", &MESSAGES, &r.json());

    let applied = json!([{"method": "PATCH", "resourceUri": format!("{OBJECTS}/s1"), "data": {"description": "d"}}]);
    let r = h.send(req(Method::POST, "/api").json(applied)).await;
    assert_eq!(r.status, StatusCode::OK);
    conforms("bulk applied", &schemas::BULK_RESPONSE, &r.json());
    let failed = json!([
        {"method": "DELETE", "resourceUri": format!("{OBJECTS}/s1")},
        {"method": "DELETE", "resourceUri": format!("{OBJECTS}/nope")},
        {"method": "GET", "resourceUri": OBJECTS},
    ]);
    let r = h.send(req(Method::POST, "/api").json(failed)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    conforms("bulk failed", &schemas::BULK_RESPONSE, &r.json());

    let r = get("/api/monitoring/apistatistics").await;
    conforms("apistatistics", &schemas::API_STATISTICS, &r.json());
}

#[tokio::test]
async fn unknown_context_is_refused() {
    let h = Harness::start().await;
    let r = h
        .send(
            req(Method::POST, "/api/cli?context=nope").json(json!({"commands": ["show version"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "INVALID-CONTEXT");
    let r = h
        .send(req(Method::GET, &format!("{OBJECTS}?context=ctx1")))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "CONTEXT-NOT-SUPPORTED");
}

#[tokio::test]
async fn plain_http_scheme_shows_in_links() {
    let h = Harness::start().await;
    let r = h
        .send(req(Method::GET, &format!("{OBJECTS}/existing")).scheme("http"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json()["selfLink"],
        format!("http://{HOST}{OBJECTS}/existing")
    );
    let r = h
        .send(
            req(Method::POST, OBJECTS).scheme("http").json(
                json!({"name": "plain", "host": {"kind": "IPv4Address", "value": "10.0.0.9"}}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        r.header("location"),
        format!("http://{HOST}{OBJECTS}/plain")
    );
}

#[tokio::test]
async fn keep_alive_connections_serve_many_requests() {
    let h = Harness::start().await;
    let stream = TcpStream::connect(h.server.local_addr()).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    for _ in 0..3 {
        let request = Request::builder()
            .method(Method::DELETE)
            .uri(OBJECTS)
            .header("host", HOST)
            .header("x-asa-client", "198.51.100.7:50123")
            .header("x-asa-channel-secret", SECRET)
            .header("authorization", basic("admin", "adminpw"))
            .body(Full::new(Bytes::from_static(b"{\"ignored\":true}")))
            .unwrap();
        let resp = sender.send_request(request).await.unwrap();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
        let _ = resp.into_body().collect().await.unwrap();
    }
}

#[tokio::test]
async fn losing_lina_is_noticed() {
    let h = Harness::start().await;
    let closed = h.server.lina_closed();
    h.lina.close();
    tokio::time::timeout(Duration::from_secs(5), closed)
        .await
        .unwrap();
    let r = h.send(req(Method::GET, OBJECTS)).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    h.server.shutdown().await;
}

#[tokio::test]
async fn concurrent_requests_share_one_reload() {
    let h = Harness::start().await;
    h.lina
        .out_of_band(&["object network oob", " host 203.0.113.5"]);
    let path = format!("{OBJECTS}/oob");
    let replies = futures_join_all((0..8).map(|_| h.send(req(Method::GET, &path)))).await;
    assert!(replies.iter().all(|r| r.status == StatusCode::OK));
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(h.lina.show_run_count(), 2);
}

#[tokio::test]
async fn generation_pushes_reload_in_the_background() {
    let h = Harness::start().await;
    h.lina
        .out_of_band(&["object network oob", " host 203.0.113.5"]);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while h.lina.show_run_count() < 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no background reload"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let r = h.send(req(Method::GET, &format!("{OBJECTS}/oob"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(h.lina.show_run_count(), 2);
}

/// Runs the futures concurrently on this task and collects their outputs in order.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut outputs: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, out) in set.iter_mut().zip(outputs.iter_mut()) {
            if out.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *out = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

#[tokio::test]
async fn a_stale_plan_is_planned_again_on_the_reloaded_snapshot() {
    let h = Harness::start().await;
    let g = h.lina.generation();
    h.lina.move_before_writes(1);
    let r = h.create("again", "10.7.0.1").await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let execs = h.lina.config_execs();
    assert_eq!(execs.len(), 2, "refused once as stale, then applied");
    assert_eq!(execs[0].expected_generation, Some(g));
    assert_eq!(execs[1].expected_generation, Some(g + 1));
    assert!(h.lina.object_names().contains(&"again".to_owned()));
    let r = h.send(req(Method::GET, &format!("{OBJECTS}/again"))).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_configuration_that_keeps_moving_answers_409_and_applies_nothing() {
    let h = Harness::start().await;
    h.lina.move_before_writes(100);
    let r = h
        .send(
            req(Method::PATCH, &format!("{OBJECTS}/existing"))
                .json(json!({"description": "never"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "CONFIGURATION-CHANGED");
    assert_eq!(
        h.lina.config_execs().len(),
        crate::api::executor::MAX_ATTEMPTS
    );
    h.lina.move_before_writes(0);
    let r = h
        .send(req(Method::GET, &format!("{OBJECTS}/existing")))
        .await;
    assert!(r.json().get("description").is_none(), "{}", r.json());

    // A bulk is staged again on each stale refusal, then answered 409 too.
    h.lina.move_before_writes(100);
    let ops = json!([{"method": "DELETE", "resourceUri": format!("{OBJECTS}/existing")}]);
    let r = h.send(req(Method::POST, "/api").json(ops)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(h.lina.object_names().contains(&"existing".to_owned()));
}

#[tokio::test]
async fn if_match_must_name_the_current_etag() {
    let h = Harness::start().await;
    let path = format!("{OBJECTS}/existing");
    let current = crate::api::etag::etag_of(&[
        "object network existing".to_owned(),
        " host 192.0.2.1".to_owned(),
    ]);
    for verb in [Method::PUT, Method::PATCH, Method::DELETE] {
        let r = h
            .send(
                req(verb.clone(), &path)
                    .header("if-match", "\"0000\"")
                    .json(json!({"name": "existing", "host": {"kind": "IPv4Address", "value": "192.0.2.9"}})),
            )
            .await;
        assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{verb}");
        assert_eq!(r.code(), "PRECONDITION-FAILED");
        assert_eq!(r.message()["context"], "If-Match");
        assert!(
            r.message()["details"]
                .as_str()
                .is_some_and(|d| d.contains(&current)),
            "{}",
            r.json()
        );
    }
    assert!(h.lina.config_execs().is_empty(), "nothing was sent");
    let r = h
        .send(
            req(Method::PATCH, &path)
                .header("if-match", &format!("\"x\", {current}"))
                .json(json!({"description": "matched"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    // The item changed: the old tag no longer matches, `*` does.
    let r = h
        .send(req(Method::DELETE, &path).header("if-match", &current))
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let r = h
        .send(req(Method::DELETE, &path).header("if-match", "*"))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    // A missing item is 404 whatever If-Match says.
    let r = h
        .send(req(Method::DELETE, &path).header("if-match", "*"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_dry_run_answers_the_lines_and_applies_nothing() {
    let h = Harness::start().await;
    let g = h.lina.generation();
    let r = h
        .send(
            req(Method::POST, &format!("{OBJECTS}?dryRun=true")).json(json!({
                "kind": "object#NetworkObj", "name": "web",
                "host": {"kind": "IPv4Address", "value": "10.0.0.10"}
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json(),
        json!({"commands": ["object network web", " host 10.0.0.10"]})
    );
    // Checks still run: a duplicate is refused as it would be.
    let r = h
        .send(
            req(Method::POST, &format!("{OBJECTS}?dryRun=true")).json(json!({
                "name": "existing", "host": {"kind": "IPv4Address", "value": "10.0.0.10"}
            })),
        )
        .await;
    assert_eq!(r.code(), "DUPLICATE");
    let r = h
        .send(req(
            Method::DELETE,
            &format!("{OBJECTS}/existing?dryRun=true"),
        ))
        .await;
    assert_eq!(
        r.json(),
        json!({"commands": ["no object network existing"]})
    );
    let ops = json!([
        {"method": "POST", "resourceUri": OBJECTS,
         "data": {"name": "b1", "host": {"kind": "IPv4Address", "value": "10.1.0.1"}}},
        {"method": "PATCH", "resourceUri": format!("{OBJECTS}/b1"), "data": {"description": "d"}},
    ]);
    let r = h
        .send(req(Method::POST, "/api?dryRun=true").json(ops))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    let body = r.json();
    assert_eq!(body["entryMessages"][0]["status"], 201);
    assert_eq!(body["entryMessages"][1]["status"], 204);
    assert_eq!(body["commonMessages"][0]["code"], "BULK-DRY-RUN");
    assert_eq!(
        body["commands"],
        json!([
            ["object network b1", " host 10.1.0.1"],
            ["object network b1", " description d"]
        ])
    );
    let r = h
        .send(req(Method::POST, "/api/commands/writemem?dryRun=true"))
        .await;
    assert_eq!(r.code(), "INVALID-QUERY-PARAMETER");
    assert!(h.lina.config_execs().is_empty(), "nothing was sent");
    assert_eq!(h.lina.generation(), g, "the generation did not move");
    assert!(!h.lina.object_names().contains(&"web".to_owned()));
}

#[tokio::test]
async fn an_item_get_carries_its_etag_and_if_none_match_answers_304() {
    let h = Harness::start().await;
    let path = format!("{OBJECTS}/existing");
    let r = h.send(req(Method::GET, &path)).await;
    assert_eq!(r.status, StatusCode::OK);
    let tag = r.header("etag").to_owned();
    assert_eq!(
        tag,
        crate::api::etag::etag_of(&[
            "object network existing".to_owned(),
            " host 192.0.2.1".to_owned()
        ])
    );
    let r = h
        .send(req(Method::GET, &path).header("if-none-match", &tag))
        .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert!(r.body.is_empty());
    assert_eq!(r.header("etag"), tag);
    // The tag a GET gave is the one a write's If-Match is checked against.
    let r = h
        .send(
            req(Method::PATCH, &path)
                .header("if-match", &tag)
                .json(json!({"description": "d"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = h
        .send(req(Method::GET, &path).header("if-none-match", &tag))
        .await;
    assert_eq!(r.status, StatusCode::OK, "the item changed");
    assert_ne!(r.header("etag"), tag);
}
