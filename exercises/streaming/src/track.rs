//! Step 4: bidirectional streaming.
//!
//! `Track` answers every trade, as soon as it arrives, with the position it
//! leaves in its symbol. The two directions are independent HTTP/2 flows:
//! the client may still be sending when the first answers reach it. So the
//! handler cannot read everything and then answer; it spawns a task that
//! reads one trade, answers it, and reads the next, and returns the answer
//! stream at once.

use std::collections::HashMap;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Status, Streaming};

use crate::pb::{Position, Trade};
use crate::service::TickerService;
use crate::upload::validate_trade;

impl TickerService {
    /// Spawns the task that answers the trades, holding a
    /// [`ProducerGuard`](crate::ProducerGuard) until it ends, and returns the
    /// answer stream.
    ///
    /// The stream ends cleanly (OK trailers) when the client half-closes;
    /// with `InvalidArgument` after the answers to the valid trades before
    /// the first invalid one.
    pub(crate) fn start_track(
        &self,
        mut trades: Streaming<Trade>,
    ) -> ReceiverStream<Result<Position, Status>> {
        // TODO: a bounded channel, a guard from `self.producers.enter()`, and
        // a spawned task that owns both, a clone of the market and a
        // HashMap of (trades, quantity) per symbol. For index 0, 1, 2...:
        // `tokio::select!` (`biased;`) `tx.closed()` (return) against
        // `trades.message()`. `Ok(Some(trade))`: validate it with its index,
        // update its symbol, send the Position. `Ok(None)`: the client
        // half-closed, return (dropping `tx` ends the answers with OK).
        // An error, or an invalid trade: send it as `Err`, then return.
        todo!("TickerService::start_track: answer each trade as it arrives")
    }
}
