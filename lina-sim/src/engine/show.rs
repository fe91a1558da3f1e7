//! Show commands with ASA-format output: running-config (whole or filtered, secrets masked),
//! startup-config, version, clock, checksum, logging, hostname, nameif, curpriv; and
//! `more system:running-config` (secrets in clear).

use std::fmt::Write as _;

use cli_translator::ast::Command;
use syslog::Timestamp;

use super::apply::word_offset;
use super::config::print_block;
use super::error::CliError;
use super::mask;
use super::sections::{self, starts_with_words};
use super::session::{Level, Session, abbrev};
use super::{ASA_VERSION, Engine, MODEL, Now, SERIAL_NUMBER};

/// Runs `show ...` (`line` is the whole command).
pub fn show(
    engine: &mut Engine,
    session: &Session,
    line: &str,
    now: Now,
) -> Result<String, CliError> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some(what) = words.get(1).copied() else {
        return Err(CliError::Incomplete);
    };
    let rest = words.get(2..).unwrap_or(&[]);
    let none_after = |n: usize| -> Result<(), CliError> {
        if words.len() > n {
            Err(CliError::invalid(line, word_offset(line, n)))
        } else {
            Ok(())
        }
    };
    if abbrev(what, "running-config", 3) {
        return Ok(for_privilege(session, running_filtered(engine, rest)));
    }
    if abbrev(what, "access-list", 8) {
        return match rest {
            [] => super::acl::show_access_list(&engine.contexts[engine.selected].config, None),
            [name] => {
                super::acl::show_access_list(&engine.contexts[engine.selected].config, Some(name))
            }
            _ => Err(CliError::invalid(line, word_offset(line, 3))),
        };
    }
    if abbrev(what, "startup-config", 4) {
        if let [w] = rest
            && abbrev(w, "errors", 1)
        {
            return Ok(startup_errors(engine));
        }
        none_after(2)?;
        return Ok(for_privilege(
            session,
            mask::mask_config(engine.startup_config().as_str().to_owned()),
        ));
    }
    if what.eq_ignore_ascii_case("aaa")
        && rest
            .first()
            .is_some_and(|w| w.eq_ignore_ascii_case("local"))
        && rest.get(1).is_some_and(|w| abbrev(w, "user", 1))
    {
        return match rest.get(2..).unwrap_or(&[]) {
            [] => Ok(engine.show_aaa_local_user(false)),
            [w] if abbrev(w, "locked", 1) => Ok(engine.show_aaa_local_user(true)),
            _ => Err(CliError::invalid(line, word_offset(line, 5))),
        };
    }
    if what.eq_ignore_ascii_case("crypto") {
        // `show crypto isakmp|ipsec|ikev1|ikev2 ...` (vpn.rs), else keys and certificates.
        if let Some(out) = super::vpn::show(line, what, rest) {
            return out;
        }
        return super::crypto::show(engine, line, rest);
    }
    if abbrev(what, "version", 3) {
        none_after(2)?;
        return Ok(version(engine, now));
    }
    if abbrev(what, "rest-api", 4) {
        return match rest {
            [w] if abbrev(w, "agent", 1) => Ok(engine.show_rest_api_agent()),
            [] => Err(CliError::Incomplete),
            _ => Err(CliError::invalid(line, word_offset(line, 2))),
        };
    }
    if abbrev(what, "clock", 2) {
        none_after(2)?;
        return Ok(format!("{}\n", clock(now)));
    }
    if abbrev(what, "checksum", 3) {
        none_after(2)?;
        return Ok(format!("Cryptochecksum: {}\n", engine.checksum().grouped()));
    }
    if abbrev(what, "logging", 3) {
        let ctx = &mut engine.contexts[engine.selected];
        ctx.logging.refresh(&ctx.config);
        if let [w] = rest
            && abbrev(w, "queue", 1)
        {
            return Ok(engine.contexts[engine.selected].logging.show_queue());
        }
        none_after(2)?;
        let hostname = engine.hostname();
        return Ok(engine.contexts[engine.selected].logging.show(&hostname));
    }
    // issue 14: logging, failover, licensing
    if abbrev(what, "failover", 3) {
        none_after(2)?;
        return Ok(super::platform::show_failover(
            &engine.contexts[engine.selected].config,
            &engine.hostname(),
        ));
    }
    if abbrev(what, "activation-key", 3) {
        none_after(2)?;
        return Ok(engine.license.show_activation());
    }
    if abbrev(what, "license", 3) {
        return match rest {
            [] => Ok(engine.license.show(
                &super::platform::smart_license(&engine.contexts[engine.selected].config),
                now,
            )),
            [w] if abbrev(w, "all", 1) || abbrev(w, "status", 2) || abbrev(w, "summary", 2) => {
                Ok(engine.license.show(
                    &super::platform::smart_license(&engine.contexts[engine.selected].config),
                    now,
                ))
            }
            _ => Err(CliError::invalid(line, word_offset(line, 2))),
        };
    }
    if abbrev(what, "hostname", 4) {
        return match rest {
            [] => Ok(format!("{}\n", engine.hostname())),
            [w] if abbrev(w, "fqdn", 1) => Ok(format!("{}\n", fqdn(engine))),
            _ => Err(CliError::invalid(line, word_offset(line, 2))),
        };
    }
    if abbrev(what, "nat", 3) {
        none_after(2)?;
        return Ok(super::nat::show_nat(
            &engine.contexts[engine.selected].config,
        ));
    }
    if abbrev(what, "ssl", 3) {
        none_after(2)?;
        return Ok(ssl(engine));
    }
    if abbrev(what, "shun", 4) {
        return engine.shuns.show(
            &engine.contexts[engine.selected].config,
            line,
            rest,
            now.unix,
        );
    }
    if abbrev(what, "nameif", 4) {
        none_after(2)?;
        return Ok(nameif_table(engine));
    }
    // issue 15: site-to-site VPN
    if let Some(out) = super::vpn::show(line, what, rest) {
        return out;
    }
    if let Some(out) = super::monitor::show(engine, line, what, rest, now) {
        return out;
    }
    if abbrev(what, "curpriv", 3) {
        none_after(2)?;
        let mode = match session.level {
            Level::UserExec => "P_UNPR",
            Level::PrivExec => "P_PRIV",
            Level::Config | Level::Sub(_) => "P_CONF",
        };
        return Ok(format!(
            "Username : {}\nCurrent privilege level : {}\nCurrent Mode/s : {mode}\n",
            session.user, session.privilege
        ));
    }
    Err(CliError::invalid(line, word_offset(line, 1)))
}

