//! Where the engine keeps each context's startup configuration (issue 13, item 4). An ASA
//! keeps startup-config on flash, not in memory; the engine holds it in memory only when it
//! is small or when it was given no place on disk ([`EngineOptions::startup_spill`], unit
//! tests and in-process benches). Above [`SPILL_ABOVE`] the daemon's engine writes the text
//! to a file of the state directory ([`DirSpill`]) and reads it back when asked
//! (`show startup-config`, `backup`, a context's save): at 100 MB the startup text was a
//! second copy of the configuration (the whole print, 98 MiB) held for the rare command
//! that reads it.
//!
//! The file is the engine's working copy, not the saved `startup-config` (which `write
//! memory` writes durably through `Effect::WriteStartup`, and which a boot prefers over
//! the file it was given): a boot from a given file must not turn that file into a saved
//! startup configuration. It is therefore written without fsync, and rewritten at each boot.
//!
//! [`EngineOptions::startup_spill`]: super::EngineOptions::startup_spill

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;

/// The spill files' names begin so.
const PREFIX: &str = "startup-held-";

/// Startup texts above this size go to the spill file when there is one.
pub const SPILL_ABOVE: usize = 1 << 20;

/// A place for the startup texts the engine does not keep in memory, one per context name.
pub trait StartupSpill: fmt::Debug + Send + Sync {
    /// Replaces the text kept for `context` (empty: the single-mode device).
    fn put(&self, context: &str, text: &str) -> io::Result<()>;
    /// The text last put for `context`.
    fn get(&self, context: &str) -> io::Result<String>;
}

/// The spill files in a directory (the daemon's state directory): `startup-held-<name in
/// hex>`, so that any context name is one safe path component.
#[derive(Debug, Clone)]
pub struct DirSpill {
    pub root: PathBuf,
}

impl DirSpill {
    fn path(&self, context: &str) -> PathBuf {
        let mut name = String::from(PREFIX);
        for b in context.bytes() {
            name.push_str(&format!("{b:02x}"));
        }
        self.root.join(name)
    }
}

impl DirSpill {
    /// Removes the spill files a previous run left (a boot writes only those it needs, and
    /// they hold secrets in clear).
    pub fn clear(&self) -> io::Result<()> {
        for entry in std::fs::read_dir(&self.root)? {
            let entry = entry?;
            if entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(PREFIX))
            {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }
}

impl StartupSpill for DirSpill {
    fn put(&self, context: &str, text: &str) -> io::Result<()> {
        // A temporary file and a rename, so a reader never sees half a text; no fsync: the
        // file does not outlive the process's use of it (each boot writes it again).
        // Readable by the owner only: the text holds the configuration's secrets in clear.
        let path = self.path(context);
        let tmp = path.with_extension("tmp");
        match std::fs::remove_file(&tmp) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        if !write_direct(&options, &tmp, text.as_bytes())? {
            let mut file = options.open(&tmp)?;
            io::Write::write_all(&mut file, text.as_bytes())?;
        }
        std::fs::rename(&tmp, &path)
    }

