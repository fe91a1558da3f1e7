//! The access lists, access groups and interface names of a running configuration, as the
//! agent's snapshot holds them (the `access` field of [`crate::running::RunningConfig`]).
//!
//! A list holds its extended entries in order, each with the remarks printed just before it
//! (trailing remarks are kept apart). Positions are indexes; `objectId`s are rule hashes found
//! by a scan of `u32`s, so an insert at the top of a 50,000-entry list is one `Vec::insert`.

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use super::ace::{Ace, AclBody, parse_ace, parse_acl_line, rule_hash_of_text};
use super::group::{AccessGroup, Binding, parse_access_group};

/// One extended entry, stored as text: its remarks, each ended by a line feed, then its rule
/// (the canonical text after `extended `, [`Ace::rule`]), in one allocation. A typed [`Ace`]
/// was a 192-byte allocation per entry (issue 13: memory); the text of a typical entry is
/// 40 to 70 bytes, and [`AclEntry::ace`] reads it back when an entry is shown or changed.
///
/// The text is private and only built by [`AclEntry::new`] (and the reading of a loaded
/// line), which check that the rule reads back as the entry it was printed from: the
/// parse in [`AclEntry::ace`] cannot fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclEntry {
    text: Box<str>,
    /// [`rule_hash`](super::ace::rule_hash) of the entry in its list.
    pub id: u32,
    /// How many remarks `text` starts with (in the padding after `id`: an entry is three
    /// words).
    remark_count: u32,
}

/// An entry whose canonical text does not read back as the entry (never seen: the printer
/// and the parser round-trip every entry, a property test says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unstorable;

impl fmt::Display for Unstorable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the entry does not read back from its configuration line")
    }
}

impl std::error::Error for Unstorable {}

impl AclEntry {
    /// The entry `ace` of list `acl`, with the remarks printed before it.
    pub fn new(acl: &str, ace: &Ace, remarks: &[String]) -> Result<AclEntry, Unstorable> {
        AclEntry::build(acl, ace, remarks, None)
    }

    /// [`AclEntry::new`] for an entry just read from `source`, the text after `extended `
    /// of its line: when that is already canonical, the parser has just read it as `ace`,
    /// and it is stored without being read again.
    fn build(
        acl: &str,
        ace: &Ace,
        remarks: &[String],
        source: Option<&str>,
    ) -> Result<AclEntry, Unstorable> {
        let printed;
        let rule = match source.filter(|s| prints_as(ace, s)) {
            Some(s) => s,
            None => {
                printed = ace.rule().to_string();
                if parse_ace(&printed).as_ref() != Ok(ace) {
                    return Err(Unstorable);
                }
                &printed
            }
        };
        Ok(AclEntry::join(
            remarks,
            rule,
            0,
            rule_hash_of_text(acl, rule),
        ))
    }

    /// The entry of text `remarks` (each ended by a line feed) then `tail`, which holds
    /// `tail_remarks` remarks then a rule that reads back (checked by the caller).
    fn join(remarks: &[String], tail: &str, tail_remarks: u32, id: u32) -> AclEntry {
        let len = remarks.iter().map(|r| r.len() + 1).sum::<usize>() + tail.len();
        let mut text = String::with_capacity(len);
        for r in remarks {
            // A remark is one configuration line (`is_remark` refuses control characters in
            // those the API writes): a line break cannot occur, and would split it in two.
            text.extend(r.chars().map(|c| if c == '\n' { ' ' } else { c }));
            text.push('\n');
        }
        text.push_str(tail);
        // More than 2^32 remarks do not fit in memory.
        let count = u32::try_from(remarks.len()).unwrap_or(u32::MAX);
        AclEntry {
            text: text.into_boxed_str(),
            id,
            remark_count: count.saturating_add(tail_remarks),
        }
    }

    /// The rule: the canonical text after `extended ` (`permit tcp any any eq www`).
    pub fn rule(&self) -> &str {
        if self.remark_count == 0 {
            return &self.text;
        }
        match self.text.rfind('\n') {
            Some(i) => self.text.get(i + 1..).unwrap_or_default(),
            None => &self.text,
        }
    }

    /// The entry, read back from its rule. Never an error in practice: `build` stores only a
    /// rule that `parse_ace` has read as the entry it was printed from (checked there, or,
    /// for a canonical loaded line, read by the parser from these very words), and the text
    /// never changes after (the field is private; `with_remarks_before` copies it). The
    /// caller still answers the error rather than trusting that.
    pub fn ace(&self) -> Result<Ace, Unstorable> {
        parse_ace(self.rule()).map_err(|_| Unstorable)
    }

