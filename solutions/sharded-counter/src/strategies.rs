//! Step 2: three ways to count from many threads, behind one trait.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::sharded::ShardedCounter;

/// The shard count [`Strategy::Sharded`] uses: a power of two at least as
/// large as the thread counts the lesson measures (1 to 8), so that threads
/// with consecutive tickets each get a shard of their own.
pub const DEFAULT_SHARDS: usize = 16;

/// A counter that many threads may add to at once.
///
/// `Send + Sync` so that `&dyn Counter` can be handed to scoped threads;
/// `Debug` so that every counter can be printed in a failed assertion.
pub trait Counter: Send + Sync + fmt::Debug {
    /// Adds `n`.
    fn add(&self, n: u64);

    /// The total so far: exact once every adding thread has been joined.
    fn total(&self) -> u64;
}

/// The obvious counter: a `u64` behind a lock.
///
/// Each add locks, adds and unlocks. With one thread that costs two atomic
/// operations; with several, the lock's word ping-pongs between cores and
/// losers spin, then sleep in the kernel, then must be woken.
#[derive(Debug, Default)]
pub struct MutexCounter(Mutex<u64>);

impl Counter for MutexCounter {
    fn add(&self, n: u64) {
        // A poisoned lock only means another thread panicked while adding;
        // the `u64` inside is still a valid count, so carry on with it
        // rather than propagate the panic to every later caller.
        let mut count = self.0.lock().unwrap_or_else(|poison| poison.into_inner());
        *count = count.wrapping_add(n);
    }

    fn total(&self) -> u64 {
        *self.0.lock().unwrap_or_else(|poison| poison.into_inner())
    }
}

/// One shared atomic: no lock, one `fetch_add` per add.
///
/// Lock-free is not contention-free: every add needs the one cache line in
/// exclusive state, so with two cores adding, the line travels between them
/// on almost every operation.
#[derive(Debug, Default)]
pub struct AtomicCounter(AtomicU64);

impl Counter for AtomicCounter {
    fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    fn total(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Counter for ShardedCounter {
    fn add(&self, n: u64) {
        ShardedCounter::add(self, n);
    }

    fn total(&self) -> u64 {
        self.sum()
    }
}

/// Which counter to build: the three strategies the lesson compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// [`MutexCounter`].
    Mutex,
    /// [`AtomicCounter`].
    Atomic,
    /// [`ShardedCounter`] with [`DEFAULT_SHARDS`] shards.
    Sharded,
}

impl Strategy {
    /// Every strategy, from the most contended to the least.
    pub const ALL: [Strategy; 3] = [Strategy::Mutex, Strategy::Atomic, Strategy::Sharded];

    /// A short lowercase name, for tables and benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Mutex => "mutex",
            Strategy::Atomic => "atomic",
            Strategy::Sharded => "sharded",
        }
    }

    /// A fresh counter of this kind, at zero.
    ///
    /// A `Box<dyn Counter>`, not a generic: the measuring code then runs one
    /// copy for all three, and the virtual call adds the same nanosecond or
    /// two to each, which the comparison can live with.
    pub fn counter(self) -> Box<dyn Counter> {
        match self {
            Strategy::Mutex => Box::new(MutexCounter::default()),
            Strategy::Atomic => Box::new(AtomicCounter::default()),
            Strategy::Sharded => Box::new(
                ShardedCounter::new(DEFAULT_SHARDS).expect("16 is a power of two"),
            ),
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}
