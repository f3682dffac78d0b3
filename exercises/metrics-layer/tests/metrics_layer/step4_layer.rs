//! Step 4: `RedLayer`, `Red` and `ResponseFuture` (src/layer.rs).
//!
//! The services under the layer are `tower::service_fn` handlers: the same
//! shape as an axum route or a tonic server, with none of their setup.

use std::convert::Infallible;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use http::{Request, Response, StatusCode};
use metrics_layer::RedLayer;
use tokio::time::{sleep, timeout};
use tower::{Layer, Service, ServiceExt, service_fn};

use crate::{
    STATUS, SUBMIT, bucket, duration_count, duration_sum, job_service_metrics, ms,
    requests, scrape,
};

fn request(path: &str) -> Request<()> {
    Request::builder()
        .uri(path)
        .body(())
        .expect("a valid request")
}

/// A response as tonic sends a handler's `Err(Status)`: HTTP 200 with the
/// gRPC status in the headers.
fn grpc_error(status: u32) -> Response<&'static str> {
    Response::builder()
        .header("content-type", "application/grpc")
        .header("grpc-status", status.to_string())
        .body("")
        .expect("a valid response")
}

/// A successful gRPC response: its status would come in the trailers.
fn grpc_ok() -> Response<&'static str> {
    Response::builder()
        .header("content-type", "application/grpc")
        .body("job accepted")
        .expect("a valid response")
}

#[tokio::test(start_paused = true)]
async fn every_call_is_counted_by_method_and_code_with_no_code_in_the_handler() {
    let (registry, metrics) = job_service_metrics();
    let handler = service_fn(|request: Request<()>| async move {
        let response = match request.uri().path() {
            SUBMIT => grpc_ok(),
            STATUS => grpc_error(5),
            _ => grpc_error(12),
        };
        Ok::<_, Infallible>(response)
    });
    let mut service = RedLayer::new(metrics).layer(handler);
    for path in [SUBMIT, SUBMIT, SUBMIT, STATUS, "/jobs.Jobs/Purge", "/admin"] {
        let response = service
            .ready()
            .await
            .expect("always ready")
            .call(request(path))
            .await;
        assert!(response.is_ok(), "the handler never fails");
    }
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, SUBMIT, "ok"),
        Some(3.0),
        "three submits:\n{text}"
    );
    assert_eq!(
        requests(&text, STATUS, "not_found"),
        Some(1.0),
        "one status call"
    );
    assert_eq!(
        requests(&text, "other", "unimplemented"),
        Some(2.0),
        "two calls to paths outside the allow-list"
    );
}

#[tokio::test(start_paused = true)]
async fn the_duration_is_the_time_the_inner_service_took() {
    let (registry, metrics) = job_service_metrics();
    let handler = service_fn(|_: Request<()>| async {
        sleep(ms(30)).await;
        Ok::<_, Infallible>(grpc_ok())
    });
    RedLayer::new(metrics)
        .layer(handler)
        .oneshot(request(SUBMIT))
        .await
        .expect("the handler never fails");
    let text = scrape(&registry);
    assert_eq!(
        duration_sum(&text, SUBMIT, "ok"),
        Some(0.03),
        "30 ms:\n{text}"
    );
    assert_eq!(
        bucket(&text, SUBMIT, "ok", "0.025"),
        Some(0.0),
        "not under 25 ms"
    );
    assert_eq!(
        bucket(&text, SUBMIT, "ok", "0.05"),
        Some(1.0),
        "under 50 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn the_response_and_the_error_pass_through_unchanged() {
    let (registry, metrics) = job_service_metrics();
    let handler = service_fn(|request: Request<()>| async move {
        if request.uri().path() == SUBMIT {
            Ok(Response::builder()
                .status(StatusCode::ACCEPTED)
                .body("queued as job 7")
                .expect("a valid response"))
        } else {
            Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "backend went away",
            ))
        }
    });
    let mut service = RedLayer::new(metrics).layer(handler);

    let response = service
        .ready()
        .await
        .expect("always ready")
        .call(request(SUBMIT))
        .await
        .expect("the submit succeeds");
    assert_eq!(
        response.status(),
        StatusCode::ACCEPTED,
        "the status is untouched"
    );
    assert_eq!(*response.body(), "queued as job 7", "the body is untouched");

    let error = service
        .ready()
        .await
        .expect("always ready")
        .call(request(STATUS))
        .await
        .expect_err("the status call fails");
    assert_eq!(
        error.kind(),
        io::ErrorKind::ConnectionReset,
        "the layer hands back the inner service's own error"
    );

    let text = scrape(&registry);
    assert_eq!(
        requests(&text, SUBMIT, "2xx"),
        Some(1.0),
        "a 202 is a 2xx:\n{text}"
    );
    assert_eq!(
        requests(&text, STATUS, "error"),
        Some(1.0),
        "an Err from the inner service is counted, as `error`"
    );
}

