//! The configuration as a tree of lines: top-level commands and their indented sub-commands.
//!
//! This layer knows only indentation, `!` separators and the `: ` comment lines of a saved
//! configuration; what each line means is `parse.rs`'s business. It never fails: any text is a
//! tree, so any real configuration loads.

use std::fmt::Write as _;

/// A top-level line and the sub-command lines indented beneath it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The line without indentation or trailing white space.
    pub text: String,
    /// Indented lines that follow it, in order (one level: the ASA nests no deeper in
    /// `show running-config`, deeper lines are kept as children with their extra indentation).
    pub children: Vec<String>,
}

impl Node {
    pub fn leaf(text: impl Into<String>) -> Self {
        Node {
            text: text.into(),
            children: Vec::new(),
        }
    }
}

/// Splits configuration text into top-level nodes.
///
/// - a line with no leading white space starts a node;
/// - an indented line is a child of the node above it (indentation beyond the first level is kept
///   relative: two extra spaces stay two extra spaces, minus the first level);
/// - blank lines are dropped; an indented line with no node above it becomes a node of its own.
pub fn parse_tree(text: &str) -> Vec<Node> {
    let mut nodes: Vec<Node> = Vec::new();
    // Indentation of the first child of the current node: deeper children keep the difference.
    let mut child_indent = 0usize;
    for raw in text.lines() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            nodes.push(Node::leaf(line));
            child_indent = 0;
            continue;
        }
        match nodes.last_mut() {
            Some(node) if !is_separator(&node.text) => {
                if node.children.is_empty() {
                    child_indent = indent;
                }
                let extra = indent.saturating_sub(child_indent);
                let mut child = String::with_capacity(extra + line.len() - indent);
                for _ in 0..extra {
                    child.push(' ');
                }
                child.push_str(line.trim_start());
                node.children.push(child);
            }
            _ => nodes.push(Node::leaf(line.trim_start())),
        }
    }
    nodes
}

/// `!` lines separate sections; they never own children.
pub fn is_separator(text: &str) -> bool {
    text.starts_with('!')
}

/// Prints nodes as `show running-config` does: children indented by one space.
pub fn print_tree(nodes: &[Node], out: &mut String) {
    for node in nodes {
        out.push_str(&node.text);
        out.push('\n');
        for child in &node.children {
            let _ = writeln!(out, " {child}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_children_under_their_parent() {
        let t = parse_tree(
            "hostname a\ninterface Gi0/1\n  nameif x\n  security-level 5\n!\nobject network o\n host 1.1.1.1\n",
        );
        assert_eq!(t.len(), 4);
        assert_eq!(t[1].text, "interface Gi0/1");
        assert_eq!(t[1].children, vec!["nameif x", "security-level 5"]);
        assert_eq!(t[2].text, "!");
        assert_eq!(t[3].children, vec!["host 1.1.1.1"]);
    }

    #[test]
    fn keeps_deeper_indentation_relative() {
        let t = parse_tree("policy-map global_policy\n class inspection_default\n  inspect ftp\n");
        assert_eq!(
            t[0].children,
            vec!["class inspection_default", " inspect ftp"]
        );
        let mut out = String::new();
        print_tree(&t, &mut out);
        assert_eq!(
            out,
            "policy-map global_policy\n class inspection_default\n  inspect ftp\n"
        );
    }

    #[test]
    fn indented_line_without_parent_becomes_a_node() {
        let t = parse_tree("!\n  stray\n");
        assert_eq!(t, vec![Node::leaf("!"), Node::leaf("stray")]);
    }
}
