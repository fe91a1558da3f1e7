//! NAT rules: `/api/nat/before[/{id}]` (manual NAT, section 1), `/api/nat/auto[/{id}]` (object
//! NAT, section 2) and `/api/nat/after[/{id}]` (manual NAT `after-auto`, section 3).
//!
//! Rules are identified by their rule hash (decimal; see `cli_translator::nat::rule_hash`); an
//! object NAT rule also answers to its object's name. Reads come from the snapshot; writes are
//! planned here (`nat ... [<line>]` or `object network <name>` + ` nat ...` batches computed
//! against it, built by `cli_translator::nat::cli`) and applied by the executor. `Location` carries the (possibly re-hashed) id on POST, PUT and PATCH.

use bytes::Bytes;
use cli_translator::nat::cli as nat_cli;
use cli_translator::nat::json::{self as nat_json, NatInput};
use cli_translator::nat::rule::{Addr, MappedAddr, NatRule, Service, SvcRef};
use cli_translator::nat::{NatEntry, Section, rule_hash};
use cli_translator::resources::network_object::NetworkObject;
use cli_translator::resources::{FieldError, FieldProblem, Resource};
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

/// What a NAT URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NatTarget {
    /// `/api/nat/{section}`
    Rules(Section),
    /// `/api/nat/{section}/{id}`
    Rule(Section, String),
}

/// Answers one request on a NAT URL.
pub async fn handle(
    target: NatTarget,
    call: &Call<'_>,
    method: &Method,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    match (target, method) {
        (NatTarget::Rules(s), &Method::POST) => create(call, s, &body).await,
        (NatTarget::Rules(s), _) => list(call, s).await,
        (NatTarget::Rule(s, id), &Method::GET) => get(call, s, &id).await,
        (NatTarget::Rule(s, id), &Method::DELETE) => delete(call, s, &id).await,
        (NatTarget::Rule(s, id), m) => update(call, s, &id, &body, m == Method::PATCH).await,
    }
}

// ===== helpers =====

fn path(s: Section) -> String {
    format!("/api/nat/{}", s.segment())
}

/// The rules of a section the API shows: object rules whose object is gone are left out.
fn entries(cfg: &RunningConfig, s: Section) -> Vec<&NatEntry> {
    cfg.nat
        .section(s)
        .iter()
        .filter(|e| {
            e.object
                .as_deref()
                .is_none_or(|o| cfg.network_objects.contains(o))
        })
        .collect()
}

fn find(entries: &[&NatEntry], cfg: &RunningConfig, s: Section, id: &str) -> Option<usize> {
    let i = cfg.nat.find(s, id)?;
    let wanted = cfg.nat.section(s).get(i)?;
    entries.iter().position(|e| std::ptr::eq(*e, wanted))
}

fn rule_json(call: &Call<'_>, cfg: &RunningConfig, s: Section, e: &NatEntry, pos: usize) -> Value {
    let link = |p: &str, id: &str| call.origin.item_url(p, id);
    nat_json::to_json(
        cfg,
        s,
        e,
        pos,
        &call.origin.item_url(&path(s), &e.id.to_string()),
        &link,
    )
}

fn field(attribute: &str, why: String) -> ApiError {
    ApiError::Field(FieldError::new(attribute, FieldProblem::BadValue(why)))
}

/// `(attribute, name, is service)` of every name a rule uses.
fn named_refs(rule: &NatRule) -> Vec<(&'static str, &str, bool)> {
    let mut out = Vec::new();
    if let Some(Addr::Name(n)) = &rule.real_source {
        out.push(("originalSource", n.as_str(), false));
    }
    match &rule.mapped_source.addr {
        MappedAddr::Addr(Addr::Name(n)) => out.push(("translatedSource", n.as_str(), false)),
        MappedAddr::PatPool { pool, .. } => {
            out.push(("translatedSourcePatPool", pool.as_str(), false))
        }
        MappedAddr::Addr(_) | MappedAddr::InterfacePatPool { .. } => {}
    }
    if let Some(d) = &rule.destination {
        if let Addr::Name(n) = &d.real {
            out.push(("originalDestination", n.as_str(), false));
        }
        if let Addr::Name(n) = &d.mapped {
            out.push(("translatedDestination", n.as_str(), false));
        }
    }
    if let Some(Service::Objects { real, mapped }) = rule.service.as_deref() {
        if let SvcRef::Name(n) = real {
            out.push(("originalService", n.as_str(), true));
        }
        if let SvcRef::Name(n) = mapped {
            out.push(("translatedService", n.as_str(), true));
        }
    }
    out
}