    fn get(&self, context: &str) -> io::Result<String> {
        let bytes = std::fs::read(self.path(context))?;
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

/// Block size and alignment of a direct write ([`write_direct`]).
const DIRECT_BLOCK: usize = 4096;

/// Bytes copied to the aligned buffer and written at a time by [`write_direct`].
const DIRECT_CHUNK: usize = 1 << 20;

/// Writes `bytes` to a new file at `path` opened with `options` and `O_DIRECT`, bypassing the
/// page cache (issue 13, item 5: a buffered write of the 100 MB startup text took about 0.25 s
/// of CPU, page cache allocation and copy, while the agent read its first configuration; a
/// direct write takes the disk's time on this thread, not the cores'). Each chunk is copied
/// to a block-aligned buffer; the last block is padded, and the file cut back to the text's
/// length. `Ok(false)` when the file system refuses direct I/O (tmpfs), before anything was
/// written: the caller writes it as usual.
fn write_direct(
    options: &std::fs::OpenOptions,
    path: &std::path::Path,
    bytes: &[u8],
) -> io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        let mut direct = options.clone();
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut direct, libc::O_DIRECT);
        let mut file = match direct.open(path) {
            Ok(file) => file,
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => return Ok(false),
            Err(e) => return Err(e),
        };
        let mut buffer = vec![0u8; DIRECT_CHUNK + DIRECT_BLOCK];
        let skew = buffer.as_ptr() as usize % DIRECT_BLOCK;
        let start = (DIRECT_BLOCK - skew) % DIRECT_BLOCK;
        let aligned = buffer
            .get_mut(start..start + DIRECT_CHUNK)
            .ok_or_else(|| io::Error::other("no aligned buffer"))?;
        for (i, chunk) in bytes.chunks(DIRECT_CHUNK).enumerate() {
            let padded = chunk.len().div_ceil(DIRECT_BLOCK) * DIRECT_BLOCK;
            let block = aligned
                .get_mut(..padded)
                .ok_or_else(|| io::Error::other("a chunk larger than the buffer"))?;
            let (data, pad) = block.split_at_mut(chunk.len());
            data.copy_from_slice(chunk);
            pad.fill(0);
            match io::Write::write_all(&mut file, block) {
                Ok(()) => {}
                // Opened, but refused at the first write (some file systems): nothing written.
                Err(e) if i == 0 && e.raw_os_error() == Some(libc::EINVAL) => {
                    drop(file);
                    std::fs::remove_file(path)?;
                    return Ok(false);
                }
                Err(e) => return Err(e),
            }
        }
        file.set_len(bytes.len() as u64)?;
        Ok(true)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (options, path, bytes);
        Ok(false)
    }
}

/// A context's startup configuration as the engine keeps it.
#[derive(Debug, Clone)]
pub(crate) enum Startup {
    /// In memory (small, or no spill place was given, or writing it failed).
    Held(Arc<String>),
    /// In the spill file of the context's name.
    Spilled,
    /// Being written to the spill file by a thread of its own ([`Writing`], boot only).
    Writing(Arc<Writing>),
}

/// A boot's startup text on its way to the spill file (issue 13, item 5: writing 100 MB took
/// a quarter of a second of the boot, before LINA could answer anyone). The writing thread
/// holds the text until it is written; the engine keeps a weak reference, so the text is
/// not held once it is in the file and its print was read.
#[derive(Debug)]
pub(crate) struct Writing {
    text: std::sync::Weak<String>,
    /// Set once, by the writer, before it lets the text go: `Ok` when the file holds it,
    /// the text itself when writing failed (it is then kept in memory, as
    /// [`Startup::Held`]).
    outcome: std::sync::OnceLock<Result<(), Arc<String>>>,
}

impl Writing {
    /// Starts writing `text` to `spill` for `context` on a thread of its own; `None` when
    /// no thread could be started (the caller writes it then).
    pub(crate) fn start(
        spill: Arc<dyn StartupSpill>,
        context: String,
        text: Arc<String>,
    ) -> Option<(Arc<Writing>, std::thread::JoinHandle<()>)> {
        let writing = Arc::new(Writing {
            text: Arc::downgrade(&text),
            outcome: std::sync::OnceLock::new(),
        });
        let shared = writing.clone();
        let thread = std::thread::Builder::new()
            .name("startup-spill".to_owned())
            .spawn(move || {
                let outcome = match spill.put(&context, &text) {
                    Ok(()) => Ok(()),
                    Err(e) => {
                        tracing::warn!(error = %e, "keeping the startup configuration in memory");
                        Err(text.clone())
                    }
                };
                let _ = shared.outcome.set(outcome);
                // The strong reference goes last: whoever fails to upgrade the weak one
                // finds the outcome set.
                drop(text);
            })
            .ok()?;
        Some((writing, thread))
    }

    /// The text while it is held anywhere (the writer, the print cache); `None` once it
    /// is only in the file.
    pub(crate) fn held(&self) -> Option<Arc<String>> {
        self.text.upgrade().or_else(|| match self.outcome.get() {
            Some(Err(text)) => Some(text.clone()),
            _ => None,
        })
    }

    /// What the context keeps once the writer is done: `None` while it writes.
    pub(crate) fn settled(&self) -> Option<Startup> {
        match self.outcome.get()? {
            Ok(()) => Some(Startup::Spilled),
            Err(text) => Some(Startup::Held(text.clone())),
        }
    }
}

impl Default for Startup {
    fn default() -> Startup {
        Startup::Held(Arc::default())
    }
}

