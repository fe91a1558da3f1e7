//! Smart licensing of the ASAv: `/api/licensing/smart/asav` (an auto-created singleton) and
//! the bodies of its actions (`register`, `deregister`, `renewauth`, `renewid`, `info`).
//!
//! ASA syntax: the `license smart` block (` feature tier standard`, ` throughput level 2G`,
//! ` privacy hostname`, ` privacy version`) and the call-home `profile License`
//! (`  destination address http <url>`, `  destination transport-method http`), as a real
//! ASAv prints them. The actions are exec commands: `license smart register idtoken <token>
//! [force]`, `license smart deregister`, `license smart renew auth|id`.
//!
//! JSON (go-ciscoasa `licensing.go`, terraform `license_config`): `licenseServerURL` string,
//! `transportURL`, `privacyHostName`, `privacyVersion` booleans, `throughput`, `featureTier`
//! strings. A PUT changes what it gives. Which CLI line carries the privacy flags is ours.

use serde_json::{Map, Value};

use super::{FieldError, FieldProblem, json_bool, json_str};
use crate::schema::{Field, KIND as KIND_FIELD, Object, SELF_LINK, Type};
use crate::words::{WordError, Words};

pub const KIND: &str = "object#SmartLicenseConfig";
pub const PATH: &str = "/api/licensing/smart/asav";
/// The call-home profile carrying the licensing server.
pub const PROFILE: &str = "License";
/// Throughput levels an ASAv takes.
pub const THROUGHPUTS: &[&str] = &["100M", "1G", "2G", "10G", "20G"];
/// Feature tiers.
pub const TIERS: &[&str] = &["standard"];

/// What the configuration says about smart licensing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmartLicense {
    /// Whether a `license smart` block exists.
    pub block: bool,
    pub feature_tier: Option<String>,
    pub throughput: Option<String>,
    pub privacy_hostname: bool,
    pub privacy_version: bool,
    /// Whether a `call-home` / `profile License` block exists.
    pub profile: bool,
    pub server_url: Option<String>,
    pub transport_http: bool,
}

impl SmartLicense {
    /// Reads the `license smart` block.
    pub fn absorb_license(&mut self, text: &str, children: &[&str]) {
        if text != "license smart" {
            return;
        }
        self.block = true;
        for c in children {
            let w: Vec<&str> = c.split_whitespace().collect();
            match w.as_slice() {
                ["feature", "tier", t] => self.feature_tier = Some((*t).to_owned()),
                ["throughput", "level", t] => self.throughput = Some((*t).to_owned()),
                ["privacy", "hostname"] => self.privacy_hostname = true,
                ["privacy", "version"] => self.privacy_version = true,
                _ => {}
            }
        }
    }

    /// Reads the `call-home` block (children arrive without their indentation, so the
    /// profile a line belongs to is the last `profile` line above it).
    pub fn absorb_call_home(&mut self, children: &[&str]) {
        let mut in_profile = false;
        for c in children {
            if let Some(name) = c.strip_prefix("profile ") {
                in_profile = name.trim() == PROFILE;
                self.profile |= in_profile;
                continue;
            }
            if !in_profile {
                continue;
            }
            let w: Vec<&str> = c.split_whitespace().collect();
            match w.as_slice() {
                ["destination", "address", "http", url] => {
                    self.server_url = Some((*url).to_owned())
                }
                ["destination", "transport-method", "http"] => self.transport_http = true,
                _ => {}
            }
        }
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert(
            "licenseServerURL".into(),
            Value::from(self.server_url.clone().unwrap_or_default()),
        );
        m.insert("transportURL".into(), Value::from(self.transport_http));
        m.insert("privacyHostName".into(), Value::from(self.privacy_hostname));
        m.insert("privacyVersion".into(), Value::from(self.privacy_version));
        m.insert(
            "throughput".into(),
            Value::from(self.throughput.clone().unwrap_or_default()),
        );
        m.insert(
            "featureTier".into(),
            Value::from(self.feature_tier.clone().unwrap_or_default()),
        );
        Value::Object(m)
    }

