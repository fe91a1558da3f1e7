//! Local command privilege levels: `/api/aaa/commandprivileges` (Cisco: "configure the local
//! command privilege levels"; its shape is not public, so this one is ours, modelled on the CLI).
//!
//! ASA syntax: `privilege {show | clear | cmd} level <0-15> [mode {enable | cmd}] command
//! <command>`; LINA stores the form-less `privilege level <n> command <c>` as its three forms.
//! JSON: `{"kind":"object#CommandPrivilege","selfLink":..,"objectId":"show.any.running-config",
//! "commandType":"show","mode":"any","command":"running-config","level":5}`; the objectId is
//! `<commandType>.<mode>.<command>` (`mode` is `enable`, `cmd` or `any`), so a change of level is
//! a PUT on the same item and a change of the command is a new item.

use serde_json::{Map, Value};

use super::{
    Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str, json_u32,
};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};

pub const COMMAND_TYPES: &[&str] = &["show", "clear", "cmd"];
pub const MODES: &[&str] = &["any", "enable", "cmd"];

/// One `privilege` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandPrivilege {
    pub id: String,
    pub command_type: String,
    /// `any` when the line names no mode.
    pub mode: String,
    pub command: String,
    pub level: u8,
}

pub static SCHEMA: Object = Object {
    name: "CommandPrivilege",
    description: "The privilege level a command needs under `aaa authorization command LOCAL`.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "commandType",
            Type::Enum(COMMAND_TYPES),
            "Which form of the command: `show`, `clear` or `cmd` (configure).",
        )
        .required(),
        Field::new(
            "mode",
            Type::Enum(MODES),
            "`enable` (exec), `cmd` (configuration) or `any`.",
        ),
        Field::new(
            "command",
            Type::Str,
            "The main command (`running-config` for `show running-config`).",
        )
        .required(),
        Field::new(
            "level",
            Type::Int {
                min: Some(0),
                max: Some(15),
            },
            "Privilege level 0-15.",
        )
        .required(),
    ],
    kinds: &["object#CommandPrivilege"],
    ours: true,
};

fn is_command_word(w: &str) -> bool {
    !w.is_empty()
        && w.len() <= 64
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

impl CommandPrivilege {
    pub fn new(command_type: &str, mode: &str, command: &str, level: u8) -> CommandPrivilege {
        CommandPrivilege {
            id: format!("{command_type}.{mode}.{command}"),
            command_type: command_type.to_owned(),
            mode: mode.to_owned(),
            command: command.to_owned(),
            level,
        }
    }

    pub fn line(&self) -> String {
        let mut s = format!("privilege {} level {}", self.command_type, self.level);
        if self.mode != "any" {
            s.push_str(" mode ");
            s.push_str(&self.mode);
        }
        s.push_str(" command ");
        s.push_str(&self.command);
        s
    }

    /// Parses a stored line (`privilege <type> level <n> [mode <m>] command <c>`).
    pub fn parse(text: &str) -> Option<CommandPrivilege> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let (ty, level, mode, command) = match words.as_slice() {
            ["privilege", ty, "level", n, "command", c] => (*ty, *n, "any", *c),
            ["privilege", ty, "level", n, "mode", m, "command", c] => (*ty, *n, *m, *c),
            _ => return None,
        };
        let ty = if ty == "configure" { "cmd" } else { ty };
        let mode = if mode == "configure" { "cmd" } else { mode };
        let level = level.parse::<u8>().ok().filter(|l| *l <= 15)?;
        (COMMAND_TYPES.contains(&ty) && MODES.contains(&mode) && is_command_word(command))
            .then(|| CommandPrivilege::new(ty, mode, command, level))
    }
}

