//! A client connected to a server through an in-memory pipe: the tests'
//! and the example's transport (Go's `bufconn`). Given complete: it is
//! plumbing, not the lesson.

use std::convert::Infallible;

use hyper_util::rt::TokioIo;
use tonic::service::Routes;
use tonic::transport::{Channel, Endpoint, Server};

/// Serves `routes` on a spawned task and returns a channel to it.
///
/// The two ends of a `tokio::io::duplex` pipe stand in for a TCP
/// connection: no port to pick or collide on, no firewall, and nothing left
/// running. The accept loop returns as soon as it has taken the one pipe
/// end its incoming stream yields, and the task tonic spawns for that
/// connection ends when the channel (the last client clone) is dropped and
/// the pipe closes. (Rejected: a real socket on
/// `127.0.0.1:0`, which works too but needs a shutdown signal to stop the
/// server; this lesson is about what crosses the connection, not the
/// socket.) One pipe carries one HTTP/2 connection, which is all a channel
/// needs: its calls are streams on it.
///
/// `routes` is `Routes::new(JobsServer::new(..))` for a gRPC service, or
/// `Routes::from(axum_router)` for a plain HTTP handler that answers like a
/// proxy would (step 3's tests).
pub async fn connect_in_memory(
    routes: Routes,
) -> Result<Channel, tonic::transport::Error> {
    let (client, server) = tokio::io::duplex(64 * 1024);
    tokio::spawn(
        Server::builder()
            .add_routes(routes)
            .serve_with_incoming(tokio_stream::once(Ok::<_, Infallible>(server))),
    );
    let mut client = Some(client);
    // The URI is never dialled: the connector hands over the pipe instead.
    Endpoint::from_static("http://in-memory.invalid")
        .connect_with_connector(tower::service_fn(move |_| {
            let client = client.take();
            async move {
                client
                    .map(TokioIo::new)
                    .ok_or_else(|| std::io::Error::other("the in-memory pipe was taken"))
            }
        }))
        .await
}
