//! Step 1: `merge`, fan-in over `std::sync::mpsc` (src/merge.rs).
//!
//! These tests use real threads and never sleep. A wait that could hang on a
//! wrong solution is a `recv_timeout`, which returns at once on a right one.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::thread;
use std::time::Duration;

use batcher::merge;

/// How long a test waits for something that should be immediate.
const PATIENCE: Duration = Duration::from_secs(5);

/// Every item of `merged`, until it ends; fails if it has not ended within
/// [`PATIENCE`].
fn drain<T>(merged: &Receiver<T>) -> Vec<T> {
    let mut items = Vec::new();
    loop {
        match merged.recv_timeout(PATIENCE) {
            Ok(item) => items.push(item),
            Err(RecvTimeoutError::Disconnected) => return items,
            Err(RecvTimeoutError::Timeout) => panic!(
                "the merged receiver neither gave an item nor ended within {PATIENCE:?}: \
                 is a sender (the original one?) still alive?"
            ),
        }
    }
}

/// A receiver fed by a thread that sends `(source, 0..count)` and then ends.
fn producer(source: u32, count: u32) -> Receiver<(u32, u32)> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        for n in 0..count {
            sender.send((source, n)).expect("the forwarder is reading");
        }
    });
    receiver
}

#[test]
fn every_item_of_every_input_arrives_once() {
    let merged = merge(vec![producer(0, 100), producer(1, 100), producer(2, 100)]);
    let mut items = drain(&merged);
    assert_eq!(
        items.len(),
        300,
        "3 inputs of 100 items: 300 items, no more"
    );
    items.sort_unstable();
    let expected: Vec<(u32, u32)> =
        (0..3).flat_map(|s| (0..100).map(move |n| (s, n))).collect();
    assert_eq!(items, expected, "each input's items exactly once");
}

#[test]
fn each_input_keeps_its_own_order() {
    let merged = merge(vec![producer(0, 200), producer(1, 200)]);
    let items = drain(&merged);
    for source in 0..2 {
        let sequence: Vec<u32> = items
            .iter()
            .filter(|(s, _)| *s == source)
            .map(|(_, n)| *n)
            .collect();
        assert_eq!(
            sequence,
            (0..200).collect::<Vec<u32>>(),
            "input {source}'s items must come out in the order they were sent, \
             whatever the interleaving with the other input"
        );
    }
}

#[test]
fn the_merged_receiver_ends_only_after_every_input_has_ended() {
    let (a, a_input) = mpsc::channel();
    let (b, b_input) = mpsc::channel();
    let merged = merge(vec![a_input, b_input]);
    a.send(1).unwrap();
    drop(a);
    b.send(2).unwrap();
    let mut first_two = [
        merged.recv_timeout(PATIENCE).expect("an item from a"),
        merged.recv_timeout(PATIENCE).expect("an item from b"),
    ];
    first_two.sort_unstable();
    assert_eq!(first_two, [1, 2]);
    assert_eq!(
        merged.try_recv(),
        Err(TryRecvError::Empty),
        "input b still has a sender: the merged receiver is empty, not ended"
    );
    drop(b);
    assert_eq!(
        merged.recv_timeout(PATIENCE),
        Err(RecvTimeoutError::Disconnected),
        "once every input's senders are gone, the merged receiver ends"
    );
}

#[test]
fn merging_no_inputs_gives_a_receiver_that_has_already_ended() {
    let merged: Receiver<u8> = merge(Vec::new());
    assert_eq!(
        merged.recv_timeout(PATIENCE),
        Err(RecvTimeoutError::Disconnected),
        "no inputs, so no sender may be left: recv must say 'ended' at once"
    );
}

#[test]
fn a_consumer_that_leaves_releases_the_producers() {
    // A rendezvous input: each `send` waits for the forwarder to take it.
    let (sender, input) = mpsc::sync_channel(0);
    let (finished, producer_done) = mpsc::channel();
    thread::spawn(move || {
        // Sends until the other side is gone, then reports how it ended.
        let mut sent = 0_u32;
        while sender.send(sent).is_ok() {
            sent += 1;
        }
        finished.send(sent).unwrap();
    });
    let merged = merge(vec![input]);
    let first: Vec<u32> = (0..3)
        .map(|_| merged.recv_timeout(PATIENCE).unwrap())
        .collect();
    assert_eq!(first, [0, 1, 2]);
    // A consumer cannot close the channel for its senders; it can only stop
    // listening. The forwarder must notice (its `send` fails) and drop its
    // input, so the producer's `send` fails in turn.
    drop(merged);
    assert!(
        producer_done.recv_timeout(PATIENCE).is_ok(),
        "after the merged receiver is dropped, the forwarder must stop reading its \
         input, so the producer's send fails and the producer ends"
    );
}
