//! The configuration-line grammar: one line of ASA CLI text into a typed [`Command`].
//!
//! Built from nom `complete` parsers over the whole line. Each family is dispatched on its
//! first word before any nom work; once a keyword commits to a branch, `cut` turns later
//! failures into hard errors so the caret points at the offending token, as the ASA does:
//!
//! - [`ParseErrorKind::NotModelled`]: a family (or a variant of one) this AST does not model,
//!   such as `access-list ...`, `username x attributes`, `logging host ... format emblem`;
//!   callers keep such lines verbatim.
//! - [`ParseErrorKind::Invalid`]: a modelled command with a bad token
//!   (`ERROR: % Invalid input detected at '^' marker.`).
//! - [`ParseErrorKind::Incomplete`]: a modelled command that stops early
//!   (`ERROR: % Incomplete command`).
//!
//! Keywords match without regard to case; arguments keep theirs.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nom::bytes::complete::take_till1;
use nom::character::complete::{space0, space1};
use nom::combinator::{cut, eof, opt};
use nom::error::{ContextError, ErrorKind, context};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use crate::ast::{
    Command, FqdnFamily, HashScheme, IpRange, LogTransport, Logging, NetworkAddress, Password,
    Severity,
};
use crate::validate::check_object_name;

/// Why a line is not a typed command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the offending token (where the ASA puts its `^` marker).
    pub offset: usize,
    pub kind: ParseErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// The first keyword(s) name a family this AST does not model; callers may keep the line verbatim.
    NotModelled,
    /// A modelled command with a bad token.
    Invalid,
    /// A modelled command that stops early.
    Incomplete,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ParseErrorKind::NotModelled => {
                write!(f, "command not modelled (from byte {})", self.offset)
            }
            ParseErrorKind::Invalid => write!(
                f,
                "% Invalid input detected at '^' marker (byte {})",
                self.offset
            ),
            ParseErrorKind::Incomplete => f.write_str("% Incomplete command"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Longest hostname the ASA accepts.
pub const MAX_HOSTNAME: usize = 63;
/// Longest nameif the ASA accepts.
pub const MAX_NAMEIF: usize = 48;
/// Longest username the ASA accepts.
pub const MAX_USERNAME: usize = 64;
/// Longest clear-text password the ASA accepts.
pub const MAX_PASSWORD: usize = 127;
/// Longest `description` text the grammar accepts (interfaces take 240 characters, objects 200:
/// the grammar does not know the mode, so it takes the larger).
pub const MAX_DESCRIPTION_TEXT: usize = 240;

/// Parses one configuration line (no indentation, no trailing white space).
pub fn parse_command(line: &str) -> Result<Command, ParseError> {
    let first = line.split([' ', '\t']).next().unwrap_or("");
    let rest = &line[first.len()..];
    let mut buf = [0u8; KEYWORD_BUF];
    let result = match lower(first, &mut buf) {
        "hostname" => hostname(rest),
        "interface" => interface(rest),
        "nameif" => nameif(rest),
        "security-level" => security_level(rest),
        "ip" => ip_address(rest),
        "shutdown" => bare(rest, Command::Shutdown),
        "description" => description(rest),
        "username" => username(rest),
        "object" => object_network(rest),
        "host" | "subnet" | "range" | "fqdn" => {
            address_tail(first, rest).map(|(i, a)| (i, Command::Address(a)))
        }
        "logging" => logging(rest).map(|(i, l)| (i, Command::Logging(l))),
        "exit" => bare(rest, Command::Exit),
        "end" => bare(rest, Command::End),
        "no" => no(rest),
        word if is_configure(word) => configure(rest),
        _ => return Err(not_modelled_at(line, line)),
    };
    match result {
        Ok((_, command)) => Ok(command),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.at(line)),
        // Complete parsers never ask for more input; treat it as a line that stops early.
        Err(nom::Err::Incomplete(_)) => Err(ParseError {
            offset: line.len(),
            kind: ParseErrorKind::Incomplete,
        }),
    }
}

/// Internal nom error: where parsing stopped, and why.
#[derive(Debug, Clone, Copy)]
struct Fail<'a> {
    input: &'a str,
    kind: ParseErrorKind,
}

impl<'a> Fail<'a> {
    fn invalid(input: &'a str) -> Self {
        Fail {
            input,
            kind: ParseErrorKind::Invalid,
        }
    }

    /// Converts to the public error: an invalid token at the end of the line means the
    /// line stopped early.
    fn at(self, line: &str) -> ParseError {
        let offset = offset_of(line, self.input);
        let kind = match self.kind {
            ParseErrorKind::Invalid if self.input.trim().is_empty() => ParseErrorKind::Incomplete,
            kind => kind,
        };
        ParseError { offset, kind }
    }
}

impl<'a> nom::error::ParseError<&'a str> for Fail<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        Fail::invalid(input)
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

impl<'a> ContextError<&'a str> for Fail<'a> {}

type Res<'a, T> = IResult<&'a str, T, Fail<'a>>;

fn not_modelled_at(line: &str, at: &str) -> ParseError {
    ParseError {
        offset: offset_of(line, at),
        kind: ParseErrorKind::NotModelled,
    }
}

