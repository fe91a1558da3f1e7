//! Local user lockout, as the ASA's `aaa local authentication attempts max-fail <n>`: after
//! `n` successive failed logins (console, API Basic credentials, token requests) a local user
//! is locked out (113006) and every later attempt is refused, right password or not, until
//! `clear aaa local user lockout {all | username <u>}`. As on the ASA, privilege-15 users are
//! never locked out (an attacker cannot lock the administrators out; the agent's per-source
//! delay slows guessing at them). `show aaa local user [locked]` lists the counters.
//! Every refusal is logged as 113015, the lock itself as 113006.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::error::CliError;
use super::{Effect, Engine, Now, aaa};

const MAX_FAIL_LINE: &str = "aaa local authentication attempts max-fail";

/// Failed-login counters of existing local users (unknown names are not counted, so random
/// names cannot grow the table).
#[derive(Debug, Default, Clone)]
pub struct Lockout {
    failures: HashMap<String, u32>,
}

/// The limit a `aaa local authentication attempts max-fail <n>` line sets (`n` > 0).
fn max_fail_of(line: &str) -> Option<u32> {
    let rest = line.trim().strip_prefix(MAX_FAIL_LINE)?;
    rest.trim().parse::<u32>().ok().filter(|n| *n > 0)
}

impl Engine {
    /// The configured `max-fail`, if any.
    fn max_fail(&self) -> Option<u32> {
        let id = self.contexts[self.selected]
            .config
            .find_cached("aaa", "max-fail", |b| max_fail_of(b.head().text).is_some())?;
        max_fail_of(self.contexts[self.selected].config.block(id)?.head().text)
    }

    fn locked(&self, user: &str, max: Option<u32>) -> bool {
        match max {
            Some(max) => {
                self.lockout.failures.get(user).copied().unwrap_or(0) >= max
                    && self.user_privilege(user) != Some(15)
            }
            None => false,
        }
    }

    /// Checks a login (console, API): the user's privilege, or `None` with the 113015 (and,
    /// when this failure locks the user, 113006) to log.
    pub(crate) fn login(
        &mut self,
        user: &str,
        password: &str,
        now: Now,
    ) -> (Option<u8>, Vec<Effect>) {
        let max = self.max_fail();
        if self.locked(user, max) {
            // As long as a real check: the time does not tell a locked account apart.
            aaa::decoy(password);
            let fx = self.log(
                syslog::Message::from_catalogue(113015, &["User is locked out", user]),
                now,
            );
            return (None, fx);
        }
        if let Some(privilege) = self.verify_user(user, password) {
            self.lockout.failures.remove(user);
            return (Some(privilege), Vec::new());
        }
        let known = self.user_privilege(user).is_some();
        let reason = if known {
            "Invalid password"
        } else {
            "User was not found"
        };
        let mut fx = self.log(
            syslog::Message::from_catalogue(113015, &[reason, user]),
            now,
        );
        if known {
            let count = self.lockout.failures.entry(user.to_owned()).or_insert(0);
            *count = count.saturating_add(1);
            let count = *count;
            if max == Some(count) && self.locked(user, max) {
                let attempts = count.to_string();
                fx.extend(self.log(
                    syslog::Message::from_catalogue(113006, &[user, attempts.as_str()]),
                    now,
                ));
            }
        }
        (None, fx)
    }

    /// `clear aaa local user {lockout | fail-count} {all | username <u>}`.
    pub(crate) fn clear_aaa_local_user(&mut self, line: &str) -> Result<(), CliError> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = |i: usize| words.get(i).copied().unwrap_or("");
        let offset = |i: usize| super::apply::word_offset(line, i);
        if !(at(4).eq_ignore_ascii_case("lockout") || at(4).eq_ignore_ascii_case("fail-count")) {
            return Err(if at(4).is_empty() {
                CliError::Incomplete
            } else {
                CliError::invalid(line, offset(4))
            });
        }
        match (at(5).to_ascii_lowercase().as_str(), words.len()) {
            ("all", 6) => self.lockout.failures.clear(),
            ("username", 7) => {
                self.lockout.failures.remove(at(6));
            }
            ("", _) | ("username", 6) => return Err(CliError::Incomplete),
            _ => return Err(CliError::invalid(line, offset(5))),
        }
        Ok(())
    }

    /// `show aaa local user [locked]`.
    pub(crate) fn show_aaa_local_user(&self, locked_only: bool) -> String {
        let max = self.max_fail();
        let mut users: Vec<(&String, u32)> =
            self.lockout.failures.iter().map(|(u, n)| (u, *n)).collect();
        users.sort();
        let mut out = String::from("Lock-time Failed-attempts Locked  User\n");
        for (user, failures) in users {
            let locked = self.locked(user, max);
            if locked_only && !locked {
                continue;
            }
            let _ = writeln!(
                out,
                "{:>9} {:>15} {:>6}  {user}",
                "-",
                failures,
                if locked { "Y" } else { "N" }
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::test_support::{boot, ok};
    use crate::engine::{Engine, Now, test_support::T0};

    fn attempt(e: &mut Engine, user: &str, password: &str) -> (bool, String) {
        let (p, fx) = e.login(user, password, Now::from_secs(T0 + 2));
        drop(fx);
        (p.is_some(), e.log_buffer().join("\n"))
    }

    #[test]
    fn max_fail_locks_a_user_until_cleared_and_logs_113015_and_113006() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "logging enable",
                "logging buffered debugging",
                "username ops password Ops-pw-123 privilege 5",
                "aaa local authentication attempts max-fail 3",
            ],
        );
        for _ in 0..3 {
            assert!(!attempt(&mut e, "ops", "wrong").0);
        }
        let (ok_now, log) = attempt(&mut e, "ops", "Ops-pw-123");
        assert!(!ok_now, "locked: the right password is refused too");
        assert!(log.contains("113015: AAA user authentication Rejected : reason = Invalid password : local database : user = ops"), "{log}");
        assert!(log.contains("113006: User 'ops' locked out on exceeding '3' successive failed authentication attempts"), "{log}");
        assert!(log.contains("reason = User is locked out"), "{log}");
        let shown = e.show_aaa_local_user(true);
        assert!(shown.contains("Y  ops"), "{shown}");
        e.clear_aaa_local_user("clear aaa local user lockout username ops")
            .unwrap();
        assert!(attempt(&mut e, "ops", "Ops-pw-123").0);
        assert!(!e.show_aaa_local_user(false).contains("ops"));
    }

    #[test]
    fn privilege_15_users_are_never_locked_out() {
        let mut e = boot();
        ok(&mut e, &["aaa local authentication attempts max-fail 2"]);
        for _ in 0..5 {
            assert!(!attempt(&mut e, "admin", "wrong").0);
        }
        assert!(attempt(&mut e, "admin", "Admin-123").0);
    }

    #[test]
    fn without_max_fail_nobody_is_locked_and_clear_checks_its_syntax() {
        let mut e = boot();
        ok(&mut e, &["username ops password Ops-pw-123 privilege 5"]);
        for _ in 0..20 {
            assert!(!attempt(&mut e, "ops", "wrong").0);
        }
        assert!(attempt(&mut e, "ops", "Ops-pw-123").0);
        assert!(e.clear_aaa_local_user("clear aaa local user").is_err());
        assert!(
            e.clear_aaa_local_user("clear aaa local user lockout bogus")
                .is_err()
        );
        assert!(
            e.clear_aaa_local_user("clear aaa local user fail-count all")
                .is_ok()
        );
    }
}
