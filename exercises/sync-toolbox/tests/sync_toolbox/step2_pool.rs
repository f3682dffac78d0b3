//! Step 2: `Pool`, `PoolGuard` and `Status` (src/pool.rs).
//!
//! The items are `Conn`s numbered by the factory, so a test can tell a
//! reused item from a new one, and count how often the factory ran.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sync_toolbox::{Pool, PoolError, PoolGuard, Status};

use crate::{GENEROUS, PROMPTLY, panics_on_a_thread};

/// A pretend connection: its number, and the queries it has served.
#[derive(Debug)]
struct Conn {
    id: usize,
    served: u32,
}

/// A pool of at most `max` connections, and the factory's call count.
fn pool(max: usize) -> (Pool<Conn>, Arc<AtomicUsize>) {
    let made = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&made);
    let pool = Pool::new(NonZeroUsize::new(max).expect("max > 0"), move || Conn {
        id: counter.fetch_add(1, Ordering::SeqCst) + 1,
        served: 0,
    });
    (pool, made)
}

fn status(max: usize, created: usize, idle: usize, waiting: usize) -> Status {
    Status {
        max,
        created,
        idle,
        waiting,
    }
}

#[test]
fn a_new_pool_creates_nothing_until_asked() {
    let (pool, made) = pool(3);
    assert_eq!(pool.status(), status(3, 0, 0, 0), "nothing created yet");
    assert_eq!(made.load(Ordering::SeqCst), 0, "the factory has not run");
}

#[test]
fn try_get_creates_up_to_the_max_then_refuses() {
    let (pool, made) = pool(2);
    let first = pool.try_get().expect("room for a first item");
    let second = pool.try_get().expect("room for a second item");
    assert_eq!((first.id, second.id), (1, 2), "two fresh connections");
    assert_eq!(pool.status(), status(2, 2, 0, 0), "both are checked out");
    assert_eq!(
        pool.try_get().err(),
        Some(PoolError::Exhausted { max: 2 }),
        "a third caller is refused at once, not made to wait"
    );
    assert_eq!(made.load(Ordering::SeqCst), 2, "the factory ran twice");
}

#[test]
fn a_dropped_guard_returns_its_item_for_reuse() {
    let (pool, made) = pool(2);
    {
        let mut conn = pool.try_get().expect("room");
        conn.served += 1; // DerefMut: the guard reaches the item
    }
    assert_eq!(pool.status(), status(2, 1, 1, 0), "the item is back, idle");
    let conn = pool.try_get().expect("an idle item");
    assert_eq!(
        (conn.id, conn.served),
        (1, 1),
        "the same connection comes back, with what was done to it"
    );
    assert_eq!(made.load(Ordering::SeqCst), 1, "reused, not created again");
}

#[test]
fn a_discarded_item_frees_its_slot_for_a_new_one() {
    let (pool, made) = pool(1);
    let conn = pool.try_get().expect("room");
    PoolGuard::discard(conn);
    assert_eq!(
        pool.status(),
        status(1, 0, 0, 0),
        "a discarded item is gone, not idle, and no longer counted"
    );
    let conn = pool.try_get().expect("the freed slot");
    assert_eq!(conn.id, 2, "a fresh connection replaces the discarded one");
    assert_eq!(made.load(Ordering::SeqCst), 2);
}

#[test]
fn an_item_held_by_a_panicking_thread_is_not_handed_out_again() {
    let (pool, made) = pool(1);
    let panicked = panics_on_a_thread(|| {
        let mut conn = pool.try_get().expect("room");
        conn.served = 99; // half-way through something...
        panic!("the holder failed mid-query");
    });
    assert!(panicked, "the holder panicked");
    assert_eq!(
        pool.status(),
        status(1, 0, 0, 0),
        "the item may be half-changed, so it is dropped and its slot freed"
    );
    let conn = pool.try_get().expect("the freed slot");
    assert_eq!(
        (conn.id, conn.served),
        (2, 0),
        "the next caller gets a fresh connection, not the broken one"
    );
    assert_eq!(made.load(Ordering::SeqCst), 2);
}

#[test]
fn get_timeout_gives_up_when_no_item_comes_back() {
    let (pool, _) = pool(1);
    let _held = pool.try_get().expect("room");
    let timeout = Duration::from_millis(5);
    let start = Instant::now();
    assert_eq!(
        pool.get_timeout(timeout).err(),
        Some(PoolError::TimedOut { timeout }),
        "the only item stays out, so the wait times out"
    );
    assert!(
        start.elapsed() >= timeout,
        "it gave up after {:?}, before the {timeout:?} it was given",
        start.elapsed()
    );
    assert_eq!(
        pool.status().waiting,
        0,
        "a caller that gave up is not waiting"
    );
}

#[test]
fn get_timeout_does_not_wait_when_an_item_is_free() {
    let (pool, _) = pool(1);
    let conn = pool
        .get_timeout(Duration::ZERO)
        .expect("room: no wait needed");
    assert_eq!(conn.id, 1);
}

#[test]
fn a_waiting_caller_gets_the_next_returned_item() {
    let (pool, made) = pool(1);
    let held = pool.try_get().expect("room");
    std::thread::scope(|scope| {
        let waiter = scope.spawn(|| {
            let waited = Instant::now();
            let result = pool.get_timeout(GENEROUS).map(|conn| conn.id);
            (result, waited.elapsed() < PROMPTLY)
        });
        // Wait (without sleeping) until the waiter is blocked in the pool,
        // or has given up (then the assertion below says why).
        while pool.status().waiting == 0 && !waiter.is_finished() {
            std::thread::yield_now();
        }
        drop(held);
        assert_eq!(
            waiter.join().expect("the waiter does not panic"),
            (Ok(1), true),
            "returning the item must wake the waiter at once (notify_one), and \
             it gets that item; false means it was never woken and only found \
             the item when its timeout ran out"
        );
    });
    assert_eq!(made.load(Ordering::SeqCst), 1, "reused, not created again");
    assert_eq!(pool.status(), status(1, 1, 1, 0));
}

#[test]
fn eight_threads_never_hold_more_than_the_max() {
    let (pool, made) = pool(3);
    let holding = AtomicUsize::new(0);
    let most = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..200 {
                    let mut conn =
                        pool.get_timeout(GENEROUS).expect("an item comes back");
                    let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    conn.served += 1;
                    holding.fetch_sub(1, Ordering::SeqCst);
                }
            });
        }
    });
    let most = most.load(Ordering::SeqCst);
    assert!(most <= 3, "at most 3 items may be out at once, saw {most}");
    assert!(
        made.load(Ordering::SeqCst) <= 3,
        "the factory ran at most 3 times"
    );
    let status = pool.status();
    assert_eq!(status.idle, status.created, "every item came back");
    // Hold every item at once: a guard dropped inside the loop would go
    // back on the shelf and be counted again.
    let conns: Vec<_> = (0..status.idle)
        .map(|_| pool.try_get().expect("idle"))
        .collect();
    let served: u32 = conns.iter().map(|conn| conn.served).sum();
    assert_eq!(served, 1600, "8 threads x 200 checkouts, none lost");
}

#[test]
fn pool_errors_read_well() {
    assert_eq!(
        PoolError::Exhausted { max: 4 }.to_string(),
        "pool exhausted: all 4 items are checked out"
    );
    let (pool, _) = pool(1);
    let _held = pool.try_get().expect("room");
    let error = pool
        .get_timeout(Duration::from_millis(1))
        .expect_err("the only item is out");
    assert_eq!(error.to_string(), "no item came back within 1ms");
}
