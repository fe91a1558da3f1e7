//! Interfaces: `/api/interfaces/{physical,vlan,portchannel,redundant,bvi}` and the
//! `mtu <nameif> <n>` lines, read from `interface` blocks and written back as CLI.
//!
//! - [`model`]: one interface block as the API sees it, and the hardware families.
//! - [`json`]: the API's JSON (always with `ipAddress` and `ipv6Info`) in and out.
//! - [`cli`]: the fewest commands turning one interface into another.
//! - [`nd_prefix`]: `ipv6 nd prefix` lines and their `nDiscoveryPrefixList` items.
//! - [`Interfaces`]: the snapshot's interfaces and `mtu` lines, in configuration order.

pub mod cli;
pub mod json;
pub mod model;
pub mod nd_prefix;

pub use model::{Family, Interface, Ipv4Setting, Ipv6Address, Ipv6Setting, TrafficModule};

/// MTU of an interface without an `mtu` line.
pub const DEFAULT_MTU: u16 = 1500;

/// The API's objectId for a hardware id: its first `/` becomes `_API_SLASH_`.
pub fn object_id(hardware_id: &str) -> String {
    hardware_id.replacen('/', "_API_SLASH_", 1)
}

/// The hardware id an objectId (or a plain hardware id) names.
pub fn hardware_id(object_id: &str) -> String {
    object_id.replacen("_API_SLASH_", "/", 1)
}

/// Every interface block and `mtu` line of a configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interfaces {
    items: Vec<Interface>,
    /// `(nameif, mtu)` of every `mtu` line, in configuration order.
    mtus: Vec<(String, u16)>,
    /// `same-security-traffic permit inter-interface` / `intra-interface`.
    pub setup: Setup,
}

/// The global interface settings (`/api/interfaces/setup`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Setup {
    /// `same-security-traffic permit inter-interface`
    pub inter_interface: bool,
    /// `same-security-traffic permit intra-interface`
    pub intra_interface: bool,
}

impl Interfaces {
    /// Reads one `interface <hw>` block; a block re-opening an interface replaces it.
    pub fn absorb_block(&mut self, hardware: &str, children: &[&str]) {
        // `interface GigabitEthernet 0/1` names `GigabitEthernet0/1`.
        let hardware: String = hardware.split_whitespace().collect();
        if hardware.is_empty() || !crate::parse::is_hardware_id(&hardware) {
            return;
        }
        let iface = Interface::from_block(&hardware, children);
        match self.items.iter_mut().find(|i| i.hardware_id == hardware) {
            Some(slot) => *slot = iface,
            None => self.items.push(iface),
        }
    }

    /// Reads one top-level `mtu <nameif> <n>` line; anything else is ignored.
    pub fn absorb_mtu(&mut self, line: &str) {
        let mut words = line.split_whitespace();
        let (Some("mtu"), Some(nameif), Some(n), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return;
        };
        let Ok(n) = n.parse::<u16>() else {
            return;
        };
        match self.mtus.iter_mut().find(|(name, _)| name == nameif) {
            Some(slot) => slot.1 = n,
            None => self.mtus.push((nameif.to_owned(), n)),
        }
    }

    /// Reads one top-level `ipv6 enforce-eui64 <nameif>` line: a flag of the named interface.
    pub fn absorb_enforce_eui64(&mut self, line: &str) {
        let mut words = line.split_whitespace();
        let (Some("ipv6"), Some("enforce-eui64"), Some(nameif), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return;
        };
        if let Some(i) = self
            .items
            .iter_mut()
            .find(|i| i.nameif.as_deref() == Some(nameif))
        {
            i.ipv6.enforce_eui64 = true;
        }
    }

    /// The ports whose `channel-group` names port-channel `hardware_id`, in configuration order.
    pub fn channel_members(&self, hardware_id: &str) -> Vec<String> {
        let Some(n) = hardware_id
            .strip_prefix("Port-channel")
            .and_then(|n| n.parse::<u16>().ok())
        else {
            return Vec::new();
        };
        self.items
            .iter()
            .filter(|i| i.channel_group.as_ref().is_some_and(|g| g.id == n))
            .map(|i| i.hardware_id.clone())
            .collect()
    }

