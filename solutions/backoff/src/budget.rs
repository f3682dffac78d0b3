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
        if !(1..=1000).contains(&max_tokens) {
            return Err(BudgetError::MaxTokens(max_tokens));
        }
        let ratio_milli = (token_ratio * f64::from(MILLI)).round();
        // `ratio_milli < 1.0` alone would let NaN through: NaN fails every
        // comparison, so it is refused explicitly.
        if ratio_milli.is_nan() || ratio_milli < 1.0 {
            return Err(BudgetError::TokenRatio(token_ratio));
        }
        let max_milli = max_tokens * MILLI;
        Ok(Self {
            max_milli,
            // A ratio above the maximum refills the whole budget at once.
            ratio_milli: ratio_milli.min(f64::from(max_milli)) as u32,
            tokens_milli: Mutex::new(max_milli),
        })
    }

    /// The tokens left, between 0 and the maximum.
    pub fn tokens(&self) -> f64 {
        f64::from(*self.lock()) / f64::from(MILLI)
    }

    /// A call failed with a retryable error: take one token.
    pub fn record_failure(&self) {
        let mut tokens = self.lock();
        *tokens = tokens.saturating_sub(MILLI);
    }

    /// A call succeeded: give back `token_ratio` tokens, up to the maximum.
    pub fn record_success(&self) {
        let mut tokens = self.lock();
        *tokens = (*tokens + self.ratio_milli).min(self.max_milli);
    }

    /// Whether a retry may be sent now: more than half the tokens are left.
    pub fn allows_retry(&self) -> bool {
        *self.lock() > self.max_milli / 2
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        // A panic while holding this lock cannot leave the count half
        // written (every update is a single store), so a poisoned lock is
        // still safe to use.
        self.tokens_milli
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
