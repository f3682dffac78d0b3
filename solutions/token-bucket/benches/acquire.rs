//! What one `try_acquire` costs, next to the `governor` crate's `check`,
//! which implements the same algorithm (GCRA over one `AtomicU64`).
//!
//! Run with `cargo bench -p token-bucket-solution --bench acquire`. Two
//! paths: "granted" (a quota so generous every call succeeds) and "refused"
//! (one token an hour, spent before timing starts). Each is timed with the
//! real monotonic clock, as a program would use it, and with a clock that
//! stands still, which leaves only the arithmetic and the atomic: the
//! difference is what reading the clock costs. One thread only: on a shared
//! 2-core machine, contention figures would measure the neighbours.

use std::hint::black_box;
use std::num::NonZeroU32;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use governor::clock::FakeRelativeClock;
use token_bucket::{ManualClock, MonotonicClock, Quota, TokenBucket, TokioClock};

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).expect("positive")
}

fn path(
    c: &mut Criterion,
    name: &str,
    ours: Quota,
    theirs: governor::Quota,
    spend: bool,
) {
    let mut group = c.benchmark_group(name);

    let bucket = TokenBucket::with_clock(ours, MonotonicClock::new());
    let limiter = governor::RateLimiter::direct(theirs);
    let tokio_bucket = TokenBucket::with_clock(ours, TokioClock::new());
    let still_bucket = TokenBucket::with_clock(ours, ManualClock::new());
    let still_limiter =
        governor::RateLimiter::direct_with_clock(theirs, FakeRelativeClock::default());
    if spend {
        // Spend the only token, so every timed call is refused.
        let _ = bucket.try_acquire();
        let _ = limiter.check();
        let _ = tokio_bucket.try_acquire();
        let _ = still_bucket.try_acquire();
        let _ = still_limiter.check();
    }

    group.bench_function("ours, monotonic clock", |b| {
        b.iter(|| black_box(&bucket).try_acquire().is_ok());
    });
    group.bench_function("governor, monotonic clock", |b| {
        b.iter(|| black_box(&limiter).check().is_ok());
    });
    group.bench_function("ours, tokio clock", |b| {
        b.iter(|| black_box(&tokio_bucket).try_acquire().is_ok());
    });
    group.bench_function("ours, clock standing still", |b| {
        b.iter(|| black_box(&still_bucket).try_acquire().is_ok());
    });
    group.bench_function("governor, clock standing still", |b| {
        b.iter(|| black_box(&still_limiter).check().is_ok());
    });
    group.finish();
}

fn granted(c: &mut Criterion) {
    // One token per nanosecond and a burst of 4 billion: never refused.
    path(
        c,
        "granted",
        Quota::per_second(nz(u32::MAX)),
        governor::Quota::per_second(nz(u32::MAX)),
        false,
    );
}

fn refused(c: &mut Criterion) {
    let hour = Duration::from_secs(3600);
    path(
        c,
        "refused",
        Quota::new(hour, nz(1)).expect("an hour fits"),
        governor::Quota::with_period(hour).expect("an hour is not zero"),
        true,
    );
}

criterion_group!(benches, granted, refused);
criterion_main!(benches);
