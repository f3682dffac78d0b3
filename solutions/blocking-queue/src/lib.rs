//! # Day 78: deterministic concurrent tests (reference solution)
//!
//! Two pieces of concurrent code, each built so that its tests can be
//! exact rather than lucky:
//!
//! - [`BlockingQueue`]: a bounded multi-producer, multi-consumer queue for
//!   threads, made of a `Mutex<VecDeque<T>>` and two `Condvar`s. `push`
//!   waits while it is full, `pop` waits while it is empty, and `close`
//!   wakes everyone: `pop` drains what is left, then says `None`; `push`
//!   hands its item back in a [`Closed`] error. Checked by loom models
//!   (every interleaving of a small scenario) and ThreadSanitizer.
//! - [`Watchdog`]: an async heartbeat monitor that reports [`Expired`] once
//!   its [`Heartbeat`] has been silent for a whole timeout. Its tests run on
//!   tokio's paused clock: `advance` to one millisecond before the deadline,
//!   then to the deadline itself, and never sleep for real.
//!
//! # Layout
//!
//! - `queue.rs` (step 1): the blocking queue and its errors.
//! - `watchdog.rs` (step 2): the heartbeat monitor. Left out under
//!   `--cfg loom`, because tokio does not build there.
//! - `sync.rs`: std's `Mutex` and `Condvar`, or loom's under `--cfg loom`.
//! - `broken.rs` (only with `--features broken`): a `close` that wakes one
//!   waiter instead of all, kept so the loom model can be shown failing.
//!
//! The tests are the exercise's: `tests/blocking_queue/` (std threads and a
//! paused tokio clock) and `tests/loom.rs` (loom models, under
//! `RUSTFLAGS="--cfg loom"`).

#[cfg(feature = "broken")]
mod broken;
mod queue;
mod sync;
#[cfg(not(loom))]
mod watchdog;

pub use queue::{BlockingQueue, Closed, PopTimeoutError};
#[cfg(not(loom))]
pub use watchdog::{Expired, Heartbeat, Watchdog, watchdog};
