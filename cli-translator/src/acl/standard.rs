//! Standard access-list entries: `access-list <acl> standard permit|deny <address>`, where
//! `<address>` is `any4` (or `any`), `host <ipv4>` or `<ipv4> <netmask>`.
//!
//! Standard lists match destination addresses only (route maps, OSPF and VPN filters use
//! them); the REST API has no resource for them, but LINA validates, stores, removes and shows
//! them like any entry.

use std::fmt;
use std::net::Ipv4Addr;

use super::ace::name_hash;
use crate::words::WordError;
use crate::words::Words;

/// One standard entry, after the `standard` keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardAce {
    pub permit: bool,
    pub address: StandardAddress,
}

/// What a standard entry matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandardAddress {
    /// `any4`; `any` is read as the same thing, since standard lists are IPv4 only.
    Any4,
    Host(Ipv4Addr),
    Net {
        network: Ipv4Addr,
        mask: Ipv4Addr,
    },
}

impl fmt::Display for StandardAce {
    /// The canonical spelling, starting with `standard`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = if self.permit { "permit" } else { "deny" };
        write!(f, "standard {action} ")?;
        match self.address {
            StandardAddress::Any4 => f.write_str("any4"),
            StandardAddress::Host(ip) => write!(f, "host {ip}"),
            StandardAddress::Net { network, mask } => write!(f, "{network} {mask}"),
        }
    }
}

/// Parses the words after `standard`, from the cursor's word (the action) to the end of the
/// line; errors name the word of the whole line the cursor reads.
pub fn parse_standard(c: &mut Words<'_>) -> Result<StandardAce, WordError> {
    let permit = match c.word()? {
        "permit" => true,
        "deny" => false,
        _ => return Err(c.bad()),
    };
    let ip = |c: &mut Words<'_>| -> Result<Ipv4Addr, WordError> {
        let w = c.word()?;
        w.parse::<Ipv4Addr>().map_err(|_| c.bad())
    };
    let address = match c.word()? {
        "any4" | "any" => StandardAddress::Any4,
        "host" => StandardAddress::Host(ip(c)?),
        w => {
            let network = w.parse::<Ipv4Addr>().map_err(|_| c.bad())?;
            let mask = ip(c)?;
            if crate::parse::mask_prefix(mask).is_none() {
                return Err(c.bad());
            }
            StandardAddress::Net { network, mask }
        }
    };
    c.end()?;
    Ok(StandardAce { permit, address })
}

/// The hash `show access-list` prints for a standard entry of list `acl`.
pub fn standard_hash(acl: &str, ace: &StandardAce) -> u32 {
    name_hash(&format!("access-list {acl} {ace}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acl::{AclBody, parse_acl_line};
    use proptest::prelude::*;

    fn standard(line: &str) -> Result<StandardAce, WordError> {
        match parse_acl_line(line)?.body {
            AclBody::Standard(s) => Ok(s),
            other => panic!("not a standard entry: {other:?}"),
        }
    }

    #[test]
    fn reads_each_address_form() {
        assert_eq!(
            standard("access-list s standard permit any4").unwrap(),
            StandardAce {
                permit: true,
                address: StandardAddress::Any4
            }
        );
        assert_eq!(
            standard("access-list s standard deny host 198.18.0.1")
                .unwrap()
                .address,
            StandardAddress::Host(Ipv4Addr::new(198, 18, 0, 1))
        );
        let net = standard("access-list s standard deny 198.18.0.0 255.254.0.0").unwrap();
        assert!(!net.permit);
        assert_eq!(net.to_string(), "standard deny 198.18.0.0 255.254.0.0");
    }

    #[test]
    fn any_is_printed_as_any4() {
        let s = standard("access-list s standard permit any").unwrap();
        assert_eq!(s.to_string(), "standard permit any4");
    }

    #[test]
    fn errors_name_the_offending_word() {
        assert_eq!(
            standard("access-list s standard allow any4")
                .unwrap_err()
                .word(),
            Some(3)
        );
        assert_eq!(
            standard("access-list s standard permit host 10.0.0.256")
                .unwrap_err()
                .word(),
            Some(5)
        );
        assert_eq!(
            standard("access-list s standard permit 10.0.0.0 255.0.255.0")
                .unwrap_err()
                .word(),
            Some(5)
        );
        assert_eq!(
            standard("access-list s standard permit any4 log")
                .unwrap_err()
                .word(),
            Some(5)
        );
        assert_eq!(
            standard("access-list s standard permit host"),
            Err(WordError::Incomplete)
        );
    }

    #[test]
    fn hash_follows_the_canonical_line() {
        let a = standard("access-list s standard permit any").unwrap();
        let b = standard("access-list s standard permit any4").unwrap();
        assert_eq!(standard_hash("s", &a), standard_hash("s", &b));
        assert_ne!(standard_hash("s", &a), standard_hash("t", &a));
    }

    proptest! {
        #[test]
        fn printed_entries_read_back(permit: bool, ip: u32, prefix in 0u8..=32, form in 0u8..3) {
            let address = match form {
                0 => StandardAddress::Any4,
                1 => StandardAddress::Host(Ipv4Addr::from(ip)),
                _ => StandardAddress::Net {
                    network: Ipv4Addr::from(ip),
                    mask: crate::parse::prefix_mask(prefix),
                },
            };
            let ace = StandardAce { permit, address };
            let line = format!("access-list s {ace}");
            prop_assert_eq!(standard(&line), Ok(ace));
        }

        #[test]
        fn arbitrary_words_never_panic(words in proptest::collection::vec("[a-z0-9.]{0,12}", 0..6)) {
            let line = format!("access-list s standard {}", words.join(" "));
            let _ = parse_acl_line(&line);
        }
    }
}
