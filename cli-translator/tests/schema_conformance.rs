//! The schemas (`cli_translator::schema`) against what the code really reads and writes:
//! every golden request body under `test_data/` passes its resource's schema, and the JSON the
//! resources answer (for the golden cases read back from their CLI, and for whole
//! configurations) passes the response schemas, which declare every field an answer carries.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use cli_translator::acl;
use cli_translator::interfaces::Family;
use cli_translator::interfaces::json as if_json;
use cli_translator::nat::Section;
use cli_translator::nat::json as nat_json;
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
use cli_translator::resources::setting::Setting;
use cli_translator::resources::time_range::TimeRange;
use cli_translator::resources::user_group::LocalUserGroup;
use cli_translator::resources::user_object::UserObject;
use cli_translator::resources::{Resource, ResourceKind, WriteMode};
use cli_translator::running::RunningConfig;
use cli_translator::schema::{Object, Strictness};
use serde_json::Value;
use support::{cases, data_dir, read_json};

/// How a golden body is sent: POST (every required field) or PUT on an existing item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Post,
    Put,
}

/// The schema a `test_data/<folder>` body is checked against.
fn request_schema(folder: &str) -> Option<(&'static Object, Verb)> {
    let table = |k: ResourceKind| Some((k.schema(), Verb::Post));
    match folder {
        "network_object" => table(ResourceKind::NetworkObject),
        "network_object_group" => table(ResourceKind::NetworkObjectGroup),
        "service_object" => table(ResourceKind::ServiceObject),
        "service_group" => table(ResourceKind::ServiceGroup),
        "time_range" => table(ResourceKind::TimeRange),
        "local_user" => table(ResourceKind::LocalUser),
        "local_user_group" => table(ResourceKind::LocalUserGroup),
        "security_object_group" => table(ResourceKind::SecurityObjectGroup),
        "regex" => table(ResourceKind::Regex),
        "static_route" => table(ResourceKind::StaticRoute),
        "mgmt_host" => table(ResourceKind::MgmtHost),
        "ntp_server" => table(ResourceKind::NtpServer),
        // issue 15: TLS proxy
        "tls_proxy" => table(ResourceKind::TlsProxy),
        // issue 15: service policy, site-to-site VPN, IP audit
        "class_map" => table(ResourceKind::ClassMap),
        "policy_map" => table(ResourceKind::PolicyMap),
        "inspect_map" => table(ResourceKind::InspectMap),
        "connection_limit" => table(ResourceKind::ConnectionLimit),
        "service_policy" => table(ResourceKind::ServicePolicy),
        "ikev1_policy" => table(ResourceKind::Ikev1Policy),
        "ikev2_policy" => table(ResourceKind::Ikev2Policy),
        "transform_set" => table(ResourceKind::TransformSet),
        "ipsec_proposal" => table(ResourceKind::IpsecProposal),
        "crypto_map_entry" => table(ResourceKind::CryptoMapEntry),
        "crypto_map_interface" => table(ResourceKind::CryptoMapInterface),
        "group_policy" => table(ResourceKind::GroupPolicy),
        "tunnel_group" => table(ResourceKind::TunnelGroup),
        "ip_audit_policy" => table(ResourceKind::IpAuditPolicy),
        "ip_audit_interface" => table(ResourceKind::IpAuditInterface),
        "ip_audit_signature" => table(ResourceKind::IpAuditSignature),
        // issue 14: logging, failover, licensing
        "syslog_server" => table(ResourceKind::SyslogServer),
        "extended_ace" => Some((&acl::json::SCHEMA, Verb::Post)),
        "nat_auto" => Some((nat_json::schema(Section::Auto), Verb::Post)),
        "nat_before" => Some((nat_json::schema(Section::Before), Verb::Post)),
        "nat_after" => Some((nat_json::schema(Section::After), Verb::Post)),
        // Physical ports are never created: the golden bodies are PUTs.
        "interface_physical" => Some((if_json::schema(Family::Physical), Verb::Put)),
        "interface_vlan" => Some((if_json::schema(Family::Vlan), Verb::Post)),
        "interface_portchannel" => Some((if_json::schema(Family::PortChannel), Verb::Post)),
        "interface_redundant" => Some((if_json::schema(Family::Redundant), Verb::Post)),
        // issue 14: AAA
        "command_privilege" => table(ResourceKind::CommandPrivilege),
        "ddns_method" => table(ResourceKind::DdnsMethod),
        _ => None,
    }
}

