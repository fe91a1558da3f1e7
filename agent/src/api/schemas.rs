//! The JSON shapes of the bodies the agent builds itself (monitoring answers, the CLI, write
//! memory, backup and restore, the bulk API, extended ACL lists), declared with the same
//! const DSL as the resources' shapes (`cli_translator::schema`) for the catalogue and the
//! OpenAPI document. Collection answers wrap these items in the paging envelope
//! (`kind`, `selfLink`, `rangeInfo`, `items`).

use cli_translator::schema::{
    Field, KIND, MESSAGE, NULLABLE_STR, OBJECT_ID, Object, SELF_LINK, STRINGS, Type, UINT,
};

/// A counter the show output may not print.
const NULLABLE_UINT: Type = Type::OneOf(&[UINT, Type::Null]);
/// A percentage the show output may not print.
const NULLABLE_PERCENT: Type = Type::OneOf(&[
    Type::Int {
        min: Some(0),
        max: Some(100),
    },
    Type::Null,
]);

/// `GET /api/monitoring/serialnumber` (napalm-asa's liveness check needs exactly this kind).
pub static SERIAL_NUMBER: Object = Object {
    name: "QuerySerialNumber",
    description: "The device's serial number.",
    fields: &[
        KIND,
        Field::new("serialNumber", Type::Str, "The serial number.").read_only(),
    ],
    kinds: &["object#QuerySerialNumber"],
    ours: false,
};

/// `GET /api/monitoring/device/components/version`.
pub static VERSION: Object = Object {
    name: "Version",
    description: "Software version, device type, firewall mode, uptime and flash size (`show version`).",
    fields: &[
        KIND,
        SELF_LINK,
        Field::new(
            "asaVersion",
            Type::Str,
            "ASA software version, e.g. `9.16(4)`.",
        )
        .read_only(),
        Field::new("deviceType", Type::Str, "Hardware model, e.g. `ASAv`.").read_only(),
        Field::new(
            "firewallMode",
            Type::Enum(&["Router", "Transparent"]),
            "Routed or transparent firewall.",
        )
        .read_only(),
        Field::new("upTimeinSeconds", UINT, "Seconds since boot.").read_only(),
        Field::new("totalFlashinMB", UINT, "Flash size in MB.").read_only(),
        Field::new(
            "currentTimeinSeconds",
            UINT,
            "The device's clock, seconds since the Unix epoch.",
        )
        .read_only(),
    ],
    kinds: &["object#Version"],
    ours: false,
};

/// `GET /api/monitoring/device/components/cpu`.
pub static CPU_USAGE: Object = Object {
    name: "CpuUsage",
    description: "Total CPU utilisation averages (`show cpu usage`).",
    fields: &[
        KIND,
        SELF_LINK,
        Field::new(
            "fiveSecondsPercent",
            Type::Number,
            "Average over 5 seconds, percent.",
        )
        .read_only(),
        Field::new(
            "oneMinutePercent",
            Type::Number,
            "Average over 1 minute, percent.",
        )
        .read_only(),
        Field::new(
            "fiveMinutesPercent",
            Type::Number,
            "Average over 5 minutes, percent.",
        )
        .read_only(),
    ],
    kinds: &["object#CpuUsage"],
    ours: true,
};

/// `GET /api/monitoring/device/components/memory`.
pub static MEMORY_USAGE: Object = Object {
    name: "MemoryUsage",
    description: "Memory totals (`show memory`).",
    fields: &[
        KIND,
        SELF_LINK,
        Field::new("totalMemoryinBytes", UINT, "Total memory in bytes.").read_only(),
        Field::new("usedMemoryinBytes", UINT, "Used memory in bytes.").read_only(),
        Field::new("freeMemoryinBytes", UINT, "Free memory in bytes.").read_only(),
        Field::new(
            "usedMemoryPercent",
            NULLABLE_PERCENT,
            "Used memory, percent (null when not printed).",
        )
        .read_only(),
        Field::new(
            "freeMemoryPercent",
            NULLABLE_PERCENT,
            "Free memory, percent (null when not printed).",
        )
        .read_only(),
    ],
    kinds: &["object#MemoryUsage"],
    ours: true,
};

