//! API session tokens: creation with the 25-per-context cap, idle expiry, deletion.
//!
//! Tokens are kept under their SHA-256 so the table never holds a usable token and lookups
//! do not compare secrets byte by byte. They live in memory only and die with the agent.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::entropy::Entropy;

/// Sessions one security context may hold (Cisco: "The maximum number of sessions per context is 25").
pub const MAX_TOKENS_PER_CONTEXT: usize = 25;
/// Slots of each context's 25 that only privilege-15 users may take: users below 15 together
/// hold at most 20 tokens per context, so no low-privilege user can lock the administrators
/// out of token authentication.
pub const RESERVED_FOR_PRIVILEGE_15: usize = 5;
/// Default idle timeout of a token, in seconds.
pub const DEFAULT_IDLE_TIMEOUT_SECS: i64 = 30 * 60;
/// Random bytes in a token (hex encoded: 32 characters, 128 bits).
const TOKEN_BYTES: usize = 16;

/// One live token.
#[derive(Debug, Clone)]
pub struct TokenEntry {
    pub user: String,
    pub context: Option<String>,
    pub created: i64,
    pub last_used: i64,
}

/// Why a token could not be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitReached;

#[derive(Debug)]
pub struct Tokens {
    live: HashMap<[u8; 32], TokenEntry>,
    idle_timeout: i64,
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl Tokens {
    pub fn new(idle_timeout_secs: i64) -> Tokens {
        Tokens {
            live: HashMap::new(),
            idle_timeout: idle_timeout_secs.max(1),
        }
    }

    /// Drops tokens idle for longer than the timeout.
    pub fn purge_expired(&mut self, now: i64) {
        let timeout = self.idle_timeout;
        self.live.retain(|_, t| now - t.last_used <= timeout);
    }

    /// Creates a token for `user` (at `privilege`) unless the context already holds the maximum
    /// (for users below 15: the maximum less [`RESERVED_FOR_PRIVILEGE_15`]).
    pub fn create(
        &mut self,
        user: &str,
        privilege: u8,
        context: Option<&str>,
        now: i64,
        rng: &mut Entropy,
    ) -> Result<String, LimitReached> {
        self.purge_expired(now);
        let in_context = self
            .live
            .values()
            .filter(|t| t.context.as_deref() == context)
            .count();
        let cap = if privilege >= 15 {
            MAX_TOKENS_PER_CONTEXT
        } else {
            MAX_TOKENS_PER_CONTEXT - RESERVED_FOR_PRIVILEGE_15
        };
        if in_context >= cap {
            return Err(LimitReached);
        }
        let raw: [u8; TOKEN_BYTES] = rng.bytes();
        let token: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        self.live.insert(
            digest(&token),
            TokenEntry {
                user: user.to_owned(),
                context: context.map(str::to_owned),
                created: now,
                last_used: now,
            },
        );
        Ok(token)
    }

    /// Looks a token up and, when it is live, marks it used now. An expired token is removed.
    pub fn touch(&mut self, token: &str, now: i64) -> Option<&TokenEntry> {
        let key = digest(token);
        let expired = match self.live.get(&key) {
            None => return None,
            Some(t) => now - t.last_used > self.idle_timeout,
        };
        if expired {
            self.live.remove(&key);
            return None;
        }
        let entry = self.live.get_mut(&key)?;
        entry.last_used = now.max(entry.last_used);
        Some(entry)
    }

    /// Whether the token is live (without touching it).
    pub fn is_live(&self, token: &str, now: i64) -> bool {
        self.live
            .get(&digest(token))
            .is_some_and(|t| now - t.last_used <= self.idle_timeout)
    }

    pub fn remove(&mut self, token: &str) -> Option<TokenEntry> {
        self.live.remove(&digest(token))
    }

    /// Ends every token (the agent restarted).
    pub fn clear(&mut self) {
        self.live.clear();
    }

    /// Ends the tokens of a user that no longer exists.
    pub fn remove_user(&mut self, user: &str) {
        self.live.retain(|_, t| t.user != user);
    }

    /// Ends the tokens counted against a security context that was removed.
    pub fn remove_context(&mut self, context: &str) {
        self.live
            .retain(|_, t| t.context.as_deref() != Some(context));
    }

    /// Live tokens counted against `context` (`None`: single mode).
    pub fn count_in(&self, context: Option<&str>) -> usize {
        self.live
            .values()
            .filter(|t| t.context.as_deref() == context)
            .count()
    }

    pub fn len(&self) -> usize {
        self.live.len()
    }

    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rng() -> Entropy {
        Entropy::from_seed([3; 32])
    }

    #[test]
    fn tokens_are_128_bit_hex_and_distinct() {
        let mut t = Tokens::new(60);
        let mut r = rng();
        let a = t.create("u", 15, None, 0, &mut r).unwrap();
        let b = t.create("u", 15, None, 0, &mut r).unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn twenty_sixth_token_in_a_context_is_refused() {
        let mut t = Tokens::new(60);
        let mut r = rng();
        for _ in 0..MAX_TOKENS_PER_CONTEXT {
            t.create("u", 15, None, 0, &mut r).unwrap();
        }
        assert_eq!(t.create("u", 15, None, 0, &mut r), Err(LimitReached));
        // Another context has its own budget.
        assert!(t.create("u", 15, Some("ctx2"), 0, &mut r).is_ok());
    }

    #[test]
    fn low_privilege_users_cannot_take_the_slots_reserved_for_privilege_15() {
        let mut t = Tokens::new(60);
        let mut r = rng();
        for _ in 0..MAX_TOKENS_PER_CONTEXT - RESERVED_FOR_PRIVILEGE_15 {
            t.create("ro", 3, None, 0, &mut r).unwrap();
        }
        assert_eq!(t.create("ro", 3, None, 0, &mut r), Err(LimitReached));
        assert_eq!(t.create("other5", 5, None, 0, &mut r), Err(LimitReached));
        for _ in 0..RESERVED_FOR_PRIVILEGE_15 {
            t.create("admin", 15, None, 0, &mut r).unwrap();
        }
        assert_eq!(t.create("admin", 15, None, 0, &mut r), Err(LimitReached));
    }

    #[test]
    fn idle_tokens_expire_and_free_their_slot() {
        let mut t = Tokens::new(100);
        let mut r = rng();
        let tok = t.create("u", 15, None, 1000, &mut r).unwrap();
        assert!(t.touch(&tok, 1050).is_some());
        assert!(
            t.touch(&tok, 1150).is_some(),
            "use at 1050 restarted the idle clock"
        );
        assert!(t.touch(&tok, 1251).is_none());
        assert!(t.is_empty());
        for _ in 0..MAX_TOKENS_PER_CONTEXT {
            t.create("u", 15, None, 2000, &mut r).unwrap();
        }
        assert!(
            t.create("u", 15, None, 2200, &mut r).is_ok(),
            "expired ones were purged"
        );
    }

    #[test]
    fn removal_and_clear_end_tokens() {
        let mut t = Tokens::new(100);
        let mut r = rng();
        let a = t.create("alice", 15, None, 0, &mut r).unwrap();
        let b = t.create("bob", 15, None, 0, &mut r).unwrap();
        assert!(t.remove(&a).is_some());
        assert!(t.remove(&a).is_none());
        assert!(t.is_live(&b, 0));
        t.remove_user("bob");
        assert!(!t.is_live(&b, 0));
        let c = t.create("c", 15, None, 0, &mut r).unwrap();
        t.clear();
        assert!(t.touch(&c, 0).is_none());
    }
}
