//! Issue 13: brings a parsed snapshot ([`RunningConfig`]) from one generation to the next
//! with what LINA's change journal says the generation changed (`protocol::changes`), at
//! the cost of the change instead of a parse of the whole configuration.
//!
//! Exact by construction: the patched snapshot equals `RunningConfig::parse` of the new
//! `show running-config`. Each block is read as the parse reads it (same absorbers), and an
//! added item takes its place in its collection from the blocks printed next to it
//! (`before` / `after`): right after the item of the block before it, or right before the
//! item of the block after it, or alone in an empty collection. A change whose effect the
//! patch cannot place exactly (an unmodelled family, a derived table, an ambiguous
//! neighbour) is refused with the family's name ([`Unpatched`]): the caller then reads the
//! whole configuration and counts it.
//!
//! Patched: separators, `hostname`, network objects (not object NAT), network object
//! groups, service objects, service groups, static routes (IPv4 and IPv6), extended ACEs
//! (added and removed; not remarks), twice NAT lines and object NAT blocks, interface blocks
//! changed in place (same `nameif`, same DHCP relay servers).

use crate::acl::ace::{AclBody, parse_acl_line, rule_hash};
use crate::acl::lists::AclEntry;
use crate::nat::rule::{Section, parse_nat_line, parse_object_nat};
use crate::nat::rules::NatEntry;
use crate::protocol::{BlockChange, ChangeOp, GenerationChanges};
use crate::resources::network_object::NetworkObject;
use crate::resources::network_object_group::NetworkObjectGroup;
use crate::resources::service_group::ServiceGroup;
use crate::resources::service_object::ServiceObject;
use crate::resources::{Collection, Resource, RunningConfig, route, service_group};
use crate::tree::is_separator;

/// A change the patch does not apply, named by its family ("interface", "nat", ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpatched(pub String);

impl std::fmt::Display for Unpatched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no incremental patch for {}", self.0)
    }
}

impl std::error::Error for Unpatched {}

fn unpatched(family: &str) -> Unpatched {
    Unpatched(family.to_owned())
}

/// A block's lines as the parse reads them: head and sub-command lines, trimmed.
struct Lines<'a> {
    head: &'a str,
    children: Vec<&'a str>,
}

fn lines(text: &str) -> Result<Lines<'_>, Unpatched> {
    let mut head = None;
    let mut children = Vec::new();
    for raw in text.lines() {
        let line = raw.trim_end();
        let content = line.trim_start();
        if content.is_empty() {
            continue;
        }
        match head {
            None if content.len() == line.len() => head = Some(content),
            Some(h) if content.len() != line.len() && !is_separator(h) => children.push(content),
            _ => return Err(unpatched("a block that is not one block")),
        }
    }
    Ok(Lines {
        head: head.unwrap_or(""),
        children,
    })
}

/// What a block feeds in the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// Separators, the version line, lines the parse skips.
    Nothing,
    Hostname,
    NetworkObject,
    NetworkGroup,
    ServiceObject,
    ServiceGroup,
    Route,
    Ace,
    /// A top-level `nat` line (twice NAT, before or after the object rules).
    Nat,
    /// An `object network` block holding only `nat` lines (object NAT).
    ObjectNat,
    /// An `interface` block (patched when it changes in place, keeping its `nameif` and
    /// DHCP relay servers).
    Interface,
}