/// A configuration print as `session` may see it: below privilege 15 the password hashes are
/// masked too (docs/secrets.md).
pub fn for_privilege(session: &Session, text: String) -> String {
    if session.privilege < 15 {
        mask::mask_hashes(text)
    } else {
        text
    }
}

/// `more system:running-config`: the running configuration with its secrets in clear, as
/// the ASA prints it there (and saves it). `more` reads files too on an ASA; this simulator
/// knows only this one.
pub fn more(engine: &mut Engine, line: &str) -> Result<String, CliError> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.get(1..).unwrap_or(&[]) {
        [] => Err(CliError::Incomplete),
        [file] if file.eq_ignore_ascii_case("system:running-config") => Ok(engine.running_config()),
        [_] => Err(CliError::invalid(line, word_offset(line, 1))),
        _ => Err(CliError::invalid(line, word_offset(line, 2))),
    }
}

/// `show running-config [all] [words...]`: everything, or the blocks whose line starts with
/// the words (object NAT blocks answer to `nat`, not to `object`); secrets masked.
fn running_filtered(engine: &mut Engine, words: &[&str]) -> String {
    let words = match words.split_first() {
        Some((first, rest)) if first.eq_ignore_ascii_case("all") => rest,
        _ => words,
    };
    if words.is_empty() {
        return engine.shown_running_config();
    }
    let filter = words.join(" ");
    let nat_rank = sections::rank_of_line("nat");
    let want_nat = filter == "nat";
    let mut out = String::new();
    for (_, b) in engine.contexts[engine.selected].config.iter() {
        if b.is_separator() || b.is_version() {
            continue;
        }
        let is_object_nat =
            b.rank() == nat_rank && starts_with_words(b.head().text, "object network");
        let hit = if want_nat {
            b.rank() == nat_rank
        } else {
            let head = b.head().text;
            !is_object_nat
                && (starts_with_words(head, &filter)
                    || head
                        .strip_prefix("no ")
                        .is_some_and(|h| starts_with_words(h, &filter)))
        };
        if hit {
            print_block(b, &mut out);
        }
    }
    mask::mask_config(out)
}

/// `show startup-config errors`: each line boot could not apply, its error as the CLI would
/// have printed it followed by `*** Output from config line N, "<line>"`.
fn startup_errors(engine: &Engine) -> String {
    let mut out = String::new();
    for e in engine.startup_errors() {
        let _ = writeln!(out, "{e}");
    }
    out
}

