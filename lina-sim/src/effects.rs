//! Performs the engine's effects: writes the startup configuration and sends syslog lines.
//! One task, so writes happen in the order the engine asked for them.

use std::collections::HashMap;
use std::net::SocketAddr;

use syslog::{TcpSender, UdpSender};
use tokio::sync::mpsc;

use crate::engine::{Effect, SyslogTransport};
use crate::state_dir::StateDir;

enum Sender {
    Udp(UdpSender),
    Tcp(TcpSender),
}

/// Runs until the channel closes.
pub async fn run(mut rx: mpsc::UnboundedReceiver<Effect>, state: StateDir) {
    let mut senders: HashMap<(SyslogTransport, SocketAddr), Sender> = HashMap::new();
    while let Some(fx) = rx.recv().await {
        match fx {
            Effect::WriteStartup(text) => {
                let state = state.clone();
                let result = tokio::task::spawn_blocking(move || state.write_startup(&text)).await;
                match result {
                    Ok(Ok(())) => tracing::info!("startup configuration written"),
                    Ok(Err(e)) => {
                        tracing::error!(error = %e, "writing the startup configuration failed")
                    }
                    Err(e) => tracing::error!(error = %e, "startup configuration writer stopped"),
                }
            }
            Effect::Syslog {
                transport,
                target,
                line,
            } => {
                let sender = match senders.entry((transport, target)) {
                    std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        let made = match transport {
                            SyslogTransport::Udp => UdpSender::new(target).map(Sender::Udp),
                            SyslogTransport::Tcp => TcpSender::new(target).map(Sender::Tcp),
                        };
                        match made {
                            Ok(s) => v.insert(s),
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
                let result = tokio::task::spawn_blocking(move || {
                    crate::state_dir::write_atomic(&path, text.as_bytes(), false)
                })
                .await;
                match result {
                    Ok(Ok(())) => tracing::info!(%file, "disk0: file written"),
                    Ok(Err(e)) => {
                        tracing::error!(%file, error = %e, "writing a disk0: file failed")
                    }
                    Err(e) => tracing::error!(error = %e, "disk0: writer stopped"),
                }
            }
            Effect::WriteFlash { name, bytes } => {
                let path = state.disk0().join(&name);
                let result = tokio::task::spawn_blocking(move || {
                    crate::state_dir::write_atomic(&path, &bytes, false)
                })
                .await;
                match result {
                    Ok(Ok(())) => tracing::info!(file = %name, "backup written to disk0:"),
                    Ok(Err(e)) => {
                        tracing::error!(file = %name, error = %e, "writing a backup failed")
                    }
                    Err(e) => tracing::error!(error = %e, "disk0: writer stopped"),
                }
            }
            // Pushed by the core under its lock, never queued here.
            Effect::GenerationChanged(_) | Effect::AgentControl(_) | Effect::Debug(_) => {}
        }
    }
}
