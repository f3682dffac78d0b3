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
    // A task of its own, so that a panic stops at the task's edge and comes
    // back as a `JoinError` instead of unwinding through the worker (Day 71).
    // The handler is *called* inside the task too, so a handler that panics
    // before its first `.await` is caught the same way.
    let handler = Arc::clone(handler);
    let mut task = tokio::spawn(async move { handler(delivery).await });
    // `timeout` on `&mut task`, not on `task`: when the time is up we still
    // own the handle, and need it. `biased;` puts a finished job first, then
    // the timeout (inside the same branch), then the drain deadline.
    let interrupted = tokio::select! {
        biased;
        joined = tokio::time::timeout(job_timeout, &mut task) => match joined {
            Ok(joined) => return outcome_of(joined),
            Err(_elapsed) => Outcome::TimedOut(job_timeout),
        },
        () = abandon.cancelled() => Outcome::Abandoned,
    };
    // The tempting `timeout(job_timeout, tokio::spawn(job)).await` returns
    // at the timeout and drops the JoinHandle, and dropping a JoinHandle
    // *detaches* the task: it goes on running, unseen. The queue, told the
    // job timed out, redelivers it, and two copies of the job now run at
    // once. Dropping a future cancels it; dropping a task's handle does not.
    // So abort the task, and wait for it: `abort` only asks, and the task is
    // gone once its handle resolves.
    task.abort();
    match task.await {
        // It finished after all, between our last look and the abort: its
        // own result is the truth.
        Ok(result) => outcome_of(Ok(result)),
        Err(error) if error.is_panic() => outcome_of(Err(error)),
        Err(_cancelled) => interrupted,
    }
}

/// The outcome of a job whose task has ended.
fn outcome_of(joined: Result<Result<(), JobError>, JoinError>) -> Outcome {
    match joined {
        Ok(Ok(())) => Outcome::Succeeded,
        Ok(Err(error)) => Outcome::Failed(error),
        Err(error) if error.is_panic() => {
            Outcome::Panicked(panic_message(error.into_panic()))
        }
        // Cancelled by someone else: only a runtime shutting down does that.
        Err(_cancelled) => Outcome::Abandoned,
    }
}

/// The message of a panic: `panic!("literal")` carries a `&'static str`,
/// `panic!("{x}")` a `String`, `std::panic::panic_any(v)` anything at all.
fn panic_message(payload: Box<dyn Any + Send>) -> String {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic with a payload that is not text".to_owned()
    }
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
    let mut tally = Tally::default();
    loop {
        // Only the wait for a delivery races the stop (cancel safe: a
        // `next` that loses has taken nothing, Day 73). `biased;` so that a
        // stopped worker does not take one more delivery that happens to be
        // ready: that one must stay buffered, to be released.
        let delivery = tokio::select! {
            biased;
            () = drain.stop.cancelled() => break,
            next = deliveries.next() => match next {
                Some(delivery) => delivery,
                None => break,
            },
        };
        let id = delivery.id.clone();
        match run_job(&handler, delivery, job_timeout, &drain.abandon).await {
            Outcome::Succeeded => {
                tally.succeeded += 1;
                acker.ack(id).await;
            }
            Outcome::Failed(error) => {
                tally.failed += 1;
                acker.nack(id, NackReason::Failed(error)).await;
            }
            Outcome::TimedOut(after) => {
                tally.timed_out += 1;
                acker.nack(id, NackReason::TimedOut(after)).await;
            }
            Outcome::Panicked(message) => {
                tally.panicked += 1;
                acker.nack(id, NackReason::Panicked(message)).await;
            }
            // Not nacked: past the deadline the pool makes no more calls to
            // the queue, and the lease brings the job back anyway.
            Outcome::Abandoned => {
                tally.abandoned.push(id);
                break;
            }
        }
    }
    tally
}
