//! The ASA CLI language, pure and without I/O: configuration grammar, typed AST, canonical
//! printers, the JSON resource table, and the LINA wire protocol codec shared by agent and LINA.

pub mod acl;
pub mod ast;
pub mod backup;
pub mod interfaces;
pub mod keywords;
pub mod nat;
pub mod parse;
pub mod print;
pub mod protocol;
pub mod resources;
pub mod running;
// issue 13: change journal
pub mod running_patch;
pub mod schema;
pub mod show;
pub mod tree;
pub mod validate;
pub mod words;

#[cfg(test)]
mod strategies;
