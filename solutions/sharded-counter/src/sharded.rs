//! Step 1: a counter split into cache-line-sized shards.

use std::ops::Deref;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// The cache line size this crate pads to: 64 bytes on x86-64 and on most
/// ARM cores. crossbeam's `CachePadded` pads to 128 on x86-64 and aarch64,
/// because recent Intel cores prefetch lines in pairs and Apple's M-series
/// cores have 128-byte lines; 64 keeps the lesson's arithmetic simple.
pub const CACHE_LINE: usize = 64;

/// A value alone on its cache line.
///
/// `#[repr(align(64))]` makes the type's alignment 64, and since a type's
/// size is always a multiple of its alignment, its size is at least 64 too:
/// in a slice of `Padded<AtomicU64>`, each atomic starts a new line, so two
/// threads writing neighbouring shards never write the same line.
///
/// The rejected alternative, `Box<[AtomicU64]>`, packs eight counters into
/// one line. Each thread then writes "its own" counter, and the cores still
/// pass the line back and forth on every write, exactly as if they shared
/// one counter: that is false sharing. The benchmark measures it.
#[derive(Debug, Default)]
#[repr(align(64))]
pub struct Padded<T>(T);

impl<T> Padded<T> {
    /// Wraps `value` so that it starts, and fills, its own cache line.
    pub const fn new(value: T) -> Self {
        Self(value)
    }
}

impl<T> Deref for Padded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Why [`ShardedCounter::new`] refused a shard count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ShardsError {
    /// A counter with no shard could not count anything.
    #[error("a sharded counter needs at least one shard")]
    Zero,
    /// The count is not 1, 2, 4, 8...
    #[error("{0} shards is not a power of two")]
    NotPowerOfTwo(usize),
}

/// The next ticket to hand to a thread that touches a sharded counter for
/// the first time.
static NEXT_TICKET: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// This thread's ticket, drawn once, on first use.
    static TICKET: usize = NEXT_TICKET.fetch_add(1, Ordering::Relaxed);
}

/// This thread's ticket: a number drawn from a global counter the first
/// time the thread asks, then the same number for the thread's whole life.
///
/// Threads that start one after another get consecutive tickets, so they
/// land on different shards, round-robin. Relaxed is enough: the tickets
/// only need to be distinct, and `fetch_add` guarantees that whatever the
/// ordering.
///
/// The rejected alternatives: hashing `std::thread::current().id()` gives
/// no guarantee that two threads differ modulo the shard count; a random
/// shard per call costs a random draw per increment and makes one thread
/// hop between lines, dragging each one to its core in turn.
pub fn thread_ticket() -> usize {
    TICKET.with(|ticket| *ticket)
}

/// A counter for many writers and rare readers: one atomic per shard, each
/// on its own cache line, and each thread adding to "its" shard.
///
/// Writers on different shards never touch the same cache line, so
/// increments scale with the cores. The price is paid by the reader:
/// [`ShardedCounter::sum`] visits every shard.
#[derive(Debug)]
pub struct ShardedCounter {
    shards: Box<[Padded<AtomicU64>]>,
}

impl ShardedCounter {
    /// A counter with `shards` shards, all at zero.
    ///
    /// A power of two, so that picking a shard is `ticket & (shards - 1)`,
    /// a single AND, rather than `ticket % shards`, a division that costs
    /// tens of cycles on every increment.
    ///
    /// # Errors
    ///
    /// [`ShardsError::Zero`] for 0, [`ShardsError::NotPowerOfTwo`] for 3, 6...
    pub fn new(shards: usize) -> Result<Self, ShardsError> {
        if shards == 0 {
            return Err(ShardsError::Zero);
        }
        if !shards.is_power_of_two() {
            return Err(ShardsError::NotPowerOfTwo(shards));
        }
        let shards = (0..shards)
            .map(|_| Padded::new(AtomicU64::new(0)))
            .collect();
        Ok(Self { shards })
    }

    /// How many shards the counter has.
    pub fn shards(&self) -> usize {
        self.shards.len()
    }

    /// The shard this thread writes to: its ticket, masked.
    fn mine(&self) -> &AtomicU64 {
        &self.shards[thread_ticket() & (self.shards.len() - 1)]
    }

    /// Adds `n` to this thread's shard.
    pub fn add(&self, n: u64) {
        // Relaxed: the count is the only thing published, no other memory
        // is read on the strength of it, and `fetch_add` never loses an
        // increment whatever the ordering. A stronger ordering would buy
        // nothing here (on x86 it compiles to the same `lock xadd`).
        self.mine().fetch_add(n, Ordering::Relaxed);
    }

    /// Adds one to this thread's shard.
    pub fn increment(&self) {
        self.add(1);
    }

    /// The sum of the shards.
    ///
    /// This is **not a linearizable snapshot**: the shards are read one
    /// after another while writers carry on, so the result may include an
    /// increment made after an earlier shard was read and miss one made
    /// before, so no moment ever held the value it returns. It does include
    /// every add that happens-before the call, which makes it exact once the
    /// writers have been joined: the join is that happens-before edge. For a
    /// metric scraped every few seconds that is fine; for "is the budget
    /// used up?" it is not, and a single atomic is.
    ///
    /// `fetch_add` wraps on overflow, so the sum wraps too: it is the total
    /// modulo 2^64, the same as a single `AtomicU64` would hold.
    pub fn sum(&self) -> u64 {
        self.shards
            .iter()
            .map(|shard| shard.load(Ordering::Relaxed))
            .fold(0, u64::wrapping_add)
    }

    /// Each shard's value, in shard order (as racy as [`ShardedCounter::sum`]).
    pub fn shard_values(&self) -> Vec<u64> {
        self.shards
            .iter()
            .map(|shard| shard.load(Ordering::Relaxed))
            .collect()
    }
}
