//! Step 1: `fetcher`, the only sender into a bounded channel
//! (src/fetcher.rs).

use std::error::Error;

use job_pool::{Deliveries, StopReason, fetcher};
use tokio::sync::mpsc::{self, error::TryRecvError};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;

use crate::{Script, Then, Work, delivery, ids, jobs, ms, within};

/// Cancels `stop` after `after`, from a task of its own.
fn cancel_after(stop: &CancellationToken, after: std::time::Duration) {
    let stop = stop.clone();
    tokio::spawn(async move {
        sleep(after).await;
        stop.cancel();
    });
}

#[tokio::test(start_paused = true)]
async fn the_fetcher_forwards_every_delivery_in_order_then_ends_the_channel() {
    let source = Script::new(jobs(1, 3, Work::Succeed(ms(10))), Then::Exhausted);
    let (sender, mut receiver) = mpsc::channel(8);
    let report = within(fetcher(source, sender, CancellationToken::new())).await;
    assert_eq!(report.fetched, 3, "three deliveries were fetched");
    assert!(
        matches!(report.stopped, StopReason::Exhausted),
        "the source ran out, got {:?}",
        report.stopped
    );
    let mut received = Vec::new();
    while let Ok(delivery) = receiver.try_recv() {
        received.push(delivery.id);
    }
    assert_eq!(received, ids(1..=3), "in the order the source gave them");
    assert_eq!(
        receiver.try_recv().map(|d| d.id),
        Err(TryRecvError::Disconnected),
        "once the fetcher returns, its sender (the only one) is gone: \
         the channel has ended"
    );
}

#[tokio::test(start_paused = true)]
async fn a_full_channel_keeps_the_fetcher_from_claiming_more() {
    let source = Script::new(jobs(1, 10, Work::Succeed(ms(10))), Then::Exhausted);
    let leases = source.leases();
    let (sender, mut receiver) = mpsc::channel(2);
    let stop = CancellationToken::new();
    let fetching = tokio::spawn(fetcher(source, sender, stop.clone()));
    sleep(ms(100)).await;
    assert_eq!(
        leases.taken(),
        2,
        "with room for 2 and nobody receiving, the fetcher claims exactly 2: reserve a \
         slot *before* fetching (fetching first and then waiting to send claims a 3rd)"
    );
    let first = receiver.recv().await.expect("a delivery is waiting");
    assert_eq!(first.id, crate::id(1));
    sleep(ms(100)).await;
    assert_eq!(
        leases.taken(),
        3,
        "one slot freed, one more delivery claimed"
    );
    stop.cancel();
    let report = within(fetching).await.expect("the fetcher does not panic");
    assert_eq!(report.fetched, 3);
    assert!(
        matches!(report.stopped, StopReason::Shutdown),
        "got {:?}",
        report.stopped
    );
}

