//! Step 2: the routes (src/routes.rs).
//!
//! Each test sends HTTP requests to the router; behind it, the gRPC service
//! answers over the in-memory transport. Only success paths here: the error
//! shapes are step 3's.

use http::StatusCode;
use serde_json::json;
use transcoding::NoteStore;

use crate::{front, get, post, seeded, send, with_header};

#[tokio::test]
async fn get_returns_the_note_as_proto3_json() {
    let router = front(seeded()).await;
    let reply = send(&router, get("/v1/notes/1")).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "GET /v1/notes/1 should be 200: {}",
        reply.text
    );
    assert!(
        reply.content_type().starts_with("application/json"),
        "the body should be labelled JSON, got {:?}",
        reply.content_type()
    );
    assert_eq!(
        reply.json,
        json!({
            "id": "1",
            "title": "Groceries",
            "body": "milk, eggs",
            "priority": "PRIORITY_LOW",
            "tags": ["home"],
            "author": {"displayName": "Ada Lovelace", "email": "ada@example.com"},
            "attachment": "aGk=",
            "createdAtMs": "1700000000000"
        }),
        "the note should come back in the proto3 JSON mapping"
    );
}

#[tokio::test]
async fn post_creates_a_note_from_its_json_body() {
    let router = front(seeded()).await;
    let body = r#"{"title": "Read", "priority": "PRIORITY_HIGH", "tags": ["books"]}"#;
    let created = send(&router, post("/v1/notes", body)).await;
    assert_eq!(
        created.status,
        StatusCode::OK,
        "POST /v1/notes should be 200: {}",
        created.text
    );
    assert_eq!(
        created.json,
        json!({
            "id": "4", "title": "Read", "priority": "PRIORITY_HIGH", "tags": ["books"]
        }),
        "the created note should come back with the id the service gave it"
    );
    let fetched = send(&router, get("/v1/notes/4")).await;
    assert_eq!(
        fetched.json, created.json,
        "GET should return the note POST created"
    );
}

#[tokio::test]
async fn list_pages_through_the_notes() {
    let router = front(seeded()).await;
    let first = send(&router, get("/v1/notes?page_size=2")).await;
    assert_eq!(
        first.status,
        StatusCode::OK,
        "the first page should be 200: {}",
        first.text
    );
    let ids: Vec<&str> = first.json["notes"]
        .as_array()
        .map(|notes| notes.iter().filter_map(|n| n["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        ["1", "2"],
        "page_size=2 should return the first two notes"
    );
    assert_eq!(
        first.json["nextPageToken"], "2",
        "a page with more after it should carry nextPageToken"
    );

    // The JSON names work in a query string too.
    let second = send(&router, get("/v1/notes?pageSize=2&pageToken=2")).await;
    assert_eq!(
        second.json,
        json!({"notes": [{"id": "3", "title": "Ideas"}]}),
        "the last page should hold note 3 and no nextPageToken"
    );
}

#[tokio::test]
async fn list_ignores_query_parameters_it_does_not_know() {
    let router = front(seeded()).await;
    let reply = send(&router, get("/v1/notes?page_size=1&utm_source=newsletter")).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "an unknown query parameter should be ignored: {}",
        reply.text
    );
    assert_eq!(
        reply.json["notes"][0]["id"], "1",
        "page_size should still apply"
    );
}

#[tokio::test]
async fn search_returns_the_matching_notes() {
    let router = front(seeded()).await;
    let reply = send(&router, get("/v1/notes:search?query=deploy")).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "the search should be 200: {}",
        reply.text
    );
    assert_eq!(
        reply.json,
        json!({"notes": [{
            "id": "2",
            "title": "Deploy checklist",
            "body": "drain, deploy, verify",
            "priority": "PRIORITY_HIGH",
            "tags": ["work", "ops"]
        }]}),
        "only note 2 mentions \"deploy\""
    );
}

#[tokio::test]
async fn the_authorization_header_reaches_the_backend_as_metadata() {
    let store = seeded().requiring_token("s3cret");
    let router = front(store).await;
    let request = with_header(get("/v1/notes/3"), "authorization", "Bearer s3cret");
    let reply = send(&router, request).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "with the right bearer token forwarded, the backend should answer: {}",
        reply.text
    );
    assert_eq!(reply.json["title"], "Ideas", "the note should come back");
}

#[tokio::test]
async fn an_empty_store_lists_as_an_empty_object() {
    let router = front(NoteStore::new()).await;
    let reply = send(&router, get("/v1/notes")).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "listing nothing is still 200: {}",
        reply.text
    );
    assert_eq!(
        reply.json,
        json!({}),
        "no notes and no token: every field is a default"
    );
}
