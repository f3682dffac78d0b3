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
        if interval.is_zero() {
            return Err(QuotaError::ZeroInterval);
        }
        let too_long = QuotaError::TooLong {
            interval,
            burst: burst.get(),
        };
        // The bucket stores instants as u64 nanoseconds, so the capacity must
        // fit there too; checking it once here is what lets the hot path
        // use plain arithmetic without a way to overflow.
        let capacity = interval
            .checked_mul(burst.get())
            .filter(|capacity| capacity.as_nanos() <= u128::from(u64::MAX))
            .ok_or(too_long)?;
        Ok(Self {
            interval,
            burst: burst.get(),
            capacity,
        })
    }

    /// `rate` tokens per second, and a burst of `rate`: a client idle for a
    /// second may spend the whole second's allowance at once.
    ///
    /// The interval is rounded *up* to the nanosecond (3 per second is one
    /// every 333,333,334 ns), so the bucket never grants more than it was
    /// asked to. (`governor` rounds down, by the same nanosecond.)
    pub fn per_second(rate: NonZeroU32) -> Self {
        let interval = 1_000_000_000u64.div_ceil(u64::from(rate.get()));
        Self::new(Duration::from_nanos(interval), rate)
            .expect("a second's worth of tokens always fits in u64 nanoseconds")
    }

    /// The same refill interval with a different burst.
    ///
    /// # Errors
    ///
    /// [`QuotaError::TooLong`] if `interval * burst` no longer fits.
    pub fn with_burst(self, burst: NonZeroU32) -> Result<Self, QuotaError> {
        Self::new(self.interval, burst)
    }

    /// The time it takes to earn one token.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// The most tokens the bucket holds.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The whole tokens in a bucket that is full at `full_at`, at time `now`
    /// (both measured from the clock's start). Never more than the burst.
    pub fn tokens_at(&self, full_at: Duration, now: Duration) -> u32 {
        // What the bucket still owes: zero once `full_at` has passed, which
        // is all the saturation there is. `saturating_sub`, because
        // `Duration - Duration` panics when the result would be negative.
        let owed = full_at.saturating_sub(now);
        let left = self.capacity.saturating_sub(owed);
        // left <= capacity = interval * burst, so this fits in a u32.
        (left.as_nanos() / self.interval.as_nanos()) as u32
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
        // A bucket full since the past counts from now: the tokens it
        // "earned" while full were never stored.
        let start = full_at.max(now);
        // Saturating adds: `Duration + Duration` panics on overflow, and
        // this function takes any Duration. From the bucket's u64
        // nanoseconds, it cannot saturate.
        let next = start.saturating_add(self.interval);
        let ahead = next - now; // next > start >= now
        if ahead <= self.capacity {
            Ok(next)
        } else {
            Err(RateLimited {
                retry_after: ahead - self.capacity,
            })
        }
    }
}

/// A `Duration` as u64 nanoseconds, saturating: the bucket's unit of state.
pub(crate) fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}
