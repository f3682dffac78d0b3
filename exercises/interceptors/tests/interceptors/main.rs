//! Tests for the `interceptors` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p interceptors`; they fail until you implement
//! the step they test. The modules are numbered in the lesson's order (auth,
//! request_id, timing, chain), so failures are listed step by step. To run
//! one step only: `cargo test -p interceptors step1`.
//!
//! Every server here runs over the in-memory transport
//! (`interceptors::in_memory`): no port, and it stops when the test drops
//! its client. Tests that assert durations run on tokio's paused clock.

mod step1_auth;
mod step2_request_id;
mod step3_timing;
mod step4_chain;

use std::time::Duration;

use interceptors::pb::stock_client::StockClient;
use interceptors::pb::{GetRequest, ListRequest};
use interceptors::{CallRecord, Tokens};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tonic::transport::Channel;

/// The path of the unary method, as layers see it.
const GET: &str = "/workbook.interceptors.v1.Stock/Get";
/// The path of the streaming method.
const LIST: &str = "/workbook.interceptors.v1.Stock/List";

/// Alice's token.
const ALICE: &str = "alice-3f9c2e7d";
/// Bob's token.
const BOB: &str = "bob-8a41b0c5";

/// The tokens every test server accepts: Alice's and Bob's.
fn tokens() -> Tokens {
    let mut tokens = Tokens::new();
    tokens.insert(ALICE, "alice").expect("a valid token");
    tokens.insert(BOB, "bob").expect("a valid token");
    tokens
}

/// `message` with `authorization: <value>` in its metadata.
fn with_auth<T>(message: T, value: &str) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request
        .metadata_mut()
        .insert("authorization", value.parse().expect("an ASCII value"));
    request
}

/// `message` with `authorization: Bearer <token>`.
fn bearer<T>(message: T, token: &str) -> tonic::Request<T> {
    with_auth(message, &format!("Bearer {token}"))
}

/// A `Get` for `name` that makes the handler work `work_ms` first.
fn get(name: &str, work_ms: u32) -> GetRequest {
    GetRequest {
        name: name.to_owned(),
        work_ms,
    }
}

/// A `List` of `count` items, one every `interval_ms`, failing at the end
/// if `fail`.
fn list(count: u32, interval_ms: u32, fail: bool) -> ListRequest {
    ListRequest {
        count,
        interval_ms,
        fail,
    }
}

/// A client on `channel`.
fn client(channel: Channel) -> StockClient<Channel> {
    StockClient::new(channel)
}

/// A sink for timing layers, and the receiving end the test reads.
fn records() -> (UnboundedSender<CallRecord>, UnboundedReceiver<CallRecord>) {
    unbounded_channel()
}

/// The next record, or a failed test if no layer sends one.
async fn next_record(rx: &mut UnboundedReceiver<CallRecord>) -> CallRecord {
    rx.recv()
        .await
        .expect("the timing layer should have recorded a call")
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}
