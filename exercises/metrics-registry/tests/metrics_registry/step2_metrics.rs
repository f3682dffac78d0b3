//! Step 2: `Counter`, `Gauge`, `Buckets` and `Histogram` (src/metrics.rs).

use metrics_registry::{Buckets, BucketsError, Counter, Gauge, Histogram, Metric, Value};
use proptest::prelude::*;

fn buckets(bounds: &[f64]) -> Buckets {
    Buckets::new(bounds).expect("valid bucket bounds")
}

#[test]
fn a_counter_starts_at_zero_and_only_goes_up() {
    let counter = Counter::new();
    assert_eq!(counter.value(), 0, "a new counter is at zero");
    counter.inc();
    counter.inc_by(41);
    assert_eq!(counter.value(), 42, "inc adds one and inc_by adds n");
    assert_eq!(
        Metric::value(&counter),
        Value::Counter(42),
        "a counter's Metric::value copies its count"
    );
}

#[test]
fn a_gauge_goes_up_and_down_and_can_be_set() {
    let gauge = Gauge::new();
    gauge.inc();
    gauge.inc();
    gauge.dec();
    assert_eq!(gauge.value(), 1, "two up, one down");
    gauge.add(-5);
    assert_eq!(gauge.value(), -4, "a gauge may go below zero");
    gauge.set(7);
    assert_eq!(gauge.value(), 7, "set replaces the value");
    assert_eq!(
        Metric::value(&gauge),
        Value::Gauge(7),
        "Metric::value copies it"
    );
}

#[test]
fn counters_updated_from_many_threads_lose_nothing() {
    let counter = Counter::new();
    let gauge = Gauge::new();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..10_000 {
                    counter.inc();
                    gauge.inc();
                    gauge.dec();
                }
            });
        }
    });
    assert_eq!(
        counter.value(),
        40_000,
        "4 threads x 10 000 increments: a load-then-store would lose some"
    );
    assert_eq!(gauge.value(), 0, "every inc was matched by a dec");
}

#[test]
fn bucket_bounds_must_be_strictly_increasing() {
    assert_eq!(
        Buckets::new(&[0.1, 0.5, 0.5, 1.0]).expect_err("0.5 twice"),
        BucketsError::NotIncreasing {
            previous: 0.5,
            next: 0.5
        },
        "a repeated bound is not strictly increasing"
    );
    assert_eq!(
        Buckets::new(&[1.0, 0.5]).expect_err("decreasing"),
        BucketsError::NotIncreasing {
            previous: 1.0,
            next: 0.5
        },
        "a decreasing pair should be reported with both bounds"
    );
    assert_eq!(
        Buckets::new(&[]).expect_err("no buckets"),
        BucketsError::Empty,
        "a histogram needs at least one bound"
    );
}

#[test]
fn bucket_bounds_must_be_finite() {
    for bad in [f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(
            Buckets::new(&[0.1, bad]).expect_err("infinite bound"),
            BucketsError::NotFinite(bad),
            "the +Inf bucket is implied, so {bad} is refused"
        );
    }
    let error = Buckets::new(&[0.1, f64::NAN, 0.5]).expect_err("NaN bound");
    assert!(
        matches!(error, BucketsError::NotFinite(b) if b.is_nan()),
        "NaN compares false with everything, so check finiteness first; got {error:?}"
    );
    let valid = Buckets::new(&[-1.0, 0.0, 0.25]).expect("negative bounds are fine");
    assert_eq!(
        valid.bounds(),
        [-1.0, 0.0, 0.25],
        "bounds are kept as given"
    );
}

#[test]
fn an_observation_lands_in_the_first_bucket_whose_bound_is_at_least_the_value() {
    let histogram = Histogram::new(buckets(&[0.1, 0.5, 1.0]));
    // On a bound: `le` means "less than or equal", so 0.5 counts in le=0.5.
    for value in [0.05, 0.1, 0.3, 0.5, 0.5, 2.0] {
        histogram.observe(value);
    }
    let snapshot = histogram.snapshot();
    assert_eq!(
        snapshot.cumulative(),
        [(0.1, 2), (0.5, 5), (1.0, 5), (f64::INFINITY, 6)],
        "cumulative counts: <=0.1 holds 0.05 and 0.1; <=0.5 adds 0.3, 0.5, 0.5; \
         nothing in (0.5, 1]; +Inf holds everything"
    );
    assert_eq!(snapshot.count(), 6, "six observations");
    assert!(
        (snapshot.sum() - 3.45).abs() < 1e-9,
        "the sum is 3.45, got {}",
        snapshot.sum()
    );
    assert_eq!(
        snapshot.bounds(),
        [0.1, 0.5, 1.0],
        "the snapshot keeps the bounds"
    );
}

