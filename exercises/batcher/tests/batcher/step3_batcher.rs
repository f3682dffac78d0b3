//! Step 3: the batching actor, `spawn` and `Batcher::send` (src/batcher.rs).

use std::num::NonZeroUsize;
use std::time::Duration;

use batcher::{BatchConfig, Batcher, SendError, spawn};
use tokio::sync::mpsc::{self, Receiver, error::TryRecvError};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, sleep_until};

use crate::{ms, paused, within};

/// A batcher of `u32`s with these settings, whose batches go to a channel
/// holding `output_capacity` batches; returns the handle, the task and the
/// batches' receiver.
pub(crate) fn launch(
    max_items: usize,
    max_wait: Duration,
    capacity: usize,
    output_capacity: usize,
) -> (Batcher<u32>, JoinHandle<()>, Receiver<Vec<u32>>) {
    let config = BatchConfig {
        max_items: NonZeroUsize::new(max_items).expect("max_items > 0"),
        max_wait,
        capacity: NonZeroUsize::new(capacity).expect("capacity > 0"),
    };
    let (output, batches) = mpsc::channel(output_capacity);
    let (batcher, task) = spawn(config, output);
    (batcher, task, batches)
}

/// The next batch, failing if none comes within a minute of tokio time.
pub(crate) async fn next_batch(batches: &mut Receiver<Vec<u32>>) -> Option<Vec<u32>> {
    within(
        ms(60_000),
        "no batch and no end within a minute",
        batches.recv(),
    )
    .await
}

#[test]
fn a_full_batch_is_sent_at_once() {
    paused(async {
        let start = Instant::now();
        let (batcher, _task, mut batches) = launch(3, ms(1_000), 8, 4);
        for n in 1..=3 {
            batcher.send(n).await.expect("the batcher is running");
        }
        assert_eq!(next_batch(&mut batches).await, Some(vec![1, 2, 3]));
        assert_eq!(
            start.elapsed(),
            ms(0),
            "max_items reached: the batch goes at once, without waiting for max_wait"
        );
    });
}

#[test]
fn a_partial_batch_is_flushed_after_max_wait() {
    paused(async {
        let start = Instant::now();
        let (batcher, _task, mut batches) = launch(10, ms(50), 8, 4);
        batcher.send(1).await.unwrap();
        sleep(ms(20)).await;
        batcher.send(2).await.unwrap();
        assert_eq!(next_batch(&mut batches).await, Some(vec![1, 2]));
        assert_eq!(
            start.elapsed(),
            ms(50),
            "a batch that is not full goes max_wait (50 ms) after its first item"
        );
    });
}

#[test]
fn the_wait_counts_from_the_first_item_of_each_batch() {
    paused(async {
        let start = Instant::now();
        let (batcher, _task, mut batches) = launch(10, ms(50), 8, 4);
        tokio::spawn(async move {
            for (at, item) in [(0, 1), (30, 2), (60, 3)] {
                sleep_until(start + ms(at)).await;
                batcher.send(item).await.unwrap();
            }
            sleep(ms(1_000)).await; // keep the batcher open
        });
        assert_eq!(next_batch(&mut batches).await, Some(vec![1, 2]));
        assert_eq!(
            start.elapsed(),
            ms(50),
            "the first batch goes 50 ms after item 1 (a deadline pushed back by \
             each new item would wait for item 3)"
        );
        assert_eq!(next_batch(&mut batches).await, Some(vec![3]));
        assert_eq!(
            start.elapsed(),
            ms(110),
            "the second batch starts its own 50 ms at item 3, sent at 60 ms (a \
             fixed 50 ms ticker would send it at 100 ms)"
        );
    });
}

#[test]
fn an_idle_batcher_sends_no_empty_batches() {
    paused(async {
        let start = Instant::now();
        let (batcher, _task, mut batches) = launch(10, ms(50), 8, 4);
        sleep(ms(1_000)).await;
        assert_eq!(
            batches.try_recv(),
            Err(TryRecvError::Empty),
            "no items for a second: no batch at all, not a batch of none"
        );
        batcher.send(7).await.unwrap();
        assert_eq!(next_batch(&mut batches).await, Some(vec![7]));
        assert_eq!(
            start.elapsed(),
            ms(1_050),
            "the deadline starts with the batch's first item, not before"
        );
    });
}

#[test]
fn closing_every_sender_flushes_and_ends_the_batcher() {
    paused(async {
        let start = Instant::now();
        let (batcher, task, mut batches) = launch(10, ms(1_000), 8, 4);
        let other = batcher.clone();
        batcher.send(1).await.unwrap();
        other.send(2).await.unwrap();
        drop(batcher);
        assert_eq!(
            batches.try_recv(),
            Err(TryRecvError::Empty),
            "one handle is still open: the batcher keeps waiting"
        );
        drop(other);
        assert_eq!(
            next_batch(&mut batches).await,
            Some(vec![1, 2]),
            "the last handle is gone: the partial batch is sent"
        );
        assert_eq!(
            start.elapsed(),
            ms(0),
            "at once, not at max_wait: nothing more can join that batch"
        );
        assert_eq!(
            next_batch(&mut batches).await,
            None,
            "then the batcher ends, dropping its output: the consumer sees None"
        );
        within(ms(1), "the batcher's task did not end", task)
            .await
            .expect("the batcher's task ends without panicking");
    });
}

#[test]
fn a_full_channel_makes_the_producer_wait() {
    paused(async {
        let start = Instant::now();
        // Batches of 2, an input channel of 2, an output channel of 1 batch,
        // and a consumer that starts reading only at 100 ms.
        let (batcher, _task, mut batches) = launch(2, ms(1_000), 2, 1);
        let consumer = tokio::spawn(async move {
            sleep(ms(100)).await;
            let mut all = Vec::new();
            while let Some(batch) = batches.recv().await {
                all.push(batch);
            }
            all
        });
        let mut sent_at = Vec::new();
        for n in 1..=7 {
            batcher.send(n).await.unwrap();
            sent_at.push(start.elapsed().as_millis());
        }
        // Items 1-2: a batch in the output channel. 3-4: a batch the batcher
        // holds, waiting for room. 5-6: the input channel. 7: no room.
        assert_eq!(
            sent_at,
            [0, 0, 0, 0, 0, 0, 100],
            "six items fit (output, batch in hand, input channel); the seventh \
             send waits until the consumer makes room at 100 ms"
        );
        drop(batcher);
        let all = within(ms(10_000), "the consumer never finished", consumer)
            .await
            .unwrap();
        assert_eq!(
            all,
            [vec![1, 2], vec![3, 4], vec![5, 6], vec![7]],
            "every item arrives, in order, in batches of at most 2"
        );
    });
}

#[test]
fn the_batcher_stops_when_its_consumer_goes_away() {
    paused(async {
        let (batcher, task, batches) = launch(10, ms(50), 8, 4);
        batcher.send(1).await.unwrap();
        drop(batches);
        within(
            ms(1_000),
            "the batcher kept running after its output's receiver was dropped",
            task,
        )
        .await
        .expect("the batcher's task ends without panicking");
        assert_eq!(
            batcher.send(2).await,
            Err(SendError(2)),
            "a stopped batcher gives the item back in the error"
        );
    });
}
