//! Service objects: `/api/objects/networkservices`, kinds `object#TcpUdpServiceObj`,
//! `object#ICMPServiceObj`, `object#ICMP6ServiceObj`, `object#NetworkProtocolObj`, plus the
//! predefined (system-defined) services.
//!
//! ASA syntax (configuration mode):
//! ```text
//! object service <name>
//!  service tcp|udp|tcp-udp [source <match>] [destination <match>]
//!  service icmp|icmp6 [<type> [<code>]]
//!  service <protocol>
//!  description <text>
//! no object service <name>
//! ```
//! JSON: `{"kind":"object#TcpUdpServiceObj","selfLink":..,"name":"web","objectId":"web",
//! "value":"tcp/https","description":".."}`; the `value` grammar is in [`super::service_spec`].
//! The item kind follows the protocol, whatever kind the request body names. A `value` the
//! agent wrote is echoed exactly as the client wrote it (`tcp/443,source=1-1024`); one read
//! from the configuration is given in its canonical form.
//!
//! Predefined services ([`PREDEFINED`]) are listed first, can be read and referred to (a group
//! member referring to one gets its service inline), and are never changed or deleted.

use compact_str::CompactString;
use serde_json::{Map, Value};

use super::network_object_group::{description_from_json, name_for};
use super::service_spec::{ServiceClass, ServiceSpec};
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};

/// One `object service`, or a predefined service.
#[derive(Debug, Clone, Eq)]
pub struct ServiceObject {
    pub name: CompactString,
    pub description: Option<String>,
    /// `None` only for objects read from a configuration whose `service` line did not parse.
    pub spec: Option<ServiceSpec>,
    /// The `value` as the client wrote it (the agent's own writes only).
    pub written: Option<String>,
    pub predefined: bool,
}

/// Equal when they mean the same: how the client spelled the value does not count.
impl PartialEq for ServiceObject {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.description == other.description
            && self.spec == other.spec
            && self.predefined == other.predefined
    }
}

/// The predefined services: name and value.
pub const PREDEFINED: &[(&str, &str)] = &[
    ("domain", "tcp-udp/domain"),
    ("ftp", "tcp/ftp"),
    ("http", "tcp/http"),
    ("https", "tcp/https"),
    ("icmp-echo", "icmp/echo"),
    ("icmp-echo-reply", "icmp/echo-reply"),
    ("ntp", "udp/ntp"),
    ("smtp", "tcp/smtp"),
    ("snmp", "udp/snmp"),
    ("ssh", "tcp/ssh"),
    ("telnet", "tcp/telnet"),
    ("tftp", "udp/tftp"),
];

/// Adds the predefined services to a collection (done first when reading a configuration,
/// so that a configured object of the same name takes the place of one).
pub fn add_predefined(collection: &mut Collection<ServiceObject>) {
    for (name, value) in PREDEFINED {
        if let Ok(spec) = ServiceSpec::from_value(value) {
            collection.insert(ServiceObject {
                name: (*name).to_owned().into(),
                description: None,
                spec: Some(spec),
                written: None,
                predefined: true,
            });
        }
    }
}

/// Keeps clients' spellings across a reload of the configuration: an object whose service is
/// unchanged keeps the `value` the agent last wrote for it.
pub fn keep_written(old: &RunningConfig, new: &mut RunningConfig) {
    for o in old.service_objects.iter().filter(|o| o.written.is_some()) {
        if new
            .service_objects
            .get(&o.name)
            .is_some_and(|n| n.spec == o.spec && n.written.is_none())
        {
            new.service_objects
                .update(&o.name, |n| n.written = o.written.clone());
        }
    }
}

impl ServiceObject {
    /// The REST class (kind family); objects whose line did not parse count as TCP/UDP.
    pub fn class(&self) -> ServiceClass {
        self.spec
            .as_ref()
            .map_or(ServiceClass::TcpUdp, ServiceSpec::class)
    }
}

/// The service object kinds, by protocol.
pub static SCHEMA: Object = Object {
    name: "NetworkServiceObj",
    description: "A service object: a protocol, TCP/UDP ports or an ICMP type; its kind follows the protocol.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The object's name (its objectId).").required(),
        Field::new(
            "value",
            Type::Str,
            "`tcp/443`, `udp/53`, `tcp-udp/domain`, `tcp/https,source=1024-65535`, `icmp/echo`, `esp`, ... (echoed as written).",
        )
        .required(),
        Field::new("description", Type::Str, "Free text shown with the object."),
        Field::new(
            "isSystemDefined",
            Type::Bool,
            "Present (true) on the device's predefined objects, which cannot change.",
        )
        .read_only(),
    ],
    kinds: &[
        "object#TcpUdpServiceObj",
        "object#ICMPServiceObj",
        "object#ICMP6ServiceObj",
        "object#NetworkProtocolObj",
    ],
    ours: false,
};

