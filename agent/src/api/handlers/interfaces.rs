//! Interfaces: `/api/interfaces/{physical,vlan,portchannel,redundant,bvi}[/{objectId}]` and
//! `/api/interfaces/setup`.
//!
//! Physical interfaces are the device's fixed hardware: listed, read and changed with PUT or
//! PATCH, never created or deleted (a client "deletes" one with a PUT clearing its name,
//! security level and address). Sub-interfaces, port-channels, redundant interfaces and
//! BVIs are created with POST and removed with DELETE. objectIds are hardware ids with the
//! first `/` as `_API_SLASH_`; a plain hardware id (`GigabitEthernet0%2F1`) is accepted too.
//!
//! A port-channel's `members` are the ports whose `channel-group` names it: a write with
//! `members` sends, in the same batch, `channel-group <n> mode <mode>` to each joining port
//! and `no channel-group` to each leaving one; LINA refuses a port of another group or one
//! with a nameif, and then nothing changes.
//!
//! Writes send the fewest commands (see `cli_translator::interfaces::cli`); LINA refuses
//! removing or renaming a nameif that other configuration still names (access groups,
//! routes, NAT, management access, logging hosts), and then nothing changes. Writes are
//! planned here and applied by the executor; the snapshot is patched with the written
//! interface (for later bulk entries) and reloaded, so derived data stays exact.

use bytes::Bytes;
use cli_translator::interfaces::json::{self as if_json, Mode, Request};
use cli_translator::interfaces::{self, Family, Interface, Setup};
use cli_translator::resources::{FieldError, FieldProblem, json_bool};
use cli_translator::running::RunningConfig;
use hyper::Method;
use serde_json::{Value, json};

use super::Call;
use crate::api::error::ApiError;
use crate::api::executor;
use crate::api::json_body;
use crate::api::paging;
use crate::api::plan::Plan;
use crate::api::response::ApiResponse;

const SETUP_PATH: &str = "/api/interfaces/setup";
const SETUP_KIND: &str = "object#InterfaceSetup";

/// What an interface URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfTarget {
    Collection(Family),
    /// One interface, by decoded objectId.
    Item(Family, String),
    /// `/api/interfaces/setup`
    Setup,
}

/// Answers one request on an interface URL.
pub async fn handle(
    target: IfTarget,
    call: &Call<'_>,
    method: &Method,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    match (target, method) {
        (IfTarget::Setup, &Method::GET) => get_setup(call).await,
        (IfTarget::Setup, _) => update_setup(call, &body).await,
        (IfTarget::Collection(f), &Method::POST) => create(call, f, &body).await,
        (IfTarget::Collection(f), _) => list(call, f).await,
        (IfTarget::Item(f, id), &Method::GET) => get(call, f, &id).await,
        (IfTarget::Item(f, id), &Method::DELETE) => delete(call, f, &id).await,
        (IfTarget::Item(f, id), m) => update(call, f, &id, &body, m == Method::PATCH).await,
    }
}

fn read_body(body: &[u8]) -> Result<Value, ApiError> {
    Ok(Value::Object(json_body::parse_object(body)?))
}

/// The interface of `family` an objectId names.
fn find<'c>(cfg: &'c RunningConfig, family: Family, id: &str) -> Result<&'c Interface, ApiError> {
    let hw = interfaces::hardware_id(id);
    cfg.interfaces
        .get(&hw)
        .filter(|i| Family::of(&i.hardware_id) == Some(family))
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))
}

/// The interface as the API shows it: a port-channel with its member ports.
fn with_members(cfg: &RunningConfig, iface: &Interface) -> Interface {
    let mut copy = iface.clone();
    if Family::of(&iface.hardware_id) == Some(Family::PortChannel) {
        copy.members = cfg.interfaces.channel_members(&iface.hardware_id);
    }
    copy
}

fn item_json(call: &Call<'_>, cfg: &RunningConfig, family: Family, iface: &Interface) -> Value {
    let item_url = |path: &str, id: &str| call.origin.item_url(path, id);
    let member = |hw: &str| cfg.interfaces.get(hw).cloned();
    let iface = &with_members(cfg, iface);
    if_json::to_json(
        iface,
        family,
        cfg.interfaces.mtu_of(iface),
        &call
            .origin
            .item_url(family.path(), &interfaces::object_id(&iface.hardware_id)),
        &item_url,
        &member,
    )
}

async fn list(call: &Call<'_>, family: Family) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let cfg = &snap.config;
    let items = cfg.interfaces.of_family(family);
    let kind = family.collection_kind();
    Ok(paging::page(call, kind, family.path(), &items, |_, i| {
        item_json(call, cfg, family, i)
    }))
}

