//! An insertion-ordered collection of resources with O(1) lookup by id.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::Resource;

/// Items in insertion order (the order of `show running-config`) plus an index by id.
#[derive(Debug, Clone)]
pub struct Collection<R> {
    items: Vec<R>,
    index: HashMap<String, usize>,
}

impl<R> Default for Collection<R> {
    fn default() -> Self {
        Collection {
            items: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<R: PartialEq> PartialEq for Collection<R> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl<R: Eq> Eq for Collection<R> {}

impl<R: Resource> Collection<R> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes room for `additional` more items.
    pub fn reserve(&mut self, additional: usize) {
        self.items.reserve(additional);
        self.index.reserve(additional);
    }

    pub fn get(&self, id: &str) -> Option<&R> {
        self.index.get(id).and_then(|&i| self.items.get(i))
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut R> {
        self.index.get(id).and_then(|&i| self.items.get_mut(i))
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, R> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Up to `limit` items starting at `offset` (empty past the end).
    pub fn page(&self, offset: usize, limit: usize) -> &[R] {
        let start = offset.min(self.items.len());
        let end = start.saturating_add(limit).min(self.items.len());
        &self.items[start..end]
    }

    /// Appends `item`; an item with the same id is replaced in place instead.
    pub fn insert(&mut self, item: R) {
        // One hash lookup; the key is allocated even when the id exists (a rare case).
        match self.index.entry(item.object_id().to_owned()) {
            Entry::Occupied(slot) => {
                if let Some(existing) = self.items.get_mut(*slot.get()) {
                    *existing = item;
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(self.items.len());
                self.items.push(item);
            }
        }
    }

    /// Replaces the item `id` by `item` (which may carry a new id), keeping its position.
    /// Returns the old item, or `None` (and changes nothing) when `id` is unknown or the new
    /// id already names another item.
    pub fn replace(&mut self, id: &str, item: R) -> Option<R> {
        let i = *self.index.get(id)?;
        let new_id = item.object_id();
        if new_id != id {
            if self.index.contains_key(new_id) {
                return None;
            }
            self.index.remove(id);
            self.index.insert(new_id.to_owned(), i);
        }
        self.items
            .get_mut(i)
            .map(|slot| std::mem::replace(slot, item))
    }

    /// Removes the item `id`. The items after it shift down one place, and only their
    /// index entries are rewritten: removing the newest of 20,000 items touches one.
    pub fn remove(&mut self, id: &str) -> Option<R> {
        let i = self.index.remove(id)?;
        if i >= self.items.len() {
            return None;
        }
        let removed = self.items.remove(i);
        for (j, item) in self.items.iter().enumerate().skip(i) {
            if let Some(slot) = self.index.get_mut(item.object_id()) {
                *slot = j;
            }
        }
        Some(removed)
    }
}

// issue 13: change journal
impl<R: Resource> Collection<R> {
    /// The place of item `id` in the order.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Inserts `item` at `pos` (clamped to the end); the items after it shift up one place.
    /// False, changing nothing, when its id is already there.
    pub fn insert_at(&mut self, pos: usize, item: R) -> bool {
        if self.index.contains_key(item.object_id()) {
            return false;
        }
        let pos = pos.min(self.items.len());
        self.index.insert(item.object_id().to_owned(), pos);
        self.items.insert(pos, item);
        for (j, item) in self.items.iter().enumerate().skip(pos + 1) {
            if let Some(slot) = self.index.get_mut(item.object_id()) {
                *slot = j;
            }
        }
        true
    }
}

impl<'a, R> IntoIterator for &'a Collection<R> {
    type Item = &'a R;
    type IntoIter = std::slice::Iter<'a, R>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::network_object::NetworkObject;

    fn obj(name: &str) -> NetworkObject {
        NetworkObject {
            name: name.to_owned(),
            address: None,
            description: None,
        }
    }

    fn names(c: &Collection<NetworkObject>) -> Vec<&str> {
        c.iter().map(|o| o.name.as_str()).collect()
    }

    #[test]
    fn keeps_insertion_order_and_finds_by_id() {
        let mut c = Collection::new();
        for n in ["b", "a", "c"] {
            c.insert(obj(n));
        }
        assert_eq!(names(&c), ["b", "a", "c"]);
        assert_eq!(c.get("a").map(|o| o.name.as_str()), Some("a"));
        assert!(c.get("z").is_none());
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn insert_of_an_existing_id_replaces_in_place() {
        let mut c = Collection::new();
        c.insert(obj("a"));
        c.insert(obj("b"));
        let mut a2 = obj("a");
        a2.description = Some("new".into());
        c.insert(a2);
        assert_eq!(names(&c), ["a", "b"]);
        assert_eq!(
            c.get("a").and_then(|o| o.description.as_deref()),
            Some("new")
        );
    }

    #[test]
    fn remove_reindexes_later_items() {
        let mut c = Collection::new();
        for n in ["a", "b", "c", "d"] {
            c.insert(obj(n));
        }
        assert_eq!(c.remove("b").map(|o| o.name), Some("b".to_owned()));
        assert_eq!(c.remove("b"), None);
        assert_eq!(names(&c), ["a", "c", "d"]);
        assert_eq!(c.get("d").map(|o| o.name.as_str()), Some("d"));
        assert_eq!(c.get("c").map(|o| o.name.as_str()), Some("c"));
    }

    #[test]
    fn replace_keeps_position_and_may_rename() {
        let mut c = Collection::new();
        for n in ["a", "b", "c"] {
            c.insert(obj(n));
        }
        assert_eq!(
            c.replace("b", obj("x")).map(|o| o.name),
            Some("b".to_owned())
        );
        assert_eq!(names(&c), ["a", "x", "c"]);
        assert!(c.get("b").is_none());
        assert!(c.get("x").is_some());
        assert_eq!(c.replace("nope", obj("y")), None);
        assert_eq!(
            c.replace("x", obj("a")),
            None,
            "would collide with another item"
        );
        assert_eq!(names(&c), ["a", "x", "c"]);
    }

    #[test]
    fn pages_clamp_to_the_end() {
        let mut c = Collection::new();
        for i in 0..5 {
            c.insert(obj(&format!("o{i}")));
        }
        assert_eq!(c.page(0, 2).len(), 2);
        assert_eq!(c.page(4, 100).len(), 1);
        assert_eq!(c.page(5, 100).len(), 0);
        assert_eq!(c.page(usize::MAX, usize::MAX).len(), 0);
        assert_eq!(c.page(3, usize::MAX).len(), 2);
    }
}
