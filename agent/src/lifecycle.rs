//! What the daemon tells its service manager and the API log at the edges of its life:
//! `READY=1` to systemd (`Type=notify`) once the first agent process answers (or LINA keeps it
//! stopped, or its starts gave up: the daemon itself then serves 503s and `/healthz` says so),
//! `STOPPING=1` when SIGTERM or SIGINT starts the drain, and 342009 to LINA's syslog. Without
//! `NOTIFY_SOCKET` (not under systemd) the notifications are no-ops.

use std::time::Duration;

use cli_translator::protocol::LogEvent;
use sd_notify::NotifyState;
use syslog::Message;

use crate::lina_client::{LinaAddr, LinaClient};
use crate::supervisor::{AgentState, daemon_peer};

/// API log: the daemon stops (the agent with it).
pub const STOPPED: u32 = 342009;

/// How long the stop message may take to reach LINA.
const STOP_LOG_TIMEOUT: Duration = Duration::from_secs(1);

/// The `STATUS=` line systemd shows for the agent's state.
pub fn status_line(state: &AgentState) -> &'static str {
    match state {
        AgentState::Ready(_) => "REST API agent ready",
        AgentState::Disabled => "REST API agent disabled by 'no rest-api agent'",
        AgentState::GaveUp => "REST API agent failed to start (342004)",
        AgentState::Starting | AgentState::Restarting => "REST API agent starting",
        AgentState::Stopped => "stopping",
    }
}

/// Tells systemd the daemon is ready.
pub fn ready(state: &AgentState) {
    notify(&[NotifyState::Ready, NotifyState::Status(status_line(state))]);
}

/// Tells systemd the daemon is stopping and logs 342009 to LINA (bounded: a LINA that does not
/// answer does not hold up the stop).
pub async fn stopping(lina: &LinaAddr) {
    notify(&[NotifyState::Stopping, NotifyState::Status("draining")]);
    let Some(message) = Message::from_catalogue(STOPPED, &["the daemon received a stop signal"])
    else {
        return;
    };
    let event = LogEvent {
        message_id: message.id,
        level: message.level.as_u8(),
        body: message.body,
    };
    let sent = tokio::time::timeout(STOP_LOG_TIMEOUT, async {
        let (client, _) = LinaClient::connect(lina.addr, &daemon_peer(), lina.secret.as_deref())
            .await
            .ok()?;
        client.log(event).await.ok()
    })
    .await;
    if !matches!(sent, Ok(Some(()))) {
        tracing::debug!("342009 not delivered to LINA");
    }
}

fn notify(states: &[NotifyState<'_>]) {
    if let Err(e) = sd_notify::notify(states) {
        tracing::warn!("cannot notify the service manager: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_message_is_catalogued() {
        let m = Message::from_catalogue(STOPPED, &["x"]).unwrap();
        assert!(m.body.contains("stopped"), "{}", m.body);
    }

    #[test]
    fn status_lines_say_why_without_secrets() {
        assert_eq!(
            status_line(&AgentState::GaveUp),
            "REST API agent failed to start (342004)"
        );
        // Not under systemd: notifying is a no-op, not an error.
        ready(&AgentState::Starting);
    }
}
