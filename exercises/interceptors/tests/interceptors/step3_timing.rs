//! Step 3: the timing layer, to the end of the body, from a drop guard.

use std::collections::HashSet;
use std::convert::Infallible;
use std::pin::Pin;

use http_body::Body;
use interceptors::pb::stock_server::StockServer;
use interceptors::{
    CallRecord, FirstByteTimingLayer, RequestId, RequestIdLayer, Sequential, Shop,
    TimedBody, TimingLayer, in_memory,
};
use tokio::time::{Instant, timeout};
use tonic::Code;
use tonic::transport::{Channel, Server};
use tower::{ServiceBuilder, ServiceExt};

use crate::{GET, LIST, client, get, list, ms, next_record, records};

/// A server with request ids (`req-1`...) outside the timing layer under
/// test, in front of the shop (no auth: this step is about timing).
async fn timed_server(sink: impl interceptors::Sink) -> Channel {
    in_memory(|incoming| {
        Server::builder()
            .layer(RequestIdLayer::new(
                Sequential::new("req").expect("a valid prefix"),
            ))
            .layer(TimingLayer::new(sink))
            .add_service(StockServer::new(Shop::new()))
            .serve_with_incoming(incoming)
    })
    .await
    .expect("the in-memory connection works")
}

/// A server with the real timing layer outside the naive one.
async fn both_layers(
    real: impl interceptors::Sink,
    naive: impl interceptors::Sink,
) -> Channel {
    in_memory(|incoming| {
        Server::builder()
            .layer(TimingLayer::new(real))
            .layer(FirstByteTimingLayer::new(naive))
            .add_service(StockServer::new(Shop::new()))
            .serve_with_incoming(incoming)
    })
    .await
    .expect("the in-memory connection works")
}

fn record(method: &str, code: Code, elapsed_ms: u64, id: Option<&str>) -> CallRecord {
    CallRecord {
        method: method.to_owned(),
        code,
        elapsed: ms(elapsed_ms),
        request_id: id.map(|id| RequestId::parse(id).expect("a valid id")),
    }
}

#[tokio::test(start_paused = true)]
async fn a_unary_call_is_recorded_with_its_method_status_duration_and_id() {
    let (tx, mut rx) = records();
    client(timed_server(tx).await)
        .get(get("bolt", 50))
        .await
        .expect("Get of a stocked item succeeds");
    assert_eq!(
        next_record(&mut rx).await,
        record(GET, Code::Ok, 50, Some("req-1")),
        "the record should hold the path, OK, the handler's 50 ms and the request id \
         (read from the extensions the outer layer filled)"
    );
}

