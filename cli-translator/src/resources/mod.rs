//! The declarative resource table: how each REST resource maps to JSON and to CLI lines.
//!
//! A resource is one file implementing [`Resource`] plus one line in the [`resources!`] table
//! below, which generates the [`RunningConfig`] collections and the [`ResourceKind`] dispatch.

pub mod collection;
pub mod dhcp;
pub mod dns;
pub mod field;
pub mod local_user;
pub mod member_group;
pub mod mgmt_access;
pub mod mgmt_host;
pub mod network_object;
pub mod network_object_group;
pub mod ntp;
pub mod reference;
pub mod regex;
pub mod route;
pub mod security_group;
pub mod service_group;
pub mod service_object;
pub mod service_spec;
pub mod setting;
pub mod single_line;
pub mod thin_str;
pub mod time_range;
pub mod timeouts;
// issue 15: TLS proxy
pub mod tls_proxy;
pub mod user_group;
pub mod user_object;
// issue 15: service policy
pub mod class_map;
pub mod connection_limit;
pub mod inspect_map;
pub mod policy_map;
pub mod service_policy;
// issue 15: site-to-site VPN
pub mod vpn;
// issue 15: IP audit
pub mod ip_audit;
// issue 14: logging, failover, licensing
pub mod failover;
pub mod licensing;
pub mod logging;
pub mod netflow;
// issue 14: AAA
pub mod aaa;
pub mod command_privilege;
// issue 14: DNS client, dynamic DNS
pub mod ddns;
pub mod dns_client;

pub use collection::{Collection, Shared};
pub use field::{FieldError, FieldProblem, json_bool, json_str, json_u32};

/// How a JSON body is being applied.
#[derive(Debug)]
pub enum WriteMode<'a, R> {
    /// POST on the collection: every required field must be present.
    Create,
    /// PUT on `id`: the body replaces the resource; the name, if given, must equal `id`.
    Replace { id: &'a str, existing: &'a R },
    /// PATCH on `id`: the given fields are merged into `existing`.
    Patch { id: &'a str, existing: &'a R },
}

// Manual impls: `WriteMode` only borrows `R`, so it is `Copy` whatever `R` is.
impl<R> Clone for WriteMode<'_, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for WriteMode<'_, R> {}

/// One REST resource: JSON in and out, CLI out, and where it lives in the running config.
pub trait Resource: Sized + Clone {
    /// `kind` of one item, e.g. `object#NetworkObj`.
    const KIND: &'static str;
    /// `kind` of the collection envelope, e.g. `collection#NetworkObj`.
    const COLLECTION_KIND: &'static str;
    /// Collection URL path, e.g. `/api/objects/networkobjects`.
    const PATH: &'static str;
    /// The JSON shape of one item, in requests and answers (see [`crate::schema`]).
    const SCHEMA: &'static crate::schema::Object;
    /// The text opening this resource's block in `show running-config`, including the
    /// trailing space (`object network `); the rest of that line names the item.
    const CLI_HEADER: &'static str;
    /// Whether the agent may patch its snapshot with the written item. `false` when the
    /// device stores something else than what was sent (a password it hashes): the snapshot
    /// then reloads, and the written item (with its secret) is dropped.
    const PATCH_IN_PLACE: bool = true;
    /// Whether the whole resource type is read-only: the API only answers `GET`, and every
    /// write verb is 405 (the items are derived from other configuration).
    const READ_ONLY: bool = false;

