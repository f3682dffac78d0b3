//! Step 2: `LatencyBuckets` and `RedMetrics` (src/metrics.rs).

use std::sync::Arc;

use metrics_layer::{
    BucketError, Code, LatencyBuckets, Methods, RedMetrics, RequestLabels,
};
use prometheus_client::registry::Registry;

use crate::{
    STATUS, SUBMIT, bucket, duration_count, duration_sum, job_service_metrics, ms,
    requests, sample, scrape,
};

#[test]
fn buckets_keep_valid_bounds_in_order() {
    let buckets = LatencyBuckets::new([0.01, 0.1, 1.0]).expect("valid bounds");
    assert_eq!(buckets.bounds(), [0.01, 0.1, 1.0]);
}

#[test]
fn bounds_must_be_positive_finite_and_increasing() {
    assert_eq!(
        LatencyBuckets::new([]),
        Err(BucketError::Empty),
        "no bounds at all should be refused"
    );
    for bad in [0.0, -0.5, f64::INFINITY] {
        assert_eq!(
            LatencyBuckets::new([0.1, bad]),
            Err(BucketError::NotPositive(bad)),
            "{bad} is no duration bound"
        );
    }
    let nan = LatencyBuckets::new([f64::NAN]).expect_err("NaN is no bound");
    assert!(
        matches!(nan, BucketError::NotPositive(bound) if bound.is_nan()),
        "NaN fails every comparison, so check it explicitly: got {nan:?}"
    );
    assert_eq!(
        LatencyBuckets::new([0.1, 0.5, 0.5]),
        Err(BucketError::NotIncreasing {
            previous: 0.5,
            next: 0.5
        }),
        "a repeated bound should be refused"
    );
    assert_eq!(
        LatencyBuckets::new([0.1, 0.05]).map_err(|error| error.to_string()),
        Err("bucket bound 0.05 does not come after 0.1".to_owned())
    );
}

#[test]
fn buckets_around_the_target_are_dense_near_it_and_end_at_the_timeout() {
    let buckets = LatencyBuckets::around_target(ms(100), ms(1000)).expect("valid");
    assert_eq!(
        buckets.bounds(),
        [
            0.0125, 0.025, 0.05, 0.075, 0.09, 0.1, 0.11, 0.125, 0.15, 0.2, 0.4, 1.0
        ],
        "1/8, 1/4, 1/2, 3/4, 9/10, 1, 11/10, 5/4, 3/2, 2 and 4 times the target, then the \
         timeout; computed on the Duration, so 9/10 of 100 ms is exactly 0.09"
    );
}

#[test]
fn bounds_past_the_timeout_are_left_out() {
    let buckets = LatencyBuckets::around_target(ms(100), ms(180)).expect("valid");
    assert_eq!(
        buckets.bounds(),
        [
            0.0125, 0.025, 0.05, 0.075, 0.09, 0.1, 0.11, 0.125, 0.15, 0.18
        ],
        "no call outlives the timeout, so no bound beyond it, and one exactly at it"
    );
}

#[test]
fn a_target_must_be_above_zero_and_below_the_timeout() {
    for (target, timeout) in [(ms(0), ms(100)), (ms(100), ms(100)), (ms(200), ms(100))] {
        assert_eq!(
            LatencyBuckets::around_target(target, timeout),
            Err(BucketError::BadTarget { target, timeout }),
            "target {target:?} with timeout {timeout:?} should be refused"
        );
    }
}

#[test]
fn the_three_metrics_are_registered_with_their_types() {
    let (registry, metrics) = job_service_metrics();
    // A family with no series yet is left out of the exposition, so record
    // one call before looking for the families' headers.
    metrics.record(
        &RequestLabels::new(metrics.method(SUBMIT), Code::OK),
        ms(10),
    );
    let text = scrape(&registry);
    for line in [
        "# TYPE requests counter",
        "# TYPE request_duration_seconds histogram",
        "# UNIT request_duration_seconds seconds",
        "# TYPE requests_in_flight gauge",
        "requests_in_flight 0",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "the exposition should have the line {line:?}; got:\n{text}"
        );
    }
}

