//! The REST API Agent's life cycle as LINA sees it: `rest-api image disk0:/<package>` (verify
//! and install, 342005/342006), `no rest-api image` (342007/342008), `rest-api agent` /
//! `no rest-api agent` (a control pushed to the daemon), `show rest-api agent`, and the
//! agent's status as the daemon's 342001-342004 messages report it.
//!
//! The configuration lines are the truth (`rest-api image ...`, `rest-api agent`, kept as
//! verbatim blocks, so a rolled-back batch takes them back); the package files live on a
//! [`Flash`] (the state directory's `disk0/`, or memory in tests).

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use cli_translator::protocol::AgentControl;
use syslog::Message;

use super::apply::{strip_words, word_offset};
use super::config::{Block, BlockId, Entry};
use super::error::CliError;
use super::package::{self, InstallFailure, PackageInfo};
use super::session::LineOutcome;
use super::{ASA_VERSION, Effect, Engine, Now, REST_API_VERSION};

/// The package the factory configuration installs (and the simulator provisions on disk0:).
pub const DEFAULT_PACKAGE: &str = "asa-restapi-7161-lfbff-k8.SPA";
/// The oldest ASA the default package runs on.
pub const DEFAULT_MINIMUM_ASA: &str = "9.3(2)";
/// Flash space the default package claims once installed (48 MiB).
pub const DEFAULT_INSTALLED_SIZE: u64 = 48 * 1024 * 1024;
/// The ASAv's flash ("Internal ATA Compact Flash, 8192MB").
pub const FLASH_CAPACITY: u64 = 8192 * 1024 * 1024;
/// Package files larger than this are not read (verification fails).
const MAX_PACKAGE: u64 = 256 * 1024 * 1024;

const IMAGE_PREFIX: &str = "rest-api image";
const AGENT_LINE: &str = "rest-api agent";

/// The bytes of the default package.
pub fn default_package() -> Vec<u8> {
    package::build(
        &PackageInfo {
            agent_version: REST_API_VERSION.to_owned(),
            minimum_asa_version: DEFAULT_MINIMUM_ASA.to_owned(),
            installed_size: DEFAULT_INSTALLED_SIZE,
        },
        &package::sample_payload(REST_API_VERSION),
    )
}

/// Where package files are read from: `disk0:`.
pub trait Flash: fmt::Debug + Send + Sync {
    /// The file `name` (one path component) on disk0:.
    fn read(&self, name: &str) -> io::Result<Vec<u8>>;
    /// Free space, in bytes.
    fn free_bytes(&self) -> u64;
}

/// disk0: as a directory: capacity [`FLASH_CAPACITY`] less the files in it.
#[derive(Debug, Clone)]
pub struct DirFlash {
    pub root: PathBuf,
}

impl Flash for DirFlash {
    fn read(&self, name: &str) -> io::Result<Vec<u8>> {
        let path = self.root.join(name);
        let meta = std::fs::metadata(&path)?;
        if !meta.is_file() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "not a file"));
        }
        if meta.len() > MAX_PACKAGE {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "too large"));
        }
        std::fs::read(path)
    }

    fn free_bytes(&self) -> u64 {
        let used: u64 = std::fs::read_dir(&self.root)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0);
        FLASH_CAPACITY.saturating_sub(used)
    }
}

/// disk0: in memory, for tests and for engines booted without a state directory (it holds
/// the default package).
#[derive(Debug, Clone)]
pub struct MemFlash {
    pub files: HashMap<String, Vec<u8>>,
    pub free: u64,
}

impl Default for MemFlash {
    fn default() -> MemFlash {
        MemFlash {
            files: HashMap::from([(DEFAULT_PACKAGE.to_owned(), default_package())]),
            free: FLASH_CAPACITY,
        }
    }
}

impl Flash for MemFlash {
    fn read(&self, name: &str) -> io::Result<Vec<u8>> {
        self.files
            .get(name)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }

    fn free_bytes(&self) -> u64 {
        self.free
    }
}

/// What the daemon last reported about the agent process (from its syslog messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentStatus {
    /// Nothing reported since the agent was enabled.
    Starting,
    /// 342001.
    Running,
    /// 342002: a start failed; another is tried.
    StartFailed,
    /// 342003: it died and is being restarted.
    Restarting,
    /// 342004: five failed starts; `no rest-api agent` then `rest-api agent` to retry.
    GaveUp,
}

