//! A CLI session: where the user is (exec, privileged exec, configuration, a sub-mode), and
//! how one line is dispatched: exec commands (show, write memory, copy, configure terminal)
//! or configuration commands, privilege checks, `exit`/`end`, `do`.

use std::net::IpAddr;

use cli_translator::ast::Command;
use cli_translator::parse::parse_command;
use cli_translator::protocol::ExecMode;
use syslog::Message;

use super::apply::{Applier, Step, mask_secrets, strip_words, word_offset};
use super::error::CliError;
use super::modes::{self, Submode};
use super::{Effect, Engine, Now, filter, show};

/// The privilege a configuration command needs.
pub const CONFIG_PRIVILEGE: u8 = 15;

/// Where the session is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Level {
    /// `host>`
    UserExec,
    /// `host#`
    PrivExec,
    /// `host(config)#`
    Config,
    /// `host(config-if)#` ...
    Sub(Submode),
}

/// Who runs commands, and from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Api,
    Console,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    pub privilege: u8,
    pub source: IpAddr,
    pub origin: Origin,
    pub level: Level,
    /// Multiple mode: the security context a console session works in after `changeto`
    /// (`None`: the system execution space). REST batches name theirs in the request.
    pub context: Option<String>,
    /// Lines being pasted after `crypto ca import|authenticate`, until `quit`.
    pub paste: Option<super::crypto::Paste>,
}

impl Session {
    /// A REST batch: privileged exec or configuration mode.
    pub fn api(user: &str, privilege: u8, source: IpAddr, mode: ExecMode) -> Session {
        Session {
            user: user.to_owned(),
            privilege,
            source,
            origin: Origin::Api,
            level: match mode {
                ExecMode::Exec => Level::PrivExec,
                ExecMode::Config => Level::Config,
            },
            context: None,
            paste: None,
        }
    }

    /// An operator console login: user exec until `enable`.
    pub fn console(user: &str, privilege: u8, source: IpAddr) -> Session {
        Session {
            user: user.to_owned(),
            privilege,
            source,
            origin: Origin::Console,
            level: Level::UserExec,
            context: None,
            paste: None,
        }
    }

    /// The prompt after the hostname: `>`, `#`, `(config)#`, `(config-if)#`.
    pub fn prompt_suffix(&self) -> String {
        match &self.level {
            Level::UserExec => ">".to_owned(),
            Level::PrivExec => "#".to_owned(),
            Level::Config => "(config)#".to_owned(),
            Level::Sub(s) => format!("({})#", s.prompt),
        }
    }

    pub fn in_config(&self) -> bool {
        matches!(self.level, Level::Config | Level::Sub(_))
    }
}

/// What one line did.
#[derive(Debug, Default)]
pub struct LineOutcome {
    pub ok: bool,
    pub output: String,
    /// Syslog messages to deliver once the change is committed.
    pub logs: Vec<Message>,
    pub effects: Vec<Effect>,
    /// The typed error of a failed line, when it failed with one.
    pub error: Option<CliError>,
}

impl LineOutcome {
    fn ok(output: impl Into<String>) -> LineOutcome {
        LineOutcome {
            ok: true,
            output: output.into(),
            ..LineOutcome::default()
        }
    }

    fn err(e: &CliError) -> LineOutcome {
        LineOutcome {
            ok: false,
            output: e.output(),
            error: Some(e.clone()),
            ..LineOutcome::default()
        }
    }
}

/// Case-insensitive keyword match allowing abbreviation to at least `min` characters.
pub fn abbrev(word: &str, full: &str, min: usize) -> bool {
    word.len() >= min.min(full.len())
        && word.len() <= full.len()
        && full
            .as_bytes()
            .get(..word.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(word.as_bytes()))
}

