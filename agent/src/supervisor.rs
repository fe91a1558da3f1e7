//! The supervisor of the agent process: spawns it, waits for its `READY` line (each `LOADING` line
//! the process prints while it reads a large configuration starts the ready timeout again),
//! restarts it when it dies, gives up after five failed starts in a row, and reports each step as syslog 342001-342004.
//! It obeys LINA's controls ([`follow_lina`]): `Stop` (`no rest-api agent`) kills the process and
//! leaves it `Disabled`, `Start` (`rest-api agent`) starts it again, `Restart` does both.
//!
//! States: `Starting` (first spawn), `Ready` (serving at an address), `Restarting` (a later spawn),
//! `GaveUp` (five failed starts in a row; nothing more is tried until a control), `Disabled`
//! (stopped by LINA), `Stopped` (after `shutdown`).

use std::ffi::OsString;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::time::Duration;

use cli_translator::protocol::{AgentControl, DebugCategory, LogEvent};
use syslog::{Level, Message};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, sleep_until, timeout};

use crate::debug;
use crate::lina_client::{LinaAddr, LinaClient};

/// Environment variables the agent process reads.
pub const ENV_SECRET: &str = "ASA_AGENT_SECRET";
pub const ENV_LINA: &str = "ASA_AGENT_LINA";
pub const ENV_LISTEN: &str = "ASA_AGENT_LISTEN";
pub const ENV_CONFIG: &str = "ASA_AGENT_CONFIG";

/// Syslog ids of the agent life cycle.
const STARTED: u32 = 342001;
const FAILED: u32 = 342002;
const RESTARTING: u32 = 342003;
const GAVE_UP: u32 = 342004;

/// How long a process stopped by a control keeps serving before it is killed: LINA pushes the
/// control as it applies the command, so the request that carried the command (a
/// `no rest-api agent` or `mode multiple` through `/api/cli`) still gets its answer.
const STOP_DRAIN: Duration = Duration::from_millis(500);

/// A ready agent process: where it serves and the secret that authenticates the channel to it.
#[derive(Clone, PartialEq, Eq)]
pub struct ReadyAgent {
    pub addr: SocketAddr,
    secret: Arc<str>,
    /// The forms each forwarded request carries, built once per process rather than per
    /// request: `None` only if the secret is no header value (it is hex: never).
    secret_header: Option<hyper::header::HeaderValue>,
    authority: Option<hyper::http::uri::Authority>,
}

impl ReadyAgent {
    pub fn new(addr: SocketAddr, secret: String) -> ReadyAgent {
        ReadyAgent {
            addr,
            secret_header: hyper::header::HeaderValue::from_str(&secret).ok(),
            authority: addr.to_string().parse().ok(),
            secret: secret.into(),
        }
    }

    /// `x-asa-channel-secret`'s value, ready to insert.
    pub fn secret_header(&self) -> Option<&hyper::header::HeaderValue> {
        self.secret_header.as_ref()
    }

    /// `addr` as a URI authority.
    pub fn authority(&self) -> Option<&hyper::http::uri::Authority> {
        self.authority.as_ref()
    }

