//! Step 3: the pool put together, and its drain on shutdown.

use std::num::NonZeroUsize;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::{JoinError, JoinHandle, JoinSet};
use tokio::time::{Instant, timeout_at};

use crate::{
    Acker, Deliveries, Delivery, Drain, FetchReport, JobError, JobId, JobSource,
    StopReason, Tally, fetcher, worker,
};

/// Why a [`PoolConfig`] was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Zero workers: nothing would ever run.
    #[error("a pool needs at least one worker")]
    NoWorkers,
    /// Zero capacity: tokio's bounded channel has no zero size (it panics),
    /// unlike Go's unbuffered channel.
    #[error("the channel needs room for at least one delivery")]
    NoCapacity,
}

/// How big the pool is and how long it waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolConfig {
    workers: NonZeroUsize,
    capacity: NonZeroUsize,
    job_timeout: Duration,
    drain_deadline: Duration,
}

impl PoolConfig {
    /// `workers` workers behind a channel of `capacity` deliveries, with a
    /// 30 s job timeout and a 10 s drain deadline.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NoWorkers`] or [`ConfigError::NoCapacity`] for a zero.
    pub fn new(workers: usize, capacity: usize) -> Result<Self, ConfigError> {
        Ok(Self {
            workers: NonZeroUsize::new(workers).ok_or(ConfigError::NoWorkers)?,
            capacity: NonZeroUsize::new(capacity).ok_or(ConfigError::NoCapacity)?,
            job_timeout: Duration::from_secs(30),
            drain_deadline: Duration::from_secs(10),
        })
    }

    /// The same configuration with another job timeout.
    #[must_use]
    pub fn with_job_timeout(self, job_timeout: Duration) -> Self {
        Self {
            job_timeout,
            ..self
        }
    }

    /// The same configuration with another drain deadline.
    #[must_use]
    pub fn with_drain_deadline(self, drain_deadline: Duration) -> Self {
        Self {
            drain_deadline,
            ..self
        }
    }

    /// How many jobs run at once.
    pub fn workers(&self) -> NonZeroUsize {
        self.workers
    }

    /// How many deliveries wait in the channel, at most.
    pub fn capacity(&self) -> NonZeroUsize {
        self.capacity
    }

    /// How long one job may run.
    pub fn job_timeout(&self) -> Duration {
        self.job_timeout
    }

    /// How long jobs in flight may go on once a shutdown is asked for.
    pub fn drain_deadline(&self) -> Duration {
        self.drain_deadline
    }
}

/// What [`run`] did, from the first fetch to the last task gone.
#[derive(Debug)]
pub struct DrainReport {
    /// Why the fetcher stopped.
    pub stopped: StopReason,
    /// How many deliveries were fetched. Each one is counted exactly once
    /// below: in an outcome count, in `abandoned` or in `released`.
    pub fetched: usize,
    /// Jobs acked.
    pub succeeded: usize,
    /// Jobs nacked because the handler returned an error.
    pub failed: usize,
    /// Jobs nacked because they ran past the job timeout.
    pub timed_out: usize,
    /// Jobs nacked because the handler panicked.
    pub panicked: usize,
    /// Jobs still running at the drain deadline, aborted and not settled
    /// (their leases expire and the queue redelivers them). Sorted.
    pub abandoned: Vec<JobId>,
    /// Deliveries still buffered at shutdown, never started, released back
    /// to the queue. Sorted.
    pub released: Vec<JobId>,
}

