//! A complete HTTP response as the suite inspects it: status, headers, body bytes, and helpers
//! to read the JSON body and the ASA error body.

use bytes::Bytes;
use hyper::StatusCode;
use hyper::header::HeaderMap;
use serde_json::Value;

use crate::error::HarnessError;

/// A response with its body fully read.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Response {
    /// The status as a number, for terse assertions.
    pub fn code(&self) -> u16 {
        self.status.as_u16()
    }

    /// A header's value as text, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as (lossy) UTF-8 text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Result<Value, HarnessError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            HarnessError::BadResponse(format!("body is not JSON ({e}): {:?}", self.text()))
        })
    }

    /// The first entry of an ASA error body `{"messages":[{level, code, context, details}]}`.
    pub fn error_message(&self) -> Result<ErrorMessage, HarnessError> {
        let body = self.json()?;
        let first = body
            .get("messages")
            .and_then(Value::as_array)
            .and_then(|m| m.first())
            .ok_or_else(|| {
                HarnessError::BadResponse(format!("no messages[0] in error body {body}"))
            })?;
        let field = |name: &str| first.get(name).and_then(Value::as_str).map(str::to_owned);
        Ok(ErrorMessage {
            level: field("level"),
            code: field("code"),
            context: field("context"),
            details: field("details"),
        })
    }

    /// The last path segment of the `Location` header (clients read the object id from it).
    pub fn location_id(&self) -> Option<&str> {
        self.header("location").and_then(|l| l.rsplit('/').next())
    }
}

/// One entry of an ASA error body; a field is `None` when absent or not a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMessage {
    pub level: Option<String>,
    pub code: Option<String>,
    pub context: Option<String>,
    pub details: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &'static str) -> Response {
        Response {
            status: StatusCode::NOT_FOUND,
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn reads_first_error_message() {
        let r = response(
            r#"{"messages":[{"level":"Error","code":"RESOURCE-NOT-FOUND","details":"RESOURCE-NOT-FOUND: x"}]}"#,
        );
        let m = r.error_message().unwrap();
        assert_eq!(m.code.as_deref(), Some("RESOURCE-NOT-FOUND"));
        assert_eq!(m.level.as_deref(), Some("Error"));
        assert_eq!(m.context, None);
    }

    #[test]
    fn error_message_of_non_error_body_is_err() {
        assert!(response(r#"{"items":[]}"#).error_message().is_err());
        assert!(response("not json").error_message().is_err());
    }

    #[test]
    fn location_id_is_last_segment() {
        let mut r = response("");
        r.headers.insert(
            "location",
            "https://h:1/api/objects/networkobjects/obj1"
                .parse()
                .unwrap(),
        );
        assert_eq!(r.location_id(), Some("obj1"));
    }
}
