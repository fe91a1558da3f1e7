//! Key pairs and certificates, with real cryptography: `crypto key generate rsa|ecdsa`,
//! `crypto key zeroize`, `show crypto key mypubkey`, `crypto ca import <tp> pkcs12 <pass>`
//! (the base64 pasted on the following lines, ended by `quit`), `crypto ca authenticate <tp>`
//! (a CA certificate in PEM, pasted likewise), `crypto ca enroll <tp>` (self-signed when the
//! trust-point says ` enrollment self`), `crypto ca export <tp> pkcs12 <pass>|identity-certificate`,
//! `show crypto ca certificates`, and the identity the HTTPS server presents (`ssl trust-point`).
//!
//! As on an ASA, key pairs are not configuration lines: they live in the [`KeyStore`], which
//! `show running-config` never prints; `write memory` saves it beside the startup configuration
//! (`Effect::WriteKeyStore`). Certificates are configuration: `crypto ca certificate chain <tp>`
//! holds each one as hex DER lines. A private key leaves only inside an encrypted PKCS#12
//! (`crypto ca export ... pkcs12`, a configuration-mode command: privilege 15).
//!
//! ```text
//! crypto ca trustpoint TP
//!  keypair TP
//! crypto ca certificate chain TP
//!  certificate 0a1b2c
//!     308201c7 30820130 a0030201 020204e2 c7985730 0d06092a 864886f7 0d010105
//!   quit
//! ```

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::apply::{Applier, word_offset};
use super::config::{BlockId, Config};
use super::entropy::Entropy;
use super::error::CliError;
use super::session::abbrev;

/// The label of the RSA key pair used when none is named.
pub const DEFAULT_RSA_KEY: &str = "<Default-RSA-Key>";
/// The label of the ECDSA key pair used when none is named.
pub const DEFAULT_ECDSA_KEY: &str = "<Default-ECDSA-Key>";
/// Largest pasted PKCS#12 or PEM, in bytes of text.
pub const MAX_PASTE: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Rsa,
    Ecdsa,
}

impl Algorithm {
    pub fn keyword(self) -> &'static str {
        match self {
            Algorithm::Rsa => "rsa",
            Algorithm::Ecdsa => "ecdsa",
        }
    }
}

/// One key pair: its private key as PKCS#8 DER (never printed), its public key as SPKI DER.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyPair {
    pub algorithm: Algorithm,
    pub bits: u32,
    pub pkcs8: Vec<u8>,
    pub spki: Vec<u8>,
    /// Unix seconds.
    pub generated: i64,
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The private key is a secret: never print it.
        f.debug_struct("KeyPair")
            .field("algorithm", &self.algorithm)
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    /// A key pair from PKCS#8 DER (RSA or ECDSA P-256/P-384), as ring can sign with it.
    pub fn from_pkcs8(pkcs8: &[u8], generated: i64) -> Option<KeyPair> {
        use rcgen::PublicKeyData as _;
        use x509_parser::prelude::FromDer;
        use x509_parser::public_key::PublicKey;
        let pair = rcgen::KeyPair::try_from(pkcs8).ok()?;
        let spki = pair.subject_public_key_info();
        let (_, info) = x509_parser::x509::SubjectPublicKeyInfo::from_der(&spki).ok()?;
        let parsed = info.parsed().ok()?;
        let bits = u32::try_from(parsed.key_size()).ok()?;
        let algorithm = match parsed {
            PublicKey::RSA(_) => Algorithm::Rsa,
            PublicKey::EC(_) => Algorithm::Ecdsa,
            _ => return None,
        };
        Some(KeyPair {
            algorithm,
            bits,
            pkcs8: pkcs8.to_vec(),
            spki,
            generated,
        })
    }
}

/// The device's key pairs by label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyStore {
    pairs: BTreeMap<String, KeyPair>,
}

impl KeyStore {
    pub fn get(&self, label: &str) -> Option<&KeyPair> {
        self.pairs.get(label)
    }

    pub fn insert(&mut self, label: &str, pair: KeyPair) {
        self.pairs.insert(label.to_owned(), pair);
    }

    pub fn remove(&mut self, label: &str) -> Option<KeyPair> {
        self.pairs.remove(label)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &KeyPair)> {
        self.pairs.iter()
    }

    /// The saved form: one line per key pair, `<alg> <bits> <generated> <pkcs8 base64> <label>`.
    /// Written only to the state directory (mode 0600), never printed.
    pub fn serialize(&self) -> String {
        let mut out = String::new();
        for (label, pair) in &self.pairs {
            out.push_str(&format!(
                "{} {} {} {} {label}\n",
                pair.algorithm.keyword(),
                pair.bits,
                pair.generated,
                STANDARD.encode(&pair.pkcs8)
            ));
        }
        out
    }

    /// Reads [`KeyStore::serialize`]'s form; lines that do not parse are skipped.
    pub fn parse(text: &str) -> KeyStore {
        let mut store = KeyStore::default();
        for line in text.lines() {
            let mut words = line.splitn(5, ' ');
            let (Some(_alg), Some(_bits), Some(generated), Some(b64), Some(label)) = (
                words.next(),
                words.next(),
                words.next(),
                words.next(),
                words.next(),
            ) else {
                continue;
            };
            let Ok(der) = STANDARD.decode(b64) else {
                continue;
            };
            let generated = generated.parse().unwrap_or(0);
            if let Some(pair) = KeyPair::from_pkcs8(&der, generated)
                && valid_label(label)
            {
                store.insert(label, pair);
            }
        }
        store
    }
}

/// A key label or trust-point name: 1 to 64 printable characters without blanks.
pub fn valid_label(label: &str) -> bool {
    !label.is_empty() && label.len() <= 64 && label.chars().all(|c| c.is_ascii_graphic())
}

/// Adapts the engine's [`Entropy`] to the `rand_core` traits key generation needs.
struct Rng<'a>(&'a mut Entropy);

impl rand_core::TryRng for Rng<'_> {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(u32::from_le_bytes(self.0.bytes()))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(u64::from_le_bytes(self.0.bytes()))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.0.fill(dst);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Rng<'_> {}

/// Generates an RSA key pair of `bits`.
pub fn generate_rsa(rng: &mut Entropy, bits: u32, now: i64) -> Option<KeyPair> {
    use rsa::pkcs8::EncodePrivateKey;
    let key = rsa::PrivateKey::new(&mut Rng(rng), usize::try_from(bits).ok()?).ok()?;
    let der = key.to_pkcs8_der().ok()?;
    KeyPair::from_pkcs8(der.as_bytes(), now)
}

