//! Step 2: the three metric types, and the copy each one makes of itself.
//!
//! Every update is one or two atomic operations on the metric itself, with
//! no lock: a counter is bumped far more often than it is read, and the
//! scrape that reads it must never stall the code being measured.
//!
//! `Ordering::Relaxed` everywhere: each atomic is a number on its own, and no
//! other memory is published through it. A scrape needs each number to be
//! one the metric really held, not a consistent picture of all of them (see
//! [`Histogram::snapshot`]), so no ordering stronger than relaxed buys
//! anything.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

/// The Prometheus type of a family, as written on its `# TYPE` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// A count that only goes up (until the process restarts).
    Counter,
    /// A value that goes up and down.
    Gauge,
    /// Observations counted into buckets, plus their sum and count.
    Histogram,
}

impl MetricKind {
    /// The word on the `# TYPE` line: `counter`, `gauge`, `histogram`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Counter => "counter",
            Self::Gauge => "gauge",
            Self::Histogram => "histogram",
        }
    }
}

/// An owned copy of one metric's value at one moment.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A counter's count.
    Counter(u64),
    /// A gauge's value.
    Gauge(i64),
    /// A histogram's buckets, sum and count.
    Histogram(HistogramSnapshot),
}

/// What a registry needs from a metric type: its kind, and a copy of its
/// current value.
pub trait Metric: fmt::Debug + Send + Sync + 'static {
    /// The family type written on the `# TYPE` line.
    const KIND: MetricKind;

    /// Copies the current value out of the metric.
    fn value(&self) -> Value;
}

/// A count that only goes up.
///
/// A `u64` makes "only up" a property of the type: there is no `dec`, and
/// `inc_by` takes no negative number. (Prometheus counters are floats on the
/// wire, and the Go client panics on a negative `Add`; here that mistake does
/// not compile.)
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one.
    pub fn inc(&self) {
        self.inc_by(1);
    }

    /// Adds `n`.
    pub fn inc_by(&self, n: u64) {
        // TODO: one atomic read-modify-write (`fetch_add`), not a `load`
        // followed by a `store`, which loses updates between threads.
        todo!("Counter::inc_by: add n atomically")
    }

    /// The current count.
    pub fn value(&self) -> u64 {
        todo!("Counter::value: load the count")
    }
}

impl Metric for Counter {
    const KIND: MetricKind = MetricKind::Counter;

    fn value(&self) -> Value {
        Value::Counter(Counter::value(self))
    }
}

/// A value that goes up and down: jobs in flight, queue depth.
#[derive(Debug, Default)]
pub struct Gauge(AtomicI64);

impl Gauge {
    /// A gauge at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the value.
    pub fn set(&self, value: i64) {
        todo!("Gauge::set: store the value")
    }

    /// Adds `delta`, which may be negative.
    pub fn add(&self, delta: i64) {
        todo!("Gauge::add: add delta atomically")
    }

    /// Adds one.
    pub fn inc(&self) {
        self.add(1);
    }

    /// Subtracts one.
    pub fn dec(&self) {
        self.add(-1);
    }

    /// The current value.
    pub fn value(&self) -> i64 {
        todo!("Gauge::value: load the value")
    }
}

impl Metric for Gauge {
    const KIND: MetricKind = MetricKind::Gauge;

    fn value(&self) -> Value {
        Value::Gauge(Gauge::value(self))
    }
}

/// Why a list of bucket bounds was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BucketsError {
    /// No bounds at all.
    #[error("a histogram needs at least one bucket bound")]
    Empty,
    /// An infinite or NaN bound.
    #[error("bucket bound {0} is not finite (the +Inf bucket is always added)")]
    NotFinite(f64),
    /// A bound not above the one before it.
    #[error(
        "bucket bounds must be strictly increasing, but {previous} is followed by {next}"
    )]
    NotIncreasing {
        /// The earlier bound.
        previous: f64,
        /// The bound that is not above it.
        next: f64,
    },
}

/// The upper bounds of a histogram's buckets: finite and strictly increasing.
/// The `+Inf` bucket is implied and never listed.
///
/// Cloning is cheap (`Arc`), since every series of a family shares them.
#[derive(Debug, Clone, PartialEq)]
pub struct Buckets(Arc<[f64]>);

