//! Why a CLI command failed, printed exactly as the ASA prints the error.

use std::fmt;

use cli_translator::protocol::{Refusal, RefusalKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// The command with a caret under the offending token.
    InvalidInput {
        line: String,
        offset: usize,
    },
    Incomplete,
    /// A user below privilege 15 tried a configuration command or `write memory`.
    AuthorizationFailed,
    /// A network object (or object group) still referenced elsewhere.
    ObjectInUse(String),
    /// `no object-group ...` while a line names the group.
    GroupInUse(String),
    NoSuchObject(String),
    /// An object and an object group may not share a name (`object network X` when
    /// `object-group ... X` exists, or the reverse).
    ObjectNameTaken(String),
    /// `no time-range` / `no regex` of a name still referenced (family, name).
    NamedItemInUse {
        family: &'static str,
        name: String,
    },
    NoSuchUser(String),
    /// `group-object <member>` that would nest an object group in itself.
    GroupLoop {
        group: String,
        member: String,
    },
    NameifInUse {
        nameif: String,
        interface: String,
    },
    /// `logging host` names an interface nameif that no interface carries.
    NoSuchNameif(String),
    /// `subnet` with host bits set.
    AddressMaskMismatch {
        address: String,
        mask: String,
    },
    /// A physical interface cannot be removed.
    CannotRemoveInterface(String),
    /// `no nameif`, a rename, or `no interface` while a line names the interface.
    NameifReferenced {
        nameif: String,
        line: String,
    },
    /// `channel-group` on an interface that has a nameif.
    ChannelMemberNamed(String),
    /// `nameif` on a member of a port-channel.
    NameifOnChannelMember(String),
    /// `channel-group <n>` on a port already in another channel group (port, its group).
    ChannelGroupTaken {
        interface: String,
        group: u16,
    },
    /// `traffic-forward` on a port with a nameif.
    TrafficForwardNamed(String),
    /// `nameif` on a traffic-forwarding port.
    NameifOnTrafficForward(String),
    /// `traffic-forward` on a port-channel member, or `channel-group` on a traffic-forwarding port.
    TrafficForwardChannelMember(String),
    /// An access-list entry names an object group that does not exist.
    NoSuchObjectGroup(String),
    /// An access-list entry names a time range that does not exist.
    NoSuchTimeRange(String),
    /// `access-group` or `show access-list` names a list that does not exist.
    NoSuchAccessList(String),
    /// A twice NAT rule identical to one of its section.
    DuplicateNat,
    /// `no nat ...` names a rule (or line) that does not exist.
    NoSuchNatRule,
    /// `route ...` that is already configured (same interface, network, gateway, metric).
    DuplicateRoute,
    /// `route ... tunneled` for a network other than the default route.
    TunneledRouteNotDefault,
    /// A command the ASA refuses in transparent firewall mode (DHCP server and relay).
    NotInTransparentMode,
    /// `shun <ip>` for a source already shunned (on the same VLAN).
    ShunExists(String),
    /// `no shun <ip>` for a source that is not shunned.
    NoSuchShun(String),
    /// `ssl trust-point <name> ...` (or another line) names a trust-point that is not defined.
    NoSuchTrustpoint(String),
    /// A key or certificate operation refused (bad PKCS#12 or passphrase, no such key pair,
    /// no certificate): the full `ERROR: ...` text (`crypto.rs`).
    Crypto(String),
    // issue 15: service policy and site-to-site VPN
    /// A line names a class map, policy map, crypto map, tunnel group ... that does not
    /// exist (what, name).
    NoSuchMap {
        what: &'static str,
        name: String,
    },
    /// `no class-map|policy-map|...` of an item a line still uses (what, name, the user).
    MapInUse {
        what: &'static str,
        name: String,
        by: String,
    },
    /// `service-policy <p> global|interface <i>` where another policy is bound there.
    PolicyAlreadyBound(String),
    /// A second `match` in a class map.
    OneMatchPerClassMap,
    /// `inspect <proto> ...` in a class already inspecting `<proto>` otherwise.
    InspectTypeExists,
    // issue 14: logging, failover, licensing
    /// `failover lan interface|link <n> <hw>` on an interface that carries a nameif.
    FailoverInterfaceNamed(String),
    /// `failover interface ip <n> ...` for a name no failover link carries.
    NotFailoverLink(String),
    /// A standby address outside the active address's subnet (or equal to it).
    StandbyNotInSubnet,
    /// A sixth `flow-export destination`.
    TooManyCollectors,
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::InvalidInput { line, offset } => {
                let caret = (*offset).min(line.len());
                write!(
                    f,
                    "{line}\n{:caret$}^\nERROR: % Invalid input detected at '^' marker.",
                    ""
                )
            }
            CliError::Incomplete => f.write_str("ERROR: % Incomplete command"),
            CliError::AuthorizationFailed => f.write_str("ERROR: Command authorization failed"),
            CliError::ObjectInUse(name) => write!(
                f,
                "ERROR: unable to delete object ({name}). Object is being used."
            ),
            // As an ASA prints it (quoted in ansible's asa_config, which matches the
            // `Removing ... not allowed` form to report the failure).
            CliError::GroupInUse(name) => write!(
                f,
                "Removing object-group ({name}) not allowed, it is being used."
            ),
            CliError::NoSuchObject(name) => write!(f, "ERROR: object ({name}) does not exist."),
            CliError::ObjectNameTaken(name) => write!(f, "ERROR: Object {name} already exists"),
            CliError::NamedItemInUse { family, name } => {
                write!(f, "ERROR: {family} {name} is in use and cannot be removed")
            }
            CliError::NoSuchUser(name) => write!(f, "ERROR: User {name} does not exist"),
            CliError::GroupLoop { group, member } => write!(
                f,
                "ERROR: Adding object-group ({member}) to ({group}) would create a loop"
            ),
            CliError::NameifInUse { nameif, interface } => write!(
                f,
                "ERROR: nameif {nameif} is already used by interface {interface}"
            ),
            CliError::NoSuchNameif(nameif) => {
                write!(f, "ERROR: Interface {nameif} not found")
            }
            CliError::AddressMaskMismatch { address, mask } => {
                write!(f, "ERROR: IP address,mask <{address},{mask}> doesn't pair")
            }
            CliError::NameifReferenced { nameif, line } => write!(
                f,
                "ERROR: Interface name {nameif} is referenced by \"{line}\". Remove the reference first."
            ),
            CliError::NameifOnChannelMember(hw) => write!(
                f,
                "ERROR: Interface {hw} is a member of a port-channel and cannot have a nameif"
            ),
            CliError::ChannelMemberNamed(hw) => write!(
                f,
                "ERROR: Interface {hw} has a nameif configured; remove it before adding it to a port-channel"
            ),
            CliError::ChannelGroupTaken { interface, group } => write!(
                f,
                "ERROR: Interface {interface} is already a member of port-channel {group}; remove it with 'no channel-group' first"
            ),
            CliError::TrafficForwardNamed(hw) => write!(
                f,
                "ERROR: Interface {hw} has a nameif configured; remove it before configuring traffic-forward"
            ),
            CliError::NameifOnTrafficForward(hw) => write!(
                f,
                "ERROR: Interface {hw} is a traffic-forwarding interface and cannot have a nameif"
            ),
            CliError::TrafficForwardChannelMember(hw) => write!(
                f,
                "ERROR: Interface {hw} cannot be both a traffic-forwarding interface and a port-channel member"
            ),
            CliError::CannotRemoveInterface(hw) => {
                write!(f, "ERROR: Interface {hw} cannot be removed")
            }
            CliError::NoSuchObjectGroup(name) => {
                write!(f, "ERROR: specified object group <{name}> not found")
            }
            CliError::NoSuchTimeRange(name) => {
                write!(f, "ERROR: Time-range <{name}> does not exist")
            }
            CliError::NoSuchAccessList(name) => {
                write!(f, "ERROR: access-list <{name}> does not exist")
            }
            CliError::DuplicateNat => f.write_str("ERROR: Duplicate NAT entry"),
            CliError::NoSuchNatRule => f.write_str("ERROR: NAT rule not found"),
            CliError::DuplicateRoute => {
                f.write_str("ERROR: Cannot add route entry, possible conflict with existing routes")
            }
            CliError::TunneledRouteNotDefault => {
                f.write_str("ERROR: Only a default route can be tunneled")
            }
            CliError::NotInTransparentMode => {
                f.write_str("ERROR: This command is not supported in transparent mode")
            }
            CliError::ShunExists(ip) => write!(f, "ERROR: Shun for {ip} already exists"),
            CliError::NoSuchShun(ip) => write!(f, "ERROR: Shun for {ip} does not exist"),
            CliError::NoSuchTrustpoint(name) => {
                write!(f, "ERROR: Trustpoint {name} does not exist")
            }
            CliError::Crypto(text) => f.write_str(text),
            // issue 15: service policy and site-to-site VPN
            CliError::NoSuchMap { what, name } => write!(f, "ERROR: {what} {name} does not exist"),
            CliError::MapInUse { what, name, by } => {
                write!(f, "ERROR: {what} {name} is in use by '{by}'")
            }
            CliError::PolicyAlreadyBound(name) => write!(
                f,
                "ERROR: Policy map {name} is already configured as a service policy"
            ),
            CliError::OneMatchPerClassMap => {
                f.write_str("ERROR: Only one match command is allowed per class-map")
            }
            CliError::InspectTypeExists => f.write_str(
                "ERROR: Inspect configuration of this type exists, first remove that configuration and then add the new configuration",
            ),
            // issue 14: logging, failover, licensing (texts are ours)
            CliError::FailoverInterfaceNamed(hw) => write!(
                f,
                "ERROR: Interface {hw} has a nameif; a failover link needs an interface without one"
            ),
            CliError::NotFailoverLink(name) => {
                write!(f, "ERROR: {name} is not the name of a failover link")
            }
            CliError::StandbyNotInSubnet => f.write_str(
                "ERROR: The standby address must differ from the active address and be in its subnet",
            ),
            CliError::TooManyCollectors => {
                f.write_str("ERROR: A maximum of 5 flow-export destinations can be configured")
            }
        }
    }
}

