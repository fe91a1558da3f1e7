//! Which schema each catalogue row documents and validates with: the one place that names
//! the body schemas, so that the catalogue stays a table of endpoints.
//!
//! PLACEHOLDERS: the shapes below have no fields yet (any JSON object passes them); the
//! resources' own schemas replace them as they are declared beside each JSON mapping.

use cli_translator::interfaces::model::Family;
use cli_translator::resources::ResourceKind;
use cli_translator::resources::setting::SettingKind;
use cli_translator::schema::{Object, Type};

const fn placeholder(name: &'static str, description: &'static str) -> Object {
    Object {
        name,
        description,
        fields: &[],
        kinds: &[],
        ours: false,
    }
}

pub static TOKEN: Object = placeholder("Token", "A token of the token service.");
pub static CLI_REQUEST: Object = placeholder("CliRequest", "CLI commands to run.");
pub static CLI_RESPONSE: Object = placeholder("CliResponse", "One output string per command.");
pub static BULK_ENTRY: Object = placeholder("BulkEntry", "One operation of a bulk request.");
pub static BULK_RESPONSE: Object =
    placeholder("BulkResponse", "Messages per entry and common messages.");
pub static BACKUP_REQUEST: Object = placeholder(
    "BackupRequest",
    "Where to write a backup and how to seal it.",
);
pub static RESTORE_REQUEST: Object = placeholder("RestoreRequest", "Which backup to restore.");
pub static OPENAPI: Object = placeholder("OpenApiDocument", "An OpenAPI 3.1 document.");
pub static SERIAL_NUMBER: Object = placeholder("QuerySerialNumber", "The device's serial number.");
pub static COMPONENTS: Object = placeholder("Components", "Version, CPU and memory.");
pub static VERSION: Object = placeholder("Version", "Software version and device facts.");
pub static CPU: Object = placeholder("Cpu", "CPU usage.");
pub static MEMORY: Object = placeholder("Memory", "Memory usage.");
pub static INTERFACE_METRICS: Object =
    placeholder("InterfaceMetrics", "Counters of every named interface.");
pub static INTERFACE_METRIC: Object = placeholder("InterfaceMetric", "Counters of one interface.");
pub static ARP: Object = placeholder("Arp", "The ARP table.");
pub static CONNECTIONS: Object = placeholder("Connections", "Connection counts.");
pub static API_STATISTICS: Object =
    placeholder("ApiStatistics", "This agent's request statistics.");
pub static ACL: Object = placeholder("ExtendedACL", "Extended ACLs.");
pub static ACE: Object = placeholder("ExtendedACE", "Extended ACL entries.");
pub static ACCESS_GROUP: Object = placeholder("AccessGroup", "Access groups.");
pub static SETUP: Object = placeholder("InterfaceSetup", "Interface setup.");
pub static RULE: Object = placeholder("NATRule", "NAT rules.");

static RESOURCES: [Object; 13] = [
    placeholder("NetworkObj", "Network objects."),
    placeholder("TimeRange", "Time ranges."),
    placeholder("LocalUserObj", "Local users."),
    placeholder("RegularExpression", "Regular expressions."),
    placeholder("LocalUserGroup", "Local user groups."),
    placeholder("SecurityObjectGroup", "Security object groups."),
    placeholder("UserObj", "User objects."),
    placeholder("NetworkObjGroup", "Network object groups."),
    placeholder("NetworkServiceObj", "Service objects."),
    placeholder("NetworkServiceGroup", "Service groups."),
    placeholder("StaticRoute", "Static routes."),
    placeholder("MgmtHost", "Management access hosts."),
    placeholder("NTPServer", "NTP servers."),
];

/// The item schema of a table resource.
pub fn resource(kind: ResourceKind) -> &'static Object {
    let i = ResourceKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0);
    RESOURCES.get(i).unwrap_or(&RESOURCES[0])
}

static INTERFACES: [Object; 5] = [
    placeholder("PhysicalInterface", "Physical interfaces."),
    placeholder("VlanInterface", "VLAN sub-interfaces."),
    placeholder("PortChannelInterface", "Port-channel interfaces."),
    placeholder("RedundantInterface", "Redundant interfaces."),
    placeholder("BVIInterface", "Bridge virtual interfaces."),
];

/// The item schema of an interface family.
pub fn interface(family: Family) -> &'static Object {
    let i = Family::ALL.iter().position(|f| *f == family).unwrap_or(0);
    INTERFACES.get(i).unwrap_or(&INTERFACES[0])
}

static SETTINGS: [Object; 4] = [
    placeholder("MgmtAccess", "Management access settings."),
    placeholder("DNS", "DNS settings."),
    placeholder("DHCP", "DHCP settings."),
    placeholder("Timeouts", "Firewall timeouts."),
];

/// The schema of a settings singleton.
pub fn setting(kind: SettingKind) -> &'static Object {
    let i = SettingKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0);
    SETTINGS.get(i).unwrap_or(&SETTINGS[0])
}

/// A bulk request: a list of entries.
pub const BULK_REQUEST: Type = Type::Array(&Type::Object(&BULK_ENTRY));
