//! # Day 78: deterministic concurrent tests (exercise)
//!
//! Two pieces of concurrent code, each built so that its tests can be
//! exact rather than lucky:
//!
//! - [`BlockingQueue`] (step 1): a bounded multi-producer, multi-consumer
//!   queue for threads, made of a `Mutex<VecDeque<T>>` and two `Condvar`s.
//!   `push` waits while it is full, `pop` waits while it is empty, and
//!   `close` wakes everyone: `pop` drains what is left, then says `None`;
//!   `push` hands its item back in a [`Closed`] error. `pop_timeout` gives
//!   up after a while.
//! - [`Watchdog`] (step 2): an async heartbeat monitor that reports
//!   [`Expired`] once its [`Heartbeat`] has been silent for a whole timeout,
//!   tested on tokio's paused clock.
//!
//! # Layout
//!
//! - `queue.rs` (step 1): the blocking queue. Yours to finish.
//! - `watchdog.rs` (step 2): the heartbeat monitor. Yours to finish. Left
//!   out under `--cfg loom`, because tokio does not build there.
//! - `sync.rs`: std's `Mutex` and `Condvar`, or loom's under `--cfg loom`
//!   (done).
//!
//! The tests are in `tests/blocking_queue/`, one file per step
//! (`cargo test -p blocking-queue`), and the loom models in `tests/loom.rs`
//! (`LOOM_MAX_PREEMPTIONS=3 RUSTFLAGS="--cfg loom" cargo test
//! -p blocking-queue --release --test loom`). `cargo workbook hint
//! blocking-queue` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod queue;
mod sync;
#[cfg(not(loom))]
mod watchdog;

pub use queue::{BlockingQueue, Closed, PopTimeoutError};
#[cfg(not(loom))]
pub use watchdog::{Expired, Heartbeat, Watchdog, watchdog};
