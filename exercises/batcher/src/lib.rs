//! # Day 59: channels (exercise)
//!
//! Channels carry values from the code that makes them to the code that uses
//! them, and carry one more fact: when there will be no more. This crate builds
//! four pieces on that fact.
//!
//! - [`merge`] joins several `std::sync::mpsc` receivers into one, with a
//!   forwarding thread per input. The merged receiver must end (`recv`
//!   returns `Err(RecvError)`) exactly when every input has ended.
//! - [`merge_two`] does the same for two tokio receivers in one loop, with
//!   `tokio::select!`, switching a closed input's branch off so that it
//!   cannot spin the loop.
//! - [`spawn`] starts a batching actor on a bounded tokio channel: items go
//!   out in batches of `max_items`, or after `max_wait` counted from a batch's
//!   first item, and a full input channel makes producers wait.
//! - [`Batcher::flush`] asks the actor for its partial batch and waits for
//!   the answer on a `oneshot` channel; an actor that has stopped is a typed
//!   error, [`Stopped`], not a panic.
//!
//! # Layout
//!
//! `merge.rs` (step 1), `select.rs` (step 2), `batcher.rs` (step 3) and
//! `flush.rs` (step 4); `lib.rs` re-exports. The tests are in
//! `tests/batcher/`, one file per step: `cargo test -p batcher`, or one step
//! with `cargo test -p batcher step1`. `cargo workbook hint batcher` gives a
//! hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod batcher;
mod flush;
mod merge;
mod select;

pub use batcher::{BatchConfig, Batcher, SendError, spawn};
pub use flush::Stopped;
pub use merge::merge;
pub use select::merge_two;
