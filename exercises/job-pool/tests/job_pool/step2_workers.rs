//! Step 2: `run_job` and `worker` (src/workers.rs).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use job_pool::{Deliveries, Delivery, Drain, JobError, Outcome, Tally, run_job, worker};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;

use crate::{
    How, Leases, Ledger, Pool, Work, alive_tasks, delivery, ids, jobs, ms, nacked,
    perform, settled, within,
};

/// A channel already holding `deliveries`, its sender dropped: a worker
/// reading it ends once they are taken.
fn ended_channel(deliveries: Vec<Delivery<Work>>) -> Deliveries<Work> {
    let (sender, receiver) = mpsc::channel(deliveries.len().max(1));
    for delivery in deliveries {
        sender.try_send(delivery).expect("the channel has room");
    }
    Deliveries::new(receiver)
}

/// Runs one job with no drain in sight.
async fn run_alone(work: Work, job_timeout: Duration) -> Outcome {
    let handler = Arc::new(perform);
    let abandon = CancellationToken::new();
    within(run_job(&handler, delivery(1, work), job_timeout, &abandon)).await
}

#[tokio::test(start_paused = true)]
async fn a_job_that_returns_ok_succeeds() {
    let start = Instant::now();
    let outcome = run_alone(Work::Succeed(ms(300)), ms(1000)).await;
    assert!(
        matches!(outcome, Outcome::Succeeded),
        "expected Succeeded, got {outcome:?}"
    );
    assert_eq!(
        start.elapsed(),
        ms(300),
        "run_job returns when the job ends"
    );
}

#[tokio::test(start_paused = true)]
async fn a_job_that_returns_an_error_fails_with_it() {
    let outcome = run_alone(Work::Fail(ms(50)), ms(1000)).await;
    let Outcome::Failed(error) = outcome else {
        panic!("expected Failed, got {outcome:?}");
    };
    assert_eq!(
        error.to_string(),
        "card declined",
        "the handler's own error"
    );
}

