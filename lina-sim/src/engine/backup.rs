//! The `backup` and `restore` exec commands (syntax in [`cli_translator::backup`]).
//!
//! `backup` writes the running and startup configurations to `disk0:/<file>` in the format of
//! [`super::backup_file`] (encrypted with a passphrase); the shell persists the file
//! ([`Effect::WriteFlash`]) and the engine keeps what it wrote this run, so a restore never
//! races the write. `restore` reads a file (written this run, else from disk0: through the
//! engine's [`Flash`]), checks it, then replaces the running configuration through the
//! journaled primitives (so a failing batch still undoes it, and the generation moves once)
//! and the startup configuration with the backup's. Any failure changes nothing.

use std::collections::HashMap;
use std::sync::Arc;

use cli_translator::backup::{self as syntax, BackupCommand, Op, SyntaxError};

use super::backup_file::{self, Contents, ReadError, Seal};
use super::config::{Block, BlockBuf, BlockId, Config};
use super::error::CliError;
use super::restapi::Flash;
use super::session::{LineOutcome, Session};
use super::{ASA_VERSION, Effect, Engine, Now, load};

/// Files this run wrote, kept at most this many (older ones are read from disk0:).
const KEPT_FILES: usize = 16;

/// What `backup` and `restore` see of `disk0:`.
#[derive(Debug)]
pub struct Disk0 {
    reader: Arc<dyn Flash>,
    written: HashMap<String, (u64, Vec<u8>)>,
    next: u64,
}

impl Disk0 {
    pub fn new(reader: Arc<dyn Flash>) -> Disk0 {
        Disk0 {
            reader,
            written: HashMap::new(),
            next: 0,
        }
    }

    fn store(&mut self, name: &str, bytes: Vec<u8>) {
        self.next += 1;
        self.written.insert(name.to_owned(), (self.next, bytes));
        if self.written.len() > KEPT_FILES
            && let Some(oldest) = self
                .written
                .iter()
                .min_by_key(|(_, (n, _))| *n)
                .map(|(k, _)| k.clone())
        {
            self.written.remove(&oldest);
        }
    }

    fn read(&self, name: &str) -> std::io::Result<Vec<u8>> {
        match self.written.get(name) {
            Some((_, bytes)) => Ok(bytes.clone()),
            None => self.reader.read(name),
        }
    }
}

/// Why a backup or restore failed, printed as the device prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupError {
    /// The command line itself is wrong.
    Cli(CliError),
    /// A value the command cannot use (`location`, `passphrase`, `context`).
    Value(syntax::BadValue),
    /// `context` on a device in single context mode.
    SingleMode,
    /// `context` naming no security context.
    NoSuchContext(String),
    /// `restore context` of a context other than the one the command runs in.
    NotSelected(String),
    /// The file does not exist (or cannot be read).
    Open { location: String, reason: String },
    /// The file is not a readable backup.
    Read { location: String, error: ReadError },
    /// The backup could not be written.
    Write(backup_file::WriteError),
    /// The backup would overwrite a file the device uses (the REST API package, a context's
    /// configuration, any file the configuration names).
    InUse {
        location: String,
        user: &'static str,
    },
}

impl std::fmt::Display for BackupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BackupError::Cli(e) => write!(f, "{e}"),
            BackupError::Value(e) => write!(f, "ERROR: Invalid value: {e}"),
            BackupError::SingleMode => {
                f.write_str("ERROR: The context keyword is only valid in multiple context mode")
            }
            BackupError::NoSuchContext(name) => write!(f, "ERROR: Context {name} does not exist"),
            BackupError::NotSelected(name) => write!(
                f,
                "ERROR: Restore context {name} from within that context (changeto context {name})"
            ),
            BackupError::Open { location, reason } => {
                write!(f, "%Error opening {location} ({reason})")
            }
            BackupError::Read { location, error } => {
                write!(f, "ERROR: Cannot restore from {location}: {error}")
            }
            BackupError::Write(e) => write!(f, "ERROR: Backup failed: {e}"),
            BackupError::InUse { location, user } => write!(
                f,
                "%Error opening {location} (File is in use by {user}; choose another file name)"
            ),
        }
    }
}

impl BackupError {
    fn outcome(&self) -> LineOutcome {
        LineOutcome {
            ok: false,
            output: format!("{self}\n"),
            ..LineOutcome::default()
        }
    }
}

