//! Secrets as `show running-config` prints them: the secret word of a configuration line
//! replaced by `*****`, everything else byte-identical.
//!
//! The ASA keeps secrets in clear in its configuration and prints them so only in
//! `more system:running-config` and in what it saves (`write memory`, `backup`); every
//! `show running-config` (and `write terminal`, `show startup-config`) masks them. The masked
//! forms (see docs/secrets.md for where each comes from):
//!
//! | line | masked word |
//! | --- | --- |
//! | ` key <secret>` (aaa-server host; not a `key chain`'s ` key <id>`) | the secret |
//! | ` ldap-login-password <secret>` (aaa-server host) | the secret |
//! | `aaa-server <tag> [(<nameif>)] host <address> <key> ...` (the key typed on the host line) | the key |
//! | `snmp-server community <secret> ...` | the community |
//! | `snmp-server host <nameif> <address> ... community <secret> ...` | the community |
//! | ` ikev1 pre-shared-key <secret>` (tunnel-group ipsec-attributes) | the secret |
//! | ` ikev2 local-authentication pre-shared-key [hex] <secret>` | the secret |
//! | ` ikev2 remote-authentication pre-shared-key [hex] <secret>` | the secret |
//! | `ntp authentication-key <n> <algorithm> <secret>` | the secret |
//! | `failover key [hex] <secret>` | the secret |
//! | `failover ipsec pre-shared-key [hex] <secret>` | the secret |
//! | `license-server secret <secret>`, `license-server address <ip> secret <secret> ...` | the secret |
//! | ` ospf message-digest-key <n> md5 <secret>` (interface) | the secret |
//! | ` ospf authentication-key <secret>` (interface) | the secret |
//!
//! Keywords match case-insensitively (the engine keeps some lines as typed). A line that
//! already shows `*****` is left as it is, so masking is idempotent. Local user and enable
//! passwords are not masked: the ASA stores and prints them hashed.

use std::borrow::Cow;

/// What a masked secret prints as.
pub const MASK: &str = "*****";

/// Whether a line opening with `first` may carry a secret: the fast path (one length test for
/// most lines) skips every other line. The families say which words (`secret_words`).
fn may_carry_secret(first: &str) -> bool {
    super::families::may_carry_secret(first)
}

/// The byte ranges of a line's words (separated by ASCII white space, which never splits a
/// UTF-8 character).
fn word_spans(line: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, b) in line.bytes().enumerate() {
        match (b.is_ascii_whitespace(), start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, line.len()));
    }
    spans
}

/// The index of the secret word, if the line carries one (by the family whose secret words
/// the line opens with). `parent` is the top-level line a sub-command belongs to, when known.
fn secret_index(words: &[&str], indented: bool, parent: Option<&str>) -> Option<usize> {
    super::families::secret_index(words, indented, parent)
}

/// One configuration line (top-level or sub-command, indentation kept) as
/// `show running-config` prints it. A sub-command's parent is not known here: ` key <word>`
/// is taken for an aaa-server host's key (see [`mask_sub_command`]).
pub fn mask_line(line: &str) -> Cow<'_, str> {
    mask_in(None, line)
}

/// A sub-command under the top-level line `parent`, as `show running-config` prints it.
pub fn mask_sub_command<'a>(parent: &str, line: &'a str) -> Cow<'a, str> {
    mask_in(Some(parent), line)
}

fn mask_in<'a>(parent: Option<&str>, line: &'a str) -> Cow<'a, str> {
    let indented = line.starts_with([' ', '\t']);
    let first = line.split_ascii_whitespace().next().unwrap_or("");
    if !may_carry_secret(first) {
        return Cow::Borrowed(line);
    }
    let spans = word_spans(line);
    let words: Vec<&str> = spans.iter().filter_map(|&(s, e)| line.get(s..e)).collect();
    let Some(&(start, end)) = secret_index(&words, indented, parent).and_then(|i| spans.get(i))
    else {
        return Cow::Borrowed(line);
    };
    if line.get(start..end) == Some(MASK) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + MASK.len());
    out.push_str(line.get(..start).unwrap_or(""));
    out.push_str(MASK);
    out.push_str(line.get(end..).unwrap_or(""));
    Cow::Owned(out)
}

