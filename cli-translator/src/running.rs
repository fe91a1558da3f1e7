//! The agent's parsed snapshot of `show running-config`: hostname and resource collections.
//!
//! Reading never fails: lines this crate does not model are skipped, and a resource block
//! whose lines do not all parse is kept with what did. Blocks are dispatched on their header
//! text before any grammar work, so a 20,000-object configuration reads in milliseconds.

use crate::ast::Command;
use crate::parse::parse_command;
use crate::tree::is_separator;

pub use crate::resources::RunningConfig;

impl RunningConfig {
    /// Reads a configuration (`show running-config` text).
    ///
    /// Blocks are cut as [`crate::tree::parse_tree`] cuts them (a line without indentation
    /// opens a block, indented lines below it are its children, `!` owns nothing), but over
    /// borrowed lines: no allocation per line.
    pub fn parse(text: &str) -> RunningConfig {
        let mut cfg = RunningConfig::default();
        crate::resources::service_object::add_predefined(&mut cfg.service_objects);
        cfg.reserve_for(text);
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
                cfg.absorb_node(h, &children);
            }
            children.clear();
            header = Some(content);
        }
        if let Some(h) = header {
            cfg.absorb_node(h, &children);
        }
        crate::resources::service_group::settle_refs(&mut cfg);
        // issue 14: NTP keys onto their servers
        crate::resources::ntp::settle_keys(&mut cfg);
        crate::resources::user_object::derive(&mut cfg);
        cfg
    }

    fn absorb_node(&mut self, text: &str, children: &[&str]) {
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
        if let Some(name) = text.strip_prefix("object network ")
            && children.iter().any(|c| c.starts_with("nat "))
        {
            self.nat.absorb_object(name.trim(), children);
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
        self.absorb_block(text, children);
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
}
