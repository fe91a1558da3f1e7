//! NAT: twice NAT lines (`nat (real,mapped) [<line> | after-auto [<line>]] source ...`),
//! object NAT (`nat ...` inside `object network <name>`, kept in its own block in the NAT
//! section), `no nat ...` (the exact rule, or `no nat [(a,b)] [after-auto] <line>`),
//! `clear configure nat`, and `show nat` in the ASA's format.
//!
//! The running configuration prints section 1 lines, then object NAT blocks, then
//! `after-auto` lines; new rules are placed accordingly. A rule may only name interfaces that
//! have that nameif (or `any`) and objects or groups that exist. New lines are stored in the
//! translator's canonical spelling; a duplicate is found by that text (no per-line parsing,
//! so an insert in a 10,000-rule configuration stays linear and cheap).

use std::fmt::Write as _;

use cli_translator::ast::Command;
use cli_translator::nat::rule::{
    MappedAddr, NatRule, Section, Service, SvcRef, parse_nat_line, parse_object_nat, twice_line,
};
use cli_translator::words::WordError;

use super::apply::{Applier, Step, strip_words, word_offset};
use super::config::{Block, BlockId, Config, Entry, Key};
use super::error::CliError;
use super::sections::{self, starts_with_words};

impl Applier<'_> {
    /// Handles the top-level NAT commands; `None` when `line` is not one.
    pub fn nat_command(&mut self, line: &str) -> Option<Result<Step, CliError>> {
        if let Some(rest) = strip_words(line, "clear configure nat") {
            if !rest.is_empty() {
                return Some(Err(CliError::invalid(line, word_offset(line, 3))));
            }
            self.clear_nat();
            return Some(Ok(Step::Done(None)));
        }
        if starts_with_words(line, "nat") {
            return Some(match parse_nat_line(line) {
                Ok(l) => self.add_twice(l.section, l.line, l.rule),
                Err(e) => Err(nat_error(line, e, 0)),
            });
        }
        if let Some(rest) = strip_words(line, "no nat") {
            return Some(self.remove_twice(line, rest));
        }
        None
    }

    fn clear_nat(&mut self) {
        let nat_rank = sections::rank_of_line("nat");
        let ids: Vec<BlockId> = self
            .cfg
            .iter()
            .filter(|(_, b)| b.rank() == nat_rank)
            .map(|(id, _)| id)
            .collect();
        for id in ids {
            self.cfg.remove(id);
        }
    }

    /// The interfaces exist (or are `any`), and every name is an object or group of its kind.
    fn check_nat_refs(&self, rule: &NatRule) -> Result<(), CliError> {
        let (real, mapped) = rule.interface_names();
        for n in [real, mapped] {
            if n != "any" && !self.nameif_exists(n) {
                return Err(CliError::NoSuchNameif(n.to_owned()));
            }
        }
        for name in rule.network_names() {
            let found = self.cfg.lookup(&Key::Object(name.to_owned())).is_some()
                || self
                    .cfg
                    .find_definition(["object-group", "network", name])
                    .is_some()
                || self.cfg.find_head(&["object", "network", name]).is_some();
            if !found {
                return Err(CliError::NoSuchObject(name.to_owned()));
            }
        }
        for name in rule.service_names() {
            let found = self
                .cfg
                .find_definition(["object", "service", name])
                .is_some()
                || self
                    .cfg
                    .find_definition(["object-group", "service", name])
                    .is_some();
            if !found {
                return Err(CliError::NoSuchObject(name.to_owned()));
            }
        }
        Ok(())
    }

    fn add_twice(
        &mut self,
        section: Section,
        line: Option<u32>,
        rule: NatRule,
    ) -> Result<Step, CliError> {
        self.check_nat_refs(&rule)?;
        let canonical = twice_line(&rule, section, None);
        // The text says the section too: a rule of the same text is a duplicate there.
        if self.cfg.lookup(&Key::NatRule(canonical.clone())).is_some() {
            return Err(CliError::DuplicateNat);
        }
        let block = Block::leaf(Entry::verbatim(canonical));
        // After the section's last rule, or the NAT family's last block: found from the index
        // of places. A `line <n>`, or a first rule of section 1, needs the layout.
        let after = |last: Option<(usize, BlockId)>| {
            last.and_then(|(_, id)| self.cfg.position(id))
                .map(|p| p + 1)
        };
        let pos = match (line, section) {
            (None, Section::Before) => after(self.cfg.group_of(&block))
                .or_else(|| Layout::of(self.cfg).first_nat.map(|(p, _)| p)),
            (None, _) => after(self.cfg.family_of(&block)),
            (Some(n), _) => {
                let layout = Layout::of(self.cfg);
                let lines = layout.section(section);
                usize::try_from(n)
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|i| lines.get(i))
                    .map(|(pos, _)| *pos)
                    .or_else(|| match section {
                        Section::Before => lines
                            .last()
                            .map(|(p, _)| p + 1)
                            .or(layout.first_nat.map(|(p, _)| p)),
                        _ => layout.last_nat.map(|(p, _)| p + 1),
                    })
            }
        };
        match pos {
            Some(p) => {
                self.cfg.insert_at(p, block);
            }
            None => {
                self.cfg.insert_placed(block);
            }
        }
        Ok(Step::Done(None))
    }

    /// `no nat [(a,b)] [after-auto] <line>` or `no nat <rule>`.
    fn remove_twice(&mut self, line: &str, rest: &str) -> Result<Step, CliError> {
        if rest.is_empty() {
            return Err(CliError::Incomplete);
        }
        let text = format!("nat {rest}");
        if let Some((interfaces, section, n)) = line_reference(&text) {
            let layout = Layout::of(self.cfg);
            let lines = layout.section(section);
            let target = usize::try_from(n)
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| lines.get(i))
                .map(|(_, id)| *id)
                .ok_or(CliError::NoSuchNatRule)?;
            if let Some((real, mapped)) = interfaces {
                let same = self
                    .cfg
                    .block(target)
                    .and_then(|b| parse_nat_line(b.head().text).ok())
                    .is_some_and(|l| l.rule.interface_names() == (real.as_str(), mapped.as_str()));
                if !same {
                    return Err(CliError::NoSuchNatRule);
                }
            }
            self.cfg.remove(target);
            return Ok(Step::Done(None));
        }
        let parsed = parse_nat_line(&text).map_err(|e| nat_error(line, e, 1))?;
        let canonical = twice_line(&parsed.rule, parsed.section, None);
        // The canonical text finds the rule from the index; a rule spelled otherwise needs
        // its section's lines and the grammar.
        let target = match self.cfg.lookup(&Key::NatRule(canonical)) {
            Some(id) => id,
            None => Layout::of(self.cfg)
                .section(parsed.section)
                .iter()
                .find(|(_, id)| {
                    self.cfg.block(*id).is_some_and(|b| {
                        parse_nat_line(b.head().text).is_ok_and(|l| l.rule == parsed.rule)
                    })
                })
                .map(|(_, id)| *id)
                .ok_or(CliError::NoSuchNatRule)?,
        };
        self.cfg.remove(target);
        Ok(Step::Done(None))
    }

    /// `nat ...` inside `object network <name>`: the object's NAT lives in its own block in
    /// the NAT section, holding one `nat` line; `no nat ...` removes it.
    pub fn object_nat(&mut self, name: &str, line: &str) -> Result<Step, CliError> {
        let nat_rank = sections::rank_of_line("nat");
        let existing = self
            .object_blocks(name)
            .into_iter()
            .find(|id| self.cfg.block(*id).is_some_and(|b| b.rank() == nat_rank));
        if strip_words(line, "no").is_some() {
            self.drop_inline_nat(name);
            if let Some(id) = existing {
                self.cfg.remove(id);
            }
            return Ok(Step::Done(None));
        }
        let rule = parse_object_nat(line).map_err(|e| nat_error(line, e, 0))?;
        self.check_nat_refs(&rule)?;
        // An object keeps one rule: one typed inside its definition block goes.
        self.drop_inline_nat(name);
        let entry = Entry::verbatim(rule.to_string());
        if let Some(id) = existing {
            self.cfg.update(id, |b| b.children = vec![entry]);
            return Ok(Step::Done(None));
        }
        let block = Block::new(
            Entry::typed(Command::ObjectNetwork(name.to_owned())),
            vec![entry],
        );
        let layout = Layout::of(self.cfg);
        let pos = match (layout.after.first(), layout.last_nat) {
            (Some((p, _)), _) => Some(*p),
            (None, Some((p, _))) => Some(p + 1),
            (None, None) => None,
        };
        match pos {
            Some(p) => {
                self.cfg.insert_at(p, block);
            }
            None => {
                self.cfg.insert_placed(block);
            }
        }
        Ok(Step::Done(None))
    }
}

