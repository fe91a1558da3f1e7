//! Boots the whole stack (`asa-stack`: front-end, supervised agent process, embedded lina-sim)
//! on 127.0.0.1 port 0 with a temporary state directory, learns its addresses from what it
//! prints, and kills its process group on drop. Restartable on the same state directory.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::auth::Auth;
use crate::client::Client;
use crate::endpoint::Endpoint;
use crate::error::HarnessError;
use crate::state_dir::StateDir;

/// Printed by the daemon when the REST API listens (followed by `https://addr` or `http://addr`).
pub const REST_LINE: &str = "REST API listening on ";
/// Printed by the daemon when the operator console listens.
pub const CONSOLE_LINE: &str = "LINA console listening on ";
/// Printed by the daemon when the LINA protocol listens.
pub const PROTOCOL_LINE: &str = "LINA protocol listening on ";

/// Most of the daemon's output kept for diagnostics (per stream).
const CAPTURE_LIMIT: usize = 256 * 1024;

/// How to run the daemon.
#[derive(Debug, Clone)]
pub struct StackOptions {
    /// The `asa-stack` binary (`env!("CARGO_BIN_EXE_asa-stack")` in the test binary).
    pub binary: PathBuf,
    /// The password of the privilege-15 user `admin`.
    pub admin_password: String,
    /// Plain HTTP instead of HTTPS.
    pub http: bool,
    /// More arguments after the standard ones.
    pub extra_args: Vec<String>,
    /// How long the daemon may take to print its addresses and answer a first request.
    pub boot_timeout: Duration,
}

impl StackOptions {
    pub fn new(binary: impl Into<PathBuf>) -> Self {
        StackOptions {
            binary: binary.into(),
            admin_password: "Adm1n-Passw0rd".to_owned(),
            http: false,
            extra_args: Vec::new(),
            boot_timeout: Duration::from_secs(30),
        }
    }

    /// Serve plain HTTP (`--http`).
    pub fn http(mut self) -> Self {
        self.http = true;
        self
    }

    pub fn arg(mut self, arg: &str) -> Self {
        self.extra_args.push(arg.to_owned());
        self
    }
}

/// The daemon's listening addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addresses {
    pub api: SocketAddr,
    pub console: SocketAddr,
    pub protocol: SocketAddr,
}

/// What the daemon printed, kept for failure messages. A std mutex: the reader threads and
/// the test thread only append or copy under it, never across an `.await`.
#[derive(Debug, Default)]
struct Captured {
    stdout: String,
    stderr: String,
}

/// A running stack.
#[derive(Debug)]
pub struct Stack {
    opts: StackOptions,
    state: StateDir,
    child: Option<Child>,
    captured: Arc<Mutex<Captured>>,
    addrs: Addresses,
}

impl Stack {
    /// Spawns the daemon on a fresh state directory and waits until it listens and answers.
    pub async fn start(opts: StackOptions) -> Result<Stack, HarnessError> {
        let state = StateDir::create()?;
        let captured = Arc::new(Mutex::new(Captured::default()));
        let (child, addrs) = boot(&opts, state.path(), &captured)?;
        let stack = Stack {
            opts,
            state,
            child: Some(child),
            captured,
            addrs,
        };
        stack.wait_until_answering().await?;
        Ok(stack)
    }

    /// Stops the daemon (SIGTERM, then SIGKILL to its process group) and starts it again on
    /// the same state directory; the addresses change.
    pub async fn restart(&mut self) -> Result<(), HarnessError> {
        self.stop();
        append(&self.captured, Stream::Stdout, "--- restart ---\n");
        let (child, addrs) = boot(&self.opts, self.state.path(), &self.captured)?;
        self.child = Some(child);
        self.addrs = addrs;
        self.wait_until_answering().await
    }

    /// SIGKILL to the whole process group at once (front-end, agent process, embedded LINA: a
    /// power cut as far as the state directory can tell), then boots again on the same state.
    pub async fn crash_and_restart(&mut self) -> Result<(), HarnessError> {
        if let Some(mut child) = self.child.take() {
            signal_group(child.id(), "KILL");
            let _ = child.wait();
        }
        append(&self.captured, Stream::Stdout, "--- kill -9 ---\n");
        let (child, addrs) = boot(&self.opts, self.state.path(), &self.captured)?;
        self.child = Some(child);
        self.addrs = addrs;
        self.wait_until_answering().await
    }

    /// Stops the daemon and every process of its group. Idempotent.
    pub fn stop(&mut self) {
        if let Some(child) = self.child.take() {
            terminate(child);
        }
    }

    pub fn addresses(&self) -> Addresses {
        self.addrs
    }

