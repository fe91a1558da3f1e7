//! The daemon's operations flags (configuration file, secrets from files, metrics listener, log
//! format, CORS origins), the command line merged with `--config`, and the log subscriber.

use std::ffi::OsString;
use std::fmt;
use std::io::{self, IsTerminal as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;
use crate::config_file::{self, ConfigFileError};

/// The environment variable that tells the agent process the log format.
pub const ENV_LOG_FORMAT: &str = "ASA_AGENT_LOG_FORMAT";

/// Flags for running as a service; flattened into the daemon's command line.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OpsArgs {
    /// TOML file whose keys are these flags' names (`state-dir = "/var/lib/x"`); flags win.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Read the `admin` password from this file (its first line) instead of the command line.
    #[arg(long, value_name = "FILE", conflicts_with = "admin_password")]
    pub admin_password_file: Option<PathBuf>,
    /// Serve Prometheus metrics at http://ADDR/metrics (off by default).
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
    /// Log lines as text or as one JSON object per line.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// A browser origin allowed to call the API (repeatable; none by default).
    #[arg(long, value_name = "ORIGIN", value_parser = crate::frontend::cors::parse_origin)]
    pub cors_origin: Vec<String>,
}

/// `--log-format`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl LogFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
    }

    /// The agent process's format, from [`ENV_LOG_FORMAT`] (text when unset or unknown).
    pub fn from_env() -> LogFormat {
        match std::env::var(ENV_LOG_FORMAT).as_deref() {
            Ok("json") => LogFormat::Json,
            _ => LogFormat::Text,
        }
    }
}

/// Why the command line could not be read.
#[derive(Debug)]
pub enum CommandLineError {
    /// clap's own (it prints and exits with its own code).
    Clap(clap::Error),
    File(ConfigFileError),
}

impl fmt::Display for CommandLineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandLineError::Clap(e) => e.fmt(f),
            CommandLineError::File(e) => e.fmt(f),
        }
    }
}

/// Parses `argv` (program name first); with `--config FILE`, the file's keys come first as
/// flags, so the command line overrides them and clap checks both alike.
pub fn parse_command_line<I, T>(argv: I) -> Result<Cli, CommandLineError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let argv: Vec<OsString> = argv.into_iter().map(Into::into).collect();
    let command = Cli::command();
    let matches = command
        .clone()
        .try_get_matches_from(&argv)
        .map_err(CommandLineError::Clap)?;
    let cli = Cli::from_arg_matches(&matches).map_err(CommandLineError::Clap)?;
    let Some(path) = cli.daemon.ops.config.clone() else {
        return Ok(cli);
    };
    let from_file =
        config_file::flags_from_file(&path, &command, &matches).map_err(CommandLineError::File)?;
    let mut merged = argv;
    let rest = merged.split_off(1.min(merged.len()));
    merged.extend(from_file);
    merged.extend(rest);
    let matches = command
        .try_get_matches_from(&merged)
        .map_err(CommandLineError::Clap)?;
    Cli::from_arg_matches(&matches).map_err(CommandLineError::Clap)
}

/// The first line of a secret file, without its line ending.
pub fn read_secret_file(path: &Path) -> io::Result<String> {
    let text = std::fs::read_to_string(path)?;
    let first = text.lines().next().unwrap_or("");
    if first.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the file is empty",
        ));
    }
    Ok(first.to_owned())
}

/// Logs to stderr, filtered by `RUST_LOG` (default `info`), as text or JSON lines.
pub fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr);
    // Fails only when a subscriber is already installed; that one is kept.
    let _ = match format {
        LogFormat::Text => builder.with_ansi(io::stderr().is_terminal()).try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> crate::test_support::Scratch {
        crate::test_support::scratch_dir("agent-operations", name)
    }

    #[test]
    fn configuration_file_fills_what_the_command_line_leaves() {
        let dir = scratch("merge");
        let file = dir.join("agent.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9443\"\nmax-body = 10\ncors-origin = [\"https://ui.example\"]\nlog-format = \"json\"\n",
        )
        .unwrap();
        let cli = parse_command_line([
            OsString::from("agent"),
            OsString::from("--config"),
            file.clone().into_os_string(),
            OsString::from("--max-body"),
            OsString::from("99"),
        ])
        .unwrap();
        let args = cli.daemon;
        assert_eq!(args.listen, "127.0.0.1:9443".parse().unwrap());
        assert_eq!(args.max_body, 99);
        assert_eq!(args.ops.cors_origin, ["https://ui.example"]);
        assert_eq!(args.ops.log_format, LogFormat::Json);
        assert_eq!(args.ops.config, Some(file));
    }

    #[test]
    fn a_bad_file_stops_the_start() {
        let dir = scratch("bad");
        let file = dir.join("agent.toml");
        std::fs::write(&file, "max-body = 1\nlisten-on = \"x\"\n").unwrap();
        let e = parse_command_line([
            OsString::from("agent"),
            OsString::from("--config"),
            file.clone().into_os_string(),
        ])
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}:2: unknown key 'listen-on'", file.display())
        );
        let missing = dir.join("missing.toml");
        let e = parse_command_line([
            OsString::from("agent"),
            OsString::from("--config"),
            missing.into_os_string(),
        ])
        .unwrap_err();
        assert!(matches!(
            e,
            CommandLineError::File(ConfigFileError::Read { .. })
        ));
    }

    #[test]
    fn secret_file_gives_its_first_line() {
        let dir = scratch("secret");
        let file = dir.join("pw");
        std::fs::write(&file, "S3cret-pw\n").unwrap();
        assert_eq!(read_secret_file(&file).unwrap(), "S3cret-pw");
        std::fs::write(&file, "\n").unwrap();
        assert!(read_secret_file(&file).is_err());
    }

    #[test]
    fn log_format_defaults_to_text() {
        assert_eq!(LogFormat::default(), LogFormat::Text);
        assert_eq!(LogFormat::Json.as_str(), "json");
    }
}
