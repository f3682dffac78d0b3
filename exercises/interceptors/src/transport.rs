//! The in-memory transport (given, not part of the exercise): a server and
//! a client joined by a `tokio::io::duplex` pipe, gRPC's `bufconn`.
//!
//! No port, no socket, nothing to shut down: when the client's channel is
//! dropped, the connection closes and the server task ends. Everything runs
//! in-process, so tokio's paused clock works: the runtime moves time
//! forward only when every task waits on a timer.

use std::future::Future;

use hyper_util::rt::TokioIo;
use tokio::io::DuplexStream;
use tonic::transport::{Channel, Endpoint, Uri};

/// The stream of connections a server built by [`in_memory`] accepts: one.
pub type Incoming = tokio_stream::Once<Result<DuplexStream, std::io::Error>>;

/// Spawns the server `serve` returns for an [`Incoming`] and connects a
/// channel to it.
///
/// ```ignore
/// # async fn f() -> Result<(), tonic::transport::Error> {
/// use interceptors::{Shop, in_memory, pb::stock_server::StockServer};
/// use tonic::transport::Server;
///
/// let channel = in_memory(|incoming| {
///     Server::builder()
///         .add_service(StockServer::new(Shop::new()))
///         .serve_with_incoming(incoming)
/// })
/// .await?;
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// The transport error of a failed connection.
pub async fn in_memory<F, Fut>(serve: F) -> Result<Channel, tonic::transport::Error>
where
    F: FnOnce(Incoming) -> Fut,
    Fut: Future<Output = Result<(), tonic::transport::Error>> + Send + 'static,
{
    let (client, server) = tokio::io::duplex(64 * 1024);
    // Detached: the task ends when the client side of the pipe is dropped.
    tokio::spawn(serve(tokio_stream::once(Ok(server))));
    let mut client = Some(client);
    // The URI is never dialled: the connector hands over the pipe instead.
    Endpoint::from_static("http://in-memory.test")
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let client = client.take();
            async move {
                client.map(TokioIo::new).ok_or_else(|| {
                    std::io::Error::other("the in-memory connection is already taken")
                })
            }
        }))
        .await
}
