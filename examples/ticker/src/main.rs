//! # Day 75 example: a token bucket, tokio's interval, and two dials
//!
//! `cargo run -p ticker` runs four scenes on tokio's paused clock, so every
//! time it prints is exact and every run prints the same thing:
//!
//! 1. a client asking a bucket (3 tokens, one back every 200ms) for a token
//!    every 100ms: what it is granted, and how long a refusal says to wait;
//!    then the same bucket through `acquire().await`, which waits instead;
//! 2. `tokio::time::interval` after a 350ms stall, with each
//!    `MissedTickBehavior`: `Burst`, `Delay` and `Skip`;
//! 3. a 1s stall: a `Burst` interval catches up all ten missed ticks at
//!    once, where the bucket saved only its burst;
//! 4. the two dials: fast jobs and slow jobs run under a semaphore alone, a
//!    bucket alone, and both (the crate's `Throttle`).
//!
//! # Layout
//!
//! `main` builds a current-thread runtime with a paused clock and runs the
//! scenes, one function each. `Record` is the bookkeeping for scene 4. The
//! smoke test (`tests/smoke.rs`) checks key lines and that two runs match.

use std::future::Future;
use std::num::{NonZeroU32, NonZeroUsize};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use token_bucket::{Quota, Throttle, TokenBucket};
use tokio::sync::Semaphore;
use tokio::time::{Instant, MissedTickBehavior};

fn main() -> std::io::Result<()> {
    // A paused clock: time moves only when every task is waiting on a
    // timer, and then straight to the next deadline. Output is exact.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()?;
    runtime.block_on(async {
        tokens_over_time().await;
        missed_ticks().await;
        long_stall().await;
        two_dials().await;
    });
    Ok(())
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).expect("a positive number")
}

fn quota(interval_ms: u64, burst: u32) -> Quota {
    Quota::new(ms(interval_ms), nz(burst)).expect("a valid quota")
}

async fn tokens_over_time() {
    println!("== 1. a bucket of 3, one token back every 200ms; a request every 100ms");
    let bucket = TokenBucket::new(quota(200, 3));
    let start = Instant::now();
    for _ in 0..12 {
        let at = start.elapsed().as_millis();
        match bucket.try_acquire() {
            Ok(()) => println!("t={at:>5}ms  granted, {} left", bucket.available()),
            Err(limited) => println!("t={at:>5}ms  refused: {limited}"),
        }
        tokio::time::sleep(ms(100)).await;
    }

    println!("\nthe same bucket, refilled, through acquire().await: 6 requests at once");
    tokio::time::sleep(ms(1_000)).await;
    let start = Instant::now();
    let mut times = Vec::new();
    for _ in 0..6 {
        bucket.acquire().await;
        times.push(format!("{}ms", start.elapsed().as_millis()));
    }
    println!("granted at {}", times.join(", "));
}

async fn missed_ticks() {
    println!("\n== 2. interval(100ms), first tick at 0, then a 350ms stall");
    for behavior in [
        MissedTickBehavior::Burst,
        MissedTickBehavior::Delay,
        MissedTickBehavior::Skip,
    ] {
        let start = Instant::now();
        let mut interval = tokio::time::interval(ms(100));
        interval.set_missed_tick_behavior(behavior);
        interval.tick().await;
        tokio::time::sleep(ms(350)).await;
        let mut ticks = Vec::new();
        for _ in 0..5 {
            // `tick` returns when the tick was scheduled for; the clock
            // says when it really fired.
            let scheduled = interval.tick().await - start;
            let fired = start.elapsed();
            ticks.push(format!("{}@{}", scheduled.as_millis(), fired.as_millis()));
        }
        println!(
            "{:<6} ticks (scheduled@fired, ms): {}",
            format!("{behavior:?}"),
            ticks.join(" ")
        );
    }
}

