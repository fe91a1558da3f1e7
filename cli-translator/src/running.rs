//! The agent's parsed snapshot of `show running-config`: hostname and resource collections.
//!
//! Reading never fails: lines this crate does not model are skipped, and a resource block
//! whose lines do not all parse is kept with what did. Blocks are dispatched on their header
//! text before any grammar work, so a 20,000-object configuration reads in milliseconds.

use crate::ast::Command;
use crate::parse::parse_command;
use crate::resources::{
    Resource, network_object::NetworkObject, network_object_group::NetworkObjectGroup,
};
use crate::tree::is_separator;

pub use crate::resources::RunningConfig;

// issue 13: streamed output
/// Reads a configuration in pieces as they arrive (LINA streams a large `show running-config`),
/// giving what [`RunningConfig::parse`] gives for the whole text. Each piece's complete blocks
/// are read in place; only the block a piece leaves open is copied, to be finished by the next.
#[derive(Debug)]
pub struct Parser {
    cfg: RunningConfig,
    state: ReadState,
    // issue 13: boot
    /// What this parser reads of each block.
    part: Part,
    /// The beginning of a block the pieces so far left open.
    carry: String,
}

impl Default for Parser {
    fn default() -> Parser {
        Parser::new()
    }
}

impl Parser {
    pub fn new() -> Parser {
        let mut cfg = RunningConfig::default();
        cfg.begin_load();
        crate::resources::service_object::add_predefined(&mut cfg.service_objects);
        Parser {
            cfg,
            state: ReadState::default(),
            part: Part::Whole,
            carry: String::new(),
        }
    }

    // issue 13: boot
    /// Two parsers that read the same pieces, on two threads, each filling its part of the
    /// configuration: the network objects and their groups (about half the work of a large
    /// configuration), and everything else. [`Parser::join`] puts the parts together; the
    /// result is what one [`Parser`] gives.
    pub fn split() -> [Parser; 2] {
        [Part::Objects, Part::Rest].map(|part| Parser {
            part,
            ..Parser::new()
        })
    }

    /// Finishes the two parsers of [`Parser::split`] (in either order; each must have read
    /// every piece) into one configuration.
    pub fn join(parsers: [Parser; 2]) -> RunningConfig {
        let [a, b] = parsers.map(|mut p| {
            let carried = std::mem::take(&mut p.carry);
            p.cfg.absorb_text(&carried, &mut p.state, p.part);
            p
        });
        let (objects, mut cfg) = match a.part {
            Part::Objects => (a.cfg, b.cfg),
            _ => (b.cfg, a.cfg),
        };
        cfg.network_objects = objects.network_objects;
        cfg.network_object_groups = objects.network_object_groups;
        cfg.settle();
        cfg
    }

    /// Ends this parser's read of a split read's pieces and builds its collections' indexes
    /// (issue 13: boot: each thread builds its own as soon as it has read every piece, the
    /// network objects' on theirs, rather than both after the join). [`Parser::join`] then
    /// has nothing of it left to read or build.
    pub fn seal(&mut self) {
        let carried = std::mem::take(&mut self.carry);
        self.cfg.absorb_text(&carried, &mut self.state, self.part);
        self.cfg.seal_indexes();
    }

    /// Reads the next piece of the text (pieces may be cut anywhere between characters).
    pub fn feed(&mut self, piece: &str) {
        let mut rest = piece;
        if !self.carry.is_empty() {
            // The open block goes on up to the first top-level line of the piece.
            match top_level_start(rest, self.carry.ends_with('\n')) {
                Some(at) => {
                    self.carry.push_str(&rest[..at]);
                    rest = &rest[at..];
                    let carried = std::mem::take(&mut self.carry);
                    self.cfg.absorb_text(&carried, &mut self.state, self.part);
                    // Keep the allocation for the next open block.
                    self.carry = carried;
                    self.carry.clear();
                }
                None => {
                    self.carry.push_str(rest);
                    return;
                }
            }
        }
        // The last top-level line may still get children from the next piece.
        let last = last_top_level_start(rest);
        let (whole, open) = rest.split_at(last);
        if !whole.is_empty() {
            self.cfg.absorb_text(whole, &mut self.state, self.part);
        }
        self.carry.push_str(open);
    }

    /// Reads the block left open and settles what is derived from the whole configuration.
    pub fn finish(mut self) -> RunningConfig {
        let carried = std::mem::take(&mut self.carry);
        self.cfg.absorb_text(&carried, &mut self.state, self.part);
        self.cfg.settle();
        self.cfg
    }
}

