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
        // `fetch_add`, not `load` then `store`: two threads that both load 5
        // would both store 6, and one increment would be lost.
        self.0.fetch_add(n, Relaxed);
    }

    /// The current count.
    pub fn value(&self) -> u64 {
        self.0.load(Relaxed)
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
        self.0.store(value, Relaxed);
    }

    /// Adds `delta`, which may be negative.
    pub fn add(&self, delta: i64) {
        self.0.fetch_add(delta, Relaxed);
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
        self.0.load(Relaxed)
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
        if bounds.is_empty() {
            return Err(BucketsError::Empty);
        }
        if let Some(&bad) = bounds.iter().find(|b| !b.is_finite()) {
            return Err(BucketsError::NotFinite(bad));
        }
        if let Some(pair) = bounds.windows(2).find(|pair| pair[1] <= pair[0]) {
            return Err(BucketsError::NotIncreasing {
                previous: pair[0],
                next: pair[1],
            });
        }
        Ok(Self(bounds.into()))
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
        let counts = (0..=buckets.bounds().len())
            .map(|_| AtomicU64::new(0))
            .collect();
        Self {
            buckets,
            counts,
            sum_bits: AtomicU64::new(0.0_f64.to_bits()),
        }
    }

    /// Records one observation in the first bucket whose bound is `>= value`
    /// (Prometheus's `le`, "less than or equal"), or in `+Inf` if none is.
    pub fn observe(&self, value: f64) {
        // `!(bound >= value)`, not `bound < value`: the two differ only for
        // NaN, which compares false with everything. Written as `bound <
        // value`, a NaN would be "below" no bound and land in the first
        // bucket; written this way it is "above" every bound and lands in
        // `+Inf`, as in the Go client and prometheus-client.
        #[allow(clippy::neg_cmp_op_on_partial_ord)]
        let index = self
            .buckets
            .bounds()
            .partition_point(|&bound| !(bound >= value));
        self.counts[index].fetch_add(1, Relaxed);
        // std has no atomic float add, so add with a compare-and-swap loop:
        // `fetch_update` retries if another thread changed the sum between
        // our load and our store.
        let _ = self.sum_bits.fetch_update(Relaxed, Relaxed, |bits| {
            Some((f64::from_bits(bits) + value).to_bits())
        });
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
        HistogramSnapshot {
            buckets: self.buckets.clone(),
            counts: self.counts.iter().map(|c| c.load(Relaxed)).collect(),
            sum: f64::from_bits(self.sum_bits.load(Relaxed)),
        }
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
        let bounds = self.bounds().iter().copied().chain([f64::INFINITY]);
        let running = self.counts.iter().scan(0, |total, &n| {
            *total += n;
            Some(*total)
        });
        bounds.zip(running).collect()
    }

    /// The number of observations.
    pub fn count(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The sum of the observations.
    pub fn sum(&self) -> f64 {
        self.sum
    }
}
