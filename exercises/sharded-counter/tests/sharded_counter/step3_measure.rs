//! Step 3: `contend`, `measure` and `ContentionReport` (src/measure.rs).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sharded_counter::{
    AtomicCounter, ContentionReport, Counter, LostUpdates, Measurement, ShardedCounter,
    Strategy, contend, measure,
};

/// A broken counter that drops every second add: a stand-in for a racy
/// load-then-store counter, but losing exactly half, so the test is exact.
#[derive(Debug, Default)]
struct DropsEverySecondAdd {
    calls: AtomicU64,
    count: AtomicU64,
}

impl Counter for DropsEverySecondAdd {
    fn add(&self, n: u64) {
        if self.calls.fetch_add(1, Ordering::Relaxed).is_multiple_of(2) {
            self.count.fetch_add(n, Ordering::Relaxed);
        }
    }

    fn total(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

fn row(strategy: Strategy, threads: usize, ops: u64, millis: u64) -> Measurement {
    Measurement {
        strategy,
        threads,
        ops,
        elapsed: Duration::from_millis(millis),
    }
}

#[test]
fn contend_runs_every_add_on_every_thread() {
    let counter = AtomicCounter::default();
    contend(&counter, 4, 1_000).expect("an atomic counter loses nothing");
    assert_eq!(counter.total(), 4_000, "4 threads x 1000 adds");
    let sharded = ShardedCounter::new(4).expect("4 shards");
    contend(&sharded, 3, 500).expect("a sharded counter loses nothing");
    assert_eq!(sharded.sum(), 1_500, "3 threads x 500 adds");
}

#[test]
fn contend_refuses_a_counter_that_loses_updates() {
    let lossy = DropsEverySecondAdd::default();
    assert_eq!(
        contend(&lossy, 2, 1_000),
        Err(LostUpdates {
            threads: 2,
            expected: 2_000,
            counted: 1_000
        }),
        "2000 adds went in, 1000 were counted: that must be an error"
    );
}

#[test]
fn lost_updates_read_well() {
    let lost = contend(&DropsEverySecondAdd::default(), 2, 1_000)
        .expect_err("half the adds were dropped");
    assert_eq!(
        lost.to_string(),
        "lost updates: 2 threads added 2000 in all, the counter says 1000"
    );
}

#[test]
fn measure_records_what_was_measured() {
    let measurement = measure(Strategy::Sharded, 3, 1_000).expect("no lost updates");
    assert_eq!(measurement.strategy, Strategy::Sharded);
    assert_eq!(measurement.threads, 3);
    assert_eq!(
        measurement.ops, 3_000,
        "ops counts the adds of every thread"
    );
}

#[test]
fn ops_per_sec_is_all_adds_over_the_elapsed_seconds() {
    let measurement = row(Strategy::Mutex, 4, 1_000_000, 250);
    assert_eq!(
        measurement.ops_per_sec(),
        4_000_000.0,
        "a million adds in a quarter of a second"
    );
    let instant = row(Strategy::Atomic, 1, 10, 0);
    assert!(
        instant.ops_per_sec().is_finite(),
        "a zero elapsed time must not give an infinite or NaN rate"
    );
}

#[test]
fn the_report_measures_every_strategy_at_every_thread_count() {
    let report = ContentionReport::run(&[1, 2], 1_000).expect("no lost updates");
    let shape: Vec<(Strategy, usize, u64)> = report
        .rows()
        .iter()
        .map(|row| (row.strategy, row.threads, row.ops))
        .collect();
    assert_eq!(
        shape,
        [
            (Strategy::Mutex, 1, 1_000),
            (Strategy::Mutex, 2, 2_000),
            (Strategy::Atomic, 1, 1_000),
            (Strategy::Atomic, 2, 2_000),
            (Strategy::Sharded, 1, 1_000),
            (Strategy::Sharded, 2, 2_000),
        ],
        "strategy by strategy, each at every thread count in the order given"
    );
}

#[test]
fn speedup_is_the_ratio_of_two_rates() {
    let report = ContentionReport::from_rows(vec![
        row(Strategy::Mutex, 2, 1_000_000, 1_000),
        row(Strategy::Sharded, 2, 1_000_000, 250),
    ]);
    assert_eq!(
        report.speedup(Strategy::Sharded, Strategy::Mutex, 2),
        Some(4.0),
        "4 million adds/s against 1 million"
    );
    assert_eq!(
        report.speedup(Strategy::Mutex, Strategy::Sharded, 2),
        Some(0.25),
        "and the other way round"
    );
    assert_eq!(
        report.speedup(Strategy::Sharded, Strategy::Mutex, 8),
        None,
        "nothing was measured at 8 threads"
    );
}

#[test]
fn the_report_prints_a_table_of_millions_of_adds_per_second() {
    let report = ContentionReport::from_rows(vec![
        row(Strategy::Mutex, 1, 1_000_000, 20),
        row(Strategy::Mutex, 2, 2_000_000, 400),
        row(Strategy::Sharded, 2, 2_000_000, 8),
    ]);
    assert_eq!(
        report.to_string(),
        "strategy  threads  Mops/s\n\
         mutex           1    50.0\n\
         mutex           2     5.0\n\
         sharded         2   250.0\n",
        "a header, then one line per row, in the order given"
    );
}
