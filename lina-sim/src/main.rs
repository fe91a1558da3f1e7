//! `lina-sim`: runs the simulated LINA until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lina_sim::{SimOptions, start};

/// A simulated Cisco ASA LINA engine: LINA protocol server and operator console.
#[derive(Debug, Parser)]
#[command(name = "lina-sim", version)]
struct Args {
    /// LINA protocol listen address.
    #[arg(long, default_value = "127.0.0.1:5050")]
    listen: SocketAddr,
    /// Operator console listen address (plain TCP line protocol).
    #[arg(long)]
    console: Option<SocketAddr>,
    /// Configuration to boot from when the state directory holds no startup-config.
    #[arg(long)]
    startup_config: Option<PathBuf>,
    /// Directory for startup-config and disk0/.
    #[arg(long, default_value = "lina-state")]
    state_dir: PathBuf,
    /// Password of user `admin` in the factory configuration (generated when absent).
    #[arg(long)]
    admin_password: Option<String>,
    /// Idle timeout of API tokens, in seconds.
    #[arg(long, default_value_t = 1800)]
    token_idle_timeout: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let opts = SimOptions {
        listen: args.listen,
        console: args.console,
        state_dir: args.state_dir,
        startup_config: args.startup_config,
        default_admin_password: args.admin_password,
        token_idle_timeout: Duration::from_secs(args.token_idle_timeout.max(1)),
    };
    let sim = match start(opts).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("lina-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("LINA protocol listening on {}", sim.protocol_addr);
    println!(
        "LINA channel secret written to {} (agent --lina-secret-file)",
        sim.channel_secret_file.display()
    );
    if let Some(addr) = sim.console_addr {
        println!("LINA console listening on {addr}");
    }
    if let Some(file) = &sim.admin_password_file {
        println!("admin password written to {}", file.display());
    }
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("lina-sim: cannot wait for Ctrl-C: {e}");
    }
    sim.shutdown();
    ExitCode::SUCCESS
}
