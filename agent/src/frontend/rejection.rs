//! Every answer the front-end gives on its own (without the agent process), mapped in one place
//! to an HTTP status and the ASA error body.

use std::fmt;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::header::{CONNECTION, CONTENT_TYPE, HeaderValue};
use hyper::{Response, StatusCode};

use super::canonical::UrlError;

/// The body type of every response the front-end sends.
pub type ResponseBody = BoxBody<Bytes, hyper::Error>;

/// Why no agent process could answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    Starting,
    Restarting,
    GaveUp,
    /// The agent process was ready but the request to it failed (it died mid-request).
    Lost,
    /// The daemon is shutting down.
    ShuttingDown,
    /// `no rest-api agent`: the agent process is stopped.
    Disabled,
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unavailable::Starting => "REST API Agent is starting",
            Unavailable::Restarting => "REST API Agent is restarting",
            Unavailable::GaveUp => "REST API Agent failed to start after five attempts",
            Unavailable::Lost => "REST API Agent did not answer the request",
            Unavailable::ShuttingDown => "REST API Agent is shutting down",
            Unavailable::Disabled => {
                "REST API Agent is disabled; enable it with the 'rest-api agent' command"
            }
        })
    }
}

/// A request the front-end answers itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    InvalidUrl(UrlError),
    /// The User-Agent policy is on and the header is missing or not one of the accepted names.
    UserAgentNotAllowed,
    /// The path is outside `/api` and `/doc`.
    NotFound {
        path: String,
    },
    /// The declared or streamed body is larger than the limit (bytes).
    PayloadTooLarge {
        limit: u64,
    },
    /// The client stopped sending the body half-way.
    BodyIncomplete,
    AgentUnavailable(Unavailable),
    /// The request line or a header line is not HTTP/1.1 (a control character in a header
    /// value, a bad method or version): refused before any routing.
    MalformedRequest,
    /// The request headers are larger than the front-end reads.
    HeadersTooLarge,
    /// The request URL is longer than the front-end reads.
    UrlTooLong,
}

impl Rejection {
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::InvalidUrl(_)
            | Rejection::UserAgentNotAllowed
            | Rejection::BodyIncomplete
            | Rejection::MalformedRequest => StatusCode::BAD_REQUEST,
            Rejection::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Rejection::UrlTooLong => StatusCode::URI_TOO_LONG,
            Rejection::NotFound { .. } => StatusCode::NOT_FOUND,
            Rejection::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Rejection::AgentUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Rejection::InvalidUrl(_) => "INVALID-URL",
            Rejection::UserAgentNotAllowed => "USER-AGENT-NOT-ALLOWED",
            Rejection::NotFound { .. } => "RESOURCE-NOT-FOUND",
            Rejection::PayloadTooLarge { .. } => "PAYLOAD-TOO-LARGE",
            Rejection::BodyIncomplete => "INVALID-INPUT",
            Rejection::AgentUnavailable(_) => "AGENT-UNAVAILABLE",
            Rejection::MalformedRequest => "INVALID-INPUT",
            Rejection::HeadersTooLarge => "INVALID-INPUT",
            Rejection::UrlTooLong => "INVALID-URL",
        }
    }

    /// Whether the connection must close after the answer (the request body was left unread).
    fn closes_connection(&self) -> bool {
        matches!(
            self,
            Rejection::PayloadTooLarge { .. } | Rejection::BodyIncomplete
        )
    }

    /// The ASA error body: `{"messages":[{"level":"Error","code":..,"context":"","details":..}]}`.
    pub fn body(&self) -> String {
        let body = serde_json::json!({
            "messages": [{
                "level": "Error",
                "code": self.code(),
                "context": "",
                "details": self.to_string(),
            }]
        });
        body.to_string()
    }

    pub fn into_response(self) -> Response<ResponseBody> {
        let mut response = Response::new(full(self.body()));
        *response.status_mut() = self.status();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if self.closes_connection() {
            headers.insert(CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::InvalidUrl(e) => e.fmt(f),
            Rejection::UserAgentNotAllowed => f.write_str(
                "User-Agent not allowed: send 'User-Agent: REST API Agent' (or ASDM, CSM)",
            ),
            Rejection::NotFound { path } => write!(f, "RESOURCE-NOT-FOUND: {path}"),
            Rejection::PayloadTooLarge { limit } => {
                write!(f, "The request body is larger than {limit} bytes")
            }
            Rejection::BodyIncomplete => f.write_str("The request body could not be read"),
            Rejection::AgentUnavailable(why) => why.fmt(f),
            Rejection::MalformedRequest => f.write_str(
                "The request is not valid HTTP/1.1 (request line, or a header name or value \
                 with a character HTTP does not allow)",
            ),
            Rejection::HeadersTooLarge => f.write_str("The request headers are too large"),
            Rejection::UrlTooLong => f.write_str("The request URL is too long"),
        }
    }
}

/// The whole answer, as bytes on the wire, to a request that never reached the front-end's
/// handler because HTTP parsing refused it; the connection closes after it.
pub fn raw_response(rejection: &Rejection) -> Vec<u8> {
    let body = rejection.body();
    let status = rejection.status();
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len(),
    )
    .into_bytes()
}

/// A complete in-memory body.
pub fn full(text: impl Into<Bytes>) -> ResponseBody {
    Full::new(text.into())
        .map_err(|never| match never {})
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(rejection: &Rejection) -> serde_json::Value {
        serde_json::from_str(&rejection.body()).unwrap()
    }

    #[test]
    fn error_body_has_the_asa_shape() {
        let body = parsed(&Rejection::InvalidUrl(UrlError::DoubleEncoded));
        assert_eq!(
            body,
            serde_json::json!({"messages":[{
                "level":"Error","code":"INVALID-URL","context":"",
                "details":"The request URL is double encoded"}]})
        );
    }

    #[test]
    fn statuses_follow_the_failure() {
        assert_eq!(
            Rejection::InvalidUrl(UrlError::DotSegment).status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            Rejection::UserAgentNotAllowed.status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            Rejection::NotFound { path: "/x".into() }.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            Rejection::PayloadTooLarge { limit: 1 }.status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            Rejection::AgentUnavailable(Unavailable::GaveUp).status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[test]
    fn not_found_details_carry_the_code_for_terraform() {
        let body = parsed(&Rejection::NotFound { path: "/x".into() });
        assert_eq!(body["messages"][0]["details"], "RESOURCE-NOT-FOUND: /x");
    }

    #[test]
    fn unavailable_details_say_why() {
        let body = parsed(&Rejection::AgentUnavailable(Unavailable::Restarting));
        assert_eq!(body["messages"][0]["code"], "AGENT-UNAVAILABLE");
        assert_eq!(
            body["messages"][0]["details"],
            "REST API Agent is restarting"
        );
        assert_eq!(
            Unavailable::GaveUp.to_string(),
            "REST API Agent failed to start after five attempts"
        );
    }

    #[test]
    fn too_large_answer_closes_the_connection() {
        let response = Rejection::PayloadTooLarge { limit: 10 }.into_response();
        assert_eq!(response.headers()[CONNECTION], "close");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let response = Rejection::UserAgentNotAllowed.into_response();
        assert!(response.headers().get(CONNECTION).is_none());
    }
}
