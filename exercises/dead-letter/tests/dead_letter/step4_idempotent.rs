//! Step 4: duplicate deliveries of one job id apply the effect once.

use std::sync::Arc;
use std::time::Duration;

use dead_letter::{
    Applied, Credit, EffectStore, HandleError, Idempotent, MemoryLedger, RedisLedger,
};
use job_queue::{Claim, JobId, Queue};
use tokio::sync::Barrier;

use crate::harness;

/// The handler's pure part: read the credit from the payload.
fn decide(claim: &Claim) -> Result<Credit, serde_json::Error> {
    claim.decode()
}

const DAY: Duration = Duration::from_secs(24 * 3600);

#[tokio::test]
async fn the_same_job_delivered_twice_is_credited_once() {
    let mut h = harness("delivered_twice", 3).await;
    let handler = Idempotent::new(RedisLedger::new(&h.worker, DAY));
    h.enqueue("pay-1").await;
    let first = h.claim().await;
    assert_eq!(
        handler
            .handle(&first, decide)
            .await
            .expect("first delivery"),
        Applied::Now,
        "the first delivery applies the credit"
    );
    // The worker stalls past its lease before acking: the job comes back.
    h.expire_leases().await;
    let second = h.claim().await;
    assert_eq!(second.id(), first.id(), "the same job is delivered again");

    let applied = handler
        .handle(&second, decide)
        .await
        .expect("second delivery");

    assert_eq!(applied, Applied::Already, "the duplicate changes nothing");
    let balance = handler
        .store()
        .balance("acct-pay-1")
        .await
        .expect("balance");
    assert_eq!(balance, 100, "the account is credited once, not twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_racing_on_one_job_id_credit_it_once() {
    let mut h = harness("racing_workers", 3).await;
    let handler = Arc::new(Idempotent::new(RedisLedger::new(&h.worker, DAY)));
    const JOBS: usize = 20;
    for n in 0..JOBS {
        h.enqueue(&format!("race-{n}")).await;
        let claim = h.claim().await;
        // Two deliveries of one job, started together on two threads.
        let barrier = Arc::new(Barrier::new(2));
        let tasks: Vec<_> = (0..2)
            .map(|_| {
                let (handler, barrier, claim) =
                    (Arc::clone(&handler), Arc::clone(&barrier), claim.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    handler.handle(&claim, decide).await.expect("handle")
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.expect("the task finishes"));
        }
        outcomes.sort_by_key(|applied| *applied == Applied::Already);
        assert_eq!(
            outcomes,
            [Applied::Now, Applied::Already],
            "of two racing deliveries of race-{n}, exactly one applies"
        );
        let balance = handler
            .store()
            .balance(&format!("acct-race-{n}"))
            .await
            .expect("balance");
        assert_eq!(balance, 100, "race-{n}'s account is credited once");
    }
}

#[tokio::test]
async fn a_failed_first_attempt_does_not_mark_the_job_done() {
    let mut h = harness("failed_first", 3).await;
    let handler = Idempotent::new(RedisLedger::new(&h.worker, DAY));
    let id = h.enqueue("pay-1").await;
    let claim = h.claim().await;

    let failed = handler
        .handle(&claim, |_| {
            Err::<Credit, _>(std::io::Error::other("lookup failed"))
        })
        .await;

    assert!(
        matches!(failed, Err(HandleError::Handler(_))),
        "the handler's error comes back as HandleError::Handler"
    );
    let marked: bool = redis::cmd("EXISTS")
        .arg(handler.store().marker_key(&id))
        .query_async(&mut h.worker.connection())
        .await
        .expect("EXISTS");
    assert!(!marked, "a failed attempt must not leave a done marker");
    assert_eq!(
        handler.handle(&claim, decide).await.expect("the retry"),
        Applied::Now,
        "the next attempt applies the credit"
    );
    let balance = handler
        .store()
        .balance("acct-pay-1")
        .await
        .expect("balance");
    assert_eq!(balance, 100, "credited once");
}

#[tokio::test]
async fn a_credit_the_store_refuses_leaves_no_marker_and_no_change() {
    let mut h = harness("store_refuses", 3).await;
    let handler = Idempotent::new(RedisLedger::new(&h.worker, DAY));
    let id = h.enqueue("pay-1").await;
    let claim = h.claim().await;
    // 99 cents below the largest i64: Redis refuses `HINCRBY ... 100`. A
    // script is not rolled back when a command in it fails, so a marker
    // written before the credit would stay behind.
    let nearly_full = i64::MAX - 99;
    set_balance(&h.worker, "acct-pay-1", nearly_full).await;

    let failed = handler.handle(&claim, decide).await;

    assert!(
        matches!(failed, Err(HandleError::Store(_))),
        "an overflowing credit is the store's error, got {failed:?}"
    );
    let marked: bool = redis::cmd("EXISTS")
        .arg(handler.store().marker_key(&id))
        .query_async(&mut h.worker.connection())
        .await
        .expect("EXISTS");
    assert!(
        !marked,
        "a credit that failed must leave no done marker (write the marker \
         after the effect), or the next delivery would skip the job"
    );
    let balance = handler
        .store()
        .balance("acct-pay-1")
        .await
        .expect("balance");
    assert_eq!(balance, nearly_full, "the balance is unchanged");
    // Someone fixes the account; the next delivery applies the credit.
    set_balance(&h.worker, "acct-pay-1", 0).await;
    assert_eq!(
        handler.handle(&claim, decide).await.expect("the retry"),
        Applied::Now,
        "the next delivery applies the credit"
    );
}

/// Set an account's balance by hand, in the ledger's `P:balances` hash.
async fn set_balance(queue: &Queue, account: &str, cents: i64) {
    let _: () = redis::cmd("HSET")
        .arg(format!("{}balances", queue.keys().prefix()))
        .arg(account)
        .arg(cents)
        .query_async(&mut queue.connection())
        .await
        .expect("HSET the balance");
}

#[tokio::test]
async fn the_done_marker_expires_after_its_ttl() {
    let mut h = harness("marker_ttl", 3).await;
    let handler = Idempotent::new(RedisLedger::new(&h.worker, DAY));
    let id = h.enqueue("pay-1").await;
    let claim = h.claim().await;
    handler.handle(&claim, decide).await.expect("handle");

    let ttl_ms: i64 = redis::cmd("PTTL")
        .arg(handler.store().marker_key(&id))
        .query_async(&mut h.worker.connection())
        .await
        .expect("PTTL");

    assert!(
        ttl_ms > 0 && ttl_ms <= 24 * 3600 * 1000,
        "the marker should expire within its TTL (one day), PTTL was {ttl_ms}"
    );
}

#[tokio::test]
async fn the_memory_ledger_applies_an_effect_once_per_job_id() {
    let ledger = MemoryLedger::new();
    let credit = Credit {
        account: "acct-1".to_owned(),
        cents: 250,
    };
    let one = JobId::parse("job-1").expect("valid id");
    let two = JobId::parse("job-2").expect("valid id");

    let outcomes = [
        ledger.apply_once(&one, &credit).await.expect("infallible"),
        ledger.apply_once(&one, &credit).await.expect("infallible"),
        ledger.apply_once(&two, &credit).await.expect("infallible"),
    ];

    assert_eq!(
        outcomes,
        [Applied::Now, Applied::Already, Applied::Now],
        "each job id applies once"
    );
    assert_eq!(ledger.balance("acct-1"), 500, "two jobs, two credits");
}