async fn long_stall() {
    println!("\n== 3. a 1s stall: what is let through at once afterwards");
    let mut interval = tokio::time::interval(ms(100));
    interval.tick().await;
    tokio::time::sleep(ms(1_000)).await;
    let resumed = Instant::now();
    let mut ticks = 0;
    while resumed.elapsed().is_zero() {
        interval.tick().await;
        ticks += 1;
    }
    // The loop above ran one tick past the stall; count only the instant ones.
    println!("interval(100ms), Burst: {} ticks at once", ticks - 1);

    let bucket = TokenBucket::new(quota(100, 3));
    bucket.acquire().await;
    tokio::time::sleep(ms(1_000)).await;
    let granted = (0..20).filter(|_| bucket.try_acquire().is_ok()).count();
    println!("bucket(100ms, burst 3): {granted} tokens at once, of 20 asked for");
}

/// What a run of jobs did: how many started in the first second, and the
/// most in flight at once.
#[derive(Debug, Default)]
struct Record {
    first_second: AtomicUsize,
    running: AtomicUsize,
    most: AtomicUsize,
}

impl Record {
    async fn job(&self, start: Instant, length: Duration) {
        if start.elapsed() < Duration::from_secs(1) {
            self.first_second.fetch_add(1, Ordering::Relaxed);
        }
        let now = self.running.fetch_add(1, Ordering::Relaxed) + 1;
        self.most.fetch_max(now, Ordering::Relaxed);
        tokio::time::sleep(length).await;
        self.running.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The three ways to run a job: behind a semaphore, a bucket, or both.
#[derive(Debug, Clone, Copy)]
enum Dial {
    Semaphore,
    Bucket,
    Both,
}

const SLOTS: usize = 4;

fn rate() -> Quota {
    // 10 starts a second, one at a time: no burst, to keep the counts plain.
    Quota::per_second(nz(10))
        .with_burst(nz(1))
        .expect("100ms fits")
}

/// Runs `count` jobs of `length`, all arriving at once, under `dial`.
async fn run_jobs(dial: Dial, count: usize, length: Duration) -> Record {
    let record = Arc::new(Record::default());
    let semaphore = Arc::new(Semaphore::new(SLOTS));
    let bucket = Arc::new(TokenBucket::new(rate()));
    let throttle = Arc::new(Throttle::new(
        NonZeroUsize::new(SLOTS).expect("4 > 0"),
        rate(),
    ));
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..count {
        let record = Arc::clone(&record);
        let job = async move { record.job(start, length).await };
        let (semaphore, bucket, throttle) = (
            Arc::clone(&semaphore),
            Arc::clone(&bucket),
            Arc::clone(&throttle),
        );
        tasks.spawn(run_one(dial, job, semaphore, bucket, throttle));
    }
    tasks.join_all().await;
    Arc::into_inner(record).expect("every task has finished")
}

async fn run_one(
    dial: Dial,
    job: impl Future<Output = ()>,
    semaphore: Arc<Semaphore>,
    bucket: Arc<TokenBucket<token_bucket::TokioClock>>,
    throttle: Arc<Throttle>,
) {
    match dial {
        Dial::Semaphore => {
            let _slot = semaphore.acquire().await.expect("never closed");
            job.await;
        }
        Dial::Bucket => {
            bucket.acquire().await;
            job.await;
        }
        Dial::Both => throttle.run(job).await,
    }
}

async fn two_dials() {
    println!("\n== 4. two dials: {SLOTS} slots, 10 starts a second");
    println!("40 fast jobs (10ms each) and 30 slow jobs (5s each), all arriving at once");
    println!(
        "{:<16} {:>22} {:>24}",
        "dial", "fast: starts in 1st s", "slow: most in flight"
    );
    for (dial, name) in [
        (Dial::Semaphore, "semaphore alone"),
        (Dial::Bucket, "bucket alone"),
        (Dial::Both, "both (Throttle)"),
    ] {
        let fast = run_jobs(dial, 40, ms(10)).await;
        let slow = run_jobs(dial, 30, Duration::from_secs(5)).await;
        println!(
            "{name:<16} {:>22} {:>24}",
            fast.first_second.into_inner(),
            slow.most.into_inner()
        );
    }
    println!("the semaphore alone breaks the rate; the bucket alone breaks the slots");
}
