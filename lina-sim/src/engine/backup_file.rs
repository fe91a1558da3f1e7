//! The backup file format (see docs/backup-format.md): a header, the payload (the running and
//! startup configurations, the ASA version, the creation time), encrypted when a passphrase
//! is given, and a SHA-256 digest of everything before it.
//!
//! ```text
//! magic "ASABKUP\0" | version u8 = 1 | mode u8 (0 plain, 1 encrypted)
//! [mode 1: iterations u32 BE | salt 16 | nonce 12]
//! body length u32 BE | body | SHA-256(all preceding bytes) 32
//! ```
//! Encryption: key = PBKDF2-HMAC-SHA256(passphrase, salt, iterations, 32 bytes); body =
//! ChaCha20-Poly1305(key, nonce, aad = the header bytes before the body) of the payload,
//! tag appended. The digest tells a damaged file (digest mismatch) from a wrong passphrase
//! (digest right, tag wrong).

use std::fmt;
use std::num::NonZeroU32;

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::pbkdf2;
use sha2::{Digest, Sha256};

/// The first bytes of every backup file.
pub const MAGIC: &[u8; 8] = b"ASABKUP\0";
/// The format version written.
pub const VERSION: u8 = 1;
/// PBKDF2 iterations for new files.
pub const ITERATIONS: u32 = 100_000;
/// Most iterations accepted when reading (a file cannot make a restore run for minutes).
pub const MAX_ITERATIONS: u32 = 1_000_000;
const SALT_LEN: usize = 16;
const DIGEST_LEN: usize = 32;
const PAYLOAD_MAGIC: &str = "ASA-BACKUP-PAYLOAD 1\n";

/// What a backup carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub asa_version: String,
    /// Unix seconds.
    pub created: i64,
    pub running_config: String,
    pub startup_config: String,
}

/// The random inputs of an encrypted file (drawn by the engine's generator).
#[derive(Clone, Copy)]
pub struct Seal<'a> {
    pub passphrase: &'a str,
    pub salt: [u8; SALT_LEN],
    pub nonce: [u8; NONCE_LEN],
}

impl fmt::Debug for Seal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seal { .. }")
    }
}

/// Why a file cannot be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a backup file (wrong magic) or too short to be one.
    NotABackup,
    /// A format version this simulator does not read.
    UnsupportedVersion(u8),
    /// The digest does not match: the file is damaged.
    Corrupt,
    /// The file is encrypted and no passphrase was given.
    PassphraseRequired,
    /// Decryption failed: the passphrase is wrong.
    WrongPassphrase,
    /// The digest matches but the content is not what a backup holds.
    BadPayload(&'static str),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotABackup => f.write_str("not a backup file"),
            ReadError::UnsupportedVersion(v) => write!(f, "unsupported backup format version {v}"),
            ReadError::Corrupt => f.write_str("the backup file is corrupt (digest mismatch)"),
            ReadError::PassphraseRequired => {
                f.write_str("the backup is encrypted: a passphrase is required")
            }
            ReadError::WrongPassphrase => {
                f.write_str("decryption failed: the passphrase is incorrect")
            }
            ReadError::BadPayload(why) => write!(f, "the backup content is invalid: {why}"),
        }
    }
}

impl std::error::Error for ReadError {}

fn key(passphrase: &str, salt: &[u8], iterations: NonZeroU32) -> Option<LessSafeKey> {
    let mut key = [0u8; 32];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations,
        salt,
        passphrase.as_bytes(),
        &mut key,
    );
    UnboundKey::new(&CHACHA20_POLY1305, &key)
        .ok()
        .map(LessSafeKey::new)
}

/// Why a backup could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteError {
    /// The configuration is larger than the format's 4 GiB body.
    TooLarge,
    /// The cipher refused the key or the payload.
    Encryption,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::TooLarge => f.write_str("the configuration is too large to back up"),
            WriteError::Encryption => f.write_str("encrypting the backup failed"),
        }
    }
}

impl std::error::Error for WriteError {}