async fn get(call: &Call<'_>, family: Family, id: &str) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let iface = find(&snap.config, family, id)?;
    Ok(call.preconditions.item_response(
        &item_json(call, &snap.config, family, iface),
        &canonical_lines(&snap.config, iface),
    ))
}

fn location(call: &Call<'_>, family: Family, hw: &str) -> String {
    call.origin
        .item_url(family.path(), &interfaces::object_id(hw))
}

/// Checks what the snapshot can: a new nameif is not another interface's, members exist,
/// a sub-interface's parent exists.
fn check(cfg: &RunningConfig, new: &Interface) -> Result<(), ApiError> {
    if let Some(n) = &new.nameif
        && let Some(owner) = cfg.interfaces.by_nameif(n)
        && owner.hardware_id != new.hardware_id
    {
        return Err(ApiError::Field(FieldError::new(
            "name",
            FieldProblem::BadValue(format!(
                "the name '{n}' is already used by interface {}",
                owner.hardware_id
            )),
        )));
    }
    for m in &new.members {
        if cfg.interfaces.get(m).is_none() {
            return Err(ApiError::Field(FieldError::new(
                "members",
                FieldProblem::BadValue(format!("the interface {m} does not exist")),
            )));
        }
    }
    Ok(())
}

/// The snapshot patch of a write: the written interface (and the member ports a
/// port-channel write changed), for later bulk entries; the snapshot is reloaded after.
fn record(
    old_nameif: Option<String>,
    mut new: Interface,
    mtu_line: Option<u16>,
    ports: Vec<Interface>,
) -> impl FnOnce(&mut RunningConfig) + Send + 'static {
    if Family::of(&new.hardware_id) == Some(Family::PortChannel) {
        // Its members live on the ports.
        new.members.clear();
    }
    move |cfg| {
        // Member ports carry no name (LINA refuses one), so no `mtu` line moves.
        for port in ports {
            cfg.interfaces.set(None, port, None);
        }
        if let Some(old) = &old_nameif {
            cfg.access.interfaces.retain(|(n, _)| n != old);
        }
        if let Some(n) = &new.nameif
            && !cfg.access.interfaces.iter().any(|(x, _)| x == n)
        {
            cfg.access
                .interfaces
                .push((n.clone(), new.hardware_id.clone()));
        }
        cfg.interfaces.set(old_nameif.as_deref(), new, mtu_line);
    }
}

/// The canonical configuration of an interface, from which its ETag is derived: the batch
/// that would create it as the snapshot holds it (with its member ports and MTU).
pub fn canonical_lines(cfg: &RunningConfig, iface: &Interface) -> Vec<String> {
    let iface = with_members(cfg, iface);
    interfaces::cli::create(&iface, cfg.interfaces.mtu_of(&iface))
}

/// The `mtu` line a written interface ends with (mirrors `cli::update`).
fn mtu_line_after(old_line: Option<u16>, new: &Request) -> Option<u16> {
    new.interface.nameif.as_ref()?;
    (new.mtu != interfaces::DEFAULT_MTU || old_line.is_some()).then_some(new.mtu)
}

async fn create(call: &Call<'_>, family: Family, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let body = read_body(body)?;
    let request = if_json::from_json(&body, family, Mode::Create)?;
    let location = location(call, family, &request.interface.hardware_id);
    executor::execute(call, |cfg, _| {
        plan_create(cfg, family, &body, &request, &location)
    })
    .await
}

/// Plans creating a logical interface (and, for a port-channel, moving its member ports).
fn plan_create(
    cfg: &RunningConfig,
    family: Family,
    body: &Value,
    request: &Request,
    location: &str,
) -> Result<Plan, ApiError> {
    let hw = request.interface.hardware_id.clone();
    if cfg.interfaces.get(&hw).is_some() {
        return Err(ApiError::Duplicate(interfaces::object_id(&hw)));
    }
    if family == Family::Vlan
        && let Some((parent, _)) = hw.rsplit_once('.')
        && cfg.interfaces.get(parent).is_none()
    {
        return Err(ApiError::Field(FieldError::new(
            "hardwareID",
            FieldProblem::BadValue(format!("the parent interface {parent} does not exist")),
        )));
    }
    let mut request = request.clone();
    let current = cfg.interfaces.channel_members(&hw);
    if family == Family::PortChannel && body.get("members").is_none_or(Value::is_null) {
        // Without `members` the ports that already name the group stay as they are.
        request.interface.members = current.clone();
    }
    check(cfg, &request.interface)?;
    let mut commands = interfaces::cli::create(&request.interface, request.mtu);
    let mut ports = Vec::new();
    if family == Family::PortChannel {
        let wanted = &request.interface.members;
        commands.extend(interfaces::cli::channel_members(
            &cfg.interfaces,
            &hw,
            &current,
            wanted,
        ));
        ports = interfaces::cli::members_after(&cfg.interfaces, &hw, &current, wanted);
    }
    let mtu_line = mtu_line_after(None, &request);
    Ok(Plan::created(location.to_owned())
        .send(commands)
        .patch(record(None, request.interface, mtu_line, ports))
        .reload_after())
}