    /// A PUT body applied to `current`: what it leaves out keeps its value; an empty string
    /// removes the setting.
    pub fn from_json(body: &Value, current: &SmartLicense) -> Result<SmartLicense, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let mut next = current.clone();
        let choice = |k: &str, allowed: &[&str]| -> Result<Option<Option<String>>, FieldError> {
            let Some(v) = get(k) else { return Ok(None) };
            let s = json_str(v, k)?.trim();
            if s.is_empty() {
                return Ok(Some(None));
            }
            allowed
                .iter()
                .find(|a| a.eq_ignore_ascii_case(s))
                .map(|a| Some(Some((*a).to_owned())))
                .ok_or_else(|| bad(k, format!("one of {}", allowed.join(", "))))
        };
        if let Some(t) = choice("throughput", THROUGHPUTS)? {
            next.throughput = t;
        }
        if let Some(t) = choice("featureTier", TIERS)? {
            next.feature_tier = t;
        }
        if let Some(v) = get("privacyHostName") {
            next.privacy_hostname = json_bool(v, "privacyHostName")?;
        }
        if let Some(v) = get("privacyVersion") {
            next.privacy_version = json_bool(v, "privacyVersion")?;
        }
        if let Some(v) = get("transportURL") {
            next.transport_http = json_bool(v, "transportURL")?;
        }
        if let Some(v) = get("licenseServerURL") {
            let s = json_str(v, "licenseServerURL")?.trim();
            next.server_url = if s.is_empty() {
                None
            } else if is_http_url(s) {
                Some(s.to_owned())
            } else {
                return Err(bad(
                    "licenseServerURL",
                    "an http:// or https:// URL without spaces (at most 255 characters)",
                ));
            };
        }
        Ok(next)
    }

    /// The commands turning `old` into `new`.
    pub fn cli_replace(old: &SmartLicense, new: &SmartLicense) -> Vec<String> {
        let mut sub = Vec::new();
        let mut set = |o: &Option<String>, n: &Option<String>, words: &str| {
            if o != n {
                match (o, n) {
                    (_, Some(v)) => sub.push(format!(" {words} {v}")),
                    (Some(_), None) => sub.push(format!(" no {words}")),
                    (None, None) => {}
                }
            }
        };
        set(&old.feature_tier, &new.feature_tier, "feature tier");
        set(&old.throughput, &new.throughput, "throughput level");
        for (o, n, words) in [
            (
                old.privacy_hostname,
                new.privacy_hostname,
                "privacy hostname",
            ),
            (old.privacy_version, new.privacy_version, "privacy version"),
        ] {
            if o != n {
                sub.push(if n {
                    format!(" {words}")
                } else {
                    format!(" no {words}")
                });
            }
        }
        let mut out = Vec::new();
        if !sub.is_empty() {
            out.push("license smart".to_owned());
            out.extend(sub);
            out.push("exit".to_owned());
        }
        let mut profile = Vec::new();
        if old.server_url != new.server_url {
            if let Some(u) = &old.server_url {
                profile.push(format!("  no destination address http {u}"));
            }
            if let Some(u) = &new.server_url {
                profile.push(format!("  destination address http {u}"));
            }
        }
        if old.transport_http != new.transport_http {
            profile.push(if new.transport_http {
                "  destination transport-method http".to_owned()
            } else {
                "  no destination transport-method http".to_owned()
            });
        }
        if !profile.is_empty() {
            out.push("call-home".to_owned());
            out.push(format!(" profile {PROFILE}"));
            out.extend(profile);
            out.push("exit".to_owned());
        }
        out
    }
}

fn is_http_url(s: &str) -> bool {
    (s.starts_with("http://") || s.starts_with("https://"))
        && s.len() <= 255
        && s.bytes().all(|b| b.is_ascii_graphic() && b != b'"')
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

/// The registration token as `register` takes it: printable, no spaces, at most 1024
/// characters. Whether it is *valid* is decided later (as on an ASAv, asynchronously).
pub fn check_token(token: &str) -> Result<(), FieldError> {
    if token.is_empty() {
        return Err(FieldError::new("idToken", FieldProblem::Missing));
    }
    if token.len() > 1024 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad(
            "idToken",
            "printable characters without spaces (at most 1024)",
        ));
    }
    Ok(())
}

/// `0x` and 1 to 8 hexadecimal digits, five times: the key canonical (lower case, padded).
pub fn activation_key(words: &[&str]) -> Option<String> {
    if words.len() != 5 {
        return None;
    }
    let mut out = Vec::new();
    for w in words {
        let hex = w.strip_prefix("0x").or_else(|| w.strip_prefix("0X"))?;
        if hex.is_empty() || hex.len() > 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        out.push(format!("0x{:0>8}", hex.to_ascii_lowercase()));
    }
    Some(out.join(" "))
}

