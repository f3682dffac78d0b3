//! # Day 57: threads and tasks (exercise)
//!
//! Fan-out and fan-in, twice: with OS threads for CPU work, and with tokio
//! tasks for waiting work.
//!
//! - [`parallel_map`] splits a slice across a fixed number of scoped
//!   threads and gathers the results in input order.
//! - [`run_all`] runs one tokio task per input with a `JoinSet` and gathers
//!   the results in input order, a panicking task becoming an error for that
//!   input instead of taking the others down.
//!
//! # Layout
//!
//! `threads.rs` (step 1) and `tasks.rs` (step 2); `lib.rs` re-exports. The
//! tests are in `tests/fan_out/`, one file per step: `cargo test -p fan-out`.
//! `cargo workbook hint fan-out` gives a hint.

// The stub's arguments are unused until you write the bodies; delete this
// line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports)]

mod tasks;
mod threads;

pub use tasks::{TaskError, run_all};
pub use threads::parallel_map;
