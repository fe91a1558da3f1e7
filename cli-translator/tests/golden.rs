//! Golden pairs: `test_data/<resource>/<case>.json` (a POST body) against `<case>.cli` (the
//! commands it becomes), and `invalid/<case>.json` against `<case>.err` (the field error).
//!
//! Run with `UPDATE_EXPECT=1` to rewrite the expectation files from the current output.

mod support;

use cli_translator::resources::local_user::LocalUser;
use cli_translator::resources::mgmt_host::MgmtHost;
use cli_translator::resources::network_object::NetworkObject;
use cli_translator::resources::network_object_group::NetworkObjectGroup;
use cli_translator::resources::ntp::NtpServer;
// issue 14: logging, failover, licensing
use cli_translator::resources::logging::SyslogServer;
use cli_translator::resources::regex::Regex;
use cli_translator::resources::route::StaticRoute;
use cli_translator::resources::security_group::SecurityObjectGroup;
use cli_translator::resources::service_group::ServiceGroup;
use cli_translator::resources::service_object::ServiceObject;
use cli_translator::resources::time_range::TimeRange;
use cli_translator::resources::tls_proxy::TlsProxy;
use cli_translator::resources::user_group::LocalUserGroup;
use cli_translator::resources::{Resource, WriteMode};
use cli_translator::running::RunningConfig;
use support::{cases, data_dir, expect_file, read_json};

