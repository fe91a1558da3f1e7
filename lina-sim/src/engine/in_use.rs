//! Whether a named time range or regular expression is still referenced, so that `no
//! time-range <name>` and `no regex <name>` refuse as the ASA does.
//!
//! References are found by words: `... time-range <name>` on an `access-list` line (or any
//! other line), `match regex <name>` inside a class map. The block defining the name is
//! excluded by the caller. NAT lines are read with the NAT grammar ([`nat_uses`]): a name in
//! any of their slots (network or service, object or group) is a reference.

use super::config::{BlockId, Config};

/// Whether `text` holds the words `keyword name` in sequence.
fn mentions(text: &str, keyword: &str, name: &str) -> bool {
    if !text.contains(name) {
        return false;
    }
    let mut prev = "";
    for w in text.split_whitespace() {
        if w == name && prev == keyword {
            return true;
        }
        prev = w;
    }
    false
}

/// The name a defining line gives its item (`time-range work` -> `time-range`, `work`), when
/// its family refuses the deletion of a referenced item (the family registry says both).
pub fn defined_name(head: &str) -> Option<(&'static str, &str)> {
    super::families::checked_defined_name(head)
}

/// Whether any block other than `except` refers to `name` of `family`.
pub fn is_referenced(cfg: &Config, family: &str, name: &str, except: BlockId) -> bool {
    cfg.iter().any(|(id, b)| {
        id != except
            && (mentions(b.head().text, family, name)
                || b.children().any(|c| mentions(c.text, family, name)))
    })
}

/// Whether a local user is a member (`user LOCAL\<name>`) of some `object-group user`, so
/// that `no username <name>` refuses while it is.
pub fn user_in_group(cfg: &Config, name: &str) -> bool {
    let member = format!("LOCAL\\{name}");
    cfg.iter().any(|(_, b)| {
        b.head().text.starts_with("object-group user ")
            && b.children().any(|c| mentions(c.text, "user", &member))
    })
}

