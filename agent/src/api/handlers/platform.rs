//! Failover interfaces and smart-licensing actions (issue 14).
//!
//! `/api/failover/interfaces[/{objectId}]`: the failover view of every named interface
//! (standby address, monitoring), read from the snapshot; a PUT sends the interface's
//! `ip address ... [standby ...]` and `[no] monitor-interface`. Items exist as long as the
//! named interface does: no POST, no DELETE.
//!
//! `/api/licensing/smart/asav/{register,deregister,renewauth,renewid}`: exec commands run as
//! the caller (`license smart register idtoken <t> [force]`, `license smart deregister`,
//! `license smart renew auth|id`). `register` answers 201 whatever the token: as on an ASAv,
//! the token is checked later, and `info` tells the outcome. The other actions take no body
//! (clients send none, with `Content-Type: application/json`).
//! `GET .../smart/asav/info`: the Registration block of `show license all`, one `Key: value`
//! string per line.

use bytes::Bytes;
use cli_translator::interfaces::{self, Interface};
use cli_translator::protocol::ExecMode;
use cli_translator::resources::failover::{
    INTERFACES_COLLECTION_KIND, INTERFACES_PATH, interface_json, interface_put,
};
use cli_translator::resources::licensing::{
    ACTIVATION_KIND, ACTIVATION_PATH, activation_key, check_token,
};
use cli_translator::resources::{FieldError, FieldProblem, json_bool, json_str};
use cli_translator::running::RunningConfig;
use hyper::{Method, StatusCode};
use serde_json::{Value, json};

use super::Call;
use crate::api::error::ApiError;
use crate::api::executor;
use crate::api::json_body;
use crate::api::paging;
use crate::api::plan::Plan;
use crate::api::response::{self, ApiResponse};

/// A smart-licensing action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenseAction {
    Register,
    Deregister,
    RenewAuth,
    RenewId,
}

/// What a URL of this family names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlatformTarget {
    FailoverInterfaces,
    /// One interface, by decoded objectId.
    FailoverInterface(String),
    License(LicenseAction),
    LicenseInfo,
    /// `/api/licensing/activation`: GET (`show activation-key`), PUT (`activation-key`).
    Activation,
}

pub async fn handle(
    target: PlatformTarget,
    call: &Call<'_>,
    method: &Method,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    match (target, method) {
        (PlatformTarget::FailoverInterfaces, _) => list(call).await,
        (PlatformTarget::FailoverInterface(id), &Method::GET) => get(call, &id).await,
        (PlatformTarget::FailoverInterface(id), _) => put(call, &id, &body).await,
        (PlatformTarget::License(action), _) => license(call, action, &body).await,
        (PlatformTarget::LicenseInfo, _) => info(call).await,
        (PlatformTarget::Activation, &Method::GET) => activation(call).await,
        (PlatformTarget::Activation, _) => activate(call, &body).await,
    }
}

fn named(cfg: &RunningConfig) -> Vec<&Interface> {
    cfg.interfaces
        .iter()
        .filter(|i| i.nameif.is_some())
        .collect()
}

fn find<'c>(cfg: &'c RunningConfig, id: &str) -> Result<&'c Interface, ApiError> {
    cfg.interfaces
        .get(&interfaces::hardware_id(id))
        .filter(|i| i.nameif.is_some())
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))
}

fn item(call: &Call<'_>, cfg: &RunningConfig, iface: &Interface) -> Value {
    let link = call
        .origin
        .item_url(INTERFACES_PATH, &interfaces::object_id(&iface.hardware_id));
    interface_json(iface, &cfg.settings.failover, &link)
}

/// The canonical form an item's ETag is derived from: its JSON without links.
fn canonical(cfg: &RunningConfig, iface: &Interface) -> Vec<String> {
    vec![interface_json(iface, &cfg.settings.failover, "").to_string()]
}

async fn list(call: &Call<'_>) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let cfg = &snap.config;
    let items = named(cfg);
    Ok(paging::page(
        call,
        INTERFACES_COLLECTION_KIND,
        INTERFACES_PATH,
        &items,
        |_, i| item(call, cfg, i),
    ))
}

