//! Step 2: `TokenBucket::try_acquire` and `available` (src/bucket.rs), on a
//! `ManualClock` that moves only when the test says so.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use proptest::prelude::*;
use token_bucket::{Clock, ManualClock, Quota, RateLimited, TokenBucket};

use crate::{assert_within_quota, ms, nz, quota};

fn bucket(interval_ms: u64, burst: u32) -> (TokenBucket<ManualClock>, ManualClock) {
    let clock = ManualClock::new();
    (
        TokenBucket::with_clock(quota(interval_ms, burst), clock.clone()),
        clock,
    )
}

#[test]
fn a_new_bucket_is_full() {
    let (bucket, _clock) = bucket(100, 5);
    assert_eq!(bucket.available(), 5, "a new bucket starts with its burst");
    assert_eq!(bucket.quota(), quota(100, 5), "and keeps its quota");
}

#[test]
fn the_burst_is_granted_at_once_and_the_next_request_is_told_how_long_to_wait() {
    let (bucket, _clock) = bucket(100, 3);
    for n in 1..=3 {
        assert_eq!(bucket.try_acquire(), Ok(()), "request {n} of a burst of 3");
    }
    assert_eq!(bucket.available(), 0, "the burst is spent");
    assert_eq!(
        bucket.try_acquire(),
        Err(RateLimited {
            retry_after: ms(100)
        }),
        "the 4th request must wait one interval"
    );
    assert_eq!(bucket.available(), 0, "a refusal takes nothing");
}

#[test]
fn tokens_come_back_one_interval_at_a_time() {
    let (bucket, clock) = bucket(100, 3);
    while bucket.try_acquire().is_ok() {}
    clock.advance(ms(99));
    assert_eq!(
        bucket.try_acquire(),
        Err(RateLimited { retry_after: ms(1) }),
        "99ms after emptying, the first token is 1ms away"
    );
    clock.advance(ms(1));
    assert_eq!(bucket.available(), 1, "100ms after emptying: one token");
    clock.advance(ms(150));
    assert_eq!(bucket.available(), 2, "250ms after emptying: two tokens");
    assert_eq!(bucket.try_acquire(), Ok(()));
    assert_eq!(bucket.try_acquire(), Ok(()));
    assert_eq!(
        bucket.try_acquire(),
        Err(RateLimited {
            retry_after: ms(50)
        }),
        "the half-earned third token is 50ms away"
    );
}

#[test]
fn an_idle_bucket_refills_only_up_to_its_burst() {
    let (bucket, clock) = bucket(100, 3);
    while bucket.try_acquire().is_ok() {}
    clock.advance(Duration::from_secs(24 * 3600));
    assert_eq!(bucket.available(), 3, "a day idle: still only the burst");
    let granted = (0..10).filter(|_| bucket.try_acquire().is_ok()).count();
    assert_eq!(
        granted, 3,
        "ten requests at once after a day: three granted"
    );
}

#[test]
fn a_clock_that_steps_back_makes_the_bucket_stricter_not_looser() {
    let (bucket, clock) = bucket(100, 1);
    clock.set(ms(1_000));
    assert_eq!(bucket.try_acquire(), Ok(()), "full: the token is granted");
    clock.set(ms(900));
    assert_eq!(
        bucket.try_acquire(),
        Err(RateLimited {
            retry_after: ms(200)
        }),
        "seen from 900ms, the next token is due at 1100ms"
    );
}

#[test]
fn refusals_read_well() {
    let (bucket, _clock) = bucket(250, 1);
    assert_eq!(bucket.try_acquire(), Ok(()));
    let refusal = bucket.try_acquire().expect_err("empty");
    assert_eq!(refusal.to_string(), "rate limited: retry after 250ms");
}

#[test]
fn a_bucket_can_read_a_clock_it_borrows() {
    let clock = ManualClock::new();
    let bucket = TokenBucket::with_clock(quota(100, 1), &clock);
    assert_eq!(bucket.try_acquire(), Ok(()));
    clock.advance(ms(100));
    assert_eq!(
        bucket.clock().now(),
        ms(100),
        "the bucket sees the same time"
    );
    assert_eq!(bucket.try_acquire(), Ok(()), "and the refilled token");
}

#[test]
fn eight_threads_at_one_instant_share_exactly_the_burst() {
    // The clock stands still, so exactly `burst` tokens exist, whatever the
    // interleaving. A load-then-store bucket hands out more.
    let (bucket, _clock) = bucket(1_000, 100);
    let granted = AtomicU32::new(0);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..50 {
                    if bucket.try_acquire().is_ok() {
                        granted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    assert_eq!(
        granted.into_inner(),
        100,
        "400 requests at one instant against a burst of 100"
    );
    assert_eq!(bucket.available(), 0, "every token was taken, none twice");
}

#[test]
fn threads_racing_a_moving_clock_never_beat_the_quota() {
    // One thread moves time forward 1ms at a time while four take tokens:
    // 1s of time at one token per 10ms and a burst of 5 is at most 105.
    let (bucket, clock) = bucket(10, 5);
    let granted = AtomicU32::new(0);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            for _ in 0..1_000 {
                clock.advance(ms(1));
                std::thread::yield_now();
            }
        });
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..2_000 {
                    if bucket.try_acquire().is_ok() {
                        granted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let granted = granted.into_inner();
    assert!(
        granted <= 105,
        "1s at 100 per second plus a burst of 5 allows 105, granted {granted}"
    );
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn no_window_sees_more_than_rate_times_window_plus_burst(
        interval in 1u64..=1_000_000,
        burst in 1u32..=20,
        gaps in proptest::collection::vec(0u64..=2_000_000, 1..120),
    ) {
        let quota = Quota::new(Duration::from_nanos(interval), nz(burst)).unwrap();
        let clock = ManualClock::new();
        let bucket = TokenBucket::with_clock(quota, &clock);
        let mut grants = Vec::new();
        for gap in gaps {
            clock.advance(Duration::from_nanos(gap));
            if bucket.try_acquire().is_ok() {
                grants.push(clock.now());
            }
        }
        assert_within_quota(&grants, quota);
    }

    #[test]
    fn a_refused_request_succeeds_after_retry_after(
        interval in 1u64..=1_000_000,
        burst in 1u32..=20,
        requests in 1usize..=60,
        gap in 0u64..=100_000,
    ) {
        let quota = Quota::new(Duration::from_nanos(interval), nz(burst)).unwrap();
        let clock = ManualClock::new();
        let bucket = TokenBucket::with_clock(quota, &clock);
        for _ in 0..requests {
            clock.advance(Duration::from_nanos(gap));
            if let Err(RateLimited { retry_after }) = bucket.try_acquire() {
                clock.advance(retry_after);
                prop_assert_eq!(
                    bucket.try_acquire(),
                    Ok(()),
                    "refused with retry_after {:?}, then refused again after waiting it",
                    retry_after
                );
            }
        }
    }
}