fn family(b: &Lines<'_>) -> Result<Family, Unpatched> {
    let head = b.head;
    if head.is_empty() || is_separator(head) || head.starts_with("ASA Version") {
        return Ok(Family::Nothing);
    }
    if head.starts_with("hostname ") {
        return Ok(Family::Hostname);
    }
    if head.starts_with(NetworkObject::CLI_HEADER) {
        let nat = b.children.iter().filter(|c| is_nat(c)).count();
        return match nat {
            0 => Ok(Family::NetworkObject),
            n if n == b.children.len() => Ok(Family::ObjectNat),
            _ => Err(unpatched("object NAT")),
        };
    }
    if head.starts_with("nat ") {
        return Ok(Family::Nat);
    }
    if head.starts_with("interface ") {
        return Ok(Family::Interface);
    }
    if head.starts_with(NetworkObjectGroup::CLI_HEADER) {
        return Ok(Family::NetworkGroup);
    }
    if head.starts_with(ServiceObject::CLI_HEADER) {
        return Ok(Family::ServiceObject);
    }
    if head.starts_with(ServiceGroup::CLI_HEADER) {
        return Ok(Family::ServiceGroup);
    }
    if head.starts_with("route ") || head.starts_with("ipv6 route ") {
        return Ok(Family::Route);
    }
    if head.starts_with("access-list ") {
        return match parse_acl_line(head) {
            // The parse skips what it cannot read, and standard lists.
            Err(_) => Ok(Family::Nothing),
            Ok(l) => match l.body {
                AclBody::Standard(_) => Ok(Family::Nothing),
                AclBody::Remark(_) => Err(unpatched("access-list remark")),
                AclBody::Extended(_) => Ok(Family::Ace),
            },
        };
    }
    let word = head.split_whitespace().next().unwrap_or("");
    Err(Unpatched(word.to_owned()))
}

