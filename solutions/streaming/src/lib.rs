//! # Day 126: streaming RPCs (solution)
//!
//! A unary RPC is one request and one answer; a stream is a conversation,
//! and a conversation can go wrong in ways a single answer cannot: the
//! client reads slower than the server writes, the client hangs up half-way,
//! the server fails after sending half the data, the deadline passes while
//! messages still flow. This crate is a ticker service with the three kinds
//! of streaming RPC, each handling those cases:
//!
//! - server streaming through a bounded channel, so a slow client slows the
//!   producer (`replay.rs`);
//! - a live stream whose producer stops as soon as its client goes away, and
//!   a failure half-way that reaches the client in the trailers
//!   (`watch.rs`);
//! - client streaming that stops at the first invalid message and names it
//!   (`upload.rs`);
//! - a bidirectional stream that answers each message while the client is
//!   still sending (`track.rs`);
//! - a deadline that covers the whole stream, not just its first response
//!   (`deadline.rs`).
//!
//! # Layout
//!
//! One module per step, in the lesson's order. Besides them: `market.rs`
//! (the prices), `producers.rs` (the count of live producer tasks the tests
//! check), `service.rs` (the tonic service, which hands each call to its
//! step) and `transport.rs` (a client connected through memory). The tests
//! are the exercise's, in `exercises/streaming/tests/streaming/`.

mod deadline;
mod market;
mod producers;
mod replay;
mod service;
mod track;
mod transport;
mod upload;
mod watch;

/// The code generated from `proto/ticker.proto`: messages, client and
/// server.
#[allow(missing_docs, unreachable_pub)]
pub mod pb {
    tonic::include_proto!("workbook.streaming.v1");
}

pub use deadline::{GRPC_TIMEOUT, WithDeadline, grpc_timeout};
pub use market::{Market, MarketError};
pub use producers::{ProducerGuard, Producers};
pub use service::{BoxTickStream, Config, TickerService};
pub use transport::{CONNECTION_WINDOW, STREAM_WINDOW, connect_in_memory};
pub use upload::validate_trade;
