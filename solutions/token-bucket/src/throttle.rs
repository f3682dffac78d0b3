//! Step 4: two dials. A semaphore caps the jobs in flight; the bucket caps
//! how fast jobs start. Neither does the other's job.

use std::future::Future;
use std::num::NonZeroUsize;

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::bucket::TokenBucket;
use crate::clock::TokioClock;
use crate::quota::Quota;

/// A concurrency limit and a rate limit together: at most `max_in_flight`
/// jobs run at once, and jobs start no faster than the quota allows.
///
/// Why both? A semaphore alone lets fast jobs start as quickly as they
/// finish: 4 slots and 10 ms jobs is 400 starts a second. A bucket alone
/// lets slow jobs pile up: 10 starts a second of 5-second jobs is 50 in
/// flight. A server that allows "10 requests a second, 4 at a time" needs
/// both dials.
#[derive(Debug)]
pub struct Throttle {
    slots: Semaphore,
    max_in_flight: usize,
    bucket: TokenBucket<TokioClock>,
}

/// Permission to run one job: its slot is held until this is dropped.
#[derive(Debug)]
#[must_use = "dropping the admission at once frees the slot before the job runs"]
pub struct Admitted<'a> {
    _slot: SemaphorePermit<'a>,
}

impl Throttle {
    /// A throttle allowing `max_in_flight` jobs at once, started at the
    /// quota's rate.
    pub fn new(max_in_flight: NonZeroUsize, quota: Quota) -> Self {
        Self {
            slots: Semaphore::new(max_in_flight.get()),
            max_in_flight: max_in_flight.get(),
            bucket: TokenBucket::new(quota),
        }
    }

    /// Waits for a free slot, then for a token, and admits one job.
    pub async fn admit(&self) -> Admitted<'_> {
        // The slot first, then the token. The other order looks the same
        // but is not: a task that takes a token and then waits for a slot
        // starts whenever a slot frees, and when several slots free at once
        // the tasks holding old tokens all start together, a burst the
        // bucket was there to prevent. Taking the token last makes the
        // token's time the start time.
        let slot = self
            .slots
            .acquire()
            .await
            .expect("the throttle never closes its semaphore");
        self.bucket.acquire().await;
        Admitted { _slot: slot }
    }

    /// Runs `job` once admitted, holding its slot until the job finishes.
    pub async fn run<F: Future>(&self, job: F) -> F::Output {
        let _admitted = self.admit().await;
        job.await
    }

    /// Jobs admitted and not yet finished, plus any holding a slot while
    /// they wait for a token (a snapshot).
    pub fn in_flight(&self) -> usize {
        self.max_in_flight - self.slots.available_permits()
    }

    /// The most jobs in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }

    /// The bucket that paces the starts.
    pub fn bucket(&self) -> &TokenBucket<TokioClock> {
        &self.bucket
    }
}