    /// The remarks printed before the entry.
    pub fn remarks(&self) -> impl Iterator<Item = &str> + Clone {
        let head = self
            .text
            .get(..self.text.len() - self.rule().len())
            .unwrap_or_default();
        head.split_terminator('\n')
    }

    /// How many remarks the entry has.
    pub fn remark_count(&self) -> usize {
        self.remark_count as usize
    }

    /// The remarks, owned.
    pub fn remarks_vec(&self) -> Vec<String> {
        self.remarks().map(str::to_owned).collect()
    }

    /// The same entry with `remarks` printed before its own.
    pub fn with_remarks_before(&self, remarks: &[String]) -> AclEntry {
        AclEntry::join(remarks, &self.text, self.remark_count, self.id)
    }
}

/// Whether `ace`'s rule prints as `text` (compared as it is printed, nothing allocated).
fn prints_as(ace: &Ace, text: &str) -> bool {
    struct Compare<'a>(&'a str);
    impl fmt::Write for Compare<'_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            match self.0.strip_prefix(s) {
                Some(rest) => {
                    self.0 = rest;
                    Ok(())
                }
                None => Err(fmt::Error),
            }
        }
    }
    let mut c = Compare(text);
    write!(c, "{}", ace.rule()).is_ok() && c.0.is_empty()
}

/// One named list with at least one extended entry or remark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessList {
    pub name: String,
    pub entries: Vec<AclEntry>,
    /// Remarks after the last entry.
    pub trailing_remarks: Vec<String>,
}

impl AccessList {
    fn new(name: &str) -> AccessList {
        AccessList {
            name: name.to_owned(),
            entries: Vec::new(),
            trailing_remarks: Vec::new(),
        }
    }

    /// Index of the entry with this id.
    pub fn find(&self, id: u32) -> Option<usize> {
        self.entries.iter().position(|e| e.id == id)
    }

    /// The entry whose decimal id is `id`.
    pub fn find_str(&self, id: &str) -> Option<usize> {
        id.parse::<u32>().ok().and_then(|id| self.find(id))
    }

    /// The 1-based CLI line (remarks count) of the first line of entry `index`, or of the
    /// line after the last entry when `index` is past the end.
    pub fn cli_line(&self, index: usize) -> usize {
        self.entries
            .iter()
            .take(index)
            .map(|e| e.remark_count() + 1)
            .sum::<usize>()
            + 1
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.trailing_remarks.is_empty()
    }
}

/// Everything access-related in a configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessLists {
    lists: Vec<AccessList>,
    index: HashMap<String, usize>,
    pub groups: Vec<AccessGroup>,
    /// `(nameif, hardware id)` of every named interface, in configuration order.
    pub interfaces: Vec<(String, String)>,
}

