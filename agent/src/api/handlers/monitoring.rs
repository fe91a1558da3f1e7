//! `/api/monitoring/...` (privilege 3, GET only): the serial number (napalm-asa's liveness
//! check, which must carry exactly the kind `object#QuerySerialNumber`), and what LINA's show
//! commands say, parsed by `cli_translator::show`:
//!
//! | URL                                   | kind                          | from                  |
//! |---------------------------------------|-------------------------------|-----------------------|
//! | `serialnumber`                        | `object#QuerySerialNumber`    | the Hello facts       |
//! | `device/components/version`           | `object#Version`              | `show version`        |
//! | `device/components/cpu`               | `object#CpuUsage`             | `show cpu usage`      |
//! | `device/components/memory`            | `object#MemoryUsage`          | `show memory`         |
//! | `device/components`                   | `object#DeviceComponents`     | the three above       |
//! | `device/interfaces[/{nameif}]`        | `collection#MonitoringMetric` | `show interface`      |
//! | `arp`                                 | `collection#Arp`              | `show arp`            |
//! | `connections`                         | `object#ConnectionCount`      | `show conn count`     |
//! | `apistatistics`                       | `object#ApiStatistics`        | the agent's counters  |
//! | `clock`                               | `object#Clock`                | `show clock`          |
//! | `ipaddress[/{nameif}]`                | `object#IPAddressInfo`        | `show interface`      |
//!
//! The show commands run as the caller, in the context `?context=` names; no user text
//! reaches them. Multiple-context mode without `?context=`, as Cisco says: "For resources that
//! are available only in the System context, such as the CPU process usage, the request is
//! directed to the System context. The rest of the commands are directed to the admin
//! context." The device-wide figures (`cpu`, `memory`, and those parts of `components`) are
//! read in the system execution space; the version, interfaces, ARP table and connections
//! in the admin context (LINA's default); the serial number is the device's.

use std::time::{SystemTime, UNIX_EPOCH};

use cli_translator::protocol::{ContextMode, ExecMode, FirewallMode};
use cli_translator::show::{arp, conn, cpu, interface, memory, version};
use hyper::StatusCode;
use serde_json::{Map, Value, json};

use super::Call;
use crate::api::error::ApiError;
use crate::api::paging;
use crate::api::plan::Preconditions;
use crate::api::response::{self, ApiResponse};

pub const VERSION_PATH: &str = "/api/monitoring/device/components/version";
pub const CPU_PATH: &str = "/api/monitoring/device/components/cpu";
pub const MEMORY_PATH: &str = "/api/monitoring/device/components/memory";
pub const COMPONENTS_PATH: &str = "/api/monitoring/device/components";
pub const INTERFACES_PATH: &str = "/api/monitoring/device/interfaces";
pub const ARP_PATH: &str = "/api/monitoring/arp";
pub const CONNECTIONS_PATH: &str = "/api/monitoring/connections";
pub const API_STATISTICS_PATH: &str = "/api/monitoring/apistatistics";
// issue 14: monitoring
pub const CLOCK_PATH: &str = "/api/monitoring/clock";
pub const IP_ADDRESS_PATH: &str = "/api/monitoring/ipaddress";

/// The system execution space, as `?context=` names it.
pub const SYSTEM_CONTEXT: &str = "system";

/// Where a monitoring show command runs when the request names no context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Space {
    /// LINA's default: the admin context in multiple mode.
    Default,
    /// The system execution space in multiple mode (device-wide figures).
    System,
}

/// A monitoring URL (other than the serial number, routed on its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MonitoringTarget {
    Version,
    Cpu,
    Memory,
    Components,
    Interfaces,
    /// One interface by nameif.
    Interface(String),
    Arp,
    Connections,
    ApiStatistics,
    // issue 14: monitoring
    Clock,
    IpAddresses,
    /// One interface's address by nameif.
    IpAddress(String),
}

/// `GET /api/monitoring/serialnumber` -> `{"kind":"object#QuerySerialNumber","serialNumber":"..."}`.
pub fn serial_number(call: &Call<'_>) -> ApiResponse {
    response::json(
        StatusCode::OK,
        &json!({
            "kind": "object#QuerySerialNumber",
            "serialNumber": call.state.facts.serial_number,
        }),
    )
}