    pub fn options(&self) -> &StackOptions {
        &self.opts
    }

    pub fn state_dir(&self) -> &Path {
        self.state.path()
    }

    /// The REST endpoint (HTTPS, or HTTP in `--http` mode).
    pub fn endpoint(&self) -> Result<Endpoint, HarnessError> {
        if self.opts.http {
            Ok(Endpoint::http(self.addrs.api))
        } else {
            Endpoint::https(self.addrs.api)
        }
    }

    /// A keep-alive client.
    pub fn client(&self) -> Result<Client, HarnessError> {
        Ok(Client::new(self.endpoint()?))
    }

    /// Basic credentials of the privilege-15 `admin`.
    pub fn admin(&self) -> Auth {
        Auth::basic("admin", &self.opts.admin_password)
    }

    /// The agent process's pid, from `<state>/agent.pid`.
    pub fn agent_pid(&self) -> Result<u32, HarnessError> {
        let path = self.state.path().join("agent.pid");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| HarnessError::StateFile(format!("{}: {e}", path.display())))?;
        text.trim().parse().map_err(|_| {
            HarnessError::StateFile(format!("{}: not a pid: {text:?}", path.display()))
        })
    }

    /// Sends SIGKILL to the agent process (not the front-end); returns the pid killed.
    pub fn kill_agent(&self) -> Result<u32, HarnessError> {
        let pid = self.agent_pid()?;
        let status = Command::new("kill")
            .args(["-KILL", "--", &pid.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(HarnessError::Spawn)?;
        if status.success() {
            Ok(pid)
        } else {
            Err(HarnessError::StateFile(format!(
                "kill -KILL {pid} failed: {status}"
            )))
        }
    }

    /// Whether the front-end (the process the suite spawned) is still running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// Everything the daemon printed so far (stdout then stderr), for failure messages.
    pub fn output(&self) -> String {
        let c = self.captured.lock().unwrap_or_else(|p| p.into_inner());
        format!("--- stdout:\n{}\n--- stderr:\n{}", c.stdout, c.stderr)
    }

    /// Polls with admin credentials until a request gets an answer other than 503 (the agent
    /// process may still be starting when the front-end already listens).
    async fn wait_until_answering(&self) -> Result<(), HarnessError> {
        let deadline = Instant::now() + self.opts.boot_timeout;
        let admin = self.admin();
        let mut last = String::from("no attempt");
        while Instant::now() < deadline {
            let mut client = self.client()?;
            match client.get("/api/objects/networkobjects", &admin).await {
                Ok(r) if r.code() != 503 => return Ok(()),
                Ok(r) => last = format!("{} {}", r.code(), r.text()),
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(HarnessError::Timeout {
            what: format!("the first API answer (last: {last})\n{}", self.output()),
            after: self.opts.boot_timeout,
        })
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        self.stop();
    }
}

#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

fn append(captured: &Mutex<Captured>, stream: Stream, text: &str) {
    let mut c = captured.lock().unwrap_or_else(|p| p.into_inner());
    let s = match stream {
        Stream::Stdout => &mut c.stdout,
        Stream::Stderr => &mut c.stderr,
    };
    if s.len() < CAPTURE_LIMIT {
        s.push_str(text);
    }
}

/// Spawns the daemon in its own process group and waits for its three listening lines.
fn boot(
    opts: &StackOptions,
    state: &Path,
    captured: &Arc<Mutex<Captured>>,
) -> Result<(Child, Addresses), HarnessError> {
    let mut cmd = Command::new(&opts.binary);
    cmd.args([
        "--listen",
        "127.0.0.1:0",
        "--console",
        "127.0.0.1:0",
        "--state-dir",
    ])
    .arg(state)
    .args(["--admin-password", &opts.admin_password]);
    if opts.http {
        cmd.arg("--http");
    }
    cmd.args(&opts.extra_args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = cmd.spawn().map_err(HarnessError::Spawn)?;

    let (tx, rx) = mpsc::channel::<String>();
    if let Some(stdout) = child.stdout.take() {
        let captured = Arc::clone(captured);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                append(&captured, Stream::Stdout, &format!("{line}\n"));
                // After boot nobody listens; the line is still captured.
                let _ = tx.send(line);
            }
        });
    }
    if let Some(mut stderr) = child.stderr.take() {
        let captured = Arc::clone(captured);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                append(
                    &captured,
                    Stream::Stderr,
                    &String::from_utf8_lossy(buf.get(..n).unwrap_or_default()),
                );
            }
        });
    }

    match wait_for_addresses(&mut child, &rx, opts.boot_timeout, captured) {
        Ok(addrs) => Ok((child, addrs)),
        Err(e) => {
            terminate(child);
            Err(e)
        }
    }
}

