//! AAA for management sessions: `/api/aaa/authentication` and `/api/aaa/authorization`,
//! auto-created singletons (GET and PUT, 204).
//!
//! ASA syntax:
//! ```text
//! aaa authentication {enable | http | ssh | serial | telnet} console <group> [LOCAL]
//! aaa authorization command {LOCAL | <group>}
//! aaa authorization exec {authentication-server | LOCAL} [auto-enable]
//! ```
//! JSON (Cisco's `AAAConfig` and `AAAConfigAuthz`, as the Kosha OpenAPI schema of the API names
//! them; no `kind` is known, so none is sent): authentication `{"enable":{"serverGroup":"LOCAL",
//! "enabled":true},"http":{..},"ssh":{..},"serial":{"enabled":false},"telnet":{"enabled":false}}`
//! (`serial` and `telnet` carry no group in Cisco's schema; a group set from the CLI is kept);
//! authorization `{"enableCommandAccess":true,"commandAccessServerGroup":"LOCAL",
//! "enableShellAccess":"true","autoenableExecMode":false}`. `enableShellAccess` is a string in
//! Cisco's schema (answered `"true"`/`"false"`; a boolean is accepted). Cisco's agent supports
//! only the `LOCAL` group; other group names (`aaa-server` tags) are accepted as the CLI takes
//! them. A PUT changes the attributes it gives.

use serde_json::{Map, Value};

use super::{FieldError, FieldProblem, json_bool, json_str};
use crate::schema::{Field, Object, SELF_LINK, Type};
use crate::validate::check_object_name;

pub const AUTHENTICATION_PATH: &str = "/api/aaa/authentication";
pub const AUTHORIZATION_PATH: &str = "/api/aaa/authorization";

/// The local user database's group name.
pub const LOCAL: &str = "LOCAL";

/// The session kinds `aaa authentication ... console` applies to, in JSON order.
pub const METHODS: [&str; 5] = ["enable", "http", "ssh", "serial", "telnet"];

/// Whether the JSON of a method carries `serverGroup` (Cisco's schema: not serial, telnet).
fn has_group(method: &str) -> bool {
    !matches!(method, "serial" | "telnet")
}

/// `{"serverGroup", "enabled"}` of `enable`, `http` and `ssh`.
pub static METHOD_SCHEMA: Object = Object {
    name: "AAAAuthenticationMethod",
    description: "Console authentication of one kind of session.",
    fields: &[
        Field::new(
            "serverGroup",
            Type::Str,
            "`LOCAL` or an `aaa-server` group; `\"\"` when off.",
        ),
        Field::new(
            "enabled",
            Type::Bool,
            "Whether these sessions authenticate.",
        ),
    ],
    kinds: &[],
    ours: false,
};

/// `{"enabled"}` of `serial` and `telnet`.
pub static ENABLED_SCHEMA: Object = Object {
    name: "AAAAuthenticationSwitch",
    description: "Console authentication of serial or telnet sessions (group LOCAL).",
    fields: &[Field::new(
        "enabled",
        Type::Bool,
        "Whether these sessions authenticate.",
    )],
    kinds: &[],
    ours: false,
};

/// Cisco's `AAAConfig`.
pub static AUTHENTICATION_SCHEMA: Object = Object {
    name: "AAAConfig",
    description: "Authentication of management sessions (`aaa authentication ... console`).",
    fields: &[
        SELF_LINK,
        Field::new(
            "enable",
            Type::Object(&METHOD_SCHEMA),
            "`aaa authentication enable console`.",
        ),
        Field::new(
            "http",
            Type::Object(&METHOD_SCHEMA),
            "`aaa authentication http console`.",
        ),
        Field::new(
            "ssh",
            Type::Object(&METHOD_SCHEMA),
            "`aaa authentication ssh console`.",
        ),
        Field::new(
            "serial",
            Type::Object(&ENABLED_SCHEMA),
            "`aaa authentication serial console`.",
        ),
        Field::new(
            "telnet",
            Type::Object(&ENABLED_SCHEMA),
            "`aaa authentication telnet console`.",
        ),
    ],
    kinds: &[],
    ours: false,
};