/// Generates an ECDSA key pair on P-256 or P-384. ring's generator is sealed: it draws from
/// the operating system, not from the engine's seeded [`Entropy`].
pub fn generate_ecdsa(bits: u32, now: i64) -> Option<KeyPair> {
    let alg = match bits {
        256 => &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
        384 => &ring::signature::ECDSA_P384_SHA384_ASN1_SIGNING,
        _ => return None,
    };
    let rng = ring::rand::SystemRandom::new();
    let doc = ring::signature::EcdsaKeyPair::generate_pkcs8(alg, &rng).ok()?;
    KeyPair::from_pkcs8(doc.as_ref(), now)
}

/// What a pasted block is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasteKind {
    /// `crypto ca import <tp> pkcs12 <passphrase>`
    Pkcs12 { passphrase: String },
    /// `crypto ca authenticate <tp>`
    CaCertificate,
}

/// Lines being pasted after `crypto ca import|authenticate`, until `quit`.
#[derive(Clone, PartialEq, Eq)]
pub struct Paste {
    pub trustpoint: String,
    pub kind: PasteKind,
    pub text: String,
}

impl fmt::Debug for Paste {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paste")
            .field("trustpoint", &self.trustpoint)
            .finish_non_exhaustive()
    }
}

/// A parsed `crypto key ...` command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCommand {
    Generate {
        algorithm: Algorithm,
        label: String,
        bits: u32,
        noconfirm: bool,
    },
    Zeroize {
        algorithm: Algorithm,
        label: Option<String>,
    },
}

/// Parses `crypto key generate rsa [general-keys] [label L] [modulus N] [noconfirm]`,
/// `crypto key generate ecdsa [label L] [elliptic-curve 256|384] [noconfirm]` and
/// `crypto key zeroize rsa|ecdsa [label L] [default] [noconfirm]`.
pub fn parse_key_command(line: &str) -> Result<KeyCommand, CliError> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let generate = match words.get(2) {
        Some(w) if abbrev(w, "generate", 1) => true,
        Some(w) if abbrev(w, "zeroize", 1) => false,
        Some(_) => return Err(CliError::invalid(line, word_offset(line, 2))),
        None => return Err(CliError::Incomplete),
    };
    let algorithm = match words.get(3) {
        Some(w) if abbrev(w, "rsa", 1) => Algorithm::Rsa,
        Some(w) if abbrev(w, "ecdsa", 1) => Algorithm::Ecdsa,
        Some(_) => return Err(CliError::invalid(line, word_offset(line, 3))),
        None => return Err(CliError::Incomplete),
    };
    let mut label = None;
    let mut bits = None;
    let mut noconfirm = false;
    let mut i = 4;
    while let Some(w) = words.get(i) {
        let value = |n: usize| words.get(n).copied().ok_or(CliError::Incomplete);
        if abbrev(w, "label", 1) {
            let l = value(i + 1)?;
            if !valid_label(l) {
                return Err(CliError::invalid(line, word_offset(line, i + 1)));
            }
            label = Some(l.to_owned());
            i += 2;
        } else if generate && algorithm == Algorithm::Rsa && abbrev(w, "modulus", 1) {
            bits = Some(match value(i + 1)? {
                "1024" => 1024,
                "2048" => 2048,
                "3072" => 3072,
                "4096" => 4096,
                _ => return Err(CliError::invalid(line, word_offset(line, i + 1))),
            });
            i += 2;
        } else if generate && algorithm == Algorithm::Ecdsa && abbrev(w, "elliptic-curve", 1) {
            bits = Some(match value(i + 1)? {
                "256" => 256,
                "384" => 384,
                _ => return Err(CliError::invalid(line, word_offset(line, i + 1))),
            });
            i += 2;
        } else if (generate && algorithm == Algorithm::Rsa && abbrev(w, "general-keys", 1))
            || (!generate && abbrev(w, "default", 1))
        {
            i += 1;
        } else if abbrev(w, "noconfirm", 1) {
            noconfirm = true;
            i += 1;
        } else {
            return Err(CliError::invalid(line, word_offset(line, i)));
        }
    }
    Ok(if generate {
        let default = match algorithm {
            Algorithm::Rsa => DEFAULT_RSA_KEY,
            Algorithm::Ecdsa => DEFAULT_ECDSA_KEY,
        };
        KeyCommand::Generate {
            algorithm,
            label: label.unwrap_or_else(|| default.to_owned()),
            bits: bits.unwrap_or(match algorithm {
                Algorithm::Rsa => 2048,
                Algorithm::Ecdsa => 384,
            }),
            noconfirm,
        }
    } else {
        KeyCommand::Zeroize { algorithm, label }
    })
}

/// Runs a `crypto key` command on the store; its output.
pub fn run_key_command(
    store: &mut KeyStore,
    rng: &mut Entropy,
    cmd: KeyCommand,
    now: i64,
) -> Result<String, CliError> {
    match cmd {
        KeyCommand::Generate {
            algorithm,
            label,
            bits,
            noconfirm,
        } => {
            if store.get(&label).is_some() && !noconfirm {
                return Err(CliError::Crypto(format!(
                    "ERROR: You already have {} keys defined named {label}.\nUse noconfirm to replace them.",
                    algorithm.keyword().to_uppercase()
                )));
            }
            let pair = match algorithm {
                Algorithm::Rsa => generate_rsa(rng, bits, now),
                Algorithm::Ecdsa => generate_ecdsa(bits, now),
            }
            .ok_or_else(|| CliError::Crypto("ERROR: Key pair generation failed".to_owned()))?;
            store.insert(&label, pair);
            Ok(format!(
                "INFO: The name for the keys will be: {label}\nKeypair generation process begin. Please wait...\n"
            ))
        }
        KeyCommand::Zeroize { algorithm, label } => {
            let labels: Vec<String> = store
                .iter()
                .filter(|(l, p)| {
                    p.algorithm == algorithm && label.as_ref().is_none_or(|want| want == *l)
                })
                .map(|(l, _)| l.clone())
                .collect();
            if labels.is_empty() {
                return Err(CliError::Crypto(format!(
                    "ERROR: No {} keys found{}",
                    algorithm.keyword().to_uppercase(),
                    label
                        .map(|l| format!(" with label {l}"))
                        .unwrap_or_default()
                )));
            }
            for l in labels {
                store.remove(&l);
            }
            Ok(String::new())
        }
    }
}

