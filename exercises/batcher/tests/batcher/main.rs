//! Tests for the `batcher` exercise, one module per step: `step1_merge`
//! (`merge`, src/merge.rs), `step2_select` (`merge_two`, src/select.rs),
//! `step3_batcher` (`spawn` and `Batcher::send`, src/batcher.rs) and
//! `step4_flush` (`Batcher::flush`, src/flush.rs). Run them with
//! `cargo test -p batcher`; one step only with `cargo test -p batcher step1`.
//!
//! The async tests run on tokio's paused clock, through [`paused`] rather than
//! `#[tokio::test(start_paused = true)]`, for one reason: a loop that spins
//! (a closed channel's branch left on in `select!`) never lets a paused clock
//! move, so the test would hang instead of failing. [`paused`] fails it after
//! a few seconds of real time instead.

use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

mod step1_merge;
mod step2_select;
mod step3_batcher;
mod step4_flush;

/// `n` milliseconds.
pub(crate) fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// How long, in real time, a test may run before it is declared stuck. The
/// tests take milliseconds; only a wrong solution gets near this.
const WATCHDOG: Duration = Duration::from_secs(5);

/// Runs `test` on a current-thread tokio runtime whose clock starts paused,
/// on a thread of its own, and fails if it has not finished after
/// [`WATCHDOG`] of real time: a loop that spins, or a wait that never ends.
/// A panic in `test` (a failed assertion) fails the calling test with it.
pub(crate) fn paused<F>(test: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let (done, finished) = std::sync::mpsc::channel();
    let runner = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a tokio runtime");
        runtime.block_on(test);
        let _ = done.send(());
    });
    // A std channel as a watchdog: `Timeout` means still running,
    // `Disconnected` means the thread ended without sending, so it panicked.
    match finished.recv_timeout(WATCHDOG) {
        Ok(()) => {}
        Err(RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the runner sends before it returns"),
        },
        Err(RecvTimeoutError::Timeout) => panic!(
            "the test was still running after {WATCHDOG:?} of real time: something \
             waits forever, or a loop spins (a spinning task never lets the paused \
             clock move)"
        ),
    }
}

/// Awaits `future`, failing with `what` if it has not finished within
/// `limit` of (paused, so instant) tokio time.
pub(crate) async fn within<F: Future>(
    limit: Duration,
    what: &str,
    future: F,
) -> F::Output {
    match tokio::time::timeout(limit, future).await {
        Ok(output) => output,
        Err(_) => panic!("{what} (still waiting after {limit:?})"),
    }
}
