//! The per-request pipeline: channel secret, front-end headers, query, route, body,
//! authentication (one LINA round trip), verb and privilege checks, then the handler.
//! Every failure becomes its response in `error.rs`; nothing here can panic on input.

use std::sync::Arc;

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::{Method, Request};
use tracing::Instrument;

use super::auth;
use super::catalogue::Routed;
use super::error::ApiError;
use super::handlers::{self, Call, resource::Scope};
use super::json_body;
use super::links::Origin;
use super::plan::Preconditions;
use super::query;
use super::response::ApiResponse;
use super::router::{self, Target};
use super::state::AppState;

/// Answers one request. Never fails: errors are rendered as ASA error bodies.
pub async fn handle(state: Arc<AppState>, req: Request<Incoming>) -> ApiResponse {
    let id = state.next_request_id();
    let span = tracing::info_span!(
        "request",
        id,
        method = %req.method(),
        path = %loggable_path(req.uri().path()),
        user = tracing::field::Empty,
    );
    // A clone of the URI shares its bytes (no copy of the path per request).
    let (method, uri) = (req.method().clone(), req.uri().clone());
    crate::debug::request_received(&method, loggable_path(uri.path()));
    let started = std::time::Instant::now();
    async move {
        let path = loggable_path(uri.path());
        let mut refusal = None;
        // Not boxed: a box of the pipeline's future (about 2.7 KiB) is past glibc's per-thread
        // cache (1 KiB), so each request would take the allocator's slow path and consolidate
        // its free lists (`_int_malloc`, `malloc_consolidate`: 2 us of a GET under load, issue
        // 10 item 9). The future is kept small instead: the rare, large handlers and the
        // snapshot's reload are boxed where they are awaited.
        let response = match pipeline(&state, req).await {
            Ok(response) => response,
            Err(e) => {
                refusal = Some(e.code());
                if e.status().is_server_error() {
                    tracing::warn!(error = %e, code = e.code(), "request failed");
                } else {
                    tracing::debug!(error = %e, code = e.code(), "request refused");
                }
                e.into_response()
            }
        };
        tracing::info!(status = response.status().as_u16(), "answered");
        state
            .stats
            .record(&method, response.status(), started.elapsed());
        crate::debug::request_answered(&method, path, response.status().as_u16(), refusal);
        response
    }
    .instrument(span)
    .await
}

/// The path as it may appear in logs: a token in the URL is not shown.
fn loggable_path(path: &str) -> &str {
    if path.len() > "/api/tokenservices/".len() && path.starts_with("/api/tokenservices/") {
        "/api/tokenservices/<token>"
    } else {
        path
    }
}

async fn pipeline(state: &AppState, req: Request<Incoming>) -> Result<ApiResponse, ApiError> {
    let (parts, body) = req.into_parts();
    auth::check_channel(&parts.headers, &state.secret)?;
    let source = auth::client_ip(&parts.headers)?;
    let user = auth::basic(&parts.headers).ok().flatten().map(|(u, _)| u);
    let result = authenticated(state, parts, body, source).await;
    // Refused logins are answered late, the more so the more a source or user fails.
    match &result {
        Err(ApiError::BadCredentials) => {
            let delay = state
                .logins
                .failed(source, user.as_deref(), std::time::Instant::now());
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
        }
        Ok(_) => {
            if let Some(user) = &user {
                state.logins.succeeded(user);
            }
        }
        Err(_) => {}
    }
    result
}

