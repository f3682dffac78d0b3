//! Tests for the `metrics-layer` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p metrics-layer`; they fail until you
//! implement the step they test. The modules are numbered in the lesson's
//! order (labels, metrics, guard, layer, wiring), so failures are listed step
//! by step. To run one step only: `cargo test -p metrics-layer step1`.
//!
//! The tests read the metrics the way Prometheus does: they encode the
//! registry to text (`scrape`) and look up one sample line (`sample`).

mod step1_labels;
mod step2_metrics;
mod step3_guard;
mod step4_layer;
mod step5_wiring;

use std::time::Duration;

use metrics_layer::{LatencyBuckets, Methods, RedMetrics};
use prometheus_client::encoding::text::encode;
use prometheus_client::registry::Registry;
use proptest::test_runner::Config;

/// The two methods the tests' job service allows; any other path is `other`.
const SUBMIT: &str = "/jobs.Jobs/Submit";
const STATUS: &str = "/jobs.Jobs/Status";

/// A registry with the RED metrics of a service whose methods are `SUBMIT`
/// and `STATUS`, with a 100 ms latency target and a 1 s timeout.
fn job_service_metrics() -> (Registry, RedMetrics) {
    let mut registry = Registry::default();
    let methods = Methods::new([SUBMIT, STATUS]).expect("both methods are paths");
    let buckets = LatencyBuckets::around_target(ms(100), ms(1000))
        .expect("the target is below the timeout");
    let metrics = RedMetrics::new(&mut registry, methods, buckets);
    (registry, metrics)
}

/// The registry in the text format a Prometheus scrape receives.
fn scrape(registry: &Registry) -> String {
    let mut text = String::new();
    encode(&mut text, registry).expect("encoding into a String cannot fail");
    text
}

/// The value of the sample line that starts with `series` (a name and its
/// labels, `requests_total{method="/jobs.Jobs/Submit",code="ok"}`), or
/// `None` if the exposition has no such line.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix(series)?.strip_prefix(' ')?;
        Some(value.parse().expect("a sample's value is a number"))
    })
}

/// `requests_total` for one method and code.
fn requests(text: &str, method: &str, code: &str) -> Option<f64> {
    sample(
        text,
        &format!("requests_total{{method=\"{method}\",code=\"{code}\"}}"),
    )
}

/// `request_duration_seconds_count` for one method and code.
fn duration_count(text: &str, method: &str, code: &str) -> Option<f64> {
    sample(
        text,
        &format!("request_duration_seconds_count{{method=\"{method}\",code=\"{code}\"}}"),
    )
}

/// `request_duration_seconds_sum` for one method and code, in seconds.
fn duration_sum(text: &str, method: &str, code: &str) -> Option<f64> {
    sample(
        text,
        &format!("request_duration_seconds_sum{{method=\"{method}\",code=\"{code}\"}}"),
    )
}

/// The cumulative bucket `le` (as the exposition spells it: `"0.1"`,
/// `"1.0"`, `"+Inf"`) of one method and code. prometheus-client writes the
/// `le` label first.
fn bucket(text: &str, method: &str, code: &str, le: &str) -> Option<f64> {
    sample(
        text,
        &format!(
            "request_duration_seconds_bucket{{le=\"{le}\",method=\"{method}\",code=\"{code}\"}}"
        ),
    )
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Property tests run 256 random cases each and write no regression files
/// into your exercise folder.
fn properties() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}