impl fmt::Display for AgentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AgentStatus::Starting => "starting",
            AgentStatus::Running => "running",
            AgentStatus::StartFailed => "start failed, retrying",
            AgentStatus::Restarting => "restarting",
            AgentStatus::GaveUp => "stopped after five failed starts",
        })
    }
}

/// The engine's REST API state besides the configuration lines.
#[derive(Debug, Clone)]
pub struct RestApi {
    flash: Arc<dyn Flash>,
    /// Packages verified so far, by file name.
    verified: HashMap<String, PackageInfo>,
    status: AgentStatus,
}

impl RestApi {
    pub fn new(flash: Arc<dyn Flash>) -> RestApi {
        RestApi {
            flash,
            verified: HashMap::new(),
            status: AgentStatus::Starting,
        }
    }

    /// Follows the daemon's 342001-342004 messages.
    pub fn observe(&mut self, message_id: u32) {
        self.status = match message_id {
            342001 => AgentStatus::Running,
            342002 => AgentStatus::StartFailed,
            342003 => AgentStatus::Restarting,
            342004 => AgentStatus::GaveUp,
            _ => return,
        };
    }

    fn verify(&mut self, name: &str) -> Result<PackageInfo, InstallFailure> {
        let bytes = match self.flash.read(name) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(InstallFailure::NotFound);
            }
            Err(_) => return Err(InstallFailure::Verification),
        };
        let info = package::verify(&bytes, ASA_VERSION, self.flash.free_bytes())?;
        self.verified.insert(name.to_owned(), info.clone());
        Ok(info)
    }
}

/// A `rest-api` command that did not apply, printed as the ASA prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestApiError {
    Install(InstallFailure),
    /// `no rest-api image` (or replacing the image) while the agent is enabled.
    AgentEnabled,
    /// `rest-api agent` with no image installed.
    NoImage,
    /// `no rest-api image disk0:/x` naming another file than the installed one.
    NotInstalled(String),
}

impl fmt::Display for RestApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestApiError::Install(reason) => {
                write!(f, "ERROR: Failed to install REST API image, reason: {reason}")
            }
            RestApiError::AgentEnabled => f.write_str(
                "ERROR: Failed to uninstall REST API image, reason: rest agent is enabled. \
                 Disable it with 'no rest-api agent' first.",
            ),
            RestApiError::NoImage => f.write_str(
                "ERROR: No REST API image is installed. Install one with 'rest-api image disk0:/<package>'.",
            ),
            RestApiError::NotInstalled(path) => {
                write!(f, "ERROR: {path} is not the installed REST API image.")
            }
        }
    }
}

/// `disk0:/<name>` (or `disk0:<name>`): the file name, one plain path component.
fn package_name(path: &str) -> Option<&str> {
    let (device, rest) = path.split_once(':')?;
    if !device.eq_ignore_ascii_case("disk0") {
        return None;
    }
    let name = rest.strip_prefix('/').unwrap_or(rest);
    let ok = !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    ok.then_some(name)
}

fn catalogued(id: u32, args: &[&str]) -> Message {
    Message::from_catalogue(id, args)
        .unwrap_or_else(|| Message::new(id, syslog::Level::Errors, args.join(" ")))
}

fn outcome(
    result: Result<Option<String>, RestApiError>,
    logs: Vec<Message>,
    effects: Vec<Effect>,
) -> LineOutcome {
    match result {
        Ok(info) => LineOutcome {
            ok: true,
            output: info.map(|i| format!("{i}\n")).unwrap_or_default(),
            logs,
            effects,
            error: None,
        },
        Err(e) => LineOutcome {
            ok: false,
            output: format!("{e}\n"),
            logs,
            effects: Vec::new(),
            error: None,
        },
    }
}

impl Engine {
    /// The installed image line's block and file name.
    fn rest_api_image(&self) -> Option<(BlockId, String)> {
        let image_of =
            |text: &str| package_name(strip_words(text, IMAGE_PREFIX)?).map(str::to_owned);
        let id =
            self.contexts[self.selected]
                .config
                .find_cached("rest-api", "rest-api image", |b| {
                    image_of(b.head().text).is_some()
                })?;
        Some((
            id,
            image_of(self.contexts[self.selected].config.block(id)?.head().text)?,
        ))
    }

