//! Secrets through the engine: `show running-config` (whole, filtered, `write terminal`,
//! `show startup-config`) masks them, `more system:running-config` and what is saved keep
//! them in clear.

use std::net::{IpAddr, Ipv4Addr};

use cli_translator::protocol::{Exec, ExecMode, ExecResult, Message};

use super::test_support::{T0, boot, exec, ok, running};
use super::{ConnState, Engine, EngineOptions, Now};

/// Each configuration line with a secret, and how `show running-config` prints it.
const SECRETS: &[(&str, &str)] = &[
    (" key Rad-Secret-1", " key *****"),
    (
        "snmp-server community Comm-Secret-2",
        "snmp-server community *****",
    ),
    (
        "snmp-server host management 192.168.1.50 community Host-Secret-3 version 2c",
        "snmp-server host management 192.168.1.50 community ***** version 2c",
    ),
    (
        "ntp authentication-key 1 md5 Ntp-Secret-4",
        "ntp authentication-key 1 md5 *****",
    ),
    (
        " ikev1 pre-shared-key Psk-Secret-5",
        " ikev1 pre-shared-key *****",
    ),
    (
        " ikev2 remote-authentication pre-shared-key Psk-Secret-6",
        " ikev2 remote-authentication pre-shared-key *****",
    ),
    (
        " ikev2 local-authentication pre-shared-key Psk-Secret-7",
        " ikev2 local-authentication pre-shared-key *****",
    ),
    ("failover key Fo-Secret-8", "failover key *****"),
    (
        " ospf message-digest-key 1 md5 Ospf-Secret-9",
        " ospf message-digest-key 1 md5 *****",
    ),
    (
        " ospf authentication-key Ospf-Secret-10",
        " ospf authentication-key *****",
    ),
];

const CLEAR: &[&str] = &[
    "Rad-Secret-1",
    "Comm-Secret-2",
    "Host-Secret-3",
    "Ntp-Secret-4",
    "Psk-Secret-5",
    "Psk-Secret-6",
    "Psk-Secret-7",
    "Fo-Secret-8",
    "Ospf-Secret-9",
    "Ospf-Secret-10",
];

/// The default device with one line of each secret family.
fn with_secrets() -> Engine {
    let mut e = boot();
    ok(
        &mut e,
        &[
            "aaa-server RAD protocol radius",
            "aaa-server RAD (management) host 192.168.1.9",
            " key Rad-Secret-1",
            "exit",
            "snmp-server community Comm-Secret-2",
            "snmp-server host management 192.168.1.50 community Host-Secret-3 version 2c",
            "ntp authentication-key 1 md5 Ntp-Secret-4",
            "tunnel-group 192.0.2.1 type ipsec-l2l",
            "tunnel-group 192.0.2.1 ipsec-attributes",
            " ikev1 pre-shared-key Psk-Secret-5",
            " ikev2 remote-authentication pre-shared-key Psk-Secret-6",
            " ikev2 local-authentication pre-shared-key Psk-Secret-7",
            "exit",
            "failover key Fo-Secret-8",
            "interface GigabitEthernet0/1",
            " nameif inside",
            " ospf message-digest-key 1 md5 Ospf-Secret-9",
            " ospf authentication-key Ospf-Secret-10",
            "exit",
        ],
    );
    e
}

/// One command's outcome, run at `privilege` in exec mode.
fn run_at(e: &mut Engine, privilege: u8, cmd: &str) -> (bool, String) {
    let mut conn = ConnState::default();
    let hello = Message::Hello {
        version: 1,
        peer: "rest-daemon/1".into(),
    };
    let _ = e.handle(hello, &mut conn, Now::from_secs(T0));
    let (reply, _) = e.handle(
        Message::Exec(Exec {
            user: "admin".into(),
            privilege,
            source: IpAddr::V4(Ipv4Addr::LOCALHOST),
            context: None,
            mode: ExecMode::Exec,
            atomic: true,
            commands: vec![cmd.to_owned()],
            expected_generation: None,
        }),
        &mut conn,
        Now::from_secs(T0 + 1),
    );
    match reply {
        Some(Message::ExecResult(ExecResult { outcomes, .. })) => outcomes
            .into_iter()
            .next()
            .map(|o| (o.ok, o.output))
            .unwrap_or_default(),
        other => panic!("unexpected reply {other:?}"),
    }
}

fn output(e: &mut Engine, cmd: &str) -> String {
    let (ok, out) = run_at(e, 15, cmd);
    assert!(ok, "{cmd}: {out}");
    out
}

fn assert_masked(text: &str) {
    for secret in CLEAR {
        assert!(!text.contains(secret), "{secret} shows in\n{text}");
    }
    for (_, shown) in SECRETS {
        assert!(
            text.contains(&format!("{shown}\n")),
            "{shown:?} missing from\n{text}"
        );
    }
}

fn assert_clear(text: &str) {
    for (clear, _) in SECRETS {
        assert!(
            text.contains(&format!("{clear}\n")),
            "{clear:?} missing from\n{text}"
        );
    }
    assert!(!text.contains("*****"), "a masked secret in\n{text}");
}

