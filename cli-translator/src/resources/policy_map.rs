//! Layer 3/4 policy maps and their inspections: `/api/servicepolicy/policymaps`, kind
//! `object#PolicyMap` (the shape is ours: no public client or capture gives Cisco's).
//!
//! ASA syntax (`policy-map type ...` maps are not this resource):
//! ```text
//! policy-map <name>
//!  description <text>
//!  class <class-map>|class-default
//!   inspect <proto> [strict] [<inspect map>] [dynamic-filter-snoop] [tls-proxy <name>]
//!   set connection ...            (connection limits: their own resource)
//! ```
//! JSON: `{"kind":"object#PolicyMap","name":"global_policy","classes":[{"className":
//! "inspection_default","inspections":[{"protocol":"dns","inspectMap":"preset_dns_map"},
//! {"protocol":"ftp"}]}]}`. `protocol` is the CLI keyword (`h323 h225`, `h323 ras` and
//! `icmp error` keep their second word). The connection limits of a class
//! (`/api/servicepolicy/connectionlimits`) are kept by a write here unless the class goes.

use serde_json::{Map, Value, json};

use super::service_policy::{
    INSPECT_MAP_PROTOCOLS, INSPECT_PROTOCOLS, bad, body_map, check_map_name, is_map_name, same_name,
};
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};
use crate::validate::{MAX_DESCRIPTION, check_line_text};

/// The `protocol` values of an inspection.
pub const PROTOCOLS: &[&str] = &[
    "ctiqbe",
    "dcerpc",
    "diameter",
    "dns",
    "esmtp",
    "ftp",
    "gtp",
    "h323 h225",
    "h323 ras",
    "http",
    "icmp",
    "icmp error",
    "ils",
    "im",
    "ip-options",
    "ipsec-pass-thru",
    "ipv6",
    "lisp",
    "m3ua",
    "mgcp",
    "mmp",
    "netbios",
    "pptp",
    "radius-accounting",
    "rsh",
    "rtsp",
    "scansafe",
    "sctp",
    "sip",
    "skinny",
    "snmp",
    "sqlnet",
    "stun",
    "sunrpc",
    "tftp",
    "vxlan",
    "waas",
    "xdmcp",
];

/// One `inspect` line of a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// `dns`, `h323 h225`, `icmp error` ...
    pub protocol: String,
    /// `inspect ftp strict`.
    pub strict: bool,
    pub map: Option<String>,
    /// `inspect dns ... dynamic-filter-snoop`.
    pub snoop: bool,
    pub tls_proxy: Option<String>,
}

impl Inspection {
    /// The sub-command (without indentation).
    pub fn line(&self) -> String {
        let mut s = format!("inspect {}", self.protocol);
        if self.strict {
            s.push_str(" strict");
        }
        if let Some(m) = &self.map {
            s.push(' ');
            s.push_str(m);
        }
        if self.snoop {
            s.push_str(" dynamic-filter-snoop");
        }
        if let Some(t) = &self.tls_proxy {
            s.push_str(" tls-proxy ");
            s.push_str(t);
        }
        s
    }

    /// The protocol of the inspect maps it may name (`h323` for `h323 h225`).
    pub fn map_protocol(&self) -> &str {
        self.protocol.split_whitespace().next().unwrap_or_default()
    }

