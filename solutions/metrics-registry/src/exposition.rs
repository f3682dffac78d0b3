//! Step 4: the Prometheus text format, version 0.0.4.
//!
//! ```text
//! # HELP jobs_processed_total Jobs processed, by queue and outcome.
//! # TYPE jobs_processed_total counter
//! jobs_processed_total{queue="email",status="ok"} 41
//! # HELP job_duration_seconds How long a job took.
//! # TYPE job_duration_seconds histogram
//! job_duration_seconds_bucket{queue="email",le="0.1"} 3
//! job_duration_seconds_bucket{queue="email",le="+Inf"} 5
//! job_duration_seconds_sum{queue="email"} 1.25
//! job_duration_seconds_count{queue="email"} 5
//! ```
//!
//! One `# HELP` and one `# TYPE` line per family, `TYPE` before the first
//! sample, the family's lines in one unbroken group, and a newline after
//! every line including the last. The encoder works on a [`Snapshot`], never
//! on the live registry, so it holds no lock while it formats.

use std::fmt::{self, Write};

use crate::labels::Labels;
use crate::metrics::{HistogramSnapshot, Value};
use crate::registry::{FamilySnapshot, Snapshot};

/// The `Content-Type` of a scrape response in this format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Writes `snapshot` in the text format: families in the snapshot's order
/// (by name), series by label set, so equal snapshots give equal text.
pub fn encode(snapshot: &Snapshot) -> String {
    let mut out = String::new();
    for family in &snapshot.families {
        // Writing into a `String` cannot fail: `fmt::Write` returns a
        // `Result` only because other writers (a socket, a file) can.
        encode_family(&mut out, family).expect("writing to a String cannot fail");
    }
    out
}

/// Writes one family. Generic over `fmt::Write`, so the same code could
/// write straight into a response body instead of a `String`.
fn encode_family(out: &mut impl Write, family: &FamilySnapshot) -> fmt::Result {
    let name = &family.name;
    writeln!(out, "# HELP {name} {}", escape_help(&family.help))?;
    writeln!(out, "# TYPE {name} {}", family.kind.as_str())?;
    for series in &family.series {
        match &series.value {
            Value::Counter(n) => sample(out, name, "", &series.labels, None, n)?,
            Value::Gauge(n) => sample(out, name, "", &series.labels, None, n)?,
            Value::Histogram(h) => encode_histogram(out, name, &series.labels, h)?,
        }
    }
    Ok(())
}

fn encode_histogram(
    out: &mut impl Write,
    name: &str,
    labels: &Labels,
    h: &HistogramSnapshot,
) -> fmt::Result {
    // Cumulative: the bucket `le="0.5"` counts every observation <= 0.5,
    // including those already counted by `le="0.1"`. So a query can drop any
    // bucket (or a scrape can lose one) and the others still make sense, and
    // the last, `+Inf`, is the count of all observations.
    for (bound, count) in h.cumulative() {
        sample(out, name, "_bucket", labels, Some(bound), count)?;
    }
    sample(out, name, "_sum", labels, None, format_float(h.sum()))?;
    sample(out, name, "_count", labels, None, h.count())
}

/// One sample line: `name{labels[,le="bound"]} value`.
fn sample(
    out: &mut impl Write,
    name: &str,
    suffix: &str,
    labels: &Labels,
    le: Option<f64>,
    value: impl fmt::Display,
) -> fmt::Result {
    write!(out, "{name}{suffix}")?;
    if !labels.is_empty() || le.is_some() {
        out.write_char('{')?;
        let mut separator = "";
        for (label, value) in labels.iter() {
            write!(out, "{separator}{label}=\"{}\"", escape_label_value(value))?;
            separator = ",";
        }
        // `le` goes last, after the family's own labels, as the Go client
        // writes it; label order on a line does not matter to a parser.
        if let Some(bound) = le {
            write!(out, "{separator}le=\"{}\"", format_float(bound))?;
        }
        out.write_char('}')?;
    }
    writeln!(out, " {value}")
}

/// Escapes help text: `\` as `\\` and a newline as `\n`. A double quote is
/// left alone: help text is not quoted, and `\"` there would be read back as
/// a backslash and a quote.
pub fn escape_help(help: &str) -> String {
    let mut escaped = String::with_capacity(help.len());
    for c in help.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '\n' => escaped.push_str("\\n"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Escapes a label value for the inside of its double quotes: `\` as `\\`,
/// `"` as `\"`, and a newline as `\n`.
///
/// The backslash must be escaped too: otherwise the value `a\` would be
/// written `"a\"`, and a parser would read an escaped quote there and run on
/// past the end of the value.
pub fn escape_label_value(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '"' => escaped.push_str("\\\""),
            '\n' => escaped.push_str("\\n"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Formats a float as Prometheus reads it: `+Inf`, `-Inf`, `NaN`, or the
/// shortest decimal that reads back as the same `f64` (`0.1`, `1`, `2.5`).
///
/// Rust's `Display` is right for finite values, but prints infinity as
/// `inf` and NaN as `NaN`; Prometheus's parser (Go's `strconv.ParseFloat`)
/// accepts `+Inf` and `Inf`, so the special cases are written out. `Debug`
/// (`1.0`) would also parse, but `Display` gives `le="1"`, as the Go client
/// does.
pub fn format_float(value: f64) -> String {
    if value == f64::INFINITY {
        "+Inf".to_owned()
    } else if value == f64::NEG_INFINITY {
        "-Inf".to_owned()
    } else if value.is_nan() {
        "NaN".to_owned()
    } else {
        value.to_string()
    }
}
