//! Step 1: `WaitGroup` and its `Done` guard (src/wait_group.rs).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use sync_toolbox::{WaitGroup, WaitTimedOut};

use crate::{GENEROUS, PROMPTLY, panics_on_a_thread};

#[test]
fn a_new_wait_group_has_nothing_to_wait_for() {
    let group = WaitGroup::new();
    assert_eq!(group.pending(), 0, "nothing was added");
    group.wait(); // must return at once
    assert_eq!(
        group.wait_timeout(Duration::ZERO),
        Ok(()),
        "with nothing pending, even a zero timeout succeeds"
    );
}

#[test]
fn each_worker_is_pending_until_its_guard_is_dropped() {
    let group = WaitGroup::new();
    let first = group.add();
    let second = group.add();
    assert_eq!(group.pending(), 2, "two guards are out");
    drop(first);
    assert_eq!(group.pending(), 1, "dropping a guard counts one worker out");
    drop(second);
    assert_eq!(group.pending(), 0, "and the other");
    assert_eq!(group.wait_timeout(Duration::ZERO), Ok(()));
}

#[test]
fn wait_returns_only_after_every_worker_is_done() {
    let group = WaitGroup::new();
    let finished = Arc::new(AtomicUsize::new(0));
    for _ in 0..4 {
        // `add` in the spawning thread, the guard moved into the worker.
        let done = group.add();
        let finished = Arc::clone(&finished);
        std::thread::spawn(move || {
            finished.fetch_add(1, Ordering::Relaxed);
            drop(done);
        });
    }
    group.wait();
    assert_eq!(
        finished.load(Ordering::Relaxed),
        4,
        "wait must not return before all four workers are done"
    );
    assert_eq!(group.pending(), 0);
}

#[test]
fn a_worker_that_panics_is_still_counted_out() {
    let group = WaitGroup::new();
    let done = group.add();
    let panicked = panics_on_a_thread(move || {
        let _done = done; // dropped while the thread unwinds
        panic!("the worker failed");
    });
    assert!(panicked, "the worker thread panicked");
    assert_eq!(
        group.wait_timeout(GENEROUS),
        Ok(()),
        "the guard's drop runs during the panic, so nobody waits for ever"
    );
}

#[test]
fn wait_timeout_gives_up_with_the_count_still_pending() {
    let group = WaitGroup::new();
    let _first = group.add();
    let _second = group.add();
    let start = Instant::now();
    let timeout = Duration::from_millis(5);
    assert_eq!(
        group.wait_timeout(timeout),
        Err(WaitTimedOut { pending: 2 }),
        "two guards are still out, so the wait gives up and says how many"
    );
    assert!(
        start.elapsed() >= timeout,
        "it gave up after {:?}, before the {timeout:?} it was given \
         (a wakeup is not a timeout: loop until the deadline)",
        start.elapsed()
    );
}

#[test]
fn wait_timeout_succeeds_when_the_workers_finish_in_time() {
    let group = WaitGroup::new();
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let done = group.add();
            std::thread::spawn(move || drop(done))
        })
        .collect();
    assert_eq!(
        group.wait_timeout(GENEROUS),
        Ok(()),
        "the workers finish at once, long before the timeout"
    );
    for handle in handles {
        handle.join().expect("the workers do not panic");
    }
}

#[test]
fn every_waiter_is_released_not_just_one() {
    let group = WaitGroup::new();
    let done = group.add();
    // Three waiters and the test thread meet at the barrier, so all three
    // are about to wait (most of them asleep in `wait`) when the guard goes.
    let start = Barrier::new(4);
    let released = std::thread::scope(|scope| {
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    let waited = Instant::now();
                    let result = group.wait_timeout(GENEROUS);
                    (result, waited.elapsed() < PROMPTLY)
                })
            })
            .collect();
        start.wait();
        drop(done);
        waiters
            .into_iter()
            .map(|waiter| waiter.join().expect("waiters do not panic"))
            .collect::<Vec<_>>()
    });
    assert_eq!(
        released,
        [(Ok(()), true), (Ok(()), true), (Ok(()), true)],
        "reaching zero must wake every waiter at once (notify_all); a waiter \
         that returned after its timeout (false) was never woken"
    );
}

#[test]
fn timeouts_read_well() {
    assert_eq!(
        WaitTimedOut { pending: 3 }.to_string(),
        "gave up waiting with 3 still pending"
    );
    let group = WaitGroup::new();
    let _done = group.add();
    let error = group
        .wait_timeout(Duration::ZERO)
        .expect_err("one guard is out");
    assert_eq!(error.to_string(), "gave up waiting with 1 still pending");
}