/// Cisco's `AAAConfigAuthz`.
pub static AUTHORIZATION_SCHEMA: Object = Object {
    name: "AAAConfigAuthz",
    description: "Command and exec authorization (`aaa authorization command|exec`).",
    fields: &[
        SELF_LINK,
        Field::new(
            "enableCommandAccess",
            Type::Bool,
            "`aaa authorization command`: commands checked against their privilege level.",
        ),
        Field::new(
            "commandAccessServerGroup",
            Type::Str,
            "Group of command authorization: `LOCAL` or an `aaa-server` group; `\"\"` when off.",
        ),
        Field::new(
            "enableShellAccess",
            Type::OneOf(&[Type::Str, Type::Bool]),
            "`aaa authorization exec`: `\"true\"` or `\"false\"` (a string in Cisco's schema).",
        ),
        Field::new(
            "autoenableExecMode",
            Type::Bool,
            "`auto-enable`: sessions start in privileged exec at the user's level.",
        ),
    ],
    kinds: &[],
    ours: false,
};

/// The `aaa authentication ... console` lines: per method of [`METHODS`], what follows
/// `console` (`LOCAL`, `TAC LOCAL`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AaaAuthentication {
    pub methods: [Option<String>; 5],
}

/// `aaa authorization exec`'s source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecAuthorization {
    /// `LOCAL` or `authentication-server`.
    pub source: String,
    pub auto_enable: bool,
}

/// The `aaa authorization command|exec` lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AaaAuthorization {
    /// The group after `aaa authorization command`.
    pub command: Option<String>,
    pub exec: Option<ExecAuthorization>,
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

/// A server group as a PUT names it: `LOCAL` or an `aaa-server` tag.
fn group_of(v: &Value, attr: &str) -> Result<String, FieldError> {
    let g = json_str(v, attr)?;
    if g.eq_ignore_ascii_case(LOCAL) {
        return Ok(LOCAL.to_owned());
    }
    check_object_name(g).map_err(|e| FieldError::new(attr, FieldProblem::Value(e)))?;
    Ok(g.to_owned())
}

/// The words of a line after `prefix` (`None` when it does not start with them).
fn after<'t>(text: &'t str, prefix: &str) -> Option<Vec<&'t str>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let p: Vec<&str> = prefix.split(' ').collect();
    (words.len() > p.len() && words.get(..p.len()) == Some(p.as_slice()))
        .then(|| words.get(p.len()..).unwrap_or_default().to_vec())
}

/// Parses `aaa authentication <method> console <group> [LOCAL]`: (method index, tail).
pub fn parse_authentication(text: &str) -> Option<(usize, String)> {
    let rest = after(text, "aaa authentication")?;
    let (method, rest) = rest.split_first()?;
    let i = METHODS.iter().position(|m| m == method)?;
    match rest {
        ["console", group] => Some((i, (*group).to_owned())),
        ["console", group, local] if *local == LOCAL && *group != LOCAL => {
            Some((i, format!("{group} {LOCAL}")))
        }
        _ => None,
    }
}

/// Parses `aaa authorization exec {authentication-server | LOCAL} [auto-enable]`.
pub fn parse_exec(text: &str) -> Option<ExecAuthorization> {
    let rest = after(text, "aaa authorization exec")?;
    let (source, rest) = rest.split_first()?;
    if !matches!(*source, LOCAL | "authentication-server") {
        return None;
    }
    let auto_enable = match rest {
        [] => false,
        ["auto-enable"] => true,
        _ => return None,
    };
    Some(ExecAuthorization {
        source: (*source).to_owned(),
        auto_enable,
    })
}

/// Parses `aaa authorization command <group>`.
pub fn parse_command_authorization(text: &str) -> Option<String> {
    match after(text, "aaa authorization command")?.as_slice() {
        [group] => Some((*group).to_owned()),
        _ => None,
    }
}

impl AaaAuthentication {
    /// Reads an `aaa authentication` line; other lines change nothing.
    pub fn absorb(&mut self, text: &str) {
        if let Some((i, tail)) = parse_authentication(text)
            && let Some(slot) = self.methods.get_mut(i)
        {
            *slot = Some(tail);
        }
    }

    fn line(method: &str, tail: &str) -> String {
        format!("aaa authentication {method} console {tail}")
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("selfLink".into(), Value::from(self_link));
        for (method, tail) in METHODS.iter().zip(&self.methods) {
            let mut one = Map::new();
            if has_group(method) {
                let group = tail
                    .as_deref()
                    .and_then(|t| t.split(' ').next())
                    .unwrap_or_default();
                one.insert("serverGroup".into(), Value::from(group));
            }
            one.insert("enabled".into(), Value::from(tail.is_some()));
            m.insert((*method).into(), Value::Object(one));
        }
        Value::Object(m)
    }

