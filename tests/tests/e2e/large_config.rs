//! A startup configuration of several streamed pieces (issue 13: boot). LINA loads it in
//! pieces on both cores and prints it in two halves; the agent reads `show running-config` in
//! 1 MiB pieces on two threads, the network objects and their groups on one and the rest on
//! the other, and joins them. Every resource comes back as configured, and a write after the
//! boot lands in the joined snapshot.

use tests::{Auth, Client, Stack};

use super::support::*;

const OBJECTS: usize = 60_000;
const GROUPS: usize = 2_000;
const ACES: usize = 3_000;
const ROUTES: usize = 1_000;

fn address(i: usize) -> String {
    format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255)
}

/// About 3.5 MB: more than three streamed pieces, and more than 50,000 blocks (LINA prints
/// it in two halves).
fn large_config(admin_password: &str) -> String {
    let mut text = String::from(
        "hostname big-fw\n\
         interface GigabitEthernet0/0\n \
         nameif outside\n \
         security-level 0\n \
         ip address 192.0.2.1 255.255.255.0\n\
         !\n",
    );
    for i in 0..OBJECTS {
        text.push_str(&format!(
            "object network obj-{i:05}\n host {}\n description object {i}\n",
            address(i)
        ));
    }
    for g in 0..GROUPS {
        text.push_str(&format!("object-group network grp-{g:04}\n"));
        for k in 0..3 {
            text.push_str(&format!(" network-object object obj-{:05}\n", g * 3 + k));
        }
    }
    for a in 0..ACES {
        text.push_str(&format!(
            "access-list big_in extended permit tcp any object obj-{a:05} eq 443\n"
        ));
    }
    for r in 0..ROUTES {
        text.push_str(&format!(
            "route outside 172.16.{}.{} 255.255.255.255 192.0.2.254 1\n",
            r >> 8,
            r & 255
        ));
    }
    text.push_str(&format!(
        "access-group big_in in interface outside\n\
         aaa authentication http console LOCAL\n\
         http server enable\n\
         http 0.0.0.0 0.0.0.0 outside\n\
         username admin password {admin_password} privilege 15\n\
         rest-api image disk0:/asa-restapi-7161-lfbff-k8.SPA\n\
         rest-api agent\n"
    ));
    text
}

async fn total(stack: &Stack, c: &mut Client, auth: &Auth, path: &str) -> u64 {
    let body = get_ok(stack, c, auth, &format!("{path}?limit=1")).await;
    body["rangeInfo"]["total"]
        .as_u64()
        .unwrap_or_else(|| panic!("rangeInfo.total of {path} in {body}"))
}

#[tokio::test]
async fn a_configuration_of_several_pieces_reads_back_whole() {
    let dir = std::env::temp_dir().join(format!("asa-large-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let file = dir.join("large.cfg");
    let opts = options();
    let text = large_config(&opts.admin_password);
    assert!(text.len() > 3 * 1024 * 1024, "{} bytes", text.len());
    std::fs::write(&file, &text).expect("the configuration written");
    let stack = start_with(
        opts.arg("--startup-config")
            .arg(file.to_str().expect("a UTF-8 path")),
    )
    .await;
    let mut c = client(&stack);
    let admin = stack.admin();

    // Each part's collections, whole.
    assert_eq!(
        total(&stack, &mut c, &admin, NETWORK_OBJECTS).await,
        OBJECTS as u64
    );
    assert_eq!(
        total(&stack, &mut c, &admin, "/api/objects/networkobjectgroups").await,
        GROUPS as u64
    );
    assert_eq!(
        total(
            &stack,
            &mut c,
            &admin,
            "/api/objects/extendedacls/big_in/aces"
        )
        .await,
        ACES as u64
    );
    assert_eq!(
        total(&stack, &mut c, &admin, "/api/routing/static").await,
        ROUTES as u64
    );

    // The first and last of each, as configured (the pieces' seams are somewhere between).
    for i in [0, OBJECTS / 2, OBJECTS - 1] {
        let object = get_ok(
            &stack,
            &mut c,
            &admin,
            &format!("{NETWORK_OBJECTS}/obj-{i:05}"),
        )
        .await;
        assert_eq!(object["host"]["value"], address(i), "{object}");
        assert_eq!(object["description"], format!("object {i}"), "{object}");
    }
    let last = GROUPS - 1;
    let group = get_ok(
        &stack,
        &mut c,
        &admin,
        &format!("/api/objects/networkobjectgroups/grp-{last:04}"),
    )
    .await;
    let members: Vec<String> = group["members"]
        .as_array()
        .unwrap_or_else(|| panic!("members in {group}"))
        .iter()
        .map(|m| m["objectId"].as_str().unwrap_or_default().to_owned())
        .collect();
    let expected: Vec<String> = (0..3).map(|k| format!("obj-{:05}", last * 3 + k)).collect();
    assert_eq!(members, expected, "{group}");

    // A write after the boot lands in the joined snapshot, beside what was read.
    let created = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("after-boot", "IPv4Address", "10.255.0.1", None),
            &admin,
        )
        .await,
    );
    expect_status(&created, 201, "POST after the boot");
    assert_eq!(
        total(&stack, &mut c, &admin, NETWORK_OBJECTS).await,
        OBJECTS as u64 + 1
    );
    drop(stack);
    let _ = std::fs::remove_dir_all(&dir);
}
