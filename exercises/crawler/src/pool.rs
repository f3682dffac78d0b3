//! Step 3: the workers, a bounded set of fetch tasks.
//!
//! A worker is one tokio task that fetches one page and ends. It touches no
//! shared state: it owns its job, calls the fetcher, and its return value
//! (a [`Done`]) is its only message back. The pool refuses to start a task
//! while `limit` are running, so the bound holds by construction rather
//! than by a semaphore that every path must remember to acquire.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::Arc;

use tokio::task::{Id, JoinSet};

use crate::{FetchError, Fetcher, Job, Page};

/// A finished fetch: the job, handed back so the frontier can complete it,
/// and what the fetch found.
#[derive(Debug)]
pub struct Done {
    /// The job that was fetched.
    pub job: Job,
    /// The page, or why there is none.
    pub result: Result<Page, FetchError>,
}

/// At most `limit` fetches in flight, each in its own task.
#[derive(Debug)]
pub struct Pool<F> {
    fetcher: Arc<F>,
    limit: NonZeroUsize,
    tasks: JoinSet<Done>,
    /// Which job each running task holds. A task that panics returns no
    /// `Done`, so without this its job would be lost, the frontier's
    /// outstanding counter would never reach zero, and the crawl would
    /// hang. (Day 57's `run_all` keeps the same map for the same reason.)
    jobs: HashMap<Id, (crate::Url, u32)>,
}

impl<F: Fetcher> Pool<F> {
    /// An empty pool that runs at most `limit` fetches at once.
    pub fn new(fetcher: Arc<F>, limit: NonZeroUsize) -> Self {
        todo!("Pool::new: an empty JoinSet and an empty map of jobs")
    }

    /// Fetches running (or finished and not yet collected).
    pub fn in_flight(&self) -> usize {
        todo!("Pool::in_flight: the tasks in the set")
    }

    /// Whether [`Pool::start`] would accept a job.
    pub fn has_room(&self) -> bool {
        todo!("Pool::has_room: fewer tasks than the limit")
    }

    /// Starts fetching `job` in a new task.
    ///
    /// # Errors
    ///
    /// The job, handed back, when `limit` fetches are already in flight.
    pub fn start(&mut self, job: Job) -> Result<(), Job> {
        // TODO: hand the job back if the pool is full. Otherwise spawn a task
        // into the JoinSet that owns a clone of the Arc'd fetcher and the
        // job, fetches `job.url()` and returns `Done { job, result }`.
        // Record the task's id (`handle.id()`) with the job's url and depth.
        todo!("Pool::start: refuse when full, else spawn a fetch task")
    }

    /// Waits for the next fetch to finish, in completion order. A fetch
    /// that panicked comes back as [`FetchError::Panicked`] for its job.
    /// `None` when nothing is in flight.
    ///
    /// Cancel-safe: dropping the future (in a `select!`) loses nothing,
    /// because `JoinSet::join_next` is.
    pub async fn next_done(&mut self) -> Option<Done> {
        // TODO: `join_next_with_id().await?`. `Ok((id, done))`: forget the
        // id, return done. `Err(error)`: take the url and depth recorded for
        // `error.id()`, and return a Done for that job with
        // `FetchError::Panicked(message)` (`panic_message(error.into_panic())`
        // when `error.is_panic()`).
        todo!("Pool::next_done: the next finished task, panics as errors")
    }

    /// Aborts every fetch in flight and waits until each task has really
    /// stopped, so that when this returns no fetch future is still alive.
    ///
    /// `JoinSet::abort_all` alone only asks: the tasks stop at their next
    /// `.await`, possibly after this function has returned. `shutdown`
    /// aborts and then joins them all.
    pub async fn shutdown(&mut self) {
        // TODO: abort every task AND wait until they have stopped
        // (`JoinSet::shutdown`), then forget their jobs.
        todo!("Pool::shutdown: abort and wait")
    }
}

/// A panic payload as text: `panic!("...")` carries a `&str` or a `String`.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload.downcast_ref::<&str>().map_or_else(
            || "a non-string panic".to_owned(),
            |text| (*text).to_owned(),
        ),
    }
}
