//! Step 2: the shared bucket, lock-free: `full_at` in one `AtomicU64`,
//! updated by a compare-and-swap loop.

use std::time::Duration;

use crate::clock::Clock;
use crate::quota::{Quota, RateLimited, nanos};
use crate::sync::{AtomicU64, Ordering};

/// A token bucket shared by every caller that must respect one rate: at
/// most `burst` requests at once after a quiet spell, and one per
/// `interval` after that. Over any window of time `w`, at most
/// `w / interval + burst` calls to [`TokenBucket::try_acquire`] succeed.
///
/// Share it by reference (`&TokenBucket`, or an `Arc`): every method takes
/// `&self`, and none waits or locks.
#[derive(Debug)]
pub struct TokenBucket<C> {
    quota: Quota,
    // When the bucket is full again, in nanoseconds since the clock's start.
    // 0 at the start: full since time zero, so a new bucket is full.
    full_at: AtomicU64,
    clock: C,
}

impl<C: Clock> TokenBucket<C> {
    /// A full bucket that reads the time from `clock`.
    pub fn with_clock(quota: Quota, clock: C) -> Self {
        // TODO: full_at starts at 0: full since the clock's time zero.
        todo!("TokenBucket::with_clock: a full bucket")
    }

    /// Takes one token now, without waiting.
    ///
    /// # Errors
    ///
    /// [`RateLimited`] with the time until the next token is due.
    pub fn try_acquire(&self) -> Result<(), RateLimited> {
        // TODO: read the clock once, then a compare-and-swap loop: load
        // `full_at`, ask `self.quota.take(...)` (return its refusal with `?`),
        // and `compare_exchange_weak(current, new, ..)`. On Err(actual), go
        // round again with `actual`. Which orderings does a rate limiter need,
        // when it protects no other data? (The lesson explains.) `nanos()` in
        // quota.rs turns a Duration back into u64 nanoseconds.
        todo!("TokenBucket::try_acquire: the CAS loop")
    }

    /// Whole tokens left now (a snapshot: another caller may take one as
    /// soon as it is read).
    pub fn available(&self) -> u32 {
        todo!("TokenBucket::available: tokens_at the stored full_at and now")
    }

    /// The bucket's quota.
    pub fn quota(&self) -> Quota {
        todo!("TokenBucket::quota")
    }

    /// The clock the bucket reads.
    pub fn clock(&self) -> &C {
        todo!("TokenBucket::clock")
    }
}
