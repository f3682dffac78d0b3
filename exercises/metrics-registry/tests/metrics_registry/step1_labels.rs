//! Step 1: `LabelName`, `MetricName` and `Labels` (src/labels.rs).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use metrics_registry::{LabelError, LabelName, Labels, MetricName};
use proptest::prelude::*;

fn hash_of(labels: &Labels) -> u64 {
    let mut hasher = DefaultHasher::new();
    labels.hash(&mut hasher);
    hasher.finish()
}

#[test]
fn label_names_follow_the_prometheus_grammar() {
    for name in ["queue", "status_code", "_private", "Q2", "a"] {
        let parsed = LabelName::parse(name)
            .unwrap_or_else(|e| panic!("{name:?} is a valid label name, got {e}"));
        assert_eq!(parsed.as_str(), name, "a parsed name should keep its text");
    }
}

#[test]
fn names_outside_the_grammar_are_rejected() {
    for name in [
        "",
        "2xx",
        "status-code",
        "queue name",
        "größe",
        "a:b",
        "le{",
    ] {
        let error = LabelName::parse(name).expect_err("this is not a label name");
        assert_eq!(
            error,
            LabelError::InvalidLabelName(name.to_owned()),
            "{name:?} breaks [a-zA-Z_][a-zA-Z0-9_]* and should be InvalidLabelName"
        );
    }
}

#[test]
fn the_double_underscore_prefix_is_reserved() {
    for name in ["__name__", "__address__", "__"] {
        let error = LabelName::parse(name).expect_err("`__` names are Prometheus's own");
        assert_eq!(
            error,
            LabelError::ReservedLabelName(name.to_owned()),
            "{name:?} starts with `__` and should be ReservedLabelName"
        );
    }
    assert!(
        LabelName::parse("_one_underscore").is_ok(),
        "a single leading underscore is allowed"
    );
}

#[test]
fn metric_names_may_contain_colons_but_label_names_may_not() {
    assert!(
        MetricName::parse("job:duration_seconds:rate5m").is_ok(),
        "colons are allowed in metric names (recording rules use them)"
    );
    assert!(
        MetricName::parse(":x").is_ok(),
        "a metric name may even start with a colon"
    );
    for name in ["", "5xx_total", "jobs-total", "jobs total"] {
        assert_eq!(
            MetricName::parse(name).expect_err("not a metric name"),
            LabelError::InvalidMetricName(name.to_owned()),
            "{name:?} breaks [a-zA-Z_:][a-zA-Z0-9_:]* and should be InvalidMetricName"
        );
    }
}

#[test]
fn label_order_does_not_change_the_series() {
    let ba = Labels::parse(&[("b", "1"), ("a", "2")]).expect("valid labels");
    let ab = Labels::parse(&[("a", "2"), ("b", "1")]).expect("valid labels");
    assert_eq!(ba, ab, "{{b=1,a=2}} and {{a=2,b=1}} are one label set");
    assert_eq!(
        hash_of(&ba),
        hash_of(&ab),
        "equal label sets must hash alike, or a HashMap keeps two series"
    );
    let pairs: Vec<(&str, &str)> = ba.iter().collect();
    assert_eq!(
        pairs,
        [("a", "2"), ("b", "1")],
        "a label set should list its pairs sorted by name"
    );
}

#[test]
fn a_label_named_twice_is_rejected() {
    let error = Labels::parse(&[("queue", "email"), ("status", "ok"), ("queue", "sms")])
        .expect_err("one name, two values: which one is the series?");
    assert_eq!(
        error,
        LabelError::DuplicateLabel("queue".to_owned()),
        "a repeated name should be DuplicateLabel, naming the label"
    );
}

#[test]
fn a_bad_name_in_a_label_set_is_reported() {
    assert_eq!(
        Labels::parse(&[("queue", "email"), ("__name__", "x")]).expect_err("reserved"),
        LabelError::ReservedLabelName("__name__".to_owned()),
        "Labels::parse should check every name with LabelName::parse"
    );
}

#[test]
fn values_may_be_any_text() {
    let labels = Labels::parse(&[("path", "/a \"b\"\n\\c,d=e}"), ("empty", "")])
        .expect("label values are free text; only names have a grammar");
    assert_eq!(labels.value("path"), Some("/a \"b\"\n\\c,d=e}"));
    assert_eq!(labels.value("empty"), Some(""), "an empty value is a value");
    assert_eq!(labels.value("missing"), None, "no such label");
    assert_eq!(labels.len(), 2, "two pairs");
}

#[test]
fn the_empty_label_set_is_one_series() {
    let parsed = Labels::parse(&[]).expect("no labels is a valid label set");
    assert_eq!(
        parsed,
        Labels::empty(),
        "parsing no pairs gives the empty set"
    );
    assert!(parsed.is_empty(), "and it is empty");
}

#[test]
fn a_label_set_displays_sorted_for_error_messages() {
    let labels =
        Labels::parse(&[("status", "ok"), ("queue", "email")]).expect("valid labels");
    assert_eq!(
        labels.to_string(),
        r#"{queue="email",status="ok"}"#,
        "Display should show the sorted pairs in braces"
    );
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn any_order_of_the_same_pairs_is_the_same_label_set(
        values in proptest::collection::vec("[a-z0-9 ]{0,6}", 1..6),
        seed in any::<u64>(),
    ) {
        let names = ["a", "b", "c", "d", "e", "f"];
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (names[i], v.as_str()))
            .collect();
        let mut shuffled = pairs.clone();
        // A cheap deterministic shuffle driven by the seed.
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        let original = Labels::parse(&pairs).expect("valid labels");
        let reordered = Labels::parse(&shuffled).expect("valid labels");
        prop_assert_eq!(
            &original, &reordered,
            "the order the pairs are given in should not matter"
        );
        prop_assert_eq!(hash_of(&original), hash_of(&reordered), "nor their hash");
    }
}
