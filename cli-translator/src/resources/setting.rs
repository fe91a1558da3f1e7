//! Device settings (auto-created singletons: management access, DNS, protocol timeouts,
//! AAA; the DHCP configuration the `/api/dhcp/...` handlers read) and the reading of the routing and device-setup families into the running
//! configuration.
//!
//! These families are single lines (or small blocks) whose headers the resource table cannot
//! tell apart by one prefix (`route` and `ipv6 route`; `http <ip> ...` hosts and `http server
//! enable`), so [`absorb_line`] dispatches them before the table does. A singleton answers
//! only GET and PUT: it exists on every device and can be neither created nor deleted.

use serde_json::Value;

use crate::schema::Object;

use super::dhcp::Dhcp;
use super::dns::Dns;
use super::mgmt_access::MgmtAccess;
use super::timeouts::Timeouts;
// issue 14: logging, failover, licensing
use super::failover::{self, FailoverSetup};
use super::licensing::{self, SharedLicense, SmartLicense};
use super::logging::{self, SyslogConfig, SyslogConfigSettings, SyslogServerSettings};
use super::netflow::{self, NetFlow};
// issue 14: AAA
use super::aaa::{self, AaaAuthentication, AaaAuthorization};
use super::{FieldError, RunningConfig, dns, mgmt_access, mgmt_host, route, timeouts};

/// The singletons a configuration holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceSettings {
    pub mgmt_access: MgmtAccess,
    pub dns: Dns,
    pub dhcp: Dhcp,
    pub timeouts: Timeouts,
    // issue 14: logging, failover, licensing
    pub failover: failover::FailoverSetup,
    pub smart_license: licensing::SmartLicense,
    pub syslog_server_settings: logging::SyslogServerSettings,
    pub syslog_config_settings: logging::SyslogConfigSettings,
    pub syslog_config: logging::SyslogConfig,
    pub netflow: netflow::NetFlow,
    pub shared_license: licensing::SharedLicense,
    // issue 14: AAA
    pub aaa_authentication: AaaAuthentication,
    pub aaa_authorization: AaaAuthorization,
    // issue 14: NTP keys
    pub ntp_keys: super::ntp::NtpKeys,
}

/// One auto-created settings resource.
pub trait Setting: Sized + Clone + PartialEq {
    /// `kind` of the object, e.g. `object#Timeouts`.
    const KIND: &'static str;
    /// URL path, e.g. `/api/firewall/timeouts`.
    const PATH: &'static str;
    /// The JSON shape of the setting, in GET answers and PUT bodies.
    const SCHEMA: &'static Object;
    fn get(cfg: &RunningConfig) -> &Self;
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self;
    fn to_json(&self, self_link: &str) -> Value;
    /// A PUT body applied to `current`: attributes left out keep their current value.
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError>;
    /// The commands turning `old` into `new`; empty when they are equal.
    fn cli_replace(old: &Self, new: &Self) -> Vec<String>;
    /// Checks what the setting refers to (interfaces) against the configuration.
    fn check(&self, _cfg: &RunningConfig) -> Result<(), FieldError> {
        Ok(())
    }
}

/// Every settings resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SettingKind {
    MgmtAccess,
    Dns,
    Timeouts,
    // issue 14: logging, failover, licensing
    FailoverSetup,
    SmartLicense,
    SyslogServerSettings,
    SyslogConfigSettings,
    SyslogConfig,
    NetFlow,
    SharedLicense,
    // issue 14: AAA
    AaaAuthentication,
    AaaAuthorization,
}

