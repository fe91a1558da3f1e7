//! The Modular Policy Framework (issue 15): `class-map`, `policy-map`,
//! `policy-map type inspect <proto>` and `service-policy`, with the ASA's refusals.
//!
//! ```text
//! class-map <name>
//!  match default-inspection-traffic | any | access-list <acl> | port tcp|udp eq <p> | range <a> <b>
//! policy-map type inspect <proto> <name>
//!  parameters
//!   <protocol parameter>
//! policy-map <name>
//!  class <class-map>|class-default
//!   inspect <proto> [<inspect map>] [tls-proxy <name>]
//!   set connection [conn-max n] [embryonic-conn-max n] [per-client-max n] [per-client-embryonic-max n] [random-sequence-number enable|disable]
//!   set connection timeout [embryonic h:mm:ss] [half-closed h:mm:ss] [idle h:mm:ss]
//! service-policy <policy-map> global | interface <nameif>
//! ```
//! A class map holds one `match`; a class of a policy map names an existing class map; an
//! `inspect` naming a map needs it; a class map, a policy map or an inspect map still in use
//! cannot be removed; one policy is global, one per interface.
//!
//! The ASA's error texts here are written from its documented behaviour (no capture of them
//! was found): `ERROR: ...` lines in the simulator's usual form.

use cli_translator::resources::service_policy::{INSPECT_MAP_PROTOCOLS, INSPECT_PROTOCOLS};
use cli_translator::validate::check_object_name;

use super::apply::{Applier, Step, word_offset};
use super::config::{BlockId, Config, Entry};
use super::error::CliError;
use super::modes::Submode;
use super::sections::starts_with_words;

/// Longest class-map or policy-map name the ASA takes.
pub const MAX_MAP_NAME: usize = 40;

/// First words of the lines an inspect map's `parameters` sub-mode takes (over all protocols).
const PARAMETER_WORDS: &[&str] = &[
    "allow-tcp",
    "body",
    "call-party-numbers",
    "dns-guard",
    "endpoint-id-check",
    "enforce-strict",
    "id-mismatch",
    "id-randomization",
    "ip-address-privacy",
    "max-forwards-validation",
    "message-length",
    "mail-relay",
    "mask-banner",
    "mask-syst-reply",
    "max-header-length",
    "nat-rewrite",
    "permit-errors",
    "protocol-enforcement",
    "request-timeout",
    "rtp-conformance",
    "ras-rcf-pinholes",
    "special-character",
    "spoof-server",
    "state-checking",
    "strict-header-validation",
    "tcp-inspection",
    "timeout",
    "traffic-non-sip",
    "tunnel-limit",
    "uri-non-sip",
    "community",
    "deny",
    "eool",
    "nop",
    "router-alert",
    "endpoint",
    "anti-replay",
    "max-body-length",
    "max-request-line",
    "policy-tunnel-limit",
    "enforce-security",
    "protocol-violation",
];

/// The family: `class-map`, `policy-map`, `service-policy`.
#[derive(Debug)]
pub struct ServicePolicy;

fn invalid_at(line: &str, word: usize) -> Option<Result<Step, CliError>> {
    Some(Err(CliError::invalid(line, word_offset(line, word))))
}

/// Whether `name` can name a class or policy map.
pub fn valid_map_name(name: &str) -> bool {
    check_object_name(name).is_ok() && name.chars().count() <= MAX_MAP_NAME
}

/// The block whose header is exactly `head`.
fn find(cfg: &Config, head: &str) -> Option<BlockId> {
    cfg.iter()
        .find(|(_, b)| b.head().text == head)
        .map(|(id, _)| id)
}

/// Whether a `policy-map <name>` (not an inspect map) exists.
fn policy_exists(cfg: &Config, name: &str) -> bool {
    find(cfg, &format!("policy-map {name}")).is_some()
}

/// The name of the inspect map of protocol `proto` called `name`, if one exists.
fn inspect_map_exists(cfg: &Config, proto: &str, name: &str) -> bool {
    find(cfg, &format!("policy-map type inspect {proto} {name}")).is_some()
}

/// The `service-policy` lines.
fn bindings(cfg: &Config) -> Vec<(BlockId, String)> {
    cfg.iter()
        .filter(|(_, b)| starts_with_words(b.head().text, "service-policy"))
        .map(|(id, b)| (id, b.head().text.to_string()))
        .collect()
}

/// The policy maps (headers) whose classes name `class`.
fn policies_using_class(cfg: &Config, class: &str) -> Option<String> {
    let want = format!("class {class}");
    cfg.iter()
        .find(|(_, b)| {
            starts_with_words(b.head().text, "policy-map")
                && b.children().any(|c| c.text.trim_end() == want)
        })
        .map(|(_, b)| b.head().text.to_string())
}

