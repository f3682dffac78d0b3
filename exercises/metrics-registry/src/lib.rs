//! # Day 138: metrics by hand (exercise)
//!
//! A job processor needs to say how it is doing: how many jobs it finished,
//! by queue and outcome; how long they took; how many are running now. This
//! crate is a small, thread-safe metrics registry that answers in the
//! Prometheus text format:
//!
//! - metric names, label names and label sets, sorted into the series key
//!   (`labels.rs`);
//! - counters, gauges and histograms updated with atomics, no lock
//!   (`metrics.rs`);
//! - families registered once, a per-family cardinality limit, and
//!   snapshots that are copies (`registry.rs`);
//! - the text format 0.0.4: escaping, `HELP`/`TYPE`, cumulative buckets
//!   (`exposition.rs`).
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them; `lib.rs` only
//! re-exports, so every item is used as `metrics_registry::Item`. The tests
//! are in `tests/metrics_registry/`, one file per step, and a fifth that
//! checks your exposition against prometheus-client, the prometheus-parse
//! crate and (when it is installed) `promtool check metrics`.
//!
//! Every `todo!()` is yours to replace; the `// TODO` above it says what to
//! do. `cargo test -p metrics-registry` tells you which step is next, and
//! `cargo workbook hint metrics-registry` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod exposition;
mod labels;
mod metrics;
mod registry;

pub use exposition::{
    CONTENT_TYPE, encode, escape_help, escape_label_value, format_float,
};
pub use labels::{LabelError, LabelName, Labels, MetricName};
pub use metrics::{
    Buckets, BucketsError, Counter, Gauge, Histogram, HistogramSnapshot, Metric,
    MetricKind, Value,
};
pub use registry::{
    DEFAULT_MAX_SERIES, Family, FamilySnapshot, Opts, Registry, RegistryError, Series,
    Snapshot,
};