/// `show ssl`: the protocol settings (the ASA's defaults) and the trust-point of each
/// interface (`ssl trust-point TP IFC`).
fn ssl(engine: &Engine) -> String {
    let mut out = String::from(
        "Accept connections using SSLv3 or greater and negotiate to TLSv1.2 or greater\n\
         Start connections using TLSv1.2 and negotiate to TLSv1.2 or greater\n\
         SSL DH Group: group14 (2048-bit modulus, FIPS)\n\
         SSL ECDH Group: group19 (256-bit EC)\n\n\
         SSL trust-points:\n  Self-signed (RSA 2048 bits RSA-SHA256) certificate available\n",
    );
    for (_, b) in engine.contexts[engine.selected].config.iter() {
        let words: Vec<&str> = b.head().text.split_whitespace().collect();
        match words.as_slice() {
            ["ssl", "trust-point", tp] => {
                let _ = writeln!(out, "  Default: {tp}");
            }
            ["ssl", "trust-point", tp, "domain", domain, ..] => {
                let _ = writeln!(out, "  Domain {domain}: {tp}");
            }
            ["ssl", "trust-point", tp, ifc, ..] => {
                let _ = writeln!(out, "  {ifc} interface: {tp}");
            }
            _ => {}
        }
    }
    out.push_str("Certificate authentication is not enabled\n");
    out
}

