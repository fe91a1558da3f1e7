//! IP audit (issue 15): `ip audit name <name> info|attack [action alarm|drop|reset...]`,
//! `ip audit interface <nameif> <name>`, `ip audit signature <id> disable` and the global
//! `ip audit info|attack [action ...]`, with the ASA's checks: an audit line of a kind
//! replaces the earlier one, an interface names an existing policy, a policy applied to an
//! interface cannot go, a signature must be one the ASA knows. Other `ip` lines are not
//! this family's. The `ERROR:` texts are written from the documented behaviour.

use cli_translator::resources::ip_audit::{ACTIONS, SIGNATURES};
use cli_translator::validate::check_object_name;

use super::apply::{Applier, Step, word_offset};
use super::error::CliError;
use super::families::CliFamily;
use super::sections::starts_with_words;

/// The family.
#[derive(Debug)]
pub struct IpAudit;

/// Checks `[action alarm|drop|reset...]` starting at word `at` of `w`.
fn check_actions(line: &str, neg: usize, w: &[&str], at: usize) -> Result<(), CliError> {
    match w.get(at) {
        None => Ok(()),
        Some(&"action") => {
            for (i, a) in w.iter().enumerate().skip(at + 1) {
                if !ACTIONS.contains(a) || w[at + 1..i].contains(a) {
                    return Err(CliError::invalid(line, word_offset(line, neg + i)));
                }
            }
            Ok(())
        }
        Some(_) => Err(CliError::invalid(line, word_offset(line, neg + at))),
    }
}

impl CliFamily for IpAudit {
    fn name(&self) -> &'static str {
        "ip audit"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["ip"]
    }
    fn sections(&self) -> &'static [(&'static str, super::sections::Section)] {
        &[("ip", super::sections::Section::Ip)]
    }
    fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
        matches!(words, ["ip", "audit", "interface", _, _]).then_some(3)
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let neg = usize::from(words.first() == Some(&"no"));
        let w = &words[neg..];
        if w.get(1) != Some(&"audit") || w.first() != Some(&"ip") {
            return None;
        }
        let err = |n: usize| Some(Err(CliError::invalid(line, word_offset(line, neg + n))));
        match w {
            ["ip", "audit"] => Some(Err(CliError::Incomplete)),
            ["ip", "audit", "name", name, rest @ ..] => {
                if check_object_name(name).is_err() || name.chars().count() > 64 {
                    return err(3);
                }
                if neg == 1 && rest.is_empty() {
                    let used = a.cfg.iter().find(|(_, b)| {
                        let t: Vec<&str> = b.head().text.split_whitespace().collect();
                        matches!(t.as_slice(), ["ip", "audit", "interface", _, p] if p == name)
                    });
                    if let Some((_, b)) = used {
                        return Some(Err(CliError::MapInUse {
                            what: "IP audit policy",
                            name: (*name).to_owned(),
                            by: b.head().text.to_string(),
                        }));
                    }
                    // Both of its lines go.
                    let prefix = format!("ip audit name {name}");
                    let ids: Vec<_> = a
                        .cfg
                        .iter()
                        .filter(|(_, b)| starts_with_words(b.head().text, &prefix))
                        .map(|(id, _)| id)
                        .collect();
                    for id in ids {
                        a.cfg.remove(id);
                    }
                    return Some(Ok(Step::Done(None)));
                }
                match rest {
                    [] => Some(Err(CliError::Incomplete)),
                    [kind @ ("info" | "attack"), ..] => {
                        if neg == 1 {
                            let prefix = format!("ip audit name {name} {kind}");
                            let ids: Vec<_> = a
                                .cfg
                                .iter()
                                .filter(|(_, b)| starts_with_words(b.head().text, &prefix))
                                .map(|(id, _)| id)
                                .collect();
                            for id in ids {
                                a.cfg.remove(id);
                            }
                            return Some(Ok(Step::Done(None)));
                        }
                        if let Err(e) = check_actions(line, neg, w, 5) {
                            return Some(Err(e));
                        }
                        // One line per policy and kind: the new one replaces the old.
                        let prefix = format!("ip audit name {name} {kind}");
                        let ids: Vec<_> = a
                            .cfg
                            .iter()
                            .filter(|(_, b)| {
                                b.head().text != line && starts_with_words(b.head().text, &prefix)
                            })
                            .map(|(id, _)| id)
                            .collect();
                        for id in ids {
                            a.cfg.remove(id);
                        }
                        None
                    }
                    _ => err(4),
                }
            }
            ["ip", "audit", "name"]
            | ["ip", "audit", "interface"]
            | ["ip", "audit", "interface", _] => Some(Err(CliError::Incomplete)),
            ["ip", "audit", "interface", nameif, policy] => {
                if neg == 1 {
                    return None;
                }
                if !a.nameif_exists(nameif) {
                    return Some(Err(CliError::NoSuchNameif((*nameif).to_owned())));
                }
                let prefix = format!("ip audit name {policy}");
                if !a
                    .cfg
                    .iter()
                    .any(|(_, b)| starts_with_words(b.head().text, &prefix))
                {
                    return Some(Err(CliError::NoSuchMap {
                        what: "IP audit policy",
                        name: (*policy).to_owned(),
                    }));
                }
                None
            }
            ["ip", "audit", "interface", ..] => err(5),
            ["ip", "audit", "signature", n, rest @ ..] => {
                if !n.parse::<u32>().is_ok_and(|n| SIGNATURES.contains(&n)) {
                    return err(3);
                }
                match rest {
                    ["disable"] => None,
                    [] => Some(Err(CliError::Incomplete)),
                    _ => err(4),
                }
            }
            ["ip", "audit", "signature"] => Some(Err(CliError::Incomplete)),
            ["ip", "audit", "info" | "attack", ..] => {
                if neg == 1 {
                    return None;
                }
                check_actions(line, neg, w, 3).err().map(Err)
            }
            _ => err(2),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::test_support::{boot, ok, refused, running};

    #[test]
    fn audits_and_refuses_as_the_asa() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "ip audit name attacks attack action alarm drop",
                "ip audit name attacks attack action alarm drop reset",
                "ip audit name attacks info action alarm",
                "ip audit interface management attacks",
                "ip audit signature 2000 disable",
            ],
        );
        let run = running(&mut e);
        assert!(
            run.contains("ip audit name attacks attack action alarm drop reset\n"),
            "{run}"
        );
        assert!(!run.contains("action alarm drop\n"), "{run}");
        assert!(run.contains("ip audit signature 2000 disable\n"), "{run}");
        let marker = "ERROR: % Invalid input detected at '^' marker.\n";
        assert_eq!(
            refused(&mut e, &["ip audit signature 1999 disable"]),
            format!("ip audit signature 1999 disable\n                   ^\n{marker}")
        );
        assert_eq!(
            refused(&mut e, &["ip audit name a info action shout"]),
            format!("ip audit name a info action shout\n                            ^\n{marker}")
        );
        assert_eq!(
            refused(&mut e, &["ip audit interface management nope"]),
            "ERROR: IP audit policy nope does not exist\n"
        );
        assert_eq!(
            refused(&mut e, &["no ip audit name attacks"]),
            "ERROR: IP audit policy attacks is in use by 'ip audit interface management attacks'\n"
        );
        ok(
            &mut e,
            &[
                "no ip audit interface management attacks",
                "no ip audit name attacks",
            ],
        );
        assert!(!running(&mut e).contains("ip audit name"));
    }
}
