//! `/api/cli` as real clients drive it: the SOAR plugin's shun sequence (exec state, never
//! configuration), the ASA's refusals with their caret, output filters, and a reboot past a
//! startup configuration with typos (reported, not kept).

use tests::{Auth, Client, Stack};

use crate::support::*;

const MARKER: &str = "ERROR: % Invalid input detected at '^' marker.";

/// The saved startup configuration, once the daemon has written it (it writes after answering).
async fn saved_startup(stack: &Stack) -> String {
    let path = stack.state_dir().join("startup-config");
    for _ in 0..100 {
        if let Ok(text) = std::fs::read_to_string(&path)
            && text.contains("Cryptochecksum:")
        {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{} was not written", path.display());
}

#[tokio::test]
async fn cli_shun_sequence_of_the_soar_plugin() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let out = cli(&mut c, &admin, &["shun 198.51.100.66", "show shun"]).await;
    assert_eq!(
        out[0],
        "Shun 198.51.100.66 added in context: single_vf\nShun 198.51.100.66 successful\n"
    );
    assert!(
        out[1].starts_with("shun (") && out[1].contains(") 198.51.100.66 0.0.0.0 0 0 0\n"),
        "{out:?}"
    );
    let out = cli(&mut c, &admin, &["show shun statistics"]).await;
    assert!(
        out[0].contains("Shun 198.51.100.66 cnt=0, time=(0:00:"),
        "{out:?}"
    );
    // Never configuration: not in running-config, not saved.
    let out = cli(
        &mut c,
        &admin,
        &["show running-config | include shun", "write memory"],
    )
    .await;
    assert_eq!(out[0], "");
    let startup = saved_startup(&stack).await;
    assert!(!startup.contains("shun"), "{startup}");

    let out = cli(&mut c, &admin, &["no shun 198.51.100.66", "show shun"]).await;
    assert_eq!(out, vec![String::new(), String::new()]);
}

async fn refused(c: &mut Client, admin: &Auth, cmd: &str) -> String {
    cli(c, admin, &[cmd]).await.concat()
}

#[tokio::test]
async fn cli_refusals_carry_the_caret_where_the_asa_puts_it() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let cases = [
        ("objekt network x", "objekt network x\n^\n"),
        ("no frobnicate 1", "no frobnicate 1\n   ^\n"),
        ("show shunned", "show shunned\n     ^\n"),
        (
            "show running-config | sort",
            "show running-config | sort\n                      ^\n",
        ),
    ];
    for (cmd, caret) in cases {
        assert_eq!(
            refused(&mut c, &admin, cmd).await,
            format!("{caret}{MARKER}\n"),
            "{cmd}"
        );
    }
    assert_eq!(
        refused(&mut c, &admin, "ssl trust-point le-test outside").await,
        "ERROR: Trustpoint le-test does not exist\n"
    );
    let running = running_config(&mut c, &admin).await;
    for kept in ["objekt", "frobnicate", "le-test"] {
        assert!(!running.contains(kept), "{kept} kept:\n{running}");
    }
}

#[tokio::test]
async fn cli_output_filters_select_lines() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    cli(
        &mut c,
        &admin,
        &[
            "object network web\n host 10.0.0.10",
            "object network db\n host 10.0.0.20",
        ],
    )
    .await;
    let out = cli(
        &mut c,
        &admin,
        &[
            "show running-config | include ^object network (web|db)",
            "show running-config object | count host",
        ],
    )
    .await;
    assert_eq!(out[0], "object network web\nobject network db\n");
    assert_eq!(out[1], "Number of lines which match regexp = 2\n");
}

#[tokio::test]
async fn cli_reboot_past_typos_reports_them() {
    let mut stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    cli(&mut c, &admin, &["write memory"]).await;
    let path = stack.state_dir().join("startup-config");
    let saved = saved_startup(&stack).await;
    let with_typos = saved.replace(
        "\nCryptochecksum:",
        "\nobjekt network x\n host 10.0.0.1\nobject network y\n host 10.0.0.2\n nameif inside\nCryptochecksum:",
    );
    assert_ne!(with_typos, saved, "no trailer in {saved}");
    std::fs::write(&path, with_typos).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let restarted = stack.restart().await;
    ok(&stack, restarted);
    assert!(
        stack.output().contains(
            "startup-config loaded: 3 lines could not be applied (show startup-config errors)"
        ),
        "{}",
        stack.output()
    );
    let mut c = client(&stack);
    let out = cli(
        &mut c,
        &admin,
        &["show startup-config errors", "show running-config object"],
    )
    .await;
    assert!(
        out[0].starts_with(&format!(
            "objekt network x\n^\n{MARKER}\n*** Output from config line "
        )),
        "{out:?}"
    );
    assert!(out[0].contains("\"nameif inside\"\n"), "{out:?}");
    assert_eq!(out[1], "object network y\n host 10.0.0.2\n");
}
