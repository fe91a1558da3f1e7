//! TLS proxy instances: `/api/firewall/tlsproxy`, kind `object#TLSProxy` (issue 15).
//!
//! ASA syntax (configuration mode; `inspect sip|skinny ... tls-proxy <name>` refers to one):
//! ```text
//! tls-proxy <name>
//!  server trust-point <tp>
//!  client trust-point <tp>
//!  server cipher-suite <cipher> [<cipher> ...]
//!  client cipher-suite <cipher> [<cipher> ...]
//! no tls-proxy <name>
//! ```
//! No public client or captured answer gives the JSON (wire-format page, section 6: GAP): the
//! shape is ours, modelled on the CLI: `{"kind":"object#TLSProxy","name":"sip-proxy",
//! "serverTrustPoint":"TP","clientTrustPoint":"TP2","serverCipherSuite":["aes128-sha1"],
//! "clientCipherSuite":[]}`.

use serde_json::{Map, Value};

use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};
use crate::validate::check_object_name;

/// The cipher suites `server|client cipher-suite` takes.
pub const CIPHERS: &[&str] = &[
    "aes128-sha1",
    "aes256-sha1",
    "3des-sha1",
    "des-sha1",
    "dhe-aes128-sha1",
    "dhe-aes256-sha1",
    "null-sha1",
    "rc4-md5",
    "rc4-sha1",
];

/// One `tls-proxy`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TlsProxy {
    pub name: String,
    pub server_trustpoint: Option<String>,
    pub client_trustpoint: Option<String>,
    pub server_ciphers: Vec<String>,
    pub client_ciphers: Vec<String>,
}

const CIPHER_LIST: Type = Type::Array(&Type::Enum(CIPHERS));

/// `object#TLSProxy`.
pub static SCHEMA: Object = Object {
    name: "TLSProxy",
    description: "A TLS proxy instance (`tls-proxy`) with its server and client trust-points and ciphers.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The instance's name (its objectId).").required(),
        Field::new(
            "serverTrustPoint",
            Type::Str,
            "The trust-point presented to clients (` server trust-point`).",
        ),
        Field::new(
            "clientTrustPoint",
            Type::Str,
            "The trust-point presented to servers (` client trust-point`).",
        ),
        Field::new(
            "serverCipherSuite",
            CIPHER_LIST,
            "Ciphers offered to clients, in order.",
        ),
        Field::new(
            "clientCipherSuite",
            CIPHER_LIST,
            "Ciphers offered to servers, in order.",
        ),
    ],
    kinds: &["object#TLSProxy"],
    ours: true,
};

/// A trust-point name as a tls-proxy line takes it (the rules of object names).
fn trustpoint(map: &Map<String, Value>, field: &'static str) -> Result<Option<String>, FieldError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            let s = json_str(v, field)?;
            check_object_name(s).map_err(|e| FieldError::new(field, FieldProblem::Value(e)))?;
            Ok(Some(s.to_owned()))
        }
    }
}

fn ciphers(
    map: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<Vec<String>>, FieldError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                let s = json_str(v, field)?.to_ascii_lowercase();
                if CIPHERS.contains(&s.as_str()) {
                    Ok(s)
                } else {
                    Err(FieldError::new(
                        field,
                        FieldProblem::BadValue(format!("unknown cipher suite {s}")),
                    ))
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(FieldError::new(
            field,
            FieldProblem::BadValue("a list of cipher suites".to_owned()),
        )),
    }
}

