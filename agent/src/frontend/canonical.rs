//! Request-URL canonicalisation: the checks a raw path and query must pass before forwarding.
//!
//! The ASA HTTP server decodes a request URL exactly once and refuses any URL whose meaning
//! would change with a second decoding or with a different split into segments:
//!
//! - every `%` starts a well-formed escape (`%` and two hex digits);
//! - decoding once must not reveal another escape (`%252F` -> `%2F`: double encoding);
//! - no control character, encoded or literal (`%00`-`%1F`, `%7F`);
//! - the decoded bytes are UTF-8;
//! - no `.` or `..` segment in the decoded path, whatever mix of literal and encoded dots and
//!   slashes spells it (`/api/%2e%2e/x`, `/api/..%2Fx`, `/api/a%2F..`): such a path means one
//!   thing to a component that splits before decoding and another to one that decodes first.
//!
//! The raw text is forwarded unchanged; the decoded path is returned so the caller can route on it.

use std::fmt;

/// Why a request URL was refused (400, error code `INVALID-URL`; the `Display` text is the details).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// The request target is not a path (`*`, or a relative reference).
    NotAPath,
    /// A `%` not followed by two hex digits, at this byte offset of the raw text.
    MalformedEscape { offset: usize },
    /// Decoding once left another escape sequence behind (`%25` followed by two hex digits).
    DoubleEncoded,
    /// A control character, literal or encoded.
    ControlCharacter { byte: u8 },
    /// The decoded bytes are not UTF-8.
    InvalidUtf8,
    /// A `.` or `..` segment, literal, encoded or mixed.
    DotSegment,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::NotAPath => f.write_str("The request URL must be an absolute path"),
            UrlError::MalformedEscape { offset } => write!(
                f,
                "The request URL has a malformed percent-encoding at position {offset}"
            ),
            UrlError::DoubleEncoded => f.write_str("The request URL is double encoded"),
            UrlError::ControlCharacter { byte } => write!(
                f,
                "The request URL contains the control character 0x{byte:02X}"
            ),
            UrlError::InvalidUtf8 => {
                f.write_str("The request URL does not decode to valid UTF-8")
            }
            UrlError::DotSegment => f.write_str(
                "The request URL contains a '.' or '..' segment (literal, encoded or mixed encoding)",
            ),
        }
    }
}

impl std::error::Error for UrlError {}

/// A request target that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalUrl {
    /// The path, percent-decoded once.
    pub path: String,
    /// The query, percent-decoded once (`+` is left as it is), when the target has one.
    pub query: Option<String>,
}

/// Checks a raw request target (`/api/objects/x%2Fy?limit=10`) and decodes it once.
pub fn canonicalise(raw: &str) -> Result<CanonicalUrl, UrlError> {
    let (raw_path, raw_query) = match raw.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (raw, None),
    };
    if !raw_path.starts_with('/') {
        return Err(UrlError::NotAPath);
    }
    let path = decode_component(raw_path, 0)?;
    if has_dot_segment(&path) {
        return Err(UrlError::DotSegment);
    }
    let query = match raw_query {
        Some(query) => Some(decode_component(query, raw_path.len() + 1)?),
        None => None,
    };
    Ok(CanonicalUrl { path, query })
}

/// Decodes one component once and checks what the decoding produced.
/// `base` is the component's offset in the whole target, for error messages.
fn decode_component(raw: &str, base: usize) -> Result<String, UrlError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let byte = match (
                bytes.get(i + 1).copied().and_then(hex_value),
                bytes.get(i + 2).copied().and_then(hex_value),
            ) {
                (Some(high), Some(low)) => high << 4 | low,
                _ => return Err(UrlError::MalformedEscape { offset: base + i }),
            };
            out.push(byte);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    if let Some(&byte) = out.iter().find(|b| is_control(**b)) {
        return Err(UrlError::ControlCharacter { byte });
    }
    if contains_escape(&out) {
        return Err(UrlError::DoubleEncoded);
    }
    String::from_utf8(out).map_err(|_| UrlError::InvalidUtf8)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn is_control(b: u8) -> bool {
    b < 0x20 || b == 0x7F
}

