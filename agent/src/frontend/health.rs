//! `GET /healthz` on the API listener, unauthenticated: 200 `{"status":"ok"}` when the agent
//! process answers over its channel and holds its LINA connection, 503
//! `{"status":"unavailable"}` otherwise. It says nothing else (no version, no host name).

use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::forward::{AgentClient, CHANNEL_SECRET};
use super::rejection::{ResponseBody, full};
use crate::supervisor::{AgentState, ReadyAgent};

/// The path.
pub const PATH: &str = "/healthz";

/// How long the agent process may take to answer.
const TIMEOUT: Duration = Duration::from_secs(2);

/// Whether the request is for the health check (any method: others get 405).
pub fn is_health(path: &str) -> bool {
    path == PATH
}

/// The answer to a request for [`PATH`].
pub async fn answer(
    method: &Method,
    agent: &AgentState,
    client: &AgentClient,
) -> Response<ResponseBody> {
    if method != Method::GET && method != Method::HEAD {
        let mut response = body(StatusCode::METHOD_NOT_ALLOWED, "");
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let healthy = match agent {
        AgentState::Ready(ready) => agent_healthy(ready, client).await,
        _ => false,
    };
    let (status, text) = if healthy {
        (StatusCode::OK, r#"{"status":"ok"}"#)
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            r#"{"status":"unavailable"}"#,
        )
    };
    let mut response = body(status, if method == Method::HEAD { "" } else { text });
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn body(status: StatusCode, text: &'static str) -> Response<ResponseBody> {
    let mut response = Response::new(full(text));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Asks the agent process `GET /_agent/health` with the channel secret.
async fn agent_healthy(agent: &ReadyAgent, client: &AgentClient) -> bool {
    get_internal(agent, client, crate::api::internal::HEALTH)
        .await
        .is_some_and(|(status, _)| status == StatusCode::OK)
}

/// `GET <path>` on the agent process's channel; the status and body, or `None` when it did not
/// answer in time.
pub async fn get_internal(
    agent: &ReadyAgent,
    client: &AgentClient,
    path: &str,
) -> Option<(StatusCode, Bytes)> {
    let request = Request::get(format!("http://{}{path}", agent.addr))
        .header(HeaderName::from_static(CHANNEL_SECRET), agent.secret())
        .body(Full::new(Bytes::new()))
        .ok()?;
    let response = tokio::time::timeout(TIMEOUT, client.request(request))
        .await
        .ok()?
        .ok()?;
    let status = response.status();
    let body = tokio::time::timeout(
        TIMEOUT,
        http_body_util::BodyExt::collect(response.into_body()),
    )
    .await
    .ok()?
    .ok()?
    .to_bytes();
    Some((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn unavailable_agent_is_503_and_says_nothing_else() {
        let client = super::super::forward::agent_client();
        for state in [
            AgentState::Starting,
            AgentState::Restarting,
            AgentState::GaveUp,
            AgentState::Disabled,
            AgentState::Stopped,
        ] {
            let response = answer(&Method::GET, &state, &client).await;
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            assert_eq!(&body[..], br#"{"status":"unavailable"}"#);
        }
        let response = answer(&Method::POST, &AgentState::Starting, &client).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    }

    #[tokio::test]
    async fn an_agent_that_does_not_answer_is_unhealthy() {
        // Nothing listens on port 9 of loopback (discard): the connection is refused.
        let agent = ReadyAgent::new("127.0.0.1:9".parse().unwrap(), "s".into());
        let client = super::super::forward::agent_client();
        let response = answer(&Method::GET, &AgentState::Ready(agent), &client).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}
