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