    /// Reads an `inspect` line.
    pub fn parse(line: &str) -> Option<Inspection> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (protocol, mut i) = match words.as_slice() {
            ["inspect", "h323", kind @ ("h225" | "ras"), ..] => (format!("h323 {kind}"), 3),
            ["inspect", "icmp", "error", ..] => ("icmp error".to_owned(), 3),
            ["inspect", proto, ..] if INSPECT_PROTOCOLS.contains(proto) && *proto != "h323" => {
                ((*proto).to_owned(), 2)
            }
            _ => return None,
        };
        let mut ins = Inspection {
            protocol,
            strict: false,
            map: None,
            snoop: false,
            tls_proxy: None,
        };
        if ins.protocol == "ftp" && words.get(i) == Some(&"strict") {
            ins.strict = true;
            i += 1;
        }
        while let Some(w) = words.get(i) {
            match *w {
                "dynamic-filter-snoop" if ins.protocol == "dns" => ins.snoop = true,
                "tls-proxy" => {
                    let name = words.get(i + 1).filter(|n| is_map_name(n))?;
                    ins.tls_proxy = Some((*name).to_owned());
                    i += 1;
                }
                name if ins.map.is_none()
                    && !ins.snoop
                    && ins.tls_proxy.is_none()
                    && INSPECT_MAP_PROTOCOLS.contains(&ins.map_protocol())
                    && is_map_name(name) =>
                {
                    ins.map = Some(name.to_owned());
                }
                _ => return None,
            }
            i += 1;
        }
        Some(ins)
    }

    fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("protocol".into(), Value::from(self.protocol.as_str()));
        if let Some(map) = &self.map {
            m.insert("inspectMap".into(), Value::from(map.as_str()));
        }
        let mut options = Vec::new();
        if self.strict {
            options.push("strict");
        }
        if self.snoop {
            options.push("dynamic-filter-snoop");
        }
        if !options.is_empty() {
            m.insert("options".into(), json!(options));
        }
        if let Some(t) = &self.tls_proxy {
            m.insert("tlsProxy".into(), Value::from(t.as_str()));
        }
        Value::Object(m)
    }

    fn from_json(v: &Value, attr: &str) -> Result<Inspection, FieldError> {
        let at = |k: &str| format!("{attr}.{k}");
        let map = v.as_object().ok_or_else(|| {
            FieldError::new(
                attr,
                FieldProblem::WrongType {
                    expected: "an object",
                },
            )
        })?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let protocol = get("protocol")
            .ok_or_else(|| FieldError::new(at("protocol"), FieldProblem::Missing))
            .and_then(|p| json_str(p, &at("protocol")))?;
        if !PROTOCOLS.contains(&protocol) {
            return Err(bad(
                &at("protocol"),
                format!("'{protocol}' is not an inspection"),
            ));
        }
        let mut ins = Inspection {
            protocol: protocol.to_owned(),
            strict: false,
            map: None,
            snoop: false,
            tls_proxy: None,
        };
        if let Some(m) = get("inspectMap") {
            let m = json_str(m, &at("inspectMap"))?;
            if !INSPECT_MAP_PROTOCOLS.contains(&ins.map_protocol()) {
                return Err(bad(
                    &at("inspectMap"),
                    format!("'{protocol}' inspection takes no inspect map"),
                ));
            }
            check_map_name(&at("inspectMap"), m)?;
            ins.map = Some(m.to_owned());
        }
        if let Some(opts) = get("options") {
            let list = opts.as_array().ok_or_else(|| {
                FieldError::new(
                    at("options"),
                    FieldProblem::WrongType { expected: "a list" },
                )
            })?;
            for o in list {
                match (json_str(o, &at("options"))?, protocol) {
                    ("strict", "ftp") => ins.strict = true,
                    ("dynamic-filter-snoop", "dns") => ins.snoop = true,
                    (o, _) => {
                        return Err(bad(
                            &at("options"),
                            format!("'{o}' is not an option of '{protocol}' inspection"),
                        ));
                    }
                }
            }
        }
        if let Some(t) = get("tlsProxy") {
            let t = json_str(t, &at("tlsProxy"))?;
            check_map_name(&at("tlsProxy"), t)?;
            ins.tls_proxy = Some(t.to_owned());
        }
        Ok(ins)
    }
}

/// One `class` of a policy map with its inspections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyClass {
    pub class: String,
    pub inspections: Vec<Inspection>,
}

/// One `policy-map <name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyMap {
    pub name: String,
    pub description: Option<String>,
    pub classes: Vec<PolicyClass>,
}

/// A class of a policy-map block as read, with its `set connection` lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedClass<'t> {
    pub class: &'t str,
    pub inspects: Vec<&'t str>,
    pub set_connection: Vec<&'t str>,
}

/// The description and classes of a policy-map block (children trimmed); `None` when the
/// header is not a layer 3/4 policy map.
pub fn parse_block<'t>(
    rest: &'t str,
    children: &[&'t str],
) -> Option<(&'t str, Option<&'t str>, Vec<ParsedClass<'t>>)> {
    let name = rest.trim();
    if name.starts_with("type ") || !is_map_name(name) {
        return None;
    }
    let mut description = None;
    let mut classes: Vec<ParsedClass<'t>> = Vec::new();
    for c in children {
        let c = c.trim_end();
        if let Some(class) = c.strip_prefix("class ") {
            classes.push(ParsedClass {
                class: class.trim(),
                ..ParsedClass::default()
            });
        } else if let Some(d) = c.strip_prefix("description ") {
            if classes.is_empty() {
                description = Some(d);
            }
        } else if let Some(last) = classes.last_mut() {
            if c.starts_with("inspect ") {
                last.inspects.push(c);
            } else if c.starts_with("set connection ") {
                last.set_connection.push(c);
            }
        }
    }
    Some((name, description, classes))
}