impl Engine {
    /// Runs a `backup` or `restore` line (the caller has checked privilege 15).
    pub(crate) fn backup_or_restore(
        &mut self,
        session: &Session,
        line: &str,
        now: Now,
    ) -> LineOutcome {
        let command = match syntax::parse(line) {
            Ok(c) => c,
            Err(SyntaxError::Invalid { offset }) => {
                return BackupError::Cli(CliError::invalid(line, offset)).outcome();
            }
            Err(SyntaxError::NotThisCommand) => {
                return BackupError::Cli(CliError::invalid(line, 0)).outcome();
            }
            Err(SyntaxError::Incomplete) => {
                return BackupError::Cli(CliError::Incomplete).outcome();
            }
            Err(SyntaxError::Value { problem, .. }) => {
                return BackupError::Value(problem).outcome();
            }
        };
        if let Some(context) = &command.context {
            if self.selected_context().is_none() {
                return BackupError::SingleMode.outcome();
            }
            if !self.context_exists(context) {
                return BackupError::NoSuchContext(context.clone()).outcome();
            }
            // A restore replaces the configuration this batch is changing: only there.
            if command.op == Op::Restore && self.selected_context() != Some(context.as_str()) {
                return BackupError::NotSelected(context.clone()).outcome();
            }
        }
        let result = match command.op {
            Op::Backup => self.backup(&command, now),
            Op::Restore => self.restore(&command),
        };
        match result {
            Ok(mut out) => {
                out.logs.push(executed(session, &command.masked()));
                out
            }
            Err(e) => e.outcome(),
        }
    }

    fn backup(&mut self, command: &BackupCommand, now: Now) -> Result<LineOutcome, BackupError> {
        if let Some(user) = self.disk0_file_user(command.location.name()) {
            return Err(BackupError::InUse {
                location: command.location.to_string(),
                user,
            });
        }
        // Multiple mode: the named context's configurations (selected for the read).
        let back = self.selected;
        if let Some(context) = &command.context {
            self.select_context(context);
        }
        let contents = Contents {
            asa_version: ASA_VERSION.to_owned(),
            created: now.unix,
            running_config: self.running_config(),
            startup_config: self.startup_of(self.selected).as_str().to_owned(),
        };
        self.selected = back;
        let seal = command.passphrase.as_deref().map(|passphrase| Seal {
            passphrase,
            salt: self.rng.bytes(),
            nonce: self.rng.bytes(),
        });
        let bytes = backup_file::write(&contents, seal).map_err(BackupError::Write)?;
        let name = command.location.name().to_owned();
        self.disk0.store(&name, bytes.clone());
        let size = bytes.len();
        let location = command.location.to_string();
        let output = format!(
            "\nBegin backup...\n\
             Backing up [ASA Version] ... Done!\n\
             Backing up [Running Config] ... Done!\n\
             Backing up [Startup Config] ... Done!\n\
             Copying Backup to {location} ... Done! ({size} bytes)\n\
             \nBackup finished!\n"
        );
        Ok(LineOutcome {
            ok: true,
            output,
            logs: Vec::new(),
            effects: vec![Effect::WriteFlash { name, bytes }],
            error: None,
        })
    }

    fn restore(&mut self, command: &BackupCommand) -> Result<LineOutcome, BackupError> {
        let location = command.location.to_string();
        let bytes = self
            .disk0
            .read(command.location.name())
            .map_err(|e| BackupError::Open {
                location: location.clone(),
                reason: match e.kind() {
                    std::io::ErrorKind::NotFound => "No such file or directory".to_owned(),
                    _ => e.to_string(),
                },
            })?;
        let contents =
            backup_file::read(&bytes, command.passphrase.as_deref()).map_err(|error| {
                BackupError::Read {
                    location: location.clone(),
                    error,
                }
            })?;
        let loaded = load::load(&contents.running_config, &mut self.rng);
        replace_config(&mut self.contexts[self.selected].config, &loaded);
        let output = format!(
            "\nBegin restore from {location} (backup of ASA {}) ...\n\
             Restoring [Running Config] ... Done!\n\
             Restoring [Startup Config] ... Done!\n\
             \nRestore finished!\n",
            contents.asa_version
        );
        Ok(LineOutcome {
            ok: true,
            output,
            logs: Vec::new(),
            effects: vec![Effect::WriteStartup(contents.startup_config)],
            error: None,
        })
    }
}

