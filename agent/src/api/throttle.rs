//! Slows password guessing: each refused login (401 for bad credentials) from a client address,
//! or for a user name, makes the next refusals from that address or for that name wait longer
//! before they are answered. LINA locks low-privilege users out after
//! `aaa local authentication attempts max-fail` failures and logs 113015 for each; this delay
//! is the throttle for everyone else (privilege-15 users are never locked out).
//!
//! The first [`FREE_FAILURES`] failures in a window cost nothing, then each costs
//! [`STEP`] more, up to [`MAX_DELAY`]; a failure-free [`WINDOW`] forgets them, and a successful
//! login forgets its user's. Only refusals wait: a correct password is answered at once.
//! The tables are bounded ([`MAX_ENTRIES`]); a `std::sync::Mutex`, never held across `.await`.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures that are answered without delay.
pub const FREE_FAILURES: u32 = 3;
/// Added delay per failure beyond the free ones.
pub const STEP: Duration = Duration::from_millis(250);
/// Longest delay.
pub const MAX_DELAY: Duration = Duration::from_secs(3);
/// A key with no failure for this long starts over.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Addresses and names remembered at most (the oldest are dropped first).
pub const MAX_ENTRIES: usize = 4096;

#[derive(Debug)]
struct Counts<K> {
    map: HashMap<K, (u32, Instant)>,
}

impl<K> Default for Counts<K> {
    fn default() -> Self {
        Counts {
            map: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq + Clone> Counts<K> {
    fn bump(&mut self, key: K, now: Instant) -> u32 {
        if self.map.len() >= MAX_ENTRIES && !self.map.contains_key(&key) {
            self.map
                .retain(|_, (_, at)| now.duration_since(*at) < WINDOW);
            if self.map.len() >= MAX_ENTRIES
                && let Some(oldest) = self
                    .map
                    .iter()
                    .min_by_key(|(_, (_, at))| *at)
                    .map(|(k, _)| k.clone())
            {
                self.map.remove(&oldest);
            }
        }
        let entry = self.map.entry(key).or_insert((0, now));
        if now.duration_since(entry.1) >= WINDOW {
            entry.0 = 0;
        }
        entry.0 = entry.0.saturating_add(1);
        entry.1 = now;
        entry.0
    }
}

/// Failed logins per client address and per user name.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    inner: Mutex<(Counts<IpAddr>, Counts<String>)>,
}

impl LoginThrottle {
    /// Records a refused login; how long to wait before answering it.
    pub fn failed(&self, source: IpAddr, user: Option<&str>, now: Instant) -> Duration {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let by_source = inner.0.bump(source, now);
        let by_user = user.map_or(0, |u| inner.1.bump(u.to_owned(), now));
        delay_for(by_source.max(by_user))
    }

    /// A successful login: its user's failures are forgotten.
    pub fn succeeded(&self, user: &str) {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        inner.1.map.remove(user);
    }
}

fn delay_for(failures: u32) -> Duration {
    let over = failures.saturating_sub(FREE_FAILURES);
    STEP.saturating_mul(over).min(MAX_DELAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn delays_grow_per_source_after_the_free_failures_and_are_capped() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        let delays: Vec<Duration> = (0..20).map(|_| t.failed(A, None, now)).collect();
        assert_eq!(delays[..3], [Duration::ZERO; 3]);
        assert_eq!(delays[3], STEP);
        assert_eq!(delays[4], STEP * 2);
        assert_eq!(delays[19], MAX_DELAY);
        // Another address starts free.
        assert_eq!(t.failed(B, None, now), Duration::ZERO);
    }

    #[test]
    fn guessing_one_user_from_many_addresses_is_slowed_too() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..10u8 {
            t.failed(IpAddr::from([10, 1, 0, i]), Some("admin"), now);
        }
        assert!(t.failed(IpAddr::from([10, 2, 0, 1]), Some("admin"), now) > Duration::ZERO);
        t.succeeded("admin");
        assert_eq!(
            t.failed(IpAddr::from([10, 2, 0, 2]), Some("admin"), now),
            Duration::ZERO
        );
    }

    #[test]
    fn a_quiet_window_forgets_the_failures_and_the_table_is_bounded() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..10 {
            t.failed(A, None, now);
        }
        assert_eq!(t.failed(A, None, now + WINDOW), Duration::ZERO);
        for i in 0..(MAX_ENTRIES as u32 + 10) {
            t.failed(IpAddr::from(i.to_be_bytes()), None, now);
        }
        let inner = t.inner.lock().unwrap();
        assert!(inner.0.map.len() <= MAX_ENTRIES);
    }
}
