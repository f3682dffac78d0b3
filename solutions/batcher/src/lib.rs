//! # Day 59: channels (reference solution)
//!
//! Channels carry values from the code that makes them to the code that uses
//! them, and carry one more fact: when there will be no more. This crate builds
//! four pieces on that fact.
//!
//! - [`merge`] joins several `std::sync::mpsc` receivers into one, with a
//!   forwarding thread per input. The merged receiver ends (`recv` returns
//!   `Err(RecvError)`) exactly when every input has ended, because the last
//!   clone of its sender goes away with the last forwarder.
//! - [`merge_two`] does the same for two tokio receivers in one loop, with
//!   `tokio::select!`. A closed input's branch is switched off (Go sets the
//!   channel variable to nil), so it cannot spin the loop.
//! - [`spawn`] starts a batching actor on a bounded tokio channel: items go
//!   out in batches of `max_items`, or after `max_wait` counted from a batch's
//!   first item, and a full input channel makes producers wait.
//! - [`Batcher::flush`] asks the actor for its partial batch and waits for
//!   the answer on a `oneshot` channel; an actor that has stopped is a typed
//!   error, [`Stopped`], not a panic.
//!
//! # Layout
//!
//! `merge.rs`, `select.rs`, `batcher.rs` and `flush.rs`, one per step;
//! `lib.rs` re-exports. The tests are the exercise's own
//! (`exercises/batcher/tests/batcher/`).

mod batcher;
mod flush;
mod merge;
mod select;

pub use batcher::{BatchConfig, Batcher, SendError, spawn};
pub use flush::Stopped;
pub use merge::merge;
pub use select::merge_two;
