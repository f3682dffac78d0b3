//! # Day 136: a Redis job queue (exercise)
//!
//! A job queue must not lose a job when a worker dies, and must not let two
//! workers finish the same job as if each were its only owner. This crate
//! builds a reliable queue on Redis lists, in the redis.io "reliable queue"
//! pattern, with the lease and recoverer that asynq adds:
//!
//! - enqueue: a parsed [`JobId`], a payload checked as JSON, both written
//!   in one script that refuses a duplicate id (`enqueue.rs`);
//! - dequeue: `BLMOVE` from `pending` to `processing` on a dedicated
//!   connection whose response timeout outlasts the block, then a claim
//!   script that stamps a lease, a claim token and the attempt count
//!   (`dequeue.rs`);
//! - ack: removes exactly the claimed job, and only while the claim token
//!   still matches, so a worker whose lease expired cannot ack a job another
//!   worker now holds (`ack.rs`);
//! - the reaper: re-queues expired leases, and leases the ids a cancelled
//!   `BLMOVE` left behind (`reaper.rs`).
//!
//! The key names are in [`Keys`] (`keys.rs`) and the time comes from an
//! injected [`Clock`] (`clock.rs`), so tests expire leases without
//! sleeping.
//!
//! # Layout
//!
//! One module per step, plus `keys.rs` and `clock.rs` (complete: read
//! them, they are yours to use); `lib.rs` only re-exports, so every item is
//! used as `job_queue::Item`. The tests are in `tests/job_queue/`, one file
//! per step and a fifth for the faults; each test starts its own
//! `redis-server` (Redis 6.2 or later on the `PATH`, or `REDIS_URL`).
//!
//! Every `todo!()` is yours to replace, and so is every Lua script that
//! answers `not written yet`; the `// TODO` above each says what to do.
//! `cargo test -p job-queue` tells you which step is next, and
//! `cargo workbook hint job-queue` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod ack;
mod clock;
mod dequeue;
mod enqueue;
mod keys;
mod reaper;

pub use ack::AckError;
pub use clock::{Clock, ManualClock, SystemClock};
pub use dequeue::{Claim, ClaimToken, DequeueError, Malformation, MalformedJob};
pub use enqueue::{
    ConfigError, ConnectError, Counts, EnqueueError, JobId, JobIdError, MAX_ID_LEN,
    Queue, QueueConfig,
};
pub use keys::Keys;
pub use reaper::Reaped;
