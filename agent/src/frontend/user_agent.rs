//! The optional User-Agent policy: when the operator turns it on, only the clients newer ASA
//! releases accept (`REST API Agent`, `ASDM`, `CSM`) get through.

use hyper::HeaderMap;
use hyper::header::USER_AGENT;

/// The User-Agent values accepted when the policy is on, compared exactly (surrounding
/// whitespace aside).
pub const ACCEPTED: [&str; 3] = ["REST API Agent", "ASDM", "CSM"];

/// Whether a request with these headers passes the policy.
pub fn allowed(policy_on: bool, headers: &HeaderMap) -> bool {
    if !policy_on {
        return true;
    }
    headers
        .get(USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| ACCEPTED.contains(&value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn with_agent(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn policy_off_lets_everything_through() {
        assert!(allowed(false, &with_agent("python-requests/2.31.0")));
        assert!(allowed(false, &HeaderMap::new()));
    }

    #[test]
    fn policy_on_accepts_the_three_cisco_clients() {
        for name in ACCEPTED {
            assert!(allowed(true, &with_agent(name)), "{name}");
        }
        assert!(allowed(true, &with_agent(" REST API Agent ")));
    }

    #[test]
    fn policy_on_refuses_other_or_missing_agents() {
        assert!(!allowed(true, &with_agent("python-requests/2.31.0")));
        assert!(!allowed(true, &with_agent("REST API Agent2")));
        assert!(!allowed(true, &with_agent("rest api agent")));
        assert!(!allowed(true, &HeaderMap::new()));
    }
}
