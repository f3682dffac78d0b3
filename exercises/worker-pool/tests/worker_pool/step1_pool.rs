//! Step 1: `WorkerPool`, N workers reading one bounded queue (src/pool.rs).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::time::{Instant, sleep};
use worker_pool::{PoolReport, SubmitError, WorkerPool};

use crate::{Gauge, ms, nz, within};

#[tokio::test(start_paused = true)]
async fn the_workers_run_jobs_side_by_side_up_to_the_pool_size() {
    let gauge = Gauge::default();
    let in_jobs = gauge.clone();
    let pool = WorkerPool::new(nz(4), nz(8), move |_job: u32| {
        let gauge = in_jobs.clone();
        async move {
            let _inside = gauge.enter();
            sleep(ms(100)).await;
        }
    });
    let start = Instant::now();
    for job in 0..8 {
        within(pool.submit(job))
            .await
            .expect("the pool takes the job");
    }
    let report = within(pool.shutdown()).await;
    assert_eq!(
        report,
        PoolReport {
            completed: 8,
            panicked: 0
        },
        "all eight jobs should have run to the end"
    );
    assert_eq!(
        gauge.high(),
        4,
        "four workers should run four jobs at once, never more (1 means the \
         workers took turns: is the queue's lock held while a job runs?)"
    );
    assert_eq!(
        start.elapsed(),
        ms(200),
        "eight 100 ms jobs on four workers take two rounds: 200 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn submit_waits_while_the_queue_is_full() {
    // One worker, room for two jobs in the queue, 100 ms per job.
    let pool = WorkerPool::new(nz(1), nz(2), |_job: u32| sleep(ms(100)));
    let start = Instant::now();
    let mut returned_at = Vec::new();
    for job in 1..=5 {
        within(pool.submit(job))
            .await
            .expect("the pool takes the job");
        returned_at.push(start.elapsed());
    }
    assert_eq!(
        returned_at,
        [ms(0), ms(0), ms(0), ms(100), ms(200)],
        "jobs 1 and 2 fill the queue; job 3 gets in as soon as the worker \
         takes job 1; jobs 4 and 5 each wait for the worker to take the next"
    );
    let report = within(pool.shutdown()).await;
    assert_eq!(report.completed, 5, "every submitted job should run");
    assert_eq!(start.elapsed(), ms(500), "five 100 ms jobs on one worker");
}

#[tokio::test(start_paused = true)]
async fn try_submit_hands_the_job_back_when_the_queue_is_full() {
    let pool = WorkerPool::new(nz(1), nz(1), |_job: &'static str| sleep(ms(100)));
    pool.try_submit("first").expect("an empty queue has room");
    // Let the worker take "first" and start its 100 ms.
    sleep(ms(10)).await;
    pool.try_submit("second")
        .expect("the worker took the first job");
    let refused = pool
        .try_submit("third")
        .expect_err("the worker is busy and the queue of one is full");
    assert_eq!(
        refused,
        SubmitError::Full("third"),
        "a refused job comes back to the caller"
    );
    assert_eq!(refused.to_string(), "the queue is full");
    assert_eq!(
        SubmitError::Closed(()).to_string(),
        "the pool has no workers left"
    );
    // At 100 ms the worker takes "second", which frees the queue.
    sleep(ms(100)).await;
    pool.try_submit("third")
        .expect("the worker took the second job, so the queue has room");
    let report = within(pool.shutdown()).await;
    assert_eq!(report.completed, 3, "the three accepted jobs should run");
}

#[tokio::test(start_paused = true)]
async fn shutdown_runs_every_queued_job_before_returning() {
    let done = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&done);
    let pool = WorkerPool::new(nz(2), nz(10), move |job: u32| {
        let done = Arc::clone(&record);
        async move {
            sleep(ms(50)).await;
            done.lock().unwrap().push(job);
        }
    });
    let start = Instant::now();
    for job in 0..10 {
        within(pool.submit(job))
            .await
            .expect("the pool takes the job");
    }
    // All ten are queued and none has finished when shutdown is called.
    let report = within(pool.shutdown()).await;
    let mut done = done.lock().unwrap().clone();
    done.sort_unstable();
    assert_eq!(
        done,
        (0..10).collect::<Vec<_>>(),
        "shutdown should run every queued job, not drop them"
    );
    assert_eq!(
        report,
        PoolReport {
            completed: 10,
            panicked: 0
        }
    );
    assert_eq!(
        start.elapsed(),
        ms(250),
        "ten 50 ms jobs on two workers: shutdown returns when the last is done"
    );
}

#[tokio::test(start_paused = true)]
async fn shutdown_of_an_idle_pool_returns_at_once() {
    let pool = WorkerPool::new(nz(3), nz(4), |_job: u32| async {});
    let start = Instant::now();
    let report = within(pool.shutdown()).await;
    assert_eq!(report, PoolReport::default(), "no jobs, nothing to report");
    assert_eq!(
        start.elapsed(),
        ms(0),
        "idle workers should end as soon as the queue is closed"
    );
}

#[tokio::test(start_paused = true)]
async fn a_panicking_job_does_not_stop_its_worker() {
    let done = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&done);
    // One worker: if the panic took it down, nobody would run jobs 3 to 5.
    let pool = WorkerPool::new(nz(1), nz(8), move |job: u32| {
        let done = Arc::clone(&record);
        async move {
            sleep(ms(10)).await;
            if job == 2 {
                panic!("job 2 is cursed");
            }
            done.lock().unwrap().push(job);
        }
    });
    for job in 1..=5 {
        within(pool.submit(job))
            .await
            .expect("the worker should still be there");
    }
    let report = within(pool.shutdown()).await;
    assert_eq!(
        report,
        PoolReport {
            completed: 4,
            panicked: 1
        },
        "the panic is counted, and the worker goes on to the next job"
    );
    assert_eq!(
        *done.lock().unwrap(),
        [1, 3, 4, 5],
        "the jobs after the panicking one should still run"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_multi_thread_runtime_every_job_runs_exactly_once() {
    // No timing here: this test is for ThreadSanitizer and for jobs lost or
    // run twice when workers on different threads share the queue.
    let runs: Arc<Vec<AtomicUsize>> =
        Arc::new((0..1000).map(|_| AtomicUsize::new(0)).collect());
    let count = Arc::clone(&runs);
    let pool = WorkerPool::new(nz(4), nz(4), move |job: usize| {
        let runs = Arc::clone(&count);
        async move {
            runs[job].fetch_add(1, Ordering::Relaxed);
            tokio::task::yield_now().await;
        }
    });
    for job in 0..1000 {
        pool.submit(job).await.expect("the pool takes the job");
    }
    let report = pool.shutdown().await;
    assert_eq!(report.completed, 1000, "every job should complete");
    for (job, runs) in runs.iter().enumerate() {
        assert_eq!(
            runs.load(Ordering::Relaxed),
            1,
            "job {job} should run exactly once"
        );
    }
}
