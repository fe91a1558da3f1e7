//! Management access settings: `/api/mgmtaccess`, the singleton `object#MgmtAccess`.
//!
//! ASA syntax: `http server enable [<port>]`, `ssh version <1|2>`, `ssh timeout <1-60>`,
//! `ssh key-exchange group <group>`, `ssh scopy enable`, `telnet timeout <1-1440>`.
//! JSON (our names, in the API's style): `httpServerEnabled` (bool), `httpServerPort`
//! (443 when the line gives none), `sshVersion` (1 or 2; absent when unset), `sshTimeout`
//! (minutes, 5 by default), `sshKeyExchangeGroup` (`dh-group14-sha256` ...), `sshScopyEnabled`,
//! `telnetTimeout` (minutes, 5 by default). A PUT changes the attributes it gives.

use serde_json::{Map, Value};

use super::{FieldError, FieldProblem, json_bool, json_str, json_u32};
use crate::schema::{Field, KIND as KIND_FIELD, Object, SELF_LINK, Type};

pub const KIND: &str = "object#MgmtAccess";

const MINUTES_60: Type = Type::Int {
    min: Some(1),
    max: Some(60),
};

/// `object#MgmtAccess` (our field names).
pub static SCHEMA: Object = Object {
    name: "MgmtAccess",
    description: "Management access settings: the HTTPS server, SSH and telnet.",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new(
            "httpServerEnabled",
            Type::Bool,
            "Whether the HTTPS server runs (`http server enable`).",
        ),
        Field::new(
            "httpServerPort",
            Type::Int {
                min: Some(1),
                max: Some(65535),
            },
            "Port of the HTTPS server, 443 by default.",
        ),
        Field::new(
            "sshVersion",
            Type::Int {
                min: Some(1),
                max: Some(2),
            },
            "SSH version; absent when unset.",
        ),
        Field::new(
            "sshTimeout",
            MINUTES_60,
            "SSH idle timeout in minutes (1-60, 5 by default).",
        ),
        Field::new(
            "sshKeyExchangeGroup",
            Type::Enum(KEX_GROUPS),
            "SSH key-exchange group; absent when unset.",
        ),
        Field::new(
            "sshScopyEnabled",
            Type::Bool,
            "Whether secure copy is enabled.",
        ),
        Field::new(
            "telnetTimeout",
            Type::Int {
                min: Some(1),
                max: Some(1440),
            },
            "Telnet idle timeout in minutes (1-1440, 5 by default).",
        ),
    ],
    kinds: &[KIND],
    ours: true,
};
pub const PATH: &str = "/api/mgmtaccess";

/// The key-exchange groups `ssh key-exchange group` takes.
pub const KEX_GROUPS: &[&str] = &[
    "curve25519-sha256",
    "dh-group1-sha1",
    "dh-group14-sha1",
    "dh-group14-sha256",
    "ecdh-sha2-nistp256",
    "ecdh-sha2-nistp384",
    "ecdh-sha2-nistp521",
];

const DEFAULT_HTTPS_PORT: u16 = 443;
const DEFAULT_TIMEOUT: u32 = 5;

/// The settings lines the configuration holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MgmtAccess {
    /// `Some(port)` when `http server enable [port]` is configured.
    pub http_server: Option<u16>,
    pub ssh_version: Option<u8>,
    pub ssh_timeout: u32,
    pub ssh_kex_group: Option<String>,
    pub ssh_scopy: bool,
    pub telnet_timeout: u32,
}

