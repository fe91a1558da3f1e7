//! AAA for management sessions and command authorization: the `aaa authentication ...
//! console`, `aaa authorization command|exec` and `privilege` lines, and what they change.
//!
//! ASA syntax:
//! ```text
//! aaa authentication {enable | http | ssh | serial | telnet} console <group> [LOCAL]
//! aaa authorization command {LOCAL | <group>}
//! aaa authorization exec {authentication-server | LOCAL} [auto-enable]
//! privilege [show | clear | cmd] level <0-15> [mode {enable | cmd}] command <command>
//! ```
//! One line per authentication method, one `aaa authorization command` and one `aaa
//! authorization exec` line: a new one replaces the old. A `privilege` line without a form
//! sets all three forms (the ASA shows them apart, so three lines are stored).
//!
//! With `aaa authorization command LOCAL`, every command a session runs needs the privilege
//! level of its main command (the word after `show` or `clear`, else the first word; the ASA
//! cannot tell `aaa authentication` from `aaa authorization`): the level a `privilege` line
//! gives it, else the ASA's default, 0 for `show checksum|curpriv|history|pager|version`,
//! `clear pager`, `enable`, `help`, `login`, `logout`, `pager`, `quit`, and 15 for the rest
//! (Cisco, "Default Command Privilege Levels"). A user below it gets `Command authorization
//! failed`; a user at it may run it, configuration commands included. Without it, commands need
//! what they always need here (show: any user; configuration: 15). Lines inside a sub-mode were
//! authorized with the command that opened it.
//!
//! `aaa authentication enable console LOCAL` makes `enable` open privileged exec at the
//! user's own level (without it, only level-15 users pass, as before);
//! `aaa authorization exec LOCAL auto-enable` opens a console login in privileged exec at the
//! user's level.

use cli_translator::resources::aaa::{
    LOCAL, METHODS, parse_authentication, parse_command_authorization, parse_exec,
};

use super::apply::{Applier, Step, strip_words, word_offset};
use super::config::{Block, BlockId, Config, Entry};
use super::error::CliError;
use super::session::abbrev;

/// Which form of a command a privilege names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Show,
    Clear,
    Cmd,
}

impl Form {
    fn word(self) -> &'static str {
        match self {
            Form::Show => "show",
            Form::Clear => "clear",
            Form::Cmd => "cmd",
        }
    }
}

/// Commands at level 0 by default, as (form, main command).
const LEVEL_ZERO: &[(Form, &str)] = &[
    (Form::Show, "checksum"),
    (Form::Show, "curpriv"),
    (Form::Show, "history"),
    (Form::Show, "pager"),
    (Form::Show, "version"),
    (Form::Clear, "pager"),
    (Form::Cmd, "enable"),
    (Form::Cmd, "help"),
    (Form::Cmd, "login"),
    (Form::Cmd, "logout"),
    (Form::Cmd, "pager"),
    (Form::Cmd, "quit"),
];

/// One stored `privilege` line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Privilege {
    form: Form,
    level: u8,
    /// `enable` (exec) or `cmd` (configuration), when given.
    mode: Option<String>,
    command: String,
}

impl Privilege {
    fn line(&self) -> String {
        let mut s = format!("privilege {} level {}", self.form.word(), self.level);
        if let Some(m) = &self.mode {
            s.push_str(" mode ");
            s.push_str(m);
        }
        s.push_str(" command ");
        s.push_str(&self.command);
        s
    }
}

