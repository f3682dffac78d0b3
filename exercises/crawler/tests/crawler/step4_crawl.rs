//! Step 4: the coordinator (src/crawl.rs), the whole crawler.
//!
//! Each test crawls an in-memory web with `MemoryFetcher`, then asks the
//! fetcher what happened: how often each page was fetched, when each fetch
//! started, and how many ran at once. The reference answer is
//! `Web::reachable`, a plain sequential breadth-first search.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use crawler::memory::{MemoryFetcher, Web};
use crawler::{Config, FetchError, Outcome, Rate, Report, Url, crawl};
use proptest::prelude::*;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::{ms, url, webs};

fn config(concurrency: usize) -> Config {
    Config::new(NonZeroUsize::new(concurrency).expect("a positive concurrency"))
}

async fn run(fetcher: &Arc<MemoryFetcher>, seed: Url, config: &Config) -> Report {
    crawl(Arc::clone(fetcher), seed, config, &CancellationToken::new()).await
}

/// What a correct crawl fetches: every reachable page, once.
fn once_each(web: &Web, seed: &Url, max_depth: u32) -> BTreeMap<Url, usize> {
    web.reachable(seed, max_depth)
        .into_iter()
        .map(|page| (page, 1))
        .collect()
}

/// The fetches' start times, as (ms after `t0`, address), sorted.
fn schedule(fetcher: &MemoryFetcher, t0: Instant) -> Vec<(u128, String)> {
    let mut starts: Vec<_> = fetcher
        .starts()
        .into_iter()
        .map(|(at, page)| ((at - t0).as_millis(), page.to_string()))
        .collect();
    starts.sort();
    starts
}

fn at(millis: u128, page: &str) -> (u128, String) {
    (millis, page.to_owned())
}

/// A small web with every awkward case: a cycle back to the seed, a
/// self-link, a link to a missing page, a second host, a duplicate link,
/// and a page nothing links to.
fn awkward_web() -> Web {
    Web::from_pairs([
        (
            "http://a.test/",
            vec![
                "http://a.test/x",
                "http://a.test/y",
                "http://a.test/",
                "http://b.test/",
            ],
        ),
        (
            "http://a.test/x",
            vec![
                "http://a.test/x",
                "http://a.test/y",
                "http://a.test/missing",
            ],
        ),
        ("http://a.test/y", vec!["http://a.test/", "http://a.test/y"]),
        ("http://b.test/", vec!["http://a.test/x", "http://b.test/z"]),
        ("http://b.test/z", vec![]),
        ("http://a.test/unreachable", vec!["http://a.test/"]),
    ])
}

#[tokio::test(start_paused = true)]
async fn every_reachable_page_is_fetched_exactly_once_and_no_other() {
    let web = awkward_web();
    let fetcher = Arc::new(MemoryFetcher::new(web.clone()).with_jitter(ms(20)));
    let seed = url("http://a.test/");
    let report = run(&fetcher, seed.clone(), &config(3)).await;
    assert_eq!(
        report.outcome,
        Outcome::Finished,
        "the crawl ran to the end"
    );
    assert_eq!(
        fetcher.fetch_counts(),
        once_each(&web, &seed, u32::MAX),
        "each reachable page once (the missing one too: it is a 404), \
         and never the unreachable one"
    );
    assert_eq!(fetcher.fetches(&url("http://a.test/unreachable")), 0);
    assert_eq!(report.visits.len(), 6, "one visit per fetched page");
    let missing = report
        .visits
        .iter()
        .find(|visit| visit.url == url("http://a.test/missing"))
        .expect("the missing page is reported");
    assert_eq!(missing.result, Err(FetchError::NotFound), "as not found");
    assert_eq!(missing.depth, 2, "two links from the seed");
}

#[tokio::test(start_paused = true)]
async fn a_ten_thousand_page_web_is_crawled_exactly_once() {
    let web = Web::generate(10_000, 7, 4, 82);
    let fetcher = Arc::new(
        MemoryFetcher::new(web.clone())
            .with_latency(ms(1))
            .with_jitter(ms(20)),
    );
    let report = run(&fetcher, Web::seed(), &config(64)).await;
    let expected = once_each(&web, &Web::seed(), u32::MAX);
    assert!(
        expected.len() > 10_000,
        "the web has 10,000 pages plus 404s"
    );
    assert_eq!(report.outcome, Outcome::Finished);
    assert_eq!(
        fetcher.fetch_counts(),
        expected,
        "every reachable page exactly once; the island never"
    );
    assert_eq!(report.visits.len(), expected.len(), "one visit per page");
    assert_eq!(fetcher.max_in_flight(), 64, "64 at once, never more");
}

