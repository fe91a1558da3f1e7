//! `POST /api`, the bulk API: up to 1000 `{"method","resourceUri","data"}` operations applied
//! in order and atomically, as ONE atomic batch on LINA.
//!
//! Each entry goes through the same routing, verb and privilege checks and handler as the
//! request it stands for, with a [`Call`] whose [`Stage`] redirects the executor: the entry's
//! handler plans on the staged configuration (so an entry sees what earlier entries created),
//! and `executor::execute` folds the plan into the stage ([`Stage::add`]) instead of sending
//! it: its commands join the batch, remembering their entry, and its patch applies to the
//! staged copy. The bulk holds the one write lock for the whole request. Once every entry is
//! staged, all commands go to LINA as one atomic Exec carrying the stage's base generation; a
//! stale refusal stages the whole bulk again on a reloaded snapshot (409 after
//! `executor::MAX_ATTEMPTS`), and a refused command maps back to its entry. On success the
//! staged configuration becomes the snapshot at LINA's new generation (or the snapshot is
//! reloaded when an entry could not describe its change). `?dryRun=true` stages every entry
//! and answers their lines, sending nothing.
//!
//! Response `{"entryMessages":[...],"commonMessages":[...]}`, one entry message per operation:
//! `{"method","resourceUri","status","location"?,"messages":[...]}` where `messages` holds
//! the failure in the API's error-message shape (`{level, code, context, details}`), or, on
//! the other entries of a bulk that failed (status 424), `NOT-APPLIED` for an entry before the
//! failing one (it was staged, then undone with the rest) and `NOT-ATTEMPTED` for an entry
//! after it (processing stopped at the failure). Overall status: 200 when every entry was
//! applied, 400 when one failed (then nothing was applied).

use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use cli_translator::protocol::{CommandOutcome, ExecResult, Refusal};
use cli_translator::running::RunningConfig;
use hyper::header::LOCATION;
use hyper::{Method, StatusCode};
use serde_json::{Value, json};

use super::Call;
use crate::api::auth;
use crate::api::error::ApiError;
use crate::api::executor;
use crate::api::plan::{Fidelity, Plan, Preconditions};
use crate::api::query;
use crate::api::response::{self, ApiResponse};
use crate::api::router;
use crate::api::service;
use crate::api::snapshot::Loaded;

/// Most operations one bulk request may carry.
pub const MAX_OPERATIONS: usize = 1000;

/// The verbs a bulk entry may use.
const ENTRY_METHODS: &[Method] = &[Method::POST, Method::PUT, Method::PATCH, Method::DELETE];

/// The staged state of a bulk request: the configuration as the entries so far have left it,
/// and the commands they produced. Behind a std mutex held only for in-memory updates,
/// never across an `.await`.
#[derive(Debug)]
pub struct Stage {
    inner: Mutex<Staged>,
}

