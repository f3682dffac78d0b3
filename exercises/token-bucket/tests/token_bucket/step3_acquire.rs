//! Step 3: `TokenBucket::new` and `acquire` (src/acquire.rs), on tokio's
//! paused clock, and how `tokio::time::interval` compares after a stall.

use std::sync::Arc;
use std::time::Duration;

use token_bucket::{Quota, TokenBucket};
use tokio::time::{Instant, MissedTickBehavior};

use crate::{ms, nz, quota};

/// The time since `start` at which each of `n` calls to `acquire` returned.
async fn acquire_times(
    bucket: &TokenBucket<token_bucket::TokioClock>,
    n: usize,
) -> Vec<Duration> {
    let start = Instant::now();
    let mut times = Vec::new();
    for _ in 0..n {
        bucket.acquire().await;
        times.push(start.elapsed());
    }
    times
}

#[tokio::test(start_paused = true)]
async fn acquire_returns_at_once_while_tokens_last() {
    let bucket = TokenBucket::new(quota(100, 3));
    let start = Instant::now();
    for _ in 0..3 {
        bucket.acquire().await;
    }
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "a burst of 3 needs no wait"
    );
}

#[tokio::test(start_paused = true)]
async fn acquire_waits_exactly_until_the_next_token_is_due() {
    let bucket = TokenBucket::new(quota(100, 3));
    let times = acquire_times(&bucket, 6).await;
    assert_eq!(
        times,
        [0, 0, 0, 100, 200, 300].map(ms),
        "the burst at once, then one token every 100ms"
    );
}

#[tokio::test(start_paused = true)]
async fn a_per_second_quota_paces_requests_on_tokio_time() {
    let bucket = TokenBucket::new(Quota::per_second(nz(4)));
    let start = Instant::now();
    for _ in 0..12 {
        bucket.acquire().await;
    }
    assert_eq!(
        start.elapsed(),
        ms(2_000),
        "12 requests at 4 per second, burst 4: 4 at once, then 8 more 250ms apart"
    );
}

#[tokio::test(start_paused = true)]
async fn concurrent_waiters_are_spaced_by_the_interval() {
    let bucket = Arc::new(TokenBucket::new(quota(100, 2)));
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let bucket = Arc::clone(&bucket);
        tasks.spawn(async move {
            bucket.acquire().await;
            start.elapsed()
        });
    }
    let mut times = tasks.join_all().await;
    times.sort();
    assert_eq!(
        times,
        [0, 0, 100, 200, 300, 400].map(ms),
        "six tasks share one bucket: two at once, then one per interval"
    );
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_acquire_takes_no_token() {
    let bucket = TokenBucket::new(quota(100, 1));
    bucket.acquire().await;
    let gave_up = tokio::time::timeout(ms(50), bucket.acquire()).await;
    assert!(
        gave_up.is_err(),
        "the bucket is empty for 100ms: 50ms is too short"
    );
    tokio::time::sleep(ms(50)).await;
    assert_eq!(
        bucket.available(),
        1,
        "at 100ms the token is back: the abandoned wait did not spend it"
    );
}

/// After a stall of `stall`, the times at which `n` more ticks of a 100ms
/// interval fire (measured from the interval's start).
async fn ticks_after_stall(
    behavior: MissedTickBehavior,
    stall: Duration,
    n: usize,
) -> Vec<Duration> {
    let start = Instant::now();
    let mut interval = tokio::time::interval(ms(100));
    interval.set_missed_tick_behavior(behavior);
    interval.tick().await; // the first tick fires at once
    tokio::time::sleep(stall).await;
    let mut times = Vec::new();
    for _ in 0..n {
        interval.tick().await;
        times.push(start.elapsed());
    }
    times
}

/// After a stall of `stall`, the times at which `n` more `acquire`s of a
/// bucket return (one token per 100ms, the given burst, one token spent
/// before the stall, as the interval's first tick is).
async fn grants_after_stall(burst: u32, stall: Duration, n: usize) -> Vec<Duration> {
    let start = Instant::now();
    let bucket = TokenBucket::new(quota(100, burst));
    bucket.acquire().await;
    tokio::time::sleep(stall).await;
    let mut times = Vec::new();
    for _ in 0..n {
        bucket.acquire().await;
        times.push(start.elapsed());
    }
    times
}

#[tokio::test(start_paused = true)]
async fn after_a_stall_a_burst_interval_catches_up_every_tick_but_a_bucket_stops_at_its_burst()
 {
    let ticks = ticks_after_stall(MissedTickBehavior::Burst, ms(1_000), 12).await;
    assert_eq!(
        ticks,
        [
            1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_100,
            1_200
        ]
        .map(ms),
        "Burst fires the 10 missed ticks at once: the catch-up grows with the stall"
    );
    let grants = grants_after_stall(3, ms(1_000), 5).await;
    assert_eq!(
        grants,
        [1_000, 1_000, 1_000, 1_100, 1_200].map(ms),
        "the bucket saved only its burst of 3 during the same stall"
    );
}

#[tokio::test(start_paused = true)]
async fn an_interval_with_delay_paces_like_a_bucket_with_a_burst_of_one() {
    let ticks = ticks_after_stall(MissedTickBehavior::Delay, ms(350), 3).await;
    assert_eq!(
        ticks,
        [350, 450, 550].map(ms),
        "Delay fires once, late, then counts whole periods from there"
    );
    let grants = grants_after_stall(1, ms(350), 3).await;
    assert_eq!(
        grants, ticks,
        "a bucket with a burst of 1 gives the same times"
    );
}

#[tokio::test(start_paused = true)]
async fn an_interval_with_skip_returns_to_its_grid_and_a_bucket_does_not() {
    let ticks = ticks_after_stall(MissedTickBehavior::Skip, ms(350), 3).await;
    assert_eq!(
        ticks,
        [350, 400, 500].map(ms),
        "Skip fires once, late, then drops back onto multiples of the period"
    );
    let grants = grants_after_stall(1, ms(350), 3).await;
    assert_eq!(
        grants,
        [350, 450, 550].map(ms),
        "the bucket has no grid: the next token is one interval after the last"
    );
}
