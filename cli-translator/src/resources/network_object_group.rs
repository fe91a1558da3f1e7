//! Network object groups: `/api/objects/networkobjectgroups`, kind `object#NetworkObjGroup`.
//!
//! ASA syntax (configuration mode):
//! ```text
//! object-group network <name>
//!  description <text>
//!  network-object host <ipv4|ipv6>
//!  network-object <ipv4> <mask>          (a 255.255.255.255 mask is a host)
//!  network-object <ipv6>/<prefix>        (a /128 prefix is a host)
//!  network-object object <network-object-name>
//!  group-object <network-group-name>
//! no object-group network <name>
//! ```
//! JSON: `{"kind":"object#NetworkObjGroup","selfLink":..,"name":"g","objectId":"g",
//! "description":"..","members":[{"kind":"IPv4Address","value":"10.0.0.1"},
//! {"kind":"IPv4Network","value":"10.1.0.0/16"},{"kind":"IPv6Address",..},{"kind":"IPv6Network",..},
//! {"kind":"objectRef#NetworkObj","refLink":..,"objectId":"web"},
//! {"kind":"objectRef#NetworkObjGroup","refLink":..,"objectId":"other"}]}`.
//! PATCH also takes `members.add` and `members.remove` (lists of members); members print in
//! the order they were added. A reference to a missing object or group fails naming `members`.

use compact_str::CompactString;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value};

use super::network_object::NetworkObject;
use super::reference::{origin_of, ref_id, ref_json};
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::parse::{mask_prefix, prefix_mask};
use crate::schema::{ADDRESS_OR_REF, Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};
use crate::validate::{MAX_DESCRIPTION, check_line_text, check_object_name};
use crate::words::WordError;
use crate::words::Words;

/// One `object-group network`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkObjectGroup {
    pub name: CompactString,
    pub description: Option<String>,
    pub members: Vec<NetworkMember>,
}

/// One member line of a network object group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NetworkMember {
    /// `network-object host <ip>`
    Host(IpAddr),
    /// `network-object <ip> <mask>` (contiguous mask, no host bits, not /32)
    Subnet4 { network: Ipv4Addr, mask: Ipv4Addr },
    /// `network-object <ipv6>/<prefix>` (no host bits, not /128)
    Subnet6 { network: Ipv6Addr, prefix: u8 },
    /// `network-object object <name>`
    Object(CompactString),
    /// `group-object <name>`
    Group(CompactString),
}

/// The member line as the ASA prints it (without indentation).
impl fmt::Display for NetworkMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkMember::Host(ip) => write!(f, "network-object host {ip}"),
            NetworkMember::Subnet4 { network, mask } => {
                write!(f, "network-object {network} {mask}")
            }
            NetworkMember::Subnet6 { network, prefix } => {
                write!(f, "network-object {network}/{prefix}")
            }
            NetworkMember::Object(name) => write!(f, "network-object object {name}"),
            NetworkMember::Group(name) => write!(f, "group-object {name}"),
        }
    }
}

