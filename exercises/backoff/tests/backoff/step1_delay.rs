//! Step 1: `Backoff::new` and `Backoff::delay` (src/delay.rs).

use std::time::Duration;

use backoff::{Backoff, BackoffError};
use proptest::prelude::*;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn the_first_retry_waits_the_base_delay() {
    let backoff =
        Backoff::new(ms(100), ms(10_000)).expect("100ms..10s is a valid backoff");
    assert_eq!(
        backoff.delay(0),
        ms(100),
        "attempt 0 should wait exactly the base delay"
    );
}

#[test]
fn each_attempt_doubles_the_delay_until_the_cap() {
    let backoff =
        Backoff::new(ms(100), ms(10_000)).expect("100ms..10s is a valid backoff");
    let delays: Vec<Duration> = (0..10).map(|attempt| backoff.delay(attempt)).collect();
    let expected = [
        100, 200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000, 10_000,
    ]
    .map(ms);
    assert_eq!(
        delays, expected,
        "delays should double from the base and then stay at the cap"
    );
}

#[test]
fn the_largest_attempt_numbers_return_the_cap_without_overflowing() {
    let backoff = Backoff::new(Duration::from_secs(1), Duration::MAX)
        .expect("1s..Duration::MAX is a valid backoff");
    for attempt in [64, 65, 127, 128, 1_000, u32::MAX - 1, u32::MAX] {
        assert_eq!(
            backoff.delay(attempt),
            Duration::MAX,
            "attempt {attempt}: base * 2^attempt is past Duration::MAX, so the cap applies"
        );
    }
}

#[test]
fn a_huge_cap_still_doubles_past_attempt_32() {
    // A factor computed as `2u32.saturating_pow(n)` stops at u32::MAX, so the
    // curve would flatten at attempt 32 long before this cap.
    let backoff =
        Backoff::new(Duration::from_nanos(1), Duration::MAX).expect("valid backoff");
    assert_eq!(
        backoff.delay(40),
        Duration::from_nanos(1 << 40),
        "1ns * 2^40 is far below the cap and should be exact"
    );
}

#[test]
fn a_zero_base_is_rejected() {
    assert_eq!(
        Backoff::new(Duration::ZERO, ms(100)),
        Err(BackoffError::ZeroBase),
        "a zero base never grows, so Backoff::new should refuse it"
    );
}

#[test]
fn a_base_above_the_cap_is_rejected() {
    let error = Backoff::new(ms(500), ms(100))
        .expect_err("base 500ms > cap 100ms should be refused");
    assert_eq!(
        error,
        BackoffError::BaseAboveCap {
            base: ms(500),
            cap: ms(100)
        }
    );
    assert_eq!(
        error.to_string(),
        "base delay 500ms is greater than the cap 100ms",
        "error messages are lowercase and name both values"
    );
}

#[test]
fn delays_match_the_backon_crate() {
    // backon computes in f32 seconds; bases that are powers of two in seconds
    // are exact in f32, so both crates must agree to the nanosecond.
    use backon::BackoffBuilder;
    for (base, cap) in [(0.125, 60), (0.25, 7), (1.0, 3_600), (2.0, 2)] {
        let base = Duration::from_secs_f64(base);
        let cap = Duration::from_secs(cap);
        let ours = Backoff::new(base, cap).expect("valid backoff");
        let theirs: Vec<Duration> = backon::ExponentialBuilder::default()
            .with_min_delay(base)
            .with_max_delay(cap)
            .with_factor(2.0)
            .with_max_times(20)
            .build()
            .collect();
        let ours: Vec<Duration> = (0..20).map(|attempt| ours.delay(attempt)).collect();
        assert_eq!(
            ours, theirs,
            "base {base:?}, cap {cap:?}: backon's un-jittered curve differs"
        );
    }
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn the_delay_never_exceeds_the_cap(
        base_ms in 1u64..=60_000,
        extra_ms in 0u64..=3_600_000,
        attempt in any::<u32>(),
    ) {
        let backoff = Backoff::new(ms(base_ms), ms(base_ms + extra_ms)).unwrap();
        let delay = backoff.delay(attempt);
        prop_assert!(delay <= backoff.cap(), "attempt {attempt}: {delay:?} is above the cap");
        prop_assert!(delay >= backoff.base(), "attempt {attempt}: {delay:?} is below the base");
    }

    #[test]
    fn each_delay_is_double_the_previous_one_or_the_cap(
        base_ns in 1u64..=u64::MAX / 2,
        cap_ns in 1u64..=u64::MAX,
        attempt in 0u32..200,
    ) {
        prop_assume!(base_ns <= cap_ns);
        let backoff = Backoff::new(Duration::from_nanos(base_ns), Duration::from_nanos(cap_ns)).unwrap();
        let previous = backoff.delay(attempt);
        let next = backoff.delay(attempt + 1);
        let expected = previous.saturating_mul(2).min(backoff.cap());
        prop_assert_eq!(next, expected, "delay({}) should be min(cap, 2 * delay({}))", attempt + 1, attempt);
    }

    #[test]
    fn the_delay_never_decreases(
        base_ms in 1u64..=60_000,
        extra_ms in 0u64..=3_600_000,
        attempt in any::<u32>(),
    ) {
        prop_assume!(attempt < u32::MAX);
        let backoff = Backoff::new(ms(base_ms), ms(base_ms + extra_ms)).unwrap();
        prop_assert!(backoff.delay(attempt) <= backoff.delay(attempt + 1));
    }
}
