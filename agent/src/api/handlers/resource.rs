//! Generic CRUD over any [`Resource`]: list and get from the snapshot; create, replace,
//! patch and delete by sending the translator's CLI to LINA as one atomic batch, then
//! patching the snapshot.

use bytes::Bytes;
use cli_translator::resources::local_user::LocalUser;
use cli_translator::resources::network_object::NetworkObject;
use cli_translator::resources::network_object_group::NetworkObjectGroup;
use cli_translator::resources::regex::Regex;
use cli_translator::resources::security_group::SecurityObjectGroup;
use cli_translator::resources::service_group::ServiceGroup;
use cli_translator::resources::service_object::ServiceObject;
use cli_translator::resources::time_range::TimeRange;
use cli_translator::resources::user_group::LocalUserGroup;
use cli_translator::resources::user_object::UserObject;
use cli_translator::resources::{FieldError, FieldProblem, Resource, ResourceKind, WriteMode};
use hyper::{Method, StatusCode};
use serde_json::Value;

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
        ResourceKind::NetworkObjectGroup => {
            handle_typed::<NetworkObjectGroup>(call, method, scope, body).await
        }
        ResourceKind::ServiceObject => {
            handle_typed::<ServiceObject>(call, method, scope, body).await
        }
        ResourceKind::ServiceGroup => handle_typed::<ServiceGroup>(call, method, scope, body).await,
        ResourceKind::TimeRange => handle_typed::<TimeRange>(call, method, scope, body).await,
        ResourceKind::LocalUser => handle_typed::<LocalUser>(call, method, scope, body).await,
        ResourceKind::Regex => handle_typed::<Regex>(call, method, scope, body).await,
        ResourceKind::LocalUserGroup => {
            handle_typed::<LocalUserGroup>(call, method, scope, body).await
        }
        ResourceKind::SecurityObjectGroup => {
            handle_typed::<SecurityObjectGroup>(call, method, scope, body).await
        }
        ResourceKind::UserObject => handle_typed::<UserObject>(call, method, scope, body).await,
        ResourceKind::MgmtHost => {
            handle_typed::<cli_translator::resources::mgmt_host::MgmtHost>(
                call, method, scope, body,
            )
            .await
        }
        ResourceKind::NtpServer => {
            handle_typed::<cli_translator::resources::ntp::NtpServer>(call, method, scope, body)
                .await
        }
        ResourceKind::StaticRoute => {
            handle_typed::<cli_translator::resources::route::StaticRoute>(call, method, scope, body)
                .await
        }
    }
}

async fn handle_typed<R: Resource>(
    call: &Call<'_>,
    method: &Method,
    scope: Scope<'_>,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    if R::READ_ONLY && method != Method::GET {
        // The router already refuses this; kept so the handler never writes such a type.
        return Err(ApiError::MethodNotAllowed {
            method: method.clone(),
            allow: &[Method::GET],
        });
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
    let snap = call.snapshot().await?;
    let collection = R::collection(&snap.config);
    let all = collection.page(0, collection.len());
    Ok(paging::page(
        call,
        R::COLLECTION_KIND,
        R::PATH,
        all,
        |_, item| item.to_json(&call.origin.item_url(R::PATH, item.object_id())),
    ))
}

/// `GET` on one object.
async fn get<R: Resource>(call: &Call<'_>, id: &str) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let item = R::collection(&snap.config)
        .get(id)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    let body = item.to_json(&call.origin.item_url(R::PATH, id));
    Ok(response::json(StatusCode::OK, &body))
}

/// `POST` on the collection: 201 with `Location`.
async fn create<R: Resource>(call: &Call<'_>, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let body = Value::Object(json_body::parse_object(body)?);
    let mut item = R::from_json(&body, WriteMode::Create)?;
    let id = item.object_id().to_owned();
    let _serial = call.write_lock().await;
    let snap = call.snapshot().await?;
    if R::collection(&snap.config).contains(&id) {
        return Err(ApiError::Duplicate(id));
    }
    item.resolve(&snap.config)?;
    // Release our hold on the snapshot before patching it, or the patch copies it whole.
    drop(snap);
    let result = call.configure(item.cli_create()).await?;
    let location = call.origin.item_url(R::PATH, &id);
    if R::PATCH_IN_PLACE {
        call.apply_write(result.generation, |cfg| R::collection_mut(cfg).insert(item));
    } else {
        call.apply_write_then_reload(result.generation, |cfg| R::collection_mut(cfg).insert(item));
    }
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
    let _serial = call.write_lock().await;
    let snap = call.snapshot().await?;
    let existing = R::collection(&snap.config)
        .get(id)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    refuse_predefined(existing)?;
    let mode = if patch {
        WriteMode::Patch { id, existing }
    } else {
        WriteMode::Replace { id, existing }
    };
    let mut item = R::from_json(&body, mode)?;
    item.resolve(&snap.config)?;
    let new_id = item.object_id().to_owned();
    if new_id != id && R::collection(&snap.config).contains(&new_id) {
        return Err(ApiError::Duplicate(new_id));
    }
    let location = call.origin.item_url(R::PATH, &new_id);
    let commands = R::cli_replace(existing, &item);
    drop(snap);
    if !commands.is_empty() {
        let result = call.configure(commands).await?;
        if R::PATCH_IN_PLACE {
            call.apply_write(result.generation, |cfg| {
                R::collection_mut(cfg).replace(id, item);
            });
        } else {
            call.apply_write_then_reload(result.generation, |cfg| {
                R::collection_mut(cfg).replace(id, item);
            });
        }
    }
    response::with_location(StatusCode::NO_CONTENT, &location)
}

/// `DELETE` on one object: 204. LINA's refusal (object in use) is a 400 with its text.
async fn delete<R: Resource>(call: &Call<'_>, id: &str) -> Result<ApiResponse, ApiError> {
    let _serial = call.write_lock().await;
    let snap = call.snapshot().await?;
    let existing = R::collection(&snap.config)
        .get(id)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    refuse_predefined(existing)?;
    let commands = existing.cli_delete();
    drop(snap);
    let result = call.configure(commands).await?;
    call.apply_write(result.generation, |cfg| {
        R::collection_mut(cfg).remove(id);
    });
    Ok(response::empty(StatusCode::NO_CONTENT))
}

/// Predefined items are read-only: PUT, PATCH and DELETE fail naming `objectId`.
fn refuse_predefined<R: Resource>(item: &R) -> Result<(), ApiError> {
    if item.is_predefined() {
        return Err(ApiError::Field(FieldError::new(
            "objectId",
            FieldProblem::ReadOnly,
        )));
    }
    Ok(())
}