/// What reading one configuration remembers from block to block.
#[derive(Debug, Default)]
struct ReadState {
    /// Where each object's NAT rule is in `nat.auto` (issue 13: boot).
    object_nat: std::collections::HashMap<String, usize>,
}

/// Where the first line of `text` that begins a top-level block starts (a line that starts
/// with neither white space nor a newline); `text` begins a line when `at_line_start`, else
/// its text up to the first newline ends a line begun before.
fn top_level_start(text: &str, at_line_start: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = if at_line_start {
        0
    } else {
        bytes.iter().position(|&b| b == b'\n')? + 1
    };
    loop {
        let b = *bytes.get(i)?;
        if !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            return Some(i);
        }
        i += bytes.get(i..)?.iter().position(|&b| b == b'\n')? + 1;
    }
}

/// Where the last top-level line of `text` starts; 0 when none follows a newline.
fn last_top_level_start(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while let Some(newline) = bytes[..end].iter().rposition(|&b| b == b'\n') {
        if bytes
            .get(newline + 1)
            .is_some_and(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            return newline + 1;
        }
        end = newline;
    }
    0
}

impl RunningConfig {
    /// Reads a configuration (`show running-config` text).
    ///
    /// Blocks are cut as [`crate::tree::parse_tree`] cuts them (a line without indentation
    /// opens a block, indented lines below it are its children, `!` owns nothing), but over
    /// borrowed lines: no allocation per line.
    pub fn parse(text: &str) -> RunningConfig {
        let mut cfg = RunningConfig::default();
        cfg.begin_load();
        crate::resources::service_object::add_predefined(&mut cfg.service_objects);
        cfg.absorb_text(text, &mut ReadState::default(), Part::Whole);
        cfg.settle();
        cfg
    }

    /// Absorbs every block of `text`, which must begin at a top-level line (or be the start of
    /// the configuration) and end with a whole block.
    fn absorb_text(&mut self, text: &str, state: &mut ReadState, part: Part) {
        let mut children: Vec<&str> = Vec::new();
        let mut header: Option<&str> = None;
        for raw in text.lines() {
            let line = raw.trim_end();
            let content = line.trim_start();
            if content.is_empty() {
                continue;
            }
            if content.len() != line.len() && header.is_some_and(|h| !is_separator(h)) {
                children.push(content);
                continue;
            }
            if let Some(h) = header.take() {
                self.absorb_node(h, &children, state, part);
            }
            children.clear();
            header = Some(content);
        }
        if let Some(h) = header {
            self.absorb_node(h, &children, state, part);
        }
    }

    /// What is derived once every block is in; then the persistent indexes are built.
    fn settle(&mut self) {
        crate::resources::service_group::settle_refs(self);
        // issue 14: NTP keys onto their servers
        crate::resources::ntp::settle_keys(self);
        crate::resources::user_object::derive(self);
        // issue 13: memory
        self.seal_indexes();
    }

    /// Reads one block into the fields `part` owns (issue 13: boot: the objects' part of a
    /// split read takes only `object network` and `object-group network` blocks, and only into
    /// the network objects and their groups).
    fn absorb_node(&mut self, text: &str, children: &[&str], state: &mut ReadState, part: Part) {
        if part == Part::Objects {
            // The part's two resources, asked directly (`absorb_block_of` compares each block
            // with every resource's header: a seventh of this thread's time at 100 MB).
            if let Some(rest) = text.strip_prefix(NetworkObject::CLI_HEADER) {
                NetworkObject::absorb_block(&mut self.network_objects, rest, children);
            } else if let Some(rest) = text.strip_prefix(NetworkObjectGroup::CLI_HEADER) {
                NetworkObjectGroup::absorb_block(&mut self.network_object_groups, rest, children);
            } else if !self.network_objects.is_empty() {
                // The objects print together: their index is built once another block
                // follows them, while this thread only skims the rest of the text (built at
                // the seal, it was the read's last 0.25 s at 100 MB). An object read later (an
                // object NAT block re-opens one; a text out of print order) goes into it as an
                // edit does. (Sealed before the first object, each one went into the tree.)
                self.network_objects.seal();
            }
            return;
        }
        // An object's NAT rule, whatever the part. Of an object's or a network group's block
        // the other part reads nothing else (the objects' part reads the rest): the readers
        // below are not asked (each compares the block with its prefixes, the last with every
        // resource's header); a whole read goes on to the objects' reader.
        if let Some(name) = text.strip_prefix(NetworkObject::CLI_HEADER) {
            if children.iter().any(|c| c.starts_with("nat ")) {
                self.nat
                    .absorb_object_indexed(name.trim(), children, &mut state.object_nat);
            }
            if part == Part::Rest {
                return;
            }
        }
        if part == Part::Rest && text.starts_with(NetworkObjectGroup::CLI_HEADER) {
            return;
        }
        if text.starts_with("hostname ") {
            if let Ok(Command::Hostname(name)) = parse_command(text) {
                self.hostname = Some(name);
            }
            return;
        }
        if text.starts_with("access-list ") || text.starts_with("access-group ") {
            self.access.absorb_line(text);
            return;
        }
        if crate::resources::setting::absorb_line(self, text, children) {
            return;
        }
        if text.starts_with("nat ") {
            self.nat.absorb_line(text);
            return;
        }
        if let Some(hw) = text.strip_prefix("interface ") {
            self.access.absorb_interface(hw.trim(), children);
            self.interfaces.absorb_block(hw, children);
            // issue 14: interface-specific DHCP relay servers
            self.settings.dhcp.absorb_interface(children);
        }
        if text.starts_with("mtu ") {
            self.interfaces.absorb_mtu(text);
            return;
        }
        if text.starts_with("same-security-traffic ") {
            self.interfaces.absorb_setup(text);
            return;
        }
        if text.starts_with("ipv6 enforce-eui64 ") {
            self.interfaces.absorb_enforce_eui64(text);
            return;
        }
        self.absorb_block_of(text, children, part);
    }
}

