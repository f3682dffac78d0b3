//! # Day 82: the crawler (reference solution)
//!
//! A concurrent web crawler, the month's capstone: bounded (at most N
//! fetches in flight), cancellable (a `CancellationToken` stops it, leaving
//! no task behind), rate-limited globally and per host, and correct: every
//! reachable page fetched exactly once, and the crawl over exactly when
//! there is nothing left to do.
//!
//! The design is "one owner, many workers". One task, the coordinator in
//! [`crawl`], owns all the state: the seen set, the queue, the counters and
//! the rate-limit buckets. Workers only fetch a page and hand back what they
//! found. Nothing is shared, so nothing is locked.
//!
//! - [`Frontier`] (step 1): de-duplication, depth limit and the
//!   outstanding-work counter, as plain single-threaded data.
//! - [`TokenBucket`] and [`Limiter`] (step 2): global and per-host rate
//!   limits, exact on tokio's paused clock.
//! - [`Pool`] (step 3): a bounded `JoinSet` of fetch tasks; a panicking
//!   fetch comes back as an error for its page.
//! - [`crawl`] (step 4): the coordinator loop, with cancellation.
//! - [`Fetcher`] is the port the crawler owns; [`memory::MemoryFetcher`]
//!   is the in-memory adapter (generated graphs with simulated latency),
//!   and the `crawl` example has an HTTP one.
//!
//! # Layout
//!
//! `url.rs` and `fetch.rs` (given), then `frontier.rs`, `limit.rs`,
//! `pool.rs` and `crawl.rs`, one per step; `memory.rs` is the in-memory
//! adapter. The tests are the exercise's own
//! (`exercises/crawler/tests/crawler/`); the benchmark is
//! `benches/throughput.rs`.

mod crawl;
mod fetch;
mod frontier;
mod limit;
pub mod memory;
mod pool;
mod url;

pub use crawl::{Config, Outcome, Report, Visit, crawl};
pub use fetch::{FetchError, Fetcher, Page};
pub use frontier::{Frontier, Job};
pub use limit::{Limiter, Rate, RateError, TokenBucket};
pub use pool::{Done, Pool};
pub use url::{Url, UrlError};
