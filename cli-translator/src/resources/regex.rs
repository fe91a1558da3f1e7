//! Regular expressions: `/api/objects/regularexpressions`, kind `object#RegularExpression`.
//!
//! ASA syntax (configuration mode):
//! ```text
//! regex <name> "<pattern>"
//! no regex <name>
//! ```
//! JSON: `{"kind":"object#RegularExpression","name":"blocked","objectId":"blocked",
//! "value":"www\\.example\\.com"}`. The pattern is 1 to 100 characters between double quotes: it
//! may not itself hold a double quote or a control character (either would end the CLI line or
//! the quoted string early). Names are at most 40 characters.

use serde_json::{Map, Value};

use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};
use crate::validate::{ValueError, check_object_name};

/// Longest pattern the ASA accepts.
pub const MAX_PATTERN: usize = 100;
/// Longest regex name the ASA accepts.
pub const MAX_REGEX_NAME: usize = 40;

/// One `regex`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regex {
    pub name: String,
    pub pattern: String,
}

fn check_name(name: &str) -> Result<(), FieldError> {
    check_object_name(name).map_err(|e| FieldError::new("name", FieldProblem::Value(e)))?;
    if name.chars().count() > MAX_REGEX_NAME {
        return Err(FieldError::new(
            "name",
            FieldProblem::Value(ValueError::TooLong {
                max: MAX_REGEX_NAME,
            }),
        ));
    }
    Ok(())
}

/// Whether `pattern` can stand between the quotes of a `regex` line.
pub fn check_pattern(pattern: &str) -> Result<(), FieldError> {
    let bad = |why: &str| FieldError::new("value", FieldProblem::BadValue(why.to_owned()));
    if pattern.is_empty() {
        return Err(FieldError::new(
            "value",
            FieldProblem::Value(ValueError::Empty),
        ));
    }
    if pattern.chars().any(char::is_control) {
        return Err(FieldError::new(
            "value",
            FieldProblem::Value(ValueError::ControlCharacter),
        ));
    }
    if pattern.contains('"') {
        return Err(bad("a pattern cannot contain a double quote"));
    }
    if pattern.chars().count() > MAX_PATTERN {
        return Err(FieldError::new(
            "value",
            FieldProblem::Value(ValueError::TooLong { max: MAX_PATTERN }),
        ));
    }
    Ok(())
}

/// `object#RegularExpression`.
pub static SCHEMA: Object = Object {
    name: "RegularExpression",
    description: "A named regular expression (`regex`).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The expression's name (its objectId).").required(),
        Field::new("value", Type::Str, "The pattern, as the ASA takes it.").required(),
    ],
    kinds: &["object#RegularExpression"],
    ours: false,
};