/// A policy map's `inspect <proto> <name>` lines naming inspect map `name`.
fn inspect_users(cfg: &Config, proto: &str, name: &str) -> Option<String> {
    cfg.iter()
        .find(|(_, b)| {
            starts_with_words(b.head().text, "policy-map")
                && b.children().any(|c| {
                    let w: Vec<&str> = c.text.split_whitespace().collect();
                    w.first() == Some(&"inspect")
                        && w.get(1) == Some(&proto)
                        && w.iter().skip(2).any(|x| *x == name)
                })
        })
        .map(|(_, b)| b.head().text.to_string())
}

impl ServicePolicy {
    fn top(a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let neg = usize::from(words.first() == Some(&"no"));
        let w = &words[neg..];
        match w {
            ["class-map", "type", ..] => None,
            ["class-map", name] => {
                if !valid_map_name(name) {
                    return invalid_at(line, neg + 1);
                }
                if neg == 1
                    && let Some(by) = policies_using_class(a.cfg, name)
                {
                    return Some(Err(CliError::MapInUse {
                        what: "Class map",
                        name: (*name).to_owned(),
                        by,
                    }));
                }
                None
            }
            ["class-map"] | ["policy-map"] | ["service-policy"] | ["service-policy", _] => {
                Some(Err(CliError::Incomplete))
            }
            ["class-map", ..] => invalid_at(line, neg + 2),
            ["policy-map", "type", "inspect", proto, name] => {
                if !INSPECT_MAP_PROTOCOLS.contains(proto) {
                    return invalid_at(line, neg + 3);
                }
                if !valid_map_name(name) {
                    return invalid_at(line, neg + 4);
                }
                if neg == 1
                    && let Some(by) = inspect_users(a.cfg, proto, name)
                {
                    return Some(Err(CliError::MapInUse {
                        what: "Policy map",
                        name: (*name).to_owned(),
                        by,
                    }));
                }
                None
            }
            ["policy-map", "type", "inspect", proto] => {
                if INSPECT_MAP_PROTOCOLS.contains(proto) {
                    Some(Err(CliError::Incomplete))
                } else {
                    invalid_at(line, neg + 3)
                }
            }
            ["policy-map", "type", "inspect"] => Some(Err(CliError::Incomplete)),
            // Other policy-map types (qos, regex, ...) are kept verbatim.
            ["policy-map", "type", ..] => None,
            ["policy-map", name] => {
                if !valid_map_name(name) {
                    return invalid_at(line, neg + 1);
                }
                if neg == 1
                    && let Some((_, by)) = bindings(a.cfg)
                        .into_iter()
                        .find(|(_, t)| t.split_whitespace().nth(1) == Some(*name))
                {
                    return Some(Err(CliError::MapInUse {
                        what: "Policy map",
                        name: (*name).to_owned(),
                        by,
                    }));
                }
                None
            }
            ["policy-map", ..] => invalid_at(line, neg + 2),
            ["service-policy", name, "global"] => Self::bind(a, line, neg == 1, name, None),
            ["service-policy", name, "interface", nameif] => {
                Self::bind(a, line, neg == 1, name, Some(nameif))
            }
            ["service-policy", _, "interface"] => Some(Err(CliError::Incomplete)),
            ["service-policy", _, "global" | "interface", ..] => invalid_at(line, neg + 3),
            ["service-policy", ..] => invalid_at(line, neg + 2),
            _ => None,
        }
    }

    fn bind(
        a: &mut Applier<'_>,
        line: &str,
        negated: bool,
        name: &str,
        nameif: Option<&str>,
    ) -> Option<Result<Step, CliError>> {
        if !valid_map_name(name) {
            return invalid_at(line, usize::from(negated) + 1);
        }
        if negated {
            return None;
        }
        if !policy_exists(a.cfg, name) {
            return Some(Err(CliError::NoSuchMap {
                what: "Policy map",
                name: name.to_owned(),
            }));
        }
        if let Some(nameif) = nameif
            && !a.nameif_exists(nameif)
        {
            return Some(Err(CliError::NoSuchNameif(nameif.to_owned())));
        }
        let scope = match nameif {
            Some(n) => format!("interface {n}"),
            None => "global".to_owned(),
        };
        let taken = bindings(a.cfg).into_iter().find(|(_, t)| {
            let w: Vec<&str> = t.split_whitespace().collect();
            w.get(2..).map(|s| s.join(" ")) == Some(scope.clone())
        });
        if let Some((_, text)) = taken {
            let other = text
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            if other != name {
                return Some(Err(CliError::PolicyAlreadyBound(other)));
            }
        }
        None
    }

