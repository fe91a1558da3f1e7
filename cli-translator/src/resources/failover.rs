//! Failover: `/api/failover/setup` (an auto-created singleton) and the failover view of the
//! named interfaces, `/api/failover/interfaces/{objectId}` (objectId = hardware id with
//! `_API_SLASH_`).
//!
//! ASA syntax read and written here:
//! `failover` / `no failover`; `failover lan unit primary|secondary`;
//! `failover lan interface <name> <hwid>`; `failover link <name> [<hwid>]`;
//! `failover interface ip <name> <ip> <mask> standby <ip>`; `failover key [hex] <secret>`;
//! `failover ipsec pre-shared-key [hex] <secret>`; `failover replication http`;
//! `failover replication rate <n>`; `failover interface-policy <n>[%]`;
//! `failover polltime [unit] [msec] <t> [holdtime [msec] <t>]`;
//! `failover polltime interface [msec] <t> [holdtime <t>]`; `[no] monitor-interface <nameif>`.
//!
//! JSON (field names and types from go-ciscoasa `failover.go` and terraform's failover
//! resources): poll, hold and threshold values are JSON *strings*, `replicateRate` an
//! integer (-1 = not set). A PUT of the setup replaces it whole: what the body leaves out
//! returns to its default (terraform "deletes" the setup by a PUT of defaults). The keys are
//! write-only. The `kind` values are ours (no public source gives them).

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;

use serde_json::{Map, Value, json};

use super::field::kind_value;
use super::reference::origin_of;
use super::{FieldError, FieldProblem, json_bool, json_str};
use crate::interfaces::{Interface, Ipv4Setting, hardware_id, object_id};
use crate::parse::{is_hardware_id, is_nameif};
use crate::schema::{ADDRESS, Field, KIND as KIND_FIELD, OBJECT_REF, Object, SELF_LINK, Type};
use crate::words::{WordError, Words};

pub const KIND: &str = "object#FailoverSetup";
pub const PATH: &str = "/api/failover/setup";
pub const INTERFACES_PATH: &str = "/api/failover/interfaces";
pub const INTERFACE_KIND: &str = "object#FailoverInterface";
pub const INTERFACES_COLLECTION_KIND: &str = "collection#FailoverInterface";

/// The unit's preferred role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Primary,
    Secondary,
}

/// `failover interface ip <name> <ip> <mask> standby <ip>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkIp {
    pub active: Ipv4Addr,
    pub mask: Ipv4Addr,
    pub standby: Ipv4Addr,
}

/// A poll time and a hold time, each in seconds or milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Poll {
    pub poll: u32,
    pub poll_msec: bool,
    pub hold: u32,
    pub hold_msec: bool,
}

/// `failover polltime unit` default: 1 s, hold 15 s.
pub const UNIT_DEFAULT: Poll = Poll {
    poll: 1,
    poll_msec: false,
    hold: 15,
    hold_msec: false,
};
/// `failover polltime interface` default: 5 s, hold 25 s.
pub const INTERFACE_DEFAULT: Poll = Poll {
    poll: 5,
    poll_msec: false,
    hold: 25,
    hold_msec: false,
};

/// A key as configured (`hex` when given in hexadecimal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub hex: bool,
    pub secret: String,
}

/// What the `failover` and `monitor-interface` lines say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FailoverSetup {
    pub enabled: bool,
    pub unit: Option<Role>,
    /// `failover lan interface <name> <hwid>`.
    pub lan: Option<(String, String)>,
    /// `failover link <name> [<hwid>]` (no hardware id: the LAN interface is shared).
    pub link: Option<(String, Option<String>)>,
    /// `failover interface ip` by interface name.
    pub ips: BTreeMap<String, LinkIp>,
    pub key: Option<Key>,
    pub ipsec_key: Option<Key>,
    pub http_replicate: bool,
    pub replicate_rate: Option<u32>,
    /// `failover interface-policy <n>[%]`: (n, percent).
    pub policy: Option<(u32, bool)>,
    pub unit_poll: Option<Poll>,
    pub interface_poll: Option<Poll>,
    /// `monitor-interface <n>` (true) and `no monitor-interface <n>` (false), by nameif.
    pub monitor: BTreeMap<String, bool>,
}

/// One line of the family, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoLine {
    Enable(bool),
    Unit(Role),
    Lan(String, String),
    Link(String, Option<String>),
    Ip(String, LinkIp),
    Key(Key),
    IpsecKey(Key),
    HttpReplicate,
    ReplicateRate(u32),
    Policy(u32, bool),
    UnitPoll(Poll),
    InterfacePoll(Poll),
    Monitor(String, bool),
}

impl FoLine {
    /// The words that identify the slot the line fills: a new line with the same slot
    /// replaces the old one, `no <slot>` removes it.
    pub fn slot(&self) -> String {
        match self {
            FoLine::Enable(_) => "failover".into(),
            FoLine::Unit(_) => "failover lan unit".into(),
            FoLine::Lan(..) => "failover lan interface".into(),
            FoLine::Link(..) => "failover link".into(),
            FoLine::Ip(n, _) => format!("failover interface ip {n}"),
            FoLine::Key(_) => "failover key".into(),
            FoLine::IpsecKey(_) => "failover ipsec pre-shared-key".into(),
            FoLine::HttpReplicate => "failover replication http".into(),
            FoLine::ReplicateRate(_) => "failover replication rate".into(),
            FoLine::Policy(..) => "failover interface-policy".into(),
            FoLine::UnitPoll(_) => "failover polltime unit".into(),
            FoLine::InterfacePoll(_) => "failover polltime interface".into(),
            FoLine::Monitor(n, _) => format!("monitor-interface {n}"),
        }
    }
}

fn key_text(k: &Key) -> String {
    if k.hex {
        format!("hex {}", k.secret)
    } else {
        k.secret.clone()
    }
}

fn ms(msec: bool) -> &'static str {
    if msec { "msec " } else { "" }
}

