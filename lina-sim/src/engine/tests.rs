//! Engine behaviour through its public entry points: protocol messages and console commands,
//! with a fixed clock and a fixed random seed.

use std::net::{IpAddr, Ipv4Addr};

use cli_translator::protocol::{
    AuthFailure, Authenticate, Credential, Exec, ExecMode, ExecResult, LogEvent, Message,
    ProtocolErrorCode, TokenCreate, TokenDelete, TokenFailure, TokenResult,
};
use proptest::prelude::*;

use super::*;
use crate::default_config;

const T0: i64 = 1_795_353_601;
const ADMIN_PW: &str = "Admin-123";

fn now(t: i64) -> Now {
    Now::from_secs(t)
}

fn src() -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5))
}

fn boot_text(text: &str) -> Engine {
    Engine::boot(text, &EngineOptions::default(), [1; 32], now(T0)).0
}

fn boot() -> Engine {
    boot_text(&default_config::text(ADMIN_PW).unwrap())
}

fn hello(e: &mut Engine, peer: &str) -> ConnState {
    let mut conn = ConnState::default();
    let (reply, _) = e.handle(
        Message::Hello {
            version: 1,
            peer: peer.into(),
        },
        &mut conn,
        now(T0),
    );
    assert!(matches!(reply, Some(Message::HelloAck(_))));
    conn
}

struct Batch {
    result: ExecResult,
    effects: Vec<Effect>,
}

fn exec_full(e: &mut Engine, privilege: u8, mode: ExecMode, atomic: bool, cmds: &[&str]) -> Batch {
    let mut conn = hello(e, "rest-daemon/1");
    let (reply, effects) = e.handle(
        Message::Exec(Exec {
            user: "admin".into(),
            privilege,
            source: src(),
            context: None,
            mode,
            atomic,
            commands: cmds.iter().map(|c| (*c).to_owned()).collect(),
            expected_generation: None,
        }),
        &mut conn,
        now(T0 + 60),
    );
    match reply {
        Some(Message::ExecResult(result)) => Batch { result, effects },
        other => panic!("unexpected reply {other:?}"),
    }
}

fn exec(e: &mut Engine, cmds: &[&str]) -> ExecResult {
    exec_full(e, 15, ExecMode::Config, false, cmds).result
}

fn show(e: &mut Engine, cmd: &str) -> String {
    let r = exec(e, &[cmd]);
    assert!(r.outcomes[0].ok, "{cmd}: {}", r.outcomes[0].output);
    r.outcomes[0].output.clone()
}

fn all_ok(r: &ExecResult) {
    for (i, o) in r.outcomes.iter().enumerate() {
        assert!(o.ok, "command {i} failed: {}", o.output);
    }
}

// ===== protocol =====

#[test]
fn hello_must_come_first() {
    let mut e = boot();
    let mut conn = ConnState::default();
    let (reply, _) = e.handle(Message::Subscribe, &mut conn, now(T0));
    assert!(matches!(
        reply,
        Some(Message::Error(err)) if err.code == ProtocolErrorCode::HelloRequired
    ));
}

#[test]
fn hello_ack_carries_device_facts() {
    let mut e = boot();
    let mut conn = ConnState::default();
    let (reply, _) = e.handle(
        Message::Hello {
            version: 1,
            peer: "x".into(),
        },
        &mut conn,
        now(T0),
    );
    let Some(Message::HelloAck(f)) = reply else {
        panic!("{reply:?}")
    };
    assert_eq!(f.hostname, "ciscoasa");
    assert_eq!(f.model, "ASAv");
    assert_eq!(f.serial_number, "9A1B2C3D4E5");
    assert_eq!(f.asa_version, "9.16(4)");
    assert_eq!(f.rest_api_version, "7.16(1)");
}

#[test]
fn responses_are_rejected_as_requests() {
    let mut e = boot();
    let mut conn = hello(&mut e, "x");
    let (reply, _) = e.handle(Message::LogAck, &mut conn, now(T0));
    assert!(matches!(
        reply,
        Some(Message::Error(err)) if err.code == ProtocolErrorCode::UnexpectedMessage
    ));
}

fn basic(user: &str, pw: &str) -> Credential {
    Credential::Basic {
        username: user.into(),
        password: pw.into(),
    }
}

fn auth(
    e: &mut Engine,
    conn: &mut ConnState,
    c: Credential,
    t: i64,
) -> Result<cli_translator::protocol::Session, AuthFailure> {
    let (reply, _) = e.handle(
        Message::Authenticate(Authenticate {
            credential: c,
            context: None,
            source: src(),
        }),
        conn,
        now(t),
    );
    match reply {
        Some(Message::AuthResult(r)) => r,
        other => panic!("{other:?}"),
    }
}

#[test]
fn basic_authentication_checks_the_password_and_reports_generation() {
    let mut e = boot();
    let mut conn = hello(&mut e, "x");
    let s = auth(&mut e, &mut conn, basic("admin", ADMIN_PW), T0).unwrap();
    assert_eq!(s.username, "admin");
    assert_eq!(s.privilege, 15);
    assert_eq!(s.generation, 1);
    assert_eq!(
        auth(&mut e, &mut conn, basic("admin", "wrong"), T0),
        Err(AuthFailure::BadCredentials)
    );
    assert_eq!(
        auth(&mut e, &mut conn, basic("nobody", ADMIN_PW), T0),
        Err(AuthFailure::BadCredentials)
    );
    let (reply, _) = e.handle(
        Message::Authenticate(Authenticate {
            credential: basic("admin", ADMIN_PW),
            context: Some("ctx1".into()),
            source: src(),
        }),
        &mut conn,
        now(T0),
    );
    assert_eq!(
        reply,
        Some(Message::AuthResult(Err(AuthFailure::NoSuchContext)))
    );
}

#[test]
fn a_changed_password_invalidates_the_cached_credentials() {
    let mut e = boot();
    let mut conn = hello(&mut e, "x");
    assert!(auth(&mut e, &mut conn, basic("admin", ADMIN_PW), T0).is_ok());
    all_ok(&exec(
        &mut e,
        &["username admin password Other-456 privilege 15"],
    ));
    assert_eq!(
        auth(&mut e, &mut conn, basic("admin", ADMIN_PW), T0),
        Err(AuthFailure::BadCredentials)
    );
    assert!(auth(&mut e, &mut conn, basic("admin", "Other-456"), T0).is_ok());
}

#[test]
fn nopassword_users_log_in_with_the_empty_password_only() {
    let mut e = boot();
    all_ok(&exec(&mut e, &["username guest nopassword privilege 3"]));
    let mut conn = hello(&mut e, "x");
    assert_eq!(
        auth(&mut e, &mut conn, basic("guest", ""), T0)
            .unwrap()
            .privilege,
        3
    );
    assert!(auth(&mut e, &mut conn, basic("guest", "x"), T0).is_err());
}

