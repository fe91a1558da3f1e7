//! Helpers for the end-to-end suite: boot the stack, talk HTTP(S) to it (a hyper client, a raw
//! byte-exact client) and drive its operator console.

pub mod auth;
pub mod client;
pub mod console;
#[cfg(test)]
mod echo_server;
pub mod endpoint;
pub mod error;
pub mod insecure;
pub mod raw;
pub mod response;
pub mod stack;
pub mod state_dir;

pub use auth::Auth;
pub use client::{Body, Client, ConnectionMode};
pub use console::{Console, Prompt};
pub use endpoint::{Endpoint, Scheme};
pub use error::HarnessError;
pub use raw::{raw_exchange, raw_request, request_bytes};
pub use response::{ErrorMessage, Response};
pub use stack::{Addresses, Stack, StackOptions};
pub use state_dir::StateDir;
