//! The %ASA syslog message catalogue, formatting, framing, senders and the logging buffer.

pub mod level;

pub use level::Level;
