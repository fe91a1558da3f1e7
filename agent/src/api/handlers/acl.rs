//! Extended ACLs, their entries, access rules and access groups:
//! `/api/objects/extendedacls[/{acl}[/aces[/{id}]]]`, `/api/access/{in,out}[/{nameif}[/rules[/{id}]]]`
//! and `/api/access/global[/rules[/{id}]]`.
//!
//! Entries are identified by their rule hash (decimal). Reads come from the snapshot; writes
//! are planned here (`access-list ... line N ...` batches computed against it, built by
//! `cli_translator::acl::cli`) and applied by the executor, which patches it in place. The
//! first rule of an interface or of the global policy creates its list (named as ASDM names
//! it) and the access group; the last one removes the access group.

use bytes::Bytes;
use cli_translator::acl::ace::{self, Ace, references, rule_hash};
use cli_translator::acl::cli as acl_cli;
use cli_translator::acl::group::{AccessGroup, Binding, Direction};
use cli_translator::acl::json::{self as ace_json, AceInput};
use cli_translator::acl::{AccessList, AclEntry};
use cli_translator::resources::{FieldError, FieldProblem};
use cli_translator::running::RunningConfig;
use hyper::{Method, StatusCode};
use serde_json::{Value, json};

use super::Call;
use crate::api::error::ApiError;
use crate::api::executor;
use crate::api::json_body;
use crate::api::links::encode_segment;
use crate::api::paging;
use crate::api::plan::{Plan, Preconditions};
use crate::api::response::{self, ApiResponse};

const ACLS_PATH: &str = "/api/objects/extendedacls";
const ACL_KIND: &str = "object#ExtendedACL";
const ACL_COLLECTION_KIND: &str = "collection#ExtendedACL";

/// Where a list of entries lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// `/api/objects/extendedacls/{acl}/aces`
    Named(String),
    /// `/api/access/in/{nameif}/rules`, `/api/access/global/rules`
    Bound(Binding),
}

/// What an access URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AclTarget {
    /// `/api/objects/extendedacls`
    Lists,
    /// `/api/objects/extendedacls/{acl}`
    List(String),
    /// `/api/access/in`, `/api/access/out`, `/api/access/global`
    Groups(Direction),
    /// `/api/access/in/{nameif}`
    Group(Binding),
    /// The entries of a scope.
    Entries(Scope),
    /// One entry, by decimal rule hash.
    Entry(Scope, String),
}

/// Answers one request on an access URL.
pub async fn handle(
    target: AclTarget,
    call: &Call<'_>,
    method: &Method,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    match (target, method) {
        (AclTarget::Lists, _) => list_acls(call).await,
        (AclTarget::List(acl), &Method::DELETE) => delete_acl(call, &acl).await,
        (AclTarget::List(acl), _) => get_acl(call, &acl).await,
        (AclTarget::Groups(d), _) => list_groups(call, d).await,
        (AclTarget::Group(b), _) => get_group(call, &b).await,
        (AclTarget::Entries(scope), &Method::POST) => create(call, &scope, &body).await,
        (AclTarget::Entries(scope), _) => list_entries(call, &scope).await,
        (AclTarget::Entry(scope, id), &Method::GET) => get_entry(call, &scope, &id).await,
        (AclTarget::Entry(scope, id), &Method::DELETE) => delete(call, &scope, &id).await,
        (AclTarget::Entry(scope, id), m) => {
            update(call, &scope, &id, &body, m == Method::PATCH).await
        }
    }
}

// ===== helpers =====

/// The list a scope uses now, if any.
fn list_name<'c>(cfg: &'c RunningConfig, scope: &'c Scope) -> Option<&'c str> {
    match scope {
        Scope::Named(acl) => Some(acl.as_str()),
        Scope::Bound(b) => cfg.access.group(b).map(|g| g.acl.as_str()),
    }
}

fn scope_list<'c>(cfg: &'c RunningConfig, scope: &'c Scope) -> Option<&'c AccessList> {
    list_name(cfg, scope).and_then(|n| cfg.access.get(n))
}