impl Engine {
    /// What uses `disk0:/<name>`, if anything: a save must not overwrite it. REST API packages
    /// (`asa-restapi-*.SPA`, installed or not: the agent's next start may need one), the
    /// contexts' `config-url` files, and any file a configuration line names.
    pub(crate) fn disk0_file_user(&mut self, name: &str) -> Option<&'static str> {
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("asa-restapi-") || lower.ends_with(".spa") {
            return Some("the REST API package");
        }
        let named = |url: &str| {
            super::contexts::disk0_file(url).is_some_and(|f| f.eq_ignore_ascii_case(name))
        };
        if self
            .context_defs()
            .iter()
            .any(|d| d.config_url.as_deref().is_some_and(named))
        {
            return Some("a security context's configuration");
        }
        let text = self.running_config();
        let in_text = text.split_whitespace().any(named);
        in_text.then_some("the running configuration")
    }
}

/// Makes `config` print as `target` through journaled removals and insertions: the blocks
/// the two share at the start and at the end stay, the ones between are replaced.
pub fn replace_config(config: &mut Config, target: &Config) {
    let old: Vec<(BlockId, &Block)> = config.iter().collect();
    let new: Vec<&Block> = target.iter().map(|(_, b)| b).collect();
    let common = old.len().min(new.len());
    let prefix = old
        .iter()
        .zip(&new)
        .take_while(|((_, a), b)| same(a, b))
        .count();
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(common - prefix)
        .take_while(|((_, a), b)| same(a, b))
        .count();
    let doomed: Vec<BlockId> = old[prefix..old.len() - suffix]
        .iter()
        .map(|(id, _)| *id)
        .collect();
    let added: Vec<BlockBuf> = new[prefix..new.len() - suffix]
        .iter()
        .map(|b| Block::to_owned(b))
        .collect();
    for id in doomed.into_iter().rev() {
        config.remove(id);
    }
    for (k, block) in added.into_iter().enumerate() {
        config.insert_at(prefix + k, block);
    }
}

/// Whether two blocks print the same.
fn same(a: &Block, b: &Block) -> bool {
    a.head().text == b.head().text
        && a.children().len() == b.children().len()
        && a.children()
            .zip(b.children())
            .all(|(x, y)| x.text == y.text)
}

