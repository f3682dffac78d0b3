//! Step 3: timing threads that contend, and a report that compares.

use std::fmt;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use crate::strategies::{Counter, Strategy};

/// A counter ended with a different total than the adds it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "lost updates: {threads} threads added {expected} in all, the counter says {counted}"
)]
pub struct LostUpdates {
    /// How many threads added.
    pub threads: usize,
    /// What the counter should say.
    pub expected: u64,
    /// What it said.
    pub counted: u64,
}

/// Runs `threads` threads that each add 1 to `counter` `per_thread` times,
/// and returns how long the adding took: from the first add of the first
/// thread to start to the last add of the last thread to finish.
///
/// Two traps make the obvious clock, around the spawns and the joins, wrong.
/// Starting a thread costs tens of microseconds, so the first thread could
/// finish its adds before the last one exists: the threads wait at a
/// barrier until all of them are there. And a thread woken from a barrier
/// starts running some microseconds later, so a clock started by the
/// thread that opens the barrier would time that wake-up too: each worker
/// reads the clock itself, just before its first add and just after its
/// last, and the run is the span from the earliest start to the latest end.
///
/// The counter must start at zero.
///
/// # Errors
///
/// [`LostUpdates`] if the total after the join is not
/// `threads * per_thread`: a fast counter that loses updates is not fast.
///
/// # Panics
///
/// If a worker panics (a counter's `add` did), once every worker is done.
pub fn contend(
    counter: &dyn Counter,
    threads: usize,
    per_thread: u64,
) -> Result<Duration, LostUpdates> {
    // TODO: a Barrier for the workers; spawn them on a `std::thread::scope`.
    // Each waits at the barrier, reads `Instant::now()`, adds 1 `per_thread`
    // times, reads the clock again and returns both instants. Join them
    // all, take the earliest start and the latest end (zero threads: zero
    // time). Last, compare `counter.total()` with `threads * per_thread`.
    todo!("contend: barrier, per-thread clocks, check the total")
}

/// One timed run of one strategy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    /// The counter measured.
    pub strategy: Strategy,
    /// How many threads added at once.
    pub threads: usize,
    /// Adds in all, over every thread.
    pub ops: u64,
    /// Wall-clock time from the start line to the last join.
    pub elapsed: Duration,
}

impl Measurement {
    /// Adds per second, all threads together.
    ///
    /// Throughput rather than time per add: with 4 threads, 4 adds can be
    /// in flight at once, so "nanoseconds per add" would need saying whose
    /// nanoseconds. A zero elapsed time counts as one nanosecond, so the
    /// rate stays finite.
    pub fn ops_per_sec(&self) -> f64 {
        // TODO: `ops` over the elapsed seconds, with at least 1 ns elapsed.
        todo!("Measurement::ops_per_sec")
    }
}

/// Times `threads` threads adding `per_thread` times each to a fresh
/// counter of kind `strategy`.
///
/// # Errors
///
/// [`LostUpdates`], from [`contend`].
pub fn measure(
    strategy: Strategy,
    threads: usize,
    per_thread: u64,
) -> Result<Measurement, LostUpdates> {
    // TODO: a fresh counter from the strategy, `contend` on it, and the
    // measurement of that run.
    todo!("measure")
}

/// A table of measurements: every strategy at every thread count.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentionReport {
    rows: Vec<Measurement>,
}

impl ContentionReport {
    /// Measures every strategy in [`Strategy::ALL`] at each thread count,
    /// strategy by strategy, in the order given.
    ///
    /// One run each, so the figures are rough: good enough to see a ten-fold
    /// gap, not a ten-percent one. That is criterion's job (the solution's
    /// `benches/counters.rs`), which repeats each run until the noise is
    /// measured too.
    ///
    /// # Errors
    ///
    /// The first [`LostUpdates`], if any counter loses an add.
    pub fn run(thread_counts: &[usize], per_thread: u64) -> Result<Self, LostUpdates> {
        // TODO: for each strategy, for each thread count, `measure`.
        todo!("ContentionReport::run")
    }

    /// A report of measurements made elsewhere (or made up, in a test).
    pub fn from_rows(rows: Vec<Measurement>) -> Self {
        todo!("ContentionReport::from_rows")
    }

    /// The measurements, in the order they were made.
    pub fn rows(&self) -> &[Measurement] {
        todo!("ContentionReport::rows")
    }

    /// How many times more adds per second `strategy` managed than
    /// `baseline` with `threads` threads, or `None` if either is missing.
    pub fn speedup(
        &self,
        strategy: Strategy,
        baseline: Strategy,
        threads: usize,
    ) -> Option<f64> {
        // TODO: find each strategy's row at `threads` and divide their
        // `ops_per_sec`; `?` on the two lookups gives the `None`.
        todo!("ContentionReport::speedup")
    }
}

/// A fixed-width table, one row per measurement, adds per second in
/// millions:
///
/// ```text
/// strategy  threads  Mops/s
/// mutex           1    50.0
/// ```
impl fmt::Display for ContentionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: the header `{:<8}  {:>7}  {:>6}` (strategy, threads,
        // Mops/s), then one line per row: name, threads, and
        // `ops_per_sec() / 1e6` to one decimal (`{:>6.1}`).
        todo!("Display for ContentionReport")
    }
}
