//! Syslog delivery into a real rsyslog: the test starts its own `rsyslogd` (Debian's
//! `rsyslog` package; no system daemon) with `imudp` and `imtcp` on ephemeral loopback
//! ports and one `omfile` per input, configures two syslog servers through the API (UDP
//! and TCP, RFC 3164 framing, then RFC 5424 timestamps, then `format emblem` on the UDP one
//! only), makes LINA log, and checks that the messages rsyslog wrote are the ones `show
//! logging` shows, in the form each host was configured for.
//!
//! rsyslogd missing is a failure, not a skip: `.ci/run` installs the package.

use std::collections::BTreeSet;
use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;

use crate::support::*;

const SERVERS: &str = "/api/logging/syslogserver";
const CONFIG_SETTINGS: &str = "/api/logging/syslogconfigsettings";

/// The rsyslogd binary: on `PATH` or in Debian's `/usr/sbin`.
fn rsyslogd() -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    dirs.extend(["/usr/sbin", "/sbin"].map(PathBuf::from));
    dirs.into_iter()
        .map(|d| d.join("rsyslogd"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "rsyslogd not found (PATH, /usr/sbin, /sbin): this test needs Debian's rsyslog \
                 package (apt-get install rsyslog)"
            )
        })
}

/// A private rsyslogd and its directory, stopped and removed on drop.
struct Rsyslog {
    child: Child,
    dir: PathBuf,
    udp_port: u16,
    tcp_port: u16,
}

