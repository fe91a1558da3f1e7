//! Who is asking and may they: the channel secret, credentials from the headers
//! (`X-Auth-Token` first, else HTTP Basic), the one LINA round trip that authenticates every
//! request, and the privilege each request needs.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cli_translator::protocol::{AuthFailure, Authenticate, Credential, Session};
use hyper::header::{AUTHORIZATION, HeaderName};
use hyper::{HeaderMap, Method};

use super::error::ApiError;
use crate::lina_client::LinaClient;

/// Header the front-end adds with the per-spawn secret.
pub const SECRET_HEADER: &str = "x-asa-channel-secret";
/// Header the front-end adds with the client's `ip:port`.
pub const CLIENT_HEADER: &str = "x-asa-client";
/// Header carrying a token from `POST /api/tokenservices`.
pub const TOKEN_HEADER: &str = "x-auth-token";

// The same as header names: a lookup by `&str` parses the name on every request.
const SECRET_NAME: HeaderName = HeaderName::from_static(SECRET_HEADER);
const CLIENT_NAME: HeaderName = HeaderName::from_static(CLIENT_HEADER);
const TOKEN_NAME: HeaderName = HeaderName::from_static(TOKEN_HEADER);

/// Monitoring URLs need this level.
pub const MONITORING_PRIVILEGE: u8 = 3;
/// Every other read needs this level (also `/api/cli` with only `show` commands).
pub const READ_PRIVILEGE: u8 = 5;
/// Writes need this level.
pub const WRITE_PRIVILEGE: u8 = 15;

/// Refuses a request whose `x-asa-channel-secret` is not `secret` (compared in constant time).
pub fn check_channel(headers: &HeaderMap, secret: &[u8]) -> Result<(), ApiError> {
    match headers.get(SECRET_NAME) {
        Some(v) if constant_time_eq(v.as_bytes(), secret) => Ok(()),
        _ => Err(ApiError::ChannelForbidden),
    }
}

/// Equality whose time does not depend on where the inputs differ (only on their lengths).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The client's IP address from `x-asa-client: <ip>:<port>` (or a bare IP).
pub fn client_ip(headers: &HeaderMap) -> Result<IpAddr, ApiError> {
    let bad = |problem: &str| ApiError::ChannelHeader {
        header: CLIENT_HEADER,
        problem: problem.to_owned(),
    };
    let text = headers
        .get(CLIENT_NAME)
        .ok_or_else(|| bad("missing"))?
        .to_str()
        .map_err(|_| bad("not ASCII"))?;
    if let Ok(sa) = text.parse::<std::net::SocketAddr>() {
        return Ok(sa.ip());
    }
    text.parse::<IpAddr>()
        .map_err(|_| bad("expected <ip>:<port>"))
}

/// The credentials of a request: `X-Auth-Token` first, else HTTP Basic.
/// `Ok(None)` when the request carries neither.
pub fn credential(headers: &HeaderMap) -> Result<Option<Credential>, ApiError> {
    if let Some(token) = headers.get(TOKEN_NAME) {
        let token = token
            .to_str()
            .map_err(|_| ApiError::UndecodableCredentials("the X-Auth-Token is not ASCII"))?
            .trim();
        if !token.is_empty() {
            return Ok(Some(Credential::Token(token.to_owned())));
        }
    }
    Ok(basic(headers)?.map(|(username, password)| Credential::Basic { username, password }))
}

/// HTTP Basic credentials (user, password) from the Authorization header.
/// `Ok(None)` without an Authorization header or with another scheme.
pub fn basic(headers: &HeaderMap) -> Result<Option<(String, String)>, ApiError> {
    match headers.get(AUTHORIZATION) {
        None => Ok(None),
        Some(v) => decode_basic(v.as_bytes()),
    }
}

