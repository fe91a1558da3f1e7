//! Issue 13: the change journal on the wire. `ChangesSince` asks LINA what each generation
//! after `since` changed; `Changes` answers the blocks added, removed and replaced, as
//! `show running-config` prints them, or says the journal no longer reaches back.
//!
//! Payloads (docs/lina-protocol.md):
//! - `ChangesSince`: `opt<str> context`, `u64 since`.
//! - `Changes`: `u8` 0 then `u64 generation` (the current one) and `list<entry>`, an entry
//!   being `u64 generation` and `list<block change>`; or `u8` 1 (too old) then
//!   `u64 generation`.
//! - a block change: `u8 op` (0 added, 1 removed, 2 replaced), `u32 position`, `str text`,
//!   `opt<str> old`, `opt<str> before`, `opt<str> after`, `opt<str> clear`.

use super::codec::{DecodeError, Reader, Writer};

/// "What changed after generation `since`?" (agent -> LINA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangesSince {
    /// The security context (multiple mode); none: the admin context, or the device.
    pub context: Option<String>,
    pub since: u64,
}

/// LINA's answer to [`ChangesSince`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangesAnswer {
    /// Every generation after `since` up to `generation` (the current one), in order.
    Changes {
        generation: u64,
        entries: Vec<GenerationChanges>,
    },
    /// The journal does not reach back to `since` (or the configuration changed in a way it
    /// could not record): read the whole configuration. `generation` is the current one.
    TooOld { generation: u64 },
}

/// What one generation changed, as a net difference from the previous one: removals first,
/// then replacements, then additions in ascending print position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerationChanges {
    pub generation: u64,
    pub blocks: Vec<BlockChange>,
}

/// What happened to a block (a top-level line and its sub-command lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeOp {
    Added,
    Removed,
    /// Same block, new content (same place in the print order).
    Replaced,
}

impl ChangeOp {
    fn code(self) -> u8 {
        match self {
            ChangeOp::Added => 0,
            ChangeOp::Removed => 1,
            ChangeOp::Replaced => 2,
        }
    }
}

/// One block's change. Texts are printed as `show running-config` prints them (secrets
/// masked), one line per `\n`-terminated line, sub-commands indented by one space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockChange {
    pub op: ChangeOp,
    /// Index of the block among the configuration's blocks in print order (the print without
    /// its `:` header, `Cryptochecksum:` and `: end` lines): after the generation for added and replaced
    /// blocks, before it for removed ones. Removing the removed blocks (descending), then
    /// inserting the added ones (ascending), then replacing the replaced ones turns the
    /// previous print's blocks into the new print's.
    pub position: u32,
    /// The block as it is now (added, replaced), or as it was (removed).
    pub text: String,
    /// A replaced block's previous text.
    pub old: Option<String>,
    /// The head line and first sub-command line of the block printed just before (added
    /// and replaced blocks), none at the start.
    pub before: Option<String>,
    /// The same for the block printed just after, none at the end.
    pub after: Option<String>,
    /// The block with its secrets in clear, for the lines the agent reads in clear
    /// (`ntp authentication-key`); none otherwise.
    pub clear: Option<String>,
}

pub(super) fn write_since(w: &mut Writer, c: &ChangesSince) {
    w.opt_str(c.context.as_deref());
    w.u64(c.since);
}

pub(super) fn read_since(r: &mut Reader<'_>) -> Result<ChangesSince, DecodeError> {
    Ok(ChangesSince {
        context: r.opt_str("context")?,
        since: r.u64("since")?,
    })
}

pub(super) fn write_answer(w: &mut Writer, a: &ChangesAnswer) {
    match a {
        ChangesAnswer::Changes {
            generation,
            entries,
        } => {
            w.u8(0);
            w.u64(*generation);
            w.u32(entries.len() as u32);
            for e in entries {
                w.u64(e.generation);
                w.u32(e.blocks.len() as u32);
                for b in &e.blocks {
                    w.u8(b.op.code());
                    w.u32(b.position);
                    w.str(&b.text);
                    w.opt_str(b.old.as_deref());
                    w.opt_str(b.before.as_deref());
                    w.opt_str(b.after.as_deref());
                    w.opt_str(b.clear.as_deref());
                }
            }
        }
        ChangesAnswer::TooOld { generation } => {
            w.u8(1);
            w.u64(*generation);
        }
    }
}

pub(super) fn read_answer(r: &mut Reader<'_>) -> Result<ChangesAnswer, DecodeError> {
    match r.u8("changes")? {
        0 => {
            let generation = r.u64("generation")?;
            // An entry is at least its generation and its count.
            let count = r.count("entries", 12)?;
            let mut entries = Vec::with_capacity(count);
            for _ in 0..count {
                let generation = r.u64("entry_generation")?;
                // A block change is at least 14 bytes (op, position, empty text, 4 flags).
                let n = r.count("blocks", 14)?;
                let mut blocks = Vec::with_capacity(n);
                for _ in 0..n {
                    let op = match r.u8("op")? {
                        0 => ChangeOp::Added,
                        1 => ChangeOp::Removed,
                        2 => ChangeOp::Replaced,
                        v => {
                            return Err(DecodeError::BadValue {
                                field: "op",
                                value: u32::from(v),
                            });
                        }
                    };
                    blocks.push(BlockChange {
                        op,
                        position: r.u32("position")?,
                        text: r.str("text")?,
                        old: r.opt_str("old")?,
                        before: r.opt_str("before")?,
                        after: r.opt_str("after")?,
                        clear: r.opt_str("clear")?,
                    });
                }
                entries.push(GenerationChanges { generation, blocks });
            }
            Ok(ChangesAnswer::Changes {
                generation,
                entries,
            })
        }
        1 => Ok(ChangesAnswer::TooOld {
            generation: r.u64("generation")?,
        }),
        v => Err(DecodeError::BadValue {
            field: "changes",
            value: u32::from(v),
        }),
    }
}
