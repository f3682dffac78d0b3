//! Step 5: deadlines that cover the whole stream (`deadline.rs`).

use std::time::Duration;

use streaming::pb::WatchRequest;
use streaming::{GRPC_TIMEOUT, WithDeadline, grpc_timeout};
use tokio::time::Instant;
use tokio_stream::StreamExt;
use tonic::metadata::{MetadataMap, MetadataValue};
use tonic::{Code, Status};

use crate::{HANG, seqs, start, ticking_every, ticks_until_error, within};

fn with_timeout(value: &'static str) -> MetadataMap {
    let mut metadata = MetadataMap::new();
    metadata.insert(GRPC_TIMEOUT, MetadataValue::from_static(value));
    metadata
}

#[test]
fn grpc_timeout_reads_every_unit() {
    let cases = [
        ("2H", Duration::from_secs(7_200)),
        ("3M", Duration::from_secs(180)),
        ("45S", Duration::from_secs(45)),
        ("250m", Duration::from_millis(250)),
        ("100u", Duration::from_micros(100)),
        ("7n", Duration::from_nanos(7)),
        ("0m", Duration::ZERO),
        ("99999999H", Duration::from_secs(99_999_999 * 3_600)),
    ];
    for (value, expected) in cases {
        let parsed = grpc_timeout(&with_timeout(value));
        assert_eq!(
            parsed.ok(),
            Some(Some(expected)),
            "grpc-timeout {value:?} should read as {expected:?}"
        );
    }
}

#[test]
fn no_grpc_timeout_means_no_deadline() {
    let parsed = grpc_timeout(&MetadataMap::new());
    assert_eq!(
        parsed.ok(),
        Some(None),
        "a request without grpc-timeout has no deadline, and that is not an error"
    );
}

#[test]
fn a_malformed_grpc_timeout_is_refused() {
    // What tonic's own request.set_timeout writes is always well formed;
    // these come from a buggy client.
    for value in [
        "",
        "m",
        "10",
        "10x",
        "123456789m",
        "-5m",
        "+5m",
        "1.5S",
        "5 S",
    ] {
        let status = grpc_timeout(&with_timeout(value))
            .expect_err(&format!("grpc-timeout {value:?} should be refused"));
        assert_eq!(
            status.code(),
            Code::InvalidArgument,
            "a malformed grpc-timeout ({value:?}) is InvalidArgument: {status:?}"
        );
    }
}

#[test]
fn what_set_timeout_writes_reads_back() {
    let mut request = tonic::Request::new(());
    request.set_timeout(Duration::from_millis(250));
    assert_eq!(
        grpc_timeout(request.metadata()).ok(),
        Some(Some(Duration::from_millis(250))),
        "tonic writes 250ms as \"250000u\", which should read back as 250ms"
    );
}

#[tokio::test(start_paused = true)]
async fn with_deadline_passes_items_then_ends_with_deadline_exceeded() {
    let start = Instant::now();
    // Two items at once, then a stream that never yields again.
    let inner =
        tokio_stream::iter([Ok::<u32, Status>(1), Ok(2)]).chain(tokio_stream::pending());
    let mut stream = Box::pin(WithDeadline::new(inner, Duration::from_millis(300)));
    let first = within(stream.next(), "the first item")
        .await
        .map(|item| item.ok());
    let second = within(stream.next(), "the second item")
        .await
        .map(|item| item.ok());
    assert_eq!(
        (first, second),
        (Some(Some(1)), Some(Some(2))),
        "items before the deadline should pass through unchanged"
    );
    let third = tokio::time::timeout(HANG, stream.next()).await.expect(
        "the deadline should wake the stream even though the inner one is silent",
    );
    let status = third
        .expect("the deadline should yield an error before the stream ends")
        .expect_err("the item at the deadline is an error");
    assert_eq!(
        status.code(),
        Code::DeadlineExceeded,
        "the deadline yields DeadlineExceeded: {status:?}"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(300),
        "the error should come exactly at the deadline"
    );
    assert!(
        within(stream.next(), "the end after the deadline error")
            .await
            .is_none(),
        "after the deadline error the stream should end"
    );
}

/// The inner stream has every item ready at once, and the clock jumps past
/// the deadline between two polls. `poll_next` must look at the deadline
/// before the inner stream: once the time is up, a ready item is too late.
#[tokio::test(start_paused = true)]
async fn an_item_still_ready_after_the_deadline_is_too_late() {
    let inner = tokio_stream::iter([Ok::<u32, Status>(1), Ok(2), Ok(3)]);
    let mut stream = Box::pin(WithDeadline::new(inner, Duration::from_millis(300)));
    let first = within(stream.next(), "the first item").await;
    assert_eq!(
        first.map(|item| item.ok()),
        Some(Some(1)),
        "an item before the deadline should pass through unchanged"
    );
    tokio::time::advance(Duration::from_millis(300)).await;
    let late = within(stream.next(), "the poll after the deadline")
        .await
        .expect("the deadline should yield an error before the stream ends");
    assert_eq!(
        late.as_ref().map_err(Status::code),
        Err(Code::DeadlineExceeded),
        "once the deadline has passed, the next poll should yield DeadlineExceeded, \
         not item 2 (which was ready too): poll the sleep before the inner stream"
    );
    assert!(
        within(stream.next(), "the end after the deadline error")
            .await
            .is_none(),
        "after the deadline error the stream should end, not hand out the late items"
    );
}

#[tokio::test(start_paused = true)]
async fn a_deadline_ends_a_watch_and_stops_its_producer() {
    let (mut client, service) = start(ticking_every(Duration::from_millis(100))).await;
    let start = Instant::now();
    let mut request = tonic::Request::new(WatchRequest {
        symbol: "ACME".to_owned(),
    });
    request.set_timeout(Duration::from_millis(250));
    let mut ticks = client
        .watch(request)
        .await
        .expect("the response headers come long before the deadline")
        .into_inner();
    let (received, status) = ticks_until_error(&mut ticks, "the 250ms deadline").await;
    assert_eq!(
        seqs(&received),
        [0, 1, 2],
        "the ticks at 0, 100 and 200ms come before the 250ms deadline"
    );
    assert_eq!(
        status.code(),
        Code::DeadlineExceeded,
        "the stream should end with DeadlineExceeded: {status:?}"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(250),
        "the stream should end exactly at the deadline"
    );
    tokio::time::timeout(HANG, service.producers().all_stopped())
        .await
        .expect("ending the stream should stop the producer too");
}

#[tokio::test(start_paused = true)]
async fn a_malformed_deadline_is_refused_before_the_watch_starts() {
    let (mut client, service) = start(ticking_every(Duration::from_millis(100))).await;
    let mut request = tonic::Request::new(WatchRequest {
        symbol: "ACME".to_owned(),
    });
    request
        .metadata_mut()
        .insert(GRPC_TIMEOUT, MetadataValue::from_static("soon"));
    let status = client
        .watch(request)
        .await
        .expect_err("a watch with grpc-timeout \"soon\" should be refused");
    assert_eq!(
        status.code(),
        Code::InvalidArgument,
        "a malformed grpc-timeout is InvalidArgument: {status:?}"
    );
    assert_eq!(
        service.producers().live(),
        0,
        "a refused watch should start no producer"
    );
}
