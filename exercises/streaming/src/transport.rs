//! A client connected to the service through memory, not a socket: the
//! equivalent of grpc-go's `bufconn`. Given, not a step.
//!
//! HTTP/2 runs unchanged over a `tokio::io::duplex` pipe, so the tests see
//! real flow control, real trailers and real stream resets, with no port to
//! pick and no server left behind: the server task ends when the client's
//! channel is dropped. Everything stays in one runtime, so tokio's paused
//! clock drives the deadlines (a real socket with a paused clock would fire
//! timeouts at once, since the runtime skips ahead while it waits on I/O).

use tonic::transport::{Channel, Endpoint, Server, Uri};

use crate::pb::ticker_client::TickerClient;
use crate::service::TickerService;

/// The HTTP/2 receive window of each stream, on both ends: how many bytes a
/// peer may send on one stream before the receiver's application reads
/// them. hyper's defaults (2 MiB for a client, 1 MiB for a server) would let
/// a producer run over 100,000 ticks (about 17 bytes each on the wire) ahead of a
/// client that reads nothing.
pub const STREAM_WINDOW: u32 = 16 * 1024;

/// The HTTP/2 receive window of the whole connection: the protocol's initial
/// value, 64 KiB minus one byte.
pub const CONNECTION_WINDOW: u32 = 65_535;

/// Serves `service` on an in-memory pipe and returns a client for it.
///
/// # Errors
///
/// The HTTP/2 handshake failed (it cannot, short of a bug in tonic).
pub async fn connect_in_memory(
    service: TickerService,
) -> Result<TickerClient<Channel>, tonic::transport::Error> {
    // 64 KiB of pipe in each direction: flow control, not the pipe, is what
    // limits the bytes in flight.
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    let server = Server::builder()
        .initial_stream_window_size(STREAM_WINDOW)
        .initial_connection_window_size(CONNECTION_WINDOW)
        .add_service(service.into_server())
        .serve_with_incoming(tokio_stream::once(Ok::<_, std::io::Error>(server_io)));
    // The server ends by itself once the one connection closes; nothing
    // awaits its result, which is fine for a test server.
    tokio::spawn(server);

    let mut client_io = Some(client_io);
    // The URI is never dialled: the connector below hands over the pipe.
    let channel = Endpoint::from_static("http://in-memory.test")
        .initial_stream_window_size(STREAM_WINDOW)
        .initial_connection_window_size(CONNECTION_WINDOW)
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            // One pipe, one connection: a reconnect gets an error.
            let io = client_io.take();
            async move {
                io.map(hyper_util::rt::TokioIo::new)
                    .ok_or_else(|| std::io::Error::other("the in-memory pipe is taken"))
            }
        }))
        .await?;
    Ok(TickerClient::new(channel))
}
