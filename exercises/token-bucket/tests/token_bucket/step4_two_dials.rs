//! Step 4: `Throttle` (src/throttle.rs): a semaphore for jobs in flight and
//! a bucket for starts, two separate dials. Paused clock throughout.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use token_bucket::{Quota, Throttle, TokenBucket};
use tokio::time::Instant;

use crate::{assert_within_quota, ms, nz, quota};

fn slots(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("a positive number")
}

/// What a run of jobs did: when each started, and the most at once.
#[derive(Debug, Default)]
struct Record {
    starts: Mutex<Vec<Duration>>,
    running: AtomicUsize,
    most: AtomicUsize,
}

impl Record {
    /// Runs a job of `length` on tokio time, recording its start.
    async fn job(&self, start: Instant, length: Duration) {
        self.starts.lock().unwrap().push(start.elapsed());
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(length).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
    }

    fn starts(&self) -> Vec<Duration> {
        let mut starts = self.starts.lock().unwrap().clone();
        starts.sort();
        starts
    }

    fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }
}

/// Runs one job per `(arrives_ms, length_ms)` through the throttle: each
/// arrives at its time, waits for admission, then runs for its length.
async fn run_through(throttle: Arc<Throttle>, jobs: &[(u64, u64)]) -> Arc<Record> {
    let record = Arc::new(Record::default());
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for &(arrives, length) in jobs {
        let (throttle, record) = (Arc::clone(&throttle), Arc::clone(&record));
        tasks.spawn(async move {
            tokio::time::sleep_until(start + ms(arrives)).await;
            throttle.run(record.job(start, ms(length))).await;
        });
    }
    tasks.join_all().await;
    record
}

#[tokio::test(start_paused = true)]
async fn fast_jobs_are_held_to_the_rate() {
    // 4 slots and 10ms jobs would allow 400 starts a second; the quota says 10.
    let quota = Quota::per_second(nz(10)).with_burst(nz(2)).unwrap();
    let throttle = Arc::new(Throttle::new(slots(4), quota));
    let record = run_through(throttle, &[(0, 10); 30]).await;
    let starts = record.starts();
    assert_eq!(starts.len(), 30, "every job ran");
    assert_within_quota(&starts, quota);
    assert_eq!(
        starts.last(),
        Some(&ms(2_800)),
        "2 at once, then 28 more 100ms apart: the last starts at 2.8s"
    );
}

#[tokio::test(start_paused = true)]
async fn slow_jobs_are_held_to_the_slots() {
    // 10 starts a second of 5s jobs would put 50 in flight; the slots say 4.
    let quota = Quota::per_second(nz(10));
    let throttle = Arc::new(Throttle::new(slots(4), quota));
    let record = run_through(Arc::clone(&throttle), &[(0, 5_000); 12]).await;
    assert_eq!(record.most(), 4, "never more than 4 jobs at once");
    assert_eq!(
        record.starts(),
        [
            0, 0, 0, 0, 5_000, 5_000, 5_000, 5_000, 10_000, 10_000, 10_000, 10_000
        ]
        .map(ms),
        "each wave of 4 starts when the previous wave finishes"
    );
    assert_eq!(throttle.in_flight(), 0, "every slot was given back");
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_alone_lets_slow_jobs_pile_up() {
    // The bucket alone, no semaphore: the failure the Throttle exists for.
    let bucket = Arc::new(TokenBucket::new(Quota::per_second(nz(10))));
    let record = Arc::new(Record::default());
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let (bucket, record) = (Arc::clone(&bucket), Arc::clone(&record));
        tasks.spawn(async move {
            bucket.acquire().await;
            record.job(start, ms(5_000)).await;
        });
    }
    tasks.join_all().await;
    assert_eq!(
        record.most(),
        30,
        "10 starts a second of 5s jobs: all 30 are running at once by 2s"
    );
}

#[tokio::test(start_paused = true)]
async fn the_token_is_taken_after_the_slot_so_starts_never_bunch() {
    // Three long jobs fill the slots and all finish at 1s; three short ones
    // arrive at 300ms and wait. Had they taken their tokens first (at 300,
    // 400 and 500ms), they would hold them until 1s and start together: 3
    // starts at one instant against a burst of 1. Taking the slot first,
    // they start one interval apart.
    let quota = Quota::new(ms(100), nz(1)).unwrap();
    let throttle = Arc::new(Throttle::new(slots(3), quota));
    let jobs = [
        (0, 1_000),
        (100, 900),
        (200, 800),
        (300, 10),
        (300, 10),
        (300, 10),
    ];
    let record = run_through(throttle, &jobs).await;
    let starts = record.starts();
    assert_within_quota(&starts, quota);
    assert_eq!(
        starts,
        [0, 100, 200, 1_000, 1_100, 1_200].map(ms),
        "the waiting jobs get their slots at 1s and then start 100ms apart"
    );
}

#[tokio::test(start_paused = true)]
async fn an_admission_holds_its_slot_until_dropped() {
    let throttle = Throttle::new(slots(2), quota(10_000, 5));
    assert_eq!(throttle.max_in_flight(), 2);
    let first = throttle.admit().await;
    let second = throttle.admit().await;
    assert_eq!(throttle.in_flight(), 2, "two admitted, both slots taken");
    assert_eq!(throttle.bucket().available(), 3, "and two tokens spent");
    let third = tokio::time::timeout(ms(1_000), throttle.admit()).await;
    assert!(third.is_err(), "no third admission while two are held");
    assert_eq!(
        throttle.bucket().available(),
        3,
        "still 3 tokens: waiting for a slot took no token"
    );
    drop(first);
    assert_eq!(
        throttle.in_flight(),
        1,
        "dropping an admission frees its slot"
    );
    drop(second);
    assert_eq!(throttle.in_flight(), 0, "and the other one");
}
