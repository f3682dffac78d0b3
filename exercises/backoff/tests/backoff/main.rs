//! Tests for the `backoff` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p backoff`; they fail until you implement the
//! step they test. Start with `delay`, then `jitter`, `budget`, `classify`
//! and `retry`. To run one step only: `cargo test -p backoff delay::`.
//!
//! They are one test binary (`tests/backoff/main.rs` declares the modules)
//! rather than one file per step, so that the project links once, not five
//! times, after every edit.

mod budget;
mod classify;
mod delay;
mod jitter;
mod retry;

use backoff::RandomSource;
use proptest::test_runner::Config;

/// A random source that always returns the same number: with it, a jittered
/// delay is an exact value the test can state.
#[derive(Debug, Clone, Copy)]
struct Fixed(f64);

impl RandomSource for Fixed {
    fn unit(&mut self) -> f64 {
        self.0
    }
}

/// Property tests run 256 random cases each and write no regression files
/// into your exercise folder.
fn properties() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}
