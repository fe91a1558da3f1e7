//! What a write handler computes, without doing it: the CLI lines to send, the patch that
//! brings the snapshot to the configuration LINA will hold once it applied them, and the
//! response to answer. Handlers are pure planners of (snapshot, request) -> [`Plan`];
//! `executor.rs` applies plans (locking, the conditional LINA batch, patching, retries, bulk
//! staging, dry run).

use std::fmt;

use cli_translator::running::RunningConfig;
use hyper::StatusCode;
use hyper::header::{ETAG, HeaderMap, HeaderValue, IF_MATCH, IF_NONE_MATCH};

use super::error::ApiError;
use super::etag;
use super::response::{self, ApiResponse};

/// The change a plan makes to the snapshot once LINA applied its lines.
pub type Patch = Box<dyn FnOnce(&mut RunningConfig) + Send>;

/// How exactly the patch describes what LINA will hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fidelity {
    /// The patched snapshot is what LINA holds: it stays in place.
    Exact,
    /// The device stores the change differently (hashes a password, groups lines, derives
    /// data): the patch serves later checks (bulk entries), then the snapshot is reloaded.
    Reload,
}

/// A write, planned on one snapshot.
pub struct Plan {
    /// The CLI lines, in order, sent as one atomic batch (none: nothing to change).
    pub commands: Vec<String>,
    pub patch: Option<Patch>,
    pub fidelity: Fidelity,
    /// The success status (201 after POST, 204 after PUT, PATCH, DELETE).
    pub status: StatusCode,
    /// The `Location` to answer with, if any.
    pub location: Option<String>,
    /// Names the request refers to and the attribute that names each: LINA's typed refusal
    /// of one of them (a referenced group that does not exist) is a 400 on that attribute.
    pub blame: Vec<(String, &'static str)>,
}

impl fmt::Debug for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plan")
            .field("commands", &self.commands)
            .field("patch", &self.patch.is_some())
            .field("fidelity", &self.fidelity)
            .field("status", &self.status)
            .field("location", &self.location)
            .field("blame", &self.blame)
            .finish()
    }
}

impl Plan {
    /// A plan that sends nothing yet and answers `status` (with `Location` when given).
    pub fn answer(status: StatusCode, location: Option<String>) -> Plan {
        Plan {
            commands: Vec::new(),
            patch: None,
            fidelity: Fidelity::Exact,
            status,
            location,
            blame: Vec::new(),
        }
    }

    /// 201 with `Location` (a create).
    pub fn created(location: String) -> Plan {
        Plan::answer(StatusCode::CREATED, Some(location))
    }

    /// 204 with `Location` (a replace or merge).
    pub fn updated(location: String) -> Plan {
        Plan::answer(StatusCode::NO_CONTENT, Some(location))
    }

    /// 204 without `Location` (a delete).
    pub fn deleted() -> Plan {
        Plan::answer(StatusCode::NO_CONTENT, None)
    }

    /// The lines to send.
    pub fn send(mut self, commands: Vec<String>) -> Plan {
        self.commands = commands;
        self
    }

    /// The snapshot patch, describing LINA's result exactly.
    pub fn patch(mut self, edit: impl FnOnce(&mut RunningConfig) + Send + 'static) -> Plan {
        self.patch = Some(Box::new(edit));
        self
    }

    /// The snapshot is reloaded after the write (the patch only serves later bulk entries).
    pub fn reload_after(mut self) -> Plan {
        self.fidelity = Fidelity::Reload;
        self
    }

    /// A LINA refusal about `name` is a 400 on `attribute`.
    pub fn blame(mut self, name: impl Into<String>, attribute: &'static str) -> Plan {
        self.blame.push((name.into(), attribute));
        self
    }
}

/// The preconditions a request carries (`If-Match`), checked by planners against the item
/// they are about to change in the same snapshot the plan is computed on, so the check
/// cannot race the write: a batch planned on a snapshot LINA has moved past is refused.
#[derive(Debug, Clone, Default)]
pub struct Preconditions {
    pub if_match: Option<String>,
    pub if_none_match: Option<String>,
}

