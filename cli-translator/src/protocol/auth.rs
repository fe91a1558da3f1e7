//! Channel authentication of the LINA protocol: the per-boot secret and the HMAC proof a
//! connection gives before `Hello` (docs/lina-protocol.md, "Authentication").
//!
//! LINA sends a fresh random nonce (`Nonce`, answer to `Challenge`); the client answers
//! `Prove(hex(HMAC-SHA256(secret, CONTEXT || nonce)))`. The secret itself never travels.
//! No I/O and no randomness here: the shells generate the secret and the nonces.

use std::fmt;

use ring::hmac;

/// Bytes in a channel secret.
pub const SECRET_LEN: usize = 32;
/// Bytes in a nonce (sent in hex).
pub const NONCE_LEN: usize = 32;
/// Domain separation: a proof is good for this protocol's hello only.
const CONTEXT: &[u8] = b"asa-lina-channel-proof-v1\0";

/// The shared secret of one LINA boot. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct ChannelSecret([u8; SECRET_LEN]);

/// Why a secret's text form was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSecret;

impl fmt::Display for BadSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a LINA channel secret is {} hexadecimal digits",
            SECRET_LEN * 2
        )
    }
}

impl std::error::Error for BadSecret {}

impl ChannelSecret {
    pub fn from_bytes(bytes: [u8; SECRET_LEN]) -> ChannelSecret {
        ChannelSecret(bytes)
    }

    /// Parses the hex form (surrounding white space, such as a file's newline, is ignored).
    pub fn from_hex(text: &str) -> Result<ChannelSecret, BadSecret> {
        let bytes = decode_hex(text.trim()).ok_or(BadSecret)?;
        let array: [u8; SECRET_LEN] = bytes.try_into().map_err(|_| BadSecret)?;
        Ok(ChannelSecret(array))
    }

    /// The hex form, as written to the secret file and passed to the agent process.
    pub fn to_hex(&self) -> String {
        encode_hex(&self.0)
    }

    /// The proof for `nonce` (hex of the HMAC-SHA256).
    pub fn proof(&self, nonce: &str) -> String {
        encode_hex(self.tag(nonce).as_ref())
    }

    /// Whether `proof` is the proof for `nonce` (constant-time comparison).
    pub fn verify(&self, nonce: &str, proof: &str) -> bool {
        let Some(proof) = decode_hex(proof) else {
            return false;
        };
        let key = hmac::Key::new(hmac::HMAC_SHA256, &self.0);
        hmac::verify(&key, &message(nonce), &proof).is_ok()
    }

    fn tag(&self, nonce: &str) -> hmac::Tag {
        let key = hmac::Key::new(hmac::HMAC_SHA256, &self.0);
        hmac::sign(&key, &message(nonce))
    }
}

impl fmt::Debug for ChannelSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChannelSecret(<redacted>)")
    }
}

fn message(nonce: &str) -> Vec<u8> {
    let mut m = Vec::with_capacity(CONTEXT.len() + nonce.len());
    m.extend_from_slice(CONTEXT);
    m.extend_from_slice(nonce.as_bytes());
    m
}

/// Lower-case hex.
pub fn encode_hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 2 * 64 {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_verifies_only_with_the_same_secret_and_nonce() {
        let a = ChannelSecret::from_bytes([7; SECRET_LEN]);
        let b = ChannelSecret::from_bytes([8; SECRET_LEN]);
        let proof = a.proof("00ff");
        assert_eq!(proof.len(), 64);
        assert!(a.verify("00ff", &proof));
        assert!(!a.verify("00fe", &proof));
        assert!(!b.verify("00ff", &proof));
        assert!(!a.verify("00ff", "zz"));
        assert!(!a.verify("00ff", ""));
    }

    #[test]
    fn hex_round_trips_and_bad_text_is_refused() {
        let s = ChannelSecret::from_bytes([0xab; SECRET_LEN]);
        assert_eq!(ChannelSecret::from_hex(&format!("{}\n", s.to_hex())), Ok(s));
        assert_eq!(ChannelSecret::from_hex("abcd"), Err(BadSecret));
        assert_eq!(ChannelSecret::from_hex(&"g".repeat(64)), Err(BadSecret));
    }

    #[test]
    fn debug_hides_the_secret() {
        let s = ChannelSecret::from_bytes([0xab; SECRET_LEN]);
        assert!(!format!("{s:?}").contains("abab"));
    }
}
