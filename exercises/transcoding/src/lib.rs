//! # Day 124: REST transcoding (exercise)
//!
//! A JSON/HTTP front for a gRPC service, the job Go's grpc-gateway does with
//! generated code, written by hand with axum. Browsers, `curl` and partners
//! who will never run a gRPC client get a REST API; the service behind it
//! stays gRPC, with one contract (`proto/notes.proto`). The front is a
//! *transcoder*: every HTTP request becomes one gRPC call over a real
//! `tonic` channel, and every gRPC answer, error or deadline becomes an HTTP
//! response. You build it in four steps:
//!
//! - the proto3 JSON mapping of the notes messages: lowerCamelCase names,
//!   64-bit integers as strings, enums by name, bytes as base64, default
//!   values left out, unknown fields refused (`json.rs`);
//! - the routes, each calling the gRPC service through a client
//!   (`routes.rs`);
//! - gRPC errors as HTTP statuses with a `google.rpc.Status`-shaped JSON
//!   body, and routing errors in the same shape (`errors.rs`);
//! - deadlines: the HTTP caller's `grpc-timeout` (or the gateway's default)
//!   becomes the gRPC call's timeout, and a late backend becomes a 504
//!   (`deadline.rs`).
//!
//! Given, not steps: the notes service itself and the in-memory transport
//! that connects a client to it (`backend.rs`), and the gRPC-to-HTTP status
//! table of Day 118 (`status_table.rs`, which re-exports that lesson's
//! solution).
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them; `lib.rs` only
//! declares them and re-exports, so every item is used as
//! `transcoding::Item`. The generated protobuf code is in [`pb`]. The tests
//! are in `tests/transcoding/`, one file per step.
//!
//! Every `todo!()` is yours to replace; the `// TODO` above it says what to
//! do. `cargo test -p transcoding` tells you which step is next, and
//! `cargo workbook hint transcoding` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod backend;
mod deadline;
mod errors;
mod json;
mod routes;
mod status_table;

/// The code generated from `proto/notes.proto` (package
/// `workbook.transcoding.v1`): messages, the `Notes` client and server.
#[allow(missing_docs, unreachable_pub, clippy::doc_markdown)]
pub mod pb {
    tonic::include_proto!("workbook.transcoding.v1");
}

pub use backend::{NoteStore, connect_in_memory};
pub use deadline::{
    DeadlinePolicy, PolicyError, TimeoutError, parse_grpc_timeout, with_deadline,
};
pub use errors::{ApiError, ErrorBody, method_not_allowed, not_found};
pub use json::{
    AuthorJson, Base64, Int64, ListNotesJson, NoteJson, PriorityJson, decode,
};
pub use routes::{Gateway, ListParams, SearchParams};