/// Every refusal costs one password derivation, whether the user is unknown, hashed, legacy or
/// password-less: the time of an answer does not tell which user names exist.
#[test]
fn every_refusal_costs_one_derivation_whoever_the_user_is() {
    let mut e = boot();
    all_ok(&exec(
        &mut e,
        &[
            "username guest nopassword privilege 3",
            "username old password 8Ry2YjIyt7RRXU24 encrypted privilege 3",
        ],
    ));
    let derivations = |e: &mut Engine, user: &str, password: &str| {
        let before = aaa::DERIVATIONS.with(std::cell::Cell::get);
        assert_eq!(e.verify_user(user, password), None, "{user}");
        aaa::DERIVATIONS.with(std::cell::Cell::get) - before
    };
    for user in ["admin", "nobody", "guest", "old"] {
        assert_eq!(derivations(&mut e, user, "Wrong-pw-1"), 1, "{user}");
    }
}

fn create_token(e: &mut Engine, conn: &mut ConnState, t: i64) -> TokenResult {
    let (reply, _) = e.handle(
        Message::TokenCreate(TokenCreate {
            username: "admin".into(),
            password: ADMIN_PW.into(),
            context: None,
            source: src(),
        }),
        conn,
        now(t),
    );
    match reply {
        Some(Message::TokenResult(r)) => r,
        other => panic!("{other:?}"),
    }
}

fn token_of(r: TokenResult) -> String {
    match r {
        TokenResult::Created { token } => token,
        other => panic!("{other:?}"),
    }
}

#[test]
fn twenty_five_tokens_then_limit_reached() {
    let mut e = boot();
    let mut conn = hello(&mut e, "rest-daemon/1");
    for _ in 0..25 {
        token_of(create_token(&mut e, &mut conn, T0));
    }
    assert_eq!(
        create_token(&mut e, &mut conn, T0),
        TokenResult::Refused(TokenFailure::LimitReached)
    );
}

#[test]
fn bad_credentials_get_no_token_and_a_605004() {
    let mut e = boot();
    let mut conn = hello(&mut e, "x");
    let (reply, _) = e.handle(
        Message::TokenCreate(TokenCreate {
            username: "admin".into(),
            password: "nope".into(),
            context: None,
            source: src(),
        }),
        &mut conn,
        now(T0),
    );
    assert_eq!(
        reply,
        Some(Message::TokenResult(TokenResult::Refused(
            TokenFailure::BadCredentials
        )))
    );
    let log = e.log_buffer().join("\n");
    assert!(log.contains("%ASA-6-605004: Login denied from 10.0.0.5/0 to management:127.0.0.1/https for user \"admin\""), "{log}");
}

#[test]
fn tokens_authenticate_until_idle_then_expire() {
    let mut e = boot();
    let mut conn = hello(&mut e, "x");
    let token = token_of(create_token(&mut e, &mut conn, T0));
    let log = e.log_buffer().join("\n");
    assert!(log.contains("%ASA-6-605005: Login permitted from 10.0.0.5/0 to management:127.0.0.1/https for user \"admin\""), "{log}");
    let s = auth(
        &mut e,
        &mut conn,
        Credential::Token(token.clone()),
        T0 + 1000,
    )
    .unwrap();
    assert_eq!((s.username.as_str(), s.privilege), ("admin", 15));
    // Used at T0+1000: still valid 30 minutes later, not after 30 minutes idle.
    assert!(
        auth(
            &mut e,
            &mut conn,
            Credential::Token(token.clone()),
            T0 + 1000 + 1800
        )
        .is_ok()
    );
    assert_eq!(
        auth(
            &mut e,
            &mut conn,
            Credential::Token(token),
            T0 + 1000 + 1800 + 1801
        ),
        Err(AuthFailure::BadCredentials)
    );
}

#[test]
fn token_deletion_needs_a_live_token_and_valid_credentials() {
    let mut e = boot();
    let mut conn = hello(&mut e, "x");
    let token = token_of(create_token(&mut e, &mut conn, T0));
    let mut delete = |e: &mut Engine, token: &str, cred: Option<Credential>| {
        let (reply, _) = e.handle(
            Message::TokenDelete(TokenDelete {
                token: token.into(),
                credential: cred,
                context: None,
                source: src(),
            }),
            &mut conn,
            now(T0 + 5),
        );
        reply
    };
    assert_eq!(
        delete(&mut e, &token, Some(basic("admin", "bad"))),
        Some(Message::TokenResult(TokenResult::Refused(
            TokenFailure::BadCredentials
        )))
    );
    assert_eq!(
        delete(&mut e, &token, Some(basic("admin", ADMIN_PW))),
        Some(Message::TokenResult(TokenResult::Deleted))
    );
    // Cisco: deletion takes Basic credentials; none, or a token, is refused.
    for cred in [None, Some(Credential::Token(token.clone()))] {
        assert_eq!(
            delete(&mut e, &token, cred),
            Some(Message::TokenResult(TokenResult::Refused(
                TokenFailure::BadCredentials
            )))
        );
    }
    assert_eq!(
        delete(&mut e, &token, Some(basic("admin", ADMIN_PW))),
        Some(Message::TokenResult(TokenResult::Refused(
            TokenFailure::UnknownToken
        )))
    );
    let log = e.log_buffer().join("\n");
    assert!(log.contains("%ASA-5-611103: User logged out: Uname: admin"));
    assert!(
        log.contains(
            "605004: Login denied from 10.0.0.5/0 to management:127.0.0.1/https for user \"admin\""
        ),
        "{log}"
    );
    assert!(
        log.contains("605005: Login permitted from 10.0.0.5/0 to management:127.0.0.1/https for user \"admin\""),
        "{log}"
    );
    let mut conn2 = hello(&mut e, "x");
    assert!(auth(&mut e, &mut conn2, Credential::Token(token), T0 + 6).is_err());
}

#[test]
fn an_agent_hello_ends_every_token() {
    let mut e = boot();
    let mut conn = hello(&mut e, "rest-daemon/1");
    let token = token_of(create_token(&mut e, &mut conn, T0));
    hello(&mut e, "rest-daemon/1");
    assert!(auth(&mut e, &mut conn, Credential::Token(token.clone()), T0).is_ok());
    hello(&mut e, "rest-agent/0.1.0");
    assert_eq!(e.token_count(), 0);
    assert!(auth(&mut e, &mut conn, Credential::Token(token), T0).is_err());
}

#[test]
fn removing_a_user_ends_its_tokens() {
    let mut e = boot();
    all_ok(&exec(
        &mut e,
        &["username ops password Ops-pass-1 privilege 15"],
    ));
    let mut conn = hello(&mut e, "x");
    let (reply, _) = e.handle(
        Message::TokenCreate(TokenCreate {
            username: "ops".into(),
            password: "Ops-pass-1".into(),
            context: None,
            source: src(),
        }),
        &mut conn,
        now(T0),
    );
    let Some(Message::TokenResult(r)) = reply else {
        panic!()
    };
    let token = token_of(r);
    all_ok(&exec(&mut e, &["no username ops"]));
    assert!(auth(&mut e, &mut conn, Credential::Token(token), T0).is_err());
}

