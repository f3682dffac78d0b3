//! The hand-written varint codec against prost's, on the same values, in
//! the same process, so that the ratio means something.
//!
//! Run with `cargo bench -p protowire-solution --bench varint`. The values
//! are a seeded spread over every encoded length, 1 to 10 bytes, 100 of
//! each, shuffled: real messages mix small tags and lengths (one byte) with
//! large ids and negative int32s (ten bytes), and a benchmark of one length
//! only would measure one branch of each loop.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// 1,000 values, 100 of each encoded length, in a seeded random order.
fn values() -> Vec<u64> {
    let mut rng = fastrand::Rng::with_seed(113);
    let mut values: Vec<u64> = (1..=10u32)
        .flat_map(|len| {
            // A varint of `len` bytes holds a value in [2^(7(len-1)), 2^(7 len)).
            let low = if len == 1 { 0 } else { 1u64 << (7 * (len - 1)) };
            let high = if len == 10 {
                u64::MAX
            } else {
                (1u64 << (7 * len)) - 1
            };
            (0..100).map(|_| rng.u64(low..=high)).collect::<Vec<_>>()
        })
        .collect();
    rng.shuffle(&mut values);
    values
}

fn encode(c: &mut Criterion) {
    let values = values();
    let mut group = c.benchmark_group("encode 1000 varints");
    group.throughput(Throughput::Elements(values.len() as u64));
    let mut out = Vec::with_capacity(values.len() * 10);
    group.bench_function("protowire", |b| {
        b.iter(|| {
            out.clear();
            for &value in black_box(&values) {
                protowire::encode_varint(value, &mut out);
            }
            black_box(out.len())
        });
    });
    group.bench_function("prost", |b| {
        b.iter(|| {
            out.clear();
            for &value in black_box(&values) {
                prost::encoding::encode_varint(value, &mut out);
            }
            black_box(out.len())
        });
    });
    group.finish();
}

fn decode(c: &mut Criterion) {
    let values = values();
    let mut encoded = Vec::new();
    for &value in &values {
        prost::encoding::encode_varint(value, &mut encoded);
    }
    let mut group = c.benchmark_group("decode 1000 varints");
    group.throughput(Throughput::Elements(values.len() as u64));
    group.bench_function("protowire", |b| {
        b.iter(|| {
            let mut input = black_box(&encoded[..]);
            let mut sum = 0u64;
            while !input.is_empty() {
                let (value, len) = protowire::decode_varint(input).expect("valid");
                sum = sum.wrapping_add(value);
                input = &input[len..];
            }
            sum
        });
    });
    group.bench_function("prost", |b| {
        b.iter(|| {
            let mut input = black_box(&encoded[..]);
            let mut sum = 0u64;
            while !input.is_empty() {
                let value = prost::encoding::decode_varint(&mut input).expect("valid");
                sum = sum.wrapping_add(value);
            }
            sum
        });
    });
    group.finish();
}

criterion_group!(benches, encode, decode);
criterion_main!(benches);