impl AccessLists {
    pub fn get(&self, name: &str) -> Option<&AccessList> {
        self.index.get(name).and_then(|&i| self.lists.get(i))
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut AccessList> {
        self.index.get(name).and_then(|&i| self.lists.get_mut(i))
    }

    /// Lists with at least one extended entry, in configuration order.
    pub fn extended(&self) -> impl Iterator<Item = &AccessList> {
        self.lists.iter().filter(|l| !l.entries.is_empty())
    }

    fn list_mut(&mut self, name: &str) -> &mut AccessList {
        let i = match self.index.get(name) {
            Some(&i) => i,
            None => {
                self.index.insert(name.to_owned(), self.lists.len());
                self.lists.push(AccessList::new(name));
                self.lists.len() - 1
            }
        };
        // The index always points into `lists`.
        &mut self.lists[i]
    }

    /// Reads one top-level `access-list` or `access-group` line; anything else is ignored.
    pub fn absorb_line(&mut self, text: &str) {
        if text.starts_with("access-group ") {
            if let Some(g) = parse_access_group(text) {
                self.set_group(g);
            }
            return;
        }
        let Ok(line) = parse_acl_line(text) else {
            return;
        };
        if matches!(line.body, AclBody::Standard(_)) {
            return;
        }
        let list = self.list_mut(&line.acl);
        match line.body {
            AclBody::Remark(r) => list.trailing_remarks.push(r),
            AclBody::Extended(ace) => {
                let source = text
                    .strip_prefix("access-list ")
                    .and_then(|t| t.strip_prefix(line.acl.as_str()))
                    .and_then(|t| t.strip_prefix(" extended "));
                // Remarks of an entry that cannot be stored stay before the next one.
                if let Ok(entry) = AclEntry::build(&line.acl, &ace, &list.trailing_remarks, source)
                {
                    list.trailing_remarks.clear();
                    list.entries.push(entry);
                }
            }
            // No API resource holds standard lists (filtered out above).
            AclBody::Standard(_) => {}
        }
    }

    /// Records an `interface` block's `nameif`.
    pub fn absorb_interface(&mut self, hardware: &str, children: &[&str]) {
        for child in children {
            if let Some(n) = child.strip_prefix("nameif ") {
                let n = n.trim();
                if !n.is_empty() {
                    self.interfaces.push((n.to_owned(), hardware.to_owned()));
                }
            }
        }
    }

    /// The hardware id of the interface named `nameif`.
    pub fn hardware_of(&self, nameif: &str) -> Option<&str> {
        self.interfaces
            .iter()
            .find(|(n, _)| n == nameif)
            .map(|(_, hw)| hw.as_str())
    }

    /// The access group of a binding.
    pub fn group(&self, binding: &Binding) -> Option<&AccessGroup> {
        self.groups.iter().find(|g| &g.binding == binding)
    }

    /// Sets (or replaces) the group of `g.binding`.
    pub fn set_group(&mut self, g: AccessGroup) {
        match self.groups.iter_mut().find(|x| x.binding == g.binding) {
            Some(slot) => *slot = g,
            None => self.groups.push(g),
        }
    }

    pub fn remove_group(&mut self, binding: &Binding) {
        self.groups.retain(|g| &g.binding != binding);
    }

    /// Inserts an entry before `index` (appends past the end), creating the list.
    pub fn insert_entry(&mut self, acl: &str, index: usize, entry: AclEntry) {
        let list = self.list_mut(acl);
        let at = index.min(list.entries.len());
        list.entries.insert(at, entry);
    }

    /// Removes the entry `id`; the list goes when nothing is left in it.
    pub fn remove_entry(&mut self, acl: &str, id: u32) -> Option<AclEntry> {
        let list = self.get_mut(acl)?;
        let i = list.find(id)?;
        let removed = list.entries.remove(i);
        if list.is_empty() {
            self.remove_list(acl);
        }
        Some(removed)
    }

    /// Removes a whole list (`clear configure access-list <acl>`) and its groups.
    pub fn remove_list(&mut self, acl: &str) {
        if let Some(i) = self.index.remove(acl) {
            self.lists.remove(i);
            for slot in self.index.values_mut() {
                if *slot > i {
                    *slot -= 1;
                }
            }
        }
        self.groups.retain(|g| g.acl != acl);
    }
}

// issue 13: change journal
impl AccessLists {
    /// Whether any list (extended entries or remarks) exists.
    pub fn has_lists(&self) -> bool {
        !self.lists.is_empty()
    }

