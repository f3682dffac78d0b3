//! Step 3: families, the registry, the cardinality limit and snapshots.
//!
//! A *family* is one metric name with its help text, type and label names;
//! each label set used with it creates one *series*. The registry owns the
//! families and copies them all out on [`Registry::snapshot`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use crate::labels::{LabelError, LabelName, Labels, MetricName};
use crate::metrics::{Buckets, Counter, Gauge, Histogram, Metric, MetricKind, Value};

/// How many series a family accepts unless [`Opts::max_series`] says
/// otherwise.
pub const DEFAULT_MAX_SERIES: usize = 100;

/// Why the registry or a family refused a request.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegistryError {
    /// An invalid metric name, label name or label set.
    #[error(transparent)]
    Label(#[from] LabelError),
    /// A family with this name exists already.
    #[error("metric {0} is already registered")]
    AlreadyRegistered(String),
    /// A family with empty help text.
    #[error("metric {0} has no help text")]
    MissingHelp(String),
    /// A counter whose name does not end in `_total`.
    #[error("counter {0} must end in `_total`")]
    CounterWithoutTotal(String),
    /// A histogram declaring the label `le`, which its buckets use.
    #[error("histogram {0} cannot have a label named `le`: every bucket line adds it")]
    HistogramWithLe(String),
    /// A label set whose names are not the family's.
    #[error("family {family} has labels [{expected}], but was given {labels}")]
    WrongLabelNames {
        /// The family's name.
        family: String,
        /// The family's label names, comma-separated.
        expected: String,
        /// The label set given.
        labels: Labels,
    },
    /// A new series past the family's limit.
    #[error(
        "family {family} refused the new series {labels}: \
         it already has {limit} series, its limit"
    )]
    CardinalityLimit {
        /// The family's name.
        family: String,
        /// The family's series limit.
        limit: usize,
        /// The label set refused.
        labels: Labels,
    },
}

/// The description of a family to register: name, help, label names and
/// series limit.
#[derive(Debug, Clone)]
pub struct Opts {
    name: String,
    help: String,
    label_names: Vec<String>,
    max_series: usize,
}

impl Opts {
    /// A family with no labels and [`DEFAULT_MAX_SERIES`]. Nothing is
    /// checked until it is registered.
    pub fn new(name: &str, help: &str) -> Self {
        Self {
            name: name.to_owned(),
            help: help.to_owned(),
            label_names: Vec::new(),
            max_series: DEFAULT_MAX_SERIES,
        }
    }

    /// The label names every series of the family has, in any order.
    pub fn labels(mut self, names: &[&str]) -> Self {
        self.label_names = names.iter().map(|&n| n.to_owned()).collect();
        self
    }

    /// The most series the family will hold.
    pub fn max_series(mut self, limit: usize) -> Self {
        self.max_series = limit;
        self
    }
}

/// One family: the series of one metric, keyed by label set.
///
/// A cheap handle (an `Arc`): clone it into every thread and task that
/// records; the registry holds another clone for the scrape.
pub struct Family<M> {
    inner: Arc<FamilyInner<M>>,
}

struct FamilyInner<M> {
    name: MetricName,
    help: String,
    /// Sorted, like the names of a [`Labels`], so the two compare directly.
    label_names: Vec<LabelName>,
    max_series: usize,
    /// `RwLock`, not `Mutex`: after warm-up nearly every call finds its series
    /// and only reads the map, and readers do not wait for one another.
    /// `Arc<M>` so a caller can keep a series and update it with no lookup.
    series: RwLock<HashMap<Labels, Arc<M>>>,
    new_metric: Box<dyn Fn() -> M + Send + Sync>,
}

impl<M> Clone for Family<M> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<M> fmt::Debug for Family<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Family")
            .field("name", &self.inner.name)
            .field("label_names", &self.inner.label_names)
            .field("max_series", &self.inner.max_series)
            .finish_non_exhaustive()
    }
}

impl<M: Metric> Family<M> {
    /// The series for `pairs`, in any order, created on first use.
    ///
    /// # Errors
    ///
    /// As [`Family::with_labels`], plus a [`LabelError`] for a bad pair.
    pub fn with(&self, pairs: &[(&str, &str)]) -> Result<Arc<M>, RegistryError> {
        self.with_labels(&Labels::parse(pairs)?)
    }

    /// The series for `labels`, created on first use.
    ///
    /// On a hot path, call this once and keep the `Arc`: updating a kept
    /// series is one atomic operation, with no hashing and no lock.
    ///
    /// # Errors
    ///
    /// [`RegistryError::WrongLabelNames`] if the names are not the family's,
    /// and [`RegistryError::CardinalityLimit`] if the series is new and the
    /// family is full. A refused series is not created, and the series that
    /// exist keep working.
    pub fn with_labels(&self, labels: &Labels) -> Result<Arc<M>, RegistryError> {
        // TODO:
        // 1. Under `self.inner.series.read()`, look the labels up; if found,
        //    return a clone of the Arc (`Arc::clone`).
        // 2. Otherwise compare `labels.names()` with the family's
        //    `label_names` (`Iterator::eq`): WrongLabelNames if they differ.
        // 3. Take `write()`, and look up again: another thread may have
        //    created the series since step 1.
        // 4. If the map holds `max_series` series, CardinalityLimit.
        // 5. Else build the metric with `(self.inner.new_metric)()`, insert
        //    it and return it.
        // A poisoned lock is still usable here:
        // `.read().unwrap_or_else(PoisonError::into_inner)`.
        todo!("Family::with_labels: find the series, or check and create it")
    }

