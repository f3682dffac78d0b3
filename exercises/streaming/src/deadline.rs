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
    // TODO: no header is `Ok(None)`. Otherwise `to_str()` it, split off the
    // last character as the unit, check the rest is 1 to 8 ASCII digits
    // (`str::parse` alone accepts a leading `+`), and turn the amount into a
    // Duration by unit. Anything else is `Status::invalid_argument`.
    todo!("grpc_timeout: parse `<digits><unit>` from the grpc-timeout header")
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
        // TODO: `let this = self.project();` gives pinned `inner` and
        // `sleep`, and `&mut bool` for `expired`. Once expired: `Ready(None)`.
        // If `this.sleep.poll(cx)` is ready, mark expired and yield
        // `Status::deadline_exceeded`. Otherwise poll the inner stream
        // (polling `sleep` first registered the wake-up at the deadline).
        todo!("WithDeadline::poll_next: the deadline first, then the inner stream")
    }
}