/// The commands creating the in-line objects that do not exist yet, and those objects. An
/// existing object of that name must hold that address.
fn inline_objects(
    cfg: &RunningConfig,
    rule: &NatRule,
    inline: Vec<NetworkObject>,
) -> Result<(Vec<String>, Vec<NetworkObject>), ApiError> {
    let mut commands = Vec::new();
    let mut created = Vec::new();
    for o in inline {
        let attribute = named_refs(rule)
            .into_iter()
            .find(|(_, n, _)| *n == o.name)
            .map_or("originalSource", |(a, _, _)| a);
        match cfg.network_objects.get(&o.name) {
            Some(existing) if existing.address == o.address => {}
            Some(_) => {
                return Err(field(
                    attribute,
                    format!(
                        "the network object '{}' exists with another address: name the object instead",
                        o.name
                    ),
                ));
            }
            None if cfg.network_object_groups.contains(&o.name) => {
                return Err(field("", format!("an object group is named '{}'", o.name)));
            }
            None => {
                commands.extend(o.cli_create());
                created.push(o);
            }
        }
    }
    if !commands.is_empty() {
        // Back to configuration mode: a `nat` line typed in object mode is the object's rule.
        commands.push(nat_cli::exit_object());
    }
    Ok((commands, created))
}

/// Refuses what the snapshot shows is missing: interfaces, objects, groups (`inline` objects
/// are created by the same batch).
fn check_references(
    cfg: &RunningConfig,
    rule: &NatRule,
    object: Option<&str>,
    inline: &[NetworkObject],
) -> Result<(), ApiError> {
    let (real, mapped) = rule.interface_names();
    for (attr, n) in [("originalInterface", real), ("translatedInterface", mapped)] {
        if n != "any" && cfg.access.hardware_of(n).is_none() {
            return Err(field(
                attr,
                format!("no interface has the name (nameif) '{n}'"),
            ));
        }
    }
    if let Some(o) = object
        && !cfg.network_objects.contains(o)
    {
        return Err(field(
            "originalSource",
            format!("the network object '{o}' does not exist"),
        ));
    }
    for (attr, name, service) in named_refs(rule) {
        let found = if service {
            cfg.service_objects.contains(name) || cfg.service_groups.contains(name)
        } else {
            cfg.network_objects.contains(name)
                || cfg.network_object_groups.contains(name)
                || inline.iter().any(|o| o.name == name)
        };
        if !found {
            let what = if service {
                "service object or group"
            } else {
                "network object or group"
            };
            return Err(field(attr, format!("the {what} '{name}' does not exist")));
        }
    }
    Ok(())
}

/// The plan with a 400 on the attribute naming a reference LINA refuses.
fn blaming(mut plan: Plan, rule: &NatRule) -> Plan {
    for (attribute, name, _) in named_refs(rule) {
        plan = plan.blame(name, attribute);
    }
    plan
}

/// The canonical configuration of a rule, from which its ETag is derived.
pub fn rule_lines(s: Section, e: &NatEntry) -> Vec<String> {
    nat_cli::rule_lines(s, e.object.as_deref(), &e.rule)
}

fn read_body(body: &[u8]) -> Result<Value, ApiError> {
    Ok(Value::Object(json_body::parse_object(body)?))
}

// ===== handlers =====

async fn list(call: &Call<'_>, s: Section) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let cfg = &snap.config;
    let all = entries(cfg, s);
    let kind = nat_json::collection_kind(s);
    Ok(paging::page(call, kind, &path(s), &all, |n, e| {
        rule_json(call, cfg, s, e, n)
    }))
}

