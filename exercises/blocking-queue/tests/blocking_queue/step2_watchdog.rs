//! Step 2: `Watchdog` (src/watchdog.rs), on tokio's paused clock.
//!
//! `start_paused = true` freezes tokio's clock: `Instant::now()` moves only
//! when the test calls `advance`, or when every task is waiting on a timer,
//! in which case the runtime jumps straight to the next timer (auto-advance).
//! So the tests can stand one millisecond before the deadline, then exactly
//! on it, and no test sleeps for real.

use std::future::Future;

use blocking_queue::{Expired, watchdog};
use tokio::time::{Instant, advance, sleep, timeout};

use crate::ms;

/// Polls `future` once: `Some(output)` if it is ready now, `None` if it
/// would wait. Nothing else runs and no time passes in between.
async fn right_now<F: Future>(future: F) -> Option<F::Output> {
    tokio::select! {
        // `biased`: try the future first, so "ready" wins over "give up".
        biased;
        output = future => Some(output),
        () = std::future::ready(()) => None,
    }
}

#[tokio::test(start_paused = true)]
async fn it_has_not_fired_one_millisecond_before_the_timeout() {
    let (_heart, dog) = watchdog(ms(100));
    assert_eq!(dog.timeout(), ms(100), "timeout() is the one given");
    advance(ms(99)).await;
    assert!(
        !dog.is_expired(),
        "99 ms of silence is less than the 100 ms timeout"
    );
    assert_eq!(
        right_now(dog.expired()).await,
        None,
        "expired() is still waiting at 99 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn it_fires_exactly_at_the_timeout() {
    let start = Instant::now();
    let (_heart, dog) = watchdog(ms(100));
    advance(ms(99)).await;
    assert!(!dog.is_expired(), "not at 99 ms");
    advance(ms(1)).await;
    assert!(dog.is_expired(), "100 ms of silence is a whole timeout");
    assert_eq!(
        right_now(dog.expired()).await,
        Some(Expired {
            last_beat: start,
            silent_for: ms(100),
        }),
        "expired() is ready at 100 ms and reports silence since creation"
    );
}

#[tokio::test(start_paused = true)]
async fn each_beat_pushes_the_deadline_back() {
    let start = Instant::now();
    let (heart, dog) = watchdog(ms(100));
    assert_eq!(
        dog.deadline(),
        start + ms(100),
        "first deadline: creation + timeout"
    );
    advance(ms(60)).await;
    heart.beat();
    assert_eq!(
        dog.last_beat(),
        start + ms(60),
        "the beat is recorded at t = 60 ms"
    );
    assert_eq!(
        dog.deadline(),
        start + ms(160),
        "the deadline moves to beat + timeout"
    );
    advance(ms(99)).await;
    assert!(!dog.is_expired(), "t = 159 ms: only 99 ms since the beat");
    advance(ms(1)).await;
    assert_eq!(
        right_now(dog.expired()).await,
        Some(Expired {
            last_beat: start + ms(60),
            silent_for: ms(100),
        }),
        "t = 160 ms: a whole timeout since the beat at 60 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn on_an_idle_runtime_the_clock_jumps_straight_to_the_deadline() {
    let real_start = std::time::Instant::now();
    let start = Instant::now();
    let (_heart, dog) = watchdog(ms(30_000));
    // Nothing else can run, so the paused runtime advances its clock to the
    // watchdog's timer at once: a 30 s timeout costs no real time.
    let fired = dog.expired().await;
    assert_eq!(
        start.elapsed(),
        ms(30_000),
        "tokio's clock moved exactly to the deadline"
    );
    assert_eq!(
        fired.silent_for,
        ms(30_000),
        "and the watchdog saw 30 s of silence"
    );
    assert!(
        real_start.elapsed() < ms(5_000),
        "no real waiting: the paused clock auto-advanced (took {:?})",
        real_start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn a_beat_while_it_waits_postpones_it() {
    let start = Instant::now();
    let (heart, dog) = watchdog(ms(100));
    let worker = tokio::spawn(async move {
        sleep(ms(50)).await;
        heart.beat(); // t = 50 ms
        sleep(ms(70)).await;
        heart.beat(); // t = 120 ms, then silence
    });
    let fired = dog.expired().await;
    assert_eq!(
        start.elapsed(),
        ms(220),
        "the last beat was at 120 ms, so the watchdog fires at 120 + 100 ms"
    );
    assert_eq!(fired.last_beat, start + ms(120), "it reports the last beat");
    assert_eq!(
        fired.silent_for,
        ms(100),
        "and exactly one timeout of silence"
    );
    worker.await.expect("the worker did not panic");
}

#[tokio::test(start_paused = true)]
async fn a_steady_heartbeat_keeps_it_quiet() {
    let start = Instant::now();
    let (heart, dog) = watchdog(ms(100));
    let worker = tokio::spawn(async move {
        for _ in 0..20 {
            sleep(ms(50)).await;
            heart.beat();
        }
        // t = 1000 ms: the worker stops beating (and drops its handle).
    });
    assert!(
        timeout(ms(990), dog.expired()).await.is_err(),
        "a beat every 50 ms never leaves 100 ms of silence"
    );
    worker.await.expect("the worker did not panic");
    assert_eq!(start.elapsed(), ms(1_000), "the worker beat for 1 s");
    let fired = dog.expired().await;
    assert_eq!(
        start.elapsed(),
        ms(1_100),
        "the watchdog fires 100 ms after the last beat"
    );
    assert_eq!(
        fired.last_beat,
        start + ms(1_000),
        "the last beat was at 1 s"
    );
}

#[tokio::test(start_paused = true)]
async fn a_late_caller_is_told_at_once_how_long_the_silence_lasted() {
    let start = Instant::now();
    let (_heart, dog) = watchdog(ms(100));
    advance(ms(350)).await;
    assert_eq!(
        right_now(dog.expired()).await,
        Some(Expired {
            last_beat: start,
            silent_for: ms(350),
        }),
        "expired() returns at once when the deadline is long past"
    );
}
