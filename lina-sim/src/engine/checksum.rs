//! The configuration's Cryptochecksum: the first 128 bits of SHA-256 over the printed body.

use std::fmt;

use sha2::{Digest, Sha256};

/// 16 bytes, printed as 32 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checksum(pub [u8; 16]);

impl Checksum {
    pub fn of(body: &str) -> Checksum {
        let mut sum = Checksum::summing();
        sum.add(body);
        sum.finish()
    }

    /// The checksum of pieces read one after the other: [`Summing::add`] each, in order.
    pub fn summing() -> Summing {
        Summing(Sha256::new())
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

/// A checksum being computed over pieces of a body ([`Checksum::summing`]).
#[derive(Debug, Clone)]
pub struct Summing(Sha256);

impl Summing {
    pub fn add(&mut self, piece: &str) {
        self.0.update(piece.as_bytes());
    }

    pub fn finish(self) -> Checksum {
        let digest = self.0.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(&digest[..16]);
        Checksum(out)
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
    fn pieces_sum_as_their_concatenation() {
        let whole = "hostname fw\nobject network a\n host 10.0.0.1\n";
        for cut in 0..=whole.len() {
            let (a, b) = whole.split_at(cut);
            let mut sum = Checksum::summing();
            sum.add(a);
            sum.add(b);
            assert_eq!(sum.finish(), Checksum::of(whole));
        }
    }

    #[test]
    fn any_change_changes_the_checksum() {
        assert_ne!(Checksum::of("hostname a\n"), Checksum::of("hostname b\n"));
    }
}
