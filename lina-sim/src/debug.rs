//! `debug rest-api` on the operator console: the commands (`debug rest-api [category] [level]`,
//! `undebug ...`, `no debug ...`, `undebug all`, `show debug`) and the registry of console
//! sessions with the (category, level) pairs each asked for. The union of the pairs is what
//! LINA pushes to the agent (so it emits only lines somebody reads); each debug line the
//! agent sends goes to the sessions that want it.

use std::collections::HashMap;

use cli_translator::protocol::{DebugCategory, DebugLevel, DebugLine, DebugSet};
use tokio::sync::mpsc;

use crate::engine::apply::word_offset;
use crate::engine::error::CliError;
use crate::engine::session::abbrev;

/// Debug lines queued for one console; beyond that, lines are dropped (debug output is lossy,
/// a stalled terminal must not hold memory).
pub const CONSOLE_QUEUE: usize = 1024;

/// A console debug command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebugCommand {
    Enable(DebugSet),
    Disable(DebugSet),
    /// `undebug all`, `no debug all`.
    DisableAll,
    /// `show debug [rest-api]`.
    Show,
}

/// Recognises a debug command this module handles; `None` for any other line (other `debug`
/// commands included: they stay no-ops).
pub fn parse(line: &str) -> Option<Result<DebugCommand, CliError>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let (negated, start) = match words.as_slice() {
        [no, d, ..] if no.eq_ignore_ascii_case("no") && abbrev(d, "debug", 3) => (true, 2),
        [u, ..] if abbrev(u, "undebug", 3) => (true, 1),
        [d, ..] if abbrev(d, "debug", 3) => (false, 1),
        [s, d, rest @ ..] if abbrev(s, "show", 2) && abbrev(d, "debug", 3) => {
            return match rest {
                [] => Some(Ok(DebugCommand::Show)),
                [r] if abbrev(r, "rest-api", 4) => Some(Ok(DebugCommand::Show)),
                _ => None,
            };
        }
        _ => return None,
    };
    let args = words.get(start..).unwrap_or(&[]);
    match args {
        [all] if negated && all.eq_ignore_ascii_case("all") => Some(Ok(DebugCommand::DisableAll)),
        [] if negated && start == 1 => Some(Ok(DebugCommand::DisableAll)),
        [r, rest @ ..] if abbrev(r, "rest-api", 4) => {
            Some(pairs(line, start + 1, rest).map(|set| {
                if negated {
                    DebugCommand::Disable(set)
                } else {
                    DebugCommand::Enable(set)
                }
            }))
        }
        _ => None,
    }
}

/// `[category] [level]` after `rest-api` (word index `at`): the pairs they name.
fn pairs(line: &str, at: usize, words: &[&str]) -> Result<DebugSet, CliError> {
    let mut categories: Vec<DebugCategory> = DebugCategory::ALL.to_vec();
    let mut levels: Vec<DebugLevel> = DebugLevel::ALL.to_vec();
    let mut rest = words;
    if let [first, tail @ ..] = rest
        && let Some(level) = level_keyword(first)
    {
        levels = vec![level];
        rest = tail;
        if !rest.is_empty() {
            return Err(CliError::invalid(line, word_offset(line, at + 1)));
        }
    } else if let [first, tail @ ..] = rest {
        categories = vec![
            category_keyword(first)
                .ok_or_else(|| CliError::invalid(line, word_offset(line, at)))?,
        ];
        rest = tail;
        match rest {
            [] => {}
            [level] => {
                levels = vec![
                    level_keyword(level)
                        .ok_or_else(|| CliError::invalid(line, word_offset(line, at + 1)))?,
                ];
            }
            _ => return Err(CliError::invalid(line, word_offset(line, at + 2))),
        }
    }
    let mut set = DebugSet::EMPTY;
    for c in &categories {
        for l in &levels {
            set.insert(*c, *l);
        }
    }
    Ok(set)
}

