//! The simulated LINA engine, without I/O: protocol messages in, a reply and effects out.
//!
//! Time comes in as [`Now`], randomness from a seeded [`Entropy`]; the shell (server,
//! console) performs the [`Effect`]s: writing the startup configuration, sending syslog,
//! pushing generation changes to subscribers.

pub mod aaa;
pub mod acl;
pub mod apply;
pub mod backup;
pub mod backup_file;
pub mod checksum;
pub mod config;
pub mod contexts;
pub mod crypto;
pub mod entropy;
pub mod error;
pub mod families;
pub mod filter;
pub mod in_use;
pub mod interfaces;
pub mod load;
pub mod lockout;
pub mod logging;
pub mod mask;
pub mod modes;
pub mod monitor;
pub mod nat;
pub mod object_groups;
pub mod package;
pub mod refs;
pub mod restapi;
pub mod routes;
pub mod sections;
pub mod session;
pub mod setup;
pub mod show;
pub mod shun;
// issue 13: the startup configuration kept on disk when large
pub mod startup;
pub mod tokens;
// issue 15: service policy and site-to-site VPN
pub mod service_policy;
pub mod vpn;
// issue 15: IP audit
pub mod ip_audit;
// issue 14: logging, failover, licensing
pub mod platform;
// issue 14: AAA
pub mod privileges;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use cli_translator::ast::Command;
use cli_translator::protocol::{
    AuthFailure, Authenticate, CommandOutcome, Credential, DeviceFacts, Exec, ExecResult,
    FirewallMode, LogEvent, Message, ProtocolError, ProtocolErrorCode, Refusal,
    Session as AuthSession, TokenCreate, TokenDelete, TokenFailure, TokenResult,
};
use syslog::Level;

use self::aaa::{AUTH_CACHE_CAPACITY, AuthCache};
use self::checksum::Checksum;
use self::config::{Config, Key};
use self::entropy::Entropy;
use self::session::{Level as SessionLevel, LineOutcome, Session};
use self::tokens::{DEFAULT_IDLE_TIMEOUT_SECS, Tokens};

pub const MODEL: &str = "ASAv";
pub const SERIAL_NUMBER: &str = "9A1B2C3D4E5";
pub const ASA_VERSION: &str = "9.16(4)";
pub const REST_API_VERSION: &str = "7.16(1)";
/// The user of a console session opened without a login (no local user, no
/// `aaa authentication serial console`), as the ASA names it.
pub const NO_LOGIN_USER: &str = "enable_1";
/// The same session after `enable`.
pub const NO_LOGIN_ENABLED_USER: &str = "enable_15";
/// The hostname of an ASA whose configuration has none.
pub const DEFAULT_HOSTNAME: &str = "ciscoasa";

/// The current time, passed in by the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// Unix seconds, UTC.
    pub unix: i64,
    /// Milliseconds into the second (for `show clock`).
    pub millis: u16,
}

impl Now {
    pub fn from_secs(unix: i64) -> Now {
        Now { unix, millis: 0 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyslogTransport {
    Udp,
    Tcp,
}

/// Something the shell must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write the startup configuration (atomically: temporary file, fsync, rename).
    WriteStartup(String),
    /// Send one framed syslog line to a host.
    Syslog {
        transport: SyslogTransport,
        target: SocketAddr,
        line: String,
        /// Lines a TCP host may have waiting (`logging queue`; issue 14).
        queue: usize,
    },
    /// The configuration generation changed: push it to subscribers.
    GenerationChanged(u64),
    /// `rest-api agent` / `no rest-api agent`: push the control to the daemon's subscription.
    AgentControl(cli_translator::protocol::AgentControl),
    /// Write a file on disk0: (a security context's `write memory` to its `config-url`, the
    /// admin context's configuration when the device converts to multiple mode).
    WriteDisk { file: String, text: String },
    /// Write a binary file on disk0: (`backup`), atomically.
    WriteFlash { name: String, bytes: Vec<u8> },
    /// A debug line from the agent: write it to the console sessions that asked for it.
    Debug(cli_translator::protocol::DebugLine),
    /// Save the key store beside the startup configuration (`write memory`), readable only by
    /// its owner; never printed (see `crypto.rs`).
    WriteKeyStore(String),
}

/// Engine settings.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    pub token_idle_timeout_secs: i64,
    /// disk0:, where `rest-api image` finds its packages.
    pub flash: std::sync::Arc<dyn restapi::Flash>,
    /// Where large startup configurations are kept instead of memory (`startup.rs`); none:
    /// in memory.
    pub startup_spill: Option<std::sync::Arc<dyn startup::StartupSpill>>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            token_idle_timeout_secs: DEFAULT_IDLE_TIMEOUT_SECS,
            flash: std::sync::Arc::new(restapi::MemFlash::default()),
            startup_spill: None,
        }
    }
}

/// Per-connection protocol state.
#[derive(Debug, Default, Clone)]
pub struct ConnState {
    hello: bool,
    /// Set by `Subscribe`: the shell pushes generation changes to this connection.
    pub subscribed: bool,
    pub peer: Option<String>,
    /// Set by `WatchAgent`: the shell pushes agent controls to this connection.
    pub watches_agent: bool,
}

