//! Multiple-context mode: the system execution space and its security contexts, each with its
//! own running configuration, generation, startup text and logging; `mode single|multiple`,
//! `changeto`, `show context`, `show mode`, and which context a request or a console session
//! works in.
//!
//! What a context has of its own is one value, [`ContextState`] (name, configuration,
//! generation, startup text, last change, printed form, logging). The engine holds every
//! context's value in `Engine::contexts` (the single-mode device is the one entry; in multiple
//! mode the system execution space comes first) and selects the one commands run in with
//! `Engine::selected`. Command code takes the selected context by reference
//! (`&mut self.contexts[self.selected].config`), so switching context (`changeto`, a request's
//! `context`, [`Engine::with_admin`]) changes the selection only: no state moves. Between calls
//! the system is selected.
//!
//! Context definitions live in the system configuration as the ASA prints them
//! (`admin-context admin`, `context ctx1` with `allocate-interface`, `config-url`,
//! `description` sub-commands), kept by the verbatim machinery; [`Engine::sync_contexts`] makes
//! the contexts' states follow them after each committed change in the system context.
//!
//! Credentials live in the admin context (management access in multiple mode goes through it),
//! and a token made there works for every context, as Cisco documents.

use std::fmt;
use std::sync::Arc;

use cli_translator::ast::Command;
use cli_translator::protocol::{
    AgentControl, AuthFailure, CommandOutcome, ContextMode, Exec, ExecResult,
};

use super::checksum::Checksum;
use super::config::{Block, Config, Entry, Key};
use super::logging::LoggingState;
use super::restapi::Flash;
use super::session::{Level, LineOutcome, Origin, Session, abbrev};
use super::{ASA_VERSION, Effect, Engine, Now, load};

/// The name of the system execution space, as `?context=system` names it.
pub const SYSTEM: &str = "system";
/// Longest security context name the ASA accepts.
pub const MAX_CONTEXT_NAME: usize = 32;
/// Names the ASA reserves.
const RESERVED_NAMES: &[&str] = &[SYSTEM, "null", "Null"];

/// The marker the ASA prints after the version in a system configuration.
const SYSTEM_MARKER: &str = "<system>";
/// The marker the ASA prints after the version in a context's configuration.
const CONTEXT_MARKER: &str = "<context>";

/// What each security context (and the device in single mode) has of its own: its name,
/// running configuration, generation, startup text, last change, printed form and logging.
/// The engine holds every one in `Engine::contexts` and selects one with `Engine::selected`.
#[derive(Debug)]
pub struct ContextState {
    /// `system`, a security context's name, or empty for the single-mode device.
    pub(crate) name: String,
    pub(crate) config: Config,
    pub(crate) generation: u64,
    /// Shared with the print cache while the two are the same text, or on disk (`startup.rs`).
    pub(crate) startup: super::startup::Startup,
    pub(crate) last_change: Option<(String, Now)>,
    /// The printed body (until a large one is handed to its reader) and its checksum, for
    /// the configuration revision they describe.
    pub(crate) print_cache: Option<(u64, Option<Arc<String>>, Checksum)>,
    /// Whether the cached print was read since the last message ended (`release_large_print`).
    pub(crate) print_read: bool,
    pub(crate) logging: LoggingState,
}

impl ContextState {
    pub(crate) fn new(name: String, config: Config, generation: u64) -> ContextState {
        ContextState {
            name,
            config,
            generation,
            startup: super::startup::Startup::default(),
            last_change: None,
            print_cache: None,
            print_read: false,
            logging: LoggingState::new(),
        }
    }
}

/// The engine's context mode (the contexts themselves are `Engine::contexts`).
#[derive(Debug, Default)]
pub struct ModeState {
    /// Multiple context mode: `Engine::contexts` holds the system and the security contexts.
    multi: bool,
    /// A `mode` command accepted in the current unit of change; performed when it commits.
    pending: Option<ContextMode>,
}

/// A security context as the system configuration defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextDef {
    pub name: String,
    pub description: Option<String>,
    /// Allocated interfaces (the real names), in configuration order.
    pub interfaces: Vec<String>,
    pub config_url: Option<String>,
}

/// Why a context-related command or request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextError {
    /// The named context is not defined.
    NoSuchContext(String),
    /// Multiple mode, but the system configuration names no (defined) admin context.
    NoAdminContext,
    /// A context was named while the device is in single mode.
    SingleMode,
    /// A system-execution-space command typed in a context.
    SystemOnly,
    /// `changeto` in a REST batch (the `context` query parameter selects the context there).
    ChangetoThroughApi,
    /// A context name the ASA does not accept.
    BadName(String),
    /// `no context <admin>`.
    RemoveAdmin(String),
    /// `allocate-interface` of an interface the system configuration does not have.
    NoSuchInterface(String),
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContextError::NoSuchContext(name) => {
                write!(f, "ERROR: Context {name} does not exist")
            }
            ContextError::NoAdminContext => {
                f.write_str("ERROR: No admin context is configured (admin-context <name>)")
            }
            ContextError::SingleMode => f.write_str(
                "ERROR: Security contexts exist only in multiple context mode; the device is in single context mode",
            ),
            ContextError::SystemOnly => f.write_str(
                "ERROR: This command is available only in the system execution space (changeto system)",
            ),
            ContextError::ChangetoThroughApi => f.write_str(
                "ERROR: changeto is not available through the REST API; name the context with the 'context' query parameter",
            ),
            ContextError::BadName(name) => write!(
                f,
                "ERROR: Invalid context name {name}: use up to {MAX_CONTEXT_NAME} letters, digits, '-', '_' or '.'"
            ),
            ContextError::RemoveAdmin(name) => {
                write!(f, "ERROR: Cannot remove the admin context {name}")
            }
            ContextError::NoSuchInterface(name) => {
                write!(f, "ERROR: Interface {name} does not exist")
            }
        }
    }
}

impl std::error::Error for ContextError {}

impl ContextError {
    fn outcome(&self) -> LineOutcome {
        LineOutcome {
            ok: false,
            output: format!("{self}\n"),
            ..LineOutcome::default()
        }
    }
}

/// Whether a context name is acceptable (`context <name>`).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_CONTEXT_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && !RESERVED_NAMES.contains(&name)
}

/// Whether a startup text is a system configuration: a `mode multiple` line (how a hand-made
/// startup configuration asks for multiple mode) or the `<system>` version marker.
pub fn is_system_text(text: &str) -> bool {
    text.lines().take(64).any(|l| {
        let l = l.trim();
        l == "mode multiple" || (l.starts_with("ASA Version") && l.ends_with(SYSTEM_MARKER))
    })
}

/// A system configuration text as it loads: without its `mode multiple` lines (they are not
/// configuration), with a `<system>` version line when it has none (so that it prints, and
/// boots again, as a system configuration).
pub fn system_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 40);
    if !text
        .lines()
        .any(|l| l.trim_start().starts_with("ASA Version"))
    {
        out.push_str(&format!("ASA Version {ASA_VERSION} {SYSTEM_MARKER}\n"));
    }
    for line in text.lines() {
        if line.trim() != "mode multiple" {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The contexts a system configuration defines, in order.
pub fn defs_of(cfg: &Config) -> Vec<ContextDef> {
    cfg.iter()
        .filter_map(|(_, b)| {
            let mut words = b.head().text.split_whitespace();
            if words.next() != Some("context") {
                return None;
            }
            let name = words.next()?;
            if words.next().is_some() {
                return None;
            }
            let mut def = ContextDef {
                name: name.to_owned(),
                description: None,
                interfaces: Vec::new(),
                config_url: None,
            };
            for c in b.children() {
                let t = c.text.trim();
                if let Some(rest) = t.strip_prefix("allocate-interface ") {
                    if let Some(hw) = rest.split_whitespace().next() {
                        def.interfaces.push(hw.to_owned());
                    }
                } else if let Some(rest) = t.strip_prefix("config-url ") {
                    def.config_url = Some(rest.trim().to_owned());
                } else if let Some(rest) = t.strip_prefix("description ") {
                    def.description = Some(rest.trim().to_owned());
                }
            }
            Some(def)
        })
        .collect()
}

/// The `admin-context <name>` of a system configuration.
pub fn admin_of(cfg: &Config) -> Option<String> {
    cfg.iter().find_map(|(_, b)| {
        let mut words = b.head().text.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some("admin-context"), Some(name), None) => Some(name.to_owned()),
            _ => None,
        }
    })
}