impl Buckets {
    /// Validates `bounds`.
    ///
    /// # Errors
    ///
    /// [`BucketsError`] if `bounds` is empty, holds a non-finite value, or is
    /// not strictly increasing. A NaN is refused as not finite first, which
    /// matters: every comparison with NaN is false, so it would slip through
    /// an "is it increasing" test written as `next <= previous`.
    pub fn new(bounds: &[f64]) -> Result<Self, BucketsError> {
        // TODO: in this order: Empty; then the first bound that is not
        // `is_finite()` (NotFinite); then the first pair in `windows(2)`
        // whose second bound is `<=` the first (NotIncreasing). Then
        // `Self(bounds.into())`.
        todo!("Buckets::new: refuse empty, non-finite and non-increasing bounds")
    }

    /// The bounds, increasing, without `+Inf`.
    pub fn bounds(&self) -> &[f64] {
        &self.0
    }
}

/// Observations counted into buckets by upper bound, with their sum.
///
/// Each bucket counts only its own observations (those above the previous
/// bound); [`HistogramSnapshot::cumulative`] adds them up when it is read.
/// The rejected alternative stores the cumulative counts the exposition
/// shows, and pays for it on every `observe`: one atomic add for every
/// bucket at or above the value instead of one in all.
#[derive(Debug)]
pub struct Histogram {
    buckets: Buckets,
    /// One counter per bound, then one for `+Inf`.
    counts: Box<[AtomicU64]>,
    /// The sum of all observations, an `f64` stored as its bits: std has no
    /// `AtomicF64`.
    sum_bits: AtomicU64,
}

impl Histogram {
    /// An empty histogram over `buckets`.
    pub fn new(buckets: Buckets) -> Self {
        // TODO: one `AtomicU64::new(0)` per bound plus one for +Inf
        // (`(0..=n).map(..).collect()` builds the boxed slice), and a sum of
        // `0.0_f64.to_bits()`.
        todo!("Histogram::new: one counter per bucket, plus +Inf")
    }

    /// Records one observation in the first bucket whose bound is `>= value`
    /// (Prometheus's `le`, "less than or equal"), or in `+Inf` if none is.
    pub fn observe(&self, value: f64) {
        // TODO: find the bucket with `bounds().partition_point(..)`: the
        // index of the first bound that is >= value (write the predicate as
        // `!(bound >= value)`, so that NaN goes to +Inf), and add 1 to that
        // counter. Then add `value` to the sum with `fetch_update`, turning
        // the bits into an f64 and back (`f64::from_bits`, `to_bits`).
        todo!("Histogram::observe: count the value in its bucket and add it to the sum")
    }

    /// Copies the counts and the sum.
    ///
    /// The copy is taken counter by counter while other threads may be
    /// observing, so the sum can lag a bucket by an observation or two. The
    /// count is *not* stored: it is the sum of the buckets copied, so the
    /// `+Inf` bucket equals `_count` in every snapshot, which is the
    /// invariant Prometheus checks. A separate count, read at a different
    /// moment, could disagree with the buckets.
    pub fn snapshot(&self) -> HistogramSnapshot {
        // TODO: load every counter into a Vec, and the sum from its bits.
        todo!("Histogram::snapshot: copy the counts and the sum")
    }
}

impl Metric for Histogram {
    const KIND: MetricKind = MetricKind::Histogram;

    fn value(&self) -> Value {
        Value::Histogram(self.snapshot())
    }
}

/// An owned copy of a histogram: later observations do not change it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramSnapshot {
    buckets: Buckets,
    /// Per bucket, not cumulative; the last one is `+Inf`.
    counts: Vec<u64>,
    sum: f64,
}

impl HistogramSnapshot {
    /// The finite bucket bounds, increasing.
    pub fn bounds(&self) -> &[f64] {
        self.buckets.bounds()
    }

    /// `(upper bound, observations <= bound)` for every bucket, the last one
    /// `(f64::INFINITY, count)`: the numbers of the `_bucket` lines.
    pub fn cumulative(&self) -> Vec<(f64, u64)> {
        // TODO: pair the bounds, followed by f64::INFINITY, with a running
        // total of `counts` (a `for` loop with a `total` variable, or
        // `Iterator::scan`).
        todo!("HistogramSnapshot::cumulative: running totals, +Inf last")
    }

    /// The number of observations.
    pub fn count(&self) -> u64 {
        todo!("HistogramSnapshot::count: the sum of the bucket counts")
    }

    /// The sum of the observations.
    pub fn sum(&self) -> f64 {
        self.sum
    }
}