/// Byte offset of `at` in `line`, on a character boundary. `at` is normally a slice of
/// `line` (found by address, so a trimmed token that is not a suffix still lands right);
/// anything else counts from the end.
fn offset_of(line: &str, at: &str) -> usize {
    let start = line.as_ptr() as usize;
    let here = at.as_ptr() as usize;
    let mut offset = if (start..=start + line.len()).contains(&here) {
        here - start
    } else {
        line.len().saturating_sub(at.len())
    };
    while !line.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A hard "not modelled" stop at `input`.
fn not_modelled<T>(input: &str) -> Res<'_, T> {
    Err(nom::Err::Failure(Fail {
        input,
        kind: ParseErrorKind::NotModelled,
    }))
}

/// A hard "invalid token" stop at `input`.
fn invalid<T>(input: &str) -> Res<'_, T> {
    Err(nom::Err::Failure(Fail::invalid(input)))
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// One token: everything up to the next blank.
fn token(i: &str) -> Res<'_, &str> {
    take_till1(is_blank).parse(i)
}

/// The next token after at least one blank; fails at the end of the line (so: incomplete).
fn arg(i: &str) -> Res<'_, &str> {
    preceded(space1, token).parse(i)
}

/// The end of the line (trailing blanks allowed); fails at the first extra token.
fn end(i: &str) -> Res<'_, ()> {
    let (i, _) = space0(i)?;
    let (i, _) = eof(i)?;
    Ok((i, ()))
}

/// Whether the line has nothing but blanks left.
fn at_end(i: &str) -> bool {
    i.trim_start_matches(is_blank).is_empty()
}

/// The input positioned on the next token (leading blanks skipped).
fn skip_blanks(i: &str) -> &str {
    i.trim_start_matches(is_blank)
}

/// The next token, checked and converted by `f`; on failure the error points at the token.
fn arg_with<'a, T>(i: &'a str, f: impl FnOnce(&'a str) -> Option<T>) -> Res<'a, T> {
    let (rest, word) = arg(i)?;
    match f(word) {
        Some(value) => Ok((rest, value)),
        None => Err(nom::Err::Error(Fail::invalid(skip_blanks(i)))),
    }
}

/// Optional keyword `kw` as the next token.
fn opt_kw<'a>(
    kw: &'static str,
) -> impl Parser<&'a str, Output = Option<&'a str>, Error = Fail<'a>> {
    opt(move |i: &'a str| {
        let (rest, word) = arg(i)?;
        if word.eq_ignore_ascii_case(kw) {
            Ok((rest, word))
        } else {
            Err(nom::Err::Error(Fail::invalid(i)))
        }
    })
}

/// A command (or keyword) with nothing after it.
fn bare<'a, T>(i: &'a str, value: T) -> Res<'a, T> {
    let (i, _) = cut(end).parse(i)?;
    Ok((i, value))
}

/// Longest keyword [`lower`] folds; longer words cannot be keywords.
const KEYWORD_BUF: usize = 16;

/// `word` in ASCII lower case, without allocating; "" when too long to be a keyword.
fn lower<'b>(word: &str, buf: &'b mut [u8; KEYWORD_BUF]) -> &'b str {
    let Some(slot) = buf.get_mut(..word.len()) else {
        return "";
    };
    slot.copy_from_slice(word.as_bytes());
    slot.make_ascii_lowercase();
    std::str::from_utf8(slot).unwrap_or("")
}

fn is_configure(word: &str) -> bool {
    word.len() >= 4 && "configure".starts_with(word)
}

// ---------------------------------------------------------------------------------------
// Value checks (shared with the printers' round-trip property).

/// Hostname: up to 63 letters, digits, hyphens (and underscores, which real configurations
/// carry), starting with a letter or digit.
pub fn is_hostname(s: &str) -> bool {
    s.len() <= MAX_HOSTNAME
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Interface name (nameif): up to 48 letters, digits, `_`, `-`, `.`.
pub fn is_nameif(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_NAMEIF
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Hardware id (`GigabitEthernet0/1.100`, `Port-channel2`, `Management0/0`, `Vlan10`).
pub fn is_hardware_id(s: &str) -> bool {
    s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | ':' | '-' | '_'))
}

/// Username: 1 to 64 printable characters without white space.
pub fn is_username(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= MAX_USERNAME
        && s.chars().all(|c| !c.is_whitespace() && !c.is_control())
}

/// A password or hash token: printable, no white space; clear passwords at most 127 characters.
fn is_password_token(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| !c.is_whitespace() && !c.is_control())
}

/// Free text of a `description`: printable, at most 240 characters, no surrounding blanks.
pub fn is_description(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= MAX_DESCRIPTION_TEXT
        && !s.chars().any(char::is_control)
        && !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
}

// ---------------------------------------------------------------------------------------
// Families.

/// `hostname <name>`
fn hostname(i: &str) -> Res<'_, Command> {
    let (i, name) = context(
        "hostname",
        cut(|i| arg_with(i, |w| is_hostname(w).then(|| w.to_owned()))),
    )
    .parse(i)?;
    let (i, _) = cut(end).parse(i)?;
    Ok((i, Command::Hostname(name)))
}

