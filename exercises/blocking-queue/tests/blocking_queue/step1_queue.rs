//! Step 1: `BlockingQueue` (src/queue.rs), with std threads.
//!
//! Each test asserts only what holds under every interleaving the scheduler
//! might pick (which items came out, and in what order per producer), never
//! how the threads happened to take turns; a blocking test runs inside
//! `within_10s`, so a lost wake-up fails it instead of hanging the run.
//! These tests show the queue works on the runs they get; `tests/loom.rs`
//! checks every interleaving of smaller scenarios.

use std::collections::HashSet;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use blocking_queue::{BlockingQueue, Closed, PopTimeoutError};

use crate::{ms, within_10s};

fn queue<T>(capacity: usize) -> Arc<BlockingQueue<T>> {
    Arc::new(BlockingQueue::new(
        NonZeroUsize::new(capacity).expect("a capacity of at least 1"),
    ))
}

#[test]
fn a_new_queue_is_open_empty_and_knows_its_capacity() {
    let q = queue::<u32>(3);
    assert_eq!(q.capacity(), 3, "capacity() is the number given to new()");
    assert_eq!(q.len(), 0, "a new queue holds nothing");
    assert!(q.is_empty(), "a new queue is empty");
    assert!(!q.is_closed(), "a new queue is open");
}

#[test]
fn items_come_out_in_the_order_they_went_in() {
    let q = queue(3);
    for word in ["a", "b", "c"] {
        q.push(word).expect("the queue is open and has room");
    }
    assert_eq!(q.len(), 3, "three pushes, three items");
    let out: Vec<_> = (0..3).map(|_| q.pop()).collect();
    assert_eq!(
        out,
        [Some("a"), Some("b"), Some("c")],
        "first in, first out"
    );
    assert!(q.is_empty(), "every item was taken");
}

#[test]
fn a_pop_on_an_empty_queue_waits_for_a_push() {
    let q = queue(1);
    let consumer = {
        let q = Arc::clone(&q);
        thread::spawn(move || q.pop())
    };
    // Whether the consumer is already waiting when this push happens or
    // arrives after it, the answer is the same: it gets the item.
    q.push(42).expect("the queue is open");
    let got = within_10s("a pop waiting for a push", move || consumer.join());
    assert_eq!(
        got.expect("the consumer did not panic"),
        Some(42),
        "the waiting pop returns the pushed item"
    );
}

#[test]
fn a_push_to_a_full_queue_waits_for_a_pop() {
    let q = queue(1);
    let producer = {
        let q = Arc::clone(&q);
        thread::spawn(move || {
            for n in 1..=5 {
                q.push(n).expect("the queue stays open");
            }
        })
    };
    let seen = within_10s("a producer five items ahead of a one-slot queue", {
        let q = Arc::clone(&q);
        move || {
            let mut seen = Vec::new();
            for _ in 0..5 {
                assert!(q.len() <= 1, "a queue of capacity 1 never holds 2 items");
                seen.push(q.pop().expect("the queue is open"));
            }
            producer.join().expect("the producer did not panic");
            seen
        }
    });
    assert_eq!(
        seen,
        [1, 2, 3, 4, 5],
        "each pop makes room for the producer's next push, in order"
    );
}

#[test]
fn close_wakes_every_blocked_consumer() {
    let q = queue::<u32>(2);
    let consumers: Vec<_> = (0..3)
        .map(|_| {
            let q = Arc::clone(&q);
            thread::spawn(move || q.pop())
        })
        .collect();
    q.close();
    let results = within_10s("three consumers waiting on a queue that closes", || {
        consumers
            .into_iter()
            .map(|c| c.join().expect("a consumer did not panic"))
            .collect::<Vec<_>>()
    });
    assert_eq!(
        results,
        [None, None, None],
        "after close, every consumer (waiting or not) gets None"
    );
}

#[test]
fn pop_drains_what_is_left_before_returning_none() {
    let q = queue(4);
    q.push("left").expect("open");
    q.push("over").expect("open");
    q.close();
    assert!(q.is_closed(), "close() sets the flag");
    assert_eq!(
        q.pop(),
        Some("left"),
        "a closed queue still hands out its items"
    );
    assert_eq!(q.pop(), Some("over"), "all of them, in order");
    assert_eq!(q.pop(), None, "None only once the closed queue is empty");
    assert_eq!(q.pop(), None, "and from then on");
}

#[test]
fn a_push_after_close_hands_the_item_back() {
    let q = queue(2);
    q.close();
    let error = q
        .push(String::from("late job"))
        .expect_err("a closed queue takes no new items");
    assert_eq!(error.to_string(), "queue is closed", "the error reads well");
    assert_eq!(
        error.into_inner(),
        "late job",
        "the caller gets its item back, not a silent drop"
    );
    assert!(q.is_empty(), "the refused item is not in the queue");
}