impl Resource for ServiceObject {
    const KIND: &'static str = "object#TcpUdpServiceObj";
    const COLLECTION_KIND: &'static str = "collection#NetworkServiceObj";
    const PATH: &'static str = "/api/objects/networkservices";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "object service ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut map = Map::new();
        map.insert("kind".into(), Value::from(self.class().object_kind()));
        map.insert("selfLink".into(), Value::from(self_link));
        map.insert("name".into(), Value::from(self.name.as_str()));
        let value = match (&self.written, &self.spec) {
            (Some(w), _) => Some(w.clone()),
            (None, Some(spec)) => Some(spec.value()),
            (None, None) => None,
        };
        if let Some(value) = value {
            map.insert("value".into(), Value::from(value));
        }
        if let Some(d) = &self.description {
            map.insert("description".into(), Value::from(d.as_str()));
        }
        if self.predefined {
            map.insert("isSystemDefined".into(), Value::Bool(true));
        }
        map.insert("objectId".into(), Value::from(self.name.as_str()));
        Value::Object(map)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let name = name_for(map, &mode)?;
        let base = match mode {
            WriteMode::Patch { existing, .. } => Some(existing),
            _ => None,
        };
        let (spec, written) = match (map.get("value"), base) {
            (None, Some(existing)) => (existing.spec.clone(), existing.written.clone()),
            (None | Some(Value::Null), _) => {
                return Err(FieldError::new("value", FieldProblem::Missing));
            }
            (Some(v), _) => {
                let text = json_str(v, "value")?;
                let spec = ServiceSpec::from_value(text)
                    .map_err(|why| FieldError::new("value", FieldProblem::BadValue(why)))?;
                (Some(spec), Some(text.trim().to_owned()))
            }
        };
        let description = match (map.get("description"), base) {
            (None, Some(existing)) => existing.description.clone(),
            (None, None) => None,
            (Some(v), _) => description_from_json(v)?,
        };
        Ok(ServiceObject {
            name: name.into(),
            description,
            spec,
            written,
            predefined: false,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut lines = vec![format!("object service {}", self.name)];
        if let Some(spec) = &self.spec {
            lines.push(format!(" service {spec}"));
        }
        if let Some(d) = &self.description {
            lines.push(format!(" description {d}"));
        }
        lines
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut subs = Vec::new();
        if let Some(spec) = &new.spec
            && old.spec.as_ref() != Some(spec)
        {
            subs.push(format!(" service {spec}"));
        }
        match (&old.description, &new.description) {
            (o, Some(n)) if o.as_ref() != Some(n) => subs.push(format!(" description {n}")),
            (Some(_), None) => subs.push(" no description".to_owned()),
            _ => {}
        }
        if subs.is_empty() {
            return subs;
        }
        let mut lines = vec![format!("object service {}", new.name)];
        lines.extend(subs);
        lines
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no object service {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let name = rest.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return;
        }
        let mut object = ServiceObject {
            name: name.to_owned().into(),
            description: None,
            spec: None,
            written: None,
            predefined: false,
        };
        for &child in children {
            if let Some(text) = child.strip_prefix("description ") {
                object.description = Some(text.to_owned());
            } else if let Some(text) = child.strip_prefix("service ") {
                object.spec = ServiceSpec::parse_cli(text).ok();
            }
        }
        collection.insert(object);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.service_objects
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.service_objects
    }

    fn is_predefined(&self) -> bool {
        self.predefined
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::service_spec::tests::spec;
    use crate::strategies;
    use proptest::prelude::*;
    use serde_json::json;

    const LINK: &str = "https://asa/api/objects/networkservices/web";

    fn create(body: Value) -> Result<ServiceObject, FieldError> {
        ServiceObject::from_json(&body, WriteMode::Create)
    }

    #[test]
    fn kind_follows_the_protocol_and_value_is_echoed() {
        let o = create(json!({"kind": "object#Whatever", "name": "web",
                              "value": "tcp/443,source=1-1024", "description": "d"}));
        let o = o.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            o.to_json(LINK),
            json!({"kind": "object#TcpUdpServiceObj", "selfLink": LINK, "name": "web",
                   "value": "tcp/443,source=1-1024", "description": "d", "objectId": "web"})
        );
        assert_eq!(
            o.cli_create(),
            [
                "object service web",
                " service tcp source range 1 1024 destination eq 443",
                " description d"
            ]
        );
        for (value, kind) in [
            ("icmp/echo", "object#ICMPServiceObj"),
            ("icmp6/echo", "object#ICMP6ServiceObj"),
            ("gre", "object#NetworkProtocolObj"),
        ] {
            let o = create(json!({"name": "x", "value": value}));
            assert_eq!(o.map(|o| o.to_json(LINK)["kind"].clone()), Ok(json!(kind)));
        }
    }

    #[test]
    fn rejects_bad_values_naming_the_attribute() {
        let e = create(json!({"name": "x", "value": "tcp/99999"}));
        assert_eq!(e.map_err(|e| e.attribute), Err("value".to_owned()));
        let e = create(json!({"name": "x"}));
        assert_eq!(e, Err(FieldError::new("value", FieldProblem::Missing)));
        let e = create(json!({"name": "any", "value": "tcp"}));
        assert_eq!(e.map_err(|e| e.attribute), Err("name".to_owned()));
    }

    #[test]
    fn replace_sends_the_new_service_line() {
        let old = create(json!({"name": "x", "value": "tcp/80", "description": "d"}))
            .unwrap_or_else(|e| panic!("{e}"));
        let new = ServiceObject::from_json(
            &json!({"value": "udp/53"}),
            WriteMode::Patch {
                id: "x",
                existing: &old,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            ServiceObject::cli_replace(&old, &new),
            ["object service x", " service udp destination eq 53"]
        );
        assert!(ServiceObject::cli_replace(&old, &old).is_empty());
        assert_eq!(old.cli_delete(), ["no object service x"]);
    }

    #[test]
    fn predefined_services_come_first_and_yield_to_configured_ones() {
        let cfg = RunningConfig::parse("object service https\n service tcp destination eq 8443\n");
        assert_eq!(cfg.service_objects.len(), PREDEFINED.len());
        let ssh = cfg.service_objects.get("ssh");
        assert_eq!(ssh.map(|o| o.is_predefined()), Some(true));
        assert_eq!(
            ssh.map(|o| o.to_json(LINK)["isSystemDefined"].clone()),
            Some(json!(true))
        );
        let https = cfg.service_objects.get("https");
        assert_eq!(https.map(|o| o.is_predefined()), Some(false));
        assert_eq!(
            https.and_then(|o| o.spec.as_ref()).map(|s| s.value()),
            Some("tcp/8443".to_owned())
        );
    }

    #[test]
    fn a_reload_keeps_the_written_value_while_the_service_is_unchanged() {
        let text =
            "object service a\n service tcp destination eq 443\nobject service b\n service udp\n";
        let mut old = RunningConfig::parse(text);
        for (name, written) in [("a", "tcp/443"), ("b", "udp")] {
            old.service_objects
                .update(name, |o| o.written = Some(written.to_uppercase()));
        }
        let mut new = RunningConfig::parse(
            "object service a\n service tcp destination eq 443\nobject service b\n service tcp\n",
        );
        keep_written(&old, &mut new);
        let value = |cfg: &RunningConfig, n: &str| {
            cfg.service_objects
                .get(n)
                .map(|o| o.to_json(LINK)["value"].clone())
        };
        assert_eq!(value(&new, "a"), Some(json!("TCP/443")));
        assert_eq!(value(&new, "b"), Some(json!("tcp")));
    }

    fn valid_object() -> impl Strategy<Value = ServiceObject> {
        (
            strategies::object_name(),
            prop::option::of(strategies::description()),
            spec(),
        )
            .prop_map(|(name, description, spec)| ServiceObject {
                name: name.into(),
                description,
                written: Some(spec.value()),
                spec: Some(spec),
                predefined: false,
            })
    }

    proptest! {
        #[test]
        fn json_to_cli_to_config_to_json_is_identity(o in valid_object()) {
            let json = o.to_json(LINK);
            prop_assert_eq!(ServiceObject::from_json(&json, WriteMode::Create), Ok(o.clone()));
            let mut text = o.cli_create().join("\n");
            text.push('\n');
            let cfg = RunningConfig::parse(&text);
            let back = cfg.service_objects.get(&o.name).cloned();
            prop_assert_eq!(back.as_ref(), Some(&o));
            if let Some(back) = back {
                prop_assert_eq!(back.to_json(LINK), json);
            }
        }

        #[test]
        fn arbitrary_json_never_panics(value in "\\PC{0,40}", name in "\\PC{0,20}") {
            let _ = create(json!({"name": name, "value": value, "description": value}));
        }
    }
}
