//! The %ASA message catalogue: one table of (id, default level, format) and the template filler.
//!
//! Formats use `{name}` placeholders where Cisco's documentation writes `<name>`; the names only
//! document the arguments, which are filled strictly in order of appearance.

use crate::level::Level;

/// One catalogued %ASA message: its number, default severity and body template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageDef {
    pub id: u32,
    pub level: Level,
    pub format: &'static str,
}

impl MessageDef {
    /// The placeholder names of the format, in order of appearance (one per argument `render` takes).
    pub fn placeholders(&self) -> impl Iterator<Item = &'static str> {
        Pieces(self.format).filter_map(|piece| match piece {
            Piece::Placeholder(name) => Some(name),
            Piece::Literal(_) => None,
        })
    }
}

/// Declares the catalogue once; the table is the only place a message's level and text live.
macro_rules! catalogue {
    ($($id:literal $level:ident $format:literal;)*) => {
        /// Every message this implementation emits, sorted by id (checked by a test).
        pub static CATALOGUE: &[MessageDef] = &[
            $(MessageDef { id: $id, level: Level::$level, format: $format },)*
        ];
    };
}

catalogue! {
    111001 Notifications "Begin configuration: {ip} writing to {device}";
    111004 Notifications "{ip} end configuration: {result}";
    111005 Notifications "{ip} end configuration: OK";
    111008 Notifications "User '{user}' executed the '{command}' command.";
    111010 Notifications "User '{user}', running '{app}' from IP {ip}, executed '{command}'";
    113006 Informational "User '{user}' locked out on exceeding '{attempts}' successive failed authentication attempts";
    113012 Informational "AAA user authentication Successful : local database : user = {user}";
    113015 Informational "AAA user authentication Rejected : reason = {reason} : local database : user = {user}";
    199002 Informational "startup completed.  Beginning operation.";
    342001 Debugging "REST API Agent started successfully.";
    342002 Errors "REST API Agent failed, reason: {reason}";
    342003 Errors "REST API Agent failure notification received. Agent will be restarted automatically.";
    342004 Errors "Failed to automatically restart the REST API Agent after five unsuccessful attempts. Use the 'no rest-api agent' and 'rest-api agent' commands to manually restart the Agent.";
    342005 Debugging "REST API image has been installed successfully.";
    342006 Errors "Failed to install REST API image, reason: {reason}";
    342007 Debugging "REST API image has been uninstalled successfully.";
    342008 Errors "Failed to uninstall REST API image, reason: {reason}.";
    // 342009-342011 are this implementation's own, for the API log (docs/api-log.md): the
    // ASA has no message for these events. Cisco's numbers are reused wherever one fits.
    342009 Informational "REST API Agent stopped, reason: {reason}";
    342010 Informational "REST API connection from {ip}/{port} failed: {reason}";
    342011 Notifications "REST API request from {ip} by user {user} failed: {method} {route} answered {status}";
    502103 Notifications "User priv level changed: Uname: {user} From: {from} To: {to}";
    605004 Informational "Login denied from {source}/{sport} to {interface}:{dest}/{service} for user \"{user}\"";
    605005 Informational "Login permitted from {source}/{sport} to {interface}:{dest}/{service} for user \"{user}\"";
    611103 Notifications "User logged out: Uname: {user}";
}

/// The catalogue entry for `id`, if this implementation knows the message.
pub fn lookup(id: u32) -> Option<&'static MessageDef> {
    CATALOGUE
        .binary_search_by_key(&id, |def| def.id)
        .ok()
        .and_then(|i| CATALOGUE.get(i))
}

/// Fills the `{name}` placeholders of `def.format` in order of appearance with `args`.
/// Missing arguments become empty; surplus arguments are ignored. Arguments are inserted
/// verbatim (a `{` inside an argument is not a placeholder); control characters are escaped
/// when the message is printed, not here.
pub fn render(def: &MessageDef, args: &[&str]) -> String {
    let mut out =
        String::with_capacity(def.format.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut args = args.iter();
    for piece in Pieces(def.format) {
        match piece {
            Piece::Literal(text) => out.push_str(text),
            Piece::Placeholder(_) => out.push_str(args.next().copied().unwrap_or("")),
        }
    }
    out
}

/// A run of literal text or one `{name}` placeholder of a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Literal(&'a str),
    Placeholder(&'a str),
}

/// Splits a format into pieces. A `{` not followed by `[a-z_]+}` is literal text.
#[derive(Debug, Clone)]
struct Pieces<'a>(&'a str);

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let rest = self.0;
        if rest.is_empty() {
            return None;
        }
        if let Some(name) = placeholder_at_start(rest) {
            // `{` + name + `}` are all ASCII, so the slice is on a char boundary.
            self.0 = rest.get(name.len() + 2..).unwrap_or("");
            return Some(Piece::Placeholder(name));
        }
        // Literal text runs to the next `{` that starts a placeholder (skipping the first byte,
        // which is either not `{` or a `{` that does not start one).
        let mut end = rest.len();
        for (i, _) in rest.match_indices('{').filter(|&(i, _)| i > 0) {
            if rest.get(i..).and_then(placeholder_at_start).is_some() {
                end = i;
                break;
            }
        }
        let (literal, tail) = rest.split_at(end);
        self.0 = tail;
        Some(Piece::Literal(literal))
    }
}

