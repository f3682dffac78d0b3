//! Step 2: an object pool, with a checkout guard and a timed wait.

use std::fmt;
use std::num::NonZeroUsize;
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// A pool of at most `max` reusable items (connections, buffers, parsers),
/// created on demand by a factory and handed out one holder at a time.
pub struct Pool<T> {
    slots: Mutex<Slots<T>>,
    /// Signalled when an item comes back or a slot frees up.
    returned: Condvar,
    max: usize,
    factory: Box<dyn Fn() -> T + Send + Sync>,
}

/// What the lock protects: the items waiting on the shelf, how many exist
/// in all (on the shelf or checked out), and how many callers wait.
#[derive(Debug)]
struct Slots<T> {
    idle: Vec<T>,
    created: usize,
    waiting: usize,
}

/// A snapshot of a [`Pool`], for tests, metrics and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    /// The most items the pool will create.
    pub max: usize,
    /// Items that exist now, idle or checked out.
    pub created: usize,
    /// Items on the shelf, ready to hand out.
    pub idle: usize,
    /// Callers blocked in [`Pool::get_timeout`].
    pub waiting: usize,
}

/// Why the pool handed out nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// Every item is checked out and the pool may create no more.
    #[error("pool exhausted: all {max} items are checked out")]
    Exhausted {
        /// The pool's maximum.
        max: usize,
    },
    /// No item came back within the timeout.
    #[error("no item came back within {timeout:?}")]
    TimedOut {
        /// How long the caller was prepared to wait.
        timeout: Duration,
    },
}

/// A checked-out item. It derefs to the item, and dropping it puts the item
/// back on the shelf.
#[must_use = "dropping the guard at once returns the item straight away"]
pub struct PoolGuard<'a, T> {
    pool: &'a Pool<T>,
    /// `Some` until the guard is dropped or discarded: `Option` so that
    /// `drop`, which only gets `&mut self`, can move the item out.
    item: Option<T>,
}

/// What a caller can take right now, decided under the lock.
enum Take<T> {
    /// An idle item from the shelf.
    Idle(T),
    /// A reserved slot: create the item, outside the lock.
    Create,
}

impl<T> Pool<T> {
    /// An empty pool that will create at most `max` items with `factory`.
    /// Nothing is created until someone asks.
    pub fn new(
        max: NonZeroUsize,
        factory: impl Fn() -> T + Send + Sync + 'static,
    ) -> Self {
        Self {
            slots: Mutex::new(Slots {
                idle: Vec::new(),
                created: 0,
                waiting: 0,
            }),
            returned: Condvar::new(),
            max: max.get(),
            factory: Box::new(factory),
        }
    }

