//! Step 3: `Registry`, `Family` and `Snapshot` (src/registry.rs).

use std::sync::Arc;

use metrics_registry::{
    Buckets, LabelError, Labels, MetricKind, Opts, Registry, RegistryError, Value,
};

fn jobs_opts() -> Opts {
    Opts::new("jobs_processed_total", "Jobs processed.").labels(&["status", "queue"])
}

#[test]
fn a_family_is_registered_once() {
    let mut registry = Registry::new();
    registry
        .counter(jobs_opts())
        .expect("the first registration succeeds");
    let error = registry
        .counter(jobs_opts())
        .expect_err("a second family with the same name");
    assert_eq!(
        error,
        RegistryError::AlreadyRegistered("jobs_processed_total".to_owned()),
        "two families with one name would write two HELP and TYPE lines"
    );
    let error = registry
        .gauge(Opts::new("jobs_processed_total", "Now a gauge."))
        .expect_err("the name is taken, whatever the type");
    assert_eq!(
        error,
        RegistryError::AlreadyRegistered("jobs_processed_total".to_owned()),
        "the name is taken whatever the metric type"
    );
}

#[test]
fn registration_checks_names_help_and_conventions() {
    let mut registry = Registry::new();
    assert_eq!(
        registry
            .gauge(Opts::new("jobs-in-flight", "Jobs."))
            .expect_err("bad name"),
        RegistryError::Label(LabelError::InvalidMetricName("jobs-in-flight".to_owned())),
        "the metric name is parsed with MetricName::parse"
    );
    assert_eq!(
        registry
            .gauge(Opts::new("jobs_in_flight", "Jobs.").labels(&["queue", "__x"]))
            .expect_err("reserved label name"),
        RegistryError::Label(LabelError::ReservedLabelName("__x".to_owned())),
        "the label names are parsed with LabelName::parse"
    );
    assert_eq!(
        registry
            .gauge(Opts::new("jobs_in_flight", "Jobs.").labels(&["queue", "queue"]))
            .expect_err("duplicate label name"),
        RegistryError::Label(LabelError::DuplicateLabel("queue".to_owned())),
        "a family cannot declare a label name twice"
    );
    assert_eq!(
        registry
            .gauge(Opts::new("jobs_in_flight", "  "))
            .expect_err("no help"),
        RegistryError::MissingHelp("jobs_in_flight".to_owned()),
        "every family needs help text (promtool flags a missing one)"
    );
    assert_eq!(
        registry
            .counter(Opts::new("jobs_processed", "Jobs."))
            .expect_err("no _total"),
        RegistryError::CounterWithoutTotal("jobs_processed".to_owned()),
        "a counter's name ends in _total (promtool flags one that does not)"
    );
    let buckets = Buckets::new(&[1.0]).expect("valid buckets");
    assert_eq!(
        registry
            .histogram(Opts::new("job_seconds", "Time.").labels(&["le"]), buckets)
            .expect_err("le on a histogram"),
        RegistryError::HistogramWithLe("job_seconds".to_owned()),
        "a histogram's buckets add the le label, so the family cannot declare it"
    );
    assert!(
        registry.snapshot().families.is_empty(),
        "a refused family is not registered"
    );
}

#[test]
fn the_same_labels_in_any_order_update_one_series() {
    let mut registry = Registry::new();
    let jobs = registry.counter(jobs_opts()).expect("valid family");
    jobs.with(&[("queue", "email"), ("status", "ok")])
        .expect("valid labels")
        .inc();
    jobs.with(&[("status", "ok"), ("queue", "email")])
        .expect("valid labels")
        .inc();
    assert_eq!(jobs.len(), 1, "one label set in two orders is one series");
    assert_eq!(
        registry.snapshot().value(
            "jobs_processed_total",
            &[("queue", "email"), ("status", "ok")]
        ),
        Some(&Value::Counter(2)),
        "both increments went to the same series"
    );
}

