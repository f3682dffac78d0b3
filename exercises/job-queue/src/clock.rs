//! The clock leases are measured against, injected so tests move it by hand.
//!
//! A lease is a deadline in milliseconds since the Unix epoch, stamped by
//! the client and compared by the reaper. Reading the time through a trait
//! lets a test expire a 30-second lease in no time at all, where a test that
//! sleeps would take 30 s (or use a lease so short that a slow CI machine
//! expires it by accident). tokio's paused clock is no help here: it only
//! governs tokio's own timers, not what the queue writes into Redis, and
//! auto-advancing it next to real socket I/O fires redis-rs's response
//! timeouts at once.
//!
//! Why the client's clock and not Redis's `TIME` inside the scripts? `TIME`
//! would make every worker agree on one clock, but a test could no longer
//! move it. The price of the client clock is skew: a worker whose clock runs
//! 5 s fast stamps leases that last 5 s longer. Keep hosts on NTP and leases
//! far longer than any plausible skew (asynq subtracts 30 s of slack before
//! it declares a lease expired).

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of wall-clock time in milliseconds since the Unix epoch.
pub trait Clock: fmt::Debug + Send + Sync + 'static {
    /// Now, in milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
}

/// The real clock: [`SystemTime::now`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        // A clock set before 1970 reads as 0 rather than panicking.
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as u64)
    }
}

/// A clock that moves only when told to. Clones share the same time, so a
/// test keeps one clone and hands another to the queue.
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    now_ms: Arc<AtomicU64>,
}

impl ManualClock {
    /// A clock reading `start_ms`.
    pub fn new(start_ms: u64) -> Self {
        Self {
            now_ms: Arc::new(AtomicU64::new(start_ms)),
        }
    }

    /// Move the clock forward by `by` (whole milliseconds).
    pub fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.now_ms.fetch_add(by, Ordering::Relaxed);
    }

    /// Set the clock to `now_ms`.
    pub fn set(&self, now_ms: u64) {
        self.now_ms.store(now_ms, Ordering::Relaxed);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> u64 {
        // Relaxed is enough: the value is a single number that publishes no
        // other data, and every reader only needs some recent value of it.
        self.now_ms.load(Ordering::Relaxed)
    }
}
