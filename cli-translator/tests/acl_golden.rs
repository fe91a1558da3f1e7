//! Golden pairs for extended ACEs: `test_data/extended_ace/<case>.json` (a POST body) against
//! `<case>.cli` (the lines it becomes when appended to list `acl`), and `invalid/<case>.json`
//! against `<case>.err` (the field error). Reading the CLI back as a running configuration must
//! give the same entry and JSON. `UPDATE_EXPECT=1` rewrites the expectation files.

use std::fs;
use std::path::{Path, PathBuf};

use cli_translator::acl::ace::ace_line;
use cli_translator::acl::json::{from_json, to_json};
use cli_translator::running::RunningConfig;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join("extended_ace")
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
fn extended_ace_golden_pairs() {
    let mut failures = Vec::new();
    for case in cases(&data_dir()) {
        let input = match from_json(&read_json(&case), None) {
            Ok(i) => i,
            Err(e) => {
                failures.push(format!("{}: rejected: {e}", case.display()));
                continue;
            }
        };
        let mut cli = String::new();
        for r in &input.remarks {
            cli.push_str(&format!("access-list acl remark {r}\n"));
        }
        cli.push_str(&ace_line("acl", &input.ace));
        cli.push('\n');
        failures.extend(expect_file(&case.with_extension("cli"), &cli));

        let cfg = RunningConfig::parse(&cli);
        let Some(entry) = cfg.access.get("acl").and_then(|l| l.entries.first()) else {
            failures.push(format!("{}: no entry read back", case.display()));
            continue;
        };
        if *entry.ace != input.ace || entry.remarks != input.remarks {
            failures.push(format!("{}: read back as {entry:?}", case.display()));
        }
        let json = to_json(&entry.ace, &entry.remarks, entry.id, 1, false, "x", &link);
        if from_json(&json, None).map(|i| i.ace).as_ref() != Ok(&input.ace) {
            failures.push(format!(
                "{}: JSON does not round-trip: {json}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn extended_ace_rejections() {
    let mut failures = Vec::new();
    for case in cases(&data_dir().join("invalid")) {
        let actual = match from_json(&read_json(&case), None) {
            Ok(i) => format!("accepted: {}\n", i.ace),
            Err(e) => format!("{}: {e}\n", e.attribute),
        };
        failures.extend(expect_file(&case.with_extension("err"), &actual));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