#[test]
fn close_wakes_a_producer_blocked_on_a_full_queue() {
    let q = queue(1);
    q.push(1).expect("open, with room");
    let producer = {
        let q = Arc::clone(&q);
        thread::spawn(move || q.push(2))
    };
    q.close();
    let result = within_10s("a producer waiting on a full queue that closes", || {
        producer.join().expect("the producer did not panic")
    });
    assert_eq!(
        result,
        Err(Closed(2)),
        "the waiting push gives up with its own item when the queue closes"
    );
    assert_eq!(q.pop(), Some(1), "the item pushed before the close is kept");
    assert_eq!(q.pop(), None, "and then the queue is done");
}

#[test]
fn closing_twice_is_harmless() {
    let q = queue::<u8>(1);
    q.close();
    q.close();
    assert!(q.is_closed(), "still closed");
    assert_eq!(q.pop(), None, "still closed and empty");
}

#[test]
fn pop_timeout_gives_up_after_the_timeout_on_an_empty_queue() {
    let q = queue::<u32>(1);
    let start = Instant::now();
    // A real wait (a std Condvar has no fake clock), kept short. Only the
    // lower bound is asserted: a loaded machine may wake us late, never early.
    let result = q.pop_timeout(ms(20));
    assert_eq!(
        result,
        Err(PopTimeoutError::Timeout),
        "nothing arrived, the queue is open: a timeout"
    );
    assert!(
        start.elapsed() >= ms(20),
        "pop_timeout waited the whole timeout, not less (took {:?})",
        start.elapsed()
    );
    assert_eq!(
        PopTimeoutError::Timeout.to_string(),
        "timed out waiting for an item"
    );
}

#[test]
fn pop_timeout_takes_an_item_at_once_if_there_is_one() {
    let q = queue(1);
    q.push(7).expect("open");
    let start = Instant::now();
    let result = q.pop_timeout(ms(60_000));
    assert_eq!(result, Ok(7), "an item already there is returned");
    assert!(
        start.elapsed() < ms(10_000),
        "without waiting for the timeout"
    );
}

#[test]
fn pop_timeout_takes_an_item_pushed_while_it_waits() {
    let q = queue(1);
    let consumer = {
        let q = Arc::clone(&q);
        // Long enough never to run out on a slow machine; the push below
        // ends the wait long before.
        thread::spawn(move || q.pop_timeout(ms(60_000)))
    };
    q.push(9).expect("open");
    let got = within_10s("pop_timeout waiting for a push", || {
        consumer.join().expect("the consumer did not panic")
    });
    assert_eq!(got, Ok(9), "the push ends the wait with its item");
}

#[test]
fn pop_timeout_reports_a_closed_and_drained_queue() {
    let q = queue(1);
    q.push(1).expect("open");
    q.close();
    assert_eq!(
        q.pop_timeout(ms(60_000)),
        Ok(1),
        "the item left is drained first"
    );
    assert_eq!(
        q.pop_timeout(ms(60_000)),
        Err(PopTimeoutError::Closed),
        "then Closed, at once: nothing will ever arrive"
    );
    assert_eq!(
        PopTimeoutError::Closed.to_string(),
        "queue is closed and empty"
    );
}

#[test]
fn pop_timeout_with_no_representable_deadline_waits_like_pop() {
    let q = queue(1);
    q.push("now").expect("open");
    assert_eq!(
        q.pop_timeout(std::time::Duration::MAX),
        Ok("now"),
        "Duration::MAX must not overflow the deadline (Instant + Duration panics)"
    );
}

#[test]
fn many_producers_and_consumers_lose_nothing_and_duplicate_nothing() {
    const PRODUCERS: u32 = 4;
    const PER_PRODUCER: u32 = 250;
    let q = queue(4);
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                for i in 0..PER_PRODUCER {
                    q.push((p, i)).expect("open until every producer is done");
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..3)
        .map(|_| {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                let mut got = Vec::new();
                while let Some(item) = q.pop() {
                    got.push(item);
                }
                got
            })
        })
        .collect();
    let per_consumer = within_10s("4 producers and 3 consumers", move || {
        for p in producers {
            p.join().expect("a producer did not panic");
        }
        // Close only after the last push: the consumers then drain the rest
        // and stop.
        q.close();
        consumers
            .into_iter()
            .map(|c| c.join().expect("a consumer did not panic"))
            .collect::<Vec<_>>()
    });
    for got in &per_consumer {
        for p in 0..PRODUCERS {
            let from_p: Vec<u32> = got.iter().filter(|x| x.0 == p).map(|x| x.1).collect();
            assert!(
                from_p.is_sorted(),
                "one consumer sees one producer's items in the order pushed"
            );
        }
    }
    let all: Vec<(u32, u32)> = per_consumer.into_iter().flatten().collect();
    let distinct: HashSet<_> = all.iter().copied().collect();
    assert_eq!(
        all.len(),
        (PRODUCERS * PER_PRODUCER) as usize,
        "every pushed item was popped"
    );
    assert_eq!(distinct.len(), all.len(), "and none was popped twice");
}
