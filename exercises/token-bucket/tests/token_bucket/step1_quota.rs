//! Step 1: `Quota` and the refill arithmetic (src/quota.rs). Pure functions
//! of two instants: `full_at` (when the bucket is full again) and `now`.

use std::time::Duration;

use proptest::prelude::*;
use token_bucket::{Quota, QuotaError, RateLimited};

use crate::{ms, nz, quota};

#[test]
fn per_second_spreads_the_tokens_evenly_with_a_burst_of_one_second() {
    let quota = Quota::per_second(nz(4));
    assert_eq!(quota.interval(), ms(250), "4 per second is one every 250ms");
    assert_eq!(quota.burst(), 4, "the burst is one second's worth");
}

#[test]
fn per_second_rounds_the_interval_up_so_the_rate_is_never_exceeded() {
    assert_eq!(
        Quota::per_second(nz(3)).interval(),
        Duration::from_nanos(333_333_334),
        "1s / 3 is 333,333,333.3ns: round up, or the bucket grants a little more \
         than 3 per second"
    );
    assert_eq!(
        Quota::per_second(nz(u32::MAX)).interval(),
        Duration::from_nanos(1),
        "the fastest quota is one token per nanosecond"
    );
}

#[test]
fn with_burst_keeps_the_interval() {
    let quota = Quota::per_second(nz(10))
        .with_burst(nz(1))
        .expect("100ms * 1 fits");
    assert_eq!(quota.interval(), ms(100), "the interval is unchanged");
    assert_eq!(quota.burst(), 1, "and the burst is the new one");
}

#[test]
fn a_zero_interval_is_rejected() {
    assert_eq!(
        Quota::new(Duration::ZERO, nz(5)),
        Err(QuotaError::ZeroInterval),
        "a token every zero seconds is no limit"
    );
    assert_eq!(
        QuotaError::ZeroInterval.to_string(),
        "the refill interval must be greater than zero"
    );
}

#[test]
fn a_capacity_beyond_u64_nanoseconds_is_rejected() {
    let year = Duration::from_secs(365 * 24 * 3600);
    let error = Quota::new(year, nz(600)).expect_err("600 years of tokens do not fit");
    assert_eq!(
        error,
        QuotaError::TooLong {
            interval: year,
            burst: 600
        }
    );
    assert_eq!(
        error.to_string(),
        "interval 31536000s times burst 600 is longer than u64 nanoseconds",
        "error messages are lowercase and name both values"
    );
    assert!(
        Quota::new(year, nz(584)).is_ok(),
        "584 years still fit in u64 nanoseconds"
    );
    assert!(
        Quota::new(Duration::MAX, nz(1)).is_err(),
        "Duration::MAX does not fit either, even with a burst of 1"
    );
}

#[test]
fn a_bucket_full_since_the_past_holds_exactly_its_burst() {
    let quota = quota(100, 5);
    assert_eq!(quota.tokens_at(ms(0), ms(0)), 5, "full at time zero");
    assert_eq!(
        quota.tokens_at(ms(0), Duration::from_secs(3600)),
        5,
        "an hour idle earns no more than the burst"
    );
}

#[test]
fn each_take_moves_full_at_one_interval_later() {
    let quota = quota(100, 3);
    let now = ms(1_000);
    let first = quota.take(ms(0), now).expect("a full bucket has tokens");
    assert_eq!(
        first,
        ms(1_100),
        "a full bucket counts from now: full again one interval later"
    );
    let second = quota.take(first, now).expect("2 of 3 tokens left");
    assert_eq!(second, ms(1_200), "one more interval");
    assert_eq!(quota.tokens_at(second, now), 1, "one token left");
}

#[test]
fn an_empty_bucket_refuses_with_the_wait_until_the_next_token() {
    let quota = quota(100, 2);
    let full_at = ms(200); // both tokens taken at time 0
    assert_eq!(quota.tokens_at(full_at, ms(0)), 0, "no token left at 0");
    assert_eq!(
        quota.take(full_at, ms(0)),
        Err(RateLimited {
            retry_after: ms(100)
        }),
        "the first token comes back 100ms after both were taken"
    );
    assert_eq!(
        quota.take(full_at, ms(30)),
        Err(RateLimited {
            retry_after: ms(70)
        }),
        "30ms later, 70ms are left to wait"
    );
    assert_eq!(
        quota.take(full_at, ms(100)),
        Ok(ms(300)),
        "at 100ms one token is back: take it"
    );
}

#[test]
fn extreme_instants_neither_panic_nor_overflow() {
    let quota = quota(100, 2);
    assert_eq!(quota.tokens_at(Duration::MAX, ms(0)), 0, "owes forever");
    assert_eq!(quota.tokens_at(ms(0), Duration::MAX), 2, "full forever");
    assert!(
        quota.take(Duration::MAX, ms(0)).is_err(),
        "a bucket full only at the end of time is empty"
    );
    assert!(
        quota.take(ms(0), Duration::MAX).is_ok(),
        "at the end of time a full bucket still has tokens"
    );
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn tokens_never_exceed_the_burst(
        interval in 1u64..=1_000_000_000,
        burst in 1u32..=1_000,
        full_at in any::<u64>(),
        now in any::<u64>(),
    ) {
        let quota = Quota::new(Duration::from_nanos(interval), nz(burst)).unwrap();
        let tokens = quota.tokens_at(Duration::from_nanos(full_at), Duration::from_nanos(now));
        prop_assert!(tokens <= burst, "{tokens} tokens in a bucket of {burst}");
    }

    #[test]
    fn take_succeeds_exactly_when_a_whole_token_is_left(
        interval in 1u64..=1_000_000_000,
        burst in 1u32..=1_000,
        full_at in 0u64..=u64::MAX / 2,
        now in 0u64..=u64::MAX / 2,
    ) {
        let quota = Quota::new(Duration::from_nanos(interval), nz(burst)).unwrap();
        let (full_at, now) = (Duration::from_nanos(full_at), Duration::from_nanos(now));
        let tokens = quota.tokens_at(full_at, now);
        match quota.take(full_at, now) {
            Ok(next) => {
                prop_assert!(tokens >= 1, "take succeeded with {tokens} tokens");
                prop_assert_eq!(
                    quota.tokens_at(next, now),
                    tokens - 1,
                    "a take removes exactly one token"
                );
            }
            Err(_) => prop_assert_eq!(tokens, 0, "take refused with tokens left"),
        }
    }

    #[test]
    fn waiting_retry_after_is_exactly_enough(
        interval in 1u64..=1_000_000_000,
        burst in 1u32..=1_000,
        owed in 0u64..=1_000_000_000_000,
        now in 0u64..=1_000_000_000_000,
    ) {
        let quota = Quota::new(Duration::from_nanos(interval), nz(burst)).unwrap();
        let now = Duration::from_nanos(now);
        let full_at = now + Duration::from_nanos(owed);
        if let Err(RateLimited { retry_after }) = quota.take(full_at, now) {
            prop_assert!(!retry_after.is_zero(), "a refusal always means some wait");
            prop_assert!(
                quota.take(full_at, now + retry_after).is_ok(),
                "after retry_after ({retry_after:?}) a token is due"
            );
            prop_assert!(
                quota.take(full_at, now + retry_after - Duration::from_nanos(1)).is_err(),
                "one nanosecond earlier is too early: retry_after is not longer than needed"
            );
        }
    }
}
