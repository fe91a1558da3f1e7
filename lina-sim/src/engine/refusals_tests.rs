//! What the engine refuses as a real ASA does, through the batch path `/api/cli` uses: golden
//! refusals with their caret, exec commands that are not configuration (`shun`), output
//! filters, references to undefined objects, and a boot past bad lines.

use super::test_support::{T0, boot, exec, ok, running};
use super::*;

fn outputs(e: &mut Engine, cmds: &[&str]) -> Vec<(bool, String)> {
    exec(e, cmds)
        .outcomes
        .into_iter()
        .map(|o| (o.ok, o.output))
        .collect()
}

/// The last command's outcome (earlier ones set the mode up and must pass).
fn last(e: &mut Engine, cmds: &[&str]) -> (bool, String) {
    let all = outputs(e, cmds);
    for (i, (ok, out)) in all.iter().enumerate().take(cmds.len().saturating_sub(1)) {
        assert!(ok, "{}: {out}", cmds[i]);
    }
    all.last().cloned().unwrap_or_default()
}

const MARKER: &str = "ERROR: % Invalid input detected at '^' marker.";

#[test]
fn golden_refusals_put_the_caret_where_the_asa_does() {
    // (mode-setting commands, refused command, expected output)
    let cases: &[(&[&str], &str, &str)] = &[
        (&[], "objekt network x", "objekt network x\n^\n"),
        (&[], "no frobnicate 1", "no frobnicate 1\n   ^\n"),
        (&[], "shun-host 10.0.0.1", "shun-host 10.0.0.1\n^\n"),
        (&[], "show frobnicate", "show frobnicate\n     ^\n"),
        (&[], "write bogus", "write bogus\n      ^\n"),
        (&[], "shun 198.51.100.666", "shun 198.51.100.666\n     ^\n"),
        (
            &[],
            "show running-config | sort",
            "show running-config | sort\n                      ^\n",
        ),
        (
            &["interface GigabitEthernet0/1"],
            "frobnicate 1",
            "frobnicate 1\n^\n",
        ),
        (
            &["interface GigabitEthernet0/1"],
            "no frobnicate",
            "no frobnicate\n   ^\n",
        ),
        (
            &["object network web"],
            " nameif inside",
            "nameif inside\n^\n",
        ),
        (
            &["object-group network g", " network-object host 10.0.0.1"],
            " port-object eq 80",
            "port-object eq 80\n^\n",
        ),
    ];
    for (setup, cmd, want) in cases {
        let mut e = boot();
        let mut cmds: Vec<&str> = setup.to_vec();
        cmds.push(cmd);
        let (ok, out) = last(&mut e, &cmds);
        assert!(!ok, "{cmd} was accepted");
        assert_eq!(out, format!("{want}{MARKER}\n"), "{cmd}");
        let shown = running(&mut e);
        assert!(!shown.contains(cmd.trim()), "{cmd} kept:\n{shown}");
    }
}

#[test]
fn an_undefined_trustpoint_is_refused() {
    let mut e = boot();
    let (accepted, out) = last(&mut e, &["ssl trust-point le-test outside"]);
    assert!(!accepted);
    assert_eq!(out, "ERROR: Trustpoint le-test does not exist\n");
    let (accepted, out) = last(
        &mut e,
        &["crypto ikev2 remote-access trustpoint le-test line 1"],
    );
    assert!(!accepted);
    assert_eq!(out, "ERROR: Trustpoint le-test does not exist\n");
    ok(
        &mut e,
        &[
            "crypto ca trustpoint le-test",
            " enrollment self",
            "ssl trust-point le-test outside",
        ],
    );
    assert!(running(&mut e).contains("ssl trust-point le-test outside\n"));
    let (shown, out) = last(&mut e, &["show ssl"]);
    assert!(shown);
    assert!(out.contains("  outside interface: le-test\n"), "{out}");
}

#[test]
fn crypto_key_commands_act_and_are_never_stored() {
    let mut e = boot();
    let before = e.generation();
    assert_eq!(
        last(&mut e, &["crypto key generate rsa label le-key modulus 2048 noconfirm"]),
        (
            true,
            "INFO: The name for the keys will be: le-key\nKeypair generation process begin. Please wait...\n"
                .to_owned()
        )
    );
    assert_eq!(
        last(&mut e, &["crypto key zeroize rsa label le-key noconfirm"]),
        (true, String::new())
    );
    assert_eq!(e.generation(), before);
    assert!(!running(&mut e).contains("crypto key"));
}

