//! The REST API package (`disk0:/asa-restapi-<ver>-lfbff-k8.SPA`) as this simulator defines it
//! (docs/rest-api-package.md): a text header — magic, agent version, minimum ASA version,
//! installed size, payload length and SHA-256 — then the payload, an image that "mounts" when
//! it starts with [`PAYLOAD_MAGIC`]. Pure: bytes in, verdict out.

use std::cmp::Ordering;
use std::fmt;

use sha2::{Digest, Sha256};

/// The first header line.
pub const MAGIC_LINE: &str = "ASA-RESTAPI-PACKAGE 1";
/// How the payload (a file-system image) begins; anything else fails to mount.
pub const PAYLOAD_MAGIC: &[u8] = b"RESTFS1\n";
/// The longest header accepted, in bytes.
const MAX_HEADER: usize = 4096;

/// What a verified package says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageInfo {
    /// The REST API Agent version it installs, e.g. `7.16(1)`.
    pub agent_version: String,
    /// The oldest ASA version it runs on.
    pub minimum_asa_version: String,
    /// Flash space the installed image takes, in bytes.
    pub installed_size: u64,
}

/// Why a package does not install — Cisco's 342006 reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallFailure {
    VersionCheck,
    Verification,
    NotFound,
    OutOfSpace,
    MountFailed,
}

impl fmt::Display for InstallFailure {
    /// The reason as 342006 prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InstallFailure::VersionCheck => "version check failed",
            InstallFailure::Verification => "image verification failed",
            InstallFailure::NotFound => "image file not found",
            InstallFailure::OutOfSpace => "out of space on flash",
            InstallFailure::MountFailed => "mount failed",
        })
    }
}

/// The header fields, before any check against the device.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Header {
    info: PackageInfo,
    payload_length: u64,
    payload_sha256: [u8; 32],
}

/// Checks a package's bytes against the running ASA version and the free flash space, in the
/// order: verification (header, length, digest), version, space, mount.
pub fn verify(
    bytes: &[u8],
    asa_version: &str,
    free_bytes: u64,
) -> Result<PackageInfo, InstallFailure> {
    let (header, payload) = split(bytes).ok_or(InstallFailure::Verification)?;
    if u64::try_from(payload.len()).ok() != Some(header.payload_length) {
        return Err(InstallFailure::Verification);
    }
    let digest: [u8; 32] = Sha256::digest(payload).into();
    if digest != header.payload_sha256 {
        return Err(InstallFailure::Verification);
    }
    match (
        AsaVersion::parse(&header.info.minimum_asa_version),
        AsaVersion::parse(asa_version),
    ) {
        (Some(min), Some(running)) if min <= running => {}
        _ => return Err(InstallFailure::VersionCheck),
    }
    if header.info.installed_size > free_bytes {
        return Err(InstallFailure::OutOfSpace);
    }
    if !payload.starts_with(PAYLOAD_MAGIC) {
        return Err(InstallFailure::MountFailed);
    }
    Ok(header.info)
}

/// Builds a package (the embedded run writes one into `disk0:`; tests craft broken ones).
pub fn build(info: &PackageInfo, payload: &[u8]) -> Vec<u8> {
    let digest = Sha256::digest(payload);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let mut out = format!(
        "{MAGIC_LINE}\nagent-version {}\nminimum-asa-version {}\ninstalled-size {}\npayload-length {}\npayload-sha256 {hex}\n\n",
        info.agent_version,
        info.minimum_asa_version,
        info.installed_size,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

/// A payload that mounts: the magic, then some content.
pub fn sample_payload(agent_version: &str) -> Vec<u8> {
    let mut payload = PAYLOAD_MAGIC.to_vec();
    payload.extend_from_slice(format!("rest-api-agent {agent_version}\n").as_bytes());
    payload
}

/// The header and the payload after the blank line.
fn split(bytes: &[u8]) -> Option<(Header, &[u8])> {
    let window = bytes.get(..bytes.len().min(MAX_HEADER))?;
    let end = window.windows(2).position(|w| w == b"\n\n")?;
    let text = std::str::from_utf8(window.get(..end)?).ok()?;
    let payload = bytes.get(end + 2..)?;
    let mut lines = text.split('\n');
    if lines.next()? != MAGIC_LINE {
        return None;
    }
    let (mut agent, mut min, mut size, mut length, mut digest) = (None, None, None, None, None);
    for line in lines {
        let (key, value) = line.split_once(' ')?;
        let slot_was_empty = match key {
            "agent-version" => agent.replace(version_text(value)?).is_none(),
            "minimum-asa-version" => min.replace(version_text(value)?).is_none(),
            "installed-size" => size.replace(value.parse::<u64>().ok()?).is_none(),
            "payload-length" => length.replace(value.parse::<u64>().ok()?).is_none(),
            "payload-sha256" => digest.replace(hex32(value)?).is_none(),
            _ => return None,
        };
        if !slot_was_empty {
            return None;
        }
    }
    Some((
        Header {
            info: PackageInfo {
                agent_version: agent?,
                minimum_asa_version: min?,
                installed_size: size?,
            },
            payload_length: length?,
            payload_sha256: digest?,
        },
        payload,
    ))
}

/// A version as printed: digits, dots and parentheses only.
fn version_text(value: &str) -> Option<String> {
    let ok = !value.is_empty()
        && value.len() <= 32
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '(' | ')'));
    ok.then(|| value.to_owned())
}

