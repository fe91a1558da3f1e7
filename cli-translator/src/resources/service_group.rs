//! Service groups: `/api/objects/networkservicegroups`, kind `object#NetworkServiceGroup`.
//!
//! ASA syntax (configuration mode):
//! ```text
//! object-group service <name>                 object-group service <name> tcp|udp|tcp-udp
//!  description <text>                          description <text>
//!  service-object <service>                    port-object eq <port>
//!  service-object object <service-object>      port-object range <port> <port>
//!  group-object <service-group>                group-object <service-group>
//! no object-group service <name>
//! ```
//! `<service>` is the CLI form of [`super::service_spec`]. JSON: `{"kind":"object#NetworkServiceGroup",
//! "name":"g","objectId":"g","description":"..","members":[{"kind":"TcpUdpService","value":"tcp/80"},
//! {"kind":"ICMPService","value":"icmp/echo"},{"kind":"NetworkProtocol","value":"gre"},
//! {"kind":"objectRef#TcpUdpServiceObj","refLink":..,"objectId":"web"},
//! {"kind":"objectRef#NetworkServiceGroup","refLink":..,"objectId":"other"}]}`.
//! Groups the agent creates have no protocol (`service-object` lines); a group with a protocol
//! read from the configuration keeps it, and its members must then be destination ports of that
//! protocol. A reference to a predefined service becomes its service inline. PATCH takes
//! `members.add` / `members.remove`.

use compact_str::CompactString;
use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde_json::{Map, Value};

use super::network_object_group::{description_from_json, name_for, reaches};
use super::reference::{origin_of, ref_id, ref_json};
use super::service_object::ServiceObject;
use super::service_spec::{PortMatch, PortOp, ServiceClass, ServiceSpec, TcpUdp};
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, SERVICE_OR_REF, Type};
use crate::validate::check_object_name;
use crate::words::WordError;
use crate::words::Words;

/// One `object-group service`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceGroup {
    pub name: CompactString,
    /// `tcp|udp|tcp-udp` on the header line (`port-object` members).
    pub protocol: Option<TcpUdp>,
    /// Boxed text (issue 13: memory): the group is 72 bytes, which with the collection's
    /// sequence number and the shared count fits a 96-byte glibc chunk (80 bytes took 112).
    pub description: Option<Box<str>>,
    pub members: Vec<ServiceMember>,
}

/// The class of a referenced service object, as far as known; not part of equality.
#[derive(Debug, Clone, Copy, Default)]
pub struct RefClass(pub Option<ServiceClass>);

impl PartialEq for RefClass {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for RefClass {}

impl Hash for RefClass {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

/// One member line of a service group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ServiceMember {
    /// `service-object <service>`, or `port-object ...` in a group with a protocol.
    Service(ServiceSpec),
    /// `service-object object <name>`
    Object(CompactString, RefClass),
    /// `group-object <name>`
    Group(CompactString),
}

/// The member as the group prints it (`protocol` is the group's).
struct MemberLine<'a>(&'a ServiceMember, Option<TcpUdp>);

impl fmt::Display for MemberLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            ServiceMember::Service(spec) => match (self.1, port_object(spec)) {
                (Some(_), Some(m)) => write!(f, "port-object {m}"),
                _ => write!(f, "service-object {spec}"),
            },
            ServiceMember::Object(name, _) => write!(f, "service-object object {name}"),
            ServiceMember::Group(name) => write!(f, "group-object {name}"),
        }
    }
}

/// The `port-object` match of a spec: destination `eq` or `range` only, no source.
fn port_object(spec: &ServiceSpec) -> Option<&PortMatch> {
    match spec {
        ServiceSpec::TcpUdp {
            source: None,
            destination: Some(m @ (PortMatch::Op(PortOp::Eq, _) | PortMatch::Range(..))),
            ..
        } => Some(m),
        _ => None,
    }
}

/// Whether `spec` can be a member of a group with `protocol`.
fn fits(spec: &ServiceSpec, protocol: TcpUdp) -> bool {
    matches!(spec, ServiceSpec::TcpUdp { protocol: p, .. } if *p == protocol)
        && port_object(spec).is_some()
}