    /// A sub-command of a `class-map <name>` block.
    fn class_map_sub(a: &mut Applier<'_>, sub: &Submode, line: &str) -> Result<Step, CliError> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let neg = usize::from(words.first() == Some(&"no"));
        let w = &words[neg..];
        check_match(a.cfg, line, neg, w)?;
        if let ["match", ..] = w
            && neg == 0
        {
            let other = a.cfg.block(sub.block).and_then(|b| {
                b.children()
                    .find(|c| starts_with_words(c.text, "match") && c.text.trim_end() != line)
                    .map(|c| c.text.to_string())
            });
            if other.is_some() {
                return Err(CliError::OneMatchPerClassMap);
            }
        }
        if neg == 1 {
            let target = w.join(" ");
            a.cfg.update(sub.block, |b| {
                if let Some(i) = b.children.iter().position(|c| {
                    c.text.trim_end() == target || starts_with_words(&c.text, &target)
                }) {
                    b.children.remove(i);
                }
            });
            return Ok(Step::Done(None));
        }
        let entry = Entry::verbatim(line);
        a.cfg.update(sub.block, |b| {
            if starts_with_words(line, "description") {
                b.children
                    .retain(|c| !starts_with_words(&c.text, "description"));
                b.children.insert(0, entry);
            } else if !b.children.iter().any(|c| c.text.trim_end() == line) {
                b.children.push(entry);
            }
        });
        Ok(Step::Done(None))
    }

    /// A sub-command of an inspect map: `description`, `parameters` and its lines.
    fn inspect_map_sub(
        a: &mut Applier<'_>,
        sub: &mut Submode,
        text: &str,
    ) -> Result<Step, CliError> {
        let line = text.trim();
        let nested = text.starts_with(' ');
        let words: Vec<&str> = line.split_whitespace().collect();
        let neg = usize::from(words.first() == Some(&"no"));
        let first = words.get(neg).copied().unwrap_or_default();
        let in_parameters = sub.last_child.as_deref() == Some("parameters");
        match first {
            "parameters" if !nested && words.len() == 1 + neg => {}
            "description" if !nested && neg == 0 && words.len() > 1 => {}
            "description" if !nested && neg == 1 => {}
            w if (nested || in_parameters) && PARAMETER_WORDS.contains(&w) => {
                // A parameter line typed unindented in `parameters` mode goes under it.
                return Self::parameter(a, sub, line);
            }
            _ => return Err(CliError::invalid(line, word_offset(line, neg))),
        }
        let entry = Entry::verbatim(line);
        if neg == 1 {
            let target = words[1..].join(" ");
            a.cfg
                .update(sub.block, |b| remove_with_nested(&mut b.children, &target));
            return Ok(Step::Done(None));
        }
        sub.last_child = Some(line.to_owned());
        a.cfg.update(sub.block, |b| {
            if first == "description" {
                b.children
                    .retain(|c| !starts_with_words(&c.text, "description"));
                b.children.insert(0, entry);
            } else if !b.children.iter().any(|c| c.text.trim_end() == line) {
                b.children.push(entry);
            }
        });
        Ok(Step::Done(None))
    }

    /// A line of an inspect map's `parameters`: kept as typed (`no tcp-inspection` is a
    /// setting), replacing its other form.
    fn parameter(a: &mut Applier<'_>, sub: &mut Submode, line: &str) -> Result<Step, CliError> {
        let key = line.strip_prefix("no ").unwrap_or(line).to_owned();
        let entry = Entry::verbatim(format!(" {line}"));
        let mut found = false;
        a.cfg.update(sub.block, |b| {
            let Some(start) = b
                .children
                .iter()
                .position(|c| c.text.trim_end() == "parameters")
            else {
                return;
            };
            found = true;
            let mut end = start + 1;
            while b.children.get(end).is_some_and(|c| c.text.starts_with(' ')) {
                end += 1;
            }
            let same = b.children[start + 1..end].iter().position(|c| {
                let t = c.text.trim();
                t.strip_prefix("no ").unwrap_or(t) == key
            });
            match same {
                Some(i) => b.children[start + 1 + i] = entry,
                None => b.children.insert(end, entry),
            }
        });
        if !found {
            return Err(CliError::invalid(line, 0));
        }
        sub.last_child = Some("parameters".to_owned());
        Ok(Step::Done(None))
    }

    /// A sub-command of a `policy-map <name>` block: `description`, `class <c>`, and under
    /// a class `inspect ...` / `set connection ...`.
    fn policy_map_sub(
        a: &mut Applier<'_>,
        sub: &mut Submode,
        text: &str,
    ) -> Result<Step, CliError> {
        let line = text.trim();
        let nested = text.starts_with(' ');
        let words: Vec<&str> = line.split_whitespace().collect();
        let neg = usize::from(words.first() == Some(&"no"));
        let w = &words[neg..];
        let in_class = sub
            .last_child
            .as_deref()
            .is_some_and(|c| starts_with_words(c, "class"));
        match w {
            ["class", name] if !nested => {
                if *name != "class-default" && !valid_map_name(name) {
                    return Err(CliError::invalid(line, word_offset(line, neg + 1)));
                }
                let head = format!("class {name}");
                if neg == 1 {
                    a.cfg
                        .update(sub.block, |b| remove_with_nested(&mut b.children, &head));
                    sub.last_child = None;
                    return Ok(Step::Done(None));
                }
                if *name != "class-default" && find(a.cfg, &format!("class-map {name}")).is_none() {
                    return Err(CliError::NoSuchMap {
                        what: "Class map",
                        name: (*name).to_owned(),
                    });
                }
                let entry = Entry::verbatim(head.clone());
                a.cfg.update(sub.block, |b| {
                    if !b.children.iter().any(|c| c.text.trim_end() == head) {
                        b.children.push(entry);
                    }
                });
                sub.last_child = Some(head);
                Ok(Step::Done(None))
            }
            ["class"] => Err(CliError::Incomplete),
            ["class", ..] => Err(CliError::invalid(line, word_offset(line, neg + 2))),
            ["description", ..] if !nested && (neg == 1 || w.len() > 1) => {
                let entry = Entry::verbatim(line);
                a.cfg.update(sub.block, |b| {
                    b.children
                        .retain(|c| !starts_with_words(&c.text, "description"));
                    if neg == 0 {
                        b.children.insert(0, entry);
                    }
                });
                Ok(Step::Done(None))
            }
            ["inspect", ..] | ["set", "connection", ..] if in_class => {
                if w[0] == "inspect" {
                    check_inspect(a.cfg, line, neg, w, neg == 1)?;
                } else {
                    check_set_connection(line, neg, w)?;
                }
                let parent = sub.last_child.clone().unwrap_or_default();
                Self::nested_child(a, sub, &parent, line, neg == 1)
            }
            _ => Err(CliError::invalid(line, word_offset(line, neg))),
        }
    }

