//! Loads every ASA running configuration under a directory into the engine and checks that
//! `more system:running-config` gives back every line, in order, and that
//! `show running-config` gives back every line with its secret masked (`*****`).
//!
//! `cargo run -p lina-sim --example corpus_roundtrip -- ../shared/corpus`
//!
//! Lines are compared modulo the header and trailer (`: ` comments, `Cryptochecksum:`, the
//! `ASA Version` line), indentation and trailing white space. A corpus line that already shows
//! `*****` (the corpus was exported with `show running-config`) loads as that text and prints
//! back as it was in both forms. Exits non-zero on any mismatch or when the directory holds no
//! configuration.
//!
//! Boot refuses what an ASA refuses (`show startup-config errors`). The corpus holds a few such
//! lines, listed in [`KNOWN_REFUSED`] with the reason; they must be refused and are left out of
//! the comparison. Any other refused line is a mismatch.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lina_sim::engine::mask::mask_config;
use lina_sim::engine::{Engine, EngineOptions, Now};

/// Corpus lines an ASA refuses at boot: (file path suffix, line as written, why).
/// Corpus lines an ASA refuses at boot: (part of the file's path, line as written, why).
const KNOWN_REFUSED: &[(&str, &str, &str)] = &[
    (
        "pyntc/send_command/show_",
        "23 0:05:00 h225 1:00:00 mgcp 0:05:00 mgcp-pat 0:05:00 sip 0:30:00 sip_media 0:02",
        "the capture wrapped `timeout conn ...` at 80 columns: the tail is no command",
    ),
    (
        "pyntc/send_command/show_",
        ":00",
        "the capture wrapped `timeout conn ...` at 80 columns: the tail is no command",
    ),
    (
        "batfish/grammar_cisco_asa/testconfigs/asa-nested-service-object-group",
        "port-object eq 4444",
        "a parser test: `port-object` needs a tcp/udp service group, this one has no protocol",
    ),
    (
        "batfish/grammar_cisco_asa/testconfigs/asa-nested-service-object-group",
        "port-object eq 5555",
        "a parser test: `port-object` needs a tcp/udp service group, this one has no protocol",
    ),
    (
        "batfish/grammar_cisco_asa/testconfigs/asa-service-object",
        "service-object udp eq 1235              ! destination is optional on command entry",
        "a parser test: the ASA CLI has no end-of-line comments",
    ),
    (
        "batfish/grammar_cisco_asa/testconfigs/asa-service-object",
        "service-object udp source eq 3 eq 1236  ! .. even if source is present",
        "a parser test: the ASA CLI has no end-of-line comments",
    ),
];

const SKIPPED_EXTENSIONS: &[&str] = &["yml", "yaml", "json", "py", "raw", "md", "diff"];

fn is_config(text: &str) -> bool {
    text.lines().any(|l| {
        l.starts_with("ASA Version") || l.starts_with(": Saved") || l.starts_with("hostname ")
    })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !SKIPPED_EXTENSIONS.contains(&ext) {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// The lines that must survive a round trip: each line's text without surrounding white space,
/// and whether it is a sub-command (indented). Indentation width may differ (the ASA prints one
/// space; hand-written configurations use two). Captures whose indentation was lost at the source
/// (every line flush left, or every line after the first indented) compare the text only.
fn normalized(text: &str, keep_indentation: bool) -> Vec<(bool, String)> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            (
                keep_indentation && l.starts_with(char::is_whitespace),
                l.trim().to_owned(),
            )
        })
        .filter(|(_, l)| {
            !(l == ":"
                || l.starts_with(": ")
                || l.starts_with("Cryptochecksum:")
                || l.starts_with("ASA Version"))
        })
        .collect()
}

/// Whether the file's indentation carries structure (see [`normalized`]).
fn has_structure(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let indented = lines
        .iter()
        .filter(|l| l.starts_with(char::is_whitespace))
        .count();
    indented > 1 && indented + 1 < lines.len()
}

/// What one configuration gave: lines compared, lines whose secret `show running-config` masked.
struct Checked {
    lines: usize,
    masked: usize,
}

/// The text without the lines boot refused; an error if one of them is not a known refusal.
fn without_refused(path: &Path, text: &str, engine: &Engine) -> Result<String, String> {
    let shown = path.to_string_lossy();
    let mut refused = Vec::new();
    for e in engine.startup_errors() {
        let known = KNOWN_REFUSED
            .iter()
            .any(|(file, line, _)| shown.contains(file) && e.text.trim() == *line);
        if !known {
            return Err(format!(
                "{}: boot refused line {}: {:?}\n{}",
                path.display(),
                e.line_no,
                e.text,
                e.error
            ));
        }
        refused.push(e.line_no);
    }
    Ok(text
        .lines()
        .enumerate()
        .filter(|(i, _)| !refused.contains(&(i + 1)))
        .map(|(_, l)| format!("{l}\n"))
        .collect())
}

fn check(path: &Path, text: &str) -> Result<Checked, String> {
    let (mut engine, _) = Engine::boot(text, &EngineOptions::default(), [0; 32], Now::from_secs(0));
    let kept = without_refused(path, text, &engine)?;
    let text = kept.as_str();
    let structured = has_structure(text);
    let clear = compare(
        path,
        "more system:running-config",
        text,
        &engine.running_config(),
        structured,
    )?;
    let masked_text = mask_config(text.to_owned());
    compare(
        path,
        "show running-config",
        &masked_text,
        &engine.shown_running_config(),
        structured,
    )?;
    let masked = text
        .lines()
        .zip(masked_text.lines())
        .filter(|(a, b)| a != b)
        .count();
    Ok(Checked {
        lines: clear,
        masked,
    })
}

fn compare(
    path: &Path,
    command: &str,
    text: &str,
    printed: &str,
    structured: bool,
) -> Result<usize, String> {
    let want = normalized(text, structured);
    let got = normalized(printed, structured);
    if want == got {
        return Ok(want.len());
    }
    let at = want
        .iter()
        .zip(&got)
        .position(|(a, b)| a != b)
        .unwrap_or(want.len().min(got.len()));
    let show = |v: &[(bool, String)]| {
        v.iter()
            .skip(at.saturating_sub(2))
            .take(5)
            .map(|(indented, l)| format!("    {}{l:?}", if *indented { "(sub) " } else { "" }))
            .collect::<Vec<_>>()
            .join("\n")
    };
    Err(format!(
        "{}: {command}: line {} differs ({} lines in, {} out)\n  expected:\n{}\n  printed:\n{}",
        path.display(),
        at + 1,
        want.len(),
        got.len(),
        show(&want),
        show(&got)
    ))
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: corpus_roundtrip <corpus directory>");
        return ExitCode::from(2);
    };
    let mut files = Vec::new();
    if let Err(e) = collect(Path::new(&dir), &mut files) {
        eprintln!("cannot read {dir}: {e}");
        return ExitCode::FAILURE;
    }
    let mut configs = 0;
    let mut lines = 0;
    let mut masked = 0;
    let mut failures = 0;
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        if !is_config(&text) {
            continue;
        }
        configs += 1;
        match check(&path, &text) {
            Ok(c) => {
                lines += c.lines;
                masked += c.masked;
            }
            Err(msg) => {
                failures += 1;
                eprintln!("{msg}");
            }
        }
    }
    println!(
        "{configs} configurations, {lines} lines round-tripped ({masked} secrets masked by show running-config), {failures} mismatches"
    );
    if configs == 0 || failures > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