/// The name of the placeholder `s` starts with, if it starts with `{[a-z_]+}`.
fn placeholder_at_start(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('{')?;
    let len = inner
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
        .count();
    let closed = inner.as_bytes().get(len) == Some(&b'}');
    if len == 0 || !closed {
        return None;
    }
    inner.get(..len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn catalogue_is_sorted_with_unique_ids() {
        for pair in CATALOGUE.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "{} before {}",
                pair[0].id,
                pair[1].id
            );
        }
    }

    #[test]
    fn every_entry_is_found_by_lookup() {
        for def in CATALOGUE {
            assert_eq!(lookup(def.id), Some(def));
        }
        assert_eq!(lookup(0), None);
        assert_eq!(lookup(342999), None);
        assert_eq!(lookup(u32::MAX), None);
    }

    #[test]
    fn every_entry_renders_with_its_args_and_no_leftover_brace() {
        for def in CATALOGUE {
            let args: Vec<String> = def.placeholders().map(|n| format!("<{n}>")).collect();
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let text = render(def, &refs);
            assert!(
                !text.contains('{') && !text.contains('}'),
                "{}: {text}",
                def.id
            );
            for arg in &args {
                assert!(
                    text.contains(arg.as_str()),
                    "{}: {text} lacks {arg}",
                    def.id
                );
            }
        }
    }

    #[test]
    fn api_log_messages_render_their_arguments() {
        let def = lookup(342011).unwrap();
        assert_eq!(
            render(
                def,
                &[
                    "192.0.2.7",
                    "ops",
                    "GET",
                    "/api/objects/networkobjects/{id}",
                    "404"
                ]
            ),
            "REST API request from 192.0.2.7 by user ops failed: GET /api/objects/networkobjects/{id} answered 404"
        );
        assert_eq!(lookup(342009).unwrap().level, Level::Informational);
        assert_eq!(
            render(
                lookup(342010).unwrap(),
                &["192.0.2.7", "51000", "TLS handshake timed out"]
            ),
            "REST API connection from 192.0.2.7/51000 failed: TLS handshake timed out"
        );
    }

    #[test]
    fn rest_api_agent_messages_have_cisco_levels_and_text() {
        let expect = [
            (
                342001,
                Level::Debugging,
                "REST API Agent started successfully.",
            ),
            (
                342003,
                Level::Errors,
                "REST API Agent failure notification received. Agent will be restarted automatically.",
            ),
            (
                342005,
                Level::Debugging,
                "REST API image has been installed successfully.",
            ),
            (
                342007,
                Level::Debugging,
                "REST API image has been uninstalled successfully.",
            ),
        ];
        for (id, level, text) in expect {
            let def = lookup(id).unwrap();
            assert_eq!(def.level, level);
            assert_eq!(render(def, &[]), text);
        }
        let def = lookup(342008).unwrap();
        assert_eq!(
            render(def, &["unmount failed"]),
            "Failed to uninstall REST API image, reason: unmount failed."
        );
        assert!(
            lookup(342004)
                .unwrap()
                .format
                .contains("'no rest-api agent' and 'rest-api agent'")
        );
    }

    #[test]
    fn fills_placeholders_in_order_of_appearance() {
        let def = lookup(605005).unwrap();
        let text = render(
            def,
            &["10.1.1.5", "51234", "mgmt", "10.1.1.1", "https", "admin"],
        );
        assert_eq!(
            text,
            "Login permitted from 10.1.1.5/51234 to mgmt:10.1.1.1/https for user \"admin\""
        );
        let def = lookup(502103).unwrap();
        assert_eq!(
            render(def, &["admin", "1", "15"]),
            "User priv level changed: Uname: admin From: 1 To: 15"
        );
    }

    #[test]
    fn missing_args_render_empty_and_surplus_args_are_ignored() {
        let def = lookup(111008).unwrap();
        assert_eq!(
            render(def, &["admin"]),
            "User 'admin' executed the '' command."
        );
        assert_eq!(
            render(def, &["admin", "write memory", "extra"]),
            "User 'admin' executed the 'write memory' command."
        );
    }

    #[test]
    fn braces_in_args_are_not_placeholders() {
        let def = lookup(342002).unwrap();
        assert_eq!(
            render(def, &["{reason}"]),
            "REST API Agent failed, reason: {reason}"
        );
    }

    #[test]
    fn stray_braces_in_a_format_stay_literal() {
        let def = MessageDef {
            id: 1,
            level: Level::Debugging,
            format: "a {} {B} {x y} {ok} {",
        };
        assert_eq!(def.placeholders().collect::<Vec<_>>(), ["ok"]);
        assert_eq!(render(&def, &["1"]), "a {} {B} {x y} 1 {");
    }

    #[test]
    fn placeholder_names_document_the_arguments() {
        let names: Vec<&str> = lookup(111010).unwrap().placeholders().collect();
        assert_eq!(names, ["user", "app", "ip", "command"]);
        assert_eq!(lookup(342001).unwrap().placeholders().count(), 0);
    }

    proptest! {
        #[test]
        fn render_never_panics_on_arbitrary_args(
            index in 0..CATALOGUE.len(),
            args in proptest::collection::vec(any::<String>(), 0..10),
        ) {
            let def = &CATALOGUE[index];
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let text = render(def, &refs);
            let used: usize = refs.iter().take(def.placeholders().count()).map(|a| a.len()).sum();
            let literal: usize = Pieces(def.format)
                .map(|p| match p { Piece::Literal(t) => t.len(), Piece::Placeholder(_) => 0 })
                .sum();
            prop_assert_eq!(text.len(), literal + used);
        }

        #[test]
        fn arbitrary_formats_split_without_panicking(format in any::<String>(), arg in any::<String>()) {
            let leaked: &'static str = Box::leak(format.into_boxed_str());
            let def = MessageDef { id: 1, level: Level::Debugging, format: leaked };
            let pieces: String = Pieces(leaked)
                .map(|p| match p { Piece::Literal(t) => t.to_owned(), Piece::Placeholder(n) => format!("{{{n}}}") })
                .collect();
            prop_assert_eq!(pieces.as_str(), leaked);
            let _ = render(&def, &[&arg]);
        }
    }
}
