//! Local AAA: PBKDF2-HMAC-SHA512 password hashes as the ASA stores them, password checks,
//! and the verified-credential cache that keeps PBKDF2 off the per-request path.
//!
//! Stored form (`username x password <hash> pbkdf2`): `$sha512$<iterations>$<salt b64>$<hash b64>`,
//! 16-byte salt, 16-byte derived key, standard base64 with padding. Legacy `encrypted`
//! (MD5-based) hashes from old configurations are kept in the configuration but never verify:
//! their users must be given a new password before they can log in.
//!
//! Every check costs one PBKDF2 derivation, whatever the stored form, and so does a check for
//! a user that does not exist ([`decoy`]): the time of a refusal does not tell an attacker
//! which user names are configured.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cli_translator::ast::{HashScheme, Password};
use sha2::{Digest, Sha256, Sha512};

/// Iterations the ASA uses for new hashes.
pub const PBKDF2_ITERATIONS: u32 = 5000;
/// Hashes read from a configuration with more iterations than this do not verify (bounds the
/// CPU one login attempt can cost).
const MAX_ITERATIONS: u32 = 100_000;
const SALT_LEN: usize = 16;
const KEY_LEN: usize = 16;
const BLOCK: usize = 128;

/// HMAC-SHA512 (RFC 2104).
pub fn hmac_sha512(key: &[u8], data: &[u8]) -> [u8; 64] {
    let mut mac = Hmac::new(key);
    mac.update(data);
    mac.finish()
}

/// Keyed state reused across the PBKDF2 iterations: the padded key blocks are hashed once.
struct Hmac {
    inner: Sha512,
    outer: Sha512,
}

