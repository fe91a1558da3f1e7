//! Time ranges, regular expressions, local users, local user groups and security object groups
//! end to end: create, read, replace, patch and delete over HTTPS, their refusals, and the
//! `show running-config` lines they become (a password is never returned nor shown in clear).

use serde_json::{Value, json};
use tests::{Auth, Client, Stack};

use crate::support::*;

const TIME_RANGES: &str = "/api/objects/timeranges";
const REGEXES: &str = "/api/objects/regularexpressions";
const LOCAL_USERS: &str = "/api/objects/localusers";
const USER_GROUPS: &str = "/api/objects/localusergroups";
const SECURITY_GROUPS: &str = "/api/objects/securityobjectgroups";
const USER_OBJECTS: &str = "/api/objects/userobjects";

async fn post(stack: &Stack, c: &mut Client, admin: &Auth, url: &str, body: Value) {
    let r = ok(stack, c.post(url, &body, admin).await);
    expect_status(&r, 201, &format!("POST {url} {body}"));
    let name = body["name"].as_str().unwrap_or_default();
    assert_eq!(r.location_id(), Some(name), "Location of {url}");
}

#[tokio::test]
async fn time_range_crud_and_reference_protection() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let url = format!("{TIME_RANGES}/work");
    let link = format!("{}{url}", ok(&stack, stack.endpoint()).base_url());

    let body = json!({"kind": "object#TimeRange", "name": "work", "value": {
        "start": "08:00 Jan 01 2025", "end": "never",
        "periodic": [{"frequency": "Tuesday Thursday Saturday ", "startHour": 8, "startMinute": 0, "endHour": 18, "endMinute": 30}],
    }});
    post(&stack, &mut c, &admin, TIME_RANGES, body).await;
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(
        got,
        json!({"kind": "object#TimeRange", "selfLink": link, "name": "work", "objectId": "work", "value": {
            "start": "08:00 Jan 01 2025", "end": "never",
            "periodic": [{"frequency": "Tuesday Thursday Saturday ", "startHour": 8, "startMinute": 0, "endHour": 18, "endMinute": 30}],
        }})
    );
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains(
            "time-range work\n absolute start 08:00 01 January 2025\n periodic Tuesday Thursday Saturday 8:00 to 18:30\n"
        ),
        "{running}"
    );

    let replaced = json!({"name": "work", "value": {"periodic": [
        {"frequency": "weekdays", "startHour": 7, "startMinute": 0, "endHour": 19, "endMinute": 0},
        {"frequency": "Friday to Monday", "startHour": 20, "startMinute": 0, "endHour": 6, "endMinute": 0},
    ]}});
    let r = ok(&stack, c.put(&url, &replaced, &admin).await);
    expect_status(&r, 204, "PUT time range");
    assert_eq!(r.header("location"), Some(link.as_str()));
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(got["value"]["start"], "now");
    assert_eq!(got["value"]["periodic"][1]["frequency"], "Friday to Monday");

    let r = ok(
        &stack,
        c.patch(&url, json!({"value": {"end": "17:00 Dec 31 2030"}}), &admin)
            .await,
    );
    expect_status(&r, 204, "PATCH time range");
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(got["value"]["end"], "17:00 Dec 31 2030");
    assert_eq!(
        got["value"]["periodic"].as_array().map(Vec::len),
        Some(2),
        "PATCH kept the periodic entries: {got}"
    );

    let r = ok(
        &stack,
        c.post(
            TIME_RANGES,
            json!({"name": "bad", "value": {"start": "08:00 Feb 30 2025"}}),
            &admin,
        )
        .await,
    );
    let (_, details) = expect_error(&r, 400, "impossible date");
    assert!(details.contains("value.start"), "{details}");
    let r = ok(
        &stack,
        c.post(TIME_RANGES, json!({"name": "work"}), &admin).await,
    );
    let (code, _) = expect_error(&r, 400, "duplicate time range");
    assert_eq!(code, "DUPLICATE");

    cli(
        &mut c,
        &admin,
        &["access-list timed extended permit ip any any time-range work"],
    )
    .await;
    let r = ok(&stack, c.delete(&url, &admin).await);
    let (_, details) = expect_error(&r, 400, "DELETE of a time range in use");
    assert!(details.contains("in use"), "{details}");
    cli(
        &mut c,
        &admin,
        &["no access-list timed extended permit ip any any time-range work"],
    )
    .await;
    let r = ok(&stack, c.delete(&url, &admin).await);
    expect_status(&r, 204, "DELETE time range");
    let r = ok(&stack, c.get(&url, &admin).await);
    expect_not_found(&r, "GET after DELETE");
}