impl TlsProxy {
    fn sub_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(tp) = &self.server_trustpoint {
            lines.push(format!(" server trust-point {tp}"));
        }
        if let Some(tp) = &self.client_trustpoint {
            lines.push(format!(" client trust-point {tp}"));
        }
        if !self.server_ciphers.is_empty() {
            lines.push(format!(
                " server cipher-suite {}",
                self.server_ciphers.join(" ")
            ));
        }
        if !self.client_ciphers.is_empty() {
            lines.push(format!(
                " client cipher-suite {}",
                self.client_ciphers.join(" ")
            ));
        }
        lines
    }

    /// Reads one sub-line into `self`; `false` when it is not one this model keeps.
    fn absorb_line(&mut self, line: &str) -> bool {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["server", "trust-point", tp] => self.server_trustpoint = Some((*tp).to_owned()),
            ["client", "trust-point", tp] => self.client_trustpoint = Some((*tp).to_owned()),
            ["server", "cipher-suite", list @ ..] => {
                self.server_ciphers = list.iter().map(|c| (*c).to_owned()).collect();
            }
            ["client", "cipher-suite", list @ ..] => {
                self.client_ciphers = list.iter().map(|c| (*c).to_owned()).collect();
            }
            _ => return false,
        }
        true
    }
}

impl Resource for TlsProxy {
    const KIND: &'static str = "object#TLSProxy";
    const COLLECTION_KIND: &'static str = "collection#TLSProxy";
    const PATH: &'static str = "/api/firewall/tlsproxy";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "tls-proxy ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut map = Map::new();
        map.insert("kind".into(), Value::from(Self::KIND));
        map.insert("selfLink".into(), Value::from(self_link));
        map.insert("name".into(), Value::from(self.name.as_str()));
        map.insert("objectId".into(), Value::from(self.name.as_str()));
        if let Some(tp) = &self.server_trustpoint {
            map.insert("serverTrustPoint".into(), Value::from(tp.as_str()));
        }
        if let Some(tp) = &self.client_trustpoint {
            map.insert("clientTrustPoint".into(), Value::from(tp.as_str()));
        }
        map.insert(
            "serverCipherSuite".into(),
            Value::from(self.server_ciphers.clone()),
        );
        map.insert(
            "clientCipherSuite".into(),
            Value::from(self.client_ciphers.clone()),
        );
        Value::Object(map)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let given_name = match map.get("name") {
            None | Some(Value::Null) => None,
            Some(v) => Some(json_str(v, "name")?),
        };
        let mut out = match mode {
            WriteMode::Create => {
                let name =
                    given_name.ok_or_else(|| FieldError::new("name", FieldProblem::Missing))?;
                check_object_name(name)
                    .map_err(|e| FieldError::new("name", FieldProblem::Value(e)))?;
                TlsProxy {
                    name: name.to_owned(),
                    ..TlsProxy::default()
                }
            }
            WriteMode::Replace { id, .. } => {
                if given_name.is_some_and(|n| n != id) {
                    return Err(FieldError::new("name", FieldProblem::Mismatch));
                }
                TlsProxy {
                    name: id.to_owned(),
                    ..TlsProxy::default()
                }
            }
            WriteMode::Patch { id, existing } => {
                if given_name.is_some_and(|n| n != id) {
                    return Err(FieldError::new("name", FieldProblem::Mismatch));
                }
                existing.clone()
            }
        };
        let patch = matches!(mode, WriteMode::Patch { .. });
        for (field, slot) in [
            ("serverTrustPoint", &mut out.server_trustpoint),
            ("clientTrustPoint", &mut out.client_trustpoint),
        ] {
            let value = trustpoint(map, field)?;
            if value.is_some() || !patch || map.get(field) == Some(&Value::Null) {
                *slot = value;
            }
        }
        for (field, slot) in [
            ("serverCipherSuite", &mut out.server_ciphers),
            ("clientCipherSuite", &mut out.client_ciphers),
        ] {
            match ciphers(map, field)? {
                Some(list) => *slot = list,
                None if !patch => slot.clear(),
                None => {}
            }
        }
        Ok(out)
    }

    fn cli_create(&self) -> Vec<String> {
        let mut lines = vec![format!("tls-proxy {}", self.name)];
        lines.extend(self.sub_lines());
        lines
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        let mut lines = vec![format!("tls-proxy {}", new.name)];
        if new.server_trustpoint.is_none()
            && let Some(tp) = &old.server_trustpoint
        {
            lines.push(format!(" no server trust-point {tp}"));
        }
        if new.client_trustpoint.is_none()
            && let Some(tp) = &old.client_trustpoint
        {
            lines.push(format!(" no client trust-point {tp}"));
        }
        if new.server_ciphers.is_empty() && !old.server_ciphers.is_empty() {
            lines.push(" no server cipher-suite".to_owned());
        }
        if new.client_ciphers.is_empty() && !old.client_ciphers.is_empty() {
            lines.push(" no client cipher-suite".to_owned());
        }
        lines.extend(new.sub_lines());
        lines
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no tls-proxy {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let name = rest.trim();
        if check_object_name(name).is_err() || name.contains(' ') {
            return;
        }
        let mut proxy = TlsProxy {
            name: name.to_owned(),
            ..TlsProxy::default()
        };
        for child in children {
            proxy.absorb_line(child.trim());
        }
        collection.insert(proxy);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.tls_proxies
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.tls_proxies
    }
}