/// Decodes an Authorization header value. `Ok(None)` for a scheme other than Basic.
pub fn decode_basic(value: &[u8]) -> Result<Option<(String, String)>, ApiError> {
    let value = std::str::from_utf8(value)
        .map_err(|_| ApiError::UndecodableCredentials("the header is not ASCII"))?
        .trim();
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let encoded = rest.trim();
    if encoded.is_empty() {
        return Err(ApiError::UndecodableCredentials(
            "no credentials after 'Basic'",
        ));
    }
    let raw = STANDARD
        .decode(encoded)
        .map_err(|_| ApiError::UndecodableCredentials("not valid base64"))?;
    let text = String::from_utf8(raw)
        .map_err(|_| ApiError::UndecodableCredentials("the credentials are not UTF-8"))?;
    let (user, password) = text
        .split_once(':')
        .ok_or(ApiError::UndecodableCredentials(
            "no ':' between user and password",
        ))?;
    Ok(Some((user.to_owned(), password.to_owned())))
}

/// One LINA round trip: who the user is, their privilege, and the configuration generation.
pub async fn authenticate(
    lina: &LinaClient,
    credential: Option<Credential>,
    context: Option<&str>,
    source: IpAddr,
) -> Result<Session, ApiError> {
    let credential = credential.ok_or(ApiError::NoCredentials)?;
    let basic_user = match &credential {
        Credential::Basic { username, .. } => Some(username.clone()),
        Credential::Token(_) => None,
    };
    let verdict = lina
        .authenticate(Authenticate {
            credential,
            context: context.map(str::to_owned),
            source,
        })
        .await?;
    match verdict {
        Ok(session) => {
            super::audit::set_user(&session.username);
            if basic_user.is_some() {
                super::audit::login_succeeded(lina, &session.username, source);
            }
            Ok(session)
        }
        Err(AuthFailure::BadCredentials) => {
            if let Some(user) = &basic_user {
                super::audit::login_refused(lina, user, source);
            }
            Err(ApiError::BadCredentials)
        }
        Err(AuthFailure::NoSuchContext) => Err(ApiError::NoSuchContext(
            context.unwrap_or_default().to_owned(),
        )),
    }
}

/// The level a request needs from its method and decoded path. `/api/cli` is refined by
/// [`cli_privilege`] once its commands are known; token services need only a valid user.
pub fn required_privilege(method: &Method, path: &str) -> u8 {
    let monitoring = path == "/api/monitoring" || path.starts_with("/api/monitoring/");
    if *method == Method::GET {
        if monitoring {
            MONITORING_PRIVILEGE
        } else {
            READ_PRIVILEGE
        }
    } else {
        WRITE_PRIVILEGE
    }
}

/// `/api/cli` needs level 15 unless every command is a `show` command.
pub fn cli_privilege<S: AsRef<str>>(commands: &[S]) -> u8 {
    if !commands.is_empty() && commands.iter().all(|c| is_show(c.as_ref())) {
        READ_PRIVILEGE
    } else {
        WRITE_PRIVILEGE
    }
}

/// Whether a command is `show ...` (the ASA accepts the abbreviations `sh` and `sho`).
pub fn is_show(command: &str) -> bool {
    let word = command.split_whitespace().next().unwrap_or("");
    word.len() >= 2 && "show".starts_with(&word.to_ascii_lowercase())
}