#[tokio::test(start_paused = true)]
async fn a_handler_error_is_recorded_with_its_status() {
    let (tx, mut rx) = records();
    let status = client(timed_server(tx).await)
        .get(get("hammer", 20))
        .await
        .expect_err("the shop has no hammer");
    assert_eq!(
        status.code(),
        Code::NotFound,
        "an unknown item is NOT_FOUND"
    );
    assert_eq!(
        next_record(&mut rx).await,
        record(GET, Code::NotFound, 20, Some("req-1")),
        "a trailers-only error should be recorded with the grpc-status of its head"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stream_is_timed_to_its_end_not_to_its_first_byte() {
    let (real, mut real_rx) = records();
    let (naive, mut naive_rx) = records();
    let mut stream = client(both_layers(real, naive).await)
        .list(list(3, 100, false))
        .await
        .expect("List succeeds")
        .into_inner();
    let mut items = 0;
    while stream
        .message()
        .await
        .expect("the stream ends with OK")
        .is_some()
    {
        items += 1;
    }
    assert_eq!(items, 3, "the stream should deliver 3 items");
    assert_eq!(
        next_record(&mut naive_rx).await,
        record(LIST, Code::Ok, 0, None),
        "the naive layer stops its clock at the head: 0 ms for a 300 ms stream"
    );
    assert_eq!(
        next_record(&mut real_rx).await,
        record(LIST, Code::Ok, 300, None),
        "the timing layer should stop its clock at the trailers: 3 items, 100 ms apart"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stream_that_fails_is_recorded_with_the_status_from_its_trailers() {
    let (real, mut real_rx) = records();
    let (naive, mut naive_rx) = records();
    let mut stream = client(both_layers(real, naive).await)
        .list(list(2, 100, true))
        .await
        .expect("the stream starts fine")
        .into_inner();
    let mut items = 0;
    let status = loop {
        match stream.message().await {
            Ok(Some(_)) => items += 1,
            Ok(None) => panic!("this stream should end with an error, not OK"),
            Err(status) => break status,
        }
    };
    assert_eq!(
        (items, status.code()),
        (2, Code::Unavailable),
        "two items, then UNAVAILABLE"
    );
    assert_eq!(
        next_record(&mut naive_rx).await,
        record(LIST, Code::Ok, 0, None),
        "the naive layer reads OK from a head that has no status yet"
    );
    assert_eq!(
        next_record(&mut real_rx).await,
        record(LIST, Code::Unavailable, 200, None),
        "the timing layer should read UNAVAILABLE from the trailers, at 200 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stream_the_client_drops_is_recorded_as_cancelled() {
    let (tx, mut rx) = records();
    let mut stream = client(timed_server(tx).await)
        .list(list(3, 100, false))
        .await
        .expect("List succeeds")
        .into_inner();
    stream
        .message()
        .await
        .expect("the first item arrives")
        .expect("the stream has a first item");
    drop(stream);
    assert_eq!(
        next_record(&mut rx).await,
        record(LIST, Code::Cancelled, 100, Some("req-1")),
        "a body dropped before its end should be recorded, from the guard's Drop, as \
         CANCELLED at the moment the client left"
    );
}

#[tokio::test(start_paused = true)]
async fn a_call_dropped_before_its_head_is_recorded_as_cancelled() {
    let (tx, mut rx) = records();
    let slow = ServiceBuilder::new()
        .layer(TimingLayer::new(tx))
        .service_fn(|_: http::Request<()>| async {
            tokio::time::sleep(ms(60_000)).await;
            Ok::<_, Infallible>(http::Response::new(String::new()))
        });
    let request = http::Request::builder()
        .uri("/slow.Service/Call")
        .body(())
        .expect("a valid request");
    let start = Instant::now();
    let outcome = timeout(ms(250), slow.oneshot(request)).await;
    assert!(outcome.is_err(), "the timeout should fire first");
    assert_eq!(start.elapsed(), ms(250), "the timeout fires at 250 ms");
    assert_eq!(
        next_record(&mut rx).await,
        record("/slow.Service/Call", Code::Cancelled, 250, None),
        "a future dropped before its response should be recorded by its guard"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn calls_on_many_threads_are_each_recorded_once() {
    let (tx, mut rx) = records();
    let channel = timed_server(tx).await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let mut stock = client(channel.clone());
            tokio::spawn(async move {
                for _ in 0..25 {
                    stock.get(get("washer", 0)).await.expect("Get succeeds");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a client task finishes");
    }
    let mut ids = HashSet::new();
    for _ in 0..200 {
        let call = next_record(&mut rx).await;
        assert_eq!(call.code, Code::Ok, "every call succeeded: {call}");
        let id = call.request_id.expect("every call has a request id");
        assert!(ids.insert(id.clone()), "request id {id} was recorded twice");
    }
    assert_eq!(
        ids.len(),
        200,
        "200 calls on 4 worker threads should give 200 records with distinct ids"
    );
}

/// A `TimingLayer` around a handler that works `work_ms`, then answers with
/// `body` and, if given, a `grpc-status` header.
async fn timed_response(
    tx: tokio::sync::mpsc::UnboundedSender<CallRecord>,
    work_ms: u64,
    status: Option<&'static str>,
    body: &'static str,
) -> TimedBody<String> {
    let service = ServiceBuilder::new()
        .layer(TimingLayer::new(tx))
        .service_fn(move |_: http::Request<()>| async move {
            tokio::time::sleep(ms(work_ms)).await;
            let mut response = http::Response::new(body.to_owned());
            if let Some(status) = status {
                response
                    .headers_mut()
                    .insert("grpc-status", http::HeaderValue::from_static(status));
            }
            Ok::<_, Infallible>(response)
        });
    let request = http::Request::builder()
        .uri(GET)
        .body(())
        .expect("a valid request");
    service
        .oneshot(request)
        .await
        .expect("the handler answers")
        .into_body()
}

#[tokio::test(start_paused = true)]
async fn an_empty_body_still_says_it_is_at_its_end_and_is_recorded_once() {
    let (tx, mut rx) = records();
    // A trailers-only response, as tonic makes for an `Err(Status)`: the
    // status in the head, and an empty body.
    let body = timed_response(tx, 20, Some("5"), "").await;
    assert!(
        body.is_end_stream(),
        "TimedBody::is_end_stream should forward to the inner body: hyper sends a \
         trailers-only response as one HEADERS frame only if the body says it is at \
         its end already, and the trait's default answer is `false`"
    );
    assert_eq!(
        body.size_hint().exact(),
        Some(0),
        "TimedBody::size_hint should forward to the inner body"
    );
    // What hyper does with a body at its end: drop it without polling it.
    drop(body);
    assert_eq!(
        next_record(&mut rx).await,
        record(GET, Code::NotFound, 20, None),
        "an unpolled trailers-only body should be recorded, when dropped, with the \
         grpc-status of its head"
    );
    assert_eq!(
        rx.recv().await,
        None,
        "one call, one record: only the guard's Drop should record"
    );
}

#[tokio::test(start_paused = true)]
async fn a_body_that_ends_with_its_data_is_recorded_at_that_frame() {
    let (tx, mut rx) = records();
    let mut body = timed_response(tx, 10, None, "plain HTTP, no trailers").await;
    let frame = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx))
        .await
        .expect("the body has one data frame")
        .expect("a String body cannot fail");
    assert!(frame.is_data(), "a String body sends its text as data");
    assert!(
        body.is_end_stream(),
        "after its only frame, the body is at its end"
    );
    // hyper stops here: it sends END_STREAM with the data and drops the body
    // without polling for `None`. The call has ended, so it must be recorded
    // now, with UNKNOWN (no grpc-status anywhere), not later as CANCELLED.
    assert_eq!(
        rx.try_recv().ok(),
        Some(record(GET, Code::Unknown, 10, None)),
        "TimedBody::poll_frame should record the call at a data frame after which \
         the inner body is at its end (is_end_stream), as it does at `None`"
    );
    drop(body);
    assert_eq!(
        rx.recv().await,
        None,
        "one call, one record: dropping the body afterwards records nothing more"
    );
}
