//! Step 2: request ids, kept or made, and stamped on every response.

use interceptors::pb::stock_server::StockServer;
use interceptors::{
    AuthInterceptor, IdSource, RequestId, RequestIdError, RequestIdLayer, Sequential,
    Shop, X_REQUEST_ID, in_memory,
};
use tonic::Code;
use tonic::transport::{Channel, Server};

use crate::{ALICE, bearer, client, get, list, tokens};

/// A server with the request-id layer (ids `req-1`, `req-2`...) in front of
/// the shop, with auth on the shop.
async fn server() -> Channel {
    in_memory(|incoming| {
        Server::builder()
            .layer(RequestIdLayer::new(
                Sequential::new("req").expect("a valid prefix"),
            ))
            .add_service(StockServer::with_interceptor(
                Shop::new(),
                AuthInterceptor::new(tokens()),
            ))
            .serve_with_incoming(incoming)
    })
    .await
    .expect("the in-memory connection works")
}

/// The `x-request-id` in `metadata`, as text.
fn id_in(metadata: &tonic::metadata::MetadataMap) -> Option<&str> {
    metadata.get(X_REQUEST_ID).and_then(|v| v.to_str().ok())
}

#[test]
fn a_short_id_of_allowed_characters_parses() {
    for id in ["req-1", "0f8a:b.c_d", &"x".repeat(64)] {
        let parsed = RequestId::parse(id).expect("a valid id");
        assert_eq!(parsed.as_str(), id, "parse should keep {id:?} as it is");
    }
}

#[test]
fn an_empty_long_or_odd_id_is_refused() {
    assert_eq!(
        RequestId::parse(""),
        Err(RequestIdError::Empty),
        "an empty id identifies nothing"
    );
    assert_eq!(
        RequestId::parse(&"x".repeat(65)),
        Err(RequestIdError::TooLong { len: 65 }),
        "65 characters is one too many: every log line repeats the id"
    );
    assert_eq!(
        RequestId::parse("id with spaces"),
        Err(RequestIdError::BadChar { found: ' ' }),
        "a space would split the id in a log line"
    );
    assert_eq!(
        RequestId::parse("id\"quote"),
        Err(RequestIdError::BadChar { found: '"' }),
        "a quote could break a structured log line"
    );
}

#[test]
fn sequential_ids_count_from_one() {
    let ids = Sequential::new("req").expect("a valid prefix");
    let made: Vec<_> = (0..3).map(|_| ids.next_id().as_str().to_owned()).collect();
    assert_eq!(made, ["req-1", "req-2", "req-3"], "ids should count from 1");
}

#[test]
fn propagate_puts_the_id_on_an_outgoing_call() {
    let id = RequestId::parse("req-42").expect("a valid id");
    let mut outgoing = tonic::Request::new(());
    id.propagate(&mut outgoing);
    assert_eq!(
        id_in(outgoing.metadata()),
        Some("req-42"),
        "a call to the next service should carry the same x-request-id"
    );
}

#[tokio::test]
async fn a_call_without_an_id_gets_one_on_its_response_and_in_its_handler() {
    let response = client(server().await)
        .get(bearer(get("bolt", 0), ALICE))
        .await
        .expect("Alice may call Get");
    assert_eq!(
        id_in(response.metadata()),
        Some("req-1"),
        "the response should carry the id the layer made"
    );
    assert_eq!(
        response.into_inner().request_id,
        "req-1",
        "the handler should find the same id in the request's extensions"
    );
}

#[tokio::test]
async fn a_valid_id_from_the_caller_is_kept() {
    let mut request = bearer(get("nut", 0), ALICE);
    request
        .metadata_mut()
        .insert(X_REQUEST_ID, "from-the-gateway-7".parse().expect("ASCII"));
    let response = client(server().await)
        .get(request)
        .await
        .expect("Alice may call Get");
    assert_eq!(
        id_in(response.metadata()),
        Some("from-the-gateway-7"),
        "the caller's id should come back unchanged, so one id follows the request"
    );
    assert_eq!(
        response.into_inner().request_id,
        "from-the-gateway-7",
        "the handler should see the caller's id"
    );
}

#[tokio::test]
async fn an_invalid_id_from_the_caller_is_replaced_not_refused() {
    let mut request = bearer(get("nut", 0), ALICE);
    request
        .metadata_mut()
        .insert(X_REQUEST_ID, "has spaces in it".parse().expect("ASCII"));
    let response = client(server().await)
        .get(request)
        .await
        .expect("a bad request id must not fail the call");
    assert_eq!(
        id_in(response.metadata()),
        Some("req-1"),
        "an invalid id should be replaced by a fresh one"
    );
}

#[tokio::test]
async fn errors_carry_the_id_whether_the_handler_or_the_interceptor_refused() {
    let mut stock = client(server().await);
    let not_found = stock
        .get(bearer(get("hammer", 0), ALICE))
        .await
        .expect_err("the shop has no hammer");
    assert_eq!(
        not_found.code(),
        Code::NotFound,
        "an unknown item is NOT_FOUND"
    );
    assert_eq!(
        id_in(not_found.metadata()),
        Some("req-1"),
        "a handler's error is a trailers-only response: its headers must carry the id"
    );
    let refused = stock
        .get(tonic::Request::new(get("bolt", 0)))
        .await
        .expect_err("a call with no token is refused");
    assert_eq!(
        refused.code(),
        Code::Unauthenticated,
        "no token is UNAUTHENTICATED"
    );
    assert_eq!(
        id_in(refused.metadata()),
        Some("req-2"),
        "the interceptor's refusal never reaches a handler, and must carry the id too"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stream_carries_the_id_in_its_head_and_every_item() {
    let response = client(server().await)
        .list(bearer(list(2, 10, false), ALICE))
        .await
        .expect("Alice may call List");
    assert_eq!(
        id_in(response.metadata()),
        Some("req-1"),
        "a stream's head should carry the id, before any item arrives"
    );
    let mut stream = response.into_inner();
    while let Some(item) = stream.message().await.expect("the stream ends with OK") {
        assert_eq!(
            item.request_id, "req-1",
            "the streaming handler should see the same id"
        );
    }
}
