//! The %ASA syslog message catalogue, formatting, framing, senders and the logging buffer.
//!
//! Pure parts (catalogue, message, time, framing, buffer, filter) take time as a parameter and do
//! no I/O; only `sender` touches the network.

pub mod buffer;
pub mod catalogue;
pub mod filter;
pub mod framing;
pub mod level;
pub mod message;
pub mod sender;
pub mod time;

pub use buffer::LogBuffer;
pub use catalogue::{CATALOGUE, MessageDef, lookup, render};
pub use filter::{Filter, Override};
pub use framing::{DEFAULT_FACILITY, Framing, frame, message_class};
pub use level::Level;
pub use message::{FormatOptions, Message, format_asa};
pub use sender::{LogSender, SenderError, SenderStats, TcpConfig, TcpHealth, TcpSender, UdpSender};
pub use time::Timestamp;