/// The engine: configuration, users, tokens, logging.
#[derive(Debug)]
pub struct Engine {
    /// Every context's own state, each its own value: the device's alone in single mode; in
    /// multiple mode the system execution space's first, then each security context's.
    pub(crate) contexts: Vec<contexts::ContextState>,
    /// Which of `contexts` commands run in (always a valid index): switching context changes
    /// this selection only, no state moves.
    pub(crate) selected: usize,
    pub(crate) boot_time: i64,
    pub(crate) tokens: Tokens,
    pub(crate) auth_cache: AuthCache,
    /// Failed-login counters (`aaa local authentication attempts max-fail`).
    pub(crate) lockout: lockout::Lockout,
    pub(crate) rng: Entropy,
    /// Single or multiple context mode, and a `mode` command waiting for its commit.
    pub(crate) modes: contexts::ModeState,
    pub(crate) rest_api: restapi::RestApi,
    /// disk0: as `backup` and `restore` see it.
    pub(crate) disk0: backup::Disk0,
    /// The startup configuration's lines that boot could not apply (`show startup-config
    /// errors`).
    pub(crate) startup_errors: Vec<load::BootError>,
    /// The shun table (`shun`, `show shun`): exec state, never configuration.
    pub(crate) shuns: shun::Shuns,
    /// Key pairs (`crypto key generate`, PKCS#12 imports): never configuration lines.
    pub(crate) keys: crypto::KeyStore,
    // issue 14: logging, failover, licensing
    /// Smart-licensing registration (exec state, never configuration).
    pub(crate) license: platform::LicenseState,
    /// Where large startup configurations are kept (`startup.rs`).
    pub(crate) startup_spill: Option<Arc<dyn startup::StartupSpill>>,
    /// The thread writing the boot's startup text to the spill (`startup::Writing`): joined
    /// before the spill is written again.
    pub(crate) startup_writer: Option<std::thread::JoinHandle<()>>,
}

/// Boots of texts above this size hand the memory they freed back ([`release_freed_memory`]).
const RELEASE_ABOVE: usize = 1 << 20;

// issue 13: memory
/// Hands the memory a boot freed back to the system: the parses and keys made while loading
/// are freed between the blocks kept, where glibc keeps the pages; `malloc_trim` returns
/// every whole free page of every arena (a few milliseconds at 100 MB, once per boot).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only reads and changes the allocator's own state, under its locks;
    // any argument is valid (0: keep no extra padding at the top of the heap).
    #[allow(unsafe_code)]
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Configurations of at least this many blocks hand freed memory back after changes.
const RELEASE_BLOCKS: usize = 20_000;

/// A change of at least this many journal records hands it back at once; smaller ones at
/// most once per [`RELEASE_EVERY`].
const RELEASE_RECORDS: usize = 64;

const RELEASE_EVERY: std::time::Duration = std::time::Duration::from_millis(10);

/// After a committed change to a large configuration: hands the memory the change freed back
/// (issue 13: after 100 console changes LINA held 5 MiB more at 20 MB, after a bulk 4 MiB more,
/// all of it free pages glibc kept between live blocks). `malloc_trim` took 26 us (median, 32
/// at p90) per call at 20 MB, so small changes release at most once per 10 ms (at 2,000 writes/s
/// about 0.3% of the time) and a large one (a bulk) always.
pub(crate) fn release_after_change(blocks: usize, records: usize) {
    use std::sync::Mutex;
    use std::time::Instant;
    static LAST: Mutex<Option<Instant>> = Mutex::new(None);
    if blocks < RELEASE_BLOCKS {
        return;
    }
    let now = Instant::now();
    {
        let Ok(mut last) = LAST.lock() else { return };
        let recent = last.is_some_and(|t| now.duration_since(t) < RELEASE_EVERY);
        if recent && records < RELEASE_RECORDS {
            return;
        }
        *last = Some(now);
    }
    release_freed_memory();
}

fn rejected(code: ProtocolErrorCode, detail: &str) -> Message {
    Message::Error(ProtocolError {
        code,
        detail: detail.to_owned(),
    })
}

/// Configurations of more blocks than this are printed in two halves at once (issue 13:
/// boot).
const PRINT_HALVES_ABOVE: usize = 50_000;

