//! The shape shared by `object-group user` and `object-group security`: a name, an optional
//! description and an ordered list of distinct member lines. JSON `members` replaces the list;
//! PATCH also takes `members.add` and `members.remove`.

use std::fmt::Debug;

use serde_json::{Map, Value};

use super::reference::origin_of;
use super::{Collection, FieldError, FieldProblem, WriteMode, json_str};
use crate::validate::{MAX_DESCRIPTION, check_line_text, check_object_name};

/// One member line of a group.
pub trait Member: Sized + Clone + PartialEq + Debug {
    /// The JSON of the member; references take their `refLink` origin from `origin`.
    fn to_json(&self, origin: &str) -> Value;
    /// Reads one member of `attr` (`members[2]`).
    fn from_json(v: &Value, attr: &str) -> Result<Self, FieldError>;
    /// The sub-command without indentation (`user LOCAL\bob`).
    fn cli(&self) -> String;
    /// Reads a sub-command; `None` for lines that are not members.
    fn parse_cli(line: &str) -> Option<Self>;
    /// The group it nests (`group-object <name>`), if it is one.
    fn nested_group(&self) -> Option<&str>;
}

/// A group of members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group<M> {
    pub name: String,
    pub description: Option<String>,
    pub members: Vec<M>,
}

impl<M: Member> Group<M> {
    /// The whole JSON of the group: `kind`, `selfLink`, then its fields.
    pub fn to_json_as(&self, kind: &str, self_link: &str) -> Value {
        let mut map = Map::new();
        map.insert("kind".into(), Value::from(kind));
        map.insert("selfLink".into(), Value::from(self_link));
        self.fill_json(&mut map, origin_of(self_link));
        Value::Object(map)
    }

    /// Fails naming `members[i]` when a nested group is not in `groups`; `what` names the
    /// group type in the message ("user group").
    pub fn check_nested(&self, groups: &Collection<Group<M>>, what: &str) -> Result<(), FieldError>
    where
        Group<M>: super::Resource,
    {
        for (i, m) in self.members.iter().enumerate() {
            if let Some(name) = m.nested_group()
                && !groups.contains(name)
            {
                return Err(FieldError::new(
                    format!("members[{i}]"),
                    FieldProblem::BadValue(format!("the {what} '{name}' does not exist")),
                ));
            }
        }
        Ok(())
    }

    /// The JSON fields after `kind` and `selfLink`.
    pub fn fill_json(&self, map: &mut Map<String, Value>, origin: &str) {
        map.insert("name".into(), Value::from(self.name.as_str()));
        if let Some(d) = &self.description {
            map.insert("description".into(), Value::from(d.as_str()));
        }
        map.insert(
            "members".into(),
            Value::Array(self.members.iter().map(|m| m.to_json(origin)).collect()),
        );
        map.insert("objectId".into(), Value::from(self.name.as_str()));
    }

