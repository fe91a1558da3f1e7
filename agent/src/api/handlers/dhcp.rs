//! DHCP in Cisco's shapes (`cli_translator::resources::dhcp`): the server of every named
//! interface (`/api/dhcp/servers[/{nameif}]`: GET, PUT and PATCH, 204 with `Location`; it
//! exists with the interface's nameif, so POST and DELETE are 405), interface-specific relay
//! servers (`/api/dhcp/relay/servers/local[/{nameif}]`: list, create, read, replace, delete)
//! and the relay's global settings (`/api/dhcp/relay/servers/globalsettings`: GET, PUT).

use bytes::Bytes;
use cli_translator::resources::dhcp::{self, Dhcp};
use cli_translator::resources::{FieldError, FieldProblem};
use cli_translator::running::RunningConfig;
use hyper::Method;
use serde_json::Value;

use super::Call;
use crate::api::error::ApiError;
use crate::api::executor;
use crate::api::json_body;
use crate::api::paging;
use crate::api::plan::{Plan, Preconditions};
use crate::api::response::ApiResponse;

/// What a DHCP URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DhcpTarget {
    Servers,
    Server(String),
    RelayLocal,
    RelayLocalItem(String),
    RelayGlobal,
}

pub async fn handle(
    target: DhcpTarget,
    call: &Call<'_>,
    method: &Method,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    match (target, method) {
        (DhcpTarget::Servers, _) => list_servers(call).await,
        (DhcpTarget::Server(n), &Method::GET) => get_server(call, &n).await,
        (DhcpTarget::Server(n), m) => {
            let body = read_body(&body)?;
            let patch = *m == Method::PATCH;
            executor::execute(call, |cfg, pre| {
                plan_server(call, cfg, pre, &n, &body, patch)
            })
            .await
        }
        (DhcpTarget::RelayLocal, &Method::POST) => {
            let body = read_body(&body)?;
            executor::execute(call, |cfg, _| plan_relay(call, cfg, None, &body)).await
        }
        (DhcpTarget::RelayLocal, _) => list_relays(call).await,
        (DhcpTarget::RelayLocalItem(n), &Method::GET) => get_relay(call, &n).await,
        (DhcpTarget::RelayLocalItem(n), &Method::DELETE) => {
            executor::execute(call, |cfg, pre| plan_relay_delete(cfg, pre, &n)).await
        }
        (DhcpTarget::RelayLocalItem(n), _) => {
            let body = read_body(&body)?;
            executor::execute(call, |cfg, pre| {
                pre.item(&relay_lines(cfg, &n))?;
                plan_relay(call, cfg, Some(&n), &body)
            })
            .await
        }
        (DhcpTarget::RelayGlobal, &Method::GET) => {
            let snap = call.snapshot().await?;
            let json = dhcp::relay_global_json(
                &snap.config.settings.dhcp,
                &call.origin.url(dhcp::RELAY_GLOBAL_PATH),
            );
            Ok(call.preconditions.item_response(&json, &[json.to_string()]))
        }
        (DhcpTarget::RelayGlobal, _) => {
            let body = read_body(&body)?;
            executor::execute(call, |cfg, pre| plan_relay_global(call, cfg, pre, &body)).await
        }
    }
}

fn read_body(body: &[u8]) -> Result<Value, ApiError> {
    Ok(Value::Object(json_body::parse_object(body)?))
}

fn not_found(n: &str) -> ApiError {
    ApiError::ObjectNotFound(n.to_owned())
}

fn server_link(call: &Call<'_>, nameif: &str) -> String {
    call.origin.item_url(dhcp::SERVERS_PATH, nameif)
}

fn server_json(call: &Call<'_>, cfg: &RunningConfig, nameif: &str, hw: &str) -> Value {
    dhcp::server_json(
        &cfg.settings.dhcp,
        nameif,
        Some(hw),
        &server_link(call, nameif),
    )
}

