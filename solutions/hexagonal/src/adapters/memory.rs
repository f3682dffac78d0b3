//! Step 2: the fakes: an in-memory queue with failure injection,
//! sequential ids and a manual clock.
//!
//! A fake is a working implementation of the port, simpler than the real
//! one: it keeps the contract (a repeated key is a duplicate) with a
//! `HashMap` instead of Redis. A mock is different: it records calls and
//! checks them against expectations written in the test ("enqueue was
//! called once with..."), so it tests how the core talks to the port. A
//! fake lets a test check what the core achieved (one job queued, the
//! first id returned) and survives a refactoring of how it got there.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::domain::model::{IdempotencyKey, Job, JobId};
use crate::domain::ports::{
    Clock, Enqueued, IdGenerator, JobQueue, QueueError, implements_clock,
    implements_id_generator, implements_job_queue,
};

/// A failure the fake queue can be told to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// As if the queue could not be reached: [`QueueError::Unavailable`].
    Unavailable,
    /// As if its data were damaged: [`QueueError::Corrupt`].
    Corrupt,
}

/// The cause under an injected failure, so a test can tell it from a
/// real one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("injected by the test: {0:?}")]
pub struct Injected(pub Failure);

/// The fake's state, behind one lock so that the key check and the push
/// are one step, as they are one Lua script in Redis.
#[derive(Debug, Default)]
struct State {
    jobs: Vec<Job>,
    keys: HashMap<IdempotencyKey, JobId>,
    failures: VecDeque<Failure>,
}

/// [`JobQueue`] in memory. Clones share the same queue, so a test keeps a
/// clone to look inside after handing one to the service.
#[derive(Debug, Clone, Default)]
pub struct MemoryQueue {
    state: Arc<Mutex<State>>,
}

impl MemoryQueue {
    /// An empty queue that works until told otherwise.
    pub fn new() -> Self {
        Self::default()
    }

    /// Make the next `enqueue` fail with `failure` (calls queue up: two
    /// calls fail the next two enqueues). A failed enqueue stores nothing.
    pub fn fail_next(&self, failure: Failure) {
        self.lock().failures.push_back(failure);
    }

    /// The jobs stored so far, oldest first.
    pub fn jobs(&self) -> Vec<Job> {
        self.lock().jobs.clone()
    }

    /// A std mutex, not tokio's: it is never held across an `.await` (the
    /// fake does no I/O), and std's is cheaper. A panic while it is held
    /// (a failed test) leaves the data usable, so poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl JobQueue for MemoryQueue {
    async fn enqueue(&self, job: &Job) -> Result<Enqueued, QueueError> {
        let mut state = self.lock();
        if let Some(failure) = state.failures.pop_front() {
            return Err(match failure {
                Failure::Unavailable => QueueError::unavailable(Injected(failure)),
                Failure::Corrupt => QueueError::corrupt(Injected(failure)),
            });
        }
        if let Some(key) = job.idempotency_key() {
            if let Some(earlier) = state.keys.get(key) {
                return Ok(Enqueued::Duplicate(earlier.clone()));
            }
            state.keys.insert(key.clone(), job.id().clone());
        }
        state.jobs.push(job.clone());
        Ok(Enqueued::Accepted)
    }
}

/// Ids `job-1`, `job-2`, ... in order: exact ids for tests and the example.
#[derive(Debug, Default)]
pub struct SequentialIds {
    issued: AtomicU64,
}

impl SequentialIds {
    /// A generator whose first id is `job-1`.
    pub fn new() -> Self {
        Self::default()
    }
}

impl IdGenerator for SequentialIds {
    fn next_id(&self) -> JobId {
        // Relaxed: the counter only has to hand out distinct numbers; it
        // orders no other memory.
        let n = self.issued.fetch_add(1, Ordering::Relaxed) + 1;
        JobId::parse(&format!("job-{n}")).expect("job-<number> is a valid id")
    }
}

/// A clock that moves only when told. Clones share the same time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now_ms: Arc<AtomicU64>,
}

impl ManualClock {
    /// A clock reading `start_ms` (ms since the Unix epoch).
    pub fn new(start_ms: u64) -> Self {
        Self {
            now_ms: Arc::new(AtomicU64::new(start_ms)),
        }
    }

    /// Move the time forward by `by` (whole milliseconds).
    pub fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.now_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> u64 {
        self.now_ms.load(Ordering::Relaxed)
    }
}

// The build fails here, next to the fakes, if one stops implementing its
// port: see `implements_job_queue`.
const _: () = implements_job_queue::<MemoryQueue>();
const _: () = implements_id_generator::<SequentialIds>();
const _: () = implements_clock::<ManualClock>();
