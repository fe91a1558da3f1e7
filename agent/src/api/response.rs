//! Success responses: JSON bodies, empty bodies, `Location` and `X-Auth-Token` headers.
//! Failures are built in `error.rs`, never here.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue, LOCATION};
use hyper::{Response, StatusCode};

use super::error::ApiError;

/// The body type of every response the agent sends.
pub type Body = Full<Bytes>;

/// A finished response.
pub type ApiResponse = Response<Body>;

/// A response with a JSON body (`content-type: application/json`).
pub fn json(status: StatusCode, value: &serde_json::Value) -> ApiResponse {
    json_bytes(status, Bytes::from(to_json_vec(value)))
}

/// `value` serialised straight into bytes: `serde_json`'s writer, not `Display` (which goes
/// through `fmt::Write` a piece at a time), into a buffer sized for a typical item.
pub fn to_json_vec(value: &serde_json::Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    match serde_json::to_writer(&mut out, value) {
        Ok(()) => out,
        // A `Value` always serialises (its keys are strings); kept as a fallback, not a panic.
        Err(_) => value.to_string().into_bytes(),
    }
}

/// A response whose JSON body is already serialised.
pub fn json_bytes(status: StatusCode, body: Bytes) -> ApiResponse {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// A response without a body.
pub fn empty(status: StatusCode) -> ApiResponse {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}

/// An empty response carrying `Location: <url>` (201 after POST, 204 after PUT and PATCH).
pub fn with_location(status: StatusCode, url: &str) -> Result<ApiResponse, ApiError> {
    with_header(status, LOCATION, url, "Location")
}

/// An empty response carrying one extra header.
pub fn with_header(
    status: StatusCode,
    name: HeaderName,
    value: &str,
    label: &'static str,
) -> Result<ApiResponse, ApiError> {
    let value = HeaderValue::from_str(value).map_err(|_| ApiError::BadHeaderValue(label))?;
    let mut response = empty(status);
    response.headers_mut().insert(name, value);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_responses_are_empty_and_carry_the_url() {
        let r = with_location(
            StatusCode::CREATED,
            "https://h/api/objects/networkobjects/a",
        )
        .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(
            r.headers()[LOCATION],
            "https://h/api/objects/networkobjects/a"
        );
        assert!(r.headers().get(CONTENT_TYPE).is_none());
    }

    #[test]
    fn a_header_value_with_a_newline_is_refused() {
        let r = with_location(StatusCode::CREATED, "https://h/a\nb");
        assert!(matches!(r, Err(ApiError::BadHeaderValue("Location"))));
    }

    #[test]
    fn json_responses_say_so() {
        let r = json(StatusCode::OK, &serde_json::json!({"a": 1}));
        assert_eq!(r.headers()[CONTENT_TYPE], "application/json");
    }
}
