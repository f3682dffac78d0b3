//! Step 3: `Queue::ack`, `Queue::extend`, `Queue::discard` (src/ack.rs).

use std::time::Duration;

use job_queue::{AckError, Counts, DequeueError};
use redis::AsyncCommands;

use crate::{LEASE, Setup, id, lease_of, list};

#[tokio::test]
async fn an_ack_removes_the_job_and_everything_about_it() {
    let setup = Setup::start("an_ack_removes_the_job_and_everything_about_it");
    let (mut queue, keys, mut raw) =
        (setup.queue().await, setup.keys(), setup.raw().await);
    queue.enqueue(&id("job"), "{}").await.expect("enqueue");
    let claim = queue.dequeue().await.expect("dequeue").expect("a job");

    queue
        .ack(&claim)
        .await
        .expect("the holder of the claim can ack");

    assert_eq!(
        queue.counts().await.expect("counts"),
        Counts::default(),
        "no id in pending or processing, no lease, no payload"
    );
    let claims: usize = raw.hlen(keys.claims()).await.expect("HLEN");
    let attempts: usize = raw.hlen(keys.attempts()).await.expect("HLEN");
    assert_eq!(
        (claims, attempts),
        (0, 0),
        "no claim token or attempt count left behind"
    );
}

#[tokio::test]
async fn an_ack_removes_exactly_the_claimed_job() {
    let setup = Setup::start("an_ack_removes_exactly_the_claimed_job");
    let (mut queue, keys, mut raw) =
        (setup.queue().await, setup.keys(), setup.raw().await);
    queue.enqueue(&id("a"), "1").await.expect("enqueue");
    queue.enqueue(&id("b"), "2").await.expect("enqueue");
    let a = queue.dequeue().await.expect("dequeue").expect("job a");
    let b = queue.dequeue().await.expect("dequeue").expect("job b");

    queue.ack(&a).await.expect("ack a");

    assert_eq!(
        list(&mut raw, keys.processing()).await,
        ["b"],
        "only a leaves processing"
    );
    assert_eq!(
        lease_of(&mut raw, &keys, "b").await,
        Some(b.deadline_ms()),
        "b keeps its lease"
    );
    let payload: Option<String> = raw.hget(keys.jobs(), "b").await.expect("HGET");
    assert_eq!(payload.as_deref(), Some("2"), "b keeps its payload");
}

#[tokio::test]
async fn acking_twice_reports_the_lease_lost_the_second_time() {
    let setup = Setup::start("acking_twice_reports_the_lease_lost_the_second_time");
    let mut queue = setup.queue().await;
    queue.enqueue(&id("job"), "{}").await.expect("enqueue");
    let claim = queue.dequeue().await.expect("dequeue").expect("a job");
    queue.ack(&claim).await.expect("the first ack");

    let error = queue
        .ack(&claim)
        .await
        .expect_err("a second ack finds nothing to remove");
    assert!(
        matches!(&error, AckError::LeaseLost { id, token } if id == "job" && *token == claim.token()),
        "expected AckError::LeaseLost for job with the claim's token, got {error:?}"
    );
}

#[tokio::test]
async fn extend_pushes_the_deadline_to_now_plus_the_lease() {
    let setup = Setup::start("extend_pushes_the_deadline_to_now_plus_the_lease");
    let (mut queue, keys, mut raw) =
        (setup.queue().await, setup.keys(), setup.raw().await);
    queue.enqueue(&id("slow"), "{}").await.expect("enqueue");
    let mut claim = queue.dequeue().await.expect("dequeue").expect("a job");
    let first = claim.deadline_ms();

    setup.clock.advance(Duration::from_secs(20));
    queue
        .extend(&mut claim)
        .await
        .expect("the holder can extend its lease");

    let expected = first + 20_000;
    assert_eq!(
        claim.deadline_ms(),
        expected,
        "the claim's deadline moves 20 s on"
    );
    assert_eq!(
        lease_of(&mut raw, &keys, "slow").await,
        Some(expected),
        "and so does the lease in Redis"
    );
    assert_eq!(
        expected,
        queue.now_ms() + LEASE.as_millis() as u64,
        "the new deadline is now + lease"
    );
}

#[tokio::test]
async fn discard_removes_a_malformed_job_under_its_claim() {
    let setup = Setup::start("discard_removes_a_malformed_job_under_its_claim");
    let (mut queue, keys, mut raw) =
        (setup.queue().await, setup.keys(), setup.raw().await);
    let _: () = raw.hset(keys.jobs(), "junk", "{oops").await.expect("HSET");
    let _: () = raw.lpush(keys.pending(), "junk").await.expect("LPUSH");
    let Err(DequeueError::Malformed(job)) = queue.dequeue().await else {
        panic!("expected DequeueError::Malformed for a payload that is not JSON");
    };

    queue
        .discard(&job)
        .await
        .expect("the claim's holder can discard it");

    assert_eq!(
        queue.counts().await.expect("counts"),
        Counts::default(),
        "the malformed job is gone, with its lease and payload"
    );
}