/// Whether a line is a sub-command of `tls-proxy` mode this device takes (syntax only).
pub fn is_sub_line(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let words = match words.split_first() {
        Some((&"no", rest)) => rest,
        _ => words.as_slice(),
    };
    match words {
        ["server" | "client", "trust-point", tp] => check_object_name(tp).is_ok(),
        ["server" | "client", "trust-point"] if line.starts_with("no ") => true,
        ["server" | "client", "cipher-suite", list @ ..] => {
            (list.is_empty() && line.starts_with("no "))
                || (!list.is_empty() && list.iter().all(|c| CIPHERS.contains(c)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LINK: &str = "https://asa/api/firewall/tlsproxy/sip";

    #[test]
    fn round_trips_json_and_cli() {
        let body = json!({"name":"sip","serverTrustPoint":"TP","serverCipherSuite":["aes128-sha1","aes256-sha1"]});
        let p = TlsProxy::from_json(&body, WriteMode::Create).unwrap();
        let lines = p.cli_create();
        assert_eq!(
            lines,
            [
                "tls-proxy sip",
                " server trust-point TP",
                " server cipher-suite aes128-sha1 aes256-sha1"
            ]
        );
        let mut c = Collection::default();
        let children: Vec<&str> = lines[1..].iter().map(String::as_str).collect();
        TlsProxy::absorb_block(&mut c, "sip", &children);
        assert_eq!(c.get("sip"), Some(&p));
        let j = p.to_json(LINK);
        assert_eq!(j["serverTrustPoint"], "TP");
        assert_eq!(j["clientCipherSuite"], json!([]));
    }

    #[test]
    fn refuses_unknown_ciphers_and_bad_names() {
        let bad = json!({"name":"sip","serverCipherSuite":["aes512"]});
        assert!(TlsProxy::from_json(&bad, WriteMode::Create).is_err());
        let bad = json!({"name":"a b"});
        assert!(TlsProxy::from_json(&bad, WriteMode::Create).is_err());
        let bad = json!({"name":"sip","clientTrustPoint":"x\ny"});
        assert!(TlsProxy::from_json(&bad, WriteMode::Create).is_err());
    }

    #[test]
    fn replace_removes_what_is_gone() {
        let old = TlsProxy {
            name: "sip".into(),
            server_trustpoint: Some("TP".into()),
            client_ciphers: vec!["aes128-sha1".into()],
            ..TlsProxy::default()
        };
        let new = TlsProxy {
            name: "sip".into(),
            client_trustpoint: Some("TP2".into()),
            ..TlsProxy::default()
        };
        assert_eq!(
            TlsProxy::cli_replace(&old, &new),
            [
                "tls-proxy sip",
                " no server trust-point TP",
                " no client cipher-suite",
                " client trust-point TP2"
            ]
        );
    }

    #[test]
    fn checks_sub_lines() {
        assert!(is_sub_line("server trust-point TP"));
        assert!(is_sub_line("no client cipher-suite"));
        assert!(is_sub_line("client cipher-suite aes128-sha1 rc4-md5"));
        assert!(!is_sub_line("server cipher-suite bogus"));
        assert!(!is_sub_line("hostname x"));
    }
}
