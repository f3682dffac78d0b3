//! # Day 75: rate limiting (reference solution)
//!
//! A client that may send 10 requests a second, 4 at a time, needs two
//! limits, and this crate builds both around a token bucket that is
//! lock-free, reads an injected clock, and is checked by loom:
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
//! ```
//! use std::num::NonZeroU32;
//! use std::time::Duration;
//! use token_bucket::{ManualClock, Quota, RateLimited, TokenBucket};
//!
//! let quota = Quota::per_second(NonZeroU32::new(2).unwrap());
//! let clock = ManualClock::new();
//! let bucket = TokenBucket::with_clock(quota, clock.clone());
//! assert!(bucket.try_acquire().is_ok());
//! assert!(bucket.try_acquire().is_ok());
//! let refused = bucket.try_acquire().unwrap_err();
//! assert_eq!(refused, RateLimited { retry_after: Duration::from_millis(500) });
//! clock.advance(refused.retry_after);
//! assert!(bucket.try_acquire().is_ok());
//! ```
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them; `lib.rs` only
//! re-exports. `clock.rs` holds the [`Clock`] trait and its three clocks,
//! and `sync.rs` picks std's atomics or loom's under `--cfg loom`. The async
//! half (`acquire.rs`, `throttle.rs`, [`TokioClock`]) is left out under
//! `--cfg loom`, because tokio does not build there and the model does not
//! need it. `broken.rs` (only with `--features broken`) is the load-then-store
//! variant that the loom model must catch.
//!
//! The tests are the exercise's (`tests/token_bucket/` and `tests/loom.rs`),
//! and `benches/acquire.rs` times `try_acquire` against the `governor`
//! crate's `check`.

#[cfg(not(loom))]
mod acquire;
#[cfg(feature = "broken")]
mod broken;
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
