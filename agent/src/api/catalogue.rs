//! Every endpoint the agent serves, declared once: path template, verbs, privilege, whether
//! multiple-context mode serves it, its `kind`s, identity rule and body schemas.
//!
//! Routing (`router.rs`), 405 with `Allow`, the privilege a verb needs, the multiple-context
//! refusal, request validation and the OpenAPI document (`openapi.rs`) are all read from this
//! table; no other code decides them. Adding a resource is adding its rows here (usually one
//! call to [`Catalogue::resource`]) plus the handler that answers them.
//!
//! Why not axum's router: the bulk API routes each entry's `resourceUri` through the same
//! table, without an HTTP request, against a staged snapshot; and every refusal (404, 405
//! with `Allow`, 403, 400 in multiple-context mode) must be the ASA's error body. A table the
//! agent owns gives both in one place, and the OpenAPI generator walks the same rows.

use std::collections::HashMap;
use std::sync::LazyLock;

use cli_translator::acl::group::{Binding, Direction};
use cli_translator::interfaces::model::Family;
use cli_translator::nat::json as nat_json;
use cli_translator::nat::rule::Section;
use cli_translator::resources::ResourceKind;
use cli_translator::resources::setting::SettingKind;
use cli_translator::schema::{Object, Strictness, Type};
use hyper::Method;

use super::auth::{MONITORING_PRIVILEGE, READ_PRIVILEGE, WRITE_PRIVILEGE};
use super::error::ApiError;
use super::handlers::acl::{AclTarget, Scope};
use super::handlers::interfaces::IfTarget;
use super::handlers::monitoring::MonitoringTarget;
use super::handlers::nat::NatTarget;
use super::router::{DocPage, Target};

const GET: &[Method] = &[Method::GET];
const POST: &[Method] = &[Method::POST];
const DELETE: &[Method] = &[Method::DELETE];
const GET_POST: &[Method] = &[Method::GET, Method::POST];
const GET_DELETE: &[Method] = &[Method::GET, Method::DELETE];
const GET_PUT: &[Method] = &[Method::GET, Method::PUT];
const GET_PUT_PATCH: &[Method] = &[Method::GET, Method::PUT, Method::PATCH];
const ITEM: &[Method] = &[Method::GET, Method::PUT, Method::PATCH, Method::DELETE];
// issue 14: DHCP
const GET_PUT_DELETE: &[Method] = &[Method::GET, Method::PUT, Method::DELETE];

/// Who may call an endpoint (Cisco: 3 for monitoring, 5 for reads, 15 for writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `/api/monitoring/...`: level 3.
    Monitoring,
    /// `GET` at level 5, every other verb at level 15.
    Standard,
    /// `/api/cli`: level 5 when every command is a `show`, else 15 (decided per batch).
    Cli,
    /// Token services: any user LINA authenticates (the token is theirs).
    Token,
}

/// How an item's `objectId` is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// The user's name for it.
    Name,
    /// A hash of its attributes (decimal for ACEs, hex for routes and NAT): a write that
    /// changes them changes the id, and `Location` carries the new one.
    Hash,
    /// Its address (NTP servers, management hosts).
    Address,
    /// The hardware id with its first `/` as `_API_SLASH_`.
    HardwareId,
    /// A token issued by the token service.
    Token,
}

impl Identity {
    /// One line for the documentation of the `{objectId}` parameter.
    pub fn describe(self) -> &'static str {
        match self {
            Identity::Name => "The object's name.",
            Identity::Hash => {
                "A hash of the object's attributes, as listed by the collection; a write that changes them changes it (see `Location`)."
            }
            Identity::Address => "The object's address.",
            Identity::HardwareId => {
                "The hardware id with its first `/` written `_API_SLASH_` (`GigabitEthernet0_API_SLASH_1`)."
            }
            Identity::Token => "The token, as `X-Auth-Token` carried it.",
        }
    }
}

