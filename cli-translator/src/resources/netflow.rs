//! NetFlow (NSEL) export: `/api/logging/netflow` (an auto-created singleton: the
//! `flow-export` timers) and `/api/logging/netflow/collectors` (one `flow-export
//! destination` line each; objectId: the collector's address).
//!
//! ASA syntax: `flow-export destination <nameif> <ip> <port>` (at most 5),
//! `flow-export template timeout-rate <1-3600>` (minutes, default 30),
//! `flow-export delay flow-create <1-180>` (seconds, none by default),
//! `flow-export active refresh-interval <1-60>` (minutes, default 1).
//! Cisco's document names the resource but gives no shape: every field name, the `kind`s and
//! the objectId rule are ours.

use std::net::IpAddr;

use serde_json::{Map, Value, json};

use super::logging::host_on_interface;
use super::reference::origin_of;
use super::route::interface_ref;
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_u32};
use crate::parse::is_nameif;
use crate::schema::{
    ADDRESS, Field, KIND as KIND_FIELD, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, Type,
};

pub const KIND: &str = "object#NetFlow";
pub const PATH: &str = "/api/logging/netflow";
pub const COLLECTOR_KIND: &str = "object#NetFlowCollector";
pub const COLLECTOR_COLLECTION_KIND: &str = "collection#NetFlowCollector";
pub const COLLECTORS_PATH: &str = "/api/logging/netflow/collectors";
/// Most `flow-export destination` lines an ASA takes.
pub const MAX_COLLECTORS: usize = 5;

const DEFAULT_TEMPLATE: u32 = 30;
const DEFAULT_REFRESH: u32 = 1;

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

/// The `flow-export` timers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetFlow {
    pub template_timeout: Option<u32>,
    pub delay_flow_create: Option<u32>,
    pub refresh_interval: Option<u32>,
}

/// A timer line: (slot words, value, range).
pub fn parse_timer(text: &str) -> Option<(&'static str, u32)> {
    let w: Vec<&str> = text.split_whitespace().collect();
    let (slot, n, range) = match w.as_slice() {
        ["flow-export", "template", "timeout-rate", n] => {
            ("flow-export template timeout-rate", n, 1..=3600)
        }
        ["flow-export", "delay", "flow-create", n] => ("flow-export delay flow-create", n, 1..=180),
        ["flow-export", "active", "refresh-interval", n] => {
            ("flow-export active refresh-interval", n, 1..=60)
        }
        _ => return None,
    };
    let n: u32 = n.parse().ok().filter(|n| range.contains(n))?;
    Some((slot, n))
}

impl NetFlow {
    pub fn absorb(&mut self, text: &str) {
        match parse_timer(text) {
            Some(("flow-export template timeout-rate", n)) => self.template_timeout = Some(n),
            Some(("flow-export delay flow-create", n)) => self.delay_flow_create = Some(n),
            Some(("flow-export active refresh-interval", n)) => self.refresh_interval = Some(n),
            _ => {}
        }
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        json!({
            "kind": KIND,
            "selfLink": self_link,
            "templateTimeoutRate": self.template_timeout.unwrap_or(DEFAULT_TEMPLATE),
            "delayFlowCreate": self.delay_flow_create.unwrap_or(0),
            "activeRefreshInterval": self.refresh_interval.unwrap_or(DEFAULT_REFRESH),
        })
    }

    pub fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let mut next = current.clone();
        let num = |k: &str, lo: u32, hi: u32| -> Result<Option<u32>, FieldError> {
            let Some(v) = get(k) else { return Ok(None) };
            let n = json_u32(v, k)?;
            if (lo..=hi).contains(&n) {
                Ok(Some(n))
            } else {
                Err(bad(k, format!("{lo} to {hi}")))
            }
        };
        if let Some(n) = num("templateTimeoutRate", 1, 3600)? {
            next.template_timeout = (n != DEFAULT_TEMPLATE).then_some(n);
        }
        if let Some(n) = num("delayFlowCreate", 0, 180)? {
            next.delay_flow_create = (n != 0).then_some(n);
        }
        if let Some(n) = num("activeRefreshInterval", 1, 60)? {
            next.refresh_interval = (n != DEFAULT_REFRESH).then_some(n);
        }
        Ok(next)
    }

    pub fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut out = Vec::new();
        for (o, n, slot) in [
            (
                old.template_timeout,
                new.template_timeout,
                "flow-export template timeout-rate",
            ),
            (
                old.delay_flow_create,
                new.delay_flow_create,
                "flow-export delay flow-create",
            ),
            (
                old.refresh_interval,
                new.refresh_interval,
                "flow-export active refresh-interval",
            ),
        ] {
            if o != n {
                out.push(match (o, n) {
                    (_, Some(v)) => format!("{slot} {v}"),
                    (Some(v), None) => format!("no {slot} {v}"),
                    (None, None) => continue,
                });
            }
        }
        out
    }
}

/// One `flow-export destination` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetFlowCollector {
    pub nameif: String,
    pub address: IpAddr,
    pub id: String,
    pub port: u16,
    pub hardware: Option<String>,
}

impl NetFlowCollector {
    pub fn line(&self) -> String {
        format!(
            "flow-export destination {} {} {}",
            self.nameif, self.address, self.port
        )
    }
}

