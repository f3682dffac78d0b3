//! Step 3: `PoolConfig` and `run`, with the drain on shutdown
//! (src/drain.rs).

use std::collections::HashSet;
use std::future::{pending, ready};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use job_pool::{ConfigError, Delivery, DrainReport, PoolConfig, StopReason, run};
use proptest::prelude::*;
use tokio::time::{Instant, sleep};

use crate::{
    How, Ledger, Pool, Script, Then, Work, alive_tasks, delivery, id, ids, jobs, ms,
    nacked, perform, settled, within,
};

fn config(workers: usize, capacity: usize) -> PoolConfig {
    PoolConfig::new(workers, capacity).expect("a valid pool size")
}

/// Every fetched delivery is counted once in the report.
fn accounted(report: &DrainReport) -> usize {
    report.succeeded
        + report.failed
        + report.timed_out
        + report.panicked
        + report.abandoned.len()
        + report.released.len()
}

#[test]
fn a_pool_with_no_workers_or_no_room_is_refused() {
    assert_eq!(PoolConfig::new(0, 4), Err(ConfigError::NoWorkers));
    assert_eq!(PoolConfig::new(4, 0), Err(ConfigError::NoCapacity));
    assert_eq!(
        ConfigError::NoCapacity.to_string(),
        "the channel needs room for at least one delivery",
        "tokio's mpsc::channel(0) panics, so a zero is refused up front"
    );
}

#[test]
fn a_config_has_defaults_that_can_be_changed() {
    let config = config(4, 16);
    assert_eq!(config.workers().get(), 4);
    assert_eq!(config.capacity().get(), 16);
    assert_eq!(config.job_timeout(), ms(30_000), "30 s per job by default");
    assert_eq!(
        config.drain_deadline(),
        ms(10_000),
        "a 10 s drain by default"
    );
    let config = config
        .with_job_timeout(ms(500))
        .with_drain_deadline(ms(2000));
    assert_eq!(config.job_timeout(), ms(500));
    assert_eq!(config.drain_deadline(), ms(2000));
}

#[tokio::test(start_paused = true)]
async fn run_processes_every_job_and_returns_when_the_source_is_exhausted() {
    let mut deliveries = jobs(1, 4, Work::Succeed(ms(100)));
    deliveries.push(delivery(5, Work::Fail(ms(100))));
    deliveries.push(delivery(6, Work::Panic));
    let source = Script::new(deliveries, Then::Exhausted);
    let leases = source.leases();
    let ledger = Ledger::new(&leases);
    let start = Instant::now();
    let report = within(run(
        source,
        perform,
        ledger.clone(),
        config(2, 3),
        pending::<()>(),
    ))
    .await;
    assert!(
        matches!(report.stopped, StopReason::Exhausted),
        "got {:?}",
        report.stopped
    );
    assert_eq!(
        start.elapsed(),
        ms(300),
        "two workers: jobs 1-2, then 3-4, then 5 (and 6, which panics at once): \
         run returns when the last job is settled, without waiting for a shutdown"
    );
    assert_eq!(report.fetched, 6);
    assert_eq!(
        (
            report.succeeded,
            report.failed,
            report.timed_out,
            report.panicked
        ),
        (4, 1, 0, 1),
        "(succeeded, failed, timed out, panicked)"
    );
    assert!(report.abandoned.is_empty() && report.released.is_empty());
    assert_eq!(ledger.settled_ids(), ids(1..=6), "every job settled once");
    assert_eq!(leases.held(), 0, "no lease is left open");
}

#[tokio::test(start_paused = true)]
async fn a_shutdown_with_nothing_in_flight_returns_at_once() {
    let source = Script::new(Vec::new(), Then::Wait);
    let ledger = Ledger::new(&source.leases());
    let start = Instant::now();
    let report = within(run(source, perform, ledger, config(2, 3), sleep(ms(250)))).await;
    assert_eq!(
        start.elapsed(),
        ms(250),
        "an idle pool stops when the shutdown future completes, even with a fetch \
         waiting on an empty queue"
    );
    assert!(
        matches!(report.stopped, StopReason::Shutdown),
        "got {:?}",
        report.stopped
    );
    assert_eq!(report.fetched, 0);
    assert_eq!(alive_tasks(), 0, "no task of the pool is left");
}

