//! Query-string checking: only `offset`, `limit` (non-negative integers), `context`
//! (a security context name) and `dryRun` (`true` or `false`) are known; anything else is
//! refused with 400 naming it.

use percent_encoding::percent_decode_str;

use super::error::ApiError;

/// The query parameters of a request, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub offset: Option<usize>,
    pub limit: Option<usize>,
    pub context: Option<String>,
    /// `dryRun=true`: a write answers the CLI lines it would send and applies nothing.
    pub dry_run: bool,
}

/// Parses and checks a raw query string (the part after `?`, undecoded).
/// A repeated parameter keeps its last value. Empty pairs (`a=1&&b=2`, a bare `?`) are ignored.
pub fn parse(raw: Option<&str>) -> Result<Query, ApiError> {
    let mut query = Query::default();
    let Some(raw) = raw else {
        return Ok(query);
    };
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(name);
        let value = decode(value);
        match name.as_str() {
            "offset" => query.offset = Some(number("offset", &value)?),
            "limit" => query.limit = Some(number("limit", &value)?),
            "context" => {
                if value.is_empty() || value.chars().any(|c| c.is_control() || c == ' ') {
                    return Err(ApiError::BadQueryValue {
                        name: "context",
                        value,
                        expected: "a security context name",
                    });
                }
                query.context = Some(value);
            }
            "dryRun" => {
                query.dry_run = match value.to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(ApiError::BadQueryValue {
                            name: "dryRun",
                            value,
                            expected: "true or false",
                        });
                    }
                }
            }
            _ => return Err(ApiError::UnknownQueryParameter(name)),
        }
    }
    Ok(query)
}

/// Percent-decodes once; invalid UTF-8 is replaced so the error can still name it.
fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn number(name: &'static str, value: &str) -> Result<usize, ApiError> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::BadQueryValue {
            name,
            value: value.to_owned(),
            expected: "a non-negative integer",
        });
    }
    // All digits: the only possible failure is overflow; such an offset is simply past the end.
    Ok(value.parse().unwrap_or(usize::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn no_query_is_all_defaults() {
        assert_eq!(parse(None).unwrap(), Query::default());
        assert_eq!(parse(Some("")).unwrap(), Query::default());
    }

    #[test]
    fn reads_offset_limit_and_context() {
        let q = parse(Some("offset=100&limit=50&context=ctx1")).unwrap();
        assert_eq!(q.offset, Some(100));
        assert_eq!(q.limit, Some(50));
        assert_eq!(q.context.as_deref(), Some("ctx1"));
    }

    #[test]
    fn unknown_parameter_is_named() {
        match parse(Some("limit=5&expand=true")) {
            Err(ApiError::UnknownQueryParameter(name)) => assert_eq!(name, "expand"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn negative_or_non_numeric_values_are_refused() {
        for q in ["offset=-1", "limit=abc", "limit=", "offset=1.5", "limit"] {
            assert!(
                matches!(parse(Some(q)), Err(ApiError::BadQueryValue { .. })),
                "{q}"
            );
        }
    }

    #[test]
    fn huge_offset_saturates() {
        assert_eq!(
            parse(Some("offset=99999999999999999999999"))
                .unwrap()
                .offset,
            Some(usize::MAX)
        );
    }

    #[test]
    fn reads_dry_run_as_a_boolean() {
        assert!(parse(Some("dryRun=true")).unwrap().dry_run);
        assert!(parse(Some("dryRun=TRUE")).unwrap().dry_run);
        assert!(!parse(Some("dryRun=false")).unwrap().dry_run);
        assert!(!parse(None).unwrap().dry_run);
        assert!(matches!(
            parse(Some("dryRun=yes")),
            Err(ApiError::BadQueryValue { name: "dryRun", .. })
        ));
    }

    #[test]
    fn empty_context_is_refused() {
        assert!(matches!(
            parse(Some("context=")),
            Err(ApiError::BadQueryValue {
                name: "context",
                ..
            })
        ));
    }

    #[test]
    fn percent_encoded_names_are_decoded_once() {
        assert_eq!(parse(Some("%6Cimit=3")).unwrap().limit, Some(3));
    }

    proptest! {
        #[test]
        fn arbitrary_query_strings_never_panic(s in ".*") {
            let _ = parse(Some(&s));
        }
    }
}
