//! Logging: syslog servers (`/api/logging/syslogserver`, one `logging host` line each) and
//! the auto-created logging settings: `/api/logging/syslogserversettings` (`logging queue`,
//! `logging permit-hostdown`), `/api/logging/syslogconfigsettings` (`logging enable`,
//! `logging timestamp [rfc5424]`, `logging device-id`, `logging facility`, the trap and
//! buffer levels) and `/api/logging/syslogconfig` (`logging message <id> level <l>`,
//! `no logging message <id>`).
//!
//! ASA syntax: `logging host <nameif> <ip> [tcp|udp][/<port>] [format emblem] [secure]`.
//! The server body is what four public scripts send: `ip` `{kind: IPv4Address, value}`,
//! `interface` `{kind: objectRef#Interface, name}`, `port` a JSON number, `protocol`
//! `"UDP"|"TCP"`, `emblemEnabled` and `secureEnabled` booleans (optional). The `kind`s, the
//! objectId (the server's address) and the settings' shapes are ours (no public source).

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use serde_json::{Map, Value, json};

use super::reference::origin_of;
use super::route::interface_ref;
use super::{
    Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_bool, json_str,
    json_u32,
};
use crate::parse::is_nameif;
use crate::schema::{
    ADDRESS, Field, KIND as KIND_FIELD, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, Type,
};

pub const SERVER_KIND: &str = "object#SyslogServer";
pub const SERVER_COLLECTION_KIND: &str = "collection#SyslogServer";
pub const SERVER_PATH: &str = "/api/logging/syslogserver";

/// Syslog severities, by number.
pub const LEVELS: [&str; 8] = [
    "emergencies",
    "alerts",
    "critical",
    "errors",
    "warnings",
    "notifications",
    "informational",
    "debugging",
];

/// A level as the CLI takes it (name or number) in its canonical name.
pub fn level_name(s: &str) -> Option<&'static str> {
    if let Ok(n) = s.parse::<usize>() {
        return LEVELS.get(n).copied();
    }
    LEVELS.iter().find(|l| l.eq_ignore_ascii_case(s)).copied()
}

/// One `logging host` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyslogServer {
    pub nameif: String,
    pub address: IpAddr,
    /// The address as text: the objectId.
    pub id: String,
    pub tcp: bool,
    /// The port the line gives (`None`: the protocol's default, 514 or 1470).
    pub port: Option<u16>,
    /// Whether the line named the protocol without a port (`tcp`).
    pub bare_protocol: bool,
    pub emblem: bool,
    pub secure: bool,
    /// The interface's hardware id, when known.
    pub hardware: Option<String>,
}

impl SyslogServer {
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(if self.tcp { 1470 } else { 514 })
    }
}

impl fmt::Display for SyslogServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "logging host {} {}", self.nameif, self.address)?;
        let proto = if self.tcp { "tcp" } else { "udp" };
        match self.port {
            Some(p) => write!(f, " {proto}/{p}")?,
            None if self.bare_protocol || self.tcp => write!(f, " {proto}")?,
            None => {}
        }
        if self.emblem {
            f.write_str(" format emblem")?;
        }
        if self.secure {
            f.write_str(" secure")?;
        }
        Ok(())
    }
}

