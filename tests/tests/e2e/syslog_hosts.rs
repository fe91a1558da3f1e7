//! Syslog delivery: with `logging host` and `logging trap` configured through the API, LINA
//! sends the `%ASA` messages of the agent's own events to the host over UDP (RFC 3164 framing).

use std::time::Duration;

use tokio::net::UdpSocket;

use crate::support::*;

const TOKENS: &str = "/api/tokenservices";

#[tokio::test]
async fn logging_host_receives_token_syslogs_over_udp() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let receiver = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let port = receiver.local_addr().unwrap().port();

    let out = cli_owned(
        &mut c,
        &admin,
        &[
            "logging trap informational".to_owned(),
            format!("logging host management 127.0.0.1 udp/{port}"),
        ],
    )
    .await;
    assert!(
        out.iter().all(|o| !o.contains("ERROR")),
        "logging configured: {out:?}"
    );

    let created = ok(&stack, c.post(TOKENS, (), &admin).await);
    expect_status(&created, 204, "POST /api/tokenservices");

    // Read datagrams until the token's 605005 arrives (others, like 111010, may come first).
    let mut buf = vec![0u8; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    loop {
        let n = tokio::time::timeout_at(deadline, receiver.recv(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("no 605005 datagram within 10 s; got {seen:?}"))
            .unwrap();
        let line = String::from_utf8_lossy(&buf[..n]).into_owned();
        if line.contains("%ASA-6-605005:") {
            // RFC 3164: <PRI> with facility 20 (local4) and severity 6 = 166.
            assert!(line.starts_with("<166>"), "RFC 3164 priority: {line}");
            assert!(
                line.contains("for user \"admin\""),
                "names the user: {line}"
            );
            break;
        }
        seen.push(line);
    }

    // Debugging-level messages stay below the trap level: 342001 (level 7) is not sent.
    assert!(
        seen.iter().all(|l| !l.contains("%ASA-7-")),
        "trap level informational filters level 7: {seen:?}"
    );
}

/// The in-use figure of `show conn count` (`<n> in use, <m> most used`).
async fn conns_in_use(c: &mut tests::Client, admin: &tests::Auth) -> u64 {
    let out = cli(c, admin, &["show conn count"]).await.concat();
    out.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("show conn count: {out:?}"))
}

#[tokio::test]
async fn a_down_tcp_host_stops_new_connections_unless_permit_hostdown() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    // A loopback port nothing listens on: every connect is refused.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let out = cli_owned(
        &mut c,
        &admin,
        &[
            "logging enable".to_owned(),
            "logging trap informational".to_owned(),
            "logging queue 5".to_owned(),
            format!("logging host management 127.0.0.1 tcp/{port}"),
        ],
    )
    .await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");

    // Log something (token: 605005) until the sender has tried, failed and the host shows down.
    let denied = format!(
        "Logging to management 127.0.0.1, TCP port {port}, host down, new connections denied"
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let r = ok(&stack, c.post(TOKENS, (), &admin).await);
        expect_status(&r, 204, "token");
        let shown = show_logging(&mut c, &admin).await;
        if shown.contains(&denied) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the TCP host never showed down: {shown}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The queue holds at most 5; the rest was dropped and counted.
    for _ in 0..10 {
        let r = ok(&stack, c.post(TOKENS, (), &admin).await);
        expect_status(&r, 204, "token");
    }
    let queue = cli(&mut c, &admin, &["show logging queue"]).await.concat();
    assert!(
        queue.starts_with("Logging Queue length limit : 5 msg(s)\n"),
        "{queue}"
    );
    assert!(queue.contains("Current 5 msg on queue"), "{queue}");
    let dropped: u64 = queue
        .lines()
        .find(|l| l.ends_with("discarded due to queue overflow"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{queue}"));
    assert!(dropped >= 5, "{queue}");

    // No new connections: the count never grows (the model changes every 2 s).
    let mut last = conns_in_use(&mut c, &admin).await;
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let now = conns_in_use(&mut c, &admin).await;
        assert!(
            now <= last,
            "connections grew from {last} to {now} while denied"
        );
        last = now;
    }

    // With permit-hostdown the host is still down but connections go on.
    let out = cli(&mut c, &admin, &["logging permit-hostdown"]).await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");
    let shown = show_logging(&mut c, &admin).await;
    assert!(
        shown.contains("host down, new connections permitted (permit-hostdown)"),
        "{shown}"
    );
    assert!(
        shown.contains("Permit-hostdown logging: enabled"),
        "{shown}"
    );
}
