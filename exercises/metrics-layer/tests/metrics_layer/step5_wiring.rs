//! Step 5: `metered`, and the order of the layers (src/wiring.rs).
//!
//! The same slow handler, the same 100 ms timeout, two orders: which one the
//! metrics layer sees as an `error` and which as `cancelled`.

use std::convert::Infallible;

use http::{Request, Response};
use metrics_layer::{RedLayer, metered};
use tokio::time::{sleep, timeout};
use tower::timeout::error::Elapsed;
use tower::{BoxError, ServiceBuilder, ServiceExt, service_fn};

use crate::{SUBMIT, bucket, duration_sum, job_service_metrics, ms, requests, scrape};

fn request() -> Request<()> {
    Request::builder()
        .uri(SUBMIT)
        .body(())
        .expect("a valid request")
}

/// A handler that takes `delay` to answer.
fn slow_handler(
    delay: u64,
) -> impl tower::Service<Request<()>, Response = Response<&'static str>, Error = Infallible>
+ Clone {
    service_fn(move |_: Request<()>| async move {
        sleep(ms(delay)).await;
        Ok::<_, Infallible>(Response::new("done"))
    })
}

#[tokio::test(start_paused = true)]
async fn metered_counts_a_fast_call_normally() {
    let (registry, metrics) = job_service_metrics();
    let service = metered(slow_handler(20), metrics, ms(100));
    let response = service
        .oneshot(request())
        .await
        .expect("20 ms is under 100 ms");
    assert_eq!(*response.body(), "done");
    let text = scrape(&registry);
    assert_eq!(requests(&text, SUBMIT, "2xx"), Some(1.0), "{text}");
    assert_eq!(duration_sum(&text, SUBMIT, "2xx"), Some(0.02));
}

#[tokio::test(start_paused = true)]
async fn with_metrics_outside_the_timeout_a_timeout_is_an_error() {
    let (registry, metrics) = job_service_metrics();
    let service = metered(slow_handler(1000), metrics.clone(), ms(100));
    let error: BoxError = service
        .oneshot(request())
        .await
        .expect_err("1 s is over the 100 ms timeout");
    assert!(
        error.is::<Elapsed>(),
        "the caller gets the timeout's Elapsed error"
    );
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, SUBMIT, "error"),
        Some(1.0),
        "metered() puts the metrics layer outside the timeout, so it sees the timeout \
         as the inner service's Err:\n{text}"
    );
    assert_eq!(
        requests(&text, SUBMIT, "cancelled"),
        None,
        "nothing was dropped"
    );
    assert_eq!(
        duration_sum(&text, SUBMIT, "error"),
        Some(0.1),
        "cut at 100 ms"
    );
    assert_eq!(
        bucket(&text, SUBMIT, "error", "0.09"),
        Some(0.0),
        "a timed-out call lands in the bucket at the timeout"
    );
    assert_eq!(bucket(&text, SUBMIT, "error", "0.1"), Some(1.0));
    assert_eq!(metrics.in_flight().get(), 0, "nothing left in flight");
}

#[tokio::test(start_paused = true)]
async fn with_the_timeout_outside_the_metrics_a_timeout_is_a_cancellation() {
    let (registry, metrics) = job_service_metrics();
    // The other order: the first layer added is the outermost.
    let service = ServiceBuilder::new()
        .timeout(ms(100))
        .layer(RedLayer::new(metrics.clone()))
        .service(slow_handler(1000));
    let error = service
        .oneshot(request())
        .await
        .expect_err("1 s is over the 100 ms timeout");
    assert!(
        error.is::<Elapsed>(),
        "the caller sees the same error as before"
    );
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, SUBMIT, "cancelled"),
        Some(1.0),
        "the timeout dropped the metrics layer's future: only its guard could record:\n{text}"
    );
    assert_eq!(
        requests(&text, SUBMIT, "error"),
        None,
        "the layer saw no Err"
    );
    assert_eq!(
        duration_sum(&text, SUBMIT, "cancelled"),
        Some(0.1),
        "cut at 100 ms"
    );
    assert_eq!(metrics.in_flight().get(), 0, "nothing left in flight");
}

#[tokio::test(start_paused = true)]
async fn a_client_that_hangs_up_is_counted_as_cancelled_even_outside_the_timeout() {
    let (registry, metrics) = job_service_metrics();
    let service = metered(slow_handler(1000), metrics.clone(), ms(100));
    // The client's own deadline (or its connection closing) drops the whole
    // stack's future at 30 ms, before the server's timeout.
    let hung_up = timeout(ms(30), service.oneshot(request())).await;
    assert!(hung_up.is_err(), "the client gives up first");
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, SUBMIT, "cancelled"),
        Some(1.0),
        "a hang-up drops every layer's future, the metrics layer's too:\n{text}"
    );
    assert_eq!(
        duration_sum(&text, SUBMIT, "cancelled"),
        Some(0.03),
        "cut at 30 ms"
    );
    assert_eq!(metrics.in_flight().get(), 0, "nothing left in flight");
}
