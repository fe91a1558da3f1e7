// The link-layout options of the binaries that run the daemon and the agent process, shared by
// `agent/build.rs` and `benches/build.rs` (the bench stack is the agent binary under another
// name) through `include!`; see `agent/build.rs` for why.

/// Links the package's binaries with packed relative relocations and, in release builds, the
/// start-up functions first in the order `order_file` (relative to the package) lists them.
fn link_layout(order_file: &str) {
    println!("cargo:rerun-if-changed=build.rs");
    // A new list relinks (it changes where code lies, never what it does).
    println!("cargo:rerun-if-changed={order_file}");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    if !default_lld() {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    if std::env::var("PROFILE").as_deref() == Ok("release") {
        let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
        let order = std::path::Path::new(&dir).join(order_file);
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
    let Ok(out) = std::process::Command::new(rustc).arg("--version").output() else {
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
