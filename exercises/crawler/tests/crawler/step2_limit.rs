//! Step 2: token buckets and the limiter (src/limit.rs).
//!
//! A bucket is plain data over instants, so these tests need no runtime:
//! they pick instants (`t0 + ms(250)`) and ask the bucket about them. The
//! answers are exact, to the nanosecond.

use crawler::{Limiter, Rate, RateError, TokenBucket};
use proptest::prelude::*;
use tokio::time::Instant;

use crate::ms;

fn rate(burst: u32, every_ms: u64) -> Rate {
    Rate::new(burst, ms(every_ms)).expect("a valid rate")
}

#[test]
fn a_rate_needs_a_token_and_an_interval() {
    assert_eq!(
        Rate::new(0, ms(100)),
        Err(RateError::ZeroBurst),
        "zero burst"
    );
    assert_eq!(
        Rate::new(1, ms(0)),
        Err(RateError::ZeroInterval),
        "zero interval"
    );
    let ok = rate(3, 100);
    assert_eq!((ok.burst(), ok.every()), (3, ms(100)), "the getters");
    assert_eq!(
        RateError::ZeroBurst.to_string(),
        "the burst must be at least one token"
    );
}

#[test]
fn a_full_bucket_lets_a_burst_through_then_one_per_interval() {
    let t0 = Instant::now();
    let mut bucket = TokenBucket::new(rate(3, 100), t0);
    for i in 0..3 {
        assert_eq!(bucket.try_take(t0), Ok(()), "token {i} of the burst of 3");
    }
    assert_eq!(
        bucket.try_take(t0),
        Err(t0 + ms(100)),
        "the 4th token comes one interval later"
    );
    assert_eq!(bucket.try_take(t0 + ms(99)), Err(t0 + ms(100)), "not yet");
    assert_eq!(bucket.try_take(t0 + ms(100)), Ok(()), "exactly on time");
    assert_eq!(
        bucket.try_take(t0 + ms(100)),
        Err(t0 + ms(200)),
        "and the next one another interval later"
    );
}

#[test]
fn a_refused_request_takes_nothing() {
    let t0 = Instant::now();
    let mut bucket = TokenBucket::new(rate(1, 100), t0);
    bucket.take(t0);
    for _ in 0..5 {
        assert_eq!(
            bucket.try_take(t0 + ms(50)),
            Err(t0 + ms(100)),
            "asking again and again does not push the next token back"
        );
    }
    assert_eq!(bucket.available_at(t0 + ms(50)), t0 + ms(100));
    assert_eq!(bucket.try_take(t0 + ms(100)), Ok(()));
}

#[test]
fn an_idle_bucket_refills_to_its_burst_and_no_more() {
    let t0 = Instant::now();
    let mut bucket = TokenBucket::new(rate(2, 100), t0);
    bucket.take(t0);
    bucket.take(t0);
    // A whole second idle would be ten tokens, but the bucket holds two.
    let later = t0 + ms(1000);
    assert_eq!(
        bucket.try_take(later),
        Ok(()),
        "first of the refilled burst"
    );
    assert_eq!(
        bucket.try_take(later),
        Ok(()),
        "second of the refilled burst"
    );
    assert_eq!(
        bucket.try_take(later),
        Err(later + ms(100)),
        "idle time is not saved up beyond the burst"
    );
}

#[test]
fn a_half_refilled_bucket_counts_exactly() {
    let t0 = Instant::now();
    let mut bucket = TokenBucket::new(rate(3, 100), t0);
    for _ in 0..3 {
        bucket.take(t0);
    }
    // At 250 ms two tokens have come back (at 100 and 200), the third is due
    // at 300.
    let t = t0 + ms(250);
    assert_eq!(bucket.try_take(t), Ok(()));
    assert_eq!(bucket.try_take(t), Ok(()));
    assert_eq!(
        bucket.try_take(t),
        Err(t0 + ms(300)),
        "the third comes at 300 ms"
    );
}

#[test]
fn without_limits_the_limiter_always_lets_go() {
    let t0 = Instant::now();
    let mut limiter = Limiter::new(None, None, t0);
    for _ in 0..1000 {
        assert_eq!(
            limiter.try_acquire("a.test", t0),
            Ok(()),
            "no limit, no wait"
        );
    }
}

#[test]
fn each_host_has_its_own_bucket() {
    let t0 = Instant::now();
    let mut limiter = Limiter::new(None, Some(rate(1, 100)), t0);
    assert_eq!(limiter.try_acquire("a.test", t0), Ok(()), "a's first");
    assert_eq!(
        limiter.try_acquire("b.test", t0),
        Ok(()),
        "b is not slowed by a"
    );
    assert_eq!(
        limiter.try_acquire("a.test", t0),
        Err(t0 + ms(100)),
        "a waits"
    );
    assert_eq!(
        limiter.try_acquire("b.test", t0 + ms(30)),
        Err(t0 + ms(100))
    );
    // A host first seen late starts with a full bucket, at that moment.
    assert_eq!(
        limiter.try_acquire("c.test", t0 + ms(30)),
        Ok(()),
        "c's first"
    );
    assert_eq!(
        limiter.try_acquire("c.test", t0 + ms(30)),
        Err(t0 + ms(130)),
        "c's next"
    );
}

#[test]
fn a_request_goes_only_when_both_buckets_have_a_token() {
    let t0 = Instant::now();
    // Globally 1 per 50 ms, and 1 per 100 ms for any one host.
    let mut limiter = Limiter::new(Some(rate(1, 50)), Some(rate(1, 100)), t0);
    assert_eq!(limiter.try_acquire("a.test", t0), Ok(()));
    assert_eq!(
        limiter.try_acquire("b.test", t0),
        Err(t0 + ms(50)),
        "b's own bucket is full, but the global one is empty"
    );
    assert_eq!(
        limiter.try_acquire("a.test", t0 + ms(50)),
        Err(t0 + ms(100)),
        "the global bucket has a token at 50 ms, a's own not before 100 ms"
    );
    // The refusal above took nothing: b still gets the global token at 50.
    assert_eq!(
        limiter.try_acquire("b.test", t0 + ms(50)),
        Ok(()),
        "a refused request must not spend the global token"
    );
    assert_eq!(limiter.try_acquire("a.test", t0 + ms(100)), Ok(()));
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn no_window_ever_lets_more_through_than_the_rate_allows(
        burst in 1_u32..5,
        every in 1_u64..100,
        gaps in proptest::collection::vec(0_u64..150, 1..60),
    ) {
        let t0 = Instant::now();
        let mut bucket = TokenBucket::new(rate(burst, every), t0);
        let mut now = t0;
        let mut granted = Vec::new();
        for gap in gaps {
            now += ms(gap);
            match bucket.try_take(now) {
                Ok(()) => granted.push(now),
                Err(at) => {
                    prop_assert!(at > now, "a refusal names a later instant");
                    prop_assert_eq!(bucket.try_take(at), Ok(()), "and keeps its word");
                    granted.push(at);
                    now = at;
                }
            }
        }
        // In any window from granted[i] to granted[j], at most the burst plus
        // one token per whole interval elapsed.
        for i in 0..granted.len() {
            for j in i..granted.len() {
                let span = (granted[j] - granted[i]).as_millis() as u64;
                let allowed = u64::from(burst) + span / every;
                prop_assert!(
                    (j - i + 1) as u64 <= allowed,
                    "{} requests within {} ms, but the rate allows {}",
                    j - i + 1, span, allowed
                );
            }
        }
    }
}
