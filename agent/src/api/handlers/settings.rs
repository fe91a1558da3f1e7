//! Auto-created settings (`/api/mgmtaccess`, `/api/dns`, `/api/firewall/timeouts`,
//! `/api/aaa/authentication`, `/api/aaa/authorization`): GET reads the singleton from the snapshot, PUT sends the
//! commands turning it into the body's settings as one atomic batch (204 with `Location`).
//! POST, PATCH and DELETE are 405 with `Allow: GET, PUT` (the router refuses them).

use bytes::Bytes;
use cli_translator::resources::aaa::{AaaAuthentication, AaaAuthorization};
use cli_translator::resources::dns::Dns;
use cli_translator::resources::mgmt_access::MgmtAccess;
use cli_translator::resources::setting::{Setting, SettingKind};
use cli_translator::resources::timeouts::Timeouts;
// issue 14: logging, failover, licensing
use cli_translator::resources::failover::FailoverSetup;
use cli_translator::resources::licensing::{SharedLicense, SmartLicense};
use cli_translator::resources::logging::{
    SyslogConfig, SyslogConfigSettings, SyslogServerSettings,
};
use cli_translator::resources::netflow::NetFlow;
use cli_translator::running::RunningConfig;
use hyper::Method;
use serde_json::Value;

use super::Call;
use crate::api::error::ApiError;
use crate::api::executor;
use crate::api::json_body;
use crate::api::plan::{Plan, Preconditions};
use crate::api::response::ApiResponse;

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
        SettingKind::Timeouts => handle_typed::<Timeouts>(call, method, &body).await,
        // issue 14: logging, failover, licensing
        SettingKind::FailoverSetup => handle_typed::<FailoverSetup>(call, method, &body).await,
        SettingKind::SmartLicense => handle_typed::<SmartLicense>(call, method, &body).await,
        SettingKind::SyslogServerSettings => {
            handle_typed::<SyslogServerSettings>(call, method, &body).await
        }
        SettingKind::SyslogConfigSettings => {
            handle_typed::<SyslogConfigSettings>(call, method, &body).await
        }
        SettingKind::SyslogConfig => handle_typed::<SyslogConfig>(call, method, &body).await,
        SettingKind::NetFlow => handle_typed::<NetFlow>(call, method, &body).await,
        SettingKind::SharedLicense => handle_typed::<SharedLicense>(call, method, &body).await,
        // issue 14: AAA
        SettingKind::AaaAuthentication => {
            handle_typed::<AaaAuthentication>(call, method, &body).await
        }
        SettingKind::AaaAuthorization => {
            handle_typed::<AaaAuthorization>(call, method, &body).await
        }
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
            let setting = S::get(&snap.config);
            let json = setting.to_json(&call.origin.url(S::PATH));
            Ok(call
                .preconditions
                .item_response(&json, &canonical_lines(setting)))
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
    let location = call.origin.url(S::PATH);
    executor::execute(call, |cfg, pre| plan_put::<S>(cfg, pre, &body, &location)).await
}

/// Plans turning the setting into the body's: the commands for what changes. The device may
/// print the lines differently (grouped timeouts), so the snapshot is reloaded after.
pub fn plan_put<S: Setting + Send + Sync + 'static>(
    cfg: &RunningConfig,
    pre: &Preconditions,
    body: &Value,
    location: &str,
) -> Result<Plan, ApiError> {
    let current = S::get(cfg);
    pre.item(&canonical_lines(current))?;
    let next = S::from_json(body, current)?;
    next.check(cfg)?;
    let commands = S::cli_replace(current, &next);
    let plan = Plan::updated(location.to_owned());
    if commands.is_empty() {
        return Ok(plan);
    }
    Ok(plan
        .send(commands)
        .patch(move |cfg| *S::get_mut(cfg) = next)
        .reload_after())
}

/// The canonical form of a setting, from which its ETag is derived: its JSON (a setting has
/// no one "create" command; its JSON holds every attribute the configuration sets).
pub fn canonical_lines<S: Setting>(setting: &S) -> Vec<String> {
    vec![setting.to_json("").to_string()]
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
        assert_eq!(route(&["api", "dhcp"]), None);
        assert_eq!(route(&["api", "mgmtaccess", "hosts"]), None);
        assert_eq!(route(&["api", "dns", "x"]), None);
    }
}