/// Answers a monitoring request (the router allowed GET only).
pub async fn handle(target: MonitoringTarget, call: &Call<'_>) -> Result<ApiResponse, ApiError> {
    let body = match target {
        MonitoringTarget::Version => {
            let [v] = show(call, Space::Default, ["show version"]).await?;
            version_json(call, &version::parse(&v))?
        }
        MonitoringTarget::Cpu => {
            let [c] = show(call, Space::System, ["show cpu usage"]).await?;
            cpu_json(call, &cpu::parse(&c))?
        }
        MonitoringTarget::Memory => {
            let [m] = show(call, Space::System, ["show memory"]).await?;
            memory_json(call, &memory::parse(&m))?
        }
        MonitoringTarget::Components => {
            let [v] = show(call, Space::Default, ["show version"]).await?;
            let [c, m] = show(call, Space::System, ["show cpu usage", "show memory"]).await?;
            let mut out = Map::new();
            out.insert("kind".into(), json!("object#DeviceComponents"));
            out.insert("selfLink".into(), json!(call.origin.url(COMPONENTS_PATH)));
            out.insert("version".into(), version_json(call, &version::parse(&v))?);
            out.insert("cpu".into(), cpu_json(call, &cpu::parse(&c))?);
            out.insert("memory".into(), memory_json(call, &memory::parse(&m))?);
            Value::Object(out)
        }
        MonitoringTarget::Interfaces => {
            let [text] = show(call, Space::Default, ["show interface"]).await?;
            let items: Vec<Value> = interface::parse(&text)
                .iter()
                .filter(|i| !i.nameif.is_empty())
                .map(|i| metric_json(call, i))
                .collect();
            let kind = "collection#MonitoringMetric";
            return Ok(paging::page(call, kind, INTERFACES_PATH, &items, |_, v| {
                v.clone()
            }));
        }
        MonitoringTarget::Interface(name) => {
            let [text] = show(call, Space::Default, ["show interface"]).await?;
            let all = interface::parse(&text);
            let i = all
                .iter()
                .find(|i| !i.nameif.is_empty() && i.nameif == name)
                .ok_or(ApiError::ObjectNotFound(name))?;
            metric_json(call, i)
        }
        MonitoringTarget::Arp => {
            let [text] = show(call, Space::Default, ["show arp"]).await?;
            let items: Vec<Value> = arp::parse(&text).iter().map(arp_json).collect();
            let kind = "collection#Arp";
            return Ok(paging::page(call, kind, ARP_PATH, &items, |_, v| v.clone()));
        }
        MonitoringTarget::Connections => {
            let [text] = show(call, Space::Default, ["show conn count"]).await?;
            let c = conn::parse(&text)
                .ok_or(ApiError::LinaAnswer("show conn count without its counts"))?;
            json!({
                "kind": "object#ConnectionCount",
                "selfLink": call.origin.url(CONNECTIONS_PATH),
                "inUse": c.in_use,
                "mostUsed": c.most_used,
            })
        }
        // issue 14: monitoring
        MonitoringTarget::Clock => {
            let [text] = show(call, Space::Default, ["show clock"]).await?;
            clock_json(call, &text)?
        }
        MonitoringTarget::IpAddresses => {
            let [text] = show(call, Space::Default, ["show interface"]).await?;
            let items: Vec<Value> = interface::parse(&text)
                .iter()
                .filter_map(|i| ip_address_json(call, i))
                .collect();
            let kind = "collection#IPAddressInfo";
            return Ok(paging::page(call, kind, IP_ADDRESS_PATH, &items, |_, v| {
                v.clone()
            }));
        }
        MonitoringTarget::IpAddress(name) => {
            let [text] = show(call, Space::Default, ["show interface"]).await?;
            interface::parse(&text)
                .iter()
                .filter(|i| i.nameif == name)
                .find_map(|i| ip_address_json(call, i))
                .ok_or(ApiError::ObjectNotFound(name))?
        }
        MonitoringTarget::ApiStatistics => {
            let state = call.state;
            let mut out = Map::new();
            out.insert("kind".into(), json!("object#ApiStatistics"));
            out.insert(
                "selfLink".into(),
                json!(call.origin.url(API_STATISTICS_PATH)),
            );
            out.extend(
                state
                    .stats
                    .to_json(state.snapshot.reloads(), state.snapshot.generation()),
            );
            Value::Object(out)
        }
    };
    Ok(response::json(StatusCode::OK, &body))
}

