//! Step 2: rate limits, global and per host, as token buckets.
//!
//! Day 75 teaches token buckets in depth (refill arithmetic, property tests,
//! a loom-checked shared bucket). This one is deliberately small, and it has
//! no lock: the coordinator is its only user, so it is plain data that the
//! coordinator asks "may this host go now, and if not, when?".
//!
//! The bucket counts in time, not in fractional tokens. Holding "2.5
//! tokens" as an `f64` drifts by rounding; holding "the instant the bucket
//! will be full again" is exact to the nanosecond, so a paused-clock test
//! can assert that the fifth request starts at exactly 400 ms.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::Duration;

use tokio::time::Instant;

/// Why a [`Rate`] was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    /// A bucket of zero tokens never lets anything through.
    #[error("the burst must be at least one token")]
    ZeroBurst,
    /// A zero refill interval is no limit at all: leave the limit out.
    #[error("the refill interval must be longer than zero")]
    ZeroInterval,
}

/// A rate limit: up to `burst` requests at once, then one more every
/// `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    burst: NonZeroU32,
    every: Duration,
}

impl Rate {
    /// `burst` tokens, refilled one per `every`.
    ///
    /// # Errors
    ///
    /// [`RateError::ZeroBurst`] or [`RateError::ZeroInterval`].
    pub fn new(burst: u32, every: Duration) -> Result<Self, RateError> {
        // TODO: refuse a zero burst (RateError::ZeroBurst; `NonZeroU32::new`
        // returns None for 0) and a zero interval (RateError::ZeroInterval).
        todo!("Rate::new: validate the burst and the interval")
    }

    /// The most requests let through at once.
    pub fn burst(&self) -> u32 {
        self.burst.get()
    }

    /// How long one token takes to come back.
    pub fn every(&self) -> Duration {
        self.every
    }
}

/// A token bucket that starts full.
///
/// Instead of a token count it keeps `full_at`, the instant at which the
/// bucket would be full again if nothing more were taken. Taking a token
/// pushes `full_at` one interval later; time passing refills it for free.
/// A token is there at `now` when the bucket is short of at most
/// `burst - 1` tokens, that is when `full_at <= now + (burst - 1) * every`.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: Rate,
    full_at: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(rate: Rate, now: Instant) -> Self {
        Self { rate, full_at: now }
    }

    /// How far behind "full" the bucket may be and still hold one token.
    fn slack(&self) -> Duration {
        self.rate.every * (self.rate.burst() - 1)
    }

    /// The earliest instant, `now` or later, at which a token is there.
    pub fn available_at(&self, now: Instant) -> Instant {
        // TODO: a token is there at `now` when `full_at <= now + slack()`;
        // otherwise it comes at `full_at - slack()`. (Compare by adding to
        // `now`: subtracting from an Instant can go below its origin.)
        todo!("TokenBucket::available_at: now, or when the next token comes")
    }

    /// Takes one token at `now`.
    ///
    /// # Panics
    ///
    /// If no token is there (`available_at(now) > now`): that is a bug in
    /// the caller, who must ask first.
    pub fn take(&mut self, now: Instant) {
        // TODO: assert a token is there, then push `full_at` one interval
        // past `max(full_at, now)`: an idle bucket is full, not over-full.
        todo!("TokenBucket::take: one interval more until full")
    }

    /// Takes a token if one is there; otherwise says when one will be.
    ///
    /// # Errors
    ///
    /// The instant the next token arrives.
    pub fn try_take(&mut self, now: Instant) -> Result<(), Instant> {
        // TODO: `available_at(now)`: if that is later than `now`, return it
        // as the error and take nothing; otherwise take.
        todo!("TokenBucket::try_take: take, or say when")
    }
}

/// A global bucket and one bucket per host, either of them optional. A
/// request goes only when both have a token, and then takes from both.
#[derive(Debug, Clone)]
pub struct Limiter {
    global: Option<TokenBucket>,
    per_host: Option<Rate>,
    hosts: HashMap<String, TokenBucket>,
}

impl Limiter {
    /// A limiter; `None` means no limit of that kind.
    pub fn new(global: Option<Rate>, per_host: Option<Rate>, now: Instant) -> Self {
        // TODO: a full global bucket if there is a global rate; no host
        // bucket yet (they are made on first use).
        todo!("Limiter::new: the global bucket, an empty map of host buckets")
    }

    /// Lets a request to `host` go at `now`, taking a token from the global
    /// bucket and from the host's (a host seen for the first time gets a
    /// full bucket).
    ///
    /// # Errors
    ///
    /// When either bucket is empty, the instant both will have a token;
    /// nothing is taken then.
    pub fn try_acquire(&mut self, host: &str, now: Instant) -> Result<(), Instant> {
        // TODO: find (or make, full at `now`) the host's bucket if there is a
        // per-host rate. The request may go at the later of the two buckets'
        // `available_at(now)`. If that is after `now`, return it and take
        // nothing; otherwise take from both.
        todo!("Limiter::try_acquire: both buckets agree, then take from both")
    }
}
