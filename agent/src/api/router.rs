//! URL routing: a request path, percent-decoded once per segment, to the thing it names,
//! and the verbs each target allows.
//!
//! A trailing slash is tolerated (`/api/objects/networkobjects/` is the collection). An
//! objectId is one segment, so an encoded `/` (`10.0.0.0%2F24`) belongs to the id while a
//! literal one (`.../networkobjects/10.0.0.0/24`) makes an unknown URL: 404, never 200.

use cli_translator::resources::ResourceKind;
use cli_translator::resources::setting::SettingKind;
use hyper::Method;
use percent_encoding::percent_decode_str;

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
}

impl Target {
    /// The verbs this target answers; anything else is 405 with `Allow`.
    pub fn allowed(&self) -> &'static [Method] {
        match self {
            Target::Tokens | Target::Cli | Target::WriteMem => &[Method::POST],
            Target::Bulk | Target::Backup | Target::Restore => &[Method::POST],
            Target::Token(_) => &[Method::DELETE],
            Target::SerialNumber => &[Method::GET],
            Target::Monitoring(t) => t.allowed(),
            Target::Collection(kind) | Target::Item(kind, _) if kind.read_only() => &[Method::GET],
            Target::Collection(_) => &[Method::GET, Method::POST],
            Target::Item(..) => &[Method::GET, Method::PUT, Method::PATCH, Method::DELETE],
            Target::Access(t) => t.allowed(),
            Target::Setting(_) => super::handlers::settings::ALLOWED,
            Target::Interfaces(t) => t.allowed(),
            Target::Nat(t) => t.allowed(),
        }
    }

    /// Refuses a verb this target does not answer.
    pub fn check_method(&self, method: &Method) -> Result<(), ApiError> {
        if self.allowed().contains(method) {
            Ok(())
        } else {
            Err(ApiError::MethodNotAllowed {
                method: method.clone(),
                allow: self.allowed(),
            })
        }
    }
}