#[test]
fn log_events_go_to_the_buffer() {
    let mut e = boot();
    let mut conn = hello(&mut e, "x");
    let (reply, _) = e.handle(
        Message::Log(LogEvent {
            message_id: 342001,
            level: 7,
            body: "REST API Agent started successfully.".into(),
        }),
        &mut conn,
        now(T0),
    );
    assert_eq!(reply, Some(Message::LogAck));
    assert!(
        e.log_buffer()
            .iter()
            .any(|l| l == "%ASA-7-342001: REST API Agent started successfully.")
    );
}

#[test]
fn subscribe_answers_the_current_generation() {
    let mut e = boot();
    let mut conn = hello(&mut e, "x");
    let (reply, _) = e.handle(Message::Subscribe, &mut conn, now(T0));
    assert_eq!(reply, Some(Message::Generation(1)));
    assert!(conn.subscribed);
}

// ===== typed commands =====

#[test]
fn hostname_applies_and_prints() {
    let mut e = boot();
    all_ok(&exec(&mut e, &["hostname fw-lab"]));
    assert_eq!(e.hostname(), "fw-lab");
    assert_eq!(
        show(&mut e, "show running-config hostname"),
        "hostname fw-lab\n"
    );
    assert_eq!(show(&mut e, "show hostname"), "fw-lab\n");
}

#[test]
fn interface_commands_apply_in_asa_order() {
    let mut e = boot();
    all_ok(&exec(
        &mut e,
        &[
            "interface GigabitEthernet0/1",
            " ip address 10.1.1.1 255.255.255.0 standby 10.1.1.2",
            " security-level 50",
            " nameif dmz",
            " description DMZ link",
            " no shutdown",
        ],
    ));
    assert_eq!(
        show(&mut e, "show running-config interface GigabitEthernet0/1"),
        "interface GigabitEthernet0/1\n description DMZ link\n nameif dmz\n security-level 50\n ip address 10.1.1.1 255.255.255.0 standby 10.1.1.2\n"
    );
    all_ok(&exec(
        &mut e,
        &[
            "interface GigabitEthernet0/1",
            " shutdown",
            " no nameif",
            " no security-level",
            " no ip address",
            " no description",
        ],
    ));
    assert_eq!(
        show(&mut e, "show running-config interface GigabitEthernet0/1"),
        "interface GigabitEthernet0/1\n shutdown\n no nameif\n no security-level\n no ip address\n"
    );
    all_ok(&exec(
        &mut e,
        &["interface GigabitEthernet0/2", " ip address dhcp setroute"],
    ));
    assert!(
        show(&mut e, "show running-config interface GigabitEthernet0/2")
            .contains(" ip address dhcp setroute\n")
    );
}

#[test]
fn nameif_sets_a_default_security_level() {
    let mut e = boot();
    let r = exec(&mut e, &["interface GigabitEthernet0/0", " nameif inside"]);
    all_ok(&r);
    assert_eq!(
        r.outcomes[1].output,
        "INFO: Security level for \"inside\" set to 100 by default.\n"
    );
    assert!(
        show(&mut e, "show running-config interface GigabitEthernet0/0")
            .contains(" nameif inside\n security-level 100\n")
    );
}

#[test]
fn nameifs_are_unique() {
    let mut e = boot();
    let r = exec(
        &mut e,
        &["interface GigabitEthernet0/0", " nameif management"],
    );
    assert!(!r.outcomes[1].ok);
    assert_eq!(
        r.outcomes[1].output,
        "ERROR: nameif management is already used by interface Management0/0\n"
    );
}

#[test]
fn only_existing_hardware_or_logical_interfaces_can_be_entered() {
    let mut e = boot();
    let r = exec(&mut e, &["interface GigabitEthernet0/9"]);
    assert!(!r.outcomes[0].ok);
    assert_eq!(
        r.outcomes[0].output,
        "interface GigabitEthernet0/9\n          ^\nERROR: % Invalid input detected at '^' marker.\n"
    );
    let before = e.generation();
    all_ok(&exec(&mut e, &["interface gi0/1.100", " nameif vlan100"]));
    assert_eq!(e.generation(), before + 1);
    let sub = show(
        &mut e,
        "show running-config interface GigabitEthernet0/1.100",
    );
    assert_eq!(
        sub,
        "interface GigabitEthernet0/1.100\n nameif vlan100\n security-level 0\n no ip address\n"
    );
    all_ok(&exec(&mut e, &["no interface GigabitEthernet0/1.100"]));
    assert_eq!(
        show(
            &mut e,
            "show running-config interface GigabitEthernet0/1.100"
        ),
        ""
    );
    let r = exec(&mut e, &["no interface GigabitEthernet0/1"]);
    assert!(!r.outcomes[0].ok);
}

#[test]
fn object_network_lifecycle() {
    let mut e = boot();
    all_ok(&exec(
        &mut e,
        &[
            "object network web",
            " host 10.0.0.10",
            " description Web server",
        ],
    ));
    assert_eq!(
        show(&mut e, "show running-config object network web"),
        "object network web\n host 10.0.0.10\n description Web server\n"
    );
    // A second address replaces the first.
    all_ok(&exec(
        &mut e,
        &["object network web", " subnet 10.0.0.0 255.255.255.0"],
    ));
    all_ok(&exec(
        &mut e,
        &["object network v6", " subnet 2001:db8::/32"],
    ));
    all_ok(&exec(
        &mut e,
        &["object network r", " range 10.0.0.1 10.0.0.9"],
    ));
    all_ok(&exec(
        &mut e,
        &["object network f", " fqdn v4 www.example.com"],
    ));
    assert_eq!(
        show(&mut e, "show running-config object network"),
        "object network web\n subnet 10.0.0.0 255.255.255.0\n description Web server\n\
         object network v6\n subnet 2001:db8::/32\n\
         object network r\n range 10.0.0.1 10.0.0.9\n\
         object network f\n fqdn v4 www.example.com\n"
    );
    all_ok(&exec(
        &mut e,
        &[
            "object network web",
            " no description",
            " no subnet 10.0.0.0 255.255.255.0",
        ],
    ));
    assert_eq!(
        show(&mut e, "show running-config object network web"),
        "object network web\n"
    );
    all_ok(&exec(&mut e, &["no object network web"]));
    assert_eq!(show(&mut e, "show running-config object network web"), "");
    let r = exec(&mut e, &["no object network web"]);
    assert_eq!(
        r.outcomes[0].output,
        "ERROR: object (web) does not exist.\n"
    );
}

#[test]
fn subnet_with_host_bits_is_refused() {
    let mut e = boot();
    let r = exec(
        &mut e,
        &["object network o", " subnet 10.0.0.1 255.255.255.0"],
    );
    assert!(!r.outcomes[1].ok);
    assert!(
        r.outcomes[1]
            .output
            .starts_with("subnet 10.0.0.1 255.255.255.0\n")
    );
    assert_eq!(
        show(&mut e, "show running-config object network o"),
        "object network o\n"
    );
}

