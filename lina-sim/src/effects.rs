//! Performs the engine's effects: writes the startup configuration and sends syslog lines.
//! One task, so writes happen in the order the engine asked for them.

use std::collections::HashMap;
use std::net::SocketAddr;

use syslog::{TcpConfig, TcpSender, UdpSender};
use tokio::sync::mpsc;

use crate::engine::logging::SyslogHealth;
use crate::engine::{Effect, SyslogTransport};
use crate::shared::Job;
use crate::state_dir::StateDir;

enum Sender {
    Udp(UdpSender),
    Tcp(TcpSender),
}

/// Tells the waiting answer how a file write ended.
fn report(
    done: Option<tokio::sync::oneshot::Sender<Result<(), String>>>,
    result: Result<(), String>,
) {
    if let Some(done) = done {
        // The connection that waited may be gone: nobody left to tell.
        let _ = done.send(result);
    }
}

/// The outcome of a blocking write as the waiting answer sees it.
fn outcome(result: Result<std::io::Result<()>, tokio::task::JoinError>) -> Result<(), String> {
    match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(format!("file writer stopped: {e}")),
    }
}

/// Runs until the channel closes. Each file write is on disk (written, synced, renamed, its
/// directory synced) before the job's `done` is told. Every TCP syslog sender made is
/// recorded in `health` for the engine to read.
pub async fn run(mut rx: mpsc::UnboundedReceiver<Job>, state: StateDir, health: SyslogHealth) {
    // Each sender with the `logging queue` it was made for: a new queue size makes a new one.
    let mut senders: HashMap<(SyslogTransport, SocketAddr), (Sender, usize)> = HashMap::new();
    while let Some(Job { effect: fx, done }) = rx.recv().await {
        match fx {
            Effect::WriteStartup(text) => {
                let state = state.clone();
                let result =
                    outcome(tokio::task::spawn_blocking(move || state.write_startup(&text)).await);
                match &result {
                    Ok(()) => tracing::info!("startup configuration written"),
                    Err(e) => {
                        tracing::error!(error = %e, "writing the startup configuration failed")
                    }
                }
                report(done, result);
            }
            Effect::Syslog {
                transport,
                target,
                line,
                queue,
            } => {
                let key = (transport, target);
                let stale = senders
                    .get(&key)
                    .is_some_and(|(_, q)| transport == SyslogTransport::Tcp && *q != queue);
                if stale {
                    senders.remove(&key);
                }
                let sender = match senders.entry(key) {
                    std::collections::hash_map::Entry::Occupied(o) => &mut o.into_mut().0,
                    std::collections::hash_map::Entry::Vacant(v) => {
                        let made = match transport {
                            SyslogTransport::Udp => UdpSender::new(target).map(Sender::Udp),
                            SyslogTransport::Tcp => {
                                let config = TcpConfig {
                                    queue,
                                    ..TcpConfig::default()
                                };
                                TcpSender::spawn(target, config).map(|s| {
                                    health
                                        .lock()
                                        .unwrap_or_else(|e| e.into_inner())
                                        .insert(target, s.health());
                                    Sender::Tcp(s)
                                })
                            }
                        };
                        match made {
                            Ok(s) => &mut v.insert((s, queue)).0,
                            Err(e) => {
                                tracing::warn!(%target, error = %e, "syslog sender unavailable");
                                continue;
                            }
                        }
                    }
                };
                match sender {
                    Sender::Udp(s) => s.send(line),
                    Sender::Tcp(s) => s.send(line),
                }
            }
            Effect::WriteDisk { file, text } => {
                let path = state.disk0().join(&file);
                let result = outcome(
                    tokio::task::spawn_blocking(move || {
                        crate::state_dir::write_atomic(&path, text.as_bytes(), false)
                    })
                    .await,
                );
                match &result {
                    Ok(()) => tracing::info!(%file, "disk0: file written"),
                    Err(e) => tracing::error!(%file, error = %e, "writing a disk0: file failed"),
                }
                report(done, result);
            }
            Effect::WriteFlash { name, bytes } => {
                let path = state.disk0().join(&name);
                let result = outcome(
                    tokio::task::spawn_blocking(move || {
                        crate::state_dir::write_atomic(&path, &bytes, false)
                    })
                    .await,
                );
                match &result {
                    Ok(()) => tracing::info!(file = %name, "backup written to disk0:"),
                    Err(e) => tracing::error!(file = %name, error = %e, "writing a backup failed"),
                }
                report(done, result);
            }
            Effect::WriteKeyStore(text) => {
                let state = state.clone();
                let result = outcome(
                    tokio::task::spawn_blocking(move || state.write_key_store(&text)).await,
                );
                if let Err(e) = &result {
                    tracing::error!(error = %e, "writing the key store failed");
                }
                report(done, result);
            }
            // Pushed by the core under its lock, never queued here.
            Effect::GenerationChanged(_) | Effect::AgentControl(_) | Effect::Debug(_) => {}
        }
    }
}
