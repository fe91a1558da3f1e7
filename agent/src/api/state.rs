//! What every request handler shares: the LINA connection, the snapshot, the channel secret,
//! limits, and the lock that serialises the agent's own configuration writes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use cli_translator::protocol::DeviceFacts;

use super::snapshot::Snapshot;
use crate::lina_client::LinaClient;

/// Shared by every connection of one agent process.
#[derive(Debug)]
pub struct AppState {
    pub lina: LinaClient,
    /// What LINA said about the device when the agent connected.
    pub facts: DeviceFacts,
    pub snapshot: Arc<Snapshot>,
    /// The per-spawn secret the front-end sends in `x-asa-channel-secret`.
    pub secret: Vec<u8>,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Held from a write's duplicate/existence check until its snapshot patch, so that the
    /// agent's own writes see each other (a tokio mutex: held across the LINA round trip).
    pub writes: tokio::sync::Mutex<()>,
    /// The agent's own request statistics (`/api/monitoring/apistatistics`).
    pub stats: super::stats::Stats,
    /// Delays the answers to refused logins (api/throttle.rs).
    pub logins: super::throttle::LoginThrottle,
    next_request_id: AtomicU64,
}

impl AppState {
    pub fn new(
        lina: LinaClient,
        facts: DeviceFacts,
        snapshot: Arc<Snapshot>,
        secret: Vec<u8>,
        body_limit: usize,
    ) -> AppState {
        AppState {
            lina,
            facts,
            snapshot,
            secret,
            body_limit,
            writes: tokio::sync::Mutex::new(()),
            stats: super::stats::Stats::new(),
            logins: super::throttle::LoginThrottle::default(),
            next_request_id: AtomicU64::new(1),
        }
    }

    /// A fresh id for tracing one request.
    pub fn next_request_id(&self) -> u64 {
        self.next_request_id.fetch_add(1, Ordering::Relaxed)
    }
}
