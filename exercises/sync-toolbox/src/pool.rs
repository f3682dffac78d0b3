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
        // TODO: an empty shelf, nothing created, nobody waiting; keep `max`
        // as a usize and box the factory.
        todo!("Pool::new")
    }

    /// Checks out an item without blocking: an idle one if there is one,
    /// else a new one if the pool is below its maximum.
    ///
    /// # Errors
    ///
    /// [`PoolError::Exhausted`] when every item is checked out and the pool
    /// is at its maximum.
    pub fn try_get(&self) -> Result<PoolGuard<'_, T>, PoolError> {
        // TODO: lock, ask `take` what is free, and turn it into a guard with
        // `hand_out`; if nothing is, PoolError::Exhausted. Never wait.
        todo!("Pool::try_get: take without waiting")
    }

    /// Checks out an item, waiting up to `timeout` for one to come back
    /// when every item is out and the pool is at its maximum.
    ///
    /// # Errors
    ///
    /// [`PoolError::TimedOut`] if no item came back in time.
    pub fn get_timeout(&self, timeout: Duration) -> Result<PoolGuard<'_, T>, PoolError> {
        // TODO: like try_get; when nothing is free, count yourself in
        // `waiting` and sleep with `Condvar::wait_timeout_while`, whose
        // condition is "the shelf is empty and the pool is at its max". It
        // returns with the lock held: count yourself out of `waiting`, then
        // `take` again; nothing free means the time ran out.
        todo!("Pool::get_timeout: wait_timeout_while, then take")
    }

    /// A snapshot of the pool's counters.
    pub fn status(&self) -> Status {
        todo!("Pool::status: read the counters under the lock")
    }

    /// Locks the slots, recovering from poison. Every critical section in
    /// this file is a push, a pop or a counter change: none can panic
    /// halfway and leave the counters disagreeing with the shelf, and no
    /// caller code (the factory, or what a holder does with its item) ever
    /// runs under this lock. So a poisoned flag cannot mean broken state
    /// here, and refusing to work would turn one panic into many.
    fn lock(&self) -> MutexGuard<'_, Slots<T>> {
        // TODO: lock, recovering from poison with `PoisonError::into_inner`.
        todo!("Pool::lock")
    }

    /// Takes an idle item, or reserves a slot for a new one, if it can.
    fn take(&self, slots: &mut Slots<T>) -> Option<Take<T>> {
        // TODO: an idle item if there is one (`pop`: the most recently
        // returned), else, below the max, count a new item in `created`
        // now, under the lock, and answer Take::Create. Else None.
        todo!("Pool::take: idle item, or reserve a slot")
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
        // TODO: drop the lock guard first, then call the factory if `take`
        // reserved a slot: creating an item can be slow, and nobody should
        // queue behind it.
        todo!("Pool::hand_out: release the lock, then create if needed")
    }

    /// Puts an item back on the shelf and wakes one waiter.
    fn give_back(&self, item: T) {
        // TODO: push the item on the shelf under the lock, then wake one
        // waiter (one item can satisfy one waiter).
        todo!("Pool::give_back: shelve and notify")
    }

    /// Forgets an item (it is dropped by the caller, outside the lock) and
    /// frees its slot, so a waiter may create a fresh one.
    fn forget_one(&self) {
        // TODO: one item fewer in `created`, then wake one waiter: it may now
        // create a fresh item.
        todo!("Pool::forget_one")
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
        // TODO: take the item out of the guard (so its drop does nothing),
        // free the slot with `forget_one`, then drop the item.
        todo!("PoolGuard::discard")
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
        // TODO: take the item out (None: it was discarded, nothing to do).
        // If this thread is panicking (`std::thread::panicking()`), the item
        // may be half-changed: forget it instead of shelving it. Otherwise
        // give it back.
        todo!("PoolGuard::drop: give back, or forget after a panic")
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
