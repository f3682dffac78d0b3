//! # Day 66: the sync toolbox (exercise)
//!
//! Three pieces of shared state that backend code keeps needing, each built
//! from what `std::sync` gives:
//!
//! - [`WaitGroup`] (step 1): wait for a set of workers, from a
//!   `Mutex<usize>` and a `Condvar`. Each worker holds a [`Done`] guard whose
//!   drop counts it out, so a worker that panics is still counted.
//! - [`Pool`] (step 2): an object pool that creates items on demand up to a
//!   maximum; [`Pool::try_get`] never blocks, [`Pool::get_timeout`] waits on
//!   a `Condvar` with a deadline, and a [`PoolGuard`] puts its item back
//!   when dropped (or drops it, if its holder panicked).
//! - [`Registry`] (step 3): a read-mostly map behind an `RwLock`, each value
//!   in a `OnceLock` so it is built once however many threads ask at the
//!   same moment, and updates that leave the old value in place if they
//!   panic, which is what makes recovering from a poisoned lock safe.
//!
//! # Layout
//!
//! - `wait_group.rs` (step 1), `pool.rs` (step 2), `registry.rs` (step 3):
//!   yours to finish. `lib.rs` re-exports.
//! - `sync.rs`: std's `Mutex`, `Condvar` and `Arc` for the wait group, or
//!   loom's under `--cfg loom` (done).
//!
//! The tests are in `tests/sync_toolbox/`, one file per step
//! (`cargo test -p sync-toolbox`; one step with
//! `cargo test -p sync-toolbox step1`), and `tests/loom.rs` models the wait
//! group (`LOOM_MAX_PREEMPTIONS=3 RUSTFLAGS="--cfg loom" cargo test
//! -p sync-toolbox --release --test loom`). `cargo workbook hint
//! sync-toolbox` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod pool;
mod registry;
mod sync;
mod wait_group;

pub use pool::{Pool, PoolError, PoolGuard, Status};
pub use registry::Registry;
pub use wait_group::{Done, WaitGroup, WaitTimedOut};
