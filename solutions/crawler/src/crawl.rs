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
    let mut frontier = Frontier::new(seed, config.max_depth);
    let mut limiter =
        Limiter::new(config.global_rate, config.per_host_rate, Instant::now());
    let mut pool = Pool::new(fetcher, config.concurrency);
    let mut visits = Vec::new();
    // Made once, not once per trip round the loop: a fresh
    // `cancel.cancelled()` in every `select!` registers with the token (a
    // lock) when polled and unregisters (the lock again) when dropped, for
    // every page. Pinned here, it registers once. Polling it again after it
    // fired is never needed: the top of the loop returns first.
    let cancelled = cancel.cancelled();
    tokio::pin!(cancelled);

    loop {
        if cancel.is_cancelled() {
            // Checked before starting anything, so that a crawl cancelled
            // while it was busy (or before it began) starts no new fetch.
            pool.shutdown().await;
            let unvisited = frontier.outstanding();
            return Report {
                visits,
                outcome: Outcome::Cancelled { unvisited },
            };
        }

        // Fill the pool. The rate limit is asked at the moment a fetch
        // really starts, never in advance: a token reserved for later would
        // be spent even if that fetch then had to wait for a free slot.
        let now = Instant::now();
        let mut next_token = None;
        while pool.has_room() {
            let Some(job) = frontier.peek() else { break };
            match limiter.try_acquire(job.url().host(), now) {
                Ok(()) => {
                    let job = frontier.next_job().expect("peeked just above");
                    pool.start(job).expect("the pool has room");
                }
                Err(at) => {
                    // Head-of-line: the first queued page waits for its
                    // host, and the pages behind it wait too (see the page,
                    // "per-host queues", for the fuller design).
                    next_token = Some(at);
                    break;
                }
            }
        }

        // The only exit besides cancelling: nothing queued, nothing in
        // flight. No timeout, no "wait until it has been quiet for a while":
        // the counter knows.
        if frontier.is_done() {
            return Report {
                visits,
                outcome: Outcome::Finished,
            };
        }

        tokio::select! {
            // `biased`: look at the token first, so a cancel is never
            // starved by a stream of finished fetches.
            biased;
            () = &mut cancelled => {
                // Handled at the top of the loop.
            }
            Some(done) = pool.next_done() => {
                // Fetches that start together finish together: take every
                // one that has already finished before refilling, so a
                // burst costs one trip round the loop, not one per page.
                // (The refill then starts the burst's successors in one go.)
                let mut done = Some(done);
                while let Some(Done { job, result }) = done {
                    let links = result.as_ref().map_or(&[][..], |page| &page.links[..]);
                    let (url, depth) = (job.url().clone(), job.depth());
                    frontier.complete(job, links);
                    visits.push(Visit { url, depth, result });
                    done = pool.try_next_done();
                }
            }
            // An async block, so that no `Sleep` (a timer entry) is built on
            // the trips where the branch is disabled, which are all of them
            // when no rate limit is set: `select!` evaluates a disabled
            // branch's expression, it only does not poll it.
            () = async { sleep_until(next_token.unwrap_or(now)).await },
                if next_token.is_some() => {
                // A token is due: go round and start the waiting page.
            }
        }
    }
}