/// `GET /api/monitoring/device/components`.
pub static DEVICE_COMPONENTS: Object = Object {
    name: "DeviceComponents",
    description: "Version, CPU and memory in one answer.",
    fields: &[
        KIND,
        SELF_LINK,
        Field::new(
            "version",
            Type::Object(&VERSION),
            "As `components/version`.",
        )
        .read_only(),
        Field::new("cpu", Type::Object(&CPU_USAGE), "As `components/cpu`.").read_only(),
        Field::new(
            "memory",
            Type::Object(&MEMORY_USAGE),
            "As `components/memory`.",
        )
        .read_only(),
    ],
    kinds: &["object#DeviceComponents"],
    ours: true,
};

/// One item of `collection#MonitoringMetric` (`/api/monitoring/device/interfaces[/{nameif}]`).
pub static MONITORING_METRIC: Object = Object {
    name: "MonitoringMetric",
    description: "Status and traffic figures of one named interface (`show interface`); counters are null when not printed.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The nameif (the objectId).").read_only(),
        Field::new("hardwareID", Type::Str, "Hardware id.").read_only(),
        Field::new(
            "status",
            Type::Str,
            "Link status (`up`, `down`, `administratively down`).",
        )
        .read_only(),
        Field::new("lineProtocol", Type::Str, "Line protocol status.").read_only(),
        Field::new("macAddress", NULLABLE_STR, "MAC address.").read_only(),
        Field::new("mtu", NULLABLE_UINT, "MTU.").read_only(),
        Field::new("ipAddress", NULLABLE_STR, "IPv4 address.").read_only(),
        Field::new("netMask", NULLABLE_STR, "IPv4 mask.").read_only(),
        Field::new("inputPackets", NULLABLE_UINT, "Packets received.").read_only(),
        Field::new("inputBytes", NULLABLE_UINT, "Bytes received.").read_only(),
        Field::new("outputPackets", NULLABLE_UINT, "Packets sent.").read_only(),
        Field::new("outputBytes", NULLABLE_UINT, "Bytes sent.").read_only(),
        Field::new(
            "inputByteCount",
            NULLABLE_UINT,
            "Bytes received (the name an interface-counter client reads).",
        )
        .read_only(),
        Field::new(
            "outputByteCount",
            NULLABLE_UINT,
            "Bytes sent (the name an interface-counter client reads).",
        )
        .read_only(),
        Field::new("droppedPackets", NULLABLE_UINT, "Packets dropped.").read_only(),
        Field::new("inputErrors", NULLABLE_UINT, "Input errors.").read_only(),
        Field::new("outputErrors", NULLABLE_UINT, "Output errors.").read_only(),
        Field::new(
            "inputRatePacketsPerSecond",
            NULLABLE_UINT,
            "1-minute input rate, packets/s.",
        )
        .read_only(),
        Field::new(
            "inputRateBytesPerSecond",
            NULLABLE_UINT,
            "1-minute input rate, bytes/s.",
        )
        .read_only(),
        Field::new(
            "outputRatePacketsPerSecond",
            NULLABLE_UINT,
            "1-minute output rate, packets/s.",
        )
        .read_only(),
        Field::new(
            "outputRateBytesPerSecond",
            NULLABLE_UINT,
            "1-minute output rate, bytes/s.",
        )
        .read_only(),
    ],
    kinds: &["object#MonitoringMetric"],
    ours: true,
};

/// One item of `collection#Arp` (`/api/monitoring/arp`), as napalm-asa reads it.
pub static ARP_ENTRY: Object = Object {
    name: "ArpEntry",
    description: "One ARP table entry (`show arp`).",
    fields: &[
        Field::new("interface", Type::Str, "The nameif.").read_only(),
        Field::new("ipAddress", Type::Str, "IPv4 address.").read_only(),
        Field::new("macAddress", Type::Str, "MAC address (`0050.56aa.0001`).").read_only(),
        Field::new(
            "proxyArp",
            Type::Bool,
            "Whether the entry is a proxy ARP alias.",
        )
        .read_only(),
    ],
    kinds: &[],
    ours: false,
};