/// The file a `config-url` names on disk0 (`disk0:/ctx1.cfg` -> `ctx1.cfg`), when it is one
/// plain file name.
pub fn disk0_file(url: &str) -> Option<&str> {
    let file = url
        .strip_prefix("disk0:/")
        .or_else(|| url.strip_prefix("flash:/"))?;
    let plain = !file.is_empty()
        && file != "."
        && file != ".."
        && file
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    plain.then_some(file)
}

/// `show context` as the ASA prints it: one row per context, the admin context starred.
pub fn context_table(defs: &[ContextDef], admin: Option<&str>) -> String {
    let mut out = String::from(
        "Context Name      Class                Interfaces           Mode         URL\n",
    );
    for d in defs {
        let star = if admin == Some(d.name.as_str()) {
            '*'
        } else {
            ' '
        };
        let lines = wrap_interfaces(&d.interfaces, 20);
        let first = lines.first().map(String::as_str).unwrap_or("");
        out.push_str(&format!(
            "{star}{:<17}{:<21}{:<21}{:<13}{}\n",
            d.name,
            "default",
            first,
            "Routed",
            d.config_url.as_deref().unwrap_or("")
        ));
        for more in lines.iter().skip(1) {
            out.push_str(&format!("{:40}{more}\n", ""));
        }
    }
    out.push_str(&format!(
        "\nTotal active Security Contexts: {}\n",
        defs.len()
    ));
    out
}

