//! Step 2: two tokio receivers in one loop, with `tokio::select!`.

use tokio::sync::mpsc::{Receiver, Sender};

/// Forwards every item of `a` and of `b` to `out`, each input's items in
/// their order, and returns once both inputs have ended. It also returns,
/// early, once `out`'s receiver is gone.
///
/// Dropping `out` on return is what tells the consumer there is no more.
pub async fn merge_two<T>(a: Receiver<T>, b: Receiver<T>, out: Sender<T>) {
    // TODO: keep each input in an `Option` and loop over a `tokio::select!`
    // with one branch per input, switched off by an `if a.is_some()`
    // precondition (the `recv` helper below builds each branch's future).
    // When an input's `recv` gives `None`, set it to `None`; an `else`
    // branch runs once every branch is off: return then. Send each item to
    // `out`, and return if that fails (the consumer has gone).
    todo!("merge_two: select! over both inputs, a closed one switched off")
}

/// The next item of `receiver`, if it is still there. The `if` precondition
/// keeps a `None` receiver's branch from being polled, but `select!` still
/// builds every branch's future, so building one must not panic.
async fn recv<T>(receiver: &mut Option<Receiver<T>>) -> Option<T> {
    match receiver {
        Some(receiver) => receiver.recv().await,
        None => None,
    }
}
