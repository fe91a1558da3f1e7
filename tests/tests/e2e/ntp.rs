//! NTP servers with authentication keys end to end, with the bodies go-ciscoasa sends for
//! terraform-provider-ciscoasa: the key is applied (`ntp authentication-key`, `ntp
//! trusted-key`), GET answers its number as a string and its value as terraform reads it
//! back, `show running-config` masks the secret, and a PUT naming a new address moves the
//! server (the new address is the objectId).

use serde_json::json;

use crate::support::*;

const NTP: &str = "/api/devicesetup/ntp/servers";

#[tokio::test]
async fn terraform_ntp_server_with_a_key_round_trips() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let out = cli(
        &mut c,
        &admin,
        &[
            "interface GigabitEthernet0/1",
            "nameif inside",
            "ip address 192.168.10.6 255.255.255.0",
            "exit",
        ],
    )
    .await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");

    // go-ciscoasa's CreateNtpServer body (isTrusted false is omitted).
    let body = json!({"ipAddress": "2.2.2.2", "isPreferred": true,
        "interface": {"kind": "objectRef#Interface", "name": "inside"},
        "key": {"number": "3", "value": "test3"}, "kind": "object#NTPServer"});
    let r = ok(&stack, c.post(NTP, &body, &admin).await);
    expect_status(&r, 201, "POST terraform's NTP server");
    let got = json(&ok(&stack, c.get(&format!("{NTP}/2.2.2.2"), &admin).await));
    assert_eq!(got["ipAddress"], "2.2.2.2");
    assert_eq!(got["isPreferred"], true);
    assert_eq!(
        got["key"],
        json!({"number": "3", "value": "test3", "isTrusted": false})
    );
    assert_eq!(got["interface"]["name"], "inside");
    let run = running_config(&mut c, &admin).await;
    assert!(
        run.contains("ntp authentication-key 3 md5 *****\n"),
        "masked in show running-config:\n{run}"
    );
    assert!(
        run.contains("ntp server 2.2.2.2 key 3 source inside prefer\n"),
        "{run}"
    );
    let clear = cli(&mut c, &admin, &["more system:running-config"])
        .await
        .concat();
    assert!(
        clear.contains("ntp authentication-key 3 md5 test3\n"),
        "{clear}"
    );

    // terraform's update: PUT on the old address with a new one, key 4, now trusted.
    let update = json!({"ipAddress": "3.3.3.3", "isPreferred": false,
        "interface": {"kind": "objectRef#Interface", "name": "inside"},
        "key": {"number": "4", "value": "test4", "isTrusted": true}, "kind": "object#NTPServer"});
    let r = ok(
        &stack,
        c.put(&format!("{NTP}/2.2.2.2"), &update, &admin).await,
    );
    expect_status(&r, 204, "PUT terraform's update");
    assert_eq!(r.location_id(), Some("3.3.3.3"));
    let r = ok(&stack, c.get(&format!("{NTP}/2.2.2.2"), &admin).await);
    expect_not_found(&r, "the old address");
    let got = json(&ok(&stack, c.get(&format!("{NTP}/3.3.3.3"), &admin).await));
    assert_eq!(
        got["key"],
        json!({"number": "4", "value": "test4", "isTrusted": true})
    );
    assert_eq!(got["isPreferred"], false);
    let run = running_config(&mut c, &admin).await;
    assert!(run.contains("ntp trusted-key 4\n"), "{run}");
    assert!(
        run.contains("ntp server 3.3.3.3 key 4 source inside\n"),
        "{run}"
    );
    assert!(!run.contains("ntp server 2.2.2.2"), "{run}");

    // Re-keying in place replaces the key line; untrusting removes trusted-key.
    let r = ok(
        &stack,
        c.patch(
            &format!("{NTP}/3.3.3.3"),
            json!({"key": {"number": "4", "value": "other4", "isTrusted": false}}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH key");
    let clear = cli(&mut c, &admin, &["more system:running-config"])
        .await
        .concat();
    assert_eq!(
        clear.matches("ntp authentication-key 4 ").count(),
        1,
        "{clear}"
    );
    assert!(
        clear.contains("ntp authentication-key 4 md5 other4\n"),
        "{clear}"
    );
    assert!(!clear.contains("ntp trusted-key 4"), "{clear}");

    // go-ciscoasa's body without a key, and bad keys.
    let r = ok(
        &stack,
        c.post(
            NTP,
            json!({"ipAddress": "192.0.2.9", "kind": "object#NTPServer", "key": {"number": "", "value": ""}}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST without a key");
    let got = json(&ok(
        &stack,
        c.get(&format!("{NTP}/192.0.2.9"), &admin).await,
    ));
    assert!(got.get("key").is_none(), "{got}");
    let before = running_config(&mut c, &admin).await;
    for bad in [
        json!({"ipAddress": "192.0.2.10", "key": {"number": "5", "value": "has blank"}}),
        json!({"ipAddress": "192.0.2.10", "key": {"number": "x", "value": "k"}}),
        json!({"ipAddress": "192.0.2.10", "key": {"number": "", "value": "k"}}),
    ] {
        let r = ok(&stack, c.post(NTP, &bad, &admin).await);
        expect_error(&r, 400, &format!("POST {bad}"));
    }
    assert_eq!(running_config(&mut c, &admin).await, before);
    let out = cli(
        &mut c,
        &admin,
        &[
            "ntp authentication-key 0 md5 k",
            "ntp authentication-key 7 rot13 k",
        ],
    )
    .await;
    assert!(out.iter().all(|o| o.contains("Invalid input")), "{out:?}");
}
