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
        todo!("ShutdownReport::is_clean: nothing aborted, nothing panicked")
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
        // TODO: give the task its own `self.token.child_token()`, spawn
        // `task(token)` with `self.tracker.spawn`, and keep the key with the
        // JoinHandle in `self.tasks`.
        todo!("Supervisor::spawn: a child token, a tracked task, a kept handle")
    }

    /// How many tasks are still alive (their future not yet dropped).
    pub fn in_flight(&self) -> usize {
        todo!("Supervisor::in_flight: the tracker knows")
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
        // TODO: note the start and compute the deadline once. Close the
        // tracker (its `wait` returns only once it is closed *and* empty) and
        // cancel the token. Wait with `timeout_at(deadline, self.tracker.wait())`;
        // if that times out, `abort()` every handle and `wait()` again, since
        // abort only schedules the cancellation. Then await each handle in
        // spawn order: Ok is finished, a panic is panicked, the rest aborted.
        todo!("Supervisor::shutdown: cancel, wait until the deadline, abort the rest")
    }
}