/// The exec commands this simulator knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExecCommand {
    Show,
    WriteMemory,
    WriteTerminal,
    CopyRunStart,
    ConfigureTerminal,
    NoEffect,
    ClearLogging,
    Disable,
    /// `backup ...` or `restore ...` (see `backup.rs`).
    BackupRestore,
    /// `more system:running-config`: the configuration with its secrets in clear.
    More,
    /// `shun ...`, `no shun ...`, `clear shun [statistics]` (see `shun.rs`).
    Shun,
    /// `crypto key generate|zeroize ...`: acts on key pairs, which are not configuration lines
    /// (the key store, `crypto.rs`).
    CryptoKey,
    /// `crypto ca import|authenticate|enroll|export ...` (`crypto.rs`).
    CryptoCa,
    /// `clear aaa local user {lockout | fail-count} ...` (lockout.rs).
    ClearAaaLocalUser,
    // issue 14: logging, failover, licensing
    /// `license smart register|deregister|renew ...` (platform.rs).
    License,
    /// `activation-key <five words>` (platform.rs).
    ActivationKey,
}

fn exec_command(line: &str) -> Option<Result<ExecCommand, CliError>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let first = *words.first()?;
    let second = words.get(1).copied();
    if abbrev(first, "show", 2) {
        return Some(Ok(ExecCommand::Show));
    }
    // issue 14: logging, failover, licensing
    if first.eq_ignore_ascii_case("license")
        && second.is_none_or(|w| w.eq_ignore_ascii_case("smart"))
        && words.get(2).is_some_and(|w| {
            ["register", "deregister", "renew"]
                .iter()
                .any(|c| w.eq_ignore_ascii_case(c))
        })
    {
        return Some(Ok(ExecCommand::License));
    }
    if first.eq_ignore_ascii_case("activation-key") {
        return Some(Ok(ExecCommand::ActivationKey));
    }
    if super::shun::parse(line).is_some() {
        return Some(Ok(ExecCommand::Shun));
    }
    if first.eq_ignore_ascii_case("crypto") && second.is_some_and(|w| w.eq_ignore_ascii_case("key"))
    {
        return Some(match words.get(2) {
            None => Err(CliError::Incomplete),
            Some(w) if abbrev(w, "generate", 1) || abbrev(w, "zeroize", 1) => {
                Ok(ExecCommand::CryptoKey)
            }
            Some(_) => Err(CliError::invalid(line, word_offset(line, 2))),
        });
    }
    if super::crypto::is_ca_command(line) {
        return Some(Ok(ExecCommand::CryptoCa));
    }
    if cli_translator::backup::op_of(line).is_some() {
        return Some(Ok(ExecCommand::BackupRestore));
    }
    if first.eq_ignore_ascii_case("more") {
        return Some(Ok(ExecCommand::More));
    }
    if abbrev(first, "write", 2) {
        return Some(match second {
            None => Ok(ExecCommand::WriteMemory),
            Some(w) if abbrev(w, "memory", 1) => Ok(ExecCommand::WriteMemory),
            Some(w) if abbrev(w, "terminal", 1) => Ok(ExecCommand::WriteTerminal),
            Some(_) => Err(CliError::invalid(line, word_offset(line, 1))),
        });
    }
    if abbrev(first, "copy", 3) {
        let src = second.unwrap_or("");
        let dst = words.get(2).copied().unwrap_or("");
        let run = abbrev(src, "running-config", 3) || src == "system:running-config";
        let start = abbrev(dst, "startup-config", 4);
        return Some(match (run, start, words.len()) {
            (true, true, 3) => Ok(ExecCommand::CopyRunStart),
            (_, _, n) if n < 3 => Err(CliError::Incomplete),
            (false, _, _) => Err(CliError::invalid(line, word_offset(line, 1))),
            _ => Err(CliError::invalid(line, word_offset(line, 2))),
        });
    }
    if abbrev(first, "configure", 4) {
        return Some(match second {
            Some(w) if abbrev(w, "terminal", 1) && words.len() == 2 => {
                Ok(ExecCommand::ConfigureTerminal)
            }
            None => Err(CliError::Incomplete),
            Some(_) => Err(CliError::invalid(line, word_offset(line, 1))),
        });
    }
    if abbrev(first, "debug", 3) || abbrev(first, "undebug", 3) {
        return Some(Ok(ExecCommand::NoEffect));
    }
    if abbrev(first, "clear", 2)
        && second.is_some_and(|w| w.eq_ignore_ascii_case("aaa"))
        && words
            .get(2)
            .is_some_and(|w| w.eq_ignore_ascii_case("local"))
        && words.get(3).is_some_and(|w| w.eq_ignore_ascii_case("user"))
    {
        return Some(Ok(ExecCommand::ClearAaaLocalUser));
    }
    if abbrev(first, "clear", 2)
        && second.is_some_and(|w| abbrev(w, "logging", 3))
        && words.get(2).is_none_or(|w| abbrev(w, "buffer", 1))
    {
        return Some(Ok(ExecCommand::ClearLogging));
    }
    None
}

