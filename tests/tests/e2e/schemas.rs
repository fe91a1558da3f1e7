//! Every answer the daemon serves against its declared schema (`cli_translator::schema`,
//! `agent::api::schemas`): each collection URL (envelope and items), one item of each, and
//! the singletons, after a configuration that gives every collection something to list.
//! Response strictness refuses undeclared fields, so a field a handler adds without its
//! schema fails here.

use cli_translator::interfaces::Family;
use cli_translator::interfaces::json as if_json;
use cli_translator::nat::Section;
use cli_translator::nat::json as nat_json;
use cli_translator::resources::ResourceKind;
use cli_translator::resources::setting::SettingKind;
use cli_translator::schema::{Object, RANGE_INFO, Strictness};
use serde_json::{Value, json};
use tests::{Auth, Client, Stack};

use agent::api::schemas;

use crate::support::*;

/// Configuration typed at the CLI: interfaces and objects the API items below refer to.
const SETUP: &[&str] = &[
    "interface GigabitEthernet0/0",
    "nameif outside",
    "security-level 0",
    "ip address 192.0.2.2 255.255.255.0",
    "no shutdown",
    "exit",
    "interface GigabitEthernet0/1",
    "nameif inside",
    "security-level 100",
    "ip address 10.5.5.1 255.255.255.0",
    "ipv6 address 2001:db8:5::1/64",
    "no shutdown",
    "exit",
    "object network web",
    "host 10.5.5.10",
    "exit",
    "object network lan",
    "subnet 10.5.5.0 255.255.255.0",
    "exit",
    "object network pool",
    "range 192.0.2.100 192.0.2.120",
    "exit",
    "object-group network servers",
    "network-object object web",
    "network-object host 10.5.5.11",
    "exit",
    "object service https-alt",
    "service tcp destination eq 8443",
    "exit",
    "object-group service web-ports tcp",
    "port-object eq www",
    "port-object eq https",
    "exit",
    "time-range work",
    "periodic weekdays 8:00 to 18:00",
    "exit",
    "regex blocked \"example\\.com\"",
    "username bob password Bob-pw-123 privilege 3",
    "object-group user staff",
    "user LOCAL\\bob",
    "exit",
    "object-group security trusted",
    "security-group name engineering",
    "security-group tag 100",
    "exit",
    "route outside 0.0.0.0 0.0.0.0 192.0.2.1 1",
    "ssh 10.5.5.0 255.255.255.0 inside",
    "ntp server 10.5.5.123 prefer",
    "dns domain-lookup inside",
    // issue 15: TLS proxy
    "crypto ca trustpoint PROXY_TP",
    "enrollment self",
    "exit",
    "tls-proxy sip-proxy",
    "server trust-point PROXY_TP",
    "server cipher-suite aes128-sha1",
    "exit",
    // issue 15: service policy and site-to-site VPN
    "policy-map global_policy",
    "class inspection_default",
    "set connection conn-max 100 random-sequence-number disable",
    "set connection timeout idle 1:00:00",
    "exit",
    "access-list vpn-acl extended permit ip 10.5.5.0 255.255.255.0 10.9.0.0 255.255.0.0",
    "crypto ikev1 policy 10",
    "authentication pre-share",
    "encryption aes-256",
    "exit",
    "crypto ikev2 policy 1",
    "encryption aes-256",
    "integrity sha256",
    "group 14",
    "exit",
    "crypto ipsec ikev1 transform-set ts1 esp-aes-256 esp-sha-hmac",
    "crypto ipsec ikev2 ipsec-proposal prop1",
    "protocol esp encryption aes-256",
    "exit",
    "crypto map cmap 10 match address vpn-acl",
    "crypto map cmap 10 set peer 192.0.2.77 2001:db8:77::1",
    "crypto map cmap 10 set ikev1 transform-set ts1",
    "crypto map cmap interface outside",
    "group-policy gp1 internal",
    "group-policy gp1 attributes",
    "vpn-tunnel-protocol ikev1 ikev2",
    "exit",
    "tunnel-group 192.0.2.77 type ipsec-l2l",
    "tunnel-group 192.0.2.77 general-attributes",
    "default-group-policy gp1",
    "exit",
    "tunnel-group 192.0.2.77 ipsec-attributes",
    "ikev1 pre-shared-key Schema-key-1",
    "exit",
    "ip audit name guard attack action alarm drop",
    "ip audit interface outside guard",
    "ip audit signature 6050 disable",
    // issue 14: logging, failover, licensing
    "logging host inside 10.5.5.99 tcp/1514",
    "flow-export destination inside 10.5.5.98 2055",
    "failover lan unit primary",
    "failover lan interface folink GigabitEthernet0/3",
    "failover interface ip folink 10.9.9.1 255.255.255.252 standby 10.9.9.2",
];