/// The item id a neighbour's glimpse (head and first sub-command) names in collection `R`,
/// when it is a block of that collection.
type KeyOf = fn(&Lines<'_>) -> Option<String>;

fn name_after(b: &Lines<'_>, header: &str) -> Option<String> {
    b.head
        .strip_prefix(header)?
        .split_whitespace()
        .next()
        .map(str::to_owned)
}

fn is_nat(line: &str) -> bool {
    line.starts_with("nat ") || line == "nat"
}

fn network_object_key(b: &Lines<'_>) -> Option<String> {
    if b.children.first().is_some_and(|c| is_nat(c)) {
        return None;
    }
    name_after(b, NetworkObject::CLI_HEADER)
}

fn network_group_key(b: &Lines<'_>) -> Option<String> {
    name_after(b, NetworkObjectGroup::CLI_HEADER)
}

fn service_object_key(b: &Lines<'_>) -> Option<String> {
    name_after(b, ServiceObject::CLI_HEADER)
}

fn service_group_key(b: &Lines<'_>) -> Option<String> {
    name_after(b, ServiceGroup::CLI_HEADER)
}

fn route_key(b: &Lines<'_>) -> Option<String> {
    if !(b.head.starts_with("route ") || b.head.starts_with("ipv6 route ")) {
        return None;
    }
    let mut c = Collection::new();
    route::absorb_line(&mut c, b.head, |_| None);
    c.iter().next().map(|r| r.object_id().to_owned())
}

/// Where an added item goes in its collection, from the blocks printed around it.
fn place<R: Resource>(
    coll: &Collection<R>,
    change: &BlockChange,
    key: KeyOf,
    family: &str,
) -> Result<usize, Unpatched> {
    let glimpse = |g: &Option<String>| {
        g.as_deref()
            .and_then(|t| lines(t).ok())
            .and_then(|l| key(&l))
    };
    if let Some(p) = glimpse(&change.before).and_then(|k| coll.position(&k)) {
        return Ok(p + 1);
    }
    if let Some(p) = glimpse(&change.after).and_then(|k| coll.position(&k)) {
        return Ok(p);
    }
    if coll.iter().all(Resource::is_predefined) {
        return Ok(coll.len());
    }
    Err(unpatched(family))
}

/// The item one block makes of collection `R` alone (none: the block defines nothing).
fn item_of<R: Resource>(b: &Lines<'_>) -> Option<R> {
    let mut c = Collection::new();
    R::absorb_block(&mut c, b.head.strip_prefix(R::CLI_HEADER)?, &b.children);
    let mut items = c.iter().cloned();
    let first = items.next();
    // One block, one item.
    match items.next() {
        None => first,
        Some(_) => None,
    }
}

impl RunningConfig {
    /// Applies one generation's changes (see the module documentation). On an error the
    /// snapshot may be half patched: the caller reads the whole configuration instead.
    pub fn patch(&mut self, changes: &GenerationChanges) -> Result<(), Unpatched> {
        Self::patchable(changes)?;
        let mut services = false;
        for c in &changes.blocks {
            let new = lines(&c.text)?;
            match c.op {
                ChangeOp::Removed => services |= self.unabsorb(&new)?,
                ChangeOp::Added => services |= self.absorb_added(&new, c)?,
                ChangeOp::Replaced => {
                    let old_text = c.old.as_deref().ok_or_else(|| unpatched("replacement"))?;
                    services |= self.absorb_replaced(&lines(old_text)?, &new, c)?;
                }
            }
        }
        if services {
            service_group::settle_refs(self);
        }
        Ok(())
    }

    /// Whether every block of the generation belongs to a patched family (checked before
    /// anything changes, so the common refusal leaves the snapshot whole).
    pub fn patchable(changes: &GenerationChanges) -> Result<(), Unpatched> {
        for c in &changes.blocks {
            family(&lines(&c.text)?)?;
            if let Some(old) = &c.old {
                family(&lines(old)?)?;
            }
        }
        Ok(())
    }

    /// Takes a removed block's contribution out. True when service objects or groups changed.
    fn unabsorb(&mut self, b: &Lines<'_>) -> Result<bool, Unpatched> {
        match family(b)? {
            Family::Nothing => {}
            Family::Hostname => self.hostname = None,
            Family::NetworkObject => {
                if let Some(k) = network_object_key(b) {
                    self.network_objects.remove(&k);
                }
            }
            Family::NetworkGroup => {
                if let Some(k) = network_group_key(b) {
                    self.network_object_groups.remove(&k);
                }
            }
            Family::ServiceObject => {
                if let Some(k) = service_object_key(b) {
                    self.service_objects.remove(&k);
                }
                return Ok(true);
            }
            Family::ServiceGroup => {
                if let Some(k) = service_group_key(b) {
                    self.service_groups.remove(&k);
                }
                return Ok(true);
            }
            Family::Route => {
                if let Some(k) = route_key(b) {
                    self.static_routes.remove(&k);
                }
            }
            Family::Ace => self.remove_ace(b.head)?,
            Family::Nat => {
                let (section, entry) = twice_nat(b.head)?;
                let i = unique_nat(self.nat.section(section), entry.id)?;
                self.nat.section_mut(section).remove(i);
            }
            Family::ObjectNat => {
                let (name, _) = object_nat(b)?;
                self.nat.remove_object(&name);
            }
            Family::Interface => return Err(unpatched("interface")),
        }
        Ok(false)
    }

    /// Puts an added block's contribution in its place. True when service objects or groups
    /// changed.
    fn absorb_added(&mut self, b: &Lines<'_>, c: &BlockChange) -> Result<bool, Unpatched> {
        match family(b)? {
            Family::Nothing => {}
            Family::Hostname => self.set_hostname(b.head),
            Family::NetworkObject => {
                if let Some(item) = item_of::<NetworkObject>(b) {
                    let at = place(&self.network_objects, c, network_object_key, "object")?;
                    insert(&mut self.network_objects, at, item)?;
                }
            }
            Family::NetworkGroup => {
                if let Some(item) = item_of::<NetworkObjectGroup>(b) {
                    let at = place(&self.network_object_groups, c, network_group_key, "group")?;
                    insert(&mut self.network_object_groups, at, item)?;
                }
            }
            Family::ServiceObject => {
                if let Some(item) = item_of::<ServiceObject>(b) {
                    let at = place(&self.service_objects, c, service_object_key, "service")?;
                    insert(&mut self.service_objects, at, item)?;
                }
                return Ok(true);
            }
            Family::ServiceGroup => {
                if let Some(item) = item_of::<ServiceGroup>(b) {
                    let at = place(&self.service_groups, c, service_group_key, "group")?;
                    insert(&mut self.service_groups, at, item)?;
                }
                return Ok(true);
            }
            Family::Route => {
                let mut one = Collection::new();
                let access = &self.access;
                route::absorb_line(&mut one, b.head, |n| access.hardware_of(n));
                if let Some(item) = one.iter().next().cloned() {
                    let at = place(&self.static_routes, c, route_key, "route")?;
                    insert(&mut self.static_routes, at, item)?;
                }
            }
            Family::Ace => self.add_ace(b.head, c)?,
            Family::Nat => {
                let (section, entry) = twice_nat(b.head)?;
                let rules = self.nat.section(section);
                let neighbour = |g: &Option<String>| {
                    g.as_deref()
                        .and_then(|t| lines(t).ok())
                        .and_then(|l| twice_nat(l.head).ok())
                        .filter(|(s, _)| *s == section)
                        .map(|(_, e)| e.id)
                };
                let at = if let Some(id) = neighbour(&c.before) {
                    unique_nat(rules, id)? + 1
                } else if let Some(id) = neighbour(&c.after) {
                    unique_nat(rules, id)?
                } else if rules.is_empty() {
                    0
                } else {
                    return Err(unpatched("nat"));
                };
                self.nat.insert(section, at, entry);
            }
            Family::ObjectNat => {
                let (name, entry) = object_nat(b)?;
                if self.nat.of_object(&name).is_some() {
                    return Err(unpatched("object NAT"));
                }
                let neighbour = |g: &Option<String>| {
                    g.as_deref()
                        .and_then(|t| lines(t).ok())
                        .filter(|l| l.children.first().is_some_and(|c| is_nat(c)))
                        .and_then(|l| name_after(&l, NetworkObject::CLI_HEADER))
                };
                let at = if let Some(p) = neighbour(&c.before).and_then(|n| self.nat.of_object(&n))
                {
                    p + 1
                } else if let Some(p) = neighbour(&c.after).and_then(|n| self.nat.of_object(&n)) {
                    p
                } else if self.nat.auto.is_empty() {
                    0
                } else {
                    return Err(unpatched("object NAT"));
                };
                self.nat.insert(crate::nat::rule::Section::Auto, at, entry);
            }
            Family::Interface => return Err(unpatched("interface")),
        }
        Ok(false)
    }

    /// A block whose content changed in place.
    fn absorb_replaced(
        &mut self,
        old: &Lines<'_>,
        new: &Lines<'_>,
        c: &BlockChange,
    ) -> Result<bool, Unpatched> {
        let (fo, fnew) = (family(old)?, family(new)?);
        let same = |k: KeyOf| k(old).is_some() && k(old) == k(new);
        match (fo, fnew) {
            (Family::Nothing, Family::Nothing) => Ok(false),
            (Family::Hostname, Family::Hostname) => {
                self.set_hostname(new.head);
                Ok(false)
            }
            (Family::NetworkObject, Family::NetworkObject) if same(network_object_key) => {
                replace_in(&mut self.network_objects, old, new, c, network_object_key)?;
                Ok(false)
            }
            (Family::NetworkGroup, Family::NetworkGroup) if same(network_group_key) => {
                replace_in(
                    &mut self.network_object_groups,
                    old,
                    new,
                    c,
                    network_group_key,
                )?;
                Ok(false)
            }
            (Family::ServiceObject, Family::ServiceObject) if same(service_object_key) => {
                let before = service_object_key(old).and_then(|k| self.service_objects.get(&k));
                let written = before.and_then(|o| o.written.clone().map(|w| (o.spec.clone(), w)));
                replace_in(&mut self.service_objects, old, new, c, service_object_key)?;
                // As a reload keeps it: the value last written, while the service is unchanged.
                if let (Some((spec, w)), Some(k)) = (written, service_object_key(new))
                    && self.service_objects.get(&k).is_some_and(|o| o.spec == spec)
                {
                    self.service_objects.update(&k, |o| o.written = Some(w));
                }
                Ok(true)
            }
            (Family::ServiceGroup, Family::ServiceGroup) if same(service_group_key) => {
                replace_in(&mut self.service_groups, old, new, c, service_group_key)?;
                Ok(true)
            }
            (Family::ObjectNat, Family::ObjectNat) if same(object_nat_key) => {
                let (name, entry) = object_nat(new)?;
                let i = self
                    .nat
                    .of_object(&name)
                    .ok_or_else(|| unpatched("object NAT"))?;
                if let Some(slot) = self.nat.auto.get_mut(i) {
                    *slot = entry;
                }
                Ok(false)
            }
            (Family::Interface, Family::Interface) => {
                // What other tables read of an interface: its name (access lists' interface
                // names, routes' and hosts' hardware) and its DHCP relay servers.
                let kept = |prefix: &str| (pick(old, prefix), pick(new, prefix));
                let (old_name, new_name) = kept("nameif ");
                let (old_relay, new_relay) = kept("dhcprelay server ");
                let hardware = new.head.strip_prefix("interface ").unwrap_or_default();
                if old.head != new.head
                    || old_name != new_name
                    || old_relay != new_relay
                    || !self.interfaces.reread_block(hardware, &new.children)
                {
                    return Err(unpatched("interface"));
                }
                Ok(false)
            }
            (Family::Ace, _) | (_, Family::Ace) => Err(unpatched("access-list")),
            _ => {
                let a = self.unabsorb(old)?;
                let b = self.absorb_added(new, c)?;
                Ok(a || b)
            }
        }
    }

    fn set_hostname(&mut self, head: &str) {
        self.hostname = match crate::parse::parse_command(head) {
            Ok(crate::ast::Command::Hostname(name)) => Some(name),
            // The only hostname block does not read: the parse has none.
            _ => None,
        };
    }

    /// An extended ACE added: after the entry of the ACE printed before it, or before the
    /// entry of the ACE printed after it (which then had no remarks).
    fn add_ace(&mut self, head: &str, c: &BlockChange) -> Result<(), Unpatched> {
        let (acl, ace) = extended(head).ok_or_else(|| unpatched("access-list"))?;
        let neighbour = |g: &Option<String>| {
            g.as_deref()
                .and_then(|t| lines(t).ok())
                .and_then(|l| parse_acl_line(l.head).ok())
                .filter(|l| l.acl == acl)
                .map(|l| l.body)
        };
        if self.access.get(&acl).is_none() {
            // A new list goes after every list (the access lists print as one run, where
            // LINA adds a new list's first line: after the last access-list line).
            let last_of_the_run = c
                .before
                .as_deref()
                .is_some_and(|b| b.starts_with("access-list "))
                && !c
                    .after
                    .as_deref()
                    .is_some_and(|a| a.starts_with("access-list "));
            if last_of_the_run
                || (!self.access.has_lists()
                    && c.after
                        .as_deref()
                        .is_none_or(|a| !a.starts_with("access-list ")))
            {
                self.access.absorb_line(head);
                return Ok(());
            }
            return Err(unpatched("access-list"));
        }
        let list = self
            .access
            .get_mut(&acl)
            .ok_or_else(|| unpatched("access-list"))?;
        let at = match (neighbour(&c.before), neighbour(&c.after)) {
            (Some(AclBody::Extended(b)), _) => unique(&list.entries, rule_hash(&acl, &b))? + 1,
            (None, Some(AclBody::Extended(a))) => {
                let i = unique(&list.entries, rule_hash(&acl, &a))?;
                if list.entries.get(i).is_some_and(|e| e.remark_count() > 0) {
                    return Err(unpatched("access-list remark"));
                }
                i
            }
            _ => return Err(unpatched("access-list")),
        };
        let entry = AclEntry::new(&acl, &ace, &[]).map_err(|_| unpatched("access-list"))?;
        list.entries.insert(at.min(list.entries.len()), entry);
        Ok(())
    }

    /// An extended ACE removed: its remarks go to the entry after it, or trail the list.
    fn remove_ace(&mut self, head: &str) -> Result<(), Unpatched> {
        let (acl, ace) = extended(head).ok_or_else(|| unpatched("access-list"))?;
        let list = self
            .access
            .get_mut(&acl)
            .ok_or_else(|| unpatched("access-list"))?;
        let i = unique(&list.entries, rule_hash(&acl, &ace))?;
        let gone = list.entries.remove(i);
        if gone.remark_count() > 0 {
            let remarks = gone.remarks_vec();
            match list.entries.get_mut(i) {
                Some(next) => *next = next.with_remarks_before(&remarks),
                None => {
                    let trailing = std::mem::take(&mut list.trailing_remarks);
                    list.trailing_remarks = remarks.into_iter().chain(trailing).collect();
                }
            }
        }
        self.access.drop_if_empty(&acl);
        Ok(())
    }
}

/// The sub-command lines of a block that start with `prefix`.
fn pick<'a>(b: &Lines<'a>, prefix: &str) -> Vec<&'a str> {
    b.children
        .iter()
        .copied()
        .filter(|c| c.starts_with(prefix))
        .collect()
}