/// Reads one member line (`network-object ...` or `group-object ...`), accepting every
/// form the ASA accepts and normalising hosts written as /32 or /128 networks.
pub fn parse_member(line: &str) -> Result<NetworkMember, WordError> {
    let mut w = Words::new(line);
    let member = if w.eat("group-object") {
        NetworkMember::Group(w.parse(name)?.into())
    } else if w.eat("network-object") {
        if w.eat("object") {
            NetworkMember::Object(w.parse(name)?.into())
        } else if w.eat("host") {
            NetworkMember::Host(w.parse(|s| s.parse::<IpAddr>().ok())?)
        } else {
            let at = w.index();
            let (_, first) = w.next_word()?;
            if let Some((ip, len)) = first.split_once('/') {
                let network: Ipv6Addr = ip.parse().map_err(|_| w.invalid_at(at))?;
                let prefix: u8 = len
                    .parse()
                    .ok()
                    .filter(|p| *p <= 128)
                    .ok_or_else(|| w.invalid_at(at))?;
                subnet6(network, prefix).ok_or_else(|| w.invalid_at(at))?
            } else {
                let network: Ipv4Addr = first.parse().map_err(|_| w.invalid_at(at))?;
                let mask: Ipv4Addr = w.parse(|s| {
                    s.parse::<Ipv4Addr>()
                        .ok()
                        .filter(|m| mask_prefix(*m).is_some())
                })?;
                subnet4(network, mask).ok_or_else(|| WordError::MaskMismatch {
                    address: network.to_string(),
                    mask: mask.to_string(),
                })?
            }
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

/// `network/mask` as a member: a host for /32, `None` with host bits set.
fn subnet4(network: Ipv4Addr, mask: Ipv4Addr) -> Option<NetworkMember> {
    if u32::from(network) & !u32::from(mask) != 0 {
        return None;
    }
    if u32::from(mask) == u32::MAX {
        return Some(NetworkMember::Host(IpAddr::V4(network)));
    }
    Some(NetworkMember::Subnet4 { network, mask })
}

/// `network/prefix` as a member: a host for /128, `None` with host bits set.
fn subnet6(network: Ipv6Addr, prefix: u8) -> Option<NetworkMember> {
    let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
    if u128::from(network) & !mask != 0 {
        return None;
    }
    if prefix == 128 {
        return Some(NetworkMember::Host(IpAddr::V6(network)));
    }
    Some(NetworkMember::Subnet6 { network, prefix })
}

impl NetworkMember {
    /// The JSON of the member; references link under `origin`.
    pub fn to_json(&self, origin: &str) -> Value {
        let primitive = |kind: &str, value: String| {
            let mut m = Map::new();
            m.insert("kind".into(), Value::from(kind));
            m.insert("value".into(), Value::from(value));
            Value::Object(m)
        };
        match self {
            NetworkMember::Host(IpAddr::V4(ip)) => primitive("IPv4Address", ip.to_string()),
            NetworkMember::Host(IpAddr::V6(ip)) => primitive("IPv6Address", ip.to_string()),
            NetworkMember::Subnet4 { network, mask } => {
                let prefix = mask_prefix(*mask).unwrap_or(0);
                primitive("IPv4Network", format!("{network}/{prefix}"))
            }
            NetworkMember::Subnet6 { network, prefix } => {
                primitive("IPv6Network", format!("{network}/{prefix}"))
            }
            NetworkMember::Object(name) => {
                ref_json("objectRef#NetworkObj", origin, NetworkObject::PATH, name)
            }
            NetworkMember::Group(name) => ref_json(
                "objectRef#NetworkObjGroup",
                origin,
                NetworkObjectGroup::PATH,
                name,
            ),
        }
    }

    /// Reads one member of a request body (`attr` names it in errors).
    pub fn from_json(v: &Value, attr: &str) -> Result<NetworkMember, FieldError> {
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
        if kind.eq_ignore_ascii_case("objectRef#NetworkObj") {
            return Ok(NetworkMember::Object(ref_id(v, attr)?.into()));
        }
        if kind.eq_ignore_ascii_case("objectRef#NetworkObjGroup") {
            return Ok(NetworkMember::Group(ref_id(v, attr)?.into()));
        }
        let value_attr = format!("{attr}.value");
        let value = json_str(
            map.get("value")
                .ok_or_else(|| FieldError::new(value_attr.as_str(), FieldProblem::Missing))?,
            &value_attr,
        )?
        .trim();
        let bad = |why: String| FieldError::new(value_attr.as_str(), FieldProblem::BadValue(why));
        match kind {
            "IPv4Address" => value
                .parse::<Ipv4Addr>()
                .map(|ip| NetworkMember::Host(IpAddr::V4(ip)))
                .map_err(|_| bad(format!("'{value}' is not an IPv4 address"))),
            "IPv6Address" => value
                .parse::<Ipv6Addr>()
                .map(|ip| NetworkMember::Host(IpAddr::V6(ip)))
                .map_err(|_| bad(format!("'{value}' is not an IPv6 address"))),
            "IPv4Network" => {
                let (ip, len) = value.split_once('/').ok_or_else(|| {
                    bad(format!("'{value}' is not an IPv4 network (a.b.c.d/len)"))
                })?;
                let network: Ipv4Addr = ip
                    .parse()
                    .map_err(|_| bad(format!("'{ip}' is not an IPv4 address")))?;
                let mask = match len.parse::<u8>() {
                    Ok(p) if p <= 32 => prefix_mask(p),
                    Ok(_) => return Err(bad(format!("prefix length '{len}' is over 32"))),
                    Err(_) => len
                        .parse::<Ipv4Addr>()
                        .ok()
                        .filter(|m| mask_prefix(*m).is_some())
                        .ok_or_else(|| bad(format!("'{len}' is not a prefix length or mask")))?,
                };
                subnet4(network, mask).ok_or_else(|| bad(format!("'{value}' has host bits set")))
            }
            "IPv6Network" => {
                let (ip, len) = value
                    .split_once('/')
                    .ok_or_else(|| bad(format!("'{value}' is not an IPv6 network (addr/len)")))?;
                let network: Ipv6Addr = ip
                    .parse()
                    .map_err(|_| bad(format!("'{ip}' is not an IPv6 address")))?;
                let prefix = len
                    .parse::<u8>()
                    .ok()
                    .filter(|p| *p <= 128)
                    .ok_or_else(|| bad(format!("'{len}' is not a prefix length (0-128)")))?;
                subnet6(network, prefix).ok_or_else(|| bad(format!("'{value}' has host bits set")))
            }
            other => Err(FieldError::new(
                kind_attr,
                FieldProblem::UnknownKind(other.to_owned()),
            )),
        }
    }
}

/// A list of members (`attr` names it in errors), duplicates dropped.
fn members_from_json(v: &Value, attr: &str) -> Result<Vec<NetworkMember>, FieldError> {
    let list = v.as_array().ok_or_else(|| {
        FieldError::new(
            attr,
            FieldProblem::WrongType {
                expected: "a list of members",
            },
        )
    })?;
    let mut out: Vec<NetworkMember> = Vec::with_capacity(list.len());
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let m = NetworkMember::from_json(item, &format!("{attr}[{i}]"))?;
        if seen.insert(m.clone()) {
            out.push(m);
        }
    }
    Ok(out)
}

/// The `description` attribute: `None` when null or empty.
pub(crate) fn description_from_json(v: &Value) -> Result<Option<String>, FieldError> {
    if v.is_null() {
        return Ok(None);
    }
    let text = json_str(v, "description")?;
    if text.is_empty() {
        return Ok(None);
    }
    check_line_text(text, MAX_DESCRIPTION)
        .map_err(|e| FieldError::new("description", FieldProblem::Value(e)))?;
    Ok(Some(text.to_owned()))
}

/// The name of a new item (POST) or the id of an existing one (PUT, PATCH: a given name must match).
pub(crate) fn name_for<R>(
    map: &Map<String, Value>,
    mode: &WriteMode<'_, R>,
) -> Result<String, FieldError> {
    let given = match map.get("name") {
        None | Some(Value::Null) => None,
        Some(v) => Some(json_str(v, "name")?),
    };
    match mode {
        WriteMode::Create => {
            let name = given.ok_or_else(|| FieldError::new("name", FieldProblem::Missing))?;
            check_object_name(name).map_err(|e| FieldError::new("name", FieldProblem::Value(e)))?;
            Ok(name.to_owned())
        }
        WriteMode::Replace { id, .. } | WriteMode::Patch { id, .. } => match given {
            Some(n) if n != *id => Err(FieldError::new("name", FieldProblem::Mismatch)),
            _ => Ok((*id).to_owned()),
        },
    }
}

const MEMBERS: Type = Type::Array(&ADDRESS_OR_REF);

/// `object#NetworkObjGroup`.
pub static SCHEMA: Object = Object {
    name: "NetworkObjGroup",
    description: "A network object group: addresses, network objects and nested groups.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The group's name (its objectId).").required(),
        Field::new("description", Type::Str, "Free text shown with the group."),
        Field::new(
            "members",
            MEMBERS,
            "Addresses and networks, `objectRef#NetworkObj` and `objectRef#NetworkObjGroup`.",
        ),
        Field::new("members.add", MEMBERS, "PATCH only: members to add."),
        Field::new("members.remove", MEMBERS, "PATCH only: members to remove."),
    ],
    kinds: &["object#NetworkObjGroup"],
    ours: false,
};

