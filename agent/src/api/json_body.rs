//! Request bodies: read under a size limit, parsed as JSON, and checked for control
//! characters before anything derived from them can reach a CLI line.

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::{Map, Value};

use super::error::ApiError;

/// Default request body limit: 4 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Reads a whole body, failing with 413 past `limit` bytes.
pub async fn read<B>(body: B, limit: usize) -> Result<Bytes, ApiError>
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(ApiError::BodyTooLarge(limit)),
        Err(e) => Err(ApiError::BodyRead(e.to_string())),
    }
}

/// Parses a body that must be a JSON object (resource writes, `/api/cli`), and checks
/// every string in it for control characters.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::EmptyBody);
    }
    let value: Value = serde_json::from_slice(bytes).map_err(ApiError::JsonParse)?;
    check_control_chars(&value)?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::JsonType {
            context: String::new(),
            expected: "a JSON object",
        }),
    }
}

/// Refuses any string (value or key) holding a control character (C0, DEL or C1), naming
/// the attribute path (`host.value`, `members[2].value`, `commands[0]`).
pub fn check_control_chars(value: &Value) -> Result<(), ApiError> {
    let mut path = String::new();
    walk(value, &mut path)
}

fn walk(value: &Value, path: &mut String) -> Result<(), ApiError> {
    match value {
        Value::String(s) => {
            if has_control(s) {
                return Err(ApiError::ControlCharacter { path: path.clone() });
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path)?;
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                if has_control(key) {
                    return Err(ApiError::ControlCharacter { path: path.clone() });
                }
                walk(item, path)?;
                path.truncate(len);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
    Ok(())
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::Full;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn empty_body_is_a_parse_error() {
        assert!(matches!(parse_object(b""), Err(ApiError::EmptyBody)));
        assert!(matches!(parse_object(b"  \n"), Err(ApiError::EmptyBody)));
    }

    #[test]
    fn malformed_json_reports_position() {
        match parse_object(b"{\"name\": }") {
            Err(ApiError::JsonParse(e)) => {
                assert_eq!(e.line(), 1);
                assert_eq!(e.column(), 10);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn top_level_array_is_refused() {
        assert!(matches!(
            parse_object(b"[{\"name\":\"a\"}]"),
            Err(ApiError::JsonType { .. })
        ));
    }

    #[test]
    fn newline_in_a_nested_value_is_refused_with_its_path() {
        let v = json!({"name": "a", "host": {"kind": "IPv4Address", "value": "1.1.1.1\nno aaa"}});
        match check_control_chars(&v) {
            Err(ApiError::ControlCharacter { path }) => assert_eq!(path, "host.value"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn control_character_in_an_array_item_names_the_index() {
        let v = json!({"commands": ["show version", "show run\u{7f}"]});
        match check_control_chars(&v) {
            Err(ApiError::ControlCharacter { path }) => assert_eq!(path, "commands[1]"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tab_and_c1_controls_are_refused_too() {
        for s in ["a\tb", "a\u{85}b", "\u{0}"] {
            assert!(check_control_chars(&json!({ "d": s })).is_err(), "{s:?}");
        }
    }

    #[test]
    fn control_character_in_a_key_is_refused() {
        assert!(check_control_chars(&json!({"a\nb": 1})).is_err());
    }

    #[test]
    fn clean_body_passes() {
        let m = parse_object(
            br#"{"name":"web","host":{"kind":"IPv4Address","value":"10.0.0.1"},"n":[1,true,null]}"#,
        )
        .unwrap();
        assert_eq!(m["name"], "web");
    }

    #[tokio::test]
    async fn body_over_the_limit_is_refused() {
        let body = Full::new(Bytes::from(vec![b'x'; 20]));
        assert!(matches!(
            read(body, 10).await,
            Err(ApiError::BodyTooLarge(10))
        ));
        let body = Full::new(Bytes::from(vec![b'x'; 10]));
        assert_eq!(read(body, 10).await.unwrap().len(), 10);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_object(&b);
        }

        #[test]
        fn any_string_with_a_control_char_is_caught(a in "[a-z]*", c in 0u32..0x20, b in "[a-z]*") {
            let s = format!("{a}{}{b}", char::from_u32(c).unwrap());
            let body = json!({"x": [ {"y": s} ]});
            prop_assert!(check_control_chars(&body).is_err());
        }
    }
}