    /// Adds (or, for `no`, removes) the nested line `text` under the first-level child
    /// `parent` (a `class`) of the session's block. An inspection of a type the class already
    /// inspects otherwise is refused; `set connection` lines merge into the class's.
    fn nested_child(
        a: &mut Applier<'_>,
        sub: &mut Submode,
        parent: &str,
        text: &str,
        negated: bool,
    ) -> Result<Step, CliError> {
        let body = text.trim();
        let target = body.strip_prefix("no ").unwrap_or(body).to_owned();
        let range = a.cfg.block(sub.block).and_then(|b| {
            let start = b.children().position(|c| c.text.trim_end() == parent)?;
            // The parent's nested lines follow it (one walk: `child(i)` reads from the start).
            let nested = b
                .children()
                .skip(start + 1)
                .take_while(|c| c.text.starts_with(' '))
                .count();
            Some((start, start + 1 + nested))
        });
        let Some((start, end)) = range else {
            return Err(CliError::invalid(body, 0));
        };
        let existing: Option<(usize, String)> = a.cfg.block(sub.block).and_then(|b| {
            b.children()
                .skip(start + 1)
                .take(end - start - 1)
                .enumerate()
                .find(|(_, c)| {
                    let t = c.text.trim();
                    t == target || single_slot(t, &target)
                })
                .map(|(i, c)| (start + 1 + i, c.text.trim().to_owned()))
        });
        let mut err = None;
        a.cfg.update(sub.block, |b| {
            if negated {
                if let Some((i, _)) = &existing {
                    b.children.remove(*i);
                }
                return;
            }
            match existing {
                Some((_, old)) if old == target => {}
                Some((_, _)) if target.starts_with("inspect ") => {
                    err = Some(CliError::InspectTypeExists);
                }
                Some((i, old)) => {
                    b.children[i] =
                        Entry::verbatim(format!(" {}", merge_set_connection(&old, &target)));
                }
                None => b
                    .children
                    .insert(end, Entry::verbatim(format!(" {target}"))),
            }
        });
        if let Some(e) = err {
            return Err(e);
        }
        if sub.last_child.as_deref() != Some(parent) {
            sub.last_child = Some(parent.to_owned());
        }
        Ok(Step::Done(None))
    }
}

/// The keyword-value pairs of a `set connection [timeout]` line, after its keywords.
fn pairs(line: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let skip = if words.get(2) == Some(&"timeout") {
        3
    } else {
        2
    };
    let rest = words.get(skip..).unwrap_or_default();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while let Some(k) = rest.get(i) {
        let mut v = rest.get(i + 1).copied().unwrap_or_default().to_owned();
        i += 2;
        if *k == "idle" && rest.get(i) == Some(&"reset") {
            v.push_str(" reset");
            i += 1;
        }
        out.push(((*k).to_owned(), v));
    }
    out
}