/// Parses `logging host ...`.
pub fn parse_server(text: &str) -> Option<SyslogServer> {
    let rest = text.strip_prefix("logging host ")?;
    let mut words = rest.split_whitespace();
    let nameif = words.next()?;
    if !is_nameif(nameif) {
        return None;
    }
    let address: IpAddr = words.next()?.parse().ok()?;
    let mut s = SyslogServer {
        nameif: nameif.to_owned(),
        id: address.to_string(),
        address,
        tcp: false,
        port: None,
        bare_protocol: false,
        emblem: false,
        secure: false,
        hardware: None,
    };
    while let Some(w) = words.next() {
        match w {
            "tcp" | "6" => {
                s.tcp = true;
                s.bare_protocol = true;
            }
            "udp" | "17" => s.bare_protocol = true,
            "format" => {
                if words.next()? != "emblem" {
                    return None;
                }
                s.emblem = true;
            }
            "secure" => s.secure = true,
            _ => {
                let (proto, port) = w.split_once('/')?;
                s.tcp = match proto {
                    "tcp" | "6" => true,
                    "udp" | "17" => false,
                    _ => return None,
                };
                s.port = Some(port.parse().ok().filter(|p| *p > 0)?);
            }
        }
    }
    Some(s)
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

/// `object#SyslogServer`.
pub static SERVER_SCHEMA: Object = Object {
    name: "SyslogServer",
    description: "A syslog server (`logging host`); the objectId is its address.",
    fields: &[
        KIND_FIELD,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "ip",
            Type::Object(&ADDRESS),
            "The server's address (`IPv4Address` or `IPv6Address`).",
        )
        .required(),
        Field::new(
            "interface",
            Type::Object(&OBJECT_REF),
            "The interface it is reached through (`objectRef#Interface`; `name` is read).",
        )
        .required(),
        Field::new(
            "port",
            Type::Int {
                min: Some(1),
                max: Some(65535),
            },
            "The port (default 514 for UDP, 1470 for TCP).",
        ),
        Field::new(
            "protocol",
            Type::Enum(&["UDP", "TCP"]),
            "The transport (default UDP).",
        ),
        Field::new(
            "emblemEnabled",
            Type::Bool,
            "Messages in EMBLEM format (`format emblem`).",
        ),
        Field::new(
            "secureEnabled",
            Type::Bool,
            "TLS to the server (`secure`; TCP only).",
        ),
    ],
    kinds: &[SERVER_KIND],
    ours: true,
};

impl Resource for SyslogServer {
    const KIND: &'static str = SERVER_KIND;
    const COLLECTION_KIND: &'static str = SERVER_COLLECTION_KIND;
    const PATH: &'static str = SERVER_PATH;
    const SCHEMA: &'static Object = &SERVER_SCHEMA;
    const CLI_HEADER: &'static str = "logging host ";

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(SERVER_KIND));
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
        m.insert("port".into(), Value::from(self.effective_port()));
        m.insert(
            "protocol".into(),
            Value::from(if self.tcp { "TCP" } else { "UDP" }),
        );
        m.insert("emblemEnabled".into(), Value::from(self.emblem));
        m.insert("secureEnabled".into(), Value::from(self.secure));
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
        let tcp = match (get("protocol"), base) {
            (Some(v), _) => match json_str(v, "protocol")?.to_ascii_uppercase().as_str() {
                "TCP" => true,
                "UDP" => false,
                other => return Err(bad("protocol", format!("'{other}' is not UDP or TCP"))),
            },
            (None, Some(b)) => b.tcp,
            (None, None) => false,
        };
        let port = match (get("port"), base) {
            (Some(v), _) => {
                let p = json_u32(v, "port")?;
                let p = u16::try_from(p)
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| bad("port", "a port from 1 to 65535"))?;
                Some(p)
            }
            (None, Some(b)) if b.tcp == tcp => b.port,
            _ => None,
        };
        let flag = |k: &str, old: Option<bool>| match get(k) {
            Some(v) => json_bool(v, k),
            None => Ok(old.unwrap_or(false)),
        };
        let emblem = flag("emblemEnabled", base.map(|b| b.emblem))?;
        let secure = flag("secureEnabled", base.map(|b| b.secure))?;
        if secure && !tcp {
            return Err(bad("secureEnabled", "secure logging needs TCP"));
        }
        // A port equal to the protocol's default is kept as given (the ASA prints it).
        Ok(SyslogServer {
            nameif,
            id: address.to_string(),
            address,
            tcp,
            port,
            bare_protocol: tcp && port.is_none(),
            emblem,
            secure,
            hardware: None,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        vec![self.to_string()]
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old.to_string() == new.to_string() {
            return Vec::new();
        }
        vec![
            format!("no logging host {} {}", old.nameif, old.address),
            new.to_string(),
        ]
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no logging host {} {}", self.nameif, self.address)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        if let Some(s) = parse_server(&format!("logging host {rest}")) {
            collection.insert(s);
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.syslog_servers
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.syslog_servers
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

// ----- settings -----

pub const SERVER_SETTINGS_KIND: &str = "object#SyslogServerSettings";
pub const SERVER_SETTINGS_PATH: &str = "/api/logging/syslogserversettings";
pub const CONFIG_SETTINGS_KIND: &str = "object#SyslogConfigSettings";
pub const CONFIG_SETTINGS_PATH: &str = "/api/logging/syslogconfigsettings";
pub const CONFIG_KIND: &str = "object#SyslogConfig";
pub const CONFIG_PATH: &str = "/api/logging/syslogconfig";

/// ASA default `logging queue`.
pub const DEFAULT_QUEUE: u32 = 512;

/// `logging queue <n>`, `logging permit-hostdown`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyslogServerSettings {
    pub queue: Option<u32>,
    pub permit_hostdown: bool,
}

impl SyslogServerSettings {
    pub fn absorb(&mut self, text: &str) {
        let w: Vec<&str> = text.split_whitespace().collect();
        match w.as_slice() {
            ["logging", "queue", n] => self.queue = n.parse().ok(),
            ["logging", "permit-hostdown"] => self.permit_hostdown = true,
            _ => {}
        }
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        json!({
            "kind": SERVER_SETTINGS_KIND,
            "selfLink": self_link,
            "queueSize": self.queue.unwrap_or(DEFAULT_QUEUE),
            "permitHostDown": self.permit_hostdown,
        })
    }

    pub fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let mut next = current.clone();
        if let Some(v) = get("queueSize") {
            let n = json_u32(v, "queueSize")?;
            if n > 8192 {
                return Err(bad("queueSize", "0 (unlimited) to 8192 messages"));
            }
            next.queue = (n != DEFAULT_QUEUE).then_some(n);
        }
        if let Some(v) = get("permitHostDown") {
            next.permit_hostdown = json_bool(v, "permitHostDown")?;
        }
        Ok(next)
    }

    pub fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut out = Vec::new();
        if old.queue != new.queue {
            out.push(match new.queue {
                Some(n) => format!("logging queue {n}"),
                None => "no logging queue".to_owned(),
            });
        }
        if old.permit_hostdown != new.permit_hostdown {
            out.push(if new.permit_hostdown {
                "logging permit-hostdown".to_owned()
            } else {
                "no logging permit-hostdown".to_owned()
            });
        }
        out
    }
}

