//! Extended (and standard) access lists, their entries and access groups: grammar, JSON and the snapshot model.

pub mod ace;
pub mod cli;
pub mod group;
pub mod json;
pub mod lists;
pub mod standard;
#[cfg(test)]
pub mod strategies;

pub use ace::{Ace, AclBody, AclLine, parse_acl_line, rule_hash};
pub use group::{AccessGroup, Binding, Direction};
pub use lists::{AccessList, AccessLists, AclEntry};
pub use standard::StandardAce;
