//! # Day 133: a worker pool for jobs (exercise)
//!
//! A job queue hands out *deliveries*: a job plus a lease, during which no
//! other consumer gets it. The consumer must start what it takes soon, say
//! how each job ended, survive handlers that panic or hang, and on shutdown
//! give back what it never started and stop on time. This crate builds that
//! consumer, the shape a Redis queue plugs into:
//!
//! - a fetcher, the only sender into a bounded channel, that reserves a slot
//!   before it claims a delivery from the [`JobSource`], and whose return
//!   ends the channel (`fetcher.rs`);
//! - workers that run each job in a task of its own under a timeout, so a
//!   panic or a hang costs one job, and settle every outcome through the
//!   [`Acker`] (`workers.rs`);
//! - [`run`], the two together, with a drain on shutdown: release what is
//!   buffered, let what is in flight finish until a deadline, abandon the
//!   rest, and return a [`DrainReport`] once no task is left (`drain.rs`).
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them; `lib.rs` only
//! re-exports, so every item is used as `job_pool::Item`. The tests are in
//! `tests/job_pool/`, one file per step.
//!
//! Every `todo!()` is yours to replace; the `// TODO` above it says what to
//! do. `cargo test -p job-pool` tells you which step is next, and
//! `cargo workbook hint job-pool` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod drain;
mod fetcher;
mod workers;

pub use drain::{ConfigError, DrainReport, PoolConfig, run};
pub use fetcher::{
    Deliveries, Delivery, FetchReport, Fetched, JobId, JobSource, SourceError,
    StopReason, fetcher,
};
pub use workers::{Acker, Drain, JobError, NackReason, Outcome, Tally, run_job, worker};
