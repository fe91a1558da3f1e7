//! Shared code of the benchmark harnesses.
