//! Token services: `POST /api/tokenservices` (Basic credentials, empty body) answers 204 with
//! `X-Auth-Token`; `DELETE /api/tokenservices/<token>` (Basic credentials) answers 204. LINA
//! keeps the tokens.

use std::net::IpAddr;

use cli_translator::protocol::{Credential, TokenCreate, TokenDelete, TokenFailure, TokenResult};
use hyper::header::HeaderName;
use hyper::{HeaderMap, StatusCode};

use crate::api::auth::{self, TOKEN_HEADER};
use crate::api::error::ApiError;
use crate::api::response::{self, ApiResponse};
use crate::api::state::AppState;

/// `POST /api/tokenservices`: Basic credentials only (a token cannot make a token).
pub async fn create(
    state: &AppState,
    headers: &HeaderMap,
    context: Option<&str>,
    source: IpAddr,
) -> Result<ApiResponse, ApiError> {
    let (username, password) = auth::basic(headers)?.ok_or(ApiError::NoCredentials)?;
    let result = state
        .lina
        .token_create(TokenCreate {
            username,
            password,
            context: context.map(str::to_owned),
            source,
        })
        .await?;
    match result {
        TokenResult::Created { token } => {
            crate::metrics::worker().tokens_changed(context, 1);
            response::with_header(
                StatusCode::NO_CONTENT,
                HeaderName::from_static(TOKEN_HEADER),
                &token,
                "X-Auth-Token",
            )
        }
        TokenResult::Deleted => Err(ApiError::LinaAnswer(
            "a deletion in answer to a token request",
        )),
        TokenResult::Refused(failure) => Err(refusal(failure, context)),
    }
}

/// `DELETE /api/tokenservices/<token>`: Cisco's text asks for "user information in the basic
/// authentication header"; without it the answer is 401. LINA checks the credentials and logs
/// 605005 or 605004.
pub async fn delete(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
    context: Option<&str>,
    source: IpAddr,
) -> Result<ApiResponse, ApiError> {
    let (username, password) = auth::basic(headers)?.ok_or(ApiError::NoCredentials)?;
    let credential = Some(Credential::Basic { username, password });
    let result = state
        .lina
        .token_delete(TokenDelete {
            token: token.to_owned(),
            credential,
            context: context.map(str::to_owned),
            source,
        })
        .await?;
    match result {
        TokenResult::Deleted => {
            crate::metrics::worker().tokens_changed(context, -1);
            Ok(response::empty(StatusCode::NO_CONTENT))
        }
        TokenResult::Created { .. } => {
            Err(ApiError::LinaAnswer("a new token in answer to a deletion"))
        }
        TokenResult::Refused(TokenFailure::UnknownToken) => Err(ApiError::BadCredentials),
        TokenResult::Refused(failure) => Err(refusal(failure, context)),
    }
}

fn refusal(failure: TokenFailure, context: Option<&str>) -> ApiError {
    match failure {
        TokenFailure::BadCredentials | TokenFailure::UnknownToken => ApiError::BadCredentials,
        TokenFailure::LimitReached => ApiError::SessionLimit,
        TokenFailure::NoSuchContext => {
            ApiError::NoSuchContext(context.unwrap_or_default().to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_map_to_the_documented_statuses() {
        assert_eq!(
            refusal(TokenFailure::BadCredentials, None)
                .status()
                .as_u16(),
            401
        );
        assert_eq!(
            refusal(TokenFailure::UnknownToken, None).status().as_u16(),
            401
        );
        assert_eq!(
            refusal(TokenFailure::LimitReached, None).status().as_u16(),
            503
        );
        assert_eq!(
            refusal(TokenFailure::NoSuchContext, Some("c9"))
                .status()
                .as_u16(),
            400
        );
    }
}
