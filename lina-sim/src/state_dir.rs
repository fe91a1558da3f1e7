//! The simulator's persistent state: `<state_dir>/startup-config`, `<state_dir>/disk0/`, and
//! the generated admin password file. Writes are atomic (temporary file, fsync, rename).

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// Name of the saved startup configuration inside the state directory.
pub const STARTUP_CONFIG: &str = "startup-config";
/// Name of the saved key pairs (private keys: mode 0600), never part of a configuration.
pub const KEY_STORE: &str = "crypto-keys";
/// Where a generated admin password is written (mode 0600 on Unix).
pub const ADMIN_PASSWORD_FILE: &str = "admin-password";
/// This boot's LINA channel secret, in hex (mode 0600): what an agent proves on connecting.
pub const CHANNEL_SECRET_FILE: &str = "lina-secret";

#[derive(Debug, Clone)]
pub struct StateDir {
    root: PathBuf,
}

impl StateDir {
    /// Opens (creating) the directory and its `disk0/`.
    pub fn open(root: &Path) -> io::Result<StateDir> {
        fs::create_dir_all(root.join("disk0"))?;
        Ok(StateDir {
            root: root.to_path_buf(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn disk0(&self) -> PathBuf {
        self.root.join("disk0")
    }

    pub fn startup_path(&self) -> PathBuf {
        self.root.join(STARTUP_CONFIG)
    }

    /// The saved startup configuration, if there is one.
    pub fn read_startup(&self) -> io::Result<Option<String>> {
        match fs::read(self.startup_path()) {
            Ok(bytes) => Ok(Some(text_of(bytes))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Replaces the startup configuration atomically.
    pub fn write_startup(&self, text: &str) -> io::Result<()> {
        write_atomic(&self.startup_path(), text.as_bytes(), false)
    }

    /// The key store `write memory` saved (`crypto.rs`), if there is one.
    pub fn read_key_store(&self) -> io::Result<Option<String>> {
        match fs::read(self.root.join(KEY_STORE)) {
            Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Replaces the key store atomically; readable by the owner only.
    pub fn write_key_store(&self, text: &str) -> io::Result<()> {
        write_atomic(&self.root.join(KEY_STORE), text.as_bytes(), true)
    }

    /// Writes a secret readable by the owner only.
    pub fn write_secret(&self, name: &str, text: &str) -> io::Result<PathBuf> {
        let path = self.root.join(name);
        write_atomic(&path, text.as_bytes(), true)?;
        Ok(path)
    }
}

/// Writes `bytes` to a temporary file next to `path`, syncs it, renames it over `path` and
/// syncs the directory, so a crash leaves either the old or the new file.
pub fn write_atomic(path: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp"));
    {
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            if private {
                options.mode(0o600);
            }
        }
        #[cfg(not(unix))]
        let _ = private;
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    // The rename is durable only once the directory is synced: a save is acknowledged after it.
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// A file's bytes as text, invalid UTF-8 replaced; valid text is taken as it is, without a
/// copy (a startup configuration may be hundreds of MB).
pub fn text_of(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_root(tag: &str) -> PathBuf {
        let mut p = std::env::temp_dir();
        p.push(format!("lina-sim-state-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        p
    }

    #[test]
    fn creates_disk0_and_round_trips_the_startup_config() {
        let root = temp_root("rt");
        let s = StateDir::open(&root).unwrap();
        assert!(s.disk0().is_dir());
        assert_eq!(s.read_startup().unwrap(), None);
        s.write_startup("hostname a\n").unwrap();
        s.write_startup("hostname b\n").unwrap();
        assert_eq!(s.read_startup().unwrap().as_deref(), Some("hostname b\n"));
        let leftovers: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        let _ = fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn secrets_are_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let root = temp_root("secret");
        let s = StateDir::open(&root).unwrap();
        let p = s.write_secret(ADMIN_PASSWORD_FILE, "pw\n").unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let _ = fs::remove_dir_all(&root);
    }
}