#[test]
fn a_value_above_every_bound_lands_only_in_the_inf_bucket() {
    let histogram = Histogram::new(buckets(&[1.0, 2.0]));
    histogram.observe(1e300);
    assert_eq!(
        histogram.snapshot().cumulative(),
        [(1.0, 0), (2.0, 0), (f64::INFINITY, 1)],
        "1e300 is above every bound"
    );
}

#[test]
fn a_nan_observation_lands_in_the_inf_bucket() {
    let histogram = Histogram::new(buckets(&[1.0, 2.0]));
    histogram.observe(f64::NAN);
    let snapshot = histogram.snapshot();
    assert_eq!(
        snapshot.cumulative(),
        [(1.0, 0), (2.0, 0), (f64::INFINITY, 1)],
        "NaN is not <= any bound, so it belongs in +Inf (as in the Go client); \
         `partition_point(|b| b < v)` puts it in the first bucket instead"
    );
    assert!(snapshot.sum().is_nan(), "and it makes the sum NaN");
}

#[test]
fn a_histogram_snapshot_is_a_copy() {
    let histogram = Histogram::new(buckets(&[1.0]));
    histogram.observe(0.5);
    let before = histogram.snapshot();
    histogram.observe(0.5);
    histogram.observe(5.0);
    assert_eq!(
        before.count(),
        1,
        "a snapshot does not see later observations"
    );
    assert_eq!(histogram.snapshot().count(), 3, "a new snapshot does");
    assert_eq!(
        Metric::value(&histogram),
        Value::Histogram(histogram.snapshot()),
        "a histogram's Metric::value is its snapshot"
    );
}

#[test]
fn observations_from_many_threads_are_all_counted() {
    let histogram = Histogram::new(buckets(&[1.0, 10.0]));
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let histogram = &histogram;
            scope.spawn(move || {
                for i in 0..1_000 {
                    histogram.observe(f64::from(thread * 1_000 + i) / 100.0);
                }
            });
        }
    });
    let snapshot = histogram.snapshot();
    // The values are 0.00, 0.01, ... 39.99: 101 are <= 1, 1 001 are <= 10.
    assert_eq!(
        snapshot.cumulative(),
        [(1.0, 101), (10.0, 1_001), (f64::INFINITY, 4_000)],
        "every observation from every thread is counted once"
    );
    // The sum of i/100 for i in 0..4000, exact in any order to well
    // within 1e-6.
    assert!(
        (snapshot.sum() - 79_980.0).abs() < 1e-6,
        "a compare-and-swap sum loses no addition; got {}",
        snapshot.sum()
    );
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn buckets_are_cumulative_and_inf_counts_everything(
        steps in proptest::collection::vec(0.01f64..10.0, 1..8),
        values in proptest::collection::vec(-5.0f64..50.0, 0..64),
    ) {
        // Strictly increasing bounds from positive steps.
        let bounds: Vec<f64> = steps
            .iter()
            .scan(-1.0, |bound, step| {
                *bound += step;
                Some(*bound)
            })
            .collect();
        let histogram = Histogram::new(buckets(&bounds));
        for &v in &values {
            histogram.observe(v);
        }
        let snapshot = histogram.snapshot();
        let cumulative = snapshot.cumulative();
        prop_assert_eq!(cumulative.len(), bounds.len() + 1, "one entry per bound, plus +Inf");
        for (i, &(bound, count)) in cumulative.iter().enumerate() {
            let expected = values.iter().filter(|&&v| v <= bound).count() as u64;
            prop_assert_eq!(count, expected, "bucket {} (le={}) counts every value <= it", i, bound);
        }
        for pair in cumulative.windows(2) {
            prop_assert!(pair[0].1 <= pair[1].1, "cumulative counts never decrease");
        }
        prop_assert_eq!(cumulative.last().map(|b| b.0), Some(f64::INFINITY), "+Inf comes last");
        prop_assert_eq!(
            cumulative.last().map(|b| b.1),
            Some(snapshot.count()),
            "the +Inf bucket equals the count"
        );
        prop_assert_eq!(snapshot.count(), values.len() as u64, "the count is every observation");
    }
}