#[test]
fn referenced_objects_cannot_be_removed() {
    let mut e = boot();
    all_ok(&exec(
        &mut e,
        &[
            "object network a",
            " host 1.1.1.1",
            "object network b",
            " host 2.2.2.2",
            "object network c",
            " host 3.3.3.3",
            "access-list acl1 extended permit ip object a any",
            "object-group network g",
            " network-object object b",
        ],
    ));
    for name in ["a", "b"] {
        let cmd = format!("no object network {name}");
        let r = exec(&mut e, &[cmd.as_str()]);
        assert!(!r.outcomes[0].ok, "{name}");
        assert_eq!(
            r.outcomes[0].output,
            format!("ERROR: unable to delete object ({name}). Object is being used.\n")
        );
    }
    // NAT naming an object after static/dynamic is a reference too.
    all_ok(&exec(
        &mut e,
        &[
            "object network d",
            " host 4.4.4.4",
            // Interfaces named in a NAT rule must exist: the default device has `management`.
            " nat (any,management) static c",
        ],
    ));
    assert!(!exec(&mut e, &["no object network c"]).outcomes[0].ok);
    // The object's own NAT is not a reference: deleting d deletes its NAT block too.
    all_ok(&exec(&mut e, &["no object network d"]));
    assert!(!show(&mut e, "show running-config").contains("static c"));
    all_ok(&exec(&mut e, &["no object network c"]));
}

#[test]
fn object_nat_goes_to_the_nat_section() {
    let mut e = boot_text(
        "hostname h\ninterface G0/0\n nameif inside\n!\ninterface G0/1\n nameif outside\n!\nobject network o\n host 1.1.1.1\naccess-list x extended permit ip any any\npager lines 24\nnat (inside,outside) source static any any\naccess-group x in interface inside\n",
    );
    all_ok(&exec(
        &mut e,
        &[
            "object network o",
            " nat (inside,outside) dynamic interface",
        ],
    ));
    let run = show(&mut e, "show running-config");
    let body: Vec<&str> = run.lines().collect();
    let nat_at = body
        .iter()
        .position(|l| *l == " nat (inside,outside) dynamic interface")
        .unwrap();
    assert_eq!(body[nat_at - 1], "object network o");
    assert_eq!(
        body[nat_at - 2],
        "nat (inside,outside) source static any any"
    );
    assert_eq!(body[nat_at + 1], "access-group x in interface inside");
    assert_eq!(
        show(&mut e, "show running-config object network"),
        "object network o\n host 1.1.1.1\n"
    );
    assert_eq!(
        show(&mut e, "show running-config nat"),
        "nat (inside,outside) source static any any\nobject network o\n nat (inside,outside) dynamic interface\n"
    );
    all_ok(&exec(
        &mut e,
        &[
            "object network o",
            " no nat (inside,outside) dynamic interface",
        ],
    ));
    assert!(!show(&mut e, "show running-config").contains("dynamic interface"));
}

#[test]
fn usernames_are_hashed_and_never_printed_or_logged_in_clear() {
    let mut e = boot();
    let b = exec_full(
        &mut e,
        15,
        ExecMode::Config,
        false,
        &["username alice password Wonder-land1 privilege 5"],
    );
    all_ok(&b.result);
    let run = show(&mut e, "show running-config");
    assert!(!run.contains("Wonder-land1"));
    assert!(!run.contains(ADMIN_PW));
    let line = show(&mut e, "show running-config username alice");
    assert!(
        line.starts_with("username alice password $sha512$5000$"),
        "{line}"
    );
    assert!(line.ends_with(" pbkdf2 privilege 5\n"), "{line}");
    let log = e.log_buffer().join("\n");
    assert!(!log.contains("Wonder-land1"), "{log}");
    assert!(
        log.contains("executed 'username alice password ***** privilege 5'"),
        "{log}"
    );
    assert!(!e.startup_config().contains(ADMIN_PW));
}

#[test]
fn users_can_be_removed() {
    let mut e = boot();
    all_ok(&exec(
        &mut e,
        &[
            "username bob password Bob-pass-1",
            "username bob attributes",
            " service-type admin",
        ],
    ));
    assert!(
        show(&mut e, "show running-config username")
            .contains("username bob attributes\n service-type admin\n")
    );
    all_ok(&exec(&mut e, &["no username bob"]));
    assert!(!show(&mut e, "show running-config username").contains("bob"));
    let r = exec(&mut e, &["no username bob"]);
    assert_eq!(r.outcomes[0].output, "ERROR: User bob does not exist\n");
}

#[test]
fn logging_commands_apply_and_print() {
    let mut e = boot();
    all_ok(&exec(
        &mut e,
        &[
            "logging timestamp",
            "logging buffered warnings",
            "logging trap informational",
            "logging host management 192.168.1.50",
            "logging host management 192.168.1.51 tcp/1470",
        ],
    ));
    assert_eq!(
        show(&mut e, "show running-config logging"),
        "logging enable\nlogging timestamp\nlogging buffered warnings\nlogging trap informational\n\
         logging host management 192.168.1.50\nlogging host management 192.168.1.51 tcp/1470\n"
    );
    let r = exec(&mut e, &["logging host nowhere 1.2.3.4"]);
    assert_eq!(r.outcomes[0].output, "ERROR: Interface nowhere not found\n");
    all_ok(&exec(
        &mut e,
        &[
            "no logging host management 192.168.1.50",
            "no logging timestamp",
            "no logging trap informational",
        ],
    ));
    assert_eq!(
        show(&mut e, "show running-config logging"),
        "logging enable\nlogging buffered warnings\nlogging host management 192.168.1.51 tcp/1470\n"
    );
}

#[test]
fn logging_levels_decide_what_reaches_the_buffer_and_hosts() {
    let mut e = boot();
    all_ok(&exec(
        &mut e,
        &[
            "logging buffered errors",
            "logging trap notifications",
            "logging host management 192.168.1.50",
        ],
    ));
    let mut conn = hello(&mut e, "x");
    let mut log = |e: &mut Engine, level: u8| {
        e.handle(
            Message::Log(LogEvent {
                message_id: 342002,
                level,
                body: format!("level {level}"),
            }),
            &mut conn,
            now(T0),
        )
        .1
    };
    let fx_err = log(&mut e, 3);
    let fx_dbg = log(&mut e, 7);
    let fx_notif = log(&mut e, 5);
    let buffer = e.log_buffer();
    assert!(buffer.iter().any(|l| l.ends_with("%ASA-3-342002: level 3")));
    assert!(
        !buffer
            .iter()
            .any(|l| l.contains("level 7") || l.contains("level 5"))
    );
    let sent = |fx: &[Effect]| {
        fx.iter()
            .filter(|f| matches!(f, Effect::Syslog { .. }))
            .count()
    };
    assert_eq!(sent(&fx_err), 1);
    assert_eq!(sent(&fx_dbg), 0);
    assert_eq!(sent(&fx_notif), 1);
    all_ok(&exec(&mut e, &["no logging enable"]));
    assert_eq!(sent(&log(&mut e, 0)), 0);
}

