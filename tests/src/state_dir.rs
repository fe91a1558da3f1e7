//! A uniquely named temporary directory for one stack's state, removed on drop.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::HarnessError;

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// `<temp>/asa-e2e-<pid>-<n>-<nanos>`, created empty.
#[derive(Debug)]
pub struct StateDir {
    path: PathBuf,
}

impl StateDir {
    pub fn create() -> Result<Self, HarnessError> {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let path = std::env::temp_dir().join(format!("asa-e2e-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(HarnessError::StateDir)?;
        Ok(StateDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for StateDir {
    fn drop(&mut self) {
        // Best effort: a leftover directory in the temp dir is harmless.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_distinct_and_removed_on_drop() {
        let a = StateDir::create().unwrap();
        let b = StateDir::create().unwrap();
        assert_ne!(a.path(), b.path());
        assert!(a.path().is_dir());
        let kept = a.path().to_path_buf();
        drop(a);
        assert!(!kept.exists());
    }
}