/// A whole configuration text, line by line (each sub-command with the top-level line above
/// it); the text itself when no line carries a secret (no copy: `show running-config` of a
/// large configuration stays one allocation).
pub fn mask_config(text: String) -> String {
    masked_copy(&text).unwrap_or(text)
}

/// [`mask_config`] of a text the caller keeps: its masked copy, or `None` when no line carries
/// a secret (issue 13: boot; `show running-config` copied the cached print, then copied the
/// copy to mask it, before the first piece of a 100 MB answer could leave). A large text is
/// read on two cores ([`SCAN_SPLIT_ABOVE`]), and copied once, after.
pub fn masked_copy(text: &str) -> Option<String> {
    let (edits, at) = scanned(text);
    if edits.is_empty() {
        return None;
    }
    Some(edited_copy(text, &edits, at))
}

/// The masked copy of `text`, or a copy of it when no line carries a secret: what `show
/// running-config` answers while the configuration keeps its print.
pub fn shown_copy(text: &str) -> String {
    let (edits, at) = scanned(text);
    edited_copy(text, &edits, at)
}

/// A secret's line: where it starts and ends in the text, and the line masked.
type Edit = (usize, usize, String);

/// The secret lines of `text`, and the top-level line the text was cut at to read them on
/// two cores (none when it was read on one).
fn scanned(text: &str) -> (Vec<Edit>, Option<usize>) {
    // (A cut that does not fall on a character boundary cannot happen, and reads the whole
    // text on one core: it never answers "no secret".)
    let halves = top_level_split(text)
        .filter(|_| text.len() > SCAN_SPLIT_ABOVE)
        .and_then(|at| Some((at, text.get(..at)?, text.get(at..)?)));
    match halves {
        Some((at, first, second)) => {
            let (theirs, mut edits) = crate::cores::beside(
                "mask-half",
                || secret_edits(second, at),
                || secret_edits(first, 0),
            );
            // (No second thread, or one that failed: this one reads the second half too.)
            edits.extend(theirs.unwrap_or_else(|| secret_edits(second, at)));
            (edits, Some(at))
        }
        _ => (secret_edits(text, 0), None),
    }
}

/// `text` with `edits` (in order) made, copied once. Cut at `at` (a line start no edit
/// crosses), each part is written on its own core (issue 13: boot; the copy of a 100 MB
/// print was one core's while the agent waited for its first piece: the first show took
/// 117 to 149 ms in `lina_boot 100`, 103 to 143 ms with the copy on two).
fn edited_copy(text: &str, edits: &[Edit], at: Option<usize>) -> String {
    // The length of a part once its edits are made (a masked line may be shorter).
    let edited_len = |part: &str, edits: &[Edit]| -> Option<usize> {
        let removed: usize = edits
            .iter()
            .map(|(start, end, _)| end.saturating_sub(*start))
            .sum();
        let added: usize = edits.iter().map(|(.., masked)| masked.len()).sum();
        part.len().checked_sub(removed)?.checked_add(added)
    };
    let cut = at.and_then(|at| {
        let first = edits.partition_point(|(start, ..)| *start < at);
        let (before, after) = edits.split_at(first);
        let head = text.get(..at)?;
        let tail = text.get(at..)?;
        let lens = (edited_len(head, before)?, edited_len(tail, after)?);
        Some((head, before, tail, after, lens))
    });
    if let Some((head, before, tail, after, (head_len, tail_len))) = cut {
        let mut bytes = vec![0u8; head_len + tail_len];
        let (first, second) = bytes.split_at_mut(head_len);
        let (theirs, mine) = crate::cores::beside(
            "show-copy",
            || write_edited(tail, after, head.len(), second),
            || write_edited(head, before, 0, first),
        );
        if mine
            && theirs == Some(true)
            && let Ok(copy) = String::from_utf8(bytes)
        {
            return copy;
        }
    }
    let mut out = String::with_capacity(edited_len(text, edits).unwrap_or(text.len()));
    let mut done = 0;
    for (start, end, masked) in edits {
        out.push_str(text.get(done..*start).unwrap_or(""));
        out.push_str(masked);
        done = *end;
    }
    out.push_str(text.get(done..).unwrap_or(""));
    out
}