/// What an endpoint's bodies look like, for validation and documentation.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A paged collection: `GET` lists items, `POST` (when allowed) creates one.
    Collection {
        item: &'static Object,
        collection_kind: &'static str,
    },
    /// One item: `GET`, `PUT` (replace), `PATCH` (merge), `DELETE`.
    Item {
        item: &'static Object,
        identity: Identity,
    },
    /// An auto-created settings object: `GET` and `PUT` (and `PATCH` where allowed).
    Singleton { item: &'static Object },
    /// A read-only answer (monitoring).
    View { answer: &'static Object },
    /// A page of the Doc-UI (HTML and its assets): served, but not an API operation.
    Page,
    /// An operation: a request body in, a JSON answer out (either may be absent).
    Action {
        request: Option<Type>,
        answer: Option<&'static Object>,
    },
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Lit(String),
    Param,
}

/// A monitoring endpoint: path, summary, answer schema, target.
type MonitoringRow = (&'static str, &'static str, Shape, fn(&[String]) -> Target);

/// Builds the handler's target from the decoded path parameters, in template order.
type Make = Box<dyn Fn(&[String]) -> Target + Send + Sync>;

/// One endpoint.
pub struct Endpoint {
    /// The path template, as in the OpenAPI document (`/api/nat/auto/{objectId}`).
    pub path: String,
    segments: Vec<Seg>,
    /// The verbs it answers; anything else is 405 with `Allow`.
    pub methods: &'static [Method],
    pub access: Access,
    /// Served in multiple-context mode (Cisco: CLI, tokens and monitoring only).
    pub multi_context: bool,
    /// The OpenAPI tag grouping it in the Doc-UI.
    pub tag: &'static str,
    /// One line saying what it is.
    pub summary: String,
    pub shape: Shape,
    make: Make,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("path", &self.path)
            .field("methods", &self.methods)
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    /// Refuses a verb this endpoint does not answer.
    pub fn check_method(&self, method: &Method) -> Result<(), ApiError> {
        if self.methods.contains(method) {
            Ok(())
        } else {
            Err(ApiError::MethodNotAllowed {
                method: method.clone(),
                allow: self.methods,
            })
        }
    }

    /// The level `method` needs here; `None` where it is decided otherwise (the CLI's
    /// commands, a token's owner).
    pub fn privilege(&self, method: &Method) -> Option<u8> {
        match self.access {
            Access::Monitoring => Some(MONITORING_PRIVILEGE),
            Access::Standard if *method == Method::GET => Some(READ_PRIVILEGE),
            Access::Standard => Some(WRITE_PRIVILEGE),
            Access::Cli | Access::Token => None,
        }
    }

    /// Checks a write's body against the declared schema: booleans and numbers may come as
    /// strings, unknown attributes are left to the handler, a create needs its required
    /// attributes. A body that is empty or not JSON is left to the handler, whose error
    /// names the problem as before.
    pub fn validate(&self, method: &Method, body: &[u8]) -> Result<(), ApiError> {
        let writes = *method == Method::POST || *method == Method::PUT || *method == Method::PATCH;
        if !writes || body.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
            return Ok(());
        };
        let outcome = match self.shape {
            Shape::Collection { item, .. } if *method == Method::POST => item.check_create(&value),
            Shape::Collection { item, .. }
            | Shape::Item { item, .. }
            | Shape::Singleton { item } => item.check(&value, Strictness::Request),
            Shape::Action {
                request: Some(t), ..
            } => t.check(&value, Strictness::Request),
            Shape::Action { request: None, .. } | Shape::View { .. } | Shape::Page => Ok(()),
        };
        outcome.map_err(ApiError::Schema)
    }

    /// The names of the template's parameters, in order.
    pub fn parameters(&self) -> impl Iterator<Item = &str> {
        self.path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    }

    /// Whether this endpoint can be one entry of a bulk request (configuration resources).
    pub fn in_bulk(&self) -> bool {
        matches!(
            self.shape,
            Shape::Collection { .. } | Shape::Item { .. } | Shape::Singleton { .. }
        ) && self.access == Access::Standard
    }

    /// How many of `segs` this template names literally, if it matches them.
    fn literal_match(&self, segs: &[&str]) -> Option<usize> {
        if segs.len() != self.segments.len() {
            return None;
        }
        let mut literal = 0;
        for (seg, s) in self.segments.iter().zip(segs) {
            match seg {
                Seg::Lit(l) if l == s => literal += 1,
                Seg::Lit(_) => return None,
                Seg::Param => {}
            }
        }
        Some(literal)
    }

    /// The segments standing for the template's parameters, in order.
    fn params(&self, segs: &[&str]) -> Vec<String> {
        self.segments
            .iter()
            .zip(segs)
            .filter(|(seg, _)| matches!(seg, Seg::Param))
            .map(|(_, s)| (*s).to_owned())
            .collect()
    }
}

/// A request path resolved against the catalogue.
#[derive(Debug)]
pub struct Routed {
    pub endpoint: &'static Endpoint,
    pub target: Target,
}

/// The table.
#[derive(Debug, Default)]
pub struct Catalogue {
    endpoints: Vec<Endpoint>,
    /// Endpoint indexes by their first two segments when both are literal (every
    /// `/api/<area>/...` template); the rest, by segment count. Built once the table is
    /// complete, so a lookup tries a handful of templates, not the table.
    by_prefix: HashMap<String, HashMap<String, Vec<usize>>>,
    by_length: HashMap<usize, Vec<usize>>,
}

/// The agent's catalogue, built once.
pub static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(Catalogue::build);

/// Row builder: everything but the path and target has a default that most rows keep.
struct Row {
    methods: &'static [Method],
    access: Access,
    multi_context: bool,
    tag: &'static str,
    summary: String,
    shape: Shape,
}

impl Row {
    fn new(
        tag: &'static str,
        summary: impl Into<String>,
        methods: &'static [Method],
        shape: Shape,
    ) -> Row {
        Row {
            methods,
            access: Access::Standard,
            multi_context: false,
            tag,
            summary: summary.into(),
            shape,
        }
    }

    fn access(mut self, access: Access) -> Row {
        self.access = access;
        self
    }

    fn multi_context(mut self) -> Row {
        self.multi_context = true;
        self
    }
}

impl Catalogue {
    /// Every endpoint, in declaration order.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// The endpoint whose template matches decoded `segs`; the one with the most literal
    /// segments wins (`/api/access/global/rules` over `/api/access/in/{interface}`).
    pub fn find(&'static self, segs: &[&str]) -> Option<Routed> {
        let prefixed = match segs {
            [a, b, ..] => self.by_prefix.get(*a).and_then(|m| m.get(*b)),
            _ => None,
        };
        let others = self.by_length.get(&segs.len());
        // (index, literal segments): most literal segments wins, then declaration order.
        let mut best: Option<(usize, usize)> = None;
        for &i in prefixed.into_iter().chain(others).flatten() {
            if let Some(literal) = self.endpoints[i].literal_match(segs)
                && best.is_none_or(|(b, l)| literal > l || (literal == l && i < b))
            {
                best = Some((i, literal));
            }
        }
        best.map(|(i, _)| {
            let endpoint = &self.endpoints[i];
            Routed {
                endpoint,
                target: (endpoint.make)(&endpoint.params(segs)),
            }
        })
    }