/// `GET /api/monitoring/connections`.
// issue 14: monitoring
/// `GET /api/monitoring/clock` (`show clock`); clients read `date` and `time`.
pub static CLOCK: Object = Object {
    name: "Clock",
    description: "The device clock (`show clock`); clients also call it to probe their token.",
    fields: &[
        KIND,
        SELF_LINK,
        Field::new("time", Type::Str, "Time of day, `hh:mm:ss.mmm`.").read_only(),
        Field::new("timeZone", Type::Str, "Time zone name (`UTC`).").read_only(),
        Field::new(
            "date",
            Type::Str,
            "Date as `show clock` prints it, `Wed Aug 16 2017`.",
        )
        .read_only(),
    ],
    kinds: &["object#Clock"],
    ours: true,
};

/// One interface's IPv4 address (`GET /api/monitoring/ipaddress[/{nameif}]`).
pub static IP_ADDRESS_INFO: Object = Object {
    name: "IPAddressInfo",
    description: "The IPv4 address an interface has now (static or leased; `show interface`).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "interface",
            Type::Object(&cli_translator::schema::OBJECT_REF),
            "`objectRef#Interface`: `objectId` is the hardware id (`_API_SLASH_`), `name` the nameif.",
        )
        .read_only(),
        Field::new("ipAddress", Type::Str, "IPv4 address.").read_only(),
        Field::new("netmask", Type::Str, "IPv4 mask.").read_only(),
        Field::new(
            "isClusterInterface",
            Type::Bool,
            "Whether it is a cluster control link (never, here).",
        )
        .read_only(),
    ],
    kinds: &["object#IPAddressInfo"],
    ours: true,
};

pub static CONNECTION_COUNT: Object = Object {
    name: "ConnectionCount",
    description: "Connections in use and the most used (`show conn count`).",
    fields: &[
        KIND,
        SELF_LINK,
        Field::new("inUse", UINT, "Connections in use.").read_only(),
        Field::new("mostUsed", UINT, "Most connections in use at once.").read_only(),
    ],
    kinds: &["object#ConnectionCount"],
    ours: true,
};

/// One latency histogram bucket of the API statistics.
pub static LATENCY_BUCKET: Object = Object {
    name: "LatencyBucket",
    description: "Requests answered within a latency bound.",
    fields: &[
        Field::new(
            "upToMilliseconds",
            NULLABLE_UINT,
            "Upper bound in milliseconds; null for the last, unbounded bucket.",
        )
        .read_only(),
        Field::new("count", UINT, "Requests in the bucket.").read_only(),
    ],
    kinds: &[],
    ours: true,
};

/// `latency` of the API statistics.
pub static LATENCY: Object = Object {
    name: "ApiLatency",
    description: "Request latency: average, maximum and a histogram.",
    fields: &[
        Field::new("averageInMilliseconds", Type::Number, "Average latency.").read_only(),
        Field::new("maxInMilliseconds", Type::Number, "Largest latency.").read_only(),
        Field::new(
            "histogram",
            Type::Array(&Type::Object(&LATENCY_BUCKET)),
            "Requests by latency bucket.",
        )
        .read_only(),
    ],
    kinds: &[],
    ours: true,
};

/// `GET /api/monitoring/apistatistics` (not in Cisco's agent).
pub static API_STATISTICS: Object = Object {
    name: "ApiStatistics",
    description: "The agent's request counters and snapshot reloads.",
    fields: &[
        KIND,
        SELF_LINK,
        Field::new(
            "upTimeinSeconds",
            UINT,
            "Seconds since the agent process started.",
        )
        .read_only(),
        Field::new("totalRequests", UINT, "Requests answered.").read_only(),
        Field::new(
            "requestsByMethod",
            Type::Map(&UINT),
            "Requests by HTTP method (`GET`, ..., `OTHER`).",
        )
        .read_only(),
        Field::new(
            "requestsByStatus",
            Type::Map(&UINT),
            "Requests by status code (only the codes seen).",
        )
        .read_only(),
        Field::new("latency", Type::Object(&LATENCY), "Request latency.").read_only(),
        Field::new(
            "snapshotReloads",
            UINT,
            "Times the running configuration was reloaded.",
        )
        .read_only(),
        Field::new(
            "snapshotGeneration",
            UINT,
            "Configuration generation of the snapshot.",
        )
        .read_only(),
    ],
    kinds: &["object#ApiStatistics"],
    ours: true,
};

