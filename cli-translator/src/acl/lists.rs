//! The access lists, access groups and interface names of a running configuration, as the
//! agent's snapshot holds them (the `access` field of [`crate::running::RunningConfig`]).
//!
//! A list holds its extended entries in order, each with the remarks printed just before it
//! (trailing remarks are kept apart). Positions are indexes; `objectId`s are rule hashes found
//! by a scan of `u32`s, so an insert at the top of a 50,000-entry list is one `Vec::insert`.

use std::collections::HashMap;

use thin_vec::ThinVec;

use super::ace::{Ace, AclBody, parse_acl_line, rule_hash};
use super::group::{AccessGroup, Binding, parse_access_group};

/// One extended entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclEntry {
    /// The remarks printed before the entry. A `ThinVec` (one pointer, the length with the
    /// items) because almost every entry has none (issue 13: memory: 16 bytes less per entry).
    pub remarks: ThinVec<String>,
    /// Boxed: entries stay small, so inserting at the top of a long list moves little memory.
    pub ace: Box<Ace>,
    /// [`rule_hash`] of the entry in its list.
    pub id: u32,
}

impl AclEntry {
    pub fn new(acl: &str, ace: Ace, remarks: Vec<String>) -> AclEntry {
        AclEntry {
            id: rule_hash(acl, &ace),
            remarks: remarks.into(),
            ace: Box::new(ace),
        }
    }
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
            .map(|e| e.remarks.len() + 1)
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
                let remarks = std::mem::take(&mut list.trailing_remarks);
                let entry = AclEntry::new(&line.acl, ace, remarks);
                list.entries.push(entry);
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
        assert_eq!(l.entries[0].remarks, ["first", "second"]);
        // issue 13: memory: an entry is three words (remarks, boxed ACE, id).
        assert!(std::mem::size_of::<AclEntry>() <= 24);
        assert!(l.entries[1].remarks.is_empty());
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
        let extra = AclEntry::new(
            "x",
            crate::acl::ace::parse_ace("deny ip any any").unwrap(),
            vec![],
        );
        a.insert_entry("x", 0, extra.clone());
        assert_eq!(a.get("x").unwrap().entries[0], extra);
        assert!(a.remove_entry("x", id).is_some());
        assert!(a.remove_entry("x", extra.id).is_some());
        assert!(a.get("x").is_none());
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
