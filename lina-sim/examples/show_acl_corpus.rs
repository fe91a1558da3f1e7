//! Checks `show access-list` against the ntc-templates samples: each sample's entries are
//! turned back into configuration lines, loaded, and shown again; every top-level entry and
//! remark line must come back as the sample prints it, apart from the counters and hashes
//! (`(hitcnt=N)`, `0x...`), line numbers, and host-name annotations such as `(test.net)`.
//!
//! Usage: `cargo run -p lina-sim --example show_acl_corpus -- <corpus-dir>`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lina_sim::engine::acl::show_access_list;
use lina_sim::engine::entropy::Entropy;
use lina_sim::engine::load::load;

fn samples(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            samples(&p, out);
        } else if p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("cisco_asa_show_access-list") && n.ends_with(".raw"))
        {
            out.push(p);
        }
    }
}

/// `access-list a line 3 <rest> (hitcnt=9) 0x12` -> (`a`, `<rest> (hitcnt) ...` normalised).
fn normal(line: &str) -> Option<(String, String)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let ["access-list", name, "line", _, rest @ ..] = words.as_slice() else {
        return None;
    };
    let kept: Vec<&str> = rest
        .iter()
        .copied()
        .filter(|w| !w.starts_with("0x"))
        .map(|w| {
            if w.starts_with("(hitcnt=") {
                "(hitcnt)"
            } else {
                w
            }
        })
        .filter(|w| !(w.starts_with('(') && *w != "(hitcnt)" && *w != "(inactive)"))
        .collect();
    Some(((*name).to_owned(), kept.join(" ")))
}

/// The configuration line a shown entry stands for.
fn config_line(name: &str, shown: &str) -> String {
    let body: Vec<&str> = shown
        .split_whitespace()
        .take_while(|w| *w != "(hitcnt)")
        .collect();
    let body = body.join(" ");
    let body = body.replace(" log informational interval 300", " log");
    format!("access-list {name} {body}")
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: show_acl_corpus <corpus-dir>");
        return ExitCode::from(2);
    };
    let mut files = Vec::new();
    samples(&dir, &mut files);
    files.sort();
    let (mut same, mut differ) = (0, 0);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let wanted: Vec<(String, String)> = text
            .lines()
            .filter(|l| l.starts_with("access-list "))
            .filter_map(normal)
            .collect();
        let config: String = wanted
            .iter()
            .map(|(n, s)| config_line(n, s) + "\n")
            .collect();
        let cfg = load(&config, &mut Entropy::from_seed([3; 32]));
        let shown = match show_access_list(&cfg, None) {
            Ok(s) => s,
            Err(e) => {
                println!("{}: {e}", file.display());
                differ += 1;
                continue;
            }
        };
        let got: Vec<(String, String)> = shown
            .lines()
            .filter(|l| l.starts_with("access-list ") && l.contains(" line "))
            .filter_map(normal)
            .collect();
        for (w, g) in wanted.iter().zip(
            got.iter()
                .chain(std::iter::repeat(&(String::new(), String::new()))),
        ) {
            if w == g {
                same += 1;
            } else {
                differ += 1;
                println!(
                    "{}:\n  sample: {} {}\n  shown:  {} {}",
                    file.display(),
                    w.0,
                    w.1,
                    g.0,
                    g.1
                );
            }
        }
    }
    println!("show access-list lines: {same} as in the samples, {differ} different");
    if differ == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