/// Resolves a raw (still percent-encoded) request path.
pub fn route(raw_path: &str) -> Result<Target, ApiError> {
    let not_found = || ApiError::UnknownPath(raw_path.to_owned());
    let rest = raw_path.strip_prefix('/').ok_or_else(not_found)?;
    let mut segments = rest
        .split('/')
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| ApiError::BadPathEncoding(s.to_owned()))
        })
        .collect::<Result<Vec<String>, ApiError>>()?;
    if segments.len() > 1 && segments.last().is_some_and(String::is_empty) {
        segments.pop();
    }
    if segments.iter().any(String::is_empty) {
        return Err(not_found());
    }
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    match segs.as_slice() {
        ["api", "tokenservices"] => return Ok(Target::Tokens),
        ["api", "tokenservices", token] => return Ok(Target::Token((*token).to_owned())),
        ["api", "cli"] => return Ok(Target::Cli),
        ["api"] => return Ok(Target::Bulk),
        ["api", "backup"] => return Ok(Target::Backup),
        ["api", "restore"] => return Ok(Target::Restore),
        ["api", "commands", "writemem"] => return Ok(Target::WriteMem),
        ["api", "monitoring", "serialnumber"] => return Ok(Target::SerialNumber),
        _ => {}
    }
    if let Some(t) = super::handlers::monitoring::route(&segs) {
        return Ok(Target::Monitoring(t));
    }
    if let Some(t) = super::handlers::acl::route(&segs) {
        return Ok(Target::Access(t));
    }
    if let Some(k) = super::handlers::settings::route(&segs) {
        return Ok(Target::Setting(k));
    }
    if let Some(t) = super::handlers::interfaces::route(&segs) {
        return Ok(Target::Interfaces(t));
    }
    if let Some(t) = super::handlers::nat::route(&segs) {
        return Ok(Target::Nat(t));
    }
    for &kind in ResourceKind::ALL {
        let base: Vec<&str> = kind.path().trim_start_matches('/').split('/').collect();
        if let Some(tail) = segs.strip_prefix(base.as_slice()) {
            return match tail {
                [] => Ok(Target::Collection(kind)),
                [id] => Ok(Target::Item(kind, (*id).to_owned())),
                _ => Err(not_found()),
            };
        }
    }
    Err(not_found())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NO: ResourceKind = ResourceKind::NetworkObject;

    #[test]
    fn collection_with_and_without_trailing_slash() {
        assert_eq!(
            route("/api/objects/networkobjects").unwrap(),
            Target::Collection(NO)
        );
        assert_eq!(
            route("/api/objects/networkobjects/").unwrap(),
            Target::Collection(NO)
        );
    }

    #[test]
    fn item_id_is_decoded_once() {
        assert_eq!(
            route("/api/objects/networkobjects/10.0.0.0%2F24").unwrap(),
            Target::Item(NO, "10.0.0.0/24".into())
        );
        assert_eq!(
            route("/api/objects/networkobjects/Lab%20Printers").unwrap(),
            Target::Item(NO, "Lab Printers".into())
        );
        assert_eq!(
            route("/api/objects/networkobjects/a%2525b").unwrap(),
            Target::Item(NO, "a%25b".into())
        );
        assert_eq!(
            route("/api/objects/networkobjects/web/").unwrap(),
            Target::Item(NO, "web".into())
        );
    }

    #[test]
    fn literal_address_probe_is_an_unknown_url() {
        let e = route("/api/objects/networkobjects/10.0.0.0/24").unwrap_err();
        assert_eq!(e.status().as_u16(), 404);
        assert_eq!(e.code(), "RESOURCE-NOT-FOUND");
    }

    #[test]
    fn fixed_endpoints() {
        assert_eq!(route("/api/tokenservices").unwrap(), Target::Tokens);
        assert_eq!(route("/api/tokenservices/").unwrap(), Target::Tokens);
        assert_eq!(
            route("/api/tokenservices/abc123").unwrap(),
            Target::Token("abc123".into())
        );
        assert_eq!(route("/api/cli").unwrap(), Target::Cli);
        assert_eq!(route("/api").unwrap(), Target::Bulk);
        assert_eq!(route("/api/").unwrap(), Target::Bulk);
        assert_eq!(route("/api/backup").unwrap(), Target::Backup);
        assert_eq!(route("/api/restore").unwrap(), Target::Restore);
        assert_eq!(route("/api/commands/writemem").unwrap(), Target::WriteMem);
        assert_eq!(
            route("/api/monitoring/serialnumber/").unwrap(),
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
            "/doc/",
            "api/cli",
        ] {
            assert_eq!(route(p).unwrap_err().status().as_u16(), 404, "{p:?}");
        }
    }

    #[test]
    fn invalid_utf8_after_decoding_is_400() {
        let e = route("/api/objects/networkobjects/%FF").unwrap_err();
        assert_eq!(e.status().as_u16(), 400);
    }

    #[test]
    fn verbs_per_target() {
        assert!(Target::Collection(NO).check_method(&Method::POST).is_ok());
        let e = Target::Collection(NO)
            .check_method(&Method::DELETE)
            .unwrap_err();
        assert_eq!(e.status().as_u16(), 405);
        assert!(
            Target::Item(NO, "a".into())
                .check_method(&Method::POST)
                .is_err()
        );
        assert!(
            Target::Item(NO, "a".into())
                .check_method(&Method::PATCH)
                .is_ok()
        );
        assert!(Target::Tokens.check_method(&Method::GET).is_err());
        assert!(
            Target::Token("t".into())
                .check_method(&Method::DELETE)
                .is_ok()
        );
    }

    #[test]
    fn read_only_kinds_allow_only_get() {
        let collection = route("/api/objects/userobjects").unwrap();
        let item = route("/api/objects/userobjects/bob").unwrap();
        assert_eq!(collection, Target::Collection(ResourceKind::UserObject));
        assert_eq!(item, Target::Item(ResourceKind::UserObject, "bob".into()));
        for target in [&collection, &item] {
            assert_eq!(target.allowed(), &[Method::GET]);
            assert!(target.check_method(&Method::GET).is_ok());
            for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
                let e = target.check_method(&m).unwrap_err();
                assert_eq!(e.status().as_u16(), 405, "{m} on {target:?}");
            }
        }
    }

    #[test]
    fn predefined_services_keep_their_writable_verbs() {
        // Predefined items are refused per item (400), not by the router.
        let services = route("/api/objects/networkservices").unwrap();
        assert_eq!(services, Target::Collection(ResourceKind::ServiceObject));
        assert!(services.check_method(&Method::POST).is_ok());
        let item = Target::Item(ResourceKind::ServiceObject, "http".into());
        assert!(item.check_method(&Method::DELETE).is_ok());
        assert!(item.check_method(&Method::PUT).is_ok());
    }

    proptest! {
        #[test]
        fn arbitrary_paths_never_panic(p in ".*") {
            let _ = route(&p);
        }

        #[test]
        fn any_encoded_id_routes_to_an_item(id in ".+") {
            let path = format!("/api/objects/networkobjects/{}", super::super::links::encode_segment(&id));
            prop_assert_eq!(route(&path).unwrap(), Target::Item(NO, id));
        }
    }
}