    /// Fills the lookup indexes; called once the table is complete.
    fn index(&mut self) {
        for (i, endpoint) in self.endpoints.iter().enumerate() {
            match endpoint.segments.as_slice() {
                [Seg::Lit(a), Seg::Lit(b), ..] => self
                    .by_prefix
                    .entry(a.clone())
                    .or_default()
                    .entry(b.clone())
                    .or_default()
                    .push(i),
                _ => self
                    .by_length
                    .entry(endpoint.segments.len())
                    .or_default()
                    .push(i),
            }
        }
    }

    fn add(
        &mut self,
        path: impl Into<String>,
        row: Row,
        make: impl Fn(&[String]) -> Target + Send + Sync + 'static,
    ) {
        let path = path.into();
        let segments = path
            .trim_start_matches('/')
            .split('/')
            .map(|s| {
                if s.starts_with('{') {
                    Seg::Param
                } else {
                    Seg::Lit(s.to_owned())
                }
            })
            .collect();
        self.endpoints.push(Endpoint {
            path,
            segments,
            methods: row.methods,
            access: row.access,
            multi_context: row.multi_context,
            tag: row.tag,
            summary: row.summary,
            shape: row.shape,
            make: Box::new(make),
        });
    }

    /// A resource of the `resources!` table: its collection and its items.
    fn resource(&mut self, tag: &'static str, kind: ResourceKind, identity: Identity) {
        let (item, path) = (kind.schema(), kind.path());
        let name = item.description.trim_end_matches('.');
        let (collection, one) = if kind.read_only() {
            (GET, GET)
        } else {
            (GET_POST, ITEM)
        };
        self.add(
            path,
            Row::new(
                tag,
                format!("List or create: {name}"),
                collection,
                collection_shape(item, kind.collection_kind()),
            ),
            move |_| Target::Collection(kind),
        );
        self.add(
            format!("{path}/{{objectId}}"),
            Row::new(
                tag,
                format!("One item: {name}"),
                one,
                Shape::Item { item, identity },
            ),
            move |p| Target::Item(kind, param(p, 0)),
        );
    }

    fn build() -> Catalogue {
        let mut c = Catalogue::default();
        c.fixed();
        c.objects();
        c.access_rules();
        c.interfaces();
        c.nat();
        c.settings();
        c.monitoring();
        // issue 15: certificates
        c.certificates();
        // issue 15: site-to-site VPN
        c.crypto_maps_by_interface();
        // issue 14: logging, failover, licensing
        c.platform();
        // issue 14: DHCP, DNS client
        c.dhcp();
        c.dns_client();
        c.index();
        c
    }

    // issue 15: certificates
    fn certificates(&mut self) {
        use super::handlers::certificates::CertTarget;
        use super::schemas as s;
        const TAG: &str = "Certificates";
        self.add(
            "/api/certificate/identity",
            Row::new(
                TAG,
                "List identity certificates, or import a PKCS#12 / enroll a self-signed one",
                GET_POST,
                collection_shape(&s::IDENTITY_CERTIFICATE, "collection#IdentityCertificate"),
            ),
            |_| Target::Certificates(CertTarget::Identities),
        );
        self.add(
            "/api/certificate/identity/{objectId}",
            Row::new(
                TAG,
                "One identity certificate (trust-point)",
                GET_DELETE,
                Shape::Item {
                    item: &s::IDENTITY_CERTIFICATE,
                    identity: Identity::Name,
                },
            ),
            |p| Target::Certificates(CertTarget::Identity(param(p, 0))),
        );
        self.add(
            "/api/certificate/identity/{objectId}/export/PEM",
            Row::new(
                TAG,
                "The identity certificate in PEM",
                GET,
                Shape::View {
                    answer: &s::PEM_EXPORT,
                },
            ),
            |p| Target::Certificates(CertTarget::IdentityPem(param(p, 0))),
        );
        self.add(
            "/api/certificate/keypair",
            Row::new(
                TAG,
                "List or generate key pairs",
                GET_POST,
                collection_shape(&s::KEYPAIR, "collection#Keypair"),
            ),
            |_| Target::Certificates(CertTarget::KeyPairs),
        );
        self.add(
            "/api/certificate/keypair/{objectId}",
            Row::new(
                TAG,
                "One key pair",
                GET_DELETE,
                Shape::Item {
                    item: &s::KEYPAIR,
                    identity: Identity::Name,
                },
            ),
            |p| Target::Certificates(CertTarget::KeyPair(param(p, 0))),
        );
        self.add(
            "/api/certificate/ca",
            Row::new(
                TAG,
                "List or import CA certificates",
                GET_POST,
                collection_shape(&s::CA_CERTIFICATE, "collection#CACertificate"),
            ),
            |_| Target::Certificates(CertTarget::CaCerts),
        );
        self.add(
            "/api/certificate/ca/{objectId}",
            Row::new(
                TAG,
                "The CA certificate of a trust-point",
                GET,
                Shape::Item {
                    item: &s::CA_CERTIFICATE,
                    identity: Identity::Name,
                },
            ),
            |p| Target::Certificates(CertTarget::CaCert(param(p, 0))),
        );
        self.add(
            "/api/certificate/details/{objectId}",
            Row::new(
                TAG,
                "The identity certificate of a trust-point, in detail",
                GET,
                Shape::View {
                    answer: &s::CERTIFICATE_DETAILS,
                },
            ),
            |p| Target::Certificates(CertTarget::Details(param(p, 0))),
        );
    }

    /// issue 15: the entries of the crypto map applied to an interface, as a public client
    /// reads them (`/api/vpn/cryptomaps/{nameif}/entries`; 404 when no map is applied).
    fn crypto_maps_by_interface(&mut self) {
        let kind = ResourceKind::CryptoMapEntry;
        self.add(
            format!("{}/{{nameif}}/entries", kind.path()),
            Row::new(
                "Site-to-site VPN",
                "The entries of the crypto map applied to an interface",
                GET,
                collection_shape(kind.schema(), kind.collection_kind()),
            ),
            |p| Target::CryptoMapEntries(param(p, 0)),
        );
    }