/// Serialises a backup, encrypted when `seal` is given (never silently in clear).
pub fn write(contents: &Contents, seal: Option<Seal<'_>>) -> Result<Vec<u8>, WriteError> {
    let mut payload = encode_payload(contents);
    let mut out = Vec::with_capacity(payload.len() + 128);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    let length = |n: usize| u32::try_from(n).map_err(|_| WriteError::TooLarge);
    match seal {
        Some(s) => {
            let iterations = NonZeroU32::new(ITERATIONS).ok_or(WriteError::Encryption)?;
            let key = key(s.passphrase, &s.salt, iterations).ok_or(WriteError::Encryption)?;
            out.push(1);
            out.extend_from_slice(&ITERATIONS.to_be_bytes());
            out.extend_from_slice(&s.salt);
            out.extend_from_slice(&s.nonce);
            let len = length(payload.len() + CHACHA20_POLY1305.tag_len())?;
            out.extend_from_slice(&len.to_be_bytes());
            let nonce = Nonce::assume_unique_for_key(s.nonce);
            key.seal_in_place_append_tag(nonce, Aad::from(&out), &mut payload)
                .map_err(|_| WriteError::Encryption)?;
        }
        None => {
            out.push(0);
            out.extend_from_slice(&length(payload.len())?.to_be_bytes());
        }
    }
    out.extend_from_slice(&payload);
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    Ok(out)
}

/// Reads a backup back. A passphrase given for a plain file is not needed and is ignored.
pub fn read(bytes: &[u8], passphrase: Option<&str>) -> Result<Contents, ReadError> {
    if bytes.len() < MAGIC.len() + 2 + 4 + DIGEST_LEN || !bytes.starts_with(MAGIC) {
        return Err(ReadError::NotABackup);
    }
    let (signed, digest) = bytes.split_at(bytes.len() - DIGEST_LEN);
    if Sha256::digest(signed).as_slice() != digest {
        return Err(ReadError::Corrupt);
    }
    let mut r = Reader {
        buf: signed,
        at: MAGIC.len(),
    };
    let version = r.u8()?;
    if version != VERSION {
        return Err(ReadError::UnsupportedVersion(version));
    }
    let mode = r.u8()?;
    let encryption = match mode {
        0 => None,
        1 => {
            let iterations = r.u32()?;
            let salt = r.take(SALT_LEN)?;
            let nonce: [u8; NONCE_LEN] = r
                .take(NONCE_LEN)?
                .try_into()
                .map_err(|_| ReadError::NotABackup)?;
            Some((iterations, salt, nonce))
        }
        _ => return Err(ReadError::BadPayload("unknown encryption mode")),
    };
    let len = r.u32()? as usize;
    let header_end = r.at;
    let body = r.take(len)?;
    if r.at != signed.len() {
        return Err(ReadError::BadPayload("trailing bytes after the body"));
    }
    let payload = match encryption {
        None => body.to_vec(),
        Some((iterations, salt, nonce)) => {
            let passphrase = passphrase.ok_or(ReadError::PassphraseRequired)?;
            let iterations = NonZeroU32::new(iterations)
                .filter(|n| n.get() <= MAX_ITERATIONS)
                .ok_or(ReadError::BadPayload("iteration count out of range"))?;
            let key =
                key(passphrase, salt, iterations).ok_or(ReadError::BadPayload("unusable key"))?;
            let aad = signed.get(..header_end).unwrap_or_default();
            let mut in_out = body.to_vec();
            let plain = key
                .open_in_place(
                    Nonce::assume_unique_for_key(nonce),
                    Aad::from(aad),
                    &mut in_out,
                )
                .map_err(|_| ReadError::WrongPassphrase)?;
            plain.to_vec()
        }
    };
    decode_payload(&payload)
}

struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let end = self.at.checked_add(n).ok_or(ReadError::NotABackup)?;
        let out = self.buf.get(self.at..end).ok_or(ReadError::NotABackup)?;
        self.at = end;
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, ReadError> {
        Ok(self.take(1)?.first().copied().unwrap_or(0))
    }

    fn u32(&mut self) -> Result<u32, ReadError> {
        let b: [u8; 4] = self
            .take(4)?
            .try_into()
            .map_err(|_| ReadError::NotABackup)?;
        Ok(u32::from_be_bytes(b))
    }
}

/// The payload: a magic line, `asa-version`, `created`, then the two configurations, each as
/// `<name> <byte length>\n<bytes>`.
fn encode_payload(c: &Contents) -> Vec<u8> {
    let mut out = String::with_capacity(c.running_config.len() + c.startup_config.len() + 128);
    out.push_str(PAYLOAD_MAGIC);
    out.push_str(&format!("asa-version {}\n", c.asa_version));
    out.push_str(&format!("created {}\n", c.created));
    for (name, text) in [
        ("running-config", &c.running_config),
        ("startup-config", &c.startup_config),
    ] {
        out.push_str(&format!("{name} {}\n", text.len()));
        out.push_str(text);
    }
    out.into_bytes()
}

