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
    let start_line = Barrier::new(threads);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    start_line.wait();
                    let start = Instant::now();
                    for _ in 0..per_thread {
                        counter.add(1);
                    }
                    (start, Instant::now())
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    // `Instant`s from different threads compare fine: it is one monotonic
    // clock for the whole machine.
    let first = spans.iter().map(|(start, _)| *start).min();
    let last = spans.iter().map(|(_, end)| *end).max();
    let elapsed = match (first, last) {
        (Some(first), Some(last)) => last - first,
        _ => Duration::ZERO,
    };
    let expected = threads as u64 * per_thread;
    let counted = counter.total();
    if counted == expected {
        Ok(elapsed)
    } else {
        Err(LostUpdates {
            threads,
            expected,
            counted,
        })
    }
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
        let secs = self.elapsed.max(Duration::from_nanos(1)).as_secs_f64();
        self.ops as f64 / secs
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
    let counter = strategy.counter();
    let elapsed = contend(counter.as_ref(), threads, per_thread)?;
    Ok(Measurement {
        strategy,
        threads,
        ops: threads as u64 * per_thread,
        elapsed,
    })
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
        let mut rows = Vec::with_capacity(Strategy::ALL.len() * thread_counts.len());
        for strategy in Strategy::ALL {
            for &threads in thread_counts {
                rows.push(measure(strategy, threads, per_thread)?);
            }
        }
        Ok(Self { rows })
    }

    /// A report of measurements made elsewhere (or made up, in a test).
    pub fn from_rows(rows: Vec<Measurement>) -> Self {
        Self { rows }
    }

    /// The measurements, in the order they were made.
    pub fn rows(&self) -> &[Measurement] {
        &self.rows
    }

    /// How many times more adds per second `strategy` managed than
    /// `baseline` with `threads` threads, or `None` if either is missing.
    pub fn speedup(
        &self,
        strategy: Strategy,
        baseline: Strategy,
        threads: usize,
    ) -> Option<f64> {
        let rate = |wanted: Strategy| {
            self.rows
                .iter()
                .find(|row| row.strategy == wanted && row.threads == threads)
                .map(Measurement::ops_per_sec)
        };
        Some(rate(strategy)? / rate(baseline)?)
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
        writeln!(f, "{:<8}  {:>7}  {:>6}", "strategy", "threads", "Mops/s")?;
        for row in &self.rows {
            writeln!(
                f,
                "{:<8}  {:>7}  {:>6.1}",
                row.strategy,
                row.threads,
                row.ops_per_sec() / 1e6
            )?;
        }
        Ok(())
    }
}