fn entries_path(scope: &Scope) -> String {
    match scope {
        Scope::Named(acl) => format!("{ACLS_PATH}/{}/aces", encode_segment(acl)),
        Scope::Bound(b) => match b {
            Binding::In(n) => format!("/api/access/in/{}/rules", encode_segment(n)),
            Binding::Out(n) => format!("/api/access/out/{}/rules", encode_segment(n)),
            Binding::Global => b.rules_path(),
        },
    }
}

fn is_access_rule(cfg: &RunningConfig, scope: &Scope, acl: &str) -> bool {
    match scope {
        Scope::Bound(_) => true,
        Scope::Named(_) => cfg.access.groups.iter().any(|g| g.acl == acl),
    }
}

fn entry_json(
    call: &Call<'_>,
    path: &str,
    entry: &AclEntry,
    position: usize,
    access_rule: bool,
) -> Result<Value, ApiError> {
    let link = |p: &str, id: &str| call.origin.item_url(p, id);
    let remarks: Vec<&str> = entry.remarks().collect();
    Ok(ace_json::to_json(
        &stored_ace(entry)?,
        &remarks,
        entry.id,
        position,
        access_rule,
        &call.origin.item_url(path, &entry.id.to_string()),
        &link,
    ))
}

/// The snapshot's entry read back (see [`AclEntry::ace`]: never an error in practice).
fn stored_ace(entry: &AclEntry) -> Result<Ace, ApiError> {
    entry
        .ace()
        .map_err(|_| ApiError::LinaAnswer("an access list entry that does not read back"))
}

/// The snapshot's entry of a write, built before anything is sent: an entry that would not
/// read back from its text (never seen) is refused.
fn stored(acl: &str, ace: &Ace, remarks: &[String]) -> Result<AclEntry, ApiError> {
    AclEntry::new(acl, ace, remarks)
        .map_err(|e| ApiError::Field(FieldError::new("", FieldProblem::BadValue(e.to_string()))))
}

fn find_entry<'l>(
    list: Option<&'l AccessList>,
    id: &str,
) -> Result<(&'l AccessList, usize), ApiError> {
    list.and_then(|l| l.find_str(id).map(|i| (l, i)))
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))
}

/// Refuses references the snapshot can check (network objects); LINA checks the rest.
fn check_known_references(cfg: &RunningConfig, ace: &Ace) -> Result<(), ApiError> {
    for r in references(ace) {
        if r.what == ace::RefKind::NetworkObject && !cfg.network_objects.contains(r.name) {
            return Err(ApiError::Field(FieldError::new(
                r.attribute,
                FieldProblem::BadValue(format!("the network object '{}' does not exist", r.name)),
            )));
        }
    }
    Ok(())
}

/// The plan with a 400 on the attribute naming a reference LINA refuses as missing.
fn blaming(mut plan: Plan, ace: &Ace) -> Plan {
    for r in references(ace) {
        plan = plan.blame(r.name, r.attribute);
    }
    plan
}

fn read_body(body: &[u8]) -> Result<Value, ApiError> {
    Ok(Value::Object(json_body::parse_object(body)?))
}

// ===== lists and groups =====

async fn list_acls(call: &Call<'_>) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let lists: Vec<&AccessList> = snap.config.access.extended().collect();
    Ok(paging::page(
        call,
        ACL_COLLECTION_KIND,
        ACLS_PATH,
        &lists,
        |_, l| acl_json(call, l),
    ))
}

fn acl_json(call: &Call<'_>, l: &AccessList) -> Value {
    json!({
        "kind": ACL_KIND,
        "selfLink": call.origin.item_url(ACLS_PATH, &l.name),
        "name": l.name,
        "aces": {"refLink": call.origin.url(&entries_path(&Scope::Named(l.name.clone())))},
        "objectId": l.name,
    })
}

async fn get_acl(call: &Call<'_>, acl: &str) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let l = snap
        .config
        .access
        .get(acl)
        .filter(|l| !l.entries.is_empty())
        .ok_or_else(|| ApiError::ObjectNotFound(acl.to_owned()))?;
    Ok(call
        .preconditions
        .item_response(&acl_json(call, l), &list_lines(l)))
}