impl Preconditions {
    /// Reads `If-Match` and `If-None-Match` (a value that is not UTF-8 matches no tag).
    pub fn from_headers(headers: &HeaderMap) -> Preconditions {
        let read = |name| {
            headers
                .get(name)
                .map(|v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        Preconditions {
            if_match: read(IF_MATCH),
            if_none_match: read(IF_NONE_MATCH),
        }
    }

    /// The answer to an item `GET`: 304 with the item's `ETag` when `If-None-Match` names
    /// it, else 200 with `body` and the `ETag` of the item whose canonical configuration is
    /// `lines`.
    pub fn item_response(&self, body: &serde_json::Value, lines: &[String]) -> ApiResponse {
        self.tagged_item_response(body, etag::etag_of(lines))
    }

    /// [`Self::item_response`] for an item whose ETag `tag` the caller computed.
    pub fn tagged_item_response(&self, body: &serde_json::Value, tag: String) -> ApiResponse {
        let mut response = match &self.if_none_match {
            Some(header) if etag::if_none_match_hits(header, &tag) => {
                response::empty(StatusCode::NOT_MODIFIED)
            }
            _ => response::json(StatusCode::OK, body),
        };
        if let Ok(value) = HeaderValue::from_str(&tag) {
            response.headers_mut().insert(ETAG, value);
        }
        response
    }

    /// Checks `If-Match` against the item whose canonical configuration is `lines`;
    /// a mismatch is 412 and nothing is changed.
    pub fn item(&self, lines: &[String]) -> Result<(), ApiError> {
        let Some(header) = &self.if_match else {
            return Ok(());
        };
        let current = etag::etag_of(lines);
        if etag::if_match_allows(header, &current) {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed { current })
        }
    }
}

/// Planners take the snapshot's configuration and the request's preconditions; they may be
/// called again on a newer snapshot when LINA refuses a plan as stale.
pub trait Planner: Fn(&RunningConfig, &Preconditions) -> Result<Plan, ApiError> {}

impl<F> Planner for F where F: Fn(&RunningConfig, &Preconditions) -> Result<Plan, ApiError> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_passes_on_the_current_tag_or_star_and_fails_otherwise() {
        let lines = vec!["object network a".to_owned(), " host 10.0.0.1".to_owned()];
        let tag = etag::etag_of(&lines);
        assert!(Preconditions::default().item(&lines).is_ok());
        for ok in [tag.clone(), "*".to_owned(), format!("\"x\", {tag}")] {
            let p = Preconditions {
                if_match: Some(ok),
                ..Preconditions::default()
            };
            assert!(p.item(&lines).is_ok());
        }
        let p = Preconditions {
            if_match: Some("\"stale\"".into()),
            ..Preconditions::default()
        };
        match p.item(&lines) {
            Err(ApiError::PreconditionFailed { current }) => assert_eq!(current, tag),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_item_get_carries_its_etag_and_answers_304_when_it_is_named() {
        let lines = vec!["object network a".to_owned()];
        let tag = etag::etag_of(&lines);
        let body = serde_json::json!({"name": "a"});
        let r = Preconditions::default().item_response(&body, &lines);
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[ETAG], tag.as_str());
        let hit = Preconditions {
            if_none_match: Some(format!("W/{tag}")),
            ..Preconditions::default()
        };
        let r = hit.item_response(&body, &lines);
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(r.headers()[ETAG], tag.as_str());
        let miss = Preconditions {
            if_none_match: Some("\"other\"".into()),
            ..Preconditions::default()
        };
        assert_eq!(miss.item_response(&body, &lines).status(), StatusCode::OK);
    }

    #[test]
    fn builders_fill_the_plan() {
        let p = Plan::created("https://h/api/x/a".into())
            .send(vec!["a".into()])
            .patch(|_| {})
            .reload_after()
            .blame("g", "members");
        assert_eq!(p.status, StatusCode::CREATED);
        assert_eq!(p.commands, ["a"]);
        assert!(p.patch.is_some());
        assert_eq!(p.fidelity, Fidelity::Reload);
        assert_eq!(p.blame, [("g".to_owned(), "members")]);
        assert_eq!(Plan::deleted().location, None);
    }
}