    /// The `objectId`: the name for named resources.
    fn object_id(&self) -> &str;
    /// The JSON representation, with `kind`, `selfLink`, `objectId` and the fields.
    fn to_json(&self, self_link: &str) -> serde_json::Value;
    /// Reads and validates a request body.
    fn from_json(body: &serde_json::Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError>;
    /// Commands creating the resource; sub-commands start with one space.
    fn cli_create(&self) -> Vec<String>;
    /// The same commands as [`Self::cli_create`], handed to `out` one line at a time as they
    /// are formatted. An item `GET` hashes them into its ETag this way; a resource read at high
    /// rates writes its lines here (and collects them in `cli_create`) so that the hash needs
    /// no allocation.
    fn write_create(&self, out: &mut dyn LineSink) {
        for line in self.cli_create() {
            out.line(format_args!("{line}"));
        }
    }
    /// The fewest commands turning `old` into `new` (same id); empty when they are equal.
    fn cli_replace(old: &Self, new: &Self) -> Vec<String>;
    /// Commands deleting the resource.
    fn cli_delete(&self) -> Vec<String>;
    /// Reads one configuration block (`rest` = its header after [`Self::CLI_HEADER`]) into the
    /// collection. Never fails: what does not parse is left out.
    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]);
    fn collection(cfg: &RunningConfig) -> &Collection<Self>;
    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self>;

    /// Checks what the item refers to against the configuration (a reference to a missing
    /// object names its attribute) and settles what depends on it. Nothing by default.
    fn resolve(&mut self, _cfg: &RunningConfig) -> Result<(), FieldError> {
        Ok(())
    }

    /// Predefined (system-defined) items are readable but never changed or deleted.
    fn is_predefined(&self) -> bool {
        false
    }

    /// Removes from an answer ([`Self::to_json`]) what only privilege 15 may read (a secret
    /// the device answers in clear to its administrators). Nothing by default.
    fn redact_below_15(_json: &mut serde_json::Value) {}
}

/// Where [`Resource::write_create`] puts the lines it formats.
pub trait LineSink {
    fn line(&mut self, line: std::fmt::Arguments<'_>);
}

/// Collects the lines (what `cli_create` returns).
impl LineSink for Vec<String> {
    fn line(&mut self, line: std::fmt::Arguments<'_>) {
        self.push(line.to_string());
    }
}

/// Declares every resource once: `Variant: field => Type`.
macro_rules! resources {
    ($( $variant:ident : $field:ident => $ty:ty ),+ $(,)?) => {
        /// The agent's parsed snapshot of the running configuration (see `running.rs`).
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct RunningConfig {
            /// `hostname <name>`, when the configuration has one.
            pub hostname: Option<String>,
            /// Access lists, access groups and interface names (not a table resource).
            /// Each part is [`Shared`]: a copy of the snapshot shares it until it changes.
            pub access: Shared<crate::acl::AccessLists>,
            /// Device settings singletons: management access, DNS, DHCP, timeouts.
            pub settings: Shared<crate::resources::setting::DeviceSettings>,
            /// Interface blocks and `mtu` lines (not a table resource).
            pub interfaces: Shared<crate::interfaces::Interfaces>,
            /// NAT rules of the three sections (not a table resource).
            pub nat: Shared<crate::nat::NatRules>,
            $( pub $field: Collection<$ty>, )+
        }

        /// Every resource the table declares.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ResourceKind {
            $( $variant, )+
        }

        impl ResourceKind {
            pub const ALL: &'static [ResourceKind] = &[$( ResourceKind::$variant, )+];

            /// Collection URL path.
            pub fn path(self) -> &'static str {
                match self {
                    $( ResourceKind::$variant => <$ty as Resource>::PATH, )+
                }
            }

            /// Item `kind`.
            pub fn kind(self) -> &'static str {
                match self {
                    $( ResourceKind::$variant => <$ty as Resource>::KIND, )+
                }
            }

