//! Interface JSON: what `GET /api/interfaces/<family>` answers, and request bodies read back
//! into an [`Interface`] plus its MTU.
//!
//! Every item carries `ipAddress` (`"NoneSelected"`, a `StaticIP` or a `DHCP` object) and
//! `ipv6Info` (`object#Ipv6InterfaceInfo`, with defaults when IPv6 is off); every IPv6
//! address entry and the link-local address carry `standby` as well as `address` (its value
//! `""` when there is none). Clients dereference all of them unconditionally.
//!
//! Bodies: PUT replaces (a missing attribute takes its unconfigured value, so a PUT with an
//! empty `name`, `securityLevel` -1 and `"NoneSelected"` clears a port); PATCH merges;
//! POST (logical families) needs `hardwareID`. `kind`, `selfLink` and `objectId` are
//! advisory. Numbers and booleans may come as strings.
//!
//! `forwardTrafficCX` / `forwardTrafficSFR` (physical ports only, at most one of them) make a
//! passive monitoring port; `ipv6Info.enforceEUI64` needs a `name`; `ipv6Info.nDiscoveryPrefixList`
//! items are read by [`super::nd_prefix`]. A port-channel's `members` (at most 16 physical
//! ports) are written on the ports; without `members` its ports are left as they are.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value, json};

use super::model::{
    CHANNEL_MODES, ChannelGroup, DUPLEXES, Family, Flowcontrol, Interface, Ipv4Setting,
    Ipv6Address, Ipv6Setting, MacAddress, NdSettings, SPEEDS, TrafficModule, is_mac,
};
use super::nd_prefix;
use super::{DEFAULT_MTU, hardware_id, object_id};
use crate::parse::{MAX_DESCRIPTION_TEXT, is_hardware_id, is_nameif, mask_prefix, prefix_mask};
use crate::resources::{FieldError, FieldProblem, json_bool, json_str};
use crate::schema::{
    ADDRESS, Field, INT, KIND as KIND_FIELD, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, Type,
};
use crate::validate::check_line_text;

/// Smallest and largest MTU the ASA accepts.
pub const MTU_RANGE: (u16, u16) = (64, 9198);

/// Builds the URL of an item from its collection path and objectId.
pub type ItemUrl<'a> = &'a dyn Fn(&str, &str) -> String;

// ===== schema =====

/// An address in an interface body: `{kind, value}` or the bare value.
const IP_VALUE: Type = Type::OneOf(&[Type::Object(&ADDRESS), Type::Str]);

/// `ipAddress` `{"kind":"StaticIP",...}`.
pub static STATIC_IP_SCHEMA: Object = Object {
    name: "StaticIP",
    description: "A static IPv4 address, its mask and the failover standby address.",
    fields: &[
        Field::new("kind", Type::Enum(&["StaticIP"]), "`StaticIP`.").required(),
        Field::new("ip", IP_VALUE, "The address (`IPv4Address`).").required(),
        Field::new(
            "netMask",
            IP_VALUE,
            "The mask (`IPv4NetMask`; a prefix length is accepted).",
        )
        .required(),
        Field::new("standby", IP_VALUE, "The failover standby address."),
    ],
    kinds: &["StaticIP"],
    ours: false,
};

/// `dhcpClient` of a DHCP address.
pub static DHCP_CLIENT_SCHEMA: Object = Object {
    name: "DHCPClient",
    description: "Options of the interface's DHCP client.",
    fields: &[
        Field::new(
            "setDefaultRoute",
            Type::Bool,
            "Whether the learned default route is installed (`setroute`).",
        ),
        Field::new("metric", INT, "Metric of the learned default route (1)."),
        Field::new("primaryTrackId", INT, "Tracking object (-1: none)."),
        Field::new(
            "trackingEnabled",
            Type::Bool,
            "Whether the route is tracked (false).",
        ),
    ],
    kinds: &[],
    ours: false,
};

/// `ipAddress` `{"kind":"DHCP",...}`.
pub static DHCP_IP_SCHEMA: Object = Object {
    name: "DHCPIP",
    description: "An IPv4 address learned by DHCP.",
    fields: &[
        Field::new("kind", Type::Enum(&["DHCP"]), "`DHCP`.").required(),
        Field::new(
            "dhcpOptionUsingMac",
            Type::Bool,
            "Client id from the MAC address (false).",
        ),
        Field::new(
            "dhcpBroadcast",
            Type::Bool,
            "Broadcast flag in requests (false).",
        ),
        Field::new(
            "dhcpClient",
            Type::Object(&DHCP_CLIENT_SCHEMA),
            "Client options; `setDefaultRoute` is read.",
        ),
    ],
    kinds: &["DHCP"],
    ours: false,
};

/// `ipAddress`: `"NoneSelected"` (`""` on input too), a static address or DHCP.
pub const IP_ADDRESS: Type = Type::OneOf(&[
    Type::Enum(&["NoneSelected", ""]),
    Type::Object(&STATIC_IP_SCHEMA),
    Type::Object(&DHCP_IP_SCHEMA),
]);

/// One IPv6 address of an interface, or its link-local address.
pub static IPV6_ADDRESS_SCHEMA: Object = Object {
    name: "Ipv6InterfaceAddress",
    description: "An IPv6 address of an interface with its standby (`value` \"\" when none).",
    fields: &[
        KIND_FIELD,
        Field::new("address", IP_VALUE, "The address (`IPv6Address`).").required(),
        Field::new("standby", IP_VALUE, "The failover standby address."),
        Field::new(
            "prefixLength",
            Type::Int {
                min: Some(1),
                max: Some(128),
            },
            "Prefix length (not on the link-local address).",
        ),
        Field::new(
            "isEUI64",
            Type::Bool,
            "Whether the host part is the EUI-64 id.",
        ),
    ],
    kinds: &["object#Ipv6InterfaceAddress"],
    ours: false,
};

/// One router-advertisement prefix (`ipv6 nd prefix`).
pub static ND_PREFIX_SCHEMA: Object = Object {
    name: "IPV6Prefix",
    description: "A prefix advertised in router advertisements (`prefix` and `noAutoconfig` are our names).",
    fields: &[
        KIND_FIELD,
        Field::new(
            "prefix",
            IP_VALUE,
            "The prefix (`IPv6Network`, or a bare string); ignored with `defaultPrefix`.",
        ),
        Field::new("defaultPrefix", Type::Bool, "The `default` prefix."),
        Field::new(
            "hasDuration",
            Type::Bool,
            "Whether the lifetimes are given.",
        ),
        Field::new(
            "validLifetime",
            LIFETIME,
            "Valid lifetime in seconds (2592000 by default).",
        ),
        Field::new(
            "preferredLifetime",
            LIFETIME,
            "Preferred lifetime in seconds, not above the valid one (604800 by default).",
        ),
        Field::new("noAdvertise", Type::Bool, "`no-advertise`."),
        Field::new("offLink", Type::Bool, "`off-link`."),
        Field::new("noAutoconfig", Type::Bool, "`no-autoconfig`."),
    ],
    kinds: &[nd_prefix::KIND],
    ours: false,
};

const LIFETIME: Type = Type::Int {
    min: Some(0),
    max: Some(4_294_967_295),
};

/// `ipv6Info` (`object#Ipv6InterfaceInfo`), always present.
pub static IPV6_INFO_SCHEMA: Object = Object {
    name: "Ipv6InterfaceInfo",
    description: "IPv6 settings of an interface (defaults when IPv6 is off).",
    fields: &[
        KIND_FIELD,
        Field::new("enabled", Type::Bool, "`ipv6 enable`."),
        Field::new("autoConfig", Type::Bool, "`ipv6 address autoconfig`."),
        Field::new(
            "enforceEUI64",
            Type::Bool,
            "`ipv6 enforce-eui64 <nameif>` (needs a `name`).",
        ),
        Field::new(
            "managedAddressConfig",
            Type::Bool,
            "`ipv6 nd managed-config-flag`.",
        ),
        Field::new(
            "nsInterval",
            Type::Int {
                min: Some(1000),
                max: Some(3_600_000),
            },
            "Neighbor solicitation interval in milliseconds.",
        ),
        Field::new(
            "dadAttempts",
            Type::Int {
                min: Some(0),
                max: Some(600),
            },
            "Duplicate address detection attempts.",
        ),
        Field::new(
            "nDiscoveryPrefixList",
            Type::Array(&Type::Object(&ND_PREFIX_SCHEMA)),
            "Router-advertisement prefixes.",
        ),
        Field::new(
            "otherStatefulConfig",
            Type::Bool,
            "`ipv6 nd other-config-flag`.",
        ),
        Field::new(
            "routerAdvertInterval",
            Type::Int {
                min: Some(3),
                max: Some(1_800_000),
            },
            "Router advertisement interval (3-1800 s, or 500-1800000 ms).",
        ),
        Field::new(
            "routerAdvertIntervalUnit",
            Type::Enum(&["sec", "msec"]),
            "Unit of `routerAdvertInterval`.",
        ),
        Field::new(
            "routerAdvertLifetime",
            Type::Int {
                min: Some(0),
                max: Some(9000),
            },
            "Router lifetime in seconds.",
        ),
        Field::new("suppressRouterAdvert", Type::Bool, "`ipv6 nd suppress-ra`."),
        Field::new(
            "reachableTime",
            Type::Int {
                min: Some(0),
                max: Some(3_600_000),
            },
            "Reachable time in milliseconds.",
        ),
        Field::new(
            "ipv6Addresses",
            Type::Array(&Type::Object(&IPV6_ADDRESS_SCHEMA)),
            "Global addresses.",
        ),
        Field::new(
            "linkLocalAddress",
            Type::Object(&IPV6_ADDRESS_SCHEMA),
            "The link-local address, when configured.",
        ),
    ],
    kinds: &["object#Ipv6InterfaceInfo"],
    ours: false,
};