/// Every folder of `test_data/`, sorted.
fn folders() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let mut names: Vec<String> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_golden_request_body_passes_its_schema() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for folder in folders() {
        let Some((schema, verb)) = request_schema(&folder) else {
            failures.push(format!(
                "test_data/{folder}: no schema is known for this folder"
            ));
            continue;
        };
        for case in cases(&data_dir(&folder)) {
            let body = read_json(&case);
            let result = match verb {
                Verb::Post => schema.check_create(&body),
                Verb::Put => schema.check(&body, Strictness::Request),
            };
            if let Err(e) = result {
                failures.push(format!("{}: {e} (schema {})", case.display(), schema.name));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 70, "only {checked} golden bodies found");
}

/// One answer the agent would serve, with the schema it must pass.
struct Answer {
    what: String,
    json: Value,
    schema: &'static Object,
}

fn link(path: &str, id: &str) -> String {
    format!("https://asa:8443{path}/{id}")
}

fn table<R: Resource>(cfg: &RunningConfig, out: &mut Vec<Answer>) {
    for item in R::collection(cfg).iter() {
        let id = item.object_id();
        out.push(Answer {
            what: format!("{} {id}", R::PATH),
            json: item.to_json(&link(R::PATH, id)),
            schema: R::SCHEMA,
        });
    }
}

fn setting<S: Setting>(cfg: &RunningConfig, out: &mut Vec<Answer>) {
    out.push(Answer {
        what: S::PATH.to_owned(),
        json: S::get(cfg).to_json(&format!("https://asa:8443{}", S::PATH)),
        schema: S::SCHEMA,
    });
}

/// Everything a configuration answers through the resources' own JSON mappings.
fn answers(cfg: &RunningConfig) -> Vec<Answer> {
    let mut out = Vec::new();
    table::<NetworkObject>(cfg, &mut out);
    table::<TimeRange>(cfg, &mut out);
    table::<LocalUser>(cfg, &mut out);
    table::<Regex>(cfg, &mut out);
    table::<LocalUserGroup>(cfg, &mut out);
    table::<SecurityObjectGroup>(cfg, &mut out);
    table::<UserObject>(cfg, &mut out);
    table::<NetworkObjectGroup>(cfg, &mut out);
    table::<ServiceObject>(cfg, &mut out);
    table::<ServiceGroup>(cfg, &mut out);
    table::<StaticRoute>(cfg, &mut out);
    table::<MgmtHost>(cfg, &mut out);
    table::<NtpServer>(cfg, &mut out);
    // issue 15: service policy, site-to-site VPN, IP audit
    table::<cli_translator::resources::class_map::ClassMap>(cfg, &mut out);
    table::<cli_translator::resources::policy_map::PolicyMap>(cfg, &mut out);
    table::<cli_translator::resources::inspect_map::InspectMap>(cfg, &mut out);
    table::<cli_translator::resources::connection_limit::ConnectionLimit>(cfg, &mut out);
    table::<cli_translator::resources::service_policy::ServicePolicyBinding>(cfg, &mut out);
    table::<cli_translator::resources::vpn::ike_policy::Ikev1Policy>(cfg, &mut out);
    table::<cli_translator::resources::vpn::ike_policy::Ikev2Policy>(cfg, &mut out);
    table::<cli_translator::resources::vpn::ipsec::TransformSet>(cfg, &mut out);
    table::<cli_translator::resources::vpn::ipsec::IpsecProposal>(cfg, &mut out);
    table::<cli_translator::resources::vpn::crypto_map::CryptoMapEntry>(cfg, &mut out);
    table::<cli_translator::resources::vpn::crypto_map::CryptoMapInterface>(cfg, &mut out);
    table::<cli_translator::resources::vpn::group_policy::GroupPolicy>(cfg, &mut out);
    table::<cli_translator::resources::vpn::tunnel_group::TunnelGroup>(cfg, &mut out);
    table::<cli_translator::resources::ip_audit::AuditPolicy>(cfg, &mut out);
    table::<cli_translator::resources::ip_audit::AuditInterface>(cfg, &mut out);
    table::<cli_translator::resources::ip_audit::DisabledSignature>(cfg, &mut out);
    // issue 14: AAA
    table::<cli_translator::resources::command_privilege::CommandPrivilege>(cfg, &mut out);
    table::<cli_translator::resources::ddns::DdnsMethod>(cfg, &mut out);
    setting::<cli_translator::resources::mgmt_access::MgmtAccess>(cfg, &mut out);
    setting::<cli_translator::resources::dns::Dns>(cfg, &mut out);
    setting::<cli_translator::resources::timeouts::Timeouts>(cfg, &mut out);
    // issue 14: logging, failover, licensing
    table::<SyslogServer>(cfg, &mut out);
    setting::<cli_translator::resources::failover::FailoverSetup>(cfg, &mut out);
    setting::<cli_translator::resources::licensing::SmartLicense>(cfg, &mut out);
    setting::<cli_translator::resources::logging::SyslogServerSettings>(cfg, &mut out);
    setting::<cli_translator::resources::logging::SyslogConfigSettings>(cfg, &mut out);
    setting::<cli_translator::resources::logging::SyslogConfig>(cfg, &mut out);
    table::<cli_translator::resources::netflow::NetFlowCollector>(cfg, &mut out);
    setting::<cli_translator::resources::netflow::NetFlow>(cfg, &mut out);
    setting::<cli_translator::resources::licensing::SharedLicense>(cfg, &mut out);
    // issue 14: AAA and DHCP in Cisco's shapes
    setting::<cli_translator::resources::aaa::AaaAuthentication>(cfg, &mut out);
    setting::<cli_translator::resources::aaa::AaaAuthorization>(cfg, &mut out);
    {
        use cli_translator::resources::dhcp as d;
        let dhcp = &cfg.settings.dhcp;
        for (nameif, hw) in &cfg.access.interfaces {
            out.push(Answer {
                what: format!("dhcp server {nameif}"),
                json: d::server_json(dhcp, nameif, Some(hw), &link(d::SERVERS_PATH, nameif)),
                schema: &d::SERVER_SCHEMA,
            });
        }
        for (nameif, servers) in &dhcp.relay_local {
            out.push(Answer {
                what: format!("dhcp relay {nameif}"),
                json: d::relay_local_json(nameif, servers, &link(d::RELAY_LOCAL_PATH, nameif)),
                schema: &d::RELAY_LOCAL_SCHEMA,
            });
        }
        out.push(Answer {
            what: d::RELAY_GLOBAL_PATH.to_owned(),
            json: d::relay_global_json(dhcp, "https://asa:8443/x"),
            schema: &d::RELAY_GLOBAL_SCHEMA,
        });
    }

    for list in cfg.access.extended() {
        let bound = cfg.access.groups.iter().any(|g| g.acl == list.name);
        for (i, e) in list.entries.iter().enumerate() {
            out.push(Answer {
                what: format!("access-list {} entry {}", list.name, i + 1),
                json: acl::json::to_json(
                    &e.ace().expect("a stored entry reads back"),
                    &e.remarks_vec(),
                    e.id,
                    i + 1,
                    bound,
                    "https://asa:8443/x",
                    &link,
                ),
                schema: &acl::json::SCHEMA,
            });
        }
    }
    for g in &cfg.access.groups {
        let hw = g.binding.nameif().and_then(|n| cfg.access.hardware_of(n));
        out.push(Answer {
            what: format!("access-group {}", g.acl),
            json: g.to_json("https://asa:8443/api/access/in/x", hw, &|p| {
                format!("https://asa:8443{p}")
            }),
            schema: &acl::group::SCHEMA,
        });
    }
    for section in Section::ALL {
        for (i, e) in cfg.nat.section(section).iter().enumerate() {
            out.push(Answer {
                what: format!("nat {} rule {}", section.segment(), i + 1),
                json: nat_json::to_json(cfg, section, e, i + 1, "https://asa:8443/x", &link),
                schema: nat_json::schema(section),
            });
        }
    }
    let member = |hw: &str| cfg.interfaces.get(hw).cloned();
    for iface in cfg.interfaces.iter() {
        let Some(family) = Family::of(&iface.hardware_id) else {
            continue;
        };
        out.push(Answer {
            what: format!("interface {}", iface.hardware_id),
            json: if_json::to_json(
                iface,
                family,
                cfg.interfaces.mtu_of(iface),
                "https://asa:8443/x",
                &link,
                &member,
            ),
            schema: if_json::schema(family),
        });
    }
    out
}

/// Checks every answer; returns the failures and records the schemas seen.
fn check_answers(
    source: &str,
    cfg: &RunningConfig,
    seen: &mut BTreeSet<&'static str>,
) -> Vec<String> {
    let mut failures = Vec::new();
    for a in answers(cfg) {
        seen.insert(a.schema.name);
        if let Err(e) = a.schema.check(&a.json, Strictness::Response) {
            failures.push(format!(
                "{source}: {}: {e} (schema {}) in {}",
                a.what, a.schema.name, a.json
            ));
        }
    }
    failures
}

/// A configuration with every family the agent answers, as `show running-config` prints it.
const FIXTURE: &str = "\
hostname fw1
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address dhcp setroute
!
interface GigabitEthernet0/1
 description LAN side
 nameif inside
 security-level 100
 ip address 10.0.0.1 255.255.255.0 standby 10.0.0.2
 ipv6 address 2001:db8::1/64 standby 2001:db8::2
 ipv6 address fe80::1 link-local
 dhcprelay server 10.9.0.27
 dhcprelay server 10.9.0.191
 ipv6 nd prefix 2001:db8::/64 3600 1800 no-autoconfig
 ipv6 nd prefix default no-advertise
!
interface GigabitEthernet0/1.100
 vlan 100
 nameif dmz
 security-level 50
 ip address 192.168.100.1 255.255.255.0
!
interface GigabitEthernet0/2
 channel-group 1 mode active
 no nameif
 no security-level
 no ip address
!
interface GigabitEthernet0/3
 speed 1000
 duplex full
 flowcontrol send on 10 20 30
 no nameif
 no security-level
 no ip address
!
interface GigabitEthernet0/4
 no nameif
 no security-level
 no ip address
!
interface GigabitEthernet0/5
 no nameif
 no security-level
 no ip address
!
interface Port-channel1
 lacp max-bundle 8
 nameif uplink
 security-level 10
 ip address 198.51.100.2 255.255.255.252
!
interface Redundant1
 member-interface GigabitEthernet0/4
 member-interface GigabitEthernet0/5
 nameif core
 security-level 90
 ip address 10.9.0.1 255.255.0.0
!
interface BVI1
 nameif bridge
 security-level 20
 ip address 10.50.0.1 255.255.255.0
!
interface TenGigabitEthernet0/8
 shutdown
 no nameif
 no security-level
 no ip address
!
interface Management0/0
 management-only
 nameif management
 security-level 100
 ip address 192.168.1.1 255.255.255.0
!
same-security-traffic permit inter-interface
object network web
 host 10.0.0.10
 description web server
object network lan
 subnet 10.0.0.0 255.255.255.0
 nat (inside,outside) dynamic interface
object network pool
 range 203.0.113.10 203.0.113.20
object network site
 fqdn www.example.com
object-group network servers
 description the servers
 network-object object web
 network-object host 10.0.0.11
 network-object 10.1.0.0 255.255.0.0
object service https-alt
 service tcp destination eq 8443
object service ping
 service icmp echo
object-group service web-ports tcp
 port-object eq www
 port-object eq https
object-group service mixed
 service-object tcp destination eq 22
 service-object object https-alt
 group-object web-ports
object-group security trusted
 security-group name engineering
 security-group tag 100
object-group user staff
 user LOCAL\\bob
 user-group CORP\\\\admins
time-range work
 periodic weekdays 8:00 to 18:00
 absolute end 23:59 31 December 2030
regex blocked \"(www\\.)?example\\.com\"
username bob password Bob-pw-1 privilege 3
username vpn password Vpn-pw-2 privilege 1
username vpn attributes
 service-type remote-access
access-list inside_access_in remark allow the web
access-list inside_access_in extended permit tcp any object web eq https log warnings interval 60
access-list inside_access_in extended deny ip 10.1.0.0 255.255.0.0 any6 inactive
access-list inside_access_in extended permit tcp object lan object-group servers object-group web-ports time-range work
access-list global_access extended permit icmp any4 any4 echo
access-list unbound extended permit udp host 192.0.2.10 gt 1023 any eq domain log disable
access-group inside_access_in in interface inside
access-group global_access global
nat (inside,outside) source static lan lan destination static servers servers no-proxy-arp route-lookup
nat (inside,outside) after-auto source dynamic any pat-pool pool round-robin flat include-reserve
route outside 0.0.0.0 0.0.0.0 192.0.2.1 1
route inside 10.20.0.0 255.255.0.0 10.0.0.254 20 track 7
ipv6 route outside 2001:db8:4200::/56 2001:db8::801 2
http server enable 8443
http 0.0.0.0 0.0.0.0 management
http 10.0.0.0 255.0.0.0 inside
ssh 192.0.2.0 255.255.255.0 outside
telnet 10.0.0.5 255.255.255.255 inside
ssh version 2
ssh timeout 30
ssh key-exchange group dh-group14-sha256
telnet timeout 10
dns domain-lookup inside
dns server-group DefaultDNS
 name-server 192.0.2.53 inside
 domain-name example.com
 timeout 3
 retries 4
dhcpd address 10.0.0.100-10.0.0.200 inside
dhcpd dns 192.0.2.53
dhcpd domain example.com
dhcpd lease 7200
dhcpd enable inside
dhcpd option 3 ip 10.0.0.1 interface inside
dhcpd update dns both interface inside
dhcprelay timeout 90
dhcprelay information trust-all
aaa authentication ssh console LOCAL
aaa authorization command LOCAL
aaa authorization exec LOCAL auto-enable
privilege show level 5 mode enable command running-config
ddns update method m1
 ddns both
 interval maximum 0 4 0 0
ntp server 10.1.1.10 key 1 source management prefer
ntp server 2001:db8::123
timeout xlate 3:00:00
timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00
timeout uauth 0:05:00 absolute
timeout igp stale-route 0:01:10
mtu inside 9000
";

/// The schemas the fixture must exercise: a schema no answer reaches is not tested.
const EXPECTED: &[&str] = &[
    "NetworkObj",
    "TimeRange",
    "LocalUserObj",
    "RegularExpression",
    "LocalUserObjGroup",
    "SecurityObjGroup",
    "UserObj",
    "NetworkObjGroup",
    "NetworkServiceObj",
    "NetworkServiceGroup",
    "StaticRoute",
    "MgmtAccessHost",
    "NTPServer",
    "MgmtAccess",
    "DNS",
    "Timeouts",
    // issue 14
    "AAAConfig",
    "AAAConfigAuthz",
    "DhcpServer",
    "DHCPRelayInterfaceServer",
    "DHCPRelayGlobalSettings",
    "CommandPrivilege",
    "DDNSUpdateMethod",
    "ExtendedACE",
    "AccessGroup",
    "TwiceNATRule",
    "ObjectNATRule",
    "PhysicalInterface",
    "VlanMgmtInterface",
    "PCInterface",
    "RedundantInterface",
    "BVIInterface",
];

#[test]
fn answers_of_a_whole_configuration_pass_the_response_schemas() {
    let cfg = RunningConfig::parse(FIXTURE);
    let mut seen = BTreeSet::new();
    let failures = check_answers("fixture", &cfg, &mut seen);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let missing: Vec<&&str> = EXPECTED.iter().filter(|n| !seen.contains(**n)).collect();
    assert!(
        missing.is_empty(),
        "the fixture answers nothing of {missing:?}"
    );
}

#[test]
fn answers_of_every_golden_case_pass_the_response_schemas() {
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    let mut all_cli = String::new();
    for folder in folders() {
        for case in cases(&data_dir(&folder)) {
            let cli_path = case.with_extension("cli");
            let Ok(cli) = fs::read_to_string(&cli_path) else {
                failures.push(format!("{}: no .cli file", case.display()));
                continue;
            };
            let cfg = RunningConfig::parse(&cli);
            failures.extend(check_answers(
                &cli_path.display().to_string(),
                &cfg,
                &mut seen,
            ));
            all_cli.push_str(&cli);
        }
    }
    // Together, so references between the cases resolve (refs answered with their kinds).
    let cfg = RunningConfig::parse(&all_cli);
    failures.extend(check_answers("all golden CLI", &cfg, &mut seen));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(seen.len() >= 15, "only {seen:?} were reached");
}

/// The table resources' answers straight from the golden bodies (`from_json` then `to_json`),
/// which keeps what the CLI reading could lose (a service object's value as written).
#[test]
fn table_resources_answer_their_golden_bodies_within_their_schemas() {
    fn check<R: Resource>(folder: &str, failures: &mut Vec<String>) {
        for case in cases(&data_dir(folder)) {
            let body = read_json(&case);
            let Ok(item) = R::from_json(&body, WriteMode::Create) else {
                failures.push(format!("{}: rejected", case.display()));
                continue;
            };
            let json = item.to_json(&link(R::PATH, item.object_id()));
            if let Err(e) = R::SCHEMA.check(&json, Strictness::Response) {
                failures.push(format!("{}: {e} in {json}", case.display()));
            }
        }
    }
    let mut failures = Vec::new();
    check::<NetworkObject>("network_object", &mut failures);
    check::<NetworkObjectGroup>("network_object_group", &mut failures);
    check::<ServiceObject>("service_object", &mut failures);
    check::<ServiceGroup>("service_group", &mut failures);
    check::<TimeRange>("time_range", &mut failures);
    check::<LocalUser>("local_user", &mut failures);
    check::<LocalUserGroup>("local_user_group", &mut failures);
    check::<SecurityObjectGroup>("security_object_group", &mut failures);
    check::<Regex>("regex", &mut failures);
    check::<StaticRoute>("static_route", &mut failures);
    check::<MgmtHost>("mgmt_host", &mut failures);
    check::<NtpServer>("ntp_server", &mut failures);
    // issue 15: service policy, site-to-site VPN, IP audit
    check::<cli_translator::resources::class_map::ClassMap>("class_map", &mut failures);
    check::<cli_translator::resources::policy_map::PolicyMap>("policy_map", &mut failures);
    check::<cli_translator::resources::inspect_map::InspectMap>("inspect_map", &mut failures);
    check::<cli_translator::resources::connection_limit::ConnectionLimit>(
        "connection_limit",
        &mut failures,
    );
    check::<cli_translator::resources::service_policy::ServicePolicyBinding>(
        "service_policy",
        &mut failures,
    );
    check::<cli_translator::resources::vpn::ike_policy::Ikev1Policy>("ikev1_policy", &mut failures);
    check::<cli_translator::resources::vpn::ike_policy::Ikev2Policy>("ikev2_policy", &mut failures);
    check::<cli_translator::resources::vpn::ipsec::TransformSet>("transform_set", &mut failures);
    check::<cli_translator::resources::vpn::ipsec::IpsecProposal>("ipsec_proposal", &mut failures);
    check::<cli_translator::resources::vpn::crypto_map::CryptoMapEntry>(
        "crypto_map_entry",
        &mut failures,
    );
    check::<cli_translator::resources::vpn::crypto_map::CryptoMapInterface>(
        "crypto_map_interface",
        &mut failures,
    );
    check::<cli_translator::resources::vpn::group_policy::GroupPolicy>(
        "group_policy",
        &mut failures,
    );
    check::<cli_translator::resources::vpn::tunnel_group::TunnelGroup>(
        "tunnel_group",
        &mut failures,
    );
    check::<cli_translator::resources::ip_audit::AuditPolicy>("ip_audit_policy", &mut failures);
    check::<cli_translator::resources::ip_audit::AuditInterface>(
        "ip_audit_interface",
        &mut failures,
    );
    check::<cli_translator::resources::ip_audit::DisabledSignature>(
        "ip_audit_signature",
        &mut failures,
    );
    // issue 14: logging, failover, licensing
    check::<SyslogServer>("syslog_server", &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_table_resource_declares_its_item_kind() {
    for k in ResourceKind::ALL {
        let schema = k.schema();
        assert!(
            schema.kinds.contains(&k.kind()),
            "{:?}: schema {} does not list {}",
            k,
            schema.name,
            k.kind()
        );
        assert!(schema.field("kind").is_some(), "{:?} has no kind field", k);
    }
}
