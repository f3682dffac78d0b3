//! Step 5: the exposition against the reference. The same operations go to
//! this crate and to the official `prometheus-client` crate, and both
//! outputs are read back with the `prometheus-parse` crate; then the
//! exposition goes through `promtool check metrics` when promtool is found.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use metrics_registry::{Buckets, Opts, Registry, encode};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;

/// What the job processor did: queue, outcome, seconds. The durations are
/// sums of powers of two, so both sums are exact and print alike.
const JOBS: [(&str, &str, f64); 7] = [
    ("email", "ok", 0.125),
    ("email", "ok", 0.5),
    ("email", "failed", 3.0),
    ("report", "ok", 0.75),
    ("report", "ok", 0.25),
    ("report", "ok", 0.0625),
    ("sms", "retry", 1.0),
];
const BOUNDS: [f64; 4] = [0.1, 0.25, 0.5, 1.0];
const IN_FLIGHT: i64 = 2;

/// The operations in `JOBS`, recorded by this crate.
fn ours() -> String {
    let mut registry = Registry::new();
    let jobs = registry
        .counter(
            Opts::new(
                "jobs_processed_total",
                "Jobs processed, by queue and outcome.",
            )
            .labels(&["queue", "status"]),
        )
        .expect("valid family");
    let durations = registry
        .histogram(
            Opts::new("job_duration_seconds", "How long a job took, in seconds.")
                .labels(&["queue"]),
            Buckets::new(&BOUNDS).expect("valid buckets"),
        )
        .expect("valid family");
    let in_flight = registry
        .gauge(Opts::new("jobs_in_flight", "Jobs running now."))
        .expect("valid family");
    for (queue, status, seconds) in JOBS {
        jobs.with(&[("queue", queue), ("status", status)])
            .expect("valid")
            .inc();
        durations
            .with(&[("queue", queue)])
            .expect("valid")
            .observe(seconds);
    }
    in_flight.with(&[]).expect("valid").set(IN_FLIGHT);
    encode(&registry.snapshot())
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    queue: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    queue: String,
}

/// The same operations, recorded by prometheus-client. Its conventions
/// differ: it appends `_total` to a counter's name and `.` to help text.
fn theirs() -> String {
    let mut registry = prometheus_client::registry::Registry::default();
    let jobs = Family::<JobLabels, Counter>::default();
    registry.register(
        "jobs_processed",
        "Jobs processed, by queue and outcome",
        jobs.clone(),
    );
    let durations =
        Family::<QueueLabels, Histogram>::new_with_constructor(|| Histogram::new(BOUNDS));
    registry.register(
        "job_duration_seconds",
        "How long a job took, in seconds",
        durations.clone(),
    );
    let in_flight = Gauge::<i64>::default();
    registry.register("jobs_in_flight", "Jobs running now", in_flight.clone());
    for (queue, status, seconds) in JOBS {
        let (queue, status) = (queue.to_owned(), status.to_owned());
        jobs.get_or_create(&JobLabels {
            queue: queue.clone(),
            status,
        })
        .inc();
        durations
            .get_or_create(&QueueLabels { queue })
            .observe(seconds);
    }
    in_flight.set(IN_FLIGHT);
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &registry)
        .expect("prometheus-client encodes into a String");
    text
}

