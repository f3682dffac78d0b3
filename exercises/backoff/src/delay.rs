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
        // TODO: refuse a zero base (BackoffError::ZeroBase) and a base above
        // the cap (BackoffError::BaseAboveCap), then build the struct.
        todo!("Backoff::new: validate base and cap")
    }

    /// The delay before the first retry.
    pub fn base(&self) -> Duration {
        todo!("Backoff::base")
    }

    /// The longest delay this curve ever returns.
    pub fn cap(&self) -> Duration {
        todo!("Backoff::cap")
    }

    /// The un-jittered delay before retry number `attempt` (counting from 0):
    /// `min(cap, base * 2^attempt)`.
    ///
    /// This never panics and never wraps, for any `attempt`.
    pub fn delay(&self, attempt: u32) -> Duration {
        // TODO: return min(cap, base * 2^attempt) without ever overflowing.
        // `base * 2u32.pow(attempt)` panics at attempt 32, and `Duration * n`
        // panics past Duration::MAX. Double in a loop instead, and return the cap as
        // soon as the next doubling would reach it (`Duration::checked_mul` gives
        // None instead of panicking).
        todo!("Backoff::delay: the exponential curve, capped")
    }
}
