//! The lock and condition variable the queue uses: std's normally, loom's
//! under `--cfg loom`.
//!
//! loom can only explore interleavings of operations it can see, so while a
//! model runs the queue must lock, wait and notify through loom's types; this
//! module is the one place that chooses. (The rejected alternative,
//! `#[cfg(loom)]` at every use, scatters the choice and makes it easy to miss
//! one.)

#[cfg(loom)]
pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::sync::{Condvar, Mutex, MutexGuard};
