//! Step 4: the order of a chain, and the chain itself.

use std::convert::Infallible;

use interceptors::pb::stock_server::StockServer;
use interceptors::{
    AuthInterceptor, Chain, Journal, ProbeLayer, Sequential, Shop, TimingLayer,
    X_REQUEST_ID, in_memory,
};
use tonic::Code;
use tonic::service::InterceptorLayer;
use tonic::transport::Server;
use tower::{ServiceBuilder, ServiceExt};

use crate::{
    ALICE, GET, LIST, bearer, client, get, list, ms, next_record, records, tokens,
};

#[tokio::test]
async fn service_builder_makes_the_first_layer_added_the_outermost() {
    let journal = Journal::new();
    let handler_journal = journal.clone();
    let service = ServiceBuilder::new()
        .layer(ProbeLayer::new("A", journal.clone()))
        .layer(ProbeLayer::new("B", journal.clone()))
        .service_fn(move |request: &'static str| {
            handler_journal.push("handler");
            async move { Ok::<_, Infallible>(request) }
        });
    service.oneshot("hello").await.expect("the handler answers");
    assert_eq!(
        journal.entries(),
        [
            "A: request",
            "B: request",
            "handler",
            "B: response",
            "A: response"
        ],
        "A was added first, so A is outermost: it sees the request first and the \
         response last"
    );
}

#[tokio::test]
async fn server_layers_run_in_the_order_added_and_the_interceptor_inside_them() {
    let journal = Journal::new();
    let (outer, inner) = (journal.clone(), journal.clone());
    let interceptor_journal = journal.clone();
    let shop = Shop::with_journal(journal.clone());
    let channel = in_memory(move |incoming| {
        Server::builder()
            .layer(ProbeLayer::new("A", outer))
            .layer(ProbeLayer::new("B", inner))
            .add_service(StockServer::with_interceptor(
                shop,
                move |request: tonic::Request<()>| {
                    interceptor_journal.push("interceptor");
                    Ok(request)
                },
            ))
            .serve_with_incoming(incoming)
    })
    .await
    .expect("the in-memory connection works");
    client(channel)
        .get(get("bolt", 0))
        .await
        .expect("Get of a stocked item succeeds");
    assert_eq!(
        journal.entries(),
        [
            "A: request",
            "B: request",
            "interceptor",
            "handler: Get",
            "B: response",
            "A: response"
        ],
        "server-wide layers wrap in the order added (A outermost), and a per-service \
         interceptor runs inside all of them, just before the handler"
    );
}

#[tokio::test(start_paused = true)]
async fn with_auth_outermost_a_refused_call_is_never_timed() {
    let (tx, mut rx) = records();
    let channel = in_memory(|incoming| {
        Server::builder()
            .layer(InterceptorLayer::new(AuthInterceptor::new(tokens())))
            .layer(TimingLayer::new(tx))
            .add_service(StockServer::new(Shop::new()))
            .serve_with_incoming(incoming)
    })
    .await
    .expect("the in-memory connection works");
    let mut stock = client(channel);
    let status = stock
        .get(get("bolt", 0))
        .await
        .expect_err("no token, no call");
    assert_eq!(
        status.code(),
        Code::Unauthenticated,
        "no token is UNAUTHENTICATED"
    );
    stock
        .get(bearer(get("nut", 0), ALICE))
        .await
        .expect("Alice may call Get");
    let first = next_record(&mut rx).await;
    assert_eq!(
        first.code,
        Code::Ok,
        "the first record should be Alice's call: the refused one never reached the \
         timing layer inside the interceptor (got {first})"
    );
}

#[tokio::test(start_paused = true)]
async fn with_timing_outermost_a_refused_call_is_timed_as_unauthenticated() {
    let (tx, mut rx) = records();
    let channel = in_memory(|incoming| {
        Server::builder()
            .layer(TimingLayer::new(tx))
            .layer(InterceptorLayer::new(AuthInterceptor::new(tokens())))
            .add_service(StockServer::new(Shop::new()))
            .serve_with_incoming(incoming)
    })
    .await
    .expect("the in-memory connection works");
    client(channel)
        .get(get("bolt", 0))
        .await
        .expect_err("no token, no call");
    let first = next_record(&mut rx).await;
    assert_eq!(
        (first.method.as_str(), first.code, first.elapsed),
        (GET, Code::Unauthenticated, ms(0)),
        "the timing layer outside the interceptor should record the refusal"
    );
}

/// The lesson's chain, with ids `req-1`... and the records sent to `tx`.
async fn chain(
    tx: tokio::sync::mpsc::UnboundedSender<interceptors::CallRecord>,
) -> tonic::transport::Channel {
    let chain = Chain::new(
        tokens(),
        Sequential::new("req").expect("a valid prefix"),
        tx,
    );
    in_memory(|incoming| chain.serve(incoming))
        .await
        .expect("the in-memory connection works")
}

#[tokio::test(start_paused = true)]
async fn the_chain_stamps_and_times_a_refused_call() {
    let (tx, mut rx) = records();
    let status = client(chain(tx).await)
        .get(bearer(get("bolt", 0), "guessed"))
        .await
        .expect_err("a wrong token is refused");
    assert_eq!(
        status.code(),
        Code::Unauthenticated,
        "a wrong token is UNAUTHENTICATED"
    );
    assert_eq!(
        status
            .metadata()
            .get(X_REQUEST_ID)
            .and_then(|v| v.to_str().ok()),
        Some("req-1"),
        "request ids must be outside auth, so a refusal carries one"
    );
    let first = next_record(&mut rx).await;
    assert_eq!(
        (first.method.as_str(), first.code),
        (GET, Code::Unauthenticated),
        "timing must be outside auth, so a refusal is recorded"
    );
    assert_eq!(
        first.request_id.as_ref().map(|id| id.as_str()),
        Some("req-1"),
        "timing must be inside the request-id layer, so the record has the id"
    );
}

#[tokio::test(start_paused = true)]
async fn the_chain_serves_a_stream_with_its_caller_id_and_timing() {
    let (tx, mut rx) = records();
    let response = client(chain(tx).await)
        .list(bearer(list(2, 50, false), ALICE))
        .await
        .expect("Alice may call List");
    let mut stream = response.into_inner();
    while let Some(item) = stream.message().await.expect("the stream ends with OK") {
        assert_eq!(
            (item.served_to.as_str(), item.request_id.as_str()),
            ("alice", "req-1"),
            "the streaming handler should see the caller and the id"
        );
    }
    let first = next_record(&mut rx).await;
    assert_eq!(
        (first.method.as_str(), first.code, first.elapsed),
        (LIST, Code::Ok, ms(100)),
        "the stream should be timed to its end: 2 items, 50 ms apart"
    );
}
