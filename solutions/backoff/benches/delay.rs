//! How long one delay costs: the un-jittered curve at small, medium and
//! enormous attempt numbers, and one jittered delay of each kind.
//!
//! Run with `cargo bench -p backoff-solution`. The point to see: the loop in
//! `Backoff::delay` stops at the cap, so `delay(u32::MAX)` costs about what
//! `delay(64)` does, not four billion doublings.

use std::hint::black_box;
use std::time::Duration;

use backoff::{Backoff, Jitter};
use criterion::{Criterion, criterion_group, criterion_main};

fn delay(c: &mut Criterion) {
    let backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(60))
        .expect("valid backoff");
    let mut group = c.benchmark_group("delay");
    for attempt in [0, 5, 64, u32::MAX] {
        group.bench_function(format!("attempt {attempt}"), |b| {
            b.iter(|| black_box(backoff).delay(black_box(attempt)));
        });
    }
    group.finish();
}

fn jitter(c: &mut Criterion) {
    let backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(60))
        .expect("valid backoff");
    let mut group = c.benchmark_group("jittered delay, 10 attempts");
    for jitter in [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
    ] {
        group.bench_function(format!("{jitter:?}"), |b| {
            b.iter(|| {
                let rng = fastrand::Rng::with_seed(42);
                backoff
                    .delays(black_box(jitter), rng)
                    .take(10)
                    .sum::<Duration>()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, delay, jitter);
criterion_main!(benches);