            /// Collection `kind`.
            pub fn collection_kind(self) -> &'static str {
                match self {
                    $( ResourceKind::$variant => <$ty as Resource>::COLLECTION_KIND, )+
                }
            }

            /// The JSON shape of one item (see [`Resource::SCHEMA`]).
            pub fn schema(self) -> &'static crate::schema::Object {
                match self {
                    $( ResourceKind::$variant => <$ty as Resource>::SCHEMA, )+
                }
            }

            /// Whether the resource type only answers `GET` (see [`Resource::READ_ONLY`]).
            pub fn read_only(self) -> bool {
                match self {
                    $( ResourceKind::$variant => <$ty as Resource>::READ_ONLY, )+
                }
            }
        }

        impl RunningConfig {
            // issue 13: memory
            /// Every collection indexes into a hash table for a read (see
            /// `Collection::begin_load`), until [`RunningConfig::seal_indexes`].
            pub(crate) fn begin_load(&mut self) {
                $( self.$field.begin_load(); )+
            }

            /// Every collection's persistent index built, its leaves full.
            pub(crate) fn seal_indexes(&mut self) {
                $( self.$field.seal(); )+
            }

            /// Offers one top-level block to every resource whose header it carries (a
            /// policy-map block holds policy maps and connection limits). Returns whether
            /// some resource took it. Issue 13 (boot): only the resources `part` reads
            /// absorb it.
            pub(crate) fn absorb_block_of(
                &mut self,
                text: &str,
                children: &[&str],
                part: crate::running::Part,
            ) -> bool {
                let mut taken = false;
                $(
                    if let Some(rest) = text.strip_prefix(<$ty as Resource>::CLI_HEADER) {
                        if part.reads(ResourceKind::$variant) {
                            <$ty as Resource>::absorb_block(&mut self.$field, rest, children);
                        }
                        taken = true;
                    }
                )+
                taken
            }
        }

        /// Each table resource's type under its [`ResourceKind`] variant's name, for
        /// [`with_resource_type!`](crate::with_resource_type).
        pub mod kind_types {
            #[allow(unused_imports)]
            use super::*;
            $( pub type $variant = $ty; )+
        }

        resources!(@dispatch ($) $( $variant )+);
    };
    // The exported macro needs `$` for its own fragments: it is passed in as a token.
    (@dispatch ($d:tt) $( $variant:ident )+) => {
        /// Runs `$body` with `$R` naming the resource type of `$kind` (a [`ResourceKind`]):
        /// code generic over resources dispatches on the kind without a hand-written arm per
        /// resource. `with_resource_type!(kind, R => handle::<R>(..))`.
        #[macro_export]
        macro_rules! with_resource_type {
            ($d kind:expr, $d R:ident => $d body:expr) => {
                match $d kind {
                    $(
                        $crate::resources::ResourceKind::$variant => {
                            type $d R = $crate::resources::kind_types::$variant;
                            $d body
                        }
                    )+
                }
            };
        }
    };
}

