//! The hot path: updating a series that already exists, here and in
//! prometheus-client, in one run so the two can be compared as a ratio.
//!
//! Run with `cargo bench -p metrics-registry-solution --bench hot_path`.
//! Both families hold the same nine series (3 queues x 3 outcomes), and the
//! label set is built once, outside the timed loop, on both sides: the
//! benchmark times the lookup and the update, not the building of labels.
//!
//! - `lookup`: find the series by label set, then update it. Ours takes a
//!   `std::sync::RwLock` read lock, hashes the labels and clones an `Arc`;
//!   prometheus-client's `get_or_create` takes a `parking_lot` read lock,
//!   hashes and returns a guard.
//! - `kept`: the series was looked up once and kept; only the update is
//!   timed. This is what a hot loop should do on either side.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use metrics_registry::{Buckets, Labels, Opts, Registry};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    queue: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    queue: String,
}

const QUEUES: [&str; 3] = ["email", "report", "thumbnail"];
const STATUSES: [&str; 3] = ["ok", "retry", "failed"];
const BOUNDS: [f64; 9] = [0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

fn counter(c: &mut Criterion) {
    let mut registry = Registry::new();
    let ours = registry
        .counter(Opts::new("jobs_processed_total", "Jobs.").labels(&["queue", "status"]))
        .expect("valid family");
    let theirs = Family::<JobLabels, Counter>::default();
    for queue in QUEUES {
        for status in STATUSES {
            ours.with(&[("queue", queue), ("status", status)])
                .expect("valid")
                .inc();
            theirs
                .get_or_create(&JobLabels {
                    queue: queue.to_owned(),
                    status: status.to_owned(),
                })
                .inc();
        }
    }
    let our_labels =
        Labels::parse(&[("queue", "report"), ("status", "ok")]).expect("valid");
    let their_labels = JobLabels {
        queue: "report".to_owned(),
        status: "ok".to_owned(),
    };

    let mut group = c.benchmark_group("counter inc");
    group.bench_function("ours, lookup", |b| {
        b.iter(|| {
            ours.with_labels(black_box(&our_labels))
                .expect("exists")
                .inc()
        });
    });
    group.bench_function("prometheus-client, lookup", |b| {
        b.iter(|| theirs.get_or_create(black_box(&their_labels)).inc());
    });
    let our_kept = ours.with_labels(&our_labels).expect("exists");
    let their_kept = theirs.get_or_create_owned(&their_labels);
    group.bench_function("ours, kept", |b| b.iter(|| black_box(&our_kept).inc()));
    group.bench_function("prometheus-client, kept", |b| {
        b.iter(|| black_box(&their_kept).inc());
    });
    group.finish();
}

fn histogram(c: &mut Criterion) {
    let mut registry = Registry::new();
    let ours = registry
        .histogram(
            Opts::new("job_duration_seconds", "Job time.").labels(&["queue"]),
            Buckets::new(&BOUNDS).expect("valid buckets"),
        )
        .expect("valid family");
    let theirs =
        Family::<QueueLabels, Histogram>::new_with_constructor(|| Histogram::new(BOUNDS));
    for queue in QUEUES {
        ours.with(&[("queue", queue)]).expect("valid").observe(0.3);
        theirs
            .get_or_create(&QueueLabels {
                queue: queue.to_owned(),
            })
            .observe(0.3);
    }
    let our_labels = Labels::parse(&[("queue", "report")]).expect("valid");
    let their_labels = QueueLabels {
        queue: "report".to_owned(),
    };

    let mut group = c.benchmark_group("histogram observe");
    group.bench_function("ours, lookup", |b| {
        b.iter(|| {
            ours.with_labels(black_box(&our_labels))
                .expect("exists")
                .observe(black_box(0.3));
        });
    });
    group.bench_function("prometheus-client, lookup", |b| {
        b.iter(|| {
            theirs
                .get_or_create(black_box(&their_labels))
                .observe(black_box(0.3))
        });
    });
    let our_kept = ours.with_labels(&our_labels).expect("exists");
    let their_kept = theirs.get_or_create_owned(&their_labels);
    group.bench_function("ours, kept", |b| {
        b.iter(|| black_box(&our_kept).observe(black_box(0.3)));
    });
    group.bench_function("prometheus-client, kept", |b| {
        b.iter(|| black_box(&their_kept).observe(black_box(0.3)));
    });
    group.finish();
}

criterion_group!(benches, counter, histogram);
criterion_main!(benches);