impl Hmac {
    fn new(key: &[u8]) -> Hmac {
        let mut block = [0u8; BLOCK];
        if key.len() > BLOCK {
            let digest = Sha512::digest(key);
            block[..digest.len()].copy_from_slice(&digest);
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut ipad = [0x36u8; BLOCK];
        let mut opad = [0x5cu8; BLOCK];
        for i in 0..BLOCK {
            ipad[i] ^= block[i];
            opad[i] ^= block[i];
        }
        let mut inner = Sha512::new();
        inner.update(ipad);
        let mut outer = Sha512::new();
        outer.update(opad);
        Hmac { inner, outer }
    }

    fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    fn finish(self) -> [u8; 64] {
        let inner = self.inner.finalize();
        let mut outer = self.outer;
        outer.update(inner);
        let mut out = [0u8; 64];
        out.copy_from_slice(&outer.finalize());
        out
    }
}

#[cfg(test)]
thread_local! {
    /// Derivations run on this thread (tests count the work of a check).
    pub static DERIVATIONS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// PBKDF2 (RFC 8018) with HMAC-SHA512; fills `out` (any length).
pub fn pbkdf2_sha512(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    #[cfg(test)]
    DERIVATIONS.with(|d| d.set(d.get() + 1));
    let keyed = Hmac::new(password);
    for (block_index, chunk) in out.chunks_mut(64).enumerate() {
        let mut mac = Hmac {
            inner: keyed.inner.clone(),
            outer: keyed.outer.clone(),
        };
        mac.update(salt);
        mac.update(&(block_index as u32 + 1).to_be_bytes());
        let mut u = mac.finish();
        let mut t = u;
        for _ in 1..iterations {
            let mut mac = Hmac {
                inner: keyed.inner.clone(),
                outer: keyed.outer.clone(),
            };
            mac.update(&u);
            u = mac.finish();
            for (a, b) in t.iter_mut().zip(u.iter()) {
                *a ^= b;
            }
        }
        chunk.copy_from_slice(&t[..chunk.len()]);
    }
}

/// Hashes a clear password into the ASA's pbkdf2 form.
pub fn hash_password(password: &str, salt: [u8; SALT_LEN]) -> String {
    let mut key = [0u8; KEY_LEN];
    pbkdf2_sha512(password.as_bytes(), &salt, PBKDF2_ITERATIONS, &mut key);
    format!(
        "$sha512${PBKDF2_ITERATIONS}${}${}",
        STANDARD.encode(salt),
        STANDARD.encode(key)
    )
}

/// Checks `password` against a stored `$sha512$...` hash. Malformed hashes never verify.
pub fn verify_pbkdf2(stored: &str, password: &str) -> bool {
    let mut parts = stored.split('$');
    let (Some(""), Some("sha512"), Some(iter), Some(salt), Some(hash), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let Ok(iterations) = iter.parse::<u32>() else {
        return false;
    };
    if iterations == 0 || iterations > MAX_ITERATIONS {
        return false;
    }
    let (Ok(salt), Ok(expected)) = (STANDARD.decode(salt), STANDARD.decode(hash)) else {
        return false;
    };
    if expected.is_empty() || expected.len() > 64 {
        return false;
    }
    let mut got = vec![0u8; expected.len()];
    pbkdf2_sha512(password.as_bytes(), &salt, iterations, &mut got);
    ct_eq(&got, &expected)
}

/// The work of one password check, spent where there is nothing to check (a user that does not
/// exist, a stored form without a hash), so that the answer takes as long as a real check.
pub fn decoy(password: &str) {
    let mut out = [0u8; KEY_LEN];
    pbkdf2_sha512(
        password.as_bytes(),
        &[0u8; SALT_LEN],
        PBKDF2_ITERATIONS,
        &mut out,
    );
    std::hint::black_box(out);
}

/// Whether `password` opens a `username` line's password.
pub fn verify(stored: &Password, password: &str) -> bool {
    let verdict = match stored {
        // The simulator writes `nt-encrypted` hashes in its pbkdf2 form too.
        Password::Hashed {
            hash,
            scheme: HashScheme::Pbkdf2 | HashScheme::NtEncrypted,
        } => return verify_pbkdf2(hash, password),
        // Legacy MD5-based hashes are not verified (documented in the module header).
        Password::Hashed {
            scheme: HashScheme::Encrypted,
            ..
        } => false,
        // `nopassword` on the ASA means the empty password.
        Password::None => password.is_empty(),
        // Never stored by the engine (clear passwords are hashed on entry), but be exact.
        Password::Clear(clear) | Password::ClearMschap(clear) => {
            ct_eq(clear.as_bytes(), password.as_bytes())
        }
    };
    decoy(password);
    verdict
}

/// Constant-time equality of two byte strings (length is not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Largest number of remembered credentials; when full the cache starts over.
pub const AUTH_CACHE_CAPACITY: usize = 1024;

/// Credentials that verified recently. Keys are `SHA-256(process salt || user || 0 || password)`,
/// so the cache holds no password. Each entry remembers the user's change stamp at the time;
/// any change to the user's line gives a new stamp and the entry no longer matches.
pub struct AuthCache {
    salt: [u8; 32],
    entries: HashMap<[u8; 32], CachedAuth>,
    capacity: usize,
}

impl std::fmt::Debug for AuthCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthCache")
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
struct CachedAuth {
    user: String,
    privilege: u8,
    stamp: u64,
}

impl AuthCache {
    pub fn new(salt: [u8; 32], capacity: usize) -> AuthCache {
        AuthCache {
            salt,
            entries: HashMap::new(),
            capacity: capacity.max(1),
        }
    }

    fn key(&self, user: &str, password: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(user.as_bytes());
        h.update([0u8]);
        h.update(password.as_bytes());
        h.finalize().into()
    }

    /// The privilege remembered for these credentials, if they verified while the user's
    /// line had change stamp `stamp`.
    pub fn get(&mut self, user: &str, password: &str, stamp: u64) -> Option<u8> {
        let key = self.key(user, password);
        match self.entries.get(&key) {
            Some(e) if e.user == user && e.stamp == stamp => Some(e.privilege),
            Some(_) => {
                self.entries.remove(&key);
                None
            }
            None => None,
        }
    }

    pub fn insert(&mut self, user: &str, password: &str, privilege: u8, stamp: u64) {
        if self.entries.len() >= self.capacity {
            self.entries.clear();
        }
        let key = self.key(user, password);
        self.entries.insert(
            key,
            CachedAuth {
                user: user.to_owned(),
                privilege,
                stamp,
            },
        );
    }

    /// Drops every entry of `user` (after a change to the user).
    pub fn forget_user(&mut self, user: &str) {
        self.entries.retain(|_, e| e.user != user);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        assert_eq!(
            hex(&hmac_sha512(b"Jefe", b"what do ya want for nothing?")),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
    }

    #[test]
    fn hmac_hashes_long_keys_first() {
        assert_eq!(
            hex(&hmac_sha512(&[b'k'; 200], b"data")),
            "854e242c54ce5f31621a1f809881b3439c0a77fd594dc546b9b3a957cf6f7b5475a1302be9fde1ece18531982eaa2141907c8b2fbd8bec2e5b19b8312ace3f2b"
        );
    }

    #[test]
    fn pbkdf2_matches_known_vectors() {
        let mut out = [0u8; 64];
        pbkdf2_sha512(b"password", b"salt", 1, &mut out);
        assert_eq!(
            hex(&out),
            "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce"
        );
        let mut short = [0u8; 16];
        pbkdf2_sha512(b"password", b"salt", 5000, &mut short);
        assert_eq!(hex(&short), "8cc55858f341586bde60d595d376fdaf");
    }

    #[test]
    fn hashed_password_verifies_and_others_do_not() {
        let h = hash_password("s3cret!", [9; 16]);
        assert!(h.starts_with("$sha512$5000$"));
        assert_eq!(h.split('$').count(), 5);
        assert!(!h.contains("s3cret"));
        assert!(verify_pbkdf2(&h, "s3cret!"));
        assert!(!verify_pbkdf2(&h, "s3cret"));
        assert!(!verify_pbkdf2(&h, ""));
    }

    #[test]
    fn malformed_or_costly_hashes_never_verify() {
        for bad in [
            "",
            "$sha512$5000$AAAA",
            "$sha512$x$AAAA$AAAA",
            "$sha512$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
            "$sha512$99999999$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
            "$sha512$5000$!!$AAAA",
            "$sha512$5000$AAAAAAAAAABBBBBBBBBBCCCCCCCCCC",
        ] {
            assert!(!verify_pbkdf2(bad, "x"), "{bad}");
        }
    }

    #[test]
    fn nopassword_means_the_empty_password_and_legacy_hashes_fail() {
        assert!(verify(&Password::None, ""));
        assert!(!verify(&Password::None, "x"));
        let legacy = Password::Hashed {
            hash: "8Ry2YjIyt7RRXU24".into(),
            scheme: HashScheme::Encrypted,
        };
        assert!(!verify(&legacy, "cisco"));
    }

    #[test]
    fn cache_hits_only_for_same_credentials_and_stamp() {
        let mut c = AuthCache::new([1; 32], 8);
        c.insert("alice", "pw", 15, 3);
        assert_eq!(c.get("alice", "pw", 3), Some(15));
        assert_eq!(c.get("alice", "pw2", 3), None);
        assert_eq!(c.get("bob", "pw", 3), None);
        assert_eq!(c.get("alice", "pw", 4), None, "a changed user misses");
        assert_eq!(c.get("alice", "pw", 3), None, "and the stale entry is gone");
    }

    #[test]
    fn cache_is_bounded_and_forgets_users() {
        let mut c = AuthCache::new([1; 32], 4);
        for i in 0..10 {
            c.insert(&format!("u{i}"), "pw", 1, 0);
            assert!(c.len() <= 4);
        }
        c.insert("x", "a", 1, 0);
        c.insert("y", "a", 1, 0);
        c.forget_user("x");
        assert_eq!(c.get("x", "a", 0), None);
        assert_eq!(c.get("y", "a", 0), Some(1));
    }
}
