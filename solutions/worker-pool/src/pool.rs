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
        let (sender, receiver) = mpsc::channel(queue.get());
        // tokio's mpsc has exactly one receiver, and N workers must share it.
        // The receiver goes behind an `Arc<tokio::sync::Mutex<_>>`: the idle
        // worker holding the lock waits in `recv`, the other idle workers
        // wait for the lock (in FIFO order: tokio's Mutex is fair), and a
        // busy worker holds nothing. Rejected alternatives:
        // - one channel per worker, filled round-robin: a slow job holds up
        //   the jobs queued behind it while other workers sit idle;
        // - `std::sync::Mutex`: the lock is held across `recv().await`, and a
        //   std guard there makes the worker's future `!Send` (tokio::spawn
        //   refuses it) and would block the thread, not just the task;
        // - the async-channel crate (a cloneable MPMC receiver, like a Go
        //   channel): one more dependency to save a few lines;
        // - crossbeam-channel (MPMC, in the workspace): its `recv` blocks the
        //   thread, which is right for a pool of OS threads, not for tasks.
        let receiver = Arc::new(Mutex::new(receiver));
        let handler = Arc::new(handler);
        let mut set = JoinSet::new();
        for _ in 0..workers.get() {
            set.spawn(work(Arc::clone(&receiver), Arc::clone(&handler)));
        }
        Self {
            queue: sender,
            workers: set,
        }
    }

    /// Queues `job`, waiting while the queue is full. That wait is the
    /// backpressure: a producer faster than the workers slows down to their
    /// pace instead of piling jobs up in memory.
    pub async fn submit(&self, job: J) -> Result<(), SubmitError<J>> {
        self.queue
            .send(job)
            .await
            .map_err(|error| SubmitError::Closed(error.0))
    }

    /// Queues `job` if there is room now, or hands it back: the choice for a
    /// request handler that should answer "busy" rather than wait.
    pub fn try_submit(&self, job: J) -> Result<(), SubmitError<J>> {
        self.queue.try_send(job).map_err(|error| match error {
            TrySendError::Full(job) => SubmitError::Full(job),
            TrySendError::Closed(job) => SubmitError::Closed(job),
        })
    }

    /// Stops taking jobs, lets the workers finish every job already queued,
    /// waits for them, and reports what they did.
    ///
    /// Taking `self` means no `submit` can race with the shutdown: the
    /// compiler rules it out.
    pub async fn shutdown(self) -> PoolReport {
        let Self { queue, mut workers } = self;
        // Dropping the only sender closes the queue: each worker's `recv`
        // returns the jobs still queued, then `None`, and the worker ends.
        // (Keep no other clone of the sender, in a worker or anywhere else,
        // or `recv` never returns `None` and this waits for ever.)
        drop(queue);
        let mut report = PoolReport::default();
        while let Some(joined) = workers.join_next().await {
            match joined {
                Ok(worker_report) => report += worker_report,
                // A worker catches its jobs' panics, so a worker panicking
                // is a bug in this file: pass it on rather than hide it.
                Err(error) if error.is_panic() => {
                    std::panic::resume_unwind(error.into_panic())
                }
                Err(_cancelled) => {}
            }
        }
        report
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
    let mut report = PoolReport::default();
    loop {
        // The lock guard is a temporary of this statement, dropped at the
        // `;`, so the lock is free again before the job runs. The tempting
        // `while let Some(job) = queue.lock().await.recv().await { ... }`
        // keeps the scrutinee's temporaries, the guard included, alive for
        // the whole loop body: every job would run under the lock, and the
        // pool would run one job at a time however many workers it has.
        let next = queue.lock().await.recv().await;
        let Some(job) = next else { break };
        // The job runs in a task of its own, so a panic stops at the task's
        // edge and comes back as a `JoinError` (Day 57). Run inline, it would
        // kill this worker: the pool would shrink by one per panic, down to
        // none, and then `submit` would wait for ever on a full queue. The
        // handler is called inside the task too, so a handler that panics
        // before its first `.await` is caught the same way.
        let handler = Arc::clone(&handler);
        match tokio::spawn(async move { handler(job).await }).await {
            Ok(()) => report.completed += 1,
            // Nothing aborts a job's task, so an error here is a panic.
            Err(_panicked) => report.panicked += 1,
        }
    }
    report
}
