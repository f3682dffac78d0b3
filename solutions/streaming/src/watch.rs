//! Step 2: the client goes away.
//!
//! `Watch` sends a live tick every tick interval, for as long as the client
//! listens. Its producer spends most of its life waiting for the next tick,
//! not in `send`, so a failed `send` is not enough to notice that the client
//! left: with a tick a minute, the task would hold its resources for up to a
//! minute after the client. It waits for the tick *or* for the channel to
//! close, whichever comes first.
//!
//! The stream can also fail half-way: when trading halts, the producer
//! sends an `Err(Status)` as the last item. tonic writes it into the
//! trailers, so the client receives every tick sent before it, then the
//! error.

use tokio::sync::mpsc;
use tokio::time::MissedTickBehavior;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Status;

use crate::pb::{Tick, WatchRequest};
use crate::service::TickerService;

impl TickerService {
    /// Checks the request, then spawns a producer that holds a
    /// [`ProducerGuard`](crate::ProducerGuard) until it ends, and returns
    /// the stream tonic sends from.
    ///
    /// # Errors
    ///
    /// `NotFound` for a symbol that is not listed, before the stream starts.
    pub(crate) fn start_watch(
        &self,
        request: WatchRequest,
    ) -> Result<ReceiverStream<Result<Tick, Status>>, Status> {
        if !self.market.is_listed(&request.symbol) {
            return Err(Status::not_found(format!(
                "unknown symbol {:?}",
                request.symbol
            )));
        }
        let (tx, rx) = mpsc::channel(self.config.channel_capacity.get());
        // Taken here and moved into the task: it is dropped when the task
        // ends, and only then.
        let guard = self.producers.enter();
        let market = self.market.clone();
        let mut interval = tokio::time::interval(self.config.tick_interval);
        // A client that reads slowly delays the next tick; it does not earn
        // a burst of catch-up ticks afterwards.
        interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
        tokio::spawn(async move {
            let _guard = guard;
            for seq in 0.. {
                tokio::select! {
                    // `biased`: check the client first, so a client that
                    // left is noticed even when a tick is also due.
                    biased;
                    // The receiver was dropped: tonic dropped the stream
                    // because the client reset it (dropped its response
                    // stream, or cancelled), the connection closed, or the
                    // deadline (step 5) ended it. Rejected: waiting for the
                    // next `send` to fail, which keeps the task and its
                    // guard a whole interval longer.
                    () = tx.closed() => return,
                    _ = interval.tick() => {}
                }
                let tick = market
                    .tick(&request.symbol, seq)
                    .map_err(|e| Status::unavailable(e.to_string()));
                let halted = tick.is_err();
                // The error goes in the channel like a tick: tonic sends the
                // ticks before it, then puts it in the trailers and stops
                // reading the stream.
                if tx.send(tick).await.is_err() || halted {
                    return;
                }
            }
        });
        Ok(ReceiverStream::new(rx))
    }
}
