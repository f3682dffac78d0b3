//! loom models of the queue. loom runs each closure under every
//! interleaving of its threads' lock, wait and notify operations (bounded by
//! `LOOM_MAX_PREEMPTIONS`), so a wake-up lost in one schedule out of
//! hundreds is found every run. A thread left asleep with nobody to wake it
//! is reported as "deadlock; threads = [...]", and the model fails.
//!
//! Run them with:
//!
//! ```text
//! LOOM_MAX_PREEMPTIONS=3 RUSTFLAGS="--cfg loom" \
//!     cargo test -p blocking-queue --release --test loom
//! ```
//!
//! Without `--cfg loom` this file compiles to nothing. The models are kept
//! small (two or three threads, a handful of operations): loom's cost grows
//! fast with both. Besides the assertions here, the queue asserts its own
//! invariant (never more items than its capacity) after every change in a
//! loom build.
#![cfg(loom)]

use std::num::NonZeroUsize;
// std's `Arc`, not loom's. When loom finds a deadlock it panics and unwinds
// the threads it left blocked; a loom `Arc` dropped during that unwinding
// calls back into the model that is being torn down, panics again, and
// aborts the whole test binary (loom 0.7.2) instead of failing one test.
// Sharing the queue needs no checking of its own, so std's will do.
use std::sync::Arc;

use blocking_queue::{BlockingQueue, Closed};
use loom::thread;

fn queue<T>(capacity: usize) -> Arc<BlockingQueue<T>> {
    Arc::new(BlockingQueue::new(NonZeroUsize::new(capacity).unwrap()))
}

#[test]
fn a_blocked_consumer_gets_the_item() {
    loom::model(|| {
        let q = queue(1);
        let consumer = {
            let q = Arc::clone(&q);
            thread::spawn(move || q.pop())
        };
        q.push(1).unwrap();
        assert_eq!(consumer.join().unwrap(), Some(1), "the pushed item arrives");
    });
}

#[test]
fn a_full_queue_blocks_the_producer_until_a_pop() {
    loom::model(|| {
        let q = queue(1);
        let producer = {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                q.push(1).unwrap();
                q.push(2).unwrap(); // waits for room, then must be woken
            })
        };
        let first = q.pop();
        let second = q.pop();
        producer.join().unwrap();
        assert_eq!((first, second), (Some(1), Some(2)), "both, in order");
    });
}

#[test]
fn close_wakes_every_blocked_consumer() {
    loom::model(|| {
        let q = queue::<u8>(1);
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let q = Arc::clone(&q);
                thread::spawn(move || q.pop())
            })
            .collect();
        q.close();
        for consumer in consumers {
            assert_eq!(
                consumer.join().unwrap(),
                None,
                "a consumer of a closed, empty queue gets None"
            );
        }
    });
}

#[test]
fn items_pushed_before_close_are_all_drained_then_none() {
    loom::model(|| {
        let q = queue(1);
        let producer = {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                q.push(1).unwrap();
                q.push(2).unwrap();
                q.close();
            })
        };
        let mut got = Vec::new();
        while let Some(item) = q.pop() {
            got.push(item);
        }
        producer.join().unwrap();
        assert_eq!(
            got,
            [1, 2],
            "every item pushed before close, once, in order"
        );
        assert_eq!(
            q.push(3),
            Err(Closed(3)),
            "a push after close hands the item back"
        );
    });
}
