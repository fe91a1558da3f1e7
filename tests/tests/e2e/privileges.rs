//! Privilege levels: monitoring from 3, reads from 5, writes at 15; 403 for a valid user below
//! the level, 401 for bad or missing credentials.

use tests::Auth;

use crate::support::*;

#[tokio::test]
async fn privilege_matrix_for_levels_3_5_and_15() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create_users(
        &mut c,
        &admin,
        &[
            ("mon3", "Passw0rd3", 3),
            ("ro5", "Passw0rd5", 5),
            ("rw15", "Passw0rd15", 15),
        ],
    )
    .await;
    let level3 = Auth::basic("mon3", "Passw0rd3");
    let level5 = Auth::basic("ro5", "Passw0rd5");
    let level15 = Auth::basic("rw15", "Passw0rd15");

    // GET networkobjects: 403 / 200 / 200.
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &level3).await);
    expect_error(&r, 403, "GET networkobjects at level 3");
    for (auth, who) in [(&level5, "level 5"), (&level15, "level 15")] {
        let r = ok(&stack, c.get(NETWORK_OBJECTS, auth).await);
        expect_status(&r, 200, &format!("GET networkobjects at {who}"));
    }

    // POST networkobjects: 403 / 403 / 201.
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("by3", "IPv4Address", "10.30.0.3", None),
            &level3,
        )
        .await,
    );
    expect_error(&r, 403, "POST at level 3");
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("by5", "IPv4Address", "10.30.0.5", None),
            &level5,
        )
        .await,
    );
    expect_error(&r, 403, "POST at level 5");
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("by15", "IPv4Address", "10.30.0.15", None),
            &level15,
        )
        .await,
    );
    expect_status(&r, 201, "POST at level 15");

    // The refused writes changed nothing.
    for name in ["by3", "by5"] {
        let r = ok(
            &stack,
            c.get(&format!("{NETWORK_OBJECTS}/{name}"), &admin).await,
        );
        expect_not_found(&r, &format!("{name} after a refused POST"));
    }

    // Writes through the CLI endpoint are level 15 too.
    let r = ok(
        &stack,
        c.post(
            "/api/cli",
            serde_json::json!({"commands": ["object network by5cli", " host 10.30.1.5"]}),
            &level5,
        )
        .await,
    );
    expect_error(&r, 403, "configuration via /api/cli at level 5");

    // Bad password and no credentials: 401, for reads and writes.
    let bad = Auth::basic("ro5", "not-the-password");
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &bad).await);
    expect_error(&r, 401, "GET with a bad password");
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &Auth::None).await);
    expect_error(&r, 401, "GET without credentials");
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("anon", "IPv4Address", "10.30.0.9", None),
            &Auth::None,
        )
        .await,
    );
    expect_error(&r, 401, "POST without credentials");
    let r = ok(
        &stack,
        c.get(NETWORK_OBJECTS, &Auth::token("no-such-token")).await,
    );
    expect_error(&r, 401, "GET with an unknown token");
}

#[tokio::test]
async fn token_of_a_low_privilege_user_carries_its_level() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create_users(&mut c, &admin, &[("ro5", "Passw0rd5", 5)]).await;

    let r = ok(
        &stack,
        c.post("/api/tokenservices", (), &Auth::basic("ro5", "Passw0rd5"))
            .await,
    );
    expect_status(&r, 204, "token for a level-5 user");
    let token = Auth::token(r.header("x-auth-token").unwrap_or_default());
    let r = ok(&stack, c.get(NETWORK_OBJECTS, &token).await);
    expect_status(&r, 200, "GET with the level-5 token");
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("tok5", "IPv4Address", "10.31.0.5", None),
            &token,
        )
        .await,
    );
    expect_error(&r, 403, "POST with the level-5 token");
}

#[tokio::test]
async fn monitoring_is_open_from_level_3() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create_users(
        &mut c,
        &admin,
        &[
            ("mon2", "Passw0rd2", 2),
            ("mon3", "Passw0rd3", 3),
            ("ro5", "Passw0rd5", 5),
        ],
    )
    .await;

    let r = ok(
        &stack,
        c.get(
            "/api/monitoring/serialnumber",
            &Auth::basic("mon2", "Passw0rd2"),
        )
        .await,
    );
    expect_error(&r, 403, "GET monitoring/serialnumber at level 2");
    for (user, pw) in [("mon3", "Passw0rd3"), ("ro5", "Passw0rd5")] {
        let r = ok(
            &stack,
            c.get("/api/monitoring/serialnumber", &Auth::basic(user, pw))
                .await,
        );
        expect_status(&r, 200, &format!("GET monitoring/serialnumber as {user}"));
        let body = json(&r);
        assert_eq!(
            body["kind"], "object#QuerySerialNumber",
            "napalm-asa checks this kind: {body}"
        );
        assert!(
            !body["serialNumber"].as_str().unwrap_or_default().is_empty(),
            "a serial number: {body}"
        );
    }
    let r = ok(
        &stack,
        c.get("/api/monitoring/serialnumber", &Auth::None).await,
    );
    expect_error(&r, 401, "GET monitoring/serialnumber without credentials");
}