pub fn parse_collector(text: &str) -> Option<NetFlowCollector> {
    let w: Vec<&str> = text.split_whitespace().collect();
    match w.as_slice() {
        ["flow-export", "destination", nameif, address, port] if is_nameif(nameif) => {
            let address: IpAddr = address.parse().ok()?;
            Some(NetFlowCollector {
                nameif: (*nameif).to_owned(),
                id: address.to_string(),
                address,
                port: port.parse().ok().filter(|p| *p > 0)?,
                hardware: None,
            })
        }
        _ => None,
    }
}

/// `object#NetFlow`.
pub static SCHEMA: Object = Object {
    name: "NetFlow",
    description: "NetFlow export timers (`flow-export template|delay|active`).",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new(
            "templateTimeoutRate",
            Type::Int {
                min: Some(1),
                max: Some(3600),
            },
            "Minutes between template records (default 30).",
        ),
        Field::new(
            "delayFlowCreate",
            Type::Int {
                min: Some(0),
                max: Some(180),
            },
            "Seconds a flow-create event waits (0: not delayed).",
        ),
        Field::new(
            "activeRefreshInterval",
            Type::Int {
                min: Some(1),
                max: Some(60),
            },
            "Minutes between flow-update events (default 1).",
        ),
    ],
    kinds: &[KIND],
    ours: true,
};

/// `object#NetFlowCollector`.
pub static COLLECTOR_SCHEMA: Object = Object {
    name: "NetFlowCollector",
    description: "A NetFlow collector (`flow-export destination`); the objectId is its address.",
    fields: &[
        KIND_FIELD,
        OBJECT_ID,
        SELF_LINK,
        Field::new("ip", Type::Object(&ADDRESS), "The collector's address.").required(),
        Field::new(
            "interface",
            Type::Object(&OBJECT_REF),
            "The interface it is reached through (`name` is read).",
        )
        .required(),
        Field::new(
            "port",
            Type::Int {
                min: Some(1),
                max: Some(65535),
            },
            "The collector's UDP port.",
        )
        .required(),
    ],
    kinds: &[COLLECTOR_KIND],
    ours: true,
};

impl Resource for NetFlowCollector {
    const KIND: &'static str = COLLECTOR_KIND;
    const COLLECTION_KIND: &'static str = COLLECTOR_COLLECTION_KIND;
    const PATH: &'static str = COLLECTORS_PATH;
    const SCHEMA: &'static Object = &COLLECTOR_SCHEMA;
    const CLI_HEADER: &'static str = "flow-export destination ";

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(COLLECTOR_KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        let kind = if self.address.is_ipv4() {
            "IPv4Address"
        } else {
            "IPv6Address"
        };
        m.insert("ip".into(), json!({"kind": kind, "value": self.id}));
        m.insert(
            "interface".into(),
            interface_ref(&self.nameif, self.hardware.as_deref(), origin_of(self_link)),
        );
        m.insert("port".into(), Value::from(self.port));
        m.insert("objectId".into(), Value::from(self.id.as_str()));
        Value::Object(m)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, .. } => (Some(id), None),
            WriteMode::Patch { id, existing } => (Some(id), Some(existing)),
        };
        let (address, nameif) =
            host_on_interface(map, id, base.map(|b| (b.address, b.nameif.as_str())))?;
        let port = match (get("port"), base) {
            (Some(v), _) => u16::try_from(json_u32(v, "port")?)
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| bad("port", "a port from 1 to 65535"))?,
            (None, Some(b)) => b.port,
            (None, None) => return Err(FieldError::new("port", FieldProblem::Missing)),
        };
        Ok(NetFlowCollector {
            nameif,
            id: address.to_string(),
            address,
            port,
            hardware: None,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        vec![self.line()]
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old.line() == new.line() {
            return Vec::new();
        }
        vec![format!("no {}", old.line()), new.line()]
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no {}", self.line())]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        if let Some(c) = parse_collector(&format!("flow-export destination {rest}")) {
            collection.insert(c);
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.netflow_collectors
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.netflow_collectors
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        match cfg.access.hardware_of(&self.nameif) {
            Some(hw) => {
                self.hardware = Some(hw.to_owned());
                Ok(())
            }
            None => Err(bad(
                "interface.name",
                format!("no interface is named '{}'", self.nameif),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_round_trip_and_collectors_print_as_read() {
        let old = NetFlow::default();
        let new = NetFlow::from_json(
            &json!({"templateTimeoutRate": 10, "delayFlowCreate": 5, "activeRefreshInterval": 1}),
            &old,
        )
        .unwrap();
        let lines = NetFlow::cli_replace(&old, &new);
        assert_eq!(
            lines,
            [
                "flow-export template timeout-rate 10",
                "flow-export delay flow-create 5"
            ]
        );
        let mut back = NetFlow::default();
        for l in &lines {
            back.absorb(l);
        }
        assert_eq!(back, new);
        assert!(NetFlow::from_json(&json!({"delayFlowCreate": 181}), &old).is_err());
        let c = parse_collector("flow-export destination inside 10.1.1.5 2055").unwrap();
        assert_eq!(c.line(), "flow-export destination inside 10.1.1.5 2055");
        assert!(parse_collector("flow-export destination inside 10.1.1.5 0").is_none());
    }
}
