//! Issue 13: the change journal. What each configuration generation changed, so the agent
//! patches its snapshot at the cost of the change instead of reading the whole
//! `show running-config` again.
//!
//! Derived from [`Config`]'s undo journal at every commit (the undo journal already holds
//! each touched block's previous content): a unit of change becomes a net difference, the
//! blocks it removed, replaced and added, printed as `show running-config` prints them
//! (masked). The engine seals the pending difference under the generation it bumps to
//! ([`Config::seal_changes`]). The journal holds contiguous generations `base + 1 ..= last`,
//! bounded by [`MAX_GENERATIONS`] and by the memory its changes hold ([`footprint`]), at most
//! a tenth of the loaded configuration's text, at least [`MIN_BYTES`] and at most
//! [`MAX_BYTES`] (oldest dropped).
//!
//! Anything it cannot vouch for cuts it, so the agent reads the whole configuration instead:
//! a generation bumped without a seal (a gap), changes committed without a generation (an
//! orphaned difference, seen at the next [`Config::mark`]), a unit larger than
//! [`MAX_PENDING_BYTES`], a fresh configuration (boot, `mode`, a new context: the journal
//! starts empty and unanchored until [`Config::start_changes`]).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};

use cli_translator::protocol::{
    BlockChange, ChangeOp, ChangesAnswer, ChangesSince, GenerationChanges,
};

use super::{Block, BlockBuf, BlockId, Config, Undo, print_block};
use crate::engine::mask;

/// Generations kept.
pub const MAX_GENERATIONS: usize = 4096;
/// Bytes the kept changes may hold, at most (issue 13: memory; the bound was 32 MiB of block
/// text alone, which at 20 MB, with each change's neighbour lines and its own allocations,
/// could hold several times the configuration's 3x budget).
pub const MAX_BYTES: usize = 32 << 20;
/// ... and at least, whatever the configuration's size (about 3,000 one-line changes).
pub const MIN_BYTES: usize = 1 << 20;

/// The memory a kept change holds: the change itself, and each of its texts with glibc's
/// per-allocation header.
fn footprint(c: &BlockChange) -> usize {
    let text = |t: &Option<String>| t.as_ref().map_or(0, |t| t.len() + 16);
    std::mem::size_of::<BlockChange>()
        + c.text.len()
        + 16
        + text(&c.old)
        + text(&c.before)
        + text(&c.after)
        + text(&c.clear)
}
/// A unit of change printing more than this is not journaled (restore, `configure replace`
/// of a large configuration): reading the whole configuration is cheaper then.
pub const MAX_PENDING_BYTES: usize = 8 << 20;

/// Touched blocks above which final positions are found by one walk of the order.
const WALK_ABOVE: usize = 16;

#[derive(Debug, Default)]
pub(crate) struct Journal {
    /// The journal answers "since G" for `G >= base`.
    base: u64,
    entries: VecDeque<GenerationChanges>,
    bytes: usize,
    /// Committed but not yet sealed under a generation.
    pending: Vec<BlockChange>,
    pending_bytes: usize,
    /// The pending difference is incomplete: the next seal cuts.
    cut: bool,
    /// Set by [`Config::mark`] when a unit starts while a difference is still pending (it was
    /// committed without a generation): the next seal cuts.
    orphaned: AtomicBool,
}

impl Journal {
    fn last(&self) -> u64 {
        self.base + self.entries.len() as u64
    }

    fn clear_pending(&mut self) {
        self.pending.clear();
        self.pending_bytes = 0;
    }
}

/// What a touched block was before the unit, found by walking the undo journal backwards.
enum Before {
    /// Its current content with the last `n` children dropped.
    Now(usize),
    Owned(Option<BlockBuf>),
}

struct Touched {
    before: Before,
    /// Removed or inserted during the unit (an id can be reused): never a replacement.
    structural: bool,
    /// Its print position before the unit, when it was removed.
    removed_at: usize,
}

