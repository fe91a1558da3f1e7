//! Randomness for tokens and password salts: a SHA-256 counter-mode generator seeded once.
//!
//! The engine reads no OS state; the shell seeds it with 32 bytes from the OS at start
//! (`getrandom`), and tests seed it with fixed bytes. Each output block is
//! `SHA-256(seed || counter)`; the counter never repeats, so outputs never repeat and
//! cannot be predicted without the seed.

use sha2::{Digest, Sha256};

/// Deterministic random bit generator over SHA-256.
#[derive(Clone)]
pub struct Entropy {
    seed: [u8; 32],
    counter: u64,
}

impl std::fmt::Debug for Entropy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The seed is a secret: never print it.
        f.debug_struct("Entropy")
            .field("counter", &self.counter)
            .finish_non_exhaustive()
    }
}

impl Entropy {
    pub fn from_seed(seed: [u8; 32]) -> Entropy {
        Entropy { seed, counter: 0 }
    }

    /// Fills `out` with fresh output.
    pub fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(32) {
            let mut h = Sha256::new();
            h.update(self.seed);
            h.update(self.counter.to_be_bytes());
            self.counter = self.counter.wrapping_add(1);
            let block = h.finalize();
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
    }

    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        self.fill(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_stream_and_outputs_differ() {
        let mut a = Entropy::from_seed([7; 32]);
        let mut b = Entropy::from_seed([7; 32]);
        let x: [u8; 48] = a.bytes();
        let y: [u8; 48] = b.bytes();
        assert_eq!(x, y);
        let z: [u8; 48] = a.bytes();
        assert_ne!(x, z);
        assert_ne!(x[..16], x[16..32]);
    }

    #[test]
    fn different_seeds_differ() {
        let x: [u8; 16] = Entropy::from_seed([1; 32]).bytes();
        let y: [u8; 16] = Entropy::from_seed([2; 32]).bytes();
        assert_ne!(x, y);
    }

    #[test]
    fn debug_does_not_show_the_seed() {
        let e = Entropy::from_seed([0xAB; 32]);
        assert!(!format!("{e:?}").contains("171"));
    }
}
