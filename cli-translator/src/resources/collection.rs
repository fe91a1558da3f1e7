//! An insertion-ordered collection of resources with lookup by id, and [`Shared`], a part of
//! the snapshot shared between copies until one of them changes it.
//!
//! The agent copies its snapshot for every bulk request (the entries are staged on a copy) and
//! whenever a write patches the snapshot while a reader still holds it. Both structures make
//! that copy cost what the write touches, not the size of the configuration: a
//! [`Collection`] is persistent (`imbl`'s RRB vector for the order and B-tree for the index by
//! id: a clone shares every node, a change copies the O(log n) nodes on its path), and a
//! [`Shared`] part is copied whole only when it is changed.

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasher;
use std::ops::{Deref, DerefMut, Range};
use std::sync::{Arc, OnceLock};

// issue 13: memory
/// The items' shared pointer: no weak count (8 bytes per item less than `std`'s `Arc`, which
/// puts an 80-byte network object in glibc's 96-byte chunks instead of 112).
use triomphe::Arc as ItemArc;

use super::Resource;

/// The gap left between the numbers of appended items, so that an item can be placed between
/// two others ([`Collection::insert_at`], the change journal's patches) without renumbering.
const SPACING: u64 = 1 << 20;

/// Items in insertion order (the order of `show running-config`) plus an index by id.
///
/// Each item lives once, with its sequence number, in one allocation behind an `Arc`
/// ([`triomphe`]'s, without a weak count) that two persistent structures share: a vector of
/// the items in order (the numbers grow with insertion, a replacement keeps its number, so
/// the vector is sorted by them and an item's position is a binary search), and an index from
/// a 64-bit hash of the item's id to the item (a B-tree of 16-byte entries). Two ids whose
/// hashes meet (the hash is seeded per process: practically never) take the next free key
/// (linear probing over the key space). An id's item is one probe of the index; listing and
/// pages walk the vector; removing or placing an item is O(log n).
pub struct Collection<R: Clone> {
    order: imbl::Vector<ItemArc<Held<R>>>,
    index: Index<R>,
    next: u64,
}

// issue 13: memory
/// The index by id: a persistent B-tree, or a hash table while a configuration is read.
///
/// imbl's B-tree splits a full 64-entry leaf in halves, so keys inserted in random order
/// (hashes) leave its leaves about 69% full and keys in ascending order half full; it has no
/// bulk build. A read therefore indexes into a hash table ([`Collection::begin_load`]) and
/// [`Collection::seal`] builds the tree once, from the keys sorted: every other key first (the
/// leaves split in halves, each left with 32 keys spanning 64 of the sorted ones), then the
/// keys in between, which fill each leaf to 64 without a split. The table is one allocation,
/// freed whole; the tree's leaves hold 16 bytes an item instead of about 24.
enum Index<R> {
    Tree(imbl::OrdMap<u64, ItemArc<Held<R>>>),
    Loading(HashMap<u64, ItemArc<Held<R>>, foldhash::fast::RandomState>),
}

impl<R> Clone for Index<R> {
    fn clone(&self) -> Self {
        match self {
            Index::Tree(tree) => Index::Tree(tree.clone()),
            Index::Loading(table) => Index::Loading(table.clone()),
        }
    }
}

impl<R: Clone> Index<R> {
    fn get(&self, key: &u64) -> Option<&ItemArc<Held<R>>> {
        match self {
            Index::Tree(tree) => tree.get(key),
            Index::Loading(table) => table.get(key),
        }
    }

    fn contains_key(&self, key: &u64) -> bool {
        match self {
            Index::Tree(tree) => tree.contains_key(key),
            Index::Loading(table) => table.contains_key(key),
        }
    }

    fn insert(&mut self, key: u64, held: ItemArc<Held<R>>) {
        match self {
            Index::Tree(tree) => {
                tree.insert(key, held);
            }
            Index::Loading(table) => {
                table.insert(key, held);
            }
        }
    }

