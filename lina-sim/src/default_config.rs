//! The factory configuration of a fresh ASAv, used when no startup configuration exists.

use std::fmt;

/// Why a password cannot go on a `username` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminPasswordError {
    Empty,
    /// White space or control characters would end the password or the line.
    BadCharacter,
    TooLong,
}

impl fmt::Display for AdminPasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdminPasswordError::Empty => f.write_str("the admin password is empty"),
            AdminPasswordError::BadCharacter => {
                f.write_str("the admin password contains white space or a control character")
            }
            AdminPasswordError::TooLong => {
                f.write_str("the admin password is longer than 127 characters")
            }
        }
    }
}

impl std::error::Error for AdminPasswordError {}

/// Checks a password for the `username admin password <pw>` line.
pub fn check_password(pw: &str) -> Result<(), AdminPasswordError> {
    if pw.is_empty() {
        return Err(AdminPasswordError::Empty);
    }
    if pw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(AdminPasswordError::BadCharacter);
    }
    if pw.chars().count() > 127 {
        return Err(AdminPasswordError::TooLong);
    }
    Ok(())
}

const HEAD: &str = "\
ASA Version 9.16(4) 
!
hostname ciscoasa
names
no mac-address auto

!
interface GigabitEthernet0/0
 shutdown
 no nameif
 no security-level
 no ip address
!
interface GigabitEthernet0/1
 shutdown
 no nameif
 no security-level
 no ip address
!
interface GigabitEthernet0/2
 shutdown
 no nameif
 no security-level
 no ip address
!
interface GigabitEthernet0/3
 shutdown
 no nameif
 no security-level
 no ip address
!
interface GigabitEthernet0/4
 shutdown
 no nameif
 no security-level
 no ip address
!
interface GigabitEthernet0/5
 shutdown
 no nameif
 no security-level
 no ip address
!
interface GigabitEthernet0/6
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
ftp mode passive
pager lines 24
logging enable
logging buffered debugging
mtu management 1500
no failover
no monitor-interface service-module
icmp unreachable rate-limit 1 burst-size 1
no asdm history enable
arp timeout 14400
no arp permit-nonconnected
arp rate-limit 16384
timeout xlate 3:00:00
timeout pat-xlate 0:00:30
timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 sctp 0:02:00 icmp 0:00:02
timeout sunrpc 0:10:00 h323 0:05:00 h225 1:00:00 mgcp 0:05:00 mgcp-pat 0:05:00
timeout sip 0:30:00 sip_media 0:02:00 sip-invite 0:03:00 sip-disconnect 0:02:00
timeout sip-provisional-media 0:02:00 uauth 0:05:00 absolute
timeout tcp-proxy-reassembly 0:01:00
timeout floating-conn 0:00:00
timeout conn-holddown 0:00:15
timeout igp stale-route 0:01:10
user-identity default-domain LOCAL
aaa authentication login-history
http server enable
http 0.0.0.0 0.0.0.0 management
no snmp-server location
no snmp-server contact
crypto ipsec security-association pmtu-aging infinite
crypto ca trustpool policy
telnet timeout 5
ssh stricthostkeycheck
ssh timeout 5
ssh key-exchange group dh-group14-sha256
console timeout 0
threat-detection basic-threat
threat-detection statistics access-list
no threat-detection statistics tcp-intercept
dynamic-access-policy-record DfltAccessPolicy
";

const TAIL: &str = "\
!
class-map inspection_default
 match default-inspection-traffic
!
!
policy-map type inspect dns preset_dns_map
 parameters
  message-length maximum client auto
  message-length maximum 512
  no tcp-inspection
policy-map global_policy
 class inspection_default
  inspect ip-options
  inspect netbios
  inspect rtsp
  inspect sunrpc
  inspect tftp
  inspect xdmcp
  inspect dns preset_dns_map
  inspect ftp
  inspect h323 h225
  inspect h323 ras
  inspect rsh
  inspect esmtp
  inspect sqlnet
  inspect sip
  inspect skinny
!
service-policy global_policy global
prompt hostname context
no call-home reporting anonymous
rest-api image disk0:/asa-restapi-7161-lfbff-k8.SPA
rest-api agent
";

/// The default configuration with user `admin` (privilege 15) holding `admin_password`.
/// The password is in clear here; loading hashes it, and it is never printed.
pub fn text(admin_password: &str) -> Result<String, AdminPasswordError> {
    check_password(admin_password)?;
    Ok(format!(
        "{HEAD}username admin password {admin_password} privilege 15\n{TAIL}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_that_would_break_the_line_are_refused() {
        assert_eq!(text(""), Err(AdminPasswordError::Empty));
        assert_eq!(text("a b"), Err(AdminPasswordError::BadCharacter));
        assert_eq!(text("a\nhostname x"), Err(AdminPasswordError::BadCharacter));
        assert_eq!(text(&"x".repeat(128)), Err(AdminPasswordError::TooLong));
    }

    #[test]
    fn has_the_asav_interfaces_and_the_admin_user() {
        let t = text("Secret-1").unwrap();
        assert!(t.contains("interface GigabitEthernet0/6\n shutdown\n no nameif\n no security-level\n no ip address\n"));
        assert!(t.contains("interface Management0/0\n management-only\n nameif management\n"));
        assert!(t.contains("username admin password Secret-1 privilege 15\n"));
        assert!(t.contains("http 0.0.0.0 0.0.0.0 management\n"));
    }
}