/// What a finished stage holds.
#[derive(Debug)]
pub struct Staged {
    /// The staged configuration (its generation counts the staged writes).
    pub loaded: Arc<Loaded>,
    /// The generation the stage started from.
    pub base: u64,
    /// Every entry's commands, in order.
    pub commands: Vec<String>,
    /// For each command, the index of the entry that produced it.
    pub owners: Vec<usize>,
    /// Names each entry refers to and the attribute naming them (entry, name, attribute):
    /// LINA's typed refusal about one of them blames that attribute.
    pub blame: Vec<(usize, String, &'static str)>,
    /// False once an entry wrote something it could not describe exactly as a patch.
    pub exact: bool,
    /// Whether any entry patched the staged configuration.
    pub patched: bool,
    entry: usize,
    next_generation: u64,
}

impl Stage {
    /// A stage on top of the snapshot `base`.
    pub fn new(base: Arc<Loaded>) -> Stage {
        let generation = base.generation;
        Stage {
            inner: Mutex::new(Staged {
                loaded: base,
                base: generation,
                commands: Vec::new(),
                owners: Vec::new(),
                blame: Vec::new(),
                exact: true,
                patched: false,
                entry: 0,
                next_generation: generation,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Staged> {
        // A poisoned lock only means a panic elsewhere; the stage is discarded with the request.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The following commands belong to entry `index`.
    pub fn begin_entry(&self, index: usize) {
        self.lock().entry = index;
    }

    /// The staged configuration.
    pub fn snapshot(&self) -> Arc<Loaded> {
        self.lock().loaded.clone()
    }

    /// Stages `commands` for the current entry; answers what LINA would answer on success,
    /// at the next staged generation.
    pub fn push(&self, commands: Vec<String>) -> ExecResult {
        let mut s = self.lock();
        let entry = s.entry;
        let outcomes = commands
            .iter()
            .map(|_| CommandOutcome {
                ok: true,
                output: String::new(),
            })
            .collect();
        s.owners.extend(std::iter::repeat_n(entry, commands.len()));
        s.commands.extend(commands);
        s.next_generation = s.next_generation.saturating_add(1);
        ExecResult {
            outcomes,
            applied: true,
            generation: s.next_generation,
            refusal: None,
        }
    }

    /// Folds an entry's plan into the stage: its lines join the batch, its patch applies to
    /// the staged configuration (later entries see it). Answers the plan's status and
    /// `Location`.
    pub fn add(&self, plan: Plan) -> (StatusCode, Option<String>) {
        let Plan {
            commands,
            patch,
            fidelity,
            status,
            location,
            blame,
        } = plan;
        if commands.is_empty() {
            return (status, location);
        }
        let generation = self.push(commands).generation;
        {
            let mut s = self.lock();
            let entry = s.entry;
            s.blame
                .extend(blame.into_iter().map(|(name, attr)| (entry, name, attr)));
        }
        if let Some(edit) = patch {
            self.patch(generation, edit);
        }
        if fidelity == Fidelity::Reload {
            self.mark_inexact();
        }
        (status, location)
    }

    /// Patches the staged configuration.
    pub fn patch(&self, generation: u64, edit: impl FnOnce(&mut RunningConfig)) {
        let mut s = self.lock();
        s.patched = true;
        let loaded = Arc::make_mut(&mut s.loaded);
        edit(&mut loaded.config);
        loaded.generation = loaded.generation.max(generation);
    }

    /// An entry changed something the staged configuration does not describe exactly.
    pub fn mark_inexact(&self) {
        self.lock().exact = false;
    }

    /// Ends staging.
    pub fn finish(self) -> Staged {
        self.inner.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// What became of one entry.
#[derive(Debug)]
enum Outcome {
    /// Staged by its handler with this status (and `Location`, when it answers one).
    Staged {
        status: StatusCode,
        location: Option<String>,
    },
    /// The entry failed: the whole bulk is not applied.
    Failed(ApiError),
}

/// Runs a bulk request (the router has required level 15 for `POST /api`).
///
/// The entries are planned on a stage over the snapshot; their batch carries the snapshot's
/// generation, and when LINA refuses it as stale (the configuration moved meanwhile) the
/// whole bulk is planned again on a reloaded snapshot, up to `executor::MAX_ATTEMPTS` times
/// in all, then answered 409. With `?dryRun=true` nothing is sent: the answer carries each
/// entry's lines.
pub async fn run(call: &Call<'_>, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let operations = parse_operations(body)?;
    let _serial = call.state.writes.lock().await;
    let mut wanted = call.session.generation;
    for _ in 0..executor::MAX_ATTEMPTS {
        let stage = Stage::new(call.state.snapshot.at_least(wanted).await?);
        let mut outcomes: Vec<Outcome> = Vec::with_capacity(operations.len());
        for (index, op) in operations.iter().enumerate() {
            stage.begin_entry(index);
            match stage_entry(call, &stage, index, op).await {
                Ok((status, location)) => outcomes.push(Outcome::Staged { status, location }),
                Err(e) => {
                    outcomes.push(Outcome::Failed(e));
                    break;
                }
            }
        }
        let failed = outcomes
            .iter()
            .position(|o| matches!(o, Outcome::Failed(_)));
        if failed.is_some() {
            return Ok(answer(&operations, &outcomes, failed));
        }
        let staged = stage.finish();
        if call.query.dry_run {
            return Ok(dry_run_answer(&operations, &outcomes, &staged));
        }
        match commit(call, staged, &mut outcomes).await? {
            Commit::Done(failed) => {
                let answer = answer(&operations, &outcomes, failed);
                // issue 13: memory. The bulk's transients (the parsed entries, the stage's
                // commands, LINA's answer) were allocated between the nodes the stage copied,
                // which the snapshot now keeps: freed, their pages stay with the process
                // unless handed back (2 to 3 MiB for 1000 creations at 20 MB).
                drop(outcomes);
                drop(operations);
                crate::api::snapshot::release_freed_memory();
                return Ok(answer);
            }
            Commit::Stale(current) => wanted = current,
        }
    }
    Err(ApiError::ConfigurationChanged {
        attempts: executor::MAX_ATTEMPTS,
    })
}

/// What became of a staged bulk sent to LINA.
enum Commit {
    /// Applied (`None`) or refused at the entry given.
    Done(Option<usize>),
    /// The configuration moved since the stage's base (now at this generation): nothing ran.
    Stale(u64),
}

/// Sends every staged command as one atomic batch conditional on the stage's base
/// generation; on a refusal, the failing command's entry becomes a failure (its index is
/// returned). On success the snapshot adopts the stage.
async fn commit(
    call: &Call<'_>,
    staged: Staged,
    outcomes: &mut [Outcome],
) -> Result<Commit, ApiError> {
    if staged.commands.is_empty() {
        return Ok(Commit::Done(None));
    }
    let Staged {
        loaded,
        base,
        commands,
        owners,
        blame,
        exact,
        patched,
        ..
    } = staged;
    let result = executor::exec_conditional(call, commands.clone(), base).await?;
    if result.refusal == Some(Refusal::Stale) {
        return Ok(Commit::Stale(result.generation.max(base.saturating_add(1))));
    }
    let failing = match &result.refusal {
        Some(Refusal::Command { index, .. }) => usize::try_from(*index).ok(),
        _ => None,
    }
    .or_else(|| result.outcomes.iter().position(|o| !o.ok))
    .or_else(|| (!result.applied).then(|| commands.len().saturating_sub(1)));
    if let Some(i) = failing {
        let entry = owners.get(i).copied().unwrap_or(0);
        let entry_blame: Vec<(String, &'static str)> = blame
            .into_iter()
            .filter(|(owner, _, _)| *owner == entry)
            .map(|(_, name, attr)| (name, attr))
            .collect();
        let error = match executor::check_applied(&commands, &result, &entry_blame) {
            Err(e) => e,
            Ok(()) => ApiError::Cli {
                command: commands.get(i).cloned().unwrap_or_default(),
                output: String::new(),
            },
        };
        if let Some(slot) = outcomes.get_mut(entry) {
            *slot = Outcome::Failed(error);
        }
        return Ok(Commit::Done(Some(entry)));
    }
    if exact && patched {
        let config = Arc::try_unwrap(loaded)
            .map(|l| l.config)
            .unwrap_or_else(|shared| shared.config.clone());
        call.state
            .snapshot
            .replace_write(base, result.generation, config);
    } else {
        call.state.snapshot.invalidate();
    }
    Ok(Commit::Done(None))
}

/// Stages one operation through the same checks and handler as a single request.
async fn stage_entry(
    call: &Call<'_>,
    stage: &Stage,
    index: usize,
    op: &Value,
) -> Result<(StatusCode, Option<String>), ApiError> {
    let shape = |field: &str, expected: &'static str| ApiError::JsonType {
        context: format!("[{index}]{field}"),
        expected,
    };
    let op = op.as_object().ok_or_else(|| {
        shape(
            "",
            "an operation object {\"method\", \"resourceUri\", \"data\"}",
        )
    })?;
    let method = match op.get("method").and_then(Value::as_str) {
        Some(m) => entry_method(m).ok_or_else(|| match m.parse::<Method>() {
            Ok(other) => ApiError::MethodNotAllowed {
                method: other,
                allow: ENTRY_METHODS,
            },
            Err(_) => shape(".method", "one of POST, PUT, PATCH, DELETE"),
        })?,
        None => return Err(shape(".method", "one of POST, PUT, PATCH, DELETE")),
    };
    let uri = op
        .get("resourceUri")
        .and_then(Value::as_str)
        .ok_or_else(|| shape(".resourceUri", "a resource URI string"))?;
    if uri.chars().any(char::is_control) {
        return Err(ApiError::ControlCharacter {
            path: format!("[{index}].resourceUri"),
        });
    }
    let (path, raw_query) = match uri_path(uri).split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (uri_path(uri), None),
    };
    let query = query::parse(raw_query)?;
    let router::Routed { endpoint, target } = router::route(path)?;
    if !endpoint.in_bulk() {
        return Err(ApiError::NotInBulk(path.to_owned()));
    }
    endpoint.check_method(&method)?;
    if let Some(needed) = endpoint.privilege(&method) {
        auth::require(&call.session, needed)?;
    }
    let body = match op.get("data") {
        None | Some(Value::Null) => Bytes::new(),
        Some(Value::String(raw)) => Bytes::from(raw.clone()),
        Some(other) => Bytes::from(other.to_string()),
    };
    endpoint.validate(&method, &body)?;
    let entry = Call {
        state: call.state,
        session: call.session.clone(),
        source: call.source,
        origin: call.origin.clone(),
        query,
        stage: Some(stage),
        preconditions: Preconditions::default(),
    };
    let response = service::dispatch(entry, target, &method, path, body).await?;
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Ok((response.status(), location))
}

/// POST, PUT, PATCH or DELETE (any case).
fn entry_method(m: &str) -> Option<Method> {
    ENTRY_METHODS
        .iter()
        .find(|known| known.as_str().eq_ignore_ascii_case(m))
        .cloned()
}

/// The path and query of a resource URI, which may also be given as an absolute URL (a
/// `selfLink`): `https://host/api/x?y` -> `/api/x?y`.
fn uri_path(uri: &str) -> &str {
    for scheme in ["https://", "http://"] {
        if let Some(rest) = uri.strip_prefix(scheme) {
            return rest.find('/').map_or("/", |at| &rest[at..]);
        }
    }
    uri
}

/// An operation's `method` or `resourceUri` as the answer echoes it: the string sent, or null
/// when none was (or something else than a string was: the entry's message says what).
fn echoed(op: &Value, key: &str) -> Value {
    match op.get(key) {
        Some(Value::String(s)) => Value::String(s.clone()),
        _ => Value::Null,
    }
}

/// Reads the body: a JSON array of 1 to [`MAX_OPERATIONS`] items. Each item is checked when
/// its turn comes (its `data` by the handler, as for a single request).
pub fn parse_operations(body: &[u8]) -> Result<Vec<Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::EmptyBody);
    }
    let value: Value = serde_json::from_slice(body).map_err(ApiError::JsonParse)?;
    let shape = || ApiError::JsonType {
        context: String::new(),
        expected: "an array of 1 to 1000 operations",
    };
    match value {
        Value::Array(items) if !items.is_empty() && items.len() <= MAX_OPERATIONS => Ok(items),
        _ => Err(shape()),
    }
}

/// The bulk response.
fn answer(operations: &[Value], outcomes: &[Outcome], failed: Option<usize>) -> ApiResponse {
    let (status, body) = answer_body(operations, outcomes, failed);
    response::json(status, &body)
}

/// The bulk response's status and body.
fn answer_body(
    operations: &[Value],
    outcomes: &[Outcome],
    failed: Option<usize>,
) -> (StatusCode, Value) {
    let entry_messages: Vec<Value> = operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let mut m = serde_json::Map::new();
            m.insert("method".into(), echoed(op, "method"));
            m.insert("resourceUri".into(), echoed(op, "resourceUri"));
            match (outcomes.get(i), failed) {
                (Some(Outcome::Failed(e)), _) => {
                    m.insert("status".into(), json!(e.status().as_u16()));
                    m.insert("messages".into(), json!([e.message()]));
                }
                (Some(Outcome::Staged { status, location }), None) => {
                    m.insert("status".into(), json!(status.as_u16()));
                    if let Some(l) = location {
                        m.insert("location".into(), json!(l));
                    }
                    m.insert("messages".into(), json!([]));
                }
                (_, Some(at)) => {
                    m.insert(
                        "status".into(),
                        json!(StatusCode::FAILED_DEPENDENCY.as_u16()),
                    );
                    let note = if i < at {
                        not_applied(at)
                    } else {
                        not_attempted(at)
                    };
                    m.insert("messages".into(), json!([note]));
                }
                // Every entry has an outcome when none failed.
                (None, None) => {
                    m.insert("status".into(), Value::Null);
                    m.insert("messages".into(), json!([]));
                }
            }
            Value::Object(m)
        })
        .collect();
    let (status, common) = match failed {
        None => (
            StatusCode::OK,
            json!([{
                "level": "Info",
                "code": "BULK-APPLIED",
                "context": "",
                "details": format!("All {} entries were applied.", operations.len()),
            }]),
        ),
        Some(at) => {
            let status = match outcomes.get(at) {
                Some(Outcome::Failed(e)) if e.status().is_server_error() => e.status(),
                _ => StatusCode::BAD_REQUEST,
            };
            (
                status,
                json!([{
                    "level": "Error",
                    "code": "BULK-NOT-APPLIED",
                    "context": format!("[{at}]"),
                    "details": format!(
                        "Entry {} of {} failed: the bulk request was not applied and the configuration is unchanged.",
                        at + 1,
                        operations.len()
                    ),
                }]),
            )
        }
    };
    (
        status,
        json!({ "entryMessages": entry_messages, "commonMessages": common }),
    )
}

/// The answer to a dry run whose every entry was planned: 200, each entry's status as the
/// bulk would answer it, `commonMessages` `BULK-DRY-RUN`, and `commands`, one array of CLI
/// lines per entry, in order (what the one atomic batch would carry).
fn dry_run_answer(operations: &[Value], outcomes: &[Outcome], staged: &Staged) -> ApiResponse {
    let (_, mut body) = answer_body(operations, outcomes, None);
    let per_entry: Vec<Vec<&String>> = (0..operations.len())
        .map(|entry| {
            staged
                .commands
                .iter()
                .zip(&staged.owners)
                .filter(|(_, owner)| **owner == entry)
                .map(|(c, _)| c)
                .collect()
        })
        .collect();
    body["commonMessages"] = json!([{
        "level": "Info",
        "code": "BULK-DRY-RUN",
        "context": "",
        "details": "Dry run: every entry was checked and planned; nothing was applied.",
    }]);
    body["commands"] = json!(per_entry);
    response::json(StatusCode::OK, &body)
}

/// The note on an entry before the one (`at`, 0-based) that failed: staged, then undone.
fn not_applied(at: usize) -> Value {
    json!({
        "level": "Info",
        "code": "NOT-APPLIED",
        "context": "",
        "details": format!(
            "Not applied: entry {} of the bulk request failed, and a bulk request is applied all or nothing.",
            at + 1
        ),
    })
}

/// The note on an entry after the one (`at`, 0-based) that failed: processing stopped there,
/// so this entry was neither checked by LINA nor applied.
fn not_attempted(at: usize) -> Value {
    json!({
        "level": "Info",
        "code": "NOT-ATTEMPTED",
        "context": "",
        "details": format!(
            "Not attempted: processing stopped at entry {}, which failed; nothing of the bulk request was applied.",
            at + 1
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(generation: u64) -> Arc<Loaded> {
        Arc::new(Loaded {
            config: RunningConfig::parse("object network a\n host 10.0.0.1\n"),
            generation,
        })
    }

    #[test]
    fn only_strings_are_echoed_back() {
        let op = json!({"method": false, "resourceUri": {"a": 1}});
        assert_eq!(echoed(&op, "method"), Value::Null);
        assert_eq!(echoed(&op, "resourceUri"), Value::Null);
        let op = json!({"method": "POST", "resourceUri": "/api/x"});
        assert_eq!(echoed(&op, "method"), json!("POST"));
        assert_eq!(echoed(&op, "resourceUri"), json!("/api/x"));
    }

    #[test]
    fn staged_commands_remember_their_entry_and_count_generations() {
        let stage = Stage::new(loaded(7));
        stage.begin_entry(0);
        let r = stage.push(vec!["object network b".into(), " host 10.0.0.2".into()]);
        assert!(r.applied);
        assert_eq!(r.generation, 8);
        assert_eq!(r.outcomes.len(), 2);
        assert!(r.outcomes.iter().all(|o| o.ok));
        stage.begin_entry(3);
        assert_eq!(stage.push(vec!["no object network a".into()]).generation, 9);
        let s = stage.finish();
        assert_eq!(s.base, 7);
        assert_eq!(s.owners, vec![0, 0, 3]);
        assert_eq!(s.commands.len(), 3);
        assert!(s.exact);
        assert!(!s.patched);
    }

    #[test]
    fn patches_go_to_the_staged_copy_not_the_base() {
        let base = loaded(1);
        let stage = Stage::new(base.clone());
        stage.patch(2, |cfg| {
            cfg.network_objects.remove("a");
        });
        assert!(base.config.network_objects.contains("a"));
        let staged = stage.snapshot();
        assert!(!staged.config.network_objects.contains("a"));
        assert_eq!(staged.generation, 2);
        stage.mark_inexact();
        let s = stage.finish();
        assert!(s.patched);
        assert!(!s.exact);
    }

    #[test]
    fn the_body_is_an_array_of_one_to_a_thousand_operations() {
        assert_eq!(
            parse_operations(br#"[{"method":"DELETE"}]"#).unwrap().len(),
            1
        );
        for body in [&b""[..], b"[]", b"{}", b"[", b"\"x\""] {
            assert!(
                parse_operations(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let many = serde_json::to_vec(&vec![json!({}); 1001]).unwrap();
        let e = parse_operations(&many).unwrap_err();
        assert_eq!(e.code(), "JSON-TYPE-ERROR");
        let max = serde_json::to_vec(&vec![json!({}); 1000]).unwrap();
        assert_eq!(parse_operations(&max).unwrap().len(), 1000);
    }

    #[test]
    fn methods_and_absolute_uris() {
        assert_eq!(entry_method("patch"), Some(Method::PATCH));
        assert_eq!(entry_method("GET"), None);
        assert_eq!(
            uri_path("https://asa:8443/api/objects/x?limit=1"),
            "/api/objects/x?limit=1"
        );
        assert_eq!(uri_path("http://asa"), "/");
        assert_eq!(uri_path("/api/objects"), "/api/objects");
    }

    #[test]
    fn a_failed_bulk_reports_every_entry_and_the_whole() {
        let ops = vec![
            json!({"method": "POST", "resourceUri": "/api/objects/networkobjects"}),
            json!({"method": "DELETE", "resourceUri": "/api/objects/networkobjects/x"}),
            json!({"method": "POST", "resourceUri": "/api/objects/networkobjects"}),
        ];
        let outcomes = vec![
            Outcome::Staged {
                status: StatusCode::CREATED,
                location: Some("https://h/api/objects/networkobjects/a".into()),
            },
            Outcome::Failed(ApiError::ObjectNotFound("x".into())),
        ];
        let r = answer(&ops, &outcomes, Some(1));
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let body = body_of(r);
        let entries = body["entryMessages"].as_array().unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0]["status"], 424);
        assert_eq!(entries[0]["messages"][0]["code"], "NOT-APPLIED");
        assert!(entries[0].get("location").is_none());
        assert_eq!(entries[1]["status"], 404);
        assert_eq!(entries[1]["messages"][0]["code"], "RESOURCE-NOT-FOUND");
        assert_eq!(entries[1]["resourceUri"], "/api/objects/networkobjects/x");
        assert_eq!(entries[2]["status"], 424);
        assert_eq!(entries[2]["messages"][0]["code"], "NOT-ATTEMPTED");
        assert!(
            entries[2]["messages"][0]["details"]
                .as_str()
                .is_some_and(|d| d.contains("entry 2,")),
            "{}",
            entries[2]
        );
        assert_eq!(body["commonMessages"][0]["code"], "BULK-NOT-APPLIED");
        assert_eq!(body["commonMessages"][0]["context"], "[1]");
        let ok = answer(&ops[..1], &outcomes[..1], None);
        assert_eq!(ok.status(), StatusCode::OK);
        let body = body_of(ok);
        assert_eq!(body["entryMessages"][0]["status"], 201);
        assert_eq!(
            body["entryMessages"][0]["location"],
            "https://h/api/objects/networkobjects/a"
        );
        assert_eq!(body["commonMessages"][0]["code"], "BULK-APPLIED");
    }

    fn body_of(r: ApiResponse) -> Value {
        use http_body_util::BodyExt;
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let bytes = rt.block_on(async { r.into_body().collect().await.unwrap().to_bytes() });
        serde_json::from_slice(&bytes).unwrap()
    }
}
