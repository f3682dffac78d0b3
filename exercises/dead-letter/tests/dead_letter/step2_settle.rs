//! Step 2: a failed claim is scheduled for a retry or dead-lettered, and a
//! job is always in exactly one place.

use std::io;
use std::time::Duration;

use dead_letter::{DeadKind, HandleError, Settled};
use job_queue::{AckError, DequeueError, EnqueueError, JobId, Malformation};
use redis::RedisError;

use crate::{START_MS, harness, refused_chain, timed_out_send};

#[tokio::test]
async fn a_transient_failure_with_attempts_left_is_scheduled_after_the_backoff() {
    let mut h = harness("transient_is_scheduled", 3).await;
    h.enqueue("job-1").await;
    let claim = h.claim().await;

    let settled = h
        .dlq
        .settle(&claim, &timed_out_send())
        .await
        .expect("settle");

    assert_eq!(
        settled,
        Settled::Retry {
            due_ms: START_MS + 1_000
        },
        "a timeout on attempt 1 of 3 should retry after the base delay (1 s)"
    );
    let census = h.census().await;
    assert_eq!(
        census.scheduled,
        ["job-1"],
        "the job should wait in scheduled"
    );
    assert!(census.processing.is_empty(), "and have left processing");
}

#[tokio::test]
async fn a_scheduled_job_returns_to_pending_only_when_due() {
    let mut h = harness("scheduled_until_due", 3).await;
    h.enqueue("job-1").await;
    let claim = h.claim().await;
    h.dlq
        .settle(&claim, &timed_out_send())
        .await
        .expect("settle");

    h.clock.advance(Duration::from_millis(999));
    let early = h.dlq.promote().await.expect("promote");
    assert!(
        early.is_empty(),
        "1 ms before it is due, nothing should move"
    );

    h.clock.advance(Duration::from_millis(1));
    let due = h.dlq.promote().await.expect("promote");
    assert_eq!(
        due,
        ["job-1"],
        "once due, the job should go back to pending"
    );
    assert_eq!(h.census().await.pending, ["job-1"], "it should be pending");
    assert_eq!(
        h.claim().await.attempt(),
        2,
        "the next claim should be attempt 2: the count survives the wait"
    );
}

#[tokio::test]
async fn the_second_retry_waits_twice_as_long() {
    let mut h = harness("backoff_doubles", 3).await;
    h.enqueue("job-1").await;
    let claim = h.claim().await;
    h.dlq
        .settle(&claim, &timed_out_send())
        .await
        .expect("settle");
    h.clock.advance(Duration::from_secs(1));
    h.dlq.promote().await.expect("promote");
    let claim = h.claim().await;

    let settled = h
        .dlq
        .settle(&claim, &timed_out_send())
        .await
        .expect("settle");

    assert_eq!(
        settled,
        Settled::Retry {
            due_ms: START_MS + 1_000 + 2_000
        },
        "after attempt 2 the policy's backoff is 2 s"
    );
}

#[tokio::test]
async fn a_permanent_failure_is_dead_lettered_at_once_with_its_cause_chain() {
    let mut h = harness("permanent_is_dead", 3).await;
    h.enqueue("job-1").await;
    let claim = h.claim().await;

    let settled = h
        .dlq
        .settle(&claim, &refused_chain())
        .await
        .expect("settle");

    assert_eq!(
        settled,
        Settled::Dead(DeadKind::Permanent),
        "a permanent error should not be retried, even with attempts left"
    );
    let records = h.dlq.dead_letters().await.expect("read the dead letters");
    let record = records[0].as_ref().expect("a readable record");
    assert_eq!(records.len(), 1, "one record");
    assert_eq!(record.id, "job-1", "the record names the job");
    assert_eq!(record.attempts, 1, "it died on attempt 1");
    assert_eq!(record.failed_at_ms, START_MS, "at the queue clock's time");
    assert_eq!(
        record.causes,
        [
            "sending the receipt failed",
            "the SMTP server refused the recipient",
            "550 no such user",
        ],
        "the whole cause chain should be readable in the record"
    );
    assert_eq!(
        record.payload.as_deref(),
        Some(claim.payload()),
        "the payload should be kept"
    );
    let census = h.census().await;
    assert_eq!(census.dead, ["job-1"], "the job is dead, and only dead");
}