    fn remove(&mut self, key: &u64) -> Option<ItemArc<Held<R>>> {
        match self {
            Index::Tree(tree) => tree.remove(key),
            Index::Loading(table) => table.remove(key),
        }
    }

    /// The tree of `entries` (keys distinct), its leaves full: see [`Index`].
    fn tree_of(mut entries: Vec<(u64, ItemArc<Held<R>>)>) -> imbl::OrdMap<u64, ItemArc<Held<R>>> {
        entries.sort_unstable_by_key(|(key, _)| *key);
        // Every other entry first, then the others, each moved in (issue 13: boot: the first
        // half was cloned, then dropped, an atomic count each, on the objects' thread of a
        // 100 MB read a tenth of its time).
        let mut later = Vec::with_capacity(entries.len() / 2);
        let mut tree = imbl::OrdMap::new();
        for (i, (key, held)) in entries.into_iter().enumerate() {
            if i % 2 == 0 {
                tree.insert(key, held);
            } else {
                later.push((key, held));
            }
        }
        for (key, held) in later {
            tree.insert(key, held);
        }
        tree
    }
}

// issue 13: memory
/// An item and its number in the order, in the one allocation both structures point to: the
/// number is not repeated in a vector entry and an index entry (8 bytes each, the index's
/// B-tree leaves about 69% full: about 20 bytes an item less).
struct Held<R> {
    seq: u64,
    item: R,
}

impl<R> Held<R> {
    fn new(seq: u64, item: R) -> ItemArc<Self> {
        ItemArc::new(Held { seq, item })
    }
}

impl<R: Clone> Clone for Held<R> {
    fn clone(&self) -> Self {
        Held {
            seq: self.seq,
            item: self.item.clone(),
        }
    }
}

/// The key of `id` in every index: a hash seeded once per process.
fn key_of(id: &str) -> u64 {
    static STATE: OnceLock<foldhash::fast::SeedableRandomState> = OnceLock::new();
    let hash = STATE
        .get_or_init(foldhash::fast::SeedableRandomState::random)
        .hash_one(id);
    // Tests squeeze the keys so that ids meet all the time and the probing is exercised.
    if cfg!(test) { hash & 0xf } else { hash }
}

impl<R: Clone> Clone for Collection<R> {
    fn clone(&self) -> Self {
        Collection {
            order: self.order.clone(),
            index: self.index.clone(),
            next: self.next,
        }
    }
}

impl<R: Clone + fmt::Debug> fmt::Debug for Collection<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.order.iter().map(|held| &held.item))
            .finish()
    }
}

impl<R: Clone> Default for Collection<R> {
    fn default() -> Self {
        Collection {
            order: imbl::Vector::new(),
            index: Index::Tree(imbl::OrdMap::new()),
            next: SPACING,
        }
    }
}

impl<R: Clone + PartialEq> PartialEq for Collection<R> {
    fn eq(&self, other: &Self) -> bool {
        self.order.len() == other.order.len()
            && self
                .order
                .iter()
                .zip(other.order.iter())
                .all(|(a, b)| a.item == b.item)
    }
}

impl<R: Clone + Eq> Eq for Collection<R> {}

impl<R: Resource> Collection<R> {
    pub fn new() -> Self {
        Self::default()
    }

    // issue 13: memory
    /// Indexes into a hash table until [`Collection::seal`]: for a read that appends most
    /// items (see [`Index`]). A copy taken meanwhile copies the table.
    pub fn begin_load(&mut self) {
        if let Index::Tree(tree) = &mut self.index {
            let tree = std::mem::take(tree);
            let mut table = HashMap::with_capacity_and_hasher(
                tree.len(),
                foldhash::fast::RandomState::default(),
            );
            table.extend(tree);
            self.index = Index::Loading(table);
        }
    }

    /// Builds the persistent index once a read is done, its leaves full (see [`Index`]).
    pub fn seal(&mut self) {
        if let Index::Loading(table) = &mut self.index {
            let entries: Vec<_> = std::mem::take(table).into_iter().collect();
            self.index = Index::Tree(Index::tree_of(entries));
        }
    }