/// Every valid case: JSON -> CLI matches the `.cli` file, and reading that CLI back as a
/// running configuration gives the same object (JSON -> CLI -> parse -> JSON identity).
fn check_valid<R: Resource + PartialEq + std::fmt::Debug>(resource: &str) {
    let mut failures = Vec::new();
    for case in cases(&data_dir(resource)) {
        let body = read_json(&case);
        let object = match R::from_json(&body, WriteMode::Create) {
            Ok(o) => o,
            Err(e) => {
                failures.push(format!("{}: rejected: {e}", case.display()));
                continue;
            }
        };
        let mut cli = object.cli_create().join("\n");
        cli.push('\n');
        failures.extend(expect_file(&case.with_extension("cli"), &cli));

        let cfg = RunningConfig::parse(&cli);
        let back = R::collection(&cfg).get(object.object_id());
        if back != Some(&object) {
            failures.push(format!(
                "{}: read back as {back:?}, want {object:?}",
                case.display()
            ));
        }
        let link = format!("https://asa{}/{}", R::PATH, object.object_id());
        let json = object.to_json(&link);
        if R::from_json(&json, WriteMode::Create).as_ref() != Ok(&object) {
            failures.push(format!(
                "{}: JSON does not round-trip: {json}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Like [`check_valid`] for resources with write-only fields (a password): JSON -> CLI matches
/// the `.cli` file and reads back as the same object; the JSON written back never holds the
/// `password` that was posted.
fn check_write_only<R: Resource + PartialEq + std::fmt::Debug>(resource: &str) {
    let mut failures = Vec::new();
    for case in cases(&data_dir(resource)) {
        let body = read_json(&case);
        let object = match R::from_json(&body, WriteMode::Create) {
            Ok(o) => o,
            Err(e) => {
                failures.push(format!("{}: rejected: {e}", case.display()));
                continue;
            }
        };
        let mut cli = object.cli_create().join("\n");
        cli.push('\n');
        failures.extend(expect_file(&case.with_extension("cli"), &cli));
        let cfg = RunningConfig::parse(&cli);
        let back = R::collection(&cfg).get(object.object_id());
        if back != Some(&object) {
            failures.push(format!("{}: read back as {back:?}", case.display()));
        }
        let json = object.to_json("https://asa/x").to_string();
        if let Some(pw) = body.get("password").and_then(|p| p.as_str())
            && json.contains(pw)
        {
            failures.push(format!("{}: the password is in {json}", case.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every invalid case is rejected with the error text in the `.err` file.
fn check_invalid<R: Resource + std::fmt::Debug>(resource: &str) {
    let mut failures = Vec::new();
    for case in cases(&data_dir(resource).join("invalid")) {
        let body = read_json(&case);
        let actual = match R::from_json(&body, WriteMode::Create) {
            Ok(o) => format!("accepted: {o:?}\n"),
            Err(e) => format!("{}: {e}\n", e.attribute),
        };
        failures.extend(expect_file(&case.with_extension("err"), &actual));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn network_object_golden_pairs() {
    check_valid::<NetworkObject>("network_object");
}

#[test]
fn network_object_rejections() {
    check_invalid::<NetworkObject>("network_object");
}

#[test]
fn network_object_group_golden_pairs() {
    check_valid::<NetworkObjectGroup>("network_object_group");
}

#[test]
fn network_object_group_rejections() {
    check_invalid::<NetworkObjectGroup>("network_object_group");
}

#[test]
fn service_object_golden_pairs() {
    check_valid::<ServiceObject>("service_object");
}

#[test]
fn service_object_rejections() {
    check_invalid::<ServiceObject>("service_object");
}

#[test]
fn service_group_golden_pairs() {
    check_valid::<ServiceGroup>("service_group");
}

#[test]
fn service_group_rejections() {
    check_invalid::<ServiceGroup>("service_group");
}

#[test]
fn time_range_golden_pairs() {
    check_valid::<TimeRange>("time_range");
}

#[test]
fn time_range_rejections() {
    check_invalid::<TimeRange>("time_range");
}

#[test]
fn local_user_golden_pairs() {
    check_write_only::<LocalUser>("local_user");
}

#[test]
fn local_user_rejections() {
    check_invalid::<LocalUser>("local_user");
}

#[test]
fn regex_golden_pairs() {
    check_valid::<Regex>("regex");
}

#[test]
fn regex_rejections() {
    check_invalid::<Regex>("regex");
}

#[test]
fn local_user_group_golden_pairs() {
    check_valid::<LocalUserGroup>("local_user_group");
}

#[test]
fn local_user_group_rejections() {
    check_invalid::<LocalUserGroup>("local_user_group");
}

#[test]
fn security_object_group_golden_pairs() {
    check_valid::<SecurityObjectGroup>("security_object_group");
}

#[test]
fn security_object_group_rejections() {
    check_invalid::<SecurityObjectGroup>("security_object_group");
}

#[test]
fn static_route_golden_pairs() {
    check_valid::<StaticRoute>("static_route");
}

#[test]
fn static_route_rejections() {
    check_invalid::<StaticRoute>("static_route");
}

#[test]
fn mgmt_host_golden_pairs() {
    check_valid::<MgmtHost>("mgmt_host");
}

#[test]
fn mgmt_host_rejections() {
    check_invalid::<MgmtHost>("mgmt_host");
}

#[test]
fn ntp_server_golden_pairs() {
    check_valid::<NtpServer>("ntp_server");
}

#[test]
fn ntp_server_rejections() {
    check_invalid::<NtpServer>("ntp_server");
}

// issue 15: TLS proxy
#[test]
fn tls_proxy_golden_pairs() {
    check_valid::<TlsProxy>("tls_proxy");
}

#[test]
fn tls_proxy_rejections() {
    check_invalid::<TlsProxy>("tls_proxy");
}

// issue 15: service policy, site-to-site VPN, IP audit

#[test]
fn class_map_golden_pairs() {
    check_valid::<cli_translator::resources::class_map::ClassMap>("class_map");
}

#[test]
fn class_map_rejections() {
    check_invalid::<cli_translator::resources::class_map::ClassMap>("class_map");
}

#[test]
fn policy_map_golden_pairs() {
    check_valid::<cli_translator::resources::policy_map::PolicyMap>("policy_map");
}

#[test]
fn policy_map_rejections() {
    check_invalid::<cli_translator::resources::policy_map::PolicyMap>("policy_map");
}

#[test]
fn inspect_map_golden_pairs() {
    check_valid::<cli_translator::resources::inspect_map::InspectMap>("inspect_map");
}

#[test]
fn connection_limit_golden_pairs() {
    check_valid::<cli_translator::resources::connection_limit::ConnectionLimit>("connection_limit");
}

#[test]
fn connection_limit_rejections() {
    check_invalid::<cli_translator::resources::connection_limit::ConnectionLimit>(
        "connection_limit",
    );
}

#[test]
fn service_policy_golden_pairs() {
    check_valid::<cli_translator::resources::service_policy::ServicePolicyBinding>(
        "service_policy",
    );
}

#[test]
fn ikev1_policy_golden_pairs() {
    check_valid::<cli_translator::resources::vpn::ike_policy::Ikev1Policy>("ikev1_policy");
}

#[test]
fn ikev1_policy_rejections() {
    check_invalid::<cli_translator::resources::vpn::ike_policy::Ikev1Policy>("ikev1_policy");
}

#[test]
fn ikev2_policy_golden_pairs() {
    check_valid::<cli_translator::resources::vpn::ike_policy::Ikev2Policy>("ikev2_policy");
}

#[test]
fn transform_set_golden_pairs() {
    check_valid::<cli_translator::resources::vpn::ipsec::TransformSet>("transform_set");
}

#[test]
fn ipsec_proposal_golden_pairs() {
    check_valid::<cli_translator::resources::vpn::ipsec::IpsecProposal>("ipsec_proposal");
}

#[test]
fn crypto_map_entry_golden_pairs() {
    check_valid::<cli_translator::resources::vpn::crypto_map::CryptoMapEntry>("crypto_map_entry");
}

#[test]
fn crypto_map_entry_rejections() {
    check_invalid::<cli_translator::resources::vpn::crypto_map::CryptoMapEntry>("crypto_map_entry");
}

#[test]
fn crypto_map_interface_golden_pairs() {
    check_valid::<cli_translator::resources::vpn::crypto_map::CryptoMapInterface>(
        "crypto_map_interface",
    );
}

#[test]
fn group_policy_golden_pairs() {
    check_valid::<cli_translator::resources::vpn::group_policy::GroupPolicy>("group_policy");
}

#[test]
fn tunnel_group_golden_pairs() {
    check_valid::<cli_translator::resources::vpn::tunnel_group::TunnelGroup>("tunnel_group");
}

#[test]
fn tunnel_group_rejections() {
    check_invalid::<cli_translator::resources::vpn::tunnel_group::TunnelGroup>("tunnel_group");
}

#[test]
fn ip_audit_policy_golden_pairs() {
    check_valid::<cli_translator::resources::ip_audit::AuditPolicy>("ip_audit_policy");
}

#[test]
fn ip_audit_interface_golden_pairs() {
    check_valid::<cli_translator::resources::ip_audit::AuditInterface>("ip_audit_interface");
}

#[test]
fn ip_audit_signature_golden_pairs() {
    check_valid::<cli_translator::resources::ip_audit::DisabledSignature>("ip_audit_signature");
}

#[test]
fn ip_audit_signature_rejections() {
    check_invalid::<cli_translator::resources::ip_audit::DisabledSignature>("ip_audit_signature");
}

// issue 14: logging, failover, licensing
#[test]
fn syslog_server_golden_pairs() {
    check_valid::<SyslogServer>("syslog_server");
}

#[test]
fn syslog_server_rejections() {
    check_invalid::<SyslogServer>("syslog_server");
}

// issue 14: AAA
#[test]
fn command_privilege_golden_pairs() {
    check_valid::<cli_translator::resources::command_privilege::CommandPrivilege>(
        "command_privilege",
    );
}

#[test]
fn command_privilege_rejections() {
    check_invalid::<cli_translator::resources::command_privilege::CommandPrivilege>(
        "command_privilege",
    );
}

// issue 14: dynamic DNS
#[test]
fn ddns_method_golden_pairs() {
    check_valid::<cli_translator::resources::ddns::DdnsMethod>("ddns_method");
}

#[test]
fn ddns_method_rejections() {
    check_invalid::<cli_translator::resources::ddns::DdnsMethod>("ddns_method");
}
