//! Step 2: the service, and a stream that ends itself when the server
//! drains.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::MissedTickBehavior;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::pb::{EchoReply, EchoRequest, Tick, TicksRequest, beacon_server};

/// The `Beacon` service. It holds the server's `draining` token: cancelled
/// when a shutdown starts, so that streams can end themselves instead of
/// holding the drain open until the deadline.
#[derive(Debug, Clone)]
pub struct Beacon {
    draining: CancellationToken,
}

impl Beacon {
    /// A service whose streams end when `draining` is cancelled.
    pub fn new(draining: CancellationToken) -> Self {
        Self { draining }
    }
}

/// What a stream says when the server drains. UNAVAILABLE, because gRPC
/// clients read it as "try again, elsewhere": the client reconnects and
/// the load balancer sends it to a server that is not going away. (Ending
/// the stream with OK would tell the client the stream was *finished*,
/// which it was not.)
fn draining_status() -> Status {
    Status::unavailable("the server is shutting down; reconnect to another instance")
}

#[tonic::async_trait]
impl beacon_server::Beacon for Beacon {
    async fn echo(
        &self,
        request: Request<EchoRequest>,
    ) -> Result<Response<EchoReply>, Status> {
        // TODO: refuse an empty message (Status::invalid_argument), sleep
        // `delay_ms` with `tokio::time::sleep`, and send the message back.
        // A unary call does not watch `draining`: the drain lets it finish.
        todo!("Beacon::echo: validate, wait, answer")
    }

    type TicksStream = ReceiverStream<Result<Tick, Status>>;

    async fn ticks(
        &self,
        request: Request<TicksRequest>,
    ) -> Result<Response<Self::TicksStream>, Status> {
        // TODO: refuse interval_ms == 0 (invalid_argument) and a server that
        // already drains (`draining_status()`). Make an `mpsc::channel(1)`
        // and a `tokio::time::interval`, then spawn a task that owns the
        // sender and numbers the ticks from 0, looping on a `biased;`
        // `tokio::select!`:
        // - `draining.cancelled()` first: send `Err(draining_status())`,
        //   return;
        // - `tx.closed()` second: the client hung up, return;
        // - `interval.tick()` last: send `Ok(Tick { seq })` (return if the
        //   send fails).
        // Answer with `ReceiverStream::new(rx)`.
        todo!("Beacon::ticks: a stream that ends when the server drains")
    }
}
