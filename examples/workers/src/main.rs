//! # Day 57 example: fan-out over threads, and over tasks
//!
//! `cargo run -p workers` shows the two halves of the lesson:
//!
//! 1. CPU work: counting the primes below 200,000 by splitting the range
//!    over scoped threads with `parallel_map` (the machine's cores decide
//!    how many), and checking the answer against a single-threaded count.
//! 2. Waiting work: twenty simulated network calls of 50 to 240 ms run as
//!    tokio tasks with `run_all`; one of them panics. With tokio's clock
//!    paused, the run takes exactly as long as the slowest call, and the
//!    panic is reported for its input while the other nineteen succeed.
//!
//! # Layout
//!
//! `main` runs the two parts, one function each. Output that depends on the
//! machine (the number of cores) is printed on a line of its own; the smoke
//! test checks only the lines that hold everywhere.

use std::num::NonZeroUsize;
use std::time::Duration;

use fan_out::{TaskError, parallel_map, run_all};

fn main() {
    cpu_work();
    waiting_work();
}

fn is_prime(n: &u32) -> bool {
    *n >= 2
        && (2..)
            .take_while(|d| d * d <= *n)
            .all(|d| !n.is_multiple_of(d))
}

fn cpu_work() {
    let numbers: Vec<u32> = (0..200_000).collect();
    // One thread per core: more threads than cores only adds switching for
    // CPU-bound work.
    let cores = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
    let flags = parallel_map(&numbers, cores, is_prime);
    let parallel = flags.iter().filter(|f| **f).count();
    let single = numbers.iter().filter(|n| is_prime(n)).count();
    println!("== 1. primes below 200000, over scoped threads");
    println!("threads used: {cores}");
    println!("primes found: {parallel}");
    println!("same as one thread: {}", parallel == single);
}

fn waiting_work() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let start = tokio::time::Instant::now();
        let calls: Vec<u64> = (0..20).map(|i| 50 + (i * 37) % 200).collect();
        let slowest = calls.iter().max().copied().unwrap_or(0);
        let results = run_all(calls, |delay| async move {
            tokio::time::sleep(Duration::from_millis(delay)).await;
            if delay == 198 {
                panic!("the call that took {delay} ms came back corrupted");
            }
            delay
        })
        .await;
        let elapsed = start.elapsed().as_millis();
        let ok = results.iter().filter(|r| r.is_ok()).count();
        println!("\n== 2. twenty simulated calls as tokio tasks (paused clock)");
        println!("took {elapsed} ms: the slowest call was {slowest} ms");
        println!("succeeded: {ok} of {}", results.len());
        for error in results.iter().filter_map(|r| r.as_ref().err()) {
            if let TaskError::Panicked { .. } = error {
                println!("failed: {error}");
            }
        }
    });
}