async fn delete_acl(call: &Call<'_>, acl: &str) -> Result<ApiResponse, ApiError> {
    executor::execute(call, |cfg, pre| {
        let list = cfg
            .access
            .get(acl)
            .ok_or_else(|| ApiError::ObjectNotFound(acl.to_owned()))?;
        pre.item(&list_lines(list))?;
        let name = acl.to_owned();
        Ok(Plan::deleted()
            .send(acl_cli::clear_list(acl))
            .patch(move |cfg| cfg.access.remove_list(&name)))
    })
    .await
}

/// The canonical configuration of a list, from which its ETag is derived: every entry's lines.
pub fn list_lines(list: &AccessList) -> Vec<String> {
    list.entries
        .iter()
        .flat_map(|e| acl_cli::entry_lines(&list.name, e))
        .collect()
}

fn group_json(call: &Call<'_>, cfg: &RunningConfig, g: &AccessGroup) -> Value {
    let d = g.binding.direction().segment();
    let self_path = match g.binding.nameif() {
        Some(n) => format!("/api/access/{d}/{}", encode_segment(n)),
        None => format!("/api/access/{d}"),
    };
    let hw = g.binding.nameif().and_then(|n| cfg.access.hardware_of(n));
    g.to_json(&call.origin.url(&self_path), hw, &|p| call.origin.url(p))
}

async fn list_groups(call: &Call<'_>, d: Direction) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let cfg = &snap.config;
    let groups: Vec<&AccessGroup> = cfg
        .access
        .groups
        .iter()
        .filter(|g| g.binding.direction() == d)
        .collect();
    let path = format!("/api/access/{}", d.segment());
    let kind = cli_translator::acl::group::COLLECTION_KIND;
    Ok(paging::page(call, kind, &path, &groups, |_, g| {
        group_json(call, cfg, g)
    }))
}

async fn get_group(call: &Call<'_>, b: &Binding) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let g = snap
        .config
        .access
        .group(b)
        .ok_or_else(|| ApiError::ObjectNotFound(b.nameif().unwrap_or("global").to_owned()))?;
    Ok(response::json(
        StatusCode::OK,
        &group_json(call, &snap.config, g),
    ))
}

// ===== entries =====

async fn list_entries(call: &Call<'_>, scope: &Scope) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let cfg = &snap.config;
    let list = scope_list(cfg, scope);
    match (scope, list) {
        (Scope::Named(acl), None) => return Err(ApiError::ObjectNotFound(acl.clone())),
        (Scope::Bound(b), None) => {
            if let Some(n) = b.nameif()
                && cfg.access.hardware_of(n).is_none()
            {
                return Err(ApiError::ObjectNotFound(n.to_owned()));
            }
        }
        _ => {}
    }
    let entries: &[AclEntry] = list.map(|l| l.entries.as_slice()).unwrap_or_default();
    let path = entries_path(scope);
    let access_rule = list.is_some_and(|l| is_access_rule(cfg, scope, &l.name));
    let mut failed = None;
    let page = paging::page(call, ace_json::COLLECTION_KIND, &path, entries, |n, e| {
        entry_json(call, &path, e, n, access_rule).unwrap_or_else(|err| {
            failed.get_or_insert(err);
            Value::Null
        })
    });
    match failed {
        Some(err) => Err(err),
        None => Ok(page),
    }
}

async fn get_entry(call: &Call<'_>, scope: &Scope, id: &str) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let cfg = &snap.config;
    let (list, i) = find_entry(scope_list(cfg, scope), id)?;
    let entry = list
        .entries
        .get(i)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    let body = entry_json(
        call,
        &entries_path(scope),
        entry,
        i + 1,
        is_access_rule(cfg, scope, &list.name),
    )?;
    Ok(call
        .preconditions
        .item_response(&body, &acl_cli::entry_lines(&list.name, entry)))
}

async fn create(call: &Call<'_>, scope: &Scope, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let body = read_body(body)?;
    let input = ace_json::from_json(&body, None)?;
    executor::execute(call, |cfg, _| plan_create(call, cfg, scope, &input)).await
}

