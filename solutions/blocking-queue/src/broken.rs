//! The rejected alternative, kept so that the loom model can be shown
//! failing on it: a `close` that wakes one waiter per condition variable.
//! Compiled only with `--features broken`, and in a file of its own so
//! coverage and mutation tools can leave it out.

use crate::BlockingQueue;

/// Looks reasonable ("one event, one notification") and passes most tests:
/// a consumer that reaches `pop` after the close sees the flag and returns.
/// But every thread already asleep in `wait` needs its own wake-up, and the
/// one woken thread returns `None` without passing the news on: the others
/// sleep forever. A lost wake-up, which loom reports as a deadlock.
pub(crate) fn close<T>(queue: &BlockingQueue<T>) {
    queue.lock().closed = true;
    queue.not_empty.notify_one();
    queue.not_full.notify_one();
}
