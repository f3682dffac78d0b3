//! Step 3: the use case, written against the ports only.
//!
//! [`JobService::submit`] gives a parsed job its id and time, enqueues it,
//! and turns the queue's answer into the domain's. It is generic over its
//! three ports, so the tests run it with the fakes of `adapters::memory`:
//! no Redis, no network, no sleeping, and every id and timestamp exact.

use crate::domain::model::{Job, JobId, NewJob};
use crate::domain::ports::{Clock, Enqueued, IdGenerator, JobQueue, QueueError};

/// What [`JobService::submit`] answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// The queued job's id, or the earlier job's for a duplicate.
    pub id: JobId,
    /// Whether an earlier job with the same idempotency key was found.
    pub duplicate: bool,
}

/// Why a submission failed after the job was parsed.
///
/// The input cannot be wrong here: [`NewJob`] is parsed before the service
/// sees it, so bad input is the inbound adapter's error to report, not a
/// variant of this one.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The queue is unavailable: retry later, with the same idempotency
    /// key.
    #[error("the job could not be queued now; retry later")]
    Unavailable(#[source] QueueError),
    /// Something is wrong on our side that a retry will not fix.
    #[error("the job could not be queued")]
    Internal(#[source] QueueError),
}

impl SubmitError {
    /// Whether the client may retry the same submission.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }
}

/// The job-submission use case.
///
/// Generic over its ports rather than holding `Arc<dyn ...>` ones: see
/// the module doc of [`ports`](crate::domain::ports) for why.
#[derive(Debug)]
pub struct JobService<Q, I, C> {
    queue: Q,
    ids: I,
    clock: C,
}

impl<Q: JobQueue, I: IdGenerator, C: Clock> JobService<Q, I, C> {
    /// A service over these three adapters. Only the composition root
    /// and the tests call this.
    pub fn new(queue: Q, ids: I, clock: C) -> Self {
        Self { queue, ids, clock }
    }

    /// The queue adapter (tests read the fake's jobs through it).
    pub fn queue(&self) -> &Q {
        &self.queue
    }

    /// Queue `new`: give it a fresh id and the current time, enqueue it,
    /// and answer with the id the client should remember.
    ///
    /// # Errors
    ///
    /// [`SubmitError::Unavailable`] when the queue says a retry may
    /// succeed, [`SubmitError::Internal`] when it says it will not; the
    /// [`QueueError`] is kept as the source.
    pub async fn submit(&self, new: NewJob) -> Result<Submitted, SubmitError> {
        // A fresh id even for what may turn out to be a duplicate: only the
        // queue knows, atomically, whether the key was seen. Asking first
        // and enqueueing second would let two concurrent submits with the
        // same key both see "not seen" and both enqueue.
        let job = Job::new(self.ids.next_id(), new, self.clock.now_ms());
        match self.queue.enqueue(&job).await {
            Ok(Enqueued::Accepted) => Ok(Submitted {
                id: job.id().clone(),
                duplicate: false,
            }),
            Ok(Enqueued::Duplicate(earlier)) => Ok(Submitted {
                id: earlier,
                duplicate: true,
            }),
            // The domain decides with the domain's own words: no
            // `RedisError` here to inspect, only retryable or not.
            Err(error) if error.is_retryable() => Err(SubmitError::Unavailable(error)),
            Err(error) => Err(SubmitError::Internal(error)),
        }
    }
}
