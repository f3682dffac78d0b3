//! The adapters: each implements a port of the domain (outbound) or calls
//! the domain (inbound), and translates between the domain's types and its
//! technology's.
//!
//! - [`memory`]: the fakes, for tests and for running without Redis.
//! - [`redis`]: [`JobQueue`](crate::domain::JobQueue) on a Redis list.
//! - [`grpc`]: the tonic service in front of the use case.
//! - [`system`]: the production clock and id generator.

pub mod grpc;
pub mod memory;
pub mod redis;
pub mod system;
