//! Checks `show nat` against the ntc-templates samples: each sample's rules are turned back
//! into configuration (twice NAT lines for sections 1 and 3, `object network` blocks for
//! section 2), loaded, and shown again; every rule line must come back exactly as the sample
//! prints it (spacing included), and each section keeps its title. Rules the NAT grammar does
//! not read are counted apart (none in the corpus since `pat-pool interface`, the mapped
//! interface's address as PAT pool, is modelled).
//!
//! Usage: `cargo run -p lina-sim --example show_nat_corpus -- <corpus-dir>`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cli_translator::nat::{parse_nat_line, parse_object_nat};
use lina_sim::engine::entropy::Entropy;
use lina_sim::engine::load::load;
use lina_sim::engine::nat::show_nat;

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
            .is_some_and(|n| n.starts_with("cisco_asa_show_nat") && n.ends_with(".raw"))
        {
            out.push(p);
        }
    }
}

/// `3 (any) to (outside) source static a b   rest` -> (`any`, `outside`, `static a b rest`, `a`).
fn parts(line: &str) -> Option<(String, String, String, String)> {
    let (_, rest) = line.split_once(' ')?;
    let rest = rest.strip_prefix('(')?;
    let (real_if, rest) = rest.split_once(") to (")?;
    let (mapped_if, rest) = rest.split_once(") source ")?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    let real = (*words.get(1)?).to_owned();
    Some((
        real_if.to_owned(),
        mapped_if.to_owned(),
        words.join(" "),
        real,
    ))
}

/// The configuration for one section's rule line, or `None` when the grammar cannot read it.
fn config(section: u8, line: &str) -> Option<String> {
    let (ri, mi, body, real) = parts(line)?;
    let text = match section {
        2 => {
            // `static <object> <mapped...>`: the object opens the block.
            let mut words: Vec<&str> = body.split_whitespace().collect();
            words.remove(1);
            let nat = format!("nat ({ri},{mi}) {}", words.join(" "));
            parse_object_nat(&nat).ok()?;
            format!("object network {real}\n {nat}\n")
        }
        3 => {
            let nat = format!("nat ({ri},{mi}) after-auto source {body}");
            parse_nat_line(&nat).ok()?;
            format!("{nat}\n")
        }
        _ => {
            let nat = format!("nat ({ri},{mi}) source {body}");
            parse_nat_line(&nat).ok()?;
            format!("{nat}\n")
        }
    };
    Some(text)
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: show_nat_corpus <corpus-dir>");
        return ExitCode::from(2);
    };
    let mut files = Vec::new();
    samples(&dir, &mut files);
    files.sort();
    let (mut same, mut differ, mut unread) = (0, 0, 0);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let mut section = 0u8;
        let mut wanted = Vec::new();
        let mut configuration = String::new();
        for line in text.lines() {
            if let Some(n) = line
                .strip_suffix(')')
                .and_then(|l| l.rsplit_once("(Section "))
                .and_then(|(_, n)| n.parse::<u8>().ok())
            {
                section = n;
                continue;
            }
            if !line.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            match config(section, line) {
                Some(c) => {
                    configuration.push_str(&c);
                    // Numbered again below: the rules the grammar reads, in order.
                    let rule = line.split_once(' ').map_or("", |(_, r)| r);
                    wanted.push((section, rule.trim_end().to_owned()));
                }
                None => {
                    unread += 1;
                    println!("{}: not read: {line}", file.display());
                }
            }
        }
        let cfg = load(&configuration, &mut Entropy::from_seed([3; 32]));
        let shown = show_nat(&cfg);
        let mut got = Vec::new();
        let mut section = 0u8;
        for line in shown.lines() {
            if let Some(n) = line
                .strip_suffix(')')
                .and_then(|l| l.rsplit_once("(Section "))
                .and_then(|(_, n)| n.parse::<u8>().ok())
            {
                section = n;
            } else if line.starts_with(|c: char| c.is_ascii_digit()) {
                let rule = line.split_once(' ').map_or("", |(_, r)| r);
                got.push((section, rule.to_owned()));
            }
        }
        let blank = (0, String::new());
        for (w, g) in wanted
            .iter()
            .zip(got.iter().chain(std::iter::repeat(&blank)))
        {
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
    println!(
        "show nat rules: {same} as in the samples, {differ} different, {unread} not read by the grammar"
    );
    if differ == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
