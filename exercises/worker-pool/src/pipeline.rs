//! Step 2: a pipeline of three stages joined by bounded channels.
//!
//! `parse` turns lines of text into [`Order`]s, `enrich` prices each one
//! with a (slow) [`PriceList`], and `write` hands each [`Priced`] record to
//! the caller's writer. Each stage is one task; a channel of `capacity`
//! items joins each pair.

use std::collections::HashMap;
use std::fmt::Display;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Why the pipeline stopped early.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PipelineError {
    /// A line is not `sku,quantity`.
    #[error("line {line}: {reason}")]
    Parse {
        /// The line's number, from 1.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The price list does not know the product.
    #[error("line {line}: no price for {sku:?}")]
    UnknownSku {
        /// The line's number, from 1.
        line: usize,
        /// The unknown product.
        sku: String,
    },
    /// The writer refused a record.
    #[error("line {line}: write failed: {reason}")]
    Write {
        /// The record's line number, from 1.
        line: usize,
        /// The writer's error, as text.
        reason: String,
    },
    /// A stage panicked.
    #[error("the {stage} stage panicked")]
    Panicked {
        /// `"parse"`, `"enrich"` or `"write"`.
        stage: &'static str,
    },
}

/// One parsed line: a product and a quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// The line's number, from 1.
    pub line: usize,
    /// The product.
    pub sku: String,
    /// How many, at least 1.
    pub quantity: u32,
}

impl Order {
    /// Parses `"sku,quantity"`, for example `"apple,3"`.
    pub fn parse(line: usize, text: &str) -> Result<Self, PipelineError> {
        let error = |reason: String| PipelineError::Parse { line, reason };
        let (sku, quantity) = text
            .split_once(',')
            .ok_or_else(|| error(format!("expected sku,quantity, got {text:?}")))?;
        let sku = sku.trim();
        if sku.is_empty() {
            return Err(error("empty sku".to_owned()));
        }
        let quantity = quantity
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|q| *q > 0)
            .ok_or_else(|| error(format!("bad quantity {:?}", quantity.trim())))?;
        Ok(Self {
            line,
            sku: sku.to_owned(),
            quantity,
        })
    }
}

/// An order with its price: what the `write` stage receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    /// The line's number, from 1.
    pub line: usize,
    /// The product.
    pub sku: String,
    /// How many.
    pub quantity: u32,
    /// Quantity times unit price, in cents.
    pub total_cents: u64,
}

/// Unit prices, looked up as if from a remote service: each lookup takes
/// `latency`.
#[derive(Debug, Clone)]
pub struct PriceList {
    cents: HashMap<String, u64>,
    latency: Duration,
}

impl PriceList {
    /// An empty list whose every lookup takes `latency`.
    pub fn new(latency: Duration) -> Self {
        Self {
            cents: HashMap::new(),
            latency,
        }
    }

    /// The list with `sku` priced at `cents` per unit.
    #[must_use]
    pub fn with_price(mut self, sku: &str, cents: u64) -> Self {
        self.cents.insert(sku.to_owned(), cents);
        self
    }

    /// The unit price of `sku`, after `latency`.
    pub async fn price(&self, sku: &str) -> Option<u64> {
        tokio::time::sleep(self.latency).await;
        self.cents.get(sku).copied()
    }
}

/// Runs `lines` through parse, enrich and write, each stage a task, joined
/// by channels of `capacity`. Returns how many records were written.
///
/// Records reach `write` in the order of `lines`: each stage is one task
/// and a channel is first-in, first-out. The pipeline ends when `lines`
/// ends and every record is written. On an error it stops early: the
/// stages downstream of the failure finish the records already sent to
/// them, the stages upstream stop at their next send, and the error is
/// returned (if two stages fail, the one earlier in the pipeline wins).
///
/// # Errors
///
/// [`PipelineError::Parse`], [`PipelineError::UnknownSku`] or
/// [`PipelineError::Write`] for the first bad line, and
/// [`PipelineError::Panicked`] if a stage panicked.
pub async fn run_pipeline<I, W, Fut, E>(
    lines: I,
    prices: Arc<PriceList>,
    capacity: NonZeroUsize,
    write: W,
) -> Result<usize, PipelineError>
where
    I: IntoIterator<Item = String>,
    I::IntoIter: Send + 'static,
    W: FnMut(Priced) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Display + 'static,
{
    // TODO: two `mpsc::channel(capacity)`s, then `tokio::spawn` the three
    // stages. Await all three with `joined` (not the first error: each stage
    // ends on its own), then return the first error in stage order, or the
    // write stage's count.
    todo!("run_pipeline: two bounded channels, three stage tasks, join them all")
}

/// A stage's result, a panic becoming [`PipelineError::Panicked`].
async fn joined<T>(
    stage: JoinHandle<Result<T, PipelineError>>,
    name: &'static str,
) -> Result<T, PipelineError> {
    stage
        .await
        .unwrap_or(Err(PipelineError::Panicked { stage: name }))
}

/// Stage 1: parse every line and send it on; stop at the first bad line.
async fn parse_stage(
    lines: impl Iterator<Item = String>,
    out: mpsc::Sender<Order>,
) -> Result<(), PipelineError> {
    // TODO: `Order::parse` each line (numbered from 1) and `send` it; a bad
    // line returns its error. A failed `send` means the next stage stopped
    // early (it reports its own error): return Ok(()).
    todo!("parse_stage: parse and send each line")
}

/// Stage 2: price every order and send it on.
async fn enrich_stage(
    mut input: mpsc::Receiver<Order>,
    prices: Arc<PriceList>,
    out: mpsc::Sender<Priced>,
) -> Result<(), PipelineError> {
    // TODO: `while let Some(order) = input.recv().await`: look up the price
    // (none: PipelineError::UnknownSku), send a Priced record on, and stop
    // quietly if the send fails.
    todo!("enrich_stage: price each order and send it on")
}

/// Stage 3: hand every record to the writer, counting them.
async fn write_stage<W, Fut, E>(
    mut input: mpsc::Receiver<Priced>,
    mut write: W,
) -> Result<usize, PipelineError>
where
    W: FnMut(Priced) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: Display,
{
    // TODO: hand every record to `write`, turning its error into
    // PipelineError::Write (with the record's line and `to_string()`), and
    // count the records written.
    todo!("write_stage: write each record, counting them")
}