#[test]
fn shun_is_exec_state_never_configuration() {
    let mut e = boot();
    let before = e.generation();
    let (ok1, out) = last(&mut e, &["shun 198.51.100.66"]);
    assert!(ok1, "{out}");
    assert_eq!(
        out,
        "Shun 198.51.100.66 added in context: single_vf\nShun 198.51.100.66 successful\n"
    );
    assert_eq!(
        e.generation(),
        before,
        "a shun is not a configuration change"
    );
    assert_eq!(
        last(&mut e, &["show shun"]),
        (
            true,
            "shun (management) 198.51.100.66 0.0.0.0 0 0 0\n".to_owned()
        )
    );
    let shown = running(&mut e);
    assert!(!shown.contains("shun"), "{shown}");
    let (saved_ok, _) = last(&mut e, &["write memory"]);
    assert!(saved_ok);
    assert!(!e.startup_config().contains("shun"));
    assert_eq!(
        last(&mut e, &["no shun 198.51.100.66"]),
        (true, String::new())
    );
    assert_eq!(last(&mut e, &["show shun"]), (true, String::new()));
    assert_eq!(
        last(&mut e, &["no shun 198.51.100.66"]),
        (
            false,
            "ERROR: Shun for 198.51.100.66 does not exist\n".to_owned()
        )
    );
    ok(
        &mut e,
        &["shun 10.1.1.27 10.2.2.89 555 666 tcp", "clear shun"],
    );
    assert_eq!(last(&mut e, &["show shun"]), (true, String::new()));
}

#[test]
fn every_show_command_takes_output_filters() {
    let mut e = boot();
    ok(
        &mut e,
        &[
            "object network web",
            " host 10.0.0.10",
            "object network db",
            " host 10.0.0.20",
        ],
    );
    assert_eq!(
        last(&mut e, &["show running-config | include ^object network"]),
        (true, "object network web\nobject network db\n".to_owned())
    );
    assert_eq!(
        last(&mut e, &["show running-config object | grep -v host"]),
        (true, "object network web\nobject network db\n".to_owned())
    );
    assert_eq!(
        last(&mut e, &["show running-config object | count host"]),
        (true, "Number of lines which match regexp = 2\n".to_owned())
    );
    let (ok1, out) = last(&mut e, &["show version | include ^Cisco Adaptive"]);
    assert!(ok1);
    assert_eq!(
        out,
        "Cisco Adaptive Security Appliance Software Version 9.16(4) \n"
    );
    let (ok2, out) = last(&mut e, &["show running-config | begin object network db"]);
    assert!(ok2);
    assert!(
        out.starts_with("object network db\n host 10.0.0.20\n"),
        "{out}"
    );
    assert!(!out.contains("web"), "{out}");
}

const TYPOS: &str = "hostname fw\n\
objekt network x\n\
 host 10.0.0.1\n\
object network y\n\
 host 10.0.0.2\n\
 nameif inside\n\
interface GigabitEthernet0/0\n\
 nameif outside\n\
 secruity-level 0\n\
object-group network g\n\
 network-object host 10.0.0.3\n\
!\n\
object-group network g\n\
 network-object object y\n";

#[test]
fn a_boot_with_typos_reports_them_and_keeps_them_out() {
    let (mut e, _) = Engine::boot(
        TYPOS,
        &EngineOptions::default(),
        [1; 32],
        Now::from_secs(T0),
    );
    assert_eq!(
        e.boot_report(),
        "startup-config loaded: 4 lines could not be applied (show startup-config errors)"
    );
    let shown = running(&mut e);
    for bad in ["objekt", "10.0.0.1", "nameif inside", "secruity"] {
        assert!(!shown.contains(bad), "{bad} kept:\n{shown}");
    }
    // The repeated header merged into the first block.
    assert!(
        shown.contains(
            "object-group network g\n network-object host 10.0.0.3\n network-object object y\n"
        ),
        "{shown}"
    );
    assert_eq!(shown.matches("object-group network g").count(), 1);
    let (ok1, errors) = last(&mut e, &["show startup-config errors"]);
    assert!(ok1);
    assert_eq!(
        errors,
        format!(
            "objekt network x\n^\n{MARKER}\n*** Output from config line 2, \"objekt network x\"\n\
             host 10.0.0.1\n^\n{MARKER}\n*** Output from config line 3, \"host 10.0.0.1\"\n\
             nameif inside\n^\n{MARKER}\n*** Output from config line 6, \"nameif inside\"\n\
             secruity-level 0\n^\n{MARKER}\n*** Output from config line 9, \"secruity-level 0\"\n"
        )
    );
}

#[test]
fn a_clean_boot_reports_no_errors() {
    let mut e = boot();
    assert_eq!(e.boot_report(), "startup-config loaded: every line applied");
    assert_eq!(
        last(&mut e, &["show startup-config errors"]),
        (true, String::new())
    );
}
