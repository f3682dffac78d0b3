//! Step 5: the retry loop that puts the pieces together.

use std::error::Error;
use std::num::NonZeroU32;

use crate::{Backoff, ErrorClass, Jitter, RandomSource, RetryBudget, classify};

/// How one call is retried: the backoff curve, the jitter and how many
/// attempts (the first call included) it may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    backoff: Backoff,
    jitter: Jitter,
    max_attempts: NonZeroU32,
}

impl RetryPolicy {
    /// A policy on `backoff` with full jitter and at most 3 attempts.
    pub fn new(backoff: Backoff) -> Self {
        todo!("RetryPolicy::new: full jitter, 3 attempts")
    }

    /// The same policy with another jitter.
    #[must_use]
    pub fn with_jitter(self, jitter: Jitter) -> Self {
        todo!("RetryPolicy::with_jitter")
    }

    /// The same policy with another attempt limit. `NonZeroU32`, because a
    /// policy that makes no attempt at all is a bug, and the type says so.
    #[must_use]
    pub fn with_max_attempts(self, max_attempts: NonZeroU32) -> Self {
        todo!("RetryPolicy::with_max_attempts")
    }

    /// The backoff curve.
    pub fn backoff(&self) -> Backoff {
        todo!("RetryPolicy::backoff")
    }

    /// The jitter applied to the curve.
    pub fn jitter(&self) -> Jitter {
        todo!("RetryPolicy::jitter")
    }

    /// The most attempts one call makes, the first included.
    pub fn max_attempts(&self) -> NonZeroU32 {
        todo!("RetryPolicy::max_attempts")
    }
}

/// Why [`retry`] gave up. Every variant keeps the last error as its
/// `source()`, so the whole cause chain stays readable.
#[derive(Debug, thiserror::Error)]
pub enum RetryError<E> {
    /// The error was permanent: retrying could not help.
    #[error("permanent error on attempt {attempt}")]
    Permanent {
        /// The attempt that failed (1 is the first call).
        attempt: u32,
        /// The error it failed with.
        #[source]
        source: E,
    },
    /// Every attempt the policy allows failed with a transient error.
    #[error("gave up after {attempts} attempts")]
    Exhausted {
        /// How many attempts were made.
        attempts: u32,
        /// The last attempt's error.
        #[source]
        source: E,
    },
    /// The shared retry budget refused another retry.
    #[error("retry budget exhausted after {attempts} attempts")]
    BudgetExhausted {
        /// How many attempts were made.
        attempts: u32,
        /// The last attempt's error.
        #[source]
        source: E,
    },
}

impl<E> RetryError<E> {
    /// How many attempts were made before giving up.
    pub fn attempts(&self) -> u32 {
        todo!("RetryError::attempts")
    }

    /// The last error, for a caller that wants it back by value.
    pub fn into_last_error(self) -> E {
        todo!("RetryError::into_last_error")
    }
}

/// Calls `operation` (with the attempt number, from 1) until it succeeds, its
/// error is permanent, the policy's attempt limit is reached or `budget`
/// refuses a retry, sleeping the policy's jittered backoff between attempts.
///
/// Only transient failures take from the budget: a permanent error means the
/// server answered, which is no sign of overload. Every success gives back to
/// it.
///
/// # Errors
///
/// A [`RetryError`] saying why it gave up, holding the last error.
pub async fn retry<T, E, Op, Fut, R>(
    policy: &RetryPolicy,
    budget: &RetryBudget,
    rng: R,
    mut operation: Op,
) -> Result<T, RetryError<E>>
where
    Op: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: Error + 'static,
    R: RandomSource,
{
    // TODO: a loop over attempts 1, 2, 3, ...:
    // - Ok: record a success in the budget and return the value;
    // - a permanent error (see `classify`): return RetryError::Permanent;
    // - a transient error: record a failure, then give up with Exhausted at
    //   the policy's attempt limit, or with BudgetExhausted if the budget
    //   refuses a retry; otherwise `tokio::time::sleep` the next delay from
    //   `policy.backoff().delays(policy.jitter(), rng)` and go round again.
    todo!("retry: the retry loop")
}
