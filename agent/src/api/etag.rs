//! Strong entity tags of configuration items and the `If-Match` precondition on writes.
//!
//! An item's ETag is derived from its canonical configuration, the CLI lines that create it as
//! the snapshot holds it: the same configuration gives the same tag whichever path wrote it
//! (the API, the console, `/api/cli`), and any change to the item gives another one.

use std::fmt;

use cli_translator::resources::{LineSink, Resource};
use sha2::{Digest, Sha256};

/// The strong ETag of an item whose canonical configuration is `lines`: `"` + the lowercase
/// hex of the first 16 bytes of SHA-256 of the lines joined by `\n` + `"` (34 characters,
/// quotes included, as a header carries it).
///
/// ```
/// # use agent::api::etag::etag_of;
/// let tag = etag_of(&["object network web".to_owned(), " host 10.0.0.10".to_owned()]);
/// assert_eq!(tag.len(), 34);
/// assert!(tag.starts_with('"') && tag.ends_with('"'));
/// ```
pub fn etag_of(lines: &[String]) -> String {
    let mut hasher = Sha256::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            hasher.update(b"\n");
        }
        hasher.update(line.as_bytes());
    }
    tag_of(hasher)
}

/// The ETag of `item`: [`etag_of`] its `cli_create` lines, hashed as
/// [`Resource::write_create`] formats them, without collecting them first.
pub fn etag_of_item<R: Resource>(item: &R) -> String {
    let mut sink = HashSink {
        hasher: Sha256::new(),
        first: true,
    };
    item.write_create(&mut sink);
    tag_of(sink.hasher)
}

/// Feeds lines to the digest as [`etag_of`] joins them.
struct HashSink {
    hasher: Sha256,
    first: bool,
}

impl LineSink for HashSink {
    fn line(&mut self, line: fmt::Arguments<'_>) {
        if !std::mem::take(&mut self.first) {
            self.hasher.update(b"\n");
        }
        match line.as_str() {
            Some(text) => self.hasher.update(text.as_bytes()),
            // Writing into a digest cannot fail.
            None => {
                let _ = fmt::Write::write_fmt(self, line);
            }
        }
    }
}

impl fmt::Write for HashSink {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.hasher.update(s.as_bytes());
        Ok(())
    }
}

/// The quoted hex of the first 16 bytes of the digest.
fn tag_of(hasher: Sha256) -> String {
    let digest = hasher.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(34);
    out.push('"');
    for b in digest.iter().take(16) {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out.push('"');
    out
}

/// Whether an `If-Match` header value lets a write go ahead on an item whose current ETag is
/// `current` (RFC 9110 §13.1.1): `*` matches any existing item; otherwise one of the
/// comma-separated tags must equal it under the strong comparison (a weak tag `W/"..."`
/// never matches).
pub fn if_match_allows(header: &str, current: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == current)
}

/// Whether an `If-None-Match` header value names `current` (or is `*`): a `GET` then answers
/// 304. Weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored.
pub fn if_none_match_hits(header: &str, current: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(ls: &[&str]) -> Vec<String> {
        ls.iter().map(|l| (*l).to_owned()).collect()
    }

    #[test]
    fn is_a_quoted_hex_digest_of_the_lines_joined_by_newlines() {
        // printf 'a\nb' | sha256sum | cut -c1-32
        assert_eq!(
            etag_of(&lines(&["a", "b"])),
            "\"7e18f737311b2dc3b2f269dd78396b03\""
        );
        // printf 'object network web\n host 10.0.0.10' | sha256sum | cut -c1-32
        assert_eq!(
            etag_of(&lines(&["object network web", " host 10.0.0.10"])),
            "\"9bb953c78cc56457437c6f2c284f929f\""
        );
    }

    #[test]
    fn the_same_configuration_gives_the_same_tag_and_any_change_another() {
        let a = etag_of(&lines(&["object network web", " host 10.0.0.10"]));
        assert_eq!(
            a,
            etag_of(&lines(&["object network web", " host 10.0.0.10"]))
        );
        assert_ne!(
            a,
            etag_of(&lines(&["object network web", " host 10.0.0.11"]))
        );
        // Line boundaries count: two lines are not their concatenation.
        assert_ne!(etag_of(&lines(&["ab", "c"])), etag_of(&lines(&["a", "bc"])));
        assert_ne!(etag_of(&lines(&["abc"])), etag_of(&lines(&["ab", "c"])));
    }

    #[test]
    fn an_items_tag_is_the_tag_of_its_create_lines_whether_streamed_or_collected() {
        let cfg = cli_translator::running::RunningConfig::parse(
            "object network h\n host 10.0.0.1\n\
             object network s\n subnet 192.168.100.0 255.255.255.0\n description a b\n\
             object network r\n range 10.1.1.1 10.1.1.200\n\
             object network f\n fqdn v4 www.example.com\n\
             object network six\n subnet 2001:db8::/32\n\
             object network bare\n description only words\n\
             object service web\n service tcp destination eq 443\n description w\n",
        );
        let objects: Vec<_> = cfg.network_objects.iter().collect();
        let names: Vec<_> = objects.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["h", "s", "r", "f", "six", "bare"]);
        for item in objects {
            // NetworkObject streams its lines (its own `write_create`).
            assert_eq!(etag_of_item(item), etag_of(&item.cli_create()), "{item:?}");
        }
        let service = cfg.service_objects.get("web").expect("parsed");
        // ServiceObject goes through the default `write_create` (its `cli_create` lines).
        assert_eq!(etag_of_item(service), etag_of(&service.cli_create()));
        assert_eq!(
            etag_of_item(cfg.network_objects.get("h").expect("parsed")),
            etag_of(&lines(&["object network h", " host 10.0.0.1"]))
        );
    }

    #[test]
    fn if_match_takes_star_lists_and_strong_tags_only() {
        let t = "\"0123\"";
        assert!(if_match_allows("*", t));
        assert!(if_match_allows("\"0123\"", t));
        assert!(if_match_allows("\"x\", \"0123\"", t));
        assert!(!if_match_allows("\"x\"", t));
        assert!(!if_match_allows("W/\"0123\"", t));
        assert!(!if_match_allows("", t));
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let t = "\"0123\"";
        assert!(if_none_match_hits("W/\"0123\"", t));
        assert!(if_none_match_hits("\"a\",\"0123\"", t));
        assert!(if_none_match_hits("*", t));
        assert!(!if_none_match_hits("\"a\"", t));
    }
}