/// Comma-joined interface names, cut into lines of at most `width` characters (a name longer
/// than that gets a line of its own); every line but the last ends with a comma.
fn wrap_interfaces(names: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, n) in names.iter().enumerate() {
        let piece = if i + 1 < names.len() {
            format!("{n},")
        } else {
            n.clone()
        };
        if !cur.is_empty() && cur.len() + piece.len() > width {
            lines.push(std::mem::take(&mut cur));
        }
        cur.push_str(&piece);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// `show context detail`: one paragraph per context.
pub fn context_detail(defs: &[ContextDef]) -> String {
    let mut out = String::new();
    for (i, d) in defs.iter().enumerate() {
        let ifs = d.interfaces.join(", ");
        out.push_str(&format!(
            "Context \"{}\", has been created\n  Config URL: {}\n  Real Interfaces: {ifs}\n  Mapped Interfaces: {ifs}\n  Class: default, Flags: 0x00000111, ID: {}\n\n",
            d.name,
            d.config_url.as_deref().unwrap_or(""),
            i + 1
        ));
    }
    out
}

fn refused_result(error: &ContextError, generation: u64) -> ExecResult {
    ExecResult {
        outcomes: vec![CommandOutcome {
            ok: false,
            output: format!("{error}\n"),
        }],
        applied: false,
        generation,
        refusal: None,
    }
}

impl Engine {
    // ===== mode and contexts =====

    pub fn context_mode(&self) -> ContextMode {
        if self.modes.multi {
            ContextMode::Multiple
        } else {
            ContextMode::Single
        }
    }

    /// The selected context, the one commands run in (`None` in single mode).
    pub fn selected_context(&self) -> Option<&str> {
        self.modes
            .multi
            .then(|| self.contexts[self.selected].name.as_str())
    }

    /// Where the state of context `name` is in `Engine::contexts` (multiple mode only).
    pub(crate) fn context_index(&self, name: &str) -> Option<usize> {
        if !self.modes.multi {
            return None;
        }
        self.contexts.iter().position(|c| c.name == name)
    }

    /// Boot-time switch to multiple mode: the loaded configuration is the system's; each
    /// context's configuration is read from its `config-url` file on disk0: when there is one.
    pub(crate) fn boot_multiple(&mut self, flash: &dyn Flash) {
        self.modes.multi = true;
        self.contexts.truncate(1);
        self.selected = 0;
        self.contexts[0].name = SYSTEM.to_owned();
        self.contexts[0].print_cache = None;
        self.sync_contexts();
        for (name, file) in self.context_files() {
            if let Ok(bytes) = flash.read(&file) {
                self.load_context(&name, &String::from_utf8_lossy(&bytes));
            }
        }
    }

    /// After a unit of change committed: the contexts follow a changed system configuration,
    /// then an accepted `mode` command is performed.
    pub(crate) fn after_commit(&mut self, changed: bool, now: Now) -> Vec<Effect> {
        if changed && self.selected_context() == Some(SYSTEM) {
            self.sync_contexts();
        }
        self.finish_mode_switch(now)
    }

    /// Asks the daemon to restart the agent process (it learns the new mode at its hello).
    fn restart_agent(&self) -> Vec<Effect> {
        vec![Effect::AgentControl(AgentControl::Restart)]
    }

    fn system_config(&self) -> Option<&Config> {
        Some(&self.contexts[self.context_index(SYSTEM)?].config)
    }

    /// The contexts the system configuration defines (empty in single mode).
    pub fn context_defs(&self) -> Vec<ContextDef> {
        self.system_config().map(defs_of).unwrap_or_default()
    }

    /// The admin context, when multiple mode names one that is defined.
    pub fn admin_context(&self) -> Option<String> {
        let name = admin_of(self.system_config()?)?;
        self.context_exists(&name).then_some(name)
    }

    /// Whether `name` is the system or a defined context (multiple mode only).
    pub fn context_exists(&self, name: &str) -> bool {
        self.modes.multi && (name == SYSTEM || self.context_index(name).is_some())
    }

    /// The generation of a context.
    pub fn context_generation(&self, name: &str) -> Option<u64> {
        Some(self.contexts[self.context_index(name)?].generation)
    }

    /// The running configuration of a context (multiple mode), secrets in clear, as
    /// `more system:running-config` prints it there.
    pub fn context_running_config(&mut self, name: &str) -> Option<String> {
        let back = self.selected;
        if !self.select_context(name) {
            return None;
        }
        let text = self.running_config();
        self.selected = back;
        Some(text)
    }

    /// The generation the API sees: the admin context's in multiple mode (the agent's
    /// snapshot is of the admin context), the device's in single mode.
    pub fn api_generation(&self) -> u64 {
        match self.modes.multi {
            false => self.contexts[self.selected].generation,
            true => self
                .admin_context()
                .and_then(|a| self.context_generation(&a))
                .or_else(|| self.context_generation(SYSTEM))
                .unwrap_or(self.contexts[self.selected].generation),
        }
    }

    /// The `ASA Version` line for the selected configuration.
    pub(crate) fn version_line(&self) -> String {
        match self.selected_context() {
            None => format!("ASA Version {ASA_VERSION} "),
            Some(SYSTEM) => format!("ASA Version {ASA_VERSION} {SYSTEM_MARKER}"),
            Some(_) => format!("ASA Version {ASA_VERSION} {CONTEXT_MARKER}"),
        }
    }

    /// Selects context `name`: commands run in it from now on. False in single mode or when
    /// no such context exists (the selection is then unchanged).
    pub fn select_context(&mut self, name: &str) -> bool {
        match self.context_index(name) {
            Some(i) => {
                self.selected = i;
                true
            }
            None => false,
        }
    }

    /// Selects the system execution space again (no-op in single mode).
    pub fn select_system(&mut self) {
        self.select_context(SYSTEM);
    }

    /// Runs `f` with the admin context selected, when multiple mode has one and it is not
    /// selected already; `None` means "run it where you are".
    pub(crate) fn with_admin<R>(&mut self, f: impl FnOnce(&mut Engine) -> R) -> Option<R> {
        let admin = self.admin_context()?;
        let back = self.selected;
        if self.selected_context()? == admin || !self.select_context(&admin) {
            return None;
        }
        let r = f(self);
        self.selected = back;
        Some(r)
    }

    /// The configuration that holds the users: the admin context's in multiple mode.
    pub(crate) fn aaa_config(&self) -> &Config {
        let admin = self
            .admin_context()
            .and_then(|admin| self.context_index(&admin));
        &self.contexts[admin.unwrap_or(self.selected)].config
    }

    /// Checks the context a request names: single mode takes none; multiple mode takes the
    /// system, a defined context, or none (the admin context, which must exist).
    pub(crate) fn check_request_context(&self, requested: Option<&str>) -> Result<(), AuthFailure> {
        match (self.modes.multi, requested) {
            (false, None) => Ok(()),
            (false, Some(_)) => Err(AuthFailure::NoSuchContext),
            (true, None) => self
                .admin_context()
                .map(|_| ())
                .ok_or(AuthFailure::NoSuchContext),
            (true, Some(name)) if self.context_exists(name) => Ok(()),
            (true, Some(_)) => Err(AuthFailure::NoSuchContext),
        }
    }

    /// The context a new token counts against (25 each): none in single mode, the admin
    /// context when a multiple-mode request names none.
    pub(crate) fn token_context(
        &self,
        requested: Option<&str>,
    ) -> Result<Option<String>, AuthFailure> {
        self.check_request_context(requested)?;
        if !self.modes.multi {
            return Ok(None);
        }
        match requested {
            Some(name) => Ok(Some(name.to_owned())),
            None => self
                .admin_context()
                .map(Some)
                .ok_or(AuthFailure::NoSuchContext),
        }
    }

    /// Where a batch runs in multiple mode: the named context (`system` is the system
    /// execution space), else the admin context. Cisco: "If the 'context' query parameter is
    /// not present, the request is directed to the admin context"; a client that wants the
    /// system execution space names it (the agent does so for the monitoring resources that
    /// only the system context has, such as CPU usage).
    pub fn exec_target(&self, requested: Option<&str>) -> Result<String, ContextError> {
        if !self.modes.multi {
            return Err(ContextError::SingleMode);
        }
        match requested {
            Some(name) if self.context_exists(name) => Ok(name.to_owned()),
            Some(name) => Err(ContextError::NoSuchContext(name.to_owned())),
            None => self.admin_context().ok_or(ContextError::NoAdminContext),
        }
    }

    /// Runs an `Exec` in the context it targets (multiple mode), or as before (single mode).
    pub(crate) fn exec_routed(&mut self, e: &Exec, now: Now) -> (ExecResult, Vec<Effect>) {
        self.modes.pending = None;
        if !self.modes.multi {
            if e.context.is_some() {
                return (
                    refused_result(
                        &ContextError::SingleMode,
                        self.contexts[self.selected].generation,
                    ),
                    Vec::new(),
                );
            }
            let (result, fx) = self.exec_batch(e, now);
            if !result.applied {
                self.modes.pending = None;
            }
            return (result, fx);
        }
        let target = match self.exec_target(e.context.as_deref()) {
            Ok(t) => t,
            Err(err) => return (refused_result(&err, self.api_generation()), Vec::new()),
        };
        self.select_context(&target);
        let (mut result, fx) = self.exec_batch(e, now);
        if !result.applied {
            self.modes.pending = None;
        }
        let fx = self.context_effects(&target, fx);
        self.select_system();
        result.generation = self.api_generation();
        (result, fx)
    }

    /// Adjusts the effects of work done in `target` while it is still selected: only the admin
    /// context's generation is pushed (it is what the agent's snapshot follows), and a
    /// context's `write memory` goes to its `config-url` file rather than the startup file.
    pub(crate) fn context_effects(&self, target: &str, fx: Vec<Effect>) -> Vec<Effect> {
        if !self.modes.multi || (target == SYSTEM && self.admin_context().is_none()) {
            return fx;
        }
        let admin = self.admin_context();
        let file = self
            .context_defs()
            .into_iter()
            .find(|d| d.name == target)
            .and_then(|d| d.config_url)
            .and_then(|u| disk0_file(&u).map(str::to_owned));
        fx.into_iter()
            .filter_map(|f| match f {
                Effect::GenerationChanged(_) if admin.as_deref() != Some(target) => None,
                Effect::WriteStartup(text) if target != SYSTEM => {
                    file.clone().map(|file| Effect::WriteDisk { file, text })
                }
                other => Some(other),
            })
            .collect()
    }

    /// Loads a context's configuration text (its `config-url` file, read by the shell at boot).
    pub fn load_context(&mut self, name: &str, text: &str) -> bool {
        if name == SYSTEM || !self.select_context(name) {
            return false;
        }
        self.contexts[self.selected].config = load::load(text, &mut self.rng);
        self.contexts[self.selected].print_cache = None;
        self.contexts[self.selected].logging = LoggingState::new();
        self.allocate_interfaces(name);
        let print = self.running_config_shared();
        self.set_startup(self.selected, print);
        self.select_system();
        true
    }

    /// The `config-url` files on disk0 of the defined contexts: (context, file name).
    pub fn context_files(&self) -> Vec<(String, String)> {
        self.context_defs()
            .into_iter()
            .filter_map(|d| {
                let file = disk0_file(d.config_url.as_deref()?)?.to_owned();
                Some((d.name, file))
            })
            .collect()
    }

    /// Makes the contexts follow the system configuration: a state for each new context (its
    /// allocated interfaces added), removed ones dropped with their tokens. The selected
    /// context stays selected.
    pub(crate) fn sync_contexts(&mut self) {
        let Some(system) = self.system_config() else {
            return;
        };
        let defs = defs_of(system);
        let selected = self.contexts[self.selected].name.clone();
        let mut gone = Vec::new();
        self.contexts.retain(|c| {
            let keep =
                c.name == SYSTEM || c.name == selected || defs.iter().any(|d| d.name == c.name);
            if !keep {
                gone.push(c.name.clone());
            }
            keep
        });
        self.select_context(&selected);
        for name in gone {
            self.tokens.remove_context(&name);
        }
        let back = self.selected;
        for d in &defs {
            if !valid_name(&d.name) || d.name == selected {
                continue;
            }
            let fresh = self.context_index(&d.name).is_none();
            if fresh {
                let text = format!("ASA Version {ASA_VERSION} {CONTEXT_MARKER}\n!\n");
                let config = load::load(&text, &mut self.rng);
                self.contexts
                    .push(ContextState::new(d.name.clone(), config, 1));
            }
            if self.select_context(&d.name) {
                let before = self.contexts[self.selected].config.revision();
                self.allocate_interfaces(&d.name);
                if fresh {
                    let print = self.running_config_shared();
                    self.set_startup(self.selected, print);
                } else if self.contexts[self.selected].config.revision() != before {
                    self.contexts[self.selected].generation += 1;
                }
                self.selected = back;
            }
        }
    }

    /// Adds to the selected context an `interface` block for each interface the system
    /// allocates to `name` and the context does not show yet.
    fn allocate_interfaces(&mut self, name: &str) {
        let wanted = self
            .context_defs()
            .into_iter()
            .find(|d| d.name == name)
            .map(|d| d.interfaces)
            .unwrap_or_default();
        let mut changed = false;
        for hw in wanted {
            if self.contexts[self.selected]
                .config
                .lookup(&Key::Interface(hw.clone()))
                .is_some()
            {
                continue;
            }
            let children = vec![
                Entry::typed(Command::NoNameif),
                Entry::typed(Command::NoSecurityLevel),
                Entry::typed(Command::NoIpAddress),
            ];
            self.contexts[self.selected]
                .config
                .insert_placed(Block::new(Entry::typed(Command::Interface(hw)), children));
            changed = true;
        }
        if changed {
            self.contexts[self.selected].config.commit();
        }
    }

    // ===== mode switch =====

    /// Performs a `mode` command accepted in the unit of change that just committed. The ASA
    /// converts the configuration and reloads; here LINA converts in place and the agent is
    /// restarted (tokens end with it).
    pub(crate) fn finish_mode_switch(&mut self, now: Now) -> Vec<Effect> {
        match self.modes.pending.take() {
            Some(ContextMode::Multiple) if !self.modes.multi => self.convert_to_multiple(now),
            Some(ContextMode::Single) if self.selected_context() == Some(SYSTEM) => {
                self.convert_to_single(now)
            }
            _ => Vec::new(),
        }
    }

    /// Single -> multiple: the running configuration becomes the admin context's
    /// (`disk0:/admin.cfg`); the system configuration allocates every interface to it.
    fn convert_to_multiple(&mut self, now: Now) -> Vec<Effect> {
        let hostname = self.hostname();
        let interfaces: Vec<String> = self.contexts[self.selected]
            .config
            .iter()
            .filter_map(|(_, b)| match b.head().typed_as("interface") {
                Some(Command::Interface(hw)) => Some(hw.clone()),
                _ => None,
            })
            .collect();
        let mut text =
            format!("ASA Version {ASA_VERSION} {SYSTEM_MARKER}\n!\nhostname {hostname}\n!\n");
        for hw in &interfaces {
            text.push_str(&format!("interface {hw}\n!\n"));
        }
        text.push_str("admin-context admin\ncontext admin\n");
        for hw in &interfaces {
            text.push_str(&format!("  allocate-interface {hw}\n"));
        }
        text.push_str("  config-url disk0:/admin.cfg\n!\n");
        // The REST API Agent commands belong to the system execution space; the system logs
        // as the device did.
        for line in self.take_rest_api_lines() {
            text.push_str(&line);
            text.push('\n');
        }
        for (_, b) in self.contexts[self.selected].config.iter() {
            if b.head().text.starts_with("logging ") {
                text.push_str(b.head().text);
                text.push('\n');
            }
        }
        let system = load::load(&text, &mut self.rng);
        // The device's state becomes the admin context's, in place; the system's is new.
        let device = &mut self.contexts[self.selected];
        device.name = "admin".to_owned();
        device.generation += 1;
        device.startup = super::startup::Startup::default();
        device.print_cache = None;
        let generation = device.generation;
        self.contexts
            .insert(0, ContextState::new(SYSTEM.to_owned(), system, 1));
        self.selected = 0;
        self.modes.multi = true;
        let print = self.running_config_shared();
        self.set_startup(self.selected, print);
        self.sync_contexts();
        let admin_text = self.context_running_config("admin").unwrap_or_default();
        if let Some(i) = self.context_index("admin") {
            self.set_startup(i, Arc::new(admin_text.clone()));
        }
        self.tokens.clear();
        self.contexts[self.selected].last_change = Some(("mode".to_owned(), now));
        let mut fx = vec![
            Effect::WriteStartup(self.startup_of(self.selected).as_str().to_owned()),
            Effect::WriteDisk {
                file: "admin.cfg".to_owned(),
                text: admin_text,
            },
            Effect::GenerationChanged(generation),
        ];
        fx.extend(self.restart_agent());
        fx
    }

    /// Multiple -> single: the admin context's configuration becomes the device's; the other
    /// contexts are dropped.
    fn convert_to_single(&mut self, now: Now) -> Vec<Effect> {
        let Some(admin) = self.admin_context() else {
            return Vec::new();
        };
        let pushed = self.api_generation();
        let Some(i) = self.context_index(&admin).filter(|&i| i != self.selected) else {
            return Vec::new();
        };
        let rest_api = self.take_rest_api_lines();
        // The admin context's state becomes the device's; every other context's is dropped.
        let mut device = self.contexts.swap_remove(i);
        device.name = String::new();
        self.contexts = vec![device];
        self.selected = 0;
        self.modes.multi = false;
        for line in rest_api {
            if !self.contexts[self.selected]
                .config
                .iter()
                .any(|(_, b)| b.head().text == line)
            {
                self.contexts[self.selected]
                    .config
                    .insert_placed(Block::leaf(Entry::verbatim(line)));
            }
        }
        self.contexts[self.selected].config.commit();
        self.contexts[self.selected].print_cache = None;
        self.contexts[self.selected].generation =
            self.contexts[self.selected].generation.max(pushed) + 1;
        let print = self.running_config_shared();
        self.set_startup(self.selected, print);
        self.tokens.clear();
        self.contexts[self.selected].last_change = Some(("mode".to_owned(), now));
        let mut fx = vec![
            Effect::WriteStartup(self.startup_of(self.selected).as_str().to_owned()),
            Effect::GenerationChanged(self.contexts[self.selected].generation),
        ];
        fx.extend(self.restart_agent());
        fx
    }

    /// Removes the `rest-api ...` lines from the selected configuration and returns them.
    fn take_rest_api_lines(&mut self) -> Vec<String> {
        let found: Vec<(super::config::BlockId, String)> = self.contexts[self.selected]
            .config
            .iter()
            .filter(|(_, b)| b.head().text.starts_with("rest-api "))
            .map(|(id, b)| (id, b.head().text.to_string()))
            .collect();
        for (id, _) in &found {
            self.contexts[self.selected].config.remove(*id);
        }
        self.contexts[self.selected].config.commit();
        found.into_iter().map(|(_, text)| text).collect()
    }

    // ===== CLI =====

    /// Context commands in a session, before the ordinary dispatch: `mode`, `changeto`,
    /// `show context`, `show mode`, and the checks on `context`/`admin-context`/
    /// `allocate-interface` in the system configuration. `None`: not one of them.
    pub(crate) fn context_line(
        &mut self,
        session: &mut Session,
        line: &str,
        indented: bool,
    ) -> Option<LineOutcome> {
        let multi = self.modes.multi;
        let first = line.split_whitespace().next()?;
        // Single mode knows only `mode` and `show mode`: every other line leaves at once.
        if !multi && !first.eq_ignore_ascii_case("mode") && !abbrev(first, "show", 2) {
            return None;
        }
        let first = first.to_ascii_lowercase();
        let words: Vec<&str> = line.split_whitespace().collect();
        let in_sub = matches!(session.level, Level::Sub(_));
        let in_system = self.selected_context() == Some(SYSTEM);
        if !indented && !in_sub && first == "mode" {
            return Some(self.mode_command(session, line, &words));
        }
        if !indented && !in_sub && first == "changeto" {
            if !multi {
                return None;
            }
            return Some(self.changeto(session, line, &words));
        }
        if !indented && abbrev(&first, "show", 2) && words.len() >= 2 {
            let what = words.get(1).copied().unwrap_or("");
            if what.eq_ignore_ascii_case("mode") && words.len() == 2 {
                let mode = if multi { "multiple" } else { "single" };
                return Some(LineOutcome {
                    ok: true,
                    output: format!("Security context mode: {mode}\n"),
                    ..LineOutcome::default()
                });
            }
            if multi && abbrev(what, "context", 4) {
                return Some(self.show_context(line, &words));
            }
            return None;
        }
        if !multi || !session.in_config() {
            return None;
        }
        let no = first == "no";
        let key = if no {
            words
                .get(1)
                .map(|w| w.to_ascii_lowercase())
                .unwrap_or_default()
        } else {
            first.clone()
        };
        if !indented && key == "rest-api" && !in_system {
            return Some(ContextError::SystemOnly.outcome());
        }
        if !indented && matches!(key.as_str(), "context" | "admin-context") {
            if !in_system {
                return Some(ContextError::SystemOnly.outcome());
            }
            let name = if no { words.get(2) } else { words.get(1) };
            if let Some(name) = name {
                if !valid_name(name) {
                    return Some(ContextError::BadName((*name).to_owned()).outcome());
                }
                if no && key == "context" && self.admin_context().as_deref() == Some(*name) {
                    return Some(ContextError::RemoveAdmin((*name).to_owned()).outcome());
                }
            }
            return None;
        }
        if no || key != "allocate-interface" || !in_system {
            return None;
        }
        // `allocate-interface <hw>` inside a `context` block of the system configuration.
        let Level::Sub(sub) = &session.level else {
            return None;
        };
        let in_context_block = self.contexts[self.selected]
            .config
            .block(sub.block)
            .is_some_and(|b| b.head().text.starts_with("context "));
        if !in_context_block {
            return None;
        }
        let hw = words.get(1)?;
        let known = self.contexts[self.selected].config.iter().any(|(_, b)| {
            matches!(b.head().typed_as("interface"), Some(Command::Interface(i)) if i.eq_ignore_ascii_case(hw))
        });
        if known {
            None
        } else {
            Some(ContextError::NoSuchInterface((*hw).to_owned()).outcome())
        }
    }

    fn mode_command(&mut self, session: &Session, line: &str, words: &[&str]) -> LineOutcome {
        if session.level == Level::UserExec {
            return invalid(line, 0);
        }
        if self.modes.multi && self.selected_context() != Some(SYSTEM) {
            return ContextError::SystemOnly.outcome();
        }
        let target = match words.get(1).map(|w| w.to_ascii_lowercase()) {
            None => return incomplete(),
            Some(w) if abbrev(&w, "single", 1) => ContextMode::Single,
            Some(w) if abbrev(&w, "multiple", 1) => ContextMode::Multiple,
            Some(_) => return invalid(line, super::apply::word_offset(line, 1)),
        };
        match words.get(2) {
            None => {}
            Some(w) if abbrev(&w.to_ascii_lowercase(), "noconfirm", 1) && words.len() == 3 => {}
            Some(_) => {
                let at = if words.len() > 3 { 3 } else { 2 };
                return invalid(line, super::apply::word_offset(line, at));
            }
        }
        if session.privilege < super::session::CONFIG_PRIVILEGE {
            return LineOutcome {
                ok: false,
                output: "ERROR: Command authorization failed\n".to_owned(),
                ..LineOutcome::default()
            };
        }
        let name = match target {
            ContextMode::Single => "single",
            ContextMode::Multiple => "multiple",
        };
        if self.context_mode() == target {
            return LineOutcome {
                ok: true,
                output: format!("The device is already in {name} context mode.\n"),
                ..LineOutcome::default()
            };
        }
        if target == ContextMode::Single && self.admin_context().is_none() {
            return ContextError::NoAdminContext.outcome();
        }
        self.modes.pending = Some(target);
        let what = match target {
            ContextMode::Multiple => {
                "The running configuration becomes the admin context's (disk0:/admin.cfg)."
            }
            ContextMode::Single => {
                "The admin context's configuration becomes the running configuration; other contexts are removed."
            }
        };
        LineOutcome {
            ok: true,
            output: format!(
                "WARNING: This command will change the behavior of the device\nWARNING: This command will initiate a Reboot\nConverting to {name} context mode. {what}\n"
            ),
            ..LineOutcome::default()
        }
    }

    fn changeto(&mut self, session: &mut Session, line: &str, words: &[&str]) -> LineOutcome {
        if session.origin == Origin::Api {
            return ContextError::ChangetoThroughApi.outcome();
        }
        if session.level == Level::UserExec {
            return invalid(line, 0);
        }
        let target = match (words.get(1).map(|w| w.to_ascii_lowercase()), words.get(2)) {
            (None, _) => return incomplete(),
            (Some(w), None) if abbrev(&w, "system", 2) => None,
            (Some(w), Some(name)) if abbrev(&w, "context", 1) && words.len() == 3 => {
                Some((*name).to_owned())
            }
            (Some(w), None) if abbrev(&w, "context", 1) => return incomplete(),
            (Some(_), _) => return invalid(line, super::apply::word_offset(line, 1)),
        };
        match target {
            None => session.context = None,
            Some(name) if name == SYSTEM => session.context = None,
            Some(name) if self.context_exists(&name) => session.context = Some(name),
            Some(name) => return ContextError::NoSuchContext(name).outcome(),
        }
        if session.in_config() {
            session.level = Level::PrivExec;
        }
        LineOutcome {
            ok: true,
            ..LineOutcome::default()
        }
    }

    fn show_context(&self, line: &str, words: &[&str]) -> LineOutcome {
        let selected = self.selected_context().unwrap_or(SYSTEM).to_owned();
        let mut defs = self.context_defs();
        if selected != SYSTEM {
            defs.retain(|d| d.name == selected);
        }
        let admin = self.admin_context();
        let output = match words.get(2).map(|w| w.to_ascii_lowercase()) {
            None => context_table(&defs, admin.as_deref()),
            Some(w) if abbrev(&w, "detail", 1) && words.len() == 3 => context_detail(&defs),
            Some(w) if abbrev(&w, "count", 2) && words.len() == 3 => {
                format!("Total active contexts: {}\n", defs.len())
            }
            Some(_) if words.len() == 3 => {
                let name = words.get(2).copied().unwrap_or("");
                defs.retain(|d| d.name == name);
                if defs.is_empty() {
                    return ContextError::NoSuchContext(name.to_owned()).outcome();
                }
                context_table(&defs, admin.as_deref())
            }
            Some(_) => return invalid(line, super::apply::word_offset(line, 3)),
        };
        LineOutcome {
            ok: true,
            output,
            ..LineOutcome::default()
        }
    }

    /// The console prompt's context part: `/ctx1` while a session works in a context.
    pub(crate) fn context_prompt(&self, session: &Session) -> String {
        match (self.modes.multi, &session.context) {
            (true, Some(name)) => format!("/{name}"),
            _ => String::new(),
        }
    }

    /// One console command in multiple mode, in the session's context. `None` in single mode.
    pub(crate) fn console_in_context(
        &mut self,
        session: &mut Session,
        line: &str,
        now: Now,
    ) -> Option<(String, Vec<Effect>)> {
        if !self.modes.multi {
            return None;
        }
        let target = match &session.context {
            Some(name) if self.context_exists(name) => name.clone(),
            Some(name) => {
                // The context was removed under the session: back to the system.
                let out = format!("{}\n", ContextError::NoSuchContext(name.clone()));
                session.context = None;
                session.level = Level::PrivExec;
                return Some((out, Vec::new()));
            }
            None => SYSTEM.to_owned(),
        };
        self.select_context(&target);
        let mark = self.contexts[self.selected].config.mark();
        let out = self.run_line(session, line, now);
        let user = session.user.clone();
        let fx = self.commit(mark, &user, out.effects, out.logs, now);
        let fx = self.context_effects(&target, fx);
        self.select_system();
        Some((out.output, fx))
    }
}

fn invalid(line: &str, offset: usize) -> LineOutcome {
    let e = super::error::CliError::invalid(line, offset);
    LineOutcome {
        ok: false,
        output: e.output(),
        ..LineOutcome::default()
    }
}

fn incomplete() -> LineOutcome {
    LineOutcome {
        ok: false,
        output: super::error::CliError::Incomplete.output(),
        ..LineOutcome::default()
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};
    use std::sync::Arc;

    use cli_translator::protocol::{
        Authenticate, Credential, ExecMode, Message, TokenCreate, TokenFailure, TokenResult,
    };

    use super::*;
    use crate::default_config;
    use crate::engine::restapi::MemFlash;
    use crate::engine::{ConnState, EngineOptions};

    const T0: i64 = 1_795_353_601;
    const PW: &str = "Admin-123";

    const SYSTEM_CONFIG: &str = "mode multiple
hostname sys
interface GigabitEthernet0/0
!
interface GigabitEthernet0/1
!
interface GigabitEthernet0/2
!
admin-context admin
context admin
  allocate-interface GigabitEthernet0/0
  config-url disk0:/admin.cfg
!
context ctx1
  description Customer one
  allocate-interface GigabitEthernet0/1
  config-url disk0:/ctx1.cfg
!
";

    fn now() -> Now {
        Now::from_secs(T0)
    }

    fn src() -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, 9))
    }

    /// A multiple-mode engine whose admin context (read from disk0:/admin.cfg) holds `admin`.
    fn multi() -> Engine {
        let mut flash = MemFlash::default();
        flash.files.insert(
            "admin.cfg".into(),
            format!("hostname adminctx\nusername admin password {PW} privilege 15\n").into_bytes(),
        );
        let opts = EngineOptions {
            flash: Arc::new(flash),
            ..EngineOptions::default()
        };
        Engine::boot(SYSTEM_CONFIG, &opts, [5; 32], now()).0
    }

    fn single() -> Engine {
        let text = default_config::text(PW).unwrap_or_default();
        Engine::boot(&text, &EngineOptions::default(), [5; 32], now()).0
    }

    fn conn(e: &mut Engine) -> ConnState {
        let mut conn = ConnState::default();
        let hello = Message::Hello {
            version: 1,
            peer: "rest-daemon/test".into(),
        };
        e.handle(hello, &mut conn, now());
        conn
    }

    fn run(e: &mut Engine, context: Option<&str>, cmds: &[&str]) -> (ExecResult, Vec<Effect>) {
        let mut c = conn(e);
        let msg = Message::Exec(Exec {
            user: "admin".into(),
            privilege: 15,
            source: src(),
            context: context.map(str::to_owned),
            mode: ExecMode::Config,
            atomic: false,
            commands: cmds.iter().map(|c| (*c).to_owned()).collect(),
            expected_generation: None,
        });
        match e.handle(msg, &mut c, now()) {
            (Some(Message::ExecResult(r)), fx) => (r, fx),
            other => panic!("{other:?}"),
        }
    }

    fn out(e: &mut Engine, context: Option<&str>, cmd: &str) -> String {
        let (r, _) = run(e, context, &[cmd]);
        assert!(r.outcomes[0].ok, "{cmd}: {}", r.outcomes[0].output);
        r.outcomes[0].output.clone()
    }

    fn auth(
        e: &mut Engine,
        credential: Credential,
        context: Option<&str>,
    ) -> Result<u64, AuthFailure> {
        let mut c = conn(e);
        let msg = Message::Authenticate(Authenticate {
            credential,
            context: context.map(str::to_owned),
            source: src(),
        });
        match e.handle(msg, &mut c, now()) {
            (Some(Message::AuthResult(r)), _) => r.map(|s| s.generation),
            other => panic!("{other:?}"),
        }
    }

    fn basic() -> Credential {
        Credential::Basic {
            username: "admin".into(),
            password: PW.into(),
        }
    }

    fn token(e: &mut Engine, context: Option<&str>) -> TokenResult {
        let mut c = conn(e);
        let msg = Message::TokenCreate(TokenCreate {
            username: "admin".into(),
            password: PW.into(),
            context: context.map(str::to_owned),
            source: src(),
        });
        match e.handle(msg, &mut c, now()) {
            (Some(Message::TokenResult(r)), _) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_system_configuration_boots_in_multiple_mode_with_its_contexts() {
        let mut e = multi();
        assert_eq!(e.facts().context_mode, ContextMode::Multiple);
        assert_eq!(e.facts().hostname, "sys");
        assert_eq!(e.admin_context().as_deref(), Some("admin"));
        let names: Vec<String> = e.context_defs().into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["admin", "ctx1"]);
        // Each context has its own configuration; no context means the admin context.
        let admin = out(&mut e, None, "show running-config");
        assert!(admin.contains("ASA Version 9.16(4) <context>\n"), "{admin}");
        assert!(admin.contains("hostname adminctx\n"), "{admin}");
        assert!(admin.contains("interface GigabitEthernet0/0\n"), "{admin}");
        let ctx1 = out(&mut e, Some("ctx1"), "show running-config");
        assert!(!ctx1.contains("adminctx"), "{ctx1}");
        assert!(ctx1.contains("interface GigabitEthernet0/1\n"), "{ctx1}");
        let system = out(&mut e, Some("system"), "show running-config");
        assert!(
            system.contains("ASA Version 9.16(4) <system>\n"),
            "{system}"
        );
        assert!(system.contains("context ctx1\n"), "{system}");
        // The startup text boots again as a system configuration.
        assert!(is_system_text(&e.startup_config()));
    }

    #[test]
    fn each_context_has_its_own_objects_and_generation() {
        let mut e = multi();
        let g0 = e.api_generation();
        let (r, fx) = run(
            &mut e,
            Some("ctx1"),
            &["object network web", " host 10.1.1.1"],
        );
        assert!(r.applied);
        assert_eq!(e.context_generation("ctx1"), Some(2));
        assert_eq!(e.api_generation(), g0, "the admin context did not change");
        assert!(
            !fx.iter().any(|f| matches!(f, Effect::GenerationChanged(_))),
            "only the admin context's changes are pushed: {fx:?}"
        );
        assert!(!out(&mut e, None, "show running-config").contains("object network web"));
        // The same name in the admin context is another object.
        let (r, fx) = run(&mut e, None, &["object network web", " host 10.2.2.2"]);
        assert!(r.applied);
        assert_eq!(r.generation, g0 + 1);
        assert!(fx.contains(&Effect::GenerationChanged(g0 + 1)), "{fx:?}");
        let ctx1 = out(&mut e, Some("ctx1"), "show running-config object");
        assert!(ctx1.contains("host 10.1.1.1"), "{ctx1}");
        assert!(!ctx1.contains("10.2.2.2"), "{ctx1}");
    }

    #[test]
    fn requests_name_existing_contexts_only() {
        let mut e = multi();
        assert!(auth(&mut e, basic(), None).is_ok());
        assert!(auth(&mut e, basic(), Some("ctx1")).is_ok());
        assert!(auth(&mut e, basic(), Some("system")).is_ok());
        assert_eq!(
            auth(&mut e, basic(), Some("nope")),
            Err(AuthFailure::NoSuchContext)
        );
        let (r, _) = run(&mut e, Some("nope"), &["show version"]);
        assert!(!r.applied);
        assert!(r.outcomes[0].output.contains("Context nope does not exist"));
        // Single mode knows no contexts.
        let mut s = single();
        assert_eq!(s.facts().context_mode, ContextMode::Single);
        assert_eq!(
            auth(&mut s, basic(), Some("admin")),
            Err(AuthFailure::NoSuchContext)
        );
        let (r, _) = run(&mut s, Some("admin"), &["show version"]);
        assert!(!r.outcomes[0].ok);
        assert!(auth(&mut s, basic(), None).is_ok());
    }

    #[test]
    fn the_system_lists_every_context_and_a_context_itself() {
        let mut e = multi();
        let table = out(&mut e, Some(SYSTEM), "show context");
        assert!(table.contains("*admin "), "{table}");
        assert!(table.contains(" ctx1 "), "{table}");
        assert!(
            table.contains("Total active Security Contexts: 2"),
            "{table}"
        );
        // In a context, `show context` shows that context only.
        let one = out(&mut e, Some("ctx1"), "show context");
        assert!(!one.contains("admin"), "{one}");
        assert!(one.contains("Total active Security Contexts: 1"), "{one}");
        let detail = out(&mut e, Some(SYSTEM), "show context detail");
        assert!(
            detail.contains("Context \"ctx1\", has been created\n  Config URL: disk0:/ctx1.cfg\n  Real Interfaces: GigabitEthernet0/1\n"),
            "{detail}"
        );
        assert_eq!(
            out(&mut e, Some(SYSTEM), "show context count"),
            "Total active contexts: 2\n"
        );
        let named = out(&mut e, Some(SYSTEM), "show context ctx1");
        assert!(
            named.contains(" ctx1 ") && !named.contains("admin"),
            "{named}"
        );
        assert_eq!(
            out(&mut e, None, "show mode"),
            "Security context mode: multiple\n"
        );
    }

    #[test]
    fn cpu_usage_in_a_context_is_its_share_of_the_devices() {
        let mut e = multi();
        let figures = |text: &str| {
            let t = cli_translator::show::cpu::parse(text).total;
            let t = t.map_or([0.0; 3], |t| [t.five_seconds, t.one_minute, t.five_minutes]);
            t.map(|f| f as u64)
        };
        let system = figures(&out(&mut e, Some(SYSTEM), "show cpu usage"));
        for ctx in [None, Some("ctx1")] {
            let share = figures(&out(&mut e, ctx, "show cpu usage"));
            for (c, s) in share.iter().zip(&system) {
                assert!(c < s, "{ctx:?}: {share:?} of {system:?}");
            }
        }
        // The system's figures are the device's, as in single mode.
        assert!(system.iter().all(|s| (1..=30).contains(s)), "{system:?}");
    }

    #[test]
    fn a_batch_without_a_context_goes_to_the_admin_context() {
        let mut e = multi();
        // Even one made only of system commands: the system is reached by naming it.
        let table = out(&mut e, None, "show context");
        assert!(table.contains("*admin "), "{table}");
        assert!(!table.contains("ctx1"), "{table}");
        let (r, _) = run(&mut e, None, &["mode single noconfirm"]);
        assert!(!r.outcomes[0].ok);
        assert!(
            r.outcomes[0].output.contains("system execution space"),
            "{}",
            r.outcomes[0].output
        );
        assert_eq!(e.context_mode(), ContextMode::Multiple);
        let (r, _) = run(&mut e, None, &["rest-api agent"]);
        assert!(
            r.outcomes[0].output.contains("system execution space"),
            "{r:?}"
        );
        assert_eq!(e.exec_target(None).as_deref(), Ok("admin"));
        assert_eq!(e.exec_target(Some(SYSTEM)).as_deref(), Ok(SYSTEM));
        assert_eq!(
            e.exec_target(Some("nope")),
            Err(ContextError::NoSuchContext("nope".into()))
        );
        assert_eq!(single().exec_target(None), Err(ContextError::SingleMode));
    }

    #[test]
    fn tokens_are_limited_per_context_and_work_in_every_context() {
        let mut e = multi();
        let mut first = None;
        for _ in 0..25 {
            match token(&mut e, None) {
                TokenResult::Created { token } => {
                    first.get_or_insert(token);
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            token(&mut e, None),
            TokenResult::Refused(TokenFailure::LimitReached)
        );
        assert_eq!(
            token(&mut e, Some("admin")),
            TokenResult::Refused(TokenFailure::LimitReached),
            "no context is the admin context"
        );
        assert!(matches!(
            token(&mut e, Some("ctx1")),
            TokenResult::Created { .. }
        ));
        assert_eq!(
            token(&mut e, Some("nope")),
            TokenResult::Refused(TokenFailure::NoSuchContext)
        );
        let t = first.unwrap_or_default();
        assert!(auth(&mut e, Credential::Token(t.clone()), Some("ctx1")).is_ok());
        assert!(auth(&mut e, Credential::Token(t), Some("system")).is_ok());
    }

    #[test]
    fn contexts_follow_the_system_configuration() {
        let mut e = multi();
        let (r, _) = run(
            &mut e,
            Some("system"),
            &[
                "context ctx2",
                " allocate-interface GigabitEthernet0/2",
                " config-url disk0:/ctx2.cfg",
            ],
        );
        assert!(r.outcomes.iter().all(|o| o.ok), "{r:?}");
        assert!(e.context_exists("ctx2"));
        let ctx2 = out(&mut e, Some("ctx2"), "show running-config");
        assert!(ctx2.contains("interface GigabitEthernet0/2\n"), "{ctx2}");
        assert!(matches!(
            token(&mut e, Some("ctx2")),
            TokenResult::Created { .. }
        ));
        assert_eq!(e.tokens.count_in(Some("ctx2")), 1);
        // Checks: unknown interfaces, bad names, removing the admin context, context commands
        // outside the system.
        let (r, _) = run(
            &mut e,
            Some("system"),
            &["context ctx3", " allocate-interface GigabitEthernet0/9"],
        );
        assert!(
            r.outcomes[1]
                .output
                .contains("Interface GigabitEthernet0/9 does not exist")
        );
        let (r, _) = run(&mut e, Some("system"), &["context bad/name"]);
        assert!(!r.outcomes[0].ok);
        let (r, _) = run(&mut e, Some("system"), &["no context admin"]);
        assert!(
            r.outcomes[0]
                .output
                .contains("Cannot remove the admin context")
        );
        let (r, _) = run(&mut e, Some("ctx1"), &["context x"]);
        assert!(r.outcomes[0].output.contains("system execution space"));
        // Removal drops the context and its tokens.
        let (r, _) = run(&mut e, Some("system"), &["no context ctx2"]);
        assert!(r.outcomes[0].ok, "{r:?}");
        assert!(!e.context_exists("ctx2"));
        assert_eq!(e.tokens.count_in(Some("ctx2")), 0);
    }

    #[test]
    fn write_memory_in_a_context_writes_its_config_url() {
        let mut e = multi();
        let (r, fx) = run(&mut e, Some("ctx1"), &["write memory"]);
        assert!(r.outcomes[0].ok);
        assert!(
            fx.iter()
                .any(|f| matches!(f, Effect::WriteDisk { file, text } if file == "ctx1.cfg" && text.contains("<context>"))),
            "{fx:?}"
        );
        assert!(!fx.iter().any(|f| matches!(f, Effect::WriteStartup(_))));
        let (_, fx) = run(&mut e, Some("system"), &["write memory"]);
        assert!(
            fx.iter()
                .any(|f| matches!(f, Effect::WriteStartup(t) if t.contains("<system>"))),
            "{fx:?}"
        );
    }

    #[test]
    fn mode_multiple_converts_and_restarts_the_agent_and_mode_single_converts_back() {
        let mut e = single();
        out(&mut e, None, "hostname edge");
        let g = e.api_generation();
        assert!(matches!(token(&mut e, None), TokenResult::Created { .. }));
        let (r, fx) = run(&mut e, None, &["mode multiple noconfirm"]);
        assert!(r.outcomes[0].ok, "{r:?}");
        assert!(
            r.outcomes[0]
                .output
                .contains("WARNING: This command will initiate a Reboot")
        );
        assert!(
            fx.contains(&Effect::AgentControl(AgentControl::Restart)),
            "{fx:?}"
        );
        assert!(
            fx.iter()
                .any(|f| matches!(f, Effect::WriteDisk { file, .. } if file == "admin.cfg")),
            "{fx:?}"
        );
        assert_eq!(e.context_mode(), ContextMode::Multiple);
        assert_eq!(e.token_count(), 0, "tokens end with the agent");
        assert!(e.api_generation() > g);
        // The old configuration is the admin context's, users included.
        let admin = out(&mut e, None, "show running-config");
        assert!(admin.contains("hostname edge\n"), "{admin}");
        assert!(auth(&mut e, basic(), None).is_ok());
        let system = out(&mut e, Some("system"), "show running-config");
        assert!(system.contains("admin-context admin\n"), "{system}");
        assert!(
            system.contains("allocate-interface Management0/0"),
            "{system}"
        );
        // `mode` belongs to the system execution space.
        let (r, _) = run(&mut e, Some("admin"), &["mode single"]);
        assert!(!r.outcomes[0].ok);
        let (r, fx) = run(&mut e, Some("system"), &["mode single noconfirm"]);
        assert!(r.outcomes[0].ok, "{r:?}");
        assert!(fx.contains(&Effect::AgentControl(AgentControl::Restart)));
        assert_eq!(e.context_mode(), ContextMode::Single);
        let back = out(&mut e, None, "show running-config");
        assert!(back.contains("ASA Version 9.16(4) \n"), "{back}");
        assert!(back.contains("hostname edge\n"), "{back}");
    }

    #[test]
    fn an_atomic_batch_that_fails_does_not_switch_modes() {
        let mut e = single();
        let mut c = conn(&mut e);
        let msg = Message::Exec(Exec {
            user: "admin".into(),
            privilege: 15,
            source: src(),
            context: None,
            mode: ExecMode::Config,
            atomic: true,
            commands: vec!["mode multiple".into(), "bogus".into()],
            expected_generation: None,
        });
        e.handle(msg, &mut c, now());
        assert_eq!(e.context_mode(), ContextMode::Single);
        // A privilege-5 user may not switch.
        let (r, _) = {
            let mut c = conn(&mut e);
            let msg = Message::Exec(Exec {
                user: "op".into(),
                privilege: 5,
                source: src(),
                context: None,
                mode: ExecMode::Exec,
                atomic: false,
                commands: vec!["mode multiple".into()],
                expected_generation: None,
            });
            match e.handle(msg, &mut c, now()) {
                (Some(Message::ExecResult(r)), fx) => (r, fx),
                other => panic!("{other:?}"),
            }
        };
        assert!(r.outcomes[0].output.contains("authorization failed"));
        assert_eq!(e.context_mode(), ContextMode::Single);
    }

    proptest::proptest! {
        // Each case boots an engine (a PBKDF2 hash): fewer cases keep the suite quick.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        #[test]
        fn arbitrary_batches_in_any_context_never_panic(
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("(mode|changeto|show|context|no context|admin-context|allocate-interface|rest-api)( [a-z0-9/]{0,12}){0,3}")
                        .unwrap_or_else(|_| unreachable!()),
                    ".{0,20}",
                ],
                0..6,
            ),
            context in proptest::option::of(proptest::prop_oneof![
                proptest::strategy::Just("system".to_owned()),
                proptest::strategy::Just("ctx1".to_owned()),
                "[a-z]{1,4}",
            ]),
        ) {
            let mut e = multi();
            let cmds: Vec<&str> = lines.iter().map(String::as_str).collect();
            let (r, _) = run(&mut e, context.as_deref(), &cmds);
            proptest::prop_assert!(r.outcomes.len() <= cmds.len().max(1));
            // Whatever ran, the system is selected again and the mode is consistent.
            match e.context_mode() {
                ContextMode::Multiple => proptest::prop_assert_eq!(e.selected_context(), Some(SYSTEM)),
                ContextMode::Single => proptest::prop_assert_eq!(e.selected_context(), None),
            }
        }
    }

    #[test]
    fn the_console_changes_context_and_shows_it_in_the_prompt() {
        let mut e = multi();
        let (session, _) = e.console_login("admin", PW, src(), now());
        let mut s = session.unwrap_or_else(|| panic!("console login in multiple mode"));
        s.level = Level::PrivExec;
        assert_eq!(e.prompt(&s), "sys# ");
        let (o, _) = e.console_command(&mut s, "changeto context ctx1", now());
        assert_eq!(o, "");
        assert_eq!(e.prompt(&s), "sys/ctx1# ");
        let (o, _) = e.console_command(&mut s, "configure terminal", now());
        assert_eq!(o, "");
        e.console_command(&mut s, "object network inctx1", now());
        e.console_command(&mut s, "host 10.9.9.9", now());
        e.console_command(&mut s, "end", now());
        let (o, _) = e.console_command(&mut s, "show running-config object", now());
        assert!(o.contains("object network inctx1"), "{o}");
        let (o, _) = e.console_command(&mut s, "changeto context nope", now());
        assert!(o.contains("does not exist"), "{o}");
        let (o, _) = e.console_command(&mut s, "changeto system", now());
        assert_eq!(o, "");
        assert_eq!(e.prompt(&s), "sys# ");
        let (o, _) = e.console_command(&mut s, "show running-config object", now());
        assert!(!o.contains("inctx1"), "{o}");
        // Through the API, `changeto` is refused: the request names its context.
        let (r, _) = run(&mut e, None, &["changeto context ctx1"]);
        assert!(r.outcomes[0].output.contains("query parameter"));
    }

    #[test]
    fn context_names_follow_the_asa_rules() {
        assert!(valid_name("ctx1"));
        assert!(valid_name("Cust-A_2.b"));
        assert!(!valid_name("system"));
        assert!(!valid_name(""));
        assert!(!valid_name("-x"));
        assert!(!valid_name("a b"));
        assert!(!valid_name(&"a".repeat(33)));
    }

    #[test]
    fn system_texts_are_recognised() {
        assert!(is_system_text("mode multiple\nhostname x\n"));
        assert!(is_system_text(": Saved\nASA Version 9.16(4) <system>\n"));
        assert!(!is_system_text("ASA Version 9.16(4) \nhostname x\n"));
        assert!(!is_system_text("ASA Version 9.16(4) <context>\n"));
        assert_eq!(
            system_text("mode multiple\nhostname x\n"),
            "ASA Version 9.16(4) <system>\nhostname x\n"
        );
        assert_eq!(
            system_text("ASA Version 9.16(4) <system>\nhostname x\n"),
            "ASA Version 9.16(4) <system>\nhostname x\n"
        );
    }

    #[test]
    fn disk0_urls_name_plain_files_only() {
        assert_eq!(disk0_file("disk0:/admin.cfg"), Some("admin.cfg"));
        assert_eq!(disk0_file("flash:/c1.cfg"), Some("c1.cfg"));
        assert_eq!(disk0_file("disk0:/../etc/passwd"), None);
        assert_eq!(disk0_file("disk0:/a/b.cfg"), None);
        assert_eq!(disk0_file("tftp://1.2.3.4/x.cfg"), None);
        assert_eq!(disk0_file("disk0:/.."), None);
    }

    #[test]
    fn the_context_table_stars_the_admin_context_and_wraps_interfaces() {
        let defs = vec![
            ContextDef {
                name: "admin".into(),
                description: None,
                interfaces: vec![
                    "GigabitEthernet0/0".into(),
                    "GigabitEthernet0/1".into(),
                    "Management0/0".into(),
                ],
                config_url: Some("disk0:/admin.cfg".into()),
            },
            ContextDef {
                name: "ctx1".into(),
                description: None,
                interfaces: vec!["GigabitEthernet0/2".into()],
                config_url: Some("disk0:/ctx1.cfg".into()),
            },
        ];
        let out = context_table(&defs, Some("admin"));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "Context Name      Class                Interfaces           Mode         URL"
        );
        assert_eq!(
            lines[1],
            "*admin            default              GigabitEthernet0/0,  Routed       disk0:/admin.cfg"
        );
        assert_eq!(lines[2], format!("{:40}GigabitEthernet0/1,", ""));
        assert_eq!(lines[3], format!("{:40}Management0/0", ""));
        assert_eq!(
            lines[4],
            " ctx1             default              GigabitEthernet0/2   Routed       disk0:/ctx1.cfg"
        );
        assert!(out.ends_with("Total active Security Contexts: 2\n"));
    }
}