/// `POST /api/cli` body.
pub static CLI_REQUEST: Object = Object {
    name: "CliRequest",
    description: "Commands to run, in order, as the caller (debug commands have no effect).",
    fields: &[Field::new(
        "commands",
        STRINGS,
        "The commands, one per string (1 to 1000).",
    )
    .required()],
    kinds: &[],
    ours: false,
};

const RESPONSE: Field = Field::new("response", STRINGS, "Output, one string per command.");

/// `POST /api/cli` answer.
pub static CLI_RESPONSE: Object = Object {
    name: "CliResponse",
    description: "The output of each command, in order.",
    fields: &[RESPONSE],
    kinds: &[],
    ours: false,
};

/// `POST /api/commands/writemem` answer.
pub static WRITEMEM_RESPONSE: Object = Object {
    name: "WriteMemResponse",
    description: "The output of `write memory` (`Building configuration...` ... `[OK]`).",
    fields: &[RESPONSE],
    kinds: &[],
    ours: false,
};

/// `POST /api/backup` and `POST /api/restore` answers.
pub static BACKUP_RESPONSE: Object = Object {
    name: "BackupResponse",
    description: "The output of the `backup` or `restore` command.",
    fields: &[RESPONSE],
    kinds: &[],
    ours: true,
};

const LOCATION: Field =
    Field::new("location", Type::Str, "The backup file, `disk0:/<name>`.").required();
const PASSPHRASE: Field = Field::new(
    "passphrase",
    Type::Str,
    "Passphrase protecting the backup's secrets (no blanks).",
)
.write_only();

/// `POST /api/backup` body.
pub static BACKUP_REQUEST: Object = Object {
    name: "BackupRequest",
    description: "Where to write a backup of the configuration.",
    fields: &[
        Field::new(
            "context",
            Type::Str,
            "The context to back up (multiple-context mode).",
        ),
        LOCATION,
        PASSPHRASE,
    ],
    kinds: &[],
    ours: false,
};

/// `POST /api/restore` body.
pub static RESTORE_REQUEST: Object = Object {
    name: "RestoreRequest",
    description: "The backup to restore.",
    fields: &[LOCATION, PASSPHRASE],
    kinds: &[],
    ours: false,
};

/// One operation of a bulk request.
pub static BULK_ENTRY: Object = Object {
    name: "BulkEntry",
    description: "One operation of a bulk request.",
    fields: &[
        Field::new(
            "method",
            Type::Str,
            "`POST`, `PUT`, `PATCH` or `DELETE` (any case; another verb fails the entry with 405).",
        )
        .required(),
        Field::new(
            "resourceUri",
            Type::Str,
            "The path (or a `selfLink`) the single request would use.",
        )
        .required(),
        Field::new(
            "data",
            Type::Any,
            "The body of the single request, as JSON or as a string holding JSON; absent for DELETE.",
        ),
    ],
    kinds: &[],
    ours: false,
};

/// `POST /api` body: 1 to 1000 operations.
pub const BULK_REQUEST: Type = Type::Array(&Type::Object(&BULK_ENTRY));

/// One entry message of a bulk answer.
pub static BULK_ENTRY_MESSAGE: Object = Object {
    name: "BulkEntryMessage",
    description: "What became of one operation: its status and, on failure, why.",
    fields: &[
        Field::new("method", NULLABLE_STR, "The operation's method, as sent.").read_only(),
        Field::new("resourceUri", NULLABLE_STR, "The operation's URI, as sent.").read_only(),
        Field::new(
            "status",
            NULLABLE_UINT,
            "The status the single request would answer; 424 for the others of a failed bulk.",
        )
        .read_only(),
        Field::new(
            "location",
            Type::Str,
            "The `Location` the single request would answer.",
        )
        .read_only(),
        Field::new(
            "messages",
            Type::Array(&Type::Object(&MESSAGE)),
            "The failure, or `NOT-APPLIED` / `NOT-ATTEMPTED`; empty when applied.",
        )
        .read_only(),
    ],
    kinds: &[],
    ours: true,
};