// issue 13: boot
/// What a parser reads of each block: everything, or one of the two parts of a split read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Whole,
    /// The network objects and the network object groups (no block of either is read into
    /// any other part of the snapshot; issue 13: boot: the groups were a quarter of the
    /// other part, which took 0.25 s longer than this one at 100 MB).
    Objects,
    /// Everything else.
    Rest,
}

impl Part {
    /// Whether this part reads the table resource `kind`.
    pub(crate) fn reads(self, kind: crate::resources::ResourceKind) -> bool {
        use crate::resources::ResourceKind;
        let objects = matches!(
            kind,
            ResourceKind::NetworkObject | ResourceKind::NetworkObjectGroup
        );
        match self {
            Part::Whole => true,
            Part::Objects => objects,
            Part::Rest => !objects,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::NetworkAddress;
    use crate::resources::network_object::NetworkObject;

    const CONFIG: &str = "\
: Saved
:
ASA Version 9.12(4)
!
hostname edge-fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
!
object network web
 host 10.0.0.1
 description front end
object network lan
 subnet 10.1.0.0 255.255.0.0
object network broken
 host 10.0.0.300
object network empty
object-group network grp
 network-object object web
access-list out extended permit tcp any object web eq https
!
object network web
 nat (inside,outside) static 192.0.2.10
object network natonly
 nat (inside,outside) dynamic interface
: end
";

    #[test]
    fn reads_hostname_and_network_objects_in_order() {
        let cfg = RunningConfig::parse(CONFIG);
        assert_eq!(cfg.hostname.as_deref(), Some("edge-fw"));
        let names: Vec<&str> = cfg
            .network_objects
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        assert_eq!(names, ["web", "lan", "broken"]);
        assert_eq!(
            cfg.network_objects.get("web"),
            Some(&NetworkObject {
                name: "web".into(),
                address: Some(NetworkAddress::Host("10.0.0.1".parse().unwrap())),
                description: Some("front end".into()),
            })
        );
        assert_eq!(
            cfg.network_objects
                .get("broken")
                .map(|o| o.address.is_none()),
            Some(true)
        );
    }

    #[test]
    fn reads_crlf_text_and_a_block_on_the_first_line() {
        let cfg = RunningConfig::parse("object network a\r\n host 10.0.0.1\r\nhostname h\r\n");
        assert_eq!(cfg.hostname.as_deref(), Some("h"));
        assert_eq!(
            cfg.network_objects.get("a").and_then(|o| o.address.clone()),
            Some(NetworkAddress::Host("10.0.0.1".parse().unwrap()))
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(s in "(object network |hostname | host |\\PC{0,20}|\n| subnet ){0,30}") {
            let _ = RunningConfig::parse(&s);
        }
    }

    #[test]
    fn empty_and_foreign_text_read_as_empty() {
        let mut empty = RunningConfig::default();
        crate::resources::service_object::add_predefined(&mut empty.service_objects);
        assert_eq!(RunningConfig::parse(""), empty);
        let cfg = RunningConfig::parse("garbage\n\u{0}\n  indented\nobject network\n");
        assert!(cfg.network_objects.is_empty());
        assert_eq!(cfg.hostname, None);
    }

    // issue 13: streamed output
    /// Feeds `text` to a [`Parser`] in pieces of `size` bytes (moved to character boundaries).
    fn parse_in_pieces(text: &str, size: usize) -> RunningConfig {
        let mut parser = Parser::new();
        for piece in pieces(text, size) {
            parser.feed(piece);
        }
        parser.finish()
    }

    /// `text` in pieces of `size` bytes, each end moved to a character boundary.
    fn pieces(text: &str, size: usize) -> impl Iterator<Item = &str> {
        let mut rest = text;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let mut end = size.min(rest.len());
            while !rest.is_char_boundary(end) {
                end += 1;
            }
            let (piece, tail) = rest.split_at(end);
            rest = tail;
            Some(piece)
        })
    }

    #[test]
    fn pieces_cut_anywhere_read_as_the_whole_text() {
        let whole = RunningConfig::parse(CONFIG);
        for size in 1..=CONFIG.len() {
            assert_eq!(parse_in_pieces(CONFIG, size), whole, "pieces of {size}");
        }
        // Blocks cut after their newline, at a separator, at the text's end.
        let text = "object network a\n host 10.0.0.1\n!\n indented\nhostname h\n";
        for size in 1..=text.len() {
            assert_eq!(parse_in_pieces(text, size), RunningConfig::parse(text));
        }
    }

    // issue 13: boot
    /// Feeds `text` in pieces of `size` bytes to both parsers of a split read, then joins them,
    /// each sealed first as the agent's threads do, and not sealed: both must read the same.
    fn parse_split(text: &str, size: usize) -> RunningConfig {
        let read = |seal: bool| {
            let mut parsers = Parser::split();
            for piece in pieces(text, size) {
                for parser in &mut parsers {
                    parser.feed(piece);
                }
            }
            if seal {
                for parser in &mut parsers {
                    parser.seal();
                }
            }
            Parser::join(parsers)
        };
        let sealed = read(true);
        assert_eq!(sealed, read(false), "sealed before the join or not");
        sealed
    }

    /// Every part of the snapshot a split read fills, on a text naming them all.
    const SPLIT_CONFIG: &str = "\
hostname edge-fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 192.0.2.1 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
!
object network web
 host 10.0.0.1
object network lan
 subnet 10.1.0.0 255.255.0.0
object service s1
 service tcp destination eq 8080
object-group service sg
 service-object object s1
object-group network grp
 network-object object web
access-list out extended permit tcp any object web eq https
access-list out remark trailing
access-group out in interface outside
mtu outside 1500
same-security-traffic permit inter-interface
route outside 0.0.0.0 0.0.0.0 192.0.2.254 1
http 10.0.0.0 255.0.0.0 inside
nat (inside,outside) source static web web
object network web
 nat (inside,outside) static 192.0.2.10
object network lan
 description re-opened
username admin password x privilege 15
: end
";

    #[test]
    fn a_split_read_gives_what_one_parser_gives() {
        let whole = RunningConfig::parse(SPLIT_CONFIG);
        assert!(whole.access.get("out").is_some());
        assert_eq!(whole.static_routes.len(), 1);
        assert_eq!((whole.nat.before.len(), whole.nat.auto.len()), (1, 1));
        assert_eq!(
            whole
                .network_objects
                .get("lan")
                .and_then(|o| o.description.as_deref()),
            Some("re-opened")
        );
        for size in [1, 7, 64, SPLIT_CONFIG.len()] {
            assert_eq!(parse_split(SPLIT_CONFIG, size), whole, "pieces of {size}");
        }
        assert_eq!(parse_split(CONFIG, 16), RunningConfig::parse(CONFIG));
        // The parsers may be joined in either order.
        let [a, b] = Parser::split();
        let mut parsers = [b, a];
        for parser in &mut parsers {
            parser.feed(SPLIT_CONFIG);
        }
        assert_eq!(Parser::join(parsers), whole);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_read_split_reads_as_a_whole(
            s in "(object network a|object network b|object-group network g| network-object object a| network-object host 10.0.0.2|interface G0/0| nameif inside|access-list x extended permit ip any any|route inside 10.0.0.0 255.0.0.0 10.1.1.1 1| nat \\(inside,outside\\) dynamic interface|hostname h| host 10.0.0.1|!| |\n|\\PC{0,5})*",
            size in 1usize..40,
        ) {
            proptest::prop_assert_eq!(parse_split(&s, size), RunningConfig::parse(&s));
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_in_pieces_reads_as_a_whole(
            s in "(object network a|object network b|hostname h| host 10.0.0.1| subnet 10.0.0.0 255.0.0.0|!| |\r|\n|\\PC{0,5})*",
            size in 1usize..40,
        ) {
            proptest::prop_assert_eq!(parse_in_pieces(&s, size), RunningConfig::parse(&s));
        }
    }
}
