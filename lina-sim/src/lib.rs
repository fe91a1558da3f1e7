//! Simulated LINA.