/// Runs the pool: one [`fetcher`] feeding `config.workers()` [`worker`]s
/// through a channel of `config.capacity()`, until the source is exhausted
/// (every fetched job then runs to the end) or `shutdown` completes.
///
/// On shutdown it drains: the fetcher stops, deliveries buffered but not
/// started are released, jobs in flight may finish until
/// `config.drain_deadline()` after the shutdown, and those still running
/// then are aborted and reported as abandoned. It returns once no task it
/// started is left.
///
/// The caller chooses the shutdown (`tokio::signal::ctrl_c()`,
/// `token.cancelled()`, a timer in a test); its output is ignored.
///
/// # Panics
///
/// Outside a tokio runtime, or if the source or a worker panics (a
/// handler's panic is caught: it is a job's outcome).
pub async fn run<S, H, Fut, A>(
    source: S,
    handler: H,
    acker: A,
    config: PoolConfig,
    shutdown: impl Future,
) -> DrainReport
where
    S: JobSource,
    H: Fn(Delivery<S::Payload>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    A: Acker,
{
    let handler = Arc::new(handler);
    let acker = Arc::new(acker);
    let drain = Drain::default();
    let (sender, receiver) = mpsc::channel(config.capacity.get());
    let deliveries = Deliveries::new(receiver);
    // `sender` moves into the fetcher, and no clone stays here: the fetcher
    // returning is then what ends the channel, and the workers' `next`
    // returns `None` once it is empty.
    let fetching = tokio::spawn(fetcher(source, sender, drain.stop.clone()));
    let mut workers = JoinSet::new();
    for _ in 0..config.workers.get() {
        workers.spawn(worker(
            deliveries.clone(),
            Arc::clone(&handler),
            Arc::clone(&acker),
            config.job_timeout,
            drain.clone(),
        ));
    }
    let mut tally = Tally::default();
    let mut released = Vec::new();
    let shutdown = pin!(shutdown);
    let shutdown_asked = tokio::select! {
        // The shutdown first: one that is ready from the start stops the
        // fetcher before it claims anything.
        biased;
        _ = shutdown => true,
        // `join_all` adds each worker's tally as it ends, so dropping it
        // when the shutdown wins loses nothing (`join_next` is cancel safe).
        () = join_all(&mut workers, &mut tally) => false,
    };
    if shutdown_asked {
        // One deadline, computed once: no later wait can push it back.
        let deadline = Instant::now() + config.drain_deadline;
        drain.stop.cancel();
        // Wait for the fetcher first: every one of its waits races `stop`,
        // so it returns at once, and after that nothing can enter the
        // channel. Then take what is buffered and hand it back *now*: left
        // there, each would be stuck until its lease expired, and that
        // delay (asynq's lease is 30 s) is pure waste for a job nobody
        // started. Release, not nack: a nack counts a failed attempt against
        // a job that never ran.
        let report = join(fetching).await;
        for delivery in deliveries.close_and_take().await {
            acker.release(delivery.id.clone()).await;
            released.push(delivery.id);
        }
        if timeout_at(deadline, join_all(&mut workers, &mut tally))
            .await
            .is_err()
        {
            // The deadline: every worker still busy aborts its job, waits
            // for the task to be gone, and returns. So this second wait is
            // short, and once it ends no task of the pool is alive.
            drain.abandon.cancel();
            join_all(&mut workers, &mut tally).await;
        }
        finish(report, tally, released)
    } else {
        // The workers ended on their own: the channel ended, so the fetcher
        // has returned (or is returning) already.
        let report = join(fetching).await;
        finish(report, tally, released)
    }
}

/// Joins every worker still in `workers`, adding up their tallies.
async fn join_all(workers: &mut JoinSet<Tally>, tally: &mut Tally) {
    while let Some(joined) = workers.join_next().await {
        *tally += join_result(joined);
    }
}

/// Waits for the fetcher's task.
async fn join(fetching: JoinHandle<FetchReport>) -> FetchReport {
    join_result(fetching.await)
}

/// A task's value. A worker or the fetcher panicking is a bug in this
/// crate or in the source, not a job's outcome: pass it on, don't hide it.
fn join_result<T>(joined: Result<T, JoinError>) -> T {
    match joined {
        Ok(value) => value,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => panic!("a pool task was cancelled: {error}"),
    }
}

/// The report: the fetcher's, the workers' tallies, the released ids, with
/// both id lists sorted so that the report does not depend on which worker
/// finished first.
fn finish(report: FetchReport, tally: Tally, mut released: Vec<JobId>) -> DrainReport {
    let Tally {
        succeeded,
        failed,
        timed_out,
        panicked,
        mut abandoned,
    } = tally;
    abandoned.sort();
    released.sort();
    DrainReport {
        stopped: report.stopped,
        fetched: report.fetched,
        succeeded,
        failed,
        timed_out,
        panicked,
        abandoned,
        released,
    }
}