/// `POST /api` answer.
pub static BULK_RESPONSE: Object = Object {
    name: "BulkResponse",
    description: "One message per operation, in order, and the bulk's overall outcome.",
    fields: &[
        Field::new(
            "entryMessages",
            Type::Array(&Type::Object(&BULK_ENTRY_MESSAGE)),
            "One per operation, in order.",
        )
        .read_only(),
        Field::new(
            "commonMessages",
            Type::Array(&Type::Object(&MESSAGE)),
            "`BULK-APPLIED` or `BULK-NOT-APPLIED` (context: the failing entry's index).",
        )
        .read_only(),
    ],
    kinds: &[],
    ours: false,
};

/// `aces` of an extended ACL list item.
pub static ACES_LINK: Object = Object {
    name: "AcesLink",
    description: "Where a list's entries are.",
    fields: &[Field::new(
        "refLink",
        Type::Formatted("uri"),
        "URL of the list's entries.",
    )
    .read_only()],
    kinds: &[],
    ours: true,
};

/// One item of `collection#ExtendedACL` (`/api/objects/extendedacls[/{acl}]`).
pub static EXTENDED_ACL: Object = Object {
    name: "ExtendedACL",
    description: "A named extended access list; its entries are under `aces`.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The list's name (its objectId).").read_only(),
        Field::new(
            "aces",
            Type::Object(&ACES_LINK),
            "Link to the list's entries.",
        )
        .read_only(),
    ],
    kinds: &["object#ExtendedACL"],
    ours: true,
};

/// A token: it has no body; the path parameter is all there is.
pub static TOKEN: Object = Object {
    name: "Token",
    description: "A token issued by the token service (never listed).",
    fields: &[],
    kinds: &[],
    ours: true,
};

/// This document itself: OpenAPI 3.1, as `openapi.rs` builds it.
pub static OPENAPI: Object = Object {
    name: "OpenApiDocument",
    description: "An OpenAPI 3.1 document describing this API.",
    fields: &[
        Field::new("openapi", Type::Str, "The OpenAPI version, `3.1.0`.").required(),
        Field::new("info", Type::Any, "Title, version and description."),
        Field::new("servers", Type::Any, "This agent's base URL."),
        Field::new(
            "security",
            Type::Any,
            "Basic credentials or `X-Auth-Token`.",
        ),
        Field::new("tags", Type::Any, "One tag per resource family."),
        Field::new("paths", Type::Any, "One path per endpoint template.").required(),
        Field::new(
            "components",
            Type::Any,
            "Schemas, responses and security schemes.",
        ),
    ],
    kinds: &[],
    ours: true,
};

// issue 15: certificates (wire-format page section 7; Keyfactor's and dCloud's models).

/// An identity certificate (trust-point), listed or created.
pub static IDENTITY_CERTIFICATE: Object = Object {
    name: "IdentityCertificate",
    description: "An identity certificate: a trust-point holding a key pair and its certificate.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The trust-point's name.").required(),
        Field::new(
            "keyPair",
            Type::Str,
            "The key pair's label (`<Default-RSA-Key>` when the trust-point names none).",
        ),
        Field::new("selfSign", Type::Bool, "Self-signed enrollment (` enrollment self`)."),
        Field::new("enableCACheck", Type::Bool, "Accepted on create; not stored."),
        Field::new(
            "enableProxyLDCIssuer",
            Type::Bool,
            "Accepted on create; not stored.",
        ),
        Field::new(
            "certText",
            Type::OneOf(&[STRINGS, Type::Str]),
            "A PKCS#12 to import: `-----BEGIN PKCS12-----`, base64 lines, `-----END PKCS12-----`.",
        )
        .write_only(),
        Field::new("certPass", Type::Str, "The PKCS#12's passphrase.").write_only(),
        Field::new(
            "enrollParameters",
            Type::Any,
            "Self-signed enrollment: `subjectDN` (`cn`, `ou`, `o`, `l`, `st`, `c`, `ea` arrays), `fqdn`.",
        )
        .write_only(),
    ],
    kinds: &["object#IdentityCertificate"],
    ours: false,
};