/// Appends `config`'s body to `out`, and answers its checksum. A large configuration's second
/// half is printed on a thread of its own while this one prints the first and sums it (issue
/// 13: boot: the print at the end of a 100 MB boot took 0.3 s on one core, the other idle).
fn print_summed(config: &Config, version_line: &str, out: &mut String) -> Checksum {
    let start = out.len();
    let mut sum = Checksum::summing();
    let len = config.len();
    if len <= PRINT_HALVES_ABOVE {
        config.print_body(version_line, out);
        sum.add(out.get(start..).unwrap_or(""));
        return sum.finish();
    }
    let mid = len / 2;
    let (second, ()) = crate::cores::beside(
        "print-half",
        || {
            let mut text = String::with_capacity(64 * (len - mid));
            config.print_body_range(version_line, mid, usize::MAX, &mut text);
            text
        },
        || {
            config.print_body_range(version_line, 0, mid, out);
            sum.add(out.get(start..).unwrap_or(""));
        },
    );
    let second = second.unwrap_or_else(|| {
        // No thread: this one prints it.
        let mut text = String::new();
        config.print_body_range(version_line, mid, usize::MAX, &mut text);
        text
    });
    // The second half is summed on this core while the other copies it in (issue 13: boot;
    // one after the other, on one core, the other idle: `lina_boot 100`'s median boot was
    // 1212 and 1247 ms against 1082 and 1210 ms with them side by side).
    let (copied, ()) =
        crate::cores::beside("print-join", || out.push_str(&second), || sum.add(&second));
    if copied.is_none() {
        // No thread: this one copies it.
        out.push_str(&second);
    }
    sum.finish()
}

impl Engine {
    /// Boots from configuration text (loading never fails). Generation starts at 1; the
    /// startup configuration is the loaded configuration as printed.
    pub fn boot(
        text: &str,
        opts: &EngineOptions,
        seed: [u8; 32],
        now: Now,
    ) -> (Engine, Vec<Effect>) {
        let mut rng = Entropy::from_seed(seed);
        let cache_salt: [u8; 32] = rng.bytes();
        let multiple = contexts::is_system_text(text);
        let (config, startup_errors) = if multiple {
            load::load_reporting(&contexts::system_text(text), &mut rng)
        } else {
            load::load_reporting(text, &mut rng)
        };
        let mut engine = Engine {
            contexts: vec![contexts::ContextState::new(String::new(), config, 1)],
            selected: 0,
            boot_time: now.unix,
            tokens: Tokens::new(opts.token_idle_timeout_secs),
            auth_cache: AuthCache::new(cache_salt, AUTH_CACHE_CAPACITY),
            lockout: lockout::Lockout::default(),
            rng,
            modes: contexts::ModeState::default(),
            rest_api: restapi::RestApi::new(opts.flash.clone()),
            disk0: backup::Disk0::new(opts.flash.clone()),
            startup_errors,
            shuns: shun::Shuns::default(),
            keys: crypto::KeyStore::default(),
            license: platform::LicenseState::default(),
            startup_spill: opts.startup_spill.clone(),
            startup_writer: None,
        };
        if multiple {
            engine.boot_multiple(opts.flash.as_ref());
        }
        let print = engine.running_config_shared();
        engine.set_startup_in_background(engine.selected, print);
        // The print stays cached for the agent's first read (`release_large_print`).
        for ctx in &mut engine.contexts {
            ctx.print_read = false;
        }
        // issue 13: change journal: complete as of the first generation.
        let ctx = &mut engine.contexts[engine.selected];
        ctx.config.start_changes(ctx.generation);
        if text.len() > RELEASE_ABOVE {
            release_freed_memory();
        }
        let mut effects = engine.log(syslog::Message::from_catalogue(199002, &[]), now);
        effects.extend(engine.boot_rest_api(now));
        (engine, effects)
    }

    // ===== facts =====

    pub fn hostname(&self) -> String {
        self.contexts[self.selected]
            .config
            .lookup(&Key::Hostname)
            .and_then(|id| self.contexts[self.selected].config.block(id))
            .and_then(|b| match b.head().command() {
                Some(Command::Hostname(h)) => Some(h.clone()),
                _ => None,
            })
            .unwrap_or_else(|| DEFAULT_HOSTNAME.to_owned())
    }

    pub fn facts(&self) -> DeviceFacts {
        DeviceFacts {
            hostname: self.hostname(),
            model: MODEL.to_owned(),
            serial_number: SERIAL_NUMBER.to_owned(),
            asa_version: ASA_VERSION.to_owned(),
            rest_api_version: REST_API_VERSION.to_owned(),
            context_mode: self.context_mode(),
            firewall_mode: FirewallMode::Routed,
        }
    }

    pub fn generation(&self) -> u64 {
        self.contexts[self.selected].generation
    }

    /// The selected context's startup configuration (read back from the spill file when it
    /// is kept there, `startup.rs`).
    pub fn startup_config(&self) -> Arc<String> {
        self.startup_of(self.selected)
    }

    /// Context `i`'s startup configuration.
    pub(crate) fn startup_of(&self, i: usize) -> Arc<String> {
        let Some(ctx) = self.contexts.get(i) else {
            return Arc::default();
        };
        // Being written: from memory while anything holds it (the writer, the print cache, or
        // the writer's failure), else from the file the writer wrote.
        if let startup::Startup::Writing(w) = &ctx.startup
            && let Some(text) = w.held()
        {
            return text;
        }
        match (&ctx.startup, &self.startup_spill) {
            (startup::Startup::Held(text), _) => text.clone(),
            (startup::Startup::Spilled | startup::Startup::Writing(_), Some(spill)) => {
                match spill.get(&ctx.name) {
                    Ok(text) => Arc::new(text),
                    Err(e) => {
                        tracing::error!(error = %e, "reading back the startup configuration failed");
                        Arc::default()
                    }
                }
            }
            (startup::Startup::Spilled | startup::Startup::Writing(_), None) => Arc::default(),
        }
    }