    // issue 14: DNS client
    /// The DNS client URLs a public client uses (Cisco dCloud automation).
    fn dns_client(&mut self) {
        use super::handlers::dns::DnsTarget;
        use cli_translator::resources::dns_client as d;
        const TAG: &str = "Device setup";
        self.add(
            d::CLIENT_PATH,
            Row::new(
                TAG,
                "DNS lookup interfaces",
                GET_PUT_PATCH,
                Shape::Singleton {
                    item: &d::CLIENT_SCHEMA,
                },
            ),
            |_| Target::Dns(DnsTarget::Client),
        );
        self.add(
            d::GROUPS_PATH,
            Row::new(
                TAG,
                "List or add DNS server groups",
                GET_POST,
                collection_shape(&d::GROUP_SCHEMA, d::GROUPS_COLLECTION_KIND),
            ),
            |_| Target::Dns(DnsTarget::Groups),
        );
        self.add(
            format!("{}/{{objectId}}", d::GROUPS_PATH),
            Row::new(
                TAG,
                "One DNS server group",
                ITEM,
                Shape::Item {
                    item: &d::GROUP_SCHEMA,
                    identity: Identity::Name,
                },
            ),
            |p| Target::Dns(DnsTarget::Group(param(p, 0))),
        );
    }

    // issue 14: DHCP
    /// Cisco's DHCP URLs (go-ciscoasa, terraform-provider-ciscoasa).
    fn dhcp(&mut self) {
        use super::handlers::dhcp::DhcpTarget;
        use cli_translator::resources::dhcp as d;
        const TAG: &str = "DHCP";
        self.add(
            d::SERVERS_PATH,
            Row::new(
                TAG,
                "The DHCP server of every named interface",
                GET,
                collection_shape(&d::SERVER_SCHEMA, d::SERVERS_COLLECTION_KIND),
            ),
            |_| Target::Dhcp(DhcpTarget::Servers),
        );
        self.add(
            format!("{}/{{objectId}}", d::SERVERS_PATH),
            Row::new(
                TAG,
                "The DHCP server of one interface (nameif); PUT replaces it",
                GET_PUT_PATCH,
                Shape::Item {
                    item: &d::SERVER_SCHEMA,
                    identity: Identity::Name,
                },
            ),
            |p| Target::Dhcp(DhcpTarget::Server(param(p, 0))),
        );
        self.add(
            d::RELAY_LOCAL_PATH,
            Row::new(
                TAG,
                "List or add interface-specific DHCP relay servers",
                GET_POST,
                collection_shape(&d::RELAY_LOCAL_SCHEMA, d::RELAY_LOCAL_COLLECTION_KIND),
            ),
            |_| Target::Dhcp(DhcpTarget::RelayLocal),
        );
        self.add(
            format!("{}/{{objectId}}", d::RELAY_LOCAL_PATH),
            Row::new(
                TAG,
                "The DHCP relay servers of one interface (nameif)",
                GET_PUT_DELETE,
                Shape::Item {
                    item: &d::RELAY_LOCAL_SCHEMA,
                    identity: Identity::Name,
                },
            ),
            |p| Target::Dhcp(DhcpTarget::RelayLocalItem(param(p, 0))),
        );
        self.add(
            d::RELAY_GLOBAL_PATH,
            Row::new(
                TAG,
                "DHCP relay timeouts and trust",
                GET_PUT,
                Shape::Singleton {
                    item: &d::RELAY_GLOBAL_SCHEMA,
                },
            ),
            |_| Target::Dhcp(DhcpTarget::RelayGlobal),
        );
    }

    /// Tokens, the CLI, bulk, save, backup and the documentation itself.
    fn fixed(&mut self) {
        use super::schemas;
        self.add(
            "/api/tokenservices",
            Row::new(
                "Token authentication",
                "Create a token (204, `X-Auth-Token`)",
                POST,
                Shape::Action {
                    request: None,
                    answer: None,
                },
            )
            .access(Access::Token)
            .multi_context(),
            |_| Target::Tokens,
        );
        self.add(
            "/api/tokenservices/{token}",
            Row::new(
                "Token authentication",
                "Delete a token",
                DELETE,
                Shape::Item {
                    item: &schemas::TOKEN,
                    identity: Identity::Token,
                },
            )
            .access(Access::Token)
            .multi_context(),
            |p| Target::Token(param(p, 0)),
        );
        self.add(
            "/api/cli",
            Row::new(
                "CLI",
                "Run CLI commands; one response string per command",
                POST,
                Shape::Action {
                    request: Some(Type::Object(&schemas::CLI_REQUEST)),
                    answer: Some(&schemas::CLI_RESPONSE),
                },
            )
            .access(Access::Cli)
            .multi_context(),
            |_| Target::Cli,
        );
        self.add(
            "/api",
            Row::new(
                "Bulk",
                "Apply up to 1000 operations as one atomic batch",
                POST,
                Shape::Action {
                    request: Some(schemas::BULK_REQUEST),
                    answer: Some(&schemas::BULK_RESPONSE),
                },
            ),
            |_| Target::Bulk,
        );
        self.add(
            "/api/commands/writemem",
            Row::new(
                "Save",
                "Save the running configuration (write memory)",
                POST,
                Shape::Action {
                    request: None,
                    answer: Some(&schemas::CLI_RESPONSE),
                },
            ),
            |_| Target::WriteMem,
        );
        self.add(
            "/api/backup",
            Row::new(
                "Backup and restore",
                "Back up the configuration to disk0:",
                POST,
                Shape::Action {
                    request: Some(Type::Object(&schemas::BACKUP_REQUEST)),
                    answer: Some(&schemas::CLI_RESPONSE),
                },
            ),
            |_| Target::Backup,
        );
        self.add(
            "/api/restore",
            Row::new(
                "Backup and restore",
                "Restore a backup from disk0:",
                POST,
                Shape::Action {
                    request: Some(Type::Object(&schemas::RESTORE_REQUEST)),
                    answer: Some(&schemas::CLI_RESPONSE),
                },
            ),
            |_| Target::Restore,
        );
        self.add(
            "/api/openapi.json",
            Row::new(
                "Documentation",
                "This OpenAPI document",
                GET,
                Shape::View {
                    answer: &schemas::OPENAPI,
                },
            )
            .multi_context(),
            |_| Target::OpenApi,
        );
        self.add(
            "/doc",
            Row::new("Documentation", "The Doc-UI", GET, Shape::Page).multi_context(),
            |_| Target::Doc(DocPage::Index),
        );
        self.add(
            "/doc/{file}",
            Row::new("Documentation", "The Doc-UI's assets", GET, Shape::Page).multi_context(),
            |p| Target::Doc(DocPage::Asset(param(p, 0))),
        );
    }