async fn get(call: &Call<'_>, s: Section, id: &str) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let cfg = &snap.config;
    let all = entries(cfg, s);
    let i = find(&all, cfg, s, id).ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    let e = all
        .get(i)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    Ok(call
        .preconditions
        .item_response(&rule_json(call, cfg, s, e, i + 1), &rule_lines(s, e)))
}

async fn create(call: &Call<'_>, s: Section, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let body = read_body(body)?;
    executor::execute(call, |cfg, _| plan_create(call, cfg, s, &body)).await
}

/// Plans adding a rule (with the in-line objects it creates).
fn plan_create(
    call: &Call<'_>,
    cfg: &RunningConfig,
    s: Section,
    body: &Value,
) -> Result<Plan, ApiError> {
    let NatInput {
        rule,
        object,
        position,
        inline,
    } = nat_json::from_json(body, s, None, cfg)?;
    let (mut commands, inline) = inline_objects(cfg, &rule, inline)?;
    check_references(cfg, &rule, object.as_deref(), &inline)?;
    let id = rule_hash(s, object.as_deref(), &rule);
    let list = cfg.nat.section(s);
    if list.iter().any(|e| e.id == id) {
        return Err(ApiError::Duplicate(id.to_string()));
    }
    let index = match &object {
        Some(o) => {
            if cfg.nat.of_object(o).is_some() {
                return Err(field(
                    "originalSource",
                    format!("the network object '{o}' already has a NAT rule"),
                ));
            }
            commands.extend(nat_cli::object_rule_lines(o, &rule));
            list.len()
        }
        None => {
            let len = list.len();
            let index = position
                .and_then(|p| usize::try_from(p).ok())
                .map_or(len, |p| (p - 1).min(len));
            let line = (index < len).then(|| u32::try_from(index + 1).unwrap_or(u32::MAX));
            commands.push(nat_cli::insert_twice_line(&rule, s, line));
            index
        }
    };
    let location = call.origin.item_url(&path(s), &id.to_string());
    let plan = blaming(Plan::created(location).send(commands), &rule);
    Ok(plan.patch(move |cfg| {
        for o in inline {
            cfg.network_objects.insert(o);
        }
        match object {
            Some(o) => cfg.nat.set_object_rule(&o, rule),
            None => cfg.nat.insert(s, index, NatEntry::new(s, None, rule)),
        }
    }))
}

async fn update(
    call: &Call<'_>,
    s: Section,
    id: &str,
    body: &[u8],
    patch: bool,
) -> Result<ApiResponse, ApiError> {
    let body = read_body(body)?;
    executor::execute(call, |cfg, pre| {
        plan_update(call, cfg, pre, s, id, &body, patch)
    })
    .await
}

/// Plans replacing (or merging into) a rule, possibly moving it within its section.
fn plan_update(
    call: &Call<'_>,
    cfg: &RunningConfig,
    pre: &Preconditions,
    s: Section,
    id: &str,
    body: &Value,
    patch: bool,
) -> Result<Plan, ApiError> {
    let list = cfg.nat.section(s);
    let i = cfg
        .nat
        .find(s, id)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    let old = list
        .get(i)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    pre.item(&rule_lines(s, old))?;
    let NatInput {
        rule,
        object,
        position,
        inline,
    } = nat_json::from_json(body, s, patch.then_some(old), cfg)?;
    let (mut commands, inline) = inline_objects(cfg, &rule, inline)?;
    if object.as_deref() != old.object.as_deref() {
        return Err(field(
            "originalSource",
            "an object NAT rule stays with its object (delete it and create another)".into(),
        ));
    }
    check_references(cfg, &rule, object.as_deref(), &inline)?;
    let len = list.len();
    let target = match &object {
        Some(_) => i,
        None => position
            .and_then(|p| usize::try_from(p).ok())
            .map_or(i, |p| (p - 1).min(len - 1)),
    };
    let new_id = rule_hash(s, object.as_deref(), &rule);
    let location = call.origin.item_url(&path(s), &new_id.to_string());
    if rule == *old.rule && target == i {
        return Ok(Plan::updated(location));
    }
    if new_id != old.id && list.iter().any(|e| e.id == new_id) {
        return Err(ApiError::Duplicate(new_id.to_string()));
    }
    match &object {
        Some(o) => commands.extend(nat_cli::object_rule_lines(o, &rule)),
        None => {
            // The line of `target` in the section once the old rule is out of it.
            let line = (target + 1 < len).then(|| u32::try_from(target + 1).unwrap_or(u32::MAX));
            commands.push(nat_cli::remove_twice_line(&old.rule, s));
            commands.push(nat_cli::insert_twice_line(&rule, s, line));
        }
    }
    let old_id = old.id;
    let plan = blaming(Plan::updated(location).send(commands), &rule);
    Ok(plan.patch(move |cfg| {
        for o in inline {
            cfg.network_objects.insert(o);
        }
        match object {
            Some(o) => cfg.nat.set_object_rule(&o, rule),
            None => {
                cfg.nat.remove(s, old_id);
                cfg.nat.insert(s, target, NatEntry::new(s, None, rule));
            }
        }
    }))
}