impl Applier<'_> {
    /// Removes `nat` lines kept inside the definition block of object `name` (a configuration
    /// may hold them there; the ASA prints the rule in its own block).
    fn drop_inline_nat(&mut self, name: &str) {
        let nat_rank = sections::rank_of_line("nat");
        let ids: Vec<BlockId> = self
            .object_blocks(name)
            .into_iter()
            .filter(|id| {
                self.cfg.block(*id).is_some_and(|b| {
                    b.rank() != nat_rank && b.children().any(|c| starts_with_words(c.text, "nat"))
                })
            })
            .collect();
        for id in ids {
            self.cfg.update(id, |b| {
                b.children.retain(|c| !starts_with_words(&c.text, "nat"));
            });
        }
    }
}

/// Where the NAT rules are printed: `(print position, block)` per section, and the first
/// and last block of the NAT family.
#[derive(Debug, Default)]
struct Layout {
    before: Vec<(usize, BlockId)>,
    auto: Vec<(usize, BlockId)>,
    after: Vec<(usize, BlockId)>,
    first_nat: Option<(usize, BlockId)>,
    last_nat: Option<(usize, BlockId)>,
}

impl Layout {
    fn of(cfg: &Config) -> Layout {
        let nat_rank = sections::rank_of_line("nat");
        // The NAT family's blocks only, when they print together, as they do (issue 13: a
        // NAT write read every block here).
        let blocks = cfg.family_run(nat_rank).unwrap_or_else(|| {
            cfg.iter()
                .enumerate()
                .filter(|(_, (_, b))| b.rank() == nat_rank)
                .map(|(pos, (id, _))| (pos, id))
                .collect()
        });
        let mut l = Layout::default();
        for (pos, id) in blocks {
            let Some(b) = cfg.block(id) else {
                continue;
            };
            l.first_nat.get_or_insert((pos, id));
            l.last_nat = Some((pos, id));
            match section_of_head(b.head().text) {
                Some(Section::Before) => l.before.push((pos, id)),
                Some(Section::After) => l.after.push((pos, id)),
                Some(Section::Auto) => l.auto.push((pos, id)),
                None => {}
            }
        }
        l
    }

