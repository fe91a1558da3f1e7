//! Semantics of `object-group network|service|protocol|icmp-type` and `object service` blocks:
//! member lines are checked with the translator's grammar and stored in the ASA's canonical
//! form, references must name existing objects and groups, `no <member>` removes the member,
//! and the `description` / `service` lines hold one value each.
//!
//! The blocks themselves are created, listed and deleted by the generic block code in
//! `apply.rs` (which also refuses to delete a group or object still in use).

use cli_translator::resources::network_object_group::{self, NetworkMember};
use cli_translator::resources::service_group::{self, ServiceMember};
use cli_translator::resources::service_spec::{ServiceSpec, TcpUdp};
use cli_translator::validate::check_object_name;
use cli_translator::words::WordError;
use cli_translator::words::Words;

use super::apply::{Applier, Step, strip_words};
use super::config::{BlockId, Entry, Key};
use super::error::CliError;
use super::refs::Namespace;
use super::sections::starts_with_words;

/// The kind of block a sub-command edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    NetworkGroup,
    ServiceGroup(Option<TcpUdp>),
    ServiceObject,
    /// `object-group protocol` (`protocol-object <protocol>`)
    ProtocolGroup,
    /// `object-group icmp-type` (`icmp-object <type>`)
    IcmpGroup,
}

/// The family of a block head, when it is one of these.
pub fn family_of(head: &str) -> Option<Family> {
    // Asked for every member line read at boot: the words are read without collecting them.
    let mut words = cli_translator::words::split_words(head);
    let (first, kind) = (words.next()?, words.next()?);
    words.next()?;
    let (fourth, more) = (words.next(), words.next().is_some());
    match (first, kind, fourth) {
        _ if more => None,
        ("object-group", "network", None) => Some(Family::NetworkGroup),
        ("object-group", "service", None) => Some(Family::ServiceGroup(None)),
        ("object-group", "service", Some(p)) => {
            TcpUdp::from_word(p).map(|p| Family::ServiceGroup(Some(p)))
        }
        ("object", "service", None) => Some(Family::ServiceObject),
        ("object-group", "protocol", None) => Some(Family::ProtocolGroup),
        ("object-group", "icmp-type", None) => Some(Family::IcmpGroup),
        _ => None,
    }
}

/// The name an `object network|service <name>` head defines.
pub fn object_name(head: &str) -> Option<&str> {
    // Called for every block when a name is defined: fail fast without splitting.
    if !head.starts_with("object") && !head.starts_with(char::is_whitespace) {
        return None;
    }
    match head.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["object", "network" | "service", name] => Some(name),
        _ => None,
    }
}

/// The name an `object-group <type> <name> ...` head defines.
pub fn group_name(head: &str) -> Option<&str> {
    if !head.starts_with("object-group") && !head.starts_with(char::is_whitespace) {
        return None;
    }
    match head.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["object-group", _, name, ..] => Some(name),
        _ => None,
    }
}

/// Whether an unindented `line` typed inside the block `head` is its sub-command although
/// its first word is also a top-level keyword (`service` in `object service`).
pub fn claims_unindented(head: &str, line: &str) -> bool {
    family_of(head) == Some(Family::ServiceObject)
        && super::modes::key_word(line).eq_ignore_ascii_case("service")
}

/// The CLI error of a member line that does not read; `part` is the end of `line` that was
/// read (error offsets count from its start).
fn line_error(line: &str, part: &str, e: WordError) -> CliError {
    match e {
        WordError::Invalid { offset, .. } => {
            CliError::invalid(line, line.len().saturating_sub(part.len()) + offset)
        }
        WordError::MaskMismatch { address, mask } => {
            CliError::AddressMaskMismatch { address, mask }
        }
        WordError::Incomplete | WordError::Foreign | WordError::NotModelled => CliError::Incomplete,
    }
}

