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
    pub(crate) full_at: AtomicU64,
    clock: C,
}

impl<C: Clock> TokenBucket<C> {
    /// A full bucket that reads the time from `clock`.
    pub fn with_clock(quota: Quota, clock: C) -> Self {
        Self {
            quota,
            full_at: AtomicU64::new(0),
            clock,
        }
    }

    /// Takes one token now, without waiting.
    ///
    /// # Errors
    ///
    /// [`RateLimited`] with the time until the next token is due.
    pub fn try_acquire(&self) -> Result<(), RateLimited> {
        #[cfg(feature = "broken")]
        return crate::broken::try_acquire(self);
        #[cfg(not(feature = "broken"))]
        self.try_acquire_cas()
    }

    #[cfg_attr(feature = "broken", allow(dead_code))]
    fn try_acquire_cas(&self) -> Result<(), RateLimited> {
        // Read the clock once, before the loop. If we lose a race and go
        // round again, this `now` is a little stale, and a stale `now` only
        // makes the bucket stricter (it has earned less by then), never
        // looser. Reading it inside the loop would be correct too, but costs
        // a clock read per retry.
        let now = self.clock.now();
        let mut current = self.full_at.load(Ordering::Relaxed);
        loop {
            // `?`: a refusal writes nothing, so there is nothing to undo.
            let next = self.quota.take(Duration::from_nanos(current), now)?;
            // Check and act in one step: the new `full_at` is stored only if
            // nobody moved it since we read it. The rejected alternative,
            // `load` then `store` (src/broken.rs), lets two callers both
            // take the last token, and loses one of the two updates.
            //
            // Relaxed, unlike Day 64's gate: the gate's Acquire/Release hands
            // the previous holder's writes to the next one, but a rate
            // limiter protects no data. Its promise is about this one
            // atomic's modification order, which every ordering agrees on.
            match self.full_at.compare_exchange_weak(
                current,
                nanos(next),
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Ok(()),
                Err(actual) => current = actual,
            }
        }
    }

    /// Whole tokens left now (a snapshot: another caller may take one as
    /// soon as it is read).
    pub fn available(&self) -> u32 {
        let full_at = Duration::from_nanos(self.full_at.load(Ordering::Relaxed));
        self.quota.tokens_at(full_at, self.clock.now())
    }

    /// The bucket's quota.
    pub fn quota(&self) -> Quota {
        self.quota
    }

    /// The clock the bucket reads.
    pub fn clock(&self) -> &C {
        &self.clock
    }
}
