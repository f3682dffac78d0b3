//! Tests for the `metrics-registry` exercise, one module per step of the
//! lesson.
//!
//! Run them with `cargo test -p metrics-registry`; they fail until you
//! implement the step they test. The modules are numbered in the lesson's
//! order (labels, metrics, registry, exposition, then the checks against the
//! reference: prometheus-client, prometheus-parse and promtool), so failures
//! are listed step by step. To run one step only:
//! `cargo test -p metrics-registry step1`.
//!
//! `strict.rs` is not a step: it is a strict reader of the text format that
//! the exposition tests use, because the parser crate is lenient (see its
//! module documentation).

mod step1_labels;
mod step2_metrics;
mod step3_registry;
mod step4_exposition;
mod step5_reference;
mod strict;

use proptest::test_runner::Config;

/// Property tests run 256 random cases each and write no regression files
/// into your exercise folder.
fn properties() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}