fn object_nat_key(b: &Lines<'_>) -> Option<String> {
    name_after(b, NetworkObject::CLI_HEADER)
}

/// A top-level `nat` line as the parse reads it (one that does not read is not patched: the
/// parse keeps it apart, in order).
fn twice_nat(head: &str) -> Result<(Section, NatEntry), Unpatched> {
    let l = parse_nat_line(head).map_err(|_| unpatched("nat"))?;
    Ok((l.section, NatEntry::new(l.section, None, l.rule)))
}

/// An object NAT block: the object and its rule (the last `nat` line, as the parse keeps it).
fn object_nat(b: &Lines<'_>) -> Result<(String, NatEntry), Unpatched> {
    let name = b
        .head
        .strip_prefix(NetworkObject::CLI_HEADER)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| unpatched("object NAT"))?;
    let mut rule = None;
    for child in &b.children {
        rule = Some(parse_object_nat(child).map_err(|_| unpatched("object NAT"))?);
    }
    let rule = rule.ok_or_else(|| unpatched("object NAT"))?;
    Ok((
        name.to_owned(),
        NatEntry::new(Section::Auto, Some(name.to_owned()), rule),
    ))
}

/// The index of the one rule with id `id` in a section.
fn unique_nat(rules: &[NatEntry], id: u32) -> Result<usize, Unpatched> {
    let mut found = rules.iter().enumerate().filter(|(_, e)| e.id == id);
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Ok(i),
        _ => Err(unpatched("nat")),
    }
}

