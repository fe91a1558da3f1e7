//! Site-to-site VPN end to end (issue 15): the IKEv1 policy flow of the public Ansible
//! module (404, create, compare every key, update, delete), then a whole LAN-to-LAN tunnel
//! (IKEv2 policy, transform set, proposal, crypto map with IPv4 and IPv6 peers and PFS,
//! interface binding, group policy, tunnel group with pre-shared keys that are never
//! answered and `*****` in `show running-config`), the in-use refusals, and the SA displays
//! of a device with no tunnel up.

use serde_json::{Value, json};
use tests::{Auth, Client, Stack};

use crate::support::*;

const IKEV1: &str = "/api/vpn/ikev1policy";
const IKEV2: &str = "/api/vpn/ikev2policy";
const TRANSFORM_SETS: &str = "/api/vpn/ikev1transformsets";
const PROPOSALS: &str = "/api/vpn/ikev2proposals";
const CRYPTO_MAPS: &str = "/api/vpn/cryptomaps";
const MAP_INTERFACES: &str = "/api/vpn/cryptomapinterfaces";
const GROUP_POLICIES: &str = "/api/vpn/grouppolicies";
const TUNNEL_GROUPS: &str = "/api/vpn/tunnelgroups";

async fn post(stack: &Stack, c: &mut Client, admin: &Auth, url: &str, body: Value, id: &str) {
    let r = ok(stack, c.post(url, &body, admin).await);
    expect_status(&r, 201, &format!("POST {url} {body}"));
    assert_eq!(r.location_id(), Some(id), "Location of {url}");
}

#[tokio::test]
async fn ikev1_policy_as_the_ansible_module_drives_it() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let url = format!("{IKEV1}/100");
    let r = ok(&stack, c.get(&url, &admin).await);
    expect_not_found(&r, "GET before create");

    // The module's desired object, as it posts it.
    let desired = json!({"priority": 100, "objectId": "100", "lifetimeInSecs": 28800,
        "authentication": "pre-share", "encryption": "aes-256", "hash": "sha", "dhgroup": 5,
        "kind": "object#ikev1policy", "selfLink": format!("https://asa{url}")});
    post(&stack, &mut c, &admin, IKEV1, desired.clone(), "100").await;
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    // match_objects: every answered key must be a desired key with the same value.
    for (key, value) in got.as_object().into_iter().flatten() {
        assert!(desired.get(key).is_some(), "unknown key {key} in {got}");
        if key != "selfLink" {
            assert_eq!(Some(value), desired.get(key), "{key}");
        }
    }
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("crypto ikev1 policy 100\n authentication pre-share\n encryption aes-256\n hash sha\n group 5\n lifetime 28800\n"),
        "{running}"
    );

    let mut update = desired.clone();
    update["encryption"] = json!("aes-128");
    update["dhgroup"] = json!(2);
    let r = ok(&stack, c.patch(&url, &update, &admin).await);
    expect_status(&r, 204, "PATCH ikev1 policy");
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(
        (&got["encryption"], &got["dhgroup"]),
        (&json!("aes-128"), &json!(2))
    );
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains(" encryption aes\n hash sha\n group 2\n"),
        "{running}"
    );

    let list = get_ok(&stack, &mut c, &admin, IKEV1).await;
    assert_eq!(list["items"][0]["priority"], 100);

    for body in [
        json!({"priority": 70000}),
        json!({"priority": 5, "encryption": "blowfish"}),
        json!({"priority": 5, "lifetimeInSecs": 10}),
        json!({"priority": 100}),
    ] {
        let r = ok(&stack, c.post(IKEV1, &body, &admin).await);
        expect_error(&r, 400, &format!("POST {body}"));
    }

    let r = ok(&stack, c.delete(&url, &admin).await);
    expect_status(&r, 204, "DELETE ikev1 policy");
    let r = ok(&stack, c.get(&url, &admin).await);
    expect_not_found(&r, "GET after DELETE");
}

