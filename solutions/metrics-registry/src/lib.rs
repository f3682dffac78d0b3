//! # Day 138: metrics by hand (solution)
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
//! One module per step; `lib.rs` only re-exports. The tests are the
//! exercise's own (`exercises/metrics-registry/tests/metrics_registry/`),
//! and `benches/hot_path.rs` times an update against prometheus-client's.

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