    /// Checks out an item without blocking: an idle one if there is one,
    /// else a new one if the pool is below its maximum.
    ///
    /// # Errors
    ///
    /// [`PoolError::Exhausted`] when every item is checked out and the pool
    /// is at its maximum.
    pub fn try_get(&self) -> Result<PoolGuard<'_, T>, PoolError> {
        let mut slots = self.lock();
        match self.take(&mut slots) {
            Some(take) => Ok(self.hand_out(slots, take)),
            None => Err(PoolError::Exhausted { max: self.max }),
        }
    }

    /// Checks out an item, waiting up to `timeout` for one to come back
    /// when every item is out and the pool is at its maximum.
    ///
    /// # Errors
    ///
    /// [`PoolError::TimedOut`] if no item came back in time.
    pub fn get_timeout(&self, timeout: Duration) -> Result<PoolGuard<'_, T>, PoolError> {
        let mut slots = self.lock();
        if let Some(take) = self.take(&mut slots) {
            return Ok(self.hand_out(slots, take));
        }
        slots.waiting += 1;
        // Step 1 wrote the condition loop by hand; `wait_timeout_while` is
        // std's version of it. It re-checks the condition after every
        // wakeup, spurious or not, and keeps one deadline for the whole
        // wait. It returns with the lock held and either the condition
        // false (an item or a slot is free: take it now, under the same
        // lock, so nobody can get between the check and the take) or the
        // time up.
        let (mut slots, _) = self
            .returned
            .wait_timeout_while(slots, timeout, |slots| {
                slots.idle.is_empty() && slots.created >= self.max
            })
            .unwrap_or_else(PoisonError::into_inner);
        slots.waiting -= 1;
        match self.take(&mut slots) {
            Some(take) => Ok(self.hand_out(slots, take)),
            None => Err(PoolError::TimedOut { timeout }),
        }
    }

    /// A snapshot of the pool's counters.
    pub fn status(&self) -> Status {
        let slots = self.lock();
        Status {
            max: self.max,
            created: slots.created,
            idle: slots.idle.len(),
            waiting: slots.waiting,
        }
    }

    /// Locks the slots, recovering from poison. Every critical section in
    /// this file is a push, a pop or a counter change: none can panic
    /// halfway and leave the counters disagreeing with the shelf, and no
    /// caller code (the factory, or what a holder does with its item) ever
    /// runs under this lock. So a poisoned flag cannot mean broken state
    /// here, and refusing to work would turn one panic into many.
    fn lock(&self) -> MutexGuard<'_, Slots<T>> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes an idle item, or reserves a slot for a new one, if it can.
    fn take(&self, slots: &mut Slots<T>) -> Option<Take<T>> {
        // `pop` takes the most recently returned item: the warmest one (a
        // connection least likely to have been closed by the server).
        if let Some(item) = slots.idle.pop() {
            return Some(Take::Idle(item));
        }
        if slots.created < self.max {
            // Count it now, under the lock, so that two callers cannot both
            // see room for the last item (check-then-act, Day 64).
            slots.created += 1;
            return Some(Take::Create);
        }
        None
    }

    /// Turns what `take` decided into a guard. Consumes the lock guard, so
    /// the factory always runs with the lock released: creating an item
    /// (opening a connection) can take milliseconds, and every other caller,
    /// even one returning an item, would queue behind it. (Simplification:
    /// a factory that panics leaks its reserved slot. Real pools, such as
    /// r2d2 or deadpool, take a fallible factory and give the slot back.)
    fn hand_out(
        &self,
        slots: MutexGuard<'_, Slots<T>>,
        take: Take<T>,
    ) -> PoolGuard<'_, T> {
        drop(slots);
        let item = match take {
            Take::Idle(item) => item,
            Take::Create => (self.factory)(),
        };
        PoolGuard {
            pool: self,
            item: Some(item),
        }
    }

    /// Puts an item back on the shelf and wakes one waiter.
    fn give_back(&self, item: T) {
        self.lock().idle.push(item);
        // `notify_one`: one item can satisfy one waiter. (Compare the wait
        // group, where zero releases every waiter.) The temporary lock guard
        // above is dropped at the `;`, so the waiter does not wake into a
        // held lock.
        self.returned.notify_one();
    }

    /// Forgets an item (it is dropped by the caller, outside the lock) and
    /// frees its slot, so a waiter may create a fresh one.
    fn forget_one(&self) {
        self.lock().created -= 1;
        self.returned.notify_one();
    }
}

impl<T> PoolGuard<'_, T> {
    /// Drops the item instead of returning it (a connection that failed, a
    /// buffer that grew too big), freeing its slot for a fresh one.
    ///
    /// An associated function, called as `PoolGuard::discard(guard)`, not a
    /// method: the guard derefs to `T`, and a `guard.discard()` method could
    /// hide a `T::discard`. `Box::leak` and `Arc::into_inner` do the same.
    pub fn discard(mut guard: Self) {
        let item = guard.item.take();
        guard.pool.forget_one();
        // The item (a connection to close, say) is dropped here, after the
        // lock was released in `forget_one`.
        drop(item);
    }
}

impl<T> Deref for PoolGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.item.as_ref().expect("the item is present until drop")
    }
}

impl<T> DerefMut for PoolGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.item.as_mut().expect("the item is present until drop")
    }
}

impl<T> Drop for PoolGuard<'_, T> {
    fn drop(&mut self) {
        let Some(item) = self.item.take() else {
            return; // discarded: the slot is already free
        };
        if std::thread::panicking() {
            // The holder panicked, maybe halfway through changing the item
            // (a half-written buffer, a connection mid-transaction). This is
            // the pool's version of lock poisoning: do not hand that item to
            // the next caller; drop it and free the slot instead.
            self.pool.forget_one();
            drop(item);
            return;
        }
        self.pool.give_back(item);
    }
}

impl<T> fmt::Debug for Pool<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The factory is a closure, which has no Debug: show the counters.
        f.debug_struct("Pool")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl<T: fmt::Debug> fmt::Debug for PoolGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PoolGuard").field(&self.item).finish()
    }
}