#[tokio::test(start_paused = true)]
async fn calls_are_in_flight_from_call_until_they_finish() {
    let (_registry, metrics) = job_service_metrics();
    let seen_by_handler = metrics.clone();
    let handler = service_fn(move |_: Request<()>| {
        let in_flight = seen_by_handler.in_flight().get();
        async move {
            sleep(ms(10)).await;
            Ok::<_, Infallible>(Response::new(in_flight))
        }
    });
    let mut service = RedLayer::new(metrics.clone()).layer(handler);
    let first = service.call(request(SUBMIT));
    let second = service.call(request(SUBMIT));
    let third = service.call(request(STATUS));
    assert_eq!(
        metrics.in_flight().get(),
        3,
        "three calls made, none finished"
    );
    let (first, second, third) = tokio::join!(first, second, third);
    let seen = [first, second, third].map(|r| *r.expect("never fails").body());
    assert_eq!(
        seen,
        [1, 2, 3],
        "each handler runs inside `call`, after its own call was counted in flight"
    );
    assert_eq!(metrics.in_flight().get(), 0, "all three finished");
}

#[tokio::test(start_paused = true)]
async fn a_call_dropped_before_its_first_poll_is_counted_as_cancelled() {
    let (registry, metrics) = job_service_metrics();
    let started = Arc::new(AtomicBool::new(false));
    let handler_started = Arc::clone(&started);
    let handler = service_fn(move |_: Request<()>| {
        let handler_started = Arc::clone(&handler_started);
        async move {
            handler_started.store(true, Ordering::Relaxed);
            Ok::<_, Infallible>(grpc_ok())
        }
    });
    let mut service = RedLayer::new(metrics.clone()).layer(handler);
    let call = service.call(request(SUBMIT));
    assert_eq!(metrics.in_flight().get(), 1, "the call counts from `call`");
    drop(call);
    assert!(
        !started.load(Ordering::Relaxed),
        "the handler's body never ran"
    );
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, SUBMIT, "cancelled"),
        Some(1.0),
        "a future dropped before its first poll still records its call: make the \
         guard in `call`, not inside the future:\n{text}"
    );
    assert_eq!(
        duration_sum(&text, SUBMIT, "cancelled"),
        Some(0.0),
        "it lasted 0 s"
    );
    assert_eq!(
        metrics.in_flight().get(),
        0,
        "and it is no longer in flight"
    );
}

#[tokio::test(start_paused = true)]
async fn a_call_dropped_while_pending_is_counted_as_cancelled_with_its_duration() {
    let (registry, metrics) = job_service_metrics();
    let handler = service_fn(|_: Request<()>| async {
        sleep(ms(1000)).await;
        Ok::<_, Infallible>(grpc_ok())
    });
    let service = RedLayer::new(metrics.clone()).layer(handler);
    // The client gives up after 40 ms: its deadline drops the call's future.
    let outcome = timeout(ms(40), service.oneshot(request(STATUS))).await;
    assert!(outcome.is_err(), "the client's deadline fires first");
    let text = scrape(&registry);
    assert_eq!(requests(&text, STATUS, "cancelled"), Some(1.0), "{text}");
    assert_eq!(
        duration_sum(&text, STATUS, "cancelled"),
        Some(0.04),
        "cut at 40 ms"
    );
    assert_eq!(requests(&text, STATUS, "ok"), None, "it never finished");
    assert_eq!(metrics.in_flight().get(), 0, "nothing left in flight");
}

#[tokio::test(start_paused = true)]
async fn a_scan_of_random_paths_adds_one_series_not_thousands() {
    let (registry, metrics) = job_service_metrics();
    let handler =
        service_fn(|_: Request<()>| async { Ok::<_, Infallible>(grpc_error(12)) });
    let mut service = RedLayer::new(metrics).layer(handler);
    for n in 0..1000 {
        let path = format!("/scan/{n:04x}.php");
        service
            .ready()
            .await
            .expect("always ready")
            .call(request(&path))
            .await
            .expect("never fails");
    }
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, "other", "unimplemented"),
        Some(1000.0),
        "{text}"
    );
    let series = text
        .lines()
        .filter(|line| line.starts_with("requests_total{"))
        .count();
    assert_eq!(series, 1, "1000 paths, one `other` series:\n{text}");
    assert_eq!(
        duration_count(&text, "other", "unimplemented"),
        Some(1000.0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn calls_from_many_threads_are_all_counted() {
    let (registry, metrics) = job_service_metrics();
    let handler = service_fn(|_: Request<()>| async { Ok::<_, Infallible>(grpc_ok()) });
    let service = RedLayer::new(metrics.clone()).layer(handler);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let mut service = service.clone();
        tasks.spawn(async move {
            for _ in 0..200 {
                let ready = service.ready().await.expect("always ready");
                ready.call(request(SUBMIT)).await.expect("never fails");
                tokio::task::yield_now().await;
            }
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.expect("no task panics");
    }
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, SUBMIT, "ok"),
        Some(1600.0),
        "8 tasks on 4 threads made 200 calls each; every one is counted:\n{text}"
    );
    assert_eq!(duration_count(&text, SUBMIT, "ok"), Some(1600.0));
    assert_eq!(metrics.in_flight().get(), 0, "every call finished");
}
