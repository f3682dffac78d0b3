//! Step 1: metric names, label names and label sets.
//!
//! A series is a metric name plus a set of label pairs. The set has no order:
//! `{status="ok",queue="email"}` and `{queue="email",status="ok"}` are one
//! series, so [`Labels`] sorts its pairs by name when it is built. Once the
//! pairs are sorted, the derived `Eq`, `Hash` and `Ord` compare label sets as
//! sets, and the sorted `Labels` *is* the series key.

use std::fmt;

/// Why a name or a label set was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    /// A label name outside `[a-zA-Z_][a-zA-Z0-9_]*`.
    #[error("invalid label name {0:?}: it must match [a-zA-Z_][a-zA-Z0-9_]*")]
    InvalidLabelName(String),
    /// A label name starting with `__`.
    #[error("label name {0:?} starts with `__`, a prefix Prometheus reserves for itself")]
    ReservedLabelName(String),
    /// A metric name outside `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    #[error("invalid metric name {0:?}: it must match [a-zA-Z_:][a-zA-Z0-9_:]*")]
    InvalidMetricName(String),
    /// The same label name twice in one label set.
    #[error("label {0:?} appears twice in one label set")]
    DuplicateLabel(String),
}

/// `true` if `name` is one character of `first` followed by characters of
/// `rest`: the shape of both grammars, which differ only in the colon.
fn matches_grammar(name: &str, first: fn(u8) -> bool, rest: fn(u8) -> bool) -> bool {
    // Bytes, not chars: both grammars are ASCII, and any byte of a multi-byte
    // UTF-8 character is >= 0x80, so it fails both tests as it should.
    let mut bytes = name.bytes();
    bytes.next().is_some_and(first) && bytes.all(rest)
}

/// A label name: `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LabelName(String);

impl LabelName {
    /// Checks `name` against the label-name grammar.
    ///
    /// # Errors
    ///
    /// [`LabelError::InvalidLabelName`] outside the grammar, and
    /// [`LabelError::ReservedLabelName`] for a `__` prefix (Prometheus uses
    /// `__name__`, `__address__` and friends internally).
    pub fn parse(name: &str) -> Result<Self, LabelError> {
        // TODO: call `matches_grammar` with two closures over `u8` (first:
        // `is_ascii_alphabetic` or `_`; rest: `is_ascii_alphanumeric` or `_`)
        // and return InvalidLabelName if it fails; then refuse a name that
        // `starts_with("__")` (ReservedLabelName). Keep the name otherwise.
        todo!("LabelName::parse: check the grammar, then the `__` prefix")
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LabelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*` (colons are allowed, by
/// convention for recording rules only).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MetricName(String);

impl MetricName {
    /// Checks `name` against the metric-name grammar.
    ///
    /// # Errors
    ///
    /// [`LabelError::InvalidMetricName`] outside the grammar.
    pub fn parse(name: &str) -> Result<Self, LabelError> {
        // TODO: as LabelName::parse, with `:` also allowed in both closures,
        // no `__` rule, and InvalidMetricName as the error.
        todo!("MetricName::parse: check the metric-name grammar")
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MetricName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A label set, its pairs sorted by name: the key of one series in a family.
///
/// A sorted `Vec`, not a `BTreeMap<LabelName, String>`: both derive `Eq`,
/// `Hash` and `Ord` over the sorted pairs, but a label set is built once and
/// then only hashed and compared (on every update of the series), and one
/// contiguous `Vec` is cheaper to hash than a tree of nodes. The rejected
/// alternative, a `String` key such as `queue=email,status=ok`, is ambiguous:
/// the value `email,status=ok` with no second label gives the same string.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Labels(Vec<(LabelName, String)>);

impl Labels {
    /// The empty label set, for a family declared with no labels.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Parses `(name, value)` pairs in any order into a sorted label set.
    /// Values may be any text; the exposition escapes them.
    ///
    /// # Errors
    ///
    /// A [`LabelError`] for an invalid or reserved name, or a name given twice.
    pub fn parse(pairs: &[(&str, &str)]) -> Result<Self, LabelError> {
        // TODO: parse every name with LabelName::parse (collecting into a
        // `Result<Vec<_>, _>` stops at the first error), sort the pairs by
        // name, then look at `windows(2)`: after sorting, a repeated name
        // sits next to itself (DuplicateLabel).
        todo!("Labels::parse: parse the names, sort by name, refuse duplicates")
    }

    /// The pairs, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// The names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &LabelName> {
        self.0.iter().map(|(name, _)| name)
    }

    /// The value of the label `name`, if the set has it.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.iter().find(|&(n, _)| n == name).map(|(_, v)| v)
    }

    /// The number of pairs.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `true` for the empty label set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `{queue="email",status="ok"}`, values written as Rust string literals: for
/// error messages and logs, not for the exposition (which escapes differently).
impl fmt::Display for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (name, value)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{name}={value:?}")?;
        }
        f.write_str("}")
    }
}
