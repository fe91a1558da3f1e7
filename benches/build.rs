//! The bench stack (`asa-bench-stack`) is the agent binary under another name: it is linked with
//! the same layout options as the agent (see `agent/build.rs`: packed relative relocations and
//! the start-up functions first, from `agent/link/startup-order.txt`), so that the scale bench's
//! idle figures are those of the shipped binary.

use std::process::Command;

const ORDER_FILE: &str = "../agent/link/startup-order.txt";

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
        let order = std::path::Path::new(&dir).join(ORDER_FILE);
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// As in `agent/build.rs`: rustc's own lld links (x86_64 Linux GNU, rustc 1.90 or later, no
/// linker configured).
fn default_lld() -> bool {
    if std::env::var("TARGET").as_deref() != Ok("x86_64-unknown-linux-gnu")
        || std::env::var_os("RUSTC_LINKER").is_some()
        || std::env::var("CARGO_ENCODED_RUSTFLAGS")
            .unwrap_or_default()
            .contains("linker")
    {
        return false;
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let Ok(out) = Command::new(rustc).arg("--version").output() else {
        return false;
    };
    let version = String::from_utf8_lossy(&out.stdout);
    let mut numbers = version
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .split('.')
        .map(|n| n.parse::<u32>().unwrap_or(0));
    (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0)) >= (1, 90)
}
