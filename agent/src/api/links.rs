//! URLs the agent hands out: `selfLink`, `refLink` and `Location`, built from the scheme the
//! front-end reports (`x-asa-scheme`) and the Host header exactly as the client sent it.
//! An objectId is percent-encoded in a URL (everything but RFC 3986 unreserved characters);
//! the JSON `objectId` itself is never encoded.

use std::fmt;

use hyper::HeaderMap;
use hyper::header::{HOST, HeaderName};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::error::ApiError;

/// Characters encoded in a path segment: everything except `A-Z a-z 0-9 - . _ ~`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Header the front-end adds: `https` or `http`.
pub const SCHEME_HEADER: &str = "x-asa-scheme";
/// The same as a header name: a lookup by `&str` parses the name on every request.
const SCHEME_NAME: HeaderName = HeaderName::from_static(SCHEME_HEADER);

/// Scheme and authority of the URL the client used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: &'static str,
    host: String,
}

impl Origin {
    /// Builds the origin from the request headers. A missing `x-asa-scheme` means https,
    /// the normal transport. Host is required and must look like `host[:port]`.
    pub fn from_headers(headers: &HeaderMap) -> Result<Origin, ApiError> {
        let scheme = match headers.get(SCHEME_NAME).map(|v| v.as_bytes()) {
            None | Some(b"https") => "https",
            Some(b"http") => "http",
            Some(_) => {
                return Err(ApiError::ChannelHeader {
                    header: SCHEME_HEADER,
                    problem: "expected https or http".to_owned(),
                });
            }
        };
        let host = headers
            .get(HOST)
            .ok_or_else(|| ApiError::ChannelHeader {
                header: "Host",
                problem: "missing".to_owned(),
            })?
            .to_str()
            .map_err(|_| ApiError::ChannelHeader {
                header: "Host",
                problem: "not ASCII".to_owned(),
            })?;
        if host.is_empty() || !host.bytes().all(is_authority_byte) {
            return Err(ApiError::ChannelHeader {
                header: "Host",
                problem: "not a host name or address with an optional port".to_owned(),
            });
        }
        Ok(Origin {
            scheme,
            host: host.to_owned(),
        })
    }

    /// An origin from known parts (tests, in-process callers).
    pub fn new(scheme: &'static str, host: impl Into<String>) -> Origin {
        Origin {
            scheme,
            host: host.into(),
        }
    }

    /// The URL of a path on this origin (`path` already encoded, starting with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}://{}{}", self.scheme, self.host, path)
    }

    /// The URL of one object of a collection.
    pub fn item_url(&self, collection_path: &str, object_id: &str) -> String {
        format!(
            "{}://{}{}/{}",
            self.scheme,
            self.host,
            collection_path,
            encode_segment(object_id)
        )
    }
}

/// Bytes allowed in a Host header value: reg-name, IPv4, `[IPv6]`, `:port`.
fn is_authority_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b':' | b'[' | b']' | b'%')
}

/// One path segment, percent-encoded for a URL.
pub fn encode_segment(segment: &str) -> impl fmt::Display + '_ {
    utf8_percent_encode(segment, SEGMENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;
    use proptest::prelude::*;

    fn headers(scheme: Option<&'static str>, host: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(s) = scheme {
            h.insert(SCHEME_HEADER, HeaderValue::from_static(s));
        }
        if let Some(v) = host {
            h.insert(HOST, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn self_link_keeps_host_and_port_as_sent() {
        let o = Origin::from_headers(&headers(Some("https"), Some("asa.example:8443"))).unwrap();
        assert_eq!(
            o.item_url("/api/objects/networkobjects", "web"),
            "https://asa.example:8443/api/objects/networkobjects/web"
        );
    }

    #[test]
    fn object_ids_are_percent_encoded_in_links() {
        let o = Origin::new("https", "10.1.1.1");
        assert_eq!(
            o.item_url("/api/objects/networkobjects", "10.0.0.0/24"),
            "https://10.1.1.1/api/objects/networkobjects/10.0.0.0%2F24"
        );
        assert_eq!(
            o.item_url("/api/objects/networkobjects", "Lab Printers"),
            "https://10.1.1.1/api/objects/networkobjects/Lab%20Printers"
        );
        assert_eq!(encode_segment("a-b.c_d~e").to_string(), "a-b.c_d~e");
        assert_eq!(encode_segment("a+b%c").to_string(), "a%2Bb%25c");
    }

    #[test]
    fn plain_http_scheme_is_honoured_and_https_is_the_default() {
        let o = Origin::from_headers(&headers(Some("http"), Some("h"))).unwrap();
        assert_eq!(o.url("/api/cli"), "http://h/api/cli");
        let o = Origin::from_headers(&headers(None, Some("h"))).unwrap();
        assert_eq!(o.url("/api/cli"), "https://h/api/cli");
    }

    #[test]
    fn ipv6_host_is_accepted() {
        let o = Origin::from_headers(&headers(None, Some("[fe80::1]:443"))).unwrap();
        assert_eq!(o.url("/api"), "https://[fe80::1]:443/api");
    }

    #[test]
    fn host_with_a_path_or_space_is_refused() {
        for bad in ["h/evil", "h evil", "", "h@x"] {
            let mut h = HeaderMap::new();
            h.insert(HOST, HeaderValue::from_str(bad).unwrap());
            assert!(
                matches!(
                    Origin::from_headers(&h),
                    Err(ApiError::ChannelHeader { header: "Host", .. })
                ),
                "{bad:?}"
            );
        }
        assert!(Origin::from_headers(&headers(None, None)).is_err());
        assert!(Origin::from_headers(&headers(Some("ftp"), Some("h"))).is_err());
    }

    proptest! {
        #[test]
        fn encoded_segments_decode_back(s in ".*") {
            let enc = encode_segment(&s).to_string();
            prop_assert!(!enc.contains('/'));
            let back = percent_encoding::percent_decode_str(&enc).decode_utf8().unwrap();
            prop_assert_eq!(back, s);
        }
    }
}