/// `GET /api/certificate/identity/{tp}/export/PEM`.
pub static PEM_EXPORT: Object = Object {
    name: "PemCertificate",
    description: "The identity certificate in PEM, one line per string.",
    fields: &[Field::new("certificate", STRINGS, "The PEM lines.").required()],
    kinds: &[],
    ours: false,
};

/// A key pair.
pub static KEYPAIR: Object = Object {
    name: "Keypair",
    description: "A key pair (`crypto key generate`); the private key is never answered.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The key pair's label.").required(),
        Field::new(
            "type",
            Type::Enum(&["rsa", "ecdsa", "RSA", "ECDSA"]),
            "The algorithm.",
        ),
        Field::new(
            "size",
            Type::Int {
                min: Some(256),
                max: Some(4096),
            },
            "RSA modulus (1024, 2048, 3072, 4096) or ECDSA curve size (256, 384) in bits.",
        ),
        Field::new("usage", Type::Str, "`General Purpose`."),
    ],
    kinds: &["object#Keypair"],
    ours: false,
};

/// A CA certificate (`crypto ca authenticate`), by trust-point.
pub static CA_CERTIFICATE: Object = Object {
    name: "CACertificate",
    description: "A CA certificate held by a trust-point.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("trustpointName", Type::Str, "The trust-point holding it.").required(),
        Field::new(
            "certText",
            Type::OneOf(&[STRINGS, Type::Str]),
            "The certificate in PEM, one line per string.",
        )
        .write_only(),
    ],
    kinds: &["object#CACertificate"],
    ours: false,
};

/// `GET /api/certificate/details/{tp}` (sources disagree: certbot-asa reads a top-level
/// `validityEndDate`, Keyfactor models these fields).
pub static CERTIFICATE_DETAILS: Object = Object {
    name: "CertificateDetails",
    description: "The identity certificate of a trust-point, as `show crypto ca certificates` describes it.",
    fields: &[
        KIND,
        Field::new("objectId", Type::Str, "The trust-point.").read_only(),
        Field::new("type", Type::Str, "`Certificate`."),
        Field::new("serialNumber", Type::Str, "Serial number, hex."),
        Field::new("status", Type::Bool, "Available."),
        Field::new("usage", Type::Str, "`General Purpose`."),
        Field::new(
            "publicKeyType",
            Type::Str,
            "`RSA (2048 bits)`, `ECDSA (256 bits)`.",
        ),
        Field::new(
            "validityStartDate",
            Type::Str,
            "`HH:MM:SS UTC Mon DD YYYY`.",
        ),
        Field::new("validityEndDate", Type::Str, "`HH:MM:SS UTC Mon DD YYYY`."),
        Field::new("issuer", STRINGS, "Issuer name parts (`cn=...`)."),
        Field::new("subject", STRINGS, "Subject name parts (`cn=...`)."),
        Field::new("associatedTP", Type::Str, "The trust-point."),
    ],
    kinds: &["object#CertificateDetails"],
    ours: true,
};
#[cfg(test)]
mod tests {
    use super::*;
    use cli_translator::schema::Strictness;
    use serde_json::json;

    #[test]
    fn request_bodies_from_the_handlers_tests_pass() {
        assert!(
            CLI_REQUEST
                .check_create(&json!({"commands": ["show version", "show clock"]}))
                .is_ok()
        );
        assert!(CLI_REQUEST.check_create(&json!({})).is_err());
        assert!(
            CLI_REQUEST
                .check_create(&json!({"commands": ["show version", 3]}))
                .is_err()
        );
        assert!(
            BACKUP_REQUEST
                .check_create(&json!({"location": "disk0:/b1.bak", "passphrase": "pw123"}))
                .is_ok()
        );
        assert!(RESTORE_REQUEST.check_create(&json!({})).is_err());
        let bulk = json!([
            {"method": "post", "resourceUri": "/api/objects/networkobjects",
             "data": {"name": "a", "host": {"kind": "IPv4Address", "value": "10.0.0.1"}}},
            {"method": "DELETE", "resourceUri": "/api/objects/networkobjects/a"},
        ]);
        assert!(BULK_REQUEST.check(&bulk, Strictness::Request).is_ok());
    }

