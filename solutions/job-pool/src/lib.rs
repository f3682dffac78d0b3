//! # Day 133: a worker pool for jobs (reference solution)
//!
//! The consumer side of a job queue: deliveries come from a queue that
//! leases them, run under a timeout in a pool that survives its handlers,
//! and are settled with the queue (ack, nack, release) one by one, down to
//! a drain with a deadline on shutdown.
//!
//! - [`fetcher`] (`fetcher.rs`): one task, the only sender into a bounded
//!   channel, reserving a slot before it claims a delivery from the
//!   [`JobSource`]; the channel ends exactly when it returns.
//! - [`worker`] and [`run_job`] (`workers.rs`): each job in its own task,
//!   so a panic is an [`Outcome`] and not a dead worker; a per-job timeout
//!   that aborts the task; every outcome settled through the [`Acker`].
//! - [`run`] (`drain.rs`): the fetcher and the workers together, and the
//!   drain on shutdown: release what is buffered, let what is in flight
//!   finish until the deadline, abandon the rest, return a [`DrainReport`]
//!   once no task is left.
//!
//! # Layout
//!
//! `fetcher.rs`, `workers.rs` and `drain.rs`, one per step; `lib.rs`
//! re-exports. The tests are the exercise's own
//! (`exercises/job-pool/tests/job_pool/`).

mod drain;
mod fetcher;
mod workers;

pub use drain::{ConfigError, DrainReport, PoolConfig, run};
pub use fetcher::{
    Deliveries, Delivery, FetchReport, Fetched, JobId, JobSource, SourceError,
    StopReason, fetcher,
};
pub use workers::{Acker, Drain, JobError, NackReason, Outcome, Tally, run_job, worker};
