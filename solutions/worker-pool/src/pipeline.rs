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
    // Bounded channels: a fast stage can run at most `capacity` items ahead
    // of a slow one, then its `send` waits. With unbounded channels, parsing
    // a million lines ahead of a slow writer is a million items in memory.
    let (orders, orders_out) = mpsc::channel(capacity.get());
    let (priced, priced_out) = mpsc::channel(capacity.get());
    let parse = tokio::spawn(parse_stage(lines.into_iter(), orders));
    let enrich = tokio::spawn(enrich_stage(orders_out, prices, priced));
    let write = tokio::spawn(write_stage(priced_out, write));
    // Wait for all three, not for the first error (`try_join!`): every
    // stage ends on its own, because each ends when its input ends or its
    // output is closed, and a stage that fails drops both its channel ends
    // on the way out. Joining all three means no task outlives the call.
    let parsed = joined(parse, "parse").await;
    let enriched = joined(enrich, "enrich").await;
    let written = joined(write, "write").await;
    parsed?;
    enriched?;
    written
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
    for (index, text) in lines.enumerate() {
        let order = Order::parse(index + 1, &text)?;
        // `send` fails only when the next stage has gone, which happens
        // only when it stopped early. That stage reports its own error;
        // this one just stops reading the input.
        if out.send(order).await.is_err() {
            return Ok(());
        }
    }
    // Returning drops `out`, the only sender: the next stage's `recv`
    // returns `None` after the last order, and so it ends too.
    Ok(())
}

/// Stage 2: price every order and send it on.
async fn enrich_stage(
    mut input: mpsc::Receiver<Order>,
    prices: Arc<PriceList>,
    out: mpsc::Sender<Priced>,
) -> Result<(), PipelineError> {
    while let Some(order) = input.recv().await {
        let Some(unit) = prices.price(&order.sku).await else {
            // Returning drops `input`: the parse stage's next `send` fails
            // and it stops, rather than waiting for ever on a full channel
            // that nobody reads. It drops `out` too, so `write` ends.
            return Err(PipelineError::UnknownSku {
                line: order.line,
                sku: order.sku,
            });
        };
        let record = Priced {
            line: order.line,
            total_cents: unit * u64::from(order.quantity),
            sku: order.sku,
            quantity: order.quantity,
        };
        if out.send(record).await.is_err() {
            return Ok(());
        }
    }
    Ok(())
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
    let mut written = 0;
    while let Some(record) = input.recv().await {
        let line = record.line;
        write(record).await.map_err(|error| PipelineError::Write {
            line,
            reason: error.to_string(),
        })?;
        written += 1;
    }
    Ok(written)
}
