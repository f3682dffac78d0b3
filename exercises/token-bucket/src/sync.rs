//! The atomics the bucket and the manual clock use: std's normally, loom's
//! under `--cfg loom`.
//!
//! loom can only explore interleavings of operations it can see, so the
//! code under test must use loom's types while a model runs; this module is
//! the one place that chooses. (The rejected alternative, `#[cfg(loom)]` at
//! every use, scatters the choice and makes it easy to miss one.)

#[cfg(loom)]
pub(crate) use loom::sync::Arc;
#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::Arc;
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicU64, Ordering};