const HARDWARE_ID: Field = Field::new(
    "hardwareID",
    Type::Str,
    "Hardware id (`GigabitEthernet0/1`, `GigabitEthernet0/1.100`, `Port-channel1`, ...).",
)
.required();
const INTERFACE_DESC: Field =
    Field::new("interfaceDesc", Type::Str, "Description (\"\" when unset).");
const FORWARD_CX: Field = Field::new(
    "forwardTrafficCX",
    Type::Bool,
    "Passive port forwarding to the CX module (physical ports).",
);
const FORWARD_SFR: Field = Field::new(
    "forwardTrafficSFR",
    Type::Bool,
    "Passive port forwarding to the FirePOWER module (physical ports).",
);
const ACTIVE_MAC: Field = Field::new(
    "activeMacAddress",
    Type::Str,
    "MAC address (`0011.2233.4455`; \"\" when unset).",
);
const STANDBY_MAC: Field = Field::new(
    "standByMacAddress",
    Type::Str,
    "Failover standby MAC address (\"\" when unset).",
);
const MANAGEMENT_ONLY: Field = Field::new("managementOnly", Type::Bool, "`management-only`.");
const MTU: Field = Field::new(
    "mtu",
    Type::Int {
        min: Some(0),
        max: Some(MTU_RANGE.1 as i64),
    },
    "MTU (64-9198; 0 on input leaves it unchanged).",
);
const NAME: Field = Field::new("name", Type::Str, "The nameif (\"\" when unset).");
const SECURITY_LEVEL: Field = Field::new(
    "securityLevel",
    Type::Int {
        min: Some(-1),
        max: Some(100),
    },
    "Security level 0-100 (-1 when unset).",
);
const SHUTDOWN: Field = Field::new(
    "shutdown",
    Type::Bool,
    "Whether the interface is shut down.",
);
const IP_ADDRESS_FIELD: Field = Field::new(
    "ipAddress",
    IP_ADDRESS,
    "`NoneSelected`, a `StaticIP` or a `DHCP` object; always answered.",
);
const IPV6_INFO: Field = Field::new(
    "ipv6Info",
    Type::Object(&IPV6_INFO_SCHEMA),
    "IPv6 settings; always answered.",
);
const MEMBER_LIST: Type = Type::Array(&Type::OneOf(&[Type::Object(&OBJECT_REF), Type::Str]));
const MEMBERS: Field = Field::new(
    "members",
    MEMBER_LIST,
    "Member ports: interface refs, objectIds or hardware ids.",
);
const FLOWCONTROL_WATER: Type = Type::Int {
    min: Some(-1),
    max: Some(65535),
};

/// Physical ports: `object#GigabitInterface`, `object#TenGigInterface`, `object#MgmtInterface`.
pub static PHYSICAL_SCHEMA: Object = Object {
    name: "PhysicalInterface",
    description: "A physical port: changed with PUT or PATCH, never created or deleted.",
    fields: &[
        KIND_FIELD,
        OBJECT_ID,
        SELF_LINK,
        HARDWARE_ID,
        INTERFACE_DESC,
        Field::new(
            "channelGroupID",
            Type::OneOf(&[
                Type::Str,
                Type::Int {
                    min: Some(1),
                    max: Some(48),
                },
            ]),
            "Port-channel the port belongs to, 1-48 (\"\" when none).",
        ),
        Field::new(
            "channelGroupMode",
            Type::Enum(CHANNEL_MODES),
            "LACP mode in its channel group.",
        ),
        Field::new("duplex", Type::Str, "`auto`, `full` or `half`."),
        Field::new(
            "speed",
            Type::Str,
            "`auto`, `10`, `100`, `1000`, `10000` or `nonegotiate`.",
        ),
        Field::new("flowcontrolOn", Type::Bool, "`flowcontrol send on`."),
        Field::new(
            "flowcontrolHigh",
            FLOWCONTROL_WATER,
            "High water mark in KB (-1: default).",
        ),
        Field::new(
            "flowcontrolLow",
            FLOWCONTROL_WATER,
            "Low water mark in KB (-1: default).",
        ),
        Field::new(
            "flowcontrolPeriod",
            FLOWCONTROL_WATER,
            "Pause refresh threshold (-1: default).",
        ),
        FORWARD_CX,
        FORWARD_SFR,
        Field::new(
            "lacpPriority",
            Type::Int {
                min: Some(-1),
                max: Some(65535),
            },
            "LACP port priority (-1 when unset).",
        ),
        ACTIVE_MAC,
        STANDBY_MAC,
        MANAGEMENT_ONLY,
        MTU,
        NAME,
        SECURITY_LEVEL,
        SHUTDOWN,
        IP_ADDRESS_FIELD,
        IPV6_INFO,
    ],
    kinds: &[
        "object#GigabitInterface",
        "object#TenGigInterface",
        "object#MgmtInterface",
    ],
    ours: false,
};

/// VLAN sub-interfaces: `object#VlanMgmtInterface`.
pub static VLAN_SCHEMA: Object = Object {
    name: "VlanMgmtInterface",
    description: "A VLAN sub-interface (`GigabitEthernet0/1.100`).",
    fields: &[
        KIND_FIELD,
        OBJECT_ID,
        SELF_LINK,
        HARDWARE_ID,
        INTERFACE_DESC,
        Field::new(
            "vlanID",
            Type::Int {
                min: Some(-1),
                max: Some(4094),
            },
            "VLAN id 1-4094 (-1 when unset; 0 on input means unset).",
        ),
        FORWARD_CX,
        FORWARD_SFR,
        ACTIVE_MAC,
        STANDBY_MAC,
        MANAGEMENT_ONLY,
        MTU,
        NAME,
        SECURITY_LEVEL,
        SHUTDOWN,
        IP_ADDRESS_FIELD,
        IPV6_INFO,
    ],
    kinds: &["object#VlanMgmtInterface"],
    ours: false,
};

/// Port-channels: `object#PCInterface`.
pub static PORT_CHANNEL_SCHEMA: Object = Object {
    name: "PCInterface",
    description: "An EtherChannel (`Port-channel<n>`); its members are the ports naming it.",
    fields: &[
        KIND_FIELD,
        OBJECT_ID,
        SELF_LINK,
        HARDWARE_ID,
        INTERFACE_DESC,
        FORWARD_CX,
        FORWARD_SFR,
        ACTIVE_MAC,
        STANDBY_MAC,
        MANAGEMENT_ONLY,
        MTU,
        NAME,
        SECURITY_LEVEL,
        SHUTDOWN,
        MEMBERS,
        IP_ADDRESS_FIELD,
        IPV6_INFO,
    ],
    kinds: &["object#PCInterface"],
    ours: false,
};

/// Redundant interfaces: `object#RedundantInterface`.
pub static REDUNDANT_SCHEMA: Object = Object {
    name: "RedundantInterface",
    description: "A redundant interface (`Redundant<n>`): an active and a standby member.",
    fields: &[
        KIND_FIELD,
        OBJECT_ID,
        SELF_LINK,
        HARDWARE_ID,
        INTERFACE_DESC,
        FORWARD_CX,
        FORWARD_SFR,
        ACTIVE_MAC,
        STANDBY_MAC,
        MANAGEMENT_ONLY,
        MTU,
        NAME,
        SECURITY_LEVEL,
        SHUTDOWN,
        MEMBERS,
        IP_ADDRESS_FIELD,
        IPV6_INFO,
    ],
    kinds: &["object#RedundantInterface"],
    ours: false,
};

/// Bridge virtual interfaces: `object#BVIInterface`.
pub static BVI_SCHEMA: Object = Object {
    name: "BVIInterface",
    description: "A bridge virtual interface (`BVI<n>`).",
    fields: &[
        KIND_FIELD,
        OBJECT_ID,
        SELF_LINK,
        HARDWARE_ID,
        INTERFACE_DESC,
        FORWARD_CX,
        FORWARD_SFR,
        ACTIVE_MAC,
        STANDBY_MAC,
        MANAGEMENT_ONLY,
        MTU,
        NAME,
        SECURITY_LEVEL,
        SHUTDOWN,
        IP_ADDRESS_FIELD,
        IPV6_INFO,
    ],
    kinds: &["object#BVIInterface"],
    ours: false,
};