impl ServiceMember {
    /// The member line inside a group with `protocol` (without indentation).
    pub fn line(&self, protocol: Option<TcpUdp>) -> String {
        MemberLine(self, protocol).to_string()
    }

    fn to_json(&self, origin: &str) -> Value {
        match self {
            ServiceMember::Service(spec) => {
                let mut m = Map::new();
                m.insert("kind".into(), Value::from(spec.class().primitive_kind()));
                m.insert("value".into(), Value::from(spec.value()));
                Value::Object(m)
            }
            ServiceMember::Object(name, class) => ref_json(
                class.0.unwrap_or(ServiceClass::TcpUdp).ref_kind(),
                origin,
                ServiceObject::PATH,
                name,
            ),
            ServiceMember::Group(name) => ref_json(
                "objectRef#NetworkServiceGroup",
                origin,
                ServiceGroup::PATH,
                name,
            ),
        }
    }

    fn from_json(v: &Value, attr: &str) -> Result<ServiceMember, FieldError> {
        let map = v.as_object().ok_or_else(|| {
            FieldError::new(
                attr,
                FieldProblem::WrongType {
                    expected: "an object with kind and value",
                },
            )
        })?;
        let kind_attr = format!("{attr}.kind");
        let kind = json_str(
            map.get("kind")
                .ok_or_else(|| FieldError::new(kind_attr.as_str(), FieldProblem::Missing))?,
            &kind_attr,
        )?;
        let ref_class = [
            ServiceClass::TcpUdp,
            ServiceClass::Icmp,
            ServiceClass::Icmp6,
            ServiceClass::Protocol,
        ]
        .into_iter()
        .find(|c| c.ref_kind().eq_ignore_ascii_case(kind));
        if let Some(class) = ref_class {
            return Ok(ServiceMember::Object(
                ref_id(v, attr)?.into(),
                RefClass(Some(class)),
            ));
        }
        if kind.eq_ignore_ascii_case("objectRef#NetworkServiceGroup") {
            return Ok(ServiceMember::Group(ref_id(v, attr)?.into()));
        }
        if !matches!(
            kind,
            "TcpUdpService" | "ICMPService" | "ICMP6Service" | "NetworkProtocol"
        ) {
            return Err(FieldError::new(
                kind_attr,
                FieldProblem::UnknownKind(kind.to_owned()),
            ));
        }
        let value_attr = format!("{attr}.value");
        let value = json_str(
            map.get("value")
                .ok_or_else(|| FieldError::new(value_attr.as_str(), FieldProblem::Missing))?,
            &value_attr,
        )?;
        ServiceSpec::from_value(value)
            .map(ServiceMember::Service)
            .map_err(|why| FieldError::new(value_attr, FieldProblem::BadValue(why)))
    }
}

/// Reads one member line of a group with `protocol`.
pub fn parse_member(line: &str, protocol: Option<TcpUdp>) -> Result<ServiceMember, WordError> {
    let mut w = Words::new(line);
    let member = if w.eat("group-object") {
        ServiceMember::Group(w.parse(name)?.into())
    } else if let Some(protocol) = protocol {
        if !w.eat("port-object") {
            return Err(w.bad_next());
        }
        // `port-object eq 80` reads as `tcp destination eq 80` for a tcp group.
        let at = w.index();
        let m = PortMatch::from_words(&mut w, protocol)?;
        w.end()?;
        let spec = ServiceSpec::TcpUdp {
            protocol,
            source: None,
            destination: Some(m),
        };
        if port_object(&spec).is_none() {
            return Err(w.invalid_at(at));
        }
        return Ok(ServiceMember::Service(spec));
    } else if w.eat("service-object") {
        if w.eat("object") {
            ServiceMember::Object(w.parse(name)?.into(), RefClass(None))
        } else {
            ServiceMember::Service(ServiceSpec::from_words(&mut w)?)
        }
    } else {
        return Err(w.bad_next());
    };
    w.end()?;
    Ok(member)
}

fn name(s: &str) -> Option<String> {
    check_object_name(s).ok().map(|()| s.to_owned())
}