/// Whether the bytes hold `%` followed by two hex digits: what a second decoding would act on.
fn contains_escape(bytes: &[u8]) -> bool {
    bytes.windows(3).any(|w| {
        w.first() == Some(&b'%')
            && w.get(1).copied().and_then(hex_value).is_some()
            && w.get(2).copied().and_then(hex_value).is_some()
    })
}

/// Whether the decoded path has a `.` or `..` segment. A backslash counts as a separator too,
/// since some components treat it as one.
fn has_dot_segment(path: &str) -> bool {
    path.split(['/', '\\'])
        .any(|segment| segment == "." || segment == "..")
}

#[cfg(test)]
mod tests {
    use super::*;
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    use proptest::prelude::*;

    fn ok(raw: &str) -> CanonicalUrl {
        match canonicalise(raw) {
            Ok(url) => url,
            Err(e) => panic!("{raw} was refused: {e}"),
        }
    }

    #[test]
    fn accepts_plain_api_paths() {
        let url = ok("/api/objects/networkobjects");
        assert_eq!(url.path, "/api/objects/networkobjects");
        assert_eq!(url.query, None);
        assert_eq!(ok("/api/interfaces/vlan/").path, "/api/interfaces/vlan/");
        assert_eq!(ok("/doc/").path, "/doc/");
    }

    #[test]
    fn decodes_single_encoding_once() {
        let url = ok("/api/objects/networkobjects/a%2Fb%20c");
        assert_eq!(url.path, "/api/objects/networkobjects/a/b c");
        let url = ok("/api/objects/networkobjects/50%25");
        assert_eq!(url.path, "/api/objects/networkobjects/50%");
        let url = ok("/api/objects/networkobjects/%C3%A9t%C3%A9");
        assert_eq!(url.path, "/api/objects/networkobjects/été");
    }

    #[test]
    fn keeps_literal_address_probes() {
        assert_eq!(
            ok("/api/objects/networkobjects/10.0.0.0/24").path,
            "/api/objects/networkobjects/10.0.0.0/24"
        );
        assert_eq!(
            ok("/api/objects/networkobjects/any4").path,
            "/api/objects/networkobjects/any4"
        );
    }

    #[test]
    fn decodes_query_and_keeps_it_apart() {
        let url = ok("/api/access/in/inside/rules?offset=100&limit=100&context=ctx%201");
        assert_eq!(url.path, "/api/access/in/inside/rules");
        assert_eq!(
            url.query.as_deref(),
            Some("offset=100&limit=100&context=ctx 1")
        );
        assert_eq!(ok("/api?").query.as_deref(), Some(""));
    }

    #[test]
    fn rejects_double_encoded_url() {
        assert_eq!(
            canonicalise("/api/objects/networkobjects/a%252Fb"),
            Err(UrlError::DoubleEncoded)
        );
        assert_eq!(
            canonicalise("/api/%252e%252e/x"),
            Err(UrlError::DoubleEncoded)
        );
        assert_eq!(
            canonicalise("/api/x?filter=%2541"),
            Err(UrlError::DoubleEncoded)
        );
    }

    #[test]
    fn rejects_mixed_encoding_of_dot_segments() {
        for raw in [
            "/api/%2e%2e/doc",
            "/api/%2E%2E/doc",
            "/api/.%2e/doc",
            "/api/%2e./doc",
            "/api/..%2Fdoc",
            "/api/..%2fdoc",
            "/api/a%2F..%2Fb",
            "/api/a%2F..",
            "/api/..%5Cdoc",
            "/api/%2e/x",
        ] {
            assert_eq!(canonicalise(raw), Err(UrlError::DotSegment), "{raw}");
        }
    }

    #[test]
    fn rejects_literal_dot_segments() {
        assert_eq!(canonicalise("/api/../doc"), Err(UrlError::DotSegment));
        assert_eq!(canonicalise("/api/./x"), Err(UrlError::DotSegment));
        assert_eq!(canonicalise("/api/.."), Err(UrlError::DotSegment));
    }

    #[test]
    fn accepts_dots_inside_segments() {
        assert_eq!(
            ok("/api/objects/networkobjects/a..b").path,
            "/api/objects/networkobjects/a..b"
        );
        assert_eq!(ok("/api/x/.hidden").path, "/api/x/.hidden");
        assert_eq!(ok("/api/x/...").path, "/api/x/...");
    }

