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
        // TODO: as in step 1, refuse an unlisted symbol and make a bounded
        // channel. Take `self.producers.enter()` here and move the guard into
        // the task, so it drops when the task ends. Make a
        // `tokio::time::interval(self.config.tick_interval)` (its first tick
        // is immediate; `MissedTickBehavior::Delay` avoids catch-up bursts).
        // In the task, for seq 0, 1, 2...: `tokio::select!` with `biased;`
        // between `tx.closed()` (the client is gone: return) and
        // `interval.tick()`; then send `market.tick(..)`, its error mapped
        // to `Status::unavailable`. Return after sending an error, or when
        // `send` fails.
        todo!(
            "TickerService::start_watch: a paced producer that notices the client leaving"
        )
    }
}