pub const ACTIVATION_KIND: &str = "object#LicenseActivation";
pub const ACTIVATION_PATH: &str = "/api/licensing/activation";

/// `object#LicenseActivation` (ours: Cisco's document names the resource only).
pub static ACTIVATION_SCHEMA: Object = Object {
    name: "LicenseActivation",
    description: "Permanent activation keys (`show activation-key`); a PUT installs one (`activation-key`), active after a reload.",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new("serialNumber", Type::Str, "The unit's serial number.").read_only(),
        Field::new(
            "runningPermanentKey",
            Type::Str,
            "The permanent activation key in use.",
        )
        .read_only(),
        Field::new(
            "flashPermanentKey",
            Type::Str,
            "The permanent activation key in flash (used after the next reload).",
        )
        .read_only(),
        Field::new(
            "reloadRequired",
            Type::Bool,
            "Whether the flash key differs from the running one.",
        )
        .read_only(),
        Field::new(
            "activationKey",
            Type::Str,
            "On PUT: the key to install, five `0x` words.",
        )
        .write_only(),
    ],
    kinds: &[ACTIVATION_KIND],
    ours: true,
};

pub const SHARED_KIND: &str = "object#SharedLicense";
pub const SHARED_PATH: &str = "/api/licensing/shared";
/// ASA default `license-server port`.
pub const SHARED_DEFAULT_PORT: u16 = 50554;
/// ASA default `license-server refresh-interval` (seconds).
pub const SHARED_DEFAULT_REFRESH: u32 = 30;

/// Shared licensing (`license-server ...`): this unit serves licenses (`enable` on
/// interfaces, with a secret) or takes part (`address <ip> secret <s> [port <p>]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedLicense {
    /// `license-server secret <s>` (as configuration prints it: possibly masked).
    pub secret: Option<String>,
    pub interfaces: Vec<String>,
    pub port: Option<u16>,
    pub refresh: Option<u32>,
    /// `license-server address <ip> secret <s> [port <p>]`: (address, secret, port).
    pub participant: Option<(std::net::IpAddr, String, Option<u16>)>,
}

/// A `license-server` line read: its slot and the setting it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LicenseServerLine {
    Secret(String),
    Enable(String),
    Port(u16),
    Refresh(u32),
    Address(std::net::IpAddr, String, Option<u16>),
}

fn is_secret(s: &str) -> bool {
    (4..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic())
}

/// Reads a `license-server` line; the error names the first wrong word.
pub fn parse_license_server(text: &str) -> Result<LicenseServerLine, WordError> {
    license_server(&mut Words::new(text))
}

fn license_server(c: &mut Words<'_>) -> Result<LicenseServerLine, WordError> {
    let secret = |c: &mut Words<'_>| -> Result<String, WordError> {
        c.parse(|s| (is_secret(s) || s == "*****").then(|| s.to_owned()))
    };
    let port = |c: &mut Words<'_>| c.parse(|w| w.parse::<u16>().ok().filter(|p| *p > 0));
    if c.word()? != "license-server" {
        return Err(c.bad());
    }
    let line = match c.word()? {
        "secret" => LicenseServerLine::Secret(secret(c)?),
        "enable" => LicenseServerLine::Enable(
            c.parse(|n| crate::parse::is_nameif(n).then(|| n.to_owned()))?,
        ),
        "port" => LicenseServerLine::Port(port(c)?),
        "refresh-interval" => LicenseServerLine::Refresh(
            c.parse(|w| w.parse::<u32>().ok().filter(|r| (10..=300).contains(r)))?,
        ),
        "address" => {
            let ip = c.parse(|w| w.parse().ok())?;
            if c.word()? != "secret" {
                return Err(c.bad());
            }
            let s = secret(c)?;
            let port = match c.peek() {
                None => None,
                Some("port") => {
                    c.skip();
                    Some(port(c)?)
                }
                Some(_) => return Err(c.bad_next()),
            };
            LicenseServerLine::Address(ip, s, port)
        }
        _ => return Err(c.bad()),
    };
    c.end()?;
    Ok(line)
}