    fn rest_api_agent_line(&self) -> Option<BlockId> {
        self.contexts[self.selected]
            .config
            .find_cached("rest-api", "rest-api agent", |b| {
                b.head().text == AGENT_LINE
            })
    }

    /// Whether `rest-api agent` is configured (with an image, which it needs).
    pub fn rest_api_enabled(&self) -> bool {
        self.rest_api_agent_line().is_some() && self.rest_api_image().is_some()
    }

    /// What the daemon must do now: run the agent or not.
    pub fn agent_control(&self) -> AgentControl {
        if self.rest_api_enabled() {
            AgentControl::Start
        } else {
            AgentControl::Stop
        }
    }

    /// The installed image's agent version, for `show version`.
    pub fn rest_api_version(&self) -> Option<String> {
        let (_, name) = self.rest_api_image()?;
        Some(
            self.rest_api
                .verified
                .get(&name)
                .map_or_else(|| REST_API_VERSION.to_owned(), |i| i.agent_version.clone()),
        )
    }

    /// Why the configured image cannot run any more (its file is gone or fails verification),
    /// checked when an agent process says hello; `None` when it is fine or none is configured.
    pub fn rest_api_image_unusable(&mut self) -> Option<InstallFailure> {
        let (_, name) = self.rest_api_image()?;
        self.rest_api.verify(&name).err()
    }

    /// Follows the daemon's life-cycle messages (342001-342004).
    pub fn observe_agent_log(&mut self, message_id: u32) {
        self.rest_api.observe(message_id);
    }

    /// At boot: verifies the configured image (342005, or 342006 and the line is dropped);
    /// `rest-api agent` without an image is dropped too.
    pub(crate) fn boot_rest_api(&mut self, now: Now) -> Vec<Effect> {
        let mut logs = Vec::new();
        if let Some((id, name)) = self.rest_api_image() {
            match self.rest_api.verify(&name) {
                Ok(_) => logs.push(catalogued(342005, &[])),
                Err(reason) => {
                    logs.push(catalogued(342006, &[&reason.to_string()]));
                    self.contexts[self.selected].config.remove(id);
                }
            }
        }
        if self.rest_api_image().is_none()
            && let Some(id) = self.rest_api_agent_line()
        {
            self.contexts[self.selected].config.remove(id);
        }
        self.contexts[self.selected].config.commit();
        self.log_all(logs, now)
    }

    /// A configuration-mode `[no] rest-api ...` or `clear configure rest-api` line; `None` when
    /// `line` is something else.
    pub(crate) fn rest_api_line(&mut self, line: &str) -> Option<LineOutcome> {
        if let Some(rest) = strip_words(line, "clear configure")
            && rest.eq_ignore_ascii_case("rest-api")
        {
            return Some(self.clear_rest_api());
        }
        let (negated, rest) = match strip_words(line, "no") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let args = strip_words(rest, "rest-api")?;
        let words: Vec<&str> = args.split_whitespace().collect();
        let at = |n: usize| word_offset(line, n + usize::from(negated) + 1);
        let invalid = |n: usize| LineOutcome {
            ok: false,
            output: CliError::invalid(line, at(n)).output(),
            ..LineOutcome::default()
        };
        let incomplete = || LineOutcome {
            ok: false,
            output: CliError::Incomplete.output(),
            ..LineOutcome::default()
        };
        Some(match words.as_slice() {
            [] => incomplete(),
            [w, more @ ..] if w.eq_ignore_ascii_case("agent") => {
                if !more.is_empty() {
                    invalid(1)
                } else if negated {
                    self.disable_agent()
                } else {
                    self.enable_agent()
                }
            }
            [w] if w.eq_ignore_ascii_case("image") && negated => self.uninstall(None),
            [w] if w.eq_ignore_ascii_case("image") => incomplete(),
            [w, path] if w.eq_ignore_ascii_case("image") => match package_name(path) {
                Some(name) if negated => self.uninstall(Some((path, name))),
                Some(name) => self.install(name),
                None => invalid(1),
            },
            [w, _, _, ..] if w.eq_ignore_ascii_case("image") => invalid(2),
            _ => invalid(0),
        })
    }

