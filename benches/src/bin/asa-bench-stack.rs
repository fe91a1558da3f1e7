//! The daemon under test in the end-to-end bench: the agent binary itself (front-end, embedded
//! LINA simulator, and, re-executed as `asa-bench-stack worker`, the agent process).

use std::process::ExitCode;

fn main() -> ExitCode {
    agent::cli::main()
}
