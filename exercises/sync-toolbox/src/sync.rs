//! The lock and condition variable the wait group uses: std's normally,
//! loom's under `--cfg loom`.
//!
//! loom can only explore interleavings of operations it can see, so the code
//! a model runs must use loom's types; this module is the one place that
//! chooses. (The rejected alternative, `#[cfg(loom)]` at every use, scatters
//! the choice and makes it easy to miss one.) Only the wait group, the
//! hand-synchronised core of the lesson, is modelled; the pool and the
//! registry use std's types directly and are tested with std threads.
//!
//! `Arc` is std's even under loom. When a model finds a deadlock, loom
//! panics and unwinds the threads it left blocked; a loom `Arc` dropped
//! during that unwinding panics again and aborts the whole test binary
//! (tokio-rs/loom#291), so the report would be a crash instead of a
//! failing model. The reference count is not what the models check.

#[cfg(loom)]
pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::sync::{Condvar, Mutex, MutexGuard};

pub(crate) use std::sync::Arc;
