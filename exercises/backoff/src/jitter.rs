//! Step 2: jitter, so that clients that failed together do not retry together.

use std::time::Duration;

use crate::Backoff;

/// A source of randomness, injected so that tests can be deterministic.
///
/// Production code passes a seeded or an OS-seeded [`fastrand::Rng`]; tests
/// pass a fake that returns fixed numbers, and check exact delays.
pub trait RandomSource {
    /// A number drawn uniformly from `[0.0, 1.0)`.
    fn unit(&mut self) -> f64;
}

impl RandomSource for fastrand::Rng {
    fn unit(&mut self) -> f64 {
        self.f64()
    }
}

impl<R: RandomSource + ?Sized> RandomSource for &mut R {
    fn unit(&mut self) -> f64 {
        (**self).unit()
    }
}

/// How a delay from the backoff curve is randomised, after Marc Brooker's
/// "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015), where
/// `expo(n) = min(cap, base * 2^n)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Jitter {
    /// `expo(n)`: every client that failed at the same time retries at the
    /// same time (the thundering herd). For tests and demonstrations.
    None,
    /// `uniform(0, expo(n))`: the least total work for the server; the
    /// default.
    Full,
    /// `expo(n)/2 + uniform(0, expo(n)/2)`: never waits less than half the
    /// curve, at the price of more clustering than full jitter.
    Equal,
    /// `min(cap, uniform(base, previous * 3))`, starting from `previous =
    /// base`: grows from the last delay actually slept instead of the attempt
    /// number.
    Decorrelated,
}

impl Default for Jitter {
    fn default() -> Self {
        // TODO: which strategy should a caller get without choosing one?
        // (Then you may replace this impl by `#[derive(Default)]` and a
        // `#[default]` on that variant.)
        todo!("Jitter::default")
    }
}

/// The successive delays of a backoff curve with jitter: an endless iterator
/// (the retry loop decides when to stop).
#[derive(Debug, Clone)]
pub struct Delays<R> {
    backoff: Backoff,
    jitter: Jitter,
    rng: R,
    attempt: u32,
    previous: Duration,
}

impl Backoff {
    /// The delays before retries 0, 1, 2, ... with `jitter` applied, drawing
    /// random numbers from `rng`.
    pub fn delays<R: RandomSource>(self, jitter: Jitter, rng: R) -> Delays<R> {
        // TODO: start at attempt 0, with `previous` (for decorrelated jitter)
        // equal to the base delay.
        todo!("Backoff::delays: build the iterator")
    }
}

impl<R: RandomSource> Iterator for Delays<R> {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        // TODO: compute expo = self.backoff.delay(self.attempt), move to the next
        // attempt (saturating: the iterator never ends), then apply the jitter:
        //   None          expo
        //   Full          uniform(0, expo)
        //   Equal         expo / 2 + uniform(0, expo - expo / 2)
        //   Decorrelated  min(cap, uniform(base, previous * 3)); remember the result
        //                 as `previous` (and multiply with `saturating_mul`)
        // The `uniform` helper below draws from a range without overflowing.
        todo!("Delays::next: one jittered delay")
    }
}

/// A duration drawn uniformly from `[low, high]` (just `low` if `high <= low`).
///
/// The arithmetic is done in whole nanoseconds (`u128`), because
/// `Duration::mul_f64` goes through `f64` seconds and can round a result to
/// slightly above `high`, or panic near `Duration::MAX`.
pub(crate) fn uniform(
    rng: &mut impl RandomSource,
    low: Duration,
    high: Duration,
) -> Duration {
    let span = high.saturating_sub(low).as_nanos();
    // `as` from f64 to an integer saturates (and maps NaN to 0): no panic
    // even if a fake random source returns something out of range.
    let offset = ((span as f64) * rng.unit()) as u128;
    low + from_nanos(offset.min(span))
}

/// Converts nanoseconds back to a `Duration`; `nanos` must fit one (it does
/// here: it is never more than the span between two durations).
fn from_nanos(nanos: u128) -> Duration {
    const NANOS_PER_SEC: u128 = 1_000_000_000;
    let secs = u64::try_from(nanos / NANOS_PER_SEC).unwrap_or(u64::MAX);
    // The remainder is below 10^9, so it always fits a u32.
    let subsec = (nanos % NANOS_PER_SEC) as u32;
    Duration::new(secs, subsec)
}
