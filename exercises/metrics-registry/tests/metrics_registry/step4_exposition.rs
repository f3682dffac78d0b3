//! Step 4: `encode` and its helpers (src/exposition.rs).

use metrics_registry::{
    Buckets, Opts, Registry, encode, escape_help, escape_label_value, format_float,
};
use proptest::prelude::*;

use crate::strict;

/// The registry of the lesson's example, small enough to write out by hand.
fn small_registry() -> Registry {
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
    let in_flight = registry
        .gauge(Opts::new("jobs_in_flight", "Jobs running now."))
        .expect("valid family");
    let durations = registry
        .histogram(
            Opts::new("job_duration_seconds", "How long a job took, in seconds.")
                .labels(&["queue"]),
            Buckets::new(&[0.25, 0.5, 1.0]).expect("valid buckets"),
        )
        .expect("valid family");
    let ok = jobs
        .with(&[("status", "ok"), ("queue", "email")])
        .expect("valid");
    ok.inc();
    ok.inc();
    jobs.with(&[("queue", "email"), ("status", "failed")])
        .expect("valid")
        .inc();
    in_flight.with(&[]).expect("valid").set(2);
    let email = durations.with(&[("queue", "email")]).expect("valid");
    for seconds in [0.125, 0.5, 3.0] {
        email.observe(seconds);
    }
    registry
}

