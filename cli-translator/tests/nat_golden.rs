//! Golden pairs for NAT rules: `test_data/nat_{before,auto,after}/<case>.json` (a POST body to
//! that section) against `<case>.cli` (the lines it becomes: a `nat` line, or an object's
//! block `object network <name>` + ` nat ...`), and `invalid/<case>.json` against `<case>.err`
//! (the field error). In-line addresses of twice NAT come first as the objects standing for
//! them. Reading the CLI back as a running configuration must give the same rule,
//! and its JSON must read back to it. `UPDATE_EXPECT=1` rewrites the expectation files.

use std::fs;
use std::path::{Path, PathBuf};

use cli_translator::nat::json::{from_json, to_json};
use cli_translator::nat::rule::twice_line;
use cli_translator::nat::{NatEntry, Section};
use cli_translator::resources::Resource;
use cli_translator::running::RunningConfig;

fn data_dir(section: Section) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join(format!("nat_{}", section.segment()))
}

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no cases in {}", dir.display());
    files
}

fn expect_file(path: &Path, actual: &str) -> Option<String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::write(path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return None;
    }
    let expected = fs::read_to_string(path).unwrap_or_default();
    (expected != actual).then(|| {
        format!(
            "{}:\n--- expected\n{expected}--- actual\n{actual}",
            path.display()
        )
    })
}

fn read_json(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn link(path: &str, id: &str) -> String {
    format!("https://asa{path}/{id}")
}

#[test]
fn nat_golden_pairs() {
    let empty = RunningConfig::default();
    let mut failures = Vec::new();
    for section in Section::ALL {
        for case in cases(&data_dir(section)) {
            let input = match from_json(&read_json(&case), section, None, &empty) {
                Ok(i) => i,
                Err(e) => {
                    failures.push(format!("{}: rejected: {e}", case.display()));
                    continue;
                }
            };
            let mut cli = String::new();
            for o in &input.inline {
                for line in o.cli_create() {
                    cli.push_str(&line);
                    cli.push('\n');
                }
            }
            cli.push_str(&match &input.object {
                Some(o) => format!("object network {o}\n {}\n", input.rule),
                None => format!("{}\n", twice_line(&input.rule, section, None)),
            });
            failures.extend(expect_file(&case.with_extension("cli"), &cli));

            let cfg = RunningConfig::parse(&cli);
            let Some(entry) = cfg.nat.section(section).first() else {
                failures.push(format!("{}: no rule read back", case.display()));
                continue;
            };
            if *entry.rule != input.rule || entry.object != input.object {
                failures.push(format!("{}: read back as {entry:?}", case.display()));
            }
            let expected = NatEntry::new(section, input.object.clone(), input.rule.clone());
            if entry.id != expected.id {
                failures.push(format!("{}: id differs", case.display()));
            }
            let json = to_json(&cfg, section, entry, 1, "x", &link);
            if from_json(&json, section, None, &cfg)
                .map(|i| i.rule)
                .as_ref()
                != Ok(&input.rule)
            {
                failures.push(format!(
                    "{}: JSON does not round-trip: {json}",
                    case.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nat_rejections() {
    let empty = RunningConfig::default();
    let mut failures = Vec::new();
    for section in [Section::Before, Section::Auto] {
        for case in cases(&data_dir(section).join("invalid")) {
            let actual = match from_json(&read_json(&case), section, None, &empty) {
                Ok(i) => format!("accepted: {}\n", i.rule),
                Err(e) => format!("{}: {e}\n", e.attribute),
            };
            failures.extend(expect_file(&case.with_extension("err"), &actual));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