    fn objects(&mut self) {
        use Identity::{Address, Hash, Name};
        let table = [
            ("Network objects", ResourceKind::NetworkObject, Name),
            ("Network objects", ResourceKind::NetworkObjectGroup, Name),
            ("Service objects", ResourceKind::ServiceObject, Name),
            ("Service objects", ResourceKind::ServiceGroup, Name),
            ("Time ranges", ResourceKind::TimeRange, Name),
            ("Regular expressions", ResourceKind::Regex, Name),
            ("Users", ResourceKind::LocalUser, Name),
            ("Users", ResourceKind::LocalUserGroup, Name),
            ("Users", ResourceKind::SecurityObjectGroup, Name),
            ("Users", ResourceKind::UserObject, Name),
            ("Routing", ResourceKind::StaticRoute, Hash),
            ("Management access", ResourceKind::MgmtHost, Address),
            ("Device setup", ResourceKind::NtpServer, Address),
            // issue 15: TLS proxy
            ("TLS proxy", ResourceKind::TlsProxy, Name),
            // issue 15: service policy
            ("Service policy", ResourceKind::ClassMap, Name),
            ("Service policy", ResourceKind::InspectMap, Name),
            ("Service policy", ResourceKind::PolicyMap, Name),
            ("Service policy", ResourceKind::ConnectionLimit, Name),
            ("Service policy", ResourceKind::ServicePolicy, Name),
            // issue 15: site-to-site VPN
            ("Site-to-site VPN", ResourceKind::Ikev1Policy, Name),
            ("Site-to-site VPN", ResourceKind::Ikev2Policy, Name),
            ("Site-to-site VPN", ResourceKind::TransformSet, Name),
            ("Site-to-site VPN", ResourceKind::IpsecProposal, Name),
            ("Site-to-site VPN", ResourceKind::CryptoMapEntry, Name),
            ("Site-to-site VPN", ResourceKind::CryptoMapInterface, Name),
            ("Site-to-site VPN", ResourceKind::GroupPolicy, Name),
            ("Site-to-site VPN", ResourceKind::TunnelGroup, Name),
            // issue 15: IP audit
            ("IP audit", ResourceKind::IpAuditPolicy, Name),
            ("IP audit", ResourceKind::IpAuditInterface, Name),
            ("IP audit", ResourceKind::IpAuditSignature, Name),
            // issue 14: logging, failover, licensing
            ("Logging", ResourceKind::SyslogServer, Address),
            ("Logging", ResourceKind::NetFlowCollector, Address),
            // issue 14: AAA
            ("AAA", ResourceKind::CommandPrivilege, Name),
            // issue 14: dynamic DNS
            ("Device setup", ResourceKind::DdnsMethod, Name),
        ];
        for (tag, kind, identity) in table {
            self.resource(tag, kind, identity);
        }
    }

