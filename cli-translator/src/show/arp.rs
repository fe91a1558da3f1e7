//! `show arp`: `<interface> <ip>[/<len>] <mac> <age>` lines, age in seconds, `-` for a
//! static entry or `alias` for an address the ASA answers for itself (proxy ARP).

use std::fmt;
use std::net::Ipv4Addr;

/// The last column of an ARP line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    Seconds(u64),
    /// `-`: a static entry.
    Static,
    /// `alias`: answered by the ASA itself.
    Alias,
}

impl fmt::Display for Age {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Age::Seconds(n) => write!(f, "{n}"),
            Age::Static => f.write_str("-"),
            Age::Alias => f.write_str("alias"),
        }
    }
}

/// One ARP table entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArpEntry {
    /// The interface's nameif.
    pub interface: String,
    pub ip: Ipv4Addr,
    /// `/1` of `10.10.1.1/1` (a range entry), when printed.
    pub prefix_length: Option<u8>,
    /// `0011.2233.4455` as printed.
    pub mac_address: String,
    pub age: Age,
}

impl ArpEntry {
    /// Whether the ASA answers for this address itself (`alias`).
    pub fn proxy_arp(&self) -> bool {
        self.age == Age::Alias
    }
}

/// Whether a word is a MAC address in Cisco's dotted form (`aa11.bbff.ee55`).
pub fn is_mac(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn entry(line: &str) -> Option<ArpEntry> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let [interface, ip, mac, age] = words.as_slice() else {
        return None;
    };
    let (ip, prefix_length) = match ip.split_once('/') {
        Some((ip, len)) => (ip, Some(len.parse::<u8>().ok().filter(|l| *l <= 32)?)),
        None => (*ip, None),
    };
    if !is_mac(mac) {
        return None;
    }
    let age = match *age {
        "-" => Age::Static,
        "alias" => Age::Alias,
        n => Age::Seconds(n.parse().ok()?),
    };
    Some(ArpEntry {
        interface: (*interface).to_owned(),
        ip: ip.parse().ok()?,
        prefix_length,
        mac_address: (*mac).to_owned(),
        age,
    })
}

/// Parses `show arp` output; lines that are not entries (an echoed prompt, a blank) are skipped.
pub fn parse(text: &str) -> Vec<ArpEntry> {
    text.lines().filter_map(entry).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_dynamic_static_and_alias_entries() {
        let text = "\tinside 10.1.1.20 0050.56aa.0001 42\n\
                    \tinside 10.1.1.1 0050.56aa.0002 alias\n\
                    \tdmz 172.16.0.9/28 0050.56aa.0003 -\n\
                    fw# show arp\n";
        let e = parse(text);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].interface, "inside");
        assert_eq!(e[0].ip, Ipv4Addr::new(10, 1, 1, 20));
        assert_eq!(e[0].age, Age::Seconds(42));
        assert!(!e[0].proxy_arp());
        assert!(e[1].proxy_arp());
        assert_eq!(e[2].prefix_length, Some(28));
        assert_eq!(e[2].age.to_string(), "-");
    }

    #[test]
    fn rejects_malformed_macs_and_addresses() {
        assert!(parse("in 10.0.0.1 0050.56aa 1\n").is_empty());
        assert!(parse("in 10.0.0.300 0050.56aa.0001 1\n").is_empty());
        assert!(parse("in 10.0.0.1/40 0050.56aa.0001 1\n").is_empty());
        assert!(parse("in 10.0.0.1 0050.56aa.000g 1\n").is_empty());
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "(?s).{0,300}") {
            let _ = parse(&text);
        }

        #[test]
        fn printed_entries_parse_back(
            name in "[a-z][a-z0-9_-]{0,10}",
            ip in any::<[u8; 4]>(),
            mac in any::<[u8; 6]>(),
            age in prop_oneof![any::<u32>().prop_map(|n| Age::Seconds(n.into())), Just(Age::Static), Just(Age::Alias)],
        ) {
            let mac = format!("{:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
            let ip = Ipv4Addr::from(ip);
            let e = parse(&format!("\t{name} {ip} {mac} {age}\n"));
            prop_assert_eq!(e, vec![ArpEntry { interface: name, ip, prefix_length: None, mac_address: mac, age }]);
        }
    }
}