impl Resource for Regex {
    const KIND: &'static str = "object#RegularExpression";
    const COLLECTION_KIND: &'static str = "collection#RegularExpression";
    const PATH: &'static str = "/api/objects/regularexpressions";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "regex ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut map = Map::new();
        map.insert("kind".into(), Value::from(Self::KIND));
        map.insert("selfLink".into(), Value::from(self_link));
        map.insert("name".into(), Value::from(self.name.as_str()));
        map.insert("value".into(), Value::from(self.pattern.as_str()));
        map.insert("objectId".into(), Value::from(self.name.as_str()));
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
        let (name, base) = match mode {
            WriteMode::Create => {
                let name =
                    given_name.ok_or_else(|| FieldError::new("name", FieldProblem::Missing))?;
                check_name(name)?;
                (name.to_owned(), None)
            }
            WriteMode::Replace { id, .. } => (same_name(given_name, id)?, None),
            WriteMode::Patch { id, existing } => (same_name(given_name, id)?, Some(existing)),
        };
        let pattern = match (map.get("value"), base) {
            (None, Some(existing)) => existing.pattern.clone(),
            (None | Some(Value::Null), _) => {
                return Err(FieldError::new("value", FieldProblem::Missing));
            }
            (Some(v), _) => {
                let p = json_str(v, "value")?;
                check_pattern(p)?;
                p.to_owned()
            }
        };
        Ok(Regex { name, pattern })
    }

    fn cli_create(&self) -> Vec<String> {
        vec![format!("regex {} \"{}\"", self.name, self.pattern)]
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        new.cli_create()
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no regex {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        let Some((name, quoted)) = rest.split_once(' ') else {
            return;
        };
        let quoted = quoted.trim();
        let pattern = quoted
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .filter(|p| !p.is_empty() && !p.contains('"'));
        if let Some(pattern) = pattern
            && check_object_name(name).is_ok()
        {
            collection.insert(Regex {
                name: name.to_owned(),
                pattern: pattern.to_owned(),
            });
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.regexes
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.regexes
    }
}

/// The name of a PUT/PATCH body: absent, or equal to the id.
fn same_name(given: Option<&str>, id: &str) -> Result<String, FieldError> {
    match given {
        Some(n) if n != id => Err(FieldError::new("name", FieldProblem::Mismatch)),
        _ => Ok(id.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const LINK: &str = "https://asa/api/objects/regularexpressions/blocked";

    fn create(body: Value) -> Result<Regex, FieldError> {
        Regex::from_json(&body, WriteMode::Create)
    }

    #[test]
    fn writes_json_and_cli() {
        let r = create(json!({"name": "blocked", "value": "www\\.example\\.(com|net)"})).unwrap();
        assert_eq!(
            r.to_json(LINK),
            json!({"kind": "object#RegularExpression", "selfLink": LINK, "name": "blocked",
                   "value": "www\\.example\\.(com|net)", "objectId": "blocked"})
        );
        assert_eq!(
            r.cli_create(),
            ["regex blocked \"www\\.example\\.(com|net)\""]
        );
        assert_eq!(r.cli_delete(), ["no regex blocked"]);
    }

    #[test]
    fn a_pattern_cannot_break_the_line() {
        for bad in ["a\"b", "a\nno regex x", "", "a\u{7}"] {
            let e = create(json!({"name": "r", "value": bad})).expect_err(bad);
            assert_eq!(e.attribute, "value", "{bad:?}");
        }
        let long = "a".repeat(101);
        assert!(create(json!({"name": "r", "value": long})).is_err());
        let e = create(json!({"name": "n".repeat(41), "value": "x"})).map_err(|e| e.attribute);
        assert_eq!(e, Err("name".to_owned()));
        assert_eq!(
            create(json!({"name": "r"})),
            Err(FieldError::new("value", FieldProblem::Missing))
        );
    }

    #[test]
    fn replace_rewrites_the_line_and_patch_merges() {
        let old = Regex {
            name: "r".into(),
            pattern: "a".into(),
        };
        let patch = WriteMode::Patch {
            id: "r",
            existing: &old,
        };
        assert_eq!(Regex::from_json(&json!({}), patch), Ok(old.clone()));
        let new = Regex::from_json(&json!({"value": "b+"}), patch).unwrap();
        assert_eq!(Regex::cli_replace(&old, &new), ["regex r \"b+\""]);
        assert!(Regex::cli_replace(&old, &old).is_empty());
        let replace = WriteMode::Replace {
            id: "r",
            existing: &old,
        };
        assert!(Regex::from_json(&json!({}), replace).is_err());
    }

    #[test]
    fn reads_the_configuration_skipping_malformed_lines() {
        let cfg = RunningConfig::parse(
            "regex a \"x y\"\nregex b unquoted\nregex c \"\"\nregex a \"z\"\n",
        );
        assert_eq!(cfg.regexes.len(), 1);
        assert_eq!(cfg.regexes.get("a").map(|r| r.pattern.as_str()), Some("z"));
    }

    proptest! {
        #[test]
        fn round_trips(name in "[A-Za-z0-9_][A-Za-z0-9_.-]{0,39}", pattern in "[ !#-~]{1,100}") {
            prop_assume!(check_object_name(&name).is_ok());
            prop_assume!(pattern.trim() == pattern);
            let r = create(json!({"name": name, "value": pattern})).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(Regex::from_json(&r.to_json(LINK), WriteMode::Create), Ok(r.clone()));
            let cfg = RunningConfig::parse(&format!("{}\n", r.cli_create().join("\n")));
            prop_assert_eq!(cfg.regexes.get(&r.name), Some(&r));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,40}") {
            let _ = create(json!({"name": s, "value": s}));
            let _ = RunningConfig::parse(&format!("regex {s}\n"));
        }
    }
}
