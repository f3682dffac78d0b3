//! # Day 137: retries and backoff (exercise)
//!
//! A network call that fails may succeed if tried again, but a client that
//! retries at once, forever, or in step with every other client turns a
//! hiccup into an outage. This crate builds a retry loop that is safe to run
//! against a struggling server:
//!
//! - an exponential backoff curve that cannot overflow for any attempt
//!   number (`delay.rs`);
//! - full, equal and decorrelated jitter, with the random source injected so
//!   that tests are deterministic (`jitter.rs`);
//! - a token-based retry budget, as gRPC's retry throttling does, so retries
//!   stop when most calls fail (`budget.rs`);
//! - transient-or-permanent classification through an error's cause chain
//!   (`classify.rs`);
//! - an async `retry` that puts them together and gives back the last error
//!   with its cause (`retry.rs`).
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them; `lib.rs` only
//! re-exports, so every item is used as `backoff::Item`. The tests are in
//! `tests/backoff/`, one file per step.
//!
//! Every `todo!()` is yours to replace; the `// TODO` above it says what to
//! do. `cargo test -p backoff` tells you which step is next, and
//! `cargo workbook hint backoff` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod budget;
mod classify;
mod delay;
mod jitter;
mod retry;

pub use budget::{BudgetError, RetryBudget};
pub use classify::{ErrorClass, Permanent, Transient, classify};
pub use delay::{Backoff, BackoffError};
pub use jitter::{Delays, Jitter, RandomSource};
pub use retry::{RetryError, RetryPolicy, retry};
