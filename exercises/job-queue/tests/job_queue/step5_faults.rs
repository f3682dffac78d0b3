//! Step 5: faults. A worker that dies mid-job, a dequeue cancelled while
//! the server still moves the job, a stale worker, Redis restarting with
//! and without persistence. These need every step before.

use std::sync::Arc;
use std::time::Duration;

use job_queue::{AckError, Counts, ManualClock, Queue, QueueConfig};
use redis::AsyncCommands;
use redis_harness::{Persistence, RedisServer, Stop};
use tokio::sync::oneshot;

use crate::{
    LEASE, START_MS, Setup, id, lease_of, list, wait_until_blocked, wait_until_len,
};

#[tokio::test]
async fn a_worker_aborted_mid_job_loses_nothing() {
    let setup = Setup::start("a_worker_aborted_mid_job_loses_nothing");
    let producer = setup.queue().await;
    producer
        .enqueue(&id("invoice-7"), r#"{"total":42}"#)
        .await
        .expect("enqueue");

    let mut doomed = setup.queue().await;
    let (claimed, got_claim) = oneshot::channel();
    let worker = tokio::spawn(async move {
        let claim = doomed.dequeue().await.expect("dequeue").expect("a job");
        claimed
            .send(claim.id().to_string())
            .expect("the test is listening");
        // "Working" forever: the task is aborted before it can ack.
        std::future::pending::<()>().await;
    });
    assert_eq!(got_claim.await.expect("the worker claims"), "invoice-7");
    worker.abort();
    let joined = worker.await.expect_err("the worker was aborted");
    assert!(
        joined.is_cancelled(),
        "the worker died by abort, not by a panic"
    );

    assert_eq!(
        producer.counts().await.expect("counts"),
        Counts {
            processing: 1,
            leased: 1,
            stored: 1,
            ..Counts::default()
        },
        "the dead worker's job is still in processing, under its lease"
    );

    setup.clock.advance(LEASE);
    let reaped = producer.reap().await.expect("reap");
    assert_eq!(
        reaped.requeued,
        ["invoice-7"],
        "the reaper re-queues the expired lease"
    );

    let mut rescuer = setup.queue().await;
    let claim = rescuer
        .dequeue()
        .await
        .expect("dequeue")
        .expect("the job again");
    assert_eq!(
        (claim.id().as_str(), claim.attempt(), claim.payload()),
        ("invoice-7", 2, r#"{"total":42}"#),
        "another worker gets the same job, as attempt 2"
    );
    rescuer.ack(&claim).await.expect("the rescuer completes it");
    assert_eq!(
        producer.counts().await.expect("counts"),
        Counts::default(),
        "completed once, nothing left over"
    );
}

#[tokio::test]
async fn a_dequeue_cancelled_while_blocked_is_recovered_by_the_reaper() {
    let setup =
        Setup::private("a_dequeue_cancelled_while_blocked_is_recovered_by_the_reaper");
    let (producer, keys, mut raw) =
        (setup.queue().await, setup.keys(), setup.raw().await);
    let mut impatient = Queue::connect(
        setup.redis.url(),
        setup.config().block(Duration::from_secs(10)),
    )
    .await
    .expect("connect");

    // The client gives up while the server is blocked in BLMOVE, as a
    // `tokio::time::timeout` firing at that moment would: the dequeue
    // future is dropped, its connection stays open.
    tokio::select! {
        result = impatient.dequeue() => {
            panic!("the queue is empty, so dequeue should still be waiting: {result:?}")
        }
        () = wait_until_blocked(&mut raw, 1) => {}
    }

    producer
        .enqueue(&id("orphan"), r#""hello""#)
        .await
        .expect("enqueue");
    // Dropping the future did not cancel the command: the server completes
    // the BLMOVE and moves the job for a client that no longer listens.
    wait_until_len(&mut raw, keys.processing(), 1).await;
    assert_eq!(
        list(&mut raw, keys.pending()).await,
        Vec::<String>::new(),
        "pending is empty"
    );
    assert_eq!(
        lease_of(&mut raw, &keys, "orphan").await,
        None,
        "and nobody claimed it"
    );

    let first = producer.reap().await.expect("reap");
    assert_eq!(
        first.stamped,
        ["orphan"],
        "the reaper leases the unclaimed id"
    );
    setup.clock.advance(LEASE);
    let second = producer.reap().await.expect("reap");
    assert_eq!(
        second.requeued,
        ["orphan"],
        "and re-queues it one lease later"
    );

    let mut worker = setup.queue().await;
    let claim = worker
        .dequeue()
        .await
        .expect("dequeue")
        .expect("the orphan");
    assert_eq!(claim.id().as_str(), "orphan", "another worker gets the job");
    assert_eq!(
        claim.attempt(),
        1,
        "its first real claim: the lost move was no attempt"
    );
    worker.ack(&claim).await.expect("ack");
    drop(impatient);
}

#[tokio::test]
async fn a_stale_worker_cannot_ack_a_job_another_worker_now_holds() {
    let setup = Setup::start("a_stale_worker_cannot_ack_a_job_another_worker_now_holds");
    let (keys, mut raw) = (setup.keys(), setup.raw().await);
    let (mut slow, mut fast) = (setup.queue().await, setup.queue().await);
    slow.enqueue(&id("job"), "{}").await.expect("enqueue");
    let stale = slow.dequeue().await.expect("dequeue").expect("the job");
    setup.clock.advance(LEASE);
    slow.reap().await.expect("reap");
    let fresh = fast
        .dequeue()
        .await
        .expect("dequeue")
        .expect("the job again");

    let error = slow
        .ack(&stale)
        .await
        .expect_err("the slow worker's lease is gone");
    assert!(
        matches!(error, AckError::LeaseLost { .. }),
        "expected AckError::LeaseLost, got {error:?}"
    );
    assert_eq!(
        list(&mut raw, keys.processing()).await,
        ["job"],
        "the stale ack must not remove the job the fast worker holds"
    );
    let holder: Option<u64> = raw.hget(keys.claims(), "job").await.expect("HGET");
    assert_eq!(
        holder,
        Some(fresh.token().0),
        "the fast worker's claim stands"
    );
    fast.ack(&fresh).await.expect("the current holder acks");
    assert_eq!(
        fast.counts().await.expect("counts"),
        Counts::default(),
        "acked once"
    );
}

fn restart_config(clock: &ManualClock) -> QueueConfig {
    QueueConfig::new("restart:")
        .lease(LEASE)
        .block(Duration::from_millis(100))
        .clock(Arc::new(clock.clone()))
}

/// The queue does not reconnect by itself: after the restart its old
/// connections fail, and the caller connects a new `Queue`.
#[tokio::test]
async fn a_job_survives_a_redis_crash_with_append_only_persistence() {
    let mut server = RedisServer::builder()
        .persistence(Persistence::AppendOnlyAlways)
        .start()
        .expect("a redis-server with appendonly yes, appendfsync always");
    let clock = ManualClock::new(START_MS);
    let before = Queue::connect(&server.url(), restart_config(&clock))
        .await
        .expect("connect");
    before
        .enqueue(&id("durable"), r#""kept""#)
        .await
        .expect("enqueue");

    server
        .restart(Stop::Kill)
        .expect("kill -9 and start again on the same port");

    let stale = before.counts().await;
    assert!(
        stale.is_err(),
        "the old connection died with the server; the queue does not reconnect by \
         itself, got {stale:?}"
    );
    let mut after = Queue::connect(&server.url(), restart_config(&clock))
        .await
        .expect("the caller reconnects");
    let claim = after
        .dequeue()
        .await
        .expect("dequeue")
        .expect("with appendfsync always, an acknowledged enqueue survives SIGKILL");
    assert_eq!(
        (claim.id().as_str(), claim.payload()),
        ("durable", r#""kept""#),
        "the same job, with its payload"
    );
}

#[tokio::test]
async fn a_job_is_lost_when_redis_restarts_without_persistence() {
    let mut server = RedisServer::start().expect("a redis-server without persistence");
    let clock = ManualClock::new(START_MS);
    let before = Queue::connect(&server.url(), restart_config(&clock))
        .await
        .expect("connect");
    before.enqueue(&id("doomed"), "{}").await.expect("enqueue");

    server
        .restart(Stop::Kill)
        .expect("kill -9 and start again on the same port");

    let mut after = Queue::connect(&server.url(), restart_config(&clock))
        .await
        .expect("the caller reconnects");
    let claim = after.dequeue().await.expect("dequeue");
    assert!(
        claim.is_none(),
        "without persistence a restart empties Redis: the job is gone, got {claim:?}"
    );
    assert_eq!(
        after.counts().await.expect("counts"),
        Counts::default(),
        "no trace of it anywhere: a queue is only as durable as its Redis"
    );
}
