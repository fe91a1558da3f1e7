//! Every way an `/api` request can fail, and the one place that maps a failure to an HTTP
//! status, headers and the ASA error body.
//!
//! Error body: `{"messages":[{"level":"Error","code":"<CODE>","context":"<attribute>","details":"<text>"}]}`.
//!
//! Codes used here (the first three are the ones clients are known to look for):
//!
//! | code                      | status | when                                                        |
//! |---------------------------|--------|-------------------------------------------------------------|
//! | `RESOURCE-NOT-FOUND`      | 404    | unknown URL or unknown object (`details` also carries it)   |
//! | `DUPLICATE`               | 400    | POST of an object whose id already exists                   |
//! | `READ-ONLY-FIELD`         | 400    | a body sets an attribute clients may not set                |
//! | `CHANNEL-FORBIDDEN`       | 403    | request did not come through the front-end channel          |
//! | `INVALID-CHANNEL-HEADER`  | 400    | a front-end header (`x-asa-client`, Host) is malformed      |
//! | `AUTHENTICATION-FAILED`   | 401    | no credentials, bad credentials, unknown or expired token   |
//! | `INVALID-CREDENTIALS`     | 400    | an Authorization header that cannot be decoded              |
//! | `INVALID-CONTEXT`         | 400    | the `context` names no security context                     |
//! | `CONTEXT-NOT-SUPPORTED`   | 400    | `context` on a resource URL (only cli, tokens, write memory)|
//! | `NOT-SUPPORTED-IN-MULTIPLE-CONTEXT-MODE` | 400 | multiple-context mode serves only cli, tokens and monitoring |
//! | `PRIVILEGE-INSUFFICIENT`  | 403    | a valid user below the level the request needs              |
//! | `METHOD-NOT-ALLOWED`      | 405    | verb not allowed on the URL (`Allow` lists those that are)  |
//! | `INVALID-QUERY-PARAMETER` | 400    | unknown query parameter, or a bad `offset`/`limit`/`context`|
//! | `INVALID-URL`             | 400    | a path segment that is not UTF-8 once decoded               |
//! | `REQUEST-TOO-LARGE`       | 413    | body above the configured limit                             |
//! | `BODY-READ-ERROR`         | 400    | the request body could not be read                          |
//! | `JSON-PARSE-ERROR`        | 400    | empty or malformed JSON (details: serde_json line/column)   |
//! | `JSON-TYPE-ERROR`         | 400    | valid JSON of the wrong shape (an array where an object is needed) |
//! | `INVALID-INPUT`           | 400    | a field the translator rejects, or a control character     |
//! | `ID-MISMATCH`             | 400    | PUT/PATCH whose body names another object than the URL      |
//! | `CLI-ERROR`               | 400    | LINA refused a command; details = LINA's output             |
//! | `BULK-ENTRY-NOT-ALLOWED`  | 400    | a bulk entry names an endpoint a bulk cannot carry          |
//! | `CONFIGURATION-CHANGED`   | 409    | the configuration kept moving while a write was planned; nothing applied |
//! | `PRECONDITION-FAILED`     | 412    | `If-Match` names no current ETag of the item; nothing changed |
//! | `SESSION-LIMIT`           | 503    | the context already holds the maximum number of tokens      |
//! | `LINA-UNAVAILABLE`        | 503    | the LINA connection is gone (the agent is about to restart) |
//! | `INTERNAL-ERROR`          | 500    | LINA protocol failure or an unrepresentable response header |

use std::fmt;

use bytes::Bytes;
use cli_translator::resources::{FieldError, FieldProblem};
use http_body_util::Full;
use hyper::header::{ALLOW, CONTENT_TYPE, ETAG, HeaderValue, WWW_AUTHENTICATE};
use hyper::{Method, Response, StatusCode};
use serde_json::json;

use crate::lina_client::LinaError;

/// The realm announced with every 401.
pub const REALM: &str = "Basic realm=\"ASA REST API\"";

