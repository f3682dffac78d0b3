//! The injected clock: where the bucket learns what time it is.
//!
//! A rate limiter is arithmetic on time, so a test that reads the real clock
//! can only assert "roughly": it sleeps, hopes the machine was not busy, and
//! flakes on a loaded CI runner. Asking a [`Clock`] instead lets a test set
//! the time to the nanosecond ([`ManualClock`]), and lets async code share
//! tokio's clock ([`TokioClock`]), which tokio's test runtime can pause.

use std::time::{Duration, Instant};

use crate::sync::{Arc, AtomicU64, Ordering};

/// A monotonic clock, read as the time elapsed since the clock's own start.
///
/// Why a `Duration` since an epoch and not an `Instant`? The bucket keeps
/// its state in one `AtomicU64` of nanoseconds, and an `Instant` cannot be
/// turned into a number; a `Duration` can. Each clock picks its epoch.
pub trait Clock {
    /// The time elapsed since this clock's start. It never goes backwards.
    fn now(&self) -> Duration;
}

/// A clock that moves only when told to: time in tests, to the nanosecond.
///
/// Clones share the same time, so a test keeps one handle and gives the
/// bucket another.
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    // Nanoseconds since the start. The crate's `sync` atomics, so that a
    // loom model can move the clock from one thread while another reads it.
    nanos: Arc<AtomicU64>,
}

impl ManualClock {
    /// A clock at time zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward by `by` (saturating at `u64::MAX` nanoseconds,
    /// about 584 years).
    pub fn advance(&self, by: Duration) {
        let by = crate::quota::nanos(by);
        // SeqCst: this is a test fixture, its cost does not matter, and
        // tests are easiest to reason about in one global order.
        let _ = self
            .nanos
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |now| {
                Some(now.saturating_add(by))
            });
    }

    /// Sets the clock to `to`. Setting it backwards is allowed, to test
    /// that the bucket copes, but no real monotonic clock does that.
    pub fn set(&self, to: Duration) {
        self.nanos.store(crate::quota::nanos(to), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::SeqCst))
    }
}

/// The operating system's monotonic clock (`std::time::Instant`), for
/// limiters used from plain threads.
#[derive(Debug, Clone, Copy)]
pub struct MonotonicClock {
    start: Instant,
}

impl MonotonicClock {
    /// A clock whose time zero is now.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
        }
    }
}

impl Default for MonotonicClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for MonotonicClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }
}

/// tokio's clock (`tokio::time::Instant`): real time normally, and paused
/// time under `#[tokio::test(start_paused = true)]`, so the same
/// `tokio::time::sleep` that `acquire` waits with moves it.
#[cfg(not(loom))]
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    start: tokio::time::Instant,
}

#[cfg(not(loom))]
impl TokioClock {
    /// A clock whose time zero is now, in tokio's time.
    pub fn new() -> Self {
        Self {
            start: tokio::time::Instant::now(),
        }
    }
}

#[cfg(not(loom))]
impl Default for TokioClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(not(loom))]
impl Clock for TokioClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }
}

// A shared clock is still a clock: `TokenBucket<&ManualClock>` or
// `TokenBucket<Arc<C>>` read the same time as the handle the caller keeps.
impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> Duration {
        (**self).now()
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> Duration {
        (**self).now()
    }
}