impl SettingKind {
    pub const ALL: &'static [SettingKind] = &[
        SettingKind::MgmtAccess,
        SettingKind::Dns,
        SettingKind::Timeouts,
        // issue 14: logging, failover, licensing
        SettingKind::FailoverSetup,
        SettingKind::SmartLicense,
        SettingKind::SyslogServerSettings,
        SettingKind::SyslogConfigSettings,
        SettingKind::SyslogConfig,
        SettingKind::NetFlow,
        SettingKind::SharedLicense,
        // issue 14: AAA
        SettingKind::AaaAuthentication,
        SettingKind::AaaAuthorization,
    ];

    pub fn path(self) -> &'static str {
        match self {
            SettingKind::MgmtAccess => MgmtAccess::PATH,
            SettingKind::Dns => Dns::PATH,
            SettingKind::Timeouts => Timeouts::PATH,
            // issue 14: logging, failover, licensing
            SettingKind::FailoverSetup => FailoverSetup::PATH,
            SettingKind::SmartLicense => SmartLicense::PATH,
            SettingKind::SyslogServerSettings => SyslogServerSettings::PATH,
            SettingKind::SyslogConfigSettings => SyslogConfigSettings::PATH,
            SettingKind::SyslogConfig => SyslogConfig::PATH,
            SettingKind::NetFlow => NetFlow::PATH,
            SettingKind::SharedLicense => SharedLicense::PATH,
            // issue 14: AAA
            SettingKind::AaaAuthentication => AaaAuthentication::PATH,
            SettingKind::AaaAuthorization => AaaAuthorization::PATH,
        }
    }

    /// The JSON shape of the setting (see [`Setting::SCHEMA`]).
    pub fn schema(self) -> &'static Object {
        match self {
            SettingKind::MgmtAccess => MgmtAccess::SCHEMA,
            SettingKind::Dns => Dns::SCHEMA,
            SettingKind::Timeouts => Timeouts::SCHEMA,
            // issue 14: logging, failover, licensing
            SettingKind::FailoverSetup => FailoverSetup::SCHEMA,
            SettingKind::SmartLicense => SmartLicense::SCHEMA,
            SettingKind::SyslogServerSettings => SyslogServerSettings::SCHEMA,
            SettingKind::SyslogConfigSettings => SyslogConfigSettings::SCHEMA,
            SettingKind::SyslogConfig => SyslogConfig::SCHEMA,
            SettingKind::NetFlow => NetFlow::SCHEMA,
            SettingKind::SharedLicense => SharedLicense::SCHEMA,
            // issue 14: AAA
            SettingKind::AaaAuthentication => AaaAuthentication::SCHEMA,
            SettingKind::AaaAuthorization => AaaAuthorization::SCHEMA,
        }
    }

    /// The setting at `path` (a trailing slash is accepted).
    pub fn from_path(path: &str) -> Option<SettingKind> {
        let path = path.strip_suffix('/').unwrap_or(path);
        SettingKind::ALL.iter().copied().find(|k| k.path() == path)
    }
}

impl Setting for MgmtAccess {
    const KIND: &'static str = mgmt_access::KIND;
    const PATH: &'static str = mgmt_access::PATH;
    const SCHEMA: &'static Object = &mgmt_access::SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.mgmt_access
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.mgmt_access
    }
    fn to_json(&self, self_link: &str) -> Value {
        MgmtAccess::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        MgmtAccess::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        MgmtAccess::cli_replace(old, new)
    }
}

impl Setting for Dns {
    const KIND: &'static str = dns::KIND;
    const PATH: &'static str = dns::PATH;
    const SCHEMA: &'static Object = &dns::SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.dns
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.dns
    }
    fn to_json(&self, self_link: &str) -> Value {
        Dns::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        Dns::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        Dns::cli_replace(old, new)
    }
    fn check(&self, cfg: &RunningConfig) -> Result<(), FieldError> {
        Dns::check(self, cfg)
    }
}

impl Setting for Timeouts {
    const KIND: &'static str = timeouts::KIND;
    const PATH: &'static str = timeouts::PATH;
    const SCHEMA: &'static Object = &timeouts::SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.timeouts
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.timeouts
    }
    fn to_json(&self, self_link: &str) -> Value {
        Timeouts::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        Timeouts::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        Timeouts::cli_replace(old, new)
    }
}

// issue 14: logging, failover, licensing
impl Setting for FailoverSetup {
    const KIND: &'static str = failover::KIND;
    const PATH: &'static str = failover::PATH;
    const SCHEMA: &'static Object = &failover::SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.failover
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.failover
    }
    fn to_json(&self, self_link: &str) -> Value {
        FailoverSetup::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        FailoverSetup::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        FailoverSetup::cli_replace(old, new)
    }
    fn check(&self, cfg: &RunningConfig) -> Result<(), FieldError> {
        failover::check(self, cfg)
    }
}

impl Setting for SmartLicense {
    const KIND: &'static str = licensing::KIND;
    const PATH: &'static str = licensing::PATH;
    const SCHEMA: &'static Object = &licensing::SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.smart_license
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.smart_license
    }
    fn to_json(&self, self_link: &str) -> Value {
        SmartLicense::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        SmartLicense::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        SmartLicense::cli_replace(old, new)
    }
}