    #[test]
    fn every_answer_shape_refuses_an_undeclared_field() {
        for schema in [
            &SERIAL_NUMBER,
            &VERSION,
            &CPU_USAGE,
            &MEMORY_USAGE,
            &DEVICE_COMPONENTS,
            &MONITORING_METRIC,
            &ARP_ENTRY,
            &CONNECTION_COUNT,
            &API_STATISTICS,
            &CLI_RESPONSE,
            &WRITEMEM_RESPONSE,
            &BACKUP_RESPONSE,
            &BULK_RESPONSE,
            &EXTENDED_ACL,
        ] {
            let e = schema
                .check(&json!({"undeclared": 1}), Strictness::Response)
                .unwrap_err();
            assert_eq!(e.at, "undeclared", "{}", schema.name);
        }
    }

    /// Every object reachable from `ty`, by component name.
    fn walk(ty: &Type, seen: &mut std::collections::BTreeMap<&'static str, *const Object>) {
        match ty {
            Type::Object(o) => {
                let ptr: *const Object = *o;
                match seen.insert(o.name, ptr) {
                    Some(before) => assert!(
                        std::ptr::eq(before, ptr),
                        "two shapes are named {}: the OpenAPI components would keep only one",
                        o.name
                    ),
                    None => {
                        for f in o.fields {
                            walk(&f.ty, seen);
                        }
                    }
                }
            }
            Type::Array(t) | Type::Map(t) => walk(t, seen),
            Type::OneOf(ts) => ts.iter().for_each(|t| walk(t, seen)),
            _ => {}
        }
    }

    #[test]
    fn every_shape_has_its_own_component_name_and_a_json_schema() {
        use cli_translator::interfaces::{Family, json as if_json};
        use cli_translator::nat::{Section, json as nat_json};
        use cli_translator::resources::ResourceKind;
        use cli_translator::resources::setting::SettingKind;
        use cli_translator::schema::MESSAGES;

        let mut roots: Vec<&'static Object> = vec![
            &SERIAL_NUMBER,
            &VERSION,
            &CPU_USAGE,
            &MEMORY_USAGE,
            &DEVICE_COMPONENTS,
            &MONITORING_METRIC,
            &ARP_ENTRY,
            &CONNECTION_COUNT,
            &API_STATISTICS,
            &CLOCK,
            &IP_ADDRESS_INFO,
            &CLI_REQUEST,
            &CLI_RESPONSE,
            &WRITEMEM_RESPONSE,
            &BACKUP_RESPONSE,
            &BACKUP_REQUEST,
            &RESTORE_REQUEST,
            &BULK_ENTRY,
            &BULK_RESPONSE,
            &EXTENDED_ACL,
            &MESSAGES,
            &cli_translator::acl::json::SCHEMA,
            &cli_translator::acl::group::SCHEMA,
            &if_json::SETUP_SCHEMA,
            // issue 14
            &cli_translator::resources::dhcp::SERVER_SCHEMA,
            &cli_translator::resources::dhcp::RELAY_LOCAL_SCHEMA,
            &cli_translator::resources::dhcp::RELAY_GLOBAL_SCHEMA,
            &cli_translator::resources::dns_client::CLIENT_SCHEMA,
            &cli_translator::resources::dns_client::GROUP_SCHEMA,
        ];
        roots.extend(ResourceKind::ALL.iter().map(|k| k.schema()));
        roots.extend(SettingKind::ALL.iter().map(|k| k.schema()));
        roots.extend(Section::ALL.iter().map(|s| nat_json::schema(*s)));
        roots.extend(
            [
                Family::Physical,
                Family::Vlan,
                Family::PortChannel,
                Family::Redundant,
                Family::Bvi,
            ]
            .map(if_json::schema),
        );
        let mut seen = std::collections::BTreeMap::new();
        let mut components = serde_json::Map::new();
        for root in &roots {
            walk(&Type::Object(root), &mut seen);
            root.schema_ref(&mut components);
        }
        assert_eq!(components.len(), seen.len());
        assert!(components.values().all(|c| c["type"] == "object"));
        assert!(seen.len() > 50, "{}", seen.len());
    }
}