async fn update(
    call: &Call<'_>,
    family: Family,
    id: &str,
    body: &[u8],
    patch: bool,
) -> Result<ApiResponse, ApiError> {
    let body = read_body(body)?;
    executor::execute(call, |cfg, pre| {
        let existing = &with_members(cfg, find(cfg, family, id)?);
        pre.item(&canonical_lines(cfg, existing))?;
        let mtu = cfg.interfaces.mtu_of(existing);
        let mode = if patch {
            Mode::Patch(existing, mtu)
        } else {
            Mode::Replace(existing, mtu)
        };
        let request = if_json::from_json(&body, family, mode)?;
        check(cfg, &request.interface)?;
        let old_line = existing
            .nameif
            .as_deref()
            .and_then(|n| cfg.interfaces.mtu_line(n));
        let mut commands =
            interfaces::cli::update(existing, old_line, &request.interface, request.mtu);
        let hw = existing.hardware_id.clone();
        let mut ports = Vec::new();
        if family == Family::PortChannel {
            let (old, new) = (&existing.members, &request.interface.members);
            commands.extend(interfaces::cli::channel_members(
                &cfg.interfaces,
                &hw,
                old,
                new,
            ));
            ports = interfaces::cli::members_after(&cfg.interfaces, &hw, old, new);
        }
        let plan = Plan::updated(location(call, family, &hw));
        if commands.is_empty() {
            return Ok(plan);
        }
        let mtu_line = mtu_line_after(old_line, &request);
        Ok(plan
            .send(commands)
            .patch(record(
                existing.nameif.clone(),
                request.interface,
                mtu_line,
                ports,
            ))
            .reload_after())
    })
    .await
}

async fn delete(call: &Call<'_>, family: Family, id: &str) -> Result<ApiResponse, ApiError> {
    executor::execute(call, |cfg, pre| {
        let existing = find(cfg, family, id)?;
        if !family.is_logical() {
            return Err(ApiError::MethodNotAllowed {
                method: Method::DELETE,
                // Not reached through the router: the catalogue gives physical ports no DELETE.
                allow: &[Method::GET, Method::PUT, Method::PATCH],
            });
        }
        pre.item(&canonical_lines(cfg, existing))?;
        let old_line = existing
            .nameif
            .as_deref()
            .and_then(|n| cfg.interfaces.mtu_line(n));
        let hw = existing.hardware_id.clone();
        // A port-channel's member ports leave its group first, in the same batch: otherwise
        // they would keep naming a group that no longer exists.
        let mut commands = Vec::new();
        if family == Family::PortChannel {
            let members = cfg.interfaces.channel_members(&hw);
            commands = interfaces::cli::channel_members(&cfg.interfaces, &hw, &members, &[]);
        }
        commands.extend(interfaces::cli::delete(existing, old_line));
        let old_nameif = existing.nameif.clone();
        Ok(Plan::deleted()
            .send(commands)
            .patch(move |cfg| {
                if let Some(old) = &old_nameif {
                    cfg.access.interfaces.retain(|(n, _)| n != old);
                }
                cfg.interfaces.remove(&hw);
            })
            .reload_after())
    })
    .await
}

// ===== setup =====

fn setup_json(call: &Call<'_>, s: Setup) -> Value {
    json!({
        "kind": SETUP_KIND,
        "selfLink": call.origin.url(SETUP_PATH),
        "sameSecurityTrafficInterInterface": s.inter_interface,
        "sameSecurityTrafficIntraInterface": s.intra_interface,
    })
}

async fn get_setup(call: &Call<'_>) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let setup = snap.config.interfaces.setup;
    Ok(call
        .preconditions
        .item_response(&setup_json(call, setup), &setup_lines(setup)))
}

