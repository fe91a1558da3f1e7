//! NTP servers: `/api/devicesetup/ntp/servers`, kind `object#NTPServer`
//! (collection `collection#NTPServer`, as real devices answer).
//!
//! ASA syntax: `ntp server <ip> [key <n>] [source <nameif>] [prefer]`; `no ntp server <ip>`.
//! JSON: `{"kind":"object#NTPServer","selfLink":..,"ipAddress":"10.1.1.10","isPreferred":false,
//! "key":{"number":"1"},"interface":{"kind":"objectRef#Interface",..,"name":"management"},
//! "objectId":"10.1.1.10"}`; `key` and `interface` only when configured. The objectId is the
//! server address: the ASA keeps one line per server, so the address identifies it (a PUT may
//! not change it). The authentication key's secret (`ntp authentication-key`) is not part of
//! this resource.

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
use crate::schema::{ADDRESS, Field, KIND, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, Type};

/// One `ntp server` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NtpServer {
    pub address: IpAddr,
    /// The address as text: the objectId.
    pub id: String,
    pub key: Option<u32>,
    pub source: Option<String>,
    pub prefer: bool,
    /// The hardware id of the source interface, when known.
    pub hardware: Option<String>,
}

impl NtpServer {
    pub fn new(address: IpAddr) -> NtpServer {
        NtpServer {
            id: address.to_string(),
            address,
            key: None,
            source: None,
            prefer: false,
            hardware: None,
        }
    }

    /// The canonical line.
    pub fn line(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for NtpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ntp server {}", self.address)?;
        if let Some(k) = self.key {
            write!(f, " key {k}")?;
        }
        if let Some(s) = &self.source {
            write!(f, " source {s}")?;
        }
        if self.prefer {
            f.write_str(" prefer")?;
        }
        Ok(())
    }
}

/// Parses `ntp server ...` (options in any order, as the ASA accepts them).
pub fn parse_server(text: &str) -> Option<NtpServer> {
    let rest = text.strip_prefix("ntp server ")?;
    let mut words = rest.split_whitespace();
    let mut server = NtpServer::new(words.next()?.parse().ok()?);
    while let Some(w) = words.next() {
        match w {
            "key" => server.key = Some(words.next()?.parse().ok()?),
            "source" => {
                let n = words.next()?;
                if !is_nameif(n) {
                    return None;
                }
                server.source = Some(n.to_owned());
            }
            "prefer" => server.prefer = true,
            _ => return None,
        }
    }
    Some(server)
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

/// `key` of an NTP server.
pub static KEY_SCHEMA: Object = Object {
    name: "NTPKey",
    description: "The authentication key an NTP server uses.",
    fields: &[Field::new(
        "number",
        Type::OneOf(&[
            Type::Str,
            Type::Int {
                min: Some(1),
                max: Some(4_294_967_295),
            },
        ]),
        "The key number (answered as a string).",
    )
    .required()],
    kinds: &[],
    ours: false,
};

/// `object#NTPServer`.
pub static SCHEMA: Object = Object {
    name: "NTPServer",
    description: "An NTP server; the objectId is its address.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "ipAddress",
            Type::OneOf(&[Type::Str, Type::Object(&ADDRESS)]),
            "The server's address (a `{kind, value}` is accepted too).",
        )
        .required(),
        Field::new(
            "isPreferred",
            Type::Bool,
            "Whether the server is preferred.",
        ),
        Field::new(
            "key",
            Type::OneOf(&[
                Type::Object(&KEY_SCHEMA),
                Type::Int {
                    min: Some(1),
                    max: Some(4_294_967_295),
                },
            ]),
            "The authentication key.",
        ),
        Field::new(
            "interface",
            Type::Object(&OBJECT_REF),
            "Source interface (`objectRef#Interface`; only `name` is read).",
        ),
    ],
    kinds: &["object#NTPServer"],
    ours: false,
};