/// `interface <hardware-id>`; `interface GigabitEthernet 0/1` is read as `GigabitEthernet0/1`.
fn interface(i: &str) -> Res<'_, Command> {
    let (i, id) = context(
        "interface",
        cut(|i| arg_with(i, |w| is_hardware_id(w).then_some(w))),
    )
    .parse(i)?;
    let mut id = id.to_owned();
    let mut i = i;
    if !at_end(i) {
        let (rest, unit) = cut(|i| {
            arg_with(i, |w: &str| {
                (w.starts_with(|c: char| c.is_ascii_digit()) && is_hardware_id(&format!("{id}{w}")))
                    .then_some(w)
            })
        })
        .parse(i)?;
        id.push_str(unit);
        i = rest;
    }
    let (i, _) = cut(end).parse(i)?;
    Ok((i, Command::Interface(id)))
}

/// `nameif <name>`
fn nameif(i: &str) -> Res<'_, Command> {
    let (i, name) = context(
        "nameif",
        cut(|i| arg_with(i, |w| is_nameif(w).then(|| w.to_owned()))),
    )
    .parse(i)?;
    let (i, _) = cut(end).parse(i)?;
    Ok((i, Command::Nameif(name)))
}

/// `security-level <0-100>`
fn security_level(i: &str) -> Res<'_, Command> {
    let (i, level) = context(
        "security-level",
        cut(|i| arg_with(i, |w| w.parse::<u8>().ok().filter(|l| *l <= 100))),
    )
    .parse(i)?;
    let (i, _) = cut(end).parse(i)?;
    Ok((i, Command::SecurityLevel(level)))
}

fn ipv4(w: &str) -> Option<Ipv4Addr> {
    w.parse().ok()
}

fn ipv6(w: &str) -> Option<Ipv6Addr> {
    w.parse().ok()
}

fn ip(w: &str) -> Option<IpAddr> {
    w.parse().ok()
}

fn contiguous_mask(w: &str) -> Option<Ipv4Addr> {
    ipv4(w).filter(|m| mask_prefix(*m).is_some())
}

/// `ip address <ip> <mask> [standby <ip>]`, `ip address dhcp [setroute]`.
/// Other `ip ...` commands, `ip address pppoe` and `cluster-pool` are not modelled.
fn ip_address(i: &str) -> Res<'_, Command> {
    let (after, second) = cut(arg).parse(i)?;
    if !second.eq_ignore_ascii_case("address") {
        return not_modelled(skip_blanks(i));
    }
    let i = after;
    let (after, third) = cut(arg).parse(i)?;
    if third.eq_ignore_ascii_case("dhcp") {
        let (i, setroute) = opt_kw("setroute").parse(after)?;
        let (i, _) = cut(end).parse(i)?;
        return Ok((
            i,
            Command::IpAddressDhcp {
                setroute: setroute.is_some(),
            },
        ));
    }
    if third.eq_ignore_ascii_case("pppoe") {
        return not_modelled(skip_blanks(i));
    }
    let (i, address) = context("ip address", cut(|i| arg_with(i, ipv4))).parse(i)?;
    let (i, mask) = context("mask", cut(|i| arg_with(i, contiguous_mask))).parse(i)?;
    let mut standby = None;
    let mut i = i;
    if !at_end(i) {
        let (after, word) = arg(i)?;
        if word.eq_ignore_ascii_case("standby") {
            let (rest, ip) = context("standby", cut(|i| arg_with(i, ipv4))).parse(after)?;
            standby = Some(ip);
            i = rest;
        } else if word.eq_ignore_ascii_case("cluster-pool") {
            return not_modelled(skip_blanks(i));
        } else {
            return invalid(skip_blanks(i));
        }
    }
    let (i, _) = cut(end).parse(i)?;
    Ok((
        i,
        Command::IpAddress {
            address,
            mask,
            standby,
        },
    ))
}

/// `description <text>`: the rest of the line.
fn description(i: &str) -> Res<'_, Command> {
    let (text_start, _) = cut(space1).parse(i)?;
    let text = text_start.trim_matches(is_blank);
    if text.is_empty() {
        return invalid(text);
    }
    if let Some((pos, _)) = text.char_indices().find(|(_, c)| c.is_control()) {
        return invalid(&text[pos..]);
    }
    if let Some((pos, _)) = text.char_indices().nth(MAX_DESCRIPTION_TEXT) {
        return invalid(&text[pos..]);
    }
    Ok(("", Command::Description(text.to_owned())))
}

/// `username <name> password <pw> [encrypted|pbkdf2] [privilege <0-15>]`,
/// `username <name> nopassword [privilege <0-15>]`; `attributes` and other password
/// schemes are not modelled.
fn username(i: &str) -> Res<'_, Command> {
    let (i, name) = context(
        "username",
        cut(|i| arg_with(i, |w| is_username(w).then(|| w.to_owned()))),
    )
    .parse(i)?;
    let (i, (password, privilege)) = username_tail(i)?;
    Ok((
        i,
        Command::Username {
            name,
            password,
            privilege,
        },
    ))
}