    fn section(&self, s: Section) -> &[(usize, BlockId)] {
        match s {
            Section::Before => &self.before,
            Section::Auto => &self.auto,
            Section::After => &self.after,
        }
    }
}

/// The section of a NAT-family block, from its first words (no parsing).
pub fn section_of_head(head: &str) -> Option<Section> {
    if head.starts_with("object network ") {
        return Some(Section::Auto);
    }
    let mut words = head.split_whitespace();
    if words.next() != Some("nat") {
        return None;
    }
    let mut w = words.next();
    if w.is_some_and(|x| x.starts_with('(')) {
        w = words.next();
    }
    Some(if w == Some("after-auto") {
        Section::After
    } else {
        Section::Before
    })
}

/// `nat [(a,b)] [after-auto] <n>` with nothing after: the rule at line `n` of its section.
type LineRef = (Option<(String, String)>, Section, u32);

fn line_reference(text: &str) -> Option<LineRef> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut at = 1;
    let mut interfaces = None;
    if let Some(inner) = words.get(at).and_then(|w| w.strip_prefix('(')) {
        let (a, b) = inner.strip_suffix(')')?.split_once(',')?;
        interfaces = Some((a.to_owned(), b.to_owned()));
        at += 1;
    }
    let mut section = Section::Before;
    if words.get(at) == Some(&"after-auto") {
        section = Section::After;
        at += 1;
    }
    let n = words.get(at)?.parse::<u32>().ok()?;
    (words.len() == at + 1).then_some((interfaces, section, n))
}

