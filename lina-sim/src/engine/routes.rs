//! Static routes: `route <nameif> <net> <mask> [<gw>] [<metric>] [track <n>|tunneled]`,
//! `ipv6 route <nameif> <prefix>/<len> [<gw>] [<metric>] [tunneled]` and their `no` forms.
//!
//! Routes are stored as configuration lines in the translator's canonical spelling (metric
//! always printed), so `show running-config` needs nothing special; loaded lines keep their
//! spelling and are compared by meaning. The interface must carry the nameif (`Null0`
//! always exists), the network must have no host bits, only a default route may be
//! `tunneled`, and adding a route that exists already is an error. Adding a route that differs
//! from an existing one only in its metric or option replaces it, as the ASA does.
//! A write reads only the routes to the same destination on the same interface, which the
//! configuration indexes ([`Key::Route`]; issue 13: writes flat in size).

use cli_translator::parse::prefix_mask;
use cli_translator::resources::route::{Destination, RouteLine, RouteOption, parse_route};
use cli_translator::words::WordError;

use super::apply::{Applier, Step, strip_words, word_offset};
use super::config::{Block, BlockId, Config, Entry, Key, route_key};
use super::error::CliError;
use super::sections::{self, starts_with_words};

impl Applier<'_> {
    /// Handles the route family; `None` when `line` is not one of its commands.
    pub fn route_command(&mut self, line: &str) -> Option<Result<Step, CliError>> {
        let (negate, body) = match strip_words(line, "no") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        if !starts_with_words(body, "route") && !starts_with_words(body, "ipv6 route") {
            return None;
        }
        let shift = usize::from(negate);
        let parsed = match parse_route(body) {
            Ok(r) => r,
            Err(WordError::Foreign) => return None,
            Err(e) => {
                return Some(Err(match e.word() {
                    Some(i) => CliError::invalid(line, word_offset(line, i + shift)),
                    None => CliError::Incomplete,
                }));
            }
        };
        let nameif_word = shift + if parsed.destination.is_v6() { 2 } else { 1 };
        if !parsed.is_null0() && !self.nameif_exists(&parsed.nameif) {
            return Some(Err(CliError::invalid(line, word_offset(line, nameif_word))));
        }
        if negate {
            self.remove_route(&parsed);
            return Some(Ok(Step::Done(None)));
        }
        Some(self.add_route(parsed))
    }

    fn add_route(&mut self, route: RouteLine) -> Result<Step, CliError> {
        if route.destination.has_host_bits() {
            let (address, mask) = match route.destination {
                Destination::V4 { network, prefix } => {
                    (network.to_string(), prefix_mask(prefix).to_string())
                }
                Destination::V6 { network, prefix } => (network.to_string(), format!("/{prefix}")),
            };
            return Err(CliError::AddressMaskMismatch { address, mask });
        }
        if route.option == RouteOption::Tunneled && !route.destination.is_default() {
            return Err(CliError::TunneledRouteNotDefault);
        }
        let canonical = route.to_string();
        let mut same: Option<BlockId> = None;
        for (id, existing) in same_destination(self.cfg, &route) {
            if existing.same_route(&route) {
                if existing == route {
                    return Err(CliError::DuplicateRoute);
                }
                same = Some(id);
                break;
            }
        }
        let entry = Entry::verbatim(canonical);
        match same {
            Some(id) => {
                self.cfg.update(id, |b| b.head = entry);
            }
            None => {
                self.cfg.insert_placed(Block::leaf(entry));
            }
        }
        Ok(Step::Done(None))
    }

    /// `no route ...`: removes the route to the same network through the same gateway on
    /// the same interface, whatever its metric; nothing to remove is no error.
    fn remove_route(&mut self, route: &RouteLine) {
        let ids: Vec<BlockId> = same_destination(self.cfg, route)
            .into_iter()
            .filter(|(_, existing)| existing.same_route(route))
            .map(|(id, _)| id)
            .collect();
        for id in ids {
            self.cfg.remove(id);
        }
    }
}

/// The route lines to `route`'s destination on its interface, parsed, in print order.
fn same_destination(cfg: &Config, route: &RouteLine) -> Vec<(BlockId, RouteLine)> {
    let key = Key::Route(route_key(&route.nameif, &route.destination));
    cfg.lookup_all(&key)
        .into_iter()
        .filter_map(|id| Some((id, parse_route(cfg.block(id)?.head().text).ok()?)))
        .collect()
}