fn shown(block: &Block) -> String {
    let mut out = String::with_capacity(block.head().text.len() + 1);
    print_block(block, &mut out);
    mask::mask_config(out)
}

/// The head line and first sub-command of a block, as printed.
fn glimpse(block: &Block) -> String {
    let mut b = Block::leaf(block.head().to_entry());
    if let Some(c) = block.children().next() {
        b.push_child(c);
    }
    shown(&b)
}

/// The block in clear, for the lines the agent reads in clear (NTP keys; today's
/// `more system:running-config | include ^ntp authentication-key`).
fn clear_of(block: &Block, masked: &str) -> Option<String> {
    if !block.head().text.starts_with("ntp authentication-key") {
        return None;
    }
    let mut out = String::new();
    print_block(block, &mut out);
    (out != masked).then_some(out)
}

impl Config {
    /// Called by `commit` with the undo journal about to be forgotten: adds the unit's net
    /// difference to the pending one.
    pub(super) fn note_changes(&mut self) {
        if self.journal.is_empty() {
            return;
        }
        if self.changes.cut {
            return;
        }
        let undo = std::mem::take(&mut self.journal);
        let mut touched: HashMap<BlockId, Touched> = HashMap::new();
        // Removed blocks and their position in the state being walked back to, so that it
        // ends as their position before the unit.
        let mut gone: Vec<(BlockId, usize)> = Vec::new();
        for u in undo.into_iter().rev() {
            let (id, before, structural, removed_at) = match u {
                Undo::Inserted { id, pos } => {
                    for (_, p) in gone.iter_mut().filter(|(_, p)| *p > pos) {
                        *p -= 1;
                    }
                    (id, Some(Before::Owned(None)), true, None)
                }
                Undo::Removed { id, pos, block } => {
                    for (_, p) in gone.iter_mut().filter(|(_, p)| *p >= pos) {
                        *p += 1;
                    }
                    gone.retain(|(g, _)| *g != id);
                    gone.push((id, pos));
                    (id, Some(Before::Owned(Some(block))), true, Some(pos))
                }
                Undo::Replaced { id, old } => (id, Some(Before::Owned(Some(old))), false, None),
                Undo::ChildPushed { id } => (id, None, false, None),
                Undo::Index { .. } => continue,
            };
            let t = touched.entry(id).or_insert(Touched {
                before: Before::Now(0),
                structural: false,
                removed_at: 0,
            });
            t.structural |= structural;
            if let Some(pos) = removed_at {
                t.removed_at = pos;
            }
            match before {
                Some(b) => t.before = b,
                None => match &mut t.before {
                    Before::Now(n) => *n += 1,
                    Before::Owned(Some(b)) => {
                        b.pop_child();
                    }
                    Before::Owned(None) => {}
                },
            }
        }
        for (id, p) in gone {
            if let Some(t) = touched.get_mut(&id) {
                t.removed_at = p;
            }
        }
        let positions = self.final_positions(&touched);
        let mut removed = Vec::new();
        let mut replaced = Vec::new();
        let mut added = Vec::new();
        for (id, t) in touched {
            let now = positions
                .get(&id)
                .and_then(|p| self.block(id).map(|b| (*p, b)));
            let before: Option<BlockBuf> = match t.before {
                Before::Owned(b) => b,
                Before::Now(n) => now.map(|(_, b)| {
                    let mut b = b.to_owned();
                    b.truncate_children(b.children().len().saturating_sub(n));
                    b
                }),
            };
            match (before, now) {
                (None, None) => {}
                (Some(old), None) => removed.push((t.removed_at, old)),
                (None, Some((pos, _))) => added.push((pos, id)),
                (Some(old), Some((pos, b))) => {
                    if t.structural {
                        removed.push((t.removed_at, old));
                        added.push((pos, id));
                    } else if *old != *b {
                        replaced.push((pos, id, old));
                    }
                }
            }
        }
        removed.sort_by_key(|(p, _)| std::cmp::Reverse(*p));
        replaced.sort_by_key(|(p, _, _)| *p);
        added.sort_by_key(|(p, _)| *p);
        let mut out = Vec::with_capacity(removed.len() + replaced.len() + added.len());
        for (pos, old) in removed {
            let text = shown(&old);
            let clear = clear_of(&old, &text);
            out.push(BlockChange {
                op: ChangeOp::Removed,
                position: pos as u32,
                text,
                old: None,
                before: None,
                after: None,
                clear,
            });
        }
        for (pos, id, old) in replaced {
            out.push(self.change_at(ChangeOp::Replaced, pos, id, Some(shown(&old))));
        }
        for (pos, id) in added {
            out.push(self.change_at(ChangeOp::Added, pos, id, None));
        }
        for c in out {
            self.changes.pending_bytes += c.text.len() + c.old.as_ref().map_or(0, String::len);
            self.changes.pending.push(c);
            if self.changes.pending_bytes > MAX_PENDING_BYTES {
                self.changes.cut = true;
                self.changes.clear_pending();
                return;
            }
        }
    }