/// `show crypto key mypubkey rsa|ecdsa`.
pub fn show_mypubkey(store: &KeyStore, algorithm: Algorithm) -> String {
    let mut out = String::new();
    for (label, pair) in store.iter().filter(|(_, p)| p.algorithm == algorithm) {
        out.push_str(&format!(
            "Key pair was generated at: {}\nKey name: {label}\n Usage: General Purpose Key\n",
            asa_time(pair.generated)
        ));
        match algorithm {
            Algorithm::Rsa => out.push_str(&format!(" Modulus Size (bits): {}\n", pair.bits)),
            Algorithm::Ecdsa => out.push_str(&format!(" Key Size (bits): {}\n", pair.bits)),
        }
        out.push_str(" Storage: config\n Key Data:\n\n");
        out.push_str(&hex_lines(&pair.spki, "  "));
        out.push('\n');
    }
    out
}

/// DER as an ASA prints it: 8 groups of 4 bytes per line, each line indented by `indent`.
pub fn hex_lines(der: &[u8], indent: &str) -> String {
    let mut out = String::new();
    for line in der.chunks(32) {
        out.push_str(indent);
        let groups: Vec<String> = line
            .chunks(4)
            .map(|g| g.iter().map(|b| format!("{b:02x}")).collect())
            .collect();
        out.push_str(&groups.join(" "));
        out.push('\n');
    }
    out
}

/// `HH:MM:SS UTC Mon DD YYYY`, as the ASA prints certificate and key dates.
pub fn asa_time(unix: i64) -> String {
    let c = syslog::time::Timestamp(unix).civil();
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS
        .get(usize::from(c.month).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{:02}:{:02}:{:02} UTC {month} {:02} {}",
        c.hour, c.minute, c.second, c.day, c.year
    )
}

/// One certificate of a `crypto ca certificate chain` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCert {
    pub ca: bool,
    pub der: Vec<u8>,
}

/// The block `crypto ca certificate chain <tp>`.
pub fn chain_block(cfg: &Config, tp: &str) -> Option<BlockId> {
    let head = format!("crypto ca certificate chain {tp}");
    cfg.find_cached("crypto", &head, |b| b.head().text == head)
}

/// The block `crypto ca trustpoint <tp>`.
pub fn trustpoint_block(cfg: &Config, tp: &str) -> Option<BlockId> {
    let head = format!("crypto ca trustpoint {tp}");
    cfg.find_cached("crypto", &head, |b| b.head().text == head)
}

