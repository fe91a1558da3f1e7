//! TLS for the front-end: a rustls server configuration (ring, ALPN `http/1.1`) from PEM files,
//! or from a self-signed certificate for localhost/127.0.0.1 generated once and kept in the state
//! directory.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::sync::RwLock;

use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::ResolvesServerCert;
use rustls::sign::CertifiedKey;

/// File names of the generated certificate and key, under `<state>/tls/`.
pub const CERT_FILE: &str = "cert.pem";
pub const KEY_FILE: &str = "key.pem";

#[derive(Debug)]
pub enum TlsError {
    Read {
        path: PathBuf,
        source: io::Error,
    },
    Write {
        path: PathBuf,
        source: io::Error,
    },
    /// The certificate file holds no `CERTIFICATE` block.
    NoCertificate {
        path: PathBuf,
    },
    /// The key file holds no private key block.
    NoPrivateKey {
        path: PathBuf,
    },
    Generate(rcgen::Error),
    /// rustls refused the certificate and key (mismatch, unsupported key).
    Config(rustls::Error),
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsError::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            TlsError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            TlsError::NoCertificate { path } => {
                write!(f, "{} holds no PEM certificate", path.display())
            }
            TlsError::NoPrivateKey { path } => {
                write!(f, "{} holds no PEM private key", path.display())
            }
            TlsError::Generate(e) => write!(f, "cannot generate a self-signed certificate: {e}"),
            TlsError::Config(e) => write!(f, "the certificate and key are not usable: {e}"),
        }
    }
}

impl std::error::Error for TlsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TlsError::Read { source, .. } | TlsError::Write { source, .. } => Some(source),
            TlsError::Generate(e) => Some(e),
            TlsError::Config(e) => Some(e),
            TlsError::NoCertificate { .. } | TlsError::NoPrivateKey { .. } => None,
        }
    }
}

/// Where the certificate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Files the operator named.
    Given,
    /// Generated now and saved.
    Generated,
    /// Generated on an earlier run and read back.
    Reused,
}

/// The certificate the HTTPS server presents: the daemon's own (from files or self-signed),
/// unless `ssl trust-point` names a trust-point with a certificate and key in LINA; swapped at
/// run time, so the next handshake presents the new one (issue 15).
#[derive(Debug)]
pub struct SwitchableCert {
    default: Arc<CertifiedKey>,
    current: RwLock<Option<Arc<CertifiedKey>>>,
}

impl SwitchableCert {
    pub fn new(default: Arc<CertifiedKey>) -> SwitchableCert {
        SwitchableCert {
            default,
            current: RwLock::new(None),
        }
    }

    /// Presents `chain` (DER, identity first) with `key` (PKCS#8 DER) from the next handshake
    /// on; `None` goes back to the default certificate.
    pub fn set(&self, identity: Option<(Vec<Vec<u8>>, Vec<u8>)>) -> Result<(), rustls::Error> {
        let next = match identity {
            Some((chain, key)) => Some(Arc::new(certified_key(chain, key)?)),
            None => None,
        };
        // A std lock: never held across an await.
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = next;
        Ok(())
    }

    /// Whether a trust-point's certificate is presented now.
    pub fn is_switched(&self) -> bool {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }
}

impl ResolvesServerCert for SwitchableCert {
    fn resolve(&self, _hello: rustls::server::ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        Some(current.clone().unwrap_or_else(|| self.default.clone()))
    }
}

fn certified_key(chain: Vec<Vec<u8>>, key: Vec<u8>) -> Result<CertifiedKey, rustls::Error> {
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key));
    let signer = rustls::crypto::ring::sign::any_supported_type(&key)?;
    let chain = chain.into_iter().map(CertificateDer::from).collect();
    Ok(CertifiedKey::new(chain, signer))
}