/// A configuration just above [`SPILL_ABOVE`]: `hostname <hostname>`, then network objects
/// `<prefix>0`, `<prefix>1`, ... with a host address each (for the spill's tests here and in
/// the crate's).
#[cfg(test)]
pub(crate) fn text_above_spill(hostname: &str, prefix: &str) -> String {
    let mut text = format!("hostname {hostname}\n");
    let mut i = 0u32;
    while text.len() <= SPILL_ABOVE {
        text.push_str(&format!(
            "object network {prefix}{i}\n host 10.{}.{}.{}\n",
            i >> 16,
            (i >> 8) & 255,
            i & 255
        ));
        i += 1;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, EngineOptions, Now};
    use std::collections::HashMap;
    use std::sync::Mutex;

    #[derive(Debug, Default)]
    struct MemSpill(Mutex<HashMap<String, String>>);

    impl StartupSpill for MemSpill {
        fn put(&self, context: &str, text: &str) -> io::Result<()> {
            self.0
                .lock()
                .unwrap()
                .insert(context.to_owned(), text.to_owned());
            Ok(())
        }
        fn get(&self, context: &str) -> io::Result<String> {
            self.0
                .lock()
                .unwrap()
                .get(context)
                .cloned()
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
        }
    }

    #[test]
    fn a_large_startup_configuration_is_kept_in_the_spill_and_read_back() {
        let text = text_above_spill("big", "host-");
        let spill = Arc::new(MemSpill::default());
        let opts = EngineOptions {
            startup_spill: Some(spill.clone()),
            ..EngineOptions::default()
        };
        let (mut e, _) = Engine::boot(&text, &opts, [1; 32], Now::from_secs(0));
        assert!(matches!(e.contexts[0].startup, Startup::Writing(_)));
        let startup = e.startup_config();
        e.finish_startup_writer();
        assert!(matches!(e.contexts[0].startup, Startup::Spilled));
        assert_eq!(e.startup_config(), startup);
        assert_eq!(spill.get("").unwrap(), *startup);
        assert!(startup.contains("hostname big\nobject network host-0\n host 10.0.0.0\n"));
        // The boot's print stays cached for its first reader, and goes when a message read it.
        e.release_large_print();
        assert!(matches!(e.contexts[0].print_cache, Some((_, Some(_), _))));
        let first = e.shown_running_config();
        e.release_large_print();
        assert!(matches!(e.contexts[0].print_cache, Some((_, None, _))));
        let sum = e.checksum();
        assert!(matches!(e.contexts[0].print_cache, Some((_, None, _))));
        assert_eq!(e.shown_running_config(), first);
        assert_eq!(e.checksum(), sum);
        assert_eq!(e.running_config(), *startup);
        // A small one stays in memory, and the spill is not written.
        let (small, _) = Engine::boot("hostname small\n", &opts, [1; 32], Now::from_secs(0));
        assert!(
            matches!(&small.contexts[0].startup, Startup::Held(t) if t.contains("hostname small\n"))
        );
        assert_eq!(spill.get("").unwrap(), *startup);
    }

    /// A spill whose writes wait for a go (one per write), or fail.
    #[derive(Debug)]
    struct GatedSpill {
        kept: MemSpill,
        go: Mutex<std::sync::mpsc::Receiver<bool>>,
    }

    impl StartupSpill for GatedSpill {
        fn put(&self, context: &str, text: &str) -> io::Result<()> {
            match self.go.lock().unwrap().recv() {
                Ok(true) => self.kept.put(context, text),
                _ => Err(io::Error::other("the disk is full")),
            }
        }
        fn get(&self, context: &str) -> io::Result<String> {
            self.kept.get(context)
        }
    }

    fn gated_boot(text: &str) -> (Engine, Arc<GatedSpill>, std::sync::mpsc::Sender<bool>) {
        let (go, gate) = std::sync::mpsc::channel();
        let spill = Arc::new(GatedSpill {
            kept: MemSpill::default(),
            go: Mutex::new(gate),
        });
        let opts = EngineOptions {
            startup_spill: Some(spill.clone()),
            ..EngineOptions::default()
        };
        let (e, _) = Engine::boot(text, &opts, [1; 32], Now::from_secs(0));
        (e, spill, go)
    }

    #[test]
    fn the_boot_answers_while_its_startup_text_is_written_and_lets_it_go_once_written() {
        let text = text_above_spill("slow", "host-");
        let (mut e, spill, go) = gated_boot(&text);
        // Booted, and the writer has not written yet: the text is read from memory.
        let Startup::Writing(writing) = e.contexts[0].startup.clone() else {
            panic!("the boot's startup text is not being written");
        };
        let print = e.running_config();
        assert_eq!(*e.startup_config(), print);
        assert!(spill.get("").is_err());
        go.send(true).unwrap();
        while writing.settled().is_none() {
            std::thread::yield_now();
        }
        assert_eq!(spill.get("").unwrap(), print);
        // Once its print is read and released, nothing in memory holds the text.
        let _ = e.shown_running_config();
        e.release_large_print();
        assert!(writing.held().is_none());
        assert_eq!(*e.startup_config(), print);
        e.finish_startup_writer();
        assert!(matches!(e.contexts[0].startup, Startup::Spilled));
        assert_eq!(*e.startup_config(), print);
    }

    #[test]
    fn a_failed_boot_write_keeps_the_text_in_memory() {
        let text = text_above_spill("full", "host-");
        let (mut e, spill, go) = gated_boot(&text);
        let print = e.running_config();
        go.send(false).unwrap();
        e.finish_startup_writer();
        assert!(matches!(&e.contexts[0].startup, Startup::Held(t) if **t == print));
        assert_eq!(*e.startup_config(), print);
        assert!(spill.get("").is_err());
    }

    #[test]
    fn a_save_during_the_boot_write_waits_for_it_and_is_the_text_kept() {
        let text = text_above_spill("race", "host-");
        let (mut e, spill, go) = gated_boot(&text);
        let saved = Arc::new(text_above_spill("saved", "other-"));
        // The boot's write goes first, the save's second; the save waits for the first.
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            go.send(true).unwrap();
            go.send(true).unwrap();
        });
        e.set_startup(0, saved.clone());
        releaser.join().unwrap();
        assert!(matches!(e.contexts[0].startup, Startup::Spilled));
        assert_eq!(spill.get("").unwrap(), *saved);
        assert_eq!(e.startup_config(), saved);
    }

    #[test]
    fn dir_spill_keeps_one_text_per_context_name() {
        let dir = std::env::temp_dir().join(format!("lina-spill-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spill = DirSpill { root: dir.clone() };
        spill.put("", "hostname a\n").unwrap();
        spill.put("ctx/../x", "hostname b\n").unwrap();
        spill.put("", "hostname c\n").unwrap();
        assert_eq!(spill.get("").unwrap(), "hostname c\n");
        assert_eq!(spill.get("ctx/../x").unwrap(), "hostname b\n");
        assert!(spill.get("other").is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(spill.path(""))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // One path component per name, inside the directory.
        assert_eq!(spill.path("ctx/../x").parent(), Some(dir.as_path()));
        std::fs::write(dir.join("startup-config"), "kept").unwrap();
        spill.clear().unwrap();
        assert!(spill.get("").is_err() && spill.get("ctx/../x").is_err());
        assert!(dir.join("startup-config").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// issue 13: boot. A text of several chunks, its last block partial, reads back whole
    /// (written directly where the file system allows it, else buffered), and a shorter
    /// text put after it leaves nothing of the longer.
    #[test]
    fn dir_spill_reads_back_a_text_of_several_chunks() {
        let dir = std::env::temp_dir().join(format!("lina-spill-direct-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spill = DirSpill { root: dir.clone() };
        let long = text_above_spill("direct", "o-").repeat(2) + "x\n";
        assert!(long.len() > 2 * DIRECT_CHUNK && !long.len().is_multiple_of(DIRECT_BLOCK));
        spill.put("", &long).unwrap();
        assert_eq!(spill.get("").unwrap(), long);
        assert_eq!(
            std::fs::metadata(spill.path("")).unwrap().len(),
            long.len() as u64
        );
        spill.put("", "hostname short\n").unwrap();
        assert_eq!(spill.get("").unwrap(), "hostname short\n");
        // Direct writes where the file system takes them: the temporary directory's does here.
        let probe = dir.join("probe");
        let options = {
            let mut o = std::fs::OpenOptions::new();
            o.write(true).create_new(true);
            o
        };
        let direct = write_direct(&options, &probe, b"hostname probe\n").unwrap();
        if direct {
            assert_eq!(std::fs::read(&probe).unwrap(), b"hostname probe\n");
        } else {
            assert!(!probe.exists(), "a refused direct write leaves no file");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