    /// The value of `x-asa-channel-secret` for this process.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

/// Never prints the secret.
impl fmt::Debug for ReadyAgent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadyAgent")
            .field("addr", &self.addr)
            .field("secret", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentState {
    Starting,
    Ready(ReadyAgent),
    Restarting,
    GaveUp,
    /// `no rest-api agent`: no process until LINA says `Start`.
    Disabled,
    Stopped,
}

/// The program the supervisor runs as the agent process. Injectable so tests can run
/// `/bin/false` or a shell one-liner instead of `agent worker`.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
}

impl WorkerCommand {
    pub fn new(program: impl Into<PathBuf>) -> WorkerCommand {
        WorkerCommand {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> WorkerCommand {
        self.args.push(arg.into());
        self
    }

    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> WorkerCommand {
        self.env.push((key.into(), value.into()));
        self
    }

    /// `<this executable> worker`, talking to LINA at `lina`, listening on 127.0.0.1:0, with
    /// `config` (JSON) as `ASA_AGENT_CONFIG`. The secret is added per spawn.
    pub fn agent_worker(lina: SocketAddr, config: String) -> io::Result<WorkerCommand> {
        Ok(WorkerCommand::new(std::env::current_exe()?)
            .arg("worker")
            .env(ENV_LINA, lina.to_string())
            .env(ENV_LISTEN, "127.0.0.1:0")
            .env(ENV_CONFIG, config))
    }
}

/// How the supervisor behaves; `new` gives the production values.
#[derive(Debug, Clone)]
pub struct SupervisorOptions {
    pub command: WorkerCommand,
    /// Where the running agent process's pid is written (tests `kill -9` it).
    pub pid_file: Option<PathBuf>,
    /// How long a start may take before the process is killed (20 s).
    pub ready_timeout: Duration,
    /// The pause after a failed start (1 s); a ready process that dies is restarted at once.
    pub retry_delay: Duration,
    /// Failed starts in a row before giving up (5).
    pub max_failed_starts: u32,
    /// A ready process that dies this many times within [`SupervisorOptions::crash_window`]
    /// is in a crash loop: the supervisor gives up (342004) as after failed starts (5).
    pub max_crashes: u32,
    /// See `max_crashes` (5 s).
    pub crash_window: Duration,
    /// Whether to start the agent at once (true) or wait for a `Start` control.
    pub enabled: bool,
}

impl SupervisorOptions {
    pub fn new(command: WorkerCommand) -> SupervisorOptions {
        SupervisorOptions {
            command,
            pid_file: None,
            ready_timeout: Duration::from_secs(20),
            retry_delay: Duration::from_secs(1),
            max_failed_starts: 5,
            max_crashes: 5,
            crash_window: Duration::from_secs(5),
            enabled: true,
        }
    }
}

/// Where the supervisor's syslog messages go.
pub trait LogSink: Send + Sync {
    /// Must not block: the supervisor calls it between process events.
    fn log(&self, message: Message);
}

/// The running supervisor task.
#[derive(Debug)]
pub struct Supervisor {
    state: watch::Receiver<AgentState>,
    stop: watch::Sender<bool>,
    controls: mpsc::UnboundedSender<AgentControl>,
    task: JoinHandle<()>,
}

impl Supervisor {
    /// Spawns the supervision task (and at once the first agent process, if enabled).
    pub fn start(options: SupervisorOptions, sink: Arc<dyn LogSink>) -> Supervisor {
        let initial = if options.enabled {
            AgentState::Starting
        } else {
            AgentState::Disabled
        };
        let (state_tx, state) = watch::channel(initial);
        let (stop, stop_rx) = watch::channel(false);
        let (controls, controls_rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(supervise(options, sink, state_tx, stop_rx, controls_rx));
        Supervisor {
            state,
            stop,
            controls,
            task,
        }
    }

    /// Where controls go (LINA's, through [`follow_lina`], or a test's).
    pub fn controls(&self) -> mpsc::UnboundedSender<AgentControl> {
        self.controls.clone()
    }

    /// The current state, updated on every transition.
    pub fn state(&self) -> watch::Receiver<AgentState> {
        self.state.clone()
    }

    /// Kills the agent process and ends supervision.
    pub async fn shutdown(self) {
        self.stop.send_replace(true);
        if let Err(e) = self.task.await {
            tracing::error!("supervisor task failed: {e}");
        }
    }
}

/// How one start attempt ended.
enum Start {
    Ready(Box<Running>),
    Failed(String),
    Stopped,
    /// A `Stop` or `Restart` control arrived; the process was killed.
    Control(AgentControl),
}

/// How a period of running (or trying to) ended.
enum Period {
    /// `shutdown`.
    Stopped,
    /// `Stop`: wait for a `Start`.
    Disabled,
    /// `Restart`, or `Start` after giving up: a fresh period.
    Restart,
}

/// A process that said READY.
struct Running {
    child: Child,
    agent: ReadyAgent,
}

async fn supervise(
    options: SupervisorOptions,
    sink: Arc<dyn LogSink>,
    state: watch::Sender<AgentState>,
    mut stop: watch::Receiver<bool>,
    mut controls: mpsc::UnboundedReceiver<AgentControl>,
) {
    let mut enabled = options.enabled;
    loop {
        if !enabled {
            state.send_replace(AgentState::Disabled);
            debug::event(DebugCategory::Process, || {
                "agent disabled: waiting for 'rest-api agent'".to_owned()
            });
            let wake = tokio::select! {
                _ = stopped(&mut stop) => None,
                control = wait_for_start(&mut controls) => control,
            };
            if wake.is_none() {
                break;
            }
        }
        match run_period(&options, &sink, &state, &mut stop, &mut controls).await {
            Period::Stopped => break,
            Period::Disabled => enabled = false,
            Period::Restart => enabled = true,
        }
    }
    if let Some(path) = &options.pid_file {
        // The file may never have been written; nothing to report then.
        let _ = std::fs::remove_file(path);
    }
    state.send_replace(AgentState::Stopped);
}

/// Resolves at the first `Start` (a `Restart` does not start a disabled agent); `None` if the
/// sender is gone.
async fn wait_for_start(controls: &mut mpsc::UnboundedReceiver<AgentControl>) -> Option<()> {
    loop {
        match controls.recv().await? {
            AgentControl::Start => return Some(()),
            AgentControl::Stop | AgentControl::Restart => {}
        }
    }
}

/// Starts the agent and keeps it running (restarting it when it dies, giving up after the
/// failed starts in a row) until a shutdown or a control ends the period.
async fn run_period(
    options: &SupervisorOptions,
    sink: &Arc<dyn LogSink>,
    state: &watch::Sender<AgentState>,
    stop: &mut watch::Receiver<bool>,
    controls: &mut mpsc::UnboundedReceiver<AgentControl>,
) -> Period {
    let mut failed_in_a_row = 0u32;
    let mut first = true;
    // When ready processes died lately (a crash loop gives up as failed starts do).
    let mut crashes: std::collections::VecDeque<Instant> = std::collections::VecDeque::new();
    loop {
        state.send_replace(if first {
            AgentState::Starting
        } else {
            AgentState::Restarting
        });
        first = false;
        debug::event(DebugCategory::Process, || {
            "starting the agent process".to_owned()
        });
        match start_once(options, stop, controls).await {
            Start::Ready(mut running) => {
                failed_in_a_row = 0;
                tracing::info!(addr = %running.agent.addr, "agent process ready");
                debug::event(DebugCategory::Process, || {
                    format!("agent process ready at {}", running.agent.addr)
                });
                sink.log(syslog_message(STARTED, &[]));
                state.send_replace(AgentState::Ready(running.agent.clone()));
                loop {
                    let event = tokio::select! {
                        _ = stopped(stop) => RunEvent::Stop,
                        status = running.child.wait() => RunEvent::Died(status),
                        control = controls.recv() => RunEvent::Control(control),
                    };
                    match event {
                        RunEvent::Stop | RunEvent::Control(None) => {
                            kill(&mut running.child).await;
                            return Period::Stopped;
                        }
                        RunEvent::Control(Some(AgentControl::Start)) => continue,
                        RunEvent::Control(Some(control)) => {
                            debug::event(DebugCategory::Process, || {
                                format!("stopping the agent process ({control:?})")
                            });
                            // Requests in flight finish; a shutdown or the process's own end
                            // cuts the drain short.
                            tokio::select! {
                                _ = sleep(STOP_DRAIN) => {}
                                _ = stopped(stop) => {}
                                _ = running.child.wait() => {}
                            }
                            kill(&mut running.child).await;
                            return after_control(control);
                        }
                        RunEvent::Died(status) => {
                            tracing::warn!("agent process died: {}", describe(&status));
                            debug::error(DebugCategory::Process, || {
                                format!("agent process died: {}", describe(&status))
                            });
                            sink.log(syslog_message(RESTARTING, &[]));
                            let now = Instant::now();
                            crashes.push_back(now);
                            while crashes
                                .front()
                                .is_some_and(|t| now.duration_since(*t) > options.crash_window)
                            {
                                crashes.pop_front();
                            }
                            if crashes.len() >= options.max_crashes as usize {
                                tracing::warn!(
                                    "agent process died {} times within {}: crash loop",
                                    crashes.len(),
                                    seconds(options.crash_window)
                                );
                                return give_up(sink, state, stop, controls).await;
                            }
                            break;
                        }
                    }
                }
            }
            Start::Failed(reason) => {
                tracing::warn!("agent process failed to start: {reason}");
                debug::error(DebugCategory::Process, || {
                    format!("agent process failed to start: {reason}")
                });
                sink.log(syslog_message(FAILED, &[&reason]));
                failed_in_a_row += 1;
                if failed_in_a_row >= options.max_failed_starts {
                    return give_up(sink, state, stop, controls).await;
                }
                state.send_replace(AgentState::Restarting);
                tokio::select! {
                    _ = stopped(stop) => return Period::Stopped,
                    _ = sleep(options.retry_delay) => {}
                }
            }
            Start::Stopped => return Period::Stopped,
            Start::Control(control) => return after_control(control),
        }
    }
}

/// Logs 342004 and waits: only a control (or shutdown) moves on: `no rest-api agent` then
/// `rest-api agent`, as 342004 says, or a restart.
async fn give_up(
    sink: &Arc<dyn LogSink>,
    state: &watch::Sender<AgentState>,
    stop: &mut watch::Receiver<bool>,
    controls: &mut mpsc::UnboundedReceiver<AgentControl>,
) -> Period {
    sink.log(syslog_message(GAVE_UP, &[]));
    state.send_replace(AgentState::GaveUp);
    tokio::select! {
        _ = stopped(stop) => Period::Stopped,
        control = controls.recv() => match control {
            None => Period::Stopped,
            Some(AgentControl::Stop) => Period::Disabled,
            Some(AgentControl::Start | AgentControl::Restart) => Period::Restart,
        },
    }
}

/// What happens after the process was killed for a control.
fn after_control(control: AgentControl) -> Period {
    match control {
        AgentControl::Stop => Period::Disabled,
        AgentControl::Start | AgentControl::Restart => Period::Restart,
    }
}

/// What ended the wait on a ready process.
enum RunEvent {
    Stop,
    Died(io::Result<ExitStatus>),
    Control(Option<AgentControl>),
}

/// Spawns the process and waits for `READY <addr>` on its stdout, its exit, the timeout or a stop.
async fn start_once(
    options: &SupervisorOptions,
    stop: &mut watch::Receiver<bool>,
    controls: &mut mpsc::UnboundedReceiver<AgentControl>,
) -> Start {
    let secret = match new_secret() {
        Ok(secret) => secret,
        Err(e) => return Start::Failed(format!("no channel secret could be generated: {e}")),
    };
    let command = &options.command;
    let mut spawn = Command::new(&command.program);
    // Its own process group: a Ctrl-C at the terminal reaches the daemon only, which then
    // stops the agent process itself (instead of seeing it die and logging 342003).
    #[cfg(unix)]
    spawn.process_group(0);
    let mut child = match spawn
        .args(&command.args)
        .envs(command.env.iter().map(|(k, v)| (k, v)))
        .env(ENV_SECRET, &secret)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return Start::Failed(format!("the process could not be started: {e}")),
    };
    if let (Some(path), Some(pid)) = (&options.pid_file, child.id())
        && let Err(e) = std::fs::write(path, format!("{pid}\n"))
    {
        tracing::warn!("cannot write {}: {e}", path.display());
    }
    let Some(stdout) = child.stdout.take() else {
        kill(&mut child).await;
        return Start::Failed("the process has no stdout".to_owned());
    };
    let mut lines = BufReader::new(stdout).lines();
    let mut deadline = Instant::now() + options.ready_timeout;
    let mut stdout_open = true;
    loop {
        let event = tokio::select! {
            biased;
            _ = stopped(stop) => StartEvent::Stop,
            control = controls.recv() => StartEvent::Control(control),
            line = lines.next_line(), if stdout_open => StartEvent::Line(line),
            status = child.wait() => StartEvent::Exited(status),
            _ = sleep_until(deadline) => StartEvent::Timeout,
        };
        let failure = match event {
            StartEvent::Stop | StartEvent::Control(None) => {
                kill(&mut child).await;
                return Start::Stopped;
            }
            StartEvent::Control(Some(AgentControl::Start)) => continue,
            StartEvent::Control(Some(control)) => {
                kill(&mut child).await;
                return Start::Control(control);
            }
            StartEvent::Line(Ok(Some(line))) => match line.strip_prefix("READY ") {
                Some(addr) => match addr.trim().parse::<SocketAddr>() {
                    Ok(addr) => {
                        tokio::spawn(drain(lines.into_inner()));
                        let agent = ReadyAgent::new(addr, secret);
                        return Start::Ready(Box::new(Running { child, agent }));
                    }
                    Err(_) => "the process announced an unreadable address".to_owned(),
                },
                // issue 13: no ceiling. Still loading a large configuration: a new deadline.
                None if line.trim() == crate::api::LOADING_LINE => {
                    deadline = Instant::now() + options.ready_timeout;
                    continue;
                }
                None => {
                    tracing::debug!("agent process stdout: {line}");
                    continue;
                }
            },
            StartEvent::Line(Ok(None) | Err(_)) => {
                stdout_open = false;
                continue;
            }
            StartEvent::Exited(status) => {
                return Start::Failed(format!("{} before it was ready", describe(&status)));
            }
            StartEvent::Timeout => format!("not ready within {}", seconds(options.ready_timeout)),
        };
        kill(&mut child).await;
        return Start::Failed(failure);
    }
}

/// What happened while waiting for `READY`.
enum StartEvent {
    Stop,
    Control(Option<AgentControl>),
    Line(io::Result<Option<String>>),
    Exited(io::Result<ExitStatus>),
    Timeout,
}

/// Resolves when a stop is asked for (or the supervisor handle is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    // An error means the sender is dropped: nobody can ask any more, so stop as well.
    let _ = stop.wait_for(|stop| *stop).await;
}

async fn kill(child: &mut Child) {
    if let Err(e) = child.kill().await {
        tracing::warn!("cannot kill the agent process: {e}");
    }
}

/// Reads (and drops) whatever the ready process still writes on stdout, so it never blocks.
async fn drain(stdout: BufReader<ChildStdout>) {
    let mut lines = stdout.lines();
    while let Ok(Some(line)) = lines.next_line().await {
        tracing::debug!("agent process stdout: {line}");
    }
}

/// `process exited with status 1`, `process was killed by signal 9`.
fn describe(status: &io::Result<ExitStatus>) -> String {
    match status {
        Ok(status) => match status.code() {
            Some(code) => format!("process exited with status {code}"),
            None => match signal_of(status) {
                Some(signal) => format!("process was killed by signal {signal}"),
                None => "process ended".to_owned(),
            },
        },
        Err(e) => format!("process could not be waited for: {e}"),
    }
}

#[cfg(unix)]
fn signal_of(status: &ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(status)
}

#[cfg(not(unix))]
fn signal_of(_: &ExitStatus) -> Option<i32> {
    None
}

/// `20 seconds`, or milliseconds for shorter test timeouts.
fn seconds(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{} seconds", duration.as_secs())
    } else {
        format!("{} milliseconds", duration.as_millis())
    }
}

/// 32 random bytes, hex-encoded.
fn new_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The catalogued message; the catalogue holds all four ids, the fallback only keeps this total.
fn syslog_message(id: u32, args: &[&str]) -> Message {
    Message::from_catalogue(id, args)
        .unwrap_or_else(|| Message::new(id, Level::Errors, args.join(" ")))
}

/// Sends the supervisor's messages to LINA over a connection of its own (peer `rest-daemon/<ver>`),
/// reconnecting as needed; when LINA cannot be reached the formatted line goes to stderr.
#[derive(Debug, Clone)]
pub struct LinaLogSink {
    tx: mpsc::UnboundedSender<Message>,
}

impl LinaLogSink {
    /// Starts the forwarding task (needs a tokio runtime).
    pub fn spawn(lina: LinaAddr) -> LinaLogSink {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(forward_logs(lina, rx));
        LinaLogSink { tx }
    }
}

impl LogSink for LinaLogSink {
    fn log(&self, message: Message) {
        if let Err(unsent) = self.tx.send(message) {
            eprintln!("{}", unsent.0);
        }
    }
}

/// The peer name the front-end and supervisor use towards LINA.
pub fn daemon_peer() -> String {
    format!("rest-daemon/{}", env!("CARGO_PKG_VERSION"))
}

async fn forward_logs(lina: LinaAddr, mut rx: mpsc::UnboundedReceiver<Message>) {
    let mut client: Option<LinaClient> = None;
    while let Some(message) = rx.recv().await {
        let event = LogEvent {
            message_id: message.id,
            level: message.level.as_u8(),
            body: message.body.clone(),
        };
        let mut delivered = false;
        // One retry on a fresh connection when the kept one turns out dead.
        for _ in 0..2 {
            if client.is_none() {
                client = connect(&lina).await;
            }
            let Some(connected) = &client else { break };
            match connected.log(event.clone()).await {
                Ok(()) => {
                    delivered = true;
                    break;
                }
                Err(e) => {
                    tracing::debug!("syslog to LINA failed: {e}");
                    client = None;
                }
            }
        }
        if !delivered {
            eprintln!("{message}");
        }
    }
}

/// The daemon's subscription to LINA: the connection, its queue of controls, and LINA's answer
/// to `WatchAgent` (the current `Start` or `Stop`; `None` from a LINA that does not know the
/// request, which means: run the agent).
#[derive(Debug)]
pub struct LinaControls {
    client: LinaClient,
    controls: mpsc::UnboundedReceiver<AgentControl>,
    pub initial: Option<AgentControl>,
}

impl LinaControls {
    /// Connects as `rest-daemon/<ver>` and sends `WatchAgent`; `None` when LINA cannot be
    /// reached.
    pub async fn connect(lina: &LinaAddr) -> Option<LinaControls> {
        let client = connect(lina).await?;
        let controls = client.take_controls()?;
        let initial = match client.watch_agent().await {
            Ok(control) => Some(control),
            Err(crate::lina_client::LinaError::Protocol(e)) => {
                tracing::warn!("LINA does not report the agent's life cycle: {}", e.detail);
                None
            }
            Err(e) => {
                tracing::debug!("cannot follow the agent's life cycle at {lina}: {e}");
                return None;
            }
        };
        Some(LinaControls {
            client,
            controls,
            initial,
        })
    }

