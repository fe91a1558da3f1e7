//! Why LINA did not apply a batch, typed: a stale precondition (the configuration moved since
//! the generation the batch was planned on) or a refused command, with the kind of refusal
//! and the object it is about. The command's text stays in its outcome for error details.
//!
//! Wire form (the last field of `ExecResult`, absent when sent by a peer that predates it):
//! `u8` 0 = none, 1 = stale, 2 = command refused, then `u32 index`, `u8 kind`
//! (0 in use, 1 not found, 2 duplicate, 3 invalid input, 4 not authorized, 5 other),
//! `opt<str> object`, `opt<str> by`.

use super::codec::{DecodeError, Reader, Writer};

/// What kind of refusal a failed command met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// The object is still referenced (by `by`, when LINA says what).
    InUse,
    /// The command names an object, group, rule or interface that does not exist.
    NotFound,
    /// The object (or an equal rule) already exists, or its name is taken.
    Duplicate,
    /// The command does not parse, is incomplete, or its values do not fit together.
    InvalidInput,
    /// The user may not run the command.
    NotAuthorized,
    /// Any other refusal; the output says why.
    Other,
}

impl RefusalKind {
    const ALL: [RefusalKind; 6] = [
        RefusalKind::InUse,
        RefusalKind::NotFound,
        RefusalKind::Duplicate,
        RefusalKind::InvalidInput,
        RefusalKind::NotAuthorized,
        RefusalKind::Other,
    ];

    /// The wire code.
    pub fn code(self) -> u8 {
        match self {
            RefusalKind::InUse => 0,
            RefusalKind::NotFound => 1,
            RefusalKind::Duplicate => 2,
            RefusalKind::InvalidInput => 3,
            RefusalKind::NotAuthorized => 4,
            RefusalKind::Other => 5,
        }
    }

    /// The kind a wire code names.
    pub fn from_code(code: u8) -> Option<RefusalKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Why a batch was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The batch's expected generation is not the configuration's: nothing ran. The
    /// `ExecResult`'s generation is the current one.
    Stale,
    /// Command `index` (0-based) of the batch was refused.
    Command {
        index: u32,
        kind: RefusalKind,
        /// The object, group, rule or interface the refusal is about, when there is one.
        object: Option<String>,
        /// What still uses it (an `InUse` refusal), when LINA says.
        by: Option<String>,
    },
}

/// Writes `opt<refusal>`.
pub(crate) fn write(w: &mut Writer, refusal: Option<&Refusal>) {
    match refusal {
        None => w.u8(0),
        Some(Refusal::Stale) => w.u8(1),
        Some(Refusal::Command {
            index,
            kind,
            object,
            by,
        }) => {
            w.u8(2);
            w.u32(*index);
            w.u8(kind.code());
            w.opt_str(object.as_deref());
            w.opt_str(by.as_deref());
        }
    }
}

/// Reads `opt<refusal>`.
pub(crate) fn read(r: &mut Reader<'_>) -> Result<Option<Refusal>, DecodeError> {
    Ok(match r.u8("refusal")? {
        0 => None,
        1 => Some(Refusal::Stale),
        2 => Some(Refusal::Command {
            index: r.u32("refusal_index")?,
            kind: {
                let v = r.u8("refusal_kind")?;
                RefusalKind::from_code(v).ok_or(DecodeError::BadValue {
                    field: "refusal_kind",
                    value: u32::from(v),
                })?
            },
            object: r.opt_str("refusal_object")?,
            by: r.opt_str("refusal_by")?,
        }),
        v => {
            return Err(DecodeError::BadValue {
                field: "refusal",
                value: u32::from(v),
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip_and_unknown_codes_are_none() {
        for k in RefusalKind::ALL {
            assert_eq!(RefusalKind::from_code(k.code()), Some(k));
        }
        assert_eq!(RefusalKind::from_code(6), None);
    }

    #[test]
    fn an_unknown_refusal_tag_is_a_decode_error() {
        let mut r = Reader::new(&[7]);
        assert_eq!(
            read(&mut r),
            Err(DecodeError::BadValue {
                field: "refusal",
                value: 7
            })
        );
    }
}
