//! The OpenAPI 3.1 document (`GET /api/openapi.json`), generated from the catalogue: one
//! path per endpoint template, one operation per verb, bodies from the schema table.
//!
//! The document is built once per origin (scheme and host decide `servers`) and kept: it
//! changes only with the binary.

use std::collections::BTreeSet;
use std::sync::Mutex;

use bytes::Bytes;
use cli_translator::schema::{self, Object, Type};
use hyper::{Method, StatusCode};
use serde_json::{Map, Value, json};

use super::catalogue::{Access, CATALOGUE, Endpoint, Identity, Shape};
use super::handlers::Call;
use super::response::{self, ApiResponse};

/// Every status an error can carry: the agent's (`error.rs`) and the front-end's
/// (`frontend/rejection.rs`, which answers 413 and 503 before the agent sees a request).
const ERROR_STATUSES: [(&str, &str); 10] = [
    (
        "400",
        "Bad request: the body, a query parameter or the URL is invalid (`messages` says which attribute).",
    ),
    (
        "401",
        "Authentication failed, or no credentials were given.",
    ),
    (
        "403",
        "The user's privilege level is below what the operation needs.",
    ),
    (
        "404",
        "No such resource (`details` contains `RESOURCE-NOT-FOUND`).",
    ),
    (
        "405",
        "The verb is not allowed on this resource (`Allow` lists those that are).",
    ),
    (
        "409",
        "The configuration changed under the request too often to apply it.",
    ),
    (
        "412",
        "`If-Match` does not match the item's current `ETag`.",
    ),
    ("413", "The request body is larger than the agent accepts."),
    (
        "500",
        "The device refused the change for a reason no other status describes.",
    ),
    (
        "503",
        "The agent is starting, stopped, or the context holds 25 sessions already.",
    ),
];

/// The document for `origin` (e.g. `https://192.0.2.1:443`), built once and cached.
pub fn document(origin: &str) -> Bytes {
    static CACHE: Mutex<Option<(String, Bytes)>> = Mutex::new(None);
    // A std Mutex: no `.await` happens while it is held.
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((o, doc)) = cache.as_ref()
        && o == origin
    {
        return doc.clone();
    }
    let doc = Bytes::from(build(origin).to_string());
    *cache = Some((origin.to_owned(), doc.clone()));
    doc
}

/// `GET /api/openapi.json`.
pub fn answer(call: &Call<'_>) -> ApiResponse {
    response::json_bytes(StatusCode::OK, document(&call.origin.url("")))
}

/// Builds the document.
pub fn build(origin: &str) -> Value {
    let mut components = Map::new();
    let mut paths = Map::new();
    let mut tags = BTreeSet::new();
    let mut operation_ids = BTreeSet::new();
    for endpoint in CATALOGUE.endpoints() {
        if matches!(endpoint.shape, Shape::Page) {
            continue;
        }
        tags.insert(endpoint.tag);
        let mut item = Map::new();
        for method in endpoint.methods {
            let op = operation(endpoint, method, &mut components, &mut operation_ids);
            item.insert(method.as_str().to_ascii_lowercase(), op);
        }
        paths.insert(endpoint.path.clone(), Value::Object(item));
    }
    let error = Type::Object(&schema::MESSAGES).json_schema(&mut components);
    let bulk = Type::Object(&super::schemas::BULK_RESPONSE).json_schema(&mut components);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "ASA REST API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The Cisco ASA REST API, as this agent serves it. Every request is authenticated (HTTP Basic, or the `X-Auth-Token` of the token service). Privilege levels: 3 for monitoring, 5 for other reads, 15 for writes. Schemas marked as defined by this agent are ours where no public source gives Cisco's shape."
        },
        "servers": [{"url": origin}],
        "security": [{"basicAuth": []}, {"tokenAuth": []}],
        "tags": tags.iter().map(|t| json!({"name": t})).collect::<Vec<_>>(),
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic"},
                "tokenAuth": {"type": "apiKey", "in": "header", "name": "X-Auth-Token"}
            },
            "responses": {
                "Error": {
                    "description": "An error, in the ASA's error format.",
                    "content": {"application/json": {"schema": error}}
                },
                "BulkError": {
                    "description": "A bulk request that was not applied: the ASA's error format, or the messages of every entry.",
                    "content": {"application/json": {"schema": {"anyOf": [error, bulk]}}}
                }
            }
        }
    })
}