resources! {
    NetworkObject: network_objects => network_object::NetworkObject,
    TimeRange: time_ranges => time_range::TimeRange,
    LocalUser: local_users => local_user::LocalUser,
    Regex: regexes => regex::Regex,
    LocalUserGroup: local_user_groups => user_group::LocalUserGroup,
    SecurityObjectGroup: security_object_groups => security_group::SecurityObjectGroup,
    UserObject: user_objects => user_object::UserObject,
    NetworkObjectGroup: network_object_groups => network_object_group::NetworkObjectGroup,
    ServiceObject: service_objects => service_object::ServiceObject,
    ServiceGroup: service_groups => service_group::ServiceGroup,
    StaticRoute: static_routes => route::StaticRoute,
    MgmtHost: mgmt_hosts => mgmt_host::MgmtHost,
    NtpServer: ntp_servers => ntp::NtpServer,
    // issue 15: TLS proxy
    TlsProxy: tls_proxies => tls_proxy::TlsProxy,
    // issue 15: service policy
    ClassMap: class_maps => class_map::ClassMap,
    InspectMap: inspect_maps => inspect_map::InspectMap,
    PolicyMap: policy_maps => policy_map::PolicyMap,
    ConnectionLimit: connection_limits => connection_limit::ConnectionLimit,
    ServicePolicy: service_policies => service_policy::ServicePolicyBinding,
    // issue 15: site-to-site VPN
    Ikev1Policy: ikev1_policies => vpn::ike_policy::Ikev1Policy,
    Ikev2Policy: ikev2_policies => vpn::ike_policy::Ikev2Policy,
    TransformSet: transform_sets => vpn::ipsec::TransformSet,
    IpsecProposal: ipsec_proposals => vpn::ipsec::IpsecProposal,
    CryptoMapEntry: crypto_map_entries => vpn::crypto_map::CryptoMapEntry,
    CryptoMapInterface: crypto_map_interfaces => vpn::crypto_map::CryptoMapInterface,
    GroupPolicy: group_policies => vpn::group_policy::GroupPolicy,
    TunnelGroup: tunnel_groups => vpn::tunnel_group::TunnelGroup,
    // issue 15: IP audit
    IpAuditPolicy: ip_audit_policies => ip_audit::AuditPolicy,
    IpAuditInterface: ip_audit_interfaces => ip_audit::AuditInterface,
    IpAuditSignature: ip_audit_signatures => ip_audit::DisabledSignature,
    // issue 14: logging, failover, licensing
    SyslogServer: syslog_servers => logging::SyslogServer,
    NetFlowCollector: netflow_collectors => netflow::NetFlowCollector,
    // issue 14: AAA
    CommandPrivilege: command_privileges => command_privilege::CommandPrivilege,
    // issue 14: dynamic DNS
    DdnsMethod: ddns_methods => ddns::DdnsMethod,
}

impl ResourceKind {
    /// The resource whose collection is at `path` (a trailing slash is accepted).
    pub fn from_path(path: &str) -> Option<ResourceKind> {
        let path = path.strip_suffix('/').unwrap_or(path);
        ResourceKind::ALL.iter().copied().find(|k| k.path() == path)
    }

    /// Splits a request path into the resource and, for an item URL, the rest of the path
    /// (still percent-encoded; it may contain `/`). `None` when no resource lives there.
    pub fn split_path(path: &str) -> Option<(ResourceKind, Option<&str>)> {
        ResourceKind::ALL.iter().copied().find_map(|k| {
            let rest = path.strip_prefix(k.path())?;
            match rest {
                "" | "/" => Some((k, None)),
                _ => {
                    let id = rest.strip_prefix('/')?;
                    Some((k, Some(id)))
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_resource_by_collection_path() {
        assert_eq!(
            ResourceKind::from_path("/api/objects/networkobjects"),
            Some(ResourceKind::NetworkObject)
        );
        assert_eq!(
            ResourceKind::from_path("/api/objects/networkobjects/"),
            Some(ResourceKind::NetworkObject)
        );
        assert_eq!(
            ResourceKind::from_path("/api/objects/networkobjectsx"),
            None
        );
        assert_eq!(ResourceKind::from_path("/api/objects"), None);
    }

    #[test]
    fn splits_item_paths_keeping_slashes_in_the_id() {
        assert_eq!(
            ResourceKind::split_path("/api/objects/networkobjects/10.0.0.0/24"),
            Some((ResourceKind::NetworkObject, Some("10.0.0.0/24")))
        );
        assert_eq!(
            ResourceKind::split_path("/api/objects/networkobjects/"),
            Some((ResourceKind::NetworkObject, None))
        );
        assert_eq!(
            ResourceKind::split_path("/api/objects/networkobjectsweb"),
            None
        );
    }

    #[test]
    fn only_user_objects_are_read_only() {
        let read_only: Vec<ResourceKind> = ResourceKind::ALL
            .iter()
            .copied()
            .filter(|k| k.read_only())
            .collect();
        assert_eq!(read_only, vec![ResourceKind::UserObject]);
    }

    #[test]
    fn table_exposes_kinds() {
        assert_eq!(ResourceKind::NetworkObject.kind(), "object#NetworkObj");
        assert_eq!(
            ResourceKind::NetworkObject.collection_kind(),
            "collection#NetworkObj"
        );
    }
}