#[test]
fn a_kept_series_is_the_one_in_the_family() {
    let mut registry = Registry::new();
    let jobs = registry.counter(jobs_opts()).expect("valid family");
    let labels = Labels::parse(&[("queue", "email"), ("status", "ok")]).expect("valid");
    let first = jobs.with_labels(&labels).expect("created");
    let second = jobs.with_labels(&labels).expect("found");
    assert!(
        Arc::ptr_eq(&first, &second),
        "the second call should return the series the first one created"
    );
    first.inc_by(5);
    assert_eq!(
        second.value(),
        5,
        "so an update through one is seen through the other"
    );
}

#[test]
fn a_family_refuses_label_names_it_was_not_declared_with() {
    let mut registry = Registry::new();
    let jobs = registry.counter(jobs_opts()).expect("valid family");
    for pairs in [
        &[("queue", "email")][..],
        &[("queue", "email"), ("status", "ok"), ("tenant", "acme")][..],
        &[("queue", "email"), ("state", "ok")][..],
        &[][..],
    ] {
        let error = jobs
            .with(pairs)
            .expect_err("the names differ from the family's");
        let labels = Labels::parse(pairs).expect("valid labels");
        assert_eq!(
            error,
            RegistryError::WrongLabelNames {
                family: "jobs_processed_total".to_owned(),
                expected: "queue,status".to_owned(),
                labels,
            },
            "every series of a family has exactly the family's label names"
        );
    }
    assert!(jobs.is_empty(), "no series was created");
}

#[test]
fn the_cardinality_limit_refuses_new_label_values_with_a_clear_error() {
    let mut registry = Registry::new();
    let jobs = registry
        .counter(jobs_opts().max_series(2))
        .expect("valid family");
    jobs.with(&[("queue", "email"), ("status", "ok")])
        .expect("first series")
        .inc();
    jobs.with(&[("queue", "email"), ("status", "failed")])
        .expect("second series")
        .inc();
    let error = jobs
        .with(&[("queue", "user-4711"), ("status", "ok")])
        .expect_err("a third series is over the limit of 2");
    let refused =
        Labels::parse(&[("queue", "user-4711"), ("status", "ok")]).expect("valid");
    assert_eq!(
        error,
        RegistryError::CardinalityLimit {
            family: "jobs_processed_total".to_owned(),
            limit: 2,
            labels: refused,
        },
        "the error names the family, the limit and the refused label set"
    );
    let message = error.to_string();
    for part in ["jobs_processed_total", "2", r#"queue="user-4711""#] {
        assert!(
            message.contains(part),
            "the message should mention {part:?} so a log line explains itself: {message}"
        );
    }
    // Existing series keep working: the limit is on new series, not updates.
    jobs.with(&[("status", "ok"), ("queue", "email")])
        .expect("existing series")
        .inc();
    assert_eq!(jobs.len(), 2, "the refused series was not created");
    assert_eq!(
        registry.snapshot().value(
            "jobs_processed_total",
            &[("queue", "email"), ("status", "ok")]
        ),
        Some(&Value::Counter(2)),
        "updates to an existing series are not limited"
    );
}

#[test]
fn a_snapshot_is_a_copy() {
    let mut registry = Registry::new();
    let jobs = registry.counter(jobs_opts()).expect("valid family");
    let in_flight = registry
        .gauge(Opts::new("jobs_in_flight", "Jobs running now."))
        .expect("valid family");
    let ok = jobs
        .with(&[("queue", "email"), ("status", "ok")])
        .expect("valid");
    ok.inc();
    in_flight
        .with(&[])
        .expect("the one series of a family without labels")
        .set(3);
    let before = registry.snapshot();
    ok.inc_by(10);
    in_flight.with(&[]).expect("valid").set(0);
    jobs.with(&[("queue", "sms"), ("status", "ok")])
        .expect("valid")
        .inc();
    assert_eq!(
        before.value(
            "jobs_processed_total",
            &[("queue", "email"), ("status", "ok")]
        ),
        Some(&Value::Counter(1)),
        "updates after the snapshot must not change it"
    );
    assert_eq!(
        before.value("jobs_in_flight", &[]),
        Some(&Value::Gauge(3)),
        "the gauge's copy keeps its old value"
    );
    assert_eq!(
        before.value(
            "jobs_processed_total",
            &[("queue", "sms"), ("status", "ok")]
        ),
        None,
        "a series created after the snapshot is not in it"
    );
    let after = registry.snapshot();
    assert_eq!(
        after.value(
            "jobs_processed_total",
            &[("queue", "email"), ("status", "ok")]
        ),
        Some(&Value::Counter(11)),
        "a new snapshot sees the updates"
    );
}

