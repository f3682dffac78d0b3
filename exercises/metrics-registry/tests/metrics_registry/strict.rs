//! A strict reader of the Prometheus text format 0.0.4, for the tests.
//!
//! The `prometheus-parse` crate (used in step 5) is lenient: it reads label
//! pairs by splitting on `,` and `=` and trimming quotes, so it does not undo
//! escapes, misreads any value containing `,`, `=` or `}`, and never checks
//! that `TYPE` comes first or that a family's lines form one group. This
//! reader rejects what Prometheus's own parser rejects and a little more
//! (blank lines, timestamps, trailing commas), since the exposition writes
//! none of them:
//!
//! - the text ends with a newline (unless it is empty);
//! - every family opens with `# HELP name text`, then `# TYPE name type`,
//!   and appears once; its samples follow in one unbroken group;
//! - a sample is `name{label="value",...} value`, its name the family's (or,
//!   for a histogram, `_bucket`, `_sum` or `_count` after it);
//! - escapes are `\\` and `\n` in help text, and also `\"` in label values;
//!   any other backslash sequence is an error;
//! - no label name twice on a line, no series twice in a family.

use std::collections::HashSet;

/// Label pairs as written on a line.
type Pairs = Vec<(String, String)>;

/// A parsed exposition: its families in the order they appear.
#[derive(Debug)]
pub(crate) struct Exposition {
    pub(crate) families: Vec<Family>,
}

/// One family: its `HELP` (unescaped), `TYPE` and samples.
#[derive(Debug)]
pub(crate) struct Family {
    pub(crate) name: String,
    pub(crate) help: String,
    pub(crate) kind: String,
    pub(crate) samples: Vec<Sample>,
}

/// One sample line, its label values unescaped and in line order.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    pub(crate) name: String,
    pub(crate) labels: Pairs,
    pub(crate) value: f64,
}

impl Exposition {
    /// The family called `name`.
    pub(crate) fn family(&self, name: &str) -> &Family {
        self.families
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("the exposition should have a family {name}"))
    }
}

impl Sample {
    /// The value of label `name`.
    pub(crate) fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses `text`, or says which line breaks which rule.
pub(crate) fn parse(text: &str) -> Result<Exposition, String> {
    let mut families: Vec<Family> = Vec::new();
    if text.is_empty() {
        return Ok(Exposition { families });
    }
    let body = text
        .strip_suffix('\n')
        .ok_or("the exposition must end with a newline")?;
    let mut seen_series: HashSet<(String, Pairs)> = HashSet::new();
    let mut lines = body.split('\n').zip(1..);
    while let Some((line, n)) = lines.next() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, help) = rest
                .split_once(' ')
                .ok_or(format!("line {n}: HELP needs a name and a text"))?;
            check_name(name, true).map_err(|e| format!("line {n}: {e}"))?;
            if families.iter().any(|f| f.name == name) {
                return Err(format!(
                    "line {n}: a second HELP for {name}: each family appears once, \
                     its lines in one group"
                ));
            }
            let help = unescape(help, false).map_err(|e| format!("line {n}: {e}"))?;
            let (type_line, n) = lines
                .next()
                .ok_or(format!("line {n}: HELP for {name} is not followed by TYPE"))?;
            let kind = type_line
                .strip_prefix("# TYPE ")
                .and_then(|t| t.strip_prefix(name))
                .and_then(|t| t.strip_prefix(' '))
                .ok_or(format!(
                    "line {n}: expected `# TYPE {name} ...`, got {type_line:?}"
                ))?;
            if !matches!(kind, "counter" | "gauge" | "histogram") {
                return Err(format!("line {n}: unknown type {kind:?}"));
            }
            families.push(Family {
                name: name.to_owned(),
                help,
                kind: kind.to_owned(),
                samples: Vec::new(),
            });
        } else if line.starts_with('#') {
            return Err(format!(
                "line {n}: unexpected comment {line:?} (TYPE must directly follow HELP)"
            ));
        } else {
            let sample = parse_sample(line).map_err(|e| format!("line {n}: {e}"))?;
            let family = families
                .last_mut()
                .ok_or(format!("line {n}: a sample before any HELP and TYPE"))?;
            let base = family.name.as_str();
            let belongs = if family.kind == "histogram" {
                ["_bucket", "_sum", "_count"]
                    .iter()
                    .any(|suffix| sample.name.strip_suffix(suffix) == Some(base))
            } else {
                sample.name == base
            };
            if !belongs {
                return Err(format!(
                    "line {n}: sample {} is not part of family {base}: a family's TYPE \
                     comes before its samples, and its lines form one group",
                    sample.name
                ));
            }
            let mut key = sample.labels.clone();
            key.sort();
            if !seen_series.insert((sample.name.clone(), key)) {
                return Err(format!("line {n}: the series {line:?} appears twice"));
            }
            family.samples.push(sample);
        }
    }
    Ok(Exposition { families })
}