fn operation(
    endpoint: &Endpoint,
    method: &Method,
    components: &mut Map<String, Value>,
    ids: &mut BTreeSet<String>,
) -> Value {
    let mut op = Map::new();
    op.insert("tags".into(), json!([endpoint.tag]));
    op.insert("summary".into(), json!(endpoint.summary));
    op.insert(
        "operationId".into(),
        json!(operation_id(method, &endpoint.path, ids)),
    );
    op.insert(
        "description".into(),
        json!(privilege_text(endpoint, method)),
    );
    let parameters = parameters(endpoint, method);
    if !parameters.is_empty() {
        op.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(body) = request_body(endpoint, method, components) {
        op.insert("requestBody".into(), body);
    }
    let mut responses = success(endpoint, method, components);
    // A bulk request that fails answers the per-entry messages under the failing entry's status.
    let error = if is_bulk(endpoint) {
        "BulkError"
    } else {
        "Error"
    };
    for (status, _) in ERROR_STATUSES {
        responses.insert(
            status.into(),
            json!({"$ref": format!("#/components/responses/{error}")}),
        );
    }
    let dry_run = parameters_named(op.get("parameters"), "dryRun");
    if dry_run && !responses.contains_key("200") {
        let lines = json!({"type": "object", "properties": {"commands": {"type": "array", "items": {"type": "string"}, "description": "The CLI lines the write would send."}}});
        responses.insert(
            "200".into(),
            json_answer(
                "`dryRun=true`: the lines that would be sent; nothing applied.",
                lines,
            ),
        );
    }
    op.insert("responses".into(), Value::Object(responses));
    if endpoint.access == Access::Token {
        // Token creation takes Basic credentials; deletion both (Cisco's text).
        op.insert("security".into(), json!([{"basicAuth": []}]));
    }
    Value::Object(op)
}

fn parameters_named(parameters: Option<&Value>, name: &str) -> bool {
    parameters
        .and_then(Value::as_array)
        .is_some_and(|ps| ps.iter().any(|p| p["name"] == name))
}

/// `getApiObjectsNetworkobjectsObjectId`-style ids, unique in the document.
fn operation_id(method: &Method, path: &str, ids: &mut BTreeSet<String>) -> String {
    let mut id = method.as_str().to_ascii_lowercase();
    for word in path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            id.push(first.to_ascii_uppercase());
            id.extend(chars);
        }
    }
    let mut unique = id.clone();
    let mut n = 2;
    while !ids.insert(unique.clone()) {
        unique = format!("{id}{n}");
        n += 1;
    }
    unique
}

fn privilege_text(endpoint: &Endpoint, method: &Method) -> String {
    let who = match endpoint.privilege(method) {
        Some(level) => format!("Needs privilege level {level} or more."),
        None if endpoint.access == Access::Cli => {
            "Needs privilege level 5 when every command is a `show` command, 15 otherwise."
                .to_owned()
        }
        None => "Needs valid credentials (HTTP Basic).".to_owned(),
    };
    let contexts = if endpoint.multi_context {
        " Served in multiple-context mode; `context` selects the security context."
    } else {
        " Not served in multiple-context mode."
    };
    format!("{who}{contexts}")
}

fn parameters(endpoint: &Endpoint, method: &Method) -> Vec<Value> {
    let identity = match endpoint.shape {
        Shape::Item { identity, .. } => Some(identity),
        _ => None,
    };
    let mut out: Vec<Value> = endpoint
        .parameters()
        .map(|name| {
            let description = match (name, identity) {
                ("objectId" | "token", Some(identity)) => identity.describe(),
                ("interface", _) => "The interface's name (nameif), e.g. `inside`.",
                ("aclName", _) => "The extended ACL's name.",
                ("objectId", None) => Identity::Name.describe(),
                _ => "Path parameter.",
            };
            json!({"name": name, "in": "path", "required": true, "description": description, "schema": {"type": "string"}})
        })
        .collect();
    if matches!(endpoint.shape, Shape::Collection { .. }) && *method == Method::GET {
        out.push(json!({"name": "offset", "in": "query", "description": "Index of the first item to return.", "schema": {"type": "integer", "minimum": 0}}));
        out.push(json!({"name": "limit", "in": "query", "description": "Most items to return (at most 100).", "schema": {"type": "integer", "minimum": 0}}));
    }
    let writes = *method != Method::GET;
    let configuration = matches!(
        endpoint.shape,
        Shape::Collection { .. } | Shape::Item { .. } | Shape::Singleton { .. }
    ) || is_bulk(endpoint);
    if writes && configuration {
        out.push(json!({"name": "dryRun", "in": "query", "description": "`true`: answer the CLI lines the write would send (200) and apply nothing. Not in Cisco's agent.", "schema": {"type": "boolean", "default": false}}));
    }
    if matches!(endpoint.shape, Shape::Item { .. }) && endpoint.access == Access::Standard {
        let (name, what) = if writes {
            (
                "If-Match",
                "Apply only if the item's current `ETag` is one of these (412 otherwise). Not in Cisco's agent.",
            )
        } else {
            (
                "If-None-Match",
                "Answer 304 if the item's current `ETag` is one of these. Not in Cisco's agent.",
            )
        };
        out.push(json!({"name": name, "in": "header", "description": what, "schema": {"type": "string"}}));
    }
    if endpoint.multi_context {
        out.push(json!({"name": "context", "in": "query", "description": "Security context (multiple-context mode).", "schema": {"type": "string", "pattern": "^[^\\s]+$"}}));
    }
    out
}

