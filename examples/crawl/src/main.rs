//! # Day 82 example: the crawler, over HTTP and over a generated web
//!
//! `cargo run -p crawl` runs four scenarios:
//!
//! 1. A real crawl: a nine-page site (cycles, a self-link, two broken links,
//!    an off-site link, a page nothing links to) is served on 127.0.0.1 by
//!    a `tiny_http` thread, and crawled over HTTP. The pages are parsed with
//!    `scraper`, a real HTML parser. The report lists every page found, and
//!    the server's own log shows that each was requested exactly once.
//! 2. Scale: a generated web of 10,000 pages with 1 to 5 ms of simulated
//!    latency, crawled 32 at a time on tokio's paused clock, so the run
//!    takes an exact, repeatable amount of virtual time.
//! 3. Politeness: the same kind of web over three hosts, with a per-host
//!    rate limit; the fetches of each host are exactly 10 ms apart.
//! 4. Cancellation: a crawl cancelled after 50 ms stops at 50 ms, with no
//!    fetch left running.
//!
//! # Layout
//!
//! `main.rs` runs the scenarios, one function each; `http.rs` is the HTTP
//! adapter of the crawler's `Fetcher` port; `site.rs` serves the small
//! site. Nothing printed depends on the machine (the site's port is never
//! shown), so two runs print the same.

mod http;
mod site;

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use crawler::memory::{MemoryFetcher, Web};
use crawler::{Config, Outcome, Rate, Url, crawl};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    crawl_a_real_site()?;
    let paused = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()?;
    paused.block_on(crawl_ten_thousand_pages())?;
    paused.block_on(crawl_politely())?;
    paused.block_on(cancel_a_crawl())?;
    Ok(())
}

fn concurrency(n: usize) -> Result<NonZeroUsize, Error> {
    NonZeroUsize::new(n).ok_or_else(|| "concurrency must be positive".into())
}

fn crawl_a_real_site() -> Result<(), Error> {
    println!("== 1. a small site on 127.0.0.1, over HTTP, parsed with scraper");
    let site = site::Site::serve()?;
    // A real clock here: the fetches are real sockets.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let seed = Url::parse(&format!("http://{}/", site.addr()))?;
    let fetcher = Arc::new(http::HttpFetcher::new(seed.host()));
    // Polite to our own server: 2 at once, at most 50 requests a second.
    let config = Config::new(concurrency(2)?)
        .with_per_host_rate(Rate::new(5, Duration::from_millis(20))?);
    let report = runtime.block_on(crawl(
        Arc::clone(&fetcher),
        seed,
        &config,
        &CancellationToken::new(),
    ));
    let mut visits = report.visits;
    visits.sort_by(|a, b| a.url.path().cmp(b.url.path()));
    for visit in &visits {
        let status = match &visit.result {
            Ok(page) => format!(
                "{:?}, links: {}",
                page.title.as_deref().unwrap_or("untitled"),
                page.links.len()
            ),
            Err(error) => error.to_string(),
        };
        println!("  depth {}  {:<24} {status}", visit.depth, visit.url.path());
    }
    println!("pages visited: {}", visits.len());
    println!("outcome: {:?}", report.outcome);
    println!("off-site links not followed: {}", fetcher.off_site());
    let requests = site.stop();
    let most = requests.values().copied().max().unwrap_or(0);
    println!("most requests the server saw for one page: {most}");
    let orphan = requests.get("/orphan.html").copied().unwrap_or(0);
    println!("requests for the page nothing links to: {orphan}");
    Ok(())
}

async fn crawl_ten_thousand_pages() -> Result<(), Error> {
    println!("\n== 2. 10,000 generated pages, 32 at a time (paused clock)");
    let web = Web::generate(10_000, 7, 6, 82);
    let fetcher = Arc::new(
        MemoryFetcher::new(web.clone())
            .with_latency(Duration::from_millis(1))
            .with_jitter(Duration::from_millis(4)),
    );
    let start = Instant::now();
    let report = crawl(
        Arc::clone(&fetcher),
        Web::seed(),
        &Config::new(concurrency(32)?),
        &CancellationToken::new(),
    )
    .await;
    let took = start.elapsed();
    let reachable = web.reachable(&Web::seed(), u32::MAX);
    let once = fetcher.fetch_counts().values().all(|n| *n == 1);
    println!(
        "pages fetched: {} (of {} reachable)",
        report.visits.len(),
        reachable.len()
    );
    println!("every reachable page exactly once: {once}");
    let strays = fetcher
        .fetch_counts()
        .keys()
        .filter(|u| !reachable.contains(*u))
        .count();
    println!("unreachable pages fetched: {strays}");
    println!("most fetches in flight: {}", fetcher.max_in_flight());
    let latency = fetcher.mean_latency();
    let bound = 32.0 / latency.as_secs_f64();
    let rate = report.visits.len() as f64 / took.as_secs_f64();
    println!("took {} ms of virtual time", took.as_millis());
    println!(
        "{rate:.0} pages/s against a bound of 32 / {:.3} ms = {bound:.0} pages/s ({:.1}%)",
        latency.as_secs_f64() * 1e3,
        100.0 * rate / bound
    );
    Ok(())
}

async fn crawl_politely() -> Result<(), Error> {
    println!("\n== 3. at most one fetch per host per 10 ms (paused clock)");
    let web = Web::generate(300, 3, 4, 3);
    let fetcher = Arc::new(MemoryFetcher::new(web));
    let config = Config::new(concurrency(16)?)
        .with_per_host_rate(Rate::new(1, Duration::from_millis(10))?);
    let start = Instant::now();
    let report = crawl(
        Arc::clone(&fetcher),
        Web::seed(),
        &config,
        &CancellationToken::new(),
    )
    .await;
    let mut by_host: BTreeMap<String, Vec<Instant>> = BTreeMap::new();
    for (at, url) in fetcher.starts() {
        by_host.entry(url.host().to_owned()).or_default().push(at);
    }
    for (host, starts) in &by_host {
        let gap = starts
            .windows(2)
            .map(|w| w[1] - w[0])
            .min()
            .unwrap_or_default();
        println!(
            "  {host}: {} fetches, closest two {} ms apart",
            starts.len(),
            gap.as_millis()
        );
    }
    println!("pages fetched: {}", report.visits.len());
    println!("took {} ms of virtual time", start.elapsed().as_millis());
    Ok(())
}

async fn cancel_a_crawl() -> Result<(), Error> {
    println!("\n== 4. cancelled after 50 ms (paused clock)");
    let web = Web::generate(5_000, 3, 4, 4);
    let fetcher =
        Arc::new(MemoryFetcher::new(web).with_latency(Duration::from_millis(20)));
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        trigger.cancel();
    });
    let start = Instant::now();
    let report = crawl(
        Arc::clone(&fetcher),
        Web::seed(),
        &Config::new(concurrency(8)?),
        &cancel,
    )
    .await;
    println!("stopped after {} ms", start.elapsed().as_millis());
    if let Outcome::Cancelled { unvisited } = report.outcome {
        println!(
            "pages visited: {}, left unvisited: {unvisited}",
            report.visits.len()
        );
    }
    println!(
        "fetches aborted: {}",
        fetcher.total_fetches() - report.visits.len()
    );
    println!("fetches still running: {}", fetcher.in_flight());
    Ok(())
}