#[tokio::test(start_paused = true)]
async fn the_crawl_never_runs_more_fetches_than_its_concurrency() {
    let web = Web::generate(500, 3, 4, 1);
    for concurrency in [1, 3, 16, 64] {
        let fetcher = Arc::new(MemoryFetcher::new(web.clone()).with_jitter(ms(30)));
        run(&fetcher, Web::seed(), &config(concurrency)).await;
        assert_eq!(
            fetcher.max_in_flight(),
            concurrency,
            "with concurrency {concurrency}, the fetcher should see at most \
             (and at busy times exactly) {concurrency} fetches at once"
        );
        assert_eq!(
            fetcher.in_flight(),
            0,
            "and none left once the crawl returned"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn the_crawl_ends_the_moment_the_last_fetch_completes() {
    // A chain: each page is found only when the previous one is fetched.
    let web = Web::from_pairs([
        ("http://a.test/1", vec!["http://a.test/2"]),
        ("http://a.test/2", vec!["http://a.test/3"]),
        ("http://a.test/3", vec![]),
    ]);
    let fetcher = Arc::new(MemoryFetcher::new(web).with_latency(ms(10)));
    let start = Instant::now();
    let report = run(&fetcher, url("http://a.test/1"), &config(8)).await;
    assert_eq!(report.visits.len(), 3);
    assert_eq!(
        start.elapsed(),
        ms(30),
        "three fetches of 10 ms one after the other, and not a moment more: \
         the outstanding counter, not a timeout, ends the crawl"
    );
}

#[tokio::test(start_paused = true)]
async fn pages_beyond_the_concurrency_wait_for_a_free_place() {
    // The seed links to 8 pages; 4 at a time, 10 ms each.
    let links: Vec<String> = (0..8).map(|n| format!("http://a.test/{n}")).collect();
    let mut pairs = vec![("http://a.test/", links.iter().map(String::as_str).collect())];
    pairs.extend(links.iter().map(|link| (link.as_str(), vec![])));
    let fetcher =
        Arc::new(MemoryFetcher::new(Web::from_pairs(pairs)).with_latency(ms(10)));
    let start = Instant::now();
    run(&fetcher, url("http://a.test/"), &config(4)).await;
    assert_eq!(
        start.elapsed(),
        ms(30),
        "the seed (10 ms), then two rounds of four (20 ms)"
    );
    assert_eq!(fetcher.max_in_flight(), 4);
}

#[tokio::test(start_paused = true)]
async fn the_depth_limit_stops_the_crawl() {
    let web = Web::from_pairs([
        ("http://a.test/0", vec!["http://a.test/1"]),
        ("http://a.test/1", vec!["http://a.test/2"]),
        ("http://a.test/2", vec!["http://a.test/3"]),
        ("http://a.test/3", vec![]),
    ]);
    let fetcher = Arc::new(MemoryFetcher::new(web));
    let report = run(
        &fetcher,
        url("http://a.test/0"),
        &config(2).with_max_depth(2),
    )
    .await;
    assert_eq!(report.outcome, Outcome::Finished);
    assert_eq!(fetcher.total_fetches(), 3, "depths 0, 1 and 2");
    assert_eq!(
        fetcher.fetches(&url("http://a.test/3")),
        0,
        "depth 3 is too deep"
    );
}

#[tokio::test(start_paused = true)]
async fn a_panicking_fetch_is_reported_and_the_crawl_goes_on() {
    let web = Web::from_pairs([
        (
            "http://a.test/",
            vec!["http://a.test/cursed", "http://a.test/fine"],
        ),
        ("http://a.test/cursed", vec!["http://a.test/never"]),
        ("http://a.test/fine", vec!["http://a.test/deeper"]),
        ("http://a.test/deeper", vec![]),
    ]);
    let fetcher = MemoryFetcher::new(web).panicking_on(url("http://a.test/cursed"));
    let fetcher = Arc::new(fetcher);
    let report = run(&fetcher, url("http://a.test/"), &config(2)).await;
    assert_eq!(
        report.outcome,
        Outcome::Finished,
        "a panic must not leave its page outstanding forever"
    );
    let cursed = report
        .visits
        .iter()
        .find(|visit| visit.url == url("http://a.test/cursed"))
        .expect("the cursed page is reported");
    assert!(
        matches!(cursed.result, Err(FetchError::Panicked(_))),
        "as a panic, not {:?}",
        cursed.result
    );
    assert_eq!(
        fetcher.fetches(&url("http://a.test/deeper")),
        1,
        "the rest goes on"
    );
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_crawl_stops_at_once_and_leaves_no_fetch_running() {
    let web = Web::generate(2_000, 3, 4, 9);
    let fetcher = Arc::new(MemoryFetcher::new(web).with_latency(ms(10)));
    let cancel = CancellationToken::new();
    let canceller = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(ms(35)).await;
        canceller.cancel();
    });
    let start = Instant::now();
    let report = crawl(Arc::clone(&fetcher), Web::seed(), &config(8), &cancel).await;
    assert_eq!(
        start.elapsed(),
        ms(35),
        "the crawl returns the moment it is cancelled, not when its fetches end"
    );
    assert!(
        matches!(report.outcome, Outcome::Cancelled { unvisited } if unvisited > 0),
        "it says it was cancelled with pages left: {:?}",
        report.outcome
    );
    assert_eq!(
        fetcher.in_flight(),
        0,
        "every fetch future was dropped before crawl returned: no task left running"
    );
    assert_eq!(
        fetcher.total_fetches() - report.visits.len(),
        8,
        "the 8 fetches in flight at the cancel were aborted, and not reported as visits"
    );
    assert!(
        fetcher.starts().iter().all(|(at, _)| *at - start < ms(35)),
        "no fetch started after the cancel"
    );
    // Give any stray task a chance to run: nothing more may be fetched.
    let fetched = fetcher.total_fetches();
    tokio::time::sleep(ms(1_000)).await;
    assert_eq!(
        fetcher.total_fetches(),
        fetched,
        "nothing runs after the crawl"
    );
}

#[tokio::test(start_paused = true)]
async fn a_crawl_cancelled_before_it_starts_fetches_nothing() {
    let fetcher = Arc::new(MemoryFetcher::new(Web::generate(10, 1, 2, 3)));
    let cancel = CancellationToken::new();
    cancel.cancel();
    let report = crawl(Arc::clone(&fetcher), Web::seed(), &config(4), &cancel).await;
    assert_eq!(
        report.outcome,
        Outcome::Cancelled { unvisited: 1 },
        "the seed"
    );
    assert!(report.visits.is_empty(), "no visit");
    assert_eq!(fetcher.total_fetches(), 0, "no fetch");
}

#[tokio::test(start_paused = true)]
async fn a_crawl_waiting_for_a_rate_limit_token_can_be_cancelled() {
    let fetcher = Arc::new(MemoryFetcher::new(Web::generate(10, 1, 2, 3)));
    let limited = config(4).with_global_rate(Rate::new(1, ms(1_000)).expect("valid"));
    let cancel = CancellationToken::new();
    let canceller = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(ms(1_500)).await;
        canceller.cancel();
    });
    let start = Instant::now();
    let report = crawl(Arc::clone(&fetcher), Web::seed(), &limited, &cancel).await;
    assert_eq!(
        start.elapsed(),
        ms(1_500),
        "the wait for a token is cut short"
    );
    assert_eq!(fetcher.total_fetches(), 2, "fetches at 0 s and 1 s only");
    assert!(matches!(report.outcome, Outcome::Cancelled { .. }));
}

