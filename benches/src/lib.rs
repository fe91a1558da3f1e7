//! Shared code of the benchmark harnesses: the configuration generator, the HTTPS load client,
//! the minimal baseline server, the daemon-under-test process and the summary format.

pub mod client;
// `gen` is a reserved word since edition 2024; the functions are re-exported below.
pub mod r#gen;
pub mod load;
pub mod minimal;
pub mod report;
pub mod settings;
pub mod stack;
pub mod stats;
// issue 13: the scale benchmark's configuration generator.
pub mod scale_gen;
// issue 13: the operator console the scale benchmark makes its out-of-band changes on.
pub mod console;

pub use r#gen::{BENCH_OBJECTS, config_with_objects, config_with_objects_and_admin, object_name};