#[tokio::test]
async fn the_last_transient_failure_is_dead_lettered_as_exhausted() {
    let mut h = harness("exhausted_is_dead", 2).await;
    h.enqueue("job-1").await;
    let claim = h.claim().await;
    h.dlq
        .settle(&claim, &timed_out_send())
        .await
        .expect("settle");
    h.census().await;
    h.clock.advance(Duration::from_secs(1));
    h.dlq.promote().await.expect("promote");
    h.census().await;
    let claim = h.claim().await;
    h.census().await;

    let settled = h
        .dlq
        .settle(&claim, &timed_out_send())
        .await
        .expect("settle");

    assert_eq!(
        settled,
        Settled::Dead(DeadKind::Exhausted),
        "a timeout on attempt 2 of 2 should dead-letter the job"
    );
    let records = h.dlq.dead_letters().await.expect("read the dead letters");
    let record = records[0].as_ref().expect("a readable record");
    assert_eq!(record.attempts, 2, "the record should say 2 attempts");
    assert_eq!(
        record.causes,
        ["sending the receipt failed", "no reply in 2s"],
        "the last error's chain should be kept"
    );
    assert_eq!(h.census().await.dead, ["job-1"], "the job is dead");
}

#[tokio::test]
async fn a_lost_redis_connection_in_the_handler_is_retried_and_a_refused_command_is_not()
{
    let mut h = harness("redis_errors", 3).await;
    h.enqueue("job-1").await;
    h.enqueue("job-2").await;
    let first = h.claim().await;
    // What the idempotent handler returns when its connection drops while
    // it stores the effect: Day 137's `classify` does not know RedisError.
    let dropped = HandleError::<io::Error, RedisError>::Store(RedisError::from(
        io::Error::new(io::ErrorKind::ConnectionReset, "connection reset by peer"),
    ));

    let settled = h.dlq.settle(&first, &dropped).await.expect("settle job-1");

    assert_eq!(
        settled,
        Settled::Retry {
            due_ms: START_MS + 1_000
        },
        "a lost Redis connection is transient: retry it, do not dead-letter it \
         (classify with `classify_failure`, which asks redis-rs)"
    );
    let second = h.claim().await;
    // A command Redis itself refuses (a wrong type) fails the same way on
    // every attempt.
    let wrong_type: RedisError = redis::cmd("INCR")
        .arg(h.worker.keys().jobs())
        .query_async::<i64>(&mut h.worker.connection())
        .await
        .expect_err("INCR on a hash is refused");
    let refused = HandleError::<io::Error, RedisError>::Store(wrong_type);

    let settled = h.dlq.settle(&second, &refused).await.expect("settle job-2");

    assert_eq!(
        settled,
        Settled::Dead(DeadKind::Permanent),
        "an error Redis returns for the command itself is permanent"
    );
    let census = h.census().await;
    assert_eq!(census.scheduled, ["job-1"], "job-1 waits for its retry");
    assert_eq!(census.dead, ["job-2"], "job-2 is dead");
}

#[tokio::test]
async fn a_stale_worker_cannot_settle_a_job_another_worker_holds() {
    let mut h = harness("stale_worker", 3).await;
    h.enqueue("job-1").await;
    let stale = h.claim().await;
    h.expire_leases().await;
    let mut other = h.another_worker().await;
    let current = other
        .dequeue()
        .await
        .expect("dequeue")
        .expect("job-1 again");

    let refused = h.dlq.settle(&stale, &refused_chain()).await;

    assert!(
        matches!(refused, Err(AckError::LeaseLost { .. })),
        "the old claim's token no longer holds the job, got {refused:?}"
    );
    let census = h.census().await;
    assert_eq!(census.processing, ["job-1"], "the new owner still has it");
    assert!(census.dead.is_empty(), "and nothing was dead-lettered");
    other
        .ack(&current)
        .await
        .expect("the current owner can still ack");
}

