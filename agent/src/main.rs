//! The `agent` binary: front-end, supervisor and (as `agent worker`) the agent process.

fn main() -> std::process::ExitCode {
    agent::cli::main()
}
