//! `debug rest-api` traces: a process-wide emitter that sends a debug line to LINA (which writes
//! it to the console sessions that enabled its category and level) only when some console
//! wants that pair — LINA pushes the wanted set, so nobody formats lines nobody reads.
//!
//! The agent process and the daemon each [`install`] one on their own LINA connection; until
//! then, and in processes that never install one (tests), [`emit`] does nothing.

use std::sync::OnceLock;

use cli_translator::protocol::{DebugCategory, DebugLevel, DebugLine, DebugSet};
use tokio::sync::{mpsc, watch};

use crate::lina_client::LinaClient;

/// Lines waiting for LINA; beyond that they are dropped (debug output is lossy by design).
pub const QUEUE: usize = 1024;

/// The process's emitter.
#[derive(Debug)]
pub struct Debugger {
    wanted: watch::Receiver<DebugSet>,
    tx: mpsc::Sender<DebugLine>,
}

impl Debugger {
    /// An emitter following `wanted`; its lines come out of the returned receiver.
    pub fn new(wanted: watch::Receiver<DebugSet>) -> (Debugger, mpsc::Receiver<DebugLine>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        (Debugger { wanted, tx }, rx)
    }

    /// Whether some console wants the pair.
    pub fn wants(&self, category: DebugCategory, level: DebugLevel) -> bool {
        self.wanted.borrow().contains(category, level)
    }

    /// Queues the line if the pair is wanted (`text` is only called then).
    pub fn emit(&self, category: DebugCategory, level: DebugLevel, text: impl FnOnce() -> String) {
        if self.wants(category, level) {
            // Full queue or LINA gone: the line is dropped.
            let _ = self.tx.try_send(DebugLine {
                category,
                level,
                text: text(),
            });
        }
    }
}

static DEBUGGER: OnceLock<Debugger> = OnceLock::new();

/// Makes this process emit on `lina` (after it subscribed, so the wanted set is pushed to it).
/// The first call wins; later calls are ignored. Needs a tokio runtime.
pub fn install(lina: LinaClient) {
    if DEBUGGER.get().is_some() {
        return;
    }
    let (debugger, rx) = Debugger::new(lina.debug_filter());
    if DEBUGGER.set(debugger).is_ok() {
        tokio::spawn(forward(lina, rx));
    }
}

/// Sends the lines to LINA, in order, until the connection ends.
async fn forward(lina: LinaClient, mut rx: mpsc::Receiver<DebugLine>) {
    while let Some(line) = rx.recv().await {
        if let Err(e) = lina.debug(line).await {
            tracing::debug!("debug line not delivered: {e}");
            if lina.is_closed() {
                break;
            }
        }
    }
}

/// Emits through the installed emitter, if any.
pub fn emit(category: DebugCategory, level: DebugLevel, text: impl FnOnce() -> String) {
    if let Some(debugger) = DEBUGGER.get() {
        debugger.emit(category, level, text);
    }
}

/// `emit(category, Event, ...)`.
pub fn event(category: DebugCategory, text: impl FnOnce() -> String) {
    emit(category, DebugLevel::Event, text);
}

/// `emit(category, Error, ...)`.
pub fn error(category: DebugCategory, text: impl FnOnce() -> String) {
    emit(category, DebugLevel::Error, text);
}

/// The categories a request to `path` concerns besides `client`: `token-auth` for the token
/// service, `cli` for the CLI pass-through.
fn request_categories(path: &str) -> impl Iterator<Item = DebugCategory> {
    let second = if path.starts_with("/api/tokenservices") {
        Some(DebugCategory::TokenAuth)
    } else if path == "/api/cli" {
        Some(DebugCategory::Cli)
    } else {
        None
    };
    std::iter::once(DebugCategory::Client).chain(second)
}

/// A request arrived from the front-end (`path` with any token already hidden).
pub fn request_received(method: &hyper::Method, path: &str) {
    for category in request_categories(path) {
        event(category, || format!("{method} {path} received"));
    }
}

/// A request was answered; `refusal` is the error code when it failed (the `error` level).
pub fn request_answered(method: &hyper::Method, path: &str, status: u16, refusal: Option<&str>) {
    for category in request_categories(path) {
        match refusal {
            Some(code) => error(category, || {
                format!("{method} {path} answered {status} {code}")
            }),
            None => event(category, || format!("{method} {path} answered {status}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emits_only_wanted_pairs_and_formats_lazily() {
        let (set_tx, set_rx) = watch::channel(DebugSet::EMPTY);
        let (debugger, mut rx) = Debugger::new(set_rx);
        let mut formatted = false;
        debugger.emit(DebugCategory::Client, DebugLevel::Event, || {
            formatted = true;
            "GET /api".into()
        });
        assert!(!formatted, "nobody wants it: not even formatted");
        assert!(rx.try_recv().is_err());

        let mut wanted = DebugSet::EMPTY;
        wanted.insert(DebugCategory::Client, DebugLevel::Event);
        set_tx.send_replace(wanted);
        debugger.emit(DebugCategory::Client, DebugLevel::Event, || {
            "GET /api".into()
        });
        debugger.emit(DebugCategory::Client, DebugLevel::Error, || "500".into());
        assert_eq!(
            rx.try_recv().ok(),
            Some(DebugLine {
                category: DebugCategory::Client,
                level: DebugLevel::Event,
                text: "GET /api".into(),
            })
        );
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn a_full_queue_drops_lines_instead_of_blocking() {
        let (_set_tx, set_rx) = watch::channel(DebugSet::all());
        let (debugger, mut rx) = Debugger::new(set_rx);
        for i in 0..QUEUE + 10 {
            debugger.emit(DebugCategory::Agent, DebugLevel::Event, || i.to_string());
        }
        let mut n = 0;
        while rx.try_recv().is_ok() {
            n += 1;
        }
        assert_eq!(n, QUEUE);
    }

    #[test]
    fn token_and_cli_requests_also_trace_their_own_category() {
        assert_eq!(
            request_categories("/api/tokenservices/<token>").collect::<Vec<_>>(),
            [DebugCategory::Client, DebugCategory::TokenAuth]
        );
        assert_eq!(
            request_categories("/api/cli").collect::<Vec<_>>(),
            [DebugCategory::Client, DebugCategory::Cli]
        );
        assert_eq!(
            request_categories("/api/objects/networkobjects").collect::<Vec<_>>(),
            [DebugCategory::Client]
        );
    }

    #[test]
    fn emit_without_an_installed_debugger_does_nothing() {
        // In the test process nobody installs one.
        emit(DebugCategory::Agent, DebugLevel::Error, || {
            unreachable!("not formatted when no debugger is installed")
        });
    }
}