impl Drop for Rsyslog {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// rsyslog's TCP input listens here (the UDP one on 127.0.0.1).
const TCP_ADDRESS: &str = "127.0.0.2";

fn free_ports() -> (u16, u16) {
    let udp = UdpSocket::bind("127.0.0.1:0").expect("bind UDP");
    let tcp = TcpListener::bind((TCP_ADDRESS, 0)).expect("bind TCP on 127.0.0.2");
    (
        udp.local_addr().expect("udp addr").port(),
        tcp.local_addr().expect("tcp addr").port(),
    )
}

impl Rsyslog {
    fn start() -> Rsyslog {
        let binary = rsyslogd();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("asa-rsyslog-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("rsyslog directory");
        let (udp_port, tcp_port) = free_ports();
        let d = dir.display();
        let conf = format!(
            r#"global(workDirectory="{d}")
module(load="imudp")
module(load="imtcp")
template(name="raw" type="string" string="%rawmsg%\n")
ruleset(name="udp") {{ action(type="omfile" file="{d}/udp.log" template="raw") }}
ruleset(name="tcp") {{ action(type="omfile" file="{d}/tcp.log" template="raw") }}
input(type="imudp" address="127.0.0.1" port="{udp_port}" ruleset="udp")
input(type="imtcp" address="{TCP_ADDRESS}" port="{tcp_port}" ruleset="tcp")
"#
        );
        let conf_path = dir.join("rsyslog.conf");
        std::fs::write(&conf_path, conf).expect("rsyslog.conf");
        let child = Command::new(&binary)
            .arg("-n")
            .arg("-f")
            .arg(&conf_path)
            .arg("-i")
            .arg(dir.join("rsyslogd.pid"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(
                std::fs::File::create(dir.join("stderr")).expect("stderr file"),
            ))
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
        let mut r = Rsyslog {
            child,
            dir,
            udp_port,
            tcp_port,
        };
        r.wait_listening();
        r
    }

    /// Waits until rsyslogd accepts TCP connections (its inputs are up).
    fn wait_listening(&mut self) {
        for _ in 0..100 {
            if let Ok(Some(status)) = self.child.try_wait() {
                let err = std::fs::read_to_string(self.dir.join("stderr")).unwrap_or_default();
                panic!("rsyslogd exited ({status}): {err}");
            }
            if std::net::TcpStream::connect((TCP_ADDRESS, self.tcp_port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let err = std::fs::read_to_string(self.dir.join("stderr")).unwrap_or_default();
        panic!(
            "rsyslogd did not listen on {TCP_ADDRESS}:{} within 10 s: {err}",
            self.tcp_port
        );
    }

    fn lines(&self, file: &str) -> Vec<String> {
        read_lines(&self.dir.join(file))
    }
}

fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The `%ASA-...` part of a line (what every framing and the buffer share).
fn asa_part(line: &str) -> Option<String> {
    line.find("%ASA-").map(|i| line[i..].trim_end().to_owned())
}

fn asa_set(lines: &[String]) -> BTreeSet<String> {
    lines.iter().filter_map(|l| asa_part(l)).collect()
}

async fn buffer(c: &mut tests::Client, admin: &tests::Auth) -> BTreeSet<String> {
    let shown = show_logging(c, admin).await;
    let lines: Vec<String> = shown.lines().map(str::to_owned).collect();
    asa_set(&lines)
}

/// Waits until both files, past the first `skip` lines, hold every message of `expected`;
/// those lines.
async fn delivered(
    rs: &Rsyslog,
    expected: &BTreeSet<String>,
    (skip_udp, skip_tcp): (usize, usize),
) -> (Vec<String>, Vec<String>) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let udp = rs
            .lines("udp.log")
            .split_off(skip_udp.min(rs.lines("udp.log").len()));
        let tcp = rs
            .lines("tcp.log")
            .split_off(skip_tcp.min(rs.lines("tcp.log").len()));
        let done = expected.is_subset(&asa_set(&udp)) && expected.is_subset(&asa_set(&tcp));
        if done {
            return (udp, tcp);
        }
        if tokio::time::Instant::now() > deadline {
            panic!(
                "rsyslog did not receive every message of show logging within 10 s\n\
                 expected: {expected:#?}\nudp.log: {udp:#?}\ntcp.log: {tcp:#?}"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn rsyslog_writes_the_messages_show_logging_shows() {
    let rs = Rsyslog::start();
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    // A server's id is its address: the UDP one on 127.0.0.1, the TCP one on 127.0.0.2.
    for (address, port, protocol) in [
        ("127.0.0.1", rs.udp_port, "UDP"),
        (TCP_ADDRESS, rs.tcp_port, "TCP"),
    ] {
        let body = json!({"ip": {"kind": "IPv4Address", "value": address},
            "interface": {"kind": "objectRef#Interface", "name": "management"},
            "port": port, "protocol": protocol, "emblemEnabled": false, "secureEnabled": false});
        expect_status(
            &ok(&stack, c.post(SERVERS, body, &admin).await),
            201,
            &format!("{protocol} server"),
        );
    }
    let settings = json!({"loggingEnabled": true, "trapLevel": "informational",
        "bufferedLevel": "informational"});
    expect_status(
        &ok(&stack, c.put(CONFIG_SETTINGS, settings, &admin).await),
        204,
        "logging settings",
    );

    // The buffer also holds what was logged before the trap level was set (never sent):
    // start both from here. What was in flight when the buffer was cleared is skipped.
    let out = cli(&mut c, &admin, &["clear logging buffer"]).await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");
    // Wait until nothing more arrives (the files stop growing for 600 ms, at most 10 s).
    let counts = || (rs.lines("udp.log").len(), rs.lines("tcp.log").len());
    let mut last = counts();
    let mut still = 0;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = counts();
        still = if now == last { still + 1 } else { 0 };
        last = now;
        if still >= 3 {
            break;
        }
    }
    let (skip_udp, skip_tcp) = last;

    // Something to log: a token (605005), twice.
    for _ in 0..2 {
        let r = ok(&stack, c.post("/api/tokenservices", (), &admin).await);
        expect_status(&r, 204, "token");
    }
    let shown = buffer(&mut c, &admin).await;
    assert!(
        shown.iter().any(|l| l.starts_with("%ASA-6-605005:")),
        "show logging has the token's 605005: {shown:#?}"
    );
    let (udp, tcp) = delivered(&rs, &shown, (skip_udp, skip_tcp)).await;
    // Everything rsyslog wrote is in show logging (read after the files).
    let later = buffer(&mut c, &admin).await;
    for (name, lines) in [("udp.log", &udp), ("tcp.log", &tcp)] {
        let written = asa_set(lines);
        assert!(
            written.is_subset(&later),
            "{name} has messages show logging does not: {:#?}",
            written.difference(&later).collect::<Vec<_>>()
        );
        // RFC 3164: <PRI> (local4 = 20, informational = 6: 166) then the timestamp.
        let token_line = lines
            .iter()
            .find(|l| l.contains("%ASA-6-605005:"))
            .unwrap_or_else(|| panic!("{name}: no 605005 in {lines:#?}"));
        assert!(token_line.starts_with("<166>"), "{name}: {token_line}");
        assert!(
            token_line[5..].starts_with(|c: char| c.is_ascii_uppercase()),
            "{name}: an RFC 3164 month, not an RFC 5424 date: {token_line}"
        );
    }

    // RFC 5424 timestamps once `logging timestamp rfc5424` is configured, in the ASA's
    // header (`<166>2018-06-27T12:17:46Z asa : %ASA-...`, no RFC 5424 VERSION digit).
    let settings = json!({"timestampEnabled": true, "timestampFormat": "rfc5424"});
    expect_status(
        &ok(&stack, c.put(CONFIG_SETTINGS, settings, &admin).await),
        204,
        "rfc5424",
    );
    let r = ok(&stack, c.post("/api/tokenservices", (), &admin).await);
    expect_status(&r, 204, "token");
    // The token's 605005 arrives in RFC 5424 framing over both transports (earlier copies
    // of the same text came in RFC 3164).
    let shown = buffer(&mut c, &admin).await;
    assert!(
        shown.iter().any(|l| l.starts_with("%ASA-6-605005:")),
        "{shown:#?}"
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    for name in ["udp.log", "tcp.log"] {
        loop {
            let lines = rs.lines(name);
            let framed_5424 = lines
                .iter()
                .filter(|l| l.contains("%ASA-6-605005:"))
                .any(|l| l.starts_with("<166>20") && l.contains("Z ") && l.contains(" : %ASA-6-"));
            if framed_5424 {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{name}: no RFC 5424 605005 within 10 s in {lines:#?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    // `format emblem` on the UDP server only: it gets the EMBLEM form (`<166>:Mmm dd
    // hh:mm:ss UTC: %ASA-sys-6-605005: ...`), the TCP server keeps the standard one.
    expect_status(
        &ok(
            &stack,
            c.patch(
                &format!("{SERVERS}/127.0.0.1"),
                json!({"emblemEnabled": true}),
                &admin,
            )
            .await,
        ),
        204,
        "format emblem",
    );
    let running = cli(&mut c, &admin, &["show running-config"]).await;
    assert!(
        running.iter().any(|o| o.contains("format emblem")),
        "{running:?}"
    );
    let skip = (rs.lines("udp.log").len(), rs.lines("tcp.log").len());
    let r = ok(&stack, c.post("/api/tokenservices", (), &admin).await);
    expect_status(&r, 204, "token");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let udp = rs
            .lines("udp.log")
            .split_off(skip.0.min(rs.lines("udp.log").len()));
        let tcp = rs
            .lines("tcp.log")
            .split_off(skip.1.min(rs.lines("tcp.log").len()));
        let emblem = udp
            .iter()
            .find(|l| l.starts_with("<166>:") && l.contains(" UTC: %ASA-sys-6-605005: "));
        let standard = tcp
            .iter()
            .find(|l| l.starts_with("<166>20") && l.contains(" : %ASA-6-605005: "));
        if let (Some(emblem), Some(_)) = (emblem, standard) {
            // Both are the same message show logging shows.
            let text = &emblem[emblem.find("605005: ").unwrap_or(0)..];
            let shown = buffer(&mut c, &admin).await;
            assert!(
                shown.iter().any(|l| l.ends_with(text)),
                "{text} not in {shown:#?}"
            );
            assert!(
                udp.iter().all(|l| !l.contains("%ASA-6-605005")),
                "the EMBLEM host got a standard line: {udp:#?}"
            );
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no EMBLEM 605005 on UDP and standard one on TCP within 10 s:\nudp: {udp:#?}\ntcp: {tcp:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(rs);
}
