//! Step 3: errors (src/errors.rs).
//!
//! Every error is HTTP status + `{"code", "message", "details"}`, the
//! shape grpc-gateway writes, whoever failed: the backend, the JSON parser
//! or the router.

use axum::response::IntoResponse as _;
use http::StatusCode;
use serde_json::json;
use tonic::{Code, Status};
use transcoding::ApiError;

use crate::{front, get, post, seeded, send, with_header};

#[tokio::test]
async fn a_missing_note_is_404_with_a_status_body() {
    let router = front(seeded()).await;
    let reply = send(&router, get("/v1/notes/999")).await;
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "NotFound should be 404: {}",
        reply.text
    );
    assert!(
        reply.content_type().starts_with("application/json"),
        "an error body is JSON too, got {:?}",
        reply.content_type()
    );
    assert_eq!(
        reply.json,
        json!({"code": 5, "message": "note 999 not found", "details": []}),
        "the body should be the gRPC status, as grpc-gateway writes it"
    );
}

#[tokio::test]
async fn backend_errors_map_through_the_status_table() {
    let router = front(seeded()).await;
    let empty_title = send(&router, post("/v1/notes", r#"{"title": ""}"#)).await;
    assert_eq!(
        (empty_title.status, &empty_title.json),
        (
            StatusCode::BAD_REQUEST,
            &json!({"code": 3, "message": "a note needs a title", "details": []})
        ),
        "InvalidArgument from the backend should be 400"
    );
    let duplicate = send(&router, post("/v1/notes", r#"{"title": "Groceries"}"#)).await;
    assert_eq!(
        (duplicate.status, &duplicate.json["code"]),
        (StatusCode::CONFLICT, &json!(6)),
        "AlreadyExists should be 409: {}",
        duplicate.text
    );
    let negative = send(&router, get("/v1/notes?page_size=-1")).await;
    assert_eq!(
        negative.status,
        StatusCode::BAD_REQUEST,
        "a negative page size is 400"
    );
}

#[tokio::test]
async fn a_body_that_does_not_parse_is_400_naming_the_problem() {
    let router = front(seeded()).await;
    let reply = send(&router, post("/v1/notes", r#"{"titel": "Groceries"}"#)).await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "a bad body should be 400: {}",
        reply.text
    );
    assert_eq!(reply.json["code"], 3, "a bad body is InvalidArgument (3)");
    let message = reply.json["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("titel"),
        "the message should name the field, got {message:?}"
    );

    let not_json = send(&router, post("/v1/notes", "title=Groceries")).await;
    assert_eq!(
        (not_json.status, &not_json.json["code"]),
        (StatusCode::BAD_REQUEST, &json!(3)),
        "a body that is not JSON at all should be 400 with a JSON error: {}",
        not_json.text
    );
}

#[tokio::test]
async fn a_path_or_query_value_of_the_wrong_type_is_400() {
    let router = front(seeded()).await;
    let id = send(&router, get("/v1/notes/abc")).await;
    assert_eq!(
        (id.status, &id.json["code"]),
        (StatusCode::BAD_REQUEST, &json!(3)),
        "a non-numeric id should be 400 InvalidArgument in JSON: {}",
        id.text
    );
    let size = send(&router, get("/v1/notes?page_size=ten")).await;
    assert_eq!(
        (size.status, &size.json["code"]),
        (StatusCode::BAD_REQUEST, &json!(3)),
        "a non-numeric page_size should be 400 InvalidArgument in JSON: {}",
        size.text
    );
}

#[tokio::test]
async fn a_missing_token_is_401_with_a_challenge() {
    let router = front(seeded().requiring_token("s3cret")).await;
    let reply = send(&router, get("/v1/notes/1")).await;
    assert_eq!(
        reply.status,
        StatusCode::UNAUTHORIZED,
        "Unauthenticated should be 401"
    );
    assert_eq!(
        reply.json,
        json!({"code": 16, "message": "missing bearer token", "details": []}),
        "the body should carry the backend's status"
    );
    assert_eq!(
        reply
            .headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer"),
        "a 401 must say which scheme to authenticate with"
    );
    let wrong = send(
        &router,
        with_header(get("/v1/notes/1"), "authorization", "Bearer x"),
    )
    .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNAUTHORIZED,
        "a wrong token is 401 as well"
    );
}

#[tokio::test]
async fn an_unknown_path_is_404_in_the_same_shape() {
    let router = front(seeded()).await;
    let reply = send(&router, get("/v2/notes")).await;
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "an unknown path should be 404"
    );
    assert_eq!(
        reply.json,
        json!({"code": 5, "message": "Not Found", "details": []}),
        "routing errors should have the JSON error shape, got {:?}",
        reply.text
    );
}

#[tokio::test]
async fn a_wrong_method_is_405_with_allow_and_unimplemented() {
    let router = front(seeded()).await;
    let request = http::Request::delete("/v1/notes/1")
        .body(axum::body::Body::empty())
        .expect("a valid request");
    let reply = send(&router, request).await;
    assert_eq!(
        reply.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "DELETE on a GET-only path should be 405, not the table's 501: {}",
        reply.text
    );
    assert_eq!(
        reply.json,
        json!({"code": 12, "message": "Method Not Allowed", "details": []}),
        "the body should say Unimplemented (12), as grpc-gateway's routing handler does"
    );
    let allow = reply
        .headers
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        allow.contains("GET"),
        "the Allow header should list GET, got {allow:?}"
    );
}

#[test]
fn an_api_error_uses_the_table_unless_told_otherwise() {
    let cases = [
        (Code::Cancelled, 499),
        (Code::InvalidArgument, 400),
        (Code::DeadlineExceeded, 504),
        (Code::FailedPrecondition, 400),
        (Code::ResourceExhausted, 429),
        (Code::Unimplemented, 501),
        (Code::Unavailable, 503),
        (Code::Internal, 500),
    ];
    for (code, http) in cases {
        let response = ApiError::from(Status::new(code, "x")).into_response();
        assert_eq!(
            response.status().as_u16(),
            http,
            "{code:?} should be HTTP {http}"
        );
    }
    let overridden = ApiError::from(Status::unimplemented("x"))
        .with_http_status(StatusCode::METHOD_NOT_ALLOWED)
        .into_response();
    assert_eq!(
        overridden.status(),
        StatusCode::METHOD_NOT_ALLOWED,
        "with_http_status should win over the table"
    );
}
