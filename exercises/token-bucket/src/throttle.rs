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
        todo!("Throttle::new: a semaphore of max_in_flight and a new bucket")
    }

    /// Waits for a free slot, then for a token, and admits one job.
    pub async fn admit(&self) -> Admitted<'_> {
        // TODO: wait for a slot (`self.slots.acquire().await`; the semaphore
        // is never closed) and for a token (`self.bucket.acquire().await`),
        // then keep the slot in the Admitted. Which one first? The order
        // matters when several slots free at once (step 4 of the lesson).
        todo!("Throttle::admit: a slot and a token, in the right order")
    }

    /// Runs `job` once admitted, holding its slot until the job finishes.
    pub async fn run<F: Future>(&self, job: F) -> F::Output {
        todo!("Throttle::run: admit, then run the job while holding the slot")
    }

    /// Jobs admitted and not yet finished, plus any holding a slot while
    /// they wait for a token (a snapshot).
    pub fn in_flight(&self) -> usize {
        todo!("Throttle::in_flight: max_in_flight minus the free permits")
    }

    /// The most jobs in flight at once.
    pub fn max_in_flight(&self) -> usize {
        todo!("Throttle::max_in_flight")
    }

    /// The bucket that paces the starts.
    pub fn bucket(&self) -> &TokenBucket<TokioClock> {
        todo!("Throttle::bucket")
    }
}