/// Exec-only words that do nothing in a batch (the console handles leaving itself).
fn is_session_noop(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    ["terminal", "enable", "exit", "end", "logout", "quit"]
        .iter()
        .any(|w| first.eq_ignore_ascii_case(w))
}

impl Engine {
    /// Runs one line in a session. A failed configuration command leaves the configuration
    /// as it was before the line.
    pub fn run_line(&mut self, session: &mut Session, raw: &str, now: Now) -> LineOutcome {
        let indented = raw.starts_with([' ', '\t']);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('!') || line == ":" || line.starts_with(": ") {
            return LineOutcome::ok("");
        }
        // No ASA command contains a control character; a NUL or escape typed on the console or
        // sent in a batch is invalid input where it stands, and never reaches the configuration.
        if let Some((at, _)) = line.char_indices().find(|(_, c)| c.is_control()) {
            return LineOutcome::err(&CliError::invalid(line, at));
        }
        if let Some(mut paste) = session.paste.take() {
            return match self.paste_line(&mut paste, line, now.unix) {
                None => {
                    session.paste = Some(paste);
                    LineOutcome::ok("")
                }
                Some(Ok(out)) => LineOutcome::ok(out),
                Some(Err(e)) => LineOutcome::err(&e),
            };
        }
        if let Some(out) = self.context_line(session, line, indented) {
            return out;
        }
        if session.in_config() {
            if let Some(rest) = strip_words(line, "do") {
                if rest.is_empty() {
                    return LineOutcome::err(&CliError::Incomplete);
                }
                return self.exec_line(session, rest, now, true);
            }
            match exec_command(line) {
                Some(Ok(ExecCommand::ConfigureTerminal)) | None => {}
                Some(_) => return self.exec_line(session, line, now, true),
            }
            return self.config_line(session, raw, line, indented, now);
        }
        self.exec_line(session, line, now, false)
    }

