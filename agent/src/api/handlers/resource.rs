//! Generic CRUD over any [`Resource`]: list and get from the snapshot; create, replace,
//! patch and delete are planned here (the translator's CLI and the snapshot patch) and
//! applied by the executor as one conditional atomic batch.

use bytes::Bytes;
use cli_translator::resources::{FieldError, FieldProblem, Resource, ResourceKind, WriteMode};
use cli_translator::running::RunningConfig;
use hyper::Method;
use serde_json::Value;

use super::Call;
use crate::api::error::ApiError;
use crate::api::executor;
use crate::api::json_body;
use crate::api::links::Origin;
use crate::api::paging;
use crate::api::plan::{Plan, Preconditions};
use crate::api::response::ApiResponse;

/// What the URL named within a resource type.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Collection,
    Item(&'a str),
}

/// Dispatches to the typed handler of `kind`: the table's runtime kind becomes its Rust type
/// through `with_resource_type!`, generated from the `resources!` table (no line here per
/// resource).
pub async fn handle(
    kind: ResourceKind,
    call: &Call<'_>,
    method: &Method,
    scope: Scope<'_>,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    cli_translator::with_resource_type!(kind, R => handle_typed::<R>(call, method, scope, body).await)
}

async fn handle_typed<R: Resource + Send + 'static>(
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
        // Writes are boxed: their futures (planning, the executor, retries) are large, and
        // the reads, far more frequent, should not build and move futures of that size.
        (Scope::Collection, &Method::POST) => Box::pin(create::<R>(call, &body)).await,
        (Scope::Item(id), &Method::GET) => get::<R>(call, id).await,
        (Scope::Item(id), &Method::PUT) => Box::pin(update::<R>(call, id, &body, false)).await,
        (Scope::Item(id), &Method::PATCH) => Box::pin(update::<R>(call, id, &body, true)).await,
        (Scope::Item(id), &Method::DELETE) => Box::pin(delete::<R>(call, id)).await,
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
    Ok(paging::page_of(
        call,
        R::COLLECTION_KIND,
        R::PATH,
        collection.len(),
        |range| collection.range(range),
        |_, item| answer::<R>(call, item, &call.origin.item_url(R::PATH, item.object_id())),
    ))
}

/// An item's JSON as `call`'s user may read it: below privilege 15 without its secrets.
fn answer<R: Resource>(call: &Call<'_>, item: &R, self_link: &str) -> serde_json::Value {
    let mut json = item.to_json(self_link);
    if call.session.privilege < crate::api::auth::WRITE_PRIVILEGE {
        R::redact_below_15(&mut json);
    }
    json
}

/// `GET` on one object.
async fn get<R: Resource>(call: &Call<'_>, id: &str) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let item = R::collection(&snap.config)
        .get(id)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    let body = answer::<R>(call, item, &call.origin.item_url(R::PATH, id));
    Ok(call
        .preconditions
        .tagged_item_response(&body, crate::api::etag::etag_of_item(item)))
}

/// `POST` on the collection: 201 with `Location`.
async fn create<R: Resource + Send + 'static>(
    call: &Call<'_>,
    body: &[u8],
) -> Result<ApiResponse, ApiError> {
    let body = Value::Object(json_body::parse_object(body)?);
    let item = R::from_json(&body, WriteMode::Create)?;
    let location = call.origin.item_url(R::PATH, item.object_id());
    executor::execute(call, |cfg, _| plan_create::<R>(cfg, &item, &location)).await
}

/// Plans a create: the id must be free and the item's references must resolve.
pub fn plan_create<R: Resource + Send + 'static>(
    cfg: &RunningConfig,
    item: &R,
    location: &str,
) -> Result<Plan, ApiError> {
    let id = item.object_id();
    if R::collection(cfg).contains(id) {
        return Err(ApiError::Duplicate(id.to_owned()));
    }
    let mut item = item.clone();
    item.resolve(cfg)?;
    let plan = Plan::created(location.to_owned())
        .send(item.cli_create())
        .patch(move |cfg| R::collection_mut(cfg).insert(item));
    Ok(follow::<R>(plan))
}

/// `PUT` (replace) or `PATCH` (merge) on one object: 204 with `Location` (the id may change).
async fn update<R: Resource + Send + 'static>(
    call: &Call<'_>,
    id: &str,
    body: &[u8],
    patch: bool,
) -> Result<ApiResponse, ApiError> {
    let body = Value::Object(json_body::parse_object(body)?);
    executor::execute(call, |cfg, pre| {
        plan_update::<R>(cfg, pre, id, &body, patch, &call.origin)
    })
    .await
}

/// Plans a replace or merge of the object `id` as the snapshot holds it.
pub fn plan_update<R: Resource + Send + 'static>(
    cfg: &RunningConfig,
    pre: &Preconditions,
    id: &str,
    body: &Value,
    patch: bool,
    origin: &Origin,
) -> Result<Plan, ApiError> {
    let existing = R::collection(cfg)
        .get(id)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    pre.item(&existing.cli_create())?;
    refuse_predefined(existing)?;
    let mode = if patch {
        WriteMode::Patch { id, existing }
    } else {
        WriteMode::Replace { id, existing }
    };
    let mut item = R::from_json(body, mode)?;
    item.resolve(cfg)?;
    let new_id = item.object_id().to_owned();
    if new_id != id && R::collection(cfg).contains(&new_id) {
        return Err(ApiError::Duplicate(new_id));
    }
    let plan = Plan::updated(origin.item_url(R::PATH, &new_id));
    let commands = R::cli_replace(existing, &item);
    if commands.is_empty() {
        return Ok(plan);
    }
    let id = id.to_owned();
    let plan = plan.send(commands).patch(move |cfg| {
        R::collection_mut(cfg).replace(&id, item);
    });
    Ok(follow::<R>(plan))
}

/// `DELETE` on one object: 204. LINA's refusal (object in use) is a 400 with its text.
async fn delete<R: Resource + Send + 'static>(
    call: &Call<'_>,
    id: &str,
) -> Result<ApiResponse, ApiError> {
    executor::execute(call, |cfg, pre| plan_delete::<R>(cfg, pre, id)).await
}

/// Plans removing the object `id`.
pub fn plan_delete<R: Resource + Send + 'static>(
    cfg: &RunningConfig,
    pre: &Preconditions,
    id: &str,
) -> Result<Plan, ApiError> {
    let existing = R::collection(cfg)
        .get(id)
        .ok_or_else(|| ApiError::ObjectNotFound(id.to_owned()))?;
    pre.item(&existing.cli_create())?;
    refuse_predefined(existing)?;
    let id = id.to_owned();
    Ok(Plan::deleted()
        .send(existing.cli_delete())
        .patch(move |cfg| {
            R::collection_mut(cfg).remove(&id);
        }))
}

/// The canonical configuration of an item, from which its ETag is derived.
pub fn canonical_lines<R: Resource>(item: &R) -> Vec<String> {
    item.cli_create()
}

/// Resources the device stores differently than written (hashed passwords) reload after.
fn follow<R: Resource>(plan: Plan) -> Plan {
    if R::PATCH_IN_PLACE {
        plan
    } else {
        plan.reload_after()
    }
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