static INSPECTION: Object = Object {
    name: "Inspection",
    description: "An application inspection of a policy-map class (`inspect`).",
    fields: &[
        Field::new(
            "protocol",
            Type::Enum(PROTOCOLS),
            "The inspection, as the CLI names it.",
        )
        .required(),
        Field::new(
            "inspectMap",
            Type::Str,
            "The inspect policy map it uses (`/api/servicepolicy/inspectmaps`).",
        ),
        Field::new(
            "options",
            Type::Array(&Type::Enum(&["strict", "dynamic-filter-snoop"])),
            "`strict` (FTP), `dynamic-filter-snoop` (DNS).",
        ),
        Field::new(
            "tlsProxy",
            Type::Str,
            "The TLS proxy it uses (SIP, skinny, diameter).",
        ),
    ],
    kinds: &[],
    ours: true,
};

static CLASS: Object = Object {
    name: "PolicyMapClass",
    description: "A class of a policy map and the inspections applied to its traffic.",
    fields: &[
        Field::new(
            "className",
            Type::Str,
            "The class map (or `class-default`).",
        )
        .required(),
        Field::new(
            "inspections",
            Type::Array(&Type::Object(&INSPECTION)),
            "The inspections, in order.",
        ),
    ],
    kinds: &[],
    ours: true,
};

/// `object#PolicyMap`.
pub static SCHEMA: Object = Object {
    name: "PolicyMap",
    description: "A layer 3/4 policy map (`policy-map`): classes and their inspections.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The policy map's name (its objectId).").required(),
        Field::new("description", Type::Str, "Free text."),
        Field::new(
            "classes",
            Type::Array(&Type::Object(&CLASS)),
            "Its classes, in order.",
        ),
    ],
    kinds: &["object#PolicyMap"],
    ours: true,
};

fn class_lines(c: &PolicyClass, out: &mut Vec<String>) {
    out.push(format!(" class {}", c.class));
    for i in &c.inspections {
        out.push(format!("  {}", i.line()));
    }
}