fn extended(head: &str) -> Option<(String, crate::acl::ace::Ace)> {
    let line = parse_acl_line(head).ok()?;
    match line.body {
        AclBody::Extended(ace) => Some((line.acl, ace)),
        _ => None,
    }
}

/// The index of the one entry with rule id `id` (two equal entries are ambiguous).
fn unique(entries: &[AclEntry], id: u32) -> Result<usize, Unpatched> {
    let mut found = entries.iter().enumerate().filter(|(_, e)| e.id == id);
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Ok(i),
        _ => Err(unpatched("access-list")),
    }
}

fn insert<R: Resource>(coll: &mut Collection<R>, at: usize, item: R) -> Result<(), Unpatched> {
    if coll.insert_at(at, item) {
        Ok(())
    } else {
        Err(unpatched("a repeated block"))
    }
}

/// A keyed block whose content changed: its item replaced in place, added, or removed.
fn replace_in<R: Resource>(
    coll: &mut Collection<R>,
    old: &Lines<'_>,
    new: &Lines<'_>,
    c: &BlockChange,
    key: KeyOf,
) -> Result<(), Unpatched> {
    let id = key(old).ok_or_else(|| unpatched("replacement"))?;
    match (coll.contains(&id), item_of::<R>(new)) {
        (true, Some(item)) => {
            coll.replace(&id, item)
                .ok_or_else(|| unpatched("replacement"))?;
        }
        (true, None) => {
            coll.remove(&id);
        }
        (false, Some(item)) => {
            let at = place(coll, c, key, "replacement")?;
            insert(coll, at, item)?;
        }
        (false, None) => {}
    }
    Ok(())
}
