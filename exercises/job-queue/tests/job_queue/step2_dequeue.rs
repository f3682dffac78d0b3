//! Step 2: `Queue::dequeue`, `Claim` and `MalformedJob` (src/dequeue.rs).

use std::time::{Duration, Instant};

use job_queue::{DequeueError, Malformation, Queue};
use redis::AsyncCommands;

use crate::{LEASE, START_MS, Setup, id, lease_of, list, ms, wait_until_blocked};

#[tokio::test]
async fn jobs_are_dequeued_in_the_order_they_were_enqueued() {
    let setup = Setup::start("jobs_are_dequeued_in_the_order_they_were_enqueued");
    let mut queue = setup.queue().await;
    for name in ["a", "b", "c"] {
        queue
            .enqueue(&id(name), &format!(r#""{name}""#))
            .await
            .expect("enqueue");
    }
    let mut order = Vec::new();
    for _ in 0..3 {
        let claim = queue
            .dequeue()
            .await
            .expect("dequeue")
            .expect("a job is waiting");
        order.push(claim.id().to_string());
    }
    assert_eq!(order, ["a", "b", "c"], "first in, first out");
}

#[tokio::test]
async fn a_claim_carries_the_payload_a_lease_a_token_and_attempt_one() {
    let setup =
        Setup::start("a_claim_carries_the_payload_a_lease_a_token_and_attempt_one");
    let (mut queue, keys, mut raw) =
        (setup.queue().await, setup.keys(), setup.raw().await);
    queue
        .enqueue(&id("job"), r#"{"n":7}"#)
        .await
        .expect("enqueue");

    let claim = queue
        .dequeue()
        .await
        .expect("dequeue")
        .expect("a job is waiting");

    assert_eq!(claim.id().as_str(), "job", "the claimed id");
    assert_eq!(claim.payload(), r#"{"n":7}"#, "the payload as enqueued");
    let value: serde_json::Value = claim.decode().expect("the payload decodes");
    assert_eq!(value["n"], 7, "decode parses the payload");
    assert_eq!(claim.attempt(), 1, "the first claim of a job is attempt 1");
    let deadline = START_MS + LEASE.as_millis() as u64;
    assert_eq!(
        claim.deadline_ms(),
        deadline,
        "the lease ends at now + lease"
    );

    assert_eq!(
        list(&mut raw, keys.pending()).await,
        Vec::<String>::new(),
        "pending is empty"
    );
    assert_eq!(
        list(&mut raw, keys.processing()).await,
        ["job"],
        "BLMOVE parked the id in processing"
    );
    assert_eq!(
        lease_of(&mut raw, &keys, "job").await,
        Some(deadline),
        "the lease deadline is in the leases sorted set"
    );
    let token: Option<u64> = raw.hget(keys.claims(), "job").await.expect("HGET");
    assert_eq!(
        token,
        Some(claim.token().0),
        "the claims hash holds the claim's token"
    );
}

#[tokio::test]
async fn every_claim_gets_a_fresh_token() {
    let setup = Setup::start("every_claim_gets_a_fresh_token");
    let mut queue = setup.queue().await;
    queue.enqueue(&id("a"), "1").await.expect("enqueue");
    queue.enqueue(&id("b"), "2").await.expect("enqueue");
    let first = queue.dequeue().await.expect("dequeue").expect("job a");
    let second = queue.dequeue().await.expect("dequeue").expect("job b");
    assert_ne!(
        first.token(),
        second.token(),
        "two claims never share a token"
    );
}

#[tokio::test]
async fn a_dequeue_on_an_empty_queue_returns_none_after_the_block_time() {
    let setup =
        Setup::start("a_dequeue_on_an_empty_queue_returns_none_after_the_block_time");
    let mut queue = Queue::connect(setup.redis.url(), setup.config().block(ms(50)))
        .await
        .expect("connect");
    let start = Instant::now();
    let claim = queue
        .dequeue()
        .await
        .expect("an empty queue is not an error");
    let waited = start.elapsed();
    assert!(claim.is_none(), "nothing to claim: None");
    assert!(
        waited >= ms(45),
        "the server should block about 50 ms before answering, it answered after {waited:?}"
    );
}

/// redis-rs 1.x gives async connections a 500 ms response timeout. A
/// dequeue that blocks 600 ms on such a connection fails with "timed out";
/// on a dedicated connection with a longer timeout, it returns `None`.
#[tokio::test]
async fn a_block_longer_than_half_a_second_does_not_time_out() {
    let setup = Setup::start("a_block_longer_than_half_a_second_does_not_time_out");
    let config = setup.config().block(ms(600));
    assert!(
        config.blocking_response_timeout() > ms(600),
        "the dequeue connection's response timeout must exceed the block time"
    );
    let mut queue = Queue::connect(setup.redis.url(), config)
        .await
        .expect("connect");
    let claim = queue.dequeue().await.expect(
        "a 600 ms BLMOVE should not fail: give the blocking connection a response \
         timeout longer than the block time (AsyncConnectionConfig)",
    );
    assert!(claim.is_none(), "the queue stayed empty: None");
}

#[tokio::test]
async fn a_dequeue_waiting_on_an_empty_queue_gets_a_job_enqueued_meanwhile() {
    let setup = Setup::private(
        "a_dequeue_waiting_on_an_empty_queue_gets_a_job_enqueued_meanwhile",
    );
    let producer = setup.queue().await;
    let mut worker = Queue::connect(
        setup.redis.url(),
        setup.config().block(Duration::from_secs(5)),
    )
    .await
    .expect("connect");
    let mut raw = setup.raw().await;

    let waiting = tokio::spawn(async move { worker.dequeue().await });
    wait_until_blocked(&mut raw, 1).await;
    producer
        .enqueue(&id("late"), "null")
        .await
        .expect("enqueue");

    let claim = waiting.await.expect("the worker task").expect("dequeue");
    assert_eq!(
        claim.map(|claim| claim.id().to_string()).as_deref(),
        Some("late"),
        "the blocked dequeue wakes up with the new job"
    );
}

/// The workers block for 5 s, not the usual 100 ms: on a loaded machine a
/// short block could end before the job arrives, and neither would get it.
/// The loser is still blocked when the winner returns (one job, one move),
/// so the test then enqueues a second job for it rather than wait out its
/// block.
#[tokio::test]
async fn two_workers_racing_for_one_job_exactly_one_gets_it() {
    let setup = Setup::private("two_workers_racing_for_one_job_exactly_one_gets_it");
    let (producer, keys, mut raw) =
        (setup.queue().await, setup.keys(), setup.raw().await);
    let config = || setup.config().block(Duration::from_secs(5));
    for round in 0..3 {
        let mut left = Queue::connect(setup.redis.url(), config())
            .await
            .expect("connect");
        let mut right = Queue::connect(setup.redis.url(), config())
            .await
            .expect("connect");
        let mut left = tokio::spawn(async move { left.dequeue().await });
        let mut right = tokio::spawn(async move { right.dequeue().await });
        wait_until_blocked(&mut raw, 2).await;
        let job = format!("job-{round}");
        producer.enqueue(&id(&job), "null").await.expect("enqueue");

        let (first, loser) = tokio::select! {
            joined = &mut left => (joined, right),
            joined = &mut right => (joined, left),
        };
        let won = first
            .expect("the worker task")
            .expect("dequeue")
            .map(|claim| claim.id().to_string());
        assert_eq!(
            won.as_deref(),
            Some(job.as_str()),
            "round {round}: the first worker to answer should hold the job"
        );
        // Had the job been handed to both, the loser would have been served
        // by now too: the server serves blocked clients as the job arrives.
        wait_until_blocked(&mut raw, 1).await;
        assert!(
            !loser.is_finished(),
            "round {round}: the other worker should still be waiting, the job is taken"
        );
        assert_eq!(
            list(&mut raw, keys.processing()).await,
            [job.as_str()],
            "round {round}: the job was moved once"
        );
        // Hand the loser a job of its own, so that it returns now rather than
        // at the end of its block.
        let other = format!("other-{round}");
        producer
            .enqueue(&id(&other), "null")
            .await
            .expect("enqueue");
        let got = loser
            .await
            .expect("the worker task")
            .expect("dequeue")
            .map(|claim| claim.id().to_string());
        assert_eq!(
            got.as_deref(),
            Some(other.as_str()),
            "round {round}: the other worker gets the next job, not the first one again"
        );
        let _: usize = raw.del(&keys.all()).await.expect("DEL");
    }
}

/// A worker that stalled a whole lease between its `BLMOVE` and its claim
/// can find the id back in `processing`, moved and claimed by another
/// worker. Here the other worker's claim is written by hand.
#[tokio::test]
async fn an_id_another_claim_holds_is_not_claimed_again() {
    let setup = Setup::start("an_id_another_claim_holds_is_not_claimed_again");
    let (mut queue, keys, mut raw) =
        (setup.queue().await, setup.keys(), setup.raw().await);
    queue.enqueue(&id("job"), "{}").await.expect("enqueue");
    let _: () = raw.hset(keys.claims(), "job", 99).await.expect("HSET");

    let claim = queue.dequeue().await.expect("dequeue");
    assert!(
        claim.is_none(),
        "the claim script should refuse an id whose claim another worker holds \
         (HEXISTS on claims), and dequeue go on waiting, got {claim:?}"
    );
    let holder: Option<u64> = raw.hget(keys.claims(), "job").await.expect("HGET");
    assert_eq!(holder, Some(99), "the other worker's claim stands");
    let attempts: Option<u32> = raw.hget(keys.attempts(), "job").await.expect("HGET");
    assert_eq!(attempts, None, "a refused claim is no attempt");
}

#[tokio::test]
async fn a_payload_that_is_not_json_comes_back_malformed_with_its_claim() {
    let setup =
        Setup::start("a_payload_that_is_not_json_comes_back_malformed_with_its_claim");
    let (mut queue, keys, mut raw) =
        (setup.queue().await, setup.keys(), setup.raw().await);
    // Someone bypassed `enqueue` and wrote to the keys directly.
    let _: () = raw.hset(keys.jobs(), "junk", "{oops").await.expect("HSET");
    let _: () = raw.lpush(keys.pending(), "junk").await.expect("LPUSH");

    let error = queue
        .dequeue()
        .await
        .expect_err("an unreadable payload is an error");
    let DequeueError::Malformed(job) = error else {
        panic!("expected DequeueError::Malformed, got {error:?}");
    };
    assert_eq!(job.id(), "junk", "the error names the job");
    assert_eq!(job.payload(), Some("{oops"), "and carries the raw payload");
    assert_eq!(job.attempt(), 1, "it was claimed like any job");
    assert!(
        matches!(job.problem(), Malformation::InvalidJson(_)),
        "the problem is the JSON, got {:?}",
        job.problem()
    );
    assert_eq!(
        list(&mut raw, keys.processing()).await,
        ["junk"],
        "the job is not lost: it stays in processing"
    );
    assert_eq!(
        lease_of(&mut raw, &keys, "junk").await,
        Some(job.deadline_ms()),
        "under a lease, like any claimed job"
    );
}

#[tokio::test]
async fn an_id_with_no_payload_or_an_invalid_id_comes_back_malformed() {
    let setup =
        Setup::start("an_id_with_no_payload_or_an_invalid_id_comes_back_malformed");
    let (mut queue, keys, mut raw) =
        (setup.queue().await, setup.keys(), setup.raw().await);
    let _: () = raw.lpush(keys.pending(), "orphan").await.expect("LPUSH");
    let _: () = raw.lpush(keys.pending(), "not an id").await.expect("LPUSH");

    let first = queue.dequeue().await.expect_err("no payload is an error");
    assert!(
        matches!(&first, DequeueError::Malformed(job)
            if job.id() == "orphan" && matches!(job.problem(), Malformation::MissingPayload)),
        "expected Malformed(MissingPayload) for orphan, got {first:?}"
    );
    let second = queue
        .dequeue()
        .await
        .expect_err("an invalid id is an error");
    assert!(
        matches!(&second, DequeueError::Malformed(job)
            if job.id() == "not an id" && matches!(job.problem(), Malformation::InvalidId(_))),
        "expected Malformed(InvalidId) for 'not an id', got {second:?}"
    );
    assert_eq!(
        list(&mut raw, keys.processing()).await.len(),
        2,
        "both stay in processing, where the reaper or a dead-letter step finds them"
    );
}