    fn exec_line(
        &mut self,
        session: &mut Session,
        line: &str,
        now: Now,
        in_config: bool,
    ) -> LineOutcome {
        let first = line.split_whitespace().next().unwrap_or("");
        if (abbrev(first, "show", 2) || first.eq_ignore_ascii_case("more")) && line.contains('|') {
            return match filter::split(line) {
                Ok((command, Some(f))) => {
                    let mut out = self.exec_line(session, command, now, in_config);
                    if out.ok {
                        out.output = f.apply(&out.output);
                    }
                    out
                }
                Ok((command, None)) => self.exec_line(session, command, now, in_config),
                Err(e) => LineOutcome::err(&e),
            };
        }
        let cmd = match exec_command(line) {
            Some(Ok(c)) => c,
            Some(Err(e)) => return LineOutcome::err(&e),
            None if !in_config && is_session_noop(line) => return LineOutcome::ok(""),
            None if !in_config && line.eq_ignore_ascii_case("disable") => ExecCommand::Disable,
            None => return LineOutcome::err(&CliError::invalid(line, 0)),
        };
        let privileged = session.level != Level::UserExec;
        // issue 14: AAA: command authorization decides every exec command's level.
        let needed = super::privileges::required_level(
            &self.contexts[self.selected].config,
            line,
            in_config,
        );
        if let Some(level) = needed
            && session.privilege < level
        {
            return LineOutcome::err(&CliError::AuthorizationFailed);
        }
        let config_privilege = needed.unwrap_or(CONFIG_PRIVILEGE);
        match cmd {
            ExecCommand::Show => match show::show(self, session, line, now) {
                Ok(out) => LineOutcome::ok(out),
                Err(e) => LineOutcome::err(&e),
            },
            ExecCommand::NoEffect => LineOutcome::ok(""),
            ExecCommand::Disable => {
                session.level = Level::UserExec;
                LineOutcome::ok("")
            }
            _ if !privileged => LineOutcome::err(&CliError::invalid(line, 0)),
            ExecCommand::ConfigureTerminal => {
                if session.privilege < config_privilege {
                    return LineOutcome::err(&CliError::AuthorizationFailed);
                }
                session.level = Level::Config;
                LineOutcome::ok("")
            }
            ExecCommand::WriteTerminal => {
                let text = self.shown_running_config();
                LineOutcome::ok(show::for_privilege(session, text))
            }
            ExecCommand::WriteMemory | ExecCommand::CopyRunStart => {
                if session.privilege < config_privilege {
                    return LineOutcome::err(&CliError::AuthorizationFailed);
                }
                let mut out = self.write_memory();
                out.logs.push(executed(session, line));
                out
            }
            ExecCommand::ClearLogging => {
                if session.privilege < config_privilege {
                    return LineOutcome::err(&CliError::AuthorizationFailed);
                }
                self.contexts[self.selected].logging.clear_buffer();
                LineOutcome::ok("")
            }
            ExecCommand::BackupRestore => {
                if session.privilege < config_privilege {
                    return LineOutcome::err(&CliError::AuthorizationFailed);
                }
                self.backup_or_restore(session, line, now)
            }
            ExecCommand::Shun => {
                if session.privilege < config_privilege {
                    return LineOutcome::err(&CliError::AuthorizationFailed);
                }
                let result = match super::shun::parse(line) {
                    Some(Ok(cmd)) => {
                        self.shuns
                            .run(&self.contexts[self.selected].config, cmd, now.unix)
                    }
                    Some(Err(e)) => Err(e),
                    None => Err(CliError::invalid(line, 0)),
                };
                match result {
                    Ok(out) => {
                        let mut out = LineOutcome::ok(out);
                        out.logs.push(executed(session, line));
                        out
                    }
                    Err(e) => LineOutcome::err(&e),
                }
            }
            // A configuration-mode command on an ASA.
            ExecCommand::CryptoKey if !in_config => LineOutcome::err(&CliError::invalid(line, 0)),
            ExecCommand::CryptoKey => {
                if session.privilege < config_privilege {
                    return LineOutcome::err(&CliError::AuthorizationFailed);
                }
                match self.crypto_key(line, now.unix) {
                    Ok(text) => {
                        let mut out = LineOutcome::ok(text);
                        out.logs.push(executed(session, line));
                        out
                    }
                    Err(e) => LineOutcome::err(&e),
                }
            }
            // A configuration-mode command on an ASA; the passphrase it may carry is never
            // logged (no 111010).
            ExecCommand::CryptoCa if !in_config => LineOutcome::err(&CliError::invalid(line, 0)),
            ExecCommand::CryptoCa => {
                if session.privilege < CONFIG_PRIVILEGE {
                    return LineOutcome::err(&CliError::AuthorizationFailed);
                }
                match self.crypto_ca(line, now.unix) {
                    Ok((text, paste)) => {
                        session.paste = paste;
                        LineOutcome::ok(text)
                    }
                    Err(e) => LineOutcome::err(&e),
                }
            }
            // issue 14: logging, failover, licensing
            ExecCommand::License => {
                if session.privilege < CONFIG_PRIVILEGE {
                    return LineOutcome::err(&CliError::AuthorizationFailed);
                }
                match self.license.run(line, now) {
                    Ok(out) => LineOutcome::ok(out),
                    Err(e) => LineOutcome::err(&e),
                }
            }
            ExecCommand::ActivationKey => {
                if session.privilege < CONFIG_PRIVILEGE {
                    return LineOutcome::err(&CliError::AuthorizationFailed);
                }
                match self.license.activate(line) {
                    Ok(out) => LineOutcome::ok(out),
                    Err(e) => LineOutcome::err(&e),
                }
            }
            ExecCommand::ClearAaaLocalUser => {
                if session.privilege < config_privilege {
                    return LineOutcome::err(&CliError::AuthorizationFailed);
                }
                match self.clear_aaa_local_user(line) {
                    Ok(()) => LineOutcome::ok(""),
                    Err(e) => LineOutcome::err(&e),
                }
            }
            ExecCommand::More => {
                if session.privilege < config_privilege {
                    return LineOutcome::err(&CliError::AuthorizationFailed);
                }
                match show::more(self, line) {
                    Ok(out) => LineOutcome::ok(out),
                    Err(e) => LineOutcome::err(&e),
                }
            }
        }
    }

