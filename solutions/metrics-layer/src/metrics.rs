//! Step 2: the three RED metrics in a `prometheus-client` registry, and
//! histogram buckets chosen for the service's latency.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::{Family, MetricConstructor};
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use crate::{Methods, RequestLabels};

/// Why a list of histogram bounds was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BucketError {
    /// No bounds at all: the histogram would have only `+Inf` and could not
    /// tell a 1 ms call from a 10 s one.
    #[error("a histogram needs at least one bucket bound")]
    Empty,
    /// A bound that is zero, negative, infinite or NaN. Durations are never
    /// negative, and `+Inf` is always added at the end.
    #[error("bucket bound {0} is not a positive, finite number of seconds")]
    NotPositive(f64),
    /// Bounds must strictly increase: a bucket is "at most this long".
    #[error("bucket bound {next} does not come after {previous}")]
    NotIncreasing {
        /// The bound before.
        previous: f64,
        /// The bound that is not greater.
        next: f64,
    },
    /// `around_target` needs a target above zero, and a timeout above the
    /// target: a service that times out before its latency target cannot
    /// meet it.
    #[error("target {target:?} must be above zero and below the timeout {timeout:?}")]
    BadTarget {
        /// The latency target.
        target: Duration,
        /// The timeout.
        timeout: Duration,
    },
}

/// The upper bounds, in seconds, of the latency histogram's buckets
/// (`+Inf` is added by the histogram).
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyBuckets {
    bounds: Arc<[f64]>,
}

/// The multiples of the target `around_target` puts a bound at, as
/// fractions: denser between 3/4 and 3/2 of the target, where the p99 of a
/// healthy service sits and where a quantile estimate must be precise.
const AROUND_TARGET: [(u32, u32); 11] = [
    (1, 8),
    (1, 4),
    (1, 2),
    (3, 4),
    (9, 10),
    (1, 1),
    (11, 10),
    (5, 4),
    (3, 2),
    (2, 1),
    (4, 1),
];

impl LatencyBuckets {
    /// Buckets with these upper bounds, in seconds.
    ///
    /// # Errors
    ///
    /// [`BucketError::Empty`], [`BucketError::NotPositive`] or
    /// [`BucketError::NotIncreasing`].
    pub fn new(bounds: impl IntoIterator<Item = f64>) -> Result<Self, BucketError> {
        let bounds: Vec<f64> = bounds.into_iter().collect();
        if bounds.is_empty() {
            return Err(BucketError::Empty);
        }
        // `!(bound > 0.0)` rather than `bound <= 0.0`: NaN fails every
        // comparison, so only this form refuses it.
        if let Some(&bad) = bounds
            .iter()
            .find(|bound| !(**bound > 0.0 && bound.is_finite()))
        {
            return Err(BucketError::NotPositive(bad));
        }
        if let Some(pair) = bounds.windows(2).find(|pair| pair[1] <= pair[0]) {
            return Err(BucketError::NotIncreasing {
                previous: pair[0],
                next: pair[1],
            });
        }
        Ok(Self {
            bounds: bounds.into(),
        })
    }

    /// Buckets for a service whose p99 should stay under `target` and whose
    /// calls are cut at `timeout`:
    ///
    /// - a bound exactly at the target, so "the share of calls under the
    ///   target" is a bucket read, not an interpolation;
    /// - bounds at 3/4, 9/10, 11/10, 5/4 and 3/2 of it, so the p99 estimate
    ///   is precise where it matters (`histogram_quantile` interpolates
    ///   linearly inside a bucket);
    /// - a few far below (1/8, 1/4, 1/2) and above (2x, 4x) for the shape;
    /// - a bound exactly at the timeout, where timed-out calls pile up, and
    ///   none beyond it (no call takes longer).
    ///
    /// With a 100 ms target and a 1 s timeout: 12.5, 25, 50, 75, 90, 100,
    /// 110, 125, 150, 200, 400 and 1000 ms.
    ///
    /// # Errors
    ///
    /// [`BucketError::BadTarget`] if `target` is zero or not below `timeout`.
    pub fn around_target(
        target: Duration,
        timeout: Duration,
    ) -> Result<Self, BucketError> {
        if target.is_zero() || timeout <= target {
            return Err(BucketError::BadTarget { target, timeout });
        }
        // Integer arithmetic on the `Duration`, converted last: 100 ms * 9 / 10
        // is exactly 90 ms, so the bound prints as `0.09`; in floats,
        // 0.1 * 0.9 is 0.09000000000000001, and so would the `le` label be.
        let bounds = AROUND_TARGET
            .iter()
            .map(|&(numerator, denominator)| target * numerator / denominator)
            .filter(|&bound| bound < timeout)
            .chain([timeout])
            .map(|bound| bound.as_secs_f64());
        Self::new(bounds)
    }