#[test]
fn a_snapshot_lists_families_by_name_and_series_by_labels() {
    let mut registry = Registry::new();
    let in_flight = registry
        .gauge(Opts::new("jobs_in_flight", "Jobs running now.").labels(&["queue"]))
        .expect("valid family");
    let jobs = registry.counter(jobs_opts()).expect("valid family");
    let buckets = Buckets::new(&[0.5]).expect("valid buckets");
    registry
        .histogram(Opts::new("job_duration_seconds", "Job time."), buckets)
        .expect("valid family");
    for queue in ["sms", "email", "report"] {
        in_flight.with(&[("queue", queue)]).expect("valid").inc();
        jobs.with(&[("status", "ok"), ("queue", queue)])
            .expect("valid")
            .inc();
    }
    let snapshot = registry.snapshot();
    let names: Vec<&str> = snapshot.families.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "job_duration_seconds",
            "jobs_in_flight",
            "jobs_processed_total"
        ],
        "families come sorted by name, whatever the registration order"
    );
    let kinds: Vec<MetricKind> = snapshot.families.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            MetricKind::Histogram,
            MetricKind::Gauge,
            MetricKind::Counter
        ],
        "each family keeps its type"
    );
    assert_eq!(
        snapshot.families[1].help, "Jobs running now.",
        "and its help text"
    );
    assert!(
        snapshot.families[0].series.is_empty(),
        "a family nobody recorded into has no series yet"
    );
    let queues: Vec<Option<&str>> = snapshot.families[2]
        .series
        .iter()
        .map(|s| s.labels.value("queue"))
        .collect();
    assert_eq!(
        queues,
        [Some("email"), Some("report"), Some("sms")],
        "series come sorted by label set, whatever the creation order"
    );
}

#[test]
fn a_registry_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Registry>();
    let mut registry = Registry::new();
    let jobs = registry
        .counter(jobs_opts().max_series(4))
        .expect("valid family");
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let jobs = jobs.clone();
            scope.spawn(move || {
                let queue = if thread % 2 == 0 { "email" } else { "sms" };
                for _ in 0..1_000 {
                    jobs.with(&[("queue", queue), ("status", "ok")])
                        .expect("valid")
                        .inc();
                }
            });
        }
        // The scrape runs while the workers record.
        scope.spawn(|| {
            for _ in 0..10 {
                let _ = registry.snapshot();
            }
        });
    });
    let snapshot = registry.snapshot();
    for queue in ["email", "sms"] {
        assert_eq!(
            snapshot.value(
                "jobs_processed_total",
                &[("queue", queue), ("status", "ok")]
            ),
            Some(&Value::Counter(2_000)),
            "two threads x 1 000 increments each: two threads racing to create a \
             series must end up sharing one, and no increment may be lost"
        );
    }
    assert_eq!(jobs.len(), 2, "exactly two series were created");
}

#[test]
fn racing_threads_cannot_push_a_family_past_its_limit() {
    let mut registry = Registry::new();
    let jobs = registry
        .counter(jobs_opts().max_series(3))
        .expect("valid family");
    let refused = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let jobs = jobs.clone();
            let refused = &refused;
            scope.spawn(move || {
                for i in 0..4 {
                    let queue = format!("q{}", thread * 4 + i);
                    match jobs.with(&[("queue", &queue), ("status", "ok")]) {
                        Ok(series) => series.inc(),
                        Err(RegistryError::CardinalityLimit { .. }) => {
                            refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        Err(other) => panic!("only the limit may refuse: {other}"),
                    }
                }
            });
        }
    });
    assert_eq!(
        jobs.len(),
        3,
        "16 distinct label sets, a limit of 3: check and insert under one write lock"
    );
    assert_eq!(
        refused.into_inner(),
        13,
        "the 13 label sets that did not fit were refused"
    );
}
