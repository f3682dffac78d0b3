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
        if !self.market.is_listed(&request.symbol) {
            return Err(Status::not_found(format!(
                "unknown symbol {:?}",
                request.symbol
            )));
        }
        // Bounded: `send` waits once `channel_capacity` ticks are queued.
        // Rejected: `mpsc::unbounded_channel()`, whose `send` never waits:
        // the producer would generate all `count` ticks at once, into
        // memory, whatever the client reads. The same goes for spawning one
        // task per message.
        let (tx, rx) = mpsc::channel(self.config.channel_capacity.get());
        let market = self.market.clone();
        tokio::spawn(async move {
            for seq in 0..request.count {
                let tick = market
                    .tick(&request.symbol, seq)
                    .map_err(|e| Status::unavailable(e.to_string()));
                let halted = tick.is_err();
                // `send` fails only when the receiver is gone: tonic dropped
                // the stream because the client went away (step 2). Nobody
                // is listening, so stop. After a halt, the error was the
                // stream's last item: stop too.
                if tx.send(tick).await.is_err() || halted {
                    return;
                }
            }
            // Dropping `tx` ends the stream: tonic sends the OK trailers.
        });
        Ok(ReceiverStream::new(rx))
    }
}