#[tokio::test]
async fn local_user_passwords_are_write_only() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let url = format!("{LOCAL_USERS}/operator");
    let secret = "Op3rator-Secret";

    let r = ok(
        &stack,
        c.post(
            LOCAL_USERS,
            json!({"name": "nopw", "privilegeLevel": 3}),
            &admin,
        )
        .await,
    );
    let (_, details) = expect_error(&r, 400, "POST without a password");
    assert!(details.contains("password"), "{details}");

    post(
        &stack,
        &mut c,
        &admin,
        LOCAL_USERS,
        json!({"kind": "object#LocalUserObj", "name": "operator", "password": secret, "privilegeLevel": 15}),
    )
    .await;
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(got["privilegeLevel"], 15);
    assert_eq!(got["MSCHAPauthenticated"], false);
    assert_eq!(got["ASDM_CLIAccessType"], "Full");
    assert!(got.get("password").is_none(), "{got}");
    let list = get_ok(&stack, &mut c, &admin, LOCAL_USERS).await;
    assert_eq!(list["kind"], "collection#LocalUserObj");
    assert!(!list.to_string().contains(secret), "{list}");
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains(secret), "clear password in {running}");
    assert!(running.contains("username operator password "), "{running}");

    // Every local user is also a (read-only) user object.
    let user_object = format!("{USER_OBJECTS}/operator");
    let got = get_ok(&stack, &mut c, &admin, &user_object).await;
    assert_eq!(got["kind"], "object#UserObj");
    assert_eq!(got["userName"], "operator");
    assert_eq!(got["user"]["kind"], "objectRef#LocalUserObj");
    assert_eq!(got["user"]["objectId"], "operator");
    // User objects are read-only: every write verb is 405 with `Allow: GET`.
    let r = ok(&stack, c.delete(&user_object, &admin).await);
    let (code, _) = expect_error(&r, 405, "DELETE of a user object");
    assert_eq!(code, "METHOD-NOT-ALLOWED");
    assert_eq!(r.header("allow").map(str::trim), Some("GET"));
    let r = ok(
        &stack,
        c.post(USER_OBJECTS, json!({"userName": "x"}), &admin).await,
    );
    expect_error(&r, 405, "POST of a user object");
    assert_eq!(r.header("allow").map(str::trim), Some("GET"));
    let r = ok(
        &stack,
        c.put(&user_object, json!({"userName": "operator"}), &admin)
            .await,
    );
    expect_error(&r, 405, "PUT of a user object");
    assert_eq!(r.header("allow").map(str::trim), Some("GET"));

    // The new user can use the API with its password.
    let operator = Auth::basic("operator", secret);
    let r = ok(&stack, c.get(&url, &operator).await);
    expect_status(&r, 200, "GET as the new user");

    // PATCH without a password keeps it; access type and privilege change.
    let r = ok(
        &stack,
        c.patch(
            &url,
            json!({"privilegeLevel": "5", "ASDM_CLIAccessType": "LoginPrompt"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH user");
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(got["privilegeLevel"], 5);
    assert_eq!(got["ASDM_CLIAccessType"], "LoginPrompt");
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("username operator attributes\n service-type nas-prompt\n"),
        "{running}"
    );

    // PUT with a new MS-CHAP password.
    let r = ok(
        &stack,
        c.put(
            &url,
            json!({"name": "operator", "password": "N3w-Secret", "MSCHAPauthenticated": true, "privilegeLevel": 5}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT user");
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(got["MSCHAPauthenticated"], true);
    assert_eq!(got["ASDM_CLIAccessType"], "Full");
    let running = running_config(&mut c, &admin).await;
    assert!(!running.contains("N3w-Secret"), "{running}");
    assert!(running.contains(" nt-encrypted privilege 5\n"), "{running}");
    let r = ok(
        &stack,
        c.get(&url, &Auth::basic("operator", "N3w-Secret")).await,
    );
    expect_status(&r, 200, "GET with the new MS-CHAP password");
    let r = ok(&stack, c.get(&url, &Auth::basic("operator", secret)).await);
    expect_status(&r, 401, "GET with the old password");

    let r = ok(
        &stack,
        c.patch(&url, json!({"privilegeLevel": 16}), &admin).await,
    );
    let (_, details) = expect_error(&r, 400, "privilege 16");
    assert!(details.contains("privilegeLevel"), "{details}");

    let r = ok(&stack, c.delete(&url, &admin).await);
    expect_status(&r, 204, "DELETE user");
    let r = ok(&stack, c.get(&url, &admin).await);
    expect_not_found(&r, "GET after DELETE");
    assert!(
        !running_config(&mut c, &admin)
            .await
            .contains("username operator")
    );
}

#[tokio::test]
async fn regular_expression_crud() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let url = format!("{REGEXES}/blocked");

    post(
        &stack,
        &mut c,
        &admin,
        REGEXES,
        json!({"name": "blocked", "value": "www\\.example\\.com"}),
    )
    .await;
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(got["kind"], "object#RegularExpression");
    assert_eq!(got["value"], "www\\.example\\.com");
    let r = ok(
        &stack,
        c.put(&url, json!({"value": "(www\\.)?example\\.net"}), &admin)
            .await,
    );
    expect_status(&r, 204, "PUT regex");
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains("regex blocked \"(www\\.)?example\\.net\"\n"),
        "{running}"
    );
    assert!(!running.contains("example\\.com"), "{running}");

    let r = ok(
        &stack,
        c.post(
            REGEXES,
            json!({"name": "evil", "value": "x\"\nno regex blocked"}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "a pattern breaking the line");
    let r = ok(&stack, c.delete(&url, &admin).await);
    expect_status(&r, 204, "DELETE regex");
    let r = ok(&stack, c.get(&url, &admin).await);
    expect_not_found(&r, "GET after DELETE");
}

#[tokio::test]
async fn a_local_user_in_a_user_group_cannot_be_deleted() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    create_users(&mut c, &admin, &[("carol", "Carol-Pass-1", 3)]).await;
    post(
        &stack,
        &mut c,
        &admin,
        USER_GROUPS,
        json!({"name": "ops", "members": [
            {"kind": "objectRef#UserObj", "objectId": "carol"},
            {"kind": "objectRef#UserObj", "objectId": "CORP\\dave"},
        ]}),
    )
    .await;
    let user = format!("{LOCAL_USERS}/carol");
    let r = ok(&stack, c.delete(&user, &admin).await);
    let (_, details) = expect_error(&r, 400, "DELETE of a user in a user group");
    assert!(details.contains("in use"), "{details}");
    let running = running_config(&mut c, &admin).await;
    assert!(running.contains("username carol "), "{running}");

    let group = format!("{USER_GROUPS}/ops");
    let r = ok(
        &stack,
        c.patch(
            &group,
            json!({"members.remove": [{"kind": "objectRef#UserObj", "objectId": "carol"}]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH the user out of the group");
    let r = ok(&stack, c.delete(&user, &admin).await);
    expect_status(&r, 204, "DELETE once out of the group");
    let r = ok(&stack, c.get(&user, &admin).await);
    expect_not_found(&r, "GET after DELETE");
}

#[tokio::test]
async fn user_and_security_groups_crud() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);

    post(
        &stack,
        &mut c,
        &admin,
        USER_GROUPS,
        json!({"name": "helpdesk", "members": [
            {"kind": "objectRef#UserObj", "objectId": "bob"},
            {"kind": "objectRef#UserObj", "objectId": "CORP\\alice"},
        ]}),
    )
    .await;
    let r = ok(
        &stack,
        c.post(
            USER_GROUPS,
            json!({"name": "all", "members": [{"kind": "objectRef#LocalUserGroup", "objectId": "missing"}]}),
            &admin,
        )
        .await,
    );
    let (_, details) = expect_error(&r, 400, "nested group that does not exist");
    assert!(details.contains("members[0]"), "{details}");
    post(
        &stack,
        &mut c,
        &admin,
        USER_GROUPS,
        json!({"name": "all", "members": [{"kind": "objectRef#LocalUserGroup", "objectId": "helpdesk"}]}),
    )
    .await;
    let base = ok(&stack, stack.endpoint()).base_url();
    let got = get_ok(&stack, &mut c, &admin, &format!("{USER_GROUPS}/all")).await;
    assert_eq!(got["kind"], "object#LocalUserObjGroup");
    assert_eq!(
        got["members"],
        json!([{"kind": "objectRef#LocalUserObjGroup", "refLink": format!("{base}{USER_GROUPS}/helpdesk"), "objectId": "helpdesk"}])
    );
    let url = format!("{USER_GROUPS}/helpdesk");
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(
        got["members"][0],
        json!({"kind": "objectRef#UserObj", "refLink": format!("{base}{USER_OBJECTS}/bob"), "objectId": "bob"})
    );
    let r = ok(
        &stack,
        c.patch(
            &url,
            json!({"members.add": [{"kind": "objectRef#UserGroupObj", "objectId": "CORP\\support"}],
                   "members.remove": [{"kind": "objectRef#LocalUserObj", "objectId": "bob"}]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PATCH members");
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(
        got["members"],
        json!([
            {"kind": "objectRef#UserObj", "objectId": "CORP\\alice"},
            {"kind": "objectRef#UserGroupObj", "objectId": "CORP\\support"},
        ])
    );
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains(
            "object-group user helpdesk\n user CORP\\alice\n user-group CORP\\\\support\n"
        ),
        "{running}"
    );
    let r = ok(&stack, c.delete(&url, &admin).await);
    expect_error(&r, 400, "DELETE of a nested user group");
    let r = ok(
        &stack,
        c.delete(&format!("{USER_GROUPS}/all"), &admin).await,
    );
    expect_status(&r, 204, "DELETE outer group");
    let r = ok(&stack, c.delete(&url, &admin).await);
    expect_status(&r, 204, "DELETE inner group");

    post(
        &stack,
        &mut c,
        &admin,
        SECURITY_GROUPS,
        json!({"name": "trusted", "members": [
            {"kind": "SecurityName", "value": "engineering"},
            {"kind": "SecurityTag", "value": "100"},
        ]}),
    )
    .await;
    let url = format!("{SECURITY_GROUPS}/trusted");
    let r = ok(
        &stack,
        c.put(
            &url,
            json!({"name": "trusted", "description": "SGTs", "members": [{"kind": "SecurityTag", "value": "200"}]}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "PUT security group");
    let got = get_ok(&stack, &mut c, &admin, &url).await;
    assert_eq!(got["kind"], "object#SecurityObjGroup");
    assert_eq!(got["description"], "SGTs");
    assert_eq!(
        got["members"],
        json!([{"kind": "SecurityTag", "value": "200"}])
    );
    let running = running_config(&mut c, &admin).await;
    assert!(
        running.contains(
            "object-group security trusted\n description SGTs\n security-group tag 200\n"
        ),
        "{running}"
    );
    let r = ok(
        &stack,
        c.patch(
            &url,
            json!({"members.add": [{"kind": "SecurityTag", "value": "0"}]}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "tag 0");
    let r = ok(&stack, c.delete(&url, &admin).await);
    expect_status(&r, 204, "DELETE security group");
    let r = ok(&stack, c.get(&url, &admin).await);
    expect_not_found(&r, "GET after DELETE");
}
