//! Forwarding to the agent process: the keep-alive client, the rewritten request (hop-by-hop
//! and client-supplied `x-asa-*` headers removed, channel headers added) and the streamed answer.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Request, Response, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use super::rejection::ResponseBody;
use crate::supervisor::ReadyAgent;

/// The header carrying the per-spawn secret that authenticates the channel.
pub const CHANNEL_SECRET: &str = "x-asa-channel-secret";
/// The header carrying the client's `ip:port`.
pub const CLIENT: &str = "x-asa-client";
/// The header carrying the scheme the client used (`https` or `http`).
pub const SCHEME: &str = "x-asa-scheme";

/// How the client reached the front-end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// The pooled keep-alive HTTP/1.1 client to the agent process.
pub type AgentClient = Client<HttpConnector, Full<Bytes>>;

pub fn agent_client() -> AgentClient {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    connector.set_connect_timeout(Some(Duration::from_secs(2)));
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build(connector)
}

/// Where the forwarded request comes from, as the agent process must learn it.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub client: SocketAddr,
    pub scheme: Scheme,
    /// The front-end's own address, used as `Host` when the client sent none.
    pub local: SocketAddr,
}

/// Why a request could not be rewritten for the agent process (it cannot happen with a
/// request hyper accepted; kept as an error rather than a panic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewriteError;

impl std::fmt::Display for RewriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request could not be addressed to the agent process")
    }
}

impl std::error::Error for RewriteError {}

/// The request to send to the agent process: same method, path+query and headers (minus
/// hop-by-hop and `x-asa-*`), the buffered body, plus the channel headers.
pub fn rewrite(
    mut parts: Parts,
    body: Bytes,
    agent: &ReadyAgent,
    origin: Origin,
) -> Result<Request<Full<Bytes>>, RewriteError> {
    // Built from parts: the path and query keep their bytes (shared, not copied or parsed
    // again), the authority is the agent's, made once.
    let mut target = hyper::http::uri::Parts::default();
    target.scheme = Some(hyper::http::uri::Scheme::HTTP);
    target.authority = Some(agent.authority().ok_or(RewriteError)?.clone());
    target.path_and_query = Some(
        parts
            .uri
            .path_and_query()
            .cloned()
            .unwrap_or_else(|| hyper::http::uri::PathAndQuery::from_static("/")),
    );
    let uri = Uri::from_parts(target).map_err(|_| RewriteError)?;

    let headers = &mut parts.headers;
    remove_hop_by_hop(headers);
    // The body is read in full already: its length is known again, and nothing is left to
    // continue with.
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::EXPECT);
    let ours: Vec<HeaderName> = headers
        .keys()
        .filter(|name| name.as_str().starts_with("x-asa-"))
        .cloned()
        .collect();
    for name in ours {
        headers.remove(&name);
    }
    if !headers.contains_key(header::HOST)
        && let Some(host) =
            host_from(&parts.uri).or_else(|| HeaderValue::from_str(&origin.local.to_string()).ok())
    {
        headers.insert(header::HOST, host);
    }
    headers.insert(
        HeaderName::from_static(CHANNEL_SECRET),
        agent.secret_header().ok_or(RewriteError)?.clone(),
    );
    headers.insert(
        HeaderName::from_static(CLIENT),
        HeaderValue::from_str(&origin.client.to_string()).map_err(|_| RewriteError)?,
    );
    headers.insert(
        HeaderName::from_static(SCHEME),
        HeaderValue::from_static(origin.scheme.as_str()),
    );

    let mut request = Request::new(Full::new(body));
    *request.method_mut() = parts.method;
    *request.uri_mut() = uri;
    *request.headers_mut() = parts.headers;
    Ok(request)
}

/// The authority of an absolute-form request target, as a Host value.
fn host_from(uri: &Uri) -> Option<HeaderValue> {
    uri.authority()
        .and_then(|authority| HeaderValue::from_str(authority.as_str()).ok())
}

/// The agent's answer, streamed back with its hop-by-hop headers removed.
pub fn relay(response: Response<Incoming>) -> Response<ResponseBody> {
    let (mut parts, body) = response.into_parts();
    remove_hop_by_hop(&mut parts.headers);
    Response::from_parts(parts, body.boxed())
}

/// Removes the headers that describe one connection rather than the message (RFC 9110 7.6.1),
/// including those the `Connection` header names.
fn remove_hop_by_hop(headers: &mut HeaderMap) {
    // Most messages carry none: one pass over the names instead of nine removals.
    if !headers.keys().any(is_hop_by_hop) {
        return;
    }
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named {
        headers.remove(&name);
    }
    for name in HOP_BY_HOP {
        headers.remove(name);
    }
}