fn is_bulk(endpoint: &Endpoint) -> bool {
    matches!(endpoint.shape, Shape::Action { answer: Some(a), .. } if std::ptr::eq(a, &super::schemas::BULK_RESPONSE))
}

fn body_of(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

fn request_body(
    endpoint: &Endpoint,
    method: &Method,
    components: &mut Map<String, Value>,
) -> Option<Value> {
    let writes = *method == Method::POST || *method == Method::PUT || *method == Method::PATCH;
    if !writes {
        return None;
    }
    match endpoint.shape {
        Shape::Collection { item, .. } | Shape::Item { item, .. } | Shape::Singleton { item } => {
            Some(body_of(item.schema_ref(components)))
        }
        Shape::Action {
            request: Some(t), ..
        } => Some(body_of(t.json_schema(components))),
        Shape::Action { request: None, .. } | Shape::View { .. } | Shape::Page => None,
    }
}

fn json_answer(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn location(description: &str) -> Value {
    json!({"description": description, "headers": {"Location": {"description": "Full URL of the item (its possibly new objectId last).", "schema": {"type": "string"}}}})
}

fn envelope(
    item: &'static Object,
    collection_kind: &str,
    components: &mut Map<String, Value>,
) -> Value {
    json!({
        "type": "object",
        "required": ["kind", "selfLink", "rangeInfo", "items"],
        "properties": {
            "kind": {"type": "string", "enum": [collection_kind]},
            "selfLink": {"type": "string", "format": "uri"},
            "rangeInfo": Type::Object(&schema::RANGE_INFO).json_schema(components),
            "items": {"type": "array", "items": item.schema_ref(components)}
        }
    })
}

fn success(
    endpoint: &Endpoint,
    method: &Method,
    components: &mut Map<String, Value>,
) -> Map<String, Value> {
    let mut r = Map::new();
    let mut put = |status: &str, v: Value| {
        r.insert(status.to_owned(), v);
    };
    match (endpoint.shape, method.as_str()) {
        (
            Shape::Collection {
                item,
                collection_kind,
            },
            "GET",
        ) => put(
            "200",
            json_answer(
                "One page of the collection.",
                envelope(item, collection_kind, components),
            ),
        ),
        // issue 15: a PKCS#12 import answers 201 with a messages body (wire-format page, 0); a
        // self-signed enrolment answers 201 with none, so the body is described, not typed (a
        // typed body would say every 201 has one).
        (Shape::Collection { item, .. }, _)
            if std::ptr::eq(item, &super::schemas::IDENTITY_CERTIFICATE) =>
        {
            put(
                "201",
                location(
                    "Created. A PKCS#12 import also answers its messages (`application/json`, \
                     `{\"messages\":[{\"level\":\"Warning\",\"code\":\"\",\"details\":\"Import PKCS12 \
                     operation completed successfully.\"}]}`); a self-signed enrolment answers no body.",
                ),
            );
        }
        (Shape::Collection { .. }, _) => put("201", location("Created.")),
        (Shape::Item { item, .. }, "GET") if endpoint.access == Access::Standard => {
            let mut answer = json_answer("The item, with its `ETag`.", item.schema_ref(components));
            answer["headers"] = json!({"ETag": {"description": "Strong tag of the item's configuration.", "schema": {"type": "string"}}});
            put("200", answer);
            put(
                "304",
                json!({"description": "`If-None-Match` matched: the item has not changed."}),
            );
        }
        (Shape::Item { item, .. } | Shape::Singleton { item }, "GET") => {
            put("200", json_answer("The item.", item.schema_ref(components)))
        }
        (Shape::Item { .. } | Shape::Singleton { .. }, "DELETE") => {
            put("204", json!({"description": "Deleted."}))
        }
        (Shape::Item { .. } | Shape::Singleton { .. }, _) => put("204", location("Changed.")),
        (Shape::View { answer }, _) => put(
            "200",
            json_answer("The answer.", answer.schema_ref(components)),
        ),
        (
            Shape::Action {
                answer: Some(answer),
                ..
            },
            _,
        ) => put("200", json_answer("Done.", answer.schema_ref(components))),
        (Shape::Action { answer: None, .. }, _) if endpoint.access == Access::Token => put(
            "204",
            json!({"description": "The token, in `X-Auth-Token`.", "headers": {"X-Auth-Token": {"schema": {"type": "string"}}}}),
        ),
        (Shape::Action { answer: None, .. } | Shape::Page, _) => {
            put("204", json!({"description": "Done."}))
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        build("https://198.51.100.1:443")
    }

    #[test]
    fn every_api_endpoint_and_verb_is_documented() {
        let doc = doc();
        for e in CATALOGUE.endpoints() {
            if matches!(e.shape, Shape::Page) {
                assert!(doc["paths"].get(&e.path).is_none(), "{}", e.path);
                continue;
            }
            for m in e.methods {
                let op = &doc["paths"][&e.path][m.as_str().to_ascii_lowercase()];
                assert!(op.is_object(), "{m} {} missing", e.path);
                assert!(op["responses"]["401"].is_object());
            }
        }
    }

    #[test]
    fn operation_ids_are_unique() {
        let doc = doc();
        let mut seen = BTreeSet::new();
        for (_, item) in doc["paths"].as_object().unwrap() {
            for (_, op) in item.as_object().unwrap() {
                let id = op["operationId"].as_str().unwrap().to_owned();
                assert!(seen.insert(id.clone()), "{id} twice");
            }
        }
    }

    #[test]
    fn every_reference_resolves() {
        let doc = doc();
        let text = doc.to_string();
        for piece in text.split("\"$ref\":\"#/components/").skip(1) {
            let target = piece.split('"').next().unwrap();
            let mut node = &doc["components"];
            for part in target.split('/') {
                node = &node[part];
            }
            assert!(node.is_object(), "dangling $ref {target}");
        }
    }

    #[test]
    fn collections_document_paging_and_items_their_ids() {
        let doc = doc();
        let list = &doc["paths"]["/api/objects/networkobjects"]["get"];
        let names: Vec<&str> = list["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["offset", "limit"]);
        let item = &doc["paths"]["/api/objects/networkobjects/{objectId}"]["put"];
        assert_eq!(item["parameters"][0]["in"], "path");
        assert!(item["responses"]["204"]["headers"]["Location"].is_object());
        let created = &doc["paths"]["/api/objects/networkobjects"]["post"]["responses"]["201"];
        assert!(created["headers"]["Location"].is_object());
    }

    #[test]
    fn dry_run_and_conditional_headers_are_documented() {
        let doc = doc();
        let names = |op: &Value| -> Vec<String> {
            op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| p["name"].as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default()
        };
        let item = &doc["paths"]["/api/objects/networkobjects/{objectId}"];
        assert!(names(&item["put"]).contains(&"dryRun".to_owned()));
        assert!(names(&item["put"]).contains(&"If-Match".to_owned()));
        assert!(
            item["put"]["responses"]["200"].is_object(),
            "dry run answers 200"
        );
        assert!(names(&item["get"]).contains(&"If-None-Match".to_owned()));
        assert!(item["get"]["responses"]["304"].is_object());
        assert!(item["get"]["responses"]["200"]["headers"]["ETag"].is_object());
        assert!(names(&doc["paths"]["/api"]["post"]).contains(&"dryRun".to_owned()));
        assert!(
            !names(&doc["paths"]["/api/commands/writemem"]["post"]).contains(&"dryRun".to_owned())
        );
        assert!(!names(&doc["paths"]["/api/monitoring/arp"]["get"]).contains(&"dryRun".to_owned()));
    }

    #[test]
    fn a_failed_bulk_documents_both_error_shapes() {
        let doc = doc();
        let bulk = &doc["paths"]["/api"]["post"]["responses"]["400"];
        assert_eq!(bulk["$ref"], "#/components/responses/BulkError");
        let any = &doc["components"]["responses"]["BulkError"]["content"]["application/json"]["schema"]
            ["anyOf"];
        assert_eq!(any.as_array().map(Vec::len), Some(2));
        let cli = &doc["paths"]["/api/cli"]["post"]["responses"]["400"];
        assert_eq!(cli["$ref"], "#/components/responses/Error");
    }

    #[test]
    fn the_document_is_cached_per_origin() {
        let a = document("https://a:1");
        let b = document("https://a:1");
        assert_eq!(a.as_ptr(), b.as_ptr());
        let c = document("https://b:2");
        assert!(String::from_utf8_lossy(&c).contains("https://b:2"));
    }
}