/// 111010 for the executed command (passphrase masked).
fn executed(session: &Session, masked: &str) -> syslog::Message {
    let user = session.user.as_str();
    let ip = session.source.to_string();
    syslog::Message::from_catalogue(111010, &[user, "CLI", &ip, masked]).unwrap_or_else(|| {
        syslog::Message::new(
            111010,
            syslog::Level::Notifications,
            format!("User '{user}', running 'CLI' from IP {ip}, executed '{masked}'"),
        )
    })
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use cli_translator::protocol::{Exec, ExecMode, ExecResult, Message};

    use super::super::restapi::MemFlash;
    use super::super::{ConnState, EngineOptions};
    use super::*;

    const T0: i64 = 1_795_353_601;
    const BASE: &str = "hostname fw1\nobject network web\n host 10.0.0.1\n";

    fn engine_with(flash: MemFlash) -> Engine {
        let opts = EngineOptions {
            flash: Arc::new(flash),
            ..EngineOptions::default()
        };
        Engine::boot(BASE, &opts, [3; 32], Now::from_secs(T0)).0
    }

    fn engine() -> Engine {
        engine_with(MemFlash::default())
    }

    fn run(
        e: &mut Engine,
        mode: ExecMode,
        atomic: bool,
        cmds: &[&str],
    ) -> (ExecResult, Vec<Effect>) {
        let mut conn = ConnState::default();
        let _ = e.handle(
            Message::Hello {
                version: 1,
                peer: "test".into(),
            },
            &mut conn,
            Now::from_secs(T0),
        );
        let (reply, fx) = e.handle(
            Message::Exec(Exec {
                user: "admin".into(),
                privilege: 15,
                source: IpAddr::V4(Ipv4Addr::LOCALHOST),
                context: None,
                mode,
                atomic,
                commands: cmds.iter().map(|c| (*c).to_owned()).collect(),
                expected_generation: None,
            }),
            &mut conn,
            Now::from_secs(T0 + 5),
        );
        match reply {
            Some(Message::ExecResult(r)) => (r, fx),
            other => panic!("{other:?}"),
        }
    }

    fn one(e: &mut Engine, cmd: &str) -> (bool, String) {
        let (r, _) = run(e, ExecMode::Exec, false, &[cmd]);
        (r.outcomes[0].ok, r.outcomes[0].output.clone())
    }

    fn configure(e: &mut Engine, cmds: &[&str]) {
        let (r, _) = run(e, ExecMode::Config, true, cmds);
        assert!(r.applied, "{:?}", r.outcomes);
    }

    #[test]
    fn a_backup_never_overwrites_the_rest_api_package_or_a_file_in_use() {
        let mut e = engine();
        configure(&mut e, &["boot system disk0:/asa-image.bin"]);
        for location in [
            "disk0:/asa-restapi-7161-lfbff-k8.SPA",
            "disk0:/ASA-RESTAPI-1.spa",
            "disk0:/asa-image.bin",
        ] {
            let (r, fx) = run(
                &mut e,
                ExecMode::Exec,
                false,
                &[&format!("backup /noconfirm location {location}")],
            );
            assert!(!r.outcomes[0].ok, "{location}");
            assert!(
                r.outcomes[0]
                    .output
                    .starts_with(&format!("%Error opening {location} (File is in use")),
                "{}",
                r.outcomes[0].output
            );
            assert!(fx.iter().all(|f| !matches!(f, Effect::WriteFlash { .. })));
        }
    }

    #[test]
    fn backup_then_change_then_restore_brings_the_configuration_back() {
        let mut e = engine();
        let before = e.running_config();
        let (r, fx) = run(
            &mut e,
            ExecMode::Exec,
            false,
            &["backup /noconfirm location disk0:/b1.bak"],
        );
        assert!(r.outcomes[0].ok, "{}", r.outcomes[0].output);
        assert!(r.outcomes[0].output.contains("Backup finished!"));
        assert!(
            fx.iter()
                .any(|f| matches!(f, Effect::WriteFlash { name, .. } if name == "b1.bak"))
        );
        configure(
            &mut e,
            &[
                "hostname changed",
                "no object network web",
                "object network db",
                " host 10.9.9.9",
            ],
        );
        assert_ne!(e.running_config(), before);
        let generation = e.generation();
        let (ok, out) = one(&mut e, "restore /noconfirm location disk0:/b1.bak");
        assert!(ok, "{out}");
        assert!(out.contains("Restore finished!"));
        assert_eq!(e.running_config(), before);
        assert_eq!(e.generation(), generation + 1);
    }

    #[test]
    fn an_encrypted_backup_needs_the_right_passphrase_and_a_wrong_one_changes_nothing() {
        let mut e = engine();
        let (ok, out) = one(
            &mut e,
            "backup /noconfirm passphrase Secret-1 location disk0:/enc.bak",
        );
        assert!(ok, "{out}");
        configure(&mut e, &["hostname other"]);
        let changed = e.running_config();
        let generation = e.generation();
        let (ok, out) = one(
            &mut e,
            "restore /noconfirm passphrase wrong location disk0:/enc.bak",
        );
        assert!(!ok);
        assert!(out.contains("passphrase is incorrect"), "{out}");
        let (ok, out) = one(&mut e, "restore /noconfirm location disk0:/enc.bak");
        assert!(!ok);
        assert!(out.contains("passphrase is required"), "{out}");
        assert_eq!(e.running_config(), changed);
        assert_eq!(e.generation(), generation);
        let (ok, out) = one(
            &mut e,
            "restore /noconfirm passphrase Secret-1 location disk0:/enc.bak",
        );
        assert!(ok, "{out}");
        assert!(e.running_config().contains("hostname fw1\n"));
    }

    #[test]
    fn missing_and_corrupt_files_are_errors() {
        let mut flash = MemFlash::default();
        let good = backup_file::write(
            &Contents {
                asa_version: ASA_VERSION.into(),
                created: T0,
                running_config: "hostname restored\n".into(),
                startup_config: String::new(),
            },
            None,
        )
        .unwrap();
        let mut bad = good.clone();
        bad[20] ^= 0xff;
        flash.files.insert("good.bak".into(), good);
        flash.files.insert("bad.bak".into(), bad);
        let mut e = engine_with(flash);
        let (ok, out) = one(&mut e, "restore /noconfirm location disk0:/nope.bak");
        assert!(!ok);
        assert_eq!(
            out,
            "%Error opening disk0:/nope.bak (No such file or directory)\n"
        );
        let (ok, out) = one(&mut e, "restore /noconfirm location disk0:/bad.bak");
        assert!(!ok);
        assert!(out.contains("corrupt"), "{out}");
        assert!(e.running_config().contains("hostname fw1\n"));
        // A file placed on disk0: by other means restores too.
        let (ok, out) = one(&mut e, "restore /noconfirm location disk0:/good.bak");
        assert!(ok, "{out}");
        assert!(e.running_config().contains("hostname restored\n"));
        assert!(!e.running_config().contains("object network web"));
    }

    #[test]
    fn a_restore_in_a_failing_atomic_batch_is_undone() {
        let mut e = engine();
        assert!(one(&mut e, "backup location disk0:/a.bak").0);
        configure(&mut e, &["hostname other"]);
        let before = e.running_config();
        let (r, _) = run(
            &mut e,
            ExecMode::Config,
            true,
            &[
                "do restore /noconfirm location disk0:/a.bak",
                "bogus command",
            ],
        );
        assert!(!r.applied);
        assert_eq!(e.running_config(), before);
    }

    #[test]
    fn bad_lines_and_values_are_refused() {
        let mut e = engine();
        for (cmd, expect) in [
            ("backup /noconfirm", "Incomplete"),
            ("backup location disk0:/../x", "Invalid value"),
            ("backup bogus location disk0:/x", "Invalid input"),
            (
                "backup context c1 location disk0:/x",
                "multiple context mode",
            ),
        ] {
            let (ok, out) = one(&mut e, cmd);
            assert!(!ok, "{cmd}");
            assert!(out.contains(expect), "{cmd}: {out}");
        }
    }

    #[test]
    fn the_passphrase_is_masked_in_syslog() {
        let mut e = engine();
        configure(&mut e, &["logging enable", "logging buffered debugging"]);
        assert!(one(&mut e, "backup passphrase Hidden-99 location disk0:/m.bak").0);
        let log = e.log_buffer().join("\n");
        assert!(
            log.contains("backup passphrase ***** location disk0:/m.bak"),
            "{log}"
        );
        assert!(!log.contains("Hidden-99"));
    }

    #[test]
    fn in_multiple_mode_a_context_is_backed_up_by_name() {
        let system = "mode multiple\nhostname sys\ninterface GigabitEthernet0/0\n!\n\
                      interface GigabitEthernet0/1\n!\nadmin-context admin\ncontext admin\n  \
                      allocate-interface GigabitEthernet0/0\n  config-url disk0:/admin.cfg\n!\n\
                      context cust\n  allocate-interface GigabitEthernet0/1\n  config-url disk0:/cust.cfg\n!\n";
        let mut flash = MemFlash::default();
        flash
            .files
            .insert("cust.cfg".into(), b"hostname customer-one\n".to_vec());
        let opts = EngineOptions {
            flash: Arc::new(flash),
            ..EngineOptions::default()
        };
        let mut e = Engine::boot(system, &opts, [3; 32], Now::from_secs(T0)).0;
        let selected = e.selected_context().map(str::to_owned);
        let (r, fx) = run(
            &mut e,
            ExecMode::Exec,
            false,
            &["backup /noconfirm context cust location disk0:/cust.bak"],
        );
        assert!(r.outcomes[0].ok, "{}", r.outcomes[0].output);
        assert_eq!(e.selected_context().map(str::to_owned), selected);
        let bytes = fx
            .iter()
            .find_map(|f| match f {
                Effect::WriteFlash { bytes, .. } => Some(bytes.clone()),
                _ => None,
            })
            .unwrap();
        let contents = backup_file::read(&bytes, None).unwrap();
        assert!(contents.running_config.contains("hostname customer-one\n"));
        let (ok, out) = one(&mut e, "backup context nobody location disk0:/x.bak");
        assert!(!ok);
        assert!(out.contains("Context nobody does not exist"), "{out}");
    }

    #[test]
    fn replacing_keeps_shared_blocks_and_is_exact() {
        let mut rng = super::super::entropy::Entropy::from_seed([5; 32]);
        let mut cfg = load::load(
            "hostname a\n!\nobject network x\n host 1.1.1.1\n!\nntp server 1.2.3.4\n",
            &mut rng,
        );
        let target = load::load(
            "hostname a\n!\nobject network y\n host 2.2.2.2\nobject network z\n host 3.3.3.3\n!\nntp server 1.2.3.4\n",
            &mut rng,
        );
        let mark = cfg.mark();
        replace_config(&mut cfg, &target);
        let mut a = String::new();
        let mut b = String::new();
        cfg.print_body("", &mut a);
        target.print_body("", &mut b);
        assert_eq!(a, b);
        cfg.rollback_to(mark);
        let mut c = String::new();
        cfg.print_body("", &mut c);
        assert!(c.contains("object network x"));
    }
}
