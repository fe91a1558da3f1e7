//! An HTTP/1.1 client for the REST API: one hyper connection at a time, kept alive across
//! requests or (in closing mode) a fresh connection and TLS handshake per request with
//! `Connection: close`. Every request carries `Content-Type: application/json; charset=UTF-8`
//! as real clients send it, GET and DELETE included.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{CONNECTION, CONTENT_TYPE, HOST, HeaderName, HeaderValue, USER_AGENT};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use serde_json::Value;

use crate::auth::Auth;
use crate::endpoint::Endpoint;
use crate::error::HarnessError;
use crate::response::Response;

/// How long one request (send, response head and whole body) may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The content type real clients send on every request.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=UTF-8";

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// No body (Content-Type is still sent).
    Empty,
    /// A JSON value, serialised compactly.
    Json(Value),
    /// Exact bytes (malformed JSON, oversized bodies).
    Raw(Bytes),
}

impl From<Value> for Body {
    fn from(v: Value) -> Self {
        Body::Json(v)
    }
}

impl From<&Value> for Body {
    fn from(v: &Value) -> Self {
        Body::Json(v.clone())
    }
}

impl From<()> for Body {
    fn from(_: ()) -> Self {
        Body::Empty
    }
}

impl From<&str> for Body {
    fn from(s: &str) -> Self {
        Body::Raw(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl From<Vec<u8>> for Body {
    fn from(v: Vec<u8>) -> Self {
        Body::Raw(Bytes::from(v))
    }
}

impl Body {
    fn into_bytes(self) -> Bytes {
        match self {
            Body::Empty => Bytes::new(),
            Body::Json(v) => Bytes::from(v.to_string()),
            Body::Raw(b) => b,
        }
    }
}

/// Whether connections are reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionMode {
    /// One connection reused for as long as the server keeps it open.
    KeepAlive,
    /// `Connection: close` and a fresh connection for every request.
    Close,
}

/// A REST client bound to one daemon.
#[derive(Debug)]
pub struct Client {
    endpoint: Endpoint,
    mode: ConnectionMode,
    host: Option<String>,
    sender: Option<SendRequest<Full<Bytes>>>,
    connections_opened: usize,
}

impl Client {
    /// A keep-alive client sending `Host: 127.0.0.1:<port>`.
    pub fn new(endpoint: Endpoint) -> Self {
        Client {
            endpoint,
            mode: ConnectionMode::KeepAlive,
            host: None,
            sender: None,
            connections_opened: 0,
        }
    }

    /// Switches to `Connection: close`, one connection per request.
    pub fn closing(mut self) -> Self {
        self.mode = ConnectionMode::Close;
        self
    }

    /// Sends this Host header instead of the listening address.
    pub fn with_host(mut self, host: &str) -> Self {
        self.host = Some(host.to_owned());
        self
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// How many connections (TCP + TLS handshakes) this client has opened so far.
    pub fn connections_opened(&self) -> usize {
        self.connections_opened
    }

    pub async fn get(&mut self, path: &str, auth: &Auth) -> Result<Response, HarnessError> {
        self.request(Method::GET, path, Body::Empty, auth).await
    }

    pub async fn post(
        &mut self,
        path: &str,
        body: impl Into<Body>,
        auth: &Auth,
    ) -> Result<Response, HarnessError> {
        self.request(Method::POST, path, body.into(), auth).await
    }

    pub async fn put(
        &mut self,
        path: &str,
        body: impl Into<Body>,
        auth: &Auth,
    ) -> Result<Response, HarnessError> {
        self.request(Method::PUT, path, body.into(), auth).await
    }

    pub async fn patch(
        &mut self,
        path: &str,
        body: impl Into<Body>,
        auth: &Auth,
    ) -> Result<Response, HarnessError> {
        self.request(Method::PATCH, path, body.into(), auth).await
    }

    pub async fn delete(&mut self, path: &str, auth: &Auth) -> Result<Response, HarnessError> {
        self.request(Method::DELETE, path, Body::Empty, auth).await
    }

    /// Any method, with the client's standard headers.
    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        body: Body,
        auth: &Auth,
    ) -> Result<Response, HarnessError> {
        self.request_with_headers(method, path, body, auth, &[])
            .await
    }

    /// Any method, with extra header lines added after the standard ones.
    pub async fn request_with_headers(
        &mut self,
        method: Method,
        path: &str,
        body: Body,
        auth: &Auth,
        extra: &[(&str, &str)],
    ) -> Result<Response, HarnessError> {
        let request = self.build(method.clone(), path, body, auth, extra)?;
        let what = format!("{method} {path}");
        tokio::time::timeout(REQUEST_TIMEOUT, self.exchange(request))
            .await
            .map_err(|_| HarnessError::Timeout {
                what,
                after: REQUEST_TIMEOUT,
            })?
    }

    fn build(
        &self,
        method: Method,
        path: &str,
        body: Body,
        auth: &Auth,
        extra: &[(&str, &str)],
    ) -> Result<Request<Full<Bytes>>, HarnessError> {
        let host = self
            .host
            .clone()
            .unwrap_or_else(|| self.endpoint.authority());
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(HOST, host)
            .header(CONTENT_TYPE, JSON_CONTENT_TYPE)
            .header(USER_AGENT, "REST API Agent");
        if self.mode == ConnectionMode::Close {
            builder = builder.header(CONNECTION, "close");
        }
        for (name, value) in auth.headers() {
            builder = builder.header(name, value);
        }
        for (name, value) in extra {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| HarnessError::Request(e.to_string()))?;
            let value =
                HeaderValue::from_str(value).map_err(|e| HarnessError::Request(e.to_string()))?;
            builder = builder.header(name, value);
        }
        builder
            .body(Full::new(body.into_bytes()))
            .map_err(|e| HarnessError::Request(e.to_string()))
    }

    async fn exchange(&mut self, request: Request<Full<Bytes>>) -> Result<Response, HarnessError> {
        let reusable = match self.sender.take() {
            Some(mut s) if self.mode == ConnectionMode::KeepAlive => {
                s.ready().await.is_ok().then_some(s)
            }
            _ => None,
        };
        let mut sender = match reusable {
            Some(s) => s,
            None => self.open().await?,
        };
        let response = sender
            .send_request(request)
            .await
            .map_err(HarnessError::Http)?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await.map_err(HarnessError::Http)?.to_bytes();
        let server_closes = parts
            .headers
            .get(CONNECTION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        if self.mode == ConnectionMode::KeepAlive && !server_closes {
            self.sender = Some(sender);
        }
        Ok(Response {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }

    async fn open(&mut self) -> Result<SendRequest<Full<Bytes>>, HarnessError> {
        let io = self.endpoint.connect().await?;
        let (sender, connection) = http1::handshake(TokioIo::new(io))
            .await
            .map_err(HarnessError::Http)?;
        tokio::spawn(async move {
            // The connection ends when the server closes it or the sender is dropped; either is fine here.
            let _ = connection.await;
        });
        self.connections_opened += 1;
        Ok(sender)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::echo_server;
    use serde_json::json;

    #[tokio::test]
    async fn keep_alive_reuses_one_tls_connection() {
        let server = echo_server::start().await;
        let mut c = Client::new(Endpoint::https(server.addr).unwrap());
        for _ in 0..5 {
            let r = c.get("/api/x", &Auth::None).await.unwrap();
            assert_eq!(r.code(), 200);
        }
        assert_eq!(c.connections_opened(), 1);
        assert_eq!(server.connections(), 1);
    }

    #[tokio::test]
    async fn closing_mode_opens_a_connection_per_request() {
        let server = echo_server::start().await;
        let mut c = Client::new(Endpoint::https(server.addr).unwrap()).closing();
        for _ in 0..3 {
            let r = c.get("/api/x", &Auth::None).await.unwrap();
            assert_eq!(r.json().unwrap()["head"]["connection"], "close");
        }
        assert_eq!(c.connections_opened(), 3);
        assert_eq!(server.connections(), 3);
    }

    #[tokio::test]
    async fn sends_host_content_type_credentials_and_body() {
        let server = echo_server::start().await;
        let endpoint = Endpoint::https(server.addr).unwrap();
        let mut c = Client::new(endpoint.clone());
        let r = c.get("/api/x?limit=5", &Auth::token("tok")).await.unwrap();
        let echoed = r.json().unwrap();
        assert_eq!(echoed["head"]["host"], endpoint.authority());
        assert_eq!(echoed["head"]["contentType"], JSON_CONTENT_TYPE);
        assert_eq!(echoed["head"]["token"], "tok");
        assert_eq!(echoed["head"]["target"], "/api/x?limit=5");

        let mut c = Client::new(endpoint).with_host("example.test:9443");
        let r = c
            .post("/api/y", json!({"a": 1}), &Auth::basic("u", "p"))
            .await
            .unwrap();
        let echoed = r.json().unwrap();
        assert_eq!(echoed["head"]["host"], "example.test:9443");
        assert_eq!(echoed["head"]["method"], "POST");
        assert_eq!(echoed["bodyLength"], 7);
        assert!(
            echoed["head"]["authorization"]
                .as_str()
                .unwrap()
                .starts_with("Basic ")
        );
    }

    #[tokio::test]
    async fn raw_request_target_arrives_verbatim() {
        let server = echo_server::start().await;
        let endpoint = Endpoint::https(server.addr).unwrap();
        let target = "/api/objects/networkobjects/a%252Fb";
        let r = crate::raw::raw_request(&endpoint, "GET", target, &Auth::None, b"")
            .await
            .unwrap();
        assert_eq!(r.code(), 200);
        assert_eq!(r.json().unwrap()["head"]["target"], target);
    }

    #[tokio::test]
    async fn raw_request_sees_an_early_answer_to_a_large_body() {
        let server = echo_server::start().await;
        let endpoint = Endpoint::https(server.addr).unwrap();
        let body = vec![b'x'; 8 * 1024 * 1024];
        let r = crate::raw::raw_request(&endpoint, "POST", "/early", &Auth::None, &body)
            .await
            .unwrap();
        assert_eq!(r.code(), 413);
    }
}
