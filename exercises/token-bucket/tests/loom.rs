//! loom models of the bucket: loom runs each closure under every
//! interleaving of its threads' atomic operations (bounded by
//! `LOOM_MAX_PREEMPTIONS`), so a lost update that a stress test hits once in
//! a million runs is found every time.
//!
//! Run them with:
//!
//! ```text
//! LOOM_MAX_PREEMPTIONS=3 RUSTFLAGS="--cfg loom" cargo test -p token-bucket --release --test loom
//! ```
//!
//! Without `--cfg loom` this file compiles to nothing. Under it, the crate
//! leaves out its tokio half, so the models use `ManualClock`, whose time is
//! a loom atomic too. The models are small (two threads, one or two requests
//! each): loom's cost grows fast with threads and operations.
#![cfg(loom)]

use std::num::NonZeroU32;
use std::time::Duration;

use loom::sync::Arc;
use token_bucket::{ManualClock, Quota, TokenBucket};

fn bucket(burst: u32) -> (Arc<TokenBucket<ManualClock>>, ManualClock) {
    let quota = Quota::new(Duration::from_millis(10), NonZeroU32::new(burst).unwrap())
        .expect("a valid quota");
    let clock = ManualClock::new();
    (
        Arc::new(TokenBucket::with_clock(quota, clock.clone())),
        clock,
    )
}

/// Spawns one thread per entry of `requests`, each making that many
/// `try_acquire` calls, and returns how many succeeded in all.
fn granted(bucket: &Arc<TokenBucket<ManualClock>>, requests: &[u32]) -> u32 {
    let threads: Vec<_> = requests
        .iter()
        .map(|&n| {
            let bucket = Arc::clone(bucket);
            loom::thread::spawn(move || {
                (0..n).filter(|_| bucket.try_acquire().is_ok()).count()
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap() as u32).sum()
}

#[test]
fn two_threads_never_both_take_the_last_token() {
    loom::model(|| {
        let (bucket, _clock) = bucket(1);
        assert_eq!(
            granted(&bucket, &[1, 1]),
            1,
            "one token, two requests at the same instant: exactly one granted"
        );
    });
}

#[test]
fn no_take_is_lost() {
    loom::model(|| {
        let (bucket, _clock) = bucket(2);
        assert_eq!(granted(&bucket, &[1, 1]), 2, "two tokens, two requests");
        assert_eq!(
            bucket.available(),
            0,
            "both takes were recorded: no token may be left over"
        );
        assert!(
            bucket.try_acquire().is_err(),
            "so a third request is refused"
        );
    });
}

#[test]
fn a_refill_racing_two_takers_grants_at_most_one_token_more() {
    loom::model(|| {
        let (bucket, clock) = bucket(1);
        assert!(
            bucket.try_acquire().is_ok(),
            "the first token, before the race"
        );
        let mover = {
            let clock = clock.clone();
            loom::thread::spawn(move || clock.advance(Duration::from_millis(10)))
        };
        let taken = granted(&bucket, &[1, 1]);
        mover.join().unwrap();
        assert!(
            taken <= 1,
            "one interval passes during the race: at most one more token, got {taken}"
        );
        let after = u32::from(bucket.try_acquire().is_ok());
        assert_eq!(
            taken + after,
            1,
            "the refilled token is granted exactly once, during the race or after"
        );
    });
}