/// One sample as prometheus-parse reads it: name, labels (with `le` for a
/// bucket), value. Types are left out: prometheus-parse reads the
/// OpenMetrics counter as untyped (see the lesson).
#[derive(Debug, PartialEq)]
struct Point {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

fn points(text: &str) -> (Vec<Point>, BTreeMap<String, String>) {
    use prometheus_parse::{Scrape, Value};
    let scrape = Scrape::parse(text.lines().map(|line| Ok(line.to_owned())))
        .expect("prometheus-parse reads the text");
    let mut points = Vec::new();
    for sample in scrape.samples {
        let labels: BTreeMap<String, String> = sample
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        match sample.value {
            Value::Counter(value) | Value::Gauge(value) | Value::Untyped(value) => {
                points.push(Point {
                    name: sample.metric,
                    labels,
                    value,
                });
            }
            // prometheus-parse folds a series' bucket lines into one sample;
            // unfold them, with `le` as a label again.
            Value::Histogram(buckets) => {
                for bucket in buckets {
                    let mut labels = labels.clone();
                    labels.insert("le".to_owned(), format!("{:?}", bucket.less_than));
                    points.push(Point {
                        name: format!("{}_bucket", sample.metric),
                        labels,
                        value: bucket.count,
                    });
                }
            }
            Value::Summary(_) => panic!("neither side writes a summary"),
        }
    }
    points.sort_by(|a, b| (&a.name, &a.labels).cmp(&(&b.name, &b.labels)));
    (points, scrape.docs.into_iter().collect())
}

#[test]
fn our_samples_match_prometheus_clients_for_the_same_operations() {
    let ours = ours();
    let theirs = theirs();
    let (our_points, _) = points(&ours);
    let (their_points, _) = points(&theirs);
    assert_eq!(
        our_points.len(),
        // 4 counter series, 3 histogram series x (5 buckets + sum + count), 1 gauge
        4 + 3 * 7 + 1,
        "every series should be read back:\n{ours}"
    );
    assert_eq!(
        our_points, their_points,
        "the same operations should give the same samples (names, labels, values)\n\
         ours:\n{ours}\ntheirs:\n{theirs}"
    );
}

#[test]
fn what_differs_is_openmetrics_and_prometheus_clients_conventions() {
    let ours = ours();
    let theirs = theirs();
    assert!(
        theirs.ends_with("# EOF\n") && !ours.contains("# EOF"),
        "OpenMetrics ends with `# EOF`; the 0.0.4 text format has no end marker"
    );
    assert!(
        theirs.contains("# TYPE jobs_processed counter\n")
            && ours.contains("# TYPE jobs_processed_total counter\n"),
        "an OpenMetrics counter family is named without `_total`, its samples with it; \
         in 0.0.4 the family and its samples share the name `_total` and all"
    );
    let (_, our_docs) = points(&ours);
    let (_, their_docs) = points(&theirs);
    assert_eq!(
        our_docs.get("jobs_processed_total").map(String::as_str),
        Some("Jobs processed, by queue and outcome."),
        "our HELP is the family's help, verbatim"
    );
    assert_eq!(
        their_docs.get("jobs_processed").map(String::as_str),
        Some("Jobs processed, by queue and outcome."),
        "prometheus-client appends the final `.` to the help it is given"
    );
    assert!(
        theirs.contains("le=\"1.0\"") && ours.contains("le=\"1\""),
        "bounds: prometheus-client writes `1.0`, this crate `1` (as the Go client does); \
         both parse to the same float"
    );
    let first_line = |text: &str, prefix: &str| {
        text.lines()
            .position(|l| l.starts_with(prefix))
            .expect("the line is there")
    };
    assert!(
        first_line(&theirs, "job_duration_seconds_sum")
            < first_line(&theirs, "job_duration_seconds_bucket")
            && first_line(&ours, "job_duration_seconds_bucket")
                < first_line(&ours, "job_duration_seconds_sum"),
        "prometheus-client writes _sum and _count before the buckets, this crate after; \
         inside a family's group the order is free"
    );
}

#[test]
fn label_values_are_escaped_as_prometheus_client_escapes_them() {
    let nasty = "a\"b\\c\nd";
    let mut registry = Registry::new();
    let jobs = registry
        .counter(Opts::new("jobs_processed_total", "Jobs.").labels(&["queue"]))
        .expect("valid family");
    jobs.with(&[("queue", nasty)]).expect("valid").inc();
    let ours = encode(&registry.snapshot());

    let mut reference = prometheus_client::registry::Registry::default();
    let family = Family::<QueueLabels, Counter>::default();
    reference.register("jobs_processed", "Jobs", family.clone());
    family
        .get_or_create(&QueueLabels {
            queue: nasty.to_owned(),
        })
        .inc();
    let mut theirs = String::new();
    prometheus_client::encoding::text::encode(&mut theirs, &reference).expect("encodes");

    let line = "jobs_processed_total{queue=\"a\\\"b\\\\c\\nd\"} 1\n";
    assert!(
        theirs.contains(line),
        "prometheus-client writes {line:?}:\n{theirs}"
    );
    assert!(ours.contains(line), "so should we:\n{ours}");
}

/// promtool from `PROMTOOL`, else from `PATH`.
fn find_promtool() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PROMTOOL").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("promtool"))
        .find(|candidate| candidate.is_file())
}

#[test]
fn the_exposition_passes_promtool_check_metrics() {
    // Encode first, so the test fails on an unfinished exposition even
    // where promtool is missing.
    let text = ours();
    let Some(promtool) = find_promtool() else {
        let required = std::env::var("WORKBOOK_REQUIRE_PROMTOOL").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "WORKBOOK_REQUIRE_PROMTOOL=1, but promtool is neither in PROMTOOL nor on PATH"
        );
        eprintln!(
            "skipped: promtool not found (set PROMTOOL, or install Debian's `prometheus` \
             package: `apt-get download prometheus && dpkg -x prometheus_*.deb dir`)"
        );
        return;
    };
    let mut child = Command::new(&promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", promtool.display()));
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(text.as_bytes())
        .expect("promtool reads its stdin");
    let output = child.wait_with_output().expect("promtool finishes");
    assert!(
        output.status.success(),
        "promtool check metrics rejected the exposition ({}; 1 is a parse error, 3 a \
         lint problem):\n{}{}\n{text}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}