impl Setting for SyslogServerSettings {
    const KIND: &'static str = logging::SERVER_SETTINGS_KIND;
    const PATH: &'static str = logging::SERVER_SETTINGS_PATH;
    const SCHEMA: &'static Object = &logging::SERVER_SETTINGS_SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.syslog_server_settings
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.syslog_server_settings
    }
    fn to_json(&self, self_link: &str) -> Value {
        SyslogServerSettings::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        SyslogServerSettings::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        SyslogServerSettings::cli_replace(old, new)
    }
}

impl Setting for SyslogConfigSettings {
    const KIND: &'static str = logging::CONFIG_SETTINGS_KIND;
    const PATH: &'static str = logging::CONFIG_SETTINGS_PATH;
    const SCHEMA: &'static Object = &logging::CONFIG_SETTINGS_SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.syslog_config_settings
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.syslog_config_settings
    }
    fn to_json(&self, self_link: &str) -> Value {
        SyslogConfigSettings::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        SyslogConfigSettings::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        SyslogConfigSettings::cli_replace(old, new)
    }
    fn check(&self, cfg: &RunningConfig) -> Result<(), FieldError> {
        SyslogConfigSettings::check(self, cfg)
    }
}

impl Setting for SyslogConfig {
    const KIND: &'static str = logging::CONFIG_KIND;
    const PATH: &'static str = logging::CONFIG_PATH;
    const SCHEMA: &'static Object = &logging::CONFIG_SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.syslog_config
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.syslog_config
    }
    fn to_json(&self, self_link: &str) -> Value {
        SyslogConfig::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        SyslogConfig::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        SyslogConfig::cli_replace(old, new)
    }
}

impl Setting for NetFlow {
    const KIND: &'static str = netflow::KIND;
    const PATH: &'static str = netflow::PATH;
    const SCHEMA: &'static Object = &netflow::SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.netflow
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.netflow
    }
    fn to_json(&self, self_link: &str) -> Value {
        NetFlow::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        NetFlow::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        NetFlow::cli_replace(old, new)
    }
}

impl Setting for SharedLicense {
    const KIND: &'static str = licensing::SHARED_KIND;
    const PATH: &'static str = licensing::SHARED_PATH;
    const SCHEMA: &'static Object = &licensing::SHARED_SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.shared_license
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.shared_license
    }
    fn to_json(&self, self_link: &str) -> Value {
        SharedLicense::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        SharedLicense::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        SharedLicense::cli_replace(old, new)
    }
    fn check(&self, cfg: &RunningConfig) -> Result<(), FieldError> {
        SharedLicense::check(self, cfg)
    }
}

// issue 14: AAA
impl Setting for AaaAuthentication {
    const KIND: &'static str = "";
    const PATH: &'static str = aaa::AUTHENTICATION_PATH;
    const SCHEMA: &'static Object = &aaa::AUTHENTICATION_SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.aaa_authentication
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.aaa_authentication
    }
    fn to_json(&self, self_link: &str) -> Value {
        AaaAuthentication::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        AaaAuthentication::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        AaaAuthentication::cli_replace(old, new)
    }
}

impl Setting for AaaAuthorization {
    const KIND: &'static str = "";
    const PATH: &'static str = aaa::AUTHORIZATION_PATH;
    const SCHEMA: &'static Object = &aaa::AUTHORIZATION_SCHEMA;
    fn get(cfg: &RunningConfig) -> &Self {
        &cfg.settings.aaa_authorization
    }
    fn get_mut(cfg: &mut RunningConfig) -> &mut Self {
        &mut cfg.settings.aaa_authorization
    }
    fn to_json(&self, self_link: &str) -> Value {
        AaaAuthorization::to_json(self, self_link)
    }
    fn from_json(body: &Value, current: &Self) -> Result<Self, FieldError> {
        AaaAuthorization::from_json(body, current)
    }
    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        AaaAuthorization::cli_replace(old, new)
    }
}