/// A ready server configuration and the files it came from.
#[derive(Debug, Clone)]
pub struct Tls {
    pub config: Arc<ServerConfig>,
    /// Swaps the presented certificate (`ssl trust-point`).
    pub resolver: Arc<SwitchableCert>,
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
    pub origin: Origin,
}

/// The server configuration for the operator's PEM certificate chain and key.
pub fn from_files(cert_path: &Path, key_path: &Path) -> Result<Tls, TlsError> {
    let (config, resolver) =
        server_config(&read(cert_path)?, cert_path, &read(key_path)?, key_path)?;
    Ok(Tls {
        config,
        resolver,
        cert_path: cert_path.to_owned(),
        key_path: key_path.to_owned(),
        origin: Origin::Given,
    })
}

/// The self-signed certificate in `<dir>/cert.pem` + `<dir>/key.pem`, generated (key mode 0600)
/// when either file is missing.
pub fn self_signed(dir: &Path) -> Result<Tls, TlsError> {
    let cert_path = dir.join(CERT_FILE);
    let key_path = dir.join(KEY_FILE);
    let origin = if cert_path.exists() && key_path.exists() {
        Origin::Reused
    } else {
        let generated = rcgen::generate_simple_self_signed(vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
        ])
        .map_err(TlsError::Generate)?;
        fs::create_dir_all(dir).map_err(|source| TlsError::Write {
            path: dir.to_owned(),
            source,
        })?;
        write_private(&key_path, generated.signing_key.serialize_pem().as_bytes())?;
        write_file(&cert_path, generated.cert.pem().as_bytes())?;
        Origin::Generated
    };
    let (config, resolver) =
        server_config(&read(&cert_path)?, &cert_path, &read(&key_path)?, &key_path)?;
    Ok(Tls {
        config,
        resolver,
        cert_path,
        key_path,
        origin,
    })
}

/// rustls with the ring provider, safe default protocol versions, no client authentication,
/// ALPN `http/1.1`; the certificate is the resolver's (this one until `ssl trust-point`
/// names another).
pub fn server_config(
    cert_pem: &[u8],
    cert_path: &Path,
    key_pem: &[u8],
    key_path: &Path,
) -> Result<(Arc<ServerConfig>, Arc<SwitchableCert>), TlsError> {
    let certs: Vec<CertificateDer<'static>> = rustls_pemfile::certs(&mut &cert_pem[..])
        .collect::<Result<_, _>>()
        .map_err(|source| TlsError::Read {
            path: cert_path.to_owned(),
            source,
        })?;
    if certs.is_empty() {
        return Err(TlsError::NoCertificate {
            path: cert_path.to_owned(),
        });
    }
    let key: PrivateKeyDer<'static> = rustls_pemfile::private_key(&mut &key_pem[..])
        .map_err(|source| TlsError::Read {
            path: key_path.to_owned(),
            source,
        })?
        .ok_or_else(|| TlsError::NoPrivateKey {
            path: key_path.to_owned(),
        })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let default = CertifiedKey::from_der(certs, key, &provider).map_err(TlsError::Config)?;
    let resolver = Arc::new(SwitchableCert::new(Arc::new(default)));
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Config)?
        .with_no_client_auth()
        .with_cert_resolver(resolver.clone());
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((Arc::new(config), resolver))
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    fs::read(path).map_err(|source| TlsError::Read {
        path: path.to_owned(),
        source,
    })
}

