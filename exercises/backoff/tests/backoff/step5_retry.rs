//! Step 5: `retry` and `RetryError` (src/retry.rs).
//!
//! These tests run with tokio's clock paused (`start_paused = true`): every
//! `sleep` completes at once and `Instant::now()` jumps forward by exactly the
//! delay, so a test can state how long the loop slept, without sleeping.

use std::error::Error;
use std::io;
use std::num::NonZeroU32;
use std::time::Duration;

use backoff::{Backoff, Jitter, RetryBudget, RetryError, RetryPolicy, retry};
use tokio::time::Instant;

use crate::Fixed;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// 100ms, 200ms, 400ms, ... with no jitter, so sleeps are exact.
fn policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::new(Backoff::new(ms(100), ms(10_000)).expect("valid backoff"))
        .with_jitter(Jitter::None)
        .with_max_attempts(NonZeroU32::new(max_attempts).expect("at least one attempt"))
}

fn roomy_budget() -> RetryBudget {
    RetryBudget::new(100, 0.1).expect("valid budget")
}

/// The error a flaky call fails with: which attempt, and the io cause.
#[derive(Debug, thiserror::Error)]
#[error("attempt {attempt} failed")]
struct CallFailed {
    attempt: u32,
    #[source]
    cause: io::Error,
}

fn timed_out(attempt: u32) -> CallFailed {
    CallFailed {
        attempt,
        cause: io::Error::from(io::ErrorKind::TimedOut),
    }
}

#[tokio::test(start_paused = true)]
async fn a_first_success_returns_at_once() {
    let start = Instant::now();
    let result: Result<&str, RetryError<CallFailed>> =
        retry(&policy(3), &roomy_budget(), Fixed(0.5), |_| async {
            Ok("done")
        })
        .await;
    assert_eq!(result.expect("the call succeeded"), "done");
    assert_eq!(start.elapsed(), Duration::ZERO, "no retry means no sleep");
}

#[tokio::test(start_paused = true)]
async fn transient_errors_are_retried_until_success() {
    let start = Instant::now();
    let mut attempts_seen = Vec::new();
    let result = retry(&policy(5), &roomy_budget(), Fixed(0.5), |attempt| {
        attempts_seen.push(attempt);
        async move {
            if attempt < 3 {
                Err(timed_out(attempt))
            } else {
                Ok(attempt)
            }
        }
    })
    .await;
    assert_eq!(result.expect("the third attempt succeeds"), 3);
    assert_eq!(attempts_seen, [1, 2, 3], "attempts are numbered from 1");
    assert_eq!(
        start.elapsed(),
        ms(100 + 200),
        "two retries sleep delay(0) + delay(1)"
    );
}

#[tokio::test(start_paused = true)]
async fn sleeps_follow_the_jittered_schedule() {
    let start = Instant::now();
    let mut calls = Vec::new();
    let policy = policy(4).with_jitter(Jitter::Full);
    let result: Result<(), _> = retry(&policy, &roomy_budget(), Fixed(0.5), |attempt| {
        calls.push(start.elapsed());
        async move { Err(timed_out(attempt)) }
    })
    .await;
    assert!(result.is_err());
    assert_eq!(
        calls,
        [0, 50, 150, 350].map(ms),
        "full jitter at 0.5 halves each delay: sleeps of 50, 100 and 200ms"
    );
}

#[tokio::test(start_paused = true)]
async fn permanent_errors_are_not_retried() {
    let start = Instant::now();
    let mut calls = 0;
    let result: Result<(), _> =
        retry(&policy(5), &roomy_budget(), Fixed(0.5), |attempt| {
            calls += 1;
            async move {
                Err(CallFailed {
                    attempt,
                    cause: io::Error::from(io::ErrorKind::NotFound),
                })
            }
        })
        .await;
    let error = result.expect_err("a permanent error fails the call");
    assert_eq!(calls, 1, "a permanent error must not be retried");
    assert!(
        matches!(error, RetryError::Permanent { attempt: 1, .. }),
        "got {error:?}"
    );
    assert_eq!(start.elapsed(), Duration::ZERO, "no retry means no sleep");
}

#[tokio::test(start_paused = true)]
async fn retries_stop_at_the_attempt_limit_with_the_last_error() {
    let start = Instant::now();
    let result: Result<(), _> = retry(
        &policy(4),
        &roomy_budget(),
        Fixed(0.5),
        |attempt| async move { Err(timed_out(attempt)) },
    )
    .await;
    let error = result.expect_err("every attempt failed");
    assert_eq!(
        error.attempts(),
        4,
        "max_attempts counts the first call too"
    );
    assert_eq!(error.to_string(), "gave up after 4 attempts");
    assert_eq!(
        start.elapsed(),
        ms(100 + 200 + 400),
        "three sleeps between four attempts, and none after the last one"
    );
    let last = error.into_last_error();
    assert_eq!(last.attempt, 4, "the error returned is the last attempt's");
}

#[tokio::test(start_paused = true)]
async fn the_returned_error_keeps_its_whole_cause_chain() {
    let result: Result<(), _> = retry(
        &policy(2),
        &roomy_budget(),
        Fixed(0.5),
        |attempt| async move { Err(timed_out(attempt)) },
    )
    .await;
    let error = result.expect_err("every attempt failed");
    let mut chain = Vec::new();
    let mut current: Option<&(dyn Error + 'static)> = Some(&error);
    while let Some(error) = current {
        chain.push(error.to_string());
        current = error.source();
    }
    assert_eq!(
        chain,
        ["gave up after 2 attempts", "attempt 2 failed", "timed out"],
        "RetryError's source() is the last error, whose source() is its cause"
    );
}

#[tokio::test(start_paused = true)]
async fn retries_stop_when_the_budget_runs_out() {
    // 4 tokens: the first failure leaves 3 (> 2, retry), the second leaves 2
    // (not > 2): no more retries, though the policy would allow 10 attempts.
    let budget = RetryBudget::new(4, 0.1).expect("valid budget");
    let start = Instant::now();
    let result: Result<(), _> =
        retry(&policy(10), &budget, Fixed(0.5), |attempt| async move {
            Err(timed_out(attempt))
        })
        .await;
    let error = result.expect_err("every attempt failed");
    assert!(
        matches!(error, RetryError::BudgetExhausted { attempts: 2, .. }),
        "got {error:?}"
    );
    assert_eq!(error.to_string(), "retry budget exhausted after 2 attempts");
    assert_eq!(
        start.elapsed(),
        ms(100),
        "one sleep between the two attempts, none after giving up"
    );
}

#[tokio::test(start_paused = true)]
async fn successes_and_transient_failures_move_the_budget() {
    let budget = RetryBudget::new(10, 0.5).expect("valid budget");
    let result = retry(&policy(5), &budget, Fixed(0.5), |attempt| async move {
        if attempt < 3 {
            Err(timed_out(attempt))
        } else {
            Ok(())
        }
    })
    .await;
    assert!(result.is_ok());
    assert_eq!(
        budget.tokens(),
        8.5,
        "two failures take 2 tokens, one success gives back 0.5"
    );

    let result: Result<(), _> =
        retry(&policy(5), &budget, Fixed(0.5), |attempt| async move {
            Err(CallFailed {
                attempt,
                cause: io::Error::from(io::ErrorKind::InvalidInput),
            })
        })
        .await;
    assert!(result.is_err());
    assert_eq!(
        budget.tokens(),
        8.5,
        "a permanent error is no sign of overload: the budget is untouched"
    );
}
