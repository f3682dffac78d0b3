//! # Day 130: ports and adapters (exercise)
//!
//! A job-submission service in the hexagonal shape the capstone uses: a
//! gRPC API in front of a domain core that knows nothing of tonic or
//! Redis, and a Redis list behind it. Every dependency points inward: the
//! domain owns the ports (traits), the adapters implement or call them,
//! and one composition root wires the lot.
//!
//! ```text
//!  gRPC client ──> adapters::grpc ──> domain::service ──> domain::ports::JobQueue
//!                  (inbound)          (the use case)       (a trait the domain owns)
//!                                                               ^          ^
//!                                        adapters::redis ───────┘          │
//!                                        adapters::memory (the fake) ──────┘
//! ```
//!
//! - `domain/model.rs` (step 1): newtypes that parse: `JobKind`,
//!   `Payload`, `IdempotencyKey`, `JobId`, `NewJob`, `Job`.
//! - `adapters/memory.rs` (step 2): the fakes: a queue with failure
//!   injection, sequential ids, a manual clock.
//! - `domain/service.rs` (step 3): the use case, `JobService::submit`,
//!   generic over its ports.
//! - `adapters/redis.rs` (step 4): `JobQueue` on a Redis list, turning
//!   every `RedisError` into the domain's `QueueError`.
//! - `adapters/grpc.rs` (step 5): the tonic service: requests parsed into
//!   domain types, domain errors mapped to status codes.
//! - `compose.rs` (step 6): the one composition root.
//!
//! Given, not steps: `domain/ports.rs` (the traits: read them first, their
//! docs are the contract), `adapters/system.rs` (the production clock and
//! ids) and `in_memory.rs` (a client over an in-memory transport).
//!
//! # Layout
//!
//! `domain/` and `adapters/` are folders because the dependency rule is
//! the lesson: nothing under `src/domain/` may name `crate::adapters`,
//! tonic or redis, and a test reads the sources to keep it so. The tests
//! are in `tests/hexagonal/`, one file per step; the Redis ones start
//! their own `redis-server`.
//!
//! Every `todo!()` is yours to replace; the `// TODO` above it says what to
//! do. `cargo test -p hexagonal` tells you which step is next, and
//! `cargo workbook hint hexagonal` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

pub mod adapters;
pub mod compose;
pub mod domain;
pub mod in_memory;