    fn change_at(&self, op: ChangeOp, pos: usize, id: BlockId, old: Option<String>) -> BlockChange {
        let block = self.block(id);
        let text = block.map(shown).unwrap_or_default();
        let clear = block.and_then(|b| clear_of(b, &text));
        let neighbour = |p: Option<usize>| p.and_then(|p| self.at(p)).map(glimpse);
        BlockChange {
            op,
            position: pos as u32,
            text,
            old,
            before: neighbour(pos.checked_sub(1)),
            after: neighbour(pos.checked_add(1)),
            clear,
        }
    }

    /// Print positions of the touched blocks that exist now.
    fn final_positions(&self, touched: &HashMap<BlockId, Touched>) -> HashMap<BlockId, usize> {
        let live = touched.keys().filter(|id| self.block(**id).is_some());
        if touched.len() <= WALK_ABOVE {
            return live
                .filter_map(|id| self.position(*id).map(|p| (*id, p)))
                .collect();
        }
        // One walk of the order with a flag per slot (ids are slot numbers): no hashing per
        // block of a large configuration.
        let mut wanted = vec![false; self.store.slots.len()];
        for id in touched.keys() {
            if let Some(w) = wanted.get_mut(id.0 as usize) {
                *w = true;
            }
        }
        self.order
            .iter()
            .enumerate()
            .filter(|(_, slot)| wanted.get(*slot as usize).copied().unwrap_or(false))
            .map(|(p, slot)| (BlockId(slot), p))
            .collect()
    }

    /// A unit of change starts: a difference still pending was committed without a
    /// generation, so no generation describes it.
    pub(super) fn note_mark(&self) {
        if !self.changes.pending.is_empty() {
            self.changes.orphaned.store(true, Ordering::Relaxed);
        }
    }

    /// Ends a unit for the journal: the pending difference becomes `generation`'s, or, when
    /// the unit bumped no generation (`None`), a pending difference cuts the journal.
    pub fn seal_changes(&mut self, generation: Option<u64>) {
        let j = &mut self.changes;
        let orphaned = j.orphaned.swap(false, Ordering::Relaxed);
        let Some(generation) = generation else {
            if !j.pending.is_empty() {
                j.cut = true;
                j.clear_pending();
            }
            return;
        };
        let blocks = std::mem::take(&mut j.pending);
        j.pending_bytes = 0;
        let bytes: usize = blocks.iter().map(footprint).sum();
        let limit = (self.store.held_bytes() / 10).clamp(MIN_BYTES, MAX_BYTES);
        let j = &mut self.changes;
        if j.cut || orphaned || generation != j.last().wrapping_add(1) {
            j.entries.clear();
            j.bytes = 0;
            j.base = generation;
            j.cut = false;
            return;
        }
        j.cut = false;
        j.entries
            .push_back(GenerationChanges { generation, blocks });
        j.bytes += bytes;
        while j.entries.len() > MAX_GENERATIONS || j.bytes > limit {
            let Some(old) = j.entries.pop_front() else {
                break;
            };
            j.bytes = j
                .bytes
                .saturating_sub(old.blocks.iter().map(footprint).sum());
            j.base += 1;
        }
    }

