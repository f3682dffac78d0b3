//! Step 3: `bounded_map`, a semaphore capping the work in flight
//! (src/bounded.rs).

use std::sync::{Arc, Mutex};

use tokio::time::{Instant, sleep};
use worker_pool::bounded_map;

use crate::{Gauge, ms, nz, within};

#[tokio::test(start_paused = true)]
async fn never_more_than_the_limit_run_at_once() {
    let gauge = Gauge::default();
    let start = Instant::now();
    let results = within(bounded_map(0..10_u64, nz(3), |n| {
        let gauge = gauge.clone();
        async move {
            let _running = gauge.enter();
            sleep(ms(100)).await;
            n * 2
        }
    }))
    .await;
    assert_eq!(
        results,
        (0..10).map(|n| n * 2).collect::<Vec<_>>(),
        "every input's result, in input order"
    );
    assert_eq!(
        gauge.high(),
        3,
        "a limit of 3 means three jobs at once: never more, and not fewer"
    );
    assert_eq!(
        start.elapsed(),
        ms(400),
        "ten 100 ms jobs, three at a time, take four rounds: 400 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn jobs_are_created_only_when_a_slot_is_free() {
    let gauge = Gauge::default();
    let results = within(bounded_map(0..100_u32, nz(3), |n| {
        // Entered when `f` is called, left when the job ends: this counts
        // the jobs that exist, running or not.
        let exists = gauge.enter();
        async move {
            sleep(ms(10)).await;
            drop(exists);
            n
        }
    }))
    .await;
    assert_eq!(results.len(), 100, "every input has a result");
    assert_eq!(
        gauge.high(),
        3,
        "at most 3 jobs should exist at once: call `f` after acquiring a \
         permit, not before (a hundred parked tasks is a queue in memory)"
    );
}

#[tokio::test(start_paused = true)]
async fn results_come_back_in_input_order() {
    // The first input sleeps longest, so the jobs finish in reverse order.
    let results = within(bounded_map(
        vec![30_u64, 20, 10],
        nz(3),
        |delay| async move {
            sleep(ms(delay)).await;
            delay + 1
        },
    ))
    .await;
    assert_eq!(
        results,
        [31, 21, 11],
        "result i belongs to input i, not to the i-th job to finish"
    );
}

#[tokio::test(start_paused = true)]
async fn a_limit_of_one_runs_the_jobs_one_after_another() {
    let start = Instant::now();
    let results = within(bounded_map(["a", "b", "c"], nz(1), |s| async move {
        sleep(ms(100)).await;
        s.to_uppercase()
    }))
    .await;
    assert_eq!(results, ["A", "B", "C"]);
    assert_eq!(start.elapsed(), ms(300), "one at a time: 3 x 100 ms");
}

#[tokio::test(start_paused = true)]
async fn no_inputs_means_no_results_and_no_wait() {
    let start = Instant::now();
    let results: Vec<u8> =
        within(bounded_map(Vec::<u8>::new(), nz(2), |b| async move { b })).await;
    assert!(results.is_empty(), "no inputs, no results");
    assert_eq!(start.elapsed(), ms(0));
}

#[tokio::test(start_paused = true)]
async fn a_panicking_job_gives_its_slot_back() {
    let ran = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&ran);
    // A limit of 1: if the panicking job kept its permit, job 2 would wait
    // for ever.
    let run = tokio::spawn(bounded_map([1_u32, 2, 3], nz(1), move |n| {
        let ran = Arc::clone(&record);
        async move {
            if n == 1 {
                panic!("job 1 is cursed");
            }
            ran.lock().unwrap().push(n);
        }
    }));
    let outcome = within(run).await;
    let error = outcome.expect_err("the job's panic is raised again in bounded_map");
    assert!(
        error.is_panic(),
        "bounded_map should panic, not be cancelled"
    );
    assert!(
        ran.lock().unwrap().contains(&2),
        "job 2 should get the slot that the panicking job 1 gave back"
    );
}