impl fmt::Display for FoLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FoLine::Enable(true) => f.write_str("failover"),
            FoLine::Enable(false) => f.write_str("no failover"),
            FoLine::Unit(Role::Primary) => f.write_str("failover lan unit primary"),
            FoLine::Unit(Role::Secondary) => f.write_str("failover lan unit secondary"),
            FoLine::Lan(n, hw) => write!(f, "failover lan interface {n} {hw}"),
            FoLine::Link(n, Some(hw)) => write!(f, "failover link {n} {hw}"),
            FoLine::Link(n, None) => write!(f, "failover link {n}"),
            FoLine::Ip(n, ip) => write!(
                f,
                "failover interface ip {n} {} {} standby {}",
                ip.active, ip.mask, ip.standby
            ),
            FoLine::Key(k) => write!(f, "failover key {}", key_text(k)),
            FoLine::IpsecKey(k) => write!(f, "failover ipsec pre-shared-key {}", key_text(k)),
            FoLine::HttpReplicate => f.write_str("failover replication http"),
            FoLine::ReplicateRate(n) => write!(f, "failover replication rate {n}"),
            FoLine::Policy(n, pct) => {
                write!(
                    f,
                    "failover interface-policy {n}{}",
                    if *pct { "%" } else { "" }
                )
            }
            FoLine::UnitPoll(p) => write!(
                f,
                "failover polltime unit {}{} holdtime {}{}",
                ms(p.poll_msec),
                p.poll,
                ms(p.hold_msec),
                p.hold
            ),
            FoLine::InterfacePoll(p) => write!(
                f,
                "failover polltime interface {}{} holdtime {}",
                ms(p.poll_msec),
                p.poll,
                p.hold
            ),
            FoLine::Monitor(n, true) => write!(f, "monitor-interface {n}"),
            FoLine::Monitor(n, false) => write!(f, "no monitor-interface {n}"),
        }
    }
}

fn is_mask(m: Ipv4Addr) -> bool {
    let v = u32::from(m);
    v.leading_ones() + v.trailing_zeros() == 32
}

/// The next word as a number in `range`.
fn number(c: &mut Words<'_>, range: std::ops::RangeInclusive<u32>) -> Result<u32, WordError> {
    c.parse(|w| w.parse::<u32>().ok().filter(|n| range.contains(n)))
}

/// Takes `keyword`: `Incomplete` at the end of the line, `Invalid` at another word.
fn expect(c: &mut Words<'_>, keyword: &str) -> Result<(), WordError> {
    match c.peek() {
        Some(w) if w == keyword => {
            c.skip();
            Ok(())
        }
        Some(_) => Err(c.bad_next()),
        None => Err(WordError::Incomplete),
    }
}

/// The next word as an interface name.
fn name(c: &mut Words<'_>) -> Result<String, WordError> {
    let n = c.word()?;
    if is_nameif(n) {
        Ok(n.to_owned())
    } else {
        Err(c.bad())
    }
}

/// Checks a poll time (`msec` or seconds) against the ASA's ranges.
fn poll_range(unit: bool, msec: bool) -> std::ops::RangeInclusive<u32> {
    match (unit, msec) {
        (true, true) => 200..=999,
        (true, false) => 1..=15,
        (false, true) => 500..=999,
        (false, false) => 1..=15,
    }
}

fn hold_range(unit: bool, msec: bool) -> std::ops::RangeInclusive<u32> {
    match (unit, msec) {
        (true, true) => 800..=999,
        (true, false) => 1..=45,
        (false, _) => 5..=75,
    }
}

/// `[msec] <t> [holdtime [msec] <t>]` to the end of the line.
fn parse_poll(c: &mut Words<'_>, unit: bool) -> Result<Poll, WordError> {
    let poll_msec = c.eat_exact("msec");
    let poll = number(c, poll_range(unit, poll_msec))?;
    let default = if unit {
        UNIT_DEFAULT
    } else {
        INTERFACE_DEFAULT
    };
    let mut p = Poll {
        poll,
        poll_msec,
        hold: default.hold,
        hold_msec: false,
    };
    match c.peek() {
        None => {
            // The ASA sets the hold time to at least 3 times the poll time.
            let hold_s = if poll_msec { 1 } else { poll * 3 };
            p.hold = p.hold.max(hold_s);
            return Ok(p);
        }
        Some("holdtime") => c.skip(),
        Some(_) => return Err(c.bad_next()),
    }
    if unit && c.eat_exact("msec") {
        p.hold_msec = true;
    }
    p.hold = number(c, hold_range(unit, p.hold_msec))?;
    c.end()?;
    Ok(p)
}

/// `[hex] <secret>` to the end of the line.
fn parse_key(c: &mut Words<'_>) -> Result<Key, WordError> {
    let hex = c.eat_exact("hex");
    let secret = c.word()?;
    c.end()?;
    if hex && (secret.len() != 32 || !secret.bytes().all(|b| b.is_ascii_hexdigit())) {
        // The ASA's show running-config masks keys; a masked key reads back as given.
        if secret != "*****" {
            return Err(c.bad());
        }
    }
    if !hex && secret.len() > 63 {
        return Err(c.bad());
    }
    Ok(Key {
        hex,
        secret: secret.to_owned(),
    })
}

/// Reads one `failover ...` or `[no] monitor-interface ...` line (the words of its
/// positive form; `negated` for a leading `no`). Word indices count from the positive form.
pub fn parse_line(text: &str) -> Result<FoLine, WordError> {
    let mut c = Words::new(text);
    let negated = c.eat_exact("no");
    parse_words(&mut c, negated).map_err(|e| e.shifted(-isize::from(negated)))
}