impl LicenseServerLine {
    /// The words a new line of the same slot replaces (`no <slot>` removes it).
    pub fn slot(&self) -> String {
        match self {
            LicenseServerLine::Secret(_) => "license-server secret".into(),
            LicenseServerLine::Enable(n) => format!("license-server enable {n}"),
            LicenseServerLine::Port(_) => "license-server port".into(),
            LicenseServerLine::Refresh(_) => "license-server refresh-interval".into(),
            LicenseServerLine::Address(..) => "license-server address".into(),
        }
    }
}

fn address_line(ip: &std::net::IpAddr, secret: &str, port: Option<u16>) -> String {
    match port {
        Some(p) => format!("license-server address {ip} secret {secret} port {p}"),
        None => format!("license-server address {ip} secret {secret}"),
    }
}

impl SharedLicense {
    pub fn absorb(&mut self, text: &str) {
        match parse_license_server(text) {
            Ok(LicenseServerLine::Secret(s)) => self.secret = Some(s),
            Ok(LicenseServerLine::Enable(n)) => {
                if !self.interfaces.contains(&n) {
                    self.interfaces.push(n);
                }
            }
            Ok(LicenseServerLine::Port(p)) => self.port = Some(p),
            Ok(LicenseServerLine::Refresh(r)) => self.refresh = Some(r),
            Ok(LicenseServerLine::Address(ip, s, p)) => self.participant = Some((ip, s, p)),
            Err(_) => {}
        }
    }