#[tokio::test]
async fn lan_to_lan_tunnel_end_to_end() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    cli(
        &mut c,
        &admin,
        &["access-list vpn-acl extended permit ip 10.1.0.0 255.255.0.0 10.2.0.0 255.255.0.0"],
    )
    .await;

    post(
        &stack,
        &mut c,
        &admin,
        IKEV2,
        json!({"kind": "object#IKEv2Policy", "priority": 1, "encryption": ["aes-256", "aes-gcm-256"],
               "integrity": ["sha256"], "dhgroups": [14, 19], "prf": ["sha256"], "lifetimeInSecs": 28800}),
        "1",
    )
    .await;
    post(
        &stack,
        &mut c,
        &admin,
        TRANSFORM_SETS,
        json!({"name": "ts-aes", "espEncryption": "esp-aes-256", "espAuthentication": "esp-sha-hmac"}),
        "ts-aes",
    )
    .await;
    post(
        &stack,
        &mut c,
        &admin,
        PROPOSALS,
        json!({"name": "prop-aes", "encryption": ["aes-256", "aes"], "integrity": ["sha-256"]}),
        "prop-aes",
    )
    .await;
    post(
        &stack,
        &mut c,
        &admin,
        CRYPTO_MAPS,
        json!({"kind": "object#CryptoMapEntry", "mapName": "site-map", "sequence": 10,
               "matchingTrafficSelector": {"kind": "objectRef#ExtendedACL", "objectId": "vpn-acl"},
               "peer": ["203.0.113.5", "2001:db8:5::1"], "pfs": "group14",
               "ikev1TransformSets": ["ts-aes"], "ikev2Proposals": ["prop-aes"],
               "saLifetimeSeconds": 3600}),
        "site-map~10",
    )
    .await;
    post(
        &stack,
        &mut c,
        &admin,
        MAP_INTERFACES,
        json!({"interface": "management", "mapName": "site-map"}),
        "management",
    )
    .await;
    post(
        &stack,
        &mut c,
        &admin,
        GROUP_POLICIES,
        json!({"kind": "object#GroupPolicy", "name": "site-gp", "type": "internal",
               "attributes": {"tunnelingProtocols": ["ikev1", "ikev2"], "filter": "vpn-acl",
                              "idleTimeout": "30", "maxConnectTime": 600}}),
        "site-gp",
    )
    .await;
    post(
        &stack,
        &mut c,
        &admin,
        TUNNEL_GROUPS,
        json!({"name": "203.0.113.5", "type": "ipsec-l2l", "defaultGroupPolicy": "site-gp",
               "ikev1PreSharedKey": "Ike1-Secret", "ikev2RemotePreSharedKey": "Ike2-Remote",
               "ikev2LocalPreSharedKey": "Ike2-Local"}),
        "203.0.113.5",
    )
    .await;

    let running = running_config(&mut c, &admin).await;
    for line in [
        "crypto ikev2 policy 1\n encryption aes-256 aes-gcm-256\n integrity sha256\n group 14 19\n prf sha256\n lifetime seconds 28800\n",
        "crypto ipsec ikev1 transform-set ts-aes esp-aes-256 esp-sha-hmac\n",
        "crypto ipsec ikev2 ipsec-proposal prop-aes\n protocol esp encryption aes-256 aes\n protocol esp integrity sha-256\n",
        "crypto map site-map 10 match address vpn-acl\n",
        "crypto map site-map 10 set peer 203.0.113.5 2001:db8:5::1\n",
        "crypto map site-map 10 set pfs group14\n",
        "crypto map site-map interface management\n",
        "group-policy site-gp internal\ngroup-policy site-gp attributes\n vpn-tunnel-protocol ikev1 ikev2\n",
        "tunnel-group 203.0.113.5 type ipsec-l2l\n",
        " ikev1 pre-shared-key *****\n",
        " ikev2 remote-authentication pre-shared-key *****\n",
    ] {
        assert!(running.contains(line), "{line} in {running}");
    }
    for secret in ["Ike1-Secret", "Ike2-Remote", "Ike2-Local"] {
        assert!(!running.contains(secret), "{secret} shown");
    }

    let tg = get_ok(
        &stack,
        &mut c,
        &admin,
        &format!("{TUNNEL_GROUPS}/203.0.113.5"),
    )
    .await;
    let text = tg.to_string();
    assert!(
        !text.contains("Secret") && !text.contains("Ike2-"),
        "{text}"
    );
    assert_eq!(tg["hasIkev1PreSharedKey"], true);
    assert_eq!(tg["defaultGroupPolicy"], "site-gp");
    let entry = get_ok(
        &stack,
        &mut c,
        &admin,
        &format!("{CRYPTO_MAPS}/site-map~10"),
    )
    .await;
    assert_eq!(entry["peer"], json!(["203.0.113.5", "2001:db8:5::1"]));
    assert_eq!(entry["matchingTrafficSelector"]["objectId"], "vpn-acl");
    assert_eq!(entry["sequence"], 10);
    // The public client's view: the entries of the map applied to an interface.
    let by_if = get_ok(
        &stack,
        &mut c,
        &admin,
        &format!("{CRYPTO_MAPS}/management/entries"),
    )
    .await;
    assert_eq!(by_if["items"][0]["sequence"], 10);
    assert_eq!(
        by_if["items"][0]["matchingTrafficSelector"]["objectId"],
        "vpn-acl"
    );
    let r = ok(
        &stack,
        c.get(&format!("{CRYPTO_MAPS}/inside/entries"), &admin)
            .await,
    );
    expect_not_found(&r, "entries of an interface without a map");
    let gp = get_ok(&stack, &mut c, &admin, &format!("{GROUP_POLICIES}/site-gp")).await;
    assert_eq!(gp["attributes"]["idleTimeout"], "30");
    assert_eq!(gp["attributes"]["maxConnectTime"], 600);

    // Below privilege 15: the group reads without its keys, a key cannot be written, and
    // the clear configuration is refused.
    create_users(&mut c, &admin, &[("ro5", "Passw0rd5", 5)]).await;
    let level5 = Auth::basic("ro5", "Passw0rd5");
    let tg5 = get_ok(
        &stack,
        &mut c,
        &level5,
        &format!("{TUNNEL_GROUPS}/203.0.113.5"),
    )
    .await;
    assert!(!tg5.to_string().contains("Ike1-"), "{tg5}");
    let r = ok(
        &stack,
        c.patch(
            &format!("{TUNNEL_GROUPS}/203.0.113.5"),
            json!({"ikev1PreSharedKey": "By-Level-5"}),
            &level5,
        )
        .await,
    );
    expect_error(&r, 403, "key written at level 5");
    let r = ok(
        &stack,
        c.post(
            "/api/cli",
            json!({"commands": ["more system:running-config"]}),
            &level5,
        )
        .await,
    );
    let text = r.text();
    assert!(!text.contains("Ike1-Secret"), "{text}");
    let shown5 = cli(&mut c, &level5, &["show running-config tunnel-group"])
        .await
        .concat();
    assert!(!shown5.contains("Ike1-Secret"), "{shown5}");

    // Updates: a PATCH without the key keeps it; a new key is written (and still masked).
    let url = format!("{TUNNEL_GROUPS}/203.0.113.5");
    let r = ok(
        &stack,
        c.patch(&url, json!({"ikev1PreSharedKey": "Ike1-Rotated"}), &admin)
            .await,
    );
    expect_status(&r, 204, "PATCH tunnel group key");
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains("Ike1-Rotated"));
    let shown = cli(&mut c, &admin, &["more system:running-config"])
        .await
        .concat();
    assert!(
        shown.contains(" ikev1 pre-shared-key Ike1-Rotated\n"),
        "{shown}"
    );
    let r = ok(
        &stack,
        c.patch(
            &format!("{CRYPTO_MAPS}/site-map~10"),
            json!({"peer": ["198.51.100.7"], "pfs": null}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH crypto map entry");
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("crypto map site-map 10 set peer 198.51.100.7\n"),
        "{running}"
    );
    assert!(!running.contains("set pfs"), "{running}");
    assert!(!running.contains("203.0.113.5 2001"), "{running}");

    // No tunnel is up.
    let out = cli(
        &mut c,
        &admin,
        &["show crypto isakmp sa", "show crypto ipsec sa"],
    )
    .await;
    assert!(out[0].contains("There are no IKEv1 SAs"), "{out:?}");
    assert!(out[0].contains("There are no IKEv2 SAs"), "{out:?}");
    assert!(out[1].contains("There are no ipsec sas"), "{out:?}");

    // What is used cannot go.
    for url in [
        format!("{TRANSFORM_SETS}/ts-aes"),
        format!("{PROPOSALS}/prop-aes"),
        format!("{GROUP_POLICIES}/site-gp"),
    ] {
        let r = ok(&stack, c.delete(&url, &admin).await);
        let (_, details) = expect_error(&r, 400, &format!("DELETE {url} in use"));
        assert!(details.contains("in use"), "{details}");
    }

    // References that do not exist.
    for (url, body) in [
        (
            CRYPTO_MAPS,
            json!({"mapName": "m2", "sequence": 5, "matchingTrafficSelector": {"objectId": "no-acl"}}),
        ),
        (
            CRYPTO_MAPS,
            json!({"mapName": "m2", "sequence": 5, "matchingTrafficSelector": {"objectId": "vpn-acl"},
                   "ikev1TransformSets": ["missing"]}),
        ),
        (
            TUNNEL_GROUPS,
            json!({"name": "198.51.100.9", "type": "ipsec-l2l", "defaultGroupPolicy": "missing"}),
        ),
        (
            MAP_INTERFACES,
            json!({"interface": "nowhere", "mapName": "site-map"}),
        ),
        (
            TUNNEL_GROUPS,
            json!({"name": "198.51.100.9", "type": "ipsec-l2l", "ikev1PreSharedKey": "two words"}),
        ),
    ] {
        let r = ok(&stack, c.post(url, &body, &admin).await);
        expect_error(&r, 400, &format!("POST {url} {body}"));
    }

    // Tear down, in dependency order.
    for url in [
        format!("{TUNNEL_GROUPS}/203.0.113.5"),
        format!("{GROUP_POLICIES}/site-gp"),
        format!("{MAP_INTERFACES}/management"),
        format!("{CRYPTO_MAPS}/site-map~10"),
        format!("{TRANSFORM_SETS}/ts-aes"),
        format!("{PROPOSALS}/prop-aes"),
        format!("{IKEV2}/1"),
    ] {
        let r = ok(&stack, c.delete(&url, &admin).await);
        expect_status(&r, 204, &format!("DELETE {url}"));
        let r = ok(&stack, c.get(&url, &admin).await);
        expect_not_found(&r, &format!("GET {url} after DELETE"));
    }
    let running = running_config(&mut c, &admin).await;
    for gone in [
        "site-map",
        "ts-aes",
        "prop-aes",
        "site-gp",
        "tunnel-group 203.0.113.5",
    ] {
        assert!(!running.contains(gone), "{gone} in {running}");
    }
}