impl Resource for NetworkObjectGroup {
    const KIND: &'static str = "object#NetworkObjGroup";
    const COLLECTION_KIND: &'static str = "collection#NetworkObjGroup";
    const PATH: &'static str = "/api/objects/networkobjectgroups";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "object-group network ";

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
            map.insert("description".into(), Value::from(d.as_str()));
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
        let base = match mode {
            WriteMode::Patch { existing, .. } => Some(existing),
            _ => None,
        };
        let description = match (map.get("description"), base) {
            (None, Some(existing)) => existing.description.clone(),
            (None, None) => None,
            (Some(v), _) => description_from_json(v)?,
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
                        FieldProblem::BadValue(format!("'{m}' is not a member of the group")),
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
        Ok(NetworkObjectGroup {
            name: name.into(),
            description,
            members,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut lines = vec![format!("object-group network {}", self.name)];
        if let Some(d) = &self.description {
            lines.push(format!(" description {d}"));
        }
        lines.extend(self.members.iter().map(|m| format!(" {m}")));
        lines
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut subs = Vec::new();
        match (&old.description, &new.description) {
            (o, Some(n)) if o.as_ref() != Some(n) => subs.push(format!(" description {n}")),
            (Some(_), None) => subs.push(" no description".to_owned()),
            _ => {}
        }
        let old_set: std::collections::HashSet<&NetworkMember> = old.members.iter().collect();
        let new_set: std::collections::HashSet<&NetworkMember> = new.members.iter().collect();
        // Additions first: the ASA refuses to empty a group that is in use.
        for m in &new.members {
            if !old_set.contains(m) {
                subs.push(format!(" {m}"));
            }
        }
        for m in &old.members {
            if !new_set.contains(m) {
                subs.push(format!(" no {m}"));
            }
        }
        if subs.is_empty() {
            return subs;
        }
        let mut lines = vec![format!("object-group network {}", new.name)];
        lines.extend(subs);
        lines
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no object-group network {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let name = rest.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return;
        }
        let mut group = NetworkObjectGroup {
            name: name.to_owned().into(),
            description: None,
            members: Vec::with_capacity(children.len()),
        };
        for &child in children {
            if let Some(text) = child.strip_prefix("description ") {
                group.description = Some(text.to_owned());
            } else if let Ok(m) = parse_member(child) {
                group.members.push(m);
            }
        }
        collection.insert(group);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.network_object_groups
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.network_object_groups
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        let groups = &cfg.network_object_groups;
        for (i, m) in self.members.iter().enumerate() {
            let problem = match m {
                NetworkMember::Object(n) if !cfg.network_objects.contains(n) => {
                    Some(format!("network object '{n}' does not exist"))
                }
                NetworkMember::Group(n) if !groups.contains(n) && *n != self.name => {
                    Some(format!("network object group '{n}' does not exist"))
                }
                NetworkMember::Group(n) if reaches(n, &self.name, &|g| nested(groups, g)) => Some(
                    format!("nesting '{n}' in '{}' would make a loop", self.name),
                ),
                _ => None,
            };
            if let Some(why) = problem {
                return Err(FieldError::new(
                    format!("members[{i}]"),
                    FieldProblem::BadValue(why),
                ));
            }
        }
        Ok(())
    }
}

/// The groups nested directly in network group `name`.
fn nested(groups: &Collection<NetworkObjectGroup>, name: &str) -> Vec<String> {
    groups.get(name).map_or_else(Vec::new, |g| {
        g.members
            .iter()
            .filter_map(|m| match m {
                NetworkMember::Group(n) => Some(n.to_string()),
                _ => None,
            })
            .collect()
    })
}

/// Whether group `target` is `from` or nested (at any depth) in it, following `children`.
pub fn reaches(from: &str, target: &str, children: &dyn Fn(&str) -> Vec<String>) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(g) = stack.pop() {
        if g == target {
            return true;
        }
        if seen.insert(g.clone()) {
            stack.extend(children(&g));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies;
    use proptest::prelude::*;
    use serde_json::json;

    const LINK: &str = "https://asa/api/objects/networkobjectgroups/g";

    fn create(body: Value) -> Result<NetworkObjectGroup, FieldError> {
        NetworkObjectGroup::from_json(&body, WriteMode::Create)
    }

    fn group() -> NetworkObjectGroup {
        NetworkObjectGroup {
            name: "g".into(),
            description: Some("servers".into()),
            members: vec![
                NetworkMember::Host("10.0.0.1".parse().unwrap()),
                NetworkMember::Subnet4 {
                    network: "10.1.0.0".parse().unwrap(),
                    mask: "255.255.0.0".parse().unwrap(),
                },
                NetworkMember::Object("web".into()),
                NetworkMember::Group("inner".into()),
            ],
        }
    }

    #[test]
    fn writes_members_as_primitives_and_refs() {
        assert_eq!(
            group().to_json(LINK),
            json!({
                "kind": "object#NetworkObjGroup",
                "selfLink": LINK,
                "name": "g",
                "description": "servers",
                "members": [
                    {"kind": "IPv4Address", "value": "10.0.0.1"},
                    {"kind": "IPv4Network", "value": "10.1.0.0/16"},
                    {"kind": "objectRef#NetworkObj", "objectId": "web",
                     "refLink": "https://asa/api/objects/networkobjects/web"},
                    {"kind": "objectRef#NetworkObjGroup", "objectId": "inner",
                     "refLink": "https://asa/api/objects/networkobjectgroups/inner"},
                ],
                "objectId": "g",
            })
        );
    }

    #[test]
    fn prints_the_asa_lines() {
        assert_eq!(
            group().cli_create(),
            [
                "object-group network g",
                " description servers",
                " network-object host 10.0.0.1",
                " network-object 10.1.0.0 255.255.0.0",
                " network-object object web",
                " group-object inner",
            ]
        );
        assert_eq!(group().cli_delete(), ["no object-group network g"]);
    }

    #[test]
    fn reads_every_member_line_form() {
        let cases = [
            (
                "network-object host 10.0.0.1",
                "network-object host 10.0.0.1",
            ),
            (
                "network-object 10.0.0.1 255.255.255.255",
                "network-object host 10.0.0.1",
            ),
            (
                "network-object 10.0.0.0 255.0.0.0",
                "network-object 10.0.0.0 255.0.0.0",
            ),
            (
                "network-object 2001:db8::/32",
                "network-object 2001:db8::/32",
            ),
            (
                "network-object 2001:db8::1/128",
                "network-object host 2001:db8::1",
            ),
            ("Network-Object  object  web", "network-object object web"),
            ("group-object inner", "group-object inner"),
        ];
        for (line, printed) in cases {
            assert_eq!(
                parse_member(line).map(|m| m.to_string()),
                Ok(printed.to_owned()),
                "{line}"
            );
        }
    }

    #[test]
    fn member_line_errors_point_at_the_token() {
        assert_eq!(
            parse_member("network-object host 10.0.0.300")
                .unwrap_err()
                .offset(),
            Some(20)
        );
        assert_eq!(
            parse_member("network-object 10.0.0.1 255.255.255.0"),
            Err(WordError::MaskMismatch {
                address: "10.0.0.1".into(),
                mask: "255.255.255.0".into()
            })
        );
        assert_eq!(
            parse_member("network-object 10.0.0.0 255.0.255.0")
                .unwrap_err()
                .offset(),
            Some(24)
        );
        assert_eq!(
            parse_member("network-object host"),
            Err(WordError::Incomplete)
        );
        assert_eq!(
            parse_member("group-object a b").unwrap_err().offset(),
            Some(15)
        );
        assert_eq!(
            parse_member("port-object eq 80").unwrap_err().offset(),
            Some(0)
        );
    }

    #[test]
    fn reads_members_from_json_and_names_the_bad_one() {
        let g = create(json!({"name": "g", "members": [
            {"kind": "IPv4Network", "value": "10.0.0.0/255.0.0.0"},
            {"kind": "IPv4Network", "value": "10.0.0.5/32"},
            {"kind": "IPv6Network", "value": "2001:db8::/48"},
            {"kind": "objectRef#NetworkObj", "refLink": "https://h/api/objects/networkobjects/web"},
        ]}));
        assert_eq!(
            g.map(|g| g.cli_create()),
            Ok(vec![
                "object-group network g".to_owned(),
                " network-object 10.0.0.0 255.0.0.0".to_owned(),
                " network-object host 10.0.0.5".to_owned(),
                " network-object 2001:db8::/48".to_owned(),
                " network-object object web".to_owned(),
            ])
        );
        let e = create(json!({"name": "g", "members": [
            {"kind": "IPv4Address", "value": "10.0.0.1"},
            {"kind": "IPv4Network", "value": "10.0.0.1/24"},
        ]}));
        assert_eq!(
            e.map_err(|e| e.attribute),
            Err("members[1].value".to_owned())
        );
        let e = create(
            json!({"name": "g", "members": [{"kind": "IPv4Range", "value": "1.1.1.1-1.1.1.2"}]}),
        );
        assert_eq!(
            e.map_err(|e| e.problem),
            Err(FieldProblem::UnknownKind("IPv4Range".into()))
        );
        let e = create(json!({"name": "g", "members": "10.0.0.1"}));
        assert_eq!(e.map_err(|e| e.attribute), Err("members".to_owned()));
        let e = create(json!({"members": []}));
        assert_eq!(e, Err(FieldError::new("name", FieldProblem::Missing)));
    }

    #[test]
    fn patch_adds_and_removes_members() {
        let existing = group();
        let mode = WriteMode::Patch {
            id: "g",
            existing: &existing,
        };
        let g = NetworkObjectGroup::from_json(
            &json!({
                "members.add": [{"kind": "IPv4Address", "value": "10.0.0.9"},
                                {"kind": "IPv4Address", "value": "10.0.0.1"}],
                "members.remove": [{"kind": "objectRef#NetworkObj", "objectId": "web"}],
                "description": "changed",
            }),
            mode,
        );
        let g = g.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            NetworkObjectGroup::cli_replace(&existing, &g),
            [
                "object-group network g",
                " description changed",
                " network-object host 10.0.0.9",
                " no network-object object web",
            ]
        );
        let e = NetworkObjectGroup::from_json(
            &json!({"members.remove": [{"kind": "IPv4Address", "value": "10.9.9.9"}]}),
            mode,
        );
        assert_eq!(
            e.map_err(|e| e.attribute),
            Err("members.remove[0]".to_owned())
        );
        let e = create(json!({"name": "g", "members.add": []}));
        assert_eq!(e.map_err(|e| e.attribute), Err("members.add".to_owned()));
        assert!(NetworkObjectGroup::cli_replace(&existing, &existing).is_empty());
    }

    #[test]
    fn put_replaces_members_and_keeps_the_id() {
        let existing = group();
        let mode = WriteMode::Replace {
            id: "g",
            existing: &existing,
        };
        let g = NetworkObjectGroup::from_json(
            &json!({"members": [{"kind": "IPv4Address", "value": "10.0.0.1"}]}),
            mode,
        );
        assert_eq!(
            g.map(|g| NetworkObjectGroup::cli_replace(&existing, &g)),
            Ok(vec![
                "object-group network g".to_owned(),
                " no description".to_owned(),
                " no network-object 10.1.0.0 255.255.0.0".to_owned(),
                " no network-object object web".to_owned(),
                " no group-object inner".to_owned(),
            ])
        );
        let e = NetworkObjectGroup::from_json(&json!({"name": "h", "members": []}), mode);
        assert_eq!(e, Err(FieldError::new("name", FieldProblem::Mismatch)));
    }

    #[test]
    fn resolve_names_missing_references() {
        let cfg = RunningConfig::parse(
            "object network web\n host 10.0.0.1\nobject-group network inner\n network-object host 1.1.1.1\n",
        );
        let mut g = group();
        assert_eq!(g.resolve(&cfg), Ok(()));
        g.members.push(NetworkMember::Object("nope".into()));
        assert_eq!(
            g.resolve(&cfg).map_err(|e| e.attribute),
            Err("members[4]".to_owned())
        );
        let mut selfish = group();
        selfish.members = vec![NetworkMember::Group("g".into())];
        assert!(selfish.resolve(&cfg).is_err());
        // a contains b contains c: c may not take a.
        let chain = RunningConfig::parse(
            "object-group network a\n group-object b\nobject-group network b\n group-object c\n\
             object-group network c\n network-object host 1.1.1.1\n",
        );
        let mut c = chain
            .network_object_groups
            .get("c")
            .cloned()
            .unwrap_or_else(group);
        c.members.push(NetworkMember::Group("a".into()));
        assert_eq!(
            c.resolve(&chain).map_err(|e| e.attribute),
            Err("members[1]".to_owned())
        );
        let mut d = group();
        d.name = "d".into();
        d.members = vec![NetworkMember::Group("a".into())];
        assert_eq!(d.resolve(&chain), Ok(()));
    }

    #[test]
    fn reads_a_block_skipping_bad_lines() {
        let cfg = RunningConfig::parse(
            "object-group network g\n description d\n network-object host 10.0.0.1\n network-object host bad\n group-object x\nobject-group network empty\n",
        );
        assert_eq!(cfg.network_object_groups.len(), 2);
        assert_eq!(
            cfg.network_object_groups.get("g").map(|g| g.members.len()),
            Some(2)
        );
    }

    pub(crate) fn member() -> impl Strategy<Value = NetworkMember> {
        prop_oneof![
            strategies::ip().prop_map(NetworkMember::Host),
            (strategies::ipv4(), 0u8..32).prop_map(|(ip, p)| {
                let mask = prefix_mask(p);
                NetworkMember::Subnet4 {
                    network: Ipv4Addr::from(u32::from(ip) & u32::from(mask)),
                    mask,
                }
            }),
            (strategies::ipv6(), 0u8..128).prop_map(|(ip, p)| {
                let mask = u128::MAX.checked_shl(128 - u32::from(p)).unwrap_or(0);
                NetworkMember::Subnet6 {
                    network: Ipv6Addr::from(u128::from(ip) & mask),
                    prefix: p,
                }
            }),
            strategies::object_name().prop_map(|n| NetworkMember::Object(n.into())),
            strategies::object_name().prop_map(|n| NetworkMember::Group(n.into())),
        ]
    }

    fn valid_group() -> impl Strategy<Value = NetworkObjectGroup> {
        (
            strategies::object_name(),
            prop::option::of(strategies::description()),
            prop::collection::vec(member(), 0..8),
        )
            .prop_map(|(name, description, mut members)| {
                let mut seen = std::collections::HashSet::new();
                members.retain(|m| seen.insert(m.clone()));
                NetworkObjectGroup {
                    name: name.into(),
                    description,
                    members,
                }
            })
    }

    proptest! {
        #[test]
        fn json_to_cli_to_config_to_json_is_identity(g in valid_group()) {
            let json = g.to_json(LINK);
            prop_assert_eq!(NetworkObjectGroup::from_json(&json, WriteMode::Create), Ok(g.clone()));
            let mut text = g.cli_create().join("\n");
            text.push('\n');
            let cfg = RunningConfig::parse(&text);
            let back = cfg.network_object_groups.get(&g.name);
            prop_assert_eq!(back, Some(&g));
        }

        #[test]
        fn member_lines_round_trip(m in member()) {
            prop_assert_eq!(parse_member(&m.to_string()), Ok(m));
        }

        #[test]
        fn arbitrary_member_lines_never_panic(s in "(network-object |group-object |host |object |\\PC{0,12}| ){0,8}") {
            let _ = parse_member(&s);
        }

        #[test]
        fn arbitrary_json_never_panics(kind in "[A-Za-z0-9#]{0,22}", value in "\\PC{0,40}") {
            let body = json!({"name": "g", "members": [{"kind": kind, "value": value, "objectId": value}]});
            let _ = NetworkObjectGroup::from_json(&body, WriteMode::Create);
        }
    }
}