    fn access_rules(&mut self) {
        const TAG: &str = "Access rules";
        let acls = "/api/objects/extendedacls";
        self.add(
            acls,
            Row::new(
                TAG,
                "List extended ACLs",
                GET,
                collection_shape(&super::schemas::EXTENDED_ACL, "collection#ExtendedACL"),
            ),
            |_| Target::Access(AclTarget::Lists),
        );
        self.add(
            format!("{acls}/{{objectId}}"),
            Row::new(
                TAG,
                "One extended ACL; DELETE removes it whole",
                GET_DELETE,
                Shape::Item {
                    item: &super::schemas::EXTENDED_ACL,
                    identity: Identity::Name,
                },
            ),
            |p| Target::Access(AclTarget::List(param(p, 0))),
        );
        self.add(
            format!("{acls}/{{aclName}}/aces"),
            Row::new(
                TAG,
                "List or add entries of an extended ACL",
                GET_POST,
                collection_shape(
                    &cli_translator::acl::json::SCHEMA,
                    cli_translator::acl::json::COLLECTION_KIND,
                ),
            ),
            |p| Target::Access(AclTarget::Entries(Scope::Named(param(p, 0)))),
        );
        self.add(
            format!("{acls}/{{aclName}}/aces/{{objectId}}"),
            Row::new(
                TAG,
                "One entry of an extended ACL",
                ITEM,
                Shape::Item {
                    item: &cli_translator::acl::json::SCHEMA,
                    identity: Identity::Hash,
                },
            ),
            |p| Target::Access(AclTarget::Entry(Scope::Named(param(p, 0)), param(p, 1))),
        );
        for direction in [Direction::In, Direction::Out] {
            let (seg, bind): (&str, fn(String) -> Binding) = match direction {
                Direction::Out => ("out", Binding::Out),
                _ => ("in", Binding::In),
            };
            let base = format!("/api/access/{seg}");
            self.add(
                base.clone(),
                Row::new(
                    TAG,
                    format!("Access groups bound {seg}"),
                    GET,
                    collection_shape(
                        &cli_translator::acl::group::SCHEMA,
                        cli_translator::acl::group::COLLECTION_KIND,
                    ),
                ),
                move |_| Target::Access(AclTarget::Groups(direction)),
            );
            self.add(
                format!("{base}/{{interface}}"),
                Row::new(
                    TAG,
                    format!("The access group bound {seg} on an interface (nameif)"),
                    GET,
                    Shape::View {
                        answer: &cli_translator::acl::group::SCHEMA,
                    },
                ),
                move |p| Target::Access(AclTarget::Group(bind(param(p, 0)))),
            );
            self.add(
                format!("{base}/{{interface}}/rules"),
                Row::new(
                    TAG,
                    format!("List or add access rules {seg} on an interface"),
                    GET_POST,
                    collection_shape(
                        &cli_translator::acl::json::SCHEMA,
                        cli_translator::acl::json::COLLECTION_KIND,
                    ),
                ),
                move |p| Target::Access(AclTarget::Entries(Scope::Bound(bind(param(p, 0))))),
            );
            self.add(
                format!("{base}/{{interface}}/rules/{{objectId}}"),
                Row::new(
                    TAG,
                    format!("One access rule {seg} on an interface"),
                    ITEM,
                    Shape::Item {
                        item: &cli_translator::acl::json::SCHEMA,
                        identity: Identity::Hash,
                    },
                ),
                move |p| {
                    Target::Access(AclTarget::Entry(
                        Scope::Bound(bind(param(p, 0))),
                        param(p, 1),
                    ))
                },
            );
        }
        self.add(
            "/api/access/global",
            Row::new(
                TAG,
                "The global access group",
                GET,
                collection_shape(
                    &cli_translator::acl::group::SCHEMA,
                    cli_translator::acl::group::COLLECTION_KIND,
                ),
            ),
            |_| Target::Access(AclTarget::Groups(Direction::Global)),
        );
        self.add(
            "/api/access/global/rules",
            Row::new(
                TAG,
                "List or add global access rules",
                GET_POST,
                collection_shape(
                    &cli_translator::acl::json::SCHEMA,
                    cli_translator::acl::json::COLLECTION_KIND,
                ),
            ),
            |_| Target::Access(AclTarget::Entries(Scope::Bound(Binding::Global))),
        );
        self.add(
            "/api/access/global/rules/{objectId}",
            Row::new(
                TAG,
                "One global access rule",
                ITEM,
                Shape::Item {
                    item: &cli_translator::acl::json::SCHEMA,
                    identity: Identity::Hash,
                },
            ),
            |p| Target::Access(AclTarget::Entry(Scope::Bound(Binding::Global), param(p, 0))),
        );
    }

    fn interfaces(&mut self) {
        use cli_translator::interfaces::json as ifs;
        const TAG: &str = "Interfaces";
        self.add(
            "/api/interfaces/setup",
            Row::new(
                TAG,
                "Interface setup (firewall mode, names, addresses at a glance)",
                GET_PUT_PATCH,
                Shape::Singleton {
                    item: &ifs::SETUP_SCHEMA,
                },
            ),
            |_| Target::Interfaces(IfTarget::Setup),
        );
        for family in Family::ALL {
            let item = ifs::schema(family);
            let path = family.path();
            let (collection, one) = match family {
                Family::Physical => (GET, GET_PUT_PATCH),
                _ => (GET_POST, ITEM),
            };
            self.add(
                path,
                Row::new(
                    TAG,
                    format!("List {}", item.description.trim_end_matches('.')),
                    collection,
                    collection_shape(item, family.collection_kind()),
                ),
                move |_| Target::Interfaces(IfTarget::Collection(family)),
            );
            self.add(
                format!("{path}/{{objectId}}"),
                Row::new(
                    TAG,
                    format!("One of: {}", item.description.trim_end_matches('.')),
                    one,
                    Shape::Item {
                        item,
                        identity: Identity::HardwareId,
                    },
                ),
                move |p| Target::Interfaces(IfTarget::Item(family, param(p, 0))),
            );
        }
    }

    fn nat(&mut self) {
        const TAG: &str = "NAT";
        for section in Section::ALL {
            let base = format!("/api/nat/{}", section.segment());
            let what = match section {
                Section::Before => "twice NAT rules before object NAT",
                Section::Auto => "object (auto) NAT rules",
                Section::After => "twice NAT rules after object NAT",
            };
            self.add(
                base.clone(),
                Row::new(
                    TAG,
                    format!("List or add {what}"),
                    GET_POST,
                    collection_shape(nat_json::schema(section), nat_collection_kind(section)),
                ),
                move |_| Target::Nat(NatTarget::Rules(section)),
            );
            self.add(
                format!("{base}/{{objectId}}"),
                Row::new(
                    TAG,
                    format!("One of the {what}"),
                    ITEM,
                    Shape::Item {
                        item: nat_json::schema(section),
                        identity: Identity::Hash,
                    },
                ),
                move |p| Target::Nat(NatTarget::Rule(section, param(p, 0))),
            );
        }
    }

