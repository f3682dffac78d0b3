//! # Day 137 example: retries, backoff and a retry budget, end to end
//!
//! `cargo run -p retry` calls a simulated inventory service through the
//! `backoff` crate (the reference solution) and prints what happens:
//!
//! 1. the backoff curve and the three jitters, side by side;
//! 2. a call that fails twice with a timeout and then succeeds;
//! 3. a call that fails with a permanent error, and its cause chain;
//! 4. an outage: 20 calls to a service that is down, with and without a
//!    shared retry budget, counting the attempts the server receives.
//!
//! # Layout
//!
//! `main` only wires the runtime; each scenario is one function. The clock
//! is tokio's *paused* clock: sleeps complete instantly and `Instant::now()`
//! jumps by exactly the delay, so the demo runs in milliseconds and prints
//! the same timings every time (the rejected alternative, real sleeps, would
//! make you wait and print different numbers on every run). The random
//! source is seeded for the same reason.

use std::cell::Cell;
use std::error::Error;
use std::io;
use std::num::NonZeroU32;
use std::time::Duration;

use backoff::{Backoff, Jitter, RetryBudget, RetryError, RetryPolicy, retry};
use tokio::time::Instant;

fn main() -> Result<(), Box<dyn Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()?;
    runtime.block_on(async {
        let backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(5))?;
        curves(backoff);
        flaky_call(backoff).await;
        permanent_failure(backoff).await;
        outage(backoff).await?;
        Ok(())
    })
}

/// The failure of one call to the inventory service.
#[derive(Debug, thiserror::Error)]
#[error("inventory lookup for {sku} failed")]
struct LookupFailed {
    sku: &'static str,
    #[source]
    cause: io::Error,
}

fn curves(backoff: Backoff) {
    println!("== 1. the backoff curve (base 100ms, cap 5s) and its jitters, seed 42");
    println!(
        "{:>7}  {:>9}  {:>9}  {:>9}  {:>12}",
        "attempt", "none", "full", "equal", "decorrelated"
    );
    let seeded = |jitter| backoff.delays(jitter, fastrand::Rng::with_seed(42));
    let rows = seeded(Jitter::None)
        .zip(seeded(Jitter::Full))
        .zip(seeded(Jitter::Equal))
        .zip(seeded(Jitter::Decorrelated))
        .take(8);
    for (attempt, (((none, full), equal), decorrelated)) in rows.enumerate() {
        println!(
            "{attempt:>7}  {:>9}  {:>9}  {:>9}  {:>12}",
            ms(none),
            ms(full),
            ms(equal),
            ms(decorrelated)
        );
    }
}

async fn flaky_call(backoff: Backoff) {
    println!("\n== 2. a flaky call: two timeouts, then an answer (no jitter)");
    let policy = RetryPolicy::new(backoff).with_jitter(Jitter::None);
    let budget = RetryBudget::new(10, 0.1).expect("valid budget");
    let start = Instant::now();
    let result = retry(&policy, &budget, fastrand::Rng::with_seed(42), |attempt| {
        let at = start.elapsed();
        async move {
            if attempt < 3 {
                println!("t={:>6}  attempt {attempt}: timed out", ms(at));
                Err(LookupFailed {
                    sku: "SKU-1",
                    cause: io::ErrorKind::TimedOut.into(),
                })
            } else {
                println!("t={:>6}  attempt {attempt}: 42 in stock", ms(at));
                Ok(42)
            }
        }
    })
    .await;
    println!(
        "result: {result:?}; budget left: {} tokens",
        budget.tokens()
    );
}

async fn permanent_failure(backoff: Backoff) {
    println!("\n== 3. a permanent error is not retried, and keeps its cause");
    let policy = RetryPolicy::new(backoff);
    let budget = RetryBudget::new(10, 0.1).expect("valid budget");
    let result: Result<u32, _> =
        retry(&policy, &budget, fastrand::Rng::with_seed(42), |_| async {
            Err(LookupFailed {
                sku: "SKU-404",
                cause: io::ErrorKind::NotFound.into(),
            })
        })
        .await;
    if let Err(error) = result {
        print_chain(&error);
    }
}

async fn outage(backoff: Backoff) -> Result<(), Box<dyn Error>> {
    println!("\n== 4. an outage: 20 calls to a service that is down, 5 attempts each");
    let policy =
        RetryPolicy::new(backoff).with_max_attempts(NonZeroU32::new(5).expect("5 > 0"));
    for (label, max_tokens) in
        [("without a budget", 1000), ("with a 10-token budget", 10)]
    {
        // A budget of 1000 tokens never drops below half in 100 failures:
        // that is "no budget" for this demo.
        let budget = RetryBudget::new(max_tokens, 0.1)?;
        let received = Cell::new(0);
        let mut gave_up = (0, 0);
        for _ in 0..20 {
            let result: Result<(), _> =
                retry(&policy, &budget, fastrand::Rng::with_seed(42), |_| {
                    received.set(received.get() + 1);
                    async {
                        Err(LookupFailed {
                            sku: "SKU-1",
                            cause: io::ErrorKind::ConnectionRefused.into(),
                        })
                    }
                })
                .await;
            match result {
                Err(RetryError::Exhausted { .. }) => gave_up.0 += 1,
                Err(RetryError::BudgetExhausted { .. }) => gave_up.1 += 1,
                _ => {}
            }
        }
        println!(
            "{label:>22}: the server received {:>3} attempts ({} calls hit the attempt limit, {} were stopped by the budget)",
            received.get(),
            gave_up.0,
            gave_up.1
        );
    }
    Ok(())
}

fn print_chain(error: &(dyn Error + 'static)) {
    println!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        println!("  caused by: {cause}");
        source = cause.source();
    }
}

fn ms(duration: Duration) -> String {
    format!("{}ms", duration.as_millis())
}
