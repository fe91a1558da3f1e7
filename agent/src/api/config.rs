//! How the agent process is configured: from the environment the front-end sets when it
//! spawns `agent worker`, or directly by in-process callers.

use std::fmt;
use std::net::SocketAddr;

use cli_translator::protocol::ChannelSecret;
use serde::Deserialize;

use super::json_body::DEFAULT_BODY_LIMIT;

/// Environment variable names, as the front-end sets them.
pub const ENV_SECRET: &str = "ASA_AGENT_SECRET";
pub const ENV_LINA: &str = "ASA_AGENT_LINA";
pub const ENV_LISTEN: &str = "ASA_AGENT_LISTEN";
pub const ENV_CONFIG: &str = "ASA_AGENT_CONFIG";
/// LINA's channel secret in hex (docs/lina-protocol.md, "Authentication").
pub const ENV_LINA_SECRET: &str = "ASA_AGENT_LINA_SECRET";

/// Everything [`super::serve`] needs.
#[derive(Clone)]
pub struct ApiConfig {
    /// The per-spawn channel secret the front-end sends in `x-asa-channel-secret`.
    pub secret: String,
    /// LINA's protocol address.
    pub lina: SocketAddr,
    /// What the connection to LINA proves before `Hello`.
    pub lina_secret: Option<ChannelSecret>,
    /// Where to listen (normally `127.0.0.1:0`).
    pub listen: SocketAddr,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
}

impl fmt::Debug for ApiConfig {
    // The secret stays out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiConfig")
            .field("lina", &self.lina)
            .field("listen", &self.listen)
            .field("body_limit", &self.body_limit)
            .finish_non_exhaustive()
    }
}

/// Optional extras in `ASA_AGENT_CONFIG`; unknown keys (such as the front-end's
/// `userAgentPolicy`) are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Extras {
    body_limit: Option<usize>,
}

/// Why the environment does not describe a runnable agent process.
#[derive(Debug)]
pub enum ConfigError {
    Missing(&'static str),
    BadAddress { var: &'static str, value: String },
    BadExtras(serde_json::Error),
    BadLinaSecret,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing(var) => write!(f, "{var} is not set"),
            ConfigError::BadAddress { var, value } => {
                write!(f, "{var}={value:?} is not an ip:port address")
            }
            ConfigError::BadExtras(e) => write!(f, "{ENV_CONFIG} is not valid JSON: {e}"),
            ConfigError::BadLinaSecret => {
                write!(f, "{ENV_LINA_SECRET} is not 64 hexadecimal digits")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

impl ApiConfig {
    /// A configuration with the default body limit.
    pub fn new(secret: impl Into<String>, lina: SocketAddr, listen: SocketAddr) -> ApiConfig {
        ApiConfig {
            secret: secret.into(),
            lina,
            lina_secret: None,
            listen,
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<ApiConfig, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads the configuration through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<ApiConfig, ConfigError> {
        let secret = get(ENV_SECRET)
            .filter(|s| !s.is_empty())
            .ok_or(ConfigError::Missing(ENV_SECRET))?;
        let addr = |var: &'static str| -> Result<SocketAddr, ConfigError> {
            let value = get(var).ok_or(ConfigError::Missing(var))?;
            value
                .trim()
                .parse()
                .map_err(|_| ConfigError::BadAddress { var, value })
        };
        let lina = addr(ENV_LINA)?;
        let lina_secret = match get(ENV_LINA_SECRET).filter(|s| !s.trim().is_empty()) {
            Some(hex) => {
                Some(ChannelSecret::from_hex(&hex).map_err(|_| ConfigError::BadLinaSecret)?)
            }
            None => None,
        };
        let listen = addr(ENV_LISTEN)?;
        let extras = match get(ENV_CONFIG).filter(|s| !s.trim().is_empty()) {
            Some(text) => serde_json::from_str::<Extras>(&text).map_err(ConfigError::BadExtras)?,
            None => Extras::default(),
        };
        Ok(ApiConfig {
            secret,
            lina,
            lina_secret,
            listen,
            body_limit: extras.body_limit.unwrap_or(DEFAULT_BODY_LIMIT),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn reads_the_front_end_environment() {
        let cfg = ApiConfig::from_lookup(env(&[
            (ENV_SECRET, "ab12"),
            (ENV_LINA, "127.0.0.1:5000"),
            (ENV_LISTEN, "127.0.0.1:0"),
            (ENV_CONFIG, r#"{"userAgentPolicy":false,"bodyLimit":1024}"#),
        ]))
        .unwrap();
        assert_eq!(cfg.secret, "ab12");
        assert_eq!(cfg.lina.port(), 5000);
        assert_eq!(cfg.body_limit, 1024);
    }

    #[test]
    fn extras_are_optional() {
        let cfg = ApiConfig::from_lookup(env(&[
            (ENV_SECRET, "ab12"),
            (ENV_LINA, "127.0.0.1:5000"),
            (ENV_LISTEN, "127.0.0.1:0"),
        ]))
        .unwrap();
        assert_eq!(cfg.body_limit, DEFAULT_BODY_LIMIT);
    }

    #[test]
    fn missing_or_bad_values_are_named() {
        let e = ApiConfig::from_lookup(env(&[(ENV_LINA, "127.0.0.1:5000")])).unwrap_err();
        assert!(matches!(e, ConfigError::Missing(ENV_SECRET)));
        let e = ApiConfig::from_lookup(env(&[
            (ENV_SECRET, "s"),
            (ENV_LINA, "localhost"),
            (ENV_LISTEN, "127.0.0.1:0"),
        ]))
        .unwrap_err();
        assert!(matches!(e, ConfigError::BadAddress { var: ENV_LINA, .. }));
        let e = ApiConfig::from_lookup(env(&[
            (ENV_SECRET, "s"),
            (ENV_LINA, "127.0.0.1:1"),
            (ENV_LISTEN, "127.0.0.1:0"),
            (ENV_CONFIG, "{"),
        ]))
        .unwrap_err();
        assert!(matches!(e, ConfigError::BadExtras(_)));
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let cfg = ApiConfig::new(
            "topsecret",
            "127.0.0.1:1".parse().unwrap(),
            "127.0.0.1:0".parse().unwrap(),
        );
        assert!(!format!("{cfg:?}").contains("topsecret"));
    }
}
