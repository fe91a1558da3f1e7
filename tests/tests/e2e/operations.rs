//! Running as a service: `/healthz`, CORS, `/metrics`, JSON request lines, the configuration
//! file with a password file, and the API log delivered by `logging host` over UDP.

use std::time::Duration;

use hyper::Method;
use tests::{Auth, Body};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

use crate::support::*;

const ORIGIN: &str = "https://ui.example";

async fn healthz(stack: &tests::Stack) -> (u16, String) {
    let mut c = client(stack);
    let r = ok(stack, c.get("/healthz", &Auth::None).await);
    (r.code(), r.text())
}

#[tokio::test]
async fn healthz_answers_without_credentials_and_says_nothing_else() {
    let stack = start().await;
    assert_eq!(
        healthz(&stack).await,
        (200, r#"{"status":"ok"}"#.to_owned())
    );

    // With the agent stopped by LINA, the daemon is up but unhealthy.
    let mut c = client(&stack);
    cli(&mut c, &stack.admin(), &["no rest-api agent"]).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = healthz(&stack).await;
        if status == 503 {
            assert_eq!(body, r#"{"status":"unavailable"}"#);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn cors_answers_allowed_origins_only() {
    let stack = start_with(options().arg("--cors-origin").arg(ORIGIN)).await;
    let mut c = client(&stack);
    let preflight = |origin: &'static str| {
        [
            ("origin", origin),
            ("access-control-request-method", "PATCH"),
            (
                "access-control-request-headers",
                "authorization,content-type,if-match",
            ),
        ]
    };
    let r = ok(
        &stack,
        c.request_with_headers(
            Method::OPTIONS,
            NETWORK_OBJECTS,
            Body::Empty,
            &Auth::None,
            &preflight(ORIGIN),
        )
        .await,
    );
    expect_status(&r, 204, "preflight from the allowed origin");
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let methods = r.header("access-control-allow-methods").unwrap_or("");
    assert!(
        methods.contains("PATCH") && methods.contains("DELETE"),
        "{methods}"
    );
    let headers = r.header("access-control-allow-headers").unwrap_or("");
    for h in ["Authorization", "X-Auth-Token", "Content-Type", "If-Match"] {
        assert!(headers.contains(h), "{h} in {headers}");
    }

    let r = ok(
        &stack,
        c.request_with_headers(
            Method::OPTIONS,
            NETWORK_OBJECTS,
            Body::Empty,
            &Auth::None,
            &preflight("https://evil.example"),
        )
        .await,
    );
    assert!(
        r.header("access-control-allow-origin").is_none(),
        "other origin"
    );
    assert_ne!(r.code(), 204);

    let r = ok(
        &stack,
        c.request_with_headers(
            Method::GET,
            NETWORK_OBJECTS,
            Body::Empty,
            &stack.admin(),
            &[("origin", ORIGIN)],
        )
        .await,
    );
    expect_status(&r, 200, "GET from the allowed origin");
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let exposed = r.header("access-control-expose-headers").unwrap_or("");
    assert!(
        exposed.contains("X-Auth-Token") && exposed.contains("Location"),
        "{exposed}"
    );
}

/// `GET /metrics` in plain HTTP/1.0, the body.
async fn scrape(addr: &str) -> String {
    let exchange = async {
        let mut s = TcpStream::connect(addr).await?;
        s.write_all(b"GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n")
            .await?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await?;
        Ok::<_, std::io::Error>(out)
    };
    let out = match tokio::time::timeout(Duration::from_secs(10), exchange).await {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => panic!("scraping {addr}: {e}"),
        Err(_) => panic!("scraping {addr}: no answer within 10 s"),
    };
    let text = String::from_utf8_lossy(&out).into_owned();
    assert!(
        text.starts_with("HTTP/1.0 200") || text.starts_with("HTTP/1.1 200"),
        "{text}"
    );
    text
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_the_agent_process() {
    let stack = start_with(options().arg("--metrics-listen").arg("127.0.0.1:0")).await;
    let addr = stack
        .output()
        .lines()
        .find_map(|l| l.strip_prefix("Metrics listening on http://"))
        .and_then(|l| l.strip_suffix("/metrics"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no metrics address in {}", stack.output()));
    let mut c = client(&stack);
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/secret-name-42"), &stack.admin())
            .await,
    );
    expect_status(&r, 404, "missing object");

    let text = scrape(&addr).await;
    assert!(
        text.contains(
            r#"asa_rest_requests_total{method="GET",route="/api/objects/networkobjects/{objectId}",status="404"} 1"#
        ),
        "{text}"
    );
    assert!(!text.contains("secret-name-42"), "raw ids never appear");
    for family in [
        "asa_rest_request_duration_seconds_bucket{",
        "asa_rest_agent_starts_total 1",
        "asa_rest_agent_restarts_total 0",
        "asa_rest_worker_up 1",
        "asa_rest_process_resident_memory_bytes ",
        "asa_rest_process_open_fds ",
        "asa_rest_worker_lina_round_trips_total ",
        "asa_rest_worker_snapshot_reloads_total ",
        "asa_rest_worker_snapshot_reload_duration_seconds_bucket{",
        "asa_rest_worker_process_resident_memory_bytes ",
    ] {
        assert!(text.contains(family), "{family} in {text}");
    }
    assert!(text.trim_end().ends_with("# EOF"), "{text}");
}

#[tokio::test]
async fn configuration_file_and_json_request_lines() {
    let dir = std::env::temp_dir().join(format!("asa-ops-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("agent.toml");
    std::fs::write(
        &file,
        format!("log-format = \"json\"\ncors-origin = [\"{ORIGIN}\"]\n"),
    )
    .unwrap();
    let stack = start_with(options().arg("--config").arg(file.to_str().unwrap())).await;
    let mut c = client(&stack);
    let r = ok(
        &stack,
        c.request_with_headers(
            Method::GET,
            NETWORK_OBJECTS,
            Body::Empty,
            &stack.admin(),
            &[("origin", ORIGIN)],
        )
        .await,
    );
    expect_status(&r, 200, "GET");
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some(ORIGIN),
        "cors-origin from the file"
    );

    // The request line is one JSON object with every field; the password is nowhere.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let line = loop {
        let output = stack.output();
        let found = output
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| {
                v["message"] == "request" && v["route"] == NETWORK_OBJECTS && v["user"] == "admin"
            });
        if let Some(line) = found {
            break line;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no JSON request line in {output}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(line["request_id"].as_u64().is_some(), "{line}");
    assert!(
        line["client"]
            .as_str()
            .is_some_and(|c| c.starts_with("127.0.0.1:")),
        "{line}"
    );
    assert_eq!(line["method"], "GET");
    assert_eq!(line["status"], 200);
    assert!(line["duration_ms"].as_f64().is_some(), "{line}");
    assert!(!stack.output().contains(&stack.options().admin_password));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn api_log_reaches_the_logging_host() {
    let mut stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let receiver = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let port = receiver.local_addr().unwrap().port();
    cli_owned(
        &mut c,
        &admin,
        &[
            "logging trap informational".to_owned(),
            format!("logging host management 127.0.0.1 udp/{port}"),
        ],
    )
    .await;

    // A refused login, a request error, a good login, and a connection that fails its handshake.
    let wrong = Auth::basic("admin", "not-the-password");
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &wrong).await);
    expect_status(&r, 401, "wrong password");
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &admin).await);
    expect_status(&r, 200, "good password");
    let mut raw = TcpStream::connect(stack.addresses().api).await.unwrap();
    raw.write_all(b"this is not TLS\r\n\r\n").await.unwrap();
    let mut sink = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), raw.read_to_end(&mut sink)).await;

    let mut wanted = vec![
        ("%ASA-6-113015:", "user = admin"),
        ("%ASA-6-605004:", "for user \"admin\""),
        ("%ASA-6-113012:", "user = admin"),
        ("%ASA-6-605005:", "from 127.0.0.1/0"),
        (
            "%ASA-5-342011:",
            "GET /api/objects/networkobjects answered 401",
        ),
        ("%ASA-6-342010:", "TLS handshake failed"),
    ];
    let mut seen = Vec::new();
    let mut buf = vec![0u8; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !wanted.is_empty() {
        let n = tokio::time::timeout_at(deadline, receiver.recv(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("still waiting for {wanted:?}; got {seen:#?}"))
            .unwrap();
        let line = String::from_utf8_lossy(&buf[..n]).into_owned();
        wanted.retain(|(id, text)| !(line.contains(id) && line.contains(text)));
        assert!(!line.contains("not-the-password"), "{line}");
        seen.push(line);
    }

    // Stopping the daemon logs 342009 before LINA goes away.
    stack.stop();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let n = tokio::time::timeout_at(deadline, receiver.recv(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("no 342009; got {seen:#?}"))
            .unwrap();
        let line = String::from_utf8_lossy(&buf[..n]).into_owned();
        if line.contains("%ASA-6-342009: REST API Agent stopped") {
            break;
        }
        seen.push(line);
    }
}

#[tokio::test]
async fn admin_password_from_a_file_never_appears_in_the_arguments() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    let state = tests::StateDir::create().unwrap();
    let secret = state.path().join("admin-password-secret");
    let password = "Fr0m-a-F1le-pw";
    std::fs::write(&secret, format!("{password}\n")).unwrap();
    let config = state.path().join("agent.toml");
    std::fs::write(
        &config,
        format!(
            "http = true\nlisten = \"127.0.0.1:0\"\nconsole = \"127.0.0.1:0\"\nadmin-password-file = \"{}\"\n",
            secret.display()
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_asa-stack"))
        .arg("--config")
        .arg(&config)
        .arg("--state-dir")
        .arg(state.path().join("state"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let addr = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|e| panic!("no address from the daemon: {e}"));
        if let Some(addr) = line.strip_prefix("REST API listening on http://") {
            break addr.parse().unwrap();
        }
    };
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    assert!(!String::from_utf8_lossy(&cmdline).contains(password));

    let mut c = tests::Client::new(tests::Endpoint::http(addr));
    let r = c
        .get(NETWORK_OBJECTS, &Auth::basic("admin", password))
        .await
        .unwrap();
    let _ = Command::new("kill").arg(pid.to_string()).status();
    let _ = child.wait();
    expect_status(&r, 200, "admin with the password from the file");
    // Given, not generated: nothing is saved next to the state.
    assert!(!state.path().join("state").join("admin-password").exists());
}