async fn delete(call: &Call<'_>, s: Section, id: &str) -> Result<ApiResponse, ApiError> {
    executor::execute(call, |cfg, pre| {
        let i = cfg
            .nat
            .find(s, id)
            .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
        let e = cfg
            .nat
            .section(s)
            .get(i)
            .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
        pre.item(&rule_lines(s, e))?;
        let commands = match &e.object {
            Some(o) => nat_cli::remove_object_rule_lines(o),
            None => vec![nat_cli::remove_twice_line(&e.rule, s)],
        };
        let (entry_id, object) = (e.id, e.object.clone());
        Ok(Plan::deleted()
            .send(commands)
            .patch(move |cfg| match object {
                Some(o) => cfg.nat.remove_object(&o),
                None => {
                    cfg.nat.remove(s, entry_id);
                }
            }))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Routes through the catalogue and keeps this family's target.
    fn route(segs: &[&str]) -> Option<NatTarget> {
        match crate::api::router::route(&format!("/{}", segs.join("/")))
            .ok()?
            .target
        {
            crate::api::router::Target::Nat(t) => Some(t),
            _ => None,
        }
    }
    use cli_translator::nat::rule::parse_nat_line;

    #[test]
    fn routes_every_nat_url() {
        let r = |p: &str| {
            let segs: Vec<&str> = p.trim_start_matches('/').split('/').collect();
            route(&segs)
        };
        assert_eq!(
            r("/api/nat/before"),
            Some(NatTarget::Rules(Section::Before))
        );
        assert_eq!(r("/api/nat/auto"), Some(NatTarget::Rules(Section::Auto)));
        assert_eq!(
            r("/api/nat/after/12"),
            Some(NatTarget::Rule(Section::After, "12".into()))
        );
        assert_eq!(r("/api/nat"), None);
        assert_eq!(r("/api/nat/sideways"), None);
        assert_eq!(r("/api/nat/before/1/x"), None);
    }

    #[test]
    fn references_name_their_attribute() {
        let cfg = RunningConfig::parse(
            "interface GigabitEthernet0/0\n nameif outside\nobject network lan\n subnet 10.0.0.0 255.0.0.0\n",
        );
        let rule = |t: &str| parse_nat_line(t).unwrap().rule;
        let attr = |r: NatRule| match check_references(&cfg, &r, None, &[]) {
            Err(ApiError::Field(f)) => f.attribute,
            other => format!("{other:?}"),
        };
        assert_eq!(
            attr(rule("nat (inside,outside) source static lan lan")),
            "originalInterface"
        );
        assert_eq!(
            attr(rule("nat (any,outside) source static lan ghost")),
            "translatedSource"
        );
        assert_eq!(
            attr(rule(
                "nat (any,outside) source static lan lan service svc svc"
            )),
            "originalService"
        );
        assert!(
            check_references(
                &cfg,
                &rule("nat (any,outside) source static lan lan"),
                None,
                &[]
            )
            .is_ok()
        );
        assert!(
            check_references(
                &cfg,
                &rule("nat (any,any) source static any any"),
                Some("ghost"),
                &[]
            )
            .is_err()
        );
    }
}
