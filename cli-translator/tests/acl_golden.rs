//! Golden pairs for extended ACEs: `test_data/extended_ace/<case>.json` (a POST body) against
//! `<case>.cli` (the lines it becomes when appended to list `acl`), and `invalid/<case>.json`
//! against `<case>.err` (the field error). Reading the CLI back as a running configuration must
//! give the same entry and JSON. `UPDATE_EXPECT=1` rewrites the expectation files.

mod support;

use std::path::PathBuf;

use cli_translator::acl::ace::ace_line;
use cli_translator::acl::json::{from_json, to_json};
use cli_translator::running::RunningConfig;
use support::{cases, expect_file, link, read_json};

fn data_dir() -> PathBuf {
    support::data_dir("extended_ace")
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
        if entry.ace().as_ref() != Ok(&input.ace) || entry.remarks_vec() != input.remarks {
            failures.push(format!("{}: read back as {entry:?}", case.display()));
        }
        let remarks = entry.remarks_vec();
        let json = to_json(
            &entry.ace().unwrap(),
            &remarks,
            entry.id,
            1,
            false,
            "x",
            &link,
        );
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