fn check_name(name: &str, metric: bool) -> Result<(), String> {
    let extra = |b: u8| metric && b == b':';
    let mut bytes = name.bytes();
    let first = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || extra(b));
    if first && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || extra(b)) {
        Ok(())
    } else {
        Err(format!("{name:?} is not a valid name"))
    }
}

/// Undoes the format's escapes: `\\` and `\n`, and `\"` in a label value.
fn unescape(text: &str, label_value: bool) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('"') if label_value => out.push('"'),
            other => {
                return Err(format!("invalid escape sequence \\{other:?} in {text:?}"));
            }
        }
    }
    Ok(out)
}

fn parse_sample(line: &str) -> Result<Sample, String> {
    let name_end = line.find(['{', ' ']).ok_or("a sample needs a value")?;
    let name = &line[..name_end];
    check_name(name, true)?;
    let mut rest = &line[name_end..];
    let mut labels: Pairs = Vec::new();
    if let Some(after_brace) = rest.strip_prefix('{') {
        rest = after_brace;
        loop {
            let eq = rest.find('=').ok_or("a label needs `=`")?;
            let label = &rest[..eq];
            check_name(label, false)?;
            rest = rest[eq + 1..]
                .strip_prefix('"')
                .ok_or(format!("the value of {label} must be quoted"))?;
            // The value ends at the first quote not escaped by a backslash.
            let mut end = None;
            let mut escaped = false;
            for (i, c) in rest.char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            let end = end.ok_or(format!("the value of {label} is not closed"))?;
            let value = unescape(&rest[..end], true)?;
            if labels.iter().any(|(l, _)| l == label) {
                return Err(format!("label {label} appears twice"));
            }
            labels.push((label.to_owned(), value));
            rest = &rest[end + 1..];
            if let Some(next) = rest.strip_prefix(',') {
                rest = next;
            } else if let Some(next) = rest.strip_prefix('}') {
                rest = next;
                break;
            } else {
                return Err(format!("expected `,` or `}}` after the value of {label}"));
            }
        }
    }
    let token = rest
        .strip_prefix(' ')
        .ok_or("expected one space before the value")?;
    let value = match token {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        "NaN" => f64::NAN,
        _ if token
            .bytes()
            .any(|b| !(b.is_ascii_digit() || b"+-.eE".contains(&b))) =>
        {
            return Err(format!(
                "{token:?} is not a sample value (timestamps are not written)"
            ));
        }
        _ => token.parse().map_err(|e| format!("{token:?}: {e}"))?,
    };
    Ok(Sample {
        name: name.to_owned(),
        labels,
        value,
    })
}

/// Checks every histogram family: per series, the `le` values increase and
/// end with `+Inf`, the counts never decrease, `+Inf` equals `_count`, and
/// `_sum` is there. promtool 2.42 checks none of this.
pub(crate) fn check_histograms(exposition: &Exposition) -> Result<(), String> {
    for family in exposition.families.iter().filter(|f| f.kind == "histogram") {
        let name = &family.name;
        // Group the samples by their labels without `le`, keeping line order.
        let mut series: Vec<(Pairs, Vec<&Sample>)> = Vec::new();
        for sample in &family.samples {
            let mut key: Vec<(String, String)> = sample
                .labels
                .iter()
                .filter(|(l, _)| l != "le")
                .cloned()
                .collect();
            key.sort();
            match series.iter_mut().find(|(k, _)| *k == key) {
                Some((_, samples)) => samples.push(sample),
                None => series.push((key, vec![sample])),
            }
        }
        for (key, samples) in series {
            let buckets: Vec<(f64, f64)> = samples
                .iter()
                .filter(|s| s.name.ends_with("_bucket"))
                .map(|s| {
                    let le = s
                        .label("le")
                        .ok_or(format!("{name}: a bucket without le"))?;
                    let bound = match le {
                        "+Inf" => f64::INFINITY,
                        other => {
                            other.parse().map_err(|_| format!("{name}: le={other:?}"))?
                        }
                    };
                    Ok((bound, s.value))
                })
                .collect::<Result<_, String>>()?;
            let one = |suffix: &str| {
                samples
                    .iter()
                    .find(|s| s.name.strip_suffix(suffix) == Some(name))
                    .map(|s| s.value)
                    .ok_or(format!("{name}{key:?}: no {name}{suffix} sample"))
            };
            let count = one("_count")?;
            one("_sum")?;
            if buckets.windows(2).any(|w| w[1].0 <= w[0].0) {
                return Err(format!(
                    "{name}{key:?}: le values must increase: {buckets:?}"
                ));
            }
            if buckets.windows(2).any(|w| w[1].1 < w[0].1) {
                return Err(format!(
                    "{name}{key:?}: bucket counts must be cumulative: {buckets:?}"
                ));
            }
            match buckets.last() {
                Some(&(bound, inf)) if bound == f64::INFINITY => {
                    if inf != count {
                        return Err(format!(
                            "{name}{key:?}: +Inf is {inf} but _count is {count}"
                        ));
                    }
                }
                _ => {
                    return Err(format!(
                        "{name}{key:?}: the last bucket must be le=\"+Inf\""
                    ));
                }
            }
        }
    }
    Ok(())
}
