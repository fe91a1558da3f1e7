//! The `agent` command line: `agent [OPTIONS]` runs the daemon (front-end, supervisor and, by
//! default, an embedded lina-sim); the hidden `agent worker` runs the agent process.

use std::fmt;
use std::io::{self, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::frontend::ops::Ops;
use crate::frontend::{self, FrontendConfig};
use crate::lina_client::LinaAddr;
use crate::metrics::{CountingSink, DaemonMetrics};
use crate::operations::LogFormat;
use crate::supervisor::{
    AgentState, LinaControls, LinaLogSink, LogSink, Supervisor, SupervisorOptions, WorkerCommand,
    follow_lina,
};
use crate::tls::{self, TlsError};

/// The generated administrator password's file, under the state directory.
pub const ADMIN_PASSWORD_FILE: &str = "admin-password";
/// The agent process's pid file, under the state directory.
pub const PID_FILE: &str = "agent.pid";
/// The generated certificate's directory, under the state directory.
pub const TLS_DIR: &str = "tls";

#[derive(Debug, clap::Parser)]
#[command(
    name = "agent",
    version,
    about = "The ASA REST API agent: HTTPS front-end, supervisor and agent process",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Subcommand>,
    #[command(flatten)]
    pub daemon: DaemonArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Runs the agent process (the daemon spawns it; configured by ASA_AGENT_* variables).
    #[command(hide = true)]
    Worker,
}

#[derive(Debug, Clone, clap::Args)]
pub struct DaemonArgs {
    /// Address of the REST API (port 0 picks a free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8443")]
    pub listen: SocketAddr,
    /// Serve plain HTTP instead of HTTPS (troubleshooting only).
    #[arg(long)]
    pub http: bool,
    /// Directory for the generated password, certificate, pid file and LINA's saved state.
    #[arg(long, value_name = "DIR", default_value = "./state")]
    pub state_dir: PathBuf,
    /// Configuration the embedded LINA boots with when it has no saved one.
    #[arg(long, value_name = "FILE")]
    pub startup_config: Option<PathBuf>,
    /// Address of the embedded LINA's operator console.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:2323")]
    pub console: SocketAddr,
    /// Password of the embedded LINA's `admin` user (default: saved or generated).
    #[arg(long, value_name = "PW")]
    pub admin_password: Option<String>,
    /// Use a running lina-sim at this protocol address instead of embedding one.
    #[arg(long, value_name = "ADDR")]
    pub lina: Option<SocketAddr>,
    /// The channel secret of the LINA given by --lina (lina-sim writes it to
    /// <its state dir>/lina-secret at every boot).
    #[arg(long, value_name = "FILE", requires = "lina")]
    pub lina_secret_file: Option<PathBuf>,
    /// PEM certificate chain (default: a self-signed one in <state>/tls).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Accept only the User-Agents `REST API Agent`, `ASDM` and `CSM`.
    #[arg(long)]
    pub user_agent_policy: bool,
    /// Largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 4 * 1024 * 1024)]
    pub max_body: u64,
    /// Client connections kept at once (64 per client address); idle ones make room for new ones.
    #[arg(long, value_name = "N", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    #[command(flatten)]
    pub ops: crate::operations::OpsArgs,
}