#[test]
fn show_logging_prints_header_and_buffer() {
    let mut e = boot();
    let out = show(&mut e, "show logging");
    assert!(
        out.starts_with(
            "Syslog logging: enabled\n    Facility: 20\n    Timestamp logging: disabled\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("    Buffer logging: level debugging, "),
        "{out}"
    );
    assert!(
        out.contains("%ASA-6-199002: startup completed.  Beginning operation."),
        "{out}"
    );
}

// ===== sessions, errors, atomicity =====

#[test]
fn unknown_commands_print_a_caret_under_the_bad_word() {
    let mut e = boot();
    let r = exec(&mut e, &["foo bar"]);
    assert!(!r.outcomes[0].ok);
    assert_eq!(
        r.outcomes[0].output,
        "foo bar\n^\nERROR: % Invalid input detected at '^' marker.\n"
    );
    let r = exec(&mut e, &["no frobnicate 1"]);
    assert_eq!(
        r.outcomes[0].output,
        "no frobnicate 1\n   ^\nERROR: % Invalid input detected at '^' marker.\n"
    );
    let r = exec(&mut e, &["show frobs"]);
    assert_eq!(
        r.outcomes[0].output,
        "show frobs\n     ^\nERROR: % Invalid input detected at '^' marker.\n"
    );
    let r = exec(&mut e, &["hostname"]);
    assert_eq!(r.outcomes[0].output, "ERROR: % Incomplete command\n");
}

#[test]
fn a_failing_command_changes_nothing() {
    let mut e = boot();
    let before = show(&mut e, "show running-config");
    let r = exec(
        &mut e,
        &["interface GigabitEthernet0/0", " nameif management"],
    );
    assert!(r.outcomes[0].ok && !r.outcomes[1].ok);
    assert_eq!(show(&mut e, "show running-config"), before);
    assert_eq!(
        e.generation(),
        1,
        "entering an existing interface changes nothing"
    );
}

#[test]
fn non_atomic_batches_keep_what_succeeded() {
    let mut e = boot();
    let r = exec(
        &mut e,
        &["hostname a1", "bogus", "object network x", " host 1.1.1.1"],
    );
    assert_eq!(
        r.outcomes.iter().map(|o| o.ok).collect::<Vec<_>>(),
        vec![true, false, true, true]
    );
    assert!(r.applied);
    assert_eq!(r.generation, 2);
    assert_eq!(e.hostname(), "a1");
}

#[test]
fn atomic_batches_roll_back_on_failure() {
    let mut e = boot();
    let before = show(&mut e, "show running-config");
    let b = exec_full(
        &mut e,
        15,
        ExecMode::Config,
        true,
        &[
            "hostname changed",
            "object network x",
            " host 1.1.1.1",
            "write memory",
            "bogus",
            "hostname never",
        ],
    );
    assert!(!b.result.applied);
    assert_eq!(b.result.outcomes.len(), 5, "stops at the failure");
    assert!(!b.result.outcomes[4].ok);
    assert_eq!(b.result.generation, 1);
    assert!(
        b.effects.is_empty(),
        "no write, no push, no syslog: {:?}",
        b.effects
    );
    assert_eq!(show(&mut e, "show running-config"), before);
    assert_eq!(e.hostname(), "ciscoasa");
    assert!(!e.startup_config().contains("changed"));
}

#[test]
fn generation_grows_by_one_per_changing_batch() {
    let mut e = boot();
    assert_eq!(e.generation(), 1);
    let b = exec_full(
        &mut e,
        15,
        ExecMode::Config,
        true,
        &["hostname a", "hostname b", "pager lines 30"],
    );
    assert_eq!(b.result.generation, 2);
    assert!(b.effects.contains(&Effect::GenerationChanged(2)));
    show(&mut e, "show running-config");
    assert_eq!(e.generation(), 2, "shows change nothing");
    exec(&mut e, &["hostname b"]);
    assert_eq!(e.generation(), 2, "setting the same value changes nothing");
    exec(&mut e, &["write memory"]);
    assert_eq!(
        e.generation(),
        2,
        "write memory does not change the running config"
    );
}

#[test]
fn low_privilege_users_cannot_configure_or_save() {
    let mut e = boot();
    let b = exec_full(
        &mut e,
        5,
        ExecMode::Config,
        false,
        &["hostname x", "write memory", "show clock", "exit"],
    );
    let r = &b.result;
    assert_eq!(
        r.outcomes[0].output,
        "ERROR: Command authorization failed\n"
    );
    assert_eq!(
        r.outcomes[1].output,
        "ERROR: Command authorization failed\n"
    );
    assert!(r.outcomes[2].ok);
    assert!(r.outcomes[3].ok);
    assert_eq!(e.hostname(), "ciscoasa");
    let b = exec_full(&mut e, 5, ExecMode::Exec, false, &["configure terminal"]);
    assert_eq!(
        b.result.outcomes[0].output,
        "ERROR: Command authorization failed\n"
    );
}

#[test]
fn exec_mode_refuses_configuration_commands_until_configure_terminal() {
    let mut e = boot();
    let b = exec_full(
        &mut e,
        15,
        ExecMode::Exec,
        false,
        &[
            "hostname x",
            "show version",
            "configure terminal",
            "hostname y",
            "end",
            "hostname z",
        ],
    );
    let ok: Vec<bool> = b.result.outcomes.iter().map(|o| o.ok).collect();
    assert_eq!(ok, vec![false, true, true, true, true, false]);
    assert_eq!(
        b.result.outcomes[0].output,
        "hostname x\n^\nERROR: % Invalid input detected at '^' marker.\n"
    );
    assert_eq!(e.hostname(), "y");
}

#[test]
fn sub_modes_follow_the_asa_cli_rules() {
    let mut e = boot();
    // Unindented sub-commands stay in the mode; a top-level keyword leaves it.
    all_ok(&exec(
        &mut e,
        &[
            "interface GigabitEthernet0/3",
            "nameif web",
            "ip address 10.3.3.1 255.255.255.0",
            "hostname h2",
            "exit",
        ],
    ));
    assert!(
        show(&mut e, "show running-config interface GigabitEthernet0/3")
            .contains(" nameif web\n security-level 0\n ip address 10.3.3.1 255.255.255.0\n")
    );
    assert_eq!(e.hostname(), "h2");
    // exit leaves the sub-mode for configuration mode: a sub-command is then an error and
    // a configuration command works.
    let r = exec(
        &mut e,
        &[
            "interface GigabitEthernet0/3",
            "exit",
            " nameif other",
            "hostname h3",
        ],
    );
    assert!(!r.outcomes[2].ok);
    assert!(r.outcomes[3].ok);
    assert_eq!(e.hostname(), "h3");
}

#[test]
fn verbatim_families_are_kept_in_place_deduplicated_and_removable() {
    let mut e = boot();
    all_ok(&exec(
        &mut e,
        &[
            "access-list inside_in extended permit tcp any any eq 443",
            "access-list inside_in extended permit tcp any any eq 443",
            "access-list inside_in extended permit tcp any any eq 80",
            "access-list inside_in line 1 remark first",
            "route management 10.0.0.0 255.0.0.0 192.168.1.254 1",
            "route management 10.0.0.0 255.0.0.0 192.168.1.254 5",
            "pager lines 50",
        ],
    ));
    assert_eq!(
        show(&mut e, "show running-config access-list"),
        "access-list inside_in remark first\naccess-list inside_in extended permit tcp any any eq 443\naccess-list inside_in extended permit tcp any any eq 80\n"
    );
    assert_eq!(
        show(&mut e, "show running-config route"),
        "route management 10.0.0.0 255.0.0.0 192.168.1.254 5\n"
    );
    assert_eq!(
        show(&mut e, "show running-config pager"),
        "pager lines 50\n"
    );
    let run = show(&mut e, "show running-config");
    let acl = run.find("access-list inside_in remark first").unwrap();
    assert!(acl > run.find("interface Management0/0").unwrap());
    assert!(acl < run.find("pager lines 50").unwrap());
    all_ok(&exec(
        &mut e,
        &[
            "no access-list inside_in extended permit tcp any any eq 443",
            "no route management 10.0.0.0 255.0.0.0 192.168.1.254",
        ],
    ));
    assert_eq!(
        show(&mut e, "show running-config access-list"),
        "access-list inside_in remark first\naccess-list inside_in extended permit tcp any any eq 80\n"
    );
    assert_eq!(show(&mut e, "show running-config route"), "");
    all_ok(&exec(&mut e, &["clear configure access-list inside_in"]));
    assert_eq!(show(&mut e, "show running-config access-list"), "");
}

#[test]
fn verbatim_blocks_open_sub_modes_and_nest() {
    let mut e = boot();
    all_ok(&exec(
        &mut e,
        &[
            "object-group network servers",
            " description app servers",
            " network-object host 10.1.1.1",
            " network-object host 10.1.1.2",
            "policy-map global_policy",
            " class inspection_default",
            "  inspect icmp",
        ],
    ));
    assert_eq!(
        show(&mut e, "show running-config object-group"),
        "object-group network servers\n description app servers\n network-object host 10.1.1.1\n network-object host 10.1.1.2\n"
    );
    let pm = show(&mut e, "show running-config policy-map global_policy");
    assert!(pm.contains("  inspect skinny\n  inspect icmp\n"), "{pm}");
    all_ok(&exec(
        &mut e,
        &[
            "object-group network servers",
            " description renamed",
            " no network-object host 10.1.1.1",
        ],
    ));
    assert_eq!(
        show(&mut e, "show running-config object-group"),
        "object-group network servers\n description renamed\n network-object host 10.1.1.2\n"
    );
    all_ok(&exec(
        &mut e,
        &["access-list a extended permit ip object-group servers any"],
    ));
    let r = exec(&mut e, &["no object-group network servers"]);
    assert_eq!(
        r.outcomes[0].output,
        "Removing object-group (servers) not allowed, it is being used.\n"
    );
}

#[test]
fn clear_enable_passwords_are_hashed() {
    let mut e = boot();
    all_ok(&exec(&mut e, &["enable password Top-Secret-9"]));
    let run = show(&mut e, "show running-config enable");
    assert!(!run.contains("Top-Secret-9"));
    assert!(
        run.starts_with("enable password $sha512$5000$") && run.ends_with(" pbkdf2\n"),
        "{run}"
    );
}

#[test]
fn stored_negations_toggle() {
    let mut e = boot();
    all_ok(&exec(&mut e, &["snmp-server location lab"]));
    let run = show(&mut e, "show running-config snmp-server");
    assert!(
        run.contains("snmp-server location lab\n") && !run.contains("no snmp-server location"),
        "{run}"
    );
    all_ok(&exec(
        &mut e,
        &[
            "no logging message 106023",
            "logging message 106100 level 3",
        ],
    ));
    assert!(
        show(&mut e, "show running-config logging")
            .contains("no logging message 106023\nlogging message 106100 level 3\n")
    );
    all_ok(&exec(&mut e, &["logging message 106023"]));
    assert!(!show(&mut e, "show running-config logging").contains("106023"));
}

// ===== show =====

#[test]
fn running_config_has_header_version_and_checksum() {
    let mut e = boot();
    let run = show(&mut e, "show running-config");
    assert!(run.starts_with(": Saved\n:\n: Serial Number: 9A1B2C3D4E5\n: Hardware:   ASAv, 2048 MB RAM, CPU Xeon 4100/6100/8100 series 2200 MHz\n:\nASA Version 9.16(4) \n!\nhostname ciscoasa\n"), "{run}");
    assert!(run.ends_with("\n: end\n"));
    let sum_line = run
        .lines()
        .find(|l| l.starts_with("Cryptochecksum:"))
        .unwrap();
    let hex = sum_line.trim_start_matches("Cryptochecksum:");
    assert_eq!(hex.len(), 32);
    let grouped = show(&mut e, "show checksum");
    assert_eq!(
        grouped.replace(' ', "").trim_end(),
        format!("Cryptochecksum:{hex}")
    );
    assert_eq!(show(&mut e, "show running-config all"), run);
    assert_eq!(show(&mut e, "sh run"), run);
}

#[test]
fn checksum_changes_with_the_configuration() {
    let mut e = boot();
    let a = show(&mut e, "show checksum");
    all_ok(&exec(&mut e, &["hostname other"]));
    assert_ne!(show(&mut e, "show checksum"), a);
}

#[test]
fn write_memory_saves_the_running_config() {
    let mut e = boot();
    all_ok(&exec(&mut e, &["hostname saved-host"]));
    let b = exec_full(&mut e, 15, ExecMode::Exec, false, &["write memory"]);
    let out = &b.result.outcomes[0].output;
    assert!(
        out.starts_with("Building configuration...\nCryptochecksum: "),
        "{out}"
    );
    assert!(out.ends_with(" bytes copied in 0.10 secs\n[OK]\n"), "{out}");
    let written = b
        .effects
        .iter()
        .find_map(|f| match f {
            Effect::WriteStartup(t) => Some(t.clone()),
            _ => None,
        })
        .expect("a WriteStartup effect");
    assert!(written.contains("hostname saved-host\n"));
    assert!(out.contains(&format!("\n\n{} bytes copied", written.len())));
    assert_eq!(show(&mut e, "show startup-config"), written);
    let b = exec_full(
        &mut e,
        15,
        ExecMode::Config,
        false,
        &["copy running-config startup-config"],
    );
    assert!(
        b.effects
            .iter()
            .any(|f| matches!(f, Effect::WriteStartup(_)))
    );
}

#[test]
fn show_version_and_clock() {
    let mut e = boot();
    let v = show(&mut e, "show version");
    for needle in [
        "Cisco Adaptive Security Appliance Software Version 9.16(4)",
        "REST API Agent Version 7.16(1)",
        "ciscoasa up 1 min 0 secs",
        "Serial Number: 9A1B2C3D4E5",
        "Hardware:   ASAv, ",
        " 7: Ext: Management0/0",
        "Configuration has not been modified since last system restart.",
    ] {
        assert!(v.contains(needle), "missing {needle:?} in\n{v}");
    }
    all_ok(&exec(&mut e, &["hostname x"]));
    assert!(
        show(&mut e, "show version")
            .contains("Configuration last modified by admin at 13:21:01.000 UTC Sun Nov 22 2026")
    );
    assert_eq!(
        show(&mut e, "show clock"),
        "13:21:01.000 UTC Sun Nov 22 2026\n"
    );
}

#[test]
fn show_nameif_lists_named_interfaces() {
    let mut e = boot();
    let out = show(&mut e, "show nameif");
    assert_eq!(
        out,
        "Interface                Name                     Security\nManagement0/0            management               100\n"
    );
}

// ===== console =====

#[test]
fn console_login_enable_and_configure() {
    let mut e = boot();
    let (none, _) = e.console_login("admin", "bad", src(), now(T0));
    assert!(none.is_none());
    assert!(e.log_buffer().join("\n").contains("113015: AAA user authentication Rejected : reason = Invalid password : local database : user = admin"));
    let (s, _) = e.console_login("admin", ADMIN_PW, src(), now(T0));
    let mut s = s.unwrap();
    assert!(
        e.log_buffer()
            .join("\n")
            .contains("113012: AAA user authentication Successful : local database : user = admin")
    );
    assert_eq!(e.prompt(&s), "ciscoasa> ");
    let (out, _) = e.console_command(&mut s, "configure terminal", now(T0));
    assert!(out.contains("Invalid input"), "{out}");
    assert!(!e.console_enable(&mut s, "bad", now(T0)).0);
    assert!(e.console_enable(&mut s, ADMIN_PW, now(T0)).0);
    assert_eq!(e.prompt(&s), "ciscoasa# ");
    e.console_command(&mut s, "conf t", now(T0));
    assert_eq!(e.prompt(&s), "ciscoasa(config)# ");
    let (_, fx) = e.console_command(&mut s, "hostname edge", now(T0));
    assert!(fx.contains(&Effect::GenerationChanged(2)));
    assert_eq!(e.prompt(&s), "edge(config)# ");
    e.console_command(&mut s, "object network o1", now(T0));
    assert_eq!(e.prompt(&s), "edge(config-network-object)# ");
    let (_, fx) = e.console_command(&mut s, "host 1.2.3.4", now(T0));
    assert!(fx.contains(&Effect::GenerationChanged(4)), "{fx:?}");
    e.console_command(&mut s, "end", now(T0));
    assert_eq!(e.prompt(&s), "edge# ");
    let (out, _) = e.console_command(&mut s, "show running-config object network", now(T0));
    assert_eq!(out, "object network o1\n host 1.2.3.4\n");
}

#[test]
fn console_without_users_opens_without_a_login() {
    let mut e = boot_text("hostname fw\n");
    assert!(!e.console_needs_login());
    let mut s = e.console_open(src());
    assert_eq!(e.prompt(&s), "fw> ");
    // No enable password configured: an empty one opens privileged exec.
    assert!(!e.console_enable(&mut s, "x", now(T0)).0);
    assert!(e.console_enable(&mut s, "", now(T0)).0);
    assert_eq!(e.prompt(&s), "fw# ");
    e.console_command(&mut s, "conf t", now(T0));
    e.console_command(&mut s, "enable password S3cret-pw", now(T0));
    let mut again = e.console_open(src());
    assert!(!e.console_enable(&mut again, "", now(T0)).0);
    assert!(e.console_enable(&mut again, "S3cret-pw", now(T0)).0);
    // A local user, or `aaa authentication serial console`, brings the login back.
    e.console_command(&mut s, "aaa authentication serial console LOCAL", now(T0));
    assert!(e.console_needs_login());
    assert!(boot().console_needs_login());
}

// ===== loading and printing =====

#[test]
fn a_loaded_config_prints_back_line_for_line() {
    let text = ": Saved\n:\nASA Version 9.8(4)\n!\nhostname lab\nenable password 8Ry2YjIyt7RRXU24 encrypted\nnames\n!\ninterface GigabitEthernet0/0\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0\n!\nobject network obj-1\n host 10.1.1.1\nobject-group service web tcp\n port-object eq www\naccess-list out extended permit tcp any object obj-1 eq www\npager lines 24\nlogging enable\nlogging buffered 7\nmtu outside 1500\nobject network obj-1\n nat (any,outside) static 203.0.113.10\naccess-group out in interface outside\nroute outside 0.0.0.0 0.0.0.0 203.0.113.1 1\nusername old password 3USUcOPFUiMCO4Jk encrypted privilege 15\npolicy-map global_policy\n class inspection_default\n  inspect ftp\n!\nservice-policy global_policy global\nCryptochecksum:0123456789abcdef0123456789abcdef\n: end\n";
    let mut e = boot_text(text);
    let run = show(&mut e, "show running-config");
    let body: Vec<&str> = run
        .lines()
        .filter(|l| {
            !l.starts_with(':') && !l.starts_with("Cryptochecksum") && !l.starts_with("ASA Version")
        })
        .collect();
    let want: Vec<&str> = text
        .lines()
        .filter(|l| {
            !l.starts_with(':') && !l.starts_with("Cryptochecksum") && !l.starts_with("ASA Version")
        })
        .collect();
    assert_eq!(body, want);
    // The loaded interface set is the hardware.
    assert!(!exec(&mut e, &["interface GigabitEthernet0/1"]).outcomes[0].ok);
    // Legacy hashes load but do not verify.
    let mut conn = hello(&mut e, "x");
    assert!(auth(&mut e, &mut conn, basic("old", "cisco"), T0).is_err());
}

#[test]
fn twenty_thousand_objects_load_and_print_quickly() {
    let mut text = String::from("hostname big\n");
    for i in 0..20_000u32 {
        text.push_str(&format!(
            "object network o{i}\n host 10.{}.{}.{}\n",
            i >> 16,
            (i >> 8) & 255,
            i & 255
        ));
    }
    let started = std::time::Instant::now();
    let mut e = boot_text(&text);
    let run = e.running_config();
    assert_eq!(run.matches("object network ").count(), 20_000);
    let started_show = std::time::Instant::now();
    for _ in 0..3 {
        all_ok(&exec(
            &mut e,
            &[
                "object network extra",
                " host 1.1.1.1",
                "no object network extra",
            ],
        ));
        let _ = e.running_config();
    }
    // Generous bounds for debug builds on a shared machine: quadratic work would take minutes.
    assert!(started.elapsed().as_secs() < 60);
    assert!(started_show.elapsed().as_secs() < 30);
}

fn arbitrary_line() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "hostname",
        "interface",
        "GigabitEthernet0/1",
        "Management0/0",
        "nameif",
        "inside",
        "no",
        "security-level",
        "50",
        "ip",
        "address",
        "10.0.0.1",
        "255.255.255.0",
        "shutdown",
        "description",
        "object",
        "network",
        "o1",
        "host",
        "subnet",
        "range",
        "fqdn",
        "nat",
        "(inside,outside)",
        "static",
        "username",
        "u1",
        "password",
        "pw",
        "privilege",
        "15",
        "logging",
        "enable",
        "buffered",
        "trap",
        "7",
        "access-list",
        "a",
        "extended",
        "permit",
        "any",
        "exit",
        "end",
        "show",
        "running-config",
        "write",
        "memory",
        "!",
        ":",
        "route",
        "object-group",
        "network-object",
        "clear",
        "configure",
        "banner",
        "motd",
        "x",
    ]);
    (
        prop::sample::select(vec!["", " ", "  "]),
        prop::collection::vec(words, 0..7),
        ".{0,3}",
    )
        .prop_map(|(indent, words, junk)| format!("{indent}{}{junk}", words.join(" ")))
}