#[tokio::test]
async fn a_malformed_payload_is_refused_at_enqueue_and_dead_lettered_at_dequeue() {
    let mut h = harness("malformed_payload", 3).await;
    let bad = JobId::parse("job-bad").expect("valid id");
    let refused = h.worker.enqueue(&bad, "{oops").await;
    assert!(
        matches!(refused, Err(EnqueueError::InvalidPayload { .. })),
        "the queue refuses a payload that is not JSON, with a typed error"
    );
    // A payload that got in behind the queue's back (another producer, a
    // hand edit) is found at dequeue: the job is claimed but unreadable.
    h.enqueue("job-1").await;
    let _: () = redis::cmd("HSET")
        .arg(h.worker.keys().jobs())
        .arg("job-1")
        .arg("{oops")
        .query_async(&mut h.worker.connection())
        .await
        .expect("corrupt the payload");
    let Err(DequeueError::Malformed(job)) = h.worker.dequeue().await else {
        panic!("the corrupted job should come back as Malformed");
    };
    assert!(
        matches!(job.problem(), Malformation::InvalidJson(_)),
        "the queue reports a JSON problem"
    );

    h.dlq
        .bury_malformed(&job)
        .await
        .expect("bury the malformed job");

    let records = h.dlq.dead_letters().await.expect("read the dead letters");
    let record = records[0].as_ref().expect("a readable record");
    assert_eq!(record.kind, DeadKind::Malformed, "the kind is malformed");
    assert_eq!(
        record.causes[0], "its payload is not valid JSON",
        "the first cause says what is wrong"
    );
    assert!(
        record.causes.len() == 2 && record.causes[1].contains("line 1"),
        "the parse error should be the second cause, got {:?}",
        record.causes
    );
    assert_eq!(
        record.payload.as_deref(),
        Some("{oops"),
        "the bad payload is kept, so someone can fix it"
    );
    assert_eq!(h.census().await.dead, ["job-1"], "the job is not lost");
}

#[tokio::test]
async fn a_job_that_keeps_losing_its_lease_is_dead_lettered_before_it_runs_again() {
    let mut h = harness("poison_message", 2).await;
    h.enqueue("job-1").await;
    for attempt in 1..=2 {
        let claim = h.claim().await;
        let admitted = h.dlq.admit(claim).await.expect("admit");
        assert!(
            admitted.is_some(),
            "claim {attempt} of 2 allowed attempts should run"
        );
        // The worker dies: the lease expires and the reaper re-queues it.
        h.expire_leases().await;
    }
    let claim = h.claim().await;

    let admitted = h.dlq.admit(claim).await.expect("admit");

    assert!(admitted.is_none(), "claim 3 of 2 allowed should not run");
    let records = h.dlq.dead_letters().await.expect("read the dead letters");
    let record = records[0].as_ref().expect("a readable record");
    assert_eq!(record.kind, DeadKind::Exhausted, "the kind is exhausted");
    assert_eq!(record.attempts, 3, "it was claimed 3 times");
    assert_eq!(
        record.causes[0], "claimed 3 times, more than the 2 attempts allowed",
        "the record should say why it never finished"
    );
    assert_eq!(h.census().await.dead, ["job-1"], "the job is dead");
}

#[tokio::test]
async fn every_job_is_in_exactly_one_place_after_every_operation() {
    let mut h = harness("one_place", 2).await;
    for id in ["job-a", "job-b", "job-c"] {
        h.enqueue(id).await;
        h.census().await;
    }
    let a = h.claim().await;
    h.census().await;
    h.worker.ack(&a).await.expect("ack job-a");
    h.census().await;
    let b = h.claim().await;
    h.dlq
        .settle(&b, &refused_chain())
        .await
        .expect("settle job-b");
    h.census().await;
    let c = h.claim().await;
    h.dlq
        .settle(&c, &timed_out_send())
        .await
        .expect("settle job-c");
    h.census().await;
    h.clock.advance(Duration::from_secs(1));
    h.dlq.promote().await.expect("promote");
    h.census().await;
    let c = h.claim().await;
    h.dlq
        .settle(&c, &timed_out_send())
        .await
        .expect("settle job-c again");

    let census = h.census().await;
    assert_eq!(
        census.dead,
        ["job-b", "job-c"],
        "b died at once, c after its second attempt; a was acked"
    );
    assert_eq!(census.stored, ["job-b", "job-c"], "a's payload is gone");
}