    fn settings(&mut self) {
        for &kind in SettingKind::ALL {
            let tag = match kind {
                SettingKind::MgmtAccess => "Management access",
                SettingKind::Timeouts => "Firewall",
                SettingKind::Dns => "Device setup",
                // issue 14: logging, failover, licensing
                SettingKind::FailoverSetup => "Failover",
                SettingKind::SmartLicense | SettingKind::SharedLicense => "Licensing",
                SettingKind::SyslogServerSettings
                | SettingKind::SyslogConfigSettings
                | SettingKind::SyslogConfig
                | SettingKind::NetFlow => "Logging",
                // issue 14: AAA
                SettingKind::AaaAuthentication | SettingKind::AaaAuthorization => "AAA",
            };
            let item = kind.schema();
            self.add(
                kind.path(),
                Row::new(
                    tag,
                    item.description.trim_end_matches('.'),
                    GET_PUT,
                    Shape::Singleton { item },
                ),
                move |_| Target::Setting(kind),
            );
        }
    }

    fn monitoring(&mut self) {
        use super::schemas as s;
        const TAG: &str = "Monitoring";
        let view = |answer: &'static Object| Shape::View { answer };
        let rows: [MonitoringRow; 13] = [
            (
                "/api/monitoring/serialnumber",
                "The device's serial number",
                view(&s::SERIAL_NUMBER),
                |_| Target::SerialNumber,
            ),
            (
                "/api/monitoring/device/components",
                "Version, CPU and memory at once",
                view(&s::DEVICE_COMPONENTS),
                |_| Target::Monitoring(MonitoringTarget::Components),
            ),
            (
                "/api/monitoring/device/components/version",
                "Software version, device type, uptime",
                view(&s::VERSION),
                |_| Target::Monitoring(MonitoringTarget::Version),
            ),
            (
                "/api/monitoring/device/components/cpu",
                "CPU usage",
                view(&s::CPU_USAGE),
                |_| Target::Monitoring(MonitoringTarget::Cpu),
            ),
            (
                "/api/monitoring/device/components/memory",
                "Memory usage",
                view(&s::MEMORY_USAGE),
                |_| Target::Monitoring(MonitoringTarget::Memory),
            ),
            (
                "/api/monitoring/device/interfaces",
                "Traffic counters of every named interface",
                collection_shape(&s::MONITORING_METRIC, "collection#MonitoringMetric"),
                |_| Target::Monitoring(MonitoringTarget::Interfaces),
            ),
            (
                "/api/monitoring/device/interfaces/{interface}",
                "Traffic counters of one interface (nameif)",
                view(&s::MONITORING_METRIC),
                |p| Target::Monitoring(MonitoringTarget::Interface(param(p, 0))),
            ),
            (
                "/api/monitoring/arp",
                "The ARP table",
                collection_shape(&s::ARP_ENTRY, "collection#Arp"),
                |_| Target::Monitoring(MonitoringTarget::Arp),
            ),
            (
                "/api/monitoring/connections",
                "Connection counts",
                view(&s::CONNECTION_COUNT),
                |_| Target::Monitoring(MonitoringTarget::Connections),
            ),
            (
                "/api/monitoring/apistatistics",
                "This agent's request statistics",
                view(&s::API_STATISTICS),
                |_| Target::Monitoring(MonitoringTarget::ApiStatistics),
            ),
            // issue 14: monitoring
            (
                "/api/monitoring/clock",
                "The device clock (`show clock`)",
                view(&s::CLOCK),
                |_| Target::Monitoring(MonitoringTarget::Clock),
            ),
            (
                "/api/monitoring/ipaddress",
                "IPv4 addresses of the named interfaces",
                collection_shape(&s::IP_ADDRESS_INFO, "collection#IPAddressInfo"),
                |_| Target::Monitoring(MonitoringTarget::IpAddresses),
            ),
            (
                "/api/monitoring/ipaddress/{interface}",
                "IPv4 address of one interface (nameif)",
                view(&s::IP_ADDRESS_INFO),
                |p| Target::Monitoring(MonitoringTarget::IpAddress(param(p, 0))),
            ),
        ];
        for (path, summary, shape, make) in rows {
            self.add(
                path,
                Row::new(TAG, summary, GET, shape)
                    .access(Access::Monitoring)
                    .multi_context(),
                make,
            );
        }
    }
}

// issue 14: logging, failover, licensing
impl Catalogue {
    /// Failover interfaces and the smart-licensing actions.
    fn platform(&mut self) {
        use super::handlers::platform::{LicenseAction, PlatformTarget};
        use cli_translator::resources::{failover, licensing};
        self.add(
            failover::INTERFACES_PATH,
            Row::new(
                "Failover",
                "The failover view of the named interfaces",
                GET,
                collection_shape(
                    &failover::INTERFACE_SCHEMA,
                    failover::INTERFACES_COLLECTION_KIND,
                ),
            ),
            |_| Target::Platform(PlatformTarget::FailoverInterfaces),
        );
        self.add(
            format!("{}/{{objectId}}", failover::INTERFACES_PATH),
            Row::new(
                "Failover",
                "One named interface's standby address and monitoring",
                GET_PUT,
                Shape::Item {
                    item: &failover::INTERFACE_SCHEMA,
                    identity: Identity::HardwareId,
                },
            ),
            |p| Target::Platform(PlatformTarget::FailoverInterface(param(p, 0))),
        );
        let base = licensing::PATH;
        self.add(
            format!("{base}/register"),
            Row::new(
                "Licensing",
                "Register with a smart-licensing token (201; the token is checked later)",
                POST,
                // A create-like POST: 201, the body checked as a create (`idToken` required).
                collection_shape(&licensing::REGISTER_SCHEMA, "collection#SmartLicenseRegId"),
            ),
            |_| Target::Platform(PlatformTarget::License(LicenseAction::Register)),
        );
        let actions: [(&str, &str, LicenseAction); 3] = [
            (
                "deregister",
                "Deregister from smart licensing (no body)",
                LicenseAction::Deregister,
            ),
            (
                "renewauth",
                "Renew the license authorization (no body)",
                LicenseAction::RenewAuth,
            ),
            (
                "renewid",
                "Renew the registration id certificate (no body)",
                LicenseAction::RenewId,
            ),
        ];
        for (segment, summary, action) in actions {
            self.add(
                format!("{base}/{segment}"),
                Row::new(
                    "Licensing",
                    summary,
                    POST,
                    Shape::Action {
                        request: None,
                        answer: None,
                    },
                ),
                move |_| Target::Platform(PlatformTarget::License(action)),
            );
        }
        self.add(
            format!("{base}/info"),
            Row::new(
                "Licensing",
                "Smart-licensing registration state (`Key: value` lines)",
                GET,
                Shape::View {
                    answer: &licensing::INFO_SCHEMA,
                },
            ),
            |_| Target::Platform(PlatformTarget::LicenseInfo),
        );
        self.add(
            licensing::ACTIVATION_PATH,
            Row::new(
                "Licensing",
                "Permanent activation keys (PUT installs one; active after a reload)",
                GET_PUT,
                Shape::Singleton {
                    item: &licensing::ACTIVATION_SCHEMA,
                },
            ),
            |_| Target::Platform(PlatformTarget::Activation),
        );
    }
}