#[tokio::test(start_paused = true)]
async fn the_global_rate_spaces_the_fetches_exactly() {
    let web = Web::from_pairs([
        (
            "http://a.test/",
            vec!["http://a.test/1", "http://a.test/2", "http://b.test/3"],
        ),
        ("http://a.test/1", vec![]),
        ("http://a.test/2", vec![]),
        ("http://b.test/3", vec![]),
    ]);
    let fetcher = Arc::new(MemoryFetcher::new(web));
    // A burst of 2, then one every 100 ms, all hosts together.
    let limited = config(8).with_global_rate(Rate::new(2, ms(100)).expect("valid"));
    let t0 = Instant::now();
    run(&fetcher, url("http://a.test/"), &limited).await;
    assert_eq!(
        schedule(&fetcher, t0),
        [
            at(0, "http://a.test/"),
            at(0, "http://a.test/1"),
            at(100, "http://a.test/2"),
            at(200, "http://b.test/3"),
        ],
        "the burst of two at 0 ms, then one per 100 ms"
    );
    assert_eq!(t0.elapsed(), ms(200), "and done as soon as the last one is");
}

#[tokio::test(start_paused = true)]
async fn each_host_gets_its_own_rate() {
    let web = Web::from_pairs([
        (
            "http://seed.test/",
            vec![
                "http://a.test/1",
                "http://b.test/1",
                "http://a.test/2",
                "http://b.test/2",
                "http://a.test/3",
                "http://b.test/3",
            ],
        ),
        ("http://a.test/1", vec![]),
        ("http://b.test/1", vec![]),
        ("http://a.test/2", vec![]),
        ("http://b.test/2", vec![]),
        ("http://a.test/3", vec![]),
        ("http://b.test/3", vec![]),
    ]);
    let fetcher = Arc::new(MemoryFetcher::new(web));
    let limited = config(8).with_per_host_rate(Rate::new(1, ms(100)).expect("valid"));
    let t0 = Instant::now();
    run(&fetcher, url("http://seed.test/"), &limited).await;
    assert_eq!(
        schedule(&fetcher, t0),
        [
            at(0, "http://a.test/1"),
            at(0, "http://b.test/1"),
            at(0, "http://seed.test/"),
            at(100, "http://a.test/2"),
            at(100, "http://b.test/2"),
            at(200, "http://a.test/3"),
            at(200, "http://b.test/3"),
        ],
        "one fetch per host per 100 ms, the two hosts side by side"
    );
}