/// The context the show commands run in: the one the request names, else the system
/// execution space for [`Space::System`] commands in multiple mode, else none (LINA's
/// default, the admin context in multiple mode).
fn context_for(requested: Option<&str>, mode: ContextMode, space: Space) -> Option<String> {
    match (requested, mode, space) {
        (Some(name), _, _) => Some(name.to_owned()),
        (None, ContextMode::Multiple, Space::System) => Some(SYSTEM_CONTEXT.to_owned()),
        (None, _, _) => None,
    }
}

/// Runs show commands as the caller; their outputs, in order. A refused command is LINA's
/// error (400 with its output).
async fn show<const N: usize>(
    call: &Call<'_>,
    space: Space,
    commands: [&str; N],
) -> Result<[String; N], ApiError> {
    let commands: Vec<String> = commands.iter().map(|c| (*c).to_owned()).collect();
    let context = context_for(
        call.query.context.as_deref(),
        call.state.facts.context_mode,
        space,
    );
    let result = if context == call.query.context {
        call.exec(ExecMode::Exec, false, commands.clone()).await?
    } else {
        let mut query = call.query.clone();
        query.context = context;
        let routed = Call {
            state: call.state,
            session: call.session.clone(),
            source: call.source,
            origin: call.origin.clone(),
            query,
            stage: call.stage,
            preconditions: Preconditions::default(),
        };
        routed.exec(ExecMode::Exec, false, commands.clone()).await?
    };
    let mut outputs = Vec::with_capacity(N);
    for (i, command) in commands.into_iter().enumerate() {
        let outcome = result
            .outcomes
            .get(i)
            .ok_or(ApiError::LinaAnswer("fewer outputs than show commands"))?;
        if !outcome.ok {
            return Err(ApiError::Cli {
                command,
                output: outcome.output.clone(),
            });
        }
        outputs.push(outcome.output.clone());
    }
    outputs
        .try_into()
        .map_err(|_| ApiError::LinaAnswer("fewer outputs than show commands"))
}

