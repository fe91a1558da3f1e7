//! Auto-created settings (`/api/mgmtaccess`, `/api/dns`, `/api/dhcp`,
//! `/api/firewall/timeouts`): GET reads the singleton from the snapshot, PUT sends the
//! commands turning it into the body's settings as one atomic batch (204 with `Location`).
//! POST, PATCH and DELETE are 405 with `Allow: GET, PUT` (the router refuses them).

use bytes::Bytes;
use cli_translator::resources::dhcp::Dhcp;
use cli_translator::resources::dns::Dns;
use cli_translator::resources::mgmt_access::MgmtAccess;
use cli_translator::resources::setting::{Setting, SettingKind};
use cli_translator::resources::timeouts::Timeouts;
use hyper::{Method, StatusCode};
use serde_json::Value;

use super::Call;
use crate::api::error::ApiError;
use crate::api::json_body;
use crate::api::response::{self, ApiResponse};

/// Dispatches to the typed handler (one line per setting).
pub async fn handle(
    kind: SettingKind,
    call: &Call<'_>,
    method: &Method,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    match kind {
        SettingKind::MgmtAccess => handle_typed::<MgmtAccess>(call, method, &body).await,
        SettingKind::Dns => handle_typed::<Dns>(call, method, &body).await,
        SettingKind::Dhcp => handle_typed::<Dhcp>(call, method, &body).await,
        SettingKind::Timeouts => handle_typed::<Timeouts>(call, method, &body).await,
    }
}

async fn handle_typed<S: Setting + Send + Sync + 'static>(
    call: &Call<'_>,
    method: &Method,
    body: &[u8],
) -> Result<ApiResponse, ApiError> {
    match *method {
        Method::GET => {
            let snap = call.snapshot().await?;
            let json = S::get(&snap.config).to_json(&call.origin.url(S::PATH));
            Ok(response::json(StatusCode::OK, &json))
        }
        // The catalogue lets only GET and PUT through.
        _ => put::<S>(call, body).await,
    }
}

async fn put<S: Setting + Send + Sync + 'static>(
    call: &Call<'_>,
    body: &[u8],
) -> Result<ApiResponse, ApiError> {
    let body = Value::Object(json_body::parse_object(body)?);
    let _serial = call.write_lock().await;
    let snap = call.snapshot().await?;
    let current = S::get(&snap.config);
    let next = S::from_json(&body, current)?;
    next.check(&snap.config)?;
    let commands = S::cli_replace(current, &next);
    drop(snap);
    let location = call.origin.url(S::PATH);
    if !commands.is_empty() {
        let result = call.configure(commands).await?;
        // The device may print the lines differently (grouped timeouts): reload after.
        call.apply_write_then_reload(result.generation, |cfg| *S::get_mut(cfg) = next);
    }
    response::with_location(StatusCode::NO_CONTENT, &location)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Routes through the catalogue and keeps this family's target.
    fn route(segs: &[&str]) -> Option<SettingKind> {
        match crate::api::router::route(&format!("/{}", segs.join("/")))
            .ok()?
            .target
        {
            crate::api::router::Target::Setting(t) => Some(t),
            _ => None,
        }
    }

    #[test]
    fn routes_exact_setting_paths_only() {
        assert_eq!(
            route(&["api", "firewall", "timeouts"]),
            Some(SettingKind::Timeouts)
        );
        assert_eq!(route(&["api", "mgmtaccess"]), Some(SettingKind::MgmtAccess));
        assert_eq!(route(&["api", "dns"]), Some(SettingKind::Dns));
        assert_eq!(route(&["api", "dhcp"]), Some(SettingKind::Dhcp));
        assert_eq!(route(&["api", "mgmtaccess", "hosts"]), None);
        assert_eq!(route(&["api", "dns", "x"]), None);
    }
}