/// The pipeline once the channel and the client address are known.
async fn authenticated(
    state: &AppState,
    parts: hyper::http::request::Parts,
    body: Incoming,
    source: std::net::IpAddr,
) -> Result<ApiResponse, ApiError> {
    let origin = Origin::from_headers(&parts.headers)?;
    let query = query::parse(parts.uri.query())?;
    let routed = router::route(parts.uri.path());
    // Read (and so drain) the body whatever the verb, keeping the connection reusable;
    // GET and DELETE then ignore it.
    let body: Bytes = json_body::read(body, state.body_limit).await?;
    let method = &parts.method;

    match &routed {
        Ok(Routed {
            endpoint,
            target: Target::Tokens,
        }) => {
            endpoint.check_method(method)?;
            return Box::pin(handlers::tokens::create(
                state,
                &parts.headers,
                query.context.as_deref(),
                source,
            ))
            .await;
        }
        Ok(Routed {
            endpoint,
            target: Target::Token(token),
        }) => {
            endpoint.check_method(method)?;
            return Box::pin(handlers::tokens::delete(
                state,
                &parts.headers,
                token,
                query.context.as_deref(),
                source,
            ))
            .await;
        }
        _ => {}
    }

    let credential = auth::credential(&parts.headers)?;
    let session =
        auth::authenticate(&state.lina, credential, query.context.as_deref(), source).await?;
    tracing::Span::current().record("user", session.username.as_str());
    let Routed { endpoint, target } = routed?;
    super::multi_context::check(state.facts.context_mode, endpoint)?;
    endpoint.check_method(method)?;
    if let Some(needed) = endpoint.privilege(method) {
        auth::require(&session, needed)?;
    }
    if query.context.is_some() && !endpoint.multi_context {
        return Err(ApiError::ContextNotSupported);
    }
    // A bulk request's entries are validated one by one (each against its own endpoint),
    // so that a bad entry is reported in `entryMessages` like any other failing entry.
    if target != Target::Bulk {
        endpoint.validate(method, &body)?;
    }
    let call = Call {
        state,
        session,
        source,
        origin,
        query,
        stage: None,
        preconditions: Preconditions::from_headers(&parts.headers),
    };
    if target == Target::Bulk {
        return Box::pin(handlers::bulk::run(&call, &body)).await;
    }
    dispatch(call, target, method, parts.uri.path(), body).await
}

/// Runs the handler of an authenticated request whose verb and privilege are checked: the
/// tail of the pipeline, shared with the bulk API (which calls it once per entry with the
/// entry's call, staged). A bulk target here (a nested bulk) is refused.
pub async fn dispatch(
    call: Call<'_>,
    target: Target,
    method: &Method,
    path: &str,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    // Every arm but the resource handlers is boxed, and those box their writes: the future
    // of this function is as large as its largest arm, and an item or collection GET (the
    // common case) then builds and moves a small one.
    match target {
        Target::Cli => Box::pin(handlers::cli::run(&call, &body)).await,
        Target::Bulk => Err(ApiError::NotInBulk(path.to_owned())),
        Target::Backup => Box::pin(handlers::backup::backup(&call, &body)).await,
        Target::Restore => Box::pin(handlers::backup::restore(&call, &body)).await,
        Target::WriteMem => Box::pin(handlers::writemem::run(&call)).await,
        Target::SerialNumber => Ok(handlers::monitoring::serial_number(&call)),
        Target::Monitoring(t) => Box::pin(handlers::monitoring::handle(t, &call)).await,
        Target::Collection(kind) => {
            handlers::resource::handle(kind, &call, method, Scope::Collection, body).await
        }
        Target::Item(kind, id) => {
            handlers::resource::handle(kind, &call, method, Scope::Item(&id), body).await
        }
        Target::Access(t) => Box::pin(handlers::acl::handle(t, &call, method, body)).await,
        Target::Setting(k) => Box::pin(handlers::settings::handle(k, &call, method, body)).await,
        Target::Interfaces(t) => {
            Box::pin(handlers::interfaces::handle(t, &call, method, body)).await
        }
        Target::Nat(t) => Box::pin(handlers::nat::handle(t, &call, method, body)).await,
        // issue 14: DHCP
        Target::Dhcp(t) => Box::pin(handlers::dhcp::handle(t, &call, method, body)).await,
        Target::Dns(t) => Box::pin(handlers::dns::handle(t, &call, method, body)).await,
        Target::OpenApi => Ok(super::openapi::answer(&call)),
        Target::Doc(page) => Box::pin(super::doc::answer(&call, &page)).await,
        // issue 15: certificates
        Target::Certificates(t) => {
            Box::pin(handlers::certificates::handle(t, &call, method, body)).await
        }
        // issue 15: site-to-site VPN
        Target::CryptoMapEntries(nameif) => {
            Box::pin(handlers::vpn::entries_of_interface(&call, &nameif)).await
        }
        // issue 14: logging, failover, licensing
        Target::Platform(t) => Box::pin(handlers::platform::handle(t, &call, method, body)).await,
        // Answered before authentication; never reached.
        Target::Tokens | Target::Token(_) => Err(ApiError::UnknownPath(path.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_urls_are_not_logged() {
        assert_eq!(
            loggable_path("/api/tokenservices/abcdef"),
            "/api/tokenservices/<token>"
        );
        assert_eq!(loggable_path("/api/tokenservices/"), "/api/tokenservices/");
        assert_eq!(
            loggable_path("/api/objects/networkobjects"),
            "/api/objects/networkobjects"
        );
    }
}