/// Settings written with PUT (each must answer 204).
fn settings() -> Vec<(&'static str, Value)> {
    let iface = |n: &str| json!({"kind": "objectRef#Interface", "name": n});
    vec![
        (
            "/api/dns",
            json!({"serverGroups": [{"name": "DefaultDNS", "domainName": "example.com",
                   "nameServers": [{"ipAddress": "10.5.5.53", "interface": iface("inside")}],
                   "timeout": 3, "retries": 4}]}),
        ),
        // issue 14: DHCP in Cisco's shapes (was the invented `/api/dhcp` singleton)
        (
            "/api/dhcp/servers/inside",
            json!({"kind": "object#DhcpServer", "interface": iface("inside"),
                   "poolStartIP": "10.5.5.100", "poolEndIP": "10.5.5.200", "enabled": true,
                   "dnsIP1": "10.5.5.53", "leaseLengthInSec": "7200"}),
        ),
        (
            "/api/dhcp/relay/servers/globalsettings",
            json!({"kind": "object#DHCPRelayGlobalSettings", "ipv4Timeout": 90,
                   "ipv6Timeout": 60, "trustedOnAllInterfaces": false}),
        ),
        (
            "/api/mgmtaccess",
            json!({"sshVersion": 2, "sshKeyExchangeGroup": "dh-group14-sha256"}),
        ),
        (
            "/api/firewall/timeouts",
            json!({"conn": "2:00:00", "uauthAbsolute": false}),
        ),
        // issue 14: logging, failover, licensing
        (
            "/api/logging/syslogconfigsettings",
            json!({"loggingEnabled": true, "trapLevel": "informational", "deviceIdType": "hostname"}),
        ),
        (
            "/api/logging/syslogconfig",
            json!({"messages": [{"messageId": "605005", "level": "notifications"}]}),
        ),
        (
            "/api/licensing/smart/asav",
            json!({"throughput": "1G", "featureTier": "standard"}),
        ),
    ]
}

/// Items created through the API (each POST must answer 201).
fn creations() -> Vec<(&'static str, Value)> {
    let iface = |n: &str| json!({"kind": "objectRef#Interface", "name": n});
    let net = |n: &str| json!({"kind": "objectRef#NetworkObj", "objectId": n});
    vec![
        // issue 14: AAA, dynamic DNS
        (
            "/api/dns/ddns/methods",
            json!({"name": "ddns-1", "updateRecords": "both"}),
        ),
        (
            "/api/aaa/commandprivileges",
            json!({"commandType": "show", "mode": "enable", "command": "running-config", "level": 5}),
        ),
        (
            "/api/access/in/inside/rules",
            json!({"sourceAddress": {"kind": "AnyIPAddress", "value": "any"},
                   "destinationAddress": net("web"),
                   "sourceService": {"kind": "NetworkProtocol", "value": "tcp"},
                   "destinationService": {"kind": "TcpUdpService", "value": "tcp/https"},
                   "permit": true, "remarks": ["web"],
                   "ruleLogging": {"logStatus": "Warnings", "logInterval": 60},
                   "timeRange": {"kind": "objectRef#TimeRange", "objectId": "work"}}),
        ),
        (
            "/api/access/global/rules",
            json!({"sourceAddress": {"kind": "AnyIPAddress", "value": "any4"},
                   "destinationAddress": {"kind": "objectRef#NetworkObjGroup", "objectId": "servers"},
                   "destinationService": {"kind": "ICMPService", "value": "icmp/echo"},
                   "permit": true}),
        ),
        (
            "/api/objects/extendedacls/unbound/aces",
            json!({"sourceAddress": {"kind": "IPv4Network", "value": "10.1.0.0/16"},
                   "destinationAddress": {"kind": "AnyIPv6Address", "value": "any6"},
                   "active": false}),
        ),
        (
            "/api/nat/auto",
            json!({"mode": "dynamic", "originalSource": net("lan"), "isInterfacePAT": true,
                   "originalInterface": iface("inside"), "translatedInterface": iface("outside")}),
        ),
        (
            "/api/nat/before",
            json!({"mode": "static", "originalInterface": iface("inside"),
                   "translatedInterface": iface("outside"), "originalSource": net("lan"),
                   "translatedSource": net("lan"),
                   "originalDestination": {"kind": "objectRef#NetworkObjGroup", "objectId": "servers"},
                   "translatedDestination": {"kind": "objectRef#NetworkObjGroup", "objectId": "servers"},
                   "isNoProxyArp": true, "isRouteLookup": true, "description": "exemption"}),
        ),
        (
            "/api/nat/after",
            json!({"mode": "dynamic", "originalInterface": iface("inside"),
                   "translatedInterface": iface("outside"),
                   "originalSource": {"kind": "AnyIPAddress", "value": "any"},
                   "isPatPool": true, "translatedSourcePatPool": net("pool"),
                   "isRoundRobin": true, "flat": true, "includeReserve": true}),
        ),
        (
            "/api/interfaces/vlan",
            json!({"hardwareID": "GigabitEthernet0/1.100", "vlanID": 100, "name": "dmz",
                   "securityLevel": 50, "ipAddress": {"kind": "StaticIP",
                   "ip": {"kind": "IPv4Address", "value": "192.168.100.1"},
                   "netMask": {"kind": "IPv4NetMask", "value": "255.255.255.0"}}}),
        ),
        (
            "/api/interfaces/redundant",
            json!({"hardwareID": "Redundant1", "name": "core", "securityLevel": 90,
                   "members": ["GigabitEthernet0/4", "GigabitEthernet0/5"]}),
        ),
        (
            "/api/interfaces/portchannel",
            json!({"hardwareID": "Port-channel3", "name": "bundle", "securityLevel": 10,
                   "members": ["GigabitEthernet0/3"]}),
        ),
    ]
}

