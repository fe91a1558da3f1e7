//! Simulated LINA: a sans-IO configuration engine ([`engine`]), AAA, syslog, and a thin tokio
//! shell around it: the LINA protocol server, the operator console and the effect task.
//!
//! [`start`] boots the engine from `<state_dir>/startup-config`, else the given startup
//! configuration file, else the factory default, and serves until [`RunningSim::shutdown`].

pub mod console;
mod cores;
pub mod debug;
pub mod default_config;
pub mod effects;
pub mod engine;
pub mod server;
pub mod shared;
pub mod state_dir;
pub mod telnet;

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::default_config::AdminPasswordError;
use crate::engine::{Engine, EngineOptions};
use crate::shared::{Core, Shared, lock, now};
use crate::state_dir::{ADMIN_PASSWORD_FILE, CHANNEL_SECRET_FILE, StateDir};
use cli_translator::protocol::ChannelSecret;

/// How to run the simulator.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// LINA protocol listener (loopback; port 0 picks one).
    pub listen: SocketAddr,
    /// Operator console listener, if any.
    pub console: Option<SocketAddr>,
    /// Where `startup-config` and `disk0/` live.
    pub state_dir: PathBuf,
    /// Configuration to boot from when the state directory holds no startup-config.
    pub startup_config: Option<PathBuf>,
    /// Password of user `admin` in the factory configuration. When absent, a random one is
    /// generated and written to `<state_dir>/admin-password` (mode 0600), never logged.
    pub default_admin_password: Option<String>,
    /// Idle time after which an API token expires.
    pub token_idle_timeout: Duration,
}

impl SimOptions {
    /// Loopback listener on a free port, no console, default token timeout.
    pub fn new(state_dir: impl Into<PathBuf>) -> SimOptions {
        SimOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            console: None,
            state_dir: state_dir.into(),
            startup_config: None,
            default_admin_password: None,
            token_idle_timeout: Duration::from_secs(30 * 60),
        }
    }
}

/// Why the simulator could not start.
#[derive(Debug)]
pub enum SimError {
    StateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    ReadConfig {
        path: PathBuf,
        source: std::io::Error,
    },
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    /// The OS random source failed.
    Entropy(String),
    AdminPassword(AdminPasswordError),
    WriteAdminPassword {
        path: PathBuf,
        source: std::io::Error,
    },
    WriteChannelSecret {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::StateDir { path, source } => {
                write!(f, "cannot use state directory {}: {source}", path.display())
            }
            SimError::ReadConfig { path, source } => {
                write!(f, "cannot read configuration {}: {source}", path.display())
            }
            SimError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            SimError::Entropy(e) => write!(f, "no randomness from the operating system: {e}"),
            SimError::AdminPassword(e) => write!(f, "{e}"),
            SimError::WriteAdminPassword { path, source }
            | SimError::WriteChannelSecret { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for SimError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SimError::StateDir { source, .. }
            | SimError::ReadConfig { source, .. }
            | SimError::Bind { source, .. }
            | SimError::WriteAdminPassword { source, .. }
            | SimError::WriteChannelSecret { source, .. } => Some(source),
            SimError::AdminPassword(e) => Some(e),
            SimError::Entropy(_) => None,
        }
    }
}

/// A running simulator. Dropping it without [`RunningSim::shutdown`] leaves the tasks running
/// until the runtime ends.
#[derive(Debug)]
pub struct RunningSim {
    pub protocol_addr: SocketAddr,
    pub console_addr: Option<SocketAddr>,
    /// Set when a random admin password was generated: the file that holds it.
    pub admin_password_file: Option<PathBuf>,
    /// This boot's LINA channel secret (docs/lina-protocol.md), also written (mode 0600) to
    /// [`RunningSim::channel_secret_file`] for an agent started separately.
    pub channel_secret: ChannelSecret,
    pub channel_secret_file: PathBuf,
    shared: Shared,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningSim {
    /// Stops accepting, closes connections and ends the tasks.
    pub fn shutdown(self) {
        let _ = self.stop.send(true);
        for t in &self.tasks {
            t.abort();
        }
    }

    /// The current configuration generation.
    pub fn generation(&self) -> u64 {
        lock(&self.shared).engine.generation()
    }

    /// The running configuration as `more system:running-config` prints it (secrets in clear;
    /// `show running-config` masks them, docs/secrets.md).
    pub fn running_config(&self) -> String {
        lock(&self.shared).engine.running_config()
    }
}

fn os_random<const N: usize>() -> Result<[u8; N], SimError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| SimError::Entropy(e.to_string()))?;
    Ok(out)
}