fn nat_collection_kind(section: Section) -> &'static str {
    match section {
        Section::Auto => nat_json::OBJECT_COLLECTION_KIND,
        Section::Before | Section::After => nat_json::TWICE_COLLECTION_KIND,
    }
}

fn collection_shape(item: &'static Object, collection_kind: &'static str) -> Shape {
    Shape::Collection {
        item,
        collection_kind,
    }
}

/// The `i`th decoded parameter (the template guarantees it is there).
fn param(params: &[String], i: usize) -> String {
    params.get(i).cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The full scan the indexes replace: most literal segments, then declaration order.
    fn scan(segs: &[&str]) -> Option<&'static Endpoint> {
        let mut best: Option<(&'static Endpoint, usize)> = None;
        for e in CATALOGUE.endpoints() {
            if let Some(l) = e.literal_match(segs)
                && best.is_none_or(|(_, b)| l > b)
            {
                best = Some((e, l));
            }
        }
        best.map(|(e, _)| e)
    }

    #[test]
    fn the_indexed_lookup_agrees_with_the_full_scan() {
        // Every template with its parameters filled by a literal of another template, a
        // plain word, and the template's own spelling, plus paths of no template.
        let words = [
            "x",
            "global",
            "in",
            "rules",
            "networkobjects",
            "api",
            "{objectId}",
        ];
        let mut checked = 0;
        for e in CATALOGUE.endpoints() {
            for w in words {
                let path: Vec<&str> = e
                    .path
                    .trim_start_matches('/')
                    .split('/')
                    .map(|s| if s.starts_with('{') { w } else { s })
                    .collect();
                let found = CATALOGUE.find(&path).map(|r| r.endpoint.path.as_str());
                assert_eq!(found, scan(&path).map(|e| e.path.as_str()), "{path:?}");
                assert!(found.is_some(), "{path:?}");
                checked += 1;
            }
        }
        for path in [&["api"][..], &["api", "nothing"], &["x", "y", "z"], &[]] {
            assert_eq!(
                CATALOGUE.find(path).map(|r| r.endpoint.path.as_str()),
                scan(path).map(|e| e.path.as_str())
            );
        }
        assert!(checked > 300);
    }

    #[test]
    fn every_template_is_unique() {
        let mut seen = std::collections::HashSet::new();
        for e in CATALOGUE.endpoints() {
            assert!(seen.insert(e.path.clone()), "{} declared twice", e.path);
        }
    }

    #[test]
    fn every_template_routes_to_itself() {
        for e in CATALOGUE.endpoints() {
            let concrete: Vec<&str> = e
                .path
                .trim_start_matches('/')
                .split('/')
                .map(|s| if s.starts_with('{') { "x" } else { s })
                .collect();
            let routed = CATALOGUE
                .find(&concrete)
                .unwrap_or_else(|| panic!("{} does not route", e.path));
            assert_eq!(routed.endpoint.path, e.path);
        }
    }

    #[test]
    fn literal_segments_win_over_parameters() {
        let routed = CATALOGUE
            .find(&["api", "access", "global", "rules"])
            .unwrap();
        assert_eq!(routed.endpoint.path, "/api/access/global/rules");
        let routed = CATALOGUE.find(&["api", "interfaces", "setup"]).unwrap();
        assert_eq!(routed.target, Target::Interfaces(IfTarget::Setup));
    }

    #[test]
    fn only_cli_tokens_monitoring_and_the_document_are_served_in_multiple_mode() {
        for e in CATALOGUE.endpoints() {
            let expected = e.path.starts_with("/api/monitoring/")
                || e.path.starts_with("/api/tokenservices")
                || e.path == "/api/cli"
                || e.path == "/api/openapi.json"
                || e.path.starts_with("/doc");
            assert_eq!(e.multi_context, expected, "{}", e.path);
        }
    }

    #[test]
    fn privileges_follow_cisco() {
        for e in CATALOGUE.endpoints() {
            for m in e.methods {
                let p = e.privilege(m);
                match e.access {
                    Access::Monitoring => assert_eq!(p, Some(3)),
                    Access::Standard if *m == Method::GET => assert_eq!(p, Some(5)),
                    Access::Standard => assert_eq!(p, Some(15), "{m} {}", e.path),
                    Access::Cli | Access::Token => assert_eq!(p, None),
                }
            }
        }
    }
}