/// Plans inserting an entry at its position (the first rule of an interface or of the
/// global policy also creates its list and access group).
fn plan_create(
    call: &Call<'_>,
    cfg: &RunningConfig,
    scope: &Scope,
    input: &AceInput,
) -> Result<Plan, ApiError> {
    let AceInput {
        ace,
        remarks,
        position,
    } = input.clone();
    check_known_references(cfg, &ace)?;
    let (acl, new_group) = match scope {
        Scope::Named(acl) => {
            if !ace::is_acl_name(acl) {
                return Err(ApiError::Field(FieldError::new(
                    "ACLName",
                    FieldProblem::BadValue(format!("'{acl}' is not a valid access-list name")),
                )));
            }
            (acl.clone(), None)
        }
        Scope::Bound(b) => match cfg.access.group(b) {
            Some(g) => (g.acl.clone(), None),
            None => {
                if let Some(n) = b.nameif()
                    && cfg.access.hardware_of(n).is_none()
                {
                    return Err(ApiError::ObjectNotFound(n.to_owned()));
                }
                let g = AccessGroup {
                    acl: b.default_acl_name(),
                    binding: b.clone(),
                };
                (g.acl.clone(), Some(g))
            }
        },
    };
    let id = rule_hash(&acl, &ace);
    let list = cfg.access.get(&acl);
    if list.is_some_and(|l| l.find(id).is_some()) {
        return Err(ApiError::Duplicate(id.to_string()));
    }
    let len = list.map_or(0, |l| l.entries.len());
    let index = position
        .and_then(|p| usize::try_from(p).ok())
        .map_or(len, |p| (p - 1).min(len));
    let line = (index < len).then(|| list.map_or(1, |l| l.cli_line(index)));
    let mut commands = acl_cli::insert_lines(&acl, line, &remarks, &ace);
    if let Some(g) = &new_group {
        commands.push(g.cli());
    }
    let entry = stored(&acl, &ace, &remarks)?;
    let location = call.origin.item_url(&entries_path(scope), &id.to_string());
    let plan = blaming(Plan::created(location).send(commands), &ace);
    Ok(plan.patch(move |cfg| {
        let trailing = if line.is_none() {
            cfg.access
                .get_mut(&acl)
                .map(|l| std::mem::take(&mut l.trailing_remarks))
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let entry = if trailing.is_empty() {
            entry
        } else {
            entry.with_remarks_before(&trailing)
        };
        cfg.access.insert_entry(&acl, index, entry);
        if let Some(g) = new_group {
            cfg.access.set_group(g);
        }
    }))
}

async fn update(
    call: &Call<'_>,
    scope: &Scope,
    id: &str,
    body: &[u8],
    patch: bool,
) -> Result<ApiResponse, ApiError> {
    let body = read_body(body)?;
    executor::execute(call, |cfg, pre| {
        plan_update(call, cfg, pre, scope, id, &body, patch)
    })
    .await
}

/// Plans replacing (or merging into) an entry, possibly moving it: the old entry's removal
/// and the new one's insertion, in one batch.
fn plan_update(
    call: &Call<'_>,
    cfg: &RunningConfig,
    pre: &Preconditions,
    scope: &Scope,
    id: &str,
    body: &Value,
    patch: bool,
) -> Result<Plan, ApiError> {
    let (list, i) = find_entry(scope_list(cfg, scope), id)?;
    let acl = list.name.clone();
    let old = list
        .entries
        .get(i)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    pre.item(&acl_cli::entry_lines(&acl, old))?;
    let (old_ace, old_remarks) = (stored_ace(old)?, old.remarks_vec());
    let existing = patch.then_some((&old_ace, old_remarks.as_slice()));
    let AceInput {
        ace,
        remarks,
        position,
    } = ace_json::from_json_replacing(body, existing, Some(&old_ace))?;
    check_known_references(cfg, &ace)?;
    let len = list.entries.len();
    // The target index once the entry is out of the list.
    let target = position
        .and_then(|p| usize::try_from(p).ok())
        .map_or(i, |p| (p - 1).min(len - 1));
    let new_id = rule_hash(&acl, &ace);
    let location = call
        .origin
        .item_url(&entries_path(scope), &new_id.to_string());
    if ace == old_ace && remarks == old_remarks && target == i {
        return Ok(Plan::updated(location));
    }
    if new_id != old.id && list.find(new_id).is_some() {
        return Err(ApiError::Duplicate(new_id.to_string()));
    }
    // CLI line of `target` in the list without the old entry.
    let line = if target + 1 >= len {
        None
    } else if target < i {
        Some(list.cli_line(target))
    } else {
        Some(list.cli_line(target + 1) - (old.remark_count() + 1))
    };
    let mut commands = acl_cli::remove_lines(&acl, old);
    commands.extend(acl_cli::insert_lines(&acl, line, &remarks, &ace));
    // Re-asserted: the list may have been empty between the two halves of the batch.
    for g in cfg.access.groups.iter().filter(|g| g.acl == acl) {
        commands.push(g.cli());
    }
    let old_id = old.id;
    let entry = stored(&acl, &ace, &remarks)?;
    let plan = blaming(Plan::updated(location).send(commands), &ace);
    Ok(plan.patch(move |cfg| {
        if let Some(l) = cfg.access.get_mut(&acl)
            && let Some(at) = l.find(old_id)
        {
            l.entries.remove(at);
            let trailing = if line.is_none() {
                std::mem::take(&mut l.trailing_remarks)
            } else {
                Vec::new()
            };
            let entry = if trailing.is_empty() {
                entry
            } else {
                entry.with_remarks_before(&trailing)
            };
            let at = target.min(l.entries.len());
            l.entries.insert(at, entry);
        }
    }))
}

async fn delete(call: &Call<'_>, scope: &Scope, id: &str) -> Result<ApiResponse, ApiError> {
    executor::execute(call, |cfg, pre| {
        let (list, i) = find_entry(scope_list(cfg, scope), id)?;
        let acl = list.name.clone();
        let entry = list
            .entries
            .get(i)
            .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
        pre.item(&acl_cli::entry_lines(&acl, entry))?;
        let last = list.entries.len() == 1 && list.trailing_remarks.is_empty();
        let mut commands = Vec::new();
        if last {
            for g in cfg.access.groups.iter().filter(|g| g.acl == acl) {
                commands.push(g.cli_delete());
            }
        }
        commands.extend(acl_cli::remove_lines(&acl, entry));
        let entry_id = entry.id;
        Ok(Plan::deleted().send(commands).patch(move |cfg| {
            cfg.access.remove_entry(&acl, entry_id);
        }))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Routes through the catalogue and keeps this family's target.
    fn route(segs: &[&str]) -> Option<AclTarget> {
        match crate::api::router::route(&format!("/{}", segs.join("/")))
            .ok()?
            .target
        {
            crate::api::router::Target::Access(t) => Some(t),
            _ => None,
        }
    }

    #[test]
    fn routes_every_access_url() {
        let r = |p: &str| {
            let segs: Vec<&str> = p.trim_start_matches('/').split('/').collect();
            route(&segs)
        };
        assert_eq!(r("/api/objects/extendedacls"), Some(AclTarget::Lists));
        assert_eq!(
            r("/api/objects/extendedacls/a/aces/12"),
            Some(AclTarget::Entry(Scope::Named("a".into()), "12".into()))
        );
        assert_eq!(r("/api/access/in"), Some(AclTarget::Groups(Direction::In)));
        assert_eq!(
            r("/api/access/out/dmz"),
            Some(AclTarget::Group(Binding::Out("dmz".into())))
        );
        assert_eq!(
            r("/api/access/in/inside/rules"),
            Some(AclTarget::Entries(Scope::Bound(Binding::In(
                "inside".into()
            ))))
        );
        assert_eq!(
            r("/api/access/global/rules/7"),
            Some(AclTarget::Entry(Scope::Bound(Binding::Global), "7".into()))
        );
        assert_eq!(r("/api/access/sideways"), None);
        assert_eq!(r("/api/access/in/inside/rules/1/x"), None);
        assert_eq!(r("/api/access/global/x"), None);
    }
}