/// One member of either kind of group.
#[derive(Debug, PartialEq)]
enum Member {
    Network(NetworkMember),
    Service(ServiceMember),
    /// A `protocol-object` or `icmp-object` line, canonical.
    Item(String),
    /// `group-object` in a protocol or ICMP-type group.
    Group(String),
}

/// Reads a member line of a protocol (`icmp` false) or ICMP-type group.
fn simple_member(line: &str, icmp: bool) -> Result<Member, WordError> {
    let mut w = Words::new(line);
    if w.eat("group-object") {
        let name = w.parse(|s| check_object_name(s).ok().map(|()| s.to_owned()))?;
        w.end()?;
        return Ok(Member::Group(name));
    }
    let keyword = if icmp {
        "icmp-object"
    } else {
        "protocol-object"
    };
    if !w.eat(keyword) {
        return Err(w.bad_next());
    }
    let at = w.index();
    let (_, word) = w.next_word()?;
    w.end()?;
    let invalid = w.invalid_at(at);
    if icmp {
        return match ServiceSpec::parse_cli(&format!("icmp {word}")) {
            Ok(ServiceSpec::Icmp {
                icmp_type: Some(t),
                code: None,
                ..
            }) => Ok(Member::Item(format!("icmp-object {t}"))),
            _ => Err(invalid),
        };
    }
    match ServiceSpec::parse_cli(word) {
        Ok(
            spec @ (ServiceSpec::TcpUdp {
                protocol: TcpUdp::Tcp | TcpUdp::Udp,
                source: None,
                destination: None,
            }
            | ServiceSpec::Icmp {
                icmp_type: None, ..
            }
            | ServiceSpec::Protocol(_)),
        ) => Ok(Member::Item(format!("protocol-object {spec}"))),
        _ => Err(invalid),
    }
}

/// Whether `line` reads as a sub-command of a block of `family` ([`family_of`] its head).
/// Syntax only: references are not looked up, so a loaded configuration may name an object
/// defined further down.
pub fn check_member(family: Family, line: &str) -> Result<(), CliError> {
    if line.starts_with('!') {
        return Ok(());
    }
    let body = match strip_words(line, "no") {
        Some(rest) if !rest.is_empty() => rest,
        Some(_) => return Err(CliError::Incomplete),
        None => line,
    };
    if starts_with_words(body, "description") {
        return Ok(());
    }
    match family {
        Family::ServiceObject => {
            let Some(text) = strip_words(body, "service") else {
                return Err(CliError::invalid(line, line.len() - body.len()));
            };
            ServiceSpec::parse_cli(text)
                .map(|_| ())
                .map_err(|e| line_error(line, text, e))
        }
        Family::NetworkGroup => network_object_group::parse_member(body)
            .map(|_| ())
            .map_err(|e| line_error(line, body, e)),
        Family::ServiceGroup(protocol) => service_group::parse_member(body, protocol)
            .map(|_| ())
            .map_err(|e| line_error(line, body, e)),
        Family::ProtocolGroup | Family::IcmpGroup => {
            simple_member(body, family == Family::IcmpGroup)
                .map(|_| ())
                .map_err(|e| line_error(line, body, e))
        }
    }
}

