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

use tokio::task::{Id, JoinError, JoinSet};

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
        Self {
            fetcher,
            limit,
            tasks: JoinSet::new(),
            jobs: HashMap::new(),
        }
    }

    /// Fetches running (or finished and not yet collected).
    pub fn in_flight(&self) -> usize {
        self.tasks.len()
    }

    /// Whether [`Pool::start`] would accept a job.
    pub fn has_room(&self) -> bool {
        self.tasks.len() < self.limit.get()
    }

    /// Starts fetching `job` in a new task.
    ///
    /// # Errors
    ///
    /// The job, handed back, when `limit` fetches are already in flight.
    pub fn start(&mut self, job: Job) -> Result<(), Job> {
        if !self.has_room() {
            return Err(job);
        }
        // The task owns everything it uses (`spawn` needs `'static`): a clone
        // of the `Arc`, and the job itself, which travels back in `Done`.
        let fetcher = Arc::clone(&self.fetcher);
        let url = job.url().clone();
        let depth = job.depth();
        let handle = self.tasks.spawn(async move {
            let result = fetcher.fetch(job.url()).await;
            Done { job, result }
        });
        self.jobs.insert(handle.id(), (url, depth));
        Ok(())
    }

    /// Waits for the next fetch to finish, in completion order. A fetch
    /// that panicked comes back as [`FetchError::Panicked`] for its job.
    /// `None` when nothing is in flight.
    ///
    /// Cancel-safe: dropping the future (in a `select!`) loses nothing,
    /// because `JoinSet::join_next` is.
    pub async fn next_done(&mut self) -> Option<Done> {
        let joined = self.tasks.join_next_with_id().await?;
        Some(self.collect(joined))
    }

    /// A fetch that has already finished, without waiting: `None` when none
    /// has. The coordinator calls it after [`Pool::next_done`] to take a
    /// whole burst of completions in one wake-up, rather than paying a trip
    /// round its loop (a `select!`, a refill) for each.
    pub(crate) fn try_next_done(&mut self) -> Option<Done> {
        let joined = self.tasks.try_join_next_with_id()?;
        Some(self.collect(joined))
    }

    /// Turns a joined task back into its job and result.
    fn collect(&mut self, joined: Result<(Id, Done), JoinError>) -> Done {
        match joined {
            Ok((id, done)) => {
                self.jobs.remove(&id);
                done
            }
            Err(error) => {
                let (url, depth) = self
                    .jobs
                    .remove(&error.id())
                    .expect("every task's job is recorded when it starts");
                let message = if error.is_panic() {
                    panic_message(error.into_panic())
                } else {
                    // Only `shutdown` aborts tasks, and it collects them
                    // itself; kept as an error rather than a panic.
                    "the fetch was cancelled".to_owned()
                };
                Done {
                    job: Job::new(url, depth),
                    result: Err(FetchError::Panicked(message)),
                }
            }
        }
    }

    /// Aborts every fetch in flight and waits until each task has really
    /// stopped, so that when this returns no fetch future is still alive.
    ///
    /// `JoinSet::abort_all` alone only asks: the tasks stop at their next
    /// `.await`, possibly after this function has returned. `shutdown`
    /// aborts and then joins them all.
    pub async fn shutdown(&mut self) {
        self.tasks.shutdown().await;
        self.jobs.clear();
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
