//! The CLI a write of access-list entries sends: `access-list <acl> [line <n>] ...` inserts,
//! `no access-list ...` removals and `clear configure access-list <acl>`.

use super::ace::{Ace, ace_line};
use super::lists::AclEntry;

/// The lines inserting `remarks` then `ace` before CLI line `line` of `acl` (appending when
/// `None`): `access-list <acl> line <n> remark <text>` ..., `access-list <acl> line <n+k> <ace>`.
pub fn insert_lines(acl: &str, line: Option<usize>, remarks: &[String], ace: &Ace) -> Vec<String> {
    let mut out = Vec::with_capacity(remarks.len() + 1);
    for (k, r) in remarks.iter().enumerate() {
        out.push(match line {
            Some(l) => format!("access-list {acl} line {} remark {r}", l + k),
            None => format!("access-list {acl} remark {r}"),
        });
    }
    out.push(match line {
        Some(l) => format!("access-list {acl} line {} {ace}", l + remarks.len()),
        None => ace_line(acl, ace),
    });
    out
}

/// The lines removing an entry and its remarks: `no access-list <acl> extended ...`, then
/// `no access-list <acl> remark <text>` for each remark.
pub fn remove_lines(acl: &str, entry: &AclEntry) -> Vec<String> {
    let mut out = vec![format!("no {}", ace_line(acl, &entry.ace))];
    for r in &entry.remarks {
        out.push(format!("no access-list {acl} remark {r}"));
    }
    out
}

/// The canonical configuration of one entry: its remarks, then the entry, appended.
pub fn entry_lines(acl: &str, entry: &AclEntry) -> Vec<String> {
    insert_lines(acl, None, &entry.remarks, &entry.ace)
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
        let e = AclEntry::new("x", a, vec!["r".into()]);
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