/// A command word as the ASA takes it: letters, digits, `-` and `_`.
fn is_command_word(w: &str) -> bool {
    !w.is_empty()
        && w.len() <= 64
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Parses a `privilege` line (without `no`): its lines (three when no form is given), or
/// the error at the word that is wrong.
fn parse_privilege(line: &str, body: &str, skip: usize) -> Result<Vec<Privilege>, CliError> {
    let words: Vec<&str> = body.split_whitespace().collect();
    let bad = |i: usize| CliError::invalid(line, word_offset(line, i + skip));
    let mut i = 1;
    let forms = match words.get(i) {
        Some(&"show") => vec![Form::Show],
        Some(&"clear") => vec![Form::Clear],
        Some(&"cmd" | &"configure") => vec![Form::Cmd],
        Some(&"level") => vec![Form::Show, Form::Clear, Form::Cmd],
        Some(_) => return Err(bad(i)),
        None => return Err(CliError::Incomplete),
    };
    if words.get(i) != Some(&"level") {
        i += 1;
    }
    match words.get(i) {
        Some(&"level") => i += 1,
        Some(_) => return Err(bad(i)),
        None => return Err(CliError::Incomplete),
    }
    let level = match words.get(i) {
        Some(w) => w
            .parse::<u8>()
            .ok()
            .filter(|l| *l <= 15)
            .ok_or_else(|| bad(i))?,
        None => return Err(CliError::Incomplete),
    };
    i += 1;
    let mode = if words.get(i) == Some(&"mode") {
        let m = match words.get(i + 1) {
            Some(&"enable") => "enable",
            Some(&"cmd" | &"configure") => "cmd",
            Some(_) => return Err(bad(i + 1)),
            None => return Err(CliError::Incomplete),
        };
        i += 2;
        Some(m.to_owned())
    } else {
        None
    };
    match words.get(i) {
        Some(&"command") => i += 1,
        Some(_) => return Err(bad(i)),
        None => return Err(CliError::Incomplete),
    }
    let command = match words.get(i) {
        Some(c) if is_command_word(c) => (*c).to_owned(),
        Some(_) => return Err(bad(i)),
        None => return Err(CliError::Incomplete),
    };
    if words.len() > i + 1 {
        return Err(bad(i + 1));
    }
    Ok(forms
        .into_iter()
        .map(|form| Privilege {
            form,
            level,
            mode: mode.clone(),
            command: command.clone(),
        })
        .collect())
}

/// Reads a stored `privilege` line back.
fn stored_privilege(text: &str) -> Option<Privilege> {
    let p = parse_privilege(text, text, 0).ok()?;
    (p.len() == 1).then(|| p.into_iter().next()).flatten()
}

impl Applier<'_> {
    /// `aaa authentication|authorization ...` and `privilege ...`; `None` for the `aaa`
    /// forms left to the verbatim rules (`aaa authentication login-history`, `aaa local`,
    /// `aaa accounting` ...).
    pub fn privileges_command(&mut self, line: &str) -> Option<Result<Step, CliError>> {
        if line.starts_with("clear ") {
            return None;
        }
        let (negate, body) = match strip_words(line, "no") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let skip = usize::from(negate);
        let words: Vec<&str> = body.split_whitespace().collect();
        match words.as_slice() {
            ["privilege", ..] => Some(self.privilege(line, body, skip, negate)),
            ["aaa", "authentication", method, ..] if METHODS.contains(method) => {
                Some(self.aaa_authentication(line, body, skip, negate))
            }
            ["aaa", "authorization", "command", ..] => {
                let same = |t: &str| t.starts_with("aaa authorization command ");
                if negate {
                    return Some(Ok(self.remove_lines(same)));
                }
                Some(match parse_command_authorization(body) {
                    Some(_) => Ok(self.replace_line(body, same)),
                    None if words.len() < 4 => Err(CliError::Incomplete),
                    None => Err(CliError::invalid(line, word_offset(line, 4 + skip))),
                })
            }
            ["aaa", "authorization", "exec", ..] => {
                let same = |t: &str| t.starts_with("aaa authorization exec ");
                if negate {
                    return Some(Ok(self.remove_lines(same)));
                }
                Some(match parse_exec(body) {
                    Some(_) => Ok(self.replace_line(body, same)),
                    None if words.len() < 4 => Err(CliError::Incomplete),
                    None => {
                        let at = if matches!(words.get(3), Some(&(LOCAL | "authentication-server")))
                        {
                            4
                        } else {
                            3
                        };
                        Err(CliError::invalid(line, word_offset(line, at + skip)))
                    }
                })
            }
            _ => None,
        }
    }

    fn aaa_authentication(
        &mut self,
        line: &str,
        body: &str,
        skip: usize,
        negate: bool,
    ) -> Result<Step, CliError> {
        let words: Vec<&str> = body.split_whitespace().collect();
        let method = words.get(2).copied().unwrap_or_default();
        let prefix = format!("aaa authentication {method} console ");
        let same = |t: &str| t.starts_with(prefix.as_str());
        if words.get(3) != Some(&"console") {
            return if words.len() < 4 {
                Err(CliError::Incomplete)
            } else {
                Err(CliError::invalid(line, word_offset(line, 3 + skip)))
            };
        }
        if negate {
            return Ok(self.remove_lines(same));
        }
        match parse_authentication(body) {
            Some(_) => Ok(self.replace_line(body, same)),
            None if words.len() < 5 => Err(CliError::Incomplete),
            None => Err(CliError::invalid(line, word_offset(line, 5 + skip))),
        }
    }

    fn privilege(
        &mut self,
        line: &str,
        body: &str,
        skip: usize,
        negate: bool,
    ) -> Result<Step, CliError> {
        let wanted = parse_privilege(line, body, skip)?;
        for p in wanted {
            let key = p.clone();
            let same = move |t: &str| {
                stored_privilege(t).is_some_and(|s| {
                    s.form == key.form && s.mode == key.mode && s.command == key.command
                })
            };
            if negate {
                self.remove_lines(same);
            } else {
                self.replace_line(&p.line(), same);
            }
        }
        Ok(Step::Done(None))
    }

    fn remove_lines(&mut self, pred: impl Fn(&str) -> bool) -> Step {
        let ids: Vec<BlockId> = self
            .cfg
            .iter()
            .filter(|(_, b)| b.children().is_empty() && pred(b.head().text))
            .map(|(id, _)| id)
            .collect();
        for id in ids {
            self.cfg.remove(id);
        }
        Step::Done(None)
    }

    /// Stores `text`, in place of the line `pred` finds when there is one.
    fn replace_line(&mut self, text: &str, pred: impl Fn(&str) -> bool) -> Step {
        let old = self
            .cfg
            .iter()
            .find(|(_, b)| b.children().is_empty() && pred(b.head().text))
            .map(|(id, _)| id);
        let entry = Entry::verbatim(text);
        match old {
            Some(id) => {
                self.cfg.update(id, |b| b.head = entry);
            }
            None => {
                self.cfg.insert_placed(Block::leaf(entry));
            }
        }
        Step::Done(None)
    }
}

