//! Throughput of the queue against redis-benchmark (placeholder).
fn main() {}
