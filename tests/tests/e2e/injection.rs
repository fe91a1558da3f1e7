//! No user string reaches a CLI line unvalidated: a newline or another control character in any
//! string field (name, description, host value, a CLI command) is refused with 400 and changes
//! nothing, neither the running configuration nor the collection.

use serde_json::json;
use tests::{Auth, Client};

use crate::support::*;

/// Characters that would end a CLI line or are otherwise control characters.
const BAD: &[(&str, &str)] = &[
    ("LF", "\n"),
    ("CR", "\r"),
    ("NUL", "\u{0}"),
    ("BEL", "\u{7}"),
    ("ESC", "\u{1b}"),
    ("DEL", "\u{7f}"),
];

async fn snapshot(c: &mut Client, admin: &Auth) -> (String, Vec<serde_json::Value>) {
    (
        running_config(c, admin).await,
        all_network_objects(c, admin).await,
    )
}

#[tokio::test]
async fn control_characters_in_any_field_are_refused_and_change_nothing() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    let r = ok(
        &stack,
        c.post(
            NETWORK_OBJECTS,
            network_object("victim", "IPv4Address", "10.70.0.1", Some("clean")),
            &admin,
        )
        .await,
    );
    expect_status(&r, 201, "POST victim");
    let before = snapshot(&mut c, &admin).await;
    let victim = format!("{NETWORK_OBJECTS}/victim");

    for (label, ch) in BAD {
        let injected = format!("no logging enable{ch}");
        let cases = [
            (
                "name",
                network_object(
                    &format!("inj{ch}no logging enable"),
                    "IPv4Address",
                    "10.70.0.2",
                    None,
                ),
            ),
            (
                "description",
                network_object(
                    "inj",
                    "IPv4Address",
                    "10.70.0.2",
                    Some(&format!("x{ch}no logging enable")),
                ),
            ),
            (
                "host.value",
                network_object(
                    "inj",
                    "IPv4Address",
                    &format!("10.70.0.2{ch}no logging enable"),
                    None,
                ),
            ),
            (
                "host.value (FQDN)",
                network_object(
                    "inj",
                    "IPv4FQDN",
                    &format!("www.example.com{ch}{injected}"),
                    None,
                ),
            ),
        ];
        for (field, body) in cases {
            let r = ok(&stack, c.post(NETWORK_OBJECTS, &body, &admin).await);
            expect_error(&r, 400, &format!("POST with {label} in {field}"));
        }

        let r = ok(
            &stack,
            c.put(
                &victim,
                network_object(
                    "victim",
                    "IPv4Address",
                    "10.70.0.1",
                    Some(&format!("a{ch}b")),
                ),
                &admin,
            )
            .await,
        );
        expect_error(&r, 400, &format!("PUT with {label} in description"));
        let r = ok(
            &stack,
            c.patch(
                &victim,
                json!({"description": format!("a{ch}no logging enable")}),
                &admin,
            )
            .await,
        );
        expect_error(&r, 400, &format!("PATCH with {label} in description"));
        let r = ok(
            &stack,
            c.patch(
                &victim,
                json!({"host": {"kind": "IPv4Address", "value": format!("10.70.0.9{ch}")}}),
                &admin,
            )
            .await,
        );
        expect_error(&r, 400, &format!("PATCH with {label} in host.value"));

        // In `/api/cli`, LF separates the lines of a multi-line command (each line is checked
        // and needs its own privilege): see `cli_commands_are_checked_line_by_line` below.
        if *label == "LF" {
            continue;
        }
        let r = ok(
            &stack,
            c.post(
                "/api/cli",
                json!({"commands": [format!("show version{ch}no logging enable")]}),
                &admin,
            )
            .await,
        );
        expect_error(&r, 400, &format!("/api/cli command with {label}"));
        let r = ok(
            &stack,
            c.post(
                "/api/cli",
                json!({"commands": ["object network clean", format!(" description a{ch}b")]}),
                &admin,
            )
            .await,
        );
        expect_error(
            &r,
            400,
            &format!("/api/cli batch with {label} in its second command"),
        );
    }

    let after = snapshot(&mut c, &admin).await;
    assert_eq!(after.1, before.1, "the collection is unchanged");
    assert_eq!(after.0, before.0, "the running configuration is unchanged");
}

#[tokio::test]
async fn cli_commands_are_checked_line_by_line() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create_users(&mut c, &admin, &[("viewer", "Viewer-pw-5", 5)]).await;
    let viewer = Auth::basic("viewer", "Viewer-pw-5");
    let before = snapshot(&mut c, &admin).await;
    // A show command followed by a configuration line needs level 15, as two entries would.
    let r = ok(
        &stack,
        c.post(
            "/api/cli",
            json!({"commands": ["show version\nno logging enable"]}),
            &viewer,
        )
        .await,
    );
    expect_error(&r, 403, "a configuration line hidden after a show line");
    // Any other control character in any line is refused, whatever the user.
    let r = ok(
        &stack,
        c.post(
            "/api/cli",
            json!({"commands": ["object network clean\n description a\rb"]}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "CR inside a line of a multi-line command");
    let after = snapshot(&mut c, &admin).await;
    assert_eq!(after, before, "nothing changed");
}