/// The exact keyword, else the one keyword it abbreviates (two letters at least).
fn category_keyword(word: &str) -> Option<DebugCategory> {
    if let Ok(c) = word.parse::<DebugCategory>() {
        return Some(c);
    }
    let mut hits = DebugCategory::ALL
        .into_iter()
        .filter(|c| abbrev(word, c.keyword(), 2));
    match (hits.next(), hits.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

fn level_keyword(word: &str) -> Option<DebugLevel> {
    DebugLevel::ALL
        .into_iter()
        .find(|l| abbrev(word, l.keyword(), 2))
}

/// `show debug`: one line per enabled pair of this session.
pub fn show(set: DebugSet) -> String {
    set.pairs()
        .map(|(c, l)| format!("debug rest-api {c} {l} is enabled\n"))
        .collect()
}

/// The console sessions and what each wants.
#[derive(Debug, Default)]
pub struct DebugConsoles {
    sessions: HashMap<u64, (mpsc::Sender<String>, DebugSet)>,
    next: u64,
}

impl DebugConsoles {
    /// A new console session: its id and where its debug lines arrive.
    pub fn open(&mut self) -> (u64, mpsc::Receiver<String>) {
        self.next += 1;
        let (tx, rx) = mpsc::channel(CONSOLE_QUEUE);
        self.sessions.insert(self.next, (tx, DebugSet::EMPTY));
        (self.next, rx)
    }

    /// Forgets a session (logout, disconnect).
    pub fn close(&mut self, id: u64) {
        self.sessions.remove(&id);
    }

    pub fn get(&self, id: u64) -> DebugSet {
        self.sessions.get(&id).map_or(DebugSet::EMPTY, |(_, s)| *s)
    }

    /// Applies a command to a session; the text to print.
    pub fn apply(&mut self, id: u64, cmd: DebugCommand) -> String {
        let Some((_, set)) = self.sessions.get_mut(&id) else {
            return String::new();
        };
        match cmd {
            DebugCommand::Enable(more) => *set = set.union(more),
            DebugCommand::Disable(less) => {
                for (c, l) in less.pairs() {
                    set.remove(c, l);
                }
            }
            DebugCommand::DisableAll => *set = DebugSet::EMPTY,
            DebugCommand::Show => return show(*set),
        }
        String::new()
    }

    /// Every pair some session wants.
    pub fn union(&self) -> DebugSet {
        self.sessions
            .values()
            .fold(DebugSet::EMPTY, |acc, (_, s)| acc.union(*s))
    }

    /// Queues the line for each session that wants it (control characters shown as `?`, so a
    /// line cannot drive the terminal); a full queue drops it; a closed session is forgotten.
    pub fn deliver(&mut self, line: &DebugLine) {
        let text: String = line
            .to_string()
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        self.sessions.retain(|_, (tx, set)| {
            if !set.contains(line.category, line.level) {
                return true;
            }
            !matches!(
                tx.try_send(text.clone()),
                Err(mpsc::error::TrySendError::Closed(_))
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(pairs: &[(DebugCategory, DebugLevel)]) -> DebugSet {
        let mut s = DebugSet::EMPTY;
        for (c, l) in pairs {
            s.insert(*c, *l);
        }
        s
    }

    #[test]
    fn parses_the_cisco_forms() {
        use DebugCategory::*;
        use DebugLevel::*;
        assert_eq!(
            parse("debug rest-api agent event"),
            Some(Ok(DebugCommand::Enable(set(&[(Agent, Event)]))))
        );
        assert_eq!(
            parse("debug rest-api token-auth"),
            Some(Ok(DebugCommand::Enable(set(&[
                (TokenAuth, Event),
                (TokenAuth, Error)
            ]))))
        );
        assert_eq!(
            parse("deb rest-api cli"),
            Some(Ok(DebugCommand::Enable(set(&[(Cli, Event), (Cli, Error)]))))
        );
        assert_eq!(
            parse("debug rest-api"),
            Some(Ok(DebugCommand::Enable(DebugSet::all())))
        );
        let errors: Vec<_> = DebugCategory::ALL.iter().map(|c| (*c, Error)).collect();
        assert_eq!(
            parse("debug rest-api error"),
            Some(Ok(DebugCommand::Enable(set(&errors))))
        );
        assert_eq!(
            parse("no debug rest-api client error"),
            Some(Ok(DebugCommand::Disable(set(&[(Client, Error)]))))
        );
        assert_eq!(
            parse("undebug rest-api process"),
            Some(Ok(DebugCommand::Disable(set(&[
                (Process, Event),
                (Process, Error)
            ]))))
        );
        assert_eq!(parse("undebug all"), Some(Ok(DebugCommand::DisableAll)));
        assert_eq!(parse("no debug all"), Some(Ok(DebugCommand::DisableAll)));
        assert_eq!(parse("show debug"), Some(Ok(DebugCommand::Show)));
        assert_eq!(parse("debug aaa authentication"), None);
        assert_eq!(parse("show running-config"), None);
    }

    #[test]
    fn unknown_keywords_point_at_the_word() {
        let Some(Err(CliError::InvalidInput { offset, .. })) = parse("debug rest-api http event")
        else {
            panic!("expected invalid input");
        };
        assert_eq!(offset, 15);
        assert!(matches!(
            parse("debug rest-api agent loud"),
            Some(Err(CliError::InvalidInput { offset: 21, .. }))
        ));
        assert!(matches!(
            parse("debug rest-api agent event more"),
            Some(Err(CliError::InvalidInput { .. }))
        ));
    }

    #[test]
    fn lines_reach_only_the_sessions_that_want_them() {
        let mut consoles = DebugConsoles::default();
        let (a, mut rx_a) = consoles.open();
        let (b, mut rx_b) = consoles.open();
        consoles.apply(a, DebugCommand::Enable(DebugSet::all()));
        consoles.apply(
            b,
            DebugCommand::Enable(set(&[(DebugCategory::Client, DebugLevel::Error)])),
        );
        assert_eq!(consoles.union(), DebugSet::all());
        let line = DebugLine {
            category: DebugCategory::Client,
            level: DebugLevel::Event,
            text: "GET /api/objects/networkobjects".into(),
        };
        consoles.deliver(&line);
        assert_eq!(
            rx_a.try_recv().ok().as_deref(),
            Some("rest-api client event: GET /api/objects/networkobjects")
        );
        assert!(rx_b.try_recv().is_err());
        assert_eq!(
            consoles.apply(b, DebugCommand::Show),
            "debug rest-api client error is enabled\n"
        );
        consoles.deliver(&DebugLine {
            text: "a\u{1b}[2Jb\nc".into(),
            ..line
        });
        assert_eq!(
            rx_a.try_recv().ok().as_deref(),
            Some("rest-api client event: a?[2Jb?c")
        );
        consoles.apply(a, DebugCommand::DisableAll);
        consoles.close(b);
        assert!(consoles.union().is_empty());
    }

    proptest! {
        #[test]
        fn arbitrary_lines_never_panic(line in "(no |un)?(debug|deb|show) ?(rest-api)? ?[a-z-]{0,12} ?[a-z]{0,8}( .*)?") {
            let _ = parse(&line);
        }
    }
}