/// Whether `aaa authorization command LOCAL` is configured.
pub fn command_authorization(cfg: &Config) -> bool {
    // Read for every command: found once per change of the `aaa` lines, not by a scan each time.
    cfg.find_cached("aaa", "aaa authorization command LOCAL", |b| {
        parse_command_authorization(b.head().text).is_some_and(|g| g == LOCAL)
    })
    .is_some()
}

/// Whether `aaa authentication enable console LOCAL` is configured.
pub fn enable_authentication(cfg: &Config) -> bool {
    cfg.find_cached("aaa", "aaa authentication enable console LOCAL", |b| {
        parse_authentication(b.head().text).is_some_and(|(i, tail)| i == 0 && tail == LOCAL)
    })
    .is_some()
}

/// Whether `aaa authorization exec LOCAL auto-enable` is configured.
pub fn auto_enable(cfg: &Config) -> bool {
    cfg.find_cached("aaa", "aaa authorization exec LOCAL auto-enable", |b| {
        parse_exec(b.head().text).is_some_and(|e| e.source == LOCAL && e.auto_enable)
    })
    .is_some()
}

/// The form and main command of a line (`show running-config` -> (Show, `running-config`),
/// `no hostname` -> (Cmd, `hostname`)).
fn main_command(line: &str) -> (Form, String) {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or_default();
    let first = if first.eq_ignore_ascii_case("no") {
        words.next().unwrap_or_default()
    } else {
        first
    };
    let next = words.next().unwrap_or_default().to_ascii_lowercase();
    if abbrev(first, "show", 2) {
        (Form::Show, next)
    } else if abbrev(first, "clear", 2) {
        (Form::Clear, next)
    } else {
        (Form::Cmd, first.to_ascii_lowercase())
    }
}

/// Whether a typed (possibly abbreviated) word names `command`.
fn names(typed: &str, command: &str) -> bool {
    !typed.is_empty() && command.len() >= typed.len() && command.get(..typed.len()) == Some(typed)
}