/// What follows the name on a `username` line.
fn username_tail(i: &str) -> Res<'_, (Password, Option<u8>)> {
    let (after, word) = cut(arg).parse(i)?;
    let mut buf = [0u8; KEYWORD_BUF];
    let (i, password) = match lower(word, &mut buf) {
        "password" => {
            let (i, pw) = context(
                "password",
                cut(|i| arg_with(i, |w| is_password_token(w).then_some(w))),
            )
            .parse(after)?;
            let (after_scheme, scheme) = opt(arg).parse(i)?;
            let scheme = match scheme.map(str::to_ascii_lowercase).as_deref() {
                Some("encrypted") => Some(HashScheme::Encrypted),
                Some("pbkdf2") => Some(HashScheme::Pbkdf2),
                Some("nt-encrypted") => Some(HashScheme::NtEncrypted),
                Some("mschap") if pw.chars().count() > MAX_PASSWORD => {
                    return invalid(skip_blanks(after));
                }
                Some("mschap") => {
                    return username_privilege(after_scheme, Password::ClearMschap(pw.to_owned()));
                }
                _ => None,
            };
            match scheme {
                Some(scheme) => (
                    after_scheme,
                    Password::Hashed {
                        hash: pw.to_owned(),
                        scheme,
                    },
                ),
                None if pw.chars().count() > MAX_PASSWORD => return invalid(skip_blanks(after)),
                None => (i, Password::Clear(pw.to_owned())),
            }
        }
        "nopassword" => (after, Password::None),
        "attributes" => return not_modelled(skip_blanks(i)),
        _ => return invalid(skip_blanks(i)),
    };
    username_privilege(i, password)
}

/// `[privilege <0-15>]` at the end of a `username` line.
fn username_privilege(i: &str, password: Password) -> Res<'_, (Password, Option<u8>)> {
    let mut privilege = None;
    let mut i = i;
    if !at_end(i) {
        let (after, word) = arg(i)?;
        if !word.eq_ignore_ascii_case("privilege") {
            return invalid(skip_blanks(i));
        }
        let (rest, level) = context(
            "privilege",
            cut(|i| arg_with(i, |w| w.parse::<u8>().ok().filter(|l| *l <= 15))),
        )
        .parse(after)?;
        privilege = Some(level);
        i = rest;
    }
    let (i, _) = cut(end).parse(i)?;
    Ok((i, (password, privilege)))
}

/// `object network <name>`; other `object` kinds are not modelled.
fn object_network(i: &str) -> Res<'_, Command> {
    let (i, name) = object_network_name(i)?;
    Ok((i, Command::ObjectNetwork(name)))
}

fn object_network_name(i: &str) -> Res<'_, String> {
    let (after, kind) = cut(arg).parse(i)?;
    if !kind.eq_ignore_ascii_case("network") {
        return not_modelled(skip_blanks(i));
    }
    let (i, name) = context(
        "object name",
        cut(|i| arg_with(i, |w| check_object_name(w).ok().map(|()| w.to_owned()))),
    )
    .parse(after)?;
    let (i, _) = cut(end).parse(i)?;
    Ok((i, name))
}

/// The address of `host|subnet|range|fqdn ...` (`keyword` already read).
fn address_tail<'a>(keyword: &str, i: &'a str) -> Res<'a, NetworkAddress> {
    let mut buf = [0u8; KEYWORD_BUF];
    let (i, address) = match lower(keyword, &mut buf) {
        "host" => {
            let (i, ip) = context("host", cut(|i| arg_with(i, ip))).parse(i)?;
            (i, NetworkAddress::Host(ip))
        }
        "subnet" => subnet(i)?,
        "range" => {
            let (i, start) = context("range", cut(|i| arg_with(i, ip))).parse(i)?;
            let (i, range) = context(
                "range end",
                cut(|i| arg_with(i, |w| ip(w).and_then(|end| IpRange::new(start, end)))),
            )
            .parse(i)?;
            (i, NetworkAddress::Range(range))
        }
        _ => fqdn(i)?,
    };
    let (i, _) = cut(end).parse(i)?;
    Ok((i, address))
}

// issue 13: boot
/// The address of the common `subnet <ipv4> <mask>` and `range <start> <end>` lines (`rest`
/// after the keyword, words apart by one space) without the grammar: what
/// [`parse_command`] reads for them, or `None` when the grammar must decide.
pub(crate) fn address_fast(keyword: &str, rest: &str) -> Option<NetworkAddress> {
    let (a, b) = rest.split_once(' ')?;
    if b.contains(char::is_whitespace) {
        return None;
    }
    match keyword {
        "subnet" => {
            let network = ipv4(a)?;
            let mask = contiguous_mask(b)?;
            (u32::from(network) & !u32::from(mask) == 0)
                .then_some(NetworkAddress::Subnet4 { network, mask })
        }
        "range" => IpRange::new(ip(a)?, ip(b)?).map(NetworkAddress::Range),
        _ => None,
    }
}

/// `subnet <ipv4> <mask>` or `subnet <ipv6>/<prefix>`; host bits must be clear.
fn subnet(i: &str) -> Res<'_, NetworkAddress> {
    let (after, first) = cut(arg).parse(i)?;
    if let Some((ip, len)) = first.split_once('/') {
        let parsed = ipv6(ip).zip(len.parse::<u8>().ok().filter(|p| *p <= 128));
        return match parsed {
            Some((network, prefix)) if u128::from(network) & !v6_mask(prefix) == 0 => {
                Ok((after, NetworkAddress::Subnet6 { network, prefix }))
            }
            _ => invalid(skip_blanks(i)),
        };
    }
    let network = match ipv4(first) {
        Some(network) => network,
        None => return invalid(skip_blanks(i)),
    };
    let (i, mask) = context(
        "subnet mask",
        cut(|i| {
            arg_with(i, |w| {
                contiguous_mask(w).filter(|m| u32::from(network) & !u32::from(*m) == 0)
            })
        }),
    )
    .parse(after)?;
    Ok((i, NetworkAddress::Subnet4 { network, mask }))
}