#[test]
fn the_exposition_of_a_small_registry_is_exactly_this() {
    let text = encode(&small_registry().snapshot());
    let expected = "\
# HELP job_duration_seconds How long a job took, in seconds.
# TYPE job_duration_seconds histogram
job_duration_seconds_bucket{queue=\"email\",le=\"0.25\"} 1
job_duration_seconds_bucket{queue=\"email\",le=\"0.5\"} 2
job_duration_seconds_bucket{queue=\"email\",le=\"1\"} 2
job_duration_seconds_bucket{queue=\"email\",le=\"+Inf\"} 3
job_duration_seconds_sum{queue=\"email\"} 3.625
job_duration_seconds_count{queue=\"email\"} 3
# HELP jobs_in_flight Jobs running now.
# TYPE jobs_in_flight gauge
jobs_in_flight 2
# HELP jobs_processed_total Jobs processed, by queue and outcome.
# TYPE jobs_processed_total counter
jobs_processed_total{queue=\"email\",status=\"failed\"} 1
jobs_processed_total{queue=\"email\",status=\"ok\"} 2
";
    assert_eq!(
        text, expected,
        "families by name, HELP then TYPE then samples, labels sorted with le last, \
         buckets cumulative, and a newline after the last line"
    );
}

#[test]
fn an_empty_registry_writes_nothing_and_an_unused_family_only_its_header() {
    assert_eq!(
        encode(&Registry::new().snapshot()),
        "",
        "no family, no lines (and no lone newline)"
    );
    let mut registry = Registry::new();
    registry
        .counter(Opts::new("jobs_processed_total", "Jobs.").labels(&["queue"]))
        .expect("valid family");
    assert_eq!(
        encode(&registry.snapshot()),
        "# HELP jobs_processed_total Jobs.\n# TYPE jobs_processed_total counter\n",
        "a family with no series yet still says what it is"
    );
}

#[test]
fn floats_are_written_the_way_prometheus_reads_them() {
    for (value, expected) in [
        (1.0, "1"),
        (0.005, "0.005"),
        (2.5, "2.5"),
        (-0.25, "-0.25"),
        (f64::INFINITY, "+Inf"),
        (f64::NEG_INFINITY, "-Inf"),
        (f64::NAN, "NaN"),
    ] {
        assert_eq!(
            format_float(value),
            expected,
            "{value:?} should be written {expected:?} (Display prints infinity as `inf`)"
        );
    }
}

#[test]
fn help_text_escapes_backslashes_and_newlines_only() {
    assert_eq!(
        escape_help("Reads C:\\jobs, \"quoted\",\nthen stops."),
        "Reads C:\\\\jobs, \"quoted\",\\nthen stops.",
        "a backslash doubles, a newline becomes \\n, and a quote stays as it is"
    );
    let mut registry = Registry::new();
    registry
        .gauge(Opts::new("jobs_in_flight", "Line one\nline two \\ done"))
        .expect("valid family");
    let text = encode(&registry.snapshot());
    assert!(
        text.starts_with("# HELP jobs_in_flight Line one\\nline two \\\\ done\n"),
        "the HELP line must stay one line, escaped: {text}"
    );
}

#[test]
fn label_values_escape_backslashes_quotes_and_newlines() {
    assert_eq!(
        escape_label_value("C:\\jobs \"nightly\"\nrun"),
        "C:\\\\jobs \\\"nightly\\\"\\nrun",
        "backslash, double quote and newline are escaped"
    );
    assert_eq!(
        escape_label_value("plain, {text} = fine"),
        "plain, {text} = fine",
        "nothing else is"
    );
    let mut registry = Registry::new();
    let jobs = registry
        .counter(Opts::new("jobs_processed_total", "Jobs.").labels(&["queue"]))
        .expect("valid family");
    jobs.with(&[("queue", "a\"b\\c\nd")]).expect("valid").inc();
    let text = encode(&registry.snapshot());
    assert!(
        text.contains("jobs_processed_total{queue=\"a\\\"b\\\\c\\nd\"} 1\n"),
        "the sample line should carry the escaped value: {text}"
    );
}

#[test]
fn a_strict_parser_accepts_the_exposition() {
    let text = encode(&small_registry().snapshot());
    let parsed = strict::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let names: Vec<&str> = parsed.families.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "job_duration_seconds",
            "jobs_in_flight",
            "jobs_processed_total"
        ],
        "one HELP/TYPE group per family, in name order"
    );
    let jobs = parsed.family("jobs_processed_total");
    assert_eq!(jobs.kind, "counter", "TYPE counter");
    assert_eq!(
        jobs.help, "Jobs processed, by queue and outcome.",
        "HELP read back"
    );
    assert_eq!(jobs.samples.len(), 2, "two series");
    assert_eq!(
        parsed.family("jobs_in_flight").samples[0].value,
        2.0,
        "gauge value"
    );
}

#[test]
fn histogram_buckets_are_cumulative_and_inf_equals_the_count() {
    let mut registry = Registry::new();
    let durations = registry
        .histogram(
            Opts::new("job_duration_seconds", "Job time.").labels(&["queue"]),
            Buckets::new(&[0.01, 0.1, 1.0, 10.0]).expect("valid buckets"),
        )
        .expect("valid family");
    for (queue, values) in [
        ("email", &[0.005, 0.05, 0.05, 0.5, 20.0][..]),
        ("report", &[9.0, 10.0, 11.0][..]),
        ("sms", &[][..]),
    ] {
        let series = durations.with(&[("queue", queue)]).expect("valid");
        for &v in values {
            series.observe(v);
        }
    }
    let text = encode(&registry.snapshot());
    let parsed = strict::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    strict::check_histograms(&parsed).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let report: Vec<(&str, Option<&str>, f64)> = parsed
        .family("job_duration_seconds")
        .samples
        .iter()
        .filter(|s| s.label("queue") == Some("report"))
        .map(|s| (s.name.as_str(), s.label("le"), s.value))
        .collect();
    let bucket = "job_duration_seconds_bucket";
    assert_eq!(
        report,
        [
            (bucket, Some("0.01"), 0.0),
            (bucket, Some("0.1"), 0.0),
            (bucket, Some("1"), 0.0),
            (bucket, Some("10"), 2.0),
            (bucket, Some("+Inf"), 3.0),
            ("job_duration_seconds_sum", None, 30.0),
            ("job_duration_seconds_count", None, 3.0),
        ],
        "9 and 10 are <= 10, 11 only <= +Inf; then _sum and _count"
    );
    assert!(
        text.contains("job_duration_seconds_bucket{queue=\"sms\",le=\"+Inf\"} 0\n")
            && text.contains("job_duration_seconds_count{queue=\"sms\"} 0\n"),
        "a series with no observations still writes every bucket, at 0"
    );
}

#[test]
fn the_exposition_does_not_depend_on_the_order_of_updates() {
    let build = |queues: &[&str]| {
        let mut registry = Registry::new();
        let jobs = registry
            .counter(Opts::new("jobs_processed_total", "Jobs.").labels(&["queue"]))
            .expect("valid family");
        let in_flight = registry
            .gauge(Opts::new("jobs_in_flight", "Jobs.").labels(&["queue"]))
            .expect("valid family");
        for queue in queues {
            jobs.with(&[("queue", queue)]).expect("valid").inc();
            in_flight.with(&[("queue", queue)]).expect("valid").inc();
        }
        encode(&registry.snapshot())
    };
    let forwards = build(&["a", "b", "c", "d", "e", "f", "g", "h"]);
    let backwards = build(&["h", "g", "f", "e", "d", "c", "b", "a"]);
    assert_eq!(
        forwards, backwards,
        "series sorted by labels and families by name: a HashMap's order must not leak"
    );
    assert!(
        forwards.ends_with('\n'),
        "the last line ends with a newline too"
    );
    assert!(!forwards.contains("\n\n"), "no blank lines");
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn any_label_value_survives_a_round_trip_through_a_strict_parser(
        value in prop_oneof![any::<String>(), "[a\\\\\"\n{},= ]{0,12}"],
    ) {
        let mut registry = Registry::new();
        let jobs = registry
            .counter(Opts::new("jobs_processed_total", "Jobs.").labels(&["queue"]))
            .expect("valid family");
        jobs.with(&[("queue", &value)]).expect("any text is a label value").inc();
        let text = encode(&registry.snapshot());
        let parsed = strict::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let sample = &parsed.family("jobs_processed_total").samples[0];
        prop_assert_eq!(sample.label("queue"), Some(value.as_str()), "escape, then unescape: {}", text);
    }

    #[test]
    fn any_help_text_survives_a_round_trip_through_a_strict_parser(
        help in prop_oneof![any::<String>(), "[a\\\\\"\n ]{0,12}"],
    ) {
        prop_assume!(!help.trim().is_empty());
        let mut registry = Registry::new();
        registry.gauge(Opts::new("jobs_in_flight", &help)).expect("valid family");
        let text = encode(&registry.snapshot());
        let parsed = strict::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&parsed.family("jobs_in_flight").help, &help, "escape, then unescape: {}", text);
    }
}