impl Resource for PolicyMap {
    const KIND: &'static str = "object#PolicyMap";
    const COLLECTION_KIND: &'static str = "collection#PolicyMap";
    const PATH: &'static str = "/api/servicepolicy/policymaps";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "policy-map ";
    // Connection limits live in the same blocks: the snapshot re-reads them.
    const PATCH_IN_PLACE: bool = false;

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(Self::KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert("name".into(), Value::from(self.name.as_str()));
        if let Some(d) = &self.description {
            m.insert("description".into(), Value::from(d.as_str()));
        }
        let classes: Vec<Value> = self
            .classes
            .iter()
            .map(|c| {
                json!({
                    "className": c.class,
                    "inspections": c.inspections.iter().map(Inspection::to_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        m.insert("classes".into(), Value::Array(classes));
        m.insert("objectId".into(), Value::from(self.name.as_str()));
        Value::Object(m)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let given = get("name").map(|v| json_str(v, "name")).transpose()?;
        let (name, base) = match mode {
            WriteMode::Create => {
                let name = given.ok_or_else(|| FieldError::new("name", FieldProblem::Missing))?;
                check_map_name("name", name)?;
                (name.to_owned(), None)
            }
            WriteMode::Replace { id, .. } => (same_name(given, id)?, None),
            WriteMode::Patch { id, existing } => (same_name(given, id)?, Some(existing)),
        };
        let description = match (get("description"), base) {
            (Some(v), _) => {
                let d = json_str(v, "description")?;
                check_line_text(d, MAX_DESCRIPTION)
                    .map_err(|e| FieldError::new("description", FieldProblem::Value(e)))?;
                Some(d.to_owned())
            }
            (None, Some(b)) if !map.contains_key("description") => b.description.clone(),
            _ => None,
        };
        let classes = match (get("classes"), base) {
            (Some(v), _) => {
                let list = v.as_array().ok_or_else(|| {
                    FieldError::new("classes", FieldProblem::WrongType { expected: "a list" })
                })?;
                let mut classes: Vec<PolicyClass> = Vec::new();
                for (n, c) in list.iter().enumerate() {
                    let attr = format!("classes[{n}]");
                    let class = c
                        .get("className")
                        .ok_or_else(|| {
                            FieldError::new(format!("{attr}.className"), FieldProblem::Missing)
                        })
                        .and_then(|v| json_str(v, &format!("{attr}.className")))?;
                    if class != "class-default" {
                        check_map_name(&format!("{attr}.className"), class)?;
                    }
                    if classes.iter().any(|c| c.class == class) {
                        return Err(bad(
                            &format!("{attr}.className"),
                            format!("class '{class}' is listed twice"),
                        ));
                    }
                    let mut inspections: Vec<Inspection> = Vec::new();
                    if let Some(list) = c.get("inspections").filter(|v| !v.is_null()) {
                        let list = list.as_array().ok_or_else(|| {
                            FieldError::new(
                                format!("{attr}.inspections"),
                                FieldProblem::WrongType { expected: "a list" },
                            )
                        })?;
                        for (k, i) in list.iter().enumerate() {
                            let ins =
                                Inspection::from_json(i, &format!("{attr}.inspections[{k}]"))?;
                            if inspections.iter().any(|o| o.protocol == ins.protocol) {
                                return Err(bad(
                                    &format!("{attr}.inspections[{k}].protocol"),
                                    format!("'{}' is inspected twice in the class", ins.protocol),
                                ));
                            }
                            inspections.push(ins);
                        }
                    }
                    classes.push(PolicyClass {
                        class: class.to_owned(),
                        inspections,
                    });
                }
                classes
            }
            (None, Some(b)) => b.classes.clone(),
            (None, None) => Vec::new(),
        };
        Ok(PolicyMap {
            name,
            description,
            classes,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut out = vec![format!("policy-map {}", self.name)];
        if let Some(d) = &self.description {
            out.push(format!(" description {d}"));
        }
        for c in &self.classes {
            class_lines(c, &mut out);
        }
        out
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        let mut out = vec![format!("policy-map {}", new.name)];
        match (&old.description, &new.description) {
            (Some(_), None) => out.push(" no description".into()),
            (o, Some(d)) if o.as_ref() != Some(d) => out.push(format!(" description {d}")),
            _ => {}
        }
        let in_new = |name: &str| new.classes.iter().any(|c| c.class == name);
        let in_old = |name: &str| old.classes.iter().any(|c| c.class == name);
        let kept_old: Vec<&str> = old
            .classes
            .iter()
            .filter(|c| in_new(&c.class))
            .map(|c| c.class.as_str())
            .collect();
        let kept_new: Vec<&str> = new
            .classes
            .iter()
            .filter(|c| in_old(&c.class))
            .map(|c| c.class.as_str())
            .collect();
        // New classes go last on the device: they must come after every kept one.
        let last_kept = new.classes.iter().rposition(|c| in_old(&c.class));
        let first_added = new.classes.iter().position(|c| !in_old(&c.class));
        let in_place = kept_old == kept_new
            && match (last_kept, first_added) {
                (Some(k), Some(a)) => a > k,
                _ => true,
            };
        for c in &old.classes {
            if !in_place || !in_new(&c.class) {
                out.push(format!(" no class {}", c.class));
            }
        }
        for c in &new.classes {
            let before = old.classes.iter().find(|o| o.class == c.class);
            match before {
                Some(o) if in_place => {
                    let mut lines = Vec::new();
                    for oi in &o.inspections {
                        let same = c.inspections.iter().find(|n| n.protocol == oi.protocol);
                        if same != Some(oi) {
                            lines.push(format!("  no {}", oi.line()));
                        }
                    }
                    for ni in &c.inspections {
                        if !o.inspections.contains(ni) {
                            lines.push(format!("  {}", ni.line()));
                        }
                    }
                    if !lines.is_empty() {
                        out.push(format!(" class {}", c.class));
                        out.extend(lines);
                    }
                }
                _ => class_lines(c, &mut out),
            }
        }
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no policy-map {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let Some((name, description, classes)) = parse_block(rest, children) else {
            return;
        };
        let classes = classes
            .into_iter()
            .map(|c| PolicyClass {
                class: c.class.to_owned(),
                inspections: c
                    .inspects
                    .iter()
                    .filter_map(|l| Inspection::parse(l))
                    .collect(),
            })
            .collect();
        collection.insert(PolicyMap {
            name: name.to_owned(),
            description: description.map(str::to_owned),
            classes,
        });
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.policy_maps
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.policy_maps
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        for (n, c) in self.classes.iter().enumerate() {
            if c.class != "class-default" && !cfg.class_maps.contains(&c.class) {
                return Err(bad(
                    &format!("classes[{n}].className"),
                    format!("no class map is named '{}'", c.class),
                ));
            }
            for (k, i) in c.inspections.iter().enumerate() {
                if let Some(m) = &i.map {
                    let ok = cfg
                        .inspect_maps
                        .get(m)
                        .is_some_and(|im| im.protocol == i.map_protocol());
                    if !ok {
                        return Err(bad(
                            &format!("classes[{n}].inspections[{k}].inspectMap"),
                            format!("no {} inspect map is named '{m}'", i.map_protocol()),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &str = "class-map inspection_default\n match default-inspection-traffic\n!\npolicy-map type inspect dns preset_dns_map\n parameters\n  message-length maximum client auto\n  message-length maximum 512\n  no tcp-inspection\npolicy-map global_policy\n class inspection_default\n  inspect ip-options \n  inspect dns preset_dns_map \n  inspect ftp \n  inspect h323 h225 \n  inspect sip  \n  set connection conn-max 10\n!\nservice-policy global_policy global\n";

    const LINK: &str = "https://asa/api/servicepolicy/policymaps/global_policy";

    #[test]
    fn reads_the_default_global_policy() {
        let cfg = RunningConfig::parse(DEFAULT);
        assert_eq!(cfg.policy_maps.len(), 1);
        let p = cfg.policy_maps.get("global_policy").unwrap();
        let j = p.to_json(LINK);
        assert_eq!(j["classes"][0]["className"], "inspection_default");
        let protocols: Vec<&str> = j["classes"][0]["inspections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["protocol"].as_str().unwrap())
            .collect();
        assert_eq!(protocols, ["ip-options", "dns", "ftp", "h323 h225", "sip"]);
        assert_eq!(
            j["classes"][0]["inspections"][1]["inspectMap"],
            "preset_dns_map"
        );
        assert_eq!(PolicyMap::from_json(&j, WriteMode::Create), Ok(p.clone()));
        let mut q = p.clone();
        assert_eq!(q.resolve(&cfg), Ok(()));
    }

    #[test]
    fn inspect_lines_read_and_print_back() {
        for line in [
            "inspect ftp strict",
            "inspect dns preset_dns_map dynamic-filter-snoop",
            "inspect sip sipmap tls-proxy proxy1",
            "inspect skinny tls-proxy p",
            "inspect icmp error",
            "inspect h323 ras",
        ] {
            assert_eq!(
                Inspection::parse(line).map(|i| i.line()).as_deref(),
                Some(line)
            );
        }
        for line in [
            "inspect h323",
            "inspect frob",
            "inspect ftp a b",
            "inspect tftp map",
        ] {
            assert_eq!(Inspection::parse(line), None, "{line}");
        }
    }

    #[test]
    fn replace_edits_classes_in_place_when_it_can() {
        let cfg = RunningConfig::parse(DEFAULT);
        let old = cfg.policy_maps.get("global_policy").unwrap();
        let new = PolicyMap::from_json(
            &json!({"classes": [
                {"className": "inspection_default", "inspections": [
                    {"protocol": "ip-options"}, {"protocol": "dns"}, {"protocol": "ftp"},
                    {"protocol": "h323 h225"}, {"protocol": "icmp"}]},
                {"className": "web", "inspections": [{"protocol": "http"}]}]}),
            WriteMode::Patch {
                id: "global_policy",
                existing: old,
            },
        )
        .unwrap();
        assert_eq!(
            PolicyMap::cli_replace(old, &new),
            [
                "policy-map global_policy",
                " class inspection_default",
                "  no inspect dns preset_dns_map",
                "  no inspect sip",
                "  inspect dns",
                "  inspect icmp",
                " class web",
                "  inspect http",
            ]
        );
        // A reordering rebuilds the classes.
        let swapped = PolicyMap {
            classes: new.classes.iter().rev().cloned().collect(),
            ..new.clone()
        };
        let lines = PolicyMap::cli_replace(&new, &swapped);
        assert_eq!(
            &lines[..3],
            [
                "policy-map global_policy",
                " no class inspection_default",
                " no class web"
            ]
        );
    }

    #[test]
    fn refuses_bad_bodies() {
        for body in [
            json!({"name": "p", "classes": [{"inspections": []}]}),
            json!({"name": "p", "classes": [{"className": "c", "inspections": [{"protocol": "frob"}]}]}),
            json!({"name": "p", "classes": [{"className": "c", "inspections": [{"protocol": "tftp", "inspectMap": "m"}]}]}),
            json!({"name": "p", "classes": [{"className": "c", "inspections": [{"protocol": "ftp", "options": ["dynamic-filter-snoop"]}]}]}),
            json!({"name": "p", "classes": [{"className": "c", "inspections": [{"protocol": "ftp"}, {"protocol": "ftp"}]}]}),
            json!({"name": "p", "classes": [{"className": "c"}, {"className": "c"}]}),
            json!({"name": "p", "classes": "c"}),
            json!({"name": "p q"}),
        ] {
            assert!(
                PolicyMap::from_json(&body, WriteMode::Create).is_err(),
                "{body}"
            );
        }
    }
}
