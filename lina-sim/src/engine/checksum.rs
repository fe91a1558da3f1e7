//! The configuration's Cryptochecksum: the first 128 bits of SHA-256 over the printed body.

use std::fmt;

use sha2::{Digest, Sha256};

/// 16 bytes, printed as 32 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checksum(pub [u8; 16]);

impl Checksum {
    pub fn of(body: &str) -> Checksum {
        let digest = Sha256::digest(body.as_bytes());
        let mut out = [0u8; 16];
        out.copy_from_slice(&digest[..16]);
        Checksum(out)
    }

    /// `show checksum` form: four groups of 8 hex digits separated by spaces.
    pub fn grouped(&self) -> String {
        let hex = self.to_string();
        let mut out = String::with_capacity(35);
        for (i, c) in hex.chars().enumerate() {
            if i > 0 && i % 8 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

/// `Cryptochecksum:` form: 32 hex digits.
impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_sha256_prefix_in_both_forms() {
        // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 ...
        let c = Checksum::of("abc");
        assert_eq!(c.to_string(), "ba7816bf8f01cfea414140de5dae2223");
        assert_eq!(c.grouped(), "ba7816bf 8f01cfea 414140de 5dae2223");
    }

    #[test]
    fn any_change_changes_the_checksum() {
        assert_ne!(Checksum::of("hostname a\n"), Checksum::of("hostname b\n"));
    }
}
