//! Step 2: a supervisor that asks its tasks to stop, waits for them up to a
//! deadline, then aborts the rest and says which was which.

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout_at};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// What happened to each task of a [`Supervisor`] by the end of
/// [`Supervisor::shutdown`]. Each list keeps the order the tasks were
/// spawned in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShutdownReport<K> {
    /// Tasks that returned on their own: before the shutdown, or when asked,
    /// within the grace period.
    pub finished: Vec<K>,
    /// Tasks still running at the deadline, which were aborted there.
    pub aborted: Vec<K>,
    /// Tasks that panicked (the panic message went to stderr already).
    pub panicked: Vec<K>,
    /// How long the shutdown took, from the call until no task was left.
    pub elapsed: Duration,
}

impl<K> ShutdownReport<K> {
    /// True if every task finished by itself: none aborted, none panicked.
    pub fn is_clean(&self) -> bool {
        self.aborted.is_empty() && self.panicked.is_empty()
    }
}

/// Runs named tasks and shuts them all down on request, with a deadline.
///
/// Every task gets its own child of the supervisor's [`CancellationToken`]:
/// the shutdown cancels them all, while a task that cancels its own token
/// (to stop the work it started) touches none of its siblings. A
/// [`TaskTracker`] counts the tasks still alive and wakes the shutdown when
/// the last one is gone.
///
/// The supervisor keeps one `JoinHandle` per task until the shutdown, to
/// abort it and to learn how it ended. That suits the tasks of a process's
/// life (workers, listeners, flushers) and this lesson's small servers. A
/// server that spawns a task per request for weeks would reap finished
/// handles as it goes (e.g. `JoinSet::try_join_next`), keeping only the ones
/// in flight: a simplification this lesson admits.
#[derive(Debug)]
pub struct Supervisor<K> {
    token: CancellationToken,
    tracker: TaskTracker,
    tasks: Vec<(K, JoinHandle<()>)>,
}

impl<K> Default for Supervisor<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K> Supervisor<K> {
    /// A supervisor with no tasks.
    pub fn new() -> Self {
        Supervisor {
            token: CancellationToken::new(),
            tracker: TaskTracker::new(),
            tasks: Vec::new(),
        }
    }

    /// Spawns `task(token)` as a tokio task named `key`, where `token` is a
    /// fresh child token that [`shutdown`](Self::shutdown) will cancel. A
    /// well-behaved task watches it (`token.cancelled()` in a `select!`) and
    /// returns soon after.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime, like `tokio::spawn`.
    pub fn spawn<F, Fut>(&mut self, key: K, task: F)
    where
        F: FnOnce(CancellationToken) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        // A child, not a clone: a clone *is* the same token, so a task that
        // cancelled its copy would cancel every other task too. Cancelling
        // a parent cancels its children; never the other way round.
        let token = self.token.child_token();
        // `tracker.spawn` wraps the future so that the tracker's count drops
        // only once the future itself has been dropped, destructors and all.
        let handle = self.tracker.spawn(task(token));
        self.tasks.push((key, handle));
    }

    /// How many tasks are still alive (their future not yet dropped).
    pub fn in_flight(&self) -> usize {
        self.tracker.len()
    }

    /// Stops everything: cancels every task's token, waits up to `grace`
    /// for the tasks to return, aborts those still running at that deadline,
    /// and returns once no task is left alive, with a report saying which
    /// task ended how.
    ///
    /// It takes `self` by value: once the shutdown has begun, nobody can
    /// spawn into this supervisor, so "stop accepting" is enforced by the
    /// compiler rather than by a flag checked at run time.
    pub async fn shutdown(self, grace: Duration) -> ShutdownReport<K> {
        let start = Instant::now();
        // One deadline, computed once, rather than a `timeout(grace)` per
        // wait: however many waits follow, none can push the end past it.
        let deadline = start + grace;
        // `wait()` returns only when the tracker is closed *and* empty. An
        // open tracker that is empty for a moment, between two spawns, does
        // not count as done; closing it is our "no more tasks".
        self.tracker.close();
        self.token.cancel();
        if timeout_at(deadline, self.tracker.wait()).await.is_err() {
            // The grace period is over. Abort every task: on one that has
            // already finished, `abort` does nothing.
            for (_, handle) in &self.tasks {
                handle.abort();
            }
            // `abort` only *schedules* the cancellation: the task's future is
            // dropped the next time the runtime gets to it. Returning now
            // would leave aborted tasks alive, still holding whatever they
            // hold (a connection, a file, a lock). So wait again; this time
            // it ends at once, because an aborted task is dropped at the
            // `.await` it is parked on, without running any further.
            // (Awaiting the handles below would wait too, one at a time; the
            // tracker's `wait` is the one place that says "all gone".)
            self.tracker.wait().await;
        }
        let elapsed = start.elapsed();
        let mut report = ShutdownReport {
            finished: Vec::new(),
            aborted: Vec::new(),
            panicked: Vec::new(),
            elapsed,
        };
        // Every task is over, so every handle is ready. Its result, not
        // whether we called `abort`, says how the task ended: a task that
        // returned just before the abort still reports `Ok`.
        for (key, handle) in self.tasks {
            match handle.await {
                Ok(()) => report.finished.push(key),
                Err(error) if error.is_panic() => report.panicked.push(key),
                Err(_) => report.aborted.push(key),
            }
        }
        report
    }
}