/// `logging device-id ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceId {
    Hostname,
    /// `logging device-id string <text>`.
    Text(String),
    /// `logging device-id ipaddress <nameif>`.
    Address(String),
    ContextName,
}

/// `logging enable`, `logging timestamp [rfc5424]`, `logging device-id`, `logging facility`,
/// `logging trap <l>`, `logging buffered <l>`, `logging buffer-size <n>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyslogConfigSettings {
    pub enabled: bool,
    pub timestamp: bool,
    pub rfc5424: bool,
    pub device_id: Option<DeviceId>,
    pub facility: Option<u8>,
    pub trap: Option<&'static str>,
    pub buffered: Option<&'static str>,
    pub buffer_size: Option<u32>,
}

const DEFAULT_FACILITY: u8 = 20;
const DEFAULT_BUFFER_SIZE: u32 = 4096;

impl SyslogConfigSettings {
    pub fn absorb(&mut self, text: &str) {
        let w: Vec<&str> = text.split_whitespace().collect();
        match w.as_slice() {
            ["logging", "enable"] => self.enabled = true,
            ["logging", "timestamp"] => self.timestamp = true,
            ["logging", "timestamp", "rfc5424"] => {
                self.timestamp = true;
                self.rfc5424 = true;
            }
            ["logging", "device-id", "hostname"] => self.device_id = Some(DeviceId::Hostname),
            ["logging", "device-id", "context-name"] => {
                self.device_id = Some(DeviceId::ContextName);
            }
            ["logging", "device-id", "string", t] => {
                self.device_id = Some(DeviceId::Text((*t).to_owned()));
            }
            ["logging", "device-id", "ipaddress", n, ..] => {
                self.device_id = Some(DeviceId::Address((*n).to_owned()));
            }
            ["logging", "facility", n] => self.facility = n.parse().ok(),
            ["logging", "trap", l] => self.trap = level_name(l),
            ["logging", "buffered", l] => self.buffered = level_name(l),
            ["logging", "buffer-size", n] => self.buffer_size = n.parse().ok(),
            _ => {}
        }
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        let (kind, value) = match &self.device_id {
            None => ("none", String::new()),
            Some(DeviceId::Hostname) => ("hostname", String::new()),
            Some(DeviceId::ContextName) => ("context-name", String::new()),
            Some(DeviceId::Text(t)) => ("string", t.clone()),
            Some(DeviceId::Address(n)) => ("ipaddress", n.clone()),
        };
        json!({
            "kind": CONFIG_SETTINGS_KIND,
            "selfLink": self_link,
            "loggingEnabled": self.enabled,
            "timestampEnabled": self.timestamp,
            "timestampFormat": if self.rfc5424 { "rfc5424" } else { "legacy" },
            "deviceIdType": kind,
            "deviceIdValue": value,
            "facility": self.facility.unwrap_or(DEFAULT_FACILITY),
            "trapLevel": self.trap.unwrap_or("disabled"),
            "bufferedLevel": self.buffered.unwrap_or("disabled"),
            "bufferSize": self.buffer_size.unwrap_or(DEFAULT_BUFFER_SIZE),
        })
    }

