//! Field-level errors of request bodies and the lenient JSON readers shared by resources.

use std::fmt;

use serde_json::Value;

use crate::validate::ValueError;

/// A request body attribute that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The attribute, dotted for nested ones (`host.value`); empty for the body itself.
    pub attribute: String,
    pub problem: FieldProblem,
}

/// What is wrong with the attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// Required and absent.
    Missing,
    /// Present with the wrong JSON type.
    WrongType { expected: &'static str },
    /// The right type, but a value the device does not accept; the text says why.
    BadValue(String),
    /// Clients may not set it.
    ReadOnly,
    /// A string that cannot go into a CLI line.
    Value(ValueError),
    /// The body is not a JSON object.
    NotObject,
    /// A `kind` this attribute does not take.
    UnknownKind(String),
    /// The name in the body differs from the id in the URL.
    Mismatch,
}

impl FieldError {
    pub fn new(attribute: impl Into<String>, problem: FieldProblem) -> Self {
        FieldError {
            attribute: attribute.into(),
            problem,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = &self.attribute;
        match &self.problem {
            FieldProblem::Missing => write!(f, "The attribute '{a}' is required"),
            FieldProblem::WrongType { expected } => {
                write!(f, "The attribute '{a}' must be {expected}")
            }
            FieldProblem::BadValue(why) => write!(f, "Invalid value for '{a}': {why}"),
            FieldProblem::ReadOnly => write!(f, "The attribute '{a}' is read-only"),
            FieldProblem::Value(e) => write!(f, "The attribute '{a}' {e}"),
            FieldProblem::NotObject => f.write_str("The request body must be a JSON object"),
            FieldProblem::UnknownKind(kind) => {
                write!(f, "Unsupported kind '{kind}' for the attribute '{a}'")
            }
            FieldProblem::Mismatch => write!(
                f,
                "The attribute '{a}' does not match the object identifier in the URL"
            ),
        }
    }
}

impl std::error::Error for FieldError {}

/// A string attribute.
pub fn json_str<'v>(v: &'v Value, attr: &str) -> Result<&'v str, FieldError> {
    v.as_str().ok_or_else(|| {
        FieldError::new(
            attr,
            FieldProblem::WrongType {
                expected: "a string",
            },
        )
    })
}

/// `{kind, value}` of a primitive attribute: `kind` required, `value` (trimmed) when present.
pub fn kind_and_value<'v>(
    v: &'v Value,
    attr: &str,
) -> Result<(&'v str, Option<&'v str>), FieldError> {
    let map = v.as_object().ok_or_else(|| {
        FieldError::new(
            attr,
            FieldProblem::WrongType {
                expected: "an object with kind and value",
            },
        )
    })?;
    let kind = match map.get("kind") {
        None | Some(Value::Null) => {
            return Err(FieldError::new(
                format!("{attr}.kind"),
                FieldProblem::Missing,
            ));
        }
        Some(k) => json_str(k, &format!("{attr}.kind"))?,
    };
    let value = match map.get("value") {
        None | Some(Value::Null) => None,
        Some(v) => Some(json_str(v, &format!("{attr}.value"))?.trim()),
    };
    Ok((kind, value))
}

/// `{kind, value}` of a primitive attribute, both required (`value` trimmed).
pub fn kind_value<'v>(v: &'v Value, attr: &str) -> Result<(&'v str, &'v str), FieldError> {
    match kind_and_value(v, attr)? {
        (kind, Some(value)) => Ok((kind, value)),
        (_, None) => Err(FieldError::new(
            format!("{attr}.value"),
            FieldProblem::Missing,
        )),
    }
}

/// A boolean attribute; `"true"` / `"false"` strings are accepted too.
pub fn json_bool(v: &Value, attr: &str) -> Result<bool, FieldError> {
    let wrong = || {
        FieldError::new(
            attr,
            FieldProblem::WrongType {
                expected: "a boolean",
            },
        )
    };
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(wrong()),
    }
}

/// A non-negative integer attribute; decimal strings (`"1"`) are accepted too.
pub fn json_u32(v: &Value, attr: &str) -> Result<u32, FieldError> {
    let wrong = || {
        FieldError::new(
            attr,
            FieldProblem::WrongType {
                expected: "a non-negative integer",
            },
        )
    };
    match v {
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(wrong),
        Value::String(s) => s.trim().parse::<u32>().map_err(|_| wrong()),
        _ => Err(wrong()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_booleans_sent_as_strings() {
        assert_eq!(json_bool(&json!("true"), "permit"), Ok(true));
        assert_eq!(json_bool(&json!("FALSE"), "permit"), Ok(false));
        assert_eq!(json_bool(&json!(true), "permit"), Ok(true));
        assert_eq!(
            json_bool(&json!(1), "permit").map_err(|e| e.attribute),
            Err("permit".to_owned())
        );
    }

    #[test]
    fn accepts_numbers_sent_as_strings() {
        assert_eq!(json_u32(&json!("12"), "position"), Ok(12));
        assert_eq!(json_u32(&json!(7), "position"), Ok(7));
        assert!(json_u32(&json!(-1), "position").is_err());
        assert!(json_u32(&json!("x"), "position").is_err());
        assert!(json_u32(&json!(5_000_000_000u64), "position").is_err());
    }

    #[test]
    fn display_names_the_attribute() {
        let e = FieldError::new(
            "host.value",
            FieldProblem::BadValue("not an address".into()),
        );
        assert_eq!(
            e.to_string(),
            "Invalid value for 'host.value': not an address"
        );
    }
}