/// Whether a `nat` line (top-level or an object's) names `name` as an object or group;
/// `None` when the line is not one the grammar reads.
pub fn nat_uses(text: &str, name: &str) -> Option<bool> {
    let text = text.trim_start();
    // Twice lines carry `source`; an object's line does not.
    let rule = match cli_translator::nat::parse_nat_line(text) {
        Ok(l) => l.rule,
        Err(_) => cli_translator::nat::parse_object_nat(text).ok()?,
    };
    Some(rule.network_names().contains(&name) || rule.service_names().contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::{Block, Entry};

    #[test]
    fn finds_words_in_sequence_only() {
        assert!(mentions(
            "access-list a extended permit ip any any time-range work",
            "time-range",
            "work"
        ));
        assert!(!mentions(
            "access-list a extended permit ip any any time-range workday",
            "time-range",
            "work"
        ));
        assert!(!mentions("access-list work remark x", "time-range", "work"));
        assert!(mentions("match regex blocked", "regex", "blocked"));
    }

    #[test]
    fn names_only_checked_families() {
        assert_eq!(
            defined_name("time-range work"),
            Some(("time-range", "work"))
        );
        assert_eq!(defined_name("regex r \"x\""), Some(("regex", "r")));
        assert_eq!(defined_name("object-group network g"), None);
        assert_eq!(defined_name("time-range"), None);
    }

    #[test]
    fn nat_lines_name_objects_groups_and_services_in_any_slot() {
        let twice =
            "nat (in,out) source static lan pool destination static dst dst service web web";
        for name in ["lan", "pool", "dst", "web"] {
            assert_eq!(nat_uses(twice, name), Some(true), "{name}");
        }
        assert_eq!(nat_uses(twice, "out"), Some(false));
        assert_eq!(
            nat_uses(" nat (in,out) dynamic pat-pool pool interface", "pool"),
            Some(true)
        );
        assert_eq!(
            nat_uses("nat (in,out) source static a b description lan", "lan"),
            Some(false)
        );
        assert_eq!(nat_uses("nat something else", "else"), None);
    }

    #[test]
    fn the_defining_block_does_not_count() {
        let mut cfg = Config::new();
        let def = cfg.insert_placed(Block::leaf(Entry::verbatim("regex r \"x\"")));
        assert!(!is_referenced(&cfg, "regex", "r", def));
        cfg.insert_placed(Block::new(
            Entry::verbatim("class-map type regex match-any list"),
            vec![Entry::verbatim("match regex r")],
        ));
        assert!(is_referenced(&cfg, "regex", "r", def));
    }
}

/// The families of issue 3 handled here (time ranges, regexes, users with attributes and
/// MS-CHAP passwords, user and security object groups) through the engine's protocol entry.
#[cfg(test)]
mod engine_tests {
    use crate::engine::test_support::{boot, exec, ok, running};

    #[test]
    fn a_time_range_keeps_one_absolute_line_and_its_periodic_lines() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "time-range work",
                " absolute start 08:00 01 January 2025",
                " periodic weekdays 8:00 to 18:00",
                " periodic Wednesday 22:00 to Thursday 6:00",
                " absolute end 17:00 31 December 2025",
            ],
        );
        let text = running(&mut e);
        assert!(
            text.contains(
                "time-range work\n absolute end 17:00 31 December 2025\n periodic weekdays 8:00 to 18:00\n periodic Wednesday 22:00 to Thursday 6:00\n"
            ),
            "{text}"
        );
        ok(
            &mut e,
            &[
                "time-range work",
                " no periodic weekdays 8:00 to 18:00",
                " no absolute",
            ],
        );
        let text = running(&mut e);
        assert!(
            text.contains("time-range work\n periodic Wednesday"),
            "{text}"
        );
    }

    #[test]
    fn a_time_range_used_by_an_access_list_cannot_be_removed() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "time-range work",
                " periodic daily 8:00 to 18:00",
                "access-list out extended permit ip any any time-range work",
            ],
        );
        let r = exec(&mut e, &["no time-range work"]);
        assert!(!r.applied);
        assert_eq!(
            r.outcomes.first().map(|o| o.output.as_str()),
            Some("ERROR: time-range work is in use and cannot be removed\n")
        );
        ok(
            &mut e,
            &[
                "no access-list out extended permit ip any any time-range work",
                "no time-range work",
            ],
        );
        assert!(!running(&mut e).contains("time-range work"));
    }

    #[test]
    fn a_regex_is_replaced_by_name_and_protected_while_matched() {
        let mut e = boot();
        ok(&mut e, &["regex r \"a+\"", "regex r \"b+\""]);
        let text = running(&mut e);
        assert!(text.contains("regex r \"b+\"\n"), "{text}");
        assert!(!text.contains("regex r \"a+\""), "{text}");
        ok(
            &mut e,
            &["class-map type regex match-any list", " match regex r"],
        );
        assert!(!exec(&mut e, &["no regex r"]).applied);
        ok(
            &mut e,
            &["no class-map type regex match-any list", "no regex r"],
        );
        assert!(!running(&mut e).contains("regex r"));
    }

    #[test]
    fn mschap_passwords_are_stored_hashed_and_attributes_follow_the_user() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "username bob password Secret-42 mschap privilege 3",
                "username bob attributes",
                " service-type nas-prompt",
                " service-type remote-access",
            ],
        );
        let text = running(&mut e);
        assert!(!text.contains("Secret-42"), "{text}");
        assert!(text.contains(" nt-encrypted privilege 3\n"), "{text}");
        assert!(
            text.contains("username bob attributes\n service-type remote-access\n"),
            "{text}"
        );
        ok(&mut e, &["no username bob"]);
        assert!(!running(&mut e).contains("username bob"));
    }

    #[test]
    fn a_local_user_in_a_user_group_cannot_be_removed() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "username bob password Secret-42 privilege 3",
                "username bobby password Secret-43 privilege 3",
                "object-group user staff",
                " user LOCAL\\bob",
                " user CORP\\bobby",
            ],
        );
        let r = exec(&mut e, &["no username bob"]);
        assert!(!r.applied);
        assert_eq!(
            r.outcomes.first().map(|o| o.output.as_str()),
            Some("ERROR: username bob is in use and cannot be removed\n")
        );
        assert!(running(&mut e).contains("username bob "));
        // A same-named user of another domain does not hold the local one.
        ok(&mut e, &["no username bobby"]);
        ok(
            &mut e,
            &[
                "object-group user staff",
                " no user LOCAL\\bob",
                "exit",
                "no username bob",
            ],
        );
        let text = running(&mut e);
        assert!(!text.contains("username bob "), "{text}");
    }

    #[test]
    fn user_and_security_groups_are_kept_and_protected_while_nested() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "object-group user staff",
                " user LOCAL\\bob",
                "object-group user all",
                " group-object staff",
                "object-group security trusted",
                " security-group name hr",
                " security-group tag 10",
            ],
        );
        let text = running(&mut e);
        assert!(
            text.contains("object-group user staff\n user LOCAL\\bob\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "object-group security trusted\n security-group name hr\n security-group tag 10\n"
            ),
            "{text}"
        );
        assert!(!exec(&mut e, &["no object-group user staff"]).applied);
        ok(
            &mut e,
            &["no object-group user all", "no object-group user staff"],
        );
        assert!(!running(&mut e).contains("object-group user"));
    }
}
