//! The CLI a write of access-list entries sends: `access-list <acl> [line <n>] ...` inserts,
//! `no access-list ...` removals and `clear configure access-list <acl>`.

use std::fmt::Display;

use super::ace::Ace;
use super::lists::AclEntry;

/// The lines inserting `remarks` then `ace` before CLI line `line` of `acl` (appending when
/// `None`): `access-list <acl> line <n> remark <text>` ..., `access-list <acl> line <n+k> <ace>`.
pub fn insert_lines(acl: &str, line: Option<usize>, remarks: &[String], ace: &Ace) -> Vec<String> {
    let count = remarks.len();
    lines(
        acl,
        line,
        remarks.iter().map(String::as_str),
        count,
        ace.rule(),
    )
}

/// [`insert_lines`] of an entry's remarks and rule (the text after `extended `).
fn lines<'a>(
    acl: &str,
    line: Option<usize>,
    remarks: impl Iterator<Item = &'a str>,
    count: usize,
    rule: impl Display,
) -> Vec<String> {
    let mut out = Vec::with_capacity(count + 1);
    for (k, r) in remarks.enumerate() {
        out.push(match line {
            Some(l) => format!("access-list {acl} line {} remark {r}", l + k),
            None => format!("access-list {acl} remark {r}"),
        });
    }
    out.push(match line {
        Some(l) => format!("access-list {acl} line {} extended {rule}", l + count),
        None => format!("access-list {acl} extended {rule}"),
    });
    out
}

/// The lines removing an entry and its remarks: `no access-list <acl> extended ...`, then
/// `no access-list <acl> remark <text>` for each remark.
pub fn remove_lines(acl: &str, entry: &AclEntry) -> Vec<String> {
    let mut out = vec![format!("no access-list {acl} extended {}", entry.rule())];
    for r in entry.remarks() {
        out.push(format!("no access-list {acl} remark {r}"));
    }
    out
}

/// The canonical configuration of one entry: its remarks, then the entry, appended.
pub fn entry_lines(acl: &str, entry: &AclEntry) -> Vec<String> {
    lines(
        acl,
        None,
        entry.remarks(),
        entry.remark_count(),
        entry.rule(),
    )
}

/// `clear configure access-list <acl>`: the whole list, and the access groups naming it.
pub fn clear_list(acl: &str) -> Vec<String> {
    vec![format!("clear configure access-list {acl}")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acl::ace;

    #[test]
    fn insert_lines_number_remarks_before_the_entry() {
        let a = ace::parse_ace("permit ip any any").unwrap();
        assert_eq!(
            insert_lines("x", Some(3), &["r1".into(), "r2".into()], &a),
            [
                "access-list x line 3 remark r1",
                "access-list x line 4 remark r2",
                "access-list x line 5 extended permit ip any any"
            ]
        );
        assert_eq!(
            insert_lines("x", None, &[], &a),
            ["access-list x extended permit ip any any"]
        );
        let e = AclEntry::new("x", &a, &["r".into()]).unwrap();
        assert_eq!(
            remove_lines("x", &e),
            [
                "no access-list x extended permit ip any any",
                "no access-list x remark r"
            ]
        );
        assert_eq!(
            entry_lines("x", &e),
            [
                "access-list x remark r",
                "access-list x extended permit ip any any"
            ]
        );
        assert_eq!(clear_list("x"), ["clear configure access-list x"]);
    }
}
