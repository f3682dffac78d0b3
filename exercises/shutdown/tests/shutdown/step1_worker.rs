//! Step 1: `run_worker` stops between jobs, never inside one
//! (src/worker.rs).

use std::time::Duration;

use shutdown::{Job, StopReason, WorkerReport, run_worker};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;

use crate::ms;

fn job(id: u32, cost_ms: u64) -> Job {
    Job {
        id,
        cost: ms(cost_ms),
    }
}

/// A queue already holding `jobs`. Keep the sender alive while the queue
/// should stay open; drop it to close the queue.
fn queue_of(jobs: &[Job]) -> (mpsc::Sender<Job>, mpsc::Receiver<Job>) {
    let (sender, receiver) = mpsc::channel(16);
    for job in jobs {
        sender.try_send(*job).expect("the queue has room");
    }
    (sender, receiver)
}

/// Cancels `token` after `delay`; run it beside the worker with `join!`.
async fn cancel_after(token: &CancellationToken, delay: Duration) {
    sleep(delay).await;
    token.cancel();
}

#[tokio::test(start_paused = true)]
async fn the_worker_processes_every_job_until_the_queue_closes() {
    let (sender, mut jobs) = queue_of(&[job(1, 100), job(2, 50), job(3, 25)]);
    drop(sender);
    let token = CancellationToken::new();
    let start = Instant::now();
    let report = run_worker(&mut jobs, &token).await;
    assert_eq!(
        report,
        WorkerReport {
            done: vec![1, 2, 3],
            stopped: StopReason::SourceClosed,
        },
        "with no cancel, the worker takes every job, in order, then sees the queue close"
    );
    assert_eq!(
        start.elapsed(),
        ms(175),
        "one job after another: 100 + 50 + 25 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn a_cancel_while_idle_stops_the_worker_at_once() {
    let (_sender, mut jobs) = queue_of(&[]);
    let token = CancellationToken::new();
    let start = Instant::now();
    let (report, ()) =
        tokio::join!(run_worker(&mut jobs, &token), cancel_after(&token, ms(50)));
    assert_eq!(
        report,
        WorkerReport {
            done: vec![],
            stopped: StopReason::Cancelled,
        },
        "an idle worker waits for a job *or* the cancel, whichever comes first"
    );
    assert_eq!(
        start.elapsed(),
        ms(50),
        "the worker should return the moment the token is cancelled"
    );
}

#[tokio::test(start_paused = true)]
async fn a_cancel_mid_job_lets_the_job_in_hand_finish() {
    let (_sender, mut jobs) = queue_of(&[job(1, 100)]);
    let token = CancellationToken::new();
    let start = Instant::now();
    let (report, ()) =
        tokio::join!(run_worker(&mut jobs, &token), cancel_after(&token, ms(30)));
    assert_eq!(
        report,
        WorkerReport {
            done: vec![1],
            stopped: StopReason::Cancelled,
        },
        "job 1 was taken before the cancel: it must be finished, not dropped halfway \
         (race only the wait for a job against the token, not the processing)"
    );
    assert_eq!(
        start.elapsed(),
        ms(100),
        "the worker returns when job 1 is done, 70 ms after the cancel"
    );
}

#[tokio::test(start_paused = true)]
async fn jobs_not_yet_taken_stay_in_the_queue() {
    let (_sender, mut jobs) =
        queue_of(&[job(1, 100), job(2, 100), job(3, 100), job(4, 100)]);
    let token = CancellationToken::new();
    let start = Instant::now();
    let (report, ()) =
        tokio::join!(run_worker(&mut jobs, &token), cancel_after(&token, ms(150)));
    assert_eq!(
        report.done,
        [1, 2],
        "cancelled during job 2: jobs 1 and 2 are done, and no more is taken"
    );
    assert_eq!(start.elapsed(), ms(200), "job 2 ends at 200 ms");
    let left: Vec<u32> = std::iter::from_fn(|| jobs.try_recv().ok())
        .map(|job| job.id)
        .collect();
    assert_eq!(
        left,
        [3, 4],
        "a `recv()` that loses the race to `cancelled()` takes nothing: \
         jobs 3 and 4 must still be in the queue"
    );
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_worker_takes_no_new_job_even_if_one_is_waiting() {
    // `select!` picks at random among branches that are ready together, so
    // one round could pass by luck. Sixteen rounds cannot: a worker without
    // `biased;` (or an equivalent check) fails this test.
    for round in 0..16 {
        let (_sender, mut jobs) = queue_of(&[job(1, 10), job(2, 10)]);
        let token = CancellationToken::new();
        token.cancel();
        let report = run_worker(&mut jobs, &token).await;
        assert_eq!(
            report,
            WorkerReport {
                done: vec![],
                stopped: StopReason::Cancelled,
            },
            "round {round}: the token was cancelled before the worker started, so it \
             must take no job even though two are waiting (poll the token first)"
        );
        assert_eq!(jobs.len(), 2, "round {round}: both jobs stay queued");
    }
}