#[tokio::test(start_paused = true)]
async fn a_panicking_handler_is_an_outcome_not_a_crash() {
    let outcome = run_alone(Work::Panic, ms(1000)).await;
    assert!(
        matches!(&outcome, Outcome::Panicked(message) if message == "boom"),
        "`panic!(\"boom\")` carries a &'static str: expected Panicked(\"boom\"), \
         got {outcome:?}"
    );

    let formatted = Arc::new(|delivery: Delivery<Work>| async move {
        panic!("declined {} times", delivery.attempt + 2)
    });
    let abandon = CancellationToken::new();
    let outcome = run_job(&formatted, delivery(2, Work::Panic), ms(1000), &abandon).await;
    assert!(
        matches!(&outcome, Outcome::Panicked(message) if message == "declined 3 times"),
        "a formatted panic carries a String: expected Panicked(\"declined 3 times\"), \
         got {outcome:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_handler_that_panics_before_its_first_await_is_caught_too() {
    // This handler panics when *called*, before it returns a future: call it
    // inside the spawned task, not before spawning.
    let eager = Arc::new(|delivery: Delivery<Work>| {
        assert!(delivery.attempt > 1, "bad payload in {}", delivery.id);
        std::future::ready(Ok::<(), JobError>(()))
    });
    let abandon = CancellationToken::new();
    let outcome = run_job(&eager, delivery(7, Work::Panic), ms(1000), &abandon).await;
    assert!(
        matches!(&outcome, Outcome::Panicked(m) if m == "bad payload in job-07"),
        "expected Panicked(\"bad payload in job-07\"), got {outcome:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_job_past_its_timeout_times_out_at_exactly_the_timeout() {
    let start = Instant::now();
    let outcome = run_alone(Work::Succeed(ms(10_000)), ms(2000)).await;
    assert!(
        matches!(outcome, Outcome::TimedOut(after) if after == ms(2000)),
        "expected TimedOut(2s), got {outcome:?}"
    );
    assert_eq!(start.elapsed(), ms(2000), "run_job gives up at the timeout");
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_job_is_aborted_not_left_running() {
    let pool = Pool::default();
    let finished = Arc::new(AtomicBool::new(false));
    let handler = {
        let (pool, finished) = (pool.clone(), Arc::clone(&finished));
        Arc::new(move |_delivery: Delivery<Work>| {
            let (pool, finished) = (pool.clone(), Arc::clone(&finished));
            async move {
                let _connection = pool.connect();
                sleep(ms(5000)).await;
                finished.store(true, Ordering::SeqCst);
                Ok(())
            }
        })
    };
    let abandon = CancellationToken::new();
    let outcome = within(run_job(
        &handler,
        delivery(1, Work::Panic),
        ms(300),
        &abandon,
    ))
    .await;
    assert!(
        matches!(outcome, Outcome::TimedOut(_)),
        "expected TimedOut, got {outcome:?}"
    );
    assert_eq!(
        pool.open(),
        0,
        "the job's task is gone by the time run_job returns: abort it and await it \
         (dropping a JoinHandle does not stop the task)"
    );
    assert_eq!(alive_tasks(), 0, "no task is left running");
    sleep(ms(10_000)).await;
    assert!(
        !finished.load(Ordering::SeqCst),
        "a timed-out job must never go on to finish in the background"
    );
}

#[tokio::test(start_paused = true)]
async fn abandon_aborts_the_job_in_hand_at_once() {
    let handler = Arc::new(perform);
    let abandon = CancellationToken::new();
    let canceller = tokio::spawn({
        let abandon = abandon.clone();
        async move {
            sleep(ms(300)).await;
            abandon.cancel();
        }
    });
    let start = Instant::now();
    let outcome = within(run_job(
        &handler,
        delivery(1, Work::Succeed(ms(10_000))),
        ms(60_000),
        &abandon,
    ))
    .await;
    assert!(
        matches!(outcome, Outcome::Abandoned),
        "expected Abandoned, got {outcome:?}"
    );
    assert_eq!(
        start.elapsed(),
        ms(300),
        "abandoned as soon as the token is cancelled"
    );
    canceller.await.expect("the canceller does not panic");
    assert_eq!(alive_tasks(), 0, "the abandoned job's task is gone");
}

#[tokio::test(start_paused = true)]
async fn a_worker_settles_every_outcome_with_the_acker() {
    let leases = Leases::default();
    let ledger = Ledger::new(&leases);
    let deliveries = ended_channel(vec![
        delivery(1, Work::Succeed(ms(100))),
        delivery(2, Work::Fail(ms(100))),
        delivery(3, Work::Panic),
        delivery(4, Work::Succeed(ms(5000))),
    ]);
    let tally = within(worker(
        deliveries,
        Arc::new(perform),
        Arc::new(ledger.clone()),
        ms(1000),
        Drain::default(),
    ))
    .await;
    assert_eq!(
        tally,
        Tally {
            succeeded: 1,
            failed: 1,
            timed_out: 1,
            panicked: 1,
            abandoned: Vec::new(),
        },
        "one job of each outcome"
    );
    assert_eq!(
        ledger.entries(),
        [
            settled(100, 1, How::Acked),
            settled(200, 2, nacked("handler failed: card declined")),
            settled(200, 3, nacked("handler panicked: boom")),
            settled(1200, 4, nacked("timed out after 1s")),
        ],
        "ack on success, nack with the reason otherwise, one job after the other"
    );
}

#[tokio::test(start_paused = true)]
async fn a_panic_costs_one_job_not_the_worker() {
    let leases = Leases::default();
    let ledger = Ledger::new(&leases);
    let deliveries = ended_channel(vec![
        delivery(1, Work::Panic),
        delivery(2, Work::Succeed(ms(10))),
        delivery(3, Work::Panic),
        delivery(4, Work::Succeed(ms(10))),
    ]);
    let tally = within(worker(
        deliveries,
        Arc::new(perform),
        Arc::new(ledger.clone()),
        ms(1000),
        Drain::default(),
    ))
    .await;
    assert_eq!(tally.panicked, 2);
    assert_eq!(
        tally.succeeded, 2,
        "the same worker goes on after each panic and runs the jobs behind it"
    );
    assert_eq!(ledger.settled_ids(), ids(1..=4), "every job was settled");
}

#[tokio::test(start_paused = true)]
async fn workers_share_one_channel_and_run_jobs_side_by_side() {
    let leases = Leases::default();
    let ledger = Arc::new(Ledger::new(&leases));
    let deliveries = ended_channel(jobs(1, 6, Work::Succeed(ms(100))));
    let handler = Arc::new(perform);
    let start = Instant::now();
    let mut workers = JoinSet::new();
    for _ in 0..3 {
        workers.spawn(worker(
            deliveries.clone(),
            Arc::clone(&handler),
            Arc::clone(&ledger),
            ms(1000),
            Drain::default(),
        ));
    }
    let tallies = within(workers.join_all()).await;
    let succeeded: usize = tallies.iter().map(|tally| tally.succeeded).sum();
    assert_eq!(succeeded, 6, "every job ran once");
    assert_eq!(
        start.elapsed(),
        ms(200),
        "6 jobs of 100 ms on 3 workers take 200 ms: each worker's job runs while \
         the others run theirs"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stopped_worker_takes_no_new_delivery() {
    // Sixteen rounds, as a ready delivery and a cancelled token race.
    for _ in 0..16 {
        let leases = Leases::default();
        let ledger = Ledger::new(&leases);
        let deliveries = ended_channel(jobs(1, 2, Work::Succeed(ms(10))));
        let drain = Drain::default();
        drain.stop.cancel();
        let tally = within(worker(
            deliveries.clone(),
            Arc::new(perform),
            Arc::new(ledger.clone()),
            ms(1000),
            drain,
        ))
        .await;
        assert_eq!(tally, Tally::default(), "a stopped worker runs nothing");
        assert_eq!(
            deliveries.close_and_take().await.len(),
            2,
            "both deliveries are still buffered, to be released"
        );
        assert!(ledger.entries().is_empty(), "and nothing was settled");
    }
}

#[tokio::test(start_paused = true)]
async fn at_the_abandon_signal_a_worker_aborts_its_job_and_settles_nothing() {
    let leases = Leases::default();
    let ledger = Ledger::new(&leases);
    let deliveries = ended_channel(vec![
        delivery(1, Work::Succeed(ms(10_000))),
        delivery(2, Work::Succeed(ms(10))),
    ]);
    let drain = Drain::default();
    let signals = drain.clone();
    tokio::spawn(async move {
        sleep(ms(100)).await;
        signals.stop.cancel();
        sleep(ms(400)).await;
        signals.abandon.cancel();
    });
    let start = Instant::now();
    let tally = within(worker(
        deliveries.clone(),
        Arc::new(perform),
        Arc::new(ledger.clone()),
        ms(60_000),
        drain,
    ))
    .await;
    assert_eq!(
        start.elapsed(),
        ms(500),
        "the worker returns at the abandon signal"
    );
    assert_eq!(tally.abandoned, ids([1]), "job-01 was abandoned");
    assert!(
        ledger.entries().is_empty(),
        "an abandoned job is neither acked nor nacked: its lease will expire"
    );
    let left: Vec<_> = deliveries.close_and_take().await;
    assert_eq!(
        left.into_iter().map(|d| d.id).collect::<Vec<_>>(),
        ids([2]),
        "job-02 was never started"
    );
}