    /// Makes `text` context `i`'s startup configuration: in the spill file when it is large
    /// and there is one, else in memory (also when writing the file fails).
    pub(crate) fn set_startup(&mut self, i: usize, text: Arc<String>) {
        self.finish_startup_writer();
        let Some(ctx) = self.contexts.get_mut(i) else {
            return;
        };
        if text.len() > startup::SPILL_ABOVE
            && let Some(spill) = &self.startup_spill
        {
            match spill.put(&ctx.name, &text) {
                Ok(()) => {
                    ctx.startup = startup::Startup::Spilled;
                    return;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "keeping the startup configuration in memory")
                }
            }
        }
        ctx.startup = startup::Startup::Held(text);
    }

    /// [`Engine::set_startup`] at boot: a large text is written to the spill file on a
    /// thread of its own, and LINA answers meanwhile (issue 13, item 5).
    fn set_startup_in_background(&mut self, i: usize, text: Arc<String>) {
        let (Some(spill), Some(ctx)) = (&self.startup_spill, self.contexts.get_mut(i)) else {
            return self.set_startup(i, text);
        };
        if text.len() <= startup::SPILL_ABOVE || self.startup_writer.is_some() {
            return self.set_startup(i, text);
        }
        match startup::Writing::start(spill.clone(), ctx.name.clone(), text.clone()) {
            Some((writing, thread)) => {
                ctx.startup = startup::Startup::Writing(writing);
                self.startup_writer = Some(thread);
            }
            None => self.set_startup(i, text),
        }
    }

    /// Waits for the boot's spill writer, if any, and settles what its context keeps.
    pub(crate) fn finish_startup_writer(&mut self) {
        let Some(thread) = self.startup_writer.take() else {
            return;
        };
        let _ = thread.join();
        for ctx in &mut self.contexts {
            if let startup::Startup::Writing(w) = &ctx.startup {
                // A writer that died without an outcome (it cannot panic short of an
                // allocation failure) leaves nothing: the text is read as empty, as a
                // spill that cannot be read back is.
                ctx.startup = w
                    .settled()
                    .unwrap_or(startup::Startup::Held(Arc::default()));
            }
        }
    }

    /// The startup configuration's lines that boot could not apply, in order.
    pub fn startup_errors(&self) -> &[load::BootError] {
        &self.startup_errors
    }

    /// One line for the daemon's log: how boot went.
    pub fn boot_report(&self) -> String {
        match self.startup_errors.len() {
            0 => "startup-config loaded: every line applied".to_owned(),
            n => format!(
                "startup-config loaded: {n} line{} could not be applied (show startup-config errors)",
                if n == 1 { "" } else { "s" }
            ),
        }
    }

    /// Live API tokens.
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// Where the shell records its TCP syslog senders, so `show logging` and the
    /// `logging permit-hostdown` gate see their state.
    pub fn syslog_health(&self) -> logging::SyslogHealth {
        self.contexts[self.selected].logging.health()
    }

    /// Lines in the logging buffer, oldest first.
    pub fn log_buffer(&self) -> Vec<String> {
        self.contexts[self.selected]
            .logging
            .buffer()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    // ===== printing =====

    /// The running configuration as `more system:running-config` prints it (header, body,
    /// checksum, trailer), printed again only when the configuration changed. One text serves
    /// the print cache, the startup configuration it was saved to and every print of it
    /// (issue 13: the cache, its copy for each print and the startup copy each held the whole
    /// configuration).
    fn printed(&mut self) -> (Arc<String>, Checksum) {
        let ctx = &self.contexts[self.selected];
        let rev = ctx.config.revision();
        if let Some((r, Some(text), sum)) = &ctx.print_cache
            && *r == rev
        {
            let found = (text.clone(), *sum);
            self.contexts[self.selected].print_read = true;
            return found;
        }
        let mut out = String::with_capacity(64 * ctx.config.len() + 512);
        out.push_str(": Saved\n:\n");
        out.push_str(": Serial Number: ");
        out.push_str(SERIAL_NUMBER);
        out.push_str(
            "\n: Hardware:   ASAv, 2048 MB RAM, CPU Xeon 4100/6100/8100 series 2200 MHz\n:\n",
        );
        let sum = print_summed(&ctx.config, &self.version_line(), &mut out);
        out.push_str("Cryptochecksum:");
        out.push_str(&sum.to_string());
        out.push_str("\n: end\n");
        out.shrink_to_fit();
        let text = Arc::new(out);
        self.contexts[self.selected].print_cache = Some((rev, Some(text.clone()), sum));
        self.contexts[self.selected].print_read = true;
        (text, sum)
    }

    pub fn checksum(&mut self) -> Checksum {
        let ctx = &self.contexts[self.selected];
        if let Some((r, _, sum)) = &ctx.print_cache
            && *r == ctx.config.revision()
        {
            return *sum;
        }
        self.printed().1
    }

    /// `show running-config`: [`Engine::running_config`] with its secrets masked
    /// (`*****`, see [`mask`]).
    pub fn shown_running_config(&mut self) -> String {
        let print = self.printed().0;
        mask::shown_copy(&print)
    }

    /// Ends a message's or a console line's use of the print cache (issue 13, item 4): a
    /// large print that was read, or that no longer describes the configuration, is let go
    /// (its checksum kept). The agent reads the whole configuration once after a boot (then
    /// follows the change journal), in one message that prints it twice (`show
    /// running-config` and `more system:running-config | include ...`): the cache serves
    /// that message, and held a second copy of the configuration for good afterwards. The
    /// next read of a large configuration prints it again (0.15 s at 100 MB).
    pub fn release_large_print(&mut self) {
        for ctx in &mut self.contexts {
            let read = std::mem::take(&mut ctx.print_read);
            let rev = ctx.config.revision();
            if let Some((r, text, _)) = &mut ctx.print_cache
                && text
                    .as_ref()
                    .is_some_and(|t| t.len() > startup::SPILL_ABOVE)
                && (read || *r != rev)
            {
                *text = None;
            }
        }
    }

    /// `more system:running-config`: header, body, checksum, trailer, secrets in clear (what
    /// `write memory`, `backup` and a context's `config-url` save).
    pub fn running_config(&mut self) -> String {
        self.printed().0.as_str().to_owned()
    }

    /// [`Engine::running_config`] without a copy of it (the startup configuration keeps it).
    pub(crate) fn running_config_shared(&mut self) -> Arc<String> {
        self.printed().0
    }

    // ===== syslog =====

    /// Logs a message through the configured destinations.
    pub(crate) fn log(&mut self, msg: Option<syslog::Message>, now: Now) -> Vec<Effect> {
        let Some(msg) = msg else {
            return Vec::new();
        };
        let ctx = &mut self.contexts[self.selected];
        ctx.logging.refresh(&ctx.config);
        let hostname = self.hostname();
        self.contexts[self.selected]
            .logging
            .deliver(msg, now.unix, &hostname)
    }

    fn log_all(&mut self, msgs: Vec<syslog::Message>, now: Now) -> Vec<Effect> {
        let mut out = Vec::new();
        for m in msgs {
            out.extend(self.log(Some(m), now));
        }
        out
    }

    // ===== AAA =====

    /// The privilege of a configured user.
    fn user_privilege(&self, user: &str) -> Option<u8> {
        self.aaa_config().user_privilege(user)
    }

    /// Checks local credentials; the privilege on success. Verified credentials are cached
    /// until the user's line changes.
    pub fn verify_user(&mut self, user: &str, password: &str) -> Option<u8> {
        // Multiple mode: the users are the admin context's.
        if let Some(verdict) = self.with_admin(|e| e.verify_user(user, password)) {
            return verdict;
        }
        let stored_user = self.contexts[self.selected]
            .config
            .lookup(&Key::User(user.to_owned()))
            .and_then(|id| self.contexts[self.selected].config.block(id))
            .and_then(|b| b.head().command());
        let Some(Command::Username {
            password: stored,
            privilege,
            ..
        }) = stored_user
        else {
            // As long as a wrong password: the time does not tell the name is unknown.
            aaa::decoy(password);
            return None;
        };
        let privilege = privilege.unwrap_or(2);
        let stamp = self.contexts[self.selected].config.user_stamp(user);
        if let Some(p) = self.auth_cache.get(user, password, stamp) {
            return Some(p);
        }
        if aaa::verify(&stored, password) {
            self.auth_cache.insert(user, password, privilege, stamp);
            Some(privilege)
        } else {
            None
        }
    }

    // ===== protocol =====

    /// Handles one request. Returns the reply (every request gets one) and the effects.
    pub fn handle(
        &mut self,
        msg: Message,
        conn: &mut ConnState,
        now: Now,
    ) -> (Option<Message>, Vec<Effect>) {
        let answer = self.handle_message(msg, conn, now);
        self.release_large_print();
        answer
    }

    fn handle_message(
        &mut self,
        msg: Message,
        conn: &mut ConnState,
        now: Now,
    ) -> (Option<Message>, Vec<Effect>) {
        if let Message::Hello { peer, .. } = &msg {
            conn.hello = true;
            if peer.starts_with("rest-agent") {
                if let Some(reason) = self.rest_api_image_unusable() {
                    conn.hello = false;
                    let detail = format!("the installed REST API image cannot run: {reason}");
                    return (
                        Some(rejected(ProtocolErrorCode::Refused, &detail)),
                        Vec::new(),
                    );
                }
                // Tokens die with the agent process.
                self.tokens.clear();
            }
            conn.peer = Some(peer.clone());
            return (Some(Message::HelloAck(self.facts())), Vec::new());
        }
        if !conn.hello {
            return (
                Some(rejected(
                    ProtocolErrorCode::HelloRequired,
                    "the first message must be Hello",
                )),
                Vec::new(),
            );
        }
        match msg {
            Message::Authenticate(a) => {
                let mut fx = Vec::new();
                let result = self.authenticate(&a, now, &mut fx);
                (Some(Message::AuthResult(result)), fx)
            }
            Message::TokenCreate(t) => {
                let (r, fx) = self.token_create(&t, now);
                (Some(Message::TokenResult(r)), fx)
            }
            Message::TokenDelete(t) => {
                let (r, fx) = self.token_delete(&t, now);
                (Some(Message::TokenResult(r)), fx)
            }
            Message::Exec(e) => {
                if let Some(stale) = self.stale_precondition(&e) {
                    return (Some(Message::ExecResult(stale)), Vec::new());
                }
                let (r, fx) = self.exec_routed(&e, now);
                (Some(Message::ExecResult(r)), fx)
            }
            Message::Subscribe => {
                conn.subscribed = true;
                (Some(Message::Generation(self.api_generation())), Vec::new())
            }
            Message::Log(ev) => {
                self.observe_agent_log(ev.message_id);
                let fx = self.log(Some(log_event(ev)), now);
                (Some(Message::LogAck), fx)
            }
            Message::Debug(line) => (Some(Message::LogAck), vec![Effect::Debug(line)]),
            // The private key goes only to the daemon that serves HTTPS (on a channel that
            // proved the per-boot secret).
            Message::HttpsIdentityRequest
                if conn
                    .peer
                    .as_deref()
                    .is_some_and(|p| p.starts_with("rest-daemon")) =>
            {
                let identity = self.https_identity().map(|(chain, key)| {
                    use base64::Engine as _;
                    let b64 = base64::engine::general_purpose::STANDARD;
                    cli_translator::protocol::HttpsIdentity {
                        chain: chain.iter().map(|c| b64.encode(c)).collect(),
                        key: b64.encode(key),
                    }
                });
                (Some(Message::HttpsIdentity(identity)), Vec::new())
            }
            Message::WatchAgent => {
                conn.subscribed = true;
                conn.watches_agent = true;
                (Some(Message::Control(self.agent_control())), Vec::new())
            }
            // issue 13: change journal
            Message::ChangesSince(c) => {
                (Some(Message::Changes(self.changes_since(&c))), Vec::new())
            }
            other => (
                Some(rejected(
                    ProtocolErrorCode::UnexpectedMessage,
                    &format!("message kind {} is not a request", other.kind()),
                )),
                Vec::new(),
            ),
        }
    }

    /// Checks a request's credentials; a refused password is logged (113015) into `fx`.
    fn authenticate(
        &mut self,
        a: &Authenticate,
        now: Now,
        fx: &mut Vec<Effect>,
    ) -> Result<AuthSession, AuthFailure> {
        self.check_request_context(a.context.as_deref())?;
        let (username, privilege) = match &a.credential {
            Credential::Basic { username, password } => {
                let (p, logged) = self.login(username, password, now);
                fx.extend(logged);
                (username.clone(), p.ok_or(AuthFailure::BadCredentials)?)
            }
            Credential::Token(token) => {
                let user = self
                    .tokens
                    .touch(token, now.unix)
                    .map(|t| t.user.clone())
                    .ok_or(AuthFailure::BadCredentials)?;
                match self.user_privilege(&user) {
                    Some(p) => (user, p),
                    None => {
                        // The user was removed: its tokens end.
                        self.tokens.remove_user(&user);
                        return Err(AuthFailure::BadCredentials);
                    }
                }
            }
        };
        Ok(AuthSession {
            username,
            privilege,
            generation: self.api_generation(),
        })
    }

    fn token_create(&mut self, t: &TokenCreate, now: Now) -> (TokenResult, Vec<Effect>) {
        let Ok(context) = self.token_context(t.context.as_deref()) else {
            return (
                TokenResult::Refused(TokenFailure::NoSuchContext),
                Vec::new(),
            );
        };
        let source = t.source.to_string();
        let args = [
            source.as_str(),
            "0",
            "management",
            "127.0.0.1",
            "https",
            t.username.as_str(),
        ];
        let (privilege, mut fx) = self.login(&t.username, &t.password, now);
        let Some(privilege) = privilege else {
            fx.extend(self.log(syslog::Message::from_catalogue(605004, &args), now));
            return (TokenResult::Refused(TokenFailure::BadCredentials), fx);
        };
        match self.tokens.create(
            &t.username,
            privilege,
            context.as_deref(),
            now.unix,
            &mut self.rng,
        ) {
            Ok(token) => {
                let fx = self.log(syslog::Message::from_catalogue(605005, &args), now);
                (TokenResult::Created { token }, fx)
            }
            Err(_) => (TokenResult::Refused(TokenFailure::LimitReached), Vec::new()),
        }
    }

    fn token_delete(&mut self, t: &TokenDelete, now: Now) -> (TokenResult, Vec<Effect>) {
        if self.check_request_context(t.context.as_deref()).is_err() {
            return (
                TokenResult::Refused(TokenFailure::NoSuchContext),
                Vec::new(),
            );
        }
        // Cisco: the token is invalidated "using user information in the basic authentication
        // header"; anything else is refused (401), and every attempt is logged as a login:
        // 605005 permitted, 605004 denied.
        let source = t.source.to_string();
        let (user, privilege, mut fx) = match &t.credential {
            Some(Credential::Basic { username, password }) => {
                let (p, fx) = self.login(username, password, now);
                (username.as_str(), p, fx)
            }
            _ => ("", None, Vec::new()),
        };
        let args = [
            source.as_str(),
            "0",
            "management",
            "127.0.0.1",
            "https",
            user,
        ];
        if privilege.is_none() {
            fx.extend(self.log(syslog::Message::from_catalogue(605004, &args), now));
            return (TokenResult::Refused(TokenFailure::BadCredentials), fx);
        }
        fx.extend(self.log(syslog::Message::from_catalogue(605005, &args), now));
        if !self.tokens.is_live(&t.token, now.unix) {
            self.tokens.remove(&t.token);
            return (TokenResult::Refused(TokenFailure::UnknownToken), fx);
        }
        match self.tokens.remove(&t.token) {
            Some(entry) => {
                fx.extend(self.log(
                    syslog::Message::from_catalogue(611103, &[entry.user.as_str()]),
                    now,
                ));
                (TokenResult::Deleted, fx)
            }
            None => (TokenResult::Refused(TokenFailure::UnknownToken), fx),
        }
    }

    /// The refusal of a batch planned on a generation the configuration has left: checked
    /// under the same engine lock that applies the batch, so nothing can move in between.
    fn stale_precondition(&self, e: &Exec) -> Option<ExecResult> {
        let expected = e.expected_generation?;
        let current = self.api_generation();
        (expected != current).then(|| ExecResult {
            outcomes: Vec::new(),
            applied: false,
            generation: current,
            refusal: Some(Refusal::Stale),
        })
    }

    /// Runs a batch as one CLI session. Atomic: the first failure undoes the batch.
    ///
    /// Syslog of an undone batch: the lines that succeeded are taken back, and so are their
    /// messages (no 342005 "installed successfully" for an image line that was rolled back);
    /// the failing line's messages report the failure itself (342006, 342008), which stays
    /// true, so they are delivered.
    fn exec_batch(&mut self, e: &Exec, now: Now) -> (ExecResult, Vec<Effect>) {
        let mut session = Session::api(&e.user, e.privilege, e.source, e.mode);
        let mark = self.contexts[self.selected].config.mark();
        let mut outcomes = Vec::with_capacity(e.commands.len());
        let mut logs = Vec::new();
        let mut effects = Vec::new();
        let mut failure_logs = None;
        let mut refusal = None;
        for cmd in &e.commands {
            let LineOutcome {
                ok,
                output,
                logs: l,
                effects: fx,
                error,
            } = self.run_line(&mut session, cmd, now);
            if !ok && refusal.is_none() {
                refusal = Some(error::refusal(outcomes.len(), error.as_ref()));
            }
            outcomes.push(CommandOutcome { ok, output });
            if !ok && e.atomic {
                failure_logs = Some(l);
                break;
            }
            logs.extend(l);
            effects.extend(fx);
        }
        if let Some(failure_logs) = failure_logs {
            self.contexts[self.selected].config.rollback_to(mark);
            self.contexts[self.selected].config.commit();
            // issue 13: change journal: what an undone batch committed on its way is no
            // generation's.
            self.contexts[self.selected].config.seal_changes(None);
            let fx = self.log_all(failure_logs, now);
            return (
                ExecResult {
                    outcomes,
                    applied: false,
                    generation: self.contexts[self.selected].generation,
                    refusal,
                },
                fx,
            );
        }
        let fx = self.commit(mark, &e.user, effects, logs, now);
        (
            ExecResult {
                outcomes,
                applied: true,
                generation: self.contexts[self.selected].generation,
                // A non-atomic batch applies what it can; its first refusal is still typed.
                refusal,
            },
            fx,
        )
    }

    /// Ends a unit of change: a new generation if the configuration changed, the startup
    /// configuration adopted from `write memory`, syslog delivered.
    fn commit(
        &mut self,
        mark: config::Mark,
        user: &str,
        mut effects: Vec<Effect>,
        logs: Vec<syslog::Message>,
        now: Now,
    ) -> Vec<Effect> {
        let changed = self.contexts[self.selected].config.changed_since(mark);
        self.contexts[self.selected].config.commit();
        let saved: Vec<Arc<String>> = effects
            .iter()
            .filter_map(|fx| match fx {
                Effect::WriteStartup(text) => Some(text),
                _ => None,
            })
            .filter(|text| match &self.contexts[self.selected].startup {
                startup::Startup::Held(held) => held.as_str() != text.as_str(),
                startup::Startup::Writing(w) => {
                    w.held().is_none_or(|held| held.as_str() != text.as_str())
                }
                startup::Startup::Spilled => true,
            })
            .map(|text| Arc::new(text.clone()))
            .collect();
        for text in saved {
            self.set_startup(self.selected, text);
        }
        if changed {
            self.contexts[self.selected].generation += 1;
            self.contexts[self.selected].last_change = Some((user.to_owned(), now));
            effects.push(Effect::GenerationChanged(
                self.contexts[self.selected].generation,
            ));
        }
        // issue 13: change journal
        let ctx = &mut self.contexts[self.selected];
        ctx.config.seal_changes(changed.then_some(ctx.generation));
        effects.extend(self.log_all(logs, now));
        effects.extend(self.after_commit(changed, now));
        effects
    }

    // ===== operator console =====

    /// A console login (`Username:`/`Password:`): 113012 on success, 113015 on failure.
    pub fn console_login(
        &mut self,
        user: &str,
        password: &str,
        source: IpAddr,
        now: Now,
    ) -> (Option<Session>, Vec<Effect>) {
        match self.login(user, password, now) {
            (Some(privilege), _) => {
                let fx = self.log(syslog::Message::from_catalogue(113012, &[user]), now);
                let mut session = Session::console(user, privilege, source);
                // issue 14: AAA: `aaa authorization exec LOCAL auto-enable`.
                if privilege >= 2 && privileges::auto_enable(&self.contexts[self.selected].config) {
                    session.level = SessionLevel::PrivExec;
                }
                (Some(session), fx)
            }
            (None, fx) => (None, fx),
        }
    }

    /// Whether the operator console asks for a login. As an ASA's serial console, it does
    /// only when `aaa authentication serial console` is configured or, since this console is
    /// also reached over the network, when any local user exists; with neither, nobody could
    /// log in.
    pub fn console_needs_login(&self) -> bool {
        let cfg = self.aaa_config();
        cfg.iter().any(|(_, b)| {
            b.head().is_typed_as("username")
                || sections::starts_with_words(b.head().text, "aaa authentication serial console")
        })
    }

    /// A console session opened without a login (see [`Engine::console_needs_login`]): user
    /// exec as `enable_1`, as the ASA names it.
    pub fn console_open(&self, source: IpAddr) -> Session {
        Session::console(NO_LOGIN_USER, 1, source)
    }

    /// `enable` on the console: the user's own password, and privilege 15.
    pub fn console_enable(
        &mut self,
        session: &mut Session,
        password: &str,
        now: Now,
    ) -> (bool, Vec<Effect>) {
        let no_login = session.user == NO_LOGIN_USER || session.user == NO_LOGIN_ENABLED_USER;
        let verdict = if no_login {
            self.verify_enable_password(password).then_some(15)
        } else {
            self.verify_user(&session.user, password)
        };
        // issue 14: AAA: `aaa authentication enable console LOCAL` opens privileged exec at
        // the user's own level (2 and above).
        let verdict = match verdict {
            Some(level)
                if level >= 2
                    && !no_login
                    && privileges::enable_authentication(&self.contexts[self.selected].config) =>
            {
                session.privilege = level;
                session.level = SessionLevel::PrivExec;
                return (true, Vec::new());
            }
            v => v,
        };
        match verdict {
            Some(15) => {
                if no_login {
                    NO_LOGIN_ENABLED_USER.clone_into(&mut session.user);
                }
                session.privilege = 15;
                session.level = SessionLevel::PrivExec;
                let user = session.user.clone();
                let fx = self.log(
                    syslog::Message::from_catalogue(502103, &[user.as_str(), "1", "15"]),
                    now,
                );
                (true, fx)
            }
            _ => (false, Vec::new()),
        }
    }

    /// The `enable password` (stored as a pbkdf2 hash); with none configured, an empty
    /// password opens privileged exec, as on an ASA.
    fn verify_enable_password(&self, password: &str) -> bool {
        let stored = self.aaa_config().iter().find_map(|(_, b)| {
            let words: Vec<&str> = b.head().text.split_whitespace().collect();
            match words.as_slice() {
                ["enable", "password", hash, ..] => Some((*hash).to_owned()),
                _ => None,
            }
        });
        match stored {
            None => password.is_empty(),
            Some(hash) => aaa::verify_pbkdf2(&hash, password),
        }
    }

    /// One console command: the same path as a batch of one, committed on its own.
    pub fn console_command(
        &mut self,
        session: &mut Session,
        line: &str,
        now: Now,
    ) -> (String, Vec<Effect>) {
        let answer = self.console_line(session, line, now);
        self.release_large_print();
        answer
    }

    fn console_line(
        &mut self,
        session: &mut Session,
        line: &str,
        now: Now,
    ) -> (String, Vec<Effect>) {
        if let Some(done) = self.console_in_context(session, line, now) {
            return done;
        }
        let mark = self.contexts[self.selected].config.mark();
        let out = self.run_line(session, line, now);
        let user = session.user.clone();
        let fx = self.commit(mark, &user, out.effects, out.logs, now);
        (out.output, fx)
    }

    /// The console prompt: `ciscoasa(config-if)# `.
    pub fn prompt(&self, session: &Session) -> String {
        format!(
            "{}{}{} ",
            self.hostname(),
            self.context_prompt(session),
            session.prompt_suffix()
        )
    }
}

fn log_event(ev: LogEvent) -> syslog::Message {
    let level = Level::from_u8(ev.level).unwrap_or(Level::Debugging);
    syslog::Message::new(ev.message_id, level, ev.body)
}

#[cfg(test)]
mod refusals_tests;
#[cfg(test)]
mod secrets_tests;
#[cfg(test)]
pub mod test_support;
#[cfg(test)]
mod tests;
