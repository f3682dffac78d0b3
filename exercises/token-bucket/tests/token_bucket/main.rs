//! Tests for the `token-bucket` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p token-bucket`; they fail until you implement
//! the step they test. The modules are numbered in the lesson's order
//! (quota, try_acquire, acquire, two dials), so failures are listed step by
//! step. To run one step only: `cargo test -p token-bucket step1`.
//!
//! Time is never real here: steps 1 and 2 set a `ManualClock` by hand, and
//! steps 3 and 4 run on tokio's paused clock, which jumps straight to the
//! next timer, so every elapsed time is exact.
//!
//! The loom models are in `tests/loom.rs`, a separate binary that this one
//! knows nothing about: under `--cfg loom` this file compiles to nothing.
#![cfg(not(loom))]

mod step1_quota;
mod step2_try_acquire;
mod step3_acquire;
mod step4_two_dials;

use std::num::NonZeroU32;
use std::time::Duration;

use proptest::test_runner::Config;
use token_bucket::Quota;

/// Property tests run 256 random cases each and write no regression files
/// into your exercise folder.
fn properties() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).expect("a positive number")
}

/// One token every `interval_ms`, at most `burst` saved up.
fn quota(interval_ms: u64, burst: u32) -> Quota {
    Quota::new(ms(interval_ms), nz(burst)).expect("a valid quota")
}

/// Checks the rate limiter's promise on a list of grant times (sorted, from
/// one bucket): every window from one grant to a later one holds at most
/// `window / interval + burst` grants. The worst windows start and end on a
/// grant, so checking those pairs checks every window.
fn assert_within_quota(grants: &[Duration], quota: Quota) {
    let interval = quota.interval().as_nanos();
    let burst = u128::from(quota.burst());
    for (i, first) in grants.iter().enumerate() {
        for (j, last) in grants.iter().enumerate().skip(i) {
            let granted = (j - i + 1) as u128;
            let window = (*last - *first).as_nanos();
            assert!(
                granted * interval <= window + burst * interval,
                "{granted} grants between {first:?} and {last:?}: more than \
                 window / interval + burst ({quota:?})"
            );
        }
    }
}