/// The canonical form of a server (its ETag).
fn server_lines(cfg: &RunningConfig, nameif: &str) -> Vec<String> {
    vec![dhcp::server_json(&cfg.settings.dhcp, nameif, None, "").to_string()]
}

async fn list_servers(call: &Call<'_>) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let cfg = &snap.config;
    let named = &cfg.access.interfaces;
    Ok(paging::page(
        call,
        dhcp::SERVERS_COLLECTION_KIND,
        dhcp::SERVERS_PATH,
        named,
        |_, (n, hw)| server_json(call, cfg, n, hw),
    ))
}

async fn get_server(call: &Call<'_>, nameif: &str) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let cfg = &snap.config;
    let hw = cfg
        .access
        .hardware_of(nameif)
        .ok_or_else(|| not_found(nameif))?;
    Ok(call.preconditions.item_response(
        &server_json(call, cfg, nameif, hw),
        &server_lines(cfg, nameif),
    ))
}

fn plan_server(
    call: &Call<'_>,
    cfg: &RunningConfig,
    pre: &Preconditions,
    nameif: &str,
    body: &Value,
    patch: bool,
) -> Result<Plan, ApiError> {
    if cfg.access.hardware_of(nameif).is_none() {
        return Err(not_found(nameif));
    }
    pre.item(&server_lines(cfg, nameif))?;
    let current = cfg.settings.dhcp.own(nameif);
    let base = if patch {
        current.clone()
    } else {
        dhcp::ServerSettings::default()
    };
    let next = dhcp::server_from_json(body, nameif, &base)?;
    dhcp::check_server(cfg, nameif, &next)?;
    let commands = dhcp::server_cli(nameif, &current, &next);
    let plan = Plan::updated(server_link(call, nameif));
    if commands.is_empty() {
        return Ok(plan);
    }
    let nameif = nameif.to_owned();
    Ok(plan
        .send(commands)
        .patch(move |cfg| set_server(&mut cfg.settings.dhcp, &nameif, next))
        .reload_after())
}

fn set_server(d: &mut Dhcp, nameif: &str, s: dhcp::ServerSettings) {
    match d.servers.iter_mut().find(|(n, _)| n == nameif) {
        Some(slot) => slot.1 = s,
        None => d.servers.push((nameif.to_owned(), s)),
    }
}

fn relay_link(call: &Call<'_>, nameif: &str) -> String {
    call.origin.item_url(dhcp::RELAY_LOCAL_PATH, nameif)
}

fn relay_lines(cfg: &RunningConfig, nameif: &str) -> Vec<String> {
    cfg.settings
        .dhcp
        .relay_servers(nameif)
        .map(|s| {
            s.iter()
                .map(|ip| format!("dhcprelay server {ip}"))
                .collect()
        })
        .unwrap_or_default()
}

async fn list_relays(call: &Call<'_>) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let items = &snap.config.settings.dhcp.relay_local;
    Ok(paging::page(
        call,
        dhcp::RELAY_LOCAL_COLLECTION_KIND,
        dhcp::RELAY_LOCAL_PATH,
        items,
        |_, (n, s)| dhcp::relay_local_json(n, s, &relay_link(call, n)),
    ))
}

async fn get_relay(call: &Call<'_>, nameif: &str) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let cfg = &snap.config;
    let servers = cfg
        .settings
        .dhcp
        .relay_servers(nameif)
        .ok_or_else(|| not_found(nameif))?;
    Ok(call.preconditions.item_response(
        &dhcp::relay_local_json(nameif, servers, &relay_link(call, nameif)),
        &relay_lines(cfg, nameif),
    ))
}

