//! Adds per second for four counters at 1, 2, 4 and 8 threads: a
//! `Mutex<u64>`, one shared `AtomicU64`, the sharded counter, and the
//! sharded counter without its padding (false sharing).
//!
//! Run with
//! `cargo bench -p sharded-counter-solution -- --warm-up-time 1 --measurement-time 3`.
//!
//! Each sample spawns the threads, lets them meet at a barrier, and times
//! only the adding (`contend` returns that time, and `iter_custom` hands it
//! to criterion), so thread creation is not part of the figures.
//!
//! Read the figures knowing the machine: with 2 cores, at most 2 threads
//! add at the same instant. 4 and 8 threads take turns on those 2 cores, so
//! past 2 threads the contention stops growing and the scheduler's time
//! slices decide the rest.

use std::fmt;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sharded_counter::{Counter, DEFAULT_SHARDS, Strategy, contend, thread_ticket};

/// Adds per thread in one sample.
const PER_THREAD: u64 = 50_000;

/// The rejected alternative from step 1: the same shards and the same
/// tickets, but packed eight to a cache line. Kept here, not in the crate,
/// because its only use is to be measured.
struct Unpadded(Box<[AtomicU64]>);

impl fmt::Debug for Unpadded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Unpadded").field(&self.0.len()).finish()
    }
}

impl Unpadded {
    fn new() -> Self {
        Self((0..DEFAULT_SHARDS).map(|_| AtomicU64::new(0)).collect())
    }
}

impl Counter for Unpadded {
    fn add(&self, n: u64) {
        self.0[thread_ticket() & (self.0.len() - 1)].fetch_add(n, Ordering::Relaxed);
    }

    fn total(&self) -> u64 {
        self.0
            .iter()
            .map(|shard| shard.load(Ordering::Relaxed))
            .sum()
    }
}

/// Builds a fresh counter, at zero.
type Make = fn() -> Box<dyn Counter>;

/// The four counters, by name.
fn candidates() -> [(&'static str, Make); 4] {
    [
        ("mutex", || Strategy::Mutex.counter()),
        ("atomic", || Strategy::Atomic.counter()),
        ("sharded", || Strategy::Sharded.counter()),
        ("sharded-unpadded", || Box::new(Unpadded::new())),
    ]
}

fn counters(c: &mut Criterion) {
    let mut group = c.benchmark_group("counters");
    // A sample of 8 mutex threads takes tens of milliseconds: criterion's
    // default of 100 samples would need minutes per benchmark.
    group.sample_size(10);
    for threads in [1usize, 2, 4, 8] {
        group.throughput(Throughput::Elements(threads as u64 * PER_THREAD));
        for (name, make) in candidates() {
            group.bench_with_input(
                BenchmarkId::new(name, threads),
                &threads,
                |b, &threads| {
                    b.iter_custom(|iters| {
                        (0..iters)
                            .map(|_| {
                                let counter = make();
                                let elapsed =
                                    contend(counter.as_ref(), threads, PER_THREAD)
                                        .expect("no counter here loses updates");
                                black_box(counter);
                                elapsed
                            })
                            .sum::<Duration>()
                    });
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, counters);
criterion_main!(benches);
