//! Step 1: an exponential backoff curve that cannot overflow.

use std::time::Duration;

/// An exponential backoff curve: the delay before retry `attempt` is
/// `min(cap, base * 2^attempt)`, for every `attempt` a `u32` can hold.
///
/// The fields are private because the constructor protects an invariant the
/// delay computation relies on: `0 < base <= cap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
}

/// Why a [`Backoff`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackoffError {
    /// A zero base never grows: every retry would fire at once.
    #[error("base delay must be greater than zero")]
    ZeroBase,
    /// The first delay would already be above the cap.
    #[error("base delay {base:?} is greater than the cap {cap:?}")]
    BaseAboveCap {
        /// The base delay that was asked for.
        base: Duration,
        /// The cap that was asked for.
        cap: Duration,
    },
}

impl Backoff {
    /// A curve starting at `base` and never above `cap`.
    ///
    /// # Errors
    ///
    /// [`BackoffError::ZeroBase`] if `base` is zero, and
    /// [`BackoffError::BaseAboveCap`] if `base > cap`.
    pub fn new(base: Duration, cap: Duration) -> Result<Self, BackoffError> {
        if base.is_zero() {
            return Err(BackoffError::ZeroBase);
        }
        if base > cap {
            return Err(BackoffError::BaseAboveCap { base, cap });
        }
        Ok(Self { base, cap })
    }

    /// The delay before the first retry.
    pub fn base(&self) -> Duration {
        self.base
    }

    /// The longest delay this curve ever returns.
    pub fn cap(&self) -> Duration {
        self.cap
    }

    /// The un-jittered delay before retry number `attempt` (counting from 0):
    /// `min(cap, base * 2^attempt)`.
    ///
    /// This never panics and never wraps, for any `attempt`.
    pub fn delay(&self, attempt: u32) -> Duration {
        // Why a loop and not a formula? Each formula has a way to break:
        // - `self.base * 2u32.pow(attempt)` overflows `u32` at attempt 32
        //   (a panic in debug builds, a wrong small delay in release);
        // - `Duration * n` panics when the product passes `Duration::MAX`;
        // - `self.base.mul_f64(2f64.powi(..))` panics once the float is too
        //   big for a `Duration`, and loses nanoseconds on the way;
        // - tower's `checked_mul(2u32.saturating_pow(n)).unwrap_or(max)` is
        //   safe, but saturating the factor at `u32::MAX` makes the curve stop
        //   doubling at attempt 32 when the cap is very large.
        //
        // Doubling with the cap checked *inside* the loop cannot overflow (we
        // stop before passing the cap, which is a valid `Duration`) and is
        // exact. It is also cheap: the loop ends as soon as the cap is
        // reached, after at most ~100 doublings (1 ns to `Duration::MAX`),
        // even for `attempt == u32::MAX`.
        let mut delay = self.base;
        for _ in 0..attempt {
            match delay.checked_mul(2) {
                Some(doubled) if doubled < self.cap => delay = doubled,
                _ => return self.cap,
            }
        }
        delay
    }
}