/// The certificates of a chain block, from its hex lines.
pub fn chain_certs(cfg: &Config, tp: &str) -> Vec<ChainCert> {
    let Some(block) = chain_block(cfg, tp).and_then(|id| cfg.block(id)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut current: Option<(bool, String)> = None;
    for child in block.children() {
        let text = child.text.trim();
        if let Some(rest) = text.strip_prefix("certificate ") {
            if let Some((ca, hex)) = current.take() {
                out.extend(decode_hex(&hex).map(|der| ChainCert { ca, der }));
            }
            current = Some((rest.starts_with("ca "), String::new()));
        } else if text == "quit" {
            if let Some((ca, hex)) = current.take() {
                out.extend(decode_hex(&hex).map(|der| ChainCert { ca, der }));
            }
        } else if let Some((_, hex)) = current.as_mut() {
            hex.push_str(text);
        }
    }
    if let Some((ca, hex)) = current.take() {
        out.extend(decode_hex(&hex).map(|der| ChainCert { ca, der }));
    }
    out
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|p| {
            let s = std::str::from_utf8(p).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect()
}

/// The key pair label a trust-point names (` keypair <label>`), or the default RSA key.
pub fn trustpoint_keypair(cfg: &Config, tp: &str) -> Option<String> {
    let block = cfg.block(trustpoint_block(cfg, tp)?)?;
    Some(
        block
            .children()
            .find_map(|c| c.text.trim().strip_prefix("keypair ").map(str::to_owned))
            .unwrap_or_else(|| DEFAULT_RSA_KEY.to_owned()),
    )
}

/// Whether a trust-point says ` enrollment self`.
pub fn enrolls_self(cfg: &Config, tp: &str) -> bool {
    trustpoint_block(cfg, tp)
        .and_then(|id| cfg.block(id))
        .is_some_and(|b| b.children().any(|c| c.text.trim() == "enrollment self"))
}

/// The serial number of a certificate, in lowercase hex without leading zero bytes.
pub fn serial_hex(der: &[u8]) -> Option<String> {
    use x509_parser::prelude::FromDer;
    let (_, cert) = x509_parser::certificate::X509Certificate::from_der(der).ok()?;
    let raw = cert.raw_serial();
    let trimmed: Vec<u8> = raw.iter().copied().skip_while(|b| *b == 0).collect();
    let bytes = if trimmed.is_empty() { vec![0] } else { trimmed };
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The lines of a chain block holding `certs`: what `crypto ca certificate chain <tp>` prints.
pub fn chain_lines(tp: &str, certs: &[ChainCert]) -> Vec<String> {
    let mut lines = vec![format!("crypto ca certificate chain {tp}")];
    for c in certs {
        let serial = serial_hex(&c.der).unwrap_or_else(|| "00".to_owned());
        lines.push(if c.ca {
            format!(" certificate ca {serial}")
        } else {
            format!(" certificate {serial}")
        });
        lines.extend(hex_lines(&c.der, "    ").lines().map(str::to_owned));
        lines.push("  quit".to_owned());
    }
    lines
}

/// Replaces (or creates, or with no certificate removes) the chain block of `tp`.
pub fn set_chain(a: &mut Applier<'_>, tp: &str, certs: &[ChainCert]) {
    if let Some(id) = chain_block(a.cfg, tp) {
        a.cfg.remove(id);
    }
    if certs.is_empty() {
        return;
    }
    let lines = chain_lines(tp, certs);
    let head = super::config::Entry::verbatim(lines.first().cloned().unwrap_or_default());
    let children = lines
        .iter()
        .skip(1)
        .map(|l| super::config::Entry::verbatim(l.get(1..).unwrap_or("")))
        .collect();
    a.cfg
        .insert_placed(super::config::Block::new(head, children));
}

/// Creates `crypto ca trustpoint <tp>` with ` keypair <label>` and ` crl configure` when it
/// does not exist.
pub fn ensure_trustpoint(a: &mut Applier<'_>, tp: &str, keypair: &str) {
    if trustpoint_block(a.cfg, tp).is_some() {
        return;
    }
    let head = super::config::Entry::verbatim(format!("crypto ca trustpoint {tp}"));
    let children = vec![
        super::config::Entry::verbatim(format!("keypair {keypair}")),
        super::config::Entry::verbatim("crl configure"),
    ];
    a.cfg
        .insert_placed(super::config::Block::new(head, children));
}

/// Decodes pasted base64 (any line lengths, blanks and `-----` armour lines dropped).
pub fn decode_pasted_base64(text: &str) -> Option<Vec<u8>> {
    let b64: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("-----"))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    if b64.is_empty() {
        return None;
    }
    STANDARD.decode(b64).ok()
}

/// A PKCS#12's private key (PKCS#8 DER) and its certificates, identity first.
pub fn read_pkcs12(der: &[u8], passphrase: &str) -> Result<(Vec<u8>, Vec<ChainCert>), String> {
    let store = p12_keystore::KeyStore::from_pkcs12(
        der,
        passphrase,
        p12_keystore::Pkcs12ImportPolicy::Relaxed,
    )
    .map_err(|e| e.to_string())?;
    let (_, chain) = store
        .private_key_chain()
        .ok_or_else(|| "no private key".to_owned())?;
    let mut certs: Vec<ChainCert> = chain
        .certs()
        .iter()
        .enumerate()
        .map(|(i, c)| ChainCert {
            ca: i > 0,
            der: c.as_der().to_vec(),
        })
        .collect();
    for (_, entry) in store.entries() {
        if let p12_keystore::KeyStoreEntry::Certificate(c) = entry
            && !certs.iter().any(|k| k.der == c.as_der())
        {
            certs.push(ChainCert {
                ca: true,
                der: c.as_der().to_vec(),
            });
        }
    }
    if certs.is_empty() {
        return Err("no certificate".to_owned());
    }
    Ok((chain.key().as_der().to_vec(), certs))
}

/// A PKCS#12 of the key and certificates, encrypted under `passphrase` (PBES2 AES-256).
pub fn write_pkcs12(
    tp: &str,
    pkcs8: &[u8],
    certs: &[ChainCert],
    passphrase: &str,
) -> Result<Vec<u8>, String> {
    let key = p12_keystore::PrivateKey::from_der(pkcs8).map_err(|e| e.to_string())?;
    let chain: Vec<p12_keystore::Certificate> = certs
        .iter()
        .filter_map(|c| p12_keystore::Certificate::from_der(&c.der).ok())
        .collect();
    let id = certs
        .first()
        .map(|c| {
            use sha2::Digest as _;
            sha2::Sha256::digest(&c.der).to_vec()
        })
        .unwrap_or_default();
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(
        tp,
        p12_keystore::KeyStoreEntry::PrivateKeyChain(p12_keystore::PrivateKeyChain::new(
            id, key, chain,
        )),
    );
    store.writer(passphrase).write().map_err(|e| e.to_string())
}

/// Base64 in 64-character lines between `-----BEGIN <label>-----` and `-----END <label>-----`.
pub fn armour(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// A self-signed certificate for `tp` signed by `pair`, subject from ` subject-name` (else
/// `CN=<hostname>`), valid ten years from `now`.
pub fn self_signed(
    pair: &KeyPair,
    subject: &str,
    fqdn: Option<&str>,
    serial: [u8; 8],
    now: i64,
) -> Option<Vec<u8>> {
    let key = rcgen::KeyPair::try_from(pair.pkcs8.as_slice()).ok()?;
    let mut params = rcgen::CertificateParams::default();
    params.distinguished_name = distinguished_name(subject);
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
    params.not_before = time::OffsetDateTime::from_unix_timestamp(now).ok()?;
    params.not_after = time::OffsetDateTime::from_unix_timestamp(now + 10 * 365 * 86_400).ok()?;
    if let Some(f) = fqdn {
        params.subject_alt_names = vec![rcgen::SanType::DnsName(f.to_owned().try_into().ok()?)];
    }
    let cert = params.self_signed(&key).ok()?;
    Some(cert.der().to_vec())
}

/// `CN=a,OU=b,O=c` (as ` subject-name` writes it) as rcgen's distinguished name.
pub fn distinguished_name(subject: &str) -> rcgen::DistinguishedName {
    let mut dn = rcgen::DistinguishedName::new();
    for part in subject.split(',') {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        let v = v.trim().to_owned();
        let t = match k.trim().to_ascii_uppercase().as_str() {
            "CN" => rcgen::DnType::CommonName,
            "OU" => rcgen::DnType::OrganizationalUnitName,
            "O" => rcgen::DnType::OrganizationName,
            "L" => rcgen::DnType::LocalityName,
            "ST" => rcgen::DnType::StateOrProvinceName,
            "C" => rcgen::DnType::CountryName,
            _ => continue,
        };
        dn.push(t, v);
    }
    dn
}

/// `show crypto ca certificates [<tp>]`.
pub fn show_certificates(cfg: &Config, only: Option<&str>) -> String {
    let mut out = String::new();
    let tps: Vec<String> = cfg
        .iter()
        .filter_map(|(_, b)| {
            b.head()
                .text
                .strip_prefix("crypto ca certificate chain ")
                .map(str::to_owned)
        })
        .collect();
    for tp in tps.iter().filter(|t| only.is_none_or(|o| o == t.as_str())) {
        for c in chain_certs(cfg, tp) {
            out.push_str(&describe(&c, tp));
            out.push('\n');
        }
    }
    out
}

fn describe(c: &ChainCert, tp: &str) -> String {
    use x509_parser::prelude::FromDer;
    let Ok((_, cert)) = x509_parser::certificate::X509Certificate::from_der(&c.der) else {
        return String::new();
    };
    let key = cert
        .public_key()
        .parsed()
        .map(|k| match k {
            x509_parser::public_key::PublicKey::RSA(_) => format!("RSA ({} bits)", k.key_size()),
            x509_parser::public_key::PublicKey::EC(_) => {
                format!("ECDSA ({} bits)", k.key_size())
            }
            _ => "Unknown".to_owned(),
        })
        .unwrap_or_else(|_| "Unknown".to_owned());
    let names = |n: &x509_parser::x509::X509Name<'_>| -> String {
        n.iter_rdn()
            .flat_map(|r| r.iter())
            .map(|a| {
                let short = x509_parser::objects::oid2abbrev(
                    a.attr_type(),
                    x509_parser::objects::oid_registry(),
                )
                .unwrap_or("oid")
                .to_ascii_lowercase();
                format!("    {short}={}\n", a.as_str().unwrap_or(""))
            })
            .collect()
    };
    format!(
        "{}\n  Status: Available\n  Certificate Serial Number: {}\n  Certificate Usage: General Purpose\n  Public Key Type: {key}\n  Issuer Name: \n{}  Subject Name:\n{}  Validity Date: \n    start date: {}\n    end   date: {}\n  Storage: config\n  Associated Trustpoints: {tp} \n",
        if c.ca {
            "CA Certificate"
        } else {
            "Certificate"
        },
        serial_hex(&c.der).unwrap_or_default(),
        names(cert.issuer()),
        names(cert.subject()),
        asa_time(cert.validity().not_before.timestamp()),
        asa_time(cert.validity().not_after.timestamp()),
    )
}

/// A parsed `crypto ca import|authenticate|enroll|export ...` command.
#[derive(Clone, PartialEq, Eq)]
pub enum CaCommand {
    Import { tp: String, passphrase: String },
    Authenticate { tp: String },
    Enroll { tp: String },
    ExportPkcs12 { tp: String, passphrase: String },
    ExportIdentity { tp: String },
}

impl fmt::Debug for CaCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Passphrases are secrets: never print them.
        match self {
            CaCommand::Import { tp, .. } => write!(f, "Import({tp})"),
            CaCommand::Authenticate { tp } => write!(f, "Authenticate({tp})"),
            CaCommand::Enroll { tp } => write!(f, "Enroll({tp})"),
            CaCommand::ExportPkcs12 { tp, .. } => write!(f, "ExportPkcs12({tp})"),
            CaCommand::ExportIdentity { tp } => write!(f, "ExportIdentity({tp})"),
        }
    }
}

