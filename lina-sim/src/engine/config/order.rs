//! The print order of the configuration's blocks: a sequence of slot numbers with insertion,
//! removal, position of a slot and slot at a position in O(log n).
//!
//! An implicit treap (a binary tree ordered by position, each node knowing its subtree's size,
//! balanced by heap-ordered priorities) whose nodes live in a vector indexed by slot number,
//! with parent links, so that the position of a block is found by walking up from its own
//! node, without any map from block to node. The priorities are a fixed hash of the slot
//! number: the shape is deterministic, and no randomness is needed.
//!
//! A `Vec` of slots did all of this in O(n) (a 200 MB configuration holds millions of blocks):
//! inserting or removing moved every later entry, and finding a block's position read every
//! earlier one.

const NIL: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Node {
    left: u32,
    right: u32,
    parent: u32,
    /// Nodes in the subtree rooted here; 0 for a slot not in the sequence.
    size: u32,
}

const FREE: Node = Node {
    left: NIL,
    right: NIL,
    parent: NIL,
    size: 0,
};

/// The sequence of slot numbers in print order.
#[derive(Debug, Clone)]
pub struct Order {
    nodes: Vec<Node>,
    root: u32,
}

impl Default for Order {
    fn default() -> Self {
        Order {
            nodes: Vec::new(),
            root: NIL,
        }
    }
}

/// The heap priority of a slot: a fixed mix of its number (splitmix64's finaliser), ties
/// broken by the number itself.
fn priority(slot: u32) -> (u32, u32) {
    let mut z = u64::from(slot).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) as u32, slot)
}

impl Order {
    pub fn len(&self) -> usize {
        self.size(self.root) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.root == NIL
    }

    fn node(&self, i: u32) -> Node {
        self.nodes.get(i as usize).copied().unwrap_or(FREE)
    }

    fn node_mut(&mut self, i: u32) -> Option<&mut Node> {
        self.nodes.get_mut(i as usize)
    }

    fn size(&self, i: u32) -> u32 {
        if i == NIL { 0 } else { self.node(i).size }
    }

    fn set_left(&mut self, i: u32, child: u32) {
        if let Some(n) = self.node_mut(i) {
            n.left = child;
        }
        if let Some(c) = self.node_mut(child) {
            c.parent = i;
        }
    }

    fn set_right(&mut self, i: u32, child: u32) {
        if let Some(n) = self.node_mut(i) {
            n.right = child;
        }
        if let Some(c) = self.node_mut(child) {
            c.parent = i;
        }
    }

    fn resize(&mut self, i: u32) {
        let n = self.node(i);
        let size = self.size(n.left) + self.size(n.right) + 1;
        if let Some(n) = self.node_mut(i) {
            n.size = size;
        }
    }

    /// Whether `slot` is in the sequence.
    pub fn contains(&self, slot: u32) -> bool {
        self.node(slot).size > 0
    }

    /// The sequence `slots` (each at most once), built in one pass (issue 13: boot; appending
    /// 1.3 million blocks one by one walked down the tree's right spine each time). A treap's
    /// shape is fixed by its order and priorities, so this is the tree the appends would
    /// build: each slot, in order, takes as its left subtree the nodes of lower priority it
    /// pops off the right spine, and hangs as the right child of the spine's new end.
    pub fn of_sequence(slots: &[u32]) -> Order {
        let mut order = Order::default();
        let Some(top) = slots.iter().copied().filter(|s| *s != NIL).max() else {
            return order;
        };
        order.nodes = vec![FREE; top as usize + 1];
        let mut spine: Vec<u32> = Vec::new();
        for &slot in slots {
            if slot == NIL || order.contains(slot) {
                continue;
            }
            if let Some(n) = order.node_mut(slot) {
                *n = Node { size: 1, ..FREE };
            }
            let mut popped = NIL;
            while let Some(&end) = spine.last() {
                if priority(end) > priority(slot) {
                    break;
                }
                popped = end;
                spine.pop();
            }
            if popped != NIL {
                order.set_left(slot, popped);
            }
            match spine.last() {
                Some(&end) => order.set_right(end, slot),
                None => {
                    if let Some(n) = order.node_mut(slot) {
                        n.parent = NIL;
                    }
                }
            }
            spine.push(slot);
        }
        order.root = spine.first().copied().unwrap_or(NIL);
        // Sizes, children before parents: an explicit post-order walk.
        let mut stack = vec![(order.root, false)];
        while let Some((i, seen)) = stack.pop() {
            if i == NIL {
                continue;
            }
            if seen {
                order.resize(i);
            } else {
                let n = order.node(i);
                stack.push((i, true));
                stack.push((n.left, false));
                stack.push((n.right, false));
            }
        }
        order
    }

