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
    // TODO: check the symbol (`market.is_listed`), then `price_cents > 0`,
    // then `quantity > 0`; the first problem is
    // `Status::invalid_argument(format!("trade {index}: ..."))`.
    todo!("validate_trade: a listed symbol, a positive price and quantity")
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
        // TODO: `while let Some(trade) = trades.message().await? { .. }`
        // (`Ok(None)` is the end of the client's stream). Validate each trade
        // with its index, return at the first error, and add it up: trades,
        // quantity, and the distinct symbols (a HashSet). No trades at all is
        // a valid upload.
        todo!("TickerService::read_upload: read, check and sum the trades")
    }
}
