//! Generic CRUD over any [`Resource`]: list and get from the snapshot; create, replace,
//! patch and delete by sending the translator's CLI to LINA as one atomic batch, then
//! patching the snapshot.

use bytes::Bytes;
use cli_translator::resources::network_object::NetworkObject;
use cli_translator::resources::{Resource, ResourceKind, WriteMode};
use hyper::{Method, StatusCode};
use serde_json::{Value, json};

use super::Call;
use crate::api::error::ApiError;
use crate::api::json_body;
use crate::api::paging;
use crate::api::response::{self, ApiResponse};

/// What the URL named within a resource type.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Collection,
    Item(&'a str),
}

/// Dispatches to the typed handler of `kind`: the one place that turns the table's runtime
/// kind into its Rust type (one line per resource).
pub async fn handle(
    kind: ResourceKind,
    call: &Call<'_>,
    method: &Method,
    scope: Scope<'_>,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    match kind {
        ResourceKind::NetworkObject => {
            handle_typed::<NetworkObject>(call, method, scope, body).await
        }
    }
}

async fn handle_typed<R: Resource>(
    call: &Call<'_>,
    method: &Method,
    scope: Scope<'_>,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    if call.query.context.is_some() {
        return Err(ApiError::ContextNotSupported);
    }
    match (scope, method) {
        (Scope::Collection, &Method::GET) => list::<R>(call).await,
        (Scope::Collection, &Method::POST) => create::<R>(call, &body).await,
        (Scope::Item(id), &Method::GET) => get::<R>(call, id).await,
        (Scope::Item(id), &Method::PUT) => update::<R>(call, id, &body, false).await,
        (Scope::Item(id), &Method::PATCH) => update::<R>(call, id, &body, true).await,
        (Scope::Item(id), &Method::DELETE) => delete::<R>(call, id).await,
        // The router checked the verb; this is only reached if the two disagree.
        (Scope::Collection, m) => Err(ApiError::MethodNotAllowed {
            method: m.clone(),
            allow: &[Method::GET, Method::POST],
        }),
        (Scope::Item(_), m) => Err(ApiError::MethodNotAllowed {
            method: m.clone(),
            allow: &[Method::GET, Method::PUT, Method::PATCH, Method::DELETE],
        }),
    }
}

/// `GET` on the collection: one page, serialised from the snapshot.
async fn list<R: Resource>(call: &Call<'_>) -> Result<ApiResponse, ApiError> {
    let snap = call
        .state
        .snapshot
        .at_least(call.session.generation)
        .await?;
    let collection = R::collection(&snap.config);
    let (range, range_info) = paging::window(collection.len(), call.query.offset, call.query.limit);
    let items: Vec<Value> = collection
        .page(range.start, range.len())
        .iter()
        .map(|item| item.to_json(&call.origin.item_url(R::PATH, item.object_id())))
        .collect();
    let body = json!({
        "kind": R::COLLECTION_KIND,
        "selfLink": call.origin.url(R::PATH),
        "rangeInfo": range_info,
        "items": items,
    });
    Ok(response::json(StatusCode::OK, &body))
}

/// `GET` on one object.
async fn get<R: Resource>(call: &Call<'_>, id: &str) -> Result<ApiResponse, ApiError> {
    let snap = call
        .state
        .snapshot
        .at_least(call.session.generation)
        .await?;
    let item = R::collection(&snap.config)
        .get(id)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    let body = item.to_json(&call.origin.item_url(R::PATH, id));
    Ok(response::json(StatusCode::OK, &body))
}

/// `POST` on the collection: 201 with `Location`.
async fn create<R: Resource>(call: &Call<'_>, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let body = Value::Object(json_body::parse_object(body)?);
    let item = R::from_json(&body, WriteMode::Create)?;
    let id = item.object_id().to_owned();
    let _serial = call.state.writes.lock().await;
    let snap = call
        .state
        .snapshot
        .at_least(call.session.generation)
        .await?;
    if R::collection(&snap.config).contains(&id) {
        return Err(ApiError::Duplicate(id));
    }
    let result = call.configure(item.cli_create()).await?;
    let location = call.origin.item_url(R::PATH, &id);
    call.state
        .snapshot
        .apply_write(result.generation, |cfg| R::collection_mut(cfg).insert(item));
    response::with_location(StatusCode::CREATED, &location)
}

/// `PUT` (replace) or `PATCH` (merge) on one object: 204 with `Location` (the id may change).
async fn update<R: Resource>(
    call: &Call<'_>,
    id: &str,
    body: &[u8],
    patch: bool,
) -> Result<ApiResponse, ApiError> {
    let body = Value::Object(json_body::parse_object(body)?);
    let _serial = call.state.writes.lock().await;
    let snap = call
        .state
        .snapshot
        .at_least(call.session.generation)
        .await?;
    let existing = R::collection(&snap.config)
        .get(id)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    let mode = if patch {
        WriteMode::Patch { id, existing }
    } else {
        WriteMode::Replace { id, existing }
    };
    let item = R::from_json(&body, mode)?;
    let new_id = item.object_id().to_owned();
    if new_id != id && R::collection(&snap.config).contains(&new_id) {
        return Err(ApiError::Duplicate(new_id));
    }
    let location = call.origin.item_url(R::PATH, &new_id);
    let commands = R::cli_replace(existing, &item);
    if !commands.is_empty() {
        let result = call.configure(commands).await?;
        call.state.snapshot.apply_write(result.generation, |cfg| {
            R::collection_mut(cfg).replace(id, item);
        });
    }
    response::with_location(StatusCode::NO_CONTENT, &location)
}

/// `DELETE` on one object: 204. LINA's refusal (object in use) is a 400 with its text.
async fn delete<R: Resource>(call: &Call<'_>, id: &str) -> Result<ApiResponse, ApiError> {
    let _serial = call.state.writes.lock().await;
    let snap = call
        .state
        .snapshot
        .at_least(call.session.generation)
        .await?;
    let existing = R::collection(&snap.config)
        .get(id)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    let result = call.configure(existing.cli_delete()).await?;
    call.state.snapshot.apply_write(result.generation, |cfg| {
        R::collection_mut(cfg).remove(id);
    });
    Ok(response::empty(StatusCode::NO_CONTENT))
}
