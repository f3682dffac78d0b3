//! Tests for the `hexagonal` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p hexagonal`; they fail until you implement
//! the step they test. To run one step only: `cargo test -p hexagonal
//! step1`.
//!
//! How each layer is tested is part of the lesson:
//!
//! - the model, the fakes and the use case (steps 1-3) without any I/O:
//!   the service runs over the in-memory fakes, with exact ids and times;
//! - the Redis adapter (step 4) against a real `redis-server`, which each
//!   test starts for itself through `redis_harness` (or `REDIS_URL`), with
//!   its own key prefix; the tests that stop or pause Redis always start a
//!   private server;
//! - the gRPC adapter (step 5) over an in-memory transport, with the fake
//!   queue behind it;
//! - the composition root (step 6) end to end: gRPC in memory, the core,
//!   and a real Redis.
//!
//! They are one test binary (`tests/hexagonal/main.rs` declares the
//! modules) rather than one file per step, so that the project links once,
//! not six times, after every edit.

mod step1_model;
mod step2_fakes;
mod step3_service;
mod step4_redis;
mod step5_grpc;
mod step6_compose;

use hexagonal::adapters::memory::{ManualClock, MemoryQueue, SequentialIds};
use hexagonal::domain::{JobService, NewJob};

/// The manual clock's start: 2023-11-14, in ms since the epoch.
const START_MS: u64 = 1_700_000_000_000;

/// The service the use-case tests run: the three fakes. The queue and the
/// clock are returned too (clones share their state) so the test can look
/// inside and move time.
fn fake_service() -> (
    JobService<MemoryQueue, SequentialIds, ManualClock>,
    MemoryQueue,
    ManualClock,
) {
    let queue = MemoryQueue::new();
    let clock = ManualClock::new(START_MS);
    let service = JobService::new(queue.clone(), SequentialIds::new(), clock.clone());
    (service, queue, clock)
}

/// A `redis://` URL at which nothing listens, and the socket that keeps it
/// so: hold the socket for as long as the URL must stay dead.
///
/// The obvious way, start a `redis-server`, stop it and reuse its URL, is
/// racy: the tests run in parallel, each starting servers on ports the
/// kernel hands out, and the freed port can be given to another test's
/// server a moment later; "connection refused" then becomes a connection to
/// someone else's Redis. A TCP socket that is bound but never `listen`s
/// keeps the port: no other socket can bind it while this one lives (it has
/// no `SO_REUSEADDR`), and a connection to it is refused at once.
fn refused_url() -> (tokio::net::TcpSocket, String) {
    let socket = tokio::net::TcpSocket::new_v4().expect("a TCP socket");
    socket
        .bind(([127, 0, 0, 1], 0).into())
        .expect("binds a free port on 127.0.0.1");
    let port = socket
        .local_addr()
        .expect("a bound socket has a port")
        .port();
    (socket, format!("redis://127.0.0.1:{port}/"))
}

/// A job that parses: `key` empty means no idempotency key.
fn job(kind: &str, payload: &str, key: &str) -> NewJob {
    NewJob::parse(kind, payload, key).expect("the test's job is valid")
}
