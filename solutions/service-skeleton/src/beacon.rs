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
        let EchoRequest { message, delay_ms } = request.into_inner();
        if message.is_empty() {
            return Err(Status::invalid_argument("message must not be empty"));
        }
        // A unary call does not watch `draining`: it is short by nature, and
        // a drain exists precisely to let it finish. If it outlives the
        // grace period, the drain deadline cuts its connection, and hyper
        // drops this future.
        tokio::time::sleep(Duration::from_millis(u64::from(delay_ms))).await;
        Ok(Response::new(EchoReply { message }))
    }

    type TicksStream = ReceiverStream<Result<Tick, Status>>;

    async fn ticks(
        &self,
        request: Request<TicksRequest>,
    ) -> Result<Response<Self::TicksStream>, Status> {
        let interval_ms = request.into_inner().interval_ms;
        if interval_ms == 0 {
            return Err(Status::invalid_argument("interval_ms must be at least 1"));
        }
        // A stream opened while the server drains is refused at once, not
        // started only to be ended: the client goes elsewhere sooner.
        if self.draining.is_cancelled() {
            return Err(draining_status());
        }
        // A channel of 1: the producer runs at most one tick ahead of the
        // client, so a slow client slows the producer (backpressure)
        // instead of filling memory.
        let (tx, rx) = mpsc::channel(1);
        let draining = self.draining.clone();
        let mut interval =
            tokio::time::interval(Duration::from_millis(u64::from(interval_ms)));
        // A client that fell behind gets the next tick on schedule, not a
        // burst of the ones it missed.
        interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
        tokio::spawn(async move {
            for seq in 0u64.. {
                // `biased;`: when the shutdown and a tick are both ready,
                // the shutdown wins, so a drain is never one tick late.
                let tick = tokio::select! {
                    biased;
                    () = draining.cancelled() => {
                        // The final status. Ignore a send error: the client
                        // may have left already.
                        let _ = tx.send(Err(draining_status())).await;
                        return;
                    }
                    // The client hung up (the `ReceiverStream` was dropped).
                    // Without this branch the task would tick on for ever
                    // into a closed channel: a leak per abandoned stream.
                    () = tx.closed() => return,
                    _ = interval.tick() => Tick { seq },
                };
                if tx.send(Ok(tick)).await.is_err() {
                    return;
                }
            }
        });
        Ok(Response::new(ReceiverStream::new(rx)))
    }
}