    /// `clear configure rest-api`: the agent stops, then the image is uninstalled (342007).
    fn clear_rest_api(&mut self) -> LineOutcome {
        let stopped = self.disable_agent();
        if self.rest_api_image().is_none() {
            return stopped;
        }
        let mut removed = self.uninstall(None);
        removed.effects.extend(stopped.effects);
        removed
    }

    fn enable_agent(&mut self) -> LineOutcome {
        if self.rest_api_image().is_none() {
            return outcome(Err(RestApiError::NoImage), Vec::new(), Vec::new());
        }
        if self.rest_api_agent_line().is_some() {
            return outcome(Ok(None), Vec::new(), Vec::new());
        }
        self.contexts[self.selected]
            .config
            .insert_placed(Block::leaf(Entry::verbatim(AGENT_LINE)));
        self.rest_api.status = AgentStatus::Starting;
        outcome(
            Ok(None),
            Vec::new(),
            vec![Effect::AgentControl(AgentControl::Start)],
        )
    }

    fn disable_agent(&mut self) -> LineOutcome {
        match self.rest_api_agent_line() {
            Some(id) => {
                self.contexts[self.selected].config.remove(id);
                outcome(
                    Ok(None),
                    Vec::new(),
                    vec![Effect::AgentControl(AgentControl::Stop)],
                )
            }
            None => outcome(Ok(None), Vec::new(), Vec::new()),
        }
    }

    fn install(&mut self, name: &str) -> LineOutcome {
        if let Err(reason) = self.rest_api.verify(name) {
            return outcome(
                Err(RestApiError::Install(reason)),
                vec![catalogued(342006, &[&reason.to_string()])],
                Vec::new(),
            );
        }
        let mut logs = Vec::new();
        match self.rest_api_image() {
            Some((_, current)) if current == name => {}
            Some((id, _)) => {
                if self.rest_api_agent_line().is_some() {
                    return outcome(
                        Err(RestApiError::AgentEnabled),
                        vec![catalogued(342008, &["rest agent is enabled"])],
                        Vec::new(),
                    );
                }
                self.contexts[self.selected].config.remove(id);
                logs.push(catalogued(342007, &[]));
                self.insert_image_line(name);
            }
            None => self.insert_image_line(name),
        }
        logs.push(catalogued(342005, &[]));
        outcome(Ok(None), logs, Vec::new())
    }

    fn insert_image_line(&mut self, name: &str) {
        self.contexts[self.selected]
            .config
            .insert_placed(Block::leaf(Entry::verbatim(format!(
                "{IMAGE_PREFIX} disk0:/{name}"
            ))));
    }

    /// `no rest-api image [disk0:/<name>]`.
    fn uninstall(&mut self, named: Option<(&str, &str)>) -> LineOutcome {
        let Some((id, current)) = self.rest_api_image() else {
            return outcome(Err(RestApiError::NoImage), Vec::new(), Vec::new());
        };
        if let Some((path, name)) = named
            && name != current
        {
            return outcome(
                Err(RestApiError::NotInstalled(path.to_owned())),
                Vec::new(),
                Vec::new(),
            );
        }
        if self.rest_api_agent_line().is_some() {
            return outcome(
                Err(RestApiError::AgentEnabled),
                vec![catalogued(342008, &["rest agent is enabled"])],
                Vec::new(),
            );
        }
        self.contexts[self.selected].config.remove(id);
        outcome(Ok(None), vec![catalogued(342007, &[])], Vec::new())
    }