/// Whether a line is one of the `crypto ca` commands that act rather than configure.
pub fn is_ca_command(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    matches!(words.as_slice(), [c, ca, w, ..]
        if c.eq_ignore_ascii_case("crypto") && ca.eq_ignore_ascii_case("ca")
            && ["import", "authenticate", "enroll", "export"].iter().any(|k| w.eq_ignore_ascii_case(k)))
}

/// Parses `crypto ca import <tp> pkcs12 <passphrase> [nointeractive]`,
/// `crypto ca authenticate <tp> [nointeractive]`, `crypto ca enroll <tp> [noconfirm]`,
/// `crypto ca export <tp> pkcs12 <passphrase>` and `crypto ca export <tp> identity-certificate`.
pub fn parse_ca_command(line: &str) -> Result<CaCommand, CliError> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let bad = |n: usize| CliError::invalid(line, word_offset(line, n));
    let verb = words
        .get(2)
        .copied()
        .ok_or(CliError::Incomplete)?
        .to_ascii_lowercase();
    let tp = words.get(3).copied().ok_or(CliError::Incomplete)?;
    if !valid_label(tp) {
        return Err(bad(3));
    }
    let tp = tp.to_owned();
    let rest = words.get(4..).unwrap_or(&[]);
    let passphrase = |at: usize| -> Result<String, CliError> {
        let p = words.get(at).copied().ok_or(CliError::Incomplete)?;
        Ok(p.to_owned())
    };
    match verb.as_str() {
        "import" => match rest {
            [kind, ..] if kind.eq_ignore_ascii_case("pkcs12") => {
                let passphrase = passphrase(5)?;
                match words.get(6..).unwrap_or(&[]) {
                    [] => {}
                    [w] if abbrev(w, "nointeractive", 3) => {}
                    _ => return Err(bad(6)),
                }
                Ok(CaCommand::Import { tp, passphrase })
            }
            [] => Err(CliError::Incomplete),
            _ => Err(bad(4)),
        },
        "authenticate" => match rest {
            [] => Ok(CaCommand::Authenticate { tp }),
            [w] if abbrev(w, "nointeractive", 3) => Ok(CaCommand::Authenticate { tp }),
            _ => Err(bad(4)),
        },
        "enroll" => match rest {
            [] => Ok(CaCommand::Enroll { tp }),
            [w] if abbrev(w, "noconfirm", 3) => Ok(CaCommand::Enroll { tp }),
            _ => Err(bad(4)),
        },
        "export" => match rest {
            [kind, _] if kind.eq_ignore_ascii_case("pkcs12") => Ok(CaCommand::ExportPkcs12 {
                tp,
                passphrase: passphrase(5)?,
            }),
            [kind] if kind.eq_ignore_ascii_case("pkcs12") => Err(CliError::Incomplete),
            [kind] if abbrev(kind, "identity-certificate", 2) => {
                Ok(CaCommand::ExportIdentity { tp })
            }
            [] => Err(CliError::Incomplete),
            _ => Err(bad(4)),
        },
        _ => Err(bad(2)),
    }
}

impl super::Engine {
    /// The key store as saved beside the startup configuration.
    pub fn key_store_text(&self) -> String {
        self.keys.serialize()
    }

    /// Loads the key store saved by `write memory` (at boot).
    pub fn load_key_store(&mut self, text: &str) {
        self.keys = KeyStore::parse(text);
    }

    /// Runs `crypto key generate|zeroize ...`.
    pub(crate) fn crypto_key(&mut self, line: &str, now: i64) -> Result<String, CliError> {
        let cmd = parse_key_command(line)?;
        run_key_command(&mut self.keys, &mut self.rng, cmd, now)
    }