    /// `write memory`: the running configuration becomes the startup configuration (the
    /// shell writes it to disk; the engine adopts it when the batch commits).
    fn write_memory(&mut self) -> LineOutcome {
        let text = self.running_config();
        let checksum = self.checksum();
        let output = format!(
            "Building configuration...\nCryptochecksum: {} \n\n{} bytes copied in 0.10 secs\n[OK]\n",
            checksum.grouped(),
            text.len()
        );
        LineOutcome {
            ok: true,
            output,
            logs: Vec::new(),
            effects: vec![
                Effect::WriteStartup(text),
                Effect::WriteKeyStore(self.key_store_text()),
            ],
            error: None,
        }
    }

    fn config_line(
        &mut self,
        session: &mut Session,
        raw: &str,
        line: &str,
        indented: bool,
        _now: Now,
    ) -> LineOutcome {
        match parse_command(line) {
            Ok(Command::Exit) => {
                session.level = match session.level {
                    Level::Sub(_) => Level::Config,
                    _ => Level::PrivExec,
                };
                return LineOutcome::ok("");
            }
            Ok(Command::End) => {
                session.level = Level::PrivExec;
                return LineOutcome::ok("");
            }
            _ => {}
        }
        // issue 14: AAA: under command authorization a top-level command needs its own level;
        // a sub-mode line was authorized with the command that opened the mode.
        // (An unindented line in a sub-mode may be either: the lower of the two levels.)
        let own =
            super::privileges::required_level(&self.contexts[self.selected].config, line, true);
        let needed = match (&session.level, own) {
            (Level::Sub(sub), Some(own)) => {
                let opener = self.contexts[self.selected]
                    .config
                    .block(sub.block)
                    .and_then(|b| {
                        super::privileges::required_level(
                            &self.contexts[self.selected].config,
                            b.head().text,
                            true,
                        )
                    })
                    .unwrap_or(own);
                Some(if indented { opener } else { opener.min(own) })
            }
            (_, own) => own,
        };
        if session.privilege < needed.unwrap_or(CONFIG_PRIVILEGE) {
            return LineOutcome::err(&CliError::AuthorizationFailed);
        }
        if !indented && let Some(mut out) = self.rest_api_line(line) {
            if matches!(session.level, Level::Sub(_)) {
                session.level = Level::Config;
            }
            if out.ok {
                out.logs.push(executed(session, line));
            }
            return out;
        }
        let sub = match &session.level {
            Level::Sub(sub) => {
                let is_sub = indented
                    || {
                        let parsed = parse_command(line).ok();
                        modes::is_unindented_sub(&sub.kind, line, parsed.as_ref())
                    }
                    || self.contexts[self.selected]
                        .config
                        .block(sub.block)
                        .is_some_and(|b| {
                            super::object_groups::claims_unindented(b.head().text, line)
                            // issue 15: `class <c>` in policy-map mode
                            || super::service_policy::claims_unindented(b.head().text, line)
                        });
                is_sub.then(|| sub.clone())
            }
            _ => None,
        };
        let mark = self.contexts[self.selected].config.mark();
        let mut applier = Applier {
            cfg: &mut self.contexts[self.selected].config,
            rng: &mut self.rng,
        };
        let result = match sub {
            Some(mut sub) => {
                let text = if indented {
                    raw.trim_end().get(1..).unwrap_or("")
                } else {
                    line
                };
                let r = applier.sub_command(&mut sub, text);
                if r.is_ok() {
                    session.level = Level::Sub(sub);
                }
                r
            }
            None => {
                if matches!(session.level, Level::Sub(_)) {
                    session.level = Level::Config;
                }
                applier.top_level(line)
            }
        };
        match result {
            Ok(step) => {
                let mut output = String::new();
                let mut log = true;
                match step {
                    Step::Done(Some(info)) => {
                        output = info;
                        output.push('\n');
                    }
                    Step::Done(None) => {}
                    Step::Enter(sub) => session.level = Level::Sub(sub),
                    Step::Exit => {
                        log = false;
                        session.level = match session.level {
                            Level::Sub(_) => Level::Config,
                            _ => Level::PrivExec,
                        };
                    }
                    Step::End => {
                        log = false;
                        session.level = Level::PrivExec;
                    }
                }
                let mut out = LineOutcome::ok(output);
                if log {
                    out.logs.push(executed(session, line));
                }
                out
            }
            Err(e) => {
                self.contexts[self.selected].config.rollback_to(mark);
                LineOutcome::err(&e)
            }
        }
    }
}