/// POST (`url` = None: the item must not exist) or PUT (it must).
fn plan_relay(
    call: &Call<'_>,
    cfg: &RunningConfig,
    url: Option<&str>,
    body: &Value,
) -> Result<Plan, ApiError> {
    let (nameif, servers) = dhcp::relay_local_from_json(body, url)?;
    let hw = cfg.access.hardware_of(&nameif).ok_or_else(|| match url {
        Some(u) => not_found(u),
        None => ApiError::Field(FieldError::new(
            "interface",
            FieldProblem::BadValue(format!("no interface is named '{nameif}'")),
        )),
    })?;
    let current = cfg.settings.dhcp.relay_servers(&nameif).cloned();
    let plan = match (url, &current) {
        (None, Some(_)) => return Err(ApiError::Duplicate(nameif)),
        (None, None) => Plan::created(relay_link(call, &nameif)),
        (Some(u), None) => return Err(not_found(u)),
        (Some(_), Some(_)) => Plan::updated(relay_link(call, &nameif)),
    };
    let commands = dhcp::relay_local_cli(hw, current.as_deref().unwrap_or_default(), &servers);
    if commands.is_empty() {
        return Ok(plan);
    }
    Ok(plan
        .send(commands)
        .patch(move |cfg| set_relay(&mut cfg.settings.dhcp, &nameif, servers)))
}

fn set_relay(d: &mut Dhcp, nameif: &str, servers: Vec<std::net::Ipv4Addr>) {
    d.relay_local.retain(|(n, _)| n != nameif);
    if !servers.is_empty() {
        d.relay_local.push((nameif.to_owned(), servers));
    }
}

fn plan_relay_delete(
    cfg: &RunningConfig,
    pre: &Preconditions,
    nameif: &str,
) -> Result<Plan, ApiError> {
    let current = cfg
        .settings
        .dhcp
        .relay_servers(nameif)
        .ok_or_else(|| not_found(nameif))?;
    pre.item(&relay_lines(cfg, nameif))?;
    let hw = cfg
        .access
        .hardware_of(nameif)
        .ok_or_else(|| not_found(nameif))?;
    let commands = dhcp::relay_local_cli(hw, current, &[]);
    let nameif = nameif.to_owned();
    Ok(Plan::deleted()
        .send(commands)
        .patch(move |cfg| set_relay(&mut cfg.settings.dhcp, &nameif, Vec::new())))
}

fn plan_relay_global(
    call: &Call<'_>,
    cfg: &RunningConfig,
    pre: &Preconditions,
    body: &Value,
) -> Result<Plan, ApiError> {
    let current = &cfg.settings.dhcp;
    let link = call.origin.url(dhcp::RELAY_GLOBAL_PATH);
    pre.item(&[dhcp::relay_global_json(current, &link).to_string()])?;
    let next = dhcp::relay_global_from_json(body, current)?;
    let commands = dhcp::relay_global_cli(current, &next);
    let plan = Plan::updated(link);
    if commands.is_empty() {
        return Ok(plan);
    }
    Ok(plan
        .send(commands)
        .patch(move |cfg| cfg.settings.dhcp = next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(p: &str) -> Option<DhcpTarget> {
        match crate::api::router::route(p).ok()?.target {
            crate::api::router::Target::Dhcp(t) => Some(t),
            _ => None,
        }
    }

    #[test]
    fn routes_cisco_dhcp_urls() {
        assert_eq!(route("/api/dhcp/servers"), Some(DhcpTarget::Servers));
        assert_eq!(
            route("/api/dhcp/servers/inside"),
            Some(DhcpTarget::Server("inside".into()))
        );
        assert_eq!(
            route("/api/dhcp/relay/servers/local"),
            Some(DhcpTarget::RelayLocal)
        );
        assert_eq!(
            route("/api/dhcp/relay/servers/local/inside"),
            Some(DhcpTarget::RelayLocalItem("inside".into()))
        );
        assert_eq!(
            route("/api/dhcp/relay/servers/globalsettings"),
            Some(DhcpTarget::RelayGlobal)
        );
        assert_eq!(route("/api/dhcp"), None);
    }
}