fn nat_error(line: &str, e: WordError, shift: usize) -> CliError {
    match e {
        WordError::Invalid { word, .. } => CliError::invalid(line, word_offset(line, word + shift)),
        WordError::Foreign | WordError::NotModelled => CliError::invalid(line, 0),
        WordError::Incomplete | WordError::MaskMismatch { .. } => CliError::Incomplete,
    }
}

// ===== show nat =====

/// `show nat`: the rules of the three sections with their (simulated, zero) hit counters.
pub fn show_nat(cfg: &Config) -> String {
    let nat_rank = sections::rank_of_line("nat");
    let mut sections: [Vec<String>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for (_, b) in cfg.iter() {
        if b.rank() != nat_rank {
            continue;
        }
        match section_of_head(b.head().text) {
            Some(Section::Auto) => {
                let name = b.head().text.split_whitespace().nth(2).unwrap_or_default();
                for c in b.children() {
                    if let Ok(rule) = parse_object_nat(c.text) {
                        sections[1].push(show_rule(&rule, name));
                    }
                }
            }
            Some(s) => {
                if let Ok(l) = parse_nat_line(b.head().text) {
                    let real = match &l.rule.real_source {
                        Some(a) => a.to_string(),
                        None => String::new(),
                    };
                    let i = if s == Section::Before { 0 } else { 2 };
                    sections[i].push(show_rule(&l.rule, &real));
                }
            }
            None => {}
        }
    }
    let titles = [
        "Manual NAT Policies (Section 1)",
        "Auto NAT Policies (Section 2)",
        "Manual NAT Policies (Section 3)",
    ];
    let mut out = String::new();
    for (title, rules) in titles.iter().zip(&sections) {
        if rules.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(title);
        out.push('\n');
        for (i, r) in rules.iter().enumerate() {
            let _ = writeln!(out, "{} {r}", i + 1);
            out.push_str("    translate_hits = 0, untranslate_hits = 0\n");
        }
    }
    out
}

/// One rule as `show nat` prints it: `(inside) to (outside) source static a b   destination ...`.
/// The spacing after the translated source follows the ASA: three spaces, two after a PAT
/// pool without options, one before PAT pool options.
fn show_rule(r: &NatRule, real: &str) -> String {
    let (ri, mi) = r.interface_names();
    let mut head = format!("({ri}) to ({mi}) source {} {real} ", r.mode.as_str());
    let mut options = Vec::new();
    let pool = match &r.mapped_source.addr {
        MappedAddr::Addr(a) => {
            let _ = write!(head, "{a}");
            None
        }
        MappedAddr::PatPool { pool, options } => {
            let _ = write!(head, "pat-pool {pool}");
            Some(options)
        }
        MappedAddr::InterfacePatPool { options } => {
            head.push_str("pat-pool interface");
            Some(options)
        }
    };
    let pat = pool.is_some();
    if let Some(o) = pool {
        for (on, w) in [
            (o.extended, "extended"),
            (o.flat, "flat"),
            (o.include_reserve, "include-reserve"),
            (o.round_robin, "round-robin"),
            (o.block_allocation, "block-allocation"),
        ] {
            if on {
                options.push(w);
            }
        }
    }
    match r.mapped_source.fallback {
        Some(true) => head.push_str(" interface ipv6"),
        Some(false) => head.push_str(" interface"),
        None => {}
    }
    let mut rest: Vec<String> = Vec::new();
    if let Some(d) = &r.destination {
        rest.push(format!("destination static {} {}", d.mapped, d.real));
    }
    match r.service.as_deref() {
        Some(Service::Objects { real, mapped }) => {
            rest.push(format!("service {} {}", svc_word(real), svc_word(mapped)))
        }
        Some(s @ Service::Ports { .. }) => rest.push(s.to_string()),
        None => {}
    }
    for (on, w) in [
        (r.net_to_net, "net-to-net"),
        (r.dns, "dns"),
        (r.unidirectional, "unidirectional"),
        (r.no_proxy_arp, "no-proxy-arp"),
        (r.route_lookup, "route-lookup"),
        (r.inactive, "inactive"),
    ] {
        if on {
            rest.push(w.to_owned());
        }
    }
    if let Some(d) = &r.description {
        rest.push(format!("description {d}"));
    }
    let gap = match (pat, options.is_empty()) {
        (false, _) => "   ".to_owned(),
        (true, true) => "  ".to_owned(),
        (true, false) => format!(" {} ", options.join(" ")),
    };
    let mut out = head;
    out.push_str(&gap);
    out.push_str(&rest.join(" "));
    out.truncate(out.trim_end().len());
    out
}

fn svc_word(s: &SvcRef) -> &str {
    match s {
        SvcRef::Any => "any",
        SvcRef::Name(n) => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::entropy::Entropy;
    use crate::engine::load::load;

    const BASE: &str = "\
hostname fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
!
interface GigabitEthernet0/1
 nameif inside
 security-level 100
!
object network lan
 subnet 10.0.0.0 255.0.0.0
object network pub
 host 192.0.2.10
object network dmz-net
 subnet 172.16.0.0 255.255.0.0
object-group network pubs
 network-object host 192.0.2.11
object service web
 service tcp destination eq www
pager lines 24
mtu outside 1500
timeout xlate 3:00:00
";

    fn setup() -> (Config, Entropy) {
        let mut rng = Entropy::from_seed([3; 32]);
        let cfg = load(BASE, &mut rng);
        (cfg, rng)
    }

    fn body(cfg: &Config) -> String {
        let mut out = String::new();
        cfg.print_body("ASA Version X", &mut out);
        out
    }

    fn run(cfg: &mut Config, rng: &mut Entropy, line: &str) -> Result<Step, CliError> {
        let mut a = Applier { cfg, rng };
        a.top_level(line)
    }

    /// Runs each line, every one applied without output.
    fn run_each(cfg: &mut Config, rng: &mut Entropy, lines: &[&str]) {
        for l in lines {
            assert_eq!(run(cfg, rng, l), Ok(Step::Done(None)), "{l}");
        }
    }

    fn nat_lines(cfg: &Config) -> Vec<String> {
        let nat_rank = sections::rank_of_line("nat");
        let mut out = Vec::new();
        for (_, b) in cfg.iter() {
            if b.rank() == nat_rank {
                out.push(b.head().text.to_string());
                for c in b.children() {
                    out.push(format!(" {}", c.text));
                }
            }
        }
        out
    }

    #[test]
    fn sections_print_in_order_and_line_numbers_insert() {
        let (mut cfg, mut rng) = setup();
        run_each(
            &mut cfg,
            &mut rng,
            &[
                "nat (inside,outside) after-auto source dynamic any interface",
                "nat (inside,outside) source static lan lan destination static pubs pubs",
                "nat (inside,outside) source dynamic lan pubs",
                "nat (inside,outside) 1 source static dmz-net dmz-net",
            ],
        );
        {
            let mut a = Applier {
                cfg: &mut cfg,
                rng: &mut rng,
            };
            assert_eq!(
                a.object_nat("pub", "nat (inside,outside) static 198.51.100.1"),
                Ok(Step::Done(None))
            );
        }
        assert_eq!(
            nat_lines(&cfg),
            [
                "nat (inside,outside) source static dmz-net dmz-net",
                "nat (inside,outside) source static lan lan destination static pubs pubs",
                "nat (inside,outside) source dynamic lan pubs",
                "object network pub",
                " nat (inside,outside) static 198.51.100.1",
                "nat (inside,outside) after-auto source dynamic any interface",
            ]
        );
        // The NAT family prints after mtu and before timeout.
        let b = body(&cfg);
        let nat_at = b.find("nat (inside").unwrap();
        assert!(b.find("mtu outside").unwrap() < nat_at);
        assert!(b.find("timeout xlate").unwrap() > nat_at);
    }

    /// A new rule goes after the last of its own section, whatever its interfaces: the index
    /// of places groups twice NAT rules by section (issue 13), not by interface pair.
    #[test]
    fn a_new_rule_goes_after_its_sections_last_whatever_its_interfaces() {
        let (mut cfg, mut rng) = setup();
        run_each(
            &mut cfg,
            &mut rng,
            &[
                "nat (inside,outside) source static lan lan",
                "nat (outside,inside) after-auto source dynamic any interface",
                "nat (outside,inside) source static dmz-net dmz-net",
                "nat (inside,outside) after-auto source dynamic lan interface",
            ],
        );
        assert_eq!(
            nat_lines(&cfg),
            [
                "nat (inside,outside) source static lan lan",
                "nat (outside,inside) source static dmz-net dmz-net",
                "nat (outside,inside) after-auto source dynamic any interface",
                "nat (inside,outside) after-auto source dynamic lan interface",
            ]
        );
        // A duplicate is found by its text, in its own section only.
        assert_eq!(
            run(
                &mut cfg,
                &mut rng,
                "nat (outside,inside) source static dmz-net dmz-net"
            ),
            Err(CliError::DuplicateNat)
        );
        assert_eq!(
            run(
                &mut cfg,
                &mut rng,
                "no nat (outside,inside) source static dmz-net dmz-net"
            ),
            Ok(Step::Done(None))
        );
        assert_eq!(nat_lines(&cfg).len(), 3);
    }

    #[test]
    fn references_and_nameifs_must_exist() {
        let (mut cfg, mut rng) = setup();
        assert_eq!(
            run(&mut cfg, &mut rng, "nat (inside,dmz) source static lan lan"),
            Err(CliError::NoSuchNameif("dmz".into()))
        );
        assert_eq!(
            run(
                &mut cfg,
                &mut rng,
                "nat (inside,outside) source static lan ghost"
            ),
            Err(CliError::NoSuchObject("ghost".into()))
        );
        assert_eq!(
            run(
                &mut cfg,
                &mut rng,
                "nat (inside,outside) source static lan lan service web ghost"
            ),
            Err(CliError::NoSuchObject("ghost".into()))
        );
        assert_eq!(
            run(&mut cfg, &mut rng, "nat (any,any) source static any any"),
            Ok(Step::Done(None))
        );
        assert_eq!(
            run(&mut cfg, &mut rng, "nat (any,any) source static any any"),
            Err(CliError::DuplicateNat)
        );
        assert!(matches!(
            run(
                &mut cfg,
                &mut rng,
                "nat (inside,outside) source bogus lan lan"
            ),
            Err(CliError::InvalidInput { offset: 28, .. })
        ));
    }

    #[test]
    fn no_nat_removes_by_rule_or_by_line() {
        let (mut cfg, mut rng) = setup();
        for l in [
            "nat (inside,outside) source static lan lan",
            "nat (inside,outside) source dynamic lan pubs",
            "nat (inside,outside) after-auto source dynamic any interface",
        ] {
            run(&mut cfg, &mut rng, l).unwrap();
        }
        assert_eq!(
            run(
                &mut cfg,
                &mut rng,
                "no nat (inside,outside) source static lan lan"
            ),
            Ok(Step::Done(None))
        );
        assert_eq!(
            run(
                &mut cfg,
                &mut rng,
                "no nat (inside,outside) source static lan lan"
            ),
            Err(CliError::NoSuchNatRule)
        );
        assert_eq!(
            run(&mut cfg, &mut rng, "no nat (outside,inside) after-auto 1"),
            Err(CliError::NoSuchNatRule)
        );
        assert_eq!(
            run(&mut cfg, &mut rng, "no nat (inside,outside) after-auto 1"),
            Ok(Step::Done(None))
        );
        assert_eq!(run(&mut cfg, &mut rng, "no nat 1"), Ok(Step::Done(None)));
        assert!(nat_lines(&cfg).is_empty());
    }

    #[test]
    fn objects_used_by_nat_cannot_be_deleted() {
        let (mut cfg, mut rng) = setup();
        run(
            &mut cfg,
            &mut rng,
            "nat (inside,outside) source static lan pubs service web web",
        )
        .unwrap();
        assert_eq!(
            run(&mut cfg, &mut rng, "no object-group network pubs"),
            Err(CliError::GroupInUse("pubs".into()))
        );
        assert_eq!(
            run(&mut cfg, &mut rng, "no object network lan"),
            Err(CliError::ObjectInUse("lan".into()))
        );
        assert_eq!(
            run(&mut cfg, &mut rng, "no object service web"),
            Err(CliError::ObjectInUse("web".into()))
        );
        run(&mut cfg, &mut rng, "clear configure nat").unwrap();
        assert_eq!(
            run(&mut cfg, &mut rng, "no object-group network pubs"),
            Ok(Step::Done(None))
        );
    }

    #[test]
    fn show_nat_prints_sections_and_counters() {
        let (mut cfg, mut rng) = setup();
        for l in [
            "nat (inside,outside) source static lan lan destination static pubs pubs net-to-net inactive description test",
            "nat (inside,outside) after-auto source dynamic any pat-pool pubs round-robin",
        ] {
            run(&mut cfg, &mut rng, l).unwrap();
        }
        {
            let mut a = Applier {
                cfg: &mut cfg,
                rng: &mut rng,
            };
            a.object_nat(
                "pub",
                "nat (inside,outside) static 198.51.100.1 service tcp 22 2222",
            )
            .unwrap();
        }
        assert_eq!(
            show_nat(&cfg),
            "Manual NAT Policies (Section 1)\n\
             1 (inside) to (outside) source static lan lan   destination static pubs pubs net-to-net inactive description test\n\
             \x20   translate_hits = 0, untranslate_hits = 0\n\
             \n\
             Auto NAT Policies (Section 2)\n\
             1 (inside) to (outside) source static pub 198.51.100.1   service tcp 22 2222\n\
             \x20   translate_hits = 0, untranslate_hits = 0\n\
             \n\
             Manual NAT Policies (Section 3)\n\
             1 (inside) to (outside) source dynamic any pat-pool pubs round-robin\n\
             \x20   translate_hits = 0, untranslate_hits = 0\n"
        );
    }

    #[test]
    fn the_interface_as_pat_pool_is_stored_printed_and_shown() {
        let (mut cfg, mut rng) = setup();
        run_each(
            &mut cfg,
            &mut rng,
            &[
                "nat (any,outside) source dynamic lan pat-pool interface destination static pubs pubs",
                "nat (inside,outside) after-auto source dynamic any pat-pool interface flat round-robin",
                "nat (inside,outside) source dynamic dmz-net pat-pool pubs interface flat",
            ],
        );
        {
            let mut a = Applier {
                cfg: &mut cfg,
                rng: &mut rng,
            };
            a.object_nat("pub", "nat (inside,outside) dynamic pat-pool interface")
                .unwrap();
        }
        assert!(matches!(
            run(
                &mut cfg,
                &mut rng,
                "nat (inside,outside) source dynamic lan pat-pool interface extended"
            ),
            Err(CliError::InvalidInput { .. })
        ));
        assert_eq!(
            nat_lines(&cfg),
            [
                "nat (any,outside) source dynamic lan pat-pool interface destination static pubs pubs",
                "nat (inside,outside) source dynamic dmz-net pat-pool pubs flat interface",
                "object network pub",
                " nat (inside,outside) dynamic pat-pool interface",
                "nat (inside,outside) after-auto source dynamic any pat-pool interface round-robin flat",
            ]
        );
        let printed = body(&cfg);
        let reloaded = load(&printed, &mut rng);
        assert_eq!(body(&reloaded), printed);
        assert_eq!(
            show_nat(&reloaded),
            "Manual NAT Policies (Section 1)\n\
             1 (any) to (outside) source dynamic lan pat-pool interface  destination static pubs pubs\n\
             \x20   translate_hits = 0, untranslate_hits = 0\n\
             2 (inside) to (outside) source dynamic dmz-net pat-pool pubs interface flat\n\
             \x20   translate_hits = 0, untranslate_hits = 0\n\
             \n\
             Auto NAT Policies (Section 2)\n\
             1 (inside) to (outside) source dynamic pub pat-pool interface\n\
             \x20   translate_hits = 0, untranslate_hits = 0\n\
             \n\
             Manual NAT Policies (Section 3)\n\
             1 (inside) to (outside) source dynamic any pat-pool interface flat round-robin\n\
             \x20   translate_hits = 0, untranslate_hits = 0\n"
        );
    }

    #[test]
    fn an_object_keeps_one_rule_even_when_loaded_inside_its_definition() {
        let mut rng = Entropy::from_seed([3; 32]);
        let mut cfg = load(
            &format!(
                "{BASE}object network inl\n host 10.0.0.9\n nat (inside,outside) static pub\n"
            ),
            &mut rng,
        );
        let mut a = Applier {
            cfg: &mut cfg,
            rng: &mut rng,
        };
        a.object_nat("inl", "nat (inside,outside) dynamic interface")
            .unwrap();
        let lines = nat_lines(&cfg);
        assert_eq!(
            lines,
            [
                "object network inl",
                " nat (inside,outside) dynamic interface"
            ]
        );
        assert!(!body(&cfg).contains("static pub"));
    }

    #[test]
    fn after_auto_lines_after_object_blocks_load_as_top_level_lines() {
        let (mut cfg, mut rng) = setup();
        run(
            &mut cfg,
            &mut rng,
            "nat (inside,outside) after-auto source dynamic any interface",
        )
        .unwrap();
        {
            let mut a = Applier {
                cfg: &mut cfg,
                rng: &mut rng,
            };
            a.object_nat("pub", "nat (inside,outside) static 198.51.100.1")
                .unwrap();
        }
        let printed = body(&cfg);
        let reloaded = load(&printed, &mut rng);
        assert_eq!(body(&reloaded), printed);
        assert_eq!(nat_lines(&reloaded), nat_lines(&cfg));
        assert!(show_nat(&reloaded).contains("Manual NAT Policies (Section 3)"));
    }

    proptest::proptest! {
        /// Any sequence of NAT-ish commands leaves a configuration whose printed text loads
        /// back to the same text, and whose `show nat` never fails.
        #[test]
        fn nat_commands_never_panic_and_keep_the_configuration_loadable(
            cmds in proptest::collection::vec(
                "(no )?nat (\\((inside|outside|any),(inside|outside|any)\\) )?(after-auto )?([1-3] )?(source )?(static|dynamic) (lan|pubs|any|interface|pat-pool pubs|pat-pool interface|192.0.2.9) (lan|pubs|interface|any)?( destination static (pubs|interface) lan)?( dns| inactive| route-lookup)?",
                0..8,
            )
        ) {
            let (mut cfg, mut rng) = setup();
            for c in &cmds {
                let _ = run(&mut cfg, &mut rng, c);
                let mut a = Applier { cfg: &mut cfg, rng: &mut rng };
                let _ = a.object_nat("pub", c.trim_start_matches("no "));
            }
            let printed = body(&cfg);
            let reloaded = load(&printed, &mut rng);
            proptest::prop_assert_eq!(body(&reloaded), printed);
            let _ = show_nat(&reloaded);
        }
    }

    #[test]
    fn reads_section_of_a_head_without_parsing() {
        assert_eq!(
            section_of_head("nat (a,b) after-auto source static x y"),
            Some(Section::After)
        );
        assert_eq!(
            section_of_head("nat (a,b) 3 source static x y"),
            Some(Section::Before)
        );
        assert_eq!(section_of_head("object network o"), Some(Section::Auto));
        assert_eq!(section_of_head("natx"), None);
        assert_eq!(
            line_reference("nat (a,b) after-auto 2"),
            Some((Some(("a".into(), "b".into())), Section::After, 2))
        );
        assert_eq!(line_reference("nat 2 source static a b"), None);
    }
}