/// `/api/interfaces/setup` (`object#InterfaceSetup`, our names).
pub static SETUP_SCHEMA: Object = Object {
    name: "InterfaceSetup",
    description: "Traffic between interfaces of the same security level (`same-security-traffic permit`).",
    fields: &[
        KIND_FIELD,
        SELF_LINK,
        Field::new(
            "sameSecurityTrafficInterInterface",
            Type::Bool,
            "`same-security-traffic permit inter-interface`.",
        ),
        Field::new(
            "sameSecurityTrafficIntraInterface",
            Type::Bool,
            "`same-security-traffic permit intra-interface`.",
        ),
    ],
    kinds: &["object#InterfaceSetup"],
    ours: true,
};

/// The item schema of a family.
pub fn schema(family: Family) -> &'static Object {
    match family {
        Family::Physical => &PHYSICAL_SCHEMA,
        Family::Vlan => &VLAN_SCHEMA,
        Family::PortChannel => &PORT_CHANNEL_SCHEMA,
        Family::Redundant => &REDUNDANT_SCHEMA,
        Family::Bvi => &BVI_SCHEMA,
    }
}

// ===== out =====

fn address(kind: &str, value: impl ToString) -> Value {
    json!({"kind": kind, "value": value.to_string()})
}

fn ipv4_json(ip: &Ipv4Setting) -> Value {
    match ip {
        Ipv4Setting::None => Value::from("NoneSelected"),
        Ipv4Setting::Static {
            address: a,
            mask,
            standby,
        } => {
            let mut m = Map::new();
            m.insert("kind".into(), Value::from("StaticIP"));
            m.insert("ip".into(), address("IPv4Address", a));
            m.insert("netMask".into(), address("IPv4NetMask", mask));
            if let Some(sb) = standby {
                m.insert("standby".into(), address("IPv4Address", sb));
            }
            Value::Object(m)
        }
        Ipv4Setting::Dhcp { setroute } => json!({
            "kind": "DHCP",
            "dhcpOptionUsingMac": false,
            "dhcpBroadcast": false,
            "dhcpClient": {
                "setDefaultRoute": setroute,
                "metric": 1,
                "primaryTrackId": -1,
                "trackingEnabled": false,
            },
        }),
    }
}

fn standby_json(sb: Option<Ipv6Addr>) -> Value {
    match sb {
        Some(a) => address("IPv6Address", a),
        None => json!({"kind": "IPv6Address", "value": ""}),
    }
}

fn ipv6_json(v6: &Ipv6Setting) -> Value {
    let nd = &v6.nd;
    let addresses: Vec<Value> = v6
        .addresses
        .iter()
        .map(|a| {
            json!({
                "kind": "object#Ipv6InterfaceAddress",
                "address": address("IPv6Address", a.address),
                "standby": standby_json(a.standby),
                "prefixLength": a.prefix,
                "isEUI64": a.eui64,
            })
        })
        .collect();
    let mut m = Map::new();
    m.insert("enabled".into(), Value::from(v6.enabled));
    m.insert("autoConfig".into(), Value::from(v6.autoconfig));
    m.insert("enforceEUI64".into(), Value::from(v6.enforce_eui64));
    m.insert(
        "managedAddressConfig".into(),
        Value::from(nd.managed_config),
    );
    m.insert("nsInterval".into(), Value::from(nd.ns_interval));
    m.insert("dadAttempts".into(), Value::from(nd.dad_attempts));
    m.insert(
        "nDiscoveryPrefixList".into(),
        Value::Array(v6.nd_prefixes.iter().map(|p| p.to_json()).collect()),
    );
    m.insert("otherStatefulConfig".into(), Value::from(nd.other_config));
    m.insert("routerAdvertInterval".into(), Value::from(nd.ra_interval));
    m.insert(
        "routerAdvertIntervalUnit".into(),
        Value::from(if nd.ra_interval_msec { "msec" } else { "sec" }),
    );
    m.insert("routerAdvertLifetime".into(), Value::from(nd.ra_lifetime));
    m.insert("suppressRouterAdvert".into(), Value::from(nd.suppress_ra));
    m.insert("reachableTime".into(), Value::from(nd.reachable_time));
    m.insert("ipv6Addresses".into(), Value::Array(addresses));
    if let Some((a, sb)) = v6.link_local {
        m.insert(
            "linkLocalAddress".into(),
            json!({
                "kind": "object#Ipv6InterfaceAddress",
                "address": address("IPv6Address", a),
                "standby": standby_json(sb),
            }),
        );
    }
    m.insert("kind".into(), Value::from("object#Ipv6InterfaceInfo"));
    Value::Object(m)
}

/// A reference to an interface: `objectRef#Interface` with the nameif as `name`.
pub fn interface_ref(iface: &Interface, item_url: ItemUrl<'_>) -> Value {
    let family = Family::of(&iface.hardware_id).unwrap_or(Family::Physical);
    let id = object_id(&iface.hardware_id);
    json!({
        "kind": "objectRef#Interface",
        "refLink": item_url(family.path(), &id),
        "objectId": id,
        "name": iface.nameif.clone().unwrap_or_default(),
    })
}

/// The item JSON of `iface` in `family`, running with `mtu`. `members` resolves the
/// hardware ids of a redundant interface's members to interfaces, when configured.
pub fn to_json(
    iface: &Interface,
    family: Family,
    mtu: u16,
    self_link: &str,
    item_url: ItemUrl<'_>,
    member: &dyn Fn(&str) -> Option<Interface>,
) -> Value {
    let physical = family == Family::Physical;
    let mut m = Map::new();
    m.insert(
        "kind".into(),
        Value::from(family.item_kind(&iface.hardware_id)),
    );
    m.insert("selfLink".into(), Value::from(self_link));
    m.insert("hardwareID".into(), Value::from(iface.hardware_id.as_str()));
    m.insert(
        "interfaceDesc".into(),
        Value::from(iface.description.clone().unwrap_or_default()),
    );
    if physical {
        let (id, mode) = match &iface.channel_group {
            Some(g) => (g.id.to_string(), g.mode.clone()),
            None => (String::new(), "active".to_owned()),
        };
        m.insert("channelGroupID".into(), Value::from(id));
        m.insert("channelGroupMode".into(), Value::from(mode));
        m.insert(
            "duplex".into(),
            Value::from(iface.duplex.clone().unwrap_or_else(|| "auto".into())),
        );
        let water = iface.flowcontrol.and_then(|f| f.water);
        let w = |pick: fn((u32, u32, u32)) -> u32| water.map_or(-1, |x| i64::from(pick(x)));
        m.insert(
            "flowcontrolOn".into(),
            Value::from(iface.flowcontrol.is_some()),
        );
        m.insert("flowcontrolHigh".into(), Value::from(w(|x| x.1)));
        m.insert("flowcontrolLow".into(), Value::from(w(|x| x.0)));
        m.insert("flowcontrolPeriod".into(), Value::from(w(|x| x.2)));
    }
    m.insert(
        "forwardTrafficCX".into(),
        Value::from(iface.traffic_forward == Some(TrafficModule::Cx)),
    );
    m.insert(
        "forwardTrafficSFR".into(),
        Value::from(iface.traffic_forward == Some(TrafficModule::Sfr)),
    );
    if physical {
        m.insert(
            "lacpPriority".into(),
            Value::from(iface.lacp_priority.map_or(-1, i64::from)),
        );
    }
    let (active, standby) = match &iface.mac_address {
        Some(mac) => (mac.active.clone(), mac.standby.clone().unwrap_or_default()),
        None => (String::new(), String::new()),
    };
    m.insert("activeMacAddress".into(), Value::from(active));
    m.insert("standByMacAddress".into(), Value::from(standby));
    m.insert("managementOnly".into(), Value::from(iface.management_only));
    m.insert("mtu".into(), Value::from(mtu));
    m.insert(
        "name".into(),
        Value::from(iface.nameif.clone().unwrap_or_default()),
    );
    m.insert(
        "securityLevel".into(),
        Value::from(iface.security_level.map_or(-1, i64::from)),
    );
    m.insert("shutdown".into(), Value::from(iface.shutdown));
    if physical {
        m.insert(
            "speed".into(),
            Value::from(iface.speed.clone().unwrap_or_else(|| "auto".into())),
        );
    }
    if family == Family::Vlan {
        let vlan = iface.vlan.or_else(|| {
            iface
                .hardware_id
                .strip_prefix("Vlan")
                .and_then(|n| n.parse().ok())
        });
        m.insert("vlanID".into(), Value::from(vlan.map_or(-1, i64::from)));
    }
    // Redundant: its `member-interface` lines. Port-channel: the ports whose
    // `channel-group` names it (read-only; the handler fills them in).
    if matches!(family, Family::Redundant | Family::PortChannel) {
        let members: Vec<Value> = iface
            .members
            .iter()
            .map(|hw| {
                let resolved = member(hw).unwrap_or_else(|| Interface::unconfigured(hw.as_str()));
                interface_ref(&resolved, item_url)
            })
            .collect();
        m.insert("members".into(), Value::Array(members));
    }
    m.insert("ipAddress".into(), ipv4_json(&iface.ipv4));
    m.insert("ipv6Info".into(), ipv6_json(&iface.ipv6));
    m.insert(
        "objectId".into(),
        Value::from(object_id(&iface.hardware_id)),
    );
    Value::Object(m)
}