fn parse_words(c: &mut Words<'_>, negated: bool) -> Result<FoLine, WordError> {
    if c.eat_exact("monitor-interface") {
        let n = name(c)?;
        c.end()?;
        return Ok(FoLine::Monitor(n, !negated));
    }
    if !c.eat_exact("failover") {
        return Err(c.bad_next());
    }
    if negated {
        // `no failover ...` names a slot; what follows the slot words is not checked.
        return match c.peek() {
            None => Ok(FoLine::Enable(false)),
            Some(_) => Err(c.bad_next()),
        };
    }
    let Some(keyword) = c.peek() else {
        return Ok(FoLine::Enable(true));
    };
    c.skip();
    let line = match keyword {
        "lan" => match c.word()? {
            "unit" => {
                let role = match c.word()? {
                    "primary" => Role::Primary,
                    "secondary" => Role::Secondary,
                    _ => return Err(c.bad()),
                };
                c.end()?;
                FoLine::Unit(role)
            }
            "interface" => {
                let n = name(c)?;
                let hw = c.word()?;
                if !is_hardware_id(hw) {
                    return Err(c.bad());
                }
                c.end()?;
                FoLine::Lan(n, hw.to_owned())
            }
            _ => return Err(c.bad()),
        },
        "link" => {
            let n = name(c)?;
            let hw = match c.peek() {
                Some(hw) if is_hardware_id(hw) => {
                    c.skip();
                    Some(hw.to_owned())
                }
                Some(_) => return Err(c.bad_next()),
                None => None,
            };
            c.end()?;
            FoLine::Link(n, hw)
        }
        "interface" => {
            expect(c, "ip")?;
            let n = name(c)?;
            let ip = |c: &mut Words<'_>| -> Result<Ipv4Addr, WordError> {
                let w = c.word()?;
                w.parse().map_err(|_| c.bad())
            };
            let active = ip(c)?;
            let mask = ip(c)?;
            if !is_mask(mask) {
                return Err(c.bad());
            }
            expect(c, "standby")?;
            let standby = ip(c)?;
            c.end()?;
            FoLine::Ip(
                n,
                LinkIp {
                    active,
                    mask,
                    standby,
                },
            )
        }
        "key" => FoLine::Key(parse_key(c)?),
        "ipsec" => {
            expect(c, "pre-shared-key")?;
            FoLine::IpsecKey(parse_key(c)?)
        }
        "replication" => match c.word()? {
            "http" => {
                c.end()?;
                FoLine::HttpReplicate
            }
            "rate" => {
                let n = number(c, 1..=1_000_000)?;
                c.end()?;
                FoLine::ReplicateRate(n)
            }
            _ => return Err(c.bad()),
        },
        "interface-policy" => {
            let v = c.word()?;
            let (digits, pct) = match v.strip_suffix('%') {
                Some(d) => (d, true),
                None => (v, false),
            };
            let range = if pct { 1..=100 } else { 1..=1024 };
            let n = digits
                .parse::<u32>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| c.bad())?;
            c.end()?;
            FoLine::Policy(n, pct)
        }
        "polltime" => match c.peek() {
            Some("interface") => {
                c.skip();
                FoLine::InterfacePoll(parse_poll(c, false)?)
            }
            Some("unit") => {
                c.skip();
                FoLine::UnitPoll(parse_poll(c, true)?)
            }
            Some(_) => FoLine::UnitPoll(parse_poll(c, true)?),
            None => return Err(WordError::Incomplete),
        },
        _ => return Err(c.bad()),
    };
    Ok(line)
}

impl FailoverSetup {
    /// Reads one top-level line of the family; a line that does not parse changes nothing.
    pub fn absorb(&mut self, text: &str) {
        let Ok(line) = parse_line(text) else {
            return;
        };
        self.apply(line);
    }

    fn apply(&mut self, line: FoLine) {
        match line {
            FoLine::Enable(on) => self.enabled = on,
            FoLine::Unit(r) => self.unit = Some(r),
            FoLine::Lan(n, hw) => self.lan = Some((n, hw)),
            FoLine::Link(n, hw) => self.link = Some((n, hw)),
            FoLine::Ip(n, ip) => {
                self.ips.insert(n, ip);
            }
            FoLine::Key(k) => self.key = Some(k),
            FoLine::IpsecKey(k) => self.ipsec_key = Some(k),
            FoLine::HttpReplicate => self.http_replicate = true,
            FoLine::ReplicateRate(n) => self.replicate_rate = Some(n),
            FoLine::Policy(n, p) => self.policy = Some((n, p)),
            FoLine::UnitPoll(p) => self.unit_poll = Some(p),
            FoLine::InterfacePoll(p) => self.interface_poll = Some(p),
            FoLine::Monitor(n, on) => {
                self.monitor.insert(n, on);
            }
        }
    }

    /// The hardware id of the stateful link (the LAN interface's when shared).
    fn link_hardware(&self) -> Option<&str> {
        let (name, hw) = self.link.as_ref()?;
        match hw {
            Some(hw) => Some(hw),
            None => self
                .lan
                .as_ref()
                .filter(|(n, _)| n == name)
                .map(|(_, hw)| hw.as_str()),
        }
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        let origin = origin_of(self_link);
        let reference = |hw: &str| {
            let id = object_id(hw);
            json!({
                "kind": "objectRef#Interface",
                "refLink": format!("{origin}/api/interfaces/physical/{id}"),
                "objectId": id,
            })
        };
        let addr = |a: Option<Ipv4Addr>| json!({"kind": "IPv4Address", "value": a.map(|a| a.to_string()).unwrap_or_default()});
        let mask = |a: Option<Ipv4Addr>| json!({"kind": "IPv4NetMask", "value": a.map(|a| a.to_string()).unwrap_or_default()});
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert("enableFOCheck".into(), Value::from(self.enabled));
        m.insert(
            "hexKey".into(),
            Value::from(self.key.as_ref().is_some_and(|k| k.hex)),
        );
        let lan_name = self
            .lan
            .as_ref()
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        m.insert("lanIFCName".into(), Value::from(lan_name.clone()));
        if let Some((name, hw)) = &self.lan {
            let ip = self.ips.get(name);
            m.insert("lanFoInterface".into(), reference(hw));
            m.insert("lanActiveIP".into(), addr(ip.map(|i| i.active)));
            m.insert("lanStandby".into(), addr(ip.map(|i| i.standby)));
            m.insert("lanSubnet".into(), mask(ip.map(|i| i.mask)));
        }
        m.insert(
            "isLANInterfacePreferredPrimary".into(),
            Value::from(self.unit == Some(Role::Primary)),
        );
        m.insert(
            "isLANInterfacePreferredSecondary".into(),
            Value::from(self.unit == Some(Role::Secondary)),
        );
        let state_name = self
            .link
            .as_ref()
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        m.insert("stateIFCName".into(), Value::from(state_name.clone()));
        if let Some(hw) = self.link_hardware() {
            let ip = self.ips.get(&state_name);
            m.insert("stateFoInterface".into(), reference(hw));
            m.insert("stateActiveIP".into(), addr(ip.map(|i| i.active)));
            m.insert("stateStandbyIP".into(), addr(ip.map(|i| i.standby)));
            m.insert("stateSubnet".into(), mask(ip.map(|i| i.mask)));
        }
        m.insert("httpReplicate".into(), Value::from(self.http_replicate));
        m.insert(
            "replicateRate".into(),
            Value::from(self.replicate_rate.map_or(-1, i64::from)),
        );
        let (threshold, pct) = self.policy.unwrap_or((1, false));
        m.insert(
            "failedInterfacesUnit".into(),
            Value::from(if pct { "Percentage" } else { "Number" }),
        );
        m.insert(
            "failedInterfacesTriggeringFailover".into(),
            Value::from(threshold.to_string()),
        );
        let unit = |msec: bool| if msec { "milliseconds" } else { "seconds" };
        let up = self.unit_poll.unwrap_or(UNIT_DEFAULT);
        let ip = self.interface_poll.unwrap_or(INTERFACE_DEFAULT);
        m.insert("unitPollTime".into(), Value::from(up.poll.to_string()));
        m.insert("unitPollTimeUnit".into(), Value::from(unit(up.poll_msec)));
        m.insert("unitHoldTime".into(), Value::from(up.hold.to_string()));
        m.insert("unitHoldTimeUnit".into(), Value::from(unit(up.hold_msec)));
        m.insert("monitoredPollTime".into(), Value::from(ip.poll.to_string()));
        m.insert(
            "monitoredPollTimeUnit".into(),
            Value::from(unit(ip.poll_msec)),
        );
        m.insert("interfaceHoldTime".into(), Value::from(ip.hold.to_string()));
        Value::Object(m)
    }

