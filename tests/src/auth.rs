//! The credentials a request carries: HTTP Basic, an `X-Auth-Token`, both, none, or a raw
//! Authorization header (for undecodable-credential tests).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Credentials attached to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// No Authorization and no X-Auth-Token header.
    None,
    /// `Authorization: Basic base64(user:password)`.
    Basic { user: String, password: String },
    /// `X-Auth-Token: <token>` alone.
    Token(String),
    /// Both headers, as clients send on `DELETE /api/tokenservices/<token>`.
    BasicAndToken {
        user: String,
        password: String,
        token: String,
    },
    /// `Authorization: <value>` exactly as given.
    RawAuthorization(String),
}

impl Auth {
    pub fn basic(user: &str, password: &str) -> Self {
        Auth::Basic {
            user: user.to_owned(),
            password: password.to_owned(),
        }
    }

    pub fn token(token: &str) -> Self {
        Auth::Token(token.to_owned())
    }

    /// The header lines (name, value) this credential adds to a request.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        match self {
            Auth::None => Vec::new(),
            Auth::Basic { user, password } => vec![("authorization", basic_value(user, password))],
            Auth::Token(token) => vec![("x-auth-token", token.clone())],
            Auth::BasicAndToken {
                user,
                password,
                token,
            } => {
                vec![
                    ("authorization", basic_value(user, password)),
                    ("x-auth-token", token.clone()),
                ]
            }
            Auth::RawAuthorization(value) => vec![("authorization", value.clone())],
        }
    }
}

fn basic_value(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_is_base64_of_user_colon_password() {
        let headers = Auth::basic("admin", "pw").headers();
        assert_eq!(
            headers,
            vec![("authorization", "Basic YWRtaW46cHc=".to_owned())]
        );
    }

    #[test]
    fn no_auth_adds_no_header() {
        assert!(Auth::None.headers().is_empty());
    }

    #[test]
    fn basic_and_token_adds_both_headers() {
        let auth = Auth::BasicAndToken {
            user: "a".into(),
            password: "b".into(),
            token: "t".into(),
        };
        let names: Vec<_> = auth.headers().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, vec!["authorization", "x-auth-token"]);
    }
}
