//! Step 1: the quota and the refill arithmetic, as pure functions of time.
//!
//! A token bucket holds at most `burst` tokens, gains one every `interval`,
//! and each request takes one. The obvious state is two numbers, "tokens"
//! and "last refill time", and a refill step that adds the tokens earned
//! since. This module keeps one number instead: `full_at`, the instant at
//! which the bucket will be full again. Everything else follows from it:
//!
//! - tokens now = `burst - (full_at - now) / interval`, or `burst` when
//!   `full_at` is in the past (an idle bucket does not overfill: the
//!   saturation is a `max`, not a refill loop);
//! - taking a token moves `full_at` one `interval` later, starting from
//!   `max(full_at, now)`;
//! - a take is refused when that would put `full_at` more than
//!   `burst * interval` after now.
//!
//! This is the generic cell rate algorithm (GCRA) that ATM networks used and
//! that the `governor` crate implements; `full_at` is its "theoretical
//! arrival time" of the next request plus one interval. One number fits one
//! `AtomicU64`, which is what Step 2 needs.

use std::num::NonZeroU32;
use std::time::Duration;

/// How fast tokens come back (one per `interval`) and how many the bucket
/// holds (`burst`). Built by [`Quota::new`] or [`Quota::per_second`], which
/// check that `interval * burst` fits the bucket's nanosecond arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quota {
    interval: Duration,
    burst: u32,
    // `interval * burst`: how far ahead of now `full_at` may go. Computed
    // once, because every take compares against it.
    capacity: Duration,
}

/// Why a [`Quota`] could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuotaError {
    /// A token every zero seconds is no limit at all.
    #[error("the refill interval must be greater than zero")]
    ZeroInterval,
    /// `interval * burst` does not fit in `u64` nanoseconds (about 584
    /// years), the bucket's state.
    #[error("interval {interval:?} times burst {burst} is longer than u64 nanoseconds")]
    TooLong {
        /// The interval that was asked for.
        interval: Duration,
        /// The burst that was asked for.
        burst: u32,
    },
}

/// A request was refused: no whole token is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("rate limited: retry after {retry_after:?}")]
pub struct RateLimited {
    /// How long until the next token is due. A request made exactly this
    /// much later succeeds, unless someone else takes the token first.
    pub retry_after: Duration,
}

impl Quota {
    /// One token every `interval`, at most `burst` saved up.
    ///
    /// # Errors
    ///
    /// [`QuotaError::ZeroInterval`] for a zero interval, and
    /// [`QuotaError::TooLong`] if `interval * burst` is more than `u64::MAX`
    /// nanoseconds.
    pub fn new(interval: Duration, burst: NonZeroU32) -> Result<Self, QuotaError> {
        // TODO: refuse a zero interval (QuotaError::ZeroInterval). Compute the
        // capacity, interval * burst, with `Duration::checked_mul`, and refuse
        // it (QuotaError::TooLong) if that fails or if its `as_nanos()` is
        // above u64::MAX: the bucket keeps its state in u64 nanoseconds.
        todo!("Quota::new: validate, and compute the capacity once")
    }

    /// `rate` tokens per second, and a burst of `rate`: a client idle for a
    /// second may spend the whole second's allowance at once.
    ///
    /// The interval is rounded *up* to the nanosecond (3 per second is one
    /// every 333,333,334 ns), so the bucket never grants more than it was
    /// asked to. (`governor` rounds down, by the same nanosecond.)
    pub fn per_second(rate: NonZeroU32) -> Self {
        // TODO: one token every 1s / rate, rounded up to the nanosecond
        // (`u64::div_ceil`), and a burst of `rate`. Quota::new cannot fail
        // here: say why in the `expect`.
        todo!("Quota::per_second: the interval rounded up, a burst of one second")
    }

    /// The same refill interval with a different burst.
    ///
    /// # Errors
    ///
    /// [`QuotaError::TooLong`] if `interval * burst` no longer fits.
    pub fn with_burst(self, burst: NonZeroU32) -> Result<Self, QuotaError> {
        todo!("Quota::with_burst: a new quota with the same interval")
    }

    /// The time it takes to earn one token.
    pub fn interval(&self) -> Duration {
        todo!("Quota::interval")
    }

    /// The most tokens the bucket holds.
    pub fn burst(&self) -> u32 {
        todo!("Quota::burst")
    }

    /// The whole tokens in a bucket that is full at `full_at`, at time `now`
    /// (both measured from the clock's start). Never more than the burst.
    pub fn tokens_at(&self, full_at: Duration, now: Duration) -> u32 {
        // TODO: what the bucket still owes is `full_at - now`, or nothing if
        // `full_at` has passed; the tokens are (capacity - owed) / interval,
        // in whole tokens. `Duration - Duration` panics below zero: use
        // `saturating_sub`.
        todo!("Quota::tokens_at: capacity minus what is owed, in whole tokens")
    }

    /// Takes one token at time `now` from a bucket that is full at
    /// `full_at`: the bucket's new `full_at`.
    ///
    /// # Errors
    ///
    /// [`RateLimited`], with the wait until the next token is due, if no
    /// whole token is left.
    pub fn take(
        &self,
        full_at: Duration,
        now: Duration,
    ) -> Result<Duration, RateLimited> {
        // TODO: count from max(full_at, now) (a bucket full since the past
        // earned nothing more), add one interval (`saturating_add`: this
        // takes any Duration), and grant if the result is at most `capacity`
        // after now. Otherwise the wait is however far past the capacity it
        // would be.
        todo!("Quota::take: the new full_at, or how long until a token is due")
    }
}

/// A `Duration` as u64 nanoseconds, saturating: the bucket's unit of state.
pub(crate) fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}
