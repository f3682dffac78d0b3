//! # Day 71: worker pools, pipelines and semaphores (reference solution)
//!
//! Three ways to keep concurrent work inside a limit, each sized by the
//! resource that runs out first.
//!
//! - [`WorkerPool`]: a fixed number of workers reading one bounded queue.
//!   `submit` waits while the queue is full (backpressure), `shutdown` runs
//!   every queued job and joins the workers, and a panicking job costs its
//!   worker nothing.
//! - [`run_pipeline`]: three stages (parse, enrich, write), one task each,
//!   joined by bounded channels. The output ends when the input ends, and an
//!   error in any stage stops the others without a deadlock.
//! - [`bounded_map`]: one task per input with a `tokio::sync::Semaphore`
//!   capping how many exist at once, results in input order.
//!
//! # Layout
//!
//! `pool.rs`, `pipeline.rs` and `bounded.rs`, one per step; `lib.rs`
//! re-exports. The tests are the exercise's own
//! (`exercises/worker-pool/tests/worker_pool/`).

mod bounded;
mod pipeline;
mod pool;

pub use bounded::bounded_map;
pub use pipeline::{Order, PipelineError, PriceList, Priced, run_pipeline};
pub use pool::{PoolReport, SubmitError, WorkerPool};