    /// A PUT body: the whole setup (what it leaves out returns to its default; the
    /// monitored interfaces are not part of it and stay).
    pub fn from_json(body: &Value, current: &FailoverSetup) -> Result<FailoverSetup, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let flag = |k: &str| get(k).map_or(Ok(false), |v| json_bool(v, k));
        let mut next = FailoverSetup {
            monitor: current.monitor.clone(),
            ..FailoverSetup::default()
        };
        next.enabled = flag("enableFOCheck")?;
        let primary = flag("isLANInterfacePreferredPrimary")?;
        let secondary = flag("isLANInterfacePreferredSecondary")?;
        next.unit = match (primary, secondary) {
            (true, true) => {
                return Err(bad(
                    "isLANInterfacePreferredSecondary",
                    "a unit is primary or secondary, not both",
                ));
            }
            (true, false) => Some(Role::Primary),
            (false, true) => Some(Role::Secondary),
            (false, false) => None,
        };
        let hex = flag("hexKey")?;
        next.key = secret(get("secretKey"), "secretKey", hex)?;
        next.ipsec_key = secret(get("ipSecKey"), "ipSecKey", false)?;
        if let Some((name, hw, ip)) = link(
            map,
            (
                "lanFoInterface",
                "lanIFCName",
                "lanActiveIP",
                "lanStandby",
                "lanSubnet",
            ),
        )? {
            next.ips.insert(name.clone(), ip);
            next.lan = Some((name, hw));
        }
        if let Some((name, hw, ip)) = link(
            map,
            (
                "stateFoInterface",
                "stateIFCName",
                "stateActiveIP",
                "stateStandbyIP",
                "stateSubnet",
            ),
        )? {
            match &next.lan {
                Some((lan_name, lan_hw)) if *lan_hw == hw => {
                    if *lan_name != name {
                        return Err(bad(
                            "stateIFCName",
                            "a link sharing the LAN interface takes its name",
                        ));
                    }
                    next.link = Some((name, None));
                }
                Some((lan_name, _)) if *lan_name == name => {
                    return Err(bad("stateIFCName", "the name is the LAN interface's"));
                }
                _ => {
                    next.ips.insert(name.clone(), ip);
                    next.link = Some((name, Some(hw)));
                }
            }
        }
        if next.enabled && next.lan.is_none() {
            return Err(bad(
                "enableFOCheck",
                "failover needs a LAN failover interface (lanFoInterface)",
            ));
        }
        next.http_replicate = flag("httpReplicate")?;
        next.replicate_rate = match get("replicateRate") {
            None => None,
            Some(v) => match v.as_i64() {
                Some(-1) => None,
                Some(n) if (1..=1_000_000).contains(&n) => u32::try_from(n).ok(),
                _ => {
                    return Err(bad(
                        "replicateRate",
                        "an integer: -1 (not set) or 1 to 1000000",
                    ));
                }
            },
        };
        let pct = match get("failedInterfacesUnit") {
            None => false,
            Some(v) => match json_str(v, "failedInterfacesUnit")? {
                "Number" => false,
                "Percentage" => true,
                _ => return Err(bad("failedInterfacesUnit", "Number or Percentage")),
            },
        };
        let threshold = num_str(
            get("failedInterfacesTriggeringFailover"),
            "failedInterfacesTriggeringFailover",
            1,
            if pct { 1..=100 } else { 1..=1024 },
        )?;
        next.policy = (threshold != 1 || pct).then_some((threshold, pct));
        let msec = |k: &str| -> Result<bool, FieldError> {
            match get(k) {
                None => Ok(false),
                Some(v) => match json_str(v, k)? {
                    "seconds" => Ok(false),
                    "milliseconds" => Ok(true),
                    _ => Err(bad(k, "seconds or milliseconds")),
                },
            }
        };
        let poll_msec = msec("unitPollTimeUnit")?;
        let hold_msec = msec("unitHoldTimeUnit")?;
        let unit_poll = Poll {
            poll: num_str(
                get("unitPollTime"),
                "unitPollTime",
                1,
                poll_range(true, poll_msec),
            )?,
            poll_msec,
            hold: num_str(
                get("unitHoldTime"),
                "unitHoldTime",
                15,
                hold_range(true, hold_msec),
            )?,
            hold_msec,
        };
        next.unit_poll = (unit_poll != UNIT_DEFAULT).then_some(unit_poll);
        let mon_msec = msec("monitoredPollTimeUnit")?;
        let iface_poll = Poll {
            poll: num_str(
                get("monitoredPollTime"),
                "monitoredPollTime",
                5,
                poll_range(false, mon_msec),
            )?,
            poll_msec: mon_msec,
            hold: num_str(
                get("interfaceHoldTime"),
                "interfaceHoldTime",
                25,
                hold_range(false, false),
            )?,
            hold_msec: false,
        };
        // The interface hold time is at least 5 times the poll time.
        let poll_ms = if mon_msec {
            iface_poll.poll
        } else {
            iface_poll.poll * 1000
        };
        if iface_poll.hold * 1000 < poll_ms * 5 {
            return Err(bad(
                "interfaceHoldTime",
                "at least 5 times the monitored poll time",
            ));
        }
        next.interface_poll = (iface_poll != INTERFACE_DEFAULT).then_some(iface_poll);
        Ok(next)
    }

    /// The commands turning `old` into `new`: removals first (failover off before its
    /// interfaces change), additions in the order the ASA needs them, `failover` last.
    pub fn cli_replace(old: &FailoverSetup, new: &FailoverSetup) -> Vec<String> {
        let mut out = Vec::new();
        let links_change = old.lan != new.lan || old.link != new.link || old.ips != new.ips;
        if old.enabled && (!new.enabled || links_change) {
            out.push("no failover".to_owned());
        }
        for (name, ip) in &old.ips {
            if new.ips.get(name) != Some(ip) {
                out.push(format!("no {}", FoLine::Ip(name.clone(), *ip)));
            }
        }
        if let Some((n, hw)) = &old.link
            && new.link != old.link
        {
            out.push(format!("no {}", FoLine::Link(n.clone(), hw.clone())));
        }
        if let Some((n, hw)) = &old.lan
            && new.lan != old.lan
        {
            out.push(format!("no {}", FoLine::Lan(n.clone(), hw.clone())));
        }
        if old.unit != new.unit {
            match new.unit {
                Some(r) => out.push(FoLine::Unit(r).to_string()),
                None => out.push("no failover lan unit".to_owned()),
            }
        }
        if let Some((n, hw)) = &new.lan
            && new.lan != old.lan
        {
            out.push(FoLine::Lan(n.clone(), hw.clone()).to_string());
        }
        if let Some((n, hw)) = &new.link
            && new.link != old.link
        {
            out.push(FoLine::Link(n.clone(), hw.clone()).to_string());
        }
        for (name, ip) in &new.ips {
            if old.ips.get(name) != Some(ip) {
                out.push(FoLine::Ip(name.clone(), *ip).to_string());
            }
        }
        // Keys cannot be compared (the device shows them masked): a key given is sent.
        match &new.key {
            Some(k) => out.push(FoLine::Key(k.clone()).to_string()),
            None if old.key.is_some() => out.push("no failover key".to_owned()),
            None => {}
        }
        match &new.ipsec_key {
            Some(k) => out.push(FoLine::IpsecKey(k.clone()).to_string()),
            None if old.ipsec_key.is_some() => {
                out.push("no failover ipsec pre-shared-key".to_owned());
            }
            None => {}
        }
        if old.http_replicate != new.http_replicate {
            out.push(if new.http_replicate {
                "failover replication http".to_owned()
            } else {
                "no failover replication http".to_owned()
            });
        }
        if old.replicate_rate != new.replicate_rate {
            out.push(match new.replicate_rate {
                Some(n) => FoLine::ReplicateRate(n).to_string(),
                None => "no failover replication rate".to_owned(),
            });
        }
        if old.policy != new.policy {
            out.push(match new.policy {
                Some((n, p)) => FoLine::Policy(n, p).to_string(),
                None => "no failover interface-policy".to_owned(),
            });
        }
        if old.unit_poll != new.unit_poll {
            out.push(match new.unit_poll {
                Some(p) => FoLine::UnitPoll(p).to_string(),
                None => "no failover polltime unit".to_owned(),
            });
        }
        if old.interface_poll != new.interface_poll {
            out.push(match new.interface_poll {
                Some(p) => FoLine::InterfacePoll(p).to_string(),
                None => "no failover polltime interface".to_owned(),
            });
        }
        if new.enabled && (!old.enabled || links_change) {
            out.push("failover".to_owned());
        }
        out
    }

    /// Whether the named interface is monitored: `[no] monitor-interface` says, else the
    /// ASA default (physical interfaces monitored, logical ones not).
    pub fn is_monitored(&self, iface: &Interface) -> bool {
        let name = iface.nameif.as_deref().unwrap_or_default();
        match self.monitor.get(name) {
            Some(on) => *on,
            None => !iface.hardware_id.contains('.') && !iface.hardware_id.starts_with("Vlan"),
        }
    }
}

