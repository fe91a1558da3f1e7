//! Site-to-site VPN resources (issue 15) under `/api/vpn`: IKEv1 and IKEv2 policies, IKEv1
//! transform sets, IKEv2 IPsec proposals, crypto map entries and their interface bindings,
//! tunnel groups and group policies. Only the IKEv1 policy and group policy shapes have a
//! public source (wire-format-platform.md section 8); the others are ours.

pub mod crypto_map;
pub mod group_policy;
pub mod ike_policy;
pub mod ipsec;
pub mod tunnel_group;

use serde_json::{Map, Value};

use super::{FieldError, FieldProblem, json_str, json_u32};
use crate::validate::check_object_name;

/// Longest name of a transform set, proposal, crypto map, tunnel group or group policy.
pub const MAX_NAME: usize = 64;

/// Checks a name for attribute `attr`.
pub fn check_name(attr: &str, name: &str) -> Result<(), FieldError> {
    check_object_name(name).map_err(|e| FieldError::new(attr, FieldProblem::Value(e)))?;
    if name.chars().count() > MAX_NAME {
        return Err(bad(
            attr,
            format!("must be at most {MAX_NAME} characters long"),
        ));
    }
    Ok(())
}

/// Whether `name` is a valid name.
pub fn is_name(name: &str) -> bool {
    check_name("", name).is_ok()
}

/// A field error with a reason.
pub fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

/// The body as an object.
pub fn body_map(body: &Value) -> Result<&Map<String, Value>, FieldError> {
    body.as_object()
        .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))
}

/// A non-null attribute.
pub fn get<'m>(map: &'m Map<String, Value>, key: &str) -> Option<&'m Value> {
    map.get(key).filter(|v| !v.is_null())
}

/// A string attribute that must be one of `allowed`.
pub fn one_of(v: &Value, attr: &str, allowed: &[&str]) -> Result<String, FieldError> {
    let s = json_str(v, attr)?;
    if allowed.contains(&s) {
        Ok(s.to_owned())
    } else {
        Err(bad(
            attr,
            format!("'{s}' is not one of {}", allowed.join(", ")),
        ))
    }
}

/// A list of distinct strings, each one of `allowed` (when given) or a valid name.
pub fn string_list(
    v: &Value,
    attr: &str,
    allowed: Option<&[&str]>,
) -> Result<Vec<String>, FieldError> {
    let list = v
        .as_array()
        .ok_or_else(|| FieldError::new(attr, FieldProblem::WrongType { expected: "a list" }))?;
    let mut out: Vec<String> = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let at = format!("{attr}[{i}]");
        let s = match allowed {
            Some(a) => one_of(item, &at, a)?,
            None => {
                let s = json_str(item, &at)?;
                check_name(&at, s)?;
                s.to_owned()
            }
        };
        if out.contains(&s) {
            return Err(bad(&at, format!("'{s}' is listed twice")));
        }
        out.push(s);
    }
    Ok(out)
}

/// An integer attribute within bounds.
pub fn int_in(v: &Value, attr: &str, lo: u32, hi: u32) -> Result<u32, FieldError> {
    let n = json_u32(v, attr)?;
    if (lo..=hi).contains(&n) {
        Ok(n)
    } else {
        Err(bad(attr, format!("must be between {lo} and {hi}")))
    }
}

/// A priority in the URL: `1`..`65535` written plainly.
pub fn parse_priority(id: &str) -> Option<u32> {
    let n: u32 = id.parse().ok()?;
    (n.to_string() == id && (1..=65535).contains(&n)).then_some(n)
}