/// A list of members (`attr` names it in errors), duplicates dropped.
fn members_from_json(v: &Value, attr: &str) -> Result<Vec<ServiceMember>, FieldError> {
    let list = v.as_array().ok_or_else(|| {
        FieldError::new(
            attr,
            FieldProblem::WrongType {
                expected: "a list of members",
            },
        )
    })?;
    let mut out: Vec<ServiceMember> = Vec::with_capacity(list.len());
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let m = ServiceMember::from_json(item, &format!("{attr}[{i}]"))?;
        if seen.insert(m.clone()) {
            out.push(m);
        }
    }
    Ok(out)
}

/// The groups nested directly in service group `name`.
fn nested(groups: &Collection<ServiceGroup>, name: &str) -> Vec<String> {
    groups.get(name).map_or_else(Vec::new, |g| {
        g.members
            .iter()
            .filter_map(|m| match m {
                ServiceMember::Group(n) => Some(n.to_string()),
                _ => None,
            })
            .collect()
    })
}

/// Sets the class of every service-object reference from the configuration.
pub fn settle_refs(cfg: &mut RunningConfig) {
    let RunningConfig {
        service_objects,
        service_groups,
        ..
    } = cfg;
    let mut changes: Vec<(String, usize, ServiceClass)> = Vec::new();
    for g in service_groups.iter() {
        for (i, m) in g.members.iter().enumerate() {
            if let ServiceMember::Object(n, _) = m
                && let Some(o) = service_objects.get(n)
            {
                changes.push((g.name.to_string(), i, o.class()));
            }
        }
    }
    // One copy per group, whatever its number of members.
    let mut rest = changes.as_slice();
    while let Some((group, ..)) = rest.first() {
        let same = rest.iter().take_while(|(g, ..)| g == group).count();
        let (these, after) = rest.split_at(same);
        service_groups.update(group, |g| {
            for (_, i, class) in these {
                if let Some(ServiceMember::Object(_, c)) = g.members.get_mut(*i) {
                    *c = RefClass(Some(*class));
                }
            }
        });
        rest = after;
    }
}

const MEMBERS: Type = Type::Array(&SERVICE_OR_REF);

/// `object#NetworkServiceGroup`.
pub static SCHEMA: Object = Object {
    name: "NetworkServiceGroup",
    description: "A service group: services, service objects and nested groups.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The group's name (its objectId).").required(),
        Field::new("description", Type::Str, "Free text shown with the group."),
        Field::new(
            "members",
            MEMBERS,
            "Service primitives, service object refs and `objectRef#NetworkServiceGroup`.",
        ),
        Field::new("members.add", MEMBERS, "PATCH only: members to add."),
        Field::new("members.remove", MEMBERS, "PATCH only: members to remove."),
    ],
    kinds: &["object#NetworkServiceGroup"],
    ours: false,
};

