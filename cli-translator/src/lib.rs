//! The ASA CLI language, pure and without I/O: configuration grammar, typed AST, canonical
//! printers, the JSON resource table, and the LINA wire protocol codec shared by agent and LINA.

pub mod ast;
pub mod protocol;
pub mod tree;
