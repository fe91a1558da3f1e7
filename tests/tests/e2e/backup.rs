//! Backup and restore end to end: `POST /api/backup` writes disk0:, a change follows, and
//! `POST /api/restore` brings the configuration back (also encrypted, with the right
//! passphrase only); a wrong passphrase, a missing file and unsafe locations change nothing.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn backup_then_change_then_restore_brings_the_configuration_back() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("before-backup", "IPv4Address", "10.70.0.1", None),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "setup");
    let saved = running_config(&mut c, &admin).await;

    let r = ok(
        &stack,
        c.post("/api/backup", json!({"location": "disk0:/e2e.bak"}), &admin)
            .await,
    );
    expect_status(&r, 200, "backup");
    let out = json(&r)["response"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(out.contains("Backup finished!"), "{out}");
    let file = stack.state_dir().join("disk0").join("e2e.bak");
    for _ in 0..50 {
        if file.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(file.exists(), "{} written", file.display());

    // Change: delete the object, add another (through the API, so the snapshot is patched).
    let r = ok(
        &stack,
        c.delete(&format!("{NETWORK_OBJECTS}/before-backup"), &admin)
            .await,
    );
    expect_status(&r, 204, "delete after backup");
    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("after-backup", "IPv4Address", "10.70.0.2", None),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "post after backup");
    assert_ne!(running_config(&mut c, &admin).await, saved);

    let r = ok(
        &stack,
        c.post(
            "/api/restore",
            json!({"location": "disk0:/e2e.bak"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 200, "restore");
    assert_eq!(running_config(&mut c, &admin).await, saved);
    // The agent's view follows: the objects read back as they were.
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/before-backup"), &admin)
            .await,
    );
    expect_status(&r, 200, "object back after restore");
    let r = ok(
        &stack,
        c.get(&format!("{NETWORK_OBJECTS}/after-backup"), &admin)
            .await,
    );
    expect_not_found(&r, "object gone after restore");
}

#[tokio::test]
async fn an_encrypted_backup_restores_only_with_its_passphrase() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let saved = running_config(&mut c, &admin).await;
    let r = ok(
        &stack,
        c.post(
            "/api/backup",
            json!({"location": "disk0:/secret.bak", "passphrase": "Pass-phrase-1"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 200, "encrypted backup");
    cli(
        &mut c,
        &admin,
        &["object network changed", " host 10.71.0.1"],
    )
    .await;
    let changed = running_config(&mut c, &admin).await;
    assert_ne!(changed, saved);

    for (body, expect) in [
        (
            json!({"location": "disk0:/secret.bak", "passphrase": "wrong-one"}),
            "passphrase is incorrect",
        ),
        (
            json!({"location": "disk0:/secret.bak"}),
            "passphrase is required",
        ),
        (json!({"location": "disk0:/missing.bak"}), "No such file"),
    ] {
        let r = ok(&stack, c.post("/api/restore", &body, &admin).await);
        let (code, details) = expect_error(&r, 400, &format!("restore {body}"));
        assert_eq!(code, "CLI-ERROR", "{body}");
        assert!(details.contains(expect), "{body}: {details}");
        assert!(!details.contains("Pass-phrase-1"));
        assert_eq!(
            running_config(&mut c, &admin).await,
            changed,
            "{body} changed nothing"
        );
    }

    let r = ok(
        &stack,
        c.post(
            "/api/restore",
            json!({"location": "disk0:/secret.bak", "passphrase": "Pass-phrase-1"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 200, "restore with the passphrase");
    assert_eq!(running_config(&mut c, &admin).await, saved);
    let log = show_logging(&mut c, &admin).await;
    assert!(
        !log.contains("Pass-phrase-1"),
        "the passphrase never reaches syslog"
    );
}

#[tokio::test]
async fn unsafe_locations_and_values_are_refused_before_anything_runs() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    for (url, body, attribute) in [
        (
            "/api/backup",
            json!({"location": "disk0:/../startup-config"}),
            "location",
        ),
        ("/api/backup", json!({"location": "disk0:/a b"}), "location"),
        (
            "/api/backup",
            json!({"location": "/etc/passwd"}),
            "location",
        ),
        (
            "/api/backup",
            json!({"location": "disk0:/x", "passphrase": "a b"}),
            "passphrase",
        ),
        (
            "/api/backup",
            json!({"location": "disk0:/x\nwrite erase"}),
            "location",
        ),
        ("/api/restore", json!({}), "location"),
        (
            "/api/restore",
            json!({"location": "disk0:/x", "context": "c1"}),
            "context",
        ),
    ] {
        let r = ok(&stack, c.post(url, &body, &admin).await);
        let (_, _) = expect_error(&r, 400, &format!("{url} {body}"));
        assert_eq!(
            r.error_message().ok().and_then(|m| m.context).as_deref(),
            Some(attribute),
            "{url} {body}: {}",
            r.text()
        );
    }
    let disk0 = stack.state_dir().join("disk0");
    assert!(!disk0.join("x").exists());
    assert!(!stack.state_dir().join("startup-config.bak").exists());
}