    pub fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let mut next = current.clone();
        for (i, method) in METHODS.iter().enumerate() {
            let Some(v) = map.get(*method).filter(|v| !v.is_null()) else {
                continue;
            };
            let one = v.as_object().ok_or_else(|| {
                FieldError::new(
                    *method,
                    FieldProblem::WrongType {
                        expected: "an object",
                    },
                )
            })?;
            let current_tail = current.methods.get(i).cloned().flatten();
            let enabled = match one.get("enabled").filter(|v| !v.is_null()) {
                Some(v) => json_bool(v, &format!("{method}.enabled"))?,
                None => current_tail.is_some(),
            };
            let group = match one.get("serverGroup").filter(|v| !v.is_null()) {
                Some(v) if has_group(method) && v.as_str() != Some("") => {
                    Some(group_of(v, &format!("{method}.serverGroup"))?)
                }
                Some(v) if !has_group(method) => {
                    // Not in Cisco's schema for serial and telnet; checked all the same.
                    Some(group_of(v, &format!("{method}.serverGroup"))?)
                }
                _ => None,
            };
            let tail = if enabled {
                let keep = current_tail.clone().filter(|t| {
                    group
                        .as_deref()
                        .is_none_or(|g| t.split(' ').next() == Some(g))
                });
                Some(keep.unwrap_or_else(|| group.unwrap_or_else(|| LOCAL.to_owned())))
            } else {
                None
            };
            if let Some(slot) = next.methods.get_mut(i) {
                *slot = tail;
            }
        }
        Ok(next)
    }

    pub fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut out = Vec::new();
        for ((method, o), n) in METHODS.iter().zip(&old.methods).zip(&new.methods) {
            if o == n {
                continue;
            }
            match (o, n) {
                (Some(o), None) => out.push(format!("no {}", Self::line(method, o))),
                (_, Some(n)) => out.push(Self::line(method, n)),
                (None, None) => {}
            }
        }
        out
    }
}

impl AaaAuthorization {
    /// Reads an `aaa authorization` line; other lines change nothing.
    pub fn absorb(&mut self, text: &str) {
        if let Some(g) = parse_command_authorization(text) {
            self.command = Some(g);
        } else if let Some(e) = parse_exec(text) {
            self.exec = Some(e);
        }
    }