fn write_file(path: &Path, contents: &[u8]) -> Result<(), TlsError> {
    fs::write(path, contents).map_err(|source| TlsError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Writes a file only its owner can read.
fn write_private(path: &Path, contents: &[u8]) -> Result<(), TlsError> {
    use std::io::Write as _;
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut file| file.write_all(contents))
        .map_err(|source| TlsError::Write {
            path: path.to_owned(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::Scratch;

    fn scratch_dir(name: &str) -> Scratch {
        crate::test_support::scratch_dir("agent-tls", name)
    }

    #[test]
    fn generates_a_self_signed_certificate_then_reuses_it() {
        let root = scratch_dir("reuse");
        let dir = root.join("tls");
        let first = self_signed(&dir).unwrap();
        assert_eq!(first.origin, Origin::Generated);
        assert_eq!(first.config.alpn_protocols, vec![b"http/1.1".to_vec()]);
        let cert = fs::read(dir.join(CERT_FILE)).unwrap();
        let key = fs::read(dir.join(KEY_FILE)).unwrap();
        assert!(String::from_utf8_lossy(&cert).starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(String::from_utf8_lossy(&key).contains("PRIVATE KEY-----"));

        let second = self_signed(&dir).unwrap();
        assert_eq!(second.origin, Origin::Reused);
        assert_eq!(fs::read(dir.join(CERT_FILE)).unwrap(), cert);
        assert_eq!(fs::read(dir.join(KEY_FILE)).unwrap(), key);
    }

    #[cfg(unix)]
    #[test]
    fn generated_key_is_private_to_the_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch_dir("mode");
        self_signed(&dir).unwrap();
        let mode = fs::metadata(dir.join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn regenerates_when_a_file_is_missing() {
        let dir = scratch_dir("missing");
        self_signed(&dir).unwrap();
        let cert = fs::read(dir.join(CERT_FILE)).unwrap();
        fs::remove_file(dir.join(KEY_FILE)).unwrap();
        let again = self_signed(&dir).unwrap();
        assert_eq!(again.origin, Origin::Generated);
        assert_ne!(fs::read(dir.join(CERT_FILE)).unwrap(), cert);
    }

    #[test]
    fn switches_to_a_trust_point_identity_and_back() {
        let dir = scratch_dir("switch");
        let tls = self_signed(&dir).unwrap();
        assert!(!tls.resolver.is_switched());
        let other = rcgen::generate_simple_self_signed(vec!["vpn.example".to_owned()]).unwrap();
        let identity = (
            vec![other.cert.der().to_vec()],
            other.signing_key.serialize_der(),
        );
        tls.resolver.set(Some(identity)).unwrap();
        assert!(tls.resolver.is_switched());
        tls.resolver.set(None).unwrap();
        assert!(!tls.resolver.is_switched());
        let garbage = (vec![other.cert.der().to_vec()], vec![1, 2, 3]);
        assert!(tls.resolver.set(Some(garbage)).is_err());
    }

    #[test]
    fn loads_operator_files() {
        let dir = scratch_dir("given");
        self_signed(&dir).unwrap();
        let tls = from_files(&dir.join(CERT_FILE), &dir.join(KEY_FILE)).unwrap();
        assert_eq!(tls.origin, Origin::Given);
    }

    #[test]
    fn reports_missing_or_empty_files() {
        let dir = scratch_dir("errors");
        fs::create_dir_all(&*dir).unwrap();
        let missing = from_files(&dir.join("nope.pem"), &dir.join("nope.key"));
        assert!(matches!(missing, Err(TlsError::Read { .. })));

        fs::write(dir.join("empty.pem"), "").unwrap();
        let empty = from_files(&dir.join("empty.pem"), &dir.join("empty.pem"));
        assert!(matches!(empty, Err(TlsError::NoCertificate { .. })));

        self_signed(&dir).unwrap();
        let no_key = from_files(&dir.join(CERT_FILE), &dir.join(CERT_FILE));
        assert!(matches!(no_key, Err(TlsError::NoPrivateKey { .. })));
        assert!(
            no_key
                .unwrap_err()
                .to_string()
                .contains("no PEM private key")
        );
    }

    #[test]
    fn refuses_a_key_that_does_not_match_the_certificate() {
        let a = scratch_dir("a");
        let b = scratch_dir("b");
        self_signed(&a).unwrap();
        self_signed(&b).unwrap();
        let mismatched = from_files(&a.join(CERT_FILE), &b.join(KEY_FILE));
        assert!(matches!(mismatched, Err(TlsError::Config(_))));
    }
}