/// The path part of a `selfLink`.
fn path_of(link: &str) -> String {
    let rest = link
        .split_once("://")
        .map_or(link, |(_, r)| r)
        .split_once('/')
        .map_or("", |(_, p)| p);
    format!("/{rest}")
}

/// Checks one answer against `schema`, naming the URL on failure.
#[track_caller]
fn conforms(url: &str, schema: &Object, body: &Value) {
    if let Err(e) = schema.check(body, Strictness::Response) {
        panic!("GET {url}: {e} (schema {}) in {body}", schema.name);
    }
}

/// Checks a collection answer (the paging envelope and each item), then GETs its first item
/// by its `selfLink` (when items carry one) and checks it too. Returns the number of items.
async fn check_collection(
    stack: &Stack,
    c: &mut Client,
    admin: &Auth,
    url: &str,
    item: &'static Object,
) -> usize {
    let body = get_ok(stack, c, admin, url).await;
    let Value::Object(envelope) = &body else {
        panic!("GET {url}: not an object: {body}");
    };
    let mut keys: Vec<&str> = envelope.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["items", "kind", "rangeInfo", "selfLink"],
        "GET {url}: {body}"
    );
    assert!(
        body["kind"]
            .as_str()
            .is_some_and(|k| k.starts_with("collection#")),
        "GET {url}: {body}"
    );
    conforms(url, &RANGE_INFO, &body["rangeInfo"]);
    let items = body["items"].as_array().cloned().unwrap_or_default();
    for i in &items {
        conforms(url, item, i);
    }
    // The global access group's selfLink is its collection's URL (it has no item URL).
    let first_link = items.first().and_then(|i| i["selfLink"].as_str());
    if let Some(link) = first_link.filter(|l| path_of(l) != url.trim_end_matches('/')) {
        let item_url = path_of(link);
        let one = get_ok(stack, c, admin, &item_url).await;
        conforms(&item_url, item, &one);
    }
    items.len()
}

