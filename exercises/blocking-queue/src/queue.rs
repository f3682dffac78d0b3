//! Step 1: a bounded blocking queue from a `Mutex` and two `Condvar`s.

use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::sync::PoisonError;
use std::time::{Duration, Instant};

use crate::sync::{Condvar, Mutex, MutexGuard};

/// A bounded multi-producer, multi-consumer queue for threads.
///
/// Share it with an `Arc`. [`push`](Self::push) blocks while the queue is
/// full and [`pop`](Self::pop) while it is empty, so a fast producer is
/// slowed to the consumers' pace instead of filling memory (backpressure).
/// [`close`](Self::close) ends it: consumers drain what is left and then get
/// `None`, producers get their item back.
#[derive(Debug)]
pub struct BlockingQueue<T> {
    pub(crate) state: Mutex<State<T>>,
    /// Signalled when an item is added or the queue closes: consumers wait
    /// on it.
    pub(crate) not_empty: Condvar,
    /// Signalled when an item is removed or the queue closes: producers wait
    /// on it.
    pub(crate) not_full: Condvar,
    capacity: usize,
}

/// Everything the lock protects. The items and the closed flag sit under
/// one lock because every decision reads both: "wait, or give up?"
#[derive(Debug)]
pub(crate) struct State<T> {
    items: VecDeque<T>,
    pub(crate) closed: bool,
}

/// [`BlockingQueue::push`] after [`BlockingQueue::close`]: the item comes
/// back to the caller, who may log it, retry elsewhere or drop it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("queue is closed")]
pub struct Closed<T>(pub T);

impl<T> Closed<T> {
    /// The item that could not be pushed.
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// Why [`BlockingQueue::pop_timeout`] returned without an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PopTimeoutError {
    /// Nothing arrived before the timeout; the queue is still open.
    #[error("timed out waiting for an item")]
    Timeout,
    /// The queue is closed and empty: nothing will ever arrive.
    #[error("queue is closed and empty")]
    Closed,
}

impl<T> BlockingQueue<T> {
    /// An open, empty queue holding at most `capacity` items. `NonZeroUsize`,
    /// because in a queue of capacity 0 every `push` would wait forever.
    pub fn new(capacity: NonZeroUsize) -> Self {
        // TODO: an open state with an empty `VecDeque` (`with_capacity` saves
        // regrowing), two fresh condition variables, and the capacity.
        todo!("BlockingQueue::new: an empty, open queue")
    }

    /// Adds `item` at the back, waiting while the queue is full.
    ///
    /// # Errors
    ///
    /// [`Closed`], holding `item`, if the queue is closed before there is
    /// room (including a close while this call waits).
    pub fn push(&self, item: T) -> Result<(), Closed<T>> {
        // TODO: take the lock (`self.lock()`); `while` the queue is full and still
        // open, wait on `not_full` (`wait` hands the guard back). If it is closed,
        // return `Err(Closed(item))`. Otherwise push at the back, call
        // `self.check_invariants`, drop the guard and `notify_one` on `not_empty`.
        todo!("BlockingQueue::push: wait for room, push, wake one consumer")
    }

    /// Takes the item at the front, waiting while the queue is empty.
    ///
    /// Returns `None` only once the queue is closed *and* drained, so a
    /// consumer loop `while let Some(item) = queue.pop()` handles every item
    /// that was ever pushed.
    pub fn pop(&self) -> Option<T> {
        // TODO: take the lock, then loop: an item at the front? drop the guard,
        // `notify_one` on `not_full` and return it. Closed? return `None`. Else
        // wait on `not_empty` and go round again (a wake-up is only a hint).
        todo!("BlockingQueue::pop: wait for an item or the close, wake one producer")
    }

    /// Like [`pop`](Self::pop), but waits at most `timeout` for an item.
    ///
    /// # Errors
    ///
    /// [`PopTimeoutError::Timeout`] if the queue stayed empty (and open) for
    /// the whole `timeout`; [`PopTimeoutError::Closed`] once it is closed and
    /// drained.
    pub fn pop_timeout(&self, timeout: Duration) -> Result<T, PopTimeoutError> {
        // TODO: compute a deadline once (`Instant::now().checked_add(timeout)`;
        // `None` means "forever": fall back to `pop`). Then loop like `pop`, but
        // before waiting compute the time left (`saturating_duration_since`): zero
        // means `Err(Timeout)`; otherwise `wait_timeout(guard, remaining)`. Check
        // for an item before checking the clock.
        todo!("BlockingQueue::pop_timeout: pop, with a deadline")
    }

    /// Closes the queue and wakes every waiting thread. Later pushes fail
    /// with [`Closed`]; pops drain the items left, then return `None`.
    /// Closing twice is harmless.
    pub fn close(&self) {
        // TODO: set `closed` under the lock, then wake *every* waiter on both
        // condition variables (`notify_all`): each sleeping thread needs its own
        // wake-up to see the flag.
        todo!("BlockingQueue::close: set the flag, wake everyone")
    }

    /// Whether [`close`](Self::close) was called.
    pub fn is_closed(&self) -> bool {
        todo!("BlockingQueue::is_closed: read the flag under the lock")
    }

    /// Items in the queue now (a snapshot: it may change as soon as it is
    /// read).
    pub fn len(&self) -> usize {
        todo!("BlockingQueue::len: the number of items, under the lock")
    }

    /// Whether the queue holds no item now (a snapshot, like `len`).
    pub fn is_empty(&self) -> bool {
        todo!("BlockingQueue::is_empty: no items, under the lock")
    }

    /// The most items the queue holds at once.
    pub fn capacity(&self) -> usize {
        todo!("BlockingQueue::capacity: the number given to new")
    }

    /// Takes the lock. A poisoned lock (a thread panicked while holding it)
    /// is recovered rather than passed on as a panic: every critical section
    /// here leaves the state whole (a `VecDeque` push or pop either happens
    /// or does not), so the data is still good.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The queue's invariant, asserted after every change in debug builds
    /// and in every loom run (which is a release build: `debug_assert!`
    /// alone would be compiled out exactly where it can see the most
    /// interleavings).
    fn check_invariants(&self, state: &State<T>) {
        if cfg!(any(debug_assertions, loom)) {
            assert!(
                state.items.len() <= self.capacity,
                "the queue holds {} items, over its capacity of {}",
                state.items.len(),
                self.capacity
            );
        }
    }
}
