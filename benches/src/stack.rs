//! The daemon under test as a child process: start it on 127.0.0.1 port 0 with a given startup
//! configuration, learn its address from stdout, read process memory, stop it with SIGTERM.

use std::fmt;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What stdout prints once the front-end listens.
const LISTENING: &str = "REST API listening on https://";
/// What stdout prints for the operator console.
const CONSOLE_LISTENING: &str = "LINA console listening on ";

/// Why the stack could not be started, measured or stopped.
#[derive(Debug)]
pub enum StackError {
    /// Writing the state directory or the startup configuration.
    Files(std::io::Error),
    /// The daemon could not be spawned.
    Spawn(std::io::Error),
    /// The daemon exited, or closed stdout, before it printed the listening line.
    ExitedEarly,
    /// No listening line within the limit.
    NotListening(Duration),
    /// The listening line did not end in an address.
    BadListeningLine(String),
    /// `<state>/agent.pid` is missing or unreadable.
    AgentPid(std::io::Error),
    /// `<state>/agent.pid` does not hold a process id.
    BadAgentPid(String),
    /// `/proc/<pid>/status` could not be read or has no VmRSS.
    Memory { pid: u32, reason: String },
}

impl fmt::Display for StackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StackError::Files(e) => write!(f, "preparing the state directory: {e}"),
            StackError::Spawn(e) => write!(f, "spawning the daemon: {e}"),
            StackError::ExitedEarly => {
                write!(f, "the daemon exited before it printed \"{LISTENING}...\"")
            }
            StackError::NotListening(limit) => write!(
                f,
                "the daemon printed no \"{LISTENING}...\" line within {} s",
                limit.as_secs()
            ),
            StackError::BadListeningLine(line) => write!(f, "unreadable listening line {line:?}"),
            StackError::AgentPid(e) => write!(f, "reading <state>/agent.pid: {e}"),
            StackError::BadAgentPid(text) => write!(f, "<state>/agent.pid holds {text:?}"),
            StackError::Memory { pid, reason } => write!(f, "memory of process {pid}: {reason}"),
        }
    }
}

impl std::error::Error for StackError {}

/// How to start the daemon.
#[derive(Debug, Clone)]
pub struct StackOptions {
    /// The daemon binary (`asa-bench-stack`).
    pub program: PathBuf,
    /// A fresh directory: the state directory and the startup configuration go in it.
    pub dir: PathBuf,
    pub admin_password: String,
    /// The startup configuration text, written to `<dir>/big.cfg`; empty: none is given, and
    /// LINA boots its factory configuration (whose admin has `admin_password`).
    pub startup_config: String,
    /// How long to wait for the listening line.
    pub listen_timeout: Duration,
}

/// A running daemon. Dropping it stops it.
#[derive(Debug)]
pub struct Stack {
    child: Child,
    pub api_addr: SocketAddr,
    /// The operator console (`--console 127.0.0.1:0`), when the daemon announced it.
    pub console_addr: Option<SocketAddr>,
    pub state_dir: PathBuf,
    /// When the daemon was spawned.
    pub started: Instant,
    /// From spawn to the listening line.
    pub time_to_listen: Duration,
    /// The daemon's stderr (logs), kept in a file for when something goes wrong.
    pub log_path: PathBuf,
}