impl std::error::Error for CliError {}

/// The typed refusal of command `index` of a batch, from the error it failed with (`None`:
/// a line that failed without one, such as a context-mode refusal).
pub fn refusal(index: usize, error: Option<&CliError>) -> Refusal {
    let (kind, object, by) = match error {
        Some(e) => e.refusal_parts(),
        None => (RefusalKind::Other, None, None),
    };
    Refusal::Command {
        index: u32::try_from(index).unwrap_or(u32::MAX),
        kind,
        object,
        by,
    }
}

impl CliError {
    /// What kind of refusal this is, the object it is about and what still uses it.
    pub fn refusal_parts(&self) -> (RefusalKind, Option<String>, Option<String>) {
        use RefusalKind as K;
        let some = |s: &String| Some(s.clone());
        match self {
            CliError::InvalidInput { .. }
            | CliError::Incomplete
            | CliError::AddressMaskMismatch { .. }
            | CliError::TunneledRouteNotDefault
            | CliError::NotInTransparentMode => (K::InvalidInput, None, None),
            CliError::GroupLoop { group, member } => (K::InvalidInput, some(member), some(group)),
            CliError::AuthorizationFailed => (K::NotAuthorized, None, None),
            CliError::ObjectInUse(name) | CliError::GroupInUse(name) => {
                (K::InUse, some(name), None)
            }
            CliError::NamedItemInUse { name, .. } => (K::InUse, some(name), None),
            CliError::NameifReferenced { nameif, line } => (K::InUse, some(nameif), some(line)),
            CliError::ChannelGroupTaken { interface, group } => (
                K::InUse,
                some(interface),
                Some(format!("port-channel {group}")),
            ),
            CliError::NoSuchObject(name)
            | CliError::NoSuchUser(name)
            | CliError::NoSuchNameif(name)
            | CliError::NoSuchObjectGroup(name)
            | CliError::NoSuchTimeRange(name)
            | CliError::NoSuchAccessList(name)
            | CliError::NoSuchShun(name)
            | CliError::NoSuchTrustpoint(name) => (K::NotFound, some(name), None),
            CliError::NoSuchNatRule => (K::NotFound, None, None),
            CliError::ObjectNameTaken(name) | CliError::ShunExists(name) => {
                (K::Duplicate, some(name), None)
            }
            CliError::NameifInUse { nameif, interface } => {
                (K::Duplicate, some(nameif), some(interface))
            }
            CliError::DuplicateNat | CliError::DuplicateRoute => (K::Duplicate, None, None),
            CliError::CannotRemoveInterface(hw)
            | CliError::ChannelMemberNamed(hw)
            | CliError::NameifOnChannelMember(hw)
            | CliError::TrafficForwardNamed(hw)
            | CliError::NameifOnTrafficForward(hw)
            | CliError::TrafficForwardChannelMember(hw) => (K::Other, some(hw), None),
            CliError::Crypto(_) => (K::Other, None, None),
            // issue 15: service policy and site-to-site VPN
            CliError::NoSuchMap { name, .. } => (K::NotFound, some(name), None),
            CliError::MapInUse { name, by, .. } => (K::InUse, some(name), some(by)),
            CliError::PolicyAlreadyBound(name) => (K::Duplicate, some(name), None),
            CliError::OneMatchPerClassMap | CliError::InspectTypeExists => {
                (K::InvalidInput, None, None)
            }
            // issue 14: logging, failover, licensing
            CliError::FailoverInterfaceNamed(hw) => (K::InUse, some(hw), None),
            CliError::NotFailoverLink(name) => (K::NotFound, some(name), None),
            CliError::StandbyNotInSubnet | CliError::TooManyCollectors => {
                (K::InvalidInput, None, None)
            }
        }
    }

