//! The end-to-end suite: one test binary that boots the whole stack (`asa-stack`) on
//! 127.0.0.1 port 0 for each scenario and speaks only HTTP(S) and the operator console to it.

mod access_rules;
mod backup;
mod bulk;
mod cli_refusals;
mod conditional_writes;
mod connections;
mod contexts;
mod hardening;
mod injection;
mod interfaces;
mod lifecycle;
mod misc_objects;
mod monitoring;
mod nat;
mod network_objects;
mod object_groups;
mod operations;
mod out_of_band;
mod paging;
mod privileges;
mod races;
mod requests;
mod resilience;
mod routing;
mod schemas;
mod secrets;
mod settings;
mod support;
mod syslog_hosts;
mod tokens;
mod urls;
// issue 15: certificates
mod certificates;
// issue 15: service policy and site-to-site VPN
mod ip_audit;
mod service_policy;
mod vpn;
// issue 14: logging, failover, licensing
mod failover_licensing;
mod logging;
mod rsyslog;
// issue 14: AAA, DHCP, DNS, NTP, NAT, monitoring
mod aaa;
mod dhcp;
mod dns_client;
mod ntp;
// issue 13: change journal
mod journal;
mod large_config;