impl Resource for ServiceGroup {
    const KIND: &'static str = "object#NetworkServiceGroup";
    const COLLECTION_KIND: &'static str = "collection#NetworkServiceGroup";
    const PATH: &'static str = "/api/objects/networkservicegroups";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "object-group service ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let origin = origin_of(self_link);
        let mut map = Map::new();
        map.insert("kind".into(), Value::from(Self::KIND));
        map.insert("selfLink".into(), Value::from(self_link));
        map.insert("name".into(), Value::from(self.name.as_str()));
        if let Some(d) = &self.description {
            map.insert("description".into(), Value::from(&**d));
        }
        let members: Vec<Value> = self.members.iter().map(|m| m.to_json(origin)).collect();
        map.insert("members".into(), Value::Array(members));
        map.insert("objectId".into(), Value::from(self.name.as_str()));
        Value::Object(map)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let name = name_for(map, &mode)?;
        let (base, protocol) = match mode {
            WriteMode::Patch { existing, .. } => (Some(existing), existing.protocol),
            WriteMode::Replace { existing, .. } => (None, existing.protocol),
            WriteMode::Create => (None, None),
        };
        let description = match (map.get("description"), base) {
            (None, Some(existing)) => existing.description.clone(),
            (None, None) => None,
            (Some(v), _) => description_from_json(v)?.map(String::into_boxed_str),
        };
        let mut members = match (map.get("members"), base) {
            (None, Some(existing)) => existing.members.clone(),
            (None | Some(Value::Null), _) => Vec::new(),
            (Some(v), _) => members_from_json(v, "members")?,
        };
        let add = map.get("members.add");
        let remove = map.get("members.remove");
        if base.is_none() && (add.is_some() || remove.is_some()) {
            let attr = if add.is_some() {
                "members.add"
            } else {
                "members.remove"
            };
            return Err(FieldError::new(
                attr,
                FieldProblem::BadValue("only PATCH takes members.add and members.remove".into()),
            ));
        }
        if let Some(v) = remove {
            for (i, m) in members_from_json(v, "members.remove")?
                .into_iter()
                .enumerate()
            {
                let Some(at) = members.iter().position(|x| *x == m) else {
                    return Err(FieldError::new(
                        format!("members.remove[{i}]"),
                        FieldProblem::BadValue(format!(
                            "'{}' is not a member of the group",
                            m.line(protocol)
                        )),
                    ));
                };
                members.remove(at);
            }
        }
        if let Some(v) = add {
            let mut present: std::collections::HashSet<_> = members.iter().cloned().collect();
            for m in members_from_json(v, "members.add")? {
                if present.insert(m.clone()) {
                    members.push(m);
                }
            }
        }
        if let Some(protocol) = protocol {
            for (i, m) in members.iter().enumerate() {
                if let ServiceMember::Service(spec) = m
                    && !fits(spec, protocol)
                {
                    return Err(FieldError::new(
                        format!("members[{i}]"),
                        FieldProblem::BadValue(format!(
                            "this group holds {protocol} destination ports only ('{protocol}/<port>' or '{protocol}/<a>-<b>')"
                        )),
                    ));
                }
            }
        }
        Ok(ServiceGroup {
            name: name.into(),
            protocol,
            description,
            members,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut lines = vec![match self.protocol {
            Some(p) => format!("object-group service {} {p}", self.name),
            None => format!("object-group service {}", self.name),
        }];
        if let Some(d) = &self.description {
            lines.push(format!(" description {d}"));
        }
        lines.extend(
            self.members
                .iter()
                .map(|m| format!(" {}", m.line(self.protocol))),
        );
        lines
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut subs = Vec::new();
        match (&old.description, &new.description) {
            (o, Some(n)) if o.as_ref() != Some(n) => subs.push(format!(" description {n}")),
            (Some(_), None) => subs.push(" no description".to_owned()),
            _ => {}
        }
        let old_set: HashSet<&ServiceMember> = old.members.iter().collect();
        let new_set: HashSet<&ServiceMember> = new.members.iter().collect();
        for m in &new.members {
            if !old_set.contains(m) {
                subs.push(format!(" {}", m.line(new.protocol)));
            }
        }
        for m in &old.members {
            if !new_set.contains(m) {
                subs.push(format!(" no {}", m.line(old.protocol)));
            }
        }
        if subs.is_empty() {
            return subs;
        }
        let mut lines = vec![match new.protocol {
            Some(p) => format!("object-group service {} {p}", new.name),
            None => format!("object-group service {}", new.name),
        }];
        lines.extend(subs);
        lines
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no object-group service {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let mut words = rest.split_whitespace();
        let Some(name) = words.next() else { return };
        let protocol = match words.next() {
            None => None,
            Some(w) => match TcpUdp::from_word(w) {
                Some(p) => Some(p),
                None => return,
            },
        };
        let mut group = ServiceGroup {
            name: name.to_owned().into(),
            protocol,
            description: None,
            members: Vec::with_capacity(children.len()),
        };
        for &child in children {
            if let Some(text) = child.strip_prefix("description ") {
                group.description = Some(text.into());
            } else if let Ok(m) = parse_member(child.trim_end(), protocol) {
                group.members.push(m);
            }
        }
        collection.insert(group);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.service_groups
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.service_groups
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        for (i, m) in self.members.iter_mut().enumerate() {
            let problem = match m {
                ServiceMember::Object(n, class) => match cfg.service_objects.get(n) {
                    None => Some(format!("service object '{n}' does not exist")),
                    Some(o) if o.predefined => {
                        if let Some(spec) = o.spec.clone() {
                            *m = ServiceMember::Service(spec);
                        }
                        None
                    }
                    Some(o) => {
                        *class = RefClass(Some(o.class()));
                        None
                    }
                },
                ServiceMember::Group(n) if !cfg.service_groups.contains(n) && *n != self.name => {
                    Some(format!("service group '{n}' does not exist"))
                }
                ServiceMember::Group(n)
                    if reaches(n, &self.name, &|g| nested(&cfg.service_groups, g)) =>
                {
                    Some(format!(
                        "nesting '{n}' in '{}' would make a loop",
                        self.name
                    ))
                }
                _ => None,
            };
            if let Some(why) = problem {
                return Err(FieldError::new(
                    format!("members[{i}]"),
                    FieldProblem::BadValue(why),
                ));
            }
        }
        let mut seen = HashSet::new();
        self.members.retain(|m| seen.insert(m.clone()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    // issue 13: memory
    #[test]
    fn a_group_fits_the_snapshots_allocation() {
        assert!(std::mem::size_of::<ServiceGroup>() <= 72);
    }

    use super::*;
    use crate::resources::service_spec::tests::spec;
    use crate::strategies;
    use proptest::prelude::*;
    use serde_json::json;

    const LINK: &str = "https://asa/api/objects/networkservicegroups/g";

    fn create(body: Value) -> Result<ServiceGroup, FieldError> {
        ServiceGroup::from_json(&body, WriteMode::Create)
    }

    #[test]
    fn writes_service_object_lines() {
        let g = create(json!({"name": "g", "description": "d", "members": [
            {"kind": "TcpUdpService", "value": "tcp/80"},
            {"kind": "ICMPService", "value": "icmp/echo"},
            {"kind": "NetworkProtocol", "value": "gre"},
            {"kind": "objectRef#TcpUdpServiceObj", "objectId": "web"},
            {"kind": "objectRef#NetworkServiceGroup", "objectId": "inner"},
        ]}))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            g.cli_create(),
            [
                "object-group service g",
                " description d",
                " service-object tcp destination eq 80",
                " service-object icmp echo",
                " service-object gre",
                " service-object object web",
                " group-object inner",
            ]
        );
        assert_eq!(
            g.to_json(LINK)["members"][3],
            json!({"kind": "objectRef#TcpUdpServiceObj", "objectId": "web",
                   "refLink": "https://asa/api/objects/networkservices/web"})
        );
        assert_eq!(g.cli_delete(), ["no object-group service g"]);
    }

    #[test]
    fn reads_groups_with_a_protocol_and_keeps_it() {
        let cfg = RunningConfig::parse(
            "object-group service ports tcp\n port-object eq 445\n port-object range 1000 2000\n group-object x\n",
        );
        let g = cfg.service_groups.get("ports").cloned();
        let g = g.unwrap_or_else(|| panic!("group not read"));
        assert_eq!(g.protocol, Some(TcpUdp::Tcp));
        assert_eq!(
            g.to_json(LINK)["members"][1],
            json!({"kind": "TcpUdpService", "value": "tcp/1000-2000"})
        );
        let mode = WriteMode::Patch {
            id: "ports",
            existing: &g,
        };
        let new = ServiceGroup::from_json(
            &json!({"members.add": [{"kind": "TcpUdpService", "value": "tcp/22"}]}),
            mode,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            ServiceGroup::cli_replace(&g, &new),
            ["object-group service ports tcp", " port-object eq 22"]
        );
        let e = ServiceGroup::from_json(
            &json!({"members.add": [{"kind": "TcpUdpService", "value": "udp/22"}]}),
            mode,
        );
        assert_eq!(e.map_err(|e| e.attribute), Err("members[3]".to_owned()));
    }

    #[test]
    fn reads_member_lines_old_and_new() {
        for (line, printed) in [
            (
                "service-object tcp eq 1235",
                "service-object tcp destination eq 1235",
            ),
            (
                "service-object tcp source eq 3 eq 1236",
                "service-object tcp source eq 3 destination eq 1236",
            ),
            ("service-object 137", "service-object 137"),
            ("service-object object alpha", "service-object object alpha"),
            ("group-object three", "group-object three"),
        ] {
            assert_eq!(
                parse_member(line, None).map(|m| m.line(None)),
                Ok(printed.to_owned()),
                "{line}"
            );
        }
        assert_eq!(
            parse_member("port-object eq 80", None)
                .unwrap_err()
                .offset(),
            Some(0)
        );
        assert_eq!(
            parse_member("port-object eq bogus", Some(TcpUdp::Tcp))
                .unwrap_err()
                .offset(),
            Some(15)
        );
        assert_eq!(
            parse_member("port-object lt 80", Some(TcpUdp::Tcp))
                .unwrap_err()
                .offset(),
            Some(12)
        );
    }

    #[test]
    fn resolve_checks_refs_sets_kinds_and_inlines_predefined() {
        let cfg = RunningConfig::parse(
            "object service ping\n service icmp echo\nobject-group service inner\n service-object gre\n",
        );
        let mut g = create(json!({"name": "g", "members": [
            {"kind": "objectRef#TcpUdpServiceObj", "objectId": "ping"},
            {"kind": "objectRef#TcpUdpServiceObj", "objectId": "https"},
            {"kind": "objectRef#NetworkServiceGroup", "objectId": "inner"},
        ]}))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(g.resolve(&cfg), Ok(()));
        let json = g.to_json(LINK);
        assert_eq!(
            json["members"][0]["kind"],
            json!("objectRef#ICMPServiceObj")
        );
        assert_eq!(
            json["members"][1],
            json!({"kind": "TcpUdpService", "value": "tcp/https"})
        );
        let mut bad = create(json!({"name": "g", "members": [
            {"kind": "objectRef#TcpUdpServiceObj", "objectId": "nope"}]}))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            bad.resolve(&cfg).map_err(|e| e.attribute),
            Err("members[0]".to_owned())
        );
    }

    #[test]
    fn configuration_refs_get_the_object_kind() {
        let cfg = RunningConfig::parse(
            "object service ping\n service icmp echo\nobject-group service g\n service-object object ping\n",
        );
        let json = cfg.service_groups.get("g").map(|g| g.to_json(LINK));
        assert_eq!(
            json.map(|j| j["members"][0]["kind"].clone()),
            Some(json!("objectRef#ICMPServiceObj"))
        );
    }

    fn member() -> impl Strategy<Value = ServiceMember> {
        prop_oneof![
            spec().prop_map(ServiceMember::Service),
            strategies::object_name().prop_map(|n| ServiceMember::Object(n.into(), RefClass(None))),
            strategies::object_name().prop_map(|n| ServiceMember::Group(n.into())),
        ]
    }

    fn valid_group() -> impl Strategy<Value = ServiceGroup> {
        (
            strategies::object_name(),
            prop::option::of(strategies::description()),
            prop::collection::vec(member(), 0..8),
        )
            .prop_map(|(name, description, mut members)| {
                let mut seen = HashSet::new();
                members.retain(|m| seen.insert(m.clone()));
                ServiceGroup {
                    name: name.into(),
                    protocol: None,
                    description: description.map(String::into_boxed_str),
                    members,
                }
            })
    }

    proptest! {
        #[test]
        fn json_to_cli_to_config_to_json_is_identity(g in valid_group()) {
            let json = g.to_json(LINK);
            prop_assert_eq!(ServiceGroup::from_json(&json, WriteMode::Create), Ok(g.clone()));
            let mut text = g.cli_create().join("\n");
            text.push('\n');
            let cfg = RunningConfig::parse(&text);
            prop_assert_eq!(cfg.service_groups.get(&g.name), Some(&g));
        }

        #[test]
        fn arbitrary_json_never_panics(kind in "[A-Za-z0-9#]{0,28}", value in "\\PC{0,40}") {
            let body = json!({"name": "g", "members": [{"kind": kind, "value": value, "objectId": value}]});
            let _ = ServiceGroup::from_json(&body, WriteMode::Create);
        }

        #[test]
        fn arbitrary_member_lines_never_panic(s in "(service-object |port-object |group-object |object |tcp |eq |range |\\PC{0,8}| ){0,8}") {
            let _ = parse_member(&s, None);
            let _ = parse_member(&s, Some(TcpUdp::Udp));
        }
    }
}