/// The hop-by-hop headers removed whatever `Connection` says.
const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "proxy-authorization",
    "proxy-authenticate",
    "keep-alive",
    "proxy-connection",
];

fn is_hop_by_hop(name: &HeaderName) -> bool {
    HOP_BY_HOP.contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::Method;

    fn agent() -> ReadyAgent {
        ReadyAgent::new("127.0.0.1:4000".parse().unwrap(), "s3cr3t".to_owned())
    }

    fn origin() -> Origin {
        Origin {
            client: "192.0.2.7:51000".parse().unwrap(),
            scheme: Scheme::Https,
            local: "127.0.0.1:8443".parse().unwrap(),
        }
    }

    fn parts(request: Request<()>) -> Parts {
        request.into_parts().0
    }

    #[test]
    fn keeps_method_path_query_and_headers() {
        let request = Request::builder()
            .method(Method::PATCH)
            .uri("/api/objects/networkobjectgroups/g1?context=c1")
            .header("host", "asa.example:8443")
            .header("authorization", "Basic YWRtaW46eA==")
            .header("content-type", "application/json; charset=UTF-8")
            .body(())
            .unwrap();
        let out = rewrite(
            parts(request),
            Bytes::from_static(b"{}"),
            &agent(),
            origin(),
        )
        .unwrap();
        assert_eq!(out.method(), Method::PATCH);
        assert_eq!(
            out.uri().to_string(),
            "http://127.0.0.1:4000/api/objects/networkobjectgroups/g1?context=c1"
        );
        assert_eq!(out.headers()["host"], "asa.example:8443");
        assert_eq!(out.headers()["authorization"], "Basic YWRtaW46eA==");
        assert_eq!(
            out.headers()["content-type"],
            "application/json; charset=UTF-8"
        );
    }

    #[test]
    fn keeps_the_raw_encoded_path() {
        let request = Request::builder()
            .uri("/api/objects/networkobjects/a%2Fb")
            .body(())
            .unwrap();
        let out = rewrite(parts(request), Bytes::new(), &agent(), origin()).unwrap();
        assert_eq!(out.uri().path(), "/api/objects/networkobjects/a%2Fb");
    }

    #[test]
    fn replaces_client_supplied_channel_headers() {
        let request = Request::builder()
            .uri("/api")
            .header("x-asa-channel-secret", "guess")
            .header("x-asa-client", "10.0.0.1:1")
            .header("X-ASA-Scheme", "http")
            .header("x-asa-anything", "else")
            .body(())
            .unwrap();
        let out = rewrite(parts(request), Bytes::new(), &agent(), origin()).unwrap();
        let headers = out.headers();
        assert_eq!(headers[CHANNEL_SECRET], "s3cr3t");
        assert_eq!(headers[CLIENT], "192.0.2.7:51000");
        assert_eq!(headers[SCHEME], "https");
        assert!(headers.get("x-asa-anything").is_none());
        assert_eq!(headers.get_all(CHANNEL_SECRET).iter().count(), 1);
    }

    #[test]
    fn drops_hop_by_hop_headers() {
        let request = Request::builder()
            .uri("/api")
            .header("connection", "close, x-trace")
            .header("x-trace", "1")
            .header("keep-alive", "timeout=5")
            .header("transfer-encoding", "chunked")
            .header("content-length", "12")
            .header("expect", "100-continue")
            .header("x-auth-token", "tok")
            .body(())
            .unwrap();
        let out = rewrite(parts(request), Bytes::new(), &agent(), origin()).unwrap();
        let headers = out.headers();
        for gone in [
            "connection",
            "x-trace",
            "keep-alive",
            "transfer-encoding",
            "content-length",
        ] {
            assert!(headers.get(gone).is_none(), "{gone}");
        }
        assert_eq!(headers["x-auth-token"], "tok");
    }

    #[test]
    fn supplies_a_host_when_the_client_sent_none() {
        let request = Request::builder().uri("/api").body(()).unwrap();
        let out = rewrite(parts(request), Bytes::new(), &agent(), origin()).unwrap();
        assert_eq!(out.headers()["host"], "127.0.0.1:8443");

        let request = Request::builder()
            .uri("https://asa.example:8443/api")
            .body(())
            .unwrap();
        let out = rewrite(parts(request), Bytes::new(), &agent(), origin()).unwrap();
        assert_eq!(out.headers()["host"], "asa.example:8443");
        assert_eq!(out.uri().to_string(), "http://127.0.0.1:4000/api");
    }
}
