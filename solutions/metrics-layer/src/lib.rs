//! # Day 140: a metrics layer (reference solution)
//!
//! A service should report its RED metrics (Rate, Errors, Duration) for
//! every method, and no handler should have to write a line of code for it.
//! This crate is a tower layer that does it for any service from
//! `http::Request` to `http::Response`, so for axum and tonic alike:
//!
//! - closed sets of label values, the method from an allow-list and the code
//!   from the response's `grpc-status` or HTTP status (`labels.rs`);
//! - `requests_total`, a duration histogram with buckets chosen around the
//!   latency target, and an in-flight gauge in a `prometheus-client`
//!   registry (`metrics.rs`);
//! - a drop guard that records every call, including the ones whose future
//!   is dropped by a timeout or a client that hangs up (`guard.rs`);
//! - the `Layer`, the `Service` and a hand-written response future that owns
//!   the guard (`layer.rs`);
//! - the layer placed outside a timeout, and why that order (`wiring.rs`).
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them; `lib.rs` only
//! re-exports, so every item is used as `metrics_layer::Item`. The tests
//! are the exercise's own (`exercises/metrics-layer/tests/`).

mod guard;
mod labels;
mod layer;
mod metrics;
mod wiring;

pub use guard::CallGuard;
pub use labels::{Code, LabelError, Methods, RequestLabels};
pub use layer::{Red, RedLayer, ResponseFuture};
pub use metrics::{BucketError, LatencyBuckets, RedMetrics};
pub use wiring::metered;