/// Writes `part` with its `edits` made (their offsets are in the whole text, `part` starting
/// at `base`) into `out`, which it fills exactly.
fn write_edited(part: &str, edits: &[Edit], base: usize, mut out: &mut [u8]) -> bool {
    use std::io::Write as _;
    let mut done = 0;
    for (start, end, masked) in edits {
        let Some(plain) = start.checked_sub(base).and_then(|to| part.get(done..to)) else {
            return false;
        };
        if out.write_all(plain.as_bytes()).is_err() || out.write_all(masked.as_bytes()).is_err() {
            return false;
        }
        let Some(after) = end.checked_sub(base) else {
            return false;
        };
        done = after;
    }
    let rest = part.get(done..).unwrap_or("");
    out.write_all(rest.as_bytes()).is_ok() && out.is_empty()
}

/// Texts above this size are read for secrets on two cores ([`masked_copy`]).
const SCAN_SPLIT_ABOVE: usize = 1 << 20;

/// The start of a top-level line near the middle of `text` (every sub-command after it has
/// its parent after it too), if there is one past the first line.
fn top_level_split(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = text.len() / 2;
    while at < bytes.len() {
        let nl = at + bytes.get(at..)?.iter().position(|b| *b == b'\n')?;
        match bytes.get(nl + 1) {
            Some(b' ' | b'\t') => at = nl + 1,
            Some(_) => return Some(nl + 1),
            None => return None,
        }
    }
    None
}

/// The lines of `text` that carry a secret, as (start, end, masked line), offsets moved by
/// `base`; `text` starts at a top-level line (or is the whole text).
fn secret_edits(text: &str, base: usize) -> Vec<(usize, usize, String)> {
    let mut edits = Vec::new();
    let mut parent = "";
    for (at, line) in line_starts(text) {
        if !line.starts_with([' ', '\t']) {
            parent = line;
        }
        if let Cow::Owned(masked) = mask_in(Some(parent), line) {
            edits.push((base + at, base + at + line.len(), masked));
        }
    }
    edits
}

/// What a user below privilege 15 sees of a configuration print: besides the secrets
/// [`mask_config`] masks, the stored password hashes (`username <u> password <hash> ...`,
/// `enable password <hash> ...`, `passwd <hash> ...`) become `*****`, so no path shows a
/// hash to anyone but an administrator.
pub fn mask_hashes(text: String) -> String {
    if !text.lines().any(carries_hash) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for (i, (_, line)) in line_starts(&text).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !carries_hash(line) {
            out.push_str(line);
            continue;
        }
        let mut after_password = false;
        let mut first = true;
        for piece in line.split_inclusive(' ') {
            let word = piece.trim_end_matches(' ');
            if after_password && !word.is_empty() {
                out.push_str(MASK);
                out.push_str(&piece[word.len()..]);
                after_password = false;
                continue;
            }
            after_password = !word.is_empty()
                && (word.eq_ignore_ascii_case("password")
                    || (first && word.eq_ignore_ascii_case("passwd")));
            if !word.is_empty() {
                first = false;
            }
            out.push_str(piece);
        }
    }
    out
}

fn carries_hash(line: &str) -> bool {
    let mut words = line.split_ascii_whitespace();
    match words.next() {
        Some(w) if w.eq_ignore_ascii_case("username") || w.eq_ignore_ascii_case("enable") => line
            .split_ascii_whitespace()
            .any(|w| w.eq_ignore_ascii_case("password")),
        Some(w) if w.eq_ignore_ascii_case("passwd") => true,
        _ => false,
    }
}

