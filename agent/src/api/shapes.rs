//! Which schema each catalogue row documents and validates with: the one place that names
//! the body schemas, so that the catalogue stays a table of endpoints. The schemas
//! themselves live beside the JSON they describe (each resource's file in cli-translator,
//! and `schemas.rs` for what the agent builds itself).

use cli_translator::interfaces::model::Family;
use cli_translator::nat::rule::Section;
use cli_translator::resources::ResourceKind;
use cli_translator::resources::setting::SettingKind;
use cli_translator::schema::{Field, Object, Type};

pub use super::schemas::{
    API_STATISTICS, ARP_ENTRY as ARP, BACKUP_REQUEST, BACKUP_RESPONSE, BULK_ENTRY, BULK_REQUEST,
    BULK_RESPONSE, CLI_REQUEST, CLI_RESPONSE, CONNECTION_COUNT as CONNECTIONS, CPU_USAGE as CPU,
    DEVICE_COMPONENTS as COMPONENTS, EXTENDED_ACL as ACL, MEMORY_USAGE as MEMORY,
    MONITORING_METRIC as INTERFACE_METRIC, RESTORE_REQUEST, SERIAL_NUMBER, VERSION,
    WRITEMEM_RESPONSE,
};
pub use cli_translator::acl::group::SCHEMA as ACCESS_GROUP;
pub use cli_translator::acl::json::SCHEMA as ACE;
pub use cli_translator::interfaces::json::SETUP_SCHEMA as SETUP;

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

/// The item schema of a table resource.
pub fn resource(kind: ResourceKind) -> &'static Object {
    kind.schema()
}

/// The item schema of an interface family.
pub fn interface(family: Family) -> &'static Object {
    cli_translator::interfaces::json::schema(family)
}

/// The schema of a settings singleton.
pub fn setting(kind: SettingKind) -> &'static Object {
    kind.schema()
}

/// The rule schema of a NAT section (object NAT in `auto`, twice NAT before and after).
pub fn nat(section: Section) -> &'static Object {
    cli_translator::nat::json::schema(section)
}