/// Offers a top-level block to these families; `true` when one of them took it.
pub fn absorb_line(cfg: &mut RunningConfig, text: &str, children: &[&str]) -> bool {
    let first = text.split(' ').next().unwrap_or_default();
    match first {
        "route" => {
            let access = &cfg.access;
            route::absorb_line(&mut cfg.static_routes, text, |n| access.hardware_of(n));
            true
        }
        // issue 14: DHCP relay
        "ipv6" if text.starts_with("ipv6 dhcprelay ") => {
            cfg.settings.dhcp.absorb(text);
            true
        }
        "ipv6" if text.starts_with("ipv6 route ") => {
            let access = &cfg.access;
            route::absorb_line(&mut cfg.static_routes, text, |n| access.hardware_of(n));
            true
        }
        "http" | "ssh" | "telnet" => {
            let access = &cfg.access;
            if !mgmt_host::absorb_line(&mut cfg.mgmt_hosts, text, |n| access.hardware_of(n)) {
                cfg.settings.mgmt_access.absorb(text);
            }
            true
        }
        "dns" => cfg.settings.dns.absorb(text, children),
        "dhcpd" | "dhcprelay" => {
            cfg.settings.dhcp.absorb(text);
            true
        }
        "timeout" => {
            cfg.settings.timeouts.absorb(text);
            true
        }
        // issue 14: logging, failover, licensing
        "failover" | "monitor-interface" => {
            cfg.settings.failover.absorb(text);
            true
        }
        "no" if text.starts_with("no failover") || text.starts_with("no monitor-interface ") => {
            cfg.settings.failover.absorb(text);
            true
        }
        "logging" => {
            let s = &mut cfg.settings;
            s.syslog_server_settings.absorb(text);
            s.syslog_config_settings.absorb(text);
            s.syslog_config.absorb(text);
            // `logging host` lines are the syslog server table's.
            !text.starts_with("logging host ")
        }
        "no" if text.starts_with("no logging message ") => {
            cfg.settings.syslog_config.absorb(text);
            true
        }
        "flow-export" if !text.starts_with("flow-export destination ") => {
            cfg.settings.netflow.absorb(text);
            true
        }
        "license-server" => {
            cfg.settings.shared_license.absorb(text);
            true
        }
        "license" => {
            cfg.settings.smart_license.absorb_license(text, children);
            true
        }
        "call-home" => {
            cfg.settings.smart_license.absorb_call_home(children);
            true
        }
        // issue 14: NTP keys
        "ntp" if cfg.settings.ntp_keys.absorb(text) => true,
        // issue 14: AAA (other `aaa` lines are left to the table and the verbatim rules)
        "aaa" if text.starts_with("aaa authentication ") => {
            cfg.settings.aaa_authentication.absorb(text);
            true
        }
        "aaa" if text.starts_with("aaa authorization ") => {
            cfg.settings.aaa_authorization.absorb(text);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_of_both_families_are_read_in_order_with_their_interface() {
        let cfg = RunningConfig::parse(
            "interface GigabitEthernet0/0\n nameif outside\n!\n\
             route outside 0.0.0.0 0.0.0.0 192.0.2.1 1\n\
             ipv6 route outside ::/0 2001:db8::1\n\
             route outside 10.0.0.0 255.0.0.0 192.0.2.2 bogus\n",
        );
        let lines: Vec<String> = cfg
            .static_routes
            .iter()
            .map(|r| r.line.to_string())
            .collect();
        assert_eq!(
            lines,
            [
                "route outside 0.0.0.0 0.0.0.0 192.0.2.1 1",
                "ipv6 route outside ::/0 2001:db8::1 1"
            ]
        );
        assert!(
            cfg.static_routes
                .iter()
                .all(|r| r.hardware.as_deref() == Some("GigabitEthernet0/0"))
        );
    }

    #[test]
    fn hosts_and_settings_of_the_same_families_go_apart() {
        let cfg = RunningConfig::parse(
            "interface Management0/0\n nameif management\n!\n\
             timeout xlate 3:00:00\n\
             http server enable\nhttp 0.0.0.0 0.0.0.0 management\n\
             ssh 10.0.0.0 255.0.0.0 management\nssh timeout 30\ntelnet timeout 9\n\
             dns domain-lookup management\nntp server 192.0.2.123 prefer\n",
        );
        assert_eq!(cfg.mgmt_hosts.len(), 2);
        assert_eq!(cfg.settings.mgmt_access.http_server, Some(443));
        assert_eq!(cfg.settings.mgmt_access.ssh_timeout, 30);
        assert_eq!(cfg.settings.mgmt_access.telnet_timeout, 9);
        assert_eq!(cfg.settings.dns.domain_lookup, ["management"]);
        assert_eq!(cfg.settings.timeouts.values.len(), 1);
        assert_eq!(cfg.ntp_servers.len(), 1);
    }

    #[test]
    fn settings_paths_route_back_to_their_kind() {
        for k in SettingKind::ALL {
            assert_eq!(SettingKind::from_path(k.path()), Some(*k));
        }
        assert_eq!(
            SettingKind::from_path("/api/firewall/timeouts/"),
            Some(SettingKind::Timeouts)
        );
        assert_eq!(SettingKind::from_path("/api/firewall"), None);
    }
}
