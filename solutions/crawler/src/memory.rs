//! The in-memory adapter of the [`Fetcher`] port: a generated web of pages,
//! fetched with simulated latency, and instrumented so that tests can check
//! what the crawler did.
//!
//! Not a step of the lesson: it is given, complete. It is what makes the
//! crawler testable without a network: graphs with cycles, self-links,
//! links to missing pages and ten thousand pages, fetched on tokio's paused
//! clock, so a test knows exactly when each fetch started and how many were
//! running at once.
//!
//! The counters are shared between the crawl's tasks, so they are atomics
//! and a `Mutex` (held for a few instructions, never across an `.await`).
//! That is measurement, not the crawler's state: the crawler itself shares
//! nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use crate::{FetchError, Fetcher, Page, Url};

/// A web of pages: each address maps to the links on that page. An address
/// that is linked to but not in the map is a missing page (a 404).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Web {
    pages: BTreeMap<Url, Vec<Url>>,
}

/// The address of page `n` on host `h` in generated webs:
/// `http://h{h}.test/page/{n}`.
pub fn page_url(host: usize, n: usize) -> Url {
    Url::parse(&format!("http://h{host}.test/page/{n}")).expect("a valid url")
}

impl Web {
    /// An empty web.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a page and its links.
    pub fn add(&mut self, url: Url, links: Vec<Url>) {
        self.pages.insert(url, links);
    }

    /// Builds a web from `(page, links)` pairs written as strings.
    ///
    /// # Panics
    ///
    /// If a string is not a valid [`Url`]: meant for tests.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, Vec<&'a str>)>,
    ) -> Self {
        let parse = |s: &str| Url::parse(s).expect("a valid url");
        let mut web = Self::new();
        for (page, links) in pairs {
            web.add(parse(page), links.into_iter().map(parse).collect());
        }
        web
    }

    /// A random web of `pages` pages spread over `hosts` hosts, from a fixed
    /// `seed` (the same arguments always give the same web). Page 0 on
    /// host 0 is the crawl's seed. Every page links to the next one (so all
    /// `pages` are reachable) and to `fan_out` random others, which makes
    /// cycles everywhere. One page in ten also links to itself, one in
    /// twenty to a missing page, and an island of 50 pages links into the
    /// web while nothing links to it: it must never be fetched.
    ///
    /// # Panics
    ///
    /// If `pages` or `hosts` is zero.
    pub fn generate(pages: usize, hosts: usize, fan_out: usize, seed: u64) -> Self {
        assert!(pages > 0 && hosts > 0, "a web needs pages and hosts");
        let mut rng = fastrand::Rng::with_seed(seed);
        let url = |n: usize| page_url(n % hosts, n);
        let mut web = Self::new();
        for n in 0..pages {
            let mut links = Vec::with_capacity(fan_out + 3);
            links.push(url((n + 1) % pages));
            for _ in 0..fan_out {
                links.push(url(rng.usize(0..pages)));
            }
            if n % 10 == 0 {
                links.push(url(n));
            }
            if n % 20 == 0 {
                links.push(Self::missing(n));
            }
            web.add(url(n), links);
        }
        for i in 0..50 {
            let island =
                Url::parse(&format!("http://island.test/page/{i}")).expect("valid");
            let next = Url::parse(&format!("http://island.test/page/{}", (i + 1) % 50))
                .expect("valid");
            web.add(island, vec![next, url(rng.usize(0..pages))]);
        }
        web
    }

    /// The address of the `n`th missing page in generated webs.
    pub fn missing(n: usize) -> Url {
        Url::parse(&format!("http://gone.test/page/{n}")).expect("a valid url")
    }

    /// The links on `url`, none if it is missing.
    pub fn links(&self, url: &Url) -> &[Url] {
        self.pages.get(url).map_or(&[], Vec::as_slice)
    }

    /// The crawl's seed in generated webs.
    pub fn seed() -> Url {
        page_url(0, 0)
    }

    /// Pages in the web (missing pages are not counted).
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether the web has no page.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Every page in the web.
    pub fn pages(&self) -> impl Iterator<Item = &Url> {
        self.pages.keys()
    }

    /// The answer a correct crawl must reach, computed the slow and obvious
    /// way: a sequential breadth-first search from `seed`, following links at
    /// most `max_depth` steps. Missing pages that are linked to are
    /// included: the crawler fetches them (once) and gets a 404.
    pub fn reachable(&self, seed: &Url, max_depth: u32) -> BTreeSet<Url> {
        let mut seen = BTreeSet::from([seed.clone()]);
        let mut queue = VecDeque::from([(seed.clone(), 0_u32)]);
        while let Some((url, depth)) = queue.pop_front() {
            if depth == max_depth {
                continue;
            }
            for link in self.pages.get(&url).into_iter().flatten() {
                if seen.insert(link.clone()) {
                    queue.push_back((link.clone(), depth + 1));
                }
            }
        }
        seen
    }
}