fn decode_payload(bytes: &[u8]) -> Result<Contents, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::BadPayload("not UTF-8"))?;
    let mut rest = text
        .strip_prefix(PAYLOAD_MAGIC)
        .ok_or(ReadError::BadPayload("unknown payload"))?;
    let mut line = |key: &'static str| -> Result<&str, ReadError> {
        let (l, r) = rest
            .split_once('\n')
            .ok_or(ReadError::BadPayload("truncated"))?;
        rest = r;
        l.strip_prefix(key)
            .and_then(|v| v.strip_prefix(' '))
            .ok_or(ReadError::BadPayload("missing field"))
    };
    let asa_version = line("asa-version")?.to_owned();
    let created = line("created")?
        .parse()
        .map_err(|_| ReadError::BadPayload("bad creation time"))?;
    let mut section = |key: &'static str| -> Result<String, ReadError> {
        let (l, r) = rest
            .split_once('\n')
            .ok_or(ReadError::BadPayload("truncated"))?;
        let len: usize = l
            .strip_prefix(key)
            .and_then(|v| v.strip_prefix(' '))
            .and_then(|v| v.parse().ok())
            .ok_or(ReadError::BadPayload("missing section"))?;
        let body = r
            .get(..len)
            .ok_or(ReadError::BadPayload("truncated section"))?;
        rest = r.get(len..).unwrap_or_default();
        Ok(body.to_owned())
    };
    let running_config = section("running-config")?;
    let startup_config = section("startup-config")?;
    if !rest.is_empty() {
        return Err(ReadError::BadPayload("trailing data"));
    }
    Ok(Contents {
        asa_version,
        created,
        running_config,
        startup_config,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn contents() -> Contents {
        Contents {
            asa_version: "9.16(4)".into(),
            created: 1_700_000_000,
            running_config: "hostname a\nobject network web\n host 10.0.0.1\n".into(),
            startup_config: "hostname b\n".into(),
        }
    }

    fn seal(passphrase: &str) -> Seal<'_> {
        Seal {
            passphrase,
            salt: [7; SALT_LEN],
            nonce: [9; NONCE_LEN],
        }
    }

    #[test]
    fn plain_files_round_trip() {
        let bytes = write(&contents(), None).unwrap();
        assert!(bytes.starts_with(MAGIC));
        assert_eq!(read(&bytes, None), Ok(contents()));
        assert_eq!(read(&bytes, Some("ignored")), Ok(contents()));
    }

    #[test]
    fn encrypted_files_round_trip_and_hide_the_configuration() {
        let bytes = write(&contents(), Some(seal("s3cret"))).unwrap();
        assert!(!bytes.windows(8).any(|w| w == b"hostname"));
        assert_eq!(read(&bytes, Some("s3cret")), Ok(contents()));
    }

    #[test]
    fn a_wrong_or_missing_passphrase_is_told_apart_from_damage() {
        let bytes = write(&contents(), Some(seal("s3cret"))).unwrap();
        assert_eq!(read(&bytes, Some("guess")), Err(ReadError::WrongPassphrase));
        assert_eq!(read(&bytes, None), Err(ReadError::PassphraseRequired));
        let mut damaged = bytes.clone();
        if let Some(b) = damaged.get_mut(60) {
            *b ^= 1;
        }
        assert_eq!(read(&damaged, Some("s3cret")), Err(ReadError::Corrupt));
    }

    #[test]
    fn a_header_tampered_with_and_re_digested_fails_authentication() {
        let bytes = write(&contents(), Some(seal("s3cret"))).unwrap();
        let mut forged = bytes[..bytes.len() - DIGEST_LEN].to_vec();
        // The last salt byte: part of the key derivation and of the authenticated header.
        forged[MAGIC.len() + 2 + 4 + SALT_LEN - 1] ^= 1;
        let digest = Sha256::digest(&forged);
        forged.extend_from_slice(&digest);
        assert_eq!(
            read(&forged, Some("s3cret")),
            Err(ReadError::WrongPassphrase)
        );
    }

    #[test]
    fn other_files_are_not_backups() {
        assert_eq!(read(b"hostname x\n", None), Err(ReadError::NotABackup));
        let mut v2 = write(&contents(), None).unwrap();
        v2[MAGIC.len()] = 2;
        let n = v2.len() - DIGEST_LEN;
        let digest = Sha256::digest(&v2[..n]);
        v2[n..].copy_from_slice(&digest);
        assert_eq!(read(&v2, None), Err(ReadError::UnsupportedVersion(2)));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = read(&b, Some("x"));
        }

        #[test]
        fn any_plain_contents_round_trip(run in ".{0,200}", start in ".{0,100}", created in any::<i64>()) {
            let c = Contents {
                asa_version: "9.16(4)".into(),
                created,
                running_config: run,
                startup_config: start,
            };
            prop_assert_eq!(read(&write(&c, None).unwrap(), None), Ok(c));
        }
    }
}