    /// The index key and entry of `id`: one probe (more only when hashes met).
    fn find(&self, id: &str) -> Option<(u64, &ItemArc<Held<R>>)> {
        let mut key = key_of(id);
        loop {
            let held = self.index.get(&key)?;
            if held.item.object_id() == id {
                return Some((key, held));
            }
            key = key.wrapping_add(1);
        }
    }

    /// The first free key for `id` (its hash, or the next free one after it).
    fn free_key(&self, id: &str) -> u64 {
        let mut key = key_of(id);
        while self.index.contains_key(&key) {
            key = key.wrapping_add(1);
        }
        key
    }

    /// Removes the index entry at `key`, moving back the entries probed past it so that
    /// every probe still finds its item (backward-shift deletion).
    fn unindex(&mut self, key: u64) -> Option<ItemArc<Held<R>>> {
        let removed = self.index.remove(&key)?;
        let mut hole = key;
        let mut at = key.wrapping_add(1);
        while let Some(held) = self.index.get(&at) {
            let home = key_of(held.item.object_id());
            // The entry at `at` may fill the hole when its probe passed it: hole in [home, at).
            if hole.wrapping_sub(home) < at.wrapping_sub(home) {
                if let Some(moved) = self.index.remove(&at) {
                    self.index.insert(hole, moved);
                }
                hole = at;
            }
            at = at.wrapping_add(1);
        }
        Some(removed)
    }

    /// The item `id`: one probe of the index.
    pub fn get(&self, id: &str) -> Option<&R> {
        self.find(id).map(|(_, held)| &held.item)
    }

    /// Changes the item `id` through `f`, keeping its place; `None` (and `f` is not called)
    /// when `id` is unknown. `f` must keep the id (use [`Collection::replace`] to rename).
    /// The item is copied, changed and put back in both structures (O(log n)).
    pub fn update<T>(&mut self, id: &str, f: impl FnOnce(&mut R) -> T) -> Option<T> {
        let (key, held) = self.find(id)?;
        let seq = held.seq;
        let mut item = held.item.clone();
        let pos = self.pos_of(seq)?;
        let out = f(&mut item);
        let held = Held::new(seq, item);
        self.order.set(pos, ItemArc::clone(&held));
        if held.item.object_id() == id {
            self.index.insert(key, held);
        } else {
            // Kept consistent even when `f` renamed it.
            self.unindex(key);
            let key = self.free_key(held.item.object_id());
            self.index.insert(key, held);
        }
        Some(out)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.find(id).is_some()
    }

    pub fn iter(&self) -> Iter<'_, R> {
        Iter {
            inner: self.order.iter(),
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Up to `limit` items starting at `offset` (empty past the end).
    pub fn page(&self, offset: usize, limit: usize) -> Iter<'_, R> {
        let start = offset.min(self.order.len());
        let end = start.saturating_add(limit).min(self.order.len());
        self.range(start..end)
    }