/// Every route line of the configuration, parsed, in print order.
pub fn routes(cfg: &Config) -> impl Iterator<Item = (BlockId, RouteLine)> + '_ {
    let v4 = sections::rank_of_line("route");
    let v6 = sections::rank_of_line("ipv6 route");
    cfg.iter().filter_map(move |(id, b)| {
        let rank = b.rank();
        if rank != v4 && rank != v6 {
            return None;
        }
        parse_route(b.head().text).ok().map(|r| (id, r))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::entropy::Entropy;
    use crate::engine::load::load;

    const BASE: &str = "interface GigabitEthernet0/0\n nameif outside\n!\n\
                        interface GigabitEthernet0/1\n nameif inside\n!\n";

    fn run(cfg: &mut Config, lines: &[&str]) -> Vec<Result<Step, CliError>> {
        let mut rng = Entropy::from_seed([1; 32]);
        let mut a = Applier { cfg, rng: &mut rng };
        lines.iter().map(|l| a.top_level(l)).collect()
    }

    fn booted(extra: &str) -> Config {
        let mut rng = Entropy::from_seed([2; 32]);
        load(&format!("{BASE}{extra}"), &mut rng)
    }

    fn route_lines(cfg: &Config) -> Vec<String> {
        routes(cfg).map(|(_, r)| r.to_string()).collect()
    }

    #[test]
    fn routes_are_stored_canonically_in_their_section() {
        let mut cfg = booted("");
        let r = run(
            &mut cfg,
            &[
                "route outside 0.0.0.0 0.0.0.0 192.0.2.1",
                "ipv6 route outside ::/0 2001:db8::1",
                "route inside 10.0.0.0 255.0.0.0 10.1.1.1 5 track 3",
            ],
        );
        assert!(r.iter().all(Result::is_ok), "{r:?}");
        let heads: Vec<&str> = cfg
            .iter()
            .map(|(_, b)| b.head().text)
            .filter(|t| t.contains("route"))
            .collect();
        assert_eq!(
            heads,
            [
                "ipv6 route outside ::/0 2001:db8::1 1",
                "route outside 0.0.0.0 0.0.0.0 192.0.2.1 1",
                "route inside 10.0.0.0 255.0.0.0 10.1.1.1 5 track 3",
            ]
        );
    }

    #[test]
    fn an_unknown_nameif_is_invalid_input_under_it() {
        let mut cfg = booted("");
        let r = run(&mut cfg, &["route dmz 10.0.0.0 255.0.0.0 10.1.1.1"]);
        assert_eq!(
            r,
            [Err(CliError::invalid(
                "route dmz 10.0.0.0 255.0.0.0 10.1.1.1",
                6
            ))]
        );
        let r = run(&mut cfg, &["ipv6 route dmz ::/0 2001:db8::1"]);
        assert_eq!(
            r,
            [Err(CliError::invalid(
                "ipv6 route dmz ::/0 2001:db8::1",
                11
            ))]
        );
        assert!(route_lines(&cfg).is_empty());
        let r = run(&mut cfg, &["route Null0 10.0.0.0 255.0.0.0"]);
        assert_eq!(r, [Ok(Step::Done(None))]);
    }

    #[test]
    fn a_duplicate_is_an_error_and_a_new_metric_replaces() {
        let mut cfg = booted("route outside 10.0.0.0 255.0.0.0 192.0.2.1\n");
        let r = run(&mut cfg, &["route outside 10.0.0.0 255.0.0.0 192.0.2.1 1"]);
        assert_eq!(r, [Err(CliError::DuplicateRoute)]);
        let r = run(&mut cfg, &["route outside 10.0.0.0 255.0.0.0 192.0.2.1 9"]);
        assert_eq!(r, [Ok(Step::Done(None))]);
        assert_eq!(
            route_lines(&cfg),
            ["route outside 10.0.0.0 255.0.0.0 192.0.2.1 9"]
        );
        // Another gateway for the same network is another route (ECMP or floating).
        let r = run(&mut cfg, &["route outside 10.0.0.0 255.0.0.0 192.0.2.2 9"]);
        assert_eq!(r, [Ok(Step::Done(None))]);
        assert_eq!(route_lines(&cfg).len(), 2);
    }

    #[test]
    fn host_bits_and_tunneled_non_default_routes_are_refused() {
        let mut cfg = booted("");
        let r = run(
            &mut cfg,
            &[
                "route outside 10.0.0.1 255.0.0.0 192.0.2.1",
                "route outside 10.0.0.0 255.0.0.0 192.0.2.1 1 tunneled",
                "route outside 10.0.0.0 255.0.0.0",
                "route outside 10.0.0.0 255.0.0.0 192.0.2.1 1 bogus",
            ],
        );
        assert_eq!(
            r[0],
            Err(CliError::AddressMaskMismatch {
                address: "10.0.0.1".into(),
                mask: "255.0.0.0".into()
            })
        );
        assert_eq!(r[1], Err(CliError::TunneledRouteNotDefault));
        assert_eq!(r[2], Err(CliError::Incomplete));
        assert!(matches!(r[3], Err(CliError::InvalidInput { .. })));
        assert!(route_lines(&cfg).is_empty());
    }

    #[test]
    fn no_removes_the_route_whatever_its_metric_and_spelling() {
        let mut cfg = booted(
            "route outside 10.0.0.0 255.0.0.0 192.0.2.1 4\n\
             ipv6 route outside 2001:db8:0000::/48 2001:db8::1\n",
        );
        let r = run(
            &mut cfg,
            &[
                "no route outside 10.0.0.0 255.0.0.0 192.0.2.1",
                "no ipv6 route outside 2001:db8::/48 2001:db8::1 1",
                "no route outside 172.16.0.0 255.240.0.0 192.0.2.1",
            ],
        );
        assert!(r.iter().all(Result::is_ok), "{r:?}");
        assert!(route_lines(&cfg).is_empty());
    }
}
