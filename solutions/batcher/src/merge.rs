//! Step 1: fan-in over `std::sync::mpsc`.

use std::sync::mpsc::{Receiver, sync_channel};
use std::thread;

/// One receiver that yields every item of every input, each input's items in
/// their order, and ends (`recv` returns `Err(RecvError)`) once every input
/// has ended.
///
/// One forwarding thread per input moves its items across. The merged channel
/// holds no items of its own (it is a rendezvous channel), so a consumer that
/// falls behind holds the forwarders up, and through them the producers, if
/// their channels are bounded. If the consumer drops the merged receiver, each
/// forwarder stops at its next item.
pub fn merge<T: Send + 'static>(inputs: Vec<Receiver<T>>) -> Receiver<T> {
    // `sync_channel(0)`, not `channel()`: the unbounded `channel()` would let
    // the forwarders pile every item up in memory while the consumer is slow,
    // and the producers would never feel it.
    let (sender, merged) = sync_channel(0);
    for input in inputs {
        // Each forwarder owns a clone of the sender. The merged channel ends
        // when the last clone is dropped, which is when the last forwarder
        // returns: that is the "exactly when every input has ended" promise,
        // with no counter to keep.
        let sender = sender.clone();
        // A plain `spawn`, detached: the forwarder ends by itself when its
        // input ends. `std::thread::scope` would make `merge` wait for all of
        // them before returning the receiver, and nobody would be reading.
        thread::spawn(move || {
            // `for item in input` calls `recv` until it returns
            // `Err(RecvError)`: every sender of this input is gone.
            for item in input {
                if sender.send(item).is_err() {
                    // The consumer dropped the merged receiver; nobody will
                    // read what we forward, so stop reading our input.
                    return;
                }
            }
        });
    }
    // Drop the original sender, which no forwarder owns. Here the return
    // would drop it anyway, but the line says what the design depends on:
    // had this function gone on to read `merged` itself, a live `sender`
    // would make that loop wait forever after the last item, because a
    // channel ends only when every one of its senders is gone.
    drop(sender);
    merged
}
