//! Step 2: the fakes: a queue that keeps the port's contract in memory,
//! with failures on demand, sequential ids and a manual clock.

use std::time::Duration;

use hexagonal::adapters::memory::{
    Failure, Injected, ManualClock, MemoryQueue, SequentialIds,
};
use hexagonal::domain::{Clock, Enqueued, IdGenerator, Job, JobId, JobQueue, QueueError};

use crate::{START_MS, job};

fn id(text: &str) -> JobId {
    JobId::parse(text).expect("a valid test id")
}

fn keyed(n: u32, key: &str) -> Job {
    Job::new(
        id(&format!("job-{n}")),
        job("email.send", "hi", key),
        START_MS,
    )
}

fn ids(queue: &MemoryQueue) -> Vec<String> {
    queue.jobs().iter().map(|j| j.id().to_string()).collect()
}

#[tokio::test]
async fn the_fake_stores_jobs_in_the_order_they_were_enqueued() {
    let queue = MemoryQueue::new();
    for n in 1..=3 {
        let answer = queue.enqueue(&keyed(n, "")).await.expect("the fake works");
        assert_eq!(
            answer,
            Enqueued::Accepted,
            "job-{n} has no key, so it is new"
        );
    }
    assert_eq!(ids(&queue), ["job-1", "job-2", "job-3"], "oldest first");
}

#[tokio::test]
async fn a_repeated_key_is_answered_with_the_first_id_and_stores_nothing() {
    let queue = MemoryQueue::new();
    queue
        .enqueue(&keyed(1, "order-1"))
        .await
        .expect("the first is accepted");
    let again = queue.enqueue(&keyed(2, "order-1")).await.expect("no error");
    assert_eq!(
        again,
        Enqueued::Duplicate(id("job-1")),
        "the same key again should answer with the first job's id"
    );
    let other = queue.enqueue(&keyed(3, "order-2")).await.expect("no error");
    assert_eq!(other, Enqueued::Accepted, "another key is another job");
    assert_eq!(
        ids(&queue),
        ["job-1", "job-3"],
        "the duplicate was not stored"
    );
}

#[tokio::test]
async fn an_injected_failure_fails_only_the_next_enqueue_and_stores_nothing() {
    let queue = MemoryQueue::new();
    queue.fail_next(Failure::Unavailable);
    let error = queue
        .enqueue(&keyed(1, "order-1"))
        .await
        .expect_err("the injected failure should fail the first enqueue");
    assert!(
        matches!(error, QueueError::Unavailable { .. }),
        "Failure::Unavailable should give QueueError::Unavailable, got {error:?}"
    );
    let cause = std::error::Error::source(&error).expect("the cause is kept");
    assert_eq!(
        cause.downcast_ref::<Injected>(),
        Some(&Injected(Failure::Unavailable)),
        "the cause should be the Injected marker, so a test can tell it from a real failure"
    );
    assert!(queue.jobs().is_empty(), "a failed enqueue stores nothing");
    let retry = queue.enqueue(&keyed(2, "order-1")).await;
    assert_eq!(
        retry.expect("only the next enqueue fails"),
        Enqueued::Accepted,
        "the failed attempt did not remember the key either"
    );
}

#[tokio::test]
async fn injected_failures_come_out_in_the_order_they_went_in() {
    let queue = MemoryQueue::new();
    queue.fail_next(Failure::Corrupt);
    queue.fail_next(Failure::Unavailable);
    let first = queue.enqueue(&keyed(1, "")).await.expect_err("first fails");
    let second = queue
        .enqueue(&keyed(2, ""))
        .await
        .expect_err("second fails");
    assert!(
        matches!(first, QueueError::Corrupt { .. }) && !first.is_retryable(),
        "the first injected failure was Corrupt, got {first:?}"
    );
    assert!(
        matches!(second, QueueError::Unavailable { .. }) && second.is_retryable(),
        "the second was Unavailable, got {second:?}"
    );
    assert!(
        queue.enqueue(&keyed(3, "")).await.is_ok(),
        "the third works"
    );
}

#[tokio::test]
async fn clones_of_the_fake_share_one_queue() {
    let queue = MemoryQueue::new();
    let handed_out = queue.clone();
    handed_out.enqueue(&keyed(1, "")).await.expect("works");
    assert_eq!(ids(&queue), ["job-1"], "a clone sees what the other stored");
}

#[test]
fn sequential_ids_count_from_job_1() {
    let ids = SequentialIds::new();
    let issued: Vec<String> = (0..3).map(|_| ids.next_id().to_string()).collect();
    assert_eq!(issued, ["job-1", "job-2", "job-3"], "ids count up from 1");
}

#[test]
fn the_manual_clock_moves_only_when_told() {
    let clock = ManualClock::new(START_MS);
    let shared = clock.clone();
    assert_eq!(
        clock.now_ms(),
        START_MS,
        "the clock starts where it was set"
    );
    assert_eq!(clock.now_ms(), START_MS, "and stays there");
    shared.advance(Duration::from_millis(1500));
    assert_eq!(
        clock.now_ms(),
        START_MS + 1500,
        "advancing a clone moves the shared time"
    );
}