impl Resource for CommandPrivilege {
    const KIND: &'static str = "object#CommandPrivilege";
    const COLLECTION_KIND: &'static str = "collection#CommandPrivilege";
    const PATH: &'static str = "/api/aaa/commandprivileges";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "privilege ";

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Value::from(Self::KIND));
        m.insert("selfLink".into(), Value::from(self_link));
        m.insert("objectId".into(), Value::from(self.id.as_str()));
        m.insert(
            "commandType".into(),
            Value::from(self.command_type.as_str()),
        );
        m.insert("mode".into(), Value::from(self.mode.as_str()));
        m.insert("command".into(), Value::from(self.command.as_str()));
        m.insert("level".into(), Value::from(self.level));
        Value::Object(m)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let base = match mode {
            WriteMode::Patch { existing, .. } => Some(existing),
            _ => None,
        };
        let text = |k: &str, from_base: Option<&str>| -> Result<String, FieldError> {
            match (get(k), from_base) {
                (Some(v), _) => Ok(json_str(v, k)?.trim().to_owned()),
                (None, Some(b)) => Ok(b.to_owned()),
                (None, None) => Err(FieldError::new(k, FieldProblem::Missing)),
            }
        };
        let ty = text("commandType", base.map(|b| b.command_type.as_str()))?;
        if !COMMAND_TYPES.contains(&ty.as_str()) {
            return Err(bad(
                "commandType",
                format!("'{ty}' is not show, clear or cmd"),
            ));
        }
        let m = match (get("mode"), base) {
            (Some(v), _) => json_str(v, "mode")?.trim().to_owned(),
            (None, Some(b)) => b.mode.clone(),
            (None, None) => "any".to_owned(),
        };
        if !MODES.contains(&m.as_str()) {
            return Err(bad("mode", format!("'{m}' is not enable, cmd or any")));
        }
        let command = text("command", base.map(|b| b.command.as_str()))?;
        if !is_command_word(&command) {
            return Err(bad(
                "command",
                "one command word (letters, digits, - and _)",
            ));
        }
        let level = match (get("level"), base) {
            (Some(v), _) => json_u32(v, "level")?,
            (None, Some(b)) => u32::from(b.level),
            (None, None) => return Err(FieldError::new("level", FieldProblem::Missing)),
        };
        let level = u8::try_from(level)
            .ok()
            .filter(|l| *l <= 15)
            .ok_or_else(|| bad("level", "0 to 15"))?;
        let item = CommandPrivilege::new(&ty, &m, &command, level);
        if let WriteMode::Replace { id, .. } | WriteMode::Patch { id, .. } = mode
            && item.id != id
        {
            return Err(FieldError::new("command", FieldProblem::Mismatch));
        }
        Ok(item)
    }

    fn cli_create(&self) -> Vec<String> {
        vec![self.line()]
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old.line() == new.line() {
            Vec::new()
        } else {
            // One line per form, mode and command: the new level replaces the old.
            vec![new.line()]
        }
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no {}", self.line())]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        if let Some(p) = CommandPrivilege::parse(&format!("privilege {rest}")) {
            collection.insert(p);
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.command_privileges
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.command_privileges
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lines_and_json_round_trip() {
        let p =
            CommandPrivilege::parse("privilege show level 5 mode enable command running-config")
                .unwrap();
        assert_eq!(p.id, "show.enable.running-config");
        assert_eq!(
            p.line(),
            "privilege show level 5 mode enable command running-config"
        );
        let j = p.to_json("x");
        assert_eq!(
            CommandPrivilege::from_json(&j, WriteMode::Create),
            Ok(p.clone())
        );
        let cfg = RunningConfig::parse("privilege cmd level 10 command filter\n");
        assert_eq!(
            cfg.command_privileges
                .get("cmd.any.filter")
                .map(|p| p.level),
            Some(10)
        );
    }

    #[test]
    fn refuses_bad_bodies() {
        for (body, attr) in [
            (
                json!({"commandType": "show", "command": "x", "level": 16}),
                "level",
            ),
            (
                json!({"commandType": "exec", "command": "x", "level": 1}),
                "commandType",
            ),
            (
                json!({"commandType": "show", "command": "a b", "level": 1}),
                "command",
            ),
            (
                json!({"commandType": "show", "command": "x", "level": 1, "mode": "z"}),
                "mode",
            ),
            (json!({"commandType": "show", "level": 1}), "command"),
        ] {
            let e = CommandPrivilege::from_json(&body, WriteMode::Create).unwrap_err();
            assert_eq!(e.attribute, attr, "{body}");
        }
    }
}