fn wait_for_addresses(
    child: &mut Child,
    rx: &mpsc::Receiver<String>,
    timeout: Duration,
    captured: &Mutex<Captured>,
) -> Result<Addresses, HarnessError> {
    let deadline = Instant::now() + timeout;
    let (mut api, mut console, mut protocol) = (None, None, None);
    let snapshot = || {
        let c = captured.lock().unwrap_or_else(|p| p.into_inner());
        (c.stdout.clone(), c.stderr.clone())
    };
    loop {
        if let (Some(api), Some(console), Some(protocol)) = (api, console, protocol) {
            return Ok(Addresses {
                api,
                console,
                protocol,
            });
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(line) => {
                if let Some(rest) = after(&line, REST_LINE) {
                    api = Some(parse_addr(rest, &line)?);
                } else if let Some(rest) = after(&line, CONSOLE_LINE) {
                    console = Some(parse_addr(rest, &line)?);
                } else if let Some(rest) = after(&line, PROTOCOL_LINE) {
                    protocol = Some(parse_addr(rest, &line)?);
                }
            }
            Err(e) => {
                if let Ok(Some(status)) = child.try_wait() {
                    // Let the reader threads catch the last words.
                    std::thread::sleep(Duration::from_millis(200));
                    let (stdout, stderr) = snapshot();
                    return Err(HarnessError::Exited {
                        status: status.to_string(),
                        stdout,
                        stderr,
                    });
                }
                if Instant::now() >= deadline {
                    let (stdout, stderr) = snapshot();
                    return Err(HarnessError::Boot {
                        waited: timeout,
                        stdout,
                        stderr,
                    });
                }
                if e == RecvTimeoutError::Disconnected {
                    // Stdout closed while the process lives: avoid a busy loop.
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
    }
}

fn after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.find(marker).map(|at| &line[at + marker.len()..])
}

/// `https://127.0.0.1:443`, `http://127.0.0.1:80/` or `127.0.0.1:5000`.
fn parse_addr(text: &str, line: &str) -> Result<SocketAddr, HarnessError> {
    let text = text.trim();
    let text = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .unwrap_or(text);
    let text = text
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    text.parse()
        .map_err(|_| HarnessError::BadAddress(line.to_owned()))
}

/// SIGTERM to the group, up to 10 s for the leader to exit, then SIGKILL to the group (stray
/// workers included) and reap.
fn terminate(mut child: Child) {
    let pgid = child.id();
    signal_group(pgid, "TERM");
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    signal_group(pgid, "KILL");
    let _ = child.wait();
}

fn signal_group(pgid: u32, signal: &str) {
    // The group may already be empty; kill's complaint is not interesting.
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_listening_lines() {
        let line = "REST API listening on https://127.0.0.1:4433";
        assert_eq!(
            parse_addr(after(line, REST_LINE).unwrap(), line).unwrap(),
            "127.0.0.1:4433".parse().unwrap()
        );
        let line = "2024-01-01 INFO LINA console listening on 127.0.0.1:2323";
        assert_eq!(
            parse_addr(after(line, CONSOLE_LINE).unwrap(), line).unwrap(),
            "127.0.0.1:2323".parse().unwrap()
        );
        let line = "REST API listening on http://127.0.0.1:8080/";
        assert_eq!(
            parse_addr(after(line, REST_LINE).unwrap(), line).unwrap(),
            "127.0.0.1:8080".parse().unwrap()
        );
    }

    #[test]
    fn rejects_unparsable_address() {
        let line = "REST API listening on https://localhost:x";
        assert!(matches!(
            parse_addr(after(line, REST_LINE).unwrap(), line),
            Err(HarnessError::BadAddress(_))
        ));
    }

    #[test]
    fn boot_of_a_missing_binary_is_a_spawn_error() {
        let state = StateDir::create().unwrap();
        let captured = Arc::new(Mutex::new(Captured::default()));
        let opts = StackOptions::new("/nonexistent/asa-stack");
        assert!(matches!(
            boot(&opts, state.path(), &captured),
            Err(HarnessError::Spawn(_))
        ));
    }

    #[test]
    fn boot_reports_an_early_exit_with_its_output() {
        let state = StateDir::create().unwrap();
        let captured = Arc::new(Mutex::new(Captured::default()));
        // `false` exits at once with status 1 and prints nothing.
        let opts = StackOptions::new("false");
        assert!(matches!(
            boot(&opts, state.path(), &captured),
            Err(HarnessError::Exited { .. })
        ));
    }
}
