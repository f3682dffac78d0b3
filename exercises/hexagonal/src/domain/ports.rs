//! The ports: what the core needs from the outside world, as traits the
//! core owns. Not a step: the traits are the contract every step builds on.
//!
//! The domain defines these traits and the adapters implement them, the
//! opposite of a core that calls a Redis client directly. Go gets the same
//! inversion from implicit interfaces declared by the consumer; Rust needs
//! an `impl JobQueue for RedisQueue`, written in the adapter, which names
//! the port. The doc of each method is the contract: an adapter that
//! breaks it is wrong even if it compiles.
//!
//! # Generics, not trait objects
//!
//! `enqueue` returns `impl Future + Send` (an `async fn` in the impl), so
//! the service is generic over its ports (`JobService<Q, I, C>`) and every
//! call is static: no box per call, no macro, and nothing from outside std
//! in the domain. The rejected alternative, `Arc<dyn JobQueue>`, does not
//! compile with this trait: a method returning `impl Future` (or an
//! `async fn`) makes a trait not dyn-compatible, because each impl returns
//! a different future type. Making it dyn-compatible means boxing every
//! future, by hand (`Pin<Box<dyn Future + Send + '_>>`) or with the
//! `async_trait` macro, and reaching for `tonic::async_trait` here would
//! put tonic in the domain. The price of generics is paid in one place:
//! the composition root must name one concrete queue type, which is why
//! `compose::AnyQueue` exists.

use std::error::Error;

use crate::domain::model::{Job, JobId};

/// Any error, as the cause under a domain error. The domain keeps the
/// chain for the log without naming the adapter's error type.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// Where accepted jobs wait for a worker.
///
/// `Send + Sync + 'static` are supertraits because the service runs inside
/// a tonic server, which shares it between tasks on every thread.
pub trait JobQueue: Send + Sync + 'static {
    /// Store `job` so that a worker can take it.
    ///
    /// An adapter MUST:
    ///
    /// - store nothing and return [`Enqueued::Duplicate`] with the earlier
    ///   job's id when `job.idempotency_key()` was accepted before (within
    ///   the adapter's dedupe window, if it has one);
    /// - return [`QueueError::Unavailable`] when a retry may succeed (no
    ///   connection, a timeout). The job may or may not have been stored:
    ///   a retry with the same idempotency key is safe either way;
    /// - return [`QueueError::Corrupt`] when it will fail the same way
    ///   again (the stored data is not what the adapter expects);
    /// - keep its own error types out of the signature: they go in the
    ///   `source` of a [`QueueError`].
    fn enqueue(
        &self,
        job: &Job,
    ) -> impl Future<Output = Result<Enqueued, QueueError>> + Send;
}

/// What [`JobQueue::enqueue`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enqueued {
    /// The job is queued.
    Accepted,
    /// A job with the same idempotency key was queued before, under this
    /// id; nothing was stored.
    Duplicate(JobId),
}

/// Why a queue could not take a job, in the domain's words.
///
/// Two variants, because the callers need one decision: retry or not. The
/// adapter's own error (a `RedisError`) is kept as the `source`, for the
/// log, where no domain code can match on it.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The queue cannot be reached or did not answer in time; a retry may
    /// succeed.
    #[error("the job queue is unavailable")]
    Unavailable {
        /// What the adapter saw.
        #[source]
        source: BoxError,
    },
    /// The queue answered, but its data is not what the adapter expects; a
    /// retry would fail the same way.
    #[error("the job queue is broken: a retry would fail the same way")]
    Corrupt {
        /// What the adapter saw.
        #[source]
        source: BoxError,
    },
}

impl QueueError {
    /// [`QueueError::Unavailable`] caused by `source`.
    pub fn unavailable(source: impl Into<BoxError>) -> Self {
        Self::Unavailable {
            source: source.into(),
        }
    }

    /// [`QueueError::Corrupt`] caused by `source`.
    pub fn corrupt(source: impl Into<BoxError>) -> Self {
        Self::Corrupt {
            source: source.into(),
        }
    }

    /// Whether the same call may succeed later.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Unavailable { .. })
    }
}

/// Where job ids come from: a port, so tests and the example get
/// `job-1`, `job-2`... and production gets random ids.
pub trait IdGenerator: Send + Sync + 'static {
    /// A new id, never returned before by this generator.
    fn next_id(&self) -> JobId;
}

/// The time: a port, so tests state exact timestamps.
pub trait Clock: Send + Sync + 'static {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
}

/// Compiles only if `T` implements [`JobQueue`]. Each adapter module calls
/// it in a `const _: () = implements_job_queue::<TheAdapter>();`, so the
/// build fails next to the adapter when its impl is removed or stops
/// matching the port.
pub const fn implements_job_queue<T: JobQueue>() {}

/// Compiles only if `T` implements [`IdGenerator`].
pub const fn implements_id_generator<T: IdGenerator>() {}

/// Compiles only if `T` implements [`Clock`].
pub const fn implements_clock<T: Clock>() {}
