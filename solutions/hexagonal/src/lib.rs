//! # Day 130: ports and adapters (solution)
//!
//! A job-submission service in the hexagonal shape the capstone uses: a
//! gRPC API in front of a domain core that knows nothing of tonic or
//! Redis, and a Redis list behind it. Every dependency points inward:
//!
//! ```text
//!  gRPC client ──> adapters::grpc ──> domain::service ──> domain::ports::JobQueue
//!                  (inbound)          (the use case)       (a trait the domain owns)
//!                                                               ^          ^
//!                                        adapters::redis ───────┘          │
//!                                        adapters::memory (the fake) ──────┘
//! ```
//!
//! - [`domain::model`]: newtypes that parse ([`domain::JobKind`],
//!   [`domain::Payload`], [`domain::IdempotencyKey`], [`domain::JobId`]).
//! - [`domain::ports`]: what the core needs from outside, as traits it
//!   owns: [`domain::JobQueue`], [`domain::IdGenerator`],
//!   [`domain::Clock`], and the domain's own [`domain::QueueError`].
//! - [`domain::service`]: the use case, [`domain::JobService::submit`],
//!   generic over its ports.
//! - [`adapters::memory`]: the fakes (a queue with failure injection,
//!   sequential ids, a manual clock) that test the core without I/O.
//! - [`adapters::redis`]: the outbound adapter, which turns `RedisError`
//!   into `QueueError`.
//! - [`adapters::grpc`]: the inbound adapter, which parses requests into
//!   domain types and maps domain errors to status codes.
//! - [`compose`]: the one composition root, which picks the adapters from
//!   settings and wires them.
//! - [`in_memory`]: a client over an in-memory transport, for tests and the
//!   example.
//!
//! # The build checks the wiring
//!
//! Each adapter module ends with a compile-time check that it implements
//! its port, so a broken adapter fails the build next to its own code, not
//! inside a tonic generic three modules away:
//!
//! ```
//! use hexagonal::adapters::memory::MemoryQueue;
//! use hexagonal::domain::ports::implements_job_queue;
//!
//! const _: () = implements_job_queue::<MemoryQueue>();
//! ```
//!
//! A type that is not a queue does not compile (error E0277, "the trait
//! bound is not satisfied"). A `compile_fail` doctest passes on *any*
//! compile error, a typo included, and stable rustdoc does not check error
//! codes; so it is kept to the one line that differs from the passing
//! doctest above, whose imports are therefore known to be right:
//!
//! ```compile_fail
//! use hexagonal::domain::ports::implements_job_queue;
//!
//! struct NotAQueue;
//! const _: () = implements_job_queue::<NotAQueue>();
//! ```
//!
//! # Layout
//!
//! `domain/` and `adapters/` are folders because the dependency rule is
//! the lesson: nothing under `src/domain/` names `crate::adapters`, tonic
//! or redis, and a test reads the sources to keep it so. The tests are the
//! exercise's, in `exercises/hexagonal/tests/hexagonal/`.

pub mod adapters;
pub mod compose;
pub mod domain;
pub mod in_memory;