async fn get(call: &Call<'_>, id: &str) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let iface = find(&snap.config, id)?;
    Ok(call.preconditions.item_response(
        &item(call, &snap.config, iface),
        &canonical(&snap.config, iface),
    ))
}

async fn put(call: &Call<'_>, id: &str, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let body = Value::Object(json_body::parse_object(body)?);
    executor::execute(call, |cfg, pre| {
        let iface = find(cfg, id)?;
        pre.item(&canonical(cfg, iface))?;
        let commands = interface_put(iface, &cfg.settings.failover, &body)?;
        let location = call
            .origin
            .item_url(INTERFACES_PATH, &interfaces::object_id(&iface.hardware_id));
        let plan = Plan::updated(location);
        if commands.is_empty() {
            return Ok(plan);
        }
        Ok(plan.send(commands).reload_after())
    })
    .await
}

/// The register body: `idToken` (required) and `force`.
fn register_command(body: &[u8]) -> Result<String, ApiError> {
    let map = json_body::parse_object(body)?;
    let token = match map.get("idToken") {
        None | Some(Value::Null) => {
            return Err(ApiError::Field(FieldError::new(
                "idToken",
                FieldProblem::Missing,
            )));
        }
        Some(v) => json_str(v, "idToken")?.trim().to_owned(),
    };
    check_token(&token)?;
    let force = match map.get("force") {
        None | Some(Value::Null) => false,
        Some(v) => json_bool(v, "force")?,
    };
    Ok(format!(
        "license smart register idtoken {token}{}",
        if force { " force" } else { "" }
    ))
}

async fn license(
    call: &Call<'_>,
    action: LicenseAction,
    body: &[u8],
) -> Result<ApiResponse, ApiError> {
    let (command, status) = match action {
        LicenseAction::Register => (register_command(body)?, StatusCode::CREATED),
        LicenseAction::Deregister => (
            "license smart deregister".to_owned(),
            StatusCode::NO_CONTENT,
        ),
        LicenseAction::RenewAuth => (
            "license smart renew auth".to_owned(),
            StatusCode::NO_CONTENT,
        ),
        LicenseAction::RenewId => ("license smart renew id".to_owned(), StatusCode::NO_CONTENT),
    };
    let result = call
        .exec(ExecMode::Exec, false, vec![command.clone()])
        .await?;
    let outcome = result
        .outcomes
        .first()
        .ok_or(ApiError::LinaAnswer("no outcome for the license command"))?;
    if !outcome.ok {
        return Err(ApiError::Cli {
            command: mask_token(&command),
            output: outcome.output.clone(),
        });
    }
    Ok(response::empty(status))
}

/// The command as an error may quote it: the token masked.
fn mask_token(command: &str) -> String {
    match command.strip_prefix("license smart register idtoken ") {
        Some(rest) => {
            let force = rest.ends_with(" force");
            format!(
                "license smart register idtoken *****{}",
                if force { " force" } else { "" }
            )
        }
        None => command.to_owned(),
    }
}