/// A [`Fetcher`] over a [`Web`], with simulated latency, that counts what
/// the crawler does to it.
#[derive(Debug)]
pub struct MemoryFetcher {
    web: Web,
    latency: Duration,
    jitter: Duration,
    panic_on: Option<Url>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    latency_nanos: AtomicUsize,
    log: Mutex<Log>,
}

#[derive(Debug, Default)]
struct Log {
    fetches: HashMap<Url, usize>,
    starts: Vec<(Instant, Url)>,
}

impl MemoryFetcher {
    /// A fetcher over `web` that answers at once (it still yields once, so
    /// fetches interleave).
    pub fn new(web: Web) -> Self {
        Self {
            web,
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
            panic_on: None,
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            latency_nanos: AtomicUsize::new(0),
            log: Mutex::new(Log::default()),
        }
    }

    /// Each fetch takes `latency` (a `tokio::time::sleep`: exact on a paused
    /// clock, rounded up to tokio's 1 ms timer on a real one).
    #[must_use]
    pub fn with_latency(self, latency: Duration) -> Self {
        Self { latency, ..self }
    }

    /// Adds up to `jitter` more to each fetch, fixed per address (a hash of
    /// it), so fetches finish in a scrambled but repeatable order.
    #[must_use]
    pub fn with_jitter(self, jitter: Duration) -> Self {
        Self { jitter, ..self }
    }

    /// Fetching `url` panics, after the latency.
    #[must_use]
    pub fn panicking_on(self, url: Url) -> Self {
        Self {
            panic_on: Some(url),
            ..self
        }
    }

    fn delay(&self, url: &Url) -> Duration {
        if self.jitter.is_zero() {
            return self.latency;
        }
        // FNV-1a: a stable hash, unlike `DefaultHasher`'s, which may change.
        let hash = url
            .as_str()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        let nanos = u64::try_from(self.jitter.as_nanos()).unwrap_or(u64::MAX);
        self.latency + Duration::from_nanos(hash % (nanos + 1))
    }

    /// How many times `url` was fetched.
    pub fn fetches(&self, url: &Url) -> usize {
        self.lock().fetches.get(url).copied().unwrap_or(0)
    }

    /// Fetches of every address, sorted by address.
    pub fn fetch_counts(&self) -> BTreeMap<Url, usize> {
        self.lock()
            .fetches
            .iter()
            .map(|(url, n)| (url.clone(), *n))
            .collect()
    }

    /// Fetches so far, all addresses together.
    pub fn total_fetches(&self) -> usize {
        self.lock().fetches.values().sum()
    }

    /// When each fetch started, in start order.
    pub fn starts(&self) -> Vec<(Instant, Url)> {
        self.lock().starts.clone()
    }

    /// Fetches running now: counted up when a fetch starts, and down when
    /// its future is dropped, whether it finished or was aborted.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// The most fetches that were ever running at once.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    /// The mean time a completed fetch really took, measured around its
    /// sleep (on a real clock, tokio rounds sleeps up to whole
    /// milliseconds; this is what the benchmark compares against).
    pub fn mean_latency(&self) -> Duration {
        let total = self.total_fetches().max(1);
        let nanos = self.latency_nanos.load(Ordering::SeqCst) / total;
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Log> {
        // A panicking fetch never holds the lock, but a poisoned log is still
        // a usable log.
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Counts a fetch as running for as long as it lives. Dropping the fetch
/// future (a crawl cancelled, a task aborted) drops the guard too, so the
/// count goes back down either way: a test that finds it above zero after
/// the crawl returned has found a fetch still running.
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    fn enter(counter: &'a AtomicUsize, max: &AtomicUsize) -> Self {
        let now = counter.fetch_add(1, Ordering::SeqCst) + 1;
        max.fetch_max(now, Ordering::SeqCst);
        Self(counter)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Fetcher for MemoryFetcher {
    async fn fetch(&self, url: &Url) -> Result<Page, FetchError> {
        let _running = InFlight::enter(&self.in_flight, &self.max_in_flight);
        let started = Instant::now();
        {
            let mut log = self.lock();
            *log.fetches.entry(url.clone()).or_default() += 1;
            log.starts.push((started, url.clone()));
        }
        let delay = self.delay(url);
        if delay.is_zero() {
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(delay).await;
        }
        let took = usize::try_from(started.elapsed().as_nanos()).unwrap_or(usize::MAX);
        self.latency_nanos.fetch_add(took, Ordering::SeqCst);
        if self.panic_on.as_ref() == Some(url) {
            panic!("the page {url} is cursed");
        }
        match self.web.pages.get(url) {
            Some(links) => Ok(Page {
                title: Some(format!("page {}", url.path())),
                links: links.clone(),
            }),
            None => Err(FetchError::NotFound),
        }
    }
}
