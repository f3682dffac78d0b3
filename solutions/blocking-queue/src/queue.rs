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
        Self {
            state: Mutex::new(State {
                items: VecDeque::with_capacity(capacity.get()),
                closed: false,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity: capacity.get(),
        }
    }

    /// Adds `item` at the back, waiting while the queue is full.
    ///
    /// # Errors
    ///
    /// [`Closed`], holding `item`, if the queue is closed before there is
    /// room (including a close while this call waits).
    pub fn push(&self, item: T) -> Result<(), Closed<T>> {
        let mut state = self.lock();
        // `while`, not `if`: waking up means "something changed", not "there
        // is room". Another producer may have taken the slot first, and
        // condition variables may also wake for no reason at all (spurious
        // wake-ups), so the condition is checked again after every wait.
        while state.items.len() == self.capacity && !state.closed {
            // `wait` releases the lock while asleep and takes it back before
            // returning, atomically: no push can slip between our check and
            // our falling asleep, so no wake-up is missed.
            state = self
                .not_full
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if state.closed {
            return Err(Closed(item));
        }
        state.items.push_back(item);
        self.check_invariants(&state);
        // Unlock before notifying: the woken consumer's first act is to take
        // the lock, and it would find it still held ("hurry up and wait").
        // Notifying while holding it is also correct, only slower.
        drop(state);
        // `notify_one` is enough: one new item can feed one consumer.
        self.not_empty.notify_one();
        Ok(())
    }

    /// Takes the item at the front, waiting while the queue is empty.
    ///
    /// Returns `None` only once the queue is closed *and* drained, so a
    /// consumer loop `while let Some(item) = queue.pop()` handles every item
    /// that was ever pushed.
    pub fn pop(&self) -> Option<T> {
        let mut state = self.lock();
        loop {
            // Items first, then the flag: after a close there may still be
            // work in the queue, and it must not be thrown away.
            if let Some(item) = state.items.pop_front() {
                self.check_invariants(&state);
                drop(state);
                // Forgetting this is the classic lost wake-up on the other
                // side: a producer waiting for room would sleep on, although
                // there is room now.
                self.not_full.notify_one();
                return Some(item);
            }
            if state.closed {
                return None;
            }
            state = self
                .not_empty
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Like [`pop`](Self::pop), but waits at most `timeout` for an item.
    ///
    /// # Errors
    ///
    /// [`PopTimeoutError::Timeout`] if the queue stayed empty (and open) for
    /// the whole `timeout`; [`PopTimeoutError::Closed`] once it is closed and
    /// drained.
    pub fn pop_timeout(&self, timeout: Duration) -> Result<T, PopTimeoutError> {
        // A deadline, not a duration per wait: a wake-up that finds nothing
        // (another consumer was faster, or a spurious one) must not restart
        // the clock, or a busy queue could keep this call waiting forever.
        let Some(deadline) = Instant::now().checked_add(timeout) else {
            // Too far away to represent (`Duration::MAX`): no timeout at all.
            return self.pop().ok_or(PopTimeoutError::Closed);
        };
        let mut state = self.lock();
        loop {
            // An item beats a timeout: if a push notified us just as our time
            // ran out, we take its item. Giving up instead would waste the
            // one notification the push sent, and another waiting consumer
            // would miss it.
            if let Some(item) = state.items.pop_front() {
                self.check_invariants(&state);
                drop(state);
                self.not_full.notify_one();
                return Ok(item);
            }
            if state.closed {
                return Err(PopTimeoutError::Closed);
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(PopTimeoutError::Timeout);
            }
            // Whether this wait timed out does not matter: the loop checks
            // the queue, then the clock, either way.
            let (relocked, _timed_out) = self
                .not_empty
                .wait_timeout(state, remaining)
                .unwrap_or_else(PoisonError::into_inner);
            state = relocked;
        }
    }

    /// Closes the queue and wakes every waiting thread. Later pushes fail
    /// with [`Closed`]; pops drain the items left, then return `None`.
    /// Closing twice is harmless.
    pub fn close(&self) {
        #[cfg(feature = "broken")]
        return crate::broken::close(self);
        #[cfg(not(feature = "broken"))]
        self.close_and_wake_all();
    }

    #[cfg_attr(feature = "broken", allow(dead_code))]
    fn close_and_wake_all(&self) {
        self.lock().closed = true;
        // `notify_all`, on both condition variables: every thread asleep in
        // `wait` must see the flag, and each needs its own wake-up. The
        // rejected alternative, `notify_one` ("one event, one wake-up"),
        // wakes a single consumer, which returns `None` without passing the
        // news on, and the others sleep forever (broken.rs; the loom model
        // `close_wakes_every_blocked_consumer` reports it as a deadlock).
        self.not_empty.notify_all();
        self.not_full.notify_all();
    }

    /// Whether [`close`](Self::close) was called.
    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Items in the queue now (a snapshot: it may change as soon as it is
    /// read).
    pub fn len(&self) -> usize {
        self.lock().items.len()
    }

    /// Whether the queue holds no item now (a snapshot, like `len`).
    pub fn is_empty(&self) -> bool {
        self.lock().items.is_empty()
    }

    /// The most items the queue holds at once.
    pub fn capacity(&self) -> usize {
        self.capacity
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
