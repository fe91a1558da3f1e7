//! The agent process's answers to the daemon itself, on the loopback channel and only with the
//! channel secret: `/_agent/health` (200 while the LINA connection is up, else 503) for the
//! daemon's `/healthz`, and `/_agent/metrics` (this process's Prometheus text) for its
//! `/metrics`. Clients never reach these: the front-end forwards only `/api` and `/doc`.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{HeaderMap, Response, StatusCode};

use super::auth;
use super::response::ApiResponse;
use super::state::AppState;

/// The prefix of the daemon-only paths.
pub const PREFIX: &str = "/_agent/";
pub const HEALTH: &str = "/_agent/health";
pub const METRICS: &str = "/_agent/metrics";

/// Whether `path` is one of the daemon-only paths.
pub fn is_internal(path: &str) -> bool {
    path.starts_with(PREFIX)
}

/// Answers a daemon-only request.
pub fn handle(state: &AppState, path: &str, headers: &HeaderMap) -> ApiResponse {
    if auth::check_channel(headers, &state.secret).is_err() {
        return text(StatusCode::FORBIDDEN, String::new());
    }
    match path {
        HEALTH if state.lina.is_closed() => text(StatusCode::SERVICE_UNAVAILABLE, String::new()),
        HEALTH => text(StatusCode::OK, String::new()),
        METRICS => {
            let mut response = text(StatusCode::OK, crate::metrics::worker().render());
            response.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static(crate::metrics::CONTENT_TYPE),
            );
            response
        }
        _ => text(StatusCode::NOT_FOUND, String::new()),
    }
}

fn text(status: StatusCode, body: String) -> ApiResponse {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_prefix_is_internal() {
        assert!(is_internal(HEALTH) && is_internal(METRICS));
        assert!(!is_internal("/api/_agent/health"));
        assert!(!is_internal("/_agentx"));
    }
}