#[tokio::test(start_paused = true)]
async fn the_global_and_the_per_host_rates_hold_together() {
    let web = Web::from_pairs([
        (
            "http://seed.test/",
            vec![
                "http://a.test/1",
                "http://b.test/1",
                "http://a.test/2",
                "http://b.test/2",
            ],
        ),
        ("http://a.test/1", vec![]),
        ("http://b.test/1", vec![]),
        ("http://a.test/2", vec![]),
        ("http://b.test/2", vec![]),
    ]);
    let fetcher = Arc::new(MemoryFetcher::new(web));
    let limited = config(8)
        .with_global_rate(Rate::new(1, ms(50)).expect("valid"))
        .with_per_host_rate(Rate::new(1, ms(100)).expect("valid"));
    let t0 = Instant::now();
    run(&fetcher, url("http://seed.test/"), &limited).await;
    assert_eq!(
        schedule(&fetcher, t0),
        [
            at(0, "http://seed.test/"),
            at(50, "http://a.test/1"),
            at(100, "http://b.test/1"),
            at(150, "http://a.test/2"),
            at(200, "http://b.test/2"),
        ],
        "one fetch per 50 ms overall, and a's two (and b's two) 100 ms apart"
    );
}

/// Not on a paused clock: four worker threads and fetches that only yield,
/// so the tasks really run in parallel (this is the test ThreadSanitizer
/// has something to watch in). The result must not depend on the
/// interleaving.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_many_threads_every_page_is_still_fetched_exactly_once() {
    let web = Web::generate(2_000, 5, 4, 7);
    let fetcher = Arc::new(MemoryFetcher::new(web.clone()));
    let report = run(&fetcher, Web::seed(), &config(16)).await;
    assert_eq!(report.outcome, Outcome::Finished);
    assert_eq!(
        fetcher.fetch_counts(),
        once_each(&web, &Web::seed(), u32::MAX),
        "exactly once, whatever the threads did"
    );
    assert!(fetcher.max_in_flight() <= 16, "never more than 16 at once");
    assert_eq!(fetcher.in_flight(), 0, "nothing left running");
}

fn paused_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime")
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn any_web_at_any_concurrency_is_crawled_exactly_once(
        web in webs(),
        concurrency in 1_usize..8,
        jitter in 0_u64..20,
    ) {
        let seed = url("http://h0.test/0");
        let fetcher = Arc::new(
            MemoryFetcher::new(web.clone()).with_jitter(Duration::from_millis(jitter)),
        );
        let report = paused_runtime().block_on(run(&fetcher, seed.clone(), &config(concurrency)));
        prop_assert_eq!(report.outcome, Outcome::Finished);
        prop_assert_eq!(fetcher.fetch_counts(), once_each(&web, &seed, u32::MAX));
        prop_assert!(fetcher.max_in_flight() <= concurrency);
    }
}
