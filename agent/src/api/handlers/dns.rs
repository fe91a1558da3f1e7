//! The DNS client in the shapes a public client sends (`cli_translator::resources::dns_client`):
//! `/api/dns/client` (GET, PUT, PATCH) and `/api/dns/client/servergroups[/{name}]` (list,
//! create, read, replace, merge, delete; `DefaultDNS` cannot be deleted). Views of the same
//! configuration as `/api/dns`.

use bytes::Bytes;
use cli_translator::resources::dns::Dns;
use cli_translator::resources::dns_client as dc;
use cli_translator::resources::{FieldError, FieldProblem};
use cli_translator::running::RunningConfig;
use hyper::Method;
use serde_json::Value;

use super::Call;
use crate::api::error::ApiError;
use crate::api::executor;
use crate::api::json_body;
use crate::api::paging;
use crate::api::plan::Plan;
use crate::api::response::ApiResponse;

/// What a DNS client URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsTarget {
    Client,
    Groups,
    Group(String),
}

pub async fn handle(
    target: DnsTarget,
    call: &Call<'_>,
    method: &Method,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    match (target, method) {
        (DnsTarget::Client, &Method::GET) => {
            let snap = call.snapshot().await?;
            let json =
                dc::client_json(&snap.config.settings.dns, &call.origin.url(dc::CLIENT_PATH));
            Ok(call.preconditions.item_response(&json, &[json.to_string()]))
        }
        (DnsTarget::Client, _) => {
            let body = read_body(&body)?;
            executor::execute(call, |cfg, pre| {
                let link = call.origin.url(dc::CLIENT_PATH);
                pre.item(&[dc::client_json(&cfg.settings.dns, &link).to_string()])?;
                let next = dc::client_from_json(&body, &cfg.settings.dns)?;
                plan_dns(cfg, next, Plan::updated(link))
            })
            .await
        }
        (DnsTarget::Groups, &Method::POST) => {
            let body = read_body(&body)?;
            executor::execute(call, |cfg, _| {
                let dns = &cfg.settings.dns;
                let next = dc::group_from_json(&body, None, dns, false)?;
                let name = body
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                if dns.groups.iter().any(|g| g.name == name) {
                    return Err(ApiError::Duplicate(name));
                }
                plan_dns(cfg, next, Plan::created(group_link(call, &name)))
            })
            .await
        }
        (DnsTarget::Groups, _) => {
            let snap = call.snapshot().await?;
            let groups = &dc::groups(&snap.config.settings.dns);
            Ok(paging::page(
                call,
                dc::GROUPS_COLLECTION_KIND,
                dc::GROUPS_PATH,
                groups,
                |_, g| dc::group_json(g, &group_link(call, &g.name)),
            ))
        }
        (DnsTarget::Group(name), &Method::GET) => {
            let snap = call.snapshot().await?;
            let all = dc::groups(&snap.config.settings.dns);
            let g = all
                .iter()
                .find(|g| g.name == name)
                .ok_or_else(|| ApiError::ObjectNotFound(name.clone()))?;
            let json = dc::group_json(g, &group_link(call, &name));
            Ok(call
                .preconditions
                .item_response(&json, &group_lines(&snap.config, &name)))
        }
        (DnsTarget::Group(name), &Method::DELETE) => {
            executor::execute(call, |cfg, pre| {
                exists(cfg, &name)?;
                pre.item(&group_lines(cfg, &name))?;
                if let Some(why) = dc::refuse_delete(&name) {
                    return Err(ApiError::Field(FieldError::new(
                        "name",
                        FieldProblem::BadValue(why.to_owned()),
                    )));
                }
                let mut next = cfg.settings.dns.clone();
                next.groups.retain(|g| g.name != name);
                plan_dns(cfg, next, Plan::deleted())
            })
            .await
        }
        (DnsTarget::Group(name), m) => {
            let body = read_body(&body)?;
            let patch = *m == Method::PATCH;
            executor::execute(call, |cfg, pre| {
                exists(cfg, &name)?;
                pre.item(&group_lines(cfg, &name))?;
                let next = dc::group_from_json(&body, Some(&name), &cfg.settings.dns, patch)?;
                plan_dns(cfg, next, Plan::updated(group_link(call, &name)))
            })
            .await
        }
    }
}

fn read_body(body: &[u8]) -> Result<Value, ApiError> {
    Ok(Value::Object(json_body::parse_object(body)?))
}

fn group_link(call: &Call<'_>, name: &str) -> String {
    call.origin.item_url(dc::GROUPS_PATH, name)
}

fn exists(cfg: &RunningConfig, name: &str) -> Result<(), ApiError> {
    if dc::groups(&cfg.settings.dns).iter().any(|g| g.name == name) {
        Ok(())
    } else {
        Err(ApiError::ObjectNotFound(name.to_owned()))
    }
}

/// The canonical form of a group (its ETag).
fn group_lines(cfg: &RunningConfig, name: &str) -> Vec<String> {
    dc::groups(&cfg.settings.dns)
        .iter()
        .find(|g| g.name == name)
        .map(|g| vec![dc::group_json(g, "").to_string()])
        .unwrap_or_default()
}

/// The commands turning the DNS configuration into `next`, checked against the interfaces.
fn plan_dns(cfg: &RunningConfig, next: Dns, plan: Plan) -> Result<Plan, ApiError> {
    next.check(cfg)?;
    let commands = Dns::cli_replace(&cfg.settings.dns, &next);
    if commands.is_empty() {
        return Ok(plan);
    }
    Ok(plan
        .send(commands)
        .patch(move |cfg| cfg.settings.dns = next)
        .reload_after())
}