fn v6_mask(prefix: u8) -> u128 {
    u128::MAX
        .checked_shl(128 - u32::from(prefix.min(128)))
        .unwrap_or(0)
}

/// `fqdn [v4|v6] <name>`
fn fqdn(i: &str) -> Res<'_, NetworkAddress> {
    let (after, first) = cut(arg).parse(i)?;
    let family = match first.to_ascii_lowercase().as_str() {
        "v4" => Some(FqdnFamily::V4),
        "v6" => Some(FqdnFamily::V6),
        _ => None,
    };
    let (i, family) = match family {
        Some(family) if !at_end(after) => (after, Some(family)),
        _ => (i, None),
    };
    let (i, name) = context(
        "fqdn",
        cut(|i| arg_with(i, |w| is_fqdn(w).then(|| Box::from(w)))),
    )
    .parse(i)?;
    Ok((i, NetworkAddress::Fqdn { family, name }))
}

/// `logging enable|timestamp|buffered <l>|trap <l>|host ...` (after `logging`).
/// Other logging commands, event lists and `host` options are not modelled.
fn logging(i: &str) -> Res<'_, Logging> {
    logging_common(i, false)
}

/// What follows `logging` or, when `negated`, `no logging`: in the `no` form a level may be
/// left out (the ASA ignores it there; it reads as `debugging`).
fn logging_common(i: &str, negated: bool) -> Res<'_, Logging> {
    let (after, word) = cut(arg).parse(i)?;
    let mut buf = [0u8; KEYWORD_BUF];
    match lower(word, &mut buf) {
        "enable" => bare(after, Logging::Enable),
        "timestamp" => {
            if !at_end(after) {
                return not_modelled(skip_blanks(after));
            }
            Ok((after, Logging::Timestamp))
        }
        "buffered" => level(after, negated).map(|(i, l)| (i, Logging::Buffered(l))),
        "trap" => level(after, negated).map(|(i, l)| (i, Logging::Trap(l))),
        "host" => logging_host(after),
        _ => not_modelled(skip_blanks(i)),
    }
}

/// A severity by name or digit; an unknown word is an event list (not modelled).
fn level(i: &str, optional: bool) -> Res<'_, Severity> {
    if optional && at_end(i) {
        return Ok((i, Severity::Debugging));
    }
    let (after, word) = cut(arg).parse(i)?;
    let level = match word.parse::<Severity>() {
        Ok(level) => level,
        Err(_) if word.starts_with(|c: char| c.is_ascii_digit()) => return invalid(skip_blanks(i)),
        Err(_) => return not_modelled(skip_blanks(i)),
    };
    let (after, _) = cut(end).parse(after)?;
    Ok((after, level))
}

/// `host <nameif> <ip> [udp/<port>|tcp/<port>]`
fn logging_host(i: &str) -> Res<'_, Logging> {
    let (i, nameif) = context(
        "logging host",
        cut(|i| arg_with(i, |w| is_nameif(w).then(|| w.to_owned()))),
    )
    .parse(i)?;
    let (i, address) = context("logging host address", cut(|i| arg_with(i, ip))).parse(i)?;
    if at_end(i) {
        return Ok((
            i,
            Logging::Host {
                nameif,
                address,
                transport: None,
            },
        ));
    }
    let (after, word) = arg(i)?;
    let transport = match word.split_once('/') {
        Some((proto, port))
            if proto.eq_ignore_ascii_case("udp") || proto.eq_ignore_ascii_case("tcp") =>
        {
            let port = match port.parse::<u16>() {
                Ok(p) if p > 0 => p,
                _ => return invalid(skip_blanks(i)),
            };
            if proto.eq_ignore_ascii_case("udp") {
                LogTransport::Udp(port)
            } else {
                LogTransport::Tcp(port)
            }
        }
        // `tcp`, `udp` without a port, `6/1470` and options such as `format emblem`.
        _ => return not_modelled(skip_blanks(i)),
    };
    if !at_end(after) {
        return not_modelled(skip_blanks(after));
    }
    Ok((
        after,
        Logging::Host {
            nameif,
            address,
            transport: Some(transport),
        },
    ))
}

/// `configure terminal` (`conf t`); other `configure` targets are not modelled.
fn configure(i: &str) -> Res<'_, Command> {
    let (after, word) = cut(arg).parse(i)?;
    if !"terminal".starts_with(&word.to_ascii_lowercase()) {
        return not_modelled(skip_blanks(i));
    }
    bare(after, Command::ConfigureTerminal)
}

