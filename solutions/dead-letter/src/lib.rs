//! # Day 139: dead letters, re-drive and idempotency (reference solution)
//!
//! Day 137 decided which errors to retry; Day 136 built a queue that
//! delivers every job at least once. This crate handles what comes after:
//! the job that will never succeed, the person who must find out why and
//! send it through again, and the job that arrives twice. It builds on the
//! reference queue (`job-queue-solution`) and on Day 137's retry policy and
//! `classify` (`backoff-solution`):
//!
//! - the dead-letter record: the job, its attempts, its kind of death and
//!   its whole cause chain, stored as JSON a person can read (`record.rs`);
//! - settling a failed claim: schedule a retry or dead-letter it, in one
//!   script that checks the claim token; malformed jobs and poison
//!   messages go to the same list (`settle.rs`);
//! - re-drive: move dead jobs back by filter, with a dry run, one atomic
//!   move each (`redrive.rs`);
//! - idempotent handlers: the effect and its "done" marker in one atomic
//!   step, so a duplicate delivery changes nothing (`idempotent.rs`).
//!
//! # Layout
//!
//! One module per step, plus `queue.rs`, which holds the
//! [`DeadLetterQueue`] handle, its keys and a census of where every job
//! is; `lib.rs` only re-exports. The tests are the exercise's own
//! (`exercises/dead-letter/tests/`), each against a private `redis-server`.

mod idempotent;
mod queue;
mod record;
mod redrive;
mod settle;

pub use idempotent::{
    Applied, Credit, EffectStore, HandleError, Idempotent, MemoryLedger, Never,
    RedisLedger,
};
pub use queue::{Census, DeadKeys, DeadLetterQueue, UnreadableRecord};
pub use record::{DeadKind, DeadLetter, UnknownKind, causes};
pub use redrive::{Filter, Mode, Report, Skipped};
pub use settle::{LeaseExpired, PROMOTE_BATCH, Settled, TooManyClaims, classify_failure};
