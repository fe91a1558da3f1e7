//! AAA end to end: `/api/aaa/authentication` and `/api/aaa/authorization` (GET, PUT 204 with
//! `Location`, the lines they become, refusals that change nothing), and command
//! authorization enforced by LINA: with `aaa authorization command LOCAL` a level-5 user's
//! `/api/cli` command above its level is refused with the ASA's error, and allowed once a
//! `privilege` line lowers the command to its level.

use serde_json::json;
use tests::Auth;

use crate::support::*;

const AUTHN: &str = "/api/aaa/authentication";
const AUTHZ: &str = "/api/aaa/authorization";
const REFUSED: &str = "ERROR: Command authorization failed";

#[tokio::test]
async fn authentication_put_becomes_console_lines_and_reads_back() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let r = ok(&stack, c.get(AUTHN, &admin).await);
    expect_status(&r, 200, "GET authentication");
    let before = json(&r);
    for m in ["enable", "http", "ssh", "serial", "telnet"] {
        assert!(before[m]["enabled"].is_boolean(), "{m}: {before}");
    }

    // The body the wire-format page gives for this resource.
    let body = json!({"enable":{"serverGroup":"LOCAL","enabled":true},"http":{"serverGroup":"LOCAL","enabled":true},"ssh":{"serverGroup":"LOCAL","enabled":true},"serial":{"enabled":false},"telnet":{"enabled":false}});
    let r = ok(&stack, c.put(AUTHN, body.clone(), &admin).await);
    expect_status(&r, 204, "PUT authentication");
    assert!(
        r.header("location").is_some_and(|l| l.ends_with(AUTHN)),
        "Location on PUT"
    );
    let run = running_config(&mut c, &admin).await;
    for line in [
        "aaa authentication enable console LOCAL",
        "aaa authentication http console LOCAL",
        "aaa authentication ssh console LOCAL",
    ] {
        assert_eq!(run.matches(line).count(), 1, "{line} once in:\n{run}");
    }
    assert!(!run.contains("aaa authentication serial console"), "{run}");
    let got = json(&ok(&stack, c.get(AUTHN, &admin).await));
    for (k, v) in body.as_object().into_iter().flatten() {
        assert_eq!(&got[k], v, "{k}: {got}");
    }

    // Turning ssh off removes its line; the others stay.
    let r = ok(
        &stack,
        c.put(
            AUTHN,
            json!({"ssh": {"serverGroup": "LOCAL", "enabled": false}}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT ssh off");
    let run = running_config(&mut c, &admin).await;
    assert!(!run.contains("aaa authentication ssh console"), "{run}");
    assert!(
        run.contains("aaa authentication http console LOCAL"),
        "{run}"
    );
    let got = json(&ok(&stack, c.get(AUTHN, &admin).await));
    assert_eq!(got["ssh"], json!({"serverGroup": "", "enabled": false}));

    // A group that cannot be a name: 400, nothing changed.
    let r = ok(
        &stack,
        c.put(
            AUTHN,
            json!({"http": {"serverGroup": "a b", "enabled": true}}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "PUT with a bad group");
    let after = running_config(&mut c, &admin).await;
    assert_eq!(after, run);

    // Only GET and PUT.
    let r = ok(&stack, c.delete(AUTHN, &admin).await);
    expect_error(&r, 405, "DELETE authentication");
}

#[tokio::test]
async fn authorization_put_becomes_lines_and_reads_back() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let got = json(&ok(&stack, c.get(AUTHZ, &admin).await));
    assert_eq!(got["enableCommandAccess"], false, "{got}");
    assert_eq!(got["enableShellAccess"], "false", "{got}");

    let body = json!({"enableCommandAccess": true, "commandAccessServerGroup": "LOCAL",
        "enableShellAccess": "true", "autoenableExecMode": true});
    let r = ok(&stack, c.put(AUTHZ, body.clone(), &admin).await);
    expect_status(&r, 204, "PUT authorization");
    let run = running_config(&mut c, &admin).await;
    assert!(run.contains("aaa authorization command LOCAL\n"), "{run}");
    assert!(
        run.contains("aaa authorization exec LOCAL auto-enable\n"),
        "{run}"
    );
    let got = json(&ok(&stack, c.get(AUTHZ, &admin).await));
    for (k, v) in body.as_object().into_iter().flatten() {
        assert_eq!(&got[k], v, "{k}: {got}");
    }

    // A boolean for the string field is taken too; off removes the lines.
    let r = ok(
        &stack,
        c.put(
            AUTHZ,
            json!({"enableCommandAccess": false, "enableShellAccess": false, "autoenableExecMode": false}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT authorization off");
    let run = running_config(&mut c, &admin).await;
    assert!(!run.contains("aaa authorization"), "{run}");

    let r = ok(
        &stack,
        c.put(AUTHZ, json!({"autoenableExecMode": true}), &admin)
            .await,
    );
    expect_error(&r, 400, "auto-enable without exec authorization");
}

#[tokio::test]
async fn command_authorization_limits_a_level_5_user_through_the_cli() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create_users(&mut c, &admin, &[("ro5", "Passw0rd5", 5)]).await;
    let ro = Auth::basic("ro5", "Passw0rd5");

    // Without command authorization a level-5 user runs any show command.
    let out = cli(&mut c, &ro, &["show interface", "show running-config"]).await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");

    let r = ok(
        &stack,
        c.put(
            AUTHZ,
            json!({"enableCommandAccess": true, "commandAccessServerGroup": "LOCAL"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT command authorization");

    // Now show commands default to level 15, except the ASA's level-0 ones.
    let out = cli(
        &mut c,
        &ro,
        &["show running-config", "show interface", "show version"],
    )
    .await;
    assert_eq!(out[0].trim_end(), REFUSED, "{out:?}");
    assert_eq!(out[1].trim_end(), REFUSED, "{out:?}");
    assert!(out[2].contains("Software Version"), "{out:?}");

    // `privilege show level 5 command running-config` lowers that one command.
    let out = cli(
        &mut c,
        &admin,
        &["privilege show level 5 mode enable command running-config"],
    )
    .await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");
    let out = cli(&mut c, &ro, &["show running-config", "sh int"]).await;
    assert!(
        out[0].contains("privilege show level 5 mode enable command running-config"),
        "{out:?}"
    );
    assert_eq!(out[1].trim_end(), REFUSED, "{out:?}");

    // The level-15 administrator is not limited; bad privilege lines are refused.
    let out = cli(
        &mut c,
        &admin,
        &[
            "show interface",
            "privilege show level 16 command interface",
            "privilege show level 5 mode exec command interface",
        ],
    )
    .await;
    assert!(!out[0].contains("ERROR"), "{out:?}");
    assert!(out[1].contains("Invalid input"), "{out:?}");
    assert!(out[2].contains("Invalid input"), "{out:?}");

    // Removing command authorization restores the old rule.
    cli(&mut c, &admin, &["no aaa authorization command LOCAL"]).await;
    let out = cli(&mut c, &ro, &["show interface"]).await;
    assert!(!out[0].contains("ERROR"), "{out:?}");
}

const PRIVS: &str = "/api/aaa/commandprivileges";

/// `/api/aaa/commandprivileges` (our shape; Cisco documents the resource, not its fields)
/// writes `privilege` lines that LINA enforces under command authorization.
#[tokio::test]
async fn command_privileges_resource_drives_enforcement() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create_users(&mut c, &admin, &[("ro5", "Passw0rd5", 5)]).await;
    let ro = Auth::basic("ro5", "Passw0rd5");
    cli(&mut c, &admin, &["aaa authorization command LOCAL"]).await;
    let out = cli(&mut c, &ro, &["show running-config"]).await;
    assert_eq!(out[0].trim_end(), REFUSED, "{out:?}");

    let body =
        json!({"commandType": "show", "mode": "enable", "command": "running-config", "level": 5});
    let r = ok(&stack, c.post(PRIVS, &body, &admin).await);
    expect_status(&r, 201, "POST command privilege");
    assert_eq!(r.location_id(), Some("show.enable.running-config"));
    let item = format!("{PRIVS}/show.enable.running-config");
    let got = json(&ok(&stack, c.get(&item, &admin).await));
    assert_eq!(got["kind"], "object#CommandPrivilege");
    assert_eq!(got["level"], 5);
    let out = cli(&mut c, &ro, &["show running-config"]).await;
    assert!(!out[0].contains("ERROR"), "{out:?}");
    assert!(
        out[0].contains("privilege show level 5 mode enable command running-config\n"),
        "{out:?}"
    );

    // Raising the level takes the command away again; the line is replaced, not added.
    let r = ok(
        &stack,
        c.put(&item, json!({"commandType": "show", "mode": "enable", "command": "running-config", "level": 15}), &admin)
            .await,
    );
    expect_status(&r, 204, "PUT level 15");
    let out = cli(&mut c, &ro, &["show running-config"]).await;
    assert_eq!(out[0].trim_end(), REFUSED, "{out:?}");
    let run = running_config(&mut c, &admin).await;
    assert_eq!(run.matches("privilege show level").count(), 1, "{run}");

    // A level-5 user may not write them; bad bodies are refused; DELETE removes the line.
    let r = ok(&stack, c.post(PRIVS, &body, &ro).await);
    expect_error(&r, 403, "POST at level 5");
    let r = ok(
        &stack,
        c.post(
            PRIVS,
            json!({"commandType": "show", "command": "version", "level": 16}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "level 16");
    let r = ok(&stack, c.delete(&item, &admin).await);
    expect_status(&r, 204, "DELETE command privilege");
    let run = running_config(&mut c, &admin).await;
    assert!(!run.contains("privilege show"), "{run}");
    let r = ok(&stack, c.get(&item, &admin).await);
    expect_not_found(&r, "deleted privilege");
}
