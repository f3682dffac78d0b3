//! The lock, condition variable and `Arc` the wait group uses: std's
//! normally, loom's under `--cfg loom`.
//!
//! loom can only explore interleavings of operations it can see, so the code
//! a model runs must use loom's types; this module is the one place that
//! chooses. (The rejected alternative, `#[cfg(loom)]` at every use, scatters
//! the choice and makes it easy to miss one.) Only the wait group, the
//! hand-synchronised core of the lesson, is modelled; the pool and the
//! registry use std's types directly and are tested with std threads.

#[cfg(loom)]
pub(crate) use loom::sync::{Arc, Condvar, Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::sync::{Arc, Condvar, Mutex, MutexGuard};