/// Each line of `text` (without its `\n`) with its byte offset.
fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split('\n').map(move |line| {
        let start = at;
        at += line.len() + 1;
        (start, line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(line: &str) -> String {
        mask_line(line).into_owned()
    }

    #[test]
    fn hashes_are_masked_for_lower_privileges() {
        let text = "hostname a\nusername admin password $sha512$5000$abc= pbkdf2 privilege 15\n\
                    enable password $sha512$5000$def= pbkdf2\npasswd 2KFQnbNIdI.2KYOU encrypted\n\
                    object network password\n host 10.0.0.1\n"
            .to_owned();
        assert_eq!(
            mask_hashes(text),
            "hostname a\nusername admin password ***** pbkdf2 privilege 15\n\
             enable password ***** pbkdf2\npasswd ***** encrypted\n\
             object network password\n host 10.0.0.1\n"
        );
        let plain = "hostname a\n".to_owned();
        assert_eq!(mask_hashes(plain.clone()), plain);
    }

    #[test]
    fn masks_the_corpus_forms() {
        assert_eq!(m(" key AbCdEf123"), " key *****");
        assert_eq!(
            m("snmp-server host Management 10.1.1.50 community s3cret version 2c"),
            "snmp-server host Management 10.1.1.50 community ***** version 2c"
        );
        assert_eq!(
            m(" ikev1 pre-shared-key Cisco123"),
            " ikev1 pre-shared-key *****"
        );
        assert_eq!(
            m(" ikev2 remote-authentication pre-shared-key Peer-Key"),
            " ikev2 remote-authentication pre-shared-key *****"
        );
    }

    #[test]
    fn masks_the_forms_of_the_same_rule() {
        for (clear, shown) in [
            (
                "snmp-server community public",
                "snmp-server community *****",
            ),
            (
                " ikev2 local-authentication pre-shared-key Mine",
                " ikev2 local-authentication pre-shared-key *****",
            ),
            (
                " ikev2 local-authentication pre-shared-key hex 0a0b0c",
                " ikev2 local-authentication pre-shared-key hex *****",
            ),
            (
                "ntp authentication-key 1 md5 aNiceKey",
                "ntp authentication-key 1 md5 *****",
            ),
            (
                "ntp authentication-key 42 sha256 aSha256Key",
                "ntp authentication-key 42 sha256 *****",
            ),
            ("failover key fo-secret", "failover key *****"),
            ("failover key hex 0123abcd", "failover key hex *****"),
            (
                "failover ipsec pre-shared-key ipsec-secret",
                "failover ipsec pre-shared-key *****",
            ),
            (
                " ospf message-digest-key 1 md5 digest-secret",
                " ospf message-digest-key 1 md5 *****",
            ),
            (
                " ospf authentication-key plain",
                " ospf authentication-key *****",
            ),
            (" ldap-login-password Bind-Pw", " ldap-login-password *****"),
            (
                "aaa-server RAD (inside) host 10.0.0.9 inline-key timeout 5",
                "aaa-server RAD (inside) host 10.0.0.9 ***** timeout 5",
            ),
            (
                "aaa-server RAD host 10.0.0.9 inline-key",
                "aaa-server RAD host 10.0.0.9 *****",
            ),
        ] {
            assert_eq!(m(clear), shown, "{clear}");
        }
    }

    #[test]
    fn keeps_indentation_spacing_and_what_follows_the_secret() {
        assert_eq!(m("  key  two-spaces  "), "  key  *****  ");
        assert_eq!(m("\tkey tabbed"), "\tkey *****");
        assert_eq!(
            m("SNMP-SERVER Community Typed-Upper RO"),
            "SNMP-SERVER Community ***** RO"
        );
    }

    #[test]
    fn lines_without_a_secret_are_unchanged() {
        for line in [
            "hostname key",
            "object network key",
            " description the key is community",
            "key config-key password-encryption",
            "access-list key extended permit ip any any",
            "snmp-server location key room",
            "snmp-server host inside 10.0.0.6",
            "aaa-server RAD protocol radius",
            "aaa-server RAD (inside) host 10.0.0.9",
            "aaa-server RAD (inside) host 10.0.0.9 timeout 5",
            " ikev2 local-authentication pre-shared-key",
            " ikev2 local-authentication certificate cert",
            " ikev1 trust-point tp",
            " ospf cost 10",
            " ospf authentication message-digest",
            "ntp server 10.0.0.1 key 1",
            "ntp authenticate",
            "ntp trusted-key 1",
            "failover lan unit primary",
            "username admin password $sha512$5000$abc pbkdf2 privilege 15",
            "enable password $sha512$5000$abc pbkdf2",
            " key",
            "",
        ] {
            assert_eq!(mask_line(line), Cow::Borrowed(line), "{line:?}");
        }
    }

    #[test]
    fn a_key_masks_under_an_aaa_server_host_only() {
        assert_eq!(
            mask_sub_command("aaa-server R (inside) host 10.0.0.1", " key 20202020"),
            " key *****"
        );
        assert_eq!(
            mask_sub_command("key chain OSPF-KEYS", " key 1"),
            Cow::Borrowed(" key 1")
        );
        let text = "key chain K\n key 1\naaa-server R host 10.0.0.1\n key 2\n";
        assert_eq!(
            mask_config(text.to_owned()),
            "key chain K\n key 1\naaa-server R host 10.0.0.1\n key *****\n"
        );
    }

    #[test]
    fn an_already_masked_line_borrows() {
        let line = " key *****";
        assert!(matches!(mask_line(line), Cow::Borrowed(_)));
    }

    #[test]
    fn a_lone_hex_is_the_secret() {
        assert_eq!(m("failover key hex"), "failover key *****");
        assert_eq!(m("failover key *****"), "failover key *****");
    }

    #[test]
    fn masks_a_whole_configuration_line_by_line() {
        let text = "hostname a\naaa-server R (inside) host 10.0.0.1\n key k1\n timeout 5\nsnmp-server community c1\n";
        assert_eq!(
            mask_config(text.to_owned()),
            "hostname a\naaa-server R (inside) host 10.0.0.1\n key *****\n timeout 5\nsnmp-server community *****\n"
        );
        let plain = "hostname a\n!\n".to_owned();
        let ptr = plain.as_ptr();
        let same = mask_config(plain);
        assert_eq!(same, "hostname a\n!\n");
        assert_eq!(same.as_ptr(), ptr, "an unchanged text is not copied");
    }

    #[test]
    fn a_large_text_masks_on_two_cores_as_on_one() {
        // Secrets on both sides of the middle; a ` key` is a secret under an aaa-server host
        // only, so a sub-command read without its parent would show.
        let (mut text, mut expected) = (String::new(), String::new());
        let mut i = 0;
        while text.len() < 3 * SCAN_SPLIT_ABOVE {
            let host = format!("aaa-server R{i} (inside) host 10.0.{}.1\n", i % 250);
            text.push_str(&host);
            expected.push_str(&host);
            for k in 0..40 {
                text.push_str(&format!(" key k{i}-{k}\n timeout 5\n"));
                expected.push_str(" key *****\n timeout 5\n");
            }
            text.push_str(&format!(
                "snmp-server community c{i}\nkey chain K{i}\n key 1\n"
            ));
            expected.push_str(&format!(
                "snmp-server community *****\nkey chain K{i}\n key 1\n"
            ));
            i += 1;
        }
        let split = top_level_split(&text).expect("a top-level line past the middle");
        assert!(split > text.len() / 2 && !text[split..].starts_with(' '));
        // Compared without printing 3 MB on a failure.
        let masked = masked_copy(&text);
        assert!(
            masked.as_deref() == Some(expected.as_str()),
            "masked on two cores differs at byte {:?}",
            masked.map(|m| m
                .bytes()
                .zip(expected.bytes())
                .take_while(|(a, b)| a == b)
                .count())
        );
        assert!(
            masked_copy(&expected).is_none(),
            "a masked text is not copied again"
        );
    }

    /// `show running-config` of a large text: the text itself when it holds no secret, its
    /// masked form when it does, each copied on two cores (cut at a top-level line).
    #[test]
    fn a_large_text_is_shown_as_masking_it_would() {
        let mut plain = String::new();
        let mut i = 0;
        while plain.len() < 3 * SCAN_SPLIT_ABOVE {
            plain.push_str(&format!(
                "object network o{i}\n host 10.0.{}.{}\n",
                i / 250 % 250,
                i % 250
            ));
            i += 1;
        }
        assert!(top_level_split(&plain).is_some());
        assert!(shown_copy(&plain) == plain);
        // Secrets on both sides of the cut, masks longer and shorter than what they hide.
        let mut secret = String::from("snmp-server community ab\n");
        secret.push_str(&plain);
        secret.push_str("snmp-server community a-much-longer-community\n");
        let shown = shown_copy(&secret);
        let mut expected = String::from("snmp-server community *****\n");
        expected.push_str(&plain);
        expected.push_str("snmp-server community *****\n");
        assert!(shown == expected);
        // The second part as its core writes it (a failed part falls back to one core).
        let (edits, at) = scanned(&secret);
        let at = at.expect("read on two cores");
        let after = &edits[edits.partition_point(|(start, ..)| *start < at)..];
        assert_eq!(after.len(), 1);
        // (The edit before the cut grew the text by three bytes: `ab` became `*****`.)
        let tail = &expected[at + 3..];
        let mut out = vec![0u8; tail.len()];
        assert!(write_edited(&secret[at..], after, at, &mut out));
        assert!(out == tail.as_bytes());
        assert_eq!(shown_copy("hostname a\n"), "hostname a\n");
    }

    const SECRET_WORDS: &[&str] = &[
        "key",
        "ldap-login-password",
        "aaa-server",
        "snmp-server",
        "ikev1",
        "ikev2",
        "ntp",
        "failover",
        "ospf",
    ];

    #[test]
    fn the_fast_path_lets_every_secret_family_through() {
        for w in SECRET_WORDS {
            assert!(may_carry_secret(w), "{w}");
            assert!(may_carry_secret(&w.to_ascii_uppercase()), "{w}");
        }
        for w in ["object", "host", "keys", "ntpx", "description", ""] {
            assert!(!may_carry_secret(w), "{w}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_lines_never_panic(line in any::<String>()) {
            let _ = mask_line(&line);
            let _ = mask_config(line);
        }

        #[test]
        fn masking_is_idempotent(
            indent in prop::sample::select(vec!["", " ", "  ", "\t"]),
            words in prop::collection::vec(
                prop_oneof![
                    prop::sample::select(vec![
                        "key", "hex", "community", "host", "md5", "pre-shared-key",
                        "snmp-server", "ntp", "authentication-key", "failover", "ipsec",
                        "ospf", "message-digest-key", "ikev1", "ikev2", "timeout",
                        "remote-authentication", "local-authentication", "aaa-server",
                        "(inside)", "ldap-login-password", "*****", "1",
                    ]).prop_map(str::to_owned),
                    "[a-zA-Z0-9*()é-]{1,8}",
                ],
                0..8,
            ),
        ) {
            let line = format!("{indent}{}", words.join(" "));
            let once = m(&line);
            prop_assert_eq!(m(&once), once.clone());
            prop_assert_eq!(once.split_ascii_whitespace().count(), line.split_ascii_whitespace().count());
        }

        #[test]
        fn lines_without_a_secret_keyword_are_unchanged(
            indent in prop::sample::select(vec!["", " "]),
            words in prop::collection::vec("[a-z0-9.()-]{1,10}", 0..8),
        ) {
            prop_assume!(!words.iter().any(|w| SECRET_WORDS.contains(&w.as_str())));
            let line = format!("{indent}{}", words.join(" "));
            prop_assert_eq!(mask_line(&line), Cow::Borrowed(line.as_str()));
        }
    }
}
