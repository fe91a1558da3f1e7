//! URL routing: a request path, percent-decoded once per segment, to the thing it names,
//! and the verbs each target allows.
//!
//! A trailing slash is tolerated (`/api/objects/networkobjects/` is the collection). An
//! objectId is one segment, so an encoded `/` (`10.0.0.0%2F24`) belongs to the id while a
//! literal one (`.../networkobjects/10.0.0.0/24`) makes an unknown URL: 404, never 200.

use std::borrow::Cow;

use cli_translator::resources::ResourceKind;
use cli_translator::resources::setting::SettingKind;
use percent_encoding::percent_decode_str;

use super::catalogue::CATALOGUE;
pub use super::catalogue::Routed;
use super::error::ApiError;
use super::handlers::acl::AclTarget;
use super::handlers::interfaces::IfTarget;
use super::handlers::monitoring::MonitoringTarget;
use super::handlers::nat::NatTarget;

/// What a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/api/tokenservices`
    Tokens,
    /// `/api/tokenservices/<token>`
    Token(String),
    /// `/api/cli`
    Cli,
    /// `/api` (the bulk API)
    Bulk,
    /// `/api/backup`
    Backup,
    /// `/api/restore`
    Restore,
    /// `/api/commands/writemem`
    WriteMem,
    /// `/api/monitoring/serialnumber`
    SerialNumber,
    /// The other `/api/monitoring/...` URLs.
    Monitoring(MonitoringTarget),
    /// A resource collection, e.g. `/api/objects/networkobjects`.
    Collection(ResourceKind),
    /// One object of a collection, by decoded objectId.
    Item(ResourceKind, String),
    /// Extended ACLs, access rules and access groups.
    Access(AclTarget),
    /// An auto-created settings singleton (`/api/dns`, `/api/firewall/timeouts` ...).
    Setting(SettingKind),
    /// `/api/interfaces/...`
    Interfaces(IfTarget),
    /// `/api/nat/{before,auto,after}[/{id}]`
    Nat(NatTarget),
    /// `/api/openapi.json`
    OpenApi,
    // issue 14: logging, failover, licensing
    /// Failover interfaces and smart-licensing actions.
    Platform(super::handlers::platform::PlatformTarget),
    /// `/doc/` and the Doc-UI's assets (`/doc/<file>`); `/doc` alone redirects to `/doc/`.
    Doc(DocPage),
    // issue 15: certificates
    /// `/api/certificate/...`
    Certificates(super::handlers::certificates::CertTarget),
    /// issue 15: `/api/vpn/cryptomaps/{nameif}/entries`, the entries of an interface's map.
    CryptoMapEntries(String),
    // issue 14: DHCP
    /// `/api/dhcp/servers...`, `/api/dhcp/relay/servers/...`
    Dhcp(super::handlers::dhcp::DhcpTarget),
    /// `/api/dns/client...`
    Dns(super::handlers::dns::DnsTarget),
}

/// A page of the Doc-UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocPage {
    /// `/doc` without its slash: redirected, so that the page's relative links work.
    Redirect,
    /// `/doc/`
    Index,
    /// `/doc/<file>`
    Asset(String),
}

