//! Step 1: a fixed pool of workers reading one bounded queue.

use std::fmt;
use std::num::NonZeroUsize;
use std::ops::AddAssign;
use std::sync::Arc;

use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinSet;

/// Why a job was not queued. Either way the job comes back, so the caller
/// can retry it, park it or answer "busy".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError<J> {
    /// The queue is full ([`WorkerPool::try_submit`] only: `submit` waits).
    #[error("the queue is full")]
    Full(J),
    /// No worker is left to read the queue.
    #[error("the pool has no workers left")]
    Closed(J),
}

/// What the workers did, returned by [`WorkerPool::shutdown`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolReport {
    /// Jobs that ran to the end.
    pub completed: u64,
    /// Jobs that panicked (their worker went on to the next job).
    pub panicked: u64,
}

impl AddAssign for PoolReport {
    fn add_assign(&mut self, other: Self) {
        self.completed += other.completed;
        self.panicked += other.panicked;
    }
}

/// `workers` long-lived tasks taking jobs from one bounded queue and
/// running `handler(job)` on each, one job per worker at a time.
///
/// [`submit`](Self::submit) waits while the queue is full (backpressure),
/// [`try_submit`](Self::try_submit) refuses instead, and
/// [`shutdown`](Self::shutdown) runs every job already queued, then joins
/// the workers. A job that panics is counted and its worker goes on.
pub struct WorkerPool<J> {
    queue: mpsc::Sender<J>,
    workers: JoinSet<PoolReport>,
}

// By hand rather than derived: `#[derive(Debug)]` would demand `J: Debug`,
// and the jobs are none of the reader's business.
impl<J> fmt::Debug for WorkerPool<J> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkerPool")
            .field("workers", &self.workers.len())
            .field("queue_capacity", &self.queue.max_capacity())
            .finish()
    }
}

impl<J: Send + 'static> WorkerPool<J> {
    /// Starts `workers` workers sharing a queue that holds up to `queue`
    /// jobs waiting for a worker.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime (the workers are tokio tasks).
    pub fn new<F, Fut>(workers: NonZeroUsize, queue: NonZeroUsize, handler: F) -> Self
    where
        F: Fn(J) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        // TODO: make a bounded `mpsc::channel(queue)`. tokio's receiver has
        // one owner, so share it between the workers as an
        // `Arc<tokio::sync::Mutex<Receiver<J>>>` (tokio's Mutex, because the
        // lock is held across `recv().await`), put the handler in an `Arc`,
        // and spawn `workers` copies of `work` into a `JoinSet`.
        todo!("WorkerPool::new: a bounded channel, a shared receiver, N workers")
    }

    /// Queues `job`, waiting while the queue is full. That wait is the
    /// backpressure: a producer faster than the workers slows down to their
    /// pace instead of piling jobs up in memory.
    pub async fn submit(&self, job: J) -> Result<(), SubmitError<J>> {
        // TODO: `send(job).await` on the channel waits while it is full; its
        // error (no receiver left) carries the job back: SubmitError::Closed.
        todo!("WorkerPool::submit: send, waiting while the queue is full")
    }

    /// Queues `job` if there is room now, or hands it back: the choice for a
    /// request handler that should answer "busy" rather than wait.
    pub fn try_submit(&self, job: J) -> Result<(), SubmitError<J>> {
        // TODO: `try_send` never waits: map TrySendError::Full and ::Closed to
        // the SubmitError variants of the same names, job included.
        todo!("WorkerPool::try_submit: try_send, handing the job back")
    }

    /// Stops taking jobs, lets the workers finish every job already queued,
    /// waits for them, and reports what they did.
    ///
    /// Taking `self` means no `submit` can race with the shutdown: the
    /// compiler rules it out.
    pub async fn shutdown(self) -> PoolReport {
        // TODO: drop the sender (the workers then see `None` once the queue
        // is empty), then `join_next` every worker and add up their reports.
        todo!("WorkerPool::shutdown: close the queue, join the workers")
    }
}

/// One worker: take a job, run it, repeat until the queue is closed and
/// empty.
async fn work<J, F, Fut>(
    queue: Arc<Mutex<mpsc::Receiver<J>>>,
    handler: Arc<F>,
) -> PoolReport
where
    J: Send + 'static,
    F: Fn(J) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    // TODO: loop: lock the receiver, `recv().await` the next job and let
    // the guard go BEFORE running it (careful: in `while let Some(job) =
    // queue.lock().await.recv().await`, the guard lives for the whole loop
    // body). `None` means the queue is closed and empty: return the report.
    // Run each job in a task of its own (`tokio::spawn`) and await it: a
    // panic then comes back as an `Err` to count, instead of killing the
    // worker.
    todo!("work: take a job, release the lock, run it in its own task")
}
