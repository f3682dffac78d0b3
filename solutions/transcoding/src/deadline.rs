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
    // `split_at` on a char boundary: the unit is the last *character*, so
    // a multi-byte one is reported, not sliced through (which would panic).
    let Some(unit) = value.chars().last() else {
        return Err(TimeoutError::NoDigits);
    };
    let digits = &value[..value.len() - unit.len_utf8()];
    if digits.is_empty() {
        return Err(TimeoutError::NoDigits);
    }
    if digits.len() > 8 {
        return Err(TimeoutError::TooManyDigits);
    }
    // `u64::from_str` accepts a leading `+`; the spec's grammar does not.
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TimeoutError::NotANumber(digits.to_owned()));
    }
    let n: u64 = digits.parse().expect("1 to 8 ASCII digits fit a u64");
    // 99_999_999 hours is about 360 billion seconds: no overflow.
    let duration = match unit {
        'H' => Duration::from_secs(n * 3600),
        'M' => Duration::from_secs(n * 60),
        'S' => Duration::from_secs(n),
        'm' => Duration::from_millis(n),
        'u' => Duration::from_micros(n),
        'n' => Duration::from_nanos(n),
        other => return Err(TimeoutError::UnknownUnit(other.to_string())),
    };
    Ok(duration)
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
        if default.is_zero() {
            return Err(PolicyError::ZeroDefault);
        }
        if default > max {
            return Err(PolicyError::DefaultAboveMax { default, max });
        }
        Ok(Self { default, max })
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
        let Some(value) = headers.get("grpc-timeout") else {
            return Ok(self.default);
        };
        let text = value
            .to_str()
            .map_err(|_| Status::invalid_argument("invalid grpc-timeout: not ASCII"))?;
        let requested = parse_grpc_timeout(text).map_err(|e| {
            Status::invalid_argument(format!("invalid grpc-timeout {text:?}: {e}"))
        })?;
        Ok(requested.min(self.max))
    }

    /// The timeout for requests without a `grpc-timeout`.
    pub fn default_timeout(&self) -> Duration {
        self.default
    }

    /// The longest timeout a request may ask for.
    pub fn max_timeout(&self) -> Duration {
        self.max
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
    let deadline = Instant::now() + timeout;
    let exceeded =
        || Status::deadline_exceeded(format!("deadline of {timeout:?} exceeded"));
    match tokio::time::timeout_at(deadline, call).await {
        // Dropping the timed-out call cancels it: tonic resets the HTTP/2
        // stream, and the backend's handler is dropped.
        Err(_elapsed) => Err(exceeded()),
        Ok(Err(_)) if Instant::now() >= deadline => Err(exceeded()),
        Ok(result) => result,
    }
}