    pub fn invalid(line: &str, offset: usize) -> CliError {
        CliError::InvalidInput {
            line: line.to_owned(),
            offset,
        }
    }

    /// The output text of the failed command.
    pub fn output(&self) -> String {
        format!("{self}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_sits_under_the_offset() {
        let e = CliError::invalid("hostname a b", 11);
        assert_eq!(
            e.output(),
            "hostname a b\n           ^\nERROR: % Invalid input detected at '^' marker.\n"
        );
        let e = CliError::invalid("x", 0);
        assert_eq!(
            e.output(),
            "x\n^\nERROR: % Invalid input detected at '^' marker.\n"
        );
    }

    #[test]
    fn a_taken_object_name_reads_as_on_the_asa() {
        assert_eq!(
            CliError::ObjectNameTaken("web".into()).output(),
            "ERROR: Object web already exists\n"
        );
    }

    #[test]
    fn refusals_name_their_kind_and_object() {
        assert_eq!(
            refusal(2, Some(&CliError::ObjectInUse("web".into()))),
            Refusal::Command {
                index: 2,
                kind: RefusalKind::InUse,
                object: Some("web".into()),
                by: None
            }
        );
        assert_eq!(
            CliError::NoSuchObjectGroup("g".into()).refusal_parts(),
            (RefusalKind::NotFound, Some("g".into()), None)
        );
        assert_eq!(
            CliError::invalid("x y", 2).refusal_parts().0,
            RefusalKind::InvalidInput
        );
        assert!(matches!(
            refusal(0, None),
            Refusal::Command {
                kind: RefusalKind::Other,
                ..
            }
        ));
    }

    #[test]
    fn caret_never_runs_past_the_line() {
        let e = CliError::invalid("ab", 99);
        assert!(e.output().starts_with("ab\n  ^\n"));
    }
}
