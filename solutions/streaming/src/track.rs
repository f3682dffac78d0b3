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
        let (tx, rx) = mpsc::channel(self.config.channel_capacity.get());
        let guard = self.producers.enter();
        let market = self.market.clone();
        tokio::spawn(async move {
            let _guard = guard;
            // Per symbol: (trades, quantity). Owned by the task, so no lock.
            let mut book: HashMap<String, (u64, u64)> = HashMap::new();
            for index in 0.. {
                let next = tokio::select! {
                    biased;
                    // The stream was reset (the client cancelled, or the
                    // connection closed) and tonic dropped the answers:
                    // stop reading for nobody. (A client that drops only
                    // its answer stream, keeping its request sender, resets
                    // nothing: the call stays open.)
                    () = tx.closed() => return,
                    next = trades.message() => next,
                };
                let trade = match next {
                    Ok(Some(trade)) => trade,
                    // Half-close: the client sent its last trade. Dropping
                    // `tx` ends the answers with OK trailers.
                    Ok(None) => return,
                    // The request stream broke (a reset, a bad message):
                    // pass it on, in case the client still reads.
                    Err(status) => {
                        let _ = tx.send(Err(status)).await;
                        return;
                    }
                };
                if let Err(status) = validate_trade(&market, index, &trade) {
                    let _ = tx.send(Err(status)).await;
                    return;
                }
                let entry = book.entry(trade.symbol.clone()).or_default();
                entry.0 += 1;
                entry.1 += u64::from(trade.quantity);
                let position = Position {
                    symbol: trade.symbol,
                    trades: entry.0,
                    quantity: entry.1,
                };
                // Waits when the client reads slowly, and so stops reading
                // its trades: backpressure runs back to the client's sends.
                if tx.send(Ok(position)).await.is_err() {
                    return;
                }
            }
        });
        ReceiverStream::new(rx)
    }
}