    pub fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let mut next = current.clone();
        if let Some(v) = get("loggingEnabled") {
            next.enabled = json_bool(v, "loggingEnabled")?;
        }
        if let Some(v) = get("timestampEnabled") {
            next.timestamp = json_bool(v, "timestampEnabled")?;
            if !next.timestamp {
                next.rfc5424 = false;
            }
        }
        if let Some(v) = get("timestampFormat") {
            match json_str(v, "timestampFormat")? {
                "rfc5424" => next.rfc5424 = true,
                "legacy" => next.rfc5424 = false,
                _ => return Err(bad("timestampFormat", "legacy or rfc5424")),
            }
            if next.rfc5424 {
                next.timestamp = true;
            }
        }
        if let Some(v) = get("deviceIdType") {
            let value = match get("deviceIdValue") {
                Some(v) => json_str(v, "deviceIdValue")?.trim(),
                None => "",
            };
            next.device_id = match json_str(v, "deviceIdType")? {
                "none" => None,
                "hostname" => Some(DeviceId::Hostname),
                "context-name" => Some(DeviceId::ContextName),
                "string" => {
                    let ok = !value.is_empty()
                        && value.len() <= 16
                        && value.bytes().all(|b| b.is_ascii_graphic() && b != b'?');
                    if !ok {
                        return Err(bad(
                            "deviceIdValue",
                            "1 to 16 printable characters without spaces",
                        ));
                    }
                    Some(DeviceId::Text(value.to_owned()))
                }
                "ipaddress" => {
                    if !is_nameif(value) {
                        return Err(bad("deviceIdValue", "an interface name (nameif)"));
                    }
                    Some(DeviceId::Address(value.to_owned()))
                }
                _ => {
                    return Err(bad(
                        "deviceIdType",
                        "none, hostname, context-name, string or ipaddress",
                    ));
                }
            };
        }
        if let Some(v) = get("facility") {
            let n = json_u32(v, "facility")?;
            if !(16..=23).contains(&n) {
                return Err(bad("facility", "16 to 23"));
            }
            next.facility = u8::try_from(n).ok().filter(|n| *n != DEFAULT_FACILITY);
        }
        let level = |k: &str| -> Result<Option<Option<&'static str>>, FieldError> {
            let Some(v) = get(k) else { return Ok(None) };
            let s = json_str(v, k)?;
            if s == "disabled" {
                return Ok(Some(None));
            }
            level_name(s)
                .map(|l| Some(Some(l)))
                .ok_or_else(|| bad(k, "a severity (emergencies .. debugging) or disabled"))
        };
        if let Some(l) = level("trapLevel")? {
            next.trap = l;
        }
        if let Some(l) = level("bufferedLevel")? {
            next.buffered = l;
        }
        if let Some(v) = get("bufferSize") {
            let n = json_u32(v, "bufferSize")?;
            if !(4096..=1_048_576).contains(&n) {
                return Err(bad("bufferSize", "4096 to 1048576 bytes"));
            }
            next.buffer_size = (n != DEFAULT_BUFFER_SIZE).then_some(n);
        }
        Ok(next)
    }

    pub fn check(&self, cfg: &RunningConfig) -> Result<(), FieldError> {
        if let Some(DeviceId::Address(n)) = &self.device_id
            && cfg.access.hardware_of(n).is_none()
        {
            return Err(bad("deviceIdValue", format!("no interface is named '{n}'")));
        }
        Ok(())
    }

    pub fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut out = Vec::new();
        let mut toggle = |o: bool, n: bool, line: &str| {
            if o != n {
                out.push(if n {
                    line.to_owned()
                } else {
                    format!("no {line}")
                });
            }
        };
        toggle(old.enabled, new.enabled, "logging enable");
        if (old.timestamp, old.rfc5424) != (new.timestamp, new.rfc5424) {
            out.push(match (new.timestamp, new.rfc5424) {
                (false, _) => "no logging timestamp".to_owned(),
                (true, false) => "logging timestamp".to_owned(),
                (true, true) => "logging timestamp rfc5424".to_owned(),
            });
        }
        if old.device_id != new.device_id {
            out.push(match &new.device_id {
                None => "no logging device-id".to_owned(),
                Some(DeviceId::Hostname) => "logging device-id hostname".to_owned(),
                Some(DeviceId::ContextName) => "logging device-id context-name".to_owned(),
                Some(DeviceId::Text(t)) => format!("logging device-id string {t}"),
                Some(DeviceId::Address(n)) => format!("logging device-id ipaddress {n}"),
            });
        }
        if old.facility != new.facility {
            out.push(match new.facility {
                Some(f) => format!("logging facility {f}"),
                None => "no logging facility".to_owned(),
            });
        }
        for (o, n, word) in [
            (old.trap, new.trap, "trap"),
            (old.buffered, new.buffered, "buffered"),
        ] {
            if o != n {
                out.push(match n {
                    Some(l) => format!("logging {word} {l}"),
                    None => format!("no logging {word}"),
                });
            }
        }
        if old.buffer_size != new.buffer_size {
            out.push(match new.buffer_size {
                Some(n) => format!("logging buffer-size {n}"),
                None => "no logging buffer-size".to_owned(),
            });
        }
        out
    }
}