/// `no ...` forms. Trailing arguments of `no nameif|security-level|ip address|description`
/// are accepted and ignored, as on the ASA.
fn no(i: &str) -> Res<'_, Command> {
    let (after, word) = cut(arg).parse(i)?;
    let mut buf = [0u8; KEYWORD_BUF];
    match lower(word, &mut buf) {
        "nameif" => Ok(("", Command::NoNameif)),
        "security-level" => Ok(("", Command::NoSecurityLevel)),
        "description" => Ok(("", Command::NoDescription)),
        "shutdown" => bare(after, Command::NoShutdown),
        "ip" => {
            let (_, second) = cut(arg).parse(after)?;
            if second.eq_ignore_ascii_case("address") {
                Ok(("", Command::NoIpAddress))
            } else {
                not_modelled(skip_blanks(after))
            }
        }
        "username" => {
            let (rest, name) = context(
                "username",
                cut(|i| arg_with(i, |w| is_username(w).then(|| w.to_owned()))),
            )
            .parse(after)?;
            if at_end(rest) {
                return Ok((rest, Command::NoUsername(name)));
            }
            let (_, next) = arg(rest)?;
            if next.eq_ignore_ascii_case("attributes") {
                return not_modelled(skip_blanks(rest));
            }
            let (rest, _) = username_tail(rest)?;
            Ok((rest, Command::NoUsername(name)))
        }
        "object" => object_network_name(after).map(|(i, n)| (i, Command::NoObjectNetwork(n))),
        "host" | "subnet" | "range" | "fqdn" => {
            address_tail(word, after).map(|(i, a)| (i, Command::NoAddress(a)))
        }
        "logging" => logging_common(after, true).map(|(i, l)| (i, Command::NoLogging(l))),
        _ => not_modelled(skip_blanks(i)),
    }
}

/// The prefix length of a contiguous IPv4 mask.
pub fn mask_prefix(mask: std::net::Ipv4Addr) -> Option<u8> {
    let bits = u32::from(mask);
    let ones = bits.leading_ones();
    if bits.checked_shl(ones).unwrap_or(0) == 0 {
        u8::try_from(ones).ok()
    } else {
        None
    }
}

/// The IPv4 mask of a prefix length (0..=32; longer is treated as 32).
pub fn prefix_mask(prefix: u8) -> std::net::Ipv4Addr {
    let prefix = u32::from(prefix.min(32));
    std::net::Ipv4Addr::from(u32::MAX.checked_shl(32 - prefix).unwrap_or(0))
}

