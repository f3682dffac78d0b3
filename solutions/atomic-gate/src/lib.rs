//! # Day 64: atomics and compare-and-swap (reference solution)
//!
//! A [`Gate`] lets at most `limit` callers in at once, without a lock and
//! without waiting: [`Gate::try_enter`] either hands out a [`Pass`] or says
//! why not, straight away. It is the non-blocking core of a concurrency
//! limit (tokio's `Semaphore::try_acquire` does the same job), and it can be
//! closed for a graceful shutdown: no new entries, holders finish.
//!
//! Its whole state is one `AtomicU64`: the low 32 bits count the passes in
//! flight and bit 63 says the gate is closed. One word means one
//! compare-and-swap can check both ("open and not full") and act on both
//! ("one more in flight") with no moment in between for another thread.
//!
//! # Layout
//!
//! - `lib.rs`: the gate, its pass and its error.
//! - `sync.rs`: std's atomics, or loom's under `--cfg loom`.
//! - `broken.rs` (only with `--features broken`): the check-then-act
//!   variant, kept so the loom model can be shown failing on it.
//!
//! The tests are the exercise's: `tests/gate.rs` (std threads) and
//! `tests/loom.rs` (loom models, under `RUSTFLAGS="--cfg loom"`).

use std::num::NonZeroU32;

#[cfg(feature = "broken")]
mod broken;
mod sync;

use sync::{AtomicU64, Ordering};

/// Bit 63 of the state: set once the gate is closed.
const CLOSED: u64 = 1 << 63;
/// The low 32 bits of the state: passes in flight.
const COUNT: u64 = u32::MAX as u64;

/// A non-blocking admission gate: at most `limit` passes exist at once.
#[derive(Debug)]
pub struct Gate {
    state: AtomicU64,
    limit: u32,
}

/// Why [`Gate::try_enter`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// `limit` passes are already in flight.
    #[error("gate is full ({limit} in flight)")]
    Full {
        /// The gate's limit.
        limit: u32,
    },
    /// The gate was closed: no new entries.
    #[error("gate is closed")]
    Closed,
}

/// Proof of entry; dropping it lets the next caller in.
#[derive(Debug)]
#[must_use = "dropping the pass at once leaves the gate straight away"]
pub struct Pass<'a> {
    gate: &'a Gate,
}

impl Gate {
    /// An open gate for at most `limit` passes at once. `NonZeroU32`,
    /// because a gate nobody may enter is a bug, and the type says so.
    pub fn new(limit: NonZeroU32) -> Self {
        Self {
            state: AtomicU64::new(0),
            limit: limit.get(),
        }
    }

    /// Enters the gate if it is open and not full, without waiting.
    ///
    /// # Errors
    ///
    /// [`Refused::Closed`] after [`Gate::close`]; [`Refused::Full`] while
    /// `limit` passes are in flight.
    pub fn try_enter(&self) -> Result<Pass<'_>, Refused> {
        #[cfg(feature = "broken")]
        return broken::try_enter(self);
        #[cfg(not(feature = "broken"))]
        self.try_enter_cas()
    }

    #[cfg_attr(feature = "broken", allow(dead_code))]
    fn try_enter_cas(&self) -> Result<Pass<'_>, Refused> {
        // Relaxed is enough for this first read: it is only a guess that
        // the compare-and-swap below confirms or corrects.
        let mut current = self.state.load(Ordering::Relaxed);
        loop {
            if current & CLOSED != 0 {
                return Err(Refused::Closed);
            }
            if current & COUNT >= u64::from(self.limit) {
                return Err(Refused::Full { limit: self.limit });
            }
            // Check and act in one step: the swap happens only if the state
            // is still exactly what we checked. The rejected alternative,
            // `load` then `fetch_add`, lets two threads both see room and
            // both add (see broken.rs, and the loom model that catches it).
            //
            // `_weak` may fail spuriously, which costs one more trip round a
            // loop we need anyway; on LL/SC machines (ARM) it is cheaper.
            //
            // Acquire on success pairs with the Release in `Pass::drop`:
            // whatever the previous holder wrote before leaving is visible
            // to us. A failed swap only re-reads, so Relaxed.
            match self.state.compare_exchange_weak(
                current,
                current + 1,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Ok(Pass { gate: self }),
                Err(actual) => current = actual,
            }
        }
    }

    /// Closes the gate: every later [`Gate::try_enter`] is refused; passes
    /// already out stay valid until dropped.
    pub fn close(&self) {
        // `fetch_or` sets the bit whatever the count is: no loop needed,
        // because nothing here depends on the value we replace.
        self.state.fetch_or(CLOSED, Ordering::AcqRel);
    }

    /// Whether [`Gate::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.state.load(Ordering::Acquire) & CLOSED != 0
    }

    /// Passes in flight now (a snapshot: it may change as soon as it is read).
    pub fn in_flight(&self) -> u32 {
        (self.state.load(Ordering::Acquire) & COUNT) as u32
    }

    /// The most passes in flight at once.
    pub fn limit(&self) -> u32 {
        self.limit
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        // Release: everything this holder did happens-before the next
        // holder's Acquire entry. `fetch_sub` cannot touch the CLOSED bit:
        // the count is at least 1 while this pass exists.
        self.gate.state.fetch_sub(1, Ordering::Release);
    }
}
