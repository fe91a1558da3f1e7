//! Object references in JSON: `{"kind":"objectRef#<Type>","refLink":"<url>","objectId":"<id>"}`.
//!
//! A resource only knows its own `selfLink`; the scheme and authority of a reference's
//! `refLink` are taken from it (everything before `/api/`).

use serde_json::{Value, json};

use super::{FieldError, FieldProblem, json_str};
use crate::validate::check_object_name;

/// The `scheme://authority` part of a link (the whole link when it has no `/api/`).
pub fn origin_of(link: &str) -> &str {
    match link.find("/api/") {
        Some(i) => &link[..i],
        None => link,
    }
}

/// Percent-encodes one path segment: everything but ASCII letters, digits and `-._~`.
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The JSON of a reference to `id` in the collection at `path`.
pub fn ref_json(kind: &str, origin: &str, path: &str, id: &str) -> Value {
    json!({
        "kind": kind,
        "refLink": format!("{origin}{path}/{}", encode_segment(id)),
        "objectId": id,
    })
}

/// The last path segment of a link, percent-decoded (`None` when it does not decode).
fn last_segment(link: &str) -> Option<String> {
    let seg = link.trim_end_matches('/').rsplit('/').next()?;
    let bytes = seg.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = seg.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The id a reference names: its `objectId`, else its `name`, else the last segment of its
/// `refLink`. The id must be a valid object name.
pub fn ref_id(v: &Value, attr: &str) -> Result<String, FieldError> {
    let id = if let Some(id) = v.get("objectId") {
        json_str(id, &format!("{attr}.objectId"))?.to_owned()
    } else if let Some(name) = v.get("name") {
        json_str(name, &format!("{attr}.name"))?.to_owned()
    } else if let Some(link) = v.get("refLink") {
        let link = json_str(link, &format!("{attr}.refLink"))?;
        last_segment(link).ok_or_else(|| {
            FieldError::new(
                format!("{attr}.refLink"),
                FieldProblem::BadValue(format!("'{link}' does not end in an object id")),
            )
        })?
    } else {
        return Err(FieldError::new(
            format!("{attr}.objectId"),
            FieldProblem::Missing,
        ));
    };
    check_object_name(&id)
        .map_err(|e| FieldError::new(format!("{attr}.objectId"), FieldProblem::Value(e)))?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_ref_links_from_the_self_link_origin() {
        let origin = origin_of("https://asa:8443/api/objects/networkobjectgroups/g");
        assert_eq!(origin, "https://asa:8443");
        assert_eq!(
            ref_json(
                "objectRef#NetworkObj",
                origin,
                "/api/objects/networkobjects",
                "a/b"
            ),
            json!({"kind": "objectRef#NetworkObj", "objectId": "a/b",
                   "refLink": "https://asa:8443/api/objects/networkobjects/a%2Fb"})
        );
    }

    #[test]
    fn reads_the_id_from_object_id_name_or_ref_link() {
        assert_eq!(ref_id(&json!({"objectId": "web"}), "m"), Ok("web".into()));
        assert_eq!(ref_id(&json!({"name": "web"}), "m"), Ok("web".into()));
        assert_eq!(
            ref_id(
                &json!({"refLink": "https://h/api/objects/networkobjects/a%2Fb"}),
                "m"
            ),
            Ok("a/b".into())
        );
        assert_eq!(
            ref_id(&json!({"kind": "objectRef#NetworkObj"}), "m"),
            Err(FieldError::new("m.objectId", FieldProblem::Missing))
        );
        assert!(ref_id(&json!({"objectId": "a b"}), "m").is_err());
        assert!(ref_id(&json!({"refLink": "https://h/x/%zz"}), "m").is_err());
    }
}
