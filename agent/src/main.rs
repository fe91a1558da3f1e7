//! The `agent` binary: front-end, supervisor and (as `agent worker`) the agent process.
//!
//! The allocator is the system's (glibc malloc), chosen, not defaulted: measured against mimalloc
//! it keeps both processes smallest at idle and the agent process smallest at 20 MB
//! (ARCHITECTURE.md, "Memory at idle and the allocator"). The agent process uses two arenas
//! (`api::snapshot::two_arenas`): its writes free nodes its load's threads allocated, and its
//! load's two threads would wait on one arena's lock.

fn main() -> std::process::ExitCode {
    agent::cli::main()
}
