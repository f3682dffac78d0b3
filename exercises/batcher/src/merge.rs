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
    // TODO: make the merged channel with `sync_channel(0)`. For each input,
    // spawn a thread that owns a clone of the sender and forwards
    // `for item in input`, returning when `send` fails (the consumer left).
    // Then make sure no sender is left that no forwarder owns: the merged
    // channel ends only when every one of its senders is gone.
    todo!("merge: one forwarding thread per input, each with a sender clone")
}
