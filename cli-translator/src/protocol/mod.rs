//! The LINA protocol: versioned, length-prefixed frames over loopback TCP between the
//! REST agent (client) and LINA (lina-sim here). One codec serves both sides; it does no I/O.
//!
//! `docs/lina-protocol.md` at the repository root describes it message by message.

pub mod auth;
// issue 13: change journal
pub mod changes;
pub mod codec;
pub mod control;
pub mod frame;
pub mod message;
pub mod refusal;
// issue 13: streamed output
pub mod stream;

pub use auth::ChannelSecret;
pub use changes::{BlockChange, ChangeOp, ChangesAnswer, ChangesSince, GenerationChanges};
pub use codec::DecodeError;
pub use control::{AgentControl, DebugCategory, DebugLevel, DebugLine, DebugSet};
pub use frame::{Frame, FrameError, MAX_PAYLOAD, PROTOCOL_VERSION};
pub use message::*;
pub use refusal::{Refusal, RefusalKind};
// issue 13: streamed output
pub use stream::{Assembly, ExecOutput, ExecOutputRef, OUTPUT_CHUNK, StreamCheck, StreamError};
