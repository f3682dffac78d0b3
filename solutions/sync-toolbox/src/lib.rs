//! # Day 66: the sync toolbox (reference solution)
//!
//! Three pieces of shared state that backend code keeps needing, each built
//! from what `std::sync` gives:
//!
//! - [`WaitGroup`]: wait for a set of workers, from a `Mutex<usize>` and a
//!   `Condvar`. Each worker holds a [`Done`] guard whose drop counts it out,
//!   so a worker that panics is still counted.
//! - [`Pool`]: an object pool that creates items on demand up to a maximum;
//!   [`Pool::try_get`] never blocks, [`Pool::get_timeout`] waits on a
//!   `Condvar` with a deadline, and a [`PoolGuard`] puts its item back when
//!   dropped (or drops it, if its holder panicked).
//! - [`Registry`]: a read-mostly map behind an `RwLock`, each value in a
//!   `OnceLock` so it is built once however many threads ask at the same
//!   moment, and updates that leave the old value in place if they panic,
//!   which is what makes recovering from a poisoned lock safe.
//!
//! # Layout
//!
//! - `wait_group.rs` (step 1), `pool.rs` (step 2), `registry.rs` (step 3);
//!   `lib.rs` re-exports.
//! - `sync.rs`: std's `Mutex`, `Condvar` and `Arc` for the wait group, or
//!   loom's under `--cfg loom`.
//! - `broken.rs` (only with `--features broken`): a wait group that wakes
//!   one waiter instead of all, kept so the loom model can be shown failing
//!   on it.
//!
//! The tests are the exercise's: `tests/sync_toolbox/` (std threads, one
//! file per step) and `tests/loom.rs` (loom models of the wait group, under
//! `RUSTFLAGS="--cfg loom"`).

#[cfg(feature = "broken")]
mod broken;
mod pool;
mod registry;
mod sync;
mod wait_group;

pub use pool::{Pool, PoolError, PoolGuard, Status};
pub use registry::Registry;
pub use wait_group::{Done, WaitGroup, WaitTimedOut};