    /// Inserts `slot` (not in the sequence) so that it is at `pos` (clamped to the end).
    pub fn insert(&mut self, pos: usize, slot: u32) {
        if self.contains(slot) || slot == NIL {
            return;
        }
        if self.nodes.len() <= slot as usize {
            self.nodes.resize(slot as usize + 1, FREE);
        }
        if let Some(n) = self.node_mut(slot) {
            *n = Node { size: 1, ..FREE };
        }
        if self.root == NIL {
            self.root = slot;
            return;
        }
        let mut pos = u32::try_from(pos)
            .unwrap_or(u32::MAX)
            .min(self.size(self.root));
        let mut cur = self.root;
        loop {
            if let Some(n) = self.node_mut(cur) {
                n.size += 1;
            }
            let n = self.node(cur);
            let left = self.size(n.left);
            if pos <= left {
                if n.left == NIL {
                    self.set_left(cur, slot);
                    break;
                }
                cur = n.left;
            } else {
                pos -= left + 1;
                if n.right == NIL {
                    self.set_right(cur, slot);
                    break;
                }
                cur = n.right;
            }
        }
        loop {
            let p = self.node(slot).parent;
            if p == NIL || priority(slot) < priority(p) {
                break;
            }
            self.rotate_up(slot);
        }
    }

    /// Takes `slot` out of the sequence; answers the position it had.
    pub fn remove(&mut self, slot: u32) -> Option<usize> {
        let pos = self.position(slot)?;
        loop {
            let n = self.node(slot);
            let child = match (n.left, n.right) {
                (NIL, NIL) => break,
                (l, NIL) => l,
                (NIL, r) => r,
                (l, r) if priority(l) > priority(r) => l,
                (_, r) => r,
            };
            self.rotate_up(child);
        }
        let parent = self.node(slot).parent;
        if parent == NIL {
            self.root = NIL;
        } else {
            let p = self.node(parent);
            if let Some(pn) = self.node_mut(parent) {
                if p.left == slot {
                    pn.left = NIL;
                } else {
                    pn.right = NIL;
                }
            }
            let mut cur = parent;
            while cur != NIL {
                if let Some(n) = self.node_mut(cur) {
                    n.size -= 1;
                }
                cur = self.node(cur).parent;
            }
        }
        if let Some(n) = self.node_mut(slot) {
            *n = FREE;
        }
        Some(pos)
    }

    /// Rotates `x` above its parent, keeping the in-order sequence.
    fn rotate_up(&mut self, x: u32) {
        let p = self.node(x).parent;
        if p == NIL {
            return;
        }
        let g = self.node(p).parent;
        if self.node(p).left == x {
            let b = self.node(x).right;
            self.set_left(p, b);
            self.set_right(x, p);
        } else {
            let b = self.node(x).left;
            self.set_right(p, b);
            self.set_left(x, p);
        }
        if let Some(xn) = self.node_mut(x) {
            xn.parent = g;
        }
        if g == NIL {
            self.root = x;
        } else if self.node(g).left == p {
            if let Some(gn) = self.node_mut(g) {
                gn.left = x;
            }
        } else if let Some(gn) = self.node_mut(g) {
            gn.right = x;
        }
        self.resize(p);
        self.resize(x);
    }

    /// The position of `slot` in the sequence.
    pub fn position(&self, slot: u32) -> Option<usize> {
        if !self.contains(slot) {
            return None;
        }
        let mut pos = self.size(self.node(slot).left);
        let mut cur = slot;
        loop {
            let p = self.node(cur).parent;
            if p == NIL {
                break;
            }
            let pn = self.node(p);
            if pn.right == cur {
                pos += self.size(pn.left) + 1;
            }
            cur = p;
        }
        Some(pos as usize)
    }

    /// The slot at `pos`.
    pub fn get(&self, pos: usize) -> Option<u32> {
        let mut pos = u32::try_from(pos).ok()?;
        let mut cur = self.root;
        while cur != NIL {
            let n = self.node(cur);
            let left = self.size(n.left);
            if pos < left {
                cur = n.left;
            } else if pos == left {
                return Some(cur);
            } else {
                pos -= left + 1;
                cur = n.right;
            }
        }
        None
    }

    fn leftmost(&self, mut cur: u32) -> u32 {
        while cur != NIL {
            let l = self.node(cur).left;
            if l == NIL {
                break;
            }
            cur = l;
        }
        cur
    }

    fn rightmost(&self, mut cur: u32) -> u32 {
        while cur != NIL {
            let r = self.node(cur).right;
            if r == NIL {
                break;
            }
            cur = r;
        }
        cur
    }

