//! Step 1: server streaming with backpressure.
//!
//! `Replay` sends the recorded ticks of a symbol as fast as the client reads
//! them. A producer task generates the ticks and sends them into a bounded
//! channel; tonic reads the other end and writes HTTP/2 DATA frames. Each
//! stage waits on the next: HTTP/2 flow control stops tonic when the
//! client's window is full, tonic stops reading the channel, the channel
//! fills, and the producer's `send().await` waits. A slow client slows the
//! producer, end to end, and the memory a stream holds is bounded.

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Status;

use crate::pb::{ReplayRequest, Tick};
use crate::service::TickerService;

impl TickerService {
    /// Checks the request, then spawns the producer and returns the stream
    /// tonic sends from.
    ///
    /// # Errors
    ///
    /// `NotFound` for a symbol that is not listed. It is returned before
    /// the stream starts, so the client gets it instead of a response (a
    /// "trailers-only" response), not after some ticks.
    pub(crate) fn start_replay(
        &self,
        request: ReplayRequest,
    ) -> Result<ReceiverStream<Result<Tick, Status>>, Status> {
        // TODO: refuse a symbol the market does not list
        // (`self.market.is_listed`) with `Status::not_found`. Then make a
        // BOUNDED channel of `self.config.channel_capacity` and spawn a task
        // (it needs its own clone of `self.market`, an `Arc`) that sends
        // ticks 0..request.count, each `market.tick(..)` with its error
        // mapped to `Status::unavailable`. `tx.send(..).await` waits while
        // the channel is full; it fails once the receiver is gone, and then
        // the task returns. Return `ReceiverStream::new(rx)`.
        todo!("TickerService::start_replay: a producer task behind a bounded channel")
    }
}