// issue 13: memory
/// Makes glibc serve every allocation of 128 KiB or more (its initial threshold) by its own mapping, returned to the
/// system when freed. By default the threshold rises to the size of the largest mapped block
/// freed so far (up to 32 MiB): once the 20 MB boot text was freed, the prints of a 20 MB
/// configuration (the first print, the agent's copy of it) came from the heap and stayed
/// resident after they were freed (about 40 MiB at 20 MB, none at 100 MB, above the cap).
/// Setting the threshold also fixes it.
fn fixed_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only changes the allocator's own parameters, under its lock; the
    // parameter is a valid one and the value is in its range (0 to 32 MiB on 64-bit).
    #[allow(unsafe_code)]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
    }
}

/// The configuration text to boot from, and the generated password file if one was made.
fn boot_text(opts: &SimOptions, state: &StateDir) -> Result<(String, Option<PathBuf>), SimError> {
    match state.read_startup() {
        Ok(Some(text)) => return Ok((text, None)),
        Ok(None) => {}
        Err(source) => {
            return Err(SimError::ReadConfig {
                path: state.startup_path(),
                source,
            });
        }
    }
    if let Some(path) = &opts.startup_config {
        let bytes = state_dir::read_file(path).map_err(|source| SimError::ReadConfig {
            path: path.clone(),
            source,
        })?;
        return Ok((state_dir::text_of(bytes), None));
    }
    let (password, file) = match &opts.default_admin_password {
        Some(pw) => (pw.clone(), None),
        None => {
            let pw = URL_SAFE_NO_PAD.encode(os_random::<18>()?);
            let path = state
                .write_secret(ADMIN_PASSWORD_FILE, &format!("{pw}\n"))
                .map_err(|source| SimError::WriteAdminPassword {
                    path: state.root().join(ADMIN_PASSWORD_FILE),
                    source,
                })?;
            (pw, Some(path))
        }
    };
    let text = default_config::text(&password).map_err(SimError::AdminPassword)?;
    Ok((text, file))
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, SimError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| SimError::Bind { addr, source })
}