/// Why a request failed. Each variant names one failure; [`ApiError::into_response`] is the
/// only mapping to HTTP.
#[derive(Debug)]
pub enum ApiError {
    /// Missing or wrong `x-asa-channel-secret`.
    ChannelForbidden,
    /// A header the front-end adds (or Host) is missing or malformed.
    ChannelHeader {
        header: &'static str,
        problem: String,
    },
    /// No usable credentials on the request.
    NoCredentials,
    /// LINA refused the credentials or the token.
    BadCredentials,
    /// An Authorization header that cannot be decoded.
    UndecodableCredentials(&'static str),
    /// The requested security context does not exist.
    NoSuchContext(String),
    /// `context` given on a URL that does not support security contexts.
    ContextNotSupported,
    /// The device is in multiple-context mode, where only the CLI executor, token services
    /// and monitoring are served (the inverse of [`ApiError::ContextNotSupported`]).
    NotInMultipleContextMode,
    /// A valid user below the privilege the request needs.
    InsufficientPrivilege { needed: u8, have: u8 },
    /// No route for this URL.
    UnknownPath(String),
    /// The URL names a resource type but no such object exists.
    ObjectNotFound(String),
    /// Verb not allowed on the URL.
    MethodNotAllowed {
        method: Method,
        allow: &'static [Method],
    },
    /// Query parameter this API does not know.
    UnknownQueryParameter(String),
    /// A known query parameter with a value it cannot take.
    BadQueryValue {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
    /// A path segment that is not UTF-8 after percent-decoding.
    BadPathEncoding(String),
    /// Body larger than the limit (bytes).
    BodyTooLarge(usize),
    /// The body stream failed (client went away, bad chunking).
    BodyRead(String),
    /// The body is empty where JSON is required.
    EmptyBody,
    /// The body is not valid JSON.
    JsonParse(serde_json::Error),
    /// Valid JSON, wrong shape.
    JsonType {
        context: String,
        expected: &'static str,
    },
    /// Valid JSON that does not fit the endpoint's declared schema.
    Schema(cli_translator::schema::Mismatch),
    /// A string with a control character; `path` names the attribute.
    ControlCharacter { path: String },
    /// The translator rejected an attribute.
    Field(FieldError),
    /// POST of an object that already exists.
    Duplicate(String),
    /// LINA refused a command; the text is LINA's output.
    Cli { command: String, output: String },
    /// A bulk entry for an endpoint that cannot be part of a bulk (named by its path).
    NotInBulk(String),
    /// Every attempt of a write found that the configuration had moved since the snapshot it
    /// was planned on (an out-of-band change each time): nothing was applied.
    ConfigurationChanged { attempts: usize },
    /// `If-Match` does not match the item's current ETag (given): nothing was changed.
    PreconditionFailed { current: String },
    /// The context already holds the maximum number of token sessions.
    SessionLimit,
    /// The LINA connection failed.
    Lina(LinaError),
    /// LINA answered something the agent cannot use.
    LinaAnswer(&'static str),
    /// A value the agent must put in a response header is not a valid header value.
    BadHeaderValue(&'static str),
}

impl ApiError {
    /// The HTTP status of this failure.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::ChannelForbidden | ApiError::InsufficientPrivilege { .. } => {
                StatusCode::FORBIDDEN
            }
            ApiError::NoCredentials | ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::UnknownPath(_) | ApiError::ObjectNotFound(_) => StatusCode::NOT_FOUND,
            ApiError::ConfigurationChanged { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::BodyTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::SessionLimit => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Lina(LinaError::Closed) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Lina(_) | ApiError::LinaAnswer(_) | ApiError::BadHeaderValue(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            ApiError::ChannelHeader { .. }
            | ApiError::UndecodableCredentials(_)
            | ApiError::NoSuchContext(_)
            | ApiError::ContextNotSupported
            | ApiError::NotInMultipleContextMode
            | ApiError::UnknownQueryParameter(_)
            | ApiError::BadQueryValue { .. }
            | ApiError::BadPathEncoding(_)
            | ApiError::BodyRead(_)
            | ApiError::EmptyBody
            | ApiError::JsonParse(_)
            | ApiError::JsonType { .. }
            | ApiError::Schema(_)
            | ApiError::ControlCharacter { .. }
            | ApiError::Field { .. }
            | ApiError::Duplicate(_)
            | ApiError::Cli { .. }
            | ApiError::NotInBulk(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// The ASA error code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::ChannelForbidden => "CHANNEL-FORBIDDEN",
            ApiError::ChannelHeader { .. } => "INVALID-CHANNEL-HEADER",
            ApiError::NoCredentials | ApiError::BadCredentials => "AUTHENTICATION-FAILED",
            ApiError::UndecodableCredentials(_) => "INVALID-CREDENTIALS",
            ApiError::NoSuchContext(_) => "INVALID-CONTEXT",
            ApiError::ContextNotSupported => "CONTEXT-NOT-SUPPORTED",
            ApiError::NotInMultipleContextMode => "NOT-SUPPORTED-IN-MULTIPLE-CONTEXT-MODE",
            ApiError::InsufficientPrivilege { .. } => "PRIVILEGE-INSUFFICIENT",
            ApiError::UnknownPath(_) | ApiError::ObjectNotFound(_) => "RESOURCE-NOT-FOUND",
            ApiError::MethodNotAllowed { .. } => "METHOD-NOT-ALLOWED",
            ApiError::UnknownQueryParameter(_) | ApiError::BadQueryValue { .. } => {
                "INVALID-QUERY-PARAMETER"
            }
            ApiError::BadPathEncoding(_) => "INVALID-URL",
            ApiError::BodyTooLarge(_) => "REQUEST-TOO-LARGE",
            ApiError::BodyRead(_) => "BODY-READ-ERROR",
            ApiError::EmptyBody | ApiError::JsonParse(_) => "JSON-PARSE-ERROR",
            ApiError::JsonType { .. } | ApiError::Schema(_) => "JSON-TYPE-ERROR",
            ApiError::Field(FieldError {
                problem: FieldProblem::ReadOnly,
                ..
            }) => "READ-ONLY-FIELD",
            ApiError::Field(FieldError {
                problem: FieldProblem::Mismatch,
                ..
            }) => "ID-MISMATCH",
            ApiError::ControlCharacter { .. } | ApiError::Field(_) => "INVALID-INPUT",
            ApiError::Duplicate(_) => "DUPLICATE",
            ApiError::Cli { .. } => "CLI-ERROR",
            ApiError::NotInBulk(_) => "BULK-ENTRY-NOT-ALLOWED",
            ApiError::ConfigurationChanged { .. } => "CONFIGURATION-CHANGED",
            ApiError::PreconditionFailed { .. } => "PRECONDITION-FAILED",
            ApiError::SessionLimit => "SESSION-LIMIT",
            ApiError::Lina(LinaError::Closed) => "LINA-UNAVAILABLE",
            ApiError::Lina(_) | ApiError::LinaAnswer(_) | ApiError::BadHeaderValue(_) => {
                "INTERNAL-ERROR"
            }
        }
    }

    /// The attribute the failure is about, or "".
    pub fn context(&self) -> String {
        match self {
            ApiError::ChannelHeader { header, .. } => (*header).to_owned(),
            ApiError::UnknownQueryParameter(name) => name.clone(),
            ApiError::BadQueryValue { name, .. } => (*name).to_owned(),
            ApiError::NoSuchContext(_) | ApiError::ContextNotSupported => "context".to_owned(),
            ApiError::JsonType { context, .. } => context.clone(),
            ApiError::Schema(m) => m.at.clone(),
            ApiError::ControlCharacter { path } => path.clone(),
            ApiError::Field(e) => e.attribute.clone(),
            ApiError::PreconditionFailed { .. } => "If-Match".to_owned(),
            _ => String::new(),
        }
    }

    /// The error as one message of an error body (also used per entry by the bulk API).
    pub fn message(&self) -> serde_json::Value {
        json!({
            "level": "Error",
            "code": self.code(),
            "context": self.context(),
            "details": self.to_string(),
        })
    }

    /// Builds the full HTTP response: status, the headers some statuses require, the body.
    pub fn into_response(self) -> Response<Full<Bytes>> {
        let body = json!({ "messages": [self.message()] });
        let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
        *response.status_mut() = self.status();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        match &self {
            ApiError::NoCredentials | ApiError::BadCredentials => {
                headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static(REALM));
            }
            ApiError::PreconditionFailed { current } => {
                // The tag the item has now, so a client can read and decide again.
                if let Ok(v) = HeaderValue::from_str(current) {
                    headers.insert(ETAG, v);
                }
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                let list: Vec<&str> = allow.iter().map(Method::as_str).collect();
                if let Ok(v) = HeaderValue::from_str(&list.join(", ")) {
                    headers.insert(ALLOW, v);
                }
            }
            _ => {}
        }
        response
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::ChannelForbidden => {
                f.write_str("Request refused: it did not come through the REST API daemon.")
            }
            ApiError::ChannelHeader { header, problem } => {
                write!(f, "Invalid {header} header: {problem}.")
            }
            ApiError::NoCredentials => f.write_str(
                "Authentication required: send an X-Auth-Token header or HTTP Basic credentials.",
            ),
            ApiError::BadCredentials => {
                f.write_str("Authentication failed: invalid credentials or token.")
            }
            ApiError::UndecodableCredentials(why) => {
                write!(f, "The Authorization header cannot be decoded: {why}.")
            }
            ApiError::NoSuchContext(name) => write!(f, "No security context named '{name}'."),
            ApiError::NotInMultipleContextMode => f.write_str(
                "This resource is not supported in multiple-context mode: only the CLI executor (/api/cli), token services (/api/tokenservices) and monitoring (/api/monitoring) are available.",
            ),
            ApiError::ContextNotSupported => f.write_str(
                "The 'context' parameter is supported only by /api/cli, /api/tokenservices and /api/commands/writemem.",
            ),
            ApiError::InsufficientPrivilege { needed, have } => write!(
                f,
                "Insufficient privilege: this request needs level {needed}, the user has level {have}."
            ),
            ApiError::UnknownPath(path) => write!(f, "RESOURCE-NOT-FOUND: {path}"),
            ApiError::ObjectNotFound(id) => write!(f, "RESOURCE-NOT-FOUND: {id}"),
            ApiError::MethodNotAllowed { method, allow } => {
                let list: Vec<&str> = allow.iter().map(Method::as_str).collect();
                write!(
                    f,
                    "Method {method} is not allowed on this resource; allowed: {}.",
                    list.join(", ")
                )
            }
            ApiError::UnknownQueryParameter(name) => {
                write!(f, "Unrecognized query parameter '{name}'.")
            }
            ApiError::BadQueryValue {
                name,
                value,
                expected,
            } => write!(
                f,
                "Invalid value '{value}' for query parameter '{name}': expected {expected}."
            ),
            ApiError::BadPathEncoding(segment) => {
                write!(f, "URL path segment '{segment}' is not valid UTF-8 once decoded.")
            }
            ApiError::BodyTooLarge(limit) => {
                write!(f, "Request body exceeds the limit of {limit} bytes.")
            }
            ApiError::BodyRead(why) => write!(f, "The request body could not be read: {why}."),
            ApiError::EmptyBody => {
                f.write_str("Empty request body: a JSON object is required.")
            }
            ApiError::JsonParse(e) => write!(f, "Invalid JSON: {e}."),
            ApiError::JsonType { context, expected } => {
                if context.is_empty() {
                    write!(f, "The request body must be {expected}.")
                } else {
                    write!(f, "Attribute '{context}' must be {expected}.")
                }
            }
            ApiError::Schema(m) if m.expected == "given" => {
                write!(f, "Attribute '{}' is required.", m.at)
            }
            ApiError::Schema(m) if m.at.is_empty() => {
                write!(f, "The request body must be {}.", m.expected)
            }
            ApiError::Schema(m) => write!(f, "Attribute '{}' must be {}.", m.at, m.expected),
            ApiError::ControlCharacter { path } => write!(
                f,
                "Attribute '{path}' contains a newline or another control character."
            ),
            ApiError::Field(e) => {
                let text = e.to_string();
                if text.ends_with('.') {
                    f.write_str(&text)
                } else {
                    write!(f, "{text}.")
                }
            }
            ApiError::Duplicate(id) => write!(f, "An object named '{id}' already exists."),
            ApiError::Cli { command, output } => {
                let output = output.trim_end();
                if output.is_empty() {
                    write!(f, "Command '{command}' failed.")
                } else {
                    f.write_str(output)
                }
            }
            ApiError::NotInBulk(path) => write!(
                f,
                "'{path}' cannot be part of a bulk request: only POST, PUT, PATCH and DELETE on configuration resources can."
            ),
            ApiError::ConfigurationChanged { attempts } => write!(
                f,
                "The configuration changed while this request was being applied ({attempts} attempts); nothing was applied. Read the resource again and retry."
            ),
            ApiError::PreconditionFailed { current } => write!(
                f,
                "If-Match does not match the current ETag {current} of this resource; nothing was changed."
            ),
            ApiError::SessionLimit => f.write_str(
                "Maximum number of sessions reached for this context; delete a token and retry.",
            ),
            ApiError::Lina(e) => write!(f, "Device communication failed: {e}."),
            ApiError::LinaAnswer(what) => write!(f, "Unexpected answer from the device: {what}."),
            ApiError::BadHeaderValue(header) => {
                write!(f, "The {header} response header cannot be represented.")
            }
        }
    }
}

impl std::error::Error for ApiError {}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Field(e)
    }
}

