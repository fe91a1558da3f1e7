//! The agent process: the /api implementation (in progress).
