//! # Day 75: rate limiting (exercise)
//!
//! A client that may send 10 requests a second, 4 at a time, needs two
//! limits. This crate builds both around a token bucket that is lock-free,
//! reads an injected clock, and is checked by loom:
//!
//! - the quota and the refill arithmetic as pure functions of time, with no
//!   way to overflow and an idle bucket that stops at its burst
//!   (`quota.rs`);
//! - the shared bucket: its whole state, the instant it is full again, in
//!   one `AtomicU64`, taken from by a compare-and-swap loop that answers at
//!   once with a typed [`RateLimited`] (`bucket.rs`);
//! - an async [`TokenBucket::acquire`] that sleeps on tokio's clock until a
//!   token is due, so paused-clock tests are exact (`acquire.rs`);
//! - a [`Throttle`]: a semaphore for jobs in flight and a bucket for starts
//!   per second, two separate dials (`throttle.rs`).
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them; `lib.rs` only
//! re-exports, so every item is used as `token_bucket::Item`. `clock.rs`
//! (the [`Clock`] trait and three clocks) and `sync.rs` (std's atomics, or
//! loom's under `--cfg loom`) are done. The async half (`acquire.rs`,
//! `throttle.rs`, [`TokioClock`]) is left out under `--cfg loom`, because
//! tokio does not build there and the model does not need it.
//!
//! The tests are in `tests/token_bucket/`, one file per step
//! (`cargo test -p token-bucket`), and `tests/loom.rs` (`LOOM_MAX_PREEMPTIONS=3
//! RUSTFLAGS="--cfg loom" cargo test -p token-bucket --release --test loom`).
//! Every `todo!()` is yours to replace; the `// TODO` above it says what to
//! do. `cargo workbook hint token-bucket` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

#[cfg(not(loom))]
mod acquire;
mod bucket;
mod clock;
mod quota;
mod sync;
#[cfg(not(loom))]
mod throttle;

pub use bucket::TokenBucket;
#[cfg(not(loom))]
pub use clock::TokioClock;
pub use clock::{Clock, ManualClock, MonotonicClock};
pub use quota::{Quota, QuotaError, RateLimited};
#[cfg(not(loom))]
pub use throttle::{Admitted, Throttle};
