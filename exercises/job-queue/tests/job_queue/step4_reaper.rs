//! Step 4: `Queue::reap` (src/reaper.rs).
//!
//! The clock is a `ManualClock`: `setup.clock.advance(LEASE)` expires every
//! lease stamped so far, with no sleeping.

use job_queue::{AckError, Counts, Queue, Reaped};
use redis::AsyncCommands;

use crate::{LEASE, Setup, id, lease_of, list, ms};

#[tokio::test]
async fn a_lease_that_has_not_expired_is_left_alone() {
    let setup = Setup::start("a_lease_that_has_not_expired_is_left_alone");
    let mut queue = setup.queue().await;
    queue.enqueue(&id("job"), "{}").await.expect("enqueue");
    let _claim = queue.dequeue().await.expect("dequeue").expect("a job");

    setup.clock.advance(LEASE - ms(1));
    let reaped = queue.reap().await.expect("reap");

    assert_eq!(
        reaped,
        Reaped::default(),
        "1 ms before the deadline, nothing to do"
    );
    assert_eq!(
        queue.counts().await.expect("counts"),
        Counts {
            processing: 1,
            leased: 1,
            stored: 1,
            ..Counts::default()
        },
        "the job is still claimed"
    );
}

#[tokio::test]
async fn an_expired_lease_is_requeued_and_claimed_again_as_attempt_two() {
    let setup =
        Setup::start("an_expired_lease_is_requeued_and_claimed_again_as_attempt_two");
    let (mut queue, keys, mut raw) =
        (setup.queue().await, setup.keys(), setup.raw().await);
    queue
        .enqueue(&id("job"), r#""payload""#)
        .await
        .expect("enqueue");
    let first = queue.dequeue().await.expect("dequeue").expect("a job");

    setup.clock.advance(LEASE);
    let reaped = queue.reap().await.expect("reap");

    assert_eq!(
        reaped.requeued,
        ["job"],
        "at the deadline the lease has expired and the job is re-queued"
    );
    assert_eq!(
        list(&mut raw, keys.pending()).await,
        ["job"],
        "back on pending"
    );
    assert_eq!(
        list(&mut raw, keys.processing()).await,
        Vec::<String>::new(),
        "out of processing"
    );
    assert_eq!(
        lease_of(&mut raw, &keys, "job").await,
        None,
        "with no lease"
    );
    let token: Option<u64> = raw.hget(keys.claims(), "job").await.expect("HGET");
    assert_eq!(token, None, "and no claim: the old token is void at once");

    let second = queue
        .dequeue()
        .await
        .expect("dequeue")
        .expect("the job again");
    assert_eq!(second.attempt(), 2, "the second claim is attempt 2");
    assert_eq!(second.payload(), r#""payload""#, "with the same payload");
    assert_ne!(second.token(), first.token(), "and a new token");
}

#[tokio::test]
async fn a_reaped_worker_can_neither_ack_nor_extend() {
    let setup = Setup::start("a_reaped_worker_can_neither_ack_nor_extend");
    let mut queue = setup.queue().await;
    queue.enqueue(&id("job"), "{}").await.expect("enqueue");
    let mut claim = queue.dequeue().await.expect("dequeue").expect("a job");
    setup.clock.advance(LEASE + ms(1));
    queue.reap().await.expect("reap");

    let ack = queue
        .ack(&claim)
        .await
        .expect_err("the lease was taken back");
    assert!(
        matches!(ack, AckError::LeaseLost { .. }),
        "expected LeaseLost from ack, got {ack:?}"
    );
    let extend = queue
        .extend(&mut claim)
        .await
        .expect_err("the lease was taken back");
    assert!(
        matches!(extend, AckError::LeaseLost { .. }),
        "expected LeaseLost from extend, got {extend:?}"
    );
    assert_eq!(
        queue.counts().await.expect("counts").pending,
        1,
        "the job waits in pending for another worker"
    );
}

#[tokio::test]
async fn an_unleased_id_in_processing_is_stamped_then_requeued_a_lease_later() {
    let setup = Setup::start(
        "an_unleased_id_in_processing_is_stamped_then_requeued_a_lease_later",
    );
    let (queue, keys, mut raw) = (setup.queue().await, setup.keys(), setup.raw().await);
    queue.enqueue(&id("moved"), "{}").await.expect("enqueue");
    // A BLMOVE whose client gave up: the id moved, nobody claimed it.
    let _: Option<String> = redis::cmd("LMOVE")
        .arg(keys.pending())
        .arg(keys.processing())
        .arg("RIGHT")
        .arg("LEFT")
        .query_async(&mut raw)
        .await
        .expect("LMOVE");

    let first = queue.reap().await.expect("reap");
    assert_eq!(
        first,
        Reaped {
            requeued: vec![],
            stamped: vec!["moved".to_owned()]
        },
        "the first pass gives the unleased id a lease, and re-queues nothing"
    );
    assert_eq!(
        lease_of(&mut raw, &keys, "moved").await,
        Some(queue.now_ms() + LEASE.as_millis() as u64),
        "the stamped lease ends one lease from now"
    );

    setup.clock.advance(LEASE);
    let second = queue.reap().await.expect("reap");
    assert_eq!(
        second.requeued,
        ["moved"],
        "one lease later it is re-queued"
    );
    assert_eq!(
        second.stamped,
        Vec::<String>::new(),
        "and nothing is left to stamp"
    );
}

#[tokio::test]
async fn a_reaped_job_waits_behind_the_jobs_already_pending() {
    let setup = Setup::start("a_reaped_job_waits_behind_the_jobs_already_pending");
    let mut queue = setup.queue().await;
    queue.enqueue(&id("crashy"), "{}").await.expect("enqueue");
    queue.enqueue(&id("next"), "{}").await.expect("enqueue");
    let _lost = queue.dequeue().await.expect("dequeue").expect("crashy");
    setup.clock.advance(LEASE);
    queue.reap().await.expect("reap");

    let first = queue.dequeue().await.expect("dequeue").expect("a job");
    let second = queue.dequeue().await.expect("dequeue").expect("a job");
    assert_eq!(
        [first.id().as_str(), second.id().as_str()],
        ["next", "crashy"],
        "a re-queued job goes to the back of the line"
    );
}

#[tokio::test]
async fn one_pass_requeues_at_most_the_reap_batch() {
    let setup = Setup::start("one_pass_requeues_at_most_the_reap_batch");
    let mut queue = Queue::connect(setup.redis.url(), setup.config().reap_batch(2))
        .await
        .expect("connect");
    for name in ["a", "b", "c"] {
        queue.enqueue(&id(name), "{}").await.expect("enqueue");
        queue.dequeue().await.expect("dequeue").expect("a job");
    }
    setup.clock.advance(LEASE);

    let first = queue.reap().await.expect("reap");
    let second = queue.reap().await.expect("reap");
    assert_eq!(
        first.requeued.len(),
        2,
        "the first pass stops at the batch of 2"
    );
    assert_eq!(second.requeued.len(), 1, "the second pass takes the rest");
    let mut all = [first.requeued, second.requeued].concat();
    all.sort();
    assert_eq!(all, ["a", "b", "c"], "every expired job is re-queued once");
    let mut raw = setup.raw().await;
    let leased: usize = raw.zcard(setup.keys().leases()).await.expect("ZCARD");
    assert_eq!(leased, 0, "no lease is left");
}