    /// The slot after `slot` (amortised O(1) when walking the whole sequence).
    pub fn next(&self, slot: u32) -> Option<u32> {
        if !self.contains(slot) {
            return None;
        }
        let n = self.node(slot);
        if n.right != NIL {
            return Some(self.leftmost(n.right));
        }
        let mut cur = slot;
        loop {
            let p = self.node(cur).parent;
            if p == NIL {
                return None;
            }
            if self.node(p).left == cur {
                return Some(p);
            }
            cur = p;
        }
    }

    /// The slot before `slot`.
    pub fn prev(&self, slot: u32) -> Option<u32> {
        if !self.contains(slot) {
            return None;
        }
        let n = self.node(slot);
        if n.left != NIL {
            return Some(self.rightmost(n.left));
        }
        let mut cur = slot;
        loop {
            let p = self.node(cur).parent;
            if p == NIL {
                return None;
            }
            if self.node(p).right == cur {
                return Some(p);
            }
            cur = p;
        }
    }

    /// The slots in order.
    pub fn iter(&self) -> Iter<'_> {
        let first = self.leftmost(self.root);
        Iter {
            order: self,
            next: (first != NIL).then_some(first),
        }
    }

    /// The slots in order from position `pos` (none past the end).
    pub fn iter_from(&self, pos: usize) -> Iter<'_> {
        Iter {
            order: self,
            next: self.get(pos),
        }
    }
}

/// The slots in order.
pub struct Iter<'a> {
    order: &'a Order,
    next: Option<u32>,
}

impl Iterator for Iter<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let cur = self.next?;
        self.next = self.order.next(cur);
        Some(cur)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Every operation agrees with a `Vec` doing the same.
        #[test]
        fn agrees_with_a_vec(ops in proptest::collection::vec((0u8..4, 0usize..80, 0u32..60), 0..300)) {
            let mut order = Order::default();
            let mut model: Vec<u32> = Vec::new();
            for (op, pos, slot) in ops {
                match op {
                    0 | 1 => {
                        if !model.contains(&slot) {
                            let p = pos.min(model.len());
                            model.insert(p, slot);
                            order.insert(pos, slot);
                        }
                    }
                    2 => {
                        let expect = model.iter().position(|s| *s == slot);
                        if let Some(p) = expect {
                            model.remove(p);
                        }
                        proptest::prop_assert_eq!(order.remove(slot), expect);
                    }
                    _ => {
                        order.insert(usize::MAX, slot);
                        if !model.contains(&slot) {
                            model.push(slot);
                        }
                    }
                }
                proptest::prop_assert_eq!(order.len(), model.len());
                proptest::prop_assert_eq!(order.iter().collect::<Vec<_>>(), model.clone());
                for (i, s) in model.iter().enumerate() {
                    proptest::prop_assert_eq!(order.position(*s), Some(i));
                    proptest::prop_assert_eq!(order.get(i), Some(*s));
                    proptest::prop_assert_eq!(order.iter_from(i).collect::<Vec<_>>(), model[i..].to_vec());
                    proptest::prop_assert_eq!(order.prev(*s), i.checked_sub(1).map(|j| model[j]));
                    proptest::prop_assert_eq!(order.next(*s), model.get(i + 1).copied());
                }
                proptest::prop_assert_eq!(order.get(model.len()), None);
            }
        }
    }

    proptest::proptest! {
        /// A sequence built in one pass is the tree its appends build, node for node.
        #[test]
        fn one_pass_is_the_appends(slots in proptest::collection::vec(0u32..500, 0..300)) {
            let mut appended = Order::default();
            for s in &slots {
                appended.insert(usize::MAX, *s);
            }
            let built = Order::of_sequence(&slots);
            proptest::prop_assert_eq!(built.root, appended.root);
            proptest::prop_assert_eq!(built.len(), appended.len());
            for s in 0..500u32 {
                let (a, b) = (built.node(s), appended.node(s));
                proptest::prop_assert_eq!((a.left, a.right, a.parent, a.size), (b.left, b.right, b.parent, b.size));
            }
        }
    }

    #[test]
    fn a_million_appends_stay_shallow() {
        let mut order = Order::default();
        for i in 0..1_000_000u32 {
            order.insert(usize::MAX, i);
        }
        let depth = |mut s: u32| {
            let mut d = 0;
            while order.node(s).parent != NIL {
                s = order.node(s).parent;
                d += 1;
            }
            d
        };
        let deepest = (0..1_000_000u32).step_by(997).map(depth).max().unwrap_or(0);
        assert!(deepest < 80, "depth {deepest}");
        assert_eq!(order.position(765_432), Some(765_432));
        assert_eq!(order.get(123_456), Some(123_456));
    }
}