    /// `show rest-api agent`: Cisco's first line, then the image and the process status.
    pub fn show_rest_api_agent(&self) -> String {
        let mut out = format!(
            "The REST API Agent is currently {}\n",
            if self.rest_api_enabled() {
                "enabled"
            } else {
                "disabled"
            }
        );
        match (self.rest_api_image(), self.rest_api_version()) {
            (Some((_, name)), Some(version)) => {
                out.push_str(&format!(
                    "REST API image: disk0:/{name} (version {version})\n"
                ));
            }
            _ => out.push_str("REST API image: not installed\n"),
        }
        if self.rest_api_enabled() {
            out.push_str(&format!("Agent status: {}\n", self.rest_api.status));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::EngineOptions;
    use crate::engine::session::Session;
    use cli_translator::protocol::ExecMode;

    fn flash_with(extra: &[(&str, Vec<u8>)], free: u64) -> Arc<dyn Flash> {
        let mut flash = MemFlash {
            free,
            ..MemFlash::default()
        };
        for (name, bytes) in extra {
            flash.files.insert((*name).to_owned(), bytes.clone());
        }
        Arc::new(flash)
    }

    fn engine_with(config: &str, flash: Arc<dyn Flash>) -> (Engine, Vec<Effect>) {
        let opts = EngineOptions {
            flash,
            ..EngineOptions::default()
        };
        let text = format!("hostname t\nlogging enable\nlogging buffered debugging\n{config}");
        Engine::boot(&text, &opts, [9; 32], Now::from_secs(0))
    }

    fn run(engine: &mut Engine, line: &str) -> (bool, String, Vec<Effect>) {
        let mut s = Session::api(
            "admin",
            15,
            "127.0.0.1"
                .parse()
                .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1])),
            ExecMode::Config,
        );
        let (out, fx) = engine.console_command(&mut s, line, Now::from_secs(1));
        let ok = !out.contains("ERROR");
        (ok, out, fx)
    }

    fn logged(engine: &Engine, id: u32) -> Vec<String> {
        engine
            .log_buffer()
            .into_iter()
            .filter(|l| l.contains(&format!("-{id}: ")))
            .collect()
    }

    fn package(min: &str, size: u64, payload: &[u8]) -> Vec<u8> {
        package::build(
            &PackageInfo {
                agent_version: "7.20(1)".into(),
                minimum_asa_version: min.into(),
                installed_size: size,
            },
            payload,
        )
    }

    const DEFAULT_LINE: &str = "rest-api image disk0:/asa-restapi-7161-lfbff-k8.SPA";

    #[test]
    fn the_factory_lines_name_the_default_package() {
        let text = crate::default_config::text("Pw-12345").unwrap_or_default();
        assert!(text.contains(&format!("{DEFAULT_LINE}\nrest-api agent\n")));
        assert_eq!(
            DEFAULT_LINE,
            format!("{IMAGE_PREFIX} disk0:/{DEFAULT_PACKAGE}")
        );
    }

    #[test]
    fn boot_verifies_the_image_and_enables_the_agent() {
        let (engine, _) = engine_with(
            &format!("{DEFAULT_LINE}\nrest-api agent\n"),
            Arc::new(MemFlash::default()),
        );
        assert_eq!(logged(&engine, 342005).len(), 1);
        assert_eq!(engine.agent_control(), AgentControl::Start);
        assert_eq!(engine.rest_api_version().as_deref(), Some("7.16(1)"));
    }

    #[test]
    fn boot_with_a_missing_image_logs_342006_and_drops_both_lines() {
        let (mut engine, _) = engine_with(
            "rest-api image disk0:/gone.SPA\nrest-api agent\n",
            Arc::new(MemFlash::default()),
        );
        let failed = logged(&engine, 342006);
        assert_eq!(failed.len(), 1);
        assert!(
            failed[0].ends_with("Failed to install REST API image, reason: image file not found")
        );
        assert_eq!(engine.agent_control(), AgentControl::Stop);
        assert!(!engine.running_config().contains("rest-api"));
        assert!(
            engine
                .show_rest_api_agent()
                .starts_with("The REST API Agent is currently disabled\n")
        );
    }

    #[test]
    fn install_then_enable_pushes_start_and_shows_enabled() {
        let (mut engine, _) = engine_with("", Arc::new(MemFlash::default()));
        let (ok, out, _) = run(&mut engine, "rest-api agent");
        assert!(!ok);
        assert!(out.contains("No REST API image is installed"), "{out}");
        let (ok, _, _) = run(&mut engine, DEFAULT_LINE);
        assert!(ok);
        assert_eq!(logged(&engine, 342005).len(), 1);
        let (ok, _, fx) = run(&mut engine, "rest-api agent");
        assert!(ok);
        assert!(fx.contains(&Effect::AgentControl(AgentControl::Start)));
        let run_cfg = engine.running_config();
        assert!(run_cfg.contains(&format!("{DEFAULT_LINE}\n")), "{run_cfg}");
        assert!(run_cfg.contains("rest-api agent\n"));
        assert!(engine.show_rest_api_agent().contains("currently enabled"));
        // A second `rest-api agent` changes nothing and pushes nothing.
        let (ok, _, fx) = run(&mut engine, "rest-api agent");
        assert!(ok && !fx.iter().any(|f| matches!(f, Effect::AgentControl(_))));
        let (ok, _, fx) = run(&mut engine, "no rest-api agent");
        assert!(ok);
        assert!(fx.contains(&Effect::AgentControl(AgentControl::Stop)));
        assert!(engine.show_rest_api_agent().contains("currently disabled"));
    }

    #[test]
    fn each_install_failure_logs_342006_with_cisco_reason() {
        let good_payload = package::sample_payload("7.20(1)");
        let mut tampered = package("9.3(2)", 10, &good_payload);
        if let Some(b) = tampered.last_mut() {
            *b ^= 0x20;
        }
        let flash = flash_with(
            &[
                ("newer.SPA", package("9.99(1)", 10, &good_payload)),
                ("tampered.SPA", tampered),
                ("huge.SPA", package("9.3(2)", u64::MAX / 2, &good_payload)),
                ("flat.SPA", package("9.3(2)", 10, b"plain bytes")),
            ],
            1 << 30,
        );
        let (mut engine, _) = engine_with("", flash);
        for (file, reason) in [
            ("newer.SPA", "version check failed"),
            ("tampered.SPA", "image verification failed"),
            ("missing.SPA", "image file not found"),
            ("huge.SPA", "out of space on flash"),
            ("flat.SPA", "mount failed"),
        ] {
            let (ok, out, _) = run(&mut engine, &format!("rest-api image disk0:/{file}"));
            assert!(!ok, "{file}");
            assert_eq!(
                out,
                format!("ERROR: Failed to install REST API image, reason: {reason}\n")
            );
            let last = logged(&engine, 342006).pop().unwrap_or_default();
            assert!(
                last.ends_with(&format!(
                    "%ASA-3-342006: Failed to install REST API image, reason: {reason}"
                )),
                "{last}"
            );
        }
        assert!(!engine.running_config().contains("rest-api"));
    }

    #[test]
    fn uninstall_is_refused_while_the_agent_is_enabled() {
        let (mut engine, _) = engine_with(
            &format!("{DEFAULT_LINE}\nrest-api agent\n"),
            Arc::new(MemFlash::default()),
        );
        let (ok, out, _) = run(&mut engine, "no rest-api image");
        assert!(!ok);
        assert!(out.contains("rest agent is enabled"), "{out}");
        let refused = logged(&engine, 342008);
        assert_eq!(refused.len(), 1);
        assert!(refused[0].ends_with(
            "%ASA-3-342008: Failed to uninstall REST API image, reason: rest agent is enabled."
        ));
        assert!(engine.running_config().contains(DEFAULT_LINE));

        run(&mut engine, "no rest-api agent");
        let (ok, out, _) = run(&mut engine, "no rest-api image disk0:/other.SPA");
        assert!(!ok && out.contains("is not the installed"), "{out}");
        let (ok, _, _) = run(&mut engine, &format!("no {DEFAULT_LINE}"));
        assert!(ok);
        let removed = logged(&engine, 342007);
        assert_eq!(removed.len(), 1);
        assert!(
            removed[0]
                .ends_with("%ASA-7-342007: REST API image has been uninstalled successfully.")
        );
        assert!(!engine.running_config().contains("rest-api"));
        let (ok, out, _) = run(&mut engine, "no rest-api image");
        assert!(!ok && out.contains("No REST API image"), "{out}");
    }

    #[test]
    fn bad_paths_are_invalid_input_and_change_nothing() {
        let (mut engine, _) = engine_with("", Arc::new(MemFlash::default()));
        for line in [
            "rest-api image tftp://10.0.0.1/x.SPA",
            "rest-api image disk0:/../etc/passwd",
            "rest-api image disk0:/a/b.SPA",
            "rest-api image disk0:/x.SPA extra",
            "rest-api bogus",
            "rest-api agent now",
        ] {
            let (ok, out, _) = run(&mut engine, line);
            assert!(!ok, "{line}");
            assert!(out.contains("Invalid input detected"), "{line}: {out}");
        }
        let (ok, out, _) = run(&mut engine, "rest-api image");
        assert!(!ok && out.contains("Incomplete"), "{out}");
        assert!(logged(&engine, 342006).is_empty());
    }

    #[test]
    fn replacing_the_image_uninstalls_the_old_one_first() {
        let flash = flash_with(
            &[(
                "asa-restapi-7201-lfbff-k8.SPA",
                package("9.3(2)", 10, &package::sample_payload("7.20(1)")),
            )],
            1 << 30,
        );
        let (mut engine, _) = engine_with(&format!("{DEFAULT_LINE}\n"), flash);
        let (ok, _, _) = run(
            &mut engine,
            "rest-api image disk0:/asa-restapi-7201-lfbff-k8.SPA",
        );
        assert!(ok);
        assert_eq!(logged(&engine, 342007).len(), 1);
        assert_eq!(logged(&engine, 342005).len(), 2);
        assert_eq!(engine.rest_api_version().as_deref(), Some("7.20(1)"));
        let cfg = engine.running_config();
        assert!(
            !cfg.contains(DEFAULT_LINE) && cfg.contains("asa-restapi-7201"),
            "{cfg}"
        );
    }

    #[test]
    fn status_follows_the_daemon_messages() {
        let (mut engine, _) = engine_with(
            &format!("{DEFAULT_LINE}\nrest-api agent\n"),
            Arc::new(MemFlash::default()),
        );
        assert!(
            engine
                .show_rest_api_agent()
                .contains("Agent status: starting")
        );
        engine.observe_agent_log(342001);
        assert!(
            engine
                .show_rest_api_agent()
                .contains("Agent status: running")
        );
        engine.observe_agent_log(342004);
        assert!(
            engine
                .show_rest_api_agent()
                .contains("stopped after five failed starts")
        );
        engine.observe_agent_log(111010);
        assert!(
            engine
                .show_rest_api_agent()
                .contains("stopped after five failed starts")
        );
    }

    /// disk0: whose default package can be taken away.
    #[derive(Debug)]
    struct Removable(std::sync::Mutex<bool>);

    impl Flash for Removable {
        fn read(&self, name: &str) -> io::Result<Vec<u8>> {
            let present = *self.0.lock().unwrap();
            if present && name == DEFAULT_PACKAGE {
                Ok(default_package())
            } else {
                Err(io::Error::new(io::ErrorKind::NotFound, "gone"))
            }
        }

        fn free_bytes(&self) -> u64 {
            FLASH_CAPACITY
        }
    }

    #[test]
    fn an_agent_hello_is_refused_once_the_image_no_longer_verifies() {
        use crate::engine::ConnState;
        use cli_translator::protocol::{Message, ProtocolErrorCode};

        let flash = Arc::new(Removable(std::sync::Mutex::new(true)));
        let (mut engine, _) =
            engine_with(&format!("{DEFAULT_LINE}\nrest-api agent\n"), flash.clone());
        let hello = |peer: &str| Message::Hello {
            version: 1,
            peer: peer.into(),
        };
        let (reply, _) = engine.handle(
            hello("rest-agent/1"),
            &mut ConnState::default(),
            Now::from_secs(2),
        );
        assert!(matches!(reply, Some(Message::HelloAck(_))));

        *flash.0.lock().unwrap() = false;
        let mut conn = ConnState::default();
        let (reply, _) = engine.handle(hello("rest-agent/1"), &mut conn, Now::from_secs(3));
        let Some(Message::Error(e)) = reply else {
            panic!("expected a refusal, got {reply:?}");
        };
        assert_eq!(e.code, ProtocolErrorCode::Refused);
        assert!(e.detail.contains("image file not found"), "{}", e.detail);
        // The connection is still not past hello; the daemon is served as before.
        let (reply, _) = engine.handle(Message::Subscribe, &mut conn, Now::from_secs(3));
        assert!(
            matches!(reply, Some(Message::Error(e)) if e.code == ProtocolErrorCode::HelloRequired)
        );
        let (reply, _) = engine.handle(
            hello("rest-daemon/1"),
            &mut ConnState::default(),
            Now::from_secs(3),
        );
        assert!(matches!(reply, Some(Message::HelloAck(_))));
    }

    #[test]
    fn clear_configure_stops_the_agent_and_uninstalls_the_image() {
        let (mut engine, _) = engine_with(
            &format!("{DEFAULT_LINE}\nrest-api agent\n"),
            Arc::new(MemFlash::default()),
        );
        let (ok, _, fx) = run(&mut engine, "clear configure rest-api");
        assert!(ok);
        assert!(fx.contains(&Effect::AgentControl(AgentControl::Stop)));
        assert_eq!(logged(&engine, 342007).len(), 1);
        assert!(!engine.running_config().contains("rest-api"));
        let (ok, _, fx) = run(&mut engine, "clear configure rest-api");
        assert!(ok && !fx.iter().any(|f| matches!(f, Effect::AgentControl(_))));
    }

    /// Runs `cmds` as one atomic configuration batch, as the agent sends a write.
    fn atomic(engine: &mut Engine, cmds: &[&str]) -> (bool, Vec<Effect>) {
        use crate::engine::ConnState;
        use cli_translator::protocol::{Exec, Message};

        let mut conn = ConnState::default();
        let hello = Message::Hello {
            version: 1,
            peer: "rest-daemon/1".into(),
        };
        let _ = engine.handle(hello, &mut conn, Now::from_secs(2));
        let exec = Message::Exec(Exec {
            user: "admin".into(),
            privilege: 15,
            source: std::net::IpAddr::from([127, 0, 0, 1]),
            context: None,
            mode: ExecMode::Config,
            atomic: true,
            commands: cmds.iter().map(|c| (*c).to_owned()).collect(),
            expected_generation: None,
        });
        let (reply, fx) = engine.handle(exec, &mut conn, Now::from_secs(3));
        let applied = matches!(reply, Some(Message::ExecResult(r)) if r.applied);
        (applied, fx)
    }

    #[test]
    fn an_undone_batch_still_logs_the_failure_that_undid_it() {
        let (mut engine, _) = engine_with(
            &format!("{DEFAULT_LINE}\nrest-api agent\n"),
            Arc::new(MemFlash::default()),
        );
        let (applied, _) = atomic(
            &mut engine,
            &[
                "object network undone",
                " host 10.9.9.9",
                "rest-api image disk0:/missing.SPA",
            ],
        );
        assert!(!applied);
        assert!(!engine.running_config().contains("undone"));
        let failed = logged(&engine, 342006);
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert!(failed[0].ends_with(
            "%ASA-3-342006: Failed to install REST API image, reason: image file not found"
        ));
        // The lines that were taken back leave no trace.
        assert!(
            !engine
                .log_buffer()
                .iter()
                .any(|l| l.contains("object network undone")),
            "{:?}",
            engine.log_buffer()
        );
        let (applied, _) = atomic(&mut engine, &["no rest-api image"]);
        assert!(!applied);
        assert_eq!(logged(&engine, 342008).len(), 1);
    }

    #[test]
    fn an_undone_batch_does_not_log_the_successes_it_took_back() {
        let (mut engine, _) = engine_with(
            &format!("{DEFAULT_LINE}\nrest-api agent\n"),
            Arc::new(MemFlash::default()),
        );
        let installed = logged(&engine, 342005).len();
        let (applied, fx) = atomic(
            &mut engine,
            &[
                "no rest-api agent",
                "no rest-api image",
                DEFAULT_LINE,
                "rest-api bogus",
            ],
        );
        assert!(!applied);
        assert!(logged(&engine, 342007).is_empty());
        assert_eq!(logged(&engine, 342005).len(), installed);
        assert!(!fx.iter().any(|f| matches!(f, Effect::AgentControl(_))));
        assert!(engine.rest_api_enabled());
        assert!(engine.running_config().contains(DEFAULT_LINE));
        // The same lines applied: both messages.
        let (applied, _) = atomic(
            &mut engine,
            &["no rest-api agent", "no rest-api image", DEFAULT_LINE],
        );
        assert!(applied);
        assert_eq!(logged(&engine, 342007).len(), 1);
        assert_eq!(logged(&engine, 342005).len(), installed + 1);
    }

    #[test]
    fn package_names_are_one_plain_component() {
        assert_eq!(package_name("disk0:/a.SPA"), Some("a.SPA"));
        assert_eq!(package_name("DISK0:b-1_2.SPA"), Some("b-1_2.SPA"));
        assert_eq!(package_name("disk0:/"), None);
        assert_eq!(package_name("disk0:/.hidden"), None);
        assert_eq!(package_name("flash:/a.SPA"), None);
        assert_eq!(package_name("disk0:/a b"), None);
    }
}
