//! Step 6: the composition root, the one place that knows every adapter.
//!
//! [`build_with`] reads the settings, picks and connects the queue
//! adapter, and wires queue, ids and clock into the use case and the use
//! case into the gRPC adapter. Nothing else in the crate constructs an
//! adapter for production; the example's `main` and the end-to-end tests
//! call this, so they run the wiring production runs.
//!
//! This is manual dependency injection: constructors and arguments, read
//! top to bottom, checked by the compiler. The rejected alternative, a DI
//! container that resolves types at run time, turns a missing binding
//! into an error at start-up, and Rust's generics already do its job: a
//! `JobService<Q, I, C>` that lacks a queue does not compile.

use std::fmt;

use crate::adapters::grpc::GrpcJobs;
use crate::adapters::grpc::pb::jobs_server::JobsServer;
use crate::adapters::memory::MemoryQueue;
use crate::adapters::redis::{RedisConfig, RedisQueue};
use crate::adapters::system::{RandomIds, SystemClock};
use crate::domain::model::Job;
use crate::domain::ports::{
    Clock, Enqueued, IdGenerator, JobQueue, QueueError, implements_job_queue,
};
use crate::domain::service::JobService;

/// Which queue adapter to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueSettings {
    /// The in-memory queue: for local runs and demos; jobs die with the
    /// process.
    Memory,
    /// The Redis queue.
    Redis(RedisConfig),
}

/// Everything the composition root needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The queue adapter and its configuration.
    pub queue: QueueSettings,
}

impl Settings {
    /// Read the settings from variables: `JOBS_QUEUE` (`memory`, the
    /// default, or `redis`), `REDIS_URL` (required for `redis`) and
    /// `JOBS_PREFIX` (default `jobs`).
    ///
    /// `lookup` is `|name| std::env::var(name).ok()` in a binary; tests pass
    /// a map, because setting environment variables in a multi-threaded
    /// test process is unsound.
    ///
    /// # Errors
    ///
    /// An unknown `JOBS_QUEUE`, or `redis` without `REDIS_URL`.
    pub fn from_vars(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ComposeError> {
        // TODO: match `lookup("JOBS_QUEUE")`: None or "memory" -> Memory;
        // "redis" -> Redis(RedisConfig::new(url, prefix)) with REDIS_URL required
        // (MissingRedisUrl) and JOBS_PREFIX defaulting to "jobs"; anything else
        // is UnknownQueue.
        todo!("Settings::from_vars: read the queue settings")
    }
}

/// Why the service could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    /// `JOBS_QUEUE` named no adapter.
    #[error("JOBS_QUEUE must be `memory` or `redis`, not {0:?}")]
    UnknownQueue(String),
    /// `JOBS_QUEUE=redis` without `REDIS_URL`.
    #[error("JOBS_QUEUE=redis needs REDIS_URL")]
    MissingRedisUrl,
    /// The queue adapter could not connect.
    #[error("could not connect the job queue")]
    Queue(#[source] QueueError),
}

/// The queue adapter the settings chose: one type for both, so that the
/// service has one concrete type whichever runs.
///
/// An enum, because the set of adapters is closed and known here, in the
/// one module allowed to know it; dispatch stays static. The rejected
/// alternative, `Box<dyn JobQueue>`, is not possible with the port's
/// `impl Future` method (see `domain::ports`), and would box every call if
/// the port were rewritten to allow it.
#[derive(Clone)]
pub enum AnyQueue {
    /// The in-memory fake.
    Memory(MemoryQueue),
    /// Redis.
    Redis(RedisQueue),
}

impl fmt::Debug for AnyQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Memory(queue) => f.debug_tuple("Memory").field(queue).finish(),
            Self::Redis(queue) => f.debug_tuple("Redis").field(queue).finish(),
        }
    }
}

impl JobQueue for AnyQueue {
    async fn enqueue(&self, job: &Job) -> Result<Enqueued, QueueError> {
        todo!("AnyQueue::enqueue: pass the call to the adapter inside")
    }
}

const _: () = implements_job_queue::<AnyQueue>();

/// The wired service, as tonic serves it.
pub type JobsApi<I, C> = JobsServer<GrpcJobs<AnyQueue, I, C>>;

/// Build the gRPC service from `settings`, with the given id generator and
/// clock (the two things a test or a demo pins down).
///
/// # Errors
///
/// [`ComposeError::Queue`] when the Redis adapter cannot connect: the
/// service refuses to start rather than start and fail every request.
pub async fn build_with<I: IdGenerator, C: Clock>(
    settings: &Settings,
    ids: I,
    clock: C,
) -> Result<JobsApi<I, C>, ComposeError> {
    // TODO: pick the queue from `settings.queue` (a new MemoryQueue, or
    // `RedisQueue::connect`, its error wrapped in ComposeError::Queue), then
    // JobService::new(queue, ids, clock), GrpcJobs::new(..).into_server().
    todo!("build_with: choose the queue adapter and wire the service")
}

/// Build the production service: random ids and the system clock.
///
/// # Errors
///
/// As [`build_with`].
pub async fn build(
    settings: &Settings,
) -> Result<JobsApi<RandomIds, SystemClock>, ComposeError> {
    build_with(settings, RandomIds::new(), SystemClock).await
}
