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
        let burst = NonZeroU32::new(burst).ok_or(RateError::ZeroBurst)?;
        if every.is_zero() {
            return Err(RateError::ZeroInterval);
        }
        Ok(Self { burst, every })
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
        // Written as an addition to `now`: `full_at - slack` could go below
        // the clock's origin and panic.
        if self.full_at <= now + self.slack() {
            now
        } else {
            self.full_at - self.slack()
        }
    }

    /// Takes one token at `now`.
    ///
    /// # Panics
    ///
    /// If no token is there (`available_at(now) > now`): that is a bug in
    /// the caller, who must ask first.
    pub fn take(&mut self, now: Instant) {
        assert!(
            self.available_at(now) <= now,
            "took a token from an empty bucket"
        );
        // An idle bucket is full, not "more than full": start from `now`.
        self.full_at = self.full_at.max(now) + self.rate.every;
    }

    /// Takes a token if one is there; otherwise says when one will be.
    ///
    /// # Errors
    ///
    /// The instant the next token arrives.
    pub fn try_take(&mut self, now: Instant) -> Result<(), Instant> {
        let at = self.available_at(now);
        if at > now {
            return Err(at);
        }
        self.take(now);
        Ok(())
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
        Self {
            global: global.map(|rate| TokenBucket::new(rate, now)),
            per_host,
            hosts: HashMap::new(),
        }
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
        // Ask both buckets before taking from either: taking the global token
        // and then finding the host bucket empty would waste it.
        let global_at = self.global.as_ref().map_or(now, |b| b.available_at(now));
        let host_bucket = match self.per_host {
            Some(rate) => Some(
                self.hosts
                    .entry(host.to_owned())
                    .or_insert_with(|| TokenBucket::new(rate, now)),
            ),
            None => None,
        };
        let host_at = host_bucket.as_ref().map_or(now, |b| b.available_at(now));
        let at = global_at.max(host_at);
        if at > now {
            return Err(at);
        }
        if let Some(bucket) = host_bucket {
            bucket.take(now);
        }
        if let Some(bucket) = &mut self.global {
            bucket.take(now);
        }
        Ok(())
    }
}
