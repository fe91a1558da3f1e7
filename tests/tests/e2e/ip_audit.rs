//! IP audit end to end (issue 15): policies, their interface bindings and disabled
//! signatures created, read, updated and deleted over HTTPS, the lines they become, and the
//! refusals (unknown signature, missing policy, policy in use).

use serde_json::json;

use crate::support::*;

const POLICIES: &str = "/api/firewall/ipaudit/policies";
const INTERFACES: &str = "/api/firewall/ipaudit/interfaces";
const SIGNATURES: &str = "/api/firewall/ipaudit/signatures";

#[tokio::test]
async fn ip_audit_crud_and_refusals() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    for (url, body, id) in [
        (
            POLICIES,
            json!({"kind": "object#IPAuditPolicy", "name": "guard", "infoActions": ["alarm"],
                   "attackActions": ["alarm", "drop", "reset"]}),
            "guard",
        ),
        (
            INTERFACES,
            json!({"interface": "management", "policies": ["guard"]}),
            "management",
        ),
        (SIGNATURES, json!({"signature": 2000}), "2000"),
    ] {
        let r = ok(&stack, c.post(url, &body, &admin).await);
        expect_status(&r, 201, &format!("POST {url}"));
        assert_eq!(r.location_id(), Some(id));
    }
    let running = running_config(&mut c, &admin).await;
    for line in [
        "ip audit name guard info action alarm\n",
        "ip audit name guard attack action alarm drop reset\n",
        "ip audit interface management guard\n",
        "ip audit signature 2000 disable\n",
    ] {
        assert!(running.contains(line), "{line} in {running}");
    }
    let p = get_ok(&stack, &mut c, &admin, &format!("{POLICIES}/guard")).await;
    assert_eq!(p["attackActions"], json!(["alarm", "drop", "reset"]));
    let s = get_ok(&stack, &mut c, &admin, &format!("{SIGNATURES}/2000")).await;
    assert_eq!(s["signature"], 2000);

    let r = ok(
        &stack,
        c.patch(
            &format!("{POLICIES}/guard"),
            json!({"attackActions": ["drop"]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH policy");
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("ip audit name guard attack action drop\n"),
        "{running}"
    );
    assert!(
        running.contains("ip audit name guard info action alarm\n"),
        "{running}"
    );

    for (url, body) in [
        (SIGNATURES, json!({"signature": 1999})),
        (POLICIES, json!({"name": "p", "infoActions": ["shout"]})),
        (
            INTERFACES,
            json!({"interface": "management", "policies": ["nope"]}),
        ),
        (
            INTERFACES,
            json!({"interface": "nowhere", "policies": ["guard"]}),
        ),
    ] {
        let r = ok(&stack, c.post(url, &body, &admin).await);
        expect_error(&r, 400, &format!("POST {url} {body}"));
    }
    let r = ok(&stack, c.delete(&format!("{POLICIES}/guard"), &admin).await);
    let (_, details) = expect_error(&r, 400, "DELETE policy in use");
    assert!(details.contains("in use"), "{details}");

    for url in [
        format!("{INTERFACES}/management"),
        format!("{POLICIES}/guard"),
        format!("{SIGNATURES}/2000"),
    ] {
        let r = ok(&stack, c.delete(&url, &admin).await);
        expect_status(&r, 204, &format!("DELETE {url}"));
        let r = ok(&stack, c.get(&url, &admin).await);
        expect_not_found(&r, &format!("GET {url} after DELETE"));
    }
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains("ip audit"), "{running}");
}
