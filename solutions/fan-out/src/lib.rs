//! # Day 57: threads and tasks (reference solution)
//!
//! Fan-out and fan-in, twice: with OS threads for CPU work, and with tokio
//! tasks for waiting work.
//!
//! - [`parallel_map`] splits a slice across a fixed number of scoped
//!   threads and gathers the results in input order. Scoped threads may
//!   borrow the slice: the scope joins them all before it returns, so the
//!   borrow outlives them (plain `std::thread::spawn` demands `'static`).
//! - [`run_all`] runs one tokio task per input with a `JoinSet` and gathers
//!   the results in input order, a panicking task becoming an error for that
//!   input instead of taking the others down.
//!
//! # Layout
//!
//! `threads.rs` and `tasks.rs`, one per step; `lib.rs` re-exports. The tests
//! are the exercise's own (`exercises/fan-out/tests/fan_out/`).

mod tasks;
mod threads;

pub use tasks::{TaskError, run_all};
pub use threads::parallel_map;