#[test]
fn control_characters_in_a_command_line_are_invalid_input() {
    // Found by the property below: a verbatim child line holding a NUL printed back unstably.
    let mut e = boot_text(
        "hostname p\ninterface GigabitEthernet0/1\n no nameif\n!\nusername admin password x pbkdf2 privilege 15\n",
    );
    let before = e.running_config();
    let r = exec_full(
        &mut e,
        15,
        ExecMode::Config,
        false,
        &["interface\u{b}x", "  \0", "hostname a\u{1b}b"],
    )
    .result;
    assert!(
        r.outcomes
            .iter()
            .all(|o| !o.ok && o.output.contains("Invalid input")),
        "{:?}",
        r.outcomes
    );
    assert_eq!(e.running_config(), before);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_batches_never_panic_and_printing_is_stable(
        lines in prop::collection::vec(arbitrary_line(), 0..25),
        atomic_batch in any::<bool>(),
    ) {
        let mut e = boot_text("hostname p\ninterface GigabitEthernet0/1\n no nameif\n!\ninterface Management0/0\n nameif management\n!\nusername admin password x pbkdf2 privilege 15\n");
        let cmds: Vec<&str> = lines.iter().map(String::as_str).collect();
        let r = exec_full(&mut e, 15, ExecMode::Config, atomic_batch, &cmds).result;
        prop_assert!(r.outcomes.len() <= cmds.len());
        let first = e.running_config();
        let mut reloaded = boot_text(&first);
        let second = reloaded.running_config();
        prop_assert_eq!(&first, &second);
    }
}

