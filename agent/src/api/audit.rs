//! The agent process's part of the API log: who a request was answered for (handed to the
//! front-end in `x-asa-user` for its request line, never to the client), and the `%ASA`
//! messages for HTTP Basic logins, 113012 and 605005 on success, 113015 and 605004 on a
//! refusal, each naming the user, and 605004/605005 the source, as the ASA words them.

use std::cell::RefCell;
use std::future::Future;
use std::net::IpAddr;

use cli_translator::protocol::LogEvent;
use futures_util::FutureExt;
use syslog::Message;

use crate::lina_client::LinaClient;

/// The response header carrying the authenticated user to the front-end.
pub const USER_HEADER: hyper::header::HeaderName =
    hyper::header::HeaderName::from_static("x-asa-user");

tokio::task_local! {
    static USER: RefCell<Option<String>>;
}

/// Runs one request, returning its output and the user it authenticated as (if it did).
///
/// The request's future is held once: an `async fn` holding it as an argument, then in a
/// block, then in the scope held it three times (24 KiB moved per request, issue 10 item 9).
pub fn with_user<F: Future>(request: F) -> impl Future<Output = (F::Output, Option<String>)> {
    // `map` runs inside the scope's poll, where the task-local is set.
    USER.scope(
        RefCell::new(None),
        request.map(|output| {
            let user = USER.try_with(|u| u.borrow_mut().take()).ok().flatten();
            (output, user)
        }),
    )
}

/// Records the request's user (a no-op outside [`with_user`]).
pub fn set_user(name: &str) {
    let _ = USER.try_with(|u| *u.borrow_mut() = Some(name.to_owned()));
}

/// The arguments of 605004/605005: source, source port, interface, destination, service, user.
/// The channel carries no client port and the daemon's address is not the ASA's interface
/// address; these stay as LINA fills them for the token service.
fn login_args<'a>(source: &'a str, user: &'a str) -> [&'a str; 6] {
    [source, "0", "management", "127.0.0.1", "https", user]
}

/// A Basic login LINA accepted: 113012 and 605005.
pub fn login_succeeded(lina: &LinaClient, user: &str, source: IpAddr) {
    let source = source.to_string();
    send(lina, Message::from_catalogue(113012, &[user]));
    send(
        lina,
        Message::from_catalogue(605005, &login_args(&source, user)),
    );
}

/// A Basic login LINA refused: 113015 and 605004.
pub fn login_refused(lina: &LinaClient, user: &str, source: IpAddr) {
    let source = source.to_string();
    send(
        lina,
        Message::from_catalogue(113015, &["Invalid password", user]),
    );
    send(
        lina,
        Message::from_catalogue(605004, &login_args(&source, user)),
    );
}

/// Hands the message to LINA's syslog without holding up the request.
fn send(lina: &LinaClient, message: Option<Message>) {
    let Some(message) = message else { return };
    let event = LogEvent {
        message_id: message.id,
        level: message.level.as_u8(),
        body: message.body,
    };
    let lina = lina.clone();
    tokio::spawn(async move {
        if let Err(e) = lina.log(event).await {
            tracing::debug!("API log message not delivered to LINA: {e}");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_user_set_during_a_request_comes_back() {
        let ((), user) = with_user(async { set_user("admin") }).await;
        assert_eq!(user.as_deref(), Some("admin"));
        let ((), user) = with_user(async {}).await;
        assert_eq!(user, None);
        // Outside a request: nothing to record, and no panic.
        set_user("nobody");
    }

    #[test]
    fn login_messages_are_catalogued() {
        for id in [113012, 113015, 605004, 605005] {
            assert!(syslog::lookup(id).is_some(), "{id}");
        }
        let m = Message::from_catalogue(605005, &login_args("192.0.2.7", "ops")).unwrap();
        assert_eq!(
            m.body,
            "Login permitted from 192.0.2.7/0 to management:127.0.0.1/https for user \"ops\""
        );
    }
}