fn version_json(call: &Call<'_>, v: &version::Version) -> Result<Value, ApiError> {
    let asa_version = v.asa_version.as_deref().ok_or(ApiError::LinaAnswer(
        "show version without a software version",
    ))?;
    let firewall_mode = match call.state.facts.firewall_mode {
        FirewallMode::Routed => "Router",
        FirewallMode::Transparent => "Transparent",
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(json!({
        "kind": "object#Version",
        "selfLink": call.origin.url(VERSION_PATH),
        "asaVersion": asa_version,
        "deviceType": v.device_type().unwrap_or_default(),
        "firewallMode": firewall_mode,
        "upTimeinSeconds": v.uptime_secs().unwrap_or(0),
        "totalFlashinMB": v.flash_mb().unwrap_or(0),
        "currentTimeinSeconds": now,
    }))
}

fn cpu_json(call: &Call<'_>, c: &cpu::CpuUsage) -> Result<Value, ApiError> {
    let t = c
        .total
        .ok_or(ApiError::LinaAnswer("show cpu usage without its figures"))?;
    Ok(json!({
        "kind": "object#CpuUsage",
        "selfLink": call.origin.url(CPU_PATH),
        "fiveSecondsPercent": t.five_seconds,
        "oneMinutePercent": t.one_minute,
        "fiveMinutesPercent": t.five_minutes,
    }))
}

fn memory_json(call: &Call<'_>, m: &memory::Memory) -> Result<Value, ApiError> {
    let (Some(free), Some(used)) = (m.free, m.used) else {
        return Err(ApiError::LinaAnswer("show memory without its figures"));
    };
    let total = m
        .total
        .map_or(free.bytes.saturating_add(used.bytes), |t| t.bytes);
    Ok(json!({
        "kind": "object#MemoryUsage",
        "selfLink": call.origin.url(MEMORY_PATH),
        "totalMemoryinBytes": total,
        "usedMemoryinBytes": used.bytes,
        "freeMemoryinBytes": free.bytes,
        "usedMemoryPercent": used.percent,
        "freeMemoryPercent": free.percent,
    }))
}

/// One interface's figures: the per-nameif traffic statistics when printed, else the
/// hardware counters.
fn metric_json(call: &Call<'_>, i: &interface::Interface) -> Value {
    let c = i.traffic.unwrap_or(i.counters);
    json!({
        "kind": "object#MonitoringMetric",
        "selfLink": call.origin.item_url(INTERFACES_PATH, &i.nameif),
        "objectId": i.nameif,
        "name": i.nameif,
        "hardwareID": i.hardware_id,
        "status": i.status,
        "lineProtocol": i.line_protocol,
        "macAddress": i.mac_address,
        "mtu": i.mtu,
        "ipAddress": i.ip_address.map(|a| a.to_string()),
        "netMask": i.netmask.map(|m| m.to_string()),
        "inputPackets": c.packets_input,
        "inputBytes": c.bytes_input,
        "outputPackets": c.packets_output,
        "outputBytes": c.bytes_output,
        "inputByteCount": c.bytes_input,
        "outputByteCount": c.bytes_output,
        "droppedPackets": c.packets_dropped,
        "inputErrors": i.counters.input_errors,
        "outputErrors": i.counters.output_errors,
        "inputRatePacketsPerSecond": i.one_minute.input_pps,
        "inputRateBytesPerSecond": i.one_minute.input_bps,
        "outputRatePacketsPerSecond": i.one_minute.output_pps,
        "outputRateBytesPerSecond": i.one_minute.output_bps,
    })
}

// issue 14: monitoring
/// `show clock` (`12:40:33.800 UTC Wed Aug 16 2017`) as `time`, `timeZone`, `date`.
fn clock_json(call: &Call<'_>, text: &str) -> Result<Value, ApiError> {
    let (time, zone, date) =
        split_clock(text).ok_or(ApiError::LinaAnswer("show clock not as hh:mm:ss zone date"))?;
    Ok(json!({
        "kind": "object#Clock",
        "selfLink": call.origin.url(CLOCK_PATH),
        "time": time,
        "timeZone": zone,
        "date": date,
    }))
}

fn split_clock(text: &str) -> Option<(&str, &str, String)> {
    let mut words = text.split_whitespace();
    let time = words.next().filter(|t| t.contains(':'))?;
    let zone = words.next()?;
    let date: Vec<&str> = words.collect();
    (!date.is_empty()).then(|| (time, zone, date.join(" ")))
}

/// A named interface's IPv4 address, `None` when it has none.
fn ip_address_json(call: &Call<'_>, i: &interface::Interface) -> Option<Value> {
    if i.nameif.is_empty() {
        return None;
    }
    let (ip, mask) = (i.ip_address?, i.netmask?);
    let origin = call.origin.url("");
    Some(json!({
        "kind": "object#IPAddressInfo",
        "objectId": i.nameif,
        "selfLink": call.origin.item_url(IP_ADDRESS_PATH, &i.nameif),
        "interface": cli_translator::resources::route::interface_ref(
            &i.nameif,
            Some(&i.hardware_id),
            &origin,
        ),
        "ipAddress": ip.to_string(),
        "netmask": mask.to_string(),
        "isClusterInterface": false,
    }))
}

/// One ARP entry as napalm-asa reads it: `interface`, `ipAddress`, `macAddress`, `proxyArp`.
fn arp_json(e: &arp::ArpEntry) -> Value {
    json!({
        "interface": e.interface,
        "ipAddress": e.ip.to_string(),
        "macAddress": e.mac_address,
        "proxyArp": e.proxy_arp(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Routes through the catalogue and keeps this family's target.
    fn route(segs: &[&str]) -> Option<MonitoringTarget> {
        match crate::api::router::route(&format!("/{}", segs.join("/")))
            .ok()?
            .target
        {
            crate::api::router::Target::Monitoring(t) => Some(t),
            _ => None,
        }
    }

    #[test]
    fn routes_every_monitoring_url() {
        let r = |p: &str| route(&p.split('/').filter(|s| !s.is_empty()).collect::<Vec<_>>());
        assert_eq!(
            r("/api/monitoring/device/components/version"),
            Some(MonitoringTarget::Version)
        );
        assert_eq!(
            r("/api/monitoring/device/components"),
            Some(MonitoringTarget::Components)
        );
        assert_eq!(
            r("/api/monitoring/device/components/cpu"),
            Some(MonitoringTarget::Cpu)
        );
        assert_eq!(
            r("/api/monitoring/device/components/memory"),
            Some(MonitoringTarget::Memory)
        );
        assert_eq!(
            r("/api/monitoring/device/interfaces"),
            Some(MonitoringTarget::Interfaces)
        );
        assert_eq!(
            r("/api/monitoring/device/interfaces/inside"),
            Some(MonitoringTarget::Interface("inside".into()))
        );
        assert_eq!(r("/api/monitoring/arp"), Some(MonitoringTarget::Arp));
        assert_eq!(
            r("/api/monitoring/connections"),
            Some(MonitoringTarget::Connections)
        );
        assert_eq!(
            r("/api/monitoring/apistatistics"),
            Some(MonitoringTarget::ApiStatistics)
        );
        assert_eq!(r("/api/monitoring/device"), None);
        assert_eq!(r("/api/monitoring/device/interfaces/a/b"), None);
        assert_eq!(r("/api/monitoring/serialnumber"), None);
        assert_eq!(r("/api/objects/arp"), None);
    }

    #[test]
    fn device_wide_figures_come_from_the_system_when_no_context_is_named() {
        use ContextMode::{Multiple, Single};
        assert_eq!(
            context_for(None, Multiple, Space::System).as_deref(),
            Some(SYSTEM_CONTEXT)
        );
        assert_eq!(context_for(None, Multiple, Space::Default), None);
        assert_eq!(context_for(None, Single, Space::System), None);
        assert_eq!(
            context_for(Some("ctx1"), Multiple, Space::System).as_deref(),
            Some("ctx1")
        );
        assert_eq!(
            context_for(Some("admin"), Multiple, Space::Default).as_deref(),
            Some("admin")
        );
    }

    #[test]
    fn show_clock_splits_into_time_zone_and_date() {
        assert_eq!(
            split_clock("12:40:33.800 UTC Wed Aug 16 2017\n"),
            Some(("12:40:33.800", "UTC", "Wed Aug 16 2017".to_owned()))
        );
        assert_eq!(split_clock("garbage"), None);
        assert_eq!(split_clock(""), None);
    }

    #[test]
    fn clock_and_ip_addresses_route() {
        let r = |p: &str| route(&p.split('/').filter(|s| !s.is_empty()).collect::<Vec<_>>());
        assert_eq!(r("/api/monitoring/clock"), Some(MonitoringTarget::Clock));
        assert_eq!(
            r("/api/monitoring/ipaddress"),
            Some(MonitoringTarget::IpAddresses)
        );
        assert_eq!(
            r("/api/monitoring/ipaddress/inside"),
            Some(MonitoringTarget::IpAddress("inside".into()))
        );
    }

    #[test]
    fn arp_entries_carry_the_napalm_fields() {
        let e = arp::parse(
            "\tinside 10.1.1.2 0050.56aa.0001 12\n\tinside 10.1.1.1 0050.56aa.0002 alias\n",
        );
        assert_eq!(
            arp_json(&e[0]),
            json!({"interface": "inside", "ipAddress": "10.1.1.2", "macAddress": "0050.56aa.0001", "proxyArp": false})
        );
        assert_eq!(arp_json(&e[1])["proxyArp"], true);
    }

    #[test]
    fn arp_entries_pass_their_schema() {
        use cli_translator::schema::Strictness;
        let e = arp::parse(
            "\tinside 10.1.1.2 0050.56aa.0001 12\n\tinside 10.1.1.1 0050.56aa.0002 alias\n",
        );
        assert_eq!(e.len(), 2);
        for entry in &e {
            let j = arp_json(entry);
            crate::api::schemas::ARP_ENTRY
                .check(&j, Strictness::Response)
                .unwrap_or_else(|m| panic!("{m} in {j}"));
        }
    }
}
