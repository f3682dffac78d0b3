//! The rejected alternative, kept so that the loom model can be shown
//! failing on it: a wait group that wakes one waiter instead of all of them.
//! Compiled only with `--features broken`, and in a file of its own so
//! coverage and mutation tools can leave it out.

use std::sync::PoisonError;

use crate::wait_group::Inner;

/// Looks like a harmless saving ("only one waiter usually"), and passes
/// every test with a single waiter: with two threads in `wait`, the second
/// sleeps for ever, and loom reports the deadlock.
pub(crate) fn count_out(inner: &Inner) {
    let mut pending = inner.pending.lock().unwrap_or_else(PoisonError::into_inner);
    *pending -= 1;
    let now_zero = *pending == 0;
    drop(pending);
    if now_zero {
        inner.zero.notify_one();
    }
}
