//! loom models of the wait group: loom runs each closure under every
//! interleaving of its threads' lock, condvar and atomic operations (bounded
//! by `LOOM_MAX_PREEMPTIONS`), so a lost wakeup that a stress test hits once
//! in a million runs is found every time. A thread left asleep for ever
//! shows up as loom's "deadlock" panic.
//!
//! Run them with:
//!
//! ```text
//! LOOM_MAX_PREEMPTIONS=3 RUSTFLAGS="--cfg loom" cargo test -p sync-toolbox --release --test loom
//! ```
//!
//! Without `--cfg loom` this file compiles to nothing. The models are kept
//! small (three threads at most, one guard or two): loom's cost grows fast
//! with threads and operations.
#![cfg(loom)]

// std's `Arc`, not loom's: when loom reports a deadlock it unwinds the
// blocked threads, and a loom `Arc` dropped then aborts the test binary
// (tokio-rs/loom#291) instead of letting the model fail with its report.
use std::sync::Arc;

use loom::sync::atomic::{AtomicUsize, Ordering};
use sync_toolbox::WaitGroup;

#[test]
fn wait_returns_only_after_both_workers_are_done() {
    loom::model(|| {
        let group = WaitGroup::new();
        let finished = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let done = group.add();
                let finished = Arc::clone(&finished);
                loom::thread::spawn(move || {
                    finished.fetch_add(1, Ordering::Relaxed);
                    drop(done);
                })
            })
            .collect();
        group.wait();
        assert_eq!(
            finished.load(Ordering::Relaxed),
            2,
            "wait returned before both workers were done"
        );
        for worker in workers {
            worker.join().unwrap();
        }
    });
}

#[test]
fn the_last_guard_wakes_every_waiter() {
    loom::model(|| {
        let group = Arc::new(WaitGroup::new());
        let done = group.add();
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let group = Arc::clone(&group);
                loom::thread::spawn(move || group.wait())
            })
            .collect();
        drop(done);
        // A waiter left asleep makes this join block for ever, which loom
        // reports as a deadlock.
        for waiter in waiters {
            waiter.join().unwrap();
        }
        assert_eq!(group.pending(), 0);
    });
}