    pub fn read_json(body: &Value, mode: WriteMode<'_, Group<M>>) -> Result<Group<M>, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let given_name = match map.get("name") {
            None | Some(Value::Null) => None,
            Some(v) => Some(json_str(v, "name")?),
        };
        let (name, base) = match mode {
            WriteMode::Create => {
                let name =
                    given_name.ok_or_else(|| FieldError::new("name", FieldProblem::Missing))?;
                check_object_name(name)
                    .map_err(|e| FieldError::new("name", FieldProblem::Value(e)))?;
                (name.to_owned(), None)
            }
            WriteMode::Replace { id, .. } => (same_name(given_name, id)?, None),
            WriteMode::Patch { id, existing } => (same_name(given_name, id)?, Some(existing)),
        };
        let description = match (map.get("description"), base) {
            (None, Some(existing)) => existing.description.clone(),
            (None | Some(Value::Null), _) => None,
            (Some(v), _) => {
                let text = json_str(v, "description")?;
                if text.is_empty() {
                    None
                } else {
                    check_line_text(text, MAX_DESCRIPTION)
                        .map_err(|e| FieldError::new("description", FieldProblem::Value(e)))?;
                    Some(text.to_owned())
                }
            }
        };
        let mut members = match (map.get("members"), base) {
            (None, Some(existing)) => existing.members.clone(),
            (None | Some(Value::Null), _) => Vec::new(),
            (Some(v), _) => members_from_json(v, "members")?,
        };
        let add = map.get("members.add");
        let remove = map.get("members.remove");
        if base.is_none()
            && let Some(attr) = add
                .map(|_| "members.add")
                .or(remove.map(|_| "members.remove"))
        {
            return Err(FieldError::new(
                attr,
                FieldProblem::BadValue("only PATCH takes members.add and members.remove".into()),
            ));
        }
        if let Some(v) = remove {
            for (i, m) in members_from_json::<M>(v, "members.remove")?
                .into_iter()
                .enumerate()
            {
                let at = members.iter().position(|x| *x == m).ok_or_else(|| {
                    FieldError::new(
                        format!("members.remove[{i}]"),
                        FieldProblem::BadValue(format!("'{}' is not a member", m.cli())),
                    )
                })?;
                members.remove(at);
            }
        }
        if let Some(v) = add {
            for m in members_from_json::<M>(v, "members.add")? {
                if !members.contains(&m) {
                    members.push(m);
                }
            }
        }
        if let Some(i) = members
            .iter()
            .position(|m| m.nested_group() == Some(name.as_str()))
        {
            return Err(FieldError::new(
                format!("members[{i}]"),
                FieldProblem::BadValue("a group cannot contain itself".into()),
            ));
        }
        Ok(Group {
            name,
            description,
            members,
        })
    }

    /// The block: `<header><name>`, description, members.
    pub fn block_lines(&self, header: &str) -> Vec<String> {
        let mut lines = vec![format!("{header}{}", self.name)];
        if let Some(d) = &self.description {
            lines.push(format!(" description {d}"));
        }
        lines.extend(self.members.iter().map(|m| format!(" {}", m.cli())));
        lines
    }

    /// Additions before removals (the ASA refuses to empty a group in use); members that stay
    /// keep their place.
    pub fn replace_lines(old: &Self, new: &Self, header: &str) -> Vec<String> {
        let mut subs = Vec::new();
        match (&old.description, &new.description) {
            (o, Some(n)) if o.as_ref() != Some(n) => subs.push(format!(" description {n}")),
            (Some(_), None) => subs.push(" no description".to_owned()),
            _ => {}
        }
        for m in &new.members {
            if !old.members.contains(m) {
                subs.push(format!(" {}", m.cli()));
            }
        }
        for m in &old.members {
            if !new.members.contains(m) {
                subs.push(format!(" no {}", m.cli()));
            }
        }
        if subs.is_empty() {
            return subs;
        }
        let mut lines = vec![format!("{header}{}", new.name)];
        lines.extend(subs);
        lines
    }

    /// Reads a block; what does not parse is left out.
    pub fn from_block(rest: &str, children: &[&str]) -> Option<Group<M>> {
        let name = rest.trim();
        check_object_name(name).ok()?;
        let mut group = Group {
            name: name.to_owned(),
            description: None,
            members: Vec::new(),
        };
        for child in children {
            if let Some(d) = child.strip_prefix("description ") {
                group.description = Some(d.trim().to_owned());
            } else if let Some(m) = M::parse_cli(child)
                && !group.members.contains(&m)
            {
                group.members.push(m);
            }
        }
        Some(group)
    }
}

fn members_from_json<M: Member>(v: &Value, attr: &str) -> Result<Vec<M>, FieldError> {
    let items = v.as_array().ok_or_else(|| {
        FieldError::new(
            attr,
            FieldProblem::WrongType {
                expected: "an array",
            },
        )
    })?;
    let mut out: Vec<M> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let m = M::from_json(item, &format!("{attr}[{i}]"))?;
        if !out.contains(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

/// The name of a PUT/PATCH body: absent, or equal to the id.
fn same_name(given: Option<&str>, id: &str) -> Result<String, FieldError> {
    match given {
        Some(n) if n != id => Err(FieldError::new("name", FieldProblem::Mismatch)),
        _ => Ok(id.to_owned()),
    }
}

/// The `kind` of a member object.
pub fn member_kind<'v>(v: &'v Value, attr: &str) -> Result<&'v str, FieldError> {
    if !v.is_object() {
        return Err(FieldError::new(
            attr,
            FieldProblem::WrongType {
                expected: "an object",
            },
        ));
    }
    match v.get("kind") {
        None | Some(Value::Null) => Err(FieldError::new(
            format!("{attr}.kind"),
            FieldProblem::Missing,
        )),
        Some(k) => json_str(k, &format!("{attr}.kind")),
    }
}

/// The string `value` of a member object.
pub fn member_value<'v>(v: &'v Value, attr: &str) -> Result<&'v str, FieldError> {
    match v.get("value") {
        None | Some(Value::Null) => Err(FieldError::new(
            format!("{attr}.value"),
            FieldProblem::Missing,
        )),
        Some(x) => json_str(x, &format!("{attr}.value")),
    }
}
