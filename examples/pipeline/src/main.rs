//! # Day 71 example: pool sizes against a bottleneck, and a pipeline
//!
//! `cargo run -p pipeline` runs three scenarios on tokio's paused clock, so
//! every figure is exact and the same on every run:
//!
//! 1. A `WorkerPool` of 1 to 16 workers in front of a downstream service
//!    with 4 slots (think: a database pool of 4 connections), each call
//!    50 ms. Throughput grows up to 4 workers and not beyond; past that, a
//!    job's latency grows instead, as Little's law says it must.
//! 2. `run_pipeline` over twelve orders, pricing at 10 ms and writing at
//!    25 ms: the slowest stage sets the pace. Then a run with a bad line,
//!    which stops the pipeline after the lines before it.
//! 3. `bounded_map` making the same 200 downstream calls with a limit of 4,
//!    the downstream's size: the same throughput as the best pool, and never
//!    more than 4 calls in flight.
//!
//! # Layout
//!
//! `main` builds the runtime and runs one function per scenario.
//! `Downstream` is the simulated bottleneck: a semaphore of 4 slots.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::{Instant, sleep};
use worker_pool::{
    PipelineError, PriceList, Priced, WorkerPool, bounded_map, run_pipeline,
};

const JOBS: u32 = 200;
const CALL: Duration = Duration::from_millis(50);
const SLOTS: usize = 4;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()?;
    runtime.block_on(async {
        pool_sizes().await;
        pipeline().await;
        bounded().await;
    });
    Ok(())
}

fn nz(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).unwrap_or(NonZeroUsize::MIN)
}

/// A service that serves at most `SLOTS` calls at once, each taking `CALL`;
/// more callers wait, first come, first served. It records each call's
/// latency (waiting included) and the most calls it ever served at once.
#[derive(Debug, Clone)]
struct Downstream {
    slots: Arc<Semaphore>,
    latency_micros: Arc<AtomicU64>,
    busy: Arc<AtomicUsize>,
    busiest: Arc<AtomicUsize>,
}

impl Downstream {
    fn new() -> Self {
        Self {
            slots: Arc::new(Semaphore::new(SLOTS)),
            latency_micros: Arc::default(),
            busy: Arc::default(),
            busiest: Arc::default(),
        }
    }

    async fn call(&self) {
        let start = Instant::now();
        let Ok(_slot) = self.slots.acquire().await else {
            return;
        };
        let busy = self.busy.fetch_add(1, Ordering::Relaxed) + 1;
        self.busiest.fetch_max(busy, Ordering::Relaxed);
        sleep(CALL).await;
        self.busy.fetch_sub(1, Ordering::Relaxed);
        let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.latency_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// The mean latency of `calls` calls, in milliseconds.
    fn mean_latency_ms(&self, calls: u32) -> f64 {
        self.latency_micros.load(Ordering::Relaxed) as f64 / 1000.0 / f64::from(calls)
    }
}

async fn pool_sizes() {
    println!("== 1. a worker pool in front of a downstream with {SLOTS} slots");
    println!(
        "{JOBS} jobs, one {} ms call each; in flight = throughput x latency",
        CALL.as_millis()
    );
    println!("workers      took  throughput  mean latency  in flight");
    for workers in [1, 2, 4, 8, 16] {
        let downstream = Downstream::new();
        let shared = downstream.clone();
        let pool = WorkerPool::new(nz(workers), nz(8), move |_job: u32| {
            let downstream = shared.clone();
            async move { downstream.call().await }
        });
        let start = Instant::now();
        for job in 0..JOBS {
            if pool.submit(job).await.is_err() {
                break;
            }
        }
        let report = pool.shutdown().await;
        let took = start.elapsed().as_secs_f64();
        let throughput = f64::from(JOBS) / took;
        let latency = downstream.mean_latency_ms(JOBS);
        println!(
            "{workers:>7}  {:>6} ms  {throughput:>8.1}/s  {latency:>9.1} ms  {:>9.1}",
            start.elapsed().as_millis(),
            throughput * latency / 1000.0,
        );
        debug_assert_eq!(report.completed, u64::from(JOBS));
    }
    println!("past {SLOTS} workers, the extra ones only wait for a slot");
}

fn prices() -> Arc<PriceList> {
    Arc::new(
        PriceList::new(Duration::from_millis(10))
            .with_price("apple", 30)
            .with_price("pear", 50)
            .with_price("plum", 20),
    )
}

/// Runs the pipeline with a writer that takes 25 ms per record and keeps
/// them in `into`.
async fn run(
    lines: Vec<String>,
    into: &Arc<Mutex<Vec<Priced>>>,
) -> Result<usize, PipelineError> {
    let into = Arc::clone(into);
    run_pipeline(lines, prices(), nz(2), move |record| {
        let into = Arc::clone(&into);
        async move {
            sleep(Duration::from_millis(25)).await;
            into.lock()
                .map(|mut records| records.push(record))
                .map_err(|_| "the record list is poisoned")
        }
    })
    .await
}

async fn pipeline() {
    println!("\n== 2. parse -> enrich (10 ms) -> write (25 ms), channels of 2");
    let products = ["apple", "pear", "plum"];
    let lines: Vec<String> = (0..12)
        .map(|i| format!("{},{}", products[i % 3], i % 4 + 1))
        .collect();
    let written = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let outcome = run(lines.clone(), &written).await;
    let total: u64 = written
        .lock()
        .map(|records| records.iter().map(|r| r.total_cents).sum())
        .unwrap_or(0);
    match outcome {
        Ok(count) => println!(
            "wrote {count} records worth {total} cents in {} ms \
             (one after another: {} ms)",
            start.elapsed().as_millis(),
            12 * (10 + 25)
        ),
        Err(error) => println!("failed: {error}"),
    }

    let mut bad = lines;
    bad[5] = "pear,two".to_owned();
    let written = Arc::new(Mutex::new(Vec::new()));
    let outcome = run(bad, &written).await;
    let count = written.lock().map(|records| records.len()).unwrap_or(0);
    match outcome {
        Ok(_) => println!("the bad line went through?"),
        Err(error) => println!("stopped: {error}; {count} records written before it"),
    }
}

async fn bounded() {
    println!("\n== 3. bounded_map, limit {SLOTS}: the same {JOBS} calls");
    let downstream = Downstream::new();
    let start = Instant::now();
    let done = bounded_map(0..JOBS, nz(SLOTS), |_job| {
        let downstream = downstream.clone();
        async move { downstream.call().await }
    })
    .await;
    println!(
        "{} calls in {} ms, at most {} in flight, mean latency {:.1} ms",
        done.len(),
        start.elapsed().as_millis(),
        downstream.busiest.load(Ordering::Relaxed),
        downstream.mean_latency_ms(JOBS),
    );
}
