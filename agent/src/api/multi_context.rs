//! Multiple-context mode: what the API serves when LINA runs security contexts.
//!
//! Cisco: "Multi-context mode support is limited to the Generic CLI Command Executer API,
//! Token Authentication API and monitoring." Every other URL answers 400 with a message that
//! says so. The agent learns the mode from LINA's `HelloAck`; a mode switch restarts the
//! agent (LINA pushes a `Restart` control), so the mode never changes under a running agent.

use cli_translator::protocol::ContextMode;

use super::catalogue::Endpoint;
use super::error::ApiError;

/// Refuses a request multiple-context mode does not serve (the catalogue says which).
pub fn check(mode: ContextMode, endpoint: &Endpoint) -> Result<(), ApiError> {
    match mode {
        ContextMode::Single => Ok(()),
        ContextMode::Multiple if endpoint.multi_context => Ok(()),
        ContextMode::Multiple => Err(ApiError::NotInMultipleContextMode),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::router::route;

    fn verdict(mode: ContextMode, path: &str) -> Result<(), ApiError> {
        let routed = route(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        check(mode, routed.endpoint)
    }

    #[test]
    fn single_mode_serves_everything() {
        for path in [
            "/api/objects/networkobjects",
            "/api/cli",
            "/api/commands/writemem",
        ] {
            assert!(verdict(ContextMode::Single, path).is_ok(), "{path}");
        }
    }

    #[test]
    fn multiple_mode_serves_cli_tokens_and_monitoring_only() {
        for path in [
            "/api/cli",
            "/api/tokenservices",
            "/api/tokenservices/abc",
            "/api/monitoring/serialnumber",
        ] {
            assert!(verdict(ContextMode::Multiple, path).is_ok(), "{path}");
        }
        for path in [
            "/api/objects/networkobjects",
            "/api/objects/networkobjects/web",
            "/api/commands/writemem",
            "/api/access/in",
        ] {
            let e = verdict(ContextMode::Multiple, path).unwrap_err();
            assert_eq!(e.status().as_u16(), 400, "{path}");
            assert_eq!(e.code(), "NOT-SUPPORTED-IN-MULTIPLE-CONTEXT-MODE");
            assert!(e.to_string().contains("multiple-context mode"), "{e}");
        }
    }
}