/// 111010 for an executed command, secrets masked.
fn executed(session: &Session, line: &str) -> Message {
    let user = session.user.as_str();
    let ip = session.source.to_string();
    let cmd = mask_secrets(line);
    Message::from_catalogue(111010, &[user, "CLI", &ip, &cmd]).unwrap_or_else(|| {
        Message::new(
            111010,
            syslog::Level::Notifications,
            format!("User '{user}', running 'CLI' from IP {ip}, executed '{cmd}'"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_match_prefixes_of_at_least_min_length() {
        assert!(abbrev("sh", "show", 2));
        assert!(abbrev("SHOW", "show", 2));
        assert!(!abbrev("s", "show", 2));
        assert!(!abbrev("shows", "show", 2));
        assert!(abbrev("run", "running-config", 3));
        assert!(!abbrev("rux", "running-config", 3));
    }

    #[test]
    fn recognises_exec_commands() {
        assert_eq!(exec_command("wr mem"), Some(Ok(ExecCommand::WriteMemory)));
        assert_eq!(exec_command("write"), Some(Ok(ExecCommand::WriteMemory)));
        assert_eq!(
            exec_command("copy running-config startup-config"),
            Some(Ok(ExecCommand::CopyRunStart))
        );
        assert_eq!(
            exec_command("conf t"),
            Some(Ok(ExecCommand::ConfigureTerminal))
        );
        assert_eq!(exec_command("hostname x"), None);
        assert_eq!(exec_command("copy run"), Some(Err(CliError::Incomplete)));
        assert!(matches!(
            exec_command("write bogus"),
            Some(Err(CliError::InvalidInput { offset: 6, .. }))
        ));
    }
}