#[test]
fn show_access_list_expands_service_objects_protocol_and_port_groups() {
    let mut e = boot_text(
        "hostname h\n\
         object network src\n host 10.1.1.2\n\
         object service web\n service tcp destination eq www\n\
         object-group service svcs\n service-object tcp destination eq 60\n service-object object web\n service-object udp source eq 53 destination range 1000 1002\n\
         object-group protocol prt\n protocol-object tcp\n protocol-object udp\n\
         object-group service ports tcp\n port-object eq 445\n port-object range 20 21\n\
         access-list a extended permit object-group svcs object src any4\n\
         access-list a extended permit object-group prt any4 any4 eq 22\n\
         access-list a extended permit tcp any4 any4 object-group ports\n\
         access-list a extended permit object web any4 any4\n",
    );
    let out = show(&mut e, "show access-list a");
    let expanded: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("  access-list "))
        .map(|l| l.split(" (hitcnt").next().unwrap_or(""))
        .collect();
    assert_eq!(
        expanded,
        [
            "a line 1 extended permit tcp host 10.1.1.2 any4 eq 60",
            "a line 1 extended permit tcp host 10.1.1.2 any4 eq www",
            "a line 1 extended permit udp host 10.1.1.2 eq 53 any4 range 1000 1002",
            "a line 2 extended permit tcp any4 any4 eq 22",
            "a line 2 extended permit udp any4 any4 eq 22",
            "a line 3 extended permit tcp any4 any4 eq 445",
            "a line 3 extended permit tcp any4 any4 range 20 21",
            "a line 4 extended permit tcp any4 any4 eq www",
        ],
        "{out}"
    );
    assert!(out.contains("access-list a; 8 elements;"), "{out}");
}

