//! The CLI a write of NAT rules sends: twice rules as `nat (...) [<line>] ...` and
//! `no nat (...) ...`, object rules inside `object network <name>`.

use super::rule::{NatRule, Section, twice_line};

/// The lines setting an object's NAT rule: `object network <name>`, ` nat (...) ...`.
pub fn object_rule_lines(object: &str, rule: &NatRule) -> Vec<String> {
    vec![format!("object network {object}"), format!(" {rule}")]
}

/// The lines removing an object's NAT rule: `object network <name>`, ` no nat`.
pub fn remove_object_rule_lines(object: &str) -> Vec<String> {
    vec![format!("object network {object}"), " no nat".to_owned()]
}

/// The line inserting a twice rule at 1-based `line` of `section` (appending when `None`).
pub fn insert_twice_line(rule: &NatRule, section: Section, line: Option<u32>) -> String {
    twice_line(rule, section, line)
}

/// The line removing a twice rule: `no nat (...) ...`.
pub fn remove_twice_line(rule: &NatRule, section: Section) -> String {
    format!("no {}", twice_line(rule, section, None))
}

/// Back to configuration mode after object lines (a `nat` line typed in object mode is the
/// object's rule).
pub fn exit_object() -> String {
    "exit".to_owned()
}

/// The canonical configuration of a rule: the object rule's two lines, or the twice line.
pub fn rule_lines(section: Section, object: Option<&str>, rule: &NatRule) -> Vec<String> {
    match object {
        Some(o) => object_rule_lines(o, rule),
        None => vec![twice_line(rule, section, None)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nat::parse_nat_line;

    #[test]
    fn object_and_twice_rules_print_their_lines() {
        let twice = parse_nat_line("nat (inside,outside) source static lan lan")
            .unwrap()
            .rule;
        assert_eq!(
            remove_twice_line(&twice, Section::Before),
            "no nat (inside,outside) source static lan lan"
        );
        assert_eq!(
            insert_twice_line(&twice, Section::Before, Some(2)),
            "nat (inside,outside) 2 source static lan lan"
        );
        assert_eq!(
            remove_object_rule_lines("web"),
            ["object network web", " no nat"]
        );
        let lines = rule_lines(Section::Auto, Some("web"), &twice);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "object network web");
    }
}
