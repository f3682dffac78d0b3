//! Step 4: deadlines, from the HTTP request to the gRPC call and back.
//!
//! An HTTP client may send `grpc-timeout`, in gRPC's own format (`100m` is
//! 100 milliseconds), as grpc-gateway accepts it; without it the gateway's
//! default applies, and a maximum caps what a client may ask. The timeout
//! then does two jobs:
//!
//! - it is *propagated*: `tonic::Request::set_timeout` sends it as the gRPC
//!   call's `grpc-timeout`, so the backend (tonic's server enforces it)
//!   stops working on an answer nobody will wait for;
//! - it is *enforced* here, with `tokio::time::timeout_at`, so the gateway
//!   answers on time even if the backend ignores the header or the network
//!   stalls. Propagation alone trusts the other side; enforcement alone
//!   leaves the backend working for nothing.

use std::future::Future;
use std::time::Duration;

use http::HeaderMap;
use tokio::time::Instant;
use tonic::Status;

/// Why a `grpc-timeout` value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeoutError {
    /// Nothing before the unit.
    #[error("no digits before the unit")]
    NoDigits,
    /// More than the 8 digits the gRPC spec allows.
    #[error("more than 8 digits")]
    TooManyDigits,
    /// Something other than ASCII digits before the unit.
    #[error("{0:?} is not a number")]
    NotANumber(String),
    /// The last character is not one of `H M S m u n`.
    #[error("unknown unit {0:?}: expected one of H M S m u n")]
    UnknownUnit(String),
}

/// Parses a `grpc-timeout` value: 1 to 8 ASCII digits, then a unit, `H`
/// hours, `M` minutes, `S` seconds, `m` milliseconds, `u` microseconds or
/// `n` nanoseconds (gRPC over HTTP/2, "Requests").
///
/// # Errors
///
/// A [`TimeoutError`] naming what is wrong.
pub fn parse_grpc_timeout(value: &str) -> Result<Duration, TimeoutError> {
    // TODO: the unit is the last *char* (`value.chars().last()`; slicing the
    // last byte would panic inside a multi-byte character), the digits are
    // everything before it. Check in this order: no digits -> NoDigits, more
    // than 8 -> TooManyDigits, anything but ASCII digits -> NotANumber (note
    // that `"+5".parse::<u64>()` succeeds, so check the bytes yourself), then
    // the unit: H M S m u n, anything else -> UnknownUnit.
    todo!("parse_grpc_timeout: digits, then a unit")
}

/// Why a [`DeadlinePolicy`] was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// A zero default would fail every request that brings no timeout.
    #[error("the default timeout must not be zero")]
    ZeroDefault,
    /// The default must itself be allowed.
    #[error("the default timeout {default:?} exceeds the maximum {max:?}")]
    DefaultAboveMax {
        /// The default asked for.
        default: Duration,
        /// The maximum asked for.
        max: Duration,
    },
}

/// How long the gateway lets one request's gRPC call take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlinePolicy {
    default: Duration,
    max: Duration,
}

impl DeadlinePolicy {
    /// `default` for requests that bring no `grpc-timeout`; `max` caps the
    /// ones that do.
    ///
    /// # Errors
    ///
    /// A zero default, or a default above the maximum.
    pub fn new(default: Duration, max: Duration) -> Result<Self, PolicyError> {
        // TODO: refuse a zero default, then a default above max.
        todo!("DeadlinePolicy::new: check, then build")
    }

    /// The timeout for one request: its `grpc-timeout` header capped at the
    /// maximum, or the default without one. A client may ask for less time,
    /// never for more: the gateway's threads, connections and the backend's
    /// capacity are not the client's to hold.
    ///
    /// # Errors
    ///
    /// `InvalidArgument` (HTTP 400) for a header that is not a valid
    /// `grpc-timeout`, as grpc-gateway answers it. Ignoring a bad value
    /// would hand the client a default it did not ask for.
    pub fn timeout_for(&self, headers: &HeaderMap) -> Result<Duration, Status> {
        // TODO: no `grpc-timeout` header: the default. Otherwise `to_str()` it and
        // `parse_grpc_timeout` it, turning either failure into
        // `Status::invalid_argument` (name the value and the reason), and cap the
        // result at the maximum with `min`.
        todo!("DeadlinePolicy::timeout_for: header, capped, or the default")
    }

    /// The timeout for requests without a `grpc-timeout`.
    pub fn default_timeout(&self) -> Duration {
        todo!("DeadlinePolicy::default_timeout")
    }

    /// The longest timeout a request may ask for.
    pub fn max_timeout(&self) -> Duration {
        todo!("DeadlinePolicy::max_timeout")
    }
}

/// Runs `call` with `timeout`, answering `DeadlineExceeded` when it passes.
///
/// Whoever set the deadline names its expiry. A tonic server whose
/// `grpc-timeout` fires answers `Cancelled` (tonic maps its own
/// `TimeoutExpired` to it; grpc-go answers `DeadlineExceeded`), and that
/// answer can win the race against the timer here, since both fire at the
/// same instant. So an error that arrives once the deadline has passed is
/// reported as `DeadlineExceeded`, HTTP 504, not as the backend's 499.
///
/// # Errors
///
/// `call`'s own error before the deadline, `DeadlineExceeded` after it.
pub async fn with_deadline<T>(
    timeout: Duration,
    call: impl Future<Output = Result<T, Status>>,
) -> Result<T, Status> {
    // TODO: `let deadline = Instant::now() + timeout;` then
    // `tokio::time::timeout_at(deadline, call).await`:
    // - Err(elapsed): `Status::deadline_exceeded(..)`;
    // - Ok(Err(_)) once `Instant::now() >= deadline`: DeadlineExceeded too (a
    //   tonic backend's own timeout answers Cancelled at the same instant);
    // - otherwise the call's own result.
    todo!("with_deadline: enforce the timeout, name the expiry")
}
