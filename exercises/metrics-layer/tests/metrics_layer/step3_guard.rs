//! Step 3: `CallGuard` (src/guard.rs).
//!
//! These tests run with tokio's clock paused (`start_paused = true`):
//! `advance` and `sleep` move `tokio::time::Instant` forward by exactly the
//! amount asked, so a recorded duration is an exact number of seconds.

use std::cell::Cell;

use metrics_layer::{CallGuard, Code};
use tokio::time::{advance, sleep, timeout};

use crate::{
    STATUS, SUBMIT, bucket, duration_sum, job_service_metrics, ms, requests, scrape,
};

#[tokio::test(start_paused = true)]
async fn a_call_is_in_flight_from_its_start_until_its_guard_is_gone() {
    let (_registry, metrics) = job_service_metrics();
    let first = CallGuard::start(&metrics, SUBMIT);
    assert_eq!(
        metrics.in_flight().get(),
        1,
        "starting a call adds one in flight"
    );
    let second = CallGuard::start(&metrics, STATUS);
    assert_eq!(
        metrics.in_flight().get(),
        2,
        "two calls started, none ended"
    );
    first.finish(Code::OK);
    assert_eq!(
        metrics.in_flight().get(),
        1,
        "finishing a call takes it back"
    );
    drop(second);
    assert_eq!(
        metrics.in_flight().get(),
        0,
        "dropping an unfinished guard takes its call back too"
    );
}

#[tokio::test(start_paused = true)]
async fn a_finished_call_is_counted_once_with_its_code_and_duration() {
    let (registry, metrics) = job_service_metrics();
    let guard = CallGuard::start(&metrics, SUBMIT);
    advance(ms(80)).await;
    guard.finish(Code::grpc(5));
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, SUBMIT, "not_found"),
        Some(1.0),
        "finish(code) counts the call under that code, once:\n{text}"
    );
    assert_eq!(
        duration_sum(&text, SUBMIT, "not_found"),
        Some(0.08),
        "the duration runs from start to finish: 80 ms"
    );
    assert_eq!(bucket(&text, SUBMIT, "not_found", "0.09"), Some(1.0));
    assert_eq!(
        requests(&text, SUBMIT, "cancelled"),
        None,
        "a finished call must not also be counted as cancelled when its guard drops"
    );
}

#[tokio::test(start_paused = true)]
async fn a_guard_dropped_without_finishing_counts_as_cancelled() {
    let (registry, metrics) = job_service_metrics();
    let guard = CallGuard::start(&metrics, STATUS);
    advance(ms(250)).await;
    drop(guard);
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, STATUS, "cancelled"),
        Some(1.0),
        "nobody called finish: the call was cancelled:\n{text}"
    );
    assert_eq!(
        duration_sum(&text, STATUS, "cancelled"),
        Some(0.25),
        "a cancelled call still records how long it ran"
    );
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_future_records_from_its_guard_but_not_after_its_await() {
    let (registry, metrics) = job_service_metrics();
    let after_await = Cell::new(false);
    let handler = async {
        let guard = CallGuard::start(&metrics, SUBMIT);
        sleep(ms(1000)).await;
        // Never reached: the timeout drops this future at 300 ms.
        after_await.set(true);
        guard.finish(Code::OK);
    };
    let outcome = timeout(ms(300), handler).await;
    assert!(outcome.is_err(), "the handler should time out");
    assert!(
        !after_await.get(),
        "the code after `.await` never runs in a dropped future"
    );
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, SUBMIT, "cancelled"),
        Some(1.0),
        "the guard's Drop ran when the future was dropped:\n{text}"
    );
    assert_eq!(
        duration_sum(&text, SUBMIT, "cancelled"),
        Some(0.3),
        "cut at 300 ms"
    );
    assert_eq!(metrics.in_flight().get(), 0, "nothing is left in flight");
}

#[tokio::test(start_paused = true)]
async fn calls_to_unknown_paths_are_measured_under_other() {
    let (registry, metrics) = job_service_metrics();
    CallGuard::start(&metrics, "/.env").finish(Code::grpc(12));
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, "other", "unimplemented"),
        Some(1.0),
        "{text}"
    );
}
