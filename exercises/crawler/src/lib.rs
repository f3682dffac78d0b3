//! # Day 82: the crawler (exercise)
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
//! - [`Frontier`] (step 1, `frontier.rs`): de-duplication, depth limit and
//!   the outstanding-work counter, as plain single-threaded data.
//! - [`TokenBucket`] and [`Limiter`] (step 2, `limit.rs`): global and
//!   per-host rate limits, exact on tokio's paused clock.
//! - [`Pool`] (step 3, `pool.rs`): a bounded `JoinSet` of fetch tasks; a
//!   panicking fetch comes back as an error for its page.
//! - [`crawl`] (step 4, `crawl.rs`): the coordinator loop, with
//!   cancellation.
//! - Given, complete: [`Url`] (`url.rs`), the [`Fetcher`] port
//!   (`fetch.rs`), and [`memory::MemoryFetcher`] (`memory.rs`), the
//!   in-memory adapter the tests crawl: generated webs, simulated latency,
//!   and counters of what the crawler did.
//!
//! # Layout
//!
//! One module per step, in the order above; `lib.rs` re-exports. The tests
//! are in `tests/crawler/`, one file per step: `cargo test -p crawler`, or
//! one step with `cargo test -p crawler step1`. `cargo workbook hint
//! crawler` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

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