/// A domain name as `fqdn` takes it.
pub fn is_fqdn(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && !s.starts_with(['.', '-'])
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

#[cfg(test)]
mod fast_tests {
    use super::*;

    // issue 13: boot
    /// The fast path reads what the grammar reads, or leaves the line to it.
    #[test]
    fn address_fast_agrees_with_the_grammar() {
        let lines = [
            "subnet 10.42.3.64 255.255.255.224",
            "subnet 0.0.0.0 0.0.0.0",
            "subnet 10.0.0.1 255.255.255.0",
            "subnet 10.0.0.0 255.0.255.0",
            "subnet 10.0.0.0 255.0.0.0 extra",
            "subnet 10.0.0.0  255.0.0.0",
            "subnet 2001:db8::/32 x",
            "subnet 010.0.0.0 255.0.0.0",
            "range 100.64.0.1 100.64.0.9",
            "range 100.64.0.9 100.64.0.1",
            "range 100.64.0.1 100.64.0.1",
            "range 10.0.0.1 2001:db8::1",
            "range 2001:db8::1 2001:db8::9",
            "range 10.0.0.1 10.0.0.300",
        ];
        for line in lines {
            let (keyword, rest) = line.split_once(' ').unwrap();
            if let Some(fast) = address_fast(keyword, rest) {
                assert_eq!(
                    parse_command(line).ok(),
                    Some(Command::Address(fast)),
                    "{line}"
                );
            }
        }
        assert!(address_fast("subnet", "10.42.3.64 255.255.255.224").is_some());
        assert!(address_fast("range", "100.64.0.1 100.64.0.9").is_some());
    }

    proptest::proptest! {
        #[test]
        fn address_fast_never_disagrees(
            keyword in "(subnet|range)",
            a in "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}|[0-9a-f:]{2,9}",
            b in "(255|254|0|128|10|1)\\.(255|0|128|1)\\.(255|0|7)\\.(0|255|9)|[0-9a-f:]{2,9}",
        ) {
            let rest = format!("{a} {b}");
            if let Some(fast) = address_fast(&keyword, &rest) {
                proptest::prop_assert_eq!(
                    parse_command(&format!("{keyword} {rest}")).ok(),
                    Some(Command::Address(fast))
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Command as C;
    use proptest::prelude::*;

    #[test]
    fn caret_offset_of_a_trimmed_token_is_where_the_token_starts() {
        // A C1 control character followed by a blank that trimming removed: the caret goes
        // at the control character, on a character boundary (it used to land inside it).
        let line = "description\t\u{80} ";
        let e = parse_command(line).unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::Invalid);
        assert_eq!(e.offset, "description\t".len());
    }

    fn err(line: &str) -> (ParseErrorKind, usize) {
        match parse_command(line) {
            Ok(c) => panic!("{line:?} parsed as {c:?}"),
            Err(e) => (e.kind, e.offset),
        }
    }

    fn ok(line: &str) -> Command {
        match parse_command(line) {
            Ok(c) => c,
            Err(e) => panic!("{line:?}: {e:?}"),
        }
    }

    #[test]
    fn reads_interface_block_lines() {
        assert_eq!(
            ok("interface GigabitEthernet0/1.100"),
            C::Interface("GigabitEthernet0/1.100".into())
        );
        assert_eq!(
            ok("interface GigabitEthernet 0/1"),
            C::Interface("GigabitEthernet0/1".into())
        );
        assert_eq!(ok("nameif inside"), C::Nameif("inside".into()));
        assert_eq!(ok("no nameif"), C::NoNameif);
        assert_eq!(ok("security-level 100"), C::SecurityLevel(100));
        assert_eq!(ok("no security-level"), C::NoSecurityLevel);
        assert_eq!(
            ok("ip address 10.0.0.1 255.255.255.0 standby 10.0.0.2"),
            C::IpAddress {
                address: Ipv4Addr::new(10, 0, 0, 1),
                mask: Ipv4Addr::new(255, 255, 255, 0),
                standby: Some(Ipv4Addr::new(10, 0, 0, 2)),
            }
        );
        assert_eq!(
            ok("ip address dhcp setroute"),
            C::IpAddressDhcp { setroute: true }
        );
        assert_eq!(ok("ip address dhcp"), C::IpAddressDhcp { setroute: false });
        assert_eq!(ok("no ip address"), C::NoIpAddress);
        assert_eq!(ok("shutdown"), C::Shutdown);
        assert_eq!(ok("no shutdown"), C::NoShutdown);
        assert_eq!(
            ok("description LAN  Failover Interface"),
            C::Description("LAN  Failover Interface".into())
        );
        assert_eq!(ok("no description"), C::NoDescription);
    }

    #[test]
    fn reads_object_network_lines() {
        assert_eq!(ok("object network web-1"), C::ObjectNetwork("web-1".into()));
        assert_eq!(
            ok("no object network web-1"),
            C::NoObjectNetwork("web-1".into())
        );
        assert_eq!(
            ok("host 2001:db8:0000:4202::4:4"),
            C::Address(NetworkAddress::Host(
                "2001:db8:0:4202::4:4".parse().unwrap()
            ))
        );
        assert_eq!(
            ok("subnet 10.42.3.64 255.255.255.224"),
            C::Address(NetworkAddress::Subnet4 {
                network: Ipv4Addr::new(10, 42, 3, 64),
                mask: Ipv4Addr::new(255, 255, 255, 224)
            })
        );
        assert_eq!(
            ok("subnet 2001:db8::/32"),
            C::Address(NetworkAddress::Subnet6 {
                network: "2001:db8::".parse().unwrap(),
                prefix: 32
            })
        );
        assert_eq!(
            ok("no range 10.0.0.1 10.0.0.9"),
            C::NoAddress(NetworkAddress::Range(
                IpRange::new("10.0.0.1".parse().unwrap(), "10.0.0.9".parse().unwrap()).unwrap()
            ))
        );
        assert_eq!(
            ok("fqdn v6 www.example.com"),
            C::Address(NetworkAddress::Fqdn {
                family: Some(FqdnFamily::V6),
                name: "www.example.com".into()
            })
        );
        assert_eq!(
            ok("fqdn www.example.com"),
            C::Address(NetworkAddress::Fqdn {
                family: None,
                name: "www.example.com".into()
            })
        );
    }

    #[test]
    fn reads_usernames() {
        assert_eq!(
            ok("username admin password gWe.oMSKmeGtelxS encrypted privilege 15"),
            C::Username {
                name: "admin".into(),
                password: Password::Hashed {
                    hash: "gWe.oMSKmeGtelxS".into(),
                    scheme: HashScheme::Encrypted
                },
                privilege: Some(15)
            }
        );
        assert_eq!(
            ok("username bob password s3cret"),
            C::Username {
                name: "bob".into(),
                password: Password::Clear("s3cret".into()),
                privilege: None
            }
        );
        assert_eq!(
            ok("username bob nopassword privilege 3"),
            C::Username {
                name: "bob".into(),
                password: Password::None,
                privilege: Some(3)
            }
        );
        assert_eq!(ok("no username bob"), C::NoUsername("bob".into()));
        assert_eq!(
            ok("no username bob password x privilege 3"),
            C::NoUsername("bob".into())
        );
    }

    #[test]
    fn reads_logging_lines() {
        assert_eq!(ok("logging enable"), C::Logging(Logging::Enable));
        assert_eq!(
            ok("logging trap 4"),
            C::Logging(Logging::Trap(Severity::Warnings))
        );
        assert_eq!(
            ok("logging buffered informational"),
            C::Logging(Logging::Buffered(Severity::Informational))
        );
        assert_eq!(
            ok("no logging buffered"),
            C::NoLogging(Logging::Buffered(Severity::Debugging))
        );
        assert_eq!(
            ok("logging host inside 10.1.1.1 tcp/1470"),
            C::Logging(Logging::Host {
                nameif: "inside".into(),
                address: "10.1.1.1".parse().unwrap(),
                transport: Some(LogTransport::Tcp(1470))
            })
        );
        assert_eq!(
            ok("logging host inside 2001::1:1 udp/2020").to_string(),
            "logging host inside 2001::1:1 udp/2020"
        );
        assert_eq!(
            ok("no logging host mgmt 172.16.0.9"),
            C::NoLogging(Logging::Host {
                nameif: "mgmt".into(),
                address: "172.16.0.9".parse().unwrap(),
                transport: None
            })
        );
    }

    #[test]
    fn reads_mode_commands() {
        assert_eq!(ok("configure terminal"), C::ConfigureTerminal);
        assert_eq!(ok("conf t"), C::ConfigureTerminal);
        assert_eq!(ok("exit"), C::Exit);
        assert_eq!(ok("end"), C::End);
        assert_eq!(ok("hostname asa_dns"), C::Hostname("asa_dns".into()));
    }

    #[test]
    fn leaves_other_families_and_variants_unmodelled() {
        for line in [
            "access-list a extended permit ip any any",
            "username bob attributes",
            "no username bob attributes",
            "logging host inside 10.0.0.1 format emblem",
            "logging host outside 10.0.0.4 tcp",
            "logging host inside 10.0.0.1 udp/514 format emblem",
            "logging asdm informational",
            "logging timestamp rfc5424",
            "logging buffered my-event-list",
            "ip address pppoe setroute",
            "ip local pool p 10.0.0.1-10.0.0.9",
            "ip address 10.0.0.1 255.255.255.0 cluster-pool pool",
            "object service web",
            "no object service web",
            "no logging message 10101010",
            "no hostname",
            "configure memory",
            "object-group network g",
            "",
        ] {
            assert_eq!(err(line).0, ParseErrorKind::NotModelled, "{line}");
        }
    }

    #[test]
    fn points_at_the_bad_token() {
        assert_eq!(err("security-level 101"), (ParseErrorKind::Invalid, 15));
        assert_eq!(err("nameif in side"), (ParseErrorKind::Invalid, 10));
        assert_eq!(
            err("ip address 10.0.0.1 255.0.255.0"),
            (ParseErrorKind::Invalid, 20)
        );
        assert_eq!(
            err("subnet 10.0.0.1 255.255.255.0"),
            (ParseErrorKind::Invalid, 16)
        );
        assert_eq!(err("subnet 2001:db8::1/32"), (ParseErrorKind::Invalid, 7));
        assert_eq!(
            err("range 10.0.0.9 10.0.0.1"),
            (ParseErrorKind::Invalid, 15)
        );
        assert_eq!(err("range 10.0.0.1 2001::1"), (ParseErrorKind::Invalid, 15));
        assert_eq!(err("host 10.0.0.300"), (ParseErrorKind::Invalid, 5));
        assert_eq!(err("hostname -bad"), (ParseErrorKind::Invalid, 9));
        assert_eq!(err("object network any"), (ParseErrorKind::Invalid, 15));
        assert_eq!(
            err("username bob password x privilege 16"),
            (ParseErrorKind::Invalid, 34)
        );
        assert_eq!(
            err("logging host inside 10.0.0.1 udp/0"),
            (ParseErrorKind::Invalid, 29)
        );
        assert_eq!(err("logging trap 9"), (ParseErrorKind::Invalid, 13));
        assert_eq!(err("shutdown now"), (ParseErrorKind::Invalid, 9));
        assert_eq!(err("exit 1"), (ParseErrorKind::Invalid, 5));
        assert_eq!(err("description a\u{7}b"), (ParseErrorKind::Invalid, 13));
    }

    #[test]
    fn reports_lines_that_stop_early() {
        for line in [
            "hostname",
            "nameif",
            "ip address",
            "ip address 10.0.0.1",
            "ip address 10.0.0.1 255.255.255.0 standby",
            "username bob",
            "username bob password",
            "object network",
            "host",
            "subnet 10.0.0.0",
            "range 10.0.0.1",
            "logging trap",
            "logging host inside",
            "description",
            "description   ",
            "no",
            "configure",
        ] {
            assert_eq!(err(line).0, ParseErrorKind::Incomplete, "{line}");
        }
    }

    #[test]
    fn converts_between_masks_and_prefixes() {
        assert_eq!(mask_prefix(Ipv4Addr::new(255, 255, 255, 0)), Some(24));
        assert_eq!(mask_prefix(Ipv4Addr::new(0, 0, 0, 0)), Some(0));
        assert_eq!(mask_prefix(Ipv4Addr::new(255, 255, 255, 255)), Some(32));
        assert_eq!(mask_prefix(Ipv4Addr::new(255, 0, 255, 0)), None);
        assert_eq!(prefix_mask(20), Ipv4Addr::new(255, 255, 240, 0));
        assert_eq!(prefix_mask(0), Ipv4Addr::new(0, 0, 0, 0));
    }

    proptest! {
        #[test]
        fn every_command_round_trips(c in crate::strategies::command()) {
            let text = c.to_string();
            prop_assert_eq!(parse_command(&text), Ok(c), "{}", text);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,80}") {
            let _ = parse_command(&s);
        }

        #[test]
        fn arbitrary_modelled_prefixes_never_panic(
            head in prop::sample::select(vec![
                "hostname", "interface", "nameif", "security-level", "ip address", "description",
                "username", "object network", "host", "subnet", "range", "fqdn", "logging",
                "logging host", "no", "no logging", "conf", "exit",
            ]),
            tail in "[ -~\\t\u{0}-\u{1f}\u{80}-\u{10ffff}]{0,60}",
        ) {
            let line = format!("{head}{tail}");
            if let Err(e) = parse_command(&line) {
                prop_assert!(e.offset <= line.len());
                prop_assert!(line.is_char_boundary(e.offset));
            }
        }
    }
}