/// Per-message settings: `logging message <id> level <l>` and `no logging message <id>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyslogConfig {
    /// By message id: (enabled, level override).
    pub messages: BTreeMap<u32, (bool, Option<&'static str>)>,
}

fn message_id(s: &str) -> Option<u32> {
    s.parse::<u32>()
        .ok()
        .filter(|n| (100_000..=999_999).contains(n))
}

impl SyslogConfig {
    pub fn absorb(&mut self, text: &str) {
        let w: Vec<&str> = text.split_whitespace().collect();
        match w.as_slice() {
            ["logging", "message", id, "level", l] => {
                if let (Some(id), Some(l)) = (message_id(id), level_name(l)) {
                    let e = self.messages.entry(id).or_insert((true, None));
                    e.1 = Some(l);
                }
            }
            ["no", "logging", "message", id] => {
                if let Some(id) = message_id(id) {
                    self.messages.entry(id).or_insert((true, None)).0 = false;
                }
            }
            _ => {}
        }
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        let messages: Vec<Value> = self
            .messages
            .iter()
            .map(|(id, (enabled, level))| {
                let mut m = Map::new();
                m.insert("messageId".into(), Value::from(id.to_string()));
                m.insert("enabled".into(), Value::from(*enabled));
                if let Some(l) = level {
                    m.insert("level".into(), Value::from(*l));
                }
                Value::Object(m)
            })
            .collect();
        json!({"kind": CONFIG_KIND, "selfLink": self_link, "messages": messages})
    }

