//! Checks the access-list grammar against real device text: every `access-list ... extended`
//! and `remark` line of the configurations under a corpus directory must parse and print back
//! word for word, and every entry line of the `show access-list` samples (ntc-templates raw
//! files) must parse once its `line N`, `(hitcnt=N)`, `(inactive)` and hash are cut off.
//!
//! Usage: `cargo run -p cli-translator --example acl_corpus -- <corpus-dir>`; prints a summary
//! and every line that does not pass, exits non-zero when one does not.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cli_translator::acl::ace::parse_acl_line;
use cli_translator::words::WordError;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// `access-list a line 3 extended permit ... (hitcnt=0) (inactive) 0x1234abcd` -> the
/// configuration line `access-list a extended permit ...`.
fn show_line_to_config(line: &str) -> Option<String> {
    let line = line.trim();
    let words: Vec<&str> = line.split_whitespace().collect();
    let ["access-list", name, "line", _, rest @ ..] = words.as_slice() else {
        return None;
    };
    let mut kept: Vec<&str> = Vec::new();
    let mut skip = false;
    for w in rest {
        if *w == "(hitcnt=0)" || w.starts_with("(hitcnt=") || *w == "(inactive)" {
            skip = true;
            continue;
        }
        if skip || w.starts_with('(') {
            // `(unresolved)`, `(test.net)` annotations and what follows the counter.
            continue;
        }
        kept.push(w);
    }
    Some(format!("access-list {name} {}", kept.join(" ")))
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: acl_corpus <corpus-dir>");
        return ExitCode::from(2);
    };
    let mut all = Vec::new();
    files(&dir, &mut all);
    all.sort();
    let (mut config_ok, mut config_bad, mut show_ok, mut show_bad, mut other_types) =
        (0, 0, 0, 0, 0);
    for path in &all {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let is_show = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.contains("show_access-list") && n.ends_with(".raw"));
        for raw in text.lines() {
            if is_show {
                let Some(config) = show_line_to_config(raw) else {
                    continue;
                };
                // Expansion lines name what objects hold (`fqdn`, `range`) beyond the grammar.
                if raw.starts_with("  ") {
                    continue;
                }
                match parse_acl_line(&config) {
                    Ok(_) => show_ok += 1,
                    Err(WordError::NotModelled) => other_types += 1,
                    Err(e) => {
                        show_bad += 1;
                        println!("{}: {e}: {config}", path.display());
                    }
                }
                continue;
            }
            let line = raw.trim_end();
            if !line.starts_with("access-list ") {
                continue;
            }
            match parse_acl_line(line) {
                Ok(parsed) => {
                    let printed = parsed.to_string();
                    let normal = line.split_whitespace().collect::<Vec<_>>().join(" ");
                    if printed == normal || printed == line {
                        config_ok += 1;
                    } else {
                        config_bad += 1;
                        println!(
                            "{}: prints back as\n  {printed}\nnot\n  {line}",
                            path.display()
                        );
                    }
                }
                Err(WordError::NotModelled) => other_types += 1,
                Err(e) => {
                    config_bad += 1;
                    println!("{}: {e}: {line}", path.display());
                }
            }
        }
    }
    println!(
        "configuration lines: {config_ok} ok, {config_bad} failed; show access-list entries: {show_ok} ok, {show_bad} failed; other list types: {other_types}"
    );
    if config_bad + show_bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
