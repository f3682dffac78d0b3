//! # Day 71: worker pools, pipelines and semaphores (exercise)
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
//! `pool.rs` (step 1), `pipeline.rs` (step 2) and `bounded.rs` (step 3);
//! `lib.rs` re-exports. The tests are in `tests/worker_pool/`, one file per
//! step: `cargo test -p worker-pool`. `cargo workbook hint worker-pool`
//! gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod bounded;
mod pipeline;
mod pool;

pub use bounded::bounded_map;
pub use pipeline::{Order, PipelineError, PriceList, Priced, run_pipeline};
pub use pool::{PoolReport, SubmitError, WorkerPool};
