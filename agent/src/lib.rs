//! The ASA REST API agent: HTTPS front-end, supervisor of the agent process, the agent
//! process itself (the `/api` implementation) and its LINA client.

pub mod api;
pub mod cli;
pub mod config_file;
pub mod debug;
pub mod frontend;
pub mod https_identity;
pub mod lifecycle;
pub mod lina_client;
pub mod metrics;
pub mod operations;
pub mod supervisor;
#[cfg(test)]
mod test_support;
pub mod tls;
