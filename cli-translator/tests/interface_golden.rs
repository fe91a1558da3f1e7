//! Golden pairs for interfaces: `test_data/interface_<family>/<case>.json` (a request body:
//! a PUT on an unconfigured port for physical interfaces, a POST otherwise) against
//! `<case>.cli` (the commands it becomes), and `invalid/<case>.json` against `<case>.err`.
//!
//! Each valid case also reads its CLI back as a running configuration and must find the same
//! interface and MTU, and its GET JSON must read back to the same request. A port-channel's
//! `members` become `channel-group` lines on its (unconfigured) ports and read back from them.
//! Run with `UPDATE_EXPECT=1` to rewrite the expectation files from the current output.

mod support;

use cli_translator::interfaces::json::{self as if_json, Mode, Request};
use cli_translator::interfaces::{Family, Interface, Interfaces, cli, hardware_id};
use cli_translator::resources::FieldError;
use cli_translator::running::RunningConfig;
use support::{cases, data_dir, expect_file, read_json};

/// The port a physical case writes to (the body's `hardwareID`), unconfigured.
fn base_of(body: &serde_json::Value) -> Interface {
    let hw = body["hardwareID"].as_str().unwrap_or("GigabitEthernet0/1");
    Interface::unconfigured(&hardware_id(hw))
}

fn read(body: &serde_json::Value, family: Family) -> Result<(Request, Vec<String>), FieldError> {
    if family == Family::Physical {
        let base = base_of(body);
        let r = if_json::from_json(body, family, Mode::Replace(&base, 1500))?;
        let cmds = cli::update(&base, None, &r.interface, r.mtu);
        Ok((r, cmds))
    } else {
        let r = if_json::from_json(body, family, Mode::Create)?;
        let mut cmds = cli::create(&r.interface, r.mtu);
        if family == Family::PortChannel {
            let hw = &r.interface.hardware_id;
            let ports = Interfaces::default();
            cmds.extend(cli::channel_members(&ports, hw, &[], &r.interface.members));
        }
        Ok((r, cmds))
    }
}

fn no_member(_: &str) -> Option<Interface> {
    None
}

fn check(dir: &str, family: Family) {
    let mut failures = Vec::new();
    for case in cases(&data_dir(dir)) {
        let body = read_json(&case);
        let (request, cmds) = match read(&body, family) {
            Ok(x) => x,
            Err(e) => {
                failures.push(format!("{}: rejected: {e}", case.display()));
                continue;
            }
        };
        let mut text = cmds.join("\n");
        text.push('\n');
        failures.extend(expect_file(&case.with_extension("cli"), &text));

        let cfg = RunningConfig::parse(&text);
        let hw = &request.interface.hardware_id;
        let back = cfg.interfaces.get(hw).cloned().map(|mut i| {
            if family == Family::PortChannel {
                i.members = cfg.interfaces.channel_members(hw);
            }
            i
        });
        match back.as_ref() {
            Some(back) if *back == request.interface => {
                if cfg.interfaces.mtu_of(back) != request.mtu {
                    failures.push(format!("{}: the MTU does not read back", case.display()));
                }
            }
            other => failures.push(format!(
                "{}: reading the CLI back gives {other:?}, not {:?}",
                case.display(),
                request.interface
            )),
        }

        let url = |p: &str, id: &str| format!("https://asa{p}/{id}");
        let out = if_json::to_json(
            &request.interface,
            family,
            request.mtu,
            "https://asa/x",
            &url,
            &no_member,
        );
        let again = match family {
            Family::Physical => {
                let base = base_of(&body);
                if_json::from_json(&out, family, Mode::Replace(&base, 1500))
            }
            _ => if_json::from_json(&out, family, Mode::Create),
        };
        if again.as_ref() != Ok(&request) {
            failures.push(format!(
                "{}: its JSON reads back as {again:?}",
                case.display()
            ));
        }
    }
    let invalid = data_dir(dir).join("invalid");
    if invalid.is_dir() {
        for case in cases(&invalid) {
            let body = read_json(&case);
            let actual = match read(&body, family) {
                Ok((r, _)) => format!("accepted: {r:?}\n"),
                Err(e) => format!("{}: {e}\n", e.attribute),
            };
            failures.extend(expect_file(&case.with_extension("err"), &actual));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn physical_interface_golden_pairs() {
    check("interface_physical", Family::Physical);
}

#[test]
fn vlan_interface_golden_pairs() {
    check("interface_vlan", Family::Vlan);
}

#[test]
fn redundant_interface_golden_pairs() {
    check("interface_redundant", Family::Redundant);
}

#[test]
fn port_channel_golden_pairs() {
    check("interface_portchannel", Family::PortChannel);
}
