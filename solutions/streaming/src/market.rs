//! The market the service quotes: listed symbols and a deterministic price
//! for every tick. Given, not a step: it stands in for a real price feed.
//!
//! It also counts the ticks it has generated, so that a test can see how far
//! a producer ran ahead of its client (step 1).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::pb::Tick;

/// Why the market could not give a tick.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarketError {
    /// The symbol is not listed.
    #[error("unknown symbol {0:?}")]
    UnknownSymbol(String),
    /// Trading in the symbol stopped after `after` ticks.
    #[error("trading in {symbol} halted after {after} ticks")]
    Halted {
        /// The halted symbol.
        symbol: String,
        /// How many ticks it had before the halt.
        after: u64,
    },
}

#[derive(Debug, Clone, Copy)]
struct Listing {
    base_cents: i64,
    halt_after: Option<u64>,
}

/// Listed symbols and their prices. Share it behind an `Arc`.
#[derive(Debug, Default)]
pub struct Market {
    listings: HashMap<String, Listing>,
    generated: AtomicU64,
}

impl Market {
    /// An empty market.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lists `symbol`, priced around `base_cents`.
    pub fn list(mut self, symbol: &str, base_cents: i64) -> Self {
        let listing = Listing {
            base_cents,
            halt_after: None,
        };
        self.listings.insert(symbol.to_owned(), listing);
        self
    }

    /// Lists `symbol`, which halts after `after` ticks: tick `after` and
    /// every later one is [`MarketError::Halted`].
    pub fn list_halting(mut self, symbol: &str, base_cents: i64, after: u64) -> Self {
        let listing = Listing {
            base_cents,
            halt_after: Some(after),
        };
        self.listings.insert(symbol.to_owned(), listing);
        self
    }

    /// Whether `symbol` is listed.
    pub fn is_listed(&self, symbol: &str) -> bool {
        self.listings.contains_key(symbol)
    }

    /// Tick number `seq` of `symbol`. The price moves by a fixed pattern,
    /// so every run sees the same prices.
    ///
    /// # Errors
    ///
    /// [`MarketError::UnknownSymbol`] for a symbol that is not listed, and
    /// [`MarketError::Halted`] from the halt on.
    pub fn tick(&self, symbol: &str, seq: u64) -> Result<Tick, MarketError> {
        let listing = self
            .listings
            .get(symbol)
            .ok_or_else(|| MarketError::UnknownSymbol(symbol.to_owned()))?;
        if let Some(after) = listing.halt_after
            && seq >= after
        {
            return Err(MarketError::Halted {
                symbol: symbol.to_owned(),
                after,
            });
        }
        // Relaxed: a statistic read by tests after the fact; it orders
        // nothing else.
        self.generated.fetch_add(1, Ordering::Relaxed);
        Ok(Tick {
            symbol: symbol.to_owned(),
            seq,
            price_cents: listing.base_cents + price_step(seq),
        })
    }

    /// How many ticks the market has generated, over all streams.
    pub fn generated(&self) -> u64 {
        self.generated.load(Ordering::Relaxed)
    }
}

/// A fixed zig-zag of -5..=+5 cents around the base price.
fn price_step(seq: u64) -> i64 {
    // `seq % 10` is below 10, so the cast cannot truncate.
    let phase = (seq % 10) as i64;
    if phase <= 5 { phase } else { 10 - phase }
}