fn conditional(e: &mut Engine, expected: u64, cmds: &[&str]) -> ExecResult {
    let mut conn = hello(e, "rest-daemon/1");
    let (reply, _) = e.handle(
        Message::Exec(Exec {
            user: "admin".into(),
            privilege: 15,
            source: src(),
            context: None,
            mode: ExecMode::Config,
            atomic: true,
            commands: cmds.iter().map(|c| (*c).to_owned()).collect(),
            expected_generation: Some(expected),
        }),
        &mut conn,
        now(T0 + 60),
    );
    match reply {
        Some(Message::ExecResult(result)) => result,
        other => panic!("unexpected reply {other:?}"),
    }
}

#[test]
fn a_batch_planned_on_an_old_generation_is_refused_as_stale_and_changes_nothing() {
    let mut e = boot();
    let g = e.generation();
    all_ok(&exec(&mut e, &["object network moved", " host 10.0.0.1"]));
    let r = conditional(&mut e, g, &["object network late", " host 10.0.0.2"]);
    assert!(!r.applied);
    assert!(r.outcomes.is_empty());
    assert_eq!(r.refusal, Some(cli_translator::protocol::Refusal::Stale));
    assert_eq!(r.generation, g + 1);
    assert!(!show(&mut e, "show running-config object network").contains("late"));
    let r = conditional(&mut e, g + 1, &["object network late", " host 10.0.0.2"]);
    assert!(r.applied, "{r:?}");
    assert_eq!(r.refusal, None);
    assert_eq!(r.generation, g + 2);
}

#[test]
fn a_refused_command_comes_back_typed_with_its_object() {
    let mut e = boot();
    all_ok(&exec(
        &mut e,
        &[
            "object network used",
            " host 10.0.0.1",
            "object-group network g",
            " network-object object used",
        ],
    ));
    let g = e.generation();
    let r = conditional(&mut e, g, &["hostname x", "no object network used"]);
    assert!(!r.applied);
    assert_eq!(
        r.refusal,
        Some(cli_translator::protocol::Refusal::Command {
            index: 1,
            kind: cli_translator::protocol::RefusalKind::InUse,
            object: Some("used".into()),
            by: None,
        })
    );
    assert!(r.outcomes[1].output.contains("used"), "{r:?}");
}

/// issue 13: boot. A configuration of more than [`PRINT_HALVES_ABOVE`] blocks is printed in two
/// halves at once: the same text and checksum as one print of every block.
#[test]
fn a_large_configuration_printed_in_halves_reads_as_one_print() {
    let mut text = String::from("hostname halves\n");
    for i in 0..PRINT_HALVES_ABOVE + 1_001 {
        text.push_str(&format!(
            "access-list acl-{} extended permit ip host 10.0.{}.{} any\n",
            i % 7,
            (i >> 8) & 255,
            i & 255
        ));
    }
    let mut e = boot_text(&text);
    let ctx = &e.contexts[e.selected];
    assert!(ctx.config.len() > PRINT_HALVES_ABOVE);
    let mut body = String::new();
    ctx.config.print_body(&e.version_line(), &mut body);
    let whole = e.running_config();
    let header_end = whole.find("ASA Version").expect("the version line");
    let trailer = format!("Cryptochecksum:{}\n: end\n", Checksum::of(&body));
    assert_eq!(&whole[header_end..whole.len() - trailer.len()], body);
    assert!(whole.ends_with(&trailer), "{}", &whole[whole.len() - 80..]);
    // The seam between the halves is somewhere in the middle of the access lists.
    let middle = PRINT_HALVES_ABOVE / 2;
    assert!(body.contains(&format!(
        "access-list acl-{} extended permit ip host 10.0.{}.{} any\n",
        middle % 7,
        (middle >> 8) & 255,
        middle & 255
    )));
}
