//! Link-time layout of the binaries that run the daemon and the agent process (issue 13,
//! "idle stays small"). Both processes run the same executable, and every page of it they touch
//! counts in each one's RSS; the kernel maps a touched page's 64 KiB neighbourhood with it
//! (fault-around). Two linker options shrink that:
//!
//! - `-z pack-relative-relocs` (RELR): the dynamic loader applies about 33,000 relative
//!   relocations at every start; packed, their table shrinks from 768 KiB (read in full by each
//!   process) to a few KiB.
//! - `--symbol-ordering-file=link/startup-order.txt` (release builds): the functions the daemon
//!   and the agent process run from exec to serving requests, placed first and together, so
//!   that the few hundred KiB they need no longer drag in most of the 13 MiB `.text` through
//!   fault-around. The list names mangled symbols of one build; names a later build no longer has
//!   are ignored (`--no-warn-symbol-ordering`), so a stale list costs memory, never
//!   correctness. `link/startup-order.sh` regenerates it (see ARCHITECTURE.md).
//!
//! Both need lld, the default linker of rustc 1.90 and later on x86_64-unknown-linux-gnu;
//! elsewhere, with an older rustc, or with a linker of the user's choice they are left out.

use std::path::Path;
use std::process::Command;

/// The list, relative to this package (`benches/build.rs` links the bench stack with it too).
const ORDER_FILE: &str = "link/startup-order.txt";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // A new list relinks (it changes where code lies, never what it does).
    println!("cargo:rerun-if-changed={ORDER_FILE}");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    if !default_lld() {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    if std::env::var("PROFILE").as_deref() == Ok("release") {
        let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
        let order = Path::new(&dir).join(ORDER_FILE);
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// Whether the binaries are linked by rustc's own lld: x86_64 Linux (GNU), rustc 1.90 or later,
/// and no linker configured for the target.
fn default_lld() -> bool {
    if std::env::var("TARGET").as_deref() != Ok("x86_64-unknown-linux-gnu")
        || std::env::var_os("RUSTC_LINKER").is_some()
    {
        return false;
    }
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if flags.contains("linker") {
        return false;
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let Ok(out) = Command::new(rustc).arg("--version").output() else {
        return false;
    };
    // "rustc 1.95.0 (...)"
    let version = String::from_utf8_lossy(&out.stdout);
    let mut numbers = version
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .split('.')
        .map(|n| n.parse::<u32>().unwrap_or(0));
    let major = numbers.next().unwrap_or(0);
    let minor = numbers.next().unwrap_or(0);
    (major, minor) >= (1, 90)
}
