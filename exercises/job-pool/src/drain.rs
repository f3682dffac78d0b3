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
        // TODO: refuse a zero with ConfigError::NoWorkers or NoCapacity
        // (`NonZeroUsize::new(n)` is None for 0), and default to a 30 s job
        // timeout and a 10 s drain deadline.
        todo!("PoolConfig::new: validate the sizes, set the defaults")
    }

    /// The same configuration with another job timeout.
    #[must_use]
    pub fn with_job_timeout(self, job_timeout: Duration) -> Self {
        todo!("PoolConfig::with_job_timeout")
    }

    /// The same configuration with another drain deadline.
    #[must_use]
    pub fn with_drain_deadline(self, drain_deadline: Duration) -> Self {
        todo!("PoolConfig::with_drain_deadline")
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
    // TODO: wrap the handler and the acker in `Arc`s, make a `Drain`, a
    // channel of `config.capacity()`, and `Deliveries` over its receiver.
    // Spawn `fetcher` (moving the only sender into it) and
    // `config.workers()` `worker`s into a `JoinSet`. Then `tokio::select!`
    // with `biased;`: the (pinned) shutdown first, `join_all` second.
    // - The workers all ended: await the fetcher and `finish`.
    // - The shutdown completed: compute the deadline (now + drain
    //   deadline), cancel `drain.stop`, await the fetcher, `release` every
    //   delivery `close_and_take` returns (keep their ids), then
    //   `tokio::time::timeout_at(deadline, join_all(..))`. If that times
    //   out, cancel `drain.abandon` and `join_all` again. Then `finish`.
    todo!("run: the fetcher, the workers and the drain")
}

/// Joins every worker still in `workers`, adding up their tallies.
async fn join_all(workers: &mut JoinSet<Tally>, tally: &mut Tally) {
    // TODO: `join_next` until it returns None, adding each tally (through
    // `join_result`) into `tally` as it comes, so that dropping this future
    // halfway loses nothing.
    todo!("join_all: join the workers one by one")
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