impl Default for MgmtAccess {
    fn default() -> Self {
        MgmtAccess {
            http_server: None,
            ssh_version: None,
            ssh_timeout: DEFAULT_TIMEOUT,
            ssh_kex_group: None,
            ssh_scopy: false,
            telnet_timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl MgmtAccess {
    /// Reads a top-level `http`, `ssh` or `telnet` settings line; `true` when it was one.
    pub fn absorb(&mut self, text: &str) -> bool {
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["http", "server", "enable"] => self.http_server = Some(DEFAULT_HTTPS_PORT),
            ["http", "server", "enable", port] => match port.parse() {
                Ok(p) => self.http_server = Some(p),
                Err(_) => return false,
            },
            ["ssh", "version", v] => match v.parse() {
                Ok(v @ (1 | 2)) => self.ssh_version = Some(v),
                _ => return false,
            },
            ["ssh", "timeout", t] => match t.parse() {
                Ok(t) => self.ssh_timeout = t,
                Err(_) => return false,
            },
            ["ssh", "key-exchange", "group", g] => self.ssh_kex_group = Some((*g).to_owned()),
            ["ssh", "scopy", "enable"] => self.ssh_scopy = true,
            ["telnet", "timeout", t] => match t.parse() {
                Ok(t) => self.telnet_timeout = t,
                Err(_) => return false,
            },
            _ => return false,
        }
        true
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert(
            "httpServerEnabled".into(),
            Value::from(self.http_server.is_some()),
        );
        m.insert(
            "httpServerPort".into(),
            Value::from(self.http_server.unwrap_or(DEFAULT_HTTPS_PORT)),
        );
        if let Some(v) = self.ssh_version {
            m.insert("sshVersion".into(), Value::from(v));
        }
        m.insert("sshTimeout".into(), Value::from(self.ssh_timeout));
        if let Some(g) = &self.ssh_kex_group {
            m.insert("sshKeyExchangeGroup".into(), Value::from(g.as_str()));
        }
        m.insert("sshScopyEnabled".into(), Value::from(self.ssh_scopy));
        m.insert("telnetTimeout".into(), Value::from(self.telnet_timeout));
        Value::Object(m)
    }

    /// A PUT body: the attributes given replace the current values.
    pub fn from_json(body: &Value, current: &MgmtAccess) -> Result<MgmtAccess, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let range = |attr: &str, v: &Value, lo: u32, hi: u32| -> Result<u32, FieldError> {
            let n = json_u32(v, attr)?;
            if (lo..=hi).contains(&n) {
                Ok(n)
            } else {
                Err(FieldError::new(
                    attr,
                    FieldProblem::BadValue(format!("{n} is not within {lo}-{hi}")),
                ))
            }
        };
        let mut next = current.clone();
        let enabled = match get("httpServerEnabled") {
            Some(v) => json_bool(v, "httpServerEnabled")?,
            None => current.http_server.is_some(),
        };
        let port = match get("httpServerPort") {
            Some(v) => u16::try_from(range("httpServerPort", v, 1, 65535)?).unwrap_or(443),
            None => current.http_server.unwrap_or(DEFAULT_HTTPS_PORT),
        };
        next.http_server = enabled.then_some(port);
        if let Some(v) = get("sshVersion") {
            next.ssh_version = Some(u8::try_from(range("sshVersion", v, 1, 2)?).unwrap_or(2));
        }
        if let Some(v) = get("sshTimeout") {
            next.ssh_timeout = range("sshTimeout", v, 1, 60)?;
        }
        if let Some(v) = get("sshKeyExchangeGroup") {
            let g = json_str(v, "sshKeyExchangeGroup")?;
            if !KEX_GROUPS.contains(&g) {
                return Err(FieldError::new(
                    "sshKeyExchangeGroup",
                    FieldProblem::BadValue(format!(
                        "'{g}' is not one of {}",
                        KEX_GROUPS.join(", ")
                    )),
                ));
            }
            next.ssh_kex_group = Some(g.to_owned());
        }
        if let Some(v) = get("sshScopyEnabled") {
            next.ssh_scopy = json_bool(v, "sshScopyEnabled")?;
        }
        if let Some(v) = get("telnetTimeout") {
            next.telnet_timeout = range("telnetTimeout", v, 1, 1440)?;
        }
        Ok(next)
    }

    pub fn cli_replace(old: &MgmtAccess, new: &MgmtAccess) -> Vec<String> {
        let mut out = Vec::new();
        if old.http_server != new.http_server {
            match new.http_server {
                Some(DEFAULT_HTTPS_PORT) => out.push("http server enable".to_owned()),
                Some(p) => out.push(format!("http server enable {p}")),
                None => out.push("no http server enable".to_owned()),
            }
        }
        if old.ssh_version != new.ssh_version
            && let Some(v) = new.ssh_version
        {
            out.push(format!("ssh version {v}"));
        }
        if old.ssh_timeout != new.ssh_timeout {
            out.push(format!("ssh timeout {}", new.ssh_timeout));
        }
        if old.ssh_kex_group != new.ssh_kex_group
            && let Some(g) = &new.ssh_kex_group
        {
            out.push(format!("ssh key-exchange group {g}"));
        }
        if old.ssh_scopy != new.ssh_scopy {
            out.push(if new.ssh_scopy {
                "ssh scopy enable".to_owned()
            } else {
                "no ssh scopy enable".to_owned()
            });
        }
        if old.telnet_timeout != new.telnet_timeout {
            out.push(format!("telnet timeout {}", new.telnet_timeout));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn read(text: &str) -> MgmtAccess {
        let mut m = MgmtAccess::default();
        for l in text.lines() {
            m.absorb(l);
        }
        m
    }

    #[test]
    fn reads_the_default_device_lines() {
        let m = read(
            "http server enable\nhttp 0.0.0.0 0.0.0.0 management\ntelnet timeout 5\n\
             ssh stricthostkeycheck\nssh timeout 30\nssh key-exchange group dh-group14-sha256\n",
        );
        let j = m.to_json("https://a/api/mgmtaccess");
        assert_eq!(j["httpServerEnabled"], true);
        assert_eq!(j["httpServerPort"], 443);
        assert_eq!(j["sshTimeout"], 30);
        assert_eq!(j["sshKeyExchangeGroup"], "dh-group14-sha256");
        assert_eq!(j["telnetTimeout"], 5);
        assert!(j.get("sshVersion").is_none());
    }

    #[test]
    fn put_gives_the_commands_and_they_read_back() {
        let old = read("http server enable\nssh timeout 5\n");
        let new = MgmtAccess::from_json(
            &json!({"httpServerPort": "8443", "sshVersion": 2, "sshTimeout": 60,
                    "sshScopyEnabled": true, "telnetTimeout": "1440"}),
            &old,
        )
        .unwrap();
        let cmds = MgmtAccess::cli_replace(&old, &new);
        assert_eq!(
            cmds,
            [
                "http server enable 8443",
                "ssh version 2",
                "ssh timeout 60",
                "ssh scopy enable",
                "telnet timeout 1440"
            ]
        );
        let mut back = old.clone();
        for c in &cmds {
            back.absorb(c);
        }
        assert_eq!(back, new);
        let off = MgmtAccess::from_json(&json!({"httpServerEnabled": false}), &new).unwrap();
        assert_eq!(
            MgmtAccess::cli_replace(&new, &off),
            ["no http server enable"]
        );
    }

    #[test]
    fn refuses_out_of_range_and_unknown_values() {
        let old = MgmtAccess::default();
        for (body, attr) in [
            (json!({"sshTimeout": 61}), "sshTimeout"),
            (json!({"telnetTimeout": 0}), "telnetTimeout"),
            (json!({"sshVersion": 3}), "sshVersion"),
            (json!({"httpServerPort": 70000}), "httpServerPort"),
            (
                json!({"sshKeyExchangeGroup": "dh-group1-sha1\nhostname x"}),
                "sshKeyExchangeGroup",
            ),
            (json!({"httpServerEnabled": "maybe"}), "httpServerEnabled"),
        ] {
            let e = MgmtAccess::from_json(&body, &old).unwrap_err();
            assert_eq!(e.attribute, attr);
        }
    }

    proptest! {
        #[test]
        fn json_to_cli_to_config_is_identity(enabled in any::<bool>(), port in 1u16..,
                                             version in 1u8..=2, ssh in 1u32..=60,
                                             kex in 0usize..KEX_GROUPS.len(), scopy in any::<bool>(),
                                             telnet in 1u32..=1440) {
            let old = MgmtAccess::default();
            let body = json!({"httpServerEnabled": enabled, "httpServerPort": port,
                "sshVersion": version, "sshTimeout": ssh, "sshKeyExchangeGroup": KEX_GROUPS[kex],
                "sshScopyEnabled": scopy, "telnetTimeout": telnet});
            let new = MgmtAccess::from_json(&body, &old).unwrap();
            let mut back = old.clone();
            for c in MgmtAccess::cli_replace(&old, &new) {
                if let Some(rest) = c.strip_prefix("no ") {
                    // The negations this setting sends turn a feature off.
                    if rest.starts_with("http server") { back.http_server = None; }
                    if rest.starts_with("ssh scopy") { back.ssh_scopy = false; }
                } else {
                    prop_assert!(back.absorb(&c), "{}", c);
                }
            }
            prop_assert_eq!(&back, &new);
            prop_assert_eq!(MgmtAccess::from_json(&new.to_json("https://a/api/mgmtaccess"), &old), Ok(new.clone()));
        }
    }
}
