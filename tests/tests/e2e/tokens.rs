//! Token service: create (204 + X-Auth-Token), use the token alone, delete, refusal after
//! delete, the 25-session limit, and the syslogs that mark each step.

use tests::Auth;

use crate::support::*;

const TOKENS: &str = "/api/tokenservices";

#[tokio::test]
async fn token_lifecycle_create_use_delete_and_refuse() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let created = ok(&stack, c.post(TOKENS, (), &admin).await);
    expect_status(&created, 204, "POST /api/tokenservices");
    assert!(
        created.body.is_empty(),
        "204 has no body: {:?}",
        created.text()
    );
    let token = created
        .header("x-auth-token")
        .unwrap_or_default()
        .to_owned();
    assert!(
        !token.is_empty(),
        "204 carries X-Auth-Token: {:?}",
        created.headers
    );

    let by_token = Auth::token(&token);
    let listed = ok(&stack, c.get(NETWORK_OBJECTS, &by_token).await);
    expect_status(&listed, 200, "GET with the token alone");
    assert_eq!(json(&listed)["kind"], "collection#NetworkObj");

    let logging = show_logging(&mut c, &by_token).await;
    assert!(
        logging.contains("605005"),
        "token creation logs 605005:\n{logging}"
    );

    let pw = stack.options().admin_password.clone();
    let deleting = Auth::BasicAndToken {
        user: "admin".into(),
        password: pw,
        token: token.clone(),
    };
    let deleted = ok(
        &stack,
        c.delete(&format!("{TOKENS}/{token}"), &deleting).await,
    );
    expect_status(&deleted, 204, "DELETE /api/tokenservices/<token>");

    let refused = ok(&stack, c.get(NETWORK_OBJECTS, &by_token).await);
    expect_error(&refused, 401, "GET with a deleted token");

    let again = ok(
        &stack,
        c.delete(&format!("{TOKENS}/{token}"), &deleting).await,
    );
    expect_error(&again, 401, "DELETE of an already deleted token");

    let logging = show_logging(&mut c, &admin).await;
    assert!(
        logging.contains("611103"),
        "token deletion logs 611103:\n{logging}"
    );
}

#[tokio::test]
async fn token_creation_refuses_bad_or_missing_credentials() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let wrong = ok(
        &stack,
        c.post(TOKENS, (), &Auth::basic("admin", "wrong-password"))
            .await,
    );
    expect_error(&wrong, 401, "POST tokenservices with a wrong password");
    assert!(wrong.header("x-auth-token").is_none(), "no token on 401");

    let unknown = ok(
        &stack,
        c.post(TOKENS, (), &Auth::basic("nobody", "whatever")).await,
    );
    expect_error(&unknown, 401, "POST tokenservices for an unknown user");

    let none = ok(&stack, c.post(TOKENS, (), &Auth::None).await);
    expect_error(&none, 401, "POST tokenservices without credentials");

    let garbled = ok(
        &stack,
        c.post(
            TOKENS,
            (),
            &Auth::RawAuthorization("Basic !!!not-base64!!!".into()),
        )
        .await,
    );
    expect_error(
        &garbled,
        400,
        "POST tokenservices with undecodable credentials",
    );

    let logging = show_logging(&mut c, &admin).await;
    assert!(
        logging.contains("605004"),
        "a refused token login logs 605004:\n{logging}"
    );
}

#[tokio::test]
async fn twenty_sixth_token_is_refused_with_503() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let mut tokens = Vec::new();
    for i in 1..=25 {
        let r = ok(&stack, c.post(TOKENS, (), &admin).await);
        expect_status(&r, 204, &format!("token {i} of 25"));
        tokens.push(r.header("x-auth-token").unwrap_or_default().to_owned());
    }
    let distinct: std::collections::HashSet<_> = tokens.iter().collect();
    assert_eq!(distinct.len(), 25, "tokens are distinct");

    let refused = ok(&stack, c.post(TOKENS, (), &admin).await);
    expect_error(&refused, 503, "the 26th token");
    assert!(refused.header("x-auth-token").is_none());

    // The 25 sessions still work, and freeing one makes room for one more.
    let r = ok(
        &stack,
        c.get(NETWORK_OBJECTS, &Auth::token(&tokens[24])).await,
    );
    expect_status(&r, 200, "GET with the 25th token");
    let pw = stack.options().admin_password.clone();
    let first = &tokens[0];
    let auth = Auth::BasicAndToken {
        user: "admin".into(),
        password: pw,
        token: first.clone(),
    };
    let deleted = ok(&stack, c.delete(&format!("{TOKENS}/{first}"), &auth).await);
    expect_status(&deleted, 204, "DELETE of one token");
    let r = ok(&stack, c.post(TOKENS, (), &admin).await);
    expect_status(&r, 204, "a token after one was freed");
}