#[test]
fn recording_a_call_counts_it_and_observes_its_duration() {
    let (registry, metrics) = job_service_metrics();
    let labels = RequestLabels::new(metrics.method(SUBMIT), Code::OK);
    metrics.record(&labels, ms(80));
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, SUBMIT, "ok"),
        Some(1.0),
        "one call recorded:\n{text}"
    );
    assert_eq!(
        duration_count(&text, SUBMIT, "ok"),
        Some(1.0),
        "one observation"
    );
    assert_eq!(
        duration_sum(&text, SUBMIT, "ok"),
        Some(0.08),
        "80 ms, in seconds"
    );
    assert_eq!(
        bucket(&text, SUBMIT, "ok", "0.075"),
        Some(0.0),
        "80 ms is above the 75 ms bound"
    );
    assert_eq!(
        bucket(&text, SUBMIT, "ok", "0.09"),
        Some(1.0),
        "80 ms is in the 90 ms bucket, and buckets are cumulative"
    );
    assert_eq!(
        bucket(&text, SUBMIT, "ok", "+Inf"),
        Some(1.0),
        "+Inf counts all"
    );
}

#[test]
fn each_method_and_code_is_its_own_series() {
    let (registry, metrics) = job_service_metrics();
    for (path, code, elapsed) in [
        (SUBMIT, Code::OK, 10),
        (SUBMIT, Code::OK, 20),
        (SUBMIT, Code::grpc(14), 30),
        (STATUS, Code::OK, 5),
        ("/wp-login.php", Code::grpc(12), 1),
    ] {
        metrics.record(&RequestLabels::new(metrics.method(path), code), ms(elapsed));
    }
    let text = scrape(&registry);
    assert_eq!(
        requests(&text, SUBMIT, "ok"),
        Some(2.0),
        "two ok submits:\n{text}"
    );
    assert_eq!(
        requests(&text, SUBMIT, "unavailable"),
        Some(1.0),
        "one failed submit"
    );
    assert_eq!(requests(&text, STATUS, "ok"), Some(1.0), "one status call");
    assert_eq!(
        requests(&text, "other", "unimplemented"),
        Some(1.0),
        "a path outside the allow-list is counted under `other`"
    );
    assert!(
        !text.contains("wp-login"),
        "the unknown path itself must never become a label:\n{text}"
    );
    assert_eq!(
        bucket(&text, SUBMIT, "ok", "0.0125"),
        Some(1.0),
        "10 ms is under 12.5 ms, 20 ms is not"
    );
    assert_eq!(
        bucket(&text, SUBMIT, "ok", "0.025"),
        Some(2.0),
        "both under 25 ms"
    );
}

#[test]
fn the_in_flight_gauge_is_registered_and_shared() {
    let (registry, metrics) = job_service_metrics();
    let clone = metrics.clone();
    clone.in_flight().inc();
    assert_eq!(metrics.in_flight().get(), 1, "clones share one gauge");
    assert_eq!(
        sample(&scrape(&registry), "requests_in_flight"),
        Some(1.0),
        "the registry encodes the gauge the metrics update"
    );
}

#[test]
fn two_services_can_record_into_two_registries() {
    let mut first = Registry::default();
    let mut second = Registry::default();
    let buckets = LatencyBuckets::new([0.1]).expect("valid");
    let methods = Methods::new([SUBMIT]).expect("a path");
    let a = RedMetrics::new(&mut first, methods.clone(), buckets.clone());
    let _b = RedMetrics::new(&mut second, methods, buckets);
    a.record(&RequestLabels::new(Arc::from(SUBMIT), Code::OK), ms(50));
    assert_eq!(requests(&scrape(&first), SUBMIT, "ok"), Some(1.0));
    assert_eq!(
        requests(&scrape(&second), SUBMIT, "ok"),
        None,
        "metrics are not global: the second registry saw nothing"
    );
}