impl From<LinaError> for ApiError {
    fn from(e: LinaError) -> Self {
        ApiError::Lina(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    fn body_of(resp: Response<Full<Bytes>>) -> serde_json::Value {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let bytes = rt.block_on(async { resp.into_body().collect().await.unwrap().to_bytes() });
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn not_found_details_contain_the_code_and_the_id() {
        let resp = ApiError::ObjectNotFound("obj-42".into()).into_response();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            resp.headers()[CONTENT_TYPE].to_str().unwrap(),
            "application/json"
        );
        let body = body_of(resp);
        assert_eq!(body["messages"][0]["code"], "RESOURCE-NOT-FOUND");
        assert_eq!(body["messages"][0]["level"], "Error");
        assert_eq!(body["messages"][0]["details"], "RESOURCE-NOT-FOUND: obj-42");
        assert_eq!(body["messages"][0]["context"], "");
    }

    #[test]
    fn unauthorized_carries_the_basic_challenge() {
        for e in [ApiError::NoCredentials, ApiError::BadCredentials] {
            let resp = e.into_response();
            assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
            assert_eq!(resp.headers()[WWW_AUTHENTICATE], REALM);
        }
    }

    #[test]
    fn method_not_allowed_lists_the_allowed_verbs() {
        let resp = ApiError::MethodNotAllowed {
            method: Method::DELETE,
            allow: &[Method::GET, Method::POST],
        }
        .into_response();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(resp.headers()[ALLOW], "GET, POST");
        assert_eq!(body_of(resp)["messages"][0]["code"], "METHOD-NOT-ALLOWED");
    }

    #[test]
    fn field_errors_name_the_attribute_in_context() {
        let resp = ApiError::Field(FieldError::new(
            "host.value",
            FieldProblem::BadValue("not an IPv4 address".into()),
        ))
        .into_response();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        let body = body_of(resp);
        assert_eq!(body["messages"][0]["context"], "host.value");
        assert_eq!(body["messages"][0]["code"], "INVALID-INPUT");
    }

    #[test]
    fn json_parse_errors_report_line_and_column() {
        let e = serde_json::from_str::<serde_json::Value>("{\"a\":").unwrap_err();
        let resp = ApiError::JsonParse(e).into_response();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        let details = body_of(resp)["messages"][0]["details"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(details.contains("line 1 column"), "{details}");
    }

    #[test]
    fn status_mapping_for_the_documented_cases() {
        let cases: Vec<(ApiError, u16, &str)> = vec![
            (ApiError::ChannelForbidden, 403, "CHANNEL-FORBIDDEN"),
            (
                ApiError::InsufficientPrivilege {
                    needed: 15,
                    have: 5,
                },
                403,
                "PRIVILEGE-INSUFFICIENT",
            ),
            (
                ApiError::UndecodableCredentials("not base64"),
                400,
                "INVALID-CREDENTIALS",
            ),
            (ApiError::Duplicate("a".into()), 400, "DUPLICATE"),
            (
                ApiError::Cli {
                    command: "no object network a".into(),
                    output: "ERROR: in use\n".into(),
                },
                400,
                "CLI-ERROR",
            ),
            (ApiError::SessionLimit, 503, "SESSION-LIMIT"),
            (
                ApiError::ConfigurationChanged { attempts: 4 },
                409,
                "CONFIGURATION-CHANGED",
            ),
            (
                ApiError::PreconditionFailed {
                    current: "\"00\"".into(),
                },
                412,
                "PRECONDITION-FAILED",
            ),
            (ApiError::BodyTooLarge(10), 413, "REQUEST-TOO-LARGE"),
            (ApiError::Lina(LinaError::Closed), 503, "LINA-UNAVAILABLE"),
            (
                ApiError::UnknownQueryParameter("foo".into()),
                400,
                "INVALID-QUERY-PARAMETER",
            ),
            (
                ApiError::UnknownPath("/api/nope".into()),
                404,
                "RESOURCE-NOT-FOUND",
            ),
        ];
        for (e, status, code) in cases {
            assert_eq!(e.status().as_u16(), status, "{e:?}");
            assert_eq!(e.code(), code, "{e:?}");
        }
    }

    #[test]
    fn a_failed_precondition_carries_the_current_etag() {
        let resp = ApiError::PreconditionFailed {
            current: "\"0123\"".into(),
        }
        .into_response();
        assert_eq!(resp.status(), StatusCode::PRECONDITION_FAILED);
        assert_eq!(resp.headers()[ETAG], "\"0123\"");
        let body = body_of(resp);
        assert_eq!(body["messages"][0]["code"], "PRECONDITION-FAILED");
        assert_eq!(body["messages"][0]["context"], "If-Match");
    }

    #[test]
    fn cli_error_details_are_linas_output() {
        let e = ApiError::Cli {
            command: "no object network a".into(),
            output: "ERROR: object (a) is in use\n".into(),
        };
        assert_eq!(e.to_string(), "ERROR: object (a) is in use");
    }
}
