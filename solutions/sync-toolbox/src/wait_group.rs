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
    /// Locks the count. A poisoned lock is recovered: every critical section
    /// here is one addition, one subtraction or a comparison, none of which
    /// can panic halfway, so a panic elsewhere while the lock was held (there
    /// is none in this file) could not have left the count half-changed.
    /// Propagating the poison would turn one panicking worker into a panic
    /// in every waiter, which is exactly what the guard exists to avoid.
    fn lock(&self) -> MutexGuard<'_, usize> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl WaitGroup {
    /// A wait group with nothing pending.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one more worker in; the returned guard counts it out when
    /// dropped.
    ///
    /// Call it in the spawning thread, before the spawn, and move the guard
    /// into the worker: then a `wait` that starts after the spawn always
    /// sees the worker. (In Go, `wg.Add(1)` inside the goroutine races with
    /// `wg.Wait()`; here the guard makes the right order the easy one.)
    pub fn add(&self) -> Done {
        *self.inner.lock() += 1;
        Done {
            inner: Arc::clone(&self.inner),
        }
    }

    /// Workers counted in and not yet out (a snapshot: it may change as
    /// soon as it is read).
    pub fn pending(&self) -> usize {
        *self.inner.lock()
    }

    /// Blocks until every [`Done`] guard has been dropped. Returns at once
    /// if none is out.
    pub fn wait(&self) {
        let mut pending = self.inner.lock();
        // `while`, not `if`: a condition variable may wake a waiter that
        // nobody notified (a spurious wakeup, allowed by the docs), and by
        // the time a notified waiter holds the lock again another `add` may
        // have raised the count. Waking up only means "look again".
        while *pending > 0 {
            // `wait` releases the lock and sleeps in one step, so a `Done`
            // that lowers the count and notifies cannot slip in between our
            // check and our sleep: that gap is the lost wakeup.
            pending = self
                .inner
                .zero
                .wait(pending)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Like [`WaitGroup::wait`], but gives up after `timeout`.
    ///
    /// # Errors
    ///
    /// [`WaitTimedOut`], with the number still pending, if the count has
    /// not reached zero when `timeout` has passed.
    pub fn wait_timeout(&self, timeout: Duration) -> Result<(), WaitTimedOut> {
        // One deadline for the whole call. The rejected alternative, passing
        // `timeout` to every `wait_timeout` round the loop, restarts the
        // clock at each wakeup: a waiter woken often would never give up.
        // `checked_add` because `Instant + Duration::MAX` overflows; no
        // deadline then means "wait as long as it takes".
        let deadline = Instant::now().checked_add(timeout);
        let mut pending = self.inner.lock();
        while *pending > 0 {
            let left = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => Duration::MAX,
            };
            if left.is_zero() {
                return Err(WaitTimedOut { pending: *pending });
            }
            // The `WaitTimeoutResult` is not needed: the loop looks at the
            // count and the clock itself, which is what decides.
            let (guard, _) = self
                .inner
                .zero
                .wait_timeout(pending, left)
                .unwrap_or_else(PoisonError::into_inner);
            pending = guard;
        }
        Ok(())
    }
}

impl Drop for Done {
    fn drop(&mut self) {
        #[cfg(feature = "broken")]
        crate::broken::count_out(&self.inner);
        #[cfg(not(feature = "broken"))]
        count_out(&self.inner);
    }
}

/// One worker fewer; wakes every waiter when none is left.
#[cfg_attr(feature = "broken", allow(dead_code))]
fn count_out(inner: &Inner) {
    let mut pending = inner.lock();
    *pending -= 1;
    let now_zero = *pending == 0;
    // Unlock before notifying: a woken waiter's first act is to take the
    // lock, and if we still held it, it would wake only to block again.
    // Notifying after the unlock is safe because the count was changed
    // under the lock: a waiter either saw the old count and is already
    // asleep on the condvar (so it gets this notification), or takes the
    // lock after us and sees zero.
    drop(pending);
    if now_zero {
        // `notify_all`, not `notify_one`: zero releases *every* waiter.
        // `notify_one` would wake one and leave the others asleep for good
        // (src/broken.rs, and the loom model that catches it).
        inner.zero.notify_all();
    }
}