#[tokio::test(start_paused = true)]
async fn the_fetcher_never_holds_more_than_capacity_plus_workers_deliveries() {
    // 20 jobs, room for 3 in the channel, and two stand-in workers that take
    // a delivery, work 100 ms on it and end its lease.
    let source = Script::new(jobs(1, 20, Work::Succeed(ms(100))), Then::Exhausted);
    let leases = source.leases();
    let (sender, receiver) = mpsc::channel(3);
    let deliveries = Deliveries::new(receiver);
    let start = Instant::now();
    let fetching = tokio::spawn(fetcher(source, sender, CancellationToken::new()));
    let mut workers = JoinSet::new();
    for _ in 0..2 {
        let deliveries = deliveries.clone();
        let leases = leases.clone();
        workers.spawn(async move {
            while let Some(_delivery) = deliveries.next().await {
                sleep(ms(100)).await;
                leases.end();
            }
        });
    }
    within(workers.join_all()).await;
    let report = fetching.await.expect("the fetcher does not panic");
    assert_eq!(report.fetched, 20, "every job was fetched");
    assert_eq!(
        start.elapsed(),
        ms(1000),
        "20 jobs of 100 ms on 2 workers take 1 s: the channel never ran dry"
    );
    assert_eq!(
        leases.high(),
        3 + 2,
        "at most capacity (3) + workers (2) deliveries leased at once: 6 means the \
         fetcher held one in hand while waiting for room"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stop_stops_a_fetch_that_is_waiting_for_work() {
    // One delivery, then an open queue with nothing in it.
    let source = Script::new(vec![delivery(1, Work::Panic)], Then::Wait);
    let (sender, mut receiver) = mpsc::channel(8);
    let stop = CancellationToken::new();
    cancel_after(&stop, ms(250));
    let start = Instant::now();
    let report = within(fetcher(source, sender, stop)).await;
    assert_eq!(
        start.elapsed(),
        ms(250),
        "a fetch waiting for work must not delay the stop: race it against the token"
    );
    assert!(
        matches!(report.stopped, StopReason::Shutdown),
        "got {:?}",
        report.stopped
    );
    assert_eq!(report.fetched, 1);
    assert_eq!(receiver.recv().await.map(|d| d.id), Some(crate::id(1)));
    assert_eq!(
        receiver.recv().await.map(|d| d.id),
        None,
        "the channel ends when the stopped fetcher returns"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stop_stops_a_fetcher_waiting_for_room() {
    let source = Script::new(jobs(1, 5, Work::Succeed(ms(10))), Then::Exhausted);
    let leases = source.leases();
    // Room for one, and nobody receiving.
    let (sender, _receiver) = mpsc::channel(1);
    let stop = CancellationToken::new();
    cancel_after(&stop, ms(100));
    let start = Instant::now();
    let report = within(fetcher(source, sender, stop)).await;
    assert_eq!(
        start.elapsed(),
        ms(100),
        "the wait for a free slot races the token too"
    );
    assert!(
        matches!(report.stopped, StopReason::Shutdown),
        "got {:?}",
        report.stopped
    );
    assert_eq!(
        leases.taken(),
        1,
        "one delivery fits; no second one was claimed"
    );
}

#[tokio::test(start_paused = true)]
async fn a_fetcher_told_to_stop_claims_nothing() {
    // Sixteen rounds: without `biased;`, `select!` picks at random between
    // the cancelled token and a ready slot or delivery, and one round could
    // pass by luck.
    for _ in 0..16 {
        let source = Script::new(jobs(1, 5, Work::Succeed(ms(10))), Then::Exhausted);
        let leases = source.leases();
        let (sender, _receiver) = mpsc::channel(8);
        let stop = CancellationToken::new();
        stop.cancel();
        let report = within(fetcher(source, sender, stop)).await;
        assert_eq!(
            leases.taken(),
            0,
            "a cancelled token must win over a ready delivery: poll it first (`biased;`)"
        );
        assert_eq!(report.fetched, 0);
        assert!(
            matches!(report.stopped, StopReason::Shutdown),
            "got {:?}",
            report.stopped
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_failing_source_ends_the_stream_with_its_error() {
    let source = Script::new(jobs(1, 2, Work::Succeed(ms(10))), Then::Fail);
    let (sender, mut receiver) = mpsc::channel(8);
    let report = within(fetcher(source, sender, CancellationToken::new())).await;
    assert_eq!(report.fetched, 2);
    let StopReason::SourceFailed(error) = report.stopped else {
        panic!("expected SourceFailed, got {:?}", report.stopped);
    };
    assert_eq!(error.to_string(), "the job source failed");
    assert_eq!(
        error.source().map(ToString::to_string).as_deref(),
        Some("connection reset"),
        "the source's error keeps its cause"
    );
    assert_eq!(receiver.recv().await.map(|d| d.id), Some(crate::id(1)));
    assert_eq!(receiver.recv().await.map(|d| d.id), Some(crate::id(2)));
    assert_eq!(
        receiver.recv().await.map(|d| d.id),
        None,
        "what was fetched stays in the channel, then the channel ends"
    );
}
