//! Step 2: `Backoff::delays` and the `Delays` iterator (src/jitter.rs).

use std::time::Duration;

use backoff::{Backoff, Jitter};
use proptest::prelude::*;

use crate::{Fixed, Sequence};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn backoff() -> Backoff {
    Backoff::new(ms(100), ms(1_000)).expect("100ms..1s is a valid backoff")
}

fn first(jitter: Jitter, random: f64, count: usize) -> Vec<Duration> {
    backoff()
        .delays(jitter, Fixed(random))
        .take(count)
        .collect()
}

const ALL: [Jitter; 4] = [
    Jitter::None,
    Jitter::Full,
    Jitter::Equal,
    Jitter::Decorrelated,
];

#[test]
fn no_jitter_follows_the_backoff_curve() {
    assert_eq!(
        first(Jitter::None, 0.5, 6),
        [100, 200, 400, 800, 1_000, 1_000].map(ms),
        "Jitter::None should give Backoff::delay(0), delay(1), ... unchanged"
    );
}

#[test]
fn full_jitter_scales_the_whole_delay() {
    assert_eq!(
        first(Jitter::Full, 0.5, 5),
        [50, 100, 200, 400, 500].map(ms),
        "full jitter is uniform(0, delay): a random 0.5 gives half of each delay"
    );
    assert_eq!(
        first(Jitter::Full, 0.0, 3),
        [Duration::ZERO; 3],
        "full jitter can go all the way down to zero"
    );
}

#[test]
fn equal_jitter_keeps_half_of_the_delay() {
    assert_eq!(
        first(Jitter::Equal, 0.0, 5),
        [50, 100, 200, 400, 500].map(ms),
        "equal jitter is delay/2 + uniform(0, delay/2): a random 0 gives exactly half"
    );
    assert_eq!(
        first(Jitter::Equal, 0.5, 3),
        [75, 150, 300].map(ms),
        "a random 0.5 gives three quarters of each delay"
    );
}

#[test]
fn decorrelated_jitter_grows_from_the_previous_delay() {
    // previous starts at the base (100ms): uniform(100, 300) at 0.5 is 200,
    // then uniform(100, 600) is 350, uniform(100, 1050) is 575,
    // uniform(100, 1725) is 912.5, and uniform(100, 2737.5) is above the cap.
    assert_eq!(
        first(Jitter::Decorrelated, 0.5, 6),
        [
            ms(200),
            ms(350),
            ms(575),
            Duration::from_micros(912_500),
            ms(1_000),
            ms(1_000)
        ],
        "decorrelated jitter is min(cap, uniform(base, previous * 3))"
    );
}

#[test]
fn decorrelated_jitter_remembers_the_capped_delay_not_the_raw_draw() {
    // 0.875 three times: 275, 734.375, then a draw of 1940.23 capped to 1000.
    // The next draw must grow from the 1000 actually slept (uniform(100,
    // 3000)), not from the raw 1940.23; at 0.125 that is 462.5.
    let delays: Vec<Duration> = backoff()
        .delays(
            Jitter::Decorrelated,
            Sequence(vec![0.875, 0.875, 0.875, 0.875, 0.125], 0),
        )
        .take(5)
        .collect();
    assert_eq!(
        delays,
        [
            Duration::from_micros(275_000),
            Duration::from_micros(734_375),
            ms(1_000),
            ms(1_000),
            Duration::from_micros(462_500)
        ],
        "after the cap, `previous` must be the capped delay"
    );
}

#[test]
fn full_jitter_is_the_default() {
    assert_eq!(
        Jitter::default(),
        Jitter::Full,
        "full jitter does the least work overall"
    );
}

#[test]
fn the_same_seed_gives_the_same_schedule() {
    for jitter in ALL {
        let run = |seed| -> Vec<Duration> {
            backoff()
                .delays(jitter, fastrand::Rng::with_seed(seed))
                .take(20)
                .collect()
        };
        assert_eq!(
            run(7),
            run(7),
            "{jitter:?}: the delays should depend only on the random source"
        );
    }
}

#[test]
fn the_delays_never_end() {
    let count = backoff()
        .delays(Jitter::Full, fastrand::Rng::with_seed(1))
        .take(10_000)
        .count();
    assert_eq!(
        count, 10_000,
        "the retry loop, not the iterator, decides when to stop"
    );
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn jitter_never_exceeds_the_cap(
        seed in any::<u64>(),
        base_ms in 1u64..=10_000,
        extra_ms in 0u64..=100_000,
        jitter in prop::sample::select(ALL.to_vec()),
    ) {
        let backoff = Backoff::new(ms(base_ms), ms(base_ms + extra_ms)).unwrap();
        let rng = fastrand::Rng::with_seed(seed);
        for (attempt, delay) in backoff.delays(jitter, rng).take(40).enumerate() {
            prop_assert!(delay <= backoff.cap(), "{jitter:?}, attempt {attempt}: {delay:?} is above the cap");
        }
    }

    #[test]
    fn jittered_delays_stay_in_their_range_for_every_attempt(
        seed in any::<u64>(),
        base_ms in 1u64..=10_000,
        extra_ms in 0u64..=100_000,
    ) {
        let backoff = Backoff::new(ms(base_ms), ms(base_ms + extra_ms)).unwrap();
        let full = backoff.delays(Jitter::Full, fastrand::Rng::with_seed(seed));
        let equal = backoff.delays(Jitter::Equal, fastrand::Rng::with_seed(seed));
        let decorrelated = backoff.delays(Jitter::Decorrelated, fastrand::Rng::with_seed(seed));
        for (attempt, ((full, equal), decorrelated)) in full.zip(equal).zip(decorrelated).take(40).enumerate() {
            let curve = backoff.delay(attempt as u32);
            prop_assert!(full <= curve, "full jitter, attempt {attempt}: {full:?} > {curve:?}");
            prop_assert!(
                equal >= curve / 2 && equal <= curve,
                "equal jitter, attempt {attempt}: {equal:?} not in [{:?}, {curve:?}]", curve / 2
            );
            prop_assert!(
                decorrelated >= backoff.base(),
                "decorrelated jitter, attempt {attempt}: {decorrelated:?} is below the base"
            );
        }
    }

    #[test]
    fn jitter_never_panics_near_duration_max(
        random in 0.0f64..1.0,
        jitter in prop::sample::select(ALL.to_vec()),
    ) {
        // Delays near Duration::MAX overflow `Duration + Duration` and
        // `Duration * 3`: use the saturating methods (the `uniform` helper
        // already does).
        let backoff = Backoff::new(Duration::from_secs(1), Duration::MAX).unwrap();
        let last = backoff.delays(jitter, Fixed(random)).take(100).last();
        prop_assert!(last.is_some());
    }
}