// ===== in =====

/// How a body is applied.
#[derive(Debug, Clone, Copy)]
pub enum Mode<'a> {
    /// POST on a logical family's collection.
    Create,
    /// PUT on an item: `existing` with the MTU it runs with.
    Replace(&'a Interface, u16),
    /// PATCH on an item.
    Patch(&'a Interface, u16),
}

/// What a body asks for: the interface and the MTU it should run with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub interface: Interface,
    pub mtu: u16,
}

fn bad(attr: &str, why: impl Into<String>) -> FieldError {
    FieldError::new(attr, FieldProblem::BadValue(why.into()))
}

fn wrong(attr: &str, expected: &'static str) -> FieldError {
    FieldError::new(attr, FieldProblem::WrongType { expected })
}

/// A present, non-null attribute.
fn field<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    map.get(key).filter(|v| !v.is_null())
}

/// A signed integer; decimal strings are accepted too.
fn json_int(v: &Value, attr: &str) -> Result<i64, FieldError> {
    match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| wrong(attr, "an integer")),
        Value::String(s) => s.trim().parse().map_err(|_| wrong(attr, "an integer")),
        _ => Err(wrong(attr, "an integer")),
    }
}

fn int_in<T: TryFrom<i64>>(v: &Value, attr: &str, lo: i64, hi: i64) -> Result<T, FieldError> {
    let n = json_int(v, attr)?;
    if !(lo..=hi).contains(&n) {
        return Err(bad(attr, format!("{n} is outside {lo}-{hi}")));
    }
    T::try_from(n).map_err(|_| bad(attr, format!("{n} is outside {lo}-{hi}")))
}

/// `{"kind":..,"value":".."}` or a bare string; the trimmed value.
fn value_of<'v>(v: &'v Value, attr: &str) -> Result<&'v str, FieldError> {
    match v {
        Value::String(s) => Ok(s.trim()),
        Value::Object(m) => match m.get("value") {
            Some(Value::String(s)) => Ok(s.trim()),
            None | Some(Value::Null) => Err(FieldError::new(
                format!("{attr}.value"),
                FieldProblem::Missing,
            )),
            Some(_) => Err(wrong(&format!("{attr}.value"), "a string")),
        },
        _ => Err(wrong(attr, "an object with kind and value")),
    }
}

/// A hardware id given as a string, an objectId or an interface reference.
fn hardware_of(v: &Value, attr: &str) -> Result<String, FieldError> {
    let raw = match v {
        Value::String(s) => s.trim(),
        Value::Object(m) => match m.get("objectId").or_else(|| m.get("hardwareID")) {
            Some(Value::String(s)) => s.trim(),
            _ => return Err(FieldError::new(attr, FieldProblem::Missing)),
        },
        _ => return Err(wrong(attr, "a string or an interface reference")),
    };
    let hw = hardware_id(raw);
    if !is_hardware_id(&hw) {
        return Err(bad(
            attr,
            format!("'{raw}' is not an interface hardware id"),
        ));
    }
    Ok(hw)
}

/// Reads a body into the interface it asks for.
pub fn from_json(body: &Value, family: Family, mode: Mode<'_>) -> Result<Request, FieldError> {
    let map = body
        .as_object()
        .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
    let given_hw = field(map, "hardwareID")
        .map(|v| hardware_of(v, "hardwareID"))
        .transpose()?;
    let (mut iface, mut mtu, patch) = match mode {
        Mode::Create => {
            let hw =
                given_hw.ok_or_else(|| FieldError::new("hardwareID", FieldProblem::Missing))?;
            if Family::of(&hw) != Some(family) {
                return Err(bad(
                    "hardwareID",
                    format!("'{hw}' is not a {} interface", family.segment()),
                ));
            }
            (Interface::unconfigured(&hw), DEFAULT_MTU, false)
        }
        Mode::Replace(existing, _) => {
            check_same(given_hw.as_deref(), existing)?;
            let mut base = Interface::unconfigured(&existing.hardware_id);
            // Not part of the writable representation of these families: kept.
            base.vlan = existing.vlan;
            if family != Family::Physical {
                base.channel_group = existing.channel_group.clone();
            }
            // A port-channel's members live on its ports: kept unless `members` is given.
            if family == Family::PortChannel {
                base.members = existing.members.clone();
            }
            (base, DEFAULT_MTU, false)
        }
        Mode::Patch(existing, mtu) => {
            check_same(given_hw.as_deref(), existing)?;
            (existing.clone(), mtu, true)
        }
    };
    if let Some(v) = field(map, "name") {
        let name = json_str(v, "name")?.trim();
        iface.nameif = match name {
            "" => None,
            n if is_nameif(n) => Some(n.to_owned()),
            n => {
                return Err(bad(
                    "name",
                    format!("'{n}' is not an interface name (1-48 letters, digits, _ - .)"),
                ));
            }
        };
    } else if !patch {
        iface.nameif = None;
    }
    if let Some(v) = field(map, "securityLevel") {
        let level: i64 = int_in(v, "securityLevel", -1, 100)?;
        iface.security_level = u8::try_from(level).ok();
    }
    if let Some(v) = field(map, "interfaceDesc") {
        let text = json_str(v, "interfaceDesc")?.trim();
        iface.description = if text.is_empty() {
            None
        } else {
            check_line_text(text, MAX_DESCRIPTION_TEXT)
                .map_err(|e| FieldError::new("interfaceDesc", FieldProblem::Value(e)))?;
            Some(text.to_owned())
        };
    }
    if let Some(v) = field(map, "shutdown") {
        iface.shutdown = json_bool(v, "shutdown")?;
    }
    if let Some(v) = field(map, "managementOnly") {
        iface.management_only = json_bool(v, "managementOnly")?;
    }
    read_traffic_forward(map, family, &mut iface)?;
    read_mac(map, &mut iface, patch)?;
    // 0 is what typed clients send for "not set".
    if let Some(v) = field(map, "mtu").filter(|v| json_int(v, "mtu").ok() != Some(0)) {
        mtu = int_in(v, "mtu", i64::from(MTU_RANGE.0), i64::from(MTU_RANGE.1))?;
    }
    if family == Family::Physical {
        read_physical(map, &mut iface)?;
    }
    if family == Family::Vlan {
        read_vlan(map, &mut iface, matches!(mode, Mode::Create))?;
    }
    if let Some(v) = field(map, "members") {
        match family {
            Family::Redundant => iface.members = read_members(v, 8, "a redundant interface")?,
            Family::PortChannel => iface.members = read_members(v, 16, "a port-channel")?,
            _ => {}
        }
    }
    if let Some(v) = map.get("ipAddress") {
        iface.ipv4 = read_ipv4(v)?;
    }
    if let Some(v) = field(map, "ipv6Info") {
        iface.ipv6 = read_ipv6(v, &iface.ipv6)?;
    }
    if iface.ipv6.enforce_eui64 && iface.nameif.is_none() {
        return Err(bad(
            "ipv6Info.enforceEUI64",
            "enforcing EUI-64 names the interface: give it a name (or set enforceEUI64 false)",
        ));
    }
    Ok(Request {
        interface: iface,
        mtu,
    })
}

/// `forwardTrafficCX` / `forwardTrafficSFR`: an absent one keeps its value, a false one
/// clears it when it is the port's module; both true is refused.
fn read_traffic_forward(
    map: &Map<String, Value>,
    family: Family,
    iface: &mut Interface,
) -> Result<(), FieldError> {
    let mut wanted = iface.traffic_forward;
    let mut set = Vec::new();
    for (attr, module) in [
        ("forwardTrafficCX", TrafficModule::Cx),
        ("forwardTrafficSFR", TrafficModule::Sfr),
    ] {
        let Some(v) = field(map, attr) else { continue };
        if json_bool(v, attr)? {
            if family != Family::Physical {
                return Err(bad(
                    attr,
                    "only a physical port forwards traffic to a module",
                ));
            }
            set.push(attr);
            wanted = Some(module);
        } else if wanted == Some(module) {
            wanted = None;
        }
    }
    if let [_, second] = set.as_slice() {
        return Err(bad(
            second,
            "a port forwards traffic to one module: forwardTrafficCX or forwardTrafficSFR",
        ));
    }
    iface.traffic_forward = wanted;
    Ok(())
}