#[test]
fn show_running_config_masks_every_secret() {
    let mut e = with_secrets();
    assert_masked(&running(&mut e));
    assert_masked(&output(&mut e, "show running-config"));
    assert_masked(&output(&mut e, "write terminal"));
}

#[test]
fn filtered_show_running_config_masks_too() {
    let mut e = with_secrets();
    assert_eq!(
        output(&mut e, "show running-config aaa-server"),
        "aaa-server RAD protocol radius\naaa-server RAD (management) host 192.168.1.9\n key *****\n"
    );
    let tg = output(&mut e, "show running-config tunnel-group");
    assert!(
        tg.contains(" ikev1 pre-shared-key *****\n") && !tg.contains("Psk-Secret"),
        "{tg}"
    );
    let gi1 = output(&mut e, "show running-config interface GigabitEthernet0/1");
    assert!(
        gi1.contains(" ospf message-digest-key 1 md5 *****\n")
            && gi1.contains(" ospf authentication-key *****\n")
            && !gi1.contains("Ospf-Secret"),
        "{gi1}"
    );
    assert_eq!(
        output(&mut e, "show running-config failover"),
        "no failover\nfailover key *****\n"
    );
}

#[test]
fn more_system_running_config_shows_the_secrets_in_clear() {
    let mut e = with_secrets();
    let clear = output(&mut e, "more system:running-config");
    assert_clear(&clear);
    assert_eq!(clear, e.running_config());
    // The same configuration, the same checksum: only the secret words differ.
    let shown = output(&mut e, "show running-config");
    assert_eq!(clear.lines().count(), shown.lines().count());
    let differing = clear
        .lines()
        .zip(shown.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(differing, SECRETS.len());
}

#[test]
fn more_knows_only_the_running_configuration_and_needs_privilege_15() {
    let mut e = with_secrets();
    assert_eq!(
        run_at(&mut e, 15, "more"),
        (false, "ERROR: % Incomplete command\n".to_owned())
    );
    let (ok, out) = run_at(&mut e, 15, "more disk0:/nothing.cfg");
    assert!(!ok && out.contains("Invalid input detected"), "{out}");
    let (ok, out) = run_at(&mut e, 15, "more system:running-config extra");
    assert!(!ok && out.contains("Invalid input detected"), "{out}");
    let (ok, out) = run_at(&mut e, 5, "more system:running-config");
    assert!(!ok, "{out}");
    assert!(!out.contains("Secret"), "{out}");
    assert!(run_at(&mut e, 15, "MORE System:Running-Config").0);
}

#[test]
fn write_memory_and_reboot_keep_the_clear_secrets() {
    let mut e = with_secrets();
    let (saved, out) = run_at(&mut e, 15, "write memory");
    assert!(saved, "{out}");
    let startup = e.startup_config().to_owned();
    assert_clear(&startup);
    assert_masked(&output(&mut e, "show startup-config"));

    let (mut rebooted, _) = Engine::boot(
        &startup,
        &EngineOptions::default(),
        [2; 32],
        Now::from_secs(T0 + 60),
    );
    assert_clear(&output(&mut rebooted, "more system:running-config"));
    assert_masked(&output(&mut rebooted, "show running-config"));
    // Saved again after the reboot: still the secrets, never `*****`.
    assert!(run_at(&mut rebooted, 15, "write memory").0);
    assert_clear(&rebooted.startup_config());
    assert_eq!(rebooted.startup_config(), startup);
}

#[test]
fn replacing_a_secret_changes_the_clear_text_only() {
    let mut e = with_secrets();
    ok(&mut e, &["snmp-server community Other-Comm"]);
    assert!(
        output(&mut e, "more system:running-config").contains("snmp-server community Other-Comm\n")
    );
    assert!(!output(&mut e, "show running-config").contains("Other-Comm"));
    let r = exec(&mut e, &["show running-config snmp-server"]);
    let text = &r.outcomes[0].output;
    assert!(
        !text.contains("Comm-Secret") && !text.contains("Other-Comm"),
        "{text}"
    );
}

#[test]
fn the_console_masks_in_show_and_not_in_more() {
    let mut e = with_secrets();
    let src = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5));
    let t = Now::from_secs(T0 + 5);
    let (s, _) = e.console_login("admin", "Admin-123", src, t);
    let mut s = s.expect("the console login");
    assert!(e.console_enable(&mut s, "Admin-123", t).0);
    let (shown, _) = e.console_command(&mut s, "show running-config", t);
    assert_masked(&shown);
    let (clear, _) = e.console_command(&mut s, "more system:running-config", t);
    assert_clear(&clear);
    // `do` from configuration mode takes the same paths.
    let _ = e.console_command(&mut s, "configure terminal", t);
    let (shown, _) = e.console_command(&mut s, "do show running-config", t);
    assert_masked(&shown);
    let (clear, _) = e.console_command(&mut s, "do more system:running-config", t);
    assert_clear(&clear);
}
