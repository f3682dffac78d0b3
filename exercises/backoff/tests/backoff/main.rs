//! Tests for the `backoff` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p backoff`; they fail until you implement the
//! step they test. The modules are numbered in the lesson's order (delay,
//! jitter, budget, classify, retry), so failures are listed step by step. To
//! run one step only: `cargo test -p backoff step1`.
//!
//! They are one test binary (`tests/backoff/main.rs` declares the modules)
//! rather than one file per step, so that the project links once, not five
//! times, after every edit.

mod step1_delay;
mod step2_jitter;
mod step3_budget;
mod step4_classify;
mod step5_retry;

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

/// A random source that returns the given numbers in turn, then repeats the
/// last one.
#[derive(Debug, Clone)]
struct Sequence(Vec<f64>, usize);

impl RandomSource for Sequence {
    fn unit(&mut self) -> f64 {
        let value = self.0[self.1.min(self.0.len() - 1)];
        self.1 += 1;
        value
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
