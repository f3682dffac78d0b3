//! # Day 80: profiling concurrent code (reference solution)
//!
//! Three counters that many threads add to at once, and the tools to see
//! which one scales and why:
//!
//! - [`ShardedCounter`] (step 1) splits the count into shards, each an
//!   `AtomicU64` alone on a 64-byte cache line ([`Padded`]); a thread adds
//!   to the shard its [`thread_ticket`] picks, and [`ShardedCounter::sum`]
//!   adds the shards up.
//! - [`Counter`] and [`Strategy`] (step 2) put a `Mutex<u64>`
//!   ([`MutexCounter`]), one shared atomic ([`AtomicCounter`]) and the
//!   sharded counter behind one trait, so the same code measures all three.
//! - [`contend`], [`measure`] and [`ContentionReport`] (step 3) time threads
//!   that start together at a barrier, refuse a counter that loses updates,
//!   and print adds per second side by side.
//!
//! # Layout
//!
//! `sharded.rs`, `strategies.rs` and `measure.rs`, one per step; `lib.rs`
//! re-exports. The tests are the exercise's own
//! (`exercises/sharded-counter/tests/sharded_counter/`); the criterion
//! benchmark is `benches/counters.rs` (`cargo bench -p
//! sharded-counter-solution`).

mod measure;
mod sharded;
mod strategies;

pub use measure::{ContentionReport, LostUpdates, Measurement, contend, measure};
pub use sharded::{CACHE_LINE, Padded, ShardedCounter, ShardsError, thread_ticket};
pub use strategies::{AtomicCounter, Counter, DEFAULT_SHARDS, MutexCounter, Strategy};