    /// Drops list `name` when it holds neither entries nor remarks (its last line went).
    pub fn drop_if_empty(&mut self, name: &str) {
        let Some(&i) = self.index.get(name) else {
            return;
        };
        if self
            .lists
            .get(i)
            .is_none_or(|l| !l.entries.is_empty() || !l.trailing_remarks.is_empty())
        {
            return;
        }
        self.index.remove(name);
        self.lists.remove(i);
        for (j, l) in self.lists.iter().enumerate().skip(i) {
            if let Some(slot) = self.index.get_mut(&l.name) {
                *slot = j;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acl::ace::rule_hash;

    fn read(lines: &[&str]) -> AccessLists {
        let mut a = AccessLists::default();
        for l in lines {
            a.absorb_line(l);
        }
        a
    }

    #[test]
    fn remarks_attach_to_the_next_entry() {
        let a = read(&[
            "access-list in remark first",
            "access-list in remark second",
            "access-list in extended permit ip any any",
            "access-list in extended deny ip any any",
            "access-list in remark tail",
            "access-list std standard permit any4",
            "access-group in in interface inside",
        ]);
        let l = a.get("in").unwrap();
        assert_eq!(l.entries.len(), 2);
        assert_eq!(l.entries[0].remarks_vec(), ["first", "second"]);
        assert_eq!(l.entries[0].rule(), "permit ip any any");
        assert_eq!(
            l.entries[0].ace().unwrap(),
            parse_ace("permit ip any any").unwrap()
        );
        // issue 13: memory: an entry is three words (its text, id and remark count).
        assert!(std::mem::size_of::<AclEntry>() <= 24);
        assert_eq!(l.entries[1].remarks().count(), 0);
        assert_eq!(l.entries[1].rule(), "deny ip any any");
        assert_eq!(l.trailing_remarks, ["tail"]);
        assert_eq!(l.cli_line(0), 1);
        assert_eq!(l.cli_line(1), 4);
        assert_eq!(l.cli_line(2), 5);
        assert_eq!(a.extended().count(), 1);
        assert!(a.get("std").is_none());
        assert_eq!(
            a.group(&Binding::In("inside".into()))
                .map(|g| g.acl.as_str()),
            Some("in")
        );
    }

    #[test]
    fn entries_are_found_by_hash_and_the_last_removal_drops_the_list() {
        let mut a = read(&["access-list x extended permit ip any any"]);
        let id = a.get("x").unwrap().entries[0].id;
        assert_eq!(a.get("x").unwrap().find_str(&id.to_string()), Some(0));
        assert_eq!(a.get("x").unwrap().find_str("12"), None);
        let extra = AclEntry::new("x", &parse_ace("deny ip any any").unwrap(), &[]).unwrap();
        a.insert_entry("x", 0, extra.clone());
        assert_eq!(a.get("x").unwrap().entries[0], extra);
        assert!(a.remove_entry("x", id).is_some());
        assert!(a.remove_entry("x", extra.id).is_some());
        assert!(a.get("x").is_none());
    }

    #[test]
    fn entries_are_stored_as_their_canonical_text_with_the_rule_hash() {
        // Spacing and a default log level that LINA would not print: stored canonically.
        let a = read(&[
            "access-list x remark one",
            "access-list x remark two",
            "access-list x extended permit tcp  any   host 10.0.0.1 eq www",
            "access-list x extended deny icmp any4 any4 echo-reply 4 log time-range t inactive",
        ]);
        let l = a.get("x").unwrap();
        let [first, second] = &l.entries[..] else {
            panic!("two entries: {l:?}")
        };
        assert_eq!(first.rule(), "permit tcp any host 10.0.0.1 eq www");
        assert_eq!(first.remarks_vec(), ["one", "two"]);
        assert_eq!(first.remark_count(), 2);
        assert_eq!(first.id, rule_hash("x", &first.ace().unwrap()));
        assert_eq!(
            first.ace().unwrap(),
            parse_ace("permit tcp any host 10.0.0.1 eq www").unwrap()
        );
        assert_eq!(
            second.rule(),
            "deny icmp any4 any4 echo-reply 4 log time-range t inactive"
        );
        assert_eq!(second.id, rule_hash("x", &second.ace().unwrap()));
        let built = AclEntry::new("x", &second.ace().unwrap(), &[]).unwrap();
        assert_eq!(&built, second);

        // Remarks moved before an entry keep its rule, id and own remarks, in order.
        let moved = first.with_remarks_before(&["zero".to_owned()]);
        assert_eq!(moved.remarks_vec(), ["zero", "one", "two"]);
        assert_eq!(moved.rule(), first.rule());
        assert_eq!(moved.id, first.id);
        // A line break (which no remark holds) cannot split a remark in two.
        let odd = AclEntry::new("x", &first.ace().unwrap(), &["a\nb".to_owned()]).unwrap();
        assert_eq!(odd.remarks_vec(), ["a b"]);
        assert_eq!(odd.rule(), first.rule());
    }

    proptest::proptest! {
        /// Any entry, with any remarks, is stored so that it reads back as itself, under
        /// the id `rule_hash` gives it.
        #[test]
        fn stored_entries_read_back(
            ace in crate::acl::strategies::ace(),
            remarks in proptest::collection::vec("[ -~]{1,20}", 0..3),
        ) {
            let e = AclEntry::new("acl", &ace, &remarks).unwrap();
            proptest::prop_assert_eq!(e.id, rule_hash("acl", &ace));
            proptest::prop_assert_eq!(e.remarks_vec(), remarks);
            proptest::prop_assert_eq!(e.ace().unwrap(), ace);
        }
    }

    #[test]
    fn interfaces_map_nameif_to_hardware() {
        let mut a = AccessLists::default();
        a.absorb_interface(
            "GigabitEthernet0/1",
            &["nameif inside", "security-level 100"],
        );
        assert_eq!(a.hardware_of("inside"), Some("GigabitEthernet0/1"));
        assert_eq!(a.hardware_of("outside"), None);
    }
}
