//! Step 3: a retry budget, so that retries stop when most calls fail.

use std::sync::Mutex;

/// A token-based retry budget, as gRPC's retry throttling defines it
/// (gRFC A6): the budget starts full with `max_tokens`, every failed call
/// takes one token, every successful call gives back `token_ratio` tokens
/// (never above the maximum), and retries are allowed only while more than
/// half the tokens are left.
///
/// Why a budget on top of an attempt limit? An attempt limit bounds the work
/// one call can cause (3 attempts: up to 3x the load), but when the server is
/// down *every* call retries, so the load on an overloaded server triples
/// exactly when it can least take it. The budget is shared by all calls to
/// one backend and turns retries off when failures dominate.
///
/// Tokens are kept in thousandths (gRPC allows three decimal places in the
/// ratio), as an integer: repeated `+ 0.1` in `f64` drifts, and a budget that
/// is "almost" half full would allow or refuse retries by rounding luck.
#[derive(Debug)]
pub struct RetryBudget {
    max_milli: u32,
    ratio_milli: u32,
    // A std `Mutex`, not a tokio one: the lock is never held across an
    // `.await`, so it cannot block the runtime, and it is cheaper. (An
    // `AtomicU32` with a compare-and-swap loop would also do; Month 3 teaches
    // that.)
    tokens_milli: Mutex<u32>,
}

/// Why a [`RetryBudget`] could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BudgetError {
    /// gRPC accepts `0 < max_tokens <= 1000`.
    #[error("max tokens must be between 1 and 1000, got {0}")]
    MaxTokens(u32),
    /// The ratio must give back at least one thousandth of a token per
    /// success, and be a number.
    #[error("token ratio must be a number of at least 0.001, got {0}")]
    TokenRatio(f64),
}

const MILLI: u32 = 1000;

impl RetryBudget {
    /// A full budget of `max_tokens`, refilled by `token_ratio` per success.
    ///
    /// # Errors
    ///
    /// [`BudgetError::MaxTokens`] unless `1 <= max_tokens <= 1000`;
    /// [`BudgetError::TokenRatio`] if `token_ratio` is NaN or rounds to less
    /// than 0.001.
    pub fn new(max_tokens: u32, token_ratio: f64) -> Result<Self, BudgetError> {
        // TODO: refuse max_tokens outside 1..=1000 and a ratio that is NaN or
        // below 0.001, then start full. Store thousandths: max_tokens * 1000, and
        // the ratio rounded to thousandths.
        todo!("RetryBudget::new: validate and start full")
    }

    /// The tokens left, between 0 and the maximum.
    pub fn tokens(&self) -> f64 {
        todo!("RetryBudget::tokens: thousandths back to tokens")
    }

    /// A call failed with a retryable error: take one token.
    pub fn record_failure(&self) {
        todo!("RetryBudget::record_failure: take one token, never below zero")
    }

    /// A call succeeded: give back `token_ratio` tokens, up to the maximum.
    pub fn record_success(&self) {
        todo!("RetryBudget::record_success: give back the ratio, never above the maximum")
    }

    /// Whether a retry may be sent now: more than half the tokens are left.
    pub fn allows_retry(&self) -> bool {
        todo!("RetryBudget::allows_retry: strictly more than half the tokens left")
    }
}
