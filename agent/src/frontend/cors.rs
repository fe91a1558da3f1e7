//! CORS for browser tools on other origins (`--cors-origin`, none by default): preflight
//! `OPTIONS` answered for an allowed origin with the methods and headers the API uses, and the
//! allowed origin echoed (with the headers a client must read) on actual responses. Requests
//! from any other origin get no CORS headers at all, so the browser keeps them out.

use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, StatusCode};

/// The methods the API serves.
pub const ALLOW_METHODS: &str = "GET, POST, PUT, PATCH, DELETE";
/// The request headers the API reads.
pub const ALLOW_HEADERS: &str = "Authorization, X-Auth-Token, Content-Type, If-Match";
/// The response headers a client needs to read.
pub const EXPOSE_HEADERS: &str = "X-Auth-Token, Location, ETag";
/// How long a browser may cache a preflight answer, in seconds.
pub const MAX_AGE: &str = "600";

/// The allowed origins, each as `scheme://host[:port]` in lower case.
#[derive(Debug, Clone, Default)]
pub struct Cors {
    origins: Vec<String>,
}

/// `--cors-origin`: an origin is `http` or `https`, a host and maybe a port; no path, query or
/// user. Kept in lower case (browsers send it so).
pub fn parse_origin(text: &str) -> Result<String, String> {
    let lower = text.trim().trim_end_matches('/').to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("'{text}' is not an origin: it must start with https:// or http://")
        })?;
    let bad = |what: &str| format!("'{text}' is not an origin: {what}");
    if rest.is_empty() {
        return Err(bad("no host"));
    }
    if rest.contains(['/', '?', '#', '@', ' ', '*']) {
        return Err(bad("only scheme://host[:port] is allowed"));
    }
    let authority: hyper::http::uri::Authority = rest.parse().map_err(|_| bad("bad host"))?;
    if authority.host().is_empty() {
        return Err(bad("no host"));
    }
    Ok(lower)
}

/// What the CORS policy says about one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Not a CORS request, or from an origin not allowed: handle it without CORS headers.
    Plain,
    /// A preflight from an allowed origin: answer it here with these headers.
    Preflight(HeaderMap),
    /// An actual request from an allowed origin: add these headers to its answer.
    Actual(HeaderMap),
}

impl Cors {
    pub fn new(origins: Vec<String>) -> Cors {
        Cors { origins }
    }

    pub fn is_enabled(&self) -> bool {
        !self.origins.is_empty()
    }

    fn allowed(&self, origin: &HeaderValue) -> bool {
        origin.to_str().is_ok_and(|o| {
            self.origins
                .iter()
                .any(|allowed| allowed.eq_ignore_ascii_case(o))
        })
    }

    /// Classifies a request by its method and headers.
    pub fn check(&self, method: &Method, headers: &HeaderMap) -> Verdict {
        let Some(origin) = headers.get(header::ORIGIN) else {
            return Verdict::Plain;
        };
        if !self.allowed(origin) {
            return Verdict::Plain;
        }
        let mut out = HeaderMap::new();
        out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        out.insert(header::VARY, HeaderValue::from_static("Origin"));
        let preflight = method == Method::OPTIONS
            && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
        if preflight {
            out.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static(ALLOW_METHODS),
            );
            out.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static(ALLOW_HEADERS),
            );
            out.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static(MAX_AGE),
            );
            Verdict::Preflight(out)
        } else {
            out.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static(EXPOSE_HEADERS),
            );
            Verdict::Actual(out)
        }
    }
}

/// The status of an answered preflight.
pub const PREFLIGHT_STATUS: StatusCode = StatusCode::NO_CONTENT;

#[cfg(test)]
mod tests {
    use super::*;

    fn cors() -> Cors {
        Cors::new(vec![parse_origin("https://UI.example:8443/").unwrap()])
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                hyper::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(
            parse_origin("https://UI.example:8443/").unwrap(),
            "https://ui.example:8443"
        );
        assert_eq!(parse_origin("http://10.0.0.1").unwrap(), "http://10.0.0.1");
        for bad in [
            "ui.example",
            "ftp://ui.example",
            "https://",
            "https://ui.example/app",
            "https://u@ui.example",
            "*",
            "https://*.example",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn preflight_from_an_allowed_origin_is_answered() {
        let verdict = cors().check(
            &Method::OPTIONS,
            &headers(&[
                ("origin", "https://ui.example:8443"),
                ("access-control-request-method", "PATCH"),
                (
                    "access-control-request-headers",
                    "authorization, content-type",
                ),
            ]),
        );
        let Verdict::Preflight(h) = verdict else {
            panic!("expected a preflight answer, got {verdict:?}");
        };
        assert_eq!(h["access-control-allow-origin"], "https://ui.example:8443");
        assert_eq!(h["access-control-allow-methods"], ALLOW_METHODS);
        for name in ["Authorization", "X-Auth-Token", "Content-Type", "If-Match"] {
            assert!(
                h["access-control-allow-headers"]
                    .to_str()
                    .unwrap()
                    .contains(name),
                "{name}"
            );
        }
        assert_eq!(h["vary"], "Origin");
        assert!(h.get("access-control-allow-credentials").is_none());
    }

    #[test]
    fn actual_request_from_an_allowed_origin_exposes_the_api_headers() {
        let verdict = cors().check(
            &Method::POST,
            &headers(&[("origin", "https://ui.example:8443")]),
        );
        let Verdict::Actual(h) = verdict else {
            panic!("expected CORS headers, got {verdict:?}");
        };
        assert_eq!(h["access-control-allow-origin"], "https://ui.example:8443");
        assert_eq!(h["access-control-expose-headers"], EXPOSE_HEADERS);
        assert!(h.get("access-control-allow-methods").is_none());
    }

    #[test]
    fn other_origins_and_plain_requests_get_nothing() {
        let c = cors();
        for origin in [
            "https://evil.example",
            "https://ui.example",
            "http://ui.example:8443",
            "null",
        ] {
            let h = headers(&[("origin", origin), ("access-control-request-method", "GET")]);
            assert_eq!(c.check(&Method::OPTIONS, &h), Verdict::Plain, "{origin}");
            assert_eq!(c.check(&Method::GET, &h), Verdict::Plain, "{origin}");
        }
        assert_eq!(c.check(&Method::GET, &HeaderMap::new()), Verdict::Plain);
        assert_eq!(
            Cors::default().check(
                &Method::GET,
                &headers(&[("origin", "https://ui.example:8443")])
            ),
            Verdict::Plain
        );
    }
}