/// The Registration block of `show license all`: `Key: value` lines.
pub fn registration_lines(show: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in show.lines() {
        if line.trim_end() == "Registration:" {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        if line.trim().is_empty() || !line.starts_with(' ') {
            break;
        }
        let entry = line.trim();
        if entry.contains(':') {
            out.push(entry.to_owned());
        }
    }
    out
}

async fn info(call: &Call<'_>) -> Result<ApiResponse, ApiError> {
    let result = call
        .exec(ExecMode::Exec, false, vec!["show license all".to_owned()])
        .await?;
    let outcome = result
        .outcomes
        .first()
        .ok_or(ApiError::LinaAnswer("no outcome for show license all"))?;
    if !outcome.ok {
        return Err(ApiError::Cli {
            command: "show license all".to_owned(),
            output: outcome.output.clone(),
        });
    }
    let body = json!({
        "kind": "object#SmartLicenseInfo",
        "registration": registration_lines(&outcome.output),
    });
    Ok(response::json(StatusCode::OK, &body))
}

/// Runs one exec command as the caller; its output (a refusal is LINA's error).
async fn run_one(call: &Call<'_>, command: String, shown: &str) -> Result<String, ApiError> {
    let result = call.exec(ExecMode::Exec, false, vec![command]).await?;
    let outcome = result
        .outcomes
        .first()
        .ok_or(ApiError::LinaAnswer("no outcome for the command"))?;
    if !outcome.ok {
        return Err(ApiError::Cli {
            command: shown.to_owned(),
            output: outcome.output.clone(),
        });
    }
    Ok(outcome.output.clone())
}

/// `show activation-key` as JSON.
pub fn activation_json(show: &str, self_link: &str) -> Value {
    let field = |prefix: &str| {
        show.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .map(|v| v.trim().to_owned())
    };
    let running = field("Running Permanent Activation Key:").unwrap_or_default();
    let flash = field("Flash Permanent Activation Key:").unwrap_or_else(|| running.clone());
    json!({
        "kind": ACTIVATION_KIND,
        "selfLink": self_link,
        "serialNumber": field("Serial Number:").unwrap_or_default(),
        "runningPermanentKey": running,
        "flashPermanentKey": flash,
        "reloadRequired": flash != running,
    })
}

async fn activation(call: &Call<'_>) -> Result<ApiResponse, ApiError> {
    let out = run_one(
        call,
        "show activation-key".to_owned(),
        "show activation-key",
    )
    .await?;
    Ok(response::json(
        StatusCode::OK,
        &activation_json(&out, &call.origin.url(ACTIVATION_PATH)),
    ))
}

async fn activate(call: &Call<'_>, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let map = json_body::parse_object(body)?;
    let key = match map.get("activationKey") {
        None | Some(Value::Null) => {
            return Err(ApiError::Field(FieldError::new(
                "activationKey",
                FieldProblem::Missing,
            )));
        }
        Some(v) => json_str(v, "activationKey")?,
    };
    let words: Vec<&str> = key.split_whitespace().collect();
    let key = activation_key(&words).ok_or_else(|| {
        ApiError::Field(FieldError::new(
            "activationKey",
            FieldProblem::BadValue("five words of 0x and 1 to 8 hexadecimal digits".into()),
        ))
    })?;
    run_one(call, format!("activation-key {key}"), "activation-key").await?;
    response::with_location(StatusCode::NO_CONTENT, &call.origin.url(ACTIVATION_PATH))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_activation_key_becomes_json() {
        let show = "Serial Number:  9A1\nRunning Permanent Activation Key: 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000\n\nFlash Permanent Activation Key: 0x00000001 0x00000000 0x00000000 0x00000000 0x00000000\n";
        let j = activation_json(show, "https://a/api/licensing/activation");
        assert_eq!(j["serialNumber"], "9A1");
        assert_eq!(j["reloadRequired"], true);
    }

    #[test]
    fn registration_block_becomes_key_value_lines() {
        let show = "Smart Licensing Status\n======================\n\nRegistration:\n  Status: REGISTERED\n  Smart Account: Lab\n  Export-Controlled Functionality: Allowed\n\nLicense Authorization:\n  Status: AUTHORIZED\n";
        assert_eq!(
            registration_lines(show),
            [
                "Status: REGISTERED",
                "Smart Account: Lab",
                "Export-Controlled Functionality: Allowed"
            ]
        );
    }

    #[test]
    fn register_body_needs_a_clean_token() {
        assert_eq!(
            register_command(
                br#"{"kind":"object#SmartLicenseRegId","idToken":"abc","force":true}"#
            )
            .unwrap(),
            "license smart register idtoken abc force"
        );
        assert!(register_command(br#"{"idToken":"a b"}"#).is_err());
        assert!(register_command(br#"{"force":true}"#).is_err());
        assert!(register_command(b"").is_err());
        assert_eq!(
            mask_token("license smart register idtoken abc force"),
            "license smart register idtoken ***** force"
        );
    }
}