    /// Runs a `crypto ca` action; `Ok(Some(paste))` when the command now reads pasted lines.
    pub(crate) fn crypto_ca(
        &mut self,
        line: &str,
        now: i64,
    ) -> Result<(String, Option<Paste>), CliError> {
        match parse_ca_command(line)? {
            CaCommand::Import { tp, passphrase } => Ok((
                "Enter the base 64 encoded pkcs12.\nEnd with the word \"quit\" on a line by itself:\n"
                    .to_owned(),
                Some(Paste {
                    trustpoint: tp,
                    kind: PasteKind::Pkcs12 { passphrase },
                    text: String::new(),
                }),
            )),
            CaCommand::Authenticate { tp } => {
                if trustpoint_block(&self.contexts[self.selected].config, &tp).is_none() {
                    return Err(CliError::NoSuchTrustpoint(tp));
                }
                Ok((
                    "Enter the base 64 encoded CA certificate.\nEnd with the word \"quit\" on a line by itself\n"
                        .to_owned(),
                    Some(Paste {
                        trustpoint: tp,
                        kind: PasteKind::CaCertificate,
                        text: String::new(),
                    }),
                ))
            }
            CaCommand::Enroll { tp } => self.enroll_self(&tp, now).map(|o| (o, None)),
            CaCommand::ExportIdentity { tp } => {
                let cert = self.identity_cert(&tp)?;
                Ok((
                    format!(
                        "The PEM encoded identity certificate follows:\n{}",
                        armour("CERTIFICATE", &cert)
                    ),
                    None,
                ))
            }
            CaCommand::ExportPkcs12 { tp, passphrase } => {
                let certs = chain_certs(&self.contexts[self.selected].config, &tp);
                if !certs.iter().any(|c| !c.ca) {
                    return Err(self.no_identity(&tp));
                }
                let label = trustpoint_keypair(&self.contexts[self.selected].config, &tp).unwrap_or_default();
                let pair = self.keys.get(&label).ok_or_else(|| {
                    CliError::Crypto(format!("ERROR: The keypair {label} does not exist"))
                })?;
                let mut ordered: Vec<ChainCert> = certs.iter().filter(|c| !c.ca).cloned().collect();
                ordered.extend(certs.iter().filter(|c| c.ca).cloned());
                let der = write_pkcs12(&tp, &pair.pkcs8, &ordered, &passphrase)
                    .map_err(|e| CliError::Crypto(format!("ERROR: Export PKCS12 failed: {e}")))?;
                Ok((
                    format!("Exported pkcs12 follows:\n\n{}", armour("PKCS12", &der)),
                    None,
                ))
            }
        }
    }

    fn no_identity(&self, tp: &str) -> CliError {
        if trustpoint_block(&self.contexts[self.selected].config, tp).is_none() {
            CliError::NoSuchTrustpoint(tp.to_owned())
        } else {
            CliError::Crypto(format!(
                "ERROR: Trustpoint {tp} has no identity certificate"
            ))
        }
    }

    /// The identity certificate of a trust-point, DER.
    pub fn identity_cert(&self, tp: &str) -> Result<Vec<u8>, CliError> {
        chain_certs(&self.contexts[self.selected].config, tp)
            .into_iter()
            .find(|c| !c.ca)
            .map(|c| c.der)
            .ok_or_else(|| self.no_identity(tp))
    }

    /// One pasted line; `quit` ends the paste and applies it.
    pub(crate) fn paste_line(
        &mut self,
        paste: &mut Paste,
        line: &str,
        now: i64,
    ) -> Option<Result<String, CliError>> {
        if !line.trim().eq_ignore_ascii_case("quit") {
            if paste.text.len() + line.len() > MAX_PASTE {
                return Some(Err(CliError::Crypto(
                    "ERROR: The pasted text is too long".to_owned(),
                )));
            }
            paste.text.push_str(line.trim());
            paste.text.push('\n');
            return None;
        }
        Some(match &paste.kind {
            PasteKind::Pkcs12 { passphrase } => {
                self.import_pkcs12(&paste.trustpoint, &paste.text, passphrase, now)
            }
            PasteKind::CaCertificate => self.import_ca(&paste.trustpoint, &paste.text),
        })
    }

    fn import_pkcs12(
        &mut self,
        tp: &str,
        text: &str,
        passphrase: &str,
        now: i64,
    ) -> Result<String, CliError> {
        let failed = || CliError::Crypto("ERROR: Import PKCS12 operation failed".to_owned());
        let der = decode_pasted_base64(text).ok_or_else(failed)?;
        let (pkcs8, certs) = read_pkcs12(&der, passphrase).map_err(|_| failed())?;
        let pair = KeyPair::from_pkcs8(&pkcs8, now).ok_or_else(failed)?;
        if chain_certs(&self.contexts[self.selected].config, tp)
            .iter()
            .any(|c| !c.ca)
        {
            return Err(CliError::Crypto(format!(
                "ERROR: Trustpoint {tp} already has an identity certificate; remove the trustpoint first"
            )));
        }
        // The trust-point's own ` keypair` when it names one; otherwise the key pair takes the
        // trust-point's name (never the default key's).
        let existing = trustpoint_block(&self.contexts[self.selected].config, tp);
        let named = existing
            .and_then(|id| self.contexts[self.selected].config.block(id))
            .and_then(|b| {
                b.children()
                    .find_map(|c| c.text.trim().strip_prefix("keypair ").map(str::to_owned))
            });
        let label = named.clone().unwrap_or_else(|| tp.to_owned());
        self.keys.insert(&label, pair);
        if let (Some(id), None) = (existing, named) {
            self.contexts[self.selected].config.push_child(
                id,
                super::config::Entry::verbatim(format!("keypair {label}")),
            );
        }
        let mut a = Applier {
            cfg: &mut self.contexts[self.selected].config,
            rng: &mut self.rng,
        };
        ensure_trustpoint(&mut a, tp, &label);
        set_chain(&mut a, tp, &certs);
        Ok("INFO: Import PKCS12 operation completed successfully.\n".to_owned())
    }

    fn import_ca(&mut self, tp: &str, text: &str) -> Result<String, CliError> {
        use x509_parser::prelude::FromDer;
        let failed =
            || CliError::Crypto("ERROR: Failed to parse or verify imported certificate".to_owned());
        let der = decode_pasted_base64(text).ok_or_else(failed)?;
        x509_parser::certificate::X509Certificate::from_der(&der).map_err(|_| failed())?;
        let mut certs = chain_certs(&self.contexts[self.selected].config, tp);
        certs.retain(|c| c.der != der);
        certs.push(ChainCert { ca: true, der });
        let mut a = Applier {
            cfg: &mut self.contexts[self.selected].config,
            rng: &mut self.rng,
        };
        set_chain(&mut a, tp, &certs);
        Ok("Trustpoint CA certificate accepted.\n".to_owned())
    }