    /// The bounds, in seconds, without the implicit `+Inf`.
    pub fn bounds(&self) -> &[f64] {
        &self.bounds
    }
}

/// Builds each new histogram of the duration family with the chosen
/// buckets. A named type rather than a closure so that [`RedMetrics`] can
/// name the family's type in a field.
#[derive(Debug, Clone)]
struct WithBuckets(LatencyBuckets);

impl MetricConstructor<Histogram> for WithBuckets {
    fn new_metric(&self) -> Histogram {
        Histogram::new(self.0.bounds().iter().copied())
    }
}

/// The RED metrics of one service, registered in a `prometheus-client`
/// [`Registry`]:
///
/// - `requests_total{method,code}`, a counter: Rate, and Errors by `code`;
/// - `request_duration_seconds{method,code}`, a histogram: Duration;
/// - `requests_in_flight`, a gauge of the calls started and not yet
///   finished.
///
/// Cloning is cheap (one `Arc`), and every clone records into the same
/// metrics: the layer keeps one and gives one to each call's guard.
#[derive(Debug, Clone)]
pub struct RedMetrics {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    methods: Methods,
    requests: Family<RequestLabels, Counter>,
    duration: Family<RequestLabels, Histogram, WithBuckets>,
    in_flight: Gauge,
}

impl RedMetrics {
    /// Creates the three metrics and registers them in `registry` as
    /// `requests`, `request_duration` (unit seconds) and
    /// `requests_in_flight`. The registry adds the `_total` and `_seconds`
    /// suffixes itself.
    pub fn new(
        registry: &mut Registry,
        methods: Methods,
        buckets: LatencyBuckets,
    ) -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let duration = Family::new_with_constructor(WithBuckets(buckets));
        let in_flight = Gauge::default();
        // The registry keeps clones: prometheus-client's metrics are handles
        // on shared atomics, so what we record here is what it encodes.
        registry.register(
            "requests",
            "Requests handled, by method and code",
            requests.clone(),
        );
        registry.register_with_unit(
            "request_duration",
            "Time from the call to its response, by method and code",
            Unit::Seconds,
            duration.clone(),
        );
        registry.register(
            "requests_in_flight",
            "Requests started and not yet finished",
            in_flight.clone(),
        );
        Self {
            inner: Arc::new(Inner {
                methods,
                requests,
                duration,
                in_flight,
            }),
        }
    }

    /// The `method` label for a request path (see [`Methods::label`]).
    pub fn method(&self, path: &str) -> Arc<str> {
        self.inner.methods.label(path)
    }

    /// Records one finished call: one more request under `labels`, and one
    /// observation of `elapsed` in the duration histogram, in seconds (the
    /// Prometheus base unit).
    pub fn record(&self, labels: &RequestLabels, elapsed: Duration) {
        self.inner.requests.get_or_create(labels).inc();
        self.inner
            .duration
            .get_or_create(labels)
            .observe(elapsed.as_secs_f64());
    }

    /// The in-flight gauge: a call's guard adds one when it starts and takes
    /// it back when it ends, however it ends.
    pub fn in_flight(&self) -> &Gauge {
        &self.inner.in_flight
    }
}