    pub fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert(
            "enableCommandAccess".into(),
            Value::from(self.command.is_some()),
        );
        m.insert(
            "commandAccessServerGroup".into(),
            Value::from(self.command.clone().unwrap_or_default()),
        );
        m.insert(
            "enableShellAccess".into(),
            Value::from(if self.exec.is_some() { "true" } else { "false" }),
        );
        m.insert(
            "autoenableExecMode".into(),
            Value::from(self.exec.as_ref().is_some_and(|e| e.auto_enable)),
        );
        Value::Object(m)
    }

    pub fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let mut next = current.clone();
        let command_on = match get("enableCommandAccess") {
            Some(v) => json_bool(v, "enableCommandAccess")?,
            None => current.command.is_some(),
        };
        let group = match get("commandAccessServerGroup") {
            Some(v) if v.as_str() != Some("") => Some(group_of(v, "commandAccessServerGroup")?),
            _ => None,
        };
        next.command = command_on.then(|| {
            group
                .or_else(|| current.command.clone())
                .unwrap_or_else(|| LOCAL.to_owned())
        });
        let exec_on = match get("enableShellAccess") {
            Some(v) => json_bool(v, "enableShellAccess")?,
            None => current.exec.is_some(),
        };
        let auto_enable = match get("autoenableExecMode") {
            Some(v) => json_bool(v, "autoenableExecMode")?,
            None => current.exec.as_ref().is_some_and(|e| e.auto_enable),
        };
        if auto_enable && !exec_on {
            return Err(bad(
                "autoenableExecMode",
                "auto-enable needs exec authorization (enableShellAccess)",
            ));
        }
        next.exec = exec_on.then(|| ExecAuthorization {
            source: current
                .exec
                .as_ref()
                .map_or_else(|| LOCAL.to_owned(), |e| e.source.clone()),
            auto_enable,
        });
        Ok(next)
    }

    fn exec_line(e: &ExecAuthorization) -> String {
        let mut s = format!("aaa authorization exec {}", e.source);
        if e.auto_enable {
            s.push_str(" auto-enable");
        }
        s
    }

    pub fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut out = Vec::new();
        if old.command != new.command {
            match (&old.command, &new.command) {
                (Some(o), None) => out.push(format!("no aaa authorization command {o}")),
                (_, Some(n)) => out.push(format!("aaa authorization command {n}")),
                (None, None) => {}
            }
        }
        if old.exec != new.exec {
            match (&old.exec, &new.exec) {
                (Some(o), None) => out.push(format!("no {}", Self::exec_line(o))),
                (_, Some(n)) => out.push(Self::exec_line(n)),
                (None, None) => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_corpus_forms_and_answers_cisco_shape() {
        let mut a = AaaAuthentication::default();
        for l in [
            "aaa authentication ssh console LOCAL",
            "aaa authentication http console LOCAL",
            "aaa authentication enable console TAC LOCAL",
            "aaa authentication login-history",
        ] {
            a.absorb(l);
        }
        assert_eq!(
            a.to_json("x"),
            json!({"selfLink": "x",
                "enable": {"serverGroup": "TAC", "enabled": true},
                "http": {"serverGroup": "LOCAL", "enabled": true},
                "ssh": {"serverGroup": "LOCAL", "enabled": true},
                "serial": {"enabled": false}, "telnet": {"enabled": false}})
        );
        AUTHENTICATION_SCHEMA
            .check(&a.to_json("x"), crate::schema::Strictness::Response)
            .unwrap();
    }

    #[test]
    fn a_put_of_the_documented_body_gives_the_lines() {
        let body = json!({"enable":{"serverGroup":"LOCAL","enabled":true},"http":{"serverGroup":"LOCAL","enabled":true},"ssh":{"serverGroup":"LOCAL","enabled":true},"serial":{"enabled":false},"telnet":{"enabled":false}});
        let old = AaaAuthentication::default();
        let new = AaaAuthentication::from_json(&body, &old).unwrap();
        assert_eq!(
            AaaAuthentication::cli_replace(&old, &new),
            [
                "aaa authentication enable console LOCAL",
                "aaa authentication http console LOCAL",
                "aaa authentication ssh console LOCAL"
            ]
        );
        // Turning one off names the line's whole tail; a fallback kept when the group stays.
        let mut cur = AaaAuthentication::default();
        cur.absorb("aaa authentication ssh console TAC LOCAL");
        let off = AaaAuthentication::from_json(&json!({"ssh": {"enabled": false}}), &cur).unwrap();
        assert_eq!(
            AaaAuthentication::cli_replace(&cur, &off),
            ["no aaa authentication ssh console TAC LOCAL"]
        );
        let same = AaaAuthentication::from_json(
            &json!({"ssh": {"serverGroup": "TAC", "enabled": true}}),
            &cur,
        )
        .unwrap();
        assert!(AaaAuthentication::cli_replace(&cur, &same).is_empty());
        assert!(
            AaaAuthentication::from_json(
                &json!({"ssh": {"serverGroup": "a b", "enabled": true}}),
                &cur
            )
            .is_err()
        );
    }

    #[test]
    fn authorization_round_trips() {
        let mut a = AaaAuthorization::default();
        a.absorb("aaa authorization command LOCAL");
        a.absorb("aaa authorization exec LOCAL auto-enable");
        let j = a.to_json("x");
        assert_eq!(
            j,
            json!({"selfLink": "x", "enableCommandAccess": true, "commandAccessServerGroup": "LOCAL",
                "enableShellAccess": "true", "autoenableExecMode": true})
        );
        assert_eq!(AaaAuthorization::from_json(&j, &a).unwrap(), a);
        let off = AaaAuthorization::from_json(
            &json!({"enableCommandAccess": false, "enableShellAccess": false, "autoenableExecMode": false}),
            &a,
        )
        .unwrap();
        assert_eq!(
            AaaAuthorization::cli_replace(&a, &off),
            [
                "no aaa authorization command LOCAL",
                "no aaa authorization exec LOCAL auto-enable"
            ]
        );
        assert!(
            AaaAuthorization::from_json(
                &json!({"enableShellAccess": "false", "autoenableExecMode": true}),
                &AaaAuthorization::default()
            )
            .is_err()
        );
    }
}
