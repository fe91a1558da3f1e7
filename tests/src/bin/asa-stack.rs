//! The daemon under test: the agent binary's entry point, so that the suite can spawn the whole stack.

use std::process::ExitCode;

fn main() -> ExitCode {
    agent::cli::main()
}
