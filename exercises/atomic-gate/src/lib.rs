//! # Day 64: atomics and compare-and-swap (exercise)
//!
//! A [`Gate`] lets at most `limit` callers in at once, without a lock and
//! without waiting: [`Gate::try_enter`] either hands out a [`Pass`] or says
//! why not, straight away. It is the non-blocking core of a concurrency
//! limit, and it can be closed for a graceful shutdown: no new entries,
//! holders finish.
//!
//! Its whole state is one `AtomicU64`: the low 32 bits count the passes in
//! flight and bit 63 says the gate is closed, so one compare-and-swap can
//! check both and act on both.
//!
//! # Layout
//!
//! - `lib.rs`: the gate, its pass and its error. Yours to finish.
//! - `sync.rs`: std's atomics, or loom's under `--cfg loom` (done).
//!
//! The tests are in `tests/gate.rs` (`cargo test -p atomic-gate`) and
//! `tests/loom.rs` (`LOOM_MAX_PREEMPTIONS=3 RUSTFLAGS="--cfg loom" cargo test
//! -p atomic-gate --release --test loom`). `cargo workbook hint atomic-gate`
//! gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports)]

use std::num::NonZeroU32;

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
    /// An open gate for at most `limit` passes at once.
    pub fn new(limit: NonZeroU32) -> Self {
        // TODO: an open gate (state 0) with this limit.
        todo!("Gate::new")
    }

    /// Enters the gate if it is open and not full, without waiting.
    ///
    /// # Errors
    ///
    /// [`Refused::Closed`] after [`Gate::close`]; [`Refused::Full`] while
    /// `limit` passes are in flight.
    pub fn try_enter(&self) -> Result<Pass<'_>, Refused> {
        // TODO: a compare-and-swap retry loop. Read the state; refuse if the
        // CLOSED bit is set or the count (state & COUNT) has reached the
        // limit; else `compare_exchange_weak(current, current + 1, ...)`.
        // On Err(actual), go round again with `actual`. Which orderings do
        // the success and the failure need? (The lesson explains.)
        todo!("Gate::try_enter: the CAS loop")
    }

    /// Closes the gate: every later [`Gate::try_enter`] is refused; passes
    /// already out stay valid until dropped.
    pub fn close(&self) {
        // TODO: set the CLOSED bit in one atomic step.
        todo!("Gate::close")
    }

    /// Whether [`Gate::close`] was called.
    pub fn is_closed(&self) -> bool {
        todo!("Gate::is_closed")
    }

    /// Passes in flight now (a snapshot: it may change as soon as it is read).
    pub fn in_flight(&self) -> u32 {
        todo!("Gate::in_flight: the low 32 bits")
    }

    /// The most passes in flight at once.
    pub fn limit(&self) -> u32 {
        todo!("Gate::limit")
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        // TODO: one fewer in flight, with an ordering that publishes what
        // this holder did to the next one.
        todo!("Pass::drop")
    }
}