fn fqdn(engine: &Engine) -> String {
    let host = engine.hostname();
    let domain = engine.contexts[engine.selected]
        .config
        .iter()
        .find_map(|(_, b)| {
            let rest = b.head().text.strip_prefix("domain-name ")?;
            Some(rest.trim().to_owned())
        });
    match domain {
        Some(d) if !d.is_empty() => format!("{host}.{d}"),
        _ => host,
    }
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// `13:20:01.000 UTC Sun Nov 22 2026`
pub fn clock(now: Now) -> String {
    let civil = Timestamp(now.unix).civil();
    let days = now.unix.div_euclid(86_400);
    let weekday = WEEKDAYS
        .get(days.saturating_add(4).rem_euclid(7) as usize)
        .copied()
        .unwrap_or("Sun");
    format!(
        "{:02}:{:02}:{:02}.{:03} UTC {weekday} {} {} {}",
        civil.hour,
        civil.minute,
        civil.second,
        now.millis.min(999),
        civil.month_name(),
        civil.day,
        civil.year
    )
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("{n} {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// `up 3 days 22 hours`, `up 2 hours 12 mins`, `up 1 year 97 days` ...
pub fn uptime(secs: i64) -> String {
    let secs = secs.max(0);
    let days = secs / 86_400;
    let hours = secs % 86_400 / 3600;
    let mins = secs % 3600 / 60;
    let s = secs % 60;
    if days >= 365 {
        format!(
            "{} {}",
            plural(days / 365, "year"),
            plural(days % 365, "day")
        )
    } else if days > 0 {
        format!("{} {}", plural(days, "day"), plural(hours, "hour"))
    } else if hours > 0 {
        format!("{} {}", plural(hours, "hour"), plural(mins, "min"))
    } else if mins > 0 {
        format!("{} {}", plural(mins, "min"), plural(s, "sec"))
    } else {
        plural(s, "sec")
    }
}

/// Physical interfaces (not sub-interfaces or logical ones), in configuration order.
fn physical_interfaces(engine: &Engine) -> Vec<String> {
    engine.contexts[engine.selected]
        .config
        .iter()
        .filter_map(|(_, b)| match b.head().typed_as("interface") {
            Some(Command::Interface(hw))
                if !hw.contains('.')
                    && !["Port-channel", "Redundant", "BVI"]
                        .iter()
                        .any(|p| hw.starts_with(p)) =>
            {
                Some(hw.clone())
            }
            _ => None,
        })
        .collect()
}

fn version(engine: &Engine, now: Now) -> String {
    let mut out = String::new();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Cisco Adaptive Security Appliance Software Version {ASA_VERSION} "
    );
    if let Some(rest_api_version) = engine.rest_api_version() {
        let _ = writeln!(out, "REST API Agent Version {rest_api_version}");
    }
    let _ = writeln!(out);
    out.push_str("Compiled on Mon 14-Feb-22 14:06 GMT by builders\n");
    out.push_str("System image file is \"boot:/asa9164-smp-k8.bin\"\n");
    out.push_str("Config file at boot was \"startup-config\"\n\n");
    let _ = writeln!(
        out,
        "{} up {}\n",
        engine.hostname(),
        uptime(now.unix - engine.boot_time)
    );
    let _ = writeln!(
        out,
        "Hardware:   {MODEL}, 2048 MB RAM, CPU Xeon 4100/6100/8100 series 2200 MHz,"
    );
    out.push_str("Model Id:   ASAv10\n");
    out.push_str("Internal ATA Compact Flash, 8192MB\n");
    out.push_str("Slot 1: ATA Compact Flash, 8192MB\n");
    out.push_str("BIOS Flash Firmware Hub @ 0x0, 0KB\n\n\n");
    for (i, hw) in physical_interfaces(engine).iter().enumerate() {
        let _ = writeln!(
            out,
            "{i:>2}: Ext: {:<20}: address is 0050.56a0.{:04x}, irq 11",
            hw, i
        );
    }
    out.push('\n');
    // issue 14: logging, failover, licensing
    out.push_str(&super::platform::version_lines(
        &engine.license,
        &engine.contexts[engine.selected].config,
    ));
    out.push_str("Licensed features for this platform:\n");
    for (feature, value) in [
        ("Maximum VLANs", "50"),
        ("Inside Hosts", "Unlimited"),
        ("Failover", "Active/Standby"),
        ("Encryption-DES", "Enabled"),
        ("Encryption-3DES-AES", "Enabled"),
        ("Security Contexts", "0"),
        ("Carrier", "Disabled"),
        ("AnyConnect Premium Peers", "250"),
        ("AnyConnect Essentials", "Disabled"),
        ("Other VPN Peers", "250"),
        ("Total VPN Peers", "250"),
        ("AnyConnect for Mobile", "Disabled"),
        ("AnyConnect for Cisco VPN Phone", "Disabled"),
        ("Advanced Endpoint Assessment", "Disabled"),
        ("Shared License", "Disabled"),
        ("Total TLS Proxy Sessions", "2"),
        ("Botnet Traffic Filter", "Enabled"),
        ("Cluster", "Disabled"),
    ] {
        let _ = writeln!(out, "{feature:<34}: {value}");
    }
    let _ = writeln!(out, "\nSerial Number: {SERIAL_NUMBER}\n");
    out.push_str("Image type          : Release\n");
    out.push_str("Key version         : A\n\n");
    match &engine.contexts[engine.selected].last_change {
        Some((user, at)) => {
            let _ = writeln!(
                out,
                "Configuration last modified by {user} at {}",
                clock(*at)
            );
        }
        None => out.push_str("Configuration has not been modified since last system restart.\n"),
    }
    out
}

fn nameif_table(engine: &Engine) -> String {
    let mut out = format!("{:<25}{:<25}{}\n", "Interface", "Name", "Security");
    for (_, b) in engine.contexts[engine.selected].config.iter() {
        let Some(Command::Interface(hw)) = b.head().typed_as("interface") else {
            continue;
        };
        let mut name = None;
        let mut level = None;
        for c in b.children() {
            match c.command() {
                Some(Command::Nameif(n)) => name = Some(n),
                Some(Command::SecurityLevel(l)) => level = Some(l),
                _ => {}
            }
        }
        if let Some(name) = name {
            let _ = writeln!(out, "{hw:<25}{name:<25}{:>3}", level.unwrap_or(0));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_prints_the_asa_form() {
        // 2026-11-22 13:20:01 UTC was a Sunday.
        let now = Now {
            unix: 1_795_353_601,
            millis: 7,
        };
        assert_eq!(clock(now), "13:20:01.007 UTC Sun Nov 22 2026");
        assert_eq!(
            clock(Now { unix: 0, millis: 0 }),
            "00:00:00.000 UTC Thu Jan 1 1970"
        );
    }

    #[test]
    fn uptime_uses_the_two_largest_units() {
        assert_eq!(uptime(5), "5 secs");
        assert_eq!(uptime(130), "2 mins 10 secs");
        assert_eq!(uptime(2 * 3600 + 12 * 60), "2 hours 12 mins");
        assert_eq!(uptime(3 * 86_400 + 22 * 3600), "3 days 22 hours");
        assert_eq!(uptime(86_400 + 3600), "1 day 1 hour");
        assert_eq!(uptime(462 * 86_400), "1 year 97 days");
    }
}
