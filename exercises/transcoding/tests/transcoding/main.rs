//! Tests for the `transcoding` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p transcoding`; they fail until you implement
//! the step they test. The modules are numbered in the lesson's order (json,
//! routes, errors, deadline), so failures are listed step by step. To run
//! one step only: `cargo test -p transcoding step1`.
//!
//! Steps 2 to 4 drive the HTTP front exactly as a client would, but without
//! a socket: `tower::ServiceExt::oneshot` hands one `http::Request` to the
//! axum `Router` and returns its response. Behind the router, the gRPC
//! notes service runs over an in-memory pipe (`connect_in_memory`), so every
//! request crosses a real gRPC wire, and tokio's clock can be paused.

mod step1_json;
mod step2_routes;
mod step3_errors;
mod step4_deadline;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use http::{HeaderMap, Request, StatusCode};
use tower::ServiceExt as _;
use transcoding::{DeadlinePolicy, Gateway, NoteStore, connect_in_memory, pb};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// The gateway's policy in most tests: 10 s for a request that brings no
/// `grpc-timeout`, 60 s at most for one that does.
fn policy() -> DeadlinePolicy {
    DeadlinePolicy::new(secs(10), secs(60))
        .expect("10 s default, 60 s max is a valid policy")
}

/// The HTTP front of `store`, with the usual deadline policy.
async fn front(store: NoteStore) -> Router {
    front_with(store, policy()).await
}

/// The HTTP front of `store`: the store served over the in-memory
/// transport, a gateway with a client on that channel, and its router.
async fn front_with(store: NoteStore, policy: DeadlinePolicy) -> Router {
    let channel = connect_in_memory(store)
        .await
        .expect("the in-memory gRPC backend should accept a connection");
    Gateway::new(channel, policy).router()
}

/// Three notes, with ids 1, 2 and 3. Note 1 fills every field.
fn seeded() -> NoteStore {
    let store = NoteStore::new();
    store.insert(groceries());
    store.insert(pb::Note {
        title: "Deploy checklist".into(),
        body: "drain, deploy, verify".into(),
        priority: pb::Priority::High as i32,
        tags: vec!["work".into(), "ops".into()],
        ..Default::default()
    });
    store.insert(pb::Note {
        title: "Ideas".into(),
        ..Default::default()
    });
    store
}

/// A note with every field set (its id is given by the store).
fn groceries() -> pb::Note {
    pb::Note {
        id: 0,
        title: "Groceries".into(),
        body: "milk, eggs".into(),
        priority: pb::Priority::Low as i32,
        tags: vec!["home".into()],
        author: Some(pb::Author {
            display_name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
        }),
        attachment: b"hi".to_vec(),
        created_at_ms: 1_700_000_000_000,
    }
}

/// What came back: the status, the headers, and the body as JSON
/// (`Value::Null` when it is not JSON; `text` has it as it came).
#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    json: serde_json::Value,
    text: String,
}

impl Reply {
    fn content_type(&self) -> &str {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// Sends one request through the router, as a client would over HTTP.
async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router
        .clone()
        .oneshot(request)
        .await
        .expect("an axum router never fails: errors are responses");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("the response body should be readable");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    Reply {
        status,
        headers,
        json,
        text,
    }
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .body(Body::empty())
        .expect("a valid request")
}

fn post(uri: &str, json: &str) -> Request<Body> {
    Request::post(uri)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(json.to_owned()))
        .expect("a valid request")
}

/// `request` with one more header.
fn with_header(
    mut request: Request<Body>,
    name: &'static str,
    value: &str,
) -> Request<Body> {
    request
        .headers_mut()
        .insert(name, value.parse().expect("a valid header value"));
    request
}
