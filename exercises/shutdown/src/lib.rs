//! # Day 73: cancellation and graceful shutdown (exercise)
//!
//! Stopping concurrent work on purpose: asking tasks to stop, letting them
//! finish what they hold, waiting for them with a deadline, and proving that
//! nothing is left running.
//!
//! - [`run_worker`] takes jobs from a queue until its `CancellationToken` is
//!   cancelled, finishing the job in hand and leaving queued jobs queued.
//! - [`Supervisor`] spawns tasks with child tokens on a `TaskTracker`;
//!   [`Supervisor::shutdown`] cancels them, waits up to a deadline, aborts
//!   the rest and returns a [`ShutdownReport`] once none is alive.
//! - [`serve`] accepts requests until a shutdown future supplied by the
//!   caller completes, then refuses what is queued and drains what is in
//!   flight through a `Supervisor`.
//!
//! # Layout
//!
//! `worker.rs` (step 1), `supervisor.rs` (step 2) and `serve.rs` (step 3);
//! `lib.rs` re-exports. The tests are in `tests/shutdown/`, one file per
//! step: `cargo test -p shutdown`, or one step with
//! `cargo test -p shutdown step1`. `cargo workbook hint shutdown` gives a
//! hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod serve;
mod supervisor;
mod worker;

pub use serve::{Request, ServeReport, serve};
pub use supervisor::{ShutdownReport, Supervisor};
pub use worker::{Job, StopReason, WorkerReport, run_worker};
