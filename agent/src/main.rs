//! The `agent` binary: front-end, supervisor and (as `agent worker`) the agent process.
//!
//! The allocator is the system's (glibc malloc), chosen, not defaulted: measured against mimalloc
//! it keeps both processes smallest at idle and the agent process smallest at 20 MB
//! (ARCHITECTURE.md, "Memory at idle and the allocator"). The agent process uses one arena
//! (`api::snapshot::one_arena`): its writes free nodes its load's threads allocated.

fn main() -> std::process::ExitCode {
    agent::cli::main()
}
