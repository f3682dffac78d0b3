//! Step 4: the coordinator, the one task that owns the crawl.
//!
//! It holds the [`Frontier`], the [`Limiter`] and the [`Pool`], and it is
//! the only code that touches them, so none of them needs a lock. Its loop:
//! start as many queued pages as the pool and the rate limits allow; stop if
//! nothing is outstanding; otherwise wait for the first of three events (a
//! cancel, a finished fetch, a rate-limit token) and go round again.

use std::num::NonZeroUsize;
use std::sync::Arc;

use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

use crate::{Done, FetchError, Fetcher, Frontier, Limiter, Page, Pool, Rate, Url};

/// How to crawl: the concurrency bound, the depth limit and the rate limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    concurrency: NonZeroUsize,
    max_depth: u32,
    global_rate: Option<Rate>,
    per_host_rate: Option<Rate>,
}

impl Config {
    /// At most `concurrency` fetches at once, no depth limit, no rate limit.
    pub fn new(concurrency: NonZeroUsize) -> Self {
        Self {
            concurrency,
            max_depth: u32::MAX,
            global_rate: None,
            per_host_rate: None,
        }
    }

    /// Follows links at most `max_depth` steps from the seed (0: the seed
    /// only).
    #[must_use]
    pub fn with_max_depth(self, max_depth: u32) -> Self {
        Self { max_depth, ..self }
    }

    /// Limits how fast fetches start, all hosts together.
    #[must_use]
    pub fn with_global_rate(self, rate: Rate) -> Self {
        Self {
            global_rate: Some(rate),
            ..self
        }
    }

    /// Limits how fast fetches to any one host start.
    #[must_use]
    pub fn with_per_host_rate(self, rate: Rate) -> Self {
        Self {
            per_host_rate: Some(rate),
            ..self
        }
    }

    /// The most fetches in flight at once.
    pub fn concurrency(&self) -> NonZeroUsize {
        self.concurrency
    }

    /// The depth limit (`u32::MAX` for none).
    pub fn max_depth(&self) -> u32 {
        self.max_depth
    }
}

/// One page the crawl fetched (or tried to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// The page's address.
    pub url: Url,
    /// Links from the seed.
    pub depth: u32,
    /// What the fetch returned.
    pub result: Result<Page, FetchError>,
}

/// How a crawl ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every reachable page was visited.
    Finished,
    /// The token was cancelled first; `unvisited` pages were still queued or
    /// in flight, and were dropped.
    Cancelled {
        /// Pages accepted but not completed when the crawl stopped.
        unvisited: usize,
    },
}

/// What a crawl did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Every completed fetch, in completion order.
    pub visits: Vec<Visit>,
    /// Whether it finished or was cancelled.
    pub outcome: Outcome,
}

/// Crawls from `seed`: every reachable page is fetched exactly once, at
/// most `concurrency` at a time, within the rate limits. (With a depth
/// limit, a page's depth is that of the first path found to it, which may
/// not be the shortest when fetches finish out of order.) Returns as soon as the last fetch completes, or, once `cancel` is
/// cancelled, as soon as the fetches in flight have been aborted (no task
/// of the crawl is left running when it returns).
pub async fn crawl<F: Fetcher>(
    fetcher: Arc<F>,
    seed: Url,
    config: &Config,
    cancel: &CancellationToken,
) -> Report {
    // TODO: make the Frontier (seed, max depth), the Limiter (the two
    // rates, now) and the Pool (fetcher, concurrency). Then loop:
    // 1. if `cancel.is_cancelled()`: shut the pool down, and return the
    //    visits with `Outcome::Cancelled { unvisited: outstanding }`;
    // 2. while the pool has room: peek at the next job and ask the limiter
    //    for its host; Ok: take the job and start it; Err(at): remember
    //    `at` and stop filling;
    // 3. if the frontier is done, return the visits, `Outcome::Finished`;
    // 4. `tokio::select!` with `biased;` on: `cancel.cancelled()` (go
    //    round), `Some(done) = pool.next_done()` (complete the job with the
    //    page's links, or none on an error, and record a Visit), and
    //    `sleep_until(at)` only if a token is awaited.
    todo!("crawl: the coordinator loop")
}