fn check_same(given: Option<&str>, existing: &Interface) -> Result<(), FieldError> {
    match given {
        Some(hw) if hw != existing.hardware_id => {
            Err(FieldError::new("hardwareID", FieldProblem::Mismatch))
        }
        _ => Ok(()),
    }
}

fn read_mac(
    map: &Map<String, Value>,
    iface: &mut Interface,
    patch: bool,
) -> Result<(), FieldError> {
    let read = |attr: &str| -> Result<Option<Option<String>>, FieldError> {
        match field(map, attr) {
            None => Ok(None),
            Some(v) => {
                let s = json_str(v, attr)?.trim();
                if s.is_empty() {
                    Ok(Some(None))
                } else if is_mac(&s.to_ascii_lowercase()) {
                    Ok(Some(Some(s.to_ascii_lowercase())))
                } else {
                    Err(bad(attr, format!("'{s}' is not a MAC address (H.H.H)")))
                }
            }
        }
    };
    let active = read("activeMacAddress")?;
    let standby = read("standByMacAddress")?;
    if active.is_none() && standby.is_none() && patch {
        return Ok(());
    }
    let old = iface.mac_address.take();
    let active = active.unwrap_or_else(|| {
        if patch {
            old.as_ref().map(|m| m.active.clone())
        } else {
            None
        }
    });
    let standby = standby.unwrap_or_else(|| {
        if patch {
            old.and_then(|m| m.standby)
        } else {
            None
        }
    });
    iface.mac_address = match (active, standby) {
        (Some(active), standby) => Some(MacAddress { active, standby }),
        (None, Some(_)) => {
            return Err(bad(
                "standByMacAddress",
                "a standby MAC address needs an active one",
            ));
        }
        (None, None) => None,
    };
    Ok(())
}

fn read_physical(map: &Map<String, Value>, iface: &mut Interface) -> Result<(), FieldError> {
    for (attr, allowed, slot) in [
        ("speed", SPEEDS, &mut iface.speed),
        ("duplex", DUPLEXES, &mut iface.duplex),
    ] {
        if let Some(v) = field(map, attr) {
            let mut s = json_str(v, attr)?.trim().to_ascii_lowercase();
            if s.is_empty() {
                // Clients built from typed structs send "" for "not set".
                s = "auto".to_owned();
            }
            if !allowed.contains(&s.as_str()) {
                return Err(bad(
                    attr,
                    format!("'{s}' is not one of {}", allowed.join(", ")),
                ));
            }
            *slot = (s != "auto").then_some(s);
        }
    }
    if let Some(v) = field(map, "channelGroupID") {
        let id = match v {
            Value::String(s) if s.trim().is_empty() => None,
            _ => Some(int_in::<u16>(v, "channelGroupID", 1, 48)?),
        };
        let mode = match field(map, "channelGroupMode").filter(|_| id.is_some()) {
            Some(m) => {
                let m = json_str(m, "channelGroupMode")?.trim().to_ascii_lowercase();
                if !CHANNEL_MODES.contains(&m.as_str()) {
                    return Err(bad(
                        "channelGroupMode",
                        format!("'{m}' is not one of {}", CHANNEL_MODES.join(", ")),
                    ));
                }
                m
            }
            None => "active".to_owned(),
        };
        iface.channel_group = id.map(|id| ChannelGroup { id, mode });
    }
    if let Some(v) = field(map, "lacpPriority") {
        let p: i64 = int_in(v, "lacpPriority", -1, 65535)?;
        iface.lacp_priority = if p <= 0 { None } else { u16::try_from(p).ok() };
    }
    if let Some(v) = field(map, "flowcontrolOn") {
        iface.flowcontrol = if json_bool(v, "flowcontrolOn")? {
            let mut water = [0u32; 3];
            let mut all = true;
            for (slot, attr) in
                water
                    .iter_mut()
                    .zip(["flowcontrolLow", "flowcontrolHigh", "flowcontrolPeriod"])
            {
                match field(map, attr)
                    .map(|v| int_in::<i64>(v, attr, -1, 65535))
                    .transpose()?
                {
                    Some(n) if n >= 0 => *slot = u32::try_from(n).unwrap_or(0),
                    _ => all = false,
                }
            }
            Some(Flowcontrol {
                water: all.then_some((water[0], water[1], water[2])),
            })
        } else {
            None
        };
    }
    Ok(())
}

fn read_vlan(
    map: &Map<String, Value>,
    iface: &mut Interface,
    create: bool,
) -> Result<(), FieldError> {
    if let Some(v) = field(map, "vlanID").filter(|v| json_int(v, "vlanID").ok() != Some(0)) {
        iface.vlan = Some(int_in(v, "vlanID", 1, 4094)?);
    } else if create {
        let sub = iface.hardware_id.rsplit_once('.').map(|(_, n)| n);
        let Some(n) = sub.and_then(|n| n.parse::<u32>().ok()) else {
            return Err(FieldError::new("vlanID", FieldProblem::Missing));
        };
        match u16::try_from(n).ok().filter(|n| (1..=4094).contains(n)) {
            Some(v) => iface.vlan = Some(v),
            None => {
                return Err(bad(
                    "vlanID",
                    format!("{n} (from hardwareID) is outside 1-4094: give vlanID"),
                ));
            }
        }
    }
    Ok(())
}

fn read_members(v: &Value, max: usize, what: &str) -> Result<Vec<String>, FieldError> {
    let items = v.as_array().ok_or_else(|| wrong("members", "an array"))?;
    if items.len() > max {
        return Err(bad("members", format!("{what} has at most {max} members")));
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let hw = hardware_of(item, "members")?;
        if Family::of(&hw) != Some(Family::Physical) {
            return Err(bad(
                "members",
                format!("'{hw}' is not a physical interface"),
            ));
        }
        if !out.contains(&hw) {
            out.push(hw);
        }
    }
    Ok(out)
}

fn read_ipv4(v: &Value) -> Result<Ipv4Setting, FieldError> {
    let map = match v {
        Value::Null => return Ok(Ipv4Setting::None),
        Value::String(s) if s == "NoneSelected" || s.is_empty() => return Ok(Ipv4Setting::None),
        Value::Object(m) => m,
        _ => {
            return Err(wrong(
                "ipAddress",
                "\"NoneSelected\" or an object with kind StaticIP or DHCP",
            ));
        }
    };
    let kind = match field(map, "kind") {
        Some(k) => json_str(k, "ipAddress.kind")?,
        None => return Err(FieldError::new("ipAddress.kind", FieldProblem::Missing)),
    };
    match kind {
        "StaticIP" => {
            let ip = field(map, "ip")
                .ok_or_else(|| FieldError::new("ipAddress.ip", FieldProblem::Missing))?;
            let ip = value_of(ip, "ipAddress.ip")?;
            let address: Ipv4Addr = ip
                .parse()
                .map_err(|_| bad("ipAddress.ip", format!("'{ip}' is not an IPv4 address")))?;
            let mask = field(map, "netMask")
                .ok_or_else(|| FieldError::new("ipAddress.netMask", FieldProblem::Missing))?;
            let mask = value_of(mask, "ipAddress.netMask")?;
            let mask = match mask.parse::<u8>() {
                Ok(p) if p <= 32 => prefix_mask(p),
                _ => mask
                    .parse::<Ipv4Addr>()
                    .ok()
                    .filter(|m| mask_prefix(*m).is_some())
                    .ok_or_else(|| {
                        bad(
                            "ipAddress.netMask",
                            format!("'{mask}' is not a contiguous mask"),
                        )
                    })?,
            };
            let standby = match field(map, "standby") {
                None => None,
                Some(sb) => {
                    let s = value_of(sb, "ipAddress.standby")?;
                    if s.is_empty() {
                        None
                    } else {
                        Some(s.parse::<Ipv4Addr>().map_err(|_| {
                            bad("ipAddress.standby", format!("'{s}' is not an IPv4 address"))
                        })?)
                    }
                }
            };
            Ok(Ipv4Setting::Static {
                address,
                mask,
                standby,
            })
        }
        "DHCP" => {
            let setroute = match field(map, "dhcpClient") {
                Some(Value::Object(c)) => match field(c, "setDefaultRoute") {
                    Some(v) => json_bool(v, "ipAddress.dhcpClient.setDefaultRoute")?,
                    None => false,
                },
                Some(_) => return Err(wrong("ipAddress.dhcpClient", "an object")),
                None => false,
            };
            Ok(Ipv4Setting::Dhcp { setroute })
        }
        other => Err(FieldError::new(
            "ipAddress.kind",
            FieldProblem::UnknownKind(other.to_owned()),
        )),
    }
}

fn v6_standby(m: &Map<String, Value>, attr: &str) -> Result<Option<Ipv6Addr>, FieldError> {
    match field(m, "standby") {
        None => Ok(None),
        Some(v) => {
            let s = value_of(v, attr)?;
            if s.is_empty() {
                Ok(None)
            } else {
                s.parse()
                    .map(Some)
                    .map_err(|_| bad(attr, format!("'{s}' is not an IPv6 address")))
            }
        }
    }
}

