//! Step 1: a wait group from a `Mutex<usize>` and a `Condvar`.

use std::sync::PoisonError;
use std::time::{Duration, Instant};

use crate::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Waits for a set of workers to finish, like Go's `sync.WaitGroup`.
///
/// [`WaitGroup::add`] counts one more worker and hands back a [`Done`]
/// guard; dropping the guard counts the worker out, even when its thread
/// panics. [`WaitGroup::wait`] blocks until no guard is left.
#[derive(Debug, Default)]
pub struct WaitGroup {
    inner: Arc<Inner>,
}

/// The shared state: the count, and the condition variable that waiters
/// sleep on until the count is zero.
#[derive(Debug, Default)]
pub(crate) struct Inner {
    pub(crate) pending: Mutex<usize>,
    pub(crate) zero: Condvar,
}

/// One worker's share of a [`WaitGroup`]: dropping it counts the worker out.
///
/// It owns an `Arc` of the group's state, so it can move into a thread
/// spawned with `std::thread::spawn` (which demands `'static`).
#[derive(Debug)]
#[must_use = "dropping the guard at once counts the worker out straight away"]
pub struct Done {
    inner: Arc<Inner>,
}

/// [`WaitGroup::wait_timeout`] gave up before every worker was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("gave up waiting with {pending} still pending")]
pub struct WaitTimedOut {
    /// Workers still pending when the time ran out.
    pub pending: usize,
}

impl Inner {
    /// Locks the count, recovering from a poisoned lock.
    fn lock(&self) -> MutexGuard<'_, usize> {
        // TODO: `lock()` returns Err(PoisonError) if a thread panicked while
        // holding the lock. Nothing done under this lock can panic halfway,
        // so the count is never left half-changed: recover the guard with
        // `PoisonError::into_inner` instead of unwrapping.
        todo!("Inner::lock: lock, recovering from poison")
    }
}

impl WaitGroup {
    /// A wait group with nothing pending.
    pub fn new() -> Self {
        todo!("WaitGroup::new")
    }

    /// Counts one more worker in; the returned guard counts it out when
    /// dropped.
    ///
    /// Call it in the spawning thread, before the spawn, and move the guard
    /// into the worker: then a `wait` that starts after the spawn always
    /// sees the worker.
    pub fn add(&self) -> Done {
        // TODO: add one to the count, then return a Done holding a clone of
        // the Arc.
        todo!("WaitGroup::add: count one in, hand out a guard")
    }

    /// Workers counted in and not yet out (a snapshot: it may change as
    /// soon as it is read).
    pub fn pending(&self) -> usize {
        todo!("WaitGroup::pending")
    }

    /// Blocks until every [`Done`] guard has been dropped. Returns at once
    /// if none is out.
    pub fn wait(&self) {
        // TODO: lock, then sleep on the condvar while the count is above
        // zero. `Condvar::wait` takes the guard, releases the lock while it
        // sleeps and hands the guard back when it wakes. Loop with `while`,
        // not `if`: a wakeup only means "look again".
        todo!("WaitGroup::wait: a while loop around Condvar::wait")
    }

    /// Like [`WaitGroup::wait`], but gives up after `timeout`.
    ///
    /// # Errors
    ///
    /// [`WaitTimedOut`], with the number still pending, if the count has
    /// not reached zero when `timeout` has passed.
    pub fn wait_timeout(&self, timeout: Duration) -> Result<(), WaitTimedOut> {
        // TODO: compute one deadline before the loop (`Instant::checked_add`:
        // no deadline means wait as long as it takes). In the loop, give up
        // when no time is left; otherwise `Condvar::wait_timeout` with the
        // time left, not `timeout` again (that would restart the clock).
        todo!("WaitGroup::wait_timeout: one deadline, a loop")
    }
}

impl Drop for Done {
    fn drop(&mut self) {
        count_out(&self.inner);
    }
}

/// One worker fewer; wakes every waiter when none is left.
fn count_out(inner: &Inner) {
    // TODO: subtract one under the lock. If that made it zero, release the
    // lock and wake the waiters. How many waiters must a zero wake: one, or
    // all of them? (tests/loom.rs has a model that knows.)
    todo!("Done::drop: count one out, wake the waiters at zero")
}