    /// Reads one top-level `same-security-traffic permit ...` line.
    pub fn absorb_setup(&mut self, line: &str) {
        match line.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["same-security-traffic", "permit", "inter-interface"] => {
                self.setup.inter_interface = true;
            }
            ["same-security-traffic", "permit", "intra-interface"] => {
                self.setup.intra_interface = true;
            }
            _ => {}
        }
    }

    /// Records a written interface (replacing the one with its hardware id) and its MTU
    /// line (`None` removes the line of its old name).
    pub fn set(&mut self, old_nameif: Option<&str>, iface: Interface, mtu_line: Option<u16>) {
        if let Some(old) = old_nameif {
            self.mtus.retain(|(n, _)| n != old);
        }
        if let (Some(n), Some(mtu)) = (iface.nameif.as_deref(), mtu_line) {
            match self.mtus.iter_mut().find(|(name, _)| name == n) {
                Some(slot) => slot.1 = mtu,
                None => self.mtus.push((n.to_owned(), mtu)),
            }
        }
        match self
            .items
            .iter_mut()
            .find(|i| i.hardware_id == iface.hardware_id)
        {
            Some(slot) => *slot = iface,
            None => self.items.push(iface),
        }
    }

    /// Forgets a deleted interface and its MTU line.
    pub fn remove(&mut self, hardware_id: &str) {
        if let Some(n) = self.get(hardware_id).and_then(|i| i.nameif.clone()) {
            self.mtus.retain(|(name, _)| *name != n);
        }
        self.items.retain(|i| i.hardware_id != hardware_id);
    }

    /// Interfaces in configuration order.
    pub fn iter(&self) -> impl Iterator<Item = &Interface> {
        self.items.iter()
    }

    /// The interfaces of one family, in configuration order.
    pub fn of_family(&self, family: Family) -> Vec<&Interface> {
        self.items
            .iter()
            .filter(|i| Family::of(&i.hardware_id) == Some(family))
            .collect()
    }

    /// The interface with this hardware id.
    pub fn get(&self, hardware_id: &str) -> Option<&Interface> {
        self.items.iter().find(|i| i.hardware_id == hardware_id)
    }

    /// The interface whose nameif is `nameif`.
    pub fn by_nameif(&self, nameif: &str) -> Option<&Interface> {
        self.items
            .iter()
            .find(|i| i.nameif.as_deref() == Some(nameif))
    }

    /// The value of the `mtu <nameif>` line, if there is one.
    pub fn mtu_line(&self, nameif: &str) -> Option<u16> {
        self.mtus
            .iter()
            .find(|(n, _)| n == nameif)
            .map(|(_, mtu)| *mtu)
    }

    /// The MTU an interface runs with: its `mtu` line, or [`DEFAULT_MTU`].
    pub fn mtu_of(&self, iface: &Interface) -> u16 {
        iface
            .nameif
            .as_deref()
            .and_then(|n| self.mtu_line(n))
            .unwrap_or(DEFAULT_MTU)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

// issue 13: change journal
impl Interfaces {
    /// Re-reads the block of an interface already held (same place; the global
    /// `ipv6 enforce-eui64` flag kept, as it comes from another line). False when the
    /// interface is not there.
    pub fn reread_block(&mut self, hardware: &str, children: &[&str]) -> bool {
        let hardware: String = hardware.split_whitespace().collect();
        let Some(slot) = self.items.iter_mut().find(|i| i.hardware_id == hardware) else {
            return false;
        };
        let mut iface = Interface::from_block(&hardware, children);
        iface.ipv6.enforce_eui64 = slot.ipv6.enforce_eui64;
        *slot = iface;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_replace_only_the_first_slash() {
        assert_eq!(
            object_id("GigabitEthernet0/1"),
            "GigabitEthernet0_API_SLASH_1"
        );
        assert_eq!(object_id("Management0/0.2"), "Management0_API_SLASH_0.2");
        assert_eq!(
            object_id("GigabitEthernet1/0/1"),
            "GigabitEthernet1_API_SLASH_0/1"
        );
        assert_eq!(object_id("Port-channel1"), "Port-channel1");
        assert_eq!(
            hardware_id("GigabitEthernet0_API_SLASH_1"),
            "GigabitEthernet0/1"
        );
        assert_eq!(hardware_id("GigabitEthernet0/1"), "GigabitEthernet0/1");
    }

    #[test]
    fn reads_blocks_and_mtu_lines() {
        let mut all = Interfaces::default();
        all.absorb_block(
            "GigabitEthernet0/1",
            &["nameif inside", "security-level 100"],
        );
        all.absorb_block("GigabitEthernet0/1.10", &["vlan 10", "nameif dmz"]);
        all.absorb_mtu("mtu inside 9000");
        all.absorb_mtu("mtu inside");
        all.absorb_mtu("mtu x y");
        assert_eq!(all.len(), 2);
        assert_eq!(all.of_family(Family::Vlan).len(), 1);
        assert_eq!(all.mtu_line("inside"), Some(9000));
        let dmz = all.by_nameif("dmz").cloned();
        assert_eq!(dmz.as_ref().map(|i| i.vlan), Some(Some(10)));
        assert_eq!(dmz.map(|i| all.mtu_of(&i)), Some(DEFAULT_MTU));
        // A block re-opening an interface replaces what the first said.
        all.absorb_block("GigabitEthernet0/1", &["shutdown"]);
        assert_eq!(all.len(), 2);
        assert_eq!(
            all.get("GigabitEthernet0/1").map(|i| i.shutdown),
            Some(true)
        );
        assert!(all.by_nameif("inside").is_none());
        all.absorb_block("GigabitEthernet 0/2", &[]);
        assert!(all.get("GigabitEthernet0/2").is_some());
        all.absorb_block("bad\u{0}name", &[]);
        assert_eq!(all.len(), 3);
    }

    #[test]
    fn writes_replace_and_remove_interfaces_with_their_mtu_lines() {
        let mut all = Interfaces::default();
        all.absorb_block("GigabitEthernet0/1", &["nameif a"]);
        all.absorb_mtu("mtu a 9000");
        let mut renamed = Interface::unconfigured("GigabitEthernet0/1");
        renamed.nameif = Some("b".into());
        all.set(Some("a"), renamed, Some(9000));
        assert_eq!(all.mtu_line("a"), None);
        assert_eq!(all.mtu_line("b"), Some(9000));
        assert_eq!(all.len(), 1);
        all.remove("GigabitEthernet0/1");
        assert!(all.is_empty());
        assert_eq!(all.mtu_line("b"), None);
        all.absorb_setup("same-security-traffic permit intra-interface");
        all.absorb_block("GigabitEthernet0/2", &["nameif c"]);
        all.absorb_block("GigabitEthernet0/3", &["channel-group 4 mode on"]);
        all.absorb_block("GigabitEthernet0/4", &["channel-group 4 mode on"]);
        all.absorb_enforce_eui64("ipv6 enforce-eui64 c");
        all.absorb_enforce_eui64("ipv6 enforce-eui64 nowhere");
        assert_eq!(
            all.get("GigabitEthernet0/2").map(|i| i.ipv6.enforce_eui64),
            Some(true)
        );
        assert_eq!(
            all.channel_members("Port-channel4"),
            ["GigabitEthernet0/3", "GigabitEthernet0/4"]
        );
        assert!(all.channel_members("Port-channel5").is_empty());
        assert!(all.channel_members("Redundant4").is_empty());
        assert_eq!(
            all.setup,
            Setup {
                inter_interface: false,
                intra_interface: true
            }
        );
    }
}