async fn update_setup(call: &Call<'_>, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let body = read_body(body)?;
    let location = call.origin.url(SETUP_PATH);
    executor::execute(call, |cfg, pre| {
        let old = cfg.interfaces.setup;
        pre.item(&setup_lines(old))?;
        let mut new = old;
        let fields: [(&str, &mut bool); 2] = [
            (
                "sameSecurityTrafficInterInterface",
                &mut new.inter_interface,
            ),
            (
                "sameSecurityTrafficIntraInterface",
                &mut new.intra_interface,
            ),
        ];
        for (attr, slot) in fields {
            // PUT and PATCH alike: an absent attribute keeps its value.
            if let Some(v) = body.get(attr).filter(|v| !v.is_null()) {
                *slot = json_bool(v, attr)?;
            }
        }
        let commands = interfaces::cli::setup(old, new);
        let plan = Plan::updated(location.clone());
        if commands.is_empty() {
            return Ok(plan);
        }
        Ok(plan
            .send(commands)
            .patch(move |cfg| cfg.interfaces.setup = new))
    })
    .await
}

/// The canonical configuration of the setup, from which its ETag is derived.
pub fn setup_lines(setup: Setup) -> Vec<String> {
    interfaces::cli::setup(Setup::default(), setup)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Routes through the catalogue and keeps this family's target.
    fn route(segs: &[&str]) -> Option<IfTarget> {
        match crate::api::router::route(&format!("/{}", segs.join("/")))
            .ok()?
            .target
        {
            crate::api::router::Target::Interfaces(t) => Some(t),
            _ => None,
        }
    }

    fn r(p: &str) -> Option<IfTarget> {
        let segs: Vec<&str> = p.trim_start_matches('/').split('/').collect();
        route(&segs)
    }

    #[test]
    fn routes_every_interface_url() {
        assert_eq!(
            r("/api/interfaces/physical"),
            Some(IfTarget::Collection(Family::Physical))
        );
        assert_eq!(
            r("/api/interfaces/vlan/GigabitEthernet0_API_SLASH_1.10"),
            Some(IfTarget::Item(
                Family::Vlan,
                "GigabitEthernet0_API_SLASH_1.10".into()
            ))
        );
        assert_eq!(
            r("/api/interfaces/portchannel"),
            Some(IfTarget::Collection(Family::PortChannel))
        );
        assert_eq!(r("/api/interfaces/setup"), Some(IfTarget::Setup));
        assert_eq!(r("/api/interfaces/wireless"), None);
        assert_eq!(r("/api/interfaces/physical/a/b"), None);
        assert_eq!(r("/api/interfaces"), None);
    }

    #[test]
    fn physical_interfaces_are_never_created_or_deleted() {
        let allowed = |p: &str| crate::api::router::route(p).unwrap().endpoint.methods;
        assert!(!allowed("/api/interfaces/physical").contains(&Method::POST));
        let item = allowed("/api/interfaces/physical/x");
        assert!(!item.contains(&Method::DELETE));
        assert!(item.contains(&Method::PUT));
        assert!(allowed("/api/interfaces/vlan/x").contains(&Method::DELETE));
        assert!(allowed("/api/interfaces/redundant").contains(&Method::POST));
    }

    #[test]
    fn a_port_channel_shows_the_ports_naming_its_group() {
        let cfg = RunningConfig::parse(
            "interface GigabitEthernet0/2\n channel-group 4 mode on\n\
             interface GigabitEthernet0/3\n channel-group 5 mode on\n\
             interface Port-channel4\n nameif up\n",
        );
        let pc = cfg.interfaces.get("Port-channel4").cloned();
        let shown = pc.map(|pc| with_members(&cfg, &pc).members);
        assert_eq!(shown, Some(vec!["GigabitEthernet0/2".to_owned()]));
        let port = cfg.interfaces.get("GigabitEthernet0/3").cloned();
        assert_eq!(port.map(|p| with_members(&cfg, &p).members), Some(vec![]));
    }

    #[test]
    fn the_mtu_line_follows_the_write() {
        let mut i = Interface::unconfigured("GigabitEthernet0/1");
        let req = |i: &Interface, mtu| Request {
            interface: i.clone(),
            mtu,
        };
        assert_eq!(mtu_line_after(None, &req(&i, 9000)), None);
        i.nameif = Some("in".into());
        assert_eq!(mtu_line_after(None, &req(&i, 1500)), None);
        assert_eq!(mtu_line_after(Some(1500), &req(&i, 1500)), Some(1500));
        assert_eq!(mtu_line_after(None, &req(&i, 9000)), Some(9000));
    }
}
