//! The fetcher port: what the crawler needs from the outside world.
//!
//! Not a step of the lesson: it is given. The crawler owns this trait and
//! knows nothing else about HTTP. `memory::MemoryFetcher` is the adapter the
//! tests and the benchmark use (a generated graph, simulated latency); the
//! `crawl` example has an HTTP adapter that parses real HTML. Swapping one
//! for the other changes no line of the crawler.

use crate::Url;

/// One fetched page: its title, if it has one, and the links on it,
/// already resolved to absolute addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The page's `<title>`, if any.
    pub title: Option<String>,
    /// Every link on the page, in document order, duplicates included: the
    /// crawler de-duplicates, so an adapter need not.
    pub links: Vec<Url>,
}

/// Why a page could not be fetched. A failed fetch is still a finished
/// fetch: the crawler records it and moves on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The server has no such page (HTTP 404, or absent from the graph).
    #[error("not found")]
    NotFound,
    /// Anything else: refused connection, bad status, unreadable body.
    #[error("fetch failed: {0}")]
    Failed(String),
    /// The fetch panicked. The crawler catches it (the task's `JoinError`)
    /// so that one bad page cannot stall or crash the crawl.
    #[error("fetch panicked: {0}")]
    Panicked(String),
}

/// Fetches one page. Implementations MUST be cancel-safe in the simplest
/// sense: the crawler drops an unfinished `fetch` future when the crawl is
/// cancelled, and that must release whatever it holds.
///
/// The trait uses a return-position `impl Future + Send` rather than a
/// plain `async fn`: the crawler runs each fetch in a spawned task, which
/// needs a `Send` future, and an `async fn` in a trait cannot promise that
/// to its callers. (The `async-trait` crate, the older answer, boxes every
/// future; since Rust 1.75 that is no longer needed.)
pub trait Fetcher: Send + Sync + 'static {
    /// Fetches `url` and returns its links.
    fn fetch(&self, url: &Url) -> impl Future<Output = Result<Page, FetchError>> + Send;
}