    /// The items at positions `range` (clamped to the collection).
    pub fn range(&self, range: Range<usize>) -> Iter<'_, R> {
        let end = range.end.min(self.order.len());
        let start = range.start.min(end);
        Iter {
            inner: self.order.focus().narrow(start..end).into_iter(),
        }
    }

    /// Where the item numbered `seq` is in the order.
    fn pos_of(&self, seq: u64) -> Option<usize> {
        self.order.binary_search_by_key(&seq, |held| held.seq).ok()
    }

    /// Appends `item`; an item with the same id is replaced in place instead.
    pub fn insert(&mut self, item: R) {
        // One probe of the index (reading a large configuration inserts every item).
        let mut key = key_of(item.object_id());
        loop {
            match self.index.get(&key) {
                None => break,
                Some(held) if held.item.object_id() == item.object_id() => {
                    // Keep the old number and place.
                    let seq = held.seq;
                    let held = Held::new(seq, item);
                    self.index.insert(key, ItemArc::clone(&held));
                    if let Some(pos) = self.pos_of(seq) {
                        self.order.set(pos, held);
                    }
                    return;
                }
                Some(_) => key = key.wrapping_add(1),
            }
        }
        self.append(key, item);
    }

    // issue 13: boot
    /// Appends the item `make` builds when `id` is absent, with one probe of the index (a
    /// configuration's read defines most items once); `false`, calling nothing, when `id` is
    /// present. `make` may build nothing; an item whose id is not `id` is [`insert`]ed.
    ///
    /// [`insert`]: Collection::insert
    pub fn append_absent(&mut self, id: &str, make: impl FnOnce() -> Option<R>) -> bool {
        let mut key = key_of(id);
        while let Some(held) = self.index.get(&key) {
            if held.item.object_id() == id {
                return false;
            }
            key = key.wrapping_add(1);
        }
        match make() {
            Some(item) if item.object_id() == id => self.append(key, item),
            Some(item) => self.insert(item),
            None => {}
        }
        true
    }

    /// Places `item` last, under index key `key` (free), with the next sequence number.
    fn append(&mut self, key: u64, item: R) {
        let seq = self.next;
        let held = Held::new(seq, item);
        self.index.insert(key, ItemArc::clone(&held));
        self.order.push_back(held);
        self.next = self.next.saturating_add(SPACING);
    }

    /// Replaces the item `id` by `item` (which may carry a new id), keeping its position.
    /// Returns the old item, or `None` (and changes nothing) when `id` is unknown or the new
    /// id already names another item.
    pub fn replace(&mut self, id: &str, item: R) -> Option<R> {
        let (key, held) = self.find(id)?;
        let seq = held.seq;
        let renamed = item.object_id() != id;
        if renamed && self.contains(item.object_id()) {
            return None;
        }
        let pos = self.pos_of(seq)?;
        let held = Held::new(seq, item);
        if renamed {
            self.unindex(key);
            let key = self.free_key(held.item.object_id());
            self.index.insert(key, ItemArc::clone(&held));
        } else {
            self.index.insert(key, ItemArc::clone(&held));
        }
        let old = self.order.set(pos, held);
        Some(unwrap_or_clone(old))
    }

    /// Removes the item `id`: O(log n), whatever its position.
    pub fn remove(&mut self, id: &str) -> Option<R> {
        let (key, _) = self.find(id)?;
        let seq = self.unindex(key)?.seq;
        let pos = self.pos_of(seq)?;
        let held = self.order.remove(pos);
        Some(unwrap_or_clone(held))
    }
}

// issue 13: change journal
impl<R: Resource> Collection<R> {
    /// The place of item `id` in the order.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.pos_of(self.find(id)?.1.seq)
    }

    /// Inserts `item` at `pos` (clamped to the end); the items after it shift up one place.
    /// False, changing nothing, when its id is already there.
    pub fn insert_at(&mut self, pos: usize, item: R) -> bool {
        if self.contains(item.object_id()) {
            return false;
        }
        if pos >= self.order.len() {
            self.insert(item);
            return true;
        }
        let seq = match self.between(pos) {
            Some(seq) => seq,
            None => {
                self.renumber();
                match self.between(pos) {
                    Some(seq) => seq,
                    // Unreachable after renumbering (gaps of SPACING); append rather than fail.
                    None => {
                        self.insert(item);
                        return true;
                    }
                }
            }
        };
        let key = self.free_key(item.object_id());
        let held = Held::new(seq, item);
        self.index.insert(key, ItemArc::clone(&held));
        self.order.insert(pos, held);
        true
    }

    /// A free number strictly between the items at `pos - 1` and `pos` (`pos` < len).
    fn between(&self, pos: usize) -> Option<u64> {
        let after = self.order.get(pos)?.seq;
        let before = match pos.checked_sub(1) {
            Some(p) => self.order.get(p)?.seq,
            None => 0,
        };
        (after.checked_sub(before)? >= 2).then(|| before + (after - before) / 2)
    }

    /// Gives the items evenly spaced numbers again, in order (O(n); only when some gap has
    /// been split down to nothing). The numbers live with the items: each is taken out of
    /// its allocation (copied when a snapshot copy shares it).
    fn renumber(&mut self) {
        let items: Vec<ItemArc<Held<R>>> = std::mem::take(&mut self.order).into_iter().collect();
        *self = Collection::default();
        for held in items {
            let item = unwrap_or_clone(held);
            let key = self.free_key(item.object_id());
            self.append(key, item);
        }
    }
}

