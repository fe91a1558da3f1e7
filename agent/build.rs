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

include!("link/layout.rs");

fn main() {
    println!("cargo:rerun-if-changed=link/layout.rs");
    link_layout("link/startup-order.txt");
}
