//! The bench stack (`asa-bench-stack`) is the agent binary under another name: it is linked with
//! the same layout options as the agent (see `agent/build.rs`: packed relative relocations and
//! the start-up functions first, from `agent/link/startup-order.txt`), so that the scale bench's
//! idle figures are those of the shipped binary.

include!("../agent/link/layout.rs");

fn main() {
    println!("cargo:rerun-if-changed=../agent/link/layout.rs");
    link_layout("../agent/link/startup-order.txt");
}
