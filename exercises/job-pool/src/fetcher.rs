//! Step 1: one fetcher, the only sender into a bounded channel.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

use tokio::sync::{Mutex, mpsc};
use tokio_util::sync::CancellationToken;

/// A job's id, as the queue spells it.
///
/// The pool never looks inside an id: it only hands it back to the
/// [`Acker`](crate::Acker). The queue decides what an id looks like and
/// checks it where jobs enter the system, so this type wraps any string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobId(String);

impl JobId {
    /// The id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One job handed out by a [`JobSource`], together with the lease that
/// comes with it: until the pool acks, nacks or releases it, the queue
/// counts it as taken and gives it to nobody else (until the lease
/// expires).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery<P> {
    /// Which job this is.
    pub id: JobId,
    /// What the handler works on.
    pub payload: P,
    /// How many times this job has been delivered, this time included
    /// (1 on the first delivery).
    pub attempt: u32,
}

/// Why a [`JobSource`] could not fetch. A source retries transient errors
/// itself (Day 137's `retry`); an error that reaches the fetcher is one the
/// source gave up on, and it stops the fetcher.
#[derive(Debug, thiserror::Error)]
#[error("the job source failed")]
pub struct SourceError(#[source] Box<dyn Error + Send + Sync>);

impl SourceError {
    /// A source error caused by `cause`.
    pub fn new(cause: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self(cause.into())
    }
}

/// What [`JobSource::fetch`] returns: a leased delivery, `None` once the
/// source is exhausted, or the error the source gave up on.
pub type Fetched<P> = Result<Option<Delivery<P>>, SourceError>;

/// Where deliveries come from: an in-memory queue in the tests, a Redis
/// list in a real service.
///
/// # Contract
///
/// - `fetch` waits until a delivery is ready and returns it, leased;
///   `Ok(None)` means the source is exhausted for good.
/// - `fetch` is **cancel safe**: the fetcher drops a pending `fetch` when a
///   shutdown is asked for, and a dropped `fetch` must not have leased
///   anything. A source that cannot promise this (a Redis `BLMOVE` whose
///   reply is lost when its future is dropped) relies on its leases: the
///   job it moved comes back when the lease expires.
pub trait JobSource: Send + 'static {
    /// What a delivery carries.
    type Payload: Send + 'static;

    /// The next delivery, `Ok(None)` once the source is exhausted.
    fn fetch(&mut self) -> impl Future<Output = Fetched<Self::Payload>> + Send;
}

/// Why the fetcher stopped, which is also why the channel ended.
#[derive(Debug)]
pub enum StopReason {
    /// The source had no more deliveries.
    Exhausted,
    /// A shutdown was asked for (or nobody was left to take deliveries).
    Shutdown,
    /// The source failed.
    SourceFailed(SourceError),
}

/// What [`fetcher`] did.
#[derive(Debug)]
pub struct FetchReport {
    /// How many deliveries it took from the source (and sent on).
    pub fetched: usize,
    /// Why it stopped.
    pub stopped: StopReason,
}

/// Takes deliveries from `source` and sends them into `deliveries`, until
/// the source is exhausted or fails, or `stop` is cancelled. Returning drops
/// `deliveries`, the channel's only sender, so the channel ends exactly
/// then: the receiving side sees what was buffered, then `None`.
///
/// A slot in the channel is reserved *before* a delivery is fetched, so the
/// fetcher never holds a delivery it has nowhere to put: with `capacity`
/// slots and `workers` workers, at most `capacity + workers` deliveries are
/// leased at once.
pub async fn fetcher<S: JobSource>(
    mut source: S,
    deliveries: mpsc::Sender<Delivery<S::Payload>>,
    stop: CancellationToken,
) -> FetchReport {
    // TODO: loop, counting the deliveries fetched:
    // 1. wait for a free slot with `deliveries.reserve().await` (a Permit);
    //    if the channel is closed, stop with StopReason::Shutdown;
    // 2. then `source.fetch().await`: Ok(Some(d)) goes into the slot with
    //    `permit.send(d)`, Ok(None) stops with Exhausted, an error stops
    //    with SourceFailed.
    // Race each of the two waits against `stop.cancelled()` in a
    // `tokio::select!`, with `biased;` and the token first, and stop with
    // Shutdown when the token wins. Return the report: returning drops
    // `deliveries`, which ends the channel.
    todo!("fetcher: reserve a slot, then fetch, until exhausted or stopped")
}

/// The receiving end of the fetcher's channel, shared by the workers.
///
/// tokio's `mpsc` has a single receiver; the workers share it behind a
/// `tokio::sync::Mutex`, exactly as Day 71's `WorkerPool` does (see that
/// lesson for why this lock, and for the `while let` trap). Cloning a
/// `Deliveries` clones the handle, not the channel.
#[derive(Debug)]
pub struct Deliveries<P> {
    receiver: Arc<Mutex<mpsc::Receiver<Delivery<P>>>>,
}

impl<P> Clone for Deliveries<P> {
    fn clone(&self) -> Self {
        Self {
            receiver: Arc::clone(&self.receiver),
        }
    }
}

impl<P> Deliveries<P> {
    /// Shares `receiver` between workers.
    pub fn new(receiver: mpsc::Receiver<Delivery<P>>) -> Self {
        Self {
            receiver: Arc::new(Mutex::new(receiver)),
        }
    }

    /// The next delivery, waiting for one; `None` once the channel has ended
    /// (the fetcher returned) and is empty. Cancel safe: dropping the future
    /// takes nothing off the channel.
    pub async fn next(&self) -> Option<Delivery<P>> {
        // The guard is a temporary of this statement, dropped at its end.
        self.receiver.lock().await.recv().await
    }

    /// Closes the channel and takes every delivery still buffered in it:
    /// the ones no worker started. After this, `next` returns `None`.
    pub async fn close_and_take(&self) -> Vec<Delivery<P>> {
        let mut receiver = self.receiver.lock().await;
        // `close` refuses any later send (a fetcher still running would see
        // `reserve` fail and stop) while what is buffered can still be
        // received, so nothing is dropped unseen.
        receiver.close();
        let mut left = Vec::new();
        while let Ok(delivery) = receiver.try_recv() {
            left.push(delivery);
        }
        left
    }
}