    /// Whether LINA wants the agent running now.
    pub fn enabled(&self) -> bool {
        self.initial != Some(AgentControl::Stop)
    }

    /// The connection (the daemon's debug lines go through it).
    pub fn client(&self) -> &LinaClient {
        &self.client
    }
}

/// Forwards LINA's controls to the supervisor for as long as it runs: from `first` (if any),
/// then from fresh subscriptions, retried every second while LINA is unreachable. A fresh
/// subscription's initial control re-synchronises the supervisor.
pub async fn follow_lina(
    lina: LinaAddr,
    first: Option<LinaControls>,
    supervisor: mpsc::UnboundedSender<AgentControl>,
) {
    let mut next = first;
    loop {
        if let Some(LinaControls {
            client,
            mut controls,
            initial,
        }) = next.take()
        {
            if let Some(control) = initial
                && supervisor.send(control).is_err()
            {
                return;
            }
            let closed = client.closed();
            tokio::pin!(closed);
            loop {
                let control = tokio::select! {
                    _ = &mut closed => break,
                    _ = supervisor.closed() => return,
                    control = controls.recv() => control,
                };
                match control {
                    Some(control) => {
                        tracing::info!("LINA asks the agent to {control:?}");
                        if supervisor.send(control).is_err() {
                            return;
                        }
                    }
                    None => break,
                }
            }
        }
        tokio::select! {
            _ = supervisor.closed() => return,
            _ = sleep(Duration::from_secs(1)) => {}
        }
        next = LinaControls::connect(&lina).await;
    }
}

async fn connect(lina: &LinaAddr) -> Option<LinaClient> {
    match timeout(
        Duration::from_secs(2),
        LinaClient::connect(lina.addr, &daemon_peer(), lina.secret.as_deref()),
    )
    .await
    {
        Ok(Ok((client, _facts))) => Some(client),
        Ok(Err(e)) => {
            tracing::debug!("cannot reach LINA at {lina}: {e}");
            None
        }
        Err(_) => {
            tracing::debug!("cannot reach LINA at {lina}: timed out");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Records messages; a std Mutex is fine: no `.await` while it is held.
    #[derive(Default)]
    struct FakeSink(Mutex<Vec<Message>>);

    impl LogSink for FakeSink {
        fn log(&self, message: Message) {
            self.0.lock().unwrap().push(message);
        }
    }

    impl FakeSink {
        fn ids(&self) -> Vec<u32> {
            self.0.lock().unwrap().iter().map(|m| m.id).collect()
        }

        fn bodies(&self) -> Vec<String> {
            self.0
                .lock()
                .unwrap()
                .iter()
                .map(|m| m.body.clone())
                .collect()
        }
    }

    use crate::test_support::Scratch;

    fn scratch_dir(name: &str) -> Scratch {
        crate::test_support::scratch_dir("agent-supervisor", name)
    }

    fn sh(script: &str) -> WorkerCommand {
        WorkerCommand::new("/bin/sh").arg("-c").arg(script)
    }

    fn fast(command: WorkerCommand) -> SupervisorOptions {
        SupervisorOptions {
            retry_delay: Duration::ZERO,
            ready_timeout: Duration::from_secs(10),
            ..SupervisorOptions::new(command)
        }
    }

    async fn wait_for(
        state: &mut watch::Receiver<AgentState>,
        what: impl FnMut(&AgentState) -> bool,
    ) -> AgentState {
        timeout(Duration::from_secs(20), state.wait_for(what))
            .await
            .expect("state not reached in time")
            .expect("supervisor gone")
            .clone()
    }

    fn is_ready(state: &AgentState) -> bool {
        matches!(state, AgentState::Ready(_))
    }

    #[tokio::test]
    async fn five_failed_starts_log_342002_five_times_then_342004() {
        let sink = Arc::new(FakeSink::default());
        let supervisor = Supervisor::start(fast(WorkerCommand::new("/bin/false")), sink.clone());
        let mut state = supervisor.state();
        wait_for(&mut state, |s| *s == AgentState::GaveUp).await;
        assert_eq!(
            sink.ids(),
            [FAILED, FAILED, FAILED, FAILED, FAILED, GAVE_UP]
        );
        assert_eq!(
            sink.bodies()[0],
            "REST API Agent failed, reason: process exited with status 1 before it was ready"
        );
        assert!(sink.bodies()[5].starts_with("Failed to automatically restart"));
        // No sixth attempt.
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(sink.ids().len(), 6);
        supervisor.shutdown().await;
    }

    #[tokio::test]
    async fn ready_line_makes_the_agent_ready_and_logs_342001() {
        let dir = scratch_dir("ready");
        let sink = Arc::new(FakeSink::default());
        let mut options = fast(sh("echo READY 127.0.0.1:1; exec sleep 60"));
        options.pid_file = Some(dir.join("agent.pid"));
        let supervisor = Supervisor::start(options, sink.clone());
        let mut state = supervisor.state();
        let AgentState::Ready(agent) = wait_for(&mut state, is_ready).await else {
            unreachable!()
        };
        assert_eq!(agent.addr, "127.0.0.1:1".parse().unwrap());
        assert_eq!(agent.secret().len(), 64);
        assert!(agent.secret().chars().all(|c| c.is_ascii_hexdigit()));
        assert!(!format!("{agent:?}").contains(agent.secret()));
        assert_eq!(sink.ids(), [STARTED]);
        assert_eq!(sink.bodies()[0], "REST API Agent started successfully.");

        let pid = std::fs::read_to_string(dir.join("agent.pid")).unwrap();
        let proc_dir = PathBuf::from(format!("/proc/{}", pid.trim()));
        assert!(proc_dir.exists());

        supervisor.shutdown().await;
        assert_eq!(*state.borrow(), AgentState::Stopped);
        assert!(!dir.join("agent.pid").exists());
        // Killed and reaped.
        assert!(!proc_dir.exists());
    }

    #[tokio::test]
    async fn lifecycle_logs_342002_342001_342003_then_gives_up_after_five_more() {
        let dir = scratch_dir("lifecycle");
        let counter = dir.join("runs");
        // Run 1 fails, run 2 is ready then dies, runs 3.. fail.
        let script = format!(
            "n=$(cat {c} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {c}; \
             if [ $n -eq 2 ]; then echo READY 127.0.0.1:9; sleep 0.2; exit 0; fi; exit 3",
            c = counter.display()
        );
        let sink = Arc::new(FakeSink::default());
        let supervisor = Supervisor::start(fast(sh(&script)), sink.clone());
        let mut state = supervisor.state();
        wait_for(&mut state, |s| *s == AgentState::GaveUp).await;
        assert_eq!(
            sink.ids(),
            [
                FAILED, STARTED, RESTARTING, FAILED, FAILED, FAILED, FAILED, FAILED, GAVE_UP
            ]
        );
        assert_eq!(
            sink.bodies()[0],
            "REST API Agent failed, reason: process exited with status 3 before it was ready"
        );
        assert_eq!(
            sink.bodies()[2],
            "REST API Agent failure notification received. Agent will be restarted automatically."
        );
        assert_eq!(std::fs::read_to_string(&counter).unwrap().trim(), "7");
        supervisor.shutdown().await;
    }

    #[tokio::test]
    async fn five_deaths_after_ready_within_the_window_are_a_crash_loop() {
        let sink = Arc::new(FakeSink::default());
        // Ready, then dead at once, every time.
        let mut options = fast(sh("echo READY 127.0.0.1:9; exit 1"));
        options.crash_window = Duration::from_secs(60);
        let supervisor = Supervisor::start(options, sink.clone());
        let mut state = supervisor.state();
        wait_for(&mut state, |s| *s == AgentState::GaveUp).await;
        let mut expected = Vec::new();
        for _ in 0..5 {
            expected.extend([STARTED, RESTARTING]);
        }
        expected.push(GAVE_UP);
        assert_eq!(sink.ids(), expected);
        // As 342004 says: `rest-api agent` starts it again.
        supervisor.controls().send(AgentControl::Start).unwrap();
        wait_for(&mut state, is_ready).await;
        supervisor.shutdown().await;
    }

    #[tokio::test]
    async fn killed_ready_agent_is_restarted_at_once() {
        let dir = scratch_dir("kill");
        let sink = Arc::new(FakeSink::default());
        let mut options = fast(sh("echo READY 127.0.0.1:2; exec sleep 60"));
        options.pid_file = Some(dir.join("agent.pid"));
        options.retry_delay = Duration::from_secs(60);
        let supervisor = Supervisor::start(options, sink.clone());
        let mut state = supervisor.state();
        wait_for(&mut state, is_ready).await;
        let pid = std::fs::read_to_string(dir.join("agent.pid")).unwrap();
        let status = std::process::Command::new("kill")
            .args(["-9", pid.trim()])
            .status()
            .unwrap();
        assert!(status.success());
        wait_for(&mut state, |s| *s == AgentState::Restarting).await;
        wait_for(&mut state, is_ready).await;
        assert_eq!(sink.ids(), [STARTED, RESTARTING, STARTED]);
        let new_pid = std::fs::read_to_string(dir.join("agent.pid")).unwrap();
        assert_ne!(pid, new_pid);
        supervisor.shutdown().await;
    }

    // issue 13: no ceiling
    #[tokio::test]
    async fn a_process_still_loading_gets_more_time() {
        let sink = Arc::new(FakeSink::default());
        // Ready after 0.6 s, twice the timeout, saying LOADING every 0.1 s meanwhile.
        let mut options = fast(sh(
            "for i in 1 2 3 4 5 6; do echo LOADING; sleep 0.1; done; echo READY 127.0.0.1:4; exec sleep 60",
        ));
        options.ready_timeout = Duration::from_millis(300);
        options.max_failed_starts = 1;
        let supervisor = Supervisor::start(options, sink.clone());
        let mut state = supervisor.state();
        wait_for(&mut state, is_ready).await;
        assert_eq!(sink.ids(), [STARTED]);
        supervisor.shutdown().await;
    }

    #[tokio::test]
    async fn silent_process_is_killed_after_the_ready_timeout() {
        let dir = scratch_dir("timeout");
        let sink = Arc::new(FakeSink::default());
        let mut options = fast(sh("exec sleep 60"));
        options.ready_timeout = Duration::from_millis(300);
        options.max_failed_starts = 1;
        options.pid_file = Some(dir.join("agent.pid"));
        let supervisor = Supervisor::start(options, sink.clone());
        let mut state = supervisor.state();
        wait_for(&mut state, |s| *s == AgentState::GaveUp).await;
        assert_eq!(sink.ids(), [FAILED, GAVE_UP]);
        assert_eq!(
            sink.bodies()[0],
            "REST API Agent failed, reason: not ready within 300 milliseconds"
        );
        let pid = std::fs::read_to_string(dir.join("agent.pid")).unwrap();
        assert!(!PathBuf::from(format!("/proc/{}", pid.trim())).exists());
        supervisor.shutdown().await;
    }

    #[tokio::test]
    async fn passes_the_environment_and_a_fresh_secret() {
        let command =
            sh("echo \"READY 127.0.0.1:${#ASA_AGENT_SECRET}\"; exec sleep 60").env("UNUSED", "x");
        let sink = Arc::new(FakeSink::default());
        let supervisor = Supervisor::start(fast(command), sink.clone());
        let mut state = supervisor.state();
        let AgentState::Ready(agent) = wait_for(&mut state, is_ready).await else {
            unreachable!()
        };
        // The port is the secret's length: 32 bytes in hex.
        assert_eq!(agent.addr.port(), 64);
        supervisor.shutdown().await;

        let command =
            sh("echo \"READY $ASA_AGENT_LISTEN\"; exec sleep 60").env(ENV_LISTEN, "127.0.0.1:7");
        let supervisor = Supervisor::start(fast(command), sink.clone());
        let mut state = supervisor.state();
        let AgentState::Ready(agent) = wait_for(&mut state, is_ready).await else {
            unreachable!()
        };
        assert_eq!(agent.addr, "127.0.0.1:7".parse().unwrap());
        supervisor.shutdown().await;
    }

    #[tokio::test]
    async fn unreadable_ready_line_is_a_failed_start() {
        let sink = Arc::new(FakeSink::default());
        let mut options = fast(sh("echo hello; echo READY nowhere; exec sleep 60"));
        options.max_failed_starts = 1;
        let supervisor = Supervisor::start(options, sink.clone());
        let mut state = supervisor.state();
        wait_for(&mut state, |s| *s == AgentState::GaveUp).await;
        assert_eq!(
            sink.bodies()[0],
            "REST API Agent failed, reason: the process announced an unreadable address"
        );
        supervisor.shutdown().await;
    }

    #[tokio::test]
    async fn missing_program_is_a_failed_start() {
        let sink = Arc::new(FakeSink::default());
        let mut options = fast(WorkerCommand::new("/nonexistent/agent-worker"));
        options.max_failed_starts = 2;
        let supervisor = Supervisor::start(options, sink.clone());
        let mut state = supervisor.state();
        wait_for(&mut state, |s| *s == AgentState::GaveUp).await;
        assert_eq!(sink.ids(), [FAILED, FAILED, GAVE_UP]);
        assert!(sink.bodies()[0].contains("the process could not be started"));
        supervisor.shutdown().await;
    }

    #[tokio::test]
    async fn shutdown_while_starting_stops_cleanly() {
        let sink = Arc::new(FakeSink::default());
        let supervisor = Supervisor::start(fast(sh("exec sleep 60")), sink.clone());
        let state = supervisor.state();
        timeout(Duration::from_secs(5), supervisor.shutdown())
            .await
            .unwrap();
        assert_eq!(*state.borrow(), AgentState::Stopped);
        assert!(sink.ids().is_empty());
    }

    /// A worker announcing a different port on each run (the run count), so restarts show.
    fn counting_worker(dir: &std::path::Path) -> WorkerCommand {
        let counter = dir.join("runs");
        sh(&format!(
            "n=$(cat {c} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {c}; \
             echo READY 127.0.0.1:$n; exec sleep 60",
            c = counter.display()
        ))
    }

    fn port_is(port: u16) -> impl FnMut(&AgentState) -> bool {
        move |s| matches!(s, AgentState::Ready(a) if a.addr.port() == port)
    }

    #[tokio::test]
    async fn stop_disables_start_and_restart_bring_fresh_processes() {
        let dir = scratch_dir("control");
        let sink = Arc::new(FakeSink::default());
        let mut options = fast(counting_worker(&dir));
        options.pid_file = Some(dir.join("agent.pid"));
        let supervisor = Supervisor::start(options, sink.clone());
        let controls = supervisor.controls();
        let mut state = supervisor.state();
        wait_for(&mut state, port_is(1)).await;
        let pid = std::fs::read_to_string(dir.join("agent.pid")).unwrap();

        controls.send(AgentControl::Stop).unwrap();
        wait_for(&mut state, |s| *s == AgentState::Disabled).await;
        assert!(!PathBuf::from(format!("/proc/{}", pid.trim())).exists());
        // A second stop, and a start while starting, change nothing.
        controls.send(AgentControl::Stop).unwrap();
        controls.send(AgentControl::Start).unwrap();
        controls.send(AgentControl::Start).unwrap();
        wait_for(&mut state, port_is(2)).await;

        controls.send(AgentControl::Restart).unwrap();
        wait_for(&mut state, port_is(3)).await;
        // Asked-for stops are not failures: no 342003.
        assert_eq!(sink.ids(), [STARTED, STARTED, STARTED]);
        supervisor.shutdown().await;
        assert_eq!(*state.borrow(), AgentState::Stopped);
    }

    #[tokio::test]
    async fn disabled_at_start_waits_for_a_start() {
        let dir = scratch_dir("disabled");
        let sink = Arc::new(FakeSink::default());
        let mut options = fast(counting_worker(&dir));
        options.enabled = false;
        let supervisor = Supervisor::start(options, sink.clone());
        let mut state = supervisor.state();
        assert_eq!(*state.borrow(), AgentState::Disabled);
        // A restart (a context-mode switch) leaves a disabled agent disabled.
        supervisor.controls().send(AgentControl::Restart).unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!dir.join("runs").exists(), "no process while disabled");
        supervisor.controls().send(AgentControl::Start).unwrap();
        wait_for(&mut state, port_is(1)).await;
        supervisor.shutdown().await;
    }

    #[tokio::test]
    async fn after_giving_up_a_start_tries_five_times_again() {
        let sink = Arc::new(FakeSink::default());
        let mut options = fast(WorkerCommand::new("/bin/false"));
        options.max_failed_starts = 2;
        let supervisor = Supervisor::start(options, sink.clone());
        let mut state = supervisor.state();
        wait_for(&mut state, |s| *s == AgentState::GaveUp).await;
        supervisor.controls().send(AgentControl::Stop).unwrap();
        wait_for(&mut state, |s| *s == AgentState::Disabled).await;
        supervisor.controls().send(AgentControl::Start).unwrap();
        wait_for(&mut state, |s| *s != AgentState::Disabled).await;
        wait_for(&mut state, |s| *s == AgentState::GaveUp).await;
        assert_eq!(
            sink.ids(),
            [FAILED, FAILED, GAVE_UP, FAILED, FAILED, GAVE_UP]
        );
        supervisor.shutdown().await;
    }

    /// The whole path: a LINA configuration change pushes a control to the daemon's watch.
    #[cfg(feature = "embedded-sim")]
    #[tokio::test]
    async fn lina_pushes_stop_and_start_to_a_watching_daemon() {
        use cli_translator::protocol::{Exec, ExecMode};
        let dir = scratch_dir("lina");
        let sim = lina_sim::start(lina_sim::SimOptions {
            default_admin_password: Some("Watch-Pw-1".into()),
            ..lina_sim::SimOptions::new(dir.join("state"))
        })
        .await
        .unwrap();
        let lina = LinaAddr {
            addr: sim.protocol_addr,
            secret: Some(Arc::new(sim.channel_secret.clone())),
        };
        let mut watch = LinaControls::connect(&lina).await.unwrap();
        assert_eq!(watch.initial, Some(AgentControl::Start));
        assert!(watch.enabled());
        let (admin, _) =
            LinaClient::connect(sim.protocol_addr, "rest-agent/test", lina.secret.as_deref())
                .await
                .unwrap();
        let batch = |command: &str| Exec {
            user: "admin".into(),
            privilege: 15,
            source: "127.0.0.1".parse().unwrap(),
            context: None,
            mode: ExecMode::Config,
            atomic: true,
            commands: vec![command.into()],
            expected_generation: None,
        };
        for (command, pushed) in [
            ("no rest-api agent", AgentControl::Stop),
            ("rest-api agent", AgentControl::Start),
        ] {
            let result = admin.exec(batch(command)).await.unwrap();
            assert!(result.applied, "{command}: {result:?}");
            let got = timeout(Duration::from_secs(5), watch.controls.recv())
                .await
                .unwrap();
            assert_eq!(got, Some(pushed), "{command}");
        }
        sim.shutdown();
    }

    #[test]
    fn describes_exit_statuses() {
        let status = std::process::Command::new("/bin/sh")
            .args(["-c", "exit 4"])
            .status();
        assert_eq!(describe(&status), "process exited with status 4");
        let status = std::process::Command::new("/bin/sh")
            .args(["-c", "kill -9 $$"])
            .status();
        assert_eq!(describe(&status), "process was killed by signal 9");
    }

    #[test]
    fn timeouts_read_in_seconds() {
        assert_eq!(seconds(Duration::from_secs(20)), "20 seconds");
        assert_eq!(seconds(Duration::from_millis(1500)), "1500 milliseconds");
    }

    #[test]
    fn peer_name_is_rest_daemon() {
        assert!(daemon_peer().starts_with("rest-daemon/"));
    }
}
