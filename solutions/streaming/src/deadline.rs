//! Step 5: deadlines that cover the whole stream.
//!
//! A client's `Request::set_timeout` sends a `grpc-timeout` header. tonic's
//! server reads it (the `GrpcTimeout` layer) but applies it to the handler's
//! future only: the future that returns the `Response`, with the stream
//! inside it, not yet sent. A streaming handler returns at once, so the
//! timeout is met long before the first tick, and the stream runs on with no
//! deadline at all. The client's own timeout works the same way: it bounds
//! the wait for the response headers, not for the messages after them.
//!
//! So a streaming server honours the deadline itself: it reads the header
//! and wraps its stream in [`WithDeadline`], which ends the stream with
//! `DeadlineExceeded` when the time is up. Ending the stream drops the
//! channel's receiver, and that stops the producer (step 2).

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use pin_project_lite::pin_project;
use tokio::time::{Instant, Sleep};
use tokio_stream::Stream;
use tonic::Status;
use tonic::metadata::MetadataMap;

/// The metadata key a client's timeout travels in.
pub const GRPC_TIMEOUT: &str = "grpc-timeout";

/// Reads the client's timeout from the `grpc-timeout` header: at most 8
/// digits, then one unit, `H`, `M`, `S`, `m` (milliseconds), `u`
/// (microseconds) or `n` (nanoseconds), as the gRPC over HTTP/2 spec
/// defines it.
///
/// # Errors
///
/// `InvalidArgument` if the header is there but malformed. (tonic's own
/// layer ignores a malformed header and runs with no deadline; a server
/// that promises deadlines says so instead.)
pub fn grpc_timeout(metadata: &MetadataMap) -> Result<Option<Duration>, Status> {
    let Some(value) = metadata.get(GRPC_TIMEOUT) else {
        return Ok(None);
    };
    let malformed =
        || Status::invalid_argument(format!("malformed grpc-timeout {value:?}"));
    let text = value.to_str().map_err(|_| malformed())?;
    // `to_str` succeeded, so the text is ASCII and any byte index is a char
    // boundary: `split_at` cannot panic.
    if text.len() < 2 {
        return Err(malformed());
    }
    let (digits, unit) = text.split_at(text.len() - 1);
    // At most 8 digits: 99,999,999 hours still fits a u64 of seconds, so no
    // multiplication below can overflow. `parse` alone would accept a `+`.
    if digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    let amount: u64 = digits.parse().map_err(|_| malformed())?;
    let timeout = match unit {
        "H" => Duration::from_secs(amount * 3600),
        "M" => Duration::from_secs(amount * 60),
        "S" => Duration::from_secs(amount),
        "m" => Duration::from_millis(amount),
        "u" => Duration::from_micros(amount),
        "n" => Duration::from_nanos(amount),
        _ => return Err(malformed()),
    };
    Ok(Some(timeout))
}

pin_project! {
    /// A stream that ends with `DeadlineExceeded` once its deadline passes.
    ///
    /// Items that arrive before the deadline pass through unchanged. When
    /// the deadline passes, the stream yields one
    /// `Err(Status::deadline_exceeded(..))` and then ends, without polling
    /// the inner stream again.
    #[derive(Debug)]
    pub struct WithDeadline<S> {
        #[pin]
        inner: S,
        // A `Sleep` kept in the struct, not a new one per poll: it
        // registers one timer, and the task is woken when it fires even if
        // the inner stream stays silent.
        #[pin]
        sleep: Sleep,
        expired: bool,
    }
}

impl<S> WithDeadline<S> {
    /// Wraps `inner`, with a deadline `timeout` from now.
    pub fn new(inner: S, timeout: Duration) -> Self {
        Self {
            inner,
            sleep: tokio::time::sleep_until(Instant::now() + timeout),
            expired: false,
        }
    }
}

impl<S, T> Stream for WithDeadline<S>
where
    S: Stream<Item = Result<T, Status>>,
{
    type Item = Result<T, Status>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.project();
        if *this.expired {
            return Poll::Ready(None);
        }
        // The deadline first: once it has passed, an item that is also ready
        // is too late (the client has given up on it).
        if this.sleep.poll(cx).is_ready() {
            *this.expired = true;
            return Poll::Ready(Some(Err(Status::deadline_exceeded(
                "the deadline passed before the stream ended",
            ))));
        }
        // Polling `sleep` registered the waker: if the inner stream is
        // pending, the task still wakes at the deadline.
        this.inner.poll_next(cx)
    }
}