impl Resource for NtpServer {
    const KIND: &'static str = "object#NTPServer";
    const COLLECTION_KIND: &'static str = "collection#NTPServer";
    const PATH: &'static str = "/api/devicesetup/ntp/servers";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "ntp server ";

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(Self::KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert("ipAddress".into(), Value::from(self.id.as_str()));
        m.insert("isPreferred".into(), Value::from(self.prefer));
        if let Some(k) = self.key {
            m.insert("key".into(), json!({ "number": k.to_string() }));
        }
        if let Some(s) = &self.source {
            m.insert(
                "interface".into(),
                interface_ref(s, self.hardware.as_deref(), origin_of(self_link)),
            );
        }
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
        let address = match get("ipAddress") {
            Some(v) => {
                // `{kind, value}` is accepted as well as the plain string.
                let text = match v.get("value") {
                    Some(inner) => json_str(inner, "ipAddress.value")?,
                    None => json_str(v, "ipAddress")?,
                };
                text.trim()
                    .parse::<IpAddr>()
                    .map_err(|_| bad("ipAddress", format!("'{text}' is not an IP address")))?
            }
            None => match (id, base) {
                (_, Some(b)) => b.address,
                (Some(id), None) => id
                    .parse()
                    .map_err(|_| FieldError::new("ipAddress", FieldProblem::Missing))?,
                (None, None) => return Err(FieldError::new("ipAddress", FieldProblem::Missing)),
            },
        };
        let mut server = NtpServer::new(address);
        if let Some(id) = id
            && server.id != id
        {
            return Err(FieldError::new("ipAddress", FieldProblem::Mismatch));
        }
        server.prefer = match (get("isPreferred"), base) {
            (Some(v), _) => json_bool(v, "isPreferred")?,
            (None, Some(b)) => b.prefer,
            (None, None) => false,
        };
        server.key = match (get("key"), base) {
            (Some(v), _) => {
                let n = v.get("number").unwrap_or(v);
                Some(json_u32(n, "key.number")?)
            }
            (None, Some(b)) if !map.contains_key("key") => b.key,
            _ => None,
        };
        server.source = match (get("interface"), base) {
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
                Some(name.to_owned())
            }
            (None, Some(b)) if !map.contains_key("interface") => b.source.clone(),
            _ => None,
        };
        Ok(server)
    }

    fn cli_create(&self) -> Vec<String> {
        vec![self.line()]
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old.line() == new.line() {
            return Vec::new();
        }
        // Re-entering the server line replaces its options.
        vec![format!("no ntp server {}", old.address), new.line()]
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no ntp server {}", self.address)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        if let Some(s) = parse_server(&format!("ntp server {rest}")) {
            collection.insert(s);
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.ntp_servers
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.ntp_servers
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        let Some(source) = &self.source else {
            return Ok(());
        };
        match cfg.access.hardware_of(source) {
            Some(hw) => {
                self.hardware = Some(hw.to_owned());
                Ok(())
            }
            None => Err(bad(
                "interface.name",
                format!("no interface is named '{source}'"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LINK: &str = "https://a/api/devicesetup/ntp/servers/x";

    #[test]
    fn reads_the_corpus_forms() {
        let s = parse_server("ntp server 10.42.42.11 source management prefer").unwrap();
        assert_eq!((s.source.as_deref(), s.prefer), (Some("management"), true));
        let s = parse_server("ntp server 10.1.1.13 key 4294967295").unwrap();
        assert_eq!(s.key, Some(4294967295));
        assert!(parse_server("ntp server 10.1.1.13 bogus").is_none());
        assert!(parse_server("ntp authenticate").is_none());
    }

    #[test]
    fn json_round_trips_and_the_id_is_the_address() {
        let s = parse_server("ntp server 192.0.2.5 key 3 source outside prefer").unwrap();
        let j = s.to_json(LINK);
        assert_eq!(j["objectId"], "192.0.2.5");
        assert_eq!(j["key"]["number"], "3");
        assert_eq!(j["isPreferred"], true);
        assert_eq!(NtpServer::from_json(&j, WriteMode::Create), Ok(s.clone()));
        let renamed = json!({"ipAddress": "192.0.2.6"});
        let e = NtpServer::from_json(
            &renamed,
            WriteMode::Replace {
                id: "192.0.2.5",
                existing: &s,
            },
        )
        .unwrap_err();
        assert_eq!(e.problem, FieldProblem::Mismatch);
    }

    #[test]
    fn refuses_bad_bodies() {
        for (body, attr) in [
            (json!({"ipAddress": "10.0.0.300"}), "ipAddress"),
            (json!({}), "ipAddress"),
            (
                json!({"ipAddress": "10.0.0.1", "interface": {"name": "x y"}}),
                "interface.name",
            ),
            (
                json!({"ipAddress": "10.0.0.1", "key": {"number": "-1"}}),
                "key.number",
            ),
        ] {
            let e = NtpServer::from_json(&body, WriteMode::Create).unwrap_err();
            assert_eq!(e.attribute, attr, "{body}");
        }
    }

    proptest! {
        #[test]
        fn line_and_json_round_trip(a in any::<u32>(), key in proptest::option::of(any::<u32>()),
                                    source in proptest::option::of("[a-z][a-z0-9_-]{0,8}"), prefer in any::<bool>()) {
            let mut s = NtpServer::new(IpAddr::V4(a.into()));
            s.key = key;
            s.source = source;
            s.prefer = prefer;
            prop_assert_eq!(parse_server(&s.line()), Some(s.clone()));
            prop_assert_eq!(NtpServer::from_json(&s.to_json(LINK), WriteMode::Create), Ok(s.clone()));
            let cfg = RunningConfig::parse(&format!("{}\n", s.line()));
            prop_assert_eq!(cfg.ntp_servers.get(&s.id), Some(&s));
        }

        #[test]
        fn arbitrary_lines_never_panic(s in "ntp server( [a-z0-9.:]{0,10}){0,6}") {
            let _ = parse_server(&s);
        }
    }
}