#[tokio::test]
async fn every_answer_passes_its_schema() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let outputs = cli(&mut c, &admin, SETUP).await;
    for (command, out) in SETUP.iter().zip(&outputs) {
        assert!(
            !out.contains("ERROR") && !out.contains("Invalid"),
            "{command}: {out}"
        );
    }
    for (url, body) in settings() {
        let r = ok(&stack, c.put(url, &body, &admin).await);
        expect_status(&r, 204, &format!("PUT {url} {body}"));
    }
    for (url, body) in creations() {
        let r = ok(&stack, c.post(url, &body, &admin).await);
        expect_status(&r, 201, &format!("POST {url} {body}"));
    }

    // The table resources: every one has an item after the set-up.
    for &kind in ResourceKind::ALL {
        let n = check_collection(&stack, &mut c, &admin, kind.path(), kind.schema()).await;
        assert!(n > 0, "{} lists nothing", kind.path());
    }
    for section in Section::ALL {
        let url = format!("/api/nat/{}", section.segment());
        let n = check_collection(&stack, &mut c, &admin, &url, nat_json::schema(section)).await;
        assert!(n > 0, "{url} lists nothing");
    }
    for family in [
        Family::Physical,
        Family::Vlan,
        Family::PortChannel,
        Family::Redundant,
        Family::Bvi,
    ] {
        let n = check_collection(
            &stack,
            &mut c,
            &admin,
            family.path(),
            if_json::schema(family),
        )
        .await;
        // lina-sim models no bridge groups: the BVI collection is empty, its envelope checked.
        assert!(
            n > 0 || family == Family::Bvi,
            "{} lists nothing",
            family.path()
        );
    }

    // Access rules, access groups and extended ACLs.
    let ace = &cli_translator::acl::json::SCHEMA;
    for url in [
        "/api/access/in/inside/rules",
        "/api/access/global/rules",
        "/api/objects/extendedacls/unbound/aces",
    ] {
        let n = check_collection(&stack, &mut c, &admin, url, ace).await;
        assert!(n > 0, "{url} lists nothing");
    }
    let group = &cli_translator::acl::group::SCHEMA;
    for url in ["/api/access/in", "/api/access/out", "/api/access/global"] {
        check_collection(&stack, &mut c, &admin, url, group).await;
    }
    let one = get_ok(&stack, &mut c, &admin, "/api/access/in/inside").await;
    conforms("/api/access/in/inside", group, &one);
    let n = check_collection(
        &stack,
        &mut c,
        &admin,
        "/api/objects/extendedacls",
        &schemas::EXTENDED_ACL,
    )
    .await;
    assert!(n >= 3, "the three lists: {n}");

    // Singletons.
    for &kind in SettingKind::ALL {
        let body = get_ok(&stack, &mut c, &admin, kind.path()).await;
        conforms(kind.path(), kind.schema(), &body);
    }
    // issue 14: failover interfaces, licensing views.
    {
        use cli_translator::resources::{failover, licensing};
        let n = check_collection(
            &stack,
            &mut c,
            &admin,
            failover::INTERFACES_PATH,
            &failover::INTERFACE_SCHEMA,
        )
        .await;
        assert!(n > 0, "{} lists nothing", failover::INTERFACES_PATH);
        for (url, schema) in [
            ("/api/licensing/smart/asav/info", &licensing::INFO_SCHEMA),
            (licensing::ACTIVATION_PATH, &licensing::ACTIVATION_SCHEMA),
        ] {
            let body = get_ok(&stack, &mut c, &admin, url).await;
            conforms(url, schema, &body);
        }
    }
    let url = "/api/interfaces/setup";
    conforms(
        url,
        &if_json::SETUP_SCHEMA,
        &get_ok(&stack, &mut c, &admin, url).await,
    );

    // Monitoring.
    for (url, schema) in [
        ("/api/monitoring/serialnumber", &schemas::SERIAL_NUMBER),
        (
            "/api/monitoring/device/components/version",
            &schemas::VERSION,
        ),
        ("/api/monitoring/device/components/cpu", &schemas::CPU_USAGE),
        (
            "/api/monitoring/device/components/memory",
            &schemas::MEMORY_USAGE,
        ),
        (
            "/api/monitoring/device/components",
            &schemas::DEVICE_COMPONENTS,
        ),
        ("/api/monitoring/connections", &schemas::CONNECTION_COUNT),
        ("/api/monitoring/apistatistics", &schemas::API_STATISTICS),
        // issue 14: monitoring
        ("/api/monitoring/clock", &schemas::CLOCK),
        (
            "/api/dhcp/servers/inside",
            &cli_translator::resources::dhcp::SERVER_SCHEMA,
        ),
        (
            "/api/dhcp/relay/servers/globalsettings",
            &cli_translator::resources::dhcp::RELAY_GLOBAL_SCHEMA,
        ),
        (
            "/api/dns/client",
            &cli_translator::resources::dns_client::CLIENT_SCHEMA,
        ),
        (
            "/api/dns/client/servergroups/DefaultDNS",
            &cli_translator::resources::dns_client::GROUP_SCHEMA,
        ),
        (
            "/api/monitoring/ipaddress/inside",
            &schemas::IP_ADDRESS_INFO,
        ),
    ] {
        conforms(url, schema, &get_ok(&stack, &mut c, &admin, url).await);
    }
    let n = check_collection(
        &stack,
        &mut c,
        &admin,
        "/api/monitoring/device/interfaces",
        &schemas::MONITORING_METRIC,
    )
    .await;
    assert!(n >= 2, "inside and outside at least: {n}");
    let n = check_collection(
        &stack,
        &mut c,
        &admin,
        "/api/monitoring/arp",
        &schemas::ARP_ENTRY,
    )
    .await;
    assert!(n > 0, "the ARP table is empty");
    // issue 14: monitoring
    let n = check_collection(
        &stack,
        &mut c,
        &admin,
        "/api/monitoring/ipaddress",
        &schemas::IP_ADDRESS_INFO,
    )
    .await;
    assert!(n >= 2, "inside and outside at least: {n}");
}