/// The level `line` needs under command authorization (`config`: typed in configuration
/// mode), or `None` when command authorization is off.
pub fn required_level(cfg: &Config, line: &str, config: bool) -> Option<u8> {
    if !command_authorization(cfg) {
        return None;
    }
    let (form, main) = main_command(line);
    // `mode` tells apart a command's exec and configuration variants (`enable`); a show or
    // clear command is the same in both.
    let mode_fits = |m: &Option<String>| match m.as_deref() {
        None => true,
        _ if form != Form::Cmd => true,
        Some("cmd") => config,
        Some(_) => !config,
    };
    let configured = cfg.iter().find_map(|(_, b)| {
        let p = stored_privilege(b.head().text)?;
        (p.form == form && mode_fits(&p.mode) && names(&main, &p.command)).then_some(p.level)
    });
    Some(configured.unwrap_or_else(|| {
        if LEVEL_ZERO
            .iter()
            .any(|(f, c)| *f == form && names(&main, c))
        {
            0
        } else {
            15
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Now;
    use crate::engine::test_support::{T0, boot, ok, refused, running};
    use std::net::{IpAddr, Ipv4Addr};

    fn src() -> IpAddr {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    }

    #[test]
    fn one_line_per_method_and_the_refusals_carry_the_caret() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "aaa authentication ssh console LOCAL",
                "aaa authentication ssh console TAC LOCAL",
                "aaa authorization command LOCAL",
                "aaa authorization exec LOCAL",
                "aaa authorization exec LOCAL auto-enable",
                "privilege level 5 command filter",
                "privilege show level 7 command filter",
            ],
        );
        let run = running(&mut e);
        assert_eq!(
            run.matches("aaa authentication ssh console").count(),
            1,
            "{run}"
        );
        assert!(
            run.contains("aaa authentication ssh console TAC LOCAL\n"),
            "{run}"
        );
        assert_eq!(run.matches("aaa authorization exec").count(), 1, "{run}");
        assert!(
            run.contains("privilege show level 7 command filter\n"),
            "{run}"
        );
        assert!(
            run.contains("privilege clear level 5 command filter\n"),
            "{run}"
        );
        assert!(
            run.contains("privilege cmd level 5 command filter\n"),
            "{run}"
        );
        ok(&mut e, &["no aaa authentication ssh console TAC LOCAL"]);
        assert!(!running(&mut e).contains("aaa authentication ssh"));
        let out = refused(&mut e, &["aaa authentication ssh konsole LOCAL"]);
        assert!(out.contains("Invalid input"), "{out}");
        let out = refused(&mut e, &["aaa authorization exec NOPE"]);
        assert!(out.contains("Invalid input"), "{out}");
        let out = refused(&mut e, &["privilege show level 99 command filter"]);
        assert!(out.contains("Invalid input"), "{out}");
    }

    #[test]
    fn console_enable_and_auto_enable_follow_the_user_level() {
        let mut e = boot();
        ok(&mut e, &["username ops password Ops-pass-1 privilege 5"]);
        let now = Now::from_secs(T0);
        // Without enable authentication, only level 15 passes `enable`.
        let (s, _) = e.console_login("ops", "Ops-pass-1", src(), now);
        let mut s = s.unwrap();
        assert!(!e.console_enable(&mut s, "Ops-pass-1", now).0);
        ok(&mut e, &["aaa authentication enable console LOCAL"]);
        assert!(e.console_enable(&mut s, "Ops-pass-1", now).0);
        assert_eq!((s.privilege, e.prompt(&s)), (5, "ciscoasa# ".to_owned()));
        // Level 5 cannot configure unless command authorization lowers `configure`.
        let (out, _) = e.console_command(&mut s, "configure terminal", now);
        assert!(out.contains("Command authorization failed"), "{out}");
        ok(
            &mut e,
            &[
                "aaa authorization command LOCAL",
                "privilege cmd level 5 mode enable command configure",
                "privilege cmd level 5 mode cmd command hostname",
            ],
        );
        let (out, _) = e.console_command(&mut s, "configure terminal", now);
        assert!(out.is_empty(), "{out}");
        let (out, _) = e.console_command(&mut s, "hostname lab5", now);
        assert!(out.is_empty(), "{out}");
        let (out, _) = e.console_command(&mut s, "object network x", now);
        assert!(out.contains("Command authorization failed"), "{out}");
        // auto-enable: the login lands in privileged exec at the user's level.
        let (s2, _) = e.console_login("ops", "Ops-pass-1", src(), now);
        assert!(e.prompt(&s2.unwrap()).ends_with("> "));
        ok(&mut e, &["aaa authorization exec LOCAL auto-enable"]);
        let (s3, _) = e.console_login("ops", "Ops-pass-1", src(), now);
        assert!(e.prompt(&s3.unwrap()).ends_with("# "));
    }

    #[test]
    fn privilege_lines_parse_in_the_documented_forms() {
        let p = |l: &str| {
            parse_privilege(l, l, 0).map(|v| v.iter().map(Privilege::line).collect::<Vec<_>>())
        };
        assert_eq!(
            p("privilege show level 5 command filter").unwrap(),
            ["privilege show level 5 command filter"]
        );
        assert_eq!(
            p("privilege level 5 command filter").unwrap(),
            [
                "privilege show level 5 command filter",
                "privilege clear level 5 command filter",
                "privilege cmd level 5 command filter"
            ]
        );
        assert_eq!(
            p("privilege cmd level 0 mode enable command enable").unwrap(),
            ["privilege cmd level 0 mode enable command enable"]
        );
        assert_eq!(
            p("privilege show level 16 command filter"),
            Err(CliError::invalid(
                "privilege show level 16 command filter",
                21
            ))
        );
        assert_eq!(p("privilege show level 5"), Err(CliError::Incomplete));
        assert!(p("privilege show level 5 command a b").is_err());
    }

    #[test]
    fn main_commands_are_read_past_show_clear_and_no() {
        assert_eq!(main_command("sh run"), (Form::Show, "run".to_owned()));
        assert_eq!(
            main_command("no hostname"),
            (Form::Cmd, "hostname".to_owned())
        );
        assert_eq!(
            main_command("clear pager"),
            (Form::Clear, "pager".to_owned())
        );
        assert!(names("run", "running-config"));
        assert!(!names("running-configs", "running-config"));
    }
}