    fn role(&self) -> &'static str {
        if self.participant.is_some() {
            "participant"
        } else if !self.interfaces.is_empty() || self.secret.is_some() {
            "server"
        } else {
            "none"
        }
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        let (address, port) = match &self.participant {
            Some((ip, _, p)) => (ip.to_string(), p.unwrap_or(SHARED_DEFAULT_PORT)),
            None => (String::new(), self.port.unwrap_or(SHARED_DEFAULT_PORT)),
        };
        serde_json::json!({
            "kind": SHARED_KIND,
            "selfLink": self_link,
            "role": self.role(),
            "serverInterfaces": self.interfaces,
            "port": port,
            "refreshInterval": self.refresh.unwrap_or(SHARED_DEFAULT_REFRESH),
            "serverAddress": address,
            "secretConfigured": self.secret.is_some() || self.participant.is_some(),
        })
    }

    /// A PUT body: `role` (default: the current one) and that role's settings; a secret
    /// is needed to become server or participant (the configured one is kept otherwise).
    pub fn from_json(body: &Value, current: &SharedLicense) -> Result<SharedLicense, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let role = match get("role") {
            Some(v) => json_str(v, "role")?,
            None => current.role(),
        };
        let secret = match get("secret") {
            Some(v) => {
                let s = json_str(v, "secret")?;
                if !is_secret(s) || s == "*****" {
                    return Err(bad(
                        "secret",
                        "4 to 128 printable characters without spaces",
                    ));
                }
                Some(s.to_owned())
            }
            None => None,
        };
        let port = match get("port") {
            Some(v) => Some(
                u16::try_from(super::json_u32(v, "port")?)
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| bad("port", "1 to 65535"))?,
            ),
            None => None,
        };
        let mut next = SharedLicense::default();
        match role {
            "none" => {}
            "server" => {
                next.secret = secret.or_else(|| current.secret.clone());
                if next.secret.is_none() {
                    return Err(FieldError::new("secret", FieldProblem::Missing));
                }
                next.interfaces = match get("serverInterfaces") {
                    Some(v) => {
                        let list = v.as_array().ok_or_else(|| {
                            FieldError::new(
                                "serverInterfaces",
                                FieldProblem::WrongType {
                                    expected: "an array of nameifs",
                                },
                            )
                        })?;
                        let mut out = Vec::new();
                        for n in list {
                            let n = json_str(n, "serverInterfaces")?;
                            if !crate::parse::is_nameif(n) {
                                return Err(bad(
                                    "serverInterfaces",
                                    format!("'{n}' is not a nameif"),
                                ));
                            }
                            if !out.iter().any(|o| o == n) {
                                out.push(n.to_owned());
                            }
                        }
                        out
                    }
                    None => current.interfaces.clone(),
                };
                next.port = match port {
                    Some(p) => (p != SHARED_DEFAULT_PORT).then_some(p),
                    None => current.port,
                };
                next.refresh = match get("refreshInterval") {
                    Some(v) => {
                        let r = super::json_u32(v, "refreshInterval")?;
                        if !(10..=300).contains(&r) {
                            return Err(bad("refreshInterval", "10 to 300 seconds"));
                        }
                        (r != SHARED_DEFAULT_REFRESH).then_some(r)
                    }
                    None => current.refresh,
                };
            }
            "participant" => {
                let address = match get("serverAddress") {
                    Some(v) => {
                        let t = json_str(v, "serverAddress")?.trim();
                        t.parse().map_err(|_| {
                            bad("serverAddress", format!("'{t}' is not an IP address"))
                        })?
                    }
                    None => match &current.participant {
                        Some((ip, _, _)) => *ip,
                        None => {
                            return Err(FieldError::new("serverAddress", FieldProblem::Missing));
                        }
                    },
                };
                let port = port.or_else(|| current.participant.as_ref().and_then(|(_, _, p)| *p));
                let secret = match (secret, &current.participant) {
                    (Some(s), _) => s,
                    (None, Some((ip, s, p))) if *ip == address && *p == port => s.clone(),
                    _ => return Err(FieldError::new("secret", FieldProblem::Missing)),
                };
                next.participant = Some((address, secret, port));
            }
            other => {
                return Err(bad(
                    "role",
                    format!("'{other}' is not none, server or participant"),
                ));
            }
        }
        Ok(next)
    }

    pub fn cli_replace(old: &SharedLicense, new: &SharedLicense) -> Vec<String> {
        let mut out = Vec::new();
        if old.participant != new.participant && old.participant.is_some() {
            out.push("no license-server address".to_owned());
        }
        for n in &old.interfaces {
            if !new.interfaces.contains(n) {
                out.push(format!("no license-server enable {n}"));
            }
        }
        if old.secret != new.secret {
            out.push(match &new.secret {
                Some(s) => format!("license-server secret {s}"),
                None => "no license-server secret".to_owned(),
            });
        }
        if old.port != new.port {
            out.push(match new.port {
                Some(p) => format!("license-server port {p}"),
                None => "no license-server port".to_owned(),
            });
        }
        if old.refresh != new.refresh {
            out.push(match new.refresh {
                Some(r) => format!("license-server refresh-interval {r}"),
                None => "no license-server refresh-interval".to_owned(),
            });
        }
        for n in &new.interfaces {
            if !old.interfaces.contains(n) {
                out.push(format!("license-server enable {n}"));
            }
        }
        if old.participant != new.participant
            && let Some((ip, s, p)) = &new.participant
        {
            out.push(address_line(ip, s, *p));
        }
        out
    }

    /// Each enabled interface must exist.
    pub fn check(&self, cfg: &super::RunningConfig) -> Result<(), FieldError> {
        for n in &self.interfaces {
            if cfg.access.hardware_of(n).is_none() {
                return Err(bad(
                    "serverInterfaces",
                    format!("no interface is named '{n}'"),
                ));
            }
        }
        Ok(())
    }
}

/// `object#SharedLicense` (ours).
pub static SHARED_SCHEMA: Object = Object {
    name: "SharedLicense",
    description: "Shared licensing (`license-server ...`): serve licenses or take part.",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new(
            "role",
            Type::Enum(&["none", "server", "participant"]),
            "What this unit is.",
        ),
        Field::new(
            "serverInterfaces",
            Type::Array(&Type::Str),
            "Server: the nameifs it serves on (`license-server enable`).",
        ),
        Field::new(
            "port",
            Type::Int {
                min: Some(1),
                max: Some(65535),
            },
            "The server's port (default 50554).",
        ),
        Field::new(
            "refreshInterval",
            Type::Int {
                min: Some(10),
                max: Some(300),
            },
            "Server: seconds between participant refreshes (default 30).",
        ),
        Field::new(
            "serverAddress",
            Type::Str,
            "Participant: the server's address.",
        ),
        Field::new("secret", Type::Str, "The shared secret (never answered).").write_only(),
        Field::new(
            "secretConfigured",
            Type::Bool,
            "Whether a secret is configured.",
        )
        .read_only(),
    ],
    kinds: &[SHARED_KIND],
    ours: true,
};