    /// The configuration is complete as of `generation` (boot): the journal reaches back to it.
    pub fn start_changes(&mut self, generation: u64) {
        let j = &mut self.changes;
        j.entries.clear();
        j.bytes = 0;
        j.clear_pending();
        j.cut = false;
        j.orphaned.store(false, Ordering::Relaxed);
        j.base = generation;
    }

    /// The changes after generation `since`, the configuration being at `current`.
    pub fn changes_since(&self, since: u64, current: u64) -> ChangesAnswer {
        let j = &self.changes;
        let too_old = ChangesAnswer::TooOld {
            generation: current,
        };
        if j.last() != current || since < j.base || since > current {
            return too_old;
        }
        let skip = usize::try_from(since - j.base).unwrap_or(usize::MAX);
        ChangesAnswer::Changes {
            generation: current,
            entries: j.entries.iter().skip(skip).cloned().collect(),
        }
    }
}

impl crate::engine::Engine {
    /// Answers `ChangesSince`: the admin context's journal (the device's in single mode) when
    /// no context is named, else the named context's (each context keeps its own); too old
    /// for a context that does not exist.
    pub(crate) fn changes_since(&self, c: &ChangesSince) -> ChangesAnswer {
        match c.context.as_deref() {
            None => self
                .aaa_config()
                .changes_since(c.since, self.api_generation()),
            Some(name) => match self.context_index(name) {
                Some(i) => {
                    let ctx = &self.contexts[i];
                    ctx.config.changes_since(c.since, ctx.generation)
                }
                None => ChangesAnswer::TooOld { generation: 0 },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Entry;
    use super::*;

    fn v(s: &str) -> BlockBuf {
        Block::leaf(Entry::verbatim(s))
    }

    fn changes(c: &Config, since: u64, now: u64) -> Vec<GenerationChanges> {
        match c.changes_since(since, now) {
            ChangesAnswer::Changes { entries, .. } => entries,
            ChangesAnswer::TooOld { .. } => panic!("too old"),
        }
    }

    #[test]
    fn a_unit_becomes_its_net_difference() {
        let mut c = Config::new();
        let a = c.push(v("object network a"));
        c.push(v("object network b"));
        c.commit();
        c.start_changes(1);
        let m = c.mark();
        c.push_child(a, Entry::verbatim("host 10.0.0.1"));
        c.insert_placed(v("route x 0.0.0.0 0.0.0.0 1.1.1.1 1"));
        let tmp = c.insert_at(0, v("temporary"));
        c.remove(tmp);
        assert!(c.changed_since(m));
        c.commit();
        c.seal_changes(Some(2));
        let got = changes(&c, 1, 2);
        assert_eq!(got.len(), 1);
        let blocks = &got[0].blocks;
        // The temporary block left no trace; the route opened a section (`!`).
        assert_eq!(blocks.len(), 3, "{blocks:?}");
        assert_eq!(blocks[0].op, ChangeOp::Replaced);
        assert_eq!(blocks[0].text, "object network a\n host 10.0.0.1\n");
        assert_eq!(blocks[0].old.as_deref(), Some("object network a\n"));
        assert_eq!(blocks[0].after.as_deref(), Some("object network b\n"));
        assert_eq!(
            (blocks[1].op, blocks[1].text.as_str()),
            (ChangeOp::Added, "!\n")
        );
        assert_eq!(blocks[2].op, ChangeOp::Added);
        assert_eq!(blocks[2].position, 3);
        assert_eq!(blocks[2].text, "route x 0.0.0.0 0.0.0.0 1.1.1.1 1\n");
        assert_eq!(blocks[2].before.as_deref(), Some("!\n"));
        assert_eq!(changes(&c, 2, 2), vec![]);
    }

    #[test]
    fn gaps_orphans_and_fresh_configurations_cut() {
        let mut c = Config::new();
        c.push(v("hostname a"));
        // Never anchored: too old.
        assert!(matches!(
            c.changes_since(1, 1),
            ChangesAnswer::TooOld { .. }
        ));
        c.start_changes(1);
        assert_eq!(changes(&c, 1, 1), vec![]);
        // A generation bumped without a seal.
        assert!(matches!(
            c.changes_since(1, 2),
            ChangesAnswer::TooOld { .. }
        ));
        c.insert_placed(v("logging enable"));
        c.commit();
        c.seal_changes(Some(3));
        assert!(matches!(
            c.changes_since(1, 3),
            ChangesAnswer::TooOld { .. }
        ));
        assert_eq!(changes(&c, 3, 3), vec![]);
        // Changes committed without a generation, then another unit.
        c.insert_placed(v("logging timestamp"));
        c.commit();
        let _ = c.mark();
        c.insert_placed(v("logging buffered 7"));
        c.commit();
        c.seal_changes(Some(4));
        assert!(matches!(
            c.changes_since(3, 4),
            ChangesAnswer::TooOld { .. }
        ));
        assert_eq!(changes(&c, 4, 4), vec![]);
    }

    #[test]
    fn rolled_back_changes_are_not_journaled_and_old_generations_go() {
        let mut c = Config::new();
        c.start_changes(1);
        let m = c.mark();
        c.insert_placed(v("hostname x"));
        c.rollback_to(m);
        c.commit();
        c.seal_changes(None);
        for g in 2..(MAX_GENERATIONS as u64 + 10) {
            c.insert_placed(v(&format!(
                "route x 10.0.0.0 255.0.0.0 1.1.1.{} 1",
                g % 200
            )));
            c.commit();
            c.seal_changes(Some(g));
        }
        let now = MAX_GENERATIONS as u64 + 9;
        assert!(matches!(
            c.changes_since(1, now),
            ChangesAnswer::TooOld { .. }
        ));
        assert_eq!(changes(&c, now - 3, now).len(), 3);
    }

    /// The kept changes hold at most their bound ([`MIN_BYTES`] for a configuration loaded
    /// from nothing): older generations go, the latest stay.
    #[test]
    fn the_kept_changes_hold_at_most_their_bound() {
        let mut c = Config::new();
        c.start_changes(1);
        let long = "d".repeat(400);
        for g in 2..1_500u64 {
            c.insert_placed(v(&format!("access-list a{g} remark {long}")));
            c.commit();
            c.seal_changes(Some(g));
        }
        assert!(c.changes.bytes <= MIN_BYTES, "{}", c.changes.bytes);
        assert!(c.changes.bytes > MIN_BYTES / 2, "{}", c.changes.bytes);
        let kept = c.changes.entries.len() as u64;
        assert!(kept > 100 && kept < 1_300, "{kept}");
        assert!(matches!(
            c.changes_since(1, 1_499),
            ChangesAnswer::TooOld { .. }
        ));
        assert_eq!(changes(&c, 1_489, 1_499).len(), 10);
    }

    /// A print cut into blocks (a line without indentation and the indented lines below),
    /// without the print's own `:` header and checksum lines.
    fn blocks_of(text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for line in text.lines() {
            if line.starts_with(':') || line.starts_with("Cryptochecksum:") {
                continue;
            }
            if line.starts_with(' ')
                && let Some(last) = out.last_mut()
            {
                last.push_str(line);
                last.push('\n');
                continue;
            }
            out.push(format!("{line}\n"));
        }
        out
    }

    /// Applies one generation's changes to a print's blocks as the protocol documents.
    fn replay(blocks: &mut Vec<String>, changes: &GenerationChanges) {
        let at = |c: &BlockChange| c.position as usize;
        for c in changes.blocks.iter().filter(|c| c.op == ChangeOp::Removed) {
            assert_eq!(blocks.get(at(c)), Some(&c.text), "removed {c:?}");
            blocks.remove(at(c));
        }
        for c in changes.blocks.iter().filter(|c| c.op == ChangeOp::Added) {
            blocks.insert(at(c).min(blocks.len()), c.text.to_string());
        }
        for c in changes.blocks.iter().filter(|c| c.op == ChangeOp::Replaced) {
            assert_eq!(
                blocks.get(at(c)).map(String::as_str),
                c.old.as_deref(),
                "{c:?}"
            );
            blocks[at(c)] = c.text.to_string();
        }
        for c in changes.blocks.iter().filter(|c| c.op != ChangeOp::Removed) {
            let p = at(c);
            let glimpse = |b: &String| b.lines().take(2).map(|l| format!("{l}\n")).collect();
            assert_eq!(
                c.before,
                p.checked_sub(1).and_then(|q| blocks.get(q)).map(glimpse)
            );
            assert_eq!(c.after, blocks.get(p + 1).map(glimpse));
        }
    }

    /// Commands a console or a client may send, some refused, some undone with their batch.
    const POOL: &[&str] = &[
        "object network web",
        " host 10.0.0.1",
        " host 10.0.0.2",
        " description front end",
        "no object network web",
        "object network db",
        " subnet 10.1.0.0 255.255.0.0",
        " nat (inside,outside) dynamic interface",
        "no object network db",
        "object-group network grp",
        " network-object object web",
        " network-object host 10.9.9.9",
        " no network-object host 10.9.9.9",
        "no object-group network grp",
        "access-list acl extended permit ip any any",
        "access-list acl extended deny tcp any any eq 23",
        "access-list acl line 1 extended permit udp any any eq 53",
        "access-list acl remark the first",
        "no access-list acl extended deny tcp any any eq 23",
        "no access-list acl",
        "route outside 10.2.0.0 255.255.0.0 192.168.1.254 1",
        "no route outside 10.2.0.0 255.255.0.0 192.168.1.254 1",
        "hostname fw-a",
        "hostname fw-b",
        "ntp authentication-key 3 md5 s3cret",
        "no ntp authentication-key 3",
        "logging enable",
        "no logging enable",
        "interface GigabitEthernet0/1",
        " nameif dmz",
        " no nameif",
        "exit",
        "host 10.0.0.300",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Replaying each generation's changes on the previous `show running-config` gives the
        /// new one, whatever the sequence of batches (applied, refused, undone).
        #[test]
        fn replaying_the_journal_gives_the_new_print(
            batches in proptest::collection::vec(
                proptest::collection::vec(0usize..POOL.len(), 1..4), 1..12),
        ) {
            use crate::engine::test_support::{exec, running};
            let mut e = crate::engine::test_support::boot();
            let mut blocks = blocks_of(&running(&mut e));
            let mut generation = e.generation();
            for batch in batches {
                let cmds: Vec<&str> = batch.iter().map(|i| POOL[*i]).collect();
                let _ = exec(&mut e, &cmds);
                let now = e.generation();
                match e.changes_since(&ChangesSince { context: None, since: generation }) {
                    ChangesAnswer::Changes { generation: g, entries } => {
                        proptest::prop_assert_eq!(g, now);
                        proptest::prop_assert_eq!(entries.len() as u64, now - generation);
                        for entry in &entries {
                            replay(&mut blocks, entry);
                        }
                    }
                    ChangesAnswer::TooOld { .. } => proptest::prop_assert!(false, "too old"),
                }
                let want = blocks_of(&running(&mut e));
                proptest::prop_assert_eq!(&blocks, &want);
                blocks = want;
                generation = now;
            }
        }
    }

    // ----- the agent's patch (cli_translator::running_patch) against a full parse -----

    /// Commands on the families the agent patches, with neighbours of every kind.
    const PATCH_POOL: &[&str] = &[
        "object network web",
        " host 10.0.0.1",
        " host 10.0.0.2",
        " description front end",
        "no object network web",
        "object network db",
        " subnet 10.1.0.0 255.255.0.0",
        "no object network db",
        "object network app",
        " range 10.3.0.1 10.3.0.9",
        "no object network app",
        "object-group network grp",
        " network-object object web",
        " network-object host 10.9.9.9",
        " no network-object host 10.9.9.9",
        " description servers",
        "no object-group network grp",
        "object-group network grp2",
        " network-object 10.8.0.0 255.255.0.0",
        "no object-group network grp2",
        "object service https8443",
        " service tcp destination eq 8443",
        " service udp destination eq 8443",
        "no object service https8443",
        "object service dns",
        " service udp destination eq domain",
        "no object service dns",
        "object-group service svc",
        " service-object object https8443",
        " service-object tcp destination eq www",
        "no object-group service svc",
        "object-group service ports tcp",
        " port-object eq 8080",
        "no object-group service ports tcp",
        "access-list acl extended permit ip any any",
        "access-list acl extended deny tcp any any eq 23",
        "access-list acl line 1 extended permit udp any any eq 53",
        "access-list acl line 2 extended deny ip host 10.0.0.5 any",
        "no access-list acl extended deny tcp any any eq 23",
        "no access-list acl extended permit ip any any",
        "access-list other extended permit icmp any any",
        "no access-list other extended permit icmp any any",
        "access-list acl remark the first",
        "route outside 10.2.0.0 255.255.0.0 192.168.1.254 1",
        "route outside 10.4.0.0 255.255.0.0 192.168.1.254 1",
        "no route outside 10.2.0.0 255.255.0.0 192.168.1.254 1",
        "route inside 10.5.0.0 255.255.0.0 10.10.10.254 1",
        "no route inside 10.5.0.0 255.255.0.0 10.10.10.254 1",
        "hostname fw-a",
        "hostname fw-b",
        "logging enable",
        "nat (inside,outside) source dynamic any interface",
        "nat (inside,outside) 1 source static web web",
        "nat (inside,outside) after-auto source dynamic any interface",
        "no nat (inside,outside) source dynamic any interface",
        "no nat (inside,outside) after-auto source dynamic any interface",
        "object network web",
        " nat (inside,outside) static 192.0.2.10",
        "object network db",
        " nat (inside,outside) dynamic interface",
        " no nat (inside,outside) dynamic interface",
        "interface GigabitEthernet0/2",
        " description the inside",
        " security-level 50",
        " ip address 10.10.10.2 255.255.255.0",
        " shutdown",
        " no shutdown",
        " nameif lan",
        " nameif inside",
        " dhcprelay server 10.10.10.9",
        "interface GigabitEthernet0/3",
        " description spare",
        "exit",
    ];

    /// The snapshot a full read gives.
    fn parsed(e: &mut crate::engine::Engine) -> cli_translator::running::RunningConfig {
        cli_translator::running::RunningConfig::parse(&crate::engine::test_support::running(e))
    }

    /// Follows the engine's generations as the agent does: patches, or reads everything
    /// when a change is not patched. Returns the generations patched and read.
    fn follow(
        e: &mut crate::engine::Engine,
        snapshot: &mut cli_translator::running::RunningConfig,
        since: u64,
    ) -> (u64, u64) {
        let now = e.generation();
        let answer = e.changes_since(&ChangesSince {
            context: None,
            since,
        });
        let ChangesAnswer::Changes { entries, .. } = answer else {
            *snapshot = parsed(e);
            return (0, 1);
        };
        let mut patched = 0;
        for entry in &entries {
            if snapshot.patch(entry).is_err() {
                *snapshot = parsed(e);
                return (patched, 1);
            }
            patched += 1;
        }
        assert_eq!(patched, now - since);
        (patched, 0)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
        /// The agent's snapshot patched with each generation's changes equals the full parse of
        /// the new `show running-config`, whatever the sequence of batches.
        #[test]
        fn the_patched_snapshot_equals_a_full_parse(
            batches in proptest::collection::vec(
                proptest::collection::vec(0usize..PATCH_POOL.len(), 1..5), 1..16),
        ) {
            use crate::engine::test_support::{boot, exec, ok};
            let mut e = boot();
            ok(&mut e, &[
                "interface GigabitEthernet0/1",
                " nameif outside",
                " ip address 192.168.1.1 255.255.255.0",
                "interface GigabitEthernet0/2",
                " nameif inside",
                " ip address 10.10.10.1 255.255.255.0",
            ]);
            let mut snapshot = parsed(&mut e);
            let mut generation = e.generation();
            for batch in batches {
                let cmds: Vec<&str> = batch.iter().map(|i| PATCH_POOL[*i]).collect();
                let _ = exec(&mut e, &cmds);
                follow(&mut e, &mut snapshot, generation);
                generation = e.generation();
                let want = parsed(&mut e);
                proptest::prop_assert_eq!(&snapshot, &want, "after {:?}", cmds);
            }
        }
    }

    #[test]
    fn one_line_changes_of_the_patched_families_are_patched() {
        use crate::engine::test_support::{boot, ok};
        let mut e = boot();
        ok(
            &mut e,
            &[
                "interface GigabitEthernet0/1",
                " nameif outside",
                "interface GigabitEthernet0/2",
                " nameif inside",
            ],
        );
        let mut snapshot = parsed(&mut e);
        let steps: &[&[&str]] = &[
            &["object network web", " host 10.0.0.1"],
            &["object network web2", " host 10.0.0.2"],
            &["object network web", " description front"],
            &["object-group network g", " network-object object web"],
            &["object-group network g", " network-object object web2"],
            &["object service s", " service tcp destination eq 8443"],
            &["object-group service sg", " service-object object s"],
            &["object service s", " service udp destination eq 8443"],
            &["access-list a extended permit ip any any"],
            &["access-list a line 1 extended deny ip host 10.0.0.9 any"],
            &["access-list a extended deny ip any host 10.0.0.9"],
            &["no access-list a extended permit ip any any"],
            &["route outside 10.2.0.0 255.255.0.0 10.0.0.254 1"],
            &["no route outside 10.2.0.0 255.255.0.0 10.0.0.254 1"],
            &["no object-group service sg"],
            &["hostname edge"],
            &["no object-group network g"],
            &["nat (inside,outside) source dynamic any interface"],
            &["nat (inside,outside) 1 source static web web"],
            &[
                "object network web2",
                " nat (inside,outside) dynamic interface",
            ],
            &[
                "object network web",
                " nat (inside,outside) static 192.0.2.10",
            ],
            &[
                "object network web2",
                " nat (inside,outside) static 192.0.2.11",
            ],
            &["no nat (inside,outside) source dynamic any interface"],
            &["no object network web2"],
            &["interface GigabitEthernet0/2", " description the inside"],
            &[
                "interface GigabitEthernet0/2",
                " ip address 10.0.0.1 255.255.255.0",
            ],
            &["interface GigabitEthernet0/2", " security-level 60"],
            &["interface GigabitEthernet0/3", " no shutdown"],
        ];
        for cmds in steps {
            let since = e.generation();
            ok(&mut e, cmds);
            assert_eq!(follow(&mut e, &mut snapshot, since), (1, 0), "{cmds:?}");
            assert_eq!(snapshot, parsed(&mut e), "{cmds:?}");
        }
    }
}