    fn enroll_self(&mut self, tp: &str, now: i64) -> Result<String, CliError> {
        if trustpoint_block(&self.contexts[self.selected].config, tp).is_none() {
            return Err(CliError::NoSuchTrustpoint(tp.to_owned()));
        }
        if !enrolls_self(&self.contexts[self.selected].config, tp) {
            return Err(CliError::Crypto(format!(
                "ERROR: Trustpoint {tp} is not configured for self-signed enrollment"
            )));
        }
        let label = trustpoint_keypair(&self.contexts[self.selected].config, tp)
            .unwrap_or_else(|| DEFAULT_RSA_KEY.to_owned());
        if self.keys.get(&label).is_none() {
            let pair = generate_rsa(&mut self.rng, 2048, now)
                .ok_or_else(|| CliError::Crypto("ERROR: Key pair generation failed".to_owned()))?;
            self.keys.insert(&label, pair);
        }
        let pair = self.keys.get(&label).cloned().ok_or_else(|| {
            CliError::Crypto(format!("ERROR: The keypair {label} does not exist"))
        })?;
        let children: Vec<String> = trustpoint_block(&self.contexts[self.selected].config, tp)
            .and_then(|id| self.contexts[self.selected].config.block(id))
            .map(|b| b.children().map(|c| c.text.trim().to_owned()).collect())
            .unwrap_or_default();
        let subject = children
            .iter()
            .find_map(|c| c.strip_prefix("subject-name ").map(str::to_owned))
            .unwrap_or_else(|| format!("CN={}", self.hostname()));
        let fqdn = children
            .iter()
            .find_map(|c| c.strip_prefix("fqdn ").map(str::to_owned))
            .filter(|f| f != "none");
        let mut serial: [u8; 8] = self.rng.bytes();
        serial[0] &= 0x7f;
        serial[0] |= 0x01;
        let der = self_signed(&pair, &subject, fqdn.as_deref(), serial, now).ok_or_else(|| {
            CliError::Crypto("ERROR: Failed to create the self-signed certificate".to_owned())
        })?;
        let mut certs: Vec<ChainCert> = chain_certs(&self.contexts[self.selected].config, tp)
            .into_iter()
            .filter(|c| c.ca)
            .collect();
        certs.insert(0, ChainCert { ca: false, der });
        let mut a = Applier {
            cfg: &mut self.contexts[self.selected].config,
            rng: &mut self.rng,
        };
        set_chain(&mut a, tp, &certs);
        Ok(format!(
            "% The fully-qualified domain name in the certificate will be: {}\n",
            fqdn.unwrap_or_else(|| self.hostname())
        ))
    }

    /// The certificate chain (identity first) and PKCS#8 key the HTTPS server presents: those
    /// of the trust-point the first `ssl trust-point <tp> [<nameif>]` names, when it holds an
    /// identity certificate and its key pair exists; `None` for the default certificate.
    pub fn https_identity(&self) -> Option<(Vec<Vec<u8>>, Vec<u8>)> {
        // Asked after every change: the `ssl` and `crypto` lines are found once per change of
        // their own family, not by a scan of the whole configuration each time.
        let bound = |text: &str| -> Option<String> {
            let words: Vec<&str> = text.split_whitespace().collect();
            match words.as_slice() {
                ["ssl", "trust-point", tp] | ["ssl", "trust-point", tp, _] => {
                    Some((*tp).to_owned())
                }
                _ => None,
            }
        };
        let id =
            self.contexts[self.selected]
                .config
                .find_cached("ssl", "ssl trust-point", |b| bound(b.head().text).is_some())?;
        let tp = bound(self.contexts[self.selected].config.block(id)?.head().text)?;
        let certs = chain_certs(&self.contexts[self.selected].config, &tp);
        let identity = certs.iter().find(|c| !c.ca)?;
        let label = trustpoint_keypair(&self.contexts[self.selected].config, &tp)?;
        let pair = self.keys.get(&label)?;
        let mut chain = vec![identity.der.clone()];
        chain.extend(certs.iter().filter(|c| c.ca).map(|c| c.der.clone()));
        Some((chain, pair.pkcs8.clone()))
    }
}

