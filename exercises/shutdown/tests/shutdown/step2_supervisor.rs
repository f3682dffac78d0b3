//! Step 2: `Supervisor` cancels, waits up to a deadline, aborts the rest,
//! and leaves nothing running (src/supervisor.rs).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use shutdown::{ShutdownReport, Supervisor};
use tokio::sync::oneshot;
use tokio::time::{Instant, sleep};

use crate::{Pool, alive_tasks, ms};

#[tokio::test(start_paused = true)]
async fn shutdown_with_no_tasks_returns_at_once() {
    let supervisor: Supervisor<&str> = Supervisor::new();
    let report = supervisor.shutdown(ms(500)).await;
    assert_eq!(
        report,
        ShutdownReport {
            finished: vec![],
            aborted: vec![],
            panicked: vec![],
            elapsed: Duration::ZERO,
        },
        "with nothing to wait for, the shutdown must not wait for the grace period"
    );
}

#[tokio::test(start_paused = true)]
async fn cooperative_tasks_finish_when_asked_and_the_shutdown_waits_for_them() {
    let mut supervisor = Supervisor::new();
    let flushed = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&flushed);
    supervisor.spawn("flusher", |token| async move {
        token.cancelled().await;
        sleep(ms(20)).await; // writes its buffer out before it returns
        flag.store(true, Ordering::SeqCst);
    });
    supervisor.spawn("reader", |token| async move {
        token.cancelled().await;
    });
    sleep(ms(100)).await;
    let report = supervisor.shutdown(ms(1_000)).await;
    assert_eq!(
        report.finished,
        ["flusher", "reader"],
        "both tasks return once their token is cancelled (listed in spawn order)"
    );
    assert!(report.is_clean(), "nothing aborted, nothing panicked");
    assert_eq!(
        report.elapsed,
        ms(20),
        "the shutdown lasts as long as the slowest task's cleanup, not the grace period"
    );
    assert!(
        flushed.load(Ordering::SeqCst),
        "the flusher's cleanup ran to the end"
    );
}

#[tokio::test(start_paused = true)]
async fn a_task_that_ignores_cancel_is_aborted_at_the_deadline() {
    let mut supervisor = Supervisor::new();
    supervisor.spawn("polite", |token| async move {
        token.cancelled().await;
    });
    supervisor.spawn("stubborn", |_token| async move {
        sleep(Duration::from_secs(3_600)).await;
    });
    let start = Instant::now();
    let report = supervisor.shutdown(ms(500)).await;
    assert_eq!(
        start.elapsed(),
        ms(500),
        "the shutdown ends exactly at its deadline, not an hour later"
    );
    assert_eq!(
        report,
        ShutdownReport {
            finished: vec!["polite"],
            aborted: vec!["stubborn"],
            panicked: vec![],
            elapsed: ms(500),
        },
        "the task that ignored its token is aborted at the deadline and reported"
    );
    assert!(!report.is_clean(), "an abort is not a clean shutdown");
}

#[tokio::test(start_paused = true)]
async fn no_task_outlives_shutdown() {
    let pool = Pool::default();
    let mut supervisor = Supervisor::new();
    for name in ["a", "b", "c"] {
        let connection = pool.connect();
        supervisor.spawn(name, move |token| async move {
            let _held = connection;
            if name == "c" {
                // c ignores its token and holds its connection for an hour.
                sleep(Duration::from_secs(3_600)).await;
            } else {
                token.cancelled().await;
            }
        });
    }
    sleep(ms(10)).await;
    assert_eq!(
        alive_tasks(),
        3,
        "three tasks are running before the shutdown"
    );
    let report = supervisor.shutdown(ms(100)).await;
    assert_eq!(report.aborted, ["c"], "c ignored its token");
    assert_eq!(
        alive_tasks(),
        0,
        "no task may still be alive when `shutdown` returns: `abort` only schedules \
         the cancellation, so wait for the aborted tasks to be dropped"
    );
    assert_eq!(
        pool.open(),
        0,
        "every connection a task held is closed by the time `shutdown` returns"
    );
}

#[tokio::test(start_paused = true)]
async fn each_task_gets_its_own_child_token() {
    let start = Instant::now();
    let (seen_sender, seen) = oneshot::channel();
    let mut supervisor = Supervisor::new();
    supervisor.spawn("quitter", |token| async move {
        // Stops its own work early: that must not stop anyone else.
        token.cancel();
    });
    supervisor.spawn("watcher", move |token| async move {
        token.cancelled().await;
        let _ = seen_sender.send(start.elapsed());
    });
    sleep(ms(100)).await;
    let report = supervisor.shutdown(ms(50)).await;
    assert_eq!(
        seen.await,
        Ok(ms(100)),
        "the watcher's token is cancelled by the shutdown at 100 ms, not by its \
         sibling at 0 ms: give each task `child_token()`, not a clone"
    );
    assert_eq!(report.finished, ["quitter", "watcher"]);
}

#[tokio::test(start_paused = true)]
async fn a_panicking_task_is_reported_as_panicked() {
    let mut supervisor = Supervisor::new();
    supervisor.spawn("faulty", |_token| async move {
        panic!("the faulty task fails on purpose");
    });
    supervisor.spawn("steady", |token| async move {
        token.cancelled().await;
    });
    sleep(ms(10)).await;
    let report = supervisor.shutdown(ms(100)).await;
    assert_eq!(
        report,
        ShutdownReport {
            finished: vec!["steady"],
            aborted: vec![],
            panicked: vec!["faulty"],
            elapsed: Duration::ZERO,
        },
        "a panic is neither a finish nor an abort: report it as such"
    );
}

#[tokio::test(start_paused = true)]
async fn in_flight_counts_the_tasks_still_running() {
    let mut supervisor = Supervisor::new();
    for (name, run) in [("short", 100), ("long", 300)] {
        supervisor.spawn(name, move |_token| async move {
            sleep(ms(run)).await;
        });
    }
    assert_eq!(supervisor.in_flight(), 2, "two tasks just spawned");
    sleep(ms(200)).await;
    assert_eq!(
        supervisor.in_flight(),
        1,
        "at 200 ms the short task has ended"
    );
    let report = supervisor.shutdown(ms(1_000)).await;
    assert_eq!(
        report.finished,
        ["short", "long"],
        "a task that ignores its token but ends within the grace period finished"
    );
    assert_eq!(report.elapsed, ms(100), "the long task ends at 300 ms");
}

#[tokio::test(start_paused = true)]
async fn a_zero_grace_period_aborts_at_once() {
    let mut supervisor = Supervisor::new();
    supervisor.spawn("busy", |_token| async move {
        sleep(ms(50)).await;
    });
    sleep(ms(10)).await;
    let report = supervisor.shutdown(Duration::ZERO).await;
    assert_eq!(
        report.aborted,
        ["busy"],
        "no grace: whatever runs is aborted"
    );
    assert_eq!(report.elapsed, Duration::ZERO, "and at once");
    assert_eq!(alive_tasks(), 0, "the aborted task is gone on return");
}