/// Resolves a raw (still percent-encoded) request path against the catalogue.
pub fn route(raw_path: &str) -> Result<Routed, ApiError> {
    let not_found = || ApiError::UnknownPath(raw_path.to_owned());
    let rest = raw_path.strip_prefix('/').ok_or_else(not_found)?;
    // Borrowed unless a segment is percent-encoded: the common request allocates nothing here.
    let mut segments = rest
        .split('/')
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8()
                .map_err(|_| ApiError::BadPathEncoding(s.to_owned()))
        })
        .collect::<Result<Vec<Cow<'_, str>>, ApiError>>()?;
    if raw_path == "/doc" {
        let mut routed = CATALOGUE.find(&["doc"]).ok_or_else(not_found)?;
        routed.target = Target::Doc(DocPage::Redirect);
        return Ok(routed);
    }
    if segments.len() > 1 && segments.last().is_some_and(|s| s.is_empty()) {
        segments.pop();
    }
    if segments.iter().any(|s| s.is_empty()) {
        return Err(not_found());
    }
    let segs: Vec<&str> = segments.iter().map(|s| s.as_ref()).collect();
    CATALOGUE.find(&segs).ok_or_else(not_found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::Method;
    use proptest::prelude::*;

    fn route_target(p: &str) -> Result<Target, ApiError> {
        route(p).map(|r| r.target)
    }

    fn allowed(p: &str) -> &'static [Method] {
        route(p).unwrap().endpoint.methods
    }

    const NO: ResourceKind = ResourceKind::NetworkObject;

    #[test]
    fn collection_with_and_without_trailing_slash() {
        assert_eq!(
            route_target("/api/objects/networkobjects").unwrap(),
            Target::Collection(NO)
        );
        assert_eq!(
            route_target("/api/objects/networkobjects/").unwrap(),
            Target::Collection(NO)
        );
    }

    #[test]
    fn item_id_is_decoded_once() {
        assert_eq!(
            route_target("/api/objects/networkobjects/10.0.0.0%2F24").unwrap(),
            Target::Item(NO, "10.0.0.0/24".into())
        );
        assert_eq!(
            route_target("/api/objects/networkobjects/Lab%20Printers").unwrap(),
            Target::Item(NO, "Lab Printers".into())
        );
        assert_eq!(
            route_target("/api/objects/networkobjects/a%2525b").unwrap(),
            Target::Item(NO, "a%25b".into())
        );
        assert_eq!(
            route_target("/api/objects/networkobjects/web/").unwrap(),
            Target::Item(NO, "web".into())
        );
    }

    #[test]
    fn literal_address_probe_is_an_unknown_url() {
        let e = route_target("/api/objects/networkobjects/10.0.0.0/24").unwrap_err();
        assert_eq!(e.status().as_u16(), 404);
        assert_eq!(e.code(), "RESOURCE-NOT-FOUND");
    }

    #[test]
    fn fixed_endpoints() {
        assert_eq!(route_target("/api/tokenservices").unwrap(), Target::Tokens);
        assert_eq!(route_target("/api/tokenservices/").unwrap(), Target::Tokens);
        assert_eq!(
            route_target("/api/tokenservices/abc123").unwrap(),
            Target::Token("abc123".into())
        );
        assert_eq!(route_target("/api/cli").unwrap(), Target::Cli);
        assert_eq!(route_target("/api").unwrap(), Target::Bulk);
        assert_eq!(route_target("/api/").unwrap(), Target::Bulk);
        assert_eq!(route_target("/api/backup").unwrap(), Target::Backup);
        assert_eq!(route_target("/api/restore").unwrap(), Target::Restore);
        assert_eq!(
            route_target("/api/commands/writemem").unwrap(),
            Target::WriteMem
        );
        assert_eq!(
            route_target("/api/monitoring/serialnumber/").unwrap(),
            Target::SerialNumber
        );
    }

    #[test]
    fn unknown_paths_are_404() {
        for p in [
            "",
            "/",
            "/api/nope",
            "/api/objects",
            "/api/objects/networkobjectsx",
            "/api//objects/networkobjects",
            "/api/objects/networkobjects//",
            "/doc/a/b",
            "api/cli",
        ] {
            assert_eq!(route_target(p).unwrap_err().status().as_u16(), 404, "{p:?}");
        }
    }

    #[test]
    fn invalid_utf8_after_decoding_is_400() {
        let e = route_target("/api/objects/networkobjects/%FF").unwrap_err();
        assert_eq!(e.status().as_u16(), 400);
    }

    #[test]
    fn verbs_per_target() {
        let collection = route("/api/objects/networkobjects").unwrap().endpoint;
        assert!(collection.check_method(&Method::POST).is_ok());
        let e = collection.check_method(&Method::DELETE).unwrap_err();
        assert_eq!(e.status().as_u16(), 405);
        let item = route("/api/objects/networkobjects/a").unwrap().endpoint;
        assert!(item.check_method(&Method::POST).is_err());
        assert!(item.check_method(&Method::PATCH).is_ok());
        assert!(!allowed("/api/tokenservices").contains(&Method::GET));
        assert_eq!(allowed("/api/tokenservices/t"), &[Method::DELETE]);
    }

    #[test]
    fn read_only_kinds_allow_only_get() {
        for p in ["/api/objects/userobjects", "/api/objects/userobjects/bob"] {
            let routed = route(p).unwrap();
            assert_eq!(routed.endpoint.methods, &[Method::GET], "{p}");
            for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
                let e = routed.endpoint.check_method(&m).unwrap_err();
                assert_eq!(e.status().as_u16(), 405, "{m} on {p}");
            }
        }
        assert_eq!(
            route_target("/api/objects/userobjects/bob").unwrap(),
            Target::Item(ResourceKind::UserObject, "bob".into())
        );
    }

    #[test]
    fn predefined_services_keep_their_writable_verbs() {
        // Predefined items are refused per item (400), not by the router.
        assert_eq!(
            route_target("/api/objects/networkservices").unwrap(),
            Target::Collection(ResourceKind::ServiceObject)
        );
        assert!(allowed("/api/objects/networkservices").contains(&Method::POST));
        let item = allowed("/api/objects/networkservices/http");
        assert!(item.contains(&Method::DELETE) && item.contains(&Method::PUT));
    }

    #[test]
    fn the_doc_ui_needs_its_slash_and_serves_its_files() {
        assert_eq!(
            route_target("/doc").unwrap(),
            Target::Doc(DocPage::Redirect)
        );
        assert_eq!(route_target("/doc/").unwrap(), Target::Doc(DocPage::Index));
        assert_eq!(
            route_target("/doc/swagger-ui.css").unwrap(),
            Target::Doc(DocPage::Asset("swagger-ui.css".into()))
        );
        assert_eq!(route_target("/api/openapi.json").unwrap(), Target::OpenApi);
    }

    proptest! {
        #[test]
        fn arbitrary_paths_never_panic(p in ".*") {
            let _ = route_target(&p);
        }

        #[test]
        fn any_encoded_id_routes_to_an_item(id in ".+") {
            let path = format!("/api/objects/networkobjects/{}", super::super::links::encode_segment(&id));
            prop_assert_eq!(route_target(&path).unwrap(), Target::Item(NO, id));
        }
    }
}