/// The failover interfaces must exist and carry no nameif (failover names them).
pub fn check(setup: &FailoverSetup, cfg: &super::RunningConfig) -> Result<(), FieldError> {
    let mut links = Vec::new();
    if let Some((_, hw)) = &setup.lan {
        links.push(("lanFoInterface", hw.as_str()));
    }
    if let Some((_, Some(hw))) = &setup.link {
        links.push(("stateFoInterface", hw.as_str()));
    }
    for (attr, hw) in links {
        match cfg.interfaces.get(hw) {
            None => return Err(bad(attr, format!("no interface {hw}"))),
            Some(i) if i.nameif.is_some() => {
                return Err(bad(
                    attr,
                    format!("{hw} has a nameif; a failover interface must have none"),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

/// A decimal string (a number is accepted too) within `range`; `default` when absent.
fn num_str(
    v: Option<&Value>,
    attr: &str,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, FieldError> {
    let Some(v) = v else {
        return Ok(default);
    };
    let n = match v {
        Value::String(s) => s.trim().parse::<u32>().ok(),
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        _ => None,
    };
    n.filter(|n| range.contains(n)).ok_or_else(|| {
        bad(
            attr,
            format!("a number from {} to {}", range.start(), range.end()),
        )
    })
}

/// A key: empty or absent is none; no spaces, at most 63 characters (hex: 32 digits).
fn secret(v: Option<&Value>, attr: &str, hex: bool) -> Result<Option<Key>, FieldError> {
    let Some(v) = v else {
        return Ok(None);
    };
    let s = json_str(v, attr)?;
    if s.is_empty() {
        return Ok(None);
    }
    let ok = if hex {
        s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
    } else {
        s.len() <= 63 && s.bytes().all(|b| b.is_ascii_graphic()) && s != "*****"
    };
    if !ok {
        return Err(bad(
            attr,
            if hex {
                "32 hexadecimal digits"
            } else {
                "1 to 63 printable characters without spaces"
            },
        ));
    }
    Ok(Some(Key {
        hex,
        secret: s.to_owned(),
    }))
}

/// An interface reference's hardware id: `objectId` (`_API_SLASH_` form) or `name`.
fn ref_hardware(v: &Value, attr: &str) -> Result<String, FieldError> {
    let map = v.as_object().ok_or_else(|| {
        FieldError::new(
            attr,
            FieldProblem::WrongType {
                expected: "an interface reference",
            },
        )
    })?;
    let text = ["objectId", "name"]
        .iter()
        .filter_map(|k| map.get(*k).and_then(Value::as_str))
        .find(|s| !s.is_empty())
        .ok_or_else(|| FieldError::new(format!("{attr}.objectId"), FieldProblem::Missing))?;
    let hw = hardware_id(text);
    if !is_hardware_id(&hw) {
        return Err(bad(attr, format!("'{text}' is not a hardware id")));
    }
    Ok(hw)
}

fn ipv4(v: Option<&Value>, attr: &str, kind: &str) -> Result<Ipv4Addr, FieldError> {
    let v = v.ok_or_else(|| FieldError::new(attr, FieldProblem::Missing))?;
    let (k, value) = kind_value(v, attr)?;
    if k != kind {
        return Err(FieldError::new(
            format!("{attr}.kind"),
            FieldProblem::UnknownKind(k.to_owned()),
        ));
    }
    value.parse().map_err(|_| {
        bad(
            &format!("{attr}.value"),
            format!("'{value}' is not an IPv4 address"),
        )
    })
}

/// A failover link as the body gives it: (interface ref, name, active, standby, mask).
fn link(
    map: &Map<String, Value>,
    (iface, name, active, standby, subnet): (&str, &str, &str, &str, &str),
) -> Result<Option<(String, String, LinkIp)>, FieldError> {
    let get = |k: &str| map.get(k).filter(|v| !v.is_null());
    let Some(r) = get(iface) else {
        return Ok(None);
    };
    let hw = ref_hardware(r, iface)?;
    let n = match get(name) {
        Some(v) => json_str(v, name)?,
        None => "",
    };
    if n.is_empty() {
        return Err(FieldError::new(name, FieldProblem::Missing));
    }
    if !is_nameif(n) {
        return Err(bad(name, format!("'{n}' is not an interface name")));
    }
    let ip = LinkIp {
        active: ipv4(get(active), active, "IPv4Address")?,
        mask: ipv4(get(subnet), subnet, "IPv4NetMask")?,
        standby: ipv4(get(standby), standby, "IPv4Address")?,
    };
    if !is_mask(ip.mask) {
        return Err(bad(subnet, "not a network mask"));
    }
    let net = |a: Ipv4Addr| u32::from(a) & u32::from(ip.mask);
    if net(ip.active) != net(ip.standby) || ip.active == ip.standby {
        return Err(bad(
            standby,
            "the standby address must differ from the active one, in its subnet",
        ));
    }
    Ok(Some((n.to_owned(), hw, ip)))
}

/// The failover view of one named interface.
pub fn interface_json(iface: &Interface, setup: &FailoverSetup, self_link: &str) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), Value::from(INTERFACE_KIND));
    m.insert("selfLink".into(), Value::from(self_link));
    m.insert(
        "interfaceName".into(),
        Value::from(iface.hardware_id.as_str()),
    );
    m.insert(
        "name".into(),
        Value::from(iface.nameif.clone().unwrap_or_default()),
    );
    if let Ipv4Setting::Static {
        address,
        mask,
        standby,
    } = &iface.ipv4
    {
        m.insert(
            "activeIPAddress".into(),
            json!({"kind": "IPv4Address", "value": address.to_string()}),
        );
        m.insert(
            "subnetMask".into(),
            json!({"kind": "IPv4NetMask", "value": mask.to_string()}),
        );
        if let Some(sb) = standby {
            m.insert(
                "standbyIPAddress".into(),
                json!({"kind": "IPv4Address", "value": sb.to_string()}),
            );
        }
    }
    m.insert("isMonitored".into(), Value::from(setup.is_monitored(iface)));
    m.insert(
        "objectId".into(),
        Value::from(object_id(&iface.hardware_id)),
    );
    Value::Object(m)
}

/// A PUT of one interface's failover view: the commands (interface address with its
/// standby, `[no] monitor-interface`). A body without `standbyIPAddress` clears it.
pub fn interface_put(
    iface: &Interface,
    setup: &FailoverSetup,
    body: &Value,
) -> Result<Vec<String>, FieldError> {
    let map = body
        .as_object()
        .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
    let get = |k: &str| map.get(k).filter(|v| !v.is_null());
    let name = iface.nameif.clone().unwrap_or_default();
    let (cur_addr, cur_mask, cur_standby) = match &iface.ipv4 {
        Ipv4Setting::Static {
            address,
            mask,
            standby,
        } => (Some(*address), Some(*mask), *standby),
        _ => (None, None, None),
    };
    let address = match get("activeIPAddress") {
        Some(_) => Some(ipv4(
            get("activeIPAddress"),
            "activeIPAddress",
            "IPv4Address",
        )?),
        None => cur_addr,
    };
    let mask = match get("subnetMask") {
        Some(_) => Some(ipv4(get("subnetMask"), "subnetMask", "IPv4NetMask")?),
        None => cur_mask,
    };
    let standby = match get("standbyIPAddress") {
        Some(v) => {
            // An empty value clears it too.
            let (_, value) = kind_value(v, "standbyIPAddress")?;
            if value.is_empty() {
                None
            } else {
                Some(ipv4(Some(v), "standbyIPAddress", "IPv4Address")?)
            }
        }
        None => None,
    };
    let mut out = Vec::new();
    match (address, mask) {
        (Some(a), Some(m)) => {
            if !is_mask(m) {
                return Err(bad("subnetMask", "not a network mask"));
            }
            if let Some(sb) = standby {
                let net = |x: Ipv4Addr| u32::from(x) & u32::from(m);
                if net(sb) != net(a) || sb == a {
                    return Err(bad(
                        "standbyIPAddress",
                        "the standby address must differ from the active one, in its subnet",
                    ));
                }
            }
            if (Some(a), Some(m), standby) != (cur_addr, cur_mask, cur_standby) {
                out.push(format!("interface {}", iface.hardware_id));
                out.push(match standby {
                    Some(sb) => format!(" ip address {a} {m} standby {sb}"),
                    None => format!(" ip address {a} {m}"),
                });
            }
        }
        _ if standby.is_some() => {
            return Err(bad(
                "standbyIPAddress",
                "the interface has no static IPv4 address",
            ));
        }
        _ => {}
    }
    if let Some(v) = get("isMonitored") {
        let on = json_bool(v, "isMonitored")?;
        if on != setup.is_monitored(iface) {
            out.push(FoLine::Monitor(name, on).to_string());
        }
    }
    Ok(out)
}

const IP_OR_NULL: Type = Type::OneOf(&[Type::Object(&ADDRESS), Type::Null]);
const REF_OR_NULL: Type = Type::OneOf(&[Type::Object(&OBJECT_REF), Type::Null]);
const NUM_STR: Type = Type::OneOf(&[
    Type::Str,
    Type::Int {
        min: Some(0),
        max: Some(1_000_000),
    },
]);
const TIME_UNIT: Type = Type::Enum(&["seconds", "milliseconds"]);

/// The failover setup.
pub static SCHEMA: Object = Object {
    name: "FailoverSetup",
    description: "Failover setup (`failover ...` lines); a PUT replaces it whole.",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new(
            "enableFOCheck",
            Type::Bool,
            "Failover enabled (`failover`).",
        ),
        Field::new("secretKey", Type::Str, "`failover key` (never answered).").write_only(),
        Field::new(
            "hexKey",
            Type::Bool,
            "Whether `secretKey` is 32 hexadecimal digits.",
        ),
        Field::new(
            "ipSecKey",
            Type::Str,
            "`failover ipsec pre-shared-key` (never answered).",
        )
        .write_only(),
        Field::new(
            "lanFoInterface",
            REF_OR_NULL,
            "The LAN failover interface (hardware id).",
        ),
        Field::new("lanIFCName", Type::Str, "Its failover name."),
        Field::new("lanActiveIP", IP_OR_NULL, "Its active address."),
        Field::new("lanStandby", IP_OR_NULL, "Its standby address."),
        Field::new("lanSubnet", IP_OR_NULL, "Its mask (`IPv4NetMask`)."),
        Field::new(
            "isLANInterfacePreferredPrimary",
            Type::Bool,
            "`failover lan unit primary`.",
        ),
        Field::new(
            "isLANInterfacePreferredSecondary",
            Type::Bool,
            "`failover lan unit secondary`.",
        ),
        Field::new(
            "stateFoInterface",
            REF_OR_NULL,
            "The stateful failover link (hardware id).",
        ),
        Field::new("stateIFCName", Type::Str, "Its failover name."),
        Field::new("stateActiveIP", IP_OR_NULL, "Its active address."),
        Field::new("stateStandbyIP", IP_OR_NULL, "Its standby address."),
        Field::new("stateSubnet", IP_OR_NULL, "Its mask (`IPv4NetMask`)."),
        Field::new("httpReplicate", Type::Bool, "`failover replication http`."),
        Field::new(
            "replicateRate",
            Type::Int {
                min: Some(-1),
                max: Some(1_000_000),
            },
            "`failover replication rate` (-1: not set).",
        ),
        Field::new(
            "failedInterfacesUnit",
            Type::Enum(&["Number", "Percentage"]),
            "How the interface policy counts.",
        ),
        Field::new(
            "failedInterfacesTriggeringFailover",
            NUM_STR,
            "`failover interface-policy` (a string).",
        ),
        Field::new("unitPollTime", NUM_STR, "Unit poll time (a string)."),
        Field::new("unitPollTimeUnit", TIME_UNIT, "Its unit."),
        Field::new("unitHoldTime", NUM_STR, "Unit hold time (a string)."),
        Field::new("unitHoldTimeUnit", TIME_UNIT, "Its unit."),
        Field::new(
            "monitoredPollTime",
            NUM_STR,
            "Interface poll time (a string).",
        ),
        Field::new("monitoredPollTimeUnit", TIME_UNIT, "Its unit."),
        Field::new(
            "interfaceHoldTime",
            NUM_STR,
            "Interface hold time in seconds (a string, 5-75).",
        ),
    ],
    kinds: &[KIND],
    ours: true,
};

/// The failover view of a named interface.
pub static INTERFACE_SCHEMA: Object = Object {
    name: "FailoverInterface",
    description: "A named interface's failover settings: standby address and monitoring.",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        crate::schema::OBJECT_ID,
        Field::new("interfaceName", Type::Str, "The hardware id.").read_only(),
        Field::new("name", Type::Str, "The nameif.").read_only(),
        Field::new("activeIPAddress", IP_OR_NULL, "The interface's address."),
        Field::new("subnetMask", IP_OR_NULL, "Its mask (`IPv4NetMask`)."),
        Field::new(
            "standbyIPAddress",
            IP_OR_NULL,
            "The standby address; left out, it is cleared.",
        ),
        Field::new(
            "isMonitored",
            Type::Bool,
            "Whether failover monitors the interface.",
        ),
    ],
    kinds: &[INTERFACE_KIND],
    ours: true,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(lines: &str) -> FailoverSetup {
        let mut s = FailoverSetup::default();
        for l in lines.lines() {
            s.absorb(l);
        }
        s
    }

    const CORPUS: &str = "failover\nfailover lan unit primary\nfailover lan interface folink GigabitEthernet0/3\nfailover link folink GigabitEthernet0/3\nfailover interface ip folink 10.255.255.1 255.255.255.252 standby 10.255.255.2\n";

    #[test]
    fn reads_the_corpus_lines_and_answers_the_terraform_fields() {
        let s = setup(CORPUS);
        assert!(s.enabled);
        let j = s.to_json("https://a/api/failover/setup");
        assert_eq!(
            j["lanFoInterface"]["objectId"],
            "GigabitEthernet0_API_SLASH_3"
        );
        assert_eq!(j["lanActiveIP"]["value"], "10.255.255.1");
        assert_eq!(j["lanStandby"]["value"], "10.255.255.2");
        assert_eq!(j["lanSubnet"]["value"], "255.255.255.252");
        assert_eq!(
            j["stateFoInterface"]["objectId"],
            "GigabitEthernet0_API_SLASH_3"
        );
        assert_eq!(j["unitPollTime"], "1");
        assert_eq!(j["interfaceHoldTime"], "25");
        assert_eq!(j["replicateRate"], -1);
        assert!(j.get("secretKey").is_none());
    }

    #[test]
    fn every_line_prints_back_as_read() {
        for l in [
            "failover lan unit secondary",
            "failover lan interface fo GigabitEthernet0/2",
            "failover link st",
            "failover interface ip fo 10.0.0.1 255.255.255.0 standby 10.0.0.2",
            "failover key hex 0123456789abcdef0123456789abcdef",
            "failover ipsec pre-shared-key s3cr3t",
            "failover replication rate 500",
            "failover interface-policy 50%",
            "failover polltime unit msec 500 holdtime 3",
            "failover polltime interface 2 holdtime 10",
            "no monitor-interface inside",
        ] {
            assert_eq!(parse_line(l).unwrap().to_string(), l);
        }
        assert_eq!(
            parse_line("failover lan unit tertiary").unwrap_err().word(),
            Some(3)
        );
        assert_eq!(
            parse_line("failover interface ip fo 10.0.0.1 255.0.255.0 standby 10.0.0.2")
                .unwrap_err()
                .word(),
            Some(5)
        );
        assert_eq!(
            parse_line("failover lan interface").unwrap_err().word(),
            None
        );
        assert_eq!(
            parse_line("failover polltime unit 99").unwrap_err().word(),
            Some(3)
        );
    }

    #[test]
    fn terraform_delete_body_clears_everything_in_order() {
        let old = setup(&format!("{CORPUS}failover key k1\n"));
        let body = json!({"enableFOCheck": false, "secretKey": "", "ipSecKey": "", "hexKey": false,
            "lanIFCName": "", "isLANInterfacePreferredPrimary": false, "isLANInterfacePreferredSecondary": false,
            "stateIFCName": "", "httpReplicate": false, "replicateRate": -1, "failedInterfacesUnit": "Number",
            "failedInterfacesTriggeringFailover": "1", "unitPollTime": "1", "unitPollTimeUnit": "seconds",
            "unitHoldTime": "15", "unitHoldTimeUnit": "seconds", "monitoredPollTime": "5",
            "monitoredPollTimeUnit": "seconds", "interfaceHoldTime": "25"});
        let new = FailoverSetup::from_json(&body, &old).unwrap();
        assert_eq!(
            FailoverSetup::cli_replace(&old, &new),
            [
                "no failover",
                "no failover interface ip folink 10.255.255.1 255.255.255.252 standby 10.255.255.2",
                "no failover link folink GigabitEthernet0/3",
                "no failover lan interface folink GigabitEthernet0/3",
                "no failover lan unit",
                "no failover key",
            ]
        );
    }

    #[test]
    fn a_full_setup_reads_back_from_its_commands() {
        let old = FailoverSetup::default();
        let body = json!({"enableFOCheck": true, "secretKey": "k", "lanIFCName": "fo",
            "lanFoInterface": {"kind": "objectRef#Interface", "objectId": "GigabitEthernet0_API_SLASH_2"},
            "lanActiveIP": {"kind": "IPv4Address", "value": "10.9.0.1"},
            "lanStandby": {"kind": "IPv4Address", "value": "10.9.0.2"},
            "lanSubnet": {"kind": "IPv4NetMask", "value": "255.255.255.0"},
            "isLANInterfacePreferredPrimary": true, "isLANInterfacePreferredSecondary": false,
            "stateFoInterface": {"kind": "objectRef#Interface", "name": "GigabitEthernet0/4"},
            "stateIFCName": "st",
            "stateActiveIP": {"kind": "IPv4Address", "value": "10.8.0.1"},
            "stateStandbyIP": {"kind": "IPv4Address", "value": "10.8.0.2"},
            "stateSubnet": {"kind": "IPv4NetMask", "value": "255.255.255.0"},
            "httpReplicate": true, "replicateRate": 100,
            "failedInterfacesUnit": "Percentage", "failedInterfacesTriggeringFailover": "50",
            "unitPollTime": "2", "unitPollTimeUnit": "seconds", "unitHoldTime": "10",
            "unitHoldTimeUnit": "seconds", "monitoredPollTime": "3", "monitoredPollTimeUnit": "seconds",
            "interfaceHoldTime": "20"});
        let new = FailoverSetup::from_json(&body, &old).unwrap();
        let lines = FailoverSetup::cli_replace(&old, &new);
        assert_eq!(lines.last().map(String::as_str), Some("failover"));
        let back = setup(&lines.join("\n"));
        assert_eq!(back, new);
        let j = back.to_json("https://a/api/failover/setup");
        assert_eq!(
            j["stateFoInterface"]["objectId"],
            "GigabitEthernet0_API_SLASH_4"
        );
        assert_eq!(j["failedInterfacesTriggeringFailover"], "50");
        assert_eq!(j["unitHoldTime"], "10");
        assert!(
            FailoverSetup::cli_replace(&back, &new).len() == 1,
            "only the key is resent"
        );
    }

    #[test]
    fn refuses_bad_bodies() {
        let old = FailoverSetup::default();
        for (body, attr) in [
            (json!({"enableFOCheck": true}), "enableFOCheck"),
            (json!({"unitPollTime": "99"}), "unitPollTime"),
            (json!({"unitPollTime": 3}), ""),
            (
                json!({"monitoredPollTime": "10", "interfaceHoldTime": "25"}),
                "interfaceHoldTime",
            ),
            (
                json!({"lanFoInterface": {"kind": "objectRef#Interface", "objectId": "Gi0/1\nx"}, "lanIFCName": "a"}),
                "lanFoInterface",
            ),
            (json!({"secretKey": "a b"}), "secretKey"),
            (json!({"replicateRate": 0}), "replicateRate"),
        ] {
            match FailoverSetup::from_json(&body, &old) {
                Ok(_) if attr.is_empty() => {}
                Ok(_) => panic!("accepted {body}"),
                Err(e) => assert_eq!(e.attribute, attr, "{body}"),
            }
        }
    }

    #[test]
    fn interface_put_sets_and_clears_the_standby_address() {
        let iface = Interface::from_block(
            "GigabitEthernet0/1",
            &["nameif inside", "ip address 192.168.10.1 255.255.255.0"],
        );
        let s = FailoverSetup::default();
        let j = interface_json(&iface, &s, "https://a/api/failover/interfaces/x");
        assert_eq!(j["isMonitored"], true);
        assert!(j.get("standbyIPAddress").is_none());
        let body = json!({"standbyIPAddress": {"kind": "IPv4Address", "value": "192.168.10.10"}, "isMonitored": false});
        assert_eq!(
            interface_put(&iface, &s, &body).unwrap(),
            [
                "interface GigabitEthernet0/1",
                " ip address 192.168.10.1 255.255.255.0 standby 192.168.10.10",
                "no monitor-interface inside"
            ]
        );
        let bad = json!({"standbyIPAddress": {"kind": "IPv4Address", "value": "10.0.0.1"}});
        assert_eq!(
            interface_put(&iface, &s, &bad).unwrap_err().attribute,
            "standbyIPAddress"
        );
        let with = Interface::from_block(
            "GigabitEthernet0/1",
            &[
                "nameif inside",
                "ip address 192.168.10.1 255.255.255.0 standby 192.168.10.10",
            ],
        );
        assert_eq!(
            interface_put(&with, &s, &json!({"isMonitored": true})).unwrap(),
            [
                "interface GigabitEthernet0/1",
                " ip address 192.168.10.1 255.255.255.0"
            ]
        );
    }
}
