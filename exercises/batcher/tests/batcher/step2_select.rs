//! Step 2: `merge_two`, two tokio receivers in one `select!` loop
//! (src/select.rs).

use std::time::Duration;

use batcher::merge_two;
use tokio::sync::mpsc::{self, Receiver};
use tokio::time::{Instant, sleep_until};

use crate::{ms, paused, within};

/// A receiver fed by a task that sends each `(at, item)` at time `at` (from
/// `start`), then drops its sender, which ends the channel.
fn scheduled(start: Instant, plan: Vec<(Duration, u32)>) -> Receiver<u32> {
    let (sender, receiver) = mpsc::channel(1);
    tokio::spawn(async move {
        for (at, item) in plan {
            sleep_until(start + at).await;
            sender.send(item).await.expect("merge_two is reading");
        }
    });
    receiver
}

/// Every item of `out` with the time it arrived, until `out` ends; then the
/// time it ended.
async fn collect(
    start: Instant,
    mut out: Receiver<u32>,
) -> (Vec<(u32, Duration)>, Duration) {
    let mut items = Vec::new();
    within(ms(10_000), "the merged output never ended", async {
        while let Some(item) = out.recv().await {
            items.push((item, start.elapsed()));
        }
    })
    .await;
    (items, start.elapsed())
}

#[test]
fn items_from_both_inputs_arrive_as_they_are_sent() {
    paused(async {
        let start = Instant::now();
        let a = scheduled(start, vec![(ms(10), 1), (ms(20), 2), (ms(30), 3)]);
        let b = scheduled(start, vec![(ms(15), 10), (ms(25), 20)]);
        let (out, merged) = mpsc::channel(1);
        tokio::spawn(merge_two(a, b, out));
        let (items, _) = collect(start, merged).await;
        assert_eq!(
            items,
            [
                (1, ms(10)),
                (10, ms(15)),
                (2, ms(20)),
                (20, ms(25)),
                (3, ms(30))
            ],
            "each item goes out the moment it arrives, from either input"
        );
    });
}

#[test]
fn the_output_ends_when_both_inputs_have_ended_and_not_before() {
    paused(async {
        let start = Instant::now();
        let a = scheduled(start, vec![(ms(5), 1)]);
        let b = scheduled(start, vec![(ms(50), 2), (ms(100), 3)]);
        let (out, merged) = mpsc::channel(1);
        tokio::spawn(merge_two(a, b, out));
        let (items, ended) = collect(start, merged).await;
        assert_eq!(
            items,
            [(1, ms(5)), (2, ms(50)), (3, ms(100))],
            "input a ending at 5 ms must not end the merge: b still has items"
        );
        assert_eq!(ended, ms(100), "the output ends when the last input does");
    });
}

#[test]
fn a_closed_input_does_not_spin_the_loop() {
    paused(async {
        let start = Instant::now();
        // `a` is closed before the merge starts; `b` sends after 10 ms. A
        // loop that keeps polling closed `a` never lets the paused clock
        // reach 10 ms: the watchdog reports it.
        let (a_sender, a) = mpsc::channel::<u32>(1);
        drop(a_sender);
        let b = scheduled(start, vec![(ms(10), 7)]);
        let (out, merged) = mpsc::channel(1);
        tokio::spawn(merge_two(a, b, out));
        let (items, ended) = collect(start, merged).await;
        assert_eq!(items, [(7, ms(10))], "b's item, on time, after a closed");
        assert_eq!(ended, ms(10));
    });
}

#[test]
fn merge_two_returns_once_its_consumer_has_gone() {
    paused(async {
        let (a_sender, a) = mpsc::channel(1);
        let (_b_sender, b) = mpsc::channel::<u32>(1);
        let (out, merged) = mpsc::channel(1);
        let merging = tokio::spawn(merge_two(a, b, out));
        drop(merged);
        // The next item cannot be delivered: merge_two must return, even
        // though both inputs are still open.
        // (A merge_two that watches `out.closed()` may already have returned
        // and dropped `a`; that is fine too, hence the ignored result.)
        let _ = a_sender.send(1).await;
        within(
            ms(1_000),
            "merge_two kept running after its output's receiver was dropped",
            merging,
        )
        .await
        .expect("merge_two returns normally, without panicking");
    });
}
