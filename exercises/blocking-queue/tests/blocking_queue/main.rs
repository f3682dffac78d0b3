//! Tests for the `blocking-queue` exercise, one module per step:
//! `step1_queue` (`BlockingQueue`, src/queue.rs) and `step2_watchdog`
//! (`Watchdog`, src/watchdog.rs). Run them with
//! `cargo test -p blocking-queue`; one step only with
//! `cargo test -p blocking-queue step1`.
//!
//! The loom models are in `tests/loom.rs`; this binary is for normal builds
//! only (std threads would trip over loom's types outside a model).
#![cfg(not(loom))]

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

mod step1_queue;
mod step2_watchdog;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Runs `body` on a thread of its own and returns what it returns, or fails
/// the test if it is still running after 10 s. A queue test that blocks
/// forever (a lost wake-up) then fails with a message instead of hanging the
/// whole run. A correct queue finishes every test in milliseconds: the limit
/// is a safety net, never a timing the test relies on.
fn within_10s<R: Send + 'static>(
    what: &str,
    body: impl FnOnce() -> R + Send + 'static,
) -> R {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        // If `body` panics, `done` is dropped unsent and we see Disconnected.
        let _ = done.send(body());
    });
    match finished.recv_timeout(Duration::from_secs(10)) {
        Ok(value) => value,
        Err(RecvTimeoutError::Timeout) => {
            panic!("{what}: still blocked after 10 s (a lost wake-up?)")
        }
        Err(RecvTimeoutError::Disconnected) => {
            panic!("{what}: the test body panicked (its message is above)")
        }
    }
}
