//! Step 4: `Batcher::flush`, request and response over a `oneshot`
//! (src/flush.rs).

use batcher::{SendError, Stopped};
use tokio::sync::mpsc::error::TryRecvError;
use tokio::time::{Instant, sleep, timeout};

use crate::step3_batcher::{launch, next_batch};
use crate::{ms, paused, within};

#[test]
fn flush_sends_the_partial_batch_now_and_says_how_big_it_was() {
    paused(async {
        let start = Instant::now();
        let (batcher, _task, mut batches) = launch(10, ms(1_000), 8, 4);
        for n in 1..=3 {
            batcher.send(n).await.unwrap();
        }
        let flushed = within(ms(1), "flush got no answer", batcher.flush()).await;
        assert_eq!(
            flushed,
            Ok(3),
            "the answer is the size of the batch it sent"
        );
        assert_eq!(next_batch(&mut batches).await, Some(vec![1, 2, 3]));
        assert_eq!(start.elapsed(), ms(0), "a flush does not wait for max_wait");
    });
}

#[test]
fn flushing_an_empty_batcher_answers_zero_and_sends_nothing() {
    paused(async {
        let (batcher, _task, mut batches) = launch(10, ms(50), 8, 4);
        let flushed = within(ms(1), "flush got no answer", batcher.flush()).await;
        assert_eq!(flushed, Ok(0));
        sleep(ms(1_000)).await;
        assert_eq!(
            batches.try_recv(),
            Err(TryRecvError::Empty),
            "an empty batch is never sent, not even on request"
        );
    });
}

#[test]
fn a_flush_sees_every_item_sent_before_it_from_any_handle() {
    paused(async {
        let (producer, _task, mut batches) = launch(100, ms(1_000), 64, 4);
        let controller = producer.clone();
        for n in 0..50 {
            producer.send(n).await.unwrap();
        }
        let flushed = within(ms(1), "flush got no answer", controller.flush()).await;
        assert_eq!(
            flushed,
            Ok(50),
            "items and flushes travel on one channel, in order: the 50 items sent \
             before the flush are in the batch it sends"
        );
        assert_eq!(
            next_batch(&mut batches).await,
            Some((0..50).collect::<Vec<u32>>())
        );
    });
}

#[test]
fn flushing_a_stopped_batcher_is_an_error_not_a_panic() {
    paused(async {
        let (batcher, task, batches) = launch(10, ms(50), 8, 4);
        drop(batches);
        within(ms(1_000), "the batcher did not stop", task)
            .await
            .expect("the batcher's task ends without panicking");
        let flushed = within(ms(1), "flush waited forever", batcher.flush()).await;
        assert_eq!(flushed, Err(Stopped), "nobody is there to answer");
    });
}

#[test]
fn a_flush_queued_when_the_batcher_stops_gets_an_error() {
    paused(async {
        let start = Instant::now();
        // Batches of 1 and room for 1 batch: item 1 fills the output, and
        // the batcher then waits, holding item 2, with the flush behind it.
        let (batcher, _task, batches) = launch(1, ms(1_000), 8, 1);
        batcher.send(1).await.unwrap();
        batcher.send(2).await.unwrap();
        tokio::spawn(async move {
            sleep(ms(10)).await;
            drop(batches);
        });
        let flushed = within(ms(1_000), "flush waited forever", batcher.flush()).await;
        assert_eq!(
            flushed,
            Err(Stopped),
            "the batcher stopped with the request in its queue: dropping the \
             request drops its oneshot sender, and the caller hears about it"
        );
        assert_eq!(start.elapsed(), ms(10), "as soon as the consumer left");
    });
}

#[test]
fn a_caller_that_stops_waiting_does_not_break_the_batcher() {
    paused(async {
        // As above: the batcher is stuck holding item 2 until someone reads.
        let (batcher, _task, mut batches) = launch(1, ms(1_000), 8, 1);
        batcher.send(1).await.unwrap();
        batcher.send(2).await.unwrap();
        let gave_up = timeout(ms(10), batcher.flush()).await;
        assert!(gave_up.is_err(), "the flush cannot be answered yet");
        // The request is still queued; its reply channel has no receiver.
        assert_eq!(next_batch(&mut batches).await, Some(vec![1]));
        assert_eq!(next_batch(&mut batches).await, Some(vec![2]));
        batcher.send(3).await.unwrap();
        assert_eq!(
            next_batch(&mut batches).await,
            Some(vec![3]),
            "answering a caller who has gone must not stop the batcher"
        );
        let flushed = within(ms(1), "flush got no answer", batcher.flush()).await;
        assert_eq!(flushed, Ok(0));
    });
}

#[test]
fn errors_read_well() {
    assert_eq!(
        SendError(7).to_string(),
        "the batcher has stopped; the item was not sent"
    );
    assert_eq!(Stopped.to_string(), "the batcher has stopped");
    paused(async {
        // And a real one: the item comes back in the error.
        let (batcher, task, batches) = launch(10, ms(50), 8, 4);
        drop(batches);
        within(ms(1_000), "the batcher did not stop", task)
            .await
            .unwrap();
        let error = batcher.send(42).await.expect_err("the batcher has stopped");
        assert_eq!(error.0, 42, "the item is handed back");
    });
}