/// Refuses a session below `needed`.
pub fn require(session: &Session, needed: u8) -> Result<(), ApiError> {
    if session.privilege >= needed {
        Ok(())
    } else {
        Err(ApiError::InsufficientPrivilege {
            needed,
            have: session.privilege,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;
    use proptest::prelude::*;

    fn basic_header(user_pass: &str) -> Vec<u8> {
        format!("Basic {}", STANDARD.encode(user_pass)).into_bytes()
    }

    #[test]
    fn decodes_basic_credentials() {
        assert_eq!(
            decode_basic(&basic_header("admin:pa:ss")).unwrap(),
            Some(("admin".to_owned(), "pa:ss".to_owned()))
        );
        assert_eq!(
            decode_basic(b"basic YTpi").unwrap(),
            Some(("a".to_owned(), "b".to_owned()))
        );
    }

    #[test]
    fn undecodable_basic_is_a_400_error() {
        for bad in [
            &b"Basic !!!"[..],
            b"Basic",
            b"Basic bm9jb2xvbg==",
            b"Basic //79",
            b"Basic \xff",
        ] {
            let e = decode_basic(bad).unwrap_err();
            assert_eq!(
                e.status().as_u16(),
                400,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn other_schemes_are_no_credentials() {
        assert_eq!(decode_basic(b"Bearer abc").unwrap(), None);
    }

    #[test]
    fn token_header_wins_over_basic() {
        let mut h = HeaderMap::new();
        h.insert(TOKEN_HEADER, HeaderValue::from_static("tok123"));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Basic YTpi"));
        assert_eq!(
            credential(&h).unwrap(),
            Some(Credential::Token("tok123".into()))
        );
        h.remove(TOKEN_HEADER);
        assert_eq!(
            credential(&h).unwrap(),
            Some(Credential::Basic {
                username: "a".into(),
                password: "b".into()
            })
        );
        h.remove(AUTHORIZATION);
        assert_eq!(credential(&h).unwrap(), None);
    }

    #[test]
    fn channel_secret_must_match_exactly() {
        let mut h = HeaderMap::new();
        assert!(check_channel(&h, b"s3cret").is_err());
        h.insert(SECRET_HEADER, HeaderValue::from_static("s3cre"));
        assert!(check_channel(&h, b"s3cret").is_err());
        h.insert(SECRET_HEADER, HeaderValue::from_static("s3creT"));
        assert!(check_channel(&h, b"s3cret").is_err());
        h.insert(SECRET_HEADER, HeaderValue::from_static("s3cret"));
        assert!(check_channel(&h, b"s3cret").is_ok());
    }

    #[test]
    fn client_ip_accepts_socket_addresses_of_both_families() {
        let mut h = HeaderMap::new();
        h.insert(CLIENT_HEADER, HeaderValue::from_static("10.1.2.3:51000"));
        assert_eq!(
            client_ip(&h).unwrap(),
            "10.1.2.3".parse::<IpAddr>().unwrap()
        );
        h.insert(CLIENT_HEADER, HeaderValue::from_static("[2001:db8::1]:443"));
        assert_eq!(
            client_ip(&h).unwrap(),
            "2001:db8::1".parse::<IpAddr>().unwrap()
        );
        h.insert(CLIENT_HEADER, HeaderValue::from_static("nonsense"));
        assert!(client_ip(&h).is_err());
    }

    #[test]
    fn privilege_levels_follow_the_method_and_path() {
        assert_eq!(
            required_privilege(&Method::GET, "/api/monitoring/serialnumber"),
            3
        );
        assert_eq!(
            required_privilege(&Method::GET, "/api/objects/networkobjects"),
            5
        );
        assert_eq!(required_privilege(&Method::GET, "/api/monitoringx"), 5);
        for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert_eq!(required_privilege(&m, "/api/objects/networkobjects"), 15);
        }
    }

    #[test]
    fn show_only_cli_batches_need_level_five() {
        assert_eq!(cli_privilege(&["show version", "sh run", "SHO clock"]), 5);
        assert_eq!(cli_privilege(&["show version", "write memory"]), 15);
        assert_eq!(cli_privilege(&["s version"]), 15);
        assert_eq!(cli_privilege(&["shutdown"]), 15);
        assert_eq!(cli_privilege::<&str>(&[]), 15);
    }

    proptest! {
        #[test]
        fn arbitrary_authorization_values_never_panic(b in proptest::collection::vec(any::<u8>(), 0..100)) {
            let _ = decode_basic(&b);
        }

        #[test]
        fn basic_round_trips(user in "[^:]*", pass in ".*") {
            let got = decode_basic(&basic_header(&format!("{user}:{pass}"))).unwrap();
            prop_assert_eq!(got, Some((user, pass)));
        }
    }
}