fn hex32(value: &str) -> Option<[u8; 32]> {
    if value.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        let pair = value.get(i * 2..i * 2 + 2)?;
        *slot = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

/// An ASA version, `9.16(4)` or `9.16(4)22` or `9.16(4.22)`, compared part by part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsaVersion(Vec<u32>);

impl AsaVersion {
    pub fn parse(text: &str) -> Option<AsaVersion> {
        let parts: Vec<u32> = text
            .split(['.', '(', ')'])
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        (parts.len() >= 2).then_some(AsaVersion(parts))
    }
}

impl PartialOrd for AsaVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for AsaVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn info(min: &str, size: u64) -> PackageInfo {
        PackageInfo {
            agent_version: "7.16(1)".into(),
            minimum_asa_version: min.into(),
            installed_size: size,
        }
    }

    #[test]
    fn a_built_package_verifies() {
        let pkg = build(&info("9.3(2)", 1000), &sample_payload("7.16(1)"));
        assert_eq!(verify(&pkg, "9.16(4)", 1 << 20), Ok(info("9.3(2)", 1000)));
    }

    #[test]
    fn each_failure_has_its_reason() {
        let good = build(&info("9.3(2)", 1000), &sample_payload("7.16(1)"));
        let mut tampered = good.clone();
        if let Some(last) = tampered.last_mut() {
            *last ^= 1;
        }
        assert_eq!(
            verify(&tampered, "9.16(4)", 1 << 20),
            Err(InstallFailure::Verification)
        );
        assert_eq!(
            verify(b"MZ\x90\x00 not a package", "9.16(4)", 1 << 20),
            Err(InstallFailure::Verification)
        );
        let newer = build(&info("9.20(1)", 1000), &sample_payload("7.20(1)"));
        assert_eq!(
            verify(&newer, "9.16(4)", 1 << 20),
            Err(InstallFailure::VersionCheck)
        );
        assert_eq!(
            verify(&good, "9.16(4)", 999),
            Err(InstallFailure::OutOfSpace)
        );
        let flat = build(&info("9.3(2)", 10), b"not a file system");
        assert_eq!(
            verify(&flat, "9.16(4)", 1 << 20),
            Err(InstallFailure::MountFailed)
        );
        assert_eq!(
            InstallFailure::OutOfSpace.to_string(),
            "out of space on flash"
        );
    }

    #[test]
    fn versions_compare_part_by_part() {
        let v = |t: &str| AsaVersion::parse(t).unwrap();
        assert!(v("9.3(2)") < v("9.16(4)"));
        assert!(v("9.16(4)") < v("9.16(4)22"));
        assert!(v("9.16(4.22)") == v("9.16(4)22"));
        assert!(AsaVersion::parse("nine").is_none());
    }

    #[test]
    fn duplicate_or_unknown_header_fields_fail_verification() {
        let good = String::from_utf8(build(&info("9.3(2)", 1), &sample_payload("x"))).unwrap();
        let dup = good.replacen(
            "installed-size 1\n",
            "installed-size 1\ninstalled-size 1\n",
            1,
        );
        assert_eq!(
            verify(dup.as_bytes(), "9.16(4)", 10),
            Err(InstallFailure::Verification)
        );
        let extra = good.replacen("installed-size 1\n", "installed-size 1\nowner me\n", 1);
        assert_eq!(
            verify(extra.as_bytes(), "9.16(4)", 10),
            Err(InstallFailure::Verification)
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = verify(&bytes, "9.16(4)", u64::MAX);
        }

        #[test]
        fn any_payload_round_trips_through_build(payload in proptest::collection::vec(any::<u8>(), 0..256), size in any::<u64>()) {
            let mut p = PAYLOAD_MAGIC.to_vec();
            p.extend_from_slice(&payload);
            let pkg = build(&info("9.1(1)", size), &p);
            prop_assert_eq!(verify(&pkg, "9.16(4)", u64::MAX), Ok(info("9.1(1)", size)));
        }
    }
}
