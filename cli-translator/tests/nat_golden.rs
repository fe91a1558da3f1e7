//! Golden pairs for NAT rules: `test_data/nat_{before,auto,after}/<case>.json` (a POST body to
//! that section) against `<case>.cli` (the lines it becomes: a `nat` line, or an object's
//! block `object network <name>` + ` nat ...`), and `invalid/<case>.json` against `<case>.err`
//! (the field error). In-line addresses of twice NAT come first as the objects standing for
//! them. Reading the CLI back as a running configuration must give the same rule,
//! and its JSON must read back to it. `UPDATE_EXPECT=1` rewrites the expectation files.

mod support;

use std::path::PathBuf;

use cli_translator::nat::json::{from_json, to_json};
use cli_translator::nat::rule::twice_line;
use cli_translator::nat::{NatEntry, Section};
use cli_translator::resources::Resource;
use cli_translator::running::RunningConfig;
use support::{cases, expect_file, link, read_json};

fn data_dir(section: Section) -> PathBuf {
    support::data_dir(&format!("nat_{}", section.segment()))
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
            if *entry.rule != input.rule || entry.object.as_deref() != input.object.as_deref() {
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
