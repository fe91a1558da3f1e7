//! Checks the grammar against a directory of real ASA configurations (not a cargo test: the
//! corpus lives outside the repository).
//!
//! `cargo run -p cli-translator --example corpus_lines -- ../shared/corpus`
//!
//! For every running configuration found (a file with a line starting `ASA Version`, `: Saved`
//! or `hostname `; `*.yml`, `*.yaml`, `*.json` and `*.py` are skipped):
//! - every top-level line parses typed, or is not modelled and starts with a known
//!   configuration keyword (`no` stripped); `!` and `:` lines are comments, `ASA Version` and
//!   `Cryptochecksum:` are header and trailer;
//! - no line of an `interface` or `object network` block is rejected as invalid or incomplete;
//! - a line read as a typed command that prints back differently (canonical form, e.g. IPv6
//!   in RFC 5952 form) is listed as a note, not a failure;
//! - `RunningConfig::parse` lists as many network objects as there are distinct
//!   `object network` names whose block has an address or description line;
//! - every member line of `object-group network|service` and the `service` line of
//!   `object service` reads, and each family lists one item per distinct name.
//!
//! Two artefacts of how some files were captured are tolerated: a line following an
//! 80-column line is a terminal-wrapped continuation, and in a file whose lines were flattened
//! (no indentation), a line that is not a configuration keyword is a sub-command of the last
//! block opened. A file in which every line but the first starts with one space (a capture
//! joined with `"\n "`) is read with that space removed.
//!
//! Exits non-zero on any failure, or when the directory is missing or holds no configuration.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cli_translator::keywords::{is_config_keyword, opens_submode};
use cli_translator::parse::{ParseErrorKind, parse_command};
use cli_translator::resources::service_spec::{ServiceSpec, TcpUdp};
use cli_translator::resources::{network_object_group, service_group};
use cli_translator::running::RunningConfig;
use cli_translator::tree::parse_tree;
use cli_translator::words::WordError;