/// `old` with the settings of `new` (same slot) merged in, in the ASA's order.
fn merge_set_connection(old: &str, new: &str) -> String {
    const ORDER: &[&str] = &[
        "conn-max",
        "embryonic-conn-max",
        "per-client-embryonic-max",
        "per-client-max",
        "random-sequence-number",
        "embryonic",
        "half-closed",
        "idle",
    ];
    let mut merged = pairs(old);
    for (k, v) in pairs(new) {
        match merged.iter_mut().find(|(mk, _)| *mk == k) {
            Some(slot) => slot.1 = v,
            None => merged.push((k, v)),
        }
    }
    merged.sort_by_key(|(k, _)| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
    let mut out = if new.split_whitespace().nth(2) == Some("timeout") {
        String::from("set connection timeout")
    } else {
        String::from("set connection")
    };
    for (k, v) in merged {
        out.push_str(&format!(" {k} {v}"));
    }
    out
}

/// Whether `a` and `b` set the same single-valued slot (`set connection timeout ...`,
/// `set connection <limits>`, one `inspect <proto>` per class).
fn single_slot(a: &str, b: &str) -> bool {
    let key = |s: &str| -> Option<String> {
        let w: Vec<&str> = s.split_whitespace().collect();
        match w.as_slice() {
            ["set", "connection", "timeout", ..] => Some("timeout".into()),
            ["set", "connection", "advanced-options", ..] => Some("advanced".into()),
            ["set", "connection", "decrement-ttl"] => Some("ttl".into()),
            ["set", "connection", ..] => Some("limits".into()),
            ["inspect", "h323", kind, ..] => Some(format!("inspect h323 {kind}")),
            ["inspect", "icmp", "error", ..] => Some("inspect icmp error".into()),
            ["inspect", proto, ..] => Some(format!("inspect {proto}")),
            _ => None,
        }
    };
    key(a).is_some() && key(a) == key(b)
}

/// Removes the first-level child `head` and the lines nested under it.
fn remove_with_nested(children: &mut Vec<Entry>, head: &str) {
    let Some(start) = children.iter().position(|c| c.text.trim_end() == head) else {
        return;
    };
    let mut end = start + 1;
    while children.get(end).is_some_and(|c| c.text.starts_with(' ')) {
        end += 1;
    }
    children.drain(start..end);
}

fn is_port(p: &str) -> bool {
    match p.parse::<u32>() {
        Ok(n) => (1..=65535).contains(&n),
        Err(_) => {
            !p.is_empty()
                && p.len() <= 20
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                && p.starts_with(|c: char| c.is_ascii_lowercase())
        }
    }
}

/// The `match` lines of a class map; `description`.
fn check_match(cfg: &Config, line: &str, neg: usize, w: &[&str]) -> Result<(), CliError> {
    let bad = |n: usize| Err(CliError::invalid(line, word_offset(line, neg + n)));
    match w {
        ["match", "default-inspection-traffic"] | ["match", "any"] => Ok(()),
        ["match", "access-list", acl] => {
            if check_object_name(acl).is_err() {
                return bad(2);
            }
            let prefix = format!("access-list {acl} ");
            if neg == 0 && !cfg.iter().any(|(_, b)| b.head().text.starts_with(&prefix)) {
                return Err(CliError::NoSuchAccessList((*acl).to_owned()));
            }
            Ok(())
        }
        ["match", "port", "tcp" | "udp", "eq", p] if is_port(p) => Ok(()),
        ["match", "port", "tcp" | "udp", "range", a, b] if is_port(a) && is_port(b) => Ok(()),
        ["match", "port", "tcp" | "udp", "eq" | "range", ..] => bad(4),
        ["match", "port", "tcp" | "udp"] => Err(CliError::Incomplete),
        ["match", "port", ..] => bad(2),
        ["match"] => Err(CliError::Incomplete),
        ["match", ..] => bad(1),
        ["description", ..] if neg == 1 || w.len() > 1 => Ok(()),
        _ => bad(0),
    }
}

/// `inspect <proto> [<map>] [tls-proxy <name>]` under a class.
fn check_inspect(
    cfg: &Config,
    line: &str,
    neg: usize,
    w: &[&str],
    negated: bool,
) -> Result<(), CliError> {
    let bad = |n: usize| Err(CliError::invalid(line, word_offset(line, neg + n)));
    let Some(proto) = w.get(1) else {
        return Err(CliError::Incomplete);
    };
    if !INSPECT_PROTOCOLS.contains(proto) {
        return bad(1);
    }
    let mut i = 2;
    match (*proto, w.get(2)) {
        ("h323", Some(&"h225" | &"ras")) => i = 3,
        ("h323", Some(_)) => return bad(2),
        ("h323", None) => return Err(CliError::Incomplete),
        ("icmp", Some(&"error")) => i = 3,
        ("ftp", Some(&"strict")) => i = 3,
        _ => {}
    }
    let map_proto = if *proto == "h323" { "h323" } else { proto };
    while let Some(word) = w.get(i) {
        match *word {
            "tls-proxy" => {
                let Some(name) = w.get(i + 1) else {
                    return Err(CliError::Incomplete);
                };
                if !valid_map_name(name) {
                    return bad(i + 1);
                }
                // The proxy must be defined, as the inspect maps must (crypto.rs defines them).
                let head = format!("tls-proxy {name}");
                if !negated
                    && cfg
                        .find_cached("tls-proxy", &head, |b| b.head().text == head)
                        .is_none()
                {
                    return Err(CliError::NoSuchMap {
                        what: "TLS proxy",
                        name: (*name).to_owned(),
                    });
                }
                i += 2;
            }
            "dynamic-filter-snoop" if *proto == "dns" => i += 1,
            name if i <= 3 && INSPECT_MAP_PROTOCOLS.contains(&map_proto) => {
                if !valid_map_name(name) {
                    return bad(i);
                }
                if !negated && !inspect_map_exists(cfg, map_proto, name) {
                    return Err(CliError::NoSuchMap {
                        what: "Inspect policy map",
                        name: name.to_owned(),
                    });
                }
                i += 1;
            }
            _ => return bad(i),
        }
    }
    Ok(())
}

/// `set connection ...` (limits, timeouts) under a class.
fn check_set_connection(line: &str, neg: usize, w: &[&str]) -> Result<(), CliError> {
    let bad = |n: usize| Err(CliError::invalid(line, word_offset(line, neg + n)));
    let rest = w.get(2..).unwrap_or_default();
    if neg == 1 && matches!(rest, [] | ["timeout"]) {
        return Ok(());
    }
    if rest.is_empty() {
        return Err(CliError::Incomplete);
    }
    if rest.first() == Some(&"timeout") {
        let mut i = 1;
        if rest.len() < 2 {
            return Err(CliError::Incomplete);
        }
        while let Some(word) = rest.get(i) {
            match *word {
                "embryonic" | "half-closed" | "idle" => {
                    let Some(t) = rest.get(i + 1) else {
                        return Err(CliError::Incomplete);
                    };
                    if !is_duration(t) {
                        return bad(2 + i + 1);
                    }
                    i += 2;
                    if *word == "idle" && rest.get(i) == Some(&"reset") {
                        i += 1;
                    }
                }
                _ => return bad(2 + i),
            }
        }
        return Ok(());
    }
    let mut i = 0;
    while let Some(word) = rest.get(i) {
        match *word {
            "conn-max" | "embryonic-conn-max" | "per-client-max" | "per-client-embryonic-max" => {
                let Some(n) = rest.get(i + 1) else {
                    return Err(CliError::Incomplete);
                };
                if n.parse::<u32>().is_err() {
                    return bad(2 + i + 1);
                }
                i += 2;
            }
            "random-sequence-number" => match rest.get(i + 1) {
                Some(&"enable" | &"disable") => i += 2,
                Some(_) => return bad(2 + i + 1),
                None => return Err(CliError::Incomplete),
            },
            _ => return bad(2 + i),
        }
    }
    Ok(())
}

/// `h:mm:ss` or `0`.
pub fn is_duration(t: &str) -> bool {
    if t == "0" {
        return true;
    }
    let parts: Vec<&str> = t.split(':').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Refuses removing access list `acl` (all of it, or its last line) while a class map
/// (`match access-list`), a crypto map entry (`match address`) or a group policy
/// (`vpn-filter value`) uses it. `clear configure access-list` without a name clears all.
pub fn check_acl_unused(cfg: &Config, acl: &str) -> Result<(), CliError> {
    if acl.is_empty() {
        return Ok(());
    }
    let names = |w: &[&str]| -> Option<String> {
        match w {
            ["match", "access-list", a] | ["vpn-filter", "value", a] => Some((*a).to_owned()),
            ["crypto", "map", _, _, "match", "address", a] => Some((*a).to_owned()),
            _ => None,
        }
    };
    let uses = |text: &str| {
        let w: Vec<&str> = text.split_whitespace().collect();
        names(&w).filter(|a| a == acl)
    };
    for (_, b) in cfg.iter() {
        let used = uses(b.head().text).or_else(|| b.children().find_map(|c| uses(c.text)));
        if let Some(name) = used {
            return Err(CliError::MapInUse {
                what: "access-list",
                name,
                by: b.head().text.to_string(),
            });
        }
    }
    Ok(())
}

/// Whether an unindented `line` typed in the block `head` is its sub-command although its
/// word is also a top-level one: `class <c>` in a policy map.
pub fn claims_unindented(head: &str, line: &str) -> bool {
    matches!(block_of(head), Some(MapBlock::Policy | MapBlock::Inspect))
        && super::modes::key_word(line) == "class"
}

/// The kind of block a header opens, for sub-commands.
enum MapBlock {
    Class,
    Inspect,
    Policy,
}

fn block_of(head: &str) -> Option<MapBlock> {
    let w: Vec<&str> = head.split_whitespace().collect();
    match w.as_slice() {
        ["class-map", _] => Some(MapBlock::Class),
        ["policy-map", "type", "inspect", _, _] => Some(MapBlock::Inspect),
        ["policy-map", name] if *name != "type" => Some(MapBlock::Policy),
        _ => None,
    }
}

impl super::families::CliFamily for ServicePolicy {
    fn name(&self) -> &'static str {
        "service policy"
    }
    fn keywords(&self) -> &'static [&'static str] {
        &["class-map", "policy-map", "service-policy"]
    }
    fn sections(&self) -> &'static [(&'static str, super::sections::Section)] {
        &[
            ("class-map", super::sections::Section::ClassMap),
            ("policy-map", super::sections::Section::PolicyMap),
            ("service-policy", super::sections::Section::ServicePolicy),
        ]
    }
    fn nameif_slot(&self, words: &[&str]) -> Option<usize> {
        matches!(words, ["service-policy", _, "interface", _]).then_some(3)
    }
    /// `policy-map ...` and `class-map ...` blocks.
    fn submode(
        &self,
        head: &super::families::Head<'_>,
        _: Option<&cli_translator::ast::Command>,
    ) -> Option<(super::modes::SubKind, &'static str)> {
        let prompt = head.pick(
            0,
            &[("policy-map", "config-pmap"), ("class-map", "config-cmap")],
        )?;
        head.has(1)
            .then_some((super::modes::SubKind::Verbatim, prompt))
    }
    fn apply(&self, a: &mut Applier<'_>, line: &str) -> Option<Result<Step, CliError>> {
        if line.starts_with("clear ") {
            return None;
        }
        Self::top(a, line)
    }
    fn sub_command(
        &self,
        a: &mut Applier<'_>,
        sub: &mut Submode,
        head: &str,
        text: &str,
        _parsed: &Result<cli_translator::ast::Command, cli_translator::parse::ParseError>,
    ) -> Option<Result<Step, CliError>> {
        let line = text.trim();
        Some(match block_of(head)? {
            MapBlock::Class => Self::class_map_sub(a, sub, line),
            MapBlock::Inspect => Self::inspect_map_sub(a, sub, text),
            MapBlock::Policy => Self::policy_map_sub(a, sub, text),
        })
    }
    fn check_sub(
        &self,
        head: &str,
        line: &str,
        _: super::families::Reading<'_>,
    ) -> Option<Result<(), CliError>> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let neg = usize::from(words.first() == Some(&"no"));
        let w = &words[neg..];
        let bad = || Err(CliError::invalid(line, word_offset(line, neg)));
        Some(match block_of(head)? {
            MapBlock::Class => match w.first() {
                Some(&"match" | &"description") => Ok(()),
                _ => bad(),
            },
            MapBlock::Inspect => match w.first() {
                Some(&"parameters" | &"description" | &"match" | &"class") => Ok(()),
                _ => bad(),
            },
            MapBlock::Policy => match w.first() {
                Some(&"class" | &"description") => Ok(()),
                _ => bad(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_support::{boot, ok, refused, running};

    /// The block of `text` opened by the line `head`, with its sub-commands.
    fn section(text: &str, head: &str) -> String {
        let mut out = String::new();
        let mut inside = false;
        for line in text.lines() {
            if line == head {
                inside = true;
            } else if inside && !line.starts_with(' ') {
                break;
            }
            if inside {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn a_fresh_device_has_the_default_global_policy() {
        let mut e = boot();
        let run = running(&mut e);
        assert!(run.contains("class-map inspection_default\n match default-inspection-traffic\n"));
        assert!(run.contains(
            "policy-map global_policy\n class inspection_default\n  inspect ip-options\n"
        ));
        assert!(run.contains("service-policy global_policy global\n"));
    }

    #[test]
    fn builds_class_maps_policies_and_bindings() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "access-list web extended permit tcp any any eq www",
                "class-map web-class",
                " match access-list web",
                "class-map ports",
                " match port tcp range 8000 8080",
                "policy-map type inspect http strict-http",
                " parameters",
                "  protocol-violation action drop-connection",
            ],
        );
        let mut e = boot();
        ok(
            &mut e,
            &[
                "access-list web extended permit tcp any any eq www",
                "class-map web-class",
                " match access-list web",
                "policy-map type inspect dns big-dns",
                " parameters",
                "  message-length maximum 4096",
                "policy-map outside-policy",
                " class web-class",
                "  set connection conn-max 100 embryonic-conn-max 50",
                "  set connection timeout idle 1:00:00",
                " class inspection_default",
                "  inspect dns big-dns",
                "  inspect icmp error",
                "service-policy outside-policy interface management",
            ],
        );
        let run = running(&mut e);
        assert_eq!(
            section(&run, "policy-map outside-policy"),
            "policy-map outside-policy\n class web-class\n  set connection conn-max 100 embryonic-conn-max 50\n  set connection timeout idle 1:00:00\n class inspection_default\n  inspect dns big-dns\n  inspect icmp error\n"
        );
        assert!(
            run.contains("service-policy outside-policy interface management\n"),
            "{run}"
        );
        // A new limit replaces the old one of the class; `no inspect` removes only that class's.
        ok(
            &mut e,
            &[
                "policy-map outside-policy",
                " class web-class",
                "  set connection conn-max 200",
                " class inspection_default",
                "  no inspect icmp error",
            ],
        );
        let run = running(&mut e);
        assert_eq!(
            section(&run, "policy-map outside-policy"),
            "policy-map outside-policy\n class web-class\n  set connection conn-max 200 embryonic-conn-max 50\n  set connection timeout idle 1:00:00\n class inspection_default\n  inspect dns big-dns\n"
        );
        // `no class` takes its actions with it.
        ok(
            &mut e,
            &["policy-map outside-policy", " no class web-class"],
        );
        let run = running(&mut e);
        assert_eq!(
            section(&run, "policy-map outside-policy"),
            "policy-map outside-policy\n class inspection_default\n  inspect dns big-dns\n"
        );
    }

    #[test]
    fn bindings_follow_their_interface() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "service-policy global_policy interface management",
                "interface Management0/0",
                " nameif mgmt",
            ],
        );
        let run = running(&mut e);
        assert!(
            run.contains("service-policy global_policy interface mgmt\n"),
            "{run}"
        );
        ok(
            &mut e,
            &["no mtu mgmt 1500", "no http 0.0.0.0 0.0.0.0 mgmt"],
        );
        let out = refused(&mut e, &["interface Management0/0", " no nameif"]);
        assert!(
            out.contains("service-policy global_policy interface mgmt"),
            "{out}"
        );
    }

    #[test]
    fn an_access_list_in_use_stays() {
        let mut e = boot();
        ok(
            &mut e,
            &[
                "access-list web extended permit tcp any any eq www",
                "class-map web-class",
                " match access-list web",
            ],
        );
        let want = "ERROR: access-list web is in use by 'class-map web-class'\n";
        assert_eq!(refused(&mut e, &["no access-list web"]), want);
        assert_eq!(refused(&mut e, &["clear configure access-list web"]), want);
        assert_eq!(
            refused(
                &mut e,
                &["no access-list web extended permit tcp any any eq www"]
            ),
            want
        );
        ok(
            &mut e,
            &[
                "no class-map web-class",
                "no access-list web extended permit tcp any any eq www",
            ],
        );
    }

    #[test]
    fn refuses_what_the_asa_refuses() {
        let mut e = boot();
        assert_eq!(
            refused(&mut e, &["class-map c", " match access-list nope"]),
            "ERROR: access-list <nope> does not exist\n"
        );
        assert_eq!(
            refused(
                &mut e,
                &["class-map c", " match any", " match port tcp eq 80"]
            ),
            "ERROR: Only one match command is allowed per class-map\n"
        );
        assert_eq!(
            refused(&mut e, &["class-map c", " match port sctp eq 80"]),
            "match port sctp eq 80\n           ^\nERROR: % Invalid input detected at '^' marker.\n"
        );
        assert_eq!(
            refused(&mut e, &["policy-map p", " class missing"]),
            "ERROR: Class map missing does not exist\n"
        );
        assert_eq!(
            refused(
                &mut e,
                &[
                    "policy-map p",
                    " class inspection_default",
                    "  inspect dns nomap"
                ]
            ),
            "ERROR: Inspect policy map nomap does not exist\n"
        );
        assert_eq!(
            refused(
                &mut e,
                &[
                    "policy-map p",
                    " class inspection_default",
                    "  inspect frob"
                ]
            ),
            "inspect frob\n        ^\nERROR: % Invalid input detected at '^' marker.\n"
        );
        assert_eq!(
            refused(&mut e, &["policy-map p", " inspect ftp"]),
            "inspect ftp\n^\nERROR: % Invalid input detected at '^' marker.\n"
        );
        assert_eq!(
            refused(&mut e, &["service-policy nothere global"]),
            "ERROR: Policy map nothere does not exist\n"
        );
        assert_eq!(
            refused(&mut e, &["policy-map p", "service-policy p global"]),
            "ERROR: Policy map global_policy is already configured as a service policy\n"
        );
        assert_eq!(
            refused(
                &mut e,
                &["policy-map p", "service-policy p interface nowhere"]
            ),
            format!("{}\n", CliError::NoSuchNameif("nowhere".into()))
        );
        assert_eq!(
            refused(&mut e, &["no class-map inspection_default"]),
            "ERROR: Class map inspection_default is in use by 'policy-map global_policy'\n"
        );
        assert_eq!(
            refused(&mut e, &["no policy-map global_policy"]),
            "ERROR: Policy map global_policy is in use by 'service-policy global_policy global'\n"
        );
        assert_eq!(
            refused(&mut e, &["no policy-map type inspect dns preset_dns_map"]),
            "ERROR: Policy map preset_dns_map is in use by 'policy-map global_policy'\n"
        );
        // Unbound, the policy goes; then its class map and inspect map may go too.
        ok(
            &mut e,
            &[
                "no service-policy global_policy global",
                "no policy-map global_policy",
                "no class-map inspection_default",
                "no policy-map type inspect dns preset_dns_map",
            ],
        );
        let run = running(&mut e);
        assert!(!run.contains("policy-map"), "{run}");
        assert!(!run.contains("class-map"), "{run}");
    }

    #[test]
    fn single_slots() {
        assert!(single_slot(
            "set connection conn-max 10",
            "set connection embryonic-conn-max 5"
        ));
        assert!(!single_slot(
            "set connection conn-max 10",
            "set connection timeout idle 1:00:00"
        ));
        assert!(single_slot("inspect dns", "inspect dns preset_dns_map"));
        assert!(!single_slot("inspect h323 h225", "inspect h323 ras"));
    }

    #[test]
    fn durations() {
        assert!(is_duration("1:00:00"));
        assert!(is_duration("0"));
        assert!(!is_duration("1:00"));
        assert!(!is_duration("a:b:c"));
    }
}