/// `object#SmartLicenseConfig`.
pub static SCHEMA: Object = Object {
    name: "SmartLicenseConfig",
    description: "Smart licensing of the ASAv (`license smart`, call-home profile License).",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new(
            "licenseServerURL",
            Type::Str,
            "The licensing server (call-home profile License destination).",
        ),
        Field::new(
            "transportURL",
            Type::Bool,
            "Whether the profile sends over HTTP(S) (`destination transport-method http`).",
        ),
        Field::new(
            "privacyHostName",
            Type::Bool,
            "Hide the host name in licensing messages.",
        ),
        Field::new(
            "privacyVersion",
            Type::Bool,
            "Hide the version in licensing messages.",
        ),
        Field::new(
            "throughput",
            Type::Str,
            "`throughput level` (100M, 1G, 2G, 10G, 20G; \"\" when not set).",
        ),
        Field::new(
            "featureTier",
            Type::Str,
            "`feature tier` (standard; \"\" when not set).",
        ),
    ],
    kinds: &[KIND],
    ours: false,
};

/// The body of `POST .../smart/asav/register`.
pub static REGISTER_SCHEMA: Object = Object {
    name: "SmartLicenseRegId",
    description: "A smart-licensing registration: the token and whether to force it.",
    fields: &[
        Field::new("kind", Type::Str, "`object#SmartLicenseRegId`."),
        Field::new("idToken", Type::Str, "The registration token.").required(),
        Field::new(
            "force",
            Type::Bool,
            "Register again even if already registered.",
        ),
    ],
    kinds: &[],
    ours: false,
};

/// The answer of `GET .../smart/asav/info`.
pub static INFO_SCHEMA: Object = Object {
    name: "SmartLicenseInfo",
    description: "Registration state as `Key: value` lines (`Status: REGISTERED` once registered).",
    fields: &[
        Field::new("kind", Type::Str, "`object#SmartLicenseInfo`."),
        Field::new(
            "registration",
            Type::Array(&Type::Str),
            "The Registration block of `show license all`, one `Key: value` per entry.",
        ),
    ],
    kinds: &[],
    ours: true,
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn terraform_body_round_trips_through_cli() {
        let old = SmartLicense::default();
        let body = json!({"licenseServerURL": "https://tools.cisco.com/its/service/oddce/services/DDCEService",
            "transportURL": true, "privacyHostName": false, "privacyVersion": false,
            "throughput": "2G", "featureTier": "standard"});
        let new = SmartLicense::from_json(&body, &old).unwrap();
        let lines = SmartLicense::cli_replace(&old, &new);
        assert_eq!(
            lines,
            [
                "license smart",
                " feature tier standard",
                " throughput level 2G",
                "exit",
                "call-home",
                " profile License",
                "  destination address http https://tools.cisco.com/its/service/oddce/services/DDCEService",
                "  destination transport-method http",
                "exit",
            ]
        );
        let mut back = SmartLicense::default();
        back.absorb_license(
            "license smart",
            &["feature tier standard", "throughput level 2G"],
        );
        back.absorb_call_home(&[
            "profile CiscoTAC-1",
            "destination address http http://x",
            "profile License",
            "destination address http https://tools.cisco.com/its/service/oddce/services/DDCEService",
            "destination transport-method http",
        ]);
        let j = back.to_json("https://a/api/licensing/smart/asav");
        assert_eq!(j["throughput"], "2G");
        assert_eq!(j["transportURL"], true);
        assert_eq!(
            j["licenseServerURL"],
            "https://tools.cisco.com/its/service/oddce/services/DDCEService"
        );
        assert!(SmartLicense::cli_replace(&back, &new).is_empty());
    }

    #[test]
    fn refuses_unknown_levels_and_urls() {
        let old = SmartLicense::default();
        for (body, attr) in [
            (json!({"throughput": "3G"}), "throughput"),
            (json!({"featureTier": "gold"}), "featureTier"),
            (json!({"licenseServerURL": "ftp://x"}), "licenseServerURL"),
            (
                json!({"licenseServerURL": "https://a b"}),
                "licenseServerURL",
            ),
            (json!({"transportURL": "maybe"}), "transportURL"),
        ] {
            assert_eq!(
                SmartLicense::from_json(&body, &old).unwrap_err().attribute,
                attr
            );
        }
        assert!(check_token("abc").is_ok());
        assert!(check_token("a b").is_err());
        assert!(check_token("").is_err());
    }
}
