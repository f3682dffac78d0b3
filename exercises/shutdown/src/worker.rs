//! Step 1: a worker that stops when asked, between jobs, never inside one.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// One unit of work from the queue. Processing it is simulated: it takes
/// `cost` of (tokio) time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// Which job this is, for the report.
    pub id: u32,
    /// How long processing it takes.
    pub cost: Duration,
}

/// Why a loop stopped taking work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// It was told to stop: its token was cancelled, or its shutdown future
    /// completed.
    Cancelled,
    /// Its source ran dry for good: every sender was dropped.
    SourceClosed,
}

/// What [`run_worker`] did before it returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerReport {
    /// The ids of the jobs it processed, in order. Each was processed in
    /// full: a job is never abandoned halfway.
    pub done: Vec<u32>,
    /// Why it stopped.
    pub stopped: StopReason,
}

/// Takes jobs from `jobs` one at a time and processes each, until `token` is
/// cancelled or every sender is gone.
///
/// Cancellation is checked *between* jobs: a job already taken is finished
/// even if the token is cancelled halfway through it, and a job still in the
/// queue stays there for someone else (the queue is borrowed, not consumed,
/// so the caller can look). Once the token is cancelled, no new job is taken,
/// even if one is waiting.
pub async fn run_worker(
    jobs: &mut mpsc::Receiver<Job>,
    token: &CancellationToken,
) -> WorkerReport {
    // TODO: loop over a `tokio::select!` that races `token.cancelled()`
    // against `jobs.recv()`, with `biased;` so the token is polled first.
    // Break with the StopReason when cancelled or when `recv` gives None.
    // Process the job you received (`tokio::time::sleep(job.cost)`) *after*
    // the select!, in the loop body, where a cancel cannot drop it halfway.
    todo!("run_worker: take jobs until cancelled, finishing the job in hand")
}
