//! Step 3: the pool of fetch tasks (src/pool.rs).
//!
//! The fetcher is `MemoryFetcher`, the in-memory adapter: it counts the
//! fetches running at once (and the most there ever were), and its latency
//! is a `tokio::time::sleep` on the paused clock.

use std::num::NonZeroUsize;
use std::sync::Arc;

use crawler::memory::{MemoryFetcher, Web};
use crawler::{FetchError, Job, Pool};
use tokio::time::Instant;

use crate::{ms, url};

fn limit(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("a positive limit")
}

fn job(path: &str) -> Job {
    Job::new(url(&format!("http://a.test/{path}")), 1)
}

/// Pages `http://a.test/0` to `/n-1`, without links.
fn pages(n: usize) -> Web {
    let mut web = Web::new();
    for k in 0..n {
        web.add(url(&format!("http://a.test/{k}")), vec![]);
    }
    web
}

#[tokio::test(start_paused = true)]
async fn a_full_pool_refuses_a_job_and_hands_it_back() {
    let fetcher = Arc::new(MemoryFetcher::new(pages(3)).with_latency(ms(10)));
    let mut pool = Pool::new(Arc::clone(&fetcher), limit(2));
    assert!(pool.has_room(), "an empty pool has room");
    assert_eq!(pool.start(job("0")), Ok(()), "first of two");
    assert_eq!(pool.start(job("1")), Ok(()), "second of two");
    assert!(!pool.has_room(), "two of two are running");
    assert_eq!(pool.in_flight(), 2);
    let refused = pool.start(job("2")).expect_err("a third is refused");
    assert_eq!(refused, job("2"), "the refused job comes back intact");
    let done = pool.next_done().await.expect("a fetch finishes");
    assert!(done.result.is_ok(), "/{} exists", done.job.url());
    assert!(pool.has_room(), "a finished fetch frees its place");
    assert_eq!(pool.start(job("2")), Ok(()), "so now the third may start");
}

#[tokio::test(start_paused = true)]
async fn finished_fetches_come_back_in_completion_order_with_their_jobs() {
    let mut web = pages(0);
    web.add(url("http://a.test/slow"), vec![url("http://a.test/0")]);
    web.add(url("http://a.test/fast"), vec![]);
    // Every fetch takes 5 ms, and "slow" starts 1 ms before "fast".
    let fetcher = Arc::new(MemoryFetcher::new(web).with_latency(ms(5)));
    let mut pool = Pool::new(Arc::clone(&fetcher), limit(4));
    pool.start(Job::new(url("http://a.test/slow"), 3))
        .expect("room");
    tokio::time::sleep(ms(1)).await;
    pool.start(Job::new(url("http://a.test/fast"), 4))
        .expect("room");
    let first = pool.next_done().await.expect("one finishes");
    assert_eq!(
        first.job.url(),
        &url("http://a.test/slow"),
        "started 1 ms earlier"
    );
    assert_eq!(first.job.depth(), 3, "the job comes back with its depth");
    assert_eq!(
        first.result.expect("slow exists").links,
        [url("http://a.test/0")],
        "and with the page's links"
    );
    let second = pool.next_done().await.expect("the other finishes");
    assert_eq!(second.job.url(), &url("http://a.test/fast"));
    assert_eq!(second.job.depth(), 4);
    assert!(pool.next_done().await.is_none(), "nothing left in flight");
}

#[tokio::test(start_paused = true)]
async fn a_missing_page_is_a_not_found_error() {
    let fetcher = Arc::new(MemoryFetcher::new(pages(0)));
    let mut pool = Pool::new(fetcher, limit(1));
    pool.start(job("nowhere")).expect("room");
    let done = pool.next_done().await.expect("the fetch finishes");
    assert_eq!(done.result, Err(FetchError::NotFound), "no such page");
}

#[tokio::test(start_paused = true)]
async fn a_panicking_fetch_comes_back_as_an_error_for_its_page() {
    let fetcher = MemoryFetcher::new(pages(2)).panicking_on(url("http://a.test/1"));
    let mut pool = Pool::new(Arc::new(fetcher), limit(2));
    pool.start(job("0")).expect("room");
    pool.start(job("1")).expect("room");
    let mut results = Vec::new();
    while let Some(done) = pool.next_done().await {
        results.push((done.job.url().path().to_owned(), done.result.map(|_| ())));
    }
    results.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        results,
        [
            ("/0".to_owned(), Ok(())),
            (
                "/1".to_owned(),
                Err(FetchError::Panicked(
                    "the page http://a.test/1 is cursed".to_owned()
                ))
            ),
        ],
        "the panic is reported for its own page, and the other fetch is unharmed"
    );
}

#[tokio::test(start_paused = true)]
async fn an_empty_pool_has_nothing_to_wait_for() {
    let fetcher = Arc::new(MemoryFetcher::new(pages(1)));
    let mut pool = Pool::new(fetcher, limit(3));
    assert!(
        pool.next_done().await.is_none(),
        "nothing in flight: None at once"
    );
    assert_eq!(pool.in_flight(), 0);
}

#[tokio::test(start_paused = true)]
async fn the_pool_never_runs_more_fetches_than_its_limit() {
    let fetcher = Arc::new(MemoryFetcher::new(pages(50)).with_jitter(ms(30)));
    let mut pool = Pool::new(Arc::clone(&fetcher), limit(4));
    let mut next = 0;
    let mut finished = 0;
    while finished < 50 {
        while next < 50 && pool.has_room() {
            pool.start(job(&next.to_string())).expect("has room");
            next += 1;
        }
        pool.next_done().await.expect("something is in flight");
        finished += 1;
    }
    assert_eq!(fetcher.total_fetches(), 50, "every page once");
    assert_eq!(
        fetcher.max_in_flight(),
        4,
        "the fetcher saw at most (and at some point exactly) 4 fetches at once"
    );
}

#[tokio::test(start_paused = true)]
async fn shutdown_stops_every_fetch_before_it_returns() {
    let fetcher = Arc::new(MemoryFetcher::new(pages(3)).with_latency(ms(10_000)));
    let mut pool = Pool::new(Arc::clone(&fetcher), limit(3));
    for k in 0..3 {
        pool.start(job(&k.to_string())).expect("room");
    }
    tokio::time::sleep(ms(5)).await;
    assert_eq!(fetcher.in_flight(), 3, "three fetches are running");
    let start = Instant::now();
    pool.shutdown().await;
    assert_eq!(
        start.elapsed(),
        ms(0),
        "shutdown does not wait for the fetches"
    );
    assert_eq!(
        fetcher.in_flight(),
        0,
        "when shutdown returns, every fetch future has been dropped"
    );
    assert_eq!(pool.in_flight(), 0, "and the pool is empty");
    assert!(pool.next_done().await.is_none(), "nothing left to collect");
}
