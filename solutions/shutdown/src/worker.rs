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
    let mut done = Vec::new();
    let stopped = loop {
        // Only the *waiting* is raced against cancellation. `recv()` is
        // cancel safe: if the `cancelled()` branch wins, the losing `recv()`
        // future is dropped having taken nothing, so no job is lost.
        //
        // `biased;` polls the branches top to bottom instead of in a random
        // order. Without it, when a job is waiting *and* the token is
        // cancelled, `select!` picks one at random, and a cancelled worker
        // would sometimes start one more job.
        let job = tokio::select! {
            biased;
            () = token.cancelled() => break StopReason::Cancelled,
            next = jobs.recv() => match next {
                Some(job) => job,
                None => break StopReason::SourceClosed,
            },
        };
        // The job is processed *outside* the select!, where nothing can drop
        // it. The rejected alternative puts `recv` and the processing in one
        // `async` block inside the select!: a cancel halfway through then
        // drops that block, and the job it had already taken off the queue
        // is gone, neither done nor queued. That is the classic cancel-safety
        // bug: a half-read frame, a half-written batch.
        tokio::time::sleep(job.cost).await;
        done.push(job.id);
    };
    // `token.run_until_cancelled(jobs.recv())` is nearly the same race in
    // one call, returning `Option<Option<Job>>`: `None` if cancelled,
    // `Some(None)` if the queue closed. It checks the token before it first
    // polls `recv`, so a cancelled worker takes no new job; once it waits, it
    // favours the job when both are ready at once. `select!` is spelled out
    // here because the next steps race other things than a token.
    WorkerReport { done, stopped }
}