/// Width at which captured terminal output wrapped.
const TERMINAL_WIDTH: usize = 80;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: corpus_lines <corpus directory>");
        return ExitCode::FAILURE;
    };
    let mut files = Vec::new();
    if let Err(e) = collect(&dir, &mut files) {
        eprintln!("{}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    files.sort();

    let mut totals = Totals::default();
    for path in &files {
        let Ok(bytes) = fs::read(path) else {
            eprintln!("{}: unreadable", path.display());
            totals.failures += 1;
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        if !is_running_config(&text) {
            continue;
        }
        check_file(path, &normalise(&text), &mut totals);
    }

    println!(
        "{} files, {} lines, {} objects, {} groups and service objects ({} typed lines print in another canonical form)",
        totals.files, totals.lines, totals.objects, totals.groups, totals.reprinted
    );
    if totals.files == 0 {
        eprintln!("no running configuration under {}", dir.display());
        return ExitCode::FAILURE;
    }
    if totals.failures > 0 {
        eprintln!("{} failures", totals.failures);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[derive(Default)]
struct Totals {
    files: usize,
    reprinted: usize,
    lines: usize,
    objects: usize,
    groups: usize,
    failures: usize,
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if !path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yml" | "yaml" | "json" | "py"))
        {
            out.push(path);
        }
    }
    Ok(())
}

fn is_running_config(text: &str) -> bool {
    text.lines().any(|l| {
        l.starts_with("ASA Version") || l.starts_with(": Saved") || l.starts_with("hostname ")
    })
}

/// Undoes a capture that indented every line but the first by one space.
fn normalise(text: &str) -> String {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    lines.next();
    let shifted = lines.clone().next().is_some() && lines.all(|l| l.starts_with(' '));
    if !shifted {
        return text.to_owned();
    }
    text.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A typed line whose canonical print differs from the text.
fn note(path: &Path, line: &str, command: &cli_translator::ast::Command, count: &mut usize) {
    println!("{}: note: `{line}` prints as `{command}`", path.display());
    *count += 1;
}

fn check_file(path: &Path, text: &str, totals: &mut Totals) {
    totals.files += 1;
    let mut failures = 0usize;
    let mut report = |line: &str, why: &str| {
        println!("{}: {why}: {line}", path.display());
        failures += 1;
    };

    // Top-level lines.
    let mut previous_len = 0usize;
    let mut in_submode = false;
    for raw in text.lines() {
        let line = raw.trim_end();
        let wrapped = previous_len == TERMINAL_WIDTH;
        previous_len = raw.len();
        if line.trim().is_empty() || line.starts_with([' ', '\t']) {
            continue;
        }
        totals.lines += 1;
        if wrapped
            || line.starts_with(['!', ':'])
            || line.starts_with("ASA Version")
            || line.starts_with("Cryptochecksum:")
        {
            continue;
        }
        let family = line.strip_prefix("no ").unwrap_or(line);
        let first = family.split_whitespace().next().unwrap_or("");
        // In a flattened file, a line that is not a configuration keyword belongs to the last
        // block opened (and may open a nested mode of its own).
        let sub_command = in_submode && !is_config_keyword(first);
        match parse_command(line) {
            Ok(command) => {
                if command.to_string() != line {
                    note(path, line, &command, &mut totals.reprinted);
                }
            }
            Err(e) if e.kind == ParseErrorKind::NotModelled => {
                if !is_config_keyword(first) && !sub_command {
                    report(line, "unknown keyword");
                }
            }
            Err(e) => report(line, &format!("{:?} at byte {}", e.kind, e.offset)),
        }
        if sub_command {
            continue;
        }
        in_submode = opens_submode(line).is_some();
    }

    // Lines of the blocks this crate models, and the object count.
    let mut defined = HashSet::new();
    for node in parse_tree(text) {
        let object = node.text.strip_prefix("object network ").map(str::trim);
        if !(node.text.starts_with("interface ") || object.is_some()) {
            continue;
        }
        for child in &node.children {
            let child = child.trim();
            match parse_command(child) {
                Ok(command) if command.to_string() != child => {
                    note(path, child, &command, &mut totals.reprinted);
                }
                Ok(_) => {}
                Err(e) if e.kind == ParseErrorKind::NotModelled => {}
                Err(e) => report(child, &format!("in `{}`: {:?}", node.text, e.kind)),
            }
        }
        if let Some(name) = object {
            let has_definition = node.children.iter().any(|c| {
                matches!(
                    c.split_whitespace().next(),
                    Some("host" | "subnet" | "range" | "fqdn" | "description")
                )
            });
            if has_definition {
                defined.insert(name.to_owned());
            }
        }
    }
    // Object groups and service objects: every member line reads, and each family lists
    // one item per distinct name.
    let mut groups: [HashSet<String>; 3] = Default::default();
    for node in parse_tree(text) {
        let (family, rest) = if let Some(r) = node.text.strip_prefix("object-group network ") {
            (0, r)
        } else if let Some(r) = node.text.strip_prefix("object-group service ") {
            (1, r)
        } else if let Some(r) = node.text.strip_prefix("object service ") {
            (2, r)
        } else {
            continue;
        };
        let mut words = rest.split_whitespace();
        let Some(name) = words.next() else { continue };
        let protocol = words.next().and_then(TcpUdp::from_word);
        groups[family].insert(name.to_owned());
        for child in &node.children {
            // Hand-written test configurations carry `!` comments, also after a command.
            let child = child.split(" !").next().unwrap_or_default().trim();
            if child.starts_with("description ") || child.starts_with('!') {
                continue;
            }
            if family == 1 && protocol.is_none() && child.starts_with("port-object ") {
                println!(
                    "{}: note: `{child}` in a group without a protocol is not valid on an ASA",
                    path.display()
                );
                continue;
            }
            let read = match family {
                0 => network_object_group::parse_member(child).map(|m| m.to_string()),
                1 => service_group::parse_member(child, protocol).map(|m| m.line(protocol)),
                _ => child
                    .strip_prefix("service ")
                    .map(ServiceSpec::parse_cli)
                    .unwrap_or(Err(WordError::Invalid { word: 0, offset: 0 }))
                    .map(|spec| format!("service {spec}")),
            };
            match read {
                Ok(printed) if printed != child => {
                    println!("{}: note: `{child}` prints as `{printed}`", path.display());
                    totals.reprinted += 1;
                }
                Ok(_) => {}
                Err(e) => report(child, &format!("in `{}`: {e}", node.text)),
            }
        }
    }
    let cfg = RunningConfig::parse(text);
    let counts = [
        ("network object groups", cfg.network_object_groups.len()),
        ("service groups", cfg.service_groups.len()),
        (
            "service objects",
            cfg.service_objects.iter().filter(|o| !o.predefined).count(),
        ),
    ];
    for ((what, listed), names) in counts.into_iter().zip(&groups) {
        if listed != names.len() {
            report(
                "",
                &format!(
                    "RunningConfig lists {listed} {what}, the file defines {}",
                    names.len()
                ),
            );
        }
        totals.groups += listed;
    }

    let listed = cfg.network_objects.len();
    if listed != defined.len() {
        report(
            "",
            &format!(
                "RunningConfig lists {listed} network objects, the file defines {}",
                defined.len()
            ),
        );
    }
    totals.objects += listed;
    totals.failures += failures;
}
