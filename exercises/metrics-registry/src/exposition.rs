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
    // TODO: `# HELP name <escaped help>`, then `# TYPE name <kind>`, each
    // with `writeln!(out, ...)?`; then one `sample` per counter or gauge
    // series (suffix "", no `le`), or `encode_histogram` per histogram series.
    todo!("encode_family: HELP, TYPE, then the samples")
}

fn encode_histogram(
    out: &mut impl Write,
    name: &str,
    labels: &Labels,
    h: &HistogramSnapshot,
) -> fmt::Result {
    // TODO: one `_bucket` sample per entry of `h.cumulative()`, with
    // `Some(bound)` as `le`; then `_sum` (written with `format_float`) and
    // `_count`.
    todo!("encode_histogram: cumulative buckets, then _sum and _count")
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
    // TODO: `write!` the name and suffix; then, unless there are no labels
    // and no `le`, `{`, the `label="escaped value"` pairs separated by commas
    // with `le` (through `format_float`) last, and `}`; then `writeln!` a
    // space and the value.
    todo!("sample: write one sample line")
}

/// Escapes help text: `\` as `\\` and a newline as `\n`. A double quote is
/// left alone: help text is not quoted, and `\"` there would be read back as
/// a backslash and a quote.
pub fn escape_help(help: &str) -> String {
    // TODO: loop over `help.chars()` and `match` the two characters.
    todo!("escape_help: escape backslashes and newlines")
}

/// Escapes a label value for the inside of its double quotes: `\` as `\\`,
/// `"` as `\"`, and a newline as `\n`.
///
/// The backslash must be escaped too: otherwise the value `a\` would be
/// written `"a\"`, and a parser would read an escaped quote there and run on
/// past the end of the value.
pub fn escape_label_value(value: &str) -> String {
    // TODO: as escape_help, plus the double quote.
    todo!("escape_label_value: escape backslashes, double quotes and newlines")
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
    // TODO: the three special values by hand (`value.is_nan()`; compare with
    // f64::INFINITY and f64::NEG_INFINITY), then `value.to_string()`.
    todo!("format_float: +Inf, -Inf and NaN, else Display")
}