/// Boots the engine and starts the protocol server, the console and the effect task.
pub async fn start(opts: SimOptions) -> Result<RunningSim, SimError> {
    fixed_mmap_threshold();
    let state = StateDir::open(&opts.state_dir).map_err(|source| SimError::StateDir {
        path: opts.state_dir.clone(),
        source,
    })?;
    let (text, admin_password_file) = boot_text(&opts, &state)?;
    // The REST API package ships on flash, as on an ASAv: the factory configuration installs it.
    let package = state.disk0().join(engine::restapi::DEFAULT_PACKAGE);
    if !package.exists() {
        state_dir::write_atomic(&package, &engine::restapi::default_package(), false).map_err(
            |source| SimError::StateDir {
                path: package.clone(),
                source,
            },
        )?;
    }
    let spill = engine::startup::DirSpill {
        root: state.root().to_path_buf(),
    };
    if let Err(e) = spill.clear() {
        tracing::warn!(error = %e, "cannot remove the previous run's startup spill files");
    }
    let engine_opts = EngineOptions {
        token_idle_timeout_secs: i64::try_from(opts.token_idle_timeout.as_secs())
            .unwrap_or(i64::MAX)
            .max(1),
        flash: Arc::new(engine::restapi::DirFlash {
            root: state.disk0(),
        }),
        // issue 13: a large startup configuration is kept on disk, not in memory.
        startup_spill: Some(Arc::new(spill)),
    };
    // A new channel secret every boot: a connection proves it before `Hello`.
    let channel_secret = ChannelSecret::from_bytes(os_random::<32>()?);
    let channel_secret_file = state
        .write_secret(
            CHANNEL_SECRET_FILE,
            &format!("{}\n", channel_secret.to_hex()),
        )
        .map_err(|source| SimError::WriteChannelSecret {
            path: state.root().join(CHANNEL_SECRET_FILE),
            source,
        })?;
    let seed = os_random::<32>()?;
    let (mut engine, boot_effects) = Engine::boot(&text, &engine_opts, seed, now());
    match state.read_key_store() {
        Ok(Some(keys)) => engine.load_key_store(&keys),
        Ok(None) => {}
        Err(e) => tracing::warn!("cannot read the saved key pairs: {e}"),
    }
    // The one-line boot report: an ASA boots past lines it cannot apply; say how many.
    if engine.startup_errors().is_empty() {
        tracing::info!("{}", engine.boot_report());
    } else {
        tracing::warn!("{}", engine.boot_report());
    }
    let protocol = bind(opts.listen).await?;
    let protocol_addr = protocol.local_addr().map_err(|source| SimError::Bind {
        addr: opts.listen,
        source,
    })?;
    let console = match opts.console {
        Some(addr) => Some(bind(addr).await?),
        None => None,
    };
    let console_addr = console.as_ref().and_then(|l| l.local_addr().ok());

    let (fx_tx, fx_rx) = mpsc::unbounded_channel();
    let syslog_health = engine.syslog_health();
    let shared: Shared = Arc::new(Mutex::new(Core::new(engine, fx_tx)));
    let _ = lock(&shared).dispatch(boot_effects);
    let (stop, stop_rx) = watch::channel(false);
    let mut tasks = vec![
        tokio::spawn(effects::run(fx_rx, state, syslog_health)),
        tokio::spawn(server::serve(
            protocol,
            shared.clone(),
            Arc::new(channel_secret.clone()),
            stop_rx.clone(),
        )),
    ];
    if let Some(listener) = console {
        tasks.push(tokio::spawn(console::serve(
            listener,
            shared.clone(),
            stop_rx,
        )));
    }
    Ok(RunningSim {
        protocol_addr,
        console_addr,
        admin_password_file,
        channel_secret,
        channel_secret_file,
        shared,
        stop,
        tasks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let mut p = std::env::temp_dir();
        p.push(format!("lina-sim-lib-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        p
    }

    #[tokio::test]
    async fn starts_from_the_default_config_with_a_generated_password() {
        let dir = temp_dir("default");
        let sim = start(SimOptions::new(&dir)).await.unwrap();
        assert!(dir.join("disk0").is_dir());
        let file = sim.admin_password_file.clone().unwrap();
        let pw = std::fs::read_to_string(&file).unwrap();
        assert!(pw.trim().len() >= 24);
        let run = sim.running_config();
        assert!(run.contains("hostname ciscoasa\n"));
        assert!(!run.contains(pw.trim()));
        assert_eq!(sim.generation(), 1);
        let secret = std::fs::read_to_string(&sim.channel_secret_file).unwrap();
        assert_eq!(
            ChannelSecret::from_hex(&secret).unwrap(),
            sim.channel_secret
        );
        sim.shutdown();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn prefers_the_saved_startup_config_over_the_given_file() {
        let dir = temp_dir("saved");
        let state = StateDir::open(&dir).unwrap();
        let given = dir.join("given.cfg");
        std::fs::write(&given, "hostname given\n").unwrap();
        let mut opts = SimOptions::new(&dir);
        opts.startup_config = Some(given.clone());
        let sim = start(opts.clone()).await.unwrap();
        assert!(sim.running_config().contains("hostname given\n"));
        sim.shutdown();
        state.write_startup("hostname saved\n").unwrap();
        let sim = start(opts).await.unwrap();
        assert!(sim.running_config().contains("hostname saved\n"));
        assert!(sim.admin_password_file.is_none());
        sim.shutdown();
        let _ = std::fs::remove_dir_all(&dir);
    }

    // issue 13: memory
    #[tokio::test]
    async fn keeps_a_large_startup_configuration_in_a_file_and_not_in_the_saved_one() {
        let dir = temp_dir("spill");
        std::fs::create_dir_all(&dir).unwrap();
        let given = dir.join("given.cfg");
        let text = engine::startup::text_above_spill("large", "n-");
        std::fs::write(&given, &text).unwrap();
        // A previous run's spill file goes.
        std::fs::write(dir.join("startup-held-aa"), "stale").unwrap();
        let mut opts = SimOptions::new(&dir);
        opts.startup_config = Some(given);
        let sim = start(opts).await.unwrap();
        assert!(!dir.join("startup-held-aa").exists());
        // Written by a thread of its own while LINA answers.
        lock(&sim.shared).engine.finish_startup_writer();
        let held = std::fs::read_to_string(dir.join("startup-held-")).unwrap();
        let startup = lock(&sim.shared).engine.startup_config();
        assert_eq!(held, *startup);
        assert_eq!(*startup, sim.running_config());
        assert!(startup.contains("hostname large\nobject network n-0\n host 10.0.0.0\n"));
        // Not a saved startup configuration: the next boot still reads the given file.
        assert!(!dir.join(state_dir::STARTUP_CONFIG).exists());
        sim.shutdown();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn provisions_the_rest_api_package_the_factory_config_installs() {
        let dir = temp_dir("package");
        let mut opts = SimOptions::new(&dir);
        opts.default_admin_password = Some("Pkg-Pw-1".into());
        let sim = start(opts).await.unwrap();
        let package = dir.join("disk0").join(engine::restapi::DEFAULT_PACKAGE);
        assert_eq!(
            std::fs::read(&package).unwrap(),
            engine::restapi::default_package()
        );
        let run = sim.running_config();
        assert!(
            run.contains("rest-api image disk0:/asa-restapi-7161-lfbff-k8.SPA\nrest-api agent\n"),
            "{run}"
        );
        sim.shutdown();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_missing_startup_file_is_an_error() {
        let dir = temp_dir("missing");
        let mut opts = SimOptions::new(&dir);
        opts.startup_config = Some(dir.join("nope.cfg"));
        let err = start(opts).await.unwrap_err();
        assert!(matches!(err, SimError::ReadConfig { .. }));
        assert!(err.to_string().contains("nope.cfg"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
