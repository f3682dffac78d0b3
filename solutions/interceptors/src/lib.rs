//! # Day 120: interceptors and tower layers (reference solution)
//!
//! Authentication, request ids and timing belong around every handler, not
//! inside each one. This crate puts them there for a small gRPC stock
//! service (one unary method, one server-streaming method), each with the
//! tool that fits it:
//!
//! - a tonic `Interceptor` that checks a bearer token in the metadata,
//!   comparing it in constant time, and hands the caller's identity to the
//!   handler through the request's extensions (`auth.rs`);
//! - a tower layer that keeps or makes an `x-request-id`, gives it to the
//!   handler and stamps it on every response, errors and streams included
//!   (`request_id.rs`);
//! - a timing layer that records each call's method, status and duration
//!   into a sink, timing a stream to its end and reading its status from
//!   its trailers, from a drop guard so cancelled calls count too
//!   (`timing.rs`);
//! - the chain: a probe layer that records the order layers run in, and
//!   the server with its layers in the order this lesson argues for
//!   (`chain.rs`).
//!
//! `shop.rs` is the service the middleware wraps and `transport.rs` the
//! in-memory connection the tests and the example use; neither is part of
//! the exercise.
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them, plus the two
//! given modules; `lib.rs` only re-exports, so every item is used as
//! `interceptors::Item`. The tests are the exercise's own
//! (`exercises/interceptors/tests/`).

mod auth;
mod chain;
mod request_id;
mod shop;
mod timing;
mod transport;

/// The code tonic generated from `proto/stock.proto`.
#[allow(missing_docs, unreachable_pub)]
pub mod pb {
    tonic::include_proto!("workbook.interceptors.v1");
}

pub use auth::{AuthInterceptor, Caller, TokenError, Tokens};
pub use chain::{Chain, Journal, Probe, ProbeLayer};
pub use request_id::{
    IdSource, RandomIds, RequestId, RequestIdError, RequestIdLayer, RequestIds,
    Sequential, X_REQUEST_ID,
};
pub use shop::Shop;
pub use timing::{
    CallGuard, CallRecord, FirstByteTiming, FirstByteTimingLayer, Sink, TimedBody,
    Timing, TimingLayer,
};
pub use transport::{Incoming, in_memory};