/// The binary's entry point.
pub fn main() -> ExitCode {
    let cli = match crate::operations::parse_command_line(std::env::args_os()) {
        Ok(cli) => cli,
        Err(crate::operations::CommandLineError::Clap(e)) => e.exit(),
        Err(e) => {
            eprintln!("agent: {e}");
            return ExitCode::from(2);
        }
    };
    crate::operations::init_tracing(match cli.command {
        Some(Subcommand::Worker) => LogFormat::from_env(),
        None => cli.daemon.ops.log_format,
    });
    if matches!(cli.command, Some(Subcommand::Worker)) {
        // Before any thread starts (the runtime's included).
        crate::api::snapshot::two_arenas();
    }
    // The agent process runs on one thread: its requests are short and mostly waiting on
    // LINA, and on a two-core appliance cross-thread wake-ups cost more than they bring
    // (measured: CPU per GET roughly halved). Large parses go to the blocking pool.
    let mut builder = match cli.command {
        Some(Subcommand::Worker) => tokio::runtime::Builder::new_current_thread(),
        None => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("agent: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Some(Subcommand::Worker) => runtime.block_on(crate::api::run_worker_from_env()),
        None => match runtime.block_on(run_daemon(cli.daemon)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::error!("{e}");
                eprintln!("agent: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Why the daemon could not run.
#[derive(Debug)]
pub enum DaemonError {
    StateDir {
        path: PathBuf,
        source: io::Error,
    },
    AdminPassword(AdminPasswordError),
    Tls(TlsError),
    Bind {
        addr: SocketAddr,
        source: io::Error,
    },
    /// The path of this executable (to spawn `agent worker`) is unknown.
    CurrentExe(io::Error),
    /// Built without the embedded simulator and no `--lina` given.
    LinaRequired,
    /// `--lina-secret-file` cannot be read or does not hold a secret.
    LinaSecret {
        path: PathBuf,
        reason: String,
    },
    #[cfg(feature = "embedded-sim")]
    Sim(lina_sim::SimError),
    Signals(io::Error),
    /// `--admin-password-file` could not be read.
    SecretFile {
        path: PathBuf,
        source: io::Error,
    },
}

impl fmt::Display for DaemonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DaemonError::StateDir { path, source } => {
                write!(f, "cannot create the state directory {}: {source}", path.display())
            }
            DaemonError::AdminPassword(e) => e.fmt(f),
            DaemonError::Tls(e) => e.fmt(f),
            DaemonError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            DaemonError::CurrentExe(e) => {
                write!(f, "cannot find this executable to start the agent process: {e}")
            }
            DaemonError::LinaSecret { path, reason } => {
                write!(f, "cannot use the LINA secret {}: {reason}", path.display())
            }
            DaemonError::LinaRequired => f.write_str(
                "this build has no embedded LINA simulator: give the address of a running one with --lina",
            ),
            #[cfg(feature = "embedded-sim")]
            DaemonError::Sim(e) => write!(f, "cannot start the embedded LINA: {e}"),
            DaemonError::Signals(e) => write!(f, "cannot install the signal handlers: {e}"),
            DaemonError::SecretFile { path, source } => {
                write!(f, "cannot read the secret file {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for DaemonError {}

/// Runs the daemon until SIGINT or SIGTERM.
pub async fn run_daemon(mut args: DaemonArgs) -> Result<(), DaemonError> {
    let mut signal = Box::pin(shutdown_signal().map_err(DaemonError::Signals)?);
    if let Some(path) = &args.ops.admin_password_file {
        let password = crate::operations::read_secret_file(path).map_err(|source| {
            DaemonError::SecretFile {
                path: path.clone(),
                source,
            }
        })?;
        args.admin_password = Some(password);
    }
    std::fs::create_dir_all(&args.state_dir).map_err(|source| DaemonError::StateDir {
        path: args.state_dir.clone(),
        source,
    })?;

    let lina = Lina::start(&args).await?;
    let tls = if args.http {
        tracing::warn!("serving plain HTTP: for troubleshooting only");
        None
    } else {
        let tls = match (&args.tls_cert, &args.tls_key) {
            (Some(cert), Some(key)) => tls::from_files(cert, key),
            _ => tls::self_signed(&args.state_dir.join(TLS_DIR)),
        }
        .map_err(DaemonError::Tls)?;
        tracing::info!(
            "TLS certificate {} ({:?})",
            tls.cert_path.display(),
            tls.origin
        );
        // `ssl trust-point` replaces it while the daemon runs (issue 15).
        tokio::spawn(crate::https_identity::follow(
            lina.target.clone(),
            tls.resolver.clone(),
        ));
        Some(tls.config)
    };
    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|source| DaemonError::Bind {
            addr: args.listen,
            source,
        })?;
    let rest_addr = listener.local_addr().map_err(|source| DaemonError::Bind {
        addr: args.listen,
        source,
    })?;

    let metrics_listener = match args.ops.metrics_listen {
        Some(addr) => Some(
            TcpListener::bind(addr)
                .await
                .map_err(|source| DaemonError::Bind { addr, source })?,
        ),
        None => None,
    };
    let metrics = metrics_listener
        .as_ref()
        .map(|_| Arc::new(DaemonMetrics::new()));

    let mut worker = WorkerCommand::agent_worker(lina.protocol_addr, worker_config(&args))
        .map_err(DaemonError::CurrentExe)?
        .env(
            crate::operations::ENV_LOG_FORMAT,
            args.ops.log_format.as_str(),
        );
    if let Some(secret) = &lina.target.secret {
        worker = worker.env(crate::api::config::ENV_LINA_SECRET, secret.to_hex());
    }
    let mut options = SupervisorOptions::new(worker);
    options.pid_file = Some(args.state_dir.join(PID_FILE));
    // LINA says whether the agent runs (`rest-api agent`) and pushes every change after.
    let controls = LinaControls::connect(&lina.target).await;
    match &controls {
        Some(controls) => {
            options.enabled = controls.enabled();
            crate::debug::install(controls.client().clone());
        }
        None => tracing::warn!("LINA did not answer the daemon's subscription; starting the agent"),
    }
    let log_sink: Arc<dyn LogSink> = Arc::new(LinaLogSink::spawn(lina.target.clone()));
    let supervisor_sink: Arc<dyn LogSink> = match &metrics {
        Some(metrics) => Arc::new(CountingSink {
            inner: log_sink.clone(),
            metrics: metrics.clone(),
        }),
        None => log_sink.clone(),
    };
    let supervisor = Supervisor::start(options, supervisor_sink);
    tokio::spawn(follow_lina(
        lina.target.clone(),
        controls,
        supervisor.controls(),
    ));

    let config = FrontendConfig {
        max_body: args.max_body,
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        user_agent_policy: args.user_agent_policy,
        ops: Ops {
            cors: frontend::cors::Cors::new(args.ops.cors_origin.clone()),
            metrics: metrics.clone(),
            api_log: Some(log_sink),
        },
        ..FrontendConfig::default()
    };
    let (stop, stop_rx) = watch::channel(false);
    let scheme = if tls.is_some() { "https" } else { "http" };
    let server = tokio::spawn(frontend::serve(
        listener,
        tls,
        config,
        supervisor.state(),
        stop_rx.clone(),
    ));
    let mut metrics_addr = None;
    if let (Some(listener), Some(metrics)) = (metrics_listener, metrics) {
        metrics_addr = listener.local_addr().ok();
        tokio::spawn(frontend::ops::serve_metrics(
            listener,
            metrics,
            supervisor.state(),
            stop_rx,
        ));
    }

    // Announce once the first agent process is ready (or given up), so that a client reading
    // these lines can use the API at once.
    let mut state = supervisor.state();
    let interrupted = tokio::select! {
        _ = state.wait_for(|s| matches!(s, AgentState::Ready(_) | AgentState::GaveUp | AgentState::Disabled | AgentState::Stopped)) => false,
        _ = &mut signal => true,
    };
    if !interrupted {
        announce(&format!("REST API listening on {scheme}://{rest_addr}"));
        if let Some(addr) = metrics_addr {
            announce(&format!("Metrics listening on http://{addr}/metrics"));
        }
        lina.announce();
        crate::lifecycle::ready(&state.borrow());
        signal.await;
    }

    tracing::info!("shutting down");
    crate::lifecycle::stopping(&lina.target).await;
    stop.send_replace(true);
    if let Err(e) = server.await {
        tracing::error!("front-end task failed: {e}");
    }
    supervisor.shutdown().await;
    lina.stop();
    Ok(())
}

/// `ASA_AGENT_CONFIG` for the agent process.
fn worker_config(args: &DaemonArgs) -> String {
    serde_json::json!({
        "userAgentPolicy": args.user_agent_policy,
        "bodyLimit": args.max_body,
    })
    .to_string()
}

/// Prints one line on stdout at once (a closed stdout is not an error worth dying for).
fn announce(line: &str) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

/// Resolves on SIGINT or SIGTERM. Installed first so no signal is missed during start-up.
fn shutdown_signal() -> io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            // Without the handler there is no clean way to stop: wait forever instead.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}

/// The LINA the daemon talks to: embedded (default with the feature) or external (`--lina`).
struct Lina {
    protocol_addr: SocketAddr,
    /// The address again, with the channel secret connections prove.
    target: LinaAddr,
    lines: Vec<String>,
    #[cfg(feature = "embedded-sim")]
    embedded: Option<lina_sim::RunningSim>,
}

impl Lina {
    async fn start(args: &DaemonArgs) -> Result<Lina, DaemonError> {
        if let Some(addr) = args.lina {
            let secret = match &args.lina_secret_file {
                Some(path) => Some(Arc::new(read_lina_secret(path)?)),
                None => None,
            };
            return Ok(Lina {
                protocol_addr: addr,
                target: LinaAddr { addr, secret },
                lines: vec![format!("LINA protocol listening on {addr}")],
                #[cfg(feature = "embedded-sim")]
                embedded: None,
            });
        }
        Lina::embedded(args).await
    }

    #[cfg(feature = "embedded-sim")]
    async fn embedded(args: &DaemonArgs) -> Result<Lina, DaemonError> {
        // The admin password only matters when LINA boots its factory configuration: not when
        // it has a saved startup-config, nor when one is given.
        let factory_boot = args.startup_config.is_none()
            && !args
                .state_dir
                .join(lina_sim::state_dir::STARTUP_CONFIG)
                .exists();
        let password = if factory_boot || args.admin_password.is_some() {
            Some(
                resolve_admin_password(args.admin_password.as_deref(), &args.state_dir)
                    .map_err(DaemonError::AdminPassword)?,
            )
        } else {
            None
        };
        let options = lina_sim::SimOptions {
            console: Some(args.console),
            startup_config: args.startup_config.clone(),
            default_admin_password: password.as_ref().map(|p| p.password().to_owned()),
            ..lina_sim::SimOptions::new(&args.state_dir)
        };
        let sim = lina_sim::start(options).await.map_err(DaemonError::Sim)?;
        let mut lines = Vec::new();
        if let Some(console) = sim.console_addr {
            lines.push(format!("LINA console listening on {console}"));
        }
        lines.push(format!("LINA protocol listening on {}", sim.protocol_addr));
        if let Some(AdminPassword::Generated { password, path }) = &password {
            lines.push(format!(
                "Admin password: {password} (saved in {})",
                path.display()
            ));
        }
        Ok(Lina {
            protocol_addr: sim.protocol_addr,
            target: LinaAddr {
                addr: sim.protocol_addr,
                secret: Some(Arc::new(sim.channel_secret.clone())),
            },
            lines,
            embedded: Some(sim),
        })
    }

    #[cfg(not(feature = "embedded-sim"))]
    async fn embedded(_: &DaemonArgs) -> Result<Lina, DaemonError> {
        Err(DaemonError::LinaRequired)
    }

    fn announce(&self) {
        for line in &self.lines {
            announce(line);
        }
    }

    fn stop(self) {
        #[cfg(feature = "embedded-sim")]
        if let Some(sim) = self.embedded {
            sim.shutdown();
        }
    }
}

/// Reads `--lina-secret-file`.
fn read_lina_secret(path: &Path) -> Result<cli_translator::protocol::ChannelSecret, DaemonError> {
    let text = std::fs::read_to_string(path).map_err(|source| DaemonError::LinaSecret {
        path: path.to_path_buf(),
        reason: source.to_string(),
    })?;
    cli_translator::protocol::ChannelSecret::from_hex(&text).map_err(|e| DaemonError::LinaSecret {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Where the embedded LINA's `admin` password came from.
#[derive(Clone, PartialEq, Eq)]
pub enum AdminPassword {
    /// `--admin-password`.
    Given(String),
    /// Read from `<state>/admin-password`.
    Reused(String),
    /// Generated now and saved (mode 0600) at `path`.
    Generated { password: String, path: PathBuf },
}

impl AdminPassword {
    pub fn password(&self) -> &str {
        match self {
            AdminPassword::Given(password)
            | AdminPassword::Reused(password)
            | AdminPassword::Generated { password, .. } => password,
        }
    }
}

/// Never prints the password.
impl fmt::Debug for AdminPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AdminPassword::Given(_) => "Given(<redacted>)",
            AdminPassword::Reused(_) => "Reused(<redacted>)",
            AdminPassword::Generated { .. } => "Generated(<redacted>)",
        })
    }
}

#[derive(Debug)]
pub enum AdminPasswordError {
    Read { path: PathBuf, source: io::Error },
    Write { path: PathBuf, source: io::Error },
    Random(getrandom::Error),
}

impl fmt::Display for AdminPasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdminPasswordError::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            AdminPasswordError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            AdminPasswordError::Random(e) => {
                write!(f, "cannot generate an administrator password: {e}")
            }
        }
    }
}

impl std::error::Error for AdminPasswordError {}

/// `--admin-password` if given; else the saved `<state>/admin-password`; else 16 random
/// characters, saved there (mode 0600).
pub fn resolve_admin_password(
    given: Option<&str>,
    state_dir: &Path,
) -> Result<AdminPassword, AdminPasswordError> {
    if let Some(given) = given {
        return Ok(AdminPassword::Given(given.to_owned()));
    }
    let path = state_dir.join(ADMIN_PASSWORD_FILE);
    match std::fs::read_to_string(&path) {
        Ok(saved) => {
            let saved = saved.trim_end_matches(['\r', '\n']);
            if !saved.is_empty() {
                return Ok(AdminPassword::Reused(saved.to_owned()));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(source) => return Err(AdminPasswordError::Read { path, source }),
    }
    let password = generate_password().map_err(AdminPasswordError::Random)?;
    write_private(&path, &format!("{password}\n")).map_err(|source| AdminPasswordError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(AdminPassword::Generated { password, path })
}

const PASSWORD_ALPHABET: &[u8; 62] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const PASSWORD_LENGTH: usize = 16;

/// 16 characters drawn uniformly from letters and digits (rejection sampling, no modulo bias).
fn generate_password() -> Result<String, getrandom::Error> {
    let mut password = String::with_capacity(PASSWORD_LENGTH);
    // 248 = 4 * 62: bytes at or above it would favour the first characters.
    let mut buffer = [0u8; 32];
    while password.len() < PASSWORD_LENGTH {
        getrandom::fill(&mut buffer)?;
        for &byte in buffer.iter().filter(|b| **b < 248) {
            if password.len() == PASSWORD_LENGTH {
                break;
            }
            if let Some(&c) = PASSWORD_ALPHABET.get(usize::from(byte % 62)) {
                password.push(char::from(c));
            }
        }
    }
    Ok(password)
}

/// Writes a file only its owner can read or write.
fn write_private(path: &Path, contents: &str) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    use crate::test_support::Scratch;

    fn scratch_dir(name: &str) -> Scratch {
        crate::test_support::scratch_dir("agent-cli", name)
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("agent").chain(args.iter().copied()))
    }

    #[test]
    fn command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_match_the_documentation() {
        let cli = parse(&[]).unwrap();
        assert!(cli.command.is_none());
        let args = cli.daemon;
        assert_eq!(args.listen, "127.0.0.1:8443".parse().unwrap());
        assert_eq!(args.console, "127.0.0.1:2323".parse().unwrap());
        assert_eq!(args.state_dir, PathBuf::from("./state"));
        assert!(!args.http);
        assert!(!args.user_agent_policy);
        assert_eq!(args.max_body, 4 * 1024 * 1024);
        assert_eq!(args.max_connections, 256);
        assert_eq!(args.lina, None);
        assert_eq!(args.admin_password, None);
    }

    #[test]
    fn parses_every_option() {
        let cli = parse(&[
            "--listen",
            "127.0.0.1:0",
            "--http",
            "--state-dir",
            "/tmp/s",
            "--startup-config",
            "boot.cfg",
            "--console",
            "127.0.0.1:0",
            "--admin-password",
            "pw",
            "--lina",
            "127.0.0.1:7000",
            "--tls-cert",
            "c.pem",
            "--tls-key",
            "k.pem",
            "--user-agent-policy",
            "--max-body",
            "1024",
            "--max-connections",
            "8",
        ])
        .unwrap();
        let args = cli.daemon;
        assert_eq!(args.listen.port(), 0);
        assert!(args.http && args.user_agent_policy);
        assert_eq!(args.state_dir, PathBuf::from("/tmp/s"));
        assert_eq!(args.startup_config, Some(PathBuf::from("boot.cfg")));
        assert_eq!(args.admin_password.as_deref(), Some("pw"));
        assert_eq!(args.lina, Some("127.0.0.1:7000".parse().unwrap()));
        assert_eq!(args.tls_cert, Some(PathBuf::from("c.pem")));
        assert_eq!(args.tls_key, Some(PathBuf::from("k.pem")));
        assert_eq!(args.max_body, 1024);
        assert_eq!(args.max_connections, 8);
    }

    #[test]
    fn worker_is_a_hidden_subcommand() {
        let cli = parse(&["worker"]).unwrap();
        assert!(matches!(cli.command, Some(Subcommand::Worker)));
        let help = Cli::command().render_help().to_string();
        assert!(!help.contains("worker"));
        assert!(help.contains("--lina"));
    }

    #[test]
    fn refuses_bad_options() {
        assert!(parse(&["--tls-cert", "c.pem"]).is_err());
        assert!(parse(&["--tls-key", "k.pem"]).is_err());
        assert!(parse(&["--max-connections", "0"]).is_err());
        assert!(parse(&["--listen", "localhost"]).is_err());
        assert!(parse(&["--max-body", "-1"]).is_err());
    }

    #[test]
    fn worker_config_carries_the_policy_and_limit() {
        let args = parse(&["--user-agent-policy", "--max-body", "99"])
            .unwrap()
            .daemon;
        let config: serde_json::Value = serde_json::from_str(&worker_config(&args)).unwrap();
        assert_eq!(
            config,
            serde_json::json!({"userAgentPolicy": true, "bodyLimit": 99})
        );
    }

    #[test]
    fn generates_saves_then_reuses_the_admin_password() {
        let dir = scratch_dir("password");
        let first = resolve_admin_password(None, &dir).unwrap();
        let AdminPassword::Generated { password, path } = &first else {
            panic!("expected a generated password, got {first:?}");
        };
        assert_eq!(password.len(), 16);
        assert!(password.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(path, &dir.join(ADMIN_PASSWORD_FILE));
        assert_eq!(
            std::fs::read_to_string(path).unwrap(),
            format!("{password}\n")
        );

        let second = resolve_admin_password(None, &dir).unwrap();
        assert_eq!(second, AdminPassword::Reused(password.clone()));
    }

    #[cfg(unix)]
    #[test]
    fn saved_admin_password_is_private_to_the_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch_dir("mode");
        resolve_admin_password(None, &dir).unwrap();
        let mode = std::fs::metadata(dir.join(ADMIN_PASSWORD_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn given_admin_password_wins_and_is_not_saved() {
        let dir = scratch_dir("given");
        let given = resolve_admin_password(Some("Cisco123!"), &dir).unwrap();
        assert_eq!(given, AdminPassword::Given("Cisco123!".to_owned()));
        assert!(!dir.join(ADMIN_PASSWORD_FILE).exists());
    }

    #[test]
    fn empty_saved_password_is_replaced() {
        let dir = scratch_dir("empty");
        std::fs::write(dir.join(ADMIN_PASSWORD_FILE), "\n").unwrap();
        let password = resolve_admin_password(None, &dir).unwrap();
        assert!(matches!(password, AdminPassword::Generated { .. }));
    }

    #[test]
    fn generated_passwords_differ() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn debug_output_hides_the_password() {
        let password = AdminPassword::Given("s3cret-pw".to_owned());
        assert!(!format!("{password:?}").contains("s3cret-pw"));
    }
}
