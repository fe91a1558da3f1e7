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
        match read_file(&self.startup_path()) {
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

/// Files above this size are read in two halves at once ([`read_file`]).
const READ_SPLIT_ABOVE: u64 = 8 << 20;

/// A file's bytes. A large one (a startup configuration of hundreds of MB) is read in two
/// halves at once, one per core: the copy out of the page cache and the faults of the new
/// pages are most of a read, and the boot waits on it (issue 13: boot; 96 to 170 ms for
/// 100 MB on one core, 55 to 95 on two). A file whose size changed meanwhile is read again
/// as a whole, as is one a second thread cannot be had for.
pub fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        let file = fs::File::open(path)?;
        let len = file.metadata()?.len();
        if len > READ_SPLIT_ABOVE
            && let Some(bytes) = read_in_halves(&file, len)
            && file.metadata()?.len() == len
        {
            return Ok(bytes);
        }
    }
    fs::read(path)
}

/// The first `len` bytes of `file`, read in two halves on two threads; none when either
/// read fails or no second thread can be had.
#[cfg(unix)]
fn read_in_halves(file: &fs::File, len: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let size = usize::try_from(len).ok()?;
    let mut bytes = vec![0u8; size];
    let (first, second) = bytes.split_at_mut(size / 2);
    let at = len / 2;
    let (theirs, mine) = crate::cores::beside(
        "startup-read",
        || file.read_exact_at(second, at),
        || file.read_exact_at(first, 0),
    );
    (mine.is_ok() && theirs.is_some_and(|r| r.is_ok())).then_some(bytes)
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

    /// A file past the size read in two halves reads back byte for byte, whatever its
    /// length's parity; a small one too.
    #[cfg(unix)]
    #[test]
    fn a_large_file_reads_back_whole() {
        let root = temp_root("read");
        fs::create_dir_all(&root).unwrap();
        for extra in [0, 1] {
            let size = usize::try_from(READ_SPLIT_ABOVE).unwrap() + 4097 + extra;
            let bytes: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let path = root.join(format!("big-{extra}"));
            fs::write(&path, &bytes).unwrap();
            assert!(read_file(&path).unwrap() == bytes, "size {size}");
            // The halves themselves (read_file falls back to one read).
            let file = fs::File::open(&path).unwrap();
            let halves = read_in_halves(&file, size as u64).unwrap();
            assert!(halves == bytes, "size {size}");
            assert!(read_in_halves(&file, size as u64 + 1).is_none());
        }
        fs::write(root.join("small"), "hostname a\n").unwrap();
        assert_eq!(read_file(&root.join("small")).unwrap(), b"hostname a\n");
        assert!(read_file(&root.join("missing")).is_err());
        fs::remove_dir_all(&root).unwrap();
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
