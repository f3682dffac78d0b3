//! # Day 118: status codes at the boundary (reference solution)
//!
//! A gRPC client never sees a server's error types: it sees a
//! `google.rpc.Status`, a code from a fixed list of seventeen, a message for
//! humans and optional typed details. The code is the API a client program
//! branches on; choosing it well, and mapping domain errors to it in one
//! place, is what this crate is about:
//!
//! - every `tonic::Code`, the situation each one is for, and what a client
//!   may do about it: retry, retry only an idempotent call, restart a
//!   read-modify-write, or give up (`codes.rs`);
//! - a job service's domain error mapped to a `Status` at the boundary, with
//!   `google.rpc` details (`BadRequest`, `ResourceInfo`, `PreconditionFailure`,
//!   `RetryInfo`, `ErrorInfo`) and no internal cause leaking into the message
//!   (`boundary.rs`, over the domain in `board.rs`);
//! - both HTTP mappings: grpc-gateway's gRPC-to-HTTP table (`to_http`) and
//!   the HTTP-to-gRPC table a client uses when a proxy answers without a
//!   `grpc-status` (`from_http`), checked against tonic's own client
//!   (`http.rs`).
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them; `lib.rs` only
//! declares modules and re-exports, so every item is used as
//! `status_codes::Item`. `pb` is the code generated from
//! `exercises/status-codes/proto/jobs.proto`, and `memory.rs` connects a
//! client to a server through an in-memory pipe (no port, nothing left
//! running). The tests are the exercise's own
//! (`exercises/status-codes/tests/`).

mod board;
mod boundary;
mod codes;
mod http;
mod memory;

/// The code generated from `proto/jobs.proto`: messages, the `Jobs` server
/// trait and `JobsServer`, and `JobsClient`.
#[allow(missing_docs, unreachable_pub)]
pub mod pb {
    tonic::include_proto!("workbook.status_codes.v1");
}

pub use board::{JobBoard, NewJob};
pub use boundary::{ERROR_DOMAIN, JobsService, SubmitError};
pub use codes::{ALL_CODES, Retry, Situation, choose, retry_class};
pub use http::{from_http, to_http};
pub use memory::connect_in_memory;