impl Applier<'_> {
    /// A sub-command typed in one of these blocks (`line` trimmed).
    pub fn object_group_sub(
        &mut self,
        block: BlockId,
        family: Family,
        line: &str,
    ) -> Result<Step, CliError> {
        let (negated, body) = match strip_words(line, "no") {
            Some(rest) if !rest.is_empty() => (true, rest),
            Some(_) => return Err(CliError::Incomplete),
            None => (false, line),
        };
        let offset = line.len() - body.len();
        if starts_with_words(body, "description") {
            return self.group_description(block, family, negated, line, body);
        }
        match family {
            Family::ServiceObject => {
                let Some(text) = strip_words(body, "service") else {
                    return Err(CliError::invalid(line, offset));
                };
                let spec = ServiceSpec::parse_cli(text).map_err(|e| line_error(line, text, e))?;
                self.set_service(block, negated, &spec);
                Ok(Step::Done(None))
            }
            Family::NetworkGroup => {
                let m = network_object_group::parse_member(body)
                    .map_err(|e| line_error(line, body, e))?;
                self.group_member(block, negated, Member::Network(m), line)
            }
            Family::ServiceGroup(protocol) => {
                let m = service_group::parse_member(body, protocol)
                    .map_err(|e| line_error(line, body, e))?;
                self.group_member(block, negated, Member::Service(m), line)
            }
            Family::ProtocolGroup | Family::IcmpGroup => {
                let m = simple_member(body, family == Family::IcmpGroup)
                    .map_err(|e| line_error(line, body, e))?;
                self.group_member(block, negated, m, line)
            }
        }
    }

    fn group_description(
        &mut self,
        block: BlockId,
        family: Family,
        negated: bool,
        line: &str,
        body: &str,
    ) -> Result<Step, CliError> {
        let text = strip_words(body, "description").unwrap_or_default();
        if !negated && text.is_empty() {
            return Err(CliError::Incomplete);
        }
        if text.chars().count() > cli_translator::validate::MAX_DESCRIPTION {
            return Err(CliError::invalid(line, line.len() - text.len()));
        }
        let entry = Entry::verbatim(format!("description {text}"));
        self.cfg.update(block, |b| {
            b.children
                .retain(|c| !starts_with_words(&c.text, "description"));
            if negated {
                return;
            }
            // Groups print their description first, service objects after the service.
            let at = match family {
                Family::ServiceObject => b
                    .children
                    .iter()
                    .position(|c| !starts_with_words(&c.text, "service"))
                    .unwrap_or(b.children.len()),
                _ => 0,
            };
            b.children.insert(at, entry);
        });
        Ok(Step::Done(None))
    }

    /// `service <spec>` replaces the object's service; `no service ...` removes it.
    fn set_service(&mut self, block: BlockId, negated: bool, spec: &ServiceSpec) {
        let entry = Entry::verbatim(format!("service {spec}"));
        self.cfg.update(block, |b| {
            b.children
                .retain(|c| !starts_with_words(&c.text, "service"));
            if !negated {
                b.children.insert(0, entry);
            }
        });
    }

    fn group_member(
        &mut self,
        block: BlockId,
        negated: bool,
        member: Member,
        line: &str,
    ) -> Result<Step, CliError> {
        let Some(b) = self.cfg.block(block) else {
            return Err(CliError::invalid(line, 0));
        };
        let head = b.head().text.to_string();
        let family = family_of(&head);
        let protocol = match family {
            Some(Family::ServiceGroup(p)) => p,
            _ => None,
        };
        let icmp = family == Some(Family::IcmpGroup);
        let own_name = head
            .split_whitespace()
            .nth(2)
            .unwrap_or_default()
            .to_owned();
        let text = match &member {
            Member::Network(m) => m.to_string(),
            Member::Service(m) => m.line(protocol),
            Member::Item(t) => t.clone(),
            Member::Group(n) => format!("group-object {n}"),
        };
        let existing = if negated {
            // Removal reads every line (a loaded line may be spelled another way).
            b.children().position(|c| {
                let parsed = match &member {
                    Member::Network(_) => network_object_group::parse_member(c.text)
                        .ok()
                        .map(Member::Network),
                    Member::Service(_) => service_group::parse_member(c.text, protocol)
                        .ok()
                        .map(Member::Service),
                    Member::Item(_) | Member::Group(_) => simple_member(c.text, icmp).ok(),
                };
                parsed.as_ref() == Some(&member)
            })
        } else {
            // Adding compares the canonical text only: groups of many thousand members grow
            // one line at a time.
            self.cfg.has_child_text(block, &text).then_some(0)
        };
        if negated {
            if let Some(i) = existing {
                self.cfg.update(block, |b| {
                    b.children.remove(i);
                });
            }
            return Ok(Step::Done(None));
        }
        if existing.is_some() {
            return Ok(Step::Done(None));
        }
        let missing = match &member {
            Member::Network(NetworkMember::Object(n)) => self
                .cfg
                .lookup(&Key::Object(n.to_string()))
                .is_none()
                .then(|| n.clone()),
            Member::Network(NetworkMember::Group(n)) => {
                self.check_nesting("object-group network", n, &own_name)?;
                None
            }
            Member::Service(ServiceMember::Object(n, _)) => {
                (!self.head_exists(&format!("object service {n}"))).then(|| n.clone())
            }
            Member::Service(ServiceMember::Group(n)) => {
                self.check_nesting("object-group service", n, &own_name)?;
                None
            }
            Member::Group(n) => {
                let header = if icmp {
                    "object-group icmp-type"
                } else {
                    "object-group protocol"
                };
                self.check_nesting(header, n, &own_name)?;
                None
            }
            _ => None,
        };
        if let Some(name) = missing {
            return Err(CliError::NoSuchObject(name.to_string()));
        }
        self.cfg.push_child(block, Entry::verbatim(text));
        Ok(Step::Done(None))
    }

    /// Refuses nesting group `name` (of the family opened by `header`) in group `own` when
    /// `name` does not exist or the nesting makes a loop.
    fn check_nesting(&self, header: &str, name: &str, own: &str) -> Result<(), CliError> {
        let children = |g: &str| -> Vec<String> {
            let head = format!("{header} {g}");
            self.cfg
                .iter()
                .find(|(_, b)| starts_with_words(b.head().text, &head))
                .map(|(_, b)| {
                    b.children()
                        .filter_map(|c| c.text.strip_prefix("group-object "))
                        .map(|n| n.trim().to_owned())
                        .collect()
                })
                .unwrap_or_default()
        };
        if name != own && !self.head_exists(&format!("{header} {name}")) {
            return Err(CliError::NoSuchObject(name.to_owned()));
        }
        if network_object_group::reaches(name, own, &children) {
            return Err(CliError::GroupLoop {
                group: own.to_owned(),
                member: name.to_owned(),
            });
        }
        Ok(())
    }

    /// Refuses a new object or object group `head` whose name the other kind already uses:
    /// on an ASA objects and object groups share one namespace. Other heads pass.
    pub fn check_object_name(&self, head: &str) -> Result<(), CliError> {
        // The configuration counts the names definitions give (`Refs`).
        let clash = if let Some(name) = object_name(head) {
            self.cfg.defines(Namespace::Group, name).then_some(name)
        } else if let Some(name) = group_name(head) {
            self.cfg.defines(Namespace::Object, name).then_some(name)
        } else {
            None
        };
        match clash {
            Some(name) => Err(CliError::ObjectNameTaken(name.to_owned())),
            None => Ok(()),
        }
    }

    /// Whether a block opens with `prefix` (a service group may add its protocol word).
    fn head_exists(&self, prefix: &str) -> bool {
        self.cfg
            .iter()
            .any(|(_, b)| starts_with_words(b.head().text, prefix))
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use cli_translator::protocol::{Exec, ExecMode, ExecResult, Message};

    use super::*;
    use crate::engine::{ConnState, Engine, EngineOptions, Now};

    const BASE: &str = "hostname fw\nobject network web\n host 10.0.0.1\nobject service ping\n service icmp echo\n";

    fn boot() -> Engine {
        Engine::boot(
            BASE,
            &EngineOptions::default(),
            [1; 32],
            Now::from_secs(1_795_353_601),
        )
        .0
    }

    /// Runs a batch as a privilege-15 user; returns each command's (ok, output).
    fn run(e: &mut Engine, cmds: &[&str]) -> Vec<(bool, String)> {
        let mut conn = ConnState::default();
        let now = Now::from_secs(1_795_353_660);
        let hello = Message::Hello {
            version: 1,
            peer: "test".into(),
        };
        let _ = e.handle(hello, &mut conn, now);
        let (reply, _) = e.handle(
            Message::Exec(Exec {
                user: "admin".into(),
                privilege: 15,
                source: IpAddr::V4(Ipv4Addr::LOCALHOST),
                context: None,
                mode: ExecMode::Config,
                atomic: false,
                commands: cmds.iter().map(|c| (*c).to_owned()).collect(),
                expected_generation: None,
            }),
            &mut conn,
            now,
        );
        match reply {
            Some(Message::ExecResult(ExecResult { outcomes, .. })) => {
                outcomes.into_iter().map(|o| (o.ok, o.output)).collect()
            }
            other => panic!("unexpected reply {other:?}"),
        }
    }

    fn show(e: &mut Engine, what: &str) -> String {
        let out = run(e, &[what]);
        out.into_iter().map(|(_, o)| o).collect()
    }

    #[test]
    fn service_typed_unindented_in_object_service_mode_is_its_sub_command() {
        let mut e = boot();
        let out = run(
            &mut e,
            &[
                "object service plain",
                "service udp destination eq 53",
                "exit",
            ],
        );
        assert!(out.iter().all(|(ok, _)| *ok), "{out:?}");
        assert_eq!(
            show(&mut e, "show running-config object service plain"),
            "object service plain\n service udp destination eq 53\n"
        );
        assert!(!show(&mut e, "show running-config").contains("\nservice udp"));
    }

    #[test]
    fn a_large_group_grows_member_by_member_without_duplicates() {
        let mut e = boot();
        let n = 3000u32;
        let mut cmds = vec!["object-group network big".to_owned()];
        cmds.extend((0..n).map(|i| {
            format!(
                " network-object host 10.{}.{}.{}",
                i >> 16,
                (i >> 8) & 255,
                i & 255
            )
        }));
        cmds.push(" network-object host 10.0.0.7".to_owned());
        cmds.push(" no network-object host 10.0.0.8".to_owned());
        cmds.push(" network-object host 10.0.0.8".to_owned());
        let refs: Vec<&str> = cmds.iter().map(String::as_str).collect();
        let out = run(&mut e, &refs);
        assert!(out.iter().all(|(ok, _)| *ok));
        let shown = show(&mut e, "show running-config object-group network big");
        assert_eq!(shown.lines().count(), n as usize + 1);
        assert!(
            shown.ends_with(" network-object host 10.0.11.183\n network-object host 10.0.0.8\n")
        );
    }

    #[test]
    fn nesting_may_not_make_a_loop() {
        let mut e = boot();
        let out = run(
            &mut e,
            &[
                "object-group network a",
                " network-object host 1.1.1.1",
                "object-group network b",
                " group-object a",
                "object-group network a",
                " group-object b",
                " group-object a",
            ],
        );
        assert!(out[..5].iter().all(|(ok, _)| *ok), "{out:?}");
        assert_eq!(
            out[5],
            (
                false,
                "ERROR: Adding object-group (b) to (a) would create a loop\n".to_owned()
            )
        );
        assert_eq!(
            out[6],
            (
                false,
                "ERROR: Adding object-group (a) to (a) would create a loop\n".to_owned()
            )
        );
    }

    #[test]
    fn protocol_and_icmp_type_groups_check_their_members() {
        let mut e = boot();
        let out = run(
            &mut e,
            &[
                "object-group protocol p",
                " protocol-object TCP",
                " protocol-object 50",
                " protocol-object tcp-udp",
                "object-group icmp-type i",
                " icmp-object echo",
                " icmp-object 8",
                " icmp-object bogus",
                " group-object nope",
            ],
        );
        assert!(out[..3].iter().all(|(ok, _)| *ok), "{out:?}");
        assert!(!out[3].0, "tcp-udp is no protocol");
        assert!(out[4..7].iter().all(|(ok, _)| *ok), "{out:?}");
        assert!(!out[7].0);
        assert_eq!(
            out[8],
            (false, "ERROR: object (nope) does not exist.\n".to_owned())
        );
        assert_eq!(
            show(&mut e, "show running-config object-group protocol"),
            "object-group protocol p\n protocol-object tcp\n protocol-object 50\n"
        );
        assert_eq!(
            show(&mut e, "show running-config object-group icmp-type"),
            "object-group icmp-type i\n icmp-object echo\n icmp-object 8\n"
        );
    }

    #[test]
    fn recognises_block_families() {
        assert_eq!(
            family_of("object-group network g"),
            Some(Family::NetworkGroup)
        );
        assert_eq!(
            family_of("object-group service g tcp"),
            Some(Family::ServiceGroup(Some(TcpUdp::Tcp)))
        );
        assert_eq!(
            family_of("object-group service g"),
            Some(Family::ServiceGroup(None))
        );
        assert_eq!(family_of("object service s"), Some(Family::ServiceObject));
        assert_eq!(family_of("object-group user u"), None);
        assert_eq!(family_of("object network n"), None);
    }

    #[test]
    fn network_group_members_are_canonical_and_checked() {
        let mut e = boot();
        let out = run(
            &mut e,
            &[
                "object-group network g",
                " network-object 10.0.0.9 255.255.255.255",
                " network-object 10.1.0.0 255.255.0.0",
                " network-object object web",
                " description servers",
                " network-object host 10.0.0.9",
                " network-object object nope",
                " network-object 10.1.0.1 255.255.0.0",
                " network-object host 10.0.0.300",
            ],
        );
        assert!(out[..6].iter().all(|(ok, _)| *ok), "{out:?}");
        assert_eq!(
            out[6],
            (false, "ERROR: object (nope) does not exist.\n".to_owned())
        );
        assert_eq!(
            out[7],
            (
                false,
                "ERROR: IP address,mask <10.1.0.1,255.255.0.0> doesn't pair\n".to_owned()
            )
        );
        assert!(!out[8].0);
        assert!(
            out[8]
                .1
                .starts_with("network-object host 10.0.0.300\n                    ^\n"),
            "{}",
            out[8].1
        );
        assert_eq!(
            show(&mut e, "show running-config object-group network g"),
            "object-group network g\n description servers\n network-object host 10.0.0.9\n \
             network-object 10.1.0.0 255.255.0.0\n network-object object web\n"
        );
        let out = run(
            &mut e,
            &[
                "object-group network g",
                " no network-object host 10.0.0.9",
                " no description",
            ],
        );
        assert!(out.iter().all(|(ok, _)| *ok), "{out:?}");
        assert_eq!(
            show(&mut e, "show running-config object-group network"),
            "object-group network g\n network-object 10.1.0.0 255.255.0.0\n network-object object web\n"
        );
    }

    #[test]
    fn objects_and_object_groups_share_one_namespace() {
        let mut e = boot();
        let taken = |name: &str| (false, format!("ERROR: Object {name} already exists\n"));
        // A group may not take an object's name, whatever its type.
        let out = run(
            &mut e,
            &[
                "object-group network web",
                "object-group service ping tcp",
                "object-group protocol web",
            ],
        );
        assert_eq!(out, vec![taken("web"), taken("ping"), taken("web")]);
        // Nor an object a group's.
        let out = run(
            &mut e,
            &[
                "object-group network servers",
                " network-object host 10.0.0.2",
                "exit",
                "object network servers",
                "object service servers",
                "object network other",
            ],
        );
        assert_eq!(out[3], taken("servers"));
        assert_eq!(out[4], taken("servers"));
        assert!(out[5].0, "{out:?}");
        let text = show(&mut e, "show running-config");
        assert!(!text.contains("object-group network web"), "{text}");
        assert!(!text.contains("object-group service ping"), "{text}");
        assert!(!text.contains("object network servers"), "{text}");
        assert!(!text.contains("object service servers"), "{text}");
        // Re-entering an existing block is not a clash.
        let out = run(
            &mut e,
            &["object network web", "object-group network servers"],
        );
        assert!(out.iter().all(|(ok, _)| *ok), "{out:?}");
    }

    #[test]
    fn a_startup_config_sharing_names_still_loads() {
        let mut e = Engine::boot(
            "hostname fw\nobject network dup\n host 10.0.0.1\nobject-group network dup\n network-object host 10.0.0.2\n",
            &EngineOptions::default(),
            [1; 32],
            Now::from_secs(1_795_353_601),
        )
        .0;
        let text = show(&mut e, "show running-config");
        assert!(
            text.contains("object network dup\n host 10.0.0.1\n"),
            "{text}"
        );
        assert!(
            text.contains("object-group network dup\n network-object host 10.0.0.2\n"),
            "{text}"
        );
    }

    #[test]
    fn referenced_objects_and_groups_cannot_be_deleted() {
        let mut e = boot();
        let out = run(
            &mut e,
            &[
                "object-group network inner",
                " network-object object web",
                "object-group network outer",
                " group-object inner",
                "object-group service svc",
                " service-object object ping",
                " service-object tcp destination eq https",
            ],
        );
        assert!(out.iter().all(|(ok, _)| *ok), "{out:?}");
        let out = run(
            &mut e,
            &[
                "no object network web",
                "no object-group network inner",
                "no object service ping",
                "no object-group network outer",
                "no object-group network inner",
                "no object-group service svc",
                "no object service ping",
            ],
        );
        assert_eq!(
            out[0],
            (
                false,
                "ERROR: unable to delete object (web). Object is being used.\n".to_owned()
            )
        );
        assert_eq!(
            out[1],
            (
                false,
                "Removing object-group (inner) not allowed, it is being used.\n".to_owned()
            )
        );
        assert_eq!(
            out[2],
            (
                false,
                "ERROR: unable to delete object (ping). Object is being used.\n".to_owned()
            )
        );
        assert!(out[3..].iter().all(|(ok, _)| *ok), "{out:?}");
        assert_eq!(show(&mut e, "show running-config object-group"), "");
    }

    #[test]
    fn service_objects_and_groups_print_as_the_asa_does() {
        let mut e = boot();
        let out = run(
            &mut e,
            &[
                "object service web",
                " description front",
                " service tcp eq 443",
                " service tcp source range 1 1024 destination eq https",
                "object-group service ports tcp",
                " port-object eq 445",
                " port-object range 1000 2000",
                " port-object lt 10",
                "object-group service mixed",
                " service-object udp destination eq domain",
                " service-object object web",
                " group-object ports",
                " group-object mixed",
                " service-object tcp destination eq bogus",
            ],
        );
        assert!(out[..7].iter().all(|(ok, _)| *ok), "{out:?}");
        assert!(!out[7].0, "lt is no port-object");
        assert!(out[8..12].iter().all(|(ok, _)| *ok), "{out:?}");
        assert_eq!(
            out[12],
            (
                false,
                "ERROR: Adding object-group (mixed) to (mixed) would create a loop\n".to_owned()
            )
        );
        let caret = format!(
            "service-object tcp destination eq bogus\n{}^\n",
            " ".repeat(34)
        );
        assert!(out[13].1.starts_with(&caret), "{}", out[13].1);
        assert_eq!(
            show(&mut e, "show running-config object service"),
            "object service ping\n service icmp echo\nobject service web\n \
             service tcp source range 1 1024 destination eq https\n description front\n"
        );
        assert_eq!(
            show(&mut e, "show running-config object-group service"),
            "object-group service ports tcp\n port-object eq 445\n port-object range 1000 2000\n\
             object-group service mixed\n service-object udp destination eq domain\n \
             service-object object web\n group-object ports\n"
        );
    }
}
