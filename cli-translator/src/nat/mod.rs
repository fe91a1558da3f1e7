//! NAT rules (object NAT and twice NAT in their three sections): grammar, JSON and the
//! snapshot model.

pub mod cli;
pub mod json;
pub mod rule;
pub mod rules;
#[cfg(test)]
pub mod strategies;

pub use rule::{NatLine, NatRule, Section, parse_nat_line, parse_object_nat, rule_hash};
pub use rules::{NatEntry, NatRules};