#[tokio::test(start_paused = true)]
async fn a_shutdown_releases_buffered_deliveries_and_lets_jobs_in_flight_finish() {
    let source = Script::new(jobs(1, 10, Work::Succeed(ms(1000))), Then::Exhausted);
    let leases = source.leases();
    let ledger = Ledger::new(&leases);
    let start = Instant::now();
    let config = config(2, 4).with_drain_deadline(ms(5000));
    let report =
        within(run(source, perform, ledger.clone(), config, sleep(ms(500)))).await;
    assert_eq!(
        start.elapsed(),
        ms(1000),
        "jobs 1 and 2 were running at the shutdown (500 ms) and end at 1 s, well \
         within the 5 s drain deadline"
    );
    assert_eq!(report.succeeded, 2, "jobs 1 and 2 finished");
    assert_eq!(
        report.released,
        ids(3..=6),
        "jobs 3-6 waited in the channel (capacity 4) and were released, not run"
    );
    assert!(report.abandoned.is_empty());
    assert_eq!(
        report.fetched, 6,
        "jobs 7-10 were never fetched: they are still in the queue"
    );
    assert_eq!(leases.taken(), 6);
    assert_eq!(
        ledger.entries(),
        [
            settled(500, 3, How::Released),
            settled(500, 4, How::Released),
            settled(500, 5, How::Released),
            settled(500, 6, How::Released),
            settled(1000, 1, How::Acked),
            settled(1000, 2, How::Acked),
        ],
        "released at the shutdown, at once; acked when done"
    );
    assert_eq!(leases.held(), 0);
}

#[tokio::test(start_paused = true)]
async fn jobs_still_running_at_the_drain_deadline_are_abandoned() {
    let source = Script::new(
        vec![
            delivery(1, Work::Succeed(ms(10_000))),
            delivery(2, Work::Succeed(ms(200))),
        ],
        Then::Wait,
    );
    let leases = source.leases();
    let ledger = Ledger::new(&leases);
    let config = config(2, 4)
        .with_job_timeout(ms(60_000))
        .with_drain_deadline(ms(1000));
    let start = Instant::now();
    let report =
        within(run(source, perform, ledger.clone(), config, sleep(ms(100)))).await;
    assert_eq!(
        start.elapsed(),
        ms(1100),
        "shutdown at 100 ms plus a 1 s drain deadline: run returns at 1.1 s exactly"
    );
    assert_eq!(report.abandoned, ids([1]), "job-01 needed 10 s: abandoned");
    assert_eq!(report.succeeded, 1, "job-02 finished during the drain");
    assert_eq!(
        ledger.entries(),
        [settled(200, 2, How::Acked)],
        "the abandoned job is not settled at all"
    );
    assert_eq!(
        leases.held(),
        1,
        "job-01's lease is left to expire, so that the queue redelivers it"
    );
    assert_eq!(alive_tasks(), 0, "its task was aborted and is gone");
}

#[tokio::test(start_paused = true)]
async fn nothing_is_left_running_when_run_returns() {
    let pool = Pool::default();
    let finished = Arc::new(AtomicBool::new(false));
    let handler = {
        let (pool, finished) = (pool.clone(), Arc::clone(&finished));
        move |_delivery: Delivery<Work>| {
            let (pool, finished) = (pool.clone(), Arc::clone(&finished));
            async move {
                let _connection = pool.connect();
                sleep(ms(3_600_000)).await;
                finished.store(true, Ordering::SeqCst);
                Ok(())
            }
        }
    };
    let source = Script::new(jobs(1, 10, Work::Panic), Then::Exhausted);
    let ledger = Ledger::new(&source.leases());
    let config = config(3, 2)
        .with_job_timeout(ms(7_200_000))
        .with_drain_deadline(ms(200));
    let start = Instant::now();
    let report = within(run(source, handler, ledger, config, sleep(ms(100)))).await;
    assert_eq!(
        start.elapsed(),
        ms(300),
        "shutdown at 100 ms, deadline 200 ms later"
    );
    assert_eq!(report.abandoned, ids(1..=3), "the three jobs in flight");
    assert_eq!(report.released, ids(4..=5), "the two in the channel");
    assert_eq!(accounted(&report), report.fetched);
    assert_eq!(
        pool.open(),
        0,
        "every job's connection is closed: their tasks were dropped, not detached"
    );
    assert_eq!(alive_tasks(), 0, "no fetcher, worker or job task is alive");
    sleep(ms(7_200_000)).await;
    assert!(
        !finished.load(Ordering::SeqCst),
        "no abandoned job went on to finish in the background"
    );
}

#[tokio::test(start_paused = true)]
async fn the_job_timeout_still_applies_during_the_drain() {
    let source = Script::new(vec![delivery(1, Work::Succeed(ms(10_000)))], Then::Wait);
    let ledger = Ledger::new(&source.leases());
    let config = config(1, 1)
        .with_job_timeout(ms(300))
        .with_drain_deadline(ms(5000));
    let start = Instant::now();
    let report =
        within(run(source, perform, ledger.clone(), config, sleep(ms(100)))).await;
    assert_eq!(
        start.elapsed(),
        ms(300),
        "the job times out at 300 ms, before the drain deadline (5.1 s)"
    );
    assert_eq!(report.timed_out, 1);
    assert_eq!(
        ledger.entries(),
        [settled(300, 1, nacked("timed out after 300ms"))]
    );
}