    /// A PUT body: `messages`, when given, is the whole list of per-message settings.
    pub fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let Some(list) = map.get("messages").filter(|v| !v.is_null()) else {
            return Ok(current.clone());
        };
        let list = list.as_array().ok_or_else(|| {
            FieldError::new(
                "messages",
                FieldProblem::WrongType {
                    expected: "an array",
                },
            )
        })?;
        let mut next = SyslogConfig::default();
        for (i, m) in list.iter().enumerate() {
            let attr = |k: &str| format!("messages[{i}].{k}");
            let id_value = m
                .get("messageId")
                .ok_or_else(|| FieldError::new(attr("messageId"), FieldProblem::Missing))?;
            let id = match id_value {
                Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
            .and_then(|n: u32| message_id(&n.to_string()))
            .ok_or_else(|| bad(&attr("messageId"), "a message id from 100000 to 999999"))?;
            let enabled = match m.get("enabled").filter(|v| !v.is_null()) {
                Some(v) => json_bool(v, &attr("enabled"))?,
                None => true,
            };
            let level =
                match m.get("level").filter(|v| !v.is_null()) {
                    Some(v) => Some(level_name(json_str(v, &attr("level"))?).ok_or_else(|| {
                        bad(&attr("level"), "a severity (emergencies .. debugging)")
                    })?),
                    None => None,
                };
            if enabled && level.is_none() {
                continue;
            }
            next.messages.insert(id, (enabled, level));
        }
        Ok(next)
    }

    pub fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut out = Vec::new();
        for (id, (enabled, level)) in &old.messages {
            let now = new.messages.get(id);
            if !enabled && now.is_none_or(|(e, _)| *e) {
                out.push(format!("logging message {id}"));
            }
            if level.is_some() && now.is_none_or(|(_, l)| l.is_none()) {
                out.push(format!("no logging message {id} level"));
            }
        }
        for (id, (enabled, level)) in &new.messages {
            let was = old.messages.get(id);
            if let Some(l) = level
                && was.is_none_or(|(_, o)| o != level)
            {
                out.push(format!("logging message {id} level {l}"));
            }
            if !enabled && was.is_none_or(|(e, _)| *e) {
                out.push(format!("no logging message {id}"));
            }
        }
        out
    }
}

const LEVEL_OR_DISABLED: Type = Type::Enum(&[
    "disabled",
    "emergencies",
    "alerts",
    "critical",
    "errors",
    "warnings",
    "notifications",
    "informational",
    "debugging",
]);

/// `object#SyslogServerSettings`.
pub static SERVER_SETTINGS_SCHEMA: Object = Object {
    name: "SyslogServerSettings",
    description: "Syslog server settings (`logging queue`, `logging permit-hostdown`).",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new(
            "queueSize",
            Type::Int {
                min: Some(0),
                max: Some(8192),
            },
            "Messages queued while servers are slow (0: no limit; default 512).",
        ),
        Field::new(
            "permitHostDown",
            Type::Bool,
            "Let traffic pass while a TCP syslog server is down.",
        ),
    ],
    kinds: &[SERVER_SETTINGS_KIND],
    ours: true,
};

/// `object#SyslogConfigSettings`.
pub static CONFIG_SETTINGS_SCHEMA: Object = Object {
    name: "SyslogConfigSettings",
    description: "Syslog settings (`logging enable`, `timestamp`, `device-id`, `facility`, levels).",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new("loggingEnabled", Type::Bool, "`logging enable`."),
        Field::new("timestampEnabled", Type::Bool, "`logging timestamp`."),
        Field::new(
            "timestampFormat",
            Type::Enum(&["legacy", "rfc5424"]),
            "Timestamp format (`logging timestamp rfc5424`).",
        ),
        Field::new(
            "deviceIdType",
            Type::Enum(&["none", "hostname", "context-name", "string", "ipaddress"]),
            "Device id in non-EMBLEM messages (`logging device-id`).",
        ),
        Field::new(
            "deviceIdValue",
            Type::Str,
            "The text (`string`) or the nameif (`ipaddress`).",
        ),
        Field::new(
            "facility",
            Type::Int {
                min: Some(16),
                max: Some(23),
            },
            "`logging facility` (default 20).",
        ),
        Field::new("trapLevel", LEVEL_OR_DISABLED, "`logging trap`."),
        Field::new("bufferedLevel", LEVEL_OR_DISABLED, "`logging buffered`."),
        Field::new(
            "bufferSize",
            Type::Int {
                min: Some(4096),
                max: Some(1_048_576),
            },
            "`logging buffer-size` (default 4096).",
        ),
    ],
    kinds: &[CONFIG_SETTINGS_KIND],
    ours: true,
};

