//! # Day 73: cancellation and graceful shutdown (reference solution)
//!
//! Stopping concurrent work on purpose: asking tasks to stop, letting them
//! finish what they hold, waiting for them with a deadline, and proving that
//! nothing is left running.
//!
//! - [`run_worker`] takes jobs from a queue until its `CancellationToken` is
//!   cancelled. Only the wait for the next job is raced against the token
//!   (`select!` with `biased;`), so a job in hand is always finished and a
//!   job still queued stays queued: `mpsc::Receiver::recv` is cancel safe.
//! - [`Supervisor`] spawns tasks with child tokens on a `TaskTracker`;
//!   [`Supervisor::shutdown`] cancels them, waits up to a deadline, aborts
//!   the rest and returns a [`ShutdownReport`] once none is alive.
//! - [`serve`] accepts requests until a shutdown future supplied by the
//!   caller completes, then refuses what is queued and drains what is in
//!   flight through a `Supervisor`.
//!
//! # Layout
//!
//! `worker.rs`, `supervisor.rs` and `serve.rs`, one per step; `lib.rs`
//! re-exports. The tests are the exercise's own
//! (`exercises/shutdown/tests/shutdown/`).

mod serve;
mod supervisor;
mod worker;

pub use serve::{Request, ServeReport, serve};
pub use supervisor::{ShutdownReport, Supervisor};
pub use worker::{Job, StopReason, WorkerReport, run_worker};