    #[test]
    fn rejects_encoded_control_characters() {
        assert_eq!(
            canonicalise("/api/x%00y"),
            Err(UrlError::ControlCharacter { byte: 0 })
        );
        assert_eq!(
            canonicalise("/api/x%0Ashow%20run"),
            Err(UrlError::ControlCharacter { byte: 0x0A })
        );
        assert_eq!(
            canonicalise("/api/x%1f"),
            Err(UrlError::ControlCharacter { byte: 0x1F })
        );
        assert_eq!(
            canonicalise("/api/x%7F"),
            Err(UrlError::ControlCharacter { byte: 0x7F })
        );
        assert_eq!(
            canonicalise("/api/x?q=%0D"),
            Err(UrlError::ControlCharacter { byte: 0x0D })
        );
    }

    #[test]
    fn rejects_literal_control_characters() {
        assert_eq!(
            canonicalise("/api/x\ty"),
            Err(UrlError::ControlCharacter { byte: b'\t' })
        );
    }

    #[test]
    fn rejects_invalid_utf8_after_decoding() {
        assert_eq!(canonicalise("/api/x%FF"), Err(UrlError::InvalidUtf8));
        assert_eq!(canonicalise("/api/x%C3"), Err(UrlError::InvalidUtf8));
        assert_eq!(canonicalise("/api/x?a=%E9"), Err(UrlError::InvalidUtf8));
    }

    #[test]
    fn rejects_malformed_escapes() {
        assert_eq!(
            canonicalise("/api/x%"),
            Err(UrlError::MalformedEscape { offset: 6 })
        );
        assert_eq!(
            canonicalise("/api/x%4"),
            Err(UrlError::MalformedEscape { offset: 6 })
        );
        assert_eq!(
            canonicalise("/api/x%zz"),
            Err(UrlError::MalformedEscape { offset: 6 })
        );
        assert_eq!(
            canonicalise("/api?a=%g1"),
            Err(UrlError::MalformedEscape { offset: 7 })
        );
    }

    #[test]
    fn rejects_targets_that_are_not_paths() {
        assert_eq!(canonicalise("*"), Err(UrlError::NotAPath));
        assert_eq!(canonicalise(""), Err(UrlError::NotAPath));
        assert_eq!(canonicalise("api/x"), Err(UrlError::NotAPath));
    }

    #[test]
    fn details_say_why() {
        assert_eq!(
            UrlError::DoubleEncoded.to_string(),
            "The request URL is double encoded"
        );
        assert!(
            UrlError::ControlCharacter { byte: 10 }
                .to_string()
                .contains("0x0A")
        );
        assert!(UrlError::DotSegment.to_string().contains("'..'"));
    }

    fn safe_segment() -> impl Strategy<Value = String> {
        "[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,12}"
    }

    proptest! {
        #[test]
        fn never_panics(raw in any::<String>()) {
            let _ = canonicalise(&raw);
        }

        #[test]
        fn never_panics_on_escape_heavy_input(raw in "[/%.a-fA-F0-9?\\\\]{0,40}") {
            let _ = canonicalise(&raw);
        }

        #[test]
        fn any_path_of_safe_characters_passes(
            segments in proptest::collection::vec(safe_segment(), 0..8),
            trailing_slash in any::<bool>(),
        ) {
            let mut raw = format!("/{}", segments.join("/"));
            if trailing_slash && !segments.is_empty() {
                raw.push('/');
            }
            let url = canonicalise(&raw);
            prop_assert_eq!(url.map(|u| u.path), Ok(raw));
        }

        #[test]
        fn single_encoding_of_printable_text_decodes_to_it(
            text in "[^\\x00-\\x1F\\x7F%/\\\\]{1,20}",
        ) {
            prop_assume!(text != "." && text != "..");
            let raw = format!("/api/objects/networkobjects/{}", utf8_percent_encode(&text, NON_ALPHANUMERIC));
            let url = canonicalise(&raw);
            prop_assert_eq!(
                url.map(|u| u.path),
                Ok(format!("/api/objects/networkobjects/{text}"))
            );
        }

        #[test]
        fn encoding_an_escape_again_is_refused(byte in any::<u8>()) {
            let raw = format!("/api/x%25{byte:02X}");
            prop_assert_eq!(canonicalise(&raw), Err(UrlError::DoubleEncoded));
        }
    }
}