#[tokio::test(start_paused = true)]
async fn a_shutdown_asked_before_the_start_claims_nothing() {
    for _ in 0..8 {
        let source = Script::new(jobs(1, 5, Work::Succeed(ms(10))), Then::Exhausted);
        let leases = source.leases();
        let ledger = Ledger::new(&leases);
        let start = Instant::now();
        let report = within(run(source, perform, ledger, config(2, 2), ready(()))).await;
        assert_eq!(
            leases.taken(),
            0,
            "a shutdown that is ready from the start must stop the fetcher before it \
             claims a delivery"
        );
        assert_eq!(report.fetched, 0);
        assert_eq!(start.elapsed(), ms(0));
    }
}

#[tokio::test(start_paused = true)]
async fn a_failing_source_stops_fetching_but_the_fetched_jobs_still_run() {
    let source = Script::new(jobs(1, 3, Work::Succeed(ms(100))), Then::Fail);
    let ledger = Ledger::new(&source.leases());
    let start = Instant::now();
    let report = within(run(
        source,
        perform,
        ledger.clone(),
        config(1, 4),
        pending::<()>(),
    ))
    .await;
    assert!(
        matches!(report.stopped, StopReason::SourceFailed(_)),
        "got {:?}",
        report.stopped
    );
    assert_eq!(report.succeeded, 3, "the three fetched jobs ran to the end");
    assert_eq!(start.elapsed(), ms(300));
    assert_eq!(ledger.settled_ids(), ids(1..=3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pool_on_two_threads_settles_every_job_exactly_once() {
    // Real threads (and, under ThreadSanitizer, real races if there were
    // any). No timers: every job is instant, so the test takes no time.
    let deliveries = (1..=300)
        .map(|n| {
            let work = match n % 100 {
                0 => Work::Panic,
                n if n % 7 == 0 => Work::Fail(ms(0)),
                _ => Work::Succeed(ms(0)),
            };
            delivery(n, work)
        })
        .collect();
    let source = Script::new(deliveries, Then::Exhausted);
    let leases = source.leases();
    let ledger = Ledger::new(&leases);
    // A real-time limit here: the clock is not paused on this runtime.
    let report = tokio::time::timeout(
        ms(20_000),
        run(
            source,
            perform,
            ledger.clone(),
            config(4, 8),
            pending::<()>(),
        ),
    )
    .await
    .expect("300 instant jobs take well under 20 s: a deadlock?");
    assert_eq!(report.fetched, 300);
    assert_eq!(report.panicked, 3);
    assert_eq!(accounted(&report), 300);
    let settled = ledger.settled_ids();
    let distinct: HashSet<_> = settled.iter().collect();
    assert_eq!(settled.len(), 300, "300 settlements");
    assert_eq!(distinct.len(), 300, "one per job, none twice");
    assert_eq!(leases.held(), 0);
}

fn work() -> impl Strategy<Value = Work> {
    prop_oneof![
        (0u64..700).prop_map(|cost| Work::Succeed(ms(cost))),
        (0u64..700).prop_map(|cost| Work::Fail(ms(cost))),
    ]
}

proptest! {
    #![proptest_config(crate::properties())]

    /// Whatever the jobs, the pool's size and the moment of the shutdown:
    /// every fetched delivery is settled exactly once, or abandoned and not
    /// settled at all, and nothing is left running.
    #[test]
    fn every_fetched_delivery_is_settled_once_or_abandoned(
        works in prop::collection::vec(work(), 0..16),
        workers in 1usize..4,
        capacity in 1usize..4,
        shutdown_at in prop::option::of(0u64..1500),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let total = works.len();
            let deliveries = (1..)
                .zip(works)
                .map(|(n, work)| delivery(n, work))
                .collect();
            let source = Script::new(deliveries, Then::Exhausted);
            let leases = source.leases();
            let ledger = Ledger::new(&leases);
            let config = PoolConfig::new(workers, capacity)
                .expect("a valid pool size")
                .with_job_timeout(ms(400))
                .with_drain_deadline(ms(300));
            let shutdown = async move {
                match shutdown_at {
                    Some(at) => sleep(ms(at)).await,
                    None => pending().await,
                }
            };
            let start = Instant::now();
            let report =
                within(run(source, perform, ledger.clone(), config, shutdown)).await;

            prop_assert_eq!(accounted(&report), report.fetched);
            prop_assert_eq!(report.fetched, leases.taken());
            let mut seen: Vec<_> = ledger.settled_ids();
            seen.extend(report.abandoned.iter().cloned());
            seen.sort();
            let fetched: Vec<_> = (1..=report.fetched).map(|n| id(n as u32)).collect();
            prop_assert_eq!(
                seen, fetched,
                "each fetched id settled once or abandoned, never both, never twice"
            );
            prop_assert_eq!(leases.held(), report.abandoned.len());
            prop_assert_eq!(alive_tasks(), 0);
            match shutdown_at {
                None => {
                    prop_assert!(matches!(report.stopped, StopReason::Exhausted));
                    prop_assert_eq!(report.fetched, total);
                }
                Some(at) => prop_assert!(start.elapsed() <= ms(at + 300)),
            }
            Ok(())
        })?;
    }
}
