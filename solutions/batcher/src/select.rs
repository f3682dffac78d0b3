//! Step 2: two tokio receivers in one loop, with `tokio::select!`.

use tokio::sync::mpsc::{Receiver, Sender};

/// Forwards every item of `a` and of `b` to `out`, each input's items in
/// their order, and returns once both inputs have ended. It also returns,
/// early, once `out`'s receiver is gone.
///
/// Dropping `out` on return is what tells the consumer there is no more.
pub async fn merge_two<T>(a: Receiver<T>, b: Receiver<T>, out: Sender<T>) {
    // Go's idiom: when a channel closes, set the variable to nil, because a
    // receive from a nil channel blocks forever and `select` then never picks
    // it. In Rust the variable becomes an `Option` set to `None`, and the
    // branch's `if` precondition switches it off.
    //
    // The rejected alternative, `item = a.recv() => if let Some(item) = item
    // {...}` with no way to switch the branch off: once `a` closes, its
    // `recv` is ready at once with `None` on every turn, so the loop spins
    // (never idle, so a paused clock never moves) and never returns.
    // `Some(item) = a.recv()` plus `else` would also work for mpsc, whose
    // `recv` may be called again after `None`; the `Option` states the
    // closed state, and works for futures that must not be polled again.
    let mut a = Some(a);
    let mut b = Some(b);
    loop {
        // No `biased;`: tokio picks at random among the branches that are
        // ready, so a busy `a` cannot starve `b`.
        let item = tokio::select! {
            item = recv(&mut a), if a.is_some() => match item {
                Some(item) => item,
                None => {
                    a = None;
                    continue;
                }
            },
            item = recv(&mut b), if b.is_some() => match item {
                Some(item) => item,
                None => {
                    b = None;
                    continue;
                }
            },
            // Every branch is switched off: both inputs have ended.
            else => return,
        };
        // Each `send` waits while `out` is full, so a slow consumer slows
        // this loop, which stops draining `a` and `b`: backpressure passes
        // through. An `Err` means the consumer has gone.
        if out.send(item).await.is_err() {
            return;
        }
    }
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
