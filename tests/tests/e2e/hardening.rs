//! Least privilege and login hygiene: what a user below privilege 15 sees of the configuration
//! through `/api/cli`, token deletion with Basic credentials only, the local-user lockout
//! (`aaa local authentication attempts max-fail`) and the token slots kept for privilege 15.

use tests::Auth;

use crate::support::*;

const TOKENS: &str = "/api/tokenservices";

#[tokio::test]
async fn a_level_5_user_reads_no_password_hash_through_the_cli_api() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create_users(&mut c, &admin, &[("ro5", "Passw0rd5", 5)]).await;
    let level5 = Auth::basic("ro5", "Passw0rd5");

    let admin_view = running_config(&mut c, &admin).await;
    assert!(admin_view.contains(" pbkdf2"), "{admin_view}");
    for command in [
        "show running-config",
        "show running-config username",
        "show startup-config",
    ] {
        let seen = cli(&mut c, &level5, &[command]).await.concat();
        for line in seen.lines().filter(|l| l.starts_with("username ")) {
            assert!(
                line.contains(" password ***** "),
                "{command} at level 5 shows a hash: {line}"
            );
        }
    }
    let more = ok(
        &stack,
        c.post(
            "/api/cli",
            serde_json::json!({"commands": ["more system:running-config"]}),
            &level5,
        )
        .await,
    );
    let text = more.text();
    assert!(!text.contains("pbkdf2"), "{text}");
}

#[tokio::test]
async fn deleting_a_token_needs_basic_credentials() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let created = ok(&stack, c.post(TOKENS, (), &admin).await);
    expect_status(&created, 204, "POST /api/tokenservices");
    let token = created
        .header("x-auth-token")
        .unwrap_or_default()
        .to_owned();

    for (auth, what) in [
        (Auth::None, "no credentials"),
        (Auth::token(&token), "the token alone"),
        (Auth::basic("admin", "not-the-password"), "a wrong password"),
    ] {
        let r = ok(&stack, c.delete(&format!("{TOKENS}/{token}"), &auth).await);
        expect_error(&r, 401, &format!("DELETE with {what}"));
    }
    let still = ok(&stack, c.get(NETWORK_OBJECTS, &Auth::token(&token)).await);
    expect_status(&still, 200, "the token survives refused deletions");

    let deleted = ok(&stack, c.delete(&format!("{TOKENS}/{token}"), &admin).await);
    expect_status(&deleted, 204, "DELETE with Basic credentials");
    let logging = show_logging(&mut c, &admin).await;
    assert!(
        logging.contains("605004: Login denied") && logging.contains("605005: Login permitted"),
        "deletions log 605004 and 605005:\n{logging}"
    );
}

#[tokio::test]
async fn max_fail_locks_a_low_privilege_user_until_cleared() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    cli(
        &mut c,
        &admin,
        &[
            "username ops password Ops-Passw0rd privilege 5",
            "aaa local authentication attempts max-fail 3",
        ],
    )
    .await;
    let wrong = Auth::basic("ops", "wrong-password");
    for _ in 0..3 {
        let r = ok(&stack, c.get(NETWORK_OBJECTS, &wrong).await);
        expect_error(&r, 401, "a wrong password");
    }
    let right = Auth::basic("ops", "Ops-Passw0rd");
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &right).await);
    expect_error(&r, 401, "the right password of a locked user");

    let locked = cli(&mut c, &admin, &["show aaa local user locked"])
        .await
        .concat();
    assert!(locked.contains("Y  ops"), "{locked}");
    let logging = show_logging(&mut c, &admin).await;
    assert!(
        logging.contains("113015: AAA user authentication Rejected : reason = Invalid password : local database : user = ops"),
        "{logging}"
    );
    assert!(
        logging.contains("113006: User 'ops' locked out"),
        "{logging}"
    );

    cli(
        &mut c,
        &admin,
        &["clear aaa local user lockout username ops"],
    )
    .await;
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &right).await);
    expect_status(&r, 200, "after clear aaa local user lockout");
}

#[tokio::test]
async fn a_low_privilege_user_cannot_take_the_administrators_token_slots() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create_users(&mut c, &admin, &[("mon3", "Passw0rd3", 3)]).await;
    let mon = Auth::basic("mon3", "Passw0rd3");
    let mut taken = 0;
    for _ in 0..25 {
        let r = ok(&stack, c.post(TOKENS, (), &mon).await);
        if r.code() == 204 {
            taken += 1;
        } else {
            expect_error(&r, 503, "token limit for level 3");
        }
    }
    assert_eq!(taken, 20, "level 3 takes at most 20 of the 25 slots");
    let r = ok(&stack, c.post(TOKENS, (), &admin).await);
    expect_status(&r, 204, "admin still gets a token");
}