fn read_ipv6(v: &Value, base: &Ipv6Setting) -> Result<Ipv6Setting, FieldError> {
    let map = v
        .as_object()
        .ok_or_else(|| wrong("ipv6Info", "an object"))?;
    let mut out = base.clone();
    let flag = |attr: &str, slot: &mut bool| -> Result<(), FieldError> {
        if let Some(v) = field(map, attr) {
            *slot = json_bool(v, &format!("ipv6Info.{attr}"))?;
        }
        Ok(())
    };
    flag("enabled", &mut out.enabled)?;
    flag("autoConfig", &mut out.autoconfig)?;
    flag("suppressRouterAdvert", &mut out.nd.suppress_ra)?;
    flag("managedAddressConfig", &mut out.nd.managed_config)?;
    flag("otherStatefulConfig", &mut out.nd.other_config)?;
    flag("enforceEUI64", &mut out.enforce_eui64)?;
    if let Some(v) = field(map, "nDiscoveryPrefixList") {
        out.nd_prefixes = nd_prefix::list_from_json(v)?;
    }
    let nd: &mut NdSettings = &mut out.nd;
    let ranges: [(&str, &mut u32, i64, i64); 4] = [
        ("nsInterval", &mut nd.ns_interval, 1000, 3_600_000),
        ("dadAttempts", &mut nd.dad_attempts, 0, 600),
        ("reachableTime", &mut nd.reachable_time, 0, 3_600_000),
        ("routerAdvertLifetime", &mut nd.ra_lifetime, 0, 9000),
    ];
    for (attr, slot, lo, hi) in ranges {
        if let Some(v) = field(map, attr) {
            *slot = int_in(v, &format!("ipv6Info.{attr}"), lo, hi)?;
        }
    }
    if let Some(v) = field(map, "routerAdvertIntervalUnit") {
        nd.ra_interval_msec = match json_str(v, "ipv6Info.routerAdvertIntervalUnit")? {
            "sec" => false,
            "msec" => true,
            other => {
                return Err(bad(
                    "ipv6Info.routerAdvertIntervalUnit",
                    format!("'{other}' is not sec or msec"),
                ));
            }
        };
    }
    if let Some(v) = field(map, "routerAdvertInterval") {
        let (lo, hi) = if nd.ra_interval_msec {
            (500, 1_800_000)
        } else {
            (3, 1800)
        };
        nd.ra_interval = int_in(v, "ipv6Info.routerAdvertInterval", lo, hi)?;
    }
    if let Some(v) = field(map, "ipv6Addresses") {
        let list = v
            .as_array()
            .ok_or_else(|| wrong("ipv6Info.ipv6Addresses", "an array"))?;
        let mut addresses = Vec::with_capacity(list.len());
        for item in list {
            let attr = "ipv6Info.ipv6Addresses";
            let m = item
                .as_object()
                .ok_or_else(|| wrong(attr, "an array of objects"))?;
            let a = field(m, "address")
                .ok_or_else(|| FieldError::new(format!("{attr}.address"), FieldProblem::Missing))?;
            let a = value_of(a, &format!("{attr}.address"))?;
            let (a, inline_len) = match a.split_once('/') {
                Some((a, len)) => (a, Some(len)),
                None => (a, None),
            };
            let address: Ipv6Addr = a.parse().map_err(|_| {
                bad(
                    &format!("{attr}.address"),
                    format!("'{a}' is not an IPv6 address"),
                )
            })?;
            let prefix: u8 = match (field(m, "prefixLength"), inline_len) {
                (Some(p), _) => int_in(p, &format!("{attr}.prefixLength"), 1, 128)?,
                (None, Some(len)) => len
                    .parse()
                    .ok()
                    .filter(|p| (1..=128).contains(p))
                    .ok_or_else(|| {
                        bad(
                            &format!("{attr}.address"),
                            format!("'{len}' is not a prefix length"),
                        )
                    })?,
                (None, None) => {
                    return Err(FieldError::new(
                        format!("{attr}.prefixLength"),
                        FieldProblem::Missing,
                    ));
                }
            };
            let eui64 = match field(m, "isEUI64") {
                Some(v) => json_bool(v, &format!("{attr}.isEUI64"))?,
                None => false,
            };
            let entry = Ipv6Address {
                address,
                prefix,
                standby: v6_standby(m, &format!("{attr}.standby"))?,
                eui64,
            };
            if !addresses.iter().any(|x: &Ipv6Address| x.address == address) {
                addresses.push(entry);
            }
        }
        out.addresses = addresses;
    }
    match map.get("linkLocalAddress") {
        None => {}
        Some(Value::Null) => out.link_local = None,
        Some(Value::Object(m)) => {
            let attr = "ipv6Info.linkLocalAddress";
            let a = field(m, "address")
                .ok_or_else(|| FieldError::new(format!("{attr}.address"), FieldProblem::Missing))?;
            let a = value_of(a, &format!("{attr}.address"))?;
            out.link_local = if a.is_empty() {
                None
            } else {
                let address: Ipv6Addr = a.parse().map_err(|_| {
                    bad(
                        &format!("{attr}.address"),
                        format!("'{a}' is not an IPv6 address"),
                    )
                })?;
                if u128::from(address) >> 118 != 0x3fa {
                    return Err(bad(
                        &format!("{attr}.address"),
                        format!("'{a}' is not a link-local address (fe80::/10)"),
                    ));
                }
                Some((address, v6_standby(m, &format!("{attr}.standby"))?))
            };
        }
        Some(_) => return Err(wrong("ipv6Info.linkLocalAddress", "an object")),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interfaces::cli;
    use crate::interfaces::nd_prefix::{NdPrefix, PrefixTarget};
    use proptest::prelude::*;

    const LINK: &str = "https://asa/api/interfaces/physical/GigabitEthernet0_API_SLASH_1";

    fn url(path: &str, id: &str) -> String {
        format!("https://asa{path}/{id}")
    }

    fn no_member(_: &str) -> Option<Interface> {
        None
    }

    fn out(i: &Interface, family: Family, mtu: u16) -> Value {
        to_json(i, family, mtu, LINK, &url, &no_member)
    }

    fn inside() -> Interface {
        let mut i = Interface::unconfigured("GigabitEthernet0/1");
        i.nameif = Some("inside".into());
        i.security_level = Some(100);
        i.ipv4 = Ipv4Setting::Static {
            address: "192.168.1.1".parse().unwrap(),
            mask: "255.255.255.0".parse().unwrap(),
            standby: None,
        };
        i
    }

    #[test]
    fn physical_items_carry_every_documented_field() {
        let v = out(&inside(), Family::Physical, 1500);
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "kind",
                "selfLink",
                "hardwareID",
                "interfaceDesc",
                "channelGroupID",
                "channelGroupMode",
                "duplex",
                "flowcontrolOn",
                "flowcontrolHigh",
                "flowcontrolLow",
                "flowcontrolPeriod",
                "forwardTrafficCX",
                "forwardTrafficSFR",
                "lacpPriority",
                "activeMacAddress",
                "standByMacAddress",
                "managementOnly",
                "mtu",
                "name",
                "securityLevel",
                "shutdown",
                "speed",
                "ipAddress",
                "ipv6Info",
                "objectId"
            ]
        );
        assert_eq!(v["kind"], "object#GigabitInterface");
        assert_eq!(v["objectId"], "GigabitEthernet0_API_SLASH_1");
        assert_eq!(v["ipAddress"]["ip"]["value"], "192.168.1.1");
        assert_eq!(v["ipAddress"]["netMask"]["kind"], "IPv4NetMask");
        assert_eq!(v["ipv6Info"]["kind"], "object#Ipv6InterfaceInfo");
        assert_eq!(v["ipv6Info"]["ipv6Addresses"], json!([]));
        assert_eq!(v["speed"], "auto");
        assert_eq!(v["lacpPriority"], -1);
    }

    #[test]
    fn unnamed_ports_read_none_selected_and_minus_one() {
        let v = out(
            &Interface::unconfigured("Management0/0"),
            Family::Physical,
            1500,
        );
        assert_eq!(v["kind"], "object#MgmtInterface");
        assert_eq!(v["ipAddress"], "NoneSelected");
        assert_eq!(v["securityLevel"], -1);
        assert_eq!(v["name"], "");
        assert_eq!(v["ipv6Info"]["enabled"], false);
    }

    #[test]
    fn ipv6_entries_always_carry_a_standby() {
        let mut i = inside();
        i.ipv6.addresses.push(Ipv6Address {
            address: "2001:db8::1".parse().unwrap(),
            prefix: 64,
            standby: None,
            eui64: false,
        });
        i.ipv6.link_local = Some(("fe80::1".parse().unwrap(), None));
        let v = out(&i, Family::Physical, 1500);
        let a = &v["ipv6Info"]["ipv6Addresses"][0];
        assert_eq!(a["address"]["value"], "2001:db8::1");
        assert_eq!(a["standby"]["value"], "");
        assert_eq!(a["prefixLength"], 64);
        assert_eq!(v["ipv6Info"]["linkLocalAddress"]["standby"]["value"], "");
    }

    #[test]
    fn vlan_items_have_a_vlan_id_and_no_physical_fields() {
        let mut i = Interface::unconfigured("GigabitEthernet0/1.100");
        i.vlan = Some(100);
        let v = out(&i, Family::Vlan, 1500);
        assert_eq!(v["kind"], "object#VlanMgmtInterface");
        assert_eq!(v["vlanID"], 100);
        assert!(v.get("speed").is_none());
        assert_eq!(v["objectId"], "GigabitEthernet0_API_SLASH_1.100");
    }

    #[test]
    fn a_put_clearing_name_level_and_address_unconfigures_the_port() {
        let existing = inside();
        let body = json!({"name": "", "securityLevel": -1, "ipAddress": "NoneSelected",
            "shutdown": true, "kind": "object#GigabitInterface"});
        let r = from_json(&body, Family::Physical, Mode::Replace(&existing, 1500)).unwrap();
        let mut want = Interface::unconfigured("GigabitEthernet0/1");
        want.shutdown = true;
        assert_eq!(r.interface, want);
    }

    #[test]
    fn patch_keeps_what_the_body_does_not_name() {
        let existing = inside();
        let r = from_json(
            &json!({"interfaceDesc": "LAN", "mtu": "9000"}),
            Family::Physical,
            Mode::Patch(&existing, 1500),
        )
        .unwrap();
        assert_eq!(r.mtu, 9000);
        assert_eq!(r.interface.nameif.as_deref(), Some("inside"));
        assert_eq!(r.interface.description.as_deref(), Some("LAN"));
    }

    #[test]
    fn create_needs_a_hardware_id_of_the_family() {
        let e = from_json(&json!({"name": "x"}), Family::Vlan, Mode::Create).unwrap_err();
        assert_eq!(e, FieldError::new("hardwareID", FieldProblem::Missing));
        let e = from_json(
            &json!({"hardwareID": "GigabitEthernet0/1"}),
            Family::Vlan,
            Mode::Create,
        )
        .unwrap_err();
        assert_eq!(e.attribute, "hardwareID");
        let r = from_json(
            &json!({"hardwareID": "GigabitEthernet0/1.20", "name": "dmz"}),
            Family::Vlan,
            Mode::Create,
        )
        .unwrap();
        assert_eq!(r.interface.vlan, Some(20));
        let r = from_json(
            &json!({"hardwareID": "GigabitEthernet0_API_SLASH_1.20", "vlanID": 7}),
            Family::Vlan,
            Mode::Create,
        )
        .unwrap();
        assert_eq!(r.interface.hardware_id, "GigabitEthernet0/1.20");
        assert_eq!(r.interface.vlan, Some(7));
    }

    #[test]
    fn bad_values_name_their_attribute() {
        let existing = inside();
        let mode = Mode::Replace(&existing, 1500);
        let cases = [
            (json!({"name": "in side"}), "name"),
            (json!({"name": "x\ny"}), "name"),
            (json!({"securityLevel": 101}), "securityLevel"),
            (json!({"interfaceDesc": "a\nno nameif"}), "interfaceDesc"),
            (json!({"mtu": 10}), "mtu"),
            (json!({"speed": "fast"}), "speed"),
            (json!({"activeMacAddress": "zz"}), "activeMacAddress"),
            (
                json!({"standByMacAddress": "0011.2233.4455"}),
                "standByMacAddress",
            ),
            (json!({"channelGroupID": "99"}), "channelGroupID"),
            (
                json!({"ipAddress": {"kind": "StaticIP", "ip": {"value": "1.2.3.4"}, "netMask": {"value": "255.0.255.0"}}}),
                "ipAddress.netMask",
            ),
            (
                json!({"ipAddress": {"kind": "StaticIP", "netMask": {"value": "255.0.0.0"}}}),
                "ipAddress.ip",
            ),
            (json!({"ipAddress": {"kind": "PPPoE"}}), "ipAddress.kind"),
            (json!({"ipAddress": 7}), "ipAddress"),
            (
                json!({"ipv6Info": {"ipv6Addresses": [{"address": {"value": "x"}, "prefixLength": 64}]}}),
                "ipv6Info.ipv6Addresses.address",
            ),
            (
                json!({"ipv6Info": {"linkLocalAddress": {"address": {"value": "2001:db8::1"}}}}),
                "ipv6Info.linkLocalAddress.address",
            ),
            (
                json!({"ipv6Info": {"nsInterval": 5}}),
                "ipv6Info.nsInterval",
            ),
            (
                json!({"forwardTrafficCX": true, "forwardTrafficSFR": "true"}),
                "forwardTrafficSFR",
            ),
            (
                json!({"name": "", "ipv6Info": {"enforceEUI64": true}}),
                "ipv6Info.enforceEUI64",
            ),
            (
                json!({"ipv6Info": {"nDiscoveryPrefixList": [{"prefix": "x"}]}}),
                "ipv6Info.nDiscoveryPrefixList.prefix",
            ),
            (
                json!({"ipv6Info": {"nDiscoveryPrefixList": {"prefix": "2001:db8::/64"}}}),
                "ipv6Info.nDiscoveryPrefixList",
            ),
            (json!({"hardwareID": "GigabitEthernet0/2"}), "hardwareID"),
        ];
        for (body, attr) in cases {
            let e = from_json(&body, Family::Physical, mode).expect_err(&body.to_string());
            assert_eq!(e.attribute, attr, "{body}");
        }
    }

    #[test]
    fn traffic_forwarding_is_for_physical_ports_and_one_module() {
        let existing = inside();
        let r = from_json(
            &json!({"forwardTrafficSFR": true, "forwardTrafficCX": false}),
            Family::Physical,
            Mode::Replace(&existing, 1500),
        )
        .unwrap();
        assert_eq!(r.interface.traffic_forward, Some(TrafficModule::Sfr));
        assert_eq!(r.interface.nameif, None);
        let back = out(&r.interface, Family::Physical, 1500);
        assert_eq!(back["forwardTrafficSFR"], true);
        assert_eq!(back["forwardTrafficCX"], false);
        // PATCH: false for the other module keeps it; false for its own clears it.
        let mut passive = Interface::unconfigured("GigabitEthernet0/1");
        passive.traffic_forward = Some(TrafficModule::Cx);
        let keep = from_json(
            &json!({"forwardTrafficSFR": false}),
            Family::Physical,
            Mode::Patch(&passive, 1500),
        )
        .unwrap();
        assert_eq!(keep.interface.traffic_forward, Some(TrafficModule::Cx));
        let clear = from_json(
            &json!({"forwardTrafficCX": false}),
            Family::Physical,
            Mode::Patch(&passive, 1500),
        )
        .unwrap();
        assert_eq!(clear.interface.traffic_forward, None);
        let e = from_json(
            &json!({"hardwareID": "GigabitEthernet0/1.5", "forwardTrafficCX": true}),
            Family::Vlan,
            Mode::Create,
        )
        .unwrap_err();
        assert_eq!(e.attribute, "forwardTrafficCX");
    }

    #[test]
    fn port_channel_members_are_read_and_kept_when_absent() {
        let mut pc = Interface::unconfigured("Port-channel2");
        pc.members = vec!["GigabitEthernet0/2".into()];
        let keep = from_json(
            &json!({"name": "bundle"}),
            Family::PortChannel,
            Mode::Replace(&pc, 1500),
        )
        .unwrap();
        assert_eq!(keep.interface.members, ["GigabitEthernet0/2"]);
        let set = from_json(
            &json!({"members": [{"objectId": "GigabitEthernet0_API_SLASH_3"}, "GigabitEthernet0/4"]}),
            Family::PortChannel,
            Mode::Patch(&pc, 1500),
        )
        .unwrap();
        assert_eq!(
            set.interface.members,
            ["GigabitEthernet0/3", "GigabitEthernet0/4"]
        );
        let seventeen: Vec<String> = (0..17).map(|n| format!("GigabitEthernet1/{n}")).collect();
        let e = from_json(
            &json!({"members": seventeen}),
            Family::PortChannel,
            Mode::Patch(&pc, 1500),
        )
        .unwrap_err();
        assert!(e.to_string().contains("at most 16"), "{e}");
        let e = from_json(
            &json!({"members": ["Port-channel3"]}),
            Family::PortChannel,
            Mode::Patch(&pc, 1500),
        )
        .unwrap_err();
        assert_eq!(e.attribute, "members");
    }

    #[test]
    fn zero_values_of_typed_clients_mean_not_set() {
        let existing = inside();
        let body = json!({"hardwareID": "GigabitEthernet0/1", "interfaceDesc": "", "channelGroupID": "",
            "channelGroupMode": "", "duplex": "", "speed": "", "flowcontrolOn": false,
            "flowcontrolHigh": 0, "flowcontrolLow": 0, "flowcontrolPeriod": 0, "lacpPriority": 0,
            "activeMacAddress": "", "standByMacAddress": "", "mtu": 0, "name": "inside",
            "securityLevel": 100, "ipAddress": null, "ipv6Info": null, "kind": "", "objectId": ""});
        let r = from_json(&body, Family::Physical, Mode::Replace(&existing, 1500)).unwrap();
        let mut want = inside();
        want.ipv4 = Ipv4Setting::None;
        assert_eq!(
            r,
            Request {
                interface: want,
                mtu: 1500
            }
        );
        let r = from_json(
            &json!({"hardwareID": "GigabitEthernet0/1.7", "vlanID": 0}),
            Family::Vlan,
            Mode::Create,
        )
        .unwrap();
        assert_eq!(r.interface.vlan, Some(7));
    }

    #[test]
    fn reads_dhcp_masks_as_prefixes_and_standby_addresses() {
        let existing = inside();
        let mode = Mode::Patch(&existing, 1500);
        let r = from_json(
            &json!({"ipAddress": {"kind": "DHCP", "dhcpClient": {"setDefaultRoute": "true"}}}),
            Family::Physical,
            mode,
        )
        .unwrap();
        assert_eq!(r.interface.ipv4, Ipv4Setting::Dhcp { setroute: true });
        let r = from_json(
            &json!({"ipAddress": {"kind": "StaticIP", "ip": {"kind": "IPv4Address", "value": "10.1.1.1"},
                "netMask": {"kind": "IPv4NetMask", "value": "16"}, "standby": {"value": "10.1.1.2"}}}),
            Family::Physical,
            mode,
        )
        .unwrap();
        assert_eq!(
            r.interface.ipv4,
            Ipv4Setting::Static {
                address: "10.1.1.1".parse().unwrap(),
                mask: "255.255.0.0".parse().unwrap(),
                standby: Some("10.1.1.2".parse().unwrap()),
            }
        );
    }

    fn arb_nd_prefix() -> impl Strategy<Value = NdPrefix> {
        (
            proptest::option::of((any::<u128>(), 1u8..=128)),
            proptest::option::of((any::<u32>(), any::<u32>())),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(
                |(target, life, no_advertise, off_link, no_autoconfig)| NdPrefix {
                    target: match target {
                        Some((a, len)) => PrefixTarget::Prefix(Ipv6Addr::from(a), len),
                        None => PrefixTarget::Default,
                    },
                    lifetimes: life.map(|(a, b)| (a.max(b), a.min(b))),
                    no_advertise,
                    off_link,
                    no_autoconfig,
                },
            )
    }

    fn arb_interface() -> impl Strategy<Value = (Interface, u16)> {
        let ipv4 = prop_oneof![
            Just(Ipv4Setting::None),
            any::<bool>().prop_map(|setroute| Ipv4Setting::Dhcp { setroute }),
            (any::<u32>(), 0u8..=32, proptest::option::of(any::<u32>())).prop_map(|(a, p, s)| {
                Ipv4Setting::Static {
                    address: Ipv4Addr::from(a),
                    mask: prefix_mask(p),
                    standby: s.map(Ipv4Addr::from),
                }
            }),
        ];
        let v6 = (
            any::<bool>(),
            any::<bool>(),
            proptest::collection::vec(
                (
                    any::<u128>(),
                    1u8..=128,
                    proptest::option::of(any::<u128>()),
                    any::<bool>(),
                ),
                0..3,
            ),
            proptest::option::of((any::<u64>(), proptest::option::of(any::<u128>()))),
            1000u32..5000,
            any::<bool>(),
            proptest::collection::vec(arb_nd_prefix(), 0..3),
        )
            .prop_map(|(enabled, autoconfig, addrs, ll, ns, suppress, prefixes)| {
                let mut addresses: Vec<Ipv6Address> = Vec::new();
                for (a, prefix, sb, eui64) in addrs {
                    let address = Ipv6Addr::from(a);
                    if !addresses.iter().any(|x| x.address == address) {
                        addresses.push(Ipv6Address {
                            address,
                            prefix,
                            standby: sb.map(Ipv6Addr::from),
                            eui64,
                        });
                    }
                }
                let link_local = ll.map(|(low, sb)| {
                    (
                        Ipv6Addr::from((0xfe80u128 << 112) | u128::from(low)),
                        sb.map(Ipv6Addr::from),
                    )
                });
                let mut nd_prefixes: Vec<NdPrefix> = Vec::new();
                for p in prefixes {
                    if !nd_prefixes.iter().any(|x| x.target == p.target) {
                        nd_prefixes.push(p);
                    }
                }
                Ipv6Setting {
                    enabled,
                    autoconfig,
                    addresses,
                    link_local,
                    nd: NdSettings {
                        ns_interval: ns,
                        suppress_ra: suppress,
                        ..NdSettings::default()
                    },
                    nd_prefixes,
                    enforce_eui64: false,
                }
            });
        (
            proptest::option::of("[a-z][a-z0-9_]{0,10}"),
            proptest::option::of(0u8..=100),
            proptest::option::of("[A-Za-z0-9][A-Za-z0-9 ]{0,20}[A-Za-z0-9]"),
            any::<bool>(),
            any::<bool>(),
            ipv4,
            v6,
            proptest::option::of(prop::sample::select(vec!["10", "100", "1000"])),
            proptest::option::of((
                1u16..=48,
                prop::sample::select(vec!["active", "passive", "on"]),
            )),
            MTU_RANGE.0..=MTU_RANGE.1,
            (
                any::<bool>(),
                proptest::option::of(prop::sample::select(vec![
                    TrafficModule::Cx,
                    TrafficModule::Sfr,
                ])),
            ),
        )
            .prop_map(
                |(
                    nameif,
                    level,
                    desc,
                    shutdown,
                    mgmt,
                    ipv4,
                    ipv6,
                    speed,
                    group,
                    mtu,
                    (eui, fwd),
                )| {
                    let mut i = Interface::unconfigured("GigabitEthernet0/3");
                    i.nameif = nameif;
                    i.security_level = level;
                    i.description = desc;
                    i.shutdown = shutdown;
                    i.management_only = mgmt;
                    i.ipv4 = ipv4;
                    i.ipv6 = ipv6;
                    i.speed = speed.map(str::to_owned);
                    i.channel_group = group.map(|(id, mode)| ChannelGroup {
                        id,
                        mode: mode.to_owned(),
                    });
                    // A passive port has no name; enforcing EUI-64 needs one.
                    if i.nameif.is_some() {
                        i.ipv6.enforce_eui64 = eui;
                    } else {
                        i.traffic_forward = fwd;
                    }
                    (i, mtu)
                },
            )
    }

    proptest! {
        #[test]
        fn json_round_trips((i, mtu) in arb_interface()) {
            let base = Interface::unconfigured("GigabitEthernet0/3");
            let v = out(&i, Family::Physical, mtu);
            let back = from_json(&v, Family::Physical, Mode::Replace(&base, 1500));
            prop_assert_eq!(back, Ok(Request { interface: i, mtu }));
        }

        #[test]
        fn cli_then_reading_the_block_gives_the_interface_back((i, mtu) in arb_interface()) {
            let base = Interface::unconfigured("GigabitEthernet0/3");
            let mut cmds = cli::update(&base, None, &i, mtu);
            if !cmds.iter().any(|l| l.starts_with("interface ")) {
                cmds.insert(0, "interface GigabitEthernet0/3".to_owned());
            }
            let mut text = cmds.join("\n");
            text.push('\n');
            let cfg = crate::running::RunningConfig::parse(&text);
            prop_assert_eq!(cfg.interfaces.get("GigabitEthernet0/3"), Some(&i));
        }

        #[test]
        fn arbitrary_bodies_never_panic(name in "\\PC{0,12}", level in any::<i64>(), v in "\\PC{0,30}") {
            let base = Interface::unconfigured("GigabitEthernet0/3");
            let body = json!({"name": name, "securityLevel": level, "interfaceDesc": v,
                "ipAddress": {"kind": "StaticIP", "ip": {"value": v}, "netMask": {"value": v}},
                "ipv6Info": {"ipv6Addresses": [{"address": v, "prefixLength": level}], "linkLocalAddress": {"address": v},
                    "enforceEUI64": v, "nDiscoveryPrefixList": [{"prefix": v, "validLifetime": level, "offLink": v}]},
                "forwardTrafficCX": v, "members": [v],
                "activeMacAddress": v, "channelGroupID": v, "mtu": v, "vlanID": level, "hardwareID": v});
            for family in Family::ALL {
                let _ = from_json(&body, family, Mode::Replace(&base, 1500));
                let _ = from_json(&body, family, Mode::Create);
            }
        }
    }
}
