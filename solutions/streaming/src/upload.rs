//! Step 3: client streaming.
//!
//! `Upload` reads a stream of trades and answers once, with a summary. The
//! handler reads one message at a time with `Streaming::message()`, checks
//! it, and stops at the first invalid one: the answer is an error naming the
//! trade, and the client learns it without sending the rest.

use std::collections::HashSet;

use tonic::{Status, Streaming};

use crate::market::Market;
use crate::pb::{Trade, UploadSummary};
use crate::service::TickerService;

/// Checks one trade: a listed symbol, a positive price and a positive
/// quantity. `index` counts the trades of the stream from 0.
///
/// # Errors
///
/// `InvalidArgument`, with a message that starts with `trade <index>:`.
pub fn validate_trade(market: &Market, index: u64, trade: &Trade) -> Result<(), Status> {
    let problem = if !market.is_listed(&trade.symbol) {
        format!("unknown symbol {:?}", trade.symbol)
    } else if trade.price_cents <= 0 {
        format!("price must be positive, got {}", trade.price_cents)
    } else if trade.quantity == 0 {
        "quantity must be positive".to_owned()
    } else {
        return Ok(());
    };
    Err(Status::invalid_argument(format!(
        "trade {index}: {problem}"
    )))
}

impl TickerService {
    /// Reads every trade of the stream and sums them up.
    ///
    /// # Errors
    ///
    /// `InvalidArgument` for the first invalid trade (see
    /// [`validate_trade`]); the error of the stream itself if reading fails.
    pub(crate) async fn read_upload(
        &self,
        mut trades: Streaming<Trade>,
    ) -> Result<UploadSummary, Status> {
        let mut summary = UploadSummary::default();
        let mut symbols = HashSet::new();
        // `message()` returns `Ok(None)` when the client half-closes (its
        // request stream ended), and `Err` if the stream broke: a reset, a
        // message that does not decode. `?` hands that error back.
        while let Some(trade) = trades.message().await? {
            // Returning drops `trades`: tonic stops reading and answers at
            // once, with the client still sending. Rejected: collecting the
            // whole stream into a Vec first, which holds every trade in
            // memory and reports the first error only after the last trade.
            validate_trade(&self.market, summary.trades, &trade)?;
            summary.trades += 1;
            summary.quantity += u64::from(trade.quantity);
            symbols.insert(trade.symbol);
        }
        // An empty upload is valid: zero trades.
        summary.symbols = u32::try_from(symbols.len()).unwrap_or(u32::MAX);
        Ok(summary)
    }
}
