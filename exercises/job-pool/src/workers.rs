//! Step 2: workers that run each job in its own task, under a timeout, and
//! settle every outcome with the queue.

use std::any::Any;
use std::error::Error;
use std::ops::AddAssign;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinError;
use tokio_util::sync::CancellationToken;

use crate::{Deliveries, Delivery, JobId};

/// Why a handler failed a job: any error, boxed. The handler's own error
/// types stay the handler's business; the pool only passes the error on to
/// the [`Acker`], cause chain included.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct JobError(Box<dyn Error + Send + Sync>);

impl JobError {
    /// A job error caused by `cause` (an error, or a message).
    pub fn new(cause: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self(cause.into())
    }
}

/// How one job ended.
#[derive(Debug)]
pub enum Outcome {
    /// The handler returned `Ok`.
    Succeeded,
    /// The handler returned an error.
    Failed(JobError),
    /// The handler was still running at the job timeout (the value); its
    /// task was aborted.
    TimedOut(Duration),
    /// The handler panicked, with this message.
    Panicked(String),
    /// The handler was still running at the drain deadline; its task was
    /// aborted and the job was not settled.
    Abandoned,
}

/// Why a job is handed back to the queue as failed.
#[derive(Debug, thiserror::Error)]
pub enum NackReason {
    /// The handler returned an error (the source).
    #[error("handler failed")]
    Failed(#[source] JobError),
    /// The handler ran past the job timeout.
    #[error("timed out after {0:?}")]
    TimedOut(Duration),
    /// The handler panicked.
    #[error("handler panicked: {0}")]
    Panicked(String),
}

/// Tells the queue how each delivery ended, so that it can end the lease.
///
/// Every delivery the pool fetched gets exactly one call, except an
/// abandoned one, which gets none: its lease expires and the queue
/// redelivers it, as it would after a crash.
///
/// The calls return nothing. An acker that fails to reach the queue has
/// nothing better to do than log it: the lease then expires and the job is
/// delivered again, which at-least-once delivery allows for anyway.
pub trait Acker: Send + Sync + 'static {
    /// The job succeeded: end the lease and forget the job.
    fn ack(&self, id: JobId) -> impl Future<Output = ()> + Send;

    /// The job failed: end the lease and let the queue retry it later or
    /// set it aside (Day 137's backoff decides when).
    fn nack(&self, id: JobId, reason: NackReason) -> impl Future<Output = ()> + Send;

    /// The job was never started (it was still buffered at shutdown): end
    /// the lease and put it back as it was, counting no attempt.
    fn release(&self, id: JobId) -> impl Future<Output = ()> + Send;
}

/// The two moments of a shutdown that a worker reacts to.
#[derive(Debug, Clone, Default)]
pub struct Drain {
    /// Cancelled when the drain begins: take no new delivery.
    pub stop: CancellationToken,
    /// Cancelled at the drain deadline: abort the job in hand.
    pub abandon: CancellationToken,
}

/// What a worker did, by outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Jobs acked.
    pub succeeded: usize,
    /// Jobs nacked because the handler returned an error.
    pub failed: usize,
    /// Jobs nacked because they ran past the job timeout.
    pub timed_out: usize,
    /// Jobs nacked because the handler panicked.
    pub panicked: usize,
    /// Jobs aborted at the drain deadline, not settled.
    pub abandoned: Vec<JobId>,
}

impl AddAssign for Tally {
    fn add_assign(&mut self, other: Self) {
        self.succeeded += other.succeeded;
        self.failed += other.failed;
        self.timed_out += other.timed_out;
        self.panicked += other.panicked;
        self.abandoned.extend(other.abandoned);
    }
}

/// Runs `handler(delivery)` in a task of its own and waits for it, for at
/// most `job_timeout` and at most until `abandon` is cancelled. A timed-out
/// or abandoned job's task is aborted, and `run_job` returns only once it
/// is gone.
pub async fn run_job<P, H, Fut>(
    handler: &Arc<H>,
    delivery: Delivery<P>,
    job_timeout: Duration,
    abandon: &CancellationToken,
) -> Outcome
where
    P: Send + 'static,
    H: Fn(Delivery<P>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), JobError>> + Send + 'static,
{
    // TODO: spawn a task that *calls* the handler and awaits it (so a panic,
    // even one before the handler's first `.await`, stays inside the task).
    // Then `tokio::select!` with `biased;`:
    // - `tokio::time::timeout(job_timeout, &mut task)`: the task ended in
    //   time, return `outcome_of` its result; or the time is up: TimedOut;
    // - `abandon.cancelled()`: Abandoned.
    // If the task did not end, `task.abort()` and `task.await` it (dropping
    // the handle would leave it running). If it turns out to have finished
    // (Ok) or panicked after all, that result wins.
    todo!("run_job: spawn the handler, wait under a timeout, abort if needed")
}

/// The outcome of a job whose task has ended.
fn outcome_of(joined: Result<Result<(), JobError>, JoinError>) -> Outcome {
    // TODO: Ok(Ok) is Succeeded, Ok(Err) is Failed, a panic (`is_panic`)
    // is Panicked with `panic_message(error.into_panic())`, and a task
    // cancelled by someone else is Abandoned.
    todo!("outcome_of: map a finished task's result to an Outcome")
}

/// The message of a panic: `panic!("literal")` carries a `&'static str`,
/// `panic!("{x}")` a `String`, `std::panic::panic_any(v)` anything at all.
fn panic_message(payload: Box<dyn Any + Send>) -> String {
    // TODO: `payload.downcast_ref::<&'static str>()`, then
    // `downcast_ref::<String>()`; any other payload gets a fixed message.
    todo!("panic_message: the text a panic carried")
}

/// One worker: takes deliveries until the channel ends or `drain.stop` is
/// cancelled, runs each with [`run_job`], and settles its outcome with
/// `acker` (ack, nack, or nothing for an abandoned job).
pub async fn worker<P, H, Fut, A>(
    deliveries: Deliveries<P>,
    handler: Arc<H>,
    acker: Arc<A>,
    job_timeout: Duration,
    drain: Drain,
) -> Tally
where
    P: Send + 'static,
    H: Fn(Delivery<P>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    A: Acker,
{
    // TODO: loop:
    // - `tokio::select!` with `biased;`: `drain.stop.cancelled()` first
    //   (then return), `deliveries.next()` second (None: return);
    // - run the delivery with `run_job(&handler, ..., &drain.abandon)`;
    // - Succeeded: count it and `acker.ack(id)`; Failed, TimedOut and
    //   Panicked: count it and `acker.nack(id, NackReason::...)`;
    //   Abandoned: push the id into `tally.abandoned`, settle nothing, and
    //   return (the deadline has passed).
    // Keep the id (`delivery.id.clone()`) before the delivery moves.
    todo!("worker: take, run and settle deliveries until stopped")
}
