//! Tests for the `sharded-counter` exercise, one module per step:
//! `step1_sharded` (src/sharded.rs), `step2_strategies` (src/strategies.rs)
//! and `step3_measure` (src/measure.rs). Run them with
//! `cargo test -p sharded-counter`; one step only with
//! `cargo test -p sharded-counter step1`.
//!
//! No test asserts a timing: how fast a counter is depends on the machine
//! and on what else it is doing, so a timing assertion is a flaky test. The
//! tests check what must hold everywhere (exact counts once the threads
//! have joined, the layout of a shard, the arithmetic of a report), and the
//! speed is left to the benchmark and the example.

mod step1_sharded;
mod step2_strategies;
mod step3_measure;
