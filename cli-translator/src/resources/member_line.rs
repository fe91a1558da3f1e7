//! The error a sub-command line of an object group or service object fails with (where the
//! ASA puts its `^` marker). The lines are read with the shared word cursor,
//! [`crate::words::Words`].

use std::fmt;

use crate::words::WordError;

/// Why a member line cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// A bad token at this byte offset of the line.
    Invalid { offset: usize },
    /// The line stops early.
    Incomplete,
    /// `<ip> <mask>` with host bits set.
    MaskMismatch { address: String, mask: String },
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::Invalid { offset } => write!(f, "invalid input at byte {offset}"),
            LineError::Incomplete => f.write_str("incomplete command"),
            LineError::MaskMismatch { address, mask } => {
                write!(f, "IP address,mask <{address},{mask}> doesn't pair")
            }
        }
    }
}

impl std::error::Error for LineError {}

impl From<WordError> for LineError {
    fn from(e: WordError) -> LineError {
        match e {
            WordError::Incomplete => LineError::Incomplete,
            WordError::Invalid { offset, .. } => LineError::Invalid { offset },
        }
    }
}
