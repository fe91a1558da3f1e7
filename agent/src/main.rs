//! The `agent` binary: front-end, supervisor and (as `agent worker`) the agent process.
//!
//! The allocator is the system's (glibc malloc), chosen, not defaulted: measured against mimalloc
//! it keeps both processes smallest at idle and the agent process smallest at 20 MB, and
//! `M_ARENA_MAX` changes nothing here (ARCHITECTURE.md, "Memory at idle and the allocator").

fn main() -> std::process::ExitCode {
    agent::cli::main()
}
