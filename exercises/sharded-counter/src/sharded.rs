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
/// In a slice of `Padded<AtomicU64>`, each atomic must start a new line, so
/// that two threads writing neighbouring shards never write the same line.
// TODO: as written, a `Padded<AtomicU64>` is 8 bytes and eight of them
// share a line. Add the attribute that raises the type's alignment to 64
// (a type's size is always a multiple of its alignment, so its size follows).
#[derive(Debug, Default)]
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

/// This thread's ticket: a number drawn from a global counter the first
/// time the thread asks, then the same number for the thread's whole life.
///
/// Threads that start one after another get consecutive tickets, so they
/// land on different shards, round-robin.
pub fn thread_ticket() -> usize {
    // TODO: a `thread_local!` static whose initialiser draws the next
    // ticket from NEXT_TICKET (one `fetch_add`; which ordering is enough
    // when the tickets only need to be distinct?), read with `.with(...)`.
    todo!("thread_ticket: draw once per thread, then keep it")
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
    /// a single AND, rather than `ticket % shards`, a division.
    ///
    /// # Errors
    ///
    /// [`ShardsError::Zero`] for 0, [`ShardsError::NotPowerOfTwo`] for 3, 6...
    pub fn new(shards: usize) -> Result<Self, ShardsError> {
        // TODO: refuse 0 and non-powers of two (`usize::is_power_of_two`),
        // then collect `shards` padded zeroes into the boxed slice.
        todo!("ShardedCounter::new: validate, then build the shards")
    }

    /// How many shards the counter has.
    pub fn shards(&self) -> usize {
        todo!("ShardedCounter::shards")
    }

    /// The shard this thread writes to: its ticket, masked.
    fn mine(&self) -> &AtomicU64 {
        // TODO: index the shards with the ticket masked by `len - 1`.
        todo!("ShardedCounter::mine: pick this thread's shard")
    }

    /// Adds `n` to this thread's shard.
    pub fn add(&self, n: u64) {
        // TODO: one `fetch_add` on this thread's shard. Does anything else
        // need to become visible along with the count?
        todo!("ShardedCounter::add")
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
        // TODO: load every shard and add them up with `u64::wrapping_add`
        // (a plain `+` or `.sum()` panics on overflow in a debug build).
        todo!("ShardedCounter::sum")
    }

    /// Each shard's value, in shard order (as racy as [`ShardedCounter::sum`]).
    pub fn shard_values(&self) -> Vec<u64> {
        todo!("ShardedCounter::shard_values: load each shard")
    }
}
