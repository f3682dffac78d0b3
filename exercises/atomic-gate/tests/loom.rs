//! loom models of the gate: loom runs each closure under every interleaving
//! of its threads' atomic operations (bounded by `LOOM_MAX_PREEMPTIONS`), so
//! a race that a stress test hits once in a million runs is found every time.
//!
//! Run them with:
//!
//! ```text
//! LOOM_MAX_PREEMPTIONS=3 RUSTFLAGS="--cfg loom" cargo test -p atomic-gate --release --test loom
//! ```
//!
//! Without `--cfg loom` this file compiles to nothing. The models are kept
//! small (two threads, one entry each): loom's cost grows fast with threads
//! and operations.
#![cfg(loom)]

use std::num::NonZeroU32;

use atomic_gate::Gate;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicU32, Ordering};

#[test]
fn two_threads_never_hold_a_one_pass_gate_together() {
    loom::model(|| {
        let gate = Arc::new(Gate::new(NonZeroU32::new(1).unwrap()));
        let holding = Arc::new(AtomicU32::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (gate, holding) = (Arc::clone(&gate), Arc::clone(&holding));
                loom::thread::spawn(move || {
                    if let Ok(pass) = gate.try_enter() {
                        let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                        assert!(
                            now <= 1,
                            "two passes of a one-pass gate were held at once"
                        );
                        holding.fetch_sub(1, Ordering::SeqCst);
                        drop(pass);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(gate.in_flight(), 0, "every pass was dropped");
    });
}

#[test]
fn no_entry_is_lost_or_counted_twice() {
    loom::model(|| {
        let gate = Arc::new(Gate::new(NonZeroU32::new(2).unwrap()));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let gate = Arc::clone(&gate);
                loom::thread::spawn(move || gate.try_enter().map(drop).is_ok())
            })
            .collect();
        let entered = threads
            .into_iter()
            .map(|t| t.join().unwrap())
            .filter(|ok| *ok)
            .count();
        assert_eq!(entered, 2, "a two-pass gate has room for both");
        assert_eq!(gate.in_flight(), 0, "and both left");
    });
}

#[test]
fn after_close_returns_no_one_new_gets_in() {
    loom::model(|| {
        let gate = Arc::new(Gate::new(NonZeroU32::new(2).unwrap()));
        let closer = {
            let gate = Arc::clone(&gate);
            loom::thread::spawn(move || gate.close())
        };
        let early = gate.try_enter().map(drop).is_ok();
        closer.join().unwrap();
        assert!(
            gate.try_enter().is_err(),
            "once close() has returned, entries are refused"
        );
        let _ = early; // before the close, either answer is right
        assert_eq!(gate.in_flight(), 0);
    });
}