    /// The family's name.
    pub fn name(&self) -> &str {
        self.inner.name.as_str()
    }

    /// The number of series created so far.
    pub fn len(&self) -> usize {
        self.inner
            .series
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// `true` before the first series is created.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn join(names: &[LabelName]) -> String {
    names
        .iter()
        .map(LabelName::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// What the registry asks of every family, whatever its metric type, so
/// that it can keep them all in one map.
trait Collect: Send + Sync {
    fn collect(&self) -> FamilySnapshot;
}

impl<M: Metric> Collect for Family<M> {
    fn collect(&self) -> FamilySnapshot {
        // TODO: under the read lock, turn every (labels, metric) into a
        // `Series` (`metric.value()` copies the value); sort them by labels
        // after the lock is released; the kind is `M::KIND`.
        todo!("Family::collect: copy every series, sorted by labels")
    }
}

/// The families of one process, by name.
///
/// Registering takes `&mut self`: families are declared at start-up, before
/// the registry is shared (`Arc<Registry>`, or a plain `&Registry` in scoped
/// threads). After that, every recording goes through a [`Family`] handle,
/// and [`Registry::snapshot`] takes `&self`. The rejected alternative puts
/// the family map behind a lock so families can be added at any time, and
/// every scrape pays for a lock that is never needed after start-up.
#[derive(Default)]
pub struct Registry {
    /// A `BTreeMap`, so a snapshot lists the families sorted by name with no
    /// sort, and two scrapes list them in the same order.
    families: BTreeMap<String, Arc<dyn Collect>>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("families", &self.families.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a counter family. Its name must end in `_total`.
    ///
    /// # Errors
    ///
    /// See [`RegistryError`].
    pub fn counter(&mut self, opts: Opts) -> Result<Family<Counter>, RegistryError> {
        if !opts.name.ends_with("_total") {
            return Err(RegistryError::CounterWithoutTotal(opts.name));
        }
        self.register(opts, Counter::new)
    }

    /// Registers a gauge family.
    ///
    /// # Errors
    ///
    /// See [`RegistryError`].
    pub fn gauge(&mut self, opts: Opts) -> Result<Family<Gauge>, RegistryError> {
        self.register(opts, Gauge::new)
    }

    /// Registers a histogram family whose series all use `buckets`.
    ///
    /// # Errors
    ///
    /// See [`RegistryError`]; a label named `le` is refused.
    pub fn histogram(
        &mut self,
        opts: Opts,
        buckets: Buckets,
    ) -> Result<Family<Histogram>, RegistryError> {
        if opts.label_names.iter().any(|n| n == "le") {
            return Err(RegistryError::HistogramWithLe(opts.name));
        }
        self.register(opts, move || Histogram::new(buckets.clone()))
    }

    fn register<M: Metric>(
        &mut self,
        opts: Opts,
        new_metric: impl Fn() -> M + Send + Sync + 'static,
    ) -> Result<Family<M>, RegistryError> {
        // TODO: parse the name (MetricName::parse); refuse blank help
        // (MissingHelp); parse the label names by building a `Labels` from
        // `(name, "")` pairs, which checks and sorts them, and keep its
        // `names()`; refuse a name already in `self.families`
        // (AlreadyRegistered). Then build the Family, insert a clone of it
        // into `self.families` (as `Arc::new(family.clone())`) and return it.
        todo!("Registry::register: validate the options, then build and store the family")
    }

    /// Copies every family and series out of the registry.
    ///
    /// The snapshot owns its data: updates after this call do not change it,
    /// and encoding it (or sending it elsewhere) holds no lock. Returning
    /// references into the live maps instead would either keep the locks for
    /// as long as the caller looks, stalling every recording thread, or not
    /// compile.
    pub fn snapshot(&self) -> Snapshot {
        todo!("Registry::snapshot: collect every family, in name order")
    }
}

/// An owned copy of a registry: families sorted by name, series by labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The families, sorted by name.
    pub families: Vec<FamilySnapshot>,
}

impl Snapshot {
    /// The value of one series, if the family and the series exist.
    pub fn value(&self, family: &str, pairs: &[(&str, &str)]) -> Option<&Value> {
        let labels = Labels::parse(pairs).ok()?;
        let family = self.families.iter().find(|f| f.name == family)?;
        family
            .series
            .iter()
            .find(|s| s.labels == labels)
            .map(|s| &s.value)
    }
}

/// An owned copy of one family.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilySnapshot {
    /// The metric name.
    pub name: String,
    /// The help text, unescaped.
    pub help: String,
    /// The type.
    pub kind: MetricKind,
    /// The series, sorted by labels.
    pub series: Vec<Series>,
}

/// An owned copy of one series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The label set.
    pub labels: Labels,
    /// The value when the snapshot was taken.
    pub value: Value,
}