/// The item out of its `Arc`, copied only when a snapshot copy still shares it.
fn unwrap_or_clone<R: Clone>(held: ItemArc<Held<R>>) -> R {
    ItemArc::try_unwrap(held)
        .map(|held| held.item)
        .unwrap_or_else(|shared| shared.item.clone())
}

/// The items of a [`Collection`] in order.
pub struct Iter<'a, R: Clone> {
    inner: imbl::vector::Iter<'a, ItemArc<Held<R>>, imbl::shared_ptr::DefaultSharedPtr>,
}

impl<R: Clone> fmt::Debug for Iter<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter").finish_non_exhaustive()
    }
}

impl<'a, R: Clone> Iterator for Iter<'a, R> {
    type Item = &'a R;

    fn next(&mut self) -> Option<&'a R> {
        self.inner.next().map(|held| &held.item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<R: Clone> DoubleEndedIterator for Iter<'_, R> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.inner.next_back().map(|held| &held.item)
    }
}

impl<R: Clone> ExactSizeIterator for Iter<'_, R> {}

impl<'a, R: Resource> IntoIterator for &'a Collection<R> {
    type Item = &'a R;
    type IntoIter = Iter<'a, R>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A part of the snapshot behind an [`Arc`]: a clone shares it, and the first change through
/// a clone copies this part only (`Arc::make_mut`), so a patch copies what it touches.
#[derive(Default, PartialEq, Eq)]
pub struct Shared<T>(Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Clone> DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        Arc::make_mut(&mut self.0)
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared(Arc::new(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::network_object::NetworkObject;

    fn obj(name: &str) -> NetworkObject {
        NetworkObject {
            name: name.to_owned().into(),
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
        assert_eq!(c.remove("b").map(|o| o.name), Some("b".into()));
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
        assert_eq!(c.replace("b", obj("x")).map(|o| o.name), Some("b".into()));
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

    proptest::proptest! {
        /// Inserts, replacements (renaming too), changes in place and removals agree with a
        /// `Vec` doing the same, and a clone taken before them is unchanged.
        #[test]
        fn agrees_with_a_vec_and_clones_stay_apart(
            ops in proptest::collection::vec((0u8..5, 0usize..12, 0usize..12), 0..60),
        ) {
            let mut c = Collection::new();
            let mut model: Vec<NetworkObject> = Vec::new();
            let mut clones = Vec::new();
            for (op, a, b) in ops {
                let (na, nb) = (format!("o{a}"), format!("o{b}"));
                match op {
                    0 => {
                        let mut o = obj(&na);
                        o.description = Some(nb.as_str().into());
                        match model.iter_mut().find(|m| m.name == na) {
                            Some(m) => *m = o.clone(),
                            None => model.push(o.clone()),
                        }
                        c.insert(o);
                    }
                    1 => {
                        let at = model.iter().position(|m| m.name == na);
                        let clash = na != nb && model.iter().any(|m| m.name == nb);
                        let expect = match at {
                            Some(i) if !clash => Some(std::mem::replace(&mut model[i], obj(&nb))),
                            _ => None,
                        };
                        proptest::prop_assert_eq!(c.replace(&na, obj(&nb)), expect);
                    }
                    // The change journal's placed insert, in front of the item at `b`.
                    2 => {
                        let fresh = !model.iter().any(|m| m.name == na);
                        if fresh {
                            model.insert(b.min(model.len()), obj(&na));
                        }
                        proptest::prop_assert_eq!(c.insert_at(b, obj(&na)), fresh);
                    }
                    // A change in place through `update`.
                    3 => {
                        let expect = model.iter_mut().find(|m| m.name == na).map(|m| {
                            m.description = Some(nb.as_str().into());
                            m.name.clone()
                        });
                        let got = c.update(&na, |o| {
                            o.description = Some(nb.as_str().into());
                            o.name.clone()
                        });
                        proptest::prop_assert_eq!(got, expect);
                    }
                    _ => {
                        let expect = model.iter().position(|m| m.name == na).map(|i| model.remove(i));
                        proptest::prop_assert_eq!(c.remove(&na), expect);
                    }
                }
                clones.push((c.clone(), model.clone()));
                proptest::prop_assert_eq!(c.iter().cloned().collect::<Vec<_>>(), model.clone());
                for (i, m) in model.iter().enumerate() {
                    proptest::prop_assert_eq!(c.get(&m.name), Some(m));
                    proptest::prop_assert_eq!(c.position(&m.name), Some(i));
                }
                proptest::prop_assert_eq!(c.len(), model.len());
                proptest::prop_assert_eq!(
                    c.page(b, a).cloned().collect::<Vec<_>>(),
                    model.iter().skip(b).take(a).cloned().collect::<Vec<_>>()
                );
            }
            for (clone, then) in clones {
                proptest::prop_assert_eq!(clone.iter().cloned().collect::<Vec<_>>(), then);
            }
        }
    }

    // issue 13: memory
    /// What a read does to a collection (inserts, appends of absent ids, removals).
    fn apply(c: &mut Collection<NetworkObject>, op: u8, i: usize) {
        let id = format!("o{i}");
        match op {
            0 => {
                let mut o = obj(&id);
                o.description = Some(format!("d{}", c.len()).into());
                c.insert(o);
            }
            1 => {
                c.append_absent(&id, || Some(obj(&id)));
            }
            _ => {
                c.remove(&id);
            }
        }
    }

    fn same(a: &Collection<NetworkObject>, b: &Collection<NetworkObject>, ids: usize) {
        assert_eq!(
            a.iter().cloned().collect::<Vec<_>>(),
            b.iter().cloned().collect::<Vec<_>>()
        );
        for i in 0..ids {
            let id = format!("o{i}");
            assert_eq!(a.get(&id), b.get(&id), "{id}");
            assert_eq!(a.position(&id), b.position(&id), "{id}");
        }
    }

    proptest::proptest! {
        /// A read's index (a hash table, then the tree `seal` builds from the sorted keys)
        /// answers as the tree built one insert at a time, and goes on doing so through
        /// later changes; a copy taken while loading stays apart.
        #[test]
        fn a_sealed_load_agrees_with_inserting_one_by_one(
            ops in proptest::collection::vec((0u8..3, 0usize..300), 0..500),
            later in proptest::collection::vec((0u8..3, 0usize..300), 0..40),
        ) {
            let mut loaded = Collection::new();
            loaded.begin_load();
            let mut plain = Collection::new();
            for &(op, i) in &ops {
                apply(&mut loaded, op, i);
                apply(&mut plain, op, i);
            }
            let copy = loaded.clone();
            loaded.seal();
            same(&loaded, &plain, 300);
            same(&copy, &plain, 300);
            for &(op, i) in &later {
                apply(&mut loaded, op, i);
                apply(&mut plain, op, i);
            }
            same(&loaded, &plain, 300);
            // Sealing twice changes nothing; a tree put back into a table answers the same.
            loaded.seal();
            loaded.begin_load();
            same(&loaded, &plain, 300);
            loaded.seal();
            same(&loaded, &plain, 300);
        }
    }

    #[test]
    fn a_sealed_index_of_many_items_finds_each() {
        // Many more ids than the tests' 16 squeezed hashes: 1000 distinct keys after
        // probing, about 16 full leaves.
        let mut c = Collection::new();
        c.begin_load();
        for i in 0..1000 {
            apply(&mut c, 1, i);
        }
        c.seal();
        for i in 0..1000 {
            assert_eq!(c.position(&format!("o{i}")), Some(i));
        }
        assert!(c.remove("o500").is_some());
        assert_eq!(c.position("o501"), Some(500));
        assert_eq!(c.position("o999"), Some(998));
    }

    #[test]
    fn placing_between_neighbours_renumbers_when_a_gap_is_used_up() {
        let mut c = Collection::new();
        c.insert(obj("first"));
        c.insert(obj("last"));
        // Each insert in front of "last" halves the gap; 25 of them exhaust 2^20.
        for i in 0..25 {
            assert!(c.insert_at(c.len() - 1, obj(&format!("m{i}"))));
        }
        let names: Vec<String> = c.iter().map(|o| o.name.to_string()).collect();
        let mut expect = vec!["first".to_owned()];
        expect.extend((0..25).map(|i| format!("m{i}")));
        expect.push("last".to_owned());
        assert_eq!(names, expect);
        assert_eq!(c.position("last"), Some(26));
        assert!(!c.insert_at(0, obj("last")));
    }

    // issue 13: memory
    #[test]
    fn ids_whose_keys_meet_stay_found_through_removals() {
        // Tests squeeze the keys to 16 values: 100 ids share them in long probe chains.
        let mut c = Collection::new();
        for i in 0..100 {
            c.insert(obj(&format!("o{i}")));
        }
        for i in (0..100).step_by(3) {
            assert!(c.remove(&format!("o{i}")).is_some());
        }
        for i in 0..100 {
            assert_eq!(c.contains(&format!("o{i}")), i % 3 != 0, "o{i}");
        }
        let kept: Vec<String> = (0..100)
            .filter(|i| i % 3 != 0)
            .map(|i| format!("o{i}"))
            .collect();
        assert_eq!(names(&c), kept);
        for (i, name) in kept.iter().enumerate() {
            assert_eq!(c.position(name), Some(i));
        }
    }

    // issue 13: boot
    #[test]
    fn append_absent_builds_only_for_a_new_id() {
        // Tests squeeze the keys to 16 values: the probe passes other ids' entries.
        let mut c = Collection::new();
        for i in 0..40 {
            assert!(c.append_absent(&format!("o{i}"), || Some(obj(&format!("o{i}")))));
        }
        assert!(!c.append_absent("o7", || panic!("o7 is there: nothing to build")));
        assert!(c.append_absent("none", || None), "absent, nothing built");
        assert!(!c.contains("none"));
        // An item carrying another id than asked is inserted under its own.
        assert!(c.append_absent("asked", || Some(obj("o3"))));
        assert!(!c.contains("asked"));
        let expect: Vec<String> = (0..40).map(|i| format!("o{i}")).collect();
        assert_eq!(names(&c), expect);
        for (i, name) in expect.iter().enumerate() {
            assert_eq!(c.position(name), Some(i));
        }
    }

    #[test]
    fn a_shared_part_is_copied_only_when_changed() {
        let a: Shared<Vec<u32>> = vec![1, 2].into();
        let mut b = a.clone();
        assert!(std::ptr::eq(&*a, &*b));
        b.push(3);
        assert_eq!(*a, vec![1, 2]);
        assert_eq!(*b, vec![1, 2, 3]);
    }

    #[test]
    fn pages_clamp_to_the_end() {
        let mut c = Collection::new();
        for i in 0..5 {
            c.insert(obj(&format!("o{i}")));
        }
        assert_eq!(c.page(0, 2).len(), 2);
        assert_eq!(
            c.page(1, 2).map(|o| o.name.as_str()).collect::<Vec<_>>(),
            ["o1", "o2"]
        );
        assert_eq!(c.page(4, 100).len(), 1);
        assert_eq!(c.page(5, 100).len(), 0);
        assert_eq!(c.page(usize::MAX, usize::MAX).len(), 0);
        assert_eq!(c.page(3, usize::MAX).len(), 2);
    }
}
