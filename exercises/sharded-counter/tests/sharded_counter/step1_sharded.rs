//! Step 1: `Padded` and `ShardedCounter` (src/sharded.rs).

use std::collections::HashSet;
use std::mem::{align_of, size_of};
use std::sync::atomic::AtomicU64;

use sharded_counter::{CACHE_LINE, Padded, ShardedCounter, ShardsError, thread_ticket};

fn counter(shards: usize) -> ShardedCounter {
    ShardedCounter::new(shards).expect("a power of two is a valid shard count")
}

#[test]
fn a_padded_atomic_fills_exactly_one_cache_line() {
    assert_eq!(CACHE_LINE, 64, "the lesson pads to 64-byte lines");
    assert_eq!(
        align_of::<Padded<AtomicU64>>(),
        64,
        "a padded shard must start on a cache-line boundary: #[repr(align(64))]"
    );
    assert_eq!(
        size_of::<Padded<AtomicU64>>(),
        64,
        "a padded shard must fill its line, so the next shard starts a new one"
    );
    assert_eq!(
        size_of::<Padded<[u8; 100]>>(),
        128,
        "a size is a multiple of the alignment: 100 bytes round up to two lines"
    );
}

#[test]
fn the_shard_count_must_be_a_positive_power_of_two() {
    assert_eq!(
        ShardedCounter::new(0).err(),
        Some(ShardsError::Zero),
        "no shard, no counter"
    );
    assert_eq!(
        ShardedCounter::new(6).err(),
        Some(ShardsError::NotPowerOfTwo(6)),
        "6 is not a power of two"
    );
    for shards in [1, 2, 8, 64] {
        assert_eq!(
            counter(shards).shards(),
            shards,
            "{shards} is a power of two, so the counter has {shards} shards"
        );
    }
}

#[test]
fn shard_count_errors_read_well() {
    let zero = ShardedCounter::new(0).expect_err("0 shards is refused");
    assert_eq!(
        zero.to_string(),
        "a sharded counter needs at least one shard"
    );
    let six = ShardedCounter::new(6).expect_err("6 shards is refused");
    assert_eq!(six.to_string(), "6 shards is not a power of two");
}

#[test]
fn a_new_counter_sums_to_zero() {
    let counter = counter(4);
    assert_eq!(counter.sum(), 0, "nothing added yet");
    assert_eq!(
        counter.shard_values(),
        [0, 0, 0, 0],
        "every shard starts at 0"
    );
}

#[test]
fn a_thread_keeps_its_ticket_and_threads_get_different_tickets() {
    assert_eq!(
        thread_ticket(),
        thread_ticket(),
        "a thread's ticket is drawn once and kept"
    );
    let tickets: Vec<usize> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8).map(|_| scope.spawn(thread_ticket)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let distinct: HashSet<usize> = tickets.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        8,
        "eight threads must draw eight different tickets, got {tickets:?}"
    );
    assert!(
        !distinct.contains(&thread_ticket()),
        "and none of them is this thread's"
    );
}

#[test]
fn one_thread_adds_to_the_shard_its_ticket_picks() {
    let counter = counter(8);
    counter.add(3);
    counter.add(4);
    counter.increment();
    let mine = thread_ticket() & 7;
    let values = counter.shard_values();
    for (shard, value) in values.iter().enumerate() {
        let expected = if shard == mine { 8 } else { 0 };
        assert_eq!(
            *value,
            expected,
            "with ticket {} on 8 shards this thread writes shard {mine} only; \
             shard values: {values:?}",
            thread_ticket()
        );
    }
    assert_eq!(counter.sum(), 8, "3 + 4 + 1");
}

#[test]
fn each_thread_adds_to_the_shard_its_ticket_picks() {
    let counter = counter(4);
    // Thread k adds k + 1, ten times, and reports its ticket.
    let tickets: Vec<usize> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6u64)
            .map(|k| {
                let counter = &counter;
                scope.spawn(move || {
                    for _ in 0..10 {
                        counter.add(k + 1);
                    }
                    thread_ticket()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut expected = [0u64; 4];
    for (k, ticket) in tickets.iter().enumerate() {
        expected[ticket & 3] += 10 * (k as u64 + 1);
    }
    assert_eq!(
        counter.shard_values(),
        expected,
        "shard i holds the adds of the threads whose ticket & 3 == i \
         (tickets {tickets:?})"
    );
}

#[test]
fn the_sum_is_exact_once_eight_threads_have_joined() {
    let counter = counter(8);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..10_000 {
                    counter.increment();
                }
            });
        }
    });
    assert_eq!(
        counter.sum(),
        80_000,
        "8 threads x 10000 increments, all joined: not one may be lost"
    );
    assert_eq!(
        counter.shard_values().iter().sum::<u64>(),
        80_000,
        "the shards hold the whole count between them"
    );
}

#[test]
fn the_sum_wraps_like_a_single_atomic_would() {
    let counter = counter(2);
    counter.add(u64::MAX);
    std::thread::scope(|scope| {
        scope.spawn(|| counter.add(2));
    });
    assert_eq!(
        counter.sum(),
        1,
        "u64::MAX + 2 wraps to 1 whether the adds share a shard or not \
         (add the shards with wrapping_add)"
    );
}
