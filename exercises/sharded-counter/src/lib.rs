//! # Day 80: profiling concurrent code (exercise)
//!
//! Three counters that many threads add to at once, and the tools to see
//! which one scales and why:
//!
//! - [`ShardedCounter`] (step 1, `sharded.rs`) splits the count into shards,
//!   each an `AtomicU64` alone on a 64-byte cache line ([`Padded`]); a
//!   thread adds to the shard its [`thread_ticket`] picks, and
//!   [`ShardedCounter::sum`] adds the shards up.
//! - [`Counter`] and [`Strategy`] (step 2, `strategies.rs`) put a
//!   `Mutex<u64>`, one shared atomic and the sharded counter behind one
//!   trait, so the same code measures all three.
//! - [`contend`], [`measure`] and [`ContentionReport`] (step 3,
//!   `measure.rs`) time threads that start together at a barrier, refuse a
//!   counter that loses updates, and print adds per second side by side.
//!
//! # Layout
//!
//! `sharded.rs`, `strategies.rs` and `measure.rs`, one per step; `lib.rs`
//! re-exports. The tests are in `tests/sharded_counter/`, one file per
//! step: `cargo test -p sharded-counter`. `cargo workbook hint
//! sharded-counter` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod measure;
mod sharded;
mod strategies;

pub use measure::{ContentionReport, LostUpdates, Measurement, contend, measure};
pub use sharded::{CACHE_LINE, Padded, ShardedCounter, ShardsError, thread_ticket};
pub use strategies::{AtomicCounter, Counter, DEFAULT_SHARDS, MutexCounter, Strategy};
