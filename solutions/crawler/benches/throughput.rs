//! How close the crawler comes to its concurrency bound.
//!
//! With C fetches in flight and each taking L, no crawler can fetch more
//! than C / L pages a second. This benchmark crawls a generated web of
//! 10,000 pages (plus 500 links to missing pages, which are fetched too)
//! where every fetch takes 1 ms, at C = 8, 32 and 128, on a real clock, and
//! compares the pages per second with that bound.
//!
//! The pitfall: tokio's timer ticks in whole milliseconds, so a
//! `sleep(1 ms)` really takes between 1 and 2 ms. Measured against
//! C / 1 ms, the crawler would look slow for a reason that is the timer's,
//! not the crawler's. So the in-memory fetcher also measures how long each
//! fetch really took, and the report gives both ratios: against C / 1 ms,
//! and against C / (the measured mean latency), the honest one.
//!
//! Run with `cargo bench -p crawler-solution --bench throughput`; criterion
//! prints the time per crawl, and the lines starting `crawl:` give the
//! ratios.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crawler::memory::{MemoryFetcher, Web};
use crawler::{Config, crawl};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tokio_util::sync::CancellationToken;

const LATENCY: Duration = Duration::from_millis(1);

fn throughput(c: &mut Criterion) {
    // Many links per page, so the frontier is wide after two or three
    // levels and never starves the workers.
    let web = Web::generate(10_000, 16, 8, 82);
    let pages = web.reachable(&Web::seed(), u32::MAX).len();
    // One thread runs the coordinator and every fetch: the fetches only
    // sleep, and a second thread would only add cross-thread wake-ups.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let mut group = c.benchmark_group("crawl 10,000 pages, 1 ms per fetch");
    group.throughput(Throughput::Elements(pages as u64));
    group.sample_size(10);
    for concurrency in [8, 32, 128] {
        let config = Config::new(NonZeroUsize::new(concurrency).expect("positive"));
        let mut runs = Vec::new();
        group.bench_function(format!("concurrency {concurrency}"), |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let fetcher =
                        Arc::new(MemoryFetcher::new(web.clone()).with_latency(LATENCY));
                    let start = Instant::now();
                    let report = runtime.block_on(crawl(
                        Arc::clone(&fetcher),
                        Web::seed(),
                        &config,
                        &CancellationToken::new(),
                    ));
                    let took = start.elapsed();
                    assert_eq!(report.visits.len(), pages, "every page fetched");
                    total += took;
                    runs.push((took, fetcher.mean_latency()));
                }
                total
            });
        });
        report(concurrency, pages, &runs);
    }
    group.finish();
}

/// Prints the ratios of the measured throughput to the two bounds, averaged
/// over every crawl criterion ran (warm-up included).
fn report(concurrency: usize, pages: usize, runs: &[(Duration, Duration)]) {
    let count = runs.len().max(1) as f64;
    let seconds = runs.iter().map(|(took, _)| took.as_secs_f64()).sum::<f64>() / count;
    let latency = runs.iter().map(|(_, l)| l.as_secs_f64()).sum::<f64>() / count;
    let rate = pages as f64 / seconds;
    let nominal = concurrency as f64 / LATENCY.as_secs_f64();
    let honest = concurrency as f64 / latency;
    println!(
        "crawl: C={concurrency:>3}: {pages} pages in {:.1} ms = {rate:.0} pages/s; \
         C/1ms = {nominal:.0}/s ({:.1}%); measured latency {:.3} ms, \
         C/latency = {honest:.0}/s ({:.1}%)",
        seconds * 1e3,
        100.0 * rate / nominal,
        latency * 1e3,
        100.0 * rate / honest,
    );
}

criterion_group!(benches, throughput);
criterion_main!(benches);