impl Stack {
    /// Writes the configuration, spawns the daemon and waits for its listening line.
    pub fn start(options: &StackOptions) -> Result<Stack, StackError> {
        let state_dir = options.dir.join("state");
        std::fs::create_dir_all(&state_dir).map_err(StackError::Files)?;
        let config_path = options.dir.join("big.cfg");
        let factory = options.startup_config.is_empty();
        if !factory {
            // The agent runs only where the configuration says so (`rest-api agent`, with the
            // package the daemon provisions on disk0:).
            let mut config = options.startup_config.trim_end().to_owned();
            config.push_str(
                "\nrest-api image disk0:/asa-restapi-7161-lfbff-k8.SPA\nrest-api agent\n",
            );
            std::fs::write(&config_path, config).map_err(StackError::Files)?;
        }
        let log_path = options.dir.join("daemon.log");
        let log = std::fs::File::create(&log_path).map_err(StackError::Files)?;

        let started = Instant::now();
        let mut command = Command::new(&options.program);
        command
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--console")
            .arg("127.0.0.1:0")
            .arg("--state-dir")
            .arg(&state_dir)
            .arg("--admin-password")
            .arg(&options.admin_password);
        if !factory {
            command.arg("--startup-config").arg(&config_path);
        }
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log));
        // Per-request logging at info would measure the logger; keep the operator's choice.
        if std::env::var_os("RUST_LOG").is_none() {
            command.env("RUST_LOG", "warn");
        }
        let mut child = command.spawn().map_err(StackError::Spawn)?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(StackError::ExitedEarly);
        };
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            // Keep draining stdout for the daemon's whole life so that it never blocks on a
            // full pipe; only the lines sent before the receiver is dropped matter.
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = lines.send(line);
            }
        });

        let listening = wait_for_listening(&received, options.listen_timeout);
        match listening {
            Ok(api_addr) => Ok(Stack {
                child,
                api_addr,
                // The LINA lines follow the listening line at once.
                console_addr: wait_for_console(&received),
                state_dir,
                started,
                time_to_listen: started.elapsed(),
                log_path,
            }),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(e)
            }
        }
    }

    /// The daemon's own process id.
    pub fn daemon_pid(&self) -> u32 {
        self.child.id()
    }

    /// The agent process id, from `<state>/agent.pid`.
    pub fn agent_pid(&self) -> Result<u32, StackError> {
        let text = std::fs::read_to_string(self.state_dir.join("agent.pid"))
            .map_err(StackError::AgentPid)?;
        text.trim()
            .parse()
            .map_err(|_| StackError::BadAgentPid(text.trim().to_owned()))
    }

    /// SIGTERM (graceful shutdown), then SIGKILL if it has not exited within `grace`.
    pub fn stop(&mut self, grace: Duration) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let agent = self.agent_pid().ok();
        signal(self.daemon_pid(), "TERM");
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // The agent process exits when it loses LINA (embedded in the daemon); make sure of it.
        if let Some(pid) = agent
            && Path::new(&format!("/proc/{pid}")).exists()
        {
            std::thread::sleep(Duration::from_millis(200));
            if Path::new(&format!("/proc/{pid}")).exists() {
                signal(pid, "KILL");
            }
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        self.stop(Duration::from_secs(10));
    }
}

fn wait_for_listening(
    lines: &mpsc::Receiver<String>,
    limit: Duration,
) -> Result<SocketAddr, StackError> {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                if let Some(addr) = parse_listening_line(&line) {
                    return addr;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => return Err(StackError::NotListening(limit)),
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(StackError::ExitedEarly),
        }
    }
}

/// The console address from the lines that follow the listening line, up to the protocol line.
fn wait_for_console(lines: &mpsc::Receiver<String>) -> Option<SocketAddr> {
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(5)) {
        if let Some(addr) = line.trim().strip_prefix(CONSOLE_LISTENING) {
            return addr.parse().ok();
        }
        if line.starts_with("LINA protocol listening") {
            return None;
        }
    }
    None
}

/// `Some(address)` for the listening line, `None` for any other line.
pub fn parse_listening_line(line: &str) -> Option<Result<SocketAddr, StackError>> {
    let rest = line.trim().strip_prefix(LISTENING)?;
    let authority = rest.split('/').next().unwrap_or(rest);
    Some(
        authority
            .parse()
            .map_err(|_| StackError::BadListeningLine(line.to_owned())),
    )
}

/// Resident memory of a process, in KiB (`VmRSS` of `/proc/<pid>/status`).
pub fn rss_kib(pid: u32) -> Result<u64, StackError> {
    status_field_kib(pid, "VmRSS:")
}

/// Proportional resident memory of a process, in KiB (`Pss` of `/proc/<pid>/smaps_rollup`):
/// pages shared with other processes (the executable the daemon and the agent process both
/// run) count by share, so the sum over processes counts each page once.
pub fn pss_kib(pid: u32) -> Result<u64, StackError> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).map_err(|e| {
        StackError::Memory {
            pid,
            reason: e.to_string(),
        }
    })?;
    parse_status_kib(&rollup, "Pss:").ok_or_else(|| StackError::Memory {
        pid,
        reason: "no Pss line".to_owned(),
    })
}