/// One per-message setting.
pub static MESSAGE_SCHEMA: Object = Object {
    name: "SyslogMessageSetting",
    description: "A message's level override and whether it is logged.",
    fields: &[
        Field::new(
            "messageId",
            Type::OneOf(&[
                Type::Str,
                Type::Int {
                    min: Some(100_000),
                    max: Some(999_999),
                },
            ]),
            "The message id (`111010`).",
        )
        .required(),
        Field::new(
            "enabled",
            Type::Bool,
            "`no logging message <id>` when false.",
        ),
        Field::new(
            "level",
            Type::Enum(&LEVELS),
            "`logging message <id> level <l>`.",
        ),
    ],
    kinds: &[],
    ours: true,
};

/// `object#SyslogConfig`.
pub static CONFIG_SCHEMA: Object = Object {
    name: "SyslogConfig",
    description: "Per-message syslog settings; a PUT's `messages` replaces the whole list.",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new(
            "messages",
            Type::Array(&Type::Object(&MESSAGE_SCHEMA)),
            "The messages whose level or enabling differs from the default.",
        ),
    ],
    kinds: &[CONFIG_KIND],
    ours: true,
};

/// The `ip` (objectId) and `interface.name` of a host reached through an interface, as syslog
/// servers and NetFlow collectors take them: from the body, else on PATCH from `base`, else
/// the address from the objectId; a body address other than the objectId is a mismatch.
pub(super) fn host_on_interface(
    map: &serde_json::Map<String, Value>,
    id: Option<&str>,
    base: Option<(IpAddr, &str)>,
) -> Result<(IpAddr, String), FieldError> {
    let get = |k: &str| map.get(k).filter(|v| !v.is_null());
    let address: IpAddr = match (get("ip"), base) {
        (Some(v), _) => {
            let text = match v.get("value") {
                Some(inner) => json_str(inner, "ip.value")?,
                None => json_str(v, "ip")?,
            };
            text.trim()
                .parse()
                .map_err(|_| bad("ip.value", format!("'{text}' is not an IP address")))?
        }
        (None, Some((address, _))) => address,
        (None, None) => match id.and_then(|i| i.parse().ok()) {
            Some(a) => a,
            None => return Err(FieldError::new("ip", FieldProblem::Missing)),
        },
    };
    if let Some(id) = id
        && address.to_string() != id
    {
        return Err(FieldError::new("ip", FieldProblem::Mismatch));
    }
    let nameif = match (get("interface"), base) {
        (Some(v), _) => {
            let name = v
                .get("name")
                .ok_or_else(|| FieldError::new("interface.name", FieldProblem::Missing))
                .and_then(|n| json_str(n, "interface.name"))?;
            if !is_nameif(name) {
                return Err(bad(
                    "interface.name",
                    format!("'{name}' is not an interface name (nameif)"),
                ));
            }
            name.to_owned()
        }
        (None, Some((_, nameif))) => nameif.to_owned(),
        (None, None) => return Err(FieldError::new("interface", FieldProblem::Missing)),
    };
    Ok((address, nameif))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create(body: Value) -> Result<SyslogServer, FieldError> {
        SyslogServer::from_json(&body, WriteMode::Create)
    }

    #[test]
    fn script_bodies_map_to_logging_host_lines() {
        let s = create(json!({"ip": {"kind": "IPv4Address", "value": "192.0.2.50"},
            "interface": {"kind": "objectRef#Interface", "name": "inside"},
            "port": 1514, "protocol": "TCP", "emblemEnabled": false, "secureEnabled": false}))
        .unwrap();
        assert_eq!(s.cli_create(), ["logging host inside 192.0.2.50 tcp/1514"]);
        let s = create(json!({"ip": {"kind": "IPv4Address", "value": "192.0.2.51"},
            "interface": {"kind": "objectRef#Interface", "name": "inside"},
            "port": 514, "protocol": "UDP"}))
        .unwrap();
        assert_eq!(s.cli_create(), ["logging host inside 192.0.2.51 udp/514"]);
        let s = create(json!({"ip": {"kind": "IPv4Address", "value": "192.0.2.52"},
            "interface": {"kind": "objectRef#Interface", "name": "inside"},
            "port": 1040, "protocol": "UDP", "emblemEnabled": true}))
        .unwrap();
        assert_eq!(
            s.cli_create(),
            ["logging host inside 192.0.2.52 udp/1040 format emblem"]
        );
    }

    #[test]
    fn corpus_forms_read_back_and_print_as_read() {
        for line in [
            "logging host inside 10.0.0.1",
            "logging host outside 10.0.0.4 tcp",
            "logging host inside 10.0.0.5 tcp/1500",
            "logging host inside 10.0.0.6 udp/500",
            "logging host inside 2001::1:1 udp/2020",
            "logging host inside 10.0.0.7 tcp/6514 format emblem secure",
        ] {
            let s = parse_server(line).unwrap();
            assert_eq!(s.to_string(), line);
        }
        let s = parse_server("logging host outside 10.0.0.4 tcp").unwrap();
        assert_eq!(s.effective_port(), 1470);
    }

    #[test]
    fn refuses_bad_server_bodies() {
        for (body, attr) in [
            (
                json!({"interface": {"kind": "objectRef#Interface", "name": "inside"}}),
                "ip",
            ),
            (
                json!({"ip": {"kind": "IPv4Address", "value": "1.2.3.4"}}),
                "interface",
            ),
            (
                json!({"ip": {"kind": "IPv4Address", "value": "1.2.3.x"}, "interface": {"name": "inside"}}),
                "ip.value",
            ),
            (
                json!({"ip": {"kind": "IPv4Address", "value": "1.2.3.4"}, "interface": {"name": "in side"}}),
                "interface.name",
            ),
            (
                json!({"ip": {"kind": "IPv4Address", "value": "1.2.3.4"}, "interface": {"name": "inside"}, "port": 70000}),
                "port",
            ),
            (
                json!({"ip": {"kind": "IPv4Address", "value": "1.2.3.4"}, "interface": {"name": "inside"}, "protocol": "SCTP"}),
                "protocol",
            ),
            (
                json!({"ip": {"kind": "IPv4Address", "value": "1.2.3.4"}, "interface": {"name": "inside"}, "secureEnabled": true}),
                "secureEnabled",
            ),
        ] {
            assert_eq!(create(body).unwrap_err().attribute, attr);
        }
    }

    #[test]
    fn settings_round_trip_through_their_commands() {
        let old = SyslogConfigSettings::default();
        let new = SyslogConfigSettings::from_json(
            &json!({"loggingEnabled": true, "timestampEnabled": true, "timestampFormat": "rfc5424",
                "deviceIdType": "string", "deviceIdValue": "fw-1", "trapLevel": "informational",
                "bufferedLevel": "debugging", "facility": 21}),
            &old,
        )
        .unwrap();
        let lines = SyslogConfigSettings::cli_replace(&old, &new);
        let mut back = SyslogConfigSettings::default();
        for l in &lines {
            back.absorb(l);
        }
        assert_eq!(back, new, "{lines:?}");

        let old = SyslogServerSettings::default();
        let new =
            SyslogServerSettings::from_json(&json!({"queueSize": 0, "permitHostDown": true}), &old)
                .unwrap();
        assert_eq!(
            SyslogServerSettings::cli_replace(&old, &new),
            ["logging queue 0", "logging permit-hostdown"]
        );

        let mut old = SyslogConfig::default();
        old.absorb("no logging message 106015");
        old.absorb("logging message 111010 level critical");
        let new = SyslogConfig::from_json(
            &json!({"messages": [{"messageId": "605005", "level": "notifications"},
                {"messageId": 302013, "enabled": false}]}),
            &old,
        )
        .unwrap();
        assert_eq!(
            SyslogConfig::cli_replace(&old, &new),
            [
                "logging message 106015",
                "no logging message 111010 level",
                "no logging message 302013",
                "logging message 605005 level notifications",
            ]
        );
    }
}
