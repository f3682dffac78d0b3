//! Step 4: one server for health, reflection and the service, and a drain
//! with the deadline tonic does not have.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio_stream::{Stream, StreamExt as _};
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};
use tonic::transport::Server;
use tonic::transport::server::{Connected, TcpIncoming};

use crate::pb::beacon_server::BeaconServer;
use crate::{Beacon, FILE_DESCRIPTOR_SET, GracePeriod, HealthSwitch};

/// How a drain ended. Both are a normal shutdown (the binary exits 0); the
/// difference is for the log and the metrics: a drain that is often cut
/// means the grace period is shorter than the calls it should cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drain {
    /// Every connection closed by itself before the deadline.
    Clean,
    /// The deadline passed with connections still open, and they were
    /// closed by force.
    Cut {
        /// How many connections were still open at the deadline.
        severed: usize,
    },
}

impl fmt::Display for Drain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Clean => write!(f, "drain clean: every call finished in time"),
            Self::Cut { severed } => write!(
                f,
                "drain cut at the deadline: {severed} connection(s) closed by force"
            ),
        }
    }
}

/// Why [`run`] failed.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The reflection service could not read the descriptor sets.
    #[error("could not build the reflection service")]
    Reflection(#[from] tonic_reflection::server::Error),
    /// The server failed (tonic's transport error).
    #[error("the gRPC server failed")]
    Transport(#[from] tonic::transport::Error),
}

/// Serves health, reflection and [`Beacon`] on the connections `incoming`
/// yields, until `shutdown` completes; then drains, for at most `grace`.
///
/// The drain, in order:
///
/// 1. health turns NOT_SERVING, while the server still answers;
/// 2. the `draining` token is cancelled: open `Ticks` streams end with
///    UNAVAILABLE;
/// 3. tonic stops accepting and sends each connection a GOAWAY: calls in
///    flight go on, new ones go elsewhere;
/// 4. if connections are still open `grace` after the shutdown (a health
///    `Watch`, a stuck handler), they are closed by force.
///
/// `incoming` is any stream of connections: a [`TcpIncoming`] in the
/// binary ([`run_on`]), in-memory duplex pipes in the tests.
/// It should end only when dropped (a listener does; so does a channel
/// whose sender outlives the server): if it runs dry, tonic starts its own
/// graceful wait at once, with no deadline, and stops polling `shutdown`.
///
/// # Errors
///
/// [`ServeError`] if the reflection service cannot be built or tonic fails.
pub async fn run<I, IO, IE>(
    incoming: I,
    grace: GracePeriod,
    shutdown: impl Future,
) -> Result<Drain, ServeError>
where
    I: Stream<Item = Result<IO, IE>>,
    IO: AsyncRead + AsyncWrite + Connected + Unpin + Send + 'static,
    IE: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    // TODO, in this order:
    // 1. `HealthSwitch::new()`, and the reflection service:
    //    `tonic_reflection::server::Builder::configure()` with both
    //    descriptor sets registered (FILE_DESCRIPTOR_SET and
    //    `tonic_health::pb::FILE_DESCRIPTOR_SET`), then `.build_v1()?`.
    // 2. Two `CancellationToken`s, `draining` and `sever`, and
    //    `let live = Arc::new(())`. Map `incoming` (tokio_stream's
    //    `StreamExt::map`) so each connection becomes
    //    `Severable::new(io, &sever, live)`, where the closure holds only
    //    `Arc::downgrade(&live)` and upgrades it per connection.
    // 3. The signal for tonic: an `async move` block that awaits
    //    `shutdown`, then `health.not_serving().await`, then
    //    `draining.cancel()`.
    // 4. `Server::builder()` with the health, reflection and
    //    `BeaconServer::new(Beacon::new(draining.clone()))` services,
    //    `.serve_with_incoming_shutdown(incoming, signal)`, pinned
    //    (`std::pin::pin!`). Then `health.serving().await`.
    // 5. `tokio::select!` the server (it ended by itself: return its result
    //    as Drain::Clean) against `draining.cancelled()`.
    // 6. `tokio::time::timeout(grace.duration(), &mut server)`: in time is
    //    Drain::Clean; elapsed is a cut: count `Arc::strong_count(&live) - 1`,
    //    `sever.cancel()`, await the server again, Drain::Cut { severed }.
    todo!("run: serve, then drain with a deadline")
}

/// [`run`] on a bound TCP listener: the binary's entry point. Bind in
/// `main` (and print the address) before calling it, so that port 0 works
/// and a port already in use is reported before anything starts.
///
/// # Errors
///
/// As [`run`].
pub async fn run_on(
    listener: TcpListener,
    grace: GracePeriod,
    shutdown: impl Future,
) -> Result<Drain, ServeError> {
    run(TcpIncoming::from(listener), grace, shutdown).await
}

/// A connection that can be closed from outside: once `cut` completes,
/// every read and write fails with `ConnectionAborted`, which ends hyper's
/// connection (and its streams, whose handlers are dropped).
///
/// This is the deadline tonic lacks (grpc/grpc-rust#1820): its graceful
/// shutdown waits for every connection to close by itself, and a stream
/// that never ends keeps one open for ever. (Rejected: dropping the server
/// future at the deadline, which leaves the spawned connection tasks
/// running; and `max_connection_age_grace`, which closes connections by
/// age, not on shutdown.)
#[derive(Debug)]
struct Severable<IO> {
    io: IO,
    // Boxed so that `Severable` stays `Unpin`, as tonic requires, without
    // pin projection; one allocation per connection.
    cut: Pin<Box<WaitForCancellationFutureOwned>>,
    _live: Arc<()>,
}

impl<IO> Severable<IO> {
    fn new(io: IO, sever: &CancellationToken, live: Arc<()>) -> Self {
        Self {
            io,
            cut: Box::pin(sever.clone().cancelled_owned()),
            _live: live,
        }
    }

    /// Ready with an error once severed. Polling `cut` also registers the
    /// task's waker, so a connection idle in `poll_read` is woken by the
    /// cancellation and fails at once instead of at its next byte.
    fn severed(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        self.cut.as_mut().poll(cx).map(|()| {
            io::Error::new(io::ErrorKind::ConnectionAborted, "drain deadline passed")
        })
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Severable<IO> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Poll::Ready(error) = self.severed(cx) {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Severable<IO> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Poll::Ready(error) = self.severed(cx) {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<()>> {
        if let Poll::Ready(error) = self.severed(cx) {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<()>> {
        // Closing is what we want, so try it even after the cut (a TCP FIN
        // is polite and never blocks). But a close that must write (TLS's
        // close_notify) can wait for ever on a peer that reads nothing:
        // once severed, a pending close gives up, and dropping the I/O
        // closes the socket anyway.
        match Pin::new(&mut self.io).poll_shutdown(cx) {
            Poll::Pending => self.severed(cx).map(Err),
            ready => ready,
        }
    }

    // Forwarded, so that the wrapper does not turn hyper's vectored writes
    // (a frame header and its payload in one syscall) into one write each.
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if let Poll::Ready(error) = self.severed(cx) {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

impl<IO: Connected> Connected for Severable<IO> {
    type ConnectInfo = IO::ConnectInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        self.io.connect_info()
    }
}