/// Peak resident memory of a process, in KiB (`VmHWM`).
pub fn peak_rss_kib(pid: u32) -> Result<u64, StackError> {
    status_field_kib(pid, "VmHWM:")
}

/// CPU time (user + system, all threads) a process has used so far, from `/proc/<pid>/stat`.
/// Linux reports it in clock ticks of `USER_HZ`, which is 100 on every architecture it
/// exports to user space: 10 ms resolution, so a measured period of seconds at thousands of
/// requests a second gives a per-request figure to well under 1%.
pub fn cpu_time(pid: u32) -> Result<Duration, StackError> {
    let stat =
        std::fs::read_to_string(format!("/proc/{pid}/stat")).map_err(|e| StackError::Memory {
            pid,
            reason: e.to_string(),
        })?;
    parse_stat_cpu_ticks(&stat)
        .map(|ticks| Duration::from_millis(ticks.saturating_mul(10)))
        .ok_or_else(|| StackError::Memory {
            pid,
            reason: "unreadable /proc/<pid>/stat".to_owned(),
        })
}

/// `utime + stime` of a `/proc/<pid>/stat` line: fields 14 and 15, counted after the command
/// name in parentheses (which may itself hold spaces or parentheses).
fn parse_stat_cpu_ticks(stat: &str) -> Option<u64> {
    let (_, after) = stat.rsplit_once(')')?;
    let mut fields = after.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(user.saturating_add(system))
}

fn status_field_kib(pid: u32, field: &str) -> Result<u64, StackError> {
    let status =
        std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| StackError::Memory {
            pid,
            reason: e.to_string(),
        })?;
    parse_status_kib(&status, field).ok_or_else(|| StackError::Memory {
        pid,
        reason: format!("no {field} line"),
    })
}

/// The value in KiB of a `Field:   1234 kB` line of a `/proc/<pid>/status` text.
pub fn parse_status_kib(status: &str, field: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// Sends a signal with the system's `kill` (the benches need no libc binding for this).
fn signal(pid: u32, name: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listening_line_gives_the_address() {
        let parsed = parse_listening_line("REST API listening on https://127.0.0.1:43211");
        assert_eq!(
            parsed.map(|r| r.ok()),
            Some(Some("127.0.0.1:43211".parse().expect("addr")))
        );
    }

    #[test]
    fn other_lines_are_skipped_and_a_bad_address_is_an_error() {
        assert!(parse_listening_line("LINA console listening on 127.0.0.1:2323").is_none());
        assert!(matches!(
            parse_listening_line("REST API listening on https://nowhere"),
            Some(Err(StackError::BadListeningLine(_)))
        ));
    }

    #[test]
    fn status_fields_are_read_in_kib() {
        let status = "Name:\tagent\nVmHWM:\t   41000 kB\nVmRSS:\t   38512 kB\nThreads:\t3\n";
        assert_eq!(parse_status_kib(status, "VmRSS:"), Some(38_512));
        assert_eq!(parse_status_kib(status, "VmHWM:"), Some(41_000));
        assert_eq!(parse_status_kib(status, "VmSwap:"), None);
    }

    #[test]
    fn stat_cpu_is_user_plus_system_after_the_command_name() {
        // A command name with a space and a parenthesis must not shift the fields.
        let stat = "4242 (agent (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 37 0 0 20 0 9 0";
        assert_eq!(parse_stat_cpu_ticks(stat), Some(287));
        assert_eq!(parse_stat_cpu_ticks("4242 (agent) S 1"), None);
    }

    #[test]
    fn own_process_has_used_some_cpu() {
        let spin = std::time::Instant::now();
        while spin.elapsed() < Duration::from_millis(30) {
            std::hint::black_box(0u64);
        }
        assert!(cpu_time(std::process::id()).expect("own stat") > Duration::ZERO);
    }

    #[test]
    fn own_process_has_a_proportional_size_no_larger_than_its_resident_size() {
        let pss = pss_kib(std::process::id()).expect("own smaps_rollup");
        assert!(pss > 0);
        assert!(pss <= rss_kib(std::process::id()).expect("own status") + 64);
    }

    #[test]
    fn own_process_has_a_resident_size() {
        let kib = rss_kib(std::process::id()).expect("own status");
        assert!(kib > 0);
    }
}