/// `show crypto key mypubkey rsa|ecdsa`, `show crypto ca certificates [<tp>]` (`crypto.rs`).
pub fn show(engine: &super::Engine, line: &str, rest: &[&str]) -> Result<String, CliError> {
    match rest {
        [k, m, alg] if k.eq_ignore_ascii_case("key") && abbrev(m, "mypubkey", 2) => {
            let algorithm = if abbrev(alg, "rsa", 1) {
                Algorithm::Rsa
            } else if abbrev(alg, "ecdsa", 1) {
                Algorithm::Ecdsa
            } else {
                return Err(CliError::invalid(line, word_offset(line, 4)));
            };
            Ok(show_mypubkey(&engine.keys, algorithm))
        }
        [ca, c, tp @ ..] if ca.eq_ignore_ascii_case("ca") && abbrev(c, "certificates", 3) => {
            match tp {
                [] => Ok(show_certificates(
                    &engine.contexts[engine.selected].config,
                    None,
                )),
                [tp] => Ok(show_certificates(
                    &engine.contexts[engine.selected].config,
                    Some(tp),
                )),
                _ => Err(CliError::invalid(line, word_offset(line, 5))),
            }
        }
        [] => Err(CliError::Incomplete),
        [k, ..] if k.eq_ignore_ascii_case("key") || k.eq_ignore_ascii_case("ca") => {
            if rest.len() < 3 {
                Err(CliError::Incomplete)
            } else {
                Err(CliError::invalid(line, word_offset(line, 3)))
            }
        }
        _ => Err(CliError::invalid(line, word_offset(line, 2))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_support::{boot, exec, ok};

    fn output(e: &mut crate::engine::Engine, cmds: &[&str]) -> Vec<String> {
        let r = exec(e, cmds);
        assert!(r.applied, "{cmds:?}: {:?}", r.outcomes);
        r.outcomes.into_iter().map(|o| o.output).collect()
    }

    #[test]
    fn self_signed_enrollment_then_pkcs12_round_trip_and_https_identity() {
        let mut e = boot();
        let out = output(
            &mut e,
            &["crypto key generate ecdsa label K elliptic-curve 256 noconfirm"],
        );
        assert!(out[0].contains("The name for the keys will be: K"));
        ok(
            &mut e,
            &[
                "crypto ca trustpoint TP",
                " enrollment self",
                " subject-name CN=asa.example",
                " keypair K",
                "exit",
                "crypto ca enroll TP noconfirm",
            ],
        );
        assert!(
            e.running_config()
                .contains("crypto ca certificate chain TP\n certificate ")
        );
        assert!(
            !e.shown_running_config()
                .contains(&STANDARD.encode(&e.keys.get("K").unwrap().pkcs8))
        );
        assert_eq!(e.https_identity(), None);
        ok(&mut e, &["ssl trust-point TP management"]);
        let (chain, key) = e.https_identity().unwrap();
        let in_use = exec(&mut e, &["no crypto ca trustpoint TP noconfirm"]);
        assert!(
            in_use.outcomes[0].output.contains("in use"),
            "{:?}",
            in_use.outcomes
        );
        assert_eq!(key, e.keys.get("K").unwrap().pkcs8);

        // Export it as PKCS#12 and import it under another name.
        let out = output(&mut e, &["crypto ca export TP pkcs12 Export-pw1"]);
        let p12 = out[0].split_once("\n\n").unwrap().1.to_owned();
        assert!(p12.starts_with("-----BEGIN PKCS12-----"));
        let mut cmds = vec!["crypto ca import TP2 pkcs12 Export-pw1 nointeractive".to_owned()];
        cmds.extend(p12.lines().map(str::to_owned));
        cmds.push("quit".to_owned());
        let refs: Vec<&str> = cmds.iter().map(String::as_str).collect();
        let out = output(&mut e, &refs);
        assert_eq!(
            out.last().unwrap(),
            "INFO: Import PKCS12 operation completed successfully.\n"
        );
        assert_eq!(e.identity_cert("TP2").unwrap(), chain[0]);
        assert!(
            e.running_config()
                .contains("crypto ca trustpoint TP2\n keypair TP2\n")
        );
        let pem = output(&mut e, &["crypto ca export TP2 identity-certificate"]);
        assert!(pem[0].contains("-----BEGIN CERTIFICATE-----"));
        let shown = output(&mut e, &["show crypto ca certificates TP2"]);
        assert!(shown[0].contains("cn=asa.example"), "{}", shown[0]);

        // A wrong passphrase is refused and changes nothing.
        let mut bad = refs.clone();
        bad[0] = "crypto ca import TP3 pkcs12 wrong nointeractive";
        let r = exec(&mut e, &bad);
        assert!(!r.applied);
        assert!(!e.running_config().contains("TP3"));

        // Removing the trust-point removes its certificates.
        ok(&mut e, &["no crypto ca trustpoint TP2 noconfirm"]);
        assert!(!e.running_config().contains("chain TP2"));
        let keys = output(&mut e, &["show crypto key mypubkey ecdsa"]);
        assert!(keys[0].contains("Key name: K"));
        ok(&mut e, &["crypto key zeroize ecdsa label K noconfirm"]);
        assert!(e.keys.get("K").is_none());
        assert_eq!(KeyStore::parse(&e.key_store_text()), e.keys);
    }

    #[test]
    fn tls_proxy_names_existing_trust_points_and_valid_ciphers() {
        let mut e = boot();
        ok(
            &mut e,
            &["crypto ca trustpoint TP", " enrollment self", "exit"],
        );
        ok(
            &mut e,
            &[
                "tls-proxy sip",
                " server trust-point TP",
                " server cipher-suite aes128-sha1 aes256-sha1",
                " server cipher-suite aes256-sha1",
            ],
        );
        let shown = e.running_config();
        assert!(
            shown.contains(
                "tls-proxy sip\n server trust-point TP\n server cipher-suite aes256-sha1\n"
            ),
            "{shown}"
        );
        let missing = exec(&mut e, &["tls-proxy sip", " client trust-point NOPE"]);
        assert!(
            missing.outcomes[1]
                .output
                .contains("Trustpoint NOPE does not exist")
        );
        let bad = exec(&mut e, &["tls-proxy sip", " server cipher-suite aes999"]);
        assert!(bad.outcomes[1].output.contains("Invalid input"));
        ok(&mut e, &["tls-proxy sip", " no server cipher-suite"]);
        assert!(!e.running_config().contains("cipher-suite"));
        ok(
            &mut e,
            &[
                "policy-map global_policy",
                " class inspection_default",
                // The default policy inspects SIP already: an ASA wants that line removed
                // before another SIP inspection is configured.
                "  no inspect sip",
                "  inspect sip tls-proxy sip",
            ],
        );
        // An undefined proxy is refused, as an undefined inspect map is.
        let undefined = exec(
            &mut e,
            &[
                "policy-map global_policy",
                " class inspection_default",
                "  no inspect sip tls-proxy sip",
                "  inspect sip tls-proxy NOPE",
            ],
        );
        assert!(
            undefined.outcomes[3]
                .output
                .contains("TLS proxy NOPE does not exist"),
            "{:?}",
            undefined.outcomes
        );
        let in_use = exec(&mut e, &["no tls-proxy sip"]);
        assert!(!in_use.applied, "{:?}", in_use.outcomes);
        ok(
            &mut e,
            &[
                "policy-map global_policy",
                " class inspection_default",
                "  no inspect sip tls-proxy sip",
            ],
        );
        ok(&mut e, &["no tls-proxy sip"]);
        assert!(!e.running_config().contains("tls-proxy"));
        // The device-wide session limit is a plain line, not an instance.
        ok(&mut e, &["tls-proxy maximum-session 1000", "hostname fw"]);
        assert!(
            e.running_config()
                .contains("\ntls-proxy maximum-session 1000\n")
        );
    }

    #[test]
    fn only_the_daemon_is_told_the_https_key() {
        use cli_translator::protocol::Message;
        let mut e = boot();
        let now = crate::engine::Now::from_secs(crate::engine::test_support::T0);
        for (peer, told) in [("rest-agent/1", false), ("rest-daemon/1", true)] {
            let mut conn = crate::engine::ConnState::default();
            let hello = Message::Hello {
                version: 1,
                peer: peer.into(),
            };
            let _ = e.handle(hello, &mut conn, now);
            let (reply, _) = e.handle(Message::HttpsIdentityRequest, &mut conn, now);
            assert_eq!(
                matches!(reply, Some(Message::HttpsIdentity(None))),
                told,
                "{peer}: {reply:?}"
            );
        }
    }

    #[test]
    fn generates_rsa_keys_and_refuses_bad_forms() {
        let mut e = boot();
        ok(
            &mut e,
            &["crypto key generate rsa label R modulus 2048 noconfirm"],
        );
        let pair = e.keys.get("R").unwrap();
        assert_eq!((pair.algorithm, pair.bits), (Algorithm::Rsa, 2048));
        let again = exec(&mut e, &["crypto key generate rsa label R modulus 2048"]);
        assert!(!again.applied);
        let bad = exec(&mut e, &["crypto key generate rsa modulus 100"]);
        assert!(bad.outcomes[0].output.contains("Invalid input"));
        let none = exec(&mut e, &["crypto key zeroize rsa label nope noconfirm"]);
        assert!(none.outcomes[0].output.starts_with("ERROR:"));
        let missing = exec(&mut e, &["crypto ca export nope identity-certificate"]);
        assert!(
            missing.outcomes[0]
                .output
                .contains("Trustpoint nope does not exist")
        );
    }
}
